"""The binomial distribution, `scipy.stats.binom(n, p)`: `logpmf`, `pmf`, `cdf`,
`logcdf`, `sf` and `logsf`, differentiable in `p`. The pmf is 0 off `{0, ..., n}`;
NaN where `n` is not a non-negative integer or `p` is outside `[0, 1]`. `k` and
`n` are lattice variables: no derivative flows into them.

Examples:
    >>> import fad.scipy.stats.binom as binom
    >>> round(float(binom.pmf(3, 10, 0.5)), 12), round(float(binom.cdf(3, 10, 0.5)), 12)
    (0.1171875, 0.171875)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "logcdf", "logpmf", "logsf", "pmf", "sf"]


def logpmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log C(n, k) + k log p + (n - k) log(1 - p)` on `{0, ..., n}`, `-inf` elsewhere."""
    k_, n_, p_, loc_ = u.args(k, n, p, loc)
    k_ = u.lattice(k_, loc_)
    n_ = fad.stop_gradient(n_)
    ok = fnp.logical_and(u.on_support(n_), u.in_unit(p_))
    support = fnp.logical_and(u.on_support(k_), k_ <= n_)
    ks = u.safe(support, k_, 0.0)
    ns = n_  # no derivative flows into n, so an invalid n only needs its value masked
    out = (
        fsp.gammaln(ns + 1.0)
        - fsp.gammaln(ks + 1.0)
        - fsp.gammaln(ns - ks + 1.0)
        + fsp.xlogy(ks, p_)
        + fsp.xlog1py(ns - ks, -p_)
    )
    return u.invalid_to_nan(ok, fnp.where(support, out, -fnp.inf), k_)


def pmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`C(n, k) p**k (1 - p)**(n - k)`."""
    return u.finish(fnp.exp(logpmf(k, n, p, loc)))


def _probability(k: Any, n: Any, p: Any, loc: Any, lower: bool) -> Any:
    k, n, p, loc = u.args(k, n, p, loc)
    k = fnp.floor(u.lattice(k, loc))
    n = fad.stop_gradient(n)
    ok = fnp.logical_and(u.on_support(n), u.in_unit(p))
    inside = fnp.logical_and(k >= 0.0, k < n)
    ks = u.safe(inside, k, 0.0)
    ns = u.safe(inside, n, 1.0)
    # P(K > k) = I_p(k + 1, n - k), P(K <= k) its complement
    body = (fsp.betaincc if lower else fsp.betainc)(ks + 1.0, ns - ks, p)
    below, above = (0.0, 1.0) if lower else (1.0, 0.0)
    out = fnp.where(inside, body, fnp.where(k < 0.0, fnp.full_like(body, below), fnp.full_like(body, above)))
    return u.invalid_to_nan(ok, out, k)


def cdf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`P(K <= k) = betaincc(floor(k) + 1, n - floor(k), p)`."""
    return _probability(k, n, p, loc, True)


def sf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`P(K > k) = betainc(floor(k) + 1, n - floor(k), p)`."""
    return _probability(k, n, p, loc, False)


def logcdf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(cdf)`."""
    return u.finish(u.log_probability(cdf(k, n, p, loc)))


def logsf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(sf)`."""
    return u.finish(u.log_probability(sf(k, n, p, loc)))


u.document(globals(), "binomial distribution")
