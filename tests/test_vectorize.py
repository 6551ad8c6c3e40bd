"""fad.numpy.vectorize against numpy.vectorize, and under the transforms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import fad
import fad.numpy as fnp

RNG = np.random.default_rng(0)


def branchy(t):
    return t * t if t > 0 else -t


@pytest.mark.parametrize(
    "fun,signature,shapes",
    [
        (lambda a, b: a * b + 1.0, None, [(3, 1), (4,)]),
        (branchy, None, [(2, 3)]),
        (
            lambda a, b: np.sum(a * b) if isinstance(a, np.ndarray) else fnp.sum(a * b),
            "(n),(n)->()",
            [(5, 3), (3,)],
        ),
        (lambda m, v: m @ v, "(m,n),(n)->(m)", [(2, 4, 3), (3,)]),
        (lambda v: (fnp.sum(v), fnp.max(v)), "(n)->(),()", [(4, 5)]),
    ],
)
def test_matches_numpy(fun, signature, shapes):
    args = [RNG.standard_normal(s) for s in shapes]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no fallback warning from vectorize)
        got = fnp.vectorize(fun, signature=signature)(*args)
    want = np.vectorize(fun, signature=signature)(*args)
    if isinstance(want, tuple):
        for g, w in zip(got, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=1e-14)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-14)


def test_branching_functions_differentiate_per_element():
    f = fnp.vectorize(branchy)
    x = np.array([-1.0, 2.0, -3.0])
    np.testing.assert_allclose(fad.grad(lambda x: fnp.sum(f(x)))(x), [-1.0, 4.0, -1.0])
    np.testing.assert_allclose(fad.jacfwd(f)(x), np.diag([-1.0, 4.0, -1.0]))


def test_excluded_otypes_and_empty():
    power = fnp.vectorize(lambda x, n: x**n, excluded={1})
    np.testing.assert_allclose(power(np.arange(3.0), 2), [0.0, 1.0, 4.0])
    scale = fnp.vectorize(lambda x, s=1.0: x * s, excluded={"s"})
    np.testing.assert_allclose(scale(np.ones(2), s=3.0), [3.0, 3.0])
    assert fnp.vectorize(lambda x: x, otypes=[np.float32])(np.ones(2)).dtype == np.float32
    assert fnp.vectorize(lambda x: 2 * x)(np.zeros((0, 3))).shape == (0, 3)
    dot = fnp.vectorize(lambda a, b: fnp.sum(a * b), signature="(n),(n)->()")
    assert dot(np.zeros((0, 2)), np.ones(2)).shape == (0,)
    np.testing.assert_allclose(fad.jit(lambda x: dot(x, x))(np.ones((2, 3))), [3.0, 3.0])
    assert fnp.vectorize.__doc__ and fnp.vectorize(branchy, doc="d").__doc__ == "d"


def test_errors():
    dot = fnp.vectorize(lambda a, b: fnp.sum(a * b), signature="(n),(n)->()")
    with pytest.raises(ValueError, match="core dimension 'n'"):
        dot(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="2 inputs"):
        dot(np.ones(3))
    with pytest.raises(ValueError, match="fewer dimensions"):
        dot(np.ones(3), 1.0)
    with pytest.raises(ValueError, match="'->'"):
        fnp.vectorize(abs, signature="(n)")
    with pytest.raises(ValueError, match="core shape"):
        fnp.vectorize(lambda v: v, signature="(n)->()")(np.ones((2, 3)))
