"""The logistic distribution, `scipy.stats.logistic`: cdf `expit(z)`, differentiable in
`x` (or `q`), `loc` and `scale`, accurate in both tails (`logcdf(-800)` is
`-800`, not `-inf`).

Examples:
    >>> import fad.scipy.stats.logistic as logistic
    >>> float(logistic.logcdf(-800.0)), float(logistic.pdf(0.0))
    (-800.0, 0.25)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def logpdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `log_expit(z) + log_expit(-z) - log(scale)` (no overflow for any `z`)."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.log_expit(z) + u.log_expit(-z) - fnp.log(scale_))


def pdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Density `expit(z) expit(-z) / scale`."""
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def cdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`expit(z)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fsp.expit(z))


def logcdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log expit(z) = -log(1 + exp(-z))`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.log_expit(z))


def sf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`expit(-z)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fsp.expit(-z))


def logsf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log expit(-z)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.log_expit(-z))


def _logit(q: Any) -> Any:
    ok = u.in_unit(q)
    inner = fnp.logical_and(q > 0.0, q < 1.0)
    qs = u.safe(inner, q, 0.5)
    out = fnp.log(qs) - fnp.log1p(-qs)
    out = fnp.where(q == 0.0, -fnp.inf, fnp.where(q == 1.0, fnp.inf, out))
    return ok, out


ppf, isf = u.symmetric_quantiles(_logit, "log(q / (1 - q))")


def entropy(loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `2 + log(scale)`."""
    loc_, scale_ = u.args(loc, scale)
    return u.invalid_to_nan(scale_ > 0, 2.0 + fnp.log(scale_) + 0.0 * loc_)


u.document(globals(), "logistic distribution")
