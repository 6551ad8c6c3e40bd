"""The log-normal distribution, ``scipy.stats.lognorm(s)``: ``log((x - loc) / scale)`` is
normal with standard deviation ``s``; differentiable in ``x`` (or ``q``), ``s``, ``loc`` and
``scale``. ``pdf`` is 0 (``logpdf`` ``-inf``) at and below ``loc``; NaN where ``s <= 0`` or
``scale <= 0``.

>>> import fad.scipy.stats.lognorm as lognorm
>>> round(float(lognorm.pdf(1.0, 0.5)), 12), float(lognorm.cdf(1.0, 0.5))
(0.797884560803, 0.5)
"""

from __future__ import annotations

import fad.numpy as fnp
from fad.scipy.stats import _util as u

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def _parts(x, s, loc, scale):
    y, scale, s = u.standardize(x, loc, scale, s)
    pos = y > 0.0
    logy = fnp.log(u.safe(pos, y, 1.0))
    ok = fnp.logical_and(fnp.logical_and(s > 0, scale > 0), fnp.logical_not(fnp.isnan(y)))
    return logy, pos, s, ok, scale


def logpdf(x, s, loc=0.0, scale=1.0):
    """Log density ``-log(y)**2 / (2 s**2) - log(s y scale sqrt(2 pi))``, ``y = (x-loc)/scale``."""
    logy, pos, s, ok, scale = _parts(x, s, loc, scale)
    w = logy / s
    out = -0.5 * w * w - logy - fnp.log(s) - fnp.log(scale) - u.LOG_SQRT_2PI
    return u.invalid_to_nan(ok, fnp.where(pos, out, -fnp.inf))


def pdf(x, s, loc=0.0, scale=1.0):
    """The density (0 at and below ``loc``)."""
    return u.finish(fnp.exp(logpdf(x, s, loc, scale)))


def cdf(x, s, loc=0.0, scale=1.0):
    """``norm.cdf(log(y) / s)``."""
    logy, pos, s, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.ndtr(logy / s), 0.0))


def logcdf(x, s, loc=0.0, scale=1.0):
    """``norm.logcdf(log(y) / s)``."""
    logy, pos, s, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.log_ndtr(logy / s), -fnp.inf))


def sf(x, s, loc=0.0, scale=1.0):
    """``norm.sf(log(y) / s)``."""
    logy, pos, s, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.ndtr(-logy / s), 1.0))


def logsf(x, s, loc=0.0, scale=1.0):
    """``norm.logsf(log(y) / s)``."""
    logy, pos, s, ok, _ = _parts(x, s, loc, scale)
    return u.invalid_to_nan(ok, fnp.where(pos, u.log_ndtr(-logy / s), 0.0))


def ppf(q, s, loc=0.0, scale=1.0):
    """Quantile ``loc + scale * exp(s * norm.ppf(q))``: ``loc`` at 0, ``inf`` at 1."""
    q, loc, scale, s = u.quantile_args(q, loc, scale, s)
    ok = fnp.logical_and(s > 0, scale > 0)
    return u.invalid_to_nan(ok, loc + scale * fnp.exp(s * u.ndtri(q)))


def isf(q, s, loc=0.0, scale=1.0):
    """Inverse survival function ``loc + scale * exp(-s * norm.ppf(q))`` (exact for small ``q``)."""
    q, loc, scale, s = u.quantile_args(q, loc, scale, s)
    ok = fnp.logical_and(s > 0, scale > 0)
    return u.invalid_to_nan(ok, loc + scale * fnp.exp(-s * u.ndtri(q)))


def entropy(s, loc=0.0, scale=1.0):
    """Differential entropy ``1/2 + log(2 pi)/2 + log(s) + log(scale)``."""
    s, loc, scale = u.args(s, loc, scale)
    out = 0.5 + u.LOG_SQRT_2PI + fnp.log(s) + fnp.log(scale) + 0.0 * loc
    return u.invalid_to_nan(fnp.logical_and(s > 0, scale > 0), out)
