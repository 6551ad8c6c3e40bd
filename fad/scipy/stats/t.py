"""Student's t distribution, `scipy.stats.t(df)`: `logpdf`, `pdf`, `cdf`, `logcdf`,
`sf`, `logsf`, `ppf`, `isf` and `entropy`, differentiable in `x` (or `q`),
`df`, `loc` and `scale` (in `df` through `fad.scipy.special.stdtr`); `df = inf` is the normal
distribution, as in SciPy; NaN where `df <= 0` or `scale <= 0`.

The normalising constant `gammaln((df+1)/2) - gammaln(df/2)` is computed without
cancellation for large `df` (a Stirling expansion above `df = 100`), so `df = 1e12`
is as accurate as `df = 3`.

Examples:
    >>> import fad.scipy.stats.t as t
    >>> round(float(t.pdf(0.0, 1.0)), 12)  # Cauchy
    0.318309886184
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


def logpdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `log Gamma((df+1)/2) - log Gamma(df/2) - log(pi df)/2
    - (df+1)/2 log1p(z**2/df) - log(scale)`."""
    z, scale_, df_ = u.standardize(x, loc, scale, df)
    ok = fnp.logical_and(df_ > 0, scale_ > 0)
    finite = fnp.isfinite(df_)
    dfs = u.safe(fnp.logical_and(ok, finite), df_, 1.0)
    # log Gamma((df+1)/2) - log Gamma(df/2) - log(pi df)/2 = ratio(df/2) - log(2 pi)/2
    body = u.log_gamma_half_ratio(0.5 * dfs) - u.LOG_SQRT_2PI - 0.5 * (dfs + 1.0) * fnp.log1p(z * z / dfs)
    normal = -0.5 * z * z - u.LOG_SQRT_2PI
    return u.invalid_to_nan(ok, fnp.where(finite, body, normal) - fnp.log(scale_))


def pdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The density."""
    return u.finish(fnp.exp(logpdf(x, df, loc, scale)))


def entropy(df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `(df+1)/2 (psi((df+1)/2) - psi(df/2)) + log(sqrt(df) B(df/2, 1/2))
    + log(scale)` (the normal's at `df = inf`)."""
    df_, loc_, scale_ = u.args(df, loc, scale)
    ok = fnp.logical_and(df_ > 0, scale_ > 0)
    finite = fnp.isfinite(df_)
    dfs = u.safe(fnp.logical_and(ok, finite), df_, 1.0)
    half = 0.5 * dfs
    # log(sqrt(df) B(df/2, 1/2)) = log(df)/2 + log Gamma(1/2) - (ratio(df/2) + log(df/2)/2)
    log_b = 0.5 * math.log(2.0 * math.pi) - u.log_gamma_half_ratio(half)
    body = 0.5 * (dfs + 1.0) * (fsp.digamma(half + 0.5) - fsp.digamma(half)) + log_b
    normal = 0.5 * (1.0 + math.log(2.0 * math.pi))
    return u.invalid_to_nan(ok, fnp.where(finite, body, normal) + fnp.log(scale_) + 0.0 * loc_)


def _probability(x: Any, df: Any, loc: Any, scale: Any, sign: Any) -> Any:
    z, scale, df = u.standardize(x, loc, scale, df)
    z = sign * z
    ok = fnp.logical_and(df > 0, scale > 0)
    finite = fnp.isfinite(df)
    dfs = u.safe(fnp.logical_and(ok, finite), df, 1.0)
    zfin = fnp.isfinite(z)
    zs = u.safe(zfin, z, 0.0)
    body = fnp.where(finite, fsp.stdtr(dfs, zs), fsp.ndtr(zs))
    return u.invalid_to_nan(
        ok, fnp.where(zfin, body, fnp.where(z > 0, fnp.ones_like(z), fnp.zeros_like(z))), z
    )


def cdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`stdtr(df, (x - loc) / scale)` (the normal cdf at `df = inf`)."""
    return _probability(x, df, loc, scale, 1.0)


def sf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`stdtr(df, -(x - loc) / scale)`, exact in the upper tail by symmetry."""
    return _probability(x, df, loc, scale, -1.0)


def logcdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(cdf)`."""
    return u.finish(u.log_probability(cdf(x, df, loc, scale)))


def logsf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(x, df, loc, scale)))


def _quantile(q: Any, df: Any, loc: Any, scale: Any, sign: Any) -> Any:
    q, loc, scale, df = u.quantile_args(q, loc, scale, df)
    ok = fnp.logical_and(df > 0, scale > 0)
    finite = fnp.isfinite(df)
    dfs = u.safe(fnp.logical_and(ok, finite), df, 1.0)
    qs = u.safe(fnp.logical_and(q > 0.0, q < 1.0), q, 0.5)
    s = fnp.where(finite, fsp.stdtrit(dfs, qs), fsp.ndtri(qs))
    # the ends of the support (SciPy's stdtrit gives +inf at both)
    s = fnp.where(q == 0.0, -fnp.inf, fnp.where(q == 1.0, fnp.inf, fnp.where(u.in_unit(q), s, fnp.nan)))
    return u.invalid_to_nan(ok, loc + sign * scale * s)


def ppf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Quantile `loc + scale * stdtrit(df, q)` (derivatives by the implicit function
    theorem): `-inf` at 0, `inf` at 1, NaN outside [0, 1]."""
    return _quantile(q, df, loc, scale, 1.0)


def isf(q: ArrayLike, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Inverse survival function `loc - scale * stdtrit(df, q)` (by symmetry)."""
    return _quantile(q, df, loc, scale, -1.0)


u.document(globals(), "Student's t distribution")
