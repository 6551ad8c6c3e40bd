"""Records for the rest of NumPy's callables: sets, histograms, polynomials (mul, div, fit,
roots), windows, indexing and functional routines, bitwise and dtype queries, floating-point
representation, ``i0``, convolution, ``gradient`` and the NaN-ignoring quantiles.

Functions whose result's shape depends on the values (``unique*``, set operations,
``compress``, ``extract``, ``trim_zeros``, ``bincount``) read a concrete value: they run
under grad/jvp/vjp and refuse vmap and jit with a clear error, so their records check no
vmap (tests/test_jit_records.py lists them as data-dependent)."""

import numpy as np

import fad.numpy as fnp
from tests.records import Rec


def _ints(shape=(2, 3), lo=0, hi=16):
    return lambda rng: (rng.uniform(-1, 1, shape), rng.integers(lo, hi, shape))


def _rep(x):
    """``x`` with its first two entries repeated (the same traced values)."""
    return fnp.concatenate([x, x[1::-1]])


def _join(x, y):
    """``x`` and the first two entries of ``y``: shares them with ``y``."""
    return fnp.concatenate([x, y[:2]])


def _with_nans(rng):
    a = rng.normal(size=(3, 5))
    a[0, 1] = a[2, 3] = a[2, 0] = np.nan
    return (a,)


SORTED = np.array([-1.5, -0.5, 0.25, 1.0])

RECORDS = [
    # sets: the values are gathered, so they differentiate as the gather. Repeated and shared
    # elements are the same traced entries (concatenated twice), so finite differences move
    # them together and the sets keep their shape.
    Rec("numpy.unique", lambda x: fnp.unique(_rep(x)), [(5,)], vmap=False),
    Rec(
        "numpy.unique",
        lambda x: fnp.unique(_rep(x), return_counts=True)[1] * fnp.unique(_rep(x)),
        [(5,)],
        vmap=False,
        variant="counts",
    ),
    Rec(
        "numpy.unique",
        lambda x: fnp.unique(fnp.concatenate([x, x[:1]]), axis=0),
        [(3, 2)],
        vmap=False,
        variant="axis",
    ),
    # with size= (as in JAX): a static shape, so vmap and jit too
    Rec("numpy.unique", lambda x: fnp.unique(_rep(x), size=6, fill_value=-3.0), [(5,)], variant="size"),
    Rec(
        "numpy.unique",
        lambda x: (
            fnp.unique(_rep(x), return_counts=True, size=4)[0]
            * fnp.unique(_rep(x), return_counts=True, size=4)[1]
        ),
        [(5,)],
        variant="size-counts",
    ),
    Rec("numpy.unique_values", lambda x: fnp.unique_values(_rep(x)), [(5,)], vmap=False),
    Rec(
        "numpy.unique_counts",
        lambda x: fnp.unique_counts(_rep(x)).values * fnp.unique_counts(_rep(x)).counts,
        [(5,)],
        vmap=False,
    ),
    Rec(
        "numpy.unique_inverse",
        lambda x: fnp.unique_inverse(_rep(x)).values[fnp.unique_inverse(_rep(x)).inverse_indices],
        [(5,)],
        vmap=False,
    ),
    Rec(
        "numpy.unique_all",
        lambda x: fnp.unique_all(_rep(x)).values * fnp.unique_all(_rep(x)).counts,
        [(5,)],
        vmap=False,
    ),
    Rec(
        "numpy.isin",
        lambda x, y: fnp.where(fnp.isin(_join(x, y), y), _join(x, y), -_join(x, y)),
        [(4,), (3,)],
    ),
    Rec(
        "numpy.isin",
        lambda x, y: fnp.isin(_join(x, y), y, invert=True) * _join(x, y),
        [(4,), (3,)],
        variant="invert",
    ),
    Rec("numpy.intersect1d", lambda x, y: fnp.intersect1d(_join(x, y), y), [(4,), (3,)], vmap=False),
    Rec("numpy.setdiff1d", lambda x, y: fnp.setdiff1d(_join(x, y), y), [(4,), (3,)], vmap=False),
    Rec("numpy.setxor1d", lambda x, y: fnp.setxor1d(_join(x, y), y), [(4,), (3,)], vmap=False),
    Rec("numpy.union1d", lambda x, y: fnp.union1d(_join(x, y), y), [(4,), (3,)], vmap=False),
    # histograms: counts have no derivative in the data; weights and density do
    Rec("numpy.histogram", lambda a: fnp.histogram(a, bins=4, range=(-2.0, 2.0))[0] * 1.0 + a[:4], [(20,)]),
    Rec(
        "numpy.histogram",
        lambda a, w: fnp.histogram(a, bins=SORTED, weights=w)[0],
        [(12,), (12,)],
        variant="weights",
    ),
    Rec(
        "numpy.histogram",
        lambda a: fnp.histogram(a, bins=3, density=True)[0],
        [(12,)],
        make_args=lambda r: (np.linspace(-1, 1, 12) + r.uniform(-0.02, 0.02, 12),),
        variant="density",
    ),
    Rec("numpy.histogram_bin_edges", lambda a: fnp.histogram_bin_edges(a, bins=5), [(8,)]),
    Rec(
        "numpy.histogram2d",
        lambda x, y, w: fnp.histogram2d(x, y, bins=3, range=[(-2, 2), (-2, 2)], weights=w)[0],
        [(10,), (10,), (10,)],
    ),
    Rec(
        "numpy.histogramdd",
        lambda s, w: fnp.histogramdd(s, bins=(2, 3), range=[(-2, 2), (-2, 2)], weights=w)[0],
        [(10, 2), (10,)],
    ),
    Rec("numpy.bincount", lambda w: fnp.bincount(np.array([0, 2, 2, 5]), w, minlength=7), [(4,)], vmap=False),
    # polynomials
    Rec("numpy.polymul", fnp.polymul, [(3,), (2,)]),
    Rec("numpy.polydiv", lambda u, v: fnp.polydiv(u, v)[0], [(5,), (3,)], domain=(0.5, 2.0)),
    Rec(
        "numpy.polydiv",
        lambda u, v: fnp.polydiv(u, v)[1],
        [(5,), (3,)],
        domain=(0.5, 2.0),
        vmap=False,
        variant="remainder",
    ),
    Rec(
        "numpy.polyfit",
        lambda x, y: fnp.polyfit(x, y, 2),
        make_args=lambda r: (np.linspace(-1, 1, 7) + r.uniform(-0.05, 0.05, 7), r.normal(size=7)),
    ),
    Rec(
        "numpy.polyfit",
        lambda x, y, w: fnp.polyfit(x, y, 1, w=w),
        make_args=lambda r: (np.linspace(-1, 1, 6), r.normal(size=(6, 2)), r.uniform(0.5, 1.5, 6)),
        variant="weighted-2d",
    ),
    Rec("numpy.poly", fnp.poly, [(3,)]),
    Rec(
        "numpy.roots",
        lambda p: fnp.roots(p, strip_zeros=False),
        orders=1,
        make_args=lambda r: (np.poly(np.array([-1.0, 0.5, 2.0]) + r.uniform(-0.1, 0.1, 3)),),
        variant="no-stripping",
    ),
    # eigvals of the companion matrix: first derivatives (as eigvals)
    Rec(
        "numpy.roots",
        lambda p: fnp.roots(p),
        orders=1,
        make_args=lambda r: (np.poly(np.array([-1.0, 0.5, 2.0]) + r.uniform(-0.1, 0.1, 3)),),
        vmap=False,
    ),
    # windows
    Rec("numpy.bartlett", lambda x: x * fnp.bartlett(5), [(5,)]),
    Rec("numpy.blackman", lambda x: x * fnp.blackman(5), [(5,)]),
    Rec("numpy.hamming", lambda x: x * fnp.hamming(5), [(5,)]),
    Rec("numpy.hanning", lambda x: x * fnp.hanning(5), [(5,)]),
    Rec("numpy.kaiser", lambda beta: fnp.kaiser(6, beta), [()], domain=(0.5, 8.0)),
    # elementwise
    Rec("numpy.i0", fnp.i0, [(2, 3)], domain=(-4.0, 4.0)),
    Rec("numpy.i0", fnp.i0, [(4,)], domain=(15.0, 25.0), rtol=1e-4, variant="both-sides-of-the-switch"),
    Rec(
        "numpy.modf",
        lambda x: fnp.modf(x)[0] + fnp.modf(x)[1],
        [(2, 3)],
        make_args=lambda r: (r.uniform(0.1, 0.9, 6).reshape(2, 3) + r.integers(-3, 3, (2, 3)),),
    ),
    Rec(
        "numpy.divmod",
        lambda x, y: fnp.divmod(x, y)[1] + fnp.divmod(x, y)[0],
        [(3,), (3,)],
        make_args=lambda r: (r.uniform(0.1, 0.9, 3) + r.integers(1, 5, 3), r.uniform(1.5, 2.5, 3)),
    ),
    Rec(
        "numpy.frexp",
        lambda x: fnp.frexp(x)[0] * fnp.frexp(x)[1],
        [(2, 3)],
        make_args=lambda r: (r.uniform(0.6, 0.9, (2, 3)) * 2.0 ** r.integers(-3, 4, (2, 3)),),
    ),
    Rec("numpy.ldexp", lambda x, k: fnp.ldexp(x, k), make_args=_ints((2, 3), -4, 5)),
    Rec("numpy.nextafter", lambda x, y: fnp.nextafter(x, y), [(3,), (3,)], orders=0),
    Rec("numpy.spacing", fnp.spacing, [(3,)], orders=0),
    # convolution and phase
    Rec("numpy.convolve", fnp.convolve, [(5,), (3,)]),
    Rec("numpy.convolve", lambda a, v: fnp.convolve(a, v, "same"), [(3,), (4,)], variant="same"),
    Rec("numpy.convolve", lambda a, v: fnp.convolve(a, v, "valid"), [(5,), (2,)], variant="valid"),
    Rec("numpy.correlate", fnp.correlate, [(5,), (3,)]),
    Rec("numpy.correlate", lambda a, v: fnp.correlate(a, v, "full"), [(2,), (4,)], variant="full"),
    Rec(
        "numpy.unwrap",
        fnp.unwrap,
        [(2, 6)],
        domain=(-3.0, 3.0),
        make_args=lambda r: (np.cumsum(r.uniform(1.0, 2.0, (2, 6)), axis=1),),
    ),
    Rec("numpy.gradient", fnp.gradient, [(6,)]),
    Rec(
        "numpy.gradient",
        lambda f, x: fnp.gradient(f, x, edge_order=2),
        [(6,), (6,)],
        make_args=lambda r: (r.normal(size=6), np.cumsum(r.uniform(0.5, 1.0, 6))),
        variant="coordinates-2",
    ),
    Rec("numpy.gradient", lambda f: fnp.gradient(f, 0.5, 2.0)[1], [(3, 4)], variant="2d"),
    # NaN-ignoring quantiles
    Rec("numpy.nanmedian", lambda a: fnp.nanmedian(a, axis=1), make_args=_with_nans),
    Rec("numpy.nanquantile", lambda a: fnp.nanquantile(a, [0.3, 0.8], axis=1), make_args=_with_nans),
    Rec(
        "numpy.nanpercentile",
        lambda a: fnp.nanpercentile(a, 40, axis=0, method="midpoint"),
        make_args=_with_nans,
    ),
    # sorting
    Rec("numpy.partition", lambda a: fnp.partition(a, 2)[..., 2], [(2, 5)]),
    Rec(
        "numpy.partition",
        lambda a: fnp.sort(fnp.partition(a, (1, 3), axis=0), axis=0),
        [(5, 2)],
        variant="sorted",
    ),
    Rec("numpy.argpartition", lambda a: fnp.take_along_axis(a, fnp.argpartition(a, 1), -1)[..., 1], [(2, 4)]),
    Rec("numpy.lexsort", lambda a, b: fnp.take(a, fnp.lexsort([a, fnp.round(b)])), [(6,), (6,)]),
    # indexing routines
    Rec("numpy.choose", lambda a, b: fnp.choose(np.array([[0, 1, 0], [1, 1, 0]]), [a, b]), [(2, 3), (3,)]),
    Rec(
        "numpy.choose",
        lambda a, b: fnp.choose(np.array([0, 3, -1]), [a, b], mode="wrap"),
        [(3,), (3,)],
        variant="wrap",
    ),
    Rec("numpy.compress", lambda a: fnp.compress([True, False, True], a, axis=1), [(2, 3)], vmap=False),
    Rec("numpy.extract", lambda a: fnp.extract(np.array([[1, 0, 1], [0, 1, 0]]), a), [(2, 3)], vmap=False),
    Rec("numpy.ix_", lambda a: a[fnp.ix_([0, 2], [1, 0])], [(3, 2)]),
    Rec("numpy.mask_indices", lambda a: a[fnp.mask_indices(3, fnp.triu, 1)], [(3, 3)]),
    Rec(
        "numpy.put_along_axis",
        lambda a, v: fnp.put_along_axis(a, np.array([[2], [0]]), v, axis=1, inplace=False),
        [(2, 3), (2, 1)],
    ),
    Rec("numpy.fill_diagonal", lambda a, v: fnp.fill_diagonal(a, v, inplace=False), [(3, 4), (3,)]),
    Rec(
        "numpy.fill_diagonal",
        lambda a, v: fnp.fill_diagonal(a, v, wrap=True, inplace=False),
        [(7, 3), (2,)],
        variant="wrap",
    ),
    Rec("numpy.put", lambda a, v: fnp.put(a, np.array([5, 0, -1]), v, inplace=False), [(2, 3), (3,)]),
    Rec(
        "numpy.put",
        lambda a, v: fnp.put(a, np.array([7, 2]), v, mode="wrap", inplace=False),
        [(5,), (1,)],
        variant="wrap",
    ),
    Rec(
        "numpy.place",
        lambda a, v: fnp.place(a, np.array([[True, False, True], [False, True, True]]), v, inplace=False),
        [(2, 3), (3,)],
    ),
    Rec(
        "numpy.ravel_multi_index",
        lambda x, i: x * fnp.ravel_multi_index((i, fnp.remainder(i + 1, 4)), (4, 4)),
        make_args=_ints((5,), 0, 4),
    ),
    Rec(
        "numpy.unravel_index", lambda x, i: x * fnp.unravel_index(i, (3, 5))[1], make_args=_ints((5,), 0, 15)
    ),
    # functional
    Rec(
        "numpy.apply_along_axis",
        lambda a: fnp.apply_along_axis(lambda v: v[0] * fnp.sum(v**2), 1, a),
        [(3, 4)],
    ),
    Rec("numpy.apply_over_axes", lambda a: fnp.apply_over_axes(fnp.sum, a, [0, 2]), [(2, 3, 2)]),
    Rec(
        "numpy.piecewise",
        lambda x: fnp.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v**2]),
        make_args=lambda r: (r.uniform(0.2, 2.0, 5) * r.choice([-1.0, 1.0], 5),),
    ),
    Rec(
        "numpy.piecewise",
        lambda x: fnp.piecewise(x, [x < 0], [lambda v: fnp.sin(v), 2.0]),
        make_args=lambda r: (r.uniform(0.2, 2.0, 5) * r.choice([-1.0, 1.0], 5),),
        variant="default",
    ),
    Rec(
        "numpy.vectorize",
        lambda a, v: fnp.vectorize(lambda m, w: fnp.tanh(m @ w), signature="(m,n),(n)->(m)")(a, v),
        [(2, 3, 4), (4,)],
    ),
    Rec(
        "numpy.vectorize",
        lambda x, y: fnp.vectorize(lambda s, t: s * fnp.sin(t) + t)(x, y),
        [(3, 1), (4,)],
        variant="elementwise",
    ),
    # creation and shape
    Rec("numpy.asanyarray", fnp.asanyarray, [(2, 3)]),
    Rec("numpy.ascontiguousarray", fnp.ascontiguousarray, [(2, 3)]),
    Rec("numpy.asfortranarray", fnp.asfortranarray, [(2, 3)]),
    Rec("numpy.asarray_chkfinite", fnp.asarray_chkfinite, [(2, 3)], vmap=False),
    Rec("numpy.fromfunction", lambda x: fnp.fromfunction(lambda i, j: x[i] * j, (3, 2), dtype=int), [(3,)]),
    Rec("numpy.fromiter", lambda x: x * fnp.fromiter((k * k for k in range(3)), float), [(3,)]),
    Rec(
        "numpy.astype",
        lambda x, k: fnp.astype(x, fnp.complex128).real * fnp.astype(k, fnp.float64),
        make_args=_ints(),
    ),
    Rec(
        "numpy.broadcast_shapes", lambda x: fnp.broadcast_to(x, fnp.broadcast_shapes(x.shape, (2, 1))), [(3,)]
    ),
    Rec("numpy.resize", lambda x: fnp.resize(x, (2, 4)), [(3,)]),
    Rec(
        "numpy.trim_zeros",
        lambda x: fnp.trim_zeros(x * np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])),
        [(6,)],
        vmap=False,
    ),
    Rec(
        "numpy.einsum_path",
        lambda a, b, c: fnp.einsum(
            "ij,jk,kl->il", a, b, c, optimize=fnp.einsum_path("ij,jk,kl->il", a, b, c)[0]
        ),
        [(2, 3), (3, 4), (4, 2)],
    ),
    # bits and integers (no derivative)
    Rec("numpy.bitwise_and", lambda x, k: x * fnp.bitwise_and(k, 6), make_args=_ints()),
    Rec("numpy.bitwise_or", lambda x, k: x * fnp.bitwise_or(k, 6), make_args=_ints()),
    Rec("numpy.bitwise_xor", lambda x, k: x * fnp.bitwise_xor(k, 6), make_args=_ints()),
    Rec("numpy.bitwise_not", lambda x, k: x * fnp.bitwise_not(k), make_args=_ints()),
    Rec("numpy.bitwise_invert", lambda x, k: x * fnp.bitwise_invert(k), make_args=_ints()),
    Rec("numpy.invert", lambda x, k: x * fnp.invert(k), make_args=_ints()),
    Rec("numpy.left_shift", lambda x, k: x * fnp.left_shift(k, 2), make_args=_ints()),
    Rec("numpy.bitwise_left_shift", lambda x, k: x * fnp.bitwise_left_shift(k, 1), make_args=_ints()),
    Rec("numpy.right_shift", lambda x, k: x * fnp.right_shift(k, 1), make_args=_ints()),
    Rec("numpy.bitwise_right_shift", lambda x, k: x * fnp.bitwise_right_shift(k, 2), make_args=_ints()),
    Rec("numpy.gcd", lambda x, k: x * fnp.gcd(k, 12), make_args=_ints()),
    Rec("numpy.lcm", lambda x, k: x * fnp.lcm(k, 4), make_args=_ints()),
    Rec("numpy.bitwise_count", lambda x, k: x * fnp.bitwise_count(k), make_args=_ints()),
    # dtype queries
    Rec("numpy.result_type", lambda x: fnp.astype(x, fnp.result_type(x, np.float32)), [(3,)]),
    Rec("numpy.can_cast", lambda x: x * fnp.can_cast(x, np.float32), [(3,)]),
    Rec("numpy.promote_types", lambda x: fnp.astype(x, fnp.promote_types(np.float64, np.int16)), [(3,)]),
    Rec("numpy.min_scalar_type", lambda x: x * (fnp.min_scalar_type(10) == np.uint8), [(3,)]),
    Rec("numpy.issubdtype", lambda x: x * fnp.issubdtype(x.dtype, np.floating), [(3,)]),
    Rec("numpy.isdtype", lambda x: x * fnp.isdtype(x.dtype, "real floating"), [(3,)]),
    Rec("numpy.common_type", lambda x: fnp.astype(x, fnp.common_type(x)), [(3,)]),
    Rec("numpy.mintypecode", lambda x: x * (fnp.mintypecode(["d", "f"]) == "d"), [(3,)]),
    Rec("numpy.isscalar", lambda x: x * (1.0 + fnp.isscalar(3.0)), [(3,)]),
    Rec("numpy.iterable", lambda x: x * (1.0 + fnp.iterable(x)), [(3,)]),
]

# floating-point error handling: the state is the user's, under every transform
RECORDS += [
    Rec("numpy.geterr", lambda x: x * len(fnp.geterr()), [(3,)]),
    Rec("numpy.seterr", lambda x: x * len(fnp.seterr(**fnp.geterr())), [(3,)]),
    Rec("numpy.geterrcall", lambda x: x * (fnp.geterrcall() is None), [(3,)]),
    Rec("numpy.seterrcall", lambda x: x * (fnp.seterrcall(fnp.geterrcall()) is None), [(3,)]),
]
