"""The Dirichlet distribution, `scipy.stats.dirichlet(alpha)`: `logpdf`, `pdf` and
`entropy`, differentiable in `x` and `alpha`.

As in SciPy, `alpha` is 1-d (`K` entries, all > 0) and `x` has the components on its
first axis: shape `(K,)` or `(K, N)` for `N` points, or `K - 1` components with the
last taken as `1 - sum`. SciPy's checks raise `ValueError` (x outside `[0, 1]`, not
summing to 1 within 1e-9, 0 where `alpha < 1`); under `vmap` or `jit`, where no error
can be raised per example, the result is NaN there instead.

Examples:
    >>> import fad.numpy as fnp
    >>> from fad.scipy.stats import dirichlet
    >>> round(float(dirichlet.pdf(fnp.array([0.2, 0.3, 0.5]), fnp.array([1.0, 2.0, 3.0]))), 12)
    4.5
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["entropy", "logpdf", "pdf"]


def _alpha(alpha: Any) -> Any:
    alpha = u.arg(alpha)
    if fnp.ndim(alpha) != 1:
        raise ValueError(f"dirichlet: alpha must be one dimensional, got shape {fnp.shape(alpha)}.")
    u.ensure(alpha > 0, "dirichlet: all parameters alpha must be greater than 0.")
    return alpha


def _lnb(alpha: Any) -> Any:
    return fnp.sum(fsp.gammaln(alpha)) - fsp.gammaln(fnp.sum(alpha))


def _x(x: Any, alpha: Any) -> Any:
    x, alpha = u.args(x, alpha)
    k = fnp.shape(alpha)[0]
    if fnp.ndim(x) not in (1, 2) or fnp.shape(x)[0] not in (k, k - 1):
        raise ValueError(
            f"dirichlet: x must have {k} (or {k - 1}) entries on its first axis, the length of alpha, "
            f"as shape ({k},) or ({k}, N); got shape {fnp.shape(x)}."
        )
    if fnp.shape(x)[0] == k - 1:
        last = 1.0 - fnp.sum(x, axis=0, keepdims=True)
        x = fnp.concatenate([x, last], axis=0)
    a = alpha if fnp.ndim(x) == 1 else fnp.reshape(alpha, (k, 1))
    checks = [
        (x >= 0, "each entry in x must be greater than or equal to zero"),
        (x <= 1, "each entry in x must be smaller than or equal to one"),
        (
            fnp.logical_or(x > 0, a >= 1),
            "each entry in x must be greater than zero if its alpha is less than one",
        ),
        (fnp.abs(fnp.sum(x, axis=0) - 1.0) <= 1e-9, "x must lie on the simplex: its entries must sum to 1"),
    ]
    valid = None
    for cond, message in checks:
        u.ensure(cond, f"dirichlet: {message} (got x = {x!r}).")
        cond = fnp.all(cond, axis=0) if fnp.ndim(cond) == fnp.ndim(x) else cond
        valid = cond if valid is None else fnp.logical_and(valid, cond)
    return x, a, valid


def logpdf(x: ArrayLike, alpha: ArrayLike) -> Array:
    """Log density `sum((alpha - 1) log x) - log B(alpha)`, `B(alpha) = prod Gamma(alpha_i)
    / Gamma(sum alpha)`.

    >>> import fad, fad.numpy as fnp
    >>> from fad.scipy.stats import dirichlet
    >>> x, alpha = fnp.array([0.2, 0.3, 0.5]), fnp.array([1.0, 2.0, 3.0])
    >>> round(float(dirichlet.logpdf(x, alpha)), 12)
    1.504077396776
    >>> fad.grad(dirichlet.logpdf, argnums=1)(x, alpha)
    array([0.67389542, 0.07936053, 0.09018615])
    """
    alpha_ = _alpha(alpha)
    x_, a, valid = _x(x, alpha_)
    xs = fnp.where(valid, x_, 1.0 / fnp.shape(alpha_)[0])
    out = fnp.sum(fsp.xlogy(a - 1.0, xs), axis=0) - _lnb(alpha_)
    return u.invalid_to_nan(valid, out)


def pdf(x: ArrayLike, alpha: ArrayLike) -> Array:
    """The density, `exp(logpdf)`."""
    return u.finish(fnp.exp(logpdf(x, alpha)))


def entropy(alpha: ArrayLike) -> Array:
    """Differential entropy `log B(alpha) + (a0 - K) psi(a0) - sum((alpha - 1) psi(alpha))`,
    `a0 = sum(alpha)`.

    >>> import fad.numpy as fnp
    >>> from fad.scipy.stats import dirichlet
    >>> round(float(dirichlet.entropy(fnp.array([1.0, 2.0, 3.0]))), 12)
    -1.244344562222
    """
    alpha_ = _alpha(alpha)
    a0 = fnp.sum(alpha_)
    k = fnp.shape(alpha_)[0]
    out = _lnb(alpha_) + (a0 - k) * fsp.digamma(a0) - fnp.sum((alpha_ - 1.0) * fsp.digamma(alpha_))
    return u.finish(out)


u.document(
    globals(),
    "Dirichlet distribution",
    examples=False,
    note=(
        " One value per point (a NumPy scalar for one point); outside the simplex SciPy's"
        " `ValueError`, or NaN under `vmap` and `jit`."
    ),
    x=(
        "Points of the simplex, components on the first axis: shape `(K,)`, or `(K, N)` for `N`"
        " points; with `K - 1` components the last is `1 - sum`."
    ),
    alpha="Concentration parameters, shape `(K,)`, all `> 0`.",
)
