# mypy: allow-redefinition-new, local-partial-types
"""Bit-wise operations (NumPy's "Bit-wise operations") and the integer ``gcd`` / ``lcm``: one
NumPy ufunc each, on integer (or boolean) arrays, with no derivative. They batch under
``vmap`` and stage under ``jit``; next to a differentiated value they are constants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fad import _prims as m
from fad.numpy._util import binary, unary

if TYPE_CHECKING:
    pass


def _doc(summary: Any, call: Any, result: Any) -> Any:
    return f"{summary}\n\n>>> import fad.numpy as fnp\n>>> {call}\n{result}"


bitwise_and = binary(
    m.bitwise_and_p,
    "bitwise_and",
    _doc(
        "Elementwise ``x1 & x2`` of integers or booleans.",
        "fnp.bitwise_and(fnp.array([12, 10]), 6)",
        "array([4, 2])",
    ),
)
bitwise_or = binary(
    m.bitwise_or_p,
    "bitwise_or",
    _doc(
        "Elementwise ``x1 | x2`` of integers or booleans.",
        "fnp.bitwise_or(fnp.array([12, 10]), 6)",
        "array([14, 14])",
    ),
)
bitwise_xor = binary(
    m.bitwise_xor_p,
    "bitwise_xor",
    _doc(
        "Elementwise ``x1 ^ x2`` of integers or booleans.",
        "fnp.bitwise_xor(fnp.array([12, 10]), 6)",
        "array([10, 12])",
    ),
)
invert = unary(
    m.invert_p,
    "invert",
    _doc(
        "Elementwise ``~x`` (bit-wise NOT; logical NOT of booleans).",
        "fnp.invert(fnp.array([0, 5]))",
        "array([-1, -6])",
    ),
)
left_shift = binary(
    m.left_shift_p,
    "left_shift",
    _doc("Elementwise ``x1 << x2``.", "fnp.left_shift(fnp.array([1, 3]), 2)", "array([ 4, 12])"),
)
right_shift = binary(
    m.right_shift_p,
    "right_shift",
    _doc("Elementwise ``x1 >> x2``.", "fnp.right_shift(fnp.array([8, 7]), 1)", "array([4, 3])"),
)
gcd = binary(
    m.gcd_p,
    "gcd",
    _doc(
        "Elementwise greatest common divisor of integers.", "fnp.gcd(fnp.array([12, 20]), 8)", "array([4, 4])"
    ),
)
lcm = binary(
    m.lcm_p,
    "lcm",
    _doc(
        "Elementwise least common multiple of integers.", "fnp.lcm(fnp.array([4, 6]), 10)", "array([20, 30])"
    ),
)
bitwise_count = unary(
    m.bitwise_count_p,
    "bitwise_count",
    _doc(
        "Number of 1 bits in the absolute value of each integer (``uint8`` result).",
        "fnp.bitwise_count(fnp.array([7, -8]))",
        "array([3, 1], dtype=uint8)",
    ),
)

# NumPy 2's array-API spellings
bitwise_not = bitwise_invert = invert
bitwise_left_shift = left_shift
bitwise_right_shift = right_shift
