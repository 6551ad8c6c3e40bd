"""Loops in a program: ``while_loop``, ``fori_loop`` with traced bounds and ``scan``
under ``fad.jit`` (and ``make_program``, ``linearize``).

Eagerly, ``fad.lax`` runs its loops as Python loops and every transform sees each
iteration. When a staging trace lies below (``fad.jit``), a loop whose trip count depends
on a staged value cannot be unrolled, so ``fad.lax`` stages it instead: the condition and
the body are captured once as programs (closure-converted: a traced value they read from
outside becomes an input of the program, an operand of the loop) and one equation
``while``/``scan`` holding them goes into the enclosing program. The generated code runs
it as a Python loop calling the compiled body.

Three primitives, each closed under the transforms that meet it:

==========  =================================  ==========================================
primitive   jvp / vmap                         vjp
==========  =================================  ==========================================
while       a ``while`` of the jvp / batched   ``while_rev``: the forward loop again,
            body (batched condition: run        storing the carries, then the body's vjp
            while any example goes on; the      over them in reverse
            finished ones frozen by where)
while_rev   a ``while_rev`` of the jvp /        not supported (reverse over reverse)
            batched programs
scan        a ``scan`` of the jvp / batched     a forward ``scan`` that also stacks the
            body                               carries, then a reverse ``scan`` of the vjp
==========  =================================  ==========================================

Every program derived by a rule is captured again from the programs it transforms
(``stage``), on example values of the loop's operands, and simplified.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._api import jvp, vjp, vmap
from fad._core import FadError, Primitive, Tracer, _state, bind, use_trace
from fad._jit import compile_program
from fad._passes import simplify
from fad._program import Const, Eqn, Program, Var
from fad._staging import StagingTrace, StagingTracer, _example_value, _out_var
from fad.numpy import any as _any
from fad.numpy import where

if TYPE_CHECKING:
    from fad._jit import _Codegen

# ---------------------------------------------------------------------- capture


def stage(fun: Callable[..., Any], examples: Sequence[Any], name: str) -> tuple[Program, list[Any]]:
    """Capture a loop's condition or body as a simplified program.

    A traced value `fun` reads from outside (a closure) becomes an extra input of the
    program, after the explicit ones. An operation on outside values alone runs outside
    (it is the same in every iteration).

    Args:
        fun: `fun(*inputs) -> list of leaves`.
        examples: Example values of its inputs (arrays, or traced values).
        name: The program's name (`cond`, `body`, `back`).

    Returns:
        `(program, outside)`: the program, and the outside values it reads, in the order
        of its extra inputs.
    """
    trace = StagingTrace(_state.trace, "jit", record_source=False, lift=True)
    ins = [StagingTracer(trace, _out_var(x), x) for x in (_array(x) for x in examples)]
    try:
        with use_trace(trace), np.errstate(all="ignore"):
            out = fun(*ins)
    finally:
        trace.alive = False
    outs: list[Var | Const] = []
    for o in out:
        if type(o) is StagingTracer and o._trace is trace:
            outs.append(o.var)
        elif isinstance(o, Tracer):
            outs.append(trace.lift(o)[0])
        else:
            outs.append(Const(np.asarray(o)))
    lifted_map: dict[int, tuple[Any, Var, Any]] = trace.lifted  # type: ignore[assignment]
    lifted = list(lifted_map.values())  # (a trace made with lift=True)
    invars = [t.var for t in ins] + [v for _, v, _ in lifted]
    prog = simplify(Program(invars, trace.eqns, outs, None, None, name))
    return prog, [x for x, _, _ in lifted]


def _array(x: Any) -> np.ndarray[Any, Any]:
    x = _example_value(x)
    return x if isinstance(x, np.ndarray) else np.asarray(x)


def _with_inputs(prog: Program, k: int, before: Any, after: Any) -> Program:
    """``prog`` (``k`` explicit inputs, then its outside ones) with unused inputs shaped
    like ``before`` and ``after`` around its outside ones."""

    def dummy(xs: Any) -> list[Var]:
        return [_out_var(_array(x)) for x in xs]

    invars = prog.invars[:k] + dummy(before) + prog.invars[k:] + dummy(after)
    return Program(invars, prog.eqns, prog.outs, None, None, prog.name)


def _run(prog: Program) -> Callable[..., list[Any]]:
    """``prog`` compiled (once) to a function of its flat inputs returning a list."""
    fn = prog.__dict__.get("_loop_fn")
    if fn is None:
        fn = prog._loop_fn = compile_program(prog, own=False)
    return fn


def _avals(prog: Program) -> list[tuple[tuple[int, ...], np.dtype[Any]]]:
    return [
        (tuple(np.shape(x.value)), np.result_type(x.value)) if type(x) is Const else (x.shape, x.dtype)
        for x in prog.outs
    ]


def _dtype(x: Any) -> Any:
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def _real(x: Any) -> bool:
    """Whether ``x`` carries derivatives (a floating or complex value)."""
    return np.dtype(_dtype(x)).kind in "fc"


def _zeros(x: Any) -> Any:
    return st.zeros(tuple(np.shape(x)) if not hasattr(x, "shape") else tuple(x.shape), _dtype(x))


def _put(base: Any, idx: Sequence[int], vals: Sequence[Any]) -> list[Any]:
    out = list(base)
    for i, v in zip(idx, vals, strict=True):
        out[i] = v
    return out


# ------------------------------------------------------------------------ while


def bind_while(
    cond_fun: Callable[..., Any], body_fun: Callable[..., Any], carry: Any, consts: Any = ()
) -> Any:
    """`while cond_fun(*c, *k)[0]: c = body_fun(*c, *k)`, staged as one `while` equation.

    Args:
        cond_fun: The condition: takes the carry and the constants, returns a list holding
            one boolean.
        body_fun: One step: takes the carry and the constants, returns the next carry.
        carry: The initial carry (a flat list of arrays).
        consts: Values every iteration reads (a flat list of arrays).

    Returns:
        The final carry (a list).
    """
    carry, consts = list(carry), list(consts)
    ex = carry + consts
    cprog, cout = stage(cond_fun, ex, "cond")
    bprog, bout = stage(body_fun, ex, "body")
    k = len(ex)
    cond = _with_inputs(cprog, k, [], bout)
    body = _with_inputs(bprog, k, cout, [])
    out = bind(while_p, *carry, *consts, *cout, *bout, cond=cond, body=body, n_carry=len(carry))
    return list(out)


def _while_impl(*args: Any, cond: Program, body: Program, n_carry: int) -> Any:
    c, k = list(args[:n_carry]), list(args[n_carry:])
    fc, fb = _run(cond), _run(body)
    while fc(*c, *k)[0]:
        c = fb(*c, *k)
    return _arrays(c)


def _arrays(xs: Any) -> Any:
    """Results as NumPy values (a Python number an operand passed through becomes one)."""
    return tuple(x if isinstance(x, (np.ndarray, np.generic)) else np.asarray(x) for x in xs)


def _jvp_fun(prog: Program, n_in: int, which: Sequence[int], which_out: Sequence[int]) -> Callable[..., Any]:
    """``g(*xs, *ts) -> outs + tangents``: ``prog`` of ``n_in`` inputs and its jvp with
    tangents ``ts`` for the inputs ``which``; the tangents of outputs ``which_out``."""

    def g(*a: Any) -> Any:
        xs, ts = list(a[:n_in]), list(a[n_in:])
        if not which:
            return prog.eval_flat(xs)
        f = lambda *d: prog.eval_flat(_put(xs, which, d))  # noqa: E731
        outs, touts = jvp(f, [xs[i] for i in which], ts)
        return list(outs) + [touts[i] for i in which_out]

    return g


def _while_jvp(
    primals: Sequence[Any], tangents: Sequence[Any], *, cond: Program, body: Program, n_carry: int
) -> Any:
    nc = n_carry
    if all(t is None for t in tangents):
        return bind(while_p, *primals, cond=cond, body=body, n_carry=nc), [None] * nc
    c, k = list(primals[:nc]), list(primals[nc:])
    dc = [i for i in range(nc) if _real(c[i])]
    dk = [j for j, t in enumerate(tangents[nc:]) if t is not None]
    tc = [tangents[i] if tangents[i] is not None else _zeros(c[i]) for i in dc]
    tk = [tangents[nc + j] for j in dk]
    n, ndc, nk = nc + len(dc), len(dc), len(k)
    # the new carry is (c, tc), the new constants (k, tk)
    inner = _jvp_fun(body, nc + nk, dc + [nc + j for j in dk], dc)

    def body2(*a: Any) -> Any:
        outs = inner(*a[:nc], *a[n : n + nk], *a[nc:n], *a[n + nk :])
        return outs[:nc] + outs[nc:]

    def cond2(*a: Any) -> Any:
        return cond.eval_flat(list(a[:nc]) + list(a[n : n + nk]))

    out = bind_while(cond2, body2, c + tc, k + tk)
    return tuple(out[:nc]), _put([None] * nc, dc, out[nc : nc + ndc])


def _frozen(cond: Program, body: Program, nc: int) -> Callable[..., Any]:
    """One example's step of a batched loop: the body where the condition holds."""

    def step(*a: Any) -> Any:
        p = cond.eval_flat(list(a))[0]
        new = body.eval_flat(list(a))
        return [where(p, x, y) for x, y in zip(new, a[:nc], strict=True)]

    return step


def _batch_setup(vals: Sequence[Any], bdims: Sequence[int | None], nc: int) -> Any:
    """Every carry batched (broadcast if needed); the in_axes of carry and constants."""
    size = next(v.shape[0] for v, b in zip(vals, bdims, strict=True) if b is not None)
    c = [
        v if b is not None else st.broadcast_to(v, (size, *np.shape(v)))
        for v, b in zip(vals[:nc], bdims[:nc], strict=True)
    ]
    return size, c, (0,) * nc + tuple(bdims[nc:])


def _while_batch(
    vals: Sequence[Any], bdims: Sequence[int | None], *, cond: Program, body: Program, n_carry: int
) -> Any:
    nc = n_carry
    _, c, axes = _batch_setup(vals, bdims, nc)
    k = list(vals[nc:])

    def cond2(*a: Any) -> Any:  # runs while any example goes on
        return [_any(vmap(lambda *e: cond.eval_flat(list(e))[0], in_axes=axes)(*a))]

    def body2(*a: Any) -> Any:  # the finished examples are left as they are
        return list(vmap(_frozen(cond, body, nc), in_axes=axes)(*a))

    return bind_while(cond2, body2, c, k), [0] * nc


def _while_vjp(
    ct: Any,
    ans: Any,
    primals: Sequence[Any],
    wants: Sequence[bool],
    *,
    cond: Program,
    body: Program,
    n_carry: int,
) -> Any:
    nc = n_carry
    c, k = list(primals[:nc]), list(primals[nc:])
    nk = len(k)
    dc = [i for i in range(nc) if _real(c[i])]
    dk = [j for j in range(nk) if wants[nc + j] and _real(k[j])]
    ndc = len(dc)
    if not dc:  # an integer carry has no derivative, nor anything it depends on
        return [None] * len(primals)
    r = [ct[i] if ct[i] is not None else _zeros(c[i]) for i in dc] + [_zeros(k[j]) for j in dk]

    def back(*a: Any) -> Any:  # (c, k, ct of c, sum of the cts of k) -> the same one step earlier
        xs, rc, rk = list(a[: nc + nk]), list(a[nc + nk : nc + nk + ndc]), a[nc + nk + ndc :]
        which = dc + [nc + j for j in dk]
        _, pull = vjp(lambda *d: [body.eval_flat(_put(xs, which, d))[i] for i in dc], *[xs[i] for i in which])
        g = pull(rc)
        return list(g[:ndc]) + [x + y for x, y in zip(rk, g[ndc:], strict=True)]

    out = bind_while_rev(
        lambda *a: cond.eval_flat(list(a)), lambda *a: body.eval_flat(list(a)), back, c, k, r
    )
    cts = [None] * len(primals)
    for i, v in zip(dc, out[:ndc], strict=True):
        cts[i] = v if wants[i] else None
    for j, v in zip(dk, out[ndc:], strict=True):
        cts[nc + j] = v
    return cts


def _emit_while(gen: _Codegen, e: Eqn, lines: list[str], indent: str) -> None:
    p = e.params
    nc = p["n_carry"]
    fc = gen.intern(("loop", id(p["cond"])), _run(p["cond"]), "g")
    fb = gen.intern(("loop", id(p["body"])), _run(p["body"]), "g")
    ins = [gen.operand(x) for x in e.inputs]
    outs = _out_names(gen, e.outvars)
    c = ", ".join(outs) + ","
    args = ", ".join(outs + ins[nc:])
    lines.append(f"{indent}{c} = {', '.join(ins[:nc])},")
    lines.append(f"{indent}while {fc}({args})[0]:")
    lines.append(f"{indent}    {c} = {fb}({args})")


def _out_names(gen: _Codegen, outvars: list[Var]) -> list[str]:
    names = []
    for v in outvars:
        n = gen.names[v] = gen.fresh("v")
        names.append(n)
    return names


while_p = Primitive("while", _while_impl)
while_p.multiple_results = True
while_p.jvp = _while_jvp
while_p.vjp = _while_vjp
while_p.batch = _while_batch
while_p.emit = _emit_while


# -------------------------------------------------------------------- while_rev


def bind_while_rev(
    cond_fun: Callable[..., Any],
    body_fun: Callable[..., Any],
    back_fun: Callable[..., Any],
    carry: Any,
    consts: Any,
    r: Any,
) -> Any:
    """The reverse pass of a while loop, staged as one `while_rev` equation.

    Runs `c = body_fun(*c, *k)` while `cond_fun(*c, *k)`, keeping each carry the body
    reads; then `r = back_fun(*c, *k, *r)` over them from the last to the first.

    Args:
        cond_fun: The loop's condition.
        body_fun: The loop's step.
        back_fun: One step of the reverse pass.
        carry: The loop's initial carry (a flat list of arrays).
        consts: Values every iteration reads.
        r: The reverse pass's initial value (cotangents).

    Returns:
        The final `r` (a list).
    """
    carry, consts, r = list(carry), list(consts), list(r)
    ex = carry + consts
    cprog, o1 = stage(cond_fun, ex, "cond")
    bprog, o2 = stage(body_fun, ex, "body")
    kprog, o3 = stage(back_fun, ex + r, "back")
    if o1 or o2 or o3:  # (the rules only build these from closed programs)
        raise FadError("fad internal error: a while_rev program reads an outside value. Please report this.")
    out = bind(
        while_rev_p,
        *carry,
        *consts,
        *r,
        cond=cprog,
        body=bprog,
        back=kprog,
        n_carry=len(carry),
        n_consts=len(consts),
    )
    return list(out)


def _while_rev_impl(
    *args: Any, cond: Program, body: Program, back: Program, n_carry: int, n_consts: int
) -> Any:
    c = list(args[:n_carry])
    k = list(args[n_carry : n_carry + n_consts])
    r = list(args[n_carry + n_consts :])
    fc, fb, fk = _run(cond), _run(body), _run(back)
    trajectory = []
    while fc(*c, *k)[0]:
        trajectory.append(c)
        c = fb(*c, *k)
    for c in reversed(trajectory):
        r = fk(*c, *k, *r)
    return _arrays(r)


def _while_rev_jvp(
    primals: Sequence[Any],
    tangents: Sequence[Any],
    *,
    cond: Program,
    body: Program,
    back: Program,
    n_carry: int,
    n_consts: int,
) -> Any:
    nc, nk = n_carry, n_consts
    params = dict(cond=cond, body=body, back=back, n_carry=nc, n_consts=nk)
    nr = len(primals) - nc - nk
    if all(t is None for t in tangents):
        return bind(while_rev_p, *primals, **params), [None] * nr
    c, k, r = list(primals[:nc]), list(primals[nc : nc + nk]), list(primals[nc + nk :])
    dc = [i for i in range(nc) if _real(c[i])]
    dk = [j for j, t in enumerate(tangents[nc : nc + nk]) if t is not None]
    ndc, ndk = len(dc), len(dk)
    tc = [tangents[i] if tangents[i] is not None else _zeros(c[i]) for i in dc]
    tk = [tangents[nc + j] for j in dk]
    tr = [t if t is not None else _zeros(x) for x, t in zip(r, tangents[nc + nk :], strict=True)]
    # new carry (c, tc), constants (k, tk), r (r, tr)
    m = nc + ndc
    body_t = _jvp_fun(body, nc + nk, dc + [nc + j for j in dk], dc)
    back_t = _jvp_fun(
        back, nc + nk + nr, dc + [nc + j for j in dk] + list(range(nc + nk, nc + nk + nr)), range(nr)
    )

    def split(a: Any) -> Any:
        return a[:nc], a[nc:m], a[m : m + nk], a[m + nk : m + nk + ndk], a[m + nk + ndk :]

    def cond2(*a: Any) -> Any:
        c_, _, k_, _, _ = split(a)
        return cond.eval_flat(list(c_) + list(k_))

    def body2(*a: Any) -> Any:
        c_, tc_, k_, tk_, _ = split(a)
        return body_t(*c_, *k_, *tc_, *tk_)

    def back2(*a: Any) -> Any:
        c_, tc_, k_, tk_, rest = split(a)
        r_, tr_ = rest[:nr], rest[nr:]
        return back_t(*c_, *k_, *r_, *tc_, *tk_, *tr_)

    out = bind_while_rev(cond2, body2, back2, c + tc, k + tk, r + tr)
    return tuple(out[:nr]), list(out[nr:])


def _while_rev_batch(
    vals: Sequence[Any],
    bdims: Sequence[int | None],
    *,
    cond: Program,
    body: Program,
    back: Program,
    n_carry: int,
    n_consts: int,
) -> Any:
    nc, nk = n_carry, n_consts
    size, c, axes = _batch_setup(vals, bdims, nc)
    k = list(vals[nc : nc + nk])
    r = [
        v if b is not None else st.broadcast_to(v, (size, *np.shape(v)))
        for v, b in zip(vals[nc + nk :], bdims[nc + nk :], strict=True)
    ]
    axes = axes[: nc + nk]
    r_axes = axes + (0,) * len(r)

    def cond2(*a: Any) -> Any:
        return [_any(vmap(lambda *e: cond.eval_flat(list(e))[0], in_axes=axes)(*a))]

    def body2(*a: Any) -> Any:
        return list(vmap(_frozen(cond, body, nc), in_axes=axes)(*a))

    def one_back(*a: Any) -> Any:  # a finished example's r is left as it is
        p = cond.eval_flat(list(a[: nc + nk]))[0]
        new = back.eval_flat(list(a))
        return [where(p, x, y) for x, y in zip(new, a[nc + nk :], strict=True)]

    def back2(*a: Any) -> Any:
        return list(vmap(one_back, in_axes=r_axes)(*a))

    return bind_while_rev(cond2, body2, back2, c, k, r), [0] * len(r)


def _while_rev_vjp(ct: Any, ans: Any, primals: Sequence[Any], wants: Sequence[bool], **params: Any) -> Any:
    raise FadError(
        "Reverse mode over the reverse pass of a staged while_loop (or of a fori_loop whose "
        "bounds depend on the arguments of a jitted function) is not supported: grad of grad "
        "through such a loop under fad.jit. Take the second derivative in forward-over-reverse "
        "mode (fad.hessian, fad.jacfwd(fad.grad(f))), make the bounds static "
        "(static_argnums=...), or differentiate outside fad.jit."
    )


def _emit_while_rev(gen: _Codegen, e: Eqn, lines: list[str], indent: str) -> None:
    p = e.params
    nc, nk = p["n_carry"], p["n_consts"]
    fc = gen.intern(("loop", id(p["cond"])), _run(p["cond"]), "g")
    fb = gen.intern(("loop", id(p["body"])), _run(p["body"]), "g")
    fk = gen.intern(("loop", id(p["back"])), _run(p["back"]), "g")
    ins = [gen.operand(x) for x in e.inputs]
    cs = [gen.fresh("c") for _ in range(nc)]
    tr = gen.fresh("t")
    outs = _out_names(gen, e.outvars)
    c, r = ", ".join(cs) + ",", ", ".join(outs) + ","
    args = ", ".join(cs + ins[nc : nc + nk])
    lines.append(f"{indent}{c} = {', '.join(ins[:nc])},")
    lines.append(f"{indent}{tr} = []")
    lines.append(f"{indent}while {fc}({args})[0]:")
    lines.append(f"{indent}    {tr}.append(({c}))")
    lines.append(f"{indent}    {c} = {fb}({args})")
    lines.append(f"{indent}{r} = {', '.join(ins[nc + nk :])},")
    lines.append(f"{indent}for {c} in reversed({tr}):")
    lines.append(f"{indent}    {r} = {fk}({args}, {', '.join(outs)})")
    lines.append(f"{indent}del {tr}")


while_rev_p = Primitive("while_rev", _while_rev_impl)
while_rev_p.multiple_results = True
while_rev_p.jvp = _while_rev_jvp
while_rev_p.vjp = _while_rev_vjp
while_rev_p.batch = _while_rev_batch
while_rev_p.emit = _emit_while_rev


# ------------------------------------------------------------------------- scan


def bind_scan(
    body_fun: Callable[..., Any], carry: Any, xs: Any, consts: Any = (), *, length: int, reverse: bool = False
) -> Any:
    """`for i in range(length): c, y = body_fun(*c, *xs[i], *k)`, staged as one `scan`.

    Args:
        body_fun: One step: takes the carry, the slices of `xs` and the constants; returns
            the next carry, then the step's outputs `y`.
        carry: The initial carry (a flat list of arrays).
        xs: Arrays scanned along their first axis.
        consts: Values every step reads.
        length: The number of steps.
        reverse: Whether to scan from the last slice to the first.

    Returns:
        The final carry, then the stacked `y`s (a list).
    """
    carry, xs, consts = list(carry), list(xs), list(consts)
    x_ex = [_slice_example(x, length, reverse) for x in xs]
    prog, outside = stage(body_fun, carry + x_ex + consts, "body")
    out = bind(
        scan_p,
        *carry,
        *xs,
        *consts,
        *outside,
        body=prog,
        n_carry=len(carry),
        n_xs=len(xs),
        length=length,
        reverse=reverse,
    )
    return list(out)


def _slice_example(x: Any, length: int, reverse: bool) -> Any:
    a = _array(x)
    return a[length - 1 if reverse else 0] if length else np.zeros(a.shape[1:], a.dtype)


def _scan_impl(*args: Any, body: Program, n_carry: int, n_xs: int, length: int, reverse: bool) -> Any:
    c = list(args[:n_carry])
    xs = args[n_carry : n_carry + n_xs]
    k = list(args[n_carry + n_xs :])
    fb = _run(body)
    ys = [np.empty((length, *shape), dtype) for shape, dtype in _avals(body)[n_carry:]]
    for i in range(length - 1, -1, -1) if reverse else range(length):
        out = fb(*c, *[x[i] for x in xs], *k)
        c = out[:n_carry]
        for buf, y in zip(ys, out[n_carry:], strict=True):
            buf[i] = y
    return _arrays(c) + tuple(ys)


def _scan_params(body: Program, n_carry: int, n_xs: int, length: int, reverse: bool) -> dict[str, Any]:
    return dict(body=body, n_carry=n_carry, n_xs=n_xs, length=length, reverse=reverse)


def _scan_jvp(
    primals: Sequence[Any],
    tangents: Sequence[Any],
    *,
    body: Program,
    n_carry: int,
    n_xs: int,
    length: int,
    reverse: bool,
) -> Any:
    nc, nx = n_carry, n_xs
    ny = len(body.outs) - nc
    if all(t is None for t in tangents):
        return bind(scan_p, *primals, **_scan_params(body, nc, nx, length, reverse)), [None] * (nc + ny)
    c, x, k = list(primals[:nc]), list(primals[nc : nc + nx]), list(primals[nc + nx :])
    nk = len(k)
    dc = [i for i in range(nc) if _real(c[i])]
    dx = [i for i, t in enumerate(tangents[nc : nc + nx]) if t is not None]
    dk = [j for j, t in enumerate(tangents[nc + nx :]) if t is not None]
    dy = [m for m, (_, dt) in enumerate(_avals(body)[nc:]) if np.dtype(dt).kind in "fc"]
    ndc, ndx = len(dc), len(dx)
    tc = [tangents[i] if tangents[i] is not None else _zeros(c[i]) for i in dc]
    tx = [tangents[nc + i] for i in dx]
    tk = [tangents[nc + nx + j] for j in dk]
    inner = _jvp_fun(
        body, nc + nx + nk, dc + [nc + i for i in dx] + [nc + nx + j for j in dk], dc + [nc + m for m in dy]
    )

    def body2(*a: Any) -> Any:  # (c, tc, x, tx, k, tk) -> (c, tc, y, ty)
        c_, tc_ = a[:nc], a[nc : nc + ndc]
        x_, tx_ = a[nc + ndc : nc + ndc + nx], a[nc + ndc + nx : nc + ndc + nx + ndx]
        rest = a[nc + ndc + nx + ndx :]
        k_, tk_ = rest[:nk], rest[nk:]
        outs = inner(*c_, *x_, *k_, *tc_, *tx_, *tk_)
        prim, tang = outs[: nc + ny], outs[nc + ny :]
        return prim[:nc] + tang[:ndc] + prim[nc:] + tang[ndc:]

    out = bind_scan(body2, c + tc, x + tx, k + tk, length=length, reverse=reverse)
    carry, t_carry = out[:nc], out[nc : nc + ndc]
    ys, t_ys = out[nc + ndc : nc + ndc + ny], out[nc + ndc + ny :]
    t_out = _put([None] * nc, dc, t_carry) + _put([None] * ny, dy, t_ys)
    return tuple(carry + ys), t_out


def _scan_batch(
    vals: Sequence[Any],
    bdims: Sequence[int | None],
    *,
    body: Program,
    n_carry: int,
    n_xs: int,
    length: int,
    reverse: bool,
) -> Any:
    nc, nx = n_carry, n_xs
    ny = len(body.outs) - nc
    _, c, _ = _batch_setup(vals, bdims, nc)
    # a batched xs has the batch axis first: the scan's axis goes first, the batch's second
    x = [
        st.moveaxis(v, 0, 1) if b is not None else v
        for v, b in zip(vals[nc : nc + nx], bdims[nc : nc + nx], strict=True)
    ]
    k = list(vals[nc + nx :])
    axes = (0,) * nc + tuple(bdims[nc:])

    def body2(*a: Any) -> Any:
        return list(vmap(lambda *e: body.eval_flat(list(e)), in_axes=axes)(*a))

    out = bind_scan(body2, c, x, k, length=length, reverse=reverse)
    return out, [0] * nc + [1] * ny


def _scan_vjp_fwd(
    primals: Sequence[Any], *, body: Program, n_carry: int, n_xs: int, length: int, reverse: bool
) -> Any:
    """The forward scan, also stacking the carry each step reads (the reverse pass's)."""
    nc = n_carry

    def body2(*a: Any) -> Any:
        return body.eval_flat(list(a)) + list(a[:nc])

    out = bind_scan(
        body2, primals[:nc], primals[nc : nc + n_xs], primals[nc + n_xs :], length=length, reverse=reverse
    )
    n = len(body.outs)
    return tuple(out[:n]), out[n:]


def _scan_vjp(
    ct: Any,
    carries: Any,
    primals: Sequence[Any],
    wants: Sequence[bool],
    *,
    body: Program,
    n_carry: int,
    n_xs: int,
    length: int,
    reverse: bool,
) -> Any:
    nc, nx = n_carry, n_xs
    avals = _avals(body)
    c, x, k = list(primals[:nc]), list(primals[nc : nc + nx]), list(primals[nc + nx :])
    nk = len(k)
    dc = [i for i in range(nc) if _real(c[i])]
    dx = [i for i in range(nx) if wants[nc + i] and _real(x[i])]
    dk = [j for j in range(nk) if wants[nc + nx + j] and _real(k[j])]
    dy = [m for m, (_, dt) in enumerate(avals[nc:]) if np.dtype(dt).kind in "fc"]
    ndc, ndx, ndk, ndy = len(dc), len(dx), len(dk), len(dy)
    if not (dc or dy):
        return [None] * len(primals)
    rc = [ct[i] if ct[i] is not None else _zeros(c[i]) for i in dc]
    cy = [
        ct[nc + m] if ct[nc + m] is not None else st.zeros((length, *avals[nc + m][0]), avals[nc + m][1])
        for m in dy
    ]
    acc = [_zeros(k[j]) for j in dk]
    which = dc + [nc + i for i in dx] + [nc + nx + j for j in dk]

    def back(*a: Any) -> Any:  # carry (ct of c, sum of cts of k); xs (carries, x, ct of y); consts k
        rc_, acc_ = a[:ndc], a[ndc : ndc + ndk]
        p = ndc + ndk
        ins = list(a[p : p + nc + nx]) + list(a[p + nc + nx + ndy :])
        cy_ = a[p + nc + nx : p + nc + nx + ndy]
        outs = lambda *d: [
            o for n, o in enumerate(body.eval_flat(_put(ins, which, d))) if n in dc or n - nc in dy
        ]  # noqa: E731
        _, pull = vjp(outs, *[ins[i] for i in which])
        g = pull(list(rc_) + list(cy_))
        return (
            list(g[:ndc])
            + [u + v for u, v in zip(acc_, g[ndc + ndx :], strict=True)]
            + list(g[ndc : ndc + ndx])
        )

    out = bind_scan(back, rc + acc, list(carries) + x + cy, k, length=length, reverse=not reverse)
    cts = [None] * len(primals)
    for i, v in zip(dc, out[:ndc], strict=True):
        cts[i] = v if wants[i] else None
    for j, v in zip(dk, out[ndc : ndc + ndk], strict=True):
        cts[nc + nx + j] = v
    for i, v in zip(dx, out[ndc + ndk :], strict=True):
        cts[nc + i] = v
    return cts


def _emit_scan(gen: _Codegen, e: Eqn, lines: list[str], indent: str) -> None:
    p = e.params
    nc, nx, n = p["n_carry"], p["n_xs"], p["length"]
    fb = gen.intern(("loop", id(p["body"])), _run(p["body"]), "g")
    empty = gen.intern(("fn", id(np.empty)), np.empty, "f")
    ins = [gen.operand(x) for x in e.inputs]
    outs = _out_names(gen, e.outvars)
    cs, ys = outs[:nc], outs[nc:]
    i = gen.fresh("i")
    parts = [f"{y}_" for y in ys]
    if cs:
        lines.append(f"{indent}{', '.join(cs)}, = {', '.join(ins[:nc])},")
    for y, v in zip(ys, e.outvars[nc:], strict=True):
        dt = gen.intern(("dtype", v.dtype.str), v.dtype, "d")
        lines.append(f"{indent}{y} = {empty}({v.shape!r}, {dt})")
    order = f"range({n - 1}, -1, -1)" if p["reverse"] else f"range({n})"
    lines.append(f"{indent}for {i} in {order}:")
    args = ", ".join(cs + [f"{x}[{i}]" for x in ins[nc : nc + nx]] + ins[nc + nx :])
    lhs = ", ".join(cs + parts) + "," if cs or parts else "_"
    lines.append(f"{indent}    {lhs} = {fb}({args})")
    for y, t in zip(ys, parts, strict=True):
        lines.append(f"{indent}    {y}[{i}] = {t}")


scan_p = Primitive("scan", _scan_impl)
scan_p.multiple_results = True
scan_p.jvp = _scan_jvp
scan_p.vjp_fwd = _scan_vjp_fwd
scan_p.vjp = _scan_vjp
scan_p.batch = _scan_batch
scan_p.emit = _emit_scan
