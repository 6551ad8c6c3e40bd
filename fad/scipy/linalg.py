"""fad.scipy.linalg: SciPy's matrix functions and triangular solvers, differentiable in
forward and reverse mode and batched over leading axes.

>>> import fad, fad.numpy as fnp
>>> import fad.scipy.linalg as fsl
>>> fsl.expm(fnp.zeros((2, 2)))
array([[1., 0.],
       [0., 1.]])
"""

from __future__ import annotations

import numpy as np

from fad import _prims as st
from fad._prims import linalg as la
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape
from fad.numpy.linalg import _float, _matrix, _sym

__all__ = ["cho_factor", "cho_solve", "cholesky", "expm", "expm_frechet", "solve_triangular"]


def expm(A):
    """Matrix exponential (Padé 13 with scaling and squaring). Its derivative is the
    Fréchet derivative, the top-right block of ``expm([[A, E], [0, A]])``.

    >>> import fad, fad.numpy as fnp
    >>> import fad.scipy.linalg as fsl
    >>> fad.grad(lambda t: fsl.expm(t * fnp.eye(2))[0, 0])(0.0)
    np.float64(1.0)
    """
    return la.expm(_matrix(A, "expm"))


def expm_frechet(A, E, method=None, compute_expm=True, check_finite=True):
    """Fréchet derivative of expm at ``A`` in direction ``E``: ``(expm(A), L)`` or ``L``."""
    A = _matrix(A, "expm_frechet")
    E = _matrix(E, "expm_frechet")
    if _shape(A) != _shape(E):
        raise ValueError(f"expm_frechet: A has shape {_shape(A)} but E has {_shape(E)}; they must match.")
    L = la._block_frechet(A, E)
    return (la.expm(A), L) if compute_expm else L


def _trans_flag(trans):
    """``(transpose, conjugate)``."""
    if trans in (0, "N", "n"):
        return False, False
    if trans in (1, "T", "t"):
        return True, False
    if trans in (2, "C", "c"):
        return True, True
    raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}.")


def _rhs(a, b, fname):
    """``b`` as a matrix (..., n, k), and a function undoing that for a 1-d ``b``."""
    b = _float(b, fname)
    n = _shape(a)[-1]
    if _ndim(b) == 1:
        if _shape(b)[0] != n:
            raise ValueError(
                f"{fname}: b has shape {_shape(b)} but a has shape {_shape(a)}; b needs {n} entries."
            )
        return st.reshape(b, (n, 1)), lambda x: st.reshape(x, _shape(x)[:-1])
    if _ndim(b) == 0 or _shape(b)[-2] != n:
        raise ValueError(f"{fname}: b has shape {_shape(b)} but a has shape {_shape(a)}; b needs {n} rows.")
    return b, lambda x: x


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False, check_finite=True):
    """Solve ``a x = b`` (``a^T x = b`` for trans 1 or 'T', ``a^H x = b`` for 2 or 'C')
    using only one triangle of ``a``.

    >>> import fad.numpy as fnp
    >>> import fad.scipy.linalg as fsl
    >>> fsl.solve_triangular(fnp.array([[2.0, 9.0], [1.0, 4.0]]), fnp.array([2.0, 4.0]), lower=True)
    array([1.  , 0.75])
    """
    a = _matrix(a, "solve_triangular")
    b, undo = _rhs(a, b, "solve_triangular")
    transpose, conjugate = _trans_flag(trans)
    if conjugate:
        a = la._conj(a)
    x = la.triangular_solve(a, b, lower=lower, trans=transpose, unit_diagonal=unit_diagonal)
    return undo(x)


def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """Cholesky factor of the Hermitian part of ``a``: upper ``U`` (``a = U^H U``) by
    default, as SciPy; lower ``L`` (``a = L L^H``) with ``lower=True``."""
    L = la.cholesky(_sym(_matrix(a, "cholesky")))
    return L if lower else la._H(L)


def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """``(c, lower)`` for :func:`cho_solve`. Unlike SciPy, the unused triangle of ``c`` is
    zero (SciPy leaves arbitrary data there)."""
    return cholesky(a, lower=lower), bool(lower)


def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """Solve ``a x = b`` given ``cho_factor(a)``; only the factor's triangle is read."""
    c, lower = c_and_lower
    c = _matrix(c, "cho_solve")
    b, undo = _rhs(c, b, "cho_solve")
    if lower:  # a = L L^H
        y = la.triangular_solve(c, b, lower=True)
        x = la.triangular_solve(la._conj(c), y, lower=True, trans=True)
    else:  # a = U^H U
        y = la.triangular_solve(la._conj(c), b, lower=False, trans=True)
        x = la.triangular_solve(c, y, lower=False)
    return undo(x)


del np
