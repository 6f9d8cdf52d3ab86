"""MkDocs hook: one lean, shared stylesheet for the notebook pages.

mkdocs-jupyter inlines all of JupyterLab's CSS (~580 KB) into every notebook page, and adds script
tags and styles for MathJax and Mermaid. Here the CSS is taken out of the pages and, once the site
is built, cut down to the rules that style something on a built notebook page (measured on their
HTML by used_css.py: about 14 KB) and written once to `assets/stylesheets/jupyter.css`, which the
browser caches across pages. The MathJax and Mermaid tags are removed: math is rendered at build
time (formulas.py), and no notebook uses Mermaid.

The cut-down CSS is cached in `.cache/jupyter-css/`, keyed on the CSS and the pages' HTML, so a
rebuild that changes no notebook page does not measure again.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import used_css  # hooks/used_css.py
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "jupyter-css"
STYLE_BLOCK = re.compile(r'<style type="text/css">(.*?)</style>\s*', re.DOTALL)
# <script> blocks that load MathJax, Mermaid or RequireJS (from a CDN, or with an empty URL).
CDN_SCRIPT = re.compile(
    r"<script\b[^>]*>(?:(?!</script>).)*?(?:mathjax|mermaid|require\.js)(?:(?!</script>).)*?"
    r"</script>\s*"
    r"|<script\b[^>]*\bsrc=\"\"[^>]*>\s*</script>\s*",
    re.DOTALL | re.IGNORECASE,
)
# The styles for Mermaid diagrams (no notebook has one); a second copy of the code colours that
# mkdocs-jupyter writes out as a Python list, so that no browser can use its rules (the colours
# are in jupyter.css); the comments left where the MathJax configuration was.
UNUSED = re.compile(
    r"<style>\s*\.jp-Mermaid\b.*?</style>\s*|<style>\s*\['pre \{.*?</style>\s*"
    r"|<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration) -->\s*",
    re.DOTALL | re.IGNORECASE,
)
JUPYTER_CSS = "assets/stylesheets/jupyter.css"

_jupyter_css: dict[str, str] = {}
_notebook_pages: list[str] = []  # site-relative paths of the built notebook pages


def on_pre_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    _jupyter_css.clear()
    _notebook_pages.clear()


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    css = "\n".join(block.strip() for block in STYLE_BLOCK.findall(html))
    if css:
        _jupyter_css.setdefault(hashlib.sha256(css.encode()).hexdigest(), css)
        if len(_jupyter_css) > 1:
            raise PluginError("notebook pages came with different inline CSS; expected one theme")
    _notebook_pages.append(page.file.dest_uri)
    html = STYLE_BLOCK.sub("", html)
    html = CDN_SCRIPT.sub("", html)
    html = UNUSED.sub("", html)
    depth = page.url.count("/")
    link = f'<link rel="stylesheet" href="{"../" * depth}{JUPYTER_CSS}">'
    return link + html


def on_post_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    if not _jupyter_css:
        return
    site = Path(config["site_dir"])
    css = next(iter(_jupyter_css.values()))
    pages = [(site / path).read_text(encoding="utf-8") for path in sorted(_notebook_pages)]
    digest = hashlib.sha256(Path(used_css.__file__).read_bytes())
    for text in (css, *pages):
        digest.update(hashlib.sha256(text.encode()).digest())
    cached = CACHE / f"{digest.hexdigest()}.css"
    if cached.exists():
        lean = cached.read_text(encoding="utf-8")
    else:
        lean = used_css.used_rules(css, pages)
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(lean, encoding="utf-8")
        partial.replace(cached)  # builds side by side never read half a file
    (site / JUPYTER_CSS).parent.mkdir(parents=True, exist_ok=True)
    (site / JUPYTER_CSS).write_text(lean, encoding="utf-8")
