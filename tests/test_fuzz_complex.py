"""Differential testing of complex programs: hypothesis builds random compositions of
complex-capable fad functions (holomorphic ones, and abs, real, imag, conj, angle ...)
over complex and real arguments, and checks, for each program:

* ``jvp`` against ``vjp`` through the adjoint identity with JAX's pairing,
  ``Re(sum(ct * J t)) == Re(sum(J^T ct * t))`` (exact: no finite differences, so a branch
  cut crossed by the random values does not matter);
* ``jacfwd == jacrev`` in real coordinates (each complex argument and output split into
  its real and imaginary parts);
* for a holomorphic program, ``jacfwd == jacrev`` with ``holomorphic=True``, and the
  complex derivative against the real-coordinates Jacobian (Cauchy-Riemann:
  ``d Re f / dx = Re f'``, ``d Im f / dx = Im f'``, ``d Re f / dy = -Im f'``).

Bounded by ``FAD_FUZZ_EXAMPLES`` (default 30) as tests/test_fuzz.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as hs

import fad
import fad.numpy as fnp
from fad.test_util import check_vjp
from tests.test_fuzz import FUZZ

# name -> function of one value; each holomorphic one (mapped near its domain first)
HOLOMORPHIC = {
    "sin": fnp.sin,
    "cos": fnp.cos,
    "tan": lambda v: fnp.tan(0.5 * v),
    "tanh": lambda v: fnp.tanh(0.5 * v),
    "sinh": fnp.sinh,
    "exp": lambda v: fnp.exp(0.5 * v),
    "expm1": lambda v: fnp.expm1(0.5 * v),
    "log": lambda v: fnp.log(1.5 + v),
    "log1p": lambda v: fnp.log1p(0.5 * v),
    "log10": lambda v: fnp.log10(2.0 + v),
    "sqrt": lambda v: fnp.sqrt(1.5 + v),
    "square": fnp.square,
    "reciprocal": lambda v: fnp.reciprocal(2.0 + v),
    "arcsin": lambda v: fnp.arcsin(0.5 * v),
    "arctan": lambda v: fnp.arctan(0.5 * v),
    "arcsinh": fnp.arcsinh,
    "arctanh": lambda v: fnp.arctanh(0.5 * v),
    "power": lambda v: (1.5 + v) ** 1.5,
    "scale": lambda v: v * (0.5 - 1j),
    "cumsum": fnp.cumsum,
    "cumprod": lambda v: fnp.cumprod(0.5 * v),
    "flip": lambda v: v[..., ::-1],
    "roll": lambda v: fnp.roll(v, 1, axis=-1),
    "sort": fnp.sort_complex,
    "mean": lambda v: v - fnp.mean(v, axis=-1, keepdims=True),
    "sum_outer": lambda v: fnp.outer(v, v).sum(axis=0),
    "matmul": lambda v: v @ np.array([[1.0, 0.5j, 0.0], [-1j, 1.0, 2.0], [0.3, 0.0, 1.0 + 1j]]),
}
NON_HOLOMORPHIC = {
    "abs": fnp.abs,
    "real": fnp.real,
    "imag": fnp.imag,
    "conj": fnp.conj,
    "angle": fnp.angle,
    "abs2": lambda v: v * fnp.conj(v),
    "var": lambda v: fnp.var(v, axis=-1, keepdims=True) + v,
    "vdot": lambda v: fnp.vdot(v, v) * v,
}
BINARY = {
    "add": fnp.add,
    "subtract": fnp.subtract,
    "multiply": fnp.multiply,
    "divide": lambda a, b: a / (2.0 + b),
    "where": lambda a, b: fnp.where(fnp.real(a) > 0, a, b),
}


@hs.composite
def programs(draw):
    holomorphic = draw(hs.booleans())
    unary = dict(HOLOMORPHIC) if holomorphic else {**HOLOMORPHIC, **NON_HOLOMORPHIC}
    second_real = draw(hs.booleans())  # the second argument: real (promoted) or complex
    steps = draw(
        hs.lists(
            hs.one_of(
                hs.tuples(hs.just("u"), hs.sampled_from(sorted(unary))),
                hs.tuples(hs.just("b"), hs.sampled_from(sorted(BINARY))),
            ),
            min_size=1,
            max_size=5,
        )
    )
    rng = np.random.default_rng(draw(hs.integers(0, 2**32 - 1)))
    z = rng.uniform(-1, 1, 3) + 1j * rng.uniform(-1, 1, 3)
    w = rng.uniform(-1, 1, 3) + (0 if second_real else 1j * rng.uniform(-1, 1, 3))
    return holomorphic and not second_real, steps, (z, w)


def run(steps, z, w):
    v = z
    for kind, name in steps:
        v = {**HOLOMORPHIC, **NON_HOLOMORPHIC}[name](v) if kind == "u" else BINARY[name](v, w)
    return v


def _kind(x):
    return x.dtype.kind if hasattr(x, "dtype") else np.result_type(x).kind


def _real_coordinates(steps, args):
    cplx = [i for i, a in enumerate(args) if np.iscomplexobj(a)]

    def f(*parts):
        full = list(parts[: len(args)])
        for k, i in enumerate(cplx):
            full[i] = full[i] + 1j * parts[len(args) + k]
        out = run(steps, *full)
        return fnp.stack([fnp.real(out), fnp.imag(out)]) if _kind(out) == "c" else out

    return f, tuple(np.real(a) for a in args) + tuple(np.imag(args[i]) for i in cplx)


@FUZZ
@given(programs())
def test_random_complex_program(prog):
    holomorphic, steps, args = prog
    with np.errstate(all="ignore"):
        out = run(steps, *args)
    assume(np.all(np.isfinite(out)) and np.max(np.abs(out)) < 1e6)
    listing = " -> ".join(n for _, n in steps)

    # the adjoint identity, with the real pairing
    check_vjp(lambda z, w: run(steps, z, w), args, atol=1e-9, rtol=1e-9)

    # jacfwd == jacrev in real coordinates
    f, real_args = _real_coordinates(steps, args)
    nums = tuple(range(len(real_args)))
    jf = fad.jacfwd(f, argnums=nums)(*real_args)
    jr = fad.jacrev(f, argnums=nums)(*real_args)
    for a, b in zip(jf, jr, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, err_msg=listing)

    if holomorphic and _kind(out) == "c":
        z, w = args
        hf = fad.jacfwd(lambda z: run(steps, z, w), holomorphic=True)(z)
        hr = fad.jacrev(lambda z: run(steps, z, w), holomorphic=True)(z)
        np.testing.assert_allclose(hf, hr, rtol=1e-9, atol=1e-9, err_msg=listing)
        # Cauchy-Riemann against the real coordinates: f's output is [Re, Im] stacked
        d_dx, d_dy = jf[0], jf[2]  # with respect to Re z and Im z
        np.testing.assert_allclose(d_dx[0] + 1j * d_dx[1], hf, rtol=1e-9, atol=1e-9, err_msg=listing)
        np.testing.assert_allclose(d_dy[0] + 1j * d_dy[1], 1j * hf, rtol=1e-9, atol=1e-9, err_msg=listing)
