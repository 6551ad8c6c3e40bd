"""``autograd.misc.fixed_points``: a fixed point differentiated by the implicit function theorem.

>>> import fad.autograd.numpy as np
>>> from fad.autograd import grad
>>> from fad.autograd.misc.fixed_points import fixed_point
>>> newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)       # x* = sqrt(a)
>>> dist = lambda x, y: np.abs(x - y)
>>> sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, dist, 1e-12)
>>> float(sqrt(2.0)), float(grad(sqrt)(2.0))                 # d sqrt(a) / da = 1 / (2 sqrt(a))
(1.414213562373095, 0.35355339059327373)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fad.autograd.differential_operators import make_vjp
from fad.autograd.extend import defvjp, primitive
from fad.tree_util import tree_map

__all__ = ["fixed_point"]


@primitive
def fixed_point(f: Callable[..., Any], a: Any, x0: Any, distance: Callable[..., Any], tol: float) -> Any:
    """Iterate ``x <- f(a)(x)`` from ``x0`` until ``distance(x, x_prev) <= tol``.

    The derivative with respect to ``a`` solves the adjoint fixed point ``v = g + v J_x``
    (with the same ``distance`` and ``tol``), never differentiating the iterations."""
    _f = f(a)
    x, x_prev = _f(x0), x0
    while distance(x, x_prev) > tol:
        x, x_prev = _f(x), x
    return x


def _fixed_point_vjp(ans: Any, f: Any, a: Any, x0: Any, distance: Any, tol: Any) -> Any:
    def rev_iter(params: Any) -> Any:
        a, x_star, x_star_bar = params
        vjp_x, _ = make_vjp(f(a))(x_star)
        return lambda g: tree_map(lambda u, v: u + v, vjp_x(g), x_star_bar)

    vjp_a, _ = make_vjp(lambda x, y: f(x)(y))(a, ans)
    return lambda g: vjp_a(fixed_point(rev_iter, (a, ans, g), tree_map(lambda v: 0.0 * v, x0), distance, tol))


defvjp(fixed_point, None, _fixed_point_vjp, None)
