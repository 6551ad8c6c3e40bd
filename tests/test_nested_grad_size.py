"""Nested ``grad`` differentiates the whole program of the order below, so each operation
spared in a backward pass is spared again, with its derivatives, at every higher order.
Two exact savings: ``x * x`` gives its two (equal) cotangents from one product, and the
``1.0`` that ``grad`` seeds a backward pass with is not multiplied in."""

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad import _core, extend
from fad._rules import UnitSeed


def _count_evaluated(f, *args):
    """How many primitives ``f(*args)`` evaluates with NumPy (EvalTrace.process calls)."""
    n = [0]
    orig = _core.EvalTrace.process

    def counting(self, prim, a, params):
        n[0] += 1
        return orig(self, prim, a, params)

    _core.EvalTrace.process = counting
    try:
        out = f(*args)
    finally:
        _core.EvalTrace.process = orig
    return out, n[0]


def _tanh_derivatives(y, k):
    """d^j/dx^j tanh(x), j = 1..k, as polynomials in y = tanh(x): p_{j+1} = p_j' (1 - y^2)."""
    p = onp.polynomial.Polynomial([0.0, 1.0])
    out = []
    for _ in range(k):
        p = p.deriv() * onp.polynomial.Polynomial([1.0, 0.0, -1.0])
        out.append(p(y))
    return out


def test_nested_grad_of_tanh_matches_analytic_and_stays_small():
    x = onp.asarray(0.3)
    want = _tanh_derivatives(onp.tanh(0.3), 6)
    g = np.tanh
    counts = []
    for k in range(1, 7):
        g = fad.grad(g)
        got, n = _count_evaluated(g, x)
        onp.testing.assert_allclose(got, want[k - 1], rtol=1e-12)
        counts.append(n)
    # 1, 4, 10, 23, 54, 133 before the two savings
    assert counts == [1, 3, 8, 17, 37, 85]


def test_square_by_product_gives_one_cotangent_twice():
    x = onp.linspace(-2.0, 2.0, 7)
    f = lambda v: np.sum(v * v * 3.0)  # noqa: E731
    onp.testing.assert_array_equal(fad.grad(f)(x), 6.0 * x)
    # bit-identical to the two separate products it replaces: ct*x + ct*x == 2*(ct*x)
    ct = onp.linspace(0.1, 1.7, 7)
    _, pull = fad.vjp(lambda v: v * v, x)
    onp.testing.assert_array_equal(pull(ct)[0], ct * x + ct * x)
    # under every transform, and with one operand broadcast against the other
    onp.testing.assert_allclose(fad.hessian(f)(x), onp.diag(onp.full(7, 6.0)))
    onp.testing.assert_allclose(fad.vmap(fad.grad(lambda v: v * v))(x), 2 * x)
    onp.testing.assert_allclose(fad.jacrev(lambda v: v * v)(x), onp.diag(2 * x))
    onp.testing.assert_allclose(fad.grad(lambda v: np.sum(v * v[0]))(x)[0], onp.sum(x) + x[0])


def test_unit_seed_is_only_skipped_for_traced_scalars():
    w = onp.asarray(2.5)
    g = fad.grad(lambda v: v * w)(onp.asarray(1.0))
    assert g == 2.5 and g is not w  # a concrete partial is multiplied: no alias of w
    # a float32 output: the seed's dtype is the output's, the result keeps it
    g32 = fad.grad(fad.grad(lambda v: v * v * v))(onp.float32(2.0))
    assert g32.dtype == onp.float32 and g32 == 12.0
    # a broadcast partial (shape (3,) against the scalar seed) is multiplied as before
    onp.testing.assert_allclose(
        fad.grad(lambda v: np.sum(np.tanh(v * onp.ones(3))))(onp.asarray(0.2)), 3 * (1 - onp.tanh(0.2) ** 2)
    )


def test_unit_seed_is_restored_after_an_error():
    @fad.custom_vjp
    def f(v):
        return np.sin(v)

    def f_bwd(res, ct):
        raise ValueError("backward failed")

    f.defvjp(lambda v: (np.sin(v), v), f_bwd)
    assert UnitSeed.value is None
    with pytest.raises(ValueError, match="backward failed"):
        fad.grad(f)(onp.asarray(0.4))
    assert UnitSeed.value is None
    onp.testing.assert_allclose(fad.grad(fad.grad(np.sin))(onp.asarray(0.4)), -onp.sin(0.4))
    assert UnitSeed.value is None


def test_square_by_product_forward_mode():
    x = onp.linspace(-2.0, 2.0, 5)
    t = onp.linspace(0.3, 1.1, 5)
    _, t_out = fad.jvp(lambda v: v * v, (x,), (t,))
    onp.testing.assert_array_equal(t_out, t * x + t * x)
    onp.testing.assert_allclose(fad.jacfwd(lambda v: v * v)(x), onp.diag(2 * x))
    onp.testing.assert_allclose(fad.hessian(lambda v: np.sum(v * v * v))(x), onp.diag(6 * x))
    # different tangents for the same primal (a jvp of a function of two arguments)
    _, t2 = fad.jvp(lambda a, b: a * b, (x, x), (t, 2 * t))
    onp.testing.assert_allclose(t2, t * x + 2 * t * x)


def test_unit_seed_changed_in_place_by_a_custom_rule_is_multiplied():
    @fad.custom_vjp
    def double_ct(v):
        return v

    def bwd(res, ct):
        ct *= 2.0  # in place: the seed object now holds 2.0
        return (ct,)

    double_ct.defvjp(lambda v: (v, None), bwd)
    # d/dx of grad(x -> x * x * 3 through double_ct) = 2 * 6x at the outer level
    f = lambda v: double_ct(v * v) * 3.0  # noqa: E731
    onp.testing.assert_allclose(fad.grad(fad.grad(f))(onp.asarray(0.7)), 12.0)
    g = lambda v: double_ct(np.sin(v))  # noqa: E731
    onp.testing.assert_allclose(fad.grad(fad.grad(g))(onp.asarray(0.7)), -2 * onp.sin(0.7))


hyp_p = extend.Primitive("test_symmetric_hypot", onp.hypot)
extend.elementwise(hyp_p, lambda ans, x, y: x / ans, lambda ans, x, y: y / ans, symmetric=True)


def hyp(a, b):
    return extend.bind(hyp_p, a, b)


def test_symmetric_user_primitive():
    x = onp.asarray(0.8)
    # hypot(v, v) = sqrt(2) |v|: both cotangents come from one partial, and are added
    onp.testing.assert_allclose(fad.grad(lambda v: hyp(v, v))(x), onp.sqrt(2.0))
    onp.testing.assert_allclose(fad.jvp(lambda v: hyp(v, v), (x,), (onp.asarray(1.0),))[1], onp.sqrt(2.0))
    onp.testing.assert_allclose(fad.grad(fad.grad(lambda v: hyp(v, v)))(x), 0.0, atol=1e-15)
    # different operands: the ordinary partials
    onp.testing.assert_allclose(fad.grad(hyp, argnums=(0, 1))(x, 2 * x), (1 / onp.sqrt(5), 2 / onp.sqrt(5)))


def test_product_with_its_own_stopped_value():
    # stop_gradient(x) may be x's very primal: one operand traced, one constant, same value
    sg = fad.stop_gradient
    assert fad.grad(lambda v: v * sg(v))(3.0) == 3.0
    assert fad.grad(lambda v: sg(v) * v)(3.0) == 3.0
    assert fad.grad(fad.grad(lambda v: v * sg(v) * v))(3.0) == 6.0
    assert fad.jvp(lambda v: v * sg(v), (3.0,), (1.0,))[1] == 3.0
    onp.testing.assert_array_equal(fad.vmap(fad.grad(lambda v: v * sg(v)))(onp.arange(3.0)), onp.arange(3.0))


def test_both_savings_under_vmap():
    # the seed skip with a batched partial, and the symmetric rule of a user primitive, per example
    xs = onp.linspace(-1.0, 1.0, 5)
    want = _tanh_derivatives(onp.tanh(xs), 3)
    onp.testing.assert_allclose(fad.vmap(fad.grad(fad.grad(np.tanh)))(xs), want[1], rtol=1e-12)
    onp.testing.assert_allclose(fad.vmap(fad.grad(fad.grad(fad.grad(np.tanh))))(xs), want[2], rtol=1e-12)
    onp.testing.assert_allclose(fad.vmap(fad.grad(lambda v: hyp(v, v)))(xs + 2.0), onp.full(5, onp.sqrt(2.0)))
    onp.testing.assert_allclose(
        fad.jacfwd(fad.vmap(lambda v: hyp(v, v)))(xs + 2.0), onp.sqrt(2.0) * onp.eye(5)
    )
