"""The scalar autograd engine: a `Value` remembers how it was made, so it can send gradients back.

Every arithmetic operation on `Value` objects creates a new `Value` that records three things:
its inputs (`_children`), the name of the operation (`_op`, shown in graphs) and the *local
derivative* of its output with respect to each input (`_local_grads`). `backward()` then walks
the graph from the output to the leaves and applies the chain rule:

    child.grad += local_derivative * node.grad

The lecture stores a small `_backward` closure on every node instead of numbers. The two are the
same mathematics; numbers are used here because a closure that refers back to its own node makes
a reference cycle, and reference cycles make Python's garbage collector do most of the work in a
training loop. Plain numbers keep the graph acyclic in memory, so it is freed as soon as the last
reference to the output goes away.

Every operation has one or two inputs, so a node keeps them in four slots of its own: `_a` and
`_b`, the inputs (`_b` is None after a one-input operation such as `tanh`, both are None on a
leaf), and `_da`, `_db`, their local derivatives. `_children` and `_local_grads` read them back
as tuples. Why slots and not two stored tuples: a graph has no cycles, but the cycle collector
still runs while one is built. It starts a collection every 700 new container objects, and after
about 70,000 a full one over every object alive. A `Value` is such an object, and so is a tuple;
with slots a node counts once instead of three times, and a training step triggers fewer than
half as many collections.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["Value"]


def _as_float(data: object) -> float:
    """Return `data` as a float, or raise TypeError naming the value that is not a real number."""
    # bool is a subclass of int, but Value(True) is almost always a mistake, so it is refused.
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        raise TypeError(
            f"Value() takes a real number (int or float), "
            f"got {data!r} of type {type(data).__name__}"
        )
    return float(data)


def _label_error(label: object) -> str:
    """The message for a label that is not a string: most often lecture-style positional inputs."""
    # The lecture's Value takes (data, _children, _op, label), so code ported from it passes an
    # operation's inputs where this Value expects the label; say how to pass them here.
    return (
        f"Value()'s label must be a string, got {label!r} of type {type(label).__name__}; "
        "an operation's inputs go by keyword: "
        "Value(data, _children=(a, b), _local_grads=(da, db), _op='+')"
    )


def _is_number(x: object) -> bool:
    """True for the plain numbers a Value can be combined with: real numbers other than bool."""
    # The `type(...) is` tests are a shortcut for the common cases: the `numbers.Real` check goes
    # through the abstract base class machinery, which costs more than the operation itself.
    t = type(x)
    return t is float or t is int or (t is not bool and isinstance(x, numbers.Real))


# The graph labels of common powers (a**2, a**-1 in every division), made once: formatting the
# label costs more than the arithmetic. 0.0 is left out, so that -0.0 still shows as "**-0".
_POWER_LABELS = {n: f"**{n:g}" for n in (-3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0)}


class Value:
    """A scalar that records the operations applied to it, for reverse-mode differentiation.

    Args:
        data: The number this value holds. Any real number (int, float, `fractions.Fraction`,
            NumPy scalars, ...) is accepted and stored as a float; `bool` is refused.
        label: A name shown by `repr()` and in drawn graphs, e.g. `"a"`.

    Attributes:
        data (float): The number computed in the forward pass.
        grad (float): d(output)/d(self), filled in by `backward()` on an output; 0.0 until then.
        label (str): The name given at creation (may be set later, e.g. `e.label = "e"`).

    The other parameters, `_children`, `_local_grads` and `_op`, are for new operations (see the
    engine walkthrough) and are passed by keyword.

    Raises:
        TypeError: If `data` is not a real number (a string, None, a list, a bool, ...), or
            `label` is not a string: e.g. the inputs passed in the lecture's order,
            `Value(x, (a, b), "+")`; the message says how to pass them.

    Examples:
        >>> a = Value(2.0, label="a")
        >>> b = a * a + 1
        >>> b.backward()
        >>> b.data, a.grad
        (5.0, 4.0)
    """

    # __slots__ makes every node smaller and attribute access faster; graphs have many nodes.
    # _a, _b are the inputs and _da, _db their local derivatives (see the module's docstring).
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b", "_da", "_db")

    def __init__(
        self,
        data: float,
        label: str = "",
        _children: tuple[Value, ...] = (),
        _local_grads: tuple[float, ...] = (),
        _op: str = "",
    ) -> None:
        # Fast path for floats. Anything else is checked once here, so a bad input fails where it
        # enters, not deep inside backward(). (Operations make their nodes with _result below.)
        self.data = data if type(data) is float else _as_float(data)
        if not isinstance(label, str):
            raise TypeError(_label_error(label))
        self.grad = 0.0
        self.label = label
        self._op = _op
        self._a = self._b = None  # a leaf: no inputs
        self._da = self._db = 0.0
        if _children or _local_grads:
            # A new operation written outside this file (see the engine walkthrough) passes its
            # inputs and their local derivatives as two tuples of the same length.
            if len(_children) != len(_local_grads) or len(_children) > 2:
                raise ValueError(
                    "an operation has one or two inputs, each with one local derivative; got "
                    f"{len(_children)} children and {len(_local_grads)} local derivatives"
                )
            self._a, self._da = _children[0], float(_local_grads[0])
            if len(_children) == 2:
                self._b, self._db = _children[1], float(_local_grads[1])

    @property
    def _children(self) -> tuple[Value, ...]:
        """The inputs this value was computed from, in order: (), (a,) or (a, b)."""
        if self._a is None:
            return ()
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def _local_grads(self) -> tuple[float, ...]:
        """d(self)/d(input) for each input in `_children`, in the same order."""
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    def __repr__(self) -> str:
        """`Value(data=..., grad=...)`, with the label when there is one."""
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # -- the operations the lecture builds, each with its local derivative -----------------------

    def __add__(self, other: Value | float) -> Value:
        """`self + other`. Both local derivatives are 1: addition passes the gradient through.

        A plain number on either side is wrapped in a constant `Value` (see `__radd__`).
        """
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        # `+` and `*` make most of the nodes of any graph, so they fill the new node's slots
        # themselves instead of calling _result: one function call less per node, which makes a
        # training step's forward pass ~9% faster. Every other operation goes through _result.
        node = _new_object(Value)
        data = self.data + other.data
        node.data = data if type(data) is float else _as_float(data)  # see _result
        node.grad = 0.0
        node.label = ""
        node._op = "+"
        node._a, node._b = self, other
        node._da = node._db = 1.0
        return node

    def __mul__(self, other: Value | float) -> Value:
        """`self * other`. d(ab)/da = b and d(ab)/db = a: each input gets the other's value."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        node = _new_object(Value)  # its slots filled here, as in __add__
        data = self.data * other.data
        node.data = data if type(data) is float else _as_float(data)  # see _result
        node.grad = 0.0
        node.label = ""
        node._op = "*"
        node._a, node._b = self, other
        node._da, node._db = other.data, self.data
        return node

    def __pow__(self, exponent: float) -> Value:
        """`self ** exponent` for a plain number `exponent`. d(x**n)/dx = n * x**(n - 1).

        At x = 0 with n < 1 the slope is infinite (`x**0.5`) and reported as `inf`, as PyTorch
        does; for n = 0 it is 0.

        Raises:
            TypeError: If `exponent` is a `Value`: only constant exponents are supported.
            ValueError: If `self` is negative and `exponent` is not a whole number (the result
                would be complex).
        """
        if isinstance(exponent, Value):
            raise TypeError(
                "Value ** Value is not supported: the exponent must be a plain int or float, "
                f"got a Value with data {exponent.data!r}"
            )
        if not _is_number(exponent):
            return NotImplemented
        exponent = float(exponent)
        base = self.data
        if base < 0 and not exponent.is_integer():
            raise ValueError(
                f"cannot raise the negative number {base!r} to the non-integer power {exponent!r}"
            )
        if base == 0.0 and exponent < 1.0:
            local = 0.0 if exponent == 0.0 else math.inf
        else:
            local = exponent * base ** (exponent - 1.0)
        op = _POWER_LABELS.get(exponent) or f"**{exponent:g}"
        return _result(base**exponent, op, self, local)

    def tanh(self) -> Value:
        """The hyperbolic tangent, squashing into (-1, 1). d tanh(x)/dx = 1 - tanh(x)**2."""
        t = math.tanh(self.data)
        # The derivative is computed from the output we already have, not from x again.
        return _result(t, "tanh", self, 1.0 - t * t)

    def exp(self) -> Value:
        """e raised to this value. d exp(x)/dx = exp(x): the output is its own derivative.

        Raises:
            OverflowError: If the result is too large for a float (x above about 709.78).
        """
        e = math.exp(self.data)
        return _result(e, "exp", self, e)

    def log(self) -> Value:
        """The natural logarithm. d log(x)/dx = 1 / x.

        Raises:
            ValueError: If this value is zero or negative; the message names it.
        """
        x = self.data
        if x <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {x!r}")
        return _result(math.log(x), "log", self, 1.0 / x)

    def relu(self) -> Value:
        """max(0, x). The slope is 1 where x > 0 and 0 elsewhere (0 at exactly 0, as PyTorch)."""
        if self.data > 0:
            return _result(self.data, "relu", self, 1.0)
        return _result(0.0, "relu", self, 0.0)

    def sigmoid(self) -> Value:
        """The logistic function 1 / (1 + exp(-x)), squashing into (0, 1).

        d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x)).
        """
        # Two branches, so that exp never overflows for large |x|.
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return _result(s, "sigmoid", self, s * (1.0 - s))

    # -- everything else is built from the operations above, as in the lecture --------------------

    def __neg__(self) -> Value:
        """`-self`, computed as `self * -1` (so the graph shows a `*` node)."""
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        """`self - other`, computed as `self + (-other)`."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __truediv__(self, other: Value | float) -> Value:
        """`self / other`, computed as `self * other**-1`.

        Raises:
            ZeroDivisionError: If `other` is zero.
        """
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return self * other**-1

    def __radd__(self, other: float) -> Value:
        """`other + self` for a plain number `other`, e.g. `1 + a` or the start of `sum()`."""
        return self + other

    def __rmul__(self, other: float) -> Value:
        """`other * self` for a plain number `other`, e.g. `2 * a`."""
        return self * other

    def __rsub__(self, other: float) -> Value:
        """`other - self` for a plain number `other`, e.g. `1 - a`: `other + (-self)`."""
        other = _constant(other)
        if other is None:
            return NotImplemented
        return other + (-self)

    def __rtruediv__(self, other: float) -> Value:
        """`other / self` for a plain number `other`, e.g. `2 / a`: `other * self**-1`."""
        other = _constant(other)
        if other is None:
            return NotImplemented
        return other * self**-1

    # -- backpropagation ---------------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in `.grad` of every node this value depends on: d(self)/d(node).

        Nodes are visited from this output back to the leaves (the reverse of
        `topological_order()`), so a node's gradient is complete before it is passed on; each
        node adds `local_derivative * node.grad` to each of its children (the chain rule).

        Gradients are *added* to what is already there, so a node used twice receives the sum of
        both contributions. Call `zero_grad()` on a model (or set `.grad = 0.0`) between steps.
        """
        self.grad = 1.0  # d(self)/d(self)
        # Leaves (inputs, weights, constants) only receive gradients, they pass nothing on, so
        # the walk leaves them out: often half of a graph's nodes are leaves. The nodes that are
        # left come in the same order as in topological_order(), so the sums are the same.
        for node in reversed(_depth_first(self, leaves=False)):
            upstream = node.grad
            node._a.grad += node._da * upstream  # every node here has a first input
            b = node._b
            if b is not None:
                b.grad += node._db * upstream

    def topological_order(self) -> list[Value]:
        """Every node this value depends on (itself last), each listed after all of its children.

        The order is a depth-first post-order that visits children in the order they were given,
        so it is the same on every run. The walk uses an explicit stack instead of recursion, so
        graphs of any depth work (a recursive version stops at Python's recursion limit of about
        1,000 nodes).

        Returns:
            The nodes, leaves first; each node appears once even if it is used several times.
        """
        return _depth_first(self, leaves=True)


def _depth_first(root: Value, *, leaves: bool) -> list[Value]:
    """The nodes under `root` in depth-first post-order; without the leaves if `leaves` is False.

    A node popped from the stack for the first time is expanded: it goes back on the stack under
    a None marker, with its inputs above (the first input on top, so it is visited first). When
    the marker comes off again, everything pushed above it has been emitted, so the node below it
    is emitted. A node that several parents share is pushed by each of them; the first time it
    is popped it is expanded, every later time it is already in `expanded` and is skipped.
    (Checking `expanded` before pushing as well would only repeat that test: in a tree-shaped
    graph no child is shared, and the walk is ~5% faster without it.)
    """
    order: list[Value] = []
    expanded: set[Value] = set()
    stack: list[Value | None] = [root] if leaves or root._a is not None else []
    # The methods are looked up once, outside the loop: this loop runs once per node.
    push, pop, expand = stack.append, stack.pop, expanded.add
    while stack:
        node = pop()
        if node is None:
            order.append(pop())
            continue
        if node in expanded:
            continue
        expand(node)
        push(node)
        push(None)
        b, a = node._b, node._a  # None for a missing input; a leaf's own _a is None
        if b is not None and (leaves or b._a is not None):
            push(b)
        if a is not None and (leaves or a._a is not None):
            push(a)
    return order


_new_object = object.__new__


def _result(
    data: float, op: str, a: Value, da: float, b: Value | None = None, db: float = 0.0
) -> Value:
    """The output of an operation `op` on the inputs `a` (and `b`), whose local derivatives
    are `da` (and `db`).

    Operations create almost every node of a graph. Filling the slots of a new object directly
    costs less than half of calling `Value(...)` with keyword arguments.
    """
    node = _new_object(Value)
    # Operations compute floats; the check only matters if someone stored an int in `.data`.
    node.data = data if type(data) is float else _as_float(data)
    node.grad = 0.0
    node.label = ""
    node._op = op
    node._a = a
    node._b = b
    node._da = da
    node._db = db
    return node


def _constant(x: object) -> Value | None:
    """Wrap a plain number that meets a Value in an expression; None if it is not a number."""
    return Value(float(x)) if _is_number(x) else None
