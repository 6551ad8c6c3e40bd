"""Simplification passes on a Program: constant folding, algebraic clean-ups,
common-subexpression elimination and dead-code elimination.

Every pass preserves values exactly (they only remove work): ``x * 1 -> x`` and
``x + 0 -> x`` apply only when the result has the same shape, dtype and weakness as ``x``,
and nothing is rewritten that could change a NaN or an infinity (``x * 0`` stays). One
rewrite is exact for finite values only: a matrix product with a constant identity matrix
(``unit_matrix``; the basis of a Jacobian) is the other factor, where the product would
spread ``0 * inf = NaN`` along a column and turn a ``-0.0`` into ``0.0``.

The rewrites know no primitive by name: they read the algebraic facts each primitive
declares (``commutative``, ``identity``, ``noop_if``, ``collapses``, ``negation``,
``negated_rhs``, ``odd``, ``twice``, ``scaling``: see :class:`fad._core.Primitive`;
``unit_matrix``, set on ``matmul``; ``expands``, set on ``broadcast_to``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import EVAL
from fad._program import Const, Eqn, Program, Source, Var

if TYPE_CHECKING:
    from fad._core import Primitive

Operand = Var | Const
Flags = tuple[Any, ...]  # see _flags
Uses = Counter[Operand]  # how many equations (and outputs) read each variable

_inputs_of = attrgetter("inputs")
_SMALL = 64  # constants up to this size are compared by value in CSE and clean-ups


def simplify(prog: Program) -> Program:
    """Simplify a program exactly (see the module's docstring).

    Args:
        prog: The program, as captured.

    Returns:
        An equal program without dead code, common subexpressions and the algebra the
        primitives declare (`x * 1`, `x + 0`, negations absorbed, scalings merged).
    """
    eqns, outs, held = _forward(prog)
    prog = Program(prog.invars, _dce(eqns, outs), outs, prog.in_tree, prog.out_tree, prog.name)
    if held:
        # a second round sees the reader counts left after CSE and DCE, which decide
        # whether a neg can move (see _move_negation); it runs only if a neg stayed where it
        # was for want of a single reader, since nothing else it could do is left undone
        eqns, outs, _ = _forward(prog)
        prog = Program(prog.invars, _dce(eqns, outs), outs, prog.in_tree, prog.out_tree, prog.name)
    return prog


def _flags(prim: Primitive) -> Flags:
    """What _forward asks of ``prim``, once: (rewritten, looked at, kind of result)."""
    rewritten = (
        prim.identity is not None
        or prim.noop_if is not None
        or prim.collapses
        or prim.negation
        or prim.negated_rhs is not None
        or prim.odd
        or prim.twice is not None
        or getattr(prim, "unit_matrix", False)
    )
    # a rewrite looks at the equations computing these primitives' results
    kind = (
        _NEG
        if prim.negation
        else _SCALE
        if prim.scaling
        else _EXPAND
        if getattr(prim, "expands", False)
        else 0
    )
    looked = kind != 0 or prim.collapses
    facts = (prim.collapses, prim.twice is not None, prim.noop_if is not None, prim.scaling)
    effectful = getattr(prim, "effectful", False)  # (fad.debug: never folded at capture)
    return (rewritten, looked, kind, isinstance(prim.impl, np.ufunc), *facts, effectful)


_NEG, _SCALE, _EXPAND = 1, 2, 3


def _forward(prog: Program) -> tuple[list[Eqn], list[Operand], bool]:
    """One pass over the equations in order: fold constants, apply the exact rewrites,
    eliminate common subexpressions. Linear in the program's length: every step is a few
    dictionary operations on the equation at hand. Returns the equations, the outputs and
    whether a ``neg`` stayed in place because its result had more than one reader."""
    subst: dict[Operand, Operand] = {}
    subst_get: Callable[[Operand, Operand], Operand] = subst.get
    seen: dict[tuple[Any, ...], list[Var]] = {}
    out_eqns: list[Eqn] = []
    producer: dict[Var, Eqn] = {}  # Var -> the (kept) equation computing it, for the looked-at primitives
    uses = _use_counts(prog)  # Var -> how many inputs and outputs read it
    flags: dict[Primitive, Flags] = {}  # per primitive, _flags
    negvars: set[Var] = set()  # results of kept negations
    scalevars: set[Var] = set()  # results of kept scalings
    expanded: set[Var] = set()  # results of kept broadcasts (``expands``)
    held = False
    append = out_eqns.append

    def alias(v: Var, target: Operand) -> None:
        subst[v] = target
        if type(target) is Var:  # v's readers now read target
            uses[target] = uses.get(target, 0) + uses.get(v, 0)

    def drop(inputs: list[Operand]) -> None:  # an equation left the program: its inputs lose a reader
        for x in inputs:
            if type(x) is Var:
                uses[x] -= 1

    def emit(
        prim: Primitive,
        inputs: list[Operand],
        params: dict[str, Any],
        outvars: list[Var],
        source: Source,
        e: Eqn | None = None,
    ) -> None:
        key = _cse_key(prim, inputs, params)
        if key is not None:
            prev = seen.get(key)
            if prev is not None:
                drop(inputs)
                for v, p in zip(outvars, prev, strict=True):
                    alias(v, p)
                return
            seen[key] = outvars
        if e is not None and prim is e.prim and inputs == e.inputs:  # (identity: no __eq__)
            new = e  # unchanged: the program keeps the same equation object
        else:
            new = Eqn(prim, inputs, params, outvars, source)
        fl = flags.get(prim)
        if fl is None:
            fl = flags[prim] = _flags(prim)
        if fl[1]:
            for v in outvars:
                producer[v] = new
            kind = fl[2]
            if kind == _NEG:
                negvars.update(outvars)
            elif kind == _SCALE:
                scalevars.update(outvars)
            elif kind == _EXPAND:
                expanded.update(outvars)
        append(new)

    for e in prog.eqns:
        inputs: list[Operand] = list(map(subst_get, e.inputs, e.inputs))
        prim = e.prim
        fl = flags.get(prim)
        if fl is None:
            fl = flags[prim] = _flags(prim)
        n = len(inputs)
        if n == 1:
            a = inputs[0]
            if type(a) is not Var and not fl[8]:
                _fold(e, inputs, subst)
                continue
        elif n == 2:
            a, b = inputs
            if type(a) is not Var and type(b) is not Var and not fl[8]:
                _fold(e, inputs, subst)
                continue
        else:
            for x in inputs:
                if type(x) is Var:
                    break
            else:
                if not fl[8]:
                    _fold(e, inputs, subst)
                    continue
        if expanded and fl[3] and not expanded.isdisjoint(inputs):
            inputs = _unexpanded(inputs, producer, e.outvars[0], uses)
        if not fl[0]:
            params = e.params
            if not params and fl[1] is False and n <= 2:
                # the common case, inline: an operation no rewrite touches or looks at
                key: tuple[Any, ...] | None
                if n == 1:
                    key = (prim, (), a)
                else:
                    key = _cse_key(prim, inputs, params)
                if key is not None:
                    prev = seen.get(key)
                    if prev is not None:
                        drop(inputs)
                        for v, p in zip(e.outvars, prev, strict=True):
                            alias(v, p)
                        continue
                    seen[key] = e.outvars
                append(e if inputs == e.inputs else Eqn(prim, inputs, params, e.outvars, e.source))
                continue
            emit(prim, inputs, params, e.outvars, e.source, e)
            continue
        if fl[4] and type(inputs[0]) is Var:  # (collapses)
            src = producer.get(inputs[0])
            if src is not None and src.prim is prim:  # reshape of a reshape
                inputs = [src.inputs[0]]
        if fl[5]:  # (twice)
            prim, inputs = _double_as_scaling(prim, inputs)
        # the rewrites below look for a neg (or a scaling) among the operands' producers
        same = None
        negated = negvars and not negvars.isdisjoint(inputs)
        if negated:
            prim, inputs, same = _fold_negations(prim, inputs, producer)
        if prim is not e.prim:
            fl = flags.get(prim)
            if fl is None:
                fl = flags[prim] = _flags(prim)
        consts = Const in map(type, inputs)
        if same is None and (consts or fl[6]):  # (noop_if)
            same = _algebraic(prim, e.params, inputs, e.outvars[0])  # (x + 0, x * 1: a constant)
        if same is not None:
            drop(inputs)
            alias(e.outvars[0], same)
            continue
        if consts and fl[3] and len(inputs) == 2:
            a, b = inputs  # (a constant array operand: perhaps one number)
            if (type(a) is Const and type(a.value) is np.ndarray) or (
                type(b) is Const and type(b.value) is np.ndarray
            ):
                inputs = _uniform_as_scalar(inputs, e.outvars[0])
        if consts and fl[7] and scalevars and not scalevars.isdisjoint(inputs):  # (scaling)
            inputs = _merge_scalings(prim, inputs, producer)
            pushed = _push_scaling(prim, inputs, producer, uses)
            if pushed is not None:  # emit t = prim(r, c) and out = prim(k, t)
                k, r, c = pushed
                t = Var(r.shape, r.dtype, r.weak)
                uses[t] = 1
                uses[r] = uses.get(r, 0) + 1
                emit(prim, [r, c], {}, [t], e.source)
                emit(prim, [k, subst.get(t, t)], {}, e.outvars, e.source)
                continue
        moved = None
        if negated and not negvars.isdisjoint(inputs):
            moved = _move_negation(prim, inputs, producer, uses)
            if moved is None and prim.odd:
                held = True  # (perhaps for want of a single reader: see simplify)
        if moved is not None:  # emit t = prim(operands) and out = neg(t)
            neg_p, operands = moved
            out = e.outvars[0]
            t = Var(out.shape, out.dtype, out.weak)
            uses[t] = 1
            emit(prim, operands, e.params, [t], e.source)
            emit(neg_p, [subst.get(t, t)], {}, e.outvars, e.source)
            continue
        params = e.params
        if params or len(inputs) != 2 or prim.multiple_results:
            emit(prim, inputs, params, e.outvars, e.source, e)
            continue
        # (emit, inline for a binary operation without parameters)
        a, b = inputs
        ka = a if type(a) is Var else _const_key(a.value)
        if type(b) is Var:
            if prim.commutative and (type(a) is not Var or id(b) < id(a)):
                key = (prim, (), b, ka)  # (prim, params, operands: the key of _cse_key)
            else:
                key = (prim, (), ka, b)
        else:
            key = (prim, (), ka, _const_key(b.value))
        outvars = e.outvars
        prev = seen.get(key)
        if prev is not None:
            drop(inputs)
            alias(outvars[0], prev[0])
            continue
        seen[key] = outvars
        new = e if prim is e.prim and inputs == e.inputs else Eqn(prim, inputs, params, outvars, e.source)
        if fl[1]:
            producer[outvars[0]] = new
            kind = fl[2]
            if kind == _NEG:
                negvars.add(outvars[0])
            elif kind == _SCALE:
                scalevars.add(outvars[0])
            elif kind == _EXPAND:
                expanded.add(outvars[0])
        append(new)
    return out_eqns, [subst.get(x, x) for x in prog.outs], held


def _fold(e: Eqn, inputs: list[Any], subst: dict[Operand, Operand]) -> None:
    """Constant folding: every operand is a constant."""
    with np.errstate(all="ignore"):
        val = EVAL.process(e.prim, [x.value for x in inputs], e.params)
    vals = val if e.prim.multiple_results else (val,)
    for v, c in zip(e.outvars, vals, strict=True):
        subst[v] = Const(c)


def _unexpanded(inputs: list[Operand], producer: dict[Var, Eqn], out: Var, uses: Uses) -> list[Operand]:
    """A NumPy ufunc broadcasts its operands itself: an operand ``broadcast_to(x, shape)``
    may be ``x`` where the result keeps its shape (exact: the same values meet, element by
    element, in the same dtype). A weak ``x`` (a Python scalar input) stays broadcast, since
    NumPy would promote it differently."""
    new = list(inputs)
    for k, b in enumerate(inputs):
        src = producer.get(b) if type(b) is Var else None
        if src is None or not getattr(src.prim, "expands", False):
            continue
        x = src.inputs[0]
        if type(x) is not Var or x.weak or x.dtype != b.dtype:
            continue
        trial = new[:k] + [x] + new[k + 1 :]
        shapes = [v.shape if type(v) is Var else np.shape(v.value) for v in trial]
        try:
            same = np.broadcast_shapes(*shapes) == out.shape
        except ValueError:
            same = False
        if same:
            new = trial
            uses[b] -= 1
            uses[x] = uses.get(x, 0) + 1
    return new


def _use_counts(prog: Program) -> Uses:
    """Var -> how many inputs and outputs read it (constants are counted too, by identity,
    and never asked for: counting everything keeps the loop in C)."""
    uses = Counter(chain.from_iterable(map(_inputs_of, prog.eqns)))
    uses.update(prog.outs)
    return uses


def _negation_of(x: Operand, producer: dict[Var, Eqn]) -> Eqn | None:
    """The equation ``x = neg(operand)`` computing ``x``, or None."""
    if type(x) is Var:
        src = producer.get(x)
        if src is not None and src.prim.negation:
            return src
    return None


def _negated(x: Operand, producer: dict[Var, Eqn]) -> Operand | None:
    """The operand of ``x = neg(operand)``, or None."""
    src = _negation_of(x, producer)
    return None if src is None else src.inputs[0]


def _fold_negations(
    prim: Primitive, inputs: list[Operand], producer: dict[Var, Eqn]
) -> tuple[Primitive, list[Operand], Operand | None]:
    """Exact rewrites that absorb a ``neg`` into its consumer (the neg then dies in DCE):
    ``a + (-b) -> a - b``, ``(-a) + b -> b - a``, ``a - (-b) -> a + b`` (``negated_rhs``),
    ``(-a) * c -> a * (-c)`` for a constant ``c``, ``(-a) * (-b) -> a * b`` (``odd``: ``*``
    and ``/``), ``-(-a) -> a``. Returns ``(prim, inputs, alias)``."""
    if prim.negation:
        inner = _negated(inputs[0], producer)
        return prim, inputs, inner
    if len(inputs) != 2:
        return prim, inputs, None
    a, b = inputs
    na, nb = _negated(a, producer), _negated(b, producer)
    other = prim.negated_rhs
    if other is not None and nb is not None:
        return other, [a, nb], None
    if other is not None and na is not None and prim.commutative:
        return other, [b, na], None
    if prim.odd:
        if na is not None and nb is not None:
            return prim, [na, nb], None
        if na is not None and type(b) is Const:
            return prim, [na, Const(-b.value)], None
        if nb is not None and type(a) is Const:
            return prim, [Const(-a.value), nb], None
    return prim, inputs, None


def _double_as_scaling(prim: Primitive, inputs: list[Operand]) -> tuple[Primitive, list[Operand]]:
    """``a + a -> a * 2.0`` for a float ``a`` (exact: both are the doubled value, infinities
    and NaNs included), so that the doubling can merge with a neighbouring scaling."""
    twice = prim.twice
    if twice is not None and len(inputs) == 2:
        a, b = inputs
        if a is b and type(a) is Var and a.dtype.kind == "f" and not a.weak:
            return twice, [a, Const(2.0)]
    return prim, inputs


def _scale_factor(x: Operand, kind: str) -> float | None:
    """The value of ``x`` if it is a finite Python float constant (weak: it takes the other
    operand's dtype, so merging two of them cannot change the result's dtype), or, for a
    float operand (``kind`` ``"f"``), a Python int that a float holds exactly; else None."""
    if type(x) is not Const:
        return None
    v = x.value
    if type(v) is float:
        return v if math.isfinite(v) else None
    if type(v) is int and kind == "f" and abs(v) < 2**53:
        return float(v)
    return None


def _is_power_of_two(c: float) -> bool:
    m, _ = math.frexp(abs(c))
    return m == 0.5


def _merge_scalings(prim: Primitive, inputs: list[Operand], producer: dict[Var, Eqn]) -> list[Operand]:
    """``(a * c1) * c2 -> a * (c1 * c2)`` for scalar constants (floats; ints too where ``a``
    is a float array, as a float holds them), when that is exact:
    one factor is a power of two and both have magnitude >= 1, so ``a * c1`` loses nothing
    (no underflow; an overflow stays an overflow) and ``c1 * c2`` is computed exactly."""
    if len(inputs) != 2:
        return inputs
    for k in (0, 1):
        x = inputs[k]
        if type(x) is not Var:
            continue
        c2 = _scale_factor(inputs[1 - k], x.dtype.kind)
        if c2 is None:
            continue
        src = producer.get(x)
        if src is None or src.prim is not prim:
            continue
        for j in (0, 1):
            a, c1 = src.inputs[j], _scale_factor(src.inputs[1 - j], x.dtype.kind)
            if c1 is None or type(a) is not Var or a.dtype != x.dtype or a.weak != x.weak:
                continue
            if abs(c1) >= 1 and abs(c2) >= 1 and (_is_power_of_two(c1) or _is_power_of_two(c2)):
                c = c1 * c2
                if math.isfinite(c):
                    return [a, Const(c)]
    return inputs


def _uniform_as_scalar(inputs: list[Operand], out: Var) -> list[Operand]:
    """A constant array operand of an elementwise (ufunc) operation whose elements are all
    the same float, as that Python float, where the other operand has its dtype and the
    result keeps its shape (exact: the same value meets every element, in the same dtype;
    a scaling by it can then merge or move)."""
    for k in (0, 1):
        c, x = inputs[k], inputs[1 - k]
        if type(c) is not Const or type(x) is not Var:
            continue
        v = c.value
        if type(v) is not np.ndarray or v.ndim == 0 or v.dtype != x.dtype or v.dtype.kind != "f" or x.weak:
            continue
        if x.shape != out.shape:  # (else the constant sets the shape)
            continue
        first = v.flat[0]
        if not np.isfinite(first):
            continue
        if v.size > _UNIFORM and not _sample_uniform(v, first):
            continue
        if np.all(v == first) and np.all(np.signbit(v) == np.signbit(first)):
            new = list(inputs)
            new[k] = Const(float(first))
            return new
    return inputs


_UNIFORM = 1 << 16  # larger constant arrays are sampled before they are checked for a single value


def _sample_uniform(v: np.ndarray[Any, Any], first: Any) -> bool:
    """Whether 64 evenly spread elements of the large array ``v`` all equal ``first``, sign
    included: most large constants (a basis, data) fail here, at no cost; a cotangent of ones
    scaled by a constant (a sum's, computed at capture) passes, and is then checked whole."""
    sample = v.flat[np.linspace(0, v.size - 1, 64).astype(np.intp)]
    return bool(np.all(sample == first) and np.all(np.signbit(sample) == np.signbit(first)))


def _scalar_factor(c: Operand) -> bool:
    """Whether ``c`` is a finite Python float or an int that a float holds exactly."""
    if type(c) is not Const:
        return False
    v = c.value
    return (type(v) is float and math.isfinite(v)) or (type(v) is int and abs(v) < 2**53)


def _push_scaling(
    prim: Primitive, inputs: list[Operand], producer: dict[Var, Eqn], uses: Uses
) -> tuple[Operand, Var, Operand] | None:
    """``(k * r) * c -> k * (r * c)`` for a constant ``k`` of zeros and ones (a basis, an
    identity matrix) broadcast against a smaller float ``r``, and a Python number ``c``,
    where ``k * r`` has no other reader: the scaling then costs the size of ``r``, not of the
    product. Returns ``(k, r, c)`` or None. Exact for finite values: where ``k`` is 1 the same
    products are rounded; where it is 0 both are a zero of the same sign, unless ``r * c``
    overflows (then ``0 * inf`` is NaN where the product had a zero)."""
    if len(inputs) != 2:
        return None
    for j in (0, 1):
        x, c = inputs[j], inputs[1 - j]
        if type(x) is not Var or not _scalar_factor(c) or uses.get(x, 0) != 1:
            continue
        src = producer.get(x)
        if src is None or src.prim is not prim or len(src.inputs) != 2:
            continue
        for i in (0, 1):
            k, r = src.inputs[i], src.inputs[1 - i]
            if type(k) is not Const or type(r) is not Var or r.weak or r.dtype != x.dtype:
                continue
            kv = k.value
            if type(kv) is not np.ndarray or kv.dtype != x.dtype or math.prod(r.shape) >= math.prod(x.shape):
                continue
            if kv.size <= _UNIFORM * 16 and np.all((kv == 0) | (np.abs(kv) == 1)):
                return k, r, c
    return None


def _move_negation(
    prim: Primitive, inputs: list[Operand], producer: dict[Var, Eqn], uses: Uses
) -> tuple[Primitive, list[Operand]] | None:
    """For ``(-a) * b``, ``a * (-b)``, ``(-a) / b``, ``a / (-b)`` and ``f(-a)`` for an odd
    ``f`` of one operand (a reshape, a transpose) whose ``neg`` has no other reader
    (``odd`` primitives): the negation and the operands without it (the caller
    then computes ``-(a * b)``). Exact, since rounding is symmetric in sign. Moving the
    ``neg`` to the result costs nothing, and lets the next consumer absorb it (a sum, a
    scaling, another ``neg``), which a chain rule's ``-sin`` factors otherwise keep."""
    if not prim.odd:
        return None
    if len(inputs) == 1:  # an odd operation of one operand: a reshape, a transpose
        (a,) = inputs
        sa = _negation_of(a, producer)
        return (sa.prim, [sa.inputs[0]]) if sa is not None and uses.get(a, 0) == 1 else None
    if len(inputs) != 2:
        return None
    a, b = inputs
    sa, sb = _negation_of(a, producer), _negation_of(b, producer)
    if (sa is None) == (sb is None):  # none, or both (folded already)
        return None
    if sa is not None and uses.get(a, 0) == 1:
        return sa.prim, [sa.inputs[0], b]
    if sb is not None and uses.get(b, 0) == 1:
        return sb.prim, [a, sb.inputs[0]]
    return None


def _same_aval(v: Operand, out: Var) -> bool:
    if type(v) is Var:
        return v.shape == out.shape and v.dtype == out.dtype and v.weak == out.weak
    return False


def _is_const(x: Operand, value: Any) -> bool:
    """Whether ``x`` is a constant equal to ``value`` everywhere; to a float zero, with its
    sign (``x + 0.0`` is not ``x`` where ``x`` is ``-0.0``)."""
    if type(x) is not Const:
        return False
    v = x.value
    signed = type(value) is float and value == 0
    if type(v) in (float, int, bool):
        same: bool = v == value and (not signed or math.copysign(1.0, v) == math.copysign(1.0, value))
        return same
    if np.size(v) > _SMALL:
        return False
    with np.errstate(all="ignore"):
        a = np.asarray(v)
        if signed and bool(np.any(np.signbit(np.real(a)) != (math.copysign(1.0, value) < 0))):
            return False
        return bool(np.all(a == value))


def _algebraic(prim: Primitive, params: dict[str, Any], inputs: list[Operand], out: Var) -> Operand | None:
    """The operand that ``prim(*inputs)`` equals exactly (``x + 0``, ``x * 1``, a reshape to
    the same shape), or None."""
    e = prim.identity
    if e is not None and len(inputs) == 2:
        x, y = inputs
        if _is_const(y, e) and _same_aval(x, out):
            return x
        if prim.commutative and _is_const(x, e) and _same_aval(y, out):
            return y
    elif prim.noop_if is not None and _same_aval(inputs[0], out) and prim.noop_if(**params):
        return inputs[0]
    elif getattr(prim, "unit_matrix", False) and len(inputs) == 2:
        x, y = inputs
        if _is_eye(x) and _same_aval(y, out):
            return y
        if _is_eye(y) and _same_aval(x, out):
            return x
    return None


def _is_eye(x: Operand) -> bool:
    """Whether ``x`` is a constant identity matrix (of floats): the basis of a Jacobian."""
    if type(x) is not Const:
        return False
    v = x.value
    if not isinstance(v, np.ndarray) or v.ndim != 2 or v.shape[0] != v.shape[1] or v.dtype.kind != "f":
        return False
    n = v.shape[0]
    return bool(np.all(v.diagonal() == 1) and np.count_nonzero(v) == n)


def _cse_key(prim: Primitive, inputs: list[Operand], params: dict[str, Any]) -> tuple[Any, ...] | None:
    """A hashable key equal for two equations that compute the same value, or None.

    A variable stands for itself; a constant for its exact value (type, dtype, shape and
    bytes, so ``0.0`` and ``-0.0`` differ) when small, else for its identity. An effectful
    equation (fad.debug) has none: two equal calls stay two."""
    if getattr(prim, "effectful", False):
        return None
    if params:
        try:
            pkey = tuple(sorted((k, _param_key(v)) for k, v in params.items()))
        except TypeError:
            return None
    else:
        pkey = ()
    if len(inputs) == 2:
        a, b = inputs
        ka = a if type(a) is Var else _const_key(a.value)
        if type(b) is Var:
            # commutative: one order for both, a variable before a constant, then by identity
            if prim.commutative and (type(a) is not Var or id(b) < id(a)):
                return (prim, pkey, b, ka)
            return (prim, pkey, ka, b)
        return (prim, pkey, ka, _const_key(b.value))
    return (prim, pkey, *[x if type(x) is Var else _const_key(x.value) for x in inputs])


def _const_key(v: Any) -> tuple[Any, ...]:
    t = type(v)
    if t is float:
        return (t, v, math.copysign(1.0, v)) if v == 0 else (t, v)
    if t is int or t is bool:
        return (t, v)
    if np.size(v) > _SMALL:
        return ("id", id(v))
    a = np.asarray(v)
    return (t.__name__, a.dtype.str, a.shape, a.tobytes())


def _param_key(v: Any) -> Any:
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


def _dce(eqns: list[Eqn], outs: list[Operand]) -> list[Eqn]:
    live = set(outs)  # (constants too: harmless, and the update stays in C)
    kept: list[Eqn] = []

    for e in reversed(eqns):
        outvars = e.outvars
        if (
            ((outvars[0] in live) if len(outvars) == 1 else not live.isdisjoint(outvars))
            or getattr(e.prim, "effectful", False)  # (a call for its effect: fad.debug)
        ):
            kept.append(e)
            live.update(e.inputs)
    kept.reverse()
    return kept
