"""Records for cov, corrcoef, nanvar and nanstd (NaN entries in the inputs of the nan*
records: their derivative must be zero, the others' right)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec

COUNTS = np.array([1, 2, 1, 3, 1])


def _with_nans(rng):
    a = rng.uniform(-2, 2, (3, 4))
    a[0, 1] = a[2, 3] = np.nan
    return (a,)


def _with_weights(rng):
    return rng.uniform(-2, 2, (2, 5)), rng.uniform(0.5, 2.0, 5)


RECORDS = [
    Rec("numpy.cov", fnp.cov, [(2, 5)]),
    Rec("numpy.cov", lambda x, y: fnp.cov(x, y, rowvar=False), [(5, 2), (5,)], variant="y-columns"),
    Rec("numpy.cov", lambda x: fnp.cov(x, bias=True), [(3, 4)], variant="bias"),
    Rec(
        "numpy.cov",
        lambda x, w: fnp.cov(x, fweights=COUNTS, aweights=w),
        make_args=_with_weights,
        variant="weights",
    ),
    Rec("numpy.corrcoef", fnp.corrcoef, [(3, 5)]),
    Rec("numpy.corrcoef", lambda x, y: fnp.corrcoef(x, y), [(5,), (5,)], variant="y"),
    Rec("numpy.nanvar", fnp.nanvar, make_args=_with_nans),
    Rec(
        "numpy.nanvar",
        lambda a: fnp.nanvar(a, axis=1, ddof=1, keepdims=True),
        make_args=_with_nans,
        variant="axis",
    ),
    Rec("numpy.nanstd", lambda a: fnp.nanstd(a, axis=0), make_args=_with_nans),
]
