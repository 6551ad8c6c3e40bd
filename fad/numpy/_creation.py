"""Array creation: constants need no rules; ``array``/``asarray`` may gather traced values."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad._prims.structural import astype
from fad._tree import tree_leaves


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
    return np.asarray(a, dtype=dtype)


def array(a, dtype=None, copy=True):
    """Like :func:`numpy.array`; traced values stay traced (they are immutable, so never copied)."""
    if isinstance(a, Tracer) or (
        isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in tree_leaves(a))
    ):
        return asarray(a, dtype)
    return np.array(a, dtype=dtype, copy=copy)


def zeros(shape, dtype=float):
    return np.zeros(shape, dtype)


def ones(shape, dtype=float):
    return np.ones(shape, dtype)


def full(shape, fill_value, dtype=None):
    if isinstance(fill_value, Tracer):
        from fad._prims.structural import broadcast_to

        v = fill_value if dtype is None else astype(fill_value, dtype)
        return broadcast_to(v, (int(shape),) if np.ndim(shape) == 0 else tuple(shape))
    return np.full(shape, fill_value, dtype)


def empty(shape, dtype=float):
    return np.zeros(shape, dtype)  # fad never exposes uninitialised memory


def _like_args(a, dtype, shape):
    from fad.numpy._util import shape as shape_of

    if shape is None:
        shape = shape_of(a)
    if dtype is None:
        dtype = a.dtype if hasattr(a, "dtype") else np.result_type(a)
    return shape, dtype


def zeros_like(a, dtype=None, shape=None):
    s, d = _like_args(a, dtype, shape)
    return np.zeros(s, d)


def ones_like(a, dtype=None, shape=None):
    s, d = _like_args(a, dtype, shape)
    return np.ones(s, d)


def full_like(a, fill_value, dtype=None, shape=None):
    s, d = _like_args(a, dtype, shape)
    return full(s, fill_value, d)


def empty_like(a, dtype=None, shape=None):
    return zeros_like(a, dtype, shape)


def eye(N, M=None, k=0, dtype=float):
    return np.eye(N, M, k, dtype=dtype)


def identity(n, dtype=float):
    return np.identity(n, dtype=dtype)


def arange(*args, **kwargs):
    return np.arange(*args, **kwargs)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
