"""The Bernoulli distribution, ``scipy.stats.bernoulli(p)``: ``logpmf``, ``pmf``, ``cdf``,
``sf``, ``ppf`` and ``entropy``, differentiable in ``p``; NaN where ``p`` is outside
``[0, 1]``. ``k`` is a lattice variable: no derivative flows into it.

>>> import fad.scipy.stats.bernoulli as bernoulli
>>> float(bernoulli.pmf(1, 0.3)), float(bernoulli.cdf(0.5, 0.3))
(0.3, 0.7)
"""

from __future__ import annotations

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["cdf", "entropy", "logpmf", "pmf", "ppf", "sf"]


def logpmf(k, p, loc=0):
    """``log(p)`` at 1, ``log(1 - p)`` at 0, ``-inf`` elsewhere."""
    k, p, loc = u.args(k, p, loc)
    k = u.lattice(k, loc)
    support = fnp.logical_or(k == 0.0, k == 1.0)
    ks = u.safe(support, k, 0.0)
    out = fsp.xlogy(ks, p) + fsp.xlog1py(1.0 - ks, -p)
    return u.invalid_to_nan(u.in_unit(p), fnp.where(support, out, -fnp.inf), k)


def pmf(k, p, loc=0):
    """``p`` at 1, ``1 - p`` at 0, 0 elsewhere."""
    return u.finish(fnp.exp(logpmf(k, p, loc)))


def cdf(k, p, loc=0):
    """0 below 0, ``1 - p`` on ``[0, 1)``, 1 from 1 on."""
    k, p, loc = u.args(k, p, loc)
    k = u.lattice(k, loc)
    out = fnp.where(k < 0.0, 0.0, fnp.where(k < 1.0, 1.0 - p, 1.0))
    return u.invalid_to_nan(fnp.logical_and(u.in_unit(p), fnp.logical_not(fnp.isnan(k))), out)


def sf(k, p, loc=0):
    """``1 - cdf``: 1 below 0, ``p`` on ``[0, 1)``, 0 from 1 on."""
    k, p, loc = u.args(k, p, loc)
    k = u.lattice(k, loc)
    out = fnp.where(k < 0.0, 1.0, fnp.where(k < 1.0, p, 0.0))
    return u.invalid_to_nan(fnp.logical_and(u.in_unit(p), fnp.logical_not(fnp.isnan(k))), out)


def ppf(q, p, loc=0):
    """Smallest ``k`` with ``cdf(k) >= q``: -1 at ``q = 0`` (SciPy's convention), 0 up to
    ``1 - p``, 1 above; NaN outside [0, 1]. Piecewise constant: its derivatives are 0."""
    q, p, loc = u.args(q, p, loc)
    out = fnp.where(q == 0.0, -1.0, fnp.where(q <= 1.0 - p, 0.0, 1.0)) + fad.stop_gradient(loc) + 0.0 * p
    return u.invalid_to_nan(fnp.logical_and(u.in_unit(p), u.in_unit(q)), out)


def entropy(p, loc=0):
    """``-p log p - (1 - p) log(1 - p)``."""
    p, loc = u.args(p, loc)
    out = -fsp.xlogy(p, p) - fsp.xlog1py(1.0 - p, -p) + 0.0 * loc
    return u.invalid_to_nan(u.in_unit(p), out)
