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
"""

from __future__ import annotations

import importlib.util
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
