"""fad.scipy.special beyond the records: the accuracy of the derivatives that have no closed
form (measured against quadrature), SciPy's edge values, orders that are not differentiated,
broadcasting, SciPy's own ufuncs on traced values, and SciPy as an optional dependency."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.test_util import check_grads

sc = pytest.importorskip("scipy.special")
integrate = pytest.importorskip("scipy.integrate")


def _quad(f, lo, hi):
    with warnings.catch_warnings():  # quad doubts its own last digits at 1e-13: fine here
        warnings.simplefilter("ignore")
        return integrate.quad(f, lo, hi, epsabs=0.0, epsrel=1e-13, limit=500)[0]


# ------------------------------------------- derivatives without a closed form: accuracy

GAMMAINC_POINTS = [
    (0.5, 0.2),
    (0.5, 3.0),
    (2.0, 1.0),
    (2.0, 5.0),
    (10.0, 9.0),
    (10.0, 12.0),
    (30.0, 25.0),
    (3.0, 0.01),
    (100.0, 90.0),
    (100.0, 110.0),
]


def _gamma_weight(a, t):
    return np.exp((a - 1.0) * np.log(t) - t - sc.gammaln(a))


@pytest.mark.parametrize("a, x", GAMMAINC_POINTS)
def test_gammainc_derivatives_in_a_match_quadrature(a, x):
    """d/da and d^2/da^2 of P(a, x) = int_0^x t^(a-1) e^-t / Gamma(a) dt, against the
    integrals of the a-derivatives of the integrand (measured: below 1e-13 relative)."""
    psi, psi1 = sc.psi(a), sc.polygamma(1, a)
    d1 = _quad(lambda t: (np.log(t) - psi) * _gamma_weight(a, t), 0.0, x)
    d2 = _quad(lambda t: ((np.log(t) - psi) ** 2 - psi1) * _gamma_weight(a, t), 0.0, x)
    got1 = fad.grad(fsp.gammainc)(a, x)
    got2 = fad.grad(fad.grad(fsp.gammainc))(a, x)
    np.testing.assert_allclose(got1, d1, rtol=1e-11)
    np.testing.assert_allclose(got2, d2, rtol=1e-9)
    # gammaincc = 1 - gammainc: the opposite derivative
    np.testing.assert_allclose(fad.grad(fsp.gammaincc)(a, x), -got1, rtol=1e-14)


BETAINC_POINTS = [
    (0.5, 0.5, 0.3),
    (2.0, 3.0, 0.2),
    (2.0, 3.0, 0.8),
    (10.0, 4.0, 0.7),
    (1.5, 20.0, 0.05),
    (50.0, 60.0, 0.45),
    (0.3, 2.0, 0.9),
]


@pytest.mark.parametrize("a, b, x", BETAINC_POINTS)
def test_betainc_derivatives_in_a_and_b_match_quadrature(a, b, x):
    """The gradient and Hessian of I_x(a, b) in (a, b) against quadrature of the integrand's
    derivatives (measured: below 1e-13 relative for the gradient)."""
    la, lb, lab = sc.psi(a), sc.psi(b), sc.psi(a + b)
    p1a, p1b, p1ab = sc.polygamma(1, a), sc.polygamma(1, b), sc.polygamma(1, a + b)

    def w(t):
        return np.exp((a - 1) * np.log(t) + (b - 1) * np.log1p(-t) - sc.betaln(a, b))

    def ga(t):
        return np.log(t) - la + lab

    def gb(t):
        return np.log1p(-t) - lb + lab

    want_grad = [_quad(lambda t: ga(t) * w(t), 0, x), _quad(lambda t: gb(t) * w(t), 0, x)]
    want_hess = [
        [
            _quad(lambda t: (ga(t) ** 2 - p1a + p1ab) * w(t), 0, x),
            _quad(lambda t: (ga(t) * gb(t) + p1ab) * w(t), 0, x),
        ],
        [0.0, _quad(lambda t: (gb(t) ** 2 - p1b + p1ab) * w(t), 0, x)],
    ]
    want_hess[1][0] = want_hess[0][1]
    got_grad = fad.grad(fsp.betainc, argnums=(0, 1))(a, b, x)
    got_hess = fad.hessian(fsp.betainc, argnums=(0, 1))(a, b, x)
    np.testing.assert_allclose(got_grad, want_grad, rtol=1e-11)
    np.testing.assert_allclose(np.array(got_hess, dtype=float), want_hess, rtol=1e-8, atol=1e-13)


def test_zeta_derivative_in_x_matches_known_constants():
    """zeta'(2) and zeta'(3) to 15 digits (published values), and the Hurwitz derivative in
    x against Richardson-extrapolated differences of SciPy's values."""
    np.testing.assert_allclose(fad.grad(fsp.zeta)(2.0), -0.93754825431584375370, rtol=1e-14)
    np.testing.assert_allclose(fad.grad(fsp.zeta)(3.0), -0.19812624288563685333, rtol=1e-14)
    x, q = 2.7, 0.4

    def fd(h):
        return (sc.zeta(x + h, q) - sc.zeta(x - h, q)) / (2 * h)

    richardson = (4 * fd(1e-3) - fd(2e-3)) / 3
    # Riemann's zeta continued below x = 1: zeta'(0) = -log(2 pi) / 2, zeta'(1/2) published
    np.testing.assert_allclose(fad.grad(fsp.zeta)(0.0), -0.5 * np.log(2 * np.pi), rtol=1e-14)
    np.testing.assert_allclose(fad.grad(fsp.zeta)(0.5), -3.92264613920915172, rtol=1e-13)
    np.testing.assert_allclose(fad.grad(fsp.zeta)(x, q), richardson, rtol=1e-9)
    np.testing.assert_allclose(fad.grad(fsp.zeta, argnums=1)(x, q), -x * sc.zeta(x + 1, q), rtol=1e-14)


def test_implicit_derivatives_of_the_inverses():
    a, b, y = 2.5, 1.7, 0.3
    x = fsp.betaincinv(a, b, y)
    np.testing.assert_allclose(sc.betainc(a, b, x), y, rtol=1e-13)
    g = fad.grad(fsp.betaincinv, argnums=(0, 1, 2))(a, b, y)
    d = fad.grad(fsp.betainc, argnums=(0, 1, 2))(a, b, x)
    np.testing.assert_allclose(g, [-d[0] / d[2], -d[1] / d[2], 1 / d[2]], rtol=1e-12)
    x = fsp.gammaincinv(a, y)
    g = fad.grad(fsp.gammaincinv, argnums=(0, 1))(a, y)
    d = fad.grad(fsp.gammainc, argnums=(0, 1))(a, x)
    np.testing.assert_allclose(g, [-d[0] / d[1], 1 / d[1]], rtol=1e-12)
    check_grads(fsp.gammainccinv, (a, y), order=2)


# ------------------------------------------------------------------------ SciPy's edges

EDGES = np.array([-np.inf, -2.0, -1.5, -1.0, 0.0, 0.5, 1.0, 2.0, 30.0, np.inf, np.nan])
UNARY = "gamma rgamma gammasgn ndtr log_ndtr ndtri erfcinv spence i0 i0e i1 i1e j0 j1 y0 y1 zeta".split()


@pytest.mark.parametrize("name", UNARY)
def test_edge_values_are_scipys(name):
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(getattr(fsp, name)(EDGES), getattr(sc, name)(EDGES))


@pytest.mark.filterwarnings("ignore:floating point number truncated")
@pytest.mark.parametrize("name", "betaln beta gammainc gammaincc rel_entr kl_div iv ive jv yn".split())
def test_binary_edge_values_are_scipys(name):
    a, b = np.meshgrid(EDGES, EDGES)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(
            getattr(fsp, name)(a, b), getattr(sc, name)(a, b), rtol=1e-15, equal_nan=True
        )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_incomplete_functions_at_the_support_ends():
    # the shape derivatives vanish where the value is pinned (x = 0, 1 or inf) ...
    assert fad.grad(fsp.gammainc)(2.0, 0.0) == 0.0
    assert fad.grad(fsp.gammainc)(2.0, np.inf) == 0.0
    assert fad.grad(fsp.betainc, argnums=(0, 1))(2.0, 3.0, 0.0) == (0.0, 0.0)
    assert fad.grad(fsp.betainc, argnums=(0, 1))(2.0, 3.0, 1.0) == (0.0, 0.0)
    # ... the x derivative is the density (infinite at 0 where a < 1) ...
    assert fad.grad(fsp.gammainc, argnums=1)(0.5, 0.0) == np.inf
    np.testing.assert_allclose(fad.grad(fsp.gammainc, argnums=1)(1.0, 0.0), 1.0)
    # ... and outside the domain everything is NaN, as SciPy's value
    for args in [(-1.0, 2.0), (2.0, -1.0), (np.nan, 1.0)]:
        assert np.isnan(fsp.gammainc(*args))
        assert all(np.isnan(fad.grad(fsp.gammainc, argnums=(0, 1))(*args)))
    assert all(np.isnan(fad.grad(fsp.betainc, argnums=(0, 1, 2))(2.0, 3.0, 1.5)))


def test_float32_stays_float32():
    x = np.array([0.5, 1.5], np.float32)
    for f in (fsp.gamma, fsp.i0, fsp.ndtr, lambda v: fsp.gammainc(v, v), lambda v: fsp.betainc(v, v, v / 2)):
        assert f(x).dtype == np.float32
        assert fad.grad(lambda v, f=f: fnp.sum(f(v)))(x).dtype == np.float32


def test_broadcasting_and_shapes():
    a = np.array([[1.0], [2.0]])
    b = np.array([0.5, 1.5, 2.5])
    out = fsp.betainc(a, b, 0.4)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, sc.betainc(a, b, 0.4), rtol=1e-15)
    ga, gb, gx = fad.grad(lambda *v: fnp.sum(fsp.betainc(*v)), argnums=(0, 1, 2))(a, b, 0.4)
    assert ga.shape == (2, 1) and gb.shape == (3,) and np.shape(gx) == ()
    per = [fad.grad(fsp.betainc, argnums=(0, 1))(ai, bj, 0.4) for ai in a[:, 0] for bj in b]
    np.testing.assert_allclose(
        ga[:, 0], [sum(p[0] for p in per[3 * i : 3 * i + 3]) for i in range(2)], rtol=1e-13
    )
    # vmap of a Hessian in the shape parameter
    h = fad.vmap(fad.grad(fad.grad(fsp.gammainc)), in_axes=(0, None))(np.array([1.5, 2.5, 7.0]), 3.0)
    np.testing.assert_allclose(
        h, [fad.grad(fad.grad(fsp.gammainc))(v, 3.0) for v in (1.5, 2.5, 7.0)], rtol=1e-14
    )


def test_jet_and_jit_through_the_shape_derivatives():
    f = lambda a: fsp.gammainc(a, 2.0) + fsp.betainc(a, 2.0, 0.3)  # noqa: E731
    _, (s1, s2) = fad.jet(f, (1.7,), ([1.0, 0.0],))
    np.testing.assert_allclose(s1, fad.grad(f)(1.7), rtol=1e-13)
    np.testing.assert_allclose(s2, fad.grad(fad.grad(f))(1.7), rtol=1e-12)
    np.testing.assert_allclose(fad.jit(fad.grad(fad.grad(f)))(1.7), fad.grad(fad.grad(f))(1.7), rtol=1e-14)


# ------------------------------------------------------------- orders: not differentiated


@pytest.mark.parametrize(
    "name, f",
    [
        ("iv", lambda v: fsp.iv(v, 1.0)),
        ("ive", lambda v: fsp.ive(v, 1.0)),
        ("jv", lambda v: fsp.jv(v, 1.0)),
        ("jv", lambda v: fsp.jn(v, 1.0)),
        ("yn", lambda v: fsp.yn(v, 1.0)),
    ],
)
def test_differentiating_an_order_is_a_clear_error(name, f):
    for transform in (fad.grad, fad.jacfwd):
        with pytest.raises(TypeError, match=rf"fad.scipy.special.{name}.* not differentiable .* order"):
            transform(f)(2.0)
    # the order may still be batched, and other arguments differentiated
    np.testing.assert_allclose(fad.vmap(f)(np.array([0.0, 1.0, 2.0])), [f(v) for v in (0.0, 1.0, 2.0)])


def test_polygamma_and_multigammaln_arguments():
    with pytest.raises(TypeError, match="polygamma: n must be a concrete integer"):
        fad.grad(lambda n: fsp.polygamma(n, 2.0))(1.0)
    with pytest.raises(TypeError, match="concrete integer"):
        fsp.multigammaln(3.0, 2.5)
    with pytest.raises(ValueError, match=r"a > \(d-1\)/2"):
        fsp.multigammaln(0.7, 3)
    np.testing.assert_allclose(
        fsp.multigammaln(np.array([2.0, 4.0]), 3), sc.multigammaln(np.array([2.0, 4.0]), 3)
    )
    np.testing.assert_allclose(
        fad.grad(lambda a: fsp.multigammaln(a, 3))(2.0), sum(sc.psi(2.0 - j / 2) for j in range(3))
    )


def test_bessel_derivatives_are_the_recurrences():
    z = np.array([0.3, 1.0, 4.0])
    np.testing.assert_allclose(fad.vmap(fad.grad(fsp.i0))(z), sc.i1(z), rtol=1e-14)
    np.testing.assert_allclose(fad.vmap(fad.grad(fsp.j0))(z), -sc.j1(z), rtol=1e-14)
    np.testing.assert_allclose(fad.vmap(fad.grad(fsp.y0))(z), -sc.y1(z), rtol=1e-14)
    np.testing.assert_allclose(fad.vmap(fad.grad(fsp.i0e))(z), sc.i1e(z) - sc.i0e(z), rtol=1e-13)
    np.testing.assert_allclose(fad.grad(fsp.i1)(0.0), 0.5)
    d2 = fad.vmap(fad.grad(fad.grad(lambda x: fsp.jv(1.5, x))))(z)
    # Bessel's equation: z^2 J'' + z J' + (z^2 - v^2) J = 0
    d1 = fad.vmap(fad.grad(lambda x: fsp.jv(1.5, x)))(z)
    np.testing.assert_allclose(z**2 * d2 + z * d1 + (z**2 - 2.25) * sc.jv(1.5, z), 0.0, atol=1e-13)


# ------------------------------------------------- SciPy's own ufuncs on traced values


def test_scipy_ufuncs_dispatch_to_fad_scipy_special():
    x = np.array([0.3, 1.2, 2.5])
    np.testing.assert_allclose(fad.grad(lambda v: sc.expit(v))(0.0), 0.25)
    np.testing.assert_allclose(fad.vmap(fad.grad(lambda v: sc.gammaln(v)))(x), sc.psi(x), rtol=1e-13)
    np.testing.assert_allclose(fad.grad(lambda v: sc.gammainc(v, 2.0))(1.5), fad.grad(fsp.gammainc)(1.5, 2.0))
    np.testing.assert_allclose(
        fad.jvp(lambda v: sc.jn(2, v), (1.0,), (1.0,))[1], 0.5 * (sc.jv(1, 1.0) - sc.jv(3, 1.0))
    )
    np.testing.assert_allclose(
        fad.jit(fad.grad(lambda v: sc.ndtr(v).sum()))(x), np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi)
    )
    np.testing.assert_allclose(
        fad.hessian(lambda v: sc.betainc(v, 2.0, 0.3))(1.5), fad.grad(fad.grad(fsp.betainc))(1.5, 2.0, 0.3)
    )
    # every SciPy ufunc fad.scipy.special has reaches a function with SciPy's values
    for name in fsp.__all__:
        u = getattr(sc, name, None)
        if isinstance(u, np.ufunc) and u.nin == 1:
            np.testing.assert_allclose(fad.vmap(lambda v, u=u: u(v))(x), u(x), rtol=1e-13, err_msg=name)


def test_a_scipy_ufunc_fad_lacks_is_a_clear_error():
    with pytest.raises(fad.TracerConversionError, match="scipy.special.kv .*fad.scipy.special has no 'kv'"):
        fad.grad(lambda v: sc.kv(1.0, v))(1.0)


def test_scipy_ufuncs_before_fad_scipy_special_is_imported():
    code = (
        "import fad, scipy.special as sc\n"
        "try:\n    fad.grad(lambda v: sc.expit(v))(0.0)\n"
        "except fad.TracerConversionError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Use fad.scipy.special.expit (import fad.scipy.special" in out


def test_scipy_is_optional():
    """Without SciPy, fad.scipy.special imports and its own kernels work; the SciPy-valued
    functions say how to install it."""
    code = (
        "import sys; sys.modules['scipy'] = None\n"
        "import fad, fad.scipy.special as fsp\n"
        "print(float(fad.grad(fsp.erf)(0.0)))\n"
        "try:\n    fsp.gamma(2.0)\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "1.128379" in out and 'pip install "fad-autodiff[scipy]"' in out


# ----------------------------------------------------------------- properties (hypothesis)

SHAPE = hst.floats(0.2, 40.0)
UNIT = hst.floats(0.01, 0.99)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(SHAPE, SHAPE, UNIT)
def test_betainc_symmetry_holds_for_the_derivatives(a, b, x):
    """``I_x(a, b) = 1 - I_(1-x)(b, a)``: the two sides take different branches of the
    continued fraction, so their gradients (to second order) check each other."""

    def left(a, b):
        return fsp.betainc(a, b, x)

    def right(a, b):
        return 1.0 - fsp.betainc(b, a, 1.0 - x)

    np.testing.assert_allclose(
        fad.grad(left, (0, 1))(a, b), fad.grad(right, (0, 1))(a, b), rtol=1e-9, atol=1e-13
    )
    np.testing.assert_allclose(
        np.array(fad.hessian(left, (0, 1))(a, b), dtype=float),
        np.array(fad.hessian(right, (0, 1))(a, b), dtype=float),
        rtol=1e-7,
        atol=1e-11,
    )


@settings(max_examples=30, deadline=None, derandomize=True)
@given(SHAPE, hst.floats(0.01, 60.0))
def test_gammainc_and_gammaincc_derivatives_add_to_zero(a, x):
    both = fad.grad(lambda a: fsp.gammainc(a, x) + fsp.gammaincc(a, x))(a)
    assert abs(both) < 1e-15
    # jacfwd == jacrev to second order
    h_fwd = fad.jacfwd(fad.jacfwd(fsp.gammainc))(a, x)
    h_rev = fad.jacrev(fad.grad(fsp.gammainc))(a, x)
    np.testing.assert_allclose(h_fwd, h_rev, rtol=1e-12, atol=1e-300)


def test_rgamma_derivative_at_the_poles_of_gamma():
    """``1/Gamma`` is entire: at ``x = -n`` its derivative is ``(-1)^n n!`` (from the
    reflection formula, where ``-psi(x) / Gamma(x)`` would be ``0 * NaN``)."""
    x = np.array([0.0, -1.0, -2.0, -3.0])
    np.testing.assert_allclose(fad.vmap(fad.grad(fsp.rgamma))(x), [1.0, -1.0, 2.0, -6.0], rtol=1e-14)
    second = fad.vmap(fad.grad(fad.grad(fsp.rgamma)))(x)
    h = 1e-4
    np.testing.assert_allclose(
        second, (sc.rgamma(x + h) - 2 * sc.rgamma(x) + sc.rgamma(x - h)) / h**2, rtol=1e-6
    )
