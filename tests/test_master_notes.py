"""The chapter data and the Master Notes generated from it."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from site_pages import lecture

ROOT = Path(__file__).resolve().parent.parent
SHARED_CHAPTERS = ROOT.parent / "shared" / "lecture" / "chapters.tsv"
CHAPTERS = lecture.load_lecture().chapters


def test_there_are_22_chapters_in_video_order() -> None:
    assert [c.number for c in CHAPTERS] == list(range(1, 23))
    seconds = [c.seconds for c in CHAPTERS]
    assert seconds == sorted(seconds) and len(set(seconds)) == 22
    assert seconds[-1] < lecture.load_lecture().length


@pytest.mark.skipif(not SHARED_CHAPTERS.exists(), reason="../shared is not beside this checkout")
def test_chapters_match_the_videos_own_chapter_list() -> None:
    with SHARED_CHAPTERS.open() as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert [(int(r["seconds"]), r["timestamp"], r["title"]) for r in rows] == [
        (c.seconds, c.timestamp, c.title) for c in CHAPTERS
    ]


def test_every_chapter_has_our_summary_and_two_to_four_takeaways() -> None:
    for chapter in CHAPTERS:
        assert len(chapter.summary.split()) >= 20, f"chapter {chapter.number}: summary too short"
        assert 2 <= len(chapter.takeaways) <= 4, f"chapter {chapter.number}: takeaways"
        for text in (chapter.summary, *chapter.takeaways):
            assert not re.search(r"\b(TODO|TBD|SUMMARY|TAKEAWAY)\b", text)


def test_every_chapter_links_to_a_topic_page_that_exists() -> None:
    for chapter in CHAPTERS:
        page = chapter.topic.split("#")[0]
        assert (ROOT / "docs" / page).exists(), f"chapter {chapter.number}: {page}"


def test_video_links_go_to_the_exact_second() -> None:
    assert lecture.video_url(1930) == "https://www.youtube.com/watch?v=VMj-3S1tku0&t=1930s"
    assert lecture.timestamp(4652) == "01:17:32"
    markdown = lecture.expand_video_links("See [](video:1930) and [the neuron](video:3172).")
    assert "[▶ 00:32:10](https://www.youtube.com/watch?v=VMj-3S1tku0&t=1930s)" in markdown
    assert "[the neuron](https://www.youtube.com/watch?v=VMj-3S1tku0&t=3172s)" in markdown


def test_a_video_link_past_the_end_is_an_error() -> None:
    with pytest.raises(ValueError, match="past the end"):
        lecture.expand_video_links("[](video:99999)")


@pytest.mark.site
def test_master_notes_show_every_chapter_in_order_with_its_timestamp_link(
    built_site: Path,
) -> None:
    html = (built_site / "master-notes" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="https://www\.youtube\.com/watch\?v=VMj-3S1tku0&amp;t=(\d+)s"', html)
    assert [int(s) for s in links] == [c.seconds for c in CHAPTERS]
    positions = [html.index(f'id="chapter-{c.number}"') for c in CHAPTERS]
    assert positions == sorted(positions)
    for chapter in CHAPTERS:
        assert f"▶ {chapter.timestamp}" in html


@pytest.mark.site
def test_master_notes_link_each_chapter_to_its_notes_and_notebook(built_site: Path) -> None:
    html = (built_site / "master-notes" / "index.html").read_text(encoding="utf-8")
    sections = re.split(r'<h2 id="chapter-\d+"', html)[1:]
    assert len(sections) == len(CHAPTERS)
    for chapter, section in zip(CHAPTERS, sections, strict=True):
        page, _, anchor = chapter.topic.partition("#")
        # The Master Notes live at master-notes/, so links to other pages start with ../
        href = "../" + page.removesuffix(".md") + "/" + (f"#{anchor}" if anchor else "")
        assert f'href="{href}"' in section, f"chapter {chapter.number}: notes link {href}"
        if chapter.notebook:
            nb_href = f'href="../notebooks/{chapter.notebook.removesuffix(".ipynb")}/"'
            assert nb_href in section, f"chapter {chapter.number}: notebook link"
