# mypy: allow-redefinition-new, local-partial-types
"""Logic functions (NumPy's "Logic functions"): truth value testing (``all``, ``any``),
array contents (``isfinite``, ``isinf``, ``isnan``, ``isneginf``, ``isposinf``), logical
operations and comparisons. Their results are booleans, with no derivative."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as m
from fad._prims.reductions import reduce_max, reduce_min
from fad.numpy._creation import asarray
from fad.numpy._math import absolute, signbit
from fad.numpy._reducing import _arr, _count, _kept_shape, _masked, _no_out, _out
from fad.numpy._util import binary, document, ndim, normalize_axes, shape, unary

if TYPE_CHECKING:
    from fad.numpy._util import Axis, LogicalReduction
    from fad.typing import Array, ArrayLike

# ---------------------------------------------------------------- truth value testing


def _logical(red: Any, empty: bool, name: str) -> LogicalReduction:
    def f(
        a: ArrayLike, axis: Axis = None, out: None = None, keepdims: bool = False, *, where: ArrayLike = True
    ) -> Array:
        _no_out(out, name)
        a = _arr(a)
        axes = normalize_axes(axis, ndim(a), name)
        if _count(a, axes) == 0:
            return _out(np.full(_kept_shape(shape(a), axes, keepdims), empty))
        return _out(red(_masked(ew.ne(a, 0), where, empty, name), axes=axes, keepdims=keepdims))

    f.__name__ = f.__qualname__ = name
    document(
        f,
        f"Whether {name} elements along `axis` (of those `where` selects) are non-zero (not differentiable).",
        "A boolean array: `a` with the axes of `axis` reduced (kept with length 1 if `keepdims`).",
    )
    return f


all = _logical(reduce_min, True, "all")  # noqa: A001
any = _logical(reduce_max, False, "any")  # noqa: A001

# --------------------------------------------------------------------- array contents

isfinite = unary(m.isfinite_p, "isfinite", "Elementwise test for finiteness (bool result).")
isinf = unary(m.isinf_p, "isinf", "Elementwise test for +-inf (bool result).")
isnan = unary(m.isnan_p, "isnan", "Elementwise test for NaN (bool result).")


def isneginf(x: ArrayLike) -> Array:
    """Elementwise `x == -inf`.

    Args:
        x: Input array.

    Returns:
        A boolean array shaped like `x`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.isneginf(fnp.array([-fnp.inf, 0.0, fnp.inf]))
        array([ True, False, False])
    """
    x = asarray(x)
    return logical_and(isinf(x), signbit(x))


def isposinf(x: ArrayLike) -> Array:
    """Elementwise `x == +inf`.

    Args:
        x: Input array.

    Returns:
        A boolean array shaped like `x`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.isposinf(fnp.array([-fnp.inf, 0.0, fnp.inf]))
        array([False, False,  True])
    """
    x = asarray(x)
    return logical_and(isinf(x), logical_not(signbit(x)))


# ----------------------------------------------------------------- logical operations

logical_and = binary(m.logical_and_p, "logical_and", "Elementwise AND (bool result).")
logical_or = binary(m.logical_or_p, "logical_or", "Elementwise OR (bool result).")
logical_not = unary(m.logical_not_p, "logical_not", "Elementwise NOT (bool result).")
logical_xor = binary(m.logical_xor_p, "logical_xor", "Elementwise XOR (bool result).")

# ------------------------------------------------------------------------- comparison


def allclose(
    a: ArrayLike, b: ArrayLike, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Array:
    """Whether every element of `a` is close to `b` (see `isclose`).

    Args:
        a: Input array.
        b: Second input array, broadcast against `a`.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether NaNs compare equal to each other.

    Returns:
        Whether all elements are close (a NumPy boolean; traced under a transform).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.allclose(fnp.array([1.0, 2.0]), fnp.array([1.0, 2.0 + 1e-9]))
        np.True_
    """
    return all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(
    a: ArrayLike, b: ArrayLike, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Array:
    """Elementwise `|a - b| <= atol + rtol * |b|` (infinities equal only to themselves).

    Args:
        a: Input array.
        b: Second input array, broadcast against `a`.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        equal_nan: Whether NaNs compare equal to each other.

    Returns:
        A boolean array of the broadcast shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.isclose(fnp.array([1.0, 1.1]), 1.0 + 1e-9)
        array([ True, False])
    """
    a, b = asarray(a), asarray(b)
    if b.dtype.kind not in "fc":  # as NumPy: |b| of the most negative integer would overflow
        b = asarray(b, dtype=np.result_type(b.dtype, 1.0))
    with np.errstate(invalid="ignore"):
        close = logical_and(less_equal(absolute(a - b), atol + rtol * absolute(b)), isfinite(b))
        result = logical_or(close, equal(a, b))
        if equal_nan:
            result = logical_or(result, logical_and(isnan(a), isnan(b)))
    return result


def array_equal(a1: ArrayLike, a2: ArrayLike, equal_nan: bool = False) -> Array:
    """Whether `a1` and `a2` have the same shape and elements (NaNs equal with
    `equal_nan=True`).

    Args:
        a1: Coefficients of the first polynomial (highest power first).
        a2: Coefficients of the second polynomial (highest power first).
        equal_nan: Whether NaNs compare equal to each other.

    Returns:
        Whether the arrays are equal (a NumPy boolean; traced under a transform).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.array_equal(fnp.array([1.0, 2.0]), [1.0, 2.0]), fnp.array_equal([1.0], [1.0, 1.0])
        (np.True_, np.False_)
    """
    a1, a2 = asarray(a1), asarray(a2)
    if shape(a1) != shape(a2):
        return np.False_
    same = equal(a1, a2)
    if equal_nan:
        same = logical_or(same, logical_and(isnan(a1), isnan(a2)))
    return all(same)


def array_equiv(a1: ArrayLike, a2: ArrayLike) -> Array:
    """Whether `a1` and `a2` are equal after broadcasting to a common shape.

    Args:
        a1: Coefficients of the first polynomial (highest power first).
        a2: Coefficients of the second polynomial (highest power first).

    Returns:
        Whether the arrays are equal (a NumPy boolean; traced under a transform).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.array_equiv(fnp.array([1.0, 2.0]), fnp.array([[1.0, 2.0], [1.0, 2.0]]))
        np.True_
    """
    a1, a2 = asarray(a1), asarray(a2)
    try:
        np.broadcast_shapes(shape(a1), shape(a2))
    except ValueError:
        return np.False_
    return all(equal(a1, a2))


greater = binary(ew.gt_p, "greater", "Elementwise ``x > y``.")
greater_equal = binary(ew.ge_p, "greater_equal", "Elementwise ``x >= y``.")
less = binary(ew.lt_p, "less", "Elementwise ``x < y``.")
less_equal = binary(ew.le_p, "less_equal", "Elementwise ``x <= y``.")
equal = binary(ew.eq_p, "equal", "Elementwise ``x == y`` (not differentiable; bool result).")
not_equal = binary(ew.ne_p, "not_equal", "Elementwise ``x != y``.")
