"""Pytrees: nested containers of arrays that transforms take apart and put back together.

Containers (nodes): tuple, list, dict (leaves in sorted-key order, like JAX; unflattening
gives the keys back in the order of the tree the structure came from), `None` (a node
with no children), namedtuples, `OrderedDict` (insertion order), `defaultdict` (sorted
keys), `deque`, attrs classes (fields in declaration order; a field with
`metadata={"static": True}` is kept in the structure instead of being a leaf), and any
type registered with `register_pytree_node`, `register_pytree_node_class` or
`register_pytree_with_keys`. Everything else is a leaf.

Flattening runs in C++ (optree), in fad's own optree namespace `"fad"`: registering a type
here does not change how other optree users (PyTorch, ...) see it. A leaf's key path names
where it sits, as in JAX: `[0]['W1']`, `.field`.

Examples:
    >>> leaves, treedef = tree_flatten({"b": (1, 2), "a": [3]})
    >>> leaves
    [3, 1, 2]
    >>> tree_unflatten(treedef, [30, 10, 20])
    {'b': (10, 20), 'a': [30]}
    >>> keystr(tree_flatten_with_path({"b": (1, 2), "a": [3]})[0][1][0])
    "['b'][0]"
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np
import optree

__all__ = [
    "PyTreeDef",
    "register_pytree_node",
    "register_pytree_node_class",
    "register_dataclass",
    "register_pytree_with_keys",
    "register_pytree_with_keys_class",
    "tree_flatten",
    "tree_unflatten",
    "tree_leaves",
    "tree_structure",
    "tree_map",
    "tree_flatten_with_path",
    "tree_leaves_with_path",
    "tree_map_with_path",
    "keystr",
    "SequenceKey",
    "DictKey",
    "GetAttrKey",
    "FlattenedIndexKey",
    "treedef_is_leaf",
    "tree_reduce",
    "tree_all",
    "tree_transpose",
    "all_leaves",
    "broadcast_prefix",
    "leaf_path_str",
    "leaf_path_strs",
    "describe_difference",
]

_NS = "fad"  # fad's optree namespace
_LEAF = optree.PyTreeKind.LEAF

try:  # the C entry point, (tree, is_leaf, none_is_leaf, namespace): one Python call less per flatten
    _flatten: Callable[[Any, Any, bool, str], tuple[list[Any], optree.PyTreeSpec]] = optree._C.flatten
except AttributeError:  # pragma: no cover - a future optree without it

    def _flatten(tree: Any, is_leaf: Any, none_is_leaf: Any, namespace: Any) -> Any:
        return optree.tree_flatten(tree, is_leaf, none_is_leaf=none_is_leaf, namespace=namespace)


# ------------------------------------------------------------------------------ key paths


@attrs.frozen
class SequenceKey:
    """The key of a tuple's or list's child in a key path: `[idx]`.

    Args:
        idx: The child's position in the sequence.

    Examples:
        >>> tree_leaves_with_path((1.0, 2.0))[1]
        ((SequenceKey(idx=1),), 2.0)
        >>> str(SequenceKey(1))
        '[1]'
    """

    idx: int

    def __str__(self) -> str:
        return f"[{self.idx!r}]"


@attrs.frozen
class DictKey:
    """The key of a dict's child in a key path: `['name']`.

    Args:
        key: The child's key in the dict (any hashable value).

    Examples:
        >>> tree_leaves_with_path({"W": 1.0})
        [((DictKey(key='W'),), 1.0)]
        >>> str(DictKey("W"))
        "['W']"
    """

    key: Any

    def __str__(self) -> str:
        return f"[{self.key!r}]"


@attrs.frozen
class GetAttrKey:
    """The key of a namedtuple's or attrs class's field in a key path: `.name`.

    Args:
        name: The field's name.

    Examples:
        >>> import collections
        >>> P = collections.namedtuple("P", "x y")
        >>> tree_leaves_with_path(P(1.0, 2.0))[1]
        ((GetAttrKey(name='y'),), 2.0)
        >>> str(GetAttrKey("y"))
        '.y'
    """

    name: str

    def __str__(self) -> str:
        return f".{self.name}"


@attrs.frozen
class FlattenedIndexKey:
    """The key of a registered node's child, by position, in a key path: `[<flat index 0>]`.

    The children of a type registered without keys (`register_pytree_node` without
    `flatten_with_keys_func`) get these keys.

    Args:
        key: The child's position among the children the flatten function returned.

    Examples:
        >>> class Wrap:
        ...     def __init__(self, a, b): self.a, self.b = a, b
        >>> register_pytree_node(Wrap, lambda w: ((w.a, w.b), None), lambda _, c: Wrap(*c))
        >>> [keystr(path) for path, _ in tree_leaves_with_path(Wrap(1.0, 2.0))]
        ['[<flat index 0>]', '[<flat index 1>]']
    """

    key: int

    def __str__(self) -> str:
        return f"[<flat index {self.key}>]"


_KEY_TYPES = (SequenceKey, DictKey, GetAttrKey, FlattenedIndexKey)


def keystr(keys: Any, *, simple: bool = False, separator: str = "") -> str:
    """A key path as text, as in JAX: `[0]['W1']`, `.field`.

    Args:
        keys: A key path: a tuple of keys (`SequenceKey`, `DictKey`, `GetAttrKey`,
            `FlattenedIndexKey`, or the keys a registered type gave), as
            `tree_flatten_with_path` returns.
        simple: If true, write just the keys (`0`, `W1`, `field`), without brackets, quotes or
            dots.
        separator: The text put between keys.

    Returns:
        The key path as a string.

    Examples:
        >>> path = (SequenceKey(0), DictKey("W1"), GetAttrKey("w"))
        >>> keystr(path)
        "[0]['W1'].w"
        >>> keystr(path, simple=True, separator="/")
        '0/W1/w'
    """
    if simple:
        return separator.join(map(_simple_str, keys))
    return separator.join(map(str, keys))


def _simple_str(k: Any) -> Any:
    if isinstance(k, SequenceKey):
        return str(k.idx)
    if isinstance(k, (DictKey, FlattenedIndexKey)):
        return str(k.key)
    if isinstance(k, GetAttrKey):
        return k.name
    return str(k)


def _key(entry: Any) -> Any:
    """fad's key for one of optree's path entries."""
    if isinstance(entry, (optree.NamedTupleEntry, optree.StructSequenceEntry)):
        return GetAttrKey(entry.field)
    if isinstance(entry, optree.SequenceEntry):
        return SequenceKey(entry.entry)
    if isinstance(entry, optree.MappingEntry):
        return DictKey(entry.entry)
    if isinstance(entry, optree.GetAttrEntry):
        return GetAttrKey(entry.name)
    k = entry.entry  # a registered node: the key it gave, or its child's position
    if isinstance(k, _KEY_TYPES):
        return k
    return FlattenedIndexKey(k) if type(k) is int else k


def _paths(spec: Any) -> Any:
    """The key path of every leaf of `spec`, in order."""
    return [tuple(map(_key, acc)) for acc in spec.accessors()]


# ------------------------------------------------------------------------------ registry

T = TypeVar("T", bound="type[Any]")  # a class registered by a decorator, returned as it is
_registered: set[type] = set()  # every type fad registered (by hand or as an attrs class)
_auto: set[type] = set()  # the attrs classes among them, found while flattening
# Types seen among the leaves that need nothing more (not an attrs class waiting to be
# registered). Checking leaf types against it is the only Python-level work of a flatten.
# NumPy's arrays and scalars are there from the start: finding them out on first sight
# (attrs.has, optree.tree_is_leaf) cost a process ~60 us.
_checked: set[type] = {int, float, complex, bool, str, bytes, np.ndarray, *np.sctypeDict.values()}
# The types among them that are leaves without help from `is_leaf` (not registered): a
# tree of one of these, or a tuple or list of them, is flattened without calling optree.
_plain: set[type] = set(_checked)


def known_leaves(types: Iterable[type]) -> None:
    """Declare ``types`` leaves (fad's tracer classes, once all are defined): not found out
    on first sight, which costs a process ~20 us a type."""
    new = set(types) - _registered
    _checked.update(new)
    _plain.update(new)


def _check_node_type(nodetype: Any, fname: Any, *funcs: Any) -> None:
    if not isinstance(nodetype, type):
        raise TypeError(f"fad.tree_util.{fname}: the node type must be a class, got {nodetype!r}.")
    for name, f in funcs:
        if not callable(f):
            raise TypeError(f"fad.tree_util.{fname}: {name} must be callable, got {f!r}.")


def _register(nodetype: Any, flatten: Any, unflatten: Any, fname: Any) -> None:
    """Register with optree, in fad's namespace. `flatten(obj)` returns `(children,
    aux)` or `(children, aux, keys)`."""
    if nodetype in _auto:  # an attrs class flattened before: the explicit rule wins
        optree.unregister_pytree_node(nodetype, namespace=_NS)
        _auto.discard(nodetype)
        _registered.discard(nodetype)
    if nodetype in _registered:
        raise ValueError(f"{nodetype.__name__} is already registered as a pytree node.")
    _plain.discard(nodetype)  # it was a leaf until now
    try:
        optree.register_pytree_node(
            nodetype, flatten, unflatten, path_entry_type=optree.FlattenedEntry, namespace=_NS
        )
    except ValueError as e:  # a built-in container (tuple, dict, None, ...)
        raise ValueError(
            f"fad.tree_util.{fname}: {nodetype.__name__} is already registered as a pytree node "
            f"(built in): {e}"
        ) from None
    _registered.add(nodetype)


def register_pytree_node(
    nodetype: type,
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]],
    unflatten_func: Callable[[Any, Iterable[Any]], Any],
    flatten_with_keys_func: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]] | None = None,
) -> None:
    """Register `nodetype` as a pytree node, as `jax.tree_util.register_pytree_node`.

    The registration holds in fad's optree namespace only: other optree users do not see it.

    Args:
        nodetype: The class to register.
        flatten_func: `flatten_func(obj) -> (children, aux_data)`: the children (pytrees) and
            auxiliary data, which is part of the structure (hashable, compared with `==`).
        unflatten_func: `unflatten_func(aux_data, children) -> obj`.
        flatten_with_keys_func: Optional `flatten_with_keys_func(obj) -> (((key, child), ...),
            aux_data)`, which names the children in key paths. Without it, a child's key is its
            position, `[<flat index i>]` (`FlattenedIndexKey`).

    Returns:
        None.

    Raises:
        TypeError: If `nodetype` is not a class, or a function is not callable.
        ValueError: If `nodetype` is already registered, or is a built-in container.

    Examples:
        >>> class Pair:
        ...     def __init__(self, a, b): self.a, self.b = a, b
        >>> register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda _, c: Pair(*c))
        >>> tree_leaves(Pair(1, (2, 3)))
        [1, 2, 3]
    """
    if flatten_with_keys_func is not None:
        register_pytree_with_keys(nodetype, flatten_with_keys_func, unflatten_func, flatten_func)
        return
    _check_node_type(
        nodetype, "register_pytree_node", ("flatten_func", flatten_func), ("unflatten_func", unflatten_func)
    )
    _register(nodetype, flatten_func, unflatten_func, "register_pytree_node")


def register_pytree_with_keys(
    nodetype: type,
    flatten_with_keys: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]],
    unflatten_func: Callable[[Any, Iterable[Any]], Any],
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]] | None = None,
) -> None:
    """Register `nodetype` as a pytree node whose children have keys, as in JAX.

    Args:
        nodetype: The class to register.
        flatten_with_keys: `flatten_with_keys(obj) -> (((key, child), ...), aux_data)`, with keys
            such as `GetAttrKey` or `DictKey` (they name the children in key paths); `aux_data`
            is part of the structure (hashable, compared with `==`).
        unflatten_func: `unflatten_func(aux_data, children) -> obj`.
        flatten_func: Accepted for JAX's signature and not called: the keyed flatten serves for
            both.

    Returns:
        None.

    Raises:
        TypeError: If `nodetype` is not a class, or a function is not callable.
        ValueError: If `nodetype` is already registered, or is a built-in container.

    Examples:
        >>> class Point2:
        ...     def __init__(self, x, y): self.x, self.y = x, y
        >>> register_pytree_with_keys(
        ...     Point2,
        ...     lambda p: (((GetAttrKey("x"), p.x), (GetAttrKey("y"), p.y)), None),
        ...     lambda _, c: Point2(*c))
        >>> [keystr(path) for path, _ in tree_leaves_with_path([Point2(1, 2)])]
        ['[0].x', '[0].y']
    """
    _check_node_type(
        nodetype,
        "register_pytree_with_keys",
        ("flatten_with_keys", flatten_with_keys),
        ("unflatten_func", unflatten_func),
    )

    def flatten(obj: Any) -> Any:
        pairs, aux = flatten_with_keys(obj)
        pairs = tuple(pairs)
        return [c for _, c in pairs], aux, [k for k, _ in pairs]

    _register(nodetype, flatten, unflatten_func, "register_pytree_with_keys")


def register_dataclass(
    nodetype: T,
    data_fields: Sequence[str] | None = None,
    meta_fields: Sequence[str] | None = None,
    drop_fields: Sequence[str] = (),
) -> T:
    """Register a dataclass (or any class built from its fields) as a pytree node, as JAX's
    `register_dataclass`: the data fields are children, the meta fields part of the structure.

    Args:
        nodetype: The class; usable as a decorator.
        data_fields: The fields that are children (arrays). With `meta_fields`, None takes
            them from a dataclass's fields: those declared with `fad.tree.static()` (metadata
            `static=True`) are meta fields, the others data.
        meta_fields: The fields that are static (hashable, compared with `==`).
        drop_fields: Dataclass fields that are neither (not passed back to the constructor).

    Returns:
        `nodetype`.

    Examples:
        >>> import dataclasses
        >>> @register_dataclass
        ... @dataclasses.dataclass
        ... class Param:
        ...     w: float
        ...     name: str = dataclasses.field(default="w", metadata={"static": True})
        >>> tree_leaves(Param(2.0))
        [2.0]
    """
    if not isinstance(nodetype, type):
        raise TypeError(f"register_dataclass expects a class, got {nodetype!r}.")
    if data_fields is None and meta_fields is None:
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(
                f"register_dataclass: {nodetype.__name__} is not a dataclass; name its data_fields "
                "and meta_fields."
            )
        fields = [f for f in dataclasses.fields(nodetype) if f.init and f.name not in drop_fields]
        meta = [f.name for f in fields if f.metadata.get("static", False)]
        data = [f.name for f in fields if not f.metadata.get("static", False)]
    elif data_fields is None or meta_fields is None:
        raise TypeError(
            "register_dataclass: give both data_fields and meta_fields, or neither (a dataclass)."
        )
    else:
        data, meta = list(data_fields), list(meta_fields)
    if dataclasses.is_dataclass(nodetype):
        init = {f.name for f in dataclasses.fields(nodetype) if f.init}
        if missing := init - set(data) - set(meta) - set(drop_fields):
            raise ValueError(
                f"register_dataclass: the fields {sorted(missing)} of {nodetype.__name__} are in none of "
                "data_fields, meta_fields and drop_fields."
            )
    keys = tuple(GetAttrKey(n) for n in data)

    def flatten_with_keys(obj: Any) -> Any:
        return tuple(zip(keys, (getattr(obj, n) for n in data), strict=True)), tuple(
            getattr(obj, n) for n in meta
        )

    def unflatten(aux: Any, children: Any) -> Any:
        return nodetype(**dict(zip(data, children, strict=True)), **dict(zip(meta, aux, strict=True)))

    register_pytree_with_keys(nodetype, flatten_with_keys, unflatten)
    return nodetype


def register_pytree_node_class(cls: T) -> T:
    """Class decorator: register `cls` as a pytree node, as `jax.tree_util.register_pytree_node_class`.

    Args:
        cls: A class with a `tree_flatten(self) -> (children, aux_data)` method and a
            `tree_unflatten(cls, aux_data, children)` classmethod.

    Returns:
        `cls` itself, registered.

    Raises:
        ValueError: If `cls` is already registered.

    Examples:
        >>> @register_pytree_node_class
        ... class Box:
        ...     def __init__(self, v): self.v = v
        ...     def tree_flatten(self): return (self.v,), None
        ...     @classmethod
        ...     def tree_unflatten(cls, aux, children): return cls(*children)
        >>> tree_leaves(Box([1, 2]))
        [1, 2]
    """
    register_pytree_node(cls, cls.tree_flatten, cls.tree_unflatten)
    return cls


def register_pytree_with_keys_class(cls: T) -> T:
    """Class decorator: register `cls` as a pytree node whose children have keys, as
    `jax.tree_util.register_pytree_with_keys_class`.

    Args:
        cls: A class with a `tree_flatten_with_keys(self) -> (((key, child), ...), aux_data)`
            method and a `tree_unflatten(cls, aux_data, children)` classmethod.

    Returns:
        `cls` itself, registered.

    Raises:
        ValueError: If `cls` is already registered.

    Examples:
        >>> @register_pytree_with_keys_class
        ... class Named:
        ...     def __init__(self, v): self.v = v
        ...     def tree_flatten_with_keys(self): return ((GetAttrKey("v"), self.v),), None
        ...     @classmethod
        ...     def tree_unflatten(cls, aux, children): return cls(*children)
        >>> keystr(tree_leaves_with_path(Named(1.0))[0][0])
        '.v'
    """
    register_pytree_with_keys(cls, cls.tree_flatten_with_keys, cls.tree_unflatten)
    return cls


def _getter(names: Any) -> Any:
    """`obj -> tuple of the named attributes` (attrgetter runs in C)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return operator.attrgetter(*names)


def _register_attrs(cls: Any) -> None:
    """Register an attrs class: its fields in declaration order, the static ones (metadata
    `{"static": True}`) in the structure."""
    fields = attrs.fields(cls)
    dyn = tuple(f.name for f in fields if not f.metadata.get("static", False))
    static = tuple(f.name for f in fields if f.metadata.get("static", False))
    keys = tuple(GetAttrKey(n) for n in dyn)
    get_dyn, get_static = _getter(dyn), _getter(static)

    def flatten(obj: Any) -> Any:
        return get_dyn(obj), get_static(obj), keys

    def unflatten(aux: Any, children: Any) -> Any:
        obj = object.__new__(cls)
        for k, v in zip(dyn, children, strict=True):  # bypass __init__ (and frozen-ness)
            object.__setattr__(obj, k, v)
        for k, v in zip(static, aux, strict=True):
            object.__setattr__(obj, k, v)
        return obj

    optree.register_pytree_node(cls, flatten, unflatten, path_entry_type=optree.FlattenedEntry, namespace=_NS)
    _registered.add(cls)
    _auto.add(cls)


def _reflatten(tree: Any, is_leaf: Any, leaves: Any, spec: Any) -> Any:
    """Leaves of types not seen before: register the attrs classes among them and flatten
    again (until no new attrs class turns up inside the ones just registered)."""
    while True:
        found = False
        for t, x in {type(x): x for x in leaves if type(x) not in _checked}.items():
            if t not in _registered and attrs.has(t):
                _register_attrs(t)
                found = True
            elif optree.tree_is_leaf(x, none_is_leaf=False, namespace=_NS):
                _plain.add(t)
            _checked.add(t)
        if not found:
            return leaves, spec
        leaves, spec = _flatten(tree, is_leaf, False, _NS)


def _flat(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list[Any], optree.PyTreeSpec]:
    """`(leaves, optree spec)` of `tree`."""
    leaves, td = tree_flatten(tree, is_leaf)
    return leaves, td._spec


# ------------------------------------------------------------------------------ treedefs


class PyTreeDef:
    """The structure of a pytree: node types, aux data and where the leaves go.

    Equal structures compare equal and hash alike (dict key order does not matter).
    `tree_flatten` and `tree_structure` make them; `num_leaves` is the number of leaves,
    `num_nodes` the number of nodes (leaves included).

    Args:
        spec: The optree structure (`optree.PyTreeSpec`, in fad's namespace) it describes.

    Examples:
        >>> treedef = tree_structure({"a": 1, "b": (2, 3)})
        >>> treedef, treedef.num_leaves
        (PyTreeDef({'a': *, 'b': (*, *)}), 3)
        >>> treedef.unflatten([10, 20, 30])
        {'a': 10, 'b': (20, 30)}
        >>> treedef == tree_structure({"b": (0, 0), "a": 0})
        True
    """

    # _fast: None, or how to build the tree from its leaves without optree (one leaf, or a
    # tuple or list of leaves); _kids and _hash are None until first asked for.
    __slots__ = ("_spec", "num_leaves", "_fast", "_kids", "_hash")
    _spec: optree.PyTreeSpec
    num_leaves: int
    _fast: Any
    _kids: list[PyTreeDef] | None
    _hash: int | None

    def __init__(self, spec: Any) -> None:
        self._spec = spec
        self.num_leaves = spec.num_leaves
        self._fast = self._kids = self._hash = None

    def children(self) -> list[PyTreeDef]:
        """The structures of the node's children.

        Returns:
            A list of `PyTreeDef`, one per child (as in JAX).

        Examples:
            >>> tree_structure((1, [2, 3])).children()
            [PyTreeDef(*), PyTreeDef([*, *])]
        """
        kids = self._kids
        if kids is None:
            kids = self._kids = [PyTreeDef(s) for s in self._spec.children()]
        return list(kids)

    @property
    def num_nodes(self) -> int:
        """The number of nodes of the structure, leaves included."""
        return self._spec.num_nodes

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        """Rebuild a pytree of this structure from `leaves` (`tree_unflatten(self, leaves)`).

        Args:
            leaves: One leaf per leaf of the structure, in flattening order.

        Returns:
            The pytree.
        """
        return tree_unflatten(self, leaves)

    def flatten_up_to(self, tree: Any) -> list[Any]:
        """The subtrees of `tree` at this structure's leaves.

        Args:
            tree: A pytree with this structure, or one that extends it below its leaves.

        Returns:
            A list of subtrees of `tree`, one per leaf of this structure.

        Raises:
            ValueError: If `tree` does not have this structure (the message says where they part).

        Examples:
            >>> tree_structure((0, 0)).flatten_up_to(([1, 2], {"a": 3}))
            [[1, 2], {'a': 3}]
        """
        return _up_to(self._spec, tree, "flatten_up_to", "the tree")

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, PyTreeDef) and self._spec == other._spec)

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = self._hash = hash(self._spec)
        return h

    def __repr__(self) -> str:
        return f"PyTreeDef({_spec_str(self._spec)})"


_new = object.__new__


def _fast_def(spec: Any, fast: Any, kids: Any) -> Any:
    td = PyTreeDef(spec)
    td._fast = fast
    td._kids = kids
    return td


_LEAF_DEF = _fast_def(_flatten(0, None, False, _NS)[1], operator.itemgetter(0), [])
_MAX_FAST = 64  # tuples and lists of up to this many leaves have a cached treedef
_TUPLE_DEFS = [
    _fast_def(_flatten((0,) * n, None, False, _NS)[1], tuple, [_LEAF_DEF] * n) for n in range(_MAX_FAST + 1)
]
_LIST_DEFS = [
    _fast_def(_flatten([0] * n, None, False, _NS)[1], list, [_LEAF_DEF] * n) for n in range(_MAX_FAST + 1)
]


def _spec_str(spec: Any) -> Any:
    """optree's text for a structure, without its wrapper: `(*, {'x': *})`."""
    r = repr(spec)[len("PyTreeSpec(") : -1]
    return r.removesuffix(f", namespace={_NS!r}")


def treedef_is_leaf(treedef: PyTreeDef) -> bool:
    """Whether `treedef` is a single leaf (`None` is a node with no leaves).

    Args:
        treedef: A structure, from `tree_structure` or `tree_flatten`.

    Returns:
        True if the structure is one leaf.

    Examples:
        >>> treedef_is_leaf(tree_structure(1.0)), treedef_is_leaf(tree_structure((1.0,)))
        (True, False)
    """
    spec = treedef._spec  # (a leaf is the only structure of one node and one leaf)
    return spec.num_leaves == 1 and spec.num_nodes == 1


# ------------------------------------------------------------------------------ flatten, unflatten, map


def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list[Any], PyTreeDef]:
    """Flatten `tree` into its leaves and its structure.

    Leaves come in a fixed order: sequences by position, dicts by sorted key, namedtuples
    and attrs classes by field.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        `(leaves, treedef)`: the list of leaves and the `PyTreeDef` that `tree_unflatten`
        rebuilds the tree from.

    Examples:
        >>> tree_flatten((1, {"x": 2}))
        ([1, 2], PyTreeDef((*, {'x': *})))
    """
    if is_leaf is None:  # the common small trees, without a call into optree
        t = type(tree)
        if t in _plain:
            return [tree], _LEAF_DEF
        if t is tuple or t is list:
            n = len(tree)
            if n <= _MAX_FAST and _plain.issuperset(map(type, tree)):
                return list(tree), (_TUPLE_DEFS if t is tuple else _LIST_DEFS)[n]
    leaves, spec = _flatten(tree, is_leaf, False, _NS)
    if not _checked.issuperset(map(type, leaves)):
        leaves, spec = _reflatten(tree, is_leaf, leaves, spec)
    td = _new(PyTreeDef)
    td._spec = spec
    td.num_leaves = len(leaves)
    td._fast = td._kids = td._hash = None
    return leaves, td


def tree_unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """Rebuild a pytree of structure `treedef` from `leaves`.

    Args:
        treedef: The structure, from `tree_flatten` or `tree_structure`.
        leaves: One leaf per leaf of `treedef`, in flattening order (any iterable).

    Returns:
        The pytree of structure `treedef` holding `leaves`.

    Raises:
        TypeError: If `treedef` is not a `PyTreeDef`.
        ValueError: If the number of leaves is not `treedef.num_leaves`.

    Examples:
        >>> _, td = tree_flatten([1, (2, 3)])
        >>> tree_unflatten(td, "abc")
        ['a', ('b', 'c')]
    """
    if type(leaves) is not list and type(leaves) is not tuple:
        leaves = list(leaves)
    try:
        fast = treedef._fast
        if fast is not None and len(leaves) == treedef.num_leaves:
            return fast(leaves)
        return treedef._spec.unflatten(leaves)
    except AttributeError:
        if not isinstance(treedef, PyTreeDef):
            raise TypeError(
                f"tree_unflatten expects a PyTreeDef (from tree_flatten or tree_structure), got "
                f"{treedef!r:.80}."
            ) from None
        raise
    except ValueError:
        n, want = len(leaves), treedef.num_leaves
        if n == want:
            raise
        few = "few" if n < want else "many"
        raise ValueError(
            f"Too {few} leaves for the tree structure {treedef}: {n} given, {want} expected."
        ) from None


def tree_leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list[Any]:
    """The leaves of `tree`, in flattening order.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        A list of the leaves.

    Examples:
        >>> tree_leaves([1, (2, None), {"a": 3}])
        [1, 2, 3]
    """
    return _flat(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    """The structure of `tree`.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        Its `PyTreeDef`.

    Examples:
        >>> tree_structure((1, [2]))
        PyTreeDef((*, [*]))
    """
    return tree_flatten(tree, is_leaf)[1]


def _up_to(spec: optree.PyTreeSpec, tree: Any, fname: str, what: str) -> list[Any]:
    """`tree`'s subtrees at the leaves of `spec` (a list), or an error naming where the
    structures part."""
    try:
        return spec.flatten_up_to(tree)
    except (ValueError, TypeError):
        pass
    where = _difference_text(spec, _flat(tree)[1], "the first tree", what)
    raise ValueError(
        f"fad.tree_util.{fname}: tree structures differ{where}. "
        f"Every tree must have the structure of the first, {PyTreeDef(spec)} (or extend it below its "
        "leaves); compare them with fad.tree_util.tree_structure."
    )


def _rest(spec: Any, rest: Any, fname: Any) -> Any:
    return [_up_to(spec, r, fname, f"tree {i}") for i, r in enumerate(rest, start=2)]


def tree_map(
    f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable[[Any], bool] | None = None
) -> Any:
    """Apply `f` leaf by leaf to `tree` and the matching leaves of `rest`.

    Args:
        f: The function to apply, `f(leaf, *rest_leaves)`: one argument per tree.
        tree: The pytree whose structure the result has.
        *rest: More pytrees, each with `tree`'s structure or one that extends it below its
            leaves (a leaf of `tree` then meets a whole subtree, passed to `f` as it is).
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent into
            `tree` stops and `node` is a leaf.

    Returns:
        A pytree of `tree`'s structure holding the results of `f`.

    Raises:
        ValueError: If a tree of `rest` does not have `tree`'s structure (the message says
            where they part).

    Examples:
        >>> tree_map(lambda a, b: a + b, {"x": 1, "y": (2, 3)}, {"x": 10, "y": (20, 30)})
        {'x': 11, 'y': (22, 33)}
    """
    leaves, spec = _flat(tree, is_leaf)
    if not rest:
        return spec.unflatten(map(f, leaves))
    return spec.unflatten(map(f, leaves, *_rest(spec, rest, "tree_map")))


def tree_flatten_with_path(
    tree: Any, is_leaf: Callable[[Any], bool] | None = None
) -> tuple[list[tuple[tuple[Any, ...], Any]], PyTreeDef]:
    """Flatten `tree` into its leaves, each with its key path, and its structure.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        `(pairs, treedef)`: `pairs` is a list of `(key_path, leaf)`, a key path being a tuple
        of keys (`SequenceKey`, `DictKey`, `GetAttrKey`, `FlattenedIndexKey`); `treedef` is
        as from `tree_flatten`.

    Examples:
        >>> pairs, _ = tree_flatten_with_path({"W1": [1.0, 2.0]})
        >>> [(keystr(path), leaf) for path, leaf in pairs]
        [("['W1'][0]", 1.0), ("['W1'][1]", 2.0)]
    """
    leaves, td = tree_flatten(tree, is_leaf)
    return list(zip(_paths(td._spec), leaves, strict=True)), td


def tree_leaves_with_path(
    tree: Any, is_leaf: Callable[[Any], bool] | None = None
) -> list[tuple[tuple[Any, ...], Any]]:
    """The leaves of `tree`, each with its key path.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        A list of `(key_path, leaf)` in flattening order, a key path being a tuple of keys.

    Examples:
        >>> import collections
        >>> P = collections.namedtuple("P", "x y")
        >>> [keystr(path) for path, _ in tree_leaves_with_path([P(1, 2)])]
        ['[0].x', '[0].y']
    """
    leaves, spec = _flat(tree, is_leaf)
    return list(zip(_paths(spec), leaves, strict=True))


def tree_map_with_path(
    f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable[[Any], bool] | None = None
) -> Any:
    """Like `tree_map`, with `f(key_path, leaf, *rest_leaves)`.

    Args:
        f: The function to apply, `f(key_path, leaf, *rest_leaves)`; `key_path` is a tuple of
            keys (format it with `keystr`).
        tree: The pytree whose structure the result has.
        *rest: More pytrees, each with `tree`'s structure or one that extends it below its
            leaves.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent into
            `tree` stops and `node` is a leaf.

    Returns:
        A pytree of `tree`'s structure holding the results of `f`.

    Raises:
        ValueError: If a tree of `rest` does not have `tree`'s structure.

    Examples:
        >>> tree_map_with_path(lambda path, v: keystr(path) if v is None else v, {"a": 1, "b": [2]})
        {'a': 1, 'b': [2]}
        >>> tree_map_with_path(lambda path, v: keystr(path), {"a": 1, "b": [2]})
        {'a': "['a']", 'b': ["['b'][0]"]}
    """
    leaves, spec = _flat(tree, is_leaf)
    return spec.unflatten(map(f, _paths(spec), leaves, *_rest(spec, rest, "tree_map_with_path")))


_sentinel = object()  # "no value given" (tree_reduce's initializer)


def tree_reduce(
    function: Callable[[Any, Any], Any],
    tree: Any,
    initializer: Any = _sentinel,
    is_leaf: Callable[[Any], bool] | None = None,
) -> Any:
    """Reduce the leaves of `tree` with `function`, as `functools.reduce`.

    Args:
        function: `function(accumulated, leaf) -> accumulated`.
        tree: A pytree.
        initializer: The first accumulated value; without it, the first leaf.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        The last accumulated value.

    Raises:
        TypeError: If `tree` has no leaves and no `initializer` is given.

    Examples:
        >>> tree_reduce(lambda a, b: a + b, {"x": 1, "y": (2, 3)})
        6
        >>> tree_reduce(max, [], initializer=0)
        0
    """
    leaves = tree_leaves(tree, is_leaf)
    if initializer is _sentinel:
        return functools.reduce(function, leaves)
    return functools.reduce(function, leaves, initializer)


def tree_all(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every leaf of `tree` is true, as `all`.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`: where it returns true, the descent stops and
            `node` is a leaf.

    Returns:
        `all(tree_leaves(tree, is_leaf))`: True for a tree with no leaves.

    Examples:
        >>> tree_all([True, (1, None)]), tree_all({"a": 1, "b": 0})
        (True, False)
    """
    return all(tree_leaves(tree, is_leaf))


def all_leaves(iterable: Iterable[Any], is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every element of `iterable` is a leaf (`None` is not: it is a node).

    Args:
        iterable: The values to test.
        is_leaf: Optional `is_leaf(x) -> bool`: a value for which it returns true is a leaf.

    Returns:
        True if every element is a leaf.

    Examples:
        >>> all_leaves([1.0, "a"]), all_leaves([1.0, (2.0,)]), all_leaves([None])
        (True, False, False)
    """
    for x in iterable:
        if not (is_leaf is not None and is_leaf(x)) and _flat(x, is_leaf)[1].kind != _LEAF:
            return False
    return True


def tree_transpose(outer_treedef: PyTreeDef, inner_treedef: PyTreeDef, pytree_to_transpose: Any) -> Any:
    """Turn an `outer` tree of `inner` trees into an `inner` tree of `outer` trees.

    As `jax.tree_util.tree_transpose`: a list of dicts becomes a dict of lists, say.

    Args:
        outer_treedef: The structure of the outer tree.
        inner_treedef: The structure of each tree at a leaf of the outer tree.
        pytree_to_transpose: A tree of structure `outer_treedef` whose leaves are trees of
            structure `inner_treedef`.

    Returns:
        A tree of structure `inner_treedef` whose leaves are trees of structure
        `outer_treedef`.

    Raises:
        ValueError: If `pytree_to_transpose` is not an `outer_treedef` tree of
            `inner_treedef` trees (the message says where they differ).

    Examples:
        >>> outer, inner = tree_structure([0, 0]), tree_structure({"a": 0, "b": 0})
        >>> tree_transpose(outer, inner, [{"a": 1, "b": 2}, {"a": 3, "b": 4}])
        {'a': [1, 3], 'b': [2, 4]}
    """
    leaves, spec = _flat(pytree_to_transpose)
    outer, inner = outer_treedef._spec, inner_treedef._spec
    expected = outer.compose(inner)
    if spec != expected:
        raise ValueError(
            f"fad.tree_util.tree_transpose: the tree has structure {PyTreeDef(spec)}, but the outer "
            f"structure {outer_treedef} with the inner structure {inner_treedef} at each of its leaves "
            f"is {PyTreeDef(expected)}; they differ"
            f"{_difference_text(expected, spec, 'the expected structure', 'the tree')}. Pass the "
            "outer and inner structures of this tree."
        )
    n_in = inner.num_leaves
    rows = [leaves[i : i + n_in] for i in range(0, len(leaves), n_in)] if n_in else []
    rows += [[]] * (outer.num_leaves - len(rows))
    return inner.unflatten([outer.unflatten([row[j] for row in rows]) for j in range(n_in)])


# ------------------------------------------------------------------------------ prefixes and errors


def _is_none(x: Any) -> Any:
    return x is None


def _match(prefix: Any, full: Any, path: Any, counts: Any) -> Any:
    """Walk `prefix` and `full` (optree specs) together: append to `counts` the number
    of leaves of `full` under each leaf of `prefix`; return `(path, prefix node, full
    node)` where `full` stops extending `prefix`, or None."""
    if prefix.kind == _LEAF:
        if counts is not None:
            counts.append(full.num_leaves)
        return None
    if full.kind == _LEAF or prefix.one_level() != full.one_level():
        return path, prefix, full
    keys = [_key(acc[0]) for acc in prefix.one_level().accessors()]
    for key, p, f in zip(keys, prefix.children(), full.children(), strict=True):
        found = _match(p, f, (*path, key), counts)
        if found is not None:
            return found
    return None


def _node_str(spec: Any) -> Any:
    return "a leaf" if spec.kind == _LEAF else _spec_str(spec.one_level())


def _where(path: Any) -> Any:
    return f"at {keystr(path)}" if path else "at the top level"


def _difference_text(spec_a: Any, spec_b: Any, name_a: Any, name_b: Any) -> Any:
    found = _match(spec_a, spec_b, (), None)
    if found is None:
        return ""
    path, a, b = found
    return f" {_where(path)}: {name_a} has {_node_str(a)} there, {name_b} has {_node_str(b)}"


def describe_difference(treedef_a: PyTreeDef, treedef_b: PyTreeDef) -> str:
    """Where two structures part, for error messages: `"at [0]['W1']: (*, *) against [*,
    *]"`, or `""` when `treedef_b` equals `treedef_a` or extends it below its leaves.
    Costs a walk over the structures: call it only when raising.

    >>> describe_difference(tree_structure({"W1": (1, 2)}), tree_structure({"W1": [1, 2]}))
    "at ['W1']: (*, *) against [*, *]"
    """
    found = _match(treedef_a._spec, treedef_b._spec, (), None)
    if found is None:
        return ""
    path, a, b = found
    return f"{_where(path)}: {_node_str(a)} against {_node_str(b)}"


def leaf_path_strs(tree_or_treedef: Any) -> list[str]:
    """The key path of every leaf, as text (`"[0]['W1']"`), in flattening order. For
    error messages: it costs a pass over the structure, so call it only when raising.

    >>> leaf_path_strs(({"W1": 1.0, "b": 2.0}, 3.0))
    ["[0]['W1']", "[0]['b']", '[1]']
    """
    td = tree_or_treedef if isinstance(tree_or_treedef, PyTreeDef) else tree_structure(tree_or_treedef)
    return [keystr(p) for p in _paths(td._spec)]


def leaf_path_str(tree_or_treedef: Any, index: int) -> str:
    """The key path of leaf number `index` (in flattening order) as text, e.g. for
    `f"argument 0{leaf_path_str(treedef, i)}"` -> `argument 0['W1']`; `""` for a tree
    that is a single leaf. Only for error messages (see `leaf_path_strs`).

    >>> leaf_path_str(({"W1": 1.0, "b": 2.0}, 3.0), 1)
    "[0]['b']"
    """
    return leaf_path_strs(tree_or_treedef)[index]


def broadcast_prefix(prefix: Any, tree: Any, is_leaf: Any = None, what: Any = "prefix") -> Any:
    """Expand `prefix` (a pytree whose leaves stand for whole subtrees of `tree`) to a
    list with one entry per leaf of `tree`. `None` in `prefix` is a leaf.

    >>> broadcast_prefix((0, None), ([1, 2], 3))
    [0, 0, None]
    """
    p_leaves, p_spec = _flat(prefix, _is_none)
    t_spec = _flat(tree, is_leaf)[1]
    counts: list[Any] = []
    found = _match(p_spec, t_spec, (), counts)
    if found is not None:
        path, p, t = found
        raise ValueError(
            f"The {what} {prefix!r} does not match the structure of the arguments "
            f"{PyTreeDef(t_spec)}: {_where(path)}, the {what} has {_node_str(p)} where the arguments "
            f"have {_node_str(t)}. A container in the {what} must match a container of the same "
            "type and length (and keys) in the arguments; a single value stands for a whole subtree."
        )
    out = []
    for p, n in zip(p_leaves, counts, strict=True):
        out += [p] * n
    return out
