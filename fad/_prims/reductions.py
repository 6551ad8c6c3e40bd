"""Reductions other than sum (which is structural): max and min over axes.

Convention at ties: the derivative is shared evenly among the positions that attain the
extreme value (as JAX and autograd do).
"""

from __future__ import annotations

import numpy as np

from fad._core import Primitive, bind
from fad._prims.elementwise import eq
from fad._prims.structural import _expand_reduced, astype, broadcast_to, reduce_sum, shape_of


def _declare_extreme(name, impl):
    prim = Primitive(name, lambda x, *, axes, keepdims: impl(x, axis=axes, keepdims=keepdims))

    def locations(ans, x, axes, keepdims):
        """Where ``x`` attains ``ans``, as weights summing to one along ``axes``."""
        shape = shape_of(x)
        hit = astype(eq(x, _expand_reduced(ans, shape, axes, keepdims)), x.dtype)
        return hit / reduce_sum(hit, axes=axes, keepdims=True)

    def jvp(primals, tangents, *, axes, keepdims):
        (x,) = primals
        ans = bind(prim, x, axes=axes, keepdims=keepdims)
        w = locations(ans, x, axes, keepdims)
        return ans, reduce_sum(tangents[0] * w, axes=axes, keepdims=keepdims)

    def vjp(ct, ans, primals, wants, *, axes, keepdims):
        (x,) = primals
        shape = shape_of(x)
        w = locations(ans, x, axes, keepdims)
        return (broadcast_to(_expand_reduced(ct, shape, axes, keepdims), shape) * w,)

    def batch(vals, bdims, *, axes, keepdims):
        return bind(prim, vals[0], axes=tuple(a + 1 for a in axes), keepdims=keepdims), 0

    prim.jvp, prim.vjp, prim.batch = jvp, vjp, batch
    return prim


reduce_max_p = _declare_extreme("reduce_max", np.max)
reduce_min_p = _declare_extreme("reduce_min", np.min)


def reduce_max(x, *, axes, keepdims=False):
    return bind(reduce_max_p, x, axes=axes, keepdims=keepdims)


def reduce_min(x, *, axes, keepdims=False):
    return bind(reduce_min_p, x, axes=axes, keepdims=keepdims)
