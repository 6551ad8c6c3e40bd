"""The chi-squared distribution, ``scipy.stats.chi2(df)``: ``logpdf``, ``pdf`` and
``entropy``, differentiable in ``x``, ``df``, ``loc`` and ``scale``. At ``x = loc`` the
density is ``inf`` (``df < 2``), ``1/2`` (``df = 2``) or 0 (``df > 2``), as SciPy; 0 below;
NaN where ``df <= 0`` or ``scale <= 0``.

``cdf``/``sf``/``ppf`` need the regularized incomplete gamma function, which
``fad.scipy.special`` does not offer yet; they are not provided.

>>> import fad.scipy.stats.chi2 as chi2
>>> float(chi2.pdf(0.0, 2.0)), round(float(chi2.logpdf(3.0, 4.0)), 12)
(0.5, -1.787682072452)
"""

from __future__ import annotations

import math

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

__all__ = ["entropy", "logpdf", "pdf"]

_LOG2 = math.log(2.0)


def logpdf(x, df, loc=0.0, scale=1.0):
    """Log density ``(df/2 - 1) log y - y/2 - log Gamma(df/2) - (df/2) log 2 - log(scale)``."""
    y, scale, df = u.standardize(x, loc, scale, df)
    inside = y >= 0.0
    ys = u.safe(inside, y, 1.0)
    half = 0.5 * df
    out = fsp.xlogy(half - 1.0, ys) - 0.5 * ys - fsp.gammaln(half) - half * _LOG2 - fnp.log(scale)
    return u.invalid_to_nan(fnp.logical_and(df > 0, scale > 0), fnp.where(inside, out, -fnp.inf), y)


def pdf(x, df, loc=0.0, scale=1.0):
    """The density."""
    return u.finish(fnp.exp(logpdf(x, df, loc, scale)))


def entropy(df, loc=0.0, scale=1.0):
    """Differential entropy ``df/2 + log(2 Gamma(df/2)) + (1 - df/2) psi(df/2) + log(scale)``."""
    df, loc, scale = u.args(df, loc, scale)
    half = 0.5 * df
    out = half + _LOG2 + fsp.gammaln(half) + (1.0 - half) * fsp.digamma(half) + fnp.log(scale)
    return u.invalid_to_nan(fnp.logical_and(df > 0, scale > 0), out + 0.0 * loc)
