"""Where a clean `mkdocs build --strict` spends its time, in CPU seconds. A benchmark, not a test.

    .venv/bin/python benchmarks/build.py              # the build, phase by phase
    .venv/bin/python benchmarks/build.py --notebooks  # and every notebook on its own

The build runs in this process, as `mkdocs build --strict` would, into a temporary folder with
empty notebook caches (MICROGRAD_NOTEBOOK_CACHE, MKDOCS_JUPYTER_CACHE; the caches in .cache/ are
left alone). Every MkDocs event handler of every plugin and hook is timed: wall time and CPU
time, the CPU time of this process plus that of the child processes it has waited for (the
notebook kernels, Node, Graphviz's `dot`). The machine may be shared: CPU time is what other
programs disturb least, and with 2 cores a build cannot take less wall time than about half its
CPU time, or less than the CPU time of the parts that run one after the other.

With --notebooks, each notebook is then executed once more on its own, one at a time, with the
build's own executor (hooks/notebooks.py): the kernel's CPU time (getrusage of the children) and
the CPU time of the client in this process.
"""

from __future__ import annotations

import collections
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def profile_build(work: Path) -> None:
    os.environ.update(
        NO_MKDOCS_2_WARNING="1",
        MICROGRAD_NOTEBOOK_CACHE=str(work / "notebooks"),
        MKDOCS_JUPYTER_CACHE=str(work / "mkdocs-jupyter"),
    )
    os.chdir(ROOT)
    from mkdocs import plugins
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    spent: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])
    run_event = plugins.PluginCollection.run_event

    def timed_run_event(self, name, item=None, **kwargs):  # noqa: ANN001, ANN202
        def timed(method):  # noqa: ANN001, ANN202
            owner = getattr(method, "__module__", "?")

            def call(*args, **kw):  # noqa: ANN002, ANN003, ANN202
                wall, cpu = time.perf_counter(), cpu_seconds()
                try:
                    return method(*args, **kw)
                finally:
                    entry = spent[f"{name}: {owner}"]
                    entry[0] += time.perf_counter() - wall
                    entry[1] += cpu_seconds() - cpu

            return call

        original = self.events[name]
        self.events[name] = [timed(method) for method in original]
        try:
            return run_event(self, name, item, **kwargs)
        finally:
            self.events[name] = original

    plugins.PluginCollection.run_event = timed_run_event
    wall, cpu = time.perf_counter(), cpu_seconds()
    config = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(work / "site"))
    setup = (time.perf_counter() - wall, cpu_seconds() - cpu)
    wall, cpu = time.perf_counter(), cpu_seconds()
    build(config)
    total = (time.perf_counter() - wall, cpu_seconds() - cpu)
    in_events = sum(cpu for _, cpu in spent.values())
    print(f"{'phase':<58}{'wall':>9}{'CPU':>9}")
    print(
        f"{'configuration (set-up, not part of the build)':<58}{setup[0]:>8.1f}s{setup[1]:>8.1f}s"
    )
    for name, (wall_s, cpu_s) in sorted(spent.items(), key=lambda kv: -kv[1][1]):
        if cpu_s >= 0.05:
            print(f"{name:<58}{wall_s:>8.1f}s{cpu_s:>8.1f}s")
    rest = "everything else (pages read, rendered, written)"
    print(f"{rest:<58}{'':>9}{total[1] - in_events:>8.1f}s")
    print(f"{'the build':<58}{total[0]:>8.1f}s{total[1]:>8.1f}s")


def profile_notebooks(work: Path) -> None:
    sys.path.insert(0, str(ROOT / "hooks"))
    import notebooks  # hooks/notebooks.py

    os.environ["SOURCE_DATE_EPOCH"] = "0"
    os.environ["MATPLOTLIBRC"] = str(ROOT / "hooks" / "matplotlibrc")

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def own() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    print(f"\n{'notebook, executed alone':<40}{'wall':>9}{'kernel CPU':>12}{'client CPU':>12}")
    totals = [0.0, 0.0, 0.0]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        wall, kernel, client = time.perf_counter(), children(), own()
        notebooks.execute(notebook, work / "alone" / notebook.name)
        figures = (time.perf_counter() - wall, children() - kernel, own() - client)
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        print(f"{notebook.name:<40}{figures[0]:>8.1f}s{figures[1]:>11.1f}s{figures[2]:>11.1f}s")
    print(f"{'all notebooks':<40}{totals[0]:>8.1f}s{totals[1]:>11.1f}s{totals[2]:>11.1f}s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="micrograd-build-") as folder:
        profile_build(Path(folder))
        if "--notebooks" in sys.argv[1:]:
            profile_notebooks(Path(folder))


if __name__ == "__main__":
    main()
