"""The negative binomial distribution, `scipy.stats.nbinom(n, p)` (failures before the
`n`-th success, `n` real): `logpmf`, `pmf`, `cdf`, `logcdf`, `sf` and
`logsf`, differentiable in `n` (through the incomplete beta function's shape
derivative) and `p`.
The pmf is 0 off the non-negative integers; NaN where `n <= 0` or `p` is outside
`(0, 1]`. `k` is a lattice variable: no derivative flows into it.

Examples:
    >>> import fad.scipy.stats.nbinom as nbinom
    >>> float(nbinom.pmf(0, 2.0, 0.5)), float(nbinom.pmf(1, 2.0, 0.5))
    (0.25, 0.25)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "logcdf", "logpmf", "logsf", "pmf", "sf"]


def logpmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log Gamma(n + k) - log Gamma(n) - log k! + n log p + k log(1 - p)` on `k >= 0`."""
    k_, n_, p_, loc_ = u.args(k, n, p, loc)
    k_ = u.lattice(k_, loc_)
    ok = fnp.logical_and(n_ > 0.0, fnp.logical_and(p_ > 0.0, p_ <= 1.0))
    support = u.on_support(k_)
    ks = u.safe(support, k_, 0.0)
    ns = u.safe(ok, n_, 1.0)
    ps = u.safe(ok, p_, 0.5)
    out = (
        fsp.gammaln(ns + ks)
        - fsp.gammaln(ns)
        - fsp.gammaln(ks + 1.0)
        + ns * fnp.log(ps)
        + fsp.xlog1py(ks, -ps)
    )
    return u.invalid_to_nan(ok, fnp.where(support, out, -fnp.inf), k_)


def pmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`C(n + k - 1, k) p**n (1 - p)**k`."""
    return u.finish(fnp.exp(logpmf(k, n, p, loc)))


def _probability(k: Any, n: Any, p: Any, loc: Any, lower: bool) -> Any:
    k, n, p, loc = u.args(k, n, p, loc)
    k = fnp.floor(u.lattice(k, loc))
    ok = fnp.logical_and(n > 0.0, fnp.logical_and(p > 0.0, p <= 1.0))
    inside = fnp.logical_and(k >= 0.0, fnp.isfinite(k))
    ks = u.safe(inside, k, 0.0)
    ns = u.safe(ok, n, 1.0)
    ps = u.safe(ok, p, 0.5)
    # P(K <= k) = I_p(n, k + 1)
    body = (fsp.betainc if lower else fsp.betaincc)(ns, ks + 1.0, ps)
    below, above = (0.0, 1.0) if lower else (1.0, 0.0)
    out = fnp.where(inside, body, fnp.where(k < 0.0, fnp.full_like(body, below), fnp.full_like(body, above)))
    return u.invalid_to_nan(ok, out, k)


def cdf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`P(K <= k) = betainc(n, floor(k) + 1, p)`."""
    return _probability(k, n, p, loc, True)


def sf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`P(K > k) = betaincc(n, floor(k) + 1, p)`."""
    return _probability(k, n, p, loc, False)


def logcdf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(cdf)`, as `log1p(-sf)` where the cdf is above 1/2 (as SciPy)."""
    c = cdf(k, n, p, loc)
    upper = c > 0.5
    s_ = u.safe(upper, sf(k, n, p, loc), 0.0)
    return u.finish(fnp.where(upper, fnp.log1p(-s_), u.log_probability(c)))


def logsf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(k, n, p, loc)))


u.document(
    globals(),
    "negative binomial distribution",
    sample={"n": 5.0, "p": 0.5},
    k="Numbers of failures at which to evaluate (a discrete variable: no derivative flows into it).",
    n="Number of successes, `> 0`.",
)
