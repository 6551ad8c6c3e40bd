"""The rest of NumPy's callables in fad.numpy, beyond their records: values against NumPy
over the options the records do not vary, derivatives that records cannot check (through
repeated elements, of roots), and the clear errors of what cannot be transformed."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fad
import fad.numpy as fnp
from fad.test_util import check_grads

# ---------------------------------------------------------------------------- sets


def test_unique_derivative_goes_to_the_first_occurrence():
    x = np.array([3.0, 1.0, 3.0, 2.0, 1.0])
    g = fad.grad(lambda x: fnp.unique(x) @ np.array([1.0, 10.0, 100.0]))(x)
    np.testing.assert_array_equal(g, [100.0, 1.0, 0.0, 10.0, 0.0])
    vals, inv = fnp.unique(x, return_inverse=True)
    np.testing.assert_array_equal(vals[inv], x)


@pytest.mark.parametrize(
    "name", ["unique", "unique_values", "intersect1d", "setdiff1d", "union1d", "compress", "trim_zeros"]
)
def test_value_dependent_shapes_are_a_clear_error_under_vmap_and_jit(name):
    x = np.array([[1.0, 0.0, 1.0], [2.0, 2.0, 0.0]])
    f = {
        "unique": fnp.unique,
        "unique_values": fnp.unique_values,
        "intersect1d": lambda v: fnp.intersect1d(v, v[:1]),
        "setdiff1d": lambda v: fnp.setdiff1d(v, v[:1]),
        "union1d": lambda v: fnp.union1d(v, v),
        "compress": lambda v: fnp.compress(v > 0.5, v),
        "trim_zeros": fnp.trim_zeros,
    }[name]
    for transform in (fad.vmap(f), lambda v: fad.jit(f)(v[0])):
        with pytest.raises(fad.TracerConversionError, match="shape of its result depends on the values"):
            transform(x)


@given(
    st.lists(st.integers(-3, 3), min_size=1, max_size=8), st.lists(st.integers(-3, 3), min_size=1, max_size=8)
)
@settings(max_examples=40, deadline=None)
def test_set_operations_equal_numpys(a, b):
    a, b = np.array(a, float), np.array(b, float)
    for name in ("intersect1d", "setdiff1d", "setxor1d", "union1d"):
        np.testing.assert_array_equal(getattr(fnp, name)(a, b), getattr(np, name)(a, b), err_msg=name)
    np.testing.assert_array_equal(fnp.isin(a, b), np.isin(a, b))
    for got, want in zip(fnp.unique_all(a), np.unique_all(a), strict=True):
        np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------- histograms

RNG = np.random.default_rng(0)
DATA = RNG.normal(size=40)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"bins": 7},
        {"bins": "auto"},
        {"bins": [-2.0, -0.5, 0.0, 3.0]},
        {"range": (-1, 1)},
        {"density": True},
    ],
)
def test_histogram_equals_numpys(kw):
    for weights in (None, RNG.uniform(size=40)):
        if weights is not None and kw.get("bins") == "auto":
            with pytest.raises(TypeError, match="weighted"):
                fnp.histogram(DATA, weights=weights, **kw)
            continue
        got, want = fnp.histogram(DATA, weights=weights, **kw), np.histogram(DATA, weights=weights, **kw)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype
            np.testing.assert_allclose(g, w, rtol=1e-12)


def test_histogram2d_and_dd_equal_numpys():
    x, y, z = RNG.normal(size=(3, 30))
    for bins in (4, [3, 5], np.array([-1.0, 0.0, 2.0])):
        for g, w in zip(fnp.histogram2d(x, y, bins), np.histogram2d(x, y, bins), strict=True):
            np.testing.assert_allclose(g, w)
    got, want = (
        fnp.histogramdd(np.stack([x, y, z], 1), (2, 3, 4)),
        np.histogramdd(np.stack([x, y, z], 1), (2, 3, 4)),
    )
    np.testing.assert_allclose(got[0], want[0])
    for g, w in zip(got[1], want[1], strict=True):
        np.testing.assert_allclose(g, w)


def test_histogram_counts_have_no_derivative_in_the_data_and_batch():
    assert not np.any(fad.jacfwd(lambda a: fnp.histogram(a, bins=3)[0].astype(float))(DATA[:6]))
    batch = RNG.normal(size=(3, 10))
    got = fad.vmap(lambda a: fnp.histogram(a, bins=4)[0])(batch)
    np.testing.assert_array_equal(got, np.stack([np.histogram(b, bins=4)[0] for b in batch]))


def test_histogram_refuses_traced_bins_and_range():
    with pytest.raises(TypeError, match="bins is a traced value"):
        fad.grad(lambda e: fnp.histogram(DATA, bins=e)[0].sum() * 1.0)(np.array([-1.0, 0.0, 1.0]))
    with pytest.raises(TypeError, match="range is a traced value"):
        fad.grad(lambda r: fnp.histogram(DATA, range=(r, 2.0))[0].sum() * 1.0)(-1.0)


def test_bincount_weights_differentiate():
    check_grads(lambda w: fnp.bincount(np.array([1, 1, 3]), w), (np.array([0.5, 2.0, -1.0]),), order=2)
    np.testing.assert_array_equal(
        fnp.bincount(np.array([1, 1, 3]), minlength=6), np.bincount([1, 1, 3], minlength=6)
    )


# --------------------------------------------------------------------- polynomials


def test_roots_equal_numpys_and_differentiate_as_implicit_function():
    for p in ([1.0, -6.0, 11.0, -6.0], [0.0, 2.0, 0.0, 0.0, -8.0, 0.0], [1.0, 0.0, 1.0], [5.0]):
        np.testing.assert_allclose(np.sort_complex(fnp.roots(p)), np.sort_complex(np.roots(p)), atol=1e-12)
    p = np.array([1.0, -6.0, 11.0, -6.0])  # roots 1, 2, 3
    jac = fad.jacfwd(lambda p: fnp.sort(fnp.roots(p)))(p)
    r = np.array([1.0, 2.0, 3.0])
    dp = np.polyval(np.polyder(p), r)
    want = -(r[:, None] ** np.arange(3, -1, -1)[None, :]) / dp[:, None]  # dr/dp_k = -r^(n-k) / p'(r)
    np.testing.assert_allclose(jac, want, atol=1e-10)


def test_polyfit_full_and_cov_equal_numpys():
    x, y = np.linspace(0, 1, 9), RNG.normal(size=9)
    for kw in ({"full": True}, {"cov": True}, {"cov": "unscaled"}, {"w": RNG.uniform(0.5, 1, 9)}):
        got, want = fnp.polyfit(x, y, 3, **kw), np.polyfit(x, y, 3, **kw)
        for g, w in zip(
            got if isinstance(got, tuple) else [got], want if isinstance(want, tuple) else [want], strict=True
        ):
            np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-12)
    check_grads(lambda x, y: fnp.polyfit(x, y, 2, cov=True)[1], (x, y), order=1)


@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**16))
@settings(max_examples=30, deadline=None)
def test_polydiv_and_polymul_equal_numpys(n, m, seed):
    rng = np.random.default_rng(seed)
    u, v = rng.normal(size=n), rng.normal(size=m) + 3.0 * (np.arange(m) == 0)
    for g, w in zip(fnp.polydiv(u, v), np.polydiv(u, v), strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fnp.polymul(u, v), np.polymul(u, v))
    np.testing.assert_allclose(fnp.poly(u), np.poly(u), atol=1e-12)


# ------------------------------------------------------------------ elementwise


def test_i0_accuracy_and_derivatives():
    x = np.concatenate([np.linspace(-30, 30, 601), [16.99, 17.0, 17.01, 100.0, 700.0]])
    np.testing.assert_allclose(fnp.i0(x), np.i0(x), rtol=2e-15)
    special = pytest.importorskip("scipy.special")
    np.testing.assert_allclose(fad.vmap(fad.grad(fnp.i0))(x), special.i1(x), rtol=2e-14, atol=1e-300)
    y = x[x != 0]
    np.testing.assert_allclose(
        fad.vmap(fad.grad(fad.grad(fnp.i0)))(y), special.i0(y) - special.i1(y) / y, rtol=1e-13
    )
    assert fad.grad(fad.grad(fnp.i0))(0.0) == 0.5


@given(st.floats(-1e300, 1e300, allow_nan=False).filter(lambda v: v != 0), st.integers(-60, 60))
@settings(max_examples=60, deadline=None)
def test_frexp_ldexp_modf_divmod_equal_numpys(x, k):
    for g, w in zip(fnp.frexp(x), np.frexp(x), strict=True):
        assert g == w and np.asarray(g).dtype == np.asarray(w).dtype
    assert fnp.ldexp(x, k) == np.ldexp(x, k)
    for g, w in zip(fnp.modf(x), np.modf(x), strict=True):
        assert g == w
    for g, w in zip(fnp.divmod(x, 3.5), np.divmod(x, 3.5), strict=True):
        assert g == w
    assert fnp.nextafter(x, 0.0) == np.nextafter(x, 0.0) and fnp.spacing(x) == np.spacing(x)


def test_bitwise_and_integer_functions_equal_numpys():
    a, b = np.array([12, -7, 255, 0]), np.array([10, 3, 1, 5])
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "gcd", "lcm"):
        got, want = getattr(fnp, name)(a, b), getattr(np, name)(a, b)
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype
    for name in ("invert", "bitwise_not", "bitwise_invert", "bitwise_count"):
        np.testing.assert_array_equal(getattr(fnp, name)(a), getattr(np, name)(a))
    np.testing.assert_array_equal(fad.vmap(lambda v: fnp.bitwise_and(v, 6))(a[:, None]), (a & 6)[:, None])


@given(st.integers(1, 7), st.integers(1, 7), st.sampled_from(["full", "same", "valid"]), st.booleans())
@settings(max_examples=60, deadline=None)
def test_convolve_correlate_equal_numpys(n, m, mode, cplx):
    rng = np.random.default_rng(n * 10 + m)
    a, v = rng.normal(size=n), rng.normal(size=m)
    if cplx:
        a, v = a + 1j * rng.normal(size=n), v - 1j * rng.normal(size=m)
    np.testing.assert_allclose(fnp.convolve(a, v, mode), np.convolve(a, v, mode), atol=1e-12)
    np.testing.assert_allclose(fnp.correlate(a, v, mode), np.correlate(a, v, mode), atol=1e-12)


def test_gradient_and_unwrap_equal_numpys():
    f, x = RNG.normal(size=(4, 6)), np.cumsum(RNG.uniform(0.2, 1.0, 6))
    for args, kw in (
        ((), {}),
        ((x,), {"axis": 1, "edge_order": 2}),
        ((0.5, x), {}),
        ((2.0,), {"edge_order": 2}),
    ):
        got, want = fnp.gradient(f, *args, **kw), np.gradient(f, *args, **kw)
        for g, w in zip(
            got if isinstance(got, tuple) else [got], want if isinstance(want, tuple) else [want], strict=True
        ):
            np.testing.assert_allclose(g, w, rtol=1e-12)
    p = np.cumsum(RNG.normal(size=(3, 30)) * 2, axis=1)
    np.testing.assert_allclose(fnp.unwrap(p), np.unwrap(p))
    np.testing.assert_allclose(
        fnp.unwrap(p, discont=4.0, axis=1, period=5.0), np.unwrap(p, 4.0, 1, period=5.0)
    )


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "nearest", "midpoint"])
def test_nan_quantiles_equal_numpys(method):
    a = RNG.normal(size=(4, 7))
    a[RNG.uniform(size=a.shape) < 0.3] = np.nan
    a[1] = np.nan
    with pytest.warns(RuntimeWarning, match="All-NaN"):
        got = fnp.nanquantile(a, [0.1, 0.5, 0.9], axis=1, method=method, keepdims=True)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        want = np.nanquantile(a, [0.1, 0.5, 0.9], axis=1, method=method, keepdims=True)
    np.testing.assert_allclose(got, want, equal_nan=True)


# ---------------------------------------------------------- sorting and indexing


@given(st.lists(st.floats(-5, 5), min_size=1, max_size=10), st.data())
@settings(max_examples=40, deadline=None)
def test_partition_places_the_kth_element(values, data):
    a = np.array(values)
    k = data.draw(st.integers(0, len(a) - 1))
    p = fnp.partition(a, k)
    assert p[k] == np.sort(a)[k] and np.all(p[:k] <= p[k]) and np.all(p[k + 1 :] >= p[k])
    assert a[fnp.argpartition(a, k)][k] == np.sort(a)[k]
    keys = [np.round(a), a]
    np.testing.assert_array_equal(fnp.lexsort(keys), np.lexsort(keys))


def test_put_along_axis_in_place_and_functional():
    a, idx = np.zeros((2, 3)), np.array([[2], [0]])
    assert fnp.put_along_axis(a, idx, 5.0, axis=1) is None
    np.testing.assert_array_equal(a, [[0, 0, 5], [5, 0, 0]])
    with pytest.raises(TypeError, match="inplace=False"):
        fad.grad(lambda v: fnp.put_along_axis(np.zeros((2, 3)), idx, v, axis=1))(1.0)
    g = fad.grad(lambda v: fnp.put_along_axis(np.ones((2, 3)), idx, v, axis=1, inplace=False).sum())(
        np.ones((2, 1))
    )
    np.testing.assert_array_equal(g, np.ones((2, 1)))


def test_index_objects_equal_numpys():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    cases = [
        (lambda m: m.r_[x, 0:3, 7.0]),
        (lambda m: m.r_[-1:1:5j]),
        (lambda m: m.c_[x, y]),
        (lambda m: m.r_["0,2", x, y]),
        (lambda m: m.r_["-1,2,0", x, y]),
        (lambda m: m.c_[np.ones((2, 2)), y]),
    ]
    for case in cases:
        np.testing.assert_array_equal(case(fnp), case(np))
    assert fad.grad(lambda v: fnp.c_[v, 2 * v].sum())(x).tolist() == [3.0, 3.0]
    np.testing.assert_array_equal(
        fnp.ix_([0, 1], [True, False, True])[1], np.ix_([0, 1], [True, False, True])[1]
    )


def test_ravel_and_unravel_index_round_trip_under_vmap():
    flat = np.arange(12).reshape(3, 4)
    for order in ("C", "F"):
        got = fad.vmap(
            lambda i, order=order: fnp.ravel_multi_index(
                fnp.unravel_index(i, (3, 4), order), (3, 4), order=order
            )
        )(flat)
        np.testing.assert_array_equal(got, flat)
    with pytest.raises(ValueError, match="invalid entry"):
        fnp.ravel_multi_index((np.array([3]), np.array([0])), (3, 4))


def test_piecewise_gives_each_function_its_elements_only():
    x = np.array([-1.0, 0.5, 2.0])
    f = lambda x: fnp.piecewise(x, [x > 0], [fnp.log, 0.0])  # noqa: E731 - log never sees -1
    np.testing.assert_array_equal(fad.grad(lambda x: f(x).sum())(x), [0.0, 2.0, 0.5])
    np.testing.assert_allclose(fad.vmap(f)(x[:, None])[:, 0], np.piecewise(x, [x > 0], [np.log, 0.0]))


def test_apply_along_axis_and_over_axes_equal_numpys():
    a = RNG.normal(size=(2, 3, 4))
    for fn in (lambda v: v.sum(), lambda v: v[:2] * 2, lambda v: np.outer(v, v)):
        np.testing.assert_allclose(fnp.apply_along_axis(fn, 1, a), np.apply_along_axis(fn, 1, a))
    np.testing.assert_allclose(fnp.apply_over_axes(fnp.sum, a, [0, 2]), np.apply_over_axes(np.sum, a, [0, 2]))
    check_grads(lambda a: fnp.apply_along_axis(lambda v: fnp.prod(v), 2, a), (a,), order=2)


def test_windows_and_kaiser_derivative():
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        for m in (0, 1, 2, 7):
            np.testing.assert_allclose(getattr(fnp, name)(m), getattr(np, name)(m), atol=1e-15)
    check_grads(lambda b: fnp.kaiser(7, b), (2.5,), order=2)


@given(st.lists(st.sampled_from([0.0, 1.5, -2.0, 3.0, np.nan]), min_size=1, max_size=9), st.integers(1, 7))
@settings(max_examples=60, deadline=None)
def test_unique_with_size_is_numpys_padded_and_runs_under_jit(values, size):
    x = np.array(values)
    want_v, want_i, want_inv, want_c = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True
    )
    k = min(size, len(want_v))
    for f in (
        fnp.unique,
        fad.jit(
            fnp.unique,
            static_argnames=("size", "fill_value", "return_index", "return_inverse", "return_counts"),
        ),
    ):
        v, i, inv, c = f(
            x, return_index=True, return_inverse=True, return_counts=True, size=size, fill_value=9.0
        )
        np.testing.assert_array_equal(v[:k], want_v[:k])
        assert np.all(v[k:] == 9.0)
        np.testing.assert_array_equal(i[:k], want_i[:k])
        np.testing.assert_array_equal(c[:k], want_c[:k])
        np.testing.assert_array_equal(inv, want_inv)
