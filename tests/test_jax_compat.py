"""JAX's small conveniences that ported code calls: device functions, make_jaxpr,
jit as a decorator factory, and the precision keywords of products."""

from __future__ import annotations

import numpy as np
import pytest

import fad
import fad.lax as lax
import fad.numpy as fnp
from fad.test_util import check_grads


def test_devices():
    (cpu,) = fad.devices()
    assert cpu.platform == "cpu" and fad.device_count() == 1 and fad.local_devices() == [cpu]
    x = fad.device_put(1.5)
    assert isinstance(x, np.ndarray) and x.dtype == np.float64
    tree = fad.device_put({"a": [1, 2], "b": np.ones(2)}, cpu)
    assert isinstance(tree["a"][0], np.ndarray) and tree["b"] is not None
    a = np.ones(3)
    assert fad.device_put(a) is a and fad.device_get(a) is a and fad.block_until_ready(a) is a
    with pytest.raises(TypeError, match="one device"):
        fad.device_put(1.0, "gpu:0")
    with pytest.raises(RuntimeError, match="no 'gpu' backend"):
        fad.devices("gpu")
    # under a transform a traced value stays traced
    assert fad.grad(lambda x: fnp.sum(fad.device_put(x) ** 2))(np.ones(2)).tolist() == [2.0, 2.0]


def test_make_jaxpr_and_jit_decorator():
    assert fad.make_jaxpr is fad.make_program

    @fad.jit(static_argnums=(1,))
    def power(x, n):
        return x**n

    assert power(2.0, 3) == 8.0 and power.cache_size() == 1
    with pytest.raises(TypeError, match="expected a function"):
        fad.jit(3)


PRODUCTS = {
    "dot": lambda a, b, **k: fnp.dot(a, b, **k),
    "matmul": lambda a, b, **k: fnp.matmul(a, b, **k),
    "einsum": lambda a, b, **k: fnp.einsum("ij,jk->ik", a, b, **k),
    "tensordot": lambda a, b, **k: fnp.tensordot(a, b, 1, **k),
    "inner": lambda a, b, **k: fnp.inner(a, b.T, **k),
    "vdot": lambda a, b, **k: fnp.vdot(a, b.T, **k),
    "vecdot": lambda a, b, **k: fnp.vecdot(a, b.T, **k),
}


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_precision_keywords(name):
    f = PRODUCTS[name]
    a, b = np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(3, 2) - 2
    want = f(a, b)
    got = f(a, b, precision=lax.Precision.HIGHEST)
    np.testing.assert_array_equal(got, want)
    got32 = f(a, b, precision="highest", preferred_element_type=np.float32)
    assert np.asarray(got32).dtype == np.float32
    np.testing.assert_allclose(got32, want, rtol=1e-6)
    ints = f(a.astype(int), b.astype(int), preferred_element_type=np.float64)
    np.testing.assert_array_equal(ints, want)
    g = fad.grad(lambda a: fnp.sum(f(a, b, preferred_element_type=np.float64) ** 2))(a)
    np.testing.assert_allclose(g, fad.grad(lambda a: fnp.sum(f(a, b) ** 2))(a))
    assert [lax.Precision.DEFAULT.name, lax.Precision.HIGH.name] == ["DEFAULT", "HIGH"]


def test_disable_jit_and_config():
    seen = []
    f = fad.jit(lambda x: seen.append(type(x).__name__) or x * 2)
    x = np.ones(2)
    f(x)
    f(x)  # (compiled: the Python body does not run)
    assert len(seen) == 1
    with fad.disable_jit():
        np.testing.assert_array_equal(f(x), 2 * x)
    assert seen[-1] == "ndarray" and len(seen) == 2
    f(x)
    assert len(seen) == 2  # compiled again after the block
    fad.config.update("jax_disable_jit", True)
    try:
        f(x)
        assert len(seen) == 3 and fad.config.disable_jit
    finally:
        fad.config.update("jax_disable_jit", False)
    f(x)
    assert len(seen) == 3
    fad.config.update("jax_enable_x64", True)
    fad.config.update("jax_platform_name", "cpu")
    fad.config.update("jax_default_matmul_precision", "highest")
    assert fad.config.jax_enable_x64
    with pytest.raises(ValueError, match="float32"):
        fad.config.update("jax_enable_x64", False)
    with pytest.raises(ValueError, match="CPU"):
        fad.config.update("jax_platforms", "gpu")
    with pytest.raises(KeyError, match="jax_enable_x64"):
        fad.config.update("jax_nonsense", 1)


def test_scipy_reached_from_the_package_and_small_queries():
    import fad as jax  # (as JAX code reaches jax.scipy after `import jax`)

    np.testing.assert_allclose(jax.scipy.special.logsumexp(np.zeros(2)), np.log(2.0))
    assert fad.default_backend() == "cpu" and fad.local_device_count() == 1
    assert fad.process_index() == 0 and fad.process_count() == 1
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        fad.nonsense  # noqa: B018


def test_array_is_a_class_for_isinstance():
    assert isinstance(fnp.ones(2), fad.Array) and isinstance(np.float64(1.0), fad.Array)
    assert isinstance(np.bool_(True), fad.Array) and issubclass(np.ndarray, fad.Array)
    assert (
        not isinstance(1.0, fad.Array) and not isinstance([1.0], fad.Array) and not isinstance("a", fad.Array)
    )
    seen = []

    def f(x):
        seen.append(isinstance(x, fad.Array))
        return fnp.sum(x**2)

    fad.grad(f)(np.ones(2))
    fad.jit(f)(np.ones(2))
    fad.vmap(f)(np.ones((2, 2)))
    assert seen == [True, True, True]


@pytest.mark.parametrize(
    "product",
    [
        lambda a, b: fnp.dot(a, b),
        lambda a, b: fnp.matmul(a, b),
        lambda a, b: fnp.inner(a, b.T[:3]),
        lambda a, b: fnp.vdot(a, b[:, :1]),
        lambda a, b: fnp.tensordot(a, b, axes=([1], [0])),
    ],
)
def test_misaligned_products_raise_both_numpy_and_jax_errors(product):
    a, b = np.ones((3, 4)), np.ones((3, 4))
    for kind in (ValueError, TypeError):  # NumPy raises the first, JAX the second
        with pytest.raises(kind, match="align|mismatch"):
            product(a, b)


def test_at_modes_as_jax():
    x = fnp.arange(5.0)
    assert x.at[20].get(mode="clip") == 4.0 and np.isnan(x.at[20].get(mode="fill"))
    assert x.at[20].get(mode="fill", fill_value=-1) == -1.0
    assert fnp.arange(3).at[7].get(mode="fill") == np.iinfo(np.int64).min
    assert fnp.arange(3, dtype=np.uint8).at[7].get(mode="fill") == 255
    np.testing.assert_array_equal(x.at[10].add(10, mode="drop"), x)
    np.testing.assert_array_equal(x.at[20].add(10, mode="clip"), [0, 1, 2, 3, 14])
    np.testing.assert_array_equal(x.at[-1].set(99, wrap_negative_indices=False, mode="drop"), x)
    np.testing.assert_array_equal(
        x.at[-7].set(99, wrap_negative_indices=False, mode="clip"), [99, 1, 2, 3, 4]
    )
    i = np.array([1, 7, -1, 3])
    np.testing.assert_array_equal(x.at[i].set(np.array([10.0, 20, 30, 40]), mode="drop"), [0, 10, 2, 40, 30])
    np.testing.assert_array_equal(x.at[i].get(mode="fill"), [1, np.nan, 4, 3])
    m = fnp.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(m.at[np.array([0, 5]), 1:].get(mode="fill"), [[1, 2, 3], [np.nan] * 3])
    np.testing.assert_array_equal(m.at[:, np.array([0, 9])].multiply(2.0, mode="drop"), m * [2, 1, 1, 1])
    np.testing.assert_array_equal(m.at[..., 9].max(100.0, mode="clip"), m.at[:, 3].set(100.0))
    with pytest.raises(IndexError, match="out of bounds"):  # no mode: NumPy's values
        x.at[9].get()
    with pytest.raises(ValueError, match="mode="):
        x.at[1].get(mode="wrap")
    with pytest.raises(ValueError, match="wrap_negative_indices"):
        x.at[1].set(0.0, wrap_negative_indices=False)
    # JAX's hints are accepted
    assert x.at[1].get(indices_are_sorted=True, unique_indices=True) == 1.0


def test_at_modes_under_transforms():
    x = np.arange(5.0)
    idx = np.array([1, 9, 2])

    def f(x, i):
        return fnp.sum(fnp.asarray(x).at[i].get(mode="fill", fill_value=0.0) ** 2)

    np.testing.assert_array_equal(fad.grad(f)(x, idx), [0, 2, 4, 0, 0])
    assert fad.jit(f)(x, idx) == f(x, idx) == 5.0
    np.testing.assert_array_equal(
        fad.vmap(lambda i: fnp.asarray(x).at[i].get(mode="fill"))(np.array([0, 7, 3])), [0, np.nan, 3]
    )
    g = lambda x, i: fnp.asarray(x).at[i].add(x[0] + 1.0, mode="drop")  # noqa: E731
    np.testing.assert_array_equal(fad.jit(g)(x, np.array([1, 9])), g(x, np.array([1, 9])))
    np.testing.assert_array_equal(
        fad.vmap(g, in_axes=(None, 0))(x, np.array([[1], [9]])), [[0, 2, 2, 3, 4], x]
    )
    np.testing.assert_array_equal(fad.jacfwd(g)(x, idx)[:, 0], [1, 1, 1, 0, 0])
    check_grads(lambda x: fnp.sum(fnp.sin(g(x, idx))), (x,), order=2)


def test_at_apply():
    x = fnp.arange(5.0)
    np.testing.assert_allclose(x.at[np.array([1, 1, 3])].apply(fnp.exp), [0, np.exp(np.e), 2, np.exp(3.0), 4])
    g = fad.grad(lambda x: fnp.sum(fnp.asarray(x).at[np.array([1, 1, 3])].apply(fnp.sin)))(np.arange(5.0))
    np.testing.assert_allclose(g, [1, np.cos(np.sin(1.0)) * np.cos(1.0), 1, np.cos(3.0), 1])
    j = fad.jit(lambda x, i: fnp.asarray(x).at[i].apply(fnp.sin))(np.arange(5.0), np.array([0, 2]))
    np.testing.assert_allclose(j, [0, 1, np.sin(2.0), 3, 4])
    np.testing.assert_array_equal(x.at[9].apply(fnp.sin, mode="drop"), x)
    # second order, and under vmap against a loop
    idx = np.array([1, 1, 3])
    check_grads(lambda v: fnp.sum(fnp.asarray(v).at[idx].apply(fnp.sin) ** 2), (np.arange(5.0),), order=2)
    rows = np.arange(10.0).reshape(2, 5)
    batched = fad.vmap(lambda r: fnp.asarray(r).at[idx].apply(fnp.exp))(rows)
    np.testing.assert_array_equal(batched, [fnp.asarray(r).at[idx].apply(fnp.exp) for r in rows])


def test_linear_transpose():
    a = np.arange(6.0).reshape(3, 2)
    (t,) = fad.linear_transpose(lambda x: a @ x, np.zeros(2))(np.array([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(t, a.T @ [1.0, 0.0, -1.0])
    # pytrees in and out; shape-dtype stand-ins for the primals
    stand_in = type("S", (), {"shape": (3,), "dtype": np.dtype(np.float64)})()
    f_t = fad.linear_transpose(lambda x, y: {"a": 2 * x, "b": x + y.sum()}, np.zeros(2), stand_in)
    tx, ty = f_t({"a": np.ones(2), "b": np.array([1.0, 2.0])})
    np.testing.assert_array_equal(tx, [3.0, 4.0])
    np.testing.assert_array_equal(ty, [3.0, 3.0, 3.0])
    # complex: the transpose, not the adjoint (as JAX)
    (c,) = fad.linear_transpose(fnp.fft.fft, np.zeros(4, complex))(np.eye(4)[1] + 0j)
    np.testing.assert_allclose(c, np.fft.fft(np.eye(4))[1])
    # the adjoint identity <A x, y> == <x, A^T y> at random points
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(2), rng.standard_normal(3)
    assert np.isclose(np.dot(a @ x, y), np.dot(x, fad.linear_transpose(lambda v: a @ v, x)(y)[0]))
    # under transforms, closing over a traced matrix
    g = fad.grad(lambda m: fad.linear_transpose(lambda v: m @ v, np.zeros(2))(np.ones(3))[0].sum())(a)
    np.testing.assert_array_equal(g, np.ones((3, 2)))
    jt = fad.jit(lambda m, c: fad.linear_transpose(lambda v: m @ v, np.zeros(2))(c)[0])
    np.testing.assert_array_equal(jt(a, np.ones(3)), a.T @ np.ones(3))
    # under vmap (a batch of cotangents) and to second order through a traced matrix
    cts = np.arange(9.0).reshape(3, 3)
    f_t = fad.linear_transpose(lambda v: a @ v, np.zeros(2))
    np.testing.assert_array_equal(fad.vmap(lambda c: f_t(c)[0])(cts), cts @ a)
    check_grads(
        lambda m: fnp.sum(fad.linear_transpose(lambda v: m @ v, np.zeros(2))(np.ones(3))[0] ** 2),
        (a,),
        order=2,
    )
    with pytest.raises(ValueError, match="affine"):
        fad.linear_transpose(lambda v: a @ v + 1.0, np.zeros(2))
    with pytest.raises(ValueError, match="not linear"):
        fad.linear_transpose(fnp.sin, np.zeros(2))


def test_jit_names_an_argument_it_cannot_trace():
    class Custom:
        def calc(self, y):
            return y * 2

    with pytest.raises(TypeError, match=r"argument at \[0\] .* is a Custom, .*static_argnums"):
        fad.jit(Custom.calc)(Custom(), 2.0)
    with pytest.raises(TypeError, match=r"argument at \[0\]\['name'\] .* is a str"):
        fad.jit(lambda d, y: y * d["a"])({"a": 1.0, "name": "abc"}, 2.0)
    assert fad.jit(Custom.calc, static_argnums=0)(Custom(), 2.0) == 4.0


def test_typeof():
    assert str(fad.typeof(np.ones((3, 3)))) == "float64[3,3]"
    assert repr(fad.typeof(2.0)) == "ShapedArray(~float64[])" and fad.typeof(2.0).weak_type
    assert fad.typeof(np.float32(1.0)) == fad.typeof(np.ones((), np.float32))
    seen = []
    fad.vmap(lambda v: seen.append(str(fad.typeof(v))) or v)(fnp.arange(3))
    fad.jit(lambda v: seen.append(str(fad.typeof(v))) or v)(np.ones((2, 4)))
    fad.grad(lambda v: seen.append(str(fad.typeof(v))) or v)(1.0)
    assert seen == ["int64[]", "float64[2,4]", "float64[]"]
    t = fad.typeof(np.zeros((2, 5), np.int32))
    assert (t.shape, t.dtype, t.ndim, t.size) == ((2, 5), np.dtype(np.int32), 2, 10)


def test_compiled_code_is_kept_per_function_as_in_jax():
    captures = []

    def f(x):
        captures.append(1)
        return x * 2.0

    for i in range(4):  # (a new jitted function each time round, as JAX code often writes)
        fad.jit(f)(np.ones(3) * i)
    assert len(captures) == 1
    fad.jit(f, static_argnums=())(np.ones(3))  # (the same options: the same cache)
    assert len(captures) == 1
    fad.jit(lambda x: f(x))(np.ones(3))  # (another function: its own cache)
    assert len(captures) == 2
    g = fad.jit(f)
    g.clear_cache()
    fad.jit(f)(np.ones(3))
    assert len(captures) == 3
    fad.clear_caches()
    g(np.ones(3))
    assert len(captures) == 4
    # JAX's gotcha, and its cure: a global read at capture is baked in until caches are cleared
    box = {"offset": 0.0}
    h = lambda x: x + box["offset"]  # noqa: E731
    assert fad.jit(h)(4.0) == 4.0
    box["offset"] = 10.0
    assert fad.jit(h)(5.0) == 5.0
    fad.clear_caches()
    assert fad.jit(h)(5.0) == 15.0
