"""Property tests: random expression graphs, with values reused, differentiated three ways.

A program is a few leaves and a list of steps; each step applies an operation to earlier nodes
(leaves or results), picked at random, so nodes are often used several times. The same program
runs on micrograd's Value and on torch.Tensor (float64), and its gradients are also checked
against central differences. The operations are composed so that they never leave their domain:
log and square roots only see x * x + 1, exp only sees tanh(x), division only by x * x + 1.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from micrograd import Value

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)

# name: (number of operands, function); each works on Value and torch.Tensor alike.
OPERATIONS = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (b * b + 1.0)),
    "neg": (1, lambda a: -a),
    "square": (1, lambda a: a**2),
    "cube": (1, lambda a: a**3),
    "sqrt": (1, lambda a: (a * a + 1.0) ** 0.5),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "exp": (1, lambda a: a.tanh().exp()),
    "log": (1, lambda a: (a * a + 1.0).log()),
    "relu": (1, lambda a: a.relu()),
    "number_minus": (1, lambda a: 1.5 - a),
    "number_over": (1, lambda a: 2.0 / (a * a + 1.0)),
    "number_times": (1, lambda a: 0.5 * a),
    "plus_number": (1, lambda a: a + 1.0),
}

Program = tuple[list[float], list[tuple[str, tuple[int, ...]]]]


@st.composite
def programs(draw: st.DrawFn) -> Program:
    leaves = draw(
        st.lists(
            st.floats(-1.5, 1.5, allow_nan=False).filter(lambda x: abs(x) > 0.05),
            min_size=2,
            max_size=4,
        )
    )
    steps = []
    for k in range(draw(st.integers(1, 10))):
        name = draw(st.sampled_from(sorted(OPERATIONS)))
        arity = OPERATIONS[name][0]
        operands = tuple(draw(st.integers(0, len(leaves) + k - 1)) for _ in range(arity))
        steps.append((name, operands))
    return leaves, steps


def run(steps: list[tuple[str, tuple[int, ...]]], leaves: list) -> tuple[object, list]:
    """Every node of the program (leaves first) and its output: the sum of all of them."""
    nodes = list(leaves)
    for name, operands in steps:
        nodes.append(OPERATIONS[name][1](*(nodes[i] for i in operands)))
    return sum(nodes[1:], nodes[0]), nodes


def reasonable(steps: list[tuple[str, tuple[int, ...]]], nodes: list[Value]) -> bool:
    """Values stay small (no overflow, no cancellation) and away from relu's kink."""
    if any(abs(n.data) > 1e4 for n in nodes):
        return False
    return all(abs(nodes[operands[0]].data) > 1e-3 for name, operands in steps if name == "relu")


def micrograd_gradients(program: Program) -> tuple[float, list[float], list[Value]]:
    leaves_data, steps = program
    leaves = [Value(x) for x in leaves_data]
    out, nodes = run(steps, leaves)
    assume(reasonable(steps, nodes))
    out.backward()
    return out.data, [leaf.grad for leaf in leaves], nodes


@SETTINGS
@given(programs())
def test_random_graph_gradients_match_pytorch(program: Program) -> None:
    torch = pytest.importorskip("torch")
    out_data, grads, _ = micrograd_gradients(program)

    leaves_data, steps = program
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in leaves_data]
    tout, _ = run(steps, tensors)
    tout.backward()

    assert math.isclose(out_data, tout.item(), rel_tol=1e-9, abs_tol=1e-9)
    for grad, tensor in zip(grads, tensors, strict=True):
        expected = tensor.grad.item() if tensor.grad is not None else 0.0
        assert math.isclose(grad, expected, rel_tol=1e-9, abs_tol=1e-9)


@SETTINGS
@given(programs())
def test_random_graph_gradients_match_central_differences(program: Program) -> None:
    _, grads, _ = micrograd_gradients(program)
    leaves_data, steps = program

    def f(data: list[float]) -> float:
        out, nodes = run(steps, [Value(x) for x in data])
        return out.data

    h = 1e-6
    for i, grad in enumerate(grads):
        up, down = list(leaves_data), list(leaves_data)
        up[i] += h
        down[i] -= h
        estimate = (f(up) - f(down)) / (2 * h)
        assert math.isclose(grad, estimate, rel_tol=1e-4, abs_tol=1e-4)


@SETTINGS
@given(programs())
def test_topological_order_is_a_depth_first_post_order_of_each_node_once(
    program: Program,
) -> None:
    leaves_data, steps = program
    out, _ = run(steps, [Value(x) for x in leaves_data])
    order = out.topological_order()

    # The reference: the recursive depth-first walk of the lecture (small graphs only).
    expected: list[Value] = []
    seen: set[int] = set()

    def visit(node: Value) -> None:
        seen.add(id(node))
        for child in node._children:
            if id(child) not in seen:
                visit(child)
        expected.append(node)

    visit(out)
    assert [id(n) for n in order] == [id(n) for n in expected]
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(c)] < position[id(n)] for n in order for c in n._children)
    assert order[-1] is out


@SETTINGS
@given(programs())
def test_same_program_twice_gives_bit_identical_results(program: Program) -> None:
    first = micrograd_gradients(program)[:2]
    second = micrograd_gradients(program)[:2]
    assert first == second
