"""fad.scipy.signal: convolution and correlation against SciPy (values, dtypes, errors),
the analytic adjoint, finite differences, and every transform."""

import itertools

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad.scipy import signal as fs
from fad.test_util import check_grads

ss = pytest.importorskip("scipy.signal")

MODES = ["full", "same", "valid"]
METHODS = ["direct", "fft", "auto"]


def close(a, b, tol=1e-12):
    a, b = onp.asarray(a), onp.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    onp.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def draw(rng, shape, cplx=False):
    x = rng.normal(size=shape)
    return x + 1j * rng.normal(size=shape) if cplx else x


def valid_ok(s1, s2):
    return all(a >= b for a, b in zip(s1, s2, strict=True)) or all(
        b >= a for a, b in zip(s1, s2, strict=True)
    )


# ------------------------------------------------------------------------------ values

SHAPES = {
    1: [(7,), (3,), (1,), (8,), (2,)],
    2: [(5, 6), (2, 3), (3, 2), (1, 1), (6, 7), (9, 2)],
    3: [(3, 4, 2), (2, 2, 2), (1, 3, 1)],
}


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("cplx", [(0, 0), (1, 0), (0, 1), (1, 1)], ids=str)
def test_convolve_correlate_match_scipy(nd, cplx):
    rng = onp.random.default_rng(nd)
    for s1, s2 in itertools.product(SHAPES[nd], repeat=2):
        a, b = draw(rng, s1, cplx[0]), draw(rng, s2, cplx[1])
        for mode in MODES:
            if mode == "valid" and not valid_ok(s1, s2):
                continue
            for method in METHODS:
                close(fs.convolve(a, b, mode, method), ss.convolve(a, b, mode, method))
                close(fs.correlate(a, b, mode, method), ss.correlate(a, b, mode, method))
            close(fs.fftconvolve(a, b, mode), ss.fftconvolve(a, b, mode))
            close(fs.oaconvolve(a, b, mode), ss.oaconvolve(a, b, mode))


@pytest.mark.parametrize("boundary", ["fill", "pad", "wrap", "circular", "symm", "symmetric"])
@pytest.mark.parametrize("cplx", [(0, 0), (0, 1), (1, 1)], ids=str)
def test_2d_match_scipy(boundary, cplx):
    rng = onp.random.default_rng(2)
    shapes = SHAPES[2] + [(2, 9), (11, 12)]  # kernels wider than the image wrap/mirror repeatedly
    for s1, s2 in itertools.product(shapes, repeat=2):
        a, b = draw(rng, s1, cplx[0]), draw(rng, s2, cplx[1])
        for mode in MODES:
            if mode == "valid" and not valid_ok(s1, s2):
                continue
            for fv in (0, 1.5):
                for ours, theirs in ((fs.convolve2d, ss.convolve2d), (fs.correlate2d, ss.correlate2d)):
                    close(ours(a, b, mode, boundary, fv), theirs(a, b, mode, boundary, fv))


def test_2d_complex_fillvalue_and_dtypes():
    rng = onp.random.default_rng(3)
    a, b = rng.normal(size=(3, 4)), draw(rng, (2, 3), True)
    for f, g in ((fs.convolve2d, ss.convolve2d), (fs.correlate2d, ss.correlate2d)):
        for mode in ("full", "same"):
            close(f(a, b, mode, fillvalue=1 + 2j), g(a, b, mode, fillvalue=1 + 2j))
        ai = onp.arange(6).reshape(2, 3)
        out = f(ai, ai[:, :2], fillvalue=2.5)  # an integer result: the fillvalue cast, as SciPy
        assert out.dtype == g(ai, ai[:, :2], fillvalue=2.5).dtype
        close(out, g(ai, ai[:, :2], fillvalue=2.5))
        close(f(a, b, fillvalue=onp.array([[3.0]])), g(a, b, fillvalue=onp.array([[3.0]])))


def test_fftconvolve_axes():
    rng = onp.random.default_rng(4)
    cases = [
        ((3, 4), (1, 3), 1),
        ((3, 4), (3, 2), [1]),
        ((3, 4), (3, 2), -1),
        ((1, 5), (3, 4), 1),  # broadcast along the axis not convolved
        ((4, 5, 3), (2, 5, 1), (0,)),
        ((4, 5, 3), (2, 1, 2), (0, 2)),
        ((4, 5, 3), (2, 3, 2), None),
    ]
    for s1, s2, axes in cases:
        for cplx in (False, True):
            a, b = draw(rng, s1, cplx), draw(rng, s2)
            for mode in MODES:
                try:
                    want = ss.fftconvolve(a, b, mode, axes=axes)
                except ValueError:
                    with pytest.raises(ValueError):
                        fs.fftconvolve(a, b, mode, axes=axes)
                    continue
                close(fs.fftconvolve(a, b, mode, axes=axes), want)
                close(fs.oaconvolve(a, b, mode, axes=axes), ss.oaconvolve(a, b, mode, axes=axes))


def test_dtypes_like_scipy():
    ai, bi = onp.array([1, 2, 3]), onp.array([4, 5])
    cases = [
        (ai, bi),
        (onp.int8([100, 100]), onp.int8([100, 100])),  # wraps around, as SciPy's
        (onp.array([True, False, True]), onp.array([True, True])),
        (onp.ones(3, onp.float32), onp.ones(2, onp.float32)),
        (onp.ones(3, onp.float32), onp.ones(2)),
        (onp.ones((2, 3), int), onp.ones((2, 2), int)),
    ]
    for a, b in cases:
        for method in METHODS:
            if a.dtype == bool and a.ndim > 1:
                continue
            for f, g in ((fs.convolve, ss.convolve), (fs.correlate, ss.correlate)):
                ours, theirs = f(a, b, method=method), g(a, b, method=method)
                assert ours.dtype == theirs.dtype, (f.__name__, a.dtype, method)
                onp.testing.assert_array_equal(ours, theirs)
    assert fs.convolve(2.0, 3.0) == 6.0
    assert fs.correlate(2.0, 3.0 + 1j) == 6.0 - 2.0j


def test_choose_conv_method_as_scipy():
    for s1, s2, mode in itertools.product(
        [(10,), (300,), (1000,), (20, 20), (64, 64)], [(3,), (31,), (301,)], MODES
    ):
        if len(s1) == 2:
            s2 = (s2[0] // 3 + 1,) * 2
        if mode == "valid" and not valid_ok(s1, s2):
            continue
        a, b = onp.ones(s1), onp.ones(s2)
        assert fs.choose_conv_method(a, b, mode) == ss.choose_conv_method(a, b, mode), (s1, s2, mode)
    assert fs.choose_conv_method(onp.ones(1000, int), onp.ones(301, int)) == "direct"
    with pytest.raises(NotImplementedError, match="measure=True"):
        fs.choose_conv_method(onp.ones(3), onp.ones(2), measure=True)


# ------------------------------------------------------------------ empties and errors


def test_empty_inputs():
    for method in METHODS:  # SciPy's direct method: "same" keeps an empty in1, else an error
        close(fs.convolve(onp.zeros(0), onp.ones(2), "same", method), onp.zeros(0))
        close(fs.correlate(onp.zeros((0, 3)), onp.ones((2, 2)), "same", method), onp.zeros((0, 3)))
        for a, b, mode in [
            ((0,), (2,), "full"),
            ((2,), (0,), "full"),
            ((2,), (0,), "same"),
            ((0,), (2,), "valid"),
        ]:
            with pytest.raises(ValueError, match="cannot be empty"):
                fs.convolve(onp.ones(a), onp.ones(b), mode, method)
    for a, b in [((0,), (2,)), ((2,), (0,)), ((0, 3), (2, 2))]:
        assert fs.fftconvolve(onp.ones(a), onp.ones(b)).shape == (0,)
    for s1, s2 in [((0, 3), (2, 2)), ((2, 3), (0, 2)), ((0, 1), (2, 1))]:
        for mode in ("full", "same"):
            for f, g in ((fs.convolve2d, ss.convolve2d), (fs.correlate2d, ss.correlate2d)):
                close(
                    f(onp.ones(s1), onp.ones(s2), mode, fillvalue=2.0),
                    g(onp.ones(s1), onp.ones(s2), mode, fillvalue=2.0),
                )


ERRORS = [
    (lambda: fs.convolve(onp.ones(2), onp.ones((2, 2))), "same dimensionality"),
    (lambda: fs.correlate(onp.ones(2), onp.ones((2, 2))), "same dimensionality"),
    (lambda: fs.fftconvolve(onp.ones(2), onp.ones((2, 2))), "same dimensionality"),
    (lambda: fs.convolve(onp.ones(2), onp.ones(2), mode="bad"), "Acceptable mode flags"),
    (lambda: fs.correlate(onp.ones(2), onp.ones(2), mode="bad"), "Acceptable mode flags"),
    (lambda: fs.fftconvolve(onp.ones(2), onp.ones(2), mode="bad"), "cceptable mode flags"),
    (lambda: fs.convolve2d(onp.ones((2, 2)), onp.ones((2, 2)), mode="bad"), "Acceptable mode flags"),
    (lambda: fs.convolve(onp.ones(2), onp.ones(2), method="bad"), "Acceptable method flags"),
    (lambda: fs.correlate(onp.ones(2), onp.ones(2), method="bad"), "Acceptable method flags"),
    (lambda: fs.convolve(onp.ones((2, 3)), onp.ones((3, 2)), mode="valid"), "one must be at least as large"),
    (
        lambda: fs.correlate(onp.ones((2, 3)), onp.ones((3, 2)), "valid", "fft"),
        "one must be at least as large",
    ),
    (
        lambda: fs.correlate2d(onp.ones((2, 3)), onp.ones((3, 2)), mode="valid"),
        "one must be at least as large",
    ),
    (lambda: fs.convolve2d(onp.ones(3), onp.ones(2)), "convolve2d inputs must both be 2-D"),
    (lambda: fs.correlate2d(onp.ones((1, 3)), onp.ones(2)), "correlate2d inputs must both be 2-D"),
    (lambda: fs.convolve2d(onp.ones((2, 2)), onp.ones((2, 2)), boundary="bad"), "Acceptable boundary flags"),
    (lambda: fs.convolve2d(onp.ones((2, 2)), onp.ones((2, 2)), fillvalue=onp.ones(2)), "must be scalar"),
    (
        lambda: fs.convolve2d(onp.ones((2, 2)), onp.ones((2, 2)), fillvalue=1 + 2j),
        "could not cast `fillvalue`",
    ),
    (lambda: fs.fftconvolve(onp.ones((3, 4)), onp.ones((2, 2)), axes=5), "axes exceeds dimensionality"),
    (lambda: fs.fftconvolve(onp.ones((3, 4)), onp.ones((2, 2)), axes=[0, 0]), "all axes must be unique"),
    (lambda: fs.fftconvolve(onp.ones((3, 4)), onp.ones((2, 2)), axes=[]), "axes cannot be empty"),
    (lambda: fs.fftconvolve(onp.ones((3, 4)), onp.ones((2, 2)), axes=1.5), "scalar or iterable of integers"),
    (lambda: fs.fftconvolve(onp.ones((3, 4)), onp.ones((2, 3)), axes=1), "incompatible shapes"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_as_scipy(i):
    call, match = ERRORS[i]
    with pytest.raises(ValueError, match=match):
        call()
    # SciPy raises a ValueError for the same call
    code = call.__code__
    with pytest.raises(ValueError):
        eval(code, {"fs": ss, "onp": onp})


# ------------------------------------------------------------------------- derivatives


def test_grad_is_the_analytic_adjoint():
    rng = onp.random.default_rng(5)
    x, k = rng.normal(size=40), rng.normal(size=7)
    for method in METHODS:
        loss = lambda x, k: fnp.sum(fs.convolve(x, k, "full", method) ** 2)  # noqa: E731
        gx, gk = fad.grad(loss, argnums=(0, 1))(x, k)
        y = onp.convolve(x, k)
        close(gx, 2 * onp.correlate(y, k, "valid"), 1e-11)  # the correlation of the cotangent with the kernel
        close(gk, 2 * onp.correlate(y, x, "valid"), 1e-11)
    # every mode, complex values: the vjp is the transpose (JAX's convention, no conjugation)
    xc, kc = draw(rng, 9, True), draw(rng, 4, True)
    for mode, method in itertools.product(MODES, METHODS):
        out, pullback = fad.vjp(lambda x: fs.convolve(x, kc, mode, method), xc)
        ct = draw(rng, out.shape, True)
        start = {"full": 0, "same": (len(kc) - 1) // 2, "valid": len(kc) - 1}[mode]
        full_ct = onp.zeros(len(xc) + len(kc) - 1, complex)
        full_ct[start : start + len(ct)] = ct
        close(pullback(ct)[0], onp.correlate(full_ct, onp.conj(kc), "valid"), 1e-11)


@pytest.mark.parametrize("method", ["direct", "fft"])
@pytest.mark.parametrize("mode", MODES)
def test_1d_derivatives(method, mode):
    rng = onp.random.default_rng(6)
    x, k = rng.normal(size=7), rng.normal(size=3)
    for f in (fs.convolve, fs.correlate):
        check_grads(lambda x, k: f(x, k, mode, method), (x, k), order=2)
        check_grads(lambda x, k: f(x, k, mode, method), (draw(rng, 6, True), draw(rng, 3, True)), order=2)
        g = lambda x: f(fnp.sin(x), k, mode, method)  # noqa: E731
        close(fad.jacfwd(g)(x), fad.jacrev(g)(x))
        close(fad.jit(lambda x, k: f(x, k, mode, method))(x, k), f(x, k, mode, method))
    check_grads(lambda x, k: fs.fftconvolve(x, k, mode), (x, k), order=2)


@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
def test_2d_derivatives(boundary):
    rng = onp.random.default_rng(7)
    a, k = rng.normal(size=(4, 5)), rng.normal(size=(2, 3))
    for f, mode in itertools.product((fs.convolve2d, fs.correlate2d), MODES):
        check_grads(lambda a, k, fv: f(a, k, mode, boundary, fv), (a, k, 0.7), order=2)
        g = lambda a: f(a * a, k, mode, boundary, 0.3)  # noqa: E731
        close(fad.jacfwd(g)(a), fad.jacrev(g)(a))
    check_grads(
        lambda a, k: fs.convolve2d(a, k, "same", boundary), (draw(rng, (3, 4), True), draw(rng, (2, 2), True))
    )
    check_grads(
        lambda a, k: fs.convolve(a, k, "same", "direct"),
        (draw(rng, (3, 2, 4)), draw(rng, (2, 2, 3))),
        order=2,
    )
    check_grads(
        lambda a, k: fs.fftconvolve(a, k, "same", axes=1), (draw(rng, (3, 5)), draw(rng, (1, 3))), order=2
    )


def test_vmap_matches_a_loop():
    rng = onp.random.default_rng(8)
    X, K = rng.normal(size=(4, 9)), rng.normal(size=(4, 3))
    for mode, method in itertools.product(MODES, METHODS):
        for f in (fs.convolve, fs.correlate):
            close(
                fad.vmap(lambda x, k: f(x, k, mode, method))(X, K),
                onp.stack([f(x, k, mode, method) for x, k in zip(X, K, strict=True)]),
            )
            close(
                fad.vmap(lambda x: f(x, K[0], mode, method))(X),
                onp.stack([f(x, K[0], mode, method) for x in X]),
            )
            close(
                fad.vmap(lambda k: f(X[0], k, mode, method), in_axes=1)(K.T),
                onp.stack([f(X[0], k, mode, method) for k in K]),
            )
    A = rng.normal(size=(3, 5, 6))
    for boundary in ("fill", "wrap", "symm"):
        for f in (fs.convolve2d, fs.correlate2d):
            want = onp.stack([f(a, K[:2], "same", boundary, 0.5) for a in A])
            close(fad.vmap(lambda a: f(a, K[:2], "same", boundary, 0.5))(A), want)
    g = fad.vmap(fad.grad(lambda x, k: fnp.sum(fs.convolve(x, k) ** 2)))
    close(
        g(X, K),
        onp.stack(
            [fad.grad(lambda x: fnp.sum(fs.convolve(x, k) ** 2))(x) for x, k in zip(X, K, strict=True)]
        ),
    )


@pytest.mark.parametrize("method", ["direct", "fft"])
def test_jet_of_a_bilinear_map(method):
    """Along x + t v, k + t u: the first derivative is conv(v, k) + conv(x, u), the second
    2 conv(v, u), and the third 0."""
    rng = onp.random.default_rng(9)
    x, v, k, u = rng.normal(size=8), rng.normal(size=8), rng.normal(size=3), rng.normal(size=3)
    z = onp.zeros
    out, (d1, d2, d3) = fad.jet(
        lambda x, k: fs.convolve(x, k, "same", method), (x, k), ((v, z(8), z(8)), (u, z(3), z(3)))
    )
    close(out, ss.convolve(x, k, "same"))
    close(d1, ss.convolve(v, k, "same") + ss.convolve(x, u, "same"))
    close(d2, 2 * ss.convolve(v, u, "same"))
    close(d3, z(8))


def test_windowed_loop_path(monkeypatch):
    """Large inputs loop over the kernel's leading offsets (down to one slice per entry):
    same values and derivatives."""
    rng = onp.random.default_rng(10)
    a, k = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    want = ss.convolve2d(a, k, "same", "symm")
    for budget in (1, 60):
        monkeypatch.setattr(fs, "_WINDOW_BUDGET", budget)
        close(fs.convolve2d(a, k, "same", "symm"), want)
        close(fs.convolve(a[0], k[:, 0]), ss.convolve(a[0], k[:, 0]))
        check_grads(lambda a, k: fs.correlate(a, k, "valid", "direct"), (a, k), order=2)
