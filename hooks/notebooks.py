"""MkDocs hook: put the notebooks of `notebooks/` into the site, executed, with a header.

1. `on_files` registers every `notebooks/*.ipynb` as a page at `notebooks/<name>/`, as if it lived
   in `docs/notebooks/`. It must run before mkdocs-jupyter's own `on_files` (which only wraps the
   files it already sees), hence the raised priority.
2. Before registering, each notebook is executed (two at a time) and the executed copy is cached
   in `.cache/notebooks/`. The cache key covers the notebook, the engine's source and the pinned
   requirements, so editing `src/micrograd` re-runs the notebooks, and an unchanged tree re-runs
   nothing. A cell that raises fails the build with the notebook's name, the cell and the error.
3. Each notebook page gets a header: the moment of the video, "download" and "open in Colab",
   and a line on what the set-up cell does; the clean (output-free) notebook is copied next to
   the page for the download link.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import engine_wheel  # hooks/engine_wheel.py
import lecture  # hooks/lecture.py
import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

log = logging.getLogger("mkdocs.hooks.notebooks")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
# MICROGRAD_NOTEBOOK_CACHE lets a benchmark time a clean build without emptying the real cache.
CACHE_DIR = Path(os.environ.get("MICROGRAD_NOTEBOOK_CACHE", ROOT / ".cache" / "notebooks"))
# Inputs besides the notebook itself whose change must re-run every notebook.
CACHE_INPUTS = ("src/micrograd", "requirements.txt", "hooks/notebooks.py", "hooks/matplotlibrc")
CELL_TIMEOUT = 600  # seconds; generous, a cell that takes this long is a bug
WORKERS = 2


def cache_key(notebook: Path, root: Path = ROOT) -> str:
    """A hash of everything an executed notebook's outputs depend on."""
    digest = hashlib.sha256(notebook.read_bytes())
    for name in CACHE_INPUTS:
        path = root / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


def execute(notebook: Path, destination: Path) -> None:
    """Run every cell of `notebook` in a fresh kernel and write the result to `destination`."""
    nb = nbformat.read(notebook, as_version=4)
    failed: dict[str, int] = {}

    def remember_failure(cell, cell_index, execute_reply):  # noqa: ANN001 - nbclient hook
        failed.setdefault("index", cell_index)

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,  # no timestamps in the outputs: the same notebook, the same bytes
        resources={"metadata": {"path": str(notebook.parent)}},
        on_cell_error=remember_failure,
        # The kernel's own log is noise in the build output (ipykernel warns on every start that
        # its local TCP sockets are unencrypted); errors in cells are reported by nbclient.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute()
    except CellExecutionError as error:
        cell = failed.get("index", -1) + 1
        raise PluginError(
            f"notebook notebooks/{notebook.name} failed in cell {cell}: "
            f"{error.ename}: {error.evalue}"
        ) from None
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".partial")
    nbformat.write(nb, partial)
    partial.replace(destination)  # never leave a half-written notebook in the cache


def executed_notebooks(notebooks: list[Path]) -> dict[Path, Path]:
    """Map each notebook to its executed copy in the cache, executing the ones not cached yet."""
    # Deterministic output: matplotlib stamps SVGs with a date and random ids unless told not to.
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    os.environ["MATPLOTLIBRC"] = str(ROOT / "hooks" / "matplotlibrc")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Each executed copy sits at <entry>/notebooks/<name>.ipynb, so that the page's source path,
    # which MkDocs derives from src_dir + "notebooks/<name>.ipynb", is the executed copy.
    targets = {
        nb: CACHE_DIR / f"{nb.stem}-{cache_key(nb)}" / "notebooks" / nb.name for nb in notebooks
    }
    missing = [nb for nb, target in targets.items() if not target.exists()]
    if missing:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            # Last chapter first: the later notebooks do the most work (the two-moons training
            # alone is a third of all the CPU time, PyTorch takes seconds to import), and one
            # that starts last would leave a single core working while the other waits.
            futures = [pool.submit(execute, nb, targets[nb]) for nb in reversed(missing)]
            for future in futures:
                future.result()  # re-raises the first failure, naming its notebook
        log.info("executed %d notebook(s) in %.1f s", len(missing), time.perf_counter() - started)
    # Drop cached copies that no current notebook uses, so the cache does not grow forever.
    keep = {target.parent.parent for target in targets.values()}
    for entry in CACHE_DIR.iterdir():
        if entry not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    return targets


@event_priority(50)
def on_files(files, config):  # noqa: ANN001, ANN201 - MkDocs hook
    notebooks = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    for source, executed in executed_notebooks(notebooks).items():
        files.append(
            File(
                f"notebooks/{source.name}",
                src_dir=str(executed.parent.parent),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files


def _is_notebook(page) -> bool:  # noqa: ANN001
    return page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".ipynb")


def _colab_url(repo_url: str, name: str) -> str:
    repo = repo_url.rstrip("/").removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/{name}"


def on_page_context(context, page, config, nav):  # noqa: ANN001, ANN201 - MkDocs hook
    if _is_notebook(page):
        # The page's source is notebooks/<name>.ipynb in the repository, not docs/notebooks/...
        name = page.file.src_uri.removeprefix("notebooks/")
        page.edit_url = f"{config['repo_url'].rstrip('/')}/edit/main/notebooks/{name}"
    return context


def on_page_content(html_content, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    if not _is_notebook(page):
        return html_content
    name = page.file.src_uri.removeprefix("notebooks/")
    chapter = lecture.load_lecture().chapter_for_notebook(name)
    buttons = []
    if chapter is not None:
        buttons.append(
            f'<a class="md-button md-button--primary video-link" href="{chapter.url}" '
            f'title="Watch chapter {chapter.number} from {chapter.timestamp}">'
            f"▶ Watch from {chapter.timestamp}</a>"
        )
    buttons.append(
        f'<a class="md-button" href="{html.escape(name)}" download>Download notebook</a>'
    )
    buttons.append(
        f'<a class="md-button" href="{_colab_url(config["repo_url"], name)}">Open in Colab</a>'
    )
    header = f'<div class="notebook-actions">{"".join(buttons)}</div>'
    if chapter is not None:
        # The chapter this notebook belongs to: its topic page and its Master Notes entry.
        topic_path, _, anchor = chapter.topic.partition("#")
        topic = get_relative_url(files.get_file_from_path(topic_path).url, page.url)
        master = files.get_file_from_path("master-notes.md").url
        entry = f"{get_relative_url(master, page.url)}#chapter-{chapter.number}"
        header += (
            f'<p class="notebook-chapter">Chapter {chapter.number} of the lecture, '
            f"“{html.escape(chapter.title)}”: "
            f'<a href="{topic}{"#" + anchor if anchor else ""}">the notes on it</a> · '
            f'<a href="{entry}">its Master Notes entry</a></p>'
        )
    # A notebook often shares its title with the topic page it goes with: tell them apart in
    # the navigation, in search results and in the browser tab.
    page.title = f"{page.title} (notebook)"
    # One line on the set-up cell (scripts/notebook_setup.py), which every notebook opens with.
    wheel = get_relative_url(engine_wheel.wheel_path(), page.url)
    running = get_relative_url("notebooks/", page.url) + "#running-a-notebook-yourself"
    header += (
        '<p class="notebook-setup">The first code cell installs this site\'s engine, '
        f'<a href="{wheel}"><code>micrograd</code></a>, where it is missing (Colab, your own '
        f'Jupyter); here it does nothing. <a href="{running}">Running a notebook yourself</a></p>'
    )
    # Right under the notebook's title, which is its first heading.
    if "</h1>" in html_content:
        return html_content.replace("</h1>", "</h1>" + header, 1)
    return header + html_content


def on_post_page(output, page, config):  # noqa: ANN001, ANN201 - MkDocs hook
    if _is_notebook(page):
        # The download is the clean notebook from the repository, not the executed copy.
        name = page.file.src_uri.removeprefix("notebooks/")
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NOTEBOOK_DIR / name, target)
    return output
