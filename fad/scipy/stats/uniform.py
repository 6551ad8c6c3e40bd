"""The uniform distribution on `[loc, loc + scale]`, `scipy.stats.uniform`,
differentiable in `x` (or `q`), `loc` and `scale` inside the support.

Examples:
    >>> import fad.scipy.stats.uniform as uniform
    >>> float(uniform.pdf(1.5, 1.0, 2.0)), float(uniform.cdf(1.5, 1.0, 2.0))
    (0.5, 0.25)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def logpdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`-log(scale)` on `[loc, loc + scale]` (both ends included), `-inf` outside."""
    z, scale_ = u.standardize(x, loc, scale)
    inside = fnp.logical_and(z >= 0.0, z <= 1.0)
    return u.invalid_to_nan(scale_ > 0, fnp.where(inside, -fnp.log(scale_), -fnp.inf), z)


def pdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`1 / scale` on the support, 0 outside."""
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def cdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`clip(z, 0, 1)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(z < 0.0, 0.0, fnp.where(z > 1.0, 1.0, z)))


def sf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`clip(1 - z, 0, 1)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.where(z < 0.0, 1.0, fnp.where(z > 1.0, 0.0, 1.0 - z)))


def _log_pos(p: Any) -> Any:
    pos = p > 0.0
    return fnp.where(pos, fnp.log(u.safe(pos, p, 1.0)), fnp.where(fnp.isnan(p), p, -fnp.inf))


def logcdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(cdf)`: `-inf` at and below `loc`."""
    return u.finish(_log_pos(cdf(x, loc, scale)))


def logsf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(sf)`: `-inf` at and above `loc + scale`."""
    return u.finish(_log_pos(sf(x, loc, scale)))


def ppf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc + q * scale`, NaN outside [0, 1]."""
    q_, loc_, scale_ = u.quantile_args(q, loc, scale)
    return u.invalid_to_nan(fnp.logical_and(scale_ > 0, u.in_unit(q_)), loc_ + q_ * scale_)


def isf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc + (1 - q) * scale`."""
    q_, loc_, scale_ = u.quantile_args(q, loc, scale)
    return u.invalid_to_nan(fnp.logical_and(scale_ > 0, u.in_unit(q_)), loc_ + (1.0 - q_) * scale_)


def entropy(loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `log(scale)`."""
    loc_, scale_ = u.args(loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.log(scale_) + 0.0 * loc_)


u.document(
    globals(),
    "uniform distribution",
    loc="Lower end of the interval.",
    scale="Width of the interval, `> 0`.",
)
