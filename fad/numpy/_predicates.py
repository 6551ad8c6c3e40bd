"""Closeness and equality tests, and the signed-infinity predicates: ``isclose``,
``allclose``, ``array_equal``, ``array_equiv``, ``isposinf`` and ``isneginf``. Their results
are boolean and carry no derivative, but they accept traced values under every transform.

``allclose``, ``array_equal`` and ``array_equiv`` return a 0-d boolean array (``np.True_``),
where NumPy returns a Python ``bool``: it acts the same in ``if`` outside transforms, and it
stays a value under ``vmap`` and ``jit`` (as in JAX), where a Python ``bool`` could not be
formed.
"""

from __future__ import annotations

import numpy as np

from fad.numpy._creation import asarray
from fad.numpy._math import isfinite, isinf, isnan, logical_and, logical_not, logical_or, signbit
from fad.numpy._reductions import all
from fad.numpy._ufuncs import absolute, equal, less_equal
from fad.numpy._util import shape

__all__ = ["isclose", "allclose", "array_equal", "array_equiv", "isposinf", "isneginf"]


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (infinities equal only to themselves).

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


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element of ``a`` is close to ``b`` (see :func:`isclose`).

    >>> import fad.numpy as fnp
    >>> fnp.allclose(fnp.array([1.0, 2.0]), fnp.array([1.0, 2.0 + 1e-9]))
    np.True_
    """
    return all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def array_equal(a1, a2, equal_nan=False):
    """Whether ``a1`` and ``a2`` have the same shape and elements (NaNs equal with
    ``equal_nan=True``).

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


def array_equiv(a1, a2):
    """Whether ``a1`` and ``a2`` are equal after broadcasting to a common shape.

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


def isposinf(x):
    """Elementwise ``x == +inf``.

    >>> import fad.numpy as fnp
    >>> fnp.isposinf(fnp.array([-fnp.inf, 0.0, fnp.inf]))
    array([False, False,  True])
    """
    x = asarray(x)
    return logical_and(isinf(x), logical_not(signbit(x)))


def isneginf(x):
    """Elementwise ``x == -inf``.

    >>> import fad.numpy as fnp
    >>> fnp.isneginf(fnp.array([-fnp.inf, 0.0, fnp.inf]))
    array([ True, False, False])
    """
    x = asarray(x)
    return logical_and(isinf(x), signbit(x))
