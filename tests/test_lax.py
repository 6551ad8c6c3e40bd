"""fad.lax control flow under grad, jvp, vjp, vmap and second-order nesting."""

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad import lax
from fad.test_util import check_grads

X = onp.array([0.5, 3.0, 10.0])


def halve(x):
    return lax.while_loop(lambda v: v > 1.0, lambda v: v / 2 * np.cos(v * 0.01), x)


def test_while_loop_all_transforms():
    expected = onp.array([halve(v) for v in X])
    onp.testing.assert_allclose(fad.vmap(halve)(X), expected)
    per = onp.array([fad.grad(halve)(v) for v in X])
    onp.testing.assert_allclose(fad.vmap(fad.grad(halve))(X), per)
    onp.testing.assert_allclose(fad.grad(lambda x: fad.vmap(halve)(x).sum())(X), per)
    onp.testing.assert_allclose(fad.jacfwd(fad.vmap(halve))(X), onp.diag(per))
    onp.testing.assert_allclose(fad.jacrev(fad.vmap(halve))(X), onp.diag(per))
    check_grads(fad.vmap(halve), (X,), order=2)
    check_grads(halve, (3.0,), order=3)


def test_while_loop_reverse_mode_counts_iterations():
    # x * 2 until > 100: the number of doublings depends on x; reverse mode follows them
    f = lambda x: lax.while_loop(lambda v: v < 100.0, lambda v: v * 2.0, x)  # noqa: E731
    assert f(3.0) == 192.0
    assert fad.grad(f)(3.0) == 64.0
    onp.testing.assert_allclose(fad.vmap(fad.grad(f))(onp.array([3.0, 60.0])), [64.0, 2.0])


def test_cond_and_select():
    g = lambda x: lax.cond(x.sum() > 1, lambda v: np.sin(v), lambda v: v**2, x)  # noqa: E731
    xs = onp.stack([X, X / 100])
    out = fad.vmap(fad.grad(lambda v: g(v).sum()))(xs)
    onp.testing.assert_allclose(out, onp.stack([onp.cos(X), 2 * X / 100]))
    assert fad.grad(lambda x: lax.cond(x > 0, lambda v: v**2, lambda v: -v, x))(3.0) == 6.0
    check_grads(lambda x: fad.vmap(lambda v: lax.cond(v > 1, np.sin, np.cos, v))(x), (X,), order=2)
    onp.testing.assert_allclose(lax.select(X > 1, X, -X), onp.where(X > 1, X, -X))


def test_cond_branch_structure_mismatch_is_an_error():
    with pytest.raises(TypeError, match="same pytree structure"):
        fad.vmap(lambda v: lax.cond(v > 1, lambda a: (a, a), lambda a: a, v))(X)


def test_switch():
    branches = [lambda v: -v, lambda v: v**2, lambda v: np.sin(v)]

    def h(x):
        idx = (x > 0).astype(int) + (x > 2).astype(int)
        return lax.switch(idx, branches, x)

    xs = onp.array([-1.0, 1.0, 3.0])
    onp.testing.assert_allclose(fad.vmap(fad.grad(h))(xs), [-1.0, 2.0, onp.cos(3.0)])
    assert lax.switch(7, branches, 2.0) == onp.sin(2.0)  # clamped, as JAX
    assert lax.switch(-3, branches, 2.0) == -2.0


def test_fori_loop_scan_map():
    assert fad.grad(lambda x: lax.fori_loop(0, 3, lambda i, v: v * x, 1.0))(2.0) == 12.0
    xs = onp.array([1.0, 2.0, 3.0])
    onp.testing.assert_allclose(
        fad.grad(lambda x: lax.scan(lambda c, xi: (c * xi, c), 1.0, x)[0])(xs), [6, 3, 2]
    )
    carry, ys = fad.vmap(lambda x: lax.scan(lambda c, xi: (c + xi, c * xi), 0.0, x))(onp.ones((2, 3)))
    onp.testing.assert_allclose(carry, [3.0, 3.0])
    onp.testing.assert_allclose(ys, [[0, 1, 2], [0, 1, 2]])
    _, rev = lax.scan(lambda c, xi: (c + xi, c), 0.0, xs, reverse=True)
    onp.testing.assert_allclose(rev, [5.0, 3.0, 0.0])
    check_grads(lambda x: lax.scan(lambda c, xi: (np.sin(c) * xi, c), 1.0, x)[1], (xs,), order=2)
    onp.testing.assert_allclose(lax.map(lambda v: v.sum(), onp.ones((3, 2))), [2.0, 2.0, 2.0])
    onp.testing.assert_allclose(fad.jacfwd(lambda x: lax.map(np.sin, x))(xs), onp.diag(onp.cos(xs)))


def test_under_jit_staged_bounds_are_staged():
    f = lambda x, n: lax.fori_loop(0, n, lambda i, v: v * 2, x)  # noqa: E731
    assert fad.jit(f)(1.0, 3) == 8.0
    assert fad.jit(f)(1.0, 5) == 32.0
    assert fad.jit(f, static_argnums=1)(1.0, 3) == 8.0
    assert fad.jit(lambda x: lax.switch(1, [lambda v: v, lambda v: 2 * v], x))(3.0) == 6.0


@pytest.mark.parametrize("batched", [False, True])
def test_under_jit_a_value_dependent_loop_is_staged(batched):
    def doubling(x):  # the trip count depends on x's value
        return lax.while_loop(lambda v: v.sum() < 100.0, lambda v: v * 2.0, x)

    f = fad.vmap(doubling) if batched else doubling
    x = onp.ones((2, 3)) if batched else onp.ones(3)
    onp.testing.assert_allclose(fad.jit(f)(x), 64 * x)
    onp.testing.assert_allclose(fad.jit(f)(3 * x), 48 * x)
    onp.testing.assert_allclose(f(x), 64 * x)
    g = lambda x: lax.fori_loop(0, x.sum().astype(int), lambda i, v: v * 2, x)  # noqa: E731
    onp.testing.assert_allclose(fad.jit(g)(onp.ones(3)), 8 * onp.ones(3))


def test_switch_with_a_staged_index_under_jit():
    j = fad.jit(lambda k, x: lax.switch(k, [lambda v: v, lambda v: 2 * v, lambda v: 3 * v], x))
    assert [j(k, 3.0) for k in (0, 1, 2, 7, -1)] == [3.0, 6.0, 9.0, 9.0, 3.0]
