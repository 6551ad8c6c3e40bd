"""The binomial distribution, ``scipy.stats.binom(n, p)``: ``logpmf`` and ``pmf``,
differentiable in ``p``. The pmf is 0 off ``{0, ..., n}``; NaN where ``n`` is not a
non-negative integer or ``p`` is outside ``[0, 1]``. ``k`` and ``n`` are lattice variables:
no derivative flows into them.

``cdf``/``sf`` need the regularized incomplete beta function, which ``fad.scipy.special``
does not offer yet; they are not provided.

>>> import fad.scipy.stats.binom as binom
>>> round(float(binom.pmf(3, 10, 0.5)), 12)
0.1171875
"""

from __future__ import annotations

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["logpmf", "pmf"]


def logpmf(k, n, p, loc=0):
    """``log C(n, k) + k log p + (n - k) log(1 - p)`` on ``{0, ..., n}``, ``-inf`` elsewhere."""
    k, n, p, loc = u.args(k, n, p, loc)
    k = u.lattice(k, loc)
    n = fad.stop_gradient(n)
    ok = fnp.logical_and(u.on_support(n), u.in_unit(p))
    support = fnp.logical_and(u.on_support(k), k <= n)
    ks = u.safe(support, k, 0.0)
    ns = n  # no derivative flows into n, so an invalid n only needs its value masked
    out = (
        fsp.gammaln(ns + 1.0)
        - fsp.gammaln(ks + 1.0)
        - fsp.gammaln(ns - ks + 1.0)
        + fsp.xlogy(ks, p)
        + fsp.xlog1py(ns - ks, -p)
    )
    return u.invalid_to_nan(ok, fnp.where(support, out, -fnp.inf), k)


def pmf(k, n, p, loc=0):
    """``C(n, k) p**k (1 - p)**(n - k)``."""
    return u.finish(fnp.exp(logpmf(k, n, p, loc)))
