"""Reading the built site: its pages (from sitemap.xml) and the links and ids in an HTML file."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import lecture  # hooks/lecture.py, put on sys.path by conftest.py
import yaml

ROOT = Path(__file__).resolve().parent.parent


def site_url() -> str:
    # mkdocs.yml has !!python/name tags; only site_url is needed here, so read it as text.
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    assert match, "mkdocs.yml has no site_url"
    return match.group(1).rstrip("/") + "/"


def local_sitemap(site: Path, local_url: str) -> str:
    """sitemap.xml with the local server's addresses instead of the deployed site's.

    Material's instant navigation only follows links it finds in sitemap.xml; it maps their
    scheme and host to the page's, not the port or the path. A test that serves the site at
    `local_url` answers sitemap.xml with this, so pages change without a full load there too.
    """
    return (site / "sitemap.xml").read_text(encoding="utf-8").replace(site_url(), local_url)


def sitemap_paths(site: Path) -> list[str]:
    """Every page the sitemap lists, as a path relative to the site root ('' for the home page)."""
    base = site_url()
    urls = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    return [url.removeprefix(base) for url in urls]


def page_file(site: Path, path: str) -> Path:
    return site / path / "index.html" if not path.endswith(".html") else site / path


class PageParser(HTMLParser):
    """Collects ids, and every URL the page refers to (links, scripts, styles, images)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # <a href>
        self.resources: list[str] = []  # src/href of script, link, img, iframe, source

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.resources.append(values["src"])
        elif tag == "link" and values.get("href") and values.get("rel") not in ("canonical",):
            self.resources.append(values["href"])


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def nav_pages() -> list[str]:
    """The docs-relative source paths listed in mkdocs.yml's nav, in order."""

    class NavLoader(yaml.SafeLoader):
        pass

    # Ignore the !!python/name tags of the markdown extensions' settings.
    NavLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    NavLoader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=NavLoader)  # noqa: S506

    def walk(items: list) -> list[str]:
        pages = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            pages += walk(value) if isinstance(value, list) else [value]
        return pages

    return walk(config["nav"])


class PageLog:
    """What a page asked for and complained about while it loaded."""

    def __init__(self, page, origin: str) -> None:  # noqa: ANN001 - a Playwright Page
        self.offsite: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []

        def route(route) -> None:  # noqa: ANN001 - a Playwright Route
            url = route.request.url
            self.requests.append(url)
            if url.startswith(origin) or url.startswith("data:"):
                route.continue_()
            else:
                self.offsite.append(url)
                route.abort()

        page.route("**/*", route)
        page.on("requestfailed", lambda r: r.url.startswith(origin) and self.failed.append(r.url))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def origin_of(site_url: str) -> str:
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}/"


def open_page(context, site_url: str, path: str):  # noqa: ANN001, ANN201
    """Open `path` of the site in a new tab of `context`; return the page and its PageLog."""
    page = context.new_page()
    log = PageLog(page, origin_of(site_url))
    page.goto(site_url + path, wait_until="networkidle")
    return page, log


__all__ = [
    "PageLog",
    "lecture",
    "local_sitemap",
    "nav_pages",
    "open_page",
    "origin_of",
    "page_file",
    "parse",
    "site_url",
    "sitemap_paths",
]
