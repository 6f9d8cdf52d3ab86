"""The built site in headless Chromium: every page loads cleanly, offline, accessibly; search,
math, notebooks and the colour-scheme toggle work."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from site_pages import open_page, sitemap_paths

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [pytest.mark.site, pytest.mark.browser]


# TeX that would show if a formula were left unrendered (math is rendered at build time).
RAW_TEX = re.compile(r"\\frac|\\\(|\\\[|\$\$|\\tanh|\\partial|\\cdot|\\sum")
VISIBLE_TEXT_OUTSIDE_CODE = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("pre, code, .katex-mathml").forEach((element) => element.remove());
  return article.innerText;
}"""


def test_every_page_loads_with_no_error_no_failed_or_offsite_request_no_axe_violation_no_raw_tex(
    built_site: Path, site_url: str, context
) -> None:  # noqa: ANN001
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    for path in sitemap_paths(built_site):
        page, log = open_page(context, site_url, path)
        page.add_script_tag(content=axe)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)"
            ".map(n => n.target.join(' ')).join(', '))"
        )
        raw_tex = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT_OUTSIDE_CODE))
        for kind, items in (
            ("console error", log.errors),
            ("failed request", log.failed),
            ("offsite request", log.offsite),
            ("axe", violations),
            ("raw TeX", raw_tex),
        ):
            problems += [f"/{path}: {kind}: {item}" for item in items]
        page.close()
    assert not problems, "\n".join(problems)


def test_search_finds_a_word_that_only_a_notebook_contains(
    built_site: Path, site_url: str, context
) -> None:  # noqa: ANN001
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    kinds: dict[str, set[bool]] = {}
    counts: Counter[str] = Counter()
    for doc in index["docs"]:
        is_notebook = doc["location"].startswith("notebooks/") and doc["location"] != "notebooks/"
        # Whole words of prose, lowercased as the search tokenizer sees them (search ignores
        # case: a word capitalised in a topic page's title is not a notebook-only word).
        text = (doc["title"] + " " + doc["text"]).lower()
        for word in re.findall(r"(?<![\w.])[a-z]{7,}(?![\w.])", text):
            kinds.setdefault(word, set()).add(is_notebook)
            counts[word] += 1
    only_in_notebooks = [w for w, k in kinds.items() if k == {True}]
    assert only_in_notebooks, "no word appears only in notebooks"
    word = max(only_in_notebooks, key=lambda w: (counts[w], w))
    page, _ = open_page(context, site_url, "")
    query = page.locator("input[data-md-component='search-query']")
    query.click()  # opens the search; the index is built in a web worker meanwhile
    # Type like a person: the search runs on each key, so a query typed before the index was
    # ready is answered as soon as it is.
    query.press_sequentially(word, delay=50)
    result = page.wait_for_selector(".md-search-result__item a", timeout=30_000)
    assert "/notebooks/" in result.get_attribute("href"), word


def _svg_outputs(html: str) -> list[str]:
    """The SVG images a notebook page shows (nbconvert embeds them as base64 data URIs)."""
    found = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(data).decode("utf-8", "replace") for data in found]


def _notebook_with(built_site: Path, *needles: str, in_svg: bool = False) -> str:
    """The first notebook page whose HTML (or, with in_svg, whose SVG outputs) has every needle."""
    for page in sorted((built_site / "notebooks").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        haystack = "\n".join(_svg_outputs(html)) if in_svg else html
        if all(n in haystack for n in needles):
            return f"notebooks/{page.parent.name}/"
    pytest.fail(f"no notebook page contains all of {needles}")


def test_a_notebook_page_shows_a_graphviz_graph_and_a_matplotlib_plot(
    built_site: Path, site_url: str, context
) -> None:  # noqa: ANN001
    # Graphviz marks its drawing with class="graph"; matplotlib names its figure "figure_1".
    path = _notebook_with(built_site, 'class="graph"', 'id="figure_1"', in_svg=True)
    page, _ = open_page(context, site_url, path)
    images = page.locator(".jp-RenderedSVG img, .jp-RenderedImage img")
    assert images.count() >= 2
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 100")


def test_the_scheme_toggle_switches_between_light_and_dark(site_url: str, browser) -> None:  # noqa: ANN001
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(site_url)
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    assert scheme() == "default"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert scheme() == "default"  # system preference (light) -> explicit light
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert scheme() == "slate"
    context.close()


KATEX_FONTS = """() => {
  const file = (url) => url.split("/").pop();
  const fetched = performance.getEntriesByType("resource").map((entry) => entry.name)
    .filter((url) => url.includes("/katex/fonts/")).map(file);
  const preloaded = [...document.querySelectorAll("link[rel=preload][as=font]")]
    .map((link) => file(link.href));
  return { fetched: [...new Set(fetched)].sort(), preloaded: preloaded.sort() };
}"""


@pytest.mark.parametrize(
    "path",
    [
        "master-notes/",
        "lecture/manual-backprop/",
        "lecture/mlp/",
        "lecture/two-moons-demo/",
        "notebooks/14-mlp/",
    ],
)
def test_a_page_preloads_exactly_the_katex_fonts_its_formulas_use(
    site_url: str, context, path: str
) -> None:  # noqa: ANN001
    """A font that arrives after the first layout makes every formula be laid out again, and a
    centred formula set in it moves sideways; a preloaded font that is not used is a wasted
    download (and a console warning)."""
    page, log = open_page(context, site_url, path)
    fonts = page.evaluate(KATEX_FONTS)
    assert fonts["fetched"] == fonts["preloaded"]
    assert "KaTeX_Main-Regular.woff2" in fonts["preloaded"]
    assert log.errors == []


PLACES = """() => {
  const box = (selector) => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return [r.x, r.y].map(Math.round);
  };
  return { title: box(".md-header__title"), heading: box("#why-it-works-to-first-order") };
}"""


def test_the_title_and_the_text_below_an_annotated_code_block_are_in_place_before_the_page_starts(
    site_url: str, browser
) -> None:  # noqa: ANN001
    """The page is painted before the logo's file and Material's script arrive, so what they
    change must not move anything: the logo has its size before its file comes, and the list
    explaining an annotated code block is out of the layout before Material's script makes
    tooltips of it. Compared: the page with both refused, and the page once they have loaded.
    (Wide, because phones show a menu button where the logo is.)"""
    context = browser.new_context(viewport={"width": 1350, "height": 940})
    try:
        page = context.new_page()
        page.route("**/assets/logo.svg", lambda route: route.abort())
        page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        page.goto(site_url + "lecture/optimization-step/", wait_until="networkidle")
        before = page.evaluate(PLACES)
        page.unroute("**/assets/logo.svg")
        page.unroute("**/assets/javascripts/bundle.*.min.js")
        page.reload(wait_until="networkidle")
        assert page.evaluate(PLACES) == before
        assert page.locator(".md-annotation").count() == 1  # Material's tooltip took it over
        assert page.locator("ol.code-annotations").evaluate("list => list.hidden")
    finally:
        context.close()


def test_an_annotated_code_blocks_list_shows_when_materials_script_never_runs(
    site_url: str, browser
) -> None:  # noqa: ANN001
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
        page.goto(site_url + "lecture/optimization-step/", wait_until="load")
        annotations = page.locator("ol.code-annotations")
        assert not annotations.is_visible()
        page.wait_for_timeout(3300)  # the fallback in extra.css reveals it after 3 s
        assert annotations.is_visible()
        assert "Only data changes" in annotations.inner_text()
    finally:
        context.close()
