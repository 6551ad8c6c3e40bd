"""Arithmetic: ``+ - * /``, negation, absolute value, max and min, remainders, sign
manipulation and the complex parts; and the arithmetic of power series that the direct
Taylor-mode (``fad.jet``) rules of this and the other elementwise families are built from.

Each block declares a primitive with its NumPy implementation, its partial derivatives
(``(ans, x, ...) -> d out / d arg`` in fad operations, with what each reads: ``keeps``)
and its algebraic facts; :func:`fad._rules.elementwise` turns the partials into forward,
reverse and batching rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import declare, multiplies
from fad._prims.comparisons import isnan, logical_and, logical_or, rint, sign, signbit, where
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import batch_elementwise, divided_by, elementwise, nondifferentiable, ufunc
from fad._structural import astype, linear, linear_taylor

if TYPE_CHECKING:
    from collections.abc import Callable

# --------------------------------------------------------------------- power series
# A Taylor rule ``rule(primals, series, order, **params) -> (y_0, [y_1, ..., y_K])`` gets,
# per argument, ``[x_1, ..., x_K]`` (``None``: a zero coefficient) or ``None`` for a
# constant argument. With ``x(t) = sum_k x_k t^k``, the recurrences below follow from
# ``y' = f'(x) x'`` matched power by power. ``None`` stands for zero throughout.


def coefficients(x0: Any, s: Any, order: Any) -> Any:
    """``[x_0, x_1, ..., x_K]`` with ``None`` for zeros."""
    return [x0] + (list(s) if s is not None else [None] * order)


def series_sum(terms: Any) -> Any:
    out = None
    for t in terms:
        if t is not None:
            out = t if out is None else add(out, t)
    return out


def difference(a: Any, b: Any) -> Any:
    """``a - b``, with ``None`` as zero."""
    if b is None:
        return a
    return neg(b) if a is None else sub(a, b)


def over(a: Any, b: Any, d: Any) -> Any:
    """``(a - b) / d``, with ``None`` as zero: the step of the division-like recurrences."""
    num = difference(a, b)
    return None if num is None else div(num, d)


def scaled(x: Any, c: Any) -> Any:
    return None if x is None else (x if c == 1 else mul(x, c))


def square_coefficient(y: Any, k: Any) -> Any:
    """``sum_{i=0..k} y_i y_{k-i}`` by symmetry: twice the products below the middle, plus
    the middle square."""
    twice = series_sum(
        mul(y[i], y[k - i]) for i in range((k + 1) // 2) if y[i] is not None and y[k - i] is not None
    )
    middle = None if k % 2 or y[k // 2] is None else mul(y[k // 2], y[k // 2])
    return series_sum([scaled(twice, 2.0), middle])


def cauchy(a: Any, b: Any, k: Any, product: Any = None) -> Any:
    """``sum_{i=0..k} a_i b_{k-i}`` (the coefficient of ``t^k`` in ``a(t) b(t)``), skipping zeros."""
    product = product or mul
    return series_sum(
        product(a[i], b[k - i]) for i in range(k + 1) if a[i] is not None and b[k - i] is not None
    )


def weighted(x: Any, y: Any, k: Any) -> Any:
    """``sum_{j=1..k} (j / k) x_j y_{k-j}`` (the coefficient of ``t^k`` in ``integral(x' y)``)."""
    return series_sum(
        scaled(mul(x[j], y[k - j]), j / k)
        for j in range(1, k + 1)
        if x[j] is not None and y[k - j] is not None
    )


def bilinear_taylor(product: Any) -> Any:
    """The Taylor rule of a product (``mul``, ``matmul``): the Cauchy product of the series."""

    def rule(primals: Any, series: Any, order: Any) -> Any:
        x, y = (coefficients(p, s, order) for p, s in zip(primals, series, strict=True))
        return product(x[0], y[0]), [cauchy(x, y, k, product) for k in range(1, order + 1)]

    return rule


# ----------------------------------------------------------------------- arithmetic


def _add_taylor(primals: Any, series: Any, order: Any) -> Any:
    x, y = (coefficients(p, s, order) for p, s in zip(primals, series, strict=True))
    return add(x[0], y[0]), [series_sum([x[k], y[k]]) for k in range(1, order + 1)]


def _sub_taylor(primals: Any, series: Any, order: Any) -> Any:
    x, y = (coefficients(p, s, order) for p, s in zip(primals, series, strict=True))
    return sub(x[0], y[0]), [difference(x[k], y[k]) for k in range(1, order + 1)]


def _div_taylor(primals: Any, series: Any, order: Any) -> Any:
    """``z = x / y``: ``z_k = (x_k - sum_{i=1..k} y_i z_{k-i}) / y_0``."""
    x, y = (coefficients(p, s, order) for p, s in zip(primals, series, strict=True))
    z = [div(x[0], y[0])]
    for k in range(1, order + 1):
        acc = series_sum(
            mul(y[i], z[k - i]) for i in range(1, k + 1) if y[i] is not None and z[k - i] is not None
        )
        z.append(over(x[k], acc, y[0]))
    return z[0], z[1:]


neg_p = elementwise(ufunc("neg", np.negative, negation=True), -1)
neg_p.taylor = linear_taylor(neg_p)
mul_p = elementwise(
    ufunc("mul", np.multiply, identity=1, odd=True, scaling=True),
    lambda ans, x, y: y,
    lambda ans, x, y: x,
    symmetric=True,
    keeps=("y", "x"),
)
mul_p.taylor = bilinear_taylor(lambda a, b: mul(a, b))
declare(mul_p, multiplies, "multilinear")
# (signed zeros: x - 0.0 == x and x + -0.0 == x for every x, where -0.0 + 0.0 is 0.0)
sub_p = elementwise(ufunc("sub", np.subtract, identity=0.0, taylor=_sub_taylor), 1, -1)
# a + (-b) == a - b and a - (-b) == a + b; a + a == a * 2.0
add_p = elementwise(
    ufunc("add", np.add, identity=-0.0, negated_rhs=sub_p, twice=mul_p, taylor=_add_taylor),
    1,
    1,
    symmetric=True,
)
sub_p.negated_rhs = add_p
div_p = elementwise(
    ufunc("div", np.true_divide, identity=1, odd=True, taylor=_div_taylor),
    divided_by(lambda ans, x, y: y),
    lambda ans, x, y: -ans / y,
    keeps=("y", "ans y"),
)
reciprocal_p = elementwise(ufunc("reciprocal", np.reciprocal), lambda ans, x: -(ans * ans), keeps=("ans",))
# Convention at the kink: d|x|/dx = sign(x), so 0 at x = 0 (as JAX and PyTorch).
abs_p = elementwise(ufunc("abs", np.abs), lambda ans, x: sign(x), keeps=("x",))

add = binary_fn(add_p)
sub = binary_fn(sub_p)
mul: Callable[..., Any] = binary_fn(mul_p)
div = binary_fn(div_p)
neg = unary_fn(neg_p)
reciprocal = unary_fn(reciprocal_p)
abs = unary_fn(abs_p)  # noqa: A001

# ------------------------------------------------------------------- max and min
# Convention at ties: the derivative is split evenly (0.5 each), as in JAX. ``ans`` is
# read for its dtype only, which the tape keeps anyway.


def _balanced(wins: Any, ties: Any, ans: Any) -> Any:
    return astype(where(wins, 1.0, where(ties, 0.5, 0.0)), ans.dtype)


maximum_p = elementwise(
    ufunc("maximum", np.maximum),
    lambda ans, x, y: _balanced(x > y, x == y, ans),
    lambda ans, x, y: _balanced(y > x, x == y, ans),
    symmetric=True,
    keeps=("x y", "x y"),
)
minimum_p = elementwise(
    ufunc("minimum", np.minimum),
    lambda ans, x, y: _balanced(x < y, x == y, ans),
    lambda ans, x, y: _balanced(y < x, x == y, ans),
    symmetric=True,
    keeps=("x y", "x y"),
)
# fmax/fmin ignore NaN: the non-NaN argument gets the whole derivative; ties split evenly.
fmax_p = elementwise(
    ufunc("fmax", np.fmax),
    lambda ans, x, y: _balanced(logical_or(x > y, isnan(y)), x == y, ans),
    lambda ans, x, y: _balanced(logical_or(y > x, logical_and(isnan(x), y == y)), x == y, ans),
    keeps=("x y", "x y"),
)
fmin_p = elementwise(
    ufunc("fmin", np.fmin),
    lambda ans, x, y: _balanced(logical_or(x < y, isnan(y)), x == y, ans),
    lambda ans, x, y: _balanced(logical_or(y < x, logical_and(isnan(x), y == y)), x == y, ans),
    keeps=("x y", "x y"),
)
maximum = binary_fn(maximum_p)
minimum = binary_fn(minimum_p)
fmax = binary_fn(fmax_p)
fmin = binary_fn(fmin_p)

# --------------------------------------------------------------------- remainders


def _quotient(ans: Any, x: Any, y: Any) -> Any:
    """The integer quotient q with x = q * y + ans, as the remainder itself was computed."""
    return rint(bind(_no_grad_div_p, x - ans, y))


_no_grad_div_p = nondifferentiable(ufunc("quotient", np.true_divide))

# remainder (Python's %, sign of y) and fmod (C's, sign of x): x - q * y with q piecewise
# constant, so d/dx = 1 and d/dy = -q (as JAX).
remainder_p = elementwise(
    ufunc("remainder", np.remainder), 1, lambda ans, x, y: -_quotient(ans, x, y), keeps=("", "ans x y")
)
fmod_p = elementwise(
    ufunc("fmod", np.fmod), 1, lambda ans, x, y: -_quotient(ans, x, y), keeps=("", "ans x y")
)
remainder = binary_fn(remainder_p)
fmod = binary_fn(fmod_p)

# ------------------------------------------------------------------ sign manipulation

# copysign(x1, x2) = |x1| with the sign of x2: d/dx1 = +-1, d/dx2 = 0.
copysign_p = elementwise(
    ufunc("copysign", np.copysign),
    lambda ans, x1, x2: where(signbit(x1) == signbit(ans), 1.0, -1.0),
    None,
    keeps=("ans x", ""),
)
copysign = binary_fn(copysign_p)

# heaviside(x1, x2): 0 / x2 / 1 for x1 < 0 / == 0 / > 0. d/dx1 = 0, d/dx2 = [x1 == 0].
heaviside_p = elementwise(
    ufunc("heaviside", np.heaviside), None, lambda ans, x1, x2: astype(x1 == 0, ans.dtype), keeps=("", "x")
)
heaviside = binary_fn(heaviside_p)

# ------------------------------------------------------------- complex parts
# All three are linear over the reals, so their forward rules apply them to the tangent.
# Transposes under the pairing Re(sum(ct * t)) (no conjugation, as JAX): real's is the
# real cotangent as complex, imag's -1j times it, conj's the conjugate cotangent. On real
# arrays conj and real are the identity and imag is zero.


def _real_transpose(ct: Any, x: Any) -> Any:
    return astype(ct, x.dtype)


def _imag_transpose(ct: Any, x: Any) -> Any:
    return None if x.dtype.kind != "c" else mul(astype(ct, x.dtype), -1j)


conj_p: Primitive = linear(ufunc("conj", np.conjugate), lambda ct, x: bind(conj_p, ct))
real_p = linear(Primitive("real", np.real), _real_transpose)
imag_p = linear(Primitive("imag", np.imag), _imag_transpose)
for _p in (conj_p, real_p, imag_p):
    _p.batch = batch_elementwise(_p)
conj_p.residuals = real_p.residuals = imag_p.residuals = ((False, (False,)),)  # x's dtype only


def real(x: Any) -> Any:
    return bind(real_p, x)


def imag(x: Any) -> Any:
    return bind(imag_p, x)


def conj(x: Any) -> Any:
    return bind(conj_p, x)


# |z| of a complex z is not holomorphic: d|z| = Re(conj(z) dz) / |z| (0 at z = 0, as the
# real convention), so its cotangent is ct * conj(z) / |z|. Real arrays keep the partial.
_abs_real_jvp: Callable[..., Any] = abs_p.jvp  # type: ignore[assignment]  # (set by elementwise)
_abs_real_vjp: Callable[..., Any] = abs_p.vjp  # type: ignore[assignment]


def _unit_conj(x: Any) -> Any:
    """``conj(x) / |x|``, 0 where ``x == 0``."""
    r = abs(x)
    return conj(x) / where(r == 0, 1.0, r)


def _abs_jvp(primals: Any, tangents: Any) -> Any:
    (x,), (t,) = primals, tangents
    if x.dtype.kind != "c":
        return _abs_real_jvp(primals, tangents)
    return abs(x), real(_unit_conj(x) * t)


def _abs_vjp(ct: Any, ans: Any, primals: Any, wants: Any) -> Any:
    (x,) = primals
    if x.dtype.kind != "c":
        return _abs_real_vjp(ct, ans, primals, wants)
    return [ct * _unit_conj(x)]


abs_p.jvp, abs_p.vjp = _abs_jvp, _abs_vjp
