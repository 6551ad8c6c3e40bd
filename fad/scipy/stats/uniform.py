"""The uniform distribution on ``[loc, loc + scale]``, ``scipy.stats.uniform``,
differentiable in ``x`` (or ``q``), ``loc`` and ``scale`` inside the support.

>>> import fad.scipy.stats.uniform as uniform
>>> float(uniform.pdf(1.5, 1.0, 2.0)), float(uniform.cdf(1.5, 1.0, 2.0))
(0.5, 0.25)
"""

from __future__ import annotations

import fad.numpy as fnp
from fad.scipy.stats import _util as u

__all__ = ["cdf", "entropy", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


def logpdf(x, loc=0.0, scale=1.0):
    """``-log(scale)`` on ``[loc, loc + scale]`` (both ends included), ``-inf`` outside."""
    z, scale = u.standardize(x, loc, scale)
    inside = fnp.logical_and(z >= 0.0, z <= 1.0)
    return u.invalid_to_nan(scale > 0, fnp.where(inside, -fnp.log(scale), -fnp.inf), z)


def pdf(x, loc=0.0, scale=1.0):
    """``1 / scale`` on the support, 0 outside."""
    return u.finish(fnp.exp(logpdf(x, loc, scale)))


def cdf(x, loc=0.0, scale=1.0):
    """``clip(z, 0, 1)``."""
    z, scale = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale > 0, fnp.where(z < 0.0, 0.0, fnp.where(z > 1.0, 1.0, z)))


def sf(x, loc=0.0, scale=1.0):
    """``clip(1 - z, 0, 1)``."""
    z, scale = u.standardize(x, loc, scale)
    return u.invalid_to_nan(scale > 0, fnp.where(z < 0.0, 1.0, fnp.where(z > 1.0, 0.0, 1.0 - z)))


def _log_pos(p):
    pos = p > 0.0
    return fnp.where(pos, fnp.log(u.safe(pos, p, 1.0)), fnp.where(fnp.isnan(p), p, -fnp.inf))


def logcdf(x, loc=0.0, scale=1.0):
    """``log(cdf)``: ``-inf`` at and below ``loc``."""
    return u.finish(_log_pos(cdf(x, loc, scale)))


def logsf(x, loc=0.0, scale=1.0):
    """``log(sf)``: ``-inf`` at and above ``loc + scale``."""
    return u.finish(_log_pos(sf(x, loc, scale)))


def ppf(q, loc=0.0, scale=1.0):
    """Quantile ``loc + q * scale``, NaN outside [0, 1]."""
    q, loc, scale = u.quantile_args(q, loc, scale)
    return u.invalid_to_nan(fnp.logical_and(scale > 0, u.in_unit(q)), loc + q * scale)


def isf(q, loc=0.0, scale=1.0):
    """Inverse survival function ``loc + (1 - q) * scale``."""
    q, loc, scale = u.quantile_args(q, loc, scale)
    return u.invalid_to_nan(fnp.logical_and(scale > 0, u.in_unit(q)), loc + (1.0 - q) * scale)


def entropy(loc=0.0, scale=1.0):
    """Differential entropy ``log(scale)``."""
    loc, scale = u.args(loc, scale)
    return u.invalid_to_nan(scale > 0, fnp.log(scale) + 0.0 * loc)
