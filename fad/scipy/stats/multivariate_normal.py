"""The multivariate normal distribution, `scipy.stats.multivariate_normal`: `logpdf`,
`pdf` and `entropy` with SciPy's arguments `(x, mean=None, cov=1,
allow_singular=False)`, differentiable in `x`, `mean` and `cov`.

`cov` is a scalar (times the identity), a 1-d diagonal or a full matrix, as SciPy. A full
nonsingular `cov` goes through its Cholesky factor; with `allow_singular=True` the
pseudo-determinant and pseudo-inverse come from the eigendecomposition, with SciPy's cutoff
(eigenvalues below `1e6 * eps * max|eigenvalue|` count as zero), and points off the
support (not in `mean` + the range of `cov`) get `logpdf = -inf`. A singular `cov`
without `allow_singular` raises `numpy.linalg.LinAlgError`, an indefinite one
`ValueError`, as SciPy (when the values are known: under `vmap` or `jit` the check is
skipped). Derivatives in a singular `cov` are not defined (its rank would change).

`x` is a point of shape `(d,)` or points of shape `(..., d)`; as in SciPy, for
`d = 1` a 1-d `x` is a list of points, and size-1 axes of the result are squeezed.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.scipy.stats import multivariate_normal as mvn
    >>> cov = fnp.array([[2.0, 0.5], [0.5, 1.0]])
    >>> round(float(mvn.logpdf(fnp.array([0.5, -0.5]), fnp.zeros(2), cov)), 12)
    -2.403399246091
    >>> fad.grad(mvn.logpdf)(fnp.array([1.0, 0.0]), fnp.zeros(2), fnp.array([1.0, 4.0]))
    array([-1., -0.])
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad
import fad.numpy as fnp
import fad.scipy.linalg as fsl
from fad.scipy.stats import _util as u

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["entropy", "logpdf", "pdf"]

_LOG_2PI = math.log(2.0 * math.pi)


def _params(mean: Any, cov: Any) -> Any:
    """`(dim, mean, cov, kind)` with `kind` in `"diag"` (`cov` a 1-d diagonal) and
    `"full"`, checked as SciPy does (the arguments already coerced by `_coerce`)."""
    cov_nd = fnp.ndim(cov)
    if mean is not None:
        if fnp.ndim(mean) > 1:
            raise ValueError(
                f"multivariate_normal: mean must be a scalar or 1-d, got shape {fnp.shape(mean)}; "
                "for several distributions, use fad.vmap."
            )
        dim = fnp.size(mean) if fnp.ndim(mean) == 1 else 1
    elif cov_nd >= 1:
        dim = fnp.shape(cov)[0]
    else:
        dim = 1
    if mean is None:
        mean = fnp.zeros(dim, dtype=cov.dtype)
    elif fnp.ndim(mean) == 0:
        mean = fnp.reshape(mean, (1,))
    if cov_nd == 0:
        return dim, mean, fnp.broadcast_to(fnp.asarray(cov), (dim,)), "diag"
    if cov_nd == 1:
        if fnp.shape(cov) != (dim,):
            raise ValueError(
                f"multivariate_normal: a 1-d cov is the diagonal and must have length {dim} "
                f"(the dimension of mean), got shape {fnp.shape(cov)}."
            )
        return dim, mean, cov, "diag"
    if cov_nd != 2 or fnp.shape(cov) != (dim, dim):
        raise ValueError(
            f"multivariate_normal: cov must be a scalar, a length-{dim} diagonal or a ({dim}, {dim}) "
            f"matrix for mean of dimension {dim}, got shape {fnp.shape(cov)}."
        )
    return dim, mean, cov, "full"


def _eps(spectrum: Any) -> Any:
    """SciPy's cutoff: `factor * eps * max|s|` (factor 1e6 in float64, 1e3 in float32)."""
    dt = onp.dtype(spectrum.dtype)
    factor = 1e3 if dt == onp.float32 else 1e6
    s = fad.stop_gradient(spectrum)
    return factor * float(onp.finfo(dt).eps) * fnp.max(fnp.abs(s), axis=-1, keepdims=True)


def _check_spectrum(s: Any, eps: Any, allow_singular: Any) -> None:
    if u.concrete_all(s >= -eps) is False:
        raise ValueError("multivariate_normal: the covariance must be symmetric positive semidefinite.")
    if not allow_singular and u.concrete_all(s > eps) is False:
        raise onp.linalg.LinAlgError(
            "multivariate_normal: the covariance is singular. When `allow_singular` is False it must "
            "be symmetric positive definite; pass allow_singular=True for a degenerate distribution."
        )


def _spectrum(s: Any, allow_singular: Any) -> Any:
    """From eigenvalues (or a diagonal) `s`: `(eps, keep, inv, log_pdet, rank)`, the
    cutoff, the kept directions, the pseudo-inverse's eigenvalues, the log
    pseudo-determinant and the rank."""
    eps = _eps(s)
    _check_spectrum(s, eps, allow_singular)
    keep = s > eps
    ss = u.safe(keep, s, 1.0)
    inv = fnp.where(keep, 1.0 / ss, 0.0)
    log_pdet = fnp.sum(fnp.where(keep, fnp.log(ss), 0.0), axis=-1)
    rank = fnp.sum(fnp.where(keep, fnp.ones_like(s), 0.0), axis=-1)
    return eps, keep, inv, log_pdet, rank


def _decompose(cov: Any, kind: str, allow_singular: Any) -> Any:
    """`(rank, log_pdet, whiten, off_support)`: `whiten(dev)` gives the squared Mahalanobis
    terms summed over the last axis; `off_support(dev)` is True where a point is not in the
    support."""
    if kind == "diag":
        s = cov
        eps, keep, inv, log_pdet, rank = _spectrum(s, allow_singular)

        def maha(dev: Any) -> Any:
            return fnp.sum(dev * dev * inv, axis=-1)

        def off(dev: Any) -> Any:
            resid = fnp.sum(fnp.where(keep, 0.0, dev * dev), axis=-1)
            return resid >= (1e3 * eps[..., 0]) ** 2

        return rank, log_pdet, maha, off

    cov = 0.5 * (cov + fnp.swapaxes(cov, -1, -2))  # SciPy reads one triangle; we use both
    if not allow_singular:
        if u.concrete_all(fnp.isfinite(fad.stop_gradient(cov))) is not None:
            s = fnp.linalg.eigvalsh(fad.stop_gradient(cov))
            _check_spectrum(s, _eps(s), False)
        chol = fnp.linalg.cholesky(cov)
        log_pdet = 2.0 * fnp.sum(fnp.log(fnp.diagonal(chol, axis1=-2, axis2=-1)), axis=-1)
        dim = fnp.shape(cov)[-1]

        def chol_maha(dev: Any) -> Any:
            flat = fnp.reshape(dev, (-1, dim))
            z = fsl.solve_triangular(chol, fnp.transpose(flat), lower=True)
            return fnp.reshape(fnp.sum(z * z, axis=0), fnp.shape(dev)[:-1])

        def chol_off(dev: Any) -> Any:
            return fnp.zeros(fnp.shape(dev)[:-1], dtype=bool)

        return float(dim), log_pdet, chol_maha, chol_off

    s, vecs = fnp.linalg.eigh(cov)
    eps, keep, inv, log_pdet, rank = _spectrum(s, True)

    def eig_maha(dev: Any) -> Any:
        w = fnp.matmul(dev, vecs)
        return fnp.sum(w * w * inv, axis=-1)

    def eig_off(dev: Any) -> Any:
        w = fnp.matmul(dev, vecs)
        resid = fnp.sum(fnp.where(keep, 0.0, w * w), axis=-1)
        return resid >= (1e3 * eps[..., 0]) ** 2

    return rank, log_pdet, eig_maha, eig_off


def _coerce(*xs: Any) -> Any:
    """The arguments that are given (not None) coerced to one dtype; None stays None."""
    given = iter(u.args(*(x for x in xs if x is not None)))
    return tuple(None if x is None else next(given) for x in xs)


def _points(x: Any, dim: Any) -> Any:
    if fnp.ndim(x) == 0:
        x = fnp.reshape(x, (1,))
    elif fnp.ndim(x) == 1 and dim == 1:
        x = fnp.reshape(x, (-1, 1))
    if fnp.shape(x)[-1] != dim:
        raise ValueError(
            f"multivariate_normal: x must have last axis of length {dim} (the dimension of mean "
            f"and cov), got shape {fnp.shape(x)}."
        )
    return x


def _squeeze(out: Any) -> Any:
    shape = fnp.shape(out)
    kept = tuple(n for n in shape if n != 1)
    if kept != shape:
        out = fnp.reshape(out, kept)
    return u.finish(out)


def logpdf(
    x: ArrayLike, mean: ArrayLike | None = None, cov: ArrayLike = 1, allow_singular: bool = False
) -> Array:
    """Log density `-(rank log(2 pi) + log pdet(cov) + (x-mean)^T cov^+ (x-mean)) / 2`."""
    x_, mean_, cov_ = _coerce(x, mean, cov)
    dim, mean_, cov_, kind = _params(mean_, cov_)
    x_ = _points(x_, dim)
    rank, log_pdet, maha, off = _decompose(cov_, kind, allow_singular)
    dev = x_ - mean_
    out = -0.5 * (rank * _LOG_2PI + log_pdet + maha(dev))
    return _squeeze(fnp.where(off(dev), -fnp.inf, out))


def pdf(
    x: ArrayLike, mean: ArrayLike | None = None, cov: ArrayLike = 1, allow_singular: bool = False
) -> Array:
    """The density, `exp(logpdf)`.

    >>> import fad.numpy as fnp
    >>> from fad.scipy.stats import multivariate_normal as mvn
    >>> round(float(mvn.pdf(fnp.zeros(2), fnp.zeros(2), fnp.eye(2))), 12)  # 1 / (2 pi)
    0.159154943092
    """
    return u.finish(fnp.exp(logpdf(x, mean, cov, allow_singular)))


def entropy(mean: ArrayLike | None = None, cov: ArrayLike = 1, allow_singular: bool = True) -> Array:
    """Differential entropy `(rank (1 + log(2 pi)) + log pdet(cov)) / 2`; a singular `cov`
    is allowed by default, as in SciPy (whose `entropy` has no `allow_singular`).

    >>> from fad.scipy.stats import multivariate_normal as mvn
    >>> round(float(mvn.entropy(cov=[[1.0, 0.0], [0.0, 1.0]])), 12)
    2.837877066409
    """
    mean_, cov_ = _coerce(mean, cov)
    _, _, cov_, kind = _params(mean_, cov_)
    rank, log_pdet, _, _ = _decompose(cov_, kind, allow_singular)
    return u.finish(0.5 * (rank * (1.0 + _LOG_2PI) + log_pdet))


u.document(
    globals(),
    "multivariate normal distribution",
    examples=False,
    note=(
        " One value per point: the result has `x`'s leading axes (size-1 axes squeezed, as SciPy),"
        " `-inf` for points off the support of a singular `cov`."
    ),
    x="Points, shape `(d,)` or `(..., d)` (for `d = 1` a 1-d `x` is a list of points).",
    mean="Mean, shape `(d,)`; None is zero.",
    cov=(
        "Covariance: a scalar (times the identity), the 1-d diagonal, or a symmetric positive"
        " definite `(d, d)` matrix (semi-definite with `allow_singular`)."
    ),
    allow_singular=(
        "Accept a singular `cov` (pseudo-determinant and pseudo-inverse, SciPy's cutoff); without"
        " it a singular `cov` raises `numpy.linalg.LinAlgError`."
    ),
)
