"""Records for nanprod, nancumsum, nancumprod, nanargmax and nanargmin, on inputs with NaNs
(whose derivative must be zero)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec


def _with_nans(rng):
    a = rng.uniform(0.5, 2.0, (3, 4)) * rng.choice([-1.0, 1.0], (3, 4))
    a[0, 1] = a[2, 3] = np.nan
    return (a,)


RECORDS = [
    Rec("numpy.nanprod", fnp.nanprod, make_args=_with_nans),
    Rec(
        "numpy.nanprod", lambda a: fnp.nanprod(a, axis=1, keepdims=True), make_args=_with_nans, variant="axis"
    ),
    Rec("numpy.nancumsum", lambda a: fnp.nancumsum(a, axis=0), make_args=_with_nans),
    Rec("numpy.nancumprod", lambda a: fnp.nancumprod(a, axis=1), make_args=_with_nans),
    Rec(
        "numpy.nanargmax", lambda a: fnp.nanargmax(a, axis=1) * fnp.nansum(a), make_args=_with_nans, orders=1
    ),
    Rec("numpy.nanargmin", lambda a: fnp.nanargmin(a) * fnp.nansum(a), make_args=_with_nans, orders=1),
]
