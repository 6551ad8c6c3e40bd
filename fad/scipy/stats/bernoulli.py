"""The Bernoulli distribution, `scipy.stats.bernoulli(p)`: `logpmf`, `pmf`, `cdf`,
`sf`, `ppf` and `entropy`, differentiable in `p`; NaN where `p` is outside
`[0, 1]`. `k` is a lattice variable: no derivative flows into it.

Examples:
    >>> import fad.scipy.stats.bernoulli as bernoulli
    >>> float(bernoulli.pmf(1, 0.3)), float(bernoulli.cdf(0.5, 0.3))
    (0.3, 0.7)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "logpmf", "pmf", "ppf", "sf"]


def logpmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`log(p)` at 1, `log(1 - p)` at 0, `-inf` elsewhere."""
    k_, p_, loc_ = u.args(k, p, loc)
    k_ = u.lattice(k_, loc_)
    support = fnp.logical_or(k_ == 0.0, k_ == 1.0)
    ks = u.safe(support, k_, 0.0)
    out = fsp.xlogy(ks, p_) + fsp.xlog1py(1.0 - ks, -p_)
    return u.invalid_to_nan(u.in_unit(p_), fnp.where(support, out, -fnp.inf), k_)


def pmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`p` at 1, `1 - p` at 0, 0 elsewhere."""
    return u.finish(fnp.exp(logpmf(k, p, loc)))


def cdf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """0 below 0, `1 - p` on `[0, 1)`, 1 from 1 on."""
    k_, p_, loc_ = u.args(k, p, loc)
    k_ = u.lattice(k_, loc_)
    out = fnp.where(k_ < 0.0, 0.0, fnp.where(k_ < 1.0, 1.0 - p_, 1.0))
    return u.invalid_to_nan(fnp.logical_and(u.in_unit(p_), fnp.logical_not(fnp.isnan(k_))), out)


def sf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`1 - cdf`: 1 below 0, `p` on `[0, 1)`, 0 from 1 on."""
    k_, p_, loc_ = u.args(k, p, loc)
    k_ = u.lattice(k_, loc_)
    out = fnp.where(k_ < 0.0, 1.0, fnp.where(k_ < 1.0, p_, 0.0))
    return u.invalid_to_nan(fnp.logical_and(u.in_unit(p_), fnp.logical_not(fnp.isnan(k_))), out)


def ppf(q: ArrayLike, p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """Smallest `k` with `cdf(k) >= q`: -1 at `q = 0` (SciPy's convention), 0 up to
    `1 - p`, 1 above; NaN outside [0, 1]. Piecewise constant: its derivatives are 0."""
    q_, p_, loc_ = u.args(q, p, loc)
    out = fnp.where(q_ == 0.0, -1.0, fnp.where(q_ <= 1.0 - p_, 0.0, 1.0)) + fad.stop_gradient(loc_) + 0.0 * p_
    return u.invalid_to_nan(fnp.logical_and(u.in_unit(p_), u.in_unit(q_)), out)


def entropy(p: ArrayLike, loc: ArrayLike = 0) -> Array:
    """`-p log p - (1 - p) log(1 - p)`."""
    p_, loc_ = u.args(p, loc)
    out = -fsp.xlogy(p_, p_) - fsp.xlog1py(1.0 - p_, -p_) + 0.0 * loc_
    return u.invalid_to_nan(u.in_unit(p_), out)


u.document(globals(), "Bernoulli distribution", sample={"k": 1.0, "p": 0.3})
