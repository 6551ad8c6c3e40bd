"""Reverse mode: a tape (Wengert list) recorded while the function runs, then walked back.

While ``f`` runs under a :class:`VJPTrace`, each primitive applied to a value of this trace is evaluated one
level down and appended to the trace's ``tape``: ``(primitive, params, input primals, output primal,
parents)``. The backward pass walks the tape from the end, applying each primitive's ``vjp`` rule. It is a
loop, not a recursion, so a chain of 100,000 operations needs no deep Python stack.

The backward pass runs under whatever trace is current when the pullback is called, and rules are written in
fad operations, so ``grad(grad(f))``, ``jacfwd(jacrev(f))`` and ``vmap(vjp_fn)`` work by construction.
"""

from __future__ import annotations

from typing import Any

from fad._core import FLAGS, Aval, PrimalTracer, Trace, missing_rule, run_rule
from fad._structural import astype


class VJPTracer(PrimalTracer):
    __slots__ = ("index", "pos")

    def __init__(self, trace: Any, primal: Any, index: Any, pos: Any) -> None:
        self._trace = trace
        self.primal = primal
        self.shape = primal.shape
        self.dtype = primal.dtype
        self.index = index  # position of the producing entry on the tape
        self.pos = pos  # which output of a multiple-results primitive, or -1


class VJPTrace(Trace):
    __slots__ = ("tape",)

    def __init__(self, parent: Any, name: Any) -> None:
        super().__init__(parent, name)
        self.tape: list[Any] = []

    def new_input(self, primal: Any) -> Any:
        tape = self.tape
        tape.append(None)  # an input has no producing operation
        return VJPTracer(self, primal, len(tape) - 1, -1)

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        n = len(args)  # the hot cases (unary and binary operations) unrolled
        a: Any = args[0] if n else None
        mine = type(a) is VJPTracer and a._trace is self
        if n == 1 and mine:
            primals, parents, traced, wants = [a.primal], [(0, a.index, a.pos)], 1, _UNARY
        elif n == 2:
            b = args[1]
            if type(b) is VJPTracer and b._trace is self:
                pb = (1, b.index, b.pos)
                if mine:
                    primals, parents, traced, wants = (
                        [a.primal, b.primal],
                        [(0, a.index, a.pos), pb],
                        3,
                        _BOTH,
                    )
                else:
                    primals, parents, traced, wants = [a, b.primal], [pb], 2, _SECOND
            elif mine:
                primals, parents, traced, wants = [a.primal, b], [(0, a.index, a.pos)], 1, _FIRST
            else:
                return self.parent.process(prim, args, params)
        else:
            primals, parents, traced = list(args), [], 0  # traced: bit i set if argument i is ours
            for i, a in enumerate(args):
                if type(a) is VJPTracer and a._trace is self:
                    primals[i] = a.primal
                    parents.append((i, a.index, a.pos))
                    traced |= 1 << i
            if not traced:
                return self.parent.process(prim, args, params)
            wants = tuple(traced >> i & 1 == 1 for i in range(n))
        if not prim.differentiable:
            return self.parent.process(prim, primals, params)
        if prim.vjp is None:
            raise missing_rule(prim, "reverse-mode (vjp/grad)")
        if prim.vjp_fwd is None:
            out = saved = self.parent.process(prim, primals, params)
            plans = prim.trim_plans
            if plans is not None:  # hold only what the reverse rule reads
                plan = plans.get(traced)
                if plan is None:
                    plan = plans[traced] = _trim_plan(prim.residuals, traced)
                light_ans, drop = plan
                if light_ans and getattr(out, "size", -1) >= _LIGHT_MIN_SIZE:
                    saved = Aval(out.shape, out.dtype)
                for k in drop:  # kept as shape and dtype only, if large
                    p = primals[k]
                    if getattr(p, "size", -1) >= _LIGHT_MIN_SIZE:
                        primals[k] = Aval(p.shape, p.dtype)
        else:
            out, saved = run_rule(self, prim.vjp_fwd, primals, **params)
        tape = self.tape
        index = len(tape)
        if prim.multiple_results:
            tape.append((prim, params, primals, saved, parents, len(out), wants))
            return tuple(VJPTracer(self, o, index, k) for k, o in enumerate(out))
        tape.append((prim, params, primals, saved, parents, -1, wants))
        return VJPTracer(self, out, index, -1)


def _trim_plan(keep: Any, traced: Any) -> Any:
    """What the tape can drop of an operation whose traced arguments are the bits of
    ``traced``: ``(drop the output?, the arguments to drop)``. ``keep`` is the primitive's
    ``residuals``: per argument, the values its cotangent reads."""
    keep_ans, keep_args = False, [False] * len(keep)
    for i, (ans, args) in enumerate(keep):
        if traced >> i & 1:
            keep_ans = keep_ans or ans
            keep_args = [x or y for x, y in zip(keep_args, args, strict=True)]
    return not keep_ans, tuple(i for i, k in enumerate(keep_args) if not k)


_UNARY, _FIRST, _SECOND, _BOTH = map(tuple, [(True,), (True, False), (False, True), (True, True)])  # wants
_LIGHT_MIN_SIZE = 4096  # smaller arrays (and Python numbers) are cheaper to keep than describe
BACKWARD_CHECK: Any = None  # check(tape, i, prim, ct, run) -> cotangents: fad._debug's NaN check, if on


def backward_pass(tape: Any, seeds: Any, wanted: Any, consume: Any = False) -> Any:
    """Propagate cotangents back along ``tape``.

    A tape entry is ``(prim, params, primals, saved, parents, n_out, wants)``: ``saved`` is
    the output (or what ``prim.vjp_fwd`` kept), ``parents`` lists ``(argnum, entry, output
    position)`` for the arguments that are traced, ``n_out`` is the number of outputs of
    a multiple-results primitive (else -1), ``wants[i]`` whether argument ``i`` is traced.

    ``seeds``: ``(tracer, cotangent)`` pairs for the outputs. ``wanted``: tape indices of the inputs whose
    cotangents to return. Returns one cotangent (or ``None``, a symbolic zero) per wanted index. Rules run
    under the current trace. With ``consume=True`` (a pullback that runs once, as in ``grad``) each entry is
    dropped once used, so the residuals it held are freed while the backward pass goes on.
    """
    cts = [None] * len(tape)
    for t, ct in seeds:
        _accumulate(cts, tape, t.index, t.pos, ct)
    stop = min(wanted) if wanted else len(tape)
    debug = BACKWARD_CHECK if FLAGS.debug_nans else None
    for i in range(len(tape) - 1, stop - 1, -1):
        ct = cts[i]
        node = tape[i]
        if ct is None or node is None:
            continue
        cts[i] = None  # free it as soon as it is used
        if consume:
            tape[i] = None
        prim, params, primals, ans, parents, _, wants = node
        if debug:
            in_cts = debug(tape, i, prim, ct, lambda: prim.vjp(ct, ans, primals, wants, **params))
        else:
            in_cts = prim.vjp(ct, ans, primals, wants, **params)
        for argnum, j, pos in parents:
            c = in_cts[argnum]
            if c is not None:
                p = primals[argnum]
                if c.dtype != p.dtype:  # (a real input's cotangent: the real part, no warning)
                    c = astype(c, p.dtype)
                if pos < 0:  # the common case of _accumulate, inline
                    old = cts[j]
                    cts[j] = c if old is None else old + c
                else:
                    _accumulate(cts, tape, j, pos, c)
    return [cts[i] for i in wanted]


def _accumulate(cts: Any, tape: Any, j: Any, pos: Any, c: Any) -> None:
    if pos < 0:
        old = cts[j]
        cts[j] = c if old is None else old + c
    else:
        slot = cts[j]
        if slot is None:
            slot = cts[j] = [None] * tape[j][5]
        old = slot[pos]
        slot[pos] = c if old is None else old + c
