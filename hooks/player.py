"""MkDocs hook: give every page the lecture's chapter data for the docked video player.

The player (docs/assets/javascripts/player.js) reads one `<script type="application/json"
id="lecture-data">` element. It is put at the start of `<body>`, outside the part of the page that
Material's instant navigation swaps, so the player reads it once per visit. The data comes from
hooks/lecture.py (the chapter list in docs/_data/chapters.yml and the video id); page URLs in it
are relative to the site root, and the player resolves them against the site's address.
After the build, the player's script and stylesheet are minified in the built site (esbuild from
node_modules); the source stays readable in docs/assets/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lecture  # hooks/lecture.py
import vendor  # hooks/vendor.py
from mkdocs.exceptions import PluginError

_data_element = ""
BODY_TAG = re.compile(r"<body\b[^>]*>")


def on_nav(nav, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    """Build the data once, when every page (the notebooks included) is known."""
    global _data_element

    def url_of(source: str) -> str:
        path, _, anchor = source.partition("#")
        file = files.get_file_from_path(path)
        if file is None:
            raise PluginError(f"docs/_data/chapters.yml links to {path}, which is not a page")
        return file.url + (f"#{anchor}" if anchor else "")

    data = json.dumps(lecture.player_data(url_of), ensure_ascii=False, separators=(",", ":"))
    # "</" inside a script element would end it early; "<\/" means the same in JSON.
    data = data.replace("</", "<\\/")
    _data_element = f'<script type="application/json" id="lecture-data">{data}</script>'
    return nav


def on_post_page(output, page, config):  # noqa: ANN001, ANN201 - MkDocs hook
    # Right after <body>: before the scripts that read it, outside what instant navigation swaps.
    body = BODY_TAG.search(output)
    if body is None:
        return output
    return output[: body.end()] + _data_element + output[body.end() :]


MINIFIED = ("assets/javascripts/player.js", "assets/stylesheets/player.css")


def on_post_build(config):  # noqa: ANN001, ANN201 - MkDocs hook
    """Serve the player's script and stylesheet minified: the dock costs little before Play."""
    for name in MINIFIED:
        path = Path(config["site_dir"]) / name
        vendor.esbuild(str(path), "--minify", f"--outfile={path}", "--allow-overwrite", what=name)
