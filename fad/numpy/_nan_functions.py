"""More NaN-ignoring functions: ``nanprod``, ``nancumsum``, ``nancumprod``, ``nanargmax``
and ``nanargmin``. A NaN entry counts as the operation's identity (1 for products, 0 for
sums) and gets a zero derivative.

``nanargmax``/``nanargmin`` raise NumPy's ``ValueError`` on an all-NaN slice of a concrete
array. On a value batched by ``vmap`` or staged by ``jit`` no error can be raised per
example, and such a slice gives -1, as in JAX.
"""

from __future__ import annotations

import numpy as np

from fad.numpy._creation import asarray
from fad.numpy._math import isnan
from fad.numpy._reductions import all, argmax, argmin, cumprod, cumsum, prod
from fad.numpy._ufuncs import where
from fad.numpy._util import is_traced

__all__ = ["nanprod", "nancumsum", "nancumprod", "nanargmax", "nanargmin"]


def _nan_as(a, value):
    a = asarray(a)
    return where(isnan(a), value, a) if a.dtype.kind in "fc" else a


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """Product over ``axis`` treating NaNs as one (of the entries ``where`` selects, times
    ``initial``).

    >>> import fad.numpy as fnp
    >>> fnp.nanprod(fnp.array([2.0, fnp.nan, 3.0]))
    np.float64(6.0)
    """
    return prod(_nan_as(a, 1), axis, dtype, out, keepdims, initial, where)


def nancumsum(a, axis=None, dtype=None):
    """Cumulative sum along ``axis`` treating NaNs as zero.

    >>> import fad.numpy as fnp
    >>> fnp.nancumsum(fnp.array([2.0, fnp.nan, 3.0]))
    array([2., 2., 5.])
    """
    return cumsum(_nan_as(a, 0), axis=axis, dtype=dtype)


def nancumprod(a, axis=None, dtype=None):
    """Cumulative product along ``axis`` treating NaNs as one.

    >>> import fad.numpy as fnp
    >>> fnp.nancumprod(fnp.array([2.0, fnp.nan, 3.0]))
    array([2., 2., 6.])
    """
    return cumprod(_nan_as(a, 1), axis=axis, dtype=dtype)


def _nan_arg_extreme(arg, fill, name):
    def f(a, axis=None, out=None, *, keepdims=False):
        if out is not None:
            raise NotImplementedError(f"fad.numpy.{name} does not support out=; use the return value.")
        a = asarray(a)
        if a.dtype.kind not in "fc":
            return arg(a, axis, keepdims=keepdims)
        nan = isnan(a)
        index = arg(where(nan, fill, a), axis, keepdims=keepdims)
        all_nan = all(nan, axis=axis, keepdims=keepdims)
        if not is_traced(all_nan):
            if np.any(all_nan):
                raise ValueError(f"{name}: All-NaN slice encountered.")
            return index
        return where(all_nan, -1, index)

    f.__name__ = f.__qualname__ = name
    return f


nanargmax = _nan_arg_extreme(argmax, -np.inf, "nanargmax")
nanargmax.__doc__ = """Index of the maximum along ``axis``, ignoring NaNs.

    >>> import fad.numpy as fnp
    >>> fnp.nanargmax(fnp.array([2.0, fnp.nan, 3.0]))
    np.int64(2)
    """
nanargmin = _nan_arg_extreme(argmin, np.inf, "nanargmin")
nanargmin.__doc__ = """Index of the minimum along ``axis``, ignoring NaNs.

    >>> import fad.numpy as fnp
    >>> fnp.nanargmin(fnp.array([2.0, fnp.nan, 3.0]))
    np.int64(0)
    """
