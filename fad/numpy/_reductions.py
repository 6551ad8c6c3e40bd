"""Reductions, scans and orderings with NumPy's ``axis`` (None, int, tuple), ``keepdims``
and ``ddof``: sums, products, moments, extremes, quantiles, sorts, logical reductions."""

from __future__ import annotations

import builtins
import warnings

import numpy as np

from fad._core import TracerConversionError
from fad._prims import elementwise as ew
from fad._prims import scans as sc
from fad._prims import structural as st
from fad._prims.reductions import reduce_max, reduce_min
from fad._prims.structural import astype, reduce_sum
from fad.numpy._util import check_arraylike, coerce, is_traced, ndim, normalize_axes, normalize_axis, shape


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):  # noqa: A001
    """Sum of elements over ``axis``, of those where ``where`` is true (masked-out entries get
    a zero derivative), plus ``initial``.

    >>> import fad.numpy as fnp
    >>> fnp.sum(fnp.ones((2, 3)), axis=0)
    array([2., 2., 2.])
    >>> fnp.sum(fnp.array([1.0, 2.0, 3.0]), where=fnp.array([True, False, True]), initial=10.0)
    np.float64(14.0)
    """
    a = coerce(a)
    if dtype is not None:
        a = astype(a, dtype)
    elif getattr(a, "dtype", None) is not None and a.dtype.kind == "b":
        a = astype(a, np.int64)
    axes = normalize_axes(axis, ndim(a), "sum")
    if where is True and initial is None and out is None:  # the common case
        return reduce_sum(a, axes=axes, keepdims=keepdims)
    _no_out(out, "sum")
    r = reduce_sum(_masked(a, where, 0, "sum"), axes=axes, keepdims=keepdims)
    return r if initial is None else r + _initial(initial, _dtype_of(r), "sum")


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """Arithmetic mean over ``axis`` (integer inputs give float64, as NumPy); with ``where``,
    of the selected entries only (divided by their count).

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


def _extreme(red, combine, name, ufunc):
    def f(a, axis=None, out=None, keepdims=False, initial=None, where=True):
        a = coerce(a)
        axes = normalize_axes(axis, ndim(a), name)
        if where is not True and initial is None:
            raise ValueError(
                f"reduction operation '{ufunc}' does not have an identity, so to use a where mask "
                f"one has to specify 'initial' (fad.numpy.{name}(..., where=mask, initial=value))."
            )
        if builtins.any(shape(a)[ax] == 0 for ax in axes) and initial is None:
            raise ValueError(
                f"zero-size array to reduction operation {ufunc} which has no identity; "
                f"pass initial= to {name} to reduce an empty array."
            )
        if initial is None and out is None:
            return red(a, axes=axes, keepdims=keepdims)
        _no_out(out, name)
        init = _initial(initial, _dtype_of(a), name)
        if builtins.any(shape(a)[ax] == 0 for ax in axes):
            return _out(st.broadcast_to(init, _kept_shape(shape(a), axes, keepdims)))
        # masked-out entries become the dtype's least extreme value; initial joins after
        fill = _least_extreme(_dtype_of(a), name.endswith("max"))
        return _out(combine(red(_masked(a, where, fill, name), axes=axes, keepdims=keepdims), init))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (
        f"{'Maximum' if name.endswith('max') else 'Minimum'} over ``axis`` (of the entries where "
        "``where`` is true, and ``initial``). At ties the derivative is shared evenly among the "
        "extreme positions."
    )
    return f


max = _extreme(reduce_max, ew.maximum, "max", "maximum")  # noqa: A001
min = _extreme(reduce_min, ew.minimum, "min", "minimum")  # noqa: A001
amax = max
amin = min


# ----------------------------------------------------------------------- helpers


def _arr(a):
    """A traced value as is; anything else as a NumPy array (containers refused)."""
    return a if is_traced(a) else np.asarray(check_arraylike(a))


def _dtype_of(a):
    return a.dtype if hasattr(a, "dtype") else np.result_type(a)


def _count(a, axes):
    n = 1
    for ax in axes:
        n *= shape(a)[ax]
    return n


def _to_float(a, dtype=None):
    """``a`` cast to ``dtype``, or to float64 when it is boolean or integer (as NumPy's
    mean, var and quantile do)."""
    if dtype is None and _dtype_of(a).kind in "biu":
        dtype = np.float64
    return a if dtype is None else astype(a, dtype)


def _out(r):
    """NumPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return r if is_traced(r) or np.ndim(r) or not isinstance(r, np.ndarray) else r[()]


def _isnan(a):
    return ew.ne(a, a)


def _last_axis_view(a, axes):
    """``a`` with the reduced ``axes`` moved last and flattened into one, and the shape
    of the kept axes."""
    shp = shape(a)
    rest = tuple(i for i in range(len(shp)) if i not in axes)
    y = st.transpose(a, rest + tuple(axes))
    kept = tuple(shp[i] for i in rest)
    return st.reshape(y, kept + (_count(a, axes),)), kept


def _kept_shape(shp, axes, keepdims):
    return tuple(1 if i in axes else s for i, s in enumerate(shp) if keepdims or i not in axes)


# ------------------------------------------------------------- where= and initial=


def _no_out(out, name):
    if out is not None:
        raise NotImplementedError(f"fad.numpy.{name} does not support out=; use the return value.")


def _mask(where, a, name):
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


def _broadcasts(w, a):
    try:
        np.broadcast_shapes(shape(w), shape(a))
    except ValueError:
        return False
    return True


def _masked(a, where, fill, name):
    """``a`` with the entries where ``where`` is false replaced by ``fill`` (they get a zero
    derivative)."""
    return a if where is True else ew.select(_mask(where, a, name), a, fill)


def _initial(initial, dtype, name):
    """``initial`` (a scalar, possibly traced) in the reduction's dtype, as NumPy casts it."""
    if ndim(initial) != 0:
        raise ValueError(f"{name}: initial= must be a scalar, got an array of shape {tuple(shape(initial))}.")
    return astype(initial, dtype)


def _least_extreme(dtype, for_max):
    """The value that never wins a max (``for_max``) or min in ``dtype``."""
    if dtype.kind == "b":
        return not for_max
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return int(info.min if for_max else info.max)
    return -np.inf if for_max else np.inf


def _selected(mask, axes, keepdims, dtype, warning):
    """How many entries ``mask`` selects per reduced slice (in ``dtype``); warns with
    NumPy's ``warning`` when a concrete slice selects none."""
    count = reduce_sum(astype(mask, dtype), axes=axes, keepdims=keepdims)
    if not is_traced(count) and np.any(count == 0):
        warnings.warn(warning, RuntimeWarning, stacklevel=3)
    return count


# -------------------------------------------------------------------------- prod


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """Product of elements over ``axis`` (of those where ``where`` is true, times ``initial``).
    Its gradient is right with zeros in ``a``: it is the product of the other elements, never
    ``prod / x``.

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(fnp.prod)(fnp.array([2.0, 0.0, 3.0]))
    array([0., 6., 0.])
    """
    _no_out(out, "prod")
    a = _arr(a)
    if dtype is not None:
        a = astype(a, dtype)
    axes = normalize_axes(axis, ndim(a), "prod")
    r = sc.reduce_prod(_masked(a, where, 1, "prod"), axes=axes, keepdims=keepdims)
    return r if initial is None else r * _initial(initial, _dtype_of(r), "prod")


# -------------------------------------------------------------------- var and std


def var(
    a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None
):
    """Variance over ``axis``, dividing by ``n - ddof`` (``correction`` is an alias); with
    ``where``, of the selected entries (``n`` is their count).

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
    return reduce_sum(d * d, axes=axes, keepdims=keepdims) / divisor


def _masked_var(a, mask, axes, ddof, keepdims):
    """The variance of the entries ``mask`` selects (NumPy's ``var(..., where=mask)``)."""
    count = _selected(mask, axes, True, _dtype_of(a), "Mean of empty slice")
    with np.errstate(invalid="ignore", divide="ignore"):
        d = ew.select(mask, a - reduce_sum(ew.select(mask, a, 0), axes=axes, keepdims=True) / count, 0)
        dof = count if keepdims else st.reshape(count, _kept_shape(shape(a), axes, False))
        dof = dof - ddof
        if not is_traced(dof) and np.any(dof <= 0):
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=3)
        return _out(reduce_sum(d * d, axes=axes, keepdims=keepdims) / ew.maximum(dof, 0))


def std(
    a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None
):
    """Standard deviation over ``axis`` (``sqrt(var)``; its derivative is infinite where
    the variance is zero)."""
    return ew.sqrt(var(a, axis, dtype, out, ddof, keepdims, where=where, mean=mean, correction=correction))


# -------------------------------------------------------------------- ptp, average


def ptp(a, axis=None, keepdims=False):
    """Range ``max - min`` over ``axis``."""
    a = _arr(a)
    return max(a, axis, keepdims=keepdims) - min(a, axis, keepdims=keepdims)


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Weighted mean over ``axis``; with ``returned=True`` also the sum of the weights.

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


# ------------------------------------------------------------------------- scans


def _scan(prim_fn, name):
    def f(a, axis=None, dtype=None):
        a = _arr(a)
        if axis is None:
            a = st.reshape(a, (_count(a, tuple(range(ndim(a)))),))
            axis = 0
        ax = normalize_axis(axis, ndim(a), name)
        if dtype is not None:
            a = astype(a, dtype)
        return prim_fn(a, ax)

    f.__name__ = f.__qualname__ = name
    return f


cumsum = _scan(sc.cumsum, "cumsum")
cumsum.__doc__ = """Cumulative sum along ``axis`` (the flattened array if ``None``).

    >>> import fad.numpy as fnp
    >>> fnp.cumsum(fnp.array([1.0, 2.0, 3.0]))
    array([1., 3., 6.])
    """
cumprod = _scan(sc.cumprod, "cumprod")
cumprod.__doc__ = """Cumulative product along ``axis`` (the flattened array if ``None``). The
    derivative never divides by ``a``, so it is right with zeros in ``a``.

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(lambda x: fnp.cumprod(x).sum())(fnp.array([2.0, 0.0, 3.0]))
    array([1., 8., 0.])
    """


# ---------------------------------------------------------------- NaN-ignoring ones


def _nan_to(a, value):
    """``a`` with NaNs replaced by ``value`` (NaN entries get a zero derivative)."""
    return ew.select(_isnan(a), value, a) if _dtype_of(a).kind in "fc" else a


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """Sum over ``axis`` treating NaNs as zero (they get a zero derivative)."""
    return sum(_nan_to(_arr(a), 0), axis, dtype, out, keepdims, initial, where)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """Mean over ``axis`` of the non-NaN entries (of those ``where`` selects; NaN for a slice
    with none)."""
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


def _nan_extreme(red, fill, name):
    def f(a, axis=None, out=None, keepdims=False, initial=None, where=True):
        a = _arr(a)
        if _dtype_of(a).kind not in "fc":
            return red(a, axis, out, keepdims, initial, where)
        _no_out(out, name)
        if where is not True and initial is None:
            raise ValueError(
                f"reduction operation 'f{name[3:]}' does not have an identity, so to use a where "
                f"mask one has to specify 'initial' (fad.numpy.{name}(..., where=mask, initial=value))."
            )
        if initial is not None:  # NaNs never win, and an all-NaN slice gives initial
            return red(ew.select(_isnan(a), fill, a), axis, None, keepdims, initial, where)
        axes = normalize_axes(axis, ndim(a), name)
        nan = _isnan(a)
        all_nan = reduce_min(nan, axes=axes, keepdims=keepdims) if _count(a, axes) else False
        if not is_traced(all_nan) and np.any(all_nan):
            warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=2)
        return _out(ew.select(all_nan, np.nan, red(ew.select(nan, fill, a), axis, keepdims=keepdims)))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (
        f"{name[3:].capitalize()}imum over ``axis`` ignoring NaNs (NaN entries get a zero derivative)."
    )
    return f


# -------------------------------------------------------------------- orderings


def _flat_axis(a, axis):
    """``(a, axis)`` with ``axis=None`` meaning the flattened array."""
    if axis is None:
        return st.reshape(a, (_count(a, tuple(range(ndim(a)))),)), 0
    return a, axis


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Indices that sort ``a`` along ``axis`` (not differentiable)."""
    if order is not None:
        raise NotImplementedError("fad.numpy.argsort does not support order= (structured arrays).")
    a, axis = _flat_axis(_arr(a), axis)
    kind = "stable" if stable else kind
    return sc.argsort(a, normalize_axis(axis, ndim(a), "argsort"), kind)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """Sorted copy of ``a`` along ``axis``. Its derivative permutes the cotangents back.

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(lambda x: fnp.sort(x)[0])(fnp.array([3.0, 1.0, 2.0]))
    array([0., 1., 0.])
    """
    if order is not None:
        raise NotImplementedError("fad.numpy.sort does not support order= (structured arrays).")
    a, axis = _flat_axis(_arr(a), axis)
    axis = normalize_axis(axis, ndim(a), "sort")
    return sc.gather(a, sc.argsort(a, axis, "stable"), axis)


def _arg_extreme(prim_fn, name):
    def f(a, axis=None, out=None, *, keepdims=False):
        if out is not None:
            raise NotImplementedError(f"fad.numpy.{name} does not support out=; use the return value.")
        a = _arr(a)
        nd = ndim(a)
        if axis is None:
            r = prim_fn(st.reshape(a, (_count(a, tuple(range(nd))),)), 0)
            return st.reshape(r, (1,) * nd) if keepdims else r
        return prim_fn(a, normalize_axis(axis, nd, name), keepdims)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Index of the {name[3:]}imum along ``axis`` (the first at ties; not differentiable)."
    return f


argmax = _arg_extreme(sc.argmax, "argmax")
argmin = _arg_extreme(sc.argmin, "argmin")


# ------------------------------------------------------------ median and quantiles

_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _positions(q, n, method):
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


def quantile(
    a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None
):
    """The ``q``-th quantiles over ``axis`` (``q`` concrete, in [0, 1]). The derivative flows
    to the order statistics the result interpolates between.

    >>> import fad.numpy as fnp
    >>> fnp.quantile(fnp.array([1.0, 2.0, 3.0, 10.0]), 0.5)
    np.float64(2.5)
    """
    return _quantile(a, q, axis, out, method, keepdims, weights, "quantile")


def _quantile(a, q, axis, out, method, keepdims, weights, name):
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


def _any_along(b, axis):
    """Whether any of the booleans ``b`` is true along ``axis``."""
    return reduce_max(b, axes=(axis,), keepdims=False)


def percentile(
    a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None
):
    """The ``q``-th percentiles over ``axis`` (``q`` concrete, in [0, 100])."""
    if is_traced(q):
        return _quantile(a, q, axis, out, method, keepdims, weights, "percentile")
    qa = np.asarray(q)
    if not np.all((qa >= 0) & (qa <= 100)):
        raise ValueError("Percentiles must be in the range [0, 100]")
    q = q / 100 if type(q) in (int, float) else np.true_divide(np.asarray(q), 100)
    return _quantile(a, q, axis, out, method, keepdims, weights, "percentile")


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """Median over ``axis`` (NaN for an empty slice, as NumPy, with a warning).

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


# ------------------------------------------------------------------ logical ones


def _logical(red, empty, name):
    def f(a, axis=None, out=None, keepdims=False, *, where=True):
        _no_out(out, name)
        a = _arr(a)
        axes = normalize_axes(axis, ndim(a), name)
        if _count(a, axes) == 0:
            return _out(np.full(_kept_shape(shape(a), axes, keepdims), empty))
        return _out(red(_masked(ew.ne(a, 0), where, empty, name), axes=axes, keepdims=keepdims))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (
        f"Whether {name} elements along ``axis`` (of those ``where`` selects) are non-zero (not "
        "differentiable)."
    )
    return f


all = _logical(reduce_min, True, "all")  # noqa: A001
any = _logical(reduce_max, False, "any")  # noqa: A001


def count_nonzero(a, axis=None, *, keepdims=False):
    """Number of non-zero elements along ``axis`` (not differentiable)."""
    a = _arr(a)
    axes = normalize_axes(axis, ndim(a), "count_nonzero")
    return reduce_sum(astype(ew.ne(a, 0), np.intp), axes=axes, keepdims=keepdims)


nanmax = _nan_extreme(max, -np.inf, "nanmax")
nanmin = _nan_extreme(min, np.inf, "nanmin")
