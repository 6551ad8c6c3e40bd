"""The chi-squared distribution, `scipy.stats.chi2(df)`: `logpdf`, `pdf`, `cdf`,
`logcdf`, `sf`, `logsf`, `ppf`, `isf` and `entropy`, differentiable in `x`
(or `q`), `df`, `loc` and `scale` (the incomplete gamma function of `df/2`). At `x = loc` the
density is `inf` (`df < 2`), `1/2` (`df = 2`) or 0 (`df > 2`), as SciPy; 0 below;
NaN where `df <= 0` or `scale <= 0`.

Examples:
    >>> import fad.scipy.stats.chi2 as chi2
    >>> float(chi2.pdf(0.0, 2.0)), round(float(chi2.logpdf(3.0, 4.0)), 12)
    (0.5, -1.787682072452)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]

_LOG2 = math.log(2.0)


def logpdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `(df/2 - 1) log y - y/2 - log Gamma(df/2) - (df/2) log 2 - log(scale)`."""
    y, scale_, df_ = u.standardize(x, loc, scale, df)
    inside = y >= 0.0
    ys = u.safe(inside, y, 1.0)
    half = 0.5 * df_
    out = fsp.xlogy(half - 1.0, ys) - 0.5 * ys - fsp.gammaln(half) - half * _LOG2 - fnp.log(scale_)
    return u.invalid_to_nan(fnp.logical_and(df_ > 0, scale_ > 0), fnp.where(inside, out, -fnp.inf), y)


def pdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The density."""
    return u.finish(fnp.exp(logpdf(x, df, loc, scale)))


def entropy(df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `df/2 + log(2 Gamma(df/2)) + (1 - df/2) psi(df/2) + log(scale)`."""
    df_, loc_, scale_ = u.args(df, loc, scale)
    half = 0.5 * df_
    out = half + _LOG2 + fsp.gammaln(half) + (1.0 - half) * fsp.digamma(half) + fnp.log(scale_)
    return u.invalid_to_nan(fnp.logical_and(df_ > 0, scale_ > 0), out + 0.0 * loc_)


def _probability(x: Any, df: Any, loc: Any, scale: Any, lower: bool) -> Any:
    y, scale, df = u.standardize(x, loc, scale, df)
    inside = y >= 0.0
    ys = u.safe(inside, y, 1.0)
    f = fsp.gammainc if lower else fsp.gammaincc
    out = fnp.where(inside, f(0.5 * df, 0.5 * ys), 0.0 if lower else 1.0)
    return u.invalid_to_nan(fnp.logical_and(df > 0, scale > 0), out, y)


def cdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`gammainc(df/2, y/2)`, `y = (x - loc) / scale`; 0 below `loc`."""
    return _probability(x, df, loc, scale, True)


def sf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`gammaincc(df/2, y/2)` (accurate in the upper tail); 1 below `loc`."""
    return _probability(x, df, loc, scale, False)


def logcdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(cdf)`."""
    return u.finish(u.log_probability(cdf(x, df, loc, scale)))


def logsf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(x, df, loc, scale)))


def ppf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc + 2 scale gammaincinv(df/2, q)`: `loc` at 0, `inf` at 1."""
    q_, loc_, scale_, df_ = u.quantile_args(q, loc, scale, df)
    out = loc_ + 2.0 * scale_ * fsp.gammaincinv(0.5 * df_, q_)
    return u.invalid_to_nan(fnp.logical_and(df_ > 0, scale_ > 0), out)


def isf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc + 2 scale gammainccinv(df/2, q)`."""
    q_, loc_, scale_, df_ = u.quantile_args(q, loc, scale, df)
    out = loc_ + 2.0 * scale_ * fsp.gammainccinv(0.5 * df_, q_)
    return u.invalid_to_nan(fnp.logical_and(df_ > 0, scale_ > 0), out)


u.document(globals(), "chi-squared distribution")
