"""Engine benchmark: this package against the original micrograd 0.1.0. A benchmark, not a test.

    .venv/bin/python benchmarks/engine.py        (or: make bench-engine)

The original is downloaded once from PyPI into .cache/bench/ (never installed: its top-level
module is also called `micrograd`) and loaded under the name `original_micrograd`. Both engines
do the same work in the same process:

1. expression: build a 10,001-node expression (a running sum of products of leaves) and
   back-propagate it;
2. training: 20 steps of MLP(2, [16, 16, 1]) (ReLU hidden layers, linear output) on 100 moons
   points, with the max-margin loss + 1e-4 L2 and the learning rate 1.0 - 0.9 * k / 100 of the
   original repository's demo. Both models start from the same weights, so their losses must
   agree.

For each workload it prints the best time of a few repeats (the two engines take turns, so a
busy machine slows both alike), the speed-up, the share of the time spent in the garbage
collector, and the peak memory (tracemalloc, in a separate run) divided by the number of nodes
in the graph. Target: this package at least 2x faster on each workload.
"""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import time
import tracemalloc
import types
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from micrograd import MLP, Value  # noqa: E402 - after the path set-up above
from micrograd.data import make_moons  # noqa: E402

CACHE = ROOT / ".cache" / "bench"
ORIGINAL = CACHE / "original" / "micrograd"
ORIGINAL_NAME = "original_micrograd"
EXPRESSION_TERMS = 2_500  # 4 nodes per term, plus the starting 0: 10,001 nodes
TRAINING_STEPS = 20
ALPHA = 1e-4
SEED = 1337
REPEATS = {"expression": 7, "training": 3}


# -- getting the original ------------------------------------------------------------------------


def fetch_original() -> None:
    """Download the original's wheel once and unpack its engine.py and nn.py into the cache."""
    if (ORIGINAL / "engine.py").exists() and (ORIGINAL / "nn.py").exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    if not list(CACHE.glob("micrograd-0.1.0-*.whl")):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "micrograd==0.1.0", "--no-deps",
             "--only-binary=:all:", "--quiet", "--dest", str(CACHE)],
            capture_output=True,
        )  # fmt: skip
    wheels = list(CACHE.glob("micrograd-0.1.0-*.whl"))
    if not wheels:
        print("cannot download micrograd==0.1.0 from PyPI (offline?): engine benchmark skipped")
        sys.exit(1)
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name in ("engine.py", "nn.py"):
            wheel.extract(f"micrograd/{name}", ORIGINAL.parent)


def load_original() -> tuple[types.ModuleType, types.ModuleType]:
    """Import the cached original as `original_micrograd.engine` and `original_micrograd.nn`.

    Its nn.py says `from micrograd.engine import Value`, which would find this package; the line
    is rewritten in memory only, the file on disk is left as downloaded.
    """
    package = types.ModuleType(ORIGINAL_NAME)
    package.__path__ = [str(ORIGINAL)]
    sys.modules[ORIGINAL_NAME] = package
    modules = []
    for name in ("engine", "nn"):
        path = ORIGINAL / f"{name}.py"
        source = path.read_text(encoding="utf-8")
        if name == "nn":
            line = "from micrograd.engine import Value"
            if line not in source:
                sys.exit(f"{path} does not contain {line!r}: not the expected micrograd 0.1.0")
            source = source.replace(line, f"from {ORIGINAL_NAME}.engine import Value")
        module = types.ModuleType(f"{ORIGINAL_NAME}.{name}")
        module.__file__ = str(path)
        sys.modules[module.__name__] = module
        exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - trusted cache
        setattr(package, name, module)
        modules.append(module)
    return modules[0], modules[1]


# -- the workloads: the same code runs on either engine --------------------------------------------


def expression(value: type, xs: list[float], ws: list[float]) -> tuple[object, list[object]]:
    """Build acc = 0 + x0 * w0 + x1 * w1 + ... (a chain of sums of products) and back-propagate."""
    leaves = []
    acc = value(0.0)
    for x_data, w_data in zip(xs, ws, strict=True):
        x, w = value(x_data), value(w_data)
        leaves += (x, w)
        acc = acc + x * w
    acc.backward()
    return acc, leaves


def train(
    model: object, value: type, points: list[list[float]], labels: list[float]
) -> tuple[list[float], object]:
    """The original demo's training loop: every step's loss, and the last step's loss graph."""
    losses = []
    for k in range(TRAINING_STEPS):
        inputs = [[value(x) for x in row] for row in points]
        scores = [model(row) for row in inputs]
        margins = [(1 + -label * score).relu() for label, score in zip(labels, scores, strict=True)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(total.data)  # a float: keeping the Value would keep its whole graph alive
    return losses, total


def count_nodes(root: object) -> int:
    """The number of nodes in a graph of either engine (children in `_children` or `_prev`)."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for child in getattr(node, "_children", None) or getattr(node, "_prev", ()):
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


# -- measuring -------------------------------------------------------------------------------------


class GcClock:
    """Adds up the time the garbage collector runs, via gc.callbacks."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


class Timing:
    """Best and total wall time of the repeats of one workload on one engine, and their GC time."""

    def __init__(self) -> None:
        self.best = math.inf
        self.total = 0.0
        self.gc = GcClock()

    def run(self, work: Callable[[], object]) -> object:
        gc.collect()  # start every repeat from the same heap state, outside the timed region
        gc.callbacks.append(self.gc)
        try:
            started = time.perf_counter()
            result = work()
            elapsed = time.perf_counter() - started
        finally:
            gc.callbacks.remove(self.gc)
        self.best = min(self.best, elapsed)
        self.total += elapsed
        return result

    @property
    def gc_share(self) -> float:
        return self.gc.total / self.total


def peak_memory(work: Callable[[], object]) -> int:
    """The peak of memory allocated while `work` runs (tracemalloc; slow, so never timed)."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- the two workloads, both engines ---------------------------------------------------------------


def bench_expression(original: types.ModuleType) -> dict:
    xs = [math.sin(i) for i in range(EXPRESSION_TERMS)]
    ws = [0.5 * math.cos(i) for i in range(EXPRESSION_TERMS)]
    ours, theirs = Timing(), Timing()
    for _ in range(REPEATS["expression"]):
        ours_root = theirs_root = ours_leaves = theirs_leaves = None  # free the last repeat's
        ours_root, ours_leaves = ours.run(lambda: expression(Value, xs, ws))
        theirs_root, theirs_leaves = theirs.run(lambda: expression(original.Value, xs, ws))
    grad_diff = max(abs(a.grad - b.grad) for a, b in zip(ours_leaves, theirs_leaves, strict=True))
    nodes = count_nodes(ours_root)
    assert nodes == count_nodes(theirs_root)
    return {
        "name": f"expression ({nodes:,} nodes)",
        "nodes": nodes,
        "ours": ours,
        "theirs": theirs,
        "peaks": (
            peak_memory(lambda: expression(Value, xs, ws)),
            peak_memory(lambda: expression(original.Value, xs, ws)),
        ),
        "agreement": f"result {abs(ours_root.data - theirs_root.data):.1e} apart, "
        f"leaf gradients at most {grad_diff:.1e} apart",
    }


def bench_training(original_engine: types.ModuleType, original_nn: types.ModuleType) -> dict:
    points, labels = make_moons(100, noise=0.1, seed=SEED)

    def models() -> tuple[MLP, object]:
        ours = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=SEED)
        theirs = original_nn.MLP(2, [16, 16, 1])
        for mine, other in zip(ours.parameters(), theirs.parameters(), strict=True):
            other.data = mine.data  # the same starting weights (the original starts biases at 0)
        return ours, theirs

    ours, theirs = Timing(), Timing()
    for _ in range(REPEATS["training"]):
        ours_graph = theirs_graph = None  # free the last repeat's graphs before timing again
        ours_model, theirs_model = models()
        ours_losses, ours_graph = ours.run(lambda m=ours_model: train(m, Value, points, labels))
        theirs_losses, theirs_graph = theirs.run(
            lambda m=theirs_model: train(m, original_engine.Value, points, labels)
        )
    loss_diff = max(abs(a - b) for a, b in zip(ours_losses, theirs_losses, strict=True))
    weight_diff = max(
        abs(a.data - b.data)
        for a, b in zip(ours_model.parameters(), theirs_model.parameters(), strict=True)
    )
    # The peak is over all 20 steps, divided by the nodes of one step's graph: memory the garbage
    # collector has not freed yet from earlier steps counts too.
    nodes = count_nodes(ours_graph)
    assert nodes == count_nodes(theirs_graph)
    del ours_graph, theirs_graph
    ours_model, theirs_model = models()
    return {
        "name": f"training ({TRAINING_STEPS} steps)",
        "nodes": nodes,
        "ours": ours,
        "theirs": theirs,
        "peaks": (
            peak_memory(lambda: train(ours_model, Value, points, labels)),
            peak_memory(lambda: train(theirs_model, original_engine.Value, points, labels)),
        ),
        "agreement": f"final loss {ours_losses[-1]:.12f} vs {theirs_losses[-1]:.12f} "
        f"(every step's loss within {loss_diff:.1e}, final weights within {weight_diff:.1e})",
    }


def main() -> None:
    fetch_original()
    original_engine, original_nn = load_original()
    # The original finds its topological order recursively, one frame per node along the longest
    # path; the expression's path is ~5,000 nodes long, over Python's default limit of 1,000.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))

    print(
        f"micrograd-notes vs original micrograd 0.1.0, Python {sys.version.split()[0]}, "
        f"best of {REPEATS['expression']} (expression) and {REPEATS['training']} (training) runs"
    )
    print("(a few minutes: the original's training is slow)\n", flush=True)
    results = [bench_expression(original_engine), bench_training(original_engine, original_nn)]

    header = (
        f"{'workload':<28}{'nodes':>8}{'this':>11}{'original':>11}{'speed-up':>10}"
        f"{'GC share (this / orig)':>25}{'peak B/node (this / orig)':>28}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ours, theirs = r["ours"], r["theirs"]
        gc_share = f"{ours.gc_share:.0%} / {theirs.gc_share:.0%}"
        peaks = f"{r['peaks'][0] / r['nodes']:,.0f} / {r['peaks'][1] / r['nodes']:,.0f}"
        print(
            f"{r['name']:<28}{r['nodes']:>8,}{ours.best * 1e3:>9.1f}ms{theirs.best * 1e3:>9.1f}ms"
            f"{theirs.best / ours.best:>9.2f}x{gc_share:>25}{peaks:>28}"
        )
    print("nodes: in the graph (training: in one step's graph); peak: tracemalloc, whole workload")
    print()
    for r in results:
        print(f"{r['name']}: {r['agreement']}")
    slowest = min(r["theirs"].best / r["ours"].best for r in results)
    verdict = "met" if slowest >= 2 else "NOT met"
    print(f"target (this package >= 2x faster on each workload): {verdict}")


if __name__ == "__main__":
    main()
