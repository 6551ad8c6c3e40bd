"""fad.scipy.stats against scipy.stats: values (with SciPy's edge conventions), derivatives
against finite differences to second order in both modes, jacfwd == jacrev, and vmap against
a Python loop, for every distribution and function.

Values agree with SciPy to 1e-12 relative unless a case says otherwise; the looser cases are
where SciPy itself is less accurate (noted next to each).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.scipy import stats
from fad.scipy.stats import _util
from fad.test_util import check_grads, check_vmap
from tests._helpers import assert_trees_close

st = pytest.importorskip("scipy.stats")
sp_special = pytest.importorskip("scipy.special")

RTOL = 1e-12
LOC, SCALE = 0.3, 1.7


def close(got, want, rtol=RTOL, atol=0.0):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"shape {got.shape} != {want.shape}"
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg="NaN pattern")
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want), err_msg="+inf pattern")
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(want), err_msg="-inf pattern")
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- the table
# name -> (shape parameters, interior x points (standardized), functions)
CONT_ALL = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf")
CONT = {
    "norm": ((), (-2.5, -0.4, 0.6, 2.2), CONT_ALL),
    "expon": ((), (0.1, 0.6, 1.4, 3.0), CONT_ALL),
    "laplace": ((), (-2.5, -0.4, 0.6, 2.2), CONT_ALL),
    "logistic": ((), (-2.5, -0.4, 0.6, 2.2), CONT_ALL),
    "uniform": ((), (0.1, 0.35, 0.6, 0.9), CONT_ALL),
    "cauchy": ((), (-2.5, -0.4, 0.6, 2.2), CONT_ALL),
    "lognorm": ((0.7,), (0.3, 0.8, 1.4, 3.0), CONT_ALL),
    "vonmises": ((1.7,), (-2.5, -0.4, 0.6, 2.2), ("logpdf", "pdf")),
    "t": ((3.5,), (-2.5, -0.4, 0.6, 2.2), CONT_ALL),
    "chi2": ((3.5,), (0.3, 0.8, 1.4, 3.0), CONT_ALL),
    "gamma": ((2.5,), (0.3, 0.8, 1.4, 3.0), CONT_ALL),
    "beta": ((2.5, 1.7), (0.1, 0.35, 0.6, 0.9), CONT_ALL),
}
QS = (0.05, 0.3, 0.7, 0.95)
QS_GRAD = (0.15, 0.3, 0.7, 0.85)  # second finite differences of cauchy.ppf are too rough at 0.95
WITH_ENTROPY = ("norm", "expon", "laplace", "logistic", "uniform", "cauchy", "lognorm")
WITH_ENTROPY += ("vonmises", "t", "chi2", "gamma", "beta")
CASES = [(d, f) for d, (_, _, fns) in CONT.items() for f in fns]


def _x(dist, fn):
    z = np.array(QS if fn in ("ppf", "isf") else CONT[dist][1])
    return z if fn in ("ppf", "isf") else LOC + SCALE * z


def _both(dist, fn):
    return getattr(getattr(stats, dist), fn), getattr(getattr(st, dist), fn)


def test_every_module_is_exported():
    for name in list(CONT) + ["poisson", "bernoulli", "binom", "geom", "nbinom"]:
        assert hasattr(stats, name)
    for name in ("multivariate_normal", "dirichlet", "multinomial"):
        assert hasattr(stats, name)


@pytest.mark.parametrize("dist,fn", CASES)
def test_values_broadcast_against_scipy(dist, fn):
    ours, theirs = _both(dist, fn)
    shapes = CONT[dist][0]
    x = _x(dist, fn)
    scale = np.array([[SCALE], [0.6]])  # (2, 1) against x (4,): a (2, 4) result
    rtol = 1e-11 if (dist, fn) in {("cauchy", "ppf"), ("cauchy", "isf")} else RTOL  # SciPy: tan(pi (q - 1/2))
    close(ours(x, *shapes, LOC, scale), theirs(x, *shapes, LOC, scale), rtol=rtol)
    close(ours(x, *shapes, loc=LOC, scale=SCALE), theirs(x, *shapes, loc=LOC, scale=SCALE), rtol=rtol)
    got = ours(float(x[1]), *shapes)
    assert isinstance(got, np.floating), type(got)  # a NumPy scalar, as SciPy
    close(got, theirs(float(x[1]), *shapes), rtol=rtol)


@pytest.mark.parametrize("dist,fn", CASES)
def test_float32_stays_float32(dist, fn):
    ours, theirs = _both(dist, fn)
    shapes = tuple(np.float32(s) for s in CONT[dist][0])
    x = _x(dist, fn).astype(np.float32)
    got = ours(x, *shapes, np.float32(LOC), np.float32(SCALE))
    assert got.dtype == np.float32, got.dtype
    close(got, theirs(x, *shapes, LOC, SCALE), rtol=2e-5, atol=1e-6)


# Edges: support ends, outside the support, infinities, NaN; invalid parameters.
def _scipy_underflows(got, want):
    """Where SciPy gives -inf by taking the log of an underflowed exp, and ours is finite."""
    return np.isneginf(want) & np.isfinite(got) & (got < -700)


def _edge_x(dist):
    lo, hi = {"expon": (0.0, None), "lognorm": (0.0, None), "chi2": (0.0, None)}.get(dist, (None, None))
    lo, hi = {"gamma": (0.0, None), "uniform": (0.0, 1.0), "beta": (0.0, 1.0)}.get(dist, (lo, hi))
    pts = [-np.inf, -1e300, -30.0, -1.0, 0.0, 1.0, 30.0, 1e300, np.inf, np.nan]
    pts += [v for v in (lo, hi) if v is not None]
    pts += [v - 1e-12 for v in (lo, hi) if v is not None] + [v + 1e-12 for v in (lo, hi) if v is not None]
    return LOC + SCALE * np.array(pts)


@pytest.mark.parametrize("dist,fn", [c for c in CASES if c[1] not in ("ppf", "isf")])
def test_edges_against_scipy(dist, fn):
    ours, theirs = _both(dist, fn)
    shapes = CONT[dist][0]
    x = _edge_x(dist)
    rtol = 1e-10 if dist == "cauchy" else RTOL  # SciPy's cauchy loses the lower tail
    got, want = np.asarray(ours(x, *shapes, LOC, SCALE)), theirs(x, *shapes, LOC, SCALE)
    better = _scipy_underflows(got, want)  # laplace's log functions at |x| = 1e300
    assert not better.any() or dist == "laplace"
    # atol: 1 - z just inside uniform's upper end is ~1e-12 with the rounding of z itself
    close(got[~better], want[~better], rtol=rtol, atol=1e-16)


@pytest.mark.parametrize("dist,fn", CASES)
def test_invalid_parameters_give_nan(dist, fn):
    ours, theirs = _both(dist, fn)
    shapes = CONT[dist][0]
    x = _x(dist, fn)[:2]
    for scale in (0.0, -1.0, np.nan):
        close(ours(x, *shapes, LOC, scale), theirs(x, *shapes, LOC, scale))
    for i in range(len(shapes)):
        for bad in (-1.0, np.nan) if dist == "vonmises" else (0.0, -1.0, np.nan):
            sh = list(shapes)
            sh[i] = bad
            close(ours(x, *sh, LOC, SCALE), theirs(x, *sh, LOC, SCALE))


@pytest.mark.parametrize("dist", [d for d, (_, _, fns) in CONT.items() if "ppf" in fns])
def test_quantile_edges(dist):
    shapes = CONT[dist][0]
    q = np.array([0.0, 1.0, -0.1, 1.1, np.nan, 1e-300, 1e-20, 1e-8, 0.5, 1 - 1e-8, 1 - 1e-16])
    for fn in ("ppf", "isf"):
        ours, theirs = _both(dist, fn)
        # cauchy: SciPy's tan(pi (q - 1/2)) keeps ~1e-16/q relative accuracy near 0 and 1;
        # ours is exact there (checked against cot below)
        rtol = 1e-6 if dist == "cauchy" else 1e-12
        atol = 1e-15 if dist in ("cauchy", "logistic", "laplace") else 0.0  # values near 0 at q = 1/2
        close(ours(q, *shapes, LOC, SCALE), theirs(q, *shapes, LOC, SCALE), rtol=rtol, atol=atol)


@pytest.mark.parametrize("dist", WITH_ENTROPY)
def test_entropy(dist):
    shapes = CONT[dist][0]
    ours = getattr(stats, dist).entropy
    theirs = getattr(st, dist).entropy
    close(ours(*shapes, LOC, SCALE), theirs(*shapes, LOC, SCALE))
    close(ours(*shapes, scale=np.array([0.5, 2.0])), theirs(*shapes, scale=np.array([0.5, 2.0])))
    close(ours(*shapes, scale=-1.0), theirs(*shapes, scale=-1.0))
    check_grads(lambda *a: ours(*a), (*[np.float64(s) for s in shapes], np.float64(LOC), np.float64(SCALE)))


# --------------------------------------------------------------------------- tails and accuracy
def test_norm_tails():
    z = -np.logspace(-3, 2.5, 200)
    close(stats.norm.logcdf(z), st.norm.logcdf(z), rtol=1e-13)
    close(stats.norm.logsf(-z), st.norm.logsf(-z), rtol=1e-13)
    close(stats.norm.sf(-z), st.norm.sf(-z), rtol=1e-13)
    q = np.logspace(-300, -0.31, 400)
    close(stats.norm.ppf(q), sp_special.ndtri(q), rtol=1e-14)
    close(stats.norm.isf(q), -sp_special.ndtri(q), rtol=1e-14)
    p = np.linspace(0.001, 0.999, 999)
    close(stats.norm.ppf(p), sp_special.ndtri(p), rtol=1e-13, atol=1e-15)


def test_norm_ppf_derivatives_are_declared():
    # d ppf / dq = 1 / pdf(ppf(q)), exactly, even deep in the tails
    q = np.array([1e-200, 1e-20, 0.3, 1 - 1e-12])
    x = sp_special.ndtri(q)
    d = fad.vmap(fad.grad(stats.norm.ppf))(q)
    np.testing.assert_allclose(d, 1 / st.norm.pdf(x), rtol=1e-12)
    d2 = fad.vmap(fad.grad(fad.grad(stats.norm.ppf)))(q)
    np.testing.assert_allclose(d2, x / st.norm.pdf(x) ** 2, rtol=1e-11)


def test_far_tails_stay_finite():
    # SciPy underflows to -inf here (it takes the log of an exp); the exact values are finite
    x = np.array([-800.0, 800.0])
    log2 = math.log(2.0)
    close(stats.logistic.logpdf(x), [-800.0, -800.0])
    close(stats.logistic.logcdf(x), [-800.0, -0.0])
    close(stats.logistic.logsf(x), [-0.0, -800.0])
    close(stats.laplace.logpdf(x), [-800.0 - log2, -800.0 - log2])
    close(stats.laplace.logcdf(x), [-800.0 - log2, -math.exp(-800) / 2])
    close(stats.laplace.logsf(x), [-math.exp(-800) / 2, -800.0 - log2])
    close(stats.expon.logsf(800.0), -800.0)
    close(stats.cauchy.logpdf(1e300), -math.log(math.pi) - 600 * math.log(10.0), rtol=1e-15)
    x = np.array([-40.0, -3.0, 3.0, 40.0])
    for d in ("logistic", "laplace", "cauchy", "expon"):
        for fn in ("logpdf", "logcdf", "logsf"):
            close(getattr(getattr(stats, d), fn)(x), getattr(getattr(st, d), fn)(x), rtol=1e-10)


def test_cauchy_quantile_tails_exact():
    q = np.array([1e-300, 1e-30, 1e-10, 1e-3])
    close(stats.cauchy.ppf(q), -1 / np.tan(np.pi * q), rtol=1e-14)
    close(stats.cauchy.isf(q), 1 / np.tan(np.pi * q), rtol=1e-14)


def _log_i0_reference(k):
    """log I0 in extended precision (series below 30), and log(i0e) + k above."""
    out = []
    for kk in k:
        if kk < 30:
            x = np.longdouble(kk) ** 2 / 4
            term, total = np.longdouble(1), np.longdouble(0)
            for j in range(1, 200):
                term = term * x / (j * j)
                total += term
            out.append(float(np.log1p(total)))
        else:
            out.append(float(np.log(sp_special.i0e(kk)) + kk))
    return np.array(out)


def test_log_i0_and_ratio_accuracy():
    k = np.concatenate([[0.0, 1e-8, 1e-3, 0.3], np.linspace(1, 60, 400), [100.0, 1e3, 1e6, 1e10]])
    close(_util.log_i0(k), _log_i0_reference(k), rtol=3e-15, atol=1e-300)
    ref_e = np.where(k < 30, _log_i0_reference(k) - k, np.log(sp_special.i0e(k)))
    close(_util.log_i0e(k), ref_e, rtol=1e-14, atol=1e-15)
    mid = k <= 1e3  # SciPy's (i0e - i1e) / i0e cancels beyond
    one_minus = np.where(k > 0, (sp_special.i0e(k) - sp_special.i1e(k)) / sp_special.i0e(k), 1.0)
    close(_util.one_minus_i1_over_i0(k[mid]), one_minus[mid], rtol=1e-13)
    big = k[~mid]
    close(_util.one_minus_i1_over_i0(big), 1 / (2 * big) + 1 / (8 * big**2) + 1 / (8 * big**3), rtol=1e-15)
    ratio = np.where(k > 0, sp_special.i1e(k) / sp_special.i0e(k), 0.0)
    close(_util.i1_over_i0(k), ratio, rtol=5e-15)
    d = fad.vmap(fad.grad(_util.log_i0))(k)
    close(d, ratio, rtol=5e-15)
    # the second derivative 1 - r/k - r^2 (1/2 at 0)
    kk = k[k > 1e-2]
    r = sp_special.i1e(kk) / sp_special.i0e(kk)
    close(fad.vmap(fad.grad(fad.grad(_util.log_i0)))(kk), 1 - r / kk - r * r, rtol=1e-9, atol=1e-14)
    assert float(fad.grad(fad.grad(_util.log_i0))(0.0)) == 0.5


def test_vonmises_large_kappa_and_periodicity():
    x = np.array([-7.0, -np.pi, 0.0, 1.0, 4.0, 10.0])
    for kappa in (0.0, 1e-6, 0.5, 19.9, 20.1, 300.0, 1e5):
        close(stats.vonmises.logpdf(x, kappa), st.vonmises.logpdf(x, kappa), rtol=1e-12, atol=1e-13)
        # SciPy's entropy has kappa * (1 - I1e/I0e), which cancels for large kappa (ours is
        # computed as one series): it loses ~kappa * 1e-16 absolute
        close(stats.vonmises.entropy(kappa), st.vonmises.entropy(kappa), atol=1e-16 * max(kappa, 100.0))
    # large kappa: the asymptotic expansion of the entropy, 1/2 + log(2 pi / kappa)/2 + ...
    k = 1e8
    close(stats.vonmises.entropy(k), 0.5 + 0.5 * math.log(2 * math.pi / k) + 1 / (4 * k), rtol=1e-15)


def _half_ratio_reference(a):
    """gammaln(a + 1/2) - gammaln(a) - log(a)/2 in extended precision, for large a (Stirling)."""
    a = np.longdouble(a)
    c = [np.longdouble(1) / 12, -np.longdouble(1) / 360, np.longdouble(1) / 1260, -np.longdouble(1) / 1680]
    c += [np.longdouble(1) / 1188, -np.longdouble(691) / 360360, np.longdouble(1) / 156]

    def tail(b):
        acc = np.longdouble(0)
        for cc in reversed(c):
            acc = acc / (b * b) + cc
        return acc / b

    h = 1 / (2 * a)
    series = sum((-1) ** (j + 1) * h**j / j for j in range(2, 30))
    return float(a * series + tail(a + np.longdouble(0.5)) - tail(a))


def test_log_gamma_half_ratio():
    for a in (0.3, 5.0, 49.9, 50.0, 60.0, 5e3, 1e6, 1e12):
        want = (
            _half_ratio_reference(a)
            if a >= 50
            else sp_special.gammaln(a + 0.5) - sp_special.gammaln(a) - 0.5 * np.log(a)
        )
        close(_util.log_gamma_half_ratio(a), want, rtol=1e-14 if a >= 50 else 1e-13)


def test_t_large_df_and_infinite_df():
    x = np.array([-3.0, 0.2, 4.0])
    for df in (0.5, 1.0, 3.5, 30.0):
        close(stats.t.logpdf(x, df), st.t.logpdf(x, df), rtol=1e-12)
        close(stats.t.entropy(df), st.t.entropy(df), rtol=1e-12)
    # SciPy's gammaln((df+1)/2) - gammaln(df/2) cancels, losing ~1e-16 * gammaln(df/2)
    for df in (99.0, 101.0, 1e4):
        tol = 2e-16 * abs(sp_special.gammaln(df / 2))
        close(stats.t.logpdf(x, df), st.t.logpdf(x, df), atol=tol)
        close(stats.t.entropy(df), st.t.entropy(df), atol=10 * tol)
    close(stats.t.logpdf(x, np.inf), st.norm.logpdf(x))
    close(stats.t.entropy(np.inf), st.norm.entropy())
    # SciPy switches to a normal approximation for large df; ours stays on the t density
    close(stats.t.logpdf(x, 1e12), st.norm.logpdf(x), rtol=1e-10)


# --------------------------------------------------------------------------- derivatives
def _cont_args(dist, fn):
    shapes = tuple(np.array([s, s * 1.1, s * 0.9, s * 1.2]) for s in CONT[dist][0])
    x = np.array(QS_GRAD) if fn in ("ppf", "isf") else _x(dist, fn)
    return (x, *shapes, np.full(4, LOC), np.full(4, SCALE))


@pytest.mark.parametrize("dist,fn", CASES)
def test_check_grads_each_argument(dist, fn):
    ours = getattr(getattr(stats, dist), fn)
    args = _cont_args(dist, fn)
    for i in range(len(args)):

        def f(a, i=i):
            full = list(args)
            full[i] = a
            return ours(*full)

        check_grads(f, (args[i],), order=2, modes=("fwd", "rev"))


@pytest.mark.parametrize("dist,fn", CASES)
def test_jacfwd_equals_jacrev(dist, fn):
    ours = getattr(getattr(stats, dist), fn)
    args = _cont_args(dist, fn)
    nums = tuple(range(len(args)))
    assert_trees_close(fad.jacfwd(ours, argnums=nums)(*args), fad.jacrev(ours, argnums=nums)(*args))


@pytest.mark.parametrize("dist,fn", CASES)
def test_vmap_against_loop(dist, fn):
    ours = getattr(getattr(stats, dist), fn)
    args = _cont_args(dist, fn)
    check_vmap(ours, args)
    check_vmap(ours, (args[0], *(a[0] for a in args[1:])), in_axes=(0,) + (None,) * (len(args) - 1))
    check_vmap(fad.grad(lambda *a: ours(*a)), tuple(a for a in args))


# --------------------------------------------------------------------------- discrete
K = np.array([-1.0, 0.0, 1.0, 2.0, 2.5, 5.0, 12.0, 40.0, np.inf, np.nan])
DISC = {
    "poisson": ((3.2,), [(0.0,), (-1.0,), (np.nan,)], ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf")),
    "bernoulli": ((0.3,), [(0.0,), (1.0,), (-0.1,), (1.1,)], ("logpmf", "pmf", "cdf", "sf")),
    "binom": (
        (12, 0.3),
        [(12, 0.0), (12, 1.0), (0, 0.3), (3.5, 0.3), (-1, 0.3), (12, 1.2)],
        ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf"),
    ),
    "geom": ((0.3,), [(1.0,), (0.0,), (-0.1,), (1.1,)], ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf")),
    "nbinom": (
        (2.5, 0.4),
        [(0.0, 0.4), (2.5, 1.0), (2.5, 0.0), (-1.0, 0.4), (2.5, 1.1)],
        ("logpmf", "pmf", "cdf", "logcdf", "sf", "logsf"),
    ),
}
DISC_CASES = [(d, f) for d, (_, _, fns) in DISC.items() for f in fns]
# the continuous parameters, by position among the shape parameters
DIFF_PARAMS = {"poisson": (0,), "bernoulli": (0,), "binom": (1,), "geom": (0,), "nbinom": (0, 1)}


@pytest.mark.parametrize("dist,fn", DISC_CASES)
def test_discrete_values_and_edges(dist, fn):
    ours, theirs = _both(dist, fn)
    params, edges, _ = DISC[dist]
    rtol = 1e-11 if dist == "binom" else RTOL  # SciPy's binom uses Boost's own algorithm
    if (dist, fn) == ("geom", "logcdf"):
        rtol = 1e-10  # SciPy's log1p(-(1-p)**k) vs our log(-expm1(k log1p(-p))); ours is exact
    if dist in ("poisson", "nbinom") and fn in ("logpmf", "pmf"):
        # at k = inf SciPy gives NaN (inf - inf in its formula); the pmf there is 0
        assert ours(np.inf, *params) == (-np.inf if fn == "logpmf" else 0.0)
        ks = K[np.isfinite(K) | np.isnan(K)]
    else:
        ks = K
    close(ours(ks, *params), theirs(ks, *params), rtol=rtol, atol=1e-300)
    close(ours(ks, *params, loc=2), theirs(ks, *params, loc=2), rtol=rtol, atol=1e-300)
    for e in edges:  # (SciPy's cdfs give 1 at k = inf even for invalid parameters; ours NaN)
        fin = ks[~np.isinf(ks)]
        want = theirs(fin, *e)
        if fn in ("logcdf", "logsf") and dist in ("binom", "poisson", "nbinom"):
            # SciPy's generic logcdf/logsf give 0 past the support's end even for invalid
            # parameters, where its cdf/sf give NaN; ours are the logs of the cdf/sf
            with np.errstate(divide="ignore"):
                want = np.log(getattr(getattr(st, dist), fn[3:])(fin, *e))
        close(ours(fin, *e), want, rtol=rtol, atol=1e-300)
    assert isinstance(ours(2, *params), np.floating)
    # broadcasting k (n,) against a parameter (m, 1)
    p = [np.array([[v], [v * 0.8]]) if i == DIFF_PARAMS[dist][-1] else v for i, v in enumerate(params)]
    close(ours(K[:8], *p), theirs(K[:8], *p), rtol=rtol, atol=1e-300)


@pytest.mark.parametrize("dist,fn", DISC_CASES)
def test_discrete_derivatives(dist, fn):
    ours = getattr(getattr(stats, dist), fn)
    params = DISC[dist][0]
    k = np.array([0.0, 1.0, 2.0, 3.0, 5.0]) + (1.0 if dist == "geom" else 0.0)
    k = np.minimum(k, 1.0) if dist == "bernoulli" else k
    if fn in ("cdf", "sf", "logcdf", "logsf"):
        k = k + 0.5
    for i in DIFF_PARAMS[dist]:

        def f(v, i=i):
            full = list(params)
            full[i] = v
            return ours(k, *full)

        check_grads(f, (np.float64(params[i]),), order=2)
        assert_trees_close(fad.jacfwd(f)(np.float64(params[i])), fad.jacrev(f)(np.float64(params[i])))
        vs = np.array([params[i], params[i] * 0.9, params[i] * 0.8])
        check_vmap(f, (vs,))
        check_vmap(fad.grad(lambda v, f=f: fnp.sum(f(v))), (vs,))
    # k is a lattice variable: no derivative flows into it
    assert float(fad.grad(lambda kk: ours(kk, *params))(2.0)) == 0.0


def test_discrete_entropy():
    close(stats.bernoulli.entropy(np.array([0.0, 0.3, 1.0, 1.2])), st.bernoulli.entropy([0.0, 0.3, 1.0, 1.2]))
    close(stats.geom.entropy(np.array([0.3, 0.0, 1.2])), st.geom.entropy([0.3, 0.0, 1.2]))
    assert stats.geom.entropy(1.0) == 0.0  # SciPy: NaN (0 * log 0); all mass on k = 1
    check_grads(stats.bernoulli.entropy, (np.array([0.2, 0.6]),))
    check_grads(stats.geom.entropy, (np.array([0.2, 0.6]),))


def test_bernoulli_ppf():
    q = np.array([0.0, 0.2, 0.7, 0.71, 1.0, -0.1, 1.1, np.nan])
    close(stats.bernoulli.ppf(q, 0.3), st.bernoulli.ppf(q, 0.3))
    assert float(fad.grad(stats.bernoulli.ppf, argnums=1)(0.5, 0.3)) == 0.0


def test_poisson_large_counts():
    k = np.array([0.0, 10.0, 100.0, 1000.0])
    close(stats.poisson.logpmf(k, 500.0), st.poisson.logpmf(k, 500.0), rtol=1e-12)


# --------------------------------------------------------------------------- multivariate normal
COV = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, -0.3], [0.1, -0.3, 1.5]])
MEAN = np.array([0.2, -0.1, 0.4])
PTS = np.array([[0.5, -0.5, 1.0], [0.0, 0.0, 0.0], [-1.0, 2.0, 0.3], [3.0, 1.0, -2.0]])


def _mvn_cases():
    sing = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])  # rank 2
    return [
        ((PTS, MEAN, COV), {}),
        ((PTS[0], MEAN, COV), {}),
        ((PTS, MEAN, np.array([1.0, 2.0, 0.5])), {}),
        ((PTS, MEAN, 2.5), {}),
        ((PTS, None, COV), {}),
        ((PTS.reshape(2, 2, 3), MEAN, COV), {}),
        ((np.array([0.3, -1.0, 2.0]), 0.5, 2.0), {}),  # d = 1: three points
        ((np.array([0.3, -1.0]),), {}),  # defaults: d = 1
        ((1.5, None, 4.0), {}),
        ((np.array([[0.5, 0.5, 1.0], [0.5, -0.5, 1.0]]), np.zeros(3), sing), {"allow_singular": True}),
        ((np.array([[0.5, 0.5, 1.0]]), np.zeros(3), np.array([1.0, 0.0, 2.0])), {"allow_singular": True}),
        ((PTS, MEAN, COV), {"allow_singular": True}),
    ]


@pytest.mark.parametrize("case", range(len(_mvn_cases())))
def test_mvn_against_scipy(case):
    a, kw = _mvn_cases()[case]
    close(stats.multivariate_normal.logpdf(*a, **kw), st.multivariate_normal.logpdf(*a, **kw), rtol=1e-12)
    close(stats.multivariate_normal.pdf(*a, **kw), st.multivariate_normal.pdf(*a, **kw), rtol=1e-12)
    if len(a) > 1:  # SciPy's entropy always allows a singular cov (it has no allow_singular)
        close(stats.multivariate_normal.entropy(*a[1:]), st.multivariate_normal.entropy(*a[1:]), rtol=1e-12)


def test_mvn_errors():
    with pytest.raises(np.linalg.LinAlgError, match="allow_singular"):
        stats.multivariate_normal.logpdf(PTS, np.zeros(3), np.ones((3, 3)))
    with pytest.raises(np.linalg.LinAlgError, match="allow_singular"):
        stats.multivariate_normal.logpdf(PTS, np.zeros(3), np.array([1.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match="positive semidefinite"):
        stats.multivariate_normal.logpdf(PTS, np.zeros(3), -COV, allow_singular=True)
    with pytest.raises(ValueError, match="last axis of length 3"):
        stats.multivariate_normal.logpdf(np.ones(2), MEAN, COV)
    with pytest.raises(ValueError, match=r"\(3, 3\)"):
        stats.multivariate_normal.logpdf(PTS, MEAN, np.eye(2))
    with pytest.raises(ValueError, match="length 3"):
        stats.multivariate_normal.logpdf(PTS, MEAN, np.ones(2))


def test_mvn_off_support_is_minus_inf():
    sing = np.diag([1.0, 0.0, 2.0])
    x = np.array([[0.5, 0.0, 1.0], [0.5, 0.1, 1.0]])
    close(
        stats.multivariate_normal.logpdf(x, None, sing, allow_singular=True),
        st.multivariate_normal.logpdf(x, None, sing, allow_singular=True),
    )


def test_mvn_derivatives():
    lp = stats.multivariate_normal.logpdf
    check_grads(lambda x: lp(x, MEAN, COV), (PTS,), order=2)
    check_grads(lambda m: lp(PTS, m, COV), (MEAN,), order=2)
    check_grads(lambda c: lp(PTS, MEAN, c), (COV,), order=2)
    check_grads(lambda c: lp(PTS, MEAN, c, allow_singular=True), (COV,), order=2)
    check_grads(lambda c: lp(PTS, MEAN, c), (np.array([1.0, 2.0, 0.5]),), order=2)
    check_grads(lambda c: lp(PTS, MEAN, c), (np.float64(2.5),), order=2)
    check_grads(lambda c: stats.multivariate_normal.entropy(MEAN, c), (COV,), order=2)
    # the gradient in cov is the symmetric one, as in the Gaussian's textbook formula
    x = PTS[0] - MEAN
    inv = np.linalg.inv(COV)
    want = 0.5 * (inv @ np.outer(x, x) @ inv - inv)
    np.testing.assert_allclose(fad.grad(lambda c: lp(PTS[0], MEAN, c))(COV), want, rtol=1e-12)
    # a singular cov: derivatives along its support, through x = mean + U y
    sing = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    basis = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]).T / np.array([math.sqrt(2), 1.0])
    y = np.array([[0.3, -0.2], [1.0, 0.5]])
    check_grads(lambda y: lp(y @ basis.T, np.zeros(3), sing, allow_singular=True), (y,))
    check_grads(lambda m: lp(y @ basis.T + m, m, sing, allow_singular=True), (MEAN,))
    for f, args in [
        (lambda x, m, c: lp(x, m, c), (PTS, MEAN, COV)),
        (lambda x, m, c: lp(x, m, c, allow_singular=True), (PTS, MEAN, COV)),
        (lambda x, m, c: lp(x, m, c), (PTS, MEAN, np.array([1.0, 2.0, 0.5]))),
    ]:
        nums = (0, 1, 2)
        assert_trees_close(fad.jacfwd(f, argnums=nums)(*args), fad.jacrev(f, argnums=nums)(*args))


def test_mvn_vmap():
    lp = stats.multivariate_normal.logpdf
    covs = np.stack([COV, COV * 2.0, COV + np.eye(3)])
    means = np.stack([MEAN, -MEAN, 2 * MEAN])
    check_vmap(lambda x, m, c: lp(x, m, c), (PTS[:3], means, covs))
    check_vmap(lambda x, m, c: lp(x, m, c, allow_singular=True), (PTS[:3], means, covs))
    check_vmap(lambda x, m, c: lp(x, m, c), (PTS[:3], means, np.abs(means) + 0.5))
    check_vmap(fad.grad(lambda c: fnp.sum(lp(PTS, MEAN, c))), (covs,))


# --------------------------------------------------------------------------- dirichlet
ALPHA = np.array([1.5, 2.0, 0.7, 3.0])
XD = np.array([0.2, 0.3, 0.1, 0.4])


def test_dirichlet_against_scipy():
    xs = np.stack([XD, [0.1, 0.1, 0.7, 0.1], [0.25, 0.25, 0.25, 0.25]], axis=1)  # (K, N)
    for x in (XD, XD[:-1], xs, xs[:-1]):
        close(stats.dirichlet.logpdf(x, ALPHA), st.dirichlet.logpdf(x, ALPHA))
        close(stats.dirichlet.pdf(x, ALPHA), st.dirichlet.pdf(x, ALPHA))
    edge = np.array([0.0, 0.5, 0.5])
    for a in ([1.0, 2.0, 2.0], [2.0, 2.0, 2.0]):
        close(stats.dirichlet.logpdf(edge, np.array(a)), st.dirichlet.logpdf(edge, a))
    close(stats.dirichlet.entropy(ALPHA), st.dirichlet.entropy(ALPHA))
    assert isinstance(stats.dirichlet.logpdf(XD, ALPHA), np.floating)


@pytest.mark.parametrize(
    "x,alpha,match",
    [
        (XD, -ALPHA, "greater than 0"),
        (XD, ALPHA.reshape(2, 2), "one dimensional"),
        (np.ones(6) / 6, ALPHA, "4 \\(or 3\\) entries"),
        (np.array([-0.1, 0.5, 0.3, 0.3]), ALPHA, "greater than or equal to zero"),
        (np.array([1.2, -0.1, -0.05, -0.05]), ALPHA, "zero"),
        (np.array([0.3, 0.3, 0.0, 0.4]), ALPHA, "alpha is less than one"),
        (np.array([0.3, 0.3, 0.1, 0.4]), ALPHA, "simplex"),
    ],
)
def test_dirichlet_errors(x, alpha, match):
    with pytest.raises(ValueError, match=match):
        stats.dirichlet.logpdf(x, alpha)
    with pytest.raises(ValueError):
        st.dirichlet.logpdf(x, alpha)


def test_dirichlet_off_simplex_under_vmap_is_nan():
    x = np.array([XD, [0.3, 0.3, 0.1, 0.4]])
    out = fad.vmap(stats.dirichlet.logpdf, in_axes=(0, None))(x, ALPHA)
    close(out, [st.dirichlet.logpdf(XD, ALPHA), np.nan])


def test_dirichlet_derivatives():
    lp = stats.dirichlet.logpdf
    check_grads(lambda a: lp(XD, a), (ALPHA,), order=2)
    check_grads(lambda x: lp(x, ALPHA), (XD[:-1],), order=2)  # K - 1 free components
    check_grads(stats.dirichlet.entropy, (ALPHA,), order=2)
    f = lambda x, a: lp(x, a)  # noqa: E731
    assert_trees_close(
        fad.jacfwd(f, argnums=(0, 1))(XD[:-1], ALPHA), fad.jacrev(f, argnums=(0, 1))(XD[:-1], ALPHA)
    )
    xs = np.array([XD[:-1], [0.1, 0.1, 0.7], [0.25, 0.25, 0.25]])
    check_vmap(f, (xs, np.stack([ALPHA, ALPHA * 2, ALPHA + 1])))
    check_vmap(fad.grad(f, argnums=1), (xs, np.stack([ALPHA, ALPHA * 2, ALPHA + 1])))


# --------------------------------------------------------------------------- multinomial
def test_multinomial_against_scipy():
    p = np.array([0.2, 0.5, 0.3])
    xs = np.array([[1, 2, 3], [0, 6, 0], [2, 2, 2], [1, 1, 1], [-1, 4, 3], [1.5, 1.5, 3]])
    close(stats.multinomial.logpmf(xs, 6, p), st.multinomial.logpmf(xs, 6, p))
    close(stats.multinomial.pmf(xs, 6, p), st.multinomial.pmf(xs, 6, p))
    ps = np.array([[0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [0.6, 0.6, -0.2]])
    close(stats.multinomial.logpmf(xs[:3], 6, ps), st.multinomial.logpmf(xs[:3], 6, ps))
    close(stats.multinomial.logpmf(xs[0], np.array([6, 5]), p), st.multinomial.logpmf(xs[0], [6, 5], p))
    close(stats.multinomial.logpmf(xs[0], -1, p), st.multinomial.logpmf(xs[0], -1, p))
    assert isinstance(stats.multinomial.pmf(xs[0], 6, p), np.floating)
    with pytest.raises(ValueError, match="same number of categories"):
        stats.multinomial.logpmf(xs[0], 6, p[:2])


def test_multinomial_derivatives():
    xs = np.array([[1.0, 2.0, 3.0], [0.0, 4.0, 2.0]])
    f = lambda p: stats.multinomial.logpmf(xs, 6, p)  # noqa: E731
    p = np.array([0.2, 0.5, 0.3])
    check_grads(f, (p,), order=2)
    # SciPy's convention: p[-1] is 1 - sum(p[:-1]); the gradient is the constrained one
    g = fad.grad(lambda p: fnp.sum(f(p)))(p)
    want = xs.sum(0)[:2] / p[:2] - xs.sum(0)[2] / p[2]
    np.testing.assert_allclose(g, np.append(want, 0.0), rtol=1e-12)
    assert_trees_close(fad.jacfwd(f)(p), fad.jacrev(f)(p))
    check_vmap(f, (np.array([p, [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]]),))


# --------------------------------------------------------------------------- other transforms
def test_jit_and_jet():
    def h(x):
        return stats.norm.ppf(x) + stats.vonmises.logpdf(x, 2.0) + stats.t.logpdf(x, 3.0)

    f = fad.jit(h)
    x = np.array([0.2, 0.6])
    close(f(x), st.norm.ppf(x) + st.vonmises.logpdf(x, 2.0) + st.t.logpdf(x, 3.0))
    close(fad.grad(lambda x: fnp.sum(f(x)))(x), fad.grad(lambda x: fnp.sum(h(x)))(x))
    close(
        fad.jit(stats.multivariate_normal.logpdf)(PTS, MEAN, COV),
        st.multivariate_normal.logpdf(PTS, MEAN, COV),
    )
    primal, series = fad.jet(stats.norm.ppf, (0.3,), ((1.0, 0.0),))
    x0 = st.norm.ppf(0.3)
    np.testing.assert_allclose(series[0], 1 / st.norm.pdf(x0), rtol=1e-12)
    np.testing.assert_allclose(series[1], x0 / st.norm.pdf(x0) ** 2, rtol=1e-10)


def test_complex_input_is_refused():
    with pytest.raises(TypeError, match="complex"):
        stats.norm.logpdf(np.array([1.0 + 1j]))


def test_dtypes_follow_numpy_promotion():
    f32 = np.float32
    # float32 arrays stay float32 with Python-number parameters; integers count as float64
    assert stats.poisson.pmf(np.array([1, 2]), f32(3.0)).dtype == np.float64
    assert stats.poisson.pmf(np.array([1.0, 2.0], f32), 3.0).dtype == np.float32
    assert stats.binom.logpmf(np.array([1.0, 2.0], f32), 5, f32(0.3)).dtype == np.float32
    assert stats.nbinom.logpmf(np.array([1.0, 2.0], f32), 2.5, 0.4).dtype == np.float32
    assert stats.geom.cdf(np.array([1.0, 2.0], f32), 0.4).dtype == np.float32
    assert stats.bernoulli.logpmf(np.array([0.0, 1.0], f32), 0.4).dtype == np.float32
    x32 = PTS.astype(f32)
    for kw in ({}, {"allow_singular": True}):
        got = stats.multivariate_normal.logpdf(x32, MEAN.astype(f32), COV.astype(f32), **kw)
        assert got.dtype == np.float32
        close(got, st.multivariate_normal.logpdf(PTS, MEAN, COV), rtol=1e-5)
    assert stats.multivariate_normal.logpdf(x32[:, 0]).dtype == np.float32  # d = 1: four points
    got = stats.dirichlet.logpdf(XD.astype(f32), ALPHA.astype(f32))
    assert got.dtype == np.float32
    close(got, st.dirichlet.logpdf(XD, ALPHA), rtol=1e-5)
    got = stats.multinomial.logpmf(np.array([1.0, 2.0, 3.0], f32), 6, np.array([0.2, 0.5, 0.3], f32))
    assert got.dtype == np.float32
    assert type(stats.norm.logpdf(1)) is np.float64  # Python numbers: float64, a NumPy scalar


# --------------------------------------------------------------------------- vonmises.cdf
def test_vonmises_cdf():
    """Against SciPy where SciPy uses its series (kappa < 22: 1e-13 absolute, the series'
    own cancellation near 0), against quadrature of the density where SciPy uses its normal
    approximation (good to ~1e-7 only), and through every transform."""
    x = LOC + SCALE * np.array([-7.0, -2.5, -0.4, 0.0, 0.6, 2.2, 3.1, 9.0, np.inf, -np.inf, np.nan])
    for kappa in (0.0, 0.5, 1.7, 10.0, 21.0):
        close(
            stats.vonmises.cdf(x, kappa, LOC, SCALE),
            st.vonmises.cdf(x, kappa, LOC, SCALE),
            rtol=0,
            atol=1e-13,
        )
    integrate = pytest.importorskip("scipy.integrate")
    for kappa in (100.0, 5e3, 3e4):
        for z in (-0.05, 0.01, 0.3):
            want = integrate.quad(
                lambda t, k=kappa: st.vonmises.pdf(t, k), -np.pi, z, epsabs=1e-16, points=[0.0]
            )[0]
            assert abs(stats.vonmises.cdf(z, kappa) - want) < 1e-14, (kappa, z)
    for bad in ((1.0, -1.0, 0.0, 1.0), (1.0, 1.0, 0.0, 0.0), (1.0, np.nan, 0.0, 1.0)):
        assert np.isnan(stats.vonmises.cdf(*bad))
    args = (np.array([0.6, -2.0, 2.9]), np.array([1.7, 0.4, 30.0]), np.full(3, LOC), np.full(3, SCALE))
    for i in range(4):

        def f(a, i=i):
            full = list(args)
            full[i] = a
            return stats.vonmises.cdf(*full)

        check_grads(f, (args[i],), order=2)
    np.testing.assert_allclose(
        fad.vmap(fad.grad(stats.vonmises.cdf))(args[0], args[1]),
        st.vonmises.pdf(args[0], args[1]),
        rtol=1e-12,
        atol=1e-14,  # the series sums to 1e-16 absolute: the density far in the tail is ~0
    )
    check_vmap(stats.vonmises.cdf, args)
    assert_trees_close(fad.jit(stats.vonmises.cdf)(*args), stats.vonmises.cdf(*args))
    assert stats.vonmises.cdf(np.float32(0.5), np.float32(2.0)).dtype == np.float32


def test_t_cdf_second_derivatives_at_and_near_loc():
    """d2 cdf / dx d(df) is d/d(df) of the density: finite and continuous at ``x = loc``,
    where the incomplete beta function's chain is 0 * inf (a limit there)."""
    df = 3.0

    def pdf0_ddf(df):
        return fad.grad(lambda d: stats.t.pdf(0.0, d))(df)

    for x in (0.0, 1e-200, 1e-9):
        for f in (fad.grad(fad.grad(stats.t.cdf, 1), 0), fad.grad(fad.grad(stats.t.cdf, 0), 1)):
            np.testing.assert_allclose(f(x, df), pdf0_ddf(df), rtol=1e-12)
    check_grads(lambda d: stats.t.cdf(1e-7, d), (df,), order=2)
