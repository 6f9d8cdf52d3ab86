"""Stepping through backward(): the steps, their order, their texts, and where they end."""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd import Value, step_backward
from micrograd.graph import backward_steps, draw_dot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "live"))
import runner  # noqa: E402 - live/runner.py, shipped to the browser as live_runner.py


def neuron() -> dict[str, Value]:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


def test_one_step_per_node_with_inputs_in_the_order_backward_takes_them() -> None:
    o = neuron()["o"]
    nodes = o.topological_order()
    steps = backward_steps(o)
    inner = [f"v{i}" for i, node in reversed(list(enumerate(nodes))) if node._children]
    assert [step.node for step in steps] == inner
    assert len(steps) == 5  # tanh, two +, two *
    assert steps[0].name == "o" and steps[0].grad == 1.0


def test_the_last_step_leaves_the_lectures_gradients() -> None:
    values = neuron()
    final = {}
    for step in backward_steps(values["o"]):
        final.update({sent.name: sent.grad for sent in step.sent})
    assert math.isclose(final["n"], 0.5)
    assert math.isclose(final["x1"], -1.5)
    assert math.isclose(final["w1"], 1.0)
    assert math.isclose(final["x2"], 0.5)
    assert final["w2"] == 0.0


def test_each_step_shows_the_chain_rule_product() -> None:
    steps = backward_steps(neuron()["o"])
    texts = [sent.text for step in steps for sent in step.sent]
    assert "x1.grad += w1.data × (x1*w1).grad = −3 × 0.5 = −1.5" in texts
    assert "w1.grad += x1.data × (x1*w1).grad = 2 × 0.5 = 1" in texts
    assert "n.grad += (1 − o.data²) × o.grad = 0.5 × 1 = 0.5" in texts
    assert "b.grad += 1 × n.grad = 1 × 0.5 = 0.5" in texts


def test_stepping_changes_no_gradient_in_the_graph() -> None:
    values = neuron()
    step_backward(values["o"])
    assert all(v.grad == 0.0 for v in values["o"].topological_order())


def test_node_names_are_those_of_draw_dots_graph() -> None:
    o = neuron()["o"]
    drawn = set(re.findall(r"^\s*(v\d+) \[", draw_dot(o).source, flags=re.MULTILINE))
    stepping = step_backward(o).as_dict()
    assert set(stepping["nodes"]) == drawn
    for step in stepping["steps"]:
        assert step["node"] in drawn
        assert all(sent["child"] in drawn for sent in step["sent"])


def test_the_page_gets_plain_json() -> None:
    data = json.loads(json.dumps(step_backward(neuron()["o"]).as_dict()))
    assert data["dot"].startswith("digraph")
    assert len(data["steps"]) == 5
    assert set(data["steps"][0]) == {"node", "name", "op", "grad", "sent"}


def test_printed_steps_read_as_the_chain_rule() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    assert str(step_backward(c)) == (
        "step 1: c (*), grad 1\n"
        "    a.grad += b.data × c.grad = −3 × 1 = −3\n"
        "    b.grad += a.data × c.grad = 2 × 1 = 2"
    )


def test_unlabelled_values_are_named_by_the_expression_that_made_them() -> None:
    a = Value(2.0, label="a")
    texts = [s.text for step in backward_steps((a * a + 3 * a).tanh()) for s in step.sent]
    assert texts[0].startswith("(a*a + a*3).grad += (1 − tanh(a*a + a*3).data²)")
    assert "a.grad += 3 × (a*3).grad" in " ".join(texts)  # a constant shows as its number


def test_a_leaf_has_no_steps() -> None:
    assert backward_steps(Value(1.0)) == []


def test_step_backward_takes_a_value() -> None:
    with pytest.raises(TypeError, match="takes a Value"):
        step_backward(3.0)


OPERATIONS = {
    "add": (2, lambda a, b: a + b),
    "mul": (2, lambda a, b: a * b),
    "sub": (2, lambda a, b: a - b),
    "tanh": (1, lambda a: a.tanh()),
    "square": (1, lambda a: a**2),
    "exp": (1, lambda a: a.tanh().exp()),
    "relu": (1, lambda a: a.relu()),
}


@st.composite
def graphs(draw: st.DrawFn) -> Value:
    nodes = [Value(draw(st.floats(-2, 2, allow_nan=False))) for _ in range(draw(st.integers(1, 3)))]
    for _ in range(draw(st.integers(1, 10))):
        arity, apply = OPERATIONS[draw(st.sampled_from(sorted(OPERATIONS)))]
        nodes.append(apply(*(draw(st.sampled_from(nodes)) for _ in range(arity))))
    return nodes[-1]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(graphs())
def test_stepping_to_the_end_gives_exactly_what_backward_gives(root: Value) -> None:
    nodes = root.topological_order()
    stepped = {}
    for step in backward_steps(root):
        stepped.update({sent.child: sent.grad for sent in step.sent})
    root.backward()
    for i, node in enumerate(nodes):
        if node is not root:
            assert stepped[f"v{i}"] == node.grad  # the same sums in the same order: equal floats


def test_a_live_block_ending_in_step_backward_sends_a_steps_result() -> None:
    sent = []
    code = (
        "from micrograd import Value, step_backward\n"
        "a, b = Value(2.0, label='a'), Value(-3.0, label='b')\n"
        "c = a * b + a\n"
        "c.label = 'c'\n"
        "step_backward(c)\n"
    )
    runner.run(code, lambda message: sent.append(json.loads(message)))
    (result,) = [m for m in sent if m["kind"] == "steps"]
    assert result["dot"].startswith("digraph")  # drawn into "svg" by the worker
    assert [step["name"] for step in result["steps"]] == ["c", "a*b"]
    assert result["nodes"] == ["v0", "v1", "v2", "v3"]
    assert sent[-1] == {"kind": "done"}
