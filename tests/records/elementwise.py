"""Records for the elementwise surface of fad.numpy (issue #3, item 1)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec

unit = (-0.9, 0.9)
pos = (0.3, 2.0)
big = (1.1, 3.0)


def _away_from_ties(rng):
    """Two arrays with no ties and no near-ties (so finite differences see one branch)."""
    x = rng.uniform(-2, 2, (3,))
    return x, x + rng.choice([-1.0, 1.0], 3) * rng.uniform(0.3, 1.0, 3)


def _mod_args(rng):
    """x / y kept away from integers, so the quotient is locally constant."""
    y = rng.uniform(0.6, 1.5, (3,)) * rng.choice([-1.0, 1.0], 3)
    q = rng.integers(-3, 4, (3,)) + rng.uniform(0.2, 0.8, (3,))
    return q * y, y


def _nonzero_away(rng, shape=(3,)):
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


RECORDS = [
    Rec("numpy.arcsin", fnp.arcsin, domain=unit),
    Rec("numpy.arccos", fnp.arccos, domain=unit),
    Rec("numpy.arctan", fnp.arctan),
    Rec("numpy.sinh", fnp.sinh),
    Rec("numpy.cosh", fnp.cosh),
    Rec("numpy.arcsinh", fnp.arcsinh),
    Rec("numpy.arccosh", fnp.arccosh, domain=big),
    Rec("numpy.arctanh", fnp.arctanh, domain=unit),
    Rec("numpy.exp2", fnp.exp2),
    Rec("numpy.expm1", fnp.expm1),
    Rec("numpy.log2", fnp.log2, domain=pos),
    Rec("numpy.log10", fnp.log10, domain=pos),
    Rec("numpy.log1p", fnp.log1p, domain=(-0.5, 2.0)),
    Rec("numpy.logaddexp", fnp.logaddexp, [(3,), (2, 3)]),
    Rec("numpy.logaddexp2", fnp.logaddexp2, [(2, 3), (3,)]),
    Rec("numpy.cbrt", fnp.cbrt, make_args=lambda rng: (_nonzero_away(rng),)),
    Rec("numpy.reciprocal", fnp.reciprocal, make_args=lambda rng: (_nonzero_away(rng),)),
    Rec("numpy.float_power", fnp.float_power, [(3,), (2, 3)], domain=pos),
    Rec("numpy.hypot", fnp.hypot, [(3,), (2, 3)]),
    Rec("numpy.arctan2", fnp.arctan2, make_args=lambda rng: (_nonzero_away(rng), _nonzero_away(rng, (2, 3)))),
    Rec("numpy.sinc", fnp.sinc, domain=(-3.0, 3.0)),
    Rec("numpy.sinc", lambda x: fnp.sinc(x * 1e-4), variant="near0", orders=3, atol=1e-4),
    Rec("numpy.deg2rad", fnp.deg2rad),
    Rec("numpy.rad2deg", fnp.rad2deg),
    Rec("numpy.degrees", fnp.degrees),
    Rec("numpy.radians", fnp.radians),
    Rec("numpy.fabs", fnp.fabs, make_args=lambda rng: (_nonzero_away(rng),)),
    Rec("numpy.fmax", fnp.fmax, make_args=_away_from_ties),
    Rec("numpy.fmin", fnp.fmin, make_args=_away_from_ties),
    Rec(
        "numpy.clip",
        lambda x, lo, hi: fnp.clip(x, lo, hi),
        make_args=lambda rng: (
            rng.choice([-1.7, -0.5, 0.3, 1.9], (2, 3)) + rng.uniform(-0.05, 0.05, (2, 3)),
            np.array(-1.0) + rng.uniform(-0.1, 0.1, ()),
            np.array(1.0),
        ),
    ),
    Rec(
        "numpy.clip",
        lambda x: fnp.clip(x, max=0.5),
        variant="max_only",
        make_args=lambda rng: (rng.choice([-1.0, 1.5], 3) + rng.uniform(-0.2, 0.2, 3),),
    ),
    Rec("numpy.mod", fnp.mod, make_args=_mod_args),
    Rec("numpy.remainder", fnp.remainder, make_args=_mod_args),
    Rec("numpy.fmod", fnp.fmod, make_args=_mod_args),
    Rec("numpy.floor_divide", fnp.floor_divide, make_args=_mod_args, orders=0),
    Rec("numpy.floor", fnp.floor, orders=0),
    Rec("numpy.ceil", fnp.ceil, orders=0),
    Rec("numpy.round", lambda x: fnp.round(x, 1), orders=0),
    Rec("numpy.around", fnp.around, orders=0),
    Rec("numpy.trunc", fnp.trunc, orders=0),
    Rec("numpy.rint", fnp.rint, orders=0),
    Rec("numpy.fix", fnp.fix, orders=0),
    Rec("numpy.floor", lambda x: fnp.floor(x) * x, variant="zero_partial"),
    Rec("numpy.isfinite", fnp.isfinite, orders=0),
    Rec("numpy.isnan", fnp.isnan, orders=0),
    Rec("numpy.isinf", fnp.isinf, orders=0),
    Rec("numpy.signbit", fnp.signbit, orders=0),
    Rec("numpy.logical_and", lambda x, y: fnp.logical_and(x > 0, y > 0), [(3,), (2, 3)], orders=0),
    Rec("numpy.logical_or", lambda x, y: fnp.logical_or(x > 0, y), [(3,), (2, 3)], orders=0),
    Rec("numpy.logical_xor", lambda x, y: fnp.logical_xor(x > 0, y > 0), [(3,), (3,)], orders=0),
    Rec("numpy.logical_not", lambda x: fnp.logical_not(x > 0), orders=0),
    Rec("numpy.nan_to_num", lambda x: fnp.nan_to_num(fnp.where(x > 1.5, fnp.inf, x))),
    # x1 fixed (with a 0, where the derivative in x2 lives): a step cannot be finite-differenced
    Rec("numpy.heaviside", lambda x2: fnp.heaviside(np.array([-1.0, 0.0, 2.0]), x2), domain=(0.0, 1.0)),
    Rec("numpy.heaviside", fnp.heaviside, [(3,), (2, 3)], variant="both", orders=0),
    Rec(
        "numpy.copysign", fnp.copysign, make_args=lambda rng: (_nonzero_away(rng), _nonzero_away(rng, (2, 3)))
    ),
    Rec("numpy.conj", fnp.conj),
    Rec("numpy.conjugate", fnp.conjugate),
    Rec("numpy.real", fnp.real),
    Rec("numpy.imag", lambda x: fnp.imag(x) + x, variant="plus_x"),
    Rec("numpy.imag", fnp.imag, orders=0),
    Rec("numpy.positive", fnp.positive),
    Rec("numpy.square", fnp.square),
]
