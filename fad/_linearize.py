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
    vjp,
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

__all__ = ["linear_transpose", "linearize"]

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


def linear_transpose(fun: Callable[..., Any], *primals: Any, reduce_axes: Any = ()) -> Callable[..., Any]:
    """The transpose of a linear function, as `jax.linear_transpose`.

    For `fun(x) = A x` the transpose is `ct -> A^T ct` (not conjugated for complex values,
    as in JAX): the pullback of `fun` at zeros, which for a linear function is the same at
    every point. `fun` is checked once, when its arguments are concrete: a nonzero
    `fun(0)` (an affine function) or a pullback that changes from zero to another point (a
    nonlinear one) is refused.

    Args:
        fun: A function linear in its positional arguments.
        *primals: Arguments of `fun`, or objects with `shape` and `dtype` standing for
            them; only their structure, shapes and dtypes are used.
        reduce_axes: Accepted for JAX compatibility (JAX has removed it); unused.

    Returns:
        `f_transpose(out_cotangent) -> tuple of input cotangents`, one per primal, each of
        its primal's structure.

    Raises:
        ValueError: If `fun` is affine rather than linear, or not linear.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> A = fnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        >>> f_t = fad.linear_transpose(lambda x: A @ x, fnp.zeros(2))
        >>> f_t(fnp.array([1.0, 0.0, -1.0]))
        (array([-4., -4.]),)
    """
    _check_callable(fun, "linear_transpose")
    del reduce_axes
    flat, in_tree = tree_flatten(primals)
    zeros = [np.zeros(_shape_of(x), _dtype_of(x)) for x in flat]
    out, pull = vjp(fun, *tree_unflatten(in_tree, zeros))
    _check_linear(fun, in_tree, zeros, out, pull)

    def transposed(out_cotangent: Any) -> tuple[Any, ...]:
        return tuple(pull(out_cotangent))

    return transposed


def _check_linear(fun: Callable[..., Any], in_tree: Any, zeros: list[Any], out: Any, pull: Any) -> None:
    """Refuse an affine or nonlinear ``fun`` (where its values are concrete)."""
    outs, _ = tree_flatten(out)
    if any(isinstance(o, Tracer) for o in outs) or not all(
        np.issubdtype(np.result_type(z), np.inexact) for z in zeros
    ):
        return
    if any(np.any(np.asarray(o) != 0) for o in outs):
        raise ValueError(
            "fad.linear_transpose: fun(0) is not zero, so fun is affine, not linear. Transpose "
            "fun(x) - fun(0) instead."
        )
    rng = np.random.default_rng(0)

    def draw(shape: tuple[int, ...], dtype: Any) -> Any:
        v = rng.standard_normal(shape)
        if np.issubdtype(dtype, np.complexfloating):
            v = v + 1j * rng.standard_normal(shape)
        return v.astype(dtype)

    point = [draw(z.shape, z.dtype) for z in zeros]
    ct = tree_unflatten(tree_flatten(out)[1], [draw(np.shape(o), np.result_type(o)) for o in outs])
    _, pull_there = vjp(fun, *tree_unflatten(in_tree, point))
    for a, b in zip(tree_flatten(pull(ct))[0], tree_flatten(pull_there(ct))[0], strict=True):
        a, b = np.asarray(a), np.asarray(b)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-12 * (1.0 + float(np.max(np.abs(a), initial=0.0)))):
            raise ValueError(
                "fad.linear_transpose: fun is not linear: its pullback at zero differs from its "
                "pullback at another point. For the transpose of its derivative at a point x, "
                "use fad.vjp(fun, x)[1]."
            )
