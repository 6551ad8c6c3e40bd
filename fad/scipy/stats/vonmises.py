"""The von Mises distribution, `scipy.stats.vonmises(kappa)`: density
`exp(kappa cos z) / (2 pi I0(kappa))` (periodic, defined for every `x`, as SciPy),
differentiable in `x`, `kappa`, `loc` and `scale`; NaN where `kappa < 0` or
`scale <= 0`.

`log I0` is computed to ~1e-15 (power series below `kappa = 20`, asymptotic expansion
above) with its derivative `I1/I0` declared, so `kappa` may be as large as 1e10.

`cdf` (SciPy's convention: `x` unwrapped, one per full turn) is the Fourier series
`1/2 + z/(2 pi) + sum_n I_n(kappa)/I_0(kappa) sin(n z) / (n pi)` on `[-pi, pi]`, summed
to `12 + 9 sqrt(kappa)` terms (the ratios fall as `exp(-n^2 / (2 kappa))`): about 1e-15
absolute for `kappa` up to 12000; above, Hill's (1977) normal approximation, whose error
there is below 1e-14. SciPy uses that approximation from `kappa = 22`, where it is only
good to ~1e-8. Its derivatives (in `kappa` through `ive`'s) come from the same series.

Examples:
    >>> import fad, fad.scipy.stats.vonmises as vonmises
    >>> round(float(vonmises.logpdf(0.0, 1e6)), 9)  # log sqrt(kappa / (2 pi)), no overflow
    5.988816621
    >>> round(float(fad.grad(vonmises.entropy)(2.0)), 12)
    -0.328446395442
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["cdf", "entropy", "logpdf", "pdf"]

_LOG_2PI = math.log(2.0 * math.pi)


def _ok(kappa: Any, scale: Any) -> Any:
    return fnp.logical_and(kappa >= 0, scale > 0)


def logpdf(x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Log density `kappa (cos z - 1) - log(2 pi) - log(I0(kappa) e**-kappa) - log(scale)`."""
    z, scale_, kappa_ = u.standardize(x, loc, scale, kappa)
    ok = _ok(kappa_, scale_)
    ks = u.safe(ok, kappa_, 1.0)
    # kappa * (cos z - 1) with cos z - 1 = -2 sin(z/2)**2, so large kappa cancels exactly
    sh = fnp.sin(0.5 * z)
    out = -2.0 * ks * sh * sh - u.log_i0e(ks) - _LOG_2PI - fnp.log(scale_)
    return u.invalid_to_nan(ok, out)


def pdf(x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """The density."""
    return u.finish(fnp.exp(logpdf(x, kappa, loc, scale)))


def entropy(kappa: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """Differential entropy `log(2 pi I0(kappa)) - kappa I1(kappa)/I0(kappa) + log(scale)`."""
    kappa_, loc_, scale_ = u.args(kappa, loc, scale)
    ok = _ok(kappa_, scale_)
    ks = u.safe(ok, kappa_, 1.0)
    out = _LOG_2PI + u.log_i0e(ks) + ks * u.one_minus_i1_over_i0(ks) + fnp.log(scale_)
    return u.invalid_to_nan(ok, out + 0.0 * loc_)


_SERIES_UP_TO = 12000.0  # kappa: the series below (at most 1000 terms), Hill's approximation above


def _terms(kappa: Any) -> Any:
    """How many Fourier terms the largest `kappa` needs (all 1000 when it is not known)."""
    try:
        kmax = float(fnp.max(fad.stop_gradient(kappa))) if fnp.size(kappa) else 0.0
    except (fad.TracerConversionError, fad.ConcretizationError):
        return 1000
    kmax = min(kmax, _SERIES_UP_TO) if math.isfinite(kmax) else _SERIES_UP_TO
    return int(12 + 9.0 * math.sqrt(max(kmax, 0.0)))


def _hill(z: Any, kappa: Any) -> Any:
    """Hill's normal approximation of the cdf on `[-pi, pi]` for large `kappa`."""
    b = math.sqrt(2.0 / math.pi) / fsp.i0e(kappa)  # sqrt(2/pi) e^kappa / I0(kappa)
    w = b * fnp.sin(0.5 * z)
    c = 24.0 * kappa
    w2 = w * w
    chi = w - w * w2 / ((c - 2.0 * w2 - 16.0) / 3.0 - (w2 * w2 + 1.75 * w2 + 83.5) / (c - w2 + 3.0)) ** 2
    return fsp.ndtr(chi)


def cdf(x: ArrayLike, kappa: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
    """`P(X <= x)` with `x` unwrapped as SciPy's: `k + F(z - 2 pi k)` for the nearest
    whole turn `k`, `F` the cdf on `[-pi, pi]`."""
    z, scale_, kappa_ = u.standardize(x, loc, scale, kappa)
    ok = _ok(kappa_, scale_)
    ks = u.safe(ok, kappa_, 1.0)
    finite = fnp.isfinite(z)
    turns = fnp.round(fad.stop_gradient(u.safe(finite, z, 0.0)) / (2.0 * math.pi))
    zr = u.safe(finite, z, 0.0) - 2.0 * math.pi * turns
    series_ok = ks <= _SERIES_UP_TO
    kser = u.safe(series_ok, ks, 1.0)
    shape = (-1,) + (1,) * fnp.ndim(zr + kser)
    n = onp.arange(1, _terms(kser) + 1, dtype=z.dtype).reshape(shape)
    ratio = fsp.ive(n, kser) / fsp.i0e(kser)
    series = 0.5 + zr / (2.0 * math.pi) + fnp.sum(ratio * fnp.sin(n * zr) / n, axis=0) / math.pi
    out = turns + fnp.where(series_ok, series, _hill(zr, u.safe(series_ok, _SERIES_UP_TO, ks)))
    out = fnp.where(finite, out, fnp.where(z > 0, fnp.ones_like(z), fnp.zeros_like(z)))  # as SciPy
    return u.invalid_to_nan(ok, out, z)


u.document(globals(), "von Mises distribution")
