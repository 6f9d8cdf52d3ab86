"""Keep committed notebooks clean: no outputs, no execution counts, stable cell ids, fixed metadata
(cell tags are kept).

    python scripts/notebooks.py strip     # rewrite every notebook in notebooks/ in the clean form
    python scripts/notebooks.py strip notebooks/06-backprop-expression.ipynb   # only those named
    python scripts/notebooks.py check     # exit 1 and name each notebook that is not clean

The clean form is deterministic, so a notebook that is re-saved without changes does not change
on disk, and the tests can compare a notebook with its clean form byte for byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def clean(notebook: dict) -> dict:
    """The notebook without outputs, with ids cell-1, cell-2, ... and the standard metadata."""
    cells = []
    for index, cell in enumerate(notebook["cells"], start=1):
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        new = {"cell_type": cell["cell_type"], "id": f"cell-{index}", "metadata": {}}
        # Tags are the one piece of cell metadata kept: "figure:<name>" puts the cell's output
        # on a topic page (hooks/figures.py).
        tags = cell.get("metadata", {}).get("tags")
        if tags:
            new["metadata"]["tags"] = list(tags)
        if cell["cell_type"] == "code":
            new["execution_count"] = None
            new["outputs"] = []
        new["source"] = text.strip("\n").splitlines(keepends=True)
        cells.append(new)
    return {"cells": cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}


def dumps(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def unclean_notebooks(directory: Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebooks whose bytes differ from their clean form."""
    unclean = []
    for path in sorted(directory.glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        if text != dumps(clean(json.loads(text))):
            unclean.append(path)
    return unclean


def main(argv: list[str]) -> int:
    if argv[1:2] == ["strip"]:
        paths = [Path(a) for a in argv[2:]] or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
        for path in paths:
            path.write_text(dumps(clean(json.loads(path.read_text(encoding="utf-8")))), "utf-8")
        return 0
    if argv[1:] == ["check"]:
        unclean = unclean_notebooks()
        for path in unclean:
            print(f"{path.name}: has outputs or is not in the clean form; run 'make strip'")
        return 1 if unclean else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
