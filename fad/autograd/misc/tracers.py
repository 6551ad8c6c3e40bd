"""autograd's ``misc.tracers``: ``const_graph`` records a function's operations once and
replays them on later calls (Python code between them does not run again).

>>> import fad.autograd.numpy as np
>>> from fad.autograd.misc import const_graph
>>> calls = []
>>> def f(x):
...     calls.append(x)
...     return np.sin(x) * 2.0
>>> g = const_graph(f)
>>> float(g(0.5)), float(g(1.0)), len(calls)    # f's body ran once
(0.958851077208406, 1.682941969615793, 1)

For new code, ``fad.jit`` does the same and also removes the per-operation overhead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fad.autograd.tracer import Node, _trace, toposort
from fad.tree_util import tree_flatten

__all__ = ["const_graph", "const_graph_unary"]


class _ConstNode(Node):
    __slots__ = ["parents", "call"]

    def __init__(
        self, value: Any, fun: Any, args: Any, kwargs: Any, parent_argnums: Any, parents: Any
    ) -> None:
        args = list(args)

        def call(parent_values: Any) -> Any:
            full = list(args)
            for i, v in zip(parent_argnums, parent_values, strict=True):
                full[i] = v
            return fun(*full, **kwargs)

        self.parents = parents
        self.call = call

    def initialize_root(self) -> None:
        self.parents = []


def const_graph_unary(fun: Callable[..., Any]) -> Callable[..., Any]:
    """``fun`` of one argument (a pytree), recorded on its first call and replayed after."""
    graph: list[Any] = []

    def cached(x: Any) -> Any:
        leaves = tree_flatten(x)[0]
        if graph:
            roots, nodes = graph
            values = dict(zip(map(id, roots), leaves, strict=True))
            for node in nodes:
                if id(node) not in values:
                    values[id(node)] = node.call([values[id(p)] for p in node.parents])
            return values[id(nodes[-1])]
        roots = [_ConstNode.new_root() for _ in leaves]
        value, end_node = _trace(roots, _ConstNode, fun, x)
        if end_node is None:
            raise ValueError("const_graph: the output is independent of the input.")
        graph.extend([roots, toposort(end_node)[::-1]])
        return value

    return cached


def const_graph(fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
    """``fun`` with ``args``/``kwargs`` bound first, recorded on its first call and replayed
    on later calls."""
    cached = const_graph_unary(lambda a: partial(fun, *args, **kwargs)(*a))

    def _fun(*a: Any) -> Any:
        return cached(a)

    _fun.__name__ = getattr(fun, "__name__", "const_graph")
    return _fun
