"""The strictly built site: pages, links, sitemap, notebooks pages and self-hosted assets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from site_pages import lecture, nav_pages, page_file, parse, sitemap_paths

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.site


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _resolve(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment a same-site URL points to, or None for another host or scheme."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:")):
        return None
    path, fragment = urldefrag(url)
    target = (page.parent / unquote(path)).resolve() if path else page
    if target.is_dir():
        target = target / "index.html"
    return target, fragment


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    parsed = {page: parse(page) for page in _html_files(built_site)}
    broken = []
    for page, parser in parsed.items():
        if page.name == "404.html":
            continue  # its links are absolute to the deployed site, checked in the browser
        for url in parser.links + parser.resources:
            resolved = _resolve(built_site, page, url)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)}: {url} (no file)")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(built_site)}: {url} (no anchor)")
    assert broken == []


def test_sitemap_lists_every_page(built_site: Path) -> None:
    listed = {page_file(built_site, path) for path in sitemap_paths(built_site)}
    pages = {p for p in _html_files(built_site) if p.name == "index.html"}
    assert pages == listed


def test_every_nav_entry_is_a_built_page(built_site: Path) -> None:
    for source in nav_pages():
        path = source.removesuffix(".md").removesuffix(".ipynb")
        path = "" if path == "index" else path.removesuffix("/index")
        assert page_file(built_site, path).exists(), f"nav entry {source} was not built"


def test_nav_lists_every_notebook_in_file_order() -> None:
    listed = [p.removeprefix("notebooks/") for p in nav_pages() if p.endswith(".ipynb")]
    assert listed == [nb.name for nb in NOTEBOOKS]


def test_pages_load_nothing_from_other_hosts(built_site: Path) -> None:
    offsite = []
    for page in _html_files(built_site):
        for url in parse(page).resources:
            if urlsplit(url).netloc:
                offsite.append(f"{page.relative_to(built_site)}: {url}")
    assert offsite == []


def test_home_page_and_404_page_are_ours(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", home).split())  # code is split into coloured spans
    assert "make serve" in text and "make test" in text
    not_found = (built_site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in not_found and "Master Notes" in not_found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_page_is_rendered_with_outputs_and_header(
    built_site: Path, notebook: Path
) -> None:
    page = built_site / "notebooks" / notebook.stem / "index.html"
    html = page.read_text(encoding="utf-8")
    # Rendered by mkdocs-jupyter, with the outputs of the executed copy.
    assert 'class="jp-Notebook"' in html
    assert "jp-OutputArea-output" in html
    # The shared stylesheet replaces the inline JupyterLab CSS.
    assert '<style type="text/css">' not in html
    assert "assets/stylesheets/jupyter.css" in html
    # Download: the clean notebook from the repository, next to the page.
    assert f'href="{notebook.name}" download' in html
    assert (page.parent / notebook.name).read_bytes() == notebook.read_bytes()
    # Open in Colab, built from repo_url.
    repo = re.search(
        r"^repo_url:\s*https://github.com/(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M
    )
    colab = f"https://colab.research.google.com/github/{repo.group(1)}/blob/main/notebooks/"
    assert colab + notebook.name in html
    # The edit link points at the notebook in the repository, not at docs/.
    assert f"/edit/main/notebooks/{notebook.name}" in html
    chapter = lecture.load_lecture().chapter_for_notebook(notebook.name)
    if chapter is not None:
        assert chapter.url.replace("&", "&amp;") in html


def test_notebook_search_entries_exist(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for notebook in NOTEBOOKS:
        assert f"notebooks/{notebook.stem}/" in locations


def test_built_site_has_no_raw_notebook_copies_outside_their_pages(built_site: Path) -> None:
    # Only the download copy next to each notebook page, never a stray raw .ipynb page.
    copies = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.ipynb"))
    expected = sorted(f"notebooks/{nb.stem}/{nb.name}" for nb in NOTEBOOKS)
    assert copies == expected


def test_jupyter_stylesheet_is_shared(built_site: Path) -> None:
    css = built_site / "assets" / "stylesheets" / "jupyter.css"
    # Once for every notebook page, only the JupyterLab rules they use (hooks/used_css.py).
    assert 2_000 < css.stat().st_size < 40_000
