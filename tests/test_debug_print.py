"""fad.debug.print and callback: called with the values when the function runs, under
every transform, at every call of a jitted function (never at its capture), kept and
never merged by jit's simplifier."""

from __future__ import annotations

import numpy as np
import pytest

import fad
import fad.lax as lax
import fad.numpy as fnp


@pytest.fixture
def seen():
    return []


def traced(seen):
    def f(x):
        fad.debug.callback(lambda v: seen.append(np.asarray(v).tolist()), x)
        return fnp.sin(x) * 2

    return f


def test_eager_jit_and_make_program(seen):
    f = traced(seen)
    f(1.0)
    g = fad.jit(f)
    g(2.0)
    g(3.0)
    fad.make_program(f)(4.0)  # (captured, not run)
    assert seen == [1.0, 2.0, 3.0]
    assert "debug_callback" in str(g.program(2.0))


def test_derivatives_see_primal_values(seen):
    f = traced(seen)
    np.testing.assert_allclose(fad.grad(f)(0.5), 2 * np.cos(0.5))
    fad.jvp(f, (0.25,), (1.0,))
    fad.jit(fad.grad(f))(0.75)
    fad.hessian(f)(0.125)
    assert seen == [0.5, 0.25, 0.75, 0.125]


def test_vmap_calls_once_per_example(seen):
    f = traced(seen)
    fad.vmap(f)(np.array([1.0, 2.0]))
    fad.jit(fad.vmap(f))(np.array([3.0, 4.0]))
    fad.vmap(fad.vmap(f))(np.array([[5.0, 6.0], [7.0, 8.0]]))
    assert seen == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    seen.clear()
    fad.vmap(
        lambda x, y: fad.debug.callback(lambda a, b: seen.append((float(a), float(b))), x, y),
        in_axes=(0, None),
    )(np.array([1.0, 2.0]), 9.0)
    assert seen == [(1.0, 9.0), (2.0, 9.0)]


def test_loops_and_equal_calls(seen):
    def body(i, c):
        fad.debug.callback(lambda a: seen.append(int(a)), i)
        return c + i

    run = fad.jit(lambda n: lax.fori_loop(0, n, body, 0.0))
    run(3)
    run(2)
    assert seen == [0, 1, 2, 0, 1]
    seen.clear()
    twice = fad.jit(lambda x: (fad.debug.callback(seen.append, 1), fad.debug.callback(seen.append, 1), x)[2])
    twice(1.0)
    assert seen == [1, 1]
    seen.clear()
    no_args = fad.jit(lambda x: (fad.debug.callback(lambda: seen.append("hi")), x * 2)[1])
    no_args(1.0)
    no_args(2.0)
    assert seen == ["hi", "hi"]


def test_print_formats(capsys):
    f = fad.jit(lambda x, y: (fad.debug.print("x={} y={y}", x, y=y), x + y)[1])
    f(1.0, np.array([2.0, 3.0]))
    assert capsys.readouterr().out == "x=1.0 y=[2. 3.]\n"
    # pytrees reach the callback whole
    out = []
    fad.debug.callback(lambda t: out.append(sorted(t)), {"a": np.ones(1), "b": 2.0})
    assert out == [["a", "b"]]
