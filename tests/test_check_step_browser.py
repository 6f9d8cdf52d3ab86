"""In Chromium: the "Check your engine" page and stepping through backward() on the Playground."""

from __future__ import annotations

import re

import pytest
from site_pages import PageLog, open_page, origin_of

COLD_START_TIMEOUT = 120_000  # ms; a first run loads Python

# A lecture-style class with the tanh precedence slip, as a learner would paste it.
BUGGY_CLASS = """import math

from micrograd.check import check


class Value:
    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += 1 - t**2 * out.grad

        out._backward = _backward
        return out


print(check(Value))
"""


def _replace_code(page, code: str) -> None:  # noqa: ANN001 - a Playwright Page
    """Select everything in the first editor and type `code` over it, as a paste does."""
    # A live block becomes an editor once it comes near the screen (live/loader.js).
    page.locator("div.live.highlight, .live-block").first.scroll_into_view_if_needed()
    editor = page.locator(".live-editor .cm-content").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def _run_and_read(page, timeout: int = COLD_START_TIMEOUT) -> str:  # noqa: ANN001
    page.locator(".live-run").first.click()
    page.wait_for_selector(".live-run:not([hidden])", timeout=timeout)
    return page.locator(".live-output").first.inner_text()


@pytest.mark.site
@pytest.mark.browser
def test_the_check_page_reports_the_tanh_slip_of_a_pasted_class(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    page, log = open_page(context, site_url, "engine/check/")
    assert "everything checked is correct" in _run_and_read(page)
    _replace_code(page, BUGGY_CLASS)
    report = " ".join(_run_and_read(page, timeout=30_000).split())
    assert "check(Value): 1 problem." in report
    assert (
        "tanh: the gradient of tanh is wrong when the upstream gradient is not 1: "
        "write `(1 - t**2) * out.grad`"
    ) in report
    assert not log.offsite and not log.failed and not log.errors, (log.failed, log.errors)


def _grads(page) -> dict[str, str]:  # noqa: ANN001
    """The grad shown in each labelled box of the stepper's graph: {"x1": "grad -1.5000"}."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(
            document.querySelectorAll(".stepper-graph g.node"),
            (g) => Array.from(g.querySelectorAll("text"), (t) => t.textContent.trim()),
        ).filter((texts) => texts.length === 3).map(([label, , grad]) => [label, grad]))"""
    )


@pytest.mark.site
@pytest.mark.browser
def test_stepping_through_the_neuron_reaches_the_lectures_gradients(
    site_url: str,
    context,  # noqa: ANN001
) -> None:
    # The Playground starts Python as it opens: waiting for the network to go quiet would wait
    # for all of Pyodide, so the page is used as soon as it is loaded.
    page = context.new_page()
    log = PageLog(page, origin_of(site_url))
    page.goto(site_url + "playground/", wait_until="load")
    page.get_by_role("button", name="Step through: neuron").click()
    _run_and_read(page)
    controls = page.locator(".stepper-controls")
    step = controls.get_by_role("button", name="Step", exact=True)
    step.wait_for(timeout=30_000)
    # Every gradient empty at first.
    assert set(_grads(page).values()) == {"grad"}
    assert page.locator(".stepper-count").inner_text() == "0 of 5 steps"

    # The keyboard reaches the buttons: Step is focused and pressed with Enter.
    step.focus()
    page.keyboard.press("Enter")
    assert _grads(page)["o"] == "grad 1.0000" and _grads(page)["n"] == "grad 0.5000"
    for _ in range(4):  # the graph has five nodes with inputs: five steps
        page.keyboard.press("Enter")
    grads = _grads(page)
    assert grads["x1"] == "grad -1.5000"
    assert grads["w1"] == "grad 1.0000"
    assert grads["x2"] == "grad 0.5000"
    assert grads["w2"] == "grad 0.0000"
    assert step.get_attribute("aria-disabled") == "true"
    assert page.locator(".stepper-count").inner_text() == "5 of 5 steps"
    log_text = page.locator(".stepper-log").inner_text()
    assert "x1.grad += w1.data × (x1*w1).grad = −3 × 0.5 = −1.5" in log_text
    # The current node is marked in the graph.
    assert page.locator(".stepper-graph g.node.stepper-current").count() == 2  # box and its op

    # Back undoes the last step: the multiplication x1*w1 has not sent anything yet.
    controls.get_by_role("button", name="Back").click()
    grads = _grads(page)
    assert grads["x1"] == "grad" and grads["w1"] == "grad"
    assert grads["x2"] == "grad 0.5000"
    # Run to the end, then Reset: every gradient empty again.
    controls.get_by_role("button", name="Run to the end").click()
    assert _grads(page)["x1"] == "grad -1.5000"
    controls.get_by_role("button", name="Reset").click()
    assert set(_grads(page).values()) == {"grad"}
    assert re.search(r"Every gradient is empty", page.locator(".stepper-status").inner_text())
    assert not log.offsite and not log.failed and not log.errors, (log.failed, log.errors)
