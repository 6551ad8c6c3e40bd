# mypy: allow-redefinition-new, local-partial-types
"""fad.numpy.linalg: NumPy's linear algebra, differentiable in forward and reverse mode.

Every function accepts stacks of matrices (leading axes), so `vmap` over matrices is
free. Derivative conventions follow JAX:

* `cholesky`, `eigh` and `eigvalsh` read the Hermitian part `(a + a.conj().T) / 2`
  of their input (equal to NumPy's answer for the Hermitian inputs they are meant for, for
  either `UPLO`), and their gradients are Hermitian (symmetric for real `a`).
* Complex matrices (complex64, complex128) go through every function. A cotangent pairs
  with a tangent through `Re(sum(ct * t))`, as in JAX: the gradient of a real function
  of complex `a` is the conjugate of its steepest-ascent direction. `slogdet`'s sign
  is then a phase with a derivative, `logabsdet` stays real; `eigh`'s eigenvectors
  and `svd`'s singular vectors move with JAX's phase gauge; `eig` and `eigvals`
  return complex arrays for every input (NumPy returns real ones when every eigenvalue is
  real), and only eigenvalues have derivatives (as `jax.numpy.linalg.eig`).
* Eigenvector and singular-vector derivatives divide by eigenvalue (singular value) gaps:
  at a repeated eigenvalue they are infinite or NaN. `eigvalsh` and `svdvals` (and
  `svd(..., compute_uv=False)`) stay finite there.
* `det`'s gradient is the transposed adjugate; it and every higher derivative are exact
  and finite at singular and nearly singular matrices (no division by the determinant).
* `norm`'s 2-norm and Frobenius norm have derivative 0 at the zero vector/matrix (the
  subgradient convention; JAX gives NaN there). Norms scale by the largest entry before
  squaring, so values and derivatives stay right for entries like 1e-200 and 1e200.
* `svd(full_matrices=True)` of a non-square matrix and `qr` of a wide matrix have no
  derivative (their extra columns are not unique): fad raises, as JAX does.

>>> import fad, fad.numpy as fnp
>>> fad.grad(lambda a: fnp.linalg.det(a))(fnp.array([[2.0, 1.0], [1.0, 3.0]]))
array([[ 3., -1.],
       [-1.,  2.]])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.linalg import LinAlgError  # noqa: F401 - NumPy's own error class

from fad import _prims as st
from fad._core import Tracer
from fad._prims import eq, gt, mul, ne, select, sqrt
from fad._prims import linalg as la
from fad._prims.arithmetic import abs as _abs
from fad._prims.comparisons import isfinite, logical_and
from fad._prims.reductions import reduce_max, reduce_min
from fad.numpy._linear_algebra import matmul, outer, tensordot  # noqa: F401 - also in numpy.linalg
from fad.numpy._util import coerce, normalize_axis
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import DTypeLike

    from fad.numpy._util import Axis
    from fad.typing import Array, ArrayLike

__all__ = [
    "LinAlgError", "cholesky", "cond", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh",
    "inv", "lstsq",
    "matmul", "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "multi_dot",
    "norm", "outer", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensordot", "trace",
    "vecdot", "vector_norm",
]  # fmt: skip


class EigResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class EighResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class SVDResult(NamedTuple):
    U: Array
    S: Array
    Vh: Array


class QRResult(NamedTuple):
    Q: Array
    R: Array


class SlogdetResult(NamedTuple):
    sign: Array
    logabsdet: Array


# ----------------------------------------------------------------------------- helpers


def _float(x: Any, fname: str) -> Any:
    x = coerce(x)
    if not isinstance(x, Tracer):
        x = np.asarray(x)
    if x.dtype.kind in "biu":
        x = st.astype(x, np.float64)
    return x


def _matrix(x: Any, fname: str, square: Any = True) -> Any:
    x = _float(x, fname)
    s = _shape(x)
    if len(s) < 2:
        raise LinAlgError(
            f"{fname}: {len(s)}-dimensional array given (shape {s}). The array must be at least "
            "two-dimensional (a matrix or a stack of matrices)."
        )
    if square and s[-1] != s[-2]:
        raise LinAlgError(f"{fname}: last 2 dimensions of the array must be square (got shape {s}).")
    return x


def _sym(a: Any) -> Any:
    """The Hermitian part (the symmetric part of a real ``a``)."""
    return (a + la._H(a)) * 0.5


def _abs2(x: Any) -> Any:
    """``|x|**2``, real (``x * x`` for real ``x``)."""
    return la._real(x * la._conj(x)) if x.dtype.kind == "c" else x * x


# ---------------------------------------------------------------------- solve and inv


def solve(a: ArrayLike, b: ArrayLike) -> Array:
    """Solve `a @ x = b`; `b` is a vector when it is 1-d, else a (stack of) matrices.

    Args:
        a: Coefficient matrix (or stack of them).
        b: Right-hand side: a vector or a (stack of) matrices.

    Returns:
        The solution `x`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.linalg.solve(fnp.array([[2.0, 0.0], [0.0, 4.0]]), fnp.array([2.0, 2.0]))
        array([1. , 0.5])
    """
    a = _matrix(a, "solve")
    b = _float(b, "solve")
    n = _shape(a)[-1]
    if _ndim(b) == 1:
        if _shape(b)[0] != n:
            raise ValueError(
                f"solve: b has shape {_shape(b)} but a has shape {_shape(a)}; b needs {n} entries."
            )
        return st.reshape(la.solve(a, st.reshape(b, (n, 1))), _shape(a)[:-2] + (n,))
    if _shape(b)[-2] != n:
        raise ValueError(f"solve: b has shape {_shape(b)} but a has shape {_shape(a)}; b needs {n} rows.")
    return la.solve(a, b)


def inv(a: ArrayLike) -> Array:
    """Inverse of a (stack of) square matrices.

    Args:
        a: Input array.

    Returns:
        The inverse(s).
    """
    return la.inv(_matrix(a, "inv"))


def det(a: ArrayLike) -> Array:
    """Determinant. Its gradient is the transposed adjugate; every derivative is exact at
    singular matrices too.

    Args:
        a: Input array.

    Returns:
        The determinant(s).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> h = fad.hessian(fnp.linalg.det)(fnp.array([[0.0, 0.0], [1.0, 2.0]]))
        >>> h.reshape(4, 4).round(12) + 0.0  # the constant pattern of a 2x2 det, at a singular matrix
        array([[ 0.,  0.,  0.,  1.],
               [ 0.,  0., -1.,  0.],
               [ 0., -1.,  0.,  0.],
               [ 1.,  0.,  0.,  0.]])
    """
    return la.det(_matrix(a, "det"))


def slogdet(a: ArrayLike) -> SlogdetResult:
    """`(sign, log|det|)`; the sign has a zero derivative.

    Args:
        a: Input array.

    Returns:
        A named tuple `(sign, logabsdet)`.
    """
    a = _matrix(a, "slogdet")
    return SlogdetResult(la.det_sign(a), la.logabsdet(a))


def matrix_power(a: ArrayLike, n: int) -> Array:
    """`a` to the integer power `n` (negative: powers of the inverse). Integer and
    boolean matrices keep their dtype for `n >= 0`, as NumPy.

    Args:
        a: Input array.
        n: The integer exponent.

    Returns:
        The matrix power(s).
    """
    if not isinstance(n, (int, np.integer)):
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}.")
    n = int(n)
    a0 = coerce(a)
    dtype = a0.dtype if hasattr(a0, "dtype") else np.result_type(a0)
    exact = n >= 0 and dtype.kind in "biu"
    a = _matrix(a, "matrix_power")
    if exact:  # integer (boolean) products, as NumPy: no float round trip
        a = a0 if isinstance(a0, Tracer) else np.asarray(a0)
    if n == 0:
        return st.broadcast_to(np.eye(_shape(a)[-1], dtype=a.dtype), _shape(a))
    if n < 0:
        a, n = la.inv(a), -n
    result = None
    base = a
    while n:
        if n & 1:
            result = base if result is None else la.matmul(result, base)
        n >>= 1
        if n:
            base = la.matmul(base, base)
    return result


def multi_dot(arrays: Sequence[ArrayLike], *, out: None = None) -> Array:
    """Chain of matrix products; the first/last array may be 1-d (as numpy.linalg.multi_dot).

    Args:
        arrays: Sequence of arrays.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The product of the matrices.
    """
    if out is not None:
        raise TypeError("multi_dot: out= is not supported (fad arrays are immutable).")
    arrays = [coerce(x) for x in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: expecting at least two arrays.")
    for i, x in enumerate(arrays):
        ok = _ndim(x) == 2 or (_ndim(x) == 1 and i in (0, len(arrays) - 1))
        if not ok:
            raise ValueError(
                f"multi_dot: array {i} has shape {_shape(x)}; the first and last may be 1-d, all "
                "others must be 2-d."
            )
    out_ = arrays[0]
    for x in arrays[1:]:
        out_ = matmul(out_, x)
    return out_


# ---------------------------------------------------------------------- factorizations


def cholesky(a: ArrayLike, /, *, upper: bool = False) -> Array:
    """Cholesky factor `L` (`a = L L^H`) of the Hermitian part of `a`; with
    `upper=True`, `U = L^H`.

    Args:
        a: Input array.
        upper: Return the upper-triangular factor `U = L^H` instead.

    Returns:
        The lower-triangular factor `L` (or `U` if `upper`).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.linalg.cholesky(fnp.array([[4.0, 2.0], [2.0, 2.0]]))
        array([[2., 0.],
               [1., 1.]])
    """
    L = la.cholesky(_sym(_matrix(a, "cholesky")))
    return la._H(L) if upper else L


def qr(a: ArrayLike, mode: str = "reduced") -> Array:
    """QR decomposition (modes 'reduced', 'complete', 'r').

    Args:
        a: Input array.
        mode: "reduced", "complete" or "r".

    Returns:
        A named tuple `(Q, R)` (only `R` for mode "r").
    """
    a = _matrix(a, "qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode {mode!r} is not supported; use 'reduced', 'complete' or 'r'.")
    q, r = la.qr(a, mode="complete" if mode == "complete" else "reduced")
    return r if mode == "r" else QRResult(q, r)


def eig(a: ArrayLike) -> EigResult:
    """Eigenvalues and right eigenvectors of a general square matrix, always complex (as
    JAX; NumPy returns real arrays when every eigenvalue is real). Eigenvalues have
    derivatives through `eigvals`; eigenvectors have none (as JAX), their scale
    being LAPACK's choice.

    Args:
        a: Input array.

    Returns:
        A named tuple `(eigenvalues, eigenvectors)`, complex; the eigenvectors are the columns.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.linalg.eig(fnp.array([[0.0, 1.0], [-1.0, 0.0]])).eigenvalues
        array([0.+1.j, 0.-1.j])
    """
    w, v = la.eig(_matrix(a, "eig"))
    return EigResult(w, v)


def eigvals(a: ArrayLike) -> Array:
    """Eigenvalues of a general square matrix, complex; `dw = diag(V^-1 da V)`.

    Args:
        a: Input array.

    Returns:
        The eigenvalues, complex.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.jacfwd(lambda t: fnp.linalg.eigvals(fnp.array([[1.0, t], [0.0, 2.0]])))(3.0)
        array([0.+0.j, 0.+0.j])
    """
    return la.eigvals(_matrix(a, "eigvals"))


def eigh(a: ArrayLike, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending, real) and eigenvectors of the Hermitian part of `a`.

    Args:
        a: Input array.
        UPLO: Which triangle to read: "L" (lower, default) or "U" (upper); the Hermitian part is used.

    Returns:
        A named tuple `(eigenvalues, eigenvectors)`; the eigenvectors are the columns.
    """
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}.")
    w, v = la.eigh(_sym(_matrix(a, "eigh")))
    return EighResult(w, v)


def eigvalsh(a: ArrayLike, UPLO: str = "L") -> Array:
    """Eigenvalues (ascending, real) of the Hermitian part of `a`; finite derivatives even
    at repeated eigenvalues.

    Args:
        a: Input array.
        UPLO: Which triangle to read: "L" (lower, default) or "U" (upper); the Hermitian part is used.

    Returns:
        The eigenvalues, ascending.
    """
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigvalsh: UPLO must be 'L' or 'U', got {UPLO!r}.")
    return la.eigvalsh(_sym(_matrix(a, "eigvalsh")))


def svd(a: ArrayLike, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Array:
    """Singular value decomposition `a = U diag(S) Vh` (singular values descending).

    `hermitian` is accepted and ignored (the general SVD is computed). Derivatives of
    `U`/`Vh` need distinct singular values, and full_matrices=False for non-square `a`.

    Args:
        a: Input array.
        full_matrices: Whether `U` and `Vh` are square (else reduced to `min(m, n)` columns/rows).
        compute_uv: Whether to compute `U` and `Vh` (else only the singular values).
        hermitian: Whether the matrix is Hermitian (real symmetric); fad accepts it for NumPy compatibility.

    Returns:
        A named tuple `(U, S, Vh)` (only `S` if not `compute_uv`).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.linalg.svd(fnp.array([[3.0, 0.0], [0.0, -2.0]]), compute_uv=False)
        array([3., 2.])
    """
    a = _matrix(a, "svd", square=False)
    if not compute_uv:
        return la.svdvals(a)
    m, n = _shape(a)[-2:]
    u, s, vt = la.svd(a, full_matrices=bool(full_matrices) and m != n)
    return SVDResult(u, s, vt)


def svdvals(x: ArrayLike, /) -> Array:
    """Singular values, descending.

    Args:
        x: Input array.

    Returns:
        The singular values, descending.
    """
    return la.svdvals(_matrix(x, "svdvals", square=False))


def _rcond_default(a: Any, rcond: float | None, rtol: float | None) -> Any:
    if rcond is not None and rtol is not None:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set.")
    if rcond is not None:
        return rcond
    if rtol is not None:
        return rtol
    return None


def pinv(
    a: ArrayLike, rcond: float | None = None, hermitian: bool = False, *, rtol: float | None = None
) -> Array:
    """Moore-Penrose pseudo-inverse; derivatives assume the rank is locally constant.

    `rcond` defaults to 1e-15 as NumPy (`rtol=None` passed explicitly is not
    distinguished from omitted).

    Args:
        a: Input array.
        rcond: Cut-off for small singular values, relative to the largest.
        hermitian: Whether the matrix is Hermitian (real symmetric); fad accepts it for NumPy compatibility.
        rtol: The array API's name for `rcond`.

    Returns:
        The pseudo-inverse(s).
    """
    a = _matrix(a, "pinv", square=False)
    r = _rcond_default(a, rcond, rtol)
    if np.ndim(r) != 0:
        raise NotImplementedError("pinv: fad supports a scalar rcond/rtol only.")
    return la.pinv(a, rcond=1e-15 if r is None else r)


def matrix_rank(
    A: ArrayLike, tol: float | None = None, hermitian: bool = False, *, rtol: float | None = None
) -> Array:
    """Rank by SVD (not differentiable: an integer).

    Args:
        A: Input matrix (or stack of matrices).
        tol: Threshold below which a singular value counts as zero.
        hermitian: Whether the matrix is Hermitian (real symmetric); fad accepts it for NumPy compatibility.
        rtol: Relative tolerance (times the largest singular value).

    Returns:
        The rank(s), integers.
    """
    A = _float(A, "matrix_rank")
    if _ndim(A) < 2:  # NumPy: 1 unless all entries are zero
        return reduce_max(st.astype(ne(A, 0.0), np.int64), axes=tuple(range(_ndim(A))))
    if np.ndim(tol) or np.ndim(rtol):  # type: ignore[arg-type]  # NumPy: None is 0-d
        raise NotImplementedError("matrix_rank: fad supports scalar tol/rtol only.")
    return la.matrix_rank(A, tol=tol, rtol=rtol)


def _concrete(x: Any) -> Any:
    while isinstance(x, Tracer):
        x = x._value()
    return np.asarray(x)


def lstsq(a: ArrayLike, b: ArrayLike, rcond: float | None = None) -> tuple[Array, Array, Array, Array]:
    """Least-squares solution `(x, residuals, rank, s)` as `numpy.linalg.lstsq`;
    `x = pinv(a) @ b` (derivatives assume constant rank).

    Args:
        a: Coefficient matrix.
        b: Right-hand side(s).
        rcond: Cut-off for small singular values, relative to the largest.

    Returns:
        A tuple `(x, residuals, rank, s)`.
    """
    a = _matrix(a, "lstsq", square=False)
    b = _float(b, "lstsq")
    m, n = _shape(a)
    if _shape(b)[0] != m:
        raise LinAlgError(f"lstsq: incompatible dimensions: a has shape {_shape(a)}, b has {_shape(b)}.")
    eps = np.finfo(a.dtype).eps
    r = eps * max(m, n) if rcond is None else rcond
    if r < 0:
        r = eps
    x = matmul(la.pinv(a, rcond=r), b)
    s = la.svdvals(a)
    rank = la.matrix_rank(a, rtol=r) if min(m, n) else 0
    full = m > n and bool(np.all(_concrete(rank) == n))
    if full:
        residuals = st.reduce_sum(_abs2(b - matmul(a, x)), axes=(0,))
        if _ndim(b) == 1:
            residuals = st.reshape(residuals, (1,))
    else:
        residuals = np.empty((0,), dtype=np.finfo(a.dtype).dtype)
    return x, residuals, rank, s


# ----------------------------------------------------------------------------- norms


def _scalar(out: Any) -> Any:
    """NumPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def _safe_sqrt(s: Any) -> Any:
    """sqrt with derivative 0 at 0 (the subgradient convention for norms)."""
    zero = eq(s, 0.0)
    out = select(zero, st.zeros_like_value(s), sqrt(select(zero, 1.0, s)))  # no 0 * inf warning
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out  # NumPy scalar, as NumPy


def _scaled(x: Any, axes: Any) -> Any:
    """``(x / m, m)`` with ``m`` the largest ``|x|`` over ``axes`` (kept), held constant, or 1
    where that is 0 or not finite. A norm is ``m * norm(x / m)`` for every constant
    ``m > 0``, so no derivative changes, and the squares (powers) of entries like 1e-200 or
    1e200 neither underflow nor overflow (the scaling of hypot and LAPACK's nrm2)."""
    m = st.stop_gradient(reduce_max(_abs(x), axes=axes, keepdims=True))
    m = select(logical_and(gt(m, 0.0), isfinite(m)), m, 1.0)
    return x / m, m


def _drop(x: Any, axes: Any) -> Any:
    """Remove the (size-1) ``axes`` of ``x``."""
    return st.reshape(x, tuple(d for i, d in enumerate(_shape(x)) if i not in axes))


def _two_norm(x: Any, axes: Any, keepdims: bool) -> Any:
    """The 2-norm (Frobenius norm) over ``axes``, scaled against underflow and overflow."""
    if any(_shape(x)[a] == 0 for a in axes):  # empty: 0, as NumPy
        return _safe_sqrt(st.reduce_sum(_abs2(x), axes=axes, keepdims=keepdims))
    y, m = _scaled(x, axes)
    out = _safe_sqrt(st.reduce_sum(_abs2(y), axes=axes, keepdims=True)) * m
    return _scalar(out if keepdims else _drop(out, axes))


def _p_norm(x: Any, ord: float, axes: Any, keepdims: bool) -> Any:
    if any(_shape(x)[a] == 0 for a in axes):
        return st.reduce_sum(_abs(x) ** ord, axes=axes, keepdims=keepdims) ** (1.0 / ord)
    y, m = _scaled(x, axes)
    out = st.reduce_sum(_abs(y) ** ord, axes=axes, keepdims=True) ** (1.0 / ord) * m
    return _scalar(out if keepdims else _drop(out, axes))


def _vector_norm(x: Any, ord: float | str | None, axes: Any, keepdims: bool) -> Any:
    if ord is None or ord == 2:
        return _two_norm(x, axes, keepdims)
    if ord == np.inf:
        return reduce_max(_abs(x), axes=axes, keepdims=keepdims)
    if ord == -np.inf:
        return reduce_min(_abs(x), axes=axes, keepdims=keepdims)
    if ord == 0:
        real = np.finfo(x.dtype).dtype  # (the real dtype of a complex x)
        return st.reduce_sum(st.astype(ne(x, 0.0), real), axes=axes, keepdims=keepdims)
    if ord == 1:
        return st.reduce_sum(_abs(x), axes=axes, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors.")
    return _p_norm(x, ord, axes, keepdims)


def _matrix_norm(x: Any, ord: float | str | None, r: Any, c: Any, keepdims: bool) -> Any:
    nd = _ndim(x)
    if ord in (None, "fro", "f"):
        return _two_norm(x, tuple(sorted((r, c))), keepdims)
    if ord in (1, -1, np.inf, -np.inf):
        inner, outer_ = (r, c) if ord in (1, -1) else (c, r)
        sums = st.reduce_sum(_abs(x), axes=(inner,), keepdims=True)
        red = reduce_max if ord in (1, np.inf) else reduce_min
        out = red(sums, axes=(outer_,), keepdims=True)
        if not keepdims:
            out = st.reshape(out, tuple(s for i, s in enumerate(_shape(out)) if i not in (r, c)))
        return out
    if ord in ("nuc", 2, -2):
        rest = [i for i in range(nd) if i not in (r, c)]
        y = st.transpose(x, tuple(rest) + (r, c))
        s = la.svdvals(y)
        k = _shape(s)[-1]
        if ord == "nuc":
            out = st.reduce_sum(s, axes=(len(rest),))
        else:
            out = st.getitem(s, (slice(None),) * len(rest) + (0 if ord == 2 else k - 1,))
        if keepdims:
            shape = list(_shape(out))
            for i in sorted((r, c)):
                shape.insert(i, 1)
            out = st.reshape(out, tuple(shape))
        return out
    raise ValueError(f"norm: invalid norm order {ord!r} for matrices.")


def norm(x: ArrayLike, ord: float | str | None = None, axis: Axis = None, keepdims: bool = False) -> Array:
    """Vector or matrix norm, as `numpy.linalg.norm`.

    The 2-norm and the Frobenius norm have derivative 0 at 0 (JAX gives NaN there). The
    entries are scaled by the largest before squaring, so tiny and huge vectors neither
    underflow nor overflow.

    Args:
        x: Input array.
        ord: Order of the norm, as `numpy.linalg.norm`.
        axis: Axis (vector norm) or pair of axes (matrix norm); None: the whole array.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.

    Returns:
        The norm(s).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.linalg.norm(fnp.array([3.0, 4.0]))
        np.float64(5.0)
        >>> fad.grad(fnp.linalg.norm)(fnp.zeros(2))
        array([0., 0.])
        >>> fad.grad(fnp.linalg.norm)(fnp.array([1e-200, 1e-200]))
        array([0.70710678, 0.70710678])
    """
    x = _float(x, "norm")
    nd = _ndim(x)
    if axis is None:
        if ord is None:
            return _two_norm(x, tuple(range(nd)), keepdims)
        if nd == 1:
            axis = (0,)
        elif nd == 2:
            axis = (0, 1)
        else:
            raise ValueError(f"norm: improper number of dimensions to norm (shape {_shape(x)}).")
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    axis = tuple(normalize_axis(a, nd, "norm") for a in axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis, keepdims)
    if len(axis) == 2:
        if axis[0] == axis[1]:
            raise ValueError("norm: duplicate axes given.")
        return _scalar(_matrix_norm(x, ord, axis[0], axis[1], keepdims))
    raise ValueError(f"norm: improper number of dimensions to norm (axis={axis}).")


def vector_norm(
    x: ArrayLike, /, *, axis: Axis = None, keepdims: bool = False, ord: float | str | None = 2
) -> Array:
    """Vector norm over `axis` (all axes by default), as numpy.linalg.vector_norm.

    Args:
        x: Input array.
        axis: Axis or axes to take the norm over (None: all).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        ord: Order of the norm, as NumPy.

    Returns:
        The norm(s).
    """
    x = _float(x, "vector_norm")
    nd = _ndim(x)
    if axis is None:
        shape = _shape(x)
        out = _vector_norm(st.reshape(x, (int(np.prod(shape, dtype=np.int64)),)), ord, (0,), False)
        return st.reshape(out, (1,) * nd) if keepdims else out
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    axes = tuple(sorted(normalize_axis(a, nd, "vector_norm") for a in axis))
    if len(axes) == 1:
        return _vector_norm(x, ord, axes, keepdims)
    rest = [i for i in range(nd) if i not in axes]
    y = st.transpose(x, tuple(rest) + axes)
    size = int(np.prod([_shape(x)[i] for i in axes], dtype=np.int64))
    flat = st.reshape(y, tuple(_shape(x)[i] for i in rest) + (size,))
    out = _vector_norm(flat, ord, (len(rest),), False)
    if keepdims:
        shape = list(_shape(out))
        for i in axes:
            shape.insert(i, 1)
        out = st.reshape(out, tuple(shape))
    return out


def matrix_norm(x: ArrayLike, /, *, keepdims: bool = False, ord: float | str | None = "fro") -> Array:
    """Matrix norm over the last two axes, as numpy.linalg.matrix_norm.

    Args:
        x: Input array.
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        ord: Order of the norm, as NumPy.

    Returns:
        The norm(s).
    """
    x = _matrix(x, "matrix_norm", square=False)
    nd = _ndim(x)
    return _scalar(_matrix_norm(x, ord, nd - 2, nd - 1, keepdims))


def cond(x: ArrayLike, p: float | str | None = None) -> Array:
    """Condition number `norm(x, p) * norm(inv(x), p)` (ratio of singular values for
    p in None, 2, -2).

    Args:
        x: Input array.
        p: Order of the norm (None: the 2-norm, by singular values).

    Returns:
        The condition number(s).
    """
    x = _matrix(x, "cond", square=False)
    if p in (None, 2, -2):
        s = la.svdvals(x)
        k = _shape(s)[-1]
        lead = (slice(None),) * (_ndim(s) - 1)
        big, small = st.getitem(s, lead + (0,)), st.getitem(s, lead + (k - 1,))
        return big / small if p != -2 else small / big
    x = _matrix(x, "cond")
    nd = _ndim(x)
    return _matrix_norm(x, p, nd - 2, nd - 1, False) * _matrix_norm(la.inv(x), p, nd - 2, nd - 1, False)


# --------------------------------------------------------------- array-API extras


def matrix_transpose(x: ArrayLike, /) -> Array:
    """Swap the last two axes.

    Args:
        x: Input array.

    Returns:
        The array with its last two axes swapped.
    """
    x = coerce(x)
    if _ndim(x) < 2:
        raise ValueError(f"matrix_transpose: need at least 2 dimensions, got shape {_shape(x)}.")
    return la._T(x)


def diagonal(x: ArrayLike, /, *, offset: int = 0) -> Array:
    """Diagonal of the last two axes (`offset` above the main one when positive).

    Args:
        x: Input array.
        offset: Offset of the diagonal from the main one (positive: above).

    Returns:
        The diagonals, along the last axis.
    """
    x = coerce(x)
    if _ndim(x) < 2:
        raise ValueError(f"diagonal: need at least 2 dimensions, got shape {_shape(x)}.")
    m, n = _shape(x)[-2:]
    rows = np.arange(max(0, -offset), min(m, n - offset)) if -m < offset < n else np.arange(0)
    return st.getitem(x, (slice(None),) * (_ndim(x) - 2) + (rows, rows + offset))


def trace(x: ArrayLike, /, *, offset: int = 0, dtype: DTypeLike | None = None) -> Array:
    """Sum of the diagonal of the last two axes.

    Args:
        x: Input array.
        offset: Offset of the diagonal from the main one (positive: above).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The traces.
    """
    d = diagonal(x, offset=offset)
    if dtype is not None:
        d = st.astype(d, dtype)
    elif d.dtype.kind == "b":
        d = st.astype(d, np.int64)
    return st.reduce_sum(d, axes=(_ndim(d) - 1,))


def vecdot(x1: ArrayLike, x2: ArrayLike, /, *, axis: int = -1) -> Array:
    """Dot product along `axis` with broadcasting; `x1` is conjugated, as NumPy.

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.
        axis: Axis along which to take the dot product.

    Returns:
        The dot products: the broadcast shape without `axis`.
    """
    x1, x2 = coerce(x1), coerce(x2)
    p = mul(la._conj(x1), x2)
    return st.reduce_sum(p, axes=(normalize_axis(axis, _ndim(p), "vecdot"),))
