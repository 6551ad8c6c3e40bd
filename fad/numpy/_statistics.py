"""Covariance and correlation, and the NaN-ignoring variance and standard deviation:
``cov``, ``corrcoef``, ``nanvar`` and ``nanstd``, written as composites of fad.numpy
functions (so every transform sees through them; NaN entries get a zero derivative)."""

from __future__ import annotations

import warnings

import numpy as np

from fad.numpy._creation import asarray
from fad.numpy._math import clip, isnan, logical_and, logical_not
from fad.numpy._products import matmul
from fad.numpy._reductions import _mask, average, sum, var
from fad.numpy._shape import atleast_2d, concatenate, diagonal, squeeze, transpose
from fad.numpy._ufuncs import sqrt
from fad.numpy._ufuncs import where as _choose
from fad.numpy._util import is_traced, ndim, normalize_axes, shape

__all__ = ["cov", "corrcoef", "nanvar", "nanstd"]


def _rows(x, rowvar, dtype, what):
    x = asarray(x)
    if ndim(x) > 2:
        raise ValueError(f"cov: {what} has more than 2 dimensions (shape {shape(x)}).")
    x2 = atleast_2d(x).astype(dtype)
    return transpose(x2) if not rowvar and shape(x2)[0] != 1 else x2


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """The covariance matrix of the variables in the rows of ``m`` (columns with
    ``rowvar=False``), observations weighted by ``fweights`` (counts) and ``aweights``.

    >>> import fad.numpy as fnp
    >>> fnp.cov(fnp.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    m = asarray(m)
    if dtype is None:
        dtype = (
            np.result_type(m.dtype, np.float64)
            if y is None
            else np.result_type(m.dtype, asarray(y).dtype, 1.0)
        )
    x = _rows(m, rowvar or ndim(m) == 1, dtype, "m")
    if y is not None:
        x = concatenate([x, _rows(y, rowvar, dtype, "y")], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    n = shape(x)[1]
    w = None
    if fweights is not None:
        w = _weights(fweights, n, "fweights", integer=True)
    if aweights is not None:
        aw = _weights(aweights, n, "aweights", integer=False)
        w = aw if w is None else w * aw
    avg, w_sum = average(x, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        fact = n - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * sum(w * aw) / w_sum
    if not is_traced(fact) and fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    x = x - avg[:, None]
    c = matmul(x, transpose(x if w is None else x * w))
    return squeeze(c * (1.0 / fact))


def _weights(w, n, name, integer):
    w = asarray(w, dtype=float)
    if ndim(w) != 1 or shape(w)[0] != n:
        raise ValueError(
            f"cov: {name} must be 1-d with one weight per observation ({n}), got shape {shape(w)}."
        )
    if not is_traced(w):
        if integer and np.any(w != np.around(w)):
            raise TypeError("cov: fweights must be integers (counts of each observation).")
        if np.any(w < 0):
            raise ValueError(f"cov: {name} cannot be negative.")
    return w


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients: the covariance normalized by the standard
    deviations, clipped to [-1, 1] as NumPy does.

    >>> import fad.numpy as fnp
    >>> fnp.corrcoef(fnp.array([1.0, 2.0, 4.0]), fnp.array([2.0, 4.0, 8.0]))
    array([[1., 1.],
           [1., 1.]])
    """
    c = cov(x, y, rowvar, dtype=dtype)
    if ndim(c) == 0:  # one variable: NumPy returns c / c
        return c / c
    stddev = sqrt(diagonal(c))
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    return clip(c, -1, 1)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True):
    """Variance over ``axis`` of the non-NaN entries (of those ``where`` selects; NaN, with
    NumPy's warning, where fewer than ``ddof + 1`` entries are left).

    >>> import fad.numpy as fnp
    >>> fnp.nanvar(fnp.array([1.0, fnp.nan, 3.0]))
    np.float64(1.0)
    """
    a = asarray(a)
    if a.dtype.kind not in "fc":
        return var(a, axis, dtype, out, ddof, keepdims, where=where)
    if out is not None:
        raise NotImplementedError("fad.numpy.nanvar does not support out=; use the return value.")
    axes = normalize_axes(axis, ndim(a), "nanvar")
    valid = logical_not(isnan(a))
    if where is not True:
        valid = logical_and(valid, _mask(where, a, "nanvar"))
    nan = logical_not(valid)
    arr = _choose(nan, 0.0, a)
    cnt = sum(valid, axis=axes, keepdims=True)
    avg = sum(arr, axis=axes, dtype=dtype, keepdims=True) / cnt
    dev = _choose(nan, 0.0, arr - avg)
    v = sum(dev * dev, axis=axes, dtype=dtype, keepdims=keepdims)
    dof = (cnt if keepdims else squeeze(cnt, axes)) - ddof
    bad = dof <= 0
    if not is_traced(bad) and np.any(bad):
        warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _choose(bad, np.nan, v / _choose(bad, 1, dof))
    return out[()] if type(out) is np.ndarray and out.ndim == 0 else out  # a scalar, as NumPy


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True):
    """Standard deviation over ``axis`` of the non-NaN entries.

    >>> import fad.numpy as fnp
    >>> fnp.nanstd(fnp.array([1.0, fnp.nan, 3.0]))
    np.float64(1.0)
    """
    return sqrt(nanvar(a, axis, dtype, out, ddof, keepdims, where=where))
