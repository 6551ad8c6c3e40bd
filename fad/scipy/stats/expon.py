"""The exponential distribution, `scipy.stats.expon`: density `exp(-z) / scale` on
`z = (x - loc) / scale >= 0`, differentiable in `x` (or `q`), `loc` and `scale`.

Outside the support `pdf` is 0 and `logpdf` is `-inf`; NaN where `scale <= 0`.

Examples:
    >>> import fad, fad.scipy.stats.expon as expon
    >>> float(expon.logpdf(2.0, scale=0.5)), float(fad.grad(expon.cdf)(0.0))
    (-3.3068528194400546, 1.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def _parts(x: Any, loc: Any, scale: Any) -> Any:
    z, scale = u.standardize(x, loc, scale)
    inside = z >= 0.0
    return z, u.safe(inside, z, 1.0), inside, scale


def logpdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `-z - log(scale)` for `z >= 0`, `-inf` below."""
    z, zs, inside, scale_ = _parts(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(inside, -zs - fnp.log(scale_), -fnp.inf), z)


def pdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Density `exp(-z) / scale` for `z >= 0`, 0 below."""
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def cdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`1 - exp(-z)` (as `-expm1(-z)`, exact for small `z`), 0 below the support."""
    z, zs, inside, scale_ = _parts(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(inside, -fnp.expm1(-zs), 0.0), z)


def logcdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(1 - exp(-z))`, `-inf` at and below `loc`."""
    z, zs, inside, scale_ = _parts(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(inside, u.log1mexp(-zs), -fnp.inf), z)


def sf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`exp(-z)`, 1 below the support."""
    z, zs, inside, scale_ = _parts(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(inside, fnp.exp(-zs), 1.0), z)


def logsf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`-z`, 0 below the support."""
    z, zs, inside, scale_ = _parts(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(inside, -zs, 0.0), z)


def ppf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc - scale * log1p(-q)`: `loc` at 0, `inf` at 1, NaN outside [0, 1]."""
    q_, loc_, scale_ = u.quantile_args(q, loc, scale)
    ok = u.in_unit(q_)
    qs = u.safe(fnp.logical_and(ok, q_ < 1.0), q_, 0.5)
    out = fnp.where(q_ < 1.0, loc_ - scale_ * fnp.log1p(-qs), fnp.inf)
    return u.invalid_to_nan(fnp.logical_and(scale_ > 0, ok), out)


def isf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc - scale * log(q)`: `inf` at 0, `loc` at 1."""
    q_, loc_, scale_ = u.quantile_args(q, loc, scale)
    ok = u.in_unit(q_)
    qs = u.safe(fnp.logical_and(ok, q_ > 0.0), q_, 0.5)
    out = fnp.where(q_ > 0.0, loc_ - scale_ * fnp.log(qs), fnp.inf)
    return u.invalid_to_nan(fnp.logical_and(scale_ > 0, ok), out)


def entropy(loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `1 + log(scale)`."""
    loc_, scale_ = u.args(loc, scale)
    return u.invalid_to_nan(scale_ > 0, 1.0 + fnp.log(scale_) + 0.0 * loc_)


u.document(globals(), "exponential distribution")
