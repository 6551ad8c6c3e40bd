"""Sparsity rules: which input elements each output element of a primitive depends on.

A primitive declares its rule in its own block with :func:`declare` (``prim.sparsity`` and
``prim.curvature``); sparsity detection (``fad._sparsity``) reads them. A rule is called as
``rule(prim, vals, fixed, **params)`` with the arguments' example values and, per argument,
whether its value is the same for every input (a constant, or anything in local detection);
it returns one entry per argument: ``None`` (no dependence) or ``(rows, cols)``, integer
arrays listing the pairs *output element* (flat, C order) <- *argument element*
(``rows=None``: output element ``k`` <- ``cols[k]``, one each), :data:`SAME` (element
``k`` <- element ``k``), or :data:`DENSE` for "every output element may depend on every
traced element". A rule marked ``rule.per_output = True`` is also given the outputs'
shapes (``out_shapes=``) and returns such a list for each output (primitives with several
results, or whose rule needs the output's shape).

``curvature`` says how second derivatives arise (Hessian patterns): ``"linear"`` (none),
``"multilinear"`` (only between different arguments, e.g. ``a @ b``) or ``"nonlinear"`` (any
two elements an output element depends on). A primitive without a rule is dense and
nonlinear: correct, never exact. Elementwise primitives (the broadcasting batch rule of
``fad._rules``) need none: their pattern is the broadcast, and the partial derivatives'
declared reads (``keeps=``) say which arguments meet in a second derivative.

This module only uses NumPy: patterns become ``scipy.sparse`` matrices in ``fad._sparsity``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TypeAlias

    from numpy.typing import NDArray

    Ints = NDArray[np.int64]
    from typing import Literal

    #: A dependence on an argument: ``SAME``, ``DENSE`` or ``(rows, cols)``.
    Moves: TypeAlias = Literal["dense", "same"] | tuple[Ints | None, Ints]
    #: A rule's answer for one argument: a dependence, or None (no dependence).
    Dep: TypeAlias = Moves | None
    Rule: TypeAlias = Callable[..., list[Any]]  # list[Dep], or one per output (per_output)

#: A rule's answer for an argument every output element may depend on entirely.
DENSE: Final = "dense"

#: A rule's answer for an argument of the output's shape, element ``k`` giving element ``k``.
SAME: Final = "same"

#: ``prim.sparsity = INLINE``: the primitive calls ``params["fun"]`` on its arguments (custom
#: rules, checkpoint); detection traces that function instead.
INLINE: Final = "inline"

CURVATURES = ("linear", "multilinear", "nonlinear")


def declare(prim: Any, rule: Rule | str | None, curvature: str = "linear") -> Any:
    """Give ``prim`` its sparsity rule and curvature (see the module docstring)."""
    if curvature not in CURVATURES:
        raise ValueError(f"{prim.name}: curvature is one of {CURVATURES}, not {curvature!r}")
    prim.sparsity, prim.curvature = rule, curvature
    return prim


def _size(shape: Sequence[int]) -> int:
    return int(np.prod(shape, dtype=np.int64))


def dense(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
    """Every output element depends on every element of every argument."""
    return [DENSE] * len(vals)


def moves(*data: int) -> Rule:
    """The rule of a primitive that moves, copies or drops elements of the arguments at
    positions ``data`` (all, if none are named): reshape, transpose, slicing, gather,
    concatenate, roll, pad ... It is computed exactly by running the primitive itself on
    arrays of element numbers. Its other arguments (integer indices) must be fixed; if not,
    the pattern is dense."""

    def rule(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
        moved: Sequence[int] = data or range(len(vals))  # none named: every argument
        if not all(f for i, f in enumerate(fixed) if i not in moved):
            return [DENSE if i in moved else None for i in range(len(vals))]
        ids, offsets, at = list(vals), list[int](), 1
        for i in moved:
            shape = np.shape(vals[i])
            ids[i] = np.arange(at, at + _size(shape), dtype=np.int64).reshape(shape)
            offsets.append(at)
            at += _size(shape)
        out = np.asarray(prim.impl(*ids, **params)).reshape(-1)
        deps: list[Dep] = [None] * len(vals)
        if len(moved) == 1 and out.size and out.min() > 0:  # every output element from the one input
            deps[moved[0]] = (None, out - 1)
            return deps
        rows = np.flatnonzero(out)
        src = out[rows]
        which = np.searchsorted(np.asarray(offsets), src, side="right") - 1
        for k, i in enumerate(moved):
            mine = which == k
            deps[i] = (rows[mine], src[mine] - offsets[k])
        return deps

    return rule


_moves_first = moves(0)


def gathers(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
    """``x[i0, i1, ...]`` (integer arrays of one shape, on the leading axes of ``x``):
    exact where the indices are fixed. A traced index array leaves its axis free: an output
    element depends on the whole line of ``x`` along it, at the fixed indices' position
    (a sort along an axis reads each row's own elements, not the whole array)."""
    if all(fixed[1:]):
        return _moves_first(prim, vals, fixed, **params)
    shape, ix = tuple(np.shape(vals[0])), vals[1:]
    lead, rest = shape[: len(ix)], _size(shape[len(ix) :])
    ishape = np.broadcast_shapes(*(np.shape(i) for i in ix))
    count, free = _size(ishape), [j for j in range(len(ix)) if not fixed[1 + j]]
    deps: list[Dep] = [None] * len(vals)
    if count * rest * _size([lead[j] for j in free]) > 50_000_000:  # as large as dense
        deps[0] = DENSE
        return deps
    strides = [_size(lead[j + 1 :]) * rest for j in range(len(ix))]
    base = np.zeros(count, np.int64)  # each output position's element, the free axes at 0
    for j in range(len(ix)):
        if fixed[1 + j]:
            at = np.broadcast_to(np.asarray(ix[j], np.int64), ishape).reshape(-1) % max(lead[j], 1)
            base += at * strides[j]
    line = np.zeros(1, np.int64)  # the offsets along the free axes
    for j in free:
        line = (line[:, None] + np.arange(lead[j], dtype=np.int64) * strides[j]).reshape(-1)
    r = np.arange(rest, dtype=np.int64)
    rows = np.arange(count, dtype=np.int64)[:, None, None] * rest + r
    cols = base[:, None, None] + line[None, :, None] + r
    full = (count, line.size, rest)
    deps[0] = (np.broadcast_to(rows, full).reshape(-1), np.broadcast_to(cols, full).reshape(-1))
    return deps


def gathers_along_axis(
    prim: Any, vals: Sequence[Any], fixed: Sequence[bool], *, axis: int, **params: Any
) -> list[Dep]:
    """``take_along_axis(x, idx, axis)``: exact for fixed indices; traced ones (a sort's)
    leave the axis free: an output element depends on the line of ``x`` along ``axis``
    through its position (other axes broadcast), not on the whole array."""
    if fixed[1]:
        return _moves_first(prim, vals, fixed, axis=axis, **params)
    sx, si = tuple(np.shape(vals[0])), tuple(np.shape(vals[1]))
    other = np.broadcast_shapes(sx[:axis] + (1,) + sx[axis + 1 :], si[:axis] + (1,) + si[axis + 1 :])
    out_shape = other[:axis] + (si[axis],) + other[axis + 1 :]
    if _size(out_shape) * sx[axis] > 50_000_000:  # as large as dense
        return [DENSE, None]
    x_ids = np.arange(_size(sx), dtype=np.int64).reshape(sx)
    lines = np.broadcast_to(np.moveaxis(x_ids, axis, -1), (*other[:axis], *other[axis + 1 :], sx[axis]))
    out_ids = np.moveaxis(np.arange(_size(out_shape), dtype=np.int64).reshape(out_shape), axis, -1)
    full = (*out_ids.shape, sx[axis])
    rows = np.broadcast_to(out_ids[..., :, None], full).reshape(-1)
    cols = np.broadcast_to(lines[..., None, :], full).reshape(-1)
    return [(rows, cols), None]


def scatters(targets: Callable[..., Any]) -> Rule:
    """The rule of a primitive that adds its first argument into zeros (the transpose of a
    gather): ``targets(out_ids, vals, **params)`` gathers the output element numbers
    ``out_ids`` (of the output's shape) the way the transposed primitive would, giving the
    output element each input element lands on. The index arguments must be fixed."""

    def rule(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
        if not all(fixed[1:]):
            return [DENSE if i == 0 else None for i in range(len(vals))]
        shape = params["shape"]
        out_ids = np.arange(_size(shape), dtype=np.int64).reshape(shape)
        t = np.broadcast_to(targets(out_ids, vals, **params), np.shape(vals[0])).reshape(-1)
        return [(t, np.arange(t.size, dtype=np.int64))] + [None] * (len(vals) - 1)

    return rule


def reduces(
    prim: Any,
    vals: Sequence[Any],
    fixed: Sequence[bool],
    *,
    axes: Sequence[int],
    keepdims: bool = False,
    **params: Any,
) -> list[Dep]:
    """Reductions over ``axes``: an output element depends on the elements it reduces."""
    shape = np.shape(vals[0])
    kept = tuple(1 if i in axes else s for i, s in enumerate(shape))
    ids = np.broadcast_to(np.arange(_size(kept), dtype=np.int64).reshape(kept), shape).reshape(-1)
    return [(ids, np.arange(ids.size, dtype=np.int64))]


def cumulates(
    prim: Any, vals: Sequence[Any], fixed: Sequence[bool], *, axis: int, **params: Any
) -> list[Dep]:
    """Cumulative operations along ``axis``: element ``i`` depends on elements ``j <= i``."""
    shape = np.shape(vals[0])
    grid = np.moveaxis(np.arange(_size(shape), dtype=np.int64).reshape(shape), axis, -1)
    grid = grid.reshape(-1, shape[axis])
    j, i = np.triu_indices(shape[axis])  # j <= i
    return [(grid[:, i].reshape(-1), grid[:, j].reshape(-1))]


def same_shape(when: Callable[..., Any] | None = None) -> Rule:
    """An elementwise unary rule (output element ``k`` depends on input element ``k``);
    ``when(vals, **params)`` false: no dependence at all (a conversion to integers)."""

    def rule(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
        if when is not None and not when(vals, **params):
            return [None]
        k = np.arange(_size(np.shape(vals[0])), dtype=np.int64)
        return [(k, k)]

    return rule


def _selected(mask: NDArray[np.bool_] | None, shape: Sequence[int], out_shape: Sequence[int]) -> Dep:
    """``(rows, cols)`` of a broadcast argument of ``shape``, kept where ``mask`` holds."""
    if tuple(shape) == tuple(out_shape) and (mask is None or np.all(mask)):
        return SAME
    ids = np.arange(_size(shape), dtype=np.int64).reshape(shape)
    cols = np.broadcast_to(ids, out_shape).reshape(-1)
    rows = np.arange(cols.size, dtype=np.int64)
    if mask is not None:
        keep = np.broadcast_to(mask, out_shape).reshape(-1)
        rows, cols = rows[keep], cols[keep]
    return rows, cols


def selects(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
    """``where(c, x, y)``: with a fixed condition, each output element depends on ``x`` or
    on ``y``, never both; with a traced one, on both."""
    c, x, y = vals
    out_shape = np.broadcast_shapes(np.shape(c), np.shape(x), np.shape(y))
    cond = np.asarray(c, bool) if fixed[0] else None
    return [
        None,
        _selected(cond, np.shape(x), out_shape),
        _selected(None if cond is None else ~cond, np.shape(y), out_shape),
    ]


def multiplies(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
    """``x * y``: each output element depends on an argument's element where the other
    factor may be nonzero (a fixed factor's zeros are known: ``x * mask``)."""
    out_shape = np.broadcast_shapes(np.shape(vals[0]), np.shape(vals[1]))
    deps = []
    for i, other in ((0, 1), (1, 0)):
        mask = np.asarray(vals[other]) != 0 if fixed[other] else None
        deps.append(_selected(mask, np.shape(vals[i]), out_shape))
    return deps


def matmul_pattern(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
    """``a @ b``, stacks of matrices included: ``out[t, i, k]`` depends on ``a[t, i, j]`` and
    ``b[t, j, k]`` (``t`` a position in the broadcast stack, each operand's own position
    there), where the other factor may be nonzero (a fixed factor's zeros are known). A
    1-D operand is a row (``a``) or a column (``b``), as in ``numpy.matmul``."""
    a, b = vals
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return [DENSE, DENSE]
    sa = (1, *np.shape(a)) if np.ndim(a) == 1 else tuple(np.shape(a))
    sb = (*np.shape(b), 1) if np.ndim(b) == 1 else tuple(np.shape(b))
    (p, q), r = sa[-2:], sb[-1]
    stack_a, stack_b = sa[:-2], sb[:-2]
    stack = np.broadcast_shapes(stack_a, stack_b)
    # each output matrix's matrix of a and of b
    ta = np.broadcast_to(np.arange(_size(stack_a), dtype=np.int64).reshape(stack_a), stack).reshape(-1)
    tb = np.broadcast_to(np.arange(_size(stack_b), dtype=np.int64).reshape(stack_b), stack).reshape(-1)
    nz_a = (np.asarray(a) != 0).reshape(-1, p, q) if fixed[0] else np.ones((1, p, q), bool)
    nz_b = (np.asarray(b) != 0).reshape(-1, q, r) if fixed[1] else np.ones((1, q, r), bool)
    # a[ta[t], i, j] reaches out[t, i, k] where b[tb[t], j, k] may be nonzero
    t, j, k = np.nonzero(nz_b[tb if fixed[1] else np.zeros_like(tb)])
    i = np.arange(p, dtype=np.int64)
    dep_a = (
        (((t * p)[:, None] + i) * r + k[:, None]).reshape(-1),
        (((ta[t] * p)[:, None] + i) * q + j[:, None]).reshape(-1),
    )
    # and b[tb[t], j, k] where a[ta[t], i, j] may be nonzero
    t, i, j = np.nonzero(nz_a[ta if fixed[0] else np.zeros_like(ta)])
    k = np.arange(r, dtype=np.int64)
    dep_b = (
        (((t * p + i) * r)[:, None] + k).reshape(-1),
        (((tb[t] * q + j) * r)[:, None] + k).reshape(-1),
    )
    return [dep_a, dep_b]


def _blocks(out_ids: Ints, in_ids: Ints) -> tuple[Ints, Ints]:
    """``(rows, cols)``: every element of row ``t`` of ``out_ids`` (problems by elements)
    depends on every element of row ``t`` of ``in_ids``."""
    r, a = out_ids.shape
    b = in_ids.shape[1]
    rows = np.broadcast_to(out_ids[:, :, None], (r, a, b)).reshape(-1)
    cols = np.broadcast_to(in_ids[:, None, :], (r, a, b)).reshape(-1)
    return rows, cols


def stacked(*cores: int | Callable[[int], int]) -> Rule:
    """The rule of a primitive on stacks of problems (NumPy's ``linalg``): the last
    ``cores[i]`` axes of argument ``i`` (a function of its number of axes, or a number) hold
    one problem, the axes before them a stack, broadcast across the arguments, and each
    output's leading axes are that stack. Each element of an output's problem depends on
    every element of every argument's problem at its stack position: exact across the
    stack, dense within a problem."""

    def rule(
        prim: Any, vals: Sequence[Any], fixed: Sequence[bool], *, out_shapes: Sequence[Any], **params: Any
    ) -> list[list[Dep]]:
        shapes = [tuple(np.shape(v)) for v in vals]
        core = [c(len(s)) if callable(c) else c for c, s in zip(cores, shapes, strict=True)]
        stacks = [s[: len(s) - c] for s, c in zip(shapes, core, strict=True)]
        stack = np.broadcast_shapes(*stacks)
        count = _size(stack)
        ins = [  # per argument: each stack position's problem, as element numbers
            (
                np.broadcast_to(np.arange(_size(st), dtype=np.int64).reshape(st), stack).reshape(-1, 1)
                * _size(s[len(st) :])
                + np.arange(_size(s[len(st) :]), dtype=np.int64)
            )
            for s, st in zip(shapes, stacks, strict=True)
        ]
        out: list[list[Dep]] = []
        for shape in out_shapes:
            ids = np.arange(_size(shape), dtype=np.int64).reshape(count, -1) if count else None
            out.append([None if ids is None else _blocks(ids, i) for i in ins])
        return out

    rule.per_output = True  # type: ignore[attr-defined]
    return rule


def along_axes(
    prim: Any,
    vals: Sequence[Any],
    fixed: Sequence[bool],
    *,
    out_shapes: Sequence[Any],
    axes: Any,
    **params: Any,
) -> list[list[Dep]]:
    """Transforms along ``axes`` (FFTs): an output element depends on every input element
    at the same position on the other axes (whose lengths the transform keeps)."""
    shape = tuple(np.shape(vals[0]))
    (out_shape,) = out_shapes
    nd = len(shape)
    moved = [a % nd for a in axes]
    order = [a for a in range(nd) if a not in moved] + moved
    lines = _size([shape[a] for a in order[: nd - len(moved)]])
    if not lines or not _size(out_shape):
        return [[None]]

    def ids(shape: Sequence[int]) -> Ints:
        out: Ints = np.arange(_size(shape), dtype=np.int64).reshape(shape).transpose(order).reshape(lines, -1)
        return out

    return [[_blocks(ids(out_shape), ids(shape))]]


along_axes.per_output = True  # type: ignore[attr-defined]


def outer_pattern(prim: Any, vals: Sequence[Any], fixed: Sequence[bool], **params: Any) -> list[Dep]:
    """``outer(a, b)``: ``out[i, j]`` depends on ``a[i]`` and ``b[j]``."""
    m, n = _size(np.shape(vals[0])), _size(np.shape(vals[1]))
    i, j = np.divmod(np.arange(m * n, dtype=np.int64), n)
    rows = np.arange(m * n, dtype=np.int64)
    return [(rows, i), (rows, j)]
