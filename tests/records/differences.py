"""Records for differences and running sums: diff, ediff1d, trapezoid, cumulative_sum and
cumulative_prod."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec

X_SAMPLES = np.array([0.0, 0.5, 1.75, 2.0])  # uneven sample points for trapezoid


def _increasing_2d(rng):
    """y and per-row increasing sample points along axis 0."""
    return rng.uniform(-2, 2, (4, 3)), np.cumsum(rng.uniform(0.2, 1.0, (4, 3)), axis=0)


RECORDS = [
    Rec("numpy.diff", fnp.diff, [(5,)]),
    Rec("numpy.diff", lambda x: fnp.diff(x, n=2, axis=0), [(4, 3)], variant="n2-axis0"),
    Rec("numpy.diff", lambda x: fnp.diff(x, n=0), [(3,)], variant="n0"),
    Rec("numpy.diff", lambda x, p: fnp.diff(x, prepend=p, append=2.5), [(2, 3), (2, 1)], variant="edges"),
    Rec("numpy.ediff1d", fnp.ediff1d, [(2, 3)]),
    Rec(
        "numpy.ediff1d",
        lambda x, b: fnp.ediff1d(x, to_end=[1.0, 2.0], to_begin=b),
        [(4,), ()],
        variant="ends",
    ),
    Rec("numpy.trapezoid", fnp.trapezoid, [(5,)]),
    Rec("numpy.trapezoid", lambda y: fnp.trapezoid(y, dx=0.3, axis=0), [(4, 2)], variant="dx-axis0"),
    Rec("numpy.trapezoid", lambda y: fnp.trapezoid(y, x=X_SAMPLES), [(2, 4)], variant="x-1d"),
    Rec(
        "numpy.trapezoid",
        lambda y, x: fnp.trapezoid(y, x=x, axis=0),
        make_args=_increasing_2d,
        variant="x-nd",
    ),
    Rec("numpy.cumulative_sum", fnp.cumulative_sum, [(4,)]),
    Rec(
        "numpy.cumulative_sum",
        lambda x: fnp.cumulative_sum(x, axis=0, include_initial=True),
        [(3, 2)],
        variant="initial",
    ),
    Rec("numpy.cumulative_prod", lambda x: fnp.cumulative_prod(x, axis=1), [(2, 3)]),
    Rec(
        "numpy.cumulative_prod",
        lambda x: fnp.cumulative_prod(x, include_initial=True),
        [(4,)],
        variant="initial",
    ),
]
