"""``autograd.misc.optimizers``: ``sgd``, ``rmsprop`` and ``adam`` with autograd's signatures.

Each takes ``grad(x, i)`` (the gradient at parameters ``x`` and iteration ``i``), initial
parameters ``x0`` (any nesting of tuples, lists and dicts of arrays), an optional
``callback(x, i, g)`` called before each step, and returns the final parameters. The
updates are written in fad operations, so the optimizers are differentiable themselves.

>>> import fad.autograd.numpy as np
>>> from fad.autograd import grad
>>> from fad.autograd.misc.optimizers import adam
>>> loss = lambda p, i: np.sum((p["w"] - 3.0) ** 2)
>>> adam(grad(loss), {"w": np.zeros(2)}, step_size=0.1, num_iters=500)["w"]
array([3., 3.])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import fad.numpy as fnp
from fad.autograd.misc.flatten import flatten

__all__ = ["adam", "rmsprop", "sgd", "unflatten_optimizer"]


def unflatten_optimizer(optimize: Callable[..., Any]) -> Callable[..., Any]:
    """Lift an optimizer on flat vectors (``optimize(grad, x, callback, ...)``) to nested containers."""

    @functools.wraps(optimize)
    def _optimize(grad: Any, x0: Any, callback: Any = None, *args: Any, **kwargs: Any) -> Any:
        _x0, unflatten = flatten(x0)

        def _grad(x: Any, i: Any) -> Any:
            return flatten(grad(unflatten(x), i))[0]

        _callback = None
        if callback:

            def _callback(x: Any, i: Any, g: Any) -> Any:
                return callback(unflatten(x), i, unflatten(g))

        return unflatten(optimize(_grad, _x0, _callback, *args, **kwargs))

    return _optimize


@unflatten_optimizer
def sgd(
    grad: Any, x: Any, callback: Any = None, num_iters: Any = 200, step_size: Any = 0.1, mass: Any = 0.9
) -> Any:
    """Stochastic gradient descent with momentum: ``v <- mass * v - (1 - mass) * g``;
    ``x <- x + step_size * v``."""
    velocity = fnp.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@unflatten_optimizer
def rmsprop(
    grad: Any,
    x: Any,
    callback: Any = None,
    num_iters: Any = 100,
    step_size: Any = 0.1,
    gamma: Any = 0.9,
    eps: Any = 10**-8,
) -> Any:
    """RMSProp: ``a <- gamma * a + (1 - gamma) * g**2`` from ``a = 1``;
    ``x <- x - step_size * g / (sqrt(a) + eps)``."""
    avg_sq_grad = fnp.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g**2 * (1 - gamma)
        x = x - step_size * g / (fnp.sqrt(avg_sq_grad) + eps)
    return x


@unflatten_optimizer
def adam(
    grad: Any,
    x: Any,
    callback: Any = None,
    num_iters: Any = 100,
    step_size: Any = 0.001,
    b1: Any = 0.9,
    b2: Any = 0.999,
    eps: Any = 10**-8,
) -> Any:
    """Adam (Kingma and Ba, 2014) with bias-corrected moments."""
    m = fnp.zeros(len(x))
    v = fnp.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * (g**2) + b2 * v
        mhat = m / (1 - b1 ** (i + 1))
        vhat = v / (1 - b2 ** (i + 1))
        x = x - step_size * mhat / (fnp.sqrt(vhat) + eps)
    return x
