"""Site build benchmark: prints build times and page sizes. A benchmark, not a test.

    .venv/bin/python benchmarks/site.py        (or: make bench-site)

Measures, on this machine:
- a clean build (every notebook executed: empty notebook cache),
- a warm rebuild (nothing changed: every notebook comes from the cache),
- a rebuild after editing one markdown page,
- the size of the built site and its largest HTML pages.
Targets (issue 3): clean < 60 s, warm < 3 s, no page over 300 KB of HTML.
The real caches in .cache/ are left alone: the clean build starts from empty ones.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
EDITED_PAGE = ROOT / "docs" / "master-notes.md"
# Loaded by every page (the search index, by Material's search worker), by every notebook page,
# by every page with math.
SHARED_FILES = (
    "search/search_index.json",
    "assets/stylesheets/jupyter.css",
    "assets/vendor/katex/katex.css",
)


def build(site: Path, cache: Path) -> float:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "MICROGRAD_NOTEBOOK_CACHE": str(cache / "notebooks"),
        "MKDOCS_JUPYTER_CACHE": str(cache / "mkdocs-jupyter"),
    }
    started = time.perf_counter()
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    return elapsed


def kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def weight(path: Path) -> str:
    """Size on disk and gzipped (as GitHub Pages serves it)."""
    data = path.read_bytes()
    return f"{kilobytes(len(data)):>8} / {kilobytes(len(gzip.compress(data))):>7}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "cache"
        clean = build(site, cache)
        warm = build(site, cache)
        original = EDITED_PAGE.read_text(encoding="utf-8")
        try:
            EDITED_PAGE.write_text(original + "\n<!-- benchmark edit -->\n", encoding="utf-8")
            edited = build(site, cache)
        finally:
            EDITED_PAGE.write_text(original, encoding="utf-8")

        files = [p for p in site.rglob("*") if p.is_file()]
        pages = sorted(
            (p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size, reverse=True
        )
        notebooks = len(list((ROOT / "notebooks").glob("*.ipynb")))
        print(f"notebooks executed          {notebooks}")
        print(f"clean build                 {clean:6.1f} s   (target < 60 s)")
        print(f"warm rebuild                {warm:6.1f} s   (target < 3 s)")
        print(f"rebuild after one md edit   {edited:6.1f} s")
        print(f"site/ total                 {kilobytes(sum(p.stat().st_size for p in files))}")
        print(f"HTML pages                  {len(pages)}")
        print("largest pages (target: none over 300 KB), raw / gzip:")
        for page in pages[:5]:
            print(f"  {weight(page)}  {page.relative_to(site)}")
        # What the whole of a page weighs in transfer (fonts, scripts) is in `make lighthouse`.
        print("shared files, raw / gzip:")
        for name in SHARED_FILES:
            if (site / name).exists():
                print(f"  {weight(site / name)}  {name}")


if __name__ == "__main__":
    main()
