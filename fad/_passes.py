"""Simplification passes on a Program: constant folding, algebraic clean-ups,
common-subexpression elimination and dead-code elimination.

Every pass preserves values exactly (they only remove work): ``x * 1 -> x`` and
``x + 0 -> x`` apply only when the result has the same shape, dtype and weakness as ``x``,
and nothing is rewritten that could change a NaN or an infinity (``x * 0`` stays).
"""

from __future__ import annotations

import numpy as np

from fad._core import EVAL, REGISTRY
from fad._staging import Const, Eqn, Program, Var

_SMALL = 64  # constants up to this size are compared by value in CSE and clean-ups


def simplify(prog: Program) -> Program:
    eqns, outs = _forward(prog)
    eqns = _dce(eqns, outs)
    return Program(prog.invars, eqns, outs, prog.in_tree, prog.out_tree, prog.name)


def _forward(prog):
    subst = {}
    seen = {}
    out_eqns = []
    producer = {}  # Var -> the (kept) equation computing it

    def sub(x):
        return subst.get(x, x) if type(x) is Var else x

    for e in prog.eqns:
        inputs = [sub(x) for x in e.inputs]
        if all(type(x) is Const for x in inputs):  # constant folding
            with np.errstate(all="ignore"):
                val = EVAL.process(e.prim, [x.value for x in inputs], e.params)
            vals = val if e.prim.multiple_results else (val,)
            for v, c in zip(e.outvars, vals, strict=True):
                subst[v] = Const(c)
            continue
        if e.prim.name == "reshape" and type(inputs[0]) is Var:
            src = producer.get(inputs[0])
            if src is not None and src.prim.name == "reshape":  # reshape of a reshape
                inputs = [src.inputs[0]]
        prim, inputs, alias = _fold_negations(e.prim, inputs, producer)
        alias = alias if alias is not None else _algebraic(e, inputs)
        if alias is not None:
            subst[e.outvars[0]] = alias
            continue
        key = _cse_key(prim, inputs, e.params)
        if key is not None and key in seen:
            for v, prev in zip(e.outvars, seen[key], strict=True):
                subst[v] = prev
            continue
        if key is not None:
            seen[key] = e.outvars
        new = Eqn(prim, inputs, e.params, e.outvars, e.source)
        for v in e.outvars:
            producer[v] = new
        out_eqns.append(new)
    return out_eqns, [sub(x) for x in prog.outs]


def _negated(x, producer):
    """The operand of ``x = neg(operand)``, or None."""
    if type(x) is Var:
        src = producer.get(x)
        if src is not None and src.prim.name == "neg":
            return src.inputs[0]
    return None


def _fold_negations(prim, inputs, producer):
    """Exact rewrites that absorb a ``neg`` into its consumer (the neg then dies in DCE):
    ``a + (-b) -> a - b``, ``(-a) + b -> b - a``, ``a - (-b) -> a + b``,
    ``(-a) * c -> a * (-c)`` for a constant ``c``, ``(-a) * (-b) -> a * b``, ``-(-a) -> a``.
    Returns ``(prim, inputs, alias)``."""
    name = prim.name
    if name == "neg":
        inner = _negated(inputs[0], producer)
        return prim, inputs, inner
    if name not in ("add", "sub", "mul") or len(inputs) != 2:
        return prim, inputs, None
    a, b = inputs
    na, nb = _negated(a, producer), _negated(b, producer)
    if name == "add" and nb is not None:
        return REGISTRY["sub"], [a, nb], None
    if name == "add" and na is not None:
        return REGISTRY["sub"], [b, na], None
    if name == "sub" and nb is not None:
        return REGISTRY["add"], [a, nb], None
    if name == "mul":
        if na is not None and nb is not None:
            return prim, [na, nb], None
        if na is not None and type(b) is Const:
            return prim, [na, Const(-b.value)], None
        if nb is not None and type(a) is Const:
            return prim, [Const(-a.value), nb], None
    return prim, inputs, None


def _same_aval(v, out):
    if type(v) is Var:
        return v.shape == out.shape and v.dtype == out.dtype and v.weak == out.weak
    return False


def _is_const(x, value):
    if type(x) is not Const:
        return False
    v = x.value
    if np.size(v) > _SMALL:
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.asarray(v) == value))


def _algebraic(e, inputs):
    name = e.prim.name
    out = e.outvars[0]
    if name in ("add", "sub") and len(inputs) == 2:
        x, y = inputs
        if _is_const(y, 0) and _same_aval(x, out):
            return x
        if name == "add" and _is_const(x, 0) and _same_aval(y, out):
            return y
    elif name == "mul" and len(inputs) == 2:
        x, y = inputs
        if _is_const(y, 1) and _same_aval(x, out):
            return x
        if _is_const(x, 1) and _same_aval(y, out):
            return y
    elif name == "pow" and len(inputs) == 2:
        x, y = inputs
        if _is_const(y, 1) and _same_aval(x, out):
            return x
    elif name == "div" and len(inputs) == 2:
        x, y = inputs
        if _is_const(y, 1) and _same_aval(x, out):
            return x
    elif name in ("reshape", "broadcast_to", "astype"):
        # same shape (dtype) in and out: these are the identity
        if _same_aval(inputs[0], out):
            return inputs[0]
    elif name == "transpose":
        if tuple(e.params["perm"]) == tuple(range(len(out.shape))) and _same_aval(inputs[0], out):
            return inputs[0]
    return None


def _cse_key(prim, inputs, params):
    parts = []
    for x in inputs:
        if type(x) is Var:
            parts.append(("v", id(x)))
        else:
            v = x.value
            if np.size(v) > _SMALL:
                parts.append(("c", id(v)))
            else:
                a = np.asarray(v)
                parts.append(("k", a.dtype.str, a.shape, a.tobytes(), type(v).__name__))
    try:
        pkey = tuple(sorted((k, _param_key(v)) for k, v in params.items()))
    except TypeError:
        return None
    if prim.name in _COMMUTATIVE:
        parts = sorted(parts, key=repr)
    return (prim.name, id(prim), tuple(parts), pkey)


_COMMUTATIVE = frozenset({"add", "mul", "maximum", "minimum", "eq", "ne"})


def _param_key(v):
    if callable(v) and not isinstance(v, type):
        return ("fn", id(v))
    if isinstance(v, np.ndarray):
        return ("arr", v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, tuple):
        return tuple(_param_key(x) for x in v)
    if isinstance(v, slice):
        return ("slice", v.start, v.stop, v.step)
    hash(v)
    return v


def _dce(eqns, outs):
    live = {x for x in outs if type(x) is Var}
    kept = []
    for e in reversed(eqns):
        if any(v in live for v in e.outvars):
            kept.append(e)
            live.update(x for x in e.inputs if type(x) is Var)
    kept.reverse()
    return kept
