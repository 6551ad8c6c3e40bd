"""Array creation: constants need no rules; ``array``/``asarray`` may gather traced values."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad._prims.structural import astype, broadcast_to
from fad._tree import tree_leaves
from fad.numpy._util import check_arraylike, not_an_array


def asarray(a, dtype=None):
    """Convert ``a`` to an array, keeping traced values traced.

    Nested lists may mix traced values and numbers:

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(lambda x: fnp.asarray([x, 2 * x, 3.0]).sum())(1.0)
    np.float64(3.0)
    """
    if isinstance(a, Tracer):
        return a if dtype is None else astype(a, dtype)
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in tree_leaves(a)):
        from fad.numpy._shape import stack

        out = stack([asarray(v) for v in a])
        return out if dtype is None else astype(out, dtype)
    out = np.asarray(a, dtype=dtype)
    if out.dtype.kind == "O":  # a container, or a list holding one: fad arrays are numeric
        raise not_an_array(a)
    return out


def array(a, dtype=None, copy=True):
    """Like :func:`numpy.array`; traced values stay traced (they are immutable, so never copied)."""
    if isinstance(a, Tracer) or (
        isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in tree_leaves(a))
    ):
        return asarray(a, dtype)
    out = np.array(a, dtype=dtype, copy=copy)
    if out.dtype.kind == "O":
        raise not_an_array(a)
    return out


def _shape_arg(shape):
    if isinstance(shape, Tracer):
        raise TypeError("The shape of a new array must be concrete, got a traced value.")
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)


def zeros(shape, dtype=None):
    """A new array of zeros (float64 by default)."""
    return np.zeros(_shape_arg(shape), float if dtype is None else dtype)


def ones(shape, dtype=None):
    """A new array of ones (float64 by default)."""
    return np.ones(_shape_arg(shape), float if dtype is None else dtype)


def full(shape, fill_value, dtype=None):
    """A new array filled with ``fill_value``, which may be traced (then so is the result).

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


def empty(shape, dtype=None):
    """Like :func:`zeros`: fad never exposes uninitialised memory."""
    return zeros(shape, dtype)


def _lists(a):
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in tree_leaves(a)):
        return asarray(a)
    return a


def _like_args(a, dtype, shape):
    from fad.numpy._util import shape as shape_of

    a = _lists(a)
    if not isinstance(a, Tracer):
        a = np.asarray(check_arraylike(a))
    if shape is None:
        shape = tuple(shape_of(a))
    if dtype is None:
        dtype = a.dtype
    return shape, dtype


def zeros_like(a, dtype=None, shape=None):
    """Zeros with the shape and dtype of ``a`` (a constant, even when ``a`` is traced)."""
    s, d = _like_args(a, dtype, shape)
    return np.zeros(s, d)


def ones_like(a, dtype=None, shape=None):
    """Ones with the shape and dtype of ``a``."""
    s, d = _like_args(a, dtype, shape)
    return np.ones(s, d)


def full_like(a, fill_value, dtype=None, shape=None):
    """``fill_value`` (possibly traced) with the shape and dtype of ``a``."""
    s, d = _like_args(a, dtype, shape)
    return full(s, fill_value, d)


def empty_like(a, dtype=None, shape=None):
    """Like :func:`zeros_like`."""
    return zeros_like(a, dtype, shape)


def eye(N, M=None, k=0, dtype=float):
    """A 2-D array with ones on the ``k``-th diagonal."""
    return np.eye(N, M, k, dtype=dtype)


def identity(n, dtype=float):
    """The ``n`` by ``n`` identity matrix."""
    return np.identity(n, dtype=dtype)


def arange(*args, **kwargs):
    """Evenly spaced values in a half-open interval (concrete arguments only)."""
    if any(isinstance(a, Tracer) for a in (*args, *kwargs.values())):
        raise TypeError(
            "arange: the number of values would depend on a traced argument. Use concrete "
            "bounds, e.g. start + step * fad.numpy.arange(n) with a traced start and step."
        )
    return np.arange(*args, **kwargs)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop``; the ends may be traced.

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(lambda b: fnp.linspace(0.0, b, 5).sum())(1.0)
    np.float64(2.5)
    """
    start, stop = _lists(start), _lists(stop)
    if not (isinstance(start, Tracer) or isinstance(stop, Tracer)):
        return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    from fad.numpy._shape import concatenate, moveaxis
    from fad.numpy._util import shape as shape_of

    num = int(num)
    if num < 0:
        raise ValueError(f"linspace: number of samples, {num}, must be non-negative.")
    start = start if isinstance(start, Tracer) else np.asarray(start, float)
    stop = stop if isinstance(stop, Tracer) else np.asarray(stop, float)
    if start.dtype.kind in "iub":
        start = astype(start, float)
    div = (num - 1) if endpoint else num
    bshape = np.broadcast_shapes(tuple(shape_of(start)), tuple(shape_of(stop)))
    grid = np.arange(num, dtype=float).reshape((num,) + (1,) * len(bshape))
    delta = stop - start
    step = delta / div if div > 0 else delta * np.nan
    y = grid * step + start if div > 0 else grid * delta + start
    y = broadcast_to(y, (num,) + bshape)
    if endpoint and num > 1:
        from fad.numpy._indexing import getitem

        y = concatenate([getitem(y, slice(0, num - 1)), broadcast_to(stop, (1,) + bshape)], 0)
    if axis != 0:
        y = moveaxis(y, 0, axis)
    if dtype is not None:
        y = astype(y, dtype)
    return (y, step) if retstep else y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``; ``start``, ``stop`` and ``base`` may be traced."""
    start, stop, base = _lists(start), _lists(stop), _lists(base)
    if not any(isinstance(v, Tracer) for v in (start, stop, base)):
        return np.logspace(start, stop, num, endpoint, base, dtype, axis)
    y = linspace(start, stop, num, endpoint, axis=axis)
    if not isinstance(y, Tracer):
        y = np.asarray(y)
    out = base**y
    return out if dtype is None else astype(out, dtype)
