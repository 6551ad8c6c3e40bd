"""Reductions with NumPy's ``axis`` (None, int, tuple) and ``keepdims``."""

from __future__ import annotations

import numpy as np

from fad._prims.reductions import reduce_max, reduce_min
from fad._prims.structural import astype, reduce_sum
from fad.numpy._util import coerce, ndim, normalize_axes, shape


def sum(a, axis=None, dtype=None, keepdims=False):  # noqa: A001
    """Sum of elements over ``axis``.

    >>> import fad.numpy as fnp
    >>> fnp.sum(fnp.ones((2, 3)), axis=0)
    array([2., 2., 2.])
    """
    a = coerce(a)
    if dtype is not None:
        a = astype(a, dtype)
    elif getattr(a, "dtype", None) is not None and a.dtype.kind == "b":
        a = astype(a, np.int64)
    return reduce_sum(a, axes=normalize_axes(axis, ndim(a), "sum"), keepdims=keepdims)


def mean(a, axis=None, dtype=None, keepdims=False):
    """Arithmetic mean over ``axis`` (integer inputs give float64, as NumPy)."""
    a = coerce(a)
    axes = normalize_axes(axis, ndim(a), "mean")
    n = 1
    for ax in axes:
        n *= shape(a)[ax]
    kind = (a.dtype if hasattr(a, "dtype") else np.result_type(a)).kind
    if dtype is None and kind in "biu":
        dtype = np.float64
    if dtype is not None:
        a = astype(a, dtype)
    return reduce_sum(a, axes=axes, keepdims=keepdims) / n


def _extreme(red, name):
    def f(a, axis=None, keepdims=False):
        a = coerce(a)
        axes = normalize_axes(axis, ndim(a), name)
        if any(shape(a)[ax] == 0 for ax in axes):
            raise ValueError(f"zero-size array to reduction operation {name} which has no identity")
        return red(a, axes=axes, keepdims=keepdims)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (
        f"{'Maximum' if name.endswith('max') else 'Minimum'} over ``axis``. At ties the "
        "derivative is shared evenly among the extreme positions."
    )
    return f


max = _extreme(reduce_max, "max")  # noqa: A001
min = _extreme(reduce_min, "min")  # noqa: A001
amax = max
amin = min
