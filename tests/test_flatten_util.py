"""fad.flatten_util.ravel_pytree: jax.flatten_util's semantics, and derivatives through both directions."""

import collections

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad.flatten_util import ravel_pytree
from fad.test_util import check_grads

Point = collections.namedtuple("Point", "x y")


def tree():
    a = (onp.arange(6.0).reshape(2, 3), 7.0)
    return {"b": onp.array([1.0, 2.0]), "a": a, "c": Point(onp.ones(1), [8.0])}


def test_order_and_round_trip():
    t = tree()
    flat, unravel = ravel_pytree(t)
    # tree_flatten order: dict keys sorted, then each leaf raveled in C order
    expected = onp.concatenate([onp.arange(6.0), [7.0], [1.0, 2.0], [1.0], [8.0]])
    onp.testing.assert_array_equal(flat, expected)
    assert flat.dtype == onp.float64 and flat.ndim == 1
    back = unravel(flat)
    assert fad.tree_util.tree_structure(back) == fad.tree_util.tree_structure(t)
    for x, y in zip(fad.tree_util.tree_leaves(back), fad.tree_util.tree_leaves(t), strict=True):
        onp.testing.assert_array_equal(x, y)
        assert onp.shape(x) == onp.shape(y)
    onp.testing.assert_array_equal(unravel(flat * 2)["b"], [2.0, 4.0])


def test_empty_and_scalar():
    flat, unravel = ravel_pytree(())
    assert flat.shape == (0,) and unravel(flat) == ()
    flat, unravel = ravel_pytree(3.0)
    onp.testing.assert_array_equal(flat, [3.0])
    assert onp.shape(unravel(flat)) == ()


def test_one_dtype_gives_a_dtype_polymorphic_unravel():
    flat, unravel = ravel_pytree([onp.ones(2, onp.float32), onp.zeros(1, onp.float32)])
    assert flat.dtype == onp.float32
    out = unravel(onp.ones(3, onp.float64))  # as JAX: the leaves take the vector's dtype
    assert out[0].dtype == onp.float64


def test_mixed_dtypes_promote_and_cast_back():
    t = {"i": onp.arange(3), "f": onp.ones(2, onp.float32), "c": onp.array([1 + 2j])}
    flat, unravel = ravel_pytree(t)
    assert flat.dtype == onp.result_type(onp.int64, onp.float32, onp.complex128)
    back = unravel(flat)
    assert {k: v.dtype for k, v in back.items()} == {k: v.dtype for k, v in t.items()}
    onp.testing.assert_array_equal(back["c"], t["c"])
    with pytest.raises(TypeError, match="expected dtype complex128"):
        unravel(onp.ones(6))


def test_wrong_shape_refused():
    _, unravel = ravel_pytree([onp.ones(2), onp.ones(3)])
    with pytest.raises(ValueError, match=r"expected an array of shape \(5,\), got shape \(4,\)"):
        unravel(onp.ones(4))
    with pytest.raises(ValueError, match="got shape"):
        unravel(onp.ones((5, 1)))


def test_derivatives_through_ravel():
    def f(a, b):
        flat, _ = ravel_pytree({"a": a, "b": b})
        return fnp.sum(fnp.sin(flat) * fnp.arange(1.0, 6.0))

    a, b = onp.array([0.1, 0.2]), onp.array([[0.3, 0.4, 0.5]])
    check_grads(f, (a, b), order=2)
    ga, gb = fad.grad(f, argnums=(0, 1))(a, b)
    expected = onp.cos([0.1, 0.2, 0.3, 0.4, 0.5]) * onp.arange(1, 6)
    onp.testing.assert_allclose(onp.concatenate([ga, gb.ravel()]), expected)


def test_derivatives_through_unravel():
    _, unravel = ravel_pytree({"w": onp.ones((2, 2)), "b": onp.ones(2)})

    def loss(v):
        p = unravel(v)
        return fnp.sum(fnp.tanh(p["w"] @ p["b"]) ** 2)

    v = onp.linspace(-1.0, 1.0, 6)
    check_grads(loss, (v,), order=2)
    h = fad.hessian(loss)(v)
    assert h.shape == (6, 6)


def test_mixed_dtype_unravel_is_differentiable():
    _, unravel = ravel_pytree([onp.ones(2, onp.float32), onp.ones(1)])
    g = fad.grad(lambda v: fnp.sum(unravel(v)[0] ** 2) + fnp.sum(unravel(v)[1]))(onp.array([1.0, 2.0, 3.0]))
    onp.testing.assert_allclose(g, [2.0, 4.0, 1.0])


def test_vmap_and_jit():
    _, unravel = ravel_pytree((onp.ones(2), onp.ones(())))
    vs = onp.arange(6.0).reshape(2, 3)
    a, b = fad.vmap(unravel)(vs)
    onp.testing.assert_array_equal(a, [[0.0, 1.0], [3.0, 4.0]])
    onp.testing.assert_array_equal(b, [2.0, 5.0])
    rav = fad.jit(lambda t: ravel_pytree(t)[0])
    onp.testing.assert_array_equal(rav((onp.ones(2), 3.0)), [1.0, 1.0, 3.0])
    pairs = fad.vmap(lambda x, y: ravel_pytree((x, y))[0])(vs, vs[:, 0])
    onp.testing.assert_array_equal(pairs, onp.c_[vs, vs[:, 0]])
