"""What the docked video player adds to a page before the learner presses Play. A benchmark.

    .venv/bin/python benchmarks/player.py [SITE_DIR]      (default: site/)

Reads the built site and prints, raw and gzip-compressed (level 9, as a CDN would send them):
the player's script and stylesheet, the poster of the click-to-load facade, and the chapter data
each page carries (the `<script id="lecture-data">` element, measured as the extra bytes it adds
to the compressed Master Notes page). Nothing from YouTube is loaded before Play, so this is the
whole cost. Target (issue 8): under 10 KB compressed.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = [
    "assets/javascripts/player.js",
    "assets/stylesheets/player.css",
    "assets/images/lecture-poster.svg",
]
TARGET = 10 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    page = site / "master-notes" / "index.html"
    if not page.exists():
        sys.exit(f"{site} holds no built site: run 'make build' first")
    rows = []
    for asset in ASSETS:
        data = (site / asset).read_bytes()
        rows.append((asset, len(data), gz(data)))
    html = page.read_bytes()
    without = re.sub(rb'<script type="application/json" id="lecture-data">.*?</script>', b"", html)
    rows.append(("chapter data in each page", len(html) - len(without), gz(html) - gz(without)))
    print(f"{'what':40} {'bytes':>8} {'gzip':>8}")
    for name, raw, packed in rows:
        print(f"{name:40} {raw:8,} {packed:8,}")
    total = sum(packed for _, _, packed in rows)
    print(f"{'total before Play':40} {sum(raw for _, raw, _ in rows):8,} {total:8,}")
    print(f"target: under {TARGET:,} bytes compressed: {'met' if total < TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
