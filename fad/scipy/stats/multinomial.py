"""The multinomial distribution, `scipy.stats.multinomial(n, p)`: `logpmf` and `pmf`,
differentiable in `p`.

`x` holds counts on its last axis (`(..., K)`), broadcast against `n` and `p`
(`(..., K)`). As in SciPy, the last probability is taken as `1 - sum(p[..., :-1])`
(so no derivative flows into `p[..., -1]`); the pmf is 0 unless the counts are
non-negative integers summing to `n`; NaN where `n < 0` or a probability is outside
`[0, 1]`. `x` and `n` are lattice variables: no derivative flows into them.

Examples:
    >>> import fad.numpy as fnp
    >>> from fad.scipy.stats import multinomial
    >>> round(float(multinomial.pmf(fnp.array([1, 1]), 2, fnp.array([0.3, 0.7]))), 12)
    0.42
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["logpmf", "pmf"]


def logpmf(x: ArrayLike, n: ArrayLike, p: ArrayLike) -> Array:
    """`log n! + sum(x log p - log x!)` over the last axis.

    >>> import fad.numpy as fnp
    >>> from fad.scipy.stats import multinomial
    >>> round(float(multinomial.logpmf(fnp.array([1, 1]), 2, fnp.array([0.3, 0.7]))), 12)
    -0.867500567705
    """
    x_, n_, p_ = u.args(x, n, p)
    x_, p_ = fnp.asarray(x_), fnp.asarray(p_)
    if fnp.ndim(p_) < 1 or fnp.ndim(x_) < 1:
        raise ValueError(
            f"multinomial: x and p need a last axis of categories; got shapes {fnp.shape(x_)} and "
            f"{fnp.shape(p_)}."
        )
    if fnp.shape(x_)[-1] != fnp.shape(p_)[-1]:
        raise ValueError(
            f"multinomial: x and p must have the same number of categories on their last axis; "
            f"got shapes {fnp.shape(x_)} and {fnp.shape(p_)}."
        )
    x_, n_ = fad.stop_gradient(x_), fad.stop_gradient(n_)
    head = p_[..., :-1]
    p_ = fnp.concatenate([head, 1.0 - fnp.sum(head, axis=-1, keepdims=True)], axis=-1)
    p_ok = fnp.all(u.in_unit(p_), axis=-1)
    ok = fnp.logical_and(p_ok, n_ >= 0)
    support = fnp.logical_and(
        fnp.all(u.on_support(x_), axis=-1), fnp.sum(fnp.where(u.on_support(x_), x_, 0.0), axis=-1) == n_
    )
    xs = u.safe(support[..., None], x_, 0.0)
    ns = u.safe(fnp.logical_and(ok, support), n_, 0.0)
    out = fsp.gammaln(ns + 1.0) + fnp.sum(fsp.xlogy(xs, p_) - fsp.gammaln(xs + 1.0), axis=-1)
    return fnp.asarray(u.invalid_to_nan(ok, fnp.where(support, out, -fnp.inf)))  # 0-d: an array, as SciPy


def pmf(x: ArrayLike, n: ArrayLike, p: ArrayLike) -> Array:
    """`n! prod(p**x / x!)`.

    >>> import fad, fad.numpy as fnp
    >>> from fad.scipy.stats import multinomial
    >>> fad.grad(multinomial.pmf, argnums=2)(fnp.array([1.0, 1.0]), 2, fnp.array([0.3, 0.7]))
    array([0.8, 0. ])
    """
    return u.finish(fnp.exp(logpmf(x, n, p)))


u.document(
    globals(),
    "multinomial distribution",
    examples=False,
    note=(
        " One value per point (the leading axes broadcast), NaN where `n < 0` or a probability is"
        " outside `[0, 1]`."
    ),
    x="Counts on the last axis, shape `(..., K)` (no derivative flows into them).",
    n="Number of trials (no derivative flows into it).",
    p="Probabilities of the `K` categories on the last axis; the last is taken as `1 - sum` of the others.",
)
