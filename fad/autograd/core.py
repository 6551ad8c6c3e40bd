"""autograd's ``core``: ``make_vjp``/``make_jvp`` on a function of one argument,
``vspace`` and ``VSpace``, and the rule declarations of ``extend``.

>>> from fad.autograd.core import make_vjp
>>> vjp, y = make_vjp(lambda x: x ** 2, 3.0)
>>> y, vjp(1.0)
(np.float64(9.0), np.float64(6.0))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fad
from fad.autograd._vspace import VSpace, vspace
from fad.autograd.differential_operators import _vjp
from fad.autograd.extend import (
    def_linear,
    defjvp,
    defjvp_argnum,
    defjvp_argnums,
    defvjp,
    defvjp_argnum,
    defvjp_argnums,
    primitive,
)

__all__ = [
    "VSpace",
    "def_linear",
    "defjvp",
    "defjvp_argnum",
    "defjvp_argnums",
    "defvjp",
    "defvjp_argnum",
    "defvjp_argnums",
    "make_jvp",
    "make_vjp",
    "primitive",
    "primitive_vjps",
    "vspace",
]


class _PrimitiveVJPs(dict[Any, Any]):
    """autograd's table of reverse rules, as a view of the primitives of
    ``fad.autograd.extend``: ``primitive_vjps.pop(f)`` removes ``f``'s rule."""

    def pop(self, fun: Any, default: Any = None) -> Any:
        rule = getattr(fun, "vjp_argnums", None)
        if rule is None:
            return default
        fun.vjp_argnums = None
        return rule

    def __setitem__(self, fun: Any, rule: Any) -> None:
        fun.vjp_argnums = rule


primitive_vjps = _PrimitiveVJPs()


def make_vjp(fun: Callable[..., Any], x: Any) -> Any:
    """``(vjp, fun(x))``: ``vjp(g)`` is ``g`` times the Jacobian of ``fun`` at ``x``."""
    return _vjp(fun, x)


def make_jvp(fun: Callable[..., Any], x: Any) -> Callable[..., Any]:
    """``jvp``: ``jvp(v) -> (fun(x), J v)`` (forward mode)."""
    return lambda v: fad.jvp(fun, (x,), (v,))
