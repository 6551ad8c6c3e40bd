"""Regression tests for fad.numpy surface fixes: roll (and the gathers that became slices),
interp's derivative at the knots, the reductions' ``where=`` / ``initial=``, and
``order="F"`` / ``"A"`` for reshape, ravel and flatten. Each reproducer runs under the
transforms it can meet: both modes to second order, jacfwd == jacrev, vmap against a loop.
"""

import warnings

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


# --------------------------------------------------------- reductions: where= and initial=

RNG = np.random.default_rng(7)
X = RNG.permutation(12).reshape(3, 4) * 0.37 - 2.0  # distinct values: no ties for max/min
MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
ROW_MASK = np.array([True, False, True, True])  # broadcasts against X
MASK2 = MASK.copy()
MASK2[1, 0] = MASK2[0, 1] = True  # two or more per row and per column (for ddof=1 and std)
XNAN = X.copy()
XNAN[0, 1] = XNAN[2, 0] = np.nan

WITH_INITIAL = ["sum", "prod", "max", "amax", "min", "amin", "nansum", "nanprod", "nanmax", "nanmin"]
WHERE_ONLY = ["mean", "std", "var", "all", "any", "nanmean", "nanstd", "nanvar"]
CASES = [
    {"where": MASK},
    {"where": ROW_MASK, "axis": 0},
    {"where": MASK, "axis": 1, "keepdims": True},
    {"where": MASK, "axis": (0, 1)},
]


def _numpy_and_fad(name, x, **kw):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's and fad's empty-slice warnings alike
        return getattr(fnp, name)(x, **kw), getattr(np, name)(x, **kw)


@pytest.mark.parametrize("name", WITH_INITIAL + WHERE_ONLY)
def test_where_and_initial_match_numpy(name):
    extra = [{}] if name in WHERE_ONLY else [{"initial": 1.5}, {"initial": -5.0}]
    for x in (X, XNAN) if name.startswith("nan") else (X,):
        for case in CASES:
            for more in extra:
                kw = dict(case, **more)
                got, want = _numpy_and_fad(name, x, **kw)
                # (NumPy adds initial first, fad last: equal to rounding)
                np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15, err_msg=f"{name} {kw}")
                assert np.asarray(got).dtype == np.asarray(want).dtype, (name, kw)
                assert np.shape(got) == np.shape(want)
    if name in WITH_INITIAL:  # initial alone, on a full and on an empty axis
        for x, kw in (
            (X, {"initial": 9.0}),
            (X, {"axis": 0, "initial": -9.0}),
            (np.zeros((0, 3)), {"axis": 0, "initial": 2.0}),
        ):
            got, want = _numpy_and_fad(name, x, **kw)
            np.testing.assert_allclose(got, want, rtol=1e-14, err_msg=f"{name} {kw}")


def test_where_and_initial_on_integers_and_booleans():
    k = np.arange(12).reshape(3, 4) - 5
    for name, kw in (
        ("sum", {"where": MASK, "initial": 3}),
        ("sum", {"initial": 0.5}),  # cast to the integer result, as NumPy
        ("prod", {"where": ROW_MASK, "axis": 0, "initial": 2}),
        ("max", {"where": MASK, "initial": -100}),
        ("min", {"where": MASK, "axis": 1, "initial": 100}),
        ("mean", {"where": MASK, "axis": 0}),
        ("var", {"where": MASK}),
        ("all", {"where": k != 0}),
        ("any", {"where": MASK, "axis": 1}),
        ("nanmax", {"where": MASK, "initial": 0}),
        ("nansum", {"where": MASK}),
    ):
        got, want = _numpy_and_fad(name, k, **kw)
        np.testing.assert_array_equal(got, want, err_msg=f"{name} {kw}")
        assert np.asarray(got).dtype == np.asarray(want).dtype, (name, kw)
    assert fnp.sum(MASK, where=MASK) == np.sum(MASK, where=MASK)


def test_where_and_initial_errors_are_numpys():
    with pytest.raises(ValueError, match="does not have an identity.*specify 'initial'"):
        fnp.max(X, where=MASK)
    with pytest.raises(ValueError, match="'fmin' does not have an identity"):
        fnp.nanmin(XNAN, where=MASK)
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum.*initial="):
        fnp.max(np.zeros((0, 3)), axis=0)
    with pytest.raises(ValueError, match="where= of shape \\(2,\\) does not broadcast.*\\(3, 4\\)"):
        fnp.sum(X, where=np.array([True, False]))
    with pytest.raises(TypeError, match="where= must be a boolean mask.*m != 0"):
        fnp.mean(X, where=np.array([1, 0, 1, 1]))
    with pytest.raises(ValueError, match="initial= must be a scalar"):
        fnp.max(X, initial=np.array([1.0, 2.0]))
    with pytest.raises(NotImplementedError, match="out="):
        fnp.sum(X, out=np.zeros(()), initial=1.0)
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        r = fnp.mean(
            X, axis=1, where=np.zeros((3, 4), bool) | (np.arange(4) == 0) * np.array([[1], [0], [1]], bool)
        )
    np.testing.assert_array_equal(np.isnan(r), [False, True, False])


def _masked_out_get_zero(f, x, mask):
    g = fad.grad(lambda x: f(x).sum())(x)
    assert (g[~np.broadcast_to(mask, x.shape)] == 0).all(), g


DIFFERENTIABLE = [
    ("sum", {"where": MASK, "initial": 1.5}),
    ("sum", {"where": ROW_MASK, "axis": 0}),
    ("prod", {"where": MASK, "axis": 1, "initial": -0.5}),
    ("max", {"where": MASK, "initial": -10.0}),
    ("amin", {"where": MASK, "axis": 0, "initial": 10.0, "keepdims": True}),
    ("max", {"axis": 1, "initial": 0.0}),  # initial wins in some rows
    ("mean", {"where": MASK, "axis": 1}),
    ("var", {"where": MASK2, "axis": 0, "ddof": 1}),
    ("std", {"where": ROW_MASK, "axis": (0, 1)}),
    ("nansum", {"where": MASK, "initial": 2.0}),
    ("nanprod", {"where": ROW_MASK, "axis": 1}),
    ("nanmax", {"where": MASK, "axis": 1, "initial": -1.0}),
    ("nanmin", {"initial": 0.0, "axis": 0}),
    ("nanmean", {"where": MASK, "axis": 0}),
    ("nanvar", {"where": MASK, "axis": 1}),
    ("nanstd", {"where": ROW_MASK}),
]


@pytest.mark.parametrize("name, kw", DIFFERENTIABLE, ids=[f"{n}-{sorted(k)}" for n, k in DIFFERENTIABLE])
def test_where_and_initial_under_every_transform(name, kw):
    fn = getattr(fnp, name)
    x = XNAN if name.startswith("nan") else X

    def f(x):
        return fn(x, **kw)

    got, want = _numpy_and_fad(name, x, **kw)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    if not name.startswith("nan"):  # finite differences cannot step on NaN
        check_grads(f, (x,), order=2)
        _jacobians_agree(f, x)
    _masked_out_get_zero(f, x, kw.get("where", True))
    # vmap: over the array, and over the array and a batched mask together
    xs = np.stack([x, x[::-1], -x])
    _vmap_matches_loop(f, (xs,))
    if "where" in kw:
        masks = np.stack([np.broadcast_to(kw["where"], x.shape), ~MASK, MASK[::-1]])
        rest = {k: v for k, v in kw.items() if k != "where"}

        def g(x, m):
            return fn(x, where=m, **rest)

        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ~MASK leaves an empty column
            _vmap_matches_loop(g, (xs, masks))
            _vmap_matches_loop(g, (x, masks), in_axes=(None, 0))


def test_traced_initial_and_the_array_methods():
    # initial may be traced: it gets its share of the derivative
    g = fad.grad(lambda c: fnp.max(X, where=MASK, initial=c))(5.0)
    assert g == 1.0
    assert fad.grad(lambda c: fnp.sum(X, initial=c) * c)(2.0) == fnp.sum(X) + 4.0
    check_grads(lambda x, c: fnp.min(x, axis=1, initial=c), (X, np.float64(-0.5)), order=2)
    # the methods of traced values take NumPy's arguments (ndarray order: out before keepdims)
    for meth, kw in (
        ("sum", {"where": MASK, "initial": 1.0}),
        ("max", {"where": MASK, "initial": -3.0, "axis": 1}),
        ("min", {"axis": 0, "initial": 0.0}),
        ("mean", {"where": MASK}),
        ("prod", {"where": MASK}),
        ("std", {"where": MASK2, "axis": 1}),
        ("var", {"where": MASK}),
        ("all", {"where": MASK}),
    ):
        want = getattr(X, meth)(**kw)
        np.testing.assert_allclose(
            fad.vmap(lambda x, meth=meth, kw=kw: getattr(x, meth)(**kw))(X[None])[0], want
        )
        if meth != "all":
            check_grads(lambda x, meth=meth, kw=kw: getattr(x, meth)(**kw), (X,), order=1)
    np.testing.assert_allclose(
        fad.vmap(lambda x: x.sum(0, None, None, True))(X[None])[0], X.sum(0, None, None, True)
    )


# ------------------------------------------------------------- order="F" / "A" / "K"

A3 = np.arange(24.0).reshape(2, 3, 4) / 7.0
LAYOUTS = [
    A3,
    np.asfortranarray(A3),
    A3.transpose(2, 0, 1),
    A3[::-1],
    A3[:, ::2].T,
    A3[..., ::-1].transpose(1, 2, 0),
]


@pytest.mark.parametrize("order", ["C", "F", "A", "c", "f"])
def test_reshape_order_matches_numpy(order):
    for x in LAYOUTS:
        for shp in [(4, -1), (x.size,), (2, 2, 2, -1), -1]:
            np.testing.assert_array_equal(fnp.reshape(x, shp, order=order), np.reshape(x, shp, order=order))


@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_ravel_and_flatten_order_match_numpy(order):
    for x in LAYOUTS:
        np.testing.assert_array_equal(fnp.ravel(x, order=order), np.ravel(x, order=order))
        # a traced value counts as C-contiguous: "A" and "K" read it in C order
        got = fad.vmap(lambda v, order=order: v.flatten(order))(x[None])[0]
        want = x.flatten(order if order in "CF" else "C")
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("order", ["F", "A"])
def test_order_f_under_every_transform(order):
    x = np.random.default_rng(3).normal(size=(2, 3, 2))

    def f(x):
        return fnp.reshape(x, (3, 4), order=order) * fnp.ravel(x, order=order)[:4]

    check_grads(f, (x,), order=2)
    _jacobians_agree(f, x)
    _vmap_matches_loop(f, (np.stack([x, -x, 2 * x]),))
    _vmap_matches_loop(f, (np.stack([x, -x], axis=2),), in_axes=2)
    # transposes and C-order reshapes only: every transform sees through them
    assert set(_prim_names(fad.grad(lambda x: (f(x) ** 2).sum()), x)) <= {
        "transpose",
        "reshape",
        "getitem",
        "index_add_zeros",
        "mul",
        "add",
        "broadcast_to",
        "pow",
        "reduce_sum",
    }
    # and the gradient is the F-order reshape of the cotangent back
    g = fad.grad(lambda x: (fnp.reshape(x, (4, 3), order="F") * np.arange(12.0).reshape(4, 3)).sum())(x)
    np.testing.assert_array_equal(g, np.reshape(np.arange(12.0).reshape(4, 3), x.shape, order="F"))


def test_order_errors_are_clear():
    with pytest.raises(ValueError, match="reshape: order must be one of 'C', 'F', 'A', got 'K'"):
        fnp.reshape(A3, -1, order="K")
    with pytest.raises(ValueError, match="ravel: order must be one of"):
        fnp.ravel(A3, order="Z")
