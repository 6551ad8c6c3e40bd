"""The Jacobian family: ``jacfwd``, ``jacrev``, ``jacobian`` and ``hessian``.

Each is one vectorized pass of a transform of :mod:`fad._api`: ``jacfwd`` pushes the
columns of an identity forward (``vmap`` of ``jvp``), ``jacrev`` pulls its rows back
(``vmap`` of the pullback), both with the traces set up directly; ``chunk_size`` bounds
memory by doing the rows or columns a block at a time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Literal, ParamSpec, TypeVar, overload

from fad import _backend
from fad import _prims as st
from fad._api import (
    _pull_unit,
    _vjp,
    _vmap_output,
    jvp,
    vmap,
)
from fad._arguments import (
    _argnums_checker,
    _call,
    _check_callable,
    _check_chunk_size,
    _check_outputs,
    _check_progress,
    _chunks,
    _dtype_of,
    _float_leaves,
    _lower_tree,
    _output_value,
    _owned_tree,
    _require_output_dtype,
    _shape_of,
    _split_args,
    _split_aux,
    _user_call,
)
from fad._backend import like
from fad._core import _state
from fad._jvp import JVPTrace, JVPTracer
from fad._tree import tree_flatten, tree_unflatten
from fad._vmap import BatchTrace, BatchTracer

P = ParamSpec("P")
A = TypeVar("A")  # the auxiliary output of a has_aux function

__all__ = ["jacfwd", "jacrev", "jacobian", "hessian", "JACOBIAN_CROSSOVER"]

#: ``jacobian(mode="auto")`` uses forward mode when (total input size) < (total output
#: size) * JACOBIAN_CROSSOVER, else reverse mode. Measured by the W4S sweep of
#: benchmarks/run.py (docs/performance.md): jacfwd and jacrev cost the same at n/m between 1
#: and 2 (eagerly 0.97-1.5 along n and 1.7-2.2 along m over runs; 0.94-1.3 under jit); the
#: rule loses at most ~1.6x inside that band, where the wrong mode far from it costs 10-20x.
JACOBIAN_CROSSOVER = 1.0


def _basis_rows(r0: int, r1: int, offset: int, shape: Any, dtype: Any, leaf: Any) -> Any:
    """Rows ``r0:r1`` of an identity whose columns ``offset:offset+size`` belong to this
    leaf, shaped ``(r1 - r0,) + shape``, on the array library of ``leaf``."""
    size = st.size_of(shape)
    rows = st.eye(r1 - r0, size, k=r0 - offset, dtype=dtype).reshape((r1 - r0,) + tuple(shape))
    return like(rows, leaf) if _backend.active else rows


def _basis_layout(leaves: list[Any]) -> tuple[list[tuple[int, ...]], list[int], list[int], int]:
    shapes = [tuple(_shape_of(x)) for x in leaves]
    sizes = [st.size_of(s) for s in shapes]
    offsets, total = [], 0
    for n in sizes:
        offsets.append(total)
        total += n
    return shapes, sizes, offsets, total


def _concat_rows(parts: list[list[Any]]) -> list[Any]:
    """Concatenate, leaf by leaf, lists of per-chunk leaves along axis 0. One chunk is taken
    as it is, without a copy (a read-only block is copied when the Jacobian is handed out)."""
    if len(parts) == 1:
        return parts[0]
    return [st.concatenate(col, 0) for col in zip(*parts, strict=True)]


@overload
def jacrev(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: Literal[False] = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]: ...
@overload
def jacrev(
    fun: Callable[P, tuple[Any, A]],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: Literal[True],
    holomorphic: bool = False,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, tuple[Any, A]]: ...
@overload
def jacrev(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]: ...
def jacrev(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]:
    """Jacobian by reverse mode: one vectorized `vjp` pass (`vmap` over the rows).

    The Jacobian of an output of shape `out` with respect to an input of shape `in` has shape
    `out + in`; pytrees nest as the output's structure of the inputs' structure. A block has
    the input's dtype (as the gradient has, and as in JAX). Prefer it when there are fewer
    outputs than inputs.

    Args:
        fun: The function to differentiate; its outputs are real (inputs may be complex, as
            for `grad`), or complex with `holomorphic=True`.
        argnums: The positional argument to differentiate with respect to (an int), or several
            (a sequence of ints: a tuple of blocks per output).
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned beside the Jacobian.
        holomorphic: Whether `fun` is holomorphic (complex inputs and outputs): the blocks
            then hold the complex derivatives.
        chunk_size: Bound memory: pull the rows (one per output element) back `chunk_size` at
            a time and concatenate them; the result is the same.
        progress: Show a bar over the chunks (tqdm's where tqdm is installed, a plain one on
            standard error otherwise).

    Returns:
        A function of `fun`'s arguments returning the Jacobian (`(jacobian, aux)` with
        `has_aux=True`).

    Raises:
        TypeError: When the new function is called, if an output is complex without
            `holomorphic=True`, or an input is not floating point.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.jacrev(lambda x: x ** 2)(fnp.array([1.0, 2.0]))
        array([[2., 0.],
               [0., 4.]])
        >>> fad.jacrev(lambda x: x ** 2, chunk_size=1)(fnp.array([1.0, 2.0]))
        array([[2., 0.],
               [0., 4.]])
    """
    _check_callable(fun, "jacrev")
    chunk_size = _check_chunk_size(chunk_size, "jacrev")
    progress = _check_progress(progress, "jacrev")
    check_argnums = _argnums_checker(argnums, "jacrev")

    @_user_call
    def jacfun(*args: P.args, **kwargs: P.kwargs) -> Any:
        single, nums = check_argnums(len(args))
        partial, dyn = _split_args(fun, args, kwargs, nums)
        flat = _float_leaves(dyn, nums, "jacrev", holomorphic=holomorphic)
        y, vjp_fn, aux = _vjp(partial, dyn, has_aux, "jacrev", single_use=chunk_size is None, flat=flat)
        jac = _jacrev_from_vjp(y, vjp_fn, single, chunk_size, "jacrev", holomorphic, progress)
        return (jac, aux) if has_aux else jac

    return jacfun


def _jacrev_from_vjp(
    y: Any,
    vjp_fn: Any,
    single: bool,
    chunk_size: int | None,
    fname: str,
    holomorphic: bool = False,
    progress: bool | None = None,
) -> Any:
    x_tree: Any  # the inputs' tree, known after the first pullback
    y_leaves, y_tree = tree_flatten(y)
    for leaf in y_leaves:
        _require_output_dtype(_dtype_of(leaf), fname, holomorphic)
        if _dtype_of(leaf).kind not in "fc":
            raise TypeError(
                f"fad.{fname} requires real floating-point outputs, got dtype {_dtype_of(leaf)}. "
                "Make the output a float (integer and boolean values carry no derivative)."
            )
    shapes, sizes, offsets, total = _basis_layout(y_leaves)
    dtypes = [_dtype_of(x) for x in y_leaves]
    if total == 1 and shapes[0] == ():  # a scalar output: its gradient, as grad pulls it back
        cts = _pull_unit(vjp_fn, y_leaves[0])  # (no batch of one row: hessian is forward-over-reverse)
        return _owned_tree(tree_unflatten(y_tree, [cts[0] if single else cts]))
    if total == 0:  # no output elements: rows of length 0 (shapes out + in)
        probe = vjp_fn(tree_unflatten(y_tree, [st.zeros(s, d) for s, d in zip(shapes, dtypes, strict=True)]))
        x_leaves, x_tree = tree_flatten(probe)
        x_leaves = [st.zeros((0,) + tuple(_shape_of(c)), _dtype_of(c)) for c in x_leaves]
    else:
        parts, x_tree = [], None
        for r0, r1 in _chunks(total, chunk_size, progress):
            basis = [_basis_rows(r0, r1, *a) for a in zip(offsets, shapes, dtypes, y_leaves, strict=True)]
            leaves, x_tree = _pull_rows(vjp_fn, basis, r1 - r0)
            parts.append(leaves)
        x_leaves = _concat_rows(parts)
    blocks = []
    for so, n, off in zip(shapes, sizes, offsets, strict=True):
        row = []
        for c in x_leaves:
            b = c if n == total else st.getitem(c, (slice(off, off + n),))
            row.append(b if len(so) == 1 else st.reshape(b, tuple(so) + tuple(_shape_of(c)[1:])))
        sub = tree_unflatten(x_tree, row)
        blocks.append(sub[0] if single else sub)
    return _owned_tree(tree_unflatten(y_tree, blocks))


def _pull_rows(vjp_fn: Any, basis: list[Any], size: int) -> tuple[list[Any], Any]:
    """``vmap(vjp_fn)`` over the ``basis`` rows with the batch trace set up directly.
    Returns the input cotangents (rows first) as leaves, and their tree."""
    btrace = BatchTrace(_state.trace, "jacrev", size, st.moveaxis)
    rows = [BatchTracer(btrace, b) for b in basis]
    try:  # the basis rows are valid cotangents by construction: no pullback checks
        cts = _call(btrace, vjp_fn.pull, (rows,))
        leaves, x_tree = tree_flatten(cts)
        # an unbatched cotangent is the same for every row: broadcast over the rows
        return [_vmap_output(btrace, c, 0, size)[0] for c in leaves], x_tree
    finally:
        btrace.alive = False


@overload
def jacfwd(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: Literal[False] = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]: ...
@overload
def jacfwd(
    fun: Callable[P, tuple[Any, A]],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: Literal[True],
    holomorphic: bool = False,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, tuple[Any, A]]: ...
@overload
def jacfwd(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]: ...
def jacfwd(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]:
    """Jacobian by forward mode: one vectorized `jvp` pass (`vmap` over the columns).

    Same result layout as `jacrev`; a block has the output's dtype (the tangent's, as in JAX).
    Prefer it when there are fewer inputs than outputs.

    Args:
        fun: The function to differentiate; its inputs are real (outputs may be complex), or
            complex with `holomorphic=True`.
        argnums: The positional argument to differentiate with respect to (an int), or several
            (a sequence of ints: a tuple of blocks per output).
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned beside the Jacobian.
        holomorphic: Whether `fun` is holomorphic (complex inputs and outputs): the blocks
            then hold the complex derivatives.
        chunk_size: Bound memory: push the columns (one per input element) forward
            `chunk_size` at a time and concatenate them; the result is the same.
        progress: Show a bar over the chunks.

    Returns:
        A function of `fun`'s arguments returning the Jacobian (`(jacobian, aux)` with
        `has_aux=True`).

    Raises:
        TypeError: When the new function is called, if an input is complex without
            `holomorphic=True`, or not floating point.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.jacfwd(lambda x: fnp.stack([x.sum(), (x ** 2).sum()]))(fnp.array([1.0, 2.0]))
        array([[1., 1.],
               [2., 4.]])
    """
    _check_callable(fun, "jacfwd")
    chunk_size, progress = _check_chunk_size(chunk_size, "jacfwd"), _check_progress(progress, "jacfwd")
    return _make_jacfwd(fun, argnums, has_aux, chunk_size, "jacfwd", holomorphic, progress)


def _make_jacfwd(
    fun: Callable[P, Any],
    argnums: int | Sequence[int],
    has_aux: bool,
    chunk_size: int | None,
    fname: str,
    holomorphic: bool = False,
    progress: bool | None = None,
) -> Callable[P, Any]:
    check_argnums = _argnums_checker(argnums, fname)

    @_user_call
    def jacfun(*args: P.args, **kwargs: P.kwargs) -> Any:
        single, nums = check_argnums(len(args))
        partial, dyn = _split_args(fun, args, kwargs, nums)
        x_leaves, x_tree = _float_leaves(dyn, nums, fname, holomorphic=holomorphic, real_only=True)
        jac, aux = _jacfwd_flat(partial, x_leaves, x_tree, single, has_aux, chunk_size, holomorphic, progress)
        return (jac, aux) if has_aux else jac

    return jacfun


def _jacfwd_flat(
    partial: Callable[..., Any],
    x_leaves: list[Any],
    x_tree: Any,
    single: bool,
    has_aux: bool,
    chunk_size: int | None,
    holomorphic: bool = False,
    progress: bool | None = None,
) -> tuple[Any, Any]:
    shapes, sizes, offsets, total = _basis_layout(x_leaves)
    dtypes = [_dtype_of(x) for x in x_leaves]
    x_in = tree_unflatten(x_tree, x_leaves)

    def push(*tangents: Any) -> tuple[Any, Any, Any]:
        r = jvp(partial, x_in, tangents, has_aux=has_aux)
        return (r[0], r[1], r[2]) if has_aux else (r[0], r[1], None)

    if total > 0 and chunk_size is None:  # the common case: one pass, no wrappers
        basis = [_basis_rows(0, total, *a) for a in zip(offsets, shapes, dtypes, x_leaves, strict=True)]
        y_leaves, y_tree, aux = _push_columns(partial, x_leaves, x_tree, basis, total, has_aux)
    elif total == 0:  # no input elements: one jvp gives the output structure
        zeros = [st.zeros(s, d) for s, d in zip(shapes, dtypes, strict=True)]
        y, ys_dot, aux = push(*tree_unflatten(x_tree, zeros))
        y_leaves, y_tree = tree_flatten(ys_dot)
        y_leaves = [st.zeros((0,) + tuple(_shape_of(t)), _dtype_of(t)) for t in y_leaves]
    else:
        parts, y_tree, aux = [], None, None
        for k, (r0, r1) in enumerate(_chunks(total, chunk_size, progress)):
            basis = [_basis_rows(r0, r1, *a) for a in zip(offsets, shapes, dtypes, x_leaves, strict=True)]
            _, ys_dot, aux_k = vmap(push, out_axes=(None, 0, None))(*tree_unflatten(x_tree, basis))
            if k == 0:
                aux = aux_k
            leaves, y_tree = tree_flatten(ys_dot)
            parts.append(leaves)
        y_leaves = _concat_rows(parts)
    if holomorphic:
        for yd in y_leaves:
            _require_output_dtype(_dtype_of(yd), "jacfwd", True)
    blocks = []
    for yd in y_leaves:
        so = tuple(_shape_of(yd)[1:])
        row = []
        for si, n, off in zip(shapes, sizes, offsets, strict=True):
            b = yd if n == total else st.getitem(yd, (slice(off, off + n),))
            b = st.reshape(b, tuple(si) + so) if len(si) != 1 else b
            if si and so:  # rows are inputs: out axes first
                b = st.transpose(b, tuple(range(len(si), len(si) + len(so))) + tuple(range(len(si))))
            row.append(b)
        sub = tree_unflatten(x_tree, row)
        blocks.append(sub[0] if single else sub)
    return _owned_tree(tree_unflatten(y_tree, blocks)), aux


def _push_columns(
    partial: Callable[..., Any], x_leaves: list[Any], x_tree: Any, basis: list[Any], size: int, has_aux: bool
) -> tuple[list[Any], Any, Any]:
    """``vmap(jvp)`` of ``partial`` at ``x_leaves`` over the ``basis`` rows, with the two
    traces set up directly (the public wrappers' argument checks and pytree rounds cost
    more than a small function). Returns the output tangents (batch axis first) as
    leaves, their tree and ``aux``."""
    btrace = BatchTrace(_state.trace, "jacfwd", size, st.moveaxis)
    jtrace = JVPTrace(btrace, "jacfwd")
    ins = [JVPTracer(jtrace, x, BatchTracer(btrace, b)) for x, b in zip(x_leaves, basis, strict=True)]
    try:
        out = _call(jtrace, partial, tree_unflatten(x_tree, ins))
        out, aux = _split_aux(out, has_aux, "jacfwd")
        flat_out, y_tree = tree_flatten(out)
        _check_outputs(flat_out, "jacfwd")
        cols = []
        for o in flat_out:
            p, t = jtrace.split(o)
            if t is None:  # a constant output: zero columns
                t = st.zeros_like_value(_output_value(p))
            cols.append(_vmap_output(btrace, t, 0, size)[0])
        if has_aux:
            aux = _lower_tree(jtrace, aux)
            leaves, aux_tree = tree_flatten(aux)
            for a in leaves:
                if btrace.owns(a):
                    raise ValueError(
                        "fad.jacfwd: the auxiliary output depends on the input's tangent. "
                        "Return values computed from the primal inputs as aux."
                    )
            aux = tree_unflatten(aux_tree, [_output_value(a) for a in leaves])
        return cols, y_tree, aux
    finally:
        jtrace.alive = False
        btrace.alive = False


@overload
def jacobian(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: Literal[False] = False,
    mode: str = "auto",
    chunk_size: int | None = None,
    holomorphic: bool = False,
    progress: bool = False,
) -> Callable[P, Any]: ...
@overload
def jacobian(
    fun: Callable[P, tuple[Any, A]],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: Literal[True],
    mode: str = "auto",
    chunk_size: int | None = None,
    holomorphic: bool = False,
    progress: bool = False,
) -> Callable[P, tuple[Any, A]]: ...
@overload
def jacobian(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    mode: str = "auto",
    chunk_size: int | None = None,
    holomorphic: bool = False,
    progress: bool = False,
) -> Callable[P, Any]: ...
def jacobian(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    mode: str = "auto",
    chunk_size: int | None = None,
    holomorphic: bool = False,
    progress: bool = False,
) -> Callable[P, Any]:
    """The Jacobian, by forward or reverse mode, or by whichever needs fewer passes.

    The `"auto"` rule: with `n` the total number of input elements (over the `argnums`
    pytrees) and `m` the total number of output elements, forward mode is used when
    `n < m * JACOBIAN_CROSSOVER` (`fad._jacobians.JACOBIAN_CROSSOVER`, 1.0 as measured), else
    reverse mode. `m` is learnt from a reverse-mode evaluation, which is reused when reverse
    mode wins (when forward mode wins, that evaluation is an extra forward pass).

    Args:
        fun: The function to differentiate.
        argnums: As in `jacfwd` and `jacrev`.
        has_aux: As in `jacfwd` and `jacrev`.
        mode: `"fwd"` (`jacfwd`), `"rev"` (`jacrev`) or `"auto"`.
        chunk_size: As in `jacfwd` and `jacrev`.
        holomorphic: As in `jacfwd` and `jacrev`; without it, complex inputs take reverse
            mode (forward mode needs real inputs).
        progress: As in `jacfwd` and `jacrev`.

    Returns:
        A function of `fun`'s arguments returning the Jacobian (`(jacobian, aux)` with
        `has_aux=True`), laid out as `jacrev`'s.

    Raises:
        ValueError: If `mode` is not one of `"fwd"`, `"rev"`, `"auto"`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.jacobian(lambda x: fnp.sum(x ** 2))(fnp.array([1.0, 2.0]))  # 2 inputs > 1 output: rev
        array([2., 4.])
    """
    _check_callable(fun, "jacobian")
    if mode == "fwd":
        return jacfwd(fun, argnums, has_aux, holomorphic, chunk_size=chunk_size, progress=progress)
    if mode == "rev":
        return jacrev(fun, argnums, has_aux, holomorphic, chunk_size=chunk_size, progress=progress)
    if mode != "auto":
        raise ValueError(f"fad.jacobian: mode must be 'auto', 'fwd' or 'rev', got {mode!r}.")
    chunk_size, progress = _check_chunk_size(chunk_size, "jacobian"), _check_progress(progress, "jacobian")
    check_argnums = _argnums_checker(argnums, "jacobian")

    @_user_call
    def jacfun(*args: P.args, **kwargs: P.kwargs) -> Any:
        single, nums = check_argnums(len(args))
        partial, dyn = _split_args(fun, args, kwargs, nums)
        x_leaves, x_tree = _float_leaves(dyn, nums, "jacobian", holomorphic=holomorphic)
        n = sum(st.size_of(_shape_of(x)) for x in x_leaves)
        y, vjp_fn, aux = _vjp(partial, dyn, has_aux, "jacobian", flat=(x_leaves, x_tree))
        m = sum(st.size_of(_shape_of(o)) for o in tree_flatten(y)[0])
        fwd_ok = holomorphic or all(_dtype_of(x).kind != "c" for x in x_leaves)
        if n < m * JACOBIAN_CROSSOVER and fwd_ok:
            del vjp_fn
            jac, aux = _jacfwd_flat(
                partial, x_leaves, x_tree, single, has_aux, chunk_size, holomorphic, progress
            )
        else:
            jac = _jacrev_from_vjp(y, vjp_fn, single, chunk_size, "jacobian", holomorphic, progress)
        return (jac, aux) if has_aux else jac

    return jacfun


@overload
def hessian(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: Literal[False] = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]: ...
@overload
def hessian(
    fun: Callable[P, tuple[Any, A]],
    argnums: int | Sequence[int] = 0,
    *,
    has_aux: Literal[True],
    holomorphic: bool = False,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, tuple[Any, A]]: ...
@overload
def hessian(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]: ...
def hessian(
    fun: Callable[P, Any],
    argnums: int | Sequence[int] = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    *,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Callable[P, Any]:
    """The Hessian of a scalar `fun`, by forward-over-reverse (`jacfwd(jacrev(fun))`).

    Args:
        fun: The function, with a real scalar output.
        argnums: The positional argument to differentiate with respect to (an int), or several
            (a sequence of ints: a nested tuple of blocks).
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned beside the Hessian.
        holomorphic: The second complex derivative of a holomorphic `fun` (as in JAX, complex
            inputs otherwise need it: the outer `jacfwd` takes real inputs only).
        chunk_size: Bound memory: the forward pass pushes `chunk_size` input directions at a
            time (and the inner `jacrev` pulls back as many rows at a time); the result is the
            same.
        progress: Show a bar over the forward pass's chunks.

    Returns:
        A function of `fun`'s arguments returning the Hessian, of shape `in + in` for an input
        of shape `in` (`(hessian, aux)` with `has_aux=True`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.hessian(lambda x: (x ** 3).sum())(fnp.array([1.0, 2.0]))
        array([[ 6.,  0.],
               [ 0., 12.]])
    """
    _check_callable(fun, "hessian")
    chunk_size, progress = _check_chunk_size(chunk_size, "hessian"), _check_progress(progress, "hessian")
    inner = jacrev(fun, argnums, has_aux, holomorphic, chunk_size=chunk_size)
    outer = _make_jacfwd(inner, argnums, has_aux, chunk_size, "hessian", holomorphic, progress)
    return functools.wraps(fun)(outer)
