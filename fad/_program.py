"""The program IR: variables, constants, equations and :class:`Program` (a Wengert list).

Capture (``fad._staging``) builds programs, simplification (``fad._passes``) rewrites them
and code generation (``fad._jit``) compiles them; all three depend on this module, none on
each other's internals. A Program is evaluated with ``bind``, so it can itself be
differentiated and batched.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, final

import numpy as np

from fad._core import bind
from fad._tree import tree_flatten, tree_unflatten

if TYPE_CHECKING:
    from fad._core import Primitive

#: where an equation came from: ``(file, line)``, a ``"file:line"`` string, or unknown
Source = tuple[str, int] | str | None

# ------------------------------------------------------------------------ variables


@final
class Var:
    """A variable of a program: an abstract array (shape and dtype)."""

    __slots__ = ("shape", "dtype", "weak", "__weakref__")

    def __init__(self, shape: tuple[int, ...], dtype: np.dtype[Any], weak: bool = False) -> None:
        self.shape = shape  # a tuple
        self.dtype = dtype  # a numpy.dtype
        self.weak = weak  # a Python scalar input (NumPy's weak promotion applies)

    @property
    def aval(self) -> str:
        return _aval_str(self.shape, self.dtype, self.weak)

    def __repr__(self) -> str:
        return f"Var({self.aval})"


@final
class Const:
    """A constant operand: a literal Python scalar or a (folded) NumPy array."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.value)

    @property
    def dtype(self) -> np.dtype[Any]:
        return np.result_type(self.value)

    def is_scalar_literal(self) -> bool:
        return np.ndim(self.value) == 0

    def __repr__(self) -> str:
        return f"Const({self.value!r})"


class Eqn:
    """One equation ``outvars = prim[params](inputs)`` with where it came from."""

    __slots__ = ("prim", "inputs", "params", "outvars", "source")

    def __init__(
        self,
        prim: Primitive,
        inputs: list[Var | Const],
        params: dict[str, Any],
        outvars: list[Var],
        source: Source = None,
    ) -> None:
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


def _aval_str(shape: tuple[int, ...], dtype: Any, weak: bool = False) -> str:
    name = _DTYPE_SHORT.get(np.dtype(dtype).name, np.dtype(dtype).name)
    return f"{name}{'~' if weak else ''}[{','.join(map(str, shape))}]"


def _source_str(where: Source) -> str | None:
    """``file:line`` of an equation's ``source`` (a ``(file, line)`` pair or None)."""
    if where is None or type(where) is str:
        return where
    return f"{os.path.basename(where[0])}:{where[1]}"


# ---------------------------------------------------------------------- programs


class Program:
    """A captured computation: inputs, equations, outputs (see `fad.make_program`).

    Calling it evaluates the equations with fad primitives, so a Program can itself be
    differentiated and batched; `to_dot()` renders it for Graphviz; `str()` prints it as a
    Wengert list. Programs are made by `fad.make_program` and `fad.jit`, not by hand.

    Attributes:
        invars: The input variables, one per array leaf of the arguments.
        eqns: The equations, in order: each applies a primitive to variables and constants.
        outs: The output variables (or constants), one per array leaf of the result.
        in_tree: The structure of the arguments (a `PyTreeDef`), or None.
        out_tree: The structure of the result (a `PyTreeDef`), or None.
        name: The captured function's name, shown when the program is printed.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> p = fad.make_program(lambda x: fnp.sin(x) * 2.0)(1.0)
        >>> len(p), p(0.0)
        (2, np.float64(0.0))
    """

    _loop_fn: Callable[..., list[Any]]  # (a loop's body, compiled once: fad._loops)

    def __init__(
        self,
        invars: Iterable[Var],
        eqns: Iterable[Eqn],
        outs: Iterable[Var | Const],
        in_tree: Any,
        out_tree: Any,
        name: str = "program",
    ) -> None:
        self.invars = list(invars)
        self.eqns = list(eqns)
        self.outs = list(outs)
        self.in_tree = in_tree
        self.out_tree = out_tree
        self.name = name
        self.show_source = False

    # -- running ---------------------------------------------------------------------
    def eval_flat(self, flat_args: Sequence[Any]) -> list[Any]:
        """Evaluate on flat arguments, primitive by primitive (so under any transform).

        Args:
            flat_args: One value per input variable.

        Returns:
            The outputs, flat.
        """
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

    def __call__(self, *args: Any) -> Any:
        """Evaluate the program on arguments of the structure it was captured with.

        Args:
            *args: The arguments, as the captured function took them.

        Returns:
            The outputs, in the structure the captured function returned.
        """
        flat, tree = tree_flatten(args)
        if tree != self.in_tree:
            raise TypeError(f"This program takes arguments of structure {self.in_tree}, got {tree}.")
        return tree_unflatten(self.out_tree, self.eval_flat(flat))

    # -- printing --------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.eqns)

    def pretty(self, source: bool = False) -> str:
        """The program as text (what `str` prints).

        Args:
            source: Whether each equation names the line of code that applied it.

        Returns:
            The Wengert list: inputs with their types, one equation a line, the outputs.
        """
        names = _Namer()
        consts = []

        def operand(x: Var | Const) -> str:
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

    def __str__(self) -> str:
        return self.pretty(self.show_source)

    def __repr__(self) -> str:
        return self.pretty(self.show_source)

    def to_graphviz(self, name: str | None = None) -> Any:
        """The program as a graph for Graphviz.

        Inputs are blue, each equation a box, literal constants plain labels, outputs double
        circles. Needs the `graphviz` package (`pip install "fad-autodiff[graph]"`);
        drawing it (`.render()`, or a notebook's display) also needs Graphviz's `dot`
        program (e.g. `apt-get install graphviz`).

        Args:
            name: The graph's name (default: the program's).

        Returns:
            A `graphviz.Digraph`.
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

    def to_dot(self, name: str | None = None) -> str:
        """The program in Graphviz's DOT language (the source of `to_graphviz`).

        Args:
            name: The graph's name (default: the program's).

        Returns:
            The DOT source.
        """
        source: str = self.to_graphviz(name).source
        return source

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """A notebook shows the program as a graph (SVG) where the ``graphviz`` package and
        Graphviz's ``dot`` are installed, and as its Wengert list otherwise."""
        bundle = {"text/plain": str(self)}
        svg = self._repr_svg_()
        if svg is not None:
            bundle["image/svg+xml"] = svg
        return bundle

    def _repr_svg_(self) -> str | None:
        try:
            svg: str = self.to_graphviz().pipe(format="svg", encoding="utf-8")
            return svg
        except (ImportError, OSError, RuntimeError):  # no graphviz package, or no dot to draw with
            return None


def _graphviz() -> Any:
    """The optional ``graphviz`` package, imported on first use (fad never needs it)."""
    try:
        import graphviz  # type: ignore[import-untyped, import-not-found, unused-ignore]

    except ImportError:
        raise ImportError(
            'drawing a program needs the graphviz package: pip install "fad-autodiff[graph]" '
            "(and Graphviz's dot program to render it, e.g. apt-get install graphviz)"
        ) from None
    return graphviz


def _fresh(v: Any) -> Any:
    return v.copy() if isinstance(v, np.ndarray) else v


def _const_label(v: Any) -> str:
    return _literal(v) if np.ndim(v) == 0 else f"const {_aval_str(np.shape(v), np.result_type(v))}"


def _literal(v: Any) -> str:
    kind = np.result_type(v).kind if isinstance(v, np.ndarray) else None
    if isinstance(v, (bool, np.bool_)) or kind == "b":
        return str(bool(v))
    if isinstance(v, (int, np.integer)) or kind in ("i", "u"):
        return str(int(v))
    f = float(np.asarray(v).real)
    return repr(f) if np.isfinite(f) else str(f)


def _params_str(params: dict[str, Any]) -> str:
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

    def __init__(self) -> None:
        self.names: dict[Var, str] = {}

    def __call__(self, v: Var) -> str:
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
