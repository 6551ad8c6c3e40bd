"""Hypothesis properties on small random shapes: jacfwd == jacrev, the jvp/vjp adjoint
identity, vmap == loop, and grad of a summed vmap == sum of per-example grads."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)

# Composite functions of (x, y); x has shape s, y has shape s or a broadcastable one.
FUNS = {
    "elementwise-chain": lambda x, y: fnp.tanh(fnp.sin(x) * y + fnp.exp(-(x**2))),
    "broadcast": lambda x, y: x * fnp.sum(y, axis=-1, keepdims=True) + fnp.cos(y),
    "reductions": lambda x, y: fnp.stack([fnp.sum(x * y), fnp.mean(x**2), fnp.max(fnp.sin(x) + y)]),
    "matmul": lambda x, y: fnp.tanh(x @ fnp.transpose(y)) + fnp.sum(x, axis=-1, keepdims=True),
    "where": lambda x, y: fnp.where(x > y, x * y, fnp.sqrt(x**2 + 1.0)),
    "abs-max": lambda x, y: fnp.maximum(fnp.abs(x), 0.3) * fnp.minimum(y, 0.2),
}


@hst.composite
def case(draw):
    name = draw(hst.sampled_from(sorted(FUNS)))
    shape = tuple(draw(hst.lists(hst.integers(1, 3), min_size=1, max_size=2)))
    seed = draw(hst.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, shape)
    y = rng.uniform(-1.5, 1.5, shape)
    # keep away from kinks and ties (abs at 0, max/min ties, x == y in where)
    x = np.where(np.abs(x) < 0.05, 0.5, x)
    y = np.where(np.abs(x - y) < 0.05, y + 0.3, y)
    y = np.where(np.abs(y - 0.2) < 0.05, 0.6, y)
    x = np.where(np.abs(np.abs(x) - 0.3) < 0.05, 0.9, x)
    return name, x, y


@SETTINGS
@given(case())
def test_jacfwd_equals_jacrev(c):
    name, x, y = c
    f = FUNS[name]
    jf = fad.jacfwd(f, argnums=(0, 1))(x, y)
    jr = fad.jacrev(f, argnums=(0, 1))(x, y)
    out_shape = np.shape(f(x, y))
    for a, b, inp in zip(jf, jr, (x, y), strict=True):
        assert a.shape == out_shape + inp.shape
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(case(), hst.integers(0, 2**16))
def test_adjoint_identity(c, seed):
    name, x, y = c
    f = FUNS[name]
    rng = np.random.default_rng(seed)
    tx, ty = rng.standard_normal(x.shape), rng.standard_normal(y.shape)
    out, jt = fad.jvp(f, (x, y), (tx, ty))
    ct = rng.standard_normal(np.shape(out))
    _, pullback = fad.vjp(f, x, y)
    cx, cy = pullback(ct)
    lhs = np.sum(ct * jt)
    rhs = np.sum(cx * tx) + np.sum(cy * ty)
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@SETTINGS
@given(case(), hst.integers(1, 3))
def test_vmap_equals_loop(c, n):
    name, x, y = c
    f = FUNS[name]
    xs = np.stack([x * (1 + 0.1 * i) for i in range(n)])
    ys = np.stack([y - 0.07 * i for i in range(n)])
    expected = np.stack([f(a, b) for a, b in zip(xs, ys, strict=True)])
    np.testing.assert_allclose(fad.vmap(f)(xs, ys), expected, rtol=1e-12, atol=1e-12)
    # one argument unmapped
    expected = np.stack([f(a, y) for a in xs])
    np.testing.assert_allclose(fad.vmap(f, in_axes=(0, None))(xs, y), expected, rtol=1e-12, atol=1e-12)
    # mapped along the last axis, result along the last axis
    got = fad.vmap(f, in_axes=-1, out_axes=-1)(np.moveaxis(xs, 0, -1), np.moveaxis(ys, 0, -1))
    np.testing.assert_allclose(
        np.moveaxis(got, -1, 0), np.stack([f(a, b) for a, b in zip(xs, ys, strict=True)]), rtol=1e-12
    )


@SETTINGS
@given(case(), hst.integers(1, 3))
def test_grad_of_summed_vmap_is_sum_of_grads(c, n):
    name, x, y = c
    f = FUNS[name]
    scalar = lambda x, y: fnp.sum(f(x, y) ** 2)
    xs = np.stack([x * (1 + 0.1 * i) for i in range(n)])
    # gradient w.r.t. the shared (unmapped) y of the summed batch == sum of per-example grads
    g = fad.grad(lambda y: fnp.sum(fad.vmap(scalar, in_axes=(0, None))(xs, y)))(y)
    expected = sum(fad.grad(scalar, argnums=1)(a, y) for a in xs)
    np.testing.assert_allclose(g, expected, rtol=1e-10, atol=1e-12)
    # gradient w.r.t. the mapped xs: per-example grads, stacked
    gx = fad.grad(lambda xs: fnp.sum(fad.vmap(scalar, in_axes=(0, None))(xs, y)))(xs)
    np.testing.assert_allclose(gx, np.stack([fad.grad(scalar)(a, y) for a in xs]), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        fad.vmap(fad.grad(scalar), in_axes=(0, None))(xs, y), gx, rtol=1e-10, atol=1e-12
    )
