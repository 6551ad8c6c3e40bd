"""Elementwise primitives: arithmetic, the elementary functions, comparisons, ``where``.

Each block declares a primitive with its NumPy implementation and its partial derivatives;
:func:`fad._rules.elementwise` turns those into forward, reverse and batching rules.
Partials are written ``(ans, x, ...) -> d out / d arg`` in fad operations.
"""

from __future__ import annotations

import numpy as np

from fad._core import Primitive, bind
from fad._prims.structural import astype, broadcast_to, shape_of, unbroadcast
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import batch_elementwise, divided_by, elementwise, nondifferentiable

# ----------------------------------------------------------------------- arithmetic

add_p = elementwise(Primitive("add", np.add), 1, 1)
sub_p = elementwise(Primitive("sub", np.subtract), 1, -1)
mul_p = elementwise(
    Primitive("mul", np.multiply),
    lambda ans, x, y: y,
    lambda ans, x, y: x,
    symmetric=True,
)
div_p = elementwise(
    Primitive("div", np.true_divide),
    divided_by(lambda ans, x, y: y),
    lambda ans, x, y: -ans / y,
)
neg_p = elementwise(Primitive("neg", np.negative), -1)


def _pow_dx(ans, x, y):
    if isinstance(y, (int, float)):  # a Python exponent: no select needed
        return 0.0 if y == 0 else y * x ** (y - 1)
    # y * x**(y-1), with 0**-1 kept finite where y == 0 (the product is 0 there); written
    # without cutting y out, so the derivative with respect to y stays right at y == 0
    safe_x = where(y == 0, where(x == 0, 1.0, x), x)
    return y * safe_x ** (y - 1)


def _pow_dy(ans, x, y):
    is_zero = x == 0
    safe_x = where(is_zero, 1.0, x)
    return where(is_zero, 0.0, log(safe_x) * ans)


pow_p = elementwise(Primitive("pow", np.power), _pow_dx, _pow_dy)

add = binary_fn(add_p)
sub = binary_fn(sub_p)
mul = binary_fn(mul_p)
div = binary_fn(div_p)
neg = unary_fn(neg_p)
pow = binary_fn(pow_p)  # noqa: A001 - mirrors numpy.power

# --------------------------------------------------------------- elementary functions

exp_p = elementwise(Primitive("exp", np.exp), lambda ans, x: ans)
log_p = elementwise(Primitive("log", np.log), divided_by(lambda ans, x: x))
sin_p = elementwise(Primitive("sin", np.sin), lambda ans, x: cos(x))
cos_p = elementwise(Primitive("cos", np.cos), lambda ans, x: -sin(x))
tan_p = elementwise(Primitive("tan", np.tan), lambda ans, x: 1.0 + ans * ans)
tanh_p = elementwise(Primitive("tanh", np.tanh), lambda ans, x: 1.0 - ans * ans)
sqrt_p = elementwise(Primitive("sqrt", np.sqrt), lambda ans, x: 0.5 / ans)
# Convention at the kink: d|x|/dx = sign(x), so 0 at x = 0 (as JAX and PyTorch).
abs_p = elementwise(Primitive("abs", np.abs), lambda ans, x: sign(x))
sign_p = nondifferentiable(Primitive("sign", np.sign))

exp = unary_fn(exp_p)
log = unary_fn(log_p)
sin = unary_fn(sin_p)
cos = unary_fn(cos_p)
tan = unary_fn(tan_p)
tanh = unary_fn(tanh_p)
sqrt = unary_fn(sqrt_p)
abs = unary_fn(abs_p)  # noqa: A001
sign = unary_fn(sign_p)

# ------------------------------------------------------------------- max and min
# Convention at ties: the derivative is split evenly (0.5 each), as in JAX.


def _balanced(wins, ties, ans):
    return astype(where(wins, 1.0, where(ties, 0.5, 0.0)), ans.dtype)


maximum_p = elementwise(
    Primitive("maximum", np.maximum),
    lambda ans, x, y: _balanced(x > y, x == y, ans),
    lambda ans, x, y: _balanced(y > x, x == y, ans),
)
minimum_p = elementwise(
    Primitive("minimum", np.minimum),
    lambda ans, x, y: _balanced(x < y, x == y, ans),
    lambda ans, x, y: _balanced(y < x, x == y, ans),
)
maximum = binary_fn(maximum_p)
minimum = binary_fn(minimum_p)

# --------------------------------------------------------------------- comparisons

lt_p = nondifferentiable(Primitive("lt", np.less))
le_p = nondifferentiable(Primitive("le", np.less_equal))
gt_p = nondifferentiable(Primitive("gt", np.greater))
ge_p = nondifferentiable(Primitive("ge", np.greater_equal))
eq_p = nondifferentiable(Primitive("eq", np.equal))
ne_p = nondifferentiable(Primitive("ne", np.not_equal))

lt = binary_fn(lt_p)
le = binary_fn(le_p)
gt = binary_fn(gt_p)
ge = binary_fn(ge_p)
eq = binary_fn(eq_p)
ne = binary_fn(ne_p)

# ---------------------------------------------------------------------------- where
# select(cond, x, y): the cotangent goes to the branch that was taken; the other branch
# gets an exact zero (not ct * 0), so an infinite cotangent does not become NaN.

select_p = Primitive("select", np.where)


def _select_jvp(primals, tangents, **_):
    cond, x, y = primals
    out = select(cond, x, y)
    _, tx, ty = tangents
    if tx is None and ty is None:
        return out, None
    tx = 0.0 if tx is None else tx
    ty = 0.0 if ty is None else ty
    t = select(cond, tx, ty)
    if shape_of(t) != shape_of(out):
        t = broadcast_to(t, shape_of(out))
    if t.dtype != out.dtype:
        t = astype(t, out.dtype)
    return out, t


def _select_vjp(ct, ans, primals, wants, **_):
    cond, x, y = primals
    ct_x = unbroadcast(select(cond, ct, 0.0), shape_of(x)) if wants[1] else None
    ct_y = unbroadcast(select(cond, 0.0, ct), shape_of(y)) if wants[2] else None
    return None, ct_x, ct_y


select_p.jvp = _select_jvp
select_p.vjp = _select_vjp
select_p.batch = batch_elementwise(select_p)
select_p.residuals = ((False, (True, False, False)),) * 3  # the reverse rule reads only cond


def select(cond, x, y):
    return bind(select_p, cond, x, y)


where = select
