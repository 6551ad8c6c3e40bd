"""Printing and callbacks from inside transformed functions (`jax.debug`).

`fad.debug.print("x = {}", x)` prints the value of `x` when the function runs: eagerly,
under `grad`/`jvp` (the primal values), under `vmap` (once per example), and under `jit`
at every call of the compiled function (not once, when it is captured, as Python's own
`print` would). `fad.debug.callback(f, *args)` calls any Python function that way. The
call is kept by `jit`'s simplifier however unused its result, and two equal calls stay
two. In the reverse pass of a `lax` loop, which recomputes the loop's body, the call
runs again.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> def f(x):
    ...     fad.debug.print("x = {}", x)
    ...     return x * 2
    >>> g = fad.jit(f)
    >>> _ = g(1.0)
    x = 1.0
    >>> _ = g(2.0)
    x = 2.0
    >>> _ = fad.vmap(f)(fnp.array([3.0, 4.0]))
    x = 3.0
    x = 4.0
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._staging import staging_below
from fad._tree import tree_flatten, tree_unflatten
from fad.numpy import moveaxis

__all__ = ["callback", "print"]

_TOKEN = np.zeros((), np.int32)  # the primitive's result: nothing reads it


def _impl(
    *leaves: Any, fn: Callable[..., Any], tree: Any, levels: tuple[Any, ...], sizes: tuple[int, ...]
) -> Any:
    if staging_below():  # (jit's capture runs the operation on its example values: not a call)
        return _TOKEN
    if not sizes:
        args, kwargs = tree_unflatten(tree, list(leaves))
        fn(*args, **kwargs)
        return _TOKEN
    for idx in np.ndindex(*sizes):  # under vmap: one call per example, outer maps first
        picked = [
            leaf[tuple(i for i, on in zip(idx, lv, strict=True) if on)] if any(lv) else leaf
            for leaf, lv in zip(leaves, levels, strict=True)
        ]
        args, kwargs = tree_unflatten(tree, picked)
        fn(*args, **kwargs)
    return _TOKEN


def _batch(vals: Any, bdims: Any, *, fn: Any, tree: Any, levels: Any, sizes: Any) -> Any:
    size = next(v.shape[d] for v, d in zip(vals, bdims, strict=True) if d is not None)
    moved = [v if d is None else moveaxis(v, d, 0) for v, d in zip(vals, bdims, strict=True)]
    levels = tuple((d is not None, *lv) for d, lv in zip(bdims, levels, strict=True))
    return bind(callback_p, *moved, fn=fn, tree=tree, levels=levels, sizes=(size, *sizes)), None


#: A call of a Python function for its effect. Its result is a token nothing reads; it has
#: no derivative (the function sees primal values), and `jit` keeps it (`effectful`).
callback_p = Primitive("debug_callback", _impl, differentiable=False)
callback_p.batch = _batch
callback_p.effectful = True  # type: ignore[attr-defined]  # (read by fad._passes and fad._staging: kept, never merged)


def callback(callback: Callable[..., Any], *args: Any, ordered: bool = False, **kwargs: Any) -> None:
    """Call `callback(*args, **kwargs)` with the arguments' values when the function runs,
    under every transform (JAX's `jax.debug.callback`).

    Args:
        callback: A Python function; its result is ignored.
        *args: Pytrees of arrays (and Python values) passed to it.
        ordered: Accepted for JAX's signature (fad calls in program order).
        **kwargs: Keyword arguments passed to it (pytrees too).

    Returns:
        None.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> seen = []
        >>> def f(x):
        ...     fad.debug.callback(lambda v: seen.append(float(v)), x)
        ...     return fnp.sin(x)
        >>> _ = fad.grad(fad.jit(f))(0.5)
        >>> seen
        [0.5]
    """
    del ordered
    leaves, tree = tree_flatten((args, kwargs))
    bind(
        callback_p,
        *leaves,
        fn=callback,
        tree=tree,
        levels=tuple(() for _ in leaves),
        sizes=(),
    )


def print(fmt: str, *args: Any, ordered: bool = False, **kwargs: Any) -> None:  # noqa: A001 - JAX's name
    """Print `fmt.format(*args, **kwargs)` with the arguments' values when the function runs,
    under every transform (JAX's `jax.debug.print`).

    Args:
        fmt: A format string, as `str.format`'s.
        *args: Values for its positional fields (arrays, pytrees).
        ordered: Accepted for JAX's signature.
        **kwargs: Values for its named fields.

    Returns:
        None.

    Examples:
        >>> import fad
        >>> _ = fad.jit(lambda x: fad.debug.print("x is {x}", x=x) or x)(2.0)
        x is 2.0
    """
    callback(lambda *a, **k: builtins.print(fmt.format(*a, **k)), *args, ordered=ordered, **kwargs)
