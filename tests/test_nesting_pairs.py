"""Every ordered pair of fad's transforms and function wrappers, nested both ways.

Each entry turns a scalar function into a scalar function: the differentiating ones
(jvp, vjp, grad, jet, linearize) into its derivative, the others (vmap, jit, checkpoint,
custom_jvp, custom_vjp) into the same function computed their way. So ``A(B(sin))`` is
the k-th derivative of ``sin`` (k = how many of A, B differentiate), known in closed form.
"""

import itertools

import numpy as np
import pytest

import fad
import fad.numpy as fnp


def _jvp(f):
    return lambda x: fad.jvp(f, (x,), (fnp.ones_like(x),))[1]


def _vjp(f):
    return lambda x: fad.vjp(f, x)[1](fnp.ones_like(x))[0]


def _grad(f):
    return fad.grad(f)


def _vmap(f):
    # the function batched over two copies of its argument; the first row is f(x)
    return lambda x: fad.vmap(f)(fnp.stack([x, 2.0 * x]))[0]


def _jet(f):
    return lambda x: fad.jet(f, (x,), ([fnp.ones_like(x)],))[1][0]


def _jit(f):
    return fad.jit(f)


def _linearize(f):
    return lambda x: fad.linearize(f, x)[1](fnp.ones_like(x))


def _checkpoint(f):
    return fad.checkpoint(f)


def _custom_jvp(f):
    g = fad.custom_jvp(lambda x: f(x))
    g.defjvp(lambda primals, tangents: fad.jvp(f, primals, tangents))
    return g


def _custom_vjp(f):
    g = fad.custom_vjp(lambda x: f(x))
    g.defvjp(lambda x: (f(x), x), lambda x, ct: fad.vjp(f, x)[1](ct))
    return g


WRAPPERS = {
    "jvp": (_jvp, 1),
    "vjp": (_vjp, 1),
    "grad": (_grad, 1),
    "jet": (_jet, 1),
    "linearize": (_linearize, 1),
    "vmap": (_vmap, 0),
    "jit": (_jit, 0),
    "checkpoint": (_checkpoint, 0),
    "custom_jvp": (_custom_jvp, 0),
    "custom_vjp": (_custom_vjp, 0),
}
SIN_DERIVATIVES = [np.sin, np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x)]
PAIRS = list(itertools.product(WRAPPERS, repeat=2))


@pytest.mark.parametrize("outer, inner", PAIRS, ids=[f"{a}({b})" for a, b in PAIRS])
def test_pair(outer, inner):
    wrap_o, k_o = WRAPPERS[outer]
    wrap_i, k_i = WRAPPERS[inner]
    g = wrap_o(wrap_i(fnp.sin))
    x = 0.7
    expected = SIN_DERIVATIVES[k_o + k_i](x)
    got = g(x)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12, atol=1e-12)
    # twice, as a jitted function runs its compiled program from the second call on
    np.testing.assert_allclose(np.asarray(g(x)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("outer, inner", PAIRS, ids=[f"grad({a}({b}))" for a, b in PAIRS])
def test_pair_under_grad(outer, inner):
    # one more level: each pair differentiated once more in reverse mode
    wrap_o, k_o = WRAPPERS[outer]
    wrap_i, k_i = WRAPPERS[inner]
    g = fad.grad(wrap_o(wrap_i(fnp.sin)))
    np.testing.assert_allclose(g(0.7), SIN_DERIVATIVES[k_o + k_i + 1](0.7), rtol=1e-12, atol=1e-12)


# The same pairs on sin computed by a loop that fad.jit stages (one iteration): a scan (a
# fori_loop with known bounds) and a while loop whose condition reads the argument.
def _sin_by_scan(x):
    return fad.lax.fori_loop(0, 1, lambda i, v: fnp.sin(v), x)


def _sin_by_while(x):
    cond = lambda c: (c[1] < 1) & (x > -1e9)  # noqa: E731
    return fad.lax.while_loop(cond, lambda c: (fnp.sin(c[0]), c[1] + 1), (x, 0))[0]


@pytest.mark.parametrize("outer, inner", PAIRS, ids=[f"{a}({b})" for a, b in PAIRS])
@pytest.mark.parametrize("base", [_sin_by_scan, _sin_by_while], ids=["scan", "while"])
def test_pair_through_a_loop(outer, inner, base):
    wrap_o, k_o = WRAPPERS[outer]
    wrap_i, k_i = WRAPPERS[inner]
    g = wrap_o(wrap_i(base))
    expected = SIN_DERIVATIVES[k_o + k_i](0.7)
    for _ in range(2):
        np.testing.assert_allclose(np.asarray(g(0.7)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("outer, inner", PAIRS, ids=[f"grad({a}({b}))" for a, b in PAIRS])
def test_pair_through_a_scan_under_grad(outer, inner):
    # (reverse over reverse of a staged while loop is refused: tests/test_jit_loops.py)
    wrap_o, k_o = WRAPPERS[outer]
    wrap_i, k_i = WRAPPERS[inner]
    g = fad.grad(wrap_o(wrap_i(_sin_by_scan)))
    np.testing.assert_allclose(g(0.7), SIN_DERIVATIVES[k_o + k_i + 1](0.7), rtol=1e-12, atol=1e-12)
