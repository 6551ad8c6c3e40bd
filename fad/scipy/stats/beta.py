"""The beta distribution, ``scipy.stats.beta(a, b)``: ``logpdf``, ``pdf`` and ``entropy``,
differentiable in ``x``, ``a``, ``b``, ``loc`` and ``scale``. At the ends of ``[loc, loc +
scale]`` the density is ``inf``, finite or 0 as SciPy's; 0 outside; NaN where ``a <= 0``,
``b <= 0`` or ``scale <= 0``.

``cdf``/``sf``/``ppf`` need the regularized incomplete beta function, which
``fad.scipy.special`` does not offer yet; they are not provided.

>>> import fad.scipy.stats.beta as beta
>>> float(beta.pdf(0.5, 2.0, 2.0)), float(beta.pdf(0.0, 1.0, 3.0))
(1.5, 3.0)
"""

from __future__ import annotations

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["entropy", "logpdf", "pdf"]


def logpdf(x, a, b, loc=0.0, scale=1.0):
    """Log density ``(a-1) log y + (b-1) log(1-y) - log B(a, b) - log(scale)``."""
    y, scale, a, b = u.standardize(x, loc, scale, a, b)
    inside = fnp.logical_and(y >= 0.0, y <= 1.0)
    ys = u.safe(inside, y, 0.5)
    out = fsp.xlogy(a - 1.0, ys) + fsp.xlog1py(b - 1.0, -ys) - u.betaln(a, b) - fnp.log(scale)
    ok = fnp.logical_and(fnp.logical_and(a > 0, b > 0), scale > 0)
    return u.invalid_to_nan(ok, fnp.where(inside, out, -fnp.inf), y)


def pdf(x, a, b, loc=0.0, scale=1.0):
    """The density."""
    return u.finish(fnp.exp(logpdf(x, a, b, loc, scale)))


def entropy(a, b, loc=0.0, scale=1.0):
    """Differential entropy ``log B(a, b) - (a-1) psi(a) - (b-1) psi(b) + (a+b-2) psi(a+b)
    + log(scale)``."""
    a, b, loc, scale = u.args(a, b, loc, scale)
    out = (
        u.betaln(a, b)
        - (a - 1.0) * fsp.digamma(a)
        - (b - 1.0) * fsp.digamma(b)
        + (a + b - 2.0) * fsp.digamma(a + b)
        + fnp.log(scale)
    )
    ok = fnp.logical_and(fnp.logical_and(a > 0, b > 0), scale > 0)
    return u.invalid_to_nan(ok, out + 0.0 * loc)
