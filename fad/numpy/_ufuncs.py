"""Elementwise functions with NumPy's broadcasting, Python scalars and dtype promotion."""

from __future__ import annotations

import numpy as np

from fad._core import bind
from fad._prims import elementwise as ew
from fad._prims.structural import astype
from fad.numpy._util import binary_function, coerce, unary_function

add = binary_function(ew.add_p, "add", "Elementwise ``x + y``.")
subtract = binary_function(ew.sub_p, "subtract", "Elementwise ``x - y``.")
multiply = binary_function(ew.mul_p, "multiply", "Elementwise ``x * y``.")
divide = binary_function(ew.div_p, "divide", "Elementwise ``x / y`` (true division).")
true_divide = divide
power = binary_function(ew.pow_p, "power", "Elementwise ``x ** y``.")
maximum = binary_function(
    ew.maximum_p, "maximum", "Elementwise maximum; at ties the derivative is split evenly."
)
minimum = binary_function(
    ew.minimum_p, "minimum", "Elementwise minimum; at ties the derivative is split evenly."
)
negative = unary_function(ew.neg_p, "negative", "Elementwise ``-x``.")
exp = unary_function(ew.exp_p, "exp", "Elementwise exponential.")
log = unary_function(ew.log_p, "log", "Elementwise natural logarithm.")
sin = unary_function(
    ew.sin_p,
    "sin",
    "Elementwise sine.\n\n>>> import fad, fad.numpy as fnp\n>>> fad.grad(fnp.sin)(0.0)\nnp.float64(1.0)",
)
cos = unary_function(ew.cos_p, "cos", "Elementwise cosine.")
tan = unary_function(ew.tan_p, "tan", "Elementwise tangent.")
tanh = unary_function(ew.tanh_p, "tanh", "Elementwise hyperbolic tangent.")
sqrt = unary_function(ew.sqrt_p, "sqrt", "Elementwise square root (derivative ``inf`` at 0).")
absolute = unary_function(ew.abs_p, "absolute", "Elementwise ``|x|``; derivative ``sign(x)`` (0 at 0).")
abs = absolute  # noqa: A001
sign = unary_function(ew.sign_p, "sign", "Elementwise sign (zero derivative).")

equal = binary_function(ew.eq_p, "equal", "Elementwise ``x == y`` (not differentiable; bool result).")
not_equal = binary_function(ew.ne_p, "not_equal", "Elementwise ``x != y``.")
less = binary_function(ew.lt_p, "less", "Elementwise ``x < y``.")
less_equal = binary_function(ew.le_p, "less_equal", "Elementwise ``x <= y``.")
greater = binary_function(ew.gt_p, "greater", "Elementwise ``x > y``.")
greater_equal = binary_function(ew.ge_p, "greater_equal", "Elementwise ``x >= y``.")


def _is_bool(x):
    return (x.dtype if hasattr(x, "dtype") else np.result_type(x)) == np.bool_


def positive(x):
    """Elementwise ``+x``."""
    x = coerce(x)
    if _is_bool(x):
        raise TypeError("The numpy boolean positive, the `+` operator, is not supported (as NumPy).")
    return x


def square(x):
    """Elementwise ``x * x`` (booleans square to int8, as NumPy)."""
    x = coerce(x)
    if _is_bool(x):
        x = astype(x, np.int8)
    return bind(ew.mul_p, x, x)


def where(condition, x=None, y=None):
    """Choose ``x`` where ``condition`` holds, else ``y``.

    Only the taken branch receives a cotangent. If the untaken branch computes ``inf`` or
    ``nan`` (``where(x > 0, log(x), 0)``), its *derivative* can still be NaN: guard the
    input instead, ``log(where(x > 0, x, 1))``.

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(lambda x: fnp.where(x > 0, x, 0.0).sum())(fnp.array([-1.0, 2.0]))
    array([0., 1.])
    """
    if x is None and y is None:
        from fad.numpy._indexing import nonzero

        return nonzero(condition)
    return bind(ew.select_p, coerce(condition), coerce(x), coerce(y))
