"""MkDocs hook: builds live code (the `live/` folder) into `site/assets/live/`, with what it needs.

A fenced block written as ```` ```python {.live} ```` becomes an editor with a Run button. The
browser side lives in `live/` at the top of the repository (see its files' headers); here it is
put together, from files in the repository and npm packages only, nothing fetched:

- `assets/live/loader.js`, `worker.js`, `live.css`: copied from `live/`.
- `assets/live/page.js`: `live/page.js` bundled with CodeMirror by esbuild (pinned in
  package.json), so nothing that npm provides is committed.
- `assets/live/micrograd.zip`: the `micrograd` package as it is in `src/` at build time, the
  pure-Python `graphviz` package it imports, and `live/runner.py` as `live_runner.py`; the
  worker unpacks it into Pyodide's file system. The browser runs exactly the code the notebooks ran.
- Pyodide (npm `pyodide`) in `assets/vendor/pyodide/` and Graphviz compiled to WebAssembly
  (npm `@viz-js/viz`) in `assets/vendor/viz/`.

Each live block is written into the page with everything page.js shows around it (`live_blocks`):
the toolbar, the status line and the output's places, and on the Playground the example picker,
its buttons disabled until the editor has loaded; `live.css` is linked from the page's head. So
the page has its final layout when it is first drawn, and the editor mounting moves nothing.
"""

from __future__ import annotations

import html
import importlib.util
import re
import zipfile
from pathlib import Path

import vendor  # hooks/vendor.py
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
LIVE = ROOT / "live"
# The files `loadPyodide()` fetches: loader, runtime, standard library and package index.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
VIZ_FILES = ("viz.js",)  # an ES module with the WebAssembly inside, imported by the worker
COPIED = ("loader.js", "worker.js", "live.css")
ENGINE = ROOT / "src" / "micrograd"
RUNNER = LIVE / "runner.py"
TARGET = "assets/live"
# A live block as pymdownx.highlight writes it (attributes such as data-time-limit may follow).
LIVE_BLOCK = re.compile(
    r'<div class="language-python live highlight"[^>]*>.*?</code></pre></div>', re.S
)
EXAMPLE = '<div class="language-python live-example highlight"'
EXAMPLE_TITLE = re.compile(r'<span class="filename">(.*?)</span>')
# What a disabled button says until page.js has loaded (loader.js says why if it cannot).
NOT_YET = "Available once the editor has loaded"


def _button(text: str, classes: str, state: str = f'disabled title="{NOT_YET}"') -> str:
    return f'<button type="button" class="md-button {classes}" {state}>{text}</button>'


TOOLBAR = "".join(
    (
        '<div class="live-toolbar">',
        _button("Run", "md-button--primary live-run"),
        _button("Stop", "live-stop", "hidden"),
        _button("Clear", "live-clear"),
        _button("Reset", "live-reset"),
        '<span class="live-hint">',
        "Ctrl+Enter runs. Tab indents; Esc then Tab leaves the editor.</span>",
        "</div>",
        '<p class="live-status" role="status">',
        "<noscript>Running this code needs JavaScript.</noscript></p>",
        '<progress class="live-progress" hidden aria-label="Loading Python"></progress>',
        '<div class="live-output" aria-live="polite" aria-label="Output" tabindex="0" hidden>',
        "</div>",
        '<div class="live-figures"></div>',
    )
)
# Without JavaScript the Playground's examples are shown as the code they are.
EXAMPLES_WITHOUT_JS = (
    "<noscript><style>.md-typeset div.live-example.highlight[hidden]{display:block}</style>"
    "</noscript>"
)
# A fixed timestamp for every archive member, so the same sources give the same bytes.
ZIP_DATE = (2022, 8, 16, 0, 0, 0)


def _graphviz_package() -> Path:
    spec = importlib.util.find_spec("graphviz")
    if spec is None or spec.origin is None:
        raise PluginError("the Python package 'graphviz' is not installed: run 'make serve'")
    return Path(spec.origin).parent


def on_pre_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    vendor.require("pyodide", PYODIDE_FILES)
    vendor.require("@viz-js/viz/dist", VIZ_FILES)
    vendor.require("codemirror", ("package.json",))
    vendor.require(".bin", ("esbuild",))


def write_archive(target: Path) -> None:
    """Zip the engine, the graphviz package (Python sources only) and the runner into `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    members = [(RUNNER, "live_runner.py")]
    for package in (ENGINE, _graphviz_package()):
        for path in sorted(package.rglob("*.py")):
            members.append((path, f"{package.name}/{path.relative_to(package).as_posix()}"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def bundle(target: Path) -> None:
    """live/page.js and what it imports (CodeMirror from node_modules) as one minified module."""
    vendor.esbuild(
        str(LIVE / "page.js"),
        "--bundle",
        "--format=esm",
        "--minify",
        "--target=es2022",
        "--legal-comments=none",
        f"--outfile={target}",
        what="live/page.js",
    )


def _picker(titles: list[str]) -> str:
    buttons = "".join(_button(title, "live-example-button") for title in titles)
    hint = '<span class="live-hint">Load an example:</span>'
    return f'<div class="live-examples">{hint}{buttons}</div>'


def live_blocks(page_html: str) -> str:
    """`page_html` with each live block inside its `.live-block`, toolbar and all, as page.js
    uses it; on a page with examples (the Playground), the picker before the first block and the
    examples hidden. A page without live blocks is returned as it is."""
    titles = [
        html.unescape(match.group(1)) if match else "Example"
        for match in (
            EXAMPLE_TITLE.match(page_html, found.end() + 1)
            for found in re.finditer(re.escape(EXAMPLE), page_html)
        )
    ]
    first = True

    def wrap(found: re.Match) -> str:
        nonlocal first
        picker = _picker([html.escape(t) for t in titles]) if first and titles else ""
        first = False
        return f'{picker}<div class="live-block">{found.group(0)}{TOOLBAR}</div>'

    page_html, count = LIVE_BLOCK.subn(wrap, page_html)
    if count and titles:
        page_html = page_html.replace(EXAMPLE, f"{EXAMPLE} hidden")
        first_example = page_html.find(EXAMPLE)
        page_html = page_html[:first_example] + EXAMPLES_WITHOUT_JS + page_html[first_example:]
    return page_html


def on_page_content(content: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs hook
    return live_blocks(content)


def on_post_page(output: str, page, config) -> str:  # noqa: ANN001 - MkDocs hook
    """Link live.css from the head of a page with live blocks: its toolbar is styled when the page
    is first drawn. (loader.js links it on pages reached by instant navigation.)"""
    if 'class="live-block"' not in output:
        return output
    href = "../" * page.url.count("/") + f"{TARGET}/live.css"
    link = f'<link rel="stylesheet" href="{href}">'
    return output.replace("</head>", f"{link}\n</head>", 1)


def on_post_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    site = Path(config["site_dir"])
    vendor.copy("pyodide", PYODIDE_FILES, site / "assets" / "vendor" / "pyodide")
    vendor.copy("@viz-js/viz/dist", VIZ_FILES, site / "assets" / "vendor" / "viz")
    target = site / TARGET
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        (target / name).write_bytes((LIVE / name).read_bytes())
    bundle(target / "page.js")
    write_archive(target / "micrograd.zip")
