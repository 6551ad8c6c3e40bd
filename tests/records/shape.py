"""Records for shape manipulation, indexing, functional updates and creation (issue #3)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec

I3 = np.array([2, 0, 2])  # repeated index
I2 = np.array([[0, 1], [1, 0]])

RECORDS = [
    # -- reshaping ------------------------------------------------------------------
    Rec("numpy.reshape", lambda x: fnp.reshape(x, (3, -1)), [(2, 3)]),
    Rec("numpy.ravel", fnp.ravel, [(2, 3)]),
    Rec("numpy.transpose", fnp.transpose, [(2, 3, 4)]),
    Rec("numpy.transpose", lambda x: fnp.transpose(x, (1, 2, 0)), [(2, 3, 4)], variant="axes"),
    Rec("numpy.moveaxis", lambda x: fnp.moveaxis(x, 0, -1), [(2, 3, 4)]),
    Rec("numpy.swapaxes", lambda x: fnp.swapaxes(x, 0, 2), [(2, 3, 4)]),
    Rec("numpy.expand_dims", lambda x: fnp.expand_dims(x, (0, 2)), [(2, 3)]),
    Rec("numpy.squeeze", fnp.squeeze, [(2, 1, 3)]),
    Rec("numpy.squeeze", lambda x: fnp.squeeze(x, -1), [(2, 3, 1)], variant="axis"),
    Rec("numpy.atleast_1d", fnp.atleast_1d, [()]),
    Rec("numpy.atleast_2d", fnp.atleast_2d, [(3,)]),
    Rec("numpy.atleast_3d", lambda x, y: fnp.atleast_3d(x, y), [(3,), (2, 3)]),
    Rec("numpy.broadcast_to", lambda x: fnp.broadcast_to(x, (2, 3, 3)), [(3, 1)]),
    Rec("numpy.broadcast_arrays", fnp.broadcast_arrays, [(3, 1), (2,)]),
    Rec("numpy.meshgrid", fnp.meshgrid, [(2,), (3,)]),
    Rec(
        "numpy.meshgrid",
        lambda x, y: fnp.meshgrid(x, y, indexing="ij", sparse=True),
        [(2,), (3,)],
        variant="ij-sparse",
    ),
    # -- joining and splitting ------------------------------------------------------
    Rec("numpy.concatenate", lambda x, y: fnp.concatenate([x, y], axis=1), [(2, 3), (2, 1)]),
    Rec("numpy.concatenate", lambda x, y: fnp.concatenate([x, y], axis=None), [(2, 2), (3,)], variant="flat"),
    Rec("numpy.stack", lambda x, y: fnp.stack([x, y], axis=-1), [(2, 3), (2, 3)]),
    Rec("numpy.hstack", lambda x, y: fnp.hstack([x, y]), [(2, 3), (2, 1)]),
    Rec("numpy.vstack", lambda x, y: fnp.vstack([x, y]), [(3,), (2, 3)]),
    Rec("numpy.row_stack", lambda x, y: fnp.row_stack([x, y]), [(3,), (3,)]),
    Rec("numpy.dstack", lambda x, y: fnp.dstack([x, y]), [(2, 3), (2, 3, 2)]),
    Rec("numpy.column_stack", lambda x, y: fnp.column_stack([x, y]), [(3,), (3, 2)]),
    Rec("numpy.split", lambda x: fnp.split(x, 2, axis=1), [(2, 4)]),
    Rec("numpy.split", lambda x: fnp.split(x, [1, 3]), [(5,)], variant="indices"),
    Rec("numpy.array_split", lambda x: fnp.array_split(x, 3), [(5, 2)]),
    # -- rearranging ----------------------------------------------------------------
    Rec("numpy.tile", lambda x: fnp.tile(x, (2, 1, 2)), [(2, 3)]),
    Rec("numpy.repeat", lambda x: fnp.repeat(x, [1, 0, 2], axis=1), [(2, 3)]),
    Rec("numpy.repeat", lambda x: fnp.repeat(x, 2), [(2, 2)], variant="flat"),
    Rec("numpy.flip", fnp.flip, [(2, 3)]),
    Rec("numpy.flip", lambda x: fnp.flip(x, 1), [(2, 3)], variant="axis"),
    Rec("numpy.fliplr", fnp.fliplr, [(2, 3)]),
    Rec("numpy.flipud", fnp.flipud, [(2, 3)]),
    Rec("numpy.roll", lambda x: fnp.roll(x, 2), [(2, 3)]),
    Rec("numpy.roll", lambda x: fnp.roll(x, (1, -1), axis=(0, 1)), [(2, 3)], variant="axes"),
    Rec("numpy.roll", lambda x: fnp.roll(x, -1, axis=1), [(2, 3, 2)], variant="one-axis"),
    Rec(
        "numpy.roll", lambda x: fnp.roll(x, (1, 2, -4), axis=(2, 0, 2)), [(2, 3, 4)], variant="repeated-axis"
    ),
    Rec("numpy.roll", lambda x: fnp.roll(x, 2, axis=(0, -1)), [(3, 2, 3)], variant="broadcast-shift"),
    Rec("numpy.roll", lambda x: fnp.roll(x, (2, 3)), [(2, 3)], variant="flat-tuple"),
    Rec("numpy.rot90", fnp.rot90, [(2, 3)]),
    Rec("numpy.rot90", lambda x: fnp.rot90(x, 3, axes=(1, 2)), [(2, 3, 2)], variant="k3"),
    Rec("numpy.pad", lambda x: fnp.pad(x, ((1, 0), (2, 1)), constant_values=1.5), [(2, 3)]),
    Rec("numpy.pad", lambda x, c: fnp.pad(x, 1, constant_values=c), [(2, 3), ()], variant="traced-value"),
    Rec("numpy.pad", lambda x: fnp.pad(x, (2, 3), mode="edge"), [(3,)], variant="edge"),
    Rec("numpy.pad", lambda x: fnp.pad(x, ((4, 2), (1, 1)), mode="reflect"), [(3, 2)], variant="reflect"),
    Rec("numpy.pad", lambda x: fnp.pad(x, 4, mode="symmetric"), [(3,)], variant="symmetric"),
    Rec("numpy.pad", lambda x: fnp.pad(x, 4, mode="wrap"), [(3,)], variant="wrap"),
    # -- diagonals ------------------------------------------------------------------
    Rec("numpy.triu", fnp.triu, [(3, 4)]),
    Rec("numpy.tril", lambda x: fnp.tril(x, -1), [(2, 3, 3)]),
    Rec("numpy.diag", fnp.diag, [(3,)]),
    Rec("numpy.diag", lambda x: fnp.diag(x, -1), [(3, 4)], variant="2d"),
    Rec("numpy.diagonal", lambda x: fnp.diagonal(x, 1, 2, 0), [(3, 2, 4)]),
    Rec("numpy.diagflat", lambda x: fnp.diagflat(x, 1), [(2, 2)]),
    Rec("numpy.diagonal", lambda x: fnp.diagonal(x, -2), [(4, 3)], variant="below"),
    Rec("numpy.diag", lambda x: fnp.diag(x, -2), [(2,)], variant="below"),
    Rec("numpy.trace", fnp.trace, [(3, 3)]),
    Rec("numpy.trace", lambda x: fnp.trace(x, 1, 0, 2), [(3, 2, 4)], variant="offset-axes"),
    # -- indexing -------------------------------------------------------------------
    Rec("numpy.take", lambda x: fnp.take(x, I3, axis=1), [(2, 3)]),
    Rec("numpy.take", lambda x: fnp.take(x, I2), [(2, 3)], variant="flat"),
    Rec("numpy.take", lambda x: fnp.take(x, [4, 2, 0], axis=1), [(2, 5)], variant="strided"),
    Rec("numpy.take_along_axis", lambda x: fnp.take_along_axis(x, np.array([[2, 2], [0, 1]]), 1), [(2, 3)]),
    Rec("numpy.kron", fnp.kron, [(2, 2), (2, 3)]),
    Rec("numpy.at", lambda x, v: fnp.at(x)[I3].set(v), [(4,), (3,)], variant="set"),
    Rec("numpy.at", lambda x, v: fnp.at(x)[I3].add(v), [(4,), (3,)], variant="add"),
    Rec("numpy.at", lambda x, v: fnp.at(x)[:, ::-1].multiply(v), [(2, 3), (3,)], variant="multiply"),
    Rec("numpy.at", lambda x, v: fnp.at(x)[I3].max(v), [(4,), (3,)], variant="max"),
    Rec("numpy.at", lambda x, v: fnp.at(x)[1:, I3].min(v), [(2, 4), ()], variant="min"),
    Rec("numpy.at", lambda x: fnp.at(x)[I2, 1:].get(), [(3, 3)], variant="get"),
    # -- creation -------------------------------------------------------------------
    Rec("numpy.array", lambda x, y: fnp.array([[x, 1.0], [y, x * y]]), [(), ()]),
    Rec("numpy.asarray", lambda x: fnp.asarray([x, 2 * x], dtype=np.float64), [(3,)]),
    Rec("numpy.full", lambda v: fnp.full((2, 3), v), [()]),
    Rec("numpy.full_like", lambda x, v: fnp.full_like(x, v), [(2,), ()]),
    Rec("numpy.linspace", lambda a, b: fnp.linspace(a, b, 5), [(), ()]),
    Rec(
        "numpy.linspace",
        lambda a, b: fnp.linspace(a, b, 4, endpoint=False, axis=1),
        [(2,), (2,)],
        variant="axis",
    ),
    Rec("numpy.logspace", lambda a, b: fnp.logspace(a, b, 4, base=2.0), [(), ()], domain=(-1.0, 1.0)),
]

# constants (no derivative): only batching, through a traced operand
_CONST = [
    ("zeros", lambda x: x + fnp.zeros(3)),
    ("ones", lambda x: x * fnp.ones((2, 3), dtype=np.float32)),
    ("empty", lambda x: x + 0 * fnp.empty(3)),
    ("zeros_like", lambda x: x + fnp.zeros_like(x)),
    ("ones_like", lambda x: x * fnp.ones_like(x)),
    ("empty_like", lambda x: x + 0 * fnp.empty_like(x)),
    ("eye", lambda x: x * fnp.eye(3, 4, 1)),
    ("identity", lambda x: fnp.identity(3) * x),
    ("arange", lambda x: x * fnp.arange(3.0)),
]
RECORDS += [Rec(f"numpy.{name}", f, [(3,)] if name not in ("eye",) else [(4,)]) for name, f in _CONST]
