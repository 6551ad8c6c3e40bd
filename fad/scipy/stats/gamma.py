"""The gamma distribution, `scipy.stats.gamma(a)`: `logpdf`, `pdf`, `cdf`,
`logcdf`, `sf`, `logsf`, `ppf`, `isf` and `entropy`, differentiable in `x` (or
`q`), `a`, `loc` and `scale` (in `a` through the incomplete gamma function's
shape derivative, see `fad.scipy.special.gammainc`). At `x = loc` the density is `inf`
(`a < 1`), `1/scale` (`a = 1`) or 0 (`a > 1`), as SciPy; 0 below; NaN where
`a <= 0` or `scale <= 0`.

Examples:
    >>> import fad.scipy.stats.gamma as gamma
    >>> float(gamma.pdf(0.0, 1.0)), round(float(gamma.logpdf(2.0, 3.0, scale=2.0)), 12)
    (1.0, -2.38629436112)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def logpdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `(a - 1) log y - y - log Gamma(a) - log(scale)`, `y = (x - loc)/scale`."""
    y, scale_, a_ = u.standardize(x, loc, scale, a)
    inside = y >= 0.0
    ys = u.safe(inside, y, 1.0)
    out = fsp.xlogy(a_ - 1.0, ys) - ys - fsp.gammaln(a_) - fnp.log(scale_)
    return u.invalid_to_nan(fnp.logical_and(a_ > 0, scale_ > 0), fnp.where(inside, out, -fnp.inf), y)


def pdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The density."""
    return u.finish(fnp.exp(logpdf(x, a, loc, scale)))


def entropy(a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `a + log Gamma(a) + (1 - a) psi(a) + log(scale)`."""
    a_, loc_, scale_ = u.args(a, loc, scale)
    out = a_ + fsp.gammaln(a_) + (1.0 - a_) * fsp.digamma(a_) + fnp.log(scale_)
    return u.invalid_to_nan(fnp.logical_and(a_ > 0, scale_ > 0), out + 0.0 * loc_)


def _probability(x: Any, a: Any, loc: Any, scale: Any, lower: bool) -> Any:
    y, scale, a = u.standardize(x, loc, scale, a)
    inside = y >= 0.0
    ys = u.safe(inside, y, 1.0)
    out = fnp.where(inside, (fsp.gammainc if lower else fsp.gammaincc)(a, ys), 0.0 if lower else 1.0)
    return u.invalid_to_nan(fnp.logical_and(a > 0, scale > 0), out, y)


def cdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`gammainc(a, (x - loc) / scale)`; 0 below `loc`."""
    return _probability(x, a, loc, scale, True)


def sf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`gammaincc(a, (x - loc) / scale)` (accurate in the upper tail); 1 below `loc`."""
    return _probability(x, a, loc, scale, False)


def logcdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(cdf)`."""
    return u.finish(u.log_probability(cdf(x, a, loc, scale)))


def logsf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(x, a, loc, scale)))


def ppf(q: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc + scale * gammaincinv(a, q)` (derivatives by the implicit function
    theorem): `loc` at 0, `inf` at 1, NaN outside [0, 1]."""
    q_, loc_, scale_, a_ = u.quantile_args(q, loc, scale, a)
    return u.invalid_to_nan(fnp.logical_and(a_ > 0, scale_ > 0), loc_ + scale_ * fsp.gammaincinv(a_, q_))


def isf(q: ArrayLike, a: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc + scale * gammainccinv(a, q)`."""
    q_, loc_, scale_, a_ = u.quantile_args(q, loc, scale, a)
    return u.invalid_to_nan(fnp.logical_and(a_ > 0, scale_ > 0), loc_ + scale_ * fsp.gammainccinv(a_, q_))


u.document(globals(), "gamma distribution")
