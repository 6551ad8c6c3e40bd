"""The program IR: variables, constants, equations and :class:`Program` (a Wengert list).

Capture (``fad._staging``) builds programs, simplification (``fad._passes``) rewrites them
and code generation (``fad._jit``) compiles them; all three depend on this module, none on
each other's internals. A Program is evaluated with ``bind``, so it can itself be
differentiated and batched.
"""

from __future__ import annotations

import os

import numpy as np

from fad._core import bind
from fad._tree import tree_flatten, tree_unflatten

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


def _source_str(where):
    """``file:line`` of an equation's ``source`` (a ``(file, line)`` pair or None)."""
    if where is None or type(where) is str:
        return where
    return f"{os.path.basename(where[0])}:{where[1]}"


# ---------------------------------------------------------------------- programs


class Program:
    """A captured computation: inputs, equations, outputs (see :func:`make_program`).

    Calling it evaluates the equations with fad primitives, so a Program can itself be
    differentiated and batched (``fad._passes.simplify`` returns a cleaned-up copy);
    ``to_dot()`` renders it for Graphviz; ``str()`` prints it as a Wengert list.
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
            for v in e.params.values():  # a loop's body: printed below it, indented
                if type(v) is Program:
                    body.extend("    " + s for s in v.pretty(source).splitlines())
        outs = ", ".join(operand(x) for x in self.outs)
        return "\n".join([f"{self.name}({ins}) {{", *body, f"  return {outs}", "}"])

    def __str__(self):
        return self.pretty(self.show_source)

    def __repr__(self):
        return self.pretty(self.show_source)

    def to_graphviz(self, name=None):
        """The program as a ``graphviz.Digraph``: inputs in blue, one box per equation,
        literal constants as plain labels, outputs as double circles.

        Needs the ``graphviz`` package (``pip install "fad-autodiff[graph]"``), which does the
        quoting; drawing it (``.render()``, or a notebook's display) also needs Graphviz's
        ``dot`` program (e.g. ``apt-get install graphviz``).
        """
        graphviz = _graphviz()
        g = graphviz.Digraph(name or self.name, graph_attr={"rankdir": "LR"})
        g.attr("node", fontname="Helvetica")
        names = _Namer()
        for v in self.invars:
            g.node(names(v), f"{names(v)}\\n{v.aval}", shape="ellipse", style="filled", fillcolor="#cde4ff")
        const_id = 0
        for i, e in enumerate(self.eqns):
            node = f"eq{i}"
            g.node(node, e.prim.name + _params_str(e.params), shape="box", style="rounded")
            for x in e.inputs:
                if type(x) is Var:
                    g.edge(names(x), node)
                else:
                    c = f"c{const_id}"
                    const_id += 1
                    g.node(c, _const_label(x.value), shape="plaintext")
                    g.edge(c, node)
            for v in e.outvars:
                g.node(names(v), f"{names(v)}\\n{v.aval}", shape="ellipse")
                g.edge(node, names(v))
        for k, x in enumerate(self.outs):
            if type(x) is Var:
                g.node(f"out{k}", f"out {k}", shape="doublecircle")
                g.edge(names(x), f"out{k}")
        return g

    def to_dot(self, name=None):
        """The program in Graphviz's DOT language (the source of :meth:`to_graphviz`)."""
        return self.to_graphviz(name).source

    def _repr_mimebundle_(self, include=None, exclude=None):
        """A notebook shows the program as a graph (SVG) where the ``graphviz`` package and
        Graphviz's ``dot`` are installed, and as its Wengert list otherwise."""
        bundle = {"text/plain": str(self)}
        svg = self._repr_svg_()
        if svg is not None:
            bundle["image/svg+xml"] = svg
        return bundle

    def _repr_svg_(self):
        try:
            return self.to_graphviz().pipe(format="svg", encoding="utf-8")
        except (ImportError, OSError, RuntimeError):  # no graphviz package, or no dot to draw with
            return None


def _graphviz():
    """The optional ``graphviz`` package, imported on first use (fad never needs it)."""
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            'drawing a program needs the graphviz package: pip install "fad-autodiff[graph]" '
            "(and Graphviz's dot program to render it, e.g. apt-get install graphviz)"
        ) from None
    return graphviz


def _fresh(v):
    return v.copy() if isinstance(v, np.ndarray) else v


def _const_label(v):
    return _literal(v) if np.ndim(v) == 0 else f"const {_aval_str(np.shape(v), np.result_type(v))}"


def _literal(v):
    kind = np.result_type(v).kind if isinstance(v, np.ndarray) else None
    if isinstance(v, (bool, np.bool_)) or kind == "b":
        return str(bool(v))
    if isinstance(v, (int, np.integer)) or kind in ("i", "u"):
        return str(int(v))
    f = float(np.asarray(v).real)
    return repr(f) if np.isfinite(f) else str(f)


def _params_str(params):
    if not params:
        return ""
    parts = []
    for k, v in params.items():
        if type(v) is Program:
            v = f"{{{v.name}}}"
        elif callable(v):
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
