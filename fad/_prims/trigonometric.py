"""Trigonometric and hyperbolic functions and their inverses, ``arctan2``, ``hypot`` and
``sinc``. Partials follow ``fad._prims.arithmetic``; ``sin``/``cos``, ``sinh``/``cosh`` and
``tanh`` have direct Taylor rules (which also avoid the derived rule's re-expansion:
sin's forward rule calls cos, whose rule calls sin, ...).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Primitive
from fad._prims.arithmetic import (
    coefficients,
    mul,
    neg,
    scaled,
    series_sum,
    square_coefficient,
    sub,
    weighted,
)
from fad._prims.comparisons import where
from fad._prims.exponential import sqrt
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import divided_by, elementwise, ufunc

if TYPE_CHECKING:
    from collections.abc import Callable

# ------------------------------------------------------------------ Taylor rules


def _pair(first: Any, second: Any, sign: Any) -> Any:
    """``s' = c x'`` and ``c' = sign * s x'`` (sin/cos: sign -1; sinh/cosh: +1)."""

    def series_of(x0: Any, s: Any, order: Any) -> Any:
        x = coefficients(x0, s, order)
        a, b = [first(x[0])], [second(x[0])]
        for k in range(1, order + 1):
            a.append(weighted(x, b, k))
            nb = weighted(x, a, k)
            b.append(nb if sign > 0 or nb is None else neg(nb))
        return a, b

    return series_of


def _half(pair_fn: Any, which: Any) -> Any:
    """The Taylor rule of one function of a pair (``which``: 0 the first, 1 the second)."""

    def rule(primals: Any, series: Any, order: Any) -> Any:
        c = pair_fn(primals[0], series[0], order)[which]
        return c[0], c[1:]

    return rule


_sin_cos = _pair(lambda x: sin(x), lambda x: cos(x), -1)
_sinh_cosh = _pair(lambda x: sinh(x), lambda x: cosh(x), +1)


def _tanh_taylor(primals: Any, series: Any, order: Any) -> Any:
    """``y' = (1 - y^2) x'``: with ``v = y^2``, ``y_k = x_k (1 - v_0) - sum_{j<k} (j/k) x_j v_{k-j}``."""
    x = coefficients(primals[0], series[0], order)
    y = [tanh(x[0])]
    v = [mul(y[0], y[0])]
    w0 = sub(1.0, v[0])
    for k in range(1, order + 1):
        terms = [None if x[k] is None else mul(x[k], w0)]
        terms += [
            scaled(mul(x[j], v[k - j]), -j / k)
            for j in range(1, k)
            if x[j] is not None and v[k - j] is not None
        ]
        y.append(series_sum(terms))
        if k < order:
            v.append(square_coefficient(y, k))
    return y[0], y[1:]


# -------------------------------------------------------------------- trigonometric

sin_p = elementwise(ufunc("sin", np.sin, taylor=_half(_sin_cos, 0)), lambda ans, x: cos(x), keeps=("x",))
cos_p = elementwise(ufunc("cos", np.cos, taylor=_half(_sin_cos, 1)), lambda ans, x: -sin(x), keeps=("x",))
tan_p = elementwise(ufunc("tan", np.tan), lambda ans, x: 1.0 + ans * ans, keeps=("ans",))
arcsin_p = elementwise(ufunc("arcsin", np.arcsin), divided_by(lambda ans, x: sqrt(1.0 - x * x)), keeps=("x",))
arccos_p = elementwise(ufunc("arccos", np.arccos), lambda ans, x: -1.0 / sqrt(1.0 - x * x), keeps=("x",))
arctan_p = elementwise(ufunc("arctan", np.arctan), divided_by(lambda ans, x: 1.0 + x * x), keeps=("x",))

sin: Callable[..., Any] = unary_fn(sin_p)
cos: Callable[..., Any] = unary_fn(cos_p)
tan = unary_fn(tan_p)
arcsin = unary_fn(arcsin_p)
arccos = unary_fn(arccos_p)
arctan = unary_fn(arctan_p)


def _safe_nonzero(v: Any) -> Any:
    return where(v == 0, 1.0, v)


def _atan2_r2(x1: Any, x2: Any) -> Any:
    return _safe_nonzero(x1 * x1 + x2 * x2)


# arctan2(x1, x2) = angle of (x2, x1): d/dx1 = x2 / r^2, d/dx2 = -x1 / r^2 (0 at the origin).
arctan2_p = elementwise(
    ufunc("arctan2", np.arctan2),
    lambda ans, x1, x2: x2 / _atan2_r2(x1, x2),
    lambda ans, x1, x2: -x1 / _atan2_r2(x1, x2),
    keeps=("x y", "x y"),
)
# hypot at (0, 0): derivative 0 (the subgradient of the norm nearest the origin, as JAX).
hypot_p = elementwise(
    ufunc("hypot", np.hypot),
    lambda ans, x, y: x / _safe_nonzero(ans),
    lambda ans, x, y: y / _safe_nonzero(ans),
    keeps=("ans x", "ans y"),
)
arctan2 = binary_fn(arctan2_p)
hypot = binary_fn(hypot_p)

# ----------------------------------------------------------------------- hyperbolic

sinh_p = elementwise(
    ufunc("sinh", np.sinh, taylor=_half(_sinh_cosh, 0)), lambda ans, x: cosh(x), keeps=("x",)
)
cosh_p = elementwise(
    ufunc("cosh", np.cosh, taylor=_half(_sinh_cosh, 1)), lambda ans, x: sinh(x), keeps=("x",)
)
tanh_p = elementwise(
    ufunc("tanh", np.tanh, taylor=_tanh_taylor), lambda ans, x: 1.0 - ans * ans, keeps=("ans",)
)
arcsinh_p = elementwise(
    ufunc("arcsinh", np.arcsinh), divided_by(lambda ans, x: sqrt(x * x + 1.0)), keeps=("x",)
)
arccosh_p = elementwise(
    ufunc("arccosh", np.arccosh), divided_by(lambda ans, x: sqrt(x - 1.0) * sqrt(x + 1.0)), keeps=("x",)
)
arctanh_p = elementwise(
    ufunc("arctanh", np.arctanh), divided_by(lambda ans, x: (1.0 - x) * (1.0 + x)), keeps=("x",)
)

sinh: Callable[..., Any] = unary_fn(sinh_p)
cosh: Callable[..., Any] = unary_fn(cosh_p)
tanh = unary_fn(tanh_p)
arcsinh = unary_fn(arcsinh_p)
arccosh = unary_fn(arccosh_p)
arctanh = unary_fn(arctanh_p)

# ---------------------------------------------------------------------------- sinc
# sinc(x) = sin(pi x) / (pi x). Its derivative (cos(pi x) - sinc(x)) / x is 0/0 at 0, so
# near 0 it is evaluated from the Taylor series (exact to every order we differentiate).

_SINC_SMALL = 1e-2  # |pi x| below this uses the series


def _sinc_deriv(ans: Any, x: Any) -> Any:
    u = x * math.pi
    small = abs(u) < _SINC_SMALL
    # d/du [sin u / u] near 0, from the series: sum (-1)^k 2k u^(2k-1) / (2k+1)!
    u2 = u * u
    series = u * (-2.0 / 6 + u2 * (4.0 / 120 + u2 * (-6.0 / 5040 + u2 * (8.0 / 362880))))
    safe_u = where(small, 1.0, u)
    exact = (cos(safe_u) - sin(safe_u) / safe_u) / safe_u
    return where(small, series, exact) * math.pi


sinc_p = elementwise(Primitive("sinc", np.sinc), _sinc_deriv, keeps=("x",))
sinc = unary_fn(sinc_p)
