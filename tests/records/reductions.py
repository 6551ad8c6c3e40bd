"""Records for reductions, scans and orderings (issue #3 item 2): sums, products, moments,
extremes, NaN-ignoring reductions, quantiles, sorts, arg-reductions and logical reductions.

Inputs of max/min/sort/median/quantile have distinct values (no ties; ties are tested in
tests/test_reductions.py); prod/cumprod also run on inputs with exact zeros.
"""

import numpy as onp

import fad.numpy as fnp
from tests.records import Rec


def _distinct(*shapes):
    """Arguments with distinct, well-separated values in about [-2, 2]."""

    def make(rng):
        out = []
        for s in shapes:
            n = int(onp.prod(s, dtype=onp.int64))
            v = (rng.permutation(n) - (n - 1) / 2) * (3.0 / max(n, 2)) + rng.uniform(0.0, 0.05, n)
            out.append(v.reshape(s))
        return tuple(out)

    return make


def _with_zeros(shape, where):
    """Uniform values with exact zeros at the flat positions ``where``."""

    def make(rng):
        v = rng.uniform(-2.0, 2.0, shape).ravel()
        v[list(where)] = 0.0
        return (v.reshape(shape),)

    return make


def _with_nans(shape, where):
    """Uniform (distinct) values with NaNs at the flat positions ``where``."""

    def make(rng):
        (v,) = _distinct(shape)(rng)
        v = v.ravel().copy()
        v[list(where)] = onp.nan
        return (v.reshape(shape),)

    return make


def _small_ints(shape):
    """Floats in {-1, 0, 1, 2} (zeros for the logical reductions)."""
    return lambda rng: (rng.integers(-1, 3, shape).astype(float),)


def _positive(*shapes):
    return lambda rng: tuple(rng.uniform(0.5, 2.0, s) for s in shapes)


RECORDS = []

# ----------------------------------------------------- sum, mean, max, min (more variants)
for _n in ["sum", "mean"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=(0, 2), keepdims=True),
            [(2, 3, 2)],
            variant="tuple-keepdims",
        ),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=-1), [(2, 3)], variant="negative-axis"),
    ]
for _n in ["max", "min", "amax", "amin"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=(0, 2), keepdims=True),
            make_args=_distinct((2, 3, 2)),
            variant="tuple-keepdims",
        ),
        Rec(
            f"numpy.{_n}", lambda x, f=_f: f(x, axis=-1), make_args=_distinct((2, 3)), variant="negative-axis"
        ),
    ]

# -------------------------------------------------------------------------------- prod
RECORDS += [
    Rec("numpy.prod", fnp.prod, [(2, 3)]),
    Rec("numpy.prod", lambda x: fnp.prod(x, axis=0), [(3, 2)], variant="axis0"),
    Rec(
        "numpy.prod", lambda x: fnp.prod(x, axis=(0, 2), keepdims=True), [(2, 3, 2)], variant="tuple-keepdims"
    ),
    Rec("numpy.prod", lambda x: fnp.prod(x, axis=1), make_args=_with_zeros((2, 4), [1]), variant="one-zero"),
    Rec("numpy.prod", fnp.prod, make_args=_with_zeros((5,), [0, 3]), variant="two-zeros"),
    Rec("numpy.prod", fnp.prod, [()], variant="0d"),
]

# -------------------------------------------------------------------------- var, std
for _n in ["var", "std"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, [(2, 3)]),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=1, ddof=1), [(2, 3)], variant="axis-ddof"),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=(0, 2), keepdims=True),
            [(2, 3, 2)],
            variant="tuple-keepdims",
        ),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=0, correction=1), [(4, 2)], variant="correction"),
    ]

# --------------------------------------------------------------------- ptp, average
RECORDS += [
    Rec("numpy.ptp", fnp.ptp, make_args=_distinct((2, 3))),
    Rec(
        "numpy.ptp",
        lambda x: fnp.ptp(x, axis=1, keepdims=True),
        make_args=_distinct((2, 3)),
        variant="axis-keepdims",
    ),
    Rec("numpy.average", fnp.average, [(2, 3)], variant="unweighted"),
    Rec(
        "numpy.average",
        lambda x, w: fnp.average(x, weights=w),
        make_args=lambda rng: (rng.uniform(-2, 2, (2, 3)), rng.uniform(0.5, 2, (2, 3))),
    ),
    Rec(
        "numpy.average",
        lambda x, w: fnp.average(x, axis=1, weights=w),
        make_args=lambda rng: (rng.uniform(-2, 2, (2, 3)), rng.uniform(0.5, 2, (3,))),
        variant="axis-1d-weights",
    ),
    Rec(
        "numpy.average",
        lambda x, w: fnp.average(x, axis=0, weights=w, returned=True, keepdims=True),
        make_args=lambda rng: (rng.uniform(-2, 2, (3, 2)), rng.uniform(0.5, 2, (3, 2))),
        variant="returned-keepdims",
    ),
]

# ----------------------------------------------------------------------------- scans
for _n in ["cumsum", "cumprod"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, [(2, 3)], variant="flat"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=0), [(3, 2)], variant="axis0"),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=-1), [(2, 5)], variant="axis-last-5"),
    ]
RECORDS += [
    Rec(
        "numpy.cumprod",
        lambda x: fnp.cumprod(x, axis=1),
        make_args=_with_zeros((2, 4), [2]),
        variant="one-zero",
    ),
    Rec("numpy.cumprod", fnp.cumprod, make_args=_with_zeros((7,), [1, 4]), variant="two-zeros"),
]

# ---------------------------------------------------------------- NaN-ignoring ones
for _n in ["nansum", "nanmean", "nanmax", "nanmin"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, make_args=_distinct((2, 3)), variant="no-nan"),
        Rec(f"numpy.{_n}", _f, make_args=_with_nans((2, 3), [1, 5])),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=1, keepdims=True),
            make_args=_with_nans((2, 3), [0, 4]),
            variant="axis-keepdims",
        ),
        Rec(f"numpy.{_n}", lambda x, f=_f: f(x, axis=0), make_args=_with_nans((3, 2), [1]), variant="axis0"),
    ]

# ------------------------------------------------------------- median and quantiles
RECORDS += [
    Rec("numpy.median", fnp.median, make_args=_distinct((5,)), variant="odd"),
    Rec("numpy.median", fnp.median, make_args=_distinct((2, 3))),
    Rec(
        "numpy.median",
        lambda x: fnp.median(x, axis=1, keepdims=True),
        make_args=_distinct((3, 4)),
        variant="axis-keepdims",
    ),
    Rec(
        "numpy.median",
        lambda x: fnp.median(x, axis=(0, 2)),
        make_args=_distinct((2, 3, 2)),
        variant="tuple-axis",
    ),
    Rec("numpy.quantile", lambda x: fnp.quantile(x, 0.3), make_args=_distinct((2, 3))),
    Rec(
        "numpy.quantile",
        lambda x: fnp.quantile(x, [0.0, 0.25, 0.9, 1.0], axis=0),
        make_args=_distinct((5, 2)),
        variant="q-list-axis0",
    ),
    Rec(
        "numpy.quantile",
        lambda x: fnp.quantile(x, onp.array([[0.1], [0.6]]), axis=1, keepdims=True),
        make_args=_distinct((2, 4)),
        variant="q-2d-keepdims",
    ),
    Rec("numpy.percentile", lambda x: fnp.percentile(x, 40.0), make_args=_distinct((2, 3))),
    Rec(
        "numpy.percentile",
        lambda x: fnp.percentile(x, [10, 50, 95], axis=-1),
        make_args=_distinct((2, 5)),
        variant="q-list",
    ),
]
for _m in ["lower", "higher", "nearest", "midpoint"]:
    RECORDS.append(
        Rec(
            "numpy.quantile",
            lambda x, m=_m: fnp.quantile(x, [0.2, 0.7], axis=1, method=m),
            make_args=_distinct((2, 6)),
            variant=_m,
        )
    )

# ----------------------------------------------------------------------- orderings
RECORDS += [
    Rec("numpy.sort", fnp.sort, make_args=_distinct((2, 4))),
    Rec("numpy.sort", lambda x: fnp.sort(x, axis=0), make_args=_distinct((3, 2)), variant="axis0"),
    Rec("numpy.sort", lambda x: fnp.sort(x, axis=None), make_args=_distinct((2, 3)), variant="flat"),
    Rec("numpy.argsort", fnp.argsort, make_args=_distinct((2, 4)), orders=0),
    Rec(
        "numpy.argsort",
        lambda x: fnp.argsort(x, axis=None),
        make_args=_distinct((2, 3)),
        orders=0,
        variant="flat",
    ),
    Rec(
        "numpy.argsort",
        lambda x: fnp.argsort(x, axis=0, stable=True),
        make_args=_small_ints((4, 2)),
        orders=0,
        variant="stable-ties",
    ),
]
for _n in ["argmax", "argmin"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, make_args=_distinct((2, 3)), orders=0),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=1),
            make_args=_distinct((2, 3)),
            orders=0,
            variant="axis1",
        ),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=0, keepdims=True),
            make_args=_small_ints((4, 3)),
            orders=0,
            variant="keepdims-ties",
        ),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, keepdims=True),
            make_args=_distinct((2, 3)),
            orders=0,
            variant="flat-keepdims",
        ),
    ]

# --------------------------------------------------------------------------- logical
for _n in ["all", "any", "count_nonzero"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(f"numpy.{_n}", _f, make_args=_small_ints((2, 3)), orders=0),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=1),
            make_args=_small_ints((3, 4)),
            orders=0,
            variant="axis1",
        ),
        Rec(
            f"numpy.{_n}",
            lambda x, f=_f: f(x, axis=(0, 1), keepdims=True),
            make_args=_small_ints((2, 2, 3)),
            orders=0,
            variant="tuple-keepdims",
        ),
    ]

# ------------------------------------------------- where= and initial= (NumPy's semantics)


def _and_mask(make, shape, per_row=2):
    """``make``'s arguments and a boolean mask of ``shape`` selecting at least ``per_row``
    entries of every row (the last axis), so means and variances stay defined."""

    def make_all(rng):
        m = rng.uniform(size=shape) < 0.5
        m[..., :per_row] = True
        return (*make(rng), rng.permuted(m, axis=-1))

    return make_all


_X23 = _distinct((2, 4))
_NAN23 = _with_nans((2, 4), [1, 6])
RECORDS += [
    Rec(
        "numpy.sum",
        lambda x, m: fnp.sum(x, axis=1, where=m, initial=0.5),
        make_args=_and_mask(_X23, (2, 4)),
        variant="where-initial",
    ),
    Rec("numpy.sum", lambda x, m: fnp.sum(x, where=m), make_args=_and_mask(_X23, (4,)), variant="where-row"),
    Rec("numpy.sum", lambda x: fnp.sum(x, axis=0, initial=-1.0), [(3, 2)], variant="initial"),
    Rec(
        "numpy.prod",
        lambda x, m: fnp.prod(x, axis=1, where=m, initial=2.0),
        make_args=_and_mask(_X23, (2, 4)),
        variant="where-initial",
    ),
    Rec(
        "numpy.mean",
        lambda x, m: fnp.mean(x, axis=-1, where=m),
        make_args=_and_mask(_X23, (2, 4), 1),
        variant="where",
    ),
    Rec(
        "numpy.mean",
        lambda x, m: fnp.mean(x, keepdims=True, where=m),
        make_args=_and_mask(_X23, (4,), 1),
        variant="where-row",
    ),
    Rec(
        "numpy.var",
        lambda x, m: fnp.var(x, axis=1, ddof=1, where=m),
        make_args=_and_mask(_X23, (2, 4)),
        variant="where",
    ),
    Rec(
        "numpy.std",
        lambda x, m: fnp.std(x, axis=1, where=m),
        make_args=_and_mask(_X23, (2, 4)),
        variant="where",
    ),
    Rec(
        "numpy.nansum",
        lambda x, m: fnp.nansum(x, axis=1, where=m, initial=1.0),
        make_args=_and_mask(_NAN23, (2, 4)),
        variant="where-initial",
    ),
    Rec(
        "numpy.nanprod",
        lambda x, m: fnp.nanprod(x, axis=1, where=m, initial=-1.0),
        make_args=_and_mask(_NAN23, (2, 4)),
        variant="where-initial",
    ),
    Rec(
        "numpy.nanmean",
        lambda x, m: fnp.nanmean(x, axis=1, where=m),
        make_args=_and_mask(_NAN23, (2, 4), 3),
        variant="where",
    ),
    Rec(
        "numpy.nanvar",
        lambda x, m: fnp.nanvar(x, axis=1, where=m),
        make_args=_and_mask(_NAN23, (2, 4), 4),
        variant="where",
    ),
    Rec(
        "numpy.nanstd",
        lambda x, m: fnp.nanstd(x, axis=1, where=m),
        make_args=_and_mask(_NAN23, (2, 4), 4),
        variant="where",
    ),
]
for _n, _init in [
    ("max", -5.0),
    ("amax", -5.0),
    ("min", 5.0),
    ("amin", 5.0),
    ("nanmax", -5.0),
    ("nanmin", 5.0),
]:
    _f = getattr(fnp, _n)
    _make = _NAN23 if _n.startswith("nan") else _X23
    RECORDS += [
        Rec(
            f"numpy.{_n}",
            lambda x, m, f=_f, i=_init: f(x, axis=1, where=m, initial=i),
            make_args=_and_mask(_make, (2, 4)),
            variant="where-initial",
        ),
        Rec(  # initial wins where it is more extreme than every entry
            f"numpy.{_n}",
            lambda x, f=_f, i=_init: f(x, axis=0, initial=-i / 5.0),
            make_args=_make,
            variant="initial",
        ),
    ]
for _n in ["all", "any"]:
    _f = getattr(fnp, _n)
    RECORDS += [
        Rec(
            f"numpy.{_n}",
            lambda x, m, f=_f: f(x, axis=1, where=m),
            make_args=_and_mask(_small_ints((3, 4)), (3, 4), 1),
            orders=0,
            variant="where",
        ),
    ]
