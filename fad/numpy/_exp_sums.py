"""Sums of exponentials, shifted by their maximum so that they never overflow: the cores of
`fad.scipy.special`'s and `fad.nn`'s `logsumexp`, `softmax` and `log_softmax` (which differ
only in their default axes, SciPy's all and JAX's last, and in `fad.nn`'s `where=`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from fad import _prims as ew
from fad._prims import stop_gradient
from fad._prims.wrappers import coerce
from fad.numpy._extrema import max as _max
from fad.numpy._shape_manipulation import broadcast_to, squeeze
from fad.numpy._sums_products_differences import sum as _sum
from fad.numpy._util import ndim, normalize_axes, shape


def shift(a: Any, axes: Any) -> Any:
    """The (constant) maximum over `axes`, kept as size-1 axes; 0 where it is not finite,
    so all -inf slices give -inf and +inf entries give inf/NaN as SciPy does."""
    mx = stop_gradient(_max(a, axis=axes, keepdims=True))
    return ew.where(ew.isfinite(mx), mx, 0.0)


def scalar(out: Any) -> Any:
    """SciPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def logsumexp(a: Any, axis: Any, b: Any, keepdims: bool, return_sign: bool, fname: str) -> Any:
    """`log(sum(b * exp(a)))` over `axis` (see `fad.scipy.special.logsumexp`)."""
    a_ = coerce(a)
    axes = normalize_axes(axis, ndim(a_), fname)
    if b is not None:
        b_ = coerce(b)
        sh = np.broadcast_shapes(shape(a_), shape(b_))
        a_, b_ = broadcast_to(a_, sh), broadcast_to(b_, sh)
        # entries with b == 0 do not take part (SciPy: they must not set the shift)
        a_ = ew.where(ew.eq(b_, 0), -np.inf, a_)
    mx = shift(a_, axes)
    e = ew.exp(ew.sub(a_, mx))
    if b is not None:
        e = ew.mul(b_, e)
    s = _sum(e, axis=axes, keepdims=True)
    if return_sign:
        sgn = ew.sign(s)
        s = ew.abs(s)
    out = ew.add(ew.log(s), mx)
    if not keepdims and axes:
        out = squeeze(out, axes)
        if return_sign:
            sgn = squeeze(sgn, axes)
    if return_sign:
        return scalar(out), scalar(sgn)
    return scalar(out)


def softmax(x: Any, axis: Any, fname: str) -> Any:
    """`exp(x) / sum(exp(x))` over `axis`, shifted by the maximum."""
    x_ = coerce(x)
    axes = normalize_axes(axis, ndim(x_), fname)
    e = ew.exp(ew.sub(x_, shift(x_, axes)))
    return ew.div(e, _sum(e, axis=axes, keepdims=True))


def log_softmax(x: Any, axis: Any, fname: str) -> Any:
    """`x - logsumexp(x)` over `axis`, stable for large `|x|`."""
    x_ = coerce(x)
    axes = normalize_axes(axis, ndim(x_), fname)
    shifted = ew.sub(x_, shift(x_, axes))
    return ew.sub(shifted, ew.log(_sum(ew.exp(shifted), axis=axes, keepdims=True)))
