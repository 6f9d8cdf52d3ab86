"""Keep only the CSS rules that style something: a plain module (not a hook) used by assets.py.

mkdocs-jupyter ships all of JupyterLab's CSS (~580 KB, 3,200 rules) for notebook pages that use a
few dozen of its classes. `used_rules(css, pages)` keeps a selector if it matches an element of
one of the built pages, measured on their HTML with a real selector engine (soupsieve), after
three relaxations so that nothing the learner can see is dropped:
- state pseudo-classes (`:hover`, `:focus`, `:checked`...) and pseudo-elements (`::before`,
  `::-webkit-scrollbar`...) are ignored: the element they style is what has to exist;
- colour-scheme conditions (`[data-md-color-scheme=slate]`, `[data-jp-theme-light]`) are ignored,
  so the dark scheme's rules stay whenever their element exists;
- a selector the engine cannot read is kept if every class and id it names is on some page.
A rule keeps its matching selectors only; `@media` blocks are pruned inside; `@keyframes` stay
if a kept rule names them. Custom properties (`--jp-...`) are kept only if some kept declaration
uses them, directly or through another custom property.
"""

from __future__ import annotations

import re

import soupsieve
import tinycss2
from bs4 import BeautifulSoup, Tag

# Pseudo-classes that describe where an element is, not what the user does with it: kept.
STRUCTURAL = {
    "first-child", "last-child", "only-child", "nth-child", "nth-last-child", "first-of-type",
    "last-of-type", "only-of-type", "nth-of-type", "nth-last-of-type", "not", "is", "where",
    "has", "root", "empty",
}  # fmt: skip
THEME_ATTRIBUTE = re.compile(r"\[\s*data-(?:md-color|jp-theme)[^\]]*\]")
NAMES = re.compile(r"([.#])((?:\\.|[\w-])+)")
CUSTOM_PROPERTY = re.compile(r"var\(\s*(--[\w-]+)")


class Pages:
    """The parsed pages, with their elements indexed by class and by tag name, so that a selector
    is tried only on the elements that could be its subject (the last compound's class or tag)."""

    def __init__(self, pages: list[str]) -> None:
        self.soups = [BeautifulSoup(page, "html.parser") for page in pages]
        self.inline_properties = {name for page in pages for name in CUSTOM_PROPERTY.findall(page)}
        self.by_class: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.ids: set[str] = set()
        # Elements alike in everything a selector looks at (their own and their ancestors' tags,
        # classes and attributes, being a first or last child, the previous sibling) match the
        # same selectors: only one of each kind is tried. Most are code-highlighting spans.
        seen: set[tuple] = set()
        for soup in self.soups:
            self._index(soup, (), seen)

    def _index(self, parent, parent_shape: tuple, seen: set[tuple]) -> None:  # noqa: ANN001
        children = [child for child in parent.contents if isinstance(child, Tag)]
        previous = None
        for position, element in enumerate(children):
            classes = tuple(element.get("class") or ())
            if element.get("id"):
                self.ids.add(element["id"])
            own = (element.name, classes, _attributes(element))
            shape = (own, parent_shape, position == 0, position == len(children) - 1, previous)
            previous = (element.name, classes)
            if shape not in seen:
                seen.add(shape)
                self.by_tag.setdefault(element.name, []).append(element)
                for name in classes:
                    self.by_class.setdefault(name, []).append(element)
            self._index(element, (own, parent_shape), seen)

    def names_exist(self, selector: str) -> bool:
        """Every class and id the selector requires (outside :not() and the like) is on a page."""
        while "(" in selector:
            selector, count = re.subn(r"\([^()]*\)", "", selector)
            if not count:
                break
        for kind, name in NAMES.findall(selector):
            name = re.sub(r"\\(.)", r"\1", name)
            if name not in (self.by_class if kind == "." else self.ids):
                return False
        return True

    def candidates(self, selector: str) -> list:
        """The elements that could match: those with the subject's rarest class, or its tag."""
        subject = re.split(r"\s*[ >+~]\s*(?![^()]*\))(?![^\[]*\])", selector)[-1]
        bare = re.sub(r"\([^()]*\)", "", subject)
        classes = [re.sub(r"\\(.)", r"\1", n) for k, n in NAMES.findall(bare) if k == "."]
        if classes:
            return min((self.by_class.get(name, []) for name in classes), key=len)
        tag = re.match(r"[a-zA-Z][\w-]*", bare)
        if tag:
            return self.by_tag.get(tag[0].lower(), [])
        return [element for elements in self.by_tag.values() for element in elements]

    def match(self, selector: str) -> bool:
        relaxed = relax(selector)
        if not self.names_exist(relaxed):
            return False
        try:
            compiled = soupsieve.compile(relaxed or "*")
            if re.search(r":nth|~", relaxed):  # counts siblings: look at the whole pages
                return any(compiled.select_one(soup) is not None for soup in self.soups)
            return any(compiled.match(element) for element in self.candidates(relaxed))
        except Exception:  # noqa: BLE001 - soupsieve raises several kinds; keep what it cannot read
            return True


def _attributes(element) -> tuple:  # noqa: ANN001 - a bs4 Tag
    """What attribute selectors can test: data-* and type values, other attributes' names."""
    return tuple(
        sorted(
            (name, str(value) if name.startswith("data-") or name == "type" else "")
            for name, value in element.attrs.items()
            if name not in ("class", "id")
        )
    )


def relax(selector: str) -> str:
    """The selector without state pseudo-classes, pseudo-elements and colour-scheme conditions."""
    selector = THEME_ATTRIBUTE.sub("", selector)
    out, i = [], 0
    while i < len(selector):
        char = selector[i]
        if char == "\\":
            out.append(selector[i : i + 2])
            i += 2
        elif char == "[":
            end = selector.index("]", i)
            out.append(selector[i : end + 1])
            i = end + 1
        elif char == ":":
            match = re.match(r"::?(-?[\w-]+)", selector[i:])
            name, i = match[1].lower(), i + match.end()
            argument = ""
            if i < len(selector) and selector[i] == "(":
                depth, start = 0, i
                while True:
                    depth += {"(": 1, ")": -1}.get(selector[i], 0)
                    i += 1
                    if depth == 0:
                        break
                argument = selector[start:i]
            if name in STRUCTURAL and not match[0].startswith("::"):
                if name in ("not", "is", "where", "has"):
                    argument = "(" + relax(argument[1:-1]) + ")"
                out.append(f":{name}{argument}")
        else:
            out.append(char)
            i += 1
    relaxed = re.sub(r"\s+", " ", "".join(out)).strip()
    # A compound left empty ("[data-md-color-scheme=slate] > .x" -> "> .x") loses its combinator.
    return re.sub(r"^[>+~]\s*", "", relaxed).replace(":not()", "")


def _selectors(prelude: list) -> list[str]:
    """A rule's selector list, split at top-level commas."""
    text = tinycss2.serialize(prelude)
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [" ".join(part.split()) for part in parts if part.strip()]


def _minify(tokens: list) -> str:
    return " ".join(tinycss2.serialize(tokens).split())


def _prune(rules: list, pages: Pages, memo: dict[str, bool]) -> list[tuple[str, str, object]]:
    """(kind, text, extra) per kept rule: kind is 'rule', 'media', 'keyframes' or 'other'."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if memo.setdefault(s, pages.match(s))]
            if selectors:
                kept.append(("rule", ",".join(selectors), _minify(rule.content)))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            inner = _prune(tinycss2.parse_rule_list(rule.content, True, True), pages, memo)
            if inner:
                kept.append(("media", _minify(rule.prelude), inner))
        elif rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes"):
            kept.append(("keyframes", tinycss2.serialize(rule.prelude).strip(), rule))
        elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":
            kept.append(("other", tinycss2.serialize(rule), None))
    return kept


def _declarations(kept: list) -> list[tuple[str, str]]:
    found = []
    for kind, _, body in kept:
        if kind == "rule":
            found.append(("", body))
        elif kind == "media":
            found += _declarations(body)
    return found


def _used_properties(kept: list, pages: Pages) -> set[str]:
    """Custom properties read by a kept declaration or a page's inline style, directly or through
    another custom property."""
    defines: dict[str, set[str]] = {}
    reads: set[str] = set(pages.inline_properties)
    for _, body in _declarations(kept):
        for declaration in tinycss2.parse_blocks_contents(body, True, True):
            if declaration.type != "declaration":
                continue
            value = tinycss2.serialize(declaration.value)
            used = set(CUSTOM_PROPERTY.findall(value))
            if declaration.name.startswith("--"):
                defines.setdefault(declaration.name, set()).update(used)
            else:
                reads |= used
    todo, seen = list(reads), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += defines.get(name, ())
    return seen


def _write(kept: list, properties: set[str], animations: str) -> str:
    out = []
    for kind, head, body in kept:
        if kind == "rule":
            declarations = []
            for item in tinycss2.parse_blocks_contents(body, True, True):
                if item.type != "declaration" or (
                    item.name.startswith("--") and item.name not in properties
                ):
                    continue
                important = "!important" if item.important else ""
                value = " ".join(tinycss2.serialize(item.value).split())
                declarations.append(f"{item.name}:{value}{important}")
            if declarations:
                out.append(f"{head}{{{';'.join(declarations)}}}")
        elif kind == "media":
            inner = _write(body, properties, animations)
            if inner:
                out.append(f"@media {head}{{{inner}}}")
        elif kind == "keyframes":
            if re.search(rf"\b{re.escape(head)}\b", animations):
                out.append(_minify([body]))
        else:
            out.append(head)
    return "\n".join(out)


def used_rules(css: str, pages: list[str]) -> str:
    """The rules of `css` that apply to something on `pages` (HTML strings), minified."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    parsed = Pages(pages)
    kept = _prune(rules, parsed, {})
    properties = _used_properties(kept, parsed)
    animations = " ".join(
        body for _, body in _declarations(kept) if "animation" in body
    )  # the names of @keyframes in use
    return '@charset "UTF-8";\n' + _write(kept, properties, animations) + "\n"
