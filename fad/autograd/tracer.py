"""autograd's ``tracer``: ``trace(start_node, fun, x)`` calls a ``Node`` subclass's
constructor for every primitive operation that depends on ``x``, as autograd does.

``trace`` runs ``fun`` under a recording trace of fad's (the trace that program capture
uses, with concrete values): each operation that reads a traced value makes a node
``node_type(value, fun, args, kwargs, parent_argnums, parents)`` where ``fun`` is the
operation (with a NumPy ``__name__``: ``add``, ``multiply``, ``sin``...), ``args`` its
arguments with traced values replaced by their values, ``parent_argnums`` the positions of
the traced ones and ``parents`` their nodes. Python control flow on values works, as in
autograd. Traces nest: tracing ``grad(f)`` shows the forward pass and then the backward pass.

>>> import fad.autograd.numpy as np
>>> from fad.autograd.tracer import Node, trace
>>> class Names(Node):
...     def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
...         self.text = f"{fun.__name__}({', '.join(p.text for p in parents)})"
...     def initialize_root(self, x):
...         self.text = "x"
>>> value, node = trace(Names.new_root(1.0), lambda x: np.sin(x) * x, 1.0)
>>> node.text
'multiply(sin(x), x)'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as onp

import fad
from fad._core import Trace, Tracer, _state, bind, run_rule, use_trace
from fad._tree import known_leaves
from fad.autograd._vspace import Box
from fad.autograd.extend import notrace_primitive, primitive
from fad.tree_util import tree_flatten, tree_map, tree_unflatten

__all__ = ["Box", "Node", "getval", "isbox", "notrace_primitive", "primitive", "toposort", "trace"]

# fad primitive names that NumPy spells differently (autograd's nodes carry NumPy's names)
_NUMPY_NAMES = {
    "sub": "subtract",
    "mul": "multiply",
    "div": "divide",
    "neg": "negative",
    "pow": "power",
    "abs": "absolute",
    "conj": "conjugate",
    "reduce_sum": "sum",
    "reduce_max": "max",
    "reduce_min": "min",
    "reduce_prod": "prod",
    "eq": "equal",
    "ne": "not_equal",
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
    "select": "where",
    "quotient": "floor_divide",
}


class Node:
    """The base of a trace's node type: subclass it with ``__init__(value, fun, args,
    kwargs, parent_argnums, parents)`` for operations and ``initialize_root(*args)`` for
    the start node, made with ``new_root``."""

    __slots__ = []

    def __init__(
        self, value: Any, fun: Any, args: Any, kwargs: Any, parent_argnums: Any, parents: Any
    ) -> None:
        raise NotImplementedError("subclass Node and define __init__")

    def initialize_root(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("subclass Node and define initialize_root")

    @classmethod
    def new_root(cls, *args: Any, **kwargs: Any) -> Any:
        root = cls.__new__(cls)
        root.initialize_root(*args, **kwargs)
        return root


class _Operation:
    """A primitive as the ``fun`` a node sees: NumPy's name, and callable."""

    __slots__ = ("prim", "__name__")

    def __init__(self, prim: Any) -> None:
        self.prim = prim
        name = prim.name
        if name.startswith("autograd."):  # a primitive of fad.autograd.extend: its function's name
            name = name[len("autograd.") :].rpartition("#")[0].rpartition(".")[2]
        self.__name__ = _NUMPY_NAMES.get(name, name)

    def __call__(self, *args: Any, **params: Any) -> Any:
        return bind(self.prim, *args, **params)

    def __repr__(self) -> str:
        return f"<operation {self.__name__}>"


_OPERATIONS: dict[Any, Any] = {}


class NodeTracer(Tracer):
    """A value that ``trace`` follows: its value one level down and its node."""

    __slots__ = ("val", "node", "shape", "dtype")

    def __init__(self, trace: Any, val: Any, node: Any) -> None:
        self._trace = trace
        self.val = val
        self.node = node
        self.shape = tuple(onp.shape(val))
        self.dtype = val.dtype if hasattr(val, "dtype") else onp.result_type(val)

    def _value(self) -> Any:
        return self.val


known_leaves([NodeTracer])  # a leaf: not found out on first sight


class _Output:
    """Output ``k`` of an operation with several (the node of each output sees one value)."""

    __slots__ = ("op", "k", "__name__")

    def __init__(self, op: Any, k: Any) -> None:
        self.op, self.k, self.__name__ = op, k, op.__name__

    def __call__(self, *args: Any, **params: Any) -> Any:
        return self.op(*args, **params)[self.k]


class NodeTrace(Trace):
    """Runs each operation one level down and makes a node for it."""

    __slots__ = ("node_type",)

    def __init__(self, parent: Any, node_type: Any) -> None:
        super().__init__(parent, "autograd.tracer.trace")  # type: ignore[no-untyped-call, unused-ignore]
        self.node_type = node_type

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        argnums = [i for i, a in enumerate(args) if type(a) is NodeTracer and a._trace is self]
        if not argnums:
            return self.parent.process(prim, args, params)
        vals = [a.val if i in argnums else a for i, a in enumerate(args)]
        out = run_rule(self, self.parent.process, prim, vals, params)
        op = _OPERATIONS.get(prim)
        if op is None:
            op = _OPERATIONS[prim] = _Operation(prim)
        parents = [args[i].node for i in argnums]
        if prim.multiple_results:
            return tuple(
                NodeTracer(self, o, self.node_type(o, _Output(op, k), vals, dict(params), argnums, parents))
                for k, o in enumerate(out)
            )
        return NodeTracer(self, out, self.node_type(out, op, vals, dict(params), argnums, parents))


def trace(start_node: Any, fun: Callable[..., Any], x: Any) -> Any:
    """``(value, node)``: ``fun(x)`` and the node of its result, calling
    ``type(start_node)``'s constructor for every operation that depends on ``x``.

    ``x`` is an array, a number or a pytree of them (every leaf starts at ``start_node``).
    A result that does not depend on ``x`` gives ``(value, None)`` with a warning, as in
    autograd."""
    leaves = tree_flatten(x)[0]
    return _trace([start_node] * len(leaves), type(start_node), fun, x)


def _trace(roots: Any, node_type: Any, fun: Any, x: Any) -> Any:
    """``trace`` with root ``roots[k]`` for leaf ``k`` of ``x``."""
    t = NodeTrace(_state.trace, node_type)
    leaves, tree = tree_flatten(x)
    boxed = [
        NodeTracer(t, onp.asarray(leaf) if isinstance(leaf, (int, float, complex)) else leaf, root)
        for leaf, root in zip(leaves, roots, strict=True)
    ]
    try:
        with use_trace(t):
            out = fun(tree_unflatten(tree, boxed))
    finally:
        t.alive = False
    if type(out) is NodeTracer and out._trace is t:
        return out.val, out.node
    warnings.warn("Output seems independent of input.", stacklevel=3)
    return tree_map(lambda v: v.val if type(v) is NodeTracer and v._trace is t else v, out), None


def isbox(x: Any) -> bool:
    """Whether ``x`` is a value traced by a fad transform (autograd: a ``Box``)."""
    return isinstance(x, Tracer)


def getval(x: Any) -> Any:
    """``x`` without its derivative (autograd: the value inside a box); pytrees too."""
    return tree_map(lambda v: fad.stop_gradient(v) if isinstance(v, Tracer) else v, x)


def toposort(end_node: Any, parents: Callable[[Any], Any] = lambda node: node.parents) -> list[Any]:
    """The nodes that ``end_node`` depends on, each after every node that depends on it
    (``end_node`` first); ``parents(node)`` lists a node's parents."""
    order, seen = [], set()
    stack = [(end_node, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in parents(node) if id(p) not in seen)
    return order[::-1]
