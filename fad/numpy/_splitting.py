# mypy: allow-redefinition-new, local-partial-types
"""Splitting arrays (NumPy's "Array manipulation routines"): ``split``, ``array_split``,
``hsplit``, ``vsplit``, ``dsplit`` and ``unstack``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad.numpy._creation import asarray
from fad.numpy._indexing import getitem
from fad.numpy._shape_manipulation import _arr, moveaxis
from fad.numpy._util import ndim, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fad.typing import Array, ArrayLike


def split(ary: ArrayLike, indices_or_sections: int | Sequence[int], axis: int = 0) -> list[Array]:
    """Split into equal pieces (an int) or at the given indices along `axis`.

    Args:
        ary: Array to split.
        indices_or_sections: Number of equal pieces, or the indices where to split.
        axis: Axis to split along.

    Returns:
        A list of the pieces.

    Examples:
        >>> import fad.numpy as fnp
        >>> [p.shape for p in fnp.split(fnp.zeros((4, 2)), 2)]
        [(2, 2), (2, 2)]
    """
    if np.ndim(indices_or_sections) == 0:
        ary = _arr(ary)
        n = shape(ary)[normalize_axis(axis, ndim(ary), "split")]
        if n % int(indices_or_sections):  # type: ignore[arg-type]  # a number here
            raise ValueError(
                f"split: an axis of length {n} does not divide into {indices_or_sections} "
                "equal sections. Use fad.numpy.array_split for unequal pieces."
            )
    return array_split(ary, indices_or_sections, axis)


def _slice_axis(a: Any, start: Any, stop: Any, axis: int, step: Any = 1) -> Any:
    return getitem(a, (slice(None),) * axis + (slice(start, stop, step),))


def array_split(ary: ArrayLike, indices_or_sections: int | Sequence[int], axis: int = 0) -> list[Array]:
    """Split into pieces along `axis`; sections need not divide the axis evenly.

    Args:
        ary: Array to split.
        indices_or_sections: Number of equal pieces, or the indices where to split.
        axis: Axis to split along.

    Returns:
        A list of the pieces.
    """
    ary = _arr(ary)
    axis = normalize_axis(axis, ndim(ary), "array_split")
    n = shape(ary)[axis]
    if np.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)  # type: ignore[arg-type]  # a number here
        if sections <= 0:
            raise ValueError("array_split: number sections must be larger than 0.")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]  # type: ignore[union-attr]  # a sequence here
    return [_slice_axis(ary, int(bounds[k]), int(bounds[k + 1]), axis) for k in range(len(bounds) - 1)]


def _split_along(ary: Any, indices_or_sections: Any, axis: int, least: Any, name: str) -> list[Array]:
    ary = asarray(ary)
    if ndim(ary) < least:
        raise ValueError(
            f"{name} only works on arrays of {least} or more dimensions (got shape {shape(ary)}); "
            "use fad.numpy.split with an explicit axis."
        )
    return split(ary, indices_or_sections, axis=axis)


def hsplit(ary: ArrayLike, indices_or_sections: int | Sequence[int]) -> list[Array]:
    """Split horizontally: along axis 1 (axis 0 for a 1-d array).

    Args:
        ary: Array to split.
        indices_or_sections: Number of equal pieces, or the indices where to split.

    Returns:
        A list of the pieces.

    Examples:
        >>> import fad.numpy as fnp
        >>> [p.shape for p in fnp.hsplit(fnp.zeros((2, 4)), 2)]
        [(2, 2), (2, 2)]
    """
    ary = asarray(ary)
    return _split_along(ary, indices_or_sections, 1 if ndim(ary) > 1 else 0, 1, "hsplit")


def vsplit(ary: ArrayLike, indices_or_sections: int | Sequence[int]) -> list[Array]:
    """Split vertically: along axis 0 of an array of 2 or more dimensions.

    Args:
        ary: Array to split.
        indices_or_sections: Number of equal pieces, or the indices where to split.

    Returns:
        A list of the pieces.

    Examples:
        >>> import fad.numpy as fnp
        >>> [p.shape for p in fnp.vsplit(fnp.zeros((4, 2)), [1])]
        [(1, 2), (3, 2)]
    """
    return _split_along(ary, indices_or_sections, 0, 2, "vsplit")


def dsplit(ary: ArrayLike, indices_or_sections: int | Sequence[int]) -> list[Array]:
    """Split along the depth: axis 2 of an array of 3 or more dimensions.

    Args:
        ary: Array to split.
        indices_or_sections: Number of equal pieces, or the indices where to split.

    Returns:
        A list of the pieces.

    Examples:
        >>> import fad.numpy as fnp
        >>> [p.shape for p in fnp.dsplit(fnp.zeros((1, 2, 4)), 2)]
        [(1, 2, 2), (1, 2, 2)]
    """
    return _split_along(ary, indices_or_sections, 2, 3, "dsplit")


def unstack(x: ArrayLike, /, *, axis: int = 0) -> tuple[Array, ...]:
    """The slices of `x` along `axis`, as a tuple (the inverse of `stack`).

    Args:
        x: Input array.
        axis: Axis to take the slices along.

    Returns:
        A tuple of the slices.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.unstack(fnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1)
        (array([1., 3.]), array([2., 4.]))
    """
    x = asarray(x)
    if ndim(x) == 0:
        raise ValueError("unstack: the input must be at least 1-d.")
    x = moveaxis(x, normalize_axis(axis, ndim(x), "unstack"), 0)
    return tuple(x[i] for i in range(shape(x)[0]))
