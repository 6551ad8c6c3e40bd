"""The gamma distribution, ``scipy.stats.gamma(a)``: ``logpdf``, ``pdf`` and ``entropy``,
differentiable in ``x``, ``a``, ``loc`` and ``scale``. At ``x = loc`` the density is ``inf``
(``a < 1``), ``1/scale`` (``a = 1``) or 0 (``a > 1``), as SciPy; 0 below; NaN where
``a <= 0`` or ``scale <= 0``.

``cdf``/``sf``/``ppf`` need the regularized incomplete gamma function, which
``fad.scipy.special`` does not offer yet; they are not provided.

>>> import fad.scipy.stats.gamma as gamma
>>> float(gamma.pdf(0.0, 1.0)), round(float(gamma.logpdf(2.0, 3.0, scale=2.0)), 12)
(1.0, -2.38629436112)
"""

from __future__ import annotations

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["entropy", "logpdf", "pdf"]


def logpdf(x, a, loc=0.0, scale=1.0):
    """Log density ``(a - 1) log y - y - log Gamma(a) - log(scale)``, ``y = (x - loc)/scale``."""
    y, scale, a = u.standardize(x, loc, scale, a)
    inside = y >= 0.0
    ys = u.safe(inside, y, 1.0)
    out = fsp.xlogy(a - 1.0, ys) - ys - fsp.gammaln(a) - fnp.log(scale)
    return u.invalid_to_nan(fnp.logical_and(a > 0, scale > 0), fnp.where(inside, out, -fnp.inf), y)


def pdf(x, a, loc=0.0, scale=1.0):
    """The density."""
    return u.finish(fnp.exp(logpdf(x, a, loc, scale)))


def entropy(a, loc=0.0, scale=1.0):
    """Differential entropy ``a + log Gamma(a) + (1 - a) psi(a) + log(scale)``."""
    a, loc, scale = u.args(a, loc, scale)
    out = a + fsp.gammaln(a) + (1.0 - a) * fsp.digamma(a) + fnp.log(scale)
    return u.invalid_to_nan(fnp.logical_and(a > 0, scale > 0), out + 0.0 * loc)
