"""MkDocs hook: a search index of the notes' prose, without code, math markup and "¶".

Material's search plugin indexes the text of each page's HTML (in its `on_page_context`). This hook
hands it a copy of the page without what a search result should not show, and puts the real
page back before the page is written:
- notebook code cells (their source, the "Copied!" label of their copy button and the plain-text
  copy of the source that button reads) and their outputs;
- code blocks of Markdown pages and API signatures, any `<pre>` (a result would show a whole
  listing);
- nbconvert's heading permalinks (a "¶" in every notebook section title);
- KaTeX's visual HTML (each symbol again, out of order), the TeX annotation in its MathML and the
  "TeX source" box of display formulas (formulas.py).
What stays: the prose, headings, inline code and each formula's symbols (from its MathML), so a
search for a name such as `zero_grad`, or for `tanh`, still finds the paragraphs about it.

(Material's own `data-search-exclude` attribute cannot do this: its parser stops excluding at
the first nested element with the same tag, and these parts are nested divs and spans.)
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority

LEFT_OUT = re.compile(
    r'<div class="jp-InputArea jp-Cell-inputArea">(?=\s*<div class="jp-CodeMirrorEditor)'
    r'|<div class="jp-OutputArea jp-Cell-outputArea">'
    r'|<div class="language-[\w-]+ highlight">'
    r"|<pre\b"
    r'|<a class="anchor-link"'
    r'|<span class="katex-html" aria-hidden="true">'
    r"|<annotation\b"
    r'|<details class="math-tex"'
)
TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")

_pages: dict[str, str] = {}  # src_uri -> the page's real HTML, while the search plugin reads a copy


def searchable(html: str) -> str:
    """The page without the elements LEFT_OUT matches (each up to its own closing tag)."""
    out, position = [], 0
    for start in LEFT_OUT.finditer(html):
        if start.start() < position:
            continue  # inside a part already left out
        name = TAG.match(html, start.start())[2]
        depth = 0
        for tag in TAG.finditer(html, start.start()):
            if tag[2] == name:
                depth += -1 if tag[1] else 1
                if depth == 0:
                    break
        out.append(html[position : start.start()])
        position = tag.end()
    out.append(html[position:])
    # MathML's invisible operators (function application after "tanh", invisible times) would
    # glue themselves to the words a learner types.
    return re.sub("[\u2061-\u2064]", "", "".join(out))


@event_priority(-100)  # after every other hook has changed the page
def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201 - MkDocs hook
    _pages[page.file.src_uri] = html
    return searchable(html)


@event_priority(-100)  # after the search plugin has indexed the copy
def on_page_context(context, page, config, nav):  # noqa: ANN001, ANN201 - MkDocs hook
    page.content = _pages.pop(page.file.src_uri, page.content)
    return context
