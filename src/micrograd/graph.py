"""Drawing expression graphs with Graphviz: every value as a box, every operation as a small node.

The boxes stack their label, data and grad, so they are narrow, and the spacing is tight: the
lecture's neuron graph is about 860 px wide instead of about 1,960 px with side-by-side fields,
so on a web page it fits a text column at a readable size.

`draw_dot(root)` returns a `graphviz.Digraph`. In Jupyter it shows itself as an SVG; elsewhere
`.source` is the DOT text and `.render(...)` writes a file. Producing the DOT text needs only the
`graphviz` Python package; turning it into a picture needs Graphviz's `dot` program.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import graphviz

from micrograd.engine import Value

__all__ = [
    "draw_dot",
    "GraphvizNotInstalled",
    "step_backward",
    "backward_steps",
    "StepThrough",
    "BackwardStep",
    "GradientSent",
]

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

    Each value is a box showing its label, data and grad (four decimals) stacked, and each
    operation is a small circle between its inputs and its result. Nodes are named
    "v<position in root.topological_order()>" (an operation "v<position>op"); the SVG carries
    the name in each node's <title>, so a page can find a node again.

    Args:
        root: The value whose graph to draw, usually a loss or an output.
        rankdir: The direction of the arrows: "LR" (left to right), "TB", "RL" or "BT". A deep
            graph, such as a whole MLP, is narrower drawn "TB".

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
    # Tight spacing (in inches; Graphviz's defaults are 0.5 between ranks and 0.25 between
    # nodes) and a transparent background, so a page's colour scheme shows through.
    dot = ExpressionGraph(
        format="svg",
        graph_attr={
            "rankdir": rankdir,
            "ranksep": "0.25",
            "nodesep": "0.15",
            "bgcolor": "transparent",
        },
    )
    dot.attr("node", fontname="Helvetica", fontsize="11")
    dot.attr("edge", arrowsize="0.6")
    # Node names come from the topological position, not id(): the same program draws the same
    # file every time, which keeps the built site reproducible.
    nodes = root.topological_order()
    names = {id(node): f"v{i}" for i, node in enumerate(nodes)}
    for node in nodes:
        name = names[id(node)]
        fields = [f"data {_format_number(node.data)}", f"grad {_format_number(node.grad)}"]
        if node.label:
            fields.insert(0, _record_text(node.label))
        # A record's fields run across the rank direction: left to right they stack top to
        # bottom as they are; top to bottom they need braces to do the same. Stacked, a box is
        # as narrow as its longest line.
        label = " | ".join(fields)
        if rankdir in ("TB", "BT"):
            label = f"{{ {label} }}"
        dot.node(name, label=label, shape="record", margin="0.05,0.02", height="0.3")
        if node._op:
            dot.node(name + "op", label=node._op, shape="circle", width="0.3", margin="0")
            dot.edge(name + "op", name)
            for child in node._children:
                dot.edge(names[id(child)], name + "op")
    return dot


# -- stepping through backward() one node at a time ------------------------------------------------


@dataclass(frozen=True)
class GradientSent:
    """What one step of backward() adds to one input: `child.grad += local * upstream`.

    Attributes:
        child: The input's node name in `draw_dot`'s graph, "v<index>".
        name: How the input reads: its label, or the expression that made it.
        local: The local derivative d(node)/d(child).
        upstream: The gradient of the node being processed, node.grad.
        grad: The input's gradient after this step.
        text: The chain-rule product, e.g. "x1.grad += w1.data × (x1*w1).grad = −3 × 0.5 = −1.5".
    """

    child: str
    name: str
    local: float
    upstream: float
    grad: float
    text: str


@dataclass(frozen=True)
class BackwardStep:
    """One node processed by backward(): its gradient is complete and it passes it on.

    Attributes:
        node: The node's name in `draw_dot`'s graph, "v<index>".
        name: How the node reads: its label, or the expression that made it.
        op: The operation that made it ("+", "*", "tanh", ...).
        grad: Its gradient, complete when it is processed (1 for the output: d out/d out).
        sent: What it adds to each of its inputs, in the order of its inputs.
    """

    node: str
    name: str
    op: str
    grad: float
    sent: tuple[GradientSent, ...]


def _shown(x: float) -> str:
    """A number as the step texts show it: up to four decimals, a true minus sign."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", "\N{MINUS SIGN}")


# A name that can stand before ".grad" as it is: x1, tanh(n); anything else gets brackets.
_PLAIN_NAME = re.compile(r"[A-Za-z_]\w*(\(.*\))?")


def _ref(name: str) -> str:
    return name if _PLAIN_NAME.fullmatch(name) else f"({name})"


def _names(nodes: list[Value]) -> dict[int, str]:
    """How each node reads in the step texts: its label, or the expression that made it."""
    names: dict[int, str] = {}
    for node in nodes:  # children first, so their names are known
        if node.label:
            names[id(node)] = node.label
            continue
        parts = [names[id(child)] for child in node._children]
        op = node._op
        if not op:
            name = _shown(node.data)  # a constant, e.g. the 2 of 2 * a
        elif len(parts) == 2:
            spaced = f" {op} " if op == "+" else op
            name = spaced.join(f"({p})" if " " in p and op != "+" else p for p in parts)
        elif op.startswith("**"):
            name = f"{_ref(parts[0])}{op}"
        else:
            name = f"{op}({parts[0]})"
        # Long expressions do not help: a name is for finding the box in the graph.
        names[id(node)] = name if len(name) <= 24 else f"node {len(names)}"
    return names


def _local_text(node: Value, child: Value, index: int, names: dict[int, str]) -> str:
    """The local derivative d(node)/d(child) in words, e.g. "w1.data" for x1 in x1*w1."""
    op, children = node._op, node._children

    def ref(v: Value) -> str:
        return _ref(names[id(v)])

    if op == "+":
        return "1"
    if op == "*":
        other = children[1 - index]
        if not other.label and not other._op:
            return _shown(other.data)  # a constant: 2 in 2 * a
        return f"{ref(other)}.data"
    if op == "tanh":
        return f"(1 − {ref(node)}.data²)"
    if op in ("exp",):
        return f"{ref(node)}.data"
    if op.startswith("**"):
        exponent = float(op[2:])
        return f"{_shown(exponent)} × {ref(child)}.data**{_shown(exponent - 1)}"
    if op == "relu":
        return f"({ref(child)}.data > 0)"
    if op == "log":
        return f"1 / {ref(child)}.data"
    if op == "sigmoid":
        return f"{ref(node)}.data × (1 − {ref(node)}.data)"
    return f"d {ref(node)} / d {ref(child)}"


def backward_steps(root: Value) -> list[BackwardStep]:
    """The steps of `root.backward()`, one per node that has inputs, in the order it takes them.

    The order is `backward()`'s own: the reverse of `root.topological_order()`, leaves left out
    (they have nothing to pass on). Each step applies the chain rule to one node, exactly as
    `backward()` does, so the last step leaves every gradient as `backward()` would; the
    gradients are computed aside, and no `.grad` in the graph is changed.

    Args:
        root: The output to differentiate, e.g. a loss.

    Returns:
        The steps; `steps[0]` processes `root` itself.

    Raises:
        TypeError: If `root` is not a Value.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps takes a Value, got {root!r} of type {type(root).__name__}")
    nodes = root.topological_order()
    index = {id(node): i for i, node in enumerate(nodes)}
    names = _names(nodes)
    grads = {id(node): 0.0 for node in nodes}
    grads[id(root)] = 1.0  # d root / d root
    steps = []
    for node in reversed(nodes):
        if not node._children:
            continue
        upstream = grads[id(node)]
        sent = []
        for i, (child, local) in enumerate(zip(node._children, node._local_grads, strict=True)):
            grads[id(child)] += local * upstream
            child_name = names[id(child)]
            text = (
                f"{_ref(child_name)}.grad += {_local_text(node, child, i, names)}"
                f" × {_ref(names[id(node)])}.grad"
                f" = {_shown(local)} × {_shown(upstream)} = {_shown(local * upstream)}"
            )
            sent.append(
                GradientSent(
                    f"v{index[id(child)]}", child_name, local, upstream, grads[id(child)], text
                )
            )
        steps.append(
            BackwardStep(f"v{index[id(node)]}", names[id(node)], node._op, upstream, tuple(sent))
        )
    return steps


class StepThrough:
    """`backward()` on a graph, ready to be shown one step at a time.

    On the site, a live block whose last line is `step_backward(o)` shows the graph with Step,
    Back, Run to the end and Reset buttons. Anywhere else, `print()` lists the steps.

    Attributes:
        root: The output the steps start from.
        steps: The steps of `backward_steps(root)`.
        graph: The graph drawn by `draw_dot(root, rankdir)`.
    """

    def __init__(self, root: Value, rankdir: str = "LR") -> None:
        self.root = root
        self.steps = backward_steps(root)
        self.graph = draw_dot(root, rankdir)

    def as_dict(self) -> dict:
        """The graph's DOT source and the steps as plain data (what a page needs to show them)."""
        nodes = self.root.topological_order()
        return {
            "dot": self.graph.source,
            "nodes": [f"v{i}" for i in range(len(nodes))],
            "steps": [asdict(step) for step in self.steps],
        }

    def __str__(self) -> str:
        lines = []
        for number, step in enumerate(self.steps, start=1):
            lines.append(f"step {number}: {step.name} ({step.op}), grad {_shown(step.grad)}")
            lines += [f"    {sent.text}" for sent in step.sent]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<StepThrough: {len(self.steps)} steps>"


def step_backward(root: Value, rankdir: str = "LR") -> StepThrough:
    """Step through `root.backward()` node by node: the graph, and what each step sends where.

    Args:
        root: The output to differentiate, e.g. `o` of the lecture's neuron.
        rankdir: The direction of the graph's arrows, as for `draw_dot`.

    Returns:
        The steps with the graph. The page draws it with a button per step; `print()` lists the
        steps as text.

    Raises:
        TypeError: If `root` is not a Value.

    Examples:
        >>> from micrograd import Value
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b
        >>> c.label = "c"
        >>> print(step_backward(c))
        step 1: c (*), grad 1
            a.grad += b.data × c.grad = −3 × 1 = −3
            b.grad += a.data × c.grad = 2 × 1 = 2
    """
    return StepThrough(root, rankdir)
