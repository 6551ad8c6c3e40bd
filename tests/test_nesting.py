"""Transforms nested inside transforms: perturbation confusion, every composition of
jvp / vjp / grad / vmap to third order against analytic derivatives, and the Jacobian and
Hessian compositions."""

import itertools

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from tests._helpers import assert_trees_close


def close(a, b, rtol=1e-10, atol=1e-12):
    assert_trees_close(a, b, rtol, atol)


# ---------------------------------------------------------------- perturbation confusion


class TestPerturbationConfusion:
    """The classic cases where a naive implementation mixes up the two derivatives."""

    def test_grad_x_times_grad_xy(self):
        # d/dx [x * d/dy (x y)|_{y=2}] = d/dx [x * x] = 2x -> 2 at x = 1
        assert fad.grad(lambda x: x * fad.grad(lambda y: x * y)(2.0))(1.0) == 2.0

    def test_D_x_times_D_x_plus_y(self):
        # D(x -> x * D(y -> x + y)(1))(1) == 1  (the inner derivative is 1, not 2)
        D = lambda f: lambda x: fad.jvp(f, (x,), (1.0,))[1]
        assert D(lambda x: x * D(lambda y: x + y)(1.0))(1.0) == 1.0
        assert fad.grad(lambda x: x * fad.grad(lambda y: x + y)(1.0))(1.0) == 1.0

    def test_grad_of_inner_grad_at_x(self):
        # inner: d/dy y (x - y) = x - 2y, at y = x: -x; outer: d/dx (-x) = -1
        assert fad.grad(lambda x: fad.grad(lambda y: y * (x - y))(x))(1.0) == -1.0

    @pytest.mark.parametrize("outer", ["grad", "jvp", "vjp"])
    @pytest.mark.parametrize("inner", ["grad", "jvp", "vjp"])
    def test_mixed_modes(self, outer, inner):
        d = {
            "grad": lambda f: fad.grad(f),
            "jvp": lambda f: lambda x: fad.jvp(f, (x,), (1.0,))[1],
            "vjp": lambda f: lambda x: fad.vjp(f, x)[1](1.0)[0],
        }
        Do, Di = d[outer], d[inner]
        assert Do(lambda x: x * Di(lambda y: x * y)(2.0))(1.0) == 2.0
        assert Do(lambda x: x * Di(lambda y: x + y)(1.0))(1.0) == 1.0
        assert Do(lambda x: Di(lambda y: y * (x - y))(x))(1.0) == -1.0

    def test_vmap_closes_over_outer_tracer(self):
        xs = np.array([1.0, 2.0, 3.0])
        # per example: d/dy (x * y) = x
        close(fad.vmap(lambda x: fad.grad(lambda y: x * y)(2.0))(xs), xs)
        # d/dx sum_i x * y_i = sum(y)
        ys = np.array([1.0, -2.0, 5.0])
        assert fad.grad(lambda x: fnp.sum(fad.vmap(lambda y: x * y)(ys)))(3.0) == ys.sum()
        # vmap inside vmap, the inner closing over the outer batched value
        out = fad.vmap(lambda a: fad.vmap(lambda b: a * b)(ys))(xs)
        close(out, np.outer(xs, ys))

    def test_tracer_of_outer_transform_is_constant_to_inner(self):
        def f(x):
            # the inner grad is w.r.t. y only; x (traced by the outer grad) is a constant
            g = fad.grad(lambda y: fnp.sin(x) * y**2)(x)
            return g  # = 2 x sin(x)

        x = 0.7
        assert fad.grad(f)(x) == pytest.approx(2 * np.sin(x) + 2 * x * np.cos(x), rel=1e-12)


# ------------------------------------------------- compositions to third order, analytic


def f0(x):
    return x * fnp.sin(x) + fnp.exp(0.5 * x)


DERIVS = [
    lambda x: x * np.sin(x) + np.exp(0.5 * x),
    lambda x: np.sin(x) + x * np.cos(x) + 0.5 * np.exp(0.5 * x),
    lambda x: 2 * np.cos(x) - x * np.sin(x) + 0.25 * np.exp(0.5 * x),
    lambda x: -3 * np.sin(x) - x * np.cos(x) + 0.125 * np.exp(0.5 * x),
]


def T_jvp(g):
    return lambda x: fad.jvp(g, (x,), (fnp.ones_like(x),))[1]


def T_vjp(g):
    def h(x):
        y, pullback = fad.vjp(g, x)
        return pullback(fnp.ones_like(y))[0]

    return h


def T_grad(g):
    return fad.grad(lambda x: fnp.sum(g(x)))


def T_vmap(g):
    return fad.vmap(g)


def T_linearize(g):
    return lambda x: fad.linearize(g, x)[1](fnp.ones_like(x))


TRANSFORMS = {"jvp": T_jvp, "vjp": T_vjp, "grad": T_grad, "vmap": T_vmap}
SEQUENCES = [s for n in (1, 2, 3) for s in itertools.product(TRANSFORMS, repeat=n)]


@pytest.mark.parametrize("seq", SEQUENCES, ids=["(".join(s) for s in SEQUENCES])
def test_composition_matches_analytic(seq):
    """``T1(T2(T3(f)))`` for an elementwise ``f``: each derivative transform adds one order,
    each vmap maps one leading axis."""
    g = f0
    for name in reversed(seq):
        g = TRANSFORMS[name](g)
    order = sum(name != "vmap" for name in seq)
    n_vmaps = sum(name == "vmap" for name in seq)
    shape = (2,) * n_vmaps + (3,)
    x = np.linspace(-1.3, 1.7, int(np.prod(shape))).reshape(shape)
    out = g(x)
    assert isinstance(out, np.ndarray) and out.shape == shape
    close(out, DERIVS[order](x), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("seq", [("linearize", "grad"), ("grad", "linearize"), ("linearize", "vmap", "vjp")])
def test_linearize_compositions(seq):
    table = dict(TRANSFORMS, linearize=T_linearize)
    g = f0
    for name in reversed(seq):
        g = table[name](g)
    order = sum(name != "vmap" for name in seq)
    shape = (2,) * (len(seq) - order) + (3,)
    x = np.linspace(-1.0, 1.0, int(np.prod(shape))).reshape(shape)
    close(g(x), DERIVS[order](x), rtol=1e-10, atol=1e-10)


def test_grad_grad_grad():
    g3 = fad.grad(fad.grad(fad.grad(f0)))
    for x in (-1.0, 0.3, 2.0):
        assert g3(x) == pytest.approx(DERIVS[3](x), rel=1e-12, abs=1e-12)
    # fourth order, for good measure: d4/dx4 = -4 cos + x sin + e^{x/2}/16
    g4 = fad.grad(g3)
    assert g4(0.3) == pytest.approx(-4 * np.cos(0.3) + 0.3 * np.sin(0.3) + np.exp(0.15) / 16, rel=1e-12)


# ----------------------------------------------------------- Jacobian compositions

W = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7], [1.1, 0.0, 0.6], [-0.3, 0.8, 0.1]])
X = np.array([0.4, -0.9, 1.3])


def vec_f(x):
    """R^3 -> R^4, not elementwise."""
    return fnp.tanh(W @ x) * fnp.sum(x**2)


def vec_jac(x):
    t = np.tanh(W @ x)
    s = np.sum(x**2)
    return (1 - t**2)[:, None] * W * s + np.outer(t, 2 * x)


def scalar_f(x):
    return fnp.sum(fnp.sin(W @ x) ** 2) + x[0] * x[1] * x[2]


def scalar_hess(x):
    u = W @ x
    # d2/dx2 sum sin(u)^2 = W^T diag(2 cos(2u)) W ; plus the Hessian of x0 x1 x2
    H = W.T @ np.diag(2 * np.cos(2 * u)) @ W
    H = H + np.array([[0, x[2], x[1]], [x[2], 0, x[0]], [x[1], x[0], 0]])
    return H


def numeric_jac(F, x, eps=1e-6):
    cols = [(F(x + eps * e) - F(x - eps * e)) / (2 * eps) for e in np.eye(len(x))]
    return np.stack(cols, axis=-1)


class TestJacobianCompositions:
    def test_jacobians(self):
        close(fad.jacfwd(vec_f)(X), vec_jac(X))
        close(fad.jacrev(vec_f)(X), vec_jac(X))

    @pytest.mark.parametrize(
        "outer, inner",
        [(o, i) for o in ("jacfwd", "jacrev") for i in ("jacfwd", "jacrev")],
    )
    def test_second_derivatives(self, outer, inner):
        H = getattr(fad, outer)(getattr(fad, inner)(vec_f))(X)
        assert H.shape == (4, 3, 3)
        close(H, numeric_jac(vec_jac, X), rtol=1e-6, atol=1e-8)
        close(H, np.swapaxes(H, 1, 2), rtol=1e-10, atol=1e-12)

    def test_hessian_is_jacrev_jacrev(self):
        H = fad.hessian(scalar_f)(X)
        close(H, scalar_hess(X))
        close(H, fad.jacrev(fad.jacrev(scalar_f))(X))
        close(H, fad.jacfwd(fad.grad(scalar_f))(X))
        close(H, fad.jacrev(fad.grad(scalar_f))(X))

    def test_third_order_jacobians(self):
        T1 = fad.jacfwd(fad.jacrev(fad.jacrev(scalar_f)))(X)
        T2 = fad.jacrev(fad.jacfwd(fad.grad(scalar_f)))(X)
        assert T1.shape == (3, 3, 3)
        close(T1, T2)
        close(T1, numeric_jac(scalar_hess, X), rtol=1e-6, atol=1e-7)

    def test_vmap_of_grad(self):
        xs = np.stack([X, 2 * X, -X])
        g = fad.vmap(fad.grad(scalar_f))(xs)
        close(g, np.stack([fad.grad(scalar_f)(x) for x in xs]))

    def test_grad_of_summed_vmap(self):
        xs = np.stack([X, 2 * X, -X])
        g = fad.grad(lambda xs: fnp.sum(fad.vmap(scalar_f)(xs)))(xs)
        close(g, np.stack([fad.grad(scalar_f)(x) for x in xs]))

    def test_vmap_vmap(self):
        xs = np.stack([np.stack([X, 2 * X]), np.stack([-X, 0.5 * X])])  # (2, 2, 3)
        out = fad.vmap(fad.vmap(vec_f))(xs)
        close(out, np.stack([np.stack([vec_f(x) for x in row]) for row in xs]))
        out = fad.vmap(fad.vmap(vec_f), in_axes=1)(xs)  # swap the batch axes
        close(out, np.stack([np.stack([vec_f(xs[j, i]) for j in range(2)]) for i in range(2)]))

    def test_vmap_of_jvp_and_jvp_of_vmap(self):
        ts = np.eye(3)
        out = fad.vmap(lambda t: fad.jvp(vec_f, (X,), (t,))[1])(ts)
        close(out, vec_jac(X).T)
        xs = np.stack([X, 2 * X])
        y, t = fad.jvp(fad.vmap(vec_f), (xs,), (np.ones_like(xs),))
        close(t, np.stack([vec_jac(x) @ np.ones(3) for x in xs]))

    def test_vmap_of_jacrev(self):
        xs = np.stack([X, 2 * X, -X])
        J = fad.vmap(fad.jacrev(vec_f))(xs)
        assert J.shape == (3, 4, 3)
        close(J, np.stack([vec_jac(x) for x in xs]))

    def test_vmap_over_a_pullback(self):
        y, pullback = fad.vjp(vec_f, X)
        rows = fad.vmap(pullback)(np.eye(4))
        assert isinstance(rows, tuple)
        close(rows[0], vec_jac(X))

    def test_jvp_of_grad_is_hvp(self):
        v = np.array([1.0, -2.0, 0.5])
        hvp = fad.jvp(fad.grad(scalar_f), (X,), (v,))[1]
        close(hvp, scalar_hess(X) @ v)
        # reverse-over-forward and reverse-over-reverse agree
        hvp2 = fad.grad(lambda x: fad.jvp(scalar_f, (x,), (v,))[1])(X)
        hvp3 = fad.grad(lambda x: fnp.vdot(fad.grad(scalar_f)(x), v))(X)
        close(hvp2, hvp)
        close(hvp3, hvp)

    def test_grad_of_pullback_called_inside(self):
        # the pullback is called under the outer grad: its backward pass is traced
        def f(x):
            _, pb = fad.vjp(lambda z: fnp.sin(z) * z, x)
            return fnp.sum(pb(fnp.ones_like(x))[0])  # sum(sin + z cos)

        close(fad.grad(f)(X), DERIVS_SIN_2(X))


def DERIVS_SIN_2(x):
    # d/dx (sin x + x cos x) = 2 cos x - x sin x
    return 2 * np.cos(x) - x * np.sin(x)
