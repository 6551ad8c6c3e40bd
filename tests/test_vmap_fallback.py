"""fad.vmap(fun, fallback="loop"): a function that branches in Python on a batched value is
run once per example and its results stacked, under every transform."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp
from fad.test_util import check_grads


def branchy(x):
    if fnp.sum(x) > 0:
        return x * fnp.sin(x)
    return -(x**2)


def loop_reference(f, xs, axis=0):
    return np.stack([f(x) for x in np.moveaxis(xs, axis, 0)])


XS = np.array([[1.0, 2.0], [-1.0, -3.0], [0.5, -0.2]])


def quiet(f):
    def g(*a, **k):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return f(*a, **k)

    return g


def test_default_is_still_the_conversion_error():
    with pytest.raises(fad.TracerConversionError, match="fad.numpy.where"):
        fad.vmap(branchy)(XS)


def test_bad_fallback_value():
    with pytest.raises(ValueError, match='fallback must be None or "loop"'):
        fad.vmap(branchy, fallback="python")


def test_loop_matches_a_python_loop_and_warns_once_naming_the_line():
    g = fad.vmap(branchy, fallback="loop")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = g(XS)
        out2 = g(XS)
    np.testing.assert_allclose(out, loop_reference(branchy, XS))
    np.testing.assert_allclose(out2, out)
    assert len(w) == 1
    assert w[0].filename == __file__
    assert w[0].lineno == branchy.__code__.co_firstlineno + 1  # the `if` line
    assert "fallback='loop'" in str(w[0].message) and "bool()" in str(w[0].message)


def test_a_batchable_function_is_not_looped():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(fad.vmap(fnp.sin, fallback="loop")(XS), np.sin(XS))


def test_float_conversion_also_loops():
    out = quiet(fad.vmap(lambda x: float(x) * 2.0 * x, fallback="loop"))(np.arange(3.0))
    np.testing.assert_allclose(out, 2.0 * np.arange(3.0) ** 2)


@quiet
def test_grad_jacobians_and_jvp_of_the_loop():
    f = fad.vmap(branchy, fallback="loop")
    jac = fad.jacrev(f)(XS)
    assert jac.shape == (3, 2, 3, 2)
    for i, x in enumerate(XS):
        np.testing.assert_allclose(jac[i, :, i, :], fad.jacrev(branchy)(x))
    np.testing.assert_allclose(fad.jacfwd(f)(XS), jac)
    t = np.ones_like(XS)
    y, y_dot = fad.jvp(f, (XS,), (t,))
    np.testing.assert_allclose(
        y_dot, np.stack([fad.jvp(branchy, (x,), (o,))[1] for x, o in zip(XS, t, strict=True)])
    )
    check_grads(lambda x: fnp.sum(f(x)), (XS,), order=2)


@quiet
def test_loop_of_grad_and_hessian():
    f = lambda x: fnp.sum(branchy(x))  # noqa: E731
    np.testing.assert_allclose(fad.vmap(fad.grad(f), fallback="loop")(XS), loop_reference(fad.grad(f), XS))
    np.testing.assert_allclose(
        fad.vmap(fad.hessian(f), fallback="loop")(XS), loop_reference(fad.hessian(f), XS)
    )


@quiet
def test_in_axes_out_axes_pytrees_and_kwargs():
    def f(p, scale, *, shift):
        if p["w"][0] > 0:
            return {"y": p["w"] * scale + shift, "n": fnp.sum(p["w"])}
        return {"y": -p["w"] * scale + shift, "n": fnp.sum(p["w"])}

    w = XS.T  # mapped along axis 1
    out = fad.vmap(f, in_axes=({"w": 1}, None), out_axes={"y": 1, "n": 0}, fallback="loop")(
        {"w": w}, 3.0, shift=np.ones(3)
    )
    ref = [f({"w": w[:, i]}, 3.0, shift=1.0) for i in range(3)]
    np.testing.assert_allclose(out["y"], np.stack([r["y"] for r in ref], axis=1))
    np.testing.assert_allclose(out["n"], [r["n"] for r in ref])


@quiet
def test_unmapped_output_and_its_check():
    f = lambda x, c: (x if x > 0 else -x, c * 2.0)  # noqa: E731
    y, c = fad.vmap(f, in_axes=(0, None), out_axes=(0, None), fallback="loop")(np.array([1.0, -2.0]), 3.0)
    np.testing.assert_allclose(y, [1.0, 2.0])
    assert c == 6.0
    with pytest.raises(ValueError, match="out_axes=None differs across the batch"):
        fad.vmap(lambda x: x if x > 0 else -x, out_axes=None, fallback="loop")(np.array([1.0, -2.0]))


@quiet
def test_nested_vmaps():
    inner = lambda a: a if a > 0 else 0.0 * a  # noqa: E731
    both = fad.vmap(fad.vmap(inner, fallback="loop"), fallback="loop")
    np.testing.assert_allclose(both(XS), np.maximum(XS, 0.0))
    # an inner vmap without the fallback keeps its error: the outer loop does not hide it
    with pytest.raises(fad.TracerConversionError):
        fad.vmap(fad.vmap(inner), fallback="loop")(XS)
    # the outer vmap has no fallback: the inner loop's examples are still batched by it
    with pytest.raises(fad.TracerConversionError):
        fad.vmap(fad.vmap(inner, fallback="loop"))(XS)


@quiet
def test_under_jit_the_branch_is_jits_error():
    with pytest.raises(fad.TracerConversionError, match="fad.jit|static"):
        fad.jit(fad.vmap(branchy, fallback="loop"))(XS)
    # a function that batches needs no loop and jits as usual
    np.testing.assert_allclose(fad.jit(fad.vmap(fnp.sin, fallback="loop"))(XS), np.sin(XS))


@quiet
def test_shape_mismatch_and_empty_batch():
    with pytest.raises(ValueError, match="same shapes"):
        fad.vmap(lambda x: fnp.ones(2) if x > 0 else fnp.ones(3), fallback="loop")(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="empty batch"):
        fad.vmap(branchy, fallback="loop")(np.zeros((0, 2)))


@quiet
@settings(max_examples=25, deadline=None)
@given(hst.lists(hst.floats(-3, 3), min_size=1, max_size=5))
def test_property_loop_equals_python_loop(vals):
    xs = np.array(vals)[:, None] * np.array([1.0, -0.5])
    np.testing.assert_allclose(fad.vmap(branchy, fallback="loop")(xs), loop_reference(branchy, xs))
    g = fad.grad(lambda x: fnp.sum(branchy(x)))
    np.testing.assert_allclose(fad.vmap(g, fallback="loop")(xs), loop_reference(g, xs))


@quiet
def test_linearize_jet_and_checkpoint_of_the_loop():
    f = fad.vmap(branchy, fallback="loop")
    t = np.ones_like(XS)
    y, f_lin = fad.linearize(f, XS)
    np.testing.assert_allclose(f_lin(t), fad.jvp(f, (XS,), (t,))[1])
    y0, (y1,) = fad.jet(f, (XS,), ((t,),))
    np.testing.assert_allclose(y1, fad.jvp(f, (XS,), (t,))[1])
    g = fad.grad(lambda x: fnp.sum(fad.checkpoint(f)(x)))(XS)
    np.testing.assert_allclose(g, fad.grad(lambda x: fnp.sum(f(x)))(XS))
