# mypy: allow-redefinition-new, local-partial-types
"""Numerical ranges (NumPy's "Array creation routines"): ``arange``, ``linspace``,
``logspace``, ``geomspace`` and ``meshgrid``. The ends of the spaced ranges may be traced."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad._prims import astype
from fad._prims import broadcast_to as st_broadcast_to
from fad.numpy._creation import _lists, asarray
from fad.numpy._indexing import getitem
from fad.numpy._joining import concatenate
from fad.numpy._math import log10, sign
from fad.numpy._shape_manipulation import _arr, broadcast_arrays, broadcast_to, moveaxis, ravel
from fad.numpy._util import shape
from fad.numpy._util import shape as shape_of

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from fad.typing import Array, ArrayLike


def arange(*args: ArrayLike, **kwargs: Any) -> Array:
    """Evenly spaced values in a half-open interval (concrete arguments only).

    Args:
        *args: Positional arguments, as NumPy's.
        **kwargs: Keyword arguments, as NumPy's.

    Returns:
        A 1-d array of the values.
    """
    if any(isinstance(a, Tracer) for a in (*args, *kwargs.values())):
        raise TypeError(
            "arange: the number of values would depend on a traced argument. Use concrete "
            "bounds, e.g. start + step * fad.numpy.arange(n) with a traced start and step."
        )
    return np.arange(*args, **kwargs)  # type: ignore[call-overload]  # concrete numbers here


def linspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: DTypeLike | None = None,
    axis: int = 0,
) -> Array:
    """`num` evenly spaced values from `start` to `stop`; the ends may be traced.

    Args:
        start: First value of the sequence.
        stop: Last value of the sequence (included if `endpoint`).
        num: Number of values.
        endpoint: Whether `stop` is the last value.
        retstep: Also return the step between values.
        dtype: Data type of the result; None keeps NumPy's default.
        axis: Axis of the result holding the values (for array `start` or `stop`).

    Returns:
        The values (and the step, if `retstep`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(lambda b: fnp.linspace(0.0, b, 5).sum())(1.0)
        np.float64(2.5)
    """
    start, stop = _lists(start), _lists(stop)
    if not (isinstance(start, Tracer) or isinstance(stop, Tracer)):
        return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)  # type: ignore[call-overload]
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
    y = st_broadcast_to(y, (num,) + bshape)
    if endpoint and num > 1:
        y = concatenate([getitem(y, slice(0, num - 1)), st_broadcast_to(stop, (1,) + bshape)], 0)
    if axis != 0:
        y = moveaxis(y, 0, axis)
    if dtype is not None:
        y = astype(y, dtype)
    return (y, step) if retstep else y


def logspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    base: ArrayLike = 10.0,
    dtype: DTypeLike | None = None,
    axis: int = 0,
) -> Array:
    """`base ** linspace(start, stop, num)`; `start`, `stop` and `base` may be traced.

    Args:
        start: First value of the sequence.
        stop: Last value of the sequence (included if `endpoint`).
        num: Number of values.
        endpoint: Whether `stop` is the last value.
        base: Base of the log space.
        dtype: Data type of the result; None keeps NumPy's default.
        axis: Axis of the result holding the values (for array `start` or `stop`).

    Returns:
        The values.
    """
    start, stop, base = _lists(start), _lists(stop), _lists(base)
    if not any(isinstance(v, Tracer) for v in (start, stop, base)):
        return np.logspace(start, stop, num, endpoint, base, dtype, axis)
    y = linspace(start, stop, num, endpoint, axis=axis)
    if not isinstance(y, Tracer):
        y = np.asarray(y)
    out = base**y
    return out if dtype is None else astype(out, dtype)


def geomspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    dtype: DTypeLike | None = None,
    axis: int = 0,
) -> Array:
    """`num` values spaced evenly on a log scale from `start` to `stop` (the ends may
    be traced; both must be non-zero and of the same sign, as in NumPy).

    Args:
        start: First value of the sequence.
        stop: Last value of the sequence (included if `endpoint`).
        num: Number of values.
        endpoint: Whether `stop` is the last value.
        dtype: Data type of the result; None keeps NumPy's default.
        axis: Axis of the result holding the values (for array `start` or `stop`).

    Returns:
        The values.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.geomspace(1.0, 1000.0, 4)
        array([   1.,   10.,  100., 1000.])
        >>> fad.grad(lambda b: fnp.geomspace(1.0, b, 3)[1])(4.0)
        np.float64(0.25)
    """
    if not (isinstance(start, Tracer) or isinstance(stop, Tracer)):
        return np.geomspace(start, stop, num, endpoint, dtype, axis)  # type: ignore[arg-type, misc]
    start, stop = asarray(start) * 1.0, asarray(stop) * 1.0
    num = int(num)
    out_sign = sign(start)  # a negative sequence is the positive one, negated
    start, stop = start / out_sign, stop / out_sign
    result = logspace(log10(start), log10(stop), num=num, endpoint=endpoint)
    bshape = np.broadcast_shapes(tuple(shape(start)), tuple(shape(stop)))
    if num > 0:  # the ends are exactly start and stop, as NumPy makes them
        ends = [broadcast_to(start, (1,) + bshape)]
        middle = result[1 : num - 1] if (endpoint and num > 1) else result[1:]
        parts = ends + [middle]
        if endpoint and num > 1:
            parts.append(broadcast_to(stop, (1,) + bshape))
        result = concatenate(parts, axis=0)
    result = out_sign * result
    if axis != 0:
        result = moveaxis(result, 0, axis)
    return result if dtype is None else result.astype(dtype)


def meshgrid(
    *xi: ArrayLike, copy: bool | None = True, sparse: bool = False, indexing: str = "xy"
) -> tuple[Array, ...]:
    """Coordinate arrays from coordinate vectors (`indexing` 'xy' or 'ij').

    Args:
        *xi: 1-d coordinate vectors.
        copy: Accepted for NumPy compatibility.
        sparse: Return open (broadcasting) grids instead of full ones.
        indexing: 'xy' (Cartesian, the default) or 'ij' (matrix) indexing.

    Returns:
        A tuple of coordinate arrays, one per input vector.
    """
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: indexing must be 'xy' or 'ij'.")
    xs = [ravel(_arr(x)) for x in xi]
    nd = len(xs)
    out = []
    for i, x in enumerate(xs):
        s = [1] * nd
        s[i] = shape(x)[0]
        if indexing == "xy" and nd > 1 and i < 2:
            s[0], s[1] = s[1], s[0]
        out.append(st.reshape(x, tuple(s)))
    if not sparse:
        out = list(broadcast_arrays(*out))
    return tuple(out)
