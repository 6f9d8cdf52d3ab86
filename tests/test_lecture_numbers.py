"""Every number the lecture works through appears as computed output on its notebook's page.

The notebooks assert these values themselves (a failing assert fails the build); this test checks
the other half: that the built site shows them, as output of the engine, where a learner looks.
The expected strings are the lecture's numbers (../shared/lecture/README.md) as the notebooks
print them, except where a result depends on random weights: there the video's numbers cannot be
reproduced (it does not seed), and the entries marked "ours" are our seeded results.
tests/test_video_versus_here.py checks that those pages show the video's numbers beside ours.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.site

LINE = "(?m)^{}$"  # a whole output line, for numbers too short to search for inside text

LECTURE_NUMBERS = {
    "02-micrograd-overview": ["g = 24.7041", "dg/da = 138.8338", "dg/db = 645.5773"],
    "03-derivative-one-input": ["f(3) = 20.0", "f'(3) = 14.0", "slope = 14.003"],
    "04-derivative-multiple-inputs": ["d = 4.0", "a.grad = -3.0", "b.grad = 2.0", "c.grad = 1.0"],
    "05-value-object": ["L = -8.0"],
    "06-backprop-expression": [
        "e = -6.0, d = 4.0, L = -8.0",
        *(f"{name}.grad = {grad}" for name, grad in [("L", 1.0), ("d", -2.0), ("f", 4.0)]),
        *(f"{name}.grad = {grad}" for name, grad in [("c", -2.0), ("e", -2.0), ("a", 6.0)]),
        "b.grad = -4.0",
    ],
    "07-optimization-step": ["L before = -8.0, L after = -7.286496"],
    "08-backprop-neuron": [
        "n = 0.8814",
        "o = 0.7071",
        "n.grad = 0.5000",
        "x1.grad = -1.5",
        "w1.grad = 1.0",
        "x2.grad = 0.5",
        "w2.grad = 0.0",
    ],
    "11-gradient-accumulation": [
        "buggy: b = 6.0, a.grad = 1.0",
        "package: b = 6.0, a.grad = 2.0",
        "package: f = -6.0, a.grad = -3.0, b.grad = -8.0",
    ],
    "12-breaking-up-tanh": [
        "2n = 1.7627",
        "e = 5.8284",
        "e - 1 = 4.8284",
        "e + 1 = 6.8284",
        "1/(e + 1) = 0.1464",
        "o = 0.7071",
    ],
    "13-pytorch-comparison": ["(7 decimals: -1.5000004)", "o = 0.7071"],
    "16-parameters": [LINE.format("41")],
    "17-training": [  # ours: seed=1337, 100 steps (the video's 20-step run is not seeded)
        "final loss 0.0023",
        "prediction +0.9727 target +1",
        "prediction -0.9940 target -1",
        "prediction -0.9734 target -1",
        "prediction +0.9720 target +1",
    ],
    "23-two-moons-demo": ["parameters: 337", "accuracy 100%"],  # the original demo's, by design
    "24-exercises": [
        "f(2, 3, 4) = 6.336362190988558",
        "df/da = -12.353553390593273",
        "df/db = 10.25699027111255",
        "df/dc = 0.0625",
        "loss = 2.1755",
        "0.041772570515350445",
        "0.8390245074625319",
        "0.005653302662216329",
        "-0.886450380640099",
    ],
}

OUTPUT = re.compile(r'class="[^"]*jp-OutputArea-output[^"]*"[^>]*>\s*<pre>(.*?)</pre>', re.DOTALL)


def printed_output(page: Path) -> str:
    """What the notebook's cells printed, one output line per line, with spaces collapsed."""
    text = "\n".join(OUTPUT.findall(page.read_text(encoding="utf-8")))
    text = html.unescape(re.sub(r"<[^>]+>", "", text))  # drop syntax-highlighting spans
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


@pytest.mark.parametrize("notebook", sorted(LECTURE_NUMBERS))
def test_lecture_numbers_are_printed_on_the_notebook_page(built_site: Path, notebook: str) -> None:
    output = printed_output(built_site / "notebooks" / notebook / "index.html")
    assert output, f"{notebook}: the built page shows no printed output"
    missing = [
        expected
        for expected in LECTURE_NUMBERS[notebook]
        if not re.search(expected if expected.startswith("(?m)") else re.escape(expected), output)
    ]
    assert not missing, f"{notebook}: not in the printed output: {missing}"
