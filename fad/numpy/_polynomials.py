# mypy: allow-redefinition-new, local-partial-types
"""NumPy's polynomial helpers on coefficient arrays, highest power first: ``polyval``,
``polyadd``, ``polysub``, ``polymul``, ``polydiv``, ``polyder``, ``polyint``, ``polyfit``,
``poly`` and ``roots``, written as composites of fad.numpy functions (so they differentiate
in the coefficients and in ``x``): ``polyfit`` solves its least-squares problem with
``linalg.lstsq``, and ``roots`` takes the eigenvalues of the companion matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad.numpy._building_matrices import vander
from fad.numpy._creation import asarray, eye, ones, zeros, zeros_like
from fad.numpy._joining import concatenate, stack
from fad.numpy._linear_algebra import dot, outer
from fad.numpy._math import real, sqrt
from fad.numpy._miscellaneous import convolve
from fad.numpy._numerical_ranges import arange
from fad.numpy._shape_manipulation import atleast_1d, reshape
from fad.numpy._sums_products_differences import sum
from fad.numpy._util import concrete_value, ndim, shape
from fad.numpy.linalg import eigvals, inv, lstsq

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike


def polyval(p: ArrayLike, x: ArrayLike) -> Array:
    """The polynomial with coefficients `p` (highest power first) at `x`, by Horner's rule.

    Args:
        p: Polynomial coefficients, highest power first.
        x: Points at which to evaluate the polynomial.

    Returns:
        The values, shaped like `x`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polyval(fnp.array([1.0, 0.0, -2.0]), fnp.array([0.0, 2.0]))
        array([-2.,  2.])
    """
    p, x = asarray(p), asarray(x)
    y = zeros_like(x)
    for k in range(p.shape[0]):
        y = y * x + p[k]
    return y


def _pad_front(a: Any, n: Any) -> Any:
    return concatenate([zeros(n, a.dtype), a]) if n else a


def polyadd(a1: ArrayLike, a2: ArrayLike) -> Array:
    """The sum of two polynomials (coefficients highest power first).

    Args:
        a1: Coefficients of the first polynomial (highest power first).
        a2: Coefficients of the second polynomial (highest power first).

    Returns:
        The coefficients of the sum, highest power first.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polyadd(fnp.array([1.0, 2.0]), fnp.array([3.0, 0.0, 1.0]))
        array([3., 1., 3.])
    """
    a1, a2 = atleast_1d(asarray(a1)), atleast_1d(asarray(a2))
    n1, n2 = a1.shape[0], a2.shape[0]
    return _pad_front(a1, max(n2 - n1, 0)) + _pad_front(a2, max(n1 - n2, 0))


def polysub(a1: ArrayLike, a2: ArrayLike) -> Array:
    """The difference of two polynomials (coefficients highest power first).

    Args:
        a1: Coefficients of the first polynomial (highest power first).
        a2: Coefficients of the second polynomial (highest power first).

    Returns:
        The coefficients of the difference, highest power first.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polysub(fnp.array([1.0, 2.0]), fnp.array([3.0, 0.0, 1.0]))
        array([-3.,  1.,  1.])
    """
    a1, a2 = atleast_1d(asarray(a1)), atleast_1d(asarray(a2))
    n1, n2 = a1.shape[0], a2.shape[0]
    return _pad_front(a1, max(n2 - n1, 0)) - _pad_front(a2, max(n1 - n2, 0))


def polyder(p: ArrayLike, m: int = 1) -> Array:
    """The `m`-th derivative of a polynomial (coefficients highest power first).

    Args:
        p: Polynomial coefficients, highest power first.
        m: Order of the derivative.

    Returns:
        The coefficients of the derivative, highest power first.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polyder(fnp.array([1.0, 1.0, 1.0, 1.0]), 2)
        array([6., 2.])
    """
    m = int(m)
    if m < 0:
        raise ValueError(f"polyder: the order of the derivative must be non-negative, got {m} (see polyint).")
    p = asarray(p)
    for _ in range(m):
        n = p.shape[0] - 1
        p = p[:-1] * arange(n, 0, -1)
    return p


def polyint(p: ArrayLike, m: int = 1, k: ArrayLike | None = None) -> Array:
    """The `m`-th antiderivative of a polynomial, with integration constants `k` (a
    scalar, or one per order, the first used first; zeros by default).

    Args:
        p: Polynomial coefficients, highest power first.
        m: Order of the antiderivative.
        k: Integration constants: one scalar, or one per order.

    Returns:
        The coefficients of the antiderivative, highest power first.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polyint(fnp.array([3.0, 2.0]), k=5.0)
        array([1.5, 2. , 5. ])
    """
    m = int(m)
    if m < 0:
        raise ValueError(f"polyint: the order of the integral must be non-negative, got {m} (see polyder).")
    k = atleast_1d(asarray(np.zeros(m) if k is None else k))
    if k.shape[0] == 1 and m > 1:
        k = concatenate([k] * m)
    if k.shape[0] < m:
        raise ValueError(f"polyint: k must be a scalar or a 1-d array of length 1 or at least m = {m}.")
    p = asarray(p)
    for j in range(m):
        p = concatenate([p / arange(p.shape[0], 0, -1), reshape(k[j], (1,))])
    return p


def polymul(a1: ArrayLike, a2: ArrayLike) -> Array:
    """The product of two polynomials (their coefficients' convolution).

    Args:
        a1: Coefficients of the first polynomial (highest power first).
        a2: Coefficients of the second polynomial (highest power first).

    Returns:
        The coefficients of the product, highest power first.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polymul(fnp.array([1.0, 2.0]), fnp.array([1.0, -1.0]))
        array([ 1.,  1., -2.])
    """
    return convolve(atleast_1d(asarray(a1)), atleast_1d(asarray(a2)))


def polydiv(u: ArrayLike, v: ArrayLike) -> tuple[Array, Array]:
    """Quotient and remainder of the polynomial division `u / v` (long division; the
    remainder's leading zeros are trimmed as NumPy does, on a concrete value).

    Args:
        u: Dividend polynomial coefficients, highest power first.
        v: Divisor polynomial coefficients, highest power first.

    Returns:
        A tuple `(quotient, remainder)` of coefficient arrays.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.polydiv(fnp.array([1.0, 0.0, -1.0]), fnp.array([1.0, 1.0]))
        (array([ 1., -1.]), array([0.]))
    """
    u, v = atleast_1d(asarray(u)), atleast_1d(asarray(v))
    dt = np.result_type(u.dtype, v.dtype, np.float64)
    u, v = u.astype(dt), v.astype(dt)
    m, n = shape(u)[0] - 1, shape(v)[0] - 1
    r = [u[k] for k in range(m + 1)]
    q = []
    for k in range(max(m - n + 1, 0)):
        d = r[k] / v[0]
        q.append(d)
        for j in range(n + 1):
            r[k + j] = r[k + j] - d * v[j]
    quotient = stack(q) if q else zeros(1, dt)
    rest = r[max(m - n + 1, 0) :] or [r[-1] * 0]
    remainder = stack(rest)
    try:
        value = concrete_value(remainder, "polydiv")
    except Exception:  # noqa: BLE001 - batched or staged: keep the full remainder
        return quotient, remainder
    lead = 0
    while lead < len(value) - 1 and np.allclose(value[lead], 0, rtol=1e-14):
        lead += 1
    return quotient, remainder[lead:]


def poly(seq_of_zeros: ArrayLike) -> Array:
    """The coefficients of the monic polynomial with the given roots (or, for a square
    matrix, of its characteristic polynomial). Real when the roots come in conjugate pairs.

    Args:
        seq_of_zeros: Roots of the polynomial (or a square matrix, whose eigenvalues are taken).

    Returns:
        The coefficients, highest power first.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.poly(fnp.array([1.0, 2.0]))
        array([ 1., -3.,  2.])
    """
    z = asarray(seq_of_zeros)
    if ndim(z) == 2 and shape(z)[0] == shape(z)[1] and shape(z)[0] != 0:
        z = eigvals(z)
    elif ndim(z) == 1:
        pass
    elif ndim(z) == 0 or shape(z)[0] == 0:
        return np.array(1.0)
    else:
        raise ValueError("poly: input must be 1d or non-empty square 2d array.")
    if shape(z)[0] == 0:
        return np.array(1.0)
    dt = np.result_type(z.dtype, np.float64)
    a = ones(1, dt)
    for k in range(shape(z)[0]):
        a = convolve(a, concatenate([ones(1, dt), reshape(-z[k].astype(dt), (1,))]))
    if dt.kind == "c":
        roots = concrete_value(z, "poly")
        if np.array_equal(
            np.sort_complex(roots[roots.imag > 0]), np.sort_complex(roots[roots.imag < 0].conj())
        ):
            a = real(a)
    return a


def polyfit(
    x: ArrayLike,
    y: ArrayLike,
    deg: int,
    rcond: float | None = None,
    full: ArrayLike = False,
    w: ArrayLike | None = None,
    cov: ArrayLike = False,
) -> Array:
    """The least-squares polynomial fit of degree `deg` to the points `(x, y)` (`y`
    may hold several data sets as columns), differentiable in `x`, `y` and `w` through
    `linalg.lstsq`. `full` and `cov` return NumPy's extras.

    Args:
        x: x-coordinates of the points.
        y: y-coordinates (a column per data set if 2-d).
        deg: Degree of the polynomial.
        rcond: Cut-off for small singular values, relative to the largest.
        full: Also return the diagnostics (residuals, rank, singular values, rcond).
        w: Weights of the points (applied to the residuals).
        cov: Also return the covariance matrix of the coefficients.

    Returns:
        The coefficients, highest power first (with the diagnostics if `full`, or the covariance if `cov`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> x = fnp.array([0.0, 1.0, 2.0, 3.0])
        >>> fnp.polyfit(x, 2.0 * x + 1.0, 1)
        array([2., 1.])
        >>> fad.grad(lambda y: fnp.polyfit(x, y, 1)[0])(2.0 * x)  # the slope's weights
        array([-0.3, -0.1,  0.1,  0.3])
    """
    order = int(deg) + 1
    x, y = asarray(x), asarray(y)
    dt = np.result_type(x.dtype, y.dtype, np.float64)
    x, y = x.astype(dt), y.astype(dt)
    if deg < 0:
        raise ValueError("polyfit: expected deg >= 0")
    if ndim(x) != 1:
        raise TypeError("polyfit: expected 1D vector for x")
    if shape(x)[0] == 0:
        raise TypeError("polyfit: expected non-empty vector for x")
    if ndim(y) < 1 or ndim(y) > 2:
        raise TypeError("polyfit: expected 1D or 2D array for y")
    if shape(x)[0] != shape(y)[0]:
        raise TypeError("polyfit: expected x and y to have same length")
    if rcond is None:
        rcond = shape(x)[0] * np.finfo(dt).eps
    lhs, rhs = vander(x, order), y
    if w is not None:
        w = asarray(w)
        if ndim(w) != 1 or shape(w)[0] != shape(y)[0]:
            raise TypeError("polyfit: expected a 1-d w of the same length as y")
        lhs = lhs * w[:, None]
        rhs = rhs * w if ndim(rhs) == 1 else rhs * w[:, None]
    scale = sqrt(sum(lhs * lhs, axis=0))
    lhs = lhs / scale
    c, resids, rank, s = lstsq(lhs, rhs, rcond)
    c = (c.T / scale).T
    if full:
        return c, resids, rank, s, rcond
    if cov:
        base = inv(dot(lhs.T, lhs)) / outer(scale, scale)
        if cov == "unscaled":
            fac = 1.0
        else:
            if shape(x)[0] <= order:
                raise ValueError(
                    "polyfit: the number of data points must exceed order to scale the covariance matrix"
                )
            fac = resids / (shape(x)[0] - order)
        if ndim(y) == 1:
            return c, base * fac
        return c, base[:, :, None] * fac
    return c


def roots(p: ArrayLike, *, strip_zeros: bool = True) -> Array:
    """The roots of the polynomial with coefficients `p`: the eigenvalues of its companion
    matrix. They differentiate in `p` wherever the roots are simple.

    As NumPy, leading zeros are dropped, trailing zeros give roots at 0, and the roots are
    real when every imaginary part is zero: that reads a concrete `p`. With
    `strip_zeros=False` (as in JAX) `p[0]` must be nonzero and the roots are always
    complex, and `roots` runs under `vmap` and `jit` too.

    Args:
        p: Polynomial coefficients, highest power first.
        strip_zeros: Whether to drop the leading zero coefficients first.

    Returns:
        The roots, a 1-d array (complex if any root is).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.roots(fnp.array([1.0, -3.0, 2.0]))
        array([2., 1.])
        >>> ps = fnp.array([[1.0, -3.0, 2.0], [1.0, 0.0, -4.0]])
        >>> fad.vmap(lambda p: fnp.roots(p, strip_zeros=False))(ps)
        array([[ 2.+0.j,  1.+0.j],
               [-2.+0.j,  2.+0.j]])
    """
    p = atleast_1d(asarray(p))
    if ndim(p) != 1:
        raise ValueError("roots: input must be a rank-1 array.")
    trailing = 0
    if strip_zeros:
        nz = np.flatnonzero(concrete_value(p, "roots"))
        if len(nz) == 0:
            return np.array([])
        trailing = shape(p)[0] - nz[-1] - 1
        p = p[int(nz[0]) : int(nz[-1]) + 1]
    n = shape(p)[0]
    dt = np.result_type(p.dtype, np.float64)
    if n > 1:
        first = reshape(-p[1:] / p[0], (1, n - 1)).astype(dt)
        companion = concatenate([first, eye(n - 2, n - 1, dtype=dt)]) if n > 2 else first
        r = eigvals(companion)
    else:
        r = zeros(0, np.result_type(dt, np.complex64))
    if trailing:
        r = concatenate([r, zeros(trailing, r.dtype)])
    if strip_zeros and r.dtype.kind == "c" and not np.any(concrete_value(r, "roots").imag):
        r = real(r)  # NumPy: real roots when every imaginary part is zero
    return r
