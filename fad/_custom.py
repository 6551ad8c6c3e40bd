"""User-defined derivatives and rematerialization: ``custom_jvp``, ``custom_vjp``,
``checkpoint``.

Each is a primitive whose parameters are Python functions (the user's function and its
rules, flattened to lists of arrays). Every transform has a rule for it:

=================  =====================  ==========================  =====================
primitive          forward mode (jvp)     reverse mode (vjp)          batching (vmap)
=================  =====================  ==========================  =====================
custom_jvp_call    the user's jvp rule    pull back through the jvp   vmap of fun and rule
                                          rule (it is linear in t)
custom_vjp_call    push forward through   fwd now, the user's bwd     vmap of fun, fwd, bwd
                   bwd (double-vjp trick) later
checkpoint         jvp of fun             recompute fun under vjp     vmap of fun
                                          in the backward pass (with
                                          a policy: taking the values
                                          it kept, fad._remat)
=================  =====================  ==========================  =====================

Rules written in fad operations are themselves differentiable, so every construct works at
any order and under any nesting.

The functions (and rules) may close over values traced by an enclosing transform: such
values become inputs of the primitive (see ``closure_tracers``). ``checkpoint``
differentiates with respect to them; a custom rule cannot, so a transform that
differentiates a closed-over value of a custom rule is refused, as in JAX.
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable, Sequence
from typing import Any, Generic, ParamSpec, TypeVar

import numpy as np

from fad import _prims as st
from fad._api import jvp, vjp, vmap
from fad._core import (
    EVAL,
    TRACER_TYPES,
    Aval,
    EscapedTracerError,
    Primitive,
    Trace,
    Tracer,
    bind,
    current_trace,
    escaped_error,
    use_trace,
)
from fad._pattern_rules import INLINE, declare
from fad._remat import policy_backward, policy_forward
from fad._structural import result_dtype, shape_of
from fad._tree import PyTreeDef, tree_flatten, tree_leaves, tree_map, tree_unflatten
from fad.checkpoint_policies import nothing_saveable

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


def _run_concrete(fun: Any, *args: Any) -> Any:
    """Run ``fun`` on concrete values (the bottom of the trace chain)."""
    with use_trace(EVAL):
        return fun(*args)


def _instantiate(ts: Any, refs: Any) -> Any:
    return [st.zeros_like_value(r) if t is None else t for t, r in zip(ts, refs, strict=True)]


def _resolve_args(fun: Any, args: Any, kwargs: Any) -> Any:
    """Keyword arguments become positional (custom rules see positions only)."""
    if not kwargs:
        return args
    bound = inspect.signature(fun).bind(*args, **kwargs)
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError(f"{fun.__name__}: keyword-only arguments are not supported by custom rules.")
    return bound.args


def _no_symbolic_zeros(symbolic_zeros: Any) -> None:
    if symbolic_zeros:
        raise NotImplementedError(
            "symbolic_zeros=True is not supported: fad passes zero tangents and cotangents to "
            "custom rules as zero arrays. Leave symbolic_zeros at its default."
        )


def _no_traced_static(static: Any, fun: Any) -> None:
    for i, a in static.items():
        if any(isinstance(x, Tracer) for x in tree_flatten(a)[0]):
            raise TypeError(
                f"Argument {i} of {fun.__name__} is in nondiff_argnums but is being traced by a "
                "fad transform. A custom_jvp function's nondiff_argnums must be static "
                "(Python values, functions); pass arrays as ordinary arguments instead."
            )


class _Flat:
    """``fun`` on a flat list of array leaves, recording its output structure."""

    def __init__(self, in_tree: Any) -> None:
        self.in_tree = in_tree
        self.out_tree: PyTreeDef = None  # type: ignore[assignment]  # set by outs() before it is read

    def args(self, flat: Any) -> Any:
        return tree_unflatten(self.in_tree, list(flat))

    def outs(self, out: Any) -> Any:
        leaves, tree = tree_flatten(out)
        if self.out_tree is None:
            self.out_tree = tree
        return leaves


# ------------------------------------------------------------------ closed-over values
#
# A construct runs its user function inside a transform's rules, one level below the
# trace that processes it, so a tracer of that trace (or of one above it) that the
# function reaches without taking it as an argument would arrive at a level that does not
# know it. fad.checkpoint finds such tracers (closure_tracers), makes them explicit inputs
# of its primitive, and runs the function under a _SubstTrace that swaps each one for the
# input standing for it at the level where the rule runs. custom_jvp and custom_vjp do the
# same, so their functions and rules may close over values that vmap batches or jit
# stages; but a custom rule gives no derivative to a value it does not see, so a transform
# that differentiates one is refused (_refuse_closed), as JAX does. For tracers hidden where
# no scan looks, the escaped-tracer error names the construct and the fix (_name_escape).

_NOT_CONTAINERS = frozenset(
    {int, float, complex, bool, str, bytes, type(None), np.ndarray, np.float64, np.float32, np.int64}
    | {type, types.ModuleType, types.BuiltinFunctionType, Primitive}
)


def closure_tracers(*funs: Any) -> Any:
    """The live tracers the functions ``funs`` reach other than through their arguments: in the
    cells, default arguments, ``functools.partial`` arguments and the pytree a bound method
    belongs to, in lists, tuples, dicts and pytrees found there, and in the functions found
    there, recursively. Each once, in a fixed order.

    A tracer of a transform that has returned is left out (it raises if used), unless an
    enclosing closure-converted function stands in for it: a checkpoint nested in another,
    recomputed in the backward pass."""
    for fun in funs:
        if type(fun) is not types.FunctionType or not (
            fun.__closure__ is None and fun.__defaults__ is None and fun.__kwdefaults__ is None
        ):
            break
    else:
        return []  # the common case (no closure, no defaults), answered at once
    found, ids, seen, dead = [], set(), set(), False
    todo = list(reversed(funs))
    while todo:
        x = todo.pop()
        t = type(x)
        if t in TRACER_TYPES:
            if id(x) not in ids:
                ids.add(id(x))
                found.append(x)
                dead = dead or not x._trace.alive
            continue
        if t in _NOT_CONTAINERS or id(x) in seen:
            continue
        seen.add(id(x))
        if t is types.FunctionType:
            for cell in x.__closure__ or ():
                try:
                    todo.append(cell.cell_contents)
                except ValueError:  # a cell not yet filled
                    pass
            todo.extend(x.__defaults__ or ())
            todo.extend((x.__kwdefaults__ or {}).values())
        elif t is functools.partial:
            todo += [x.func, *x.args, *x.keywords.values()]
        elif t is types.MethodType:
            todo += [x.__func__, x.__self__]
        elif t is list or t is tuple:  # one level at a time: a list may contain itself
            todo.extend(reversed(x))
        elif t is dict:
            todo.extend(reversed(list(x.values())))
        else:  # registered pytrees, namedtuples, attrs classes; anything else is a leaf
            leaves = tree_leaves(x)
            if len(leaves) != 1 or leaves[0] is not x:  # a container, not a leaf
                todo.extend(reversed(leaves))
    if dead:
        standing_in, trace = set(), current_trace()
        while trace is not None:
            if type(trace) is _SubstTrace:
                standing_in.update(trace.subs)
            trace = trace.parent
        found = [x for x in found if x._trace.alive or id(x) in standing_in]
    return found


class _SubstTrace(Trace):
    """Runs a closure-converted function one level down: swaps each closed-over tracer (by
    identity) for the value standing for it at this level, and passes the operation on."""

    __slots__ = ("subs",)

    def __init__(self, parent: Any, subs: Any) -> None:
        super().__init__(parent, parent.name)
        self.subs = subs  # id(closed-over tracer) -> its value at this level

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        subs = self.subs
        return self.parent.process(prim, [subs.get(id(a), a) for a in args], params)


def _closure_converted(fn: Any, closed: Any, n: Any) -> Any:
    """``fn`` (of ``n`` flat inputs) taking the values of the tracers ``closed`` as ``len(closed)``
    more inputs."""
    keys = [id(c) for c in closed]

    def converted(*xs: Any) -> Any:
        trace = _SubstTrace(current_trace(), dict(zip(keys, xs[n:], strict=True)))
        with use_trace(trace):
            outs = fn(*xs[:n])
        subs = trace.subs  # an output may be a closed-over tracer itself
        return tuple([subs.get(id(o), o) for o in outs])

    converted.closed = closed  # type: ignore[attr-defined]  # kept alive, so that their ids stay theirs
    return converted


def _substituting(closed: Any, values: Any, fn: Any, *args: Any) -> Any:
    """``fn(*args)`` under a _SubstTrace swapping the tracers ``closed`` for ``values`` (in the
    results too: a rule may return a closed-over value, or keep it as a residual)."""
    subs = {id(c): v for c, v in zip(closed, values, strict=True)}
    with use_trace(_SubstTrace(current_trace(), subs)):
        out = fn(*args)
    return tree_map(lambda o: subs.get(id(o), o), out)


def _refuse_closed(differentiated: Any, holder: Any, used_in: Any, fix: Any) -> None:
    """Refuse to differentiate a custom rule with respect to a closed-over value:
    ``differentiated[i]`` (a tangent or a ``wants`` flag) says whether the transform applying the
    rule differentiates the ``i``-th one; ``holder.closed`` holds their values at that level."""
    for i, d in enumerate(differentiated):
        if d is not None and d is not False:
            held = getattr(holder, "closed", ())
            who = held[i] if i < len(held) else None
            name = f"fad.{who._trace.name}" if isinstance(who, Tracer) else "a transform"
            err = EscapedTracerError(
                f"The function given to {used_in} used a value traced by {name} that is not one of "
                f"its arguments (a closure, a global or an attribute), and {name} differentiates it. "
                f"{fix}"
            )
            err.used_in = used_in
            raise err


def _name_escape(e: Any, used_in: Any, fix: Any) -> None:
    """Re-raise the escaped-tracer error ``e``, met in the user function of ``used_in``, as one
    naming that construct (unless an inner construct already did, or the tracer is dead)."""
    tracer = getattr(e, "tracer", None)
    if tracer is None or getattr(e, "used_in", None) or not tracer._trace.alive:
        return
    err = escaped_error(tracer, e.prim, used_in, fix)
    err.used_in = used_in
    raise err from None


_CHECKPOINT_FIX = (
    "fad.checkpoint finds the values its function closes over in closure cells, default "
    "arguments, functools.partial arguments and bound methods of pytrees; pass a value kept "
    "anywhere else to the function as an argument."
)
_CUSTOM_JVP_FIX = (
    "A custom rule gives derivatives with respect to the function's arguments only: pass the "
    "value to the function as an argument (and handle its tangent in the rule)."
)
_CUSTOM_VJP_FIX = (
    "A custom rule gives derivatives with respect to the function's arguments only: pass the "
    "value to the function as an argument (and return its cotangent from bwd)."
)


# ------------------------------------------------------------------------- custom_jvp

custom_jvp_call_p = Primitive("custom_jvp_call", multiple_results=True)
custom_jvp_call_p.impl = lambda *args, fun, rule, n_closed: _run_concrete(fun, *args)
# The last ``n_closed`` inputs are values the function closes over (see closure_tracers):
# ``rule(primals, tangents)`` takes every primal but the tangents of the others only.


def _custom_jvp_jvp(primals: Any, tangents: Any, *, fun: Any, rule: Any, n_closed: Any) -> Any:
    m = len(primals) - n_closed
    if n_closed:
        _refuse_closed(tangents[m:], rule, "fad.custom_jvp", _CUSTOM_JVP_FIX)
    return rule(list(primals), _instantiate(tangents[:m], primals[:m]))


def _custom_jvp_vjp(
    ct: Any, ans: Any, primals: Any, wants: Any, *, fun: Any, rule: Any, n_closed: Any
) -> Any:
    m = len(primals) - n_closed
    if n_closed:
        _refuse_closed(wants[m:], rule, "fad.custom_jvp", _CUSTOM_JVP_FIX)
    zeros = [st.zeros_like_value(p) for p in primals[:m]]
    _, pullback = vjp(lambda *ts: rule(list(primals), list(ts))[1], *zeros)
    return list(pullback(tuple(_instantiate(ct, ans)))) + [None] * n_closed


def _custom_jvp_batch(vals: Any, bdims: Any, *, fun: Any, rule: Any, n_closed: Any) -> Any:
    axes = list(bdims)
    fun_b = vmap(fun, in_axes=tuple(axes))
    rule_b = vmap(rule, in_axes=(axes, axes[: len(axes) - n_closed]))

    def rule_batched(p: Any, t: Any) -> Any:
        return tuple(rule_b(p, t))

    # named if refused (_refuse_closed)
    rule_batched.closed = vals[len(vals) - n_closed :]  # type: ignore[attr-defined]
    out = bind(custom_jvp_call_p, *vals, fun=fun_b, rule=rule_batched, n_closed=n_closed)
    return out, (0,) * len(out)


custom_jvp_call_p.jvp = _custom_jvp_jvp
custom_jvp_call_p.vjp = _custom_jvp_vjp
custom_jvp_call_p.batch = _custom_jvp_batch
declare(custom_jvp_call_p, INLINE)  # detection traces the function itself


class custom_jvp(Generic[P, R]):
    """A function with a user-defined forward-mode derivative (JAX's decorator API).

    Reverse mode is derived from the rule (it is linear in the tangents), so `grad`, `vjp`,
    `vmap` and every nesting work too. Give the rule with `defjvp` (or `defjvps`) before
    calling the function.

    Args:
        fun: The function, called as it is for its value.
        nondiff_argnums: Positions of arguments that are not differentiated (Python values
            such as flags or callables); they reach the rule first, as they are.

    Raises:
        TypeError: When the function is called before a rule is defined.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> @fad.custom_jvp
        ... def f(x):
        ...     return fnp.sin(x)
        >>> @f.defjvp
        ... def f_jvp(primals, tangents):
        ...     (x,), (t,) = primals, tangents
        ...     return f(x), 2.0 * t        # a deliberately different derivative
        >>> fad.grad(f)(0.3)
        np.float64(2.0)
    """

    fun: Callable[..., R]
    nondiff_argnums: tuple[int, ...]
    jvp: Callable[..., Any] | None

    def __init__(self, fun: Callable[P, R], nondiff_argnums: Sequence[int] = ()) -> None:
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp = None

    def defjvp(self, jvp: F, symbolic_zeros: bool = False) -> F:
        """Set the rule `jvp(primals, tangents) -> (primal_out, tangent_out)`.

        Zero tangents reach the rule as zero arrays (`symbolic_zeros=True`, JAX's opt-in to special
        zero objects, is not supported).

        Args:
            jvp: The rule, taking the tuples of primals and tangents of the differentiable
                arguments (after the `nondiff_argnums` values, if any).
            symbolic_zeros: Must be False.

        Returns:
            `jvp`, so that `defjvp` can be used as a decorator.
        """
        _no_symbolic_zeros(symbolic_zeros)
        self.jvp = jvp
        return jvp

    def defjvps(self, *jvps: Callable[..., Any] | None) -> Callable[..., Any]:
        """Set one rule per argument, each giving that argument's term of the output tangent.

        Args:
            *jvps: `jvps[i](t_i, ans, *primals) -> tangent` for argument `i`, or None for an
                argument with a zero derivative.

        Returns:
            The combined rule, as `defjvp` would take it.
        """

        def jvp(primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
            ans = self.fun(*primals)
            out = None
            for rule, t in zip(jvps, tangents, strict=True):
                if rule is None:
                    continue
                term = rule(t, ans, *primals)
                out = term if out is None else out + term
            if out is None:
                out = st.zeros_like_value(ans)
            return ans, out

        self.jvp = jvp
        return jvp

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self.jvp is None:
            raise TypeError(
                f"No JVP rule is defined for the custom_jvp function {self.fun.__name__}: "
                "define one with @f.defjvp (or f.defjvps) before calling it."
            )
        jvp = self.jvp
        args = _resolve_args(self.fun, args, kwargs)
        nd = set(self.nondiff_argnums)
        static = {i: a for i, a in enumerate(args) if i in nd}
        dyn = [a for i, a in enumerate(args) if i not in nd]
        _no_traced_static(static, self.fun)

        def full(dyn_args: Any) -> Any:
            it = iter(dyn_args)
            return [static[i] if i in static else next(it) for i in range(len(args))]

        flat, in_tree = tree_flatten(dyn)
        flat = [st.to_array(x) if type(x) in (int, float, bool) else x for x in flat]
        box = _Flat(in_tree)

        def flat_fun(*xs: Any) -> Any:
            try:
                return tuple(box.outs(self.fun(*full(box.args(xs)))))
            except EscapedTracerError as e:
                _name_escape(e, "fad.custom_jvp", _CUSTOM_JVP_FIX)
                raise

        def flat_rule(primals: Any, tangents: Any) -> Any:
            p, t = box.args(primals), box.args(tangents)
            try:
                out, t_out = jvp(*[static[i] for i in sorted(static)], tuple(p), tuple(t))
            except EscapedTracerError as e:
                _name_escape(e, "fad.custom_jvp", _CUSTOM_JVP_FIX)
                raise
            out_leaves = box.outs(out)
            t_leaves, t_tree = tree_flatten(t_out)
            if t_tree != box.out_tree:
                raise TypeError(
                    f"The custom JVP rule of {self.fun.__name__} returned a tangent with structure "
                    f"{t_tree}, but the primal output has structure {box.out_tree}."
                )
            return tuple(out_leaves), tuple(t_leaves)

        # values the function or its rule close over that are traced become inputs too
        closed = closure_tracers(self.fun, self.jvp, *static.values())
        if closed:
            n = len(flat)

            def fun_c(*xs: Any) -> Any:
                return _substituting(closed, xs[n:], flat_fun, *xs[:n])

            def rule_c(primals: Any, tangents: Any) -> Any:
                return _substituting(closed, primals[n:], flat_rule, primals[:n], tangents)

            rule_c.closed = closed  # type: ignore[attr-defined]
            outs = bind(custom_jvp_call_p, *flat, *closed, fun=fun_c, rule=rule_c, n_closed=len(closed))
        else:
            outs = bind(custom_jvp_call_p, *flat, fun=flat_fun, rule=flat_rule, n_closed=0)
        return tree_unflatten(box.out_tree, list(outs))  # type: ignore[no-any-return]


# ------------------------------------------------------------------------- custom_vjp

custom_vjp_call_p = Primitive("custom_vjp_call", multiple_results=True)
custom_vjp_call_p.impl = lambda *args, fun, fwd, bwd, n_diff, n_closed: _run_concrete(fun, *args)
# Inputs: the ``n_closed`` values the functions close over (see closure_tracers), the
# nondiff_argnums leaves, then the ``n_diff`` differentiable leaves.


def _custom_vjp_fwd(primals: Any, *, fun: Any, fwd: Any, bwd: Any, n_diff: Any, n_closed: Any) -> Any:
    out, res = fwd(*primals)
    return out, (out, res)


def _custom_vjp_vjp(
    ct: Any, saved: Any, primals: Any, wants: Any, *, fun: Any, fwd: Any, bwd: Any, n_diff: Any, n_closed: Any
) -> Any:
    if n_closed:
        _refuse_closed(wants[:n_closed], fwd, "fad.custom_vjp", _CUSTOM_VJP_FIX)
    out, res = saved
    cts = bwd(res, _instantiate(ct, out))
    return [None] * (len(primals) - n_diff) + list(cts)


def _custom_vjp_jvp(
    primals: Any, tangents: Any, *, fun: Any, fwd: Any, bwd: Any, n_diff: Any, n_closed: Any
) -> Any:
    """Forward mode from the reverse rule: ``J t`` is the transpose of ``ct -> J^T ct``,
    obtained by differentiating ``bwd`` (linear in ``ct``) in reverse mode. Costs one
    ``fwd``, one ``bwd`` and the reverse pass of ``bwd``."""
    if n_closed:
        _refuse_closed(tangents[:n_closed], fwd, "fad.custom_vjp", _CUSTOM_VJP_FIX)
    out, res = fwd(*primals)
    diff_primals = primals[len(primals) - n_diff :]
    diff_tangents = _instantiate(tangents[len(tangents) - n_diff :], diff_primals)
    zeros = [st.zeros_like_value(o) for o in out]
    _, pullback = vjp(lambda ct: list(bwd(res, ct)), zeros)
    (t_out,) = pullback(diff_tangents)
    return out, list(t_out)


def _custom_vjp_batch(
    vals: Any, bdims: Any, *, fun: Any, fwd: Any, bwd: Any, n_diff: Any, n_closed: Any
) -> Any:
    axes = tuple(bdims)
    fwd_b = vmap(fwd, in_axes=axes)

    def fwd_batched(*p: Any) -> Any:
        return fwd_b(*p)

    fwd_batched.closed = vals[:n_closed]  # type: ignore[attr-defined]  # named if refused
    bwd_b = vmap(bwd)
    diff_axes = axes[len(axes) - n_diff :]

    def bwd_batched(saved: Any, ct: Any) -> Any:
        # an input shared by the whole batch gets the sum of the examples' cotangents
        cts = bwd_b(saved, ct)
        return tuple(
            c if ax is not None or c is None else c.sum(axis=0) for c, ax in zip(cts, diff_axes, strict=True)
        )

    out = bind(
        custom_vjp_call_p,
        *vals,
        fun=vmap(fun, in_axes=axes),
        fwd=fwd_batched,
        bwd=bwd_batched,
        n_diff=n_diff,
        n_closed=n_closed,
    )
    return out, (0,) * len(out)


custom_vjp_call_p.vjp_fwd = _custom_vjp_fwd
custom_vjp_call_p.vjp = _custom_vjp_vjp
custom_vjp_call_p.jvp = _custom_vjp_jvp
custom_vjp_call_p.batch = _custom_vjp_batch
declare(custom_vjp_call_p, INLINE)  # detection traces the function itself


class custom_vjp(Generic[P, R]):
    """A function with a user-defined reverse-mode derivative (JAX's decorator API).

    Give the rule with `f.defvjp(fwd, bwd)` before calling the function. Unlike JAX, forward
    mode works too: `jvp` is derived from `bwd` (which must be written in fad operations) by
    transposing it, at the cost of one extra reverse pass through `bwd`. `bwd` should be linear
    in the cotangent, as a true derivative is; a nonlinear `bwd` (gradient clipping) is
    linearized at a zero cotangent for forward mode.

    Args:
        fun: The function, called as it is for its value.
        nondiff_argnums: Positions of arguments that are not differentiated; they reach `bwd`
            first. They may be arrays.

    Raises:
        TypeError: When the function is called before `defvjp`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> @fad.custom_vjp
        ... def clip_grad(x):
        ...     return x
        >>> clip_grad.defvjp(lambda x: (x, None), lambda res, g: (fnp.minimum(g, 1.0),))
        >>> fad.grad(lambda x: 5 * clip_grad(x))(2.0)
        np.float64(1.0)
    """

    fun: Callable[..., R]
    nondiff_argnums: tuple[int, ...]
    fwd: Callable[..., Any] | None
    bwd: Callable[..., Any] | None

    def __init__(self, fun: Callable[P, R], nondiff_argnums: Sequence[int] = ()) -> None:
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd = None
        self.bwd = None

    def defvjp(
        self, fwd: Callable[..., tuple[R, Any]], bwd: Callable[..., Any], symbolic_zeros: bool = False
    ) -> None:
        """Set the forward and backward rules.

        Args:
            fwd: `fwd(*args) -> (out, residuals)`: the output and what `bwd` needs of the forward
                pass.
            bwd: `bwd(*nondiff_args, residuals, ct) -> tuple`, with one cotangent per
                differentiable argument (of its structure and shape).
            symbolic_zeros: Must be False.
        """
        _no_symbolic_zeros(symbolic_zeros)
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self.fwd is None:
            raise TypeError(
                f"No VJP rule is defined for the custom_vjp function {self.fun.__name__}: "
                "call f.defvjp(fwd, bwd) before calling it."
            )
        fwd, bwd = self.fwd, self.bwd
        args = _resolve_args(self.fun, args, kwargs)
        nd = sorted(set(self.nondiff_argnums))
        diff = [i for i in range(len(args)) if i not in nd]
        nd_flat, nd_tree = tree_flatten([args[i] for i in nd])
        d_flat, d_tree = tree_flatten([args[i] for i in diff])
        n_nd = len(nd_flat)
        flat = [st.to_array(x) if type(x) in (int, float, bool) else x for x in nd_flat + d_flat]
        box = _Flat(d_tree)

        def rebuild(xs: Any) -> Any:
            nds = tree_unflatten(nd_tree, list(xs[:n_nd]))
            ds = tree_unflatten(d_tree, list(xs[n_nd:]))
            full, i_nd, i_d = [], iter(nds), iter(ds)
            for i in range(len(args)):
                full.append(next(i_nd) if i in nd else next(i_d))
            return full, nds

        def flat_fun(*xs: Any) -> Any:
            full, _ = rebuild(xs)
            try:
                return tuple(box.outs(self.fun(*full)))
            except EscapedTracerError as e:
                _name_escape(e, "fad.custom_vjp", _CUSTOM_VJP_FIX)
                raise

        def flat_fwd(*xs: Any) -> Any:
            full, nds = rebuild(xs)
            try:
                out, res = fwd(*full)
            except EscapedTracerError as e:
                _name_escape(e, "fad.custom_vjp", _CUSTOM_VJP_FIX)
                raise
            return tuple(box.outs(out)), (tuple(nds), res)

        def flat_bwd(saved: Any, ct: Any) -> Any:
            nds, res = saved
            try:
                # (bwd is set with fwd, which was checked)
                cts = bwd(*nds, res, tree_unflatten(box.out_tree, list(ct)))  # type: ignore[misc]
            except EscapedTracerError as e:
                _name_escape(e, "fad.custom_vjp", _CUSTOM_VJP_FIX)
                raise
            if not isinstance(cts, (tuple, list)) or len(cts) != len(diff):
                raise TypeError(
                    f"The custom VJP rule (bwd) of {self.fun.__name__} must return a tuple with one "
                    f"cotangent per differentiable argument ({len(diff)}), got {type(cts).__name__}"
                    + (f" of length {len(cts)}" if isinstance(cts, (tuple, list)) else "")
                    + "."
                )
            refs = [args[i] for i in diff]
            leaves = []
            for c, ref in zip(cts, refs, strict=True):
                rl = tree_flatten(ref)[0]
                leaves.extend([st.zeros_like_value(r) for r in rl] if c is None else tree_flatten(c)[0])
            return tuple(leaves)

        # values the function or its rules close over that are traced become inputs too
        closed = closure_tracers(self.fun, self.fwd, self.bwd)
        if not closed:
            outs = bind(
                custom_vjp_call_p,
                *flat,
                fun=flat_fun,
                fwd=flat_fwd,
                bwd=flat_bwd,
                n_diff=len(d_flat),
                n_closed=0,
            )
            return tree_unflatten(box.out_tree, list(outs))  # type: ignore[no-any-return]
        k = len(closed)

        def fun_c(*xs: Any) -> Any:
            return _substituting(closed, xs[:k], flat_fun, *xs[k:])

        def fwd_c(*xs: Any) -> Any:  # keeps the closed-over values for bwd, which may use them too
            out, res = _substituting(closed, xs[:k], flat_fwd, *xs[k:])
            return out, (tuple(xs[:k]), res)

        def bwd_c(saved: Any, ct: Any) -> Any:
            values, res = saved
            return _substituting(closed, values, flat_bwd, res, ct)

        fwd_c.closed = closed  # type: ignore[attr-defined]
        outs = bind(
            custom_vjp_call_p, *closed, *flat, fun=fun_c, fwd=fwd_c, bwd=bwd_c, n_diff=len(d_flat), n_closed=k
        )
        return tree_unflatten(box.out_tree, list(outs))  # type: ignore[no-any-return]


# ------------------------------------------------------------------------- checkpoint

checkpoint_p = Primitive("checkpoint", multiple_results=True)
checkpoint_p.impl = lambda *args, fun, policy: _run_concrete(fun, *args)
# ``policy``: None (keep nothing of fun's intermediates) or a checkpoint policy (fad._remat)


def _checkpoint_jvp(primals: Any, tangents: Any, *, fun: Any, policy: Any) -> Any:
    out, t = jvp(lambda *a: list(fun(*a)), list(primals), _instantiate(tangents, primals))
    return out, t


def _checkpoint_vjp_fwd(primals: Any, *, fun: Any, policy: Any) -> Any:
    if policy is not None:
        return policy_forward(fun, policy, primals)
    out = bind(checkpoint_p, *primals, fun=fun, policy=None)  # evaluate without keeping intermediates
    return out, tuple(Aval(shape_of(o), result_dtype(o)) for o in out)  # (for zero cotangents)


def _checkpoint_vjp(ct: Any, saved: Any, primals: Any, wants: Any, *, fun: Any, policy: Any) -> Any:
    if policy is not None:
        return policy_backward(fun, saved, primals, ct, wants)
    _, pullback = vjp(lambda *a: list(fun(*a)), *primals)  # recompute, now recording
    return list(pullback(_instantiate(ct, saved)))


def _checkpoint_batch(vals: Any, bdims: Any, *, fun: Any, policy: Any) -> Any:
    out = bind(checkpoint_p, *vals, fun=vmap(fun, in_axes=tuple(bdims)), policy=policy)
    return out, (0,) * len(out)


checkpoint_p.jvp = _checkpoint_jvp
checkpoint_p.vjp_fwd = _checkpoint_vjp_fwd
checkpoint_p.vjp = _checkpoint_vjp
checkpoint_p.batch = _checkpoint_batch
declare(checkpoint_p, INLINE)  # detection traces the function itself


def checkpoint(
    fun: Callable[P, R], *, prevent_cse: bool = True, policy: Any = None, static_argnums: Sequence[int] = ()
) -> Callable[P, R]:
    """Rematerialize `fun`: reverse mode keeps only its inputs (and, with a `policy`, the
    intermediates the policy allows), and recomputes the rest during the backward pass (less
    memory, one more forward evaluation).

    A policy (see `fad.checkpoint_policies`) decides, for each operation `fun` performs, whether
    its output may be saved: `checkpoint(f, policy=fad.checkpoint_policies.dots_saveable)` keeps
    the matrix products the backward pass needs and recomputes the rest, taking the saved
    products instead of computing them again. Of the values a policy allows, only those the
    backward pass needs (directly, or to recompute another) are kept. Values and derivatives are
    those of `fun` under every policy; `fad.ad_checkpoint.print_saved_residuals` shows what is
    kept.

    `fun` may close over traced values, such as a layer's parameters: fad finds them in its
    closure, default arguments, `functools.partial` arguments and the pytree a bound method
    belongs to (and in functions and containers found there), makes them inputs of the
    checkpoint and differentiates with respect to them; a value kept elsewhere (a global, an
    object's attribute) must be passed as an argument.

    Args:
        fun: The function to rematerialize. Under a policy it must compute the same operations
            each time it is called with the same values (it runs again in the backward pass).
        prevent_cse: Accepted for JAX compatibility (fad's simplifier never merges a checkpoint
            with other work).
        policy: None (keep nothing of `fun`'s intermediates), or a function
            `policy(prim, *avals, **params) -> bool` saying whether the output of the primitive
            `prim` applied to arguments of the shapes and dtypes `avals` (`.shape`, `.dtype`)
            with parameters `params` may be saved: one of `fad.checkpoint_policies`.
        static_argnums: Positions of arguments that are Python values, not arrays; they are
            passed to `fun` as they are.

    Returns:
        A function with `fun`'s positional arguments and results.

    Raises:
        TypeError: If `policy` is not callable, or (when differentiated) returns something
            other than True or False.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = fad.checkpoint(lambda x: fnp.sin(fnp.sin(x)))
        >>> float(fad.grad(f)(0.0))
        1.0
        >>> def loss(w):
        ...     layer = fad.checkpoint(lambda h: fnp.tanh(w * h))  # closes over w
        ...     return layer(layer(fnp.array([0.5, -0.3]))).sum()
        >>> round(float(fad.grad(loss)(0.8)), 6)
        0.213222
        >>> g = fad.checkpoint(lambda w, x: fnp.sin(w @ x), policy=fad.checkpoint_policies.dots_saveable)
        >>> fad.grad(lambda w: g(w, fnp.ones(2)).sum())(fnp.eye(2))
        array([[0.54030231, 0.54030231],
               [0.54030231, 0.54030231]])
    """
    if policy is not None and not callable(policy):
        raise TypeError(
            f"fad.checkpoint: policy must be None or a function policy(prim, *avals, **params) -> "
            f"bool, got {type(policy).__name__} {policy!r}. Use one of fad.checkpoint_policies, "
            "such as fad.checkpoint_policies.dots_saveable."
        )
    if policy is nothing_saveable:
        policy = None  # the checkpoint without a policy, without the policy's bookkeeping
    del prevent_cse
    static = set(static_argnums)
    positional: Callable[..., R] = fun  # (wrapped passes positional arguments only)

    @functools.wraps(fun)
    def wrapped(*args: Any) -> Any:
        dyn = [a for i, a in enumerate(args) if i not in static]
        flat, in_tree = tree_flatten(dyn)
        flat = [st.to_array(x) if type(x) in (int, float, bool) else x for x in flat]
        box = _Flat(in_tree)

        def flat_fun(*xs: Any) -> Any:
            it = iter(box.args(xs))
            full = [args[i] if i in static else next(it) for i in range(len(args))]
            try:
                return tuple(box.outs(positional(*full)))
            except EscapedTracerError as e:
                _name_escape(e, "fad.checkpoint", _CHECKPOINT_FIX)
                raise

        # values fun closes over that are traced become inputs too (see closure_tracers)
        closed = closure_tracers((fun, [args[i] for i in static]) if static else fun)
        if closed:
            flat_fun = _closure_converted(flat_fun, closed, len(flat))
            flat = flat + closed
        outs = bind(checkpoint_p, *flat, fun=flat_fun, policy=policy)
        return tree_unflatten(box.out_tree, list(outs))

    return wrapped  # type: ignore[return-value]  # (positional arguments only)


remat = checkpoint
