"""Records for copy, append, the h/v/d splits, rollaxis, matrix_transpose and the NumPy 2
vector products vecdot, matvec and vecmat."""

import warnings

import fad.numpy as fnp
from tests.records import Rec


def _cross_2d_and_3d(a, b):
    with warnings.catch_warnings():  # NumPy 2 deprecates 2-vectors (and says so)
        warnings.simplefilter("ignore", DeprecationWarning)
        return fnp.cross(a, b)


RECORDS = [
    Rec("numpy.copy", fnp.copy, [(2, 3)]),
    Rec("numpy.append", fnp.append, [(2, 3), (2,)]),
    Rec("numpy.append", lambda x, y: fnp.append(x, y, axis=1), [(2, 3), (2, 1)], variant="axis"),
    Rec("numpy.hsplit", lambda x: fnp.hsplit(x, 2), [(2, 4)]),
    Rec("numpy.hsplit", lambda x: fnp.hsplit(x, [1, 2]), [(3,)], variant="1d"),
    Rec("numpy.vsplit", lambda x: fnp.vsplit(x, [1]), [(3, 2)]),
    Rec("numpy.dsplit", lambda x: fnp.dsplit(x, 2), [(1, 2, 4)]),
    Rec("numpy.rollaxis", lambda x: fnp.rollaxis(x, 2), [(2, 3, 4)]),
    Rec("numpy.rollaxis", lambda x: fnp.rollaxis(x, 0, 3), [(2, 3, 4)], variant="start"),
    Rec("numpy.matrix_transpose", fnp.matrix_transpose, [(2, 3, 4)]),
    Rec("numpy.vecdot", fnp.vecdot, [(2, 3), (3,)]),
    Rec("numpy.vecdot", lambda x, y: fnp.vecdot(x, y, axis=0), [(3, 2), (3, 1)], variant="axis"),
    Rec("numpy.matvec", fnp.matvec, [(2, 3, 4), (4,)]),
    Rec("numpy.vecmat", fnp.vecmat, [(3,), (2, 3, 4)]),
    Rec("numpy.insert", lambda x, v: fnp.insert(x, [1, 3, 1], v), [(4,), (3,)]),
    Rec("numpy.insert", lambda x, v: fnp.insert(x, 2, v, axis=1), [(2, 3), (2,)], variant="scalar-axis"),
    Rec(
        "numpy.insert", lambda x: fnp.insert(x, slice(0, 2), 0.5, axis=0), [(3, 2)], variant="slice-constant"
    ),
    Rec("numpy.delete", lambda x: fnp.delete(x, [0, -1]), [(2, 3)]),
    Rec("numpy.delete", lambda x: fnp.delete(x, 1, axis=1), [(2, 3)], variant="axis"),
    Rec("numpy.delete", lambda x: fnp.delete(x, [True, False, True], axis=0), [(3, 2)], variant="mask"),
    Rec("numpy.unstack", fnp.unstack, [(2, 3)]),
    Rec("numpy.unstack", lambda x: fnp.unstack(x, axis=-1), [(2, 3)], variant="axis"),
    Rec("numpy.vander", fnp.vander, [(3,)]),
    Rec("numpy.vander", lambda x: fnp.vander(x, 4, increasing=True), [(2,)], variant="increasing"),
    Rec("numpy.block", lambda a, b, c: fnp.block([[a, b], [c, 1.5]]), [(2, 2), (2, 1), (1, 2)]),
    Rec("numpy.block", lambda a, b: fnp.block([a, b, 2.0]), [(3,), (2,)], variant="1d"),
    Rec("numpy.cross", fnp.cross, [(4, 3), (3,)]),
    Rec("numpy.cross", lambda a, b: fnp.cross(a, b, axisb=0, axisc=0), [(2, 3), (3, 2)], variant="axes"),
    Rec("numpy.cross", _cross_2d_and_3d, [(4, 2), (3,)], variant="2d-3d"),
]
