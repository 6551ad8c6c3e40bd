"""fad.extend: a user-defined primitive wrapping a SciPy function with a hand-written
derivative works under every transform, and check_grads catches a wrong rule."""

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad import extend
from fad.test_util import check_grads

special = pytest.importorskip("scipy.special")

# I0 (modified Bessel function of the first kind, order 0): dI0/dx = I1, dI1/dx = I0 - I1/x
i0_p = extend.Primitive("test_bessel_i0", special.i0)
i1_p = extend.Primitive("test_bessel_i1", special.i1)


def i0(x):
    return extend.bind(i0_p, x)


def i1(x):
    return extend.bind(i1_p, x)


extend.elementwise(i0_p, lambda ans, x: i1(x))
extend.elementwise(i1_p, lambda ans, x: i0(x) - ans / x)

X = onp.array([0.5, 1.0, 2.5])


def test_wrapped_scipy_function_under_every_transform():
    onp.testing.assert_allclose(fad.grad(lambda x: i0(x).sum())(X), special.i1(X))
    check_grads(lambda x: i0(x) * np.sin(x), (X,), order=3)
    onp.testing.assert_allclose(fad.vmap(fad.grad(i0))(X), special.i1(X))
    onp.testing.assert_allclose(fad.jacfwd(i0)(X), fad.jacrev(i0)(X))


def test_batch_by_loop_and_linear():
    trace_p = extend.Primitive("test_matrix_trace", lambda a: onp.trace(a))
    extend.linear(trace_p, lambda ct, a: ct * np.eye(a.shape[0]))
    extend.batch_by_loop(trace_p)
    tr = lambda a: extend.bind(trace_p, a)  # noqa: E731
    a = onp.arange(9.0).reshape(3, 3)
    onp.testing.assert_allclose(fad.grad(tr)(a), onp.eye(3))
    onp.testing.assert_allclose(fad.vmap(tr)(onp.stack([a, 2 * a])), [12.0, 24.0])
    onp.testing.assert_allclose(fad.vmap(fad.grad(tr))(onp.stack([a, a])), [onp.eye(3)] * 2)


def test_wrong_rule_is_caught():
    bad_p = extend.Primitive("test_bad_i0", special.i0)
    extend.elementwise(bad_p, lambda ans, x: 1.1 * i1(x))
    with pytest.raises(AssertionError):
        check_grads(lambda x: extend.bind(bad_p, x), (X,), order=1)


def test_missing_rule_names_primitive_and_transform():
    only_impl = extend.Primitive("test_only_impl", onp.sin)
    with pytest.raises(extend.MissingRuleError, match="test_only_impl.*forward-mode"):
        fad.jvp(lambda x: extend.bind(only_impl, x), (1.0,), (1.0,))
    with pytest.raises(extend.MissingRuleError, match="batching"):
        fad.vmap(lambda x: extend.bind(only_impl, x))(X)


def test_divided_by_partials_divide_under_every_transform():
    # d asinh(x)/dx = 1 / sqrt(1 + x^2), declared as its denominator
    p = extend.Primitive("test_asinh_by_denominator", onp.arcsinh)
    extend.elementwise(p, extend.divided_by(lambda ans, x: np.sqrt(1.0 + x * x)))
    f = lambda x: extend.bind(p, x)  # noqa: E731
    x = onp.array([-1.5, 0.0, 0.3, 2.0])
    onp.testing.assert_allclose(fad.vmap(fad.grad(f))(x), 1.0 / onp.sqrt(1.0 + x * x), rtol=1e-15)
    onp.testing.assert_allclose(fad.jacfwd(f)(x), onp.diag(1.0 / onp.sqrt(1.0 + x * x)), rtol=1e-15)
    second = fad.vmap(fad.grad(fad.grad(f)))(x)
    onp.testing.assert_allclose(second, -x / (1.0 + x * x) ** 1.5, rtol=1e-13)
    check_grads(lambda v: np.sum(f(v)), (x,), order=2)
    # the reverse rule is one division: no reciprocal, no product
    names = [e.prim.name for e in fad.make_program(fad.grad(lambda v: np.sum(np.log(v))))(x + 3).eqns]
    assert names.count("div") == 1 and "mul" not in names


def test_declared_facts_reach_reverse_mode_and_jet():
    """``keeps=`` tells reverse mode what the partials read; without it, the tape keeps
    every value. A linear primitive keeps nothing, and its Taylor rule is coefficient-wise."""
    p = extend.Primitive("test_bessel_i0_keeps", special.i0)
    extend.elementwise(p, lambda ans, x: i1(x), keeps=("x",))
    assert p.residuals == ((False, (True,)),) and i0_p.residuals is None
    with pytest.raises(ValueError, match="keeps"):
        extend.elementwise(extend.Primitive("test_bad_keeps", special.i0), lambda ans, x: x, keeps=("y",))
    onp.testing.assert_allclose(fad.grad(lambda x: extend.bind(p, x).sum())(X), special.i1(X))
    trace_p = extend.linear(extend.Primitive("test_trace_jet", lambda a: onp.trace(a)), lambda ct, a: ct)
    assert trace_p.residuals == ((False, (False,)),) and callable(trace_p.taylor)
    a = onp.arange(4.0).reshape(2, 2)
    out, series = fad.jet(lambda m: extend.bind(trace_p, m), (a,), ((onp.eye(2), onp.ones((2, 2))),))
    assert out == 3.0 and list(series) == [2.0, 2.0]
