# mypy: allow-redefinition-new, local-partial-types
"""Indexing routines (NumPy's "Indexing routines"): ``x[idx]`` and functional updates
``x.at[idx].set(v)`` on traced values; the index generators (``nonzero``, ``where``,
``indices``, ``diag_indices``, ``tril_indices``, ``triu_indices`` and their ``_from`` forms)
and the indexing-like operations (``take``, ``take_along_axis``, ``diagonal``, ``select``).

A user index becomes a tuple of ints, slices, ``None``, ``...`` and integer arrays
(boolean masks become their ``nonzero`` arrays). When every array in it is concrete, the
whole index is a static parameter of one ``getitem``. When an integer array is itself
traced (an index batched by ``vmap``), the index is split into a static ``getitem`` for
the slices, a transpose bringing the indexed axes first, and a ``gather`` on them, then
NumPy's placement of the indexed axes is restored.

Updates index a flat view: the positions ``arange(x.size).reshape(x.shape)[idx]`` are
computed with the same machinery (so traced indices work there too), and the update is a
scatter into ``ravel(x)``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as st
from fad._core import Tracer, bind
from fad._prims import astype, broadcast_to, reshape, stop_gradient, transpose
from fad._prims import indexing as ix
from fad._structural import concatenate
from fad._structural import getitem as _getitem
from fad.numpy._creation import asarray
from fad.numpy._shape_manipulation import _arr, broadcast_arrays, moveaxis, ravel
from fad.numpy._util import coerce, normalize_axis
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import DTypeLike

    from fad.numpy._util import Shape
    from fad.typing import Array, ArrayLike


def _is_array_index(e: Any) -> Any:
    return isinstance(e, (np.ndarray, Tracer))


def _check_bounds(idx: Any, shape: Any) -> None:
    # let NumPy raise its own IndexError on an empty array of the right shape; traced
    # arrays stand in by zeros of their shape (their values are checked when computed)
    if len(idx) <= len(shape) and all(type(e) is int for e in idx):  # x[i], x[i, j]: no probe
        for axis, (e, n) in enumerate(zip(idx, shape[: len(idx)], strict=True)):
            if not -n <= e < n:
                raise IndexError(f"index {e} is out of bounds for axis {axis} with size {n}")
        return
    probe = tuple(np.zeros(e.shape, np.intp) if isinstance(e, Tracer) else e for e in idx)
    np.broadcast_to(np.False_, shape)[probe]


def normalize_index(idx: Any, shape: Shape, check: bool = True) -> Any:
    """Turn a user index into a tuple of ints, slices, None, Ellipsis and int arrays
    (checked in bounds if ``check``)."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    out: list[Any] = []
    for e in idx:
        if isinstance(e, Tracer):
            if e.dtype.kind == "b":
                raise TypeError(
                    f"Indexing with a traced boolean mask (shape {e.shape}) is not supported: "
                    "the result's shape would depend on the values. Use "
                    "fad.numpy.where(mask, x, 0) instead, or make the mask concrete."
                )
            if e.dtype.kind not in "iu":
                raise IndexError(
                    f"arrays used as indices must be of integer (or boolean) type, got a traced "
                    f"value of dtype {e.dtype}. Convert it with .astype(int) first."
                )
            out.append(e)
        elif e is None or e is Ellipsis or isinstance(e, slice):
            out.append(e)
        elif isinstance(e, (bool, np.bool_)):
            out.append(np.asarray(e))
        elif isinstance(e, (int, np.integer)):
            out.append(int(e))
        else:
            arr = np.asarray(e)
            if arr.dtype.kind == "b":
                out.extend(np.nonzero(arr))
            elif arr.dtype.kind in "iu" or arr.size == 0:
                out.append(arr.astype(np.intp))
            else:
                raise IndexError(
                    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                    f"and integer or boolean arrays are valid indices (got {e!r})"
                )
    if check:
        _check_bounds(out, shape)
    return tuple(out)


def _expand_ellipsis(idx: Any, nd: int) -> Any:
    used = sum(1 for e in idx if e is not None and e is not Ellipsis)
    fill = (slice(None),) * (nd - used)
    for k, e in enumerate(idx):
        if e is Ellipsis:
            return idx[:k] + fill + idx[k + 1 :]
    return idx + fill


def _gather_getitem(x: Any, idx: Any, shape: Any) -> Any:
    # NumPy keeps the index axes in place only when the advanced entries are adjacent in
    # the index as written (an Ellipsis between them separates them even if it is empty)
    written = [k for k, e in enumerate(idx) if _is_array_index(e) or isinstance(e, int)]
    adjacent = written[-1] - written[0] + 1 == len(written)
    idx = _expand_ellipsis(idx, len(shape))
    adv = [k for k, e in enumerate(idx) if _is_array_index(e) or isinstance(e, int)]
    basic = tuple(slice(None) if k in adv else e for k, e in enumerate(idx))
    y = x if all(isinstance(e, slice) and e == slice(None) for e in basic) else _getitem(x, basic)
    # the axes of y that the advanced entries index, in order
    adv_axes, ax = [], 0
    for k in range(len(idx)):
        if k in adv:
            adv_axes.append(ax)
        ax += 1
    nd = len(_shape(y))
    rest = [a for a in range(nd) if a not in adv_axes]
    y = transpose(y, tuple(adv_axes + rest))
    arrays = [np.asarray(idx[k], np.intp) if isinstance(idx[k], int) else idx[k] for k in adv]
    s = np.broadcast_shapes(*(tuple(_shape(a)) for a in arrays))
    arrays = [broadcast_to(a, s) if isinstance(a, Tracer) else np.broadcast_to(a, s) for a in arrays]
    out = ix.gather(y, *arrays)  # shape s + rest
    if adjacent:
        p = adv[0]  # every entry before adv[0] is a slice or None, one output axis each
        ns, nr = len(s), len(rest)
        if p:
            perm = tuple(range(ns, ns + p)) + tuple(range(ns)) + tuple(range(ns + p, ns + nr))
            out = transpose(out, perm)
    return out


def getitem(x: Any, idx: Any) -> Any:
    """``x[idx]`` with NumPy's semantics; ``x`` and the index arrays may be traced."""
    x = coerce(x)
    if isinstance(x, (list, tuple, int, float, complex)):
        x = np.asarray(x)
    shape = tuple(_shape(x))
    idx = normalize_index(idx, shape)
    if idx == () or (len(idx) == 1 and idx[0] is Ellipsis):
        return x
    if any(isinstance(e, Tracer) for e in idx):
        return _gather_getitem(x, idx, shape)
    return _getitem(x, idx)


def nonzero(a: ArrayLike) -> tuple[Array, ...]:
    """Indices of the non-zero elements (of a concrete value).

    Args:
        a: Input array.

    Returns:
        A tuple of index arrays, one per axis of `a`.
    """
    if isinstance(a, Tracer):
        a = a._concrete("nonzero")
    return np.nonzero(a)  # type: ignore[arg-type]  # a is concrete here


def _flat_positions(shape: Any, idx: Any) -> Any:
    """Positions in ``ravel(x)`` of ``x[idx]`` (traced when the index is)."""
    n = int(np.prod(shape, dtype=np.int64))
    return getitem(np.arange(n).reshape(shape), idx)


def _distinct(pos: Any, why: str) -> Any:
    """``pos``, after checking (when computed, if traced) that it has no repeats."""
    if isinstance(pos, Tracer):
        return ix.check_distinct(pos, why=why)
    ix._check_distinct_impl(pos, why=why)
    return pos


_MODES = (None, "promise_in_bounds", "clip", "drop", "fill")


def _moded(method: Any) -> Any:
    """An update method of ``x.at[idx]`` taking JAX's keywords: ``mode`` (``"clip"`` clamps
    out-of-bounds indices into range, ``"drop"`` or ``"fill"`` leaves them out; without
    it, as NumPy, an index out of bounds raises), ``wrap_negative_indices``, and the hints
    ``indices_are_sorted``, ``unique_indices`` and ``out_sharding`` (accepted, unused)."""

    @functools.wraps(method)
    def update(
        self: Any,
        v: Any,
        *,
        indices_are_sorted: bool = False,
        unique_indices: bool = False,
        mode: str | None = None,
        out_sharding: Any = None,
        wrap_negative_indices: bool = True,
    ) -> Any:
        del indices_are_sorted, unique_indices, out_sharding
        x, idx, crop = _in_range(self.x, self.idx, mode, wrap_negative_indices)
        if crop is None and x is self.x and idx is self.idx:  # (NumPy's index: as it is)
            return method(self, v)
        out = method(_IndexUpdateRef(x, idx), v)
        return out if crop is None else _getitem(out, crop)

    return update


def _in_range(x: Any, idx: Any, mode: str | None, wrap: bool) -> tuple[Any, Any, Any]:
    """``(x, idx, crop)`` for ``x.at[idx]`` with JAX's out-of-bounds ``mode``: the index's
    integers clipped into range (``"clip"``), or, where out of range (``"drop"``, ``"fill"``),
    sent to one more slot padded with zeros onto their axis, which slicing by ``crop``
    takes off again (``None``: nothing padded). Negative integers count from the end if
    ``wrap``, else are out of range. Without a mode (or ``"promise_in_bounds"``) the index
    is NumPy's: out of range raises IndexError."""
    if mode not in _MODES:
        raise ValueError(f"x.at[idx]: mode={mode!r}; use one of {', '.join(map(repr, _MODES))}.")
    if mode is None or mode == "promise_in_bounds":
        if not wrap:
            raise ValueError(
                "x.at[idx]: wrap_negative_indices=False treats negative indices as out of bounds, "
                "which fad's default mode refuses (as NumPy does); pass mode='clip', 'drop' or 'fill'."
            )
        return x, idx, None
    shape = tuple(_shape(x))
    items = _expand_ellipsis(normalize_index(idx, shape, check=False), len(shape))
    out: list[Any] = []
    pads: set[int] = set()
    axis = 0
    for e in items:
        if e is None or isinstance(e, slice):
            out.append(e)
            axis += e is not None
            continue
        n = shape[axis]
        if type(e) is int:
            e = e + n if wrap and e < 0 else e
            if mode == "clip":
                e = min(max(e, 0), n - 1)
            elif not 0 <= e < n:
                e = n
                pads.add(axis)
        else:  # an integer array, concrete or traced
            if wrap:
                e = ew.select(e < 0, e + n, e)
            if mode == "clip":
                e = ew.select(e < 0, 0, ew.select(e >= n, n - 1, e))
            else:
                bad = (e < 0) | (e >= n)
                if isinstance(bad, Tracer) or bad.any():
                    e = ew.select(bad, n, e)
                    pads.add(axis)
            e = astype(e, np.intp) if isinstance(e, Tracer) else np.asarray(e, np.intp)
        out.append(e)
        axis += 1
    if not pads:
        return x, tuple(out), None
    for a in sorted(pads):
        edge = np.zeros(tuple(1 if k == a else m for k, m in enumerate(_shape(x))), x.dtype)
        x = concatenate([x, edge], a)
    return x, tuple(out), tuple(slice(0, n) for n in shape)


class _IndexUpdateRef:
    """``x.at[idx]``: the methods below return updated copies of ``x``."""

    __slots__ = ("x", "idx")

    def __init__(self, x: Any, idx: Any) -> None:
        self.x = x
        self.idx = idx

    def __repr__(self) -> Any:
        return f"_IndexUpdateRef(shape={tuple(_shape(self.x))}, idx={self.idx!r})"

    def get(
        self,
        *,
        indices_are_sorted: bool = False,
        unique_indices: bool = False,
        mode: str | None = None,
        fill_value: Any = None,
        out_sharding: Any = None,
        wrap_negative_indices: bool = True,
    ) -> Any:
        """``x[idx]``; with ``mode="clip"`` out-of-bounds indices are clamped into range,
        with ``mode="fill"`` (or ``"drop"``) they give ``fill_value`` (by default NaN for
        inexact dtypes, the most negative value for signed integers, the largest for
        unsigned ones, True for booleans). JAX's other keywords are accepted."""
        del indices_are_sorted, unique_indices, out_sharding
        x, idx, crop = _in_range(self.x, self.idx, mode, wrap_negative_indices)
        out = getitem(x, idx)
        if crop is None:
            return out
        shape = tuple(_shape(x))
        marker = np.zeros(shape, bool)
        for a, (m, n) in enumerate(zip(shape, _shape(self.x), strict=True)):
            if m != n:
                marker[(slice(None),) * a + (n,)] = True
        dtype = np.dtype(x.dtype)
        if fill_value is None:
            kind = dtype.kind
            fill_value = (
                np.nan
                if kind in "fc"
                else True
                if kind == "b"
                else np.iinfo(dtype).min
                if kind == "i"
                else np.iinfo(dtype).max
            )
        return ew.select(getitem(marker, idx), astype(coerce(fill_value), dtype), out)

    def _prepare(self, v: Any) -> Any:
        x = self.x
        shape = tuple(_shape(x))
        n = int(np.prod(shape, dtype=np.int64))
        pos = _flat_positions(shape, self.idx)
        dtype = x.dtype
        v = coerce(v)
        if not isinstance(v, Tracer):
            v = np.asarray(v)
        if v.dtype != dtype:
            v = astype(v, dtype)
        target = tuple(_shape(pos))
        try:
            np.broadcast_shapes(tuple(_shape(v)), target)
            if len(_shape(v)) > len(target):
                raise ValueError
        except ValueError:
            raise ValueError(
                f"x.at[idx]: the update of shape {tuple(_shape(v))} cannot be broadcast to the "
                f"indexed shape {target}. Give a value of a shape that broadcasts to {target}."
            ) from None
        v = broadcast_to(v, target)
        return reshape(x, (n,)), v, pos, shape

    @_moded
    def set(self, v: Any) -> Any:
        """``x`` with ``x[idx] = v``; of repeated indices the last one lands."""
        flat, v, pos, shape = self._prepare(v)
        return reshape(ix.scatter_set(flat, v, pos), shape)

    @_moded
    def add(self, v: Any) -> Any:
        """``x`` with ``v`` added at ``idx``; repeated indices accumulate."""
        flat, v, pos, shape = self._prepare(v)
        return reshape(flat + ix.scatter_add(v, pos, shape=_shape(flat)), shape)

    @_moded
    def subtract(self, v: Any) -> Any:
        """``x`` with ``v`` subtracted at ``idx``."""
        return self.add(-coerce(v))

    @_moded
    def multiply(self, v: Any) -> Any:
        """``x`` with entries at ``idx`` multiplied by ``v``; repeated indices multiply.

        The derivative with respect to a traced ``v`` needs distinct indices (as in JAX);
        repeated indices then raise ``NotImplementedError``.
        """
        flat, v, pos, shape = self._prepare(v)
        one = np.ones(_shape(flat), flat.dtype)
        if isinstance(v, Tracer):
            why = (
                "x.at[idx].multiply(v) with a traced v and repeated indices in idx: its "
                "derivative is only implemented for distinct indices. Combine the repeated "
                "factors first (e.g. multiply them together) or use distinct indices."
            )
            pos = _distinct(pos, why)
            factor = ix.scatter_set(one, v, pos)
        else:
            factor = ix.scatter_apply(one, v, pos, mode="mul")
        return reshape(flat * factor, shape)

    @_moded
    def divide(self, v: Any) -> Any:
        """``x`` with entries at ``idx`` divided by ``v``."""
        return self.multiply(1 / coerce(v))

    @_moded
    def power(self, v: Any) -> Any:
        """``x`` with entries at ``idx`` raised to ``v``; ``idx`` must not repeat."""
        flat, v, pos, shape = self._prepare(v)
        why = (
            "x.at[idx].power(v) with repeated indices in idx is not supported. Use distinct "
            "indices (or combine the exponents first: (x**a)**b == x**(a*b) for x > 0)."
        )
        ones = np.ones(_shape(flat), flat.dtype)
        return reshape(flat ** ix.scatter_set(ones, v, _distinct(pos, why)), shape)

    def _extreme(self, v: Any, mode: str) -> Any:
        flat, v, pos, shape = self._prepare(v)
        m = ix.scatter_apply(flat, v, pos, mode=mode)  # the value; no derivative
        dtype = flat.dtype
        if not (isinstance(flat, Tracer) or isinstance(v, Tracer)) or dtype.kind not in "fc":
            return reshape(m, shape)
        # derivative: shared evenly between x and the updates that attain the extreme
        hx = astype(flat == m, dtype)
        hv = astype(v == ix.gather(m, pos), dtype)
        n = _shape(flat)
        count = hx + ix.scatter_add(hv, pos, shape=n)
        s = (flat * hx + ix.scatter_add(v * hv, pos, shape=n)) / count
        # m's value with s's derivative: m - (sg(s) - s) is m bit for bit (a finite s minus
        # itself is +0.0, which keeps -0.0 and infinities; m + (s - sg(s)) would turn -0.0
        # into 0.0, and an infinite s into NaN)
        s = ew.select(ew.isfinite(s), s, 0.0)
        return reshape(m - (stop_gradient(s) - s), shape)

    @_moded
    def apply(self, func: Any) -> Any:
        """``x`` with the elementwise function ``func`` (a ufunc, say) applied at ``idx``;
        at an index repeated ``k`` times, applied ``k`` times."""
        x = self.x
        shape = tuple(_shape(x))
        n = int(np.prod(shape, dtype=np.int64))
        pos = _flat_positions(shape, self.idx)
        flat = reshape(x, (n,))
        if isinstance(pos, Tracer):  # (repeats unknown until run: refused if there are any)
            why = "x.at[idx].apply(func) with a traced idx needs distinct indices."
            pos = _distinct(pos, why)
            return reshape(ix.scatter_set(flat, func(getitem(flat, pos)), pos), shape)
        counts = np.bincount(np.ravel(pos), minlength=n)
        for k in range(1, int(counts.max(initial=0)) + 1):
            flat = ew.select(counts >= k, func(flat), flat)
        return reshape(flat, shape)

    @_moded
    def min(self, v: Any) -> Any:
        """``x`` with entries at ``idx`` replaced by ``minimum(x[idx], v)``."""
        return self._extreme(v, "min")

    @_moded
    def max(self, v: Any) -> Any:
        """``x`` with entries at ``idx`` replaced by ``maximum(x[idx], v)``."""
        return self._extreme(v, "max")


class _IndexUpdateHelper:
    __slots__ = ("x",)

    def __init__(self, x: Any) -> None:
        self.x = x

    def __getitem__(self, idx: Any) -> Any:
        return _IndexUpdateRef(self.x, idx)

    def __repr__(self) -> Any:
        return f"_IndexUpdateHelper(shape={tuple(_shape(self.x))})"


def at(x: ArrayLike) -> Array:
    """Functional updates of `x` (a traced value or a plain array): `at(x)[idx].set(v)`.

    Traced values and the arrays fad.numpy's creation functions return also have
    `x.at[idx]`; plain NumPy arrays do not, so use `at(x)[idx]` on them. Methods:
    `get`, `set`, `add`, `subtract`, `multiply`, `divide`, `power`, `min`,
    `max`. `x` is never modified.

    Args:
        x: Array or traced value to update.

    Returns:
        An object whose `[idx]` has the update methods `set`, `add`, `multiply`, `min`, `max`, `get`...

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.at(fnp.zeros(3))[[0, 0, 2]].add(1.0)
        array([2., 0., 1.])
        >>> fad.grad(lambda v: fnp.at(fnp.zeros(3))[1].set(v).sum())(2.0)
        np.float64(1.0)
    """
    x = coerce(x)
    if not isinstance(x, Tracer):
        x = np.asarray(x)
    return _IndexUpdateHelper(x)


# ------------------------------------------------------------ generating index arrays


def where(condition: ArrayLike, x: ArrayLike | None = None, y: ArrayLike | None = None) -> Array:
    """Choose `x` where `condition` holds, else `y`.

    Only the taken branch receives a cotangent. If the untaken branch computes `inf` or
    `nan` (`where(x > 0, log(x), 0)`), its *derivative* can still be NaN: guard the
    input instead, `log(where(x > 0, x, 1))`.

    Args:
        condition: Where to take `x` (else `y`); with `x` and `y` omitted, `nonzero(condition)`.
        x: Values where `condition` holds.
        y: Values elsewhere.

    Returns:
        An array of the broadcast shape (or, with one argument, a tuple of index arrays).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(lambda x: fnp.where(x > 0, x, 0.0).sum())(fnp.array([-1.0, 2.0]))
        array([0., 1.])
    """
    if x is None and y is None:
        return nonzero(condition)
    return bind(ew.select_p, coerce(condition), coerce(x), coerce(y))


def indices(dimensions: Sequence[int], dtype: DTypeLike = int, sparse: bool = False) -> Array:
    """The grid of indices of an array of shape `dimensions` (one array per axis).

    Args:
        dimensions: Shape of the grid.
        dtype: Data type of the result; None keeps NumPy's default.
        sparse: Return open (broadcasting) grids instead of full ones.

    Returns:
        An array of shape `(len(dimensions), *dimensions)` (a tuple of arrays if `sparse`).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.indices((2, 2))[1]
        array([[0, 1],
               [0, 1]])
    """
    return np.indices(dimensions, dtype, sparse)  # type: ignore[call-overload]  # NumPy takes any dtype


def diag_indices(n: int, ndim: int = 2) -> tuple[Array, ...]:
    """The indices of the main diagonal of an `n` x ... x `n` array of `ndim` axes.

    Args:
        n: Length of each axis.
        ndim: Number of dimensions.

    Returns:
        A tuple of `ndim` index arrays.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.diag_indices(2)
        (array([0, 1]), array([0, 1]))
    """
    return np.diag_indices(n, ndim)


def diag_indices_from(arr: ArrayLike) -> tuple[Array, ...]:
    """`diag_indices` for the (equal-sided) shape of `arr`.

    Args:
        arr: Input array.

    Returns:
        A tuple of index arrays, one per axis.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.diag_indices_from(fnp.zeros((2, 2)))
        (array([0, 1]), array([0, 1]))
    """
    dims = _shape(arr)
    if len(dims) < 2:
        raise ValueError(f"diag_indices_from: the input must be at least 2-d, got shape {dims}.")
    if len(set(dims)) != 1:
        raise ValueError(f"diag_indices_from: all dimensions of the input must be equal, got shape {dims}.")
    return np.diag_indices(dims[0], len(dims))


def tril_indices(n: int, k: int = 0, m: int | None = None) -> tuple[Array, Array]:
    """The indices of the lower triangle (at and below the `k`-th diagonal) of an
    `n` x `m` array.

    Args:
        n: Number of rows of the array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.
        m: Number of columns (default: `n`).

    Returns:
        A tuple of two index arrays (rows, columns).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.tril_indices(2)
        (array([0, 1, 1]), array([0, 0, 1]))
    """
    return np.tril_indices(n, k, m)


def _matrix_shape(arr: Any, name: str) -> Any:
    if _ndim(arr) != 2:
        raise ValueError(f"{name}: the input array must be 2-d, got shape {_shape(arr)}.")
    return _shape(arr)


def tril_indices_from(arr: ArrayLike, k: int = 0) -> tuple[Array, Array]:
    """`tril_indices` for the shape of the 2-d array `arr`.

    Args:
        arr: Input array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        A tuple of two index arrays (rows, columns).

    Examples:
        >>> import fad.numpy as fnp
        >>> x = fnp.arange(4.0).reshape(2, 2)
        >>> x[fnp.tril_indices_from(x)]
        array([0., 2., 3.])
    """
    n, m = _matrix_shape(arr, "tril_indices_from")
    return np.tril_indices(n, k, m)


def triu_indices(n: int, k: int = 0, m: int | None = None) -> tuple[Array, Array]:
    """The indices of the upper triangle (at and above the `k`-th diagonal) of an
    `n` x `m` array.

    Args:
        n: Number of rows of the array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.
        m: Number of columns (default: `n`).

    Returns:
        A tuple of two index arrays (rows, columns).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.triu_indices(3, 1)
        (array([0, 0, 1]), array([1, 2, 2]))
    """
    return np.triu_indices(n, k, m)


def triu_indices_from(arr: ArrayLike, k: int = 0) -> tuple[Array, Array]:
    """`triu_indices` for the shape of the 2-d array `arr`.

    Args:
        arr: Input array.
        k: Diagonal offset: 0 is the main diagonal, positive above it, negative below.

    Returns:
        A tuple of two index arrays (rows, columns).

    Examples:
        >>> import fad.numpy as fnp
        >>> x = fnp.arange(4.0).reshape(2, 2)
        >>> x[fnp.triu_indices_from(x, 1)]
        array([1.])
    """
    n, m = _matrix_shape(arr, "triu_indices_from")
    return np.triu_indices(n, k, m)


# ----------------------------------------------------------- indexing-like operations


def _as_slice(indices: Any, n: Any) -> Any:
    """A 1-d run of equally spaced in-bounds ``indices`` as the slice that picks the same
    entries (its transpose is an assignment, not a scatter-add); other indices as they are."""
    if indices.ndim != 1 or indices.dtype.kind not in "iu" or len(indices) < 2:
        return indices
    first, step = int(indices[0]), int(indices[1]) - int(indices[0])
    last = first + step * (len(indices) - 1)
    if step == 0 or not (0 <= first < n and 0 <= last < n):
        return indices
    if not np.array_equal(indices, np.arange(first, last + step, step)):
        return indices
    return slice(first, None if last + step < 0 else last + step, step)


def take(
    a: ArrayLike, indices: ArrayLike, axis: int | None = None, out: None = None, mode: str | None = None
) -> Array:
    """Elements of `a` at `indices` along `axis` (of the flattened array by default).

    `indices` may be traced (for example batched by vmap).

    Args:
        a: Input array.
        indices: Integer indices.
        axis: Axis to take along; None takes from the flattened array.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        mode: "raise", "wrap" or "clip": what an out-of-range index does.

    Returns:
        The selected elements.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.take(fnp.arange(5.0), [4, 0])
        array([4., 0.])
    """
    if out is not None:
        raise NotImplementedError("take: out= is not supported (fad arrays are immutable).")
    a = _arr(a)
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, _ndim(a), "take")
    if mode in ("clip", "wrap"):
        if isinstance(indices, Tracer):
            raise NotImplementedError(f"take: mode={mode!r} needs concrete indices.")
        n = _shape(a)[axis]
        indices = np.clip(indices, 0, n - 1) if mode == "clip" else np.mod(indices, n)
    elif mode not in (None, "raise"):
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}.")
    if not isinstance(indices, Tracer):
        indices = np.asarray(indices)
        if indices.dtype.kind not in "iu" and indices.size == 0:
            indices = indices.astype(np.intp)
        indices = _as_slice(indices, _shape(a)[axis])
    return getitem(a, (slice(None),) * axis + (indices,))


def take_along_axis(arr: ArrayLike, indices: ArrayLike, axis: int = -1) -> Array:
    """Pick values along `axis` at `indices` (same number of axes as `arr`).

    Args:
        arr: Input array.
        indices: Indices along `axis`, as many axes as `arr`.
        axis: Axis to take along (None: the flattened array).

    Returns:
        The selected values, shaped like `indices`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.take_along_axis(fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([[1], [0]]), 1)
        array([[2.],
               [3.]])
    """
    arr = _arr(arr)
    if axis is None:
        arr, axis = ravel(arr), 0
    if not isinstance(indices, Tracer):
        indices = np.asarray(indices)
    nd = _ndim(arr)
    if len(_shape(indices)) != nd:
        raise ValueError(
            f"take_along_axis: indices of shape {tuple(_shape(indices))} must have as many axes "
            f"as arr (shape {tuple(_shape(arr))})."
        )
    axis = normalize_axis(axis, nd, "take_along_axis")
    idx = tuple(
        indices if i == axis else np.arange(n).reshape((1,) * i + (n,) + (1,) * (nd - i - 1))
        for i, n in enumerate(_shape(arr))
    )
    return getitem(arr, idx)


def _diagonal_slice(k: Any, length: Any, m: Any) -> Any:
    """The positions of the ``k``-th diagonal (``length`` entries) of a flattened matrix
    with ``m`` columns, as a slice."""
    start = k if k >= 0 else -k * m
    return slice(start, start + (length - 1) * (m + 1) + 1 if length else start, m + 1)


def diagonal(a: ArrayLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The `offset`-th diagonal over `axis1`, `axis2`, as the last axis of the result.

    Args:
        a: Input array.
        offset: Offset of the diagonal from the main one (positive: above).
        axis1: First axis of the 2-d sub-arrays.
        axis2: Second axis of the 2-d sub-arrays.

    Returns:
        The diagonals, along the last axis.
    """
    a = _arr(a)
    nd = _ndim(a)
    if nd < 2:
        raise ValueError("diagonal requires an array of at least two dimensions.")
    a1, a2 = normalize_axis(axis1, nd, "diagonal"), normalize_axis(axis2, nd, "diagonal")
    if a1 == a2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same.")
    a = moveaxis(a, (a1, a2), (-2, -1))
    *lead, n, m = _shape(a)
    offset = int(offset)
    length = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
    # a strided slice of the flattened matrices, not a gather: its transpose is a strided
    # assignment into zeros rather than a scatter-add
    flat = st.reshape(a, tuple(lead) + (n * m,))
    return getitem(flat, (Ellipsis, _diagonal_slice(offset, length, m)))


def select(condlist: Sequence[ArrayLike], choicelist: Sequence[ArrayLike], default: ArrayLike = 0) -> Array:
    """Per element, the entry of the first choice whose condition holds (`default` if none).

    Args:
        condlist: Boolean arrays (or one), the conditions.
        choicelist: Arrays to choose from, one per condition.
        default: Value where no condition holds.

    Returns:
        An array of the broadcast shape of the conditions and choices.

    Examples:
        >>> import fad.numpy as fnp
        >>> x = fnp.array([-1.0, 0.5, 3.0])
        >>> fnp.select([x < 0, x < 1], [-x, x * 10], default=9.0)
        array([1., 5., 9.])
    """
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError("select: list of cases must be same length as list of conditions.")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible.")
    conds = [asarray(c) for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype != np.bool_:
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean ndarray.")
    choices = [asarray(c) for c in choicelist] + [asarray(default)]
    dtype = np.result_type(*[c.dtype for c in choices])
    choices = broadcast_arrays(*[c.astype(dtype) for c in choices], *conds)[: len(choices)]
    result = choices[-1]
    for cond, choice in zip(reversed(conds), reversed(choices[:-1]), strict=True):
        result = where(cond, choice, result)
    return result
