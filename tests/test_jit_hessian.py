"""The program of a Hessian under jit: no product with the Jacobian's identity basis, no
batch of one row for a scalar output; same values as eager and as the analytic Hessian."""

import numpy as onp

import fad
import fad.numpy as fnp


def f(x, A):
    v = A @ x
    m = fnp.max(v)
    return m + fnp.log(fnp.sum(fnp.exp(v - m))) + fnp.sum(x**4) / 4.0


def analytic(x, A):
    v = A @ x
    s = onp.exp(v - v.max())
    s /= s.sum()
    As = A.T @ s
    return (A.T * s) @ A - onp.outer(As, As) + onp.diag(3.0 * x * x)


def test_jit_hessian_equals_eager_and_analytic():
    rng = onp.random.default_rng(0)
    for n in (1, 5, 30):
        x, A = rng.standard_normal(n), rng.standard_normal((n, n)) / onp.sqrt(n)
        h = fad.jit(fad.hessian(f))(x, A)
        onp.testing.assert_allclose(h, fad.hessian(f)(x, A), rtol=1e-12, atol=1e-12)
        onp.testing.assert_allclose(h, analytic(x, A), rtol=1e-10, atol=1e-12)


def test_the_hessian_program_has_no_identity_product_and_no_row_of_one():
    rng = onp.random.default_rng(1)
    x, A = rng.standard_normal(6), rng.standard_normal((6, 6))
    prog = fad.jit(fad.hessian(f)).program(x, A)
    matmuls = [e for e in prog.eqns if e.prim.name == "matmul"]
    assert len(matmuls) == 2  # A @ x, and the one product of the second derivative
    assert all(len(v.shape) <= 2 for e in prog.eqns for v in e.outvars)  # no (n, 1, n): a row of one


def test_jacrev_of_a_scalar_output_is_its_gradient():
    g = lambda x: fnp.sum(fnp.sin(x) * x)  # noqa: E731
    x = onp.linspace(0.1, 1.0, 4)
    onp.testing.assert_array_equal(fad.jacrev(g)(x), fad.grad(g)(x))
    assert fad.jacrev(g)(x).shape == (4,)
    assert fad.jacrev(lambda x: g(x).reshape(1))(x).shape == (1, 4)


def test_a_product_with_an_identity_matrix_is_the_other_factor():
    prog = fad.make_program(lambda x: fnp.eye(3) @ x @ fnp.eye(4))(onp.ones((3, 4)))
    assert not prog.eqns  # both products dropped
    x = onp.arange(12.0).reshape(3, 4)
    onp.testing.assert_array_equal(fad.jit(lambda x: fnp.eye(3) @ x)(x), x)
    # not an identity: kept
    prog = fad.make_program(lambda x: (2 * fnp.eye(3)) @ x)(onp.ones((3, 4)))
    assert [e.prim.name for e in prog.eqns] == ["matmul"]
