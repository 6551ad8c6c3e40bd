"""Bit-wise operations (NumPy's "Bit-wise operations") and the integer ``gcd`` / ``lcm``: one
NumPy ufunc each, on integer (or boolean) arrays, with no derivative. They batch under
``vmap`` and stage under ``jit``; next to a differentiated value they are constants."""

from __future__ import annotations

from fad import _prims as m
from fad._prims.wrappers import binary_fn, unary_fn

bitwise_and = binary_fn(
    m.bitwise_and_p,
    "bitwise_and",
    "Elementwise ``x1 & x2`` of integers or booleans.\n\n>>> import fad.numpy as fnp\n"
    ">>> fnp.bitwise_and(fnp.array([12, 10]), 6)\narray([4, 2])",
    public=True,
)
bitwise_or = binary_fn(
    m.bitwise_or_p, "bitwise_or", "Elementwise ``x1 | x2`` of integers or booleans.", public=True
)
bitwise_xor = binary_fn(
    m.bitwise_xor_p, "bitwise_xor", "Elementwise ``x1 ^ x2`` of integers or booleans.", public=True
)
invert = unary_fn(
    m.invert_p,
    "invert",
    "Elementwise ``~x`` (bit-wise NOT; logical NOT of booleans).\n\n>>> import fad.numpy as fnp\n"
    ">>> fnp.invert(fnp.array([0, 5]))\narray([-1, -6])",
    public=True,
)
left_shift = binary_fn(m.left_shift_p, "left_shift", "Elementwise ``x1 << x2``.", public=True)
right_shift = binary_fn(m.right_shift_p, "right_shift", "Elementwise ``x1 >> x2``.", public=True)
gcd = binary_fn(
    m.gcd_p,
    "gcd",
    "Elementwise greatest common divisor of integers.\n\n>>> import fad.numpy as fnp\n"
    ">>> fnp.gcd(fnp.array([12, 20]), 8)\narray([4, 4])",
    public=True,
)
lcm = binary_fn(m.lcm_p, "lcm", "Elementwise least common multiple of integers.", public=True)
bitwise_count = unary_fn(
    m.bitwise_count_p,
    "bitwise_count",
    "Number of 1 bits in the absolute value of each integer (``uint8`` result).\n\n"
    ">>> import fad.numpy as fnp\n>>> fnp.bitwise_count(fnp.array([7, -8]))\narray([3, 1], dtype=uint8)",
    public=True,
)

# NumPy 2's array-API spellings
bitwise_not = bitwise_invert = invert
bitwise_left_shift = left_shift
bitwise_right_shift = right_shift
