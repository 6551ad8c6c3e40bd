# mypy: allow-redefinition-new, local-partial-types
"""Window functions (NumPy's "Window functions"): ``bartlett``, ``blackman``, ``hamming``,
``hanning`` and ``kaiser``, of a concrete length ``M``. ``kaiser`` differentiates in its
shape parameter ``beta`` (through ``i0``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad.numpy._creation import asarray
from fad.numpy._math import i0, sqrt

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike


def _length(M: Any, fname: str) -> Any:
    M = int(np.asarray(M).item()) if np.ndim(M) == 0 else None
    if M is None:
        raise TypeError(f"{fname}: M must be a scalar integer.")
    return M


def _cosine_window(M: Any, coefs: Any, fname: str) -> Any:
    M = _length(M, fname)
    if M < 1:
        return np.array([], dtype=np.float64)
    if M == 1:
        return np.ones(1, dtype=np.float64)
    n = np.arange(1 - M, M, 2)
    out = 0.0
    for k, c in enumerate(coefs):
        out = out + c * np.cos(k * np.pi * n / (M - 1))
    return asarray(out)


def bartlett(M: int | None) -> Array:
    """The triangular window of `M` points.

    Args:
        M: Number of points (or of columns).

    Returns:
        The window, a 1-d array of `M` values.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.bartlett(5)
        array([0. , 0.5, 1. , 0.5, 0. ])
    """
    M = _length(M, "bartlett")
    if M < 1:
        return np.array([], dtype=np.float64)
    if M == 1:
        return np.ones(1, dtype=np.float64)
    n = np.arange(1 - M, M, 2)
    return np.where(n <= 0, 1 + n / (M - 1), 1 - n / (M - 1))


def blackman(M: int | None) -> Array:
    """The Blackman window of `M` points.

    Args:
        M: Number of points (or of columns).

    Returns:
        The window, a 1-d array of `M` values.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.blackman(3).round(6)
        array([-0.,  1., -0.])
    """
    return _cosine_window(M, (0.42, 0.5, 0.08), "blackman")


def hamming(M: int | None) -> Array:
    """The Hamming window of `M` points.

    Args:
        M: Number of points (or of columns).

    Returns:
        The window, a 1-d array of `M` values.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.hamming(3)
        array([0.08, 1.  , 0.08])
    """
    return _cosine_window(M, (0.54, 0.46), "hamming")


def hanning(M: int | None) -> Array:
    """The Hann window of `M` points.

    Args:
        M: Number of points (or of columns).

    Returns:
        The window, a 1-d array of `M` values.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.hanning(3)
        array([0., 1., 0.])
    """
    return _cosine_window(M, (0.5, 0.5), "hanning")


def kaiser(M: int | None, beta: ArrayLike) -> Array:
    """The Kaiser window of `M` points with shape parameter `beta`, differentiable in
    `beta`.

    Args:
        M: Number of points (or of columns).
        beta: Shape parameter of the window.

    Returns:
        The window, a 1-d array of `M` values.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.kaiser(3, 2.0)
        array([0.43867628, 1.        , 0.43867628])
    """
    M = _length(M, "kaiser")
    if M < 1:
        return np.array([], dtype=np.float64)
    if M == 1:
        return np.ones(
            1, dtype=np.result_type(np.asarray(beta).dtype if hasattr(beta, "dtype") else float, np.float64)
        )
    n = np.arange(0, M)
    alpha = (M - 1) / 2.0
    beta = asarray(beta)
    return i0(beta * sqrt(1 - ((n - alpha) / alpha) ** 2.0)) / i0(beta)
