"""The set-up cell that every notebook opens with, so a downloaded notebook runs anywhere.

    python scripts/notebook_setup.py         # write (or refresh) every notebook's set-up cell
    python scripts/notebook_setup.py check   # exit 1 and name each notebook whose cell is stale

The set-up cell is the first code cell, right after the title cell. When `micrograd` cannot be
imported (a learner's Jupyter, Colab), it installs this project's engine from the wheel that
the site publishes (hooks/engine_wheel.py); in the site's build or a checkout with
`pip install -e .` it does nothing. It stops with a clear error when the `micrograd` it finds
is the original one from PyPI, and in a notebook that draws graphs it says how to get
Graphviz's `dot` when that is missing.

The cell names the wheel's URL (site_url in mkdocs.yml + the wheel's versioned file name), so
run this script after changing the version in pyproject.toml; tests/test_notebooks.py checks it.
MICROGRAD_NOTES_SITE, read by the cell, points it at another copy of the site, for example
http://127.0.0.1:8000/micrograd-notes/ under `mkdocs serve`.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path, name: str):  # noqa: ANN202 - a module
    # By path: hooks/ and scripts/ each have a notebooks.py, and tests import the hook's.
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nbclean = _load(ROOT / "scripts" / "notebooks.py", "nbclean")  # the clean form of a notebook
engine_wheel = _load(ROOT / "hooks" / "engine_wheel.py", "engine_wheel")  # the wheel's name

MARKER = "# Set-up:"  # the first line of the cell, how this script recognises it
ENV_VAR = "MICROGRAD_NOTES_SITE"


def site_url() -> str:
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    if match is None:
        raise SystemExit("mkdocs.yml has no site_url")
    return match.group(1).rstrip("/") + "/"


def draws_graphs(notebook: dict) -> bool:
    """Whether any code cell of the notebook (other than the set-up cell) draws a graph."""
    return any(
        cell["cell_type"] == "code"
        and not "".join(cell["source"]).startswith(MARKER)
        and ("draw_dot" in "".join(cell["source"]) or "graphviz" in "".join(cell["source"]))
        for cell in notebook["cells"]
    )


def setup_source(graphs: bool) -> str:
    """The set-up cell's source; `graphs` adds the check for Graphviz's `dot` program."""
    # Always with the `graph` extra (the small graphviz package), so that a later notebook that
    # draws finds it, whichever notebook installed the engine.
    package = '"micrograd-notes[graph] @ {WHEEL}"'
    source = f"""\
{MARKER} install the `micrograd` engine of these notes if this Python does not have it yet.
# (In a checkout of the repository, or on the site, it is already installed: nothing happens.)
import importlib.util
import os

SITE = os.environ.get("{ENV_VAR}", "{site_url()}")
WHEEL = f"{{SITE}}{engine_wheel.wheel_path()}"
if importlib.util.find_spec("micrograd") is None:
    # pip's note about restarting the kernel does not apply: nothing was imported yet.
    %pip install --quiet {package}
    importlib.invalidate_caches()
elif importlib.util.find_spec("micrograd.graph") is None:
    raise ImportError(
        "This `micrograd` is the original one from PyPI (0.1.0: no tanh, no draw_dot), not the "
        "engine of these notes. Run `%pip uninstall -y micrograd`, restart the kernel, and run "
        "this cell again: it installs the right one."
    )
"""
    if graphs:
        source += """\
if shutil.which("dot") is None:
    print(
        "The graphs below need Graphviz's `dot` program, which is not installed. Get it with "
        "`sudo apt-get install graphviz`, `brew install graphviz` or `conda install graphviz` "
        "(Colab has it), then run the notebook again."
    )
"""
        source = source.replace("import os\n", "import os\nimport shutil\n")
    return source.rstrip("\n")


def is_setup_cell(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "".join(cell["source"]).startswith(MARKER)


def with_setup_cell(notebook: dict) -> dict:
    """The notebook with a current set-up cell right after its title cell."""
    cells = [cell for cell in notebook["cells"] if not is_setup_cell(cell)]
    source = setup_source(draws_graphs(notebook))
    setup = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": []}
    setup["source"] = source.splitlines(keepends=True)
    return nbclean.clean({**notebook, "cells": [cells[0], setup, *cells[1:]]})


def stale_notebooks(directory: Path = nbclean.NOTEBOOK_DIR) -> list[Path]:
    """The notebooks whose set-up cell is missing or not current."""
    stale = []
    for path in sorted(directory.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if nbclean.dumps(with_setup_cell(notebook)) != nbclean.dumps(nbclean.clean(notebook)):
            stale.append(path)
    return stale


def main(argv: list[str]) -> int:
    if argv[1:] == ["check"]:
        stale = stale_notebooks()
        for path in stale:
            print(f"{path.name}: set-up cell missing or out of date (run {argv[0]})")
        return 1 if stale else 0
    if argv[1:]:
        print(__doc__)
        return 2
    for path in sorted(nbclean.NOTEBOOK_DIR.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text = nbclean.dumps(with_setup_cell(notebook))
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
