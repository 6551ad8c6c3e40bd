"""Helpers shared by the distributions: argument handling, SciPy's edge conventions, and the
few special functions the distributions need computed without SciPy (the normal cdf and
its log and inverse, `log I0` and `I1/I0`, `betaln`), so that the densities work
where SciPy is not installed.

Everything is written with the public `fad.numpy` / `fad.scipy.special` functions and
`fad.custom_jvp`, so every transform (and every nesting of them) works.

Examples:
    >>> from fad.scipy.stats._util import ndtri
    >>> round(float(ndtri(0.975)), 12)
    1.959963984540
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy._doc import google

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

LOG_2PI = math.log(2.0 * math.pi)
LOG_SQRT_2PI = 0.5 * LOG_2PI
SQRT_HALF = math.sqrt(0.5)
SQRT_2 = math.sqrt(2.0)


# --------------------------------------------------------------------------- arguments
def args(*xs: Any) -> tuple[Array, ...]:
    """The arguments as arrays of one floating dtype: NumPy's promotion of the array
    arguments' dtypes, integers and booleans counting as float64, and Python numbers taking
    the arrays' dtype (so float32 stays float32); float64 when all are Python numbers."""
    vals = [onp.asarray(x) if isinstance(x, (list, tuple)) else x for x in xs]
    dtypes = []
    for x in vals:
        if isinstance(x, (bool, int, float, complex)):
            if isinstance(x, complex):
                dtypes.append(onp.dtype(complex))
            continue
        dt = onp.dtype(getattr(x, "dtype", None) or onp.asarray(x).dtype)
        dtypes.append(onp.dtype(onp.float64) if dt.kind in "biu" else dt)
    dt = onp.result_type(*dtypes) if dtypes else onp.dtype(onp.float64)
    if dt.kind == "c":
        raise TypeError(
            f"fad.scipy.stats: complex input (dtype {dt}) is not supported; "
            "pass real values (SciPy's distributions are real functions)."
        )
    if dt.kind != "f":
        raise TypeError(f"fad.scipy.stats: expected real numbers, got dtype {dt}.")
    return tuple(fnp.asarray(x, dtype=dt) for x in vals)


def arg(x: Any) -> Array:
    """One argument as a floating array (see `args`)."""
    return args(x)[0]


def finish(out: Any) -> Array:
    """SciPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return out[()] if isinstance(out, onp.ndarray) and out.ndim == 0 else out


def safe(cond: Any, x: Any, fill: Any) -> Array:
    """`x` where `cond`, else `fill`: the input a branch sees where it is not taken, so
    no NaN or inf from the untaken branch leaks into values or derivatives."""
    return fnp.where(cond, x, fill)


def invalid_to_nan(valid: Any, out: Any, *inputs: Any) -> Array:
    """NaN wherever the parameters are outside SciPy's domain (SciPy's `argcheck`), and
    wherever one of `inputs` (the point, which support masks would hide) is NaN."""
    for x in inputs:
        valid = fnp.logical_and(valid, fnp.logical_not(fnp.isnan(x)))
    return finish(fnp.where(valid, out, fnp.nan))


def is_integer(k: Any) -> Array:
    return fnp.equal(k, fnp.floor(k))


def concrete_all(cond: Any) -> bool | None:
    """`bool(all(cond))` when the value is known (plain arrays, `grad`, `jvp`), None
    when it is not (under `vmap` or `jit`), where no per-example error can be raised."""
    try:
        return bool(fnp.all(cond))
    except fad.TracerConversionError:
        return None


def ensure(cond: Any, message: str) -> None:
    """Raise `ValueError(message)` when `cond` is known to be False somewhere."""
    if concrete_all(cond) is False:
        raise ValueError(message)


# --------------------------------------------------------------------------- small functions
def log_expit(z: Any) -> Array:
    """`log(1 / (1 + exp(-z)))` = `-softplus(-z)`, accurate for every `z`."""
    return fnp.negative(fnp.logaddexp(0.0, fnp.negative(z)))


def betaln(a: Any, b: Any) -> Array:
    """`log B(a, b) = gammaln(a) + gammaln(b) - gammaln(a + b)`."""
    return fsp.gammaln(a) + fsp.gammaln(b) - fsp.gammaln(a + b)


# --------------------------------------------------------------------------- the normal cdf
def ndtr(z: Any) -> Array:
    """The standard normal cdf, accurate in both tails."""
    return 0.5 * fsp.erfc(z * -SQRT_HALF)


_TAIL = -20.0  # below this, log_ndtr uses the asymptotic series
_TAIL_COEFFS = [1.0]
for _k in range(1, 12):
    _TAIL_COEFFS.append(-_TAIL_COEFFS[-1] * (2 * _k - 1))


def log_ndtr(z: Any) -> Array:
    """Log of the standard normal cdf, accurate in both tails (finite down to `z ~ -1e150`).

    Each branch sees a safe input where it is not taken, so no NaN leaks into derivatives."""
    tail = z < _TAIL
    upper = z > 0.0
    z_lo = safe(fnp.logical_or(tail, upper), -1.0, z)
    z_up = safe(upper, z, 1.0)
    body = fnp.where(
        upper,
        fnp.log1p(-0.5 * fsp.erfc(z_up * SQRT_HALF)),
        fnp.log(0.5 * fsp.erfc(z_lo * -SQRT_HALF)),
    )
    # -z^2/2 - log(-z) - log(2 pi)/2 + log(1 - 1/z^2 + 3/z^4 - 15/z^6 + ...)
    zt = safe(tail, z, _TAIL)
    w = 1.0 / (zt * zt)
    series = _TAIL_COEFFS[-1]
    for c in reversed(_TAIL_COEFFS[:-1]):
        series = series * w + c
    tail_val = -0.5 * zt * zt - fnp.log(-zt) + fnp.log(series) - LOG_SQRT_2PI
    return fnp.where(tail, tail_val, body)


def _norm_logpdf(x: Any) -> Any:
    return -0.5 * x * x - LOG_SQRT_2PI


_CENTRAL = 0.425  # |p - 1/2| below this: erfinv is exact to a few ulps


@fad.custom_jvp
def ndtri(p: Any) -> Array:
    """Inverse of the standard normal cdf, accurate in both tails (`p` down to 1e-300).

    Centre: `sqrt 2 erfinv(2p - 1)` (`2p - 1` is exact there). Tails: Abramowitz and
    Stegun's 26.2.23 guess from `t = sqrt(-2 log q)` (`q = min(p, 1 - p)`), then four
    Newton steps on `log_ndtr(x) = log q` (quadratic, so 4.5e-4 becomes full precision).
    Derivative `1 / pdf(ndtri(p))`, declared, so every order works.
    """
    central = fnp.abs(p - 0.5) <= _CENTRAL
    inside = fnp.logical_and(p > 0.0, p < 1.0)
    pc = safe(central, p, 0.5)
    x_c = SQRT_2 * fsp.erfinv(2.0 * pc - 1.0)
    upper = p > 0.5
    q = fnp.where(upper, 1.0 - p, p)
    q = safe(fnp.logical_and(fnp.logical_not(central), inside), q, 0.01)
    log_q = fnp.log(q)
    t = fnp.sqrt(-2.0 * log_q)
    num = 2.515517 + t * (0.802853 + t * 0.010328)
    den = 1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))
    x = num / den - t
    for _ in range(4):
        lc = log_ndtr(x)
        x = x - (lc - log_q) * fnp.exp(lc - _norm_logpdf(x))
    x_t = fnp.where(upper, -x, x)
    out = fnp.where(central, x_c, x_t)
    out = fnp.where(fnp.equal(p, 0.0), -fnp.inf, out)
    out = fnp.where(fnp.equal(p, 1.0), fnp.inf, out)
    return fnp.where(fnp.logical_or(inside, fnp.logical_or(p == 0.0, p == 1.0)), out, fnp.nan)


@ndtri.defjvp
def _ndtri_jvp(primals: Any, tangents: Any) -> Any:
    (p,), (t,) = primals, tangents
    x = ndtri(p)
    return x, t * fnp.exp(-_norm_logpdf(x))


# --------------------------------------------------------------------------- Bessel I0, I1
_I_SWITCH = 20.0  # series below, asymptotic expansion above (its smallest term ~ e^-2k)


def _series_coeffs(nu: Any, n: Any) -> Any:
    """`1 / (j! (j + nu)!)` for `j < n`: `I_nu(k) = (k/2)^nu sum_j c_j (k^2/4)^j`."""
    return [1.0 / (math.factorial(j) * math.factorial(j + nu)) for j in range(n)]


def _asym_coeffs(nu: Any, n: Any) -> Any:
    """`I_nu(k) ~ e^k / sqrt(2 pi k) sum_j c_j / k^j`, `c_j = (-1)^j prod_i (4nu^2 - (2i-1)^2)
    / (j! 8^j)`."""
    out, c = [1.0], 1.0
    for j in range(1, n):
        c *= -(4 * nu * nu - (2 * j - 1) ** 2) / (j * 8.0)
        out.append(c)
    return out


_S0, _S1 = _series_coeffs(0, 60), _series_coeffs(1, 60)
_A0, _A1 = _asym_coeffs(0, 26), _asym_coeffs(1, 26)
_A0_MINUS_A1 = [c0 - c1 for c0, c1 in zip(_A0, _A1, strict=True)]


def _poly(coeffs: Any, x: Any) -> Any:
    acc = coeffs[-1]
    for c in reversed(coeffs[:-1]):
        acc = acc * x + c
    return acc


def _bessel_parts(k: Any) -> Any:
    """`(small, ks, kl, series0 - 1, series1, asym0, asym1)` for `k >= 0`, each branch on a
    safe input where it is not used (`series0 - 1` keeps `log1p` exact for small `k`)."""
    small = k < _I_SWITCH
    ks = safe(small, k, 1.0)
    kl = safe(small, _I_SWITCH, k)
    x = 0.25 * ks * ks
    w = 1.0 / kl
    return small, ks, kl, x * _poly(_S0[1:], x), _poly(_S1, x), _poly(_A0, w), _poly(_A1, w)


def one_minus_i1_over_i0(k: Any) -> Array:
    """`1 - I1(k)/I0(k)` for `k >= 0`, exact for large `k` (where it is `~1/(2k)`)."""
    small, ks, kl, s0m1, s1, a0, _ = _bessel_parts(k)
    return fnp.where(small, 1.0 - 0.5 * ks * s1 / (1.0 + s0m1), _poly(_A0_MINUS_A1, 1.0 / kl) / a0)


def i1_over_i0(k: Any) -> Array:
    """`I1(k) / I0(k)` for `k >= 0` to ~1e-15 relative (0 at 0, tends to 1)."""
    small, ks, _, s0m1, s1, a0, a1 = _bessel_parts(k)
    return fnp.where(small, 0.5 * ks * s1 / (1.0 + s0m1), a1 / a0)


@fad.custom_jvp
def log_i0(k: Any) -> Array:
    """`log I0(k)` for `k >= 0` to ~1e-15: `log` of the power series below 20, and
    `k - log(2 pi k)/2 + log(asymptotic series)` above. Derivative `I1/I0`, declared."""
    small, _, kl, s0m1, _, a0, _ = _bessel_parts(k)
    large = kl - 0.5 * fnp.log(2.0 * math.pi * kl) + fnp.log(a0)
    return fnp.where(small, fnp.log1p(s0m1), large)


@log_i0.defjvp
def _log_i0_jvp(primals: Any, tangents: Any) -> Any:
    (k,), (t,) = primals, tangents
    return log_i0(k), t * i1_over_i0(k)


@fad.custom_jvp
def log_i0e(k: Any) -> Array:
    """`log(I0(k) e^-k)` for `k >= 0` (no cancellation for large `k`); derivative
    `I1/I0 - 1`, declared (computed as `-(1 - I1/I0)`, exact for large `k`)."""
    small, ks, kl, s0m1, _, a0, _ = _bessel_parts(k)
    large = -0.5 * fnp.log(2.0 * math.pi * kl) + fnp.log(a0)
    return fnp.where(small, fnp.log1p(s0m1) - ks, large)


@log_i0e.defjvp
def _log_i0e_jvp(primals: Any, tangents: Any) -> Any:
    (k,), (t,) = primals, tangents
    return log_i0e(k), -t * one_minus_i1_over_i0(k)


# --------------------------------------------------------------------------- location-scale
def standardize(x: Any, loc: Any, scale: Any, *shapes: Any) -> tuple[Array, ...]:
    """`(z, scale, shapes...)` with `z = (x - loc) / scale`, every argument coerced."""
    xa, loca, scalea, *rest = args(x, loc, scale, *shapes)
    return ((xa - loca) / scalea, scalea, *rest)


def quantile_args(q: Any, loc: Any, scale: Any, *shapes: Any) -> tuple[Array, ...]:
    """`(q, loc, scale, shapes...)` coerced, for `ppf`/`isf`."""
    return args(q, loc, scale, *shapes)


def symmetric_quantiles(
    standard: Callable[[Array], tuple[Array, Array]], what: str
) -> tuple[Callable[..., Array], Callable[..., Array]]:
    """`(ppf, isf)` of a location-scale family symmetric about `loc`, from `standard(q)
    -> (valid, standard quantile)`: `ppf = loc + scale * s` and, by the symmetry,
    `isf = loc - scale * s` (exact in both tails). `what` names the standard quantile in
    the docstrings (`document` adds their sections)."""

    def ppf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
        qa, loca, scalea = quantile_args(q, loc, scale)
        ok, s = standard(qa)
        return invalid_to_nan(fnp.logical_and(scalea > 0, ok), loca + scalea * s)

    def isf(q: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0) -> Array:
        qa, loca, scalea = quantile_args(q, loc, scale)
        ok, s = standard(qa)
        return invalid_to_nan(fnp.logical_and(scalea > 0, ok), loca - scalea * s)

    ppf.__doc__ = f"Computed as `loc + scale * {what}`: `-inf` at 0, `inf` at 1, NaN outside `[0, 1]`."
    isf.__doc__ = f"Computed as `loc - scale * {what}` (by the symmetry: exact in both tails)."
    return ppf, isf


def in_unit(q: Any) -> Array:
    """`0 <= q <= 1` (False for NaN)."""
    return fnp.logical_and(q >= 0.0, q <= 1.0)


_STIRLING = [1.0 / 12.0, -1.0 / 360.0, 1.0 / 1260.0, -1.0 / 1680.0, 1.0 / 1188.0]


def _stirling_tail(a: Any) -> Any:
    """`gammaln(a) - ((a - 1/2) log a - a + log(2 pi)/2)` for large `a`."""
    w = 1.0 / (a * a)
    return _poly(_STIRLING, w) / a


def log_gamma_half_ratio(a: Any) -> Array:
    """`gammaln(a + 1/2) - gammaln(a) - log(a)/2` for `a > 0`, without the cancellation of
    the direct difference for large `a` (it tends to `-1/(8a)`)."""
    big = a >= 50.0
    asmall = safe(big, 1.0, a)
    abig = safe(big, a, 50.0)
    direct = fsp.gammaln(asmall + 0.5) - fsp.gammaln(asmall) - 0.5 * fnp.log(asmall)
    # (a) log(a + 1/2) - (a - 1/2) log(a) - 1/2 - log(a)/2 = a (log1p(h) - h), h = 1/(2a),
    # summed as its series -h^2/2 + h^3/3 - ... (h <= 0.01: ten terms are exact)
    h = 0.5 / abig
    log1p_minus_h = h * h * _poly([(-1.0) ** (j + 1) / j for j in range(2, 12)], h)
    stirling = abig * log1p_minus_h + _stirling_tail(abig + 0.5) - _stirling_tail(abig)
    return fnp.where(big, stirling, direct)


def log1mexp(a: Any) -> Array:
    """`log(1 - exp(a))` for `a <= 0`, accurate for every `a` (Maechler's switch at
    `-log 2` between `log(-expm1(a))` and `log1p(-exp(a))`); `-inf` at 0."""
    near = a > -0.6931471805599453
    an = safe(fnp.logical_and(near, a < 0.0), a, -0.5)
    af = safe(near, -1.0, a)
    out = fnp.where(near, fnp.log(-fnp.expm1(an)), fnp.log1p(-fnp.exp(af)))
    return fnp.where(a == 0.0, -fnp.inf, out)


def lattice(k: Any, loc: Any) -> Array:
    """`stop_gradient(k - loc)` (coerced arguments): a discrete distribution's argument.
    Its pmf and cdf are 0 off the integers and steps on them, so the derivative in `k` is
    taken as 0 (like `floor`'s in fad): no derivative flows into `k` or `loc`."""
    return fad.stop_gradient(k - loc)


def on_support(k: Any, low: Any = 0.0) -> Array:
    """`k` is an integer `>= low` (False for NaN and infinities)."""
    return fnp.logical_and(fnp.logical_and(k >= low, fnp.isfinite(k)), is_integer(k))


def log_of(p: Any) -> Array:
    """`log(p)` with `-inf` at 0 and safe derivatives (`p >= 0`)."""
    pos = p > 0.0
    return fnp.where(pos, fnp.log(safe(pos, p, 1.0)), -fnp.inf)


def log_probability(p: Any) -> Array:
    """`log(p)` of a probability: `-inf` at 0 with safe derivatives, NaN kept NaN."""
    return fnp.where(fnp.isnan(p), fnp.nan, log_of(p))


# --------------------------------------------------------------------------- docstrings
#: what each argument of a distribution's function is, by name (a module may override)
PARAMS = {
    "x": "Points at which to evaluate.",
    "k": "Points at which to evaluate (a discrete variable: no derivative flows into it).",
    "loc": "Location: the distribution is shifted by `loc`.",
    "scale": "Scale, `> 0`: the distribution is stretched by `scale`.",
    "df": "Degrees of freedom, `> 0`.",
    "a": "Shape parameter `a`, `> 0`.",
    "b": "Shape parameter `b`, `> 0`.",
    "s": "Shape parameter: the standard deviation of `log(x)`, `> 0`.",
    "p": "Probability of success of one trial, in `[0, 1]`.",
    "n": "Number of trials, a non-negative integer; no derivative flows into it.",
    "mu": "Mean number of events, `>= 0`.",
    "kappa": "Concentration, `>= 0` (0 is the uniform distribution on the circle).",
}

#: what each function computes: (summary, returns); `{x}` is its first argument's name
KINDS = {
    "logpdf": ("Log of the probability density", "The log density at `{x}`, `-inf` outside the support."),
    "pdf": ("Probability density", "The density at `{x}`, 0 outside the support."),
    "logpmf": (
        "Log of the probability mass function",
        "The log probability of `{x}`, `-inf` off the support.",
    ),
    "pmf": ("Probability mass function", "The probability of `{x}`, 0 off the support."),
    "cdf": ("Cumulative distribution function", "`P(X <= {x})`."),
    "logcdf": (
        "Log of the cumulative distribution function",
        "`log P(X <= {x})`, accurate where it is small.",
    ),
    "sf": ("Survival function `1 - cdf`", "`P(X > {x})`, accurate where it is small."),
    "logsf": ("Log of the survival function", "`log P(X > {x})`, accurate where it is small."),
    "ppf": ("Percent point function (quantile, the inverse of `cdf`)", "The quantile at `q`."),
    "isf": ("Inverse survival function (the inverse of `sf`)", "The `x` with `sf(x) = q`."),
    "entropy": ("Entropy", "The entropy in nats."),
}
_QUANTILE = {
    "ppf": "Probabilities `P(X <= x)`, in `[0, 1]`.",
    "isf": "Survival probabilities `P(X > x)`, in `[0, 1]`.",
}
_SHAPE = (
    " The arguments broadcast against each other: an array of their broadcast shape (a NumPy scalar "
    "outside transforms when 0-d), NaN where a parameter is outside its domain."
)


#: argument values for the generated examples (a module may override them)
_SAMPLE = {"x": 0.5, "k": 3.0, "q": 0.3, "a": 2.0, "b": 3.0, "df": 4.0, "s": 0.5, "p": 0.4, "n": 10.0}
_SAMPLE |= {"mu": 2.5, "kappa": 2.0, "loc": 0.0, "scale": 2.0}


def _example(module: str, fname: str, names: list[str], sample: dict[str, float]) -> str:
    """Doctest lines: the value against SciPy's, and the derivative (in the first argument
    that has one: discrete points and trial counts do not)."""
    short = module.rsplit(".", 1)[1]
    given = [n for n in names if n in sample and n not in ("loc", "scale")] or ["loc", "scale"]
    call = f"({', '.join(repr(sample[n]) for n in given)})"
    wrt = next(i for i, n in enumerate(given) if n not in ("k", "n", "loc"))
    return (
        f">>> import numpy as np, scipy.stats, fad\n>>> from fad.scipy.stats import {short}\n"
        f">>> bool(np.isclose({short}.{fname}{call}, scipy.stats.{short}.{fname}{call}))\nTrue\n"
        f">>> d = fad.grad({short}.{fname}, argnums={wrt}){call}  # d/d{given[wrt]}"
    )


def document(
    namespace: dict[str, Any],
    name: str,
    note: str = _SHAPE,
    sample: dict[str, float] | None = None,
    examples: bool = True,
    **params: str,
) -> None:
    """Give each function of a distribution module (its `__all__`) a Google-style docstring:
    a summary naming the distribution `name`, the function's own text, `Args:` from its
    parameter names (`PARAMS`, overridden by `params`), `Returns:` from its kind
    (`KINDS`) followed by `note` (the result's shape and edge values), and its examples;
    with `examples`, a function without any gets one at the arguments `sample` (overriding
    `_SAMPLE`), against SciPy's. Runs once, at import."""
    table = {**PARAMS, **params}
    values = _SAMPLE | (sample or {})
    for fname in namespace["__all__"]:
        fn = namespace[fname]
        summary, returns = KINDS[fname]
        names = list(inspect.signature(fn).parameters)
        first = names[0] if names else "x"
        args = {p: _QUANTILE[fname] if p == "q" else table[p] for p in names}
        body = inspect.cleandoc(fn.__doc__ or "")
        if len(body) < 60 and "`" not in body:  # "The density.": the summary says it
            body = ""
        if ">>>" not in body and examples:
            body += "\n\n" + _example(namespace["__name__"], fname, names, values)
        fn.__doc__ = google(body, args, returns.format(x=first) + note, summary=f"{summary} of the {name}.")
