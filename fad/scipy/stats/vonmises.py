"""The von Mises distribution, ``scipy.stats.vonmises(kappa)``: density
``exp(kappa cos z) / (2 pi I0(kappa))`` (periodic, defined for every ``x``, as SciPy),
differentiable in ``x``, ``kappa``, ``loc`` and ``scale``; NaN where ``kappa < 0`` or
``scale <= 0``.

``log I0`` is computed to ~1e-15 (power series below ``kappa = 20``, asymptotic expansion
above) with its derivative ``I1/I0`` declared, so ``kappa`` may be as large as 1e10.
``cdf`` (SciPy's series/normal-approximation algorithm) is not provided.

>>> import fad, fad.scipy.stats.vonmises as vonmises
>>> round(float(vonmises.logpdf(0.0, 1e6)), 9)  # log sqrt(kappa / (2 pi)), no overflow
5.988816621
>>> round(float(fad.grad(vonmises.entropy)(2.0)), 12)
-0.328446395442
"""

from __future__ import annotations

import math

import fad.numpy as fnp
from fad.scipy.stats import _util as u

__all__ = ["entropy", "logpdf", "pdf"]

_LOG_2PI = math.log(2.0 * math.pi)


def _ok(kappa, scale):
    return fnp.logical_and(kappa >= 0, scale > 0)


def logpdf(x, kappa, loc=0.0, scale=1.0):
    """Log density ``kappa (cos z - 1) - log(2 pi) - log(I0(kappa) e**-kappa) - log(scale)``."""
    z, scale, kappa = u.standardize(x, loc, scale, kappa)
    ok = _ok(kappa, scale)
    ks = u.safe(ok, kappa, 1.0)
    # kappa * (cos z - 1) with cos z - 1 = -2 sin(z/2)**2, so large kappa cancels exactly
    sh = fnp.sin(0.5 * z)
    out = -2.0 * ks * sh * sh - u.log_i0e(ks) - _LOG_2PI - fnp.log(scale)
    return u.invalid_to_nan(ok, out)


def pdf(x, kappa, loc=0.0, scale=1.0):
    """The density."""
    return u.finish(fnp.exp(logpdf(x, kappa, loc, scale)))


def entropy(kappa, loc=0.0, scale=1.0):
    """Differential entropy ``log(2 pi I0(kappa)) - kappa I1(kappa)/I0(kappa) + log(scale)``."""
    kappa, loc, scale = u.args(kappa, loc, scale)
    ok = _ok(kappa, scale)
    ks = u.safe(ok, kappa, 1.0)
    out = _LOG_2PI + u.log_i0e(ks) + ks * u.one_minus_i1_over_i0(ks) + fnp.log(scale)
    return u.invalid_to_nan(ok, out + 0.0 * loc)
