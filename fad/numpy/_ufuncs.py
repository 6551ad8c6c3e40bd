"""Elementwise functions with NumPy's broadcasting, Python scalars and dtype promotion."""

from __future__ import annotations

import numpy as np

from fad._core import bind
from fad._prims import elementwise as ew
from fad._prims.structural import astype
from fad.numpy._util import coerce


def _unary(prim, name, doc):
    def f(x):
        return bind(prim, coerce(x))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


def _binary(prim, name, doc):
    def f(x, y):
        return bind(prim, coerce(x), coerce(y))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


add = _binary(ew.add_p, "add", "Elementwise ``x + y``.")
subtract = _binary(ew.sub_p, "subtract", "Elementwise ``x - y``.")
multiply = _binary(ew.mul_p, "multiply", "Elementwise ``x * y``.")
divide = _binary(ew.div_p, "divide", "Elementwise ``x / y`` (true division).")
true_divide = divide
power = _binary(ew.pow_p, "power", "Elementwise ``x ** y``.")
maximum = _binary(ew.maximum_p, "maximum", "Elementwise maximum; at ties the derivative is split evenly.")
minimum = _binary(ew.minimum_p, "minimum", "Elementwise minimum; at ties the derivative is split evenly.")
negative = _unary(ew.neg_p, "negative", "Elementwise ``-x``.")
exp = _unary(ew.exp_p, "exp", "Elementwise exponential.")
log = _unary(ew.log_p, "log", "Elementwise natural logarithm.")
sin = _unary(ew.sin_p, "sin", "Elementwise sine.\n\n>>> import fad, fad.numpy as fnp\n>>> fad.grad(fnp.sin)(0.0)\nnp.float64(1.0)")
cos = _unary(ew.cos_p, "cos", "Elementwise cosine.")
tan = _unary(ew.tan_p, "tan", "Elementwise tangent.")
tanh = _unary(ew.tanh_p, "tanh", "Elementwise hyperbolic tangent.")
sqrt = _unary(ew.sqrt_p, "sqrt", "Elementwise square root (derivative ``inf`` at 0).")
absolute = _unary(ew.abs_p, "absolute", "Elementwise ``|x|``; derivative ``sign(x)`` (0 at 0).")
abs = absolute  # noqa: A001
sign = _unary(ew.sign_p, "sign", "Elementwise sign (zero derivative).")

equal = _binary(ew.eq_p, "equal", "Elementwise ``x == y`` (not differentiable; bool result).")
not_equal = _binary(ew.ne_p, "not_equal", "Elementwise ``x != y``.")
less = _binary(ew.lt_p, "less", "Elementwise ``x < y``.")
less_equal = _binary(ew.le_p, "less_equal", "Elementwise ``x <= y``.")
greater = _binary(ew.gt_p, "greater", "Elementwise ``x > y``.")
greater_equal = _binary(ew.ge_p, "greater_equal", "Elementwise ``x >= y``.")


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
