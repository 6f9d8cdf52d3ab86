"""MkDocs hook: what live code blocks need in the browser, served from the site itself.

A fenced block written as ```` ```python {.live} ```` gets a Run button on the page
(`docs/assets/javascripts/live.js`). Running it needs three things, all copied into `site/` here:

- Pyodide (npm package `pyodide`): CPython compiled to WebAssembly, in `assets/vendor/pyodide/`.
- Graphviz compiled to WebAssembly (npm package `@viz-js/viz`), in `assets/vendor/viz/`, so
  `draw_dot(...)` can be drawn in the page without the `dot` program.
- `assets/live/micrograd.zip`: the `micrograd` package as it is in `src/` at build time, plus the
  pure-Python `graphviz` package it imports, unpacked by the page into Pyodide's file system. The
  browser runs exactly the code the notebooks ran. `live_runner.py` (beside this hook) goes in
  too: it runs a block and reports its output, last value or traceback.

Nothing is downloaded at build time: every file comes from `node_modules/` (`npm ci`) or the venv.
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import vendor  # hooks/vendor.py
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
# The files `loadPyodide()` fetches: loader, runtime, standard library and package index.
PYODIDE_FILES = (
    "pyodide.js",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
VIZ_FILES = ("viz-global.js",)  # the build with the WebAssembly inside, as one classic script
ENGINE = ROOT / "src" / "micrograd"
RUNNER = Path(__file__).resolve().parent / "live_runner.py"
ARCHIVE = "assets/live/micrograd.zip"
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


def write_archive(target: Path) -> None:
    """Zip the engine, the graphviz package (Python sources only) and the runner into `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    members = [(RUNNER, RUNNER.name)]
    for package in (ENGINE, _graphviz_package()):
        for path in sorted(package.rglob("*.py")):
            members.append((path, f"{package.name}/{path.relative_to(package).as_posix()}"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def on_post_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    site = Path(config["site_dir"])
    vendor.copy("pyodide", PYODIDE_FILES, site / "assets" / "vendor" / "pyodide")
    vendor.copy("@viz-js/viz/dist", VIZ_FILES, site / "assets" / "vendor" / "viz")
    write_archive(site / ARCHIVE)
