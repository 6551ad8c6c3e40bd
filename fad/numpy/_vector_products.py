"""NumPy 2's vector products ``vecdot``, ``matvec`` and ``vecmat`` (the leading axes
broadcasting), and ``cross``, written as composites of fad.numpy functions (so every
transform sees through them)."""

from __future__ import annotations

import warnings

from fad.numpy._creation import asarray
from fad.numpy._products import matmul
from fad.numpy._reductions import sum
from fad.numpy._shape import moveaxis, stack
from fad.numpy._util import ndim, normalize_axis, shape

__all__ = ["vecdot", "matvec", "vecmat", "cross"]


def _core_sizes_match(n1, n2, name):
    if n1 != n2:
        raise ValueError(f"{name}: the contracted dimensions differ ({n1} and {n2}); they must be equal.")


def vecdot(x1, x2, /, *, axis=-1):
    """The dot product of vectors along ``axis``, the other axes broadcasting.

    >>> import fad.numpy as fnp
    >>> fnp.vecdot(fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([1.0, 1.0]))
    array([3., 7.])
    """
    x1, x2 = asarray(x1), asarray(x2)
    x1 = moveaxis(x1, normalize_axis(axis, ndim(x1), "vecdot"), -1)
    x2 = moveaxis(x2, normalize_axis(axis, ndim(x2), "vecdot"), -1)
    _core_sizes_match(shape(x1)[-1], shape(x2)[-1], "vecdot")
    return sum(x1 * x2, axis=-1)


def matvec(x1, x2, /):
    """Matrix (..., m, n) times vector (..., n): (..., m), the leading axes broadcasting.

    >>> import fad.numpy as fnp
    >>> fnp.matvec(fnp.eye(2) * 2.0, fnp.array([1.0, 3.0]))
    array([2., 6.])
    """
    x1, x2 = asarray(x1), asarray(x2)
    if ndim(x1) < 2 or ndim(x2) < 1:
        raise ValueError("matvec needs a matrix (at least 2-d) and a vector (at least 1-d).")
    _core_sizes_match(shape(x1)[-1], shape(x2)[-1], "matvec")
    return matmul(x1, x2[..., None])[..., 0]


def vecmat(x1, x2, /):
    """Vector (..., n) times matrix (..., n, m): (..., m), the leading axes broadcasting.

    >>> import fad.numpy as fnp
    >>> fnp.vecmat(fnp.array([1.0, 3.0]), fnp.eye(2) * 2.0)
    array([2., 6.])
    """
    x1, x2 = asarray(x1), asarray(x2)
    if ndim(x1) < 1 or ndim(x2) < 2:
        raise ValueError("vecmat needs a vector (at least 1-d) and a matrix (at least 2-d).")
    _core_sizes_match(shape(x1)[-1], shape(x2)[-2], "vecmat")
    return matmul(x1[..., None, :], x2)[..., 0, :]


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors along the given axes, the other axes broadcasting.
    2-vectors are taken with a zero third component, as NumPy does (with its deprecation
    warning); two 2-vectors give the third component alone.

    >>> import fad.numpy as fnp
    >>> fnp.cross(fnp.array([1.0, 0.0, 0.0]), fnp.array([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = asarray(a), asarray(b)
    a = moveaxis(a, normalize_axis(axisa, ndim(a), "cross"), -1)
    b = moveaxis(b, normalize_axis(axisb, ndim(b), "cross"), -1)
    na, nb = shape(a)[-1], shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(
            f"cross: incompatible dimensions {na} and {nb}; vectors must have 2 or 3 components."
        )
    if na == 2 or nb == 2:
        warnings.warn(
            "Arrays of 2-dimensional vectors are deprecated in NumPy 2.0; use arrays of 3-dimensional "
            "vectors instead (as numpy.cross warns).",
            DeprecationWarning,
            stacklevel=2,
        )
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    third = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return third
    if na == 2:  # a's third component is zero
        b2 = b[..., 2]
        parts = [a1 * b2, -(a0 * b2), third]
    elif nb == 2:  # b's third component is zero
        a2 = a[..., 2]
        parts = [-(a2 * b1), a2 * b0, third]
    else:
        a2, b2 = a[..., 2], b[..., 2]
        parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, third]
    out = stack(parts, axis=-1)
    return moveaxis(out, -1, normalize_axis(axisc, ndim(out), "cross"))
