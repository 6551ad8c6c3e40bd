"""More elementwise primitives: inverse trigonometric and hyperbolic functions, accurate
``expm1``/``log1p`` style functions, rounding, floating-point predicates, and the special
functions behind ``fad.scipy.special`` (erf, gammaln, digamma, ...).

A function gets its own primitive here only when its value needs NumPy's accurate kernel
(``log1p``, ``expm1``, ``cbrt``) or its derivative needs something the existing primitives
cannot say (``remainder``'s quotient, ``sinc`` at 0); everything else is a composite in
``fad.numpy._math``. Partials follow ``fad._prims.elementwise``: ``(ans, *args) -> d out /
d arg`` in fad operations, so they differentiate again and batch.

The special-function kernels (:func:`_erf_impl`, :func:`_lgamma_impl`, :func:`_polygamma_impl`,
...) are fad's own NumPy code; SciPy is not needed at run time.
"""

from __future__ import annotations

import math

import numpy as np

from fad._core import Primitive, bind
from fad._prims.elementwise import cos, exp, log, sin, sqrt, where
from fad._prims.structural import astype, linear_unary_jvp
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import batch_elementwise, divided_by, elementwise, nondifferentiable

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_2_SQRTPI = 2.0 / math.sqrt(math.pi)


# ------------------------------------------------------------ predicates and logic
# Boolean results, zero derivative: only batch rules.

isfinite_p = nondifferentiable(Primitive("isfinite", np.isfinite))
isnan_p = nondifferentiable(Primitive("isnan", np.isnan))
isinf_p = nondifferentiable(Primitive("isinf", np.isinf))
signbit_p = nondifferentiable(Primitive("signbit", np.signbit))
logical_and_p = nondifferentiable(Primitive("logical_and", np.logical_and))
logical_or_p = nondifferentiable(Primitive("logical_or", np.logical_or))
logical_xor_p = nondifferentiable(Primitive("logical_xor", np.logical_xor))
logical_not_p = nondifferentiable(Primitive("logical_not", np.logical_not))

isfinite = unary_fn(isfinite_p)
isnan = unary_fn(isnan_p)
isinf = unary_fn(isinf_p)
signbit = unary_fn(signbit_p)
logical_and = binary_fn(logical_and_p)
logical_or = binary_fn(logical_or_p)
logical_xor = binary_fn(logical_xor_p)
logical_not = unary_fn(logical_not_p)

# ----------------------------------------------------------------------- rounding
# Piecewise constant: zero derivative wherever it exists (as JAX).

floor_p = nondifferentiable(Primitive("floor", np.floor))
ceil_p = nondifferentiable(Primitive("ceil", np.ceil))
trunc_p = nondifferentiable(Primitive("trunc", np.trunc))
rint_p = nondifferentiable(Primitive("rint", np.rint))
fix_p = nondifferentiable(Primitive("fix", np.fix))
round_p = nondifferentiable(Primitive("round", lambda x, *, decimals: np.round(x, decimals)))
floor_divide_p = nondifferentiable(Primitive("floor_divide", np.floor_divide))

floor = unary_fn(floor_p)
ceil = unary_fn(ceil_p)
trunc = unary_fn(trunc_p)
rint = unary_fn(rint_p)
fix = unary_fn(fix_p)
round = unary_fn(round_p)  # noqa: A001 - mirrors numpy.round
floor_divide = binary_fn(floor_divide_p)

# ------------------------------------------------- inverse trig and hyperbolic functions

arcsin_p = elementwise(Primitive("arcsin", np.arcsin), divided_by(lambda ans, x: sqrt(1.0 - x * x)))
arccos_p = elementwise(Primitive("arccos", np.arccos), lambda ans, x: -1.0 / sqrt(1.0 - x * x))
arctan_p = elementwise(Primitive("arctan", np.arctan), divided_by(lambda ans, x: 1.0 + x * x))
sinh_p = elementwise(Primitive("sinh", np.sinh), lambda ans, x: cosh(x))
cosh_p = elementwise(Primitive("cosh", np.cosh), lambda ans, x: sinh(x))
arcsinh_p = elementwise(Primitive("arcsinh", np.arcsinh), divided_by(lambda ans, x: sqrt(x * x + 1.0)))
arccosh_p = elementwise(
    Primitive("arccosh", np.arccosh), divided_by(lambda ans, x: sqrt(x - 1.0) * sqrt(x + 1.0))
)
arctanh_p = elementwise(Primitive("arctanh", np.arctanh), divided_by(lambda ans, x: (1.0 - x) * (1.0 + x)))

arcsin = unary_fn(arcsin_p)
arccos = unary_fn(arccos_p)
arctan = unary_fn(arctan_p)
sinh = unary_fn(sinh_p)
cosh = unary_fn(cosh_p)
arcsinh = unary_fn(arcsinh_p)
arccosh = unary_fn(arccosh_p)
arctanh = unary_fn(arctanh_p)

# ------------------------------------------------------- exponentials and logarithms
# expm1 and log1p keep full relative accuracy near 0; exp2/log2/log10 keep NumPy's exact
# values at powers of the base.

expm1_p = elementwise(Primitive("expm1", np.expm1), lambda ans, x: ans + 1.0)
log1p_p = elementwise(Primitive("log1p", np.log1p), divided_by(lambda ans, x: 1.0 + x))
exp2_p = elementwise(Primitive("exp2", np.exp2), lambda ans, x: ans * _LN2)
log2_p = elementwise(Primitive("log2", np.log2), divided_by(lambda ans, x: x * _LN2))
log10_p = elementwise(Primitive("log10", np.log10), divided_by(lambda ans, x: x * _LN10))
cbrt_p = elementwise(Primitive("cbrt", np.cbrt), divided_by(lambda ans, x: 3.0 * ans * ans))
reciprocal_p = elementwise(Primitive("reciprocal", np.reciprocal), lambda ans, x: -(ans * ans))

expm1 = unary_fn(expm1_p)
log1p = unary_fn(log1p_p)
exp2 = unary_fn(exp2_p)
log2 = unary_fn(log2_p)
log10 = unary_fn(log10_p)
cbrt = unary_fn(cbrt_p)
reciprocal = unary_fn(reciprocal_p)


def _expit_impl(x):
    x = np.asarray(x)
    if x.dtype.kind not in "fc":
        x = x.astype(np.float64)
    e = np.exp(-np.abs(x))  # never overflows
    with np.errstate(invalid="ignore"):
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype)
    return out[()] if out.ndim == 0 else out


# The logistic sigmoid 1 / (1 + exp(-x)), exact to the last bit at both tails.
expit_p = elementwise(Primitive("expit", _expit_impl), lambda ans, x: ans * (1.0 - ans))
expit = unary_fn(expit_p)


def _logaddexp_partial(scale):
    """d logaddexp(x, y) / dx = expit(scale * (x - y)); 1/2 when both are the same
    infinity, so the partials never see inf - inf."""

    def d(ans, x, y):
        both_inf = logical_and(x == y, isinf(x))
        return expit(where(both_inf, 0.0, x - y) * scale)

    def d_y(ans, x, y):
        return d(ans, y, x)

    return d, d_y


logaddexp_p = elementwise(Primitive("logaddexp", np.logaddexp), *_logaddexp_partial(1.0))
logaddexp2_p = elementwise(Primitive("logaddexp2", np.logaddexp2), *_logaddexp_partial(_LN2))
logaddexp = binary_fn(logaddexp_p)
logaddexp2 = binary_fn(logaddexp2_p)

# ------------------------------------------------------------------- two arguments


def _safe_nonzero(v):
    return where(v == 0, 1.0, v)


# hypot at (0, 0): derivative 0 (the subgradient of the norm nearest the origin, as JAX).
hypot_p = elementwise(
    Primitive("hypot", np.hypot),
    lambda ans, x, y: x / _safe_nonzero(ans),
    lambda ans, x, y: y / _safe_nonzero(ans),
)


def _atan2_r2(x1, x2):
    return _safe_nonzero(x1 * x1 + x2 * x2)


# arctan2(x1, x2) = angle of (x2, x1): d/dx1 = x2 / r^2, d/dx2 = -x1 / r^2 (0 at the origin).
arctan2_p = elementwise(
    Primitive("arctan2", np.arctan2),
    lambda ans, x1, x2: x2 / _atan2_r2(x1, x2),
    lambda ans, x1, x2: -x1 / _atan2_r2(x1, x2),
)
hypot = binary_fn(hypot_p)
arctan2 = binary_fn(arctan2_p)


def _quotient(ans, x, y):
    """The integer quotient q with x = q * y + ans, as the remainder itself was computed."""
    return rint(bind(_no_grad_div_p, x - ans, y))


_no_grad_div_p = nondifferentiable(Primitive("quotient", np.true_divide))

# remainder (Python's %, sign of y) and fmod (C's, sign of x): x - q * y with q piecewise
# constant, so d/dx = 1 and d/dy = -q (as JAX).
remainder_p = elementwise(Primitive("remainder", np.remainder), 1, lambda ans, x, y: -_quotient(ans, x, y))
fmod_p = elementwise(Primitive("fmod", np.fmod), 1, lambda ans, x, y: -_quotient(ans, x, y))
remainder = binary_fn(remainder_p)
fmod = binary_fn(fmod_p)


def _balanced(wins, ties, ans):
    return astype(where(wins, 1.0, where(ties, 0.5, 0.0)), ans.dtype)


# fmax/fmin ignore NaN: the non-NaN argument gets the whole derivative; ties split evenly.
fmax_p = elementwise(
    Primitive("fmax", np.fmax),
    lambda ans, x, y: _balanced(logical_or(x > y, isnan(y)), x == y, ans),
    lambda ans, x, y: _balanced(logical_or(y > x, logical_and(isnan(x), y == y)), x == y, ans),
)
fmin_p = elementwise(
    Primitive("fmin", np.fmin),
    lambda ans, x, y: _balanced(logical_or(x < y, isnan(y)), x == y, ans),
    lambda ans, x, y: _balanced(logical_or(y < x, logical_and(isnan(x), y == y)), x == y, ans),
)
fmax = binary_fn(fmax_p)
fmin = binary_fn(fmin_p)

# copysign(x1, x2) = |x1| with the sign of x2: d/dx1 = +-1, d/dx2 = 0.
copysign_p = elementwise(
    Primitive("copysign", np.copysign),
    lambda ans, x1, x2: where(signbit(x1) == signbit(ans), 1.0, -1.0),
    None,
)
copysign = binary_fn(copysign_p)

# heaviside(x1, x2): 0 / x2 / 1 for x1 < 0 / == 0 / > 0. d/dx1 = 0, d/dx2 = [x1 == 0].
heaviside_p = elementwise(
    Primitive("heaviside", np.heaviside), None, lambda ans, x1, x2: astype(x1 == 0, ans.dtype)
)
heaviside = binary_fn(heaviside_p)

# ---------------------------------------------------------------------------- sinc
# sinc(x) = sin(pi x) / (pi x). Its derivative (cos(pi x) - sinc(x)) / x is 0/0 at 0, so
# near 0 it is evaluated from the Taylor series (exact to every order we differentiate).

_SINC_SMALL = 1e-2  # |pi x| below this uses the series


def _sinc_series(u):
    """sin(u)/u = sum (-u^2)^k / (2k+1)! for small u (5 terms: error < 1e-25)."""
    u2 = u * u
    return 1.0 + u2 * (-1.0 / 6 + u2 * (1.0 / 120 + u2 * (-1.0 / 5040 + u2 * (1.0 / 362880))))


def _sinc_deriv(ans, x):
    u = x * math.pi
    small = abs(u) < _SINC_SMALL
    # d/du [sin u / u] near 0, from the series: sum (-1)^k 2k u^(2k-1) / (2k+1)!
    u2 = u * u
    series = u * (-2.0 / 6 + u2 * (4.0 / 120 + u2 * (-6.0 / 5040 + u2 * (8.0 / 362880))))
    safe_u = where(small, 1.0, u)
    exact = (cos(safe_u) - sin(safe_u) / safe_u) / safe_u
    return where(small, series, exact) * math.pi


sinc_p = elementwise(Primitive("sinc", np.sinc), _sinc_deriv)
sinc = unary_fn(sinc_p)

# ----------------------------------------------------------------- special functions


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _finish(out, like):
    out = out.astype(like.dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def _cheb_fit(f, lo, hi, deg):
    """Chebyshev coefficients of ``f`` on [lo, hi], from its values at Chebyshev nodes."""
    k = np.arange(deg + 1)
    t = np.cos(np.pi * (k + 0.5) / (deg + 1))
    vals = np.array([f(0.5 * (hi - lo) * ti + 0.5 * (hi + lo)) for ti in t])
    c = 2.0 / (deg + 1) * np.cos(np.pi * np.outer(k, k + 0.5) / (deg + 1)) @ vals
    c[0] /= 2
    return lo, hi, c


def _cheb_eval(fit, x):
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


def _erfcx_large(x):
    """exp(x^2) erfc(x) for x >= 8 from its asymptotic series (16 terms, error < 1e-16)."""
    inv = 1.0 / (2.0 * x * x)
    term = np.ones_like(x)
    total = np.ones_like(x)
    for n in range(1, 16):
        term = term * (-(2 * n - 1) * inv)
        total = total + term
    return total / (x * math.sqrt(math.pi))


def _erfcx_pos(x):
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


def _erfc_pos(x):
    """erfc(x) for x >= 0.5."""
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        return np.where(x > 27.3, 0.0, np.exp(-x * x) * _erfcx_pos(np.minimum(x, 27.3)))


def _erf_impl(x):
    x = _as_float(x)
    z = np.asarray(x, np.float64)
    a = np.abs(z)
    small = a <= 2.0
    out = np.empty_like(z)
    zs = z[small]
    out[small] = zs * _cheb_eval(_ERF_SMALL, zs * zs)
    big = ~small & ~np.isnan(z)
    out[big] = np.sign(z[big]) * (1.0 - _erfc_pos(a[big]))
    out[np.isnan(z)] = np.nan
    return _finish(out, x)


def _erfc_impl(x):
    x = _as_float(x)
    z = np.asarray(x, np.float64)
    out = np.empty_like(z)
    lo = z < 0.5
    out[lo] = 1.0 - _erf_impl(z[lo])
    hi = ~lo & ~np.isnan(z)
    out[hi] = _erfc_pos(z[hi])
    out[np.isnan(z)] = np.nan
    return _finish(out, x)


def _erfinv_impl(p):
    """Inverse of erf: a closed-form first guess refined by Newton steps on erf (|p| <= 1/2)
    or on erfc(|y|) = 1 - |p| (the tails, where 1 - |p| is exact)."""
    p = _as_float(p)
    q = np.asarray(p, np.float64)
    a = np.abs(q)
    with np.errstate(all="ignore"):
        # First guess with relative error < 2e-3 (Winitzki's closed form, constant 0.147).
        ln = np.log((1.0 - a) * (1.0 + a))
        k = 2.0 / (np.pi * 0.147) + 0.5 * ln
        y = np.sqrt(np.sqrt(k * k - ln / 0.147) - k)
        tail = a > 0.5
        for _ in range(4):
            r = np.where(tail, _erfc_impl(y) - (1.0 - a), a - _erf_impl(y))
            dr = _2_SQRTPI * np.exp(-y * y)
            y = np.where(tail, y + r / dr, y + r / dr)
        y = np.where(a == 1.0, np.inf, y)
        y = np.where(a > 1.0, np.nan, y) * np.sign(q)
    y = np.where(q == 0, q, y)
    return _finish(np.asarray(y), p)


def _lgamma_impl(x):
    x = _as_float(x)
    out = np.asarray(_LGAMMA(np.asarray(x, np.float64)), np.float64)
    return _finish(np.asarray(out), x)


_LGAMMA = np.frompyfunc(lambda v: math.lgamma(v) if not (v <= 0 and v == int(v)) else math.inf, 1, 1)

# Bernoulli numbers B_2k for the asymptotic series of the polygamma functions.
_B2K = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510]


def _polygamma_pos(n, x):
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


def _polygamma_impl(x, *, n):
    """psi^(n)(x): shift x up to >= 10 with psi^(n)(x) = psi^(n)(x+1) - (-1)^n n!/x^(n+1),
    then the asymptotic series; digamma (n = 0) at negative x by reflection, higher orders
    by shifting (NaN below x = -1000)."""
    x = _as_float(x)
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
    return _finish(out, x)


erf_p = elementwise(Primitive("erf", _erf_impl), lambda ans, x: _2_SQRTPI * exp(-x * x))
erfc_p = elementwise(Primitive("erfc", _erfc_impl), lambda ans, x: -_2_SQRTPI * exp(-x * x))
erfinv_p = elementwise(
    Primitive("erfinv", _erfinv_impl), lambda ans, x: (0.5 * math.sqrt(math.pi)) * exp(ans * ans)
)
erf = unary_fn(erf_p)
erfc = unary_fn(erfc_p)
erfinv = unary_fn(erfinv_p)

polygamma_p = elementwise(
    Primitive("polygamma", _polygamma_impl),
    lambda ans, x, *, n: polygamma(x, n=n + 1),
)
polygamma = unary_fn(polygamma_p)

gammaln_p = elementwise(Primitive("gammaln", _lgamma_impl), lambda ans, x: polygamma(x, n=0))
gammaln = unary_fn(gammaln_p)


def _logit_impl(p):
    p = _as_float(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(p) - np.log1p(-p)
    return _finish(np.asarray(out), p)


logit_p = elementwise(Primitive("logit", _logit_impl), divided_by(lambda ans, p: p * (1.0 - p)))
logit = unary_fn(logit_p)


def _make_xlog(name, logf, dlog):
    def impl(x, y):
        x = _as_float(x)
        y = _as_float(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x == 0, np.zeros((), np.result_type(x, y)), x * logf(y))
            out = np.where(np.isnan(y), np.nan, out).astype(np.result_type(x, y))
        return out[()] if out.ndim == 0 else out

    # d/dx = log(y), d/dy = x / y (as JAX: the x == 0 convention affects the value only).
    return elementwise(Primitive(name, impl), lambda ans, x, y: dlog[0](y), dlog[1])


xlogy_p = _make_xlog("xlogy", np.log, (log, lambda ans, x, y: x / y))
xlog1py_p = _make_xlog("xlog1py", np.log1p, (log1p, lambda ans, x, y: x / (1.0 + y)))
xlogy = binary_fn(xlogy_p)
xlog1py = binary_fn(xlog1py_p)


def _entr_impl(x):
    x = _as_float(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1.0)), np.where(x == 0, 0.0, -np.inf))
        out = np.where(np.isnan(x), np.nan, out)
    return _finish(np.asarray(out), x)


# entr(x) = -x log x: derivative -(log x + 1) (+inf at 0, nan below).
entr_p = elementwise(Primitive("entr", _entr_impl), lambda ans, x: -(log(x) + 1.0))
entr = unary_fn(entr_p)

# ------------------------------------------------------------- complex parts
# All three are linear. fad differentiates real arrays, where conj and real are the
# identity and imag is zero; the rules below are exact for those.

conj_p = Primitive("conj", np.conjugate)
real_p = Primitive("real", np.real)
imag_p = Primitive("imag", np.imag)
for _p in (conj_p, real_p, imag_p):
    _p.batch = batch_elementwise(_p)
    _p.jvp = linear_unary_jvp(_p)
conj_p.vjp = lambda ct, ans, primals, wants: (bind(conj_p, ct),)
real_p.vjp = lambda ct, ans, primals, wants: (bind(real_p, ct),)
imag_p.vjp = lambda ct, ans, primals, wants: (None,)
