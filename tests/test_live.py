"""Live code: the runner, the files shipped to the browser, and live blocks in Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from site_pages import PageLog, local_sitemap, open_page, origin_of

import live  # hooks/live.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "live"))
import runner  # noqa: E402 - live/runner.py, shipped to the browser as live_runner.py

PYTHON_ASSETS = ("vendor/pyodide/", "vendor/viz/", "live/micrograd.zip", "live/worker.js")
COLD_START = 120_000  # ms; a first run loads Python, a few seconds on a quiet machine


RUN_TWICE = """
import json, sys
import runner
for source in json.load(sys.stdin):
    sent = []
    runner.run(source, sent.append)
    print(json.dumps([json.loads(message) for message in sent]))
"""


def printed(results: list[dict]) -> str:
    return "".join(r["text"] for r in results if r["kind"] == "stdout")


def run_here(*sources: str) -> list[dict]:
    """Run each source in turn with the runner, in a CPython of its own (the runner resets
    modules and builtins, which must not happen to pytest); the results of the last one."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_TWICE],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        cwd=ROOT / "live",
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_runner_streams_printed_output_then_the_last_expression() -> None:
    results = run_here("x = 2\nprint('x is', x)\nx * 21")
    assert printed(results) == "x is 2\n"  # streamed: the first write at once, then batched
    assert results[-2:] == [{"kind": "value", "text": "42"}, {"kind": "done"}]


def test_runner_sends_a_graph_as_dot_source_and_refuses_a_huge_one() -> None:
    graph = run_here("from micrograd import Value, draw_dot\ndraw_dot(Value(2.0) * 3)")[0]
    assert graph["kind"] == "graph" and graph["dot"].startswith("digraph {")
    assert "data 6.0000" in graph["dot"]
    big = run_here(
        "from micrograd import Value, draw_dot\nx = Value(1.0)\n"
        "for _ in range(300):\n    x = x * 2.0\ndraw_dot(x)"
    )[0]
    assert big["kind"] == "graph-too-big" and big["nodes"] > runner.MAX_GRAPH_NODES


def test_runner_reports_an_error_as_a_traceback_of_the_users_code_only() -> None:
    error = run_here("a = 1\nb = a / 0\n")[0]
    assert error["kind"] == "error"
    assert error["text"].startswith("Traceback (most recent call last):")
    assert 'File "<live>", line 2' in error["text"]
    assert error["text"].endswith("ZeroDivisionError: division by zero\n")
    assert "runner" not in error["text"]
    assert "SyntaxError" in run_here("def f(:\n")[0]["text"]


def test_runner_says_input_is_not_supported() -> None:
    error = run_here("name = input('Your name? ')")[0]["text"]
    assert "InputNotSupported: input() is not supported in the page" in error


def test_runner_caps_printed_output_and_counts_the_lines_not_shown() -> None:
    results = run_here("for i in range(100_000):\n    print(i)")
    text = printed(results)
    assert text.splitlines() == [str(i) for i in range(runner.MAX_LINES)]
    assert {"kind": "stdout-hidden", "lines": 100_000 - 2_000, "shown": 2_000} in results


def test_every_run_starts_fresh_whatever_the_last_one_patched() -> None:
    results = run_here(
        "import builtins, sys, micrograd\nleftover = 1\n"
        "micrograd.Value.__add__ = lambda self, other: 'PATCHED'\n"
        "builtins.len = lambda x: -1\nsys.setrecursionlimit(60)",
        "import sys\nfrom micrograd import Value\n"
        "print(Value(1.0) + 2, len('ab'), sys.getrecursionlimit() > 60)\nleftover",
    )
    assert printed(results) == "Value(data=3.0, grad=0.0) 2 True\n"
    assert "NameError" in results[-2]["text"]


def test_runner_handles_a_100000_node_chain() -> None:
    results = run_here(
        "from micrograd import Value\nx = Value(1.0)\nfor _ in range(100_000):\n"
        "    x = x * 1.0\nx.backward()\nprint(x.grad)\nx"
    )
    assert printed(results) == "1.0\n"


def test_archive_ships_the_engine_as_it_is_in_src_and_the_runner(tmp_path: Path) -> None:
    target = tmp_path / "micrograd.zip"
    live.write_archive(target)
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        for source in (ROOT / "src" / "micrograd").glob("*.py"):
            assert archive.read(f"micrograd/{source.name}") == source.read_bytes()
        assert archive.read("live_runner.py") == (ROOT / "live" / "runner.py").read_bytes()
    assert "graphviz/__init__.py" in names
    live.write_archive(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == target.read_bytes()  # reproducible


# -- in the browser --------------------------------------------------------------------------------


def show_editors(page) -> None:  # noqa: ANN001 - a Playwright Page
    """Scroll to the page's first live block, as a learner would: a block becomes an editor (and
    all the others of the page with it) only once it comes near the screen."""
    page.locator(".live-block").first.scroll_into_view_if_needed()
    page.locator(".live-block .cm-content").first.wait_for()


def type_code(page, code: str, block: int = 0) -> None:  # noqa: ANN001 - a Playwright Page
    """Replace the code of a live block, typing like a person (select all, then type)."""
    show_editors(page)
    page.locator(".live-block .cm-content").nth(block).click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def run(page, block: int = 0, timeout: int = COLD_START) -> str:  # noqa: ANN001
    """Press Run and wait for the run to end; the block's output."""
    show_editors(page)
    container = page.locator(".live-block").nth(block)
    container.locator(".live-run").click()
    container.locator(".live-run:not([hidden])").wait_for(timeout=timeout)
    return container.locator(".live-output").inner_text()


def answers_quickly(page) -> bool:  # noqa: ANN001
    """The page's main thread still answers (within a second) while Python is busy."""
    page.wait_for_function("() => true", timeout=1_000)
    return page.evaluate("1 + 1") == 2


@pytest.fixture(scope="module")
def playground(browser, built_site: Path, site_url: str):  # noqa: ANN001, ANN201
    """One Playground for the tests below. Material's instant navigation follows only the links
    of sitemap.xml, which has the deployed site's addresses: it is answered with local ones."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log = PageLog(page, origin_of(site_url))
    sitemap = local_sitemap(built_site, site_url)
    page.route(
        site_url + "sitemap.xml",
        lambda route: route.fulfill(status=200, content_type="application/xml", body=sitemap),
    )
    page.goto(site_url + "playground/", wait_until="networkidle")
    yield page, log
    context.close()


@pytest.mark.site
@pytest.mark.browser
def test_playground_runs_the_neuron_draws_its_graph_and_reruns_after_an_edit(playground) -> None:  # noqa: ANN001
    page, log = playground
    output = run(page)
    assert "o = 0.7071" in output
    assert "x1 = +2.0000    d o / d x1 = -1.5000" in output
    assert "w2 = +1.0000    d o / d w2 = +0.0000" in output
    graph = page.wait_for_selector(".live-graph svg", timeout=30_000)
    assert "grad -1.5000" in graph.inner_html()
    code = page.locator(".cm-content").first.inner_text()
    type_code(page, code.replace('Value(1.0, label="w2")', 'Value(3.0, label="w2")'))
    output = run(page)
    assert "w2 = +3.0000    d o / d w2 = +0.0000" in output
    assert "x2 = +0.0000    d o / d x2 = +1.5000" in output  # w2 * dn, with dn = 0.5
    assert not log.offsite and not log.failed and not log.errors, (log.failed, log.errors)


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("endless", ["while True:\n    pass", "import time\ntime.sleep(60)"])
def test_a_run_that_never_ends_leaves_the_page_responsive_and_stop_ends_it(
    playground,  # noqa: ANN001
    endless: str,
) -> None:
    page, _ = playground
    type_code(page, f"print('started')\n{endless}")
    page.locator(".live-run").click()
    page.locator(".live-stdout", has_text="started").wait_for(timeout=COLD_START)
    assert answers_quickly(page)
    page.locator(".live-stop").click()
    page.locator(".live-problem", has_text="Stopped.").wait_for(timeout=1_000)
    type_code(page, "print('after the stop')")
    assert "after the stop" in run(page)


@pytest.mark.site
@pytest.mark.browser
def test_the_time_limit_stops_a_run_and_says_how_to_go_on(playground) -> None:  # noqa: ANN001
    page, _ = playground
    # The documented per-block setting (data-time-limit, seconds); the default is 30.
    page.locator(".live-block").first.evaluate("block => { block.dataset.timeLimit = 2 }")
    type_code(page, "while True:\n    pass")
    output = run(page)
    assert "Stopped after 2 s: that is the time limit of a run in this page" in output
    assert page.get_by_role("button", name="Run without a time limit").is_visible()
    page.locator(".live-block").first.evaluate("block => { block.dataset.timeLimit = 30 }")


@pytest.mark.site
@pytest.mark.browser
def test_a_patched_micrograd_is_gone_in_the_next_run_and_on_another_page(playground) -> None:  # noqa: ANN001
    page, _ = playground
    type_code(
        page,
        "import micrograd, sys\nmicrograd.Value.__add__ = lambda self, other: 'PATCHED'\n"
        "sys.setrecursionlimit(60)\nprint(micrograd.Value(1.0) + 1)",
    )
    assert "PATCHED" in run(page)
    check = "from micrograd import Value\nprint('sum', (Value(1.0) + 1).data)"
    type_code(page, check)
    assert "sum 2.0" in run(page)
    # Another block, on another page reached by instant navigation: the same Python, no patch.
    page.evaluate("window.sameVisit = true")
    page.evaluate("document.querySelector(\"a[href$='lecture/gradient-accumulation/']\").click()")
    page.wait_for_url("**/lecture/gradient-accumulation/")
    # The address changes before the content is swapped: wait until the Playground's picker is
    # gone and the new page's block is there.
    page.wait_for_function(
        "!document.querySelector('.live-examples') && document.querySelector('.live-block')"
    )
    type_code(page, check)  # scrolls to the block, which becomes an editor
    assert "sum 2.0" in run(page, timeout=30_000)
    assert page.evaluate("window.sameVisit")  # no page load: the worker was kept
    page.go_back()
    page.wait_for_selector(".live-examples .md-button:not([disabled])")  # mounted again


@pytest.mark.site
@pytest.mark.browser
def test_a_100000_node_chain_builds_backpropagates_and_is_freed(playground) -> None:  # noqa: ANN001
    page, _ = playground
    type_code(
        page,
        "from micrograd import Value\nx = Value(1.0)\nfor _ in range(100_000):\n"
        "    x = x * 1.0\nx.backward()\nprint('grad', x.grad)\ndel x\nprint('freed')",
    )
    output = run(page)
    assert "grad 1.0" in output and "freed" in output and "failed" not in output


@pytest.mark.site
@pytest.mark.browser
def test_a_million_printed_lines_are_capped_and_the_page_stays_responsive(playground) -> None:  # noqa: ANN001
    page, _ = playground
    type_code(page, "for i in range(10**6):\n    print(i)")
    page.locator(".live-run").click()
    page.locator(".live-stdout").first.wait_for(timeout=COLD_START)
    assert answers_quickly(page)
    page.locator(".live-run:not([hidden])").wait_for(timeout=COLD_START)
    output = page.locator(".live-output").first
    assert "… 998,000 more lines not shown (the page shows the first 2,000)." in output.inner_text()
    assert page.locator(".live-stdout").inner_text().count("\n") <= 2_000
    assert output.evaluate("box => box.clientHeight") < 700  # its own scrollbar, not the page's


@pytest.mark.site
@pytest.mark.browser
def test_keyboard_only_reach_the_editor_type_leave_it_run_and_read_the_output(playground) -> None:  # noqa: ANN001
    page, _ = playground
    page.locator(".live-examples .md-button").last.focus()  # the control just before the editor
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    page.keyboard.press("Control+A")
    page.keyboard.type("print(6 * 7)\n")
    page.keyboard.press("Tab")  # indents the empty line: still in the editor
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('live-run')")
    page.keyboard.press("Enter")
    output = page.locator(".live-output").first
    output.locator(".live-stdout").wait_for(timeout=COLD_START)
    assert output.get_attribute("aria-live") == "polite"
    assert output.inner_text().strip() == "42"
    assert (
        "Esc then Tab leaves the editor"
        in page.locator(".live-toolbar .live-hint").first.inner_text()
    )


@pytest.mark.site
@pytest.mark.browser
def test_a_failed_download_is_named_within_seconds_and_the_next_run_retries(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    page, _ = open_page(context, site_url, "lecture/gradient-accumulation/")
    failing = {"file": "pyodide.asm.wasm"}

    def abort_the_failing_file(route) -> None:  # noqa: ANN001 - a Playwright Route
        if route.request.url.endswith("/" + failing["file"]):
            route.abort()
        else:
            route.fallback()

    page.route("**/*", abort_the_failing_file)
    messages = {
        "pyodide.asm.wasm": "Python's runtime (pyodide.asm.wasm) could not be loaded",
        "python_stdlib.zip": "Python's standard library (python_stdlib.zip) could not be loaded",
        "micrograd.zip": "the micrograd engine (micrograd.zip) could not be loaded",
    }
    for file, message in messages.items():
        failing["file"] = file
        output = run(page, timeout=10_000)
        assert message in output and "Press Run to try again" in output
    failing["file"] = "nothing-fails"
    assert "Traceback" not in run(page)


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "master-notes/", "notebooks/08-backprop-neuron/"])
def test_pages_without_live_code_load_only_the_tiny_loader(
    site_url: str,
    context,  # noqa: ANN001
    path: str,
) -> None:
    page, log = open_page(context, site_url, path)
    fetched = [url for url in log.requests if "/assets/live/" in url or "/vendor/pyodide" in url]
    assert [url.rsplit("/", 1)[1] for url in fetched] == ["loader.js"]


@pytest.mark.site
@pytest.mark.browser
def test_a_topic_page_loads_python_when_the_learner_shows_intent(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    page, log = open_page(context, site_url, "lecture/gradient-accumulation/")
    assert not [url for url in log.requests if any(a in url for a in PYTHON_ASSETS)]
    show_editors(page)  # the block near the screen: an editor, and still no Python
    assert not [url for url in log.requests if any(a in url for a in PYTHON_ASSETS)]
    page.locator(".live-block .cm-content").first.focus()  # intent: Python starts loading
    output = run(page)
    assert "Traceback" not in output and output.strip()
    assert any("pyodide.asm.wasm" in url for url in log.requests)
    assert not log.offsite and not log.failed and not log.errors, (log.failed, log.errors)


@pytest.mark.site
@pytest.mark.browser
def test_a_live_block_further_down_is_code_until_the_learner_scrolls_to_it(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    """The editor (page.js) is loaded only when a live block comes near the screen; before that
    the block is the page's highlighted code, and tabbing to it lands in the editor."""
    page, log = open_page(context, site_url, "lecture/gradient-accumulation/")
    if page.locator("div.live.highlight").first.evaluate(
        "block => block.getBoundingClientRect().top < 2 * innerHeight"
    ):
        pytest.skip("the page's first live block is near the top: nothing to load lazily")
    assert page.locator(".live-block .live-editor").count() == 0
    assert page.locator(".live-block .live-run").first.is_disabled()  # until the editor is there
    assert not [url for url in log.requests if url.endswith("/assets/live/page.js")]
    code = page.locator("div.live.highlight code").first.inner_text()
    show_editors(page)
    editor = page.locator(".live-block .cm-content").first.inner_text()
    assert editor.split() == code.split()  # the same code (the editor shows blank lines its way)
    assert [url for url in log.requests if url.endswith("/assets/live/page.js")]


# Every layout shift of the page's article (the video dock's room in the right-hand column is
# the player's business), and the height of each live block's code when the page was first laid out.
WATCH_SHIFTS = """
window.articleShifts = [];
{ // a block, so that these names stay out of the page's global scope
// What moved and from where to where, so that a failure names the element.
const name = (node) => !node ? "?" : node.nodeType !== 1 ? `text in ${name(node.parentElement)}`
  : `${node.localName}.${[...node.classList].join(".")}`;
const box = (r) => [r.x, r.y, r.width, r.height].map(Math.round).join(",");
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const inArticle = entry.sources.some((source) => source.node?.closest?.(".md-content")
      || source.node?.parentElement?.closest(".md-content"));
    if (!inArticle) continue;
    const sources = entry.sources.map((source) =>
      `${name(source.node)} ${box(source.previousRect)} -> ${box(source.currentRect)}`);
    window.articleShifts.push({ value: entry.value, at: entry.startTime, sources });
  }
}).observe({ type: "layout-shift", buffered: true });
}
addEventListener("DOMContentLoaded", () => {
  window.codeHeights = [...document.querySelectorAll(".live-block > div.live.highlight")].map(
    (code) => code.getBoundingClientRect().height);
});
"""


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("path", ["playground/", "lecture/manual-backprop/"])
@pytest.mark.parametrize(
    "screen", [{"width": 412, "height": 823}, {"width": 1350, "height": 940}], ids=["phone", "wide"]
)
def test_the_editor_takes_the_place_of_the_code_and_nothing_moves(
    browser,  # noqa: ANN001
    site_url: str,
    path: str,
    screen: dict,
) -> None:
    """hooks/live.py writes each block with its toolbar, status line and (on the Playground) the
    example picker, buttons disabled until the editor has loaded; the editor then takes exactly
    the place of the code, line wrapping included, so no content of the page moves."""
    context = browser.new_context(viewport=screen)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_SHIFTS)
        page.route("**/assets/live/page.js", lambda route: route.abort())
        page.goto(site_url + path, wait_until="load")
        page.locator("div.live.highlight").first.scroll_into_view_if_needed()
        page.locator(".live-status", has_text="could not be loaded").first.wait_for()
        # Before the editor: the controls are there, disabled, and say why.
        run_button = page.locator(".live-block .live-run").first
        assert run_button.is_disabled() and "editor" in run_button.get_attribute("title")
        if path == "playground/":
            assert page.locator(".live-examples .live-example-button").count() >= 3
        page.unroute("**/assets/live/page.js")

        page.reload(wait_until="load")
        show_editors(page)
        for index in range(page.locator(".live-block").count()):
            page.locator(".live-block").nth(index).scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        assert page.locator(".live-block div.live.highlight").count() == 0  # all editors now
        assert page.locator(".live-block .live-run").first.is_enabled()
        editor_heights = page.evaluate(
            "[...document.querySelectorAll('.live-block > .live-editor')]"
            ".map((editor) => editor.getBoundingClientRect().height)"
        )
        assert editor_heights == pytest.approx(page.evaluate("window.codeHeights"), abs=0.5)
        assert page.evaluate("window.articleShifts") == []
    finally:
        context.close()
