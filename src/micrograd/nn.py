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
        return []

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero. Call it before each `backward()` in training:
        gradients accumulate, so without it every step adds onto the previous step's gradients."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """One neuron: activation(w . x + b), with weights and bias drawn uniformly from [-1, 1]."""

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
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """`nout` neurons that all see the same inputs."""

    def __init__(
        self, nin: int, nout: int, activation: str = "tanh", *, rng: random.Random | None = None
    ) -> None:
        if nout < 1:
            raise ValueError(f"a layer needs at least one neuron, got nout={nout!r}")
        self.neurons = [Neuron(nin, activation, rng=rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        outs = [n(x) for n in self.neurons]
        # A layer of one neuron returns the Value itself, so a network's output is easy to use.
        return outs[0] if len(outs) == 1 else outs

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes `nouts`, fed by `nin` inputs.

    `activation` is used by every hidden layer; `output_activation` by the last layer and
    defaults to `activation` (the lecture uses tanh everywhere). Pass `seed` for weights that do
    not depend on the global random state.

    >>> MLP(3, [4, 4, 1], seed=0).parameters().__len__()
    41
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
        for layer in self.layers:
            x = layer(x)
            if isinstance(x, Value):
                x = [x]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"
