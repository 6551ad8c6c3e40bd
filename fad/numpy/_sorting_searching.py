# mypy: allow-redefinition-new, local-partial-types
"""Sorting, searching and counting (NumPy's "Sorting, searching, and counting"): ``sort``,
``argsort``, ``argmax``, ``argmin`` (and their ``nan`` forms), ``argwhere``,
``flatnonzero``, ``searchsorted`` and ``count_nonzero``. ``sort`` differentiates (it permutes
the cotangents back); the others give integer indices or counts (no derivative).
``searchsorted`` compares every value with every edge, so it batches under ``vmap`` and
runs under ``jit``; ``argwhere`` and ``flatnonzero`` have a value-dependent shape and, like
``nonzero``, need a concrete argument. ``nanargmax``/``nanargmin`` raise NumPy's
``ValueError`` on an all-NaN slice of a concrete array; on a value batched by ``vmap`` or
staged by ``jit`` such a slice gives -1, as in JAX."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as st
from fad._core import Tracer
from fad._prims import astype, reduce_sum
from fad._prims import scans as sc
from fad.numpy._creation import asarray
from fad.numpy._indexing import take, where
from fad.numpy._logic import all, isnan, less, less_equal, logical_and, logical_not, logical_or
from fad.numpy._reducing import _arr, _count
from fad.numpy._sums_products_differences import sum
from fad.numpy._util import check_arraylike, document, is_traced, ndim, normalize_axes, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fad.numpy._util import ArgReduction, Axis
    from fad.typing import Array, ArrayLike

# ---------------------------------------------------------------------------- sorting


def _flat_axis(a: Any, axis: int) -> Any:
    """``(a, axis)`` with ``axis=None`` meaning the flattened array."""
    if axis is None:
        return st.reshape(a, (_count(a, tuple(range(ndim(a)))),)), 0
    return a, axis


def sort(
    a: ArrayLike,
    axis: int = -1,
    kind: str | None = None,
    order: str | None = None,
    *,
    stable: bool | None = None,
) -> Array:
    """Sorted copy of `a` along `axis`. Its derivative permutes the cotangents back.

    Args:
        a: Input array.
        axis: Axis to sort along (None: the flattened array).
        kind: Sorting algorithm, as NumPy (fad always sorts stably).
        order: Not supported (the field order of structured arrays): must be None.
        stable: Whether equal elements keep their order (fad's sorts always do).

    Returns:
        The sorted array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(lambda x: fnp.sort(x)[0])(fnp.array([3.0, 1.0, 2.0]))
        array([0., 1., 0.])
    """
    if order is not None:
        raise NotImplementedError("fad.numpy.sort does not support order= (structured arrays).")
    a, axis = _flat_axis(_arr(a), axis)
    axis = normalize_axis(axis, ndim(a), "sort")
    return sc.gather(a, sc.argsort(a, axis, "stable"), axis)


def sort_complex(a: ArrayLike) -> Array:
    """`a` sorted along its last axis, real part first, then imaginary part, as a complex
    array (real inputs too, as NumPy). Its derivative permutes the cotangents back.

    Args:
        a: Input array.

    Returns:
        The sorted complex array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.sort_complex(fnp.array([1 + 2j, 1 - 1j, 0.5j]))
        array([0.+0.5j, 1.-1.j , 1.+2.j ])
    """
    a = _arr(a)
    dt = np.sort_complex(np.zeros(1, a.dtype if hasattr(a, "dtype") else np.result_type(a))).dtype
    return sort(st.astype(a, dt), axis=-1)


def argsort(
    a: ArrayLike,
    axis: int = -1,
    kind: str | None = None,
    order: str | None = None,
    *,
    stable: bool | None = None,
) -> Array:
    """Indices that sort `a` along `axis` (not differentiable).

    Args:
        a: Input array.
        axis: Axis to sort along (None: the flattened array).
        kind: Sorting algorithm, as NumPy (fad always sorts stably).
        order: Not supported (the field order of structured arrays): must be None.
        stable: Whether equal elements keep their order (fad's sorts always do).

    Returns:
        Integer indices, shaped like `a`.
    """
    if order is not None:
        raise NotImplementedError("fad.numpy.argsort does not support order= (structured arrays).")
    a = _arr(a)
    if ndim(a) == 0:  # as NumPy: a 0-d array sorts as a 1-d one
        a = st.reshape(a, (1,))
    a, axis = _flat_axis(a, axis)
    kind = "stable" if stable else kind
    return sc.argsort(a, normalize_axis(axis, ndim(a), "argsort"), kind)


# -------------------------------------------------------------------------- searching


def _arg_extreme(prim_fn: Any, name: str) -> ArgReduction:
    def f(a: ArrayLike, axis: int | None = None, out: None = None, *, keepdims: bool = False) -> Array:
        if out is not None:
            raise NotImplementedError(f"fad.numpy.{name} does not support out=; use the return value.")
        a = _arr(a)
        nd = ndim(a)
        if axis is None:
            r = prim_fn(st.reshape(a, (_count(a, tuple(range(nd))),)), 0)
            return st.reshape(r, (1,) * nd) if keepdims else r
        return prim_fn(a, normalize_axis(axis, nd, name), keepdims)

    f.__name__ = f.__qualname__ = name
    document(
        f,
        f"Index of the {name[3:]}imum along `axis` (the first at ties; not differentiable).",
        "Integer indices: `a` with `axis` removed (kept with length 1 if `keepdims`); one index into "
        "the flattened array if `axis` is None.",
        axis="Axis to search along; None searches the flattened array.",
    )
    return f


argmax = _arg_extreme(sc.argmax, "argmax")


def _nan_arg_extreme(arg: ArgReduction, fill: Any, name: str) -> ArgReduction:
    def f(a: ArrayLike, axis: int | None = None, out: None = None, *, keepdims: bool = False) -> Array:
        if out is not None:
            raise NotImplementedError(f"fad.numpy.{name} does not support out=; use the return value.")
        a = asarray(a)
        if a.dtype.kind not in "fc":
            return arg(a, axis, keepdims=keepdims)
        nan = isnan(a)
        index = arg(where(nan, fill, a), axis, keepdims=keepdims)
        all_nan = all(nan, axis=axis, keepdims=keepdims)
        if not is_traced(all_nan):
            if np.any(all_nan):
                raise ValueError(f"{name}: All-NaN slice encountered.")
            return index
        return where(all_nan, -1, index)

    f.__name__ = f.__qualname__ = name
    return f


nanargmax = _nan_arg_extreme(argmax, -np.inf, "nanargmax")
document(
    nanargmax,
    """Index of the maximum along `axis`, ignoring NaNs (an all-NaN slice is an error).

    >>> import fad.numpy as fnp
    >>> fnp.nanargmax(fnp.array([2.0, fnp.nan, 3.0]))
    np.int64(2)
    """,
    "Integer indices, as `argmax`.",
    axis="Axis to search along; None searches the flattened array.",
)

argmin = _arg_extreme(sc.argmin, "argmin")
nanargmin = _nan_arg_extreme(argmin, np.inf, "nanargmin")
document(
    nanargmin,
    """Index of the minimum along `axis`, ignoring NaNs (an all-NaN slice is an error).

    >>> import fad.numpy as fnp
    >>> fnp.nanargmin(fnp.array([2.0, fnp.nan, 3.0]))
    np.int64(0)
    """,
    "Integer indices, as `argmin`.",
    axis="Axis to search along; None searches the flattened array.",
)


def argwhere(a: ArrayLike) -> Array:
    """The indices of the non-zero elements, one row per element (of a concrete value, as
    for `nonzero`: the result's shape depends on the values).

    Args:
        a: Input array.

    Returns:
        An integer array of shape `(N, a.ndim)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.argwhere(fnp.array([[0.0, 1.0], [2.0, 0.0]]))
        array([[0, 1],
               [1, 0]])
    """
    return np.argwhere(a._concrete("argwhere") if isinstance(a, Tracer) else check_arraylike(a))


def flatnonzero(a: ArrayLike) -> Array:
    """The indices of the non-zero elements of the flattened array (of a concrete value).

    Args:
        a: Input array.

    Returns:
        A 1-d integer array of indices.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.flatnonzero(fnp.array([[0.0, 1.0], [2.0, 0.0]]))
        array([1, 2])
    """
    return np.flatnonzero(a._concrete("flatnonzero") if isinstance(a, Tracer) else check_arraylike(a))


def _one_dimensional(x: Any, fname: str, what: str) -> Any:
    x = asarray(x)
    if ndim(x) != 1:
        raise ValueError(f"{fname}: {what} must be 1-d, got shape {shape(x)}.")
    return x


def searchsorted(a: ArrayLike, v: ArrayLike, side: str = "left", sorter: ArrayLike | None = None) -> Array:
    """Where to insert `v` into the sorted 1-d `a` to keep it sorted (`side="right"`:
    after equal entries).

    Args:
        a: Sorted 1-d array.
        v: Values to insert.
        side: "left": before equal entries; "right": after them.
        sorter: Indices that sort `a`, if it is not sorted itself.

    Returns:
        Integer insertion indices, shaped like `v`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.searchsorted(fnp.array([1.0, 2.0, 3.0]), fnp.array([2.0, 0.5, 9.0]))
        array([1, 0, 3])
    """
    a = _one_dimensional(a, "searchsorted", "a")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}.")
    if sorter is not None:
        a = take(a, asarray(sorter))
    v = asarray(v)[..., None]
    if side == "left":  # the entries that go before v; NaN sorts last, as in NumPy
        before = logical_or(less(a, v), logical_and(isnan(v), logical_not(isnan(a))))
    else:
        before = logical_or(less_equal(a, v), isnan(v))
    return sum(before, axis=-1).astype(np.intp)


# --------------------------------------------------------------------------- counting


def count_nonzero(a: ArrayLike, axis: Axis = None, *, keepdims: bool = False) -> Array:
    """Number of non-zero elements along `axis` (not differentiable).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.

    Returns:
        The number of non-zero elements (an integer array over the kept axes).
    """
    a = _arr(a)
    axes = normalize_axes(axis, ndim(a), "count_nonzero")
    return reduce_sum(astype(ew.ne(a, 0), np.intp), axes=axes, keepdims=keepdims)


def lexsort(keys: Sequence[ArrayLike], axis: int = -1) -> Array:
    """Indices that sort by several keys, the last key first (a stable sort per key; not
    differentiable). Works under every transform.

    Args:
        keys: Sort keys (a sequence of 1-d arrays, or a 2-d array of rows), the last one primary.
        axis: Axis to sort along.

    Returns:
        Integer indices that sort the keys.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.lexsort([fnp.array([3.0, 1.0, 2.0]), fnp.array([1.0, 0.0, 1.0])])
        array([1, 2, 0])
    """
    if isinstance(keys, Tracer) or isinstance(keys, np.ndarray):
        keys = [keys[i] for i in range(shape(keys)[0])]
    keys = [asarray(k) for k in keys]
    if not keys:
        raise TypeError("lexsort: need sequence of keys with len > 0 in lexsort")
    idx = sc.argsort(keys[0], normalize_axis(axis, ndim(keys[0]), "lexsort"), "stable")
    ax = normalize_axis(axis, ndim(keys[0]), "lexsort")
    for k in keys[1:]:
        order = sc.argsort(sc.gather(k, idx, ax), ax, "stable")
        idx = sc.gather(idx, order, ax)
    return idx


def _kth_checked(kth: Any, n: Any, fname: str) -> None:
    for k in np.atleast_1d(np.asarray(kth)):
        if not -n <= int(k) < n:
            raise ValueError(f"{fname}: kth(={int(k)}) out of bounds ({n})")


def partition(
    a: ArrayLike, kth: ArrayLike, axis: int = -1, kind: str = "introselect", order: str | None = None
) -> Array:
    """A copy of `a` with the `kth` element(s) in their sorted places along `axis`, the
    smaller ones before, the larger after. fad sorts fully (a valid partition; NumPy leaves the
    order within the two sides unspecified). Its derivative permutes the cotangents back.

    Args:
        a: Input array.
        kth: Index or indices of the element(s) to put in their sorted place.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        kind: Sorting algorithm, as NumPy (fad always sorts stably).
        order: Not supported (the field order of structured arrays): must be None.

    Returns:
        The partitioned array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.partition(fnp.array([3.0, 1.0, 4.0, 2.0]), 1)[1]
        np.float64(2.0)
    """
    a, axis = _flat_axis(_arr(a), axis)
    _kth_checked(kth, shape(a)[normalize_axis(axis, ndim(a), "partition")], "partition")
    return sort(a, axis=axis, order=order)


def argpartition(
    a: ArrayLike, kth: ArrayLike, axis: int = -1, kind: str = "introselect", order: str | None = None
) -> Array:
    """Indices that partition `a` around its `kth` element(s) (see `partition`;
    not differentiable).

    Args:
        a: Input array.
        kth: Index or indices of the element(s) to put in their sorted place.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        kind: Sorting algorithm, as NumPy (fad always sorts stably).
        order: Not supported (the field order of structured arrays): must be None.

    Returns:
        Integer indices, shaped like `a`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.argpartition(fnp.array([3.0, 1.0, 4.0, 2.0]), 1)[1]
        np.int64(3)
    """
    a, axis = _flat_axis(_arr(a), axis)
    _kth_checked(kth, shape(a)[normalize_axis(axis, ndim(a), "argpartition")], "argpartition")
    return argsort(a, axis=axis, kind="stable", order=order)
