"""The Poisson distribution, ``scipy.stats.poisson(mu)``: ``logpmf`` and ``pmf``,
differentiable in ``mu``. The pmf is 0 (``logpmf`` ``-inf``) off the non-negative integers;
NaN where ``mu < 0`` (``mu = 0`` puts all mass on 0, as SciPy). ``k`` is a lattice variable:
no derivative flows into it.

``cdf``/``sf`` need the regularized incomplete gamma function, which ``fad.scipy.special``
does not offer yet; they are not provided.

>>> import fad, fad.scipy.stats.poisson as poisson
>>> round(float(poisson.pmf(2, 3.0)), 12), round(float(fad.grad(poisson.logpmf, 1)(2, 3.0)), 12)
(0.224041807655, -0.333333333333)
"""

from __future__ import annotations

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["logpmf", "pmf"]


def logpmf(k, mu, loc=0):
    """``k log(mu) - mu - log(k!)`` on the non-negative integers, ``-inf`` elsewhere."""
    k, mu, loc = u.args(k, mu, loc)
    k = u.lattice(k, loc)
    support = u.on_support(k)
    ks = u.safe(support, k, 0.0)
    out = fsp.xlogy(ks, mu) - mu - fsp.gammaln(ks + 1.0)
    return u.invalid_to_nan(mu >= 0, fnp.where(support, out, -fnp.inf), k)


def pmf(k, mu, loc=0):
    """``mu**k exp(-mu) / k!``."""
    return u.finish(fnp.exp(logpmf(k, mu, loc)))
