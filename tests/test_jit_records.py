"""fad.jit on every op record: the compiled program and its compiled pullback equal eager."""

import numpy as onp
import pytest

import fad
from tests._helpers import assert_trees_close
from tests.records import all_records

DATA_DEPENDENT_SHAPE = {"numpy.nonzero", "numpy.argwhere", "numpy.flatnonzero"}
# value-dependent shapes read from a concrete value (their records check no vmap either)
CONCRETE_VALUES = {
    *(
        "numpy.unique",
        "numpy.unique_values",
        "numpy.unique_counts",
        "numpy.unique_inverse",
        "numpy.unique_all",
    ),
    *("numpy.intersect1d", "numpy.setdiff1d", "numpy.setxor1d", "numpy.union1d", "numpy.bincount"),
    *("numpy.compress", "numpy.extract", "numpy.trim_zeros", "numpy.asarray_chkfinite", "numpy.roots"),
}
RECORDS = [
    r
    for r in all_records()
    if r.name not in DATA_DEPENDENT_SHAPE and not (r.name in CONCRETE_VALUES and not r.vmap)
]


def _close(got, want, tol):
    assert_trees_close(got, want, tol, tol)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.id)
def test_jit_matches_eager(rec):
    args = rec.args()
    _close(fad.jit(rec.fun)(*args), rec.fun(*args), 1e-12)
    if rec.orders > 0:

        def pullback(*a):
            out, f_vjp = fad.vjp(rec.fun, *a)
            return f_vjp(fad.tree_util.tree_map(onp.ones_like, out))

        _close(fad.jit(pullback)(*args), pullback(*args), 1e-10)


@pytest.mark.parametrize("name", sorted(DATA_DEPENDENT_SHAPE))
def test_data_dependent_shapes_are_a_clear_error(name):
    import fad.numpy as fnp

    with pytest.raises(fad.ConcretizationError, match=name.split(".")[1]):
        fad.jit(getattr(fnp, name.split(".")[1]))(onp.array([0.0, 1.0]))
