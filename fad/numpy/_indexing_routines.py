# mypy: allow-redefinition-new, local-partial-types
"""More of NumPy's "Indexing routines": ``choose``, ``compress``, ``extract``, ``ix_``,
``mask_indices``, ``put_along_axis``, ``ravel_multi_index``, ``unravel_index`` and the index
objects ``r_``, ``c_``, ``s_``, ``index_exp``, ``mgrid``, ``ogrid``.

Values are gathered (``choose``, ``compress``, ``extract``) or scattered
(``put_along_axis``), so they differentiate as the gather or scatter does. Boolean masks of
``compress`` / ``extract`` are read as concrete values (the result's length depends on them,
as for ``nonzero``); the integer index arithmetic of ``ravel_multi_index`` /
``unravel_index`` works under every transform."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Tracer
from fad.numpy._creation import asarray
from fad.numpy._indexing import at, take, take_along_axis, where
from fad.numpy._joining import concatenate, stack
from fad.numpy._math import clip, remainder
from fad.numpy._numerical_ranges import arange, linspace
from fad.numpy._shape_manipulation import (
    broadcast_arrays,
    broadcast_to,
    expand_dims,
    moveaxis,
    ravel,
    reshape,
)
from fad.numpy._sums_products_differences import cumsum
from fad.numpy._util import concrete_value, ndim, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from fad.numpy._util import Shape
    from fad.typing import Array, ArrayLike


def choose(a: ArrayLike, choices: Sequence[ArrayLike], out: None = None, mode: str = "raise") -> Array:
    """Per element, the entry of `choices[a]` (all broadcast together); differentiable in
    the choices. `mode`: `"raise"` (an index out of range is an error, checked on a
    concrete `a`), `"wrap"` or `"clip"`.

    Args:
        a: Integer array of indices into `choices`.
        choices: Arrays to choose from (all broadcast against `a`).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        mode: "raise", "wrap" or "clip": what an out-of-range index does.

    Returns:
        An array of the broadcast shape of `a` and the choices.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.choose(fnp.array([0, 1, 0]), [fnp.array([1.0, 2.0, 3.0]), fnp.array([10.0, 20.0, 30.0])])
        array([ 1., 20.,  3.])
    """
    if out is not None:
        raise NotImplementedError("fad.numpy.choose does not support out=; use the return value.")
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"choose: mode must be 'raise', 'wrap' or 'clip', got {mode!r}.")
    a = asarray(a)
    if a.dtype.kind not in "iub":
        raise TypeError(f"choose: a must hold integers, got dtype {a.dtype}.")
    if isinstance(choices, (Tracer, np.ndarray)):
        choices = [choices[i] for i in range(shape(choices)[0])]
    n = len(choices)
    parts = broadcast_arrays(a, *[asarray(c) for c in choices])
    a, cs = parts[0], stack(parts[1:])
    if mode == "wrap":
        a = remainder(a, n)
    elif mode == "clip":
        a = clip(a, 0, n - 1)
    elif not isinstance(a, Tracer) and (np.any(a < 0) or np.any(a >= n)):
        raise ValueError("choose: invalid entry in choice array")
    return take_along_axis(cs, expand_dims(a.astype(np.intp), 0), axis=0)[0]


def compress(condition: ArrayLike, a: ArrayLike, axis: int | None = None, out: None = None) -> Array:
    """The slices of `a` along `axis` where the 1-d boolean `condition` holds (read as a
    concrete value); differentiable in `a`.

    Args:
        condition: 1-d boolean array (a concrete value).
        a: Input array.
        axis: Axis to select along; None selects from the flattened array.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The selected slices.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.compress([True, False, True], fnp.array([1.0, 2.0, 3.0]))
        array([1., 3.])
    """
    if out is not None:
        raise NotImplementedError("fad.numpy.compress does not support out=; use the return value.")
    cond = np.asarray(concrete_value(condition, "compress"))
    if cond.ndim != 1:
        raise ValueError("compress: condition must be a 1-d array")
    a = asarray(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, ndim(a), "compress")
    if len(cond) > shape(a)[axis]:
        raise IndexError(f"compress: condition has {len(cond)} entries, axis {axis} has {shape(a)[axis]}.")
    return take(a, np.flatnonzero(cond), axis=axis)


def extract(condition: ArrayLike, arr: ArrayLike) -> Array:
    """The elements of `arr` where `condition` holds, flattened (`condition` read as a
    concrete value); differentiable in `arr`.

    Args:
        condition: Boolean array (a concrete value), as many elements as `arr`.
        arr: Input array.

    Returns:
        A 1-d array of the selected elements.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.extract(fnp.array([[1, 0], [0, 1]]), fnp.array([[1.0, 2.0], [3.0, 4.0]]))
        array([1., 4.])
    """
    cond = np.ravel(concrete_value(condition, "extract"))
    return take(ravel(asarray(arr)), np.flatnonzero(cond))


def ix_(*args: ArrayLike) -> tuple[Array, ...]:
    """Open-mesh index arrays from 1-d sequences (booleans become their `nonzero`), for
    indexing the cross product: `a[fnp.ix_(rows, cols)]`.

    Args:
        *args: Positional arguments, as NumPy's.

    Returns:
        A tuple of index arrays, each with one non-trivial axis.

    Examples:
        >>> import fad.numpy as fnp
        >>> [i.shape for i in fnp.ix_([0, 1], [2, 0, 1])]
        [(2, 1), (1, 3)]
    """
    out = []
    nd = len(args)
    for k, new in enumerate(args):
        if not isinstance(new, Tracer):
            new = np.asarray(new)
            if new.size == 0:
                new = new.astype(np.intp)
            if new.dtype == bool:
                (new,) = new.nonzero()
        if ndim(new) != 1:
            raise ValueError("ix_: Cross index must be 1 dimensional")
        out.append(reshape(new, (1,) * k + (shape(new)[0],) + (1,) * (nd - k - 1)))
    return tuple(out)


def mask_indices(n: int, mask_func: Callable[..., Any], k: int = 0) -> tuple[Array, ...]:
    """The indices of the nonzero entries of `mask_func(ones((n, n)), k)` (e.g.
    `fnp.triu`), as a tuple of index arrays.

    Args:
        n: Number of rows and columns of the square array.
        mask_func: Function `mask_func(a, k)` returning a masked copy of the square array `a`, such as `triu`.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        A tuple of two index arrays (rows, columns).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.mask_indices(2, fnp.triu)
        (array([0, 0, 1]), array([0, 1, 1]))
    """
    m = concrete_value(mask_func(np.ones((n, n), int), k), "mask_indices")
    return np.nonzero(m != 0)


def put_along_axis(
    arr: ArrayLike, indices: ArrayLike, values: ArrayLike, axis: int, *, inplace: bool = True
) -> Array:
    """Put `values` into `arr` at `indices` along `axis` (matched as in
    `take_along_axis`). As NumPy, a plain array is modified in place and `None`
    returned; with `inplace=False` (as `jax.numpy`) the updated copy is returned instead,
    which is what a traced (differentiated, batched or staged) `arr` or `values` needs.

    Args:
        arr: Input array.
        indices: Indices along `axis`, as many axes as `arr`.
        values: Values to insert or put.
        axis: Axis to put along.
        inplace: Whether a plain NumPy array is modified in place (as NumPy); traced values never are.

    Returns:
        The updated array (`arr` itself, modified in place, for a plain NumPy array with `inplace`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.put_along_axis(fnp.zeros((2, 2)), fnp.array([[1], [0]]), 5.0, axis=1, inplace=False)
        array([[0., 5.],
               [5., 0.]])
    """
    if inplace:
        _in_place("put_along_axis", arr, indices, values)
        np.put_along_axis(arr, np.asarray(indices), np.asarray(values), axis)  # type: ignore[arg-type] # (checked: an ndarray)
        return None
    arr = asarray(arr)
    if axis is None:
        arr_flat = ravel(arr)
        return reshape(
            put_along_axis(arr_flat, ravel(asarray(indices)), values, 0, inplace=False), shape(arr)
        )
    axis = normalize_axis(axis, ndim(arr), "put_along_axis")
    idx = asarray(indices)
    if ndim(idx) != ndim(arr):
        raise ValueError("put_along_axis: indices and arr must have the same number of dimensions")
    arr_shape = tuple(shape(arr))
    target = np.broadcast_shapes(
        tuple(shape(idx)), tuple(shape(idx)[k] if k == axis else s for k, s in enumerate(arr_shape))
    )
    idx = broadcast_to(remainder(idx, arr_shape[axis]).astype(np.intp), target)
    strides = [int(np.prod(arr_shape[k + 1 :])) for k in range(len(arr_shape))]
    position = idx * strides[axis]
    for k, size in enumerate(target):
        if k != axis:
            position = (
                position
                + np.arange(size).reshape((1,) * k + (size,) + (1,) * (len(target) - k - 1)) * strides[k]
            )
    v = asarray(values)
    v = broadcast_to(v.astype(arr.dtype) if v.dtype != arr.dtype else v, target)
    return reshape(at(ravel(arr))[ravel(position)].set(ravel(v)), arr_shape)


def _dims(dims: Any, fname: str) -> Any:
    dims = tuple(int(d) for d in np.atleast_1d(dims))
    if any(d < 0 for d in dims):
        raise ValueError(f"{fname}: dimensions must be non-negative")
    return dims


def ravel_multi_index(
    multi_index: Sequence[ArrayLike],
    dims: Shape,
    mode: str | Sequence[str] = "raise",
    order: str | None = "C",
) -> Array:
    """Flat indices of the index tuples `multi_index` into an array of shape `dims`
    (`mode`: `"raise"`, `"wrap"`, `"clip"`, one or one per dimension).

    Args:
        multi_index: Index arrays, one per dimension.
        dims: Shape of the array the indices are into.
        mode: "raise", "wrap" or "clip" (one, or one per dimension).
        order: Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.

    Returns:
        The flat indices.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.ravel_multi_index((fnp.array([1, 2]), fnp.array([0, 3])), (3, 4))
        array([ 4, 11])
    """
    dims = _dims(dims, "ravel_multi_index")
    if len(multi_index) != len(dims):
        raise ValueError(f"ravel_multi_index: parameter multi_index must be a sequence of length {len(dims)}")
    modes = (mode,) * len(dims) if isinstance(mode, str) else tuple(mode)
    strides = np.cumprod((1,) + (dims[::-1] if order == "C" else dims)[:-1])
    strides = strides[::-1] if order == "C" else strides
    flat = 0
    for idx, d, m, s in zip(multi_index, dims, modes, strides, strict=True):
        idx = asarray(idx)
        if idx.dtype.kind not in "iu":
            raise TypeError("ravel_multi_index: only int indices permitted")
        if m == "wrap":
            idx = remainder(idx, d)
        elif m == "clip":
            idx = clip(idx, 0, d - 1)
        elif m == "raise":
            if not isinstance(idx, Tracer) and (np.any(idx < 0) or np.any(idx >= d)):
                raise ValueError("ravel_multi_index: invalid entry in coordinates array")
        else:
            raise ValueError(
                f"ravel_multi_index: clipmode must be one of 'clip', 'raise', or 'wrap', got {m!r}"
            )
        flat = flat + idx.astype(np.intp) * int(s)
    if isinstance(flat, Tracer):
        return flat
    flat = np.asarray(flat)
    return flat[()] if flat.ndim == 0 else flat  # a scalar for scalar indices, as NumPy


def unravel_index(indices: ArrayLike, shape: Shape, order: str | None = "C") -> tuple[Array, ...]:  # noqa: A002 - NumPy's name
    """The index tuples of the flat `indices` into an array of `shape`.

    Args:
        indices: Flat indices.
        shape: Shape of the array the indices are into.
        order: Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.

    Returns:
        A tuple of index arrays, one per dimension of `shape`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unravel_index(fnp.array([4, 11]), (3, 4))
        (array([1, 2]), array([0, 3]))
    """
    dims = _dims(shape, "unravel_index")
    idx = asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError("unravel_index: only int indices permitted")
    size = int(np.prod(dims))
    if not isinstance(idx, Tracer) and (np.any(idx < 0) or np.any(idx >= size)):
        raise ValueError(f"unravel_index: index out of bounds for array with size {size}")
    out = []
    rest = idx.astype(np.intp)
    for d in dims[::-1] if order == "C" else dims:
        out.append(remainder(rest, d))
        rest = rest // d
    return tuple(out[::-1] if order == "C" else out)


# ------------------------------------------------------------------- index objects


class _Concatenator:
    """``r_[...]`` / ``c_[...]``: slices become ranges (a complex step: ``linspace``), arrays
    and scalars are joined along an axis; a leading string ``"axis"``, ``"axis,ndmin"`` or
    ``"axis,ndmin,trans1d"`` (or ``"r"``/``"c"``) chooses how, as NumPy's."""

    def __init__(self, axis: int, ndmin: int, trans1d: Any) -> None:
        self.axis, self.ndmin, self.trans1d = axis, ndmin, trans1d

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, tuple):
            key = (key,)
        axis, ndmin, trans1d, matrix = self.axis, self.ndmin, self.trans1d, None
        pieces = []
        for k, item in enumerate(key):
            if isinstance(item, slice):
                step = 1 if item.step is None else item.step
                start = 0 if item.start is None else item.start
                if isinstance(step, complex):
                    piece = linspace(start, item.stop, int(abs(step)))
                else:
                    piece = arange(start, item.stop, step)
                pieces.append(self._shaped(piece, ndmin, trans1d))
            elif isinstance(item, str):
                if k != 0:
                    raise ValueError("r_/c_: a string directive must come first")
                if item in ("r", "c"):
                    matrix = item
                    continue
                parts = [int(p) for p in item.split(",")]
                axis = parts[0]
                if len(parts) > 1:
                    ndmin = parts[1]
                if len(parts) > 2:
                    trans1d = parts[2]
            else:
                pieces.append(self._shaped(asarray(item), ndmin, trans1d))
        if matrix is not None:
            raise NotImplementedError("r_/c_: the 'r' and 'c' matrix directives are not supported by fad.")
        if not pieces:
            return np.array([])
        dt = np.result_type(*[p.dtype for p in pieces])
        return concatenate([p.astype(dt) for p in pieces], axis=axis)

    @staticmethod
    def _shaped(a: Any, ndmin: int, trans1d: Any) -> Any:
        nd = ndim(a)
        if nd >= ndmin:
            return a
        a = reshape(a, (1,) * (ndmin - nd) + tuple(shape(a)))
        if trans1d != -1 and nd > 0:
            k = trans1d % ndmin if trans1d < 0 else trans1d
            order = list(range(ndmin - nd, ndmin))
            a = moveaxis(a, order, [k + j for j in range(nd)]) if k + nd <= ndmin else a
        return a


r_ = _Concatenator(0, 1, -1)
c_ = _Concatenator(-1, 2, 0)
s_ = np.s_
index_exp = np.index_exp
mgrid = np.mgrid
ogrid = np.ogrid


def _in_place(fname: str, target: Any, *others: Any) -> None:
    """Checks for NumPy's in-place form (`inplace=True`): a plain NumPy array, nothing traced."""
    if isinstance(target, Tracer) or any(isinstance(o, Tracer) for o in others):
        raise TypeError(
            f"{fname}: a traced value cannot be modified in place. Pass inplace=False and use the "
            "returned array (as in jax.numpy)."
        )
    if not isinstance(target, np.ndarray):
        raise TypeError(
            f"{fname}: the array must be a NumPy array to be modified in place; pass inplace=False."
        )


def _cycled(values: Any, n: int) -> Any:
    """``values`` flattened and repeated cyclically to length ``n`` (NumPy's rule for put,
    place and fill_diagonal)."""
    flat = ravel(asarray(values))
    size = int(np.prod(shape(flat)))
    if size == 0:
        raise ValueError("cannot put an empty array of values (there is nothing to repeat)")
    return flat if size == n else take(flat, np.arange(n) % size)


def fill_diagonal(a: ArrayLike, val: ArrayLike, wrap: bool = False, *, inplace: bool = True) -> Array | None:
    """Fill the main diagonal of `a` with `val` (repeated cyclically), as NumPy: `a` 2-d, or
    N-d with equal sides; `wrap` continues the diagonal of a tall matrix below its square
    part. As NumPy, a plain array is modified in place and None returned; with
    `inplace=False` (as `jax.numpy`) the filled copy is returned.

    Args:
        a: The array.
        val: The value or values for the diagonal.
        wrap: For a tall 2-d array, start the diagonal again every `a.shape[1] + 1` rows.
        inplace: Whether a plain NumPy array is modified in place (as NumPy); traced values
            never are.

    Returns:
        The filled array, or None when modified in place.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fill_diagonal(fnp.zeros((2, 3)), 7.0, inplace=False)
        array([[7., 0., 0.],
               [0., 7., 0.]])
    """
    if inplace:
        _in_place("fill_diagonal", a, val)
        np.fill_diagonal(a, np.asarray(val), wrap)  # type: ignore[arg-type] # (checked: an ndarray)
        return None
    arr = asarray(a)
    sh = tuple(shape(arr))
    if len(sh) < 2 or (len(sh) > 2 and len(set(sh)) != 1):
        raise ValueError("fill_diagonal: the array must be at least 2-d, and of equal sides beyond 2-d.")
    if len(sh) == 2:
        step = sh[1] + 1
        end = None if wrap else sh[1] * sh[1]
    else:
        step = 1 + int(np.sum(np.cumprod(sh[:-1])))
        end = None
    idx = np.arange(int(np.prod(sh)))[:end:step]
    flat = at(ravel(arr))[idx].set(_cycled(val, len(idx)).astype(arr.dtype))
    return reshape(flat, sh)


def put(
    a: ArrayLike, ind: ArrayLike, v: ArrayLike, mode: str = "raise", *, inplace: bool = True
) -> Array | None:
    """Set the entries of the flattened `a` at `ind` to `v` (repeated cyclically), as
    NumPy's `put`; with `inplace=False` (as `jax.numpy`) the updated copy is returned.

    Args:
        a: The array.
        ind: Flat indices.
        v: The values.
        mode: Out-of-range indices: `"raise"`, `"wrap"` (modulo the size) or `"clip"`.
        inplace: Whether a plain NumPy array is modified in place (as NumPy); traced values
            never are.

    Returns:
        The updated array, or None when modified in place.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.put(fnp.zeros(4), [0, 2], [1.0, 2.0], inplace=False)
        array([1., 0., 2., 0.])
    """
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"put: mode must be 'raise', 'wrap' or 'clip', got {mode!r}.")
    if inplace:
        _in_place("put", a, ind, v)
        np.put(a, np.asarray(ind), np.asarray(v), mode)  # type: ignore[arg-type]
        return None
    arr = asarray(a)
    sh = tuple(shape(arr))
    n = int(np.prod(sh))
    idx = ravel(asarray(ind))
    if mode == "wrap":
        idx = remainder(idx, n)
    elif mode == "clip":
        idx = clip(idx, 0, n - 1)
    else:
        concrete = concrete_value(idx, "put")
        if np.any((concrete < -n) | (concrete >= n)):
            raise IndexError(
                f"put: an index is out of range for an array of size {n}; pass mode='wrap' or 'clip'."
            )
    count = int(np.prod(shape(idx)))
    if count == 0:
        return arr
    flat = at(ravel(arr))[idx].set(_cycled(v, count).astype(arr.dtype))
    return reshape(flat, sh)


def place(arr: ArrayLike, mask: ArrayLike, vals: ArrayLike, *, inplace: bool = True) -> Array | None:
    """Set the entries of `arr` where `mask` is true to the values of `vals` in order
    (repeated cyclically), as NumPy's `place`; with `inplace=False` (as `jax.numpy`) the
    updated copy is returned. The result's shape does not depend on `mask`, so the mask
    may be traced too.

    Args:
        arr: The array.
        mask: A boolean array of `arr`'s shape.
        vals: The values, used in order.
        inplace: Whether a plain NumPy array is modified in place (as NumPy); traced values
            never are.

    Returns:
        The updated array, or None when modified in place.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.place(fnp.arange(5.0), fnp.arange(5) % 2 == 1, [10.0, 20.0], inplace=False)
        array([ 0., 10.,  2., 20.,  4.])
    """
    if inplace:
        _in_place("place", arr, mask, vals)
        np.place(arr, np.asarray(mask), np.asarray(vals))  # type: ignore[arg-type] # (checked: an ndarray)
        return None
    a = asarray(arr)
    m = asarray(mask)
    if tuple(shape(m)) != tuple(shape(a)):
        raise ValueError(
            f"place: mask has shape {tuple(shape(m))}, and arr {tuple(shape(a))}; they must be equal."
        )
    v = ravel(asarray(vals))
    size = int(np.prod(shape(v)))
    if size == 0:
        return a
    # the k-th true entry (k = running count - 1) takes vals[k % size]
    k = remainder(cumsum(ravel(m).astype(np.int64)) - 1, size)
    return where(m, reshape(take(v, k), tuple(shape(a))).astype(a.dtype), a)
