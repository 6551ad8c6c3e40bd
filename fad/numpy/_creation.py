# mypy: allow-redefinition-new, local-partial-types
"""Array creation (NumPy's "Array creation routines"): from shape or value, and from
existing data. Constants need no rules; ``array``/``asarray`` may gather traced values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._backend import backend_of, box_input
from fad._core import Tracer
from fad._structural import astype, broadcast_to
from fad._tree import tree_leaves
from fad.numpy._util import as_array, check_arraylike, concrete_value, not_an_array
from fad.numpy._util import shape as shape_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from numpy.typing import DTypeLike

    from fad.numpy._util import Shape
    from fad.typing import Array, ArrayLike


def _lists(a: Any) -> Any:
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in tree_leaves(a)):
        return asarray(a)
    return a


# ---------------------------------------------------------------- from shape or value


def empty(shape: Shape, dtype: DTypeLike | None = None) -> Array:
    """Like `zeros`: fad never exposes uninitialised memory.

    Args:
        shape: Shape of the result (an int or a tuple of ints).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        An array of zeros of the given shape and dtype.
    """
    return zeros(shape, dtype)


def empty_like(a: ArrayLike, dtype: DTypeLike | None = None, shape: Shape | None = None) -> Array:
    """Like `zeros_like`.

    Args:
        a: Array whose shape and dtype the result takes.
        dtype: Data type of the result; None keeps NumPy's default.
        shape: Shape of the result (an int or a tuple of ints).

    Returns:
        An array of zeros shaped like `a`.
    """
    return zeros_like(a, dtype, shape)


def eye(N: int, M: int | None = None, k: int = 0, dtype: DTypeLike = float) -> Array:
    """A 2-D array with ones on the `k`-th diagonal.

    Args:
        N: Number of rows.
        M: Number of columns (default: `N`).
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The `N` x `M` array.
    """
    return np.eye(N, M, k, dtype=dtype)


def identity(n: int, dtype: DTypeLike = float) -> Array:
    """The `n` by `n` identity matrix.

    Args:
        n: Number of rows and columns.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The identity matrix.
    """
    return np.identity(n, dtype=dtype)


_INT = frozenset({int})


def _shape_arg(shape: Any) -> Any:
    if type(shape) is tuple and _INT.issuperset(map(type, shape)):  # the common case
        return shape
    if isinstance(shape, Tracer):
        raise TypeError("The shape of a new array must be concrete, got a traced value.")
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)


def ones(shape: Shape, dtype: DTypeLike | None = None) -> Array:
    """A new array of ones (float64 by default).

    Args:
        shape: Shape of the result (an int or a tuple of ints).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The array of ones.
    """
    return np.ones(_shape_arg(shape), float if dtype is None else dtype)


def _like_args(a: Any, dtype: DTypeLike | None, shape: Any) -> Any:
    a = _lists(a)
    if isinstance(a, Tracer):
        pass
    elif backend_of(a) is not None:  # another library's array: its shape and dtype, nothing computed
        a = box_input(a)
    else:
        a = np.asarray(check_arraylike(a))
    if shape is None:
        shape = tuple(shape_of(a))
    if dtype is None:
        dtype = a.dtype
    return shape, dtype


def ones_like(a: ArrayLike, dtype: DTypeLike | None = None, shape: Shape | None = None) -> Array:
    """Ones with the shape and dtype of `a` (of its array library).

    Args:
        a: Array whose shape and dtype the result takes.
        dtype: Data type of the result; None keeps NumPy's default.
        shape: Shape of the result (an int or a tuple of ints).

    Returns:
        An array of ones shaped like `a`.
    """
    s, d = _like_args(a, dtype, shape)
    b = backend_of(a)
    return np.ones(s, d) if b is None else b.full(s, 1, d)


def zeros(shape: Shape, dtype: DTypeLike | None = None) -> Array:
    """A new array of zeros (float64 by default).

    Args:
        shape: Shape of the result (an int or a tuple of ints).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The array of zeros.
    """
    return np.zeros(_shape_arg(shape), float if dtype is None else dtype)


def zeros_like(a: ArrayLike, dtype: DTypeLike | None = None, shape: Shape | None = None) -> Array:
    """Zeros with the shape and dtype of `a` (a constant, even when `a` is traced), of
    its array library.

    Args:
        a: Array whose shape and dtype the result takes.
        dtype: Data type of the result; None keeps NumPy's default.
        shape: Shape of the result (an int or a tuple of ints).

    Returns:
        An array of zeros shaped like `a`.
    """
    s, d = _like_args(a, dtype, shape)
    b = backend_of(a)
    return np.zeros(s, d) if b is None else b.full(s, 0, d)


def full(shape: Shape, fill_value: ArrayLike, dtype: DTypeLike | None = None) -> Array:
    """A new array filled with `fill_value`, which may be traced (then so is the result).

    Args:
        shape: Shape of the result (an int or a tuple of ints).
        fill_value: Fill value (may be traced).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The filled array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(lambda v: fnp.full((2, 3), v).sum())(1.0)
        np.float64(6.0)
    """
    shape = _shape_arg(shape)
    fill_value = _lists(fill_value)
    if isinstance(fill_value, Tracer):
        v = fill_value if dtype is None else astype(fill_value, dtype)
        return broadcast_to(v, shape)
    return np.full(shape, check_arraylike(fill_value), dtype)


def full_like(
    a: ArrayLike, fill_value: ArrayLike, dtype: DTypeLike | None = None, shape: Shape | None = None
) -> Array:
    """`fill_value` (possibly traced) with the shape and dtype of `a`.

    Args:
        a: Input array.
        fill_value: Fill value (may be traced).
        dtype: Data type of the result; None keeps NumPy's default.
        shape: Shape of the result (an int or a tuple of ints).

    Returns:
        An array shaped like `a` filled with `fill_value`.
    """
    s, d = _like_args(a, dtype, shape)
    b = backend_of(a)
    if b is not None and not isinstance(fill_value, Tracer) and np.ndim(fill_value) == 0:
        return b.full(s, fill_value, d)
    return full(s, fill_value, d)


# ----------------------------------------------------------------- from existing data


def array(a: ArrayLike, dtype: DTypeLike | None = None, copy: bool | None = True) -> Array:
    """Like `numpy.array`; traced values stay traced (they are immutable, so never copied).

    Args:
        a: Array, scalar, nested sequence or traced value.
        dtype: Data type of the result; None keeps NumPy's default.
        copy: Accepted for NumPy compatibility (traced values are immutable, never copied).

    Returns:
        An array (a traced value stays traced).
    """
    if isinstance(a, Tracer) or (
        isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in tree_leaves(a))
    ):
        return asarray(a, dtype)
    out = np.array(a, dtype=dtype, copy=copy)
    if out.dtype.kind == "O":
        raise not_an_array(a)
    return out


def asarray(a: ArrayLike, dtype: DTypeLike | None = None) -> Array:
    """Convert `a` to an array, keeping traced values traced.

    Nested lists may mix traced values and numbers:

    Args:
        a: Array, scalar, nested sequence (may hold traced values) or traced value.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        An array (a traced value stays traced).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(lambda x: fnp.asarray([x, 2 * x, 3.0]).sum())(1.0)
        np.float64(3.0)
    """
    return as_array(a, dtype)


def copy(a: ArrayLike) -> Array:
    """A copy of `a` (traced values are immutable, so under a transform it is `a` itself).

    Args:
        a: Input array.

    Returns:
        The copy.

    Examples:
        >>> import fad.numpy as fnp
        >>> x = fnp.array([1.0, 2.0])
        >>> y = fnp.copy(x)
        >>> y is x, y
        (False, array([1., 2.]))
    """
    return array(a)


def asanyarray(a: ArrayLike, dtype: DTypeLike | None = None, order: str | None = None) -> Array:
    """`asarray` (fad has no array subclasses to keep).

    Args:
        a: Input array.
        dtype: Data type of the result; None keeps NumPy's default.
        order: Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.

    Returns:
        An array (a traced value stays traced).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.asanyarray([1.0, 2.0])
        array([1., 2.])
    """
    return asarray(a, dtype)


def ascontiguousarray(a: ArrayLike, dtype: DTypeLike | None = None) -> Array:
    """`a` as an array of at least one dimension (traced values are contiguous already).

    Args:
        a: Input array.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        An array of at least one dimension.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.ascontiguousarray(3.0)
        array([3.])
    """
    a = asarray(a, dtype)
    if isinstance(a, Tracer):
        return a if a.ndim else a.reshape((1,))
    return np.ascontiguousarray(a)


def asfortranarray(a: ArrayLike, dtype: DTypeLike | None = None) -> Array:
    """`a` as an array of at least one dimension (the memory order of a traced value is
    NumPy's business; its values are the same).

    Args:
        a: Input array.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        An array of at least one dimension.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.asfortranarray([[1.0, 2.0]])
        array([[1., 2.]])
    """
    a = asarray(a, dtype)
    if isinstance(a, Tracer):
        return a if a.ndim else a.reshape((1,))
    return np.asfortranarray(a)


def asarray_chkfinite(a: ArrayLike, dtype: DTypeLike | None = None, order: str | None = None) -> Array:
    """`asarray`, raising `ValueError` if `a` holds an infinity or a NaN (checked on
    the concrete value; under `vmap` or `jit` there is none, and the check says so).

    Args:
        a: Input array.
        dtype: Data type of the result; None keeps NumPy's default.
        order: Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.

    Returns:
        An array (a traced value stays traced).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.asarray_chkfinite([1.0, 2.0])
        array([1., 2.])
    """
    a = asarray(a, dtype)
    value = concrete_value(a, "asarray_chkfinite")
    if value.dtype.kind in "fc" and not np.isfinite(value).all():
        raise ValueError("array must not contain infs or NaNs")
    return a


def fromfunction(
    function: Callable[..., Any],
    shape: Shape,
    *,
    dtype: DTypeLike = float,
    like: ArrayLike | None = None,
    **kwargs: Any,
) -> Array:
    """`function(*indices)`, called once on the index grids of `shape` (as NumPy).

    Args:
        function: Function of the index arrays, one per axis.
        shape: Shape of the result (an int or a tuple of ints).
        dtype: Data type of the result; None keeps NumPy's default.
        like: Accepted for NumPy compatibility; must be None.
        **kwargs: Keyword arguments, as NumPy's.

    Returns:
        What `function` returns for the index grids.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fromfunction(lambda i, j: i + 2 * j, (2, 2))
        array([[0., 2.],
               [1., 3.]])
    """
    return function(*np.indices(shape, dtype=dtype), **kwargs)  # type: ignore[arg-type]  # NumPy takes any dtype


def fromiter(
    iter: Iterable[Any], dtype: DTypeLike, count: int = -1, *, like: ArrayLike | None = None
) -> Array:  # noqa: A002 - NumPy's name
    """A 1-d array from an iterable of numbers (or of traced scalars, stacked).

    Args:
        iter: Iterable of numbers (or of traced scalars).
        dtype: Data type of the result; None keeps NumPy's default.
        count: Number of items to read (-1: all).
        like: Accepted for NumPy compatibility; must be None.

    Returns:
        A 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fromiter((k * k for k in range(4)), float)
        array([0., 1., 4., 9.])
    """
    items = list(iter) if count < 0 else [v for _, v in zip(range(count), iter, strict=False)]
    if count >= 0 and len(items) < count:
        raise ValueError(
            f"fromiter: iterator too short: Expected {count} but iterator had only {len(items)} items."
        )
    if any(isinstance(v, Tracer) for v in items):
        return asarray(items, dtype)
    return np.fromiter(items, dtype, len(items))
