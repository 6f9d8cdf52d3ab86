"""The scalar autograd engine: a `Value` remembers how it was made, so it can send gradients back.

Every arithmetic operation on `Value` objects creates a new `Value` that records three things:
its inputs (`_children`), the name of the operation (`_op`, shown in graphs) and the *local
derivative* of its output with respect to each input (`_local_grads`). `backward()` then walks
the graph from the output to the leaves and applies the chain rule:

    child.grad += local_derivative * node.grad

The lecture stores a small `_backward` closure on every node instead of a tuple of numbers. The
two are the same mathematics; numbers are used here because a closure that refers back to its own
node makes a reference cycle, and reference cycles make Python's garbage collector do most of the
work in a training loop. Plain numbers keep the graph acyclic in memory, so it is freed as soon
as the last reference to the output goes away.
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


class Value:
    """A scalar that records the operations applied to it, for reverse-mode differentiation.

    >>> a = Value(2.0, label="a")
    >>> b = a * a + 1
    >>> b.backward()
    >>> b.data, a.grad
    (5.0, 4.0)
    """

    # __slots__ makes every node smaller and attribute access faster; graphs have many nodes.
    __slots__ = ("data", "grad", "label", "_children", "_local_grads", "_op")

    def __init__(
        self,
        data: float,
        label: str = "",
        *,
        _children: tuple[Value, ...] = (),
        _local_grads: tuple[float, ...] = (),
        _op: str = "",
    ) -> None:
        # Fast path: results of operations are already floats. Anything else is checked once here,
        # so a bad input fails where it enters, not deep inside backward().
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label
        self._children = _children
        self._local_grads = _local_grads
        self._op = _op

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # -- the operations the lecture builds, each with its local derivative -----------------------

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        # d(a + b)/da = 1 and d(a + b)/db = 1: addition passes the gradient through unchanged.
        return Value(
            self.data + other.data, _children=(self, other), _local_grads=(1.0, 1.0), _op="+"
        )

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        # d(a * b)/da = b and d(a * b)/db = a: each input gets the other one's value.
        return Value(
            self.data * other.data,
            _children=(self, other),
            _local_grads=(other.data, self.data),
            _op="*",
        )

    def __pow__(self, exponent: float) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "Value ** Value is not supported: the exponent must be a plain int or float, "
                f"got a Value with data {exponent.data!r}"
            )
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            return NotImplemented
        exponent = float(exponent)
        base = self.data
        if base < 0 and not exponent.is_integer():
            raise ValueError(
                f"cannot raise the negative number {base!r} to the non-integer power {exponent!r}"
            )
        # d(x**n)/dx = n * x**(n - 1)
        if base == 0.0 and exponent < 1.0:
            # The slope is infinite (x**0.5 at 0) or undefined; PyTorch reports inf too.
            local = 0.0 if exponent == 0.0 else math.inf
        else:
            local = exponent * base ** (exponent - 1.0)
        return Value(
            base**exponent,
            _children=(self,),
            _local_grads=(local,),
            _op=f"**{exponent:g}",
        )

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        # d tanh(x)/dx = 1 - tanh(x)**2, computed from the output we already have.
        return Value(t, _children=(self,), _local_grads=(1.0 - t * t,), _op="tanh")

    def exp(self) -> Value:
        e = math.exp(self.data)
        # d exp(x)/dx = exp(x): the output is its own derivative.
        return Value(e, _children=(self,), _local_grads=(e,), _op="exp")

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {self.data!r}")
        # d log(x)/dx = 1 / x
        return Value(
            math.log(self.data), _children=(self,), _local_grads=(1.0 / self.data,), _op="log"
        )

    def relu(self) -> Value:
        positive = self.data > 0
        # The slope is 1 where the input is positive and 0 elsewhere (0 at exactly 0, as PyTorch).
        return Value(
            self.data if positive else 0.0,
            _children=(self,),
            _local_grads=(1.0 if positive else 0.0,),
            _op="relu",
        )

    def sigmoid(self) -> Value:
        # Written in two branches so that exp never overflows for large |x|.
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        # d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x))
        return Value(s, _children=(self,), _local_grads=(s * (1.0 - s),), _op="sigmoid")

    # -- everything else is built from the operations above, as in the lecture --------------------

    def __neg__(self) -> Value:  # -a
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:  # a - b
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __truediv__(self, other: Value | float) -> Value:  # a / b
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return self * other**-1

    def __radd__(self, other: float) -> Value:  # 1 + a
        return self + other

    def __rmul__(self, other: float) -> Value:  # 2 * a
        return self * other

    def __rsub__(self, other: float) -> Value:  # 1 - a
        other = _constant(other)
        if other is None:
            return NotImplemented
        return other + (-self)

    def __rtruediv__(self, other: float) -> Value:  # 2 / a
        other = _constant(other)
        if other is None:
            return NotImplemented
        return other * self**-1

    # -- backpropagation ---------------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in `.grad` of every node this value depends on: d(self)/d(node).

        Gradients are *added* to what is already there, so a node used twice receives the sum of
        both contributions. Call `zero_grad()` on a model (or set `.grad = 0.0`) between steps.
        """
        order = self.topological_order()
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(order):
            upstream = node.grad
            for child, local in zip(node._children, node._local_grads, strict=True):
                child.grad += local * upstream

    def topological_order(self) -> list[Value]:
        """Every node this value depends on, each listed after all of its children.

        The walk uses an explicit stack instead of recursion, so graphs of any depth work
        (a recursive version stops at Python's recursion limit of about 1,000 nodes).
        Children are visited in the order they were given, so the order is the same on every run.
        """
        order: list[Value] = []
        visited: set[int] = set()
        # Each entry is (node, expanded): a node is emitted once all its children have been.
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            for child in reversed(node._children):
                if id(child) not in visited:
                    stack.append((child, False))
        return order


def _constant(x: object) -> Value | None:
    """Wrap a plain number that meets a Value in an expression; None if it is not a number."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    return Value(float(x))
