"""Helpers shared by the tests."""

import numpy as np

import fad
from fad._core import Tracer


def assert_trees_close(got, want, rtol=1e-12, atol=1e-12, *, check_dtype=False):
    """``got`` and ``want`` have the same pytree structure, and each pair of leaves the same
    shape (and dtype, with ``check_dtype``) and close values. Leaves must be concrete (a
    traced value escaping a transform fails). ``float0`` leaves (the cotangents of integer
    inputs) are compared by shape only."""
    la, ta = fad.tree_util.tree_flatten(got)
    lb, tb = fad.tree_util.tree_flatten(want)
    assert ta == tb, f"structures differ: {ta} != {tb}"
    for k, (x, y) in enumerate(zip(la, lb, strict=True)):
        assert not isinstance(x, Tracer), f"leaf {k} is a traced value: {x!r}"
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape, f"leaf {k}: shape {x.shape} != {y.shape}"
        if x.dtype.kind == "V" or y.dtype.kind == "V":  # float0
            assert x.dtype == y.dtype, f"leaf {k}: dtype {x.dtype} != {y.dtype}"
            continue
        if check_dtype:
            assert x.dtype == y.dtype, f"leaf {k}: dtype {x.dtype} != {y.dtype}"
        np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=f"leaf {k}")
