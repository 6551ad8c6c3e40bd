"""The negative binomial distribution, ``scipy.stats.nbinom(n, p)`` (failures before the
``n``-th success, ``n`` real): ``logpmf`` and ``pmf``, differentiable in ``n`` and ``p``.
The pmf is 0 off the non-negative integers; NaN where ``n <= 0`` or ``p`` is outside
``(0, 1]``. ``k`` is a lattice variable: no derivative flows into it.

``cdf``/``sf`` need the regularized incomplete beta function, which ``fad.scipy.special``
does not offer yet; they are not provided.

>>> import fad.scipy.stats.nbinom as nbinom
>>> float(nbinom.pmf(0, 2.0, 0.5)), float(nbinom.pmf(1, 2.0, 0.5))
(0.25, 0.25)
"""

from __future__ import annotations

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["logpmf", "pmf"]


def logpmf(k, n, p, loc=0):
    """``log Gamma(n + k) - log Gamma(n) - log k! + n log p + k log(1 - p)`` on ``k >= 0``."""
    k, n, p, loc = u.args(k, n, p, loc)
    k = u.lattice(k, loc)
    ok = fnp.logical_and(n > 0.0, fnp.logical_and(p > 0.0, p <= 1.0))
    support = u.on_support(k)
    ks = u.safe(support, k, 0.0)
    ns = u.safe(ok, n, 1.0)
    ps = u.safe(ok, p, 0.5)
    out = (
        fsp.gammaln(ns + ks)
        - fsp.gammaln(ns)
        - fsp.gammaln(ks + 1.0)
        + ns * fnp.log(ps)
        + fsp.xlog1py(ks, -ps)
    )
    return u.invalid_to_nan(ok, fnp.where(support, out, -fnp.inf), k)


def pmf(k, n, p, loc=0):
    """``C(n + k - 1, k) p**n (1 - p)**k``."""
    return u.finish(fnp.exp(logpmf(k, n, p, loc)))
