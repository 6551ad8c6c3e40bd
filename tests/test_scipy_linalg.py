"""fad.scipy.linalg beyond the records (tests/records/linalg.py): the derivatives against
their defining equations, SciPy's values on the cases records cannot draw (negative
eigenvalues, zero pivots, rectangular and batched inputs, every keyword), nested
transforms, and the errors for what is not defined."""

import subprocess
import sys

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp
import fad.scipy.linalg as fsl
from fad import FadError
from fad.test_util import check_grads

sla = pytest.importorskip("scipy.linalg")

rng = onp.random.default_rng(18)
A = rng.normal(size=(4, 4)) + 3.0 * onp.eye(4)
B = rng.normal(size=(3, 3)) + 2.0 * onp.eye(3)
Q = rng.normal(size=(4, 3))
S = A @ A.T + onp.eye(4)  # symmetric positive definite
E = rng.normal(size=(4, 4))


def _close(got, want, rtol=1e-10, atol=1e-12):
    onp.testing.assert_allclose(onp.asarray(got), want, rtol=rtol, atol=atol)


def test_every_function_the_issue_names_is_exported():
    names = """expm expm_frechet sqrtm logm solve_sylvester solve_continuous_lyapunov solve_banded
        solve_triangular lu lu_factor lu_solve cho_factor cho_solve eigh schur polar block_diag
        toeplitz circulant""".split()
    assert [n for n in names if n not in fsl.__all__ or not callable(getattr(fsl, n))] == []


def test_importing_does_not_import_scipy():
    code = "import sys, fad.scipy.linalg; assert 'scipy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_scipy_the_schur_based_functions_say_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.linalg", None)
    monkeypatch.setitem(sys.modules, "scipy", None)
    with pytest.raises(ImportError, match=r"sqrtm .*pip install .*fad-autodiff\[scipy\]"):
        fsl.sqrtm(S)
    u, p = fsl.polar(A)  # NumPy's SVD; its derivative solves a Sylvester equation
    with pytest.raises(ImportError, match=r"derivatives of sqrtm and polar"):
        fad.jvp(fsl.polar, (A,), (E,))
    _close(fsl.lu_factor(A)[0], sla.lu_factor(A)[0])  # NumPy alone
    ab = onp.stack([rng.normal(size=5), rng.normal(size=5) + 4, rng.normal(size=5)])
    b = rng.normal(size=5)
    monkeypatch.undo()
    want = sla.solve_banded((1, 1), ab, b)
    monkeypatch.setitem(sys.modules, "scipy.linalg", None)
    monkeypatch.setitem(sys.modules, "scipy", None)
    _close(fsl.solve_banded((1, 1), ab, b), want)  # NumPy's dense solve
    check_grads(lambda m: fsl.solve_banded((1, 1), m, b), (ab,), order=1)


# ------------------------------------------------------------------ Sylvester, Lyapunov


def test_sylvester_tangent_solves_the_differentiated_equation():
    ta, tb, tq = rng.normal(size=A.shape), rng.normal(size=B.shape), rng.normal(size=Q.shape)
    x, dx = fad.jvp(fsl.solve_sylvester, (A, B, Q), (ta, tb, tq))
    _close(x, sla.solve_sylvester(A, B, Q))
    _close(A @ dx + dx @ B, tq - ta @ x - x @ tb, atol=1e-10)


def test_sylvester_with_real_and_complex_arguments_solves_the_equation():
    qc = Q + 1j * rng.normal(size=Q.shape)
    x = fsl.solve_sylvester(A, B, qc)  # SciPy's solution for these misses by ~1e-1
    _close(A @ x + x @ B, qc, atol=1e-10)
    check_grads(fsl.solve_sylvester, (A, B, qc), order=2)
    check_grads(fsl.solve_sylvester, (A + 0j, B, Q), order=1)


def test_sylvester_broadcasts_leading_axes():
    a = A + rng.normal(size=(2, 4, 4)) * 0.1
    got = fsl.solve_sylvester(a, B, Q)
    _close(got, onp.stack([sla.solve_sylvester(m, B, Q) for m in a]))
    check_grads(fsl.solve_sylvester, (a, B, Q), order=1)


def test_lyapunov_values_and_complex_conjugate_transpose():
    c = A + 1j * rng.normal(size=A.shape)
    qc = S + 0j
    _close(fsl.solve_continuous_lyapunov(c, qc), sla.solve_continuous_lyapunov(c, qc))
    check_grads(lambda a: fsl.solve_continuous_lyapunov(a, qc), (c,), order=2)


def test_sylvester_bad_shapes():
    with pytest.raises(ValueError, match=r"q must end in \(4, 3\)"):
        fsl.solve_sylvester(A, B, Q.T)
    with pytest.raises(fnp.linalg.LinAlgError, match="square"):
        fsl.solve_sylvester(Q, B, Q)
    with pytest.raises(ValueError, match=r"q must end in \(4, 4\)"):
        fsl.solve_continuous_lyapunov(A, Q)


# ------------------------------------------------------------------ matrix functions


def test_sqrtm_derivative_solves_its_sylvester_equation():
    s, ds = fad.jvp(fsl.sqrtm, (S,), (E,))
    _close(s, sla.sqrtm(S))
    _close(s @ ds + ds @ s, E, atol=1e-10)
    # the second derivative: S d2S + d2S S = -2 dS dS
    d2 = fad.jvp(lambda a: fad.jvp(fsl.sqrtm, (a,), (E,))[1], (S,), (E,))[1]
    _close(s @ d2 + d2 @ s, -2 * ds @ ds, atol=1e-9)


def test_sqrtm_and_logm_of_negative_eigenvalues_are_complex_as_scipy():
    n = onp.array([[-2.0, 1.0], [0.0, 3.0]])
    _close(fsl.sqrtm(n), sla.sqrtm(n))
    _close(fsl.logm(n), sla.logm(n))
    check_grads(fsl.sqrtm, (n,), order=2)
    check_grads(fsl.logm, (n,), order=2)


def test_logm_derivative_inverts_the_expm_frechet_derivative():
    f, df = fad.jvp(fsl.logm, (S,), (E,))
    _close(f, sla.logm(S))
    _close(sla.expm_frechet(f, df, compute_expm=False), E, rtol=1e-8, atol=1e-9)
    # round trip: logm(expm(X)) = X near 0, so its derivative is the identity map
    x = 0.3 * rng.normal(size=(3, 3))
    t = rng.normal(size=(3, 3))
    _close(fad.jvp(lambda m: fsl.logm(fsl.expm(m)), (x,), (t,))[1], t, rtol=1e-8, atol=1e-9)


def test_disp_false_gives_scipy_error_estimates():
    s, err = fsl.sqrtm(S, disp=False)
    _close(s, sla.sqrtm(S))
    assert 0 <= float(err) < 1e-12
    f, err = fsl.logm(S, disp=False)
    _close(f, sla.logm(S))
    assert 0 <= float(err) < 1e-12


def test_matrix_functions_batch_and_jit():
    stack = onp.stack([S, S + onp.eye(4), 2 * S])
    for f, ref in ((fsl.sqrtm, sla.sqrtm), (fsl.logm, sla.logm)):
        _close(f(stack), onp.stack([ref(m) for m in stack]))
        _close(fad.vmap(f)(stack), onp.stack([ref(m) for m in stack]))
        g = fad.jit(fad.grad(lambda a, f=f: fnp.sum(f(a) ** 2)))
        _close(g(S), fad.grad(lambda a, f=f: fnp.sum(f(a) ** 2))(S))


def test_expm_frechet_as_scipy():
    e1, l1 = fsl.expm_frechet(A / 4, E)
    e2, l2 = sla.expm_frechet(A / 4, E)
    _close(e1, e2)
    _close(l1, l2, rtol=1e-9)
    _close(fsl.expm_frechet(A / 4, E, compute_expm=False), l2, rtol=1e-9)
    check_grads(lambda a, e: fsl.expm_frechet(a, e, compute_expm=False), (A / 4, E), order=2)


# ------------------------------------------------------------------ Schur and polar


def _real_eigenvalues(n):
    t = onp.diag(onp.arange(1.0, n + 1)) + onp.triu(rng.normal(size=(n, n)), 1)
    p = rng.normal(size=(n, n)) + 3 * onp.eye(n)
    return p @ t @ onp.linalg.inv(p)


def test_schur_tangent_reproduces_da():
    a = _real_eigenvalues(4)
    (t, z), (dt, dz) = fad.jvp(fsl.schur, (a,), (E,))
    _close(dz @ t @ z.T + z @ dt @ z.T + z @ t @ dz.T, E, atol=1e-9)
    _close(onp.tril(dt, -1), 0.0, atol=1e-10)  # T stays upper triangular
    _close(z.T @ dz + dz.T @ z, 0.0, atol=1e-10)  # Z stays orthogonal


def test_complex_schur_of_a_real_matrix_is_scipys():
    t, z = fsl.schur(B, output="complex")
    t2, z2 = sla.schur(B, output="complex")
    _close(t, t2)
    _close(z, z2)
    (t, z), (dt, dz) = fad.jvp(lambda a: fsl.schur(a, output="complex"), (B,), (E[:3, :3],))
    zh = z.conj().T
    _close(dz @ t @ zh + z @ dt @ zh + z @ t @ dz.conj().T, E[:3, :3], atol=1e-9)


def test_schur_refuses_what_it_cannot_differentiate():
    rot = onp.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])  # eigenvalues +-i, 2
    t, _ = fsl.schur(rot)
    _close(t, sla.schur(rot)[0])
    with pytest.raises(FadError, match="output='complex'"):
        fad.jvp(fsl.schur, (rot,), (E[:3, :3],))
    with pytest.raises(FadError, match="output='complex'"):
        fad.grad(lambda a: fsl.schur(a)[0][0, 0])(rot)
    check_grads(lambda a: fsl.schur(a, output="complex")[0][2, 2], (rot,), order=2)  # eigenvalue
    with pytest.raises(NotImplementedError, match="sort"):
        fsl.schur(rot, sort="lhp")
    with pytest.raises(ValueError, match="output"):
        fsl.schur(rot, output="upper")


def test_polar_is_differentiable_at_repeated_singular_values():
    u = onp.linalg.qr(rng.normal(size=(4, 4)))[0]  # every singular value is 1
    for side in ("right", "left"):
        out = fsl.polar(u, side=side)
        for g, w in zip(out, sla.polar(u, side=side), strict=True):
            _close(g, w)
        (uu, p), (du, dp) = fad.jvp(lambda a, side=side: fsl.polar(a, side=side), (u,), (E,))
        assert onp.all(onp.isfinite(du)) and onp.all(onp.isfinite(dp))
        _close(du @ p + uu @ dp if side == "right" else dp @ uu + p @ du, E, atol=1e-10)
        check_grads(lambda a, side=side: fsl.polar(a, side=side), (u,), order=2)


def test_polar_errors():
    with pytest.raises(ValueError, match="side"):
        fsl.polar(A, side="up")
    wide = rng.normal(size=(2, 3))
    _close(fsl.polar(wide)[0], sla.polar(wide)[0])  # the value is SciPy's
    with pytest.raises(FadError, match="side='left' for a wide matrix"):
        fad.jvp(fsl.polar, (wide,), (wide,))


# ------------------------------------------------------------------------------- eigh


def test_eigh_reads_one_triangle_and_differentiates_only_it():
    a = rng.normal(size=(4, 4))  # not symmetric: only a triangle counts
    for lower in (True, False):
        _close(fsl.eigh(a, lower=lower, eigvals_only=True), sla.eigh(a, lower=lower, eigvals_only=True))
        g = fad.grad(lambda m, lower=lower: fnp.sum(fsl.eigh(m, lower=lower, eigvals_only=True) ** 3))(a)
        other = onp.triu(g, 1) if lower else onp.tril(g, -1)
        assert onp.all(other == 0)


def test_eigh_generalized_and_subsets_as_scipy():
    sym = A + A.T
    w, v = fsl.eigh(sym, S)
    w2, v2 = sla.eigh(sym, S)
    _close(w, w2)
    _close(onp.abs(v), onp.abs(v2), rtol=1e-8)
    _close(v.T @ S @ v, onp.eye(4), atol=1e-10)
    w, v = fsl.eigh(sym, subset_by_index=[1, 2])
    w2, v2 = sla.eigh(sym, subset_by_index=[1, 2])
    _close(w, w2)
    _close(onp.abs(v), onp.abs(v2), rtol=1e-8)
    _close(fsl.eigh(sym, S, eigvals_only=True, driver="gvd"), sla.eigh(sym, S, eigvals_only=True))
    check_grads(lambda a, b: fsl.eigh(a, b, eigvals_only=True), (sym, S), order=2)


def test_eigh_errors():
    with pytest.raises(NotImplementedError, match="subset_by_value"):
        fsl.eigh(S, subset_by_value=(0.0, 1.0))
    with pytest.raises(ValueError, match="subset_by_index"):
        fsl.eigh(S, subset_by_index=(2, 4))
    with pytest.raises(NotImplementedError, match="type=1"):
        fsl.eigh(S, S, type=2)
    with pytest.raises(ValueError, match="must match"):
        fsl.eigh(S, B)


# --------------------------------------------------------------------------------- LU


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5), (2, 4, 4), (2, 3, 2)])
def test_lu_values_and_factors_reproduce_a(shape):
    a = rng.normal(size=shape)
    for got, want in zip(fsl.lu(a), sla.lu(a), strict=True):
        _close(got, want)
    for got, want in zip(fsl.lu(a, p_indices=True), sla.lu(a, p_indices=True), strict=True):
        _close(got, want)
        assert onp.asarray(got).dtype == want.dtype
    for got, want in zip(fsl.lu_factor(a), sla.lu_factor(a), strict=True):
        _close(got, want)
        assert onp.asarray(got).dtype == want.dtype
    (p, lo, u), (dp, dl, du) = fad.jvp(fsl.lu, (a,), (onp.ones(shape),))
    _close(dp, 0.0)
    _close(p @ (dl @ u + lo @ du), onp.ones(shape), atol=1e-10)


def test_lu_with_a_zero_pivot_and_a_singular_matrix_as_scipy():
    a = onp.array([[0.0, 2.0, 1.0], [0.0, 1.0, 3.0], [0.0, 4.0, 1.0]])  # a zero column
    for got, want in zip(fsl.lu(a), sla.lu(a), strict=True):
        _close(got, want)
    with pytest.raises(fnp.linalg.LinAlgError, match="[Ss]ingular"):
        fsl.lu_solve(fsl.lu_factor(a), onp.ones(3))


def test_lu_solve_every_trans_and_complex():
    c = A + 1j * rng.normal(size=A.shape)
    b = rng.normal(size=(4, 2)) + 1j * rng.normal(size=(4, 2))
    for trans, letter in ((0, "N"), (1, "T"), (2, "C")):
        for m in (A, c):
            want = sla.lu_solve(sla.lu_factor(m), b, trans=trans)
            _close(fsl.lu_solve(fsl.lu_factor(m), b, trans=trans), want)
            _close(fsl.lu_solve(fsl.lu_factor(m), b, trans=letter), want)
    # SciPy's own factors work too, and the solve differentiates in them
    lu_, piv = sla.lu_factor(A)
    check_grads(lambda f, rhs: fsl.lu_solve((f, piv), rhs), (lu_, b.real), order=2)


def test_lu_solve_under_vmap_with_batched_pivots():
    stack = A + rng.normal(size=(3, 4, 4))
    b = rng.normal(size=(4,))
    lu_, piv = fad.vmap(fsl.lu_factor)(stack)
    got = fad.vmap(lambda f, p: fsl.lu_solve((f, p), b))(lu_, piv)
    _close(got, onp.stack([onp.linalg.solve(m, b) for m in stack]))


def test_lu_solve_errors():
    lu_, piv = fsl.lu_factor(A)
    with pytest.raises(ValueError, match="piv"):
        fsl.lu_solve((lu_, piv[:2]), onp.ones(4))
    with pytest.raises(ValueError, match="b needs 4"):
        fsl.lu_solve((lu_, piv), onp.ones(3))
    with pytest.raises(ValueError, match="trans"):
        fsl.lu_solve((lu_, piv), onp.ones(4), trans=3)
    with pytest.raises(ValueError, match="pivot indices"):
        fsl.lu_solve((lu_, onp.array([0, 9, 2, 3])), onp.ones(4))


def test_lu_second_derivative_against_finite_differences():
    f = lambda a: fnp.sum(fsl.lu(a)[2] ** 2) + fnp.sum(fsl.lu(a)[1] ** 3)  # noqa: E731
    check_grads(f, (A,), order=2)
    h = fad.hessian(f)(A)
    _close(h, onp.swapaxes(onp.swapaxes(h, 0, 2), 1, 3), rtol=1e-8, atol=1e-8)  # symmetric


# ------------------------------------------------------------------ banded, structural


@pytest.mark.parametrize("lu_", [(0, 0), (1, 0), (0, 2), (2, 1), (3, 3)])
def test_solve_banded_as_scipy(lu_):
    lo, up = lu_
    n = 5
    ab = rng.normal(size=(lo + up + 1, n))
    ab[up] += 5.0
    b = rng.normal(size=(n, 2))
    _close(fsl.solve_banded(lu_, ab, b), sla.solve_banded(lu_, ab, b))
    g = fad.grad(lambda m: fnp.sum(fsl.solve_banded(lu_, m, b)))(ab)
    # entries of ab outside the band (its corners) are never read: zero gradient
    i, j = onp.indices(ab.shape)
    unused = (j - up + i < 0) | (j - up + i >= n)
    assert onp.all(g[unused] == 0)


def test_solve_banded_stays_in_the_band():
    n = 20000  # dense, its matrix alone would take 3.2 GB
    ab = onp.stack([rng.normal(size=n), rng.normal(size=n) + 4, rng.normal(size=n)])
    b = rng.normal(size=n)
    g = fad.grad(lambda m: fnp.sum(fsl.solve_banded((1, 1), m, b) ** 2))(ab)
    assert g.shape == ab.shape and g[0, 0] == 0 and g[2, -1] == 0
    _close(
        fad.vmap(lambda r: fsl.solve_banded((1, 1), ab, r))(onp.stack([b, 2 * b]))[1],
        2 * sla.solve_banded((1, 1), ab, b),
    )


def test_solve_banded_errors():
    with pytest.raises(ValueError, match=r"\(4, n\)"):
        fsl.solve_banded((2, 1), onp.ones((3, 5)), onp.ones(5))
    with pytest.raises(ValueError, match="b needs 5"):
        fsl.solve_banded((1, 1), onp.ones((3, 5)), onp.ones(4))
    with pytest.raises(fnp.linalg.LinAlgError, match="[Ss]ingular"):
        fsl.solve_banded((0, 0), onp.zeros((1, 3)), onp.ones(3))


def test_structured_matrices_as_scipy():
    c = rng.normal(size=4) + 1j * rng.normal(size=4)
    r = rng.normal(size=3)
    _close(fsl.toeplitz(c), sla.toeplitz(c))
    _close(fsl.toeplitz(c, r), sla.toeplitz(c, r))
    _close(fsl.toeplitz(2.0), sla.toeplitz(2.0))
    _close(fsl.circulant(c), sla.circulant(c))
    batch = rng.normal(size=(2, 3))
    _close(fsl.toeplitz(batch), sla.toeplitz(batch))
    _close(fsl.circulant(batch), sla.circulant(batch))
    blocks = ([1, 2], [[3.0]], 5, onp.ones((2, 0)), A, onp.ones((0, 2)))
    got = fsl.block_diag(*blocks)
    want = sla.block_diag(*blocks)
    _close(got, want)
    assert got.dtype == want.dtype
    assert fsl.block_diag().shape == sla.block_diag().shape
    assert (
        fsl.block_diag(onp.array([[1, 2]]), onp.array([[3]])).dtype == sla.block_diag([[1, 2]], [[3]]).dtype
    )
    with pytest.raises(ValueError, match="at most 2-d"):
        fsl.block_diag(onp.ones((2, 2, 2)))


def test_structured_matrices_under_transforms():
    c, r = rng.normal(size=4), rng.normal(size=3)
    # each entry of c, r appears along one diagonal: the gradient of the sum counts it
    g = fad.grad(lambda c, r: fnp.sum(fsl.toeplitz(c, r)), argnums=(0, 1))(c, r)
    _close(g[0], [3.0, 3.0, 2.0, 1.0])
    _close(g[1], [0.0, 2.0, 1.0])
    _close(fad.grad(lambda c: fnp.sum(fsl.circulant(c)))(c), onp.full(4, 4.0))
    stack = rng.normal(size=(3, 4))
    _close(fad.vmap(fsl.circulant)(stack), sla.circulant(stack))
    _close(fad.jit(fsl.toeplitz)(c, r), sla.toeplitz(c, r))
    _close(fad.vmap(lambda a, b: fsl.block_diag(a, b))(stack, stack), [sla.block_diag(s, s) for s in stack])


# ------------------------------------------------------------- properties on random sizes

PROPERTY_FUNS = {
    "solve_sylvester": lambda a, b: fsl.solve_sylvester(a, b.T @ b + onp.eye(len(b)), a + b),
    "sqrtm": lambda a, b: fsl.sqrtm(a @ a.T + onp.eye(len(a))),
    "logm": lambda a, b: fsl.logm(a @ a.T + onp.eye(len(a))),
    "schur": lambda a, b: fsl.schur(onp.diag(onp.arange(1.0, len(a) + 1)) + 0.2 * a @ a.T)[0],
    "lu": lambda a, b: fsl.lu(a + 3 * onp.eye(len(a)))[1:],
    "lu_solve": lambda a, b: fsl.lu_solve(fsl.lu_factor(a + 3 * onp.eye(len(a))), b),
    "polar": lambda a, b: fsl.polar(a + 3 * onp.eye(len(a)), side="left"),
    "eigh": lambda a, b: fsl.eigh(a, b @ b.T + onp.eye(len(b)), eigvals_only=True),
    "toeplitz": lambda a, b: fsl.toeplitz(a[0], b[:, 0]),
}


@hst.composite
def _property_case(draw):
    name = draw(hst.sampled_from(sorted(PROPERTY_FUNS)))
    n = draw(hst.integers(1, 4))
    r = onp.random.default_rng(draw(hst.integers(0, 2**16)))
    return name, 0.5 * r.normal(size=(n, n)), 0.5 * r.normal(size=(n, n)), r


@settings(max_examples=30, deadline=None, derandomize=True)
@given(_property_case())
def test_adjoint_identity_and_vmap_on_random_sizes(case):
    name, a, b, r = case
    f = PROPERTY_FUNS[name]
    t = (r.normal(size=a.shape), r.normal(size=b.shape))
    out, tangent = fad.jvp(f, (a, b), t)
    cts = fad.tree_util.tree_map(lambda o: r.normal(size=onp.shape(o)), out)
    _, pullback = fad.vjp(f, a, b)
    lhs = sum(
        onp.sum(c * d)
        for c, d in zip(fad.tree_util.tree_leaves(cts), fad.tree_util.tree_leaves(tangent), strict=True)
    )
    rhs = sum(onp.sum(c * d) for c, d in zip(pullback(cts), t, strict=True))
    onp.testing.assert_allclose(lhs, rhs, rtol=1e-8, atol=1e-10)
    batch = onp.stack([a, a + 0.01, a - 0.02]), onp.stack([b, b * 0.9, b + 0.03])
    got = fad.vmap(f)(*batch)
    want = [f(x, y) for x, y in zip(*batch, strict=True)]
    fad.tree_util.tree_map(lambda g, *w: _close(g, onp.stack(w)), got, *want)


def test_structured_matrices_keep_scipys_dtypes():
    for args in (([1, 2, 3],), ([1, 2, 3], [1, 5]), ([1, 2], [1.5, 2.0]), ([True, False],)):
        got, want = fsl.toeplitz(*args), sla.toeplitz(*args)
        assert got.dtype == want.dtype and onp.array_equal(got, want), args
    for c in ([1, 2, 3], [1.0, 2j]):
        assert fsl.circulant(c).dtype == sla.circulant(c).dtype
    assert fsl.block_diag([True], [[3.5]]).dtype == sla.block_diag([True], [[3.5]]).dtype


# ------------------------------------------------------- complex derivatives: JAX's values
# jax.jvp / jax.vjp (jax 0.10.2, x64; polar with method="svd") on the same complex inputs,
# directions and cotangents as below, fingerprinted as sum(w * jvp(t)) over the outputs and
# sum(s * vjp(ct)) over the inputs (the convention of tests/test_linalg_complex.py).

JAX_FINGERPRINTS = {
    "lu": (-1.1016185270123 - 10.2778129923698j, 0.1880722536023 + 3.5619544730235j),
    "lu-tall": (10.1905536320014 - 0.7160187490783j, 6.2547735485680 + 1.8420344523727j),
    "lu_solve": (-2.3686815830187 - 2.1656686620420j, 3.0112814019996 - 1.0630878912654j),
    "polar": (5.5318468041869 + 2.6964306804311j, -0.6601316759452 + 3.8216083686140j),
    "polar-left": (-2.6941245768254 + 2.1944202271254j, 3.5688226999107 + 3.0544091180241j),
    "polar-tall": (-1.3677973600922 - 1.9023010011660j, -0.8543786674312 + 4.1669479328854j),
    "toeplitz": (0.9649378629347 - 8.7095279955075j, 1.7117454759794 - 6.0368086229916j),
    "block_diag": (-6.6003359598415 + 2.7345339946690j, 6.6888895456557 - 2.4546750207480j),
}
JAX_FUNS = {
    "lu": fsl.lu,
    "lu-tall": fsl.lu,
    "lu_solve": lambda a, b: fsl.lu_solve(fsl.lu_factor(a), b),
    "polar": fsl.polar,
    "polar-left": lambda a: fsl.polar(a, side="left"),
    "polar-tall": fsl.polar,
    "toeplitz": fsl.toeplitz,
    "block_diag": fsl.block_diag,
}


def _crand(r, *s):
    return r.normal(size=s) + 1j * r.normal(size=s)


def _jax_cases():
    r = onp.random.default_rng(7)
    a = _crand(r, 3, 3) + 2 * onp.eye(3)
    t43 = _crand(r, 4, 3)
    b = _crand(r, 3, 2)
    c4, r3 = _crand(r, 4), _crand(r, 3)
    return {"lu": (a,), "lu-tall": (t43,), "lu_solve": (a, b), "polar": (a,), "polar-left": (a,),
            "polar-tall": (t43,), "toeplitz": (c4, r3), "block_diag": (a, b)}  # fmt: skip


@pytest.mark.parametrize("name", list(JAX_FUNS))
def test_complex_derivatives_match_jax(name):
    f, args = JAX_FUNS[name], _jax_cases()[name]
    r = onp.random.default_rng(100 + list(JAX_FUNS).index(name))
    outs = fad.tree_util.tree_leaves(f(*args))
    ts = [_crand(r, *onp.shape(x)) for x in args]
    cts = [_crand(r, *onp.shape(y)) for y in outs]
    ws = [_crand(r, *onp.shape(y)) for y in outs]
    ss = [_crand(r, *onp.shape(x)) for x in args]
    _, ty = fad.jvp(f, args, tuple(ts))
    y, pull = fad.vjp(f, *args)
    leaves, tree = fad.tree_util.tree_flatten(y)
    cts = [c if onp.iscomplexobj(o) else c.real for c, o in zip(cts, leaves, strict=True)]
    g = pull(fad.tree_util.tree_unflatten(tree, cts))
    got = (
        sum(onp.sum(w * t) for w, t in zip(ws, fad.tree_util.tree_leaves(ty), strict=True)),
        sum(onp.sum(s * x) for s, x in zip(ss, g, strict=True)),
    )
    onp.testing.assert_allclose(got, JAX_FINGERPRINTS[name], rtol=1e-9)


def test_logm_derivatives_raise_no_accuracy_warning(recwarn):
    r = onp.random.default_rng(2)  # SciPy's logm warns on a derivative's block matrix here
    stack = r.normal(size=(2, 4, 4)) + 3 * onp.eye(4)
    stack = stack @ onp.swapaxes(stack, -1, -2)
    for m in stack:
        sla.logm(m)  # but not on these matrices themselves
    assert not [w for w in recwarn if "inaccurate" in str(w.message)]
    fad.vmap(fad.grad(lambda a: fnp.sum(fsl.logm(a) ** 2)))(stack)
    assert not [w for w in recwarn if "inaccurate" in str(w.message)]


@pytest.mark.parametrize(
    "name, args",
    [
        ("solve_sylvester", "aaa"), ("solve_continuous_lyapunov", "aa"), ("sqrtm", "s"), ("logm", "s"),
        ("schur", "s"), ("polar", "a"), ("lu", "a"), ("lu_factor", "a"), ("eigh", "s"),
        ("toeplitz", "v"), ("circulant", "v"), ("block_diag", "aa"),
    ],
)  # fmt: skip
def test_float32_results_have_scipys_dtypes(name, args):
    a = (A[:3, :3]).astype(onp.float32)
    pick = {"a": a, "s": a @ a.T, "v": a[0]}
    got = getattr(fsl, name)(*(pick[c] for c in args))
    want = getattr(sla, name)(*(pick[c] for c in args))
    got, want = fad.tree_util.tree_leaves(got), fad.tree_util.tree_leaves(want)
    assert [onp.asarray(g).dtype for g in got] == [onp.asarray(w).dtype for w in want]
