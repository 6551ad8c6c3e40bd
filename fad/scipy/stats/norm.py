"""The normal distribution, `scipy.stats.norm`: differentiable in `x` (or `q`), `loc`
and `scale`, with SciPy's edge values (NaN where `scale <= 0`).

`logcdf` and `logsf` stay finite and accurate far into the tails (`x = -1000` gives
about `-500007`, with gradient about `1000`), where `log(cdf(x))` would be `-inf`;
`ppf` and `isf` are accurate for probabilities down to 1e-300.

Examples:
    >>> import fad, fad.scipy.stats.norm as norm
    >>> round(float(fad.grad(norm.logcdf)(-1000.0)), 6)
    1000.001
    >>> round(float(norm.isf(1e-100)), 9)
    21.273453561
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def _z(x: Any, loc: Any, scale: Any) -> Any:
    x, loc, scale = u.args(x, loc, scale)
    return (x - loc) / scale, loc, scale


def logpdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log of the normal density, `-z**2/2 - log(scale) - log(2 pi)/2`, `z = (x-loc)/scale`."""
    z, _, scale_ = _z(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, -0.5 * z * z - fnp.log(scale_) - u.LOG_SQRT_2PI)


def pdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The normal density.

    >>> import fad.scipy.stats.norm as norm
    >>> round(float(norm.pdf(0.0)), 12)
    0.398942280401
    """
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def cdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The normal cumulative distribution `erfc(-z / sqrt 2) / 2` (accurate in both tails)."""
    z, _, scale_ = _z(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.ndtr(z))


def logcdf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log of the normal cdf, accurate in both tails (finite down to `z ~ -1e150`)."""
    z, _, scale_ = _z(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.log_ndtr(z))


def sf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The survival function `1 - cdf(x)`, computed as `cdf(-z)` (accurate in the upper tail).

    >>> import fad.scipy.stats.norm as norm
    >>> float(norm.sf(30.0)) > 0.0
    True
    """
    z, _, scale_ = _z(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.ndtr(-z))


def logsf(x: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log of the survival function, `logcdf(-z)`."""
    z, _, scale_ = _z(x, loc, scale)
    return u.invalid_to_nan(scale_ > 0, u.log_ndtr(-z))


def ppf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The quantile function (inverse of `cdf`): `-inf` at 0, `inf` at 1, NaN outside.

    Its derivative in `q` is `scale / pdf(ppf(q))`, declared with `fad.custom_jvp`.

    >>> import fad, fad.scipy.stats.norm as norm
    >>> round(float(norm.ppf(0.975)), 12), round(float(fad.grad(norm.ppf)(0.5)), 12)
    (1.959963984540, 2.506628274631)
    """
    q_, loc_, scale_ = u.args(q, loc, scale)
    return u.invalid_to_nan(scale_ > 0, loc_ + scale_ * u.ndtri(q_))


def isf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The inverse survival function `ppf(1 - q)`, computed as `-ppf(q)` (exact tails)."""
    q_, loc_, scale_ = u.args(q, loc, scale)
    return u.invalid_to_nan(scale_ > 0, loc_ - scale_ * u.ndtri(q_))


def entropy(loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `log(2 pi e scale**2) / 2` (independent of `loc`)."""
    loc_, scale_ = u.args(loc, scale)
    out = 0.5 * (1.0 + math.log(2.0 * math.pi)) + fnp.log(scale_) + 0.0 * loc_
    return u.invalid_to_nan(scale_ > 0, out)


u.document(globals(), "normal distribution")
