"""Regression tests for fad.numpy surface fixes: roll (and the gathers that became slices),
interp's derivative at the knots, the reductions' ``where=`` / ``initial=``, and
``order="F"`` / ``"A"`` for reshape, ravel and flatten. Each reproducer runs under the
transforms it can meet: both modes to second order, jacfwd == jacrev, vmap against a loop.
"""

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.test_util import check_grads


def _jacobians_agree(f, *args):
    jf = fad.jacfwd(f, argnums=tuple(range(len(args))))(*args)
    jr = fad.jacrev(f, argnums=tuple(range(len(args))))(*args)
    for a, b in zip(fad.tree_util.tree_leaves(jf), fad.tree_util.tree_leaves(jr), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def _vmap_matches_loop(f, xs, in_axes=0):
    axes = _axes(in_axes, len(xs))
    got = fad.vmap(f, in_axes=in_axes)(*xs)
    n = next(np.shape(x)[ax] for x, ax in zip(xs, axes, strict=True) if ax is not None)
    rows = [
        f(*(x if ax is None else np.take(x, i, ax) for x, ax in zip(xs, axes, strict=True))) for i in range(n)
    ]
    np.testing.assert_allclose(got, np.stack([np.asarray(r) for r in rows]), rtol=1e-12, atol=1e-12)


def _axes(in_axes, n):
    return (in_axes,) * n if not isinstance(in_axes, (tuple, list)) else tuple(in_axes)


def _prim_names(f, *args):
    return [e.prim.name for e in fad.make_program(f)(*args).eqns]


# ------------------------------------------------------------------------------- roll

ROLLS = [
    (1, 0),
    (-1, 1),
    (7, None),
    (-3, -1),
    ((1, -1), (0, 1)),
    ((1, 2), 0),  # two shifts along one axis add up
    (2, (0, 1)),  # one shift broadcast to two axes
    (np.int64(4), np.int64(1)),
    (0, 0),
    (6, 0),  # a whole turn
    ((1, 2), None),
]


@pytest.mark.parametrize("shift, axis", ROLLS, ids=[repr(r) for r in ROLLS])
def test_roll_matches_numpy_and_every_transform(shift, axis):
    x = np.random.default_rng(0).normal(size=(3, 4))

    def f(x):
        return fnp.roll(x, shift, axis)

    np.testing.assert_array_equal(f(x), np.roll(x, shift, axis))
    check_grads(f, (x,), order=2)
    _jacobians_agree(f, x)
    _vmap_matches_loop(f, (np.stack([x, 2 * x, -x]),))
    _vmap_matches_loop(f, (np.stack([x, 2 * x], axis=1),), in_axes=1)


def test_roll_derivative_is_a_roll_not_a_scatter():
    """grad of a roll product is rolls and an add: no gather and no scatter (np.add.at)."""
    x = np.random.default_rng(1).normal(size=(5, 6))

    def loss(x):
        return (fnp.roll(x, 1, 0) * fnp.roll(x, -1, 1)).sum()

    g = fad.grad(loss)(x)
    np.testing.assert_allclose(g, np.roll(np.roll(x, -1, 1), -1, 0) + np.roll(np.roll(x, 1, 0), 1, 1))
    names = _prim_names(fad.grad(loss), x)
    assert set(names) <= {"roll", "add", "mul", "broadcast_to"}, names
    check_grads(loss, (x,), order=2)
    # nested: grad of a vmapped roll, and jacfwd of jacrev through it
    hv = fad.jacfwd(fad.jacrev(lambda v: fnp.roll(v, 2) * v))(x[0])
    np.testing.assert_allclose(hv, fad.jacrev(fad.jacfwd(lambda v: fnp.roll(v, 2) * v))(x[0]), atol=1e-12)
    gv = fad.grad(lambda x: fad.vmap(lambda r: fnp.roll(r, 1) * r)(x).sum())(x)
    np.testing.assert_allclose(gv, np.roll(x, 1, 1) + np.roll(x, -1, 1), atol=1e-12)


def test_roll_of_a_scalar_and_an_empty_axis():
    np.testing.assert_array_equal(fnp.roll(np.float64(3.0), 1), np.roll(np.float64(3.0), 1))
    np.testing.assert_array_equal(fnp.roll(np.zeros((0, 3)), 1, 0), np.roll(np.zeros((0, 3)), 1, 0))
    assert fad.grad(lambda x: fnp.roll(x, 1))(2.0) == 1.0


def test_roll_bad_arguments_say_what_and_how():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="scalars or 1D sequences"):
        fnp.roll(x, [[1]], 0)
    with pytest.raises(np.exceptions.AxisError, match="roll"):
        fnp.roll(x, 1, 2)
    with pytest.raises(ValueError, match="broadcast"):
        fnp.roll(x, (1, 2, 3), (0, 1))
    with pytest.raises(TypeError, match="shift and axis must be concrete"):
        fad.vmap(lambda s: fnp.roll(x, s, 0))(np.array([1, 2]))


def test_take_with_an_evenly_spaced_index_is_a_slice():
    x = np.arange(24.0).reshape(4, 6)
    for idx in ([1, 2, 3], [5, 3, 1], [3, 2, 1, 0], [0, 0], [4, 1]):
        np.testing.assert_array_equal(fnp.take(x, idx, 1), np.take(x, idx, 1))
        check_grads(lambda x, idx=idx: fnp.take(x, idx, 1), (x,), order=2)
    assert "index_add_zeros" in _prim_names(fad.grad(lambda x: (fnp.take(x, [1, 1], 1) ** 2).sum()), x)
    names = _prim_names(fad.grad(lambda x: (fnp.take(x, [5, 3, 1], 1) ** 2).sum()), x)
    assert "gather" not in names and "scatter_add" not in names


@pytest.mark.parametrize("offset", [-3, -1, 0, 2, 6])
def test_diagonal_trace_and_diag_are_strided_slices(offset):
    x = np.random.default_rng(2).normal(size=(3, 4, 5))
    for a1, a2 in ((0, 1), (2, 0), (-1, -2)):
        np.testing.assert_array_equal(fnp.diagonal(x, offset, a1, a2), np.diagonal(x, offset, a1, a2))
        np.testing.assert_array_equal(fnp.trace(x, offset, a1, a2), np.trace(x, offset, a1, a2))
    np.testing.assert_array_equal(fnp.diag(x[0], offset), np.diag(x[0], offset))
    np.testing.assert_array_equal(fnp.diag(x[0, 0], offset), np.diag(x[0, 0], offset))
    check_grads(lambda x: fnp.diagonal(x, offset, 2, 0), (x,), order=2)
    check_grads(lambda v: fnp.diag(v, offset), (x[0, 0],), order=2)
    _jacobians_agree(lambda x: fnp.trace(x, offset), x[0])
    _vmap_matches_loop(lambda m: fnp.diagonal(m, offset), (x,))
    _vmap_matches_loop(lambda v: fnp.diag(v, offset), (x[0],))
    names = _prim_names(
        fad.grad(lambda m: fnp.trace(m, offset) ** 2 + (fnp.diag(fnp.diag(m)) ** 2).sum()), x[0]
    )
    assert "gather" not in names and "scatter_add" not in names


# ----------------------------------------------------------------------------- interp

XP, FP = np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 3.0])


def test_interp_derivative_at_a_knot_is_the_right_hand_slope():
    """As JAX: the piece on the right at a knot, the last piece at the last knot, and zero
    outside the range (where the value is the constant left/right)."""
    d = fad.grad(lambda v: fnp.interp(v, XP, FP))
    assert d(1.0) == 1.0  # was 0.0
    assert [float(d(v)) for v in (-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0)] == [0.0, 2.0, 2.0, 1.0, 1.0, 1.0, 0.0]
    xs = np.array([-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
    np.testing.assert_array_equal(fad.vmap(d)(xs), [0.0, 2.0, 2.0, 1.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(fad.jacfwd(lambda v: fnp.interp(v, XP, FP))(xs), np.diag(fad.vmap(d)(xs)))
    np.testing.assert_array_equal(fad.jacrev(lambda v: fnp.interp(v, XP, FP))(xs), np.diag(fad.vmap(d)(xs)))
    np.testing.assert_array_equal(fad.vmap(fad.grad(d))(xs), np.zeros(7))  # piecewise linear
    # the values stay NumPy's, bit for bit
    np.testing.assert_array_equal(fnp.interp(xs, XP, FP), np.interp(xs, XP, FP))


def test_interp_derivative_in_fp_xp_and_left_right_at_a_knot():
    """The right-hand piece's formula f = y0 + (x - x0) / (x1 - x0) * (y1 - y0) at x = x0:
    df/dy0 = 1, df/dx0 = -slope, nothing else."""
    g = fad.grad(fnp.interp, argnums=(0, 1, 2))
    gx, gxp, gfp = g(1.0, XP, FP)
    assert gx == 1.0
    np.testing.assert_array_equal(gxp, [0.0, -1.0, 0.0])
    np.testing.assert_array_equal(gfp, [0.0, 1.0, 0.0])
    gx, gxp, gfp = g(2.0, XP, FP)  # the last knot: the last piece, at its right end
    assert gx == 1.0
    np.testing.assert_array_equal(gxp, [0.0, 0.0, -1.0])
    np.testing.assert_array_equal(gfp, [0.0, 0.0, 1.0])
    # outside: the derivative goes to left / right (when traced), none to x
    gl = fad.grad(lambda v, lo: fnp.interp(v, XP, FP, left=lo), argnums=(0, 1))(-0.5, 7.0)
    assert gl == (0.0, 1.0)
    _jacobians_agree(fnp.interp, np.array([0.0, 1.0, 2.0, 0.5]), XP, FP)


def test_interp_periodic_knots_and_repeated_knots():
    d = fad.grad(lambda v: fnp.interp(v, XP, FP, period=3.0))
    # period 3: the piece from 2 to 3 wraps to fp[0] = 0 (slope -3)
    assert [float(d(v)) for v in (-1.0, 0.0, 1.0, 2.0, 3.0)] == [-3.0, 2.0, 1.0, -3.0, 2.0]
    # repeated knots: NumPy's value (the last knot's fp), a zero derivative in x and no NaN
    with np.errstate(all="raise"):
        for x, xp, fp in ((1.0, [0.0, 1.0, 1.0], [0.0, 2.0, 5.0]), (0.0, [0.0, 0.0, 1.0], [1.0, 2.0, 3.0])):
            assert fnp.interp(x, xp, fp) == np.interp(x, xp, fp)
            grads = fad.grad(fnp.interp, argnums=(0, 1, 2))(x, np.array(xp), np.array(fp))
            assert all(np.isfinite(g).all() for g in grads)
    assert fad.grad(fnp.interp)(1.0, [0.0, 1.0, 1.0], [0.0, 2.0, 5.0]) == 0.0
    # an infinite fp next to the knot does not poison the derivative at the knot
    assert fad.grad(fnp.interp)(1.0, [0.0, 1.0, 2.0], [-np.inf, 1.0, np.inf]) == 0.0


def test_interp_at_knots_second_order_and_nested():
    fp = np.array([0.3, -1.0, 2.0, 0.5])
    xp = np.array([0.0, 1.0, 1.5, 3.0])

    def f(fp):  # at every knot; linear in fp
        return fnp.interp(xp, xp, fp) ** 2

    check_grads(f, (fp,), order=2)
    h = fad.hessian(lambda v: (fnp.interp(v, xp, fp) ** 2).sum())(xp[1:3].copy())
    slopes = np.diff(fp) / np.diff(xp)
    np.testing.assert_allclose(h, np.diag(2 * slopes[1:3] ** 2))
