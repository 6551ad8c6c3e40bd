"""Truncated Taylor arithmetic in one or two variables, for the special functions whose
derivatives in a parameter have no closed form (``gammainc`` and ``betainc`` in their shape
parameters, ``zeta`` in its exponent).

A :class:`Series` holds the coefficients ``c[i, j]`` of ``f(a + e, b + d) = sum c[i, j] e^i
d^j`` for ``i <= ka``, ``j <= kb``; ``+ - * /`` and ``exp`` follow the rules of power
series, so running a function's series or continued fraction on Series of its parameters
gives its derivatives in them, exact up to the evaluation's own truncation (no finite
differences). The coefficients are NumPy arrays (the kernels) or fad values (the rules that
differentiate again): only ``exp`` differs, and it is passed in.

>>> import numpy as np
>>> s = Series.variable(np.array(2.0), 2)
>>> [round(float(v), 12) for v in (s * s / (s + 1.0)).derivatives()]  # x^2/(x+1) at 2
[1.333333333333, 0.888888888889, 0.074074074074]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class Series:
    """Coefficients ``c[(i, j)]`` for ``i <= ka``, ``j <= kb`` (``kb = 0``: one variable)."""

    __slots__ = ("c", "ka", "kb")
    __array_ufunc__ = None  # array (op) Series: NumPy defers to the Series' reflected operator

    def __init__(self, c: Any, ka: Any, kb: Any = 0) -> None:
        self.c, self.ka, self.kb = c, ka, kb

    @classmethod
    def constant(cls, v: Any, ka: Any, kb: Any = 0) -> Any:
        c = {(i, j): 0.0 for i in range(ka + 1) for j in range(kb + 1)}
        c[0, 0] = v
        return cls(c, ka, kb)

    @classmethod
    def variable(cls, v: Any, ka: Any, kb: Any = 0, which: Any = 0) -> Any:
        """The variable ``a`` (``which=0``) or ``b`` (``which=1``) at the value ``v``."""
        out = cls.constant(v, ka, kb)
        key = (1, 0) if which == 0 else (0, 1)
        if key in out.c:
            out.c[key] = 1.0
        return out

    @classmethod
    def from_derivatives(cls, d: Any, ka: Any, kb: Any = 0) -> Any:
        """The series whose ``(i, j)`` derivative is ``d(i, j)`` (``c = d / (i! j!)``)."""
        c = {}
        for i in range(ka + 1):
            for j in range(kb + 1):
                c[i, j] = d(i, j) * (1.0 / (math.factorial(i) * math.factorial(j)))
        return cls(c, ka, kb)

    def _lift(self, other: Any) -> Any:
        return other if isinstance(other, Series) else Series.constant(other, self.ka, self.kb)

    def __add__(self, other: Any) -> Any:
        if not isinstance(other, Series):
            c = dict(self.c)
            c[0, 0] = c[0, 0] + other
            return Series(c, self.ka, self.kb)
        return Series({k: v + other.c[k] for k, v in self.c.items()}, self.ka, self.kb)

    __radd__ = __add__

    def __neg__(self) -> Any:
        return Series({k: -v for k, v in self.c.items()}, self.ka, self.kb)

    def __sub__(self, other: Any) -> Any:
        return self + (-other if isinstance(other, Series) else -other)

    def __rsub__(self, other: Any) -> Any:
        return (-self) + other

    def __mul__(self, other: Any) -> Any:
        if not isinstance(other, Series):
            return Series({k: v * other for k, v in self.c.items()}, self.ka, self.kb)
        out = {}
        for i, j in self.c:
            acc = None
            for i1 in range(i + 1):
                for j1 in range(j + 1):
                    p, q = self.c[i1, j1], other.c[i - i1, j - j1]
                    if _is_zero(p) or _is_zero(q):
                        continue
                    acc = p * q if acc is None else acc + p * q
            out[i, j] = 0.0 if acc is None else acc
        return Series(out, self.ka, self.kb)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if not isinstance(other, Series):
            return Series({k: v / other for k, v in self.c.items()}, self.ka, self.kb)
        q0 = other.c[0, 0]
        out: dict[tuple[int, int], Any] = {}
        for i, j in sorted(self.c):
            acc = self.c[i, j]
            for i1 in range(i + 1):
                for j1 in range(j + 1):
                    if (i1, j1) == (0, 0):
                        continue
                    q, r = other.c[i1, j1], out[i - i1, j - j1]
                    if not (_is_zero(q) or _is_zero(r)):
                        acc = acc - q * r
            out[i, j] = acc / q0
        return Series(out, self.ka, self.kb)

    def __rtruediv__(self, other: Any) -> Any:
        return self._lift(other) / self

    def exp(self, expf: Any = np.exp) -> Any:
        """``exp`` of the series: ``exp(c0) * sum_m N^m / m!`` with ``N`` its non-constant part."""
        e0 = expf(self.c[0, 0])
        n = Series(dict(self.c), self.ka, self.kb)
        n.c[0, 0] = 0.0
        total = Series.constant(1.0, self.ka, self.kb)
        power = total
        for m in range(1, self.ka + self.kb + 1):
            power = power * n * (1.0 / m)
            total = total + power
        return total * e0

    def scale_all(self, s: Any) -> Any:
        """Every coefficient divided by the array ``s`` (the rescaling of a recurrence)."""
        return Series({k: v / s for k, v in self.c.items()}, self.ka, self.kb)

    def derivative(self, i: Any, j: Any = 0) -> Any:
        return self.c[i, j] * float(math.factorial(i) * math.factorial(j))

    def derivatives(self) -> Any:
        """``[f, f', ..., f^(ka)]`` of a one-variable series."""
        return [self.derivative(i) for i in range(self.ka + 1)]


def _is_zero(v: Any) -> Any:
    return isinstance(v, float) and v == 0.0
