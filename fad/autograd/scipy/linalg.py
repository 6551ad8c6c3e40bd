"""``autograd.scipy.linalg``: fad's (``fad.scipy.linalg``) with autograd's ``sqrtm`` and
``solve_sylvester``, declared here as ``fad.autograd.extend`` primitives on SciPy's.

Both derivatives are Sylvester equations: for ``X = solve_sylvester(A, B, Q)``
(``A X + X B = Q``) the cotangent of ``Q`` is ``solve_sylvester(A^T, B^T, X_bar)`` and
those of ``A`` and ``B`` are ``-Q_bar X^T`` and ``-X^T Q_bar``; for ``S = sqrtm(A)``
(``S S = A``) the cotangent of ``A`` is ``solve_sylvester(S^T, S^T, S_bar)``. They are
written with these same functions, so they differentiate again (and forward mode is
derived from them).

>>> import fad, fad.autograd.numpy as np
>>> from fad.autograd.scipy.linalg import sqrtm
>>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
>>> bool(np.allclose(sqrtm(A) @ sqrtm(A), A))
True
"""

import importlib

import fad.numpy as fnp
from fad.autograd.extend import defvjp, primitive
from fad.scipy.linalg import cho_factor, cho_solve, cholesky, expm, expm_frechet, solve_triangular  # noqa: F401

__all__ = [
    "cho_factor",
    "cho_solve",
    "cholesky",
    "expm",
    "expm_frechet",
    "solve_sylvester",
    "solve_triangular",
    "sqrtm",
]


def _scipy(name):
    return getattr(importlib.import_module("scipy.linalg"), name)


@primitive
def solve_sylvester(a, b, q):
    """``X`` with ``a X + X b = q`` (SciPy's ``solve_sylvester``)."""
    return _scipy("solve_sylvester")(a, b, q)


@primitive
def sqrtm(A, disp=True, blocksize=64):
    """The principal square root of ``A`` (SciPy's ``sqrtm``)."""
    return _scipy("sqrtm")(A)


def _q_bar(ans, a, b, q):
    return lambda g: solve_sylvester(fnp.swapaxes(a, -1, -2), fnp.swapaxes(b, -1, -2), g)


defvjp(
    solve_sylvester,
    lambda ans, a, b, q: lambda g: -_q_bar(ans, a, b, q)(g) @ fnp.swapaxes(ans, -1, -2),
    lambda ans, a, b, q: lambda g: -fnp.swapaxes(ans, -1, -2) @ _q_bar(ans, a, b, q)(g),
    _q_bar,
)
defvjp(sqrtm, lambda ans, A, disp=True, blocksize=64: lambda g: solve_sylvester(ans.T, ans.T, g))
