"""Linear-algebra primitives: matmul, solves, factorizations, determinants, pinv, expm.

Every primitive accepts stacks of matrices (leading batch axes, NumPy's convention), so
each batching rule is "apply me to the stacked value". Every derivative rule is written in
fad operations on the primitives of this file, so rules differentiate again (higher
order) and batch.

Conventions (JAX's): ``cholesky``, ``eigh`` assume a symmetric (Hermitian) input
(``fad.numpy.linalg`` symmetrizes it first); eigenvector and singular-vector derivatives divide by eigenvalue
gaps, so they are infinite (NaN) at repeated eigenvalues/singular values, while
eigenvalue and singular-value derivatives (``eigvalsh``, ``svdvals``) stay finite.

Complex matrices: a cotangent pairs with a tangent through ``Re(sum(ct * t))`` (no
conjugation), so holomorphic maps (matmul, solve, inv, det, expm) keep their real rules
and a linear map transposes without conjugating; the factorizations, whose outputs are
defined through conjugate transposes (``_H``), conjugate where their formulas do. Every
conjugation below is skipped for real arrays, so real inputs run the real rules.
"""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from fad._core import FadError, Primitive, Tracer, _state, bind
from fad._differentiate import jvp_of, vjp_of
from fad._pattern_rules import declare, matmul_pattern, outer_pattern, stacked
from fad._prims.arithmetic import bilinear_taylor, conj_p, real_p
from fad._prims.comparisons import eq
from fad._prims.control import stop_gradient
from fad._prims.exponential import exp
from fad._structural import (
    align_batched,
    astype,
    broadcast_to,
    concatenate,
    getitem,
    reduce_sum,
    reshape,
    shape_of,
    size_of,
    transpose,
    unbroadcast,
)

# ------------------------------------------------------------------ shared helpers


def _nd(x: Any) -> Any:
    return len(getattr(x, "shape", ()))


def _swap_last(x: Any) -> Any:
    nd = _nd(x)
    return transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


_T = _swap_last


def _is_complex(x: Any) -> Any:
    return x.dtype.kind == "c"


def _conj(x: Any) -> Any:
    """``conj(x)``; ``x`` itself when real."""
    return bind(conj_p, x) if x.dtype.kind == "c" else x


def _H(x: Any) -> Any:
    """Conjugate transpose of the last two axes."""
    return _conj(_swap_last(x))


def _real(x: Any) -> Any:
    return bind(real_p, x) if x.dtype.kind == "c" else x


def _i_imag(x: Any) -> Any:
    """``1j * imag(x)`` (written with conj, whose transpose is conj)."""
    return (x - bind(conj_p, x)) * 0.5


def _fit(ct: Any, x: Any) -> Any:
    """The cotangent of a real ``x`` is the real part of a complex ``ct`` (``Re(ct * t)``
    for a real tangent ``t``)."""
    return bind(real_p, ct) if ct is not None and ct.dtype.kind == "c" and x.dtype.kind != "c" else ct


def _eye(n: Any, x: Any) -> Any:
    return np.eye(n, dtype=x.dtype)


def diag_part(x: Any) -> Any:
    """The diagonal of the last two (square) axes: ``(..., n, n) -> (..., n)``."""
    n = shape_of(x)[-1]
    return reduce_sum(x * _eye(n, x), axes=(_nd(x) - 1,))


def diag_embed(v: Any) -> Any:
    """``(..., n) -> (..., n, n)`` diagonal matrices."""
    s = shape_of(v)
    return reshape(v, s + (1,)) * _eye(s[-1], v)


def trace_last(x: Any) -> Any:
    """Trace over the last two axes."""
    return reduce_sum(diag_part(x), axes=(_nd(x) - 2,))


def tril(x: Any, k: Any = 0) -> Any:
    m, n = shape_of(x)[-2:]
    return x * np.tril(np.ones((m, n), dtype=x.dtype), k)


def triu(x: Any, k: Any = 0) -> Any:
    m, n = shape_of(x)[-2:]
    return x * np.triu(np.ones((m, n), dtype=x.dtype), k)


def _expand2(x: Any) -> Any:
    """``(...) -> (..., 1, 1)`` so a per-matrix scalar broadcasts over matrices."""
    return reshape(x, shape_of(x) + (1, 1))


def _batch_unary(prim: Any) -> Any:
    def batch(vals: Any, bdims: Any, **params: Any) -> Any:
        out = bind(prim, vals[0], **params)
        if prim.multiple_results:
            return out, (0,) * len(out)
        return out, 0

    return batch


def _batch_binary(prim: Any) -> Any:
    def batch(vals: Any, bdims: Any, **params: Any) -> Any:
        return bind(prim, *align_batched(vals, bdims), **params), 0

    return batch


def _no_derivative(what: Any, fix: Any) -> Any:
    return FadError(f"{what} has no derivative in fad (as in JAX). {fix}")


# ------------------------------------------------------------------------------ matmul
# matmul with NumPy's rules: stacks of matrices broadcast, and a 1-d operand is a vector
# (a row on the left, a column on the right, the axis dropped from the result). Taking
# vectors natively, instead of reshaping them to matrices around the product, saves four
# reshapes per call under every transform (they dominate small products).


def _matmul_impl(a: Any, b: Any) -> Any:
    if a.ndim > 1 and b.ndim > 1 and a.shape[-1] == 1 and b.shape[-2] == 1:
        # a stack of k = 1 products is an outer product: far faster as one (see _outer_impl)
        return _outer_impl(a[..., 0], b[..., 0, :])
    return np.matmul(a, b)


def _emit_matmul(gen: Any, e: Any, lines: list[str], indent: str) -> str:
    """Under jit, where the shapes are known: ``np.matmul`` straight, or the outer product."""
    a, b = e.inputs
    if len(a.shape) > 1 and len(b.shape) > 1 and a.shape[-1] == 1 and b.shape[-2] == 1:
        return str(gen.plain_call(e))
    return f"{gen.intern(('fn', id(np.matmul)), np.matmul, 'f')}({gen.operand(a)}, {gen.operand(b)})"


matmul_p = Primitive(
    "matmul",
    _matmul_impl,
    array_api_impl=lambda xp, a, b: xp.matmul(a, b),
    returns_view=False,
    emit=_emit_matmul,
)


def _matmul_jvp(primals: Any, tangents: Any) -> Any:
    a, b = primals
    ta, tb = tangents
    out = matmul(a, b)
    t = None
    if ta is not None:
        t = matmul(ta, b)
    if tb is not None:
        tb_term = matmul(a, tb)
        t = tb_term if t is None else t + tb_term
    return out, t


def _as_row(x: Any) -> Any:
    return reshape(x, (1,) + shape_of(x)) if _nd(x) == 1 else x


def _as_col(x: Any) -> Any:
    return reshape(x, shape_of(x) + (1,)) if _nd(x) == 1 else x


def _matmul_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    ct_a, ct_b = _matmul_vjp_rule(ct, primals, wants)
    if ct.dtype.kind == "c":  # a real operand of a complex product takes the real part
        ct_a, ct_b = _fit(ct_a, primals[0]), _fit(ct_b, primals[1])
    return ct_a, ct_b


def _matmul_vjp_rule(ct: Any, primals: Any, wants: Any) -> Any:
    a, b = primals
    na, nb = _nd(a), _nd(b)
    if na == 1 and nb == 1:  # inner product: ct is a scalar
        return (ct * b if wants[0] else None), (ct * a if wants[1] else None)
    if na == 1 and nb == 2:  # (k,) @ (k, n): ct (n,)
        ct_a = matmul(b, ct) if wants[0] else None
        ct_b = outer(a, ct) if wants[1] else None
        return ct_a, ct_b
    if na == 2 and nb == 1:  # (m, k) @ (k,): ct (m,)
        ct_a = outer(ct, b) if wants[0] else None
        ct_b = matmul(ct, a) if wants[1] else None
        return ct_a, ct_b
    # the general case: vectors as 1-row / 1-column matrices, ct with the dropped axes back
    a2, b2 = _as_row(a), _as_col(b)
    ct2 = ct
    if na == 1:
        ct2 = reshape(ct2, shape_of(ct2)[:-1] + (1, shape_of(ct2)[-1]))
    if nb == 1:
        ct2 = reshape(ct2, shape_of(ct2) + (1,))
    ct_a = ct_b = None
    if wants[0]:
        ct_a = reshape(unbroadcast(matmul(ct2, _swap_last(b2)), shape_of(a2)), shape_of(a))
    if wants[1]:
        ct_b = reshape(unbroadcast(matmul(_swap_last(a2), ct2), shape_of(b2)), shape_of(b))
    return ct_a, ct_b


matmul_p.jvp = _matmul_jvp
matmul_p.vjp = _matmul_vjp
# the reverse rule never reads the product: a's cotangent needs b, b's needs a
matmul_p.residuals = ((False, (False, True)), (False, (True, False)))


def _matmul_batch(vals: Any, bdims: Any) -> Any:
    """Batch matmul. When one side is unbatched and 2-d (or a vector), fold the batch into
    the other side's rows or columns so the whole batch is ONE matrix product (a single
    BLAS call) instead of a stack of small ones."""
    a, b = vals
    da, db = bdims
    sa, sb = shape_of(a), shape_of(b)
    na, nb = len(sa) - (da is not None), len(sb) - (db is not None)  # per-example ranks
    if da is not None and db is None and nb <= 2:
        if na == 1:  # rows (B, k) @ (k, m) or (k,): already one product
            return matmul(a, b), 0
        # a: (B, ..., n, k) @ b: (k, m) or (k,) -> rows of a stacked: (B*...*n, k) @ b
        out = matmul(reshape(a, (size_of(sa[:-1]), sa[-1])), b)
        return reshape(out, sa[:-1] + sb[1:]), 0
    if da is None and db is not None and na <= 2:
        if nb == 1:  # (n, k) @ columns (B, k): (B, k) @ (k, n); a vector: (B, k) @ (k,)
            return matmul(b, _swap_last(a) if na == 2 else a), 0
        if na == 2:
            # a: (n, k) @ b: (B, ..., k, m) -> (n, k) @ (k, B*...*m)
            nd = len(sb)
            bt = transpose(b, (nd - 2,) + tuple(range(nd - 2)) + (nd - 1,))  # (k, B, ..., m)
            out = matmul(a, reshape(bt, (sb[-2], size_of(sb[:-2]) * sb[-1])))  # (n, B*...*m)
            out = reshape(out, (sa[0],) + sb[:-2] + (sb[-1],))  # (n, B, ..., m)
            return transpose(out, tuple(range(1, nd - 1)) + (0, nd - 1)), 0
    # the general case: vectors as 1-row / 1-column matrices, a stacked product, then
    # the vectors' axes dropped again
    if na == 1:
        a = reshape(a, sa[:-1] + (1, sa[-1]))
    if nb == 1:
        b = reshape(b, sb + (1,))
    out = matmul(*align_batched([a, b], bdims))
    if na == 1 or nb == 1:
        so = shape_of(out)
        out = reshape(out, so[:-2] + (() if na == 1 else so[-2:-1]) + (() if nb == 1 else so[-1:]))
    return out, 0


matmul_p.batch = _matmul_batch
matmul_p.taylor = bilinear_taylor(lambda a, b: matmul(a, b))
# for the simplifier: I @ x == x @ I == x for an identity matrix I (the basis jacfwd and
# jacrev push through a program), exactly wherever x is finite and not -0.0
matmul_p.unit_matrix = True
# for checkpoint policies (fad.checkpoint_policies.dots_saveable ...): it is a product of
# arrays, with this many batch axes (stacked in both operands; a 2-d or 1-d operand has none)
matmul_p.dot_batch_dims = lambda a, b: max(0, min(len(a.shape), len(b.shape)) - 2)  # type: ignore[attr-defined]
declare(matmul_p, matmul_pattern, "multilinear")


def matmul(a: Any, b: Any) -> Any:
    return _state.trace.process(matmul_p, (a, b), {})  # bind, inline (hot)


# ------------------------------------------------------------------------------- outer
# outer(a, b)[..., i, j] = a[..., i] * b[..., j], the leading axes broadcasting. It is the
# weight cotangent of a vector-matrix product (per-example gradients): one primitive where
# two reshapes and a k = 1 matmul were three, under every transform.


def _outer_impl(a: Any, b: Any) -> Any:
    # a broadcasting multiply; once large, einsum's scalar-times-row kernel is 1.3-2x faster
    a, b = np.asarray(a), np.asarray(b)
    if a.size * b.shape[-1] >= 4096:
        return np.einsum("...i,...j->...ij", a, b)
    return np.multiply(a[..., :, None], b[..., None, :])


outer_p = Primitive("outer", _outer_impl, array_api_impl=lambda xp, a, b: a[..., :, None] * b[..., None, :])


def _outer_jvp(primals: Any, tangents: Any) -> Any:
    a, b = primals
    ta, tb = tangents
    t = None if ta is None else outer(ta, b)
    if tb is not None:
        t = outer(a, tb) if t is None else t + outer(a, tb)
    return outer(a, b), t


def _outer_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    a, b = primals
    sa, sb, sc = shape_of(a), shape_of(b), shape_of(ct)
    ct_a = ct_b = None
    if wants[0]:  # sum over j of ct[..., i, j] * b[..., j]
        ct_a = matmul(ct, b) if len(sb) == 1 else reshape(matmul(ct, reshape(b, sb + (1,))), sc[:-1])
        ct_a = unbroadcast(ct_a, sa)
    if wants[1]:  # sum over i of a[..., i] * ct[..., i, j]
        if len(sa) == 1:
            ct_b = matmul(a, ct)
        else:
            ct_b = reshape(matmul(reshape(a, sa[:-1] + (1, sa[-1])), ct), sc[:-2] + sc[-1:])
        ct_b = unbroadcast(ct_b, sb)
    return _fit(ct_a, a), _fit(ct_b, b)


outer_p.jvp = _outer_jvp
outer_p.vjp = _outer_vjp
outer_p.residuals = ((False, (False, True)), (False, (True, False)))  # as matmul's
# per-example, both operands end in their one core axis: lining up the leading axes as a
# broadcasting operation's does (align_batched) is all the batching there is
outer_p.batch = lambda vals, bdims: (outer(*align_batched(vals, bdims)), 0)
declare(outer_p, outer_pattern, "multilinear")


def outer(a: Any, b: Any) -> Any:
    """``a[..., :, None] * b[..., None, :]`` (leading axes broadcast)."""
    return _state.trace.process(outer_p, (a, b), {})


# ------------------------------------------------------------------------------- solve
# solve(a, b) = a^{-1} b for a (..., n, n) and b (..., n, k); batch axes broadcast.

_stacked_solve = stacked(2, lambda nd: 1 if nd == 1 else 2)  # (b: a vector, or a stack of n x k)


def _solve_pattern(prim: Any, vals: Any, fixed: Any, *, out_shapes: Any, **params: Any) -> Any:
    """Each matrix of a stack on its own: a column of ``x`` depends on all of ``a`` and on
    the same column of ``b``."""
    deps: Any = _stacked_solve(prim, vals, fixed, out_shapes=out_shapes)
    dep_a, dep_b = deps[0]
    if len(shape_of(vals[1])) > 1:
        k = shape_of(vals[1])[-1]
        rows, cols = dep_b
        same = rows % k == cols % k
        dep_b = (rows[same], cols[same])
    return [[dep_a, dep_b]]


def _triangular_pattern(
    prim: Any, vals: Any, fixed: Any, *, out_shapes: Any, lower: Any, trans: Any, unit_diagonal: Any
) -> Any:
    """As a solve, reading only the triangle of ``a``."""
    deps: Any = _solve_pattern(prim, vals, fixed, out_shapes=out_shapes)
    dep_a, dep_b = deps[0]
    n = shape_of(vals[0])[-1]
    keep = (_tri_mask(n, np.float64, lower, unit_diagonal) != 0).reshape(-1)
    rows, cols = dep_a
    mine = keep[cols % (n * n)] if n else np.zeros(0, bool)
    return [[(rows[mine], cols[mine]), dep_b]]


_solve_pattern.per_output = True  # type: ignore[attr-defined]
_triangular_pattern.per_output = True  # type: ignore[attr-defined]

solve_p = Primitive("solve", np.linalg.solve)
declare(solve_p, _solve_pattern, "nonlinear")


def _solve_jvp(primals: Any, tangents: Any) -> Any:
    a, b = primals
    ta, tb = tangents
    x = solve(a, b)
    if ta is None:
        rhs = tb
    else:
        rhs = -matmul(ta, x) if tb is None else tb - matmul(ta, x)
    t = solve(a, rhs)
    if shape_of(t) != shape_of(x):
        t = broadcast_to(t, shape_of(x))
    return x, t


def _solve_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    a, b = primals
    ct_b = solve(_T(a), ct)
    ct_a = _fit(unbroadcast(-matmul(ct_b, _T(ans)), shape_of(a)), a) if wants[0] else None
    return ct_a, (_fit(unbroadcast(ct_b, shape_of(b)), b) if wants[1] else None)


solve_p.jvp = _solve_jvp
solve_p.vjp = _solve_vjp


def _solve_batch(vals: Any, bdims: Any) -> Any:
    """Batch solve. A single unbatched matrix against batched right-hand sides (every
    forward-mode Jacobian through a solve) folds the batch into the columns: one
    factorization, not one per example."""
    a, b = vals
    if bdims[0] is None and bdims[1] is not None and _nd(a) == 2 and shape_of(a)[-1]:
        sb = shape_of(b)
        nd = len(sb)
        bt = transpose(b, (nd - 2,) + tuple(range(nd - 2)) + (nd - 1,))  # (n, B, ..., k)
        x = solve(a, reshape(bt, (sb[-2], size_of(sb) // sb[-2])))
        x = reshape(x, (sb[-2],) + sb[:-2] + (sb[-1],))
        return transpose(x, tuple(range(1, nd - 1)) + (0, nd - 1)), 0
    return bind(solve_p, *align_batched(vals, bdims)), 0


solve_p.batch = _solve_batch


def solve(a: Any, b: Any) -> Any:
    return bind(solve_p, a, b)


# ---------------------------------------------------------------------------------- inv
# d inv(a) = -inv(a) da inv(a): two products, where solve(a, I)'s rule would solve against
# every tangent (a forward-mode Jacobian's many right-hand sides cost far more than products).

inv_p = Primitive("inv", np.linalg.inv)
declare(inv_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _inv_jvp(primals: Any, tangents: Any) -> Any:
    x = inv(primals[0])
    return x, -matmul(matmul(x, tangents[0]), x)


inv_p.jvp = _inv_jvp
inv_p.vjp = lambda ct, ans, primals, wants: (-matmul(matmul(_T(ans), ct), _T(ans)),)
inv_p.residuals = ((True, (False,)),)  # the reverse rule reads only the inverse
inv_p.batch = _batch_unary(inv_p)


def inv(a: Any) -> Any:
    return bind(inv_p, a)


# -------------------------------------------------------------------- triangular solve
# Solves op(T) x = b where T is the lower (or upper) triangle of a (unit diagonal if
# asked; the other entries of a are ignored) and op is the identity or the transpose.


def _tri_mask(n: Any, dtype: Any, lower: Any, unit_diagonal: Any) -> Any:
    k = -1 if unit_diagonal else 0
    ones = np.ones((n, n), dtype=dtype)
    return np.tril(ones, k) if lower else np.triu(ones, -k)


def _triangular_solve_impl(a: Any, b: Any, *, lower: Any, trans: Any, unit_diagonal: Any) -> Any:
    n = a.shape[-1]
    t = a * _tri_mask(n, a.dtype, lower, unit_diagonal)
    if unit_diagonal:
        t = t + np.eye(n, dtype=a.dtype)
    if trans:
        t = np.swapaxes(t, -1, -2)
    return np.linalg.solve(t, b)


triangular_solve_p = Primitive("triangular_solve", _triangular_solve_impl)
declare(triangular_solve_p, _triangular_pattern, "nonlinear")


def _triangular_solve_jvp(primals: Any, tangents: Any, *, lower: Any, trans: Any, unit_diagonal: Any) -> Any:
    a, b = primals
    ta, tb = tangents
    kw = dict(lower=lower, trans=trans, unit_diagonal=unit_diagonal)
    x = triangular_solve(a, b, **kw)
    rhs = tb
    if ta is not None:
        dt = ta * _tri_mask(shape_of(a)[-1], a.dtype, lower, unit_diagonal)
        term = matmul(_T(dt) if trans else dt, x)
        rhs = -term if rhs is None else rhs - term
    t = triangular_solve(a, rhs, **kw)
    if shape_of(t) != shape_of(x):
        t = broadcast_to(t, shape_of(x))
    return x, t


def _triangular_solve_vjp(
    ct: Any, ans: Any, primals: Any, wants: Any, *, lower: Any, trans: Any, unit_diagonal: Any
) -> Any:
    a, b = primals
    ct_b = triangular_solve(a, ct, lower=lower, trans=not trans, unit_diagonal=unit_diagonal)
    ct_a = None
    if wants[0]:
        g = -matmul(ct_b, _T(ans))  # cotangent of op(T)
        if trans:
            g = _T(g)
        g = g * _tri_mask(shape_of(a)[-1], a.dtype, lower, unit_diagonal)
        ct_a = _fit(unbroadcast(g, shape_of(a)), a)
    return ct_a, (_fit(unbroadcast(ct_b, shape_of(b)), b) if wants[1] else None)


triangular_solve_p.jvp = _triangular_solve_jvp
triangular_solve_p.vjp = _triangular_solve_vjp
triangular_solve_p.batch = _batch_binary(triangular_solve_p)


def triangular_solve(a: Any, b: Any, *, lower: Any, trans: Any = False, unit_diagonal: Any = False) -> Any:
    return bind(
        triangular_solve_p, a, b, lower=bool(lower), trans=bool(trans), unit_diagonal=bool(unit_diagonal)
    )


# ---------------------------------------------------------------------------- cholesky
# a = L L^H for Hermitian positive-definite a. dL = L phi(L^-1 da L^-H), phi = lower
# triangle with the diagonal halved.


def _phi(x: Any) -> Any:
    n = shape_of(x)[-1]
    return x * (np.tril(np.ones((n, n), dtype=x.dtype), -1) + 0.5 * np.eye(n, dtype=x.dtype))


cholesky_p = Primitive("cholesky", np.linalg.cholesky)
declare(cholesky_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _cholesky_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    L = cholesky(a)
    w = triangular_solve(L, ta, lower=True)  # L^-1 da
    z = _H(triangular_solve(L, _H(w), lower=True))  # L^-1 da L^-H
    return L, matmul(L, _phi(z))


def _cholesky_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    L = ans
    zbar = _phi(matmul(_T(L), ct))
    v = triangular_solve(L, zbar, lower=True, trans=True)  # L^-T zbar
    return (_T(triangular_solve(_conj(L), _T(v), lower=True, trans=True)),)  # ... conj(L)^-1


cholesky_p.jvp = _cholesky_jvp
cholesky_p.vjp = _cholesky_vjp
cholesky_p.batch = _batch_unary(cholesky_p)


def cholesky(a: Any) -> Any:
    return bind(cholesky_p, a)


# -------------------------------------------------------------------------------- eigh
# a = V diag(w) V^H (a Hermitian, w real). dw = Re diag(V^H da V), dV = V (F o V^H da V)
# with F_ij = 1 / (w_j - w_i) off the diagonal (JAX's gauge: Im(v_i^H dv_i) = 0).


def _gap_inverse(d: Any) -> Any:
    """``1 / d`` off the diagonal and 0 on it (d has a zero diagonal)."""
    eye = _eye(shape_of(d)[-1], d)
    return 1.0 / (d + eye) - eye


def _eigh_impl(a: Any) -> Any:
    w, v = np.linalg.eigh(a)
    return w, v


eigh_p = Primitive("eigh", _eigh_impl, multiple_results=True)
declare(eigh_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _eigh_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    w, v = eigh(a)
    p = matmul(matmul(_H(v), ta), v)
    n = shape_of(w)[-1]
    s = shape_of(w)[:-1]
    f = _gap_inverse(reshape(w, s + (1, n)) - reshape(w, s + (n, 1)))
    return (w, v), (_real(diag_part(p)), matmul(v, f * p))


def _eigh_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    ct_w, ct_v = ct
    w, v = ans
    inner = None
    if ct_w is not None:
        inner = diag_embed(ct_w)
    if ct_v is not None:
        n = shape_of(w)[-1]
        s = shape_of(w)[:-1]
        f = _gap_inverse(reshape(w, s + (1, n)) - reshape(w, s + (n, 1)))
        term = f * matmul(_T(v), ct_v)
        inner = term if inner is None else inner + term
    return (matmul(matmul(_conj(v), inner), _T(v)),)


eigh_p.jvp = _eigh_jvp
eigh_p.vjp = _eigh_vjp
eigh_p.batch = _batch_unary(eigh_p)


def eigh(a: Any) -> Any:
    return bind(eigh_p, a)


eigvalsh_p = Primitive("eigvalsh", np.linalg.eigvalsh)
declare(eigvalsh_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _eigvalsh_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    w, v = eigh(a)
    return w, _real(diag_part(matmul(matmul(_H(v), ta), v)))


def _eigvalsh_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    _, v = eigh(primals[0])
    return (matmul(_conj(v) * reshape(ct, shape_of(ct)[:-1] + (1, shape_of(ct)[-1])), _T(v)),)


eigvalsh_p.jvp = _eigvalsh_jvp
eigvalsh_p.vjp = _eigvalsh_vjp
eigvalsh_p.batch = _batch_unary(eigvalsh_p)


def eigvalsh(a: Any) -> Any:
    return bind(eigvalsh_p, a)


# --------------------------------------------------------------------------- eig, eigvals
# A general square a = V diag(w) V^-1, w and V complex whatever a's dtype (as JAX: NumPy
# returns real arrays when every eigenvalue happens to be real, a dtype that depends on the
# values). dw = diag(V^-1 da V); its transpose is V^-T diag(ct) V^T (the real part for a
# real a). Eigenvectors have no derivative (as jax.numpy.linalg.eig): their scale is
# LAPACK's choice; so eigvals has first derivatives only (JAX refuses the second too).


def _complex_dtype(dtype: Any) -> Any:
    return np.result_type(dtype, np.complex64)


def _eig_impl(a: Any) -> Any:
    w, v = np.linalg.eig(a)
    c = _complex_dtype(a.dtype)
    return w.astype(c, copy=False), v.astype(c, copy=False)


eig_p = Primitive("eig", _eig_impl, multiple_results=True)
declare(eig_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _eig_no_derivative(*args: Any, **params: Any) -> NoReturn:
    raise _no_derivative(
        "The eigenvectors of a general (non-Hermitian) matrix (fad.numpy.linalg.eig, and so the "
        "second derivatives of eigvals)",
        "Differentiate the eigenvalues once with fad.numpy.linalg.eigvals, or use eigh for a "
        "Hermitian matrix.",
    )


eig_p.jvp = _eig_no_derivative
eig_p.vjp = _eig_no_derivative
eig_p.batch = _batch_unary(eig_p)


def eig(a: Any) -> Any:
    return bind(eig_p, a)


eigvals_p = Primitive("eigvals", lambda a: np.linalg.eigvals(a).astype(_complex_dtype(a.dtype), copy=False))
declare(eigvals_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _eigvals_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    w, v = eig(a)
    return w, reduce_sum(solve(v, ta) * _T(v), axes=(_nd(v) - 1,))


def _eigvals_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    (a,) = primals
    _, v = eig(a)
    vt = _T(v)
    return (_fit(solve(vt, reshape(ct, shape_of(ct) + (1,)) * vt), a),)


eigvals_p.jvp = _eigvals_jvp
eigvals_p.vjp = _eigvals_vjp
eigvals_p.batch = _batch_unary(eigvals_p)


def eigvals(a: Any) -> Any:
    return bind(eigvals_p, a)


# --------------------------------------------------------------------------------- svd
# Thin SVD a = U diag(s) Vh (a is (..., m, n), k = min(m, n), V = Vh^H). With
# dP = U^H da V: ds = Re diag(dP); dU = U (F o (dP S + S dP^H) + G) + (I - U U^H) da V / s;
# dV = V (F o (S dP + dP^H S)) + (I - V V^H) da^H U / s; F_ij = 1 / (s_j^2 - s_i^2), and
# G = diag(i Im(dP_jj) / s_j), JAX's gauge for complex a (zero for real a).


def _svd_impl(a: Any, *, full_matrices: Any) -> Any:
    u, s, vt = np.linalg.svd(a, full_matrices=full_matrices)
    return u, s, vt


svd_p = Primitive("svd", _svd_impl, multiple_results=True)
declare(svd_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _svd_check(a: Any, full_matrices: Any) -> None:
    m, n = shape_of(a)[-2:]
    if full_matrices and m != n:
        raise _no_derivative(
            f"The SVD with full_matrices=True of a non-square matrix (shape {shape_of(a)})",
            "Its extra singular vectors are not unique. Use full_matrices=False.",
        )


def _svd_f(s: Any) -> Any:
    k = shape_of(s)[-1]
    b = shape_of(s)[:-1]
    s2 = s * s
    return _gap_inverse(reshape(s2, b + (1, k)) - reshape(s2, b + (k, 1)))


def _s_inv(s: Any) -> Any:
    """``1 / s``, 0 where ``s`` is 0 (as JAX's gauge term)."""
    z = astype(eq(s, 0.0), s.dtype)
    return 1.0 / (s + z) - z


def _svd_jvp(primals: Any, tangents: Any, *, full_matrices: Any) -> Any:
    (a,), (ta,) = primals, tangents
    _svd_check(a, full_matrices)
    u, s, vt = svd(a, full_matrices=full_matrices)
    v = _H(vt)
    m, n = shape_of(a)[-2:]
    k = shape_of(s)[-1]
    b = shape_of(s)[:-1]
    dp = matmul(matmul(_H(u), ta), v)
    dpd = diag_part(dp)
    ds = _real(dpd)
    f = _svd_f(s)
    s_row = reshape(s, b + (1, k))  # scales columns: X S
    s_col = reshape(s, b + (k, 1))  # scales rows: S X
    inner_u = f * (dp * s_row + _H(dp * s_row))
    if _is_complex(dp):
        inner_u = inner_u + diag_embed(_i_imag(dpd) * _s_inv(s))
    du = matmul(u, inner_u)
    dv = matmul(v, f * (s_col * dp + _H(s_col * dp)))
    if m > n:
        dav = matmul(ta, v)
        du = du + (dav - matmul(u, matmul(_H(u), dav))) / s_row
    if n > m:
        dau = matmul(_H(ta), u)
        dv = dv + (dau - matmul(v, matmul(vt, dau))) / s_row
    return (u, s, vt), (du, ds, _H(dv))


def _svd_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, full_matrices: Any) -> Any:
    # the transpose of the forward rule: t -> M t N gives ct -> M^T ct N^T, t -> t^H
    # gives ct -> ct^H (so U^H and V = Vh^H turn into conj(U) and conj(Vh))
    (a,) = primals
    _svd_check(a, full_matrices)
    ct_u, ct_s, ct_vt = ct
    u, s, vt = ans
    m, n = shape_of(a)[-2:]
    k = shape_of(s)[-1]
    b = shape_of(s)[:-1]
    s_row = reshape(s, b + (1, k))
    s_col = reshape(s, b + (k, 1))
    inner = diag_embed(_real(ct_s)) if ct_s is not None else None
    extra = None
    if ct_u is not None or ct_vt is not None:
        f = _svd_f(s)
    if ct_u is not None:
        ut_ct = matmul(_T(u), ct_u)
        j = f * ut_ct
        term = (j + _H(j)) * s_row
        if _is_complex(ut_ct):
            term = term + diag_embed(_i_imag(diag_part(ut_ct)) * _s_inv(s))
        inner = term if inner is None else inner + term
        if m > n:
            extra = matmul((ct_u - matmul(_conj(u), ut_ct)) / s_row, _conj(vt))
    if ct_vt is not None:
        ct_v = _H(ct_vt)
        kk = f * matmul(_conj(vt), ct_v)
        term = s_col * (kk + _H(kk))
        inner = term if inner is None else inner + term
        if n > m:
            r = ct_v - matmul(_T(vt), matmul(_conj(vt), ct_v))
            e2 = matmul(_conj(u) / s_row, _H(r))
            extra = e2 if extra is None else extra + e2
    out = matmul(matmul(_conj(u), inner), _conj(vt)) if inner is not None else None
    if extra is not None:
        out = extra if out is None else out + extra
    return (out,)


svd_p.jvp = _svd_jvp
svd_p.vjp = _svd_vjp
svd_p.batch = _batch_unary(svd_p)


def svd(a: Any, *, full_matrices: Any = False) -> Any:
    return bind(svd_p, a, full_matrices=bool(full_matrices))


svdvals_p = Primitive("svdvals", lambda a: np.linalg.svd(a, compute_uv=False))
declare(svdvals_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _svdvals_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    u, s, vt = svd(a)
    return s, _real(diag_part(matmul(matmul(_H(u), ta), _H(vt))))


def _svdvals_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    u, _, vt = svd(primals[0])
    c = shape_of(ct)
    return (matmul(_conj(u) * reshape(ct, c[:-1] + (1, c[-1])), _conj(vt)),)


svdvals_p.jvp = _svdvals_jvp
svdvals_p.vjp = _svdvals_vjp
svdvals_p.batch = _batch_unary(svdvals_p)


def svdvals(a: Any) -> Any:
    return bind(svdvals_p, a)


# ---------------------------------------------------------------------------------- qr
# a = Q R (m >= n, reduced; or square). With X = da R^-1, C = Q^H X, Om = tril(C, -1) -
# tril(C, -1)^H + i Im diag(C) (the last term for complex a, as JAX): dQ = Q (Om - C) + X,
# dR = (C - Om) R.


def _qr_impl(a: Any, *, mode: Any) -> Any:
    q, r = np.linalg.qr(a, mode=mode)
    return q, r


qr_p = Primitive("qr", _qr_impl, multiple_results=True)
declare(qr_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _qr_check(a: Any, mode: Any) -> None:
    m, n = shape_of(a)[-2:]
    if m < n or (mode == "complete" and m != n):
        raise _no_derivative(
            f"The QR decomposition of a matrix of shape {shape_of(a)} with mode={mode!r}",
            "Derivatives need m >= n and mode='reduced' (transpose a wide matrix first).",
        )


def _qr_jvp(primals: Any, tangents: Any, *, mode: Any) -> Any:
    (a,), (ta,) = primals, tangents
    _qr_check(a, mode)
    q, r = qr(a, mode=mode)
    x = _T(triangular_solve(r, _T(ta), lower=False, trans=True))  # da R^-1
    c = matmul(_H(q), x)
    low = tril(c, -1)
    om = low - _H(low)
    if _is_complex(c):
        om = om + diag_embed(_i_imag(diag_part(c)))
    return (q, r), (matmul(q, om - c) + x, matmul(c - om, r))


def _qr_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, mode: Any) -> Any:
    (a,) = primals
    _qr_check(a, mode)
    ct_q, ct_r = ct
    q, r = ans
    c_bar = om_bar = x_bar = None
    if ct_r is not None:
        g = matmul(ct_r, _T(r))
        c_bar, om_bar = g, -g
    if ct_q is not None:
        h = matmul(_T(q), ct_q)
        om_bar = h if om_bar is None else om_bar + h
        c_bar = -h if c_bar is None else c_bar - h
        x_bar = ct_q
    c_bar = c_bar + tril(om_bar - _H(om_bar), -1)
    if _is_complex(om_bar):
        c_bar = c_bar + diag_embed(_i_imag(diag_part(om_bar)))
    qc = matmul(_conj(q), c_bar)
    x_bar = qc if x_bar is None else x_bar + qc
    return (_T(triangular_solve(r, _T(x_bar), lower=False)),)


qr_p.jvp = _qr_jvp
qr_p.vjp = _qr_vjp
qr_p.batch = _batch_unary(qr_p)


def qr(a: Any, *, mode: Any = "reduced") -> Any:
    return bind(qr_p, a, mode=mode)


# ------------------------------------------------------------------------- determinants
# d det(a) = tr(adj(a) da). The adjugate is a polynomial in a, so every derivative of det
# is finite, and must stay exact where det(a) = 0. The textbook derivative of adj,
# (adj tr(adj da) - adj da adj) / det, divides by det (and loses eps * cond(a) long before
# a is singular), so adj's rules differentiate instead an expression for adj(a) that
# never divides by a small number (_adjugate_bordered):
#
# * Border a with p = s_0 u_K and q = s_0 v_K, the singular vectors of its k smallest
#   singular values (every s_i <= sqrt(eps) s_0, and always at least the smallest, so
#   a staged program stays exact at rank n - 1), held constant:
#   b = [[a, p], [q^T, 0]] is invertible and conditioned like the rest of a.
# * Jacobi's identity (a minor of b^-1 is the complementary minor of b over det(b)) with
#   b^-1 = [[c, c_k], [r_k, d]] gives, for ANY borders that keep b invertible,
#   adj(a) = det(b) (det(d) c - c_k adj(d) r_k): only the well-conditioned b is
#   inverted, and d (k x k) is 0 where a has rank n - k.
# * adj(d) and det(d) come from division-free polynomials: explicit cofactors for k <= 3,
#   Faddeev-LeVerrier (dividing by integers only) beyond.
#
# The value of adj comes from the SVD impl below (one factorization); the bordered form
# runs only when adj is differentiated, i.e. for second and higher derivatives of det.


def _adjugate_impl(a: Any) -> Any:
    n = a.shape[-1]
    if n == 0:
        return np.zeros_like(a)
    finite = np.isfinite(a).all(axis=(-2, -1))
    if not finite.all():  # NaN for a matrix with a NaN or an infinity, as det's value is
        # (np.linalg.svd would raise "SVD did not converge" from inside det's derivative)
        out = _adjugate_impl(np.where(finite[..., None, None], a, np.eye(n, dtype=a.dtype)))
        return np.where(finite[..., None, None], out, np.nan)
    u, s, vt = np.linalg.svd(a)
    others = np.where(np.eye(n, dtype=bool), 1.0, s[..., None, :])
    c = np.prod(others, axis=-1)  # product of the other singular values
    sign = np.linalg.det(u) * np.linalg.det(vt)  # a phase for complex a: adj = sign V C U^H
    adj = np.matmul(np.swapaxes(vt, -1, -2).conj() * c[..., None, :], np.swapaxes(u, -1, -2).conj())
    return (adj * sign[..., None, None]).astype(a.dtype, copy=False)


adjugate_p = Primitive("adjugate", _adjugate_impl)
declare(adjugate_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)
det_p = Primitive("det", np.linalg.det)
declare(det_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _concrete(x: Any) -> Any:
    while isinstance(x, Tracer):
        x = x._value()
    return np.asarray(x)


def _border_size(s: Any) -> Any:
    """How many trailing singular values (of the worst matrix in a stack) the borders
    take: every s_i <= sqrt(eps) s_0, and at least one. Under ``jit`` this reads the
    example value: the staged program is exact at rank >= n - max(1, that count)."""
    s = _concrete(s)
    n = s.shape[-1]
    if s.size == 0:
        return n
    tol = np.sqrt(np.finfo(s.dtype).eps) * s[..., :1]
    return max(1, int(np.max(np.sum(s <= tol, axis=-1))))


def _cols(x: Any, lo: Any, hi: Any) -> Any:
    return getitem(x, (slice(None),) * (_nd(x) - 1) + (slice(lo, hi),))


def _rows(x: Any, lo: Any, hi: Any) -> Any:
    return getitem(x, (slice(None),) * (_nd(x) - 2) + (slice(lo, hi), slice(None)))


def _small_adj_det(z: Any) -> Any:
    """``(adj(z), det(z))`` of a small k x k (stack of) matrices, dividing by no value
    (explicit cofactors for k <= 3, Faddeev-LeVerrier beyond)."""
    k = shape_of(z)[-1]
    lead = shape_of(z)[:-2]
    if k == 1:
        return np.ones(lead + (1, 1), dtype=z.dtype), reshape(z, lead)
    e = [[reshape(_cols(_rows(z, i, i + 1), j, j + 1), lead) for j in range(k)] for i in range(k)]
    if k == 2:
        return _expand2(e[0][0] + e[1][1]) * _eye(2, z) - z, e[0][0] * e[1][1] - e[0][1] * e[1][0]
    if k == 3:

        def cross(p: Any, q: Any) -> Any:  # rows p x q of z, as a (..., 3, 1) column
            c = [e[p][1] * e[q][2] - e[p][2] * e[q][1], e[p][2] * e[q][0] - e[p][0] * e[q][2],
                 e[p][0] * e[q][1] - e[p][1] * e[q][0]]  # fmt: skip
            return concatenate([reshape(ci, lead + (1, 1)) for ci in c], len(lead))

        adj = concatenate([cross(1, 2), cross(2, 0), cross(0, 1)], len(lead) + 1)
    else:  # m_1 = I, m_j = z m_(j-1) + c_(k-j+1) I, c_(k-j) = -tr(z m_j) / j; adj = (-1)^(k-1) m_k
        eye = _eye(k, z)
        m = broadcast_to(eye, shape_of(z))
        c = -trace_last(z)
        for j in range(2, k + 1):
            m = matmul(z, m) + _expand2(c) * eye
            c = trace_last(matmul(z, m)) * (-1.0 / j)
        adj = m if k % 2 else -m
    det_z = reduce_sum(_rows(z, 0, 1) * _T(_cols(adj, 0, 1)), axes=(len(lead), len(lead) + 1))
    return adj, det_z


def _adjugate_bordered(a: Any, p: Any, q: Any) -> Any:
    """adj(a) through the bordered matrix [[a, p], [q^T, 0]] (see above): fad operations
    that divide by nothing small, exact for every a that keeps that matrix invertible."""
    n, k = shape_of(p)[-2:]
    lead = shape_of(a)[:-2]
    nd = _nd(a)
    zero = np.zeros(lead + (k, k), dtype=a.dtype)
    b = concatenate([concatenate([a, p], nd - 1), concatenate([_T(q), zero], nd - 1)], nd - 2)
    bi = inv(b)
    top, bottom = _rows(bi, 0, n), _rows(bi, n, n + k)
    adj_d, det_d = _small_adj_det(_cols(bottom, n, n + k))
    inner = _cols(top, 0, n) * _expand2(det_d) - matmul(
        matmul(_cols(top, n, n + k), adj_d), _cols(bottom, 0, n)
    )
    return inner * _expand2(det_sign(b) * exp(logabsdet(b)))


def _adjugate_surrogate(a: Any) -> Any:
    """``adj`` as a function to differentiate, exact around ``a`` (its borders constant)."""
    u, s, vt = svd(stop_gradient(a))
    n = shape_of(a)[-1]
    k = _border_size(s)
    s0 = _expand2(getitem(s, (slice(None),) * (_nd(s) - 1) + (0,)))
    scale = s0 + astype(eq(s0, 0.0), s0.dtype)  # s_0, or 1 for a zero matrix
    # adj is homogeneous of degree n - 1: the bordered form runs on x / s_0, of order one,
    # so a matrix of tiny (1e-200) or huge entries neither underflows nor overflows there
    inv = 1.0 / scale
    p = _cols(u, n - k, n)
    q = _T(_rows(vt, n - k, n))

    def adj(x: Any) -> Any:
        out = _adjugate_bordered(x * inv, p, q)
        for _ in range(n - 1):  # one factor at a time: the derivatives' own scale survives
            out = out * scale
        return out

    return adj


def _adjugate_jvp(primals: Any, tangents: Any) -> Any:
    return jvp_of(_adjugate_surrogate(primals[0]), primals, tangents)


def _adjugate_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    return tuple(vjp_of(_adjugate_surrogate(primals[0]), primals, ct))


adjugate_p.jvp = _adjugate_jvp
adjugate_p.vjp = _adjugate_vjp
adjugate_p.batch = _batch_unary(adjugate_p)


def adjugate(a: Any) -> Any:
    return bind(adjugate_p, a)


def _det_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    nd = _nd(a)
    return det(a), reduce_sum(_T(adjugate(a)) * ta, axes=(nd - 2, nd - 1))


det_p.jvp = _det_jvp
det_p.vjp = lambda ct, ans, primals, wants: (_expand2(ct) * _T(adjugate(primals[0])),)
det_p.batch = _batch_unary(det_p)


def det(a: Any) -> Any:
    return bind(det_p, a)


# slogdet: with tau = tr(a^-1 da), d log|det a| = Re(tau) and, for complex a, the phase
# sign = det / |det| moves by sign * i Im(tau) (JAX's rules); a real sign is constant.
logabsdet_p = Primitive("logabsdet", lambda a: np.linalg.slogdet(a)[1])
declare(logabsdet_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _inv_trace(a: Any, t: Any) -> Any:  # tr(a^-1 t), one inverse for any number of tangents
    return reduce_sum(_T(inv(a)) * t, axes=(_nd(a) - 2, _nd(a) - 1))


logabsdet_p.jvp = lambda primals, tangents: (
    logabsdet(primals[0]),
    _real(_inv_trace(primals[0], tangents[0])),
)
logabsdet_p.vjp = lambda ct, ans, primals, wants: (_expand2(_real(ct)) * _T(inv(primals[0])),)
logabsdet_p.batch = _batch_unary(logabsdet_p)

det_sign_p = Primitive("det_sign", lambda a: np.linalg.slogdet(a)[0])
declare(det_sign_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _det_sign_jvp(primals: Any, tangents: Any) -> Any:
    (a,), (ta,) = primals, tangents
    sign = det_sign(a)
    if not _is_complex(sign):
        return sign, None
    return sign, sign * _i_imag(_inv_trace(a, ta))


def _det_sign_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    (a,) = primals
    if not _is_complex(ans):
        return (None,)
    return (_expand2(_i_imag(ct * ans)) * _T(inv(a)),)


det_sign_p.jvp = _det_sign_jvp
det_sign_p.vjp = _det_sign_vjp
det_sign_p.batch = _batch_unary(det_sign_p)


def logabsdet(a: Any) -> Any:
    return bind(logabsdet_p, a)


def det_sign(a: Any) -> Any:
    return bind(det_sign_p, a)


# -------------------------------------------------------------------------------- pinv
# dP = -P da P + P P^H da^H (I - A P) + (I - P A) da^H P^H P (constant rank).


def _pinv_impl(a: Any, *, rcond: Any) -> Any:
    return np.linalg.pinv(a, rcond=rcond)


pinv_p = Primitive("pinv", _pinv_impl)
declare(pinv_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _pinv_jvp(primals: Any, tangents: Any, *, rcond: Any) -> Any:
    (a,), (ta,) = primals, tangents
    p = pinv(a, rcond=rcond)
    m, n = shape_of(a)[-2:]
    i_ap = _eye(m, a) - matmul(a, p)
    i_pa = _eye(n, a) - matmul(p, a)
    tat = _H(ta)
    t = (
        -matmul(matmul(p, ta), p)
        + matmul(matmul(matmul(p, _H(p)), tat), i_ap)
        + matmul(matmul(i_pa, tat), matmul(_H(p), p))
    )
    return p, t


def _pinv_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, rcond: Any) -> Any:
    (a,) = primals
    p = ans
    pt, pc = _T(p), _conj(p)
    m, n = shape_of(a)[-2:]
    i_ap = _eye(m, a) - _conj(matmul(a, p))
    i_pa = _eye(n, a) - _conj(matmul(p, a))
    ctt = _H(ct)
    return (
        -matmul(matmul(pt, ct), pt)
        + matmul(matmul(i_ap, ctt), matmul(pc, pt))
        + matmul(matmul(matmul(pt, pc), ctt), i_pa),
    )


pinv_p.jvp = _pinv_jvp
pinv_p.vjp = _pinv_vjp
pinv_p.batch = _batch_unary(pinv_p)


def pinv(a: Any, *, rcond: Any) -> Any:
    """Pseudo-inverse; singular values below ``rcond * max(s)`` are dropped."""
    return bind(pinv_p, a, rcond=float(rcond))


# ------------------------------------------------------------------------- matrix_rank


def _matrix_rank_impl(a: Any, *, tol: Any, rtol: Any) -> Any:
    return np.linalg.matrix_rank(a, tol=tol, rtol=rtol)


matrix_rank_p = Primitive("matrix_rank", _matrix_rank_impl, differentiable=False)
matrix_rank_p.batch = _batch_unary(matrix_rank_p)


def matrix_rank(a: Any, *, tol: Any = None, rtol: Any = None) -> Any:
    return bind(matrix_rank_p, a, tol=tol, rtol=rtol)


# -------------------------------------------------------------------------------- expm
# Pade(13) with scaling and squaring (Higham 2005). The Frechet derivative L(A, E) is the
# top-right block of expm([[A, E], [0, A]]); its adjoint is L(A^T, G).

_PADE13 = (
    64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
    129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
    40840800.0, 960960.0, 16380.0, 182.0, 1.0,
)  # fmt: skip
_THETA13 = 5.371920351148152


def _expm_one(a: Any) -> Any:
    n = a.shape[-1]
    norm = np.max(np.sum(np.abs(a), axis=0)) if n else 0.0
    s = max(0, int(np.ceil(np.log2(norm / _THETA13)))) if norm > _THETA13 else 0
    a = a / (2.0**s)
    b = _PADE13
    eye = np.eye(n, dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for _ in range(s):
        r = r @ r
    return r


def _expm_impl(a: Any) -> Any:
    a = np.asarray(a)
    if a.ndim == 2:
        return _expm_one(a)
    flat = a.reshape((-1,) + a.shape[-2:])
    out = np.stack([_expm_one(m) for m in flat]) if flat.shape[0] else np.zeros_like(flat)
    return out.reshape(a.shape)


expm_p = Primitive("expm", _expm_impl)
declare(expm_p, stacked(2), "nonlinear")  # (each matrix of a stack on its own)


def _block_frechet(a: Any, e: Any) -> Any:
    """Top-right block of expm([[a, e], [0, a]])."""
    n = shape_of(a)[-1]
    nd = _nd(a)
    zero = np.zeros(shape_of(a), dtype=a.dtype)
    top = concatenate([a, e], nd - 1)
    bottom = concatenate([zero, a], nd - 1)
    big = expm(concatenate([top, bottom], nd - 2))
    return getitem(big, (slice(None),) * (nd - 2) + (slice(0, n), slice(n, 2 * n)))


expm_p.jvp = lambda primals, tangents: (expm(primals[0]), _block_frechet(primals[0], tangents[0]))
expm_p.vjp = lambda ct, ans, primals, wants: (_block_frechet(_T(primals[0]), ct),)
expm_p.batch = _batch_unary(expm_p)


def expm(a: Any) -> Any:
    return bind(expm_p, a)
