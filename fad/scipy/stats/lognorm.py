"""The log-normal distribution, `scipy.stats.lognorm(s)`: `log((x - loc) / scale)` is
normal with standard deviation `s`; differentiable in `x` (or `q`), `s`, `loc` and
`scale`. `pdf` is 0 (`logpdf` `-inf`) at and below `loc`; NaN where `s <= 0` or
`scale <= 0`.

Examples:
    >>> import fad.scipy.stats.lognorm as lognorm
    >>> round(float(lognorm.pdf(1.0, 0.5)), 12), float(lognorm.cdf(1.0, 0.5))
    (0.797884560803, 0.5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def _parts(x: Any, s: Any, loc: Any, scale: Any) -> Any:
    y, scale, s = u.standardize(x, loc, scale, s)
    pos = y > 0.0
    logy = fnp.log(u.safe(pos, y, 1.0))
    ok = fnp.logical_and(fnp.logical_and(s > 0, scale > 0), fnp.logical_not(fnp.isnan(y)))
    return logy, pos, s, ok, scale


def logpdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `-log(y)**2 / (2 s**2) - log(s y scale sqrt(2 pi))`, `y = (x-loc)/scale`."""
    logy, pos, s_, ok, scale_ = _parts(x, s, loc, scale)
    w = logy / s_
    out = -0.5 * w * w - logy - fnp.log(s_) - fnp.log(scale_) - u.LOG_SQRT_2PI
    return u.invalid_to_nan(ok, fnp.where(pos, out, -fnp.inf))


def pdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The density (0 at and below `loc`)."""
    return u.finish(fnp.exp(logpdf(x, s, loc, scale)))


def cdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`norm.cdf(log(y) / s)`."""
    logy, pos, s_, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.ndtr(logy / s_), 0.0))


def logcdf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`norm.logcdf(log(y) / s)`."""
    logy, pos, s_, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.log_ndtr(logy / s_), -fnp.inf))


def sf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`norm.sf(log(y) / s)`."""
    logy, pos, s_, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.ndtr(-logy / s_), 1.0))


def logsf(x: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`norm.logsf(log(y) / s)`."""
    logy, pos, s_, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.log_ndtr(-logy / s_), 0.0))


def ppf(q: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc + scale * exp(s * norm.ppf(q))`: `loc` at 0, `inf` at 1."""
    q_, loc_, scale_, s_ = u.quantile_args(q, loc, scale, s)
    ok = fnp.logical_and(s_ > 0, scale_ > 0)
    return u.invalid_to_nan(ok, loc_ + scale_ * fnp.exp(s_ * u.ndtri(q_)))


def isf(q: ArrayLike, s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc + scale * exp(-s * norm.ppf(q))` (exact for small `q`)."""
    q_, loc_, scale_, s_ = u.quantile_args(q, loc, scale, s)
    ok = fnp.logical_and(s_ > 0, scale_ > 0)
    return u.invalid_to_nan(ok, loc_ + scale_ * fnp.exp(-s_ * u.ndtri(q_)))


def entropy(s: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `1/2 + log(2 pi)/2 + log(s) + log(scale)`."""
    s_, loc_, scale_ = u.args(s, loc, scale)
    out = 0.5 + u.LOG_SQRT_2PI + fnp.log(s_) + fnp.log(scale_) + 0.0 * loc_
    return u.invalid_to_nan(fnp.logical_and(s_ > 0, scale_ > 0), out)


u.document(globals(), "log-normal distribution")
