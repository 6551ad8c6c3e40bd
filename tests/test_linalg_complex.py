"""Complex linear algebra against JAX's conventions.

A cotangent pairs with a tangent through ``Re(sum(ct * t))`` (no conjugation). Each
program below was run through ``jax.jvp`` and ``jax.vjp`` (jax 0.10.2, x64) on the same
random complex matrices, directions and cotangents (``_cases``, ``_directions``); ``JAX``
holds complex fingerprints of the results, ``sum(w * jvp(t))`` over the outputs and
``sum(s * vjp(ct))`` over the inputs for random complex weights ``w``, ``s`` (and for a
real scalar output, ``sum(s * jvp(grad f)(t))``). The same programs are checked against
central differences along random complex directions and the adjoint identity
``Re(sum(ct * J t)) == Re(sum(vjp(ct) * t))``, then under vmap, jit and at singular
matrices (det's exact higher derivatives).
"""

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
import fad.scipy.linalg as fsl
from fad._differentiate import jvp_of, vjp_of
from fad.tree_util import tree_flatten, tree_leaves, tree_unflatten

L = fnp.linalg


def _H(x):
    return onp.conj(onp.swapaxes(x, -1, -2))


def _crand(rng, *s):
    return rng.normal(size=s) + 1j * rng.normal(size=s)


def _cases():
    rng = onp.random.default_rng(0)
    a = _crand(rng, 3, 3) + 2 * onp.eye(3)
    t43, t34 = _crand(rng, 4, 3), _crand(rng, 3, 4)
    q, _ = onp.linalg.qr(_crand(rng, 3, 3))
    h = (q * onp.array([1.0, 2.2, 3.7])) @ _H(q)
    h = (h + _H(h)) / 2
    b, b4 = _crand(rng, 3, 2), _crand(rng, 4)
    return {
        "solve": (a, b), "inv": (a,), "det": (a,), "slogdet": (a,), "eigvals": (a,), "eigh": (h,),
        "eigvalsh": (h,), "svd": (a,), "svd-tall": (t43,), "svd-wide": (t34,), "svdvals": (t43,),
        "qr": (t43,), "qr-square": (a,), "cholesky": (h,), "cholesky-upper": (h,), "pinv": (t43,),
        "pinv-wide": (t34,), "lstsq": (t43, b4), "matrix_power": (a,), "matrix_power-neg": (a,),
        "multi_dot": (t34, t43, b), "expm": (a / 3,), "solve_triangular": (a, b),
        "solve_triangular-C": (a, b), "norm-fro": (t43,), "norm-2": (t43,), "norm-nuc": (t43,),
        "norm-1": (t43,), "norm-inf": (t43,), "norm-vec": (b4,), "norm-vec3": (b4,),
        "abs-det-squared": (a,), "least-squares-objective": (t43, b[:, 0], b4),
        "eigh-vector-moduli": (h,),
    }  # fmt: skip


def _directions(i, args, outs):
    """Tangents, cotangents (real for real outputs), and weights for the fingerprints."""
    r = onp.random.default_rng(1000 + i)
    ts = [_crand(r, *onp.shape(x)) for x in args]
    cts, ws = [], []
    for y in outs:
        c = r.normal(size=onp.shape(y))
        cts.append(c + 1j * r.normal(size=onp.shape(y)) if onp.iscomplexobj(y) else c)
        ws.append(_crand(r, *onp.shape(y)))
    ss = [_crand(r, *onp.shape(x)) for x in args]
    return ts, cts, ws, ss


FUNS = {
    "solve": L.solve, "inv": L.inv, "det": L.det, "slogdet": lambda a: tuple(L.slogdet(a)),
    "eigvals": L.eigvals, "eigh": lambda a: tuple(L.eigh(a)), "eigvalsh": L.eigvalsh,
    "svd": lambda a: tuple(L.svd(a, full_matrices=False)),
    "svd-tall": lambda a: tuple(L.svd(a, full_matrices=False)),
    "svd-wide": lambda a: tuple(L.svd(a, full_matrices=False)), "svdvals": L.svdvals,
    "qr": lambda a: tuple(L.qr(a)), "qr-square": lambda a: tuple(L.qr(a)), "cholesky": L.cholesky,
    "cholesky-upper": lambda a: L.cholesky(a, upper=True), "pinv": L.pinv, "pinv-wide": L.pinv,
    "lstsq": lambda a, b: L.lstsq(a, b)[0], "matrix_power": lambda a: L.matrix_power(a, 3),
    "matrix_power-neg": lambda a: L.matrix_power(a, -2),
    "multi_dot": lambda a, b, c: L.multi_dot([a, b, c]), "expm": fsl.expm,
    "solve_triangular": lambda a, b: fsl.solve_triangular(a, b, lower=True),
    "solve_triangular-C": lambda a, b: fsl.solve_triangular(a, b, trans="C"),
    "norm-fro": lambda x: L.norm(x), "norm-2": lambda x: L.norm(x, 2),
    "norm-nuc": lambda x: L.norm(x, "nuc"), "norm-1": lambda x: L.norm(x, 1),
    "norm-inf": lambda x: L.norm(x, onp.inf), "norm-vec": L.norm, "norm-vec3": lambda x: L.norm(x, 3),
    "abs-det-squared": lambda a: fnp.abs(L.det(a)) ** 2,
    "least-squares-objective": lambda a, x, b: L.norm(a @ x - b) ** 2,
    "eigh-vector-moduli": lambda a: fnp.abs(L.eigh(a)[1]) ** 2,
}  # fmt: skip

JAX = {
    "solve": ((2.4540299169014 + 9.0190453270958j), (-0.6618818365785 + 10.1071567527739j)),
    "inv": ((1.1385553794324 + 4.2463348106499j), (1.9702767433753 + 1.8568834289014j)),
    "det": ((-0.2226929732125 + 0.8398515293778j), (2.0058436530724 + 4.9438849051521j)),
    "slogdet": ((-3.3364706494437 - 1.639219123278j), (-2.3040607486723 - 2.1294984341667j)),
    "eigvals": ((-1.9994021800351 - 0.9662601745288j), (-6.9355584029876 + 4.3382242334796j)),
    "eigh": ((-0.7451716010416 - 3.6220745178448j), (-0.0593499555358 + 1.2624734259441j)),
    "eigvalsh": ((-0.4191175321616 + 0.0650179384547j), (0.2573619061761 - 0.3833555205376j)),
    "svd": ((-2.4139947737933 + 2.6526172918289j), (0.2510995967102 + 5.5581298056654j)),
    "svd-tall": ((-2.3986221510321 - 0.0941513497296j), (-5.8703916812061 - 4.6899271802773j)),
    "svd-wide": ((-0.7868520942215 + 4.8527093355509j), (0.3415448475183 - 5.9753681967156j)),
    "svdvals": ((-1.5621772428294 - 2.996049425499j), (1.0145039035317 - 1.418243549786j)),
    "qr": ((1.8937694524289 + 8.8463716850099j), (2.9513111224825 - 5.7865386938954j)),
    "qr-square": ((-3.6340302384283 + 7.5065934513966j), (3.6620449058616 - 1.5176217592101j)),
    "cholesky": ((0.8204917813806 + 0.490689626314j), (0.4918255702543 - 0.7222098386239j)),
    "cholesky-upper": ((0.7908951800533 + 0.5512689599816j), (-0.4642243673488 - 0.93796043328j)),
    "pinv": ((2.4164470276912 + 0.121787855509j), (-2.4341276672156 + 2.5071072321194j)),
    "pinv-wide": ((-5.0413076926948 - 1.8249493329869j), (0.6456111744154 - 0.2060908941943j)),
    "lstsq": ((0.5460324826198 + 2.981116979891j), (-3.9069969608823 - 3.612601274257j)),
    "matrix_power": ((142.8850866602821 + 124.4698231394759j), (-28.3386503614777 - 41.3949494158543j)),
    "matrix_power-neg": ((-8.4211857149228 - 2.5708587826772j), (-2.9292973837554 - 1.7004461133316j)),
    "multi_dot": ((-48.3500063628965 - 63.2722184026082j), (-7.805510240064 - 73.1854477305189j)),
    "expm": ((-1.6323162618636 - 7.6443714494859j), (-2.4332097384015 - 4.4426603196809j)),
    "solve_triangular": ((0.8567129329301 + 2.5099096395707j), (3.1025783492571 - 2.8220508064638j)),
    "solve_triangular-C": ((-3.8181563987594 + 0.117306334275j), (0.1932494030125 + 0.2358287367379j)),
    "norm-fro": (
        (0.0684901503131 - 0.796566223274j),
        (0.5722832924337 - 2.0313340005501j),
        (0.7907198187645 - 1.4512098003219j),
    ),
    "norm-2": (
        (0.3532234020476 - 0.7683672869927j),
        (3.3733980950886 - 0.425870258881j),
        (-0.6303527730389 - 2.6223348109791j),
    ),
    "norm-nuc": (
        (-0.8843069302187 + 0.1272348907349j),
        (0.2520623889855 + 0.1175012417773j),
        (0.1015115876937 + 1.3096045673064j),
    ),
    "norm-1": (
        (0.04471559999 + 0.7923043616422j),
        (-1.0927432497756 - 0.2368391924622j),
        (1.1096063621389 + 0.4124169785404j),
    ),
    "norm-inf": (
        (4.4705555214665 - 2.0336080087266j),
        (-0.9953612822959 + 0.6582722462237j),
        (0.2750386606171 - 0.7573842492891j),
    ),
    "norm-vec": (
        (-0.1463688581616 + 0.0809620979931j),
        (-0.3989756283285 - 0.167281558652j),
        (-0.6230633302321 - 1.2203574288707j),
    ),
    "norm-vec3": (
        (0.0178070720499 + 0.047337994791j),
        (-0.0432506326413 - 0.2788184766923j),
        (0.0346169654529 - 0.4577265832356j),
    ),
    "abs-det-squared": (
        (20.7557415260657 - 172.3409896977723j),
        (-2.5329813487995 - 0.3251526761336j),
        (-274.3866468251935 + 43.4076237764235j),
    ),
    "least-squares-objective": (
        (-20.877339129787 - 18.8791840256382j),
        (-7.7682040609523 + 5.6053161269926j),
    ),
    "eigh-vector-moduli": ((0.1072830082441 + 1.9135549311932j), (-0.2886943721643 - 0.8317149556909j)),
}

CASES = _cases()
NAMES = list(CASES)


def _jvp(f, args, ts):
    y, t = fad.jvp(f, tuple(args), tuple(ts))
    return tree_leaves(y), tree_leaves(t)


def _vjp(f, args, cts):
    y, pull = fad.vjp(f, *args)
    leaves, tree = tree_flatten(y)
    return list(
        pull(
            tree_unflatten(
                tree, [onp.asarray(c, onp.asarray(y).dtype) for c, y in zip(cts, leaves, strict=True)]
            )
        )
    )


def _fingerprints(name):
    f, args = FUNS[name], CASES[name]
    y = tree_leaves(f(*args))
    ts, cts, ws, ss = _directions(NAMES.index(name), args, y)
    _, ty = _jvp(f, args, ts)
    g = _vjp(f, args, cts)
    out = [
        sum(onp.sum(w * t) for w, t in zip(ws, ty, strict=True)),
        sum(onp.sum(s * x) for s, x in zip(ss, g, strict=True)),
    ]
    if len(JAX[name]) == 3:  # a real scalar: a Hessian-vector product too
        hvp = fad.jvp(fad.grad(f), args, (ts[0],))[1]
        out.append(onp.sum(ss[0] * hvp))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_matches_jax(name):
    got = _fingerprints(name)
    onp.testing.assert_allclose(got, JAX[name], rtol=1e-9, atol=1e-9)


def _fix_phases(v, *rest):
    """Eigen/singular vectors (columns of ``v``) with each column's phase chosen to make
    its first entry real and positive (the rows of each of ``rest`` turned the opposite
    way): an output that finite differences can follow, since LAPACK's phases are not
    JAX's gauge."""
    p = fnp.conj(v[..., :1, :]) / fnp.abs(v[..., :1, :])
    return (v * p,) + tuple(fnp.conj(fnp.swapaxes(p, -1, -2)) * r for r in rest)


def _svd_fixed(a):
    u, s, vh = L.svd(a, full_matrices=False)
    return (s,) + _fix_phases(u, vh)


GAUGE_FREE = {
    "eigh": lambda a: (L.eigh(a)[0],) + _fix_phases(L.eigh(a)[1]),
    "svd": _svd_fixed, "svd-tall": _svd_fixed, "svd-wide": _svd_fixed,
}  # fmt: skip


def _pair(cts, ts):
    return sum(onp.real(onp.sum(onp.asarray(c) * onp.asarray(t))) for c, t in zip(cts, ts, strict=True))


@pytest.mark.parametrize("name", NAMES)
def test_finite_differences_and_adjoint(name):
    """Central differences along a random complex direction; the adjoint identity."""
    f, args = GAUGE_FREE.get(name, FUNS[name]), CASES[name]
    y = tree_leaves(f(*args))
    ts, cts, _, _ = _directions(NAMES.index(name) + 500, args, y)
    _, ty = _jvp(f, args, ts)
    h = 1e-6
    plus = tree_leaves(f(*[a + h * t for a, t in zip(args, ts, strict=True)]))
    minus = tree_leaves(f(*[a - h * t for a, t in zip(args, ts, strict=True)]))
    for p, m, t in zip(plus, minus, ty, strict=True):
        onp.testing.assert_allclose((onp.asarray(p) - onp.asarray(m)) / (2 * h), t, rtol=1e-5, atol=1e-6)
    g = _vjp(f, args, cts)
    onp.testing.assert_allclose(_pair(cts, ty), _pair(g, ts), rtol=1e-10)


# ----------------------------------------------------- real functions of complex matrices

REAL_VALUED = {
    "abs-det-squared": lambda a: fnp.abs(L.det(a)) ** 2,
    "logabsdet": lambda a: L.slogdet(a)[1],
    "least-squares": lambda a: L.norm(a @ CASES["lstsq"][1][:3] - CASES["lstsq"][1]) ** 2,
    "nuclear-norm": lambda a: L.norm(a, "nuc"),
    "eigvalsh": lambda a: fnp.sum(L.eigvalsh(a) * onp.arange(1.0, 4.0)),
}


@pytest.mark.parametrize("name", list(REAL_VALUED))
def test_gradient_and_hessian_of_real_valued_functions(name):
    """grad is the conjugate of the steepest-ascent direction: f(a + h t) - f(a - h t) ~
    2 h Re(sum(grad * t)); the Hessian-vector product against differences of grad."""
    f = REAL_VALUED[name]
    a = (
        CASES["eigh"][0]
        if name == "eigvalsh"
        else CASES["pinv"][0]
        if name != "abs-det-squared"
        else CASES["det"][0]
    )
    if name in ("abs-det-squared", "logabsdet", "eigvalsh"):
        a = a if a.shape[0] == a.shape[1] else a[:3]
    r = onp.random.default_rng(7)
    t = _crand(r, *a.shape)
    g = fad.grad(f)(a)
    assert g.dtype == a.dtype
    h = 1e-6
    fd = (f(a + h * t) - f(a - h * t)) / (2 * h)
    onp.testing.assert_allclose(onp.real(onp.sum(g * t)), fd, rtol=1e-6, atol=1e-8)
    hv = fad.jvp(fad.grad(f), (a,), (t,))[1]
    onp.testing.assert_allclose(
        hv, (fad.grad(f)(a + h * t) - fad.grad(f)(a - h * t)) / (2 * h), rtol=1e-5, atol=1e-6
    )
    # reverse over forward gives the same Hessian-vector product
    s = _crand(r, *a.shape)
    rev = fad.grad(lambda x: fnp.real(fnp.sum(s * fad.grad(f)(x))))(a)
    onp.testing.assert_allclose(onp.real(onp.sum(rev * t)), onp.real(onp.sum(s * hv)), rtol=1e-8)


def test_grad_of_abs_det_squared_in_closed_form():
    """d|det a|^2 = 2 Re(conj(det a) tr(adj(a) da)), so the gradient (paired without
    conjugation) is 2 conj(det a) adj(a)^T, as grad(abs(z)**2)(z) == 2 conj(z)."""
    a = CASES["det"][0]
    d = onp.linalg.det(a)
    adj_t = (d * onp.linalg.inv(a)).T
    g = fad.grad(lambda x: fnp.abs(L.det(x)) ** 2)(a)
    onp.testing.assert_allclose(g, 2 * onp.conj(d) * adj_t, rtol=1e-12)


# ------------------------------------------------------------------- values, dtypes


def test_values_match_numpy():
    a, h, t = CASES["det"][0], CASES["eigh"][0], CASES["pinv"][0]
    onp.testing.assert_allclose(L.det(a), onp.linalg.det(a), rtol=1e-12)
    sign, logdet = L.slogdet(a)
    esign, elog = onp.linalg.slogdet(a)
    onp.testing.assert_allclose(sign, esign, rtol=1e-12)
    assert onp.isrealobj(logdet) and abs(logdet - elog) < 1e-12
    w, v = L.eig(a)
    ew = onp.linalg.eigvals(a)
    onp.testing.assert_allclose(w, ew, rtol=1e-12)
    onp.testing.assert_allclose(a @ v, v * w, atol=1e-12)
    onp.testing.assert_allclose(L.eigvals(a), ew, rtol=1e-12)
    for uplo in ("L", "U"):
        onp.testing.assert_allclose(L.eigvalsh(h, UPLO=uplo), onp.linalg.eigvalsh(h, UPLO=uplo), rtol=1e-12)
        w, v = L.eigh(h, UPLO=uplo)
        onp.testing.assert_allclose((v * w) @ onp.conj(v.T), h, atol=1e-12)
    c = L.cholesky(h)
    onp.testing.assert_allclose(c @ onp.conj(c.T), h, atol=1e-12)
    onp.testing.assert_allclose(L.cholesky(h, upper=True), onp.linalg.cholesky(h, upper=True), atol=1e-12)
    onp.testing.assert_allclose(fsl.cholesky(h), onp.conj(onp.linalg.cholesky(h).T), atol=1e-12)
    u, s, vh = L.svd(t, full_matrices=False)
    onp.testing.assert_allclose((u * s) @ vh, t, atol=1e-12)
    q, r = L.qr(t)
    onp.testing.assert_allclose(q @ r, t, atol=1e-12)
    onp.testing.assert_allclose(L.pinv(t), onp.linalg.pinv(t), atol=1e-12)
    x, res, rank, sv = L.lstsq(t, CASES["lstsq"][1])
    ex, eres, erank, esv = onp.linalg.lstsq(t, CASES["lstsq"][1])
    onp.testing.assert_allclose(x, ex, atol=1e-12)
    onp.testing.assert_allclose(res, eres, rtol=1e-10)
    assert onp.isrealobj(res) and rank == erank
    for ord in (None, "fro", "nuc", 1, -1, 2, -2, onp.inf, -onp.inf):
        got = L.norm(t, ord)
        assert onp.isrealobj(got)
        onp.testing.assert_allclose(got, onp.linalg.norm(t, ord), rtol=1e-12)
    for ord in (None, 0, 1, 2, 3, 0.5, onp.inf, -onp.inf):
        onp.testing.assert_allclose(L.norm(t[0], ord), onp.linalg.norm(t[0], ord), rtol=1e-12)
    onp.testing.assert_allclose(L.vecdot(t, t), onp.linalg.vecdot(t, t), rtol=1e-12)
    onp.testing.assert_allclose(L.matrix_power(a, -3), onp.linalg.matrix_power(a, -3), rtol=1e-10)
    b = CASES["solve"][1]
    onp.testing.assert_allclose(
        fsl.solve_triangular(a, b, trans="C"), onp.linalg.solve(onp.conj(onp.triu(a).T), b)
    )
    onp.testing.assert_allclose(L.solve(a, b), onp.linalg.solve(a, b), rtol=1e-12)


def test_complex64_stays_complex64():
    a = CASES["det"][0].astype(onp.complex64)
    h = CASES["eigh"][0].astype(onp.complex64)
    for f, x in [(L.inv, a), (L.det, a), (L.eigvals, a), (lambda x: L.eig(x)[1], a), (L.cholesky, h),
                 (lambda x: L.eigh(x)[1], h), (lambda x: L.svd(x)[0], a), (fsl.expm, a)]:  # fmt: skip
        assert f(x).dtype == onp.complex64
    assert L.eigvalsh(h).dtype == onp.float32 and L.norm(a).dtype == onp.float32
    assert L.slogdet(a)[1].dtype == onp.float32
    assert fad.grad(lambda x: fnp.abs(L.det(x)) ** 2)(a).dtype == onp.complex64
    assert L.eigvals(a.real).dtype == onp.complex64  # complex for a real input too, as JAX


def test_eigenvalues_of_a_real_matrix_differentiate_eigenvectors_refuse():
    a = onp.real(CASES["det"][0])
    t = onp.random.default_rng(3).normal(size=(3, 3))
    w, v = onp.linalg.eig(a)
    _, tw = fad.jvp(L.eigvals, (a,), (t,))
    onp.testing.assert_allclose(tw, onp.diag(onp.linalg.solve(v, t) @ v), rtol=1e-10)
    ct = _crand(onp.random.default_rng(4), 3)
    g = fad.vjp(L.eigvals, a)[1](ct)[0]
    assert onp.isrealobj(g)
    onp.testing.assert_allclose(onp.sum(g * t), onp.real(onp.sum(ct * tw)), rtol=1e-10)
    with pytest.raises(fad.FadError, match="eigvals"):
        fad.jvp(lambda x: L.eig(x)[1], (CASES["det"][0],), (CASES["det"][0],))
    with pytest.raises(fad.FadError, match="eigvals"):
        fad.grad(lambda x: fnp.abs(fnp.sum(L.eig(x)[0])))(CASES["det"][0])


# ------------------------------------------------------- det at singular complex matrices


def _complex_low_rank(r, n, k):
    return _crand(r, n, k) @ _crand(r, k, n)


@pytest.mark.parametrize("n, rank", [(2, 1), (3, 1), (3, 2), (4, 2), (3, 3)])
def test_det_exact_to_third_order_at_singular_complex_matrices(n, rank):
    """The bordered adjugate carries over to complex matrices: det(a + s t) is a
    polynomial in s, and its first three derivatives come out exactly."""
    r = onp.random.default_rng(n * 10 + rank)
    a = _complex_low_rank(r, n, rank)
    t = _crand(r, n, n)
    d1 = lambda x: fad.jvp(L.det, (x,), (t,))[1]  # noqa: E731
    d2 = lambda x: fad.jvp(d1, (x,), (t,))[1]  # noqa: E731
    d3 = lambda x: fad.jvp(d2, (x,), (t,))[1]  # noqa: E731
    ss = onp.linspace(-1, 1, 9)
    c = onp.polynomial.polynomial.polyfit(ss, [onp.linalg.det(a + s * t) for s in ss], n)
    want = [c[1], 2 * c[2], 6 * c[3] if n >= 3 else 0.0]
    onp.testing.assert_allclose([d1(a), d2(a), d3(a)], want, atol=1e-10)
    # reverse mode, and reverse over forward, paired with the same direction
    g = fad.vjp(L.det, a)[1](onp.array(1.0 + 0.5j))[0]
    onp.testing.assert_allclose(onp.real(onp.sum(g * t)), onp.real((1.0 + 0.5j) * c[1]), atol=1e-10)
    hv = fad.jvp(lambda x: fad.vjp(L.det, x)[1](onp.array(1.0 + 0.5j))[0], (a,), (t,))[1]
    onp.testing.assert_allclose(onp.real(onp.sum(hv * t)), onp.real((1.0 + 0.5j) * 2 * c[2]), atol=1e-10)


# ---------------------------------------------------------------------- vmap, jit


BATCHED = {
    "det": L.det, "inv": L.inv, "slogdet": lambda a: tuple(L.slogdet(a)), "eigvals": L.eigvals,
    "eigh": lambda a: tuple(L.eigh(a)), "svd": lambda a: tuple(L.svd(a)), "qr": lambda a: tuple(L.qr(a)),
    "pinv": L.pinv, "norm-2": lambda a: L.norm(a, 2), "norm-fro": L.norm,
    "grad-abs-det-squared": fad.grad(lambda a: fnp.abs(L.det(a)) ** 2),
    "jvp-svd": lambda a: tuple(fad.jvp(lambda x: tuple(L.svd(x)), (a,), (a.T,))[1]),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BATCHED))
def test_vmap_matches_loop(name):
    f = BATCHED[name]
    r = onp.random.default_rng(11)
    xs = onp.stack([_crand(r, 3, 3) + 2 * onp.eye(3) for _ in range(4)])
    if name == "eigh":
        xs = xs + onp.conj(onp.swapaxes(xs, -1, -2))
    got = fad.vmap(f)(xs)
    loop = [f(x) for x in xs]
    for g, w in zip(tree_leaves(got), zip(*[tree_leaves(y) for y in loop], strict=True), strict=True):
        onp.testing.assert_allclose(g, onp.stack(w), rtol=1e-10, atol=1e-12)


def test_jit():
    a, b = CASES["solve"]
    h = CASES["eigh"][0]
    f = lambda a, b, h: (L.solve(a, b), L.det(a), L.slogdet(a)[0], L.eigh(h)[1], L.norm(a))  # noqa: E731
    for x, y in zip(fad.jit(f)(a, b, h), f(a, b, h), strict=True):
        onp.testing.assert_allclose(x, y, rtol=1e-12)
    g = fad.grad(lambda a: fnp.abs(L.det(a)) ** 2)
    onp.testing.assert_allclose(fad.jit(g)(a), g(a), rtol=1e-12)


def test_engines_match_public_transforms():
    """The rules' own engines (fad._differentiate) agree with the public transforms."""
    a = CASES["svd"][0]
    f = lambda x: L.svd(x)[0]  # noqa: E731
    t = _crand(onp.random.default_rng(1), 3, 3)
    onp.testing.assert_allclose(jvp_of(f, (a,), (t,))[1], fad.jvp(f, (a,), (t,))[1], rtol=1e-12)
    onp.testing.assert_allclose(vjp_of(f, (a,), t)[0], fad.vjp(f, a)[1](t)[0], rtol=1e-12)
