"""SciPy's special functions (`scipy.special`) on values fad can differentiate and batch.

`erf`, `erfc`, `erfinv`, `gammaln`, `digamma`/`psi`, `polygamma`, `expit`,
`logit`, `xlogy`, `xlog1py`, `entr` and the reductions are fad's own NumPy kernels
(SciPy is not needed for them), to about 1e-14 relative accuracy in float64. The others
take their values from SciPy's own ufuncs (SciPy is then needed: `pip install
"fad-autodiff[scipy]"`) and their derivatives from closed forms; `gammainc`,
`gammaincc` and `betainc` in their shape parameters, and `zeta` in its exponent, have
none, and are differentiated by running their series or continued fraction in truncated
Taylor arithmetic (to about 1e-13 relative, at every order). Orders of Bessel functions
(`iv`'s `v`, `jn`'s `n`, ...) are not differentiated: asking for that derivative is
an error.

Calling SciPy's own ufuncs on traced values (`scipy.special.gammaln(x)` inside
`fad.grad`) runs the function of the same name here, once this module is imported.

Reductions (`logsumexp`, `softmax`,
`log_softmax`) shift by the maximum, so inputs of size ~1000 give no inf or NaN, in the
value or in any derivative.

Examples:
    >>> import fad, fad.scipy.special as fsp
    >>> fad.grad(fsp.logsumexp)(fad.numpy.array([0.0, 1000.0]))
    array([0., 1.])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from fad import _prims as ew
from fad import _prims as m
from fad._core import bind
from fad._prims import bessel as bes
from fad._prims import incomplete as inc
from fad._prims import scipy_special as ss
from fad._prims.wrappers import binary_fn, coerce, unary_fn
from fad.numpy import _exp_sums, _interop
from fad.numpy._math import sinc
from fad.scipy._doc import attach

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = [
    "beta",
    "betainc",
    "betaincc",
    "betainccinv",
    "betaincinv",
    "betaln",
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcinv",
    "erfinv",
    "expit",
    "gamma",
    "gammainc",
    "gammaincc",
    "gammainccinv",
    "gammaincinv",
    "gammaln",
    "gammasgn",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "iv",
    "ive",
    "j0",
    "j1",
    "jn",
    "jv",
    "kl_div",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "rel_entr",
    "rgamma",
    "sinc",
    "softmax",
    "spence",
    "stdtr",
    "stdtrit",
    "xlog1py",
    "xlogy",
    "y0",
    "y1",
    "yn",
    "zeta",
]


expit = unary_fn(
    m.expit_p,
    "expit",
    "Logistic sigmoid `1 / (1 + exp(-x))`, accurate at both tails.\n\n"
    ">>> import fad, fad.scipy.special as fsp\n>>> fad.grad(fsp.expit)(0.0)\nnp.float64(0.25)",
    public=True,
)
logit = unary_fn(m.logit_p, "logit", "Inverse of expit, `log(p / (1 - p))`.", public=True)
erf = unary_fn(
    m.erf_p,
    "erf",
    "The error function.\n\n>>> import fad.scipy.special as fsp\n>>> round(float(fsp.erf(1.0)), 12)\n"
    "0.84270079295",
    public=True,
)
erfc = unary_fn(
    m.erfc_p,
    "erfc",
    "The complementary error function `1 - erf(x)`, accurate for large `x`.",
    public=True,
)
erfinv = unary_fn(m.erfinv_p, "erfinv", "Inverse of erf on `[-1, 1]` (+-inf at +-1).", public=True)
gammaln = unary_fn(m.gammaln_p, "gammaln", "`log|Gamma(x)|`; its derivative is digamma.", public=True)
entr = unary_fn(m.entr_p, "entr", "Elementwise entropy `-x log x` (0 at 0, -inf below).", public=True)
xlogy = binary_fn(
    m.xlogy_p,
    "xlogy",
    "`x * log(y)`, 0 where `x == 0` (derivatives `log y` and `x / y`).",
    public=True,
)
xlog1py = binary_fn(m.xlog1py_p, "xlog1py", "`x * log1p(y)`, 0 where `x == 0`.", public=True)


def digamma(x: ArrayLike) -> Array:
    """The digamma function `psi = d/dx gammaln`; its derivative is `polygamma(1, x)`.

    >>> import fad.scipy.special as fsp
    >>> round(float(fsp.digamma(1.0)), 12)  # -Euler's gamma
    -0.577215664902
    """
    return bind(m.polygamma_p, coerce(x), n=0)


psi = digamma


def polygamma(n: int, x: ArrayLike) -> Array:
    """`psi^(n)(x)`, the n-th derivative of digamma, for a concrete integer `n >= 0`."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise TypeError(
            f"polygamma: n must be a concrete integer >= 0, got {n!r}. Pass n as a Python int "
            "(an array of orders is not supported)."
        )
    return bind(m.polygamma_p, coerce(x), n=int(n))


def logsumexp(
    a: ArrayLike,
    axis: int | Sequence[int] | None = None,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
) -> Array:
    """`log(sum(b * exp(a)))` over `axis`, shifted by the maximum so it never overflows.

    Its gradient is the softmax weights `b * exp(a - out)`; `-inf` entries get weight 0.
    With `return_sign=True` returns `(log|s|, sign(s))` for signed sums `s` (`b < 0`).

    >>> import fad.numpy as fnp, fad.scipy.special as fsp
    >>> float(fsp.logsumexp(fnp.array([1000.0, 1000.0])))
    1000.6931471805599
    """
    return _exp_sums.logsumexp(a, axis, b, keepdims, return_sign, "logsumexp")


def softmax(x: ArrayLike, axis: int | Sequence[int] | None = None) -> Array:
    """`exp(x) / sum(exp(x))` over `axis` (SciPy's default: all axes), shifted by the max.

    >>> import fad.numpy as fnp, fad.scipy.special as fsp
    >>> fsp.softmax(fnp.array([0.0, 1000.0]))
    array([0., 1.])
    """
    return _exp_sums.softmax(x, axis, "softmax")


def log_softmax(x: ArrayLike, axis: int | Sequence[int] | None = None) -> Array:
    """`x - logsumexp(x)` over `axis` (SciPy's default: all axes), stable for large `|x|`.

    >>> import fad.numpy as fnp, fad.scipy.special as fsp
    >>> fsp.log_softmax(fnp.array([0.0, 1000.0]))
    array([-1000.,     0.])
    """
    return _exp_sums.log_softmax(x, axis, "log_softmax")


# ------------------------------------------------------------------ the gamma family (SciPy)
gamma = unary_fn(
    ss.gamma_p,
    "gamma",
    "The gamma function; derivative `gamma(x) * digamma(x)`.\n\n"
    ">>> import fad, fad.scipy.special as fsp\n"
    ">>> round(float(fad.grad(fsp.gamma)(3.0)), 12)\n1.845568670197",
    public=True,
)
rgamma = unary_fn(ss.rgamma_p, "rgamma", "`1 / gamma(x)` (0 at the poles of gamma).", public=True)
gammasgn = unary_fn(
    ss.gammasgn_p, "gammasgn", "The sign of `gamma(x)` (piecewise constant: derivative 0).", public=True
)
betaln = binary_fn(ss.betaln_p, "betaln", "`log|B(a, b)|`, accurate for large arguments.", public=True)
beta = binary_fn(ss.beta_p, "beta", "The beta function `Gamma(a) Gamma(b) / Gamma(a + b)`.", public=True)


def multigammaln(a: ArrayLike, d: int) -> Array:
    """The log of the multivariate gamma function of dimension `d` (a concrete integer):
    `d(d-1)/4 log(pi) + sum_j gammaln(a - j/2)`; SciPy's ValueError where `a <= (d-1)/2`.

    >>> import fad.scipy.special as fsp
    >>> round(float(fsp.multigammaln(3.0, 2)), 12)
    1.550194993958
    """
    if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)) or d < 1:
        raise TypeError(f"multigammaln: d must be a concrete integer >= 1, got {d!r}.")
    a_ = coerce(a)
    try:
        low = bool(np.any(np.asarray(a_) <= 0.5 * (d - 1)))
    except TypeError:  # a traced value under vmap or jit: no per-element check
        low = False
    if low:
        raise ValueError(f"multigammaln: condition a > (d-1)/2 = {0.5 * (d - 1)} not met by a.")
    out = 0.25 * d * (d - 1) * np.log(np.pi)
    for j in range(d):
        out = ew.add(m.gammaln(ew.sub(a_, 0.5 * j)), out)
    return out


def gammainc(a: ArrayLike, x: ArrayLike) -> Array:
    """The regularized lower incomplete gamma function `P(a, x)`, differentiable in `a`
    (by its series or continued fraction in Taylor arithmetic) and in `x`.

    >>> import fad, fad.scipy.special as fsp
    >>> round(float(fad.grad(fsp.gammainc)(2.0, 1.0)), 12)  # d/da
    -0.276196045703
    """
    return bind(inc.gammainc_p, coerce(a), coerce(x), da=0)


gammaincc = binary_fn(
    inc.gammaincc_p,
    "gammaincc",
    "The regularized upper incomplete gamma function `Q(a, x) = 1 - P(a, x)`, accurate where "
    "`P` is near 1; differentiable in `a` and `x`.",
    public=True,
)
gammaincinv = binary_fn(
    inc.gammaincinv_p,
    "gammaincinv",
    "The `x` with `gammainc(a, x) = y`; derivatives by the implicit function theorem.",
    public=True,
)
gammainccinv = binary_fn(
    inc.gammainccinv_p,
    "gammainccinv",
    "The `x` with `gammaincc(a, x) = y`; derivatives by the implicit function theorem.",
    public=True,
)


def betainc(a: ArrayLike, b: ArrayLike, x: ArrayLike) -> Array:
    """The regularized incomplete beta function `I_x(a, b)`, differentiable in `a`, `b`
    (by its continued fraction in Taylor arithmetic) and `x`.

    >>> import fad, fad.scipy.special as fsp
    >>> [round(float(d), 12) for d in fad.grad(fsp.betainc, argnums=(0, 1, 2))(2.0, 3.0, 0.2)]
    [-0.194986374568, 0.080399197237, 1.536]
    """
    return bind(inc.betainc_p, coerce(a), coerce(b), coerce(x), da=0, db=0)


def betaincc(a: ArrayLike, b: ArrayLike, x: ArrayLike) -> Array:
    """The complement `1 - betainc(a, b, x)`, accurate where `betainc` is near 1."""
    return bind(inc.betaincc_p, coerce(a), coerce(b), coerce(x))


def betainccinv(a: ArrayLike, b: ArrayLike, y: ArrayLike) -> Array:
    """The `x` with `betaincc(a, b, x) = y`; derivatives by the implicit function theorem."""
    return bind(inc.betainccinv_p, coerce(a), coerce(b), coerce(y))


stdtr = binary_fn(
    inc.stdtr_p,
    "stdtr",
    "Student's t cdf `stdtr(df, t)`, differentiable in `df` (through `betainc`'s shape derivative) and `t`.",
    public=True,
)
stdtrit = binary_fn(
    inc.stdtrit_p,
    "stdtrit",
    "The `t` with `stdtr(df, t) = p`; derivatives by the implicit function theorem.",
    public=True,
)


def betaincinv(a: ArrayLike, b: ArrayLike, y: ArrayLike) -> Array:
    """The `x` with `betainc(a, b, x) = y`; derivatives by the implicit function theorem."""
    return bind(inc.betaincinv_p, coerce(a), coerce(b), coerce(y))


def zeta(x: ArrayLike, q: ArrayLike | None = None) -> Array:
    """Hurwitz's zeta `sum_k (k + q)^-x` (Riemann's for `q=None`). The derivative in `q` is
    `-x zeta(x + 1, q)`; in `x` (for `x > 1`, and `x > -1` for Riemann's) it comes
    from the Euler-Maclaurin sum in Taylor arithmetic.

    >>> import fad, fad.scipy.special as fsp
    >>> round(float(fad.grad(fsp.zeta)(2.0)), 12)  # zeta'(2)
    -0.937548254316
    """
    if q is None:
        return bind(ss.zeta_p, coerce(x), 1.0, dx=0, riemann=True)
    return bind(ss.zeta_p, coerce(x), coerce(q), dx=0)


# ---------------------------------------------------------- the normal distribution (SciPy)
ndtr = unary_fn(ss.ndtr_p, "ndtr", "The standard normal cdf.", public=True)
log_ndtr = unary_fn(
    ss.log_ndtr_p,
    "log_ndtr",
    "Log of the standard normal cdf, accurate in both tails; derivative `pdf / cdf`.",
    public=True,
)
ndtri = unary_fn(
    ss.ndtri_p,
    "ndtri",
    "Inverse of `ndtr`; derivative `1 / pdf(ndtri(p))`.\n\n"
    ">>> import fad, fad.scipy.special as fsp\n"
    ">>> round(float(fad.grad(fsp.ndtri)(0.5)), 12)\n2.506628274631",
    public=True,
)
erfcinv = unary_fn(ss.erfcinv_p, "erfcinv", "Inverse of `erfc` on `[0, 2]`.", public=True)
spence = unary_fn(
    ss.spence_p, "spence", "Spence's dilogarithm `int_1^z log t / (1 - t) dt` (`z >= 0`).", public=True
)
rel_entr = binary_fn(
    ss.rel_entr_p,
    "rel_entr",
    "`x log(x / y)` for `x, y > 0`; 0 at `x = 0, y >= 0`; `inf` elsewhere.",
    public=True,
)
kl_div = binary_fn(
    ss.kl_div_p, "kl_div", "`x log(x / y) - x + y` for `x, y > 0`; SciPy's edge values.", public=True
)

# -------------------------------------------------------------------------- Bessel (SciPy)
i0 = unary_fn(bes.i0_p, "i0", "Modified Bessel function of order 0; derivative `i1`.", public=True)
i0e = unary_fn(bes.i0e_p, "i0e", "Exponentially scaled `i0(x) * exp(-|x|)`.", public=True)
i1 = unary_fn(bes.i1_p, "i1", "Modified Bessel function of order 1.", public=True)
i1e = unary_fn(bes.i1e_p, "i1e", "Exponentially scaled `i1(x) * exp(-|x|)`.", public=True)
iv = binary_fn(
    bes.iv_p,
    "iv",
    "Modified Bessel function of real order `v`; differentiable in `z` only.\n\n"
    ">>> import fad, fad.scipy.special as fsp\n>>> round(float(fad.grad(fsp.iv, argnums=1)(0.5, 1.0)), 11)\n"
    "0.76236277047",
    public=True,
)
ive = binary_fn(bes.ive_p, "ive", "Exponentially scaled `iv(v, z) * exp(-|z|)`.", public=True)
j0 = unary_fn(bes.j0_p, "j0", "Bessel function of the first kind of order 0.", public=True)
j1 = unary_fn(bes.j1_p, "j1", "Bessel function of the first kind of order 1.", public=True)
jv = binary_fn(
    bes.jv_p,
    "jv",
    "Bessel function of the first kind of real order `v` (differentiable in `z`).",
    public=True,
)
jn = binary_fn(
    bes.jv_p, "jn", "Bessel function of the first kind of order `n` (SciPy's alias of jv).", public=True
)
y0 = unary_fn(bes.y0_p, "y0", "Bessel function of the second kind of order 0.", public=True)
y1 = unary_fn(bes.y1_p, "y1", "Bessel function of the second kind of order 1.", public=True)
yn = binary_fn(
    bes.yn_p,
    "yn",
    "Bessel function of the second kind of integer order `n` (differentiable in `x`).",
    public=True,
)

# ------------------------------------------------------------------------- docstrings
_X = "Input array (any real values where the function is defined)."
_EW = " Elementwise, of the arguments' broadcast shape."
_SECTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "expit": ((_X,), "`1 / (1 + exp(-x))`." + _EW),
    "logit": (
        ("Probabilities in `[0, 1]`.",),
        "`log(p / (1 - p))`: `-inf` at 0, `inf` at 1, NaN outside." + _EW,
    ),
    "erf": ((_X,), "`erf(x)`, in `[-1, 1]`." + _EW),
    "erfc": ((_X,), "`1 - erf(x)`." + _EW),
    "erfinv": (("Values in `[-1, 1]`.",), "The `y` with `erf(y) = x`; NaN outside `[-1, 1]`." + _EW),
    "erfcinv": (("Values in `[0, 2]`.",), "The `y` with `erfc(y) = x`; NaN outside `[0, 2]`." + _EW),
    "gammaln": ((_X,), "`log|Gamma(x)|` (`inf` at the poles)." + _EW),
    "gamma": ((_X,), "`Gamma(x)` (`inf` or NaN at the poles, as SciPy)." + _EW),
    "rgamma": ((_X,), "`1 / Gamma(x)`." + _EW),
    "gammasgn": ((_X,), "The sign of `Gamma(x)`: 1 or -1 (NaN at the poles)." + _EW),
    "digamma": ((_X,), "`psi(x) = Gamma'(x) / Gamma(x)`." + _EW),
    "polygamma": (
        ("The order: a Python int `>= 0` (0 is digamma).", _X),
        "The `n`-th derivative of digamma at `x`, of `x`'s shape.",
    ),
    "entr": ((_X,), "`-x log x` (0 at 0, `-inf` for `x < 0`)." + _EW),
    "xlogy": (("Factor `x`.", "Argument of the log, `y`."), "`x * log(y)`, 0 where `x == 0`." + _EW),
    "xlog1py": (("Factor `x`.", "Argument of `log1p`, `y`."), "`x * log1p(y)`, 0 where `x == 0`." + _EW),
    "betaln": (("First argument `a`.", "Second argument `b`."), "`log|B(a, b)|`." + _EW),
    "beta": (("First argument `a`.", "Second argument `b`."), "`B(a, b)`." + _EW),
    "gammainc": (("Shape `a > 0`.", "Upper limit `x >= 0`."), "`P(a, x)`, in `[0, 1]`." + _EW),
    "gammaincc": (("Shape `a > 0`.", "Lower limit `x >= 0`."), "`Q(a, x) = 1 - P(a, x)`, in `[0, 1]`." + _EW),
    "gammaincinv": (
        ("Shape `a > 0`.", "Probabilities `y` in `[0, 1]`."),
        "The `x` with `gammainc(a, x) = y`." + _EW,
    ),
    "gammainccinv": (
        ("Shape `a > 0`.", "Probabilities `y` in `[0, 1]`."),
        "The `x` with `gammaincc(a, x) = y`." + _EW,
    ),
    "betainc": (
        ("Shape `a > 0`.", "Shape `b > 0`.", "Upper limit `x` in `[0, 1]`."),
        "`I_x(a, b)`, in `[0, 1]`." + _EW,
    ),
    "betaincc": (
        ("Shape `a > 0`.", "Shape `b > 0`.", "Lower limit `x` in `[0, 1]`."),
        "`1 - I_x(a, b)`, in `[0, 1]`." + _EW,
    ),
    "betaincinv": (
        ("Shape `a > 0`.", "Shape `b > 0`.", "Probabilities `y` in `[0, 1]`."),
        "The `x` with `betainc(a, b, x) = y`." + _EW,
    ),
    "betainccinv": (
        ("Shape `a > 0`.", "Shape `b > 0`.", "Probabilities `y` in `[0, 1]`."),
        "The `x` with `betaincc(a, b, x) = y`." + _EW,
    ),
    "stdtr": (
        ("Degrees of freedom `df > 0`.", "Points `t`."),
        "`P(T <= t)` for Student's t with `df` degrees." + _EW,
    ),
    "stdtrit": (
        ("Degrees of freedom `df > 0`.", "Probabilities `p` in `[0, 1]`."),
        "The `t` with `stdtr(df, t) = p`." + _EW,
    ),
    "zeta": (
        ("The exponent `x` (`> 1` for Hurwitz's zeta).", "The offset `q > 0`; None gives Riemann's zeta."),
        "`sum_k (k + q)^-x`." + _EW,
    ),
    "ndtr": ((_X,), "`P(Z <= x)` for a standard normal `Z`." + _EW),
    "log_ndtr": ((_X,), "`log P(Z <= x)`, finite far into the lower tail." + _EW),
    "ndtri": (("Probabilities in `[0, 1]`.",), "The `x` with `ndtr(x) = p`: `-inf` at 0, `inf` at 1." + _EW),
    "spence": (("Values `z >= 0`.",), "`int_1^z log t / (1 - t) dt`; NaN for `z < 0`." + _EW),
    "rel_entr": (
        ("First argument `x`.", "Second argument `y`."),
        "`x log(x / y)` with SciPy's edge values." + _EW,
    ),
    "kl_div": (
        ("First argument `x`.", "Second argument `y`."),
        "`x log(x / y) - x + y` with SciPy's edge values." + _EW,
    ),
    "i0": ((_X,), "`I_0(x)`." + _EW),
    "i0e": ((_X,), "`I_0(x) exp(-|x|)`." + _EW),
    "i1": ((_X,), "`I_1(x)`." + _EW),
    "i1e": ((_X,), "`I_1(x) exp(-|x|)`." + _EW),
    "iv": (("The real order `v` (not differentiated).", "The argument `z`."), "`I_v(z)`." + _EW),
    "ive": (("The real order `v` (not differentiated).", "The argument `z`."), "`I_v(z) exp(-|z|)`." + _EW),
    "j0": ((_X,), "`J_0(x)`." + _EW),
    "j1": ((_X,), "`J_1(x)`." + _EW),
    "jv": (("The real order `v` (not differentiated).", "The argument `z`."), "`J_v(z)`." + _EW),
    "jn": (("The integer order `n` (not differentiated).", "The argument `x`."), "`J_n(x)`." + _EW),
    "y0": (("Values `x > 0`.",), "`Y_0(x)`." + _EW),
    "y1": (("Values `x > 0`.",), "`Y_1(x)`." + _EW),
    "yn": (("The integer order `n` (not differentiated).", "Values `x > 0`."), "`Y_n(x)`." + _EW),
    "multigammaln": (
        ("Values `a > (d - 1) / 2`.", "The dimension: a Python int `>= 1`."),
        "`log Gamma_d(a)`, of `a`'s shape.",
    ),
    "logsumexp": (
        (
            "Input array.",
            "Axis or axes to reduce over; None reduces all.",
            "Weights `b` (broadcast against `a`), or None for 1.",
            "Keep the reduced axes with size 1.",
            "Also return the sign of the sum (for negative weights).",
        ),
        "`log(sum(b * exp(a)))` over `axis`; with `return_sign`, the pair `(log|s|, sign(s))`.",
    ),
    "softmax": (
        ("Input array.", "Axis or axes to normalize over; None (SciPy's default) normalizes over all."),
        "`exp(x) / sum(exp(x))` over `axis`, of `x`'s shape.",
    ),
    "log_softmax": (
        ("Input array.", "Axis or axes to normalize over; None (SciPy's default) normalizes over all."),
        "`x - logsumexp(x)` over `axis`, of `x`'s shape.",
    ),
}
#: arguments of the generated examples, by arity unless given; the derivative is taken in
#: the last argument (orders of Bessel functions and `polygamma`'s `n` have none)
_SAMPLE: dict[str, tuple[float, ...]] = {"polygamma": (1, 0.5), "multigammaln": (3.0, 2)}
_SAMPLE_BY_ARITY = {1: (0.5,), 2: (2.0, 0.5), 3: (2.0, 3.0, 0.5)}


def _example(name: str) -> str:
    """Doctest lines: the value against SciPy's, and a derivative."""
    args = _SAMPLE.get(name) or _SAMPLE_BY_ARITY[len(_SECTIONS[name][0])]
    call = f"({', '.join(repr(a) for a in args)})"
    wrt = 0 if name == "multigammaln" else len(args) - 1
    return (
        f">>> import numpy as np, scipy.special, fad, fad.scipy.special as fsp\n"
        f">>> bool(np.isclose(fsp.{name}{call}, scipy.special.{name}{call}))\nTrue\n"
        f">>> d = fad.grad(fsp.{name}, argnums={wrt}){call}"
    )


for _name, (_args, _returns) in _SECTIONS.items():
    _fn = globals()[_name]
    if ">>>" not in (_fn.__doc__ or ""):
        _fn.__doc__ = (_fn.__doc__ or "") + "\n\n" + _example(_name)
    attach(_fn, _args, _returns)

# SciPy's own ufuncs called on traced values run the functions of this module
_interop.FOREIGN_UFUNCS["scipy.special"] = __name__
