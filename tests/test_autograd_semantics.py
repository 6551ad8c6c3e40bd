"""Where autograd's semantics differ from fad's own, fad.autograd follows autograd's (found
by running autograd's own test suite on fad.autograd): eigenvector derivatives of ``eig``,
complex ``erf``/``erfc``, ``np.int64`` of a traced value, ``std`` of one number, ``where``
on Python values, ``grad`` of a boolean output, SciPy's ``odeint``. Each is checked under
the transforms it meets (forward and reverse mode to second order, vmap, jit)."""

import warnings

import numpy as onp
import pytest
import scipy.integrate
import scipy.special as ss

import fad
import fad.autograd.numpy as np
import fad.numpy as fnp
from fad.autograd import elementwise_grad, grad
from fad.autograd.scipy import special
from fad.autograd.scipy.integrate import odeint
from fad.autograd.test_util import check_grads

R = onp.random.RandomState(0)


# ------------------------------------------------------------------------------ eig


_S = R.randn(4, 4)
_REAL_EIG = _S @ onp.diag([-1.0, 0.5, 2.0, 3.5]) @ onp.linalg.inv(_S)


def _eig_abs(a):
    w, v = np.linalg.eig(a)
    return np.abs(w), np.abs(v)


@pytest.mark.parametrize(
    "a",
    [
        R.randn(5, 5),  # complex pairs of eigenvalues
        _REAL_EIG,  # real eigenvalues: real outputs
        R.randn(2, 4, 4) + 1j * R.randn(2, 4, 4),  # complex, batched
    ],
)
def test_eig_derivatives_of_gauge_invariant_quantities(a):
    check_grads(_eig_abs, modes=["fwd", "rev"], order=2)(a)
    w, v = np.linalg.eig(a)
    assert w.dtype == onp.linalg.eig(a)[0].dtype  # NumPy's dtypes, as autograd's


def test_eig_eigenvector_derivative_keeps_unit_length_and_matches_abs_finite_differences():
    a = R.randn(4, 4)
    da = R.randn(4, 4)
    (w, v), (dw, dv) = fad.jvp(np.linalg.eig, (a,), (da,))
    # unit length is kept: Re(v^H dv) = 0 column by column
    onp.testing.assert_allclose(onp.real(onp.sum(onp.conj(v) * dv, axis=0)), 0.0, atol=1e-12)
    # the eigenvalue derivative is diag(V^-1 da V)
    onp.testing.assert_allclose(dw, onp.diag(onp.linalg.solve(v, da @ v)), rtol=1e-10)
    eps = 1e-6
    fd = (onp.abs(onp.linalg.eig(a + eps * da)[1]) - onp.abs(onp.linalg.eig(a - eps * da)[1])) / (2 * eps)
    d_abs = fad.jvp(lambda a: np.abs(np.linalg.eig(a)[1]), (a,), (da,))[1]
    onp.testing.assert_allclose(d_abs, fd, atol=1e-6)


def test_eig_under_vmap_and_jit_and_fads_own_eig_still_refuses():
    a = R.randn(3, 4, 4)
    per = fad.vmap(fad.grad(lambda a: fnp.sum(_eig_abs(a)[1])))(a)
    loop = onp.stack([grad(lambda a: np.sum(_eig_abs(a)[1]))(x) for x in a])
    onp.testing.assert_allclose(per, loop, rtol=1e-10)
    onp.testing.assert_allclose(fad.jit(lambda a: _eig_abs(a)[1])(a[0]), onp.abs(onp.linalg.eig(a[0])[1]))
    with pytest.raises(fad.FadError if hasattr(fad, "FadError") else Exception, match="eigenvectors"):
        fad.grad(lambda a: fnp.sum(fnp.abs(fnp.linalg.eig(a)[1])))(a[0])


# ------------------------------------------------------------------- special functions


def test_complex_erf_and_erfc_are_holomorphic():
    z = onp.array([0.3 + 0.4j, -1.0 + 0.2j])
    onp.testing.assert_allclose(special.erf(z), ss.erf(z), rtol=1e-14)
    onp.testing.assert_allclose(special.erfc(z), ss.erfc(z), rtol=1e-14)
    for f in (special.erf, special.erfc):
        check_grads(f, modes=["fwd", "rev"], order=2)(z)
    d = fad.jvp(special.erf, (z,), (onp.ones(2, complex),))[1]
    onp.testing.assert_allclose(d, 2 / onp.sqrt(onp.pi) * onp.exp(-(z**2)), rtol=1e-12)
    onp.testing.assert_allclose(fad.vmap(special.erf)(z), ss.erf(z), rtol=1e-14)
    # real arguments: fad's own (every transform, jit included)
    assert fad.jit(special.erf)(0.5) == pytest.approx(ss.erf(0.5))
    d = elementwise_grad(special.erfc)(onp.array([0.5]))
    onp.testing.assert_allclose(d, -2 / onp.sqrt(onp.pi) * onp.exp(-0.25))


# ------------------------------------------------------------------------ numpy values


def test_int64_of_a_traced_value_casts_it():
    inds = onp.ones(5)[:, None]

    def fun(w):
        np.concatenate((w, inds), axis=1)
        idx = np.int64(w[:, -1])
        assert idx.dtype == np.int64
        return np.sum(w[:, :-1][idx])

    w = R.randn(5, 4)
    check_grads(fun)(w)
    onp.testing.assert_allclose(fad.vmap(fad.grad(fun))(onp.stack([w, w])), onp.stack([grad(fun)(w)] * 2))
    # still NumPy's type for everything else
    assert np.int64(3.7) == 3 and type(np.int64(3.7)) is onp.int64
    assert isinstance(onp.int64(3), np.int64) and onp.zeros(2, dtype=np.int64).dtype == onp.int64
    assert np.issubdtype(np.int32, np.integer)


def test_std_of_one_number_has_derivative_zero():
    for x in (3.5, onp.array([2.0]), onp.ones((1, 3))):
        check_grads(lambda x: np.std(x, axis=0 if onp.ndim(x) == 2 else None))(x)
        assert onp.all(grad(lambda x: np.sum(np.std(x, axis=0 if onp.ndim(x) == 2 else None)))(x) == 0.0)
    assert fad.jvp(np.std, (3.5,), (1.0,))[1] == 0.0
    b = R.randn(4)  # more than one number: fad's derivative
    onp.testing.assert_allclose(grad(np.std)(b), (b - b.mean()) / (b.size * b.std()))


def test_where_on_python_values_returns_python_values():
    assert np.where(True, 1, 2) == 1 and type(np.where(True, 1, 2)) is int
    assert type(np.where(False, 1, 2.0)) is float
    assert np.where(True, [1, 2], [3, 4]) == [1, 2]
    r = np.where(onp.array([True, False]), 1.0, 2.0)  # an array in: an array out
    assert isinstance(r, onp.ndarray) and r.dtype == onp.float64
    x = onp.array([1.0, -2.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.where(x > 0, x, 2 * x)))(x), [1.0, 2.0])
    onp.testing.assert_allclose(fad.vmap(lambda x: np.where(x > 0, x, 2.0))(x), [1.0, 2.0])


# ------------------------------------------------------------------------ operators


def test_grad_of_a_boolean_scalar_output_is_a_type_error():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError, match="bool output"):
            grad(lambda x: np.allclose(x, (x * 3.0) / 3.0))(onp.array([1.0, 2.0]))
        with pytest.raises(TypeError, match="int64 output"):
            grad(lambda x: np.sum(x > 0.0))(onp.array([1.0]))
        assert onp.all(grad(lambda x: x > 0.0)(onp.array([1.0])) == 0.0)  # an array: zeros


def test_grad_docstrings_read_as_autograds():
    def foo(x):
        pass

    assert grad.__name__ == "grad" and grad.__doc__.startswith("\n    Returns a function which")
    assert grad(foo, 1).__name__ == "grad_of_foo_wrt_argnum_1"
    assert grad(foo, 1).__doc__.startswith("    grad of function foo with")


# ------------------------------------------------------------------------------ odeint


def _rhs(y, t, a):
    return np.dot(y**3, a) - 0.1 * t * y


A = onp.array([[-0.1, 2.0], [-2.0, -0.1]])
Y0 = onp.array([1.0, 0.5])
T = onp.array([0.0, 0.4, 1.0])


def test_odeint_is_scipys_lsoda_values_and_all():
    for rtol in (0.01, 1e-8):  # a loose tolerance: SciPy's very numbers, not within it
        ys = odeint(_rhs, Y0, T, args=(A,), rtol=rtol)
        onp.testing.assert_array_equal(ys, scipy.integrate.odeint(_rhs, Y0, T, args=(A,), rtol=rtol))


def test_odeint_adjoint_derivatives_in_every_argument_and_mode():
    def sol(y0, t, a):
        return odeint(_rhs, y0, t, args=(a,), rtol=1e-10, atol=1e-10)

    check_grads(sol, argnum=(0, 1, 2), modes=["rev"], order=1)(Y0, T, A)
    check_grads(sol, argnum=(0, 2), modes=["fwd"], order=1)(Y0, T, A)
    h = fad.hessian(lambda a: fnp.sum(sol(Y0, T, a) ** 2))(A)  # the adjoint pass differentiates again
    eps = 1e-4
    g = fad.grad(lambda a: fnp.sum(sol(Y0, T, a) ** 2))
    e = onp.zeros_like(A)
    e[0, 1] = eps
    onp.testing.assert_allclose(h[:, :, 0, 1], (g(A + e) - g(A - e)) / (2 * eps), rtol=1e-4, atol=1e-6)
    batch = onp.stack([Y0, 2 * Y0])
    onp.testing.assert_allclose(
        fad.vmap(lambda y0: sol(y0, T, A))(batch), onp.stack([sol(y, T, A) for y in batch]), rtol=1e-12
    )
    onp.testing.assert_allclose(fad.jit(lambda y0: sol(y0, T, A))(Y0), sol(Y0, T, A), rtol=1e-12)


def test_odeint_refuses_a_traced_closure_and_unknown_options():
    with pytest.raises(TypeError, match="args="):
        fad.grad(lambda k: odeint(lambda y, s: -k * y, 1.0, T)[-1, 0])(2.0)
    with pytest.raises(TypeError, match="full_output"):
        odeint(_rhs, Y0, T, args=(A,), full_output=True)
