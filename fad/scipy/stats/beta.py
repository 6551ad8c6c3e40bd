"""The beta distribution, `scipy.stats.beta(a, b)`: `logpdf`, `pdf`, `cdf`,
`logcdf`, `sf`, `logsf`, `ppf`, `isf` and `entropy`, differentiable in `x` (or
`q`), `a`, `b`, `loc` and `scale` (in `a` and `b` through the incomplete beta
function's shape derivatives, see `fad.scipy.special.betainc`). At the ends of `[loc, loc +
scale]` the density is `inf`, finite or 0 as SciPy's; 0 outside; NaN where `a <= 0`,
`b <= 0` or `scale <= 0`.

Examples:
    >>> import fad.scipy.stats.beta as beta
    >>> float(beta.pdf(0.5, 2.0, 2.0)), float(beta.pdf(0.0, 1.0, 3.0))
    (1.5, 3.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def logpdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `(a-1) log y + (b-1) log(1-y) - log B(a, b) - log(scale)`."""
    y, scale_, a_, b_ = u.standardize(x, loc, scale, a, b)
    inside = fnp.logical_and(y >= 0.0, y <= 1.0)
    ys = u.safe(inside, y, 0.5)
    out = fsp.xlogy(a_ - 1.0, ys) + fsp.xlog1py(b_ - 1.0, -ys) - u.betaln(a_, b_) - fnp.log(scale_)
    ok = fnp.logical_and(fnp.logical_and(a_ > 0, b_ > 0), scale_ > 0)
    return u.invalid_to_nan(ok, fnp.where(inside, out, -fnp.inf), y)


def pdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The density."""
    return u.finish(fnp.exp(logpdf(x, a, b, loc, scale)))


def entropy(a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `log B(a, b) - (a-1) psi(a) - (b-1) psi(b) + (a+b-2) psi(a+b)
    + log(scale)`."""
    a_, b_, loc_, scale_ = u.args(a, b, loc, scale)
    out = (
        u.betaln(a_, b_)
        - (a_ - 1.0) * fsp.digamma(a_)
        - (b_ - 1.0) * fsp.digamma(b_)
        + (a_ + b_ - 2.0) * fsp.digamma(a_ + b_)
        + fnp.log(scale_)
    )
    ok = fnp.logical_and(fnp.logical_and(a_ > 0, b_ > 0), scale_ > 0)
    return u.invalid_to_nan(ok, out + 0.0 * loc_)


def _probability(x: Any, a: Any, b: Any, loc: Any, scale: Any, lower: bool) -> Any:
    y, scale, a, b = u.standardize(x, loc, scale, a, b)
    inside = fnp.logical_and(y >= 0.0, y <= 1.0)
    ys = u.safe(inside, y, 0.5)
    below, above = (0.0, 1.0) if lower else (1.0, 0.0)
    out = fnp.where(
        inside,
        (fsp.betainc if lower else fsp.betaincc)(a, b, ys),
        fnp.where(y < 0.0, fnp.full_like(y, below), fnp.full_like(y, above)),
    )
    ok = fnp.logical_and(fnp.logical_and(a > 0, b > 0), scale > 0)
    return u.invalid_to_nan(ok, out, y)


def cdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`betainc(a, b, (x - loc) / scale)`; 0 below the support, 1 above."""
    return _probability(x, a, b, loc, scale, True)


def sf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`betaincc(a, b, (x - loc) / scale)` (accurate in the upper tail)."""
    return _probability(x, a, b, loc, scale, False)


def logcdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(cdf)`."""
    return u.finish(u.log_probability(cdf(x, a, b, loc, scale)))


def logsf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(x, a, b, loc, scale)))


def _quantile(q: Any, a: Any, b: Any, loc: Any, scale: Any, inverse: Any) -> Any:
    q, loc, scale, a, b = u.quantile_args(q, loc, scale, a, b)
    ok = fnp.logical_and(fnp.logical_and(a > 0, b > 0), scale > 0)
    return u.invalid_to_nan(ok, loc + scale * inverse(a, b, q))


def ppf(q: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc + scale * betaincinv(a, b, q)` (derivatives by the implicit function
    theorem): `loc` at 0, `loc + scale` at 1, NaN outside [0, 1]."""
    return _quantile(q, a, b, loc, scale, fsp.betaincinv)


def isf(q: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc + scale * betainccinv(a, b, q)`."""
    return _quantile(q, a, b, loc, scale, fsp.betainccinv)


u.document(globals(), "beta distribution")
