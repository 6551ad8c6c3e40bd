"""The plain functions that apply one primitive: ``sin = unary_fn(sin_p)``.

They call the current trace directly (what ``bind`` does, without its call), because
every traced operation in user code goes through one of them.

>>> import numpy as np
>>> from fad._prims.elementwise import sin_p
>>> sin = unary_fn(sin_p)
>>> sin.__name__, sin(np.zeros(2))
('sin', array([0., 0.]))
"""

from __future__ import annotations

from fad._core import _state


def unary_fn(prim):
    """``f(x, **params) = bind(prim, x, **params)``, named after the primitive."""

    def f(x, **params):
        return _state.trace.process(prim, (x,), params)

    f.__name__ = f.__qualname__ = prim.name
    return f


def binary_fn(prim):
    """``f(x, y) = bind(prim, x, y)``, named after the primitive."""

    def f(x, y):
        return _state.trace.process(prim, (x, y), {})

    f.__name__ = f.__qualname__ = prim.name
    return f
