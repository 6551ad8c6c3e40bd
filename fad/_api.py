"""The public transforms: jvp, vjp, linearize, grad, value_and_grad, jacfwd, jacrev,
hessian, vmap. Signatures and semantics follow JAX's (argnums, has_aux, in_axes,
out_axes, pytrees, Jacobian shape ``out.shape + in.shape``).

Every transform takes the function's pytree arguments apart, wraps the leaves it acts on
in its own tracers, runs the function with its trace current, and puts the results back
together. Results at the top level are plain NumPy values.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from fad._core import Tracer, _state
from fad._jvp import JVPTrace, JVPTracer
from fad._prims import structural as st
from fad._tree import broadcast_prefix, tree_flatten, tree_unflatten
from fad._vjp import VJPTrace, backward_pass
from fad._vmap import BatchTrace, BatchTracer

stop_gradient = st.stop_gradient

__all__ = [
    "jvp",
    "vjp",
    "linearize",
    "grad",
    "value_and_grad",
    "jacfwd",
    "jacrev",
    "jacobian",
    "hessian",
    "vmap",
    "stop_gradient",
]

#: JAX's dtype for the (empty) tangent of an integer or boolean value.
float0 = np.dtype([("float0", np.void, 0)])


# ------------------------------------------------------------------------- helpers


def _call(trace, fun, args, kwargs=None):
    """Run ``fun`` with ``trace`` current; the trace is dead once it returns."""
    st_ = _state
    prev = st_.trace
    st_.trace = trace
    try:
        return fun(*args, **(kwargs or {}))
    finally:
        st_.trace = prev


def _check_callable(fun, name):
    if not callable(fun):
        raise TypeError(f"fad.{name} expects a callable as its first argument, got {fun!r}.")


def _leaf_to_value(x, where):
    """A pytree leaf as an array (or the tracer it already is); reject what is not numeric."""
    if isinstance(x, Tracer):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        arr = x
    elif isinstance(x, (bool, int, float, complex)):
        arr = st.to_array(x)
    else:
        raise TypeError(
            f"{where} is a {type(x).__name__} ({x!r:.60}), not an array. Transforms take "
            "arrays, Python numbers and pytrees of them (tuples, lists, dicts, namedtuples, "
            "attrs classes); register other containers with fad.tree_util.register_pytree_node, "
            "or pass non-array values through a closure."
        )
    if arr.dtype.kind not in "biufc":
        raise TypeError(
            f"{where} has dtype {arr.dtype}, which fad cannot trace. Pass a numeric array."
        )
    return arr


def _is_float(x):
    return x.dtype.kind in "f"


def _require_float(x, fname, where):
    kind = x.dtype.kind
    if kind == "f":
        return
    if kind == "c":
        raise TypeError(
            f"fad.{fname} does not support complex inputs yet, but {where} has dtype "
            f"{x.dtype}. Split it into real and imaginary parts."
        )
    raise TypeError(
        f"fad.{fname} requires real floating-point inputs, but {where} has dtype {x.dtype}. "
        f"Differentiate with respect to a float array instead (e.g. x.astype(float), or 1.0 "
        f"instead of 1), or leave this argument out of argnums."
    )


def _normalize_argnums(argnums, nargs, fname):
    single = isinstance(argnums, (int, np.integer))
    nums = (int(argnums),) if single else tuple(int(a) for a in argnums)
    if not nums:
        raise ValueError(f"fad.{fname}: argnums must name at least one argument.")
    for a in nums:
        if not -nargs <= a < nargs:
            raise TypeError(
                f"fad.{fname}: argnums={argnums!r} asks to differentiate with respect to "
                f"positional argument {a}, but the function was called with {nargs} "
                "positional argument(s). Pass that argument positionally, or change argnums."
            )
    return single, tuple(a % nargs for a in nums)


def _split_args(fun, args, kwargs, argnums):
    """``fun`` as a function of the ``argnums`` arguments only (the rest closed over)."""

    def partial(*dyn):
        full = list(args)
        for i, a in zip(argnums, dyn, strict=True):
            full[i] = a
        return fun(*full, **kwargs)

    return partial, tuple(args[i] for i in argnums)


def _flat_inputs(tree, fname, what):
    leaves, treedef = tree_flatten(tree)
    return [_leaf_to_value(x, f"{what} {i} of fad.{fname}") for i, x in enumerate(leaves)], treedef


def _split_aux(out, has_aux, fname):
    if not has_aux:
        return out, None
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(
            f"fad.{fname}(..., has_aux=True) expects the function to return a pair "
            f"(output, aux), but it returned {type(out).__name__}."
        )
    return out[0], out[1]


def _lower_tree(trace, tree):
    """Strip ``trace``'s tracers from ``tree`` (their values one level down)."""
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, [trace.lower(x) for x in leaves])


def _shape_of(x):
    return x.shape if hasattr(x, "shape") else np.shape(x)


def _dtype_of(x):
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


# ----------------------------------------------------------------------------- jvp


def jvp(fun: Callable, primals: Sequence, tangents: Sequence, has_aux: bool = False):
    """Forward mode: evaluate ``fun`` and its directional derivative.

    Returns ``(fun(*primals), J @ tangents)`` (plus ``aux`` with ``has_aux=True``).
    ``primals`` and ``tangents`` are tuples or lists of the same pytree structure, shapes
    and dtypes.

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
            f"{tree_p} and {tree_t}."
        )
    flat_t = [
        t if getattr(t, "dtype", None) == float0 else _leaf_to_value(t, f"tangent {i} of fad.jvp")
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
        primals_out, tangents_out = [], []
        for o in flat_out:
            p, t = trace.split(o)
            p = _output_value(p)
            primals_out.append(p)
            tangents_out.append(st.zeros_like_value(p) if t is None else t)
        result = (tree_unflatten(tree_out, primals_out), tree_unflatten(tree_out, tangents_out))
        return result + (_lower_tree(trace, aux),) if has_aux else result
    finally:
        trace.alive = False


def _jvp_input(trace, p, t, i):
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


def _output_value(x):
    """Python numbers returned by a transformed function become NumPy values."""
    if type(x) in (bool, int, float, complex):  # not NumPy scalars (np.float64 is a float)
        return st.to_array(x)
    return x


# ----------------------------------------------------------------------------- vjp


def _vjp(fun, primals, has_aux, fname):
    """Shared by vjp, grad and jacrev: run ``fun`` under a fresh VJPTrace."""
    flat_p, tree_p = _flat_inputs(tuple(primals), fname, "primal")
    trace = VJPTrace(_state.trace, fname)
    ins = [trace.new_input(p) if _is_float(p) else p for p in flat_p]
    wanted = [t.index for t in ins if trace.owns(t)]
    try:
        out = _call(trace, fun, tree_unflatten(tree_p, ins))
        out, aux = _split_aux(out, has_aux, fname)
        flat_out, tree_out = tree_flatten(out)
        out_primals = [_output_value(trace.lower(o)) for o in flat_out]
        targets = [o if trace.owns(o) else None for o in flat_out]
        aux = _lower_tree(trace, aux)
    finally:
        trace.alive = False

    def vjp_fn(ct):
        flat_ct, tree_ct = tree_flatten(ct)
        if tree_ct != tree_out:
            raise TypeError(
                f"The cotangent passed to the fad.{fname} pullback has structure {tree_ct}, but "
                f"the function's output has structure {tree_out}; they must match."
            )
        seeds = []
        for i, (t, c, o) in enumerate(zip(targets, flat_ct, out_primals, strict=True)):
            c = _check_cotangent(c, o, i, fname)
            if t is not None:
                seeds.append((t, c))
        cts = backward_pass(trace.tape, seeds, wanted) if seeds else [None] * len(wanted)
        it = iter(cts)
        res = []
        for p in flat_p:
            if _is_float(p):
                c = next(it)
                res.append(st.zeros_like_value(p) if c is None else c)
            else:
                res.append(st.zeros(_shape_of(p), float0))
        return tree_unflatten(tree_p, res)

    return tree_unflatten(tree_out, out_primals), vjp_fn, aux


def _check_cotangent(c, out, i, fname):
    expected_shape, expected_dtype = _shape_of(out), _dtype_of(out)
    if isinstance(c, (bool, int, float)):
        c = st.to_array(c, expected_dtype)
    elif not isinstance(c, (Tracer, np.ndarray, np.generic)):
        c = _leaf_to_value(c, f"cotangent {i} of the fad.{fname} pullback")
    if tuple(_shape_of(c)) != tuple(expected_shape):
        raise ValueError(
            f"The cotangent {i} passed to the fad.{fname} pullback has shape {_shape_of(c)}, "
            f"but the output it belongs to has shape {expected_shape}."
        )
    if _dtype_of(c) != expected_dtype:
        raise TypeError(
            f"The cotangent {i} passed to the fad.{fname} pullback has dtype {_dtype_of(c)}, "
            f"but the output it belongs to has dtype {expected_dtype}; use "
            f"ct.astype({expected_dtype.name})."
        )
    return c


def vjp(fun: Callable, *primals: Any, has_aux: bool = False):
    """Reverse mode: evaluate ``fun`` and return its pullback.

    Returns ``(fun(*primals), vjp_fn)`` (plus ``aux`` with ``has_aux=True``), where
    ``vjp_fn(ct)`` maps a cotangent of the output to a tuple with one cotangent per primal.
    ``vjp_fn`` can be called many times, and under other transforms (``vmap(vjp_fn)``).

    >>> import fad, fad.numpy as fnp
    >>> y, f_vjp = fad.vjp(lambda x: x ** 2, fnp.array([1.0, 2.0]))
    >>> f_vjp(fnp.ones(2))
    (array([2., 4.]),)
    """
    _check_callable(fun, "vjp")
    out, vjp_fn, aux = _vjp(fun, primals, has_aux, "vjp")
    return (out, vjp_fn, aux) if has_aux else (out, vjp_fn)


# ------------------------------------------------------------------------ linearize


def linearize(fun: Callable, *primals: Any):
    """Evaluate ``fun`` and return a function computing its Jacobian-vector products.

    Returns ``(fun(*primals), f_jvp)`` where ``f_jvp(*tangents) == jvp(fun, primals,
    tangents)[1]``. (Until staging lands, ``f_jvp`` re-runs forward mode on each call.)

    >>> import fad, fad.numpy as fnp
    >>> y, f_jvp = fad.linearize(fnp.sin, 0.0)
    >>> f_jvp(3.0)
    np.float64(3.0)
    """
    _check_callable(fun, "linearize")
    flat_p, tree_p = _flat_inputs(tuple(primals), "linearize", "primal")
    primals = tree_unflatten(tree_p, flat_p)
    out, _ = jvp(fun, primals, tuple(_zero_tangents(p) for p in primals))

    def f_jvp(*tangents):
        return jvp(fun, primals, tangents)[1]

    return out, f_jvp


def _zero_tangents(tree):
    leaves, td = tree_flatten(tree)
    return tree_unflatten(
        td, [st.zeros_like_value(x) if _dtype_of(x).kind in "fc" else st.zeros(_shape_of(x), float0) for x in leaves]
    )


# ------------------------------------------------------------------------------ grad


def value_and_grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """Like :func:`grad`, but the new function returns ``(value, gradient)``
    (``((value, aux), gradient)`` with ``has_aux=True``).

    >>> import fad
    >>> fad.value_and_grad(lambda x: x ** 3)(2.0)
    (np.float64(8.0), np.float64(12.0))
    """
    _check_callable(fun, "value_and_grad")
    return _make_grad(fun, argnums, has_aux, "value_and_grad", with_value=True)


def grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """The gradient of a scalar-valued ``fun`` with respect to the ``argnums`` arguments.

    ``argnums`` is an int (the gradient has that argument's pytree structure) or a tuple
    (a tuple of gradients). With ``has_aux=True`` ``fun`` returns ``(value, aux)`` and the
    new function returns ``(gradient, aux)``.

    >>> import fad, fad.numpy as fnp
    >>> f = lambda x1, x2, x3: 3 * (x1 ** 2 + x2 * x3)
    >>> fad.grad(f, argnums=(0, 1, 2))(2.0, 3.0, 4.0)
    (np.float64(12.0), np.float64(12.0), np.float64(9.0))
    """
    _check_callable(fun, "grad")
    return _make_grad(fun, argnums, has_aux, "grad", with_value=False)


def _make_grad(fun, argnums, has_aux, fname, with_value):
    @functools.wraps(fun)
    def grad_fun(*args, **kwargs):
        single, nums = _normalize_argnums(argnums, len(args), fname)
        partial, dyn = _split_args(fun, args, kwargs, nums)
        for k, a in zip(nums, dyn, strict=True):
            for j, leaf in enumerate(tree_flatten(a)[0]):
                where = f"argument {k}" + (f" (leaf {j})" if j else "")
                _require_float(_leaf_to_value(leaf, f"argument {k} of fad.{fname}"), fname, where)
        out, vjp_fn, aux = _vjp(partial, dyn, has_aux, fname)
        _require_scalar(out, fname)
        g = vjp_fn(st.full((), 1, _dtype_of(out)))
        g = g[0] if single else g
        if with_value:
            return ((out, aux) if has_aux else out), g
        return (g, aux) if has_aux else g

    return grad_fun


def _require_scalar(out, fname):
    if isinstance(out, (tuple, list, dict)) or out is None:
        raise TypeError(
            f"fad.{fname} requires the function to return a single scalar, but it returned a "
            f"{type(out).__name__}. Return one scalar (use has_aux=True to return extra values "
            "alongside it), or use fad.jacrev / fad.vjp for several outputs."
        )
    shape = _shape_of(out)
    if shape != ():
        raise TypeError(
            f"fad.{fname} requires a scalar output, but the function returned an array of "
            f"shape {shape}. Reduce it to a scalar (for example with .sum()), or use "
            "fad.jacrev / fad.jacfwd for the Jacobian, or fad.vjp for a vector-Jacobian product."
        )
    if _dtype_of(out).kind != "f":
        raise TypeError(
            f"fad.{fname} requires a real floating-point output, but the function returned "
            f"dtype {_dtype_of(out)}. Make the output a float (integer and boolean values "
            "carry no derivative)."
        )


# ------------------------------------------------------------------------- Jacobians


def _basis(n_total, offset, shape, dtype):
    """Rows ``offset:offset+size`` of an ``n_total`` identity, shaped ``(n_total,) + shape``."""
    size = int(np.prod(shape, dtype=np.int64))
    return st.eye(n_total, size, k=-offset, dtype=dtype).reshape((n_total,) + tuple(shape))


def _basis_tree(leaves):
    shapes = [_shape_of(x) for x in leaves]
    sizes = [int(np.prod(s, dtype=np.int64)) for s in shapes]
    total = sum(sizes)
    offsets = np.cumsum([0] + sizes[:-1]).tolist() if sizes else []
    basis = [_basis(total, o, s, _dtype_of(x)) for x, o, s in zip(leaves, offsets, shapes, strict=True)]
    return basis, shapes, sizes, offsets


def jacrev(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """Jacobian by reverse mode: one vectorized ``vjp`` pass (``vmap`` over the rows).

    The Jacobian of an output of shape ``out`` with respect to an input of shape ``in`` has
    shape ``out + in``; pytrees nest as the output's structure of the inputs' structure.
    Prefer it when there are fewer outputs than inputs.

    >>> import fad, fad.numpy as fnp
    >>> fad.jacrev(lambda x: x ** 2)(fnp.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    _check_callable(fun, "jacrev")

    def jacfun(*args, **kwargs):
        single, nums = _normalize_argnums(argnums, len(args), "jacrev")
        partial, dyn = _split_args(fun, args, kwargs, nums)
        _check_float_tree(dyn, nums, "jacrev")
        y, vjp_fn, aux = _vjp(partial, dyn, has_aux, "jacrev")
        y_leaves, y_tree = tree_flatten(y)
        for leaf in y_leaves:
            if _dtype_of(leaf).kind != "f":
                raise TypeError(
                    f"fad.jacrev requires real floating-point outputs, got dtype {_dtype_of(leaf)}."
                )
        basis, shapes, sizes, offsets = _basis_tree(y_leaves)
        cts = vmap(vjp_fn)(tree_unflatten(y_tree, basis))  # per dyn arg: (M,) + in shapes
        x_leaves, x_tree = tree_flatten(cts)
        blocks = []
        for so, n, off in zip(shapes, sizes, offsets, strict=True):
            row = [
                st.reshape(st.getitem(c, (slice(off, off + n),)), tuple(so) + tuple(_shape_of(c)[1:]))
                for c in x_leaves
            ]
            sub = tree_unflatten(x_tree, row)
            blocks.append(sub[0] if single else sub)
        jac = tree_unflatten(y_tree, blocks)
        return (jac, aux) if has_aux else jac

    return jacfun


def jacfwd(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """Jacobian by forward mode: one vectorized ``jvp`` pass (``vmap`` over the columns).

    Same result layout as :func:`jacrev`. Prefer it when there are fewer inputs than outputs.

    >>> import fad, fad.numpy as fnp
    >>> fad.jacfwd(lambda x: fnp.stack([x.sum(), (x ** 2).sum()]))(fnp.array([1.0, 2.0]))
    array([[1., 1.],
           [2., 4.]])
    """
    _check_callable(fun, "jacfwd")

    def jacfun(*args, **kwargs):
        single, nums = _normalize_argnums(argnums, len(args), "jacfwd")
        partial, dyn = _split_args(fun, args, kwargs, nums)
        _check_float_tree(dyn, nums, "jacfwd")
        x_leaves, x_tree = _flat_inputs(dyn, "jacfwd", "argument")
        basis, shapes, sizes, offsets = _basis_tree(x_leaves)
        x_in = tree_unflatten(x_tree, x_leaves)

        def push(*tangents):
            r = jvp(partial, x_in, tangents, has_aux=has_aux)
            return (r[0], r[1], r[2]) if has_aux else (r[0], r[1], None)

        y, ys_dot, aux = vmap(push, out_axes=(None, 0, None))(*tree_unflatten(x_tree, basis))
        y_leaves, y_tree = tree_flatten(ys_dot)
        blocks = []
        for yd in y_leaves:
            so = tuple(_shape_of(yd)[1:])
            row = []
            for si, n, off in zip(shapes, sizes, offsets, strict=True):
                b = st.reshape(st.getitem(yd, (slice(off, off + n),)), tuple(si) + so)
                perm = tuple(range(len(si), len(si) + len(so))) + tuple(range(len(si)))
                row.append(st.transpose(b, perm))
            sub = tree_unflatten(x_tree, row)
            blocks.append(sub[0] if single else sub)
        jac = tree_unflatten(y_tree, blocks)
        return (jac, aux) if has_aux else jac

    return jacfun


def _check_float_tree(dyn, nums, fname):
    for k, a in zip(nums, dyn, strict=True):
        for leaf in tree_flatten(a)[0]:
            _require_float(_leaf_to_value(leaf, f"argument {k} of fad.{fname}"), fname, f"argument {k}")


def jacobian(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False, mode: str = "rev"):
    """The Jacobian by ``mode="fwd"`` (:func:`jacfwd`) or ``"rev"`` (:func:`jacrev`)."""
    if mode == "fwd":
        return jacfwd(fun, argnums, has_aux)
    if mode == "rev":
        return jacrev(fun, argnums, has_aux)
    raise ValueError(f"fad.jacobian: mode must be 'fwd' or 'rev', got {mode!r}.")


def hessian(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """The Hessian of a scalar ``fun``, by forward-over-reverse (``jacfwd(jacrev(fun))``).

    >>> import fad, fad.numpy as fnp
    >>> fad.hessian(lambda x: (x ** 3).sum())(fnp.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    _check_callable(fun, "hessian")
    return jacfwd(jacrev(fun, argnums, has_aux), argnums, has_aux)


# ------------------------------------------------------------------------------ vmap


def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0, axis_size: int | None = None):
    """Vectorize ``fun`` over an axis of its arguments.

    ``in_axes``: an int, ``None`` (not mapped) or a pytree prefix of the positional
    arguments (a tuple with one entry per argument, each an int, ``None`` or a matching
    container). Negative axes count from the end. ``out_axes`` likewise for the output.
    ``axis_size`` gives the size when no argument is mapped.

    >>> import fad, fad.numpy as fnp
    >>> fad.vmap(lambda x, y: x @ y, in_axes=(0, None))(fnp.ones((3, 2)), fnp.ones(2))
    array([2., 2., 2.])
    """
    _check_callable(fun, "vmap")
    _check_axes_spec(in_axes, "in_axes")
    _check_axes_spec(out_axes, "out_axes")

    @functools.wraps(fun)
    def batched(*args, **kwargs):
        axes_spec = tuple(in_axes) if isinstance(in_axes, list) else in_axes
        if isinstance(axes_spec, tuple) and len(axes_spec) != len(args):
            raise ValueError(
                f"fad.vmap: in_axes has {len(axes_spec)} entries but the function was called "
                f"with {len(args)} positional argument(s). in_axes must be an int, None, or a "
                "tuple with one entry per positional argument."
            )
        leaves, treedef = tree_flatten(args)
        if isinstance(axes_spec, tuple):
            axes = broadcast_prefix(axes_spec, args, what="vmap in_axes")
        else:
            axes = [axes_spec] * len(leaves)
        kw_leaves, kw_tree = tree_flatten(kwargs)
        leaves = leaves + kw_leaves
        axes = axes + [0] * len(kw_leaves)
        values, axes, size = _vmap_inputs(leaves, axes, axis_size)
        trace = BatchTrace(_state.trace, "vmap", size, st.moveaxis)
        wrapped = [
            v if ax is None else BatchTracer(trace, st.move_batch_to_front(v, ax))
            for v, ax in zip(values, axes, strict=True)
        ]
        n = treedef.num_leaves
        try:
            out = _call(
                trace, fun, tree_unflatten(treedef, wrapped[:n]), tree_unflatten(kw_tree, wrapped[n:])
            )
            out_leaves, out_tree = tree_flatten(out)
            oaxes = broadcast_prefix(out_axes, out, what="vmap out_axes")
            return tree_unflatten(
                out_tree,
                [_vmap_output(trace, o, ax, size) for o, ax in zip(out_leaves, oaxes, strict=True)],
            )
        finally:
            trace.alive = False

    return batched


def _check_axes_spec(spec, name):
    for leaf in tree_flatten(spec)[0]:
        if not isinstance(leaf, (int, np.integer)) or isinstance(leaf, bool):
            raise TypeError(
                f"fad.vmap {name} must be built from ints and None (in tuples, lists or dicts "
                f"matching the arguments), got {leaf!r} in {spec!r}."
            )


def _vmap_inputs(leaves, axes, axis_size):
    values, norm_axes, sizes = [], [], []
    for i, (x, ax) in enumerate(zip(leaves, axes, strict=True)):
        if ax is None:
            values.append(x)
            norm_axes.append(None)
            continue
        x = _leaf_to_value(x, f"argument leaf {i} of fad.vmap")
        shape = _shape_of(x)
        if not -len(shape) <= ax < len(shape):
            raise ValueError(
                f"fad.vmap was asked to map argument leaf {i} along axis {ax}, but it has shape "
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
            f"  * argument leaf {i} of shape {shape} has size {n} along axis {ax}"
            for i, shape, ax, n in sizes
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


def _vmap_output(trace, o, ax, size):
    if type(o) is BatchTracer and o._trace is trace:
        if ax is None:
            raise ValueError(
                "fad.vmap: an output with out_axes=None depends on the mapped inputs, so it "
                "differs across the batch. Give it an out_axes entry (e.g. 0), or return a "
                "value that does not depend on the mapped arguments."
            )
        v = o.val
        return st.moveaxis(v, 0, _out_axis(ax, len(_shape_of(v))))
    o = _output_value(o)
    if ax is None:
        return o
    shape = tuple(_shape_of(o))
    v = st.broadcast_to(o, (size,) + shape)
    return st.moveaxis(v, 0, _out_axis(ax, len(shape) + 1))


def _out_axis(ax, nd):
    if not -nd <= ax < nd:
        raise ValueError(f"fad.vmap: out_axes {ax} is out of range for an output of rank {nd}.")
    return ax % nd

