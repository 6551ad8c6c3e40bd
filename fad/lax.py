"""Structured control flow with JAX's names: ``cond``, ``switch``, ``select``,
``fori_loop``, ``while_loop``, ``scan``, ``map``.

fad runs eagerly, so these are Python control flow over concrete values: ``grad``,
``jvp`` and ``vjp`` see every operation the taken branch or each iteration performs, in
forward and reverse mode alike (including ``while_loop``, which JAX cannot
reverse-differentiate). Under ``vmap`` a predicate may differ across the batch: ``cond``
and ``switch`` then evaluate every branch and select per example, and ``while_loop`` runs
until every example is done, freezing the finished ones.

>>> import fad, fad.numpy as fnp
>>> from fad import lax
>>> def halve_until_small(x):
...     return lax.while_loop(lambda v: v > 1.0, lambda v: v / 2, x)
>>> fad.vmap(halve_until_small)(fnp.array([0.5, 3.0, 10.0]))
array([0.5  , 0.75 , 0.625])
>>> fad.grad(halve_until_small)(10.0)
np.float64(0.0625)
"""

from __future__ import annotations

from fad._core import Tracer, TracerConversionError
from fad._prims.control import any_in_batch
from fad._prims.structural import getitem
from fad._staging import ConcretizationError
from fad._tree import tree_flatten, tree_unflatten
from fad.numpy import asarray, maximum, minimum, stack, where

__all__ = ["cond", "switch", "select", "fori_loop", "while_loop", "scan", "map"]


def _concrete_bool(p):
    """``bool(p)``, or None when ``p`` is batched (differs across a vmap batch)."""
    try:
        return bool(p)
    except TracerConversionError:
        return None


def _select_tree(p, on_true, on_false):
    t_leaves, t_tree = tree_flatten(on_true)
    f_leaves, f_tree = tree_flatten(on_false)
    if t_tree != f_tree:
        raise TypeError(
            f"The branches returned different structures: {t_tree} and {f_tree}. Every branch "
            "must return the same pytree structure, shapes and dtypes."
        )
    return tree_unflatten(t_tree, [where(p, a, b) for a, b in zip(t_leaves, f_leaves, strict=True)])


def select(pred, on_true, on_false):
    """Elementwise ``on_true if pred else on_false`` (``fad.numpy.where``)."""
    return where(pred, on_true, on_false)


def cond(pred, true_fun, false_fun, *operands):
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``.

    >>> import fad
    >>> fad.grad(lambda x: cond(x > 0, lambda v: v ** 2, lambda v: -v, x))(3.0)
    np.float64(6.0)
    """
    b = _concrete_bool(pred)
    if b is not None:
        return true_fun(*operands) if b else false_fun(*operands)
    return _select_tree(pred, true_fun(*operands), false_fun(*operands))


def switch(index, branches, *operands):
    """``branches[index](*operands)``, with ``index`` clamped to the valid range (as JAX).

    >>> switch(1, [lambda x: x + 1, lambda x: x * 10], 2.0)
    20.0
    """
    branches = list(branches)
    if not branches:
        raise ValueError("switch needs at least one branch.")
    n = len(branches)
    try:
        i = _concrete_int(index)
    except ConcretizationError:  # staged by jit: stage every branch and select, like cond
        i = None
    if i is not None:
        return branches[min(max(i, 0), n - 1)](*operands)
    index = minimum(maximum(index, 0), n - 1)
    out = branches[-1](*operands)
    for k in range(n - 2, -1, -1):
        out = _select_tree(index == k, branches[k](*operands), out)
    return out


def _concrete_int(x):
    """``int(x)``, or None when ``x`` is batched by vmap."""
    if isinstance(x, Tracer):
        try:
            return int(x._concrete("int"))
        except ConcretizationError:
            raise  # staged by jit: not a batch, a value the program cannot know
        except TracerConversionError:
            return None
    return int(x)


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``."""
    lo, hi = _bound(lower, "lower"), _bound(upper, "upper")
    val = init_val
    for i in range(lo, hi):
        val = body_fun(i, val)
    return val


def _bound(x, name):
    try:
        i = _concrete_int(x)
    except ConcretizationError as e:
        raise _staged_loop_error(f"fori_loop's {name} bound", "fori_loop") from e
    if i is None:
        raise TypeError(
            f"fori_loop's {name} bound differs across a vmap batch; use while_loop with a "
            "batched condition instead."
        )
    return i


def while_loop(cond_fun, body_fun, init_val):
    """``while cond_fun(val): val = body_fun(val)``; differentiable in both modes.

    Under ``vmap`` with a batched condition, it iterates while any example's condition
    holds and leaves the finished examples unchanged.
    """
    val = init_val
    while True:
        p = cond_fun(val)
        try:
            b = _concrete_bool(p)
            more = b if b is not None else bool(any_in_batch(p))
        except ConcretizationError as e:
            raise _staged_loop_error("while_loop's condition", "while_loop") from e
        if not more:
            return val
        val = body_fun(val) if b is not None else _select_tree(p, body_fun(val), val)


def _staged_loop_error(what, name):
    return ConcretizationError(
        f"{what} depends on a value that fad.jit is capturing (an argument of the jitted "
        f"function). fad.lax.{name} runs as a Python loop, so fad.jit cannot capture a loop "
        "whose trip count depends on argument values (JAX stages it; fad does not yet). "
        "Mark the arguments it depends on static (fad.jit(f, static_argnums=...)), or call "
        "this function without fad.jit: eagerly, grad, vmap and the other transforms handle "
        "the loop."
    )


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``; returns
    ``(carry, stacked ys)``, as ``jax.lax.scan``.

    >>> import fad.numpy as fnp
    >>> scan(lambda c, x: (c + x, c * x), 0.0, fnp.array([1.0, 2.0, 3.0]))
    (np.float64(6.0), array([0., 2., 9.]))
    """
    x_leaves, x_tree = tree_flatten(xs)
    n = length
    for leaf in x_leaves:
        m = leaf.shape[0] if hasattr(leaf, "shape") else len(leaf)
        if n is not None and m != n:
            raise ValueError(f"scan: xs leading axes differ ({m} vs {n}); they must all equal length.")
        n = m
    if n is None:
        raise ValueError("scan needs xs or an explicit length.")
    carry = init
    ys = [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = tree_unflatten(x_tree, [getitem(asarray(leaf), (i,)) for leaf in x_leaves]) if x_leaves else None
        carry, y = f(carry, x)
        ys[i] = y
    if n == 0 or ys[0] is None:
        return carry, None
    y_leaves = [tree_flatten(y)[0] for y in ys]
    y_tree = tree_flatten(ys[0])[1]
    stacked = [stack(list(col)) for col in zip(*y_leaves, strict=True)]
    return carry, tree_unflatten(y_tree, stacked)


def map(f, xs):  # noqa: A001 - JAX's name
    """``stack([f(x) for x in xs])`` over the leading axis of the pytree ``xs``."""
    _, ys = scan(lambda c, x: (c, f(x)), None, xs)
    return ys
