"""Direct Taylor-mode (``fad.jet``) rules: recurrences on normalized coefficients.

Every differentiable primitive already has a Taylor rule derived from its forward rule
(``fad/_jet.py``). The ones here are cheaper, or avoid that derivation's re-expansion
(sin's forward rule calls cos, whose rule calls sin, ...): with ``x(t) = sum_k x_k t^k``
and ``y = f(x)``, the recurrences follow from ``y' = f'(x) x'`` matched power by power.
``series`` holds, per argument, ``[x_1, ..., x_K]`` (``None``: zero) or ``None`` for a
constant argument; a rule returns ``(y_0, [y_1, ..., y_K])``.
"""

from __future__ import annotations

from fad._jet import TAYLOR_RULES
from fad._prims import structural as st
from fad._prims.elementwise import (
    add,
    add_p,
    cos,
    cos_p,
    div,
    div_p,
    exp,
    exp_p,
    log,
    log_p,
    mul,
    mul_p,
    neg,
    neg_p,
    sin,
    sin_p,
    sqrt,
    sqrt_p,
    sub,
    sub_p,
    tanh,
    tanh_p,
)
from fad._prims.linalg import matmul, matmul_p
from fad._prims.math import cosh, cosh_p, sinh, sinh_p


def _coeffs(x0, s, order):
    """``[x_0, x_1, ..., x_K]`` with ``None`` for zeros."""
    return [x0] + (list(s) if s is not None else [None] * order)


def _sum(terms):
    out = None
    for t in terms:
        if t is not None:
            out = t if out is None else add(out, t)
    return out


def _difference(a, b):
    """``a - b``, with ``None`` as zero."""
    if b is None:
        return a
    return neg(b) if a is None else sub(a, b)


def _over(a, b, d):
    """``(a - b) / d``, with ``None`` as zero: the step of the division-like recurrences."""
    num = _difference(a, b)
    return None if num is None else div(num, d)


def _scale(x, c):
    return None if x is None else (x if c == 1 else mul(x, c))


def _square(y, k):
    """``sum_{i=0..k} y_i y_{k-i}`` by symmetry: twice the products below the middle, plus
    the middle square."""
    twice = _sum(
        mul(y[i], y[k - i]) for i in range((k + 1) // 2) if y[i] is not None and y[k - i] is not None
    )
    middle = None if k % 2 or y[k // 2] is None else mul(y[k // 2], y[k // 2])
    return _sum([_scale(twice, 2.0), middle])


def _cauchy(a, b, k, product=mul):
    """``sum_{i=0..k} a_i b_{k-i}`` (the coefficient of ``t^k`` in ``a(t) b(t)``), skipping zeros."""
    return _sum(product(a[i], b[k - i]) for i in range(k + 1) if a[i] is not None and b[k - i] is not None)


def _weighted(x, y, k):
    """``sum_{j=1..k} (j / k) x_j y_{k-j}`` (the coefficient of ``t^k`` in ``integral(x' y)``)."""
    return _sum(
        _scale(mul(x[j], y[k - j]), j / k)
        for j in range(1, k + 1)
        if x[j] is not None and y[k - j] is not None
    )


def _declare(prim):
    def register(rule):
        TAYLOR_RULES[prim] = rule
        return rule

    return register


# ------------------------------------------------------------- linear: coefficient-wise


@_declare(add_p)
def _add(primals, series, order):
    x, y = (_coeffs(p, s, order) for p, s in zip(primals, series, strict=True))
    return add(x[0], y[0]), [_sum([x[k], y[k]]) for k in range(1, order + 1)]


@_declare(sub_p)
def _sub(primals, series, order):
    x, y = (_coeffs(p, s, order) for p, s in zip(primals, series, strict=True))
    return sub(x[0], y[0]), [_difference(x[k], y[k]) for k in range(1, order + 1)]


def _linear_unary(prim):
    def rule(primals, series, order, **params):
        return prim.bind(primals[0], **params), [
            None if c is None else prim.bind(c, **params) for c in series[0]
        ]

    TAYLOR_RULES[prim] = rule


LINEAR_UNARY = (
    neg_p,
    st.reshape_p,
    st.transpose_p,
    st.broadcast_to_p,
    st.reduce_sum_p,
    st.getitem_p,
    st.astype_p,
    st.roll_p,
)
for _p in LINEAR_UNARY:
    _linear_unary(_p)


# ------------------------------------------------------------------ products, quotient


def _bilinear(product):
    def rule(primals, series, order):
        x, y = (_coeffs(p, s, order) for p, s in zip(primals, series, strict=True))
        return product(x[0], y[0]), [_cauchy(x, y, k, product) for k in range(1, order + 1)]

    return rule


TAYLOR_RULES[mul_p] = _bilinear(mul)
TAYLOR_RULES[matmul_p] = _bilinear(matmul)


@_declare(div_p)
def _div(primals, series, order):
    """``z = x / y``: ``z_k = (x_k - sum_{i=1..k} y_i z_{k-i}) / y_0``."""
    x, y = (_coeffs(p, s, order) for p, s in zip(primals, series, strict=True))
    z = [div(x[0], y[0])]
    for k in range(1, order + 1):
        acc = _sum(mul(y[i], z[k - i]) for i in range(1, k + 1) if y[i] is not None and z[k - i] is not None)
        z.append(_over(x[k], acc, y[0]))
    return z[0], z[1:]


# ------------------------------------------------------------ elementary functions


@_declare(exp_p)
def _exp(primals, series, order):
    """``y' = y x'``: ``y_k = sum_j (j/k) x_j y_{k-j}``."""
    x = _coeffs(primals[0], series[0], order)
    y = [exp(x[0])]
    for k in range(1, order + 1):
        y.append(_weighted(x, y, k))
    return y[0], y[1:]


@_declare(log_p)
def _log(primals, series, order):
    """``x y' = x'``: ``y_k = (x_k - sum_{j=1..k-1} (j/k) y_j x_{k-j}) / x_0``."""
    x = _coeffs(primals[0], series[0], order)
    y = [log(x[0])]
    for k in range(1, order + 1):
        acc = _sum(
            _scale(mul(y[j], x[k - j]), j / k)
            for j in range(1, k)
            if y[j] is not None and x[k - j] is not None
        )
        y.append(_over(x[k], acc, x[0]))
    return y[0], y[1:]


@_declare(sqrt_p)
def _sqrt(primals, series, order):
    """``y^2 = x``: ``y_k = (x_k - sum_{i=1..k-1} y_i y_{k-i}) / (2 y_0)``."""
    x = _coeffs(primals[0], series[0], order)
    y = [sqrt(x[0])]
    two_y0 = mul(y[0], 2.0)
    for k in range(1, order + 1):
        acc = _square([None] + y[1:k] + [None], k) if k > 1 else None  # sum over i = 1..k-1
        y.append(_over(x[k], acc, two_y0))
    return y[0], y[1:]


@_declare(tanh_p)
def _tanh(primals, series, order):
    """``y' = (1 - y^2) x'``: with ``v = y^2``, ``y_k = x_k (1 - v_0) - sum_{j<k} (j/k) x_j v_{k-j}``."""
    x = _coeffs(primals[0], series[0], order)
    y = [tanh(x[0])]
    v = [mul(y[0], y[0])]
    w0 = sub(1.0, v[0])
    for k in range(1, order + 1):
        terms = [None if x[k] is None else mul(x[k], w0)]
        terms += [
            _scale(mul(x[j], v[k - j]), -j / k)
            for j in range(1, k)
            if x[j] is not None and v[k - j] is not None
        ]
        y.append(_sum(terms))
        if k < order:
            v.append(_square(y, k))
    return y[0], y[1:]


def _pair(first, second, sign):
    """``s' = c x'`` and ``c' = sign * s x'`` (sin/cos: sign -1; sinh/cosh: +1)."""

    def series_of(x0, s, order):
        x = _coeffs(x0, s, order)
        a, b = [first(x[0])], [second(x[0])]
        for k in range(1, order + 1):
            a.append(_weighted(x, b, k))
            nb = _weighted(x, a, k)
            b.append(nb if sign > 0 or nb is None else neg(nb))
        return a, b

    return series_of


def _half(pair_fn, which):
    """The rule of one function of a pair (``which``: 0 the first, 1 the second)."""

    def rule(primals, series, order):
        c = pair_fn(primals[0], series[0], order)[which]
        return c[0], c[1:]

    return rule


_sin_cos = _pair(sin, cos, -1)
_sinh_cosh = _pair(sinh, cosh, +1)
TAYLOR_RULES[sin_p] = _half(_sin_cos, 0)
TAYLOR_RULES[sinh_p] = _half(_sinh_cosh, 0)
TAYLOR_RULES[cosh_p] = _half(_sinh_cosh, 1)
TAYLOR_RULES[cos_p] = _half(_sin_cos, 1)
