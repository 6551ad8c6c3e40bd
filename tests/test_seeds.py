"""The worked examples of the project's seed texts (shared/seeds/), reproduced with fad."""

import numpy as np
import pytest

import fad
import fad.numpy as fnp

# ---- "Automatic Differentiation Explained": f(x1, x2, x3) = 3 (x1^2 + x2 x3) at (2, 3, 4)


def f3(x1, x2, x3):
    x4 = x1**2
    x5 = x2 * x3
    x6 = x4 + x5
    x7 = 3 * x6
    return x7


def test_f3_value_and_gradient_reverse():
    assert f3(2.0, 3.0, 4.0) == 48.0
    v, g = fad.value_and_grad(f3, argnums=(0, 1, 2))(2.0, 3.0, 4.0)
    assert v == 48.0
    assert g == (12.0, 12.0, 9.0)


def test_f3_forward_mode_one_pass_per_input():
    p = (2.0, 3.0, 4.0)
    partials = [fad.jvp(f3, p, tuple(float(i == k) for i in range(3)))[1] for k in range(3)]
    assert partials == [12.0, 12.0, 9.0]


def test_f3_local_partials():
    # the local partial derivatives on the graph: dx5/dx3 = x2 = 3, dx4/dx1 = 2 x1 = 4, dx7/dx6 = 3
    assert fad.grad(lambda x3: 3.0 * x3)(4.0) == 3.0
    assert fad.grad(lambda x1: x1**2)(2.0) == 4.0
    assert fad.grad(lambda x6: 3 * x6)(16.0) == 3.0


def test_f3_gradient_descent_step_decreases_cost():
    x = np.array([2.0, 3.0, 4.0])
    cost = lambda x: f3(x[0], x[1], x[2])
    g = fad.grad(cost)(x)
    np.testing.assert_array_equal(g, [12.0, 12.0, 9.0])
    assert cost(x - 0.01 * g) < cost(x) == 48.0


def test_f3_vectorized_gradient_matches_manual():
    # manual differentiation: df/dx1 = 6 x1, df/dx2 = 3 x3, df/dx3 = 3 x2
    pts = np.array([[2.0, 3.0, 4.0], [1.0, -1.0, 0.5], [0.0, 2.0, -3.0]])
    g = fad.vmap(fad.grad(lambda p: f3(p[0], p[1], p[2])))(pts)
    np.testing.assert_allclose(g, np.stack([6 * pts[:, 0], 3 * pts[:, 2], 3 * pts[:, 1]], axis=1))


# ---- "Automatic Differentiation" (the tape): f(x1, x2) = x1 x2 + sin(x1)


X1, X2 = 2.0, 3.0


def tape(x1, x2):
    v1 = x1
    v2 = x2
    v3 = v1 * v2
    v4 = fnp.sin(v1)
    v5 = v3 + v4
    return v3, v4, v5


def f2(x1, x2):
    return tape(x1, x2)[2]


def test_tape_values():
    v3, v4, v5 = tape(X1, X2)
    assert v3 == 6.0
    assert v4 == pytest.approx(np.sin(2.0), rel=1e-15)
    assert v5 == pytest.approx(6.0 + np.sin(2.0), rel=1e-15)


def test_tape_forward_mode_unit_tangents():
    # one pass per input: df/dx1 = x2 + cos(x1), df/dx2 = x1
    _, d1 = fad.jvp(f2, (X1, X2), (1.0, 0.0))
    _, d2 = fad.jvp(f2, (X1, X2), (0.0, 1.0))
    assert d1 == pytest.approx(X2 + np.cos(X1), rel=1e-15)
    assert d2 == X1
    # tangents of every tape entry (the dual trace) at once
    _, dots = fad.jvp(tape, (X1, X2), (1.0, 0.0))
    assert dots[0] == X2 and dots[1] == pytest.approx(np.cos(X1)) and dots[2] == pytest.approx(d1)


def test_tape_reverse_mode_one_pass():
    v5, pullback = fad.vjp(f2, X1, X2)
    assert v5 == pytest.approx(6.0 + np.sin(2.0))
    bar_x1, bar_x2 = pullback(1.0)  # both partials from one backward pass
    assert bar_x1 == pytest.approx(X2 + np.cos(X1), rel=1e-15)
    assert bar_x2 == X1
    assert fad.grad(f2, argnums=(0, 1))(X1, X2) == (bar_x1, bar_x2)


def test_tape_jacobian_forward_vs_reverse():
    f = lambda x: f2(x[0], x[1])
    x = np.array([X1, X2])
    np.testing.assert_allclose(fad.jacfwd(f)(x), fad.jacrev(f)(x), rtol=1e-15)
    np.testing.assert_allclose(fad.jacrev(f)(x), [X2 + np.cos(X1), X1], rtol=1e-15)


# ---- "Automatic Differentiation Step by Step": dual numbers and d/dx (x^2 + 1) = 2x


@pytest.mark.parametrize("x", [-3.0, 0.0, 0.5, 2.0])
def test_x_squared_plus_one(x):
    f = lambda x: x**2 + 1
    # f(x + eps) = (x^2 + 1) + 2x eps
    y, dy = fad.jvp(f, (x,), (1.0,))
    assert y == x**2 + 1 and dy == 2 * x
    assert fad.grad(f)(x) == 2 * x


def test_dual_number_arithmetic():
    # (a + b eps) + (c + d eps) = (a + c) + (b + d) eps
    # (a + b eps) (c + d eps) = ac + (ad + bc) eps
    a, b, c, d = 1.5, 2.0, -0.5, 3.0
    assert fad.jvp(lambda u, v: u + v, (a, c), (b, d)) == (a + c, b + d)
    assert fad.jvp(lambda u, v: u * v, (a, c), (b, d)) == (a * c, a * d + b * c)


def test_dual_point_taylor():
    # f(a + eps) = f(a) + f'(a) eps: exact for any differentiable f (here sin, exp, a product)
    f = lambda x: fnp.sin(x) * fnp.exp(x)
    a = 0.7
    y, dy = fad.jvp(f, (a,), (1.0,))
    assert y == pytest.approx(np.sin(a) * np.exp(a), rel=1e-15)
    assert dy == pytest.approx((np.cos(a) + np.sin(a)) * np.exp(a), rel=1e-15)


def test_survey_example_forward_and_reverse():
    # The example the text borrows from "Automatic differentiation in machine learning: a
    # survey" (Baydin et al.): f(x1, x2) = ln(x1) + x1 x2 - sin(x2) at (2, 5).
    def f(x1, x2):
        v1 = fnp.log(x1)
        v2 = x1 * x2
        v3 = fnp.sin(x2)
        v4 = v1 + v2
        return v4 - v3

    assert f(2.0, 5.0) == pytest.approx(11.652, abs=5e-4)
    _, dx1 = fad.jvp(f, (2.0, 5.0), (1.0, 0.0))
    assert dx1 == pytest.approx(5.5, rel=1e-15)  # the forward-mode dual trace result
    g1, g2 = fad.grad(f, argnums=(0, 1))(2.0, 5.0)
    assert g1 == pytest.approx(5.5, rel=1e-15)
    assert g2 == pytest.approx(2.0 - np.cos(5.0), rel=1e-15)  # 1.716
    assert g2 == pytest.approx(1.716, abs=5e-4)


def test_forward_vs_reverse_pass_counts():
    # forward mode needs n passes for the gradient of R^n -> R; reverse mode one. Both agree.
    f = lambda x: fnp.sum(fnp.sin(x) * x)
    x = np.linspace(-1, 1, 5)
    fwd = np.array([fad.jvp(f, (x,), (e,))[1] for e in np.eye(5)])
    rev = fad.grad(f)(x)
    np.testing.assert_allclose(fwd, rev, rtol=1e-14)
