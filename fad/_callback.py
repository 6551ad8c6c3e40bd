"""``pure_callback``: a Python function on NumPy values as one operation of a traced
program (JAX's `jax.pure_callback`).

The function runs on concrete NumPy arrays when the program runs: eagerly, at every call of
a `jit`-compiled function (not when it is captured), and under `vmap` as its
``vmap_method`` says. It is pure: the simplifier may drop a call whose result is unused or
merge two equal calls. It has no derivative of its own; give it one with `custom_jvp` or
`custom_vjp`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import declare, dense
from fad._staging import staging_below
from fad._tree import tree_flatten, tree_unflatten
from fad.numpy import broadcast_to, expand_dims, moveaxis

__all__ = ["io_callback", "pure_callback"]

_VMAP_METHODS = ("sequential", "sequential_unrolled", "expand_dims", "broadcast_all", "legacy_vectorized")


def _impl(*leaves: Any, fn: Callable[..., Any], in_tree: Any, specs: Any, out_tree: Any, method: Any) -> Any:
    if staging_below():  # (jit's capture runs operations on example values: not a call)
        return tuple(np.zeros(shape, dtype) for shape, dtype in specs)
    args, kwargs = tree_unflatten(in_tree, [np.asarray(x) for x in leaves])
    out = fn(*args, **kwargs)
    flat, tree = tree_flatten(out)
    if tree != out_tree:
        raise TypeError(
            f"fad.pure_callback: the callback returned a {tree}, but result_shape_dtypes "
            f"promised a {out_tree}. Return values of the structure you declared."
        )
    outs = []
    for k, (o, (shape, dtype)) in enumerate(zip(flat, specs, strict=True)):
        o = np.asarray(o)
        if o.shape != shape or o.dtype != dtype:
            raise TypeError(
                f"fad.pure_callback: result {k} of the callback has shape {o.shape} and dtype "
                f"{o.dtype}, but result_shape_dtypes declared shape {shape} and dtype {dtype}. "
                "Return arrays of the declared shapes and dtypes (convert with np.asarray(..., dtype))."
            )
        outs.append(o)
    return tuple(outs)


def _batch(vals: Any, bdims: Any, *, fn: Any, in_tree: Any, specs: Any, out_tree: Any, method: Any) -> Any:
    return _batched(pure_callback_p, vals, bdims, fn, in_tree, specs, out_tree, method)


def _batched(
    prim: Primitive, vals: Any, bdims: Any, fn: Any, in_tree: Any, specs: Any, out_tree: Any, method: Any
) -> Any:
    size = next(v.shape[d] for v, d in zip(vals, bdims, strict=True) if d is not None)
    moved = [v if d is None else moveaxis(v, d, 0) for v, d in zip(vals, bdims, strict=True)]
    batched = tuple(d is not None for d in bdims)
    out_specs = tuple(((size, *shape), dtype) for shape, dtype in specs)
    if method is None:
        raise NotImplementedError(
            "fad.pure_callback under vmap needs vmap_method=: 'sequential' (one call per "
            "example), 'expand_dims' (one call, unbatched arguments with a leading axis of "
            "size 1) or 'broadcast_all' (one call, every argument batched)."
        )
    if method in ("sequential", "sequential_unrolled"):
        inner = fn

        def fn(*args: Any, **kwargs: Any) -> Any:  # one call per example, results stacked
            leaves, tree = tree_flatten((args, kwargs))
            results = []
            for i in range(size):
                picked = [x[i] if b else x for x, b in zip(leaves, batched, strict=True)]
                a, k = tree_unflatten(tree, picked)
                results.append(tree_flatten(inner(*a, **k))[0])
            return tree_unflatten(out_tree, [np.stack(r) for r in zip(*results, strict=True)])

    elif method == "broadcast_all":
        moved = [
            v if b else broadcast_to(v, (size, *np.shape(v))) for v, b in zip(moved, batched, strict=True)
        ]
    else:  # expand_dims (and JAX's deprecated legacy_vectorized, its old name)
        moved = [v if b else expand_dims(v, 0) for v, b in zip(moved, batched, strict=True)]
    outs = bind(prim, *moved, fn=fn, in_tree=in_tree, specs=out_specs, out_tree=out_tree, method=method)
    return outs, (0,) * len(outs)


def _no_derivative(*_: Any, **__: Any) -> Any:
    raise TypeError(
        "A callback (fad.pure_callback, io_callback) has no derivative: fad cannot see inside the "
        "Python function. Wrap the function that calls it in fad.custom_jvp or fad.custom_vjp and "
        "give the derivative there."
    )


#: A pure Python function of NumPy values, called when the program runs.
pure_callback_p = Primitive("pure_callback", _impl, multiple_results=True)
pure_callback_p.batch = _batch
pure_callback_p.jvp = _no_derivative
pure_callback_p.vjp = _no_derivative
declare(pure_callback_p, dense, "nonlinear")  # (every output may depend on every input)


def pure_callback(
    callback: Callable[..., Any],
    result_shape_dtypes: Any,
    *args: Any,
    sharding: Any = None,
    vmap_method: str | None = None,
    vectorized: Any = None,
    **kwargs: Any,
) -> Any:
    """Call a pure Python function on NumPy values from inside a transformed function, as
    `jax.pure_callback`.

    Args:
        callback: A function of NumPy arrays returning arrays of the declared shapes and
            dtypes; it must have no side effects (a call may be dropped or merged).
        result_shape_dtypes: A pytree of objects with `shape` and `dtype` (arrays,
            `ShapeDtypeStruct`s) describing the callback's result.
        *args: Pytrees of arrays passed to `callback`.
        sharding: Accepted for JAX's signature (one device).
        vmap_method: How the call is batched under `vmap`: `"sequential"` (one call per
            example), `"expand_dims"` (one call, batched arguments with the batch axis first
            and the others with a leading axis of size 1), `"broadcast_all"` (one call,
            every argument broadcast to the batch); without it `vmap` is refused.
        vectorized: JAX's deprecated flag: `True` means `vmap_method="legacy_vectorized"`
            (batched as `"expand_dims"`).
        **kwargs: Keyword arguments passed to `callback` (pytrees of arrays too).

    Returns:
        The callback's result, of the structure of `result_shape_dtypes`.

    Raises:
        ValueError: For an unknown `vmap_method`.
        TypeError: When the callback's result does not match `result_shape_dtypes`, or when
            it is differentiated.

    Examples:
        >>> import numpy as np, fad, fad.numpy as fnp
        >>> def host_sin(x):
        ...     return np.sin(x)
        >>> f = lambda x: fad.pure_callback(host_sin, x, x, vmap_method="expand_dims")
        >>> fad.jit(f)(np.zeros(2))
        array([0., 0.])
        >>> fad.vmap(f)(np.zeros((3, 2))).shape
        (3, 2)
    """
    del sharding
    if vectorized and vmap_method is None:
        vmap_method = "legacy_vectorized"
    if vmap_method is not None and vmap_method not in _VMAP_METHODS:
        raise ValueError(
            f"fad.pure_callback: vmap_method={vmap_method!r}; use one of {', '.join(_VMAP_METHODS)}."
        )
    return _call(
        pure_callback_p, "fad.pure_callback", callback, result_shape_dtypes, args, kwargs, vmap_method
    )


_TOKEN = np.zeros((), np.int32)


def _returning_token(callback: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        callback(*args, **kwargs)
        return _TOKEN

    return call


def _io_batch(vals: Any, bdims: Any, *, fn: Any, in_tree: Any, specs: Any, out_tree: Any, method: Any) -> Any:
    if method == "ordered":
        raise ValueError(
            "fad.experimental.io_callback(..., ordered=True) cannot be batched by vmap: its calls "
            "have an order. Pass ordered=False to call it once per example."
        )
    return _batched(io_callback_p, vals, bdims, fn, in_tree, specs, out_tree, "sequential")


#: A Python function called for its effects (and results) when the program runs: kept by
#: jit's simplifier however unused, never merged (`effectful`).
io_callback_p = Primitive("io_callback", _impl, multiple_results=True)
io_callback_p.batch = _io_batch
io_callback_p.jvp = _no_derivative
io_callback_p.vjp = _no_derivative
io_callback_p.effectful = True  # type: ignore[attr-defined]  # (read by fad._passes and fad._staging)
declare(io_callback_p, dense, "nonlinear")


def io_callback(
    callback: Callable[..., Any],
    result_shape_dtypes: Any,
    *args: Any,
    sharding: Any = None,
    ordered: bool = False,
    **kwargs: Any,
) -> Any:
    """Call a Python function with effects (reading a file, drawing from NumPy's generator,
    logging) from inside a transformed function, as `jax.experimental.io_callback`.

    Unlike `fad.pure_callback`, the call is kept under `jit` however unused its result, and
    two equal calls stay two. Under `vmap` it is called once per example (`ordered=True`
    refuses `vmap`, as in JAX). It has no derivative.

    Args:
        callback: A function of NumPy arrays returning arrays of the declared shapes and
            dtypes (None for `result_shape_dtypes=None`).
        result_shape_dtypes: A pytree of objects with `shape` and `dtype` describing the
            result, or None.
        *args: Pytrees of arrays passed to `callback`.
        sharding: Accepted for JAX's signature (one device).
        ordered: Whether the calls have an order that transforms keep: `vmap` is refused.
        **kwargs: Keyword arguments passed to `callback` (pytrees of arrays too).

    Returns:
        The callback's result, of the structure of `result_shape_dtypes`.

    Raises:
        TypeError: When the callback's result does not match `result_shape_dtypes`, or when
            it is differentiated.
        ValueError: Under `vmap` with `ordered=True`.

    Examples:
        >>> import numpy as np, fad
        >>> from fad.experimental import io_callback
        >>> rng = np.random.default_rng(0)
        >>> f = fad.jit(lambda x: io_callback(lambda: rng.uniform(size=2), x) + x)
        >>> bool((f(np.zeros(2)) != f(np.zeros(2))).all())  # (a new draw at every call)
        True
    """
    del sharding
    method = "ordered" if ordered else None
    return _call(
        io_callback_p, "fad.experimental.io_callback", callback, result_shape_dtypes, args, kwargs, method
    )


def _call(
    prim: Primitive, fname: str, callback: Any, result_shape_dtypes: Any, args: Any, kwargs: Any, method: Any
) -> Any:
    """Bind ``prim`` (a callback primitive) for ``callback(*args, **kwargs)``."""
    spec_leaves, out_tree = tree_flatten(result_shape_dtypes)
    nothing = None if spec_leaves else out_tree  # (no result: a token the program hands on)
    if nothing is not None:
        callback = _returning_token(callback)
        spec_leaves, out_tree = [_TOKEN], tree_flatten(_TOKEN)[1]
    try:
        specs = tuple((tuple(int(n) for n in s.shape), np.dtype(s.dtype)) for s in spec_leaves)
    except (AttributeError, TypeError):
        raise TypeError(
            f"{fname}: result_shape_dtypes must be a pytree of objects with shape and dtype (arrays "
            "or fad.ShapeDtypeStruct) describing what the callback returns, or None."
        ) from None
    leaves, in_tree = tree_flatten((args, kwargs))
    outs = bind(prim, *leaves, fn=callback, in_tree=in_tree, specs=specs, out_tree=out_tree, method=method)
    return tree_unflatten(out_tree, list(outs)) if nothing is None else tree_unflatten(nothing, [])
