"""Gather and scatter: indexing with integer arrays that may themselves be traced.

All primitives here index the *leading* axes of an operand with ``k`` integer arrays of
one common shape ``S`` (the caller broadcasts them)::

    gather(x, i0, ..., ik-1)          == x[i0, ..., ik-1]        shape S + x.shape[k:]
    scatter_add(u, i0, ..., shape=s)  == zeros(s); add u at [i0, ...] (duplicates sum)
    scatter_set(x, u, i0, ...)        == x with x[i0, ...] = u   (last duplicate wins)
    scatter_apply(x, u, i0, ..., mode) == x with u multiplied/min/max'ed in (no derivative)

``fad.numpy`` reduces every NumPy index (slices, ``None``, ``...``, several arrays with
NumPy's axis placement) to this form by a static ``getitem`` and a transpose, so these
rules only deal with one layout. Index arrays are never differentiated; they may be batched
by ``vmap``: the batching rules then index the batch axis too, with ``arange(batch)``.
Out-of-bounds indices raise NumPy's ``IndexError`` when the value is computed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import declare, gathers, moves, scatters
from fad._prims.comparisons import eq
from fad._structural import astype, broadcast_to, getitem, moveaxis, reshape, shape_of

# --------------------------------------------------------------------- batching helpers


def _split(vals: Any, bdims: Any, n_arrays: Any) -> Any:
    """``(operands, operand_bdims, index arrays, index bdims)`` of a rule's arguments."""
    k = len(vals) - n_arrays
    return vals[:k], bdims[:k], vals[k:], bdims[k:]


def _batch_all(vals: Any, bdims: Any) -> Any:
    """Give every value a leading batch axis (broadcasting the unbatched ones)."""
    size = next(v.shape[0] for v, d in zip(vals, bdims, strict=True) if d is not None)
    return size, [
        v if d is not None else broadcast_to(v, (size,) + tuple(shape_of(v)))
        for v, d in zip(vals, bdims, strict=True)
    ]


def _with_batch_index(size: Any, arrays: Any) -> Any:
    """Index arrays for a batched operand: ``arange(size)`` first, then ``arrays`` (batched)."""
    s = tuple(shape_of(arrays[0])) if arrays else (size,)
    b = np.broadcast_to(np.arange(size).reshape((size,) + (1,) * (len(s) - 1)), s)
    return (b, *arrays)


# ------------------------------------------------------------------------------ gather

gather_p = Primitive("gather", lambda x, *ix: np.asarray(x)[tuple(ix)])


def _gather_jvp(primals: Any, tangents: Any) -> Any:
    x, *ix = primals
    out = gather(x, *ix)
    t = tangents[0]
    return out, None if t is None else gather(t, *ix)


def _gather_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    x, *ix = primals
    return (scatter_add(ct, *ix, shape=shape_of(x)),) + (None,) * len(ix)


def _gather_batch(vals: Any, bdims: Any) -> Any:
    (x,), (xb,), ix, ib = _split(vals, bdims, len(vals) - 1)
    if all(b is None for b in ib):
        # only the operand is batched: put its batch axis after the indexed ones
        k = len(ix)
        return gather(moveaxis(x, 0, k), *ix), len(shape_of(ix[0]))
    size, ix = _batch_all(ix, ib)
    if xb is None:
        return gather(x, *ix), 0
    return gather(x, *_with_batch_index(size, ix)), 0


gather_p.jvp, gather_p.vjp, gather_p.batch = _gather_jvp, _gather_vjp, _gather_batch
declare(gather_p, gathers)


def gather(x: Any, *ix: Any) -> Any:
    """``x[i0, i1, ...]`` for integer arrays of one common shape, on the leading axes."""
    return bind(gather_p, x, *ix)


# ------------------------------------------------------------------------- scatter_add


def _scatter_add_impl(u: Any, *ix: Any, shape: Any) -> Any:
    u = np.asarray(u)
    out = np.zeros(shape, u.dtype)
    np.add.at(out, tuple(ix), u)
    return out


scatter_add_p = Primitive("scatter_add", _scatter_add_impl)


def _scatter_add_jvp(primals: Any, tangents: Any, *, shape: Any) -> Any:
    u, *ix = primals
    out = scatter_add(u, *ix, shape=shape)
    t = tangents[0]
    return out, None if t is None else scatter_add(t, *ix, shape=shape)


def _scatter_add_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, shape: Any) -> Any:
    u, *ix = primals
    return (gather(ct, *ix),) + (None,) * len(ix)


def _scatter_add_batch(vals: Any, bdims: Any, *, shape: Any) -> Any:
    (u,), (ub,), ix, ib = _split(vals, bdims, len(vals) - 1)
    k = len(ix)
    if all(b is None for b in ib):
        s = len(shape_of(ix[0]))
        u = moveaxis(u, 0, s)
        size = shape_of(u)[s]
        return scatter_add(u, *ix, shape=tuple(shape[:k]) + (size,) + tuple(shape[k:])), k
    size, (u, *ix) = _batch_all([u, *ix], [ub, *ib])
    return scatter_add(u, *_with_batch_index(size, ix), shape=(size,) + tuple(shape)), 0


scatter_add_p.jvp = _scatter_add_jvp
scatter_add_p.vjp = _scatter_add_vjp
scatter_add_p.batch = _scatter_add_batch
declare(scatter_add_p, scatters(lambda ids, vals, *, shape: ids[tuple(vals[1:])]))


def scatter_add(u: Any, *ix: Any, shape: Any) -> Any:
    """``zeros(shape)`` with ``u`` added at ``[i0, i1, ...]``; repeated indices accumulate."""
    return bind(scatter_add_p, u, *ix, shape=tuple(shape))


# ------------------------------------------------------------------------- scatter_set


def _scatter_set_impl(x: Any, u: Any, *ix: Any) -> Any:
    out = np.array(x, copy=True)
    out[tuple(ix)] = u
    return out


scatter_set_p = Primitive("scatter_set", _scatter_set_impl)


def _is_float(x: Any) -> Any:
    return np.issubdtype(x.dtype, np.inexact) if hasattr(x, "dtype") else isinstance(x, float)


def _scatter_set_jvp(primals: Any, tangents: Any) -> Any:
    x, u, *ix = primals
    out = scatter_set(x, u, *ix)
    tx, tu = tangents[0], tangents[1]
    if (tx is None and tu is None) or not _is_float(out):
        return out, None
    if tx is None:
        tx = np.zeros(shape_of(x), out.dtype)
    if tu is None:
        tu = np.zeros(shape_of(u), out.dtype)
    return out, scatter_set(tx, tu, *ix)


def winners(ix: Any, shape: Any) -> Any:
    """A boolean mask of shape ``S``: which entries of a scatter onto the first
    ``len(ix)`` axes of ``shape`` are the ones that land (the last of repeated indices)."""
    s = tuple(shape_of(ix[0]))
    if all(isinstance(i, np.ndarray) for i in ix):
        flat = np.ravel_multi_index(tuple(np.broadcast_to(i, s) for i in ix), shape[: len(ix)], mode="wrap")
        if np.unique(flat).size == flat.size:
            return None  # no repeats: every entry lands
    ids = np.arange(int(np.prod(s, dtype=np.int64))).reshape(s)
    grid = scatter_set(np.full(tuple(shape[: len(ix)]), -1), ids, *ix)
    return eq(gather(grid, *ix), ids)


def _scatter_set_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    x, u, *ix = primals
    ct_x = ct_u = None
    if wants[0]:
        ct_x = scatter_set(ct, np.zeros(shape_of(u), ct.dtype), *ix)
    if wants[1]:
        ct_u = gather(ct, *ix)
        won = winners(ix, shape_of(x))
        if won is not None:
            rest = len(shape_of(ct_u)) - len(shape_of(won))
            ct_u = ct_u * reshape(astype(won, ct.dtype), tuple(shape_of(won)) + (1,) * rest)
    return (ct_x, ct_u) + (None,) * len(ix)


def _scatter_set_batch(vals: Any, bdims: Any) -> Any:
    size, (x, u, *ix) = _batch_all(vals, bdims)
    return scatter_set(x, u, *_with_batch_index(size, ix)), 0


scatter_set_p.jvp = _scatter_set_jvp
scatter_set_p.vjp = _scatter_set_vjp
scatter_set_p.batch = _scatter_set_batch
declare(scatter_set_p, moves(0, 1))


def scatter_set(x: Any, u: Any, *ix: Any) -> Any:
    """``x`` with ``x[i0, ...] = u`` (functionally); of repeated indices the last one lands."""
    return bind(scatter_set_p, x, u, *ix)


# ----------------------------------------------------------------------- scatter_apply
# The values of x.at[...].multiply/min/max. No derivative of its own: fad.numpy builds
# the derivatives of those updates from scatter_add / scatter_set around it.

_UFUNCS = {"mul": np.multiply, "min": np.minimum, "max": np.maximum}


def _scatter_apply_impl(x: Any, u: Any, *ix: Any, mode: Any) -> Any:
    out = np.array(x, copy=True)
    _UFUNCS[mode].at(out, tuple(ix), u)
    return out


scatter_apply_p = Primitive("scatter_apply", _scatter_apply_impl, differentiable=False)


def _scatter_apply_batch(vals: Any, bdims: Any, *, mode: Any) -> Any:
    size, (x, u, *ix) = _batch_all(vals, bdims)
    return scatter_apply(x, u, *_with_batch_index(size, ix), mode=mode), 0


scatter_apply_p.batch = _scatter_apply_batch


def scatter_apply(x: Any, u: Any, *ix: Any, mode: Any) -> Any:
    """``x`` with ``u`` combined in at ``[i0, ...]`` by ``mode`` ("mul", "min", "max")."""
    return bind(scatter_apply_p, x, u, *ix, mode=mode)


# ---------------------------------------------------------------------- check_distinct


def _check_distinct_impl(i: Any, *, why: Any) -> Any:
    flat = np.asarray(i).reshape(-1) if np.ndim(i) else np.asarray(i).reshape(1)
    if np.unique(flat).size != flat.size:
        raise NotImplementedError(why)
    return i


check_distinct_p = Primitive("check_distinct", _check_distinct_impl, differentiable=False)


def _check_distinct_batch(vals: Any, bdims: Any, *, why: Any) -> Any:

    (i,) = vals
    for k in range(shape_of(i)[0]):  # repeats matter within one example only
        check_distinct(getitem(i, (k,)), why=why)
    return i, 0


check_distinct_p.batch = _check_distinct_batch


def check_distinct(i: Any, *, why: Any) -> Any:
    """``i`` unchanged; raises ``NotImplementedError(why)`` when it holds repeated values."""
    return bind(check_distinct_p, i, why=why)
