"""dtype policy, per transform: float32 stays float32 (values, tangents, cotangents,
Jacobians, Hessians, vmap); float64 by default; mixed inputs promote as NumPy does; Python
scalars inside functions are weak (NEP 50); a Python float *argument* is np.float64."""

import numpy as np
import pytest

import fad
import fad.numpy as fnp

X64 = np.array([0.3, -0.7, 1.1])
X32 = X64.astype(np.float32)
F32, F64 = np.dtype(np.float32), np.dtype(np.float64)


def f(x):
    return fnp.tanh(x) * 2.0 + fnp.exp(x / 3) * x - 1  # Python scalars: weak


def fs(x):
    return fnp.sum(f(x) ** 2)


def dtypes(tree):
    return {np.asarray(leaf).dtype for leaf in fad.tree_util.tree_leaves(tree)}


TRANSFORMS = {
    "eval": lambda x: f(x),
    "grad": lambda x: fad.grad(fs)(x),
    "value_and_grad": lambda x: fad.value_and_grad(fs)(x),
    "jvp": lambda x: fad.jvp(f, (x,), (fnp.ones_like(x),)),
    "vjp": lambda x: (lambda y, pb: (y, pb(fnp.ones_like(y))))(*fad.vjp(f, x)),
    "linearize": lambda x: (lambda y, lin: (y, lin(fnp.ones_like(x))))(*fad.linearize(f, x)),
    "jacfwd": lambda x: fad.jacfwd(f)(x),
    "jacrev": lambda x: fad.jacrev(f)(x),
    "jacobian": lambda x: fad.jacobian(f)(x),
    "jacrev-chunked": lambda x: fad.jacrev(f, chunk_size=2)(x),
    "hessian": lambda x: fad.hessian(fs)(x),
    "hessian-chunked": lambda x: fad.hessian(fs, chunk_size=1)(x),
    "vmap": lambda x: fad.vmap(f)(x),
    "vmap-chunked": lambda x: fad.vmap(f, chunk_size=2)(x),
    "vmap-grad": lambda x: fad.vmap(fad.grad(lambda v: fnp.sin(v) * 2.0))(x),
    "grad-grad": lambda x: fad.grad(lambda v: fnp.sum(fad.grad(fs)(v)))(x),
    "jvp-of-vjp": lambda x: fad.jvp(
        lambda v: fad.vjp(f, v)[1](fnp.ones_like(v))[0], (x,), (fnp.ones_like(x),)
    ),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
@pytest.mark.parametrize("x, dt", [(X32, F32), (X64, F64)], ids=["float32", "float64"])
def test_dtype_is_kept(name, x, dt):
    out = TRANSFORMS[name](x)
    assert dtypes(out) == {dt}
    if dt == F32:  # and the values agree with float64 to float32 precision
        ref = TRANSFORMS[name](X64)
        for a, b in zip(fad.tree_util.tree_leaves(out), fad.tree_util.tree_leaves(ref), strict=True):
            np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-5)


def test_default_is_float64():
    assert dtypes(fad.grad(lambda x: x**2)(1.0)) == {F64}
    assert dtypes(fad.jacfwd(lambda x: x * 2)([1.0, 2.0])) == {F64}
    assert fnp.ones(3).dtype == F64 and fnp.array([1.0]).dtype == F64


# ------------------------------------------------------------------ mixed inputs


def mixed(a, b):
    return a * b + fnp.sin(a)


@pytest.mark.parametrize(
    "a, b",
    [
        (X32, X64),
        (X64, X32),
        (X32, np.float64(2.0)),
        (X32, np.float32(2.0)),
        (X32, np.arange(3)),
        (X32, np.arange(3, dtype=np.int8)),
        (X32, 2.0),
        (X32, 2),
        (X64, np.float32(2.0)),
    ],
    ids=[
        "32x64",
        "64x32",
        "32xnp64scalar",
        "32xnp32scalar",
        "32xint64",
        "32xint8",
        "32xpyfloat",
        "32xpyint",
        "64xnp32scalar",
    ],
)
def test_mixed_inputs_promote_as_numpy(a, b):
    expected = (np.asarray(a) * b + np.sin(a)).dtype  # NumPy's own answer (NEP 50)
    assert mixed(a, b).dtype == expected
    # forward mode: value and tangent have the promoted dtype
    y, t = fad.jvp(lambda u: mixed(u, b), (a,), (np.ones_like(a),))
    assert y.dtype == expected and t.dtype == expected
    # reverse mode: the cotangent of each input has that input's dtype
    g = fad.grad(lambda u: fnp.sum(mixed(u, b)))(a)
    assert g.dtype == a.dtype
    if np.asarray(b).dtype.kind == "f" and not isinstance(b, float):
        ga, gb = fad.grad(lambda u, v: fnp.sum(mixed(u, v)), argnums=(0, 1))(a, b)
        assert ga.dtype == np.asarray(a).dtype and gb.dtype == np.asarray(b).dtype
    # jacobians and vmap
    assert fad.jacrev(lambda u: mixed(u, b))(a).dtype == np.asarray(a).dtype  # the input's
    assert fad.jacfwd(lambda u: mixed(u, b))(a).dtype == expected  # the output's
    assert fad.vmap(lambda u: mixed(u, b))(a).dtype == expected


def test_float32_gradient_of_a_float64_output_is_float32():
    g = fad.grad(lambda u: fnp.sum(u * X64))(X32)  # output float64, input float32
    assert g.dtype == F32
    np.testing.assert_allclose(g, X64.astype(F32))


def test_jacobian_blocks_with_mixed_dtypes():
    def g(a, b):
        return {"p": a * 2.0, "q": fnp.sum(b) * a.astype(np.float64)}

    # JAX's rule: reverse mode gives each block its input's dtype (as grad does), forward
    # mode its output's (the tangent's)
    J = fad.jacrev(g, argnums=(0, 1))(X32, X64)
    assert J["p"][0].dtype == F32 and J["p"][1].dtype == F64
    assert J["q"][0].dtype == F32 and J["q"][1].dtype == F64
    J = fad.jacfwd(g, argnums=(0, 1))(X32, X64)
    assert J["p"][0].dtype == F32 and J["p"][1].dtype == F32
    assert J["q"][0].dtype == F64 and J["q"][1].dtype == F64


def test_float32_input_float64_output_follows_jax_in_every_transform():
    # regression: grad gave float32 but jacrev and hessian float64
    f = lambda v: v.astype(np.float64) * 2.0  # noqa: E731
    assert fad.grad(lambda v: fnp.sum(f(v)))(X32).dtype == F32
    assert fad.jacrev(f)(X32).dtype == F32
    assert fad.jacfwd(f)(X32).dtype == F64
    assert fad.hessian(lambda v: fnp.sum(f(v) ** 3))(X32).dtype == F32  # jacfwd of a float32 jacrev
    assert fad.vjp(f, X32)[1](np.ones(3))[0].dtype == F32
    assert fad.jacobian(f, mode="rev")(X32).dtype == F32


# ------------------------------------------------------ Python scalars (the decision)


def test_python_scalars_inside_functions_are_weak():
    # NEP 50: a Python float does not widen float32
    assert fad.grad(lambda x: fnp.sum(x * 2.5 + 1))(X32).dtype == F32
    assert fad.jvp(lambda x: x**2.0 - 3, (X32,), (X32,))[1].dtype == F32
    # ... but a NumPy float64 scalar does (it is strong in NumPy too)
    assert (X32 * np.float64(2.5)).dtype == F64
    assert fad.jvp(lambda x: x * np.float64(2.5), (X32,), (X32,))[1].dtype == F64


def test_python_float_argument_is_float64():
    # Decision (docs/hardening.md): a Python float passed as an argument is converted as
    # numpy.asarray converts it, i.e. it behaves like np.float64, not like a weak scalar.
    g = fad.grad(lambda x: x * 2.0)(3.0)
    assert type(g) is np.float64
    y, t = fad.jvp(lambda x, w: x * w, (3.0, X32), (1.0, np.ones(3, np.float32)))
    assert y.dtype == F64 and t.dtype == F64  # as np.asarray(3.0) * X32
    assert (np.asarray(3.0) * X32).dtype == F64
    assert fad.grad(lambda w, x: fnp.sum(w * x))(X32, 3.0).dtype == F32
    # to keep float32, pass a float32 scalar
    assert fad.grad(lambda x: x * 2.0)(np.float32(3.0)).dtype == F32


def test_vjp_cotangent_python_scalar_is_weak():
    _, pb = fad.vjp(lambda x: fnp.sum(x), X32)
    (g,) = pb(1.0)
    assert g.dtype == F32


def test_float16_is_kept():
    x = X64.astype(np.float16)
    assert fad.grad(lambda v: fnp.sum(v * v))(x).dtype == np.float16
    assert fad.jacfwd(lambda v: v * 2.0)(x).dtype == np.float16
