"""The Poisson distribution, `scipy.stats.poisson(mu)`: `logpmf`, `pmf`, `cdf`,
`logcdf`, `sf` and `logsf`, differentiable in `mu`. The pmf is 0 (`logpmf`
`-inf`) off the non-negative integers; NaN where `mu < 0` (`mu = 0` puts all mass on
0, as SciPy). `k` is a lattice variable: no derivative flows into it.

Examples:
    >>> import fad, fad.scipy.stats.poisson as poisson
    >>> round(float(poisson.pmf(2, 3.0)), 12), round(float(fad.grad(poisson.logpmf, 1)(2, 3.0)), 12)
    (0.224041807655, -0.333333333333)
    >>> round(float(fad.grad(poisson.cdf, 1)(2, 3.0)), 12)  # -pmf(2, mu)
    -0.224041807655
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "logcdf", "logpmf", "logsf", "pmf", "sf"]


def logpmf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`k log(mu) - mu - log(k!)` on the non-negative integers, `-inf` elsewhere."""
    k_, mu_, loc_ = u.args(k, mu, loc)
    k_ = u.lattice(k_, loc_)
    support = u.on_support(k_)
    ks = u.safe(support, k_, 0.0)
    out = fsp.xlogy(ks, mu_) - mu_ - fsp.gammaln(ks + 1.0)
    return u.invalid_to_nan(mu_ >= 0, fnp.where(support, out, -fnp.inf), k_)


def pmf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`mu**k exp(-mu) / k!`."""
    return u.finish(fnp.exp(logpmf(k, mu, loc)))


def _probability(k: Any, mu: Any, loc: Any, lower: bool) -> Any:
    k, mu, loc = u.args(k, mu, loc)
    k = fnp.floor(u.lattice(k, loc))
    inside = fnp.logical_and(k >= 0.0, fnp.isfinite(k))
    ks = u.safe(inside, k, 0.0)
    # P(K <= k) = Q(k + 1, mu), P(K > k) = P(k + 1, mu)
    body = (fsp.gammaincc if lower else fsp.gammainc)(ks + 1.0, mu)
    below, above = (0.0, 1.0) if lower else (1.0, 0.0)
    out = fnp.where(inside, body, fnp.where(k < 0.0, fnp.full_like(body, below), fnp.full_like(body, above)))
    return u.invalid_to_nan(mu >= 0, out, k)


def cdf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`P(K <= k) = gammaincc(floor(k) + 1, mu)`."""
    return _probability(k, mu, loc, True)


def sf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`P(K > k) = gammainc(floor(k) + 1, mu)`, accurate in the upper tail."""
    return _probability(k, mu, loc, False)


def logcdf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(cdf)`."""
    return u.finish(u.log_probability(cdf(k, mu, loc)))


def logsf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(k, mu, loc)))


u.document(globals(), "Poisson distribution")
