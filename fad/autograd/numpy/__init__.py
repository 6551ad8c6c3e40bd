"""``autograd.numpy``: fad's differentiable NumPy (``fad.numpy``), with ``random`` (NumPy's
own ``numpy.random``: random numbers are data), ``linalg`` and ``fft``.

A name that ``fad.numpy`` does not define falls back to NumPy's (dtypes, constants,
functions without derivatives); calling such a function on a traced value raises fad's
error naming it.

>>> import fad.autograd.numpy as np
>>> import fad.autograd.numpy.random as npr
>>> npr.seed(0); x = npr.randn(3)
>>> np.allclose(np.exp(np.log(np.exp(x))), np.exp(x)), np.finfo(float).eps > 0
(np.True_, np.True_)
"""

import builtins as _builtins
import sys as _sys

import numpy as _onp
import numpy.random as random  # noqa: F401

from fad.numpy import *  # noqa: F403
from fad.numpy import fft, linalg  # noqa: F401

_sys.modules[__name__ + ".random"] = random
_sys.modules[__name__ + ".linalg"] = linalg
_sys.modules[__name__ + ".fft"] = fft


def __getattr__(name):
    try:
        return getattr(_onp, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


class _Concatenator:
    """``r_[...]``/``c_[...]`` on traced values: NumPy's index tricks, built on fad's
    ``concatenate`` (slices become ranges, as in NumPy)."""

    def __init__(self, columns):
        self.columns = columns

    def __getitem__(self, key):
        parts = []
        for k in key if isinstance(key, tuple) else (key,):
            if isinstance(k, slice):
                part = asarray(_onp.r_[k])  # noqa: F405
            elif isinstance(k, str):
                raise NotImplementedError("fad.autograd.numpy.r_/c_ take no directive strings")
            else:
                part = atleast_1d(k)  # noqa: F405
            if self.columns and ndim(part) < 2:  # noqa: F405
                part = reshape(part, (-1, 1))  # noqa: F405
            parts.append(part)
        return concatenate(parts, axis=-1 if self.columns else 0)  # noqa: F405


r_ = _Concatenator(columns=False)
c_ = _Concatenator(columns=True)


def make_diagonal(D, offset=0, axis1=0, axis2=1):
    """The array whose diagonal along ``axis1``/``axis2`` (new axes) is ``D``'s last axis,
    zero elsewhere (autograd's inverse of ``diagonal``)."""
    if offset != 0:
        raise NotImplementedError("make_diagonal supports offset=0 only")
    n = shape(D)[-1]  # noqa: F405
    out = expand_dims(D, -1) * eye(n)  # noqa: F405  (..., n, n), symmetric in its last two axes
    nd = ndim(out)  # noqa: F405
    a1, a2 = axis1 % nd, axis2 % nd
    if {a1, a2} == {nd - 2, nd - 1}:
        return out
    return moveaxis(out, [nd - 2, nd - 1], [a1, a2])  # noqa: F405


def gradient(f, *varargs, axis=None, edge_order=1):
    """NumPy's ``gradient`` (central differences inside, one-sided of ``edge_order`` 1 or 2
    at the ends) with scalar spacings, in fad operations: one array per axis (a list for
    several axes)."""
    f = asarray(f)  # noqa: F405
    nd = ndim(f)  # noqa: F405
    axes = tuple(range(nd)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % nd for a in axes)
    if len(varargs) == 0:
        spacing = [1.0] * len(axes)
    elif len(varargs) == 1:
        spacing = [varargs[0]] * len(axes)
    else:
        spacing = list(varargs)
    if len(spacing) != len(axes) or _builtins.any(_onp.ndim(h) != 0 for h in spacing):
        raise NotImplementedError("fad.autograd.numpy.gradient takes one scalar spacing per axis")
    if edge_order not in (1, 2):
        raise ValueError("edge_order must be 1 or 2")
    outs = []
    for ax, h in zip(axes, spacing, strict=True):
        n = shape(f)[ax]  # noqa: F405
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient")

        def take(sl, ax=ax):
            return f[(slice(None),) * ax + (sl,)]

        inside = (take(slice(2, None)) - take(slice(None, -2))) / (2.0 * h)
        if edge_order == 1:
            first = (take(slice(1, 2)) - take(slice(0, 1))) / h
            last = (take(slice(n - 1, n)) - take(slice(n - 2, n - 1))) / h
        else:
            first = (-3.0 * take(slice(0, 1)) + 4.0 * take(slice(1, 2)) - take(slice(2, 3))) / (2.0 * h)
            last = (
                3.0 * take(slice(n - 1, n)) - 4.0 * take(slice(n - 2, n - 1)) + take(slice(n - 3, n - 2))
            ) / (2.0 * h)
        outs.append(concatenate([first, inside, last], axis=ax))  # noqa: F405
    return outs[0] if len(outs) == 1 else outs


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """NumPy's ``partition`` contract (the ``kth`` entries in their sorted places, smaller
    ones before, larger after) met by a full sort along ``axis``, which is differentiable."""
    if order is not None:
        raise NotImplementedError("fad.autograd.numpy.partition takes no order=")
    return sort(a, axis=axis)  # noqa: F405
