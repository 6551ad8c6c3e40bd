"""Reductions, scans and orderings: values and dtypes against NumPy, derivatives at zeros
(prod, cumprod), ties (max, median, sort), NaNs (nan-reductions), and NumPy's errors on
empty or degenerate inputs. The generic transform checks are in tests/records/reductions.py."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp
from fad.test_util import check_grads

X = np.array([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]])
XN = np.array([[3.0, np.nan, 2.0], [0.5, -1.0, 4.0]])


def _others(x):
    """Brute-force product of all other elements (the gradient of prod)."""
    x = np.ravel(x)
    return np.array([np.prod(np.delete(x, i)) for i in range(x.size)])


# ------------------------------------------------------------ values and dtypes


_SIMPLE = [
    "sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "ptp", "cumsum",
    "cumprod", "nansum", "nanmean", "nanmax", "nanmin", "median", "argmax", "argmin",
    "argsort", "sort", "all", "any", "count_nonzero",
]  # fmt: skip
_INPUTS = [X, XN, X.astype(np.float32), (2 * X).astype(np.int32), X > 1]


@pytest.mark.parametrize("name", _SIMPLE)
def test_values_and_dtypes_match_numpy(name):
    for x, axis in itertools.product(_INPUTS, [None, 0, -1]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                expected = getattr(np, name)(x, axis=axis)
            except TypeError:  # e.g. ptp of booleans: NumPy refuses too
                with pytest.raises(TypeError):
                    getattr(fnp, name)(x, axis=axis)
                continue
            got = getattr(fnp, name)(x, axis=axis)
        assert type(got) is type(expected), (name, x.dtype, axis)
        assert np.asarray(got).dtype == np.asarray(expected).dtype, (name, x.dtype, axis)
        np.testing.assert_allclose(got, expected, rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "nearest", "midpoint"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_quantile_matches_numpy(method, keepdims):
    for x, axis, q in itertools.product(
        [X, X.astype(np.float32), (2 * X).astype(np.int32)],
        [None, 1, (0, 1)],
        [0.3, [0.0, 0.5, 1.0], np.array([[0.2], [0.9]])],
    ):
        got = fnp.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
        expected = np.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
        assert type(got) is type(expected) and got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
        qp = 30.0 if isinstance(q, float) else np.multiply(q, 100)
        got = fnp.percentile(x, qp, axis=axis, method=method, keepdims=keepdims)
        expected = np.percentile(x, qp, axis=axis, method=method, keepdims=keepdims)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_var_std_average_match_numpy():
    for axis, keepdims, ddof in itertools.product([None, 0, (0, 1)], [False, True], [0, 1]):
        for f in ("var", "std"):
            got = getattr(fnp, f)(X, axis=axis, ddof=ddof, keepdims=keepdims)
            np.testing.assert_allclose(got, getattr(np, f)(X, axis=axis, ddof=ddof, keepdims=keepdims))
        w = X + 5
        for returned in (False, True):
            got = fnp.average(X, axis=axis, weights=w, returned=returned, keepdims=keepdims)
            exp = np.average(X, axis=axis, weights=w, returned=returned, keepdims=keepdims)
            for g, e in zip(
                np.broadcast_arrays(*np.atleast_1d(got)),
                np.broadcast_arrays(*np.atleast_1d(exp)),
                strict=True,
            ):
                np.testing.assert_allclose(g, e)
    got = fnp.average(X, axis=1, weights=[1.0, 2.0, 3.0], returned=True)
    exp = np.average(X, axis=1, weights=[1.0, 2.0, 3.0], returned=True)
    np.testing.assert_allclose(got[0], exp[0])
    np.testing.assert_allclose(got[1], exp[1])
    assert fnp.var(X.astype(np.float32)).dtype == np.float32
    assert fnp.var(np.arange(4)).dtype == np.float64


def test_numpy_functions_dispatch_on_traced_values():
    """numpy.prod(tracer) and friends reach fad.numpy through __array_function__."""
    x = np.array([2.0, 0.0, 3.0])
    np.testing.assert_allclose(fad.grad(lambda x: np.prod(x))(x), [0.0, 6.0, 0.0])
    np.testing.assert_allclose(fad.grad(lambda x: np.median(x))(np.array([3.0, 1.0, 2.0])), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(fad.grad(lambda x: np.cumsum(x).sum())(x), [3.0, 2.0, 1.0])


# ------------------------------------------------------------------- prod at zeros


@pytest.mark.parametrize(
    "x",
    [
        np.array([2.0, 0.0, 3.0, -1.5]),
        np.array([0.0, 2.0, 0.0, 3.0]),
        np.array([0.0, 0.0, 0.0]),
        np.array([0.0]),
        np.array([1.5, -2.0, 0.5]),
    ],
    ids=["one-zero", "two-zeros", "all-zeros", "single-zero", "no-zero"],
)
def test_prod_gradient_with_zeros(x):
    np.testing.assert_allclose(fad.grad(fnp.prod)(x), _others(x), atol=0)
    # second order: d2 prod / dxi dxj = product of all but i and j (0 on the diagonal)
    n = x.size
    h = np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(n)] for i in range(n)])
    np.testing.assert_allclose(fad.hessian(fnp.prod)(x), h, atol=0)
    check_grads(fnp.prod, (x,), order=3)


def test_prod_gradient_with_zeros_along_axes():
    x = np.array([[[0.0, 2.0], [3.0, 0.5]], [[0.0, 0.0], [1.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]])
    g = fad.grad(lambda x: fnp.prod(x, axis=(1, 2)).sum())(x)
    expected = np.stack([_others(s).reshape(2, 2) for s in x])
    np.testing.assert_allclose(g, expected, atol=0)
    jf = fad.jacfwd(lambda x: fnp.prod(x, axis=1))(x)
    jr = fad.jacrev(lambda x: fnp.prod(x, axis=1))(x)
    np.testing.assert_allclose(jf, jr, atol=0)
    assert np.all(np.isfinite(jf))
    g = fad.vmap(fad.grad(fnp.prod))(x.reshape(3, 4))
    np.testing.assert_allclose(g, np.stack([_others(s) for s in x.reshape(3, 4)]), atol=0)


def test_prod_gradient_keeps_float32():
    x = np.array([2.0, 0.0, 3.0], np.float32)
    g = fad.grad(fnp.prod)(x)
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g, [0.0, 6.0, 0.0])


@settings(max_examples=30, deadline=None)
@given(
    hst.lists(hst.sampled_from([0.0, 0.5, -1.0, 2.0, 3.0, -0.25]), min_size=1, max_size=9),
)
def test_prod_and_cumprod_gradients_with_random_zeros(vals):
    x = np.array(vals)
    np.testing.assert_allclose(fad.grad(fnp.prod)(x), _others(x), rtol=1e-12, atol=0)
    # d cumprod_i / d x_k = product of x_j, j <= i, j != k (for k <= i)
    n = x.size
    jac = np.array(
        [[np.prod(np.delete(x[: i + 1], k)) if k <= i else 0.0 for k in range(n)] for i in range(n)]
    )
    np.testing.assert_allclose(fad.jacrev(fnp.cumprod)(x), jac, rtol=1e-12, atol=0)
    np.testing.assert_allclose(fad.jacfwd(fnp.cumprod)(x), jac, rtol=1e-12, atol=0)


def test_cumprod_gradient_with_zeros_is_not_nan():
    x = np.array([[2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 1.0, 2.0, 3.0, 4.0]])
    g = fad.grad(lambda x: fnp.cumprod(x, axis=1).sum())(x)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g[0], [1.0, 8.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(g[1], [1 + 1 + 2 + 6 + 24, 0.0, 0.0, 0.0, 0.0])
    check_grads(lambda x: fnp.cumprod(x, axis=1), (x,), order=3)


# ----------------------------------------------------------------------------- ties


def test_max_ties_split_evenly():
    x = np.array([1.0, 3.0, 3.0, -2.0, 3.0])
    np.testing.assert_allclose(fad.grad(fnp.max)(x), [0, 1 / 3, 1 / 3, 0, 1 / 3])
    np.testing.assert_allclose(fad.grad(fnp.min)(-x), [0, 1 / 3, 1 / 3, 0, 1 / 3])
    np.testing.assert_allclose(fad.grad(fnp.nanmax)(np.append(x, np.nan)), [0, 1 / 3, 1 / 3, 0, 1 / 3, 0])
    np.testing.assert_allclose(fad.grad(fnp.ptp)(np.array([1.0, 1.0, 5.0])), [-0.5, -0.5, 1.0])


def test_median_and_sort_with_ties():
    x = np.array([2.0, 1.0, 2.0, 2.0, 5.0])
    g = fad.grad(fnp.median)(x)
    assert g.sum() == pytest.approx(1.0)
    assert np.all(g[[1, 4]] == 0) and np.all(g >= 0)  # only tied middle values get it
    # sort: the derivative is a permutation of the cotangents, even at ties
    ct = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    _, f_vjp = fad.vjp(fnp.sort, x)
    (back,) = f_vjp(ct)
    assert sorted(back) == sorted(ct)
    assert back[1] == 10.0 and back[4] == 50.0


def test_median_gradient_flows_to_order_statistics():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    np.testing.assert_allclose(fad.grad(fnp.median)(x), [0, 0, 0.5, 0.5])
    np.testing.assert_allclose(fad.grad(lambda x: fnp.quantile(x, 0.25))(x), [0, 0.25, 0, 0.75])
    np.testing.assert_allclose(fad.grad(lambda x: fnp.percentile(x, 100))(x), [1, 0, 0, 0])
    np.testing.assert_allclose(fad.grad(lambda x: fnp.quantile(x, 0.25, method="lower"))(x), [0, 1, 0, 0])
    # batched over rows, with q of several levels
    xs = np.array([[4.0, 1.0, 3.0, 2.0], [0.0, -1.0, 5.0, 7.0]])
    j = fad.vmap(fad.jacrev(lambda x: fnp.quantile(x, [0.5, 1.0])))(xs)
    np.testing.assert_allclose(j[0], [[0, 0, 0.5, 0.5], [1, 0, 0, 0]])
    np.testing.assert_allclose(j[1], [[0.5, 0, 0.5, 0], [0, 0, 0, 1]])


# ------------------------------------------------------------------------------ NaNs


@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin"])
def test_nan_entries_get_zero_gradient(name):
    f = getattr(fnp, name)
    g = fad.grad(lambda x: f(x))(XN)
    assert np.all(np.isfinite(g)) and g[0, 1] == 0.0
    g = fad.grad(lambda x: f(x, axis=1).sum())(XN)
    assert np.all(np.isfinite(g)) and g[0, 1] == 0.0
    _, t = fad.jvp(lambda x: f(x, axis=0), (XN,), (np.ones_like(XN),))
    assert np.all(np.isfinite(t))


def test_all_nan_slices():
    x = np.array([[np.nan, np.nan], [1.0, 2.0]])
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        r = fnp.nanmax(x, axis=1)
    np.testing.assert_array_equal(r, [np.nan, 2.0])
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        g = fad.grad(lambda x: fnp.nansum(fnp.nanmin(x, axis=1)))(x)
    np.testing.assert_array_equal(g, [[0, 0], [1, 0]])
    assert np.isnan(fnp.median(np.array([1.0, np.nan, 2.0])))
    assert np.isnan(fnp.quantile(np.array([1.0, np.nan, 2.0]), 0.1))


# ----------------------------------------------------------- empty and degenerate


def _same_error(f_fad, f_np, exc):
    with pytest.raises(exc) as e_np:
        f_np()
    with pytest.raises(exc):
        f_fad()
    return e_np


@pytest.mark.parametrize(
    "name, call, exc",
    [
        ("max", lambda m: m.max(np.ones((2, 0)), axis=1), ValueError),
        ("nanmin", lambda m: m.nanmin(np.ones(0)), ValueError),
        ("ptp", lambda m: m.ptp(np.ones(0)), ValueError),
        ("argmax", lambda m: m.argmax(np.ones(0)), ValueError),
        ("argmin-axis", lambda m: m.argmin(np.ones((2, 0)), axis=1), ValueError),
        ("quantile-empty", lambda m: m.quantile(np.ones(0), 0.5), IndexError),
        ("quantile-range", lambda m: m.quantile(np.ones(3), 1.5), ValueError),
        ("percentile-range", lambda m: m.percentile(np.ones(3), -1), ValueError),
        ("quantile-method", lambda m: m.quantile(np.ones(3), 0.5, method="no-such"), ValueError),
        ("average-zero-weights", lambda m: m.average(np.ones(3), weights=np.zeros(3)), ZeroDivisionError),
        ("average-no-axis", lambda m: m.average(np.ones((2, 3)), weights=np.ones(3)), TypeError),
        ("average-bad-weights", lambda m: m.average(np.ones((2, 3)), axis=1, weights=np.ones(2)), ValueError),
        ("sort-axis", lambda m: m.sort(np.ones((2, 3)), axis=2), np.exceptions.AxisError),
        ("cumsum-axis", lambda m: m.cumsum(np.ones(3), axis=1), np.exceptions.AxisError),
        ("var-ddof-and-correction", lambda m: m.var(np.ones(3), ddof=1, correction=1), ValueError),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_errors_like_numpy(name, call, exc):
    _same_error(lambda: call(fnp), lambda: call(np), exc)


def test_degenerate_values_like_numpy():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(fnp.median(np.ones(0)))
    with pytest.warns(RuntimeWarning):
        np.testing.assert_array_equal(fnp.median(np.ones((2, 0)), axis=1), [np.nan, np.nan])
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"), np.errstate(invalid="ignore"):
        assert np.isnan(fnp.var(np.ones(2), ddof=3))
    for f in ("all", "any", "count_nonzero", "sum", "prod"):
        for axis in (None, 0, 1):
            got, exp = getattr(fnp, f)(np.ones((0, 2)), axis=axis), getattr(np, f)(np.ones((0, 2)), axis=axis)
            assert type(got) is type(exp) and got.dtype == exp.dtype and np.shape(got) == np.shape(exp), (
                f,
                axis,
            )
            np.testing.assert_array_equal(got, exp)
    np.testing.assert_array_equal(fnp.cumprod(np.ones(0)), np.cumprod(np.ones(0)))
    np.testing.assert_array_equal(fnp.sort(np.ones((2, 0))), np.ones((2, 0)))
    assert fad.grad(fnp.prod)(np.array(3.0)) == 1.0


def test_traced_q_is_a_clear_error():
    with pytest.raises(TypeError, match="concrete quantile levels"):
        fad.grad(lambda q: fnp.quantile(np.arange(3.0), q))(0.5)


def test_argmax_and_logical_under_transforms_have_no_derivative():
    def f(x):
        i = fnp.argmax(x)
        return x[0] * fnp.count_nonzero(x) + fnp.all(x > -5) * 0.0 + 0.0 * i

    g = fad.grad(f)(np.array([1.0, 0.0, 3.0]))
    np.testing.assert_array_equal(g, [2.0, 0.0, 0.0])


@pytest.mark.parametrize("keepdims", [False, True])
def test_extreme_weights_batched_any_way(keepdims):
    """max/min's tie weights (one primitive) under vmap of x, of the extreme, or of both."""
    from fad._core import bind
    from fad._prims.reductions import extreme_weights_p

    x = np.array([[[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], [[5.0, 5.0, 5.0], [0.0, 1.0, -1.0]]])  # ties
    ans = x.max(axis=2, keepdims=keepdims)

    def w(x, a):
        return bind(extreme_weights_p, x, a, axes=(1,), keepdims=keepdims)

    want = np.stack([w(x[i], ans[i]) for i in range(2)])
    np.testing.assert_allclose(want.sum(axis=2), 1.0)
    np.testing.assert_allclose(fad.vmap(w)(x, ans), want)
    np.testing.assert_allclose(
        fad.vmap(w, (0, None))(x, ans[0]), np.stack([w(x[i], ans[0]) for i in range(2)])
    )
    np.testing.assert_allclose(
        fad.vmap(w, (None, 0))(x[0], ans), np.stack([w(x[0], ans[i]) for i in range(2)])
    )
