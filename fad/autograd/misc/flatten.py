"""``autograd.misc.flatten``: nested tuples, lists and dicts of arrays to one vector and back.

>>> from fad.autograd.misc.flatten import flatten
>>> flat, unflatten = flatten({"b": [1.0, 2.0], "a": 3.0})
>>> flat, unflatten(flat * 10)["b"]
(array([3., 1., 2.]), [array(10.), array(20.)])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fad.flatten_util import ravel_pytree

__all__ = ["flatten", "flatten_func"]


def flatten(value: Any) -> tuple[Any, Callable[..., Any]]:
    """``(vector, unflatten)`` for a nesting of tuples, lists and dicts (keys in sorted order)
    with arrays or scalars inside; differentiable both ways (``fad.flatten_util.ravel_pytree``)."""
    return ravel_pytree(value)


def flatten_func(
    func: Callable[..., Any], example: Any
) -> tuple[Callable[..., Any], Callable[..., Any], Any]:
    """``(flat_func, unflatten, flat_example)``: ``flat_func(vector, *args)`` is ``func`` on the
    unflattened vector, its output flattened."""
    _ex, unflatten = flatten(example)

    def _func(_x: Any, *args: Any) -> Any:
        return flatten(func(unflatten(_x), *args))[0]

    return _func, unflatten, _ex
