"""The transforms-layer engines that rules use to differentiate a helper expression."""

import numpy as np

import fad
import fad.numpy as fnp
from fad._differentiate import jvp_of, vjp_of


def f(x, y):
    return fnp.sin(x) * y + x**2


X, Y = np.array([0.3, -1.2]), np.array([2.0, 0.5])


def test_jvp_of_matches_jvp():
    out, t = jvp_of(f, (X, Y), (np.ones(2), None))
    ref_out, ref_t = fad.jvp(lambda x: f(x, Y), (X,), (np.ones(2),))
    np.testing.assert_allclose(out, ref_out)
    np.testing.assert_allclose(t, ref_t)


def test_vjp_of_matches_vjp_and_nests():
    ct = np.array([1.0, -2.0])
    got = vjp_of(f, (X, Y), ct)
    ref = fad.vjp(f, X, Y)[1](ct)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_allclose(g, r)
    # the engines run under whatever trace is current: here, an outer grad
    outer = fad.grad(lambda s: fnp.sum(vjp_of(f, (X * s, Y), ct)[0]))(1.5)
    ref = fad.grad(lambda s: fnp.sum(fad.vjp(f, X * s, Y)[1](ct)[0]))(1.5)
    np.testing.assert_allclose(outer, ref)
    assert vjp_of(lambda x, y: fnp.ones(2), (X, Y), ct) == [None, None]
