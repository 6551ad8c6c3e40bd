"""Staging: capture a computation as a Program (a Wengert list) instead of running it.

A :class:`StagingTrace` sits at the bottom of the trace chain. Every primitive applied to
one of its values is evaluated on the example value (so shapes and dtypes are exact) and
appended to its list of equations ``v3 = mul v1 v2``. Operations on constants alone are
evaluated on the spot (constant folding). Transforms running above the staging trace are
captured too: the program of ``grad(f)`` holds the forward (primal) trace followed by the
adjoint trace.

Python control flow that depends on a staged value cannot be captured (the program must
hold for every input of the same shapes and dtypes): it raises
:class:`ConcretizationError`. Mark such arguments static instead.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from fad import _fpe
from fad._core import BOTTOM, EVAL, Trace, Tracer, TracerConversionError, _state
from fad._passes import simplify
from fad._prims import astype_p
from fad._program import Const, Eqn, Program, Var, _source_str
from fad._tree import leaf_path_str, tree_flatten, tree_unflatten

if TYPE_CHECKING:
    from fad._core import Primitive


class ConcretizationError(TracerConversionError):
    """A staged (abstract) value was needed as a concrete Python value."""


class ForeignTracerError(Exception):
    """Capture met a value traced by a transform outside the staged function (a closure)."""


# ---------------------------------------------------------------------- the trace


class StagingTracer(Tracer):
    __slots__ = ("var", "val", "shape", "dtype")  # (the var's, as slots: read by every rule)

    def __init__(self, trace: StagingTrace, var: Var, val: Any) -> None:
        self._trace = trace
        self.var = var
        self.val = val  # the example value (used for shapes; never for control flow)
        self.shape = var.shape
        self.dtype = var.dtype

    def _value(self) -> Any:
        return self.val

    def _no_conversion(self, what: str, fix: str) -> NoReturn:
        self._concrete(what)

    def _concrete(self, what: str) -> NoReturn:
        what = what if what.endswith(")") else f"{what}()"
        raise ConcretizationError(
            f"{what} needs the value of an argument of the staged function (shape "
            f"{self.shape}, dtype {self.dtype}), but fad.{self._trace.name} captures a program "
            "that must hold for every input of the same shapes and dtypes. Make the control "
            "flow not depend on array values (fad.numpy.where, fad.lax.cond), or mark the "
            "argument static (static_argnums=...)."
        )


_FAD_DIR = os.path.dirname(os.path.abspath(__file__))
_IN_FAD: dict[str, bool] = {}  # code file name -> whether it is one of fad's own files


def _in_fad(filename: str) -> bool:
    inside = _IN_FAD.get(filename)
    if inside is None:
        inside = _IN_FAD[filename] = os.path.abspath(filename).startswith(_FAD_DIR)
    return inside


def _user_frame(depth: int) -> tuple[str, int] | None:
    """``(file, line)`` of the innermost frame outside fad, from ``depth`` frames up."""
    f: FrameType | None = sys._getframe(depth + 1)
    while f is not None:
        fn = f.f_code.co_filename
        if not _in_fad(fn):
            return fn, f.f_lineno
        f = f.f_back
    return None


def _user_source() -> str | None:
    """``file:line`` of the innermost frame outside fad (the user's code)."""
    return _source_str(_user_frame(2))


class StagingTrace(Trace):
    __slots__ = ("eqns", "record_source", "_strong", "lifted", "stages", "direct")

    def __init__(
        self,
        parent: Trace | None,
        name: str,
        record_source: bool = True,
        lift: bool = False,
        stage_loops: bool = True,
    ) -> None:
        super().__init__(parent, name)
        # at the bottom of the chain, an example value is the primitive's impl on concrete
        # values (the evaluation trace would only add its checks and NumPy's warning state,
        # which capture silences anyway)
        self.direct = parent is EVAL or parent is BOTTOM
        self.stages = stage_loops  # asked by staging_below(): fad.lax stages its loops
        self.eqns: list[Eqn] = []
        self.record_source = record_source
        self._strong: dict[Var, tuple[Var, Any]] = {}  # weak input Var -> its 0-d array (_as_arrays)
        # lift=True (a loop body, fad._loops): a value traced outside becomes an input of
        # the program: id -> (value, Var, example), in order of first use
        self.lifted: dict[int, tuple[Any, Var, Any]] | None = {} if lift else None

    def lift(self, x: Any) -> tuple[Var, Any]:
        """The input Var and example value standing for the outside value ``x`` (only a
        trace made with ``lift=True`` is asked)."""
        lifted: dict[int, tuple[Any, Var, Any]] = self.lifted  # type: ignore[assignment]
        hit = lifted.get(id(x))
        if hit is None:
            ex = _example_value(x)
            hit = lifted[id(x)] = (x, _out_var(ex), ex)

        return hit[1], hit[2]

    def new_input(self, val: Any) -> StagingTracer:
        weak = type(val) in (int, float, bool, complex)
        shape, dtype = (np.shape(val), np.result_type(val)) if weak else (val.shape, val.dtype)
        return StagingTracer(self, Var(shape, dtype, weak), val)

    def process(self, prim: Primitive, args: Sequence[Any], params: dict[str, Any]) -> Any:
        ins: list[Any] = []
        vals: list[Any] = []
        ours = weak = foreign = False
        for a in args:
            if type(a) is StagingTracer and a._trace is self:
                v = a.var
                ins.append(v)
                vals.append(a.val)
                ours = True
                if v.weak:
                    weak = True
            elif isinstance(a, Tracer):
                if self.lifted is None:
                    raise ForeignTracerError(prim.name)
                ins.append(None)
                vals.append(a)
                foreign = True
            else:
                ins.append(Const(a))
                vals.append(a)
        effectful = getattr(prim, "effectful", False)  # (fad.debug: recorded, and evaluated by no one)
        if (
            not ours and not effectful
        ):  # constants only: folded now (outside values: computed outside the loop)
            return self.parent.process(prim, vals, params)
        if foreign:
            for k, x in enumerate(ins):
                if x is None:
                    ins[k], vals[k] = self.lift(vals[k])
        if effectful:  # (its example value: the token its impl returns while a program is captured)
            out = prim.impl(*vals, **params)
        elif weak and not prim.takes_scalars:
            try:
                out = self.parent.process(prim, vals, params)
            except (TypeError, AttributeError):  # it needs arrays: see _as_arrays
                ins, vals = self._as_arrays(ins, vals)
                out = self.parent.process(prim, vals, params)
        elif self.direct:
            out = prim.impl(*vals, **params)
        else:
            out = self.parent.process(prim, vals, params)
        src = _user_frame(1) if self.record_source else None
        if prim.multiple_results:
            outvars = [_out_var(o) for o in out]
            self.eqns.append(Eqn(prim, ins, params, outvars, src))
            return tuple(StagingTracer(self, v, o) for v, o in zip(outvars, out, strict=True))
        var = _out_var(out)
        self.eqns.append(Eqn(prim, ins, params, [var], src))
        return StagingTracer(self, var, out)

    def _as_arrays(self, ins: list[Any], vals: list[Any]) -> tuple[list[Any], list[Any]]:
        """A Python-scalar input is a weak 0-d array: NumPy's ufuncs take it as the Python
        scalar (so ``float32_array * s`` stays float32), but an operation that indexes or
        asks for array methods needs a real 0-d array. This records the conversion once per
        input (``astype`` to the scalar's own dtype, as ``numpy.asarray`` gives it) and
        returns the operands with the converted values."""
        ins, vals = list(ins), list(vals)
        for k, v in enumerate(ins):
            if type(v) is Var and v.weak:
                strong = self._strong.get(v)
                if strong is None:
                    val = astype_p.impl(vals[k], dtype=v.dtype)
                    strong = self._strong[v] = (Var(v.shape, v.dtype), val)
                    self.eqns.append(Eqn(astype_p, [v], {"dtype": v.dtype}, [strong[0]], None))
                ins[k], vals[k] = strong
        return ins, vals


_SHAPES: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple object per shape seen


def _out_var(o: Any) -> Var:
    if type(o) is np.ndarray or isinstance(o, np.generic):
        shape = o.shape
        return Var(_SHAPES.setdefault(shape, shape), o.dtype)
    shape = np.shape(o)
    return Var(_SHAPES.setdefault(shape, shape), np.result_type(o))


def staging_below() -> bool:
    """Whether a trace below the current one records a program (jit, make_program, ...).

    Returns:
        True when an enclosing `jit` or `make_program` is capturing.
    """
    t = _state.trace
    while t is not None:
        if getattr(t, "stages", False):
            return True
        t = t.parent
    return False


# ---------------------------------------------------------------------- capture


def capture(
    fun: Callable[..., Any],
    args: Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    static_argnums: Iterable[int] = (),
    name: str = "program",
    record_source: bool = True,
    weak_scalars: bool = True,
    transform: str = "jit",
    stage_loops: bool = True,
) -> Program:
    """Run `fun(*args)` under a fresh staging trace and return its program, unsimplified.

    Args:
        fun: The function to capture.
        args: Its example arguments.
        kwargs: Its keyword arguments (closed over, not inputs).
        static_argnums: Positions of arguments closed over (not inputs); the others are
            flattened into the program's inputs.
        name: The program's name.
        record_source: Whether each equation records the user's line that applied it.
        weak_scalars: Whether a Python number is an input of its own (NumPy's rule for
            Python scalars applies to it) rather than a 0-d array.
        transform: The name errors give the capture (`jit`, `make_program`).
        stage_loops: Whether `fad.lax` loops are staged as one equation; with False a loop
            whose trip count is known runs as a Python loop (unrolled into the program).

    Returns:
        The captured `Program`.
    """
    static = set(static_argnums)
    dyn = tuple(a for i, a in enumerate(args) if i not in static)
    flat, in_tree = tree_flatten(dyn)
    trace = StagingTrace(_state.trace, transform, record_source, stage_loops=stage_loops)
    if not weak_scalars:  # Python numbers become arrays, as the transforms make them
        flat = [np.asarray(x) if type(x) in (int, float, bool, complex) else x for x in flat]
    try:
        ins = [trace.new_input(_example_value(x)) for x in flat]
    except TypeError:
        k = next(k for k, x in enumerate(flat) if _unstageable(x))
        where = leaf_path_str(in_tree, k) or "[0]"
        raise TypeError(
            f"fad.{transform}: the argument at {where} (of the traced arguments, in order) is a "
            f"{type(flat[k]).__name__}, not an array or a number, so it cannot be traced. Mark "
            "that argument static (static_argnums=, static_argnames=), or make its class a "
            "pytree (fad.tree_util.register_pytree_node_class or register_dataclass) so that "
            "the arrays inside it are traced."
        ) from None

    def call(*dyn_args: Any) -> Any:
        it = iter(dyn_args)
        full = [args[i] if i in static else next(it) for i in range(len(args))]
        return fun(*full, **(kwargs or {}))

    st = _state
    prev = st.trace
    st.trace = trace
    try:
        # the example values may meet NaNs and infinities: capture says nothing about them
        # (the program runs later, under the caller's error state)
        with _fpe.quiet():
            out = call(*tree_unflatten(in_tree, ins))
    finally:
        st.trace = prev
        trace.alive = False
    out_flat, out_tree = tree_flatten(out)
    outs: list[Var | Const] = []
    for o in out_flat:
        if type(o) is StagingTracer and o._trace is trace:
            outs.append(o.var)
        elif isinstance(o, Tracer):
            raise ForeignTracerError("output")
        else:
            outs.append(Const(o))
    return Program([t.var for t in ins], trace.eqns, outs, in_tree, out_tree, name)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cycle collector off while a program is built: capture allocates a few
    objects per operation and none of them is garbage, so each collection would only walk
    the growing program (a third of the time of a long capture). fad does not freeze the
    objects afterwards (``gc.freeze`` would also keep the user's cycles from being
    collected); what ``jit`` keeps of a long program is a few flat lists (``_Runner`` in
    fad._jit), which later collections walk quickly."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _unstageable(x: Any) -> bool:
    try:
        _example_value(x)
    except TypeError:
        return True
    return False


def _example_value(x: Any) -> Any:
    """A concrete example of a (possibly traced) leaf, of the leaf's own shape (every
    tracer knows its own: ``Tracer._example``)."""
    if type(x) in (int, float, bool, complex):
        return x
    if isinstance(x, Tracer):
        return x._example()
    arr = np.asarray(x)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"fad can only stage numeric arrays, got dtype {arr.dtype}.")
    return arr


def make_program(
    fun: Callable[..., Any], static_argnums: int | Sequence[int] = (), source: bool = False
) -> Callable[..., Program]:
    """Capture `fun` as a `fad.Program` (a Wengert list) on example arguments.

    `make_program(f)(*args)` runs `f` once, recording one equation per primitive. It
    captures any composition of transforms: the program of `grad(f)` shows the forward
    trace and the adjoint trace. The result is simplified (dead code, common
    subexpressions and exact algebraic clean-ups removed).

    Args:
        fun: The function to capture.
        static_argnums: Positions of arguments that are not traced (closed over, so Python
            may branch on them).
        source: Whether printing the program shows, for each equation, the line of your
            code that applied it.

    Returns:
        A function of the same arguments as `fun` returning its `fad.Program`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = lambda x1, x2: x1 * x2 + fnp.sin(x1)
        >>> print(fad.make_program(f)(2.0, 3.0))
        program(a:f64[], b:f64[]) {
          c:f64[] = mul a b
          d:f64[] = sin a
          e:f64[] = add c d
          return e
        }
        >>> print(fad.make_program(fad.grad(f, argnums=(0, 1)))(2.0, 3.0))
        program(a:f64[], b:f64[]) {
          c:f64[] = cos a
          d:f64[] = add c b
          return d, a
        }
    """
    static = tuple(static_argnums) if not isinstance(static_argnums, int) else (static_argnums,)

    def maker(*args: Any, **kwargs: Any) -> Program:
        with _gc_paused():
            prog = capture(
                fun,
                args,
                kwargs,
                static,
                "program",
                record_source=True,
                weak_scalars=False,
                transform="make_program",
            )
            prog = simplify(prog)
        prog.name = "program"
        prog.show_source = source
        return prog

    return maker
