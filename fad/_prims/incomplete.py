"""The regularized incomplete gamma and beta functions and their inverses: ``gammainc``,
``gammaincc``, ``betainc``, ``betaincc``, ``gammaincinv``, ``gammainccinv``, ``betaincinv``,
``betainccinv``; Student's t cdf ``stdtr`` and its inverse ``stdtrit`` (a beta function).

Values come from SciPy's ufuncs (:func:`fad._prims.scipy_special.kernel`). Derivatives:

* in ``x``: the densities, closed forms ``x^(a-1) e^-x / Gamma(a)`` and
  ``x^(a-1) (1-x)^(b-1) / B(a, b)``;
* in the shape parameters ``a`` (and ``b``), which have no closed form: the primitive
  itself with a derivative order (``gammainc_p`` with ``da=k``, ``betainc_p`` with
  ``da=i, db=j``), computed by running the function's power series or continued fraction
  in truncated Taylor arithmetic in ``a`` and ``b`` (:class:`Series`). For ``gammainc``:
  the series ``P = x^a e^-x / Gamma(a+1) sum_n x^n / ((a+1)...(a+n))`` where ``x < a + 1``,
  else Legendre's continued fraction for ``Q``; for ``betainc``: the continued fraction
  of Numerical Recipes' ``betacf`` with the symmetry ``I_x(a, b) = 1 - I_(1-x)(b, a)`` for
  ``x > (a+1)/(a+b+2)``. Both iterate until every Taylor coefficient has converged to
  rounding, so every order of derivative is as accurate as the value (about 1e-13
  relative; tests/test_scipy_special.py measures it against quadrature);
* the inverses: the implicit function theorem, ``dx/dy = 1 / density(x)`` and
  ``dx/da = -(dP/da) / density(x)``, in fad operations, so they differentiate again.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._prims.comparisons import sign, where
from fad._prims.exponential import as_float, exp, log, log1p
from fad._prims.scipy_special import betaln, kernel, scipy_special
from fad._prims.special import gammaln, polygamma, xlog1py, xlogy
from fad._prims.taylor_series import Series
from fad._rules import elementwise

_EPS = 1e-16
_MAX_TERMS = 100_000


def _floats(*xs: Any) -> Any:
    floats = [as_float(v) for v in xs]
    return np.result_type(*floats), np.broadcast_arrays(*floats)


def _take(v: Any, keep: Any) -> Any:
    if isinstance(v, Series):
        return Series({k: c[keep] if isinstance(c, np.ndarray) else c for k, c in v.c.items()}, v.ka, v.kb)
    return v[keep] if isinstance(v, np.ndarray) else v


def _converge(step: Any, state: Any, inputs: Any, size: Any) -> Any:
    """Iterate ``state, delta, ref = step(n, state, *inputs)`` for ``n = 1, 2, ...`` until,
    element by element, every Taylor coefficient of ``delta`` is below rounding of the
    largest of ``ref``'s; converged elements leave the iteration (each runs only as long as
    it needs). Returns the Series ``ref`` of every element (NaN stays NaN)."""
    active = np.arange(size)
    out = None
    for n in range(1, _MAX_TERMS):
        state, delta, ref = step(n, state, *inputs)
        change = np.zeros(active.size)
        scale = np.zeros(active.size)
        for key in ref.c:
            change = np.maximum(change, np.abs(delta.c[key]))
            scale = np.maximum(scale, np.abs(ref.c[key]))
        done = ~(change > _EPS * scale)  # NaN counts as done
        if n == _MAX_TERMS - 1:
            done[:] = True
        if not done.any():
            continue
        if out is None:
            out = {key: np.full(size, np.nan) for key in ref.c}
        for key, c in ref.c.items():
            out[key][active[done]] = np.broadcast_to(c, done.shape)[done]
        keep = ~done
        if not keep.any():
            break
        active = active[keep]
        state = tuple(_take(v, keep) for v in state)
        inputs = tuple(_take(v, keep) for v in inputs)
    return Series(out, ref.ka, ref.kb)


def _shaped(out: Any, dtype: Any) -> Any:
    out = out.astype(dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def _log_coeffs(g0: Any, g1: Any, higher: Any, k: Any) -> Any:
    """The one-variable series with value ``g0``, derivative ``g1`` and ``higher(i)``."""
    return Series.from_derivatives(lambda i, j: g0 if i == 0 else g1 if i == 1 else higher(i), k)


# ------------------------------------------------------------------------------ gammainc
def _gammainc_series(a: Any, x: Any, k: Any) -> Any:
    """``d^k/da^k P(a, x)`` for ``x < a + 1`` from the power series of ``P``."""
    sc = scipy_special()
    lx = np.log(x)
    s_a = Series.variable(a, k)
    pref = _log_coeffs(
        a * lx - x - sc.gammaln(a + 1.0), lx - sc.psi(a + 1.0), lambda i: -sc.polygamma(i - 1, a + 1.0), k
    ).exp()

    def step(n: Any, state: Any, s_a: Any, x: Any) -> Any:
        term, total = state
        term = term * x / (s_a + float(n))
        total = total + term
        return (term, total), term, total

    one = Series.constant(np.ones_like(a), k)
    total = _converge(step, (one, one), (s_a, x), a.size)
    return (pref * total).derivative(k)


def _gammaincc_cf(a: Any, x: Any, k: Any) -> Any:
    """``d^k/da^k Q(a, x)`` for ``x >= a + 1`` from Legendre's continued fraction
    ``Q = x^a e^-x / Gamma(a) / (x+1-a - 1(1-a)/(x+3-a - 2(2-a)/(x+5-a - ...)))``."""
    sc = scipy_special()
    lx = np.log(x)
    s_a = Series.variable(a, k)
    pref = _log_coeffs(a * lx - x - sc.gammaln(a), lx - sc.psi(a), lambda i: -sc.polygamma(i - 1, a), k).exp()

    def step(n: Any, state: Any, s_a: Any, x: Any) -> Any:
        num_2, den_2, num_1, den_1, f = state
        bn = (x + (2.0 * n + 1.0)) - s_a
        an = (s_a - float(n)) * float(n)
        num, den = bn * num_1 + an * num_2, bn * den_1 + an * den_2
        scale = den.c[0, 0]  # the recurrence rescaled: the ratio is unchanged
        num_2, den_2 = num_1.scale_all(scale), den_1.scale_all(scale)
        num_1, den_1 = num.scale_all(scale), den.scale_all(scale)
        f_new = num_1 / den_1
        return (num_2, den_2, num_1, den_1, f_new), f_new - f, f_new

    one = Series.constant(np.ones_like(a), k)
    first = (x + 1.0) - s_a
    f = _converge(step, (one, one * 0.0, first, one, first), (s_a, x), a.size)
    return (pref / f).derivative(k)


def gammainc_da(a: Any, x: Any, k: Any) -> Any:
    """``d^k/da^k gammainc(a, x)`` (``k >= 1``) on float arrays: 0 at ``x = 0`` and ``inf``,
    NaN outside ``a > 0``, ``x >= 0``."""
    dtype, (a, x) = _floats(a, x)
    out = np.full(a.shape, np.nan)
    valid = (a > 0) & (x >= 0) & np.isfinite(a)
    out[valid & ((x == 0) | np.isposinf(x))] = 0.0
    inner = valid & (x > 0) & np.isfinite(x)
    low = inner & (x < a + 1.0)
    high = inner & ~low
    with np.errstate(all="ignore"):
        if low.any():
            out[low] = _gammainc_series(a[low], x[low], k)
        if high.any():
            out[high] = -_gammaincc_cf(a[high], x[high], k)
    return _shaped(out, dtype)


def _gammainc_impl(a: Any, x: Any, *, da: Any = 0) -> Any:
    return kernel("gammainc")(a, x) if da == 0 else gammainc_da(a, x, da)


def gammainc(a: Any, x: Any, *, da: Any = 0) -> Any:
    return bind(gammainc_p, a, x, da=da)


def gamma_density(a: Any, x: Any, *, da: Any = 0) -> Any:
    """``d^da/da^da [x^(a-1) e^-x / Gamma(a)]``, the x-derivative of ``gammainc``, in fad
    operations (the series of its logarithm in ``a``, exponentiated)."""
    g0 = xlogy(a - 1.0, x) - x - gammaln(a)
    if da == 0:
        out = exp(g0)
    else:
        series = _log_coeffs(g0, log(x) - polygamma(a, n=0), lambda i: -polygamma(a, n=i - 1), da)
        out = series.exp(exp).derivative(da)
    return where(a > 0.0, out, np.nan)  # NaN outside the domain, as the value


gammainc_p = elementwise(
    Primitive("gammainc", _gammainc_impl),
    lambda ans, a, x, *, da=0: gammainc(a, x, da=da + 1),
    lambda ans, a, x, *, da=0: gamma_density(a, x, da=da),
    keeps=("x y", "x y"),
)
gammaincc_p = elementwise(
    Primitive("gammaincc", kernel("gammaincc")),
    lambda ans, a, x: -gammainc(a, x, da=1),
    lambda ans, a, x: -gamma_density(a, x),
    keeps=("x y", "x y"),
)


# ------------------------------------------------------------------------------- betainc
def _betainc_cf(a: Any, b: Any, x: Any, ka: Any, kb: Any) -> Any:
    """``d^(ka+kb) I_x(a, b) / da^ka db^kb`` for ``x <= (a+1)/(a+b+2)`` from the continued
    fraction ``I = x^a (1-x)^b / (a B(a, b)) / (1 + d1/(1 + d2/(1 + ...)))``."""
    sc = scipy_special()
    lx, l1x = np.log(x), np.log1p(-x)
    s_a, s_b = Series.variable(a, ka, kb, 0), Series.variable(b, ka, kb, 1)

    def logpref(i: Any, j: Any) -> Any:
        if i == j == 0:
            return a * lx + b * l1x - np.log(a) - sc.betaln(a, b)
        if i and j:
            return sc.polygamma(i + j - 1, a + b)
        if j == 0:  # d^i/da^i of a log x - log a - gammaln(a) + gammaln(a + b)
            log_a = (-1.0) ** (i + 1) * math.factorial(i - 1) / a**i
            return (lx if i == 1 else 0.0) - log_a - sc.polygamma(i - 1, a) + sc.polygamma(i - 1, a + b)
        return (l1x if j == 1 else 0.0) - sc.polygamma(j - 1, b) + sc.polygamma(j - 1, a + b)

    pref = Series.from_derivatives(logpref, ka, kb).exp()

    def step(n: Any, state: Any, s_a: Any, s_b: Any, x: Any) -> Any:
        num_2, den_2, num_1, den_1, f = state
        m = n // 2
        if n % 2:
            d = -(s_a + float(m)) * (s_a + s_b + float(m)) * x / ((s_a + 2.0 * m) * (s_a + (2.0 * m + 1.0)))
        else:
            d = (s_b - float(m)) * float(m) * x / ((s_a + (2.0 * m - 1.0)) * (s_a + 2.0 * m))
        num, den = num_1 + d * num_2, den_1 + d * den_2
        scale = den.c[0, 0]
        num_2, den_2 = num_1.scale_all(scale), den_1.scale_all(scale)
        num_1, den_1 = num.scale_all(scale), den.scale_all(scale)
        f_new = num_1 / den_1
        return (num_2, den_2, num_1, den_1, f_new), f_new - f, f_new

    one = Series.constant(np.ones_like(a), ka, kb)
    f = _converge(step, (one, one * 0.0, one, one, one), (s_a, s_b, x), a.size)
    return (pref / f).derivative(ka, kb)


def betainc_dab(a: Any, b: Any, x: Any, ka: Any, kb: Any) -> Any:
    """``d^(ka+kb)/da^ka db^kb betainc(a, b, x)`` (``ka + kb >= 1``) on float arrays: 0 at
    ``x = 0`` and ``x = 1``, NaN outside ``a, b > 0``, ``0 <= x <= 1``."""
    dtype, (a, b, x) = _floats(a, b, x)
    out = np.full(a.shape, np.nan)
    valid = (a > 0) & (b > 0) & (x >= 0) & (x <= 1) & np.isfinite(a) & np.isfinite(b)
    out[valid & ((x == 0) | (x == 1))] = 0.0
    inner = valid & (x > 0) & (x < 1)
    swap = x > (a + 1.0) / (a + b + 2.0)
    direct, flipped = inner & ~swap, inner & swap
    with np.errstate(all="ignore"):
        if direct.any():
            out[direct] = _betainc_cf(a[direct], b[direct], x[direct], ka, kb)
        if flipped.any():  # I_x(a, b) = 1 - I_(1-x)(b, a)
            out[flipped] = -_betainc_cf(b[flipped], a[flipped], 1.0 - x[flipped], kb, ka)
    return _shaped(out, dtype)


def _betainc_impl(a: Any, b: Any, x: Any, *, da: Any = 0, db: Any = 0) -> Any:
    return kernel("betainc")(a, b, x) if da == db == 0 else betainc_dab(a, b, x, da, db)


def betainc(a: Any, b: Any, x: Any, *, da: Any = 0, db: Any = 0) -> Any:
    return bind(betainc_p, a, b, x, da=da, db=db)


def beta_density(a: Any, b: Any, x: Any, *, da: Any = 0, db: Any = 0) -> Any:
    """``d^(da+db)/da^da db^db [x^(a-1) (1-x)^(b-1) / B(a, b)]``, the x-derivative of
    ``betainc``, in fad operations."""
    g0 = xlogy(a - 1.0, x) + xlog1py(b - 1.0, -x) - betaln(a, b)
    if da == db == 0:
        return where((a > 0.0) & (b > 0.0), exp(g0), np.nan)
    ab = a + b

    def d(i: Any, j: Any) -> Any:
        if i == j == 0:
            return g0
        if i and j:
            return polygamma(ab, n=i + j - 1)
        if j == 0:
            return (log(x) if i == 1 else 0.0) - polygamma(a, n=i - 1) + polygamma(ab, n=i - 1)
        return (log1p(-x) if j == 1 else 0.0) - polygamma(b, n=j - 1) + polygamma(ab, n=j - 1)

    out = Series.from_derivatives(d, da, db).exp(exp).derivative(da, db)
    return where((a > 0.0) & (b > 0.0), out, np.nan)


betainc_p = elementwise(
    Primitive("betainc", _betainc_impl),
    lambda ans, a, b, x, *, da=0, db=0: betainc(a, b, x, da=da + 1, db=db),
    lambda ans, a, b, x, *, da=0, db=0: betainc(a, b, x, da=da, db=db + 1),
    lambda ans, a, b, x, *, da=0, db=0: beta_density(a, b, x, da=da, db=db),
    keeps=("x y z",) * 3,
)


betaincc_p = elementwise(
    Primitive("betaincc", kernel("betaincc")),
    lambda ans, a, b, x: -betainc(a, b, x, da=1),
    lambda ans, a, b, x: -betainc(a, b, x, db=1),
    lambda ans, a, b, x: -beta_density(a, b, x),
    keeps=("x y z",) * 3,
)


# --------------------------------------------------------------------- Student's t cdf
def _t_log_density(df: Any, t: Any) -> Any:
    return (
        gammaln(0.5 * (df + 1.0))
        - gammaln(0.5 * df)
        - 0.5 * log(np.pi * df)
        - 0.5 * (df + 1.0) * log1p(t * t / df)
    )


def _stdtr_ddf(df: Any, t: Any) -> Any:
    """d/d(df) of Student's t cdf. With ``v = df / (df + t^2)``, ``cdf = 1/2 + sign(t) (1 -
    I_v(df/2, 1/2)) / 2``; the chain through ``v`` is written out so that ``|t|`` cancels
    (``I``'s density is infinite at ``v = 1``, ``dv/d(df)`` is 0 there):
    ``-sign(t) dI/da / 4 - t v^(df/2 - 1) (df + t^2)^(-3/2) / (2 B(df/2, 1/2))``. Near
    ``t = 0`` (``v`` near 1) ``dI_v(a, 1/2)/da = -dI_w(1/2, a)/db`` with ``w = t^2 / (df +
    t^2)`` exact; at ``t = 0`` itself (where the chain is 0 * inf) its limit ``t d/d(df)
    pdf(0)``, exact to second order."""
    a = 0.5 * df
    zero = t * t == 0.0
    ts = where(zero, 1.0, t)
    r = df + ts * ts
    w, v = ts * ts / r, df / r
    central = w < 0.5
    da_v = where(
        central,
        -betainc(0.5, a, where(central, w, 0.25), db=1),
        betainc(a, 0.5, where(central, 0.75, v), da=1),
    )
    chain = 0.5 * ts * exp(xlogy(a - 1.0, v) - 1.5 * log(r) - betaln(a, 0.5))
    general = -0.25 * sign(ts) * da_v - chain
    half = 0.5 * (df + 1.0)
    d_log_pdf0 = 0.5 * (polygamma(half, n=0) - polygamma(a, n=0) - 1.0 / df)
    limit = t * exp(gammaln(half) - gammaln(a) - 0.5 * log(np.pi * df)) * d_log_pdf0
    return where(zero, limit, general)


stdtr_p = elementwise(
    Primitive("stdtr", kernel("stdtr")),
    lambda ans, df, t: _stdtr_ddf(df, t),
    lambda ans, df, t: exp(_t_log_density(df, t)),
    keeps=("x y", "x y"),
)
# t = stdtrit(df, p): dt/dp = 1 / density(t), dt/d(df) = -(d cdf/d(df))(t) / density(t)
stdtrit_p = elementwise(
    Primitive("stdtrit", kernel("stdtrit")),
    lambda ans, df, p: -_stdtr_ddf(df, ans) * exp(-_t_log_density(df, ans)),
    lambda ans, df, p: exp(-_t_log_density(df, ans)),
    keeps=("ans x", "ans x"),
)


# ------------------------------------------------------------------------------ inverses
# x = P^-1(a, y): dx/dy = 1 / density(a, x), dx/da = -(dP/da)(a, x) / density(a, x)
gammaincinv_p = elementwise(
    Primitive("gammaincinv", kernel("gammaincinv")),
    lambda ans, a, y: -gammainc(a, ans, da=1) / gamma_density(a, ans),
    lambda ans, a, y: 1.0 / gamma_density(a, ans),
    keeps=("ans x", "ans x"),
)
# x = Q^-1(a, y): Q = 1 - P, so dx/dy = -1 / density and dx/da as for gammaincinv
gammainccinv_p = elementwise(
    Primitive("gammainccinv", kernel("gammainccinv")),
    lambda ans, a, y: -gammainc(a, ans, da=1) / gamma_density(a, ans),
    lambda ans, a, y: -1.0 / gamma_density(a, ans),
    keeps=("ans x", "ans x"),
)
betaincinv_p = elementwise(
    Primitive("betaincinv", kernel("betaincinv")),
    lambda ans, a, b, y: -betainc(a, b, ans, da=1) / beta_density(a, b, ans),
    lambda ans, a, b, y: -betainc(a, b, ans, db=1) / beta_density(a, b, ans),
    lambda ans, a, b, y: 1.0 / beta_density(a, b, ans),
    keeps=("ans x y",) * 3,
)
# x = Ic^-1(a, b, y), Ic = 1 - I: dx/dy = -1 / density, dx/da and dx/db as for betaincinv
betainccinv_p = elementwise(
    Primitive("betainccinv", kernel("betainccinv")),
    lambda ans, a, b, y: -betainc(a, b, ans, da=1) / beta_density(a, b, ans),
    lambda ans, a, b, y: -betainc(a, b, ans, db=1) / beta_density(a, b, ans),
    lambda ans, a, b, y: -1.0 / beta_density(a, b, ans),
    keeps=("ans x y",) * 3,
)
