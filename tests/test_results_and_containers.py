"""Regressions from real use: containers where arrays are meant, results the caller owns,
and error messages that name what the user returned (not fad's internals)."""

from collections import namedtuple

import numpy as np
import pytest

import fad
import fad.numpy as fnp

Pair = namedtuple("Pair", "a b")


# ------------------------------------------------------------- stop_gradient on pytrees


def test_stop_gradient_cuts_every_leaf_of_a_dict():
    # was 6.0: the dict went through the primitive untouched, tracers and all
    assert fad.grad(lambda p: fad.stop_gradient(p)["a"] * p["a"])({"a": 3.0})["a"] == 3.0


@pytest.mark.parametrize(
    "wrap, get",
    [
        (lambda x: (x,), lambda t: t[0]),
        (lambda x: [x, x], lambda t: t[1]),
        (lambda x: Pair(x, 1.0), lambda t: t.a),
        (lambda x: {"w": {"v": x}}, lambda t: t["w"]["v"]),
    ],
)
def test_stop_gradient_maps_over_containers_under_every_transform(wrap, get):
    f = lambda x: get(fad.stop_gradient(wrap(x))) * x  # noqa: E731 - d/dx = stop(x)
    x = np.array([0.5, -2.0])
    np.testing.assert_allclose(fad.grad(lambda x: fnp.sum(f(x)))(x), x)
    np.testing.assert_allclose(fad.jvp(f, (x,), (np.ones(2),))[1], x)
    np.testing.assert_allclose(fad.jacfwd(f)(x), np.diag(x))
    np.testing.assert_allclose(fad.jacrev(f)(x), np.diag(x))
    np.testing.assert_allclose(fad.hessian(lambda x: fnp.sum(f(x) * x))(x), 2 * np.diag(x))
    np.testing.assert_allclose(fad.vmap(fad.grad(lambda s: f(s)))(x), x)


def test_stop_gradient_keeps_the_structure_and_refuses_non_numbers():
    out = fad.stop_gradient({"a": np.ones(2), "b": (1.0, np.zeros(3))})
    assert set(out) == {"a", "b"} and isinstance(out["b"], tuple)
    np.testing.assert_array_equal(out["b"][1], np.zeros(3))
    with pytest.raises(TypeError, match="stop_gradient.*str"):
        fad.stop_gradient({"a": "text"})


# ---------------------------------------------------------- results the caller owns


def _writable_and_fresh(x, *others):
    assert type(x) is np.ndarray, type(x)
    assert x.flags.writeable
    for o in others:
        assert not np.shares_memory(x, o)


W = np.array([1.0, -2.0, 0.5])


def test_gradient_of_a_sum_is_writable():
    # was a read-only broadcast of the seed, so g *= lr failed on some functions only
    g = fad.grad(lambda v: fnp.sum(v))(W)
    _writable_and_fresh(g, W)
    g *= 0.1
    np.testing.assert_allclose(fad.grad(lambda v: fnp.sum(v))(W), np.ones(3))


def test_every_transform_hands_out_writable_arrays():
    const = lambda v: fnp.ones(2) + 0.0 * fnp.sum(v)  # noqa: E731 - no dependence on the batch
    results = [
        fad.vmap(lambda v: fnp.ones(2))(W),  # an output that does not vary over the batch
        fad.vmap(const)(np.ones((4, 3))),
        fad.linearize(lambda v: fnp.ones(2), W)[1](W),  # a zero tangent
        fad.jvp(lambda v: fnp.ones(2), (W,), (W,))[1],
        fad.jacrev(lambda v: v)(W),
        fad.jacfwd(lambda v: v)(W),
        fad.jacrev(lambda v: fnp.sum(v))(W),
        fad.hessian(lambda v: fnp.sum(v**2))(W),
        fad.value_and_grad(lambda v: fnp.sum(v))(W)[1],
        fad.vjp(lambda v: fnp.sum(v), W)[1](1.0)[0],
        fad.jet(lambda v: v * 0 + 1, (W,), ([W, W],))[1][0],
    ]
    for r in results:
        _writable_and_fresh(r, W)


def test_derivatives_never_alias_what_the_caller_passed_in():
    t = np.array([1.0, 2.0, 3.0])
    _, tangent = fad.jvp(lambda v: v, (W,), (t,))
    _writable_and_fresh(tangent, t, W)
    ct = np.array([4.0, 5.0, 6.0])
    (g,) = fad.vjp(lambda v: v, W)[1](ct)
    _writable_and_fresh(g, ct)
    g *= 0
    np.testing.assert_array_equal(ct, [4.0, 5.0, 6.0])
    # two cotangents that are the same array inside fad are two arrays outside
    ga, gb = fad.vjp(lambda a, b: a + b, W, W)[1](ct)
    _writable_and_fresh(ga, gb, ct)
    ga, gb = fad.grad(lambda a, b: fnp.sum(a + b), argnums=(0, 1))(W, W)
    _writable_and_fresh(ga, gb)


# ------------------------------------------------------------------- clear messages


def test_has_aux_with_a_scalar_return_names_what_was_returned():
    # was: "... but it returned VJPTracer"
    for t in (fad.grad, fad.value_and_grad, fad.jacrev, fad.jacfwd):
        with pytest.raises(TypeError, match=r"returned an array of shape \(\) and dtype float64") as e:
            t(lambda x: x**2, has_aux=True)(1.0)
        assert "Tracer" not in str(e.value)
    with pytest.raises(TypeError, match="returned a tuple of length 3"):
        fad.grad(lambda x: (x, x, x), has_aux=True)(1.0)


def test_results_are_not_views_of_the_inputs():
    # a vmap of a reshape handed out a view of the caller's batch: mutating the result
    # changed the input (and every later call)
    batch = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = fad.vmap(lambda v: fnp.reshape(v, (2, 1)))(batch)
    _writable_and_fresh(out, batch)
    y, _ = fad.jvp(lambda v: v[::-1], (W,), (W,))
    _writable_and_fresh(y, W)
    val, g = fad.value_and_grad(lambda v: fnp.sum(v), has_aux=False)(W)
    y, pull = fad.vjp(lambda v: fnp.reshape(v, (3, 1)), W)
    _writable_and_fresh(y, W)
    (c,) = pull(np.ones((3, 1)))
    _writable_and_fresh(c, W)
