"""Drawing expression graphs with Graphviz: every value as a box, every operation as a small node.

`draw_dot(root)` returns a `graphviz.Digraph`. In Jupyter it shows itself as an SVG; elsewhere
`.source` is the DOT text and `.render(...)` writes a file. Producing the DOT text needs only the
`graphviz` Python package; turning it into a picture needs Graphviz's `dot` program.
"""

from __future__ import annotations

import graphviz

from micrograd.engine import Value

__all__ = ["draw_dot", "GraphvizNotInstalled"]

_INSTALL_HINT = (
    "drawing the graph needs the Graphviz 'dot' program, which is not on PATH. Install it with "
    "'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or "
    "'conda install graphviz', or see https://graphviz.org/download/"
)


class GraphvizNotInstalled(RuntimeError):
    """Raised when a graph is rendered but the Graphviz `dot` program cannot be found."""


class ExpressionGraph(graphviz.Digraph):
    """A Digraph whose rendering errors explain how to install Graphviz."""

    def pipe(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - same signature as Digraph
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotInstalled(_INSTALL_HINT) from error

    def render(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - same signature as Digraph
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotInstalled(_INSTALL_HINT) from error


def _format_number(x: float) -> str:
    return f"{x:.4f}"


def draw_dot(root: Value, rankdir: str = "LR") -> ExpressionGraph:
    """The expression graph that produced `root`, laid out left to right (`rankdir="TB"` for top
    to bottom). Each value shows its label, data and grad; each operation is its own node."""
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot takes a Value, got {root!r} of type {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of LR, TB, RL, BT; got {rankdir!r}")
    dot = ExpressionGraph(format="svg", graph_attr={"rankdir": rankdir})
    dot.attr("node", fontname="Helvetica", fontsize="11")
    # Node names come from the topological position, not id(): the same program draws the same
    # file every time, which keeps the built site reproducible.
    nodes = root.topological_order()
    names = {id(node): f"v{i}" for i, node in enumerate(nodes)}
    for node in nodes:
        name = names[id(node)]
        label = f"{node.label} | " if node.label else ""
        numbers = f"data {_format_number(node.data)} | grad {_format_number(node.grad)}"
        dot.node(
            name,
            label=f"{{ {label}{numbers} }}",
            shape="record",
        )
        if node._op:
            dot.node(name + "op", label=node._op, shape="circle", width="0.3", margin="0.02")
            dot.edge(name + "op", name)
            for child in node._children:
                dot.edge(names[id(child)], name + "op")
    return dot
