"""MkDocs hook: serve every asset the pages need from the site itself.

- MathJax comes from the npm package `mathjax` (installed by `npm ci`) and is copied into
  `site/assets/vendor/mathjax/` at build time; nothing is loaded from a CDN.
- mkdocs-jupyter inlines about half a megabyte of JupyterLab CSS into every notebook page, and adds
  script tags for MathJax and Mermaid from CDNs. The CSS is moved into one shared, cacheable
  stylesheet; the CDN script tags are removed (math is typeset by our own MathJax, and no notebook
  uses Mermaid).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import vendor  # hooks/vendor.py
from mkdocs.exceptions import PluginError

MATHJAX = "mathjax/es5"
# MathJax as separate components rather than the combined tex-chtml.js: the loader, the core,
# TeX input, HTML output with its fonts, lazy typesetting (each formula when it scrolls into
# view) and hidden MathML for screen readers. Leaving out the context menu (a third of
# tex-chtml.js) and loading the rest as several smaller scripts keeps the page responsive.
MATHJAX_FILES = (
    "startup.js",
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts",
    "ui/lazy.js",
    "a11y/assistive-mml.js",
)

STYLE_BLOCK = re.compile(r'<style type="text/css">(.*?)</style>\s*', re.DOTALL)
# <script> blocks that load MathJax, Mermaid or RequireJS (from a CDN, or with an empty URL).
CDN_SCRIPT = re.compile(
    r"<script\b[^>]*>(?:(?!</script>).)*?(?:mathjax|mermaid|require\.js)(?:(?!</script>).)*?"
    r"</script>\s*"
    r"|<script\b[^>]*\bsrc=\"\"[^>]*>\s*</script>\s*",
    re.DOTALL | re.IGNORECASE,
)
JUPYTER_CSS = "assets/stylesheets/jupyter.css"

_jupyter_css: dict[str, str] = {}


def on_pre_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    vendor.require(MATHJAX, MATHJAX_FILES)
    _jupyter_css.clear()


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    css = "\n".join(block.strip() for block in STYLE_BLOCK.findall(html))
    if css:
        _jupyter_css.setdefault(hashlib.sha256(css.encode()).hexdigest(), css)
        if len(_jupyter_css) > 1:
            raise PluginError("notebook pages came with different inline CSS; expected one theme")
    html = STYLE_BLOCK.sub("", html)
    html = CDN_SCRIPT.sub("", html)
    depth = page.url.count("/")
    link = f'<link rel="stylesheet" href="{"../" * depth}{JUPYTER_CSS}">'
    return link + html


def on_post_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    site = Path(config["site_dir"])
    vendor.copy(MATHJAX, MATHJAX_FILES, site / "assets" / "vendor" / "mathjax")
    if _jupyter_css:
        (site / JUPYTER_CSS).parent.mkdir(parents=True, exist_ok=True)
        (site / JUPYTER_CSS).write_text(next(iter(_jupyter_css.values())), encoding="utf-8")
