"""JAX's `jax.lax` operations that code ports with: `stop_gradient`, the dynamic slices of
loops and scans, the structural operations with XLA's argument conventions (`slice` by
start and limit indices, `pad` with interior padding, `broadcast_in_dim`, `dot_general`),
reductions by axes, cumulative sums and products, and the elementwise functions under their
lax names (`logistic`, `rsqrt`, `integer_pow`, `clamp`, ...).

Each is written with `fad.numpy`, so every transform takes it; the arguments follow
`jax.lax`'s signatures and semantics (start indices of the dynamic slices wrap once when
negative and are then clamped so that the slice fits, as in JAX).
"""

from __future__ import annotations

import builtins
import operator
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import fad.numpy as fnp
from fad import _prims as _ew
from fad._api import stop_gradient as _stop_gradient
from fad._prims.special import polygamma
from fad.numpy._util import google_doc

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike


def _doc(f: Callable[..., Any], summary: str, returns: str, example: str, **args: str) -> None:
    """``f``'s Google-style docstring; ``example``'s lines after its first are indented."""
    first, _, rest = example.partition("\n")
    example = first + "\n" + textwrap.dedent(rest)
    f.__doc__ = google_doc(summary + "\n\n" + example, list(args.items()), returns)


def _array(x: Any) -> Any:
    """``x`` as an array: an array of any library (NumPy, a traced value, Dask, CuPy) as it
    is, so that nothing is converted (or computed); a number or a nested list through
    `fad.numpy.asarray`."""
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return x
    return fnp.asarray(x)


def _ints(values: Any, what: str) -> tuple[int, ...]:
    try:
        return tuple(operator.index(v) for v in values)
    except TypeError:
        raise TypeError(f"{what} must be a sequence of Python ints, got {values!r}.") from None


def _axis(axis: int, ndim: int, fname: str) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"lax.{fname}: axis {axis} is out of range for an array of rank {ndim}.")
    return axis % ndim


# ------------------------------------------------------------------ stop_gradient


def stop_gradient(x: Any) -> Any:
    return _stop_gradient(x)


_doc(
    stop_gradient,
    "`x` with its derivative cut (JAX's `lax.stop_gradient`; the same as `fad.stop_gradient`).",
    "`x`'s value, with the same structure and a zero derivative under every transform.",
    """>>> import fad
    >>> from fad import lax
    >>> fad.grad(lambda x: x * lax.stop_gradient(x))(3.0)
    np.float64(3.0)""",
    x="An array, or a pytree of arrays.",
)


# ------------------------------------------------------------------ dynamic slices


def _starts(start_indices: Any, ndim: int, fname: str) -> list[Any]:
    starts = (
        list(start_indices)
        if not hasattr(start_indices, "shape")
        else [start_indices[i] for i in range(ndim)]
    )
    if len(starts) != ndim:
        raise TypeError(
            f"lax.{fname}: {len(starts)} start indices for an array of rank {ndim}; give one per axis."
        )
    return starts


def _clamped(start: Any, dim: int, size: int) -> Any:
    """JAX's start index: wrapped once if negative, then clamped so that ``size`` fits."""
    s = _array(start)
    if s.dtype.kind not in "iu":
        raise TypeError(f"lax dynamic slices take integer start indices, got dtype {s.dtype}.")
    return fnp.clip(fnp.where(s < 0, s + dim, s), 0, dim - size)


def dynamic_slice(operand: ArrayLike, start_indices: Any, slice_sizes: Sequence[int]) -> Array:
    x = _array(operand)
    sizes = _ints(slice_sizes, "lax.dynamic_slice: slice_sizes")
    starts = _starts(start_indices, x.ndim, "dynamic_slice")
    if len(sizes) != x.ndim or any(not 0 <= s <= d for s, d in zip(sizes, x.shape, strict=True)):
        raise TypeError(
            f"lax.dynamic_slice: slice_sizes {sizes} do not fit an array of shape {x.shape}; "
            "give one size per axis, each between 0 and the axis' length."
        )
    for axis, (start, size) in enumerate(zip(starts, sizes, strict=True)):
        dim = x.shape[axis]
        if size != dim:
            x = fnp.take(x, _clamped(start, dim, size) + fnp.arange(size), axis=axis)
    return x


_doc(
    dynamic_slice,
    "The slice of `operand` of shape `slice_sizes` starting at `start_indices`, which may be "
    "traced values (JAX's `lax.dynamic_slice`).",
    "The slice, of shape `slice_sizes`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dynamic_slice(np.arange(10.0), (8,), (3,))  # clamped so that it fits
    array([7., 8., 9.])""",
    operand="The array to slice.",
    start_indices="One integer start per axis (a negative one counts from the end once); "
    "each is clamped so that the slice fits.",
    slice_sizes="The slice's length along each axis (Python ints).",
)


def dynamic_update_slice(operand: ArrayLike, update: ArrayLike, start_indices: Any) -> Array:
    x, u = _array(operand), _array(update)
    if u.ndim != x.ndim or any(s > d for s, d in zip(u.shape, x.shape, strict=True)):
        raise TypeError(
            f"lax.dynamic_update_slice: an update of shape {u.shape} does not fit an operand of "
            f"shape {x.shape}; give it the operand's rank and at most its lengths."
        )
    starts = _starts(start_indices, x.ndim, "dynamic_update_slice")
    index = tuple(
        fnp.reshape(_clamped(s, d, n) + fnp.arange(n), (n,) + (1,) * (x.ndim - 1 - k))
        for k, (s, d, n) in enumerate(zip(starts, x.shape, u.shape, strict=True))
    )
    return fnp.at(x)[index].set(u.astype(x.dtype))


_doc(
    dynamic_update_slice,
    "`operand` with the block `update` written at `start_indices`, which may be traced "
    "values (JAX's `lax.dynamic_update_slice`).",
    "A new array of `operand`'s shape and dtype.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dynamic_update_slice(np.zeros(5), np.ones(2), (4,))  # clamped so that it fits
    array([0., 0., 0., 1., 1.])""",
    operand="The array to update.",
    update="The block to write, of `operand`'s rank.",
    start_indices="One integer start per axis (a negative one counts from the end once); "
    "each is clamped so that the block fits.",
)


def _at_axis(x: Any, axis: int, start: Any, fill: Any) -> list[Any]:
    starts: list[Any] = [fill] * x.ndim
    starts[axis] = start
    return starts


def dynamic_slice_in_dim(operand: ArrayLike, start_index: Any, slice_size: int, axis: int = 0) -> Array:
    x = _array(operand)
    axis = _axis(axis, x.ndim, "dynamic_slice_in_dim")
    sizes = list(x.shape)
    sizes[axis] = slice_size
    return dynamic_slice(x, _at_axis(x, axis, start_index, 0), sizes)


_doc(
    dynamic_slice_in_dim,
    "`dynamic_slice` along one axis (JAX's `lax.dynamic_slice_in_dim`).",
    "The slice: `operand` with `slice_size` entries along `axis`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dynamic_slice_in_dim(np.arange(6.0).reshape(2, 3), 1, 2, axis=1)
    array([[1., 2.],
           [4., 5.]])""",
    operand="The array to slice.",
    start_index="The integer start along `axis` (may be traced).",
    slice_size="The slice's length along `axis`.",
    axis="The axis.",
)


def dynamic_index_in_dim(operand: ArrayLike, index: Any, axis: int = 0, keepdims: bool = True) -> Array:
    x = _array(operand)
    axis = _axis(axis, x.ndim, "dynamic_index_in_dim")
    out = dynamic_slice_in_dim(x, index, 1, axis)
    return out if keepdims else fnp.squeeze(out, axis=axis)


_doc(
    dynamic_index_in_dim,
    "The entry at `index` along `axis`, which may be a traced value (JAX's `lax.dynamic_index_in_dim`).",
    "`operand` at `index` along `axis`, that axis kept with length 1 if `keepdims`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dynamic_index_in_dim(np.arange(6.0).reshape(2, 3), 2, axis=1, keepdims=False)
    array([2., 5.])""",
    operand="The array to index.",
    index="The integer index along `axis` (may be traced).",
    axis="The axis.",
    keepdims="Whether to keep `axis` with length 1.",
)


def dynamic_update_slice_in_dim(operand: ArrayLike, update: ArrayLike, start_index: Any, axis: int) -> Array:
    x = _array(operand)
    axis = _axis(axis, x.ndim, "dynamic_update_slice_in_dim")
    return dynamic_update_slice(x, update, _at_axis(x, axis, start_index, 0))


_doc(
    dynamic_update_slice_in_dim,
    "`dynamic_update_slice` along one axis (JAX's `lax.dynamic_update_slice_in_dim`).",
    "A new array of `operand`'s shape and dtype.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dynamic_update_slice_in_dim(np.zeros((2, 3)), np.ones((2, 1)), 1, axis=1)
    array([[0., 1., 0.],
           [0., 1., 0.]])""",
    operand="The array to update.",
    update="The block to write: `operand`'s shape but along `axis`.",
    start_index="The integer start along `axis` (may be traced).",
    axis="The axis.",
)


def dynamic_update_index_in_dim(operand: ArrayLike, update: ArrayLike, index: Any, axis: int) -> Array:
    x, u = _array(operand), _array(update)
    axis = _axis(axis, x.ndim, "dynamic_update_index_in_dim")
    if u.ndim == x.ndim - 1:
        u = fnp.expand_dims(u, axis)
    return dynamic_update_slice_in_dim(x, u, index, axis)


_doc(
    dynamic_update_index_in_dim,
    "`operand` with the entry at `index` along `axis` replaced by `update` (JAX's "
    "`lax.dynamic_update_index_in_dim`).",
    "A new array of `operand`'s shape and dtype.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dynamic_update_index_in_dim(np.zeros((2, 2)), np.ones(2), 1, axis=0)
    array([[0., 0.],
           [1., 1.]])""",
    operand="The array to update.",
    update="The new entry: `operand`'s shape without `axis` (or with it of length 1).",
    index="The integer index along `axis` (may be traced).",
    axis="The axis.",
)


# ------------------------------------------------------------------ structure


def slice(  # noqa: A001 - JAX's name
    operand: ArrayLike,
    start_indices: Sequence[int],
    limit_indices: Sequence[int],
    strides: Sequence[int] | None = None,
) -> Array:
    x = _array(operand)
    lo, hi = (
        _ints(start_indices, "lax.slice: start_indices"),
        _ints(limit_indices, "lax.slice: limit_indices"),
    )
    st = (1,) * x.ndim if strides is None else _ints(strides, "lax.slice: strides")
    if not len(lo) == len(hi) == len(st) == x.ndim:
        raise TypeError(f"lax.slice: give one start, limit and stride per axis of the shape {x.shape}.")
    return x[tuple(builtins.slice(a, b, c) for a, b, c in zip(lo, hi, st, strict=True))]


_doc(
    slice,
    "The static slice `operand[start:limit:stride]` along every axis (JAX's `lax.slice`).",
    "The slice.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.slice(np.arange(10.0), (1,), (7,), (2,))
    array([1., 3., 5.])""",
    operand="The array to slice.",
    start_indices="The start along each axis.",
    limit_indices="The (exclusive) end along each axis.",
    strides="The step along each axis (1 by default).",
)


def slice_in_dim(
    operand: ArrayLike, start_index: int | None, limit_index: int | None, stride: int = 1, axis: int = 0
) -> Array:
    x = _array(operand)
    axis = _axis(axis, x.ndim, "slice_in_dim")
    index = [builtins.slice(None)] * x.ndim
    index[axis] = builtins.slice(start_index, limit_index, stride)
    return x[tuple(index)]


_doc(
    slice_in_dim,
    "`slice` along one axis (JAX's `lax.slice_in_dim`).",
    "The slice.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.slice_in_dim(np.arange(6.0).reshape(2, 3), 1, 3, axis=1)
    array([[1., 2.],
           [4., 5.]])""",
    operand="The array to slice.",
    start_index="The start along `axis` (None: 0).",
    limit_index="The (exclusive) end along `axis` (None: its length).",
    stride="The step.",
    axis="The axis.",
)


def index_in_dim(operand: ArrayLike, index: int, axis: int = 0, keepdims: bool = True) -> Array:
    x = _array(operand)
    axis = _axis(axis, x.ndim, "index_in_dim")
    i = operator.index(index)
    if not -x.shape[axis] <= i < x.shape[axis]:
        raise IndexError(
            f"lax.index_in_dim: index {i} is out of range for axis {axis} of length {x.shape[axis]}."
        )
    at = (builtins.slice(None),) * axis
    return x[at + (builtins.slice(i, i + 1 if i != -1 else None),)] if keepdims else x[at + (i,)]


_doc(
    index_in_dim,
    "The entry at a static `index` along `axis` (JAX's `lax.index_in_dim`).",
    "`operand` at `index` along `axis`, that axis kept with length 1 if `keepdims`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.index_in_dim(np.arange(6.0).reshape(2, 3), -1, axis=1)
    array([[2.],
           [5.]])""",
    operand="The array to index.",
    index="The index along `axis` (a Python int; negative counts from the end).",
    axis="The axis.",
    keepdims="Whether to keep `axis` with length 1.",
)


def pad(
    operand: ArrayLike, padding_value: ArrayLike, padding_config: Sequence[tuple[int, int, int]]
) -> Array:
    x = _array(operand)
    config = [_ints(c, "lax.pad: each entry of padding_config") for c in padding_config]
    if len(config) != x.ndim or any(len(c) != 3 or c[2] < 0 for c in config):
        raise TypeError(
            f"lax.pad: padding_config needs one (low, high, interior) per axis of the shape "
            f"{x.shape}, interior >= 0; got {list(padding_config)!r}."
        )
    value = _array(padding_value).astype(x.dtype)
    if value.ndim:
        raise TypeError(f"lax.pad: padding_value must be a scalar, got shape {value.shape}.")
    # interior padding first: the entries spread out by interior + 1, the gaps filled
    shape = tuple(n + max(n - 1, 0) * c[2] for n, c in zip(x.shape, config, strict=True))
    if shape != x.shape:
        index = tuple(builtins.slice(None, None, c[2] + 1) for c in config)
        x = fnp.at(fnp.broadcast_to(value, shape))[index].set(x)
    # then the edges: a positive low/high adds, a negative one removes
    widths = [(max(c[0], 0), max(c[1], 0)) for c in config]
    if any(w != (0, 0) for w in widths):
        x = fnp.pad(x, widths, constant_values=value)
    crop = tuple(builtins.slice(-min(c[0], 0), x.shape[k] + min(c[1], 0)) for k, c in enumerate(config))
    return x[crop]


_doc(
    pad,
    "`operand` padded with `padding_value`: `(low, high, interior)` entries per axis, before, "
    "after and between its entries; a negative `low` or `high` removes entries (JAX's "
    "`lax.pad`).",
    "The padded array.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.pad(np.array([1.0, 2.0, 3.0]), 0.0, [(1, -1, 1)])
    array([0., 1., 0., 2., 0.])""",
    operand="The array to pad.",
    padding_value="The scalar to pad with (its derivative is that of every padded entry).",
    padding_config="One `(low, high, interior)` triple of ints per axis.",
)


def broadcast(operand: ArrayLike, sizes: Sequence[int]) -> Array:
    x = _array(operand)
    return fnp.broadcast_to(x, _ints(sizes, "lax.broadcast: sizes") + x.shape)


_doc(
    broadcast,
    "`operand` repeated along new leading axes of lengths `sizes` (JAX's `lax.broadcast`).",
    "An array of shape `sizes + operand.shape`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.broadcast(np.array([1.0, 2.0]), (2,))
    array([[1., 2.],
           [1., 2.]])""",
    operand="The array.",
    sizes="The lengths of the new leading axes.",
)


def broadcast_in_dim(operand: ArrayLike, shape: Sequence[int], broadcast_dimensions: Sequence[int]) -> Array:
    x = _array(operand)
    shape = _ints(shape, "lax.broadcast_in_dim: shape")
    dims = _ints(broadcast_dimensions, "lax.broadcast_in_dim: broadcast_dimensions")
    if (
        len(dims) != x.ndim
        or any(not 0 <= d < len(shape) or x.shape[k] not in (1, shape[d]) for k, d in enumerate(dims))
        or list(dims) != sorted(dims)
    ):
        raise TypeError(
            f"lax.broadcast_in_dim: an operand of shape {x.shape} does not go to shape {shape} "
            f"along dimensions {dims}: give one increasing output axis per operand axis, where "
            "the operand's length is 1 or the output's."
        )
    placed = [1] * len(shape)
    for k, d in enumerate(dims):
        placed[d] = x.shape[k]
    return fnp.broadcast_to(fnp.reshape(x, tuple(placed)), shape)


_doc(
    broadcast_in_dim,
    "`operand` broadcast to `shape`, its axis `k` becoming the output's axis "
    "`broadcast_dimensions[k]` (JAX's `lax.broadcast_in_dim`).",
    "An array of shape `shape`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.broadcast_in_dim(np.array([1.0, 2.0]), (2, 3), (0,))
    array([[1., 1., 1.],
           [2., 2., 2.]])""",
    operand="The array.",
    shape="The output's shape.",
    broadcast_dimensions="For each axis of `operand`, the output axis it becomes (increasing).",
)


def reshape(operand: ArrayLike, new_sizes: Sequence[int], dimensions: Sequence[int] | None = None) -> Array:
    x = _array(operand)
    if dimensions is not None:
        x = fnp.transpose(x, _ints(dimensions, "lax.reshape: dimensions"))
    return fnp.reshape(x, _ints(new_sizes, "lax.reshape: new_sizes"))


_doc(
    reshape,
    "`operand` with the shape `new_sizes`, in row-major order after transposing by "
    "`dimensions` (JAX's `lax.reshape`; no `-1`).",
    "The reshaped array.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.reshape(np.arange(6.0), (2, 3), None)
    array([[0., 1., 2.],
           [3., 4., 5.]])""",
    operand="The array.",
    new_sizes="The new shape.",
    dimensions="A permutation applied first, or None.",
)


def transpose(operand: ArrayLike, permutation: Sequence[int]) -> Array:
    return fnp.transpose(operand, _ints(permutation, "lax.transpose: permutation"))


_doc(
    transpose,
    "`operand` with its axes permuted (JAX's `lax.transpose`).",
    "The transposed array.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.transpose(np.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)""",
    operand="The array.",
    permutation="The new order of the axes.",
)


def expand_dims(array: ArrayLike, dimensions: Sequence[int]) -> Array:
    return fnp.expand_dims(array, _ints(dimensions, "lax.expand_dims: dimensions"))


_doc(
    expand_dims,
    "`array` with axes of length 1 inserted at `dimensions` (JAX's `lax.expand_dims`).",
    "The array with the new axes.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.expand_dims(np.ones(3), (0, 2)).shape
    (1, 3, 1)""",
    array="The array.",
    dimensions="The positions of the new axes, in the output.",
)


def squeeze(array: ArrayLike, dimensions: Sequence[int]) -> Array:
    return fnp.squeeze(array, axis=_ints(dimensions, "lax.squeeze: dimensions"))


_doc(
    squeeze,
    "`array` without the axes `dimensions`, each of length 1 (JAX's `lax.squeeze`).",
    "The array without those axes.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.squeeze(np.ones((1, 3, 1)), (0,)).shape
    (3, 1)""",
    array="The array.",
    dimensions="The axes to remove.",
)


def rev(operand: ArrayLike, dimensions: Sequence[int]) -> Array:
    return fnp.flip(operand, axis=_ints(dimensions, "lax.rev: dimensions"))


_doc(
    rev,
    "`operand` reversed along `dimensions` (JAX's `lax.rev`).",
    "The reversed array.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.rev(np.arange(3.0), (0,))
    array([2., 1., 0.])""",
    operand="The array.",
    dimensions="The axes to reverse.",
)


def concatenate(operands: Sequence[ArrayLike], dimension: int) -> Array:
    return fnp.concatenate([_array(o) for o in operands], axis=operator.index(dimension))


_doc(
    concatenate,
    "The arrays joined along `dimension` (JAX's `lax.concatenate`).",
    "The joined array.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.concatenate([np.zeros(2), np.ones(1)], 0)
    array([0., 0., 1.])""",
    operands="The arrays, of one rank and equal lengths but along `dimension`.",
    dimension="The axis to join along.",
)


def full(shape: Sequence[int], fill_value: ArrayLike, dtype: Any = None) -> Array:
    return fnp.full(_ints(shape, "lax.full: shape"), fill_value, dtype=dtype)


_doc(
    full,
    "An array of shape `shape` filled with `fill_value` (JAX's `lax.full`).",
    "The array.",
    """>>> from fad import lax
    >>> lax.full((2,), 3.0)
    array([3., 3.])""",
    shape="The shape.",
    fill_value="The scalar value (differentiable).",
    dtype="The dtype (by default `fill_value`'s).",
)


def full_like(
    x: ArrayLike, fill_value: ArrayLike, dtype: Any = None, shape: Sequence[int] | None = None
) -> Array:
    a = _array(x)
    return fnp.full(
        a.shape if shape is None else _ints(shape, "lax.full_like: shape"), fill_value, dtype=dtype or a.dtype
    )


_doc(
    full_like,
    "An array like `x` (its shape and dtype, unless given) filled with `fill_value` (JAX's `lax.full_like`).",
    "The array.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.full_like(np.zeros(2, np.float32), 1.5)
    array([1.5, 1.5], dtype=float32)""",
    x="The array to take the shape and dtype from.",
    fill_value="The scalar value (differentiable).",
    dtype="The dtype (by default `x`'s).",
    shape="The shape (by default `x`'s).",
)


def iota(dtype: Any, size: int) -> Array:
    return fnp.arange(operator.index(size), dtype=dtype)


_doc(
    iota,
    "`0, 1, ..., size - 1` in `dtype` (JAX's `lax.iota`).",
    "A 1-D array of length `size`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.iota(np.int32, 3)
    array([0, 1, 2], dtype=int32)""",
    dtype="The dtype.",
    size="The length.",
)


def convert_element_type(operand: ArrayLike, new_dtype: Any) -> Array:
    x = _array(operand)
    new = np.dtype(new_dtype)
    if x.dtype.kind == "c" and new.kind != "c":
        x = fnp.real(x)  # (as JAX: the real part, without NumPy's ComplexWarning)
    return x.astype(new)


_doc(
    convert_element_type,
    "`operand` cast to `new_dtype` (JAX's `lax.convert_element_type`: a complex value keeps its real part).",
    "The cast array; its derivative is cast too (none to an integer dtype).",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.convert_element_type(np.array([1.5, -2.5]), np.int32)
    array([ 1, -2], dtype=int32)""",
    operand="The array.",
    new_dtype="The dtype to cast to.",
)


def sort(operand: Any, dimension: int = -1, is_stable: bool = True, num_keys: int = 1) -> Any:
    if isinstance(operand, (tuple, list)):
        xs = [_array(o) for o in operand]
        if not 1 <= num_keys <= len(xs):
            raise ValueError(f"lax.sort: num_keys={num_keys} with {len(xs)} operands.")
        keys = xs[:num_keys][::-1]  # (lexsort takes the primary key last)
        order = (
            fnp.lexsort(keys, axis=dimension)
            if num_keys > 1
            else fnp.argsort(keys[0], axis=dimension, stable=True)
        )
        return tuple(fnp.take_along_axis(x, order, axis=dimension) for x in xs)
    if num_keys != 1:
        raise ValueError("lax.sort: num_keys > 1 needs a tuple of operands.")
    return fnp.sort(operand, axis=dimension, stable=True)


_doc(
    sort,
    "`operand` sorted along `dimension`; a tuple of operands is sorted by its first "
    "`num_keys` (lexicographically), the others carried along (JAX's `lax.sort`). The sort is "
    "always stable; NaN sorts last.",
    "The sorted array, or the tuple of sorted arrays.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.sort((np.array([2.0, 1.0, 3.0]), np.array([20.0, 10.0, 30.0])))
    (array([1., 2., 3.]), array([10., 20., 30.]))""",
    operand="An array, or a tuple of arrays of one shape.",
    dimension="The axis to sort along.",
    is_stable="Accepted for JAX's signature; the sort is stable either way.",
    num_keys="How many leading operands of a tuple are sort keys.",
)


def top_k(operand: ArrayLike, k: int, *, axis: int = -1) -> tuple[Array, Array]:
    x = _array(operand)
    k = operator.index(k)
    axis = _axis(axis, x.ndim, "top_k")
    if not 0 <= k <= x.shape[axis]:
        raise ValueError(f"lax.top_k: k={k} is not between 0 and the length {x.shape[axis]} of axis {axis}.")
    # descending, the lower index first among ties: a stable sort of the negated keys
    order = fnp.argsort(
        -stop_gradient(x) if x.dtype.kind in "fc" else -x.astype(np.int64), axis=axis, stable=True
    )
    order = fnp.take(order, fnp.arange(k), axis=axis)
    return fnp.take_along_axis(x, order, axis=axis), order.astype(np.int32)


_doc(
    top_k,
    "The `k` largest entries along `axis`, largest first, with their indices (JAX's "
    "`lax.top_k`; among equal entries the lower index comes first).",
    "`(values, indices)`: `operand`'s shape with `k` along `axis`; the indices are int32.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.top_k(np.array([1.0, 3.0, 2.0]), 2)
    (array([3., 2.]), array([1, 2], dtype=int32))""",
    operand="The array.",
    k="How many entries.",
    axis="The axis (the last by default).",
)


# ------------------------------------------------------------------ products


def dot(lhs: ArrayLike, rhs: ArrayLike, precision: Any = None, preferred_element_type: Any = None) -> Array:
    a, b = _array(lhs), _array(rhs)
    if a.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise TypeError(
            f"lax.dot takes vectors and matrices, got shapes {a.shape} and {b.shape}; use dot_general."
        )
    out = fnp.dot(a, b)
    return out if preferred_element_type is None else out.astype(preferred_element_type)


_doc(
    dot,
    "The product of vectors and matrices (JAX's `lax.dot`).",
    "The product.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.dot(np.ones((2, 3)), np.arange(3.0))
    array([3., 3.])""",
    lhs="A vector or a matrix.",
    rhs="A vector or a matrix.",
    precision="Accepted for JAX's signature (NumPy computes in the arrays' precision).",
    preferred_element_type="The result's dtype, or None.",
)

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def dot_general(
    lhs: ArrayLike,
    rhs: ArrayLike,
    dimension_numbers: Any,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Array:
    a, b = _array(lhs), _array(rhs)
    try:
        (lc, rc), (lb, rb) = dimension_numbers
        lc, rc, lb, rb = (_ints(d, "") for d in (lc, rc, lb, rb))
    except (TypeError, ValueError):
        raise TypeError(
            "lax.dot_general: dimension_numbers is ((lhs_contracting, rhs_contracting), "
            f"(lhs_batch, rhs_batch)), tuples of axes; got {dimension_numbers!r}."
        ) from None
    if len(lc) != len(rc) or len(lb) != len(rb) or a.ndim + b.ndim > len(_LETTERS):
        raise TypeError(f"lax.dot_general: unmatched dimension_numbers {dimension_numbers!r}.")
    la, lb_ = list(_LETTERS[: a.ndim]), list(_LETTERS[a.ndim : a.ndim + b.ndim])
    for i, j in (*zip(lc, rc, strict=True), *zip(lb, rb, strict=True)):
        if a.shape[i] != b.shape[j]:
            raise TypeError(
                f"lax.dot_general: axis {i} of lhs (length {a.shape[i]}) meets axis {j} of rhs "
                f"(length {b.shape[j]})."
            )
        lb_[j] = la[i]
    batch = [la[i] for i in lb]
    free_a = [la[i] for i in range(a.ndim) if i not in lc and i not in lb]
    free_b = [lb_[j] for j in range(b.ndim) if j not in rc and j not in rb]
    spec = f"{''.join(la)},{''.join(lb_)}->{''.join(batch + free_a + free_b)}"
    out = fnp.einsum(spec, a, b)
    return out if preferred_element_type is None else out.astype(preferred_element_type)


_doc(
    dot_general,
    "The general tensor contraction (JAX's `lax.dot_general`): the result's axes are the "
    "batch axes, then `lhs`'s free axes, then `rhs`'s.",
    "The contraction.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> a, b = np.ones((4, 2, 3)), np.ones((4, 3, 5))
    >>> lax.dot_general(a, b, (((2,), (1,)), ((0,), (0,)))).shape  # a batched matmul
    (4, 2, 5)""",
    lhs="The left array.",
    rhs="The right array.",
    dimension_numbers="`((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch))`, tuples of axes.",
    precision="Accepted for JAX's signature (NumPy computes in the arrays' precision).",
    preferred_element_type="The result's dtype, or None.",
)


# ------------------------------------------------------------------ reductions


def _reduction(fn: Callable[..., Any], name: str, what: str) -> Callable[..., Any]:
    def reduce(operand: ArrayLike, axes: Sequence[int]) -> Array:
        return fn(operand, axis=_ints(axes, f"lax.{name}: axes"))

    reduce.__name__ = reduce.__qualname__ = name
    _doc(
        reduce,
        f"The {what} of `operand` over `axes` (JAX's `lax.{name}`).",
        "`operand` without `axes`.",
        f""">>> import numpy as np
    >>> from fad import lax
    >>> lax.{name}(np.arange(1.0, 7.0).reshape(2, 3), (1,))
    {fn(np.arange(1.0, 7.0).reshape(2, 3), axis=1)!r}""",
        operand="The array.",
        axes="The axes to reduce.",
    )
    return reduce


reduce_sum = _reduction(fnp.sum, "reduce_sum", "sum")
reduce_prod = _reduction(fnp.prod, "reduce_prod", "product")
reduce_max = _reduction(fnp.max, "reduce_max", "maximum")
reduce_min = _reduction(fnp.min, "reduce_min", "minimum")


def _arg(fn: Callable[..., Any], name: str, what: str) -> Callable[..., Any]:
    def arg(operand: ArrayLike, axis: int, index_dtype: Any) -> Array:
        return fn(operand, axis=operator.index(axis)).astype(index_dtype)

    arg.__name__ = arg.__qualname__ = name
    _doc(
        arg,
        f"The index of the {what} along `axis`, the first among ties (JAX's `lax.{name}`).",
        "`operand` without `axis`, as `index_dtype`.",
        f""">>> import numpy as np
    >>> from fad import lax
    >>> lax.{name}(np.array([[1.0, 3.0], [4.0, 2.0]]), 1, np.int32)
    {fn(np.array([[1.0, 3.0], [4.0, 2.0]]), axis=1).astype(np.int32)!r}""",
        operand="The array.",
        axis="The axis.",
        index_dtype="The integer dtype of the result.",
    )
    return arg


argmax = _arg(fnp.argmax, "argmax", "largest entry")
argmin = _arg(fnp.argmin, "argmin", "smallest entry")


def _cumulative(fn: Callable[..., Any], name: str, what: str) -> Callable[..., Any]:
    def cumulative(operand: ArrayLike, axis: int = 0, reverse: bool = False) -> Array:
        x = _array(operand)
        axis = _axis(axis, x.ndim, name)
        if reverse:
            return fnp.flip(fn(fnp.flip(x, axis=axis), axis=axis), axis=axis)
        return fn(x, axis=axis)

    cumulative.__name__ = cumulative.__qualname__ = name
    _doc(
        cumulative,
        f"The running {what} along `axis`, from its end if `reverse` (JAX's `lax.{name}`).",
        "An array of `operand`'s shape.",
        f""">>> import numpy as np
    >>> from fad import lax
    >>> lax.{name}(np.arange(1.0, 5.0), reverse=True)
    {np.flip(fn(np.arange(4.0, 0.0, -1.0)))!r}""",
        operand="The array.",
        axis="The axis.",
        reverse="Whether to accumulate from the end.",
    )
    return cumulative


cumsum = _cumulative(fnp.cumsum, "cumsum", "sum")
cumprod = _cumulative(fnp.cumprod, "cumprod", "product")


# ------------------------------------------------------------------ elementwise


def integer_pow(x: ArrayLike, y: int) -> Array:
    return fnp.power(x, operator.index(y))


_doc(
    integer_pow,
    "`x ** y` for a Python integer `y` (JAX's `lax.integer_pow`).",
    "`x` raised to `y`, elementwise.",
    """>>> import fad
    >>> from fad import lax
    >>> fad.grad(lambda x: lax.integer_pow(x, 3))(2.0)
    np.float64(12.0)""",
    x="The base.",
    y="The exponent, a Python int.",
)


def clamp(min: ArrayLike, x: ArrayLike, max: ArrayLike) -> Array:  # noqa: A002 - JAX's names
    return fnp.minimum(fnp.maximum(x, min), max)


_doc(
    clamp,
    "`x` clamped to `[min, max]` (JAX's `lax.clamp`; note the argument order).",
    "`minimum(maximum(x, min), max)`.",
    """>>> import numpy as np
    >>> from fad import lax
    >>> lax.clamp(0.0, np.array([-1.0, 0.5, 2.0]), 1.0)
    array([0. , 0.5, 1. ])""",
    min="The lower bound.",
    x="The array.",
    max="The upper bound.",
)


def _digamma(x: ArrayLike) -> Array:
    return polygamma(_array(x), n=0)


def _special(fn: Callable[..., Any]) -> Callable[..., Any]:
    return lambda x: fn(_array(x))


#: lax name -> (the function, what it computes, its value at 0.5 (1.5 for acosh), shown in
#: its docstring's example and checked by the doctest): all take one array
_UNARY: dict[str, tuple[Callable[..., Any], str, Any]] = {
    "abs": (fnp.abs, "`|x|`", 0.5),
    "acos": (fnp.arccos, "the arc cosine", 1.047198),
    "acosh": (fnp.arccosh, "the inverse hyperbolic cosine", 0.962424),
    "asin": (fnp.arcsin, "the arc sine", 0.523599),
    "asinh": (fnp.arcsinh, "the inverse hyperbolic sine", 0.481212),
    "atan": (fnp.arctan, "the arc tangent", 0.463648),
    "atanh": (fnp.arctanh, "the inverse hyperbolic tangent", 0.549306),
    "cbrt": (fnp.cbrt, "the cube root", 0.793701),
    "ceil": (fnp.ceil, "the ceiling", 1.0),
    "conj": (fnp.conj, "the complex conjugate", 0.5),
    "cos": (fnp.cos, "the cosine", 0.877583),
    "cosh": (fnp.cosh, "the hyperbolic cosine", 1.127626),
    "exp": (fnp.exp, "`e ** x`", 1.648721),
    "exp2": (fnp.exp2, "`2 ** x`", 1.414214),
    "expm1": (fnp.expm1, "`e ** x - 1`", 0.648721),
    "floor": (fnp.floor, "the floor", 0.0),
    "imag": (fnp.imag, "the imaginary part", 0.0),
    "is_finite": (fnp.isfinite, "whether `x` is finite", True),
    "log": (fnp.log, "the natural logarithm", -0.693147),
    "log1p": (fnp.log1p, "`log(1 + x)`", 0.405465),
    "neg": (fnp.negative, "`-x`", -0.5),
    "real": (fnp.real, "the real part", 0.5),
    "sign": (fnp.sign, "the sign", 1.0),
    "sin": (fnp.sin, "the sine", 0.479426),
    "sinh": (fnp.sinh, "the hyperbolic sine", 0.521095),
    "sqrt": (fnp.sqrt, "the square root", 0.707107),
    "square": (fnp.square, "`x * x`", 0.25),
    "tan": (fnp.tan, "the tangent", 0.546302),
    "tanh": (fnp.tanh, "the hyperbolic tangent", 0.462117),
    "rsqrt": (lambda x: 1.0 / fnp.sqrt(x), "`1 / sqrt(x)`", 1.414214),
    "logistic": (_special(_ew.expit), "the logistic sigmoid `1 / (1 + exp(-x))`", 0.622459),
    "erf": (_special(_ew.erf), "the error function", 0.5205),
    "erfc": (_special(_ew.erfc), "the complementary error function", 0.4795),
    "erf_inv": (_special(_ew.erfinv), "the inverse error function", 0.476936),
    "lgamma": (_special(_ew.gammaln), "`log|Gamma(x)|`", 0.572365),
    "digamma": (_digamma, "the digamma function", -1.96351),
}

#: lax name -> (the function, what it computes): all take two arrays
_BINARY: dict[str, tuple[Callable[..., Any], str]] = {
    "add": (fnp.add, "`x + y`"),
    "sub": (fnp.subtract, "`x - y`"),
    "mul": (fnp.multiply, "`x * y`"),
    "div": (fnp.true_divide, "`x / y` (for floats; integers are refused, see below)"),
    "rem": (fnp.fmod, "the remainder with the sign of `x` (C's `fmod`)"),
    "pow": (fnp.power, "`x ** y`"),
    "max": (fnp.maximum, "the elementwise maximum"),
    "min": (fnp.minimum, "the elementwise minimum"),
    "atan2": (fnp.arctan2, "the arc tangent of `x / y`, in the right quadrant"),
    "nextafter": (fnp.nextafter, "the next float after `x` towards `y`"),
    "eq": (fnp.equal, "`x == y`"),
    "ne": (fnp.not_equal, "`x != y`"),
    "lt": (fnp.less, "`x < y`"),
    "le": (fnp.less_equal, "`x <= y`"),
    "gt": (fnp.greater, "`x > y`"),
    "ge": (fnp.greater_equal, "`x >= y`"),
}


def _make_unary(name: str, fn: Callable[..., Any], what: str, value: Any) -> Callable[..., Any]:
    def unary(x: ArrayLike) -> Array:
        return fn(x)

    unary.__name__ = unary.__qualname__ = name
    arg = "1.5" if name == "acosh" else "0.5"
    shown = f"bool(lax.{name}({arg}))" if name == "is_finite" else f"round(float(lax.{name}({arg})), 6)"
    _doc(
        unary,
        f"{what[0].upper() + what[1:]} of `x`, elementwise (JAX's `lax.{name}`).",
        "An array of `x`'s shape.",
        f""">>> from fad import lax
    >>> {shown}
    {value!r}""",
        x="The array.",
    )
    return unary


def _make_binary(name: str, fn: Callable[..., Any], what: str) -> Callable[..., Any]:
    def binary(x: ArrayLike, y: ArrayLike) -> Array:
        if name == "div" and fnp.result_type(x, y).kind in "iub":
            raise TypeError(
                "lax.div of integers rounds towards zero in JAX, where fad follows NumPy: use "
                "fnp.trunc(x / y) or fnp.floor_divide (which rounds down) explicitly."
            )
        return fn(x, y)

    binary.__name__ = binary.__qualname__ = name
    _doc(
        binary,
        f"{what[0].upper() + what[1:]}, elementwise (JAX's `lax.{name}`).",
        "An array of the broadcast shape of `x` and `y`.",
        f""">>> from fad import lax
    >>> lax.{name}(3.0, 2.0)
    {fn(3.0, 2.0)!r}""",
        x="The first array.",
        y="The second array.",
    )
    return binary


for _name, (_fn, _what, _value) in _UNARY.items():
    globals()[_name] = _make_unary(_name, _fn, _what, _value)
for _name, (_fn, _what) in _BINARY.items():
    globals()[_name] = _make_binary(_name, _fn, _what)

__all__ = [
    "stop_gradient",
    "dynamic_slice",
    "dynamic_update_slice",
    "dynamic_slice_in_dim",
    "dynamic_index_in_dim",
    "dynamic_update_slice_in_dim",
    "dynamic_update_index_in_dim",
    "slice",
    "slice_in_dim",
    "index_in_dim",
    "pad",
    "broadcast",
    "broadcast_in_dim",
    "reshape",
    "transpose",
    "expand_dims",
    "squeeze",
    "rev",
    "concatenate",
    "full",
    "full_like",
    "iota",
    "convert_element_type",
    "sort",
    "top_k",
    "dot",
    "dot_general",
    "reduce_sum",
    "reduce_prod",
    "reduce_max",
    "reduce_min",
    "argmax",
    "argmin",
    "cumsum",
    "cumprod",
    "integer_pow",
    "clamp",
    *_UNARY,
    *_BINARY,
]
