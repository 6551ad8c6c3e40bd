"""Special functions behind ``fad.scipy.special``: ``erf``, ``erfc``, ``erfinv``,
``gammaln`` and the polygamma functions, ``xlogy``/``xlog1py`` and ``entr``.

The kernels (:func:`_erf_impl`, :func:`_lgamma_impl`, :func:`_polygamma_impl`, ...) are
fad's own NumPy code; SciPy is not needed at run time. Partials follow
``fad._prims.arithmetic``: ``(ans, *args) -> d out / d arg`` in fad operations, so they
differentiate again and batch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._prims.exponential import as_float, exp, finish, log, log1p
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import elementwise

_2_SQRTPI = 2.0 / math.sqrt(math.pi)


def _cheb_fit(f: Any, lo: Any, hi: Any, deg: Any) -> Any:
    """Chebyshev coefficients of ``f`` on [lo, hi], from its values at Chebyshev nodes."""
    k = np.arange(deg + 1)
    t = np.cos(np.pi * (k + 0.5) / (deg + 1))
    vals = np.array([f(0.5 * (hi - lo) * ti + 0.5 * (hi + lo)) for ti in t])
    c = 2.0 / (deg + 1) * np.cos(np.pi * np.outer(k, k + 0.5) / (deg + 1)) @ vals
    c[0] /= 2
    return lo, hi, c


def _cheb_eval(fit: Any, x: Any) -> Any:
    lo, hi, c = fit
    t = (2.0 * x - (hi + lo)) / (hi - lo)
    return np.polynomial.chebyshev.chebval(t, c)


# erf(x) / x as a function of x^2 on [0, 4] (|x| <= 2): an entire function, so a short
# Chebyshev series is exact to rounding. erfcx(x) = exp(x^2) erfc(x) on [0.5, 8] in three
# pieces; beyond 8 its asymptotic series. The fits are computed once at import from
# Python's math.erf/erfc (correctly rounded to ~1 ulp) at 30-odd nodes each.
_ERF_SMALL = _cheb_fit(lambda u: math.erf(math.sqrt(u)) / math.sqrt(u) if u > 0 else _2_SQRTPI, 0.0, 4.0, 18)
_ERFCX = [
    _cheb_fit(lambda v: math.erfc(v) * math.exp(v * v), lo, hi, 20)
    for lo, hi in ((0.5, 2.0), (2.0, 4.0), (4.0, 8.0))
]


def _erfcx_large(x: Any) -> Any:
    """exp(x^2) erfc(x) for x >= 8 from its asymptotic series (16 terms, error < 1e-16)."""
    inv = 1.0 / (2.0 * x * x)
    term = np.ones_like(x)
    total = np.ones_like(x)
    for n in range(1, 16):
        term = term * (-(2 * n - 1) * inv)
        total = total + term
    return total / (x * math.sqrt(math.pi))


def _erfcx_pos(x: Any) -> Any:
    """exp(x^2) erfc(x) for x >= 0.5 (x a float64 array)."""
    out = np.empty_like(x)
    for (lo, hi, c), sel in zip(
        _ERFCX, (x < 2.0, (x >= 2.0) & (x < 4.0), (x >= 4.0) & (x < 8.0)), strict=True
    ):
        if sel.any():
            out[sel] = _cheb_eval((lo, hi, c), x[sel])
    big = x >= 8.0
    if big.any():
        out[big] = _erfcx_large(x[big])
    return out


def _erfc_pos(x: Any) -> Any:
    """erfc(x) for x >= 0.5."""
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        return np.where(x > 27.3, 0.0, np.exp(-x * x) * _erfcx_pos(np.minimum(x, 27.3)))


def _erf_impl(x: Any) -> Any:
    x = as_float(x)
    z = np.asarray(x, np.float64)
    a = np.abs(z)
    small = a <= 2.0
    out = np.empty_like(z)
    zs = z[small]
    out[small] = zs * _cheb_eval(_ERF_SMALL, zs * zs)
    big = ~small & ~np.isnan(z)
    out[big] = np.sign(z[big]) * (1.0 - _erfc_pos(a[big]))
    out[np.isnan(z)] = np.nan
    return finish(out, x)


def _erfc_impl(x: Any) -> Any:
    x = as_float(x)
    z = np.asarray(x, np.float64)
    out = np.empty_like(z)
    lo = z < 0.5
    out[lo] = 1.0 - _erf_impl(z[lo])
    hi = ~lo & ~np.isnan(z)
    out[hi] = _erfc_pos(z[hi])
    out[np.isnan(z)] = np.nan
    return finish(out, x)


def _erfinv_impl(p: Any) -> Any:
    """Inverse of erf: a closed-form first guess refined by two Halley steps on erf
    (|p| <= 1/2) or on erfc(|y|) = 1 - |p| (the tails, where 1 - |p| is exact); each
    element evaluates only its own function. The guess's relative error (< 2e-3) is cubed
    by each step, so two reach erf's own accuracy."""
    p = as_float(p)
    q = np.asarray(p, np.float64)
    a = np.abs(q)
    with np.errstate(all="ignore"):
        # First guess with relative error < 2e-3 (Winitzki's closed form, constant 0.147).
        ln = np.log((1.0 - a) * (1.0 + a))
        k = 2.0 / (np.pi * 0.147) + 0.5 * ln
        y = np.sqrt(np.sqrt(k * k - ln / 0.147) - k)
        inside = a < 1.0
        tail, body = inside & (a > 0.5), inside & (a <= 0.5)
        r = np.zeros_like(y)
        for _ in range(2):
            # the residual of erf(y) = a (or erfc(y) = 1 - a), over erf's derivative; Halley's
            # step, as erf'' / erf' = -2y
            r[body] = a[body] - _erf_impl(y[body])
            r[tail] = _erfc_impl(y[tail]) - (1.0 - a[tail])
            u = r / (_2_SQRTPI * np.exp(-y * y))
            y = y + u / (1.0 - y * u)
        y = np.where(a == 1.0, np.inf, y)
        y = np.where(a > 1.0, np.nan, y) * np.sign(q)
    y = np.where(q == 0, q, y)
    return finish(np.asarray(y), p)


def _lgamma_impl(x: Any) -> Any:
    x = as_float(x)
    with np.errstate(all="ignore"):  # (inf at the poles and beyond 2.5e305, as SciPy's: no warning)
        out = np.asarray(_LGAMMA(np.asarray(x, np.float64)), np.float64)
    return finish(np.asarray(out), x)


def _lgamma_scalar(v: float) -> float:
    """log|Gamma(v)| of one float, with SciPy's values at the poles (inf) and at -inf (-inf)."""
    if v == -math.inf:
        return -math.inf
    if v <= 0 and v.is_integer():
        return math.inf
    try:
        return math.lgamma(v)
    except OverflowError:  # (v > 2.5e305)
        return math.inf


_LGAMMA = np.frompyfunc(_lgamma_scalar, 1, 1)

# Bernoulli numbers B_2k for the asymptotic series of the polygamma functions.
_B2K = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510]


def _polygamma_pos(n: Any, x: Any) -> Any:
    """psi^(n)(x) for x >= 10 from the asymptotic series."""
    if n == 0:
        inv2 = 1.0 / (x * x)
        s = np.zeros_like(x)
        p = np.ones_like(x)
        for k, b in enumerate(_B2K, start=1):
            p = p * inv2
            s = s + b / (2 * k) * p
        return np.log(x) - 0.5 / x - s
    # (-1)^(n+1) [ (n-1)!/x^n + n!/(2 x^(n+1)) + sum_k B_2k (2k+n-1)!/((2k)! x^(2k+n)) ]
    s = math.factorial(n - 1) / x**n + math.factorial(n) / (2.0 * x ** (n + 1))
    for k, b in enumerate(_B2K, start=1):
        s = s + b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) / x ** (2 * k + n)
    return (-1.0) ** (n + 1) * s


def _polygamma_impl(x: Any, *, n: Any) -> Any:
    """psi^(n)(x): shift x up to >= 10 with psi^(n)(x) = psi^(n)(x+1) - (-1)^n n!/x^(n+1),
    then the asymptotic series; digamma (n = 0) at negative x by reflection, higher orders
    by shifting (NaN below x = -1000)."""
    x = as_float(x)
    z = np.array(x, np.float64, ndmin=1)
    out = np.full_like(z, np.nan)
    with np.errstate(all="ignore"):
        pole = (z <= 0) & (z == np.floor(z))
        refl = (z < 0) & ~pole if n == 0 else np.zeros_like(pole)
        w = np.where(refl, 1.0 - z, z)  # psi(x) = psi(1 - x) - pi / tan(pi x)
        # digamma reflects negative x; higher orders shift them up (x > -1000 only)
        ok = ~pole & ~np.isnan(w) & (w > (0 if n == 0 else -1000))
        w = np.where(ok, w, 10.0)
        acc = np.zeros_like(w)
        sgn = (-1.0) ** n * math.factorial(n)
        for _ in range(1011):
            low = w < 10.0
            if not low.any():
                break
            acc = acc - np.where(low, sgn / w ** (n + 1), 0.0)
            w = np.where(low, w + 1.0, w)
        val = acc + _polygamma_pos(n, w)
        if n == 0:
            frac = z - np.round(z)  # exact, so tan(pi x) keeps its accuracy near the poles
            val = np.where(refl, val - np.pi / np.tan(np.pi * frac), val)
        out = np.where(ok, val, out)
        if n == 0:  # as SciPy: -inf at 0, nan at the negative integers
            out = np.where(pole, np.where(z == 0, -np.inf, np.nan), out)
        else:
            out = np.where(pole, np.inf if n % 2 else -np.inf, out)
        out = np.where(np.isposinf(z), np.inf if n == 0 else 0.0, out)
    out = out.reshape(np.shape(x))
    return finish(out, x)


erf_p = elementwise(Primitive("erf", _erf_impl), lambda ans, x: _2_SQRTPI * exp(-x * x), keeps=("x",))
erfc_p = elementwise(Primitive("erfc", _erfc_impl), lambda ans, x: -_2_SQRTPI * exp(-x * x), keeps=("x",))
erfinv_p = elementwise(
    Primitive("erfinv", _erfinv_impl),
    lambda ans, x: (0.5 * math.sqrt(math.pi)) * exp(ans * ans),
    keeps=("ans",),
)
erf = unary_fn(erf_p)
erfc = unary_fn(erfc_p)
erfinv = unary_fn(erfinv_p)

polygamma_p = elementwise(
    Primitive("polygamma", _polygamma_impl),
    lambda ans, x, *, n: polygamma(x, n=n + 1),
    keeps=("x",),
)


def polygamma(x: Any, *, n: Any) -> Any:
    return bind(polygamma_p, x, n=n)


gammaln_p = elementwise(Primitive("gammaln", _lgamma_impl), lambda ans, x: polygamma(x, n=0), keeps=("x",))
gammaln = unary_fn(gammaln_p)


def _make_xlog(name: Any, logf: Any, dlog: Any) -> Any:
    def impl(x: Any, y: Any) -> Any:
        x = as_float(x)
        y = as_float(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x == 0, np.zeros((), np.result_type(x, y)), x * logf(y))
            out = np.where(np.isnan(y), np.nan, out).astype(np.result_type(x, y))
        return out[()] if out.ndim == 0 else out

    # d/dx = log(y), d/dy = x / y (as JAX: the x == 0 convention affects the value only).
    return elementwise(Primitive(name, impl), lambda ans, x, y: dlog[0](y), dlog[1], keeps=("y", "x y"))


xlogy_p = _make_xlog("xlogy", np.log, (log, lambda ans, x, y: x / y))
xlog1py_p = _make_xlog("xlog1py", np.log1p, (log1p, lambda ans, x, y: x / (1.0 + y)))
xlogy = binary_fn(xlogy_p)
xlog1py = binary_fn(xlog1py_p)


def _entr_impl(x: Any) -> Any:
    x = as_float(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1.0)), np.where(x == 0, 0.0, -np.inf))
        out = np.where(np.isnan(x), np.nan, out)
    return finish(np.asarray(out), x)


# entr(x) = -x log x: derivative -(log x + 1) (+inf at 0, nan below).
entr_p = elementwise(Primitive("entr", _entr_impl), lambda ans, x: -(log(x) + 1.0), keeps=("x",))
entr = unary_fn(entr_p)
