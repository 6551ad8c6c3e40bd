"""The public transforms jvp, vjp, jet, grad, value_and_grad and vmap (the Jacobian family
is in fad._jacobians, linearize in fad._linearize). Signatures and semantics follow
JAX's (argnums, has_aux, in_axes, out_axes, pytrees).

Every transform takes the function's pytree arguments apart, wraps the leaves it acts on
in its own tracers, runs the function with its trace current, and puts the results back
together. Results at the top level are plain NumPy values.
"""

from __future__ import annotations

import functools
import math
import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, ParamSpec, TypeVar, overload

import numpy as np

from fad import _backend, _fpe
from fad import _prims as st
from fad._arguments import (
    _argnums_checker,
    _call,
    _check_callable,
    _check_chunk_size,
    _check_cotangent,
    _check_outputs,
    _check_progress,
    _chunks,
    _dtype_of,
    _flat_inputs,
    _float_leaves,
    _is_float,
    _LazyStr,
    _leaf_to_value,
    _LeafName,
    _lower_tree,
    _output_value,
    _owned,
    _owned_tree,
    _require_float,
    _require_scalar,
    _shape_of,
    _split_args,
    _split_aux,
    _user_call,
    float0,
)
from fad._backend import like
from fad._core import BOTTOM, EVAL, NUMPY_TYPES, Tracer, TracerConversionError, _state
from fad._jet import JetTrace, JetTracer
from fad._jvp import JVPTrace, JVPTracer
from fad._rules import UnitSeed
from fad._tree import broadcast_prefix, describe_difference, leaf_path_str, tree_flatten, tree_unflatten
from fad._vjp import VJPTrace, backward_pass
from fad._vmap import BatchTrace, BatchTracer

P = ParamSpec("P")
R = TypeVar("R")
A = TypeVar("A")  # the auxiliary output of a has_aux function


def stop_gradient(x: Any) -> Any:
    """`x` with its derivative cut: every transform above sees a constant.

    Args:
        x: An array, or a pytree of arrays (every leaf is cut, as in JAX).

    Returns:
        `x`'s value, with the same structure, and a zero derivative under every transform.

    Raises:
        TypeError: If a leaf of `x` is not an array or a number.

    Examples:
        >>> import fad
        >>> fad.grad(lambda x: x * fad.stop_gradient(x))(3.0)
        np.float64(3.0)
        >>> fad.grad(lambda p: fad.stop_gradient(p)["a"] * p["a"])({"a": 3.0})
        {'a': np.float64(3.0)}
    """
    leaves, tree = tree_flatten(x)
    out = []
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, Tracer):
            leaf = _leaf_to_value(leaf, "leaf {} of the argument of fad.stop_gradient", i)
        out.append(st.stop_gradient(leaf))
    return tree_unflatten(tree, out)


__all__ = ["jvp", "vjp", "jet", "grad", "value_and_grad", "vmap", "stop_gradient", "float0"]


# ----------------------------------------------------------------------------- jvp


@overload
def jvp(
    fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], has_aux: Literal[False] = False
) -> tuple[Any, Any]: ...
@overload
def jvp(
    fun: Callable[..., tuple[Any, A]], primals: Sequence[Any], tangents: Sequence[Any], has_aux: Literal[True]
) -> tuple[Any, Any, A]: ...
@overload
def jvp(
    fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], has_aux: bool = False
) -> tuple[Any, ...]: ...
@_user_call
def jvp(
    fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], has_aux: bool = False
) -> tuple[Any, ...]:
    """Forward mode: evaluate `fun` and its directional derivative.

    Args:
        fun: The function to differentiate, of the positional arguments `primals`.
        primals: A tuple or list of the arguments (arrays or pytrees of arrays).
        tangents: A tuple or list with one tangent per primal, of the same pytree structure,
            shapes and dtypes.
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned as it is, not
            differentiated.

    Returns:
        `(fun(*primals), J @ tangents)`, or `(output, tangent, aux)` with `has_aux=True`. The
        tangent has the output's structure.

    Raises:
        TypeError: If `primals` or `tangents` is not a tuple or list, or their structures differ.
        ValueError: If a tangent's shape differs from its primal's.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.jvp(fnp.sin, (0.0,), (2.0,))
        (np.float64(0.0), np.float64(2.0))
    """
    _check_callable(fun, "jvp")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "primal and tangent arguments to fad.jvp must be tuples or lists; found "
            f"{type(primals).__name__} and {type(tangents).__name__}. Write "
            "fad.jvp(f, (x,), (t,)) for a single argument."
        )
    if len(primals) != len(tangents):
        raise TypeError(
            f"fad.jvp got {len(primals)} primal(s) but {len(tangents)} tangent(s); pass one "
            "tangent per primal."
        )
    flat_p, tree_p = _flat_inputs(tuple(primals), "jvp", "primal")
    flat_t, tree_t = tree_flatten(tuple(tangents))
    if tree_p != tree_t:
        raise TypeError(
            "primal and tangent arguments to fad.jvp must have the same tree structure; got "
            f"{tree_p} and {tree_t} (they differ {describe_difference(tree_p, tree_t)})."
        )
    flat_t = [
        t if getattr(t, "dtype", None) == float0 else _leaf_to_value(t, "tangent {} of fad.jvp", i)
        for i, t in enumerate(flat_t)
    ]
    trace = JVPTrace(_state.trace, "jvp")
    ins = []
    for i, (p, t) in enumerate(zip(flat_p, flat_t, strict=True)):
        ins.append(_jvp_input(trace, p, t, i))
    try:
        out = _call(trace, fun, tree_unflatten(tree_p, ins))
        out, aux = _split_aux(out, has_aux, "jvp")
        flat_out, tree_out = tree_flatten(out)
        _check_outputs(flat_out, "jvp")
        primals_out, tangents_out = [], []
        for o in flat_out:
            p, t = trace.split(o)
            p = _output_value(p)
            primals_out.append(p)
            tangents_out.append(st.zeros_like_value(p) if t is None else t)
        given = flat_p + flat_t
        primals_out = _owned(primals_out, given)
        tangents_out = _owned(tangents_out, given + primals_out)
        result = (tree_unflatten(tree_out, primals_out), tree_unflatten(tree_out, tangents_out))
        return result + (_lower_tree(trace, aux),) if has_aux else result
    finally:
        trace.alive = False


def _jvp_input(trace: JVPTrace, p: Any, t: Any, i: int) -> Any:
    if _shape_of(p) != _shape_of(t):
        raise ValueError(
            f"fad.jvp: primal {i} has shape {_shape_of(p)} but its tangent has shape "
            f"{_shape_of(t)}; each tangent must have its primal's shape."
        )
    pd, td = _dtype_of(p), _dtype_of(t)
    if pd.kind not in "fc":
        if td != float0:
            raise TypeError(
                f"fad.jvp: primal {i} has dtype {pd}, which has no derivative; its tangent "
                f"must be fad.float0 zeros (np.zeros(shape, fad.float0)), got dtype {td}."
            )
        return p
    if pd != td:
        raise TypeError(
            f"fad.jvp: primal {i} has dtype {pd} but its tangent has dtype {td}; they must be "
            f"equal (use t.astype({pd.name}))."
        )
    return JVPTracer(trace, p, t)


# ----------------------------------------------------------------------------- jet


@_user_call
def jet(
    fun: Callable[..., Any], primals: Sequence[Any], series: Sequence[Any], factorial_scaled: bool = True
) -> tuple[Any, Any]:
    """Taylor mode: push a truncated Taylor series through `fun` in one pass.

    The series are the derivatives of a curve `h(t)` through `x`: `h_1 = v`, a direction, and
    `h_k = 0` beyond it for a straight line. The result holds the derivatives of `fun(h(t))` at
    `t = 0`: for a line, the k-th directional derivatives `D^k fun(x)[v, ..., v]`. As in JAX's
    `jax.experimental.jet`.

    The cost grows polynomially with `K`, where nesting `grad` or `jvp` K times grows
    exponentially: for the K-th derivative of a scalar function, prefer `jet`.

    Args:
        fun: The function, of the positional arguments `primals`.
        primals: The arrays `x`, one per positional argument of `fun`.
        series: One list `[h_1, ..., h_K]` per primal, each term of its primal's shape.
        factorial_scaled: If False, the series are taken and returned as the normalized
            coefficients `h_k / k!` instead of the derivatives.

    Returns:
        `(fun(*primals), [f_1, ..., f_K])` with `f_k` the k-th derivative of `fun(h(t))` at
        `t = 0`; an output that is a pytree gives a pytree of such lists.

    Raises:
        ValueError: If `series` does not hold one list per primal, or the lists differ in
            length.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> y, (d1, d2, d3) = fad.jet(fnp.exp, (0.0,), ([1.0, 0.0, 0.0],))
        >>> print(y, d1, d2, d3)
        1.0 1.0 1.0 1.0
        >>> fad.jet(lambda x: fnp.tanh(x), (0.5,), ([1.0, 0.0],))[1]  # tanh' and tanh''
        [np.float64(0.7864477329659274), np.float64(-0.7268619813835873)]
    """
    _check_callable(fun, "jet")
    if not isinstance(primals, (tuple, list)) or not isinstance(series, (tuple, list)):
        raise TypeError(
            "fad.jet takes its primals and series as tuples or lists, got "
            f"{type(primals).__name__} and {type(series).__name__}. Write "
            "fad.jet(f, (x,), ([v, 0.0, 0.0],)) for one argument and order 3."
        )
    if len(primals) != len(series):
        raise ValueError(
            f"fad.jet got {len(primals)} primal(s) but {len(series)} series; pass one list of "
            "Taylor terms per primal."
        )
    orders = set()
    for i, terms in enumerate(series):
        if not isinstance(terms, (tuple, list)):
            raise TypeError(
                f"fad.jet: series {i} must be a list of Taylor terms [h_1, ..., h_K] (one "
                f"array of the primal's shape per order), got {type(terms).__name__}."
            )
        orders.add(len(terms))
    if len(orders) > 1:
        raise ValueError(
            f"fad.jet: every primal needs the same number of Taylor terms, got lengths "
            f"{sorted(orders)}. Pad the shorter series with zeros."
        )
    order = orders.pop() if orders else 0
    facts = [math.factorial(k) for k in range(order + 1)]
    trace = JetTrace(_state.trace, "jet", order)
    ins = []
    for i, (x, terms) in enumerate(zip(primals, series, strict=True)):
        if isinstance(x, (tuple, list, dict)):
            raise TypeError(
                f"fad.jet: primal {i} is a {type(x).__name__}; jet takes arrays (one per "
                "positional argument), as in JAX. Pass the leaves as separate arguments."
            )
        x = _leaf_to_value(x, "primal {} of fad.jet", i)
        if x.dtype.kind != "f":
            _require_float(x, "jet", f"primal {i}")
        coeffs: list[Any] = []
        for k, h in enumerate(terms, start=1):
            h = _leaf_to_value(h, "Taylor term {} of series {} of fad.jet", k, i)
            same_kind = h.dtype.kind in "biuf" + x.dtype.kind if hasattr(h, "dtype") else False
            if isinstance(h, np.ndarray | np.generic) and h.dtype != x.dtype and same_kind:
                h = np.asarray(h, dtype=x.dtype)
            if tuple(_shape_of(h)) != tuple(_shape_of(x)) or _dtype_of(h) != _dtype_of(x):
                raise ValueError(
                    f"fad.jet: Taylor term {k} of series {i} has shape {tuple(_shape_of(h))} and "
                    f"dtype {_dtype_of(h)}, but its primal has shape {tuple(_shape_of(x))} and "
                    f"dtype {_dtype_of(x)}; every term must match its primal."
                )
            if isinstance(h, np.ndarray | np.generic) and not h.any():
                coeffs.append(None)  # a known zero term (a straight line's h_2, h_3, ...): skipped
            else:
                coeffs.append(h * (1.0 / facts[k]) if factorial_scaled and k > 1 else h)
        ins.append(JetTracer(trace, x, coeffs) if any(c is not None for c in coeffs) else x)
    try:
        out = _call(trace, fun, ins)
        flat_out, tree_out = tree_flatten(out)
        _check_outputs(flat_out, "jet")
        values, terms_out = [], []
        for o in flat_out:
            v, coeffs = trace.split(o)
            v = _output_value(v)
            values.append(v)
            coeffs = coeffs if coeffs is not None else [None] * order
            zero = st.zeros_like_value(v)
            zero = zero[()] if zero.ndim == 0 else zero  # a NumPy scalar, like the other terms
            terms_out.append(
                [
                    zero if c is None else (c * float(facts[k]) if factorial_scaled and k > 1 else c)
                    for k, c in enumerate(coeffs, start=1)
                ]
            )
        values = _owned(values, primals)
        terms_out = [_owned(ts, list(primals) + values) for ts in terms_out]
        return tree_unflatten(tree_out, values), tree_unflatten(tree_out, terms_out)
    finally:
        trace.alive = False


# ----------------------------------------------------------------------------- vjp


def _vjp(
    fun: Callable[..., Any],
    primals: Sequence[Any],
    has_aux: bool,
    fname: str,
    single_use: bool = False,
    flat: tuple[list[Any], Any] | None = None,
) -> tuple[Any, Any, Any]:
    """Shared by vjp, grad and jacrev: run ``fun`` under a fresh VJPTrace.

    ``single_use``: the pullback will be called once (grad, unchunked jacrev), so the
    backward pass may free each tape entry as soon as it has used it. ``flat``: the
    primals already flattened and checked, as ``(leaves, treedef)``."""
    if flat is None:
        flat = _flat_inputs(tuple(primals), fname, "primal")
    flat_p, tree_p = flat
    trace = VJPTrace(_state.trace, fname)
    ins, wanted = [], []  # wanted: the tape indices of the float (real or complex) inputs
    for p in flat_p:
        if p.dtype.kind in "fc":
            p = trace.new_input(p)
            wanted.append(p.index)
        ins.append(p)
    try:
        out = _call(trace, fun, tree_unflatten(tree_p, ins))
        out, aux = _split_aux(out, has_aux, fname)
        flat_out, tree_out = tree_flatten(out)
        _check_outputs(flat_out, fname)
        out_primals, targets = [], []  # targets: the outputs that depend on the inputs
        for o in flat_out:
            mine = trace.owns(o)
            out_primals.append(_output_value(o.primal if mine else o))
            targets.append(o if mine else None)
        aux = _lower_tree(trace, aux) if has_aux else None
    finally:
        trace.alive = False
    out_primals = _owned(out_primals, flat_p)

    def vjp_fn(ct: Any) -> Any:
        token = _fpe.enter()  # (as _user_call; not a decorator: _vjp runs on every grad call)
        try:
            return _pull_checked(ct)
        finally:
            _fpe.leave(token)

    def _pull_checked(ct: Any) -> Any:
        flat_ct, tree_ct = tree_flatten(ct)
        if tree_ct != tree_out:
            raise TypeError(
                f"The cotangent passed to the fad.{fname} pullback has structure {tree_ct}, but "
                f"the function's output has structure {tree_out} (they differ "
                f"{describe_difference(tree_out, tree_ct)}); they must match. Pass one "
                "cotangent per output, with the output's structure, shapes and dtypes (for "
                "example fad.tree_util.tree_map(numpy.ones_like, y))."
            )
        pairs = enumerate(zip(flat_ct, out_primals, strict=True))
        res = pull([_check_cotangent(c, o, i, fname) for i, (c, o) in pairs])
        return _owned_tree(res, flat_ct + out_primals + flat_p)

    def pull(flat_ct: list[Any]) -> Any:  # one checked cotangent per output leaf
        seeds = [(t, c) for t, c in zip(targets, flat_ct, strict=True) if t is not None]
        if not seeds:
            cts = [None] * len(wanted)
        elif _state.trace is EVAL:  # called outside any transform: the rules run on BOTTOM
            _state.trace = BOTTOM  # (the caller brackets NumPy's warnings for the whole call)
            try:
                cts = backward_pass(trace.tape, seeds, wanted, single_use)
            finally:
                _state.trace = EVAL
        else:
            cts = backward_pass(trace.tape, seeds, wanted, single_use)
        it = iter(cts)
        res = []
        for p in flat_p:
            if _is_float(p):
                c = next(it)
                res.append(st.zeros_like_value(p) if c is None else c)
            else:
                res.append(st.zeros(_shape_of(p), float0))
        return tree_unflatten(tree_p, res)

    vjp_fn.pull = pull  # type: ignore[attr-defined]  # for grad, whose own seed needs no checks
    return tree_unflatten(tree_out, out_primals), vjp_fn, aux


@overload
def vjp(
    fun: Callable[..., R], *primals: Any, has_aux: Literal[False] = False
) -> tuple[R, Callable[[Any], tuple[Any, ...]]]: ...
@overload
def vjp(
    fun: Callable[..., tuple[R, A]], *primals: Any, has_aux: Literal[True]
) -> tuple[R, Callable[[Any], tuple[Any, ...]], A]: ...
@overload
def vjp(fun: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]: ...
@_user_call
def vjp(fun: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    """Reverse mode: evaluate `fun` and return its pullback.

    Args:
        fun: The function to differentiate.
        *primals: Its positional arguments (arrays or pytrees of arrays).
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned as it is, not
            differentiated.

    Returns:
        `(fun(*primals), vjp_fn)`, or `(output, vjp_fn, aux)` with `has_aux=True`.
        `vjp_fn(ct)` maps a cotangent of the output's structure, shapes and dtypes to a tuple
        with one cotangent per primal. It can be called many times, and under other
        transforms (`vmap(vjp_fn)`).

    Raises:
        TypeError: If `fun` is not callable or a primal is not an array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> y, f_vjp = fad.vjp(lambda x: x ** 2, fnp.array([1.0, 2.0]))
        >>> f_vjp(fnp.ones(2))
        (array([2., 4.]),)
    """
    _check_callable(fun, "vjp")
    out, vjp_fn, aux = _vjp(fun, primals, has_aux, "vjp")
    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


# ------------------------------------------------------------------------------ grad


@overload
def value_and_grad(
    fun: Callable[P, R],
    argnums: int | Sequence[int] = 0,
    has_aux: Literal[False] = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, tuple[R, Any]]: ...
@overload
def value_and_grad(
    fun: Callable[P, tuple[R, A]],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: Literal[True],
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, tuple[tuple[R, A], Any]]: ...
@overload
def value_and_grad(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, tuple[Any, Any]]: ...
def value_and_grad(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, tuple[Any, Any]]:
    """Like `grad`, but the new function returns the value too.

    Args:
        fun: A function with a real scalar output (`(output, aux)` with `has_aux=True`).
        argnums: As in `grad`.
        has_aux: As in `grad`.
        holomorphic: As in `grad`.
        allow_int: As in `grad`.

    Returns:
        A function of `fun`'s arguments returning `(value, gradient)`, or
        `((value, aux), gradient)` with `has_aux=True`.

    Raises:
        TypeError: As `grad`, when the new function is called.

    Examples:
        >>> import fad
        >>> fad.value_and_grad(lambda x: x ** 3)(2.0)
        (np.float64(8.0), np.float64(12.0))
    """
    _check_callable(fun, "value_and_grad")
    return _make_grad(fun, argnums, has_aux, "value_and_grad", True, allow_int, holomorphic)


@overload
def grad(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: Literal[False] = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, Any]: ...
@overload
def grad(
    fun: Callable[P, tuple[Any, A]],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: Literal[True],
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, tuple[Any, A]]: ...
@overload
def grad(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, Any]: ...
def grad(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[P, Any]:
    """The gradient of a scalar-valued `fun` with respect to the `argnums` arguments.

    Complex inputs follow JAX: the gradient of a real-valued `fun` of `z = x + iy` is
    `df/dx - i df/dy` (the conjugate of the steepest-ascent direction); a complex-valued `fun`
    needs `holomorphic=True` (complex inputs and output), which gives the complex derivative
    `f'(z)`. See the "Complex numbers" section of the conventions page.

    Args:
        fun: A function whose output is a real scalar (`(scalar, aux)` with `has_aux=True`).
        argnums: The positional argument to differentiate with respect to (an int), or several
            (a sequence of ints).
        has_aux: Whether `fun` returns `(value, aux)`; `aux` is returned beside the gradient,
            not differentiated.
        holomorphic: Whether `fun` is holomorphic (complex inputs and output): the gradient is
            then the complex derivative.
        allow_int: Accept integer and boolean arguments, which get `float0` gradients (as JAX).

    Returns:
        A function of `fun`'s arguments returning the gradient: the structure of the argument
        for an int `argnums`, a tuple of gradients for a sequence; `(gradient, aux)` with
        `has_aux=True`.

    Raises:
        TypeError: When the new function is called, if `fun` is not callable, its output is
            not a real scalar (or not complex with `holomorphic=True`), `argnums` names a
            missing argument, or an argument is not floating point (see `allow_int`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = lambda x1, x2, x3: 3 * (x1 ** 2 + x2 * x3)
        >>> fad.grad(f, argnums=(0, 1, 2))(2.0, 3.0, 4.0)
        (np.float64(12.0), np.float64(12.0), np.float64(9.0))
        >>> fad.grad(lambda z: abs(z) ** 2)(1 + 2j), fad.grad(lambda z: z**2, holomorphic=True)(1 + 2j)
        (np.complex128(2-4j), np.complex128(2+4j))
    """
    _check_callable(fun, "grad")
    return _make_grad(fun, argnums, has_aux, "grad", False, allow_int, holomorphic)


def _make_grad(
    fun: Callable[P, Any],
    argnums: int | Sequence[int],
    has_aux: bool,
    fname: str,
    with_value: bool,
    allow_int: bool = False,
    holomorphic: bool = False,
) -> Callable[P, Any]:
    check_argnums = _argnums_checker(argnums, fname)

    @functools.wraps(fun)
    def grad_fun(*args: P.args, **kwargs: P.kwargs) -> Any:
        single, nums = check_argnums(len(args))
        partial, dyn = _split_args(fun, args, kwargs, nums)
        flat = _float_leaves(dyn, nums, fname, allow_int, holomorphic)  # once, shared with _vjp
        # (as _user_call, inline: grad's fixed cost counts; a nested grad is already bracketed)
        token = _fpe.enter() if _state.trace is EVAL else None
        try:
            out, vjp_fn, aux = _vjp(partial, dyn, has_aux, fname, single_use=True, flat=flat)
            _require_scalar(out, fname, holomorphic)
            g = _pull_unit(vjp_fn, out)
        finally:
            _fpe.leave(token)
        g = _owned_tree(g[0] if single else g, flat[0])
        if with_value:
            return ((out, aux) if has_aux else out), g
        return (g, aux) if has_aux else g

    return grad_fun


def _pull_unit(vjp_fn: Any, out: Any) -> Any:
    """The pullback of the unit cotangent of the scalar ``out`` (on ``out``'s array library),
    announced to the elementwise rules as ``UnitSeed`` (they skip multiplying by one)."""
    seed = np.array(1, _dtype_of(out))  # (0-d ones, made in C)
    if _backend.active and type(out) not in NUMPY_TYPES:  # another library's array?
        seed = like(seed, out)
    prev, UnitSeed.value = UnitSeed.value, seed if type(seed) is np.ndarray else None
    try:
        return vjp_fn.pull([seed])
    finally:
        UnitSeed.value = prev


# ------------------------------------------------------------------------------ vmap


def vmap(
    fun: Callable[..., Any],
    in_axes: Any = 0,
    out_axes: Any = 0,
    axis_size: int | None = None,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
    fallback: str | None = None,
) -> Callable[..., Any]:
    """Vectorize `fun` over an axis of its arguments.

    Args:
        fun: The function to vectorize.
        in_axes: The axis of each positional argument to map over: an int, `None` (not mapped)
            or a pytree prefix of the arguments (a tuple with one entry per argument, each an
            int, `None` or a matching container). Negative axes count from the end.
        out_axes: Where the mapped axis goes in the output, in the same forms.
        axis_size: The size of the mapped axis, when no argument is mapped.
        chunk_size: Bound memory: process the batch `chunk_size` examples at a time (the last
            chunk may be shorter) and concatenate the results along `out_axes`; the result is
            the same.
        progress: Show a bar over the chunks (tqdm's where tqdm is installed, a plain one on
            standard error otherwise).
        fallback: `"loop"`: when `fun` converts a batched value to a Python one (`if x > 0:`,
            `float(x)`), run `fun` once per example and stack the results instead of raising
            `TracerConversionError`, with a warning naming the line (once per line); the
            function is then looped on every later call. Under `fad.jit` the branch still
            cannot be staged: the error is jit's.

    Returns:
        A function of the same arguments returning `fun`'s results stacked along `out_axes`.

    Raises:
        ValueError: When the new function is called, if the mapped axes differ in size or
            `in_axes` does not match the arguments.
        TracerConversionError: If `fun` makes a batched value concrete (without
            `fallback="loop"`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.vmap(lambda x, y: x @ y, in_axes=(0, None))(fnp.ones((3, 2)), fnp.ones(2))
        array([2., 2., 2.])
        >>> fad.vmap(lambda x: x.sum(), chunk_size=2)(fnp.ones((5, 3)))
        array([3., 3., 3., 3., 3.])
    """
    _check_callable(fun, "vmap")
    _check_axes_spec(in_axes, "in_axes")
    _check_axes_spec(out_axes, "out_axes")
    chunk_size, bar = _check_chunk_size(chunk_size, "vmap"), _check_progress(progress, "vmap")
    if fallback not in (None, "loop"):
        raise ValueError(f'fad.vmap: fallback must be None or "loop", got {fallback!r}.')
    looped: list[bool] = []  # set once fun has needed the loop: later calls loop at once

    @functools.wraps(fun)
    @_user_call
    def batched(*args: Any, **kwargs: Any) -> Any:
        axes_spec = tuple(in_axes) if isinstance(in_axes, list) else in_axes
        if isinstance(axes_spec, tuple) and len(axes_spec) != len(args):
            raise ValueError(
                f"fad.vmap: in_axes has {len(axes_spec)} entries but the function was called "
                f"with {len(args)} positional argument(s). in_axes must be an int, None, or a "
                "tuple with one entry per positional argument."
            )
        leaves, treedef = tree_flatten(args)
        if not isinstance(axes_spec, tuple):
            axes = [axes_spec] * len(leaves)
        elif all(ax is None or type(ax) is int for ax in axes_spec):  # one axis per argument
            kids = treedef.children()
            axes = [ax for ax, kid in zip(axes_spec, kids, strict=True) for _ in range(kid.num_leaves)]
        else:
            axes = broadcast_prefix(axes_spec, args, what="vmap in_axes")
        if kwargs:
            kw_leaves, kw_tree = tree_flatten(kwargs)
            leaves = leaves + kw_leaves
            axes = axes + [0] * len(kw_leaves)
        else:
            kw_tree = _NO_KWARGS
        values, axes, size = _vmap_inputs(leaves, axes, axis_size, (treedef, kw_tree))
        if fallback is None:
            return _vmap_batched(
                fun, treedef, kw_tree, values, axes, size, out_axes, chunk_size, leaves, [], bar
            )
        if not looped:
            traces: list[Any] = []
            try:
                return _vmap_batched(
                    fun, treedef, kw_tree, values, axes, size, out_axes, chunk_size, leaves, traces, bar
                )
            except TracerConversionError as err:
                if not _raised_by_batch(err, traces):
                    raise
                _warn_loop_fallback(err)
                looped.append(True)
        out_tree, outs = _vmap_loop(fun, treedef, kw_tree, values, axes, size, out_axes)
        return tree_unflatten(out_tree, _owned([o for o, _ in outs], leaves))

    return batched


def _vmap_batched(
    fun: Callable[..., Any],
    treedef: Any,
    kw_tree: Any,
    values: list[Any],
    axes: list[Any],
    size: int,
    out_axes: Any,
    chunk_size: int | None,
    leaves: list[Any],
    traces: list[Any],
    progress: str | None = None,
) -> Any:
    """vmap's result by batching (in chunks of ``chunk_size`` if given); the traces made are
    appended to ``traces``."""
    if chunk_size is None or size <= chunk_size:
        out_tree, outs = _vmap_run(fun, treedef, kw_tree, values, axes, size, out_axes, traces)
        return tree_unflatten(out_tree, _owned([o for o, _ in outs], leaves))
    parts, out_tree = [], None
    for r0, r1 in _chunks(size, chunk_size, progress):
        chunk = [
            v if ax is None else st.getitem(v, (slice(None),) * ax + (slice(r0, r1),))
            for v, ax in zip(values, axes, strict=True)
        ]
        tree_k, outs = _vmap_run(fun, treedef, kw_tree, chunk, axes, r1 - r0, out_axes, traces)
        if out_tree is not None and tree_k != out_tree:
            raise ValueError(
                f"fad.vmap(chunk_size={chunk_size}): the function returned different output "
                f"structures for different chunks ({out_tree} and {tree_k}). Return the same "
                "structure for every batch, or drop chunk_size."
            )
        out_tree = tree_k
        parts.append(outs)
    results = []
    for col in zip(*parts, strict=True):
        ax = col[0][1]
        results.append(col[0][0] if ax is None else st.concatenate([o for o, _ in col], ax))
    return tree_unflatten(out_tree, _owned(results, leaves))


_NO_KWARGS = tree_flatten({})[1]


# ------------------------------------------------------------------- vmap's loop fallback

_LOOP_WARNED: set[tuple[str, int]] = set()  # (file, line) of the conversions already reported
_FAD_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _raised_by_batch(err: BaseException | None, traces: list[Any]) -> bool:
    """Whether ``err`` (or an error it was raised from) was raised converting a value
    batched by one of ``traces``: an inner transform's own refusal is not ours to loop."""
    while err is not None:
        tb = err.__traceback__
        while tb is not None:
            owner = tb.tb_frame.f_locals.get("self")
            if isinstance(owner, BatchTracer) and any(owner._trace is t for t in traces):
                return True
            tb = tb.tb_next
        err = err.__cause__ or err.__context__
    return False


def _user_line(err: BaseException) -> tuple[str, int]:
    """``(filename, lineno)`` of the innermost frame of ``err`` outside fad's core."""
    where = None
    tb = err.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.startswith(_FAD_DIR) or name.startswith(_FAD_DIR + "autograd" + os.sep):
            where = (name, tb.tb_lineno)
        tb = tb.tb_next
    return where or ("<unknown>", 0)


def _warn_loop_fallback(err: BaseException) -> None:
    filename, lineno = _user_line(err)
    if (filename, lineno) in _LOOP_WARNED:
        return
    _LOOP_WARNED.add((filename, lineno))
    first = str(err).split(". ")[0]
    warnings.warn_explicit(
        f"fad.vmap(fallback='loop'): {first}; running the function once per example instead "
        "(slower). To batch it, compute both branches and choose with fad.numpy.where.",
        UserWarning,
        filename,
        lineno,
    )


def _vmap_loop(
    fun: Callable[..., Any],
    treedef: Any,
    kw_tree: Any,
    values: list[Any],
    axes: list[Any],
    size: int,
    out_axes: Any,
) -> tuple[Any, list[tuple[Any, int | None]]]:
    """vmap by a Python loop: ``fun`` on each example, the results stacked along ``out_axes``."""
    if size == 0:
        raise ValueError(
            "fad.vmap(fallback='loop') cannot loop over an empty batch: the output structure "
            "is unknown. Skip the call for an empty batch."
        )
    n = treedef.num_leaves
    columns: list[list[Any]] = []
    out_tree, first = None, None
    for i in range(size):
        ex = [
            v if ax is None else st.getitem(v, (slice(None),) * ax + (i,))
            for v, ax in zip(values, axes, strict=True)
        ]
        out = fun(*tree_unflatten(treedef, ex[:n]), **tree_unflatten(kw_tree, ex[n:]))
        out_leaves, tree_i = tree_flatten(out)
        _check_outputs(out_leaves, "vmap")
        if out_tree is None:
            out_tree, first = tree_i, out
            columns = [[] for _ in out_leaves]
        elif tree_i != out_tree:
            raise ValueError(
                f"fad.vmap(fallback='loop'): the function returned different output structures "
                f"for examples 0 and {i} ({out_tree} and {tree_i}). Return the same structure "
                "for every example."
            )
        for col, o in zip(columns, out_leaves, strict=True):
            col.append(_output_value(o))
    if out_axes is None or isinstance(out_axes, int):
        oaxes = [out_axes] * len(columns)
    else:
        oaxes = broadcast_prefix(out_axes, first, what="vmap out_axes")
    results: list[tuple[Any, int | None]] = []
    for k, (col, ax) in enumerate(zip(columns, oaxes, strict=True)):
        shape = tuple(_shape_of(col[0]))
        for i, o in enumerate(col):
            if tuple(_shape_of(o)) != shape:
                raise ValueError(
                    f"fad.vmap(fallback='loop'): output leaf {k} has shape {shape} for example 0 "
                    f"but {tuple(_shape_of(o))} for example {i}; every example must give the same "
                    "shapes to be stacked."
                )
        if ax is None:
            ex0 = _concrete_example(col[0])
            if not all(np.array_equal(ex0, _concrete_example(o)) for o in col[1:]):
                raise ValueError(
                    "fad.vmap: an output with out_axes=None differs across the batch. Give it an "
                    "out_axes entry (e.g. 0), or return a value that does not depend on the mapped "
                    "arguments."
                )
            results.append((col[0], None))
            continue
        ax = _out_axis(ax, len(shape) + 1)
        stacked = st.concatenate([st.reshape(o, (1, *shape)) for o in col], 0)
        results.append((st.moveaxis(stacked, 0, ax) if ax else stacked, ax))
    return out_tree, results


def _concrete_example(x: Any) -> Any:
    return x._example() if isinstance(x, Tracer) else x


def _vmap_run(
    fun: Callable[..., Any],
    treedef: Any,
    kw_tree: Any,
    values: list[Any],
    axes: list[Any],
    size: int,
    out_axes: Any,
    traces: list[Any] | None = None,
) -> tuple[Any, list[tuple[Any, int | None]]]:
    """One vmap pass: ``(out_tree, [(leaf, normalized out axis or None), ...])``."""
    trace = BatchTrace(_state.trace, "vmap", size, st.moveaxis)
    if traces is not None:
        traces.append(trace)
    wrapped = [
        v if ax is None else BatchTracer(trace, st.move_batch_to_front(v, ax))
        for v, ax in zip(values, axes, strict=True)
    ]
    n = treedef.num_leaves
    try:
        out = _call(trace, fun, tree_unflatten(treedef, wrapped[:n]), tree_unflatten(kw_tree, wrapped[n:]))
        out_leaves, out_tree = tree_flatten(out)
        _check_outputs(out_leaves, "vmap")
        if out_axes is None or isinstance(out_axes, int):  # one axis for every output leaf
            oaxes = [out_axes] * len(out_leaves)
        else:
            oaxes = broadcast_prefix(out_axes, out, what="vmap out_axes")
        return out_tree, [_vmap_output(trace, o, ax, size) for o, ax in zip(out_leaves, oaxes, strict=True)]
    finally:
        trace.alive = False


def _check_axes_spec(spec: Any, name: str) -> None:
    for leaf in tree_flatten(spec)[0]:
        if not isinstance(leaf, (int, np.integer)) or isinstance(leaf, bool):
            raise TypeError(
                f"fad.vmap {name} must be built from ints and None (in tuples, lists or dicts "
                f"matching the arguments), got {leaf!r} in {spec!r}."
            )


def _vmap_inputs(
    leaves: list[Any], axes: list[Any], axis_size: int | None, trees: tuple[Any, Any]
) -> tuple[list[Any], list[int | None], int]:
    n_pos = trees[0].num_leaves

    def name(i: int) -> str:  # a positional argument's leaf, or a keyword argument's
        if i < n_pos:
            return str(_LeafName("argument", trees[0], i))
        key, _, rest = leaf_path_str(trees[1], i - n_pos)[2:].partition("']")  # "['b']..."
        return f"keyword argument '{key}'" + (f" at {rest}" if rest else "")

    values: list[Any] = []
    norm_axes: list[int | None] = []
    sizes: list[tuple[int, Any, int, int]] = []
    for i, (x, ax) in enumerate(zip(leaves, axes, strict=True)):
        if ax is None:
            values.append(x)
            norm_axes.append(None)
            continue
        x = _leaf_to_value(x, "{} of fad.vmap", _LazyStr(name, i))
        shape = _shape_of(x)
        if not -len(shape) <= ax < len(shape):
            raise ValueError(
                f"fad.vmap was asked to map {name(i)} along axis {ax}, but it has shape "
                f"{shape} (rank {len(shape)}). Use an axis in range, or in_axes=None to pass it "
                "unmapped."
            )
        ax %= len(shape)
        values.append(x)
        norm_axes.append(ax)
        sizes.append((i, shape, ax, shape[ax]))
    distinct = {s[3] for s in sizes}
    if axis_size is not None:
        distinct.add(int(axis_size))
    if len(distinct) > 1:
        lines = "\n".join(
            f"  * {name(i)} of shape {shape} has size {n} along axis {ax}" for i, shape, ax, n in sizes
        )
        extra = f"\n  * axis_size={axis_size}" if axis_size is not None else ""
        raise ValueError(
            "fad.vmap got inconsistent sizes for the mapped axes:\n" + lines + extra + "\nMake "
            "every mapped axis the same length, or pass in_axes=None for arguments that should "
            "not be mapped."
        )
    if not distinct:
        raise ValueError(
            "fad.vmap needs at least one mapped argument (an in_axes entry that is not None) "
            "to know the batch size, or an explicit axis_size=."
        )
    return values, norm_axes, distinct.pop()


def _vmap_output(trace: BatchTrace, o: Any, ax: int | None, size: int) -> tuple[Any, int | None]:
    """The output leaf with its batch axis at ``ax``, and the normalized axis (None: unmapped)."""
    v, bdim = trace.split(o)
    if bdim is not None:
        if ax is None:
            raise ValueError(
                "fad.vmap: an output with out_axes=None depends on the mapped inputs, so it "
                "differs across the batch. Give it an out_axes entry (e.g. 0), or return a "
                "value that does not depend on the mapped arguments."
            )
        ax = _out_axis(ax, len(_shape_of(v)))
        return st.moveaxis(v, bdim, ax), ax
    o = _output_value(o)
    if ax is None:
        return o, None
    shape = tuple(_shape_of(o))
    v = st.broadcast_to(o, (size,) + shape)
    ax = _out_axis(ax, len(shape) + 1)
    return st.moveaxis(v, 0, ax), ax


def _out_axis(ax: int, nd: int) -> int:
    if not -nd <= ax < nd:
        raise ValueError(f"fad.vmap: out_axes {ax} is out of range for an output of rank {nd}.")
    return ax % nd
