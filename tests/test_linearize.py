"""linearize runs the function once and keeps only the linear tangent program."""

import numpy as onp
import pytest

import fad
import fad.numpy as np

X = onp.array([0.5, 1.0, 2.0])


def f(x):
    return np.sin(x) * np.sum(x**2)


def test_matches_jvp_and_runs_function_once():
    calls = []

    def g(x):
        calls.append(1)
        return f(x)

    y, f_jvp = fad.linearize(g, X)
    onp.testing.assert_allclose(y, f(X))
    n = len(calls)
    for t in (onp.array([1.0, 0.0, 0.5]), onp.ones(3)):
        onp.testing.assert_allclose(f_jvp(t), fad.jvp(f, (X,), (t,))[1])
    assert len(calls) == n == 1


def test_composes_with_vmap_and_grad():
    _, f_jvp = fad.linearize(f, X)
    onp.testing.assert_allclose(fad.vmap(f_jvp)(onp.eye(3)), fad.jacfwd(f)(X).T)
    t = onp.array([1.0, 0.0, 0.5])
    # inside grad the primals are traced: linearize falls back to forward mode, same values
    g = fad.grad(lambda x: fad.linearize(f, x)[1](t).sum())(X)
    onp.testing.assert_allclose(g, fad.grad(lambda x: fad.jvp(f, (x,), (t,))[1].sum())(X))


def test_pytrees_and_errors():
    y, f_jvp = fad.linearize(lambda a, b: {"o": a * b, "p": a + b}, 2.0, 3.0)
    assert y == {"o": 6.0, "p": 5.0}
    assert f_jvp(1.0, 0.0) == {"o": 3.0, "p": 1.0}
    with pytest.raises(TypeError, match="tangent"):
        f_jvp(onp.ones(2), 0.0)
    with pytest.raises(TypeError):
        f_jvp(1.0)
