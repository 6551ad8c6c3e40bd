"""Sparsity patterns on every primitive's record: the detected Jacobian (and Hessian)
pattern holds every nonzero of the dense derivative at random points, and, for the
primitives whose rules are exact, nothing more."""

import warnings

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from tests.records import all_records

pytest.importorskip("scipy")

RECORDS = [r for r in all_records() if r.orders > 0 and r.jac and not r.holomorphic]


def _real(args):
    return all(np.asarray(a).dtype.kind in "fiub" for a in args)


CASES = [r for r in RECORDS if _real(r.args())]


def _flat_jac(fun, args, i):
    jac = fad.jacfwd(lambda x: fad.tree_util.tree_map(fnp.ravel, fun(*args[:i], x, *args[i + 1 :])))(args[i])
    leaves = [np.reshape(np.asarray(j), (-1, np.size(args[i]))) for j in fad.tree_util.tree_leaves(jac)]
    return np.concatenate(leaves) if leaves else np.zeros((0, np.size(args[i])))


def _structural_nonzeros(jac):
    """The entries a pattern must hold: nonzero and not NaN (where a value is NaN, as
    SciPy's ive at a negative argument of fractional order, its row is NaN times the basis'
    zeros too, a NaN that says nothing of the structure)."""
    return (jac != 0) & ~np.isnan(jac)


def _dense_nonzeros(fun, rec, i, seeds=(1, 2)):
    """The nonzeros of the Jacobian in argument ``i`` at points differing in that argument
    only (the others are constants of the pattern, as a where() condition is)."""
    nz = None
    for seed in seeds:
        args = list(rec.args(1))
        args[i] = rec.args(seed)[i]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            j = _structural_nonzeros(_flat_jac(fun, args, i))
        nz = j if nz is None else nz | j
    return nz


def _detect(detect, fun, args, i):
    """``(pattern, local)``: the global pattern, or, where the function's structure depends
    on the values (control flow, unique(), a finiteness check), the pattern at this point
    (``local=True``), which holds for this point only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return detect(fun, *args, argnums=i).toarray(), False
        except fad.SparsityError:
            return detect(fun, *args, argnums=i, local=True).toarray(), True


@pytest.mark.parametrize("rec", CASES, ids=[r.id for r in CASES])
def test_jacobian_pattern_holds_the_nonzeros(rec):
    args = rec.args(1)
    for i, a in enumerate(args):
        if np.asarray(a).dtype.kind != "f":
            continue
        pattern, local = _detect(fad.jacobian_sparsity, rec.fun, args, i)
        nz = _dense_nonzeros(rec.fun, rec, i, seeds=(1,) if local else (1, 2))
        assert pattern.shape == nz.shape
        missing = nz & ~pattern
        assert not missing.any(), f"argument {i}: the pattern misses {np.argwhere(missing)[:5].tolist()}"
        if rec.name.split(".")[-1] in EXACT:
            np.testing.assert_array_equal(pattern, nz, err_msg=f"argument {i}: the pattern is not exact")


# functions built from primitives whose rules are exact (structural, elementwise,
# reductions, scans, indexing): at random points the pattern is the dense nonzeros
EXACT = {
    "sin", "cos", "exp", "log", "tanh", "sqrt", "add", "multiply", "subtract", "divide",
    "reshape", "transpose", "ravel", "swapaxes", "moveaxis", "squeeze", "expand_dims", "flip",
    "fliplr", "flipud", "roll", "concatenate", "stack", "hstack", "vstack", "pad", "tile",
    "repeat", "diff", "cumsum", "sum", "mean", "take", "take_along_axis", "diagonal", "tril",
    "triu", "broadcast_to", "atleast_2d", "rot90", "outer", "matmul", "dot", "einsum", "inner",
    "tensordot", "vdot", "kron", "trace", "solve", "inv", "det", "slogdet", "pinv", "fft", "ifft", "fft2",
    "ifft2", "fftn", "ifftn", "rfft", "rfft2", "rfftn", "ihfft",
}  # fmt: skip


@pytest.mark.parametrize("rec", [r for r in CASES if r.orders >= 2], ids=lambda r: r.id)
def test_hessian_pattern_holds_the_nonzeros(rec):
    args = rec.args(1)
    i = next((k for k, a in enumerate(args) if np.asarray(a).dtype.kind == "f"), None)
    if i is None:
        pytest.skip("no float argument")
    out = rec.fun(*args)
    weights = [np.random.default_rng(3).uniform(1, 2, np.shape(o)) for o in fad.tree_util.tree_leaves(out)]

    def scalar(*a):
        leaves = fad.tree_util.tree_leaves(rec.fun(*a))
        return sum(fnp.sum(fnp.real(o) * w) for o, w in zip(leaves, weights, strict=True))

    pattern, local = _detect(fad.hessian_sparsity, scalar, args, i)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nz = None
        for seed in (1,) if local else (1, 2):
            a = list(rec.args(1))
            a[i] = rec.args(seed)[i]
            h = _structural_nonzeros(np.reshape(fad.hessian(scalar, argnums=i)(*a), (np.size(a[i]),) * 2))
            nz = h if nz is None else nz | h
    missing = nz & ~pattern
    assert not missing.any(), f"the pattern misses {np.argwhere(missing)[:5].tolist()}"
    np.testing.assert_array_equal(pattern, pattern.T)
