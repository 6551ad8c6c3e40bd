# mypy: allow-redefinition-new, local-partial-types
"""What the reductions share: NumPy's ``axis``/``keepdims`` shapes, ``where=`` masks,
``initial=``, and NumPy's scalar results."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as st
from fad._prims import astype, reduce_sum
from fad.numpy._util import check_arraylike, coerce, is_traced, ndim, shape

if TYPE_CHECKING:
    from numpy.typing import DTypeLike


def _arr(a: Any) -> Any:
    """A traced value as is; a list or tuple as an array (traced if it holds traced values);
    anything else as a NumPy array (containers refused)."""
    if is_traced(a):
        return a
    if type(a) in (list, tuple):
        a = coerce(a)
        return a if is_traced(a) else np.asarray(a)
    return np.asarray(check_arraylike(a))


def _dtype_of(a: Any) -> Any:
    return a.dtype if hasattr(a, "dtype") else np.result_type(a)


def _count(a: Any, axes: Any) -> Any:
    n = 1
    for ax in axes:
        n *= shape(a)[ax]
    return n


def _to_float(a: Any, dtype: DTypeLike | None = None) -> Any:
    """``a`` cast to ``dtype``, or to float64 when it is boolean or integer (as NumPy's
    mean, var and quantile do)."""
    if dtype is None and _dtype_of(a).kind in "biu":
        dtype = np.float64
    return a if dtype is None else astype(a, dtype)


def _out(r: Any) -> Any:
    """NumPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return r if is_traced(r) or np.ndim(r) or not isinstance(r, np.ndarray) else r[()]


def _isnan(a: Any) -> Any:
    return ew.ne(a, a)


def _kept_shape(shp: Any, axes: Any, keepdims: bool) -> Any:
    return tuple(1 if i in axes else s for i, s in enumerate(shp) if keepdims or i not in axes)


def _no_out(out: Any, name: str) -> None:
    if out is not None:
        raise NotImplementedError(f"fad.numpy.{name} does not support out=; use the return value.")


def _broadcasts(w: Any, a: Any) -> Any:
    try:
        np.broadcast_shapes(shape(w), shape(a))
    except ValueError:
        return False
    return True


def _mask(where: Any, a: Any, name: str) -> Any:
    """``where`` as a boolean mask of ``a``'s shape (it may be traced, e.g. batched by vmap)."""
    w = _arr(coerce(where))
    if _dtype_of(w) != np.bool_:
        raise TypeError(
            f"{name}: where= must be a boolean mask, got dtype {_dtype_of(w)}; make one with a "
            "comparison, e.g. where=(m != 0)."
        )
    if not _broadcasts(w, a) or np.broadcast_shapes(shape(w), shape(a)) != tuple(shape(a)):
        raise ValueError(
            f"{name}: where= of shape {tuple(shape(w))} does not broadcast to the array's shape "
            f"{tuple(shape(a))}; give a mask of that shape or one that broadcasts to it."
        )
    return st.broadcast_to(w, tuple(shape(a)))


def _masked(a: Any, where: Any, fill: Any, name: str) -> Any:
    """``a`` with the entries where ``where`` is false replaced by ``fill`` (they get a zero
    derivative)."""
    return a if where is True else ew.select(_mask(where, a, name), a, fill)


def _initial(initial: Any, dtype: DTypeLike, name: str) -> Any:
    """``initial`` (a scalar, possibly traced) in the reduction's dtype, as NumPy casts it."""
    if ndim(initial) != 0:
        raise ValueError(f"{name}: initial= must be a scalar, got an array of shape {tuple(shape(initial))}.")
    return astype(initial, dtype)


def _least_extreme(dtype: np.dtype[Any], for_max: bool) -> Any:
    """The value that never wins a max (``for_max``) or min in ``dtype``."""
    if dtype.kind == "b":
        return not for_max
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return int(info.min if for_max else info.max)
    return -np.inf if for_max else np.inf


def _selected(mask: Any, axes: Any, keepdims: bool, dtype: DTypeLike, warning: Any) -> Any:
    """How many entries ``mask`` selects per reduced slice (in ``dtype``); warns with
    NumPy's ``warning`` when a concrete slice selects none."""
    count = reduce_sum(astype(mask, dtype), axes=axes, keepdims=keepdims)
    if not is_traced(count) and np.any(count == 0):
        warnings.warn(warning, RuntimeWarning, stacklevel=3)
    return count
