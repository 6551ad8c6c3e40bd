"""``autograd.numpy``: fad's differentiable NumPy (``fad.numpy``), with ``random`` (NumPy's
own ``numpy.random``: random numbers are data), ``linalg`` (with autograd's ``eig``, whose
eigenvectors have derivatives) and ``fft``.

Where autograd's NumPy behaves differently from fad's, this one is autograd's: ``where`` on
Python values returns Python values; ``std`` over a single number has derivative 0 (it is
constantly 0); the integer types (``int64``, ...) called on a traced value cast it, as
autograd's ``np.int64(x)`` does (no derivative: an integer).

A name that ``fad.numpy`` does not define falls back to NumPy's (dtypes, constants,
functions without derivatives); calling such a function on a traced value raises fad's
error naming it.

>>> import fad.autograd.numpy as np
>>> import fad.autograd.numpy.random as npr
>>> npr.seed(0); x = npr.randn(3)
>>> np.allclose(np.exp(np.log(np.exp(x))), np.exp(x)), np.finfo(float).eps > 0
(np.True_, np.True_)
"""

from __future__ import annotations

import importlib as _importlib
import math as _math
import sys as _sys
from typing import Any

import numpy as _onp
import numpy.random as random  # noqa: F401

import fad as _fad
import fad.numpy as _fnp
from fad.numpy import *  # noqa: F403
from fad.numpy import fft  # noqa: F401
from fad.numpy._util import is_traced as _is_traced

# fad.numpy.linalg with autograd's eig (the star import bound the name to fad's: import it by path)
linalg = _importlib.import_module(__name__ + ".linalg")

_sys.modules[__name__ + ".random"] = random
_sys.modules[__name__ + ".linalg"] = linalg
_sys.modules[__name__ + ".fft"] = fft

# The creation functions return plain NumPy arrays, as autograd's do (fad.numpy's return
# an ndarray subclass with JAX's ``.at``, whose Python-level ``__array_ufunc__`` every NumPy
# operation on it then goes through)
for _name in _fnp._CREATION:
    globals()[_name] = getattr(_fnp, _name).__wrapped__
del _name


def __getattr__(name: str) -> Any:
    try:
        return getattr(_onp, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def make_diagonal(D: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
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


# ---------------------------------------------------------------- autograd's semantics


def _native(x: Any) -> bool:
    """A Python bool, int, float or complex, or a list or tuple of those (no array)."""
    if type(x) in (list, tuple):
        for v in x:
            if not _native(v):
                return False
        return True
    return type(x) in (bool, int, float, complex)


def where(condition: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[no-redef]
    """``fad.numpy.where``; on Python values only (no array) the result is Python's too
    (a ``float``, ``int`` or ``list``, from ``tolist()``), as autograd's ``where``."""
    if not args and not kwargs:
        return _fnp.where(condition)
    if len(args) + len(kwargs) != 2:
        raise ValueError("where: give both x and y, or neither.")
    x = args[0] if args else kwargs["x"]
    y = args[1] if len(args) > 1 else kwargs["y"]
    out = _fnp.where(condition, x, y)
    if _native(condition) and _native(x) and _native(y):
        return _onp.asarray(out).tolist()
    return out


def _reduced_count(x: Any, axis: int | tuple[int, ...] | None) -> int:
    shp = _fnp.shape(x)
    if axis is None:
        return _math.prod(shp)
    axes = (axis,) if isinstance(axis, int) else axis
    return _math.prod(shp[a] for a in axes)


def std(  # type: ignore[no-redef]
    x: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    ddof: Any = 0,
    keepdims: Any = False,
    **kwargs: Any,
) -> Any:
    """``fad.numpy.std``; over one element (or none) its derivative is 0, as autograd's (the
    standard deviation of a single number is constantly 0), not the NaN of sqrt at 0."""
    if _reduced_count(x, axis) <= 1:
        x = _fad.stop_gradient(x)
    return _fnp.std(x, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, **kwargs)


class _IntType(type):
    """The metaclass of the integer types below: an instance of NumPy's type is one of ours."""

    def __instancecheck__(cls, value: object) -> bool:
        return isinstance(value, cls.__mro__[1])

    def __subclasscheck__(cls, other: type) -> bool:
        return issubclass(other, cls.__mro__[1])


def _int_type(base: type[_onp.integer[Any]]) -> Any:
    def __new__(cls: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N807
        if len(args) == 1 and not kwargs and _is_traced(args[0]):
            return _fnp.asarray(args[0]).astype(base)  # no derivative: an integer
        return base(*args, **kwargs)

    return _IntType(
        base.__name__,
        (base,),
        {
            "__new__": __new__,
            "__module__": __name__,
            "__doc__": (
                f"NumPy's ``{base.__name__}``; called on a traced value it casts it (autograd's "
                "``np.int64(x)``, e.g. to index with a column of the array)."
            ),
        },
    )


int8, int16, int32, int64 = (_int_type(t) for t in (_onp.int8, _onp.int16, _onp.int32, _onp.int64))
uint8, uint16, uint32, uint64 = (_int_type(t) for t in (_onp.uint8, _onp.uint16, _onp.uint32, _onp.uint64))
