"""Special functions whose values come from SciPy's own ufuncs (``scipy.special``): the gamma
family (``gamma``, ``rgamma``, ``gammasgn``, ``beta``, ``betaln``), Hurwitz's ``zeta``, the
normal distribution's ``ndtr``, ``log_ndtr``, ``ndtri`` and ``erfcinv``, ``spence`` and the
relative entropies ``rel_entr`` and ``kl_div``.

SciPy is optional: it is imported the first time one of these values is computed, and a
missing SciPy gives an ImportError that says how to install it (:func:`scipy_special`).
The derivatives are closed forms in fad operations, so they differentiate again and batch;
``zeta``'s derivatives in its exponent ``x`` have no closed form and come from the
Euler-Maclaurin sum in truncated Taylor arithmetic (:mod:`fad._prims.taylor_series`).
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

import numpy as np

from fad._core import Primitive, bind
from fad._prims.comparisons import eq, where
from fad._prims.exponential import as_float, exp, log
from fad._prims.special import polygamma
from fad._prims.taylor_series import Series
from fad._prims.trigonometric import cos, sin
from fad._prims.wrappers import binary_fn
from fad._rules import elementwise, nondifferentiable

_SC = None
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def scipy_special() -> Any:
    """The ``scipy.special`` module, imported on first use, or an ImportError with the fix."""
    global _SC
    if _SC is None:
        try:
            import scipy.special
        except ImportError as e:  # pragma: no cover - SciPy is installed in the test suite
            raise ImportError(
                "This fad.scipy.special function computes its values with SciPy, which is not "
                'installed: pip install "fad-autodiff[scipy]" (or pip install scipy).'
            ) from e
        _SC = scipy.special
    return _SC


def kernel(name: Any) -> Any:
    """The impl computing ``scipy.special.<name>`` on float arrays: complex input refused,
    the result in the arguments' common floating dtype, a NumPy scalar when 0-d."""

    def impl(*args: Any) -> Any:
        xs = [as_float(a) for a in args]
        with np.errstate(all="ignore"):
            out = np.asarray(getattr(scipy_special(), name)(*xs))
        out = out.astype(np.result_type(*xs), copy=False)
        return out[()] if out.ndim == 0 else out

    impl.__name__ = f"scipy_{name}"
    return impl


def no_derivative(function: Any, argument: Any) -> Any:
    """A partial that refuses: ``function`` is not differentiated in ``argument`` (an integer
    order, or an order whose derivative SciPy has no closed form for)."""

    def partial(ans: Any, *args: Any, **params: Any) -> NoReturn:
        raise TypeError(
            f"fad.scipy.special.{function} is not differentiable with respect to its "
            f"{argument}: pass a constant there (or wrap it in fad.stop_gradient), and "
            "differentiate with respect to the other arguments only."
        )

    return partial


def digamma(x: Any) -> Any:
    return polygamma(x, n=0)


# ----------------------------------------------------------------------- the gamma family
# the rules recompute gamma (rgamma, beta, log_ndtr) rather than keep it: the tape keeps x only
gamma_p: Primitive = elementwise(
    Primitive("gamma", kernel("gamma")), lambda ans, x: bind(gamma_p, x) * digamma(x), keeps=("x",)
)


# d/dx 1/Gamma(x) = -psi(x) / Gamma(x) (NaN at the poles of psi, where rgamma is 0)
def _rgamma_d(ans: Any, x: Any) -> Any:
    # -psi(x) / Gamma(x) is 0 * NaN at the poles of psi (x = 0, -1, ...): below x = 1/2 the
    # derivative of the reflection 1/Gamma(x) = Gamma(1 - x) sin(pi x) / pi, finite there
    low = x < 0.5
    xl = where(low, x, 0.0)
    xh = where(low, 1.0, x)
    g = bind(gamma_p, 1.0 - xl)
    refl = g * (cos(math.pi * xl) - digamma(1.0 - xl) * sin(math.pi * xl) * (1.0 / math.pi))
    return where(low, refl, -bind(rgamma_p, xh) * digamma(xh))


rgamma_p = elementwise(Primitive("rgamma", kernel("rgamma")), _rgamma_d, keeps=("x",))
gammasgn_p = nondifferentiable(Primitive("gammasgn", kernel("gammasgn")))
betaln_p = elementwise(
    Primitive("betaln", kernel("betaln")),
    lambda ans, a, b: digamma(a) - digamma(a + b),
    lambda ans, a, b: digamma(b) - digamma(a + b),
    keeps=("x y", "x y"),
)
betaln = binary_fn(betaln_p)
beta_p: Primitive = elementwise(
    Primitive("beta", kernel("beta")),
    lambda ans, a, b: bind(beta_p, a, b) * (digamma(a) - digamma(a + b)),
    lambda ans, a, b: bind(beta_p, a, b) * (digamma(b) - digamma(a + b)),
    keeps=("x y", "x y"),
)


# ------------------------------------------------------------------------- Hurwitz's zeta
_ZETA_N = 12  # Euler-Maclaurin: N terms summed directly, then the integral and 10 corrections
_B2J = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330]


def zeta_taylor(x: Any, q: Any, order: Any) -> Any:
    """``[zeta(x, q), d/dx zeta, ..., d^order/dx^order zeta]`` (floats, ``q > 0``) by the
    Euler-Maclaurin sum ``sum_{k<N} (k+q)^-s + (N+q)^(1-s)/(s-1) + (N+q)^-s/2 + sum_j B_2j
    /(2j)! s(s+1)...(s+2j-2) (N+q)^(1-s-2j)`` in truncated Taylor arithmetic in ``s`` (about
    1e-15 relative for ``x > 1``; see tests/test_scipy_special.py for the measured error)."""
    s = Series.variable(x, order)
    total = Series.constant(np.zeros_like(x), order)
    for k in range(_ZETA_N):
        total = total + (-s * np.log(k + q)).exp()
    big = _ZETA_N + q
    lb = np.log(big)
    head = (-s * lb).exp()  # (N+q)^-s
    total = total + head * big / (s - 1.0) + head * 0.5
    rising = s  # s (s+1) ... (s+2j-2)
    power = head / big  # (N+q)^(-s-1)
    fact = 2.0
    for j, b in enumerate(_B2J, start=1):
        total = total + rising * power * (b / fact)
        rising = rising * (s + (2 * j - 1)) * (s + 2 * j)
        power = power / (big * big)
        fact *= (2 * j + 1) * (2 * j + 2)
    return total.derivatives()


def _zeta_impl(x: Any, q: Any, *, dx: Any = 0, riemann: Any = False) -> Any:
    if dx == 0:  # riemann: q is 1, and the value SciPy's zeta(x) (reflected below x = 1)
        return kernel("zeta")(x) if riemann else kernel("zeta")(x, q)
    x, q = as_float(x), as_float(q)
    xb, qb = np.broadcast_arrays(x, q)
    ok = (xb > 1) & (qb > 0)
    if riemann:  # Euler-Maclaurin continues Riemann's zeta analytically (1e-15 above x = -1)
        ok = (xb > -1) & (xb != 1)
    with np.errstate(all="ignore"):
        vals = zeta_taylor(np.where(ok, xb, 2.0), np.where(ok, qb, 1.0), dx)[dx]
    out = np.where(ok, vals, np.nan).astype(np.result_type(x, q))
    return out[()] if out.ndim == 0 else out


def zeta(x: Any, q: Any, *, dx: Any = 0, riemann: Any = False) -> Any:
    return bind(zeta_p, x, q, dx=dx, riemann=riemann)


def _zeta_dq(ans: Any, x: Any, q: Any, *, dx: Any = 0, riemann: Any = False) -> Any:
    # d/dq zeta(x, q) = -x zeta(x + 1, q); its dx-th derivative in x by Leibniz's rule
    out = -x * zeta(x + 1.0, q, dx=dx)
    return out - dx * zeta(x + 1.0, q, dx=dx - 1) if dx else out


zeta_p = elementwise(
    Primitive("zeta", _zeta_impl),
    lambda ans, x, q, *, dx=0, riemann=False: zeta(x, q, dx=dx + 1, riemann=riemann),
    _zeta_dq,
    keeps=("x y", "x y"),
)


# ------------------------------------------------------------------ the normal distribution
ndtr_p = elementwise(
    Primitive("ndtr", kernel("ndtr")), lambda ans, x: exp(-0.5 * x * x - _LOG_SQRT_2PI), keeps=("x",)
)
# d/dx log ndtr(x) = pdf(x) / ndtr(x), as exp(log pdf - log ndtr): no overflow in either tail
log_ndtr_p: Primitive = elementwise(
    Primitive("log_ndtr", kernel("log_ndtr")),
    lambda ans, x: exp(-0.5 * x * x - _LOG_SQRT_2PI - bind(log_ndtr_p, x)),
    keeps=("x",),
)
ndtri_p = elementwise(
    Primitive("ndtri", kernel("ndtri")), lambda ans, p: exp(0.5 * ans * ans + _LOG_SQRT_2PI), keeps=("ans",)
)
erfcinv_p = elementwise(
    Primitive("erfcinv", kernel("erfcinv")),
    lambda ans, y: (-0.5 * math.sqrt(math.pi)) * exp(ans * ans),
    keeps=("ans",),
)


# ------------------------------------------------------------- dilogarithm and entropies
def _spence_d(ans: Any, z: Any) -> Any:
    # spence(z) = int_1^z log t / (1 - t) dt: derivative log z / (1 - z), -1 at z = 1
    one = eq(z, 1.0)
    zs = where(one, 2.0, z)
    return where(one, -1.0, log(zs) / (1.0 - zs))


spence_p = elementwise(Primitive("spence", kernel("spence")), _spence_d, keeps=("x",))

# rel_entr(x, y) = x log(x / y): d/dx = log(x / y) + 1, d/dy = -x / y
rel_entr_p = elementwise(
    Primitive("rel_entr", kernel("rel_entr")),
    lambda ans, x, y: log(x / y) + 1.0,
    lambda ans, x, y: -x / y,
    keeps=("x y", "x y"),
)
# kl_div(x, y) = x log(x / y) - x + y: d/dx = log(x / y), d/dy = 1 - x / y
kl_div_p = elementwise(
    Primitive("kl_div", kernel("kl_div")),
    lambda ans, x, y: log(x / y),
    lambda ans, x, y: 1.0 - x / y,
    keeps=("x y", "x y"),
)
