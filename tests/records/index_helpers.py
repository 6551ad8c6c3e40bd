"""Records for the index and grid helpers (used to index or scale a traced input) and
geomspace (traced ends)."""

import fad.numpy as fnp
from tests.records import Rec

RECORDS = [
    Rec("numpy.tri", lambda x: fnp.tri(3, 4, k=-1) * x, [(3, 4)]),
    Rec("numpy.tril_indices", lambda x: x[fnp.tril_indices(3, 1)], [(3, 3)]),
    Rec("numpy.triu_indices", lambda x: x[fnp.triu_indices(3, m=4)], [(3, 4)]),
    Rec("numpy.tril_indices_from", lambda x: x[fnp.tril_indices_from(x, -1)], [(3, 3)]),
    Rec("numpy.triu_indices_from", lambda x: x[fnp.triu_indices_from(x)], [(2, 3)]),
    Rec("numpy.diag_indices", lambda x: x[fnp.diag_indices(2, 3)], [(2, 2, 2)]),
    Rec("numpy.diag_indices_from", lambda x: x[fnp.diag_indices_from(x)], [(3, 3)]),
    Rec("numpy.indices", lambda x: fnp.indices((2, 3))[1] * x, [(2, 3)]),
    Rec("numpy.geomspace", lambda a, b: fnp.geomspace(a, b, 4), [(), ()], domain=(0.5, 3.0)),
    Rec(
        "numpy.geomspace",
        lambda a, b: fnp.geomspace(-a, -b, 3, endpoint=False),
        [(2,), (2,)],
        domain=(0.5, 3.0),
        variant="negative",
    ),
]
