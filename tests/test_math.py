"""Math is rendered at build time (hooks/formulas.py, KaTeX): pages carry HTML + MathML, no math
script; a bad formula fails the build; dollar signs in code are not math; formulas look right in
both colour schemes."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import formulas  # hooks/formulas.py, on sys.path through conftest.py
import pytest
from mkdocs.exceptions import PluginError
from site_pages import open_page

ROOT = Path(__file__).resolve().parent.parent
TOPIC_PAGE = "lecture/derivatives/"
RAW_TEX = re.compile(r"\\frac|\\\(|\\\[|\$\$|\\tanh|\\partial|\\cdot")


def _html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts]


def _notebook_page_with_math(site: Path) -> str:
    for page in sorted((site / "notebooks").glob("*/index.html")):
        if 'class="katex-display"' in page.read_text(encoding="utf-8"):
            return f"notebooks/{page.parent.name}/"
    pytest.fail("no notebook page has display math")


def test_no_page_ships_a_math_script(built_site: Path) -> None:
    assert not (built_site / "assets" / "vendor" / "mathjax").exists()
    assert not list(built_site.rglob("katex*.js")) and not list(built_site.rglob("mathjax*"))
    for page in _html_pages(built_site):
        scripts = re.findall(r"<script\b[^>]*>", page.read_text(encoding="utf-8"))
        assert not [s for s in scripts if re.search(r"mathjax|katex|tex-", s, re.I)], page


def test_formulas_are_html_and_mathml_on_topic_notebook_and_master_notes_pages(
    built_site: Path,
) -> None:
    notebook = _notebook_page_with_math(built_site)
    for path in (TOPIC_PAGE, "master-notes/", notebook):
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        assert html.count('<span class="katex">') > 3, path
        assert '<math xmlns="http://www.w3.org/1998/Math/MathML"' in html, path
        assert 'class="arithmatex"' not in html, path  # every formula was rendered
        assert "assets/vendor/katex/katex.css" in html, path
    # The notebook's markdown: KaTeX inside a rendered markdown cell, not raw dollars.
    html = (built_site / notebook / "index.html").read_text(encoding="utf-8")
    cell = html[html.index("jp-RenderedMarkdown") :]
    assert '<span class="katex">' in cell


def test_katex_stylesheet_serves_only_woff2_fonts_that_exist(built_site: Path) -> None:
    folder = built_site / "assets" / "vendor" / "katex"
    css = (folder / "katex.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert fonts and all(font.endswith(".woff2") for font in fonts)
    assert all((folder / font).is_file() for font in fonts)
    assert {p.suffix for p in (folder / "fonts").iterdir()} == {".woff2"}
    assert "KaTeX_Main" in css and "KaTeX_Math" in css
    assert ".math-display" in css  # our layout rules come with it


def test_display_math_has_its_tex_source_to_copy(built_site: Path) -> None:
    html = (built_site / TOPIC_PAGE / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="math-display">.*?</details></div>', html, re.DOTALL)[0]
    tex = re.search(r'<annotation encoding="application/x-tex">(.*?)</annotation>', block)[1]
    source = re.search(r"<summary>TeX source</summary><pre><code>(.*?)</code></pre>", block)[1]
    assert html_module.unescape(source) == html_module.unescape(tex) and "\\" in source


def test_a_formula_katex_rejects_fails_the_build_naming_page_and_formula() -> None:
    formulas.on_pre_build({})
    try:
        with pytest.raises(PluginError, match=r"lecture/broken\.md.*\\\\frac\{1\}\{"):
            formulas.render([("x^2", False), ("\\frac{1}{", True)], "lecture/broken.md")
    finally:
        formulas._stop()


def test_dollar_signs_in_code_outputs_and_prices_are_not_math() -> None:
    html = (
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><p>It costs $5 and $10; '
        "<code>f'${x}'</code> prints, while $x &lt; y$ is math.</p>"
        "<pre>$not math$</pre><div><p>$$a+b$$</p></div></div>"
        '<div class="jp-OutputArea"><pre>cost: $3 $4$</pre></div><p>$outside$</p>'
    )
    found: list = []
    result = formulas._notebook_math(html, found)
    assert [(f.tex, f.display) for f in found] == [("x < y", False), ("a+b", True)]
    assert "$5 and $10" in result and "${x}" in result and "$not math$" in result
    assert "cost: $3 $4$" in result and "$outside$" in result
    assert found[1].block  # a $$..$$ paragraph of its own becomes a block


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_formulas_render_in_both_schemes_with_no_raw_tex_visible(
    built_site: Path, site_url: str, browser, scheme: str, tmp_path: Path
) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        for path in (TOPIC_PAGE, _notebook_page_with_math(built_site)):
            page, log = open_page(context, site_url, path)
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.dataset.mdColorScheme") == expected
            formula = page.locator("article .math-display .katex-html").first
            formula.scroll_into_view_if_needed()
            assert formula.is_visible() and formula.bounding_box()["height"] > 20
            # MathML for screen readers, visually hidden; KaTeX's fonts loaded.
            assert page.locator("article .katex-mathml math").count() > 3
            assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
            # Formulas take the text colour of the scheme, like the prose around them.
            colours = page.evaluate(
                "() => [getComputedStyle(document.querySelector('article .katex')).color,"
                " getComputedStyle(document.querySelector('article p')).color]"
            )
            assert colours[0] == colours[1]
            # No TeX left as text, outside code.
            text = page.evaluate(
                "() => { const a = document.querySelector('article').cloneNode(true);"
                " a.querySelectorAll('pre, code, .katex-mathml').forEach(e => e.remove());"
                " return a.innerText; }"
            )
            assert not RAW_TEX.search(text), RAW_TEX.search(text)
            page.screenshot(path=str(tmp_path / f"{path.strip('/').replace('/', '-')}.png"))
            assert not log.errors and not log.failed
            page.close()
    finally:
        context.close()
