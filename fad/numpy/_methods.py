# mypy: allow-redefinition-new, local-partial-types
"""The array interface of traced values: operators and methods, bound late onto
:class:`fad._core.Tracer` so the core never imports fad.numpy."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad._backend import BackendArray
from fad._core import REGISTRY, Tracer, _state, bind
from fad._structural import astype
from fad.numpy import _indexing, _shape_manipulation
from fad.numpy._extrema import max as _max
from fad.numpy._extrema import min as _min
from fad.numpy._indexing import diagonal, take
from fad.numpy._linear_algebra import dot, matmul, trace
from fad.numpy._logic import all as _all
from fad.numpy._logic import any as _any
from fad.numpy._math import clip, conj, conjugate, floor_divide, imag, mod, real
from fad.numpy._math import round as _round
from fad.numpy._sorting_searching import argmax, argmin, argsort, sort
from fad.numpy._statistics import mean, ptp, std, var
from fad.numpy._sums_products_differences import cumprod, cumsum, prod
from fad.numpy._sums_products_differences import sum as _sum
from fad.numpy._tiling import repeat
from fad.numpy._util import _SEQUENCES, coerce

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import DTypeLike


def _require_bool(*xs: Any) -> None:
    for x in xs:
        dt = x.dtype if hasattr(x, "dtype") else np.result_type(x)
        if dt != np.bool_:
            raise TypeError(
                f"&, |, ^ and ~ on traced values are supported for booleans only (got {dt}); "
                "fad has no bitwise integer operations."
            )


def _boolean_op(prim_name: str, swap: bool) -> Any:
    def op(self: Any, other: Any) -> Any:
        other = coerce(other)
        _require_bool(self, other)
        a, b = (other, self) if swap else (self, other)
        return bind(REGISTRY[prim_name], a, b)

    return op


def _boolean_invert(self: Any) -> Any:
    _require_bool(self)
    return bind(REGISTRY["logical_not"], self)


def _swap(f: Any) -> Any:
    return lambda self, other: f(coerce(other), self)


# ndarray methods that are fad.numpy functions of the same name taking the array first
_FORWARDED: dict[str, Callable[..., Any]] = {
    "all": _all,
    "any": _any,
    "argmax": argmax,
    "argmin": argmin,
    "argsort": argsort,
    "clip": clip,
    "conj": conj,
    "conjugate": conjugate,
    "cumprod": cumprod,
    "cumsum": cumsum,
    "nonzero": _indexing.nonzero,
    "prod": prod,
    "ptp": ptp,
    "round": _round,
    "sort": sort,
    "std": std,
    "var": var,
}
# ... and the properties
_PROPERTIES: dict[str, Callable[..., Any]] = {"real": real, "imag": imag}


def _forward_method(self: Any, name: str) -> Any:
    """``x.name(...)`` as ``fad.numpy.name(x, ...)`` for the array methods above."""
    f = _FORWARDED.get(name)
    if f is not None:
        return lambda *args, **kwargs: f(self, *args, **kwargs)
    f = _PROPERTIES.get(name)
    if f is not None:
        return f(self)
    raise AttributeError(f"traced value has no attribute {name!r}")


def _operators(prim: Any) -> Any:
    """``x op y`` and ``y op x`` for a traced ``x``: straight to the current trace (these are
    the hottest calls in user code, so they skip the bind() layer)."""

    def op(s: Any, o: Any) -> Any:
        if type(o) in _SEQUENCES:
            o = coerce(o)
        return _state.trace.process(prim, (s, o), {})

    def rop(s: Any, o: Any) -> Any:
        if type(o) in _SEQUENCES:
            o = coerce(o)
        return _state.trace.process(prim, (o, s), {})

    return op, rop


def _astype_method(x: Any, dtype: DTypeLike) -> Any:
    """``x.astype(dtype)``; complex to real keeps the real part and warns, as NumPy."""
    dtype = np.dtype(dtype)
    if x.dtype.kind == "c" and dtype.kind != "c":
        warnings.warn(
            "Casting complex values to real discards the imaginary part",
            np.exceptions.ComplexWarning,
            stacklevel=2,
        )
    return astype(x, dtype)


def _install(T: Any) -> None:
    bind_ = bind
    T.__add__, T.__radd__ = _operators(ew.add_p)
    T.__sub__, T.__rsub__ = _operators(ew.sub_p)
    T.__mul__, T.__rmul__ = _operators(ew.mul_p)
    T.__truediv__, T.__rtruediv__ = _operators(ew.div_p)
    T.__pow__, T.__rpow__ = _operators(ew.pow_p)
    T.__mod__ = lambda s, o: mod(s, o)
    T.__rmod__ = lambda s, o: mod(o, s)
    T.__floordiv__ = lambda s, o: floor_divide(s, o)
    T.__rfloordiv__ = lambda s, o: floor_divide(o, s)
    T.__neg__ = lambda s: _state.trace.process(ew.neg_p, (s,), {})
    T.__pos__ = lambda s: s
    T.__abs__ = lambda s: bind_(ew.abs_p, s)
    T.__matmul__ = lambda s, o: matmul(s, o)
    T.__rmatmul__ = _swap(matmul)
    T.__lt__ = _operators(ew.lt_p)[0]
    T.__le__ = _operators(ew.le_p)[0]
    T.__gt__ = _operators(ew.gt_p)[0]
    T.__ge__ = _operators(ew.ge_p)[0]
    T.__eq__ = _operators(ew.eq_p)[0]
    T.__ne__ = _operators(ew.ne_p)[0]
    for op, prim_name in (("and", "logical_and"), ("or", "logical_or"), ("xor", "logical_xor")):
        setattr(T, f"__{op}__", _boolean_op(prim_name, swap=False))
        setattr(T, f"__r{op}__", _boolean_op(prim_name, swap=True))
    T.__invert__ = _boolean_invert
    T.__getitem__ = _indexing.getitem

    T.T = property(lambda s: _shape_manipulation.transpose(s))
    T.mT = property(lambda s: _shape_manipulation.swapaxes(s, -1, -2))
    # the reductions take NumPy's arguments, in ndarray's order (out, keepdims, initial, where)
    T.sum = lambda s, *args, **kwargs: _sum(s, *args, **kwargs)
    T.mean = lambda s, *args, **kwargs: mean(s, *args, **kwargs)
    T.max = lambda s, *args, **kwargs: _max(s, *args, **kwargs)
    T.min = lambda s, *args, **kwargs: _min(s, *args, **kwargs)
    T.reshape = lambda s, *shape, order="C": _shape_manipulation.reshape(
        s, shape[0] if len(shape) == 1 else shape, order
    )
    T.transpose = lambda s, *axes: _shape_manipulation.transpose(
        s, None if not axes else (axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes)
    )
    T.swapaxes = _shape_manipulation.swapaxes
    T.squeeze = lambda s, axis=None: _shape_manipulation.squeeze(s, axis)
    T.ravel = lambda s, order="C": _shape_manipulation.ravel(s, order)
    T.flatten = lambda s, order="C": _shape_manipulation.ravel(s, order)  # a traced value is never shared
    T.astype = _astype_method
    T.dot = lambda s, o: dot(s, o)
    T.copy = lambda s: s
    T.__array_priority__ = 1000
    T.at = property(lambda s: _indexing._IndexUpdateHelper(s))
    T.repeat = lambda s, repeats, axis=None: repeat(s, repeats, axis)
    T.take = lambda s, indices, axis=None, mode=None: take(s, indices, axis, mode=mode)
    T.diagonal = lambda s, offset=0, axis1=0, axis2=1: diagonal(s, offset, axis1, axis2)
    T.trace = lambda s, offset=0, axis1=0, axis2=1, dtype=None: trace(s, offset, axis1, axis2, dtype)
    T.__getattr__ = _forward_method


_install(Tracer)
_install(BackendArray)  # (another library's array while a transform runs: the same interface)
# (bound onto the class at run time, which its declaration cannot say)
Tracer.item = lambda s: s._no_conversion(  # type: ignore[attr-defined]
    ".item()", "Keep it as an array, or call fad.stop_gradient(x) first."
)
Tracer.tolist = lambda s: s._no_conversion(".tolist()", "Keep it as an array.")  # type: ignore[attr-defined]
