"""Pytree utilities (the public face of :mod:`fad._tree`), named as in ``jax.tree_util``."""

from fad._tree import (  # noqa: F401
    PyTreeDef,
    register_pytree_node,
    register_pytree_node_class,
    tree_all,
    tree_flatten,
    tree_leaves,
    tree_map,
    tree_reduce,
    tree_structure,
    tree_unflatten,
    treedef_is_leaf,
)

__all__ = [
    "PyTreeDef",
    "register_pytree_node",
    "register_pytree_node_class",
    "tree_all",
    "tree_reduce",
    "tree_flatten",
    "tree_leaves",
    "tree_map",
    "tree_structure",
    "tree_unflatten",
    "treedef_is_leaf",
]
