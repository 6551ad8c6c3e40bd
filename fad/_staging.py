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

import numpy as np

from fad._core import Trace, Tracer, TracerConversionError, bind
from fad._tree import tree_flatten, tree_unflatten


class ConcretizationError(TracerConversionError):
    """A staged (abstract) value was needed as a concrete Python value."""


class ForeignTracerError(Exception):
    """Capture met a value traced by a transform outside the staged function (a closure)."""


# ------------------------------------------------------------------------ variables


class Var:
    """A variable of a program: an abstract array (shape and dtype)."""

    __slots__ = ("shape", "dtype", "weak", "__weakref__")

    def __init__(self, shape, dtype, weak=False):
        self.shape = shape  # a tuple
        self.dtype = dtype  # a numpy.dtype
        self.weak = weak  # a Python scalar input (NumPy's weak promotion applies)

    @property
    def aval(self):
        return _aval_str(self.shape, self.dtype, self.weak)

    def __repr__(self):
        return f"Var({self.aval})"


class Const:
    """A constant operand: a literal Python scalar or a (folded) NumPy array."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    @property
    def shape(self):
        return np.shape(self.value)

    @property
    def dtype(self):
        return np.result_type(self.value)

    def is_scalar_literal(self):
        return np.ndim(self.value) == 0

    def __repr__(self):
        return f"Const({self.value!r})"


class Eqn:
    """One equation ``outvars = prim[params](inputs)`` with where it came from."""

    __slots__ = ("prim", "inputs", "params", "outvars", "source")

    def __init__(self, prim, inputs, params, outvars, source=None):
        self.prim = prim
        self.inputs = inputs
        self.params = params
        self.outvars = outvars
        self.source = source


_DTYPE_SHORT = {
    "float64": "f64",
    "float32": "f32",
    "float16": "f16",
    "int64": "i64",
    "int32": "i32",
    "bool": "bool",
    "complex128": "c128",
    "complex64": "c64",
    "uint8": "u8",
    "int8": "i8",
}


def _aval_str(shape, dtype, weak=False):
    name = _DTYPE_SHORT.get(np.dtype(dtype).name, np.dtype(dtype).name)
    return f"{name}{'~' if weak else ''}[{','.join(map(str, shape))}]"


# ---------------------------------------------------------------------- the trace


class StagingTracer(Tracer):
    __slots__ = ("var", "val")

    def __init__(self, trace, var, val):
        self._trace = trace
        self.var = var
        self.val = val  # the example value (used for shapes; never for control flow)

    def _value(self):
        return self.val

    @property
    def shape(self):
        return self.var.shape

    @property
    def dtype(self):
        return self.var.dtype

    def _no_conversion(self, what, fix):
        self._concrete(what)

    def _concrete(self, what):
        what = what if what.endswith(")") else f"{what}()"
        raise ConcretizationError(
            f"{what} needs the value of an argument of the staged function (shape "
            f"{self.shape}, dtype {self.dtype}), but fad.{self._trace.name} captures a program "
            "that must hold for every input of the same shapes and dtypes. Make the control "
            "flow not depend on array values (fad.numpy.where, fad.lax.cond), or mark the "
            "argument static (static_argnums=...)."
        )


_FAD_DIR = os.path.dirname(os.path.abspath(__file__))
_IN_FAD: dict = {}  # code file name -> whether it is one of fad's own files


def _in_fad(filename):
    inside = _IN_FAD.get(filename)
    if inside is None:
        inside = _IN_FAD[filename] = os.path.abspath(filename).startswith(_FAD_DIR)
    return inside


def _user_frame(depth):
    """``(file, line)`` of the innermost frame outside fad, from ``depth`` frames up."""
    f = sys._getframe(depth + 1)
    while f is not None:
        fn = f.f_code.co_filename
        if not _in_fad(fn):
            return fn, f.f_lineno
        f = f.f_back
    return None


def _source_str(where):
    """``file:line`` of an equation's ``source`` (a ``(file, line)`` pair or None)."""
    if where is None or type(where) is str:
        return where
    return f"{os.path.basename(where[0])}:{where[1]}"


def _user_source():
    """``file:line`` of the innermost frame outside fad (the user's code)."""
    return _source_str(_user_frame(2))


class StagingTrace(Trace):
    __slots__ = ("eqns", "record_source", "_strong")

    def __init__(self, parent, name, record_source=True):
        super().__init__(parent, name)
        self.eqns = []
        self.record_source = record_source
        self._strong = {}  # weak input Var -> its 0-d array tracer (see _as_arrays)

    def new_input(self, val):
        weak = type(val) in (int, float, bool, complex)
        shape, dtype = (np.shape(val), np.result_type(val)) if weak else (val.shape, val.dtype)
        return StagingTracer(self, Var(shape, dtype, weak), val)

    def process(self, prim, args, params):
        ins = []
        vals = []
        ours = weak = False
        for a in args:
            if type(a) is StagingTracer and a._trace is self:
                v = a.var
                ins.append(v)
                vals.append(a.val)
                ours = True
                if v.weak:
                    weak = True
            elif isinstance(a, Tracer):
                raise ForeignTracerError(prim.name)
            else:
                ins.append(Const(a))
                vals.append(a)
        if not ours:
            return self.parent.process(prim, vals, params)  # constants only: folded now
        if weak and not isinstance(prim.impl, np.ufunc):
            try:
                out = self.parent.process(prim, vals, params)
            except (TypeError, AttributeError):  # it needs arrays: see _as_arrays
                ins, vals = self._as_arrays(ins, vals)
                out = self.parent.process(prim, vals, params)
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

    def _as_arrays(self, ins, vals):
        """A Python-scalar input is a weak 0-d array: NumPy's ufuncs take it as the Python
        scalar (so ``float32_array * s`` stays float32), but an operation that indexes or
        asks for array methods needs a real 0-d array. This records the conversion once per
        input (``astype`` to the scalar's own dtype, as ``numpy.asarray`` gives it) and
        returns the operands with the converted values."""
        from fad._prims.structural import astype_p

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


_SHAPES: dict = {}  # one tuple object per shape seen: programs hold many equal shapes


def _out_var(o):
    if type(o) is np.ndarray or isinstance(o, np.generic):
        shape = o.shape
        return Var(_SHAPES.setdefault(shape, shape), o.dtype)
    shape = np.shape(o)
    return Var(_SHAPES.setdefault(shape, shape), np.result_type(o))


# ---------------------------------------------------------------------- programs


class Program:
    """A captured computation: inputs, equations, outputs (see :func:`make_program`).

    Calling it evaluates the equations with fad primitives, so a Program can itself be
    differentiated and batched. ``simplify()`` returns a cleaned-up copy; ``to_dot()``
    renders it for Graphviz; ``str()`` prints it as a Wengert list.
    """

    def __init__(self, invars, eqns, outs, in_tree, out_tree, name="program"):
        self.invars = list(invars)
        self.eqns = list(eqns)
        self.outs = list(outs)
        self.in_tree = in_tree
        self.out_tree = out_tree
        self.name = name
        self.show_source = False

    # -- running ---------------------------------------------------------------------
    def eval_flat(self, flat_args):
        """Evaluate on flat arguments with ``bind`` (so under any transform)."""
        env = {}
        for v, a in zip(self.invars, flat_args, strict=True):
            env[v] = a
        for e in self.eqns:
            args = [env[x] if type(x) is Var else x.value for x in e.inputs]
            out = bind(e.prim, *args, **e.params)
            if e.prim.multiple_results:
                for v, o in zip(e.outvars, out, strict=True):
                    env[v] = o
            else:
                env[e.outvars[0]] = out
        # a constant result is the caller's to change: a copy, so the program's stays intact
        return [env[x] if type(x) is Var else _fresh(x.value) for x in self.outs]

    def __call__(self, *args):
        flat, tree = tree_flatten(args)
        if tree != self.in_tree:
            raise TypeError(f"This program takes arguments of structure {self.in_tree}, got {tree}.")
        return tree_unflatten(self.out_tree, self.eval_flat(flat))

    # -- passes ----------------------------------------------------------------------
    def simplify(self):
        """A copy after dead-code elimination, common-subexpression elimination,
        constant folding and algebraic clean-ups (``x*1``, ``x+0``, ...)."""
        from fad._passes import simplify

        return simplify(self)

    # -- printing --------------------------------------------------------------------
    def __len__(self):
        return len(self.eqns)

    def pretty(self, source=False):
        names = _Namer()
        consts = []

        def operand(x):
            if type(x) is Var:
                return names(x)
            v = x.value
            if np.ndim(v) == 0:
                return _literal(v)
            if np.size(v) <= 4:
                return np.array2string(np.asarray(v), separator=",").replace("\n", "")
            consts.append(x)
            return f"const{len(consts) - 1}:{_aval_str(np.shape(v), np.result_type(v))}"

        ins = ", ".join(f"{names(v)}:{v.aval}" for v in self.invars)
        body = []
        for e in self.eqns:
            lhs = " ".join(f"{names(v)}:{v.aval}" for v in e.outvars)
            params = _params_str(e.params)
            rhs = f"{e.prim.name}{params} " + " ".join(operand(x) for x in e.inputs)
            line = f"  {lhs} = {rhs}"
            if source and e.source:
                line = f"{line:<60} # {_source_str(e.source)}"
            body.append(line)
        outs = ", ".join(operand(x) for x in self.outs)
        return "\n".join([f"{self.name}({ins}) {{", *body, f"  return {outs}", "}"])

    def __str__(self):
        return self.pretty(self.show_source)

    def __repr__(self):
        return self.pretty(self.show_source)

    def to_dot(self, name=None):
        """The program as a Graphviz ``digraph`` (inputs, one node per equation, outputs)."""
        names = _Namer()
        lines = [f'digraph "{name or self.name}" {{', "  rankdir=LR;", '  node [fontname="Helvetica"];']
        for v in self.invars:
            style = 'style=filled, fillcolor="#cde4ff"'
            lines.append(f'  {names(v)} [shape=ellipse, {style}, label="{names(v)}\\n{v.aval}"];')
        const_id = 0
        for i, e in enumerate(self.eqns):
            node = f"eq{i}"
            label = e.prim.name + _params_str(e.params).replace('"', "'")
            lines.append(f'  {node} [shape=box, style=rounded, label="{label}"];')
            for x in e.inputs:
                if type(x) is Var:
                    lines.append(f"  {names(x)} -> {node};")
                else:
                    c = f"c{const_id}"
                    const_id += 1
                    lines.append(f'  {c} [shape=plaintext, label="{_const_label(x.value)}"];')
                    lines.append(f"  {c} -> {node};")
            for v in e.outvars:
                lines.append(f'  {names(v)} [shape=ellipse, label="{names(v)}\\n{v.aval}"];')
                lines.append(f"  {node} -> {names(v)};")
        for k, x in enumerate(self.outs):
            if type(x) is Var:
                lines.append(f'  out{k} [shape=doublecircle, label="out {k}"];')
                lines.append(f"  {names(x)} -> out{k};")
        lines.append("}")
        return "\n".join(lines)


def _fresh(v):
    return v.copy() if isinstance(v, np.ndarray) else v


def _const_label(v):
    return _literal(v) if np.ndim(v) == 0 else f"const {_aval_str(np.shape(v), np.result_type(v))}"


def _literal(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(np.asarray(v).real)
    return repr(f) if np.isfinite(f) else str(f)


def _params_str(params):
    if not params:
        return ""
    parts = []
    for k, v in params.items():
        if callable(v):
            v = getattr(v, "__name__", "fn")
        elif isinstance(v, np.dtype):
            v = v.name
        parts.append(f"{k}={v}")
    return "[" + ", ".join(parts) + "]"


class _Namer:
    """Names variables a, b, ..., z, ba, bb, ... in order of first appearance."""

    def __init__(self):
        self.names = {}

    def __call__(self, v):
        n = self.names.get(v)
        if n is None:
            i = len(self.names)
            s = ""
            while True:
                s = chr(ord("a") + i % 26) + s
                i //= 26
                if i == 0:
                    break
            n = self.names[v] = s
        return n


# ---------------------------------------------------------------------- capture


def capture(
    fun,
    args,
    kwargs=None,
    static_argnums=(),
    name="program",
    record_source=True,
    weak_scalars=True,
    transform="jit",
):
    """Run ``fun(*args)`` under a fresh StagingTrace; return the Program (unsimplified).

    ``static_argnums`` arguments are closed over (not inputs); the others are flattened
    into the program's inputs.
    """
    from fad._core import _state

    static = set(static_argnums)
    dyn = tuple(a for i, a in enumerate(args) if i not in static)
    flat, in_tree = tree_flatten(dyn)
    trace = StagingTrace(_state.trace, transform, record_source)
    if not weak_scalars:  # Python numbers become arrays, as the transforms make them
        flat = [np.asarray(x) if type(x) in (int, float, bool, complex) else x for x in flat]
    ins = [trace.new_input(_example_value(x)) for x in flat]

    def call(*dyn_args):
        it = iter(dyn_args)
        full = [args[i] if i in static else next(it) for i in range(len(args))]
        return fun(*full, **(kwargs or {}))

    st = _state
    prev = st.trace
    st.trace = trace
    try:
        # the example values may meet NaNs and infinities: capture says nothing about them
        # (the program runs later, under the caller's error state)
        with np.errstate(all="ignore"):
            out = call(*tree_unflatten(in_tree, ins))
    finally:
        st.trace = prev
        trace.alive = False
    out_flat, out_tree = tree_flatten(out)
    outs = []
    for o in out_flat:
        if type(o) is StagingTracer and o._trace is trace:
            outs.append(o.var)
        elif isinstance(o, Tracer):
            raise ForeignTracerError("output")
        else:
            outs.append(Const(o))
    return Program([t.var for t in ins], trace.eqns, outs, in_tree, out_tree, name)


@contextlib.contextmanager
def _gc_paused():
    """Python's cycle collector off while a program is built: capture allocates a few
    objects per operation and none of them is garbage, so each collection would only walk
    the growing program (a third of the time of a long capture)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _example_value(x):
    """A concrete example of a (possibly traced) leaf, of the leaf's own shape."""
    from fad._jvp import JVPTracer
    from fad._vjp import VJPTracer
    from fad._vmap import BatchTracer

    if type(x) in (int, float, bool, complex):
        return x
    if isinstance(x, (JVPTracer, VJPTracer)):
        return _example_value(x.primal)
    if isinstance(x, BatchTracer):
        return np.asarray(_example_value(x.val))[0]
    if isinstance(x, StagingTracer):
        return x.val
    if isinstance(x, Tracer):
        raise TypeError(f"cannot stage a value traced by {x._trace.name}")
    arr = np.asarray(x)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"fad can only stage numeric arrays, got dtype {arr.dtype}.")
    return arr


def make_program(fun, static_argnums=(), source=False):
    """Capture ``fun`` as a :class:`Program` on example arguments.

    ``make_program(f)(*args)`` runs ``f`` once, recording one equation per primitive. It
    captures any composition of transforms: the program of ``grad(f)`` shows the forward
    trace and the adjoint trace. The result is simplified (see ``Program.simplify``); pass
    ``source=True`` to print each equation with the user's source line.

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

    def maker(*args, **kwargs):
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
            prog = prog.simplify()
        prog.name = "program"
        prog.show_source = source
        return prog

    return maker
