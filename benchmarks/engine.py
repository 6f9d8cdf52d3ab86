"""Engine benchmark: this package against the original micrograd 0.1.0. A benchmark, not a test.

    .venv/bin/python benchmarks/engine.py        (or: make bench-engine)

The original is downloaded once from PyPI into .cache/bench/ (never installed: its top-level
module is also called `micrograd`) and loaded under the name `original_micrograd`. The engine as
it was before its rework for speed, frozen in tests/reference_engine.py, runs too ("before"), with
this package's nn.py on top of it. All engines do the same work in the same process:

1. chain: build a 10,001-node expression (a running sum of products of leaves) and
   back-propagate it;
2. tree: build a shallow, balanced expression of 10,000 nodes (pairs of nodes combined by `+` or
   `*`, every third result through `relu`, level by level up to one root) and back-propagate it;
   building and back-propagating are timed separately as well;
3. training: 20 steps of MLP(2, [16, 16, 1]) (ReLU hidden layers, linear output) on 100 moons
   points, with the max-margin loss + 1e-4 L2 and the learning rate 1.0 - 0.9 * k / 100 of the
   original repository's demo. All models start from the same weights, so their losses must
   agree.

Times are CPU time of this process (`time.process_time`), best of a few repeats, the engines
taking turns: the machine this runs on is shared, and CPU time is what other programs disturb
least. For each workload the script prints the speed-ups, the share of the time spent in the
garbage collector (timed with `gc.callbacks`), how many objects the collector tracks per node,
and the peak memory (tracemalloc, in a separate run) divided by the number of nodes.
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
BEFORE = ROOT / "tests" / "reference_engine.py"
BEFORE_NAME = "before_micrograd"
CHAIN_TERMS = 2_500  # 4 nodes per term, plus the starting 0: 10,001 nodes
TREE_LEAVES = 4_284  # with the pairs and the relus above them: 10,000 nodes
TRAINING_STEPS = 20
ALPHA = 1e-4
SEED = 1337
REPEATS = {"chain": 15, "tree": 15, "training": 3}
ENGINES = ("this", "before", "original")
TARGETS = (  # (workload, timed part, minimum speed-up over the original)
    ("tree", "backward", 1.5),
    ("tree", "total", 2.5),
    ("training", "total", 10.0),
)
GC_TARGET = 0.30  # this package's share of training time in the garbage collector


# -- getting the engines ---------------------------------------------------------------------------


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


def load_engine(
    package_name: str, engine_path: Path, nn_path: Path
) -> tuple[types.ModuleType, types.ModuleType]:
    """Import an engine.py and an nn.py as `<package_name>.engine` and `<package_name>.nn`.

    Both nn.py files say `from micrograd.engine import Value`, which would find this package; the
    line is rewritten in memory only, the files on disk are left as they are.
    """
    package = types.ModuleType(package_name)
    package.__path__ = [str(engine_path.parent)]
    sys.modules[package_name] = package
    modules = []
    for name, path in (("engine", engine_path), ("nn", nn_path)):
        source = path.read_text(encoding="utf-8")
        if name == "nn":
            line = "from micrograd.engine import Value"
            if line not in source:
                sys.exit(f"{path} does not contain {line!r}")
            source = source.replace(line, f"from {package_name}.engine import Value")
        module = types.ModuleType(f"{package_name}.{name}")
        module.__file__ = str(path)
        sys.modules[module.__name__] = module
        exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - trusted files
        setattr(package, name, module)
        modules.append(module)
    return modules[0], modules[1]


# -- the workloads: the same code runs on every engine ---------------------------------------------


def chain(value: type, xs: list[float], ws: list[float]) -> tuple[object, list[object]]:
    """acc = 0 + x0 * w0 + x1 * w1 + ... (a chain of sums of products), not yet back-propagated."""
    leaves = []
    acc = value(0.0)
    for x_data, w_data in zip(xs, ws, strict=True):
        x, w = value(x_data), value(w_data)
        leaves += (x, w)
        acc = acc + x * w
    return acc, leaves


def tree(value: type, xs: list[float]) -> tuple[object, list[object]]:
    """A balanced expression over the leaves `xs`, built level by level, not yet back-propagated.

    Neighbours are paired: the k-th pair of a level is added if k is even, multiplied if k is odd,
    and every third result goes through relu. An odd node out moves up a level unchanged.
    """
    leaves = [value(x) for x in xs]
    level = leaves
    while len(level) > 1:
        paired = []
        for k in range(len(level) // 2):
            a, b = level[2 * k], level[2 * k + 1]
            node = a + b if k % 2 == 0 else a * b
            paired.append(node.relu() if k % 3 == 0 else node)
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0], leaves


def train(
    model: object, value: type, points: list[list[float]], labels: list[float], drop: bool = False
) -> tuple[list[float], object]:
    """The original demo's training loop: every step's loss, and the last step's loss graph.

    With `drop`, each step's graph is let go at the end of the step (as the two-moons notebook
    does) instead of staying alive until the next step's loss replaces it; None is returned.
    """
    losses = []
    total = None
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
        if drop:
            del inputs, scores, margins, data_loss, reg_loss, total
            total = None
    return losses, total


def count_nodes(root: object) -> int:
    """The number of nodes in a graph of any engine (children in `_children` or `_prev`)."""
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        for child in getattr(node, "_children", None) or getattr(node, "_prev", ()):
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def tracked_per_node(build: Callable[[], object], nodes: int) -> float:
    """Objects the garbage collector tracks, allocated per node while `build()` runs.

    The collector starts a collection each time 700 more such objects exist than at the last
    one, so this number sets how often it runs.
    """
    gc.collect()
    gc.disable()
    try:
        before = gc.get_count()[0]
        kept = build()  # noqa: F841 - kept alive until the count is read
        return (gc.get_count()[0] - before) / nodes
    finally:
        gc.enable()


# -- measuring -------------------------------------------------------------------------------------


class GcClock:
    """Adds up the CPU time the garbage collector runs, and counts full collections."""

    def __init__(self) -> None:
        self.total = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.total += time.process_time() - self._started
            self.full += info["generation"] == 2


class Timing:
    """Best and total CPU time of the repeats of one timed part on one engine, and their GC."""

    def __init__(self) -> None:
        self.best = math.inf
        self.total = 0.0
        self.gc = GcClock()

    def run(self, work: Callable[[], object]) -> object:
        gc.callbacks.append(self.gc)
        try:
            started = time.process_time()
            result = work()
            elapsed = time.process_time() - started
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


# -- the workloads on every engine -----------------------------------------------------------------


def bench_expression(name: str, build: Callable[[type], tuple], values: dict[str, type]) -> dict:
    """Build and back-propagate an expression on each engine: total, build and backward times."""
    timings = {
        engine: {part: Timing() for part in ("total", "build", "backward")} for engine in values
    }
    results = {}
    for _ in range(REPEATS[name]):
        for engine, value in values.items():
            results[engine] = None  # free the last repeat's graph before timing again
            gc.collect()  # start every repeat from the same heap state, outside the timed region

            def work(value: type = value) -> tuple:
                root, leaves = build(value)
                root.backward()
                return root, leaves

            results[engine] = timings[engine]["total"].run(work)
            # The same again in two parts: building, then back-propagating the built graph.
            results[engine] = None
            gc.collect()
            root, leaves = timings[engine]["build"].run(lambda value=value: build(value))
            timings[engine]["backward"].run(root.backward)
            results[engine] = root, leaves
            del root, leaves
    roots = {engine: result[0] for engine, result in results.items()}
    nodes = count_nodes(roots["this"])
    assert all(count_nodes(root) == nodes for root in roots.values())
    ours_leaves = results["this"][1]

    def bitwise(engine: str) -> str:
        same_data = roots[engine].data == roots["this"].data
        same_grads = all(
            a.grad == b.grad for a, b in zip(ours_leaves, results[engine][1], strict=True)
        )
        return "identical" if same_data and same_grads else "DIFFERENT"

    return {
        "name": name,
        "nodes": nodes,
        "timings": timings,
        "tracked": {e: tracked_per_node(lambda v=v: build(v), nodes) for e, v in values.items()},
        "peaks": {e: peak_memory(lambda v=v: build(v)[0].backward()) for e, v in values.items()},
        "agreement": f"root value {roots['this'].data!r}; value and all {len(ours_leaves):,} "
        f"leaf gradients vs before: {bitwise('before')}, vs original: {bitwise('original')}",
    }


def bench_training(models: Callable[[], dict[str, object]], values: dict[str, type]) -> dict:
    points, labels = make_moons(100, noise=0.1, seed=SEED)
    timings = {engine: {"total": Timing()} for engine in values}
    for _ in range(REPEATS["training"]):
        graphs = None  # free the last repeat's graphs before timing again
        start = models()
        runs = {}
        for engine, value in values.items():
            gc.collect()
            runs[engine] = timings[engine]["total"].run(
                lambda m=start[engine], v=value: train(m, v, points, labels)
            )
        graphs = {engine: run[1] for engine, run in runs.items()}
    losses = {engine: run[0] for engine, run in runs.items()}
    weights = {engine: [p.data for p in model.parameters()] for engine, model in start.items()}

    def within(engine: str) -> str:
        loss = max(abs(a - b) for a, b in zip(losses["this"], losses[engine], strict=True))
        weight = max(abs(a - b) for a, b in zip(weights["this"], weights[engine], strict=True))
        if loss == 0 and weight == 0:
            return "bit-identical losses and weights"
        return f"every loss within {loss:.1e}, final weights within {weight:.1e}"

    # The peak is over all 20 steps, divided by the nodes of one step's graph: memory that is not
    # freed yet from earlier steps counts too.
    nodes = count_nodes(graphs["this"])
    assert all(count_nodes(graph) == nodes for graph in graphs.values())
    del graphs
    fresh = models()

    def one_step(engine: str) -> object:
        return step_graph(fresh[engine], values[engine], points, labels)

    return {
        "name": "training",
        "nodes": nodes,
        "timings": timings,
        "tracked": {e: tracked_per_node(lambda e=e: one_step(e), nodes) for e in values},
        "peaks": {
            e: peak_memory(lambda e=e: train(models()[e], values[e], points, labels))
            for e in values
        },
        "agreement": f"final loss {losses['this'][-1]!r}; vs before: {within('before')}; "
        f"vs original: {within('original')}",
    }


def bench_dropped(models: Callable[[], dict[str, object]], values: dict[str, type]) -> dict:
    """The training workload with `drop=True`, on this package and the engine before the rework.

    The original is left out: its graphs are reference cycles, which only the garbage collector
    frees, so letting go of them early changes nothing for it.
    """
    points, labels = make_moons(100, noise=0.1, seed=SEED)
    timings = {engine: Timing() for engine in ("this", "before")}
    for _ in range(REPEATS["training"]):
        start = models()
        for engine, timing in timings.items():
            gc.collect()
            timing.run(lambda m=start[engine], v=values[engine]: train(m, v, points, labels, True))
    return timings


def step_graph(model: object, value: type, points: list, labels: list) -> object:
    """The loss graph of one training step, without its backward pass (to count allocations)."""
    inputs = [[value(x) for x in row] for row in points]
    scores = [model(row) for row in inputs]
    margins = [(1 + -label * score).relu() for label, score in zip(labels, scores, strict=True)]
    return sum(margins) * (1.0 / len(margins)) + ALPHA * sum(p * p for p in model.parameters())


def main() -> None:
    fetch_original()
    original_engine, original_nn = load_engine(
        ORIGINAL_NAME, ORIGINAL / "engine.py", ORIGINAL / "nn.py"
    )
    before_engine, before_nn = load_engine(
        BEFORE_NAME, BEFORE, ROOT / "src" / "micrograd" / "nn.py"
    )
    # The original finds its topological order recursively, one frame per node along the longest
    # path; the chain's path is ~5,000 nodes long, over Python's default limit of 1,000.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    values = {"this": Value, "before": before_engine.Value, "original": original_engine.Value}

    def models() -> dict[str, object]:
        def ours(mlp: type) -> object:
            return mlp(2, [16, 16, 1], activation="relu", output_activation="linear", seed=SEED)

        made = {
            "this": ours(MLP),
            "before": ours(before_nn.MLP),
            "original": original_nn.MLP(2, [16, 16, 1]),
        }
        for engine in ("before", "original"):
            for mine, other in zip(
                made["this"].parameters(), made[engine].parameters(), strict=True
            ):
                other.data = (
                    mine.data
                )  # the same starting weights (the original starts biases at 0)
        return made

    xs = [math.sin(i) for i in range(CHAIN_TERMS)]
    ws = [0.5 * math.cos(i) for i in range(CHAIN_TERMS)]
    leaves = [0.6 + math.sin(i) for i in range(TREE_LEAVES)]
    print(
        f"micrograd-notes (this; before: tests/reference_engine.py) vs original micrograd 0.1.0, "
        f"Python {sys.version.split()[0]}, CPU time, best of {REPEATS['chain']} (chain, tree) and "
        f"{REPEATS['training']} (training) runs"
    )
    print("(a few minutes: the original's training is slow)\n", flush=True)
    results = [
        bench_expression("chain", lambda v: chain(v, xs, ws), values),
        bench_expression("tree", lambda v: tree(v, leaves), values),
        bench_training(models, values),
    ]

    header = (
        f"{'workload':<20}{'nodes':>7}{'this':>10}{'before':>10}{'original':>10}"
        f"{'vs before':>11}{'vs orig':>9}{'GC share':>20}{'full GCs':>16}{'tracked/node':>17}"
        f"{'peak B/node':>20}"
    )
    print(header)
    print(" " * 68 + "(this / before / original)".rjust(header.index("peak") - 68 + 11))
    print("-" * len(header))
    for r in results:
        for part in r["timings"]["this"]:
            t = {engine: r["timings"][engine][part] for engine in ENGINES}
            extra = ["", "", "", ""]
            if part == "total":
                extra = [
                    " / ".join(f"{t[e].gc_share:.0%}" for e in ENGINES),
                    " / ".join(f"{t[e].gc.full}" for e in ENGINES),
                    " / ".join(f"{r['tracked'][e]:.1f}" for e in ENGINES),
                    " / ".join(f"{r['peaks'][e] / r['nodes']:,.0f}" for e in ENGINES),
                ]
            label = r["name"] if part == "total" else f"  {part}"
            nodes = f"{r['nodes']:,}" if part == "total" else ""
            print(
                f"{label:<20}{nodes:>7}"
                + "".join(f"{t[e].best * 1e3:>8.1f}ms" for e in ENGINES)
                + f"{t['before'].best / t['this'].best:>10.2f}x"
                + f"{t['original'].best / t['this'].best:>8.2f}x"
                + f"{extra[0]:>20}{extra[1]:>16}{extra[2]:>17}{extra[3]:>20}"
            )
    print(
        "nodes: in the graph (training: in one step's graph); GC share and full collections over "
        "all repeats; tracked/node: objects the collector tracks, allocated per node; "
        "peak: tracemalloc, whole workload"
    )
    print()
    for r in results:
        print(f"{r['name']}: {r['agreement']}")
    print()
    dropped = bench_dropped(models, values)
    print(
        "training, each step's graph dropped at the end of the step (as the two-moons notebook "
        "does), CPU time, GC share:"
    )
    for engine, timing in dropped.items():
        print(f"  {engine:<8} {timing.best * 1e3:8.1f}ms  {timing.gc_share:4.0%} in GC")
    by_name = {r["name"]: r for r in results}
    print()
    for name, part, minimum in TARGETS:
        t = by_name[name]["timings"]
        speedup = t["original"][part].best / t["this"][part].best
        verdict = "met" if speedup >= minimum else "NOT met"
        print(
            f"target: {name} {part} >= {minimum}x faster than the original: "
            f"{speedup:.2f}x, {verdict}"
        )
    share = by_name["training"]["timings"]["this"]["total"].gc_share
    verdict = "met" if share < GC_TARGET else "NOT met"
    print(
        f"target: training time in the garbage collector < {GC_TARGET:.0%}: {share:.0%}, {verdict}"
    )


if __name__ == "__main__":
    main()
