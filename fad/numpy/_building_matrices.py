# mypy: allow-redefinition-new, local-partial-types
"""Building matrices (NumPy's "Array creation routines"): ``diag``, ``diagflat``,
``tri``, ``tril``, ``triu`` and ``vander``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad.numpy._creation import asarray, ones
from fad.numpy._indexing import _diagonal_slice, diagonal
from fad.numpy._joining import concatenate
from fad.numpy._shape_manipulation import _arr, broadcast_to, ravel
from fad.numpy._sums_products_differences import cumprod
from fad.numpy._util import ndim, shape

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from fad.typing import Array, ArrayLike


def diag(v: ArrayLike, k: int = 0) -> Array:
    """The `k`-th diagonal of a 2-D array, or a 2-D array with `v` (1-D) on it.

    Args:
        v: A 1-d array (placed on the diagonal) or a 2-d array (whose diagonal is taken).
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        The diagonal (for a 2-d `v`) or the 2-d array with `v` on it (for a 1-d `v`).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.diag(fnp.array([1.0, 2.0]))
        array([[1., 0.],
               [0., 2.]])
    """
    v = _arr(v)
    if ndim(v) == 2:
        return diagonal(v, k)
    if ndim(v) != 1:
        raise ValueError(f"diag: input must be 1-D or 2-D, got shape {tuple(shape(v))}.")
    n = shape(v)[0]
    k = int(k)
    size = n + abs(k)
    flat = st.index_add_zeros(v, idx=(_diagonal_slice(k, n, size),), shape=(size * size,))
    return st.reshape(flat, (size, size))


def diagflat(v: ArrayLike, k: int = 0) -> Array:
    """A 2-D array with the flattened input on the `k`-th diagonal.

    Args:
        v: Input array, flattened.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        A 2-d array.
    """
    return diag(ravel(_arr(v)), k)


def tri(N: int, M: int | None = None, k: int = 0, dtype: DTypeLike = float) -> Array:
    """An `N` x `M` array with ones at and below the `k`-th diagonal.

    Args:
        N: Number of rows.
        M: Number of columns (default: `N`).
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The `N` x `M` array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.tri(2, 3, k=1)
        array([[1., 1., 0.],
               [1., 1., 1.]])
    """
    return np.tri(N, M, k, dtype)


def _tri_mask(s: Any, k: Any, upper: bool) -> Any:
    rows, cols = (s[-2], s[-1]) if len(s) >= 2 else (s[-1], s[-1])
    return ~np.tri(rows, cols, k - 1, dtype=bool) if upper else np.tri(rows, cols, k, dtype=bool)


def tril(m: ArrayLike, k: int = 0) -> Array:
    """The lower triangle (entries above the `k`-th diagonal set to zero).

    Args:
        m: Input array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        An array shaped like `m`.
    """
    m = _arr(m)
    mask = _tri_mask(tuple(shape(m)), k, False)
    return m * mask.astype(m.dtype)


def triu(m: ArrayLike, k: int = 0) -> Array:
    """The upper triangle (entries below the `k`-th diagonal set to zero).

    Args:
        m: Input array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        An array shaped like `m`.
    """
    m = _arr(m)
    mask = _tri_mask(tuple(shape(m)), k, True)
    return m * mask.astype(m.dtype)


def vander(x: ArrayLike, N: int | None = None, increasing: bool = False) -> Array:
    """The Vandermonde matrix of the 1-d `x`: columns `x**(N-1), ..., x, 1` (reversed
    with `increasing=True`), computed as NumPy does, by running products.

    Args:
        x: 1-d input array.
        N: Number of columns (default: `len(x)`).
        increasing: Powers increasing from left to right (else decreasing).

    Returns:
        The Vandermonde matrix, `len(x)` by `N`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.vander(fnp.array([2.0, 3.0]), 3)
        array([[4., 2., 1.],
               [9., 3., 1.]])
    """
    x = asarray(x)
    if ndim(x) != 1:
        raise ValueError(f"vander: x must be a one-dimensional array or sequence, got shape {shape(x)}.")
    n = shape(x)[0]
    N = n if N is None else int(N)
    dtype = np.promote_types(x.dtype, int)
    if N == 0:
        return ones((n, 0), dtype)
    columns = [ones((n, 1), dtype)]
    if N > 1:
        columns.append(broadcast_to(x.astype(dtype)[:, None], (n, N - 1)))
    powers = cumprod(concatenate(columns, axis=1), axis=1)
    return powers if increasing else powers[:, ::-1]
