"""``x[idx]`` and functional updates ``x.at[idx].set(v)`` on traced values.

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

import numpy as np

from fad._core import Tracer
from fad._prims import indexing as ix
from fad._prims.structural import astype, broadcast_to, reshape, stop_gradient, transpose
from fad._prims.structural import getitem as _getitem
from fad.numpy._util import coerce
from fad.numpy._util import shape as _shape


def _is_array_index(e):
    return isinstance(e, (np.ndarray, Tracer))


def normalize_index(idx, shape):
    """Turn a user index into a tuple of ints, slices, None, Ellipsis and int arrays."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    out = []
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
    _check_bounds(out, shape)
    return tuple(out)


def _check_bounds(idx, shape):
    # let NumPy raise its own IndexError on an empty array of the right shape; traced
    # arrays stand in by zeros of their shape (their values are checked when computed)
    probe = tuple(np.zeros(e.shape, np.intp) if isinstance(e, Tracer) else e for e in idx)
    np.broadcast_to(np.False_, shape)[probe]


def getitem(x, idx):
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


def _expand_ellipsis(idx, nd):
    used = sum(1 for e in idx if e is not None and e is not Ellipsis)
    fill = (slice(None),) * (nd - used)
    for k, e in enumerate(idx):
        if e is Ellipsis:
            return idx[:k] + fill + idx[k + 1 :]
    return idx + fill


def _gather_getitem(x, idx, shape):
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


def nonzero(a):
    """Indices of the non-zero elements (of a concrete value)."""
    if isinstance(a, Tracer):
        a = a._concrete("nonzero")
    return np.nonzero(a)


# ---------------------------------------------------------------- functional updates


def _flat_positions(shape, idx):
    """Positions in ``ravel(x)`` of ``x[idx]`` (traced when the index is)."""
    n = int(np.prod(shape, dtype=np.int64))
    return getitem(np.arange(n).reshape(shape), idx)


def _distinct(pos, why):
    """``pos``, after checking (when computed, if traced) that it has no repeats."""
    if isinstance(pos, Tracer):
        return ix.check_distinct(pos, why=why)
    ix._check_distinct_impl(pos, why=why)
    return pos


class _IndexUpdateRef:
    """``x.at[idx]``: the methods below return updated copies of ``x``."""

    __slots__ = ("x", "idx")

    def __init__(self, x, idx):
        self.x = x
        self.idx = idx

    def __repr__(self):
        return f"_IndexUpdateRef(shape={tuple(_shape(self.x))}, idx={self.idx!r})"

    def get(self):
        """``x[idx]``."""
        return getitem(self.x, self.idx)

    def _prepare(self, v):
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

    def set(self, v):
        """``x`` with ``x[idx] = v``; of repeated indices the last one lands."""
        flat, v, pos, shape = self._prepare(v)
        return reshape(ix.scatter_set(flat, v, pos), shape)

    def add(self, v):
        """``x`` with ``v`` added at ``idx``; repeated indices accumulate."""
        flat, v, pos, shape = self._prepare(v)
        return reshape(flat + ix.scatter_add(v, pos, shape=_shape(flat)), shape)

    def subtract(self, v):
        """``x`` with ``v`` subtracted at ``idx``."""
        return self.add(-coerce(v))

    def multiply(self, v):
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

    def divide(self, v):
        """``x`` with entries at ``idx`` divided by ``v``."""
        return self.multiply(1 / coerce(v))

    def power(self, v):
        """``x`` with entries at ``idx`` raised to ``v``; ``idx`` must not repeat."""
        flat, v, pos, shape = self._prepare(v)
        why = (
            "x.at[idx].power(v) with repeated indices in idx is not supported. Use distinct "
            "indices (or combine the exponents first: (x**a)**b == x**(a*b) for x > 0)."
        )
        ones = np.ones(_shape(flat), flat.dtype)
        return reshape(flat ** ix.scatter_set(ones, v, _distinct(pos, why)), shape)

    def _extreme(self, v, mode):
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
        return reshape(m + (s - stop_gradient(s)), shape)

    def min(self, v):
        """``x`` with entries at ``idx`` replaced by ``minimum(x[idx], v)``."""
        return self._extreme(v, "min")

    def max(self, v):
        """``x`` with entries at ``idx`` replaced by ``maximum(x[idx], v)``."""
        return self._extreme(v, "max")


class _IndexUpdateHelper:
    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def __getitem__(self, idx):
        return _IndexUpdateRef(self.x, idx)

    def __repr__(self):
        return f"_IndexUpdateHelper(shape={tuple(_shape(self.x))})"


def at(x):
    """Functional updates of ``x`` (a traced value or a plain array): ``at(x)[idx].set(v)``.

    Traced values and the arrays fad.numpy's creation functions return also have
    ``x.at[idx]``; plain NumPy arrays do not, so use ``at(x)[idx]`` on them. Methods:
    ``get``, ``set``, ``add``, ``subtract``, ``multiply``, ``divide``, ``power``, ``min``,
    ``max``. ``x`` is never modified.

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
