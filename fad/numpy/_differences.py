"""Differences and running sums along an axis: ``diff``, ``ediff1d``, ``trapezoid``,
``cumulative_sum`` and ``cumulative_prod``, written as composites of fad.numpy functions (so
every transform sees through them)."""

from __future__ import annotations

import numpy as np

from fad.numpy._creation import asarray, zeros
from fad.numpy._reductions import cumprod, cumsum, sum
from fad.numpy._shape import broadcast_to, concatenate, expand_dims, ravel
from fad.numpy._util import ndim, normalize_axis, shape

__all__ = ["diff", "ediff1d", "trapezoid", "cumulative_sum", "cumulative_prod"]


def _slice(nd, axis, piece):
    """The index selecting ``piece`` (a slice) along ``axis`` of an ``nd``-dimensional array."""
    index = [slice(None)] * nd
    index[axis] = piece
    return tuple(index)


def _edge(value, a, axis):
    """``value`` (prepend/append) as a block to join to ``a`` along ``axis``: a scalar is
    broadcast to ``a``'s shape with length 1 along ``axis``, as in NumPy."""
    value = asarray(value)
    if ndim(value) == 0:
        target = list(shape(a))
        target[axis] = 1
        return broadcast_to(value, tuple(target))
    return value


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """The ``n``-th discrete difference along ``axis``: ``a[1:] - a[:-1]``, ``n`` times.

    >>> import fad.numpy as fnp
    >>> fnp.diff(fnp.array([1.0, 4.0, 9.0, 16.0]), n=2)
    array([2., 2.])
    """
    a = asarray(a)
    n = int(n)
    if n < 0:
        raise ValueError(f"diff: order n must be non-negative, got {n}.")
    if n == 0:
        return a
    nd = ndim(a)
    if nd == 0:
        raise ValueError("diff requires an input of at least one dimension; got a 0-d array.")
    axis = normalize_axis(axis, nd, "diff")
    blocks = [a]
    if prepend is not None:
        blocks.insert(0, _edge(prepend, a, axis))
    if append is not None:
        blocks.append(_edge(append, a, axis))
    if len(blocks) > 1:
        a = concatenate(blocks, axis=axis)
    later, earlier = _slice(nd, axis, slice(1, None)), _slice(nd, axis, slice(None, -1))
    for _ in range(n):
        if a.dtype == np.bool_:
            a = a[later] != a[earlier]  # NumPy: booleans differ by xor
        else:
            a = a[later] - a[earlier]
    return a


def ediff1d(ary, to_end=None, to_begin=None):
    """The differences between consecutive elements of the flattened array, with optional
    values joined before and after.

    >>> import fad.numpy as fnp
    >>> fnp.ediff1d(fnp.array([1.0, 2.0, 4.0]), to_begin=-1.0)
    array([-1.,  1.,  2.])
    """
    flat = ravel(asarray(ary))
    d = flat[1:] - flat[:-1]
    parts = [d]
    if to_begin is not None:
        parts.insert(0, ravel(asarray(to_begin, dtype=d.dtype)))
    if to_end is not None:
        parts.append(ravel(asarray(to_end, dtype=d.dtype)))
    return concatenate(parts) if len(parts) > 1 else d


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, at sample points ``x``
    (or spaced ``dx`` apart).

    >>> import fad.numpy as fnp
    >>> fnp.trapezoid(fnp.array([1.0, 2.0, 3.0]), dx=0.5)
    np.float64(2.0)
    """
    y = asarray(y)
    nd = ndim(y)
    axis = normalize_axis(axis, nd, "trapezoid")
    if x is None:
        d = dx
    else:
        x = asarray(x)
        if ndim(x) == 1:
            d = diff(x)
            if nd > 1:  # spacing along axis, broadcast over the other axes
                d = d.reshape(tuple(-1 if k == axis else 1 for k in range(nd)))
        else:
            d = diff(x, axis=axis)
    later, earlier = _slice(nd, axis, slice(1, None)), _slice(nd, axis, slice(None, -1))
    return sum(d * (y[later] + y[earlier]) / 2.0, axis=axis)


def _cumulative(scan, name, identity):
    def f(x, /, *, axis=None, dtype=None, include_initial=False):
        x = asarray(x)
        if axis is None:
            if ndim(x) > 1:
                raise ValueError(
                    f"{name}: axis is required for arrays of more than one dimension (got shape "
                    f"{shape(x)}). Pass axis=..., or ravel the array first."
                )
            axis = 0
        if ndim(x) == 0:
            x = expand_dims(x, 0)
        axis = normalize_axis(axis, ndim(x), name)
        out = scan(x, axis=axis, dtype=dtype)
        if include_initial:
            edge = list(shape(out))
            edge[axis] = 1
            out = concatenate([zeros(tuple(edge), out.dtype) + identity, out], axis=axis)
        return out

    f.__name__ = f.__qualname__ = name
    return f


cumulative_sum = _cumulative(cumsum, "cumulative_sum", 0)
cumulative_sum.__doc__ = """The cumulative sum along ``axis`` (NumPy 2's array-API form of
    ``cumsum``); ``include_initial=True`` starts with the zero.

    >>> import fad.numpy as fnp
    >>> fnp.cumulative_sum(fnp.array([1.0, 2.0, 3.0]), include_initial=True)
    array([0., 1., 3., 6.])
    """
cumulative_prod = _cumulative(cumprod, "cumulative_prod", 1)
cumulative_prod.__doc__ = """The cumulative product along ``axis`` (NumPy 2's array-API form of
    ``cumprod``); ``include_initial=True`` starts with the one.

    >>> import fad.numpy as fnp
    >>> fnp.cumulative_prod(fnp.array([1.0, 2.0, 3.0]))
    array([1., 2., 6.])
    """
