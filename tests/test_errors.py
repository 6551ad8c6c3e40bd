"""Every user error of issue #2 (item 6): exception type and a message fragment that says
what happened and how to fix it. And: an error inside nested transforms leaves fad usable."""

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad._core import EVAL, bind, current_trace

X = np.array([0.5, -1.0, 2.0])


# ------------------------------------------------------------------------- grad misuse


def test_grad_of_non_scalar_output():
    with pytest.raises(TypeError, match=r"shape \(3,\)") as e:
        fad.grad(lambda x: x * 2)(X)
    assert ".sum()" in str(e.value) and "jacrev" in str(e.value)


def test_grad_of_tuple_output():
    with pytest.raises(TypeError, match="has_aux=True") as e:
        fad.grad(lambda x: (x, x))(1.0)
    assert "jacrev" in str(e.value)


@pytest.mark.parametrize("arg", [1, True, np.arange(3), np.array([True, False])])
def test_grad_wrt_int_or_bool(arg):
    with pytest.raises(TypeError, match="floating-point") as e:
        fad.grad(lambda x: fnp.sum(x * 1.0))(arg)
    assert "argument 0" in str(e.value) and "astype(float)" in str(e.value)


@pytest.mark.parametrize("fn", [fad.jacrev, fad.jacfwd])
def test_jacobian_wrt_int(fn):
    with pytest.raises(TypeError, match="floating-point"):
        fn(lambda x: x * 1.0)(np.arange(3))


def test_grad_of_int_output():
    with pytest.raises(TypeError, match="floating-point output"):
        fad.grad(lambda x: fnp.sum(x > 0))(X)


@pytest.mark.parametrize("argnums", [2, -3, (0, 5)])
def test_argnums_out_of_range(argnums):
    with pytest.raises(TypeError, match="argnums") as e:
        fad.grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0)
    assert "2 positional argument" in str(e.value)


@pytest.mark.parametrize("fn", [fad.jacfwd, fad.jacrev, fad.value_and_grad])
def test_argnums_out_of_range_other_transforms(fn):
    with pytest.raises(TypeError, match="argnums"):
        fn(lambda x: x, argnums=1)(1.0)


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: fad.grad(f, has_aux=True)(1.0),
        lambda f: fad.value_and_grad(f, has_aux=True)(1.0),
        lambda f: fad.vjp(f, 1.0, has_aux=True),
        lambda f: fad.jvp(f, (1.0,), (1.0,), has_aux=True),
        lambda f: fad.jacrev(f, has_aux=True)(1.0),
        lambda f: fad.jacfwd(f, has_aux=True)(1.0),
    ],
)
@pytest.mark.parametrize("fun", [lambda x: x * 2, lambda x: (x, 1.0, 2.0)])
def test_has_aux_with_a_non_pair(transform, fun):
    with pytest.raises(TypeError, match=r"has_aux=True\) expects the function to return a pair"):
        transform(fun)


def test_non_callable():
    with pytest.raises(TypeError, match="callable"):
        fad.grad(3.0)


# ------------------------------------------------------------------------------- vmap


def test_vmap_inconsistent_sizes_lists_each():
    with pytest.raises(ValueError, match="inconsistent sizes") as e:
        fad.vmap(lambda x, y, z: x + y + z)(np.ones(3), np.ones(4), np.ones((2, 3)))
    msg = str(e.value)
    assert "size 3" in msg and "size 4" in msg and "size 2" in msg
    assert "(3,)" in msg and "(4,)" in msg and "(2, 3)" in msg
    assert "in_axes=None" in msg


def test_vmap_axis_size_disagrees():
    with pytest.raises(ValueError, match="axis_size=5"):
        fad.vmap(lambda x: x, axis_size=5)(np.ones(3))


@pytest.mark.parametrize("ax", [2, -3])
def test_vmap_axis_out_of_range(ax):
    with pytest.raises(ValueError, match=f"axis {ax}") as e:
        fad.vmap(lambda x: x, in_axes=ax)(np.ones((2, 3)))
    assert "(2, 3)" in str(e.value)


def test_vmap_out_axis_out_of_range():
    with pytest.raises(ValueError, match="out_axes 3 is out of range"):
        fad.vmap(lambda x: x, out_axes=3)(np.ones((2, 3)))


def test_vmap_in_axes_length_mismatch():
    with pytest.raises(ValueError, match="in_axes has 3 entries") as e:
        fad.vmap(lambda x, y: x + y, in_axes=(0, 0, None))(X, X)
    assert "2 positional argument" in str(e.value)


def test_vmap_in_axes_structure_mismatch():
    with pytest.raises(ValueError, match="does not match the structure"):
        fad.vmap(lambda d: d["a"], in_axes=({"a": 0, "b": 0},))({"a": X})


def test_vmap_bad_in_axes_type():
    with pytest.raises(TypeError, match="ints and None"):
        fad.vmap(lambda x: x, in_axes=0.5)


def test_vmap_nothing_mapped():
    with pytest.raises(ValueError, match="axis_size"):
        fad.vmap(lambda x: x, in_axes=None)(X)


def test_vmap_out_axes_none_on_batched_output():
    with pytest.raises(ValueError, match="out_axes=None"):
        fad.vmap(lambda x: x, out_axes=None)(X)


@pytest.mark.parametrize(
    "fun",
    [
        lambda x: 1.0 if x > 0 else 0.0,
        lambda x: bool(x),
        lambda x: x if fnp.sum(x) else x,
    ],
)
def test_branching_on_a_batched_value(fun):
    with pytest.raises(fad.TracerConversionError, match="fad.vmap") as e:
        fad.vmap(fun)(X)
    assert "fad.numpy.where" in str(e.value)
    assert isinstance(e.value, TypeError)


# -------------------------------------------------------------- concrete conversions


@pytest.mark.parametrize("transform", ["grad", "jvp", "vmap"])
def test_float_on_a_traced_value(transform):
    f = lambda x: float(x) * 2.0
    with pytest.raises(fad.TracerConversionError, match=r"float\(\)") as e:
        if transform == "grad":
            fad.grad(f)(1.0)
        elif transform == "jvp":
            fad.jvp(f, (1.0,), (1.0,))
        else:
            fad.vmap(f)(X)
    assert f"fad.{transform}" in str(e.value)
    assert "stop_gradient" in str(e.value)


def test_int_on_a_traced_value():
    with pytest.raises(fad.TracerConversionError, match=r"int\(\)"):
        fad.grad(lambda x: int(x) * x)(1.0)


def test_np_asarray_on_a_tracer():
    with pytest.raises(fad.TracerConversionError, match="fad.numpy") as e:
        fad.grad(lambda x: np.asarray(x).sum())(X)
    assert "shape (3,)" in str(e.value)


def test_numpy_function_on_a_tracer_is_an_error_not_a_wrong_answer():
    with pytest.raises((fad.TracerConversionError, TypeError)):
        fad.grad(lambda x: np.linalg.norm(np.asarray(x)))(X)


def test_setitem_on_a_tracer_points_to_at():
    def f(x):
        x[0] = 1.0
        return fnp.sum(x)

    with pytest.raises(TypeError, match=r"\.at\[") as e:
        fad.grad(f)(X)
    assert "immutable" in str(e.value)


# ------------------------------------------------------------------------ escaped tracers


@pytest.mark.parametrize(
    "name, run",
    [
        ("grad", lambda f: fad.grad(f)(1.0)),
        ("jvp", lambda f: fad.jvp(f, (1.0,), (1.0,))),
        ("vjp", lambda f: fad.vjp(f, 1.0)),
        ("vmap", lambda f: fad.vmap(f)(X)),
    ],
)
def test_escaped_tracer_names_the_transform(name, run):
    leaked = []

    def f(x):
        leaked.append(x)
        return x * 2.0

    run(f)
    for use in (lambda t: t + 1.0, lambda t: fnp.sin(t), lambda t: bool(t > 0)):
        with pytest.raises(fad.EscapedTracerError, match=f"fad.{name} returned") as e:
            use(leaked[0])
        assert "Return it from the function" in str(e.value)
        assert isinstance(e.value, RuntimeError)


def test_escaped_inner_tracer_used_under_outer_transform():
    leaked = []

    def outer(x):
        def inner(y):
            leaked.append(y)
            return y * x

        fad.jvp(inner, (x,), (1.0,))
        return leaked[-1] * x  # the jvp tracer is dead here, though grad is still running

    with pytest.raises(fad.EscapedTracerError, match="fad.jvp"):
        fad.grad(outer)(2.0)
    assert current_trace() is EVAL


# ---------------------------------------------------------------- jvp / vjp arguments


def test_jvp_tangent_shape_mismatch():
    with pytest.raises(ValueError, match=r"shape \(3,\) but its tangent has shape \(2,\)"):
        fad.jvp(fnp.sin, (X,), (np.ones(2),))


def test_jvp_tangent_dtype_mismatch():
    with pytest.raises(TypeError, match="dtype float64 but its tangent has dtype float32"):
        fad.jvp(fnp.sin, (X,), (np.ones(3, np.float32),))


def test_jvp_int_primal_needs_float0_tangent():
    with pytest.raises(TypeError, match="float0"):
        fad.jvp(lambda x: x * 1.0, (np.arange(3),), (np.ones(3),))


def test_jvp_structure_and_count_mismatch():
    with pytest.raises(TypeError, match="same tree structure"):
        fad.jvp(lambda a: a[0], ((1.0, 2.0),), ([1.0, 2.0],))
    with pytest.raises(TypeError, match="one tangent per primal"):
        fad.jvp(lambda a, b: a, (1.0, 2.0), (1.0,))
    with pytest.raises(TypeError, match="tuples or lists"):
        fad.jvp(fnp.sin, 1.0, 1.0)


class TestVjpCotangent:
    def setup_method(self):
        self.y, self.pullback = fad.vjp(lambda x: (fnp.sin(x), fnp.sum(x)), X)

    def test_wrong_shape(self):
        with pytest.raises(ValueError, match=r"shape \(2,\), but the output it belongs to has shape \(3,\)"):
            self.pullback((np.ones(2), 1.0))

    def test_wrong_dtype(self):
        with pytest.raises(TypeError, match="dtype float32") as e:
            self.pullback((np.ones(3, np.float32), 1.0))
        assert "astype(float64)" in str(e.value)

    def test_wrong_structure(self):
        with pytest.raises(TypeError, match="structure"):
            self.pullback([np.ones(3), 1.0])
        with pytest.raises(TypeError, match="structure"):
            self.pullback(np.ones(3))

    def test_still_usable_after_errors(self):
        with pytest.raises(ValueError):
            self.pullback((np.ones(2), 1.0))
        (ct,) = self.pullback((np.ones(3), 0.0))
        np.testing.assert_allclose(ct, np.cos(X))


# -------------------------------------------------------------------- missing rules


@pytest.mark.parametrize(
    "transform, run",
    [
        ("jvp", lambda f: fad.jvp(f, (X,), (X,))),
        ("vjp", lambda f: fad.grad(lambda x: fnp.sum(f(x)))(X)),
        ("vjp", lambda f: fad.jacrev(f)(X)),
        ("vmap", lambda f: fad.vmap(f)(np.ones((2, 3)))),
    ],
)
def test_missing_rule_names_primitive_and_transform(throwaway_primitive, transform, run):
    prim = throwaway_primitive("impl_only", np.sin)
    f = lambda x: bind(prim, x)
    np.testing.assert_allclose(f(X), np.sin(X))  # evaluation works without rules
    with pytest.raises(fad.MissingRuleError) as e:
        run(f)
    msg = str(e.value)
    assert "'_test_impl_only'" in msg and transform in msg
    assert isinstance(e.value, NotImplementedError)
    assert current_trace() is EVAL


def test_missing_rule_not_hit_when_nothing_is_traced(throwaway_primitive):
    prim = throwaway_primitive("impl_only_const", np.cos)
    # the primitive only sees a constant: no rule is needed under any transform
    g = fad.grad(lambda x: x * bind(prim, np.float64(0.0)))(2.0)
    assert g == 1.0
    out = fad.vmap(lambda x: x + bind(prim, np.float64(0.0)))(X)
    np.testing.assert_allclose(out, X + 1.0)


# ----------------------------------------------------- trace state after an exception


def boom(x):
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "nest",
    [
        lambda: fad.grad(lambda x: fad.grad(lambda y: boom(y))(x))(1.0),
        lambda: fad.grad(lambda x: fad.jvp(boom, (x,), (1.0,))[1])(1.0),
        lambda: fad.vmap(lambda x: fad.grad(boom)(x))(X),
        lambda: fad.jvp(lambda x: fad.vmap(boom)(x), (X,), (X,)),
        lambda: fad.jacfwd(fad.jacrev(boom))(X),
        lambda: fad.grad(lambda x: fad.grad(lambda y: fnp.sum(y * 2))(x * 2))(X),  # TypeError from grad
    ],
)
def test_trace_state_restored_after_error_at_depth_2(nest):
    with pytest.raises((RuntimeError, TypeError)):
        nest()
    assert current_trace() is EVAL
    # the next call works, at the same depth
    assert fad.grad(lambda x: fad.grad(lambda y: y**3)(x))(2.0) == 12.0
    np.testing.assert_allclose(fad.vmap(fad.grad(lambda y: y**2))(X), 2 * X)
