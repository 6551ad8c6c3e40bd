# mypy: allow-redefinition-new, local-partial-types
"""NumPy's one-dimensional signal helpers: ``convolve`` and ``correlate`` (from its
"Miscellaneous" mathematical functions and "Correlating" statistics) and ``unwrap`` (from its
trigonometric functions). All are composites of gathers, products and sums, so they
differentiate in every array argument, batch under ``vmap`` and stage under ``jit``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad.numpy._creation import asarray, zeros
from fad.numpy._indexing import take, where
from fad.numpy._joining import concatenate
from fad.numpy._linear_algebra import matmul
from fad.numpy._math import abs, conj, mod
from fad.numpy._sums_products_differences import cumsum, diff
from fad.numpy._util import ndim, normalize_axis, shape

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

_MODES = ("full", "same", "valid")


def _vector(x: Any, fname: str, what: str) -> Any:
    x = asarray(x)
    if ndim(x) == 0:
        x = x.reshape((1,))
    if ndim(x) != 1:
        raise ValueError(f"{fname}: {what} must be 1-d, got shape {shape(x)}.")
    if shape(x)[0] == 0:
        raise ValueError(f"{fname}: {what} cannot be empty.")
    return x


def _convolve(a: Any, v: Any, mode: str, fname: str) -> Any:
    """``sum_j a[k - j] v[j]`` for the lags of ``mode``, with ``len(a) >= len(v)``, as a gather
    of the sliding windows of the zero-padded ``a`` and one matrix product."""
    n, m = shape(a)[0], shape(v)[0]
    dt = np.result_type(a.dtype, v.dtype)
    pad = zeros(m - 1, dt)
    padded = concatenate([pad, a.astype(dt), pad])
    start, length = {"full": (0, n + m - 1), "same": ((m - 1) // 2 + 0, n), "valid": (m - 1, n - m + 1)}[mode]
    windows = np.arange(start, start + length)[:, None] + np.arange(m)[None, :]
    return matmul(take(padded, windows), v[::-1].astype(dt))


def convolve(a: ArrayLike, v: ArrayLike, mode: str = "full") -> Array:
    """The discrete linear convolution of two 1-d sequences (`mode`: `"full"`, `"same"`
    or `"valid"`, as NumPy). Differentiable in both.

    Args:
        a: First 1-d sequence.
        v: Second 1-d sequence.
        mode: "full", "same" or "valid".

    Returns:
        The convolution, a 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.convolve(fnp.array([1.0, 2.0, 3.0]), fnp.array([0.0, 1.0, 0.5]))
        array([0. , 1. , 2.5, 4. , 1.5])
    """
    if mode not in _MODES:
        raise ValueError(f"convolve: mode must be one of {_MODES}, got {mode!r}.")
    a, v = _vector(a, "convolve", "a"), _vector(v, "convolve", "v")
    if shape(v)[0] > shape(a)[0]:
        a, v = v, a
    return _convolve(a, v, mode, "convolve")


def correlate(a: ArrayLike, v: ArrayLike, mode: str = "valid") -> Array:
    """The cross-correlation `c[k] = sum_n a[n + k] conj(v[n])` of two 1-d sequences
    (`mode` as for `convolve`, `"valid"` by default, as NumPy). Differentiable in both.

    Args:
        a: First 1-d sequence.
        v: Second 1-d sequence.
        mode: "valid", "same" or "full".

    Returns:
        The cross-correlation, a 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.correlate(fnp.array([1.0, 2.0, 3.0]), fnp.array([0.0, 1.0, 0.5]), "full")
        array([0.5, 2. , 3.5, 3. , 0. ])
    """
    if mode not in _MODES:
        raise ValueError(f"correlate: mode must be one of {_MODES}, got {mode!r}.")
    a, v = _vector(a, "correlate", "a"), _vector(v, "correlate", "v")
    if shape(v)[0] > shape(a)[0]:  # NumPy: the other way round, conjugated and reversed
        return conj(_convolve(v, conj(a)[::-1], mode, "correlate"))[::-1]
    return _convolve(a, conj(v)[::-1], mode, "correlate")


def unwrap(
    p: ArrayLike, discont: ArrayLike | None = None, axis: int = -1, *, period: float = 2 * np.pi
) -> Array:
    """Unwrap phase jumps: where consecutive values differ by more than `max(discont,
    period / 2)`, add multiples of `period` so that they do not. Its derivative is the
    identity (the corrections are piecewise constant).

    Args:
        p: Input array (angles).
        discont: Smallest jump that is unwrapped (default `period / 2`).
        axis: Axis or axes to work along; None means all of them (the flattened array).
        period: Period of the data, if periodic.

    Returns:
        The unwrapped array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unwrap(fnp.array([0.0, 3.0, 6.0, 9.0]), period=4.0)
        array([ 0., -1., -2., -3.])
    """
    p = asarray(p)
    axis = normalize_axis(axis, ndim(p), "unwrap")
    dd = diff(p, axis=axis)
    if discont is None:
        discont = period / 2
    high = period / 2
    integer = dd.dtype.kind in "iu" and float(period) == int(period)
    if integer:
        high, rem = divmod(int(period), 2)
        boundary_ambiguous = rem == 0
    else:
        boundary_ambiguous = True
    low = -high
    ddmod = mod(dd - low, period) + low
    if boundary_ambiguous:
        ddmod = where(ew.logical_and(ew.eq(ddmod, low), ew.gt(dd, 0)), high, ddmod)
    correction = where(ew.lt(abs(dd), discont), 0, ddmod - dd)
    first = tuple(slice(0, 1) if k == axis else slice(None) for k in range(ndim(p)))
    return concatenate(
        [
            p[first],
            p[tuple(slice(1, None) if k == axis else slice(None) for k in range(ndim(p)))]
            + cumsum(correction, axis=axis),
        ],
        axis=axis,
    )
