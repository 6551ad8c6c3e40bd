"""fad.jit's generated code: what it contains (no per-operation cost that the arithmetic does
not need) and that it computes exactly what eager fad does. Speed itself is measured in
``benchmarks/`` (W2 at 0-d, W4), never here."""

import math
import re

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad._jit import compile_program


def _source(f, *args):
    return compile_program(fad.jit(f).program(*args)).source


def _chain(x):
    for i in range(40):
        k = i % 8
        if k == 0:
            x = np.sin(x)
        elif k == 1:
            x = np.cos(x)
        elif k == 2:
            x = np.tanh(x)
        elif k == 3:
            x = x * 1.01
        elif k == 4:
            x = x + 0.1
        elif k == 5:
            x = x * x
        elif k == 6:
            x = -x
        else:
            x = np.exp(x)
    return np.sum(x)


def _same(a, b):
    assert type(a) is type(b), (type(a), type(b))
    assert onp.result_type(a) == onp.result_type(b)
    assert onp.array_equal(a, b, equal_nan=True)
    if onp.ndim(a) == 0 and onp.result_type(a).kind == "f":
        assert math.copysign(1.0, a) == math.copysign(1.0, b)


# ------------------------------------------------------------------ 0-d arithmetic


def test_scalar_chain_gradient_uses_operators_and_matches_eager():
    x = onp.asarray(0.37)
    src = _source(fad.grad(_chain), x)
    # the arithmetic is Python operators on NumPy scalars: no ufunc call, no 0-d constant
    assert " * 1.01" in src and " + 0.1" in src and "= -v" in src
    jg = fad.jit(fad.grad(_chain))
    for v in (0.37, -1.3, 2.0, 0.0, -0.0, 1e-300):
        for arg in (onp.asarray(v), onp.float64(v)):
            _same(jg(arg), fad.grad(_chain)(arg))


def test_array_chain_keeps_ufuncs():
    src = _source(fad.grad(_chain), onp.linspace(-1, 1, 5))
    assert " * 1.01" not in src and " + 0.1" not in src


@pytest.mark.parametrize("dtype", [onp.float32, onp.float64])
def test_scalar_operators_keep_numpy_dtypes(dtype):
    def f(x, s):
        return [x * 2.5, 1.0 - x, x / 3, -x, x + s, s * x, x * x, x / 0.0, (x - x) * -1.0]

    x = onp.asarray(1.75, dtype=dtype)
    for s in (0.3, 2, True, onp.float32(0.3), onp.asarray(0.3)):
        got = fad.jit(f)(x, s)
        want = f(x, s)
        for a, b in zip(got, want, strict=True):
            _same(a, b)


@pytest.mark.parametrize("dtype", [onp.float32, onp.float64])
def test_scalar_operators_take_0d_constants_of_the_result_dtype(dtype):
    # a closed-over 0-d array (as 1 / n in a softmax's derivative) is written as a float
    for c in (onp.asarray(1.0, dtype), onp.asarray(-0.0, dtype), onp.asarray(0.1, dtype)):

        def f(x):
            return [c / x, x - c, c * x + c]

        x = onp.asarray(1.75, dtype=dtype)
        assert not re.search(r"\bf\d+\(", _source(f, x))  # operators only, no ufunc call
        for a, b in zip(fad.jit(f)(x), f(x), strict=True):
            _same(a, b)
    other = onp.asarray(0.1, onp.float64 if dtype is onp.float32 else onp.float32)
    x = onp.asarray(1.75, dtype=dtype)  # another dtype: NumPy's promotion, by the ufunc
    _same(fad.jit(lambda x: other / x)(x), other / x)


def test_scalar_operators_not_used_where_python_arithmetic_would_differ():
    x = onp.asarray(1.5)
    # a complex Python constant: complex.__mul__ would return a Python complex
    assert " * 1j" not in _source(lambda x: x * 1j, x)
    _same(fad.jit(lambda x: x * 1j)(x), onp.multiply(x, 1j))
    # two Python numbers: Python's arithmetic, not NumPy's
    _same(fad.jit(lambda a, b: a * b)(2.0, 3.0), onp.multiply(2.0, 3.0))
    _same(fad.jit(lambda a, b: a / b)(2**60 + 1, 3), onp.divide(2**60 + 1, 3))
    # integers: scalar arithmetic warns on overflow where the ufunc wraps
    i = onp.asarray(2**62, dtype=onp.int64)
    assert " * 4" not in _source(lambda i: i * 4, i)
    with onp.errstate(all="raise"):
        _same(fad.jit(lambda i: i * 4)(i), onp.multiply(i, 4))


def test_scalar_operators_in_the_interpreter_of_long_programs():
    def long(x):
        for _ in range(1500):
            x = x * 1.0001 - 0.25
            x = -x
        return x

    x = onp.asarray(0.5)
    jl = fad.jit(long)
    for _ in range(25):  # interpreted, then compiled in chunks
        _same(jl(x), long(x))


# ------------------------------------------------------------------ the call itself


def test_fast_dispatch_keys_on_shape_dtype_and_python_floats():
    calls = []

    def f(x, s):
        calls.append(1)
        return x * s

    jf = fad.jit(f)
    a = onp.arange(3.0)
    _same(jf(a, 2.0), a * 2.0)
    _same(jf(a + 1, 3.0), (a + 1) * 3.0)  # the same signature: no new capture
    assert len(calls) == 1
    _same(jf(a.astype(onp.float32), 2.0), a.astype(onp.float32) * 2.0)
    _same(jf(a[:2], 2.0), a[:2] * 2.0)
    _same(jf(a, 2), a * 2)  # an int is its own signature
    _same(jf(a, onp.float64(2.0)), a * 2.0)
    assert len(calls) == 5 and jf.cache_size() == 5
    jf.clear_cache()
    jf(a, 2.0)
    assert len(calls) == 6


def test_fast_dispatch_respects_the_cache_size():
    jf = fad.jit(lambda x: x + 1.0, cache_size=2)
    for n in (1, 2, 3, 1, 2, 3):
        _same(jf(onp.zeros(n)), onp.ones(n))
    assert jf.cache_size() == 2


def test_fast_dispatch_returns_the_output_tree():
    jf = fad.jit(lambda x: {"a": x * 2.0, "b": (x, x.sum())})
    out = jf(onp.ones(2))
    out = jf(onp.ones(2))
    assert set(out) == {"a", "b"} and out["b"][0] is not None
    assert fad.jit(lambda x: [x * 2.0])(onp.ones(2))[0].shape == (2,)
