"""More of NumPy's array arranging: ``copy``, ``append``, ``insert``, ``delete``, ``block``,
``hsplit``/``vsplit``/``dsplit``, ``unstack``, ``rollaxis``, ``matrix_transpose`` and
``vander``, written as composites of fad.numpy functions (so every transform sees through
them)."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad.numpy._creation import array, asarray, ones
from fad.numpy._reductions import cumprod
from fad.numpy._shape import (
    broadcast_to,
    concatenate,
    moveaxis,
    ravel,
    reshape,
    split,
    swapaxes,
    take,
    transpose,
)
from fad.numpy._util import ndim, normalize_axis, shape

__all__ = ["copy", "append", "hsplit", "vsplit", "dsplit", "rollaxis", "matrix_transpose"]
__all__ += ["unstack", "vander", "block", "insert", "delete"]


def copy(a):
    """A copy of ``a`` (traced values are immutable, so under a transform it is ``a`` itself).

    >>> import fad.numpy as fnp
    >>> x = fnp.array([1.0, 2.0])
    >>> y = fnp.copy(x)
    >>> y is x, y
    (False, array([1., 2.]))
    """
    return array(a)


def append(arr, values, axis=None):
    """``values`` joined after ``arr`` along ``axis``; both flattened first if ``axis`` is None.

    >>> import fad.numpy as fnp
    >>> fnp.append(fnp.array([1.0, 2.0]), [[3.0], [4.0]])
    array([1., 2., 3., 4.])
    """
    arr, values = asarray(arr), asarray(values)
    if axis is None:
        return concatenate([ravel(arr), ravel(values)])
    return concatenate([arr, values], axis=axis)


def _split_along(ary, indices_or_sections, axis, least, name):
    ary = asarray(ary)
    if ndim(ary) < least:
        raise ValueError(
            f"{name} only works on arrays of {least} or more dimensions (got shape {shape(ary)}); "
            "use fad.numpy.split with an explicit axis."
        )
    return split(ary, indices_or_sections, axis=axis)


def hsplit(ary, indices_or_sections):
    """Split horizontally: along axis 1 (axis 0 for a 1-d array).

    >>> import fad.numpy as fnp
    >>> [p.shape for p in fnp.hsplit(fnp.zeros((2, 4)), 2)]
    [(2, 2), (2, 2)]
    """
    ary = asarray(ary)
    return _split_along(ary, indices_or_sections, 1 if ndim(ary) > 1 else 0, 1, "hsplit")


def vsplit(ary, indices_or_sections):
    """Split vertically: along axis 0 of an array of 2 or more dimensions.

    >>> import fad.numpy as fnp
    >>> [p.shape for p in fnp.vsplit(fnp.zeros((4, 2)), [1])]
    [(1, 2), (3, 2)]
    """
    return _split_along(ary, indices_or_sections, 0, 2, "vsplit")


def dsplit(ary, indices_or_sections):
    """Split along the depth: axis 2 of an array of 3 or more dimensions.

    >>> import fad.numpy as fnp
    >>> [p.shape for p in fnp.dsplit(fnp.zeros((1, 2, 4)), 2)]
    [(1, 2, 2), (1, 2, 2)]
    """
    return _split_along(ary, indices_or_sections, 2, 3, "dsplit")


def rollaxis(a, axis, start=0):
    """Move ``axis`` to just before position ``start`` (prefer :func:`moveaxis`, as NumPy says).

    >>> import fad.numpy as fnp
    >>> fnp.rollaxis(fnp.zeros((2, 3, 4)), 2).shape
    (4, 2, 3)
    """
    a = asarray(a)
    n = ndim(a)
    axis = normalize_axis(axis, n, "rollaxis")
    start = int(start)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise ValueError(f"rollaxis: start must satisfy {-n} <= start < {n + 1}, but {start} was passed in.")
    if axis < start:
        start -= 1
    axes = [k for k in range(n) if k != axis]
    axes.insert(start, axis)
    return transpose(a, tuple(axes))


def matrix_transpose(x, /):
    """Swap the last two axes (a stack of matrices, transposed).

    >>> import fad.numpy as fnp
    >>> fnp.matrix_transpose(fnp.zeros((5, 2, 3))).shape
    (5, 3, 2)
    """
    x = asarray(x)
    if ndim(x) < 2:
        raise ValueError(f"matrix_transpose: the input must be at least 2-dimensional, got shape {shape(x)}.")
    return swapaxes(x, -1, -2)


def unstack(x, /, *, axis=0):
    """The slices of ``x`` along ``axis``, as a tuple (the inverse of :func:`stack`).

    >>> import fad.numpy as fnp
    >>> fnp.unstack(fnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    (array([1., 3.]), array([2., 4.]))
    """
    x = asarray(x)
    if ndim(x) == 0:
        raise ValueError("unstack: the input must be at least 1-d.")
    x = moveaxis(x, normalize_axis(axis, ndim(x), "unstack"), 0)
    return tuple(x[i] for i in range(shape(x)[0]))


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-d ``x``: columns ``x**(N-1), ..., x, 1`` (reversed
    with ``increasing=True``), computed as NumPy does, by running products.

    >>> import fad.numpy as fnp
    >>> fnp.vander(fnp.array([2.0, 3.0]), 3)
    array([[4., 2., 1.],
           [9., 3., 1.]])
    """
    x = asarray(x)
    if ndim(x) != 1:
        raise ValueError(f"vander: x must be a one-dimensional array or sequence, got shape {shape(x)}.")
    n = shape(x)[0]
    N = n if N is None else int(N)
    dtype = np.promote_types(x.dtype, int)
    if N == 0:
        return ones((n, 0), dtype)
    columns = [ones((n, 1), dtype)]
    if N > 1:
        columns.append(broadcast_to(x.astype(dtype)[:, None], (n, N - 1)))
    powers = cumprod(concatenate(columns, axis=1), axis=1)
    return powers if increasing else powers[:, ::-1]


def block(arrays):
    """Assemble an array from nested lists of blocks: the innermost lists are joined along
    the last axis, the next ones along the second-to-last, and so on.

    >>> import fad.numpy as fnp
    >>> fnp.block([[fnp.eye(2), fnp.zeros((2, 1))], [fnp.ones((1, 2)), fnp.array([[5.0]])]])
    array([[1., 0., 0.],
           [0., 1., 0.],
           [1., 1., 5.]])
    """
    depth, leaf_ndim = _block_depth(arrays, ())
    nd = max(leaf_ndim, depth)

    def assemble(a, level):
        if level == depth:
            a = asarray(a)
            return reshape(a, (1,) * (nd - ndim(a)) + tuple(shape(a)))
        return concatenate([assemble(b, level + 1) for b in a], axis=level - depth)

    return assemble(arrays, 0)


def _block_depth(arrays, index):
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


def _positions(obj, name):
    """``obj`` (which positions to insert before or delete) as a concrete NumPy value."""
    if isinstance(obj, Tracer):
        raise TypeError(
            f"{name}: the positions obj must be concrete (they decide the result's shape), but "
            "a traced value was given. Compute them from Python or NumPy values."
        )
    return np.array(obj)


def _axis_and_array(arr, axis, name):
    arr = asarray(arr)
    if axis is None:
        return (ravel(arr) if ndim(arr) != 1 else arr), 0
    return arr, normalize_axis(axis, ndim(arr), name)


def insert(arr, obj, values, axis=None):
    """``values`` inserted before the positions ``obj`` along ``axis`` (of the flattened
    array if None), as NumPy does: differentiable in ``arr`` and ``values``.

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


def delete(arr, obj, axis=None):
    """``arr`` without the entries at positions ``obj`` (an int, a slice, a sequence of
    ints or a boolean mask) along ``axis`` (of the flattened array if None).

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
