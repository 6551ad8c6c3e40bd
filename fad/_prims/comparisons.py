"""Comparisons, predicates, logic, rounding and ``where``: the elementwise primitives whose
results are piecewise constant (a zero derivative wherever it exists, as JAX), and
``select``, which routes values and derivatives by a condition.

Each is a NumPy ufunc with a batch rule (:func:`fad._rules.nondifferentiable`), except
``select``, whose rules are written out below.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import declare, selects
from fad._prims.wrappers import binary_fn, unary_fn
from fad._rules import batch_elementwise, nondifferentiable, ufunc
from fad._structural import astype, broadcast_to, cotangent_of, shape_of, unbroadcast

# --------------------------------------------------------------------- comparisons

lt_p = nondifferentiable(ufunc("lt", np.less))
le_p = nondifferentiable(ufunc("le", np.less_equal))
gt_p = nondifferentiable(ufunc("gt", np.greater))
ge_p = nondifferentiable(ufunc("ge", np.greater_equal))
eq_p = nondifferentiable(ufunc("eq", np.equal), symmetric=True)
ne_p = nondifferentiable(ufunc("ne", np.not_equal), symmetric=True)

lt = binary_fn(lt_p)
le = binary_fn(le_p)
gt = binary_fn(gt_p)
ge = binary_fn(ge_p)
eq = binary_fn(eq_p)
ne = binary_fn(ne_p)

# ------------------------------------------------------------ predicates and logic

isfinite_p = nondifferentiable(ufunc("isfinite", np.isfinite))
isnan_p = nondifferentiable(ufunc("isnan", np.isnan))
isinf_p = nondifferentiable(ufunc("isinf", np.isinf))
signbit_p = nondifferentiable(ufunc("signbit", np.signbit))
logical_and_p = nondifferentiable(ufunc("logical_and", np.logical_and))
logical_or_p = nondifferentiable(ufunc("logical_or", np.logical_or))
logical_xor_p = nondifferentiable(ufunc("logical_xor", np.logical_xor))
logical_not_p = nondifferentiable(ufunc("logical_not", np.logical_not))

isfinite = unary_fn(isfinite_p)
isnan = unary_fn(isnan_p)
isinf = unary_fn(isinf_p)
signbit = unary_fn(signbit_p)
logical_and = binary_fn(logical_and_p)
logical_or = binary_fn(logical_or_p)
logical_xor = binary_fn(logical_xor_p)
logical_not = unary_fn(logical_not_p)

# ------------------------------------------------------------------ sign and rounding

sign_p = nondifferentiable(ufunc("sign", np.sign))
floor_p = nondifferentiable(ufunc("floor", np.floor))
ceil_p = nondifferentiable(ufunc("ceil", np.ceil))
trunc_p = nondifferentiable(ufunc("trunc", np.trunc))
rint_p = nondifferentiable(ufunc("rint", np.rint))
fix_p = nondifferentiable(Primitive("fix", np.fix))
round_p = nondifferentiable(Primitive("round", lambda x, *, decimals: np.round(x, decimals)))
floor_divide_p = nondifferentiable(ufunc("floor_divide", np.floor_divide))

sign = unary_fn(sign_p)
floor = unary_fn(floor_p)
ceil = unary_fn(ceil_p)
trunc = unary_fn(trunc_p)
rint = unary_fn(rint_p)
fix = unary_fn(fix_p)
round = unary_fn(round_p)  # noqa: A001 - mirrors numpy.round
floor_divide = binary_fn(floor_divide_p)

# ------------------------------------------- bits, integers and float representation
# Integer results, or the neighbouring floats of a value: piecewise constant, no derivative.

bitwise_and_p = nondifferentiable(ufunc("bitwise_and", np.bitwise_and))
bitwise_or_p = nondifferentiable(ufunc("bitwise_or", np.bitwise_or))
bitwise_xor_p = nondifferentiable(ufunc("bitwise_xor", np.bitwise_xor))
invert_p = nondifferentiable(ufunc("invert", np.invert))
left_shift_p = nondifferentiable(ufunc("left_shift", np.left_shift))
right_shift_p = nondifferentiable(ufunc("right_shift", np.right_shift))
gcd_p = nondifferentiable(ufunc("gcd", np.gcd))
lcm_p = nondifferentiable(ufunc("lcm", np.lcm))
bitwise_count_p = nondifferentiable(ufunc("bitwise_count", np.bitwise_count))
nextafter_p = nondifferentiable(ufunc("nextafter", np.nextafter))
spacing_p = nondifferentiable(ufunc("spacing", np.spacing))
frexp_exponent_p = nondifferentiable(Primitive("frexp_exponent", lambda x: np.frexp(x)[1]))

bitwise_and = binary_fn(bitwise_and_p)
bitwise_or = binary_fn(bitwise_or_p)
bitwise_xor = binary_fn(bitwise_xor_p)
invert = unary_fn(invert_p)
left_shift = binary_fn(left_shift_p)
right_shift = binary_fn(right_shift_p)
gcd = binary_fn(gcd_p)
lcm = binary_fn(lcm_p)
bitwise_count = unary_fn(bitwise_count_p)
nextafter = binary_fn(nextafter_p)
spacing = unary_fn(spacing_p)
frexp_exponent = unary_fn(frexp_exponent_p)

# ---------------------------------------------------------------------------- where
# select(cond, x, y): the cotangent goes to the branch that was taken; the other branch
# gets an exact zero (not ct * 0), so an infinite cotangent does not become NaN.

select_p = Primitive("select", np.where, array_api_impl=lambda xp, c, x, y: xp.where(c, x, y))
declare(select_p, selects)  # (linear in x and y: the condition has no derivative)


def _select_jvp(primals: Any, tangents: Any, **_: Any) -> Any:
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


def _select_vjp(ct: Any, ans: Any, primals: Any, wants: Any, **_: Any) -> Any:
    cond, x, y = primals  # (a real branch of a complex select gets the real part: cotangent_of)
    ct_x = cotangent_of(unbroadcast(select(cond, ct, 0.0), shape_of(x)), x) if wants[1] else None
    ct_y = cotangent_of(unbroadcast(select(cond, 0.0, ct), shape_of(y)), y) if wants[2] else None
    return None, ct_x, ct_y


select_p.jvp = _select_jvp
select_p.vjp = _select_vjp
select_p.batch = batch_elementwise(select_p)
# the reverse rule reads only cond, to route the cotangents of x and y
select_p.residuals = ((False, (False,) * 3),) + ((False, (True, False, False)),) * 2


def select(cond: Any, x: Any, y: Any) -> Any:
    return bind(select_p, cond, x, y)


where = select
