"""Pytree functions under JAX's short names (`jax.tree`): `fad.tree.map` is
`fad.tree_util.tree_map`, and so on.

Examples:
    >>> from fad import tree
    >>> tree.map(lambda x: x * 2, {"a": 1, "b": (2, 3)})
    {'a': 2, 'b': (4, 6)}
    >>> tree.leaves([1, (2, {"c": 3})])
    [1, 2, 3]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from fad._tree import (
    PyTreeDef,
    broadcast_prefix,
    tree_all,
    tree_flatten,
    tree_flatten_with_path,
    tree_leaves,
    tree_leaves_with_path,
    tree_map,
    tree_map_with_path,
    tree_reduce,
    tree_structure,
    tree_transpose,
    tree_unflatten,
)

__all__ = [
    "all",
    "broadcast",
    "flatten",
    "flatten_with_path",
    "leaves",
    "leaves_with_path",
    "map",
    "map_with_path",
    "reduce",
    "reduce_associative",
    "static",
    "structure",
    "transpose",
    "unflatten",
]

_MISSING = object()


def all(tree: Any, *, is_leaf: Callable[[Any], bool] | None = None) -> bool:  # noqa: A001 - JAX's name
    """Whether every leaf of `tree` is truthy (`tree_util.tree_all`).

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        True if all leaves are truthy.
    """
    return tree_all(tree, is_leaf=is_leaf)


def broadcast(prefix_tree: Any, full_tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """A prefix tree's leaves copied into the structure of `full_tree`: each leaf of
    `prefix_tree` stands for the whole subtree at its place.

    Args:
        prefix_tree: A pytree that is a prefix of `full_tree`.
        full_tree: The pytree whose structure the result takes.
        is_leaf: Optional `is_leaf(node) -> bool` for `full_tree`.

    Returns:
        A pytree with `full_tree`'s structure.

    Examples:
        >>> from fad import tree
        >>> tree.broadcast((1, 2), (0, {"a": 0, "b": 0}))
        (1, {'a': 2, 'b': 2})
    """
    leaves = broadcast_prefix(prefix_tree, full_tree, is_leaf, what="prefix tree")
    return tree_unflatten(tree_structure(full_tree, is_leaf), leaves)


def flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list[Any], PyTreeDef]:
    """The leaves of `tree` and its structure (`tree_util.tree_flatten`).

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        `(leaves, treedef)`.
    """
    return tree_flatten(tree, is_leaf)


def flatten_with_path(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """The leaves of `tree`, each with its key path, and its structure.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        `([(path, leaf), ...], treedef)`.
    """
    return tree_flatten_with_path(tree, is_leaf)


def leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list[Any]:
    """The leaves of `tree` (`tree_util.tree_leaves`).

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        The list of leaves.
    """
    return tree_leaves(tree, is_leaf)


def leaves_with_path(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list[Any]:
    """The leaves of `tree`, each with its key path.

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        `[(path, leaf), ...]`.
    """
    return tree_leaves_with_path(tree, is_leaf)


def map(f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:  # noqa: A001 - JAX's name
    """`f` applied to every leaf of `tree` (and the matching leaves of `rest`).

    Args:
        f: The function, `f(leaf, *rest_leaves)`.
        tree: A pytree.
        *rest: Pytrees with `tree`'s structure (or one it is a prefix of).
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        A pytree with `tree`'s structure.
    """
    return tree_map(f, tree, *rest, is_leaf=is_leaf)


def map_with_path(
    f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: Callable[[Any], bool] | None = None
) -> Any:
    """`f(path, leaf, *rest_leaves)` at every leaf of `tree`.

    Args:
        f: The function.
        tree: A pytree.
        *rest: Pytrees with `tree`'s structure.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        A pytree with `tree`'s structure.
    """
    return tree_map_with_path(f, tree, *rest, is_leaf=is_leaf)


def reduce(
    function: Callable[[Any, Any], Any],
    tree: Any,
    initializer: Any = _MISSING,
    is_leaf: Callable[[Any], bool] | None = None,
) -> Any:
    """The leaves of `tree` folded by `function`, left to right (`tree_util.tree_reduce`).

    Args:
        function: `function(accumulated, leaf)`.
        tree: A pytree.
        initializer: The starting value (without one, the first leaf).
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        The reduced value.
    """
    if initializer is _MISSING:
        return tree_reduce(function, tree, is_leaf=is_leaf)
    return tree_reduce(function, tree, initializer, is_leaf=is_leaf)


def reduce_associative(
    operation: Callable[[Any, Any], Any],
    tree: Any,
    *,
    identity: Any = _MISSING,
    is_leaf: Callable[[Any], bool] | None = None,
) -> Any:
    """The leaves of `tree` combined pairwise by an associative `operation` (a balanced
    tree of depth log2(leaves), as JAX's).

    Args:
        operation: An associative binary function.
        tree: A pytree.
        identity: The result for a tree without leaves.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        The reduced value.

    Examples:
        >>> import operator
        >>> from fad import tree
        >>> tree.reduce_associative(operator.add, [1, (2, 3), [4, 5, 6]])
        21
    """
    items = tree_leaves(tree, is_leaf)
    if not items:
        if identity is _MISSING:
            raise TypeError("fad.tree.reduce_associative of a tree with no leaves needs identity=.")
        return identity
    while len(items) > 1:
        pairs = [operation(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
        items = pairs + ([items[-1]] if len(items) % 2 else [])
    return items[0]


def static(**kwargs: Any) -> Any:
    """A dataclass field marked static (part of the structure, not a child), for
    `fad.tree_util.register_dataclass`: `dataclasses.field(**kwargs)` with metadata
    `static=True`.

    Args:
        **kwargs: `dataclasses.field`'s arguments.

    Returns:
        The field.
    """
    metadata = {**kwargs.pop("metadata", {}), "static": True}
    return dataclasses.field(metadata=metadata, **kwargs)


def structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    """The structure of `tree` (`tree_util.tree_structure`).

    Args:
        tree: A pytree.
        is_leaf: Optional `is_leaf(node) -> bool`, where the descent stops.

    Returns:
        A `PyTreeDef`.
    """
    return tree_structure(tree, is_leaf)


def transpose(outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None, pytree_to_transpose: Any) -> Any:
    """A tree of trees turned inside out (`tree_util.tree_transpose`).

    Args:
        outer_treedef: The outer structure.
        inner_treedef: The inner structure (None: inferred from the first inner tree).
        pytree_to_transpose: The tree of trees.

    Returns:
        The transposed tree.
    """
    if inner_treedef is None:
        first = outer_treedef.flatten_up_to(pytree_to_transpose)[0]
        inner_treedef = tree_structure(first)
    return tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose)


def unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """The pytree of structure `treedef` with these leaves (`tree_util.tree_unflatten`).

    Args:
        treedef: A structure.
        leaves: Its leaves, in order.

    Returns:
        The pytree.
    """
    return tree_unflatten(treedef, leaves)
