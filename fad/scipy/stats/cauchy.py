"""The Cauchy distribution, `scipy.stats.cauchy`: density `1 / (pi scale (1 + z**2))`,
differentiable in `x` (or `q`), `loc` and `scale`.

The cdf is `atan2(1, -z) / pi`, exact in both tails (SciPy's `1/2 + atan(z)/pi` loses
the lower tail); `ppf` and `isf` are `-1 / tan(pi q)` near 0 (exact for small `q`,
where SciPy's `tan(pi (q - 1/2))` keeps about `1e-16 / q` relative accuracy).

Examples:
    >>> import fad.scipy.stats.cauchy as cauchy
    >>> float(cauchy.cdf(1.0)), float(cauchy.ppf(0.75))
    (0.75, 1.0)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]

_LOG_PI = math.log(math.pi)


def logpdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `-log(pi scale) - log1p(z**2)`."""
    z, scale_ = u.standardize(x, loc, scale)
    big = fnp.abs(z) > 1e100  # log1p(z**2) = 2 log|z| + log1p(1/z**2), without overflow
    zs, zb = u.safe(big, 1.0, z), u.safe(big, z, 1e100)
    log1pz2 = fnp.where(big, 2.0 * fnp.log(fnp.abs(zb)), fnp.log1p(zs * zs))
    return u.invalid_to_nan(scale_ > 0, -_LOG_PI - fnp.log(scale_) - log1pz2)


def pdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Density `1 / (pi scale (1 + z**2))`."""
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def _cdf(z: Any) -> Any:
    return fnp.arctan2(1.0, -z) / math.pi


def cdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`atan2(1, -z) / pi` (= `1/2 + atan(z)/pi`, exact in both tails)."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, _cdf(z))


def sf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`cdf(-z)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, _cdf(-z))


def logcdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(cdf)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.log(_cdf(z)))


def logsf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`log(sf)`."""
    z, scale_ = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, fnp.log(_cdf(-z)))


def _ppf(q: Any) -> Any:
    """Standard quantile `tan(pi (q - 1/2))` as `-1/tan(pi q)` (q < 1/2) and
    `1/tan(pi (1 - q))` (q >= 1/2); +-inf at 0 and 1."""
    ok = u.in_unit(q)
    low = q < 0.5
    ql = u.safe(fnp.logical_and(low, q > 0.0), q, 0.25)
    qh = u.safe(fnp.logical_and(fnp.logical_not(low), q < 1.0), q, 0.75)
    # tan(pi q - pi/2) = -cos(pi q)/sin(pi q); both forms stay exact near 0 and 1
    lo = -fnp.cos(math.pi * ql) / fnp.sin(math.pi * ql)
    hi = fnp.cos(math.pi * (1.0 - qh)) / fnp.sin(math.pi * (1.0 - qh))
    mid = fnp.abs(q - 0.5) <= 0.25  # q - 1/2 is exact here, and tan(0) is exactly 0
    qm = u.safe(mid, q, 0.5)
    out = fnp.where(mid, fnp.tan(math.pi * (qm - 0.5)), fnp.where(low, lo, hi))
    out = fnp.where(q == 0.0, -fnp.inf, fnp.where(q == 1.0, fnp.inf, out))
    return ok, out


ppf, isf = u.symmetric_quantiles(_ppf, "tan(pi (q - 1/2))")


def entropy(loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `log(4 pi scale)`."""
    loc_, scale_ = u.args(loc, scale)
    return u.invalid_to_nan(scale_ > 0, math.log(4.0 * math.pi) + fnp.log(scale_) + 0.0 * loc_)


u.document(globals(), "Cauchy distribution")
