"""Drawing expression graphs with Graphviz: every value as a box, every operation as a small node.

`draw_dot(root)` returns a `graphviz.Digraph`. In Jupyter it shows itself as an SVG; elsewhere
`.source` is the DOT text and `.render(...)` writes a file. Producing the DOT text needs only the
`graphviz` Python package; turning it into a picture needs Graphviz's `dot` program.
"""

from __future__ import annotations

import re

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
    """A `graphviz.Digraph` whose rendering errors explain how to install Graphviz.

    Jupyter's display and `.view()` go through `pipe()` and `render()`, so they are covered too.
    """

    def __repr__(self) -> str:
        # The default repr holds a memory address; a notebook stores the repr beside the SVG, so
        # a fixed one keeps executed notebooks identical from run to run.
        return f"<ExpressionGraph: {sum(1 for line in self.body if ' -> ' in line)} edges>"

    def pipe(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - same signature as Digraph
        """`graphviz.Digraph.pipe`: the rendered graph as bytes (or str with an encoding).

        Raises:
            GraphvizNotInstalled: If the `dot` program is not on PATH.
        """
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotInstalled(_INSTALL_HINT) from error

    def render(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - same signature as Digraph
        """`graphviz.Digraph.render`: write the DOT source and the rendered file; return its path.

        Raises:
            GraphvizNotInstalled: If the `dot` program is not on PATH.
        """
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotInstalled(_INSTALL_HINT) from error


# Characters with a meaning inside a Graphviz "record" label; a backslash makes them plain text.
_RECORD_SPECIAL = re.compile(r"([{}|<>])")


def _record_text(text: str) -> str:
    return _RECORD_SPECIAL.sub(r"\\\1", text)


def _format_number(x: float) -> str:
    """Four decimals, as the lecture's graphs show them."""
    return f"{x:.4f}"


def draw_dot(root: Value, rankdir: str = "LR") -> ExpressionGraph:
    """The expression graph that produced `root`, as the lecture draws it.

    Each value is a box showing its label, data and grad (four decimals); each operation is a
    small circle between its inputs and its result.

    Args:
        root: The value whose graph to draw, usually a loss or an output.
        rankdir: The direction of the arrows: "LR" (left to right), "TB", "RL" or "BT".

    Returns:
        The graph. `.source` is its DOT text (needs only the `graphviz` Python package); showing
        it in Jupyter, `.pipe()` and `.render()` need Graphviz's `dot` program.

    Raises:
        TypeError: If `root` is not a Value.
        ValueError: If `rankdir` is not one of the four directions.
    """
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
        label = f"{_record_text(node.label)} | " if node.label else ""
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
