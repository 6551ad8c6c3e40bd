"""Sparsity detection: which outputs depend on which inputs, found by tracing.

:func:`jacobian_sparsity` and :func:`hessian_sparsity` run the function once under a
:class:`SparsityTrace`. Its tracer carries the value (so shapes are known) and, as one
``scipy.sparse`` boolean matrix, the dependence pattern of every element: row ``k`` lists
the input elements that element ``k`` of the value depends on. Each primitive moves the
patterns by the rule declared in its block (``fad._pattern_rules``); no derivative is ever
computed. For Hessians the trace also keeps a tape of the primitives and their curvature,
then walks it backwards to collect the second-order pairs of the operations that reach the
output.

Detection is *global* by default: the pattern holds for every input, so Python control
flow on a traced value is refused. ``local=True`` gives the pattern at the given point
only: control flow, traced indices and ``where`` conditions then follow the values.

SciPy is optional: it is imported when detection runs (``fad``'s core never imports it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import BOTTOM, FadError, PrimalTracer, Trace, _state, use_trace
from fad._pattern_rules import DENSE, INLINE, SAME
from fad._rules import BROADCASTING_RULES
from fad._tree import tree_flatten, tree_leaves, tree_unflatten

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Literal, TypeAlias

    from fad._pattern_rules import Dep, Moves

    #: How second derivatives arise: "linear", "multilinear", "nonlinear" or ("pairs", {(i, j)}).
    Kind: TypeAlias = Literal["linear", "multilinear", "nonlinear"] | tuple[str, frozenset[tuple[int, int]]]
    #: One traced argument of a recorded primitive: (position, tape node, moved pattern, dependence).
    Moved: TypeAlias = tuple[int, int | None, Any, Moves]


def scipy_sparse() -> Any:
    """``scipy.sparse``, or a clear error when SciPy is missing."""
    try:
        import scipy.sparse
    except ImportError:  # pragma: no cover - SciPy is installed in the test environment
        raise ImportError(
            "fad's sparse Jacobians and Hessians return scipy.sparse matrices: install SciPy "
            "(pip install scipy) to use them."
        ) from None
    return scipy.sparse


class SparsityError(FadError, TypeError):
    """Sparsity detection met something it cannot follow for every input."""


# ----------------------------------------------------------------------------- tracer


class SparsityTracer(PrimalTracer):
    __slots__ = ("pattern", "varies", "node")
    _trace: SparsityTrace

    def __init__(
        self, trace: SparsityTrace, primal: Any, pattern: Any, varies: bool, node: int | None
    ) -> None:
        self._trace = trace
        self.primal = primal
        self.shape = np.shape(primal)
        self.dtype = primal.dtype if hasattr(primal, "dtype") else np.result_type(primal)
        self.pattern = pattern  # csr (size x n_inputs), bool
        self.varies = varies  # the value depends on the inputs (even without a derivative)
        self.node = node  # its place on the Hessian tape (or None)

    def _concrete(self, what: str) -> Any:
        if self._trace.local:
            return PrimalTracer._concrete(self, what)
        raise SparsityError(
            f"{what}() was called on a value traced by fad.{self._trace.name} (shape "
            f"{self.shape}): Python control flow on it makes the sparsity pattern depend on "
            "the input, and detection is global (valid for every input). Use "
            f"fad.numpy.where / fad.lax.cond, or pass local=True to fad.{self._trace.name} "
            "for the pattern at this point only."
        )

    def __index__(self) -> int:  # type: ignore[override]  # (a Tracer refuses; this one may not)
        if self._trace.local:
            return int(self.primal)
        return int(self._concrete("index"))  # (raises: global detection)


# ------------------------------------------------------------------------------ trace


class SparsityTrace(Trace):
    __slots__ = ("n", "local", "tape", "sp", "empty")

    def __init__(self, parent: Trace, name: str, n: int, local: bool, hessian: bool) -> None:
        super().__init__(parent, name)
        self.n, self.local = n, local
        # per recorded value: (its pattern, its traced arguments, its kind)
        self.tape: list[tuple[Any, Sequence[Moved], Kind]] | None = [] if hessian else None
        self.sp = scipy_sparse()

    def new(
        self, primal: Any, pattern: Any, varies: bool, args: Sequence[Moved] = (), kind: Kind = "linear"
    ) -> SparsityTracer:
        """A tracer; on the Hessian tape, with the arguments it was computed from."""
        node = None
        if self.tape is not None:
            node = len(self.tape)
            self.tape.append((pattern, args, kind))
        return SparsityTracer(self, primal, pattern, varies, node)

    def zeros(self, size: int) -> Any:
        return self.sp.csr_array((size, self.n), dtype=bool)

    def process(self, prim: Any, args: Sequence[Any], params: dict[str, Any]) -> Any:
        ours = [type(a) is SparsityTracer and a._trace is self for a in args]
        if not any(ours):
            return self.parent.process(prim, args, params)
        rule = getattr(prim, "sparsity", None)
        if rule is INLINE:
            with use_trace(self):
                return params["fun"](*args)
        vals = [a.primal if o else a for a, o in zip(args, ours, strict=True)]
        st = _state
        prev, st.trace = st.trace, self.parent
        try:
            out = self.parent.process(prim, vals, params)
        finally:
            st.trace = prev
        outs = out if prim.multiple_results else (out,)
        varies = any(a.varies for a, o in zip(args, ours, strict=True) if o)
        traced = [(i, a) for i, (a, o) in enumerate(zip(args, ours, strict=True)) if o]
        results = []
        deps: list[Dep]
        kind: Kind
        # per argument: its value is the same for every input (a constant, or local detection)
        fixed = [self.local or not (o and a.varies) for a, o in zip(args, ours, strict=True)]
        per_output = None
        if prim.differentiable and rule is not None and getattr(rule, "per_output", False):  # per result
            per_output = rule(prim, vals, fixed, out_shapes=[np.shape(o) for o in outs], **params)
        for k, o in enumerate(outs):
            size = int(np.size(o))
            if not prim.differentiable:
                results.append(self.new(o, self.zeros(size), varies))
                continue
            if per_output is not None:
                deps, kind = per_output[k], prim.curvature
            elif rule is None and prim.batch in BROADCASTING_RULES and not prim.multiple_results:
                deps, kind = self._elementwise(prim, vals, np.shape(o), traced)
            elif rule is None or prim.multiple_results:
                deps, kind = [DENSE] * len(vals), "nonlinear"
            else:
                deps, kind = rule(prim, vals, fixed, **params), prim.curvature
            results.append(self._combine(o, size, deps, kind, traced, varies))
        return tuple(results) if prim.multiple_results else results[0]

    def _elementwise(
        self, prim: Any, vals: Sequence[Any], out_shape: tuple[int, ...], traced: list[tuple[int, Any]]
    ) -> tuple[list[Dep], Kind]:
        """A broadcasting primitive: each argument by its broadcast; the second-order pairs
        from what each partial derivative reads (its declared residuals)."""
        deps: list[Dep] = [None] * len(vals)
        for i, a in traced:
            shape = a.shape
            if shape == out_shape:
                deps[i] = SAME
            else:
                ids = np.arange(int(np.prod(shape, dtype=np.int64)), dtype=np.int64).reshape(shape)
                cols = np.broadcast_to(ids, out_shape).reshape(-1)
                deps[i] = (np.arange(cols.size, dtype=np.int64), cols)
        keep = prim.residuals
        pairs: set[tuple[int, int]] = set()
        ids = [i for i, _ in traced]
        for i in ids:
            if keep is None or keep[i][0]:  # reads everything, or the output
                pairs.update((i, j) for j in ids)
            else:
                pairs.update((i, j) for j in ids if keep[i][1][j])
        return deps, ("pairs", frozenset(pairs))

    def _moved(self, dep: Moves, arg: SparsityTracer, size: int) -> Any:
        """``M @ arg.pattern`` for one argument's dependence ``dep``."""
        p = arg.pattern
        if dep == SAME:
            return p
        if dep == DENSE:
            row = self.sp.csr_array(p.sum(axis=0, dtype=bool).reshape(1, -1))
            idx = row.indices
            return self.sp.csr_array(
                (
                    np.ones(idx.size * size, bool),
                    np.tile(idx, size),
                    np.arange(size + 1, dtype=np.int64) * idx.size,
                ),
                shape=(size, self.n),
            )
        rows, cols = dep
        if rows is None:  # a gather of rows
            return p[cols]
        m = self.sp.csr_array((np.ones(rows.size, bool), (rows, cols)), shape=(size, p.shape[0]))
        return m @ p

    def _combine(
        self,
        o: Any,
        size: int,
        deps: list[Dep],
        kind: Kind,
        traced: list[tuple[int, Any]],
        varies: bool,
    ) -> SparsityTracer:
        # per traced argument it depends on: (position, tape node, moved pattern, dependence)
        moved: list[Moved] = [
            (i, a.node, self._moved(d, a, size), d) for i, a in traced if (d := deps[i]) is not None
        ]
        pattern = self.zeros(size) if not moved else moved[0][2]
        for m in moved[1:]:
            pattern = pattern + m[2]
        return self.new(o, pattern, varies, moved, kind)


# --------------------------------------------------------------------------- detection


def _flat_inputs(args: Sequence[Any], argnums: int | Sequence[int], name: str) -> tuple[int, ...]:
    nums: tuple[int, ...] = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for k in nums:
        if not -len(args) <= k < len(args):
            raise ValueError(
                f"fad.{name}: argnums={argnums} but the function was given {len(args)} arguments."
            )
    return tuple(k % len(args) for k in nums)


def _run(
    f: Callable[..., Any],
    args: Sequence[Any],
    argnums: int | Sequence[int],
    local: bool,
    hessian: bool,
    name: str,
) -> tuple[SparsityTrace, list[Any], int]:
    nums = _flat_inputs(args, argnums, name)
    leaves: list[list[Any]] = []
    trees: list[Any] = []
    for k in nums:
        ls, tree = tree_flatten(args[k])
        leaves.append([np.asarray(getattr(x, "_example", lambda x=x: x)()) for x in ls])
        trees.append(tree)
    n = sum(int(x.size) for ls in leaves for x in ls)
    trace = SparsityTrace(BOTTOM, name, n, local, hessian)
    sp = trace.sp
    start = 0
    new_args = list(args)
    for k, ls, tree in zip(nums, leaves, trees, strict=True):
        tracers: list[Any] = []
        for x in ls:
            eye = sp.csr_array(
                (np.ones(x.size, bool), np.arange(start, start + x.size), np.arange(x.size + 1)),
                shape=(x.size, n),
            )
            tracers.append(trace.new(x, eye, True))
            start += x.size
        new_args[k] = tree_unflatten(tree, tracers)
    try:
        with use_trace(trace):
            out = f(*new_args)
    finally:
        trace.alive = False
    return trace, tree_leaves(out), n


def _pattern_of(trace: SparsityTrace, leaf: Any) -> Any:
    if type(leaf) is SparsityTracer and leaf._trace is trace:
        return leaf.pattern
    return trace.zeros(int(np.size(leaf)))


def _finish(m: Any) -> Any:
    m = m.tocsr()
    m.sum_duplicates()
    m.sort_indices()
    m.eliminate_zeros()
    return m.astype(bool)


def jacobian_sparsity(
    f: Callable[..., Any], *args: Any, argnums: int | Sequence[int] = 0, local: bool = False
) -> Any:
    """The sparsity pattern of the Jacobian of `f` at `args`.

    Found by tracing `f` once, propagating which inputs each element depends on; no
    derivative is computed. The pattern holds for every input (global detection), so
    Python control flow on a traced value raises `fad.SparsityError`; `local=True` gives
    the pattern at `args` only, following control flow and value-dependent indices.

    Args:
        f: The function: arrays (or pytrees of arrays) in, arrays (or a pytree of them) out.
        *args: Example arguments of `f`; only their shapes and dtypes matter, unless
            `local=True`.
        argnums: The argument (or arguments) whose elements are the Jacobian's columns.
        local: Detect the pattern at `args` only instead of for every input.

    Returns:
        A boolean `scipy.sparse.csr_array` of shape `(outputs, inputs)` with sorted
            indices: every output and every input of `args[argnums]` flattened and
            concatenated, in the order `fad.jacfwd` uses.

    Raises:
        SparsityError: In global mode, when `f` branches on a traced value.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> p = fad.jacobian_sparsity(lambda u: u[1:] * u[:-1], fnp.ones(4))
        >>> p.toarray().astype(int)
        array([[1, 1, 0, 0],
               [0, 1, 1, 0],
               [0, 0, 1, 1]])
    """
    trace, outs, n = _run(f, args, argnums, local, False, "jacobian_sparsity")
    sp = trace.sp
    parts = [_pattern_of(trace, o) for o in outs]
    if not parts:
        return sp.csr_array((0, n), dtype=bool)
    return _finish(sp.vstack(parts, format="csr"))


def hessian_sparsity(
    f: Callable[..., Any], *args: Any, argnums: int | Sequence[int] = 0, local: bool = False
) -> Any:
    """The sparsity pattern of the Hessian of the scalar function `f` at `args`.

    Each primitive's curvature (linear, multilinear, nonlinear) says which pairs of
    inputs meet in a second derivative; the pairs of the operations that reach the output
    are collected. Global (valid for every input) unless `local=True`, as in
    `fad.jacobian_sparsity`.

    Args:
        f: A function returning one scalar.
        *args: Example arguments of `f`; only their shapes and dtypes matter, unless
            `local=True`.
        argnums: The argument (or arguments) whose elements index the Hessian.
        local: Detect the pattern at `args` only instead of for every input.

    Returns:
        A symmetric boolean `scipy.sparse.csr_array` of shape `(inputs, inputs)` with
            sorted indices (inputs flattened and concatenated, as in `fad.hessian`).

    Raises:
        ValueError: When `f` does not return one scalar.
        SparsityError: In global mode, when `f` branches on a traced value.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> p = fad.hessian_sparsity(lambda x: (x[1:] * x[:-1]).sum() + x[0] ** 3, fnp.ones(3))
        >>> p.toarray().astype(int)
        array([[1, 1, 0],
               [1, 0, 1],
               [0, 1, 0]])
    """
    trace, outs, n = _run(f, args, argnums, local, True, "hessian_sparsity")
    sp = trace.sp
    if len(outs) != 1 or np.size(outs[0]) != 1:
        shapes = [np.shape(o) for o in outs]
        raise ValueError(
            "fad.hessian_sparsity: the function must return one scalar, but it returned values of "
            f"shapes {shapes}. Reduce the output to a scalar (e.g. with .sum())."
        )
    out = outs[0]
    if not (type(out) is SparsityTracer and out._trace is trace):
        return sp.csr_array((n, n), dtype=bool)
    tape = trace.tape or []  # (a list: the trace records a tape for Hessians)
    reach = {out.node: np.ones(1, bool)}
    terms = []
    for node in range(len(tape) - 1, -1, -1):
        entry = tape[node]
        r = reach.pop(node, None)
        if r is None or not r.any():
            continue
        pattern, inputs, kind = entry
        rows = None if r.all() else np.flatnonzero(r)  # the elements that reach the output
        for _, arg_node, _, dep in inputs:
            if arg_node is None:
                continue
            if dep == SAME:
                back = r
            elif dep == DENSE:
                back = np.full(trace_size(tape, arg_node), True)
            else:
                dep_rows, dep_cols = dep
                back = np.zeros(trace_size(tape, arg_node), bool)
                back[dep_cols[r if dep_rows is None else r[dep_rows]]] = True
            if back is not None:
                prev = reach.get(arg_node)
                reach[arg_node] = back.copy() if prev is None else prev | back
        if kind == "linear":
            continue
        if kind == "nonlinear":
            a = pattern if rows is None else pattern[rows]
            terms.append(a.T @ a)
            continue
        selected = [m if rows is None else m[rows] for _, _, m, _ in inputs]
        if kind == "multilinear":
            pairs = [(i, j) for i in range(len(inputs)) for j in range(len(inputs)) if i < j]
        else:
            pos = {a[0]: k for k, a in enumerate(inputs)}
            pairs = [(pos[i], pos[j]) for i, j in kind[1] if i in pos and j in pos]
        for i, j in pairs:
            terms.append(selected[i].T @ selected[j])
    h = sp.csr_array((n, n), dtype=bool)
    for t in terms:
        h = h + t
    return _finish(h + h.T)


def trace_size(tape: list[tuple[Any, Sequence[Moved], Kind]], node: int) -> int:
    return int(tape[node][0].shape[0])
