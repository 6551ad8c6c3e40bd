"""LU decomposition with partial pivoting, on NumPy (``fad.scipy.linalg.lu``, ``lu_factor``
and ``lu_solve`` are built on it).

Derivative: ``P^T A = L U`` gives ``L^-1 dL + dU U^-1 = L^-1 P^T dA U^-1 =: X``, so
``dL = L tril(X, -1)`` and ``dU = triu(X) U`` (the square block; a tall or wide ``A`` adds
the rest of ``L`` or ``U`` by a triangular solve). As JAX's ``lu`` rule, after S. Walter,
*Structured higher-order algorithmic differentiation*, 2011. The pivoting is constant, so
the derivative needs nonzero pivots. Complex matrices follow fad/_prims/linalg.py (the
pairing ``Re(sum(ct * t))``: the rules transpose without conjugating).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._differentiate import vjp_of
from fad._pattern_rules import declare, stacked
from fad._prims.comparisons import eq
from fad._prims.linalg import _T, _eye, _fit, _nd, matmul, triangular_solve, tril, triu
from fad._structural import astype, concatenate, getitem, reshape, shape_of

# ----------------------------------------------------------------------------------- lu
# Partial pivoting as LAPACK's getrf: the pivot of column j is the first entry of largest
# |Re| + |Im| on or below the diagonal. Outputs: the packed factors (L's strict lower part
# and U), LAPACK's pivots (row j was swapped with row piv[j]) and the permutation perm with
# a[perm] = L U.


_PANEL = 32  # columns factored one at a time before one matrix product updates the rest


def _lu_impl(a: Any) -> Any:
    """Right-looking blocked LU: each panel of columns is factored column by column (the row
    swaps applied to whole rows), then ``U12 = L11^-1 A12`` and ``A22 -= L21 U12``."""
    a = np.asarray(a)
    *lead, m, n = a.shape
    k = min(m, n)
    nb = int(np.prod(lead, dtype=int))
    lu = a.reshape((nb, m, n)).copy()
    perm = np.tile(np.arange(m), (nb, 1))
    piv = np.zeros((nb, k), dtype=np.int32)
    rows = np.arange(nb)
    for j0 in range(0, k, _PANEL):
        j1 = min(j0 + _PANEL, k)
        for j in range(j0, j1):
            col = lu[:, j:, j]
            size = np.abs(col.real) + np.abs(col.imag) if col.dtype.kind == "c" else np.abs(col)
            p = j + np.argmax(size, axis=1)
            piv[:, j] = p
            lu[rows, j], lu[rows, p] = lu[rows, p], lu[rows, j].copy()
            perm[rows, j], perm[rows, p] = perm[rows, p], perm[rows, j].copy()
            pivot = lu[:, j, j]
            lu[:, j + 1 :, j] /= np.where(pivot == 0, 1, pivot)[:, None]  # a zero pivot: column is 0
            lu[:, j + 1 :, j + 1 : j1] -= lu[:, j + 1 :, j, None] * lu[:, j, None, j + 1 : j1]
        if j1 < n:
            l11 = np.tril(lu[:, j0:j1, j0:j1], -1) + np.eye(j1 - j0, dtype=lu.dtype)
            lu[:, j0:j1, j1:] = np.linalg.solve(l11, lu[:, j0:j1, j1:])
            lu[:, j1:, j1:] -= lu[:, j1:, j0:j1] @ lu[:, j0:j1, j1:]
    return lu.reshape(a.shape), piv.reshape((*lead, k)), perm.reshape((*lead, m))


lu_p = Primitive("lu", _lu_impl, multiple_results=True)
declare(lu_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def permutation_rows(perm: Any, dtype: Any) -> Any:
    """The matrix ``Pt`` with ``Pt[i, j] = (perm[i] == j)``: ``Pt @ x == x[perm]``."""
    m = shape_of(perm)[-1]
    return astype(eq(reshape(perm, shape_of(perm) + (1,)), np.arange(m)), dtype)


def _lu_square_tangent(sq: Any, x: Any) -> Any:
    """``(dL, dU)`` of a square packed factorization ``sq`` along ``x = P^T dA``."""
    x = triangular_solve(sq, x, lower=True, unit_diagonal=True)  # L^-1 P^T dA
    x = _T(triangular_solve(sq, _T(x), lower=False, trans=True))  # ... U^-1
    l_ = tril(sq, -1) + _eye(shape_of(sq)[-1], sq)
    return matmul(l_, tril(x, -1)), matmul(triu(x), triu(sq))


def _lu_tangent(lu: Any, perm: Any, ta: Any) -> Any:
    """The packed factors' tangent. A tall ``a`` adds L's bottom rows,
    ``dL2 = (x2 - L2 dU) U^-1``; a wide one U's right columns, ``dU2 = L^-1 (x2 - dL U2)``."""
    m, n = shape_of(lu)[-2:]
    k = min(m, n)
    x = matmul(permutation_rows(perm, lu.dtype), ta)
    if m == n:
        dl, du = _lu_square_tangent(lu, x)
        return dl + du
    top = (Ellipsis, slice(0, k), slice(0, k))
    sq = getitem(lu, top)
    dl, du = _lu_square_tangent(sq, getitem(x, top))
    nd = _nd(lu)
    if m > n:
        below = (Ellipsis, slice(k, m), slice(None))
        r = getitem(x, below) - matmul(getitem(lu, below), du)
        return concatenate([dl + du, _T(triangular_solve(sq, _T(r), lower=False, trans=True))], nd - 2)
    right = (Ellipsis, slice(None), slice(k, n))
    r = getitem(x, right) - matmul(dl, getitem(lu, right))
    return concatenate([dl + du, triangular_solve(sq, r, lower=True, unit_diagonal=True)], nd - 1)


def _lu_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    lu, piv, perm = lu_factor_packed(a)
    return (lu, piv, perm), (_lu_tangent(lu, perm, ta), None, None)


def _lu_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    (a,) = primals
    lu, _, perm = ans
    g = ct[0]
    if g is None:
        return (None,)
    m, n = shape_of(a)[-2:]
    if m != n:  # reverse mode through the forward rule
        (ct_a,) = vjp_of(lambda t: _lu_tangent(lu, perm, t), (a,), g)
        return (_fit(ct_a, a),)
    l_ = tril(lu, -1) + _eye(n, lu)
    g = tril(matmul(_T(l_), g), -1) + triu(matmul(g, _T(triu(lu))))
    g = _T(triangular_solve(lu, _T(g), lower=False))  # g U^-T
    g = triangular_solve(lu, g, lower=True, unit_diagonal=True, trans=True)  # L^-T g
    return (_fit(matmul(_T(permutation_rows(perm, lu.dtype)), g), a),)


lu_p.jvp = _lu_jvp
lu_p.vjp = _lu_vjp
lu_p.batch = lambda vals, bdims: (lu_factor_packed(vals[0]), (0, 0, 0))


def lu_factor_packed(a: Any) -> Any:
    """``(lu, piv, perm)``: packed factors, LAPACK's pivots, and ``a[perm] = L U``."""
    return bind(lu_p, a)


def _pivots_impl(piv: Any, *, m: Any) -> Any:
    piv = np.asarray(piv)
    lead = piv.shape[:-1]
    perm = np.tile(np.arange(m), (int(np.prod(lead, dtype=int)), 1))
    flat = piv.reshape((perm.shape[0], -1))
    rows = np.arange(perm.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        if np.any((p < 0) | (p >= m)):
            raise ValueError(f"lu_solve: pivot indices must lie in [0, {m}), got {piv.tolist()}.")
        perm[rows, j], perm[rows, p] = perm[rows, p], perm[rows, j].copy()
    return perm.reshape(lead + (m,))


pivots_to_permutation_p = Primitive("pivots_to_permutation", _pivots_impl, differentiable=False)
pivots_to_permutation_p.batch = lambda vals, bdims, *, m: (pivots_to_permutation(vals[0], m=m), 0)


def pivots_to_permutation(piv: Any, *, m: Any) -> Any:
    """LAPACK's pivots (row j swapped with row piv[j], in order) as ``perm``: ``x[perm]``
    is the swapped ``x``."""
    return bind(pivots_to_permutation_p, piv, m=int(m))
