"""Functions that close over traced values: fad.checkpoint makes them inputs of its
primitive (and still recomputes rather than stores); the custom rules refuse what they
cannot differentiate, with an error naming the construct and the fix."""

import functools
import threading
import tracemalloc

import attrs
import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad.test_util import check_grads

H0 = onp.array([0.5, -0.3])
X = onp.array([0.3, -0.7, 1.1])
W = onp.array([0.8, -0.4, 1.3])


def loss(w):
    """The brief's reproducer: a layer that closes over its parameter, applied twice."""
    layer = fad.checkpoint(lambda h: np.tanh(w * h))
    return layer(layer(np.array(H0))).sum()


def loss_ref(w):
    layer = lambda h: np.tanh(w * h)  # noqa: E731 - the same function, not checkpointed
    return layer(layer(np.array(H0))).sum()


def test_reproducer_matches_jax():
    onp.testing.assert_allclose(fad.grad(loss)(0.8), 0.2132219906426643, rtol=1e-14)
    assert fad.remat is fad.checkpoint


def test_scalar_closure_every_transform():
    w = 0.8
    onp.testing.assert_allclose(fad.grad(loss)(w), fad.grad(loss_ref)(w), rtol=1e-14)
    onp.testing.assert_allclose(fad.jvp(loss, (w,), (1.0,)), fad.jvp(loss_ref, (w,), (1.0,)), rtol=1e-14)
    onp.testing.assert_allclose(fad.grad(fad.grad(loss))(w), fad.grad(fad.grad(loss_ref))(w), rtol=1e-13)
    onp.testing.assert_allclose(fad.hessian(loss)(w), fad.hessian(loss_ref)(w), rtol=1e-13)
    ws = onp.array([0.8, -0.2, 1.5])
    onp.testing.assert_allclose(fad.vmap(loss)(ws), [loss_ref(v) for v in ws], rtol=1e-14)
    onp.testing.assert_allclose(fad.vmap(fad.grad(loss))(ws), [fad.grad(loss_ref)(v) for v in ws], rtol=1e-13)
    onp.testing.assert_allclose(
        fad.grad(lambda v: fad.vmap(loss)(v).sum())(ws), fad.vmap(fad.grad(loss_ref))(ws), rtol=1e-13
    )
    check_grads(loss, (w,), order=2)


def mlp(params, x):
    """Two layers, each a checkpoint closing over its slice of the parameter dict."""
    l1 = fad.checkpoint(lambda h: np.tanh(params["a"] * h + params["b"]))
    l2 = fad.checkpoint(lambda h: np.sin(params["c"] @ h))
    return l2(l1(x))


def mlp_ref(params, x):
    return np.sin(params["c"] @ np.tanh(params["a"] * x + params["b"]))


P = {"a": onp.array([0.5, -1.2, 0.7]), "b": onp.array([0.1, 0.2, -0.3]), "c": onp.array([[0.3, -0.6, 0.9]])}


def test_dict_of_parameters_array_outputs():
    jf = fad.jacfwd(lambda a: mlp(dict(P, a=a), X))(P["a"])
    jr = fad.jacrev(lambda a: mlp(dict(P, a=a), X))(P["a"])
    onp.testing.assert_allclose(jf, jr, rtol=1e-13)
    onp.testing.assert_allclose(jr, fad.jacrev(lambda a: mlp_ref(dict(P, a=a), X))(P["a"]), rtol=1e-13)
    g = fad.grad(lambda p: mlp(p, X).sum())(P)
    g_ref = fad.grad(lambda p: mlp_ref(p, X).sum())(P)
    for k in P:
        onp.testing.assert_allclose(g[k], g_ref[k], rtol=1e-13)
    check_grads(lambda a, b: mlp({"a": a, "b": b, "c": P["c"]}, X), (P["a"], P["b"]), order=2)
    # per-example gradients: vmap over the data of a grad over the closed-over parameters
    xs = onp.stack([X, 2 * X, -X])
    per_ex = fad.vmap(lambda x: fad.grad(lambda p: mlp(p, x).sum())(P)["a"])(xs)
    loop = onp.stack([fad.grad(lambda p, x=x: mlp_ref(p, x).sum())(P)["a"] for x in xs])
    onp.testing.assert_allclose(per_ex, loop, rtol=1e-13)
    onp.testing.assert_allclose(
        fad.hessian(lambda a: mlp(dict(P, a=a), X).sum())(P["a"]),
        fad.hessian(lambda a: mlp_ref(dict(P, a=a), X).sum())(P["a"]),
        rtol=1e-12,
    )


def test_closure_over_array_and_vmapped_value():
    def f(w, x):
        # closes over a vmapped x and a differentiated w at once
        return fad.checkpoint(lambda h: np.sin(w * h) * x)(np.cos(x)).sum()

    def f_ref(w, x):
        return (np.sin(w * np.cos(x)) * x).sum()

    xs = onp.stack([X, X[::-1], 2 * X])
    got = fad.vmap(fad.grad(f), in_axes=(None, 0))(W, xs)
    loop = onp.stack([fad.grad(f_ref)(W, x) for x in xs])
    onp.testing.assert_allclose(got, loop, rtol=1e-13)
    onp.testing.assert_allclose(fad.jacfwd(f, 1)(W, X), fad.jacrev(f, 1)(W, X), rtol=1e-13)
    onp.testing.assert_allclose(
        fad.grad(fad.grad(lambda w: f(w, X) ** 2))(1.3),
        fad.grad(fad.grad(lambda w: f_ref(w, X) ** 2))(1.3),
        rtol=1e-12,
    )
    check_grads(f, (W, X), order=2)


def test_nested_checkpoints_and_transforms_inside():
    def f(w):
        inner = fad.checkpoint(lambda h: np.tanh(w * h))
        outer = fad.checkpoint(lambda h: inner(inner(h)) * w)  # reaches w through inner too
        return outer(outer(np.array(H0))).sum()

    def f_ref(w):
        inner = lambda h: np.tanh(w * h)  # noqa: E731
        outer = lambda h: inner(inner(h)) * w  # noqa: E731
        return outer(outer(np.array(H0))).sum()

    onp.testing.assert_allclose(fad.grad(f)(0.7), fad.grad(f_ref)(0.7), rtol=1e-13)
    onp.testing.assert_allclose(fad.grad(fad.grad(f))(0.7), fad.grad(fad.grad(f_ref))(0.7), rtol=1e-12)
    check_grads(f, (0.7,), order=2)

    def g(w):  # a derivative taken inside the checkpointed function, of a closure
        return fad.checkpoint(lambda h: fad.grad(lambda z: np.sin(w * z) * w)(h))(0.4)

    onp.testing.assert_allclose(
        fad.grad(g)(1.1), 2.2 * onp.cos(0.44) - 1.21 * 0.4 * onp.sin(0.44), rtol=1e-13
    )
    check_grads(g, (1.1,), order=2)


@attrs.define
class Dense:
    w: object
    b: object

    def __call__(self, h):
        return np.tanh(self.w * h + self.b)


def test_closures_reached_through_defaults_partial_and_methods():
    def by_default(w):
        return fad.checkpoint(lambda h, w=w: np.sin(w * h))(2.0)

    def by_partial(w):
        return fad.checkpoint(functools.partial(lambda v, h: np.sin(v * h), w))(2.0)

    def by_kwdefault(w):
        def body(h, *, scale=w):
            return np.sin(scale * h)

        return fad.checkpoint(body)(2.0)

    def by_method(w):
        return fad.checkpoint(Dense(w, 0.0).__call__)(2.0)

    def through_a_helper(w):
        helpers = {"act": lambda z: np.sin(w * z)}
        return fad.checkpoint(lambda h: helpers["act"](h))(2.0)

    for f in (by_default, by_partial, by_kwdefault, through_a_helper):
        onp.testing.assert_allclose(fad.grad(f)(0.3), 2 * onp.cos(0.6), rtol=1e-14)
        check_grads(f, (0.3,), order=2)
    onp.testing.assert_allclose(fad.grad(by_method)(0.3), 2 * (1 - onp.tanh(0.6) ** 2), rtol=1e-14)
    # a callable pytree (attrs class) is scanned too; an ordinary object's attribute is not
    by_instance = lambda w: fad.checkpoint(Dense(w, 0.0))(2.0)  # noqa: E731
    onp.testing.assert_allclose(fad.grad(by_instance)(0.3), 2 * (1 - onp.tanh(0.6) ** 2), rtol=1e-14)

    class Plain:
        def __init__(self, w):
            self.w = w

        def __call__(self, h):
            return np.sin(self.w * h)

    with pytest.raises(fad.EscapedTracerError, match="function given to fad.checkpoint used a value traced"):
        fad.grad(lambda w: fad.checkpoint(Plain(w))(2.0))(0.3)


def test_output_is_the_closed_over_value_and_static_args():
    def f(w):
        return fad.checkpoint(lambda h: (w, h * w))(3.0)

    assert fad.grad(lambda w: f(w)[0] + f(w)[1])(2.0) == 4.0
    onp.testing.assert_allclose(fad.vmap(lambda w: f(w)[0])(X), X)

    def g(w):
        return fad.checkpoint(lambda h, n: np.sin(w * h) * n, static_argnums=(1,))(2.0, 3)

    onp.testing.assert_allclose(fad.grad(g)(0.3), 6 * onp.cos(0.6), rtol=1e-14)


def test_linearize_jet_loops_and_debug_nans():
    onp.testing.assert_allclose(fad.linearize(loss, 0.8)[1](1.0), fad.grad(loss_ref)(0.8), rtol=1e-13)
    _, series = fad.jet(loss, (0.8,), ((1.0, 0.0),))
    _, series_ref = fad.jet(loss_ref, (0.8,), ((1.0, 0.0),))
    onp.testing.assert_allclose(series, series_ref, rtol=1e-13)

    def looped(w, ref=False):
        layer = (lambda h: np.tanh(w * h)) if ref else fad.checkpoint(lambda h: np.tanh(w * h))
        return fad.lax.fori_loop(0, 3, lambda i, h: layer(h), np.array(H0)).sum()

    onp.testing.assert_allclose(fad.grad(looped)(0.8), fad.grad(looped)(0.8, True), rtol=1e-13)
    ws = onp.array([0.8, 0.3])
    onp.testing.assert_allclose(fad.vmap(looped)(ws), [looped(v, True) for v in ws], rtol=1e-14)
    with fad.debug_nans():  # no false alarm from the substitution
        onp.testing.assert_allclose(fad.grad(loss)(0.8), 0.2132219906426643, rtol=1e-14)


def test_checkpoint_still_recomputes_with_a_closure():
    calls = []

    def f(w):
        def body(h):
            calls.append(1)
            return np.sin(np.sin(w * h))

        return fad.checkpoint(body)(2.0)

    fad.grad(f)(0.3)
    assert len(calls) == 2  # once forward, once recomputed for the backward pass


def test_jit_of_a_closure_is_replayed_with_new_values():
    jl = fad.jit(loss)
    for w in (0.8, -0.3, 1.7):
        onp.testing.assert_allclose(jl(w), loss_ref(w), rtol=1e-14)
        onp.testing.assert_allclose(fad.grad(jl)(w), fad.grad(loss_ref)(w), rtol=1e-13)


def test_memory_saving_holds_with_closed_over_parameters():
    size, depth, block = 20_000, 24, 6
    x = onp.linspace(-1, 1, size)

    def make(use_checkpoint):
        def f(scale):
            def body(h):  # closes over the differentiated scale
                for _ in range(block):
                    h = np.tanh(h * scale + 0.1)
                return h

            step = fad.checkpoint(body) if use_checkpoint else body
            h = x
            for _ in range(depth // block):
                h = step(h)
            return np.sum(h)

        return f

    def peak(f):
        g = fad.grad(f)
        g(1.01)
        tracemalloc.start()
        out = g(1.01)
        _, p = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return p, out

    p0, g0 = peak(make(False))
    p1, g1 = peak(make(True))
    onp.testing.assert_allclose(g0, g1, rtol=1e-12)
    # without: ~depth arrays kept; with: ~depth / block block inputs + one block recomputed
    assert p1 < 0.6 * p0, (p0, p1)


def test_no_closure_pays_only_the_scan():
    ck = fad.checkpoint(lambda x: np.sin(x))
    assert ck.__wrapped__.__closure__ is None
    from fad._custom import closure_tracers

    assert closure_tracers(ck.__wrapped__) == []
    assert closure_tracers(lambda: X) == []  # arrays are constants


def test_a_closure_over_a_list_that_contains_itself():
    def f(w):
        box = [w]
        box.append(box)
        return fad.checkpoint(lambda h: np.sin(box[0] * h))(2.0)

    onp.testing.assert_allclose(fad.grad(f)(0.3), 2 * onp.cos(0.6), rtol=1e-14)


def test_a_dead_tracer_left_in_a_closure_is_ignored_until_used():
    kept = []
    fad.grad(lambda x: kept.append(x) or x * 1.0)(1.0)
    f = fad.checkpoint(lambda h, old=kept[0]: np.sin(h))  # never used: fine
    assert fad.grad(f)(0.0) == 1.0
    g = fad.checkpoint(lambda h, old=kept[0]: np.sin(h) * old)
    with pytest.raises(fad.EscapedTracerError, match="after fad.grad returned"):
        fad.grad(g)(0.0)


# ---------------------------------------------------------------- what is refused


_HIDDEN = {}


def test_hidden_tracers_name_the_construct_and_the_fix():
    def ck(w):
        _HIDDEN["w"] = w  # reached through a global: no scan can see it
        return fad.checkpoint(lambda h: np.sin(_HIDDEN["w"] * h))(2.0)

    def cj(w):
        _HIDDEN["w"] = w
        return _custom_jvp_of_global()(0.5)

    for f, name in ((ck, "checkpoint"), (cj, "custom_jvp")):
        for transform in (fad.grad, fad.vmap):
            arg = 0.3 if transform is fad.grad else X
            with pytest.raises(fad.EscapedTracerError) as e:
                transform(f)(arg)
            msg = str(e.value)
            assert f"function given to fad.{name} used a value traced by fad.{transform.__name__}" in msg
            assert "not one of its arguments" in msg and "as an argument" in msg
            assert "another thread" not in msg
    _HIDDEN.clear()


def _custom_jvp_of_global():
    @fad.custom_jvp
    def f(x):
        return np.sin(x) * _HIDDEN["w"]

    f.defjvp(lambda p, t: (f(p[0]), np.cos(p[0]) * _HIDDEN["w"] * t[0]))
    return f


def _custom_jvp_closing_over(w, call_f=False):
    @fad.custom_jvp
    def f(x):
        return np.sin(x) * w

    @f.defjvp
    def _(primals, tangents):
        (x,), (t,) = primals, tangents
        return f(x) if call_f else np.sin(x) * w, np.cos(x) * w * t

    return f


def _custom_vjp_closing_over(w, call_f=False):
    @fad.custom_vjp
    def f(x):
        return np.sin(x) * w

    # the residual is the closed-over value itself
    f.defvjp(
        lambda x: (f(x) if call_f else np.sin(x) * w, (x, w)), lambda res, ct: (np.cos(res[0]) * res[1] * ct,)
    )
    return f


CUSTOM = {"custom_jvp": _custom_jvp_closing_over, "custom_vjp": _custom_vjp_closing_over}


@pytest.mark.parametrize("name", CUSTOM)
@pytest.mark.parametrize("call_f", [False, True])
def test_custom_rules_refuse_to_differentiate_a_closed_over_value(name, call_f):
    # the rule gives no derivative with respect to w: refused, as in JAX
    def h(w):
        return CUSTOM[name](w, call_f)(0.5)

    for transform in (fad.grad, lambda f: lambda w: fad.jvp(f, (w,), (1.0,)), fad.jacrev, fad.hessian):
        with pytest.raises(fad.EscapedTracerError) as e:
            transform(h)(2.0)
        msg = str(e.value)
        assert f"function given to fad.{name} used a value traced by fad." in msg, msg
        assert "not one of its arguments" in msg and "pass the value to the function as an argument" in msg


@pytest.mark.parametrize("name", CUSTOM)
@pytest.mark.parametrize("call_f", [False, True])
def test_custom_rules_may_close_over_batched_and_staged_values(name, call_f):
    # vmap and jit do not differentiate: the closed-over values become inputs, as in JAX
    make = CUSTOM[name]

    def h(w, x):
        return make(w, call_f)(x)

    xs = onp.array([0.5, -0.2, 1.0])
    loop = onp.array([[onp.sin(x) * w for x in xs] for w in W])
    # w batched, x not; both batched; vmap of vmap
    onp.testing.assert_allclose(fad.vmap(h, in_axes=(0, None))(W, 0.5), onp.sin(0.5) * W, rtol=1e-14)
    onp.testing.assert_allclose(fad.vmap(h)(W, xs), onp.sin(xs) * W, rtol=1e-14)
    onp.testing.assert_allclose(fad.vmap(lambda w: fad.vmap(lambda x: h(w, x))(xs))(W), loop, rtol=1e-14)
    # the derivative with respect to the argument, per batch member: the custom rule
    onp.testing.assert_allclose(
        fad.vmap(fad.grad(h, 1), in_axes=(0, None))(W, 0.5), onp.cos(0.5) * W, rtol=1e-14
    )
    onp.testing.assert_allclose(
        fad.vmap(lambda w: fad.jacfwd(lambda x: h(w, x))(xs))(W),
        fad.vmap(lambda w: fad.jacrev(lambda x: h(w, x))(xs))(W),
        rtol=1e-14,
    )
    onp.testing.assert_allclose(
        fad.vmap(lambda w: fad.grad(fad.grad(lambda x: h(w, x)))(0.5))(W), -onp.sin(0.5) * W, rtol=1e-14
    )
    jh = fad.jit(h)
    for w in (2.0, -1.0):  # replayed with new closed-over values
        onp.testing.assert_allclose(jh(w, 0.5), onp.sin(0.5) * w, rtol=1e-14)
        onp.testing.assert_allclose(fad.grad(jh, 1)(w, 0.5), onp.cos(0.5) * w, rtol=1e-14)


_INNER = {
    "grad": lambda f: fad.grad(f)(0.5),
    "jvp": lambda f: fad.jvp(f, (0.5,), (1.0,))[1],
}


@pytest.mark.parametrize("name", CUSTOM)
@pytest.mark.parametrize("inner", _INNER)
def test_custom_rules_may_close_over_a_tracer_of_an_enclosing_transform(name, inner):
    # w belongs to the outer transform; the custom rule is applied by the inner derivative,
    # one level below which w is an ordinary traced value: its derivative flows through
    # the rule's own operations
    def outer(w):
        return _INNER[inner](CUSTOM[name](w))  # = cos(0.5) * w

    onp.testing.assert_allclose(fad.grad(outer)(2.0), onp.cos(0.5), rtol=1e-14)
    onp.testing.assert_allclose(fad.vmap(outer)(X), onp.cos(0.5) * X, rtol=1e-14)
    onp.testing.assert_allclose(fad.vmap(fad.grad(outer))(X), onp.cos(0.5) * onp.ones(3), rtol=1e-14)
    onp.testing.assert_allclose(fad.grad(fad.grad(lambda w: outer(w) ** 2))(2.0), 2 * onp.cos(0.5) ** 2)
    if inner == "jvp":  # forward over forward: the rule is applied at the inner level only
        onp.testing.assert_allclose(fad.jvp(outer, (2.0,), (1.0,))[1], onp.cos(0.5), rtol=1e-14)
        check_grads(outer, (2.0,), order=2)


def test_escape_from_another_thread_keeps_its_message():
    out = []

    def f(x):
        def other():
            try:
                fad.checkpoint(lambda h: np.sin(h))(x)
            except fad.EscapedTracerError as e:
                out.append(str(e))

        th = threading.Thread(target=other)
        th.start()
        th.join()
        return x * 1.0

    fad.grad(f)(1.0)
    assert "another thread" in out[0]
