"""Value classes as learners write them along with the lecture: a correct one, and classic slips.

`Value` is written the lecture's way: `data`, `grad`, a `_backward` closure on every result, the
inputs in a `_prev` set, the operation in `_op`, an optional `label`, and `backward()` running the
closures in reverse topological order. Each slip below is a subclass that changes one method the
way learners (and public notes) get it wrong; the tests check that `micrograd.check` names the
operation at fault. The methods make their results with `type(self)`, so a result of a slip class
is a slip class too and `backward()` on it runs the slip's code.
"""

from __future__ import annotations

import math


class Value:
    """A correct lecture-style Value: +, *, tanh, exp, **, -, / and plain numbers on either side."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None  # a leaf passes nothing on
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def _wrap(self, other):
        return other if isinstance(other, Value) else type(self)(other)

    def __add__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, int | float), "only numbers as exponents"
        out = type(self)(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += other * self.data ** (other - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = type(self)(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = type(self)(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other**-1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


class TanhPrecedence(Value):
    """`1 - t**2 * out.grad`: right only when the gradient from above is 1."""

    def tanh(self):
        t = math.tanh(self.data)
        out = type(self)(t, (self,), "tanh")

        def _backward():
            self.grad += 1 - t**2 * out.grad

        out._backward = _backward
        return out


class OverwriteInAdd(Value):
    """`=` instead of `+=` in +: a + a gets one gradient instead of two."""

    def __add__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad
            other.grad = out.grad

        out._backward = _backward
        return out


class OverwriteInMul(Value):
    """`=` instead of `+=` in *."""

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out


class OverwriteInExp(Value):
    """`=` instead of `+=` in exp, as the video writes it."""

    def exp(self):
        out = type(self)(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad = out.data * out.grad

        out._backward = _backward
        return out


class SwappedFactors(Value):
    """The product rule with each input getting its own value instead of the other's."""

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += self.data * out.grad
            other.grad += other.data * out.grad

        out._backward = _backward
        return out


class PowerWithoutExponent(Value):
    """The power rule without the exponent in front: x**(n - 1) instead of n * x**(n - 1)."""

    def __pow__(self, other):
        out = type(self)(self.data**other, (self,), f"**{other}")

        def _backward():
            self.grad += self.data ** (other - 1) * out.grad

        out._backward = _backward
        return out


class UnreversedOrder(Value):
    """backward() walking the topological order from the leaves up."""

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in topo:
            node._backward()


class NoSeed(Value):
    """backward() without `self.grad = 1.0`: every gradient stays 0."""

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        for node in reversed(topo):
            node._backward()


class NoVisitedSet(Value):
    """A topological sort without its `visited` set: a value reached twice is processed twice."""

    def backward(self):
        topo = []

        def build_topo(v):
            for child in v._prev:
                build_topo(child)
            topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


class ForgotMultiplyByOutGrad(Value):
    """The chain rule's second factor forgotten in *: `other.data` alone."""

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data
            other.grad += self.data

        out._backward = _backward
        return out


SLIPS = {
    # class: (the operation at fault, the name check() gives the slip)
    TanhPrecedence: ("tanh", "tanh-precedence"),
    OverwriteInAdd: ("+", "overwrite"),
    OverwriteInMul: ("*", "overwrite"),
    OverwriteInExp: ("exp", "overwrite"),
    SwappedFactors: ("*", "swapped-factors"),
    PowerWithoutExponent: ("**", "power-without-exponent"),
    UnreversedOrder: ("backward", "unreversed-order"),
    NoSeed: ("backward", "no-seed"),
    NoVisitedSet: ("backward", "no-visited-set"),
    ForgotMultiplyByOutGrad: ("*", "ignores-upstream"),
}


# -- classes from earlier in the lecture: correct, with parts not written yet ---------------------


class ValueOfChapter5:
    """Chapter 5: values and the graph, no gradients yet."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        return ValueOfChapter5(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        return ValueOfChapter5(self.data * other.data, (self, other), "*")


class ValueOfChapter9:
    """Chapter 9: a `_backward` closure per operation, called by hand; no backward() yet."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        out = ValueOfChapter9(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = ValueOfChapter9(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = ValueOfChapter9(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out


# -- classes that cannot be used as they are --------------------------------------------------


class RaisesInInit:
    """A constructor that fails."""

    def __init__(self, data):
        raise RuntimeError("not today")


class NoData:
    """Keeps its number under another name."""

    def __init__(self, data):
        self.value = data


class ForgotReturn(Value):
    """`+` without `return out`."""

    def __add__(self, other):
        out = type(self)(self.data + other.data, (self, other), "+")
        out._backward = lambda: None


class ReturnsNumber(Value):
    """`*` returning the plain product."""

    def __mul__(self, other):
        return self.data * other.data


class GradIsValue(Value):
    """`_backward` of * adding Values to .grad instead of numbers."""

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other * out.grad
            other.grad += self * out.grad

        out._backward = _backward
        return out


class RaisesInBackward(Value):
    """A typo inside a `_backward` closure."""

    def tanh(self):
        t = math.tanh(self.data)
        out = type(self)(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - tt**2) * out.grad  # noqa: F821 - the typo is the point

        out._backward = _backward
        return out


class Chatty(Value):
    """Prints from every _backward, as learners do while debugging."""

    def __add__(self, other):
        out = super().__add__(other)
        inner = out._backward

        def _backward():
            print("backward of +", out.data)
            inner()

        out._backward = _backward
        return out


# -- a class written another way: local derivatives stored as numbers, no closures ----------------


class NumbersValue:
    """Stores each input with its local derivative, as this package's engine does."""

    def __init__(self, data, _inputs=()):
        self.data = data
        self.grad = 0.0
        self._inputs = tuple(_inputs)  # (input, d out / d input) pairs

    def __add__(self, other):
        other = other if isinstance(other, NumbersValue) else type(self)(other)
        return type(self)(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = other if isinstance(other, NumbersValue) else type(self)(other)
        return type(self)(self.data * other.data, ((self, other.data), (other, self.data)))

    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, ((self, 1 - t * t),))

    def _order(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child, _ in v._inputs:
                    visit(child)
                order.append(v)

        visit(self)
        return order

    def backward(self):
        self.grad = 1.0
        for node in reversed(self._order()):
            for child, local in node._inputs:
                child.grad += local * node.grad


class NumbersValueUnreversed(NumbersValue):
    """The same, walking the order from the leaves up."""

    def backward(self):
        self.grad = 1.0
        for node in self._order():
            for child, local in node._inputs:
                child.grad += local * node.grad
