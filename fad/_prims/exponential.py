"""Powers, exponentials and logarithms: ``pow``, ``sqrt``, ``cbrt``, ``exp`` and ``log`` in
every base, the accurate ``expm1``/``log1p``, ``logaddexp``, and the logistic pair
``expit``/``logit``.

A function gets its own primitive when its value needs NumPy's accurate kernel
(``log1p``, ``expm1``, ``cbrt``, exact values at powers of the base for ``exp2``/``log2``/
``log10``); everything else is a composite in ``fad.numpy._math``. Partials follow
``fad._prims.arithmetic``; ``exp``, ``log`` and ``sqrt`` have direct Taylor rules.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fad._core import Primitive
from fad._prims.arithmetic import coefficients, mul, over, scaled, series_sum, square_coefficient, weighted
from fad._prims.comparisons import isinf, logical_and, where
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import divided_by, elementwise, ufunc

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)

# ---------------------------------------------------------------------------- power


def _pow_dx(ans: Any, x: Any, y: Any) -> Any:
    if isinstance(y, (int, float)):  # a Python exponent: no select needed
        # (x**0 is 1, even at inf and nan; a float factor merges with other scalings under jit)
        return 0.0 if y == 0 else 1.0 if y == 1 else float(y) * x ** (y - 1)
    # y * x**(y-1), with 0**-1 kept finite where y == 0 (the product is 0 there); written
    # without cutting y out, so the derivative with respect to y stays right at y == 0
    safe_x = where(y == 0, where(x == 0, 1.0, x), x)
    return y * safe_x ** (y - 1)


def _pow_dy(ans: Any, x: Any, y: Any) -> Any:
    is_zero = x == 0
    safe_x = where(is_zero, 1.0, x)
    return where(is_zero, 0.0, log(safe_x) * ans)


pow_p = elementwise(ufunc("pow", np.power, identity=1), _pow_dx, _pow_dy, keeps=("x y", "ans x"))
pow = binary_fn(pow_p)  # noqa: A001 - mirrors numpy.power


def _sqrt_taylor(primals: Any, series: Any, order: Any) -> Any:
    """``y^2 = x``: ``y_k = (x_k - sum_{i=1..k-1} y_i y_{k-i}) / (2 y_0)``."""
    x = coefficients(primals[0], series[0], order)
    y = [sqrt(x[0])]
    two_y0 = mul(y[0], 2.0)
    for k in range(1, order + 1):
        acc = square_coefficient([None] + y[1:k] + [None], k) if k > 1 else None  # i = 1..k-1
        y.append(over(x[k], acc, two_y0))
    return y[0], y[1:]


sqrt_p = elementwise(ufunc("sqrt", np.sqrt, taylor=_sqrt_taylor), lambda ans, x: 0.5 / ans, keeps=("ans",))
cbrt_p = elementwise(ufunc("cbrt", np.cbrt), divided_by(lambda ans, x: 3.0 * ans * ans), keeps=("ans",))
sqrt = unary_fn(sqrt_p)
cbrt = unary_fn(cbrt_p)

# ------------------------------------------------------------------- exponentials


def _exp_taylor(primals: Any, series: Any, order: Any) -> Any:
    """``y' = y x'``: ``y_k = sum_j (j/k) x_j y_{k-j}``."""
    x = coefficients(primals[0], series[0], order)
    y = [exp(x[0])]
    for k in range(1, order + 1):
        y.append(weighted(x, y, k))
    return y[0], y[1:]


exp_p = elementwise(ufunc("exp", np.exp, taylor=_exp_taylor), lambda ans, x: ans, keeps=("ans",))
# expm1 keeps full relative accuracy near 0; exp2 NumPy's exact values at integers.
expm1_p = elementwise(ufunc("expm1", np.expm1), lambda ans, x: ans + 1.0, keeps=("ans",))
exp2_p = elementwise(ufunc("exp2", np.exp2), lambda ans, x: ans * _LN2, keeps=("ans",))
exp = unary_fn(exp_p)
expm1 = unary_fn(expm1_p)
exp2 = unary_fn(exp2_p)

# ------------------------------------------------------------------- logarithms


def _log_taylor(primals: Any, series: Any, order: Any) -> Any:
    """``x y' = x'``: ``y_k = (x_k - sum_{j=1..k-1} (j/k) y_j x_{k-j}) / x_0``."""
    x = coefficients(primals[0], series[0], order)
    y = [log(x[0])]
    for k in range(1, order + 1):
        acc = series_sum(
            scaled(mul(y[j], x[k - j]), j / k)
            for j in range(1, k)
            if y[j] is not None and x[k - j] is not None
        )
        y.append(over(x[k], acc, x[0]))
    return y[0], y[1:]


log_p = elementwise(ufunc("log", np.log, taylor=_log_taylor), divided_by(lambda ans, x: x), keeps=("x",))
log1p_p = elementwise(ufunc("log1p", np.log1p), divided_by(lambda ans, x: 1.0 + x), keeps=("x",))
log2_p = elementwise(ufunc("log2", np.log2), divided_by(lambda ans, x: x * _LN2), keeps=("x",))
log10_p = elementwise(ufunc("log10", np.log10), divided_by(lambda ans, x: x * _LN10), keeps=("x",))
log = unary_fn(log_p)
log1p = unary_fn(log1p_p)
log2 = unary_fn(log2_p)
log10 = unary_fn(log10_p)

# --------------------------------------------------------------------- logistic


def as_float(x: Any) -> Any:
    """``x`` as a real float array: the kernels of fad's own real functions (logistic and
    special) refuse complex values rather than drop their imaginary parts."""
    x = np.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError(
            f"This function is real-valued in fad: complex input (dtype {x.dtype}) is not "
            "supported. Apply it to the real and imaginary parts (fad.numpy.real, imag) if that "
            "is what you mean."
        )
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def finish(out: Any, like: Any) -> Any:
    """``out`` in the dtype of ``like``, a NumPy scalar when 0-d."""
    out = out.astype(like.dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def _expit_impl(x: Any) -> Any:
    x = as_float(x)
    e = np.exp(-np.abs(x))  # never overflows
    with np.errstate(invalid="ignore"):
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype)
    return out[()] if out.ndim == 0 else out


def _logit_impl(p: Any) -> Any:
    p = as_float(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(p) - np.log1p(-p)
    return finish(np.asarray(out), p)


# The logistic sigmoid 1 / (1 + exp(-x)), exact to the last bit at both tails, and its inverse.
expit_p = elementwise(Primitive("expit", _expit_impl), lambda ans, x: ans * (1.0 - ans), keeps=("ans",))
expit_p.array_api_impl = lambda xp, x: xp.where(x >= 0, 1 / (1 + xp.exp(-x)), xp.exp(x) / (1 + xp.exp(x)))
logit_p = elementwise(Primitive("logit", _logit_impl), divided_by(lambda ans, p: p * (1.0 - p)), keeps=("x",))
expit = unary_fn(expit_p)
logit = unary_fn(logit_p)


def _logaddexp_partial(scale: Any) -> Any:
    """d logaddexp(x, y) / dx = expit(scale * (x - y)); 1/2 when both are the same
    infinity, so the partials never see inf - inf."""

    def d(ans: Any, x: Any, y: Any) -> Any:
        both_inf = logical_and(x == y, isinf(x))
        return expit(where(both_inf, 0.0, x - y) * scale)

    def d_y(ans: Any, x: Any, y: Any) -> Any:
        return d(ans, y, x)

    return d, d_y


logaddexp_p = elementwise(ufunc("logaddexp", np.logaddexp), *_logaddexp_partial(1.0), keeps=("x y", "x y"))
logaddexp2_p = elementwise(
    ufunc("logaddexp2", np.logaddexp2), *_logaddexp_partial(_LN2), keeps=("x y", "x y")
)
logaddexp = binary_fn(logaddexp_p)
logaddexp2 = binary_fn(logaddexp2_p)
