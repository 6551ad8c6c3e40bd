"""Records for the first primitive set (issue #2)."""

import fad.numpy as fnp
from tests.records import Rec

pos = (0.3, 2.0)

RECORDS = [
    Rec("numpy.add", fnp.add, [(3,), (2, 3)]),
    Rec("numpy.sin", fnp.sin),
]
