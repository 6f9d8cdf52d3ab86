"""MkDocs hook: math rendered to HTML + MathML at build time with KaTeX; no math script on pages.

Where the math is:
- Markdown pages: pymdownx.arithmatex (generic mode) wraps it in `<span class="arithmatex">\\(..\\)`
  and `<div class="arithmatex">\\[..\\]`.
- Notebook pages: nbconvert leaves `$..$` and `$$..$$` as text in markdown cells
  (`.jp-RenderedMarkdown`). Only text outside `<code>`/`<pre>` in those cells is read, so a dollar
  sign in code, in a printed output or in ordinary prose elsewhere is never taken for math.

Why KaTeX (npm `katex`, pinned in package.json) rather than MathJax in Node: it renders a formula
synchronously from one self-contained file, so one Node process (hooks/formulas.js) handles a
build's formulas in a batch per page over stdin/stdout; its output is plain HTML with fixed
sizes plus MathML for screen readers, styled by one 22 KB (4 KB gzipped) stylesheet and woff2
fonts the browser fetches only for the glyphs a page uses. Nothing is laid out in the browser,
so nothing moves after the page loads (MathJax typesetting in the browser cost a topic page a
layout shift of 0.226 to 0.443 and hundreds of ms of blocking time; now the shift is 0).
MathJax's server-side CHTML output needs its own generated CSS per page, and its SVG output
inlines every glyph's outline into the HTML.

- Each formula's HTML is cached on disk (`.cache/katex/`, keyed on the TeX, display or inline,
  KaTeX's version and formulas.js), so `mkdocs serve` starts Node only for a new formula.
- A formula KaTeX rejects fails the build, naming the page and the formula.
- Display math gets a "TeX source" disclosure with the source in a code block (Material's copy
  button copies it); the MathML carries the TeX too, as an annotation. An inline formula and the
  punctuation after it never break apart.
- The stylesheet (`assets/vendor/katex/katex.css`) is KaTeX's own, with woff2 fonts only, and only
  the font families the site's formulas use, followed by formulas.css (how formulas sit in our
  pages); it is linked from the pages that have math. search_index.py keeps KaTeX's visual HTML
  out of the search index.
"""

from __future__ import annotations

import functools
import hashlib
import html as htmlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import vendor  # hooks/vendor.py
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).with_suffix(".js")
STYLESHEET = Path(__file__).with_suffix(".css")  # how formulas sit in our pages
CACHE = ROOT / ".cache" / "katex"
KATEX_CSS = "assets/vendor/katex/katex.css"

# Markdown pages (arithmatex, generic mode).
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex(?P<classes>[^"]*)"(?P<attrs>[^>]*)>'
    r"(?P<tex>.*?)</(?P=tag)>",
    re.DOTALL,
)
ARITHMATEX_WRAP = re.compile(r"^\s*\\[(\[](?P<tex>.*?)\\[)\]]\s*$", re.DOTALL)
# Notebook pages: tags (with code and pre taken whole, so their text is never read) and text.
TAG = re.compile(
    r"<!--.*?-->|<(pre|code|script|style|textarea)\b.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE
)
DOLLARS = re.compile(
    r"(?<![\\$])\$\$(?P<display>.+?)(?<!\\)\$\$"  # $$ display $$
    r"|(?<![\\$])\$(?!\s)(?P<inline>(?:\\.|[^$\\])+?)(?<![\s\\])\$(?!\d)",  # $inline$, not $5
    re.DOTALL,
)
PLACEHOLDER = re.compile("\x02(\\d+)\x03(?P<after>[.,;:!?)\\]]*)")
ALONE_IN_PARAGRAPH = re.compile("<p>\\s*(\x02\\d+\x03)\\s*</p>")

# The Node process (started on the first formula missing from the cache), the cache key's salt
# (KaTeX's version and the renderer), and the HTML of every formula of this build.
_state: dict = {"process": None, "salt": "", "used": set()}


def _key(tex: str, display: bool) -> str:
    return hashlib.sha256(f"{_state['salt']}\0{display}\0{tex}".encode()).hexdigest()


def _node() -> subprocess.Popen:
    if _state["process"] is None:
        if shutil.which("node") is None:
            raise PluginError("math needs Node.js to render formulas: install nodejs and npm")
        _state["process"] = subprocess.Popen(
            ["node", str(RENDERER)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
    return _state["process"]


def render(formulas: list[tuple[str, bool]], where: str) -> list[str]:
    """KaTeX's HTML for each (tex, display), from the cache or from one call to Node."""
    keys = [_key(tex, display) for tex, display in formulas]
    found = {}
    for key in set(keys):
        path = CACHE / key[:2] / key
        if path.exists():
            found[key] = path.read_text(encoding="utf-8")
    missing = [(k, f) for k, f in dict(zip(keys, formulas, strict=True)).items() if k not in found]
    if missing:
        process = _node()
        request = [{"tex": tex, "display": display} for _, (tex, display) in missing]
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        if not answer:
            raise PluginError("the KaTeX renderer (hooks/formulas.js) stopped; see its error above")
        for (key, (tex, display)), result in zip(missing, json.loads(answer), strict=True):
            if "error" in result:
                kind = "display" if display else "inline"
                raise PluginError(
                    f"{where}: KaTeX cannot render {kind} math {tex!r}: {result['error']}"
                )
            found[key] = result["html"]
            path = CACHE / key[:2] / key
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write, then rename: builds running side by side never read half a file.
            with tempfile.NamedTemporaryFile(
                "w", dir=path.parent, delete=False, encoding="utf-8"
            ) as f:
                f.write(result["html"])
            os.replace(f.name, path)
    return [found[key] for key in keys]


def _block(katex_html: str, tex: str, attrs: str) -> str:
    """A display formula as a block, with its TeX source one click away."""
    source = htmlib.escape(tex, quote=False)
    return (
        f'<div class="math-display"{attrs}>{katex_html}'
        '<details class="math-tex"><summary>TeX source</summary>'
        f"<pre><code>{source}</code></pre></details></div>"
    )


class Formula:
    def __init__(self, tex: str, display: bool, block: bool, attrs: str = "") -> None:
        self.tex, self.display, self.block, self.attrs = tex.strip(), display, block, attrs


def _markdown_math(html: str, formulas: list[Formula]) -> str:
    def replace(match: re.Match) -> str:
        wrapped = ARITHMATEX_WRAP.match(htmlib.unescape(match["tex"]))
        if not wrapped:
            return match[0]
        block = match["tag"] == "div"
        attrs = " " + match["attrs"].strip() if match["attrs"].strip() else ""
        formulas.append(Formula(wrapped["tex"], block, block, attrs))
        return f"\x02{len(formulas) - 1}\x03"

    return ARITHMATEX.sub(replace, html)


def _notebook_math(html: str, formulas: list[Formula]) -> str:
    out, position, depth = [], 0, 0  # depth: open <div>s inside a markdown cell; 0 = outside

    def replace(match: re.Match) -> str:
        display = match["display"] is not None
        tex = htmlib.unescape(match["display"] if display else match["inline"])
        formulas.append(Formula(tex, display, block=False))
        return f"\x02{len(formulas) - 1}\x03"

    for tag in TAG.finditer(html):
        text = html[position : tag.start()]
        out.append(DOLLARS.sub(replace, text) if depth else text)
        out.append(tag[0])
        position = tag.end()
        name = tag[0][1:5].lower()
        if depth and name.startswith("div"):
            depth += 1
        elif depth and name.startswith("/div"):
            depth -= 1
        elif name.startswith("div") and "jp-RenderedMarkdown" in tag[0]:
            depth = 1
    out.append(html[position:])
    html = "".join(out)

    def unwrap(match: re.Match) -> str:  # $$..$$ as a paragraph of its own is a block
        formula = formulas[int(match[1][1:-1])]
        if not formula.display:
            return match[0]
        formula.block = True
        return match[1]

    return ALONE_IN_PARAGRAPH.sub(unwrap, html)


def on_pre_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    folder = vendor.require("katex", ("package.json", "dist/katex.min.css", "dist/fonts"))
    version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    _state["salt"] = version + hashlib.sha256(RENDERER.read_bytes()).hexdigest()
    _state["used"] = set()
    # KaTeX's stylesheet is read once per build: `mkdocs serve` keeps this module between builds.
    _katex_css.cache_clear()
    _font_rules.cache_clear()


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    formulas: list[Formula] = []
    html = _markdown_math(html, formulas)
    if page.file.src_uri.endswith(".ipynb"):
        html = _notebook_math(html, formulas)
    if not formulas:
        return html
    rendered = render([(f.tex, f.display) for f in formulas], page.file.src_uri)
    _state["used"].update(rendered)

    def fill(match: re.Match) -> str:
        formula, katex_html = formulas[int(match[1])], rendered[int(match[1])]
        if formula.block:
            return _block(katex_html, formula.tex, formula.attrs) + match["after"]
        if match["after"]:  # no line break between a formula and its full stop
            return f'<span class="math-nowrap">{katex_html}{match["after"]}</span>'
        return katex_html

    html = PLACEHOLDER.sub(fill, html)
    root = "../" * page.url.count("/")
    return _preloads(root, rendered) + f'<link rel="stylesheet" href="{root}{KATEX_CSS}">' + html


def _preloads(root: str, rendered: list[str]) -> str:
    """Preload links for the fonts the page's formulas are set in.

    Without them the browser asks for a font only once it has laid out the page with KaTeX's
    stylesheet, and when the font arrives it restyles and lays out every formula again (the
    MathML for screen readers too): on the Master Notes that second pass was ~190 ms of main
    thread on this machine, a long task on a phone. A late font also changes the width of the
    formulas set in it, and a centred display formula then moves sideways (a layout shift): the
    big brackets and sums in KaTeX_Size1 and KaTeX_Size2 did so on the MLP page.
    """
    folder = KATEX_CSS.rsplit("/", 1)[0]
    fonts = vendor.NODE_MODULES / "katex" / "dist" / "fonts"
    faces = sorted(_faces(rendered), key=lambda face: (face != "KaTeX_Main-Regular", face))
    return "".join(
        f'<link rel="preload" href="{root}{folder}/fonts/{face}.woff2" as="font" '
        'type="font/woff2" crossorigin>'
        for face in faces
        if (fonts / f"{face}.woff2").is_file()
    )


FONT_FACE = re.compile(r"@font-face\{(?P<body>[^}]*)\}")
FAMILY_RULE = re.compile(
    r"(?P<selectors>[^{}]+)\{(?P<body>[^}]*?font(?:-family)?:[^};]*?(?P<family>KaTeX_\w+)[^}]*)\}"
)


@functools.cache
def _katex_css() -> str:
    return (vendor.NODE_MODULES / "katex" / "dist" / "katex.min.css").read_text(encoding="utf-8")


@functools.cache
def _font_rules() -> tuple[tuple[tuple[str, ...], str], ...]:
    """KaTeX's rules that set a font, read once: the classes each selector needs, and the file.

    The rule's weight and style say which of the family's files it is, e.g. "KaTeX_Size2-Regular".
    """
    rules = []
    for rule in FAMILY_RULE.finditer(_katex_css()):
        bold = "Bold" if re.search(r"font-weight:(?:bold|[6-9]00)", rule["body"]) else ""
        italic = "Italic" if "font-style:italic" in rule["body"] else ""
        face = f"{rule['family']}-{bold + italic or 'Regular'}"
        for selector in rule["selectors"].split(","):
            needed = tuple(re.findall(r"\.([\w-]+)", selector))
            if needed:
                rules.append((needed, face))
    return tuple(rules)


def _faces(fragments: Iterable[str]) -> set[str]:
    """The fonts the formulas in `fragments` (KaTeX's HTML) are set in, e.g. "KaTeX_Size2-Regular":
    those of every rule one of whose selectors has all its classes in the formulas."""
    classes = set()
    for fragment in fragments:
        for names in re.findall(r'class="([^"]+)"', fragment):
            classes.update(names.split())
    faces = {"KaTeX_Main-Regular"}  # .katex itself
    faces.update(face for needed, face in _font_rules() if classes.issuperset(needed))
    return faces


def _stylesheet(used_html: set[str]) -> tuple[str, list[str]]:
    """KaTeX's CSS with woff2 fonts only, for the font families the formulas use; the font files."""
    families = {face.split("-")[0] for face in _faces(used_html)}
    fonts = []

    def face(match: re.Match) -> str:
        body = match["body"]
        family = re.search(r"font-family:\"?(KaTeX_\w+)", body)[1]
        woff2 = re.search(r"url\((fonts/[^)]+\.woff2)\) format\(\"woff2\"\)", body)[1]
        if family not in families:
            return ""
        fonts.append(woff2)
        return (
            "@font-face{" + re.sub(r"src:[^;}]+", f'src:url({woff2}) format("woff2")', body) + "}"
        )

    return FONT_FACE.sub(face, _katex_css()), fonts


def on_post_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    _stop()
    if not _state["used"]:
        return
    css, fonts = _stylesheet(_state["used"])
    target = Path(config["site_dir"]) / KATEX_CSS
    target.parent.mkdir(parents=True, exist_ok=True)
    ours = STYLESHEET.read_text(encoding="utf-8")
    target.write_text(f"{css}\n{ours}", encoding="utf-8")
    vendor.copy("katex/dist", tuple(fonts), target.parent)


def on_build_error(error):  # noqa: ANN001, ANN201 - MkDocs hook
    _stop()


def _stop() -> None:
    process = _state.pop("process", None)
    _state["process"] = None
    if process is not None:
        process.stdin.close()
        process.wait(timeout=30)
