"""fad.scipy.integrate: quadrature rules and ODE solvers against SciPy, closed forms and
finite differences, under every transform."""

import subprocess
import sys

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad.scipy.integrate import cumulative_trapezoid, odeint, simpson, solve_ivp, trapezoid
from fad.test_util import check_grads

si = pytest.importorskip("scipy.integrate")
sla = pytest.importorskip("scipy.linalg")

TIGHT = {"rtol": 1e-10, "atol": 1e-10}


def close(a, b, rtol=1e-10, atol=1e-10):
    onp.testing.assert_allclose(onp.asarray(a), onp.asarray(b), rtol=rtol, atol=atol)


# ------------------------------------------------------------------------ quadrature

RULES = [(trapezoid, si.trapezoid), (simpson, si.simpson), (cumulative_trapezoid, si.cumulative_trapezoid)]


@pytest.mark.parametrize("ours, theirs", RULES, ids=lambda f: getattr(f, "__name__", ""))
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7])
def test_quadrature_matches_scipy(ours, theirs, n):
    rng = onp.random.default_rng(n)
    y = rng.normal(size=(3, n, 2))
    x1 = onp.cumsum(rng.uniform(0.1, 1.0, size=n))
    xn = onp.cumsum(rng.uniform(0.1, 1.0, size=(3, n, 2)), axis=1)
    close(ours(y, axis=1), theirs(y, axis=1), 1e-13, 1e-13)
    close(ours(y, dx=0.3, axis=1), theirs(y, dx=0.3, axis=1), 1e-13, 1e-13)
    close(ours(y, x=x1, axis=1), theirs(y, x=x1, axis=1), 1e-13, 1e-13)
    close(ours(y, x=xn, axis=1), theirs(y, x=xn, axis=1), 1e-13, 1e-13)
    close(ours(y[0].T, x=x1), theirs(y[0].T, x=x1), 1e-13, 1e-13)  # default axis=-1


def test_quadrature_scipy_edge_cases():
    x = onp.array([0.0, 1.0, 2.5, 3.0, 4.0, 6.0])
    close(simpson(x**3, x=x), si.simpson(x**3, x=x), 1e-14, 1e-12)  # even N: Cartwright correction
    close(simpson(onp.arange(10.0) ** 3, x=onp.arange(10.0)), 1640.5)
    close(simpson(onp.arange(9.0) ** 3), si.quad(lambda t: t**3, 0, 8)[0])  # exact for cubics, odd N
    xr = onp.array([0.0, 1.0, 1.0, 2.0, 3.0])  # a repeated sample point: SciPy's zero guards
    close(simpson(xr**2, x=xr), si.simpson(xr**2, x=xr))
    close(cumulative_trapezoid(x, x, initial=0), si.cumulative_trapezoid(x, x, initial=0))
    close(
        trapezoid(onp.ones((2, 4)), x=onp.arange(4.0)[None, :]),
        si.trapezoid(onp.ones((2, 4)), x=onp.arange(4.0)[None, :]),
    )


def test_quadrature_errors():
    with pytest.raises(ValueError, match="`initial` must be `None` or `0`"):
        cumulative_trapezoid(onp.ones(3), initial=1.0)
    with pytest.raises(ValueError, match="x has 2 samples but y has 3"):
        trapezoid(onp.ones(3), x=onp.ones(2))
    with pytest.raises(ValueError, match="at least one point"):
        cumulative_trapezoid(onp.ones((2, 0)))
    with pytest.raises(ValueError, match="1-d or have as many dimensions"):
        simpson(onp.ones((2, 3, 4)), x=onp.ones((3, 4)), axis=1)


@pytest.mark.parametrize("rule", [trapezoid, simpson, cumulative_trapezoid], ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [4, 5])
def test_quadrature_derivatives(rule, n):
    rng = onp.random.default_rng(0)
    y = rng.normal(size=(2, n))
    x = onp.cumsum(rng.uniform(0.5, 1.0, size=n))
    check_grads(lambda y, x: rule(y, x=x), (y, x), order=2)
    check_grads(lambda y, dx: rule(y, dx=dx), (y, 0.7), order=2)
    f = lambda x: rule(fnp.sin(x) * y, x=x)  # noqa: E731
    close(fad.jacfwd(f)(x), fad.jacrev(f)(x), 1e-12, 1e-12)
    Y = rng.normal(size=(4, 2, n))
    close(fad.vmap(lambda y: rule(y, x=x))(Y), onp.stack([rule(yy, x=x) for yy in Y]), 1e-14, 1e-14)
    close(fad.jit(lambda y, x: rule(y, x=x))(y, x), rule(y, x=x), 1e-14, 1e-14)
    _, (d1, d2) = fad.jet(lambda s: rule(y * s, x=x * s), (1.5,), ([1.0, 0.0],))
    close(d1, fad.jacfwd(lambda s: rule(y * s, x=x * s))(1.5))
    close(d2, fad.jacfwd(fad.jacfwd(lambda s: rule(y * s, x=x * s)))(1.5))


def test_trapezoid_gradient_is_the_weights():
    x = onp.array([0.0, 1.0, 3.0, 3.5])
    g = fad.grad(lambda y: trapezoid(y, x))(onp.zeros(4))
    close(g, [0.5, 1.5, 1.25, 0.25])


# ------------------------------------------------------------------------ odeint


def logistic(y, t, r):
    return r * y * (1 - y)


def logistic_exact(y0, t, r):
    e = fnp.exp(r * t)
    return y0 * e / (1 - y0 + y0 * e)


def lotka_volterra(y, t, a, b, c, d):
    return fnp.stack([a * y[0] - b * y[0] * y[1], -c * y[1] + d * y[0] * y[1]])


LV_ARGS = (1.0, 0.1, 1.5, 0.075)


def test_odeint_logistic_closed_form():
    t = onp.linspace(0.0, 3.0, 7)
    close(odeint(logistic, 0.1, t, 1.3, **TIGHT), logistic_exact(0.1, t, 1.3), 1e-9, 1e-11)
    close(odeint(logistic, 0.1, t, 1.3)[-1], logistic_exact(0.1, 3.0, 1.3), 1e-7, 1e-8)  # JAX's defaults


def test_odeint_lotka_volterra_matches_scipy():
    t = onp.linspace(0.0, 10.0, 11)
    y0 = onp.array([10.0, 5.0])

    def rhs(y, t):
        return onp.asarray(lotka_volterra(y, t, *LV_ARGS))

    want = si.odeint(rhs, y0, t, rtol=1e-12, atol=1e-12)
    close(odeint(lotka_volterra, y0, t, *LV_ARGS, **TIGHT), want, 1e-8, 1e-8)


def test_odeint_linear_against_expm():
    A = onp.array([[-0.5, 1.0], [-1.0, -0.2]])
    y0 = onp.array([1.0, 0.5])
    t = onp.array([0.0, 0.5, 2.0])
    ys = odeint(lambda y, t, A: A @ y, y0, t, A, **TIGHT)
    close(ys, onp.stack([sla.expm(A * s) @ y0 for s in t]), 1e-8, 1e-9)
    # derivatives with respect to A: the Frechet derivative of expm, through fad.scipy.linalg
    from fad.scipy.linalg import expm

    f = lambda A: odeint(lambda y, t, A: A @ y, y0, t, A, **TIGHT)[-1]  # noqa: E731
    exact = lambda A: expm(A * 2.0) @ y0  # noqa: E731
    close(fad.jacrev(f)(A), fad.jacfwd(exact)(A), 1e-7, 1e-9)
    close(fad.jacfwd(f)(A), fad.jacfwd(exact)(A), 1e-7, 1e-9)
    g = onp.array([1.0, -2.0])
    close(
        fad.grad(lambda y0: odeint(lambda y, t: A @ y, y0, t, **TIGHT)[-1] @ g)(y0),
        sla.expm(A * 2.0).T @ g,
        1e-8,
    )


def test_odeint_gradients_closed_form_first_and_second_order():
    t = onp.array([0.0, 0.7, 1.5])

    def sol(y0, r):
        return odeint(logistic, y0, t, r, **TIGHT)

    def exact(y0, r):
        return logistic_exact(y0, fnp.asarray(t), r)

    for jac in (fad.jacfwd, fad.jacrev):
        close(jac(sol, argnums=(0, 1))(0.2, 1.1), fad.jacfwd(exact, argnums=(0, 1))(0.2, 1.1), 1e-7, 1e-9)
    H = fad.hessian(lambda p: sol(p[0], p[1])[-1])(onp.array([0.2, 1.1]))
    close(H, fad.hessian(lambda p: exact(p[0], p[1])[-1])(onp.array([0.2, 1.1])), 1e-6, 1e-8)
    g2 = fad.grad(fad.grad(lambda r: sol(0.2, r)[-1]))(1.1)
    close(g2, fad.grad(fad.grad(lambda r: exact(0.2, r)[-1]))(1.1), 1e-6, 1e-8)


def test_odeint_time_derivatives():
    t = onp.array([0.0, 0.5, 1.2])

    def sol(t):
        return odeint(logistic, 0.2, t, 1.1, **TIGHT)

    want = fad.jacfwd(lambda t: logistic_exact(0.2, t - t[0], 1.1))(t)
    close(fad.jacrev(sol)(t), want, 1e-7, 1e-9)
    close(fad.jacfwd(sol)(t), want, 1e-7, 1e-9)


def test_odeint_check_grads():
    t = onp.array([0.0, 0.5, 1.0])
    f = lambda y0, a, c: odeint(lotka_volterra, y0, t, a, 0.1, c, 0.075, **TIGHT)  # noqa: E731
    check_grads(f, (onp.array([10.0, 5.0]), 1.0, 1.5), order=1, atol=1e-5, rtol=1e-5)
    g = lambda y0, r: odeint(logistic, y0, t, r, **TIGHT)  # noqa: E731
    check_grads(g, (0.2, 1.3), order=2, atol=1e-5, rtol=1e-5)
    J1 = fad.jacfwd(f, argnums=(0, 1, 2))(onp.array([10.0, 5.0]), 1.0, 1.5)
    J2 = fad.jacrev(f, argnums=(0, 1, 2))(onp.array([10.0, 5.0]), 1.0, 1.5)
    for a, b in zip(J1, J2, strict=True):
        close(a, b, 1e-7, 1e-7)


def test_odeint_vmap_over_y0_and_args():
    t = onp.array([0.0, 1.0, 2.0])
    Y0 = onp.array([[10.0, 5.0], [8.0, 6.0], [12.0, 2.0]])
    A = onp.array([0.9, 1.0, 1.2])
    f = lambda y0, a: odeint(lotka_volterra, y0, t, a, 0.1, 1.5, 0.075, **TIGHT)  # noqa: E731
    close(fad.vmap(f, in_axes=(0, None))(Y0, 1.0), onp.stack([f(y, 1.0) for y in Y0]), 1e-12, 1e-12)
    close(fad.vmap(f, in_axes=(None, 0))(Y0[0], A), onp.stack([f(Y0[0], a) for a in A]), 1e-12, 1e-12)
    g = lambda y0, a: f(y0, a)[-1, 0]  # noqa: E731
    close(
        fad.vmap(fad.grad(g, argnums=(0, 1)))(Y0, A)[1],
        onp.stack([fad.grad(g, argnums=1)(y, a) for y, a in zip(Y0, A, strict=True)]),
        1e-12,
        1e-12,
    )


def test_odeint_jit():
    t = onp.array([0.0, 1.0])
    f = lambda r: odeint(logistic, 0.2, t, r, **TIGHT)[-1]  # noqa: E731
    jf, jg = fad.jit(f), fad.jit(fad.grad(f))
    for r in (1.1, 0.4):  # the second call runs the captured program on new values
        close(jf(r), f(r), 1e-14, 1e-14)
        close(jg(r), fad.grad(f)(r), 1e-14, 1e-14)
        close(jg(r), fad.grad(lambda r: logistic_exact(0.2, 1.0, r))(r), 1e-7, 1e-9)


def test_odeint_jet():
    t = onp.array([0.0, 1.0])
    _, (d1, d2) = fad.jet(lambda r: odeint(logistic, 0.2, t, r, **TIGHT)[-1], (1.1,), ([1.0, 0.0],))
    exact = lambda r: logistic_exact(0.2, 1.0, r)  # noqa: E731
    close(d1, fad.grad(exact)(1.1), 1e-7, 1e-9)
    close(d2, fad.grad(fad.grad(exact))(1.1), 1e-6, 1e-8)


def test_odeint_pytree_state():
    def oscillator(s, t, k):
        return {"x": s["v"], "v": -k * s["x"]}

    t = onp.array([0.0, 0.5, 1.0])
    out = odeint(oscillator, {"x": 1.0, "v": 0.0}, t, 4.0, **TIGHT)
    close(out["x"], onp.cos(2.0 * t), 1e-9, 1e-10)
    close(out["v"], -2.0 * onp.sin(2.0 * t), 1e-9, 1e-10)
    g = fad.grad(lambda k: odeint(oscillator, {"x": 1.0, "v": 0.0}, t, k, **TIGHT)["x"][-1])(4.0)
    close(g, -onp.sin(2.0) / 4.0, 1e-8, 1e-10)  # d/dk cos(sqrt(k)) = -sin(sqrt(k)) / (2 sqrt(k))


def test_odeint_errors_and_limits():
    with pytest.raises(ValueError, match="must be increasing"):
        odeint(logistic, 0.1, onp.array([1.0, 0.0]), 1.0)
    with pytest.raises(TypeError, match="structure and shapes of y"):
        odeint(lambda y, t: fnp.stack([y, y]), 0.1, onp.array([0.0, 1.0]))
    with pytest.raises(fad.EscapedTracerError, match="pass the value to the function as an argument"):
        fad.grad(lambda r: odeint(lambda y, t: r * y, 1.0, onp.array([0.0, 1.0]))[-1])(1.0)
    ys = odeint(logistic, 0.1, onp.array([0.0, 1.0, 2.0]), 1.0, mxstep=2)
    assert onp.isnan(ys[-1])  # not reached within mxstep steps


def test_import_does_not_import_scipy():
    code = "import sys, fad, fad.scipy.integrate, fad.scipy.optimize; assert 'scipy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------------ solve_ivp


def lv_ivp(t, y, a, b, c, d):
    return lotka_volterra(y, t, a, b, c, d)


@pytest.mark.parametrize("method", ["RK45", "DOP853"])
def test_solve_ivp_matches_scipy(method):
    t_eval = onp.linspace(0.0, 8.0, 9)
    y0 = onp.array([10.0, 5.0])

    def rhs(t, y, *p):
        return onp.asarray(lv_ivp(t, y, *p))

    want = si.solve_ivp(
        rhs, (0.0, 8.0), y0, method="DOP853", t_eval=t_eval, args=LV_ARGS, rtol=1e-13, atol=1e-12
    )
    sol = solve_ivp(
        lv_ivp, (0.0, 8.0), y0, method=method, t_eval=t_eval, args=LV_ARGS, rtol=1e-10, atol=1e-10
    )
    assert sol.y.shape == (2, 9) and bool(sol.success) and sol.status == 0
    close(sol.t, t_eval, 0, 0)
    close(sol.y, want.y, 1e-7, 1e-7)
    loose = solve_ivp(lv_ivp, (0.0, 8.0), y0, method=method, t_eval=t_eval, args=LV_ARGS)  # SciPy's defaults
    theirs = si.solve_ivp(rhs, (0.0, 8.0), y0, method=method, t_eval=t_eval, args=LV_ARGS)
    close(loose.y, want.y, 0.05, 0.05)
    assert 0.5 < loose.nfev / theirs.nfev < 2.0
    ends = solve_ivp(lv_ivp, (0.0, 8.0), y0, method=method, args=LV_ARGS, rtol=1e-10, atol=1e-10)
    assert ends.y.shape == (2, 2)
    close(ends.y[:, -1], want.y[:, -1], 1e-7, 1e-7)


def test_solve_ivp_dop853_is_high_order():
    A = onp.array([[0.0, 1.0], [-1.0, 0.0]])
    y0 = onp.array([1.0, 0.0])
    sol = solve_ivp(lambda t, y: A @ y, (0.0, 10.0), y0, method="DOP853", rtol=1e-12, atol=1e-12)
    close(sol.y[:, -1], sla.expm(10.0 * A) @ y0, 1e-10, 1e-10)
    rk45 = solve_ivp(lambda t, y: A @ y, (0.0, 10.0), y0, method="RK45", rtol=1e-12, atol=1e-12)
    assert sol.nfev < rk45.nfev / 3  # the order-8 method takes far fewer evaluations


def test_solve_ivp_backwards():
    t_eval = onp.array([2.0, 1.0, 0.0])
    sol = solve_ivp(
        lambda t, y, r: r * y * (1 - y),
        (2.0, 0.0),
        onp.array([0.6]),
        t_eval=t_eval,
        args=(1.1,),
        rtol=1e-10,
        atol=1e-10,
    )
    want = si.solve_ivp(
        lambda t, y: 1.1 * y * (1 - y), (2.0, 0.0), [0.6], t_eval=t_eval, rtol=1e-12, atol=1e-12
    )
    close(sol.y, want.y, 1e-8, 1e-9)
    g = fad.grad(
        lambda r: solve_ivp(
            lambda t, y, r: r * y * (1 - y), (2.0, 0.0), onp.array([0.6]), args=(r,), rtol=1e-10, atol=1e-10
        ).y[0, -1]
    )(1.1)
    close(g, fad.grad(lambda r: logistic_exact(0.6, -2.0, r))(1.1), 1e-7, 1e-9)


@pytest.mark.parametrize("method", ["RK45", "DOP853"])
def test_solve_ivp_derivatives(method):
    t_eval = onp.array([0.5, 1.0])

    def f(y0, a):
        return solve_ivp(
            lv_ivp, (0.0, 1.0), y0, method=method, t_eval=t_eval, args=(a, 0.1, 1.5, 0.075), **TIGHT
        ).y

    y0 = onp.array([10.0, 5.0])
    check_grads(f, (y0, 1.0), order=1, atol=1e-5, rtol=1e-5)
    J1, J2 = fad.jacfwd(f, argnums=(0, 1))(y0, 1.0), fad.jacrev(f, argnums=(0, 1))(y0, 1.0)
    close(J1[0], J2[0], 1e-7, 1e-7)
    close(J1[1], J2[1], 1e-7, 1e-7)
    A = onp.array([0.9, 1.1])
    close(fad.vmap(f, in_axes=(None, 0))(y0, A), onp.stack([f(y0, a) for a in A]), 1e-12, 1e-12)
    jf = fad.jit(fad.grad(lambda a: f(y0, a)[0, -1]))
    close(jf(1.0), fad.grad(lambda a: f(y0, a)[0, -1])(1.0), 1e-14, 1e-14)
    H = fad.hessian(
        lambda r: solve_ivp(
            lambda t, y, r: r * y * (1 - y), (0.0, 1.0), onp.array([0.2]), method=method, args=(r,), **TIGHT
        ).y[0, -1]
    )(1.1)
    close(H, fad.hessian(lambda r: logistic_exact(0.2, 1.0, r))(1.1), 1e-6, 1e-8)


def test_solve_ivp_result_under_vmap_and_jit():
    def f(y0):
        return solve_ivp(lambda t, y: -y, (0.0, 1.0), y0, rtol=1e-8)

    out = fad.vmap(f)(onp.array([[1.0], [2.0]]))
    close(out.y[:, 0, -1], onp.exp(-1.0) * onp.array([1.0, 2.0]), 1e-6)
    assert out.success.shape == (2,) and bool(out.success.all())
    close(fad.jit(lambda y0: f(y0).y)(onp.array([1.0])), f(onp.array([1.0])).y, 1e-14)


def test_solve_ivp_errors():
    rhs = lambda t, y: -y  # noqa: E731
    with pytest.raises(NotImplementedError, match="events are not supported"):
        solve_ivp(rhs, (0.0, 1.0), onp.ones(1), events=lambda t, y: y[0])
    with pytest.raises(NotImplementedError, match="dense output"):
        solve_ivp(rhs, (0.0, 1.0), onp.ones(1), dense_output=True)
    with pytest.raises(ValueError, match="use 'RK45' or 'DOP853'"):
        solve_ivp(rhs, (0.0, 1.0), onp.ones(1), method="BDF")
    with pytest.raises(ValueError, match="direction of integration"):
        solve_ivp(rhs, (0.0, 1.0), onp.ones(1), t_eval=onp.array([1.0, 0.5]))
    with pytest.raises(ValueError, match="not within t_span"):
        solve_ivp(rhs, (0.0, 1.0), onp.ones(1), t_eval=onp.array([0.5, 2.0]))
    sol = solve_ivp(lambda t, y: y**2, (0.0, 2.0), onp.ones(1))  # blows up at t = 1
    assert not sol.success and sol.status == -1
