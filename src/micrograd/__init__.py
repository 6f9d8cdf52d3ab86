"""micrograd: a tiny scalar autograd engine and a neural-net library on top of it.

>>> from micrograd import Value, MLP
>>> x = Value(3.0)
>>> y = x * x
>>> y.backward()
>>> x.grad
6.0
"""

from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Module, Neuron

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP", "draw_dot", "step_backward"]
__version__ = "0.1.0"


def __getattr__(name: str):  # noqa: ANN202 - module-level lazy attribute
    # draw_dot and step_backward are imported on first use, so that `import micrograd` never
    # needs graphviz.
    if name in ("draw_dot", "step_backward"):
        from micrograd import graph

        return getattr(graph, name)
    raise AttributeError(f"module 'micrograd' has no attribute {name!r}")
