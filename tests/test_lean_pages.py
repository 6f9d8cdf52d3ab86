"""Lean notebook pages (hooks/assets.py, hooks/used_css.py) and a lean search index
(hooks/search_index.py): only the JupyterLab CSS the pages use, once; an index of prose."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import used_css  # hooks/used_css.py, on sys.path through conftest.py
from bs4 import BeautifulSoup
from jupyterlab_pygments import JupyterStyle
from pygments.formatters import HtmlFormatter

JUPYTER_ASSETS = Path(__import__("mkdocs_jupyter").__file__).parent / "templates/mkdocs_html/assets"
# Classes JupyterLab styles only in states a static page never has: deliberately not shipped.
DROPPED = {
    "jp-CodeCell": "only with scrolled outputs or side-by-side mode",
    "jp-Editor": "only as a drop target while dragging cells",
    "jp-MarkdownCell": "only on hover in the editor, and its prompt, which extra.css hides",
    "jp-Notebook-cell": "only as a drag source or drop target, or side by side",
    "jp-RenderedMarkdown": "only with the -ignore modifier for tables",
    "jp-RenderedSVG": "only for an inline <svg>; nbconvert embeds SVG as an <img>",
}


def _original_css() -> str:
    """What mkdocs-jupyter inlined into every notebook page: JupyterLab, both themes, Pygments."""
    names = ("index.css", "theme-light.css", "theme-dark.css")
    css = "".join((JUPYTER_ASSETS / name).read_text(encoding="utf-8") for name in names)
    return css + HtmlFormatter(style=JupyterStyle).get_style_defs(".highlight-ipynb")


def _classes_in(css: str) -> set[str]:
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", re.sub(r"\{[^}]*\}", "{}", css)))


def _notebook_pages(site: Path) -> list[Path]:
    return sorted((site / "notebooks").glob("*/index.html"))


def test_notebook_pages_share_one_lean_jupyter_stylesheet(built_site: Path) -> None:
    css = built_site / "assets" / "stylesheets" / "jupyter.css"
    assert 2_000 < css.stat().st_size < 40_000  # JupyterLab's whole CSS is ~580 KB
    for page in _notebook_pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert "<style" not in html and html.count("assets/stylesheets/jupyter.css") == 1


def test_every_jupyter_class_on_notebook_pages_is_styled_or_deliberately_dropped(
    built_site: Path,
) -> None:
    lean = (built_site / "assets" / "stylesheets" / "jupyter.css").read_text(encoding="utf-8")
    styled_before, styled_now = _classes_in(_original_css()), _classes_in(lean)
    used = set()
    for page in _notebook_pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for wrapper in soup.select(".jupyter-wrapper"):
            for element in [wrapper, *wrapper.find_all(True)]:
                used.update(element.get("class") or ())
    unstyled = sorted(used & styled_before - styled_now - set(DROPPED))
    assert not unstyled, f"styled by JupyterLab, on a page, but no longer styled: {unstyled}"
    assert set(DROPPED) <= used, "a class in DROPPED is no longer on any page: remove it"
    # The code colours in use are all there (Pygments token classes inside code cells).
    tokens = {c for c in used if re.fullmatch(r"[a-z]{1,3}\d?", c)}
    pygments = _classes_in(HtmlFormatter(style=JupyterStyle).get_style_defs(".x"))
    assert tokens & pygments <= styled_now
    # Dark scheme: the rules for the slate scheme whose elements exist came along.
    assert "[data-md-color-scheme=slate] .jupyter-wrapper{" in lean


def test_used_css_keeps_state_pseudo_and_dark_rules_and_drops_the_rest() -> None:
    page = (
        '<html><body data-md-color-scheme="default"><div class="a"><p class="b">x</p></div>'
        '<ul><li class="c">1</li><li class="c">2</li></ul></body></html>'
    )
    css = (
        ":root{--used:red;--unused:blue;--chain:var(--used)}"
        ".a .b:hover::before{color:var(--chain)}"
        "[data-md-color-scheme=slate] .a{color:white}"
        ".missing{color:green}.a .missing,.c:first-child{margin:0}"
        ".a:not(.gone) .b{padding:0}.x~.c{top:0}"
        "@media print{.b{color:black}.missing{color:red}}"
        "@keyframes spin{to{opacity:1}}@keyframes idle{to{opacity:0}}.a{animation:spin 1s}"
    )
    lean = used_css.used_rules(css, [page])
    assert ".a .b:hover::before{color:var(--chain)}" in lean
    assert "--used:red" in lean and "--chain:var(--used)" in lean and "--unused" not in lean
    assert "[data-md-color-scheme=slate] .a{color:white}" in lean
    assert ".c:first-child{margin:0}" in lean and ".missing" not in lean
    assert ".a:not(.gone) .b{padding:0}" in lean and ".x~.c" not in lean
    assert "@media print{.b{color:black}}" in lean
    assert "@keyframes spin" in lean and "idle" not in lean


@pytest.fixture(scope="module")
def search_index(built_site: Path) -> list[dict]:
    return json.loads((built_site / "search" / "search_index.json").read_text())["docs"]


def test_search_index_has_no_code_cells_copy_labels_pilcrows_or_math_markup(
    built_site: Path, search_index: list[dict]
) -> None:
    assert (built_site / "search" / "search_index.json").stat().st_size < 400_000
    for entry in search_index:
        text = entry["title"] + " " + entry["text"]
        assert "¶" not in text and "Copied!" not in text, entry["location"]
        assert "<pre>" not in entry["text"], entry["location"]  # no whole listings
        assert "\\frac" not in text and "\u2061" not in text, entry["location"]


def test_search_index_still_finds_prose_of_topic_pages_and_notebooks(
    search_index: list[dict],
) -> None:
    def pages_with(word: str) -> set[str]:
        return {e["location"].split("#")[0] for e in search_index if word in e["text"]}

    # A name in inline code, and a word of a formula (from its MathML), on both kinds of page.
    assert {"lecture/training-loop/", "notebooks/17-training/"} <= pages_with("zero_grad")
    assert any(p.startswith("notebooks/") for p in pages_with("tanh"))
    assert "lecture/derivatives/" in pages_with("nudge")
