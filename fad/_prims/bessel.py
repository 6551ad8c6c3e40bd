"""Bessel functions from SciPy's ufuncs: the modified ``i0``, ``i1``, ``iv`` and their
exponentially scaled ``i0e``, ``i1e``, ``ive``; the first kind ``j0``, ``j1``, ``jv``
(``jn``); the second kind ``y0``, ``y1``, ``yn``.

Derivatives in the argument are closed forms by the recurrences ``I_v' = (I_(v-1) +
I_(v+1)) / 2``, ``J_v' = (J_(v-1) - J_(v+1)) / 2``, ``Y_n' = (Y_(n-1) - Y_(n+1)) / 2`` (for
the scaled ``ive = iv e^-|z|``, minus ``sign(z) ive``). The order is not differentiated: a
derivative with respect to it raises an error that says so.
"""

from __future__ import annotations

from typing import Any

from fad._core import Primitive, bind
from fad._prims.comparisons import sign
from fad._prims.scipy_special import kernel, no_derivative
from fad._rules import elementwise


def iv(v: Any, z: Any) -> Any:
    return bind(iv_p, v, z)


def ive(v: Any, z: Any) -> Any:
    return bind(ive_p, v, z)


def jv(v: Any, z: Any) -> Any:
    return bind(jv_p, v, z)


def yn(n: Any, x: Any) -> Any:
    return bind(yn_p, n, x)


def _i0(x: Any) -> Any:
    return bind(i0_p, x)


def _i0e(x: Any) -> Any:
    return bind(i0e_p, x)


def _j0(x: Any) -> Any:
    return bind(j0_p, x)


def _y0(x: Any) -> Any:
    return bind(y0_p, x)


# ---------------------------------------------------------------- modified, first kind
i0_p = elementwise(Primitive("i0", kernel("i0")), lambda ans, x: bind(i1_p, x), keeps=("x",))
i1_p: Primitive = elementwise(
    Primitive("i1", kernel("i1")), lambda ans, x: 0.5 * (_i0(x) + iv(2.0, x)), keeps=("x",)
)
i0e_p = elementwise(
    Primitive("i0e", kernel("i0e")), lambda ans, x: bind(i1e_p, x) - sign(x) * _i0e(x), keeps=("x",)
)
i1e_p: Primitive = elementwise(
    Primitive("i1e", kernel("i1e")),
    lambda ans, x: 0.5 * (_i0e(x) + ive(2.0, x)) - sign(x) * bind(i1e_p, x),
    keeps=("x",),
)
iv_p = elementwise(
    Primitive("iv", kernel("iv")),
    no_derivative("iv", "order v"),
    lambda ans, v, z: 0.5 * (iv(v - 1.0, z) + iv(v + 1.0, z)),
    keeps=("", "x y"),
)
ive_p = elementwise(
    Primitive("ive", kernel("ive")),
    no_derivative("ive", "order v"),
    lambda ans, v, z: 0.5 * (ive(v - 1.0, z) + ive(v + 1.0, z)) - sign(z) * ans,
    keeps=("", "ans x y"),
)

# ------------------------------------------------------------------------- first kind
j0_p = elementwise(Primitive("j0", kernel("j0")), lambda ans, x: -bind(j1_p, x), keeps=("x",))
j1_p: Primitive = elementwise(
    Primitive("j1", kernel("j1")), lambda ans, x: 0.5 * (_j0(x) - jv(2.0, x)), keeps=("x",)
)
jv_p = elementwise(
    Primitive("jv", kernel("jv")),
    no_derivative("jv (and jn)", "order v"),
    lambda ans, v, z: 0.5 * (jv(v - 1.0, z) - jv(v + 1.0, z)),
    keeps=("", "x y"),
)

# ------------------------------------------------------------------------ second kind
y0_p = elementwise(Primitive("y0", kernel("y0")), lambda ans, x: -bind(y1_p, x), keeps=("x",))
y1_p: Primitive = elementwise(
    Primitive("y1", kernel("y1")), lambda ans, x: 0.5 * (_y0(x) - yn(2.0, x)), keeps=("x",)
)
yn_p = elementwise(
    Primitive("yn", kernel("yn")),
    no_derivative("yn", "integer order n"),
    lambda ans, n, x: 0.5 * (yn(n - 1.0, x) - yn(n + 1.0, x)),
    keeps=("", "x y"),
)
