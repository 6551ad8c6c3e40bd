"""Shape manipulation, built from the structural primitives."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad._prims import structural as st
from fad.numpy._util import coerce, normalize_axes, normalize_axis, not_an_array
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape


def shape(a):
    return tuple(_shape(coerce(a)))


def ndim(a):
    return _ndim(coerce(a))


def size(a, axis=None):
    s = shape(a)
    return int(np.prod(s, dtype=np.int64)) if axis is None else s[axis]


def _resolve_shape(newshape, size_, fname="reshape"):
    if isinstance(newshape, (int, np.integer)):
        newshape = (newshape,)
    newshape = tuple(int(s) for s in newshape)
    unknown = [i for i, s in enumerate(newshape) if s == -1]
    if len(unknown) > 1:
        raise ValueError(f"{fname}: can only specify one unknown dimension (-1).")
    known = 1
    for s in newshape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or size_ % known:
            raise ValueError(f"{fname}: cannot reshape an array of size {size_} into shape {newshape}.")
        newshape = tuple(size_ // known if s == -1 else s for s in newshape)
    elif known != size_:
        raise ValueError(f"{fname}: cannot reshape an array of size {size_} into shape {newshape}.")
    return newshape


def reshape(a, shape=None, order="C", *, newshape=None):
    """Give ``a`` a new shape (one entry may be -1), reading and writing the elements in C
    (last index fastest), F (first index fastest) or A order (F for a Fortran-contiguous
    NumPy array, C otherwise; a traced value counts as C-contiguous).

    >>> import fad.numpy as fnp
    >>> fnp.reshape(fnp.arange(6.0), (2, -1)).shape
    (2, 3)
    >>> fnp.reshape(fnp.arange(6.0), (2, 3), order="F")
    array([[0., 2., 4.],
           [1., 3., 5.]])
    """
    a = coerce(a)
    shape = newshape if shape is None else shape
    newshape = _resolve_shape(shape, size(a))
    if order == "C" or _memory_order(a, order, "reshape", "CFA") == "C":
        return st.reshape(a, newshape)
    # F order is C order on the reversed axes: transposes around a C-order reshape
    nd = _ndim(a)
    flipped = st.reshape(st.transpose(a, tuple(range(nd))[::-1]), newshape[::-1])
    return st.transpose(flipped, tuple(range(len(newshape)))[::-1])


def ravel(a, order="C"):
    """The elements of ``a`` in a 1-d array, read in C, F, A (as :func:`reshape`) or K order
    (the order of a NumPy array's memory; C for a traced value).

    >>> import fad.numpy as fnp
    >>> fnp.ravel(fnp.array([[1.0, 2.0], [3.0, 4.0]]), order="F")
    array([1., 3., 2., 4.])
    """
    a = coerce(a)
    if order in ("K", "k") and isinstance(a, np.ndarray):
        # axes from the largest stride to the smallest; NumPy keeps the index order within
        # an axis (a negative stride is not reversed)
        perm = tuple(sorted(range(a.ndim), key=lambda i: -abs(a.strides[i])))
        return st.reshape(st.transpose(a, perm), (a.size,))
    return reshape(a, (-1,), _memory_order(a, order, "ravel", "CFAK"))


def _memory_order(a, order, fname, allowed):
    """``order`` resolved to "C" or "F" for ``a`` (NumPy's spelling: one letter, any case)."""
    if order is None:
        order = "C"
    o = order.upper() if isinstance(order, str) else None
    if o not in tuple(allowed):
        raise ValueError(f"{fname}: order must be one of {', '.join(map(repr, allowed))}, got {order!r}.")
    if o in ("A", "K"):
        fortran = isinstance(a, np.ndarray) and a.flags.f_contiguous and not a.flags.c_contiguous
        return "F" if fortran else "C"
    return o


def transpose(a, axes=None):
    """Permute the axes (reverse them by default)."""
    a = coerce(a)
    nd = _ndim(a)
    perm = tuple(range(nd))[::-1] if axes is None else tuple(normalize_axis(p, nd, "transpose") for p in axes)
    if sorted(perm) != list(range(nd)):
        raise ValueError(f"transpose: axes {axes!r} are not a permutation of the {nd} axes.")
    return st.transpose(a, perm)


def moveaxis(a, source, destination):
    a = coerce(a)
    nd = _ndim(a)
    src = [normalize_axis(s, nd, "moveaxis") for s in np.atleast_1d(source)]
    dst = [normalize_axis(d, nd, "moveaxis") for d in np.atleast_1d(destination)]
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of elements.")
    order = [n for n in range(nd) if n not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return st.transpose(a, tuple(order))


def swapaxes(a, axis1, axis2):
    a = coerce(a)
    nd = _ndim(a)
    perm = list(range(nd))
    i, j = normalize_axis(axis1, nd, "swapaxes"), normalize_axis(axis2, nd, "swapaxes")
    perm[i], perm[j] = perm[j], perm[i]
    return st.transpose(a, tuple(perm))


def broadcast_to(a, shape):
    a = coerce(a)
    shape = (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)
    np.broadcast_shapes(_shape(a), shape)  # raises NumPy's error for incompatible shapes
    if len(shape) < _ndim(a):
        raise ValueError(f"broadcast_to: cannot broadcast shape {_shape(a)} to {shape}.")
    return st.broadcast_to(a, shape)


def expand_dims(a, axis):
    """Insert size-1 axes at ``axis`` (int or tuple)."""
    a = coerce(a)
    s = list(_shape(a))
    axes = normalize_axes(axis, len(s) + (len(axis) if isinstance(axis, (tuple, list)) else 1), "expand_dims")
    for ax in axes:
        s.insert(ax, 1)
    return st.reshape(a, tuple(s))


def squeeze(a, axis=None):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    a = coerce(a)
    s = _shape(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(s) if n == 1)
    else:
        axes = normalize_axes(axis, len(s), "squeeze")
        for ax in axes:
            if s[ax] != 1:
                raise ValueError(
                    "squeeze: cannot select an axis to squeeze out which has size not equal to one."
                )
    return st.reshape(a, tuple(n for i, n in enumerate(s) if i not in axes))


def concatenate(arrays, axis=0):
    """Join arrays along an existing axis (``axis=None`` flattens first)."""
    arrays = [coerce(a) for a in _seq(arrays, "concatenate")]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    nd = _ndim(arrays[0])
    if nd == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    return st.concatenate(arrays, normalize_axis(axis, nd, "concatenate"))


def stack(arrays, axis=0):
    """Join arrays along a new axis.

    >>> import fad.numpy as fnp
    >>> fnp.stack([fnp.zeros(2), fnp.ones(2)]).shape
    (2, 2)
    """
    arrays = [coerce(a) for a in _seq(arrays, "stack")]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {tuple(_shape(a)) for a in arrays}
    if len(shapes) != 1:
        raise ValueError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    ax = normalize_axis(axis, _ndim(arrays[0]) + 1, "stack")
    return st.concatenate([expand_dims(a, ax) for a in arrays], ax)


# ------------------------------------------------------------------ stacking helpers


def _arr(a):
    a = coerce(a)
    return a if isinstance(a, Tracer) else np.asarray(a)


def atleast_1d(*arys):
    """Views with at least one axis (a scalar becomes shape ``(1,)``)."""
    out = [_arr(a) if _ndim(_arr(a)) >= 1 else st.reshape(_arr(a), (1,)) for a in arys]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_2d(*arys):
    """Views with at least two axes (``(n,)`` becomes ``(1, n)``)."""
    out = []
    for a in arys:
        a = _arr(a)
        s = tuple(_shape(a))
        out.append(st.reshape(a, (1,) * (2 - len(s)) + s) if len(s) < 2 else a)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_3d(*arys):
    """Views with at least three axes (``(n,)`` -> ``(1, n, 1)``, ``(m, n)`` -> ``(m, n, 1)``)."""
    out = []
    for a in arys:
        a = _arr(a)
        s = tuple(_shape(a))
        new = {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(len(s), s)
        out.append(st.reshape(a, new))
    return out[0] if len(out) == 1 else tuple(out)


def _seq(tup, fname):
    if isinstance(tup, Tracer) or isinstance(tup, np.ndarray):
        return [tup[i] for i in range(len(tup))]
    if isinstance(tup, (dict, set, frozenset, str)):
        raise not_an_array(tup)  # (iterating would take its keys)
    tup = list(tup)
    if not tup:
        raise ValueError(f"{fname}: need at least one array to concatenate")
    return tup


def hstack(tup):
    """Stack arrays along the second axis (the first for 1-D arrays)."""
    arrs = [atleast_1d(a) for a in _seq(tup, "hstack")]
    return concatenate(arrs, 0 if _ndim(arrs[0]) == 1 else 1)


def vstack(tup):
    """Stack arrays along the first axis, after making them at least 2-D."""
    return concatenate([atleast_2d(a) for a in _seq(tup, "vstack")], 0)


row_stack = vstack


def dstack(tup):
    """Stack arrays along the third axis, after making them at least 3-D."""
    return concatenate([atleast_3d(a) for a in _seq(tup, "dstack")], 2)


def column_stack(tup):
    """Stack 1-D arrays as columns of a 2-D array (2-D arrays are stacked as they are)."""
    cols = []
    for a in _seq(tup, "column_stack"):
        a = _arr(a)
        cols.append(st.reshape(a, (tuple(_shape(a)) or (1,))[:1] + (1,)) if _ndim(a) < 2 else a)
    return concatenate(cols, 1)


# ------------------------------------------------------------------------- splitting


def _slice_axis(a, start, stop, axis, step=1):
    return _getitem(a, (slice(None),) * axis + (slice(start, stop, step),))


def array_split(ary, indices_or_sections, axis=0):
    """Split into pieces along ``axis``; sections need not divide the axis evenly."""
    ary = _arr(ary)
    axis = normalize_axis(axis, _ndim(ary), "array_split")
    n = _shape(ary)[axis]
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("array_split: number sections must be larger than 0.")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    return [_slice_axis(ary, int(bounds[k]), int(bounds[k + 1]), axis) for k in range(len(bounds) - 1)]


def split(ary, indices_or_sections, axis=0):
    """Split into equal pieces (an int) or at the given indices along ``axis``.

    >>> import fad.numpy as fnp
    >>> [p.shape for p in fnp.split(fnp.zeros((4, 2)), 2)]
    [(2, 2), (2, 2)]
    """
    if np.ndim(indices_or_sections) == 0:
        ary = _arr(ary)
        n = _shape(ary)[normalize_axis(axis, _ndim(ary), "split")]
        if n % int(indices_or_sections):
            raise ValueError(
                f"split: an axis of length {n} does not divide into {indices_or_sections} "
                "equal sections. Use fad.numpy.array_split for unequal pieces."
            )
    return array_split(ary, indices_or_sections, axis)


# ------------------------------------------------------------------------ rearranging


def _getitem(a, idx):
    from fad.numpy._indexing import getitem

    return getitem(a, idx)


def _axes_or_all(axis, nd, fname):
    return tuple(range(nd)) if axis is None else normalize_axes(axis, nd, fname)


def flip(m, axis=None):
    """Reverse the order of elements along ``axis`` (all axes by default)."""
    m = _arr(m)
    axes = _axes_or_all(axis, _ndim(m), "flip")
    return _getitem(m, tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(_ndim(m))))


def fliplr(m):
    """Reverse the columns (axis 1)."""
    m = _arr(m)
    if _ndim(m) < 2:
        raise ValueError(f"fliplr: the input must be at least 2-D, got shape {tuple(_shape(m))}.")
    return flip(m, 1)


def flipud(m):
    """Reverse the rows (axis 0)."""
    m = _arr(m)
    if _ndim(m) < 1:
        raise ValueError("flipud: the input must be at least 1-D.")
    return flip(m, 0)


def take(a, indices, axis=None, out=None, mode=None):
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened array by default).

    ``indices`` may be traced (for example batched by vmap).

    >>> import fad.numpy as fnp
    >>> fnp.take(fnp.arange(5.0), [4, 0])
    array([4., 0.])
    """
    if out is not None:
        raise NotImplementedError("take: out= is not supported (fad arrays are immutable).")
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, _ndim(a), "take")
    if mode in ("clip", "wrap"):
        if isinstance(indices, Tracer):
            raise NotImplementedError(f"take: mode={mode!r} needs concrete indices.")
        n = _shape(a)[axis]
        indices = np.clip(indices, 0, n - 1) if mode == "clip" else np.mod(indices, n)
    elif mode not in (None, "raise"):
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}.")
    if not isinstance(indices, Tracer):
        indices = np.asarray(indices)
        if indices.dtype.kind not in "iu" and indices.size == 0:
            indices = indices.astype(np.intp)
        indices = _as_slice(indices, _shape(a)[axis])
    return _getitem(a, (slice(None),) * axis + (indices,))


def _as_slice(indices, n):
    """A 1-d run of equally spaced in-bounds ``indices`` as the slice that picks the same
    entries (its transpose is an assignment, not a scatter-add); other indices as they are."""
    if indices.ndim != 1 or indices.dtype.kind not in "iu" or len(indices) < 2:
        return indices
    first, step = int(indices[0]), int(indices[1]) - int(indices[0])
    last = first + step * (len(indices) - 1)
    if step == 0 or not (0 <= first < n and 0 <= last < n):
        return indices
    if not np.array_equal(indices, np.arange(first, last + step, step)):
        return indices
    return slice(first, None if last + step < 0 else last + step, step)


def take_along_axis(arr, indices, axis=-1):
    """Pick values along ``axis`` at ``indices`` (same number of axes as ``arr``).

    >>> import fad.numpy as fnp
    >>> fnp.take_along_axis(fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([[1], [0]]), 1)
    array([[2.],
           [3.]])
    """
    arr = _arr(arr)
    if axis is None:
        arr, axis = ravel(arr), 0
    if not isinstance(indices, Tracer):
        indices = np.asarray(indices)
    nd = _ndim(arr)
    if len(_shape(indices)) != nd:
        raise ValueError(
            f"take_along_axis: indices of shape {tuple(_shape(indices))} must have as many axes "
            f"as arr (shape {tuple(_shape(arr))})."
        )
    axis = normalize_axis(axis, nd, "take_along_axis")
    idx = tuple(
        indices if i == axis else np.arange(n).reshape((1,) * i + (n,) + (1,) * (nd - i - 1))
        for i, n in enumerate(_shape(arr))
    )
    return _getitem(arr, idx)


def repeat(a, repeats, axis=None):
    """Repeat each element ``repeats`` times along ``axis`` (of the flattened array by default)."""
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, _ndim(a), "repeat")
    if isinstance(repeats, Tracer):
        raise TypeError("repeat: repeats must be concrete (the result's shape depends on them).")
    idx = np.repeat(np.arange(_shape(a)[axis]), repeats)
    return take(a, idx, axis)


def tile(A, reps):
    """Repeat the whole array ``reps`` times (per axis)."""
    A = _arr(A)
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(r) for r in reps)
    s = tuple(_shape(A))
    d = max(len(reps), len(s))
    s = (1,) * (d - len(s)) + s
    reps = (1,) * (d - len(reps)) + reps
    inter = tuple(v for r, n in zip(reps, s, strict=True) for v in (1, n))
    big = tuple(v for r, n in zip(reps, s, strict=True) for v in (r, n))
    out = st.broadcast_to(st.reshape(A, inter), big)
    return st.reshape(out, tuple(r * n for r, n in zip(reps, s, strict=True)))


def roll(a, shift, axis=None):
    """Shift elements cyclically along ``axis`` (of the flattened array by default);
    ``shift`` and ``axis`` may be tuples (broadcast against each other, as NumPy). The
    derivative of a roll is the same roll, its transpose the opposite one.

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
        return st.reshape(roll(ravel(a), shift, 0), tuple(_shape(a)))
    if type(shift) is int and type(axis) is int:  # the common case, without the broadcasting
        ax = normalize_axis(axis, _ndim(a), "roll")
        n = _shape(a)[ax]
        s = shift % n if n else 0
        return st.roll(a, shifts=(s,), axes=(ax,)) if s else a
    shifts, axes = np.asarray(shift), np.asarray(axis)
    if shifts.ndim > 1 or axes.ndim > 1:
        raise ValueError("roll: 'shift' and 'axis' should be scalars or 1D sequences.")
    shifts, axes = np.broadcast_arrays(shifts, axes)
    total = {}
    for s, ax in zip(shifts.ravel(), axes.ravel(), strict=True):
        ax = normalize_axis(int(ax), _ndim(a), "roll")
        total[ax] = total.get(ax, 0) + int(s)
    moved = [(s % _shape(a)[ax], ax) for ax, s in sorted(total.items()) if _shape(a)[ax]]
    moved = [(s, ax) for s, ax in moved if s]
    return st.roll(a, shifts=tuple(s for s, _ in moved), axes=tuple(ax for _, ax in moved))


def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``."""
    m = _arr(m)
    nd = _ndim(m)
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


def _pad_index(n, before, after, mode):
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


def pad(array, pad_width, mode="constant", constant_values=0):
    """Pad an array. Modes: ``constant`` (a value, traced or not, or per-axis pairs),
    ``edge``, ``reflect``, ``symmetric`` and ``wrap``.

    >>> import fad.numpy as fnp
    >>> fnp.pad(fnp.array([1.0, 2.0, 3.0]), 1, mode="reflect")
    array([2., 1., 2., 3., 2.])
    """
    a = _arr(array)
    nd = _ndim(a)
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
        n = _shape(a)[ax]
        if mode == "constant":
            cv = _constant_pair(constant_values, nd, ax)
            s = list(_shape(a))
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


def _constant_pair(cv, nd, ax):
    if isinstance(cv, Tracer) and cv.ndim == 0:
        return (cv, cv)
    if isinstance(cv, Tracer):
        raise NotImplementedError("pad: a traced constant_values must be a scalar.")
    pairs = np.broadcast_to(np.asarray(cv), (nd, 2))
    return (pairs[ax, 0], pairs[ax, 1])


def _filled(shape, val, dtype):
    if isinstance(val, Tracer):
        return st.broadcast_to(st.astype(val, dtype), shape)
    return np.full(shape, val, dtype)


# ---------------------------------------------------------------------- diagonals


def _tri_mask(s, k, upper):
    rows, cols = (s[-2], s[-1]) if len(s) >= 2 else (s[-1], s[-1])
    return ~np.tri(rows, cols, k - 1, dtype=bool) if upper else np.tri(rows, cols, k, dtype=bool)


def triu(m, k=0):
    """The upper triangle (entries below the ``k``-th diagonal set to zero)."""
    m = _arr(m)
    mask = _tri_mask(tuple(_shape(m)), k, True)
    return m * mask.astype(m.dtype)


def tril(m, k=0):
    """The lower triangle (entries above the ``k``-th diagonal set to zero)."""
    m = _arr(m)
    mask = _tri_mask(tuple(_shape(m)), k, False)
    return m * mask.astype(m.dtype)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The ``offset``-th diagonal over ``axis1``, ``axis2``, as the last axis of the result."""
    a = _arr(a)
    nd = _ndim(a)
    if nd < 2:
        raise ValueError("diagonal requires an array of at least two dimensions.")
    a1, a2 = normalize_axis(axis1, nd, "diagonal"), normalize_axis(axis2, nd, "diagonal")
    if a1 == a2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same.")
    a = moveaxis(a, (a1, a2), (-2, -1))
    *lead, n, m = _shape(a)
    offset = int(offset)
    length = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
    # a strided slice of the flattened matrices, not a gather: its transpose is a strided
    # assignment into zeros rather than a scatter-add
    flat = st.reshape(a, tuple(lead) + (n * m,))
    return _getitem(flat, (Ellipsis, _diagonal_slice(offset, length, m)))


def _diagonal_slice(k, length, m):
    """The positions of the ``k``-th diagonal (``length`` entries) of a flattened matrix
    with ``m`` columns, as a slice."""
    start = k if k >= 0 else -k * m
    return slice(start, start + (length - 1) * (m + 1) + 1 if length else start, m + 1)


def diag(v, k=0):
    """The ``k``-th diagonal of a 2-D array, or a 2-D array with ``v`` (1-D) on it.

    >>> import fad.numpy as fnp
    >>> fnp.diag(fnp.array([1.0, 2.0]))
    array([[1., 0.],
           [0., 2.]])
    """
    v = _arr(v)
    if _ndim(v) == 2:
        return diagonal(v, k)
    if _ndim(v) != 1:
        raise ValueError(f"diag: input must be 1-D or 2-D, got shape {tuple(_shape(v))}.")
    n = _shape(v)[0]
    k = int(k)
    size = n + abs(k)
    flat = st.index_add_zeros(v, idx=(_diagonal_slice(k, n, size),), shape=(size * size,))
    return st.reshape(flat, (size, size))


def diagflat(v, k=0):
    """A 2-D array with the flattened input on the ``k``-th diagonal."""
    return diag(ravel(_arr(v)), k)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum along a diagonal."""
    from fad.numpy._reductions import sum as _sum

    if out is not None:
        raise NotImplementedError("trace: out= is not supported (fad arrays are immutable).")
    return _sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


# --------------------------------------------------------------------- broadcasting


def broadcast_arrays(*args):
    """Broadcast the arguments against each other (a tuple, as NumPy 2)."""
    args = [_arr(a) for a in args]
    s = np.broadcast_shapes(*(tuple(_shape(a)) for a in args))
    return tuple(st.broadcast_to(a, s) for a in args)


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate arrays from coordinate vectors (``indexing`` 'xy' or 'ij')."""
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: indexing must be 'xy' or 'ij'.")
    xs = [ravel(_arr(x)) for x in xi]
    nd = len(xs)
    out = []
    for i, x in enumerate(xs):
        s = [1] * nd
        s[i] = _shape(x)[0]
        if indexing == "xy" and nd > 1 and i < 2:
            s[0], s[1] = s[1], s[0]
        out.append(st.reshape(x, tuple(s)))
    if not sparse:
        out = list(broadcast_arrays(*out))
    return tuple(out)
