"""Per-example branches under ``vmap``: :func:`split_by_index`.

fad is eager, so a predicate batched by ``vmap`` has a concrete value per example. A
branch then runs only on the examples that take it: their rows are gathered, the branch
runs on them, and the results are scattered back. The examples a branch does not take
never meet it, in the forward pass or in any derivative, so ``vmap(f)(X)[i] == f(X[i])``
holds for values and every derivative, even where the other branch's derivative is
infinite (``where(p, sqrt(x), x)`` would put ``0 * inf`` into the cotangent).

Two primitives move rows of one vmap (the *target*) between the full batch and a branch's
share of it; every other trace sees them as ordinary linear operations:

==============  ===========================  ==========================  =================
primitive       jvp                          vjp                         vmap
==============  ===========================  ==========================  =================
take_rows       take_rows of the tangent     put_rows of the cotangent   the target gathers
                                                                         rows; others pass
put_rows        put_rows of the tangents     take_rows of the cotangent  the target scatters
                                                                         rows; others pass
==============  ===========================  ==========================  =================

Both take a *marker* first: a value batched by the target (the branch index), so the
target always processes them, and each names its target in ``target``; a batching rule
knows it runs for the target when the current trace is ``target.parent`` (rules run one
level down). Rows not given to ``put_rows`` are zero.

A branch runs under a :class:`RowsTrace`: every traced value it uses, as an operand or
through a closure (of any enclosing transform), is restricted to the branch's rows by
``take_rows`` the first time it is used, so closures need no special care.
"""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from fad import _prims as st
from fad._core import FadError, PrimalTracer, Primitive, Trace, Tracer, _state, bind, use_trace
from fad._tree import tree_flatten, tree_unflatten
from fad._vmap import BatchTracer


def _not_reached(*args: Any, target: Any, rows: Any) -> NoReturn:
    raise FadError(
        "fad internal error: a row operation of a batched lax.cond/switch/while_loop was "
        "evaluated outside the vmap it belongs to. Please report this."
    )


def _at_target(target: Any) -> Any:
    return _state.trace is target.parent


# ---------------------------------------------------------------------------- take_rows

take_rows_p = Primitive("take_rows", _not_reached)


def take_rows(m: Any, x: Any, *, target: Any, rows: Any) -> Any:
    """The rows ``rows`` of ``x`` along the batch of the vmap ``target``."""
    return bind(take_rows_p, m, x, target=target, rows=rows)


def _take_rows_batch(vals: Any, bdims: Any, *, target: Any, rows: Any) -> Any:
    m, x = vals
    if bdims[1] is None:  # the same for every example: every share of it is itself
        return (x if _at_target(target) else take_rows(m, x, target=target, rows=rows)), None
    if _at_target(target):
        return st.getitem(x, (rows,)), 0
    return take_rows(m, x, target=target, rows=rows), 0  # a vmap above the target


def _take_rows_jvp(primals: Any, tangents: Any, *, target: Any, rows: Any) -> Any:
    m, x = primals
    t = tangents[1]
    out = take_rows(m, x, target=target, rows=rows)
    return out, None if t is None else take_rows(m, t, target=target, rows=rows)


def _take_rows_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, target: Any, rows: Any) -> Any:
    return [None, put_rows(primals[0], ct, target=target, rows=(rows,))]


take_rows_p.batch = _take_rows_batch
take_rows_p.jvp = _take_rows_jvp
take_rows_p.vjp = _take_rows_vjp


# ----------------------------------------------------------------------------- put_rows

put_rows_p = Primitive("put_rows", _not_reached)


def put_rows(m: Any, *parts: Any, target: Any, rows: Any) -> Any:
    """The full batch of ``target`` whose rows ``rows[k]`` are ``parts[k]`` (zero elsewhere)."""
    return bind(put_rows_p, m, *parts, target=target, rows=rows)


def _put_rows_batch(vals: Any, bdims: Any, *, target: Any, rows: Any) -> Any:
    m, parts, pb = vals[0], vals[1:], bdims[1:]
    if not _at_target(target):  # a vmap above the target: its examples are untouched
        if all(b is None for b in pb):
            return put_rows(m, *parts, target=target, rows=rows), None
        size = next(p.shape[0] for p, b in zip(parts, pb, strict=True) if b == 0)
        parts = [
            p if b == 0 else st.broadcast_to(p, (size, *st.shape_of(p)))
            for p, b in zip(parts, pb, strict=True)
        ]
        return put_rows(m, *parts, target=target, rows=rows), 0
    n = m.shape[0]
    shape = next((st.shape_of(p)[b == 0 :] for p, b in zip(parts, pb, strict=True)), ())
    pieces = [
        p if b == 0 else st.broadcast_to(p, (len(r), *shape)) for p, b, r in zip(parts, pb, rows, strict=True)
    ]
    order = np.concatenate(rows)
    if len(order) < n:  # rows no part fills are zero
        rest = np.setdiff1d(np.arange(n), order)
        dtype = np.result_type(*[st.result_dtype(p) for p in parts])
        pieces.append(np.zeros((len(rest), *shape), dtype))
        order = np.concatenate([order, rest])
    out = st.concatenate(pieces, 0)
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.arange(n)
    return st.getitem(out, (inverse,)), 0


def _put_rows_jvp(primals: Any, tangents: Any, *, target: Any, rows: Any) -> Any:
    m, parts = primals[0], primals[1:]
    out = put_rows(m, *parts, target=target, rows=rows)
    ts = tangents[1:]
    if all(t is None for t in ts):
        return out, None
    ts = [st.zeros_like_value(p) if t is None else t for p, t in zip(parts, ts, strict=True)]
    return out, put_rows(m, *ts, target=target, rows=rows)


def _put_rows_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, target: Any, rows: Any) -> Any:
    m = primals[0]
    return [None] + [
        take_rows(m, ct, target=target, rows=r) if w else None for w, r in zip(wants[1:], rows, strict=True)
    ]


put_rows_p.batch = _put_rows_batch
put_rows_p.jvp = _put_rows_jvp
put_rows_p.vjp = _put_rows_vjp


# ---------------------------------------------------------------------------- RowsTrace


class RowsTracer(Tracer):
    """A value of a branch, restricted to the branch's rows (the value one level down)."""

    __slots__ = ("val", "shape", "dtype")

    def __init__(self, trace: Any, val: Any) -> None:
        self._trace = trace
        self.val = val
        self.shape = val.shape
        self.dtype = val.dtype

    def _value(self) -> Any:
        return self.val


class RowsTrace(Trace):
    """Runs a branch on its rows: every traced value from outside is restricted on first use."""

    __slots__ = ("marker", "target", "rows", "lifted")

    def __init__(self, parent: Any, name: Any, marker: Any, target: Any, rows: Any) -> None:
        super().__init__(parent, name)
        self.marker = marker
        self.target = target
        self.rows = rows
        self.lifted: dict[
            int, tuple[Any, Any]
        ] = {}  # id(outside value) -> (value, its rows): restrict each value once

    def lift(self, x: Any) -> Any:
        hit = self.lifted.get(id(x))
        if hit is not None:
            return hit[1]
        params = {"target": self.target, "rows": self.rows}
        r = self.parent.process(take_rows_p, (self.marker, x), params)
        self.lifted[id(x)] = (x, r)  # keeps x alive, so its id is not reused
        return r

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        vals = None
        for i, a in enumerate(args):
            if isinstance(a, Tracer):
                if vals is None:
                    vals = list(args)
                vals[i] = a.val if type(a) is RowsTracer and a._trace is self else self.lift(a)
        if vals is None:
            return self.parent.process(prim, args, params)
        out = self.parent.process(prim, vals, params)
        if prim.multiple_results:
            return tuple(RowsTracer(self, o) if isinstance(o, Tracer) else o for o in out)
        return RowsTracer(self, out) if isinstance(out, Tracer) else out

    def lower(self, x: Any) -> Any:
        """``x`` as a value one level down, restricted to the rows."""
        if type(x) is RowsTracer and x._trace is self:
            return x.val
        if isinstance(x, Tracer):
            return self.lift(x)
        return np.asarray(x)


# ----------------------------------------------------------------------------- the split


def batch_pattern(index: Any) -> tuple[list[Trace], Any] | None:
    """``(vmaps, values)``: the vmaps that batch ``index`` (oldest first) and its concrete
    values, one axis per vmap; ``None`` when a value is not concrete (staged by jit)."""
    traces = []
    x = index
    while isinstance(x, Tracer):
        if type(x) is BatchTracer:
            traces.append(x._trace)
        elif not (type(x) is RowsTracer or isinstance(x, PrimalTracer)):
            return None  # staged (fad.jit): the values of later calls are unknown
        x = x._value()
    traces.reverse()
    return traces, np.asarray(x)


def split_by_index(index: Any, branches: Any, operands: Any, check: Any) -> Any:
    """Per example, ``branches[index](*operands)``, running each branch only on the examples
    that take it. ``index`` is a scalar per example, batched by one or more vmaps, with
    concrete values in ``range(len(branches))``; returns None when they are not concrete.
    ``check(first, other, k_first, k_other)`` compares the outputs ``(treedef, leaves)`` of
    two branches (``k``: the branch, or None when not known)."""
    pattern = batch_pattern(index)
    if pattern is None:
        return None
    return _split(index, *pattern, branches, operands, check)


def _split(index: Any, traces: Any, values: Any, branches: Any, operands: Any, check: Any) -> Any:
    first = values.flat[0]
    if (values == first).all():  # every example takes the same branch: just run it
        return branches[int(first)](*operands)
    if values.ndim == 1:  # one vmap: one group per branch taken
        ks: Any = np.unique(values)
        groups = [np.flatnonzero(values == k) for k in ks]
        ks = [int(k) for k in ks]
        results = [
            _run_rows(index, traces[0], r, branches[k], operands) for r, k in zip(groups, ks, strict=True)
        ]
        return _merge(index, traces[0], groups, results, ks, check)
    # several vmaps: split along the one whose examples fall into the fewest groups of
    # equal patterns; within a group that vmap agrees, and the split goes on along the others
    best: Any = None
    for j in range(values.ndim):
        flat = np.moveaxis(values, j, 0).reshape(values.shape[j], -1)
        kinds, which = np.unique(flat, axis=0, return_inverse=True)
        if len(kinds) > 1 and (best is None or len(kinds) < best[0]):
            best = (len(kinds), j, kinds, which.reshape(-1))
    _, j, kinds, which = best
    target = traces[j]
    groups = [np.flatnonzero(which == g) for g in range(len(kinds))]
    again = lambda i, *ops: split_by_index(i, branches, ops, check)  # noqa: E731
    results = [_run_rows(index, target, rows, again, (index, *operands)) for rows in groups]
    return _merge(index, target, groups, results, [None] * len(groups), check)


def _merge(index: Any, target: Any, groups: Any, results: Any, ks: Any, check: Any) -> Any:
    """Scatter the branches' outputs back to the full batch of ``target``."""
    for k, other in zip(ks[1:], results[1:], strict=True):
        check(results[0], other, ks[0], k)
    tree = results[0][0]
    columns = zip(*[leaves for _, leaves in results], strict=True)
    params = {"target": target, "rows": tuple(groups)}
    return tree_unflatten(tree, [bind(put_rows_p, index, *col, **params) for col in columns])


def _run_rows(marker: Any, target: Any, rows: Any, fun: Any, args: Any) -> Any:
    """``fun(*args)`` on the rows ``rows`` of the vmap ``target``: ``(treedef, leaves)``
    of its output, each leaf restricted to the rows (one level below the branch)."""
    trace = RowsTrace(_state.trace, "lax.cond", marker, target, rows)
    leaves, tree = tree_flatten(args)
    ins = [RowsTracer(trace, trace.lift(a)) if isinstance(a, Tracer) else a for a in leaves]
    try:
        with use_trace(trace):
            out = fun(*tree_unflatten(tree, ins))
    finally:
        trace.alive = False
    out_leaves, out_tree = tree_flatten(out)
    return out_tree, [trace.lower(o) for o in out_leaves]
