"""The generic op harness: every record in tests/records/ through every transform. Complex
records (tests/records/complex.py) go through the same checks: check_grads does complex
finite differences and pairs cotangents with tangents as Re(sum(ct * t)); jacfwd ==
jacrev is checked in real coordinates (every complex argument split into its real and
imaginary parts) and, for holomorphic functions, with holomorphic=True."""

import warnings

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.test_util import check_grads
from tests._helpers import assert_trees_close
from tests.records import all_records

RECORDS = all_records()


DIFFERENTIABLE = [r for r in RECORDS if r.orders > 0]  # orders=0 records: vmap only


@pytest.mark.parametrize("rec", DIFFERENTIABLE, ids=[r.id for r in DIFFERENTIABLE])
def test_check_grads(rec):
    check_grads(rec.fun, rec.args(), order=rec.orders, modes=rec.modes, atol=rec.atol, rtol=rec.rtol)


def _kind(a):
    return np.asarray(a).dtype.kind


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.jac and r.orders > 0], ids=lambda r: r.id)
def test_jacfwd_equals_jacrev(rec):
    args = rec.args(1)
    outs = fad.tree_util.tree_leaves(rec.fun(*args))
    if any(_kind(a) == "c" for a in args) or any(_dtype_kind(o) == "c" for o in outs):
        fun, args = _in_real_coordinates(rec.fun, args)
    else:
        fun = rec.fun
    nums = tuple(i for i, a in enumerate(args) if _kind(a) == "f")
    jf = fad.jacfwd(fun, argnums=nums)(*args)
    jr = fad.jacrev(fun, argnums=nums)(*args)
    for a, b in zip(fad.tree_util.tree_leaves(jf), fad.tree_util.tree_leaves(jr), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def _in_real_coordinates(fun, args):
    """``fun`` as a real function: each complex argument passed as its real and imaginary
    parts (real inputs to complex ones inside), each complex output leaf returned as its
    real and imaginary parts stacked."""
    where = [i for i, a in enumerate(args) if _kind(a) == "c"]

    def real_fun(*parts):
        full = list(parts[: len(args)])
        for k, i in enumerate(where):
            full[i] = full[i] + 1j * parts[len(args) + k]
        out = fun(*full)
        return fad.tree_util.tree_map(
            lambda o: fnp.stack([fnp.real(o), fnp.imag(o)]) if _dtype_kind(o) == "c" else o, out
        )

    real_args = [np.real(a) if _kind(a) == "c" else a for a in args]
    return real_fun, tuple(real_args) + tuple(np.imag(args[i]) for i in where)


def _dtype_kind(x):
    return x.dtype.kind if hasattr(x, "dtype") else np.result_type(x).kind


def _complex_to_complex(rec):
    """A holomorphic record whose complex arguments give complex outputs (the only ones a
    holomorphic Jacobian applies to; e.g. ``asarray(z, dtype=float)`` is not one)."""
    if not (rec.jac and rec.orders > 0 and rec.holomorphic):
        return False
    args = rec.args(1)
    if not any(_kind(a) == "c" for a in args):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {_dtype_kind(o) for o in fad.tree_util.tree_leaves(rec.fun(*args))} == {"c"}


@pytest.mark.parametrize("rec", [r for r in RECORDS if _complex_to_complex(r)], ids=lambda r: r.id)
def test_holomorphic_jacfwd_equals_jacrev(rec):
    """The complex derivative of a holomorphic record, both ways (complex arguments only)."""
    args = rec.args(1)
    nums = tuple(i for i, a in enumerate(args) if _kind(a) == "c")
    jf = fad.jacfwd(rec.fun, argnums=nums, holomorphic=True)(*args)
    jr = fad.jacrev(rec.fun, argnums=nums, holomorphic=True)(*args)
    for a, b in zip(fad.tree_util.tree_leaves(jf), fad.tree_util.tree_leaves(jr), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.vmap], ids=lambda r: r.id)
def test_vmap_matches_loop(rec):
    """Batch every argument (size 3) and compare with a loop; then batch only the first."""
    batch = [rec.args(10 + i) for i in range(3)]
    stacked = [np.stack(col) for col in zip(*batch, strict=True)]
    expected = [rec.fun(*b) for b in batch]
    got = fad.vmap(rec.fun)(*stacked)
    _compare_batched(got, expected)
    if len(stacked) > 1:
        axes = (0,) + (None,) * (len(stacked) - 1)
        fixed = batch[0][1:]
        got = fad.vmap(rec.fun, in_axes=axes)(stacked[0], *fixed)
        _compare_batched(got, [rec.fun(b[0], *fixed) for b in batch])


def _compare_batched(got, expected):
    """``got`` (a vmap result) against the per-example results stacked: same structure
    (a missing or extra leaf fails), shapes and values."""
    stacked = fad.tree_util.tree_map(lambda *cols: np.stack([np.asarray(c) for c in cols]), *expected)
    assert_trees_close(got, stacked, 1e-10, 1e-12)


TWICE_FORWARD = [r for r in RECORDS if r.orders >= 2 and "fwd" in r.modes]


@pytest.mark.parametrize("rec", TWICE_FORWARD, ids=lambda r: r.id)
def test_jet_matches_nested_jvp(rec):
    """Taylor mode to second order along a random line, against jvp nested twice: every
    primitive's Taylor rule (direct, or derived from its forward rule)."""
    args = rec.args(2)
    floats = [i for i, a in enumerate(args) if _kind(a) in "fc"]

    def f(*xs):
        full = list(args)
        for i, x in zip(floats, xs, strict=True):
            full[i] = x
        return rec.fun(*full)

    primals = [np.asarray(args[i]) for i in floats]
    rng = np.random.default_rng(3)
    v = [
        (rng.standard_normal(p.shape) + (p.dtype.kind == "c") * 1j * rng.standard_normal(p.shape)).astype(
            p.dtype
        )
        for p in primals
    ]
    _, series = fad.jet(f, primals, [[t, np.zeros_like(t)] for t in v])

    def d1(*xs):
        return fad.jvp(f, xs, v)[1]

    want1 = fad.tree_util.tree_leaves(d1(*primals))
    want2 = fad.tree_util.tree_leaves(fad.jvp(d1, primals, v)[1])

    def is_series(s):  # [f_1, f_2] of one output leaf (a list output holds several)
        return isinstance(s, list) and not any(isinstance(e, (list, tuple, dict)) for e in s)

    got = fad.tree_util.tree_leaves(series, is_leaf=is_series)
    for s, w1, w2 in zip(got, want1, want2, strict=True):
        np.testing.assert_allclose(s[0], w1, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(s[1], w2, rtol=1e-6, atol=1e-8)
