"""Live code: the runner, the files shipped to the browser, and the Playground in Chromium."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import live  # hooks/live.py
import live_runner  # hooks/live_runner.py, shipped to the browser
import pytest
from site_pages import open_page

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_ASSETS = ("vendor/pyodide/", "vendor/viz/", "live/micrograd.zip")
COLD_START_TIMEOUT = 120_000  # ms; a first run loads Python, a few seconds on a quiet machine


def test_runner_reports_printed_output_and_the_last_expression() -> None:
    report = json.loads(live_runner.run("x = 2\nprint('x is', x)\nx * 21"))
    assert report == {"stdout": "x is 2\n", "value": "42"}


def test_runner_sends_a_graph_as_dot_source() -> None:
    report = json.loads(
        live_runner.run("from micrograd import Value, draw_dot\ndraw_dot(Value(2.0) * 3)")
    )
    assert report["dot"].startswith("digraph {")
    assert "data 6.0000" in report["dot"]


def test_runner_reports_an_error_as_a_traceback_of_the_users_code_only() -> None:
    report = json.loads(live_runner.run("a = 1\nb = a / 0\n"))
    assert report["error"].startswith("Traceback (most recent call last):")
    assert 'File "<live>", line 2' in report["error"]
    assert report["error"].endswith("ZeroDivisionError: division by zero\n")
    assert "live_runner" not in report["error"]
    syntax = json.loads(live_runner.run("def f(:\n"))
    assert "SyntaxError" in syntax["error"]


def test_runner_runs_every_block_in_a_fresh_namespace() -> None:
    live_runner.run("leftover = 1")
    assert "NameError" in json.loads(live_runner.run("leftover"))["error"]


def test_archive_ships_the_engine_as_it_is_in_src(tmp_path: Path) -> None:
    target = tmp_path / "micrograd.zip"
    live.write_archive(target)
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        for source in (ROOT / "src" / "micrograd").glob("*.py"):
            assert archive.read(f"micrograd/{source.name}") == source.read_bytes()
    assert "live_runner.py" in names and "graphviz/__init__.py" in names
    live.write_archive(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == target.read_bytes()  # reproducible


# -- in the browser --------------------------------------------------------------------------------


def _run(page, timeout: int = COLD_START_TIMEOUT) -> str:  # noqa: ANN001 - a Playwright Page
    page.locator(".live-run").first.click()
    page.wait_for_selector(
        ".live-output :is(.live-stdout, .live-value, .live-error)", timeout=timeout
    )
    page.wait_for_function("!document.querySelector('.live-run').disabled", timeout=timeout)
    return page.locator(".live-output").first.inner_text()


@pytest.mark.site
@pytest.mark.browser
def test_playground_runs_the_neuron_draws_its_graph_and_reruns_after_an_edit(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    page, log = open_page(context, site_url, "playground/")
    output = _run(page)
    assert "o = 0.7071" in output
    assert "x1 = +2.0000    d o / d x1 = -1.5000" in output
    assert "w1 = -3.0000    d o / d w1 = +1.0000" in output
    assert "x2 = +0.0000    d o / d x2 = +0.5000" in output
    assert "w2 = +1.0000    d o / d w2 = +0.0000" in output
    graph = page.wait_for_selector(".live-graph svg", timeout=30_000)
    assert "grad -1.5000" in graph.inner_html()

    editor = page.locator(".live-editor").first
    editor.fill(editor.input_value().replace('Value(1.0, label="w2")', 'Value(3.0, label="w2")'))
    output = _run(page, timeout=30_000)
    assert "w2 = +3.0000    d o / d w2 = +0.0000" in output
    assert "x2 = +0.0000    d o / d x2 = +1.5000" in output  # w2 * dn, with dn = 0.5
    assert not log.offsite and not log.failed and not log.errors, (
        log.offsite,
        log.failed,
        log.errors,
    )


@pytest.mark.site
@pytest.mark.browser
def test_playground_shows_a_python_exception_and_loads_examples(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    page, log = open_page(context, site_url, "playground/")
    page.locator(".live-editor").first.fill("from micrograd import Value\nValue('abc')")
    output = _run(page)
    assert "Traceback (most recent call last):" in output
    assert "TypeError" in output and "'abc'" in output
    page.get_by_role("button", name="Reuse bug").click()
    assert "a + a" in page.locator(".live-editor").first.input_value()
    assert "a.grad = 2.0" in _run(page, timeout=30_000)
    assert not log.offsite and not log.failed


@pytest.mark.site
@pytest.mark.browser
def test_a_live_block_on_a_topic_page_runs(
    built_site: Path,
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    pages = sorted(
        p.parent.relative_to(built_site).as_posix() + "/"
        for p in built_site.glob("lecture/*/index.html")
        if re.search(r'class="[^"]*\blive highlight\b', p.read_text(encoding="utf-8"))
    )
    assert pages, "no topic page has a live block"
    page, log = open_page(context, site_url, pages[0])
    output = _run(page)
    assert "Traceback" not in output and output.strip()
    assert not log.offsite and not log.failed and not log.errors


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["", "master-notes/", "notebooks/08-backprop-neuron/", "playground/"]
)
def test_pages_fetch_no_python_until_a_block_is_run(
    site_url: str,
    context,  # noqa: ANN001
    path: str,
) -> None:
    page, log = open_page(context, site_url, path)
    page.wait_for_timeout(300)
    fetched = [url for url in log.requests if any(part in url for part in PYODIDE_ASSETS)]
    assert fetched == []
