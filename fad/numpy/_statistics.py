# mypy: allow-redefinition-new, local-partial-types
"""Statistics (NumPy's "Statistics"): order statistics (``ptp``, ``percentile``,
``quantile``), averages and variances (``median``, ``average``, ``mean``, ``std``, ``var``
and their ``nan`` forms), correlating (``corrcoef``, ``cov``) and histograms
(``digitize``). Moments take NumPy's ``axis`` (None, int, tuple), ``keepdims``, ``ddof``
and ``where``."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as st
from fad._core import Tracer, TracerConversionError
from fad._prims import astype, reduce_sum
from fad._prims import scans as sc
from fad._prims.reductions import reduce_max
from fad.numpy._creation import asarray
from fad.numpy._extrema import max, min
from fad.numpy._indexing import diagonal
from fad.numpy._indexing import where as _choose
from fad.numpy._joining import concatenate, stack
from fad.numpy._linear_algebra import matmul
from fad.numpy._logic import any, isnan, logical_and, logical_not
from fad.numpy._math import clip, sqrt
from fad.numpy._reducing import (
    _arr,
    _count,
    _dtype_of,
    _isnan,
    _kept_shape,
    _mask,
    _no_out,
    _out,
    _selected,
    _to_float,
)
from fad.numpy._shape_manipulation import atleast_2d, squeeze, transpose
from fad.numpy._sorting_searching import _one_dimensional, searchsorted
from fad.numpy._sums_products_differences import sum
from fad.numpy._util import coerce, is_traced, ndim, normalize_axes, shape

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from fad.numpy._util import Axis
    from fad.typing import Array, ArrayLike

# ------------------------------------------------------------------- order statistics


def ptp(a: ArrayLike, axis: Axis = None, keepdims: bool = False) -> Array:
    """Range `max - min` over `axis`.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.

    Returns:
        The range `max - min` over `axis`.
    """
    a = _arr(a)
    return max(a, axis, keepdims=keepdims) - min(a, axis, keepdims=keepdims)


def _last_axis_view(a: Any, axes: Any) -> Any:
    """``a`` with the reduced ``axes`` moved last and flattened into one, and the shape
    of the kept axes."""
    shp = shape(a)
    rest = tuple(i for i in range(len(shp)) if i not in axes)
    y = st.transpose(a, rest + tuple(axes))
    kept = tuple(shp[i] for i in rest)
    return st.reshape(y, kept + (_count(a, axes),)), kept


_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _positions(q: Any, n: Any, method: str) -> Any:
    """Lower and upper order-statistic indices and the interpolation weight, for ``q``."""
    vi = q * (n - 1)
    lo = np.clip(np.floor(vi), 0, n - 1).astype(np.intp)
    hi = np.minimum(lo + 1, n - 1)
    t = vi - lo
    if method == "lower":
        hi, t = lo, np.zeros_like(t)
    elif method == "higher":
        lo = hi = np.clip(np.ceil(vi), 0, n - 1).astype(np.intp)
        t = np.zeros_like(t)
    elif method == "nearest":
        lo = hi = np.around(vi).astype(np.intp)
        t = np.zeros_like(t)
    elif method == "midpoint":
        t = np.where(vi % 1 == 0, 0.0, 0.5)
    return lo, hi, t


def _any_along(b: Any, axis: int) -> Any:
    """Whether any of the booleans ``b`` is true along ``axis``."""
    return reduce_max(b, axes=(axis,), keepdims=False)


def _quantile(
    a: Any, q: Any, axis: Axis, out: None, method: str, keepdims: bool, weights: Any, name: str
) -> Any:
    if out is not None or weights is not None:
        raise NotImplementedError(f"fad.numpy.{name} does not support out= or weights=.")
    if method not in _METHODS:
        raise ValueError(f"{name}: method {method!r} is not supported by fad; use one of {_METHODS}.")
    if is_traced(q):
        raise TypeError(
            f"{name}: q is a traced value; fad needs concrete quantile levels to choose the order "
            "statistics. Pass q as a NumPy array or Python float (not an argument being transformed)."
        )
    qa = np.asarray(q, dtype=np.float64)
    if name == "quantile" and not np.all((qa >= 0) & (qa <= 1)):
        raise ValueError("Quantiles must be in the range [0, 1]")
    a = _arr(a)
    discrete = method in ("lower", "higher", "nearest")
    if not discrete and name != "median" and _dtype_of(a) == np.bool_:  # NumPy: bool subtract fails
        raise TypeError(
            f"{name}: a has dtype bool, which {name} cannot interpolate (as NumPy). Convert it "
            "with a.astype(float), or use method='lower', 'higher' or 'nearest'."
        )
    if discrete:  # values taken from ``a``: its dtype, as NumPy
        out_dtype = _dtype_of(a)
    else:  # NumPy's lerp promotion; a Python float q is weak
        q_dtype = np.asarray(q).dtype
        out_dtype = np.result_type(_dtype_of(a), 0.0 if type(q) in (int, float) else q_dtype, 0.0)
        if out_dtype.kind not in "fc":
            out_dtype = np.dtype(np.float64)
    a = astype(a, out_dtype)
    shp = shape(a)
    axes = normalize_axes(axis, len(shp), name)
    y, kept = _last_axis_view(a, axes)
    n = shape(y)[-1]
    if n == 0:
        raise IndexError(
            f"{name}: cannot take a quantile over an empty axis (a has shape {shp}, axis {axis!r})."
        )
    last = len(kept)
    s = sc.gather(y, sc.argsort(y, last, "stable"), last)
    lo, hi, t = _positions(qa.ravel(), n, method)
    pick = (slice(None),) * last
    lo_v = st.getitem(s, pick + (lo,))
    hi_v = st.getitem(s, pick + (hi,))
    if discrete:
        r = lo_v
    else:
        diff = hi_v - lo_v  # NumPy's lerp, with its roundings
        r = ew.select(t >= 0.5, hi_v - diff * (1 - t).astype(out_dtype), lo_v + diff * t.astype(out_dtype))
    if out_dtype.kind in "fc":
        has_nan = _any_along(_isnan(y), last)
        r = ew.select(st.reshape(has_nan, kept + (1,)), np.nan, r)
    # move q's axes first, as NumPy does
    r = st.reshape(r, kept + qa.shape)
    r = st.transpose(r, tuple(range(last, last + qa.ndim)) + tuple(range(last)))
    if keepdims:
        r = st.reshape(r, qa.shape + _kept_shape(shp, axes, True))
    return _out(r)


def percentile(
    a: ArrayLike,
    q: ArrayLike,
    axis: Axis = None,
    out: None = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
    *,
    weights: ArrayLike | None = None,
) -> Array:
    """The `q`-th percentiles over `axis` (`q` concrete, in [0, 100]).

    Args:
        a: Input array.
        q: Percentile(s) to compute, in [0, 100] (concrete values).
        axis: Axis or axes to work along; None means all of them (the flattened array).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        overwrite_input: Accepted for NumPy compatibility; fad never overwrites its input.
        method: How to interpolate between data points, as NumPy (e.g. 'linear').
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        weights: Weights, shaped like `a` (method "inverted_cdf" only, as NumPy).

    Returns:
        The percentiles over `axis` (a leading axis per `q` if `q` is an array).
    """
    if is_traced(q):
        return _quantile(a, q, axis, out, method, keepdims, weights, "percentile")
    qa = np.asarray(q)
    if not np.all((qa >= 0) & (qa <= 100)):
        raise ValueError("Percentiles must be in the range [0, 100]")
    q = q / 100 if type(q) in (int, float) else np.true_divide(np.asarray(q), 100)  # type: ignore[operator]
    return _quantile(a, q, axis, out, method, keepdims, weights, "percentile")


def quantile(
    a: ArrayLike,
    q: ArrayLike,
    axis: Axis = None,
    out: None = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
    *,
    weights: ArrayLike | None = None,
) -> Array:
    """The `q`-th quantiles over `axis` (`q` concrete, in [0, 1]). The derivative flows
    to the order statistics the result interpolates between.

    Args:
        a: Input array.
        q: Quantile(s) to compute (concrete values).
        axis: Axis or axes to work along; None means all of them (the flattened array).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        overwrite_input: Accepted for NumPy compatibility; fad never overwrites its input.
        method: How to interpolate between data points, as NumPy (e.g. 'linear').
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        weights: Weights, shaped like `a` (method "inverted_cdf" only, as NumPy).

    Returns:
        The quantiles over `axis` (a leading axis per `q` if `q` is an array).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.quantile(fnp.array([1.0, 2.0, 3.0, 10.0]), 0.5)
        np.float64(2.5)
    """
    return _quantile(a, q, axis, out, method, keepdims, weights, "quantile")


# ------------------------------------------------------------- averages and variances


def median(
    a: ArrayLike, axis: Axis = None, out: None = None, overwrite_input: bool = False, keepdims: bool = False
) -> Array:
    """Median over `axis` (NaN for an empty slice, as NumPy, with a warning).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        overwrite_input: Accepted for NumPy compatibility; fad never overwrites its input.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.

    Returns:
        The medians over `axis`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(fnp.median)(fnp.array([4.0, 1.0, 3.0, 2.0]))
        array([0. , 0. , 0.5, 0.5])
    """
    a = _arr(a)
    axes = normalize_axes(axis, ndim(a), "median")
    if _count(a, axes) == 0:
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
        return _out(np.full(_kept_shape(shape(a), axes, keepdims), np.nan, np.result_type(_dtype_of(a), 0.5)))
    return _quantile(a, 0.5, axis, out, "linear", keepdims, None, "median")


def average(
    a: ArrayLike,
    axis: Axis = None,
    weights: ArrayLike | None = None,
    returned: bool = False,
    *,
    keepdims: bool = False,
) -> Array:
    """Weighted mean over `axis`; with `returned=True` also the sum of the weights.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        weights: Weights, shaped like `a` or 1-d along `axis`.
        returned: Also return the sum of the weights.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.

    Returns:
        The weighted means (and the sums of the weights, if `returned`).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.average(fnp.array([1.0, 2.0, 4.0]), weights=fnp.array([1.0, 1.0, 2.0]))
        np.float64(2.75)
    """
    a = _arr(a)
    nd = ndim(a)
    axes = normalize_axes(axis, nd, "average")
    if weights is None:
        avg = mean(a, axes, keepdims=keepdims)
        scl = np.asarray(_count(a, axes), dtype=_dtype_of(avg))
    else:
        w = _arr(weights)
        if shape(w) != shape(a):
            if axis is None:
                raise TypeError("Axis must be specified when shapes of a and weights differ.")
            along = tuple(shape(a)[ax] for ax in axes)
            if tuple(shape(w)) != along:
                raise ValueError(
                    "Shape of weights must be consistent with shape of a along specified axis "
                    f"(a has shape {shape(a)}, weights {shape(w)}, axis {axis!r}): give weights "
                    f"of shape {along} or {shape(a)}."
                )
            w = st.reshape(w, tuple(s if i in axes else 1 for i, s in enumerate(shape(a))))
        out_dtype = np.result_type(_dtype_of(a), _dtype_of(w), 1.0)
        a, w = astype(a, out_dtype), astype(w, out_dtype)
        w = st.broadcast_to(w, shape(a))
        scl = reduce_sum(w, axes=axes, keepdims=keepdims)
        try:
            zero = bool(any(scl == 0))
        except TracerConversionError:  # under vmap the weights are not concrete
            zero = False
        if zero:
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = reduce_sum(a * w, axes=axes, keepdims=keepdims) / scl
    if returned:
        if shape(scl) != shape(avg):
            scl = st.broadcast_to(scl, shape(avg))
        return avg, _out(scl)
    return avg


def mean(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    keepdims: bool = False,
    *,
    where: ArrayLike | None = True,
) -> Array:
    """Arithmetic mean over `axis` (integer inputs give float64, as NumPy); with `where`,
    of the selected entries only (divided by their count).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The means over `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.mean(fnp.array([[1.0, 2.0], [3.0, 5.0]]), axis=1, where=fnp.array([True, False]))
        array([1., 3.])
    """
    _no_out(out, "mean")
    a = coerce(a)
    axes = normalize_axes(axis, ndim(a), "mean")
    kind = (a.dtype if hasattr(a, "dtype") else np.result_type(a)).kind
    if dtype is None and kind in "biu":
        dtype = np.float64
    if dtype is not None:
        a = astype(a, dtype)
    if where is True:
        n = 1
        for ax in axes:
            n *= shape(a)[ax]
        return reduce_sum(a, axes=axes, keepdims=keepdims) / n
    mask = _mask(where, a, "mean")
    count = _selected(mask, axes, keepdims, _dtype_of(a), "Mean of empty slice")
    with np.errstate(invalid="ignore", divide="ignore"):
        return reduce_sum(ew.select(mask, a, 0), axes=axes, keepdims=keepdims) / count


def std(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    where: ArrayLike | None = True,
    mean: ArrayLike | None = None,
    correction: float | None = None,
) -> Array:
    """Standard deviation over `axis` (`sqrt(var)`; its derivative is infinite where
    the variance is zero).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        ddof: Delta degrees of freedom: the divisor is `N - ddof`.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.
        mean: The precomputed mean of `a` over `axis` (with `keepdims=True`), to avoid recomputing it.
        correction: The array API's name for `ddof`.

    Returns:
        The standard deviations over `axis`.
    """
    return ew.sqrt(var(a, axis, dtype, out, ddof, keepdims, where=where, mean=mean, correction=correction))


def _abs2(d: Any) -> Any:
    """``|d|**2``: ``d * d``, or ``Re(d * conj(d))`` for complex ``d`` (a real variance, as NumPy)."""
    return ew.real(d * ew.conj(d)) if d.dtype.kind == "c" else d * d


def _masked_var(a: Any, mask: Any, axes: Any, ddof: float, keepdims: bool) -> Any:
    """The variance of the entries ``mask`` selects (NumPy's ``var(..., where=mask)``)."""
    count = _selected(mask, axes, True, st.real_dtype(_dtype_of(a)), "Mean of empty slice")
    with np.errstate(invalid="ignore", divide="ignore"):
        d = ew.select(mask, a - reduce_sum(ew.select(mask, a, 0), axes=axes, keepdims=True) / count, 0)
        dof = count if keepdims else st.reshape(count, _kept_shape(shape(a), axes, False))
        dof = dof - ddof
        if not is_traced(dof) and np.any(dof <= 0):
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=3)
        return _out(reduce_sum(_abs2(d), axes=axes, keepdims=keepdims) / ew.maximum(dof, 0))


def var(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    where: ArrayLike | None = True,
    mean: ArrayLike | None = None,
    correction: float | None = None,
) -> Array:
    """Variance over `axis`, dividing by `n - ddof` (`correction` is an alias); with
    `where`, of the selected entries (`n` is their count).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        ddof: Delta degrees of freedom: the divisor is `N - ddof`.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.
        mean: The precomputed mean of `a` over `axis` (with `keepdims=True`), to avoid recomputing it.
        correction: The array API's name for `ddof`.

    Returns:
        The variances over `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> float(fnp.var(fnp.array([1.0, 2.0, 3.0, 4.0]), ddof=1))
        1.6666666666666667
    """
    if mean is not None:
        raise NotImplementedError(
            "fad.numpy.var does not take mean=; leave it out (fad recomputes the mean)."
        )
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    _no_out(out, "var")
    a = _to_float(_arr(a), dtype)
    axes = normalize_axes(axis, ndim(a), "var")
    if where is not True:
        return _masked_var(a, _mask(where, a, "var"), axes, ddof, keepdims)
    n = _count(a, axes)
    d = a - reduce_sum(a, axes=axes, keepdims=True) / n
    divisor = n - ddof
    if divisor <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        divisor = 0
    return reduce_sum(_abs2(d), axes=axes, keepdims=keepdims) / divisor


def nanmean(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    keepdims: bool = False,
    *,
    where: ArrayLike | None = True,
) -> Array:
    """Mean over `axis` of the non-NaN entries (of those `where` selects; NaN for a slice
    with none).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The means over `axis` of the non-NaN entries.
    """
    a = _arr(a)
    if _dtype_of(a).kind not in "fc":
        return mean(a, axis, dtype, out, keepdims, where=where)
    _no_out(out, "nanmean")
    a = _to_float(a, dtype)
    axes = normalize_axes(axis, ndim(a), "nanmean")
    valid = ew.eq(a, a)
    if where is not True:
        valid = ew.select(_mask(where, a, "nanmean"), valid, False)
    with np.errstate(invalid="ignore", divide="ignore"):
        return reduce_sum(ew.select(valid, a, 0), axes=axes, keepdims=keepdims) / reduce_sum(
            astype(valid, _dtype_of(a)), axes=axes, keepdims=keepdims
        )


def nanstd(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    where: ArrayLike | None = True,
) -> Array:
    """Standard deviation over `axis` of the non-NaN entries.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        ddof: Delta degrees of freedom: the divisor is `N - ddof`.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The standard deviations over `axis` of the non-NaN entries.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nanstd(fnp.array([1.0, fnp.nan, 3.0]))
        np.float64(1.0)
    """
    return sqrt(nanvar(a, axis, dtype, out, ddof, keepdims, where=where))


def nanvar(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    ddof: float = 0,
    keepdims: bool = False,
    *,
    where: ArrayLike | None = True,
) -> Array:
    """Variance over `axis` of the non-NaN entries (of those `where` selects; NaN, with
    NumPy's warning, where fewer than `ddof + 1` entries are left).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        ddof: Delta degrees of freedom: the divisor is `N - ddof`.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The variances over `axis` of the non-NaN entries.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nanvar(fnp.array([1.0, fnp.nan, 3.0]))
        np.float64(1.0)
    """
    a = asarray(a)
    if a.dtype.kind not in "fc":
        return var(a, axis, dtype, out, ddof, keepdims, where=where)
    if out is not None:
        raise NotImplementedError("fad.numpy.nanvar does not support out=; use the return value.")
    axes = normalize_axes(axis, ndim(a), "nanvar")
    valid = logical_not(isnan(a))
    if where is not True:
        valid = logical_and(valid, _mask(where, a, "nanvar"))
    nan = logical_not(valid)
    arr = _choose(nan, 0.0, a)
    cnt = sum(valid, axis=axes, keepdims=True)
    avg = sum(arr, axis=axes, dtype=dtype, keepdims=True) / cnt
    dev = _choose(nan, 0.0, arr - avg)
    v = sum(_abs2(dev), axis=axes, dtype=dtype, keepdims=keepdims)
    dof = (cnt if keepdims else squeeze(cnt, axes)) - ddof
    bad = dof <= 0
    if not is_traced(bad) and np.any(bad):
        warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _choose(bad, np.nan, v / _choose(bad, 1, dof))
    return out[()] if type(out) is np.ndarray and out.ndim == 0 else out  # a scalar, as NumPy


# ------------------------------------------------------------------------ correlating


def corrcoef(
    x: ArrayLike, y: ArrayLike | None = None, rowvar: bool = True, *, dtype: DTypeLike | None = None
) -> Array:
    """Pearson correlation coefficients: the covariance normalized by the standard
    deviations, clipped to [-1, 1] as NumPy does.

    Args:
        x: Input array.
        y: More variables, joined to `x`.
        rowvar: Whether each row is a variable (else each column).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The correlation matrix.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.corrcoef(fnp.array([1.0, 2.0, 4.0]), fnp.array([2.0, 4.0, 8.0]))
        array([[1., 1.],
               [1., 1.]])
    """
    c = cov(x, y, rowvar, dtype=dtype)
    if ndim(c) == 0:  # one variable: NumPy returns c / c
        return c / c
    stddev = sqrt(diagonal(c))
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    return clip(c, -1, 1)


def _rows(x: Any, rowvar: bool, dtype: DTypeLike, what: str) -> Any:
    x = asarray(x)
    if ndim(x) > 2:
        raise ValueError(f"cov: {what} has more than 2 dimensions (shape {shape(x)}).")
    x2 = atleast_2d(x).astype(dtype)
    return transpose(x2) if not rowvar and shape(x2)[0] != 1 else x2


def _weights(w: Any, n: Any, name: str, integer: Any) -> Any:
    w = asarray(w, dtype=float)
    if ndim(w) != 1 or shape(w)[0] != n:
        raise ValueError(
            f"cov: {name} must be 1-d with one weight per observation ({n}), got shape {shape(w)}."
        )
    if not is_traced(w):
        if integer and np.any(w != np.around(w)):
            raise TypeError("cov: fweights must be integers (counts of each observation).")
        if np.any(w < 0):
            raise ValueError(f"cov: {name} cannot be negative.")
    return w


def cov(
    m: ArrayLike,
    y: ArrayLike | None = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: float | None = None,
    fweights: ArrayLike | None = None,
    aweights: ArrayLike | None = None,
    *,
    dtype: DTypeLike | None = None,
) -> Array:
    """The covariance matrix of the variables in the rows of `m` (columns with
    `rowvar=False`), observations weighted by `fweights` (counts) and `aweights`.

    Args:
        m: Variables (rows, or columns if not `rowvar`) by observations.
        y: More variables, joined to `m`.
        rowvar: Whether each row is a variable (else each column).
        bias: Normalize by `N` instead of `N - 1`.
        ddof: Delta degrees of freedom: the divisor is `N - ddof`.
        fweights: Integer frequency weights, one per observation.
        aweights: Observation (reliability) weights, one per observation.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The covariance matrix (a scalar for a single variable).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.cov(fnp.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
        array([[ 1., -1.],
               [-1.,  1.]])
    """
    m = asarray(m)
    if dtype is None:
        dtype = (
            np.result_type(m.dtype, np.float64)
            if y is None
            else np.result_type(m.dtype, asarray(y).dtype, 1.0)
        )
    x = _rows(m, rowvar or ndim(m) == 1, dtype, "m")
    if y is not None:
        x = concatenate([x, _rows(y, rowvar, dtype, "y")], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    n = shape(x)[1]
    w = None
    if fweights is not None:
        w = _weights(fweights, n, "fweights", integer=True)
    if aweights is not None:
        aw = _weights(aweights, n, "aweights", integer=False)
        w = aw if w is None else w * aw
    avg, w_sum = average(x, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        fact = n - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * sum(w * aw) / w_sum
    if not is_traced(fact) and fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    x = x - avg[:, None]
    c = matmul(x, transpose(x if w is None else x * w))
    # NumPy's true_divide: 1 / 0 is inf (with NumPy's warning), so no degrees of freedom give NaN
    return squeeze(c * (1.0 / fact if is_traced(fact) else np.true_divide(1.0, fact)))


# ------------------------------------------------------------------------- histograms


def digitize(x: ArrayLike, bins: ArrayLike, right: bool = False) -> Array:
    """The index of the bin each value of `x` falls in (`bins` increasing or
    decreasing; `right=True`: bins closed on the right).

    Args:
        x: Input array.
        bins: Monotonic 1-d array of bin edges.
        right: Whether the bins include their right edge instead of the left.

    Returns:
        The bin indices, integers shaped like `x`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.digitize(fnp.array([0.5, 1.0, 2.5]), fnp.array([1.0, 2.0, 3.0]))
        array([0, 1, 2])
    """
    bins = _one_dimensional(bins, "digitize", "bins")
    side = "left" if right else "right"
    steps = np.diff(bins._concrete("digitize") if isinstance(bins, Tracer) else bins)
    if np.all(steps >= 0):
        return searchsorted(bins, x, side=side)
    if np.all(steps <= 0):
        return shape(bins)[0] - searchsorted(bins[::-1], x, side=side)
    raise ValueError("digitize: bins must be monotonically increasing or decreasing.")


# ------------------------------------------------------------------ ignoring NaNs


def _nanquantile(a: Any, q: Any, axis: Axis, method: str, keepdims: bool, name: str) -> Any:
    if method not in _METHODS:
        raise ValueError(f"{name}: method {method!r} is not supported by fad; use one of {_METHODS}.")
    if is_traced(q):
        raise TypeError(
            f"{name}: q is a traced value; pass concrete quantile levels (a NumPy array or float)."
        )
    a = _arr(a)
    if _dtype_of(a).kind not in "fc":
        return _quantile(a, q, axis, None, method, keepdims, None, name.replace("nan", "", 1))
    qa = np.asarray(q, dtype=np.float64)
    shp = shape(a)
    axes = normalize_axes(axis, len(shp), name)
    y, kept = _last_axis_view(a, axes)
    last = len(kept)
    s = sc.gather(y, sc.argsort(y, last, "stable"), last)  # NaNs sort last
    count = reduce_sum(astype(logical_not(_isnan(y)), np.float64), axes=(last,), keepdims=True)
    if not is_traced(count) and np.any(count == 0):
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
    results = []
    for level in qa.ravel():
        vi = level * (count - 1)
        lo = ew.select(ew.lt(vi, 0), 0.0, ew.floor(vi))
        hi = ew.select(ew.lt(lo + 1, count - 1), lo + 1, ew.select(ew.lt(count - 1, 0), 0.0, count - 1))
        if method == "lower":
            hi = lo
        elif method == "higher":
            lo = hi = ew.select(ew.lt(vi, 0), 0.0, ew.ceil(vi))
        elif method == "nearest":
            lo = hi = ew.select(ew.lt(vi, 0), 0.0, ew.rint(vi))
        t = vi - lo
        if method == "midpoint":
            t = ew.select(ew.eq(vi, ew.floor(vi)), 0.0, 0.5)
        lo_v = sc.gather(s, astype(lo, np.intp), last)
        hi_v = sc.gather(s, astype(hi, np.intp), last)
        if method in ("lower", "higher", "nearest"):
            r = lo_v
        else:
            t = astype(t, s.dtype)
            diff = hi_v - lo_v
            r = ew.select(ew.ge(t, 0.5), hi_v - diff * (1 - t), lo_v + diff * t)
        r = ew.select(ew.eq(count, 0), np.nan, r)
        results.append(st.reshape(r, kept))
    r = stack(results) if qa.ndim else results[0]
    r = st.reshape(r, qa.shape + kept)
    if keepdims:
        r = st.reshape(r, qa.shape + _kept_shape(shp, axes, True))
    return _out(r)


def nanquantile(
    a: ArrayLike,
    q: ArrayLike,
    axis: Axis = None,
    out: None = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
    *,
    weights: ArrayLike | None = None,
) -> Array:
    """The `q`-th quantiles over `axis`, ignoring NaNs (NaN for an all-NaN slice, with a
    warning). The derivative flows to the order statistics the result interpolates between.

    Args:
        a: Input array.
        q: Quantile(s) to compute (concrete values).
        axis: Axis or axes to work along; None means all of them (the flattened array).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        overwrite_input: Accepted for NumPy compatibility; fad never overwrites its input.
        method: How to interpolate between data points, as NumPy (e.g. 'linear').
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        weights: Not supported: must be None.

    Returns:
        The quantiles over `axis` of the non-NaN entries.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nanquantile(fnp.array([1.0, fnp.nan, 3.0, 10.0]), 0.5)
        np.float64(3.0)
    """
    if out is not None or weights is not None:
        raise NotImplementedError("fad.numpy.nanquantile does not support out= or weights=.")
    if not is_traced(q) and not np.all((np.asarray(q) >= 0) & (np.asarray(q) <= 1)):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return _nanquantile(a, q, axis, method, keepdims, "nanquantile")


def nanpercentile(
    a: ArrayLike,
    q: ArrayLike,
    axis: Axis = None,
    out: None = None,
    overwrite_input: bool = False,
    method: str = "linear",
    keepdims: bool = False,
    *,
    weights: ArrayLike | None = None,
) -> Array:
    """The `q`-th percentiles over `axis`, ignoring NaNs (`q` concrete, in [0, 100]).

    Args:
        a: Input array.
        q: Percentile(s) to compute, in [0, 100] (concrete values).
        axis: Axis or axes to work along; None means all of them (the flattened array).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        overwrite_input: Accepted for NumPy compatibility; fad never overwrites its input.
        method: How to interpolate between data points, as NumPy (e.g. 'linear').
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        weights: Not supported: must be None.

    Returns:
        The percentiles over `axis` of the non-NaN entries.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nanpercentile(fnp.array([1.0, fnp.nan, 3.0]), 50)
        np.float64(2.0)
    """
    if out is not None or weights is not None:
        raise NotImplementedError("fad.numpy.nanpercentile does not support out= or weights=.")
    qa = np.asarray(q)
    if not np.all((qa >= 0) & (qa <= 100)):
        raise ValueError("Percentiles must be in the range [0, 100]")
    q = q / 100 if type(q) in (int, float) else np.true_divide(qa, 100)  # type: ignore[operator]
    return _nanquantile(a, q, axis, method, keepdims, "nanpercentile")


def nanmedian(
    a: ArrayLike, axis: Axis = None, out: None = None, overwrite_input: bool = False, keepdims: bool = False
) -> Array:
    """Median over `axis`, ignoring NaNs (NaN for an all-NaN slice, with a warning).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        overwrite_input: Accepted for NumPy compatibility; fad never overwrites its input.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.

    Returns:
        The medians over `axis` of the non-NaN entries.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(fnp.nanmedian)(fnp.array([4.0, fnp.nan, 1.0, 2.0]))
        array([0., 0., 0., 1.])
    """
    if out is not None:
        raise NotImplementedError("fad.numpy.nanmedian does not support out=.")
    return _nanquantile(a, 0.5, axis, "linear", keepdims, "nanmedian")
