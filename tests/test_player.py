"""The docked lecture player (docs/assets/javascripts/player.js) and the chapter paths it uses.

YouTube cannot be reached from here or from CI: every request to the embed is answered with
tests/fake_youtube/embed.html, a fake that speaks the embed's postMessage protocol. Any other
off-site request is refused and recorded.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from site_pages import lecture, local_sitemap, origin_of

ROOT = Path(__file__).resolve().parent.parent
FAKE = (ROOT / "tests" / "fake_youtube" / "embed.html").read_text(encoding="utf-8")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LECTURE = lecture.load_lecture()
CHAPTERS = LECTURE.chapters
EMBED = lecture.embed_url()

pytestmark = pytest.mark.site


# ---- Helpers ----------------------------------------------------------------------------------


class Traffic:
    """Routes a context's requests: the site goes through, the embed gets the fake, the rest
    is refused. Remembers every off-site URL asked for. sitemap.xml is answered with local
    addresses (`local_sitemap`), so that instant navigation works here as on the real site."""

    def __init__(self, context, built_site: Path, site_url: str) -> None:  # noqa: ANN001
        self.offsite: list[str] = []
        self.errors: list[str] = []
        origin = origin_of(site_url)
        sitemap = local_sitemap(built_site, site_url)

        def route(route) -> None:  # noqa: ANN001 - a Playwright Route
            url = route.request.url
            if url == site_url + "sitemap.xml":
                route.fulfill(status=200, content_type="application/xml", body=sitemap)
                return
            if url.startswith(origin) or url.startswith("data:"):
                route.continue_()
                return
            self.offsite.append(url)
            if url.startswith(EMBED + "?"):
                route.fulfill(status=200, content_type="text/html", body=FAKE)
            else:
                route.abort()

        context.route("**/*", route)


@pytest.fixture
def site(built_site: Path, site_url: str) -> tuple[Path, str]:
    return built_site, site_url


def open_site(context, site: tuple[Path, str], path: str):  # noqa: ANN001, ANN201
    built_site, site_url = site
    traffic = Traffic(context, built_site, site_url)
    page = context.new_page()
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and traffic.errors.append(m.text))
    page.goto(site_url + path, wait_until="networkidle")
    return page, traffic


def fake_embed(page):  # noqa: ANN001, ANN201 - the fake's Frame, once it has answered
    page.wait_for_selector("iframe.player__frame")
    page.wait_for_function(
        "() => document.querySelector('.player__controls') && "
        "!document.querySelector('.player__controls').hidden"
    )
    frame = page.locator("iframe.player__frame").element_handle().content_frame()
    frame.wait_for_load_state()
    frame.wait_for_function("() => window.fake && window.fake.commands.length > 0")
    assert frame.url.startswith(EMBED + "?")
    return frame


def timestamp_link(page, seconds: int):  # noqa: ANN001, ANN201
    return page.locator(f'article a.video-link[href$="&t={seconds}s"]').first


def wait_for_time(frame, low: float, high: float) -> None:  # noqa: ANN001
    frame.wait_for_function(f"() => fake.time() >= {low} && fake.time() < {high}")


def in_view(page, selector: str) -> bool:  # noqa: ANN001
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
        return r.top >= 0 && r.top < innerHeight / 2; }""",
        selector,
    )


def at_rest(page) -> float:  # noqa: ANN001
    """scrollY once the page has stopped moving (ten frames without a change).

    A smooth scroll runs on the compositor: a scroll started while one is still under way can
    be followed by one more frame of the old animation, so each step waits for the last."""
    return page.evaluate(
        """() => new Promise((resolve) => {
            let last = scrollY, still = 0;
            const tick = () => {
                if (scrollY !== last) { last = scrollY; still = 0; }
                else if (++still >= 10) return resolve(scrollY);
                requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        })"""
    )


def stored(page) -> dict:  # noqa: ANN001
    return page.evaluate("() => JSON.parse(localStorage.getItem('micrograd-notes.player') || '{}')")


# ---- The built pages --------------------------------------------------------------------------


def test_every_page_carries_the_chapter_data_from_the_one_chapter_list(built_site: Path) -> None:
    html = (built_site / "master-notes" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="lecture-data">(.*?)</script>', html)
    assert found, "no chapter data on the Master Notes"
    data = json.loads(found.group(1))
    assert data["video"]["id"] == LECTURE.video_id
    assert data["video"]["embed"] == f"https://www.youtube-nocookie.com/embed/{LECTURE.video_id}"
    assert [(c["number"], c["seconds"], c["title"]) for c in data["chapters"]] == [
        (c.number, c.seconds, c.title) for c in CHAPTERS
    ]
    # The data sits outside the container that instant navigation swaps.
    assert html.index('id="lecture-data"') < html.index('data-md-component="container"')
    assert 'id="lecture-data"' in (built_site / "index.html").read_text(encoding="utf-8")


def test_every_timestamp_link_keeps_its_youtube_address(built_site: Path) -> None:
    watch = re.escape(lecture.video_url())
    checked = 0
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<a [^>]*video-link[^>]*>", html):
            assert re.search(rf'href="{watch}&(amp;)?t=\d+s"', tag), f"{page}: {tag}"
            checked += 1
    assert checked >= len(CHAPTERS) * 2


def test_master_notes_contents_show_each_chapters_timestamp(built_site: Path) -> None:
    html = (built_site / "master-notes" / "index.html").read_text(encoding="utf-8")
    toc = html[html.index('class="md-nav md-nav--secondary"') :]
    for chapter in CHAPTERS:
        entry = re.search(
            rf'href="#chapter-{chapter.number}"[^>]*>\s*<span class="md-ellipsis">'
            r"\s*([^<]*?)\s*</span>",
            toc,
        )
        assert entry, f"chapter {chapter.number} is not in the contents"
        assert entry.group(1).startswith(f"{chapter.timestamp} · {chapter.number}. ")


def test_a_chapters_notes_link_lands_where_its_page_starts_covering_it(built_site: Path) -> None:
    first_on_page: dict[str, lecture.Chapter] = {}
    for chapter in CHAPTERS:
        first_on_page.setdefault(chapter.topic.partition("#")[0], chapter)
    for page, chapter in first_on_page.items():
        anchor = chapter.topic.partition("#")[2]
        if not anchor:
            continue  # the top of the page
        html = (built_site / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        first_section = re.search(r'<h2 id="([^"]+)"', html).group(1)
        assert anchor == first_section, f"chapter {chapter.number} skips the start of {page}"


def test_notebook_pages_name_their_chapter_and_link_its_notes_and_master_notes_entry(
    built_site: Path,
) -> None:
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        chapter = LECTURE.chapter_for_notebook(notebook.name)
        if chapter is None:
            continue
        page = built_site / "notebooks" / notebook.stem / "index.html"
        html = page.read_text(encoding="utf-8")
        line = re.search(r'<p class="notebook-chapter">(.*?)</p>', html)
        assert line and f"Chapter {chapter.number} of the lecture" in line.group(1)
        topic, _, anchor = chapter.topic.partition("#")
        topic_href = "../../" + topic.removesuffix(".md") + "/" + (f"#{anchor}" if anchor else "")
        assert f'href="{topic_href}"' in line.group(1), notebook.name
        assert f'href="../../master-notes/#chapter-{chapter.number}"' in line.group(1)


def test_notebooks_and_topic_pages_are_told_apart_in_navigation_and_search(
    built_site: Path,
) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    titles = {d["location"]: d["title"] for d in index["docs"] if "#" not in d["location"]}
    notebooks = {
        t for loc, t in titles.items() if loc.startswith("notebooks/") and loc != "notebooks/"
    }
    topics = {t for loc, t in titles.items() if loc.startswith("lecture/")}
    assert len(notebooks) == len(list((ROOT / "notebooks").glob("*.ipynb")))
    assert notebooks.isdisjoint(topics)
    html = (built_site / "index.html").read_text(encoding="utf-8")
    entries = dict(
        re.findall(
            r'<a href="([^"#][^"]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">'
            r"\s*([^<]+?)\s*<",
            html,
        )
    )
    assert len(entries) > 40
    labels = list(entries.values())
    assert len(labels) == len(set(labels)), "two navigation entries read the same"


# ---- In the browser ---------------------------------------------------------------------------

browser_test = pytest.mark.browser


@browser_test
def test_nothing_leaves_the_site_before_the_learner_asks_then_only_the_nocookie_embed(
    site, context
) -> None:  # noqa: ANN001
    page, traffic = open_site(context, site, "master-notes/")
    facade = page.get_by_role("button", name="Play the lecture here")
    facade.wait_for()
    page.wait_for_timeout(300)
    assert traffic.offsite == []
    assert (
        page.locator(".player__notice")
        .inner_text()
        .startswith("Playing loads the video from YouTube")
    )
    facade.click()
    fake_embed(page)
    assert traffic.offsite, "the embed was not requested"
    for url in traffic.offsite:
        assert url.startswith(EMBED + "?") and "enablejsapi=1" in url, url
    assert traffic.errors == []


@browser_test
def test_a_timestamp_plays_in_the_dock_and_a_second_one_seeks_the_same_player(
    site, context
) -> None:  # noqa: ANN001
    page, traffic = open_site(context, site, "master-notes/")
    links = page.locator("article a.video-link")
    assert links.count() == len(CHAPTERS)
    for i, chapter in enumerate(CHAPTERS):
        assert links.nth(i).get_attribute("href") == chapter.url
    address = page.url
    timestamp_link(page, 3172).click()
    frame = fake_embed(page)
    wait_for_time(frame, 3172, 3180)
    assert "start=3172" in frame.url
    assert page.url.split("#")[0] == address and len(context.pages) == 1
    timestamp_link(page, 1930).click()
    wait_for_time(frame, 1930, 1940)
    assert ["seekTo", 1930, True] in frame.evaluate("fake.commands")
    assert page.locator("iframe.player__frame").count() == 1
    assert page.url.split("#")[0] == address and len(context.pages) == 1
    assert page.locator(".player__now").inner_text().startswith("6 · 00:32:10 manual backprop")
    assert traffic.errors == []


@browser_test
def test_the_notes_follow_the_video_until_the_learner_scrolls(site, context) -> None:  # noqa: ANN001
    page, _ = open_site(context, site, "master-notes/")
    timestamp_link(page, 0).click()
    frame = fake_embed(page)
    assert not in_view(page, "#chapter-8")
    frame.evaluate("fake.seek(3300)")
    page.wait_for_selector('#chapter-8[aria-current="true"]')
    assert page.locator('[aria-current="true"]').count() == 1
    page.wait_for_function(
        "() => { const t = document.getElementById('chapter-8').getBoundingClientRect().top;"
        " return t >= 0 && t < innerHeight / 2; }"
    )
    at_rest(page)
    assert in_view(page, "#chapter-8")
    follow = page.get_by_role("switch", name="Follow")
    assert follow.get_attribute("aria-checked") == "true"
    page.mouse.move(400, 400)
    page.mouse.wheel(0, -1500)
    page.wait_for_function(
        "() => document.querySelector('[data-do=follow]').ariaChecked === 'false'"
    )
    at_rest(page)
    page.evaluate("scrollTo({top: 0, behavior: 'instant'})")  # where the learner went
    scrolled = at_rest(page)
    frame.evaluate("fake.seek(4200)")  # chapter 9
    page.wait_for_selector('#chapter-9[aria-current="true"]')
    page.wait_for_timeout(800)
    assert abs(page.evaluate("scrollY") - scrolled) < 50  # the page stayed where the learner is
    assert not in_view(page, "#chapter-9")
    follow.click()  # following again brings the chapter into view
    page.wait_for_function(
        "() => { const t = document.getElementById('chapter-9').getBoundingClientRect().top;"
        " return t >= 0 && t < innerHeight / 2; }"
    )


@browser_test
def test_scrolling_by_hand_stops_the_notes_where_they_are_while_they_follow(site, context) -> None:  # noqa: ANN001
    page, _ = open_site(context, site, "master-notes/")
    timestamp_link(page, 0).click()
    frame = fake_embed(page)
    start = at_rest(page)
    # The learner's wheel comes once the notes have set off for chapter 8, far below. The event
    # is sent from the page's first scroll past 100 px, so that it comes mid-way whatever the
    # machine's speed; it scrolls nothing itself, like a wheel on a page at its end.
    page.evaluate(
        """(start) => addEventListener("scroll", function once() {
            if (Math.abs(scrollY - start) < 100) return;
            removeEventListener("scroll", once);
            window.wheeledAt = scrollY;
            const wheel = new WheelEvent("wheel", {deltaY: -100, bubbles: true});
            document.querySelector("article").dispatchEvent(wheel);
        })""",
        start,
    )
    frame.evaluate("fake.seek(3300)")
    page.wait_for_selector('#chapter-8[aria-current="true"]')
    page.wait_for_function("() => window.wheeledAt !== undefined")
    stopped = at_rest(page)
    assert page.get_by_role("switch", name="Follow").get_attribute("aria-checked") == "false"
    assert abs(stopped - page.evaluate("wheeledAt")) < 100  # stopped about where it was
    assert not in_view(page, "#chapter-8")  # instead of going on to the chapter


@browser_test
def test_the_player_keeps_playing_across_an_instant_navigation_and_marks_the_topic_section(
    site, context
) -> None:  # noqa: ANN001
    page, traffic = open_site(context, site, "master-notes/")
    page.evaluate("window.sameVisit = true")
    timestamp_link(page, 3172).click()
    frame = fake_embed(page)
    dock_notes = page.locator(".player a[data-link='topic']")
    assert dock_notes.get_attribute("href").endswith("/lecture/manual-backprop/#example-2-a-neuron")
    assert (
        page.locator(".player a[data-link='notebook']")
        .get_attribute("href")
        .endswith("/notebooks/08-backprop-neuron/")
    )
    dock_notes.click()
    page.wait_for_url("**/lecture/manual-backprop/**")
    page.wait_for_selector('#example-2-a-neuron[aria-current="true"]')
    assert page.evaluate("window.sameVisit") is True  # no full page load
    assert not frame.is_detached()
    before = frame.evaluate("fake.time()")
    page.wait_for_timeout(600)
    assert frame.evaluate("fake.time()") > before  # still playing
    assert page.locator("iframe.player__frame").count() == 1
    assert traffic.errors == []


@browser_test
def test_the_dock_offers_to_resume_after_a_reload_and_ticks_a_chapter_played_to_its_end(
    site, context
) -> None:  # noqa: ANN001
    page, _ = open_site(context, site, "master-notes/")
    timestamp_link(page, 3172).click()
    frame = fake_embed(page)
    end = CHAPTERS[8].seconds  # chapter 8 ends where chapter 9 starts
    frame.evaluate(f"fake.seek({end - 1.2})")
    page.wait_for_selector("#chapter-8 .player-tick", timeout=10_000)
    assert page.locator("#chapter-7 .player-tick").count() == 0  # skipped, not watched
    assert page.locator(".md-nav--secondary a[href$='#chapter-8'] .player-tick").count() == 2
    assert page.locator(".md-nav--primary a[href$='08-backprop-neuron/'] .player-tick").count() == 1
    frame.evaluate("fake.pause()")
    last = int(frame.evaluate("fake.time()"))
    page.wait_for_function(
        f"() => JSON.parse(localStorage['micrograd-notes.player']).position === {last}"
    )
    assert stored(page)["watched"] == [8]
    page.reload(wait_until="networkidle")
    resume = page.get_by_role("button", name=f"Resume the lecture at {lecture.timestamp(last)}")
    resume.wait_for()
    assert f"Resume at {lecture.timestamp(last)}" in resume.inner_text()
    assert page.locator("#chapter-8 .player-tick").count() == 1
    page.get_by_role("button", name="Reset progress").click()
    assert page.locator(".player-tick").count() == 0
    assert stored(page) == {"watched": []}
    page.get_by_role("button", name="Play the lecture here").wait_for()


@browser_test
def test_on_a_phone_the_mini_player_leaves_the_text_readable(site, browser) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page, _ = open_site(context, site, "master-notes/")
        timestamp_link(page, 3172).click()
        fake_embed(page)
        dock = page.locator("#lecture-player").bounding_box()
        assert dock["height"] < 844 * 0.3 and dock["y"] + dock["height"] == pytest.approx(
            844, abs=1
        )
        page.get_by_role("button", name="Larger player").click()
        assert page.locator("#lecture-player").bounding_box()["height"] < 844 * 0.45
        page.get_by_role("button", name="Larger player").click()
        # No sideways scrolling, paragraphs as wide as the screen allows, in a readable size.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        paragraph = page.locator("article p").first.bounding_box()
        assert paragraph["width"] > 300
        assert (
            page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
            )
            >= 14
        )
        # The end of the page can be scrolled out from under the dock.
        page.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(200)
        dock = page.locator("#lecture-player").bounding_box()
        footer = page.locator(".md-footer-meta").bounding_box()
        assert footer["y"] + footer["height"] <= dock["y"] + 1
    finally:
        context.close()


@browser_test
def test_the_contents_beside_the_dock_appear_below_it_and_never_move(site, browser) -> None:  # noqa: ANN001
    """On a wide screen the page's contents start below the dock. They stay hidden until
    player.js knows the dock's height, also when a slow script holds the page back after
    player.js has run: a frame is then painted before the page decides to show the dock."""
    context = browser.new_context(viewport={"width": 1350, "height": 940})
    try:
        built_site, site_url = site
        Traffic(context, built_site, site_url)
        page = context.new_page()
        page.add_init_script(
            """window.sidebarShifts = [];
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries())
                for (const source of entry.sources)
                  if (source.node?.closest?.(".md-sidebar--secondary"))
                    window.sidebarShifts.push([source.previousRect.y, source.currentRect.y]);
            }).observe({ type: "layout-shift", buffered: true });"""
        )

        def slow_script(route) -> None:  # noqa: ANN001 - a Playwright Route
            time.sleep(0.8)  # the browser goes on painting meanwhile; only the answer waits
            route.continue_()

        page.route("**/assets/javascripts/figures.js", slow_script)
        page.goto(site_url + "lecture/manual-backprop/", wait_until="load")
        page.wait_for_timeout(300)
        dock = page.locator("#lecture-player").bounding_box()
        contents = page.locator(".md-sidebar--secondary .md-sidebar__scrollwrap")
        assert contents.is_visible()
        assert contents.bounding_box()["y"] >= dock["y"] + dock["height"]
        assert page.evaluate("window.sidebarShifts") == []
    finally:
        context.close()


@browser_test
def test_keyboard_alone_reaches_and_labels_the_facade_the_dock_buttons_and_the_follow_switch(
    site, context
) -> None:  # noqa: ANN001
    page, _ = open_site(context, site, "master-notes/")

    def dock_stops() -> list[str]:
        """Tab from the page's last link (in the footer) through the dock, which follows it."""
        page.locator(".md-footer-meta a").last.focus()
        names = []
        for _ in range(20):
            page.keyboard.press("Tab")
            name = page.evaluate(
                """() => { const e = document.activeElement;
                if (!e.closest('#lecture-player')) return null;
                const name = (e.getAttribute('aria-label') || e.title || e.textContent).trim();
                return (e.getAttribute('role') || e.tagName.toLowerCase()) + ': ' + name; }"""
            )
            if name is None:
                break
            names.append(name)
        return names

    idle = dock_stops()
    assert "button: Play the lecture here" in idle
    assert {
        "button: Collapse the player",
        "button: Larger player",
        "button: Close the player",
    } <= set(idle)
    page.get_by_role("button", name="Play the lecture here").focus()
    page.keyboard.press("Enter")
    fake_embed(page)
    # The facade gives way to the video, and the keyboard's focus goes with it.
    assert page.evaluate("document.activeElement.classList.contains('player__frame')")
    playing = dock_stops()
    assert "switch: Follow" in playing
    assert any(n.startswith("button: Next chapter: 2 · 00:00:25") for n in playing), playing
    assert "a: Notes on chapter 1" in playing
    follow = page.get_by_role("switch", name="Follow")
    follow.focus()
    page.keyboard.press("Space")
    assert follow.get_attribute("aria-checked") == "false"
    collapse = page.get_by_role("button", name="Collapse the player")
    collapse.focus()
    page.keyboard.press("Enter")
    assert (
        page.get_by_role("button", name="Expand the player").get_attribute("aria-expanded")
        == "false"
    )


@browser_test
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_wrong_on_pages_with_the_dock(site, browser, scheme: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # Material keeps the chosen palette under "<site path>.__palette"; the site is served at /.
    palette = {"index": 2 if scheme == "slate" else 1, "color": {"scheme": scheme}}
    context.add_init_script(f"localStorage.setItem('/.__palette', '{json.dumps(palette)}')")
    try:
        axe = AXE.read_text(encoding="utf-8")
        problems = []
        page, _ = open_site(context, site, "master-notes/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
        for state in ("idle", "playing", "topic page", "notebook page"):
            if state == "playing":
                timestamp_link(page, 3172).click()
                fake_embed(page)
            if state == "topic page":
                page.locator(".player a[data-link='topic']").click()
                page.wait_for_selector('[aria-current="true"]')
            if state == "notebook page":
                page.locator(".player a[data-link='notebook']").click()
                page.wait_for_url("**/notebooks/08-backprop-neuron/")
            page.wait_for_timeout(300)  # colour transitions and the follow scroll settle
            page.add_script_tag(content=axe)
            # Every rule on the dock; contrast on the links and buttons of the page (hovered
            # and focused ones included) and on the chapter marked as playing.
            violations = page.evaluate(
                """async () => {
                const report = (r) => r.violations.map(
                    (v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' '
                        + (n.any[0] || {}).message));
                const dock = await axe.run('#lecture-player', {iframes: false});
                const contrast = await axe.run(
                    {include: ['.md-content a', '.md-nav a', '[data-player-current]']},
                    {runOnly: ['color-contrast'], iframes: false});
                return [...report(dock), ...report(contrast)]; }"""
            )
            problems += [f"{state}: {v}" for v in violations]
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


@browser_test
def test_when_youtube_never_answers_the_dock_says_so_with_a_link_to_the_video(
    site, context
) -> None:  # noqa: ANN001
    silent = "<!doctype html><title>silent</title><p>nothing</p>"
    context.route(
        re.compile(re.escape(EMBED) + r"\?"),
        lambda route: route.fulfill(content_type="text/html", body=silent),
    )
    page = context.new_page()
    page.clock.install()
    page.goto(site[1] + "master-notes/", wait_until="networkidle")
    timestamp_link(page, 3172).click()
    page.wait_for_selector("iframe.player__frame")
    message = page.locator(".player__message")
    assert message.is_hidden()
    page.clock.fast_forward("00:16")
    message.wait_for()
    assert "did not answer" in message.inner_text()
    link = message.get_by_role("link")
    assert link.get_attribute("href") == lecture.video_url(3172)
