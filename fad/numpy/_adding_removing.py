# mypy: allow-redefinition-new, local-partial-types
"""Adding and removing elements (NumPy's "Array manipulation routines"): ``delete``,
``insert``, ``append`` and ``pad``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad.numpy._creation import asarray
from fad.numpy._indexing import take
from fad.numpy._joining import concatenate
from fad.numpy._shape_manipulation import _arr, broadcast_to, moveaxis, ravel, reshape
from fad.numpy._util import concrete_value, ndim, normalize_axis, shape

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from fad.typing import Array, ArrayLike


def _positions(obj: Any, name: str) -> Any:
    """``obj`` (which positions to insert before or delete) as a concrete NumPy value."""
    if isinstance(obj, Tracer):
        raise TypeError(
            f"{name}: the positions obj must be concrete (they decide the result's shape), but "
            "a traced value was given. Compute them from Python or NumPy values."
        )
    return np.array(obj)


def _axis_and_array(arr: Any, axis: int | None, name: str) -> Any:
    arr = asarray(arr)
    if axis is None:
        return (ravel(arr) if ndim(arr) != 1 else arr), 0
    return arr, normalize_axis(axis, ndim(arr), name)


def delete(arr: ArrayLike, obj: ArrayLike, axis: int | None = None) -> Array:
    """`arr` without the entries at positions `obj` (an int, a slice, a sequence of
    ints or a boolean mask) along `axis` (of the flattened array if None).

    Args:
        arr: Input array.
        obj: Index, slice, indices or boolean mask of the entries to remove.
        axis: Axis or axes to work along; None means all of them (the flattened array).

    Returns:
        A new array without the deleted entries.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.delete(fnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), [0, 2], axis=1)
        array([[2.],
               [5.]])
    """
    arr, axis = _axis_and_array(arr, axis, "delete")
    n = shape(arr)[axis]
    keep = np.ones(n, dtype=bool)
    if isinstance(obj, slice):
        keep[obj] = False
    else:
        positions = _positions(obj, "delete")
        if positions.dtype == bool:
            if positions.shape != (n,):
                raise ValueError(
                    f"delete: a boolean obj must be one dimensional and match the axis length {n}, "
                    f"got shape {positions.shape}."
                )
            keep = ~positions
        elif positions.size and positions.dtype.kind not in "iu":
            raise IndexError("delete: arrays used as indices must be of integer (or boolean) type.")
        else:
            positions = positions.astype(np.intp).reshape(-1)
            bad = (positions < -n) | (positions >= n)
            if bad.any():
                raise IndexError(
                    f"delete: index {positions[bad][0]} is out of bounds for axis {axis} with size {n}."
                )
            keep[positions] = False
    return take(arr, np.flatnonzero(keep), axis=axis)


def insert(arr: ArrayLike, obj: ArrayLike, values: ArrayLike, axis: int | None = None) -> Array:
    """`values` inserted before the positions `obj` along `axis` (of the flattened
    array if None), as NumPy does: differentiable in `arr` and `values`.

    Args:
        arr: Input array.
        obj: Index or indices before which `values` go.
        values: Values to insert or put.
        axis: Axis or axes to work along; None means all of them (the flattened array).

    Returns:
        A new array with `values` inserted.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.insert(fnp.array([1.0, 2.0, 3.0]), [1, 3], [-1.0, -2.0])
        array([ 1., -1.,  2.,  3., -2.])
    """
    arr, axis = _axis_and_array(arr, axis, "insert")
    n = shape(arr)[axis]
    if isinstance(obj, slice):
        indices = np.arange(*obj.indices(n))
    else:
        indices = _positions(obj, "insert")
        if indices.dtype == bool:
            if indices.ndim != 1:
                raise ValueError("insert: a boolean obj must be one dimensional.")
            indices = np.flatnonzero(indices)
        elif indices.ndim > 1:
            raise ValueError("insert: obj must be a scalar or a one dimensional array of positions.")
    values = asarray(values).astype(arr.dtype)
    values = reshape(values, (1,) * (ndim(arr) - ndim(values)) + tuple(shape(values)))
    target = list(shape(arr))
    if indices.size == 1:
        index = int(indices.item())
        if not -n <= index <= n:
            raise IndexError(f"insert: index {index} is out of bounds for axis {axis} with size {n}.")
        index = index + n if index < 0 else index
        if indices.ndim == 0:  # as NumPy: a scalar position inserts values' first axis
            values = moveaxis(values, 0, axis)
        target[axis] = shape(values)[axis]
        before, after = [slice(None)] * ndim(arr), [slice(None)] * ndim(arr)
        before[axis], after[axis] = slice(None, index), slice(index, None)
        return concatenate(
            [arr[tuple(before)], broadcast_to(values, tuple(target)), arr[tuple(after)]], axis=axis
        )
    indices = indices.astype(np.intp)
    indices[indices < 0] += n
    numnew = len(indices)
    indices[np.argsort(indices, kind="stable")] += np.arange(numnew)  # final positions
    total = n + numnew
    old = np.ones(total, dtype=bool)
    old[indices] = False  # (an IndexError, as NumPy, for a position out of range)
    source = np.empty(total, dtype=np.intp)  # output position -> position in [arr, values]
    source[old] = np.arange(n)
    source[indices] = n + np.arange(numnew)
    target[axis] = numnew
    return take(concatenate([arr, broadcast_to(values, tuple(target))], axis=axis), source, axis=axis)


def append(arr: ArrayLike, values: ArrayLike, axis: int | None = None) -> Array:
    """`values` joined after `arr` along `axis`; both flattened first if `axis` is None.

    Args:
        arr: Input array.
        values: Values appended (flattened first if `axis` is None).
        axis: Axis or axes to work along; None means all of them (the flattened array).

    Returns:
        A new array: `arr` followed by `values`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.append(fnp.array([1.0, 2.0]), [[3.0], [4.0]])
        array([1., 2., 3., 4.])
    """
    arr, values = asarray(arr), asarray(values)
    if axis is None:
        return concatenate([ravel(arr), ravel(values)])
    return concatenate([arr, values], axis=axis)


def _pad_index(n: Any, before: Any, after: Any, mode: str) -> Any:
    i = np.arange(-before, n + after)
    if mode == "edge":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "symmetric":
        j = np.mod(i, 2 * n)
        return np.where(j >= n, 2 * n - 1 - j, j)
    if n == 1:  # reflect
        return np.zeros_like(i)
    p = 2 * (n - 1)
    j = np.mod(i, p)
    return np.where(j >= n, p - j, j)


def _constant_pair(cv: Any, nd: int, ax: Any) -> Any:
    if isinstance(cv, Tracer) and cv.ndim == 0:
        return (cv, cv)
    if isinstance(cv, Tracer):
        raise NotImplementedError("pad: a traced constant_values must be a scalar.")
    pairs = np.broadcast_to(np.asarray(cv), (nd, 2))
    return (pairs[ax, 0], pairs[ax, 1])


def _filled(shape: Any, val: Any, dtype: DTypeLike) -> Any:
    if isinstance(val, Tracer):
        return st.broadcast_to(st.astype(val, dtype), shape)
    return np.full(shape, val, dtype)


def pad(
    array: ArrayLike, pad_width: ArrayLike, mode: str = "constant", constant_values: ArrayLike = 0
) -> Array:
    """Pad an array. Modes: `constant` (a value, traced or not, or per-axis pairs),
    `edge`, `reflect`, `symmetric` and `wrap`.

    Args:
        array: Array to pad.
        pad_width: Number of values padded before and after, per axis (or one pair, or one int, for all).
        mode: "constant", "edge", "reflect", "symmetric" or "wrap".
        constant_values: Value(s) used with mode="constant" (may be traced).

    Returns:
        The padded array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.pad(fnp.array([1.0, 2.0, 3.0]), 1, mode="reflect")
        array([2., 1., 2., 3., 2.])
    """
    a = _arr(array)
    nd = ndim(a)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (nd, 2))
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width must be non-negative, got {pad_width!r}.")
    if mode not in ("constant", "edge", "reflect", "symmetric", "wrap"):
        raise NotImplementedError(
            f"pad: mode {mode!r} is not supported; use 'constant', 'edge', 'reflect', 'symmetric' or 'wrap'."
        )
    for ax in range(nd):
        before, after = int(widths[ax, 0]), int(widths[ax, 1])
        if not (before or after):
            continue
        n = shape(a)[ax]
        if mode == "constant":
            cv = _constant_pair(constant_values, nd, ax)
            s = list(shape(a))
            parts = []
            for width, val in ((before, cv[0]), (after, cv[1])):
                s[ax] = width
                parts.append(_filled(tuple(s), val, a.dtype) if width else None)
            a = concatenate([p for p in (parts[0], a, parts[1]) if p is not None], ax)
        else:
            if n == 0:
                raise ValueError(f"pad: can't extend the empty axis {ax} in mode {mode!r}.")
            a = take(a, _pad_index(n, before, after, mode), ax)
    return a


def trim_zeros(filt: ArrayLike, trim: str = "fb", axis: int | None = None) -> Array:
    """`filt` without its leading (`"f"`) and/or trailing (`"b"`) zeros, along every
    axis or the given ones (read from a concrete value: the result's shape depends on it).
    Differentiable in the values kept.

    Args:
        filt: Input array.
        trim: "f" trims leading zeros, "b" trailing ones, "fb" both.
        axis: Axis or axes to work along; None means all of them (the flattened array).

    Returns:
        The trimmed array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.trim_zeros(fnp.array([0.0, 1.0, 2.0, 0.0]))
        array([1., 2.])
    """
    if not isinstance(trim, str) or not set(trim.lower()) <= {"f", "b"}:
        raise ValueError(f"trim_zeros: unexpected character(s) in `trim`: {trim!r}")
    a = asarray(filt)
    value = concrete_value(a, "trim_zeros")
    nd = value.ndim
    axes = range(nd) if axis is None else [normalize_axis(ax, nd, "trim_zeros") for ax in np.atleast_1d(axis)]
    nonzero = np.argwhere(value != 0)
    index = [slice(None)] * nd
    for ax in axes:
        if nonzero.size == 0:
            start = stop = 0
        else:
            start = int(nonzero[:, ax].min()) if "f" in trim.lower() else 0
            stop = int(nonzero[:, ax].max()) + 1 if "b" in trim.lower() else value.shape[ax]
        index[ax] = slice(start, stop)
    return a[tuple(index)]
