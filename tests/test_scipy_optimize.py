"""fad.scipy.optimize: root and fixed_point, differentiated by the implicit function
theorem, against closed forms, SciPy and finite differences, under every transform."""

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
import fad.scipy.optimize as fso
from fad.scipy.optimize import fixed_point, root
from fad.test_util import check_grads

so = pytest.importorskip("scipy.optimize")


def close(a, b, rtol=1e-10, atol=1e-10):
    onp.testing.assert_allclose(onp.asarray(a), onp.asarray(b), rtol=rtol, atol=atol)


# x^3 + a x - b = 0 has one real root for a > 0; with D = 3x^2 + a:
# dx/db = 1/D, dx/da = -x/D, and the second derivatives follow from differentiating those.
def cubic(x, a, b):
    return x**3 + a * x - b


def cubic_root(a, b):
    return root(cubic, fnp.array([1.0]), args=(a, b)).x[0]


def cubic_exact(a, b):  # Cardano's formula (one real root)
    q = fnp.sqrt((b / 2) ** 2 + (a / 3) ** 3)
    return fnp.cbrt(b / 2 + q) + fnp.cbrt(b / 2 - q)


def test_root_value_and_result_fields():
    sol = root(cubic, onp.array([1.0]), args=(1.0, 3.0))
    want = so.root(lambda x: x**3 + x - 3.0, onp.array([1.0]))
    close(sol.x, want.x, 1e-12)
    close(sol.x[0], cubic_exact(1.0, 3.0), 1e-12)
    assert sol.success is True and sol.status == 1 and sol.message == "The solution converged."
    assert sol.method == "hybr" and sol.nfev > 0 and sol.x.shape == (1,)
    close(sol.fun, [0.0], 0, 1e-12)


def test_root_derivatives_against_closed_form():
    a, b = 1.0, 3.0
    x = cubic_exact(a, b)
    D = 3 * x**2 + a
    close(fad.grad(cubic_root, argnums=(0, 1))(a, b), (-x / D, 1 / D), 1e-10)
    for jac in (fad.jacfwd, fad.jacrev):
        close(jac(cubic_root, argnums=(0, 1))(a, b), (-x / D, 1 / D), 1e-10)
    H = fad.hessian(lambda p: cubic_root(p[0], p[1]))(onp.array([a, b]))
    close(H, fad.hessian(lambda p: cubic_exact(p[0], p[1]))(onp.array([a, b])), 1e-8, 1e-10)
    close(H[1, 1], -6 * x / D**3, 1e-9)  # d2x/db2
    check_grads(cubic_root, (a, b), order=2)
    _, (d1, d2) = fad.jet(lambda b: cubic_root(a, b), (b,), ([1.0, 0.0],))
    close((d1, d2), (1 / D, -6 * x / D**3), 1e-9)


def test_root_x0_gets_no_derivative():
    g = fad.grad(lambda x0: root(cubic, x0, args=(1.0, 3.0)).x[0])(onp.array([1.0]))
    close(g, [0.0], 0, 0)


def test_root_two_dimensional_system():
    # x0 = a x1 and x0^2 + x1^2 = b: x1 = sqrt(b / (1 + a^2)), x0 = a x1
    def F(x, p):
        return fnp.stack([x[0] - p[0] * x[1], x[0] ** 2 + x[1] ** 2 - p[1]])

    def solve(p):
        return root(F, fnp.array([1.0, 1.0]), args=(p,)).x

    def exact(p):
        x1 = fnp.sqrt(p[1] / (1 + p[0] ** 2))
        return fnp.stack([p[0] * x1, x1])

    p = onp.array([0.7, 2.0])
    close(solve(p), exact(p), 1e-10)
    close(fad.jacrev(solve)(p), fad.jacfwd(exact)(p), 1e-9)
    close(fad.jacfwd(solve)(p), fad.jacfwd(exact)(p), 1e-9)
    close(fad.hessian(lambda p: solve(p)[0])(p), fad.hessian(lambda p: exact(p)[0])(p), 1e-7, 1e-9)
    check_grads(solve, (p,), order=2)


@pytest.mark.parametrize("method", ["hybr", "lm", "krylov"])
def test_root_other_methods_and_jacobians(method):
    a, b = 2.0, 5.0
    x = cubic_exact(a, b)
    D = 3 * x**2 + a
    got = fad.grad(lambda b: root(cubic, onp.array([1.0]), args=(a, b), method=method).x[0])(b)
    close(got, 1 / D, 1e-7)
    with_jac = root(
        lambda x, a, b: (cubic(x, a, b), fnp.diag(3 * x**2 + a)), onp.array([1.0]), (a, b), jac=True
    )
    close(with_jac.x[0], x, 1e-10)
    jac_fn = root(cubic, onp.array([1.0]), (a, b), jac=lambda x, a, b: fnp.diag(3 * x**2 + a))
    close(jac_fn.x[0], x, 1e-10)


def test_root_vmap_jit():
    A, B = onp.array([1.0, 2.0, 0.5]), onp.array([3.0, 4.0, 1.0])
    close(fad.vmap(cubic_root)(A, B), [cubic_root(a, b) for a, b in zip(A, B, strict=True)], 1e-14)
    g = fad.grad(cubic_root, argnums=1)
    close(fad.vmap(g)(A, B), [g(a, b) for a, b in zip(A, B, strict=True)], 1e-14)
    res = fad.vmap(lambda a: root(cubic, fnp.array([1.0]), args=(a, 3.0)))(A)  # the result is a pytree
    assert res.x.shape == (3, 1) and bool(res.success.all())
    jx, jg = fad.jit(cubic_root), fad.jit(g)
    for a, b in zip(A, B, strict=True):  # later calls run the captured program on new values
        close(jx(a, b), cubic_root(a, b), 1e-14)
        close(jg(a, b), g(a, b), 1e-14)


def test_root_without_scipy_uses_newton(monkeypatch):
    monkeypatch.setattr(fso, "_scipy_optimize", lambda: None)
    a, b = 1.0, 3.0
    x = cubic_exact(a, b)
    sol = root(cubic, onp.array([1.0]), args=(a, b))
    close(sol.x[0], x, 1e-12)
    assert sol.success
    close(fad.hessian(lambda b: cubic_root(a, b))(b), -6 * x / (3 * x**2 + a) ** 3, 1e-9)
    with pytest.raises(ImportError, match=r'pip install "fad-autodiff\[scipy\]"'):
        root(cubic, onp.array([1.0]), args=(a, b), method="lm")
    close(fixed_point(lambda x, a: fnp.cos(a * x), 0.5, args=(1.0,)), 0.7390851332151607, 1e-10)


def test_root_failure_and_errors():
    sol = root(lambda x: x**2 + 1.0, onp.array([1.0]))  # no real root
    assert not sol.success and "did not converge" in sol.message
    with pytest.raises(ValueError, match="as many equations as unknowns"):
        root(lambda x: fnp.stack([x[0], x[0], x[0]]), onp.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="arrays of numbers"):
        root(lambda x, s: x, onp.array([1.0]), args=("text",))
    with pytest.raises(fad.EscapedTracerError, match="pass the value to the function as an argument"):
        fad.grad(lambda a: root(lambda x: x - a, onp.array([1.0])).x[0])(1.0)


# ------------------------------------------------------------------------ fixed_point


def test_fixed_point_scalar():
    f = lambda x, a: fnp.cos(a * x)  # noqa: E731
    x = fixed_point(f, 0.5, args=(1.0,))
    close(x, so.fixed_point(lambda x: onp.cos(x), 0.5), 1e-12)
    s = onp.sin(x)  # x = cos(a x): dx/da = -s x / (1 + a s)
    close(fad.grad(lambda a: fixed_point(f, 0.5, args=(a,)))(1.0), -s * x / (1 + s), 1e-9)
    check_grads(lambda a: fixed_point(f, 0.5, args=(a,)), (1.0,), order=2)
    A = onp.array([0.5, 1.0, 1.5])
    close(
        fad.vmap(lambda a: fixed_point(f, 0.5, args=(a,)))(A),
        [fixed_point(f, 0.5, args=(a,)) for a in A],
        1e-14,
    )
    close(fad.jit(lambda a: fixed_point(f, 0.5, args=(a,)))(1.5), fixed_point(f, 0.5, args=(1.5,)), 1e-14)


def test_fixed_point_vector_matches_scipy_and_implicit_jacobian():
    M = onp.array([[0.2, 0.1], [-0.1, 0.3]])

    def f(x, c):
        return M @ fnp.tanh(x) + c

    c = onp.array([0.5, -0.2])
    x = fixed_point(f, onp.zeros(2), args=(c,), method="iteration")
    close(x, so.fixed_point(lambda x: M @ onp.tanh(x) + c, onp.zeros(2), method="iteration"), 1e-8)
    J = onp.linalg.inv(onp.eye(2) - M * (1 - onp.tanh(x) ** 2))  # (I - df/dx)^{-1} df/dc, df/dc = I
    close(fad.jacrev(lambda c: fixed_point(f, onp.zeros(2), args=(c,)))(c), J, 1e-7)
    close(fad.jacfwd(lambda c: fixed_point(f, onp.zeros(2), args=(c,)))(c), J, 1e-7)


def test_fixed_point_errors():
    with pytest.raises(RuntimeError, match="Failed to converge"):
        fixed_point(lambda x: x + 1.0, 0.0, maxiter=5)
    with pytest.raises(ValueError, match="'del2' or 'iteration'"):
        fixed_point(lambda x: x, 0.0, method="newton")
