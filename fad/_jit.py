"""``fad.jit``: capture a function once per input signature, simplify the program, and run
it as generated straight-line Python calling NumPy directly (no tracers, no dispatch).

Under another transform (``grad(jit(f))``, ``vmap(jit(f))``, ``jacfwd(jit(f))``) the cached
program is evaluated primitive by primitive, so the outer transform sees it like any other
fad code.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import logging
import math
import operator
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Protocol, TypeVar, final, overload

import numpy as np

from fad._backend import BackendError, backend_of
from fad._core import Tracer
from fad._custom import checkpoint_p, custom_jvp_call_p, custom_vjp_call_p
from fad._passes import Operand, _is_eye, _param_key, simplify
from fad._program import Const, Eqn, Program, Source, Var, _source_str
from fad._staging import ForeignTracerError, _gc_paused, _user_frame, capture
from fad._tree import (
    PyTreeDef,
    _match,
    _node_str,
    _paths,
    keystr,
    tree_flatten,
    tree_map,
    tree_unflatten,
    treedef_is_leaf,
)

if TYPE_CHECKING:
    from fad._core import Primitive

P = ParamSpec("P")
R = TypeVar("R", covariant=True)

#: a compiled program: ``f(*flat_inputs) -> list of outputs``
CompiledFn = Callable[..., list[Any]]
#: how each output is handed out: ``(mode, operands it may share memory with)``
Plan = list[tuple[int, tuple[Operand, ...]]]


class Jitted(Protocol, Generic[P, R]):
    """What :func:`fad.jit` returns (for type checkers): the compiled function, with the
    wrapped function's parameters and result type, its cache and program, and JAX's
    ahead-of-time stages (`trace`, `lower`, `eval_shape`: their arguments may be
    `fad.ShapeDtypeStruct`, so they are not typed as the function's)."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...
    def cache_size(self) -> int: ...
    def clear_cache(self) -> None: ...
    def program(self, *args: P.args, **kwargs: P.kwargs) -> Program | None: ...
    def trace(self, *args: Any, **kwargs: Any) -> Traced: ...
    def lower(self, *args: Any, **kwargs: Any) -> Lowered: ...
    def eval_shape(self, *args: Any, **kwargs: Any) -> Any: ...


# ---------------------------------------------------------------------- codegen
#
# A program runs as generated straight-line Python calling NumPy directly. Python's compiler
# takes about 5-10 us a line, so a long program (over _LONG equations) starts in a small
# interpreter that needs no compilation, and is compiled, as functions of _CHUNK equations
# each, only once it has been called _TIER_CALLS times: by then the interpreter's overhead
# (about a third of a microsecond an equation) has cost about what the compilation does.

_LONG = 2000
_CHUNK = 2000
_TIER_CALLS = 20


def _float64_constant(value: float) -> np.ndarray[Any, np.dtype[np.float64]]:
    c = np.array(value, dtype=np.float64)
    c.flags.writeable = False
    return c


# -- 0-d values --------------------------------------------------------------------------
#
# On a 0-d value a NumPy ufunc call costs about half a microsecond (argument parsing, the
# ufunc's type resolution and loop selection), where the same arithmetic through Python's
# operator on a NumPy scalar takes 40 ns: NumPy's scalar types compute ``+ - * /`` and unary
# ``-`` directly, with the same IEEE operation, the same promotion (a Python number is weak)
# and the same result type. The generated code uses the operator where that is exact: real
# floating dtypes (integer scalar arithmetic warns on overflow where the ufunc wraps), 0-d
# operands and result, at least one operand a NumPy value (two Python numbers would follow
# Python's arithmetic), and Python numbers only of types whose operators defer to NumPy's
# scalars (``float``, ``int``, ``bool``; a ``complex`` would not).

_BINARY_OPERATORS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.divide: "/"}
_UNARY_OPERATORS = {np.negative: "-"}
_SCALAR_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
_EXACT_INT = 2**53
_OPERATOR_FUNCTIONS: dict[tuple[str, int], Callable[..., Any]] = {
    ("+", 2): operator.add,
    ("-", 2): operator.sub,
    ("*", 2): operator.mul,
}
_OPERATOR_FUNCTIONS.update({("/", 2): operator.truediv, ("-", 1): operator.neg})


def _scalar_operator(e: Eqn) -> str | None:
    """The Python operator (``"*"``, ``"-"``, ...) that computes ``e`` on 0-d values
    exactly as its ufunc does, or None (see the comment above)."""
    if e.params:
        return None
    impl = e.prim.impl
    n = len(e.inputs)
    sym = _BINARY_OPERATORS.get(impl) if n == 2 else _UNARY_OPERATORS.get(impl) if n == 1 else None
    if sym is None:
        return None
    out = e.outvars[0]
    if out.shape != () or out.dtype not in _SCALAR_DTYPES:
        return None
    numpy_operand = False
    for x in e.inputs:
        if type(x) is Var:
            if x.shape != ():
                return None
            if x.weak:
                if x.dtype.kind not in "fib":
                    return None
            elif x.dtype in _SCALAR_DTYPES:
                numpy_operand = True
            else:
                return None
        else:
            v = x.value
            t = type(v)
            if t is np.ndarray and v.shape == () and v.dtype == out.dtype:
                # a 0-d constant of the result's dtype, which the other operand has too (a
                # Python float would not promote it): written as a float, see _literal
                if all(type(y) is not Var or y.dtype == out.dtype for y in e.inputs):
                    continue
                return None
            if not (t is float or t is bool or (t is int and -_EXACT_INT < v < _EXACT_INT)):
                return None
    return sym if numpy_operand else None


def _literal(v: Any) -> str | None:
    """Python source for a constant operand of an operator, or None (a name is used). A 0-d
    float array meets a NumPy scalar of its dtype (`_scalar_operator`), so a Python float
    (weak, of that dtype) stands for it exactly."""
    if type(v) is np.ndarray:
        v = v.item()
    if type(v) is float and math.isfinite(v):
        return f"({v!r})" if v < 0 or (v == 0 and math.copysign(1.0, v) < 0) else repr(v)
    if type(v) in (int, bool):
        return f"({v!r})" if v < 0 else repr(v)
    return None


def compile_program(prog: Program, own: bool = True) -> CompiledFn:
    """Compile a program to a function of its flat inputs.

    Args:
        prog: A (simplified) program.
        own: Whether every output must be an array the caller owns (see `_output_plan`).
            With False (a loop's body, whose results only feed the next step) an output
            may be an input or a view of one; a constant array is still copied.

    Returns:
        `f(*flat_inputs) -> list of outputs`: generated code, or for a long program an
        interpreter that compiles it after some calls (`_Runner`).
    """
    if len(prog.eqns) <= _LONG:
        return _Codegen(prog, own=own).single()
    return _Runner(prog, own=own)


# -- who owns an output ---------------------------------------------------------------

_AS_IS, _COPY, _COPY_LEAF, _CHECK, _WRITABLE = range(5)


def _add_diagonal(x: np.ndarray[Any, Any], d: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``x`` (a dead temporary) with ``d`` added to its diagonal, in place."""
    diagonal = np.einsum("ii->i", x)  # (a writable view)
    diagonal += d.reshape(-1)
    return x


def _add_placed(
    x: np.ndarray[Any, Any],
    ct: np.ndarray[Any, Any],
    box: tuple[slice, ...],
    rest: tuple[tuple[slice, ...], ...],
    into: bool,
    ct_first: bool,
    op: np.ufunc = np.add,
    out: np.ndarray[Any, Any] | None = None,
) -> np.ndarray[Any, Any]:
    """``op(x, zeros_with(ct at box))`` (or with the operands the other way round), for
    ``op`` an addition or a subtraction, without the zeros: ``op`` of ``x[box]`` and ``ct``
    in the box, and of ``x`` and ``0`` in the boxes ``rest`` around it, as the whole
    operation would (a ``-0.0`` of ``x`` there becomes ``0.0`` in a sum: bit for bit). In ``x``
    itself (a dead temporary) if ``into``, else in ``out`` (kept memory, see _Scratch) or a
    new array."""
    if into:
        out = x
    elif out is None:
        out = np.empty(x.shape, x.dtype)
    zero = x.dtype.type(0)
    if ct_first:
        op(ct, x[box], out=out[box])
        for r in rest:
            op(zero, x[r], out=out[r])
    else:
        op(x[box], ct, out=out[box])
        for r in rest:
            op(x[r], zero, out=out[r])
    return out


def _aval(x: Operand) -> tuple[tuple[int, ...], np.dtype[Any]]:
    if type(x) is Var:
        return x.shape, x.dtype
    return np.shape(x.value), np.result_type(x.value)


def _around(box: tuple[slice, ...], shape: tuple[int, ...]) -> tuple[tuple[slice, ...], ...]:
    """Disjoint boxes covering ``shape`` outside ``box`` (slices of step 1): along each axis
    in turn, the parts before and after the box's range, within the box on earlier axes."""
    out = []
    inner: tuple[slice, ...] = ()
    for k, n in enumerate(shape):
        a, b, _ = (box[k] if k < len(box) else slice(None)).indices(n)
        b = max(a, b)
        if a > 0:
            out.append((*inner, slice(0, a)))
        if b < n:
            out.append((*inner, slice(b, n)))
        inner = (*inner, slice(a, b))
    return tuple(out)


def _copy_leaf(x: Any) -> Any:
    return x.copy() if isinstance(x, np.ndarray) else x


def _writable(o: Any) -> Any:
    return o.copy() if isinstance(o, np.ndarray) and not o.flags.writeable else o


def _own(o: Any, *avoid: Any) -> Any:
    """``o``, or a copy if it may share memory with one of ``avoid`` or is read-only."""
    if isinstance(o, np.ndarray) and (
        o.base is not None or not o.flags.writeable or any(o is a for a in avoid)
    ):
        return o.copy()
    return o


def _unowned_plan(prog: Program) -> Plan:
    return [
        (_COPY if type(x) is Const and isinstance(x.value, np.ndarray) else _AS_IS, ()) for x in prog.outs
    ]


def _output_plan(prog: Program) -> Plan:
    """How each output reaches the caller, decided once: ``(mode, avoid)`` per output.

    The caller must own every result: not a constant of the program, not an input it
    passed in, not memory another result shares, and not read-only. A ufunc's result is a
    fresh array (``_AS_IS``, unless an earlier output is the same variable: ``_COPY``); a
    constant array is copied (``_COPY``), an input too (``_COPY_LEAF``; a Python scalar is
    immutable). Any other operation may return a view (a reshape, a transpose, a broadcast):
    its *roots*, the inputs, constants and fresh arrays it may share memory with, decide.
    Roots that are inputs, constants or another output's roots are checked when it runs
    (``_CHECK``: copied if it is a view, read-only, or one of them); otherwise only
    read-only results are copied (``_WRITABLE``)."""
    invars = set(prog.invars)
    producer = {}  # (only the equations whose result may be a view: see _roots)
    for e in prog.eqns:
        if _may_view(e):
            for v in e.outvars:
                producer[v] = e
    memo: dict[Var, set[Operand] | None] = {}
    claimed: set[Operand] = set()
    plan: Plan = []
    for x in prog.outs:
        if type(x) is not Var:
            plan.append((_COPY if isinstance(x.value, np.ndarray) else _AS_IS, ()))
            continue
        if x in invars:
            plan.append((_AS_IS if x.weak else _COPY_LEAF, ()))
            continue
        roots = _roots(x, producer, invars, memo)
        if roots is None:  # too many to follow
            plan.append((_COPY, ()))
            continue
        if roots == {x}:  # a fresh array
            plan.append((_COPY if x in claimed else _AS_IS, ()))
        else:
            avoid = tuple(r for r in roots if type(r) is Const or r in invars or r in claimed)
            plan.append((_CHECK, avoid) if avoid else (_WRITABLE, ()))
        claimed |= roots
    return plan


_MAX_ROOTS = 16


def _roots(
    v: Var, producer: dict[Var, Eqn], invars: set[Var], memo: dict[Var, set[Operand] | None]
) -> set[Operand] | None:
    """The inputs, constant arrays and fresh (ufunc-made) variables whose memory ``v`` may
    share, or None if there are more than _MAX_ROOTS. Iterative: chains may be long."""
    stack = [v]
    while stack:
        w = stack[-1]
        if w in memo:
            stack.pop()
            continue
        e = producer.get(w)
        if e is None or not _may_view(e):
            memo[w] = {w}
            stack.pop()
            continue
        pending = [x for x in e.inputs if type(x) is Var and x not in memo]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        roots: set[Operand] = set()
        too_many = False
        for x in e.inputs:
            if type(x) is Var:
                r = memo[x]
                if r is None:
                    too_many = True
                    break
                roots |= r
            elif isinstance(x.value, np.ndarray):
                roots.add(x)
        memo[w] = None if too_many or len(roots) > _MAX_ROOTS else roots
    return memo[v]


def _hand_out(outs: list[Any], plan: Plan, value_of: Callable[[Operand], Any]) -> list[Any]:
    """Apply ``plan`` to the list of raw outputs (the interpreted path); ``value_of`` gives
    the value of a variable or constant the plan names."""
    for k, (mode, avoid) in enumerate(plan):
        if mode:
            o = outs[k]
            if mode == _COPY:
                outs[k] = o.copy()
            elif mode == _COPY_LEAF:
                outs[k] = _copy_leaf(o)
            elif mode == _CHECK:
                outs[k] = _own(o, *[value_of(a) for a in avoid])
            else:
                outs[k] = _writable(o)
    return outs


# -- memory kept between calls ----------------------------------------------------------

#: A temporary of at least this many bytes is written into memory the compiled function
#: keeps (see _Scratch); a smaller one is allocated, which malloc does from memory it keeps.
_SCRATCH_MIN = 1 << 16
#: The most memory one compiled function keeps for one call in flight.
_SCRATCH_MAX = 1 << 28


class _Scratch:
    """Memory a compiled function keeps between calls for its large temporaries.

    NumPy allocates every result afresh, and glibc's malloc serves an array of over 128 KiB
    with pages from the kernel (``mmap``, or a heap it trims again when the array is freed):
    a program whose temporaries are a few MB can spend most of its time in page faults
    (six 2.4 MB temporaries: ten times the arithmetic). The generated code writes such an
    elementwise result into kept memory instead (``out=``), when no output can share it:
    into a view of one of a few flat buffers, each taken again once the value in it and
    every view of that are dead, the buffer freed last first (its memory is the likeliest
    to be in cache, as malloc would choose). A call takes a set of buffers from a pool
    (allocating one if the pool is empty) and puts it back when it returns, so concurrent
    and reentrant calls each have their own; a call that raises drops its set."""

    def __init__(self, prog: Program, plan: Plan, last: dict[Any, int]) -> None:
        self.sizes: list[int] = []  # per buffer, in elements
        self.dtypes: list[np.dtype[Any]] = []
        self.views: list[tuple[int, tuple[int, ...]]] = []  # b{k}: (buffer, shape)
        self.buffer_of: dict[Var, int] = {}
        self.free: list[int] = []  # (the last freed at the end)
        self.release: dict[int, list[Var]] = {}
        self.escapes = _escaping(prog, plan)  # (None: not known, then nothing is kept)
        # the last equation to read each variable or a view that may share its memory
        eqns = prog.eqns
        alias_last: dict[Var, int] = {}
        for i, e in enumerate(eqns):
            for v in e.outvars:
                alias_last[v] = last.get(v, i)
        for e in reversed(eqns):
            if _may_view(e):
                end = max((alias_last[v] for v in e.outvars), default=-1)
                for x in e.inputs:
                    if type(x) is Var and x in alias_last and alias_last[x] < end:
                        alias_last[x] = end
        self.alias_last = alias_last

    def take(self, v: Var) -> str | None:
        """The name of kept memory for ``v``, a new elementwise result, or None (small, or
        an output may share its memory, or the buffers are full)."""
        if self.escapes is None or v in self.escapes:
            return None
        size = math.prod(v.shape)
        if size * v.dtype.itemsize < _SCRATCH_MIN:
            return None
        free, sizes = self.free, self.sizes
        for k in range(len(free) - 1, -1, -1):
            b = free[k]
            if self.dtypes[b] == v.dtype:
                grown = max(size - sizes[b], 0) * v.dtype.itemsize
                if grown and self.nbytes() + grown > _SCRATCH_MAX:
                    continue
                del free[k]
                sizes[b] += grown // v.dtype.itemsize
                break
        else:
            if self.nbytes() + size * v.dtype.itemsize > _SCRATCH_MAX:
                return None
            b = len(sizes)
            sizes.append(size)
            self.dtypes.append(v.dtype)
        self.hold(v, b)
        self.views.append((b, v.shape))
        return f"b{len(self.views) - 1}"

    def nbytes(self) -> int:
        return sum(n * d.itemsize for n, d in zip(self.sizes, self.dtypes, strict=True))

    def hold(self, v: Var, b: int) -> None:
        self.buffer_of[v] = b
        self.release.setdefault(self.alias_last.get(v, -1), []).append(v)

    def passes(self, x: Var, v: Var) -> bool:
        """Whether ``v`` may be computed in place in the dead ``x``: not if ``x`` is kept
        memory and an output may share ``v``'s; if it may, ``v`` holds ``x``'s buffer."""
        b = self.buffer_of.get(x)
        if b is None:
            return True
        if self.escapes is None or v in self.escapes:
            return False
        del self.buffer_of[x]
        self.hold(v, b)
        return True

    def done(self, i: int) -> None:
        """After equation ``i``: the buffers of the values it read last are free again."""
        for v in self.release.pop(i, ()):
            b = self.buffer_of.pop(v, None)
            if b is not None:
                self.free.append(b)

    def allocator(self) -> Callable[[], list[np.ndarray[Any, Any]]]:
        """A function allocating one set: the views ``b0, b1, ...`` the code writes in."""
        sizes, dtypes, views = self.sizes, self.dtypes, self.views

        def allocate() -> list[np.ndarray[Any, Any]]:
            flat = [np.empty(n, d) for n, d in zip(sizes, dtypes, strict=True)]
            return [flat[b][: math.prod(shape)].reshape(shape) for b, shape in views]

        return allocate


def _may_view(e: Eqn) -> bool:
    """Whether ``e``'s result may share memory with an operand: its primitive's
    ``returns_view``, unless its ``copies`` says not for these parameters (an index by an
    integer array)."""
    if not e.prim.returns_view:
        return False
    copies = getattr(e.prim, "copies", None)
    return copies is None or not copies(**e.params)


def _escaping(prog: Program, plan: Plan) -> set[Var] | None:
    """The variables whose memory an output (or what its hand-out compares it with) may
    share, or None where there are too many to follow."""
    invars = set(prog.invars)
    producer = {v: e for e in prog.eqns if _may_view(e) for v in e.outvars}
    memo: dict[Var, set[Operand] | None] = {}
    out: set[Var] = set()
    for x in (*prog.outs, *(a for _, avoid in plan for a in avoid)):
        if type(x) is Var:
            roots = _roots(x, producer, invars, memo)
            if roots is None:
                return None
            out.update(r for r in roots if type(r) is Var)
    return out


# -- generated code -------------------------------------------------------------------


def _const_key(v: Any, as_array: bool) -> tuple[Any, ...]:
    t = type(v)
    if t is float:
        return (t, v, math.copysign(1.0, v), as_array)
    if t in (int, bool, complex):
        return (t, v)
    return ("id", id(v))


class _Codegen:
    """Names, constants and lines for the straight-line code of a program."""

    def __init__(self, prog: Program, views: bool = True, own: bool = True) -> None:
        self.prog = prog
        self.ns: dict[str, Any] = {"_own": _own, "_writable": _writable, "_copy_leaf": _copy_leaf}
        self.interned: dict[tuple[Any, ...], str] = {}  # constants and functions: one name each
        self.counter = 0
        self.names: dict[Var, str] = {}
        # last use of each variable, to free intermediates as early as possible
        # (constants too, by identity: never asked for, and the comprehension stays fast)
        self.last = {x: i for i, e in enumerate(prog.eqns) for x in e.inputs}
        self.plan = _output_plan(prog) if own else _unowned_plan(prog)
        self.contiguous = _contiguous_views(prog) if _CONTIGUOUS else set()
        # kept to the end: the outputs, and what their hand-out compares them with
        self._produced: set[Var] | None = None  # the results of equations (array_operand)
        self.outset = {x for x in prog.outs if type(x) is Var}
        self.outset.update(a for _, avoid in self.plan for a in avoid if type(a) is Var)
        # arrays this function allocated itself (outputs of NumPy ufuncs): once dead, an
        # elementwise operation of the same shape and dtype may write its result into one --
        # unless a non-ufunc operation saw it (its result may be a view of the same memory)
        self.owned: set[Var] = set()
        self.viewed: set[Var] = (
            {x for e in prog.eqns if e.prim.returns_view or e.params for x in e.inputs if type(x) is Var}
            if views
            else set()
        )
        self.scratch: _Scratch | None = None  # (straight-line code only: see single)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def intern(self, key: tuple[Any, ...], value: Any, prefix: str) -> str:
        n = self.interned.get(key)
        if n is None:
            n = self.interned[key] = self.fresh(prefix)
            self.ns[n] = value
        return n

    def const(self, x: Const, as_array: bool = False) -> str:
        v = x.value
        as_array = as_array and type(v) is float
        key = _const_key(v, as_array)
        n = self.interned.get(key)
        if n is None:
            n = self.interned[key] = self.fresh("c")
            self.ns[n] = _float64_constant(v) if as_array else v
        return n

    def function(self, e: Eqn) -> str:
        if not e.params:
            return self.intern(("fn", id(e.prim.impl)), e.prim.impl, "f")
        fn = functools.partial(e.prim.impl, **e.params)
        key: tuple[Any, ...]
        try:
            key = ("fn", id(e.prim.impl), _param_key_of(e.params))
            hash(key)
        except TypeError:
            key = ("fn", id(fn))
        return self.intern(key, fn, "f")

    def call(self, e: Eqn) -> tuple[str, str]:
        """The function to call for ``e`` and the keyword arguments written after its
        operands: a primitive's parameters are passed in the call (``axes=(1,)``), which
        Python does without the dictionary a ``functools.partial`` merges on every call."""
        params = e.params
        if not params:
            return self.function(e), ""
        parts = []
        for k, v in params.items():
            if not k.isidentifier():
                return self.function(e), ""
            parts.append(f", {k}={self.param(v)}")
        return self.intern(("fn", id(e.prim.impl)), e.prim.impl, "f"), "".join(parts)

    def param(self, v: Any) -> str:
        """Python source for a parameter's value: a literal, or the name of a constant."""
        lit = _param_literal(v)
        if lit is None:
            try:
                key = ("param", _param_key(v))
                hash(key)
            except TypeError:
                key = ("param", id(v))
            lit = self.intern(key, v, "p")
        return lit

    def plain_call(self, e: Eqn) -> str:
        """The call of ``e``'s ``impl`` (what jit writes for it without ``emit``)."""
        fname, keywords = self.call(e)
        operands = ", ".join(self.operand(x) for x in e.inputs)
        return f"{fname}({operands}{keywords if operands else keywords[2:]})"

    def array_operand(self, x: Operand) -> str | None:
        """The name of ``x`` where it is sure to be a NumPy array at run time (a result of
        an equation, of one dimension or more: an input may be any array-like, a 0-d result
        a Python number), so that an emitted expression may call its methods; else None."""
        if type(x) is not Var or not x.shape:
            return None
        if self._produced is None:
            self._produced = {v for e in self.prog.eqns for v in e.outvars}
        return self.names[x] if x in self._produced else None

    def operand(self, x: Operand, as_array: bool = False) -> str:
        return self.names[x] if type(x) is Var else self.const(x, as_array)

    def scalar_operand(self, x: Operand) -> str:
        if type(x) is Var:
            return self.names[x]
        lit = _literal(x.value)
        return lit if lit is not None else self.const(x)

    def eqn(self, i: int, e: Eqn, lines: list[str], indent: str = "    ") -> list[Var]:
        """Append the line(s) computing equation ``i``; returns the names of its dead inputs."""
        emit = e.prim.emit
        if emit is not None:  # a primitive that writes its own code (a loop: fad._loops)
            expr = emit(self, e, lines, indent)
            if expr is not None:  # (its one result's expression)
                out = e.outvars[0]
                name = self.names[out] = self.fresh("v")
                if out in self.contiguous:
                    expr = f"{self.intern(('fn', 'contiguous'), np.ascontiguousarray, 'f')}({expr})"
                lines.append(f"{indent}{name} = {expr}")
            return [x for x in e.inputs if type(x) is Var and self.last.get(x) == i and x not in self.outset]
        sym = _scalar_operator(e)
        if sym is not None:  # 0-d values: an operator on NumPy scalars (see _scalar_operator)
            ops = [self.scalar_operand(x) for x in e.inputs]
            n = self.names[e.outvars[0]] = self.fresh("v")
            rhs = f"{sym}{ops[0]}" if len(ops) == 1 else f"{ops[0]} {sym} {ops[1]}"
            lines.append(f"{indent}{n} = {rhs}")
            return [x for x in e.inputs if type(x) is Var and self.last.get(x) == i and x not in self.outset]
        fname, keywords = self.call(e)
        impl = e.prim.impl
        ufunc = isinstance(impl, np.ufunc)
        # a Python float against float64 arrays: as a 0-d float64 array, which NumPy's ufuncs
        # take 40% faster (no scalar conversion) with the same result bit for bit
        f64 = ufunc and not e.params and all(x.dtype == np.float64 for x in e.inputs if type(x) is Var)
        operands = ", ".join(self.operand(x, f64) for x in e.inputs)
        outs = []
        for v in e.outvars:
            n = self.fresh("v")
            self.names[v] = n
            outs.append(n)
        lhs = ", ".join(outs) + ("," if e.prim.multiple_results and len(outs) == 1 else "")
        reuse = ""
        if ufunc and impl.nout == 1 and not e.params and len(e.outvars[0].shape) >= 1:
            out = e.outvars[0]
            last, owned, viewed, outset = self.last, self.owned, self.viewed, self.outset
            scratch = self.scratch
            for x in e.inputs:
                if (
                    type(x) is Var
                    and x in owned
                    and x not in viewed
                    and last.get(x) == i
                    and x not in outset
                    and (x.shape, x.dtype) == (out.shape, out.dtype)
                    and (scratch is None or scratch.passes(x, out))
                ):
                    reuse = f", out={self.names[x]}"
                    break
            if not reuse and scratch is not None:
                b = scratch.take(out)
                if b is not None:
                    reuse = f", out={b}"
            owned.add(out)
        inner = f"{operands}{keywords}{reuse}"
        call = f"{fname}({inner if operands else inner[2:]})"  # (no operand: no leading ", ")
        if e.outvars and e.outvars[0] in self.contiguous:  # (a transposed view that ufuncs read)
            call = f"{self.intern(('fn', 'contiguous'), np.ascontiguousarray, 'f')}({call})"
        lines.append(f"{indent}{lhs} = {call}" if lhs else f"{indent}{call}")  # (no result: a call)
        return [x for x in e.inputs if type(x) is Var and self.last.get(x) == i and x not in self.outset]

    def diagonal_adds(self) -> dict[int, tuple[Var, Var] | None]:
        """``x + eye * d`` (``eye`` a constant identity matrix, ``d`` a vector, ``x`` a dead
        temporary of the result's shape): ``d`` is added to the diagonal of ``x`` in place,
        without the dense product (a Hessian's diagonal term). Exact for finite values, as the
        matrix product with a constant identity is (see fad._passes): the product's zeros
        would turn an infinity of ``d`` into NaN elsewhere in its column, and a ``-0.0`` of
        ``x`` into ``0.0``. Returns ``{index: None}`` for the products and
        ``{index: (x, d)}`` for the sums."""
        eqns = self.prog.eqns
        products = {}  # eye * d -> (its equation, d)
        for i, e in enumerate(eqns):
            if e.prim.impl is np.multiply and not e.params and len(e.inputs) == 2:
                a, b = e.inputs
                k, d = (a, b) if type(a) is Const else (b, a)
                if type(k) is not Const or type(d) is not Var or not _is_eye(k):
                    continue
                n = k.value.shape[0]
                if d.dtype == k.value.dtype and d.shape in ((n,), (n, 1)) and e.outvars[0].shape == (n, n):
                    products[e.outvars[0]] = (i, d)
        if not products:
            return {}
        reads = Counter(x for e in eqns for x in e.inputs if type(x) is Var and x in products)
        fresh = {  # results that are new arrays
            e.outvars[0]
            for e in eqns
            if not e.prim.returns_view or (isinstance(e.prim.impl, np.ufunc) and not e.params)
        }
        last, outset, viewed = self.last, self.outset, self.viewed
        fused: dict[int, tuple[Var, Var] | None] = {}
        for i, e in enumerate(eqns):
            if e.prim.impl is not np.add or e.params or len(e.inputs) != 2:
                continue
            out = e.outvars[0]
            for t, x in (e.inputs, e.inputs[::-1]):
                if t not in products or reads[t] != 1 or t in outset or t is x or type(x) is not Var:
                    continue
                if (x.shape, x.dtype) != (out.shape, out.dtype) or x not in fresh or x in viewed:
                    continue
                if last.get(x) != i or x in outset:
                    continue
                j, d = products[t]
                fused[j] = None
                fused[i] = (x, d)
                last[d] = max(last[d], i)
                break
        return fused

    def placed_adds(self, fused: dict[int, Any]) -> dict[int, tuple[Any, ...] | None]:
        """``x + t``, ``x - t`` (or ``t + x``, ``t - x``) where ``t``, read by nothing else,
        is zeros with an operand ``ct`` in a box (a primitive's ``places``: the transpose of
        a slice): ``ct`` is added into (subtracted from) that box of ``x`` (see
        :func:`_add_placed`), in ``x`` itself where ``x`` is a dead temporary of the result's
        shape, else into one new array; ``t`` is never built. Exact: outside the box the
        operation meets ``0.0``, and still does. A chain of them (a gradient's ``x[1:]``,
        ``x[:-1]`` parts) fills one buffer. Returns ``{index: None}`` for the skipped ``t``
        and ``{index: (x, ct, box, in place, t first, ufunc)}`` for the sums (equations in
        ``fused`` excepted)."""
        eqns = self.prog.eqns
        placed: dict[Operand, tuple[int, Operand, Any]] = {}  # t -> (its equation, ct, box)
        for j, e in enumerate(eqns):
            places = getattr(e.prim, "places", None)
            if places is None or j in fused or type(e.inputs[0]) is not Var:
                continue
            box, z = places(**e.params), e.outvars[0]
            if box is not None and e.inputs[0].dtype == z.dtype and z.dtype.kind in "fc":
                placed[z] = (j, e.inputs[0], box)
        if not placed:
            return {}
        reads: Counter[Operand] = Counter(x for e in eqns for x in e.inputs if type(x) is Var and x in placed)
        fresh = {  # results that are new arrays
            e.outvars[0]
            for e in eqns
            if not e.prim.returns_view or (isinstance(e.prim.impl, np.ufunc) and not e.params)
        }
        last, outset, viewed = self.last, self.outset, self.viewed
        out_fused: dict[int, tuple[Any, ...] | None] = {}
        for i, e in enumerate(eqns):
            op = e.prim.impl
            if (op is not np.add and op is not np.subtract) or e.params or len(e.inputs) != 2 or i in fused:
                continue
            out = e.outvars[0]
            for k, (t, x) in enumerate((e.inputs, e.inputs[::-1])):
                if t not in placed or reads[t] != 1 or t in outset or t is x:
                    continue
                if _aval(t) != _aval(out) or _aval(x) != _aval(out):  # (no broadcasting, no promotion)
                    continue
                j, ct, box = placed[t]
                into = (
                    type(x) is Var and x in fresh and x not in viewed and last.get(x) == i and x not in outset
                )
                out_fused[j] = None
                out_fused[i] = (x, ct, box, into, k == 0, op)
                last[ct] = max(last[ct], i)
                fresh.add(out)
                break
        return out_fused

    def placed_add(
        self, i: int, e: Eqn, fused: tuple[Any, ...], lines: list[str], indent: str = "    "
    ) -> list[Var]:
        """The line of a sum fused by :meth:`placed_adds`; returns its dead operands."""
        x, ct, box, into, ct_first, op = fused
        out = e.outvars[0]
        keep = ""
        scratch = self.scratch
        if scratch is not None:
            if into and not scratch.passes(x, out):
                into = False
            if not into:
                b = scratch.take(out)
                keep = "" if b is None else f", out={b}"
        fn = self.intern(("fn", "_add_placed"), _add_placed, "f")
        b = self.intern(("param", _param_key(box)), box, "p")
        rest = _around(box, out.shape)
        r = self.intern(("param", _param_key(rest)), rest, "p")
        n = self.names[out] = self.fresh("v")
        u = "" if op is np.add else f", {self.intern(('fn', id(op)), op, 'f')}"
        call = f"{fn}({self.operand(x)}, {self.names[ct]}, {b}, {r}, {into}, {ct_first}{u}{keep})"
        lines.append(f"{indent}{n} = {call}")
        self.owned.add(out)
        return [v for v in (x, ct) if type(v) is Var and self.last.get(v) == i and v not in self.outset]

    def diagonal_add(
        self, i: int, e: Eqn, x: Var, d: Var, lines: list[str], indent: str = "    "
    ) -> list[Var]:
        """The line of a sum fused by :meth:`diagonal_adds`; returns its dead operands."""
        fn = self.intern(("fn", "_add_diagonal"), _add_diagonal, "f")
        n = self.names[e.outvars[0]] = self.fresh("v")
        into = self.names[x]
        if self.scratch is not None and not self.scratch.passes(x, e.outvars[0]):
            into += ".copy()"  # (kept memory, and an output may share the sum's)
        lines.append(f"{indent}{n} = {fn}({into}, {self.names[d]})")
        self.owned.add(e.outvars[0])
        return [v for v in (x, d) if self.last.get(v) == i and v not in self.outset]

    def returned(self, plan: Plan, value_of: Callable[[Operand], str]) -> list[str]:
        """The expression handing out each output, per ``plan``."""
        parts = []
        for x, (mode, avoid) in zip(self.prog.outs, plan, strict=True):
            o = value_of(x)
            if mode == _COPY:
                o = f"{o}.copy()"
            elif mode == _COPY_LEAF:
                o = f"_copy_leaf({o})"
            elif mode == _CHECK:
                o = f"_own({o}, {', '.join(value_of(a) for a in avoid)})"
            elif mode == _WRITABLE:
                o = f"_writable({o})"
            parts.append(o)
        return parts

    def finish(self, src: str, entry: str, label: str) -> CompiledFn:
        exec(compile(src, f"<fad.jit {label}>", "exec"), self.ns)  # noqa: S102 - our own generated code
        fn: Any = self.ns[entry]
        fn.source = src
        compiled: CompiledFn = fn
        return compiled

    def single(self) -> CompiledFn:
        """One function: ``def _compiled(x1, ...): ...; return [...]``."""
        prog = self.prog
        plan = self.plan
        args = []
        for v in prog.invars:
            n = self.fresh("x")
            self.names[v] = n
            args.append(n)
        lines: list[str] = []
        fused = self.diagonal_adds()
        placed = self.placed_adds(fused)
        scratch = self.scratch = _Scratch(prog, plan, self.last)
        for i, e in enumerate(prog.eqns):
            dead: list[Var] = []
            if i in fused:
                f = fused[i]
                if f is not None:  # (None: a product with an identity matrix, added later)
                    dead = [x for x in self.diagonal_add(i, e, *f, lines) if x.shape]
            elif i in placed:
                p = placed[i]
                if p is not None:  # (None: zeros with an operand in a box, added later)
                    dead = [x for x in self.placed_add(i, e, p, lines) if x.shape]
            else:
                dead = [x for x in self.eqn(i, e, lines) if x.shape]  # (a 0-d value is small)
            if dead:
                lines.append(f"    del {', '.join(sorted({self.names[x] for x in dead}))}")
            scratch.done(i)
        head = [f"def _compiled({', '.join(args)}):"]
        if scratch.views:  # (the kept memory this call writes its large temporaries in)
            self.ns["_pool"], self.ns["_alloc"] = [], scratch.allocator()
            names = "".join(f"b{k}, " for k in range(len(scratch.views)))
            head += ["    try:", f"        {names}= _S = _pool.pop()", "    except IndexError:"]
            head += [f"        {names}= _S = _alloc()"]
            lines.append("    _pool.append(_S)")
        lines.append(f"    return [{', '.join(self.returned(plan, self.operand))}]")
        return self.finish("\n".join(head + lines), "_compiled", prog.name)

    def chunked(self, chunk: int) -> CompiledFn:
        """Functions of ``chunk`` equations each, sharing a list ``R``: a variable used
        outside the chunk that computes it (an input, an output, or one read later) has a
        slot in ``R``, loaded where a chunk first reads it and cleared after its last use."""
        prog = self.prog
        eqns = prog.eqns
        n_chunks = (len(eqns) + chunk - 1) // chunk
        home = {v: -1 for v in prog.invars}  # Var -> the chunk computing it (-1: an input)
        for i, e in enumerate(eqns):
            for v in e.outvars:
                home[v] = i // chunk
        slot: dict[Var, int] = {}
        for v in prog.invars:
            slot[v] = len(slot)
        for i, e in enumerate(eqns):
            for x in e.inputs:
                if type(x) is Var and x not in slot and home[x] != i // chunk:
                    slot[x] = len(slot)
        for x in self.outset:
            if x not in slot:
                slot[x] = len(slot)
        src = []
        for k in range(n_chunks):
            body = []
            self.names = {}
            for i in range(k * chunk, min(len(eqns), (k + 1) * chunk)):
                e = eqns[i]
                for x in e.inputs:  # first read in this chunk of a variable from elsewhere
                    if type(x) is Var and x not in self.names:
                        self.names[x] = n = self.fresh("r")
                        body.append(f"    {n} = R[{slot[x]}]")
                dead = self.eqn(i, e, body)
                for v in e.outvars:
                    if v in slot:
                        body.append(f"    R[{slot[v]}] = {self.names[v]}")
                if dead:
                    body.append(f"    del {', '.join(sorted({self.names[x] for x in dead}))}")
                    body.extend(f"    R[{slot[x]}] = None" for x in dead if x in slot)
            src.append("\n".join([f"def _chunk{k}(R):", *body, "    pass"]))
        plan = self.plan
        value_of = lambda x: f"R[{slot[x]}]" if type(x) is Var else self.const(x)  # noqa: E731
        calls = "\n".join(f"    _chunk{k}(R)" for k in range(n_chunks))
        src.append(
            f"def _compiled(*args):\n    R = [None] * {len(slot)}\n    R[:{len(prog.invars)}] = args\n"
            f"{calls}\n    return [{', '.join(self.returned(plan, value_of))}]"
        )
        return self.finish("\n".join(src), "_compiled", prog.name)


_CONTIGUOUS = True


def _contiguous_views(prog: Program) -> set[Var]:
    """Results of a ``strided_view`` primitive (a transpose) of two or more dimensions that
    an elementwise operation (a ufunc) of as many dimensions reads: generated code copies
    them to C order once. Otherwise every elementwise result computed from them inherits
    their transposed (Fortran) order, and meets C-ordered arrays in later operations, which
    NumPy then runs strided, two to three times slower. The values are the same; a sum
    along an axis of the copy may add in another order (as any change of layout may)."""
    views = {e.outvars[0] for e in prog.eqns if e.prim.strided_view and len(e.outvars[0].shape) >= 2}
    if not views:
        return views
    read: set[Var] = set()
    for e in prog.eqns:
        if isinstance(e.prim.impl, np.ufunc) and not e.params and len(e.outvars[0].shape) >= 2:
            read.update(x for x in e.inputs if type(x) is Var and x in views)
    return read


def _param_literal(v: Any) -> str | None:
    """Python source for a parameter value that is a constant of Python's own (an int, a
    bool, None, a string, a finite float, or a tuple of them), else None."""
    t = type(v)
    if t is int or t is bool or v is None or t is str:
        return repr(v)
    if t is float:
        return repr(v) if math.isfinite(v) else None
    if t is tuple:
        items = []
        for x in v:
            lit = _param_literal(x)
            if lit is None:
                return None
            items.append(lit)
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    return None


def _param_key_of(params: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, _param_key(v)) for k, v in params.items()))


def _general_step(
    fn: Callable[..., Any], ins: tuple[int, ...], out: Any, multiple: bool
) -> Callable[[list[Any]], None]:
    """A step of another arity, or with several results: a function of the slot list."""
    if multiple:

        def step(R: list[Any]) -> None:
            for s, o in zip(out, fn(*[R[i] for i in ins]), strict=True):
                R[s] = o

    else:

        def step(R: list[Any]) -> None:
            R[out] = fn(*[R[i] for i in ins])

    return step


@final
class _Runner:
    """A long program: interpreted, until its _TIER_CALLS-th call compiles it in chunks.

    The interpreter keeps every value in a list of slots (a variable's slot is its number;
    constants at the end) and runs parallel lists: per step a function, its operand slots
    (the second None for one operand; both None for a step of other arity, which is then a
    function of the slot list), its result slot and the slots of the variables it reads for
    the last time (None, a slot, or a tuple of them), cleared. The program itself is kept
    packed the same way (:class:`_Packed`) and rebuilt when it is needed again (to compile
    it, or to run it under a transform). Flat lists of numbers, shapes and functions instead
    of a few objects per equation: Python's garbage collector has little to walk, and a
    long program costs it next to nothing in the collections that follow its capture."""

    def __init__(self, prog: Program, own: bool = True) -> None:
        self.own = own
        self.calls = 0
        self.compiled: CompiledFn | None = None
        self.source: str | None = None
        self._program: Program | None = None
        self.plan = plan = _output_plan(prog) if own else _unowned_plan(prog)
        eqns = prog.eqns
        ufunc = np.ufunc
        f64_dtype = np.dtype(np.float64)
        # a variable's slot is its number (the inputs first, then each result in order);
        # constant j is in slot -(j + 1), at the end of the list
        consts: list[Any] = []
        const_slot: dict[tuple[Any, ...], int] = {}  # constant's key -> its slot
        functions: dict[tuple[Any, ...], Callable[..., Any]] = {}  # (impl, params) -> one partial
        fns: list[Callable[..., Any]] = []
        first: list[int | None] = []
        second: list[int | None] = []
        result: list[int] = []
        read: list[int] = []  # every variable operand, and its equation (for liveness)
        reader: list[int] = []
        packed = self.packed = _Packed(prog)
        number = packed.number
        p_prim, p_params, p_args, p_n = packed.prims, packed.params, packed.args, packed.n_args
        p_shape, p_dtype, p_nout = packed.shapes, packed.dtypes, packed.n_out
        for i, e in enumerate(eqns):
            prim = e.prim
            inputs = e.inputs
            params = e.params
            p_prim.append(prim)
            p_params.append(params if params else _NO_PARAMS)
            p_n.append(len(inputs))
            ins: list[Any] = []
            consts_in = False
            for x in inputs:
                if type(x) is Var:
                    s = number[x]
                    ins.append(s)
                    p_args.append(s)
                    read.append(s)
                    reader.append(i)
                else:
                    consts_in = True
                    ins.append(x)
                    p_args.append(packed.const(x))
            outvars = e.outvars
            out = len(number)
            for v in outvars:
                number[v] = len(number)
                p_shape.append(v.shape)
                p_dtype.append(v.dtype)
                if v.weak:
                    packed.weak.add(number[v])
            if e.source is not None:
                packed.sources[i] = e.source
            sym = _scalar_operator(e) if outvars[0].shape == () else None
            if consts_in:
                # every variable operand float64, and a ufunc called: float constants as arrays
                f64 = sym is None and not params and isinstance(prim.impl, ufunc)
                f64 = f64 and all(x.dtype == f64_dtype for x in inputs if type(x) is Var)
                for k, x in enumerate(ins):
                    if type(x) is Const:
                        v = x.value
                        as_array = f64 and type(v) is float
                        key = _const_key(v, as_array)
                        slot = const_slot.get(key)
                        if slot is None:
                            consts.append(_float64_constant(v) if as_array else v)
                            slot = const_slot[key] = -len(consts)
                        ins[k] = slot
            if sym is not None:
                fn = _OPERATOR_FUNCTIONS[sym, len(ins)]
            elif not params:
                fn = prim.impl
            else:
                fn = functools.partial(prim.impl, **params)
                try:
                    fkey = (id(prim.impl), _param_key_of(params))
                    fn = functions.setdefault(fkey, fn)
                except TypeError:  # (unhashable parameters: a partial of its own)
                    pass
            n = len(ins)
            result.append(out)
            if prim.multiple_results:
                p_nout[i] = len(outvars)
                outs = tuple(range(out, out + len(outvars)))
                fns.append(_general_step(fn, tuple(ins), outs, True))
                first.append(None)
                second.append(None)
            elif n == 2:
                fns.append(fn)
                first.append(ins[0])
                second.append(ins[1])
            elif n == 1:
                fns.append(fn)
                first.append(ins[0])
                second.append(None)
            else:
                fns.append(_general_step(fn, tuple(ins), out, False))
                first.append(None)
                second.append(None)
        packed.finish(prog)
        n_vars = len(number)
        # kept to the end: the outputs, and what their hand-out compares them with
        keep = {x for x in prog.outs if type(x) is Var}
        keep.update(a for _, avoid in plan for a in avoid if type(a) is Var)
        self.slots = {v: number[v] for v in keep}
        self.out_slots = [number[x] if type(x) is Var else None for x in prog.outs]
        self.out_consts = [None if type(x) is Var else x.value for x in prog.outs]
        # liveness: a variable's slot is cleared after the last equation that reads it
        last = np.full(n_vars, -1, dtype=np.intp)
        if read:
            np.maximum.at(last, np.array(read, dtype=np.intp), np.array(reader, dtype=np.intp))
        for v in keep:
            last[number[v]] = -1
        cleared = [None] * len(eqns)
        dying = np.flatnonzero(last >= 0)
        for s, i in zip(dying.tolist(), last[dying].tolist(), strict=True):
            c = cleared[i]
            cleared[i] = s if c is None else (c, s) if type(c) is int else (*c, s)
        self.steps: tuple[list[Any], ...] = (fns, first, second, result, cleared)
        self.template = [None] * n_vars + consts[::-1]
        self.n_in = len(prog.invars)

    def program(self) -> Program:
        """The program this runs (rebuilt from its packed form once, then kept)."""
        if self._program is None:
            self._program = self.packed.unpack()
        return self._program

    def compile_now(self) -> CompiledFn:
        """Generate and compile the program's code in chunks (at the _TIER_CALLS-th call, or
        when it is compiled ahead of time), once."""
        if self.compiled is None:
            prog = self._program or self.packed.unpack()
            new: Any = _Codegen(prog, own=self.own).chunked(_CHUNK)
            self.source = new.source
            self.compiled = new
        compiled: CompiledFn = self.compiled
        return compiled

    def __call__(self, *args: Any) -> list[Any]:
        compiled = self.compiled
        if compiled is not None:
            return compiled(*args)
        self.calls += 1
        if self.calls >= _TIER_CALLS:
            return self.compile_now()(*args)
        R = self.template.copy()
        R[: self.n_in] = args
        for fn, a, b, o, c in zip(*self.steps, strict=True):
            if b is not None:
                R[o] = fn(R[a], R[b])
            elif a is not None:
                R[o] = fn(R[a])
            else:
                fn(R)
            if c is not None:
                if type(c) is int:
                    R[c] = None
                else:
                    for s in c:
                        R[s] = None
        outs = [R[s] if s is not None else c for s, c in zip(self.out_slots, self.out_consts, strict=True)]
        slots = self.slots
        return _hand_out(outs, self.plan, lambda a: R[slots[a]] if type(a) is Var else a.value)


_NO_PARAMS: dict[str, Any] = {}


class _Packed:
    """A program as flat lists (equations in order; variables numbered, the inputs first):
    per equation its primitive, parameters, number of operands and of results; the operands
    one after another (a variable's number, or a constant); per variable its shape and dtype.
    Few objects, so the garbage collector does not walk a long program; ``unpack`` rebuilds
    an equal :class:`Program`."""

    __slots__ = (
        *("invars", "number", "prims", "params", "args", "n_args", "n_out", "shapes"),
        *("dtypes", "weak", "sources", "outs", "in_tree", "out_tree", "name", "consts"),
    )

    def __init__(self, prog: Program) -> None:
        self.invars = [(v.shape, v.dtype, v.weak) for v in prog.invars]
        self.number: dict[Var, int] = {v: k for k, v in enumerate(prog.invars)}  # (while packing)
        self.prims: list[Primitive] = []
        self.params: list[dict[str, Any]] = []
        self.args: list[int | Const] = []  # a variable's number, or a constant
        self.n_args: list[int] = []
        self.n_out: dict[int, int] = {}  # equation -> its number of results, where it is not one
        self.shapes: list[tuple[int, ...]] = []  # per variable computed by an equation
        self.dtypes: list[np.dtype[Any]] = []
        self.weak: set[int] = set()
        self.sources: dict[int, Source] = {}
        self.consts: dict[tuple[Any, ...], Const] = {}  # one Const per scalar (literals repeat)
        self.outs: list[int | Const] = []
        self.in_tree: Any = prog.in_tree
        self.out_tree: Any = prog.out_tree
        self.name = prog.name

    def const(self, x: Const) -> Const:
        v = x.value
        t = type(v)
        key: tuple[Any, ...]
        if t is float:
            key = (t, v, math.copysign(1.0, v))
        elif t is int or t is bool:
            key = (t, v)
        else:
            return x
        return self.consts.setdefault(key, x)

    def finish(self, prog: Program) -> None:
        number = self.number
        self.outs = [number[x] if type(x) is Var else x for x in prog.outs]
        self.number = {}  # (no longer needed)
        self.consts = {}

    def unpack(self) -> Program:
        vs = [Var(*a) for a in self.invars]
        n_in = len(vs)
        shapes, dtypes, weak, args, n_out, sources = (
            self.shapes,
            self.dtypes,
            self.weak,
            self.args,
            self.n_out,
            self.sources,
        )
        eqns = []
        k = 0
        for i, (prim, params, n) in enumerate(zip(self.prims, self.params, self.n_args, strict=True)):
            inputs = [vs[a] if isinstance(a, int) else a for a in args[k : k + n]]
            k += n
            outvars = []
            for _ in range(n_out.get(i, 1)):
                j = len(vs)
                v = Var(shapes[j - n_in], dtypes[j - n_in], j in weak)
                vs.append(v)
                outvars.append(v)
            eqns.append(
                Eqn(prim, inputs, params if params is not _NO_PARAMS else {}, outvars, sources.get(i))
            )
        outs = [vs[x] if isinstance(x, int) else x for x in self.outs]
        return Program(vs[:n_in], eqns, outs, self.in_tree, self.out_tree, self.name)


# ------------------------------------------------------------------------- jit


def _leaf_signature(x: Any) -> tuple[Any, ...]:
    if isinstance(x, Tracer):
        if backend_of(x) is not None:
            raise _not_numpy(x)
        return ("T", tuple(x.shape), x.dtype.str)
    if type(x) in (int, float, bool, complex):
        return ("py", type(x).__name__)
    if isinstance(x, (np.ndarray, np.generic)):
        return ("a", x.shape, x.dtype.str)
    if backend_of(x) is not None:
        raise _not_numpy(x)
    if _is_abstract(x):
        raise TypeError(
            f"fad.jit: an argument is a {type(x).__name__} of shape {tuple(x.shape)} and dtype "
            f"{x.dtype}, which has no values to compute with. Pass it to the jitted function's "
            "trace, lower or eval_shape, or call the function with an array."
        )
    a = np.asarray(x)
    return ("a", a.shape, a.dtype.str)


def _not_numpy(x: Any) -> BackendError:
    name = backend_of(x).name
    return BackendError(
        f"fad.jit was called on a {name} array. jit captures a program and runs it as NumPy code, "
        f"so it takes NumPy arrays only. Call the function without fad.jit: grad, jvp, vjp, vmap, "
        f"jacfwd, jacrev and hessian run on {name} arrays as they are."
    )


class _Entry:
    __slots__ = ("_program", "compiled", "single", "out_tree")

    def __init__(self, program: Program, compiled: CompiledFn) -> None:
        self.compiled = compiled
        # a long program is kept packed by its runner (see _Runner), not as objects
        self._program: Program | _Runner = compiled if type(compiled) is _Runner else program
        self.out_tree = program.out_tree
        self.single = treedef_is_leaf(program.out_tree)  # one array out: no unflatten

    @property
    def program(self) -> Program:
        p = self._program
        return p.program() if type(p) is _Runner else p


def _fast_key(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The cache key of positional arguments that are all NumPy arrays or Python floats
    (the common call, keyed without flattening), or None."""
    key: list[Any] = []
    for a in args:
        t = type(a)
        if t is np.ndarray:
            key.append((a.shape, a.dtype))
        elif t is float:
            key.append(float)
        else:
            return None
    return tuple(key)


class _FastCache(dict[Any, Any]):
    """A jitted function's cache by argument signature, emptied by `disable_jit`."""

    __slots__ = ("__weakref__",)
    __hash__ = object.__hash__  # type: ignore[assignment] # (by identity: a member of the weak set below)


_FAST_CACHES: weakref.WeakSet[_FastCache] = weakref.WeakSet()

# -- one cache per function --------------------------------------------------------------
#
# As JAX's, a jitted function's compiled code is kept per function, not per call of `jit`:
# `jit(f)(x)` written inside a loop (a new jitted function each time round) captures `f`
# once, not at every call. The caches are keyed by a weak reference to the function and
# jit's options; at most _SHARED_MAX functions keep theirs (least recently jitted first out),
# and a function's caches go when it does. A function that cannot be weakly referenced or
# hashed (a callable object comparing by value) gets caches of its own per `jit`.

_SharedCaches = tuple[OrderedDict[Any, "_Entry"], _FastCache, threading.Lock, list[int]]
_SHARED: OrderedDict[Any, _SharedCaches] = OrderedDict()
_SHARED_LOCK = threading.Lock()
_SHARED_MAX = 1024


def _new_caches() -> _SharedCaches:
    fast = _FastCache()
    _FAST_CACHES.add(fast)
    return OrderedDict(), fast, threading.Lock(), [0, 0]


def _forget(ref: weakref.ref[Any]) -> None:
    with _SHARED_LOCK:
        for key in [k for k in _SHARED if k[0] is ref]:
            del _SHARED[key]


def _shared(fun: Callable[..., Any], options: tuple[Any, ...]) -> _SharedCaches:
    """The caches of ``fun`` jitted with ``options``, shared by every ``jit`` of it."""
    try:
        key = (weakref.ref(fun, _forget), options)
        hash(key)
    except TypeError:
        return _new_caches()
    with _SHARED_LOCK:
        caches = _SHARED.get(key)
        if caches is None:
            caches = _SHARED[key] = _new_caches()
            if len(_SHARED) > _SHARED_MAX:
                _SHARED.popitem(last=False)
        else:
            _SHARED.move_to_end(key)
    return caches


def clear_caches() -> None:
    """Drop the compiled code of every jitted function (JAX's `jax.clear_caches`): the next
    call of each captures its function again.

    Returns:
        None.

    Examples:
        >>> import fad
        >>> f = fad.jit(lambda x: x * 2.0)
        >>> _ = f(1.0)
        >>> fad.clear_caches()
        >>> f.cache_size()
        0
    """
    with _SHARED_LOCK:
        shared = list(_SHARED.values())
    for cache, fast, lock, _history in shared:
        with lock:
            cache.clear()
            fast.clear()


_DISABLED = [0, False]  # (disable_jit blocks open, fad.config's jax_disable_jit): process-wide


def _set_disabled(blocks: int, config: bool) -> None:
    _DISABLED[0], _DISABLED[1] = blocks, config
    if blocks or config:  # (the fast path checks nothing: empty it, so calls take the slow one)
        for c in list(_FAST_CACHES):
            c.clear()


@contextlib.contextmanager
def disable_jit(disable: bool = True) -> Iterator[None]:
    """Run `fad.jit` functions as plain Python inside a `with` block (JAX's `disable_jit`):
    `print` and breakpoints inside them see concrete values. Process-wide while the block
    is open.

    Args:
        disable: False makes the block do nothing.

    Returns:
        A context manager.

    Examples:
        >>> import fad
        >>> f = fad.jit(lambda x: print("value", x) or x * 2)
        >>> with fad.disable_jit():
        ...     y = f(3.0)
        value 3.0
    """
    if not disable:
        yield
        return
    _set_disabled(int(_DISABLED[0]) + 1, bool(_DISABLED[1]))
    try:
        yield
    finally:
        _set_disabled(int(_DISABLED[0]) - 1, bool(_DISABLED[1]))


@overload
def jit(
    fun: Callable[P, R],
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    donate_argnums: int | Sequence[int] = (),
    cache_size: int = 64,
) -> Jitted[P, R]: ...


@overload
def jit(
    fun: None = None,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    donate_argnums: int | Sequence[int] = (),
    cache_size: int = 64,
) -> Callable[[Callable[P, R]], Jitted[P, R]]: ...


def jit(
    fun: Callable[P, R] | None = None,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    donate_argnums: int | Sequence[int] = (),
    cache_size: int = 64,
) -> Any:
    """Compile `fun` to straight-line NumPy code, once per input signature.

    The first call with a new signature (pytree structure, shapes, dtypes, values of the
    static arguments) captures `fun` as a program, simplifies it and generates Python that
    calls NumPy directly; later calls with that signature run the generated code. At most
    `cache_size` programs are kept (least recently used first out), per function: every
    `jit` of the same function with the same options shares them, as in JAX, so
    `fad.jit(f)(x)` written in a loop captures `f` once (`fad.clear_caches()` empties them
    all). Arrays and other globals the function reads are baked in at capture, as in JAX. Python control flow
    on argument values cannot be captured: it raises an error that says so; mark such
    arguments static. Under another transform (`grad(jit(f))`, `vmap(jit(f))`) the cached
    program runs primitive by primitive, so the outer transform sees it like any fad code.

    Args:
        fun: The function to compile; any composition of fad's transforms. Without it,
            `jit(static_argnums=...)` is a decorator, as in JAX.
        static_argnums: Positions of arguments that are not traced: their values key the
            cache (they must be hashable) and Python may branch on them.
        static_argnames: Names of keyword arguments that are static, likewise.
        donate_argnums: Accepted for JAX compatibility and ignored (NumPy has no buffer
            donation).
        cache_size: How many compiled signatures to keep.

    Returns:
        The compiled function, with `fun`'s signature. It also has `cache_size()` (how many
        signatures are compiled), `clear_cache()`, `program(*args)` (the simplified
        `fad.Program` it runs for those arguments), and JAX's ahead-of-time stages:
        `trace(*args)` (a `Traced`: `.jaxpr`, `.out_info`, `.lower()`), `lower(*args)` (a
        `Lowered`: `.as_text()`, `.compile()`, `.cost_analysis()`) and `eval_shape(*args)`
        (the result's `fad.ShapeDtypeStruct`s), whose arguments may be
        `fad.ShapeDtypeStruct`s. `fad.config.update("jax_explain_cache_misses", True)`
        logs why each compilation happens (logger `"fad.jit"`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = fad.jit(fad.grad(lambda x: fnp.sum(fnp.tanh(x) ** 2)))
        >>> f(fnp.zeros(2))
        array([0., 0.])
        >>> fad.grad(fad.jit(lambda x: x ** 3))(2.0)
        np.float64(12.0)
        >>> compiled = f.lower(fad.ShapeDtypeStruct((2,), "float64")).compile()
        >>> compiled(fnp.zeros(2))
        array([0., 0.])
        >>> f.eval_shape(fnp.zeros((4, 3)))
        ShapeDtypeStruct(shape=(4, 3), dtype=float64)
    """
    if fun is None:  # (@jit(static_argnums=...): a decorator)
        return functools.partial(
            jit,
            static_argnums=static_argnums,
            static_argnames=static_argnames,
            donate_argnums=donate_argnums,
            cache_size=cache_size,
        )
    if not callable(fun):
        raise TypeError(f"fad.jit: expected a function to compile, got {type(fun).__name__}.")
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    if isinstance(static_argnames, str):
        static_argnames = (static_argnames,)
    static_names = frozenset(static_argnames)
    named_positions = _name_positions(fun, static_names)  # static names passed positionally
    static = tuple(sorted(set(static_argnums) | named_positions))
    del donate_argnums
    # cache: signature -> entry; fast: _fast_key -> an entry of cache (cleared when one leaves
    # it); history: (signatures compiled, signatures dropped), what a cache miss explains.
    # Shared by every jit of the same function with the same options (see _Shared).
    cache, fast, lock, history = _shared(fun, (static, static_names, cache_size))

    def signature(
        args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Any, list[Any], dict[str, Any], dict[str, Any]]:
        """``(cache key, flat dynamic leaves, static keyword arguments, dynamic ones)``."""
        for i in static:
            if i >= len(args) and i not in named_positions:
                raise TypeError(
                    f"fad.jit: static_argnums names argument {i}, but only {len(args)} were passed."
                )
        static_vals = tuple(args[i] for i in static if i < len(args))
        static_kw = {k: v for k, v in kwargs.items() if k in static_names}
        if static_kw:
            kwargs = {k: v for k, v in kwargs.items() if k not in static_names}
        static_key = (static_vals, tuple(sorted(static_kw.items())) if static_kw else ())
        try:
            hash(static_key)
        except TypeError as e:
            raise TypeError(
                f"fad.jit: static arguments must be hashable (they key the cache), got "
                f"{static_vals + static_key[1]!r}. Pass arrays as ordinary (traced) arguments, or a "
                "tuple instead of a list."
            ) from e
        dyn = (tuple(a for i, a in enumerate(args) if i not in static), kwargs)
        leaves, tree = tree_flatten(dyn)
        return (tree, tuple(_leaf_signature(x) for x in leaves), static_key), leaves, static_kw, kwargs

    def miss(
        key: Any, args: tuple[Any, ...], kwargs: dict[str, Any], static_kw: dict[str, Any]
    ) -> _Entry | None:
        """Capture and compile for a new signature, and keep it (None: see _capture)."""
        if _EXPLAIN[0]:
            with lock:
                seen = list(cache)
            _explain_miss(fun, key, seen, history, cache_size, args, static)
        entry = _capture(functools.partial(fun, **static_kw) if static_kw else fun, args, kwargs, static)
        if entry is not None:
            with lock:
                cache[key] = entry
                history[0] += 1
                while len(cache) > cache_size:
                    cache.popitem(last=False)
                    fast.clear()
                    history[1] += 1
        return entry

    @functools.wraps(fun)
    def jitted(*args: Any, **kwargs: Any) -> Any:
        if not kwargs and not static:
            fkey = _fast_key(args)
            entry = fast.get(fkey) if fkey is not None else None
            if entry is not None:
                outs = entry.compiled(*args)
                return outs[0] if entry.single else tree_unflatten(entry.out_tree, outs)
        else:
            fkey = None
        if _DISABLED[0] or _DISABLED[1]:  # (disable_jit: the function as it is)
            return fun(*args, **kwargs)
        key, leaves, static_kw, kwargs = signature(args, kwargs)
        with lock:
            entry = cache.get(key)
            if entry is not None:
                cache.move_to_end(key)
        if entry is None:
            entry = miss(key, args, kwargs, static_kw)
            if entry is None:  # closes over a value traced outside: run it as it is
                return fun(*args, **kwargs, **static_kw)
        if fkey is not None:  # (arrays and floats only: no tracer)
            with lock:
                if key in cache:
                    fast[fkey] = entry
        if any(isinstance(x, Tracer) for x in leaves):
            outs = entry.program.eval_flat(leaves)
        else:
            outs = entry.compiled(*leaves)
        return tree_unflatten(entry.out_tree, outs)

    def clear_cache() -> None:
        with lock:
            cache.clear()
            fast.clear()

    out: Any = jitted  # (a function with the attributes of Jitted)
    out.cache_size = lambda: len(cache)
    out.clear_cache = clear_cache

    def program(*args: Any, **kwargs: Any) -> Program | None:
        """The simplified Program that ``jitted(*args, **kwargs)`` runs."""
        static_kw = {k: v for k, v in kwargs.items() if k in static_names}
        kwargs = {k: v for k, v in kwargs.items() if k not in static_names}
        f = functools.partial(fun, **static_kw) if static_kw else fun
        return _capture_program(f, args, kwargs, static)

    def lookup(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[_Entry | None, Any]:
        """The entry for these arguments (abstract ones allowed), compiled if new, and the
        arguments' structure."""
        args, kwargs = _examples(args, kwargs, static, static_names)
        key, _, static_kw, kwargs = signature(args, kwargs)
        with lock:
            entry = cache.get(key)
        if entry is None:
            entry = miss(key, args, kwargs, static_kw)
        return entry, key[0]

    def trace(*args: Any, **kwargs: Any) -> Traced:
        """The program for these arguments (`Traced`): `.jaxpr`, `.out_info`, `.lower()`.

        Arguments may be arrays or anything with `shape` and `dtype` (`fad.ShapeDtypeStruct`);
        static arguments must be the values themselves. The compiled code is kept in the
        cache, so a later call with such arguments does not compile again.
        """
        entry, tree = lookup(args, kwargs)
        if entry is None:
            raise _closure_error(fun)
        return Traced(entry, tree, _dynamic_names(fun, len(args), static), getattr(fun, "__name__", "jit"))

    def lower(*args: Any, **kwargs: Any) -> Lowered:
        """`trace(*args, **kwargs).lower()`: the generated code (`Lowered`), `.compile()`."""
        return trace(*args, **kwargs).lower()

    def eval_shape(*args: Any, **kwargs: Any) -> Any:
        """The shapes and dtypes of the result (a pytree of `fad.ShapeDtypeStruct`), without
        computing it: `trace(*args, **kwargs).out_info`."""
        entry, _ = lookup(args, kwargs)
        if entry is None:  # (closes over a traced value: its shapes, from running it)
            ex_args, ex_kwargs = _examples(args, kwargs, static, static_names)
            return _shapes_of(fun(*ex_args, **ex_kwargs))
        return tree_unflatten(entry.out_tree, [_operand_info(x) for x in entry.program.outs])

    out.program = program
    out.trace = trace
    out.lower = lower
    out.eval_shape = eval_shape
    result: Jitted[P, R] = out
    return result


def _name_positions(fun: Callable[..., Any], names: frozenset[str]) -> set[int]:
    """Positions of the positional parameters of ``fun`` named in ``names``."""
    if not names:
        return set()
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        return set()
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return {i for i, p in enumerate(params) if p.name in names and p.kind in positional}


def _flat(
    fun: Callable[..., Any], args: tuple[Any, ...], static: tuple[int, ...]
) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """``fun`` as a function of its dynamic arguments and a dict of keyword arguments."""

    def flat_fun(*a: Any) -> Any:
        dyn_args, kw = a[:-1], a[-1]
        it = iter(dyn_args)
        full = [args[i] if i in static else next(it) for i in range(len(args))]
        return fun(*full, **kw)

    return flat_fun, tuple(a for i, a in enumerate(args) if i not in static)


def _capture(
    fun: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], static: tuple[int, ...]
) -> _Entry | None:
    """The cache entry of ``fun`` at ``args``: its simplified program, compiled (or None if
    it closes over a value traced outside)."""
    flat_fun, dyn_args = _flat(fun, args, static)
    with _gc_paused():
        prog = _captured(flat_fun, dyn_args + (kwargs,), getattr(fun, "__name__", "jit"), False)
        return None if prog is None else _Entry(prog, compile_program(prog))


def _capture_program(
    fun: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], static: tuple[int, ...]
) -> Program | None:
    """The simplified program of ``fun`` at ``args``, each equation with its source line."""
    flat_fun, dyn_args = _flat(fun, args, static)
    with _gc_paused():
        return _captured(flat_fun, dyn_args + (kwargs,), getattr(fun, "__name__", "jit"), True)


def _captured(
    flat_fun: Callable[..., Any], args: tuple[Any, ...], name: str, record_source: bool
) -> Program | None:
    try:
        prog = capture(flat_fun, args, name=name, record_source=record_source)
    except ForeignTracerError:
        return None
    return simplify(prog)


# ----------------------------------------------------------------------- ahead of time
#
# JAX's stages, on fad's: `jitted.trace(*args)` captures and compiles for a signature (the
# entry a call would make, kept in the cache), and the stage objects show it: the program
# (Traced), the generated code (Lowered), a function of exactly that signature (Compiled).

#: fad.config's jax_explain_cache_misses: read on a cache miss only, never on a hit
_EXPLAIN = [False]
_LOG = logging.getLogger("fad.jit")
#: where a jitted function compiled its first signature (while explaining): a second
#: function doing so at the same call is one re-created each time (a lambda in a loop)
_FIRST_SITES: set[str | None] = set()
_PY_SCALARS = (int, float, bool, complex)


_Struct = TypeVar("_Struct", bound="ShapeDtypeStruct")


class ShapeDtypeStruct:
    """The shape and dtype of an array, without values (JAX's `jax.ShapeDtypeStruct`).

    `fad.jit(f).trace`, `.lower` and `.eval_shape`, and `fad.eval_shape`, take it (or any
    object with `shape` and `dtype`) in place of an array, and describe results with it.

    Args:
        shape: The array's shape.
        dtype: Its dtype (anything `numpy.dtype` takes).
        weak_type: Whether it stands for a Python scalar, whose dtype gives way to an
            array's in arithmetic (NumPy's rule for Python numbers, JAX's weak type).
        sharding: Accepted for JAX compatibility and ignored (one CPU, no sharding).

    Examples:
        >>> import fad, numpy as np
        >>> x = fad.ShapeDtypeStruct((2, 3), np.float32)
        >>> x
        ShapeDtypeStruct(shape=(2, 3), dtype=float32)
        >>> fad.eval_shape(lambda a: a.sum(0), x)
        ShapeDtypeStruct(shape=(3,), dtype=float32)
    """

    __slots__ = ("shape", "dtype", "weak_type")

    def __init__(
        self, shape: Sequence[int], dtype: Any, *, weak_type: bool = False, sharding: Any = None
    ) -> None:
        del sharding
        self.shape = tuple(operator.index(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = bool(weak_type)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @classmethod
    def like(cls: type[_Struct], x: Any) -> _Struct:
        """The shape and dtype of `x` (an array, a number or a traced value).

        Args:
            x: The value to describe.

        Returns:
            A `ShapeDtypeStruct`; weakly typed for a Python number.
        """
        weak = type(x) in (int, float, bool, complex)
        dtype = x.dtype if hasattr(x, "dtype") else np.asarray(x).dtype
        return cls(np.shape(x), dtype, weak_type=weak)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d ShapeDtypeStruct")
        return self.shape[0]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (self.shape, self.dtype, self.weak_type) == (other.shape, other.dtype, other.weak_type)

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype, self.weak_type))

    def __repr__(self) -> str:
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name}{weak})"


def _is_abstract(x: Any) -> bool:
    """Whether ``x`` stands for an array by its shape and dtype only."""
    if type(x) in _PY_SCALARS or isinstance(x, (np.ndarray, np.generic, Tracer)):
        return False
    return hasattr(x, "shape") and hasattr(x, "dtype") and backend_of(x) is None


def _example_of(x: Any) -> Any:
    """A concrete value standing for an abstract leaf when it is captured (any other leaf
    as it is). Capture never branches on it (that raises ConcretizationError), but an
    operation may refuse it: so 0.5 in floating scalars and vectors (inside the domain of a
    logarithm, a square root, an arcsine), identity matrices in the last two axes of
    floating arrays of two or more (an inverse, a Cholesky factor), zeros for integers (a
    valid index) and booleans."""
    if not _is_abstract(x):
        return x
    shape, dtype = tuple(x.shape), np.dtype(x.dtype)
    if dtype.kind not in "biufc":
        raise TypeError(f"fad.jit: cannot stage an argument of dtype {dtype} (shape {shape}).")
    floating = dtype.kind in "fc"
    if getattr(x, "weak_type", False) and shape == ():
        for t in _PY_SCALARS:
            if np.result_type(t(0)) == dtype:
                return t(0.5) if floating else t(0)
    if not floating:
        return np.zeros(shape, dtype)
    if len(shape) < 2:
        return np.full(shape, 0.5, dtype)
    return np.broadcast_to(np.eye(shape[-2], shape[-1], dtype=dtype), shape).copy()


def _examples(
    args: tuple[Any, ...], kwargs: dict[str, Any], static: tuple[int, ...], static_names: frozenset[str]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments with their abstract leaves (``ShapeDtypeStruct``) made concrete
    examples (``_example_of``); static arguments as they are."""
    args = tuple(a if i in static else tree_map(_example_of, a) for i, a in enumerate(args))
    kwargs = {k: v if k in static_names else tree_map(_example_of, v) for k, v in kwargs.items()}
    return args, kwargs


def _operand_info(x: Operand) -> ShapeDtypeStruct:
    if type(x) is Var:
        return ShapeDtypeStruct(x.shape, x.dtype, weak_type=x.weak)
    v = x.value
    return ShapeDtypeStruct(np.shape(v), np.result_type(v), weak_type=type(v) in _PY_SCALARS)


def _shapes_of(tree: Any) -> Any:
    leaves, td = tree_flatten(tree)
    infos = [
        ShapeDtypeStruct((), np.result_type(x), weak_type=True)
        if type(x) in _PY_SCALARS
        else ShapeDtypeStruct(np.shape(x), x.dtype if hasattr(x, "dtype") else np.result_type(x))
        for x in leaves
    ]
    return tree_unflatten(td, infos)


def eval_shape(fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The shapes and dtypes of `fun(*args, **kwargs)`, without computing it (JAX's
    `jax.eval_shape`).

    `fun` is captured once, as `fad.jit` captures it: each operation records its result's
    shape and dtype and computes nothing large. Arguments may be arrays, Python scalars, or
    anything with `shape` and `dtype` (`fad.ShapeDtypeStruct`); capture never branches on
    their values, but an operation may check them, so an abstract argument is captured as
    a valid example (0.5, identity matrices, integer zeros).

    Args:
        fun: The function.
        *args: Its positional arguments (pytrees).
        **kwargs: Its keyword arguments (pytrees).

    Returns:
        A pytree of `fad.ShapeDtypeStruct` of the structure of `fun`'s result.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.eval_shape(lambda x, y: fnp.outer(x, y), fnp.ones(3), fad.ShapeDtypeStruct((4,), "float32"))
        ShapeDtypeStruct(shape=(3, 4), dtype=float64)
    """
    args, kwargs = _examples(args, kwargs, (), frozenset())
    name = getattr(fun, "__name__", "eval_shape")
    try:
        with _gc_paused():
            prog = capture(
                lambda a, k: fun(*a, **k),
                (args, kwargs),
                name=name,
                record_source=False,
                transform="eval_shape",
            )
    except ForeignTracerError:  # (closes over a traced value: its shapes, from running it)
        return _shapes_of(fun(*args, **kwargs))
    return tree_unflatten(prog.out_tree, [_operand_info(x) for x in prog.outs])


def _dynamic_names(fun: Callable[..., Any], n_args: int, static: tuple[int, ...]) -> list[str]:
    """The names of the positional arguments that are not static, for messages."""
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = []
    for i in range(n_args):
        if i in static:
            continue
        if i < len(params) and params[i].kind in positional:
            names.append(params[i].name)
        else:
            names.append(f"args[{i}]")
    return names


def _static_labels(fun: Callable[..., Any], n_args: int, static: tuple[int, ...]) -> list[str]:
    """Names of the static arguments passed by position, in the order of the cache key."""
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        params = []
    return [params[i].name if i < len(params) else f"args[{i}]" for i in static if i < n_args]


def _path_name(path: tuple[Any, ...], names: list[str]) -> str:
    """An argument's leaf by name: ``x``, ``params['W'][0]``, ``scale`` (a keyword), from
    its key path in ``(positional arguments, keyword arguments)``."""
    if not path:
        return "the arguments"
    if len(path) == 1:
        return "the positional arguments" if getattr(path[0], "idx", 0) == 0 else "the keyword arguments"
    head, k, rest = path[0], path[1], path[2:]
    if getattr(head, "idx", 0) == 0:
        i = k.idx
        base = names[i] if i < len(names) else f"args[{i}]"
    else:
        base = str(getattr(k, "key", k))
    return base + keystr(rest)


def _leaf_names(tree: PyTreeDef, names: list[str]) -> list[str]:
    return [_path_name(p, names) for p in _paths(tree._spec)]


def _structure_difference(
    new: PyTreeDef, old: PyTreeDef, names: list[str], now: str = "now", before: str = "before"
) -> str:
    """Where the structure of a call's arguments parts from another's: ``x: now (*, *),
    before a leaf``."""
    found = _match(new._spec, old._spec, (), None)
    if found is not None:
        path, a, b = found
    else:
        found = _match(old._spec, new._spec, (), None)
        if found is None:
            return f"the arguments: {now} {new}, {before} {old}"
        path, b, a = found
    return f"{_path_name(path, names)}: {now} {_node_str(a)}, {before} {_node_str(b)}"


def _type_str(shape: tuple[int, ...], dtype: np.dtype[Any], weak: bool = False) -> str:
    if weak and shape == ():
        for t in _PY_SCALARS:
            if np.result_type(t(0)) == dtype:
                return f"a Python {t.__name__}"
    return f"{dtype.name}[{','.join(map(str, shape))}]"


def _signature_str(sig: tuple[Any, ...]) -> str:
    """A leaf's part of the cache key (``_leaf_signature``) as text."""
    if sig[0] == "py":
        return f"a Python {sig[1]}"
    text = _type_str(tuple(sig[1]), np.dtype(sig[2]))
    return f"{text} traced by an outer transform" if sig[0] == "T" else text


def _value_str(x: Any) -> str:
    if type(x) in _PY_SCALARS:
        return f"a Python {type(x).__name__}"
    if isinstance(x, Tracer):
        return f"{_type_str(tuple(x.shape), x.dtype)} traced by a transform"
    a = x if isinstance(x, (np.ndarray, np.generic)) else np.asarray(x)
    return _type_str(a.shape, a.dtype)


def _short(v: Any) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # (an == that does not give one truth value)
        return a is b


def _key_differences(
    new: tuple[Any, ...], old: tuple[Any, ...], names: list[str], static_labels: list[str]
) -> tuple[tuple[int, int, int], list[str]]:
    """How a new cache key differs from a cached one: ``(score, lines)``, the lower score
    the closer (a different structure is farther than different shapes)."""
    tree, sigs, (svals, skw) = new
    otree, osigs, (osvals, oskw) = old
    out = []
    if len(svals) != len(osvals):
        out.append(f"static arguments passed by position: now {len(svals)}, before {len(osvals)}")
    else:
        for label, a, b in zip(static_labels, svals, osvals, strict=False):
            if not _same(a, b):
                out.append(f"static argument {label}: now {_short(a)}, before {_short(b)}")
    kw, okw = dict(skw), dict(oskw)
    for k in sorted(kw.keys() | okw.keys()):
        a, b = kw.get(k, _ABSENT), okw.get(k, _ABSENT)
        if a is _ABSENT or b is _ABSENT or not _same(a, b):
            now = "not passed" if a is _ABSENT else _short(a)
            before = "not passed" if b is _ABSENT else _short(b)
            out.append(f"static argument {k}: now {now}, before {before}")
    if tree != otree:
        out.append(f"structure of {_structure_difference(tree, otree, names)}")
        return (1, len(out), 0), out
    parts = 0  # (of the differing leaves, how many of kind, shape and dtype differ)
    for leaf, a, b in zip(_leaf_names(tree, names), sigs, osigs, strict=True):
        if a != b:
            out.append(f"{leaf}: now {_signature_str(a)}, before {_signature_str(b)}")
            parts += sum(p != q for p, q in itertools.zip_longest(a, b))
    return (0, len(out), parts), out


_ABSENT = object()


def _definition_site(fun: Callable[..., Any]) -> str:
    f: Any = fun
    while isinstance(f, functools.partial):
        f = f.func
    try:
        f = inspect.unwrap(f)
    except ValueError:
        pass
    code = getattr(f, "__code__", None)
    return f" (defined at {_source_str((code.co_filename, code.co_firstlineno))})" if code else ""


def _explain_miss(
    fun: Callable[..., Any],
    key: tuple[Any, ...],
    seen: list[Any],
    history: list[int],
    cache_size: int,
    args: tuple[Any, ...],
    static: tuple[int, ...],
) -> None:
    """Log (``fad.jit``, WARNING) why ``fun`` compiles again: which argument's shape,
    dtype, structure or static value differs from the closest signature in its cache."""
    where = _source_str(_user_frame(0)) or "a call inside fad"
    name = f"{getattr(fun, '__name__', 'function')}{_definition_site(fun)}"
    if not seen and not history[0]:
        lines = [f"fad.jit cache miss at {where}: compiling {name} for the first time."]
        if where in _FIRST_SITES:
            lines.append(
                "  Another jitted function compiled its first signature at this call before: a "
                "function re-created at each call (fad.jit of a lambda or a functools.partial made "
                "in a loop) starts with an empty cache every time. Create it once and reuse it."
            )
        _FIRST_SITES.add(where)
    elif not seen:
        lines = [
            f"fad.jit cache miss at {where}: compiling {name} again; its cache was emptied (clear_cache())."
        ]
    else:
        names = _dynamic_names(fun, len(args), static)
        labels = _static_labels(fun, len(args), static)
        # (the most recent first: of equally close ones, the last compiled)
        _, diffs = min(
            (_key_differences(key, old, names, labels) for old in reversed(seen)), key=lambda d: d[0]
        )
        lines = [
            f"fad.jit cache miss at {where}: compiling {name} for a new signature. Of the "
            f"{len(seen)} signature{'s' if len(seen) > 1 else ''} in its cache, the closest differs in:",
            *(f"  * {d}" for d in diffs),
        ]
        if history[1]:
            lines.append(
                f"  ({history[1]} older signature{'s were' if history[1] > 1 else ' was'} dropped: the "
                f"cache keeps cache_size={cache_size}.)"
            )
    _LOG.warning("\n".join(lines))


def _closure_error(fun: Callable[..., Any]) -> TypeError:
    return TypeError(
        f"fad.jit: {getattr(fun, '__name__', 'the function')} closes over a value traced by a "
        "transform outside it, so it has no program of its own to trace or lower (calling it "
        "runs it as it is). Pass that value as an argument."
    )


def _in_types(entry: _Entry) -> list[tuple[tuple[int, ...], np.dtype[Any], bool]]:
    p = entry._program
    if type(p) is _Runner:
        return list(p.packed.invars)
    return [(v.shape, v.dtype, v.weak) for v in p.invars]


def _plain_program(entry: _Entry) -> Program:
    """The entry's program, for a long one rebuilt without keeping it (see _Runner)."""
    p = entry._program
    if type(p) is _Runner:
        return p._program or p.packed.unpack()
    return p


class _Stage:
    """What every stage knows: the cache entry, the arguments' structure and names."""

    __slots__ = ("_entry", "in_tree", "_names", "fun_name")

    def __init__(self, entry: _Entry, in_tree: PyTreeDef, names: list[str], fun_name: str) -> None:
        self._entry = entry
        #: the structure of ``(positional arguments, keyword arguments)``, static ones left out
        self.in_tree = in_tree
        self._names = names
        #: the name of the function
        self.fun_name = fun_name

    @property
    def out_tree(self) -> PyTreeDef:
        """The structure of the result."""
        tree: PyTreeDef = self._entry.out_tree
        return tree

    @property
    def out_info(self) -> Any:
        """The shapes and dtypes of the result: a pytree of `fad.ShapeDtypeStruct`."""
        outs = _plain_program(self._entry).outs
        return tree_unflatten(self._entry.out_tree, [_operand_info(x) for x in outs])

    @property
    def args_info(self) -> Any:
        """The shapes and dtypes of the (non-static) arguments, `(args, kwargs)` of
        `fad.ShapeDtypeStruct`."""
        infos = [ShapeDtypeStruct(s, d, weak_type=w) for s, d, w in _in_types(self._entry)]
        return tree_unflatten(self.in_tree, infos)

    def cost_analysis(self) -> dict[str, Any]:
        """What the compiled code does, counted from its program (no timing, no compiler).

        Returns:
            A dict: `"equations"` (operations run, a staged loop counting as one),
            `"primitives"` (how many of each, by name), `"elementwise ops"` (result
            elements of elementwise (ufunc) operations: one arithmetic operation or
            function evaluation each), `"bytes of results"` (the size of every
            operation's result, a view's too), `"bytes in"` and `"bytes out"` (the
            arguments and results). There is no `"flops"`: fad does not know what a
            matrix product or a reduction costs without asking each primitive, and an
            estimate of some operations only would mislead.
        """
        prog = _plain_program(self._entry)
        eqns = prog.eqns

        def nbytes(x: Operand) -> int:
            shape, dtype = _aval(x)
            return math.prod(shape) * dtype.itemsize

        return {
            "equations": len(eqns),
            "primitives": dict(Counter(e.prim.name for e in eqns).most_common()),
            "elementwise ops": sum(
                math.prod(e.outvars[0].shape) for e in eqns if isinstance(e.prim.impl, np.ufunc)
            ),
            "bytes of results": sum(nbytes(v) for e in eqns for v in e.outvars),
            "bytes in": sum(nbytes(v) for v in prog.invars),
            "bytes out": sum(nbytes(x) for x in prog.outs),
        }


@final
class Traced(_Stage):
    """A jitted function captured for one signature: `jitted.trace(*args)` (JAX's
    `jax.stages.Traced`).

    Attributes:
        jaxpr: The simplified `fad.Program` that the compiled code runs (JAX's jaxpr).
        in_tree: The structure of `(args, kwargs)`, static arguments left out.
        out_tree: The structure of the result.
        out_info: The result's shapes and dtypes (`fad.ShapeDtypeStruct`).
        args_info: The arguments' shapes and dtypes, as `(args, kwargs)`.
        fun_name: The function's name.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> traced = fad.jit(lambda x, y: 2 * x + y).trace(3.0, fnp.ones(2))
        >>> print(traced.jaxpr)
        <lambda>(a:f64~[], b:f64[2]) {
          c:f64[] = mul 2 a
          d:f64[2] = add c b
          return d
        }
        >>> traced.out_info
        ShapeDtypeStruct(shape=(2,), dtype=float64)
    """

    __slots__ = ()

    @property
    def jaxpr(self) -> Program:
        """The simplified program the compiled code runs."""
        return self._entry.program

    def lower(self) -> Lowered:
        """The generated code of the program (`Lowered`); `.compile()` makes it callable."""
        return Lowered(self._entry, self.in_tree, self._names, self.fun_name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the program on arguments of this signature (as `lower().compile()` does)."""
        return self.lower().compile()(*args, **kwargs)


@final
class Lowered(_Stage):
    """A jitted function's generated code for one signature: `jitted.lower(*args)` or
    `jitted.trace(*args).lower()` (JAX's `jax.stages.Lowered`; fad's lowered form is
    Python source calling NumPy, where JAX's is StableHLO).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> lowered = fad.jit(lambda x: fnp.sin(x) * 2.0).lower(fnp.ones(3))
        >>> print(lowered.as_text())
        def _compiled(x1):
            v3 = f2(x1)
            del x1
            v6 = f4(v3, c5, out=v3)
            del v3
            return [v6]
        >>> lowered.compile()(fnp.zeros(3))
        array([0., 0., 0.])
        >>> lowered.cost_analysis()["equations"]
        2
    """

    __slots__ = ()

    def as_text(self, dialect: str | None = None, *, debug_info: bool = False) -> str:
        """The Python source of the compiled code: the functions it defines, NumPy's and
        fad's functions and constants named in its namespace (`f2`, `c5`). A long program
        (thousands of operations) is compiled in chunks here, which it otherwise is after
        some calls; its text is every chunk and the function that calls them in turn.

        Args:
            dialect: Accepted for JAX compatibility: `None` or `"python"`.
            debug_info: Accepted for JAX compatibility and ignored.

        Returns:
            The source, as text.
        """
        del debug_info
        if dialect not in (None, "python"):
            raise ValueError(
                f"fad.jit: the lowered form is Python source; dialect={dialect!r} is not available."
            )
        c: Any = self._entry.compiled
        if type(c) is _Runner:
            c.compile_now()
        source: str = c.source
        return source

    def compile(self) -> Compiled:
        """A function of exactly this signature running the generated code (`Compiled`)."""
        c = self._entry.compiled
        if type(c) is _Runner:  # (ahead of time: compiled now, not after some calls)
            c.compile_now()
        return Compiled(self._entry, self.in_tree, self._names, self.fun_name)


@final
class Compiled(_Stage):
    """A jitted function compiled for one signature: `jitted.lower(*args).compile()` (JAX's
    `jax.stages.Compiled`).

    Call it with the non-static arguments only, of the shapes and dtypes it was lowered for
    (a Python scalar and a 0-d array of the same dtype stand for each other); other
    arguments raise a TypeError naming each difference, where the jitted function would
    compile again. Under a transform (`grad`, `vmap`, `jvp`) it runs its program primitive
    by primitive, as a jitted function does (JAX refuses).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = fad.jit(lambda x, n: x ** n, static_argnums=1)
        >>> compiled = f.lower(fnp.ones(2), 3).compile()
        >>> compiled(fnp.array([1.0, 2.0]))
        array([1., 8.])
        >>> compiled(fnp.ones(3))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: fad.jit: <lambda> was compiled for other argument types:
          x: compiled for float64[2], called with float64[3]
        Call it with arguments of the compiled shapes and dtypes, ...
    """

    __slots__ = ("_types",)

    def __init__(self, entry: _Entry, in_tree: PyTreeDef, names: list[str], fun_name: str) -> None:
        super().__init__(entry, in_tree, names, fun_name)
        self._types = _in_types(entry)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        leaves, tree = tree_flatten((args, kwargs))
        if tree != self.in_tree:
            where = _structure_difference(tree, self.in_tree, self._names, "called with", "compiled for")
            raise TypeError(
                f"fad.jit: {self.fun_name} was compiled for arguments of another structure: {where}. "
                "Pass the arguments it was lowered with, static ones left out (they were fixed then)."
            )
        entry = self._entry
        traced = False
        for k, (x, (shape, dtype, weak)) in enumerate(zip(leaves, self._types, strict=True)):
            v = _conform(x, shape, dtype, weak)
            if v is _ABSENT:
                raise self._type_error(leaves)
            if v is not x:
                leaves[k] = v
            traced = traced or isinstance(v, Tracer)
        outs = entry.program.eval_flat(leaves) if traced else entry.compiled(*leaves)
        return tree_unflatten(entry.out_tree, outs)

    def _type_error(self, leaves: list[Any]) -> TypeError:
        lines = [f"fad.jit: {self.fun_name} was compiled for other argument types:"]
        for name, x, (shape, dtype, weak) in zip(
            _leaf_names(self.in_tree, self._names), leaves, self._types, strict=True
        ):
            if _conform(x, shape, dtype, weak) is _ABSENT:
                lines.append(
                    f"  {name}: compiled for {_type_str(shape, dtype, weak)}, called with {_value_str(x)}"
                )
        lines.append(
            "Call it with arguments of the compiled shapes and dtypes, or call the jitted function, "
            "which compiles for each new signature."
        )
        return TypeError("\n".join(lines))

    def as_text(self) -> str:
        """The Python source of the compiled code (as `Lowered.as_text`)."""
        return Lowered(self._entry, self.in_tree, self._names, self.fun_name).as_text()


def _conform(x: Any, shape: tuple[int, ...], dtype: np.dtype[Any], weak: bool) -> Any:
    """``x`` as compiled code of an input of that type takes it, or ``_ABSENT`` if its type
    differs. A Python scalar and a 0-d array of the same dtype stand for each other (each
    made the one the code was generated for, so that results keep their dtypes)."""
    t = type(x)
    if t in _PY_SCALARS:
        try:
            same = shape == () and np.result_type(x) == dtype
        except (OverflowError, TypeError):
            same = False
        return _ABSENT if not same else x if weak else np.asarray(x, dtype)
    if isinstance(x, Tracer):
        if backend_of(x) is not None:
            raise _not_numpy(x)
        return x if (tuple(x.shape), x.dtype) == (shape, dtype) else _ABSENT
    if not isinstance(x, (np.ndarray, np.generic)):
        if backend_of(x) is not None:
            raise _not_numpy(x)
        x = np.asarray(x)
    if x.shape != shape or x.dtype != dtype:
        return _ABSENT
    return x.item() if weak else x


# -- functions that custom rules and checkpoint wrap --------------------------------------
#
# `custom_jvp`, `custom_vjp` and `checkpoint` (fad._custom) bind one equation holding the
# Python function they wrap (`fun`), whose own derivative rules the program keeps for the
# transforms that later run it (`grad(jit(f))`). Its value needs none of that: under jit the
# function is captured too and compiled, so that it runs as straight-line NumPy rather than
# eagerly at every call. A function that cannot be captured (Python control flow on
# values, which runs eagerly on concrete values) keeps its eager call.


def _emit_inline(gen: _Codegen, e: Eqn, lines: list[str], indent: str) -> None:
    fun = e.params["fun"]
    key = ("inline", id(fun))
    name = gen.interned.get(key)
    if name is None:
        examples = tuple(
            np.asarray(x.value) if type(x) is Const else np.ones(x.shape, x.dtype) for x in e.inputs
        )
        try:
            with _gc_paused():
                prog = simplify(capture(fun, examples, name=e.prim.name, record_source=False))
            inner: Any = compile_program(prog, own=False)
        except Exception:  # noqa: BLE001 - not capturable: the eager call, as before
            inner = functools.partial(e.prim.impl, **e.params)
        name = gen.intern(key, inner, "g")
    outs = []
    for v in e.outvars:
        n = gen.names[v] = gen.fresh("v")
        outs.append(n)
    call = f"{name}({', '.join(gen.operand(x) for x in e.inputs)})"
    lines.append(f"{indent}{', '.join(outs)}, = {call}" if outs else f"{indent}{call}")


for _prim in (custom_jvp_call_p, custom_vjp_call_p, checkpoint_p):
    _prim.emit = _emit_inline
