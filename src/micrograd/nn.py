"""A small neural-network library on top of `Value`: Neuron, Layer and MLP, as in the lecture.

Every weight is a `Value`, so a forward pass builds one expression graph and `loss.backward()`
fills in the gradient of every parameter.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from micrograd.engine import Value

__all__ = ["Module", "Neuron", "Layer", "MLP", "ACTIVATIONS"]

#: The activations a Neuron accepts. "linear" applies nothing (used for output layers).
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _check_activation(activation: str) -> str:
    """Return `activation` if it is one of ACTIVATIONS, else raise ValueError listing them."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {ACTIVATIONS}")
    return activation


def _make_rng(seed: int | None) -> random.Random:
    # With no seed, draw from the module-level generator so `random.seed(...)` controls it,
    # which is what the lecture does. With a seed, use a private generator.
    return random if seed is None else random.Random(seed)  # type: ignore[return-value]


class Module:
    """Something with parameters: they can be listed and their gradients reset."""

    def parameters(self) -> list[Value]:
        """Every trainable `Value` of this module, in a fixed order (none for the base class)."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero.

        Call it before each `backward()` in training: gradients accumulate, so without it every
        step would add onto the previous step's gradients.
        """
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: activation(w . x + b), with weights and bias drawn uniformly from [-1, 1].

    Args:
        nin: The number of inputs (and weights).
        activation: One of `ACTIVATIONS`: "tanh" (the lecture's), "relu", "sigmoid" or
            "linear" (none).
        rng: Where the initial weights come from; the module-level `random` if None, so that
            `random.seed(...)` makes them reproducible.

    Attributes:
        w (list[Value]): The `nin` weights.
        b (Value): The bias.
        activation (str): The activation's name.

    Raises:
        ValueError: If `nin` is less than 1 or `activation` is unknown.
    """

    def __init__(
        self, nin: int, activation: str = "tanh", *, rng: random.Random | None = None
    ) -> None:
        if nin < 1:
            raise ValueError(f"a neuron needs at least one input, got nin={nin!r}")
        rng = rng if rng is not None else _make_rng(None)
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(rng.uniform(-1, 1))
        self.activation = _check_activation(activation)

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """The neuron's output for the inputs `x` (Values or plain numbers).

        Raises:
            ValueError: If `x` does not have `nin` elements.
        """
        if len(x) != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, got {len(x)}")
        # Start the sum from the bias, so the bias costs no extra node.
        act = self.b
        for wi, xi in zip(self.w, x, strict=True):
            act = act + wi * xi
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "relu":
            return act.relu()
        if self.activation == "sigmoid":
            return act.sigmoid()
        return act

    def parameters(self) -> list[Value]:
        """The weights, then the bias: `nin + 1` values."""
        return [*self.w, self.b]

    def __repr__(self) -> str:
        """`Neuron(nin, activation=...)`."""
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """`nout` neurons that all see the same inputs.

    Args:
        nin: The number of inputs of every neuron.
        nout: The number of neurons, i.e. of outputs.
        activation: The activation of every neuron (see `Neuron`).
        rng: Where the initial weights come from (see `Neuron`).

    Attributes:
        neurons (list[Neuron]): The neurons, in output order.

    Raises:
        ValueError: If `nout` is less than 1 (or `nin`, `activation` are invalid for a Neuron).
    """

    def __init__(
        self, nin: int, nout: int, activation: str = "tanh", *, rng: random.Random | None = None
    ) -> None:
        if nout < 1:
            raise ValueError(f"a layer needs at least one neuron, got nout={nout!r}")
        self.neurons = [Neuron(nin, activation, rng=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """Every neuron's output for `x`: a list, or the Value itself for a layer of one."""
        outs = [n(x) for n in self.neurons]
        # A layer of one neuron returns the Value itself, so a network's output is easy to use.
        return outs[0] if len(outs) == 1 else outs

    def parameters(self) -> list[Value]:
        """Every neuron's parameters, neuron after neuron: `nout * (nin + 1)` values."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        """`Layer of [Neuron(...), ...]`."""
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes `nouts`, fed by `nin` inputs.

    Args:
        nin: The number of inputs.
        nouts: The size of every layer, the last one being the output layer.
        activation: The activation of the hidden layers (see `Neuron`); the lecture uses
            "tanh" everywhere.
        output_activation: The activation of the last layer; `activation` if None. "linear"
            gives raw scores, as the original micrograd's demo does.
        seed: Draw the initial weights from a private `random.Random(seed)`, independent of the
            global random state; if None, from the module-level `random`.

    Attributes:
        layers (list[Layer]): The layers, input side first.

    Raises:
        ValueError: If `nouts` is empty, an activation is unknown or a size is less than 1.

    Examples:
        >>> model = MLP(3, [4, 4, 1], seed=0)
        >>> len(model.parameters())  # (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1
        41
        >>> model([2.0, 3.0, -1.0])  # one output: a Value, not a list  # doctest: +ELLIPSIS
        Value(data=..., grad=0.0)
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        *,
        seed: int | None = None,
    ) -> None:
        if not nouts:
            raise ValueError("an MLP needs at least one layer: nouts is empty")
        _check_activation(activation)
        last = _check_activation(output_activation or activation)
        rng = _make_rng(seed)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], last if i == len(nouts) - 1 else activation, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """The network's output for `x`: a Value if the last layer has one neuron, else a list."""
        for layer in self.layers:
            x = layer(x)
            if isinstance(x, Value):
                x = [x]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        """Every layer's parameters, input layer first."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        """`MLP of [Layer of [...], ...]`."""
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"
