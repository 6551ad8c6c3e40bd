# mypy: allow-redefinition-new, local-partial-types
"""Rearranging elements (NumPy's "Array manipulation routines"): ``flip``, ``fliplr``,
``flipud``, ``roll`` and ``rot90``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad.numpy._indexing import getitem
from fad.numpy._shape_manipulation import _arr, ravel, transpose
from fad.numpy._util import ndim, normalize_axes, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fad.numpy._util import Axis
    from fad.typing import Array, ArrayLike


def _axes_or_all(axis: Axis, nd: int, fname: str) -> Any:
    return tuple(range(nd)) if axis is None else normalize_axes(axis, nd, fname)


def flip(m: ArrayLike, axis: Axis = None) -> Array:
    """Reverse the order of elements along `axis` (all axes by default).

    Args:
        m: Input array.
        axis: Axis or axes to reverse (default: all).

    Returns:
        The reversed array.
    """
    m = _arr(m)
    axes = _axes_or_all(axis, ndim(m), "flip")
    return getitem(m, tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(ndim(m))))


def fliplr(m: ArrayLike) -> Array:
    """Reverse the columns (axis 1).

    Args:
        m: Input array.

    Returns:
        The reversed array.
    """
    m = _arr(m)
    if ndim(m) < 2:
        raise ValueError(f"fliplr: the input must be at least 2-D, got shape {tuple(shape(m))}.")
    return flip(m, 1)


def flipud(m: ArrayLike) -> Array:
    """Reverse the rows (axis 0).

    Args:
        m: Input array.

    Returns:
        The reversed array.
    """
    m = _arr(m)
    if ndim(m) < 1:
        raise ValueError("flipud: the input must be at least 1-D.")
    return flip(m, 0)


def roll(a: ArrayLike, shift: int | Sequence[int], axis: Axis = None) -> Array:
    """Shift elements cyclically along `axis` (of the flattened array by default);
    `shift` and `axis` may be tuples (broadcast against each other, as NumPy). The
    derivative of a roll is the same roll, its transpose the opposite one.

    Args:
        a: Input array.
        shift: Number of places to shift by (per axis with a tuple).
        axis: Axis or axes to roll along (default: the flattened array).

    Returns:
        The rolled array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.roll(fnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), (1, -1), axis=(0, 1))
        array([[5., 6., 4.],
               [2., 3., 1.]])
        >>> fad.grad(lambda x: (fnp.roll(x, 1) * fnp.arange(3.0)).sum())(fnp.zeros(3))
        array([1., 2., 0.])
    """
    a = _arr(a)
    if isinstance(shift, Tracer) or isinstance(axis, Tracer):
        raise TypeError(
            "roll: shift and axis must be concrete integers (they decide which elements move "
            "where), but a traced value was given. Pass Python or NumPy integers."
        )
    if axis is None:
        return st.reshape(roll(ravel(a), shift, 0), tuple(shape(a)))
    if type(shift) is int and type(axis) is int:  # the common case, without the broadcasting
        ax = normalize_axis(axis, ndim(a), "roll")
        n = shape(a)[ax]
        s = shift % n if n else 0
        return st.roll(a, shifts=(s,), axes=(ax,)) if s else a
    shifts, axes = np.asarray(shift), np.asarray(axis)
    if shifts.ndim > 1 or axes.ndim > 1:
        raise ValueError("roll: 'shift' and 'axis' should be scalars or 1D sequences.")
    shifts, axes = np.broadcast_arrays(shifts, axes)
    total: dict[int, int] = {}
    for s, ax in zip(shifts.ravel(), axes.ravel(), strict=True):
        ax = normalize_axis(int(ax), ndim(a), "roll")
        total[ax] = total.get(ax, 0) + int(s)
    moved = [(s % shape(a)[ax], ax) for ax, s in sorted(total.items()) if shape(a)[ax]]
    moved = [(s, ax) for s, ax in moved if s]
    return st.roll(a, shifts=tuple(s for s, _ in moved), axes=tuple(ax for _, ax in moved))


def rot90(m: ArrayLike, k: int = 1, axes: Sequence[int] = (0, 1)) -> Array:
    """Rotate by 90 degrees `k` times in the plane of `axes`.

    Args:
        m: Input array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.
        axes: The two axes of the plane of rotation.

    Returns:
        The rotated array.
    """
    m = _arr(m)
    nd = ndim(m)
    if len(axes) != 2:
        raise ValueError("rot90: len(axes) must be 2.")
    a0, a1 = normalize_axis(axes[0], nd, "rot90"), normalize_axis(axes[1], nd, "rot90")
    if a0 == a1:
        raise ValueError("rot90: axes must be different.")
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, a0), a1)
    perm = list(range(nd))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return transpose(flip(m, a1), perm)
    return flip(transpose(m, perm), a1)
