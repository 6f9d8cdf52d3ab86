"""MkDocs hook: `video:` links in every markdown page, and the generated Master Notes."""

from __future__ import annotations

import lecture  # hooks/lecture.py: MkDocs puts this folder on sys.path while loading hooks

# Markers a page can contain, each replaced by markdown generated from the lecture's data.
GENERATED = {
    "<!-- chapters -->": lecture.master_notes_markdown,
    "<!-- notebooks -->": lecture.notebooks_table_markdown,
}


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    if page.file.src_uri.endswith(".ipynb"):
        return markdown  # notebooks are rendered by mkdocs-jupyter, not as markdown
    page_dir = page.file.src_uri.rpartition("/")[0]
    for marker, generate in GENERATED.items():
        if marker in markdown:
            markdown = markdown.replace(marker, generate(page_dir))
    return lecture.expand_video_links(markdown)
