"""Define new primitives: an implementation and its rules, in one place.

fad's own primitives are declared with exactly these tools (see `fad/_prims/`). A
primitive needs:

* `impl(*arrays, **params)`: computes the value with NumPy (or SciPy, or anything that
  takes and returns arrays);
* `jvp(primals, tangents, **params) -> (out, t_out)`: `None` tangents are zeros;
* `vjp(ct, ans, primals, wants, **params) -> cotangents` (`None` where
  `not wants[i]`);
* `batch(vals, bdims, **params) -> (out, out_bdim)` with `bdims` `0` or `None`.

Write `jvp` and `vjp` with fad operations (`fad.numpy`, operators on the values),
never raw NumPy, so they can be differentiated again. The helpers below generate the
rules for the common cases. `elementwise(prim, *partials, keeps=...)` also takes what
each partial reads (`keeps=("x",)`: only the argument), so reverse mode keeps only that.

Examples:
    >>> import numpy as onp, fad, fad.numpy as fnp
    >>> from fad import extend
    >>> cube_p = extend.Primitive("cube", lambda x: onp.power(x, 3))
    >>> extend.elementwise(cube_p, lambda ans, x: 3 * x ** 2)      # d cube / dx
    Primitive('cube')
    >>> cube = lambda x: extend.bind(cube_p, x)
    >>> fad.grad(cube)(2.0), fad.grad(fad.grad(cube))(2.0)
    (np.float64(12.0), np.float64(12.0))
    >>> fad.vmap(fad.grad(cube))(fnp.array([1.0, 2.0]))
    array([ 3., 12.])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fad._core import MissingRuleError, Primitive, bind
from fad._rules import batch_elementwise, divided_by, elementwise, nondifferentiable
from fad._structural import (
    align_batched,
    broadcast_to,
    concatenate,
    getitem,
    linear,
    move_batch_to_front,
    reshape,
    unbroadcast,
)

__all__ = [
    "Primitive",
    "bind",
    "elementwise",
    "divided_by",
    "nondifferentiable",
    "batch_elementwise",
    "batch_by_loop",
    "linear",
    "align_batched",
    "unbroadcast",
    "broadcast_to",
    "move_batch_to_front",
    "MissingRuleError",
]


def batch_by_loop(prim: Primitive) -> Primitive:
    """A batching rule that applies `prim` example by example and stacks the results.

    Always correct, but slow (a Python loop over the batch): use it for functions that do
    not broadcast over a leading axis (e.g. wrapped SciPy routines taking one matrix).

    Args:
        prim: The primitive to give the rule.

    Returns:
        `prim`, its `batch` rule set (so it can be used as a decorator).

    Examples:
        >>> import numpy as onp, fad, fad.numpy as fnp
        >>> from fad import extend
        >>> det_p = extend.batch_by_loop(extend.Primitive("my_det", onp.linalg.det))
        >>> fad.vmap(lambda m: extend.bind(det_p, m))(fnp.stack([fnp.eye(2), 2 * fnp.eye(2)]))
        array([1., 4.])
    """

    def batch(vals: Sequence[Any], bdims: Sequence[int | None], **params: Any) -> tuple[Any, Any]:
        n = next(v.shape[0] for v, d in zip(vals, bdims, strict=True) if d is not None)
        outs = []
        for i in range(n):
            args = [v if d is None else getitem(v, (i,)) for v, d in zip(vals, bdims, strict=True)]
            out = bind(prim, *args, **params)
            if prim.multiple_results:
                outs.append([reshape(o, (1,) + tuple(o.shape)) for o in out])
            else:
                outs.append(reshape(out, (1,) + tuple(out.shape)))
        if prim.multiple_results:
            return tuple(concatenate(col, 0) for col in zip(*outs, strict=True)), (0,) * len(outs[0])
        return concatenate(outs, 0), 0

    prim.batch = batch
    return prim
