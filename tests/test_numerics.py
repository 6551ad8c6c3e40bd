"""Numerical care, asserting exactly what docs/conventions.md says."""

import warnings

import numpy as np
import pytest

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import norm
from fad.test_util import check_grads


def _finite(*xs):
    for x in xs:
        assert np.all(np.isfinite(x)), x


# ------------------------------------------------------------------- kinks


def test_abs_kink():
    assert fad.grad(fnp.abs)(0.0) == 0.0


@pytest.mark.parametrize("f", [fnp.maximum, fnp.minimum, fnp.fmax, fnp.fmin])
def test_ties_split_evenly(f):
    gx, gy = fad.grad(f, argnums=(0, 1))(1.5, 1.5)
    assert (gx, gy) == (0.5, 0.5)


def test_max_reduction_ties():
    np.testing.assert_array_equal(fad.grad(fnp.max)(np.array([2.0, 2.0, 1.0])), [0.5, 0.5, 0.0])


def test_fmax_ignores_nan():
    gx, gy = fad.grad(fnp.fmax, argnums=(0, 1))(np.nan, 2.0)
    assert (gx, gy) == (0.0, 1.0)


def test_clip_at_bounds():
    g = fad.grad(lambda x: fnp.clip(x, 0.0, 1.0).sum())(np.array([-1.0, 0.0, 0.5, 1.0, 2.0]))
    np.testing.assert_array_equal(g, [0.0, 0.5, 1.0, 0.5, 0.0])
    glo = fad.grad(lambda lo: fnp.clip(0.0, lo, 1.0))(0.0)
    assert glo == 0.5


def test_sqrt_and_cbrt_at_zero():
    assert fad.grad(fnp.sqrt)(0.0) == np.inf
    assert fad.grad(fnp.cbrt)(0.0) == np.inf


def test_hypot_arctan2_origin():
    assert fad.grad(fnp.hypot, argnums=(0, 1))(0.0, 0.0) == (0.0, 0.0)
    assert fad.grad(fnp.arctan2, argnums=(0, 1))(0.0, 0.0) == (0.0, 0.0)


def test_sinc_at_zero_every_order():
    d1 = fad.grad(fnp.sinc)
    d2 = fad.grad(d1)
    d3 = fad.grad(d2)
    d4 = fad.grad(d3)
    assert d1(0.0) == 0.0
    np.testing.assert_allclose(d2(0.0), -(np.pi**2) / 3, rtol=1e-12)
    assert d3(0.0) == 0.0
    np.testing.assert_allclose(d4(0.0), np.pi**4 / 5, rtol=1e-10)
    check_grads(fnp.sinc, (np.array([0.0, 1e-3, 0.5]),), order=3)


@pytest.mark.parametrize("f", [fnp.floor, fnp.ceil, fnp.round, fnp.trunc, fnp.rint, fnp.fix, fnp.sign])
def test_piecewise_constant_zero_derivative(f):
    assert fad.grad(lambda x: f(x) * 1.0)(1.3) == 0.0
    _, t = fad.jvp(f, (np.array([1.3, -2.7]),), (np.ones(2),))
    assert t is None or np.all(np.asarray(t) == 0)


def test_mod_fmod_derivatives():
    assert fad.grad(fnp.mod, argnums=(0, 1))(-7.0, 2.0) == (1.0, 4.0)  # floor(-3.5) = -4
    assert fad.grad(fnp.fmod, argnums=(0, 1))(-7.0, 2.0) == (1.0, 3.0)  # trunc(-3.5) = -3


def test_heaviside_copysign():
    assert fad.grad(fnp.heaviside, argnums=(0, 1))(0.0, 0.3) == (0.0, 1.0)
    assert fad.grad(fnp.heaviside, argnums=(0, 1))(2.0, 0.3) == (0.0, 0.0)
    assert fad.grad(fnp.copysign, argnums=(0, 1))(2.0, -1.0) == (-1.0, 0.0)


def test_xlogy_at_zero():
    assert fsp.xlogy(0.0, 0.0) == 0.0
    gx, gy = fad.grad(fsp.xlogy, argnums=(0, 1))(0.0, 2.0)
    assert gx == np.log(2.0) and gy == 0.0


# ------------------------------------------------------------- large inputs


def test_interp_at_knots_takes_the_right_hand_slope():
    xp, fp = np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 3.0])
    d = fad.grad(lambda v: fnp.interp(v, xp, fp))
    assert d(1.0) == 1.0 and d(0.0) == 2.0 and d(2.0) == 1.0  # JAX's values
    assert d(-1.0) == 0.0 and d(3.0) == 0.0


def test_norm_at_zero_and_at_extreme_scales():
    assert np.all(fad.grad(fnp.linalg.norm)(np.zeros(3)) == 0.0)
    assert np.all(fad.hessian(fnp.linalg.norm)(np.zeros(2)) == 0.0)
    for scale in (1e-200, 1e200):
        x = np.array([3.0, 4.0]) * scale
        assert np.isclose(fnp.linalg.norm(x), 5.0 * scale)
        np.testing.assert_allclose(fad.grad(fnp.linalg.norm)(x), [0.6, 0.8])


def test_det_second_derivative_at_a_singular_matrix():
    # the 2x2 det is a polynomial: its Hessian is the constant swap pattern, also at a
    # singular matrix (was all NaN)
    h = fad.hessian(fnp.linalg.det)(np.array([[0.0, 0.0], [1.0, 2.0]]))
    expected = np.zeros((2, 2, 2, 2))
    expected[0, 0, 1, 1] = expected[1, 1, 0, 0] = 1.0
    expected[0, 1, 1, 0] = expected[1, 0, 0, 1] = -1.0
    np.testing.assert_allclose(h, expected, atol=1e-12)


def test_logsumexp_large():
    x = np.array([1000.0, -1000.0, 999.0, -np.inf])
    v, g = fad.value_and_grad(fsp.logsumexp)(x)
    np.testing.assert_allclose(v, 1000.0 + np.log1p(np.exp(-1.0)), rtol=1e-15)
    np.testing.assert_allclose(g, [1 / (1 + np.exp(-1)), 0.0, np.exp(-1) / (1 + np.exp(-1)), 0.0], rtol=1e-14)
    h = fad.hessian(fsp.logsumexp)(x[:3])
    _finite(v, g, h)


def test_logsumexp_matches_scipy():
    sp = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(3, 4)) * 300, rng.normal(size=(3, 4))
    np.testing.assert_allclose(fsp.logsumexp(a, axis=1), sp.logsumexp(a, axis=1), rtol=1e-14)
    for got, want in zip(
        fsp.logsumexp(a, b=b, axis=0, return_sign=True),
        sp.logsumexp(a, b=b, axis=0, return_sign=True),
        strict=True,
    ):
        np.testing.assert_allclose(got, want, rtol=1e-13)
    assert fsp.logsumexp(np.array([-np.inf, -np.inf])) == -np.inf


def test_softmax_log_softmax_large():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -999.0]])
    s = fsp.softmax(x, axis=1)
    ls = fsp.log_softmax(x, axis=1)
    g = fad.grad(lambda x: fsp.log_softmax(x, axis=1)[:, 0].sum())(x)
    gs = fad.grad(lambda x: (fsp.softmax(x, axis=1) ** 2).sum())(x)
    _finite(s, ls, g, gs)
    np.testing.assert_allclose(np.exp(ls), s, rtol=1e-14, atol=0)
    np.testing.assert_allclose(ls[0], [0.0, -2000.0, -1000.0])


def test_softplus_logaddexp_large():
    sp = lambda x: fnp.logaddexp(0.0, x).sum()
    x = np.array([-1000.0, 0.0, 1000.0])
    v = fnp.logaddexp(0.0, x)
    g = fad.grad(sp)(x)
    h = fad.hessian(sp)(x)
    _finite(v, g, h)
    np.testing.assert_allclose(g, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(np.diag(h), [0.0, 0.25, 0.0])
    # both infinite: derivative 1/2 each, no nan
    assert fad.grad(fnp.logaddexp, argnums=(0, 1))(np.inf, np.inf) == (0.5, 0.5)
    assert fad.grad(fnp.logaddexp, argnums=(0, 1))(-np.inf, -np.inf) == (0.5, 0.5)


def test_expit_tails():
    x = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    v = fsp.expit(x)
    g = fad.vmap(fad.grad(fsp.expit))(x)
    _finite(v, g)
    np.testing.assert_allclose(v[1], np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-15)


def test_norm_logcdf_tail():
    v, g = fad.value_and_grad(norm.logcdf)(-1000.0)
    np.testing.assert_allclose(
        v, -500000.0 - np.log(1000.0) - 0.5 * np.log(2 * np.pi) + np.log1p(-1e-6), rtol=1e-14
    )
    np.testing.assert_allclose(g, 1000.001, rtol=1e-6)
    x = np.array([-1000.0, -40.0, -20.0, -5.0, 0.0, 5.0, 40.0, 1000.0])
    h = fad.vmap(fad.grad(fad.grad(norm.logcdf)))(x)
    _finite(norm.logcdf(x), fad.vmap(fad.grad(norm.logcdf))(x), h)


# ------------------------------------------------------- untaken where branch


def test_untaken_where_branch_nan_and_safe_pattern():
    naive = lambda x: fnp.where(x > 0, fnp.log(x), 0.0)
    assert naive(0.0) == 0.0
    with np.errstate(all="ignore"):
        assert np.isnan(fad.grad(naive)(0.0))

    def safe(x):
        s = fnp.where(x > 0, x, 1.0)
        return fnp.where(x > 0, fnp.log(s), 0.0)

    assert fad.grad(safe)(0.0) == 0.0
    assert fad.grad(safe)(2.0) == 0.5


# -------------------------------------------------- values, dtypes and oracles


def test_log_gamma_at_poles_and_infinities_is_scipys_not_an_error():
    # fad's own log|Gamma| (in the derivatives of gammainc, gamma.cdf, stdtr, ...): inf at the
    # poles and beyond 2.5e305, -inf at -inf, with no warning (a traceback before)
    from fad._prims.special import _lgamma_impl

    x = np.array([np.inf, -np.inf, np.nan, -1e308, 0.0, -0.0, -3.0, 1e308, -2.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _lgamma_impl(x)
    np.testing.assert_array_equal(got[:8], [np.inf, -np.inf, np.nan, np.inf, np.inf, np.inf, np.inf, np.inf])
    np.testing.assert_allclose(got[8], -0.0562437164976741, rtol=1e-14)
    a = np.array([-2.25, np.inf, -np.inf, 1.5])
    with np.errstate(all="ignore"):
        t = fad.jvp(fsp.gammainc, (a, a), (np.ones(4), np.ones(4)))[1]
    assert np.isfinite(t[3])


def test_special_values_match_scipy():
    sp = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(size=200) * 4, [0.0, 1e-300, 30.0, -30.0, np.inf, -np.inf]])
    np.testing.assert_allclose(fsp.erf(x), sp.erf(x), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(fsp.erfc(x), sp.erfc(x), rtol=1e-13, atol=1e-300)
    p = np.concatenate([rng.uniform(-1, 1, 200), [0.0, 1 - 1e-12, -1.0, 1.0]])
    np.testing.assert_allclose(fsp.erfinv(p), sp.erfinv(p), rtol=1e-13)
    z = np.concatenate([rng.uniform(0.01, 50, 200), rng.uniform(-8, 0, 50)])
    np.testing.assert_allclose(fsp.gammaln(z), sp.gammaln(z), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(fsp.digamma(z), sp.digamma(z), rtol=1e-11, atol=1e-12)
    for n in (1, 2, 3):
        np.testing.assert_allclose(fsp.polygamma(n, z[:200]), sp.polygamma(n, z[:200]), rtol=1e-13)
    q = rng.uniform(0.001, 0.999, 50)
    np.testing.assert_allclose(fsp.expit(x[:200]), sp.expit(x[:200]), rtol=1e-15)
    np.testing.assert_allclose(fsp.logit(q), sp.logit(q), rtol=1e-14)
    np.testing.assert_allclose(fsp.entr(np.r_[q, 0.0, -1.0]), sp.entr(np.r_[q, 0.0, -1.0]), rtol=1e-14)
    np.testing.assert_allclose(fsp.xlogy(np.r_[0.0, 2.0], np.r_[0.0, 3.0]), sp.xlogy([0.0, 2.0], [0.0, 3.0]))


def test_norm_matches_scipy():
    st = pytest.importorskip("scipy.stats")
    x = np.array([-1000.0, -38.0, -20.5, -19.5, -3.0, 0.0, 2.0, 9.0, 40.0])
    for name in ("pdf", "logpdf", "cdf", "logcdf"):
        np.testing.assert_allclose(
            getattr(norm, name)(x, 0.5, 2.0),
            getattr(st.norm, name)(x, 0.5, 2.0),
            rtol=1e-13,
            atol=1e-300,
            err_msg=name,
        )
    np.testing.assert_allclose(norm.logcdf(x), st.norm.logcdf(x), rtol=1e-13)


@pytest.mark.parametrize(
    "name",
    [
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "arcsinh",
        "arctanh",
        "exp2",
        "expm1",
        "log2",
        "log10",
        "log1p",
        "cbrt",
        "sinc",
        "deg2rad",
        "rad2deg",
        "fabs",
        "floor",
        "ceil",
        "trunc",
        "rint",
        "fix",
        "isfinite",
        "isnan",
        "signbit",
        "reciprocal",
        "conj",
        "real",
        "imag",
        "round",
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_unary_values_and_dtypes_follow_numpy(name):
    f, g = getattr(fnp, name), getattr(np, name)
    for x in (np.array([0.25, -0.5], np.float32), np.array([0.25, -0.5]), 0.5, np.array([1, 2])):
        got, want = f(x), g(x)
        assert np.asarray(got).dtype == np.asarray(want).dtype, (name, x)
        assert type(got) is type(want), (name, x, type(got), type(want))
        np.testing.assert_allclose(got, want, rtol=1e-6 if np.asarray(want).dtype == np.float32 else 1e-15)


@pytest.mark.parametrize(
    "name",
    [
        "logaddexp",
        "logaddexp2",
        "hypot",
        "arctan2",
        "float_power",
        "fmax",
        "fmin",
        "mod",
        "remainder",
        "fmod",
        "copysign",
        "heaviside",
        "logical_and",
        "logical_or",
        "logical_xor",
        "floor_divide",
    ],
)
def test_binary_values_dtypes_broadcasting(name):
    f, g = getattr(fnp, name), getattr(np, name)
    a32 = np.array([[0.5], [-1.5]], np.float32)
    b = np.array([2.0, -0.75, 0.0])
    for x, y in ((a32, b), (a32, 2.0), (3, np.array([2, 5])), (b, b[::-1])):
        with np.errstate(all="ignore"):
            got, want = f(x, y), g(x, y)
        assert np.asarray(got).dtype == np.asarray(want).dtype, (name, x, y)
        np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)


def test_misc_values():
    x = np.array([1.0, np.nan, np.inf, -np.inf], np.float32)
    np.testing.assert_array_equal(fnp.nan_to_num(x), np.nan_to_num(x))
    np.testing.assert_array_equal(
        fnp.nan_to_num(x, nan=-1.0, posinf=9.0), np.nan_to_num(x, nan=-1.0, posinf=9.0)
    )
    assert fnp.nan_to_num(x).dtype == np.float32
    np.testing.assert_array_equal(fnp.clip(np.arange(5), 1, 3), np.clip(np.arange(5), 1, 3))
    np.testing.assert_array_equal(
        fnp.around(np.array([2.675, -0.5]), 2), np.around(np.array([2.675, -0.5]), 2)
    )
    np.testing.assert_array_equal(fnp.isinf(x), np.isinf(x))
    np.testing.assert_array_equal(fnp.logical_not(np.array([0.0, 2.0])), [True, False])
    np.testing.assert_array_equal(fnp.imag(np.array([1 + 2j])), [2.0])
    g = fad.grad(lambda x: fnp.nan_to_num(x).sum())(np.array([1.0, np.inf, np.nan]))
    np.testing.assert_array_equal(g, [1.0, 0.0, 0.0])


def test_float32_stays_float32_under_grad():
    x = np.array([0.3, 0.6], np.float32)
    for f in (fnp.arcsin, fnp.expm1, fnp.log1p, fnp.sinc, fsp.expit, fsp.erf, fsp.gammaln, fsp.digamma):
        g = fad.grad(lambda x: f(x).sum())(x)
        assert g.dtype == np.float32, f
    assert fad.grad(lambda x: fsp.logsumexp(x))(x).dtype == np.float32


def test_polygamma_needs_concrete_int():
    with pytest.raises(TypeError, match="concrete integer"):
        fsp.polygamma(1.5, 2.0)


def test_erf_speed_reasonable():
    import time

    x = np.random.default_rng(0).normal(size=100_000) * 3
    t = time.perf_counter()
    fsp.erf(x)
    assert time.perf_counter() - t < 0.5
