"""custom_jvp, custom_vjp and checkpoint under every transform and nesting."""

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad.test_util import check_grads

X = onp.array([0.3, 0.7, -1.1])
Y = onp.array([1.5, -0.5, 2.0])


def _sin_mul(x, y):
    return np.sin(x) * y


@fad.custom_jvp
def cj(x, y):
    return _sin_mul(x, y)


@cj.defjvp
def _cj_jvp(primals, tangents):
    x, y = primals
    tx, ty = tangents
    return cj(x, y), np.cos(x) * y * tx + np.sin(x) * ty


@fad.custom_vjp
def cv(x, y):
    return _sin_mul(x, y)


cv.defvjp(
    lambda x, y: (_sin_mul(x, y), (x, y)),
    lambda res, ct: (np.cos(res[0]) * res[1] * ct, np.sin(res[0]) * ct),
)

ck = fad.checkpoint(lambda x, y: np.sin(x) * y)

FUNS = {"custom_jvp": cj, "custom_vjp": cv, "checkpoint": ck}


@pytest.mark.parametrize("name", FUNS)
def test_values_and_check_grads(name):
    f = FUNS[name]
    onp.testing.assert_allclose(f(X, Y), onp.sin(X) * Y)
    check_grads(f, (X, Y), order=3)


@pytest.mark.parametrize("name", FUNS)
def test_under_vmap_and_nesting(name):
    f = FUNS[name]
    expected = onp.cos(X) * Y
    onp.testing.assert_allclose(fad.vmap(fad.grad(f))(X, Y), expected)
    onp.testing.assert_allclose(fad.grad(lambda a: fad.vmap(f)(a, Y).sum())(X), expected)
    onp.testing.assert_allclose(fad.jacfwd(fad.vmap(f))(X, Y), onp.diag(expected))
    onp.testing.assert_allclose(fad.jacrev(f)(X, Y), onp.diag(expected))
    onp.testing.assert_allclose(fad.vmap(fad.grad(fad.grad(f)))(X, Y), -onp.sin(X) * Y)
    onp.testing.assert_allclose(fad.grad(fad.grad(lambda a: f(a, 2.0)))(0.4), -2 * onp.sin(0.4))
    onp.testing.assert_allclose(fad.hessian(lambda a: f(a, Y).sum())(X), onp.diag(-onp.sin(X) * Y))


def test_custom_jvp_rule_is_used_not_the_function():
    @fad.custom_jvp
    def f(x):
        return np.sin(x)

    @f.defjvp
    def _(primals, tangents):
        return f(primals[0]), 2.0 * tangents[0]

    assert fad.grad(f)(0.3) == 2.0
    assert fad.jvp(f, (0.3,), (1.0,))[1] == 2.0
    onp.testing.assert_allclose(fad.vmap(fad.grad(f))(X), 2.0)


def test_custom_jvp_defjvps_and_nondiff_argnums():
    @fad.custom_jvp
    def f(x, y):
        return x * y

    f.defjvps(lambda tx, ans, x, y: tx * y, lambda ty, ans, x, y: ty * x)
    assert fad.grad(f, argnums=(0, 1))(2.0, 3.0) == (3.0, 2.0)

    from functools import partial

    @partial(fad.custom_jvp, nondiff_argnums=(0,))
    def app(fn, x):
        return fn(x)

    @app.defjvp
    def _(fn, primals, tangents):
        (x,), (t,) = primals, tangents
        return app(fn, x), 10.0 * t

    assert fad.grad(lambda x: app(np.sin, x))(0.1) == 10.0


def test_custom_vjp_forward_mode_and_clipping():
    @fad.custom_vjp
    def clip_gradient(x):
        return x

    clip_gradient.defvjp(lambda x: (x, None), lambda _, g: (np.minimum(np.maximum(g, -1.0), 1.0),))
    assert fad.grad(lambda x: 5 * clip_gradient(x))(2.0) == 1.0
    # forward mode transposes bwd linearized at ct = 0 (where clipping is the identity)
    assert fad.jvp(clip_gradient, (2.0,), (3.0,))[1] == 3.0


def test_custom_vjp_nondiff_argnums_array_and_pytrees():
    from functools import partial

    @partial(fad.custom_vjp, nondiff_argnums=(1,))
    def scale(params, factor):
        return {"out": params["w"] * factor}

    def fwd(params, factor):
        return scale(params, factor), None

    def bwd(factor, _, ct):
        return ({"w": ct["out"] * factor},)

    scale.defvjp(fwd, bwd)
    factor = onp.array([2.0, 3.0])
    g = fad.grad(lambda p: scale(p, factor)["out"].sum())({"w": onp.ones(2)})
    onp.testing.assert_allclose(g["w"], factor)
    per_example = fad.vmap(lambda p, f: fad.grad(lambda q: scale(q, f)["out"].sum())(p), in_axes=(None, 0))(
        {"w": onp.ones(2)}, onp.stack([factor, 2 * factor])
    )
    onp.testing.assert_allclose(per_example["w"], onp.stack([factor, 2 * factor]))


def test_errors():
    @fad.custom_jvp
    def f(x):
        return x

    with pytest.raises(TypeError, match="defjvp"):
        f(1.0)

    @fad.custom_vjp
    def g(x):
        return x

    g.defvjp(lambda x: (x, None), lambda _, ct: ct)  # not a tuple
    with pytest.raises(TypeError, match="tuple with one cotangent"):
        fad.grad(g)(1.0)


def test_checkpoint_recomputes_in_backward_pass():
    calls = []

    def body(x):
        calls.append(1)
        return np.sin(np.sin(x))

    f = fad.checkpoint(body)
    fad.grad(f)(0.5)
    assert len(calls) == 2  # once forward, once recomputed for the backward pass
    assert fad.remat is fad.checkpoint


def test_check_grads_catches_a_wrong_custom_rule():
    @fad.custom_jvp
    def f(x):
        return np.sin(x)

    @f.defjvp
    def _(primals, tangents):
        return f(primals[0]), np.cos(primals[0]) * tangents[0] * 1.01

    with pytest.raises(AssertionError):
        check_grads(f, (X,), order=1, modes=("fwd",))

    @fad.custom_vjp
    def g(x):
        return np.sin(x)

    g.defvjp(lambda x: (np.sin(x), x), lambda x, ct: (np.cos(x) * ct * 1.01,))
    with pytest.raises(AssertionError):
        check_grads(g, (X,), order=1, modes=("rev",))


def test_stop_gradient_everywhere():
    sg = fad.stop_gradient
    assert fad.grad(lambda x: x * sg(x))(3.0) == 3.0
    assert fad.jvp(lambda x: x * sg(x), (3.0,), (1.0,))[1] == 3.0
    onp.testing.assert_allclose(fad.vmap(fad.grad(lambda x: x**2 * sg(x)))(X), 2 * X * X)
    assert fad.grad(fad.grad(lambda x: x**3 * sg(x)))(2.0) == 24.0
    onp.testing.assert_allclose(fad.jacrev(lambda x: sg(x) * x)(X), onp.diag(X))
    onp.testing.assert_allclose(fad.vmap(sg)(onp.ones((2, 3))), onp.ones((2, 3)))
    # nested: the outer derivative is stopped too
    assert fad.grad(lambda x: fad.grad(lambda y: sg(x * y) + x * y)(1.0))(2.0) == 1.0


def test_jax_keyword_compatibility():
    f = fad.checkpoint(np.sin, prevent_cse=False)
    assert fad.grad(f)(0.0) == 1.0
    with pytest.raises(TypeError, match="policy must be None or a function"):
        fad.checkpoint(np.sin, policy=True)
    # (policies themselves: tests/test_remat_policies.py)
    assert fad.grad(fad.checkpoint(np.sin, policy=lambda *a, **k: True))(0.0) == 1.0

    @fad.custom_jvp
    def g(x):
        return x

    g.defjvp(lambda p, t: (p[0], t[0]), symbolic_zeros=False)
    with pytest.raises(NotImplementedError, match="symbolic_zeros"):
        g.defjvp(lambda p, t: (p[0], t[0]), symbolic_zeros=True)


def test_custom_vjp_batched_with_an_unbatched_argument_in_forward_mode():
    # vmap over x only: the shared a's cotangent is the sum over the examples (it was given
    # a batch axis, so jacfwd and hessian through the batched rule failed)
    @fad.custom_vjp
    def f(x, a):
        return x * a

    f.defvjp(lambda x, a: (x * a, (x, a)), lambda r, g: (g * r[1], g * r[0]))
    xs = np.array([1.0, 2.0])
    batched = lambda a: fad.vmap(lambda x: f(x, a))(xs)  # noqa: E731
    onp.testing.assert_allclose(fad.jacfwd(batched)(3.0), xs)
    onp.testing.assert_allclose(fad.jacrev(batched)(3.0), xs)
    assert fad.grad(lambda a: batched(a).sum())(3.0) == 3.0
    assert fad.hessian(lambda a: (batched(a) ** 2).sum())(3.0) == 10.0


def test_jit_compiles_the_wrapped_functions_too():
    """Under jit the function a custom rule or checkpoint wraps is compiled with the rest
    (not called at every run), and the rules stay for transforms of the jitted function."""
    calls = []

    @fad.custom_jvp
    def f(x):
        calls.append("f")
        return np.sin(x) * 2.0

    @f.defjvp
    def _(primals, tangents):
        return f(primals[0]), 3.0 * tangents[0]  # (a rule that is not the true derivative)

    @fad.custom_vjp
    def g(x):
        calls.append("g")
        return np.exp(x)

    g.defvjp(lambda x: (g(x), x), lambda x, ct: (5.0 * ct,))
    h = fad.checkpoint(lambda x: (calls.append("h"), np.tanh(x))[1])

    def total(x):
        return np.sum(f(x) + g(x) + h(x))

    x = onp.linspace(0.1, 0.9, 4)
    j = fad.jit(total)
    j(x)
    calls.clear()
    onp.testing.assert_allclose(j(x + 1.0), total(x + 1.0), rtol=1e-15)
    assert calls == ["f", "g", "h"]  # (the eager reference only)
    calls.clear()
    jg = fad.jit(fad.grad(total))
    jg(x)
    calls.clear()
    onp.testing.assert_allclose(jg(x), 3.0 + 5.0 + 1.0 / onp.cosh(x) ** 2, rtol=1e-14)
    assert calls == []
    onp.testing.assert_allclose(fad.grad(fad.jit(total))(x), 3.0 + 5.0 + 1.0 / onp.cosh(x) ** 2, rtol=1e-14)


def test_jit_keeps_an_eager_call_for_a_function_it_cannot_capture():
    @fad.custom_jvp
    def f(x):
        return x * 2.0 if float(x) > 0 else x * 3.0  # (Python control flow on the value)

    f.defjvp(lambda p, t: (f(p[0]), 7.0 * t[0]))
    j = fad.jit(lambda x: f(x) + 1.0)
    assert j(1.0) == 3.0 and j(-1.0) == -2.0
    assert fad.grad(lambda x: j(x))(1.0) == 7.0
