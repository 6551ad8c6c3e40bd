"""Records for ``fad.scipy.integrate``: the quadrature rules in ``y`` and the sample points
``x`` (sorted), along either axis; ``odeint`` and ``solve_ivp`` in the initial state and a
parameter of the right-hand side."""

from __future__ import annotations

import numpy as np

import fad.numpy as fnp
from fad.scipy import integrate
from tests.records import Rec


def _y_and_x(rng):
    x = np.cumsum(rng.uniform(0.2, 1.0, 6))
    return rng.uniform(-2, 2, (2, 6)), x


def _y_and_x_axis0(rng):
    x = np.cumsum(rng.uniform(0.2, 1.0, 5))
    return rng.uniform(-2, 2, (5, 3)), x


def _decay(y, t, k):
    return -k * y + fnp.sin(t)


def _decay_ivp(t, y, k):
    return -k * y + fnp.sin(t)


T = np.linspace(0.0, 1.5, 5)

RECORDS = [
    Rec("scipy.integrate.trapezoid", lambda y: integrate.trapezoid(y, dx=0.3), shapes=[(2, 6)], variant="dx"),
    Rec("scipy.integrate.trapezoid", lambda y, x: integrate.trapezoid(y, x), make_args=_y_and_x, variant="x"),
    Rec(
        "scipy.integrate.trapezoid",
        lambda y, x: integrate.trapezoid(y, x, axis=0),
        make_args=_y_and_x_axis0,
        variant="x,axis=0",
    ),
    Rec(
        "scipy.integrate.cumulative_trapezoid",
        lambda y, x: integrate.cumulative_trapezoid(y, x),
        make_args=_y_and_x,
    ),
    Rec(
        "scipy.integrate.cumulative_trapezoid",
        lambda y: integrate.cumulative_trapezoid(y, dx=0.5, initial=0),
        shapes=[(2, 6)],
        variant="initial=0",
    ),
    Rec("scipy.integrate.simpson", lambda y, x: integrate.simpson(y, x=x), make_args=_y_and_x, variant="x"),
    Rec(
        "scipy.integrate.simpson", lambda y: integrate.simpson(y, dx=0.25), shapes=[(2, 7)], variant="odd,dx"
    ),
    Rec(
        "scipy.integrate.odeint",
        lambda y0, k: integrate.odeint(_decay, y0, T, k, rtol=1e-12, atol=1e-12),  # adjoint == forward
        make_args=lambda rng: (rng.uniform(-1, 1, 2), rng.uniform(0.5, 1.5, 2)),
        atol=1e-4,
        rtol=1e-4,
    ),
    Rec(
        "scipy.integrate.solve_ivp",
        lambda y0, k: (
            integrate.solve_ivp(_decay_ivp, (0.0, 1.5), y0, t_eval=T, args=(k,), rtol=1e-10, atol=1e-10).y
        ),
        make_args=lambda rng: (rng.uniform(-1, 1, 2), rng.uniform(0.5, 1.5, 2)),
        atol=1e-4,
        rtol=1e-4,
    ),
]
