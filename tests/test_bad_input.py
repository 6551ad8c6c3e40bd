"""Bad input to the transforms: a clear error (type AND message) naming the argument and the
fix; never a deep traceback, never a silent coercion (issue #8 item 2)."""

import traceback

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad._core import EVAL, current_trace

X = np.array([0.5, -1.0, 2.0])
SUM = lambda x: fnp.sum(x * 2.0)


def raises(exc, *fragments, call):
    """``call()`` raises ``exc`` whose message holds every fragment, from fad's API layer
    (a short traceback: no frame deep in the core), and leaves the trace state clean."""
    with pytest.raises(exc) as e:
        call()
    msg = str(e.value)
    for frag in fragments:
        assert frag in msg, (frag, msg)
    frames = traceback.extract_tb(e.value.__traceback__)
    fad_frames = [f"{f.filename}:{f.lineno}" for f in frames if "/fad/" in f.filename]
    assert len(fad_frames) <= 6, fad_frames
    assert frames[-1].filename.endswith(
        ("_api.py", "_arguments.py", "_jacobians.py", "_linearize.py", "_tree.py")
    ), frames[-1].filename
    assert current_trace() is EVAL
    return msg


# --------------------------------------------------------------- non-array leaves


@pytest.mark.parametrize(
    "name, call",
    [
        ("grad", lambda a: fad.grad(lambda x: x)(a)),
        ("value_and_grad", lambda a: fad.value_and_grad(lambda x: x)(a)),
        ("vjp", lambda a: fad.vjp(lambda x: x, a)),
        ("jvp", lambda a: fad.jvp(lambda x: x, (a,), (a,))),
        ("jacfwd", lambda a: fad.jacfwd(lambda x: x)(a)),
        ("jacrev", lambda a: fad.jacrev(lambda x: x)(a)),
        ("hessian", lambda a: fad.hessian(lambda x: x)(a)),
        ("linearize", lambda a: fad.linearize(lambda x: x, a)),
        ("vmap", lambda a: fad.vmap(lambda x: x)(a)),
    ],
)
@pytest.mark.parametrize("leaf", ["abc", b"abc", object(), {1, 2}])
def test_non_array_leaf(name, call, leaf):
    msg = raises(TypeError, f"fad.{name}", "not an array", "register_pytree_node", call=lambda: call(leaf))
    assert type(leaf).__name__ in msg


@pytest.mark.parametrize("transform", ["grad", "vjp", "jvp", "vmap"])
def test_non_array_leaf_inside_a_pytree(transform):
    arg = {"w": X, "name": "layer1"}
    f = lambda d: fnp.sum(d["w"])
    call = {
        "grad": lambda: fad.grad(f)(arg),
        "vjp": lambda: fad.vjp(f, arg),
        "jvp": lambda: fad.jvp(f, (arg,), (arg,)),
        "vmap": lambda: fad.vmap(f)(arg),
    }[transform]
    raises(TypeError, "is a str ('layer1')", "closure", call=call)


@pytest.mark.parametrize(
    "call",
    [
        lambda a: fad.grad(SUM)(a),
        lambda a: fad.vjp(SUM, a),
        lambda a: fad.jvp(SUM, (a,), (np.ones(2),)),
        lambda a: fad.jacrev(SUM)(a),
        lambda a: fad.vmap(SUM)(a),
    ],
)
@pytest.mark.parametrize(
    "arr",
    [
        np.array([1.0, None], dtype=object),
        np.array(["a", "b"]),
        np.array(["2020-01-01"] * 2, "datetime64[D]"),
    ],
)
def test_non_numeric_arrays(call, arr):
    raises(TypeError, f"dtype {arr.dtype}", "cannot trace", "numeric array", call=lambda: call(arr))


# ------------------------------------------------------------------ None


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian"])
def test_none_as_the_differentiated_argument(transform):
    t = getattr(fad, transform)
    raises(
        TypeError,
        "argument 1",
        "is None",
        "leave the argument out of argnums",
        call=lambda: t(lambda x, y: x, argnums=1)(1.0, None),
    )


def test_none_tangent():
    raises(TypeError, "same tree structure", "(*,)", "(None,)", call=lambda: fad.jvp(fnp.sin, (X,), (None,)))


def test_none_cotangent():
    _, pullback = fad.vjp(fnp.sin, X)
    raises(TypeError, "structure PyTreeDef(None)", "PyTreeDef(*)", "ones_like", call=lambda: pullback(None))


def test_vmap_of_none_only():
    raises(
        ValueError, "at least one mapped argument", "axis_size", call=lambda: fad.vmap(lambda x: 1.0)(None)
    )


# ------------------------------------------------------- pytree structure mismatches


def test_jvp_structure_mismatch_tuple_vs_list():
    raises(
        TypeError,
        "same tree structure",
        "((*, *),)",
        "([*, *],)",
        call=lambda: fad.jvp(lambda a: a[0], ((1.0, 2.0),), ([1.0, 2.0],)),
    )


def test_jvp_structure_mismatch_dict_keys():
    raises(
        TypeError,
        "same tree structure",
        "'a'",
        "'b'",
        call=lambda: fad.jvp(lambda d: d["a"], ({"a": X},), ({"b": X},)),
    )


def test_jvp_count_mismatch():
    raises(
        TypeError,
        "2 primal(s) but 1 tangent(s)",
        "one tangent per primal",
        call=lambda: fad.jvp(lambda a, b: a, (1.0, 2.0), (1.0,)),
    )


@pytest.mark.parametrize(
    "ct, frag",
    [
        ([np.ones(3), 1.0], "PyTreeDef([*, *])"),
        (np.ones(3), "PyTreeDef(*)"),
        ((np.ones(3),), "PyTreeDef((*,))"),
        ((np.ones(3), 1.0, 1.0), "PyTreeDef((*, *, *))"),
    ],
)
def test_vjp_cotangent_structure_mismatch(ct, frag):
    _, pullback = fad.vjp(lambda x: (fnp.sin(x), fnp.sum(x)), X)
    raises(TypeError, frag, "PyTreeDef((*, *))", "they must match", call=lambda: pullback(ct))


# --------------------------------------------------------- cotangent shape / dtype


@pytest.mark.parametrize("shape", [(2,), (3, 1), (1, 3), ()])
def test_cotangent_shape(shape):
    _, pullback = fad.vjp(fnp.sin, X)
    raises(ValueError, f"shape {shape}", "has shape (3,)", call=lambda: pullback(np.ones(shape)))


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.complex128])
def test_cotangent_dtype(dtype):
    _, pullback = fad.vjp(fnp.sin, X)
    raises(
        TypeError,
        f"dtype {np.dtype(dtype)}",
        "float64",
        "astype(float64)",
        call=lambda: pullback(np.ones(3, dtype)),
    )


def test_cotangent_float64_for_float32_output():
    _, pullback = fad.vjp(fnp.sin, X.astype(np.float32))
    raises(TypeError, "dtype float64", "astype(float32)", call=lambda: pullback(np.ones(3)))


@pytest.mark.parametrize("ct", [True, np.array([True, False, True])])
def test_boolean_cotangent(ct):
    _, pullback = fad.vjp(fnp.sin, X if np.ndim(ct) else 1.0)
    raises(TypeError, "boolean", "float array", call=lambda: pullback(ct))


@pytest.mark.parametrize("ct", ["x", None, object()])
def test_non_array_cotangent_inside_the_structure(ct):
    _, pullback = fad.vjp(lambda x: {"a": fnp.sin(x)}, X)
    with pytest.raises(TypeError) as e:
        pullback({"a": ct})
    assert "cotangent" in str(e.value) or "structure" in str(e.value)


# --------------------------------------------------------------------- argnums


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian", "jacobian"])
@pytest.mark.parametrize("argnums", [2, -3, (0, 2)])
def test_argnums_out_of_range(transform, argnums):
    t = getattr(fad, transform)
    raises(
        TypeError,
        f"argnums={argnums!r}",
        "2 positional argument(s)",
        "change argnums",
        call=lambda: t(lambda x, y: fnp.sum(x * y), argnums=argnums)(X, X),
    )


@pytest.mark.parametrize("argnums", ["0", 0.0, None, True, [0, "1"]])
def test_argnums_wrong_type(argnums):
    raises(
        TypeError,
        "argnums must be an int or a tuple of ints",
        "argnums=(0, 1)",
        call=lambda: fad.grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0),
    )


@pytest.mark.parametrize("argnums", [(0, 0), (1, -1)])
def test_argnums_duplicates(argnums):
    # before: (0, 0) returned a zero first gradient -- a silently wrong answer
    raises(
        ValueError,
        "more than once",
        "each argument once",
        call=lambda: fad.grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0),
    )


def test_argnums_empty():
    raises(ValueError, "at least one argument", call=lambda: fad.grad(lambda x: x, argnums=())(1.0))


# ----------------------------------------------------------------------- in_axes


def test_in_axes_too_many_entries():
    raises(
        ValueError,
        "in_axes has 3 entries",
        "2 positional argument(s)",
        call=lambda: fad.vmap(lambda x, y: x + y, in_axes=(0, 0, None))(X, X),
    )


def test_in_axes_dict_keys_differ():
    raises(
        ValueError,
        "does not match the structure",
        "{'a': *}",
        call=lambda: fad.vmap(lambda d: d["a"], in_axes=({"b": 0},))({"a": X}),
    )


def test_in_axes_container_type_differs():
    raises(
        ValueError,
        "does not match the structure",
        "same type and length",
        call=lambda: fad.vmap(lambda t: t[0], in_axes=([0],))((X,)),
    )


def test_in_axes_container_for_a_leaf():
    raises(
        ValueError, "does not match the structure", call=lambda: fad.vmap(lambda x: x, in_axes=((0, 0),))(X)
    )


@pytest.mark.parametrize("spec", [0.5, "0", (0, 1.0), {"a": "x"}, True])
def test_in_axes_not_ints(spec):
    raises(TypeError, "ints and None", call=lambda: fad.vmap(lambda x: x, in_axes=spec))


def test_out_axes_not_matching_output():
    raises(
        ValueError,
        "does not match the structure",
        call=lambda: fad.vmap(lambda x: (x, x), out_axes=(0, 0, 0))(X),
    )


def test_in_axis_out_of_range_names_leaf_and_shape():
    raises(
        ValueError,
        "argument 1",
        "axis 1",
        "shape (3,)",
        call=lambda: fad.vmap(lambda x, y: x + y, in_axes=(0, 1))(X, X),
    )


# ------------------------------------------------------------ integer / bool inputs


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian", "jacobian"])
@pytest.mark.parametrize("arg", [3, True, np.arange(3), np.ones(3, bool), np.int32(2)])
def test_integer_and_bool_inputs_to_derivatives(transform, arg):
    t = getattr(fad, transform)
    raises(
        TypeError,
        "floating-point",
        "argument 0",
        "astype(float)",
        call=lambda: t(lambda x: fnp.sum(x * 1.0))(arg),
    )


def test_integer_primal_in_jvp_needs_float0():
    raises(
        TypeError,
        "primal 0 has dtype int64",
        "float0",
        call=lambda: fad.jvp(lambda x: x * 1.0, (np.arange(3),), (np.ones(3),)),
    )


@pytest.mark.parametrize("arg", [3, True, np.arange(3), np.int32(2)])
def test_integer_primal_in_linearize_names_it(arg):
    raises(
        TypeError,
        "fad.linearize requires floating-point primals",
        "primal 1",
        "functools.partial",
        call=lambda: fad.linearize(lambda x, n: x * n, 1.0, arg),
    )


def test_integer_input_to_vjp_gets_float0_not_a_coerced_gradient():
    _, pullback = fad.vjp(lambda x, n: x * n, X, np.arange(3))
    ct_x, ct_n = pullback(np.ones(3))
    np.testing.assert_array_equal(ct_x, np.arange(3))
    assert ct_n.dtype == fad.float0


def test_integer_output_of_grad():
    raises(
        TypeError, "floating-point output", "dtype bool", call=lambda: fad.grad(lambda x: fnp.sum(x) > 0)(X)
    )


@pytest.mark.parametrize("jac", ["jacrev", "jacobian"])
def test_integer_output_of_jacrev(jac):
    raises(
        TypeError,
        "floating-point outputs",
        "int64",
        call=lambda: (
            getattr(fad, jac)(lambda x: fnp.arange(3), mode="rev")(X)
            if jac == "jacobian"
            else fad.jacrev(lambda x: fnp.arange(3))(X)
        ),
    )


# -------------------------------------------------------------------- complex
# Complex values are differentiated with JAX's conventions (tests/test_complex.py); what
# is refused is what JAX refuses, with its messages: a complex output without
# holomorphic=True, holomorphic=True on real inputs or outputs, complex inputs to jacfwd.


@pytest.mark.parametrize(
    "name, call",
    [
        ("grad", lambda z: fad.grad(lambda x: x * x)(z)),
        ("value_and_grad", lambda z: fad.value_and_grad(lambda x: x * x)(z)),
        ("jacrev", lambda z: fad.jacrev(lambda x: x * x)(z)),
        ("jacobian", lambda z: fad.jacobian(lambda x: x * x)(z)),
    ],
)
@pytest.mark.parametrize("z", [1.0 + 2.0j, np.complex64(1j)])
def test_complex_output_needs_holomorphic(name, call, z):
    raises(TypeError, f"{name} requires real-valued outputs", "holomorphic=True", call=lambda: call(z))


@pytest.mark.parametrize("name", ["jacfwd", "hessian"])
@pytest.mark.parametrize("z", [1.0 + 2.0j, np.array([1 + 1j, 2 - 1j])])
def test_forward_jacobian_of_complex_inputs_needs_holomorphic(name, z):
    f = getattr(fad, name)(lambda x: fnp.real(x * x).sum())
    raises(TypeError, f"{name} requires real-valued inputs", "holomorphic=True", "fad.jvp", call=lambda: f(z))


@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian"])
def test_holomorphic_needs_complex_inputs_and_outputs(name):
    transform = getattr(fad, name)
    raises(
        TypeError,
        f"{name} with holomorphic=True requires inputs with complex dtype",
        "float64",
        call=lambda: transform(lambda x: x * x, holomorphic=True)(2.0),
    )
    real_valued = transform(lambda z: fnp.abs(z) ** 2, holomorphic=True)
    if name == "hessian":  # (raised by the inner jacrev, inside the outer jacfwd's trace)
        with pytest.raises(TypeError, match="jacrev with holomorphic=True requires outputs with complex"):
            real_valued(1.0 + 2.0j)
    else:
        msg = f"{name} with holomorphic=True requires outputs with complex dtype"
        raises(TypeError, msg, call=lambda: real_valued(1j))


def test_complex_values_under_vmap_are_fine():
    z = np.array([1 + 1j, 2 - 1j])
    np.testing.assert_array_equal(fad.vmap(lambda x: x * x)(z), z * z)


# ---------------------------------------------------------- non-numeric outputs


@pytest.mark.parametrize(
    "name, call",
    [
        ("grad", lambda f: fad.grad(f)(1.0)),
        ("vjp", lambda f: fad.vjp(f, 1.0)),
        ("jvp", lambda f: fad.jvp(f, (1.0,), (1.0,))),
        ("jacrev", lambda f: fad.jacrev(f)(X)),
        ("vmap", lambda f: fad.vmap(f)(X)),
    ],
)
@pytest.mark.parametrize("out", ["text", object(), np.array(["a"])])
def test_non_numeric_output(name, call, out):
    raises(TypeError, f"fad.{name} returned", "output leaf 0", "has_aux", call=lambda: call(lambda x: out))


# ----------------------------------------------------------------- jvp tangents


def test_tangent_shape():
    raises(
        ValueError,
        "primal 0 has shape (3,) but its tangent has shape (3, 1)",
        call=lambda: fad.jvp(fnp.sin, (X,), (np.ones((3, 1)),)),
    )


def test_tangent_dtype_is_not_coerced():
    raises(
        TypeError,
        "dtype float32 but its tangent has dtype float64",
        "astype(float32)",
        call=lambda: fad.jvp(fnp.sin, (X.astype(np.float32),), (np.ones(3),)),
    )


def test_primals_not_a_sequence():
    raises(TypeError, "tuples or lists", "fad.jvp(f, (x,), (t,))", call=lambda: fad.jvp(fnp.sin, X, X))


def test_not_callable():
    for t in (fad.grad, fad.jacfwd, fad.jacrev, fad.hessian, fad.vmap, fad.jacobian):
        raises(TypeError, "callable", call=lambda t=t: t("sin"))
