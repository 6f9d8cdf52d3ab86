"""Lighthouse scores for the four kinds of page of the built site. A benchmark, not a test.

    make lighthouse      (builds the site, then runs this)
    SITE_DIR=/some/site .venv/bin/python benchmarks/lighthouse.py     (another built site)

Serves the site on 127.0.0.1 with gzip (as GitHub Pages does) and runs Lighthouse against
Debian's Chromium on the Master Notes, a topic page, a notebook page and the Playground, with
Lighthouse's default mobile emulation (a slow phone: 4x CPU slowdown, throttled network) and with
its desktop preset. Prints performance, accessibility, best practices and SEO, the layout shift
(CLS), the total blocking time and the bytes the page transferred.

Lighthouse comes from the npm registry, pinned, into `.cache/lighthouse/` (installed on first
use; not a dependency of the site): 12.2.3 is the last version that runs on Node 20, 13.x needs
Node 22. Targets (issue 12): mobile performance >= 95 with layout shift 0 on all four pages;
accessibility, best practices and SEO 100. Scores vary by a few points from run to run: compare
before and after in one sitting.
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
SITE = Path(os.environ.get("SITE_DIR", ROOT / "site")).resolve()
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "Master Notes": "master-notes/",
    "topic page": "lecture/manual-backprop/",
    "notebook page": "notebooks/08-backprop-neuron/",
    "Playground": "playground/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".map", ".txt")


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


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    """The site served with gzip on a free port of 127.0.0.1, and its base URL."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} (once)")
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-save", "--no-audit"]
    command += ["--no-fund", "--no-package-lock", f"lighthouse@{LIGHTHOUSE_VERSION}"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"could not install lighthouse from the npm registry:\n{result.stderr[-2000:]}")


def run(url: str, device: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url,
        "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        *(["--preset=desktop"] if device == "desktop" else []),
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        **{c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def main() -> None:
    if not (SITE / "index.html").exists():
        sys.exit(f"{SITE} is not a built site: run 'make build' (or 'make lighthouse') first")
    install_lighthouse()
    server, base = serve(SITE)
    heads = ["perf", "a11y", "best pr.", "SEO", "CLS", "TBT ms", "transferred"]
    print(f"{'page':<15}{'device':<9}" + "".join(f"{h:>12}" for h in heads))
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in PAGES.items():
            for device in ("mobile", "desktop"):
                r = run(base + path, device, Path(tmp) / "report.json")
                cells = [r[c] for c in CATEGORIES]
                cells += [f"{r['cls']:.3f}", f"{r['tbt']:.0f}", f"{r['bytes'] / 1024:,.0f} KB"]
                print(f"{name:<15}{device:<9}" + "".join(f"{c:>12}" for c in cells), flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
