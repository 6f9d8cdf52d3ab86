"""Check your own `Value` class, the one you type along with the lecture, against this engine.

`check(Value)` builds small expressions with your class, runs their forward and backward passes
and compares every value and gradient with what this package's engine computes for the same
numbers. It looks only at behaviour, never at your source code, so any way of writing an
operation passes as long as it computes the right numbers.

The tests are chosen so that the slips everybody makes show up: an upstream gradient other than 1
(the tanh precedence slip `1 - t**2 * out.grad` hides when it is 1), a value used twice (`=`
instead of `+=` hides when it is used once), a graph whose order matters (walking the
topological order the wrong way), and `backward()` on your own output. When the numbers match a
known slip, the report says which one and how to fix it.

It checks only what you have written so far: an operation your class does not have yet is listed
as skipped, with the chapter of the lecture that adds it.

Examples:
    In a notebook where you have written `class Value`:

    >>> from micrograd.check import check
    >>> report = check(Value)  # doctest: +SKIP
    >>> print(report)  # doctest: +SKIP
    >>> report.ok  # doctest: +SKIP
    True
"""

from __future__ import annotations

import contextlib
import io
import math
import numbers
import random
import re
import textwrap
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from micrograd.engine import Value as _Reference

__all__ = ["check", "CheckReport", "Problem", "CHAPTERS"]

# The chapters of the lecture that write each part of the class: number -> (title, start in
# seconds). Titles and times are the video's own chapter list; a test keeps them equal to
# docs/_data/chapters.yml, which this package cannot read when it is installed on its own.
CHAPTERS: dict[int, tuple[str, int]] = {
    5: ("starting the core Value object of micrograd and its visualization", 1149),
    6: ("manual backpropagation example #1: simple expression", 1930),
    8: ("manual backpropagation example #2: a neuron", 3172),
    9: ("implementing the backward function for each operation", 4142),
    10: ("implementing the backward function for a whole expression graph", 4652),
    11: ("fixing a backprop bug when one node is used multiple times", 4948),
    12: ("breaking up a tanh, exercising with more operations", 5225),
    19: ("walkthrough of the full code of micrograd on github", 8206),
}

# The order in which reports list the operations: the lecture's.
_ORDER = {
    op: i for i, op in enumerate(("+", "*", "tanh", "exp", "**", "-", "/", "numbers", "relu"))
}
_ORDER["backward"] = len(_ORDER)

# Two numbers agree when they are this close: a learner may compute tanh from exp, for example.
_REL, _ABS = 1e-6, 1e-9


@dataclass(frozen=True)
class Problem:
    """One thing your class gets wrong.

    Attributes:
        op: The operation at fault: `"+"`, `"*"`, `"**"`, `"tanh"`, `"exp"`, `"-"`, `"/"`,
            `"relu"`, `"numbers"` (a plain number on one side, as in `a + 1`), `"Value"` (creating
            a value) or `"backward"` (the walk over the whole graph).
        message: What is wrong, in plain words, with the numbers that show it and, for a known
            slip, how to fix it.
        slip: A short name for a known slip (e.g. `"tanh-precedence"`, `"overwrite"`,
            `"swapped-factors"`), or None when the numbers match no known slip.
    """

    op: str
    message: str
    slip: str | None = None


@dataclass
class CheckReport:
    """What `check()` found. `print(report)` shows it as a readable summary.

    Attributes:
        name: The name of the class that was checked.
        problems: Everything that is wrong, most basic first.
        checked: The operations that were found and checked, e.g. `["+", "*", "tanh", "backward"]`.
        skipped: The operations not written yet, each as `(operation, chapter number)`; the
            chapter of the lecture that adds it (see `CHAPTERS`).
        notes: Anything else worth knowing: what could not be checked, and why.
    """

    name: str
    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing that was checked is wrong (operations not written yet don't count)."""
        return not self.problems

    def __str__(self) -> str:
        def wrapped(text: str, first: str, rest: str) -> str:
            return textwrap.fill(text, width=76, initial_indent=first, subsequent_indent=rest)

        count = len(self.problems)
        if count:
            lines = [f"check({self.name}): {count} problem{'s' if count > 1 else ''}.", ""]
            for problem in self.problems:
                lines.append(wrapped(problem.message, f"  {problem.op}: ", "    "))
        else:
            lines = [f"check({self.name}): everything checked is correct."]
        if self.checked:
            lines += ["", wrapped(", ".join(self.checked), "Checked: ", "  ")]
        if self.skipped:
            lines += ["", "Not written yet, so not checked:"]
            by_chapter: dict[int, list[str]] = {}
            for op, chapter in self.skipped:
                by_chapter.setdefault(chapter, []).append(op)
            for chapter, ops in sorted(by_chapter.items()):
                title, seconds = CHAPTERS[chapter]
                where = f'chapter {chapter}, "{title}" ({_timestamp(seconds)})'
                lines.append(wrapped(f"{', '.join(ops)}: {where}", "  ", "    "))
        for note in self.notes:
            lines += ["", wrapped(note, "Note: ", "  ")]
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # noqa: ANN001 - IPython's printer
        # IPython and Jupyter show the summary when a cell ends with `check(Value)`.
        printer.text(str(self))


def _timestamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _number(x: float) -> str:
    """A number as the messages show it: short, and the same on every machine."""
    return f"{x:.6g}"


class _Failed(Exception):
    """Raised inside the checker when your code raised or returned something unusable."""

    def __init__(self, message: str, slip: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.slip = slip


def _where(error: BaseException) -> str:
    """`in <function>, line N` for the innermost frame of the learner's code in a traceback."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__]
    if not frames:
        return ""
    frame = frames[-1]
    return f" (in {frame.name}, line {frame.lineno})"


def _run(what: str, function: Callable[..., object], *args: object) -> object:
    """Call the learner's code; turn any exception into a _Failed that says what was running."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - every error of the learner's code is reported
        text = f"{type(error).__name__}: {error}".rstrip(": ")
        hint = ""
        if isinstance(error, AttributeError) and re.search(
            r"'(float|int)' object has no", str(error)
        ):
            hint = (
                " A plain number met a Value here: chapter 12 wraps it first, with "
                "`other = other if isinstance(other, Value) else Value(other)`."
            )
        raise _Failed(f"{what} raised {text}{_where(error)}.{hint}") from None


def _shown(x: object) -> str:
    """repr() of something the learner's code returned, even if its __repr__ is broken."""
    try:
        return repr(x)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not break the report
        return f"<a {type(x).__name__} whose repr() fails>"


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=_REL, abs_tol=_ABS)


# -- the operations that are checked ---------------------------------------------------------------


@dataclass(frozen=True)
class _Operation:
    """One operation a lecture-style Value can have, and how to try it on random numbers."""

    op: str  # the name problems report
    label: str  # how the operation reads: "a * b"
    method: str  # the method the class needs for it, e.g. "__mul__"
    chapter: int  # the chapter that writes it; 0 if none does (then it is not listed as missing)
    apply: Callable[..., object]  # (leaves..., constant) -> result, for any Value class
    inputs: Callable[[random.Random], tuple[float, ...]]
    constant: Callable[[random.Random], float] | None = None  # an exponent or a plain number
    slips: tuple[tuple[str, Callable[..., list[float]], str], ...] = ()  # (slip, grads, fix)
    fix_overwrite: str = "`self.grad += ...`, not `self.grad = ...`"
    # The operations the lecture builds this one from (a - b is a + b * -1, a / b is a * b**-1):
    # while one of them is wrong, this one cannot be judged, so it waits.
    built_from: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """How messages call it: `+` for the basic operations, `a - b` for the others."""
        return self.label if self.built_from or self.op == "numbers" else self.op


def _away_from_zero(low: float, high: float) -> Callable[[random.Random], float]:
    """Uniform in ±[low, high], two decimals, so that messages show readable numbers."""
    return lambda rng: round(rng.choice((-1, 1)) * rng.uniform(low, high), 2)


def _two(low: float, high: float) -> Callable[[random.Random], tuple[float, ...]]:
    pick = _away_from_zero(low, high)

    def inputs(rng: random.Random) -> tuple[float, ...]:
        a, b = pick(rng), pick(rng)
        while abs(abs(a) - abs(b)) < 0.3:  # distinct sizes, so a swapped slip shows
            b = pick(rng)
        return a, b

    return inputs


def _one(low: float, high: float, positive: bool = False) -> Callable:
    pick = _away_from_zero(low, high)
    return lambda rng: (abs(pick(rng)) if positive else pick(rng),)


# Each slip predicts the gradients a common mistake gives: (inputs, upstream, constant) -> grads.
_OPERATIONS = (
    _Operation(
        op="*",
        label="a * b",
        method="__mul__",
        chapter=5,
        apply=lambda a, b, _: a * b,
        inputs=_two(0.2, 3.0),
        slips=(
            (
                "swapped-factors",
                lambda x, g, _: [x[0] * g, x[1] * g],
                "the product rule has its factors swapped: each input gets the *other* input's "
                "value, `self.grad += other.data * out.grad` and "
                "`other.grad += self.data * out.grad`",
            ),
            ("ignores-upstream", lambda x, g, _: [x[1], x[0]], ""),
        ),
        fix_overwrite="`self.grad += other.data * out.grad`, not `self.grad = ...`",
    ),
    _Operation(
        op="+",
        label="a + b",
        method="__add__",
        chapter=5,
        apply=lambda a, b, _: a + b,
        inputs=_two(0.2, 3.0),
        slips=(("ignores-upstream", lambda x, g, _: [1.0, 1.0], ""),),
        fix_overwrite="`self.grad += 1.0 * out.grad`, not `self.grad = 1.0 * out.grad`",
    ),
    _Operation(
        op="tanh",
        label="a.tanh()",
        method="tanh",
        chapter=8,
        apply=lambda a, _: a.tanh(),
        inputs=_one(0.1, 2.0),
        slips=(
            (
                "tanh-precedence",
                lambda x, g, _: [1 - math.tanh(x[0]) ** 2 * g],
                "the gradient of tanh is wrong when the upstream gradient is not 1: write "
                "`(1 - t**2) * out.grad`; without the parentheses Python computes "
                "`1 - (t**2 * out.grad)`",
            ),
            (
                "tanh-of-input",
                lambda x, g, _: [(1 - x[0] ** 2) * g],
                "the gradient of tanh uses the input: it is `1 - t**2` where `t` is the output "
                "tanh(x), not x",
            ),
            ("ignores-upstream", lambda x, g, _: [1 - math.tanh(x[0]) ** 2], ""),
        ),
        fix_overwrite="`self.grad += (1 - t**2) * out.grad`, not `self.grad = ...`",
    ),
    _Operation(
        op="exp",
        label="a.exp()",
        method="exp",
        chapter=12,
        apply=lambda a, _: a.exp(),
        inputs=_one(0.1, 2.0),
        slips=(
            (
                "exp-of-input",
                lambda x, g, _: [x[0] * g],
                "the gradient of exp is exp(x) itself, the output: `out.data * out.grad`",
            ),
            ("ignores-upstream", lambda x, g, _: [math.exp(x[0])], ""),
        ),
        fix_overwrite=(
            "`self.grad += out.data * out.grad`, not `self.grad = out.data * out.grad` (the video "
            "writes `=` here; it hides in the lecture's neuron, where the value is used once)"
        ),
    ),
    _Operation(
        op="**",
        label="a ** k",
        method="__pow__",
        chapter=12,
        apply=lambda a, k: a**k,
        inputs=_one(0.3, 2.5, positive=True),
        constant=lambda rng: rng.choice((2, 3, -1, 0.5)),
        slips=(
            (
                "power-without-exponent",
                lambda x, g, k: [x[0] ** (k - 1) * g],
                "the power rule lost its exponent in front: d(x**k)/dx = k * x**(k - 1), "
                "`self.grad += other * self.data**(other - 1) * out.grad`",
            ),
            (
                "power-not-lowered",
                lambda x, g, k: [k * x[0] ** k * g],
                "the power rule lowers the exponent by one: d(x**k)/dx = k * x**(k - 1), "
                "not k * x**k",
            ),
            ("ignores-upstream", lambda x, g, k: [k * x[0] ** (k - 1)], ""),
        ),
    ),
    _Operation(
        op="relu",
        label="a.relu()",
        method="relu",
        chapter=19,
        apply=lambda a, _: a.relu(),
        inputs=_one(0.2, 3.0),
        slips=(
            (
                "relu-always-passes",
                lambda x, g, _: [g],
                "relu passes the gradient on only where the input is positive: "
                "`(out.data > 0) * out.grad`",
            ),
        ),
    ),
    _Operation(
        op="numbers",
        label="a + k",
        method="__add__",
        chapter=12,
        apply=lambda a, k: a + k,
        inputs=_one(0.2, 3.0),
        constant=_away_from_zero(0.5, 3.0),
        built_from=("+",),
    ),
    _Operation(
        op="numbers",
        label="a * k",
        method="__mul__",
        chapter=12,
        apply=lambda a, k: a * k,
        inputs=_one(0.2, 3.0),
        constant=_away_from_zero(0.5, 3.0),
        built_from=("*",),
    ),
    _Operation(
        op="numbers",
        label="k * a",
        method="__rmul__",
        chapter=12,
        apply=lambda a, k: k * a,
        inputs=_one(0.2, 3.0),
        constant=_away_from_zero(0.5, 3.0),
        built_from=("*",),
    ),
    _Operation(
        op="numbers",
        label="k + a",
        method="__radd__",
        chapter=0,
        apply=lambda a, k: k + a,
        inputs=_one(0.2, 3.0),
        constant=_away_from_zero(0.5, 3.0),
        built_from=("+",),
    ),
    _Operation(
        op="-",
        label="-a",
        method="__neg__",
        chapter=12,
        apply=lambda a, _: -a,
        inputs=_one(0.2, 3.0),
        built_from=("*", "numbers"),
    ),
    _Operation(
        op="-",
        label="a - b",
        method="__sub__",
        chapter=12,
        apply=lambda a, b, _: a - b,
        inputs=_two(0.2, 3.0),
        built_from=("+", "*", "numbers"),
    ),
    _Operation(
        op="/",
        label="a / b",
        method="__truediv__",
        chapter=12,
        apply=lambda a, b, _: a / b,
        inputs=_two(0.5, 3.0),
        built_from=("*", "**"),
    ),
)

_LEAF_NAMES = "ab"


# -- the checker -------------------------------------------------------------------------------


class _Checker:
    def __init__(self, cls: type, seed: int, trials: int) -> None:
        self.cls = cls
        self.rng = random.Random(seed)
        self.trials = trials
        self.report = CheckReport(name=cls.__name__)
        self.broken: set[str] = set()  # operations with a problem
        self.working: list[_Operation] = []  # operations whose values are right
        self.waits: dict[str, list[_Operation]] = {}  # broken ones -> the ones built from them
        self.unchecked: set[str] = set()  # operations whose gradients could not be checked

    # -- reporting

    def problem(self, op: str, message: str, slip: str | None = None) -> None:
        self.broken.add(op)
        self.report.problems.append(Problem(op, message, slip))

    def checked(self, op: str) -> None:
        if op not in self.report.checked:
            self.report.checked.append(op)

    def skip(self, op: str, chapter: int) -> None:
        if chapter and (op, chapter) not in self.report.skipped:
            self.report.skipped.append((op, chapter))

    # -- building values with the learner's class

    def value(self, x: float) -> object:
        node = _run(f"{self.cls.__name__}({x!r})", self.cls, x)
        data = getattr(node, "data", None)
        if not _is_number(data) or not _close(float(data), x):
            raise _Failed(
                f"{self.cls.__name__}({x!r}).data is {_shown(data)}: a new value should keep "
                f"its number in `self.data`."
            )
        return node

    def result(self, operation: _Operation, out: object, expected: float, inputs: str) -> None:
        """Check that an operation returned a value of the class holding the right number."""
        what = f"{operation.label} with {inputs}"
        if out is None:
            raise _Failed(
                f"{what} returned None: the method has to end with `return out`.", "no-return"
            )
        if _is_number(out):
            raise _Failed(
                f"{what} returned the plain number {_number(out)}, not a {self.cls.__name__}: "
                f"make the result with `out = {self.cls.__name__}(...)` and return it.",
                "plain-number",
            )
        data = getattr(out, "data", None)
        if isinstance(data, self.cls):
            raise _Failed(
                f"{what} returned a value whose data is itself a {self.cls.__name__}, not a "
                f"number: compute with the numbers, e.g. `self.data + other.data`.",
                "nested-value",
            )
        if not _is_number(data):
            raise _Failed(
                f"{what} returned {_shown(out)}, whose .data is {_shown(data)}, not a number."
            )
        if not _close(float(data), expected):
            raise _Failed(
                f"{what} gives {_number(data)}, but it should be {_number(expected)}.",
                "wrong-value",
            )

    # -- gradients: through the learner's _backward closures or through backward()

    def gradients(
        self, build: Callable, xs: Sequence[float], upstream: float, before: float
    ) -> list[float]:
        """The learner's gradients of the leaves of `build(leaves)`, sent back from its output.

        With `_backward` closures and `_prev` (the lecture's way), the checker walks the graph
        itself and calls every node's `_backward`, so only the operations are tested; otherwise
        it calls `backward()` (then `before` must be 0).
        """
        leaves = [self.value(x) for x in xs]
        out = _run("building the expression", build, *leaves)
        for leaf in leaves:
            leaf.grad = before
        if self.closures:
            out.grad = upstream
            for node in reversed(_topological_order(out)):
                _run("calling _backward()", node._backward)
        else:
            if upstream != 1.0:
                out = _run(
                    "multiplying by a constant value", lambda o: o * self.value(upstream), out
                )
            _run("backward()", out.backward)
        grads = [leaf.grad for leaf in leaves]
        for name, grad in zip(_LEAF_NAMES, grads, strict=False):
            if isinstance(grad, self.cls):
                raise _Failed(
                    f"{name}.grad became a {self.cls.__name__}, not a number: in `_backward`, "
                    f"use the numbers (`other.data`, `out.data`), not the values.",
                    "grad-is-value",
                )
            if not _is_number(grad):
                raise _Failed(f"{name}.grad became {_shown(grad)}, not a number.")
        return [float(grad) for grad in grads]

    def check_values(self, operation: _Operation) -> None:
        """The value of one operation on a few random inputs, against this engine's."""
        for _ in range(self.trials):
            xs = operation.inputs(self.rng)
            k = operation.constant(self.rng) if operation.constant else None
            shown = ", ".join(f"{n} = {x!r}" for n, x in zip(_LEAF_NAMES, xs, strict=False))
            if k is not None:
                shown += f", k = {k!r}"
            expected = operation.apply(*[_Reference(x) for x in xs], k).data
            out = _run(operation.label, operation.apply, *[self.value(x) for x in xs], k)
            self.result(operation, out, expected, shown)

    def try_gradients(self, operation: _Operation, scaled: bool) -> None:
        """check_gradients, with whatever the learner's code raised reported as a problem."""
        waiting = [op for op in operation.built_from if op in self.broken]
        if waiting:
            self.waiting(operation, waiting)
            return
        try:
            self.check_gradients(operation, scaled)
        except _Failed as failed:
            self.problem(operation.op, failed.message, failed.slip)

    def check_gradients(self, operation: _Operation, scaled: bool) -> None:
        """The gradients of one operation on a few random inputs, against this engine's.

        With `scaled`, the gradient arriving from above is a number other than 1: set directly
        on the output with closures, or (through backward()) by multiplying the output by a
        constant, which needs a correct `*` and a correct backward().
        """
        for _ in range(self.trials):
            xs = operation.inputs(self.rng)
            k = operation.constant(self.rng) if operation.constant else None
            g = _away_from_zero(1.5, 3.0)(self.rng) if scaled else 1.0

            def build(*leaves: object, k: float | None = k) -> object:
                return operation.apply(*leaves, k)

            self.compare_gradients(operation, build, xs, k, g, 0.0)
            if operation.op in self.broken:
                return
            # Used twice: the same value on both sides of a binary operation ...
            if len(xs) == 2 and operation.op in ("+", "*"):
                twice = operation.label.replace("b", "a")
                self.compare_gradients(
                    operation, lambda a, k=k: operation.apply(a, a, k), xs[:1], k, g, 0.0, twice
                )
            # ... or a value that already has a gradient from another use.
            elif len(xs) == 1 and self.closures:
                before = _away_from_zero(0.5, 2.0)(self.rng)
                self.compare_gradients(operation, build, xs, k, g, before, operation.label)
            elif len(xs) == 1 and scaled:
                self.compare_gradients(
                    operation,
                    lambda a, k=k: operation.apply(a, k) + a,
                    xs,
                    k,
                    1.0,
                    0.0,
                    f"{operation.label} + a",
                )
            if operation.op in self.broken:
                return

    def compare_gradients(
        self,
        operation: _Operation,
        build: Callable,
        xs: Sequence[float],
        k: float | None,
        g: float,
        before: float,
        twice: str | None = None,
    ) -> None:
        """Compare the learner's gradients of `build` with this engine's; name a known slip."""
        ref_leaves = [_Reference(x) for x in xs]
        ref_out = build(*ref_leaves)
        ref_out.backward()
        want = [before + g * leaf.grad for leaf in ref_leaves]
        got = self.gradients(build, xs, g, before)
        if all(_close(w, v) for w, v in zip(want, got, strict=True)):
            return
        label = twice or operation.label
        inputs = ", ".join(f"{n} = {x!r}" for n, x in zip(_LEAF_NAMES, xs, strict=False))
        if k is not None:
            inputs += f", k = {k!r}"
        context = f"{label} with {inputs}"
        if self.closures and g != 1.0:
            context += f" and out.grad = {g!r}"
        elif g != 1.0:
            context += f", the result multiplied by {g!r} before backward()"
        if before:
            context += f", when a already has the gradient {before!r} from another use"
        numbers_text = "; ".join(
            f"{n}.grad should be {_number(w)} but is {_number(v)}"
            for n, w, v in zip(_LEAF_NAMES, want, got, strict=False)
            if not _close(w, v)
        )
        if twice is not None:
            # The formula was right on its own (the test before passed): the sum is lost.
            self.problem(
                operation.op,
                f"the gradient of {operation.name} overwrites instead of adding up. A value used "
                f"more than once gets a gradient from each use, and they must add up: write "
                f"{operation.fix_overwrite}. ({context}: {numbers_text}.)",
                "overwrite",
            )
            return
        if all(_close(v, before) for v in got):
            self.problem(
                operation.op,
                f"{operation.label} sends no gradient back to its inputs: did the method forget "
                f"`out._backward = _backward`? ({context}: {numbers_text}.)",
                "no-backward-closure",
            )
            return
        for slip, predict, fix in operation.slips:
            predicted = [before + p for p in predict(xs, g, k)]
            if all(_close(p, v) for p, v in zip(predicted, got, strict=True)):
                if slip == "ignores-upstream":
                    fix = (
                        f"the gradient of {operation.name} ignores the gradient coming from above: "
                        f"the chain rule multiplies the local derivative by `out.grad`"
                    )
                self.problem(operation.op, f"{fix}. ({context}: {numbers_text}.)", slip)
                return
        self.problem(
            operation.op, f"the gradient of {operation.name} is wrong: {context}: {numbers_text}."
        )

    def waiting(self, operation: _Operation, causes: list[str]) -> None:
        """Note an operation left unchecked because one it is usually built from is wrong."""
        self.waits.setdefault(" and ".join(causes), []).append(operation)

    def has(self, op: str) -> bool:
        return any(o.op == op for o in self.working)

    # -- backward() over whole graphs

    def basic_graphs(self) -> list[tuple[str, Callable, list[float], str]]:
        """Graphs of + and * that show the known slips of backward(): the start, order, reuse."""
        ops = {o.label for o in self.working}
        if "a * b" not in ops or "a + b" not in ops or self.broken & {"+", "*"}:
            self.report.notes.append(
                "backward() is checked on graphs made with + and *; it was not checked, because "
                "they are not both written and correct yet."
            )
            return []
        rng = self.rng
        pick = _away_from_zero(0.5, 3.0)
        return [
            ("y = a * b", lambda a, b: a * b, [pick(rng), pick(rng)], "ab"),
            ("L = (a*b + c) * f", _expression, [pick(rng) for _ in "abcf"], "abcf"),
            # The lecture's example of values used twice: a.grad = -3, b.grad = -8.
            ("f = (a*b) * (a + b)", lambda a, b: (a * b) * (a + b), [-2.0, 3.0], "ab"),
            ("y = (d + a) * d with d = a * b", _shared, [pick(rng), pick(rng)], "ab"),
        ]

    def check_graph(self, description: str, build: Callable, xs: list[float], names: str) -> bool:
        """backward() on one graph: right, or a problem naming the slip it matches."""
        ref_leaves = [_Reference(x) for x in xs]
        ref_out = build(*ref_leaves)
        ref_out.backward()
        want = [leaf.grad for leaf in ref_leaves]
        leaves = [self.value(x) for x in xs]
        out = _run(f"building {description}", build, *leaves)
        calls = _record_calls(out) if self.closures else None
        _run(f"backward() on {description}", out.backward)
        got = [leaf.grad for leaf in leaves]
        if not all(_is_number(v) for v in got):
            self.problem(
                "backward",
                f"after backward() on {description}, the gradients are {_shown(got)}, not numbers.",
            )
            return False
        if all(_close(w, float(v)) for w, v in zip(want, got, strict=True)):
            return True
        values = ", ".join(f"{n} = {x!r}" for n, x in zip(names, xs, strict=True))
        wrong = "; ".join(
            f"{n}.grad should be {_number(w)} but is {_number(v)}"
            for n, w, v in zip(names, want, got, strict=True)
            if not _close(w, v)
        )
        context = f"({description} with {values}: {wrong}.)"
        out_grad = getattr(out, "grad", None)
        if _is_number(out_grad) and _close(out_grad, 0.0) and all(_close(v, 0.0) for v in got):
            self.problem(
                "backward",
                "backward() sends no gradient at all: it has to start by setting the output's "
                "own gradient, `self.grad = 1.0` (d out / d out = 1), before it calls "
                f"`_backward()` on each node. {context}",
                "no-seed",
            )
            return False
        unreversed = (
            "backward() walks the graph from the leaves to the output, so a node passes its "
            "gradient on before it has received it: call `_backward()` on the nodes of "
            "`reversed(topo)`, the output first."
        )
        twice = (
            "backward() processes a value used twice more than once, so its gradient is "
            "counted twice: the topological sort needs its `visited` set, so that each node "
            "is added to `topo` only once."
        )
        if calls is not None:
            # Which `_backward` closures backward() called, in which order, says what went wrong.
            order = [node for node in reversed(_topological_order(out)) if _children(node)]
            called = [id(node) for node in calls]
            if len(called) > len(set(called)):
                self.problem("backward", f"{twice} {context}", "no-visited-set")
                return False
            if _before_a_parent(order, calls):
                self.problem("backward", f"{unreversed} {context}", "unreversed-order")
                return False
        slips = (
            (
                "unreversed-order",
                ref_out.topological_order(),
                unreversed,
            ),
            (
                "no-visited-set",
                list(reversed(_order_without_visited(ref_out))),
                twice,
            ),
        )
        for slip, order, fix in slips:
            if _matches(ref_out, ref_leaves, order, got):
                self.problem("backward", f"{fix} {context}", slip)
                return False
        self.problem("backward", f"backward() gives wrong gradients. {context}")
        return False

    def random_graphs(self) -> list[tuple[str, Callable, list[float], str]]:
        """A few random expressions over the operations that passed, with values reused."""
        steps = [("+", lambda a, b: a + b), ("*", lambda a, b: a * b)]
        if self.has("tanh") and "tanh" not in self.broken:
            steps.append(("tanh", lambda a, b: a.tanh()))
        if self.has("exp") and "exp" not in self.broken and "tanh" in dict(steps):
            steps.append(("exp", lambda a, b: a.tanh().exp()))  # exp of at most 1: no overflow
        if any(o.label == "a - b" for o in self.working) and "-" not in self.broken:
            steps.append(("-", lambda a, b: a - b))
        graphs = []
        for n in range(3):
            plan = [
                (self.rng.randrange(len(steps)), self.rng.random(), self.rng.random())
                for _ in range(6)
            ]
            xs = [round(self.rng.uniform(-1.5, 1.5), 2) for _ in range(3)]

            def build(*leaves: object, plan: list = plan) -> object:
                nodes = list(leaves)
                for index, i, j in plan:
                    a, b = nodes[int(i * len(nodes))], nodes[int(j * len(nodes))]
                    nodes.append(steps[index][1](a, b))
                total = nodes[-1]
                for node in nodes[len(leaves) : -1]:
                    total = total + node  # every intermediate result counts
                return total

            graphs.append((f"a random expression (#{n + 1})", build, xs, "abc"))
        return graphs

    # -- the whole check

    def run(self) -> CheckReport:
        """Run every check; then say what was checked, what waits, what is not written yet."""
        self.run_checks()
        waited = set()
        for causes, operations in self.waits.items():
            labels = list(dict.fromkeys(o.label for o in operations))
            waited.update(o.op for o in operations)
            self.report.notes.append(
                f"{', '.join(labels)}: not checked yet, because the lecture builds "
                f"{'it' if len(labels) == 1 else 'them'} from {causes}, which has a problem. Fix "
                f"that first, then check again."
            )
        found = [o.op for o in self.working] + self.report.checked  # ... and "backward"
        unclear = self.broken | self.unchecked | waited
        checked = dict.fromkeys(op for op in found if op not in unclear)
        self.report.checked = sorted(checked, key=lambda op: _ORDER.get(op, len(_ORDER)))
        # The plain-number forms not written yet are listed as one entry.
        skipped = self.report.skipped
        forms = [op for op, _ in skipped if op.startswith(("a ", "k "))]
        if forms:
            first = next(i for i, (op, _) in enumerate(skipped) if op in forms)
            rest = [entry for entry in skipped if entry[0] not in forms]
            rest.insert(first, (f"numbers ({', '.join(forms)})", 12))
            self.report.skipped = rest
        return self.report

    def run_checks(self) -> None:
        try:
            probe = self.value(2.0)
        except _Failed as failed:
            self.problem("Value", failed.message, failed.slip)
            return
        self.has_gradients = hasattr(probe, "grad")
        if self.has_gradients and not (_is_number(probe.grad) and probe.grad == 0):
            self.problem(
                "Value",
                f"a new value starts with grad = {_shown(probe.grad)}; it should start at 0.0 "
                f"(`self.grad = 0.0` in __init__): nothing has been sent back to it yet.",
            )
            self.has_gradients = False
        self.closures = callable(getattr(probe, "_backward", None)) and _children(probe) is not None
        has_backward = callable(getattr(probe, "backward", None))
        if self.has_gradients and not self.closures and not has_backward:
            self.has_gradients = False
        for operation in _OPERATIONS:
            if not callable(getattr(self.cls, operation.method, None)):
                name = operation.label if operation.op == "numbers" else operation.op
                self.skip(name, operation.chapter)
                continue
            try:
                self.check_values(operation)
            except _Failed as failed:
                waiting = [op for op in operation.built_from if op in self.broken]
                if operation.op == "numbers" and "A plain number met a Value" in failed.message:
                    self.skip(operation.label, operation.chapter)
                elif waiting:
                    self.waiting(operation, waiting)
                else:
                    self.problem(operation.op, failed.message, failed.slip)
                continue
            self.working.append(operation)
            # With closures every operation's gradients are checked on its own, right away.
            # Through backward() only + and * on one node can be, until backward() is checked.
            if self.has_gradients and (self.closures or operation.op in ("+", "*")):
                self.try_gradients(operation, scaled=self.closures)
        if not hasattr(probe, "grad"):
            self.skip(".grad", 6)
        if not self.closures and not has_backward:
            self.skip("_backward of each operation", 9)
        if not has_backward:
            self.skip("backward()", 10)
            if self.closures and self.has_gradients:
                self.report.notes.append(
                    "the gradients of the operations were checked by calling their `_backward` "
                    "closures from the output back, as chapter 9 does by hand."
                )
            return
        if not self.has_gradients:
            return
        basic = self.basic_graphs()
        if not basic:
            return
        if self.closures:
            self.try_backward(basic + self.random_graphs())
            return
        # Without closures, the operations' gradients can only be seen through backward(): it
        # has to be right on + and * first.
        if not self.try_backward(basic):
            others = [o.label for o in self.working if o.op not in ("+", "*")]
            if others:
                self.report.notes.append(
                    f"the gradients of {', '.join(others)} were not checked: they are sent back "
                    f"by backward(), which has a problem."
                )
                self.unchecked.update(o.op for o in self.working if o.op not in ("+", "*"))
            return
        for operation in self.working:
            if operation.op not in self.broken:
                self.try_gradients(operation, scaled=True)
        self.try_backward(self.random_graphs())

    def try_backward(self, graphs: list) -> bool:
        """backward() on each graph until one is wrong; False if one was."""
        if not graphs:
            return False
        self.checked("backward")
        try:
            for description, build, xs, names in graphs:
                if not self.check_graph(description, build, xs, names):
                    return False
        except _Failed as failed:
            self.problem("backward", failed.message, failed.slip)
            return False
        return True


def _children(node: object) -> Iterable | None:
    """The inputs a node was made from: `_prev` in the lecture (`_children` is accepted too)."""
    for name in ("_prev", "_children"):
        children = getattr(node, name, None)
        if isinstance(children, Iterable) and not isinstance(children, str | bytes):
            return children
    return None


def _topological_order(root: object) -> list:
    """Every node under `root`, each after its inputs (an explicit stack: no recursion limit)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child in _children(node) or ():
            if id(child) not in seen:
                stack.append((child, False))
    return order


def _record_calls(root: object) -> list:
    """Wrap the `_backward` of every node under `root` (the nodes, not the class) to log calls."""
    calls: list = []
    for node in _topological_order(root):
        inner = getattr(node, "_backward", None)
        if not callable(inner):
            continue

        def logged(node: object = node, inner: Callable = inner) -> object:
            calls.append(node)
            return inner()

        try:
            node._backward = logged
        except AttributeError:  # a method that cannot be replaced on the instance: no log
            return []
    return calls


def _before_a_parent(order: list, calls: list) -> bool:
    """Whether some node's `_backward` ran before that of a node made from it (its parent)."""
    done: set[int] = set()
    parents: dict[int, list[int]] = {}
    for node in order:
        for child in _children(node) or ():
            parents.setdefault(id(child), []).append(id(node))
    for node in calls:
        if any(parent not in done for parent in parents.get(id(node), ())):
            return True
        done.add(id(node))
    return False


def _order_without_visited(root: _Reference) -> list[_Reference]:
    """The lecture's recursive topological sort without its `visited` set: repeats included."""
    order: list[_Reference] = []
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._children))
    return order


def _matches(root: _Reference, leaves: list[_Reference], order: list, got: list) -> bool:
    """Whether walking `order` (a wrong order) gives the gradients `got`."""
    nodes = root.topological_order()
    for node in nodes:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for child, local in zip(node._children, node._local_grads, strict=True):
            child.grad += local * node.grad
    return all(_close(leaf.grad, float(v)) for leaf, v in zip(leaves, got, strict=True))


def _shared(a: object, b: object) -> object:
    d = a * b  # reached from y along two paths: the topological sort must list it once
    return (d + a) * d


def _expression(a: object, b: object, c: object, f: object) -> object:
    return (a * b + c) * f


def check(value_class: type, *, seed: int = 0, trials: int = 3) -> CheckReport:
    """Check a lecture-style Value class: its values and gradients against this engine's.

    Every operation the class has (`+`, `*`, `tanh`, `exp`, `**`, `-`, `/`, `relu`, plain numbers
    as in `a + 1`) is tried on random numbers, its value and its gradients compared with this
    package's `Value`. Gradients are sent back with an upstream gradient other than 1 and into
    values used twice. Then `backward()` runs on graphs where the order matters and on random
    expressions. Nothing in your class is changed; what your methods print is not shown.

    Args:
        value_class: Your class itself (`check(Value)`, not `check(Value(2.0))`).
        seed: Seeds the random numbers, so a report is the same every time.
        trials: How many random inputs each operation is tried with.

    Returns:
        The report: `.ok`, `.problems` (each with `.op` and `.message`), and `print(report)`
        for the summary with what was checked and what was skipped as not written yet.

    Raises:
        TypeError: If `value_class` is not a class.

    Examples:
        >>> from micrograd import Value
        >>> check(Value).ok
        True
    """
    if not isinstance(value_class, type):
        got = type(value_class).__name__
        raise TypeError(
            f"check() takes your class itself, as in check(Value), not an instance: got {got}"
        )
    # What the learner's methods print (a debugging print in _backward, say) would bury the
    # report, so it is swallowed while the checks run.
    with contextlib.redirect_stdout(io.StringIO()):
        return _Checker(value_class, seed, trials).run()
