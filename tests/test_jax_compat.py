"""JAX's small conveniences that ported code calls: device functions, make_jaxpr,
jit as a decorator factory, and the precision keywords of products."""

from __future__ import annotations

import numpy as np
import pytest

import fad
import fad.lax as lax
import fad.numpy as fnp


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
