"""Records for the polynomial helpers (coefficients highest power first)."""

import fad.numpy as fnp
from tests.records import Rec

RECORDS = [
    Rec("numpy.polyval", fnp.polyval, [(4,), (2, 3)]),
    Rec("numpy.polyadd", fnp.polyadd, [(2,), (4,)]),
    Rec("numpy.polysub", fnp.polysub, [(4,), (2,)]),
    Rec("numpy.polyder", fnp.polyder, [(5,)]),
    Rec("numpy.polyder", lambda p: fnp.polyder(p, 3), [(5,)], variant="m3"),
    Rec("numpy.polyint", fnp.polyint, [(3,)]),
    Rec("numpy.polyint", lambda p, k: fnp.polyint(p, 2, k), [(3,), (2,)], variant="m2-k"),
]
