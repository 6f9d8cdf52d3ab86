"""Live code in the browser: how long learners wait. A benchmark, not a test.

    make bench-live      (builds the site, then runs this)

Serves site/ on 127.0.0.1 with gzip (as GitHub Pages does) and, in headless Chromium with an
empty cache, for each of REPEATS fresh browser contexts:

- cold: opens the Playground and clicks Run at once; the time to the first printed output
  (Pyodide, the engine and Graphviz are fetched and started; the Playground starts loading
  Python when it opens, which is part of this time);
- warm: the time from a second Run to its first output;
- after moving page: moves to a topic page with instant navigation (the worker survives) and
  times a Run of its live block;
- Stop: runs `while True: pass`, clicks Stop, and times until the block says it stopped, and
  until a fresh Python is ready again;
- bytes fetched from opening the Playground to the end of the cold run (as sent, gzip where used).

Targets (issue 9): cold < 3 s, warm < 100 ms, after moving page < 100 ms, Stop < 1 s.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer

from lighthouse import SITE, GzipHandler  # benchmarks/lighthouse.py
from playwright.sync_api import sync_playwright

REPEATS = 3
TOPIC = "lecture/gradient-accumulation/"  # a topic page with a live block


def type_code(page, code: str) -> None:  # noqa: ANN001 - a Playwright Page
    page.locator(".live-block .cm-content").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def time_run(page, settle: bool = True) -> float:  # noqa: ANN001
    """Seconds from clicking Run to the first result shown; waits for the run to end."""
    page.evaluate("document.querySelector('.live-output')?.replaceChildren()")
    if settle:  # scrolling to the button is not part of the run
        page.locator(".live-run").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
    start = time.perf_counter()
    page.click(".live-run")
    page.wait_for_selector(
        ".live-output :is(.live-stdout, .live-value, .live-graph)", timeout=120_000
    )
    seconds = time.perf_counter() - start
    page.wait_for_selector(".live-run:not([hidden])", timeout=120_000)
    return seconds


def run_once(browser, base: str) -> dict[str, float]:  # noqa: ANN001 - a Playwright Browser
    context = browser.new_context()
    page = context.new_page()
    # Instant navigation follows only sitemap.xml's links, which are the deployed site's.
    sitemap = (SITE / "sitemap.xml").read_text(encoding="utf-8")
    sitemap = re.sub(r"<loc>https?://[^/]+/[^/<]*/?", f"<loc>{base}", sitemap)
    page.route(
        base + "sitemap.xml",
        lambda route: route.fulfill(status=200, content_type="application/xml", body=sitemap),
    )
    fetched: list[int] = []
    page.on("requestfinished", lambda request: fetched.append(request.sizes()["responseBodySize"]))
    page.goto(base + "playground/")
    page.wait_for_selector(".live-block .live-run")
    figures = {"cold": time_run(page, settle=False)}
    figures["bytes"] = sum(fetched)
    figures["warm"] = min(time_run(page) for _ in range(3))
    page.evaluate(f"document.querySelector(\"a[href$='{TOPIC}']\").click()")
    page.wait_for_selector(".live-block .cm-content")
    figures["moved"] = time_run(page)
    type_code(page, "print('running')\nwhile True:\n    pass")
    page.click(".live-run")
    page.wait_for_selector(".live-stdout")
    start = time.perf_counter()
    page.click(".live-stop")
    page.wait_for_selector(".live-problem")
    figures["stop"] = time.perf_counter() - start
    type_code(page, "print('fresh')")
    figures["fresh"] = time_run(page) + figures["stop"]
    context.close()
    return figures


def main() -> None:
    if not (SITE / "playground" / "index.html").exists():
        sys.exit("site/ is not built: run 'make build' (or 'make bench-live') first")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        runs = [run_once(browser, base) for _ in range(REPEATS)]
        browser.close()
    server.shutdown()

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    ms = {key: median(key) * 1000 for key in ("warm", "moved", "stop")}
    print(f"Live code, median of {REPEATS} fresh browser contexts (headless Chromium):")
    print(f"  cold: open the Playground, Run, first output {median('cold'):6.2f} s   target < 3 s")
    print(f"  warm: a second Run to its first output     {ms['warm']:6.0f} ms  target < 100 ms")
    print(f"  Run after moving to another page           {ms['moved']:6.0f} ms  target < 100 ms")
    print(f"  Stop: click to 'Stopped'                   {ms['stop']:6.0f} ms  target < 1 s")
    print(f"  Stop, then the next run's first output     {median('fresh'):6.2f} s")
    print(f"  fetched for the cold run                   {median('bytes') / 1e6:6.2f} MB (as sent)")


if __name__ == "__main__":
    main()
