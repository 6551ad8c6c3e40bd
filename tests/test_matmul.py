"""matmul takes vectors natively (NumPy's rules): every pairing of vector, matrix and stack
of matrices, under every transform and every batching of its operands."""

import itertools

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.test_util import check_grads, check_vmap

SHAPES = {
    "vec": (3,),
    "mat_l": (2, 3),  # as the left operand: (2, 3) @ ...
    "stack_l": (2, 2, 3),
    "mat_r": (3, 4),  # as the right operand: ... @ (3, 4)
    "stack_r": (2, 3, 4),
}
PAIRS = [(a, b) for a in ("vec", "mat_l", "stack_l") for b in ("vec", "mat_r", "stack_r")]
AXES = [(0, 0), (0, None), (None, 0)]


def _args(pair, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(SHAPES[k]) for k in pair]


@pytest.mark.parametrize("pair", PAIRS, ids="@".join)
def test_matmul_values_and_derivatives(pair):
    a, b = _args(pair)
    np.testing.assert_allclose(fnp.matmul(a, b), np.matmul(a, b), rtol=1e-13)
    check_grads(fnp.matmul, (a, b), order=2)


@pytest.mark.parametrize("pair,axes", list(itertools.product(PAIRS, AXES)), ids=str)
def test_matmul_vmap_every_batching(pair, axes):
    a, b = _args(pair, 1)
    rng = np.random.default_rng(2)
    args = [rng.standard_normal((5,) + x.shape) if ax == 0 else x for x, ax in zip((a, b), axes, strict=True)]
    check_vmap(fnp.matmul, args, in_axes=axes)


@pytest.mark.parametrize("pair,axes", list(itertools.product(PAIRS, AXES)), ids=str)
def test_matmul_per_example_gradients_and_jit(pair, axes):
    """vmap(grad) against a loop of grads, eagerly and under jit."""
    a, b = _args(pair, 3)
    rng = np.random.default_rng(4)
    args = [rng.standard_normal((4,) + x.shape) if ax == 0 else x for x, ax in zip((a, b), axes, strict=True)]

    def loss(x, y):
        return fnp.sum(fnp.tanh(fnp.matmul(x, y)))

    g = fad.vmap(fad.grad(loss, argnums=(0, 1)), in_axes=axes)
    for fn in (g, fad.jit(g)):
        got = fn(*args)
        for i in range(4):
            ex = [x[i] if ax == 0 else x for x, ax in zip(args, axes, strict=True)]
            want = fad.grad(loss, argnums=(0, 1))(*ex)
            for k in (0, 1):  # per-example gradients, also for the shared operand
                np.testing.assert_allclose(got[k][i], want[k], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("pair", PAIRS, ids="@".join)
def test_matmul_jacobians_and_hessian(pair):
    a, b = _args(pair, 5)
    for argnum in (0, 1):
        jf = fad.jacfwd(fnp.matmul, argnum)(a, b)
        jr = fad.jacrev(fnp.matmul, argnum)(a, b)
        np.testing.assert_allclose(jf, jr, rtol=1e-12, atol=1e-12)
    h = fad.hessian(lambda x, y: fnp.sum(fnp.matmul(x, y) ** 3))(a, b)
    hr = fad.jacrev(fad.jacrev(lambda x, y: fnp.sum(fnp.matmul(x, y) ** 3)))(a, b)
    np.testing.assert_allclose(h, hr, rtol=1e-10, atol=1e-10)


# ------------------------------------------------------------------ the outer primitive
# outer(a, b) is the weight cotangent of a vector-matrix product; under vmap and nesting it
# meets stacked operands whose leading axes broadcast.

OUTER_SHAPES = [((3,), (4,)), ((2, 3), (4,)), ((3,), (2, 4)), ((2, 3), (2, 4)), ((2, 1, 3), (5, 4))]


def _outer(a, b):
    from fad._prims.linalg import outer

    return outer(a, b)


@pytest.mark.parametrize("sa,sb", OUTER_SHAPES, ids=str)
def test_outer_primitive_values_and_derivatives(sa, sb):
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    np.testing.assert_allclose(_outer(a, b), a[..., :, None] * b[..., None, :], rtol=1e-15)
    check_grads(_outer, (a, b), order=2)
    for axes in AXES:
        pairs = zip((a, b), axes, strict=True)
        args = [rng.standard_normal((3,) + x.shape) if ax == 0 else x for x, ax in pairs]
        check_vmap(_outer, args, in_axes=axes)


def test_outer_large_enough_for_einsum_matches_the_product():
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((8, 64)), rng.standard_normal((8, 100))  # 51,200 elements
    np.testing.assert_allclose(_outer(a, b), a[:, :, None] * b[:, None, :], rtol=1e-15)


def test_gradient_of_per_example_gradients_meets_stacked_outer():
    """grad of a function of vmap(grad): the per-example weight cotangents (outer products)
    are differentiated again with stacked operands."""
    rng = np.random.default_rng(8)
    w = rng.standard_normal((3, 4))
    xs = rng.standard_normal((5, 3))

    def per_example_norms(w):
        g = fad.vmap(fad.grad(lambda w, x: fnp.sum(fnp.tanh(x @ w))), in_axes=(None, 0))(w, xs)
        return fnp.sum(g**2)

    check_grads(per_example_norms, (w,), order=1)
    hf = fad.jacfwd(fad.grad(per_example_norms))(w)
    hr = fad.jacrev(fad.grad(per_example_norms))(w)
    np.testing.assert_allclose(hf, hr, rtol=1e-10, atol=1e-10)
