"""Batched control flow is exactly per-example: ``vmap(f)(X)[i] == f(X[i])`` for values and
every derivative, for cond, switch and while_loop, in every nesting order, even where the
branch an example does not take has an infinite or NaN derivative at that example."""

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import fad
import fad.numpy as np
from fad import lax
from fad.test_util import check_grads


def loop(fn, xs):
    return onp.stack([onp.asarray(fn(x)) for x in xs])


def same(actual, expected):
    onp.testing.assert_allclose(
        onp.asarray(actual), onp.asarray(expected), rtol=1e-12, atol=0, equal_nan=True
    )


def check_per_example(f, xs):
    """Every derivative of vmap(f) equals the per-example derivative of f, in every order."""
    xs = onp.asarray(xs, dtype=float)
    same(fad.vmap(f)(xs), loop(f, xs))
    per = loop(fad.grad(f), xs)
    assert onp.isfinite(per).all()  # the reproducers below gave NaN here
    same(fad.vmap(fad.grad(f))(xs), per)
    same(fad.grad(lambda x: fad.vmap(f)(x).sum())(xs), per)
    same(fad.jacrev(fad.vmap(f))(xs), onp.diag(per))
    same(fad.jacfwd(fad.vmap(f))(xs), onp.diag(per))
    same(fad.vmap(fad.jacfwd(f))(xs), per)
    same(fad.vmap(fad.hessian(f))(xs), loop(fad.hessian(f), xs))
    same(fad.vmap(lambda x: fad.jvp(f, (x,), (2.0,))[1])(xs), 2 * per)
    same(fad.vmap(lambda x: fad.grad(fad.grad(f))(x))(xs), loop(fad.grad(fad.grad(f)), xs))
    grid = onp.stack([xs, xs[::-1]])
    same(fad.vmap(fad.vmap(fad.grad(f)))(grid), onp.stack([loop(fad.grad(f), row) for row in grid]))
    same(
        fad.jacrev(fad.vmap(fad.vmap(f)))(grid).reshape(grid.size, grid.size),
        onp.diag(loop(fad.grad(f), grid.ravel())),
    )
    return per


X = onp.array([-1.0, 4.0, 0.5, -2.5])


def sqrt_or_identity(x):  # the issue's reproducer
    return lax.cond(x > 0, lambda v: np.sqrt(v), lambda v: v, x)


def test_issue_reproducer_cond():
    same(fad.vmap(fad.grad(sqrt_or_identity))(onp.array([-1.0, 4.0])), [1.0, 0.25])
    same(fad.jacrev(fad.vmap(sqrt_or_identity))(onp.array([-1.0, 4.0])), [[1.0, 0.0], [0.0, 0.25]])
    check_per_example(sqrt_or_identity, X)


def test_cond_with_closures_over_traced_values():
    check_per_example(lambda x: lax.cond(x > 0, lambda _: np.sqrt(x), lambda _: x, None), X)

    # a closure over a value of an enclosing grad that is not the vmapped argument
    def f(x):
        def inner(w):
            return lax.cond(x > 0, lambda v: np.log(v * w), lambda v: v * w**2, x)

        return fad.grad(inner)(1.5) + inner(2.0)

    check_per_example(f, X)

    # a helper closure that itself closes over the traced value
    def g(x):
        def helper(v):
            return np.log(v) * x

        return lax.cond(x > 0, lambda v: helper(v), lambda v: v * x, x)

    check_per_example(g, X)


def test_cond_pytree_operands_and_outputs():
    def f(x):
        out = lax.cond(
            x > 0,
            lambda a, b: {"s": np.sqrt(a) * b[0], "t": b[1]},
            lambda a, b: {"s": a, "t": a},
            x,
            (x, 1.0),
        )
        return out["s"] + out["t"]

    check_per_example(f, X)


def test_cond_constant_branches():
    f = lambda x: x * lax.cond(x > 0, lambda: 2.0, lambda: 3.0)  # noqa: E731
    check_per_example(f, X)


def test_switch_per_example():
    branches = [lambda v: -np.log(-v), lambda v: np.sqrt(1.0 - v * v), lambda v: 1.0 / v]

    def h(x):
        return lax.switch((x > -0.9).astype(int) + (x > 0.9).astype(int), branches, x)

    check_per_example(h, onp.array([-2.0, 0.5, 3.0, -0.2, 1.5]))


def while_sqrt(x):  # once finished (v <= 2), one more body step would leave sqrt's domain
    return lax.while_loop(lambda v: v > 2.0, lambda v: np.sqrt(v - 1.0) * 1.5, x)


def test_while_loop_per_example():
    xs = onp.array([0.5, 3.0, 10.0, 1.0])
    per = check_per_example(while_sqrt, xs)
    assert per[0] == 1.0 and per[3] == 1.0  # finished at once: the identity


def test_while_loop_with_a_closure_and_a_pytree_carry():
    def f(x):
        def body(c):
            v, n = c
            return np.log(v) * x, n + 1

        v, n = lax.while_loop(lambda c: (c[0] > 1.0) & (c[1] < 4), body, (x + 2.0, 0))
        return v + n

    check_per_example(f, onp.array([0.5, 3.0, -1.5, 20.0]))


def test_vmap_of_vmap_with_a_predicate_on_both_axes():
    f = lambda a, b: lax.cond(a * b > 0, lambda v: np.sqrt(v * b), lambda v: v * b, a)  # noqa: E731
    aa, bb = onp.array([-1.0, 4.0, 2.0]), onp.array([1.0, -1.0, 0.5, 3.0])
    ga = fad.grad(f)
    want = onp.array([[ga(a, b) for b in bb] for a in aa])
    same(fad.vmap(fad.vmap(ga, in_axes=(None, 0)), in_axes=(0, None))(aa, bb), want)
    same(fad.vmap(fad.vmap(ga, in_axes=(0, None)), in_axes=(None, 0))(aa, bb), want.T)
    grid_f = fad.vmap(fad.vmap(f, in_axes=(None, 0)), in_axes=(0, None))
    same(fad.grad(lambda a: grid_f(a, bb).sum())(aa), want.sum(1))
    # a predicate batched only by the outer vmap
    g = lambda a, b: lax.cond(a > 0, lambda v: np.sqrt(v) * b, lambda v: v * b, a)  # noqa: E731
    gg = fad.grad(g)
    same(
        fad.vmap(fad.vmap(gg, in_axes=(None, 0)), in_axes=(0, None))(aa, bb),
        onp.array([[gg(a, b) for b in bb] for a in aa]),
    )


def test_nested_batched_conds():
    def f(x):
        return lax.cond(x > 0, lambda v: lax.cond(v > 2, np.log, np.sqrt, v), lambda v: -np.log(-v), x)

    check_per_example(f, onp.array([-1.0, 4.0, 1.0, -0.5, 3.0]))


def test_check_grads_second_order():
    check_grads(fad.vmap(sqrt_or_identity), (X,), order=2)
    check_grads(fad.vmap(while_sqrt), (onp.array([0.5, 3.0, 10.0]),), order=2)


def test_only_the_taken_branch_runs_on_each_example():
    seen = []

    def spy(v):
        seen.append(v.shape)
        return v

    fad.vmap(lambda x: lax.cond(x > 0, spy, lambda v: -v, x))(onp.array([1.0, -1.0, 2.0, -3.0, -4.0]))
    assert seen == [()]  # one call, on the 2 positive examples (per-example shape ())
    calls = []
    fad.vmap(lambda x: lax.cond(x > 0, lambda v: calls.append(1) or v, lambda v: -v, x))(
        onp.array([1.0, 2.0])
    )
    assert calls == [1]  # every example agrees: one plain call


def test_under_jit_values_match_eager():
    xs = onp.array([-1.0, 4.0, 0.5])
    f = lambda x: lax.cond(x > 0, lambda v: v**2, lambda v: np.sin(v), x)  # noqa: E731
    same(fad.jit(fad.vmap(f))(xs), fad.vmap(f)(xs))
    same(fad.jit(fad.vmap(fad.grad(f)))(xs), fad.vmap(fad.grad(f))(xs))
    same(fad.vmap(fad.jit(f))(xs), fad.vmap(f)(xs))
    same(fad.jit(fad.vmap(sqrt_or_identity))(onp.array([-1.0, 4.0])), [-1.0, 2.0])


def test_concrete_predicates_stay_python_branches():
    calls = []
    f = lambda x: lax.cond(x > 0, lambda v: calls.append("t") or v, lambda v: calls.append("f") or -v, x)  # noqa: E731
    assert fad.grad(f)(2.0) == 1.0 and calls == ["t"]


# ------------------------------------------------------------------------------ errors


def both(a, b):
    return f"(?s)(?=.*{a})(?=.*{b})"


def test_branches_of_different_shapes_or_dtypes_are_a_type_error():
    with pytest.raises(
        TypeError, match=both(r"false_fun returned float64\[2\]", r"true_fun returned float64\[\]")
    ):
        fad.vmap(lambda v: lax.cond(v > 1, lambda a: a, lambda a: np.stack([a, a]), v))(X)
    with pytest.raises(
        TypeError, match=both(r"true_fun returned float64\[\]", r"false_fun returned float32\[\]")
    ):
        fad.vmap(lambda v: lax.cond(v > 1, lambda a: a, lambda a: a.astype("float32"), v))(X)
    with pytest.raises(TypeError, match="same pytree structure"):
        fad.vmap(lambda v: lax.cond(v > 1, lambda a: (a, a), lambda a: a, v))(X)
    with pytest.raises(TypeError, match=r"branches\[0\] returned"):
        fad.vmap(lambda v: lax.switch((v > 1).astype(int), [lambda a: a[None], lambda a: a], v))(X)
    with pytest.raises(TypeError, match="true_fun returned float64.*false_fun returned float32"):
        fad.jit(lambda v: lax.cond(v > 1, lambda a: a, lambda a: a.astype("float32"), v))(2.0)


def test_non_scalar_predicates_are_a_type_error():
    with pytest.raises(
        TypeError, match=r"cond_fun result must be a boolean scalar, got an array of shape \(3,\)"
    ):
        lax.while_loop(lambda v: v > 0, lambda v: v - 1, onp.ones(3))
    with pytest.raises(TypeError, match=r"cond_fun result must be a boolean scalar.*\(3,\)"):
        fad.vmap(lambda v: lax.while_loop(lambda a: a > 1, lambda a: a, v))(onp.ones((2, 3)))
    with pytest.raises(TypeError, match="predicate must be a boolean scalar"):
        lax.cond(onp.array([True, False]), lambda: 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="predicate must be a boolean scalar"):
        fad.vmap(lambda v: lax.cond(v > 0, lambda: 1.0, lambda: 2.0))(onp.ones((2, 3)))


def test_fori_loop_needs_integer_bounds():
    with pytest.raises(TypeError, match=r"upper bound must be an integer, got 2.7.*int\(\.\.\.\)"):
        lax.fori_loop(0, 2.7, lambda i, v: v, 1.0)
    with pytest.raises(TypeError, match="lower bound must be an integer"):
        lax.fori_loop(onp.float64(0.0), 3, lambda i, v: v, 1.0)
    assert lax.fori_loop(onp.int32(0), 3, lambda i, v: v + i, 0) == 3


def test_scan_body_must_return_a_pair():
    with pytest.raises(TypeError, match=r"must return a pair \(carry, y\), got float64\[\]"):
        lax.scan(lambda c, x: c + x, 0.0, onp.ones(3))
    with pytest.raises(TypeError, match="must return a pair .* a tuple of length 3"):
        lax.scan(lambda c, x: (c, x, x), 0.0, onp.ones(3))


def test_loop_carries_keep_their_types():
    with pytest.raises(
        TypeError, match=r"body_fun changed the carry at leaf 0 from float64\[3\] to float64\[2\]"
    ):
        lax.while_loop(lambda v: v.sum() > 0, lambda v: (v - 1)[:2], onp.ones(3))
    with pytest.raises(TypeError, match=r"changed the carry at leaf 0 from float64\[\] to float32\[\]"):
        lax.scan(lambda c, x: (c.astype("float32"), x), onp.float64(0.0), onp.ones(3))
    with pytest.raises(TypeError, match="changed the carry's structure"):
        lax.scan(lambda c, x: ((c, c), x), 0.0, onp.ones(3))
    with pytest.raises(TypeError, match="body_fun changed the carry"):
        fad.vmap(lambda v: lax.while_loop(lambda a: a.sum() > 0, lambda a: a[:1] - 1, v))(onp.ones((2, 3)))
    with pytest.raises(TypeError, match="body_fun changed the carry"):
        lax.fori_loop(0, 2, lambda i, v: onp.float32(v), onp.float64(1.0))


# -------------------------------------------------------------------- property test

POSITIVE = [np.sqrt, np.log, lambda v: 1.0 / v, lambda v: v**1.5]  # defined (finite derivatives) for v > 0
ANY = [np.sin, lambda v: v * v, lambda v: 3.0 * v - 1.0, np.tanh]


@hs.composite
def programs(draw):
    kind = draw(hs.sampled_from(["cond", "cond_closure", "switch", "while"]))
    p = draw(hs.sampled_from(POSITIVE))
    q = draw(hs.sampled_from(POSITIVE))
    a = draw(hs.sampled_from(ANY))
    c = draw(hs.sampled_from([0.25, 0.5, 1.0]))
    if kind == "cond":
        return lambda x: lax.cond(x > c, p, a, x)
    if kind == "cond_closure":
        return lambda x: lax.cond(x > c, lambda _: p(x) * x, lambda _: a(x), None)
    if kind == "switch":
        return lambda x: lax.switch(
            (x > c).astype(int) + (x > 2.0).astype(int), [a, p, lambda v: q(v) + p(v)], x
        )

    def body(state):  # leaves the domain of p and q once the example is finished
        v, n = state
        return p(v) + q(v) - 2.5, n + 1

    return lambda x: lax.while_loop(lambda s: (s[0] > c) & (s[1] < 3), body, (x, 0))[0]


points = hs.lists(
    hs.floats(-3, 3).filter(lambda v: min(abs(v - t) for t in (0.0, 0.25, 0.5, 1.0, 2.0)) > 1e-3),
    min_size=2,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(programs(), points)
def test_random_programs_are_per_example(f, xs):
    xs = onp.asarray(xs)
    per = loop(fad.grad(f), xs)
    same(fad.vmap(f)(xs), loop(f, xs))
    same(fad.vmap(fad.grad(f))(xs), per)
    same(fad.jacrev(fad.vmap(f))(xs), onp.diag(per))
    same(fad.vmap(fad.jacfwd(f))(xs), per)
    same(fad.vmap(fad.hessian(f))(xs), loop(fad.hessian(f), xs))
