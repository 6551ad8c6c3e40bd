"""Scans, products and orderings: cumsum, cumprod, prod, gather/scatter along an axis,
argsort, argmax and argmin.

* ``cumsum`` is linear: its transpose is a reversed cumsum.
* ``cumprod`` and ``reduce_prod`` compute their values with NumPy, but their derivatives
  never divide by ``x`` (so they are right with zeros in the input): the tangent of
  ``cumprod`` is forward mode through a Hillis-Steele doubling scan of multiplications,
  and its cotangent is that scan's transpose; the partials of ``prod`` are the products
  of all *other* elements, a left exclusive ``cumprod`` times a right one.
* ``gather`` (``take_along_axis``) and ``scatter_add`` are each other's transpose; a sort
  is a gather at ``argsort`` (so its derivative permutes the cotangents), a median or a
  quantile a gather at order-statistic positions.
* ``argsort``, ``argmax`` and ``argmin`` have a zero derivative.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import cumulates, declare, gathers_along_axis, reduces, scatters
from fad._prims.creation import full
from fad._structural import (
    broadcast_to,
    concatenate,
    expand_reduced,
    getitem,
    reduce_sum,
    reshape,
    shape_of,
    transpose,
)


def _take(x: Any, axis: Any, sl: Any) -> Any:
    """``x[..., sl, ...]`` with ``sl`` (a slice) at ``axis``."""
    return getitem(x, (slice(None),) * axis + (sl,))


def _flip(x: Any, axis: Any) -> Any:
    return _take(x, axis, slice(None, None, -1))


def _shift(x: Any, d: Any, axis: Any, fill: Any) -> Any:
    """Shift ``x`` by ``d`` places towards higher indices along ``axis``, filling with
    ``fill`` (``d >= 1``; the last ``d`` entries fall off)."""
    shape = shape_of(x)
    n = shape[axis]
    pad = full(shape[:axis] + (min(d, n),) + shape[axis + 1 :], fill, x.dtype)
    if d >= n:
        return pad
    return concatenate([pad, _take(x, axis, slice(0, n - d))], axis)


def _unshift(x: Any, d: Any, axis: Any) -> Any:
    """Transpose of ``_shift(., d, axis, 0)``: shift towards lower indices, zero-filled."""
    shape = shape_of(x)
    n = shape[axis]
    pad = full(shape[:axis] + (min(d, n),) + shape[axis + 1 :], 0, x.dtype)
    if d >= n:
        return pad
    return concatenate([_take(x, axis, slice(d, n)), pad], axis)


# ------------------------------------------------------------------------------ cumsum

cumsum_p = Primitive("cumsum", lambda x, *, axis: np.cumsum(x, axis=axis))
cumsum_p.array_api_impl = lambda xp, x, *, axis: xp.cumulative_sum(x, axis=axis)
cumsum_p.jvp = lambda primals, tangents, *, axis: (
    cumsum(primals[0], axis),
    None if tangents[0] is None else cumsum(tangents[0], axis),
)
cumsum_p.vjp = lambda ct, ans, primals, wants, *, axis: (_flip(cumsum(_flip(ct, axis), axis), axis),)
cumsum_p.batch = lambda vals, bdims, *, axis: (cumsum(vals[0], axis + 1), 0)
declare(cumsum_p, cumulates)


def cumsum(x: Any, axis: Any) -> Any:
    """Cumulative sum along ``axis`` (a non-negative int)."""
    return bind(cumsum_p, x, axis=axis)


# ----------------------------------------------------------------------------- cumprod


def _scan_steps(x: Any, axis: Any) -> Any:
    """The partial products of the doubling scan: ``[(x_s, shifted x_s, d_s)]``."""
    n = shape_of(x)[axis]
    steps = []
    d = 1
    while d < n:
        xs = _shift(x, d, axis, 1)
        steps.append((x, xs, d))
        x = x * xs
        d *= 2
    return steps


def _cumprod_jvp(primals: Any, tangents: Any, *, axis: Any) -> Any:
    (x,), (t,) = primals, tangents
    out = cumprod(x, axis)
    if t is None:
        return out, None
    for xk, xs, d in _scan_steps(x, axis):  # product rule on x_{k+1} = x_k * shift(x_k)
        t = t * xs + xk * _shift(t, d, axis, 0)
    return out, t


def _cumprod_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, axis: Any) -> Any:
    (x,) = primals
    for xk, xs, d in reversed(_scan_steps(x, axis)):  # the transpose of the jvp's steps
        ct = ct * xs + _unshift(xk * ct, d, axis)
    return (ct,)


cumprod_p = Primitive("cumprod", lambda x, *, axis: np.cumprod(x, axis=axis))
cumprod_p.jvp = _cumprod_jvp
cumprod_p.vjp = _cumprod_vjp
cumprod_p.batch = lambda vals, bdims, *, axis: (cumprod(vals[0], axis + 1), 0)
declare(cumprod_p, cumulates, "nonlinear")


def cumprod(x: Any, axis: Any) -> Any:
    """Cumulative product along ``axis`` (a non-negative int)."""
    return bind(cumprod_p, x, axis=axis)


# -------------------------------------------------------------------------------- prod


def _others_product(x: Any, axes: Any) -> Any:
    """For each element, the product of the other elements of its slice over ``axes``
    (no division, so exact with zeros)."""
    shape = shape_of(x)
    nd = len(shape)
    rest = tuple(i for i in range(nd) if i not in axes)
    perm = rest + tuple(axes)
    n = 1
    for a in axes:
        n *= shape[a]
    y = reshape(transpose(x, perm), tuple(shape[i] for i in rest) + (n,))
    last = len(rest)
    left = _shift(cumprod(y, last), 1, last, 1)
    right = _flip(_shift(cumprod(_flip(y, last), last), 1, last, 1), last)
    out = reshape(left * right, tuple(shape[i] for i in perm))
    return transpose(out, tuple(int(i) for i in np.argsort(perm)))


def _reduce_prod_jvp(primals: Any, tangents: Any, *, axes: Any, keepdims: Any) -> Any:
    (x,), (t,) = primals, tangents
    out = reduce_prod(x, axes=axes, keepdims=keepdims)
    if t is None:
        return out, None
    return out, reduce_sum(t * _others_product(x, axes), axes=axes, keepdims=keepdims)


def _reduce_prod_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, axes: Any, keepdims: Any) -> Any:
    (x,) = primals
    shape = shape_of(x)
    return (broadcast_to(expand_reduced(ct, shape, axes, keepdims), shape) * _others_product(x, axes),)


reduce_prod_p = Primitive(
    "reduce_prod", lambda x, *, axes, keepdims: np.prod(x, axis=axes, keepdims=keepdims)
)
reduce_prod_p.array_api_impl = lambda xp, x, *, axes, keepdims: xp.prod(x, axis=axes, keepdims=keepdims)
reduce_prod_p.jvp = _reduce_prod_jvp
reduce_prod_p.vjp = _reduce_prod_vjp
reduce_prod_p.batch = lambda vals, bdims, *, axes, keepdims: (
    reduce_prod(vals[0], axes=tuple(a + 1 for a in axes), keepdims=keepdims),
    0,
)
declare(reduce_prod_p, reduces, "nonlinear")


def reduce_prod(x: Any, *, axes: Any, keepdims: Any = False) -> Any:
    """Product over ``axes`` (a tuple of non-negative ints)."""
    return bind(reduce_prod_p, x, axes=axes, keepdims=keepdims)


# ---------------------------------------------------------------- gather and scatter
# gather(x, idx, axis) is numpy.take_along_axis with ``idx`` of x's rank; scatter_add is
# its transpose: zeros of ``shape`` with ``ct`` added at ``idx`` along ``axis``.


def _full_index(idx: Any, axis: Any) -> Any:
    """The advanced index equivalent to ``idx`` along ``axis`` (for numpy.add.at)."""
    grids = list(np.indices(idx.shape, sparse=True))
    grids[axis] = idx
    return tuple(grids)


def _scatter_add_impl(ct: Any, idx: Any, *, axis: Any, shape: Any) -> Any:
    z = np.zeros(shape, dtype=np.result_type(ct))
    np.add.at(z, _full_index(np.asarray(idx), axis), ct)
    return z


def _batch_both(vals: Any, bdims: Any) -> Any:
    """Give every operand the batch axis first (broadcasting the unbatched ones)."""
    size = next(v.shape[0] for v, d in zip(vals, bdims, strict=True) if d is not None)
    return [
        v if d is not None else broadcast_to(v, (size,) + shape_of(v))
        for v, d in zip(vals, bdims, strict=True)
    ]


gather_p = Primitive("gather_along_axis", lambda x, idx, *, axis: np.take_along_axis(x, idx, axis=axis))
gather_p.jvp = lambda primals, tangents, *, axis: (
    gather(primals[0], primals[1], axis),
    None if tangents[0] is None else gather(tangents[0], primals[1], axis),
)
gather_p.vjp = lambda ct, ans, primals, wants, *, axis: (
    scatter_add(ct, primals[1], axis, shape_of(primals[0])) if wants[0] else None,
    None,
)


def _gather_batch(vals: Any, bdims: Any, *, axis: Any) -> Any:
    x, idx = _batch_both(vals, bdims)
    return gather(x, idx, axis + 1), 0


gather_p.batch = _gather_batch
declare(gather_p, gathers_along_axis)

scatter_add_p = Primitive("scatter_add_along_axis", _scatter_add_impl)
scatter_add_p.jvp = lambda primals, tangents, *, axis, shape: (
    scatter_add(primals[0], primals[1], axis, shape),
    None if tangents[0] is None else scatter_add(tangents[0], primals[1], axis, shape),
)
scatter_add_p.vjp = lambda ct, ans, primals, wants, *, axis, shape: (
    gather(ct, primals[1], axis) if wants[0] else None,
    None,
)


def _scatter_add_batch(vals: Any, bdims: Any, *, axis: Any, shape: Any) -> Any:
    ct, idx = _batch_both(vals, bdims)
    return scatter_add(ct, idx, axis + 1, (ct.shape[0],) + tuple(shape)), 0


scatter_add_p.batch = _scatter_add_batch
declare(scatter_add_p, scatters(lambda ids, vals, *, axis, shape: np.take_along_axis(ids, vals[1], axis)))


def gather(x: Any, idx: Any, axis: Any) -> Any:
    """``numpy.take_along_axis(x, idx, axis)`` for a concrete or batched integer ``idx``."""
    return bind(gather_p, x, idx, axis=axis)


def scatter_add(ct: Any, idx: Any, axis: Any, shape: Any) -> Any:
    """Zeros of ``shape`` with ``ct`` added at ``idx`` along ``axis`` (gather's transpose)."""
    return bind(scatter_add_p, ct, idx, axis=axis, shape=tuple(shape))


# ------------------------------------------------------------------ orderings (no derivative)

argsort_p = Primitive(
    "argsort", lambda x, *, axis, kind: np.argsort(x, axis=axis, kind=kind), differentiable=False
)
argsort_p.batch = lambda vals, bdims, *, axis, kind: (argsort(vals[0], axis + 1, kind), 0)


def argsort(x: Any, axis: Any, kind: Any = "stable") -> Any:
    """Indices that sort ``x`` along ``axis`` (a non-negative int)."""
    return bind(argsort_p, x, axis=axis, kind=kind)


def _declare_arg_extreme(name: Any, impl: Any) -> Any:
    prim = Primitive(
        name, lambda x, *, axis, keepdims: impl(x, axis=axis, keepdims=keepdims), differentiable=False
    )
    prim.batch = lambda vals, bdims, *, axis, keepdims: (
        bind(prim, vals[0], axis=axis + 1, keepdims=keepdims),
        0,
    )
    return prim


argmax_p = _declare_arg_extreme("argmax", np.argmax)
argmin_p = _declare_arg_extreme("argmin", np.argmin)


def argmax(x: Any, axis: Any, keepdims: Any = False) -> Any:
    return bind(argmax_p, x, axis=axis, keepdims=keepdims)


def argmin(x: Any, axis: Any, keepdims: Any = False) -> Any:
    return bind(argmin_p, x, axis=axis, keepdims=keepdims)
