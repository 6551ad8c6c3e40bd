"""The normal distribution, ``scipy.stats.norm``: pdf, logpdf, cdf, logcdf with ``loc``
and ``scale``, differentiable in all three arguments.

``logcdf`` stays finite and accurate far into the lower tail (``x = -1000`` gives about
``-500007``, with gradient about ``1000``), where ``log(cdf(x))`` would be ``-inf``.

>>> import fad, fad.scipy.stats.norm as norm
>>> round(float(fad.grad(norm.logcdf)(-1000.0)), 6)
1000.001
"""

from __future__ import annotations

import math

import numpy as np

from fad import _prims as ew
from fad import _prims as m
from fad.numpy._util import coerce

__all__ = ["cdf", "logcdf", "logpdf", "pdf"]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT_HALF = math.sqrt(0.5)
_TAIL = -20.0  # below this, logcdf uses the asymptotic series (erfc**3 must not underflow above)


def _z(x, loc, scale):
    return ew.div(ew.sub(coerce(x), coerce(loc)), coerce(scale))


def logpdf(x, loc=0.0, scale=1.0):
    """Log of the normal density, ``-z**2/2 - log(scale) - log(2 pi)/2``."""
    z = _z(x, loc, scale)
    return ew.sub(ew.mul(ew.mul(z, z), -0.5), ew.add(ew.log(coerce(scale)), _LOG_SQRT_2PI))


def pdf(x, loc=0.0, scale=1.0):
    """The normal density.

    >>> import fad.scipy.stats.norm as norm
    >>> round(float(norm.pdf(0.0)), 12)
    0.398942280401
    """
    return ew.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """The normal cumulative distribution ``erfc(-z / sqrt 2) / 2`` (accurate in both tails)."""
    z = _z(x, loc, scale)
    return ew.mul(m.erfc(ew.mul(z, -_SQRT_HALF)), 0.5)


def logcdf(x, loc=0.0, scale=1.0):
    """Log of the normal cdf, accurate in both tails (finite down to ``z ~ -1e150``)."""
    z = _z(x, loc, scale)
    tail = ew.lt(z, _TAIL)
    upper = ew.gt(z, 0.0)
    # body: log(erfc(-z/sqrt2)/2) for _TAIL <= z <= 0; log1p(-erfc(z/sqrt2)/2) for z > 0.
    # Each branch sees a safe input where it is not taken, so no NaN leaks into derivatives.
    z_lo = ew.where(m.logical_or(tail, upper), -1.0, z)
    z_up = ew.where(upper, z, 1.0)
    body = ew.where(
        upper,
        m.log1p(ew.mul(m.erfc(ew.mul(z_up, _SQRT_HALF)), -0.5)),
        ew.log(ew.mul(m.erfc(ew.mul(z_lo, -_SQRT_HALF)), 0.5)),
    )
    # tail: -z^2/2 - log(-z) - log(2 pi)/2 + log(1 - 1/z^2 + 3/z^4 - 15/z^6 + ...)
    zt = ew.where(tail, z, _TAIL)
    w = ew.div(1.0, ew.mul(zt, zt))
    coeffs = [1.0]
    for k in range(1, 12):
        coeffs.append(-coeffs[-1] * (2 * k - 1))
    series = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        series = ew.add(ew.mul(series, w), c)
    tail_val = ew.add(
        ew.sub(ew.mul(ew.mul(zt, zt), -0.5), ew.log(ew.neg(zt))),
        ew.sub(ew.log(series), _LOG_SQRT_2PI),
    )
    out = ew.where(tail, tail_val, body)
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out  # NumPy scalar, as SciPy
