"""Nothing leaked: the reverse-mode record is freed with its pullback, escaped tracers raise
EscapedTracerError under every transform, repeated calls do not grow memory; and scale: a
100,000-operation chain and a 10-million-element array differentiate."""

import gc
import sys
import tracemalloc
import weakref

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad._core import EVAL, current_trace
from fad._vjp import VJPTrace

X = np.array([0.3, -0.7, 1.1])


def _live_vjp_traces():
    gc.collect()
    return [o for o in gc.get_objects() if type(o) is VJPTrace]


def _trace_of(pullback):
    """The VJPTrace a pullback closes over (directly or through a function it closes over)."""
    for cell in pullback.__closure__:
        value = cell.cell_contents
        if isinstance(value, VJPTrace):
            return value
        if getattr(value, "__closure__", None):
            found = _trace_of(value)
            if found is not None:
                return found
    return None


def test_tape_freed_when_pullback_dropped():
    big = np.random.default_rng(0).uniform(size=200_000)

    class Marker(np.ndarray):
        pass

    x = big.view(Marker)
    _, pullback = fad.vjp(lambda v: fnp.sin(v) * 2.0, x)
    # the tape holds the primal (and sin's output); find the trace through the closures
    traces = [_trace_of(pullback)]
    assert len(traces) == 1
    ref = weakref.ref(traces[0])
    del traces
    ct = pullback(np.ones_like(big))[0]
    np.testing.assert_allclose(ct, 2 * np.cos(big))
    del pullback
    gc.collect()
    assert ref() is None


def test_tape_freed_without_gc_cycles():
    # reference counting alone frees the record (no cycle needs the collector)
    gc.disable()
    try:
        _, pullback = fad.vjp(lambda v: fnp.exp(v) * v, X)
        trace = _trace_of(pullback)
        ref = weakref.ref(trace)
        del trace, pullback
        assert ref() is None
    finally:
        gc.enable()


def test_large_primal_freed_after_grad():
    class Big(np.ndarray):
        pass

    x = np.ones(100_000).view(Big)
    ref = weakref.ref(x)
    g = fad.grad(lambda v: fnp.sum(fnp.sin(v) ** 2))(x)
    assert g.shape == (100_000,)
    del x
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: fad.grad(lambda x: fnp.sum(f(x)))(X),
        lambda f: fad.value_and_grad(lambda x: fnp.sum(f(x)))(X),
        lambda f: fad.vjp(f, X)[1](np.ones(3)),
        lambda f: fad.jacrev(f)(X),
        lambda f: fad.jacfwd(f)(X),
        lambda f: fad.hessian(lambda x: fnp.sum(f(x)))(X),
        lambda f: fad.jvp(f, (X,), (X,)),
        lambda f: fad.vmap(f)(X[:, None]),
    ],
    ids=["grad", "value_and_grad", "vjp", "jacrev", "jacfwd", "hessian", "jvp", "vmap"],
)
def test_no_traces_left_alive(transform):
    before = len(_live_vjp_traces())
    for _ in range(3):
        transform(lambda x: fnp.sin(x) * x)
    assert len(_live_vjp_traces()) <= before
    assert current_trace() is EVAL


# ----------------------------------------------------------------- escaped tracers

ESCAPE = {
    "grad": lambda f: fad.grad(lambda x: fnp.sum(f(x)))(X),
    "value_and_grad": lambda f: fad.value_and_grad(lambda x: fnp.sum(f(x)))(X),
    "vjp": lambda f: fad.vjp(f, X),
    "jvp": lambda f: fad.jvp(f, (X,), (X,)),
    "linearize": lambda f: fad.linearize(f, X),
    "jacfwd": lambda f: fad.jacfwd(f)(X),
    "jacrev": lambda f: fad.jacrev(f)(X),
    "hessian": lambda f: fad.hessian(lambda x: fnp.sum(f(x)))(X),
    "jacobian": lambda f: fad.jacobian(f)(X),
    "vmap": lambda f: fad.vmap(f)(X),
    "vmap-chunked": lambda f: fad.vmap(f, chunk_size=2)(X),
}


@pytest.mark.parametrize("name", sorted(ESCAPE))
def test_escaped_tracer_raises(name):
    leaked = []

    def f(x):
        leaked.append(x)
        return x * 2.0

    ESCAPE[name](f)
    assert leaked
    for t in leaked:
        for use in (lambda t: t + 1.0, lambda t: fnp.sin(t), lambda t: fnp.sum(t), lambda t: t * t):
            with pytest.raises(fad.EscapedTracerError, match="returned"):
                use(t)
    assert current_trace() is EVAL


def test_escaped_tracer_used_inside_another_transform():
    leaked = []
    fad.grad(lambda x: leaked.append(x) or fnp.sum(x))(X)
    with pytest.raises(fad.EscapedTracerError):
        fad.grad(lambda y: fnp.sum(y * leaked[0]))(X)
    with pytest.raises(fad.EscapedTracerError):
        fad.vmap(lambda y: y + leaked[0])(X[:, None])
    assert current_trace() is EVAL


# ------------------------------------------------------------- repeated calls


def _growth(fn, warm=20, n=300):
    for _ in range(warm):
        fn()
    gc.collect()
    tracemalloc.start()
    try:
        s0 = tracemalloc.take_snapshot()
        for _ in range(n):
            fn()
        gc.collect()
        s1 = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    return sum(d.size_diff for d in s1.compare_to(s0, "filename"))


@pytest.mark.parametrize(
    "fn",
    [
        lambda: fad.grad(lambda x: fnp.sum(fnp.tanh(x) ** 2))(X),
        lambda: fad.jacrev(lambda x: fnp.sin(x) * x[0], chunk_size=2)(X),
        lambda: fad.jacfwd(lambda x: fnp.exp(x))(X),
        lambda: fad.hessian(lambda x: fnp.sum(x**3))(X),
        lambda: fad.vmap(fad.grad(lambda x: fnp.sum(x**2)))(np.ones((4, 3))),
        lambda: fad.vjp(lambda x: x * 2.0, X)[1](X),
    ],
    ids=["grad", "jacrev", "jacfwd", "hessian", "vmap-grad", "vjp"],
)
def test_repeated_calls_do_not_grow_memory(fn):
    grown = _growth(fn)
    assert grown < 64 * 1024, f"{grown} bytes retained after 300 calls"


# --------------------------------------------------------------------------- scale


def test_100k_operation_chain():
    assert sys.getrecursionlimit() <= 10_000

    def f(x):
        for _ in range(50_000):
            x = fnp.sin(x) * 1.0000001
        return fnp.sum(x)

    # 100,000 primitives on the tape; no recursion in the backward pass
    x = np.array([0.5])
    g = fad.grad(f)(x)
    expected, y = 1.0, 0.5
    for _ in range(50_000):
        expected *= np.cos(y) * 1.0000001
        y = np.sin(y) * 1.0000001
    np.testing.assert_allclose(g, [expected], rtol=1e-9)


def test_100k_operation_chain_forward_mode():
    def f(x):
        for _ in range(100_000):
            x = x * 1.0000001
        return x

    _, t = fad.jvp(f, (1.0,), (1.0,))
    np.testing.assert_allclose(t, 1.0000001**100_000, rtol=1e-9)


def test_ten_million_elements():
    x = np.linspace(-1.0, 1.0, 10_000_000)
    g = fad.grad(lambda v: fnp.sum(fnp.sin(v) * v))(x)
    assert g.shape == x.shape and g.dtype == np.float64
    idx = np.array([0, 1234567, 9_999_999])
    np.testing.assert_allclose(g[idx], np.cos(x[idx]) * x[idx] + np.sin(x[idx]), rtol=1e-12)


def test_ten_million_elements_float32_vmap_jvp():
    x = np.linspace(-1.0, 1.0, 10_000_000, dtype=np.float32).reshape(1000, 10_000)
    out = fad.vmap(lambda r: fad.jvp(fnp.exp, (r,), (fnp.ones_like(r),))[1])(x)
    assert out.dtype == np.float32 and out.shape == x.shape
    np.testing.assert_allclose(out[::100, ::1000], np.exp(x[::100, ::1000]), rtol=1e-6)


def test_long_capture_leaves_the_collector_as_it_was():
    # capture pauses the cycle collector and turns it back on, freezing nothing (a freeze
    # would keep the user's own cycles from being collected); a dropped program is freed by
    # reference counting alone
    from fad import _staging

    frozen = gc.get_freeze_count()
    jf = fad.jit(fad.grad(lambda v: fnp.sum(fnp.sin(fnp.exp(v) * v) ** 2)))
    np.testing.assert_allclose(jf(X), fad.grad(lambda v: fnp.sum(fnp.sin(fnp.exp(v) * v) ** 2))(X))
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    prog = _staging.capture(lambda v: fnp.exp(v) * v, (X,))
    ref = weakref.ref(prog.eqns[0].outvars[0])
    gc.disable()
    try:
        del prog
        assert ref() is None
    finally:
        gc.enable()
