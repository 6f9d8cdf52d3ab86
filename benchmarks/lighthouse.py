"""Lighthouse scores for a few pages of the built site. A benchmark, not a test.

    make lighthouse      (builds the site, then runs this)

Serves site/ on 127.0.0.1 with gzip (as GitHub Pages does), runs the npm package `lighthouse`
(fetched by npx on first use) against Debian's Chromium, and prints performance, accessibility,
best practices and SEO for the home page, the Master Notes and one notebook page, with
Lighthouse's default mobile emulation (a slow phone: 4x CPU slowdown, throttled network) and with
its desktop preset. Target (issue 3): 100 / 100 / 100 / 100. Mobile performance scores vary by a
few points from run to run.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
LIGHTHOUSE = "lighthouse@13.5.0"
PAGES = ["", "master-notes/", "notebooks/08-backprop-neuron/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it, with a cache lifetime like a CDN's."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        pass

    def send_head(self):  # noqa: ANN201 - same as the base class
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def main() -> None:
    if not (SITE / "index.html").exists():
        sys.exit("site/ is not built: run 'make build' (or 'make lighthouse') first")
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(SITE))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    print(f"{'page':<34}{'device':>8}" + "".join(f"{c:>16}" for c in CATEGORIES))
    with tempfile.TemporaryDirectory() as tmp:
        for page, device in [(p, d) for p in PAGES for d in ("mobile", "desktop")]:
            report = Path(tmp) / "report.json"
            command = [
                "npx", "--yes", LIGHTHOUSE, base + page,
                "--quiet", "--output=json", f"--output-path={report}",
                "--only-categories=" + ",".join(CATEGORIES),
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                *(["--preset=desktop"] if device == "desktop" else []),
            ]  # fmt: skip
            env = {**os.environ, "CHROME_PATH": chromium}
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"lighthouse failed on /{page}:\n{result.stderr[-2000:]}")
            scores = json.loads(report.read_text())["categories"]
            row = "".join(f"{round(scores[c]['score'] * 100):>16}" for c in CATEGORIES)
            print(f"{'/' + page:<34}{device:>8}{row}")
    server.shutdown()


if __name__ == "__main__":
    main()
