# mypy: allow-redefinition-new, local-partial-types
"""Joining arrays (NumPy's "Array manipulation routines"): ``concatenate``, ``stack``,
``block``, ``vstack``, ``hstack``, ``dstack`` and ``column_stack``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad.numpy._creation import asarray
from fad.numpy._shape_manipulation import (
    _arr,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    expand_dims,
    ravel,
    reshape,
)
from fad.numpy._util import coerce, ndim, normalize_axis, not_an_array, shape

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike


def _seq(tup: Any, fname: str) -> Any:
    if isinstance(tup, Tracer) or isinstance(tup, np.ndarray):
        return [tup[i] for i in range(len(tup))]
    if isinstance(tup, (dict, set, frozenset, str)):
        raise not_an_array(tup)  # (iterating would take its keys)
    tup = list(tup)
    if not tup:
        raise ValueError(f"{fname}: need at least one array to concatenate")
    return tup


def concatenate(arrays: ArrayLike, axis: int = 0) -> Array:
    """Join arrays along an existing axis (`axis=None` flattens first).

    Args:
        arrays: Sequence of arrays.
        axis: Axis to join along; None flattens the arrays first.

    Returns:
        The joined array.
    """
    arrays = [coerce(a) for a in _seq(arrays, "concatenate")]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    nd = ndim(arrays[0])
    if nd == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    return st.concatenate(arrays, normalize_axis(axis, nd, "concatenate"))


def stack(arrays: ArrayLike, axis: int = 0) -> Array:
    """Join arrays along a new axis.

    Args:
        arrays: Sequence of arrays.
        axis: Position of the new axis in the result.

    Returns:
        The stacked array, with one more dimension.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.stack([fnp.zeros(2), fnp.ones(2)]).shape
        (2, 2)
    """
    arrays = [coerce(a) for a in _seq(arrays, "stack")]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {tuple(shape(a)) for a in arrays}
    if len(shapes) != 1:
        raise ValueError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    ax = normalize_axis(axis, ndim(arrays[0]) + 1, "stack")
    return st.concatenate([expand_dims(a, ax) for a in arrays], ax)


def _block_depth(arrays: Any, index: Any) -> Any:
    """``(list depth, largest leaf ndim)`` of ``arrays``, checking NumPy's rules."""
    if type(arrays) is tuple:
        raise TypeError(
            f"block: arrays{''.join(f'[{i}]' for i in index)} is a tuple; only lists may nest blocks."
        )
    if type(arrays) is not list:
        return 0, ndim(arrays)
    if not arrays:
        raise ValueError(
            f"block: arrays{''.join(f'[{i}]' for i in index)} is an empty list; lists cannot be empty."
        )
    found = [_block_depth(a, index + (i,)) for i, a in enumerate(arrays)]
    depths = {d for d, _ in found}
    if len(depths) > 1:
        raise ValueError("block: list depths are mismatched; every block must sit at the same nesting depth.")
    return found[0][0] + 1, max(n for _, n in found)


def block(arrays: Any) -> Array:
    """Assemble an array from nested lists of blocks: the innermost lists are joined along
    the last axis, the next ones along the second-to-last, and so on.

    Args:
        arrays: Sequence of arrays.

    Returns:
        The assembled array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.block([[fnp.eye(2), fnp.zeros((2, 1))], [fnp.ones((1, 2)), fnp.array([[5.0]])]])
        array([[1., 0., 0.],
               [0., 1., 0.],
               [1., 1., 5.]])
    """
    depth, leaf_ndim = _block_depth(arrays, ())
    nd = max(leaf_ndim, depth)

    def assemble(a: Any, level: int) -> Any:
        if level == depth:
            a = asarray(a)
            return reshape(a, (1,) * (nd - ndim(a)) + tuple(shape(a)))
        return concatenate([assemble(b, level + 1) for b in a], axis=level - depth)

    return assemble(arrays, 0)


def vstack(tup: ArrayLike) -> Array:
    """Stack arrays along the first axis, after making them at least 2-D.

    Args:
        tup: Sequence of arrays.

    Returns:
        The stacked array.
    """
    return concatenate([atleast_2d(a) for a in _seq(tup, "vstack")], 0)


row_stack = vstack


def hstack(tup: ArrayLike) -> Array:
    """Stack arrays along the second axis (the first for 1-D arrays).

    Args:
        tup: Sequence of arrays.

    Returns:
        The stacked array.
    """
    arrs = [atleast_1d(a) for a in _seq(tup, "hstack")]
    return concatenate(arrs, 0 if ndim(arrs[0]) == 1 else 1)


def dstack(tup: ArrayLike) -> Array:
    """Stack arrays along the third axis, after making them at least 3-D.

    Args:
        tup: Sequence of arrays.

    Returns:
        The stacked array.
    """
    return concatenate([atleast_3d(a) for a in _seq(tup, "dstack")], 2)


def column_stack(tup: ArrayLike) -> Array:
    """Stack 1-D arrays as columns of a 2-D array (2-D arrays are stacked as they are).

    Args:
        tup: Sequence of arrays.

    Returns:
        The 2-d stacked array.
    """
    cols = []
    for a in _seq(tup, "column_stack"):
        a = _arr(a)
        cols.append(st.reshape(a, (tuple(shape(a)) or (1,))[:1] + (1,)) if ndim(a) < 2 else a)
    return concatenate(cols, 1)
