"""The notebooks as files and as a build step: clean, titled, tied to their chapter, cached."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from mkdocs.exceptions import PluginError
from site_pages import lecture

import notebooks as notebook_hook  # hooks/notebooks.py

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _first_markdown_lines(path: Path) -> list[str]:
    cell = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    assert cell["cell_type"] == "markdown", f"{path.name} must open with a markdown cell"
    return "".join(cell["source"]).splitlines()


def test_committed_notebooks_have_no_outputs_and_are_in_clean_form() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("nbclean", ROOT / "scripts" / "notebooks.py")
    nbclean = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nbclean)
    assert [p.name for p in nbclean.unclean_notebooks()] == []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            assert not cell.get("outputs"), f"{path.name} carries outputs"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_title_and_its_video_moment(notebook: Path) -> None:
    lines = _first_markdown_lines(notebook)
    assert lines[0].startswith("# "), f"{notebook.name}: first line must be '# Title'"
    chapter = lecture.load_lecture().chapter_for_notebook(notebook.name)
    if chapter is None:
        return  # beyond the lecture: no chapter, no video moment
    video_lines = [line for line in lines if line.startswith("Video: ")]
    assert video_lines == [f"Video: [▶ {chapter.timestamp} · {chapter.title}]({chapter.url})"], (
        f"{notebook.name}: the video line must match chapter {chapter.number}"
    )


def _notebook_setup():  # noqa: ANN202 - scripts/notebook_setup.py, loaded by path
    import importlib.util

    spec = importlib.util.spec_from_file_location("setup", ROOT / "scripts" / "notebook_setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_current_set_up_cell(notebook: Path) -> None:
    setup = _notebook_setup()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    # Right after the title cell, so a learner reads it first and "Run all" runs it first.
    assert cells[1]["cell_type"] == "code", f"{notebook.name}: cell 2 must be the set-up cell"
    source = "".join(cells[1]["source"])
    expected = setup.setup_source(setup.draws_graphs({"cells": cells}))
    assert source == expected, (
        f"{notebook.name}: the set-up cell is missing or out of date; "
        "run `python scripts/notebook_setup.py`"
    )
    assert sum(setup.is_setup_cell(cell) for cell in cells) == 1


def test_set_up_cell_installs_the_wheel_the_site_publishes() -> None:
    setup = _notebook_setup()
    for graphs in (False, True):
        source = setup.setup_source(graphs)
        assert f'"{setup.site_url()}"' in source and "MICROGRAD_NOTES_SITE" in source
        assert f'WHEEL = f"{{SITE}}{setup.engine_wheel.wheel_path()}"' in source
        assert "%pip install --quiet " in source
        assert "pip install micrograd" not in source  # never the original from PyPI
        assert ('shutil.which("dot")' in source) == graphs
        assert '%pip install --quiet "micrograd-notes[graph] @ {WHEEL}"' in source


def test_every_notebook_named_by_a_chapter_exists() -> None:
    names = {nb.name for nb in NOTEBOOKS}
    for chapter in lecture.load_lecture().chapters:
        if chapter.notebook:
            assert chapter.notebook in names, f"chapter {chapter.number}: {chapter.notebook}"


def test_notebook_file_names_sort_in_lecture_order() -> None:
    numbers = [int(nb.name.split("-")[0]) for nb in NOTEBOOKS]
    assert numbers == sorted(numbers)
    by_chapter = {c.notebook: c.number for c in lecture.load_lecture().chapters if c.notebook}
    for nb in NOTEBOOKS:
        if nb.name in by_chapter:
            assert int(nb.name.split("-")[0]) == by_chapter[nb.name]


def _copy_inputs(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for name in notebook_hook.CACHE_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / name)
    (root / "notebooks").mkdir()
    shutil.copyfile(NOTEBOOKS[0], root / "notebooks" / NOTEBOOKS[0].name)
    return root


def test_cache_key_changes_when_the_engine_source_changes(tmp_path: Path) -> None:
    root = _copy_inputs(tmp_path)
    notebook = root / "notebooks" / NOTEBOOKS[0].name
    before = notebook_hook.cache_key(notebook, root)
    assert notebook_hook.cache_key(notebook, root) == before  # stable when nothing changes
    engine = root / "src" / "micrograd" / "engine.py"
    engine.write_text(engine.read_text() + "\n# an edit\n")
    assert notebook_hook.cache_key(notebook, root) != before


def test_cache_key_changes_when_requirements_or_notebook_change(tmp_path: Path) -> None:
    root = _copy_inputs(tmp_path)
    notebook = root / "notebooks" / NOTEBOOKS[0].name
    before = notebook_hook.cache_key(notebook, root)
    requirements = root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "\n")
    after_requirements = notebook_hook.cache_key(notebook, root)
    assert after_requirements != before
    notebook.write_text(notebook.read_text() + "\n")
    assert notebook_hook.cache_key(notebook, root) != after_requirements


def test_a_notebook_that_raises_fails_with_its_name_cell_and_error(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Broken"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    source = tmp_path / "99-broken.ipynb"
    nbformat.write(nb, source)
    destination = tmp_path / "out" / "99-broken.ipynb"
    with pytest.raises(PluginError, match=r"99-broken\.ipynb failed in cell 3: ZeroDivisionError"):
        notebook_hook.execute(source, destination)
    assert not destination.exists()  # nothing half-written is cached


def test_executed_copy_is_written_with_outputs(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from micrograd import Value\nprint(Value(2.0) * 3)")]
    source = tmp_path / "ok.ipynb"
    nbformat.write(nb, source)
    destination = tmp_path / "out" / "ok.ipynb"
    notebook_hook.execute(source, destination)
    outputs = nbformat.read(destination, as_version=4).cells[0].outputs
    assert outputs[0]["text"] == "Value(data=6.0, grad=0.0)\n"
