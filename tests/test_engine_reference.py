"""The engine against its frozen pre-optimisation copy (tests/reference_engine.py), bit for bit.

The engine was reworked for speed: a node keeps its inputs and their local derivatives in slots
of its own instead of two tuples, and the depth-first walk is another loop. None of that may
change a single bit of any result. Hypothesis writes random programs (operations picked at
random applied to earlier nodes, so nodes are shared and reused, with any finite inputs); each
program runs on both engines, and every node's data and gradient, the topological order and the
graph's structure must be identical, or both engines must raise the same error.
"""

from __future__ import annotations

import math
import struct

import reference_engine
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import MLP, Value
from micrograd.data import make_moons
from micrograd.losses import l2_penalty, max_margin_loss

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def custom_sin(v):  # noqa: ANN001, ANN201 - a Value of either engine
    """A new operation written outside the engine, through the constructor (as the walkthrough)."""
    return type(v)(math.sin(v.data), _children=(v,), _local_grads=(math.cos(v.data),), _op="sin")


def custom_product(a, b):  # noqa: ANN001, ANN201
    return type(a)(a.data * b.data, _children=(a, b), _local_grads=(b.data, a.data), _op="prod")


# name: (number of operands, function); the same code runs on both engines.
OPERATIONS = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "div": (2, lambda a, b: a / b),
    "custom_product": (2, custom_product),
    "neg": (1, lambda a: -a),
    "square": (1, lambda a: a**2),
    "power": (1, lambda a: a**-1.5),
    "sqrt": (1, lambda a: a**0.5),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "exp": (1, lambda a: a.exp()),
    "log": (1, lambda a: a.log()),
    "relu": (1, lambda a: a.relu()),
    "custom_sin": (1, custom_sin),
    "number_minus": (1, lambda a: 1.5 - a),
    "number_over": (1, lambda a: 2.0 / a),
    "number_times": (1, lambda a: 0.5 * a),
    "plus_number": (1, lambda a: a + 1),
}


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[tuple[str, tuple[int, ...]]]]:
    leaves = draw(st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=1, max_size=5))
    steps = []
    for k in range(draw(st.integers(1, 25))):
        name = draw(st.sampled_from(sorted(OPERATIONS)))
        arity = OPERATIONS[name][0]
        operands = tuple(draw(st.integers(0, len(leaves) + k - 1)) for _ in range(arity))
        steps.append((name, operands))
    return leaves, steps


def run(value: type, program: tuple[list[float], list]) -> tuple[str, object]:
    """("ok", nodes) after building and back-propagating the program, or ("error", the error)."""
    leaves, steps = program
    nodes = [value(x, label=f"x{i}") for i, x in enumerate(leaves)]
    try:
        for name, operands in steps:
            nodes.append(OPERATIONS[name][1](*(nodes[i] for i in operands)))
        # The output sums every node, so that every node gets a gradient.
        output = nodes[0]
        for node in nodes[1:]:
            output = output + node
        output.backward()
    except (ArithmeticError, ValueError, TypeError) as error:
        return "error", (type(error), str(error))
    return "ok", [*nodes, output]


def bits(x: float) -> bytes:
    """The 8 bytes of a float: equal bits, not just equal values (0.0 != -0.0, nan == nan)."""
    return struct.pack("<d", x)


def describe(root) -> list[tuple]:  # noqa: ANN001
    """Every node of the graph in topological order: its op, label, data and grad bits, and the
    positions of its children and the bits of their local derivatives."""
    order = root.topological_order()
    position = {id(node): i for i, node in enumerate(order)}
    return [
        (
            node._op,
            node.label,
            bits(node.data),
            bits(node.grad),
            tuple(position[id(child)] for child in node._children),
            tuple(bits(local) for local in node._local_grads),
        )
        for node in order
    ]


@SETTINGS
@given(programs())
def test_random_programs_give_bit_identical_results_on_both_engines(program) -> None:  # noqa: ANN001
    status, ours = run(Value, program)
    reference_status, theirs = run(reference_engine.Value, program)
    assert status == reference_status
    if status == "error":
        assert ours == theirs  # the same exception type and message
        return
    for mine, other in zip(ours, theirs, strict=True):
        assert (bits(mine.data), bits(mine.grad)) == (bits(other.data), bits(other.grad))
    assert describe(ours[-1]) == describe(theirs[-1])


@SETTINGS
@given(programs())
def test_backward_twice_accumulates_identically_on_both_engines(program) -> None:  # noqa: ANN001
    status, ours = run(Value, program)
    if status == "error":
        return
    _, theirs = run(reference_engine.Value, program)
    ours[-1].backward()
    theirs[-1].backward()
    assert [bits(n.grad) for n in ours] == [bits(n.grad) for n in theirs]


def test_two_moons_training_steps_are_bit_identical_on_both_engines() -> None:
    """Five steps of the demo's training loop, the model's arithmetic written out for both."""
    points, labels = make_moons(40, noise=0.1, seed=3)
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", seed=3)
    weights = [p.data for p in model.parameters()]
    # The same network on the reference engine: a copy of every parameter, used in the same order
    # as nn.py uses them (bias first, then w . x term by term, relu on hidden layers).
    reference_params = [reference_engine.Value(w) for w in weights]

    def reference_forward(row: list) -> object:
        x, params = row, iter(reference_params)
        for layer in model.layers:
            outputs = []
            for neuron in layer.neurons:
                w = [next(params) for _ in neuron.w]
                act = next(params)
                for wi, xi in zip(w, x, strict=True):
                    act = act + wi * xi
                outputs.append(act.relu() if neuron.activation == "relu" else act)
            x = outputs
        return x[0]

    for step in range(5):
        scores = [model(row) for row in points]
        reference_scores = [reference_forward(row) for row in points]
        loss = max_margin_loss(scores, labels) + l2_penalty(model.parameters())
        zero = reference_engine.Value
        margins = [(1 - y * s).relu() for s, y in zip(reference_scores, labels, strict=True)]
        reference_loss = sum(margins, zero(0.0)) * (1.0 / len(margins)) + 1e-4 * sum(
            (p * p for p in reference_params), zero(0.0)
        )
        model.zero_grad()
        for p in reference_params:
            p.grad = 0.0
        loss.backward()
        reference_loss.backward()
        assert bits(loss.data) == bits(reference_loss.data), step
        params = model.parameters()
        assert [bits(p.grad) for p in params] == [bits(p.grad) for p in reference_params], step
        for p, q in zip(params, reference_params, strict=True):
            p.data -= 0.5 * p.grad
            q.data -= 0.5 * q.grad
