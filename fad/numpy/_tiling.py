# mypy: allow-redefinition-new, local-partial-types
"""Tiling arrays (NumPy's "Array manipulation routines"): ``tile`` and ``repeat``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad.numpy._indexing import take
from fad.numpy._shape_manipulation import _arr, ravel
from fad.numpy._util import ndim, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fad.numpy._util import Shape
    from fad.typing import Array, ArrayLike


def tile(A: ArrayLike, reps: Shape) -> Array:
    """Repeat the whole array `reps` times (per axis).

    Args:
        A: Input array.
        reps: Number of repetitions along each axis (or one number).

    Returns:
        The tiled array.
    """
    A = _arr(A)
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(r) for r in reps)  # type: ignore[arg-type, union-attr]
    s = tuple(shape(A))
    d = max(len(reps), len(s))
    s = (1,) * (d - len(s)) + s
    reps = (1,) * (d - len(reps)) + reps
    inter = tuple(v for r, n in zip(reps, s, strict=True) for v in (1, n))
    big = tuple(v for r, n in zip(reps, s, strict=True) for v in (r, n))
    out = st.broadcast_to(st.reshape(A, inter), big)
    return st.reshape(out, tuple(r * n for r, n in zip(reps, s, strict=True)))


def repeat(a: ArrayLike, repeats: int | Sequence[int], axis: int | None = None) -> Array:
    """Repeat each element `repeats` times along `axis` (of the flattened array by default).

    Args:
        a: Input array.
        repeats: Number of repetitions of each element (or one number for all).
        axis: Axis to repeat along (None: the flattened array).

    Returns:
        The array with the elements repeated.
    """
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, ndim(a), "repeat")
    if isinstance(repeats, Tracer):
        raise TypeError("repeat: repeats must be concrete (the result's shape depends on them).")
    idx = np.repeat(np.arange(shape(a)[axis]), repeats)
    return take(a, idx, axis)
