"""Pytrees: nested containers of arrays that transforms take apart and put back together.

Containers (nodes): tuple, list, dict (keys in sorted order, like JAX), ``None`` (a node
with no children), namedtuples, attrs classes (fields in declaration order; a field with
``metadata={"static": True}`` is kept in the structure instead of being a leaf), and any
type registered with :func:`register_pytree_node`. Everything else is a leaf.

>>> leaves, treedef = tree_flatten({"b": (1, 2), "a": [3]})
>>> leaves
[3, 1, 2]
>>> tree_unflatten(treedef, [30, 10, 20])
{'a': [30], 'b': (10, 20)}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import attrs

__all__ = [
    "PyTreeDef",
    "register_pytree_node",
    "tree_flatten",
    "tree_unflatten",
    "tree_leaves",
    "tree_structure",
    "tree_map",
    "treedef_is_leaf",
    "tree_reduce",
    "tree_all",
    "register_pytree_node_class",
    "broadcast_prefix",
]


class _NodeType(NamedTuple):
    flatten: Callable[[Any], tuple[Any, Any]]  # obj -> (children, aux)
    unflatten: Callable[[Any, Any], Any]  # (aux, children) -> obj


_registry: dict[type, _NodeType] = {}
_leaf_cache: set[type] = set()  # types known to be leaves (not containers)


def register_pytree_node(nodetype, flatten_func, unflatten_func):
    """Register ``nodetype`` as a pytree node.

    ``flatten_func(obj) -> (children, aux_data)`` and
    ``unflatten_func(aux_data, children) -> obj``, as in ``jax.tree_util``.

    >>> class Pair:
    ...     def __init__(self, a, b): self.a, self.b = a, b
    >>> register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda _, c: Pair(*c))
    >>> tree_leaves(Pair(1, (2, 3)))
    [1, 2, 3]
    """
    if nodetype in _registry:
        raise ValueError(f"{nodetype.__name__} is already registered as a pytree node.")
    _registry[nodetype] = _NodeType(flatten_func, unflatten_func)
    _leaf_cache.discard(nodetype)  # it was a leaf until now


def _flatten_dict(d):
    keys = sorted(d)
    return [d[k] for k in keys], tuple(keys)


def _unflatten_dict(keys, children):
    return dict(zip(keys, children, strict=True))


register_pytree_node(tuple, lambda t: (t, None), lambda _, c: tuple(c))
register_pytree_node(list, lambda t: (t, None), lambda _, c: list(c))
register_pytree_node(dict, _flatten_dict, _unflatten_dict)
register_pytree_node(type(None), lambda _: ((), None), lambda _a, _c: None)


def _node_type(obj):
    """The registered node type of ``obj``, or None for a leaf."""
    t = type(obj)
    nt = _registry.get(t)
    if nt is not None:
        return nt
    if t in _leaf_cache:
        return None
    if issubclass(t, tuple) and hasattr(t, "_fields"):  # namedtuple
        nt = _NodeType(lambda x: (tuple(x), None), lambda _, c, t=t: t(*c))
    elif attrs.has(t):
        nt = _attrs_node(t)
    else:
        _leaf_cache.add(t)
        return None
    _registry[t] = nt
    return nt


def _attrs_node(cls):
    fields = attrs.fields(cls)
    dyn = [f.name for f in fields if not f.metadata.get("static", False)]
    static = [f.name for f in fields if f.metadata.get("static", False)]

    def flatten(obj):
        return [getattr(obj, n) for n in dyn], tuple(getattr(obj, n) for n in static)

    def unflatten(aux, children):
        kw = dict(zip(dyn, children, strict=True))
        kw.update(zip(static, aux, strict=True))
        obj = object.__new__(cls)
        for k, v in kw.items():  # bypass __init__ (and frozen-ness), like attrs.evolve
            object.__setattr__(obj, k, v)
        return obj

    return _NodeType(flatten, unflatten)


class PyTreeDef:
    """The structure of a pytree: node types, aux data and where the leaves go."""

    __slots__ = ("node", "aux", "_kids", "num_leaves", "_type", "_k")

    def __init__(self, nodetype, node, aux, children, num_leaves=None):
        self._type = nodetype  # None for a leaf
        self.node = node
        self.aux = aux
        self._kids = children
        if num_leaves is None:
            num_leaves = 1 if nodetype is None else sum(c.num_leaves for c in children)
        self.num_leaves = num_leaves
        self._k = None

    def children(self):
        """The treedefs of the node's children (a list, as in JAX)."""
        return list(self._kids)

    @property
    def num_nodes(self):
        return 1 + sum(c.num_nodes for c in self._kids)

    def unflatten(self, leaves):
        return tree_unflatten(self, leaves)

    def _key(self):
        k = self._k
        if k is None:
            k = self._k = (self._type, self.aux, tuple(c._key() for c in self._kids))
        return k

    def __eq__(self, other):
        return self is other or (isinstance(other, PyTreeDef) and self._key() == other._key())

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return f"PyTreeDef({self._str()})"

    def _str(self):
        if self._type is None:
            return "*"
        inner = [c._str() for c in self._kids]
        t = self._type
        if t is tuple:
            return "(" + ", ".join(inner) + ("," if len(inner) == 1 else "") + ")"
        if t is list:
            return "[" + ", ".join(inner) + "]"
        if t is dict:
            return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self.aux, inner, strict=True)) + "}"
        if t is type(None):
            return "None"
        return f"{t.__name__}(" + ", ".join(inner) + ")"


_LEAF = PyTreeDef(None, None, None, ())


def tree_flatten(tree, is_leaf=None):
    """Flatten ``tree`` into ``(leaves, treedef)``; leaves in a fixed, documented order.

    >>> tree_flatten((1, {"x": 2}))
    ([1, 2], PyTreeDef((*, {'x': *})))
    """
    leaves = []
    treedef = _flatten(tree, is_leaf, leaves)
    return leaves, treedef


def _flatten(tree, is_leaf, leaves):
    if is_leaf is not None and is_leaf(tree):
        leaves.append(tree)
        return _LEAF
    t = type(tree)
    nt = _registry.get(t)
    if nt is None and (t in _leaf_cache or (nt := _node_type(tree)) is None):
        leaves.append(tree)
        return _LEAF
    start = len(leaves)
    if t is tuple or t is list:  # the common containers: no flatten call
        if is_leaf is None:  # and leaves among the children (arrays) need no call either
            kids = []
            for c in tree:
                if type(c) in _leaf_cache:
                    leaves.append(c)
                    kids.append(_LEAF)
                else:
                    kids.append(_flatten(c, None, leaves))
            return PyTreeDef(t, nt, None, tuple(kids), len(leaves) - start)
        kids = tuple([_flatten(c, is_leaf, leaves) for c in tree])
        return PyTreeDef(t, nt, None, kids, len(leaves) - start)
    children, aux = nt.flatten(tree)
    kids = tuple([_flatten(c, is_leaf, leaves) for c in children])
    return PyTreeDef(t, nt, aux, kids, len(leaves) - start)


def tree_unflatten(treedef, leaves):
    """Rebuild a pytree of structure ``treedef`` from ``leaves``.

    >>> _, td = tree_flatten([1, (2, 3)])
    >>> tree_unflatten(td, "abc")
    ['a', ('b', 'c')]
    """
    if type(leaves) not in (list, tuple):
        leaves = list(leaves)
    n = len(leaves)
    if n != treedef.num_leaves:
        few = "few" if n < treedef.num_leaves else "many"
        raise ValueError(
            f"Too {few} leaves for the tree structure {treedef}: {n} given, {treedef.num_leaves} expected."
        )
    if treedef._type is None:
        return leaves[0]
    return _unflatten(treedef, iter(leaves))


_sentinel = object()  # "no value given" (tree_reduce's initializer)


def _unflatten(td, it):
    # the leaf count was checked, so ``next`` never runs out
    children = [next(it) if c._type is None else _unflatten(c, it) for c in td._kids]
    t = td._type
    if t is tuple:  # the common containers: no unflatten call
        return tuple(children)
    if t is list:
        return children
    return td.node.unflatten(td.aux, children)


def tree_leaves(tree, is_leaf=None):
    """The leaves of ``tree``, in flattening order.

    >>> tree_leaves([1, (2, None), {"a": 3}])
    [1, 2, 3]
    """
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree, is_leaf=None):
    """The :class:`PyTreeDef` of ``tree``.

    >>> tree_structure((1, [2]))
    PyTreeDef((*, [*]))
    """
    return tree_flatten(tree, is_leaf)[1]


def treedef_is_leaf(treedef):
    return treedef._type is None


def tree_map(f, tree, *rest, is_leaf=None):
    """Apply ``f`` leaf by leaf to ``tree`` (and to the matching leaves of ``rest``).

    >>> tree_map(lambda a, b: a + b, {"x": 1, "y": (2, 3)}, {"x": 10, "y": (20, 30)})
    {'x': 11, 'y': (22, 33)}
    """
    leaves, treedef = tree_flatten(tree, is_leaf)
    others = []
    for r in rest:
        rl, rd = tree_flatten(r, is_leaf)
        if rd != treedef:
            raise ValueError(f"tree_map: tree structures differ: {treedef} and {rd}.")
        others.append(rl)
    return tree_unflatten(treedef, [f(*xs) for xs in zip(leaves, *others, strict=True)])


def tree_reduce(function, tree, initializer=_sentinel, is_leaf=None):
    """``functools.reduce`` over the leaves of ``tree``.

    >>> tree_reduce(lambda a, b: a + b, {"x": 1, "y": (2, 3)})
    6
    """
    import functools

    leaves = tree_leaves(tree, is_leaf)
    if initializer is _sentinel:
        return functools.reduce(function, leaves)
    return functools.reduce(function, leaves, initializer)


def tree_all(tree, is_leaf=None):
    """``all`` of the leaves of ``tree``.

    >>> tree_all([True, (1, None)])
    True
    """
    return all(tree_leaves(tree, is_leaf))


def register_pytree_node_class(cls):
    """Class decorator: register ``cls`` with its ``tree_flatten`` method and
    ``tree_unflatten`` classmethod, as ``jax.tree_util.register_pytree_node_class``.

    >>> @register_pytree_node_class
    ... class Box:
    ...     def __init__(self, v): self.v = v
    ...     def tree_flatten(self): return (self.v,), None
    ...     @classmethod
    ...     def tree_unflatten(cls, aux, children): return cls(*children)
    >>> tree_leaves(Box([1, 2]))
    [1, 2]
    """
    register_pytree_node(cls, lambda obj: obj.tree_flatten(), cls.tree_unflatten)
    return cls


def broadcast_prefix(prefix, tree, is_leaf=None, what="prefix"):
    """Expand ``prefix`` (a pytree whose leaves stand for whole subtrees of ``tree``) to a
    list with one entry per leaf of ``tree``. ``None`` in ``prefix`` is a leaf.

    >>> broadcast_prefix((0, None), ([1, 2], 3))
    [0, 0, None]
    """
    out = []
    _broadcast(prefix, tree, is_leaf, out, what)
    return out


def _broadcast(prefix, tree, is_leaf, out, what):
    pnt = None if prefix is None else _node_type(prefix)
    if pnt is None:  # a prefix leaf covers the whole subtree
        out.extend([prefix] * len(tree_leaves(tree, is_leaf)))
        return
    tnt = None if (is_leaf is not None and is_leaf(tree)) else _node_type(tree)
    if tnt is None or type(prefix) is not type(tree):
        raise ValueError(
            f"The {what} {prefix!r} does not match the structure of the arguments "
            f"{tree_structure(tree)}: a container in the {what} must match a container of "
            "the same type and length in the arguments."
        )
    pc, paux = pnt.flatten(prefix)
    tc, taux = tnt.flatten(tree)
    if len(pc) != len(tc) or paux != taux:
        raise ValueError(
            f"The {what} {prefix!r} does not match the structure of the arguments "
            f"{tree_structure(tree)}: {len(pc)} entries against {len(tc)}."
        )
    for p, t in zip(pc, tc, strict=True):
        _broadcast(p, t, is_leaf, out, what)
