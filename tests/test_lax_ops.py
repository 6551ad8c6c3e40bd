"""fad.lax's JAX operations: values as JAX's (the expected values below are jax.lax's own,
float64), traced start indices under jit, vmap and grad, and clear errors. Each operation's
derivatives, vmap and jit are checked by its record in tests/records/lax.py."""

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad import lax

X = onp.arange(10.0)


@pytest.mark.parametrize(
    ("start", "want"), [(-2, [7, 8, 9]), (-12, [0, 1, 2]), (9, [7, 8, 9]), (3, [3, 4, 5])]
)
def test_dynamic_slice_wraps_once_then_clamps_like_jax(start, want):
    f = lambda x, i: lax.dynamic_slice(x, (i,), (3,))  # noqa: E731
    onp.testing.assert_array_equal(f(X, start), want)
    onp.testing.assert_array_equal(fad.jit(f)(X, start), want)  # a traced start
    onp.testing.assert_array_equal(fad.vmap(f, in_axes=(None, 0))(X, onp.array([start, 0]))[0], want)


def test_traced_starts_under_grad_vmap_and_jit():
    def loss(x, i):
        return fnp.sum(lax.dynamic_slice_in_dim(x, i, 2) ** 2)

    g = fad.grad(loss)(X, 4)
    onp.testing.assert_array_equal(g, onp.where((onp.arange(10) == 4) | (onp.arange(10) == 5), 2 * X, 0))
    onp.testing.assert_array_equal(fad.jit(fad.grad(loss))(X, 4), g)
    gs = fad.vmap(fad.grad(loss), in_axes=(None, 0))(X, onp.array([4, 8]))
    onp.testing.assert_array_equal(gs[0], g)
    assert gs[1].nonzero()[0].tolist() == [8, 9]

    def write(x, u, i):
        return lax.dynamic_update_slice(x, u, (i, 3))

    z, u = onp.zeros((3, 4)), onp.ones((2, 2))
    want = [[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]  # jax.lax: -1 wraps to 2, clamped to 1
    onp.testing.assert_array_equal(write(z, u, -1), want)
    onp.testing.assert_array_equal(fad.jit(write)(z, u, -1), want)
    gu = fad.grad(lambda u, i: fnp.sum(write(onp.arange(12.0).reshape(3, 4), u, i) ** 2))(u, 0)
    onp.testing.assert_array_equal(gu, 2 * u)
    out = fad.vmap(write, in_axes=(None, None, 0))(z, u, onp.array([0, 1]))
    onp.testing.assert_array_equal(out[1], want)


def test_stop_gradient_cuts_the_derivative_and_maps_over_pytrees():
    assert fad.grad(lambda x: x * lax.stop_gradient(x))(3.0) == 3.0
    assert fad.grad(lambda x: lax.stop_gradient({"a": x})["a"] + x)(3.0) == 1.0


def test_values_match_jax():
    x = onp.arange(1.0, 5.0)
    onp.testing.assert_array_equal(lax.pad(x, 0.0, [(1, -1, 2)]), [0, 1, 0, 0, 2, 0, 0, 3, 0, 0])
    onp.testing.assert_array_equal(lax.pad(x, 9.0, [(-2, 2, 1)]), [2, 9, 3, 9, 4, 9, 9])
    onp.testing.assert_array_equal(
        lax.pad(onp.ones((2, 2)), 0.0, [(0, 1, 1), (1, 0, 0)]), [[0, 1, 1], [0, 0, 0], [0, 1, 1], [0, 0, 0]]
    )
    values, index = lax.top_k(onp.array([1.0, 3.0, 3.0, 2.0]), 3)
    onp.testing.assert_array_equal(values, [3, 3, 2])
    onp.testing.assert_array_equal(index, [1, 2, 3])
    assert index.dtype == onp.int32
    keys = (
        onp.array([2.0, 1.0, 2.0, 1.0]),
        onp.array([1.0, 2.0, 0.0, 3.0]),
        onp.array([10.0, 20.0, 30.0, 40.0]),
    )
    out = lax.sort(keys, num_keys=2)
    onp.testing.assert_array_equal(out[0], [1, 1, 2, 2])
    onp.testing.assert_array_equal(out[1], [2, 3, 0, 1])
    onp.testing.assert_array_equal(out[2], [20, 40, 30, 10])
    onp.testing.assert_array_equal(
        lax.reshape(onp.arange(6.0).reshape(2, 3), (3, 2), (1, 0)), [[0, 3], [1, 4], [2, 5]]
    )
    assert lax.broadcast_in_dim(onp.array([[1.0], [2.0], [3.0]]), (3, 2, 4), (0, 2)).shape == (3, 2, 4)
    assert lax.rem(-7.0, 3.0) == -1.0
    onp.testing.assert_array_equal(lax.cumsum(x, reverse=True), [10, 9, 7, 4])
    onp.testing.assert_array_equal(lax.cumprod(x, reverse=True), [24, 24, 12, 4])
    onp.testing.assert_array_equal(
        lax.convert_element_type(onp.array([1.7, -1.7, 2.5]), onp.int32), [1, -1, 2]
    )
    onp.testing.assert_array_equal(lax.convert_element_type(onp.array([1.0 + 2.0j]), onp.float64), [1.0])
    onp.testing.assert_array_equal(lax.clamp(0.0, onp.array([-1.0, 0.5, 2.0]), 1.0), [0, 0.5, 1])
    m = onp.arange(6.0).reshape(2, 3)
    onp.testing.assert_array_equal(lax.dynamic_index_in_dim(m, -1, axis=1, keepdims=False), [2, 5])
    onp.testing.assert_array_equal(lax.index_in_dim(m, -1, axis=1), [[2], [5]])
    a, b = onp.random.default_rng(0).normal(size=(4, 2, 3)), onp.random.default_rng(1).normal(size=(4, 3, 5))
    onp.testing.assert_allclose(lax.dot_general(a, b, (((2,), (1,)), ((0,), (0,)))), a @ b, rtol=1e-14)
    onp.testing.assert_allclose(
        lax.dot_general(a, b, (((2, 0), (1, 0)), ((), ()))), onp.einsum("kij,kjl->il", a, b)
    )


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="slice_sizes"):
        lax.dynamic_slice(X, (0,), (11,))
    with pytest.raises(TypeError, match="start indices for an array of rank 1"):
        lax.dynamic_slice(X, (0, 0), (2,))
    with pytest.raises(TypeError, match="integer start indices"):
        lax.dynamic_slice(X, (1.5,), (2,))
    with pytest.raises(TypeError, match="does not fit"):
        lax.dynamic_update_slice(X, onp.ones(11), (0,))
    with pytest.raises(TypeError, match="rounds towards zero"):
        lax.div(onp.array([7]), onp.array([2]))
    with pytest.raises(TypeError, match=r"\(low, high, interior\)"):
        lax.pad(X, 0.0, [(1, 1)])
    with pytest.raises(TypeError, match="dimension_numbers"):
        lax.dot_general(X, X, ((0,), (0,)))
    with pytest.raises(TypeError, match="does not go to shape"):
        lax.broadcast_in_dim(onp.ones(3), (2, 4), (1,))
    with pytest.raises(IndexError, match="out of range"):
        lax.index_in_dim(X, 10)
    with pytest.raises(ValueError, match="k=11"):
        lax.top_k(X, 11)


def test_switch_still_clamps_a_concrete_index():
    branches = [lambda: 0.0, lambda: 1.0, lambda: 2.0]
    assert [lax.switch(i, branches) for i in (-3, 1, 7)] == [0.0, 1.0, 2.0]


def test_batched_operands_and_starts_match_a_loop():
    x = onp.arange(48.0).reshape(3, 4, 4)
    u = onp.ones((3, 2, 2)) * onp.arange(3)[:, None, None]
    i, j = onp.array([0, 3, -1]), onp.array([1, -5, 2])

    def write(x, u, i, j):
        return lax.dynamic_update_slice(x, u, (i, j))

    def read(x, i, j):
        return lax.dynamic_slice(x, (i, j), (2, 3))

    for f, args in ((write, (x, u, i, j)), (read, (x, i, j))):
        want = onp.stack([f(*(a[k] for a in args)) for k in range(3)])
        onp.testing.assert_array_equal(fad.vmap(f)(*args), want)
        onp.testing.assert_array_equal(fad.jit(fad.vmap(f))(*args), want)

    def energy(x, u, i):
        return fnp.sum(lax.dynamic_update_slice(x, u, (i, 1)) ** 2)

    gx, gu = fad.vmap(fad.grad(energy, argnums=(0, 1)))(x, u, i)
    for k in range(3):
        lx, lu = fad.grad(energy, argnums=(0, 1))(x[k], u[k], i[k])
        onp.testing.assert_array_equal(gx[k], lx)
        onp.testing.assert_array_equal(gu[k], lu)
