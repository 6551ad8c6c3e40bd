"""SciPy's special functions (``scipy.special``) on values fad can differentiate and batch.

Everything is computed by fad's own NumPy kernels (SciPy is not needed at run time), to
about 1e-14 relative accuracy in float64. Reductions (``logsumexp``, ``softmax``,
``log_softmax``) shift by the maximum, so inputs of size ~1000 give no inf or NaN, in the
value or in any derivative.

>>> import fad, fad.scipy.special as fsp
>>> fad.grad(fsp.logsumexp)(fad.numpy.array([0.0, 1000.0]))
array([0., 1.])
"""

from __future__ import annotations

import numpy as np

from fad import _prims as ew
from fad import _prims as m
from fad._core import bind
from fad._prims import stop_gradient
from fad._prims.wrappers import binary_fn, unary_fn
from fad.numpy._extrema import max as _max
from fad.numpy._shape_manipulation import broadcast_to, squeeze
from fad.numpy._sums_products_differences import sum as _sum
from fad.numpy._util import coerce, ndim, normalize_axes, shape

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfinv",
    "expit",
    "gammaln",
    "log_softmax",
    "logit",
    "logsumexp",
    "polygamma",
    "psi",
    "softmax",
    "xlog1py",
    "xlogy",
]


expit = unary_fn(
    m.expit_p,
    "expit",
    "Logistic sigmoid ``1 / (1 + exp(-x))``, accurate at both tails.\n\n"
    ">>> import fad, fad.scipy.special as fsp\n>>> fad.grad(fsp.expit)(0.0)\nnp.float64(0.25)",
    public=True,
)
logit = unary_fn(m.logit_p, "logit", "Inverse of expit, ``log(p / (1 - p))``.", public=True)
erf = unary_fn(
    m.erf_p,
    "erf",
    "The error function.\n\n>>> import fad.scipy.special as fsp\n>>> round(float(fsp.erf(1.0)), 12)\n"
    "0.84270079295",
    public=True,
)
erfc = unary_fn(
    m.erfc_p,
    "erfc",
    "The complementary error function ``1 - erf(x)``, accurate for large ``x``.",
    public=True,
)
erfinv = unary_fn(m.erfinv_p, "erfinv", "Inverse of erf on ``[-1, 1]`` (+-inf at +-1).", public=True)
gammaln = unary_fn(m.gammaln_p, "gammaln", "``log|Gamma(x)|``; its derivative is digamma.", public=True)
entr = unary_fn(m.entr_p, "entr", "Elementwise entropy ``-x log x`` (0 at 0, -inf below).", public=True)
xlogy = binary_fn(
    m.xlogy_p,
    "xlogy",
    "``x * log(y)``, 0 where ``x == 0`` (derivatives ``log y`` and ``x / y``).",
    public=True,
)
xlog1py = binary_fn(m.xlog1py_p, "xlog1py", "``x * log1p(y)``, 0 where ``x == 0``.", public=True)


def digamma(x):
    """The digamma function ``psi = d/dx gammaln``; its derivative is ``polygamma(1, x)``.

    >>> import fad.scipy.special as fsp
    >>> round(float(fsp.digamma(1.0)), 12)  # -Euler's gamma
    -0.577215664902
    """
    return bind(m.polygamma_p, coerce(x), n=0)


psi = digamma


def polygamma(n, x):
    """``psi^(n)(x)``, the n-th derivative of digamma, for a concrete integer ``n >= 0``."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise TypeError(
            f"polygamma: n must be a concrete integer >= 0, got {n!r}. Pass n as a Python int "
            "(an array of orders is not supported)."
        )
    return bind(m.polygamma_p, coerce(x), n=int(n))


def _shift(a, axes):
    """The (constant) maximum over ``axes``, kept as size-1 axes; 0 where it is not finite,
    so all -inf slices give -inf and +inf entries give inf/NaN as SciPy does."""
    mx = stop_gradient(_max(a, axis=axes, keepdims=True))
    return ew.where(m.isfinite(mx), mx, 0.0)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """``log(sum(b * exp(a)))`` over ``axis``, shifted by the maximum so it never overflows.

    Its gradient is the softmax weights ``b * exp(a - out)``; ``-inf`` entries get weight 0.
    With ``return_sign=True`` returns ``(log|s|, sign(s))`` for signed sums ``s`` (``b < 0``).

    >>> import fad.numpy as fnp, fad.scipy.special as fsp
    >>> float(fsp.logsumexp(fnp.array([1000.0, 1000.0])))
    1000.6931471805599
    """
    a = coerce(a)
    axes = normalize_axes(axis, ndim(a), "logsumexp")
    if b is not None:
        b = coerce(b)
        a, b = _broadcast(a, b)
        # entries with b == 0 do not take part (SciPy: they must not set the shift)
        a = ew.where(ew.eq(b, 0), -np.inf, a)
    mx = _shift(a, axes)
    e = ew.exp(ew.sub(a, mx))
    if b is not None:
        e = ew.mul(b, e)
    s = _sum(e, axis=axes, keepdims=True)
    if return_sign:
        sgn = ew.sign(s)
        s = ew.abs(s)
    out = ew.add(ew.log(s), mx)
    if not keepdims:
        out = _squeeze(out, axes)
        if return_sign:
            sgn = _squeeze(sgn, axes)
    if return_sign:
        return _scalar(out), _scalar(sgn)
    return _scalar(out)


def _scalar(out):
    """SciPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def _broadcast(a, b):
    sh = np.broadcast_shapes(shape(a), shape(b))
    return broadcast_to(a, sh), broadcast_to(b, sh)


def _squeeze(x, axes):
    return squeeze(x, axes) if axes else x


def softmax(x, axis=None):
    """``exp(x) / sum(exp(x))`` over ``axis`` (SciPy's default: all axes), shifted by the max.

    >>> import fad.numpy as fnp, fad.scipy.special as fsp
    >>> fsp.softmax(fnp.array([0.0, 1000.0]))
    array([0., 1.])
    """
    x = coerce(x)
    axes = normalize_axes(axis, ndim(x), "softmax")
    e = ew.exp(ew.sub(x, _shift(x, axes)))
    return ew.div(e, _sum(e, axis=axes, keepdims=True))


def log_softmax(x, axis=None):
    """``x - logsumexp(x)`` over ``axis`` (SciPy's default: all axes), stable for large ``|x|``."""
    x = coerce(x)
    axes = normalize_axes(axis, ndim(x), "log_softmax")
    shifted = ew.sub(x, _shift(x, axes))
    return ew.sub(shifted, ew.log(_sum(ew.exp(shifted), axis=axes, keepdims=True)))
