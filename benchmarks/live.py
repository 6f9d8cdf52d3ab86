"""Live code in the browser: how long the first and a second Run take. A benchmark, not a test.

    make bench-live      (builds the site, then runs this)

Serves site/ on 127.0.0.1 with gzip (as GitHub Pages does), opens the Playground in headless
Chromium with an empty cache, clicks Run and times the wait for the output (cold: Pyodide,
the engine and Graphviz are fetched and started), then clicks Run again (warm). Prints both
times and the bytes fetched by the first run. Targets (issue 5): cold under 5 s, warm under
100 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer

from lighthouse import SITE, GzipHandler  # benchmarks/lighthouse.py
from playwright.sync_api import sync_playwright

DONE = ".live-output .live-graph svg"
REPEATS = 3


def run_once(browser, base: str) -> tuple[float, float, int]:  # noqa: ANN001 - a Playwright Browser
    """Cold and warm seconds, and the bytes fetched from the first click on, in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "playground/", wait_until="networkidle")
    fetched: list[int] = []

    def count(request) -> None:  # noqa: ANN001 - a Playwright Request
        fetched.append(request.sizes()["responseBodySize"])

    page.on("requestfinished", count)
    start = time.perf_counter()
    page.click(".live-run")
    page.wait_for_selector(DONE, timeout=120_000)
    cold = time.perf_counter() - start
    page.wait_for_function("!document.querySelector('.live-run').disabled")
    page.evaluate("document.querySelector('.live-output').replaceChildren()")
    start = time.perf_counter()
    page.click(".live-run")
    page.wait_for_selector(DONE)
    warm = time.perf_counter() - start
    context.close()
    return cold, warm, sum(fetched)


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
    cold = statistics.median(r[0] for r in runs)
    warm = statistics.median(r[1] for r in runs)
    fetched = runs[0][2]
    print(f"Playground, neuron example, median of {REPEATS} fresh browser contexts:")
    print(f"  first Run (cold, loads Python):  {cold:6.2f} s    target < 5 s")
    print(f"  second Run (warm):               {warm * 1000:6.0f} ms   target < 100 ms")
    print(f"  fetched by the first Run:        {fetched / 1e6:6.2f} MB (as sent, gzip where used)")


if __name__ == "__main__":
    main()
