"""Reductions other than sum (which is structural): max and min over axes.

Convention at ties: the derivative is shared evenly among the positions that attain the
extreme value (as JAX and autograd do). Complex values are ordered as NumPy orders them,
lexicographically (real part first, then imaginary part), and the derivative is that of
the element chosen (as JAX).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import declare, reduces
from fad._structural import broadcast_to, emit_reduction, expand_reduced, reduce_sum, shape_of


def _weights_array_api(xp: Any, x: Any, ans: Any, *, axes: Any, keepdims: Any) -> Any:
    w = xp.astype(x == (ans if keepdims else xp.expand_dims(ans, axis=axes)), x.dtype)
    return w / xp.sum(w, axis=axes, keepdims=True)


def _weights_impl(x: Any, ans: Any, *, axes: Any, keepdims: Any) -> Any:
    hit = np.equal(x, ans if keepdims or np.ndim(ans) == 0 else np.expand_dims(ans, axes))
    if len(axes) == hit.ndim:  # over everything: one count (the same weights, in one pass)
        return np.true_divide(hit, np.count_nonzero(hit), dtype=x.dtype)
    w = hit.astype(x.dtype)
    w /= np.add.reduce(w, axis=axes, keepdims=True)
    return w


#: Where ``x`` attains its extreme ``ans`` over ``axes``, as weights summing to one along
#: ``axes`` (ties share evenly). One primitive, not the five operations it takes in fad
#: terms: max/min sit in every stable softmax, so their rules run on every training step.
#: Piecewise constant, so it has no derivative to propagate.
extreme_weights_p = Primitive("extreme_weights", _weights_impl, array_api_impl=_weights_array_api)
extreme_weights_p.differentiable = False


def _weights_batch(vals: Any, bdims: Any, *, axes: Any, keepdims: Any) -> Any:
    x, ans = vals
    size = shape_of(x if bdims[0] is not None else ans)[0]
    if bdims[0] is None:
        x = broadcast_to(x, (size,) + shape_of(x))
    if bdims[1] is None:
        ans = broadcast_to(ans, (size,) + shape_of(ans))
    return bind(extreme_weights_p, x, ans, axes=tuple(a + 1 for a in axes), keepdims=keepdims), 0


extreme_weights_p.batch = _weights_batch


def _declare_extreme(name: Any, ufunc: Any, standard_name: Any) -> Any:
    impl = ufunc.reduce
    prim = Primitive(name, lambda x, *, axes, keepdims: impl(x, axis=axes, keepdims=keepdims))
    prim.emit = emit_reduction(ufunc)
    prim.array_api_impl = lambda xp, x, *, axes, keepdims: getattr(xp, standard_name)(
        x, axis=axes, keepdims=keepdims
    )

    def jvp(primals: Any, tangents: Any, *, axes: Any, keepdims: Any) -> Any:
        (x,) = primals
        ans = bind(prim, x, axes=axes, keepdims=keepdims)
        w = bind(extreme_weights_p, x, ans, axes=axes, keepdims=keepdims)
        return ans, reduce_sum(tangents[0] * w, axes=axes, keepdims=keepdims)

    def vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, axes: Any, keepdims: Any) -> Any:
        (x,) = primals
        w = bind(extreme_weights_p, x, ans, axes=axes, keepdims=keepdims)
        return (expand_reduced(ct, shape_of(x), axes, keepdims) * w,)  # w has x's shape

    def batch(vals: Any, bdims: Any, *, axes: Any, keepdims: Any) -> Any:
        return bind(prim, vals[0], axes=tuple(a + 1 for a in axes), keepdims=keepdims), 0

    prim.jvp, prim.vjp, prim.batch = jvp, vjp, batch
    declare(prim, reduces)  # linear where the extreme is unique: no second derivative
    return prim


# the ufuncs' reduce is what np.max and np.min call, without their Python wrapper (which
# costs more than the reduction of a small array)
reduce_max_p = _declare_extreme("reduce_max", np.maximum, "max")
reduce_min_p = _declare_extreme("reduce_min", np.minimum, "min")


def reduce_max(x: Any, *, axes: Any, keepdims: Any = False) -> Any:
    return bind(reduce_max_p, x, axes=axes, keepdims=keepdims)


def reduce_min(x: Any, *, axes: Any, keepdims: Any = False) -> Any:
    return bind(reduce_min_p, x, axes=axes, keepdims=keepdims)
