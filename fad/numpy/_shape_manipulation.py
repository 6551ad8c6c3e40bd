# mypy: allow-redefinition-new, local-partial-types
"""Array manipulation, the shape: NumPy's "basic operations" (``shape``, ``ndim``,
``size``), "changing array shape", "transpose-like operations" and "changing number of
dimensions", built from the structural primitives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad.numpy._creation import asarray
from fad.numpy._util import coerce, normalize_axes, normalize_axis
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import DTypeLike

    from fad.numpy._util import Axis, Shape
    from fad.typing import Array, ArrayLike


def _arr(a: Any) -> Any:
    a = coerce(a)
    return a if isinstance(a, Tracer) else np.asarray(a)


# ------------------------------------------------------------------- basic operations


def shape(a: ArrayLike) -> tuple[int, ...]:
    """The shape of `a` (an array, a traced value or anything `asarray` takes), as a tuple.

    Args:
        a: Input array.

    Returns:
        The shape, a tuple of ints.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.shape([[1.0, 2.0, 3.0]])
        (1, 3)
    """
    return tuple(_shape(coerce(a)))


def ndim(a: ArrayLike) -> int:
    """The number of dimensions of `a`.

    Args:
        a: Input array.

    Returns:
        The number of dimensions, an int.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.ndim(fnp.zeros((2, 3)))
        2
    """
    return _ndim(coerce(a))


def size(a: ArrayLike, axis: int | None = None) -> int:
    """The number of elements of `a`, or its length along `axis`.

    Args:
        a: Input array.
        axis: Axis whose length to return (None: the total number of elements).

    Returns:
        The number of elements (or the length along `axis`), an int.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.size(fnp.zeros((2, 3))), fnp.size(fnp.zeros((2, 3)), axis=1)
        (6, 3)
    """
    s = shape(a)
    return int(np.prod(s, dtype=np.int64)) if axis is None else s[axis]


# --------------------------------------------------------------- changing array shape


def _resolve_shape(newshape: Any, size_: Any, fname: str = "reshape") -> Any:
    if isinstance(newshape, (int, np.integer)):
        newshape = (newshape,)
    newshape = tuple(int(s) for s in newshape)
    unknown = [i for i, s in enumerate(newshape) if s == -1]
    if len(unknown) > 1:
        raise ValueError(f"{fname}: can only specify one unknown dimension (-1).")
    known = 1
    for s in newshape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or size_ % known:
            raise ValueError(f"{fname}: cannot reshape an array of size {size_} into shape {newshape}.")
        newshape = tuple(size_ // known if s == -1 else s for s in newshape)
    elif known != size_:
        raise ValueError(f"{fname}: cannot reshape an array of size {size_} into shape {newshape}.")
    return newshape


def _memory_order(a: Any, order: str | None, fname: str, allowed: Any) -> Any:
    """``order`` resolved to "C" or "F" for ``a`` (NumPy's spelling: one letter, any case)."""
    if order is None:
        order = "C"
    o = order.upper() if isinstance(order, str) else None
    if o not in tuple(allowed):
        raise ValueError(f"{fname}: order must be one of {', '.join(map(repr, allowed))}, got {order!r}.")
    if o in ("A", "K"):
        fortran = isinstance(a, np.ndarray) and a.flags.f_contiguous and not a.flags.c_contiguous
        return "F" if fortran else "C"
    return o


def reshape(
    a: ArrayLike, shape: Shape | None = None, order: str | None = "C", *, newshape: Shape | None = None
) -> Array:
    """Give `a` a new shape (one entry may be -1), reading and writing the elements in C
    (last index fastest), F (first index fastest) or A order (F for a Fortran-contiguous
    NumPy array, C otherwise; a traced value counts as C-contiguous).

    Args:
        a: Input array.
        shape: Shape of the result (an int or a tuple of ints).
        order: Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.
        newshape: Deprecated NumPy name for `shape`.

    Returns:
        The reshaped array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.reshape(fnp.arange(6.0), (2, -1)).shape
        (2, 3)
        >>> fnp.reshape(fnp.arange(6.0), (2, 3), order="F")
        array([[0., 2., 4.],
               [1., 3., 5.]])
    """
    a = coerce(a)
    shape = newshape if shape is None else shape
    newshape = _resolve_shape(shape, size(a))
    if order == "C" or _memory_order(a, order, "reshape", "CFA") == "C":
        return st.reshape(a, newshape)
    # F order is C order on the reversed axes: transposes around a C-order reshape
    nd = _ndim(a)
    flipped = st.reshape(st.transpose(a, tuple(range(nd))[::-1]), newshape[::-1])
    return st.transpose(flipped, tuple(range(len(newshape)))[::-1])


def ravel(a: ArrayLike, order: str | None = "C") -> Array:
    """The elements of `a` in a 1-d array, read in C, F, A (as `reshape`) or K order
    (the order of a NumPy array's memory; C for a traced value).

    Args:
        a: Input array.
        order: Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.

    Returns:
        A 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.ravel(fnp.array([[1.0, 2.0], [3.0, 4.0]]), order="F")
        array([1., 3., 2., 4.])
    """
    a = coerce(a)
    if order in ("K", "k") and isinstance(a, np.ndarray):
        # axes from the largest stride to the smallest; NumPy keeps the index order within
        # an axis (a negative stride is not reversed)
        perm = tuple(sorted(range(a.ndim), key=lambda i: -abs(a.strides[i])))
        return st.reshape(st.transpose(a, perm), (a.size,))
    return reshape(a, (-1,), _memory_order(a, order, "ravel", "CFAK"))


# ---------------------------------------------------------- transpose-like operations


def transpose(a: ArrayLike, axes: Sequence[int] | None = None) -> Array:
    """Permute the axes (reverse them by default).

    Args:
        a: Input array.
        axes: The permutation of the axes (default: reversed).

    Returns:
        The array with its axes permuted.
    """
    a = coerce(a)
    nd = _ndim(a)
    perm = tuple(range(nd))[::-1] if axes is None else tuple(normalize_axis(p, nd, "transpose") for p in axes)
    if sorted(perm) != list(range(nd)):
        raise ValueError(f"transpose: axes {axes!r} are not a permutation of the {nd} axes.")
    return st.transpose(a, perm)


def moveaxis(a: ArrayLike, source: int | Sequence[int], destination: int | Sequence[int]) -> Array:
    """Move the axes `source` (an int or a sequence) to the positions `destination`;
    the other axes keep their order. Differentiable: the transpose moves them back.

    Args:
        a: Input array.
        source: Original position(s) of the axes to move.
        destination: New position(s) of those axes.

    Returns:
        The array with the axes moved.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.moveaxis(fnp.zeros((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """
    a = coerce(a)
    nd = _ndim(a)
    src = [normalize_axis(s, nd, "moveaxis") for s in np.atleast_1d(source)]
    dst = [normalize_axis(d, nd, "moveaxis") for d in np.atleast_1d(destination)]
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of elements.")
    order = [n for n in range(nd) if n not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return st.transpose(a, tuple(order))


def swapaxes(a: ArrayLike, axis1: int, axis2: int) -> Array:
    """Exchange the axes `axis1` and `axis2`.

    Args:
        a: Input array.
        axis1: First axis of the 2-d sub-arrays.
        axis2: Second axis of the 2-d sub-arrays.

    Returns:
        The array with the two axes exchanged.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.swapaxes(fnp.zeros((2, 3, 4)), 0, 2).shape
        (4, 3, 2)
    """
    a = coerce(a)
    nd = _ndim(a)
    perm = list(range(nd))
    i, j = normalize_axis(axis1, nd, "swapaxes"), normalize_axis(axis2, nd, "swapaxes")
    perm[i], perm[j] = perm[j], perm[i]
    return st.transpose(a, tuple(perm))


def rollaxis(a: ArrayLike, axis: int, start: int = 0) -> Array:
    """Move `axis` to just before position `start` (prefer `moveaxis`, as NumPy says).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        start: First value of the sequence.

    Returns:
        The array with the axis moved.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.rollaxis(fnp.zeros((2, 3, 4)), 2).shape
        (4, 2, 3)
    """
    a = asarray(a)
    n = ndim(a)
    axis = normalize_axis(axis, n, "rollaxis")
    start = int(start)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise ValueError(f"rollaxis: start must satisfy {-n} <= start < {n + 1}, but {start} was passed in.")
    if axis < start:
        start -= 1
    axes = [k for k in range(n) if k != axis]
    axes.insert(start, axis)
    return transpose(a, tuple(axes))


def matrix_transpose(x: ArrayLike, /) -> Array:
    """Swap the last two axes (a stack of matrices, transposed).

    Args:
        x: Input array.

    Returns:
        The array with its last two axes swapped.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.matrix_transpose(fnp.zeros((5, 2, 3))).shape
        (5, 3, 2)
    """
    x = asarray(x)
    if ndim(x) < 2:
        raise ValueError(f"matrix_transpose: the input must be at least 2-dimensional, got shape {shape(x)}.")
    return swapaxes(x, -1, -2)


# ------------------------------------------------------ changing number of dimensions


def atleast_1d(*arys: ArrayLike) -> Array:
    """Views with at least one axis (a scalar becomes shape `(1,)`).

    Args:
        *arys: Arrays (each is converted separately).

    Returns:
        The array (a tuple of arrays for several arguments).
    """
    out = [_arr(a) if _ndim(_arr(a)) >= 1 else st.reshape(_arr(a), (1,)) for a in arys]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_2d(*arys: ArrayLike) -> Array:
    """Views with at least two axes (`(n,)` becomes `(1, n)`).

    Args:
        *arys: Arrays (each is converted separately).

    Returns:
        The array (a tuple of arrays for several arguments).
    """
    out = []
    for a in arys:
        a = _arr(a)
        s = tuple(_shape(a))
        out.append(st.reshape(a, (1,) * (2 - len(s)) + s) if len(s) < 2 else a)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_3d(*arys: ArrayLike) -> Array:
    """Views with at least three axes (`(n,)` -> `(1, n, 1)`, `(m, n)` -> `(m, n, 1)`).

    Args:
        *arys: Arrays (each is converted separately).

    Returns:
        The array (a tuple of arrays for several arguments).
    """
    out = []
    for a in arys:
        a = _arr(a)
        s = tuple(_shape(a))
        new = {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(len(s), s)
        out.append(st.reshape(a, new))
    return out[0] if len(out) == 1 else tuple(out)


def broadcast_to(a: ArrayLike, shape: Shape) -> Array:
    """`a` broadcast to `shape` by NumPy's rules (an error if it cannot be). Its
    derivative sums the cotangent back over the broadcast axes.

    Args:
        a: Input array.
        shape: Shape of the result (an int or a tuple of ints).

    Returns:
        The broadcast array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.broadcast_to(fnp.array([1.0, 2.0]), (2, 2))
        array([[1., 2.],
               [1., 2.]])
        >>> fad.grad(lambda x: fnp.broadcast_to(x, (3, 2)).sum())(fnp.array([1.0, 2.0]))
        array([3., 3.])
    """
    a = coerce(a)
    shape = (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)  # type: ignore[arg-type, union-attr]
    np.broadcast_shapes(_shape(a), shape)  # raises NumPy's error for incompatible shapes
    if len(shape) < _ndim(a):
        raise ValueError(f"broadcast_to: cannot broadcast shape {_shape(a)} to {shape}.")
    return st.broadcast_to(a, shape)


def broadcast_arrays(*args: ArrayLike) -> tuple[Array, ...]:
    """Broadcast the arguments against each other (a tuple, as NumPy 2).

    Args:
        *args: Positional arguments, as NumPy's.

    Returns:
        A tuple of the broadcast arrays.
    """
    args = [_arr(a) for a in args]
    s = np.broadcast_shapes(*(tuple(_shape(a)) for a in args))
    return tuple(st.broadcast_to(a, s) for a in args)


def expand_dims(a: ArrayLike, axis: Axis) -> Array:
    """Insert size-1 axes at `axis` (int or tuple).

    Args:
        a: Input array.
        axis: Position(s) of the new axes in the result.

    Returns:
        The array with the new axes.
    """
    a = coerce(a)
    s = list(_shape(a))
    axes = normalize_axes(axis, len(s) + (len(axis) if isinstance(axis, (tuple, list)) else 1), "expand_dims")
    for ax in axes:
        s.insert(ax, 1)
    return st.reshape(a, tuple(s))


def squeeze(a: ArrayLike, axis: Axis = None) -> Array:
    """Remove size-1 axes (all of them, or those in `axis`).

    Args:
        a: Input array.
        axis: Axes of length 1 to remove (default: all of them).

    Returns:
        The array without those axes.
    """
    a = coerce(a)
    s = _shape(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(s) if n == 1)
    else:
        axes = normalize_axes(axis, len(s), "squeeze")
        for ax in axes:
            if s[ax] != 1:
                raise ValueError(
                    "squeeze: cannot select an axis to squeeze out which has size not equal to one."
                )
    return st.reshape(a, tuple(n for i, n in enumerate(s) if i not in axes))


def broadcast_shapes(*args: Shape) -> tuple[int, ...]:
    """The shape that arrays of the given shapes broadcast to (NumPy's).

    Args:
        *args: Positional arguments, as NumPy's.

    Returns:
        The broadcast shape, a tuple.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.broadcast_shapes((2, 1), (3,))
        (2, 3)
    """
    return np.broadcast_shapes(*args)


def astype(
    x: ArrayLike, dtype: DTypeLike, /, *, copy: bool | None = True, device: str | None = None
) -> Array:
    """`x` converted to `dtype` (a traced value stays traced; complex to real keeps the
    real part, as NumPy, with its warning).

    Args:
        x: Input array.
        dtype: Data type to convert to.
        copy: Accepted for NumPy compatibility.
        device: Accepted for array-API compatibility; only "cpu" (or None).

    Returns:
        The converted array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.astype(fnp.array([1.5, 2.5]), fnp.int64)
        array([1, 2])
    """
    x = asarray(x)
    if isinstance(x, Tracer):
        return x.astype(dtype)
    return x.astype(dtype, copy=copy)


def resize(a: ArrayLike, new_shape: Shape) -> Array:
    """`a` flattened, repeated as often as needed to fill `new_shape` (NumPy's
    `resize`; zeros if `a` is empty). Differentiable in `a`.

    Args:
        a: Input array.
        new_shape: Shape of the result.

    Returns:
        An array of shape `new_shape`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.resize(fnp.array([1.0, 2.0, 3.0]), (2, 2))
        array([[1., 2.],
               [3., 1.]])
    """
    if isinstance(new_shape, (int, np.integer)):
        new_shape = (new_shape,)
    if not isinstance(new_shape, (tuple, list, np.ndarray)):
        raise TypeError(f"resize: new_shape must be an integer or a sequence of integers, got {new_shape!r}.")
    new_shape = tuple(int(s) for s in new_shape)
    if any(s < 0 for s in new_shape):
        raise ValueError("resize: all elements of `new_shape` must be non-negative")
    a = ravel(asarray(a))
    total = int(np.prod(new_shape))
    n = _shape(a)[0]
    if n == 0 or total == 0:
        return np.zeros(new_shape, a.dtype)
    reps = -(-total // n)
    flat = st.concatenate([a] * reps, axis=0) if reps > 1 else a
    return reshape(flat[:total], new_shape)
