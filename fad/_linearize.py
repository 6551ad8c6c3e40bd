"""``linearize``: evaluate a function once and return its Jacobian-vector product as a
compiled linear program (the staging layer: capture, simplify, compile).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from fad import _prims as st
from fad._api import (
    jvp,
)
from fad._arguments import (
    _check_callable,
    _dtype_of,
    _flat_inputs,
    _leaf_to_value,
    _output_value,
    _owned,
    _shape_of,
    _user_call,
    float0,
)
from fad._backend import BackendError, backend_of
from fad._core import Tracer
from fad._jit import compile_program
from fad._passes import simplify
from fad._program import Const, Program
from fad._staging import ForeignTracerError, capture
from fad._tree import tree_flatten, tree_unflatten

__all__ = ["linearize"]

R = TypeVar("R")


def linearize(fun: Callable[..., R], *primals: Any) -> tuple[R, Callable[..., Any]]:
    """Evaluate `fun` and return a function computing its Jacobian-vector products.

    `fun` runs once: its forward-mode program is captured with the primal computation folded
    into constants, so `f_jvp` performs only the linear tangent operations (straight-line
    NumPy; evaluated primitive by primitive under other transforms such as `vmap(f_jvp)`).

    Args:
        fun: The function to linearize.
        *primals: Its positional arguments, the point of linearization.

    Returns:
        `(fun(*primals), f_jvp)` where `f_jvp(*tangents) == jvp(fun, primals, tangents)[1]`,
        with one tangent per primal.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> y, f_jvp = fad.linearize(fnp.sin, 0.0)
        >>> f_jvp(3.0)
        np.float64(3.0)
    """
    _check_callable(fun, "linearize")
    flat_p, tree_p = _flat_inputs(tuple(primals), "linearize", "primal")
    primals = tree_unflatten(tree_p, flat_p)
    for i, p in enumerate(flat_p):
        kind = np.result_type(p).kind if backend_of(p) is None else "f"
        if kind not in "fc":  # (its tangent would be float0, which a staged program cannot hold)
            raise TypeError(
                f"fad.linearize requires floating-point primals, but primal {i} has dtype "
                f"{np.result_type(p)}. Pass a float (1.0 instead of 1, or x.astype(float)), or "
                "close over the non-float argument (functools.partial) so it is not linearized."
            )
        if backend_of(p) is not None:  # (staging captures and runs NumPy programs)
            raise BackendError(
                f"fad.linearize was called on a {backend_of(p).name} array: it stages a NumPy "
                "program, so it takes NumPy arrays only. Use fad.jvp(f, primals, tangents), "
                "which runs on it, once per tangent."
            )
    zero_tangents = tuple(_zero_tangents(p) for p in primals)
    try:
        prog = capture(
            lambda *t: jvp(fun, primals, t),
            zero_tangents,
            weak_scalars=False,
            name="linearized",
            transform="linearize",
            stage_loops=False,  # the primal values are known: loops over them run now
        )
        prog = simplify(prog)
    except ForeignTracerError:  # primals traced by an enclosing transform: no staging
        prog = None
    if prog is None:
        out = jvp(fun, primals, zero_tangents)[0]

        def f_jvp(*tangents: Any) -> Any:
            return jvp(fun, primals, tangents)[1]  # (jvp brackets the call)

        return out, f_jvp
    n_out = prog.out_tree.children()[0].num_leaves
    # the program's constants stay the program's: the caller gets copies
    if all(type(c) is Const for c in prog.outs[:n_out]):
        consts = [c for c in prog.outs[:n_out] if type(c) is Const]  # (all of them)
        values = [c.value.copy() if isinstance(c.value, np.ndarray) else c.value for c in consts]
    else:  # a staged loop (of a jitted function) computes primal and tangent together
        values = compile_program(prog)(*tree_flatten(zero_tangents)[0])[:n_out]
    out = tree_unflatten(prog.out_tree.children()[0], values)
    linear = _tangent_part(prog, n_out)
    compiled = compile_program(linear)
    tangent_tree = prog.out_tree.children()[1]

    @_user_call  # type: ignore[no-redef]  # (the staged f_jvp; the other one is above)
    def f_jvp(*tangents: Any) -> Any:
        flat, tree = tree_flatten(tangents)
        if tree != linear.in_tree:
            raise TypeError(
                f"fad.linearize: f_jvp takes tangents shaped like the primals ({linear.in_tree}), got {tree}."
            )
        flat = [_leaf_to_value(t, "tangent {} of fad.linearize's f_jvp", i) for i, t in enumerate(flat)]
        for i, (t, v) in enumerate(zip(flat, linear.invars, strict=True)):
            if tuple(_shape_of(t)) != v.shape or _dtype_of(t) != v.dtype:
                raise TypeError(
                    f"fad.linearize: tangent {i} must have shape {v.shape} and dtype {v.dtype} (its "
                    f"primal's), got shape {tuple(_shape_of(t))} and dtype {_dtype_of(t)}."
                )
        if any(isinstance(t, Tracer) for t in flat):
            outs = linear.eval_flat(flat)
        else:
            outs = compiled(*flat)
        # 0-d results as NumPy scalars, as NumPy's own operations give them
        outs = [o[()] if isinstance(o, np.ndarray) and o.ndim == 0 else _output_value(o) for o in outs]
        return tree_unflatten(tangent_tree, _owned(outs, flat + flat_p))

    return out, f_jvp


def _tangent_part(prog: Program, n_out: int) -> Program:
    """``prog`` restricted to its outputs after the first ``n_out`` (the tangents)."""
    return simplify(Program(prog.invars, prog.eqns, prog.outs[n_out:], prog.in_tree, None, prog.name))


def _zero_tangents(tree: Any) -> Any:
    leaves, td = tree_flatten(tree)
    return tree_unflatten(
        td,
        [
            st.zeros_like_value(x) if _dtype_of(x).kind in "fc" else st.zeros(_shape_of(x), float0)
            for x in leaves
        ],
    )
