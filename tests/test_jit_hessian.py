"""The program of a Hessian under jit: no product with the Jacobian's identity basis, no
batch of one row for a scalar output; same values as eager and as the analytic Hessian."""

import numpy as onp

import fad
import fad.numpy as fnp
from fad._jit import _add_diagonal, compile_program


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


def _names(prog):
    return [e.prim.name for e in prog.eqns]


def _adds_a_diagonal(prog):
    return any(v is _add_diagonal for v in compile_program(prog).__globals__.values())


def test_the_max_shift_keeps_one_negation_and_the_diagonal_term_no_dense_product():
    """The Hessian of f: the max's derivative path keeps one ``neg``, before a sum (the
    others move through the reshapes to a subtraction; ``sum(-x)`` is ``-sum(x)`` but for
    the sign of a zero sum), the x**4 term is scaled as a vector, and the identity basis
    times that vector is added to the diagonal in place."""
    rng = onp.random.default_rng(2)
    x, A = rng.standard_normal(7), rng.standard_normal((7, 7)) / onp.sqrt(7)
    jh = fad.jit(fad.hessian(f))
    prog = jh.program(x, A)
    assert _names(prog).count("neg") == 1
    big = [e for e in prog.eqns if e.prim.name == "mul" and e.outvars[0].shape == (7, 7)]
    assert sum(any(type(v).__name__ == "Const" for v in e.inputs) for e in big) == 1  # eye * d only
    assert _adds_a_diagonal(prog)
    h1 = jh(x, A)
    h2 = jh(x, A)  # the in-place diagonal add writes into a temporary, never a result
    onp.testing.assert_array_equal(h1, h2)
    onp.testing.assert_allclose(h1, analytic(x, A), rtol=1e-10, atol=1e-12)


def test_negations_move_through_reshapes_and_products_not_sums():
    g = lambda x: fnp.reshape(-fnp.sin(x), (2, 3)) * x[:3]  # noqa: E731
    x = onp.linspace(0.1, 1.0, 6)
    prog = fad.make_program(g)(x)
    assert _names(prog)[-1] == "neg"  # moved past the reshape and the product
    onp.testing.assert_array_equal(fad.jit(g)(x), g(x))
    # a sum keeps its negated operand: sum(-x) is +0.0 where -sum(x) is -0.0 for x = [1, -1]
    h = lambda x: fnp.sum(-x) * 2.0  # noqa: E731
    x = onp.array([1.0, -1.0])
    assert onp.signbit(fad.jit(h)(x)) == onp.signbit(h(x)) == False  # noqa: E712


def test_a_uniform_constant_is_a_scalar_and_scalings_merge_or_move():
    x = onp.linspace(-1.0, 1.0, 4)
    prog = fad.make_program(lambda x: x * onp.full(4, 0.25))(x)
    assert [str(v) for v in prog.eqns[0].inputs[1:]] == ["Const(0.25)"]
    prog = fad.make_program(lambda x: (x * 3) * 4)(x)  # ints, with a float array: exact
    assert len(prog.eqns) == 1 and prog.eqns[0].inputs[1].value == 12.0
    prog = fad.make_program(lambda x: (x.astype(onp.int64) * 3) * 4)(onp.arange(4.0))
    assert [e.prim.name for e in prog.eqns].count("mul") == 2  # (int arrays stay integer)
    eye = onp.eye(4)
    k = lambda x: (eye * x) * 4.0  # noqa: E731
    prog = fad.make_program(k)(x)
    assert [e.outvars[0].shape for e in prog.eqns] == [(4,), (4, 4)]  # x * 4, then eye * that
    onp.testing.assert_array_equal(fad.jit(k)(x), k(x))


def test_a_diagonal_add_is_exact_and_leaves_results_alone():
    eye = onp.eye(3)

    def h(x, B):
        return B @ B + eye * x

    x, B = onp.array([1.0, -2.0, 0.5]), onp.arange(9.0).reshape(3, 3)
    jh = fad.jit(h)
    assert _adds_a_diagonal(jh.program(x, B))
    onp.testing.assert_array_equal(jh(x, B), h(x, B))
    onp.testing.assert_array_equal(jh(x, B), h(x, B))
    # the sum's other operand is an input (not a temporary): no fusion, the same values
    h2 = lambda x, C: C + eye * x  # noqa: E731
    assert not _adds_a_diagonal(fad.jit(h2).program(x, B))
    onp.testing.assert_array_equal(fad.jit(h2)(x, B), h2(x, B))
    assert B[0, 0] == 0.0
