"""fad.pure_callback: a Python function on NumPy values inside traced code, under every
transform it meets (and a clear refusal where it has no rule)."""

import numpy as onp
import pytest

import fad
import fad.numpy as fnp


def _counting(fn):
    calls = []

    def host(*args, **kwargs):
        calls.append(tuple(onp.shape(a) for a in args))
        return fn(*args, **kwargs)

    return host, calls


def test_eager_and_jit_call_at_run_time():
    host, calls = _counting(lambda x, y=0.0: onp.sin(x) + y)
    f = lambda x: fad.pure_callback(host, x, x, y=1.0)  # noqa: E731
    x = onp.arange(3.0)
    onp.testing.assert_array_equal(f(x), onp.sin(x) + 1.0)
    g = fad.jit(f)
    onp.testing.assert_array_equal(g(x), onp.sin(x) + 1.0)
    onp.testing.assert_array_equal(g(x + 1.0), onp.sin(x + 1.0) + 1.0)
    assert calls == [((3,),)] * 3  # (not called when jit captures)


def test_pytrees_in_and_out():
    def host(d):
        return {"sum": d["a"] + d["b"], "prod": (d["a"] * d["b"]).astype(onp.float32)}

    spec = {"sum": onp.zeros(2), "prod": onp.zeros(2, onp.float32)}
    out = fad.jit(lambda a, b: fad.pure_callback(host, spec, {"a": a, "b": b}))(onp.ones(2), onp.full(2, 3.0))
    onp.testing.assert_array_equal(out["sum"], [4.0, 4.0])
    assert out["prod"].dtype == onp.float32


@pytest.mark.parametrize("method", ["sequential", "expand_dims", "broadcast_all"])
def test_vmap_methods(method):
    host, calls = _counting(lambda x, s: x * s)
    f = lambda x, s: fad.pure_callback(host, x, x, s, vmap_method=method)  # noqa: E731
    xs, s = onp.arange(12.0).reshape(4, 3), onp.full(3, 2.0)
    for run in (fad.vmap(f, in_axes=(0, None)), fad.jit(fad.vmap(f, in_axes=(0, None)))):
        calls.clear()
        onp.testing.assert_array_equal(run(xs, s), xs * 2.0)
        shapes = {
            "sequential": [((3,), (3,))] * 4,
            "expand_dims": [((4, 3), (1, 3))],
            "broadcast_all": [((4, 3), (4, 3))],
        }
        assert calls == shapes[method]
    # vmap over a non-leading axis and nested vmap
    onp.testing.assert_array_equal(fad.vmap(f, in_axes=(1, None), out_axes=1)(xs.T, s), (xs * 2.0).T)
    nested = fad.vmap(fad.vmap(f, in_axes=(0, None)), in_axes=(0, None))(xs.reshape(2, 2, 3), s)
    onp.testing.assert_array_equal(nested, xs.reshape(2, 2, 3) * 2.0)


def test_vmap_without_a_method_is_refused():
    with pytest.raises(NotImplementedError, match="vmap_method"):
        fad.vmap(lambda x: fad.pure_callback(onp.sin, x, x))(onp.ones((2, 3)))
    with pytest.raises(ValueError, match="vmap_method="):
        fad.pure_callback(onp.sin, onp.ones(2), onp.ones(2), vmap_method="parallel")


def test_no_derivative_but_custom_jvp_gives_one():
    f = lambda x: fnp.sum(fad.pure_callback(onp.sin, x, x))  # noqa: E731
    for transform in (fad.grad, fad.jacfwd, lambda g: fad.jit(fad.grad(g))):
        with pytest.raises(TypeError, match="custom_jvp"):
            transform(f)(onp.ones(3))

    @fad.custom_jvp
    def host_sin(x):
        return fad.pure_callback(onp.sin, x, x, vmap_method="expand_dims")

    @host_sin.defjvp
    def _(primals, tangents):
        (x,), (t,) = primals, tangents
        return host_sin(x), fnp.cos(x) * t

    x = onp.linspace(0.0, 1.0, 4)
    want = onp.cos(x)
    onp.testing.assert_allclose(fad.grad(lambda v: fnp.sum(host_sin(v)))(x), want)
    onp.testing.assert_allclose(fad.jit(fad.grad(lambda v: fnp.sum(host_sin(v))))(x), want)
    onp.testing.assert_allclose(fad.vmap(fad.grad(lambda v: host_sin(v)))(x), want)
    onp.testing.assert_allclose(onp.diag(fad.jacrev(host_sin)(x)), want)
    # the rule is fad code: second order too, and batched
    onp.testing.assert_allclose(fad.vmap(fad.grad(fad.grad(host_sin)))(x), -onp.sin(x))
    onp.testing.assert_allclose(
        fad.jit(fad.hessian(lambda v: fnp.sum(host_sin(v))))(x), onp.diag(-onp.sin(x))
    )


def test_results_are_checked():
    with pytest.raises(TypeError, match="dtype float32.*declared shape"):
        fad.pure_callback(lambda x: x.astype(onp.float32), onp.ones(2), onp.ones(2))
    with pytest.raises(TypeError, match="shape \\(3,\\)"):
        fad.jit(lambda x: fad.pure_callback(lambda v: onp.ones(3), x, x))(onp.ones(2))
    with pytest.raises(TypeError, match="structure|promised"):
        fad.pure_callback(lambda x: (x, x), onp.ones(2), onp.ones(2))
    with pytest.raises(TypeError, match="shape and dtype"):
        fad.pure_callback(onp.sin, [1, 2], onp.ones(2))


def test_unused_calls_are_dropped_under_jit():
    host, calls = _counting(onp.sin)
    g = fad.jit(lambda x: (fad.pure_callback(host, x, x), x * 2.0)[1])
    onp.testing.assert_array_equal(g(onp.ones(2)), [2.0, 2.0])
    assert calls == []  # pure: the simplifier removes what nothing reads


def test_io_callback_is_kept_and_called_per_example():
    from fad.experimental import io_callback

    seen = []
    g = fad.jit(lambda x: (io_callback(lambda v: seen.append(float(v)), None, x), x * 2.0)[1])
    assert g(3.0) == 6.0 and g(4.0) == 8.0
    assert seen == [3.0, 4.0]  # (kept although its result is unused; at every call)
    rng = onp.random.default_rng(0)
    f = fad.jit(lambda x: io_callback(lambda: rng.uniform(size=2), x) + x)
    a, b = f(onp.zeros(2)), f(onp.zeros(2))
    assert (a != b).all()  # (two calls stay two: a new draw each time)
    h = fad.jit(lambda x: io_callback(onp.sin, x, x) + io_callback(onp.sin, x, x))
    calls = []
    h2 = fad.jit(lambda x: io_callback(lambda v: calls.append(1) or onp.sin(v), x, x) * 2.0)
    onp.testing.assert_allclose(h(onp.ones(2)), 2 * onp.sin(1.0))
    h2(onp.ones(2))
    assert calls == [1]
    doubled = fad.vmap(lambda x: io_callback(lambda v: v * 2, x, x))(onp.arange(3.0))
    onp.testing.assert_array_equal(doubled, [0.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="ordered=True"):
        fad.vmap(lambda x: io_callback(lambda v: v * 2, x, x, ordered=True))(onp.arange(3.0))
    with pytest.raises(TypeError, match="no derivative"):
        fad.grad(lambda x: io_callback(lambda v: v * 2, x, x))(1.0)
    assert io_callback(lambda: None, None) is None


def test_shape_dtype_struct_like_describes_results():
    s = fad.ShapeDtypeStruct.like(onp.ones((2, 3), onp.float32))
    assert (s.shape, s.dtype) == ((2, 3), onp.dtype(onp.float32))
    assert fad.ShapeDtypeStruct.like(1.0).weak_type
    out = fad.jit(lambda x: fad.pure_callback(onp.cos, fad.ShapeDtypeStruct.like(x), x))(onp.zeros(3))
    onp.testing.assert_array_equal(out, onp.ones(3))
