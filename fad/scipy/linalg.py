"""fad.scipy.linalg: SciPy's matrix functions, factorizations, structured matrices and
solvers, differentiable in forward and reverse mode and batched over leading axes.

Values follow SciPy's. `solve_sylvester`, `solve_continuous_lyapunov`, `sqrtm`,
`logm` and `schur` need LAPACK's Schur decomposition, which NumPy lacks: they compute
their values with SciPy (`pip install "fad-autodiff[scipy]"`); `solve_banded` uses
LAPACK's banded solver through SciPy when it is installed, NumPy's dense solve otherwise;
everything else here runs on NumPy alone. Eigenvectors (`eigh`) and Schur vectors are
unique only up to a sign (a phase for complex matrices), which LAPACK's drivers may
choose differently from SciPy's.
Derivatives that divide by eigenvalue or singular-value gaps (`eigh`'s eigenvectors,
`schur`) are infinite at repeated ones; each function's docstring says where its
derivative is defined.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> import fad.scipy.linalg as fsl
    >>> fsl.expm(fnp.zeros((2, 2)))
    array([[1., 0.],
           [0., 1.]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import fad.numpy as fnp
from fad import _prims as st
from fad._prims import linalg as la
from fad._prims import lu as lu_prims
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape
from fad.numpy.linalg import _float, _matrix, _sym
from fad.scipy import _matfun as mf

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = [
    "block_diag",
    "cho_factor",
    "cho_solve",
    "cholesky",
    "circulant",
    "eigh",
    "expm",
    "expm_frechet",
    "logm",
    "lu",
    "lu_factor",
    "lu_solve",
    "polar",
    "schur",
    "solve_banded",
    "solve_continuous_lyapunov",
    "solve_sylvester",
    "solve_triangular",
    "sqrtm",
    "toeplitz",
]


def expm(A: ArrayLike) -> Array:
    """Matrix exponential (Padé 13 with scaling and squaring). Its derivative is the
    Fréchet derivative, the top-right block of `expm([[A, E], [0, A]])`.

    Args:
        A: Square matrix, or a stack of them `(..., n, n)`.

    Returns:
        `exp(A)`, of `A`'s shape.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fad.grad(lambda t: fsl.expm(t * fnp.eye(2))[0, 0])(0.0)
        np.float64(1.0)
    """
    return la.expm(_matrix(A, "expm"))


def expm_frechet(
    A: ArrayLike,
    E: ArrayLike,
    method: str | None = None,
    compute_expm: bool = True,
    check_finite: bool = True,
) -> Array:
    """Fréchet derivative of expm at `A` in direction `E`: `(expm(A), L)`, or `L`
    alone with `compute_expm=False`. `L` is the top-right block of
    `expm([[A, E], [0, A]])` whatever the `method` ('SPS' or 'blockEnlarge' in SciPy);
    differentiable in `A` and `E` to any order.

    Args:
        A: Square matrix, or a stack of them `(..., n, n)`.
        E: Direction, of `A`'s shape.
        method: None, 'SPS' or 'blockEnlarge' (all give the same values here).
        compute_expm: Also return `expm(A)`.
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        `(expm(A), L)`, or `L` alone with `compute_expm=False`.

    Raises:
        ValueError: for an unknown `method` or shapes of `A` and `E` that differ.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.expm_frechet(fnp.zeros((2, 2)), fnp.eye(2), compute_expm=False)
        array([[1., 0.],
               [0., 1.]])
    """
    if method not in (None, "SPS", "blockEnlarge"):
        raise ValueError(f"expm_frechet: method must be None, 'SPS' or 'blockEnlarge', got {method!r}.")
    A_ = _matrix(A, "expm_frechet")
    E_ = _matrix(E, "expm_frechet")
    if _shape(A_) != _shape(E_):
        raise ValueError(f"expm_frechet: A has shape {_shape(A_)} but E has {_shape(E_)}; they must match.")
    L = la._block_frechet(A_, E_)
    return (la.expm(A_), L) if compute_expm else L


def _trans_flag(trans: Any) -> Any:
    """`(transpose, conjugate)`."""
    if trans in (0, "N", "n"):
        return False, False
    if trans in (1, "T", "t"):
        return True, False
    if trans in (2, "C", "c"):
        return True, True
    raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}.")


def _rhs(a: Any, b: Any, fname: str) -> Any:
    """`b` as a matrix (..., n, k), and a function undoing that for a 1-d `b`."""
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


def solve_triangular(
    a: ArrayLike,
    b: ArrayLike,
    trans: int | str = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Array:
    """Solve `a x = b` (`a^T x = b` for trans 1 or 'T', `a^H x = b` for 2 or 'C')
    using only one triangle of `a`.

    Args:
        a: Triangular matrix `(..., n, n)`; only its `lower` (or upper) triangle is read.
        b: Right-hand side, `(n,)` or `(..., n, k)`.
        trans: 0 or 'N': `a x = b`; 1 or 'T': `a^T x = b`; 2 or 'C': `a^H x = b`.
        lower: Use the lower triangle of `a` (else the upper).
        unit_diagonal: Take the diagonal of `a` as ones (it is not read).
        overwrite_b: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        The solution `x`, of `b`'s shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.solve_triangular(fnp.array([[2.0, 9.0], [1.0, 4.0]]), fnp.array([2.0, 4.0]), lower=True)
        array([1.  , 0.75])
    """
    a_ = _matrix(a, "solve_triangular")
    b_, undo = _rhs(a_, b, "solve_triangular")
    transpose, conjugate = _trans_flag(trans)
    if conjugate:
        a_ = la._conj(a_)
    x = la.triangular_solve(a_, b_, lower=lower, trans=transpose, unit_diagonal=unit_diagonal)
    return undo(x)


def cholesky(
    a: ArrayLike, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True
) -> Array:
    """Cholesky factor of the Hermitian part of `a`: upper `U` (`a = U^H U`) by
    default, as SciPy; lower `L` (`a = L L^H`) with `lower=True`.

    Args:
        a: Hermitian positive-definite matrix `(..., n, n)`.
        lower: Return the lower factor `L` (else the upper `U`).
        overwrite_a: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        The triangular factor, of `a`'s shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.cholesky(fnp.array([[4.0, 2.0], [2.0, 3.0]]), lower=True)
        array([[2.        , 0.        ],
               [1.        , 1.41421356]])
    """
    L = la.cholesky(_sym(_matrix(a, "cholesky")))
    return L if lower else la._H(L)


def cho_factor(
    a: ArrayLike, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True
) -> tuple[Array, bool]:
    """`(c, lower)` for `cho_solve`. Unlike SciPy, the unused triangle of `c` is
    zero (SciPy leaves arbitrary data there).

    Args:
        a: Hermitian positive-definite matrix `(..., n, n)`.
        lower: Factor as `L L^H` (else `U^H U`).
        overwrite_a: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        `(c, lower)`: the triangular factor and the flag, for `cho_solve`.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.cho_factor(fnp.array([[4.0, 2.0], [2.0, 3.0]]))
        (array([[2.        , 1.        ],
               [0.        , 1.41421356]]), False)
    """
    return cholesky(a, lower=lower), bool(lower)


def cho_solve(
    c_and_lower: tuple[ArrayLike, bool], b: ArrayLike, overwrite_b: bool = False, check_finite: bool = True
) -> Array:
    """Solve `a x = b` given `cho_factor(a)`; only the factor's triangle is read.

    Args:
        c_and_lower: `(c, lower)` as `cho_factor` returns it.
        b: Right-hand side, `(n,)` or `(..., n, k)`.
        overwrite_b: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        The solution `x` of `a x = b`, of `b`'s shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> a = fnp.array([[4.0, 2.0], [2.0, 3.0]])
        >>> fsl.cho_solve(fsl.cho_factor(a), fnp.array([2.0, 1.0]))
        array([0.5, 0. ])
    """
    c, lower = c_and_lower
    c = _matrix(c, "cho_solve")
    b_, undo = _rhs(c, b, "cho_solve")
    if lower:  # a = L L^H
        y = la.triangular_solve(c, b_, lower=True)
        x = la.triangular_solve(la._conj(c), y, lower=True, trans=True)
    else:  # a = U^H U
        y = la.triangular_solve(la._conj(c), b_, lower=False, trans=True)
        x = la.triangular_solve(c, y, lower=False)
    return undo(x)


# ------------------------------------------------------------------ Sylvester, Lyapunov


def solve_sylvester(a: ArrayLike, b: ArrayLike, q: ArrayLike) -> Array:
    """Solve the Sylvester equation `a x + x b = q` (Bartels-Stewart, SciPy's values).

    Differentiable in `a`, `b` and `q` where `a` and `-b` share no eigenvalue (the
    same condition as the solve): `a dx + dx b = dq - da x - x db`. Real and complex
    arguments together are solved in complex arithmetic (where SciPy's own answer for a
    real `a` and a complex `q` does not solve the equation).

    Args:
        a: Square matrix `(..., n, n)`.
        b: Square matrix `(..., m, m)`.
        q: Right-hand side `(..., n, m)`.

    Returns:
        The solution `x`, `(..., n, m)`.

    Raises:
        ImportError: when SciPy is not installed.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.solve_sylvester(fnp.eye(2), 2 * fnp.eye(2), fnp.ones((2, 2)))
        array([[0.33333333, 0.33333333],
               [0.33333333, 0.33333333]])
    """
    a_ = _matrix(a, "solve_sylvester")
    b_ = _matrix(b, "solve_sylvester")
    q_ = _float(q, "solve_sylvester")
    n, m = _shape(a_)[-1], _shape(b_)[-1]
    if _ndim(q_) < 2 or _shape(q_)[-2:] != (n, m):
        raise ValueError(
            f"solve_sylvester: a has shape {_shape(a_)} and b {_shape(b_)}, so q must end in "
            f"({n}, {m}); got shape {_shape(q_)}."
        )
    return mf.sylvester(a_, b_, q_)


def solve_continuous_lyapunov(a: ArrayLike, q: ArrayLike) -> Array:
    """Solve the continuous Lyapunov equation `a x + x a^H = q` (a Sylvester equation).

    Args:
        a: Square matrix `(..., n, n)`.
        q: Right-hand side `(..., n, n)`.

    Returns:
        The solution `x`, `(..., n, n)`.

    Raises:
        ImportError: when SciPy is not installed.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.solve_continuous_lyapunov(fnp.diag(fnp.array([-1.0, -2.0])), -fnp.eye(2))
        array([[0.5 , 0.  ],
               [0.  , 0.25]])
    """
    a_ = _matrix(a, "solve_continuous_lyapunov")
    q_ = _float(q, "solve_continuous_lyapunov")
    n = _shape(a_)[-1]
    if _ndim(q_) < 2 or _shape(q_)[-2:] != (n, n):
        raise ValueError(
            f"solve_continuous_lyapunov: a has shape {_shape(a_)}, so q must end in ({n}, {n}); "
            f"got shape {_shape(q_)}."
        )
    return mf.sylvester(a_, la._H(a_), q_)


# ------------------------------------------------------------------ matrix functions


def sqrtm(A: ArrayLike, disp: bool = True, blocksize: int = 64) -> Array:
    """Principal matrix square root (SciPy's values: complex where `A` has negative real
    eigenvalues). Its derivative solves `S dS + dS S = dA`, defined for nonsingular `A`.
    With `disp=False`, returns `(S, errest)`, `errest = ||S S - A||_F^2 / ||A||_F`;
    `blocksize` is accepted and ignored (SciPy's Schur method needs no blocking).

    Args:
        A: Square matrix, or a stack of them `(..., n, n)`.
        disp: Return `S` alone (else `(S, errest)`).
        blocksize: Accepted for SciPy compatibility; ignored.

    Returns:
        `S` with `S @ S = A`, or `(S, errest)` with `disp=False`.

    Raises:
        ImportError: when SciPy is not installed.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fad.grad(lambda x: fsl.sqrtm(x * fnp.eye(2))[0, 0])(4.0)
        np.float64(0.25)
    """
    A_ = _matrix(A, "sqrtm")
    S = mf.sqrtm(A_)
    if disp:
        return S
    return S, _fro2(la.matmul(S, S) - A_) / fnp.sqrt(_fro2(A_))


def logm(A: ArrayLike, disp: bool = True) -> Array:
    """Principal matrix logarithm (SciPy's values: complex where `A` has negative real
    eigenvalues). Its derivative, the Frechet derivative `L(A, E)`, is the top-right block
    of `logm([[A, E], [0, A]])`; defined for nonsingular `A`. With `disp=False`,
    returns `(F, errest)`, `errest = ||expm(F) - A||_1 / ||A||_1`.

    Args:
        A: Square matrix, or a stack of them `(..., n, n)`.
        disp: Return `F` alone (else `(F, errest)`).

    Returns:
        `F` with `expm(F) = A`, or `(F, errest)` with `disp=False`.

    Raises:
        ImportError: when SciPy is not installed.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fad.grad(lambda x: fsl.logm(x * fnp.eye(2))[1, 1])(2.0)
        np.float64(0.5)
    """
    A_ = _matrix(A, "logm")
    F = mf.logm(A_)
    if disp:
        return F
    return F, _norm1(la.expm(F) - A_) / _norm1(A_)


def _fro2(x: Any) -> Any:
    return fnp.sum(fnp.abs(x) ** 2, axis=(-2, -1))


def _norm1(x: Any) -> Any:
    return fnp.max(fnp.sum(fnp.abs(x), axis=-2), axis=-1)


# ------------------------------------------------------------------ Schur and polar


def schur(
    a: ArrayLike,
    output: str = "real",
    lwork: int | None = None,
    overwrite_a: bool = False,
    sort: Callable[..., Any] | str | None = None,
    check_finite: bool = True,
) -> tuple[Array, Array]:
    """Schur decomposition `a = Z T Z^H`: `(T, Z)`, `T` quasi-upper triangular (the
    real form, 2 x 2 blocks for complex eigenvalue pairs) or upper triangular
    (`output='complex'`), `Z` unitary.

    Differentiable where `T` is triangular (the complex form, or the real form of a matrix
    whose eigenvalues are real) and the eigenvalues are distinct; the gauge fixes
    `Z^H dZ` to a zero diagonal.

    Args:
        a: Square matrix, or a stack of them `(..., n, n)`.
        output: 'real' (or 'r') for the real Schur form, 'complex' (or 'c') for the complex one.
        lwork: Accepted for SciPy compatibility; ignored.
        overwrite_a: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        sort: Must be None (sorted forms are not supported).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        `(T, Z)` with `a = Z T Z^H`.

    Raises:
        NotImplementedError: when `sort` is given.
        ImportError: when SciPy is not installed.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> T, Z = fsl.schur(fnp.array([[2.0, 1.0], [0.0, 3.0]]))
        >>> T
        array([[2., 1.],
               [0., 3.]])
    """
    if sort is not None:
        raise NotImplementedError(
            "schur: sort is not supported (the number of sorted eigenvalues depends on the "
            "values); sort the eigenvalues of T yourself."
        )
    if output not in ("real", "complex", "r", "c"):
        raise ValueError(f"schur: output must be 'real' or 'complex', got {output!r}.")
    a_ = _matrix(a, "schur")
    if output in ("complex", "c") and a_.dtype.kind != "c":
        a_ = st.astype(a_, np.result_type(a_.dtype, np.complex64))
    return tuple(mf.schur(a_))


def polar(a: ArrayLike, side: str = "right") -> tuple[Array, Array]:
    """Polar decomposition: `(u, p)` with `a = u p` (`side='right'`) or `a = p u`
    (`'left'`), `u` with orthonormal columns (rows), `p` Hermitian positive
    semi-definite. Differentiable where `p` is nonsingular (`a` of full rank, square or
    tall for 'right', square or wide for 'left'), repeated singular values included:
    `u^H da - da^H u = Om p + p Om` with `Om = u^H du`.

    Args:
        a: Matrix `(..., m, n)`.
        side: 'right' for `a = u p`, 'left' for `a = p u`.

    Returns:
        `(u, p)`: `u` with orthonormal columns (rows for 'left'), `p` Hermitian positive semi-definite.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> u, p = fsl.polar(fnp.array([[0.0, 2.0], [3.0, 0.0]]))
        >>> u
        array([[0., 1.],
               [1., 0.]])
    """
    if side not in ("right", "left"):
        raise ValueError(f"polar: side must be 'right' or 'left', got {side!r}.")
    return tuple(mf.polar(_matrix(a, "polar", square=False), side=side))


# ------------------------------------------------------------------------------- eigh


def _hermitian_from(a: Any, lower: bool) -> Any:
    """The Hermitian matrix one triangle of `a` stands for (LAPACK reads only that
    triangle, and only the real part of the diagonal)."""
    strict = la.tril(a, -1) if lower else la.triu(a, 1)
    diag = la.diag_embed(la._real(la.diag_part(a)))
    if a.dtype.kind == "c":
        diag = st.astype(diag, a.dtype)
    return strict + la._H(strict) + diag


def eigh(
    a: ArrayLike,
    b: ArrayLike | None = None,
    *,
    lower: bool = True,
    eigvals_only: bool = False,
    overwrite_a: bool = False,
    overwrite_b: bool = False,
    type: int = 1,
    check_finite: bool = True,
    subset_by_index: Sequence[int] | None = None,
    subset_by_value: Sequence[float] | None = None,
    driver: str | None = None,
) -> Array:
    """Eigenvalues (ascending) and eigenvectors of a Hermitian `a`, or of the pencil
    `a v = w b v` for a Hermitian positive-definite `b` (`type=1`; eigenvectors
    normalized so that `v^H b v = I`). Only the `lower` (or upper) triangle of `a`
    and `b` is read, as SciPy, so derivatives flow to that triangle only.

    Eigenvalue derivatives are finite everywhere; eigenvector derivatives divide by the
    eigenvalue gaps (infinite at repeated eigenvalues). `subset_by_index=(lo, hi)` keeps
    eigenvalues `lo` to `hi` inclusive. `driver` is accepted and ignored (every driver
    gives the same eigenvalues; eigenvector signs are LAPACK's choice).

    Args:
        a: Hermitian matrix `(..., n, n)`; only one triangle is read.
        b: Hermitian positive-definite matrix of the pencil, or None.
        lower: Read the lower triangles (else the upper).
        eigvals_only: Return the eigenvalues alone.
        overwrite_a: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        overwrite_b: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        type: Must be 1 (`a v = w b v`).
        check_finite: Accepted for SciPy compatibility; ignored.
        subset_by_index: `(lo, hi)`: keep eigenvalues `lo` to `hi` inclusive (ascending order).
        subset_by_value: Must be None (not supported).
        driver: Accepted for SciPy compatibility; ignored.

    Returns:
        `w` (ascending, `(..., k)`) with `eigvals_only`, else `(w, v)` with the eigenvectors as the columns of
            `v`.

    Raises:
        NotImplementedError: for `subset_by_value` or `type` other than 1.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.eigh(fnp.array([[2.0, 0.0], [1.0, 3.0]]), eigvals_only=True)
        array([1.38196601, 3.61803399])
    """
    if subset_by_value is not None:
        raise NotImplementedError(
            "eigh: subset_by_value is not supported (the number of eigenvalues it keeps depends "
            "on the values); compute all eigenvalues and select them, or use subset_by_index."
        )
    if type != 1:
        raise NotImplementedError(f"eigh: only type=1 (a v = w b v) is supported, got type={type!r}.")
    a_ = _hermitian_from(_matrix(a, "eigh"), lower)
    n = _shape(a_)[-1]
    if b is not None:
        b_ = _hermitian_from(_matrix(b, "eigh"), lower)
        if _shape(b_)[-1] != n:
            raise ValueError(f"eigh: a has shape {_shape(a_)} but b has {_shape(b_)}; they must match.")
        L = la.cholesky(b_)  # reduce to L^-1 a L^-H
        c = la.triangular_solve(L, a_, lower=True)
        c = la._H(la.triangular_solve(L, la._H(c), lower=True))
        a_ = (c + la._H(c)) * 0.5
    sl = slice(None)
    if subset_by_index is not None:
        lo, hi = (int(i) for i in subset_by_index)
        if not 0 <= lo <= hi < n:
            raise ValueError(
                f"eigh: subset_by_index must be (lo, hi) with 0 <= lo <= hi < {n}, got {subset_by_index!r}."
            )
        sl = slice(lo, hi + 1)
    if eigvals_only:
        return st.getitem(la.eigvalsh(a_), (Ellipsis, sl))
    w, v = la.eigh(a_)
    if b is not None:
        v = la.triangular_solve(la._conj(L), v, lower=True, trans=True)  # L^-H y
    return st.getitem(w, (Ellipsis, sl)), st.getitem(v, (Ellipsis, slice(None), sl))


# --------------------------------------------------------------------------------- LU


def lu(
    a: ArrayLike,
    permute_l: bool = False,
    overwrite_a: bool = False,
    check_finite: bool = True,
    p_indices: bool = False,
) -> Array:
    """LU decomposition with partial pivoting, `a = p l u`: `(p, l, u)`, or `(p l, u)`
    with `permute_l`; `p_indices=True` gives `p` as row indices (`a = l[p] @ u`).

    Differentiable (any shape) where the pivots are nonzero: `L^-1 dL + dU U^-1 = L^-1 p^T da
    U^-1` (strictly lower and upper parts; S. Walter, *Structured higher-order algorithmic
    differentiation*, 2011). The pivoting is constant.

    Args:
        a: Matrix `(..., m, n)`.
        permute_l: Return `(p l, u)`.
        overwrite_a: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.
        p_indices: Return `p` as row indices (int32) instead of a permutation matrix.

    Returns:
        `(p, l, u)`, or `(p l, u)` with `permute_l`.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> p, l, u = fsl.lu(fnp.array([[1.0, 2.0], [4.0, 2.0]]))
        >>> l
        array([[1.  , 0.  ],
               [0.25, 1.  ]])
    """
    a_ = _matrix(a, "lu", square=False)
    packed, _, perm = lu_prims.lu_factor_packed(a_)
    m, n = _shape(a_)[-2:]
    k = min(m, n)
    lead = (Ellipsis,)
    low = st.getitem(la.tril(packed, -1), lead + (slice(None), slice(0, k))) + np.eye(m, k, dtype=a_.dtype)
    up = st.getitem(la.triu(packed), lead + (slice(0, k), slice(None)))
    if permute_l:
        return la.matmul(la._T(lu_prims.permutation_rows(perm, st.real_dtype(a_.dtype))), low), up
    if p_indices:
        return st.astype(fnp.argsort(perm, axis=-1), np.int32), low, up  # SciPy: int32
    return la._T(lu_prims.permutation_rows(perm, st.real_dtype(a_.dtype))), low, up  # SciPy: real


def lu_factor(a: ArrayLike, overwrite_a: bool = False, check_finite: bool = True) -> tuple[Array, Array]:
    """`(lu, piv)` for `lu_solve`: the packed factors (`L`'s strict lower part and
    `U`) and LAPACK's pivots (row `i` was swapped with row `piv[i]`). Differentiable
    in `a` (square) as `lu`.

    Args:
        a: Square matrix, or a stack of them `(..., n, n)`.
        overwrite_a: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        `(lu, piv)`: the packed factors and the int32 pivots.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.lu_factor(fnp.array([[1.0, 2.0], [4.0, 2.0]]))[1]
        array([1, 1], dtype=int32)
    """
    packed, piv, _ = lu_prims.lu_factor_packed(_matrix(a, "lu_factor", square=False))
    return packed, piv


def lu_solve(
    lu_and_piv: tuple[ArrayLike, ArrayLike],
    b: ArrayLike,
    trans: int | str = 0,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Array:
    """Solve `a x = b` (`a^T x = b` for trans 1, `a^H x = b` for 2) given
    `lu_factor(a)`; differentiable in the factors and `b`.

    Args:
        lu_and_piv: `(lu, piv)` as `lu_factor` returns it.
        b: Right-hand side, `(n,)` or `(..., n, k)`.
        trans: 0: `a x = b`; 1: `a^T x = b`; 2: `a^H x = b`.
        overwrite_b: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        The solution `x`, of `b`'s shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> a = fnp.array([[1.0, 2.0], [4.0, 2.0]])
        >>> fsl.lu_solve(fsl.lu_factor(a), fnp.array([3.0, 6.0]))
        array([1., 1.])
    """
    packed, piv = lu_and_piv
    packed = _matrix(packed, "lu_solve")
    b_, undo = _rhs(packed, b, "lu_solve")
    transpose, conjugate = _trans_flag(trans)
    n = _shape(packed)[-1]
    if _shape(piv)[-1:] != (n,):
        raise ValueError(
            f"lu_solve: piv has shape {_shape(piv)} but lu has {_shape(packed)}; piv needs {n} entries."
        )
    perm = lu_prims.pivots_to_permutation(piv, m=n)
    pt = lu_prims.permutation_rows(perm, st.real_dtype(packed.dtype))
    if conjugate:
        packed = la._conj(packed)
    if not transpose:  # x = U^-1 L^-1 P^T b
        y = la.triangular_solve(packed, la.matmul(pt, b_), lower=True, unit_diagonal=True)
        x = la.triangular_solve(packed, y, lower=False)
    else:  # a^T = U^T L^T P^T: x = P L^-T U^-T b
        y = la.triangular_solve(packed, b_, lower=False, trans=True)
        y = la.triangular_solve(packed, y, lower=True, unit_diagonal=True, trans=True)
        x = la.matmul(la._T(pt), y)
    return undo(x)


# --------------------------------------------------------------------------- banded


def solve_banded(
    l_and_u: tuple[int, int],
    ab: ArrayLike,
    b: ArrayLike,
    overwrite_ab: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Array:
    """Solve `a x = b` for a banded `a` stored as SciPy's `ab` (`ab[u + i - j, j] ==
    a[i, j]`; `l` sub- and `u` superdiagonals): LAPACK's banded solver through SciPy
    (without SciPy, NumPy's dense solve). The derivatives stay in the band (O(n (l + u))
    work beside one banded solve) and reach exactly the entries of `ab` the band uses.

    Args:
        l_and_u: `(l, u)`: the numbers of sub- and superdiagonals.
        ab: The band, shape `(l + u + 1, n)`.
        b: Right-hand side, `(n,)` or `(n, k)`.
        overwrite_ab: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        overwrite_b: Accepted for SciPy compatibility; ignored (fad never overwrites its inputs).
        check_finite: Accepted for SciPy compatibility; ignored.

    Returns:
        The solution `x`, of `b`'s shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> ab = fnp.array([[0.0, 1.0, 1.0], [2.0, 2.0, 2.0], [1.0, 1.0, 0.0]])
        >>> fsl.solve_banded((1, 1), ab, fnp.array([3.0, 4.0, 3.0]))
        array([1., 1., 1.])
    """
    lo, up = (int(i) for i in l_and_u)
    ab_ = _float(ab, "solve_banded")
    if _ndim(ab_) != 2 or _shape(ab_)[0] != lo + up + 1 or lo < 0 or up < 0:
        raise ValueError(
            f"solve_banded: ab must have shape (l + u + 1, n) = ({lo + up + 1}, n) for "
            f"(l, u) = ({lo}, {up}); got shape {_shape(ab_)}."
        )
    n = _shape(ab_)[1]
    b_, undo = _rhs(np.broadcast_to(0.0, (n, n)), b, "solve_banded")  # a is n x n
    return undo(mf.banded_solve(ab_, b_, lo=lo, up=up))


# ------------------------------------------------------------------- special matrices


def block_diag(*arrs: ArrayLike) -> Array:
    """The block-diagonal matrix of `arrs` (1-d arrays are rows, scalars 1 x 1), as SciPy.

    Args:
        *arrs: The blocks: 2-d arrays, 1-d arrays (one row each) or scalars (1 x 1).

    Returns:
        The block-diagonal matrix, of the blocks' promoted dtype (`(1, 0)` for no blocks).

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.block_diag(fnp.ones((1, 2)), 3.0)
        array([[1., 1., 0.],
               [0., 0., 3.]])
    """
    if not arrs:
        return np.empty((1, 0))
    blocks = [fnp.atleast_2d(x) for x in arrs]
    for k, x in enumerate(blocks):
        if _ndim(x) > 2:
            raise ValueError(
                f"block_diag: argument {k} has shape {_shape(x)}; the blocks must be at most 2-d."
            )
    dtype = np.result_type(*(x.dtype for x in blocks))
    widths = [_shape(x)[1] for x in blocks]
    total = sum(widths)
    rows, left = [], 0
    for x, w in zip(blocks, widths, strict=True):
        h = _shape(x)[0]
        parts = [
            np.zeros((h, left), dtype),
            fnp.asarray(x, dtype=dtype),
            np.zeros((h, total - left - w), dtype),
        ]
        rows.append(fnp.concatenate(parts, axis=1))
        left += w
    return fnp.concatenate(rows, axis=0)


def toeplitz(c: ArrayLike, r: ArrayLike | None = None) -> Array:
    """The Toeplitz matrix with first column `c` and first row `r` (`conj(c)` when not
    given; `r[0]` is ignored), as SciPy; leading axes of `c` and `r` are a batch.

    Args:
        c: First column `(..., m)`.
        r: First row `(..., n)` (its first entry is ignored); None is `conj(c)`.

    Returns:
        The Toeplitz matrix, `(..., m, n)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.toeplitz(fnp.array([1.0, 2.0, 3.0]), fnp.array([1.0, 4.0]))
        array([[1., 4.],
               [2., 1.],
               [3., 2.]])
    """
    c_ = fnp.atleast_1d(c)
    r_ = fnp.atleast_1d((fnp.conj(c_) if c_.dtype.kind == "c" else c_) if r is None else r)
    m, n = _shape(c_)[-1], _shape(r_)[-1]
    lead = np.broadcast_shapes(_shape(c_)[:-1], _shape(r_)[:-1])
    c_, r_ = fnp.broadcast_to(c_, lead + (m,)), fnp.broadcast_to(r_, lead + (n,))
    # vals = c reversed, then r[1:]; out[i, j] = vals[m - 1 - i + j]
    vals = fnp.concatenate([c_[..., ::-1], r_[..., 1:]], axis=-1)
    i, j = np.indices((m, n))
    return st.getitem(vals, (Ellipsis, m - 1 - i + j))


def circulant(c: ArrayLike) -> Array:
    """The circulant matrix with first column `c` (`out[i, j] = c[(i - j) % n]`), as
    SciPy; leading axes of `c` are a batch.

    Args:
        c: First column `(..., n)`.

    Returns:
        The circulant matrix, `(..., n, n)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> import fad.scipy.linalg as fsl
        >>> fsl.circulant(fnp.array([1.0, 2.0, 3.0]))
        array([[1., 3., 2.],
               [2., 1., 3.],
               [3., 2., 1.]])
    """
    c_ = fnp.atleast_1d(c)
    n = _shape(c_)[-1]
    i, j = np.indices((n, n))
    return st.getitem(c_, (Ellipsis, (i - j) % n))
