# mypy: allow-redefinition-new, local-partial-types
"""Set routines (NumPy's "Set routines"): ``unique`` and its array-API forms, ``isin``,
``intersect1d``, ``setdiff1d``, ``setxor1d`` and ``union1d``.

Which elements a set operation keeps depends on the values, so these read a concrete
value (they work under ``grad``, ``jvp`` and ``vjp``, and raise a clear error under ``vmap``
and ``jit``, like ``nonzero``); the values they return are then gathered from the inputs, so
their derivative is that of the gather: each unique value receives the derivative of the
element it was taken from (NumPy's ``return_index``). ``isin`` compares every element with
every test element and works under every transform.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from fad._core import Tracer
from fad._prims import indexing as ix
from fad.numpy._creation import asarray
from fad.numpy._indexing import take, where
from fad.numpy._joining import concatenate
from fad.numpy._logic import any, equal, isnan, logical_and, logical_not, logical_or
from fad.numpy._shape_manipulation import ravel, reshape
from fad.numpy._sorting_searching import argsort
from fad.numpy._sums_products_differences import cumsum, sum
from fad.numpy._util import concrete_value, ndim, normalize_axis, shape

if TYPE_CHECKING:
    from fad.numpy._util import Axis
    from fad.typing import Array, ArrayLike


class UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array


def unique(
    ar: ArrayLike,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: Axis = None,
    *,
    equal_nan: bool = True,
    sorted: bool = True,
    size: int | None = None,
    fill_value: ArrayLike | None = None,
) -> Array:
    """The sorted unique elements of `ar` (or unique slices along `axis`), optionally with
    NumPy's indices, inverse and counts. The values are gathered from `ar` at the first
    occurrence of each, so the derivative of a unique value is that of this element.

    How many there are depends on the values, so `ar` is read as a concrete value, which a
    value batched by `vmap` or staged by `jit` does not have. There, give `size` (as in
    JAX): the result then has `size` entries, the unique values first and `fill_value`
    (by default the smallest value) after them, and works under every transform.

    Args:
        ar: Input array.
        return_index: Also return the index of each unique value's first occurrence in `ar`.
        return_inverse: Also return the indices that rebuild `ar` from the unique values.
        return_counts: Also return how often each unique value occurs.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        equal_nan: Whether NaNs compare equal to each other.
        sorted: Accepted for NumPy compatibility: the result is always sorted.
        size: Fixed number of unique values to return (pads with `fill_value`): works under `vmap` and `jit`.
        fill_value: Fill value.

    Returns:
        The unique values (with the index, inverse and counts arrays asked for, as a tuple).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.unique(fnp.array([3.0, 1.0, 3.0, 2.0]))
        array([1., 2., 3.])
        >>> fad.grad(lambda x: fnp.unique(x) @ fnp.array([1.0, 10.0, 100.0]))(fnp.array([3.0, 1.0, 3.0, 2.0]))
        array([100.,   1.,   0.,  10.])
        >>> batch = fnp.array([[1.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
        >>> fad.vmap(lambda x: fnp.unique(x, size=3, fill_value=0.0))(batch)
        array([[1., 2., 0.],
               [3., 4., 5.]])
    """
    ar = asarray(ar)
    if size is not None:
        if axis is not None:
            raise NotImplementedError("fad.numpy.unique: size= is supported with axis=None only.")
        return _unique_sized(
            ar, int(size), fill_value, equal_nan, return_index, return_inverse, return_counts
        )
    value = concrete_value(ar, "unique")
    _, index, inverse, counts = np.unique(  # type: ignore[call-overload]
        value, return_index=True, return_inverse=True, return_counts=True, axis=axis, equal_nan=equal_nan
    )
    if axis is None:
        values = take(ravel(ar), index)
    else:
        values = take(ar, index, axis=normalize_axis(axis, ndim(ar), "unique"))
    extra = [
        r
        for r, wanted in ((index, return_index), (inverse, return_inverse), (counts, return_counts))
        if wanted
    ]
    return (values, *extra) if extra else values


def _unique_sized(
    ar: Any,
    size: Any,
    fill_value: Any,
    equal_nan: bool,
    return_index: bool,
    return_inverse: bool,
    return_counts: bool,
) -> Any:
    """``unique`` with a static number of results, from a sort and a scan (no concrete value):
    the first entry of each run of equal sorted values starts a unique value."""
    if size < 1:
        raise ValueError(f"fad.numpy.unique: size must be positive, got {size}.")
    flat = ravel(ar)
    n = shape(flat)[0]
    if n == 0:
        raise ValueError(
            "fad.numpy.unique: size= needs a non-empty array (fill_value has nothing to follow)."
        )
    perm = argsort(flat, kind="stable")  # NaNs last; equal values keep their order
    s = take(flat, perm)
    same = equal(s[1:], s[:-1])
    if equal_nan and s.dtype.kind in "fc":
        same = logical_or(same, logical_and(isnan(s[1:]), isnan(s[:-1])))
    first = concatenate([np.ones(1, bool), logical_not(same)])
    rank = cumsum(first) - 1
    slot = where(logical_and(first, rank < size), rank, size)  # past the end: dropped
    first_pos = ix.scatter_add(where(first, perm, 0), slot, shape=(size + 1,))[:size]
    count = sum(first)
    valid = np.arange(size) < count
    values = take(flat, first_pos)
    values = where(valid, values, values[0] if fill_value is None else fill_value)
    extra = []
    if return_index:
        extra.append(first_pos)
    if return_inverse:
        extra.append(reshape(ix.scatter_add(rank, perm, shape=(n,)), shape(ar)))
    if return_counts:
        extra.append(
            ix.scatter_add(np.ones(n, np.intp), where(rank < size, rank, size), shape=(size + 1,))[:size]
        )
    return (values, *extra) if extra else values


def unique_values(x: ArrayLike) -> Array:
    """The unique elements of `x`, flattened and sorted (the array API's `unique_values`).

    Args:
        x: Input array.

    Returns:
        A sorted 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unique_values(fnp.array([[2.0, 1.0], [2.0, 5.0]]))
        array([1., 2., 5.])
    """
    return unique(x, equal_nan=False)


def unique_counts(x: ArrayLike) -> UniqueCountsResult:
    """The unique elements of `x` and how often each occurs.

    Args:
        x: Input array.

    Returns:
        A named tuple `(values, counts)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unique_counts(fnp.array([2.0, 1.0, 2.0])).counts
        array([1, 2])
    """
    values, counts = unique(x, return_counts=True, equal_nan=False)
    return UniqueCountsResult(values, counts)


def unique_inverse(x: ArrayLike) -> UniqueInverseResult:
    """The unique elements of `x` and, for each element of `x`, the index of its value
    among them (shaped like `x`).

    Args:
        x: Input array.

    Returns:
        A named tuple `(values, inverse_indices)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unique_inverse(fnp.array([2.0, 1.0, 2.0])).inverse_indices
        array([1, 0, 1])
    """
    values, inverse = unique(x, return_inverse=True, equal_nan=False)
    return UniqueInverseResult(values, reshape(inverse, shape(x)))


def unique_all(x: ArrayLike) -> UniqueAllResult:
    """The unique elements of `x` with their first indices, the inverse (shaped like `x`)
    and the counts.

    Args:
        x: Input array.

    Returns:
        A named tuple `(values, indices, inverse_indices, counts)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unique_all(fnp.array([2.0, 1.0, 2.0])).indices
        array([1, 0])
    """
    values, index, inverse, counts = unique(
        x, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    return UniqueAllResult(values, index, reshape(inverse, shape(x)), counts)


def isin(
    element: ArrayLike,
    test_elements: ArrayLike,
    assume_unique: bool = False,
    invert: bool = False,
    *,
    kind: str | None = None,
) -> Array:
    """Whether each element of `element` is among `test_elements` (a boolean array shaped
    like `element`; not differentiable). It compares every pair, so it batches under
    `vmap` and stages under `jit`.

    Args:
        element: Input array.
        test_elements: Values to look for.
        assume_unique: Accepted for NumPy compatibility: the inputs may be assumed unique.
        invert: Return the opposite: whether each element is not among `test_elements`.
        kind: Sorting algorithm, as NumPy (fad always sorts stably).

    Returns:
        A boolean array shaped like `element`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.isin(fnp.array([1.0, 2.0, 3.0]), [3.0, 1.0])
        array([ True, False,  True])
    """
    element, test = asarray(element), ravel(asarray(test_elements))
    found = any(equal(element[..., None], test), axis=-1)
    found = logical_not(found) if invert else found
    return found if isinstance(found, Tracer) else np.asarray(found)  # 0-d for a scalar, as NumPy


def _flat(ar: Any) -> Any:
    return ravel(asarray(ar))


def intersect1d(
    ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False, return_indices: bool = False
) -> Array:
    """The sorted values found in both `ar1` and `ar2` (gathered from `ar1`), optionally
    with their first indices in each.

    Args:
        ar1: First input array.
        ar2: Second input array.
        assume_unique: Accepted for NumPy compatibility: the inputs may be assumed unique.
        return_indices: Also return the indices of the common values in `ar1` and `ar2`.

    Returns:
        The common values (with their indices in `ar1` and `ar2` if `return_indices`).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.intersect1d(fnp.array([3.0, 1.0, 2.0]), fnp.array([2.0, 3.0, 5.0]))
        array([2., 3.])
    """
    a1, a2 = _flat(ar1), _flat(ar2)
    _, i1, i2 = np.intersect1d(
        concrete_value(a1, "intersect1d"),
        concrete_value(a2, "intersect1d"),
        assume_unique,
        return_indices=True,
    )
    values = take(a1, i1)
    return (values, i1, i2) if return_indices else values


def setdiff1d(ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False) -> Array:
    """The unique values of `ar1` that are not in `ar2` (gathered from `ar1`).

    Args:
        ar1: First input array.
        ar2: Second input array.
        assume_unique: Accepted for NumPy compatibility: the inputs may be assumed unique.

    Returns:
        A sorted 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.setdiff1d(fnp.array([3.0, 1.0, 2.0, 1.0]), fnp.array([2.0]))
        array([1., 3.])
    """
    a1, a2 = _flat(ar1), _flat(ar2)
    v1, v2 = concrete_value(a1, "setdiff1d"), concrete_value(a2, "setdiff1d")
    if assume_unique:
        keep = np.flatnonzero(~np.isin(v1, v2))
    else:
        _, first = np.unique(v1, return_index=True)
        keep = first[~np.isin(v1[first], v2)]
    return take(a1, keep)


def setxor1d(ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False) -> Array:
    """The sorted unique values in exactly one of `ar1` and `ar2`.

    Args:
        ar1: First input array.
        ar2: Second input array.
        assume_unique: Accepted for NumPy compatibility: the inputs may be assumed unique.

    Returns:
        A sorted 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.setxor1d(fnp.array([1.0, 2.0, 3.0]), fnp.array([2.0, 4.0]))
        array([1., 3., 4.])
    """
    both = concatenate([_flat(ar1), _flat(ar2)])
    v1, v2 = (
        np.unique(concrete_value(_flat(ar1), "setxor1d")),
        np.unique(concrete_value(_flat(ar2), "setxor1d")),
    )
    value = concrete_value(both, "setxor1d")
    _, first = np.unique(value, return_index=True)
    keep = first[np.isin(value[first], v1) != np.isin(value[first], v2)]
    return take(both, keep)


def union1d(ar1: ArrayLike, ar2: ArrayLike) -> Array:
    """The sorted unique values in either of `ar1` and `ar2`.

    Args:
        ar1: First input array.
        ar2: Second input array.

    Returns:
        A sorted 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.union1d(fnp.array([3.0, 1.0]), fnp.array([2.0, 3.0]))
        array([1., 2., 3.])
    """
    return unique(concatenate([_flat(ar1), _flat(ar2)]))


__all__ = [
    "intersect1d",
    "isin",
    "setdiff1d",
    "setxor1d",
    "union1d",
    "unique",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
]
