"""Records for the closeness, equality and signed-infinity predicates (boolean results, no
derivative: driven through vmap, and through jvp/vjp for the zero derivative)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec


def _near(rng):
    """Pairs where some elements are within the tolerance and some are not."""
    a = rng.uniform(-2, 2, (2, 3))
    return a, a + rng.choice([0.0, 1e-9, 1e-3], size=(2, 3))


def _specials(rng):
    return (rng.choice([-np.inf, -1.0, 0.0, 2.5, np.inf, np.nan], size=(2, 3)),)


RECORDS = [
    Rec("numpy.isclose", fnp.isclose, make_args=_near, orders=0),
    Rec(
        "numpy.isclose",
        lambda a, b: fnp.isclose(a, b, rtol=0.0, atol=1e-6),
        make_args=_near,
        orders=0,
        variant="atol",
    ),
    Rec(
        "numpy.isclose",
        lambda a: fnp.isclose(a, a, equal_nan=True),
        make_args=_specials,
        orders=0,
        variant="nan",
    ),
    Rec("numpy.allclose", fnp.allclose, make_args=_near, orders=0),
    Rec(
        "numpy.allclose",
        lambda a, b: fnp.allclose(a, b, atol=1e-2),
        make_args=_near,
        orders=0,
        variant="atol",
    ),
    Rec("numpy.array_equal", lambda a, b: fnp.array_equal(a, a + 0.0 * b), [(2, 3), (2, 3)], orders=0),
    Rec("numpy.array_equal", fnp.array_equal, [(2, 3), (2, 3)], orders=0, variant="differ"),
    Rec(
        "numpy.array_equal",
        lambda a: fnp.array_equal(a, a, equal_nan=True),
        make_args=_specials,
        orders=0,
        variant="nan",
    ),
    Rec(
        "numpy.array_equiv",
        lambda a, b: fnp.array_equiv(a[0], fnp.stack([a[0], a[0]]) + 0.0 * b),
        [(2, 3), (2, 3)],
        orders=0,
    ),
    Rec("numpy.isposinf", fnp.isposinf, make_args=_specials, orders=0),
    Rec("numpy.isneginf", fnp.isneginf, make_args=_specials, orders=0),
]
