"""Runs the code of one live block inside Pyodide, in the browser's Python worker.

`hooks/live.py` ships this file beside the engine in `assets/live/micrograd.zip`; `worker.js`
calls `run(source, send)`. The runner reports what happens as *results*, one JSON message each,
through `send` (a JavaScript function): printed output while the code runs, then the value of
the last expression, a graph to draw, or the error. The page draws each kind of result with the
renderer of that kind (`results.js`); `RESULT_KINDS` below decides which kind a last value is.

Every run starts from the same state: a fresh namespace, `micrograd` imported anew (so a patched
`Value.__add__` is gone), the builtins, `sys.path`, the recursion limit and the modules as they
were when Python started. Plain CPython runs this file too, which is how the tests check it.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import gc
import io
import json
import sys
import time
import traceback
import warnings
from collections.abc import Callable

FILENAME = "<live>"
MAX_LINES = 2_000  # printed lines shown; the rest are counted, not sent
MAX_GRAPH_NODES = 400  # Graphviz nodes (values and operations) drawn in the page
FLUSH_SECONDS = 0.05  # printed output reaches the page at most this late

Send = Callable[[str], None]

# Kept before any learner's code runs: they may patch json, traceback or time, never these.
_dumps = json.dumps
_format_exception = traceback.format_exception
_format_exception_only = traceback.format_exception_only
_monotonic = time.monotonic


class InputNotSupported(RuntimeError):
    """input() cannot ask the reader anything: the code runs in a worker with no prompt."""


def _no_input(prompt: object = "") -> str:
    raise InputNotSupported(
        "input() is not supported in the page: the code runs without a keyboard prompt. "
        "Write the value into the code instead, e.g. x = 3.0"
    )


class _NoStdin(io.TextIOBase):
    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        _no_input()

    readline = read


class _Output(io.TextIOBase):
    """stdout and stderr of a run: sent in batches, the first MAX_LINES lines only.

    Counting the lines past the limit costs one `str.count` per write, so a loop printing a
    million lines is slowed by the printing itself, not by the page.
    """

    def __init__(self, send: Send) -> None:
        self._send = send
        self._buffer: list[str] = []
        self._last_flush = -FLUSH_SECONDS  # the first write goes out at once
        self.lines = 0  # complete lines written so far
        self.hidden = 0  # lines not sent

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        newlines = text.count("\n")
        if self.lines >= MAX_LINES:
            self.hidden += newlines
        else:
            room = MAX_LINES - self.lines
            if newlines > room:  # keep the first `room` lines of this write
                cut = -1
                for _ in range(room):
                    cut = text.index("\n", cut + 1)
                self._buffer.append(text[: cut + 1])
                self.hidden += newlines - room
            else:
                self._buffer.append(text)
            if _monotonic() - self._last_flush >= FLUSH_SECONDS:
                self.flush()
        self.lines += newlines
        return len(text)

    def flush(self) -> None:
        if self._buffer:
            text, self._buffer = "".join(self._buffer), []
            self._send(_dumps({"kind": "stdout", "text": text}))
        self._last_flush = _monotonic()

    def finish(self) -> None:
        self.flush()
        if self.hidden:
            self._send(_dumps({"kind": "stdout-hidden", "lines": self.hidden, "shown": MAX_LINES}))


# -- what the value of the last line is shown as ---------------------------------------------------


def _graph_nodes(graph: object) -> int:
    """The number of nodes of a graphviz graph: the body lines that are not edges."""
    return sum(1 for line in getattr(graph, "body", ()) if " -> " not in line)


def graph_result(value: object) -> dict | None:
    """A graphviz graph (what `draw_dot` returns): its DOT source, drawn by the page."""
    source = getattr(value, "source", None)
    if not isinstance(source, str) or not type(value).__module__.startswith(
        ("graphviz", "micrograd")
    ):
        return None
    nodes = _graph_nodes(value)
    if nodes > MAX_GRAPH_NODES:
        return {"kind": "graph-too-big", "nodes": nodes, "limit": MAX_GRAPH_NODES}
    return {"kind": "graph", "dot": source, "nodes": nodes}


def steps_result(value: object) -> dict | None:
    """A step-through of backward() (what `step_backward(o)` returns): its graph and its steps.

    The page (stepper.js) draws the graph with every gradient empty and fills the gradients in
    one step at a time; the steps come from `micrograd.graph.backward_steps`, in backward()'s
    own order.
    """
    if type(value).__name__ != "StepThrough" or not type(value).__module__.startswith("micrograd"):
        return None
    nodes = _graph_nodes(value.graph)
    if nodes > MAX_GRAPH_NODES:
        return {"kind": "graph-too-big", "nodes": nodes, "limit": MAX_GRAPH_NODES}
    return {"kind": "steps", **value.as_dict()}


def value_result(value: object) -> dict | None:
    """Anything else: its repr, as the last line of a notebook cell shows it."""
    return {"kind": "value", "text": repr(value)}


# The describers of a last value, tried in order; the first that returns a result wins. A new
# kind of result is one function here (returning {"kind": "...", ...}) and one renderer in
# results.js. A result with a "dot" field is drawn by the worker: it gains "svg" or "svgError".
RESULT_KINDS: list[Callable[[object], dict | None]] = [steps_result, graph_result, value_result]


def describe(value: object) -> dict:
    for kind in RESULT_KINDS:
        result = kind(value)
        if result is not None:
            return result
    raise AssertionError("value_result describes everything")


# -- a fresh start for every run -----------------------------------------------------------------

_FRESH: dict = {}


def remember_fresh_state() -> None:
    """Record the state every run starts from: called once, before any learner's code runs."""
    _FRESH.update(
        modules=dict(sys.modules),
        builtins=dict(builtins.__dict__),
        recursion_limit=sys.getrecursionlimit(),
        path=list(sys.path),
        warnings=list(warnings.filters),
    )


def restore_fresh_state() -> None:
    """Undo what earlier runs changed: modules they imported or replaced, builtins, sys settings.

    Dropping every module imported after the start (micrograd among them) makes the next
    `import micrograd` execute the package again, so patches to its classes are gone.
    """
    if not _FRESH:
        remember_fresh_state()
    modules = _FRESH["modules"]
    for name in [name for name, module in sys.modules.items() if modules.get(name) is not module]:
        del sys.modules[name]
    sys.modules.update(modules)
    builtins.__dict__.clear()
    builtins.__dict__.update(_FRESH["builtins"])
    builtins.input = _no_input
    sys.setrecursionlimit(_FRESH["recursion_limit"])
    sys.path[:] = _FRESH["path"]
    warnings.filters[:] = _FRESH["warnings"]
    sys.settrace(None)
    sys.setprofile(None)
    gc.enable()


# -- running ---------------------------------------------------------------------------------------


def _split_last_expression(source: str) -> tuple[ast.Module, ast.Expression | None]:
    """The program without its last statement if that is an expression, and that expression."""
    tree = ast.parse(source, filename=FILENAME)
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
        return tree, last
    return tree, None


def _traceback_of_user_code(error: BaseException) -> str:
    """The traceback from the first frame of the user's code on: the runner's frames are noise."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != FILENAME:
        tb = tb.tb_next
    return "".join(_format_exception(type(error), error, tb))


# -- freeing deep graphs ------------------------------------------------------------------------


def _take_apart_graphs(namespace: dict) -> None:
    """Unlink the micrograd graphs a run leaves behind, so that they are freed node by node.

    In the browser, CPython defers freeing the part of a chain deeper than its (narrowed) stack
    allows (see worker.js), and that part stays in memory until Python is restarted. Emptying
    each node's `_children` first leaves nothing to recurse into. Plain CPython frees these
    graphs fine; the work is the same there.
    """
    engine = sys.modules.get("micrograd.engine")
    value_type = getattr(engine, "Value", None)
    if value_type is None:
        return
    stack = [v for v in namespace.values() if type(v) is value_type]
    for v in namespace.values():
        if type(v) in (list, tuple, set) and len(v) < 100_000:
            stack.extend(item for item in v if type(item) is value_type)
    seen = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = node._children
        if children:
            stack.extend(children)
            node._children = ()


def run(source: str, send: Send) -> None:
    """Run `source` from a fresh state; send each result to `send` as JSON, "done" last."""
    restore_fresh_state()
    output = _Output(send)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    streams = sys.stdout, sys.stderr, sys.stdin
    sys.stdout = sys.stderr = output
    sys.stdin = _NoStdin()
    result = None
    try:
        body, last = _split_last_expression(source)
        exec(compile(body, FILENAME, "exec"), namespace)  # noqa: S102 - running it is the point
        if last is not None:
            value = eval(compile(last, FILENAME, "eval"), namespace)  # noqa: S307
            if value is not None:
                result = describe(value)
    except SyntaxError as error:
        result = {"kind": "error", "text": "".join(_format_exception_only(type(error), error))}
    except KeyboardInterrupt:
        result = {"kind": "stopped"}
    except BaseException as error:  # noqa: BLE001 - every error is reported to the reader
        result = {"kind": "error", "text": _traceback_of_user_code(error)}
    finally:
        sys.stdout, sys.stderr, sys.stdin = streams
    output.finish()
    if result is not None:
        send(_dumps(result))
    # The learner's objects go now, not at the start of the next run: a deep graph is freed
    # while this run is still the one reporting.
    with contextlib.suppress(Exception):  # a patched Value must not break the report
        _take_apart_graphs(namespace)
    namespace.clear()
    restore_fresh_state()  # also now: the recursion limit of 60 a run set must not bite the worker
    send(_dumps({"kind": "done"}))
