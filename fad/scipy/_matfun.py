"""The primitives of `fad.scipy.linalg` built on the Schur decomposition: the Sylvester
solve, the principal square root and logarithm, the Schur form, and the polar
decomposition (whose derivative solves a Sylvester equation).

Values. The Sylvester solve (Bartels-Stewart), `sqrtm`, `logm` and the Schur form need
LAPACK's Schur decomposition, which NumPy does not expose: their values come from SciPy,
imported when one of them first runs (fad's core never imports it; without SciPy the call
says how to install it). Polar's values come from NumPy's SVD.

Derivatives, written in fad operations on these primitives (so they differentiate again
and batch). Complex matrices follow fad/_prims/linalg.py: a cotangent pairs with a tangent
through `Re(sum(ct * t))`, so these holomorphic maps transpose without conjugating.

* `sylvester`: `A X + X B = Q` gives `A dX + dX B = dQ - dA X - X dB`; the transpose
  of `Q -> X` is `G -> sylvester(A^T, B^T, G)`.
* `sqrtm`: `S dS + dS S = dA`, a Sylvester equation (Higham, *Functions of Matrices*,
  2008, sec. 6.1); defined where `S` and `-S` share no eigenvalue (`A` nonsingular).
* `logm`: the Frechet derivative `L(A, E)` is the top-right block of
  `logm([[A, E], [0, A]])` (Mathias 1996; Higham 2008, Thm 3.6); its transpose is
  `L(A^T, G)`.
* `schur`: `A = Z T Z^H`. With `C = Z^H dA Z` and `Om = Z^H dZ` (skew-Hermitian,
  zero diagonal: the gauge), the strictly lower part of `C = dT + Om T - T Om` fixes
  `Om` one subdiagonal at a time (entries of a subdiagonal depend only on those below
  it), dividing by the eigenvalue gaps `T_jj - T_ii`; `dT = C - (Om T - T Om)`,
  `dZ = Z Om`. Defined for distinct eigenvalues and a triangular `T` (the complex
  form, or the real form of a matrix whose eigenvalues are real).
* `polar`: `A = U P` gives `U^H dA - dA^H U = Om P + P Om` with `Om = U^H dU`
  (a Sylvester equation), `dP = U^H dA - Om P` (`A = P U` likewise from the right);
  defined where `P` is nonsingular, including repeated singular values.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Primitive, bind
from fad._differentiate import vjp_of
from fad._prims.linalg import (
    _H,
    _T,
    _concrete,
    _fit,
    _nd,
    _no_derivative,
    diag_part,
    matmul,
    solve,
    triu,
)
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
    unbroadcast,
)

if TYPE_CHECKING:
    from fad.typing import Array

_INSTALL = 'pip install "fad-autodiff[scipy]"'


def _scipy_linalg(what: str) -> Any:
    """`scipy.linalg`, imported when a function that needs it first runs."""
    try:
        import scipy.linalg
    except ImportError:
        raise ImportError(
            f"{what} computes its values with SciPy (LAPACK's Schur decomposition, which NumPy "
            f"does not expose), and SciPy is not installed: {_INSTALL}"
        ) from None
    return scipy.linalg


def _each(fun: Callable[..., Any], *arrays: Any) -> Any:
    """`fun` applied to each matrix of a stack (leading axes broadcast), results stacked."""
    mats = [np.asarray(x) for x in arrays]
    lead = np.broadcast_shapes(*(x.shape[:-2] for x in mats))
    if not lead:
        return fun(*mats)
    n = int(np.prod(lead))
    flat: list[np.ndarray[Any, Any]] = [
        np.broadcast_to(x, lead + x.shape[-2:]).reshape((n,) + x.shape[-2:]) for x in mats
    ]
    if n == 0:  # the shapes and dtypes of one example's results, none of them
        outs = [fun(*(np.eye(*x.shape[1:], dtype=x.dtype) for x in flat))]
    else:
        outs = [fun(*xs) for xs in zip(*flat, strict=True)]
    if isinstance(outs[0], tuple):
        return tuple(np.stack(col)[:n].reshape(lead + col[0].shape) for col in zip(*outs, strict=True))
    return np.stack(outs)[:n].reshape(lead + outs[0].shape)


def _sub(x: Any, y: Any) -> Any:
    return -y if x is None else x - y


def _zeros_for(ct: Any, like: Any) -> Any:
    return np.zeros(shape_of(like), dtype=like.dtype) if ct is None else ct


def _flat_cat(xs: Any, lead: Any) -> Any:
    nd = len(lead)
    return concatenate([reshape(x, lead + (size_of(shape_of(x)[nd:]),)) for x in xs], nd)


def _transpose_of(tangent_map: Callable[..., Any], a: Any, ct: Any, ans: Any) -> Any:
    """The cotangent of `a` for the cotangents `ct` of the outputs of the linear map
    `tangent_map(da) -> (d out_1, ...)`: reverse mode through the map itself (its outputs
    flattened and joined into one)."""
    lead = shape_of(a)[:-2]
    cts = [_zeros_for(c, o) for c, o in zip(ct, ans, strict=True)]
    (ct_a,) = vjp_of(lambda t: _flat_cat(tangent_map(t), lead), (a,), _flat_cat(cts, lead))
    return (None if ct_a is None else _fit(ct_a, a),)


def _triangular_mask(n: Any, k: Any) -> Any:
    return np.tril(np.ones((n, n)), k)


# ---------------------------------------------------------------------------- sylvester
# X solves A X + X B = Q: A (..., n, n), B (..., m, m), Q (..., n, m); leading axes broadcast.


def _sylvester_impl(a: Any, b: Any, q: Any) -> Any:
    # one dtype for all three: SciPy's solve_sylvester returns a wrong solution when a or b
    # is real and q complex (it works in a's real Schur form)
    dtype = np.result_type(a, b, q)
    a, b, q = (np.asarray(x, dtype=dtype) for x in (a, b, q))
    solve = _scipy_linalg(
        "The Sylvester solve (fad.scipy.linalg.solve_sylvester, solve_continuous_lyapunov, and the "
        "derivatives of sqrtm and polar)"
    ).solve_sylvester
    return _each(solve, a, b, q)


sylvester_p = Primitive("sylvester", _sylvester_impl)


def _sylvester_jvp(primals: Any, tangents: Any) -> Any:
    a, b, q = primals
    ta, tb, tq = tangents
    x = sylvester(a, b, q)
    rhs = tq
    if ta is not None:
        rhs = _sub(rhs, matmul(ta, x))
    if tb is not None:
        rhs = _sub(rhs, matmul(x, tb))
    t = sylvester(a, b, rhs)
    if shape_of(t) != shape_of(x):
        t = broadcast_to(t, shape_of(x))
    return x, t


def _sylvester_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    a, b, q = primals
    g = sylvester(_T(a), _T(b), ct)
    ct_a = _fit(unbroadcast(-matmul(g, _T(ans)), shape_of(a)), a) if wants[0] else None
    ct_b = _fit(unbroadcast(-matmul(_T(ans), g), shape_of(b)), b) if wants[1] else None
    ct_q = _fit(unbroadcast(g, shape_of(q)), q) if wants[2] else None
    return ct_a, ct_b, ct_q


sylvester_p.jvp = _sylvester_jvp
sylvester_p.vjp = _sylvester_vjp
sylvester_p.residuals = ((True, (True, True, False)),) * 3  # every cotangent: x, a and b
sylvester_p.batch = lambda vals, bdims: (sylvester(*align_batched(vals, bdims)), 0)


def sylvester(a: Any, b: Any, q: Any) -> Array:
    """`X` with `a X + X b = q`."""
    return bind(sylvester_p, a, b, q)


# -------------------------------------------------------------------------------- sqrtm


def _sqrtm_impl(a: Any) -> Any:
    return _each(_scipy_linalg("fad.scipy.linalg.sqrtm").sqrtm, a)


sqrtm_p = Primitive("sqrtm", _sqrtm_impl)


def _sqrtm_jvp(primals: Any, tangents: Any) -> Any:
    s = sqrtm(primals[0])
    return s, sylvester(s, s, tangents[0])


sqrtm_p.jvp = _sqrtm_jvp
sqrtm_p.vjp = lambda ct, ans, primals, wants: (_fit(sylvester(_T(ans), _T(ans), ct), primals[0]),)
sqrtm_p.residuals = ((True, (False,)),)  # the reverse rule reads only the root
sqrtm_p.batch = lambda vals, bdims: (sqrtm(vals[0]), 0)


def sqrtm(a: Any) -> Array:
    return bind(sqrtm_p, a)


# --------------------------------------------------------------------------------- logm


def _logm_impl(a: Any, *, block: bool) -> Any:
    logm_ = _scipy_linalg("fad.scipy.linalg.logm").logm
    if not block:
        return _each(logm_, a)
    # a derivative's block matrix [[A, E], [0, A]]: SciPy's "may be inaccurate" warning
    # compares expm(F) - X with X's norm, which E can make fall below 1000 eps when the
    # blocks are accurate; the user's own logm(A) still warns as SciPy's
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "logm result may be inaccurate", RuntimeWarning)
        return _each(logm_, a)


logm_p = Primitive("logm", _logm_impl)


def _block_logm(a: Any, e: Any) -> Any:
    """`L(a, e)`, the top-right block of `logm([[a, e], [0, a]])`."""
    n = shape_of(a)[-1]
    nd = _nd(a)
    if a.dtype != e.dtype:
        a, e = astype(a, np.result_type(a.dtype, e.dtype)), astype(e, np.result_type(a.dtype, e.dtype))
    zero = np.zeros(shape_of(a), dtype=a.dtype)
    big = concatenate([concatenate([a, e], nd - 1), concatenate([zero, a], nd - 1)], nd - 2)
    return getitem(logm(big, block=True), (slice(None),) * (nd - 2) + (slice(0, n), slice(n, 2 * n)))


def _logm_jvp(primals: Any, tangents: Any, *, block: bool) -> Any:
    return logm(primals[0], block=block), _block_logm(primals[0], tangents[0])


logm_p.jvp = _logm_jvp
logm_p.vjp = lambda ct, ans, primals, wants, *, block: (_fit(_block_logm(_T(primals[0]), ct), primals[0]),)
logm_p.residuals = ((False, (True,)),)
logm_p.batch = lambda vals, bdims, *, block: (logm(vals[0], block=block), 0)


def logm(a: Any, *, block: bool = False) -> Array:
    """Principal logarithm; `block=True` for the block matrix of a Frechet derivative."""
    return bind(logm_p, a, block=bool(block))


# -------------------------------------------------------------------------------- schur
# A = Z T Z^H; the real form for a real a, the complex form for a complex one.


def _schur_impl(a: Any) -> Any:
    return _each(lambda m: tuple(_scipy_linalg("fad.scipy.linalg.schur").schur(m, output="real")), a)


schur_p = Primitive("schur", _schur_impl, multiple_results=True)


def _schur_check(t: Any) -> None:
    sub = np.diagonal(_concrete(t), offset=-1, axis1=-2, axis2=-1)
    if np.any(sub != 0):
        raise _no_derivative(
            "The real Schur form of a matrix with complex eigenvalues (2 x 2 blocks on T's diagonal)",
            "Differentiate the complex Schur form instead: schur(a, output='complex').",
        )


def _schur_tangent(t: Any, z: Any, ta: Any) -> Any:
    n = shape_of(t)[-1]
    lead = shape_of(t)[:-2]
    c = matmul(matmul(_H(z), ta), z)
    d = diag_part(t)
    lower = _triangular_mask(n, -1)
    gap = (reshape(d, lead + (1, n)) - reshape(d, lead + (n, 1))) * lower  # T_jj - T_ii below
    inv_gap = lower / (gap + (1.0 - lower))  # 1 / gap below the diagonal, 0 elsewhere
    m = None  # Om's strictly lower part, one subdiagonal at a time from the corner
    for k in range(n - 1, 0, -1):
        r = c if m is None else c - (matmul(m, t) - matmul(t, m))
        step = r * (inv_gap * np.eye(n, k=-k))
        m = step if m is None else m + step
    if m is None:  # 1 x 1: T moves with A, Z does not
        return c, c * 0
    om = m - _H(m)
    return triu(c - (matmul(om, t) - matmul(t, om))), matmul(z, om)


def _schur_jvp(primals: Any, tangents: Any) -> Any:
    t, z = schur(primals[0])
    _schur_check(t)
    return (t, z), _schur_tangent(t, z, tangents[0])


def _schur_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    t, z = ans
    _schur_check(t)
    return _transpose_of(lambda ta: _schur_tangent(t, z, ta), primals[0], ct, ans)


schur_p.jvp = _schur_jvp
schur_p.vjp = _schur_vjp
schur_p.batch = lambda vals, bdims: (schur(vals[0]), (0, 0))


def schur(a: Any) -> Array:
    return bind(schur_p, a)


# ------------------------------------------------------------------------------ banded
# x solves A x = b for a banded A stored as SciPy's ab: A[i, j] = ab[up + i - j, j] (lo
# subdiagonals, up superdiagonals); ab (..., lo + up + 1, n), b (..., n, k). Its rules
# stay in the band: O(n (lo + up)) work beside the banded solves.


def _band_rows(lo: Any, up: Any, n: Any) -> Any:
    """`row[k, j]`: the row of A that `ab[k, j]` sits in (`n`, one past the end, where
    `ab[k, j]` is outside the matrix, a corner SciPy never reads)."""
    k, j = np.indices((lo + up + 1, n))
    i = k + j - up
    return np.where((i >= 0) & (i < n), i, n)


def _dense_from_band(ab: Any, lo: Any, up: Any) -> Any:
    n = ab.shape[-1]
    i, j = np.indices((n, n))
    k = up + i - j
    inside = (k >= 0) & (k <= lo + up)
    return np.where(inside, ab[..., np.clip(k, 0, lo + up), j], 0)


def _banded_impl(ab: Any, b: Any, *, lo: Any, up: Any) -> Any:
    try:
        import scipy.linalg
    except ImportError:  # NumPy alone: the band laid into a dense matrix
        return np.linalg.solve(_dense_from_band(np.asarray(ab), lo, up), b)
    return _each(lambda m, r: scipy.linalg.solve_banded((lo, up), m, r), ab, b)


banded_solve_p = Primitive("banded_solve", _banded_impl)


def _pad_gather(x: Any, index: Any, axis: Any) -> Any:
    """`x` with a zero appended along `axis` (the last, or the one before), then
    `x[..., index]` along it (`index` concrete; its entry `len` picks the zero)."""
    s = shape_of(x)
    nd = len(s)
    ax = nd + axis
    zero = np.zeros(s[:ax] + (1,) + s[ax + 1 :], dtype=x.dtype)
    return getitem(concatenate([x, zero], ax), (Ellipsis, index) + (slice(None),) * (-axis - 1))


def _band_times(dab: Any, x: Any, lo: Any, up: Any) -> Any:
    """`dA @ x` for the banded `dA` stored as `dab`: entry `dab[k, j] x[j]` adds to
    row `k + j - up`."""
    w, n = shape_of(dab)[-2:]
    lead = shape_of(dab)[:-2]
    p = reshape(dab, lead + (w, n, 1)) * reshape(x, shape_of(x)[:-2] + (1,) + shape_of(x)[-2:])
    k, i = np.indices((w, n))
    j = i + up - k  # the column feeding row i from ab's row k
    index = np.where((j >= 0) & (j < n), k * n + j, w * n)
    flat = reshape(p, shape_of(p)[:-3] + (w * n, shape_of(p)[-1]))
    return reduce_sum(_pad_gather(flat, index, -2), axes=(len(shape_of(flat)) - 2,))


def _band_transpose(ab: Any, lo: Any, up: Any) -> Any:
    """The band of `A^T` (`up` sub- and `lo` superdiagonals)."""
    w, n = shape_of(ab)[-2:]
    k, j = np.indices((w, n))
    src_k, src_j = lo + up - k, k + j - lo
    index = np.where((src_j >= 0) & (src_j < n), src_k * n + src_j, w * n)
    return _pad_gather(reshape(ab, shape_of(ab)[:-2] + (w * n,)), index, -1)


def _banded_jvp(primals: Any, tangents: Any, *, lo: Any, up: Any) -> Any:
    ab, b = primals
    tab, tb = tangents
    x = banded_solve(ab, b, lo=lo, up=up)
    rhs = tb
    if tab is not None:
        rhs = _sub(rhs, _band_times(tab, x, lo, up))
    t = banded_solve(ab, rhs, lo=lo, up=up)
    if shape_of(t) != shape_of(x):
        t = broadcast_to(t, shape_of(x))
    return x, t


def _banded_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, lo: Any, up: Any) -> Any:
    ab, b = primals
    ct_b = banded_solve(_band_transpose(ab, lo, up), ct, lo=up, up=lo)
    ct_ab = None
    if wants[0]:  # -ct_b[i] x[j] at ab[k, j], row i = k + j - up
        n = shape_of(ab)[-1]
        rows = _pad_gather(ct_b, _band_rows(lo, up, n), -2)  # (..., w, n, k)
        xs = reshape(ans, shape_of(ans)[:-2] + (1,) + shape_of(ans)[-2:])
        ct_ab = -reduce_sum(rows * xs, axes=(len(shape_of(rows)) - 1,))
        ct_ab = _fit(unbroadcast(ct_ab, shape_of(ab)), ab)
    return ct_ab, (_fit(unbroadcast(ct_b, shape_of(b)), b) if wants[1] else None)


banded_solve_p.jvp = _banded_jvp
banded_solve_p.vjp = _banded_vjp
banded_solve_p.batch = lambda vals, bdims, *, lo, up: (
    banded_solve(*align_batched(vals, bdims), lo=lo, up=up),
    0,
)


def banded_solve(ab: Any, b: Any, *, lo: int, up: int) -> Array:
    """`x` with `A x = b`, `A` banded as SciPy's `ab`."""
    return bind(banded_solve_p, ab, b, lo=int(lo), up=int(up))


# -------------------------------------------------------------------------------- polar
# a = U P (side "right") or P U ("left"), P Hermitian positive semi-definite: from the SVD
# a = W S V^H, U = W V^H and P = V S V^H (or W S W^H).


def _polar_impl(a: Any, *, side: str) -> Any:
    w, s, vh = np.linalg.svd(a, full_matrices=False)
    u = w @ vh
    if side == "right":
        p = (np.swapaxes(vh, -1, -2).conj() * s[..., None, :]) @ vh
    else:
        p = (w * s[..., None, :]) @ np.swapaxes(w, -1, -2).conj()
    return u, p


polar_p = Primitive("polar", _polar_impl, multiple_results=True)


def _polar_check(a: Any, side: str) -> None:
    m, n = shape_of(a)[-2:]
    if (side == "right" and m < n) or (side == "left" and m > n):
        raise _no_derivative(
            f"The polar decomposition with side={side!r} of a matrix of shape {shape_of(a)} "
            "(its P is singular)",
            "Use side='left' for a wide matrix and side='right' for a tall one.",
        )


def _polar_tangent(a: Any, u: Any, p: Any, ta: Any, side: str) -> Any:
    m, n = shape_of(a)[-2:]
    if side == "right":  # a = U P
        h = matmul(_H(u), ta)
        om = sylvester(p, p, h - _H(h))
        du = matmul(u, om)
        if m > n:  # the part of dA outside U's range
            r = ta - matmul(u, h)
            du = du + _H(solve(p, _H(r)))  # r P^-1 (P Hermitian)
        return du, h - matmul(om, p)
    h = matmul(ta, _H(u))  # a = P U
    om = sylvester(p, p, h - _H(h))
    du = matmul(om, u)
    if n > m:
        du = du + solve(p, ta - matmul(h, u))
    return du, h - matmul(p, om)


def _polar_jvp(primals: Any, tangents: Any, *, side: str) -> Any:
    (a,), (ta,) = primals, tangents
    _polar_check(a, side)
    u, p = polar(a, side=side)
    return (u, p), _polar_tangent(a, u, p, ta, side)


def _polar_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, side: str) -> Any:
    (a,) = primals
    _polar_check(a, side)
    u, p = ans
    return _transpose_of(lambda ta: _polar_tangent(a, u, p, ta, side), a, ct, ans)


polar_p.jvp = _polar_jvp
polar_p.vjp = _polar_vjp
polar_p.batch = lambda vals, bdims, *, side: (polar(vals[0], side=side), (0, 0))


def polar(a: Any, *, side: str = "right") -> Array:
    return bind(polar_p, a, side=side)
