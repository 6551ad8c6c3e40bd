"""fad.test_util itself: check_grads passes on correct derivatives and raises on primitives
with a deliberately wrong forward or reverse rule, at first and at second order; check_vmap
likewise for batching rules."""

import numpy as np
import pytest

import fad.numpy as fnp
from fad._core import bind
from fad._rules import batch_elementwise, elementwise
from fad.test_util import check_grads, check_jvp, check_vjp, check_vmap, numerical_jvp

X = np.array([0.3, -0.8, 1.4])


# ------------------------------------------------------------------- correct functions


@pytest.mark.parametrize(
    "f, args",
    [
        (lambda x: fnp.sin(x) * fnp.exp(x), (X,)),
        (lambda x, y: fnp.tanh(x @ y), (np.ones((2, 3)) * 0.3, X)),
        (lambda x: fnp.sum(x**3) / fnp.mean(fnp.exp(x)), (X,)),
        (lambda p: {"a": p["w"] * p["b"], "b": (fnp.cos(p["w"]),)}, ({"w": X, "b": 0.5},)),
        (lambda x, n: x * n, (X, 3)),  # integer argument: float0 tangent and cotangent
    ],
)
@pytest.mark.parametrize("modes", [("fwd", "rev"), ("fwd",), ("rev",)])
def test_passes_on_correct_functions(f, args, modes):
    check_grads(f, args, order=2, modes=modes)


def test_third_order():
    check_grads(lambda x: fnp.sin(x) * x**2, (X,), order=3)


def test_numerical_jvp_matches_analytic():
    t = np.array([1.0, 0.0, -1.0])
    np.testing.assert_allclose(numerical_jvp(fnp.sin, (X,), (t,)), np.cos(X) * t, rtol=1e-7)


def test_bad_modes():
    with pytest.raises(ValueError, match="modes"):
        check_grads(fnp.sin, (X,), modes=("sideways",))


def test_mode_as_string():
    check_grads(fnp.sin, (X,), order=1, modes="rev")


def test_seed_none_draws_from_numpys_global_random_state():
    np.random.seed(5)
    check_vjp(fnp.sin, (X,), seed=None)  # a tangent of x's shape, then a cotangent of the output's
    after = np.random.randn()
    np.random.seed(5)
    np.random.standard_normal(3), np.random.standard_normal(3)
    assert after == np.random.randn()
    np.random.seed(5)
    first = np.random.randn()
    np.random.seed(5)
    check_grads(fnp.sin, (X,), order=2)  # an int seed leaves the global state alone
    assert np.random.randn() == first
    check_grads(fnp.sin, (X,), order=2, seed=None)


# ------------------------------------------------ throwaway primitives with wrong rules


def _sin_with(make, name, jvp_partial=None, vjp_partial=None):
    """A sine primitive whose forward / reverse rules come from the given partials
    (the correct ``cos`` where not given)."""
    good = lambda ans, x: fnp.cos(x)
    p = make(name, np.sin)
    fwd = make(name + "_fwdsrc", np.sin)
    rev = make(name + "_revsrc", np.sin)
    elementwise(fwd, jvp_partial or good)
    elementwise(rev, vjp_partial or good)

    def jvp(primals, tangents):
        _, t = fwd.jvp(primals, tangents)
        return bind(p, *primals), t

    def vjp(ct, ans, primals, wants):
        return rev.vjp(ct, ans, primals, wants)

    p.jvp, p.vjp, p.batch = jvp, vjp, batch_elementwise(p)
    return lambda x: bind(p, x)


def test_sanity_of_the_construction(throwaway_primitive):
    f = _sin_with(throwaway_primitive, "sin_ok")
    check_grads(f, (X,), order=2)


@pytest.mark.parametrize("modes", [("fwd", "rev"), ("fwd",)])
def test_raises_on_wrong_jvp_first_order(throwaway_primitive, modes):
    f = _sin_with(throwaway_primitive, "sin_badjvp", jvp_partial=lambda ans, x: 1.1 * fnp.cos(x))
    with pytest.raises(AssertionError, match="jvp vs finite differences"):
        check_grads(f, (X,), order=1, modes=modes)
    with pytest.raises(AssertionError):
        check_jvp(f, (X,))


@pytest.mark.parametrize("modes", [("fwd", "rev"), ("rev",)])
def test_raises_on_wrong_vjp_first_order(throwaway_primitive, modes):
    f = _sin_with(throwaway_primitive, "sin_badvjp", vjp_partial=lambda ans, x: -fnp.cos(x))
    check_jvp(f, (X,))  # forward mode is right
    with pytest.raises(AssertionError, match="adjoint identity"):
        check_grads(f, (X,), order=1, modes=modes)
    with pytest.raises(AssertionError, match="adjoint identity"):
        check_vjp(f, (X,), use_jvp=False)  # against finite differences


def test_raises_on_vjp_with_a_transposed_rule(throwaway_primitive):
    """A reverse rule that forgets to transpose a matrix: caught by the adjoint identity."""
    A = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0], [0.0, 1.0, 1.0]])
    p = throwaway_primitive("matvec_bad", lambda x: A @ x)
    p.jvp = lambda primals, tangents: (bind(p, *primals), bind(p, tangents[0]))
    p.vjp = lambda ct, ans, primals, wants: (bind(p, ct),)  # should be A.T @ ct
    f = lambda x: bind(p, x)
    check_jvp(f, (X,))
    with pytest.raises(AssertionError, match="adjoint identity"):
        check_grads(f, (X,), order=1)


def _cos_with_wrong_derivative(make, name, which):
    """cos with the right value but a derivative of the wrong sign in ``which`` rule."""
    c = make(name, np.cos)
    good = make(name + "_good", np.cos)
    elementwise(good, lambda ans, x: -fnp.sin(x))
    bad = make(name + "_bad", np.cos)
    elementwise(bad, lambda ans, x: fnp.sin(x))
    src_jvp = bad if which == "jvp" else good
    src_vjp = bad if which == "vjp" else good
    c.jvp = lambda primals, tangents: (bind(c, *primals), src_jvp.jvp(primals, tangents)[1])
    c.vjp = lambda ct, ans, primals, wants: src_vjp.vjp(ct, ans, primals, wants)
    c.batch = batch_elementwise(c)
    return lambda x: bind(c, x)


@pytest.mark.parametrize(
    "which, modes", [("jvp", ("fwd",)), ("jvp", ("fwd", "rev")), ("vjp", ("rev",)), ("vjp", ("fwd", "rev"))]
)
def test_raises_on_wrong_second_order_rule(throwaway_primitive, which, modes):
    """sin whose rules are right to first order but use a cos whose own derivative rule is
    wrong: only a second-order check can see it."""
    cos_bad = _cos_with_wrong_derivative(throwaway_primitive, f"cos_bad_{which}", which)
    f = _sin_with(
        throwaway_primitive,
        f"sin_2nd_{which}",
        jvp_partial=lambda ans, x: cos_bad(x),
        vjp_partial=lambda ans, x: cos_bad(x),
    )
    check_grads(f, (X,), order=1, modes=modes)  # first order: all correct
    with pytest.raises(AssertionError):
        check_grads(f, (X,), order=2, modes=modes)


def test_wrong_rule_inside_a_composite_is_caught(throwaway_primitive):
    f0 = _sin_with(throwaway_primitive, "sin_badjvp_comp", jvp_partial=lambda ans, x: 0.9 * fnp.cos(x))
    f = lambda x, y: fnp.sum(f0(x * y) ** 2) + fnp.mean(y)
    with pytest.raises(AssertionError):
        check_grads(f, (X, X[::-1].copy()), order=1)


# --------------------------------------------------------------------------- check_vmap


def test_check_vmap_passes_and_catches_a_wrong_batch_rule(throwaway_primitive):
    check_vmap(lambda x, y: fnp.sin(x) * y, (np.ones((4, 3)), X), in_axes=(0, None))
    p = throwaway_primitive("bad_batch", np.cumsum)
    p.batch = lambda vals, bdims: (bind(p, vals[0]), 0)  # cumsum over everything: wrong
    with pytest.raises(AssertionError, match="vmap vs loop"):
        check_vmap(lambda x: bind(p, x), (np.arange(6.0).reshape(2, 3),))


def test_numerical_jvp_on_pytrees_and_mismatched_structures():
    args = ({"a": X, "b": (X[:2], 2.0)},)
    t = ({"a": np.ones(3), "b": (np.zeros(2), 1.0)},)
    got = numerical_jvp(lambda d: fnp.sum(fnp.sin(d["a"])) * d["b"][1] + fnp.sum(d["b"][0]), args, t)
    np.testing.assert_allclose(got, 2.0 * np.sum(np.cos(X)) + np.sum(np.sin(X)), rtol=1e-7)
    with pytest.raises(ValueError, match="tree structures differ"):  # (tree_map's message)
        numerical_jvp(fnp.sin, (X,), [np.ones(3)])
