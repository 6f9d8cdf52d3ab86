"""Where the video's numbers differ from ours, the built pages say so and show both.

The video does not seed its random weights, so on the pages whose numbers come from a seeded
network (the MLP, the dataset and loss, the parameters, the training loop, the two-moons demo)
a note of one admonition type, `!!! video`, shows the video's numbers beside ours. The video's
numbers are the facts in ../shared/lecture/README.md; ours must be what the notebook beside the
page printed when the site was built.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_lecture_numbers import printed_output

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parent.parent

# topic page -> (its notebook, the video's numbers that its note must show)
SEEDED_PAGES = {
    "lecture/mlp": ("14-mlp", ["0.16578526021381612"]),
    "lecture/dataset-and-loss": ("15-dataset-and-loss", ["0.16578526021381612"]),
    "lecture/parameters": ("16-parameters", ["0.16578526021381612", "41"]),
    "lecture/training-loop": (
        "17-training",
        ["0.0017934", "0.9818", "-0.9864", "-0.9767", "0.9730"],
    ),
    "lecture/two-moons-demo": ("23-two-moons-demo", ["0.8958", "50%", "40", "0.010978"]),
}

NUMBER = re.compile(r"[-+]?\d+\.\d+|\d+%")
WHOLE_INTEGER = re.compile(r"[-+]?\d+")


class VideoNotes(HTMLParser):
    """The `admonition video` boxes of a page: their text and the rows of their tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.notes: list[dict] = []
        self._depth = 0  # open <div>s inside the current note; 0 when outside one
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and self._depth == 0 and {"admonition", "video"} <= set(classes):
            self.notes.append({"text": [], "rows": []})
            self._depth = 1
        elif tag == "div" and self._depth:
            self._depth += 1
        elif self._depth and tag == "tr":
            self.notes[-1]["rows"].append([])
        elif self._depth and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1
        elif self._depth and tag in ("td", "th") and self._cell is not None:
            self.notes[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.notes[-1]["text"].append(data)
            if self._cell is not None:
                self._cell.append(data)


def video_notes(site: Path, page: str) -> list[dict]:
    parser = VideoNotes()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    return parser.notes


def columns(note: dict) -> tuple[list[str], list[str]]:
    """The cells of the video's column and of ours ("Here"), over all body rows of the note."""
    header, *body = note["rows"]
    video = [i for i, name in enumerate(header) if "video" in name or "Original" in name]
    here = [i for i, name in enumerate(header) if name.startswith("Here")]
    assert video and here, f"the note's table needs a video column and a 'Here' column: {header}"
    return (
        [row[i] for row in body for i in video],
        [row[i] for row in body for i in here],
    )


def appears_in(token: str, output: str) -> bool:
    number = re.escape(token.lstrip("+"))
    return re.search(rf"(?<![\d.]){number}(?![\d])", output) is not None


@pytest.mark.parametrize("page", sorted(SEEDED_PAGES))
def test_seeded_page_has_a_video_note_with_the_videos_numbers_beside_ours(
    built_site: Path, page: str
) -> None:
    notes = [note for note in video_notes(built_site, page) if note["rows"]]
    assert notes, f"{page}: no 'In the video' note with a table"
    video_cells, here_cells = zip(*(columns(note) for note in notes), strict=True)
    video_text = " ".join(cell for cells in video_cells for cell in cells)
    for number in SEEDED_PAGES[page][1]:
        assert appears_in(number, video_text), f"{page}: the video's {number} is not in its note"
    assert all(cell for cells in here_cells for cell in cells), f"{page}: an empty 'Here' cell"
    text = " ".join("".join(note["text"]) for note in notes)
    assert "seed" in text, f"{page}: the note does not say why the numbers differ"


@pytest.mark.parametrize("page", sorted(SEEDED_PAGES))
def test_our_numbers_in_the_video_note_are_printed_by_the_notebook(
    built_site: Path, page: str
) -> None:
    notebook = SEEDED_PAGES[page][0]
    output = printed_output(built_site / "notebooks" / notebook / "index.html")
    ours = []
    for note in video_notes(built_site, page):
        if note["rows"]:
            for cell in columns(note)[1]:
                found = NUMBER.findall(cell)
                if not found and WHOLE_INTEGER.fullmatch(cell):
                    found = [cell]  # a count or a step number on its own
                ours += found
    assert ours, f"{page}: the note shows none of our numbers"
    missing = [number for number in ours if not appears_in(number, output)]
    assert not missing, f"{page}: {missing} are on the page but not printed by {notebook}"


def test_every_video_note_uses_the_one_admonition_type_defined_in_the_stylesheet(
    built_site: Path,
) -> None:
    css = (ROOT / "docs" / "assets" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert "--md-admonition-icon--video" in css and ".md-typeset .admonition.video" in css
    for page in [*SEEDED_PAGES, "lecture/breaking-up-tanh"]:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert video_notes(built_site, page), f"{page}: no video note"
        # a note about the video in another style (a plain "note" titled like ours) would slip by
        other_style = r'class="admonition (?!video)[^"]*">\s*<p class="admonition-title">'
        assert not re.search(other_style + "In the (video|original)", html)


def test_training_page_shows_the_videos_20_step_loop_with_the_notebooks_numbers(
    built_site: Path,
) -> None:
    html = (built_site / "lecture" / "training-loop" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert "for k in range(20)" in text and "p.data += -0.1 * p.grad" in text
    output = printed_output(built_site / "notebooks" / "17-training" / "index.html")
    loop = re.findall(r"(?m)^(\d+) (\d+\.\d+)$", output)
    assert [int(k) for k, _ in loop] == list(range(20)), "the notebook prints all 20 steps"
    first, last = " ".join(loop[0]), " ".join(loop[-1])
    assert first in text and last in text, "the page quotes the loop's first and last line"


def test_exp_slip_is_flagged_where_exp_is_built_and_shown_by_the_notebook(built_site: Path) -> None:
    notes = video_notes(built_site, "lecture/breaking-up-tanh")
    text = " ".join("".join(note["text"]) for note in notes)
    assert "+=" in text and "=" in text and "exp" in text
    output = printed_output(built_site / "notebooks" / "12-breaking-up-tanh" / "index.html")
    assert "dy/dx with += : 5.4366" in output and "dy/dx with = : 2.7183" in output
    assert "central difference: 5.4366" in output
    for number in ["5.4366", "2.7183"]:
        assert number in text


def test_readme_example_is_checked_against_pytorch_in_the_chapter_2_notebook(
    built_site: Path,
) -> None:
    output = printed_output(built_site / "notebooks" / "02-micrograd-overview" / "index.html")
    assert "PyTorch: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773" in output
    assert "micrograd and PyTorch agree" in output


def test_pytorch_page_quotes_the_error_of_backward_on_several_elements(built_site: Path) -> None:
    message = "grad can be implicitly created only for scalar outputs"
    output = printed_output(built_site / "notebooks" / "13-pytorch-comparison" / "index.html")
    assert f"RuntimeError: {message}" in output
    page = (built_site / "lecture" / "pytorch-comparison" / "index.html").read_text("utf-8")
    assert message in page


ORIGINAL = "https://github.com/karpathy/micrograd/blob/c911406e5ace8742e5841a7e0df113ecb5d54685/"


def test_walkthrough_links_the_original_files_at_one_commit(built_site: Path) -> None:
    html = (built_site / "engine" / "walkthrough" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(https://github\.com/karpathy/micrograd/[^"]+)"', html)
    for path in ["micrograd/engine.py", "micrograd/nn.py", "test/test_engine.py"]:
        assert any(re.fullmatch(re.escape(ORIGINAL + path) + r"#L\d+(-L\d+)?", u) for u in links)
    assert ORIGINAL + "demo.ipynb" in links
    pinned = [u for u in links if "/blob/" in u or "/tree/" in u]
    assert all("c911406e5ace8742e5841a7e0df113ecb5d54685" in u for u in pinned)
    assert "batch_size" in html


def test_walkthrough_quotes_the_mini_batch_numbers_that_notebook_19_prints(
    built_site: Path,
) -> None:
    html = (built_site / "engine" / "walkthrough" / "index.html").read_text(encoding="utf-8")
    paragraph = next(p for p in re.findall(r"<p>(.*?)</p>", html, re.DOTALL) if "batch_size" in p)
    quoted = re.findall(r"<code>(\d+(?:\.\d+)?)</code>", paragraph)
    assert len(quoted) >= 5, "the mini-batch paragraph quotes the notebook's losses and sizes"
    output = printed_output(built_site / "notebooks" / "19-engine-walkthrough" / "index.html")
    missing = [number for number in quoted if not appears_in(number, output)]
    assert not missing, f"quoted on the walkthrough but not printed by notebook 19: {missing}"
