"""The geometric distribution, ``scipy.stats.geom(p)`` (trials up to the first success, on
``k = 1, 2, ...``): ``logpmf``, ``pmf``, ``cdf``, ``logcdf``, ``sf``, ``logsf`` and
``entropy``, differentiable in ``p``; NaN where ``p`` is outside ``(0, 1]``. ``k`` is a
lattice variable: no derivative flows into it.

>>> import fad.scipy.stats.geom as geom
>>> float(geom.pmf(2, 0.5)), float(geom.cdf(2.7, 0.5))
(0.25, 0.75)
"""

from __future__ import annotations

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["cdf", "entropy", "logcdf", "logpmf", "logsf", "pmf", "sf"]


def _ok(p):
    return fnp.logical_and(p > 0.0, p <= 1.0)


def logpmf(k, p, loc=0):
    """``(k - 1) log(1 - p) + log(p)`` on ``k >= 1``, ``-inf`` elsewhere."""
    k, p, loc = u.args(k, p, loc)
    k = u.lattice(k, loc)
    support = u.on_support(k, 1.0)
    ks = u.safe(support, k, 1.0)
    out = fsp.xlog1py(ks - 1.0, -p) + fnp.log(p)
    return u.invalid_to_nan(_ok(p), fnp.where(support, out, -fnp.inf), k)


def pmf(k, p, loc=0):
    """``(1 - p)**(k - 1) p``."""
    return u.finish(fnp.exp(logpmf(k, p, loc)))


def _logsf(k, p):
    """``floor(k) log(1 - p)`` from 1 on (``-inf`` for ``p = 1``), 0 below 1."""
    above = k >= 1.0
    kf = fnp.floor(u.safe(above, k, 1.0))
    return above, fnp.where(above, fsp.xlog1py(kf, -p), 0.0)


def logsf(k, p, loc=0):
    """Log survival function ``floor(k) log(1 - p)`` (0 below 1)."""
    k, p, loc = u.args(k, p, loc)
    k = u.lattice(k, loc)
    _, out = _logsf(k, p)
    return u.invalid_to_nan(fnp.logical_and(_ok(p), fnp.logical_not(fnp.isnan(k))), out)


def sf(k, p, loc=0):
    """Survival function ``(1 - p)**floor(k)`` (1 below 1)."""
    return u.finish(fnp.exp(logsf(k, p, loc)))


def logcdf(k, p, loc=0):
    """``log(1 - (1 - p)**floor(k))``, exact when the cdf is small or near 1; ``-inf`` below 1."""
    return u.finish(u.log1mexp(logsf(k, p, loc)))


def cdf(k, p, loc=0):
    """``1 - (1 - p)**floor(k)`` (as ``-expm1``, exact for small ``p``); 0 below 1."""
    return u.finish(-fnp.expm1(logsf(k, p, loc)))


def entropy(p, loc=0):
    """``-log(p) - (1 - p) log(1 - p) / p``."""
    p, loc = u.args(p, loc)
    ps = u.safe(_ok(p), p, 0.5)
    return u.invalid_to_nan(_ok(p), -fnp.log(ps) - fsp.xlog1py(1.0 - ps, -ps) / ps + 0.0 * loc)
