"""Linear algebra beyond the generic records: values against NumPy/SciPy, derivatives
at special points (singular matrices, zero vectors, repeated eigenvalues), third order,
stacked matrices under vmap, and clear errors."""

import fractions
import itertools

import numpy as onp
import pytest
from hypothesis import given
from hypothesis import settings as st_settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp
import fad.scipy.linalg as fsl
from fad.test_util import check_grads, check_vmap

L = fnp.linalg
rng = onp.random.default_rng(42)


def _spd(n=3):
    a = rng.normal(size=(n, n))
    return a @ a.T + n * onp.eye(n)


A = rng.normal(size=(3, 3)) + 2 * onp.eye(3)
S = _spd()
T = rng.normal(size=(4, 3))


# -------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "name, args",
    [
        ("solve", (A, T[:3])), ("inv", (A,)), ("det", (A,)), ("cholesky", (S,)),
        ("eigvalsh", (S,)), ("pinv", (T,)), ("svdvals", (T,)), ("matrix_rank", (T,)),
        ("cond", (A,)), ("trace", (A,)), ("matrix_norm", (T,)), ("vector_norm", (T,)),
    ],
)  # fmt: skip
def test_values_match_numpy(name, args):
    onp.testing.assert_allclose(
        getattr(L, name)(*args), getattr(onp.linalg, name)(*args), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("ord", [None, 1, -1, 2, -2, onp.inf, -onp.inf, 0, 3, 0.5])
def test_vector_norm_values(ord):
    x = rng.normal(size=5)
    onp.testing.assert_allclose(L.norm(x, ord), onp.linalg.norm(x, ord), rtol=1e-12)


@pytest.mark.parametrize("ord", [None, "fro", "nuc", 1, -1, 2, -2, onp.inf, -onp.inf])
@pytest.mark.parametrize("axis, keepdims", [(None, False), ((0, 1), True), ((1, 0), False)])
def test_matrix_norm_values(ord, axis, keepdims):
    onp.testing.assert_allclose(
        L.norm(T, ord, axis, keepdims), onp.linalg.norm(T, ord, axis, keepdims), rtol=1e-12
    )


def test_decompositions_reconstruct():
    u, s, vt = L.svd(T, full_matrices=False)
    onp.testing.assert_allclose((u * s) @ vt, T, atol=1e-12)
    U, s2, VT = L.svd(T)
    assert U.shape == (4, 4) and VT.shape == (3, 3)
    q, r = L.qr(T)
    onp.testing.assert_allclose(q @ r, T, atol=1e-12)
    assert L.qr(T, mode="complete")[0].shape == (4, 4)
    w, v = L.eigh(S)
    onp.testing.assert_allclose((v * w) @ v.T, S, atol=1e-12)
    sign, logdet = L.slogdet(A)
    onp.testing.assert_allclose(sign * onp.exp(logdet), onp.linalg.det(A))
    x, res, rank, sv = L.lstsq(T, onp.arange(4.0))
    ex, eres, erank, esv = onp.linalg.lstsq(T, onp.arange(4.0))
    onp.testing.assert_allclose(x, ex, atol=1e-12)
    onp.testing.assert_allclose(res, eres, rtol=1e-10)
    assert rank == erank
    onp.testing.assert_allclose(L.multi_dot([T.T, T, onp.ones(3)]), T.T @ T @ onp.ones(3))
    for n in (-3, -1, 0, 1, 2, 5):
        onp.testing.assert_allclose(L.matrix_power(A, n), onp.linalg.matrix_power(A, n), rtol=1e-10)


EINSUMS = [
    ("ij,jk->ik", [(3, 4), (4, 2)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]), ("ij->", [(2, 3)]),
    ("ij", [(2, 3)]), ("ji", [(2, 3)]), ("i,i", [(3,), (3,)]), ("i,j", [(3,), (2,)]),
    ("...ij,...jk", [(2, 3, 4), (4, 2)]), ("...i,...i->...", [(2, 3), (1, 3)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]), ("iij->ji", [(3, 3, 2)]),
    ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("ii,i->i", [(3, 3), (3,)]), ("i,i,i->", [(3,), (3,), (3,)]),
    ("iii->i", [(2, 2, 2)]), ("ab,ab->", [(2, 3), (2, 3)]), ("...", [(2, 3)]), (",ij->ij", [(), (2, 3)]),
]  # fmt: skip


@pytest.mark.parametrize("spec, shapes", EINSUMS, ids=[e[0] for e in EINSUMS])
def test_einsum_matches_numpy_and_differentiates(spec, shapes):
    args = [rng.normal(size=s) for s in shapes]
    got = fnp.einsum(spec, *args)
    want = onp.einsum(spec, *args)
    assert onp.shape(got) == want.shape
    onp.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    check_grads(lambda *a: fnp.einsum(spec, *a), args, order=2)


def test_einsum_sublist_form_and_errors():
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    onp.testing.assert_allclose(fnp.einsum(a, [0, 1], b, [1, 2], [0, 2]), a @ b)
    with pytest.raises(ValueError, match="operands"):
        fnp.einsum("ij,jk", a)
    with pytest.raises(ValueError, match="size"):
        fnp.einsum("ij,ij", a, b)
    with pytest.raises(ValueError, match="labels"):
        fnp.einsum("ijk", a)


@pytest.mark.parametrize(
    "sa, sb", [((2, 3), (3, 2)), ((3,), (2, 2)), ((2, 2), (3,)), ((), (2,)), ((2, 1, 2), (2, 2))]
)
def test_kron_values(sa, sb):
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    onp.testing.assert_allclose(fnp.kron(a, b), onp.kron(a, b))


# ------------------------------------------------------------------ SciPy as oracle


def test_scipy_linalg_values():
    sla = pytest.importorskip("scipy.linalg")
    for scale in (0.1, 1.0, 5.0, 30.0):
        m = rng.normal(size=(4, 4)) * scale / 2
        onp.testing.assert_allclose(fsl.expm(m), sla.expm(m), rtol=1e-10, atol=1e-12)
    E = rng.normal(size=(3, 3))
    e1, l1 = fsl.expm_frechet(A, E)
    e2, l2 = sla.expm_frechet(A, E)
    onp.testing.assert_allclose(l1, l2, rtol=1e-9)
    b = rng.normal(size=(3, 2))
    for lower in (True, False):
        for trans in (0, 1, "T"):
            for unit in (False, True):
                onp.testing.assert_allclose(
                    fsl.solve_triangular(A, b, trans=trans, lower=lower, unit_diagonal=unit),
                    sla.solve_triangular(A, b, trans=trans, lower=lower, unit_diagonal=unit),
                    rtol=1e-10,
                )
        c = fsl.cho_factor(S, lower=lower)
        onp.testing.assert_allclose(
            fsl.cho_solve(c, b), sla.cho_solve(sla.cho_factor(S, lower=lower), b), rtol=1e-10
        )
        onp.testing.assert_allclose(fsl.cholesky(S, lower=lower), sla.cholesky(S, lower=lower), rtol=1e-12)


def test_expm_derivative_is_frechet_against_scipy():
    sla = pytest.importorskip("scipy.linalg")
    E = rng.normal(size=(3, 3))
    _, t = fad.jvp(fsl.expm, (A,), (E,))
    onp.testing.assert_allclose(t, sla.expm_frechet(A, E, compute_expm=False), rtol=1e-9)
    check_grads(fsl.expm, (A,), order=2)


# ----------------------------------------------------------- special points


def test_det_gradient_at_singular_matrix_is_adjugate():
    a = onp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])  # rank 2
    g = fad.grad(L.det)(a)
    cof = onp.array(
        [
            [onp.linalg.det(onp.delete(onp.delete(a, i, 0), j, 1)) * (-1) ** (i + j) for j in range(3)]
            for i in range(3)
        ]
    )
    onp.testing.assert_allclose(g, cof, atol=1e-12)
    assert onp.all(onp.isfinite(g)) and onp.abs(g).max() > 1
    t = rng.normal(size=(3, 3))
    onp.testing.assert_allclose(fad.jvp(L.det, (a,), (t,))[1], onp.sum(cof * t), atol=1e-12)
    # finite differences agree (the determinant is a polynomial)
    check_grads(L.det, (a,), order=1)
    z = onp.zeros((3, 3))
    onp.testing.assert_allclose(fad.grad(L.det)(z), onp.zeros((3, 3)))


def test_det_higher_order_at_identity():
    H = fad.hessian(L.det)(onp.eye(3))
    check_grads(L.det, (onp.eye(3),), order=3)
    assert onp.all(onp.isfinite(H))


def test_det_derivatives_of_a_non_finite_matrix_are_nan_not_an_error():
    # det's value there is LAPACK's (NaN or inf); its derivatives are NaN, as JAX's, where
    # the adjugate's SVD would raise "SVD did not converge" from inside the rule
    bad = onp.array([[0.0, -0.0, 1.5], [-2.25, onp.inf, -onp.inf], [onp.nan, 5e-324, -1e308]])
    with onp.errstate(all="ignore"):
        assert onp.isnan(fad.grad(L.det)(bad)).all()
        assert onp.isnan(fad.jvp(L.det, (bad,), (onp.ones((3, 3)),))[1])
        bad = onp.array([[1.0, onp.inf], [2.0, 3.0]])
        assert onp.isnan(fad.jacfwd(fad.grad(L.det))(bad)).all()
        stack = onp.stack([bad, onp.array([[2.0, 1.0], [1.0, 3.0]])])
        g = fad.vmap(fad.grad(L.det))(stack)
    assert onp.isnan(g[0]).all()
    onp.testing.assert_allclose(g[1], [[3.0, -1.0], [-1.0, 2.0]])


def test_norm_derivatives_at_zero_are_zero_not_nan():
    for f in (L.norm, lambda x: L.norm(x, 2), lambda x: L.vector_norm(x)):
        onp.testing.assert_array_equal(fad.grad(f)(onp.zeros(3)), onp.zeros(3))
        onp.testing.assert_array_equal(fad.jvp(f, (onp.zeros(3),), (onp.ones(3),))[1], 0.0)
    onp.testing.assert_array_equal(fad.grad(lambda x: L.norm(x, "fro"))(onp.zeros((2, 2))), onp.zeros((2, 2)))
    onp.testing.assert_array_equal(fad.grad(lambda x: L.norm(x) ** 2)(onp.zeros(3)), onp.zeros(3))
    # away from 0 the usual x / |x|
    x = onp.array([3.0, 4.0])
    onp.testing.assert_allclose(fad.grad(L.norm)(x), x / 5)


def test_repeated_eigenvalues():
    """eigvalsh and svdvals stay finite at repeated eigenvalues; eigenvector derivatives
    divide by the gap and are not finite there (as JAX)."""
    eye = onp.eye(3)
    g = fad.grad(lambda a: fnp.sum(L.eigvalsh(a) ** 2))(eye)
    onp.testing.assert_allclose(g, 2 * eye, atol=1e-12)
    onp.testing.assert_allclose(fad.grad(lambda a: fnp.sum(L.svd(a, compute_uv=False)))(eye), eye, atol=1e-12)
    with onp.errstate(divide="ignore", invalid="ignore"):
        gv = fad.grad(lambda a: fnp.sum(L.eigh(a)[1] * onp.arange(9.0).reshape(3, 3)))(eye)
    assert not onp.all(onp.isfinite(gv))


def test_eigh_and_svd_gradients_distinct_spectrum_against_finite_differences():
    w = onp.array([1.0, 2.5, 4.0])
    q, _ = onp.linalg.qr(rng.normal(size=(3, 3)))
    a = (q * w) @ q.T
    a = (a + a.T) / 2

    def f(a):  # depends on eigenvector signs only through a sign-invariant expression
        w, v = L.eigh(a)
        return fnp.sum(v[:, 0] ** 2 * onp.arange(3.0)) + fnp.sum(w**3)

    g = fad.grad(f)(a)
    eps = 1e-6
    for _ in range(3):
        d = rng.normal(size=(3, 3))
        d = d + d.T
        fd = (f(a + eps * d) - f(a - eps * d)) / (2 * eps)
        assert abs(fd - onp.sum(g * d)) < 1e-6
    check_grads(lambda a: tuple(L.eigh(a)), (a,), order=2)
    m = q @ onp.diag([1.0, 2.0, 3.0]) @ onp.linalg.qr(rng.normal(size=(3, 3)))[0]
    check_grads(lambda a: tuple(L.svd(a)), (m,), order=2)
    u0 = lambda a: fnp.sum(L.svd(a)[0][:, 0] ** 2 * onp.arange(3.0))
    g = fad.grad(u0)(m)
    d = rng.normal(size=(3, 3))
    assert abs((u0(m + eps * d) - u0(m - eps * d)) / (2 * eps) - onp.sum(g * d)) < 1e-6


def test_eigh_gradient_is_symmetric_like_jax():
    g = fad.grad(lambda a: L.eigvalsh(a)[-1])(rng.normal(size=(3, 3)))
    onp.testing.assert_allclose(g, g.T, atol=1e-12)


# -------------------------------------------------------------- higher order, vmap


THIRD = {
    "inv": (L.inv, A), "det": (L.det, A), "cholesky": (L.cholesky, S),
    "slogdet": (lambda a: L.slogdet(a)[1], A), "expm": (fsl.expm, A / 3),
    "solve_triangular": (lambda a: fsl.solve_triangular(a, onp.ones(3), lower=True), S),
    "eigvalsh": (L.eigvalsh, onp.diag([1.0, 2.0, 3.0]) + 0.1 * S / 3),
}  # fmt: skip


@pytest.mark.parametrize("name", list(THIRD))
def test_third_order(name):
    f, a = THIRD[name]
    check_grads(f, (a,), order=3)


def test_jacfwd_equals_jacrev_on_decompositions():
    for f, a in [(lambda a: L.eigh(a)[1], S), (lambda a: L.svd(a)[0], T[:3] + onp.diag([0.0, 1.0, 2.0])),
                 (lambda a: L.qr(a)[0], T), (L.cholesky, S)]:  # fmt: skip
        onp.testing.assert_allclose(fad.jacfwd(f)(a), fad.jacrev(f)(a), atol=1e-9)


def test_vmap_of_stacked_matrices_and_of_grad():
    As = onp.stack([A, A.T, A + onp.eye(3)])
    Ss = onp.stack([S, S + onp.eye(3), 2 * S])
    for f, xs in [(L.det, As), (L.inv, As), (L.cholesky, Ss), (lambda a: tuple(L.eigh(a)), Ss),
                  (lambda a: tuple(L.svd(a)), As), (lambda a: tuple(L.qr(a)), As), (fsl.expm, As / 3),
                  (fad.grad(L.det), As), (fad.grad(lambda a: fnp.sum(L.cholesky(a))), Ss),
                  (fad.jacfwd(L.inv), As), (lambda a: L.norm(a, 2), As)]:  # fmt: skip
        check_vmap(f, (xs,), atol=1e-10, rtol=1e-10)
    b = rng.normal(size=(3, 3, 2))
    check_vmap(L.solve, (As, b), atol=1e-10, rtol=1e-10)
    check_vmap(L.solve, (A, b), in_axes=(None, 0), atol=1e-10, rtol=1e-10)
    check_vmap(lambda a, b: fsl.solve_triangular(a, b, lower=True), (As, b), atol=1e-10, rtol=1e-10)
    check_vmap(lambda a, b: fnp.einsum("ij,jk->ik", a, b), (As, b), atol=1e-10, rtol=1e-10)
    check_vmap(lambda a: fnp.einsum("ii", a), (As,), atol=1e-10, rtol=1e-10)


def test_float32_stays_float32():
    a = A.astype(onp.float32)
    for f in (
        L.inv,
        L.det,
        L.cholesky,
        lambda a: L.eigh(a)[1],
        fsl.expm,
        lambda a: fnp.einsum("ij,jk", a, a),
    ):
        assert f(a @ a.T if f is L.cholesky else a).dtype == onp.float32
    assert fad.grad(L.det)(a).dtype == onp.float32


# ---------------------------------------------------------------------- errors


def test_errors_are_clear():
    with pytest.raises(L.LinAlgError, match="square"):
        L.inv(T)
    with pytest.raises(L.LinAlgError, match="two-dimensional"):
        L.det(onp.ones(3))
    with pytest.raises(L.LinAlgError):
        L.solve(onp.zeros((2, 2)), onp.ones(2))
    with pytest.raises(fad.FadError if hasattr(fad, "FadError") else Exception, match="full_matrices=False"):
        fad.grad(lambda a: fnp.sum(L.svd(a)[0]))(T)
    with pytest.raises(Exception, match="m >= n"):
        fad.grad(lambda a: fnp.sum(L.qr(a)[1]))(T.T)
    with pytest.raises(ValueError, match="invalid norm order"):
        L.norm(T, "bogus")


@pytest.mark.parametrize(
    "a_shape, b_shape, in_axes",
    [
        ((5, 3, 4), (4, 2), (0, None)),  # batched rows folded into one product
        ((3, 4), (5, 4, 2), (None, 0)),  # batched columns folded
        ((3, 4), (5, 4, 1), (None, 0)),  # matrix-vector
        ((3, 4), (4, 5, 2), (None, 1)),  # batch axis not first
        ((5, 6, 3, 4), (4, 2), (0, None)),  # extra stacked dims
        ((3, 4), (5, 6, 4, 2), (None, 0)),
        ((5, 3, 4), (5, 4, 2), (0, 0)),  # both batched
    ],
)
def test_matmul_batching_folds_match_loop(a_shape, b_shape, in_axes):
    rng = onp.random.default_rng(3)
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    f = lambda x, y: fnp.matmul(x, y)  # noqa: E731
    got = fad.vmap(f, in_axes=in_axes)(a, b)
    n = a_shape[in_axes[0]] if in_axes[0] is not None else b_shape[in_axes[1]]
    take = lambda arr, ax, i: arr if ax is None else onp.take(arr, i, axis=ax)  # noqa: E731
    want = onp.stack([onp.matmul(take(a, in_axes[0], i), take(b, in_axes[1], i)) for i in range(n)])
    onp.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # and its derivatives, through the folded path
    g = fad.vmap(fad.grad(lambda x, y: fnp.sum(fnp.tanh(f(x, y))), argnums=(0, 1)), in_axes=in_axes)(a, b)
    for k in range(len(in_axes)):
        per = onp.stack(
            [
                fad.grad(lambda x, y: fnp.sum(fnp.tanh(f(x, y))), argnums=k)(
                    take(a, in_axes[0], i), take(b, in_axes[1], i)
                )
                for i in range(n)
            ]
        )
        onp.testing.assert_allclose(g[k], per, rtol=1e-10, atol=1e-12)  # stacked on out_axes=0


# ------------------------------------------- det at singular matrices, to every order


def _levi_civita(n):
    eps = onp.zeros((n,) * n)
    for p in itertools.permutations(range(n)):
        eps[p] = onp.linalg.det(onp.eye(n)[list(p)])
    return eps


def _low_rank(n, r, rng=rng):
    return rng.normal(size=(n, r)) @ rng.normal(size=(r, n))


def _fd_jacobian(f, a, h=1e-5):
    """Central differences of ``f`` (array -> array) in every entry of ``a``."""
    cols = []
    for i in range(a.size):
        e = onp.zeros(a.size)
        e[i] = h
        e = e.reshape(a.shape)
        cols.append((onp.asarray(f(a + e)) - onp.asarray(f(a - e))) / (2 * h))
    return onp.moveaxis(onp.stack(cols), 0, -1).reshape(onp.shape(f(a)) + a.shape)


HESSIANS = {
    "hessian": fad.hessian(L.det),
    "jacfwd(jacrev)": fad.jacfwd(fad.jacrev(L.det)),
    "jacrev(jacfwd)": fad.jacrev(fad.jacfwd(L.det)),
    "jacrev(jacrev)": fad.jacrev(fad.jacrev(L.det)),
    "jacfwd(jacfwd)": fad.jacfwd(fad.jacfwd(L.det)),
}
THIRDS = {
    "fwd-fwd-rev": fad.jacfwd(fad.jacfwd(fad.jacrev(L.det))),
    "rev-rev-rev": fad.jacrev(fad.jacrev(fad.jacrev(L.det))),
    "fwd-rev-fwd": fad.jacfwd(fad.jacrev(fad.jacfwd(L.det))),
}


@pytest.mark.parametrize("how", list(HESSIANS))
def test_det_hessian_2x2_is_the_constant_permutation_pattern(how):
    """d2 det / dA_ij dA_kl = eps_ik eps_jl for every 2x2 matrix: it was NaN at singular ones."""
    want = onp.einsum("ik,jl->ijkl", _levi_civita(2), _levi_civita(2))
    for a in (
        [[0.0, 0.0], [1.0, 2.0]],
        [[1.0, 2.0], [2.0, 4.0]],
        onp.zeros((2, 2)),
        [[0.0, 1.0], [0.0, 0.0]],
        A[:2, :2],
    ):
        got = HESSIANS[how](onp.array(a))
        onp.testing.assert_allclose(got, want, atol=1e-12)


@pytest.mark.parametrize("how", list(THIRDS))
@pytest.mark.parametrize("rank", [0, 1, 2, 3])
def test_det_third_derivative_3x3_closed_form(how, rank):
    """det of a 3x3 is cubic: its third derivative is eps_ikm eps_jln everywhere."""
    e = _levi_civita(3)
    want = onp.einsum("ikm,jln->ijklmn", e, e)
    a = _low_rank(3, rank)
    onp.testing.assert_allclose(THIRDS[how](a), want, atol=1e-10)


@pytest.mark.parametrize("n, rank", [(3, 2), (3, 1), (4, 3), (4, 2), (4, 1), (3, 0)])
def test_det_hessian_and_third_at_low_rank_against_finite_differences(n, rank):
    a = _low_rank(n, rank)
    H = fad.hessian(L.det)(a)
    assert onp.all(onp.isfinite(H))
    onp.testing.assert_allclose(H, _fd_jacobian(fad.grad(L.det), a), atol=1e-8)
    T3 = fad.jacfwd(fad.jacfwd(fad.jacrev(L.det)))(a)
    onp.testing.assert_allclose(T3, _fd_jacobian(fad.hessian(L.det), a), atol=1e-8)
    onp.testing.assert_allclose(fad.jacrev(fad.jacfwd(L.det))(a), H, atol=1e-12)
    check_grads(L.det, (a,), order=3)


def _exact_det_hessian(a):
    """d2 det / dA_ij dA_kl from the (n-2)-minors, in exact rational arithmetic."""
    n = a.shape[0]
    q = [[fractions.Fraction(x) for x in row] for row in a]

    def minor(rows, cols):
        total = fractions.Fraction(0)
        for p in itertools.permutations(range(len(cols))):
            term = fractions.Fraction(round(onp.linalg.det(onp.eye(len(p))[list(p)])))
            for r, c in zip(rows, p, strict=True):
                term *= q[r][cols[c]]
            total += term
        return total

    H = onp.zeros((n,) * 4)
    for i, j, k, m in itertools.product(range(n), repeat=4):
        if i != k and j != m:
            rows = [r for r in range(n) if r not in (i, k)]
            cols = [c for c in range(n) if c not in (j, m)]
            sign = (-1) ** (i + j + k + m) * (1 if (i < k) == (j < m) else -1)
            H[i, j, k, m] = float(sign * minor(rows, cols))
    return H


@pytest.mark.parametrize(
    "spectrum",
    [
        [1, 1, 1, 1e-12],  # cond 1e12, nearly rank 3
        [1, 1, 1e-12, 1e-13],  # nearly rank 2
        [1, 1e-4, 1e-8, 1e-13],  # graded
        [1e3, 1, 1e-6, 0.0],  # singular, badly scaled
        [1, 1, 1, 0.0],
        [1, 1, 0.0, 0.0],
        [2, 1, 0.5, 0.25],  # well conditioned
    ],
)
def test_det_hessian_near_singular_matches_exact_minors(spectrum):
    r = onp.random.default_rng(11)
    u, _ = onp.linalg.qr(r.normal(size=(4, 4)))
    v, _ = onp.linalg.qr(r.normal(size=(4, 4)))
    a = (u * onp.array(spectrum)) @ v.T
    want = _exact_det_hessian(a)
    scale = onp.abs(want).max()
    for how in ("hessian", "jacrev(jacrev)"):
        err = onp.abs(HESSIANS[how](a) - want).max() / scale
        assert err < 1e-9, (how, err)  # the dividing formula: 1e-4 .. 3 here


def test_det_higher_derivatives_batched_stacked_staged_and_in_taylor_mode():
    As = onp.stack(
        [_low_rank(3, 2), _low_rank(3, 1), A, onp.zeros((3, 3)), _low_rank(3, 0) + onp.eye(3) * 1e-13]
    )
    H = fad.hessian(L.det)
    loop = onp.stack([H(a) for a in As])
    onp.testing.assert_allclose(fad.vmap(H)(As), loop, atol=1e-12)
    T3 = THIRDS["fwd-fwd-rev"]
    onp.testing.assert_allclose(fad.vmap(T3)(As), onp.stack([T3(a) for a in As]), atol=1e-12)
    # stacked (5, 3, 3) matrices: the Hessian of sum(det) is block diagonal
    Hs = fad.hessian(lambda a: fnp.sum(L.det(a)))(As)
    onp.testing.assert_allclose(onp.stack([Hs[i, :, :, i] for i in range(5)]), loop, atol=1e-12)
    check_vmap(H, (As,), atol=1e-12, rtol=1e-12)
    # jit: captured at a nonsingular matrix, still exact at rank n - 1
    J = fad.jit(H)
    onp.testing.assert_allclose(J(A), loop[2], atol=1e-12)
    onp.testing.assert_allclose(J(As[0]), loop[0], atol=1e-12)
    # jet: det(a + t v) is a cubic polynomial
    for a in As[:2]:
        v = rng.normal(size=(3, 3))
        z = onp.zeros((3, 3))
        _, (y1, y2, y3) = fad.jet(L.det, (a,), ((v, z, z),))
        ts = onp.linspace(-1, 1, 7)
        c = onp.polynomial.polynomial.polyfit(ts, [onp.linalg.det(a + t * v) for t in ts], 3)
        onp.testing.assert_allclose([y1, y2, y3], [c[1], 2 * c[2], 6 * c[3]], atol=1e-10)
    assert H(As[0].astype(onp.float32)).dtype == onp.float32


@st_settings(max_examples=30, deadline=None, derandomize=True)
@given(
    n=hst.integers(2, 4),
    deficiency=hst.sampled_from([1, 2]),
    tiny=hst.sampled_from([0.0, 1e-13, 1e-10, 1e-7]),
    seed=hst.integers(0, 2**16),
)
def test_det_second_derivatives_property(n, deficiency, tiny, seed):
    """Rank n-1 and n-2 matrices (or nearly so, the small singular values ``tiny``):
    hessian(det) against finite differences of the gradient, jacfwd(jacrev) ==
    jacrev(jacfwd), and vmap of both against a loop."""
    r = onp.random.default_rng(seed)
    u, _ = onp.linalg.qr(r.normal(size=(n, n)))
    v, _ = onp.linalg.qr(r.normal(size=(n, n)))
    s = r.uniform(0.5, 2.0, n)
    s[n - min(deficiency, n) :] = tiny
    a = (u * s) @ v.T
    H = fad.hessian(L.det)(a)
    onp.testing.assert_allclose(H, _fd_jacobian(fad.grad(L.det), a), atol=1e-7)
    fr = fad.jacfwd(fad.jacrev(L.det))
    rf = fad.jacrev(fad.jacfwd(L.det))
    onp.testing.assert_allclose(fr(a), rf(a), atol=1e-12)
    onp.testing.assert_allclose(fr(a), H, atol=1e-12)
    stack = onp.stack([a, a.T, _low_rank(n, max(n - deficiency, 0), r)])
    for f in (fr, rf):
        onp.testing.assert_allclose(fad.vmap(f)(stack), onp.stack([f(x) for x in stack]), atol=1e-12)


# -------------------------------------------------------- norms that underflow/overflow

NORMS = {
    "2": lambda x: L.norm(x),
    "vector_norm": lambda x: L.vector_norm(x),
    "fro": lambda x: L.norm(x.reshape(2, 2), "fro"),
    "axis-keepdims": lambda x: L.norm(x.reshape(2, 2), axis=1, keepdims=True),
    "matrix_norm": lambda x: L.matrix_norm(x.reshape(2, 2)),
    "p3": lambda x: L.norm(x, 3),
    "p0.5": lambda x: L.norm(x, 0.5),
}


@pytest.mark.parametrize("name", list(NORMS))
@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_norm_of_tiny_and_huge_vectors(name, scale):
    """Scaled before squaring: grad(norm)([1e-200, 1e-200]) was [0, 0]."""
    f = NORMS[name]
    x = onp.array([1.0, 2.0, -2.0, 0.5])
    onp.testing.assert_allclose(f(x * scale), onp.asarray(f(x)) * scale, rtol=1e-14)
    jac = lambda g: lambda y: fnp.sum(g(y))  # noqa: E731
    onp.testing.assert_allclose(fad.grad(jac(f))(x * scale), fad.grad(jac(f))(x), rtol=1e-13)
    onp.testing.assert_allclose(fad.hessian(jac(f))(x * scale) * scale, fad.hessian(jac(f))(x), rtol=1e-12)
    xs = onp.stack([x, 2 * x, -x]) * scale
    onp.testing.assert_allclose(fad.vmap(f)(xs), onp.stack([f(y) for y in xs]), rtol=1e-14)
    check_grads(lambda y: f(y * scale) / scale, (x,), order=2)


def test_norm_underflow_regression_and_zero_convention():
    onp.testing.assert_allclose(fad.grad(L.norm)(onp.array([1e-200, 1e-200])), [2**-0.5, 2**-0.5], rtol=1e-15)
    onp.testing.assert_allclose(fad.grad(L.norm)(onp.array([1e200, 1e200])), [2**-0.5, 2**-0.5], rtol=1e-15)
    assert L.norm(onp.array([3e-200, 4e-200])) == 5e-200
    # unchanged: derivative 0 at 0 (to every order), inf and nan propagate, empty is 0
    onp.testing.assert_array_equal(fad.hessian(L.norm)(onp.zeros(3)), onp.zeros((3, 3)))
    with onp.errstate(all="raise"):
        assert L.norm(onp.array([onp.inf, 1.0])) == onp.inf
    assert onp.isnan(L.norm(onp.array([onp.nan, 1.0])))
    assert L.norm(onp.zeros(0)) == 0.0
    assert fad.jit(L.norm)(onp.array([1e-200, 1e-200])) == L.norm(onp.array([1e-200, 1e-200]))


@pytest.mark.parametrize("scale", [1e-200, 1e-100, 1e100])
def test_det_higher_derivatives_at_extreme_scales(scale):
    # found by the long fuzz profile: the bordered adjugate ran on a 1e-201-scale matrix
    # and its inverse overflowed (NaN second derivatives); it now runs on a / s_0
    A = onp.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [1.0, 3.0, -1.0]])  # rank 2
    H = fad.hessian(fnp.linalg.det)(A * scale)
    onp.testing.assert_allclose(H, fad.hessian(fnp.linalg.det)(A) * scale, rtol=1e-13, atol=1e-14 * scale)
    if abs(onp.log10(scale)) > 150:
        return  # a third derivative's tangents scale as 1/s_0**3: beyond float64 at 1e-200
    j3 = fad.jacfwd(fad.jacfwd(fad.grad(fnp.linalg.det)))(A * scale)
    onp.testing.assert_allclose(
        j3, fad.jacfwd(fad.jacfwd(fad.grad(fnp.linalg.det)))(A), rtol=1e-13, atol=1e-13
    )
