"""MkDocs hook: the list that explains an annotated code block is hidden from the first paint.

Material turns the ordered list after a code block with `# (1)!` markers into tooltips once its
script runs, and then hides the list. Until then the list is part of the page, so when it goes,
everything below it moves up (on the optimization step page the next heading moved 42 px, a
layout shift on every load). Here each such list gets the class `code-annotations`, which
`extra.css` keeps out of the layout until Material has taken it over; if Material's script never
runs, the list shows after 3 s, so its text is never lost.

A list counts when it follows the code block (Material also skips empty paragraphs between the
two) and the code has a comment with a marker `(N)`, as Material's own test for the markers.
"""

from __future__ import annotations

import re

ANNOTATED = re.compile(
    r"(?P<code><code>(?:(?!</code>).)*</code></pre></div>)(?P<gap>\s*(?:<p>\s*</p>\s*)*)<ol>",
    re.DOTALL,
)
MARKER = re.compile(r'<span class="c\w*">[^<]*\(\d+\)')


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    def mark(match: re.Match) -> str:
        if not MARKER.search(match["code"]):
            return match[0]
        return f'{match["code"]}{match["gap"]}<ol class="code-annotations">'

    return ANNOTATED.sub(mark, html)
