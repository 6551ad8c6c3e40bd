"""Index and grid helpers: ``tri``, ``tril_indices``/``triu_indices`` (and their ``_from``
forms), ``diag_indices`` (and ``diag_indices_from``), ``indices`` and ``geomspace``.

All but ``geomspace`` depend only on sizes, never on values, so they are NumPy's own
results; the ``_from`` forms read only the shape of their (possibly traced) argument.
``geomspace``'s ends may be traced.
"""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad.numpy._creation import asarray, logspace
from fad.numpy._math import log10
from fad.numpy._shape import broadcast_to, concatenate, moveaxis
from fad.numpy._ufuncs import sign
from fad.numpy._util import ndim, shape

__all__ = ["tri", "tril_indices", "triu_indices", "tril_indices_from", "triu_indices_from"]
__all__ += ["diag_indices", "diag_indices_from", "indices", "geomspace"]


def tri(N, M=None, k=0, dtype=float):
    """An ``N`` x ``M`` array with ones at and below the ``k``-th diagonal.

    >>> import fad.numpy as fnp
    >>> fnp.tri(2, 3, k=1)
    array([[1., 1., 0.],
           [1., 1., 1.]])
    """
    return np.tri(N, M, k, dtype)


def tril_indices(n, k=0, m=None):
    """The indices of the lower triangle (at and below the ``k``-th diagonal) of an
    ``n`` x ``m`` array.

    >>> import fad.numpy as fnp
    >>> fnp.tril_indices(2)
    (array([0, 1, 1]), array([0, 0, 1]))
    """
    return np.tril_indices(n, k, m)


def triu_indices(n, k=0, m=None):
    """The indices of the upper triangle (at and above the ``k``-th diagonal) of an
    ``n`` x ``m`` array.

    >>> import fad.numpy as fnp
    >>> fnp.triu_indices(3, 1)
    (array([0, 0, 1]), array([1, 2, 2]))
    """
    return np.triu_indices(n, k, m)


def _matrix_shape(arr, name):
    if ndim(arr) != 2:
        raise ValueError(f"{name}: the input array must be 2-d, got shape {shape(arr)}.")
    return shape(arr)


def tril_indices_from(arr, k=0):
    """:func:`tril_indices` for the shape of the 2-d array ``arr``.

    >>> import fad.numpy as fnp
    >>> x = fnp.arange(4.0).reshape(2, 2)
    >>> x[fnp.tril_indices_from(x)]
    array([0., 2., 3.])
    """
    n, m = _matrix_shape(arr, "tril_indices_from")
    return np.tril_indices(n, k, m)


def triu_indices_from(arr, k=0):
    """:func:`triu_indices` for the shape of the 2-d array ``arr``.

    >>> import fad.numpy as fnp
    >>> x = fnp.arange(4.0).reshape(2, 2)
    >>> x[fnp.triu_indices_from(x, 1)]
    array([1.])
    """
    n, m = _matrix_shape(arr, "triu_indices_from")
    return np.triu_indices(n, k, m)


def diag_indices(n, ndim=2):
    """The indices of the main diagonal of an ``n`` x ... x ``n`` array of ``ndim`` axes.

    >>> import fad.numpy as fnp
    >>> fnp.diag_indices(2)
    (array([0, 1]), array([0, 1]))
    """
    return np.diag_indices(n, ndim)


def diag_indices_from(arr):
    """:func:`diag_indices` for the (equal-sided) shape of ``arr``.

    >>> import fad.numpy as fnp
    >>> fnp.diag_indices_from(fnp.zeros((2, 2)))
    (array([0, 1]), array([0, 1]))
    """
    dims = shape(arr)
    if len(dims) < 2:
        raise ValueError(f"diag_indices_from: the input must be at least 2-d, got shape {dims}.")
    if len(set(dims)) != 1:
        raise ValueError(f"diag_indices_from: all dimensions of the input must be equal, got shape {dims}.")
    return np.diag_indices(dims[0], len(dims))


def indices(dimensions, dtype=int, sparse=False):
    """The grid of indices of an array of shape ``dimensions`` (one array per axis).

    >>> import fad.numpy as fnp
    >>> fnp.indices((2, 2))[1]
    array([[0, 1],
           [0, 1]])
    """
    return np.indices(dimensions, dtype, sparse)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` values spaced evenly on a log scale from ``start`` to ``stop`` (the ends may
    be traced; both must be non-zero and of the same sign, as in NumPy).

    >>> import fad, fad.numpy as fnp
    >>> fnp.geomspace(1.0, 1000.0, 4)
    array([   1.,   10.,  100., 1000.])
    >>> fad.grad(lambda b: fnp.geomspace(1.0, b, 3)[1])(4.0)
    np.float64(0.25)
    """
    if not (isinstance(start, Tracer) or isinstance(stop, Tracer)):
        return np.geomspace(start, stop, num, endpoint, dtype, axis)
    start, stop = asarray(start) * 1.0, asarray(stop) * 1.0
    num = int(num)
    out_sign = sign(start)  # a negative sequence is the positive one, negated
    start, stop = start / out_sign, stop / out_sign
    result = logspace(log10(start), log10(stop), num=num, endpoint=endpoint)
    bshape = np.broadcast_shapes(tuple(shape(start)), tuple(shape(stop)))
    if num > 0:  # the ends are exactly start and stop, as NumPy makes them
        ends = [broadcast_to(start, (1,) + bshape)]
        middle = result[1 : num - 1] if (endpoint and num > 1) else result[1:]
        parts = ends + [middle]
        if endpoint and num > 1:
            parts.append(broadcast_to(stop, (1,) + bshape))
        result = concatenate(parts, axis=0)
    result = out_sign * result
    if axis != 0:
        result = moveaxis(result, 0, axis)
    return result if dtype is None else result.astype(dtype)
