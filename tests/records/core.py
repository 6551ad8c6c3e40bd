"""Records for the first primitive set (issue #2): elementwise arithmetic and elementary
functions, comparisons and ``where``, reductions, shape functions and products.

Every record's ``name`` is the exported name below fad ("numpy.<name>"); ``variant``
tells several records of one name apart (broadcasting, axis, keepdims, Python scalars).
"""

import numpy as onp

import fad.numpy as fnp
from tests.records import Rec

pos = (0.3, 2.0)  # positive domain: log, sqrt, power's base
away = (0.5, 2.0)  # away from a kink or a pole


def _distinct(*shapes, lo=-2.0, hi=2.0):
    """Arguments with distinct, well-separated values (no ties for max/min/abs at 0)."""

    def make(rng):
        out = []
        for s in shapes:
            n = int(onp.prod(s, dtype=onp.int64))
            v = rng.permutation(n) * 0.37 + rng.uniform(0.01, 0.05, size=n) + 0.1
            v = v - v.mean()
            if not n % 2:
                v = v + 0.05  # keep away from 0
            out.append(onp.clip(v, lo, hi).reshape(s) if n > 1 else v.reshape(s))
        return tuple(out)

    return make


def _signed_away(*shapes):
    """Values in [-2, -0.5] U [0.5, 2] (away from 0, both signs)."""

    def make(rng):
        return tuple(rng.uniform(0.5, 2.0, size=s) * rng.choice([-1.0, 1.0], size=s) for s in shapes)

    return make


# ------------------------------------------------------------------ binary arithmetic

_BINARY = [
    ("add", fnp.add),
    ("subtract", fnp.subtract),
    ("multiply", fnp.multiply),
]

RECORDS = []
for _n, _f in _BINARY:
    RECORDS += [
        Rec(f"numpy.{_n}", _f, [(3,), (3,)]),
        Rec(f"numpy.{_n}", _f, [(3,), (2, 3)], variant="broadcast"),
        Rec(f"numpy.{_n}", _f, [(2, 1), (1, 3)], variant="outer-broadcast"),
        Rec(f"numpy.{_n}", _f, [(), (2, 3)], variant="0d"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, 1.5), [(2, 3)], variant="python-scalar-right"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(-0.5, x), [(2, 3)], variant="python-scalar-left"),
    ]

for _n, _f in [("divide", fnp.divide), ("true_divide", fnp.true_divide)]:
    RECORDS += [
        Rec(f"numpy.{_n}", _f, make_args=lambda rng: (rng.uniform(-2, 2, (3,)), rng.uniform(*away, (3,)))),
        Rec(
            f"numpy.{_n}",
            _f,
            make_args=lambda rng: (rng.uniform(-2, 2, (2, 3)), rng.uniform(*away, (3,))),
            variant="broadcast",
        ),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(2.0, x), [(3,)], domain=away, variant="python-scalar-left"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, 4.0), [(2, 3)], variant="python-scalar-right"),
    ]

RECORDS += [
    Rec("numpy.power", fnp.power, [(3,), (3,)], domain=pos),
    Rec(
        "numpy.power",
        fnp.power,
        make_args=lambda rng: (rng.uniform(*pos, (2, 3)), rng.uniform(-1.5, 1.5, (3,))),
        variant="broadcast",
    ),
    Rec("numpy.power", lambda x: fnp.power(x, 3), [(2, 3)], domain=(-2, 2), variant="int-exponent"),
    Rec("numpy.power", lambda x: fnp.power(x, 2.5), [(3,)], domain=pos, variant="float-exponent"),
    Rec("numpy.power", lambda y: fnp.power(2.0, y), [(3,)], variant="python-base"),
    Rec("numpy.maximum", fnp.maximum, make_args=_distinct((3,), (3,))),
    Rec("numpy.maximum", fnp.maximum, make_args=_distinct((2, 3), (3,)), variant="broadcast"),
    Rec("numpy.maximum", lambda x: fnp.maximum(x, 0.0), make_args=_signed_away((2, 3)), variant="relu"),
    Rec("numpy.minimum", fnp.minimum, make_args=_distinct((3,), (3,))),
    Rec("numpy.minimum", fnp.minimum, make_args=_distinct((2, 1), (1, 3)), variant="broadcast"),
    Rec(
        "numpy.minimum", lambda x: fnp.minimum(1.0, x), make_args=_signed_away((3,)), variant="python-scalar"
    ),
]

# ------------------------------------------------------------------ unary functions

RECORDS += [
    Rec("numpy.negative", fnp.negative, [(2, 3)]),
    Rec("numpy.negative", fnp.negative, [()], variant="0d"),
    Rec("numpy.positive", fnp.positive, [(2, 3)]),
    Rec("numpy.square", fnp.square, [(2, 3)]),
    Rec("numpy.square", fnp.square, [()], variant="0d"),
    Rec("numpy.exp", fnp.exp, [(2, 3)]),
    Rec("numpy.exp", fnp.exp, [()], variant="0d"),
    Rec("numpy.log", fnp.log, [(2, 3)], domain=pos),
    Rec("numpy.sin", fnp.sin),
    Rec("numpy.sin", fnp.sin, [(2, 3)], variant="2d"),
    Rec("numpy.cos", fnp.cos, [(2, 3)]),
    Rec("numpy.tan", fnp.tan, [(2, 3)], domain=(-1.2, 1.2)),
    Rec("numpy.tanh", fnp.tanh, [(2, 3)]),
    Rec("numpy.sqrt", fnp.sqrt, [(2, 3)], domain=pos),
    Rec("numpy.abs", fnp.abs, make_args=_signed_away((2, 3))),
    Rec("numpy.absolute", fnp.absolute, make_args=_signed_away((3,))),
    Rec("numpy.sign", fnp.sign, make_args=_signed_away((2, 3)), orders=0),
]

# ------------------------------------------------- comparisons and where (select)

for _n in ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, [(3,), (3,)], orders=0),
        Rec(f"numpy.{_n}", _f, [(2, 3), (3,)], orders=0, variant="broadcast"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, 0.0), [(3,)], orders=0, variant="python-scalar"),
    ]

RECORDS += [
    Rec("numpy.where", lambda x, y: fnp.where(x > y, x, y), make_args=_distinct((3,), (3,))),
    Rec(
        "numpy.where",
        lambda c, x, y: fnp.where(c > 0, x, y),
        make_args=lambda rng: (
            rng.uniform(-1, 1, (3,)),
            rng.uniform(-2, 2, (2, 3)),
            rng.uniform(-2, 2, (3,)),
        ),
        variant="broadcast",
    ),
    Rec(
        "numpy.where",
        lambda x: fnp.where(x > 0, x, 0.0),
        make_args=_signed_away((2, 3)),
        variant="python-scalar",
    ),
    Rec(
        "numpy.where",
        lambda x: fnp.where(x > 0, fnp.sin(x), x**2),
        make_args=_signed_away((3,)),
        variant="branches",
    ),
]

# ------------------------------------------------------------------------ reductions

for _n in ["sum", "mean"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, [(2, 3)]),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=0), [(2, 3)], variant="axis0"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=-1, keepdims=True), [(2, 3)], variant="axis-1-keepdims"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=(0, 2)), [(2, 3, 2)], variant="axis-tuple"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, keepdims=True), [(2, 3)], variant="keepdims"),
        Rec(f"numpy.{_n}", _f, [()], variant="0d"),
    ]

for _n in ["max", "min", "amax", "amin"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, make_args=_distinct((2, 3))),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=1), make_args=_distinct((2, 3)), variant="axis1"),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=0, keepdims=True),
            make_args=_distinct((3, 2)),
            variant="axis0-keepdims",
        ),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=(0, 2)),
            make_args=_distinct((2, 2, 2)),
            variant="axis-tuple",
        ),
    ]

# ------------------------------------------------------------------ shape functions

RECORDS += [
    Rec("numpy.reshape", lambda x: fnp.reshape(x, (3, 2)), [(2, 3)]),
    Rec("numpy.reshape", lambda x: fnp.reshape(x, (-1,)), [(2, 3)], variant="minus-one"),
    Rec("numpy.reshape", lambda x: fnp.reshape(x, (1, 2, 1, 3)), [(6,)], variant="unit-axes"),
    Rec("numpy.ravel", fnp.ravel, [(2, 3)]),
    Rec("numpy.ravel", lambda x: fnp.ravel(x, order="F"), [(2, 3, 2)], variant="F"),
    Rec("numpy.ravel", lambda x: fnp.ravel(x, order="A"), [(2, 3)], variant="A-traced-is-C"),
    Rec("numpy.reshape", lambda x: fnp.reshape(x, (3, -1), order="F"), [(2, 3, 2)], variant="F"),
    Rec("numpy.reshape", lambda x: x.reshape(4, 3, order="F").flatten("F"), [(2, 6)], variant="F-methods"),
    Rec("numpy.reshape", lambda x: fnp.reshape(x, (6,), order="A"), [(3, 2)], variant="A-traced-is-C"),
    Rec("numpy.transpose", fnp.transpose, [(2, 3)]),
    Rec("numpy.transpose", lambda x: fnp.transpose(x, (1, 2, 0)), [(2, 3, 2)], variant="perm"),
    Rec("numpy.transpose", lambda x: fnp.transpose(x, (-1, 0, 1)), [(2, 3, 2)], variant="negative-perm"),
    Rec("numpy.moveaxis", lambda x: fnp.moveaxis(x, 0, -1), [(2, 3, 2)]),
    Rec("numpy.moveaxis", lambda x: fnp.moveaxis(x, (0, 1), (2, 0)), [(2, 3, 2)], variant="several"),
    Rec("numpy.swapaxes", lambda x: fnp.swapaxes(x, 0, 2), [(2, 3, 2)]),
    Rec("numpy.swapaxes", lambda x: fnp.swapaxes(x, -1, 0), [(2, 3)], variant="negative"),
    Rec("numpy.broadcast_to", lambda x: fnp.broadcast_to(x, (2, 3)), [(3,)]),
    Rec("numpy.broadcast_to", lambda x: fnp.broadcast_to(x, (2, 2, 3)), [(2, 1, 3)], variant="unit-axis"),
    Rec("numpy.broadcast_to", lambda x: fnp.broadcast_to(x, (2, 3)), [()], variant="0d"),
    Rec("numpy.expand_dims", lambda x: fnp.expand_dims(x, 1), [(2, 3)]),
    Rec("numpy.expand_dims", lambda x: fnp.expand_dims(x, (0, -1)), [(3,)], variant="axis-tuple"),
    Rec("numpy.squeeze", fnp.squeeze, [(1, 3, 1)]),
    Rec("numpy.squeeze", lambda x: fnp.squeeze(x, axis=-1), [(2, 1, 3, 1)], variant="axis"),
    Rec("numpy.concatenate", lambda x, y: fnp.concatenate([x, y]), [(2, 3), (1, 3)]),
    Rec(
        "numpy.concatenate", lambda x, y: fnp.concatenate((x, y), axis=-1), [(2, 3), (2, 1)], variant="axis-1"
    ),
    Rec(
        "numpy.concatenate",
        lambda x, y: fnp.concatenate([x, y], axis=None),
        [(2, 3), (2,)],
        variant="axis-None",
    ),
    Rec("numpy.stack", lambda x, y: fnp.stack([x, y]), [(3,), (3,)]),
    Rec(
        "numpy.stack",
        lambda x, y, z: fnp.stack((x, y, z), axis=-1),
        [(2, 3), (2, 3), (2, 3)],
        variant="axis-1",
    ),
]

# --------------------------------------------------------------------------- products

RECORDS += [
    Rec("numpy.dot", fnp.dot, [(3,), (3,)]),
    Rec("numpy.dot", fnp.dot, [(2, 3), (3,)], variant="matvec"),
    Rec("numpy.dot", fnp.dot, [(2, 3), (3, 2)], variant="matmat"),
    Rec("numpy.dot", fnp.dot, [(2, 2, 3), (2, 3, 2)], variant="nd"),
    Rec("numpy.dot", fnp.dot, [(), (2, 3)], variant="scalar"),
    Rec("numpy.dot", lambda x: fnp.dot(x, 2.0), [(3,)], variant="python-scalar"),
    Rec("numpy.matmul", fnp.matmul, [(2, 3), (3, 2)]),
    Rec("numpy.matmul", fnp.matmul, [(3,), (3, 2)], variant="vecmat"),
    Rec("numpy.matmul", fnp.matmul, [(2, 3), (3,)], variant="matvec"),
    Rec("numpy.matmul", fnp.matmul, [(3,), (3,)], variant="vecvec"),
    Rec("numpy.matmul", fnp.matmul, [(2, 2, 3), (3, 2)], variant="batched-broadcast"),
    Rec("numpy.matmul", fnp.matmul, [(2, 1, 2, 3), (3, 3, 2)], variant="batched-broadcast-both"),
    Rec("numpy.tensordot", fnp.tensordot, [(2, 3, 2), (3, 2, 2)]),
    Rec("numpy.tensordot", lambda a, b: fnp.tensordot(a, b, axes=1), [(2, 3), (3, 2)], variant="axes1"),
    Rec("numpy.tensordot", lambda a, b: fnp.tensordot(a, b, axes=0), [(2,), (3,)], variant="axes0"),
    Rec(
        "numpy.tensordot",
        lambda a, b: fnp.tensordot(a, b, axes=([0, 2], [2, 0])),
        [(2, 3, 2), (2, 3, 2)],
        variant="axes-pairs",
    ),
    Rec("numpy.vdot", fnp.vdot, [(3,), (3,)]),
    Rec("numpy.vdot", fnp.vdot, [(2, 3), (3, 2)], variant="flattened"),
    Rec("numpy.inner", fnp.inner, [(3,), (3,)]),
    Rec("numpy.inner", fnp.inner, [(2, 3), (2, 3)], variant="2d"),
    Rec("numpy.inner", fnp.inner, [(), (3,)], variant="scalar"),
    Rec("numpy.outer", fnp.outer, [(3,), (2,)]),
    Rec("numpy.outer", fnp.outer, [(2, 2), (3,)], variant="flattens"),
]

# ---------------------------------------- creation and shape queries (first set, issue #2)
# Constants need no rules; these records check that they mix with traced values, and that
# array/asarray/full/full_like gather or broadcast traced values differentiably.

RECORDS += [
    Rec("numpy.array", lambda x: fnp.array([x[0] * 2.0, 1.0, fnp.sin(x[1])]), [(2,)]),
    Rec("numpy.array", lambda x: fnp.array(x) * 3.0, [(2, 3)], variant="traced"),
    Rec("numpy.asarray", lambda x: fnp.asarray([[x[0], x[1]], [x[1], 0.5]]), [(2,)]),
    Rec("numpy.asarray", lambda x: fnp.asarray(x, dtype=fnp.float64) ** 2, [(3,)], variant="traced"),
    Rec("numpy.full", lambda x: fnp.full((2, 3), x) * 2.0, [()]),
    Rec("numpy.full", lambda x: x * fnp.full(3, 2.5), [(3,)], variant="constant"),
    Rec("numpy.full_like", lambda x: fnp.full_like(x, 2.0) * x, [(2, 3)]),
    Rec("numpy.zeros", lambda x: fnp.zeros((2, 3)) + x, [(3,)]),
    Rec("numpy.ones", lambda x: fnp.ones(3) * x, [(2, 3)]),
    Rec("numpy.empty", lambda x: fnp.empty(3) * 0.0 + x, [(3,)]),
    Rec("numpy.zeros_like", lambda x: fnp.zeros_like(x) + x**2, [(2, 3)]),
    Rec("numpy.ones_like", lambda x: fnp.ones_like(x) * fnp.sin(x), [(2, 3)]),
    Rec("numpy.empty_like", lambda x: fnp.empty_like(x) * 0.0 + x, [(3,)]),
    Rec("numpy.eye", lambda x: fnp.eye(3) @ x, [(3, 2)]),
    Rec("numpy.eye", lambda x: fnp.eye(2, 3, k=1) * x, [(2, 3)], variant="rectangular-k"),
    Rec("numpy.identity", lambda x: fnp.identity(3) * x, [(3,)]),
    Rec("numpy.arange", lambda x: fnp.arange(3.0) * x, [(3,)]),
    Rec("numpy.linspace", lambda x: fnp.linspace(0.0, 1.0, 3) * x, [(2, 3)]),
    Rec("numpy.shape", lambda x: x * fnp.shape(x)[0], [(2, 3)]),
    Rec("numpy.ndim", lambda x: x * fnp.ndim(x), [(2, 3)]),
    Rec("numpy.size", lambda x: x / fnp.size(x), [(2, 3)]),
    Rec("numpy.size", lambda x: x / fnp.size(x, 1), [(2, 3)], variant="axis"),
    # nonzero: integer indices of a concrete mask; fine under grad (comparisons are concrete
    # there), an error under vmap (the mask differs per example), so no vmap/jac check.
    Rec(
        "numpy.nonzero",
        lambda x: fnp.sum(x[fnp.nonzero(x > 0)] ** 2),
        make_args=_signed_away((2, 3)),
        orders=1,
        vmap=False,
        jac=False,
    ),
]
