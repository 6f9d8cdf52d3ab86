"""draw_dot: the DOT text of an expression graph, and the error when Graphviz is missing."""

from __future__ import annotations

import re
import shutil

import pytest

graphviz = pytest.importorskip("graphviz")

from micrograd import Value  # noqa: E402 - after the importorskip
from micrograd.graph import GraphvizNotInstalled, draw_dot  # noqa: E402


def lecture_graph() -> Value:
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return L


def test_draw_dot_returns_a_digraph_available_from_the_package() -> None:
    import micrograd

    dot = micrograd.draw_dot(lecture_graph())
    assert isinstance(dot, graphviz.Digraph)
    assert "rankdir=LR" in dot.source


def test_every_value_shows_its_label_data_and_grad() -> None:
    source = draw_dot(lecture_graph()).source
    for label, data, grad in [
        ("a", "2.0000", "6.0000"),
        ("b", "-3.0000", "-4.0000"),
        ("c", "10.0000", "-2.0000"),
        ("e", "-6.0000", "-2.0000"),
        ("d", "4.0000", "-2.0000"),
        ("f", "-2.0000", "4.0000"),
        ("L", "-8.0000", "1.0000"),
    ]:
        # Left to right, a record's fields stack top to bottom: a narrow box of three lines.
        assert f'label="{label} | data {data} | grad {grad}"' in source


def test_each_operation_is_its_own_node_between_inputs_and_result() -> None:
    dot = draw_dot(lecture_graph())
    # a, b, e, c, d, f, L in topological order are v0 .. v6; e = a * b is v2.
    assert 'v2op [label="*"' in dot.source
    assert 'v4op [label="+"' in dot.source
    edges = [line.strip() for line in dot.body if "->" in line]
    assert {"v0 -> v2op", "v1 -> v2op", "v2op -> v2"} <= set(edges)
    assert len(edges) == 3 * 3  # three binary operations: two inputs and one output each


def test_same_program_draws_identical_source() -> None:
    assert draw_dot(lecture_graph()).source == draw_dot(lecture_graph()).source


def test_unlabelled_values_show_only_numbers() -> None:
    source = draw_dot(Value(1.5) * 2).source
    assert 'label="data 1.5000 | grad 0.0000"' in source
    assert 'label="data 3.0000 | grad 0.0000"' in source


def test_top_to_bottom_graphs_stack_the_fields_with_braces() -> None:
    source = draw_dot(lecture_graph(), rankdir="TB").source
    assert 'label="{ a | data 2.0000 | grad 6.0000 }"' in source


def test_graph_is_drawn_compact_on_a_transparent_background() -> None:
    source = draw_dot(lecture_graph()).source
    for attribute in ("ranksep=0.25", "nodesep=0.15", "bgcolor=transparent"):
        assert attribute in source


def test_draw_dot_rejects_non_values_and_unknown_directions() -> None:
    with pytest.raises(TypeError, match="takes a Value"):
        draw_dot(1.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(Value(1.0), rankdir="up")
    assert "rankdir=TB" in draw_dot(Value(1.0), rankdir="TB").source


def test_rendering_without_dot_raises_graphviz_not_installed_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot` anywhere
    dot = draw_dot(lecture_graph())
    for attempt in (
        lambda: dot.pipe(format="svg"),
        lambda: dot.render(tmp_path / "graph"),
        lambda: dot._repr_mimebundle_(),  # what Jupyter calls to show it
    ):
        with pytest.raises(GraphvizNotInstalled, match="apt-get install graphviz") as error:
            attempt()
        assert isinstance(error.value.__cause__, graphviz.ExecutableNotFound)
    assert "graphviz.org/download" in str(error.value)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_rendering_with_dot_gives_svg() -> None:
    svg = draw_dot(lecture_graph()).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "grad 6.0000" in svg
    # Narrow stacked boxes: the lecture's first graph is 663 px wide, under half of the 1,423 px
    # it took with the fields side by side.
    width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    assert width_pt * 4 / 3 < 1423 / 2


def test_graph_repr_is_the_same_on_every_run_so_executed_notebooks_do_not_change() -> None:
    a = Value(3.0, label="a")
    graph = draw_dot(a * a + 1)
    assert repr(graph) == "<ExpressionGraph: 6 edges>"
    assert "0x" not in repr(graph)


def test_labels_with_graphviz_record_characters_are_drawn_as_text() -> None:
    a = Value(2.0, label="w{1}|<x>")
    source = draw_dot(a * 2).source
    assert r"w\{1\}\|\<x\> | data 2.0000" in source
