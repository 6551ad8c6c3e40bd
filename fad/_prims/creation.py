"""Creation of constant arrays: no traced input, so no primitives and no rules. These are
the only places that allocate new arrays for the transforms (zero tangents, basis vectors,
inputs made arrays)."""

from __future__ import annotations

from typing import Any

import numpy as np

from fad import _backend
from fad._backend import backend_of
from fad._structural import result_dtype, shape_of


def zeros(shape: Any, dtype: Any = float) -> Any:
    return np.zeros(shape, dtype)


def full(shape: Any, value: Any, dtype: Any = None) -> Any:
    return np.full(shape, value, dtype)


def eye(n: Any, m: Any = None, k: Any = 0, dtype: Any = float) -> Any:
    return np.eye(n, m, k, dtype=dtype)


def zeros_like_value(x: Any) -> Any:
    """A concrete zero array with the shape and dtype of ``x`` (traced or not), of its library."""
    b = backend_of(x) if _backend.active else None
    if b is not None:
        return b.full(shape_of(x), 0, result_dtype(x))
    return np.zeros(shape_of(x), result_dtype(x))


def to_array(x: Any, dtype: Any = None) -> Any:
    """Convert a non-traced leaf to a NumPy array (transform inputs)."""
    return np.asarray(x, dtype)
