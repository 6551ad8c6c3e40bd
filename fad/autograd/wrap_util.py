"""autograd's ``wrap_util``: ``unary_to_nary`` turns an operator on a function of one
argument into one on functions of many, with ``argnum``; ``wraps``.

>>> import fad
>>> from fad.autograd.wrap_util import unary_to_nary
>>> @unary_to_nary
... def twice(fun, x):
...     return 2 * fun(x)
>>> twice(lambda a, b: a * b, 1)(3.0, 4.0)
24.0
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fad.autograd.differential_operators import _nary

__all__ = ["unary_to_nary", "wraps"]


def unary_to_nary(unary_operator: Callable[..., Any]) -> Any:
    """``operator(fun, argnum=0, *op_args)``, from ``unary_operator(f, x, *op_args)``."""
    return _nary(unary_operator)


def wraps(
    fun: Callable[..., Any], namestr: str = "{fun}", docstr: str = "{doc}", **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``functools.wraps``, with autograd's ``namestr``/``docstr`` templates."""

    def _wraps(f: Any) -> Any:
        functools.update_wrapper(f, fun)
        name = getattr(fun, "__name__", "function")
        f.__name__ = namestr.format(fun=name, **kwargs)
        f.__doc__ = docstr.format(fun=name, doc=getattr(fun, "__doc__", None) or "", **kwargs)
        return f

    return _wraps
