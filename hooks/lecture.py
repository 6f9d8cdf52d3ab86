"""The lecture's chapter list and the one place that turns a moment of the video into a link.

Everything that mentions the video reads `docs/_data/chapters.yml` through this module: the Master
Notes page, `video:` links in markdown pages, the notebook pages' header, and the tests. This file
is a plain module (not a hook); the hooks import it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS_FILE = ROOT / "docs" / "_data" / "chapters.yml"


@dataclass(frozen=True)
class Chapter:
    number: int
    seconds: int
    title: str
    topic: str  # docs-relative path of the topic page, with an optional #anchor
    notebook: str | None  # file name in notebooks/, or None for chapters without code
    summary: str
    takeaways: tuple[str, ...]

    @property
    def timestamp(self) -> str:
        return timestamp(self.seconds)

    @property
    def url(self) -> str:
        return video_url(self.seconds)


@dataclass(frozen=True)
class Lecture:
    video_id: str
    title: str
    author: str
    length: int
    chapters: tuple[Chapter, ...]

    def chapter_for_notebook(self, notebook: str) -> Chapter | None:
        return next((c for c in self.chapters if c.notebook == notebook), None)


@functools.cache
def load_lecture(path: Path = CHAPTERS_FILE) -> Lecture:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    chapters = tuple(
        Chapter(
            number=int(c["number"]),
            seconds=int(c["seconds"]),
            title=str(c["title"]),
            topic=str(c["topic"]),
            notebook=c.get("notebook"),
            summary=str(c["summary"]).strip(),
            takeaways=tuple(str(t) for t in c["takeaways"]),
        )
        for c in data["chapters"]
    )
    video = data["video"]
    return Lecture(
        video_id=str(video["id"]),
        title=str(video["title"]),
        author=str(video["author"]),
        length=int(video["length"]),
        chapters=chapters,
    )


def timestamp(seconds: int) -> str:
    """Seconds as the video shows them in its chapter list: 00:32:10."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def video_url(seconds: int | None = None) -> str:
    """The link to the lecture on YouTube, at `seconds` if given."""
    url = f"https://www.youtube.com/watch?v={quote(load_lecture().video_id)}"
    return url if seconds is None else f"{url}&t={int(seconds)}s"


# The privacy-enhanced embed the docked player loads (assets/javascripts/player.js), only after
# the learner asks for the video.
EMBED_ORIGIN = "https://www.youtube-nocookie.com"


def embed_url() -> str:
    """The embeddable player of the lecture, without parameters (the player adds its own)."""
    return f"{EMBED_ORIGIN}/embed/{quote(load_lecture().video_id)}"


def player_data(url_of: Callable[[str], str]) -> dict:
    """What the docked player needs to know about the lecture, as JSON-ready data.

    `url_of` turns a docs-relative source path ("lecture/mlp.md#an-mlp") into the page's URL
    relative to the site root ("lecture/mlp/#an-mlp"); the hook that emits the data knows how.
    """
    lecture = load_lecture()
    chapters = []
    for chapter in lecture.chapters:
        chapters.append(
            {
                "number": chapter.number,
                "seconds": chapter.seconds,
                "timestamp": chapter.timestamp,
                "title": chapter.title,
                "topic": url_of(chapter.topic),
                "notebook": url_of(f"notebooks/{chapter.notebook}") if chapter.notebook else None,
            }
        )
    return {
        "video": {
            "id": lecture.video_id,
            "title": lecture.title,
            "length": lecture.length,
            "watch": video_url(),
            "embed": embed_url(),
            "origin": EMBED_ORIGIN,
        },
        # The Master Notes hold one section per chapter, with the id "chapter-<number>".
        "masterNotes": url_of("master-notes.md"),
        "chapters": chapters,
    }


# [text](video:1930) in markdown; empty text becomes "▶ 00:32:10".
VIDEO_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\(video:(?P<seconds>\d+)\)")


def expand_video_links(markdown: str) -> str:
    """Turn every `[text](video:SECONDS)` into a real link to that moment of the video."""

    def replace(match: re.Match[str]) -> str:
        seconds = int(match["seconds"])
        length = load_lecture().length
        if seconds > length:
            raise ValueError(f"video:{seconds} is past the end of the video ({length} s)")
        text = match["text"] or f"▶ {timestamp(seconds)}"
        title = f"Watch from {timestamp(seconds)}"
        return f'[{text}]({video_url(seconds)}){{ .video-link title="{title}" }}'

    return VIDEO_LINK.sub(replace, markdown)


def master_notes_markdown(page_dir: str = "") -> str:
    """The body of the Master Notes: one section per chapter, generated from the chapter data.

    `page_dir` is the docs-relative folder of the page the markdown goes into, used to make the
    links to topic pages and notebooks relative (the strict build then checks every one of them).
    """
    prefix = "../" * len([p for p in page_dir.split("/") if p])
    parts = []
    for chapter in load_lecture().chapters:
        links = [f"[:material-book-open-variant: Notes]({prefix}{chapter.topic})"]
        if chapter.notebook:
            links.append(f"[:material-notebook: Notebook]({prefix}notebooks/{chapter.notebook})")
        takeaways = "\n".join(f"- {t}" for t in chapter.takeaways)
        title = f"{chapter.title[:1].upper()}{chapter.title[1:]}"
        # The page's table of contents shows each chapter's moment in the video.
        toc_label = f"{chapter.timestamp} · {chapter.number}. {title}".replace('"', "&quot;")
        parts.append(
            f"## {chapter.number}. {title}"
            f' {{ #chapter-{chapter.number} data-toc-label="{toc_label}" }}\n\n'
            f"[▶ {chapter.timestamp}]({chapter.url}){{ .video-link .md-button "
            f'title="Watch chapter {chapter.number} from {chapter.timestamp}" }}'
            f" {' '.join(links)}\n\n"
            f"{chapter.summary}\n\n"
            f"{takeaways}\n"
        )
    return "\n".join(parts)


NOTEBOOK_DIR = ROOT / "notebooks"


def notebook_title(path: Path) -> str:
    """The notebook's title: the first level-1 heading of its first markdown cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError(f"{path.name} has no '# Title' heading in a markdown cell")


def notebooks_table_markdown(page_dir: str = "") -> str:
    """A table of every notebook in notebooks/, in file order, with the chapter it follows."""
    prefix = "../" * len([p for p in page_dir.split("/") if p])
    lecture = load_lecture()
    rows = ["| Notebook | Follows | In the video |", "| --- | --- | --- |"]
    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        chapter = lecture.chapter_for_notebook(path.name)
        link = f"[{notebook_title(path)}]({prefix}notebooks/{path.name})"
        if chapter is None:
            rows.append(f"| {link} | beyond the lecture | |")
        else:
            rows.append(
                f"| {link} | chapter {chapter.number}, {chapter.title} "
                f"| [▶ {chapter.timestamp}]({chapter.url}) |"
            )
    return "\n".join(rows) + "\n"
