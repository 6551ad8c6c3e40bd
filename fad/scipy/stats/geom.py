"""The geometric distribution, `scipy.stats.geom(p)` (trials up to the first success, on
`k = 1, 2, ...`): `logpmf`, `pmf`, `cdf`, `logcdf`, `sf`, `logsf` and
`entropy`, differentiable in `p`; NaN where `p` is outside `(0, 1]`. `k` is a
lattice variable: no derivative flows into it.

Examples:
    >>> import fad.scipy.stats.geom as geom
    >>> float(geom.pmf(2, 0.5)), float(geom.cdf(2.7, 0.5))
    (0.25, 0.75)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "logcdf", "logpmf", "logsf", "pmf", "sf"]


def _ok(p: Any) -> Any:
    return fnp.logical_and(p > 0.0, p <= 1.0)


def logpmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`(k - 1) log(1 - p) + log(p)` on `k >= 1`, `-inf` elsewhere."""
    k_, p_, loc_ = u.args(k, p, loc)
    k_ = u.lattice(k_, loc_)
    support = u.on_support(k_, 1.0)
    ks = u.safe(support, k_, 1.0)
    out = fsp.xlog1py(ks - 1.0, -p_) + fnp.log(p_)
    return u.invalid_to_nan(_ok(p_), fnp.where(support, out, -fnp.inf), k_)


def pmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`(1 - p)**(k - 1) p`."""
    return u.finish(fnp.exp(logpmf(k, p, loc)))


def _logsf(k: Any, p: Any) -> Any:
    """`floor(k) log(1 - p)` from 1 on (`-inf` for `p = 1`), 0 below 1."""
    above = k >= 1.0
    kf = fnp.floor(u.safe(above, k, 1.0))
    return above, fnp.where(above, fsp.xlog1py(kf, -p), 0.0)


def logsf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """Log survival function `floor(k) log(1 - p)` (0 below 1)."""
    k_, p_, loc_ = u.args(k, p, loc)
    k_ = u.lattice(k_, loc_)
    _, out = _logsf(k_, p_)
    return u.invalid_to_nan(fnp.logical_and(_ok(p_), fnp.logical_not(fnp.isnan(k_))), out)


def sf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """Survival function `(1 - p)**floor(k)` (1 below 1)."""
    return u.finish(fnp.exp(logsf(k, p, loc)))


def logcdf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(1 - (1 - p)**floor(k))`, exact when the cdf is small or near 1; `-inf` below 1."""
    return u.finish(u.log1mexp(logsf(k, p, loc)))


def cdf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`1 - (1 - p)**floor(k)` (as `-expm1`, exact for small `p`); 0 below 1."""
    return u.finish(-fnp.expm1(logsf(k, p, loc)))


def entropy(p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`-log(p) - (1 - p) log(1 - p) / p`."""
    p_, loc_ = u.args(p, loc)
    ps = u.safe(_ok(p_), p_, 0.5)
    return u.invalid_to_nan(_ok(p_), -fnp.log(ps) - fsp.xlog1py(1.0 - ps, -ps) / ps + 0.0 * loc_)


u.document(
    globals(),
    "geometric distribution",
    sample={"p": 0.3},
    k="Numbers of trials up to the first success (a discrete variable: no derivative flows into it).",
)
