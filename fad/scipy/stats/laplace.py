"""The Laplace distribution, `scipy.stats.laplace`: density `exp(-|z|) / (2 scale)`,
differentiable in `x` (or `q`), `loc` and `scale` (at `x == loc` the density has a
kink; its derivative there is taken as 0, like `d|x|/dx` in fad).

Examples:
    >>> import fad.scipy.stats.laplace as laplace
    >>> float(laplace.cdf(0.0)), round(float(laplace.ppf(0.975)), 12)
    (0.5, 2.995732273554)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]

_LOG2 = math.log(2.0)


def logpdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `-|z| - log(2 scale)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, -fnp.abs(z) - fnp.log(scale_) - _LOG2)


def pdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Density `exp(-|z|) / (2 scale)`."""
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def _cdf(z: Any) -> Any:
    neg = z < 0.0
    zn, zp = u.safe(neg, z, -1.0), u.safe(neg, 1.0, z)
    return fnp.where(neg, 0.5 * fnp.exp(zn), 1.0 - 0.5 * fnp.exp(-zp))


def _logcdf(z: Any) -> Any:
    neg = z < 0.0
    zn, zp = u.safe(neg, z, -1.0), u.safe(neg, 1.0, z)
    return fnp.where(neg, zn - _LOG2, fnp.log1p(-0.5 * fnp.exp(-zp)))


def cdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`exp(z) / 2` below `loc`, `1 - exp(-z) / 2` above."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, _cdf(z))


def logcdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log of the cdf, exact in both tails."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, _logcdf(z))


def sf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Survival function `cdf(-z)` (symmetry)."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, _cdf(-z))


def logsf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log survival function `logcdf(-z)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, _logcdf(-z))


def _ppf(q: Any) -> Any:
    """Standard quantile: `log(2q)` below 1/2, `-log(2(1-q))` above; +-inf at 0 and 1."""
    ok = u.in_unit(q)
    low = q <= 0.5
    ql = u.safe(fnp.logical_and(low, q > 0.0), q, 0.25)
    qh = u.safe(fnp.logical_and(fnp.logical_not(low), q < 1.0), q, 0.75)
    out = fnp.where(low, fnp.log(2.0 * ql), -fnp.log(2.0 - 2.0 * qh))
    out = fnp.where(q == 0.0, -fnp.inf, fnp.where(q == 1.0, fnp.inf, out))
    return ok, out


ppf, isf = u.symmetric_quantiles(_ppf, "sign(q - 1/2) log(1 - |2q - 1|)")


def entropy(loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `1 + log(2 scale)`."""
    loc_, scale_ = u.args(loc, scale)
    return u.invalid_to_nan(scale_ > 0, 1.0 + _LOG2 + fnp.log(scale_) + 0.0 * loc_)


u.document(globals(), "Laplace distribution")
