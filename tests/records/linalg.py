"""Records for linear algebra (issue #3 item 4): einsum, kron, fad.numpy.linalg and
fad.scipy.linalg. Inputs come from ``make_args`` so matrices are well conditioned
(``_general``), symmetric positive definite (``_spd``) or have well-separated eigenvalues
/ singular values (where eigenvector and singular-vector derivatives are defined).
"""

import numpy as onp

import fad.numpy as fnp
import fad.scipy.linalg as fsl
from tests.records import Rec

L = fnp.linalg


def _general(*shapes):
    """Random matrices pushed away from singularity (square ones get + n I)."""

    def make(rng):
        out = []
        for s in shapes:
            x = rng.normal(size=s)
            if len(s) >= 2 and s[-1] == s[-2]:
                x = x + 2.0 * onp.eye(s[-1])
            out.append(x)
        return tuple(out)

    return make


def _spd(n, *more):
    """A symmetric positive-definite n x n matrix with distinct eigenvalues, then extras."""

    def make(rng):
        q, _ = onp.linalg.qr(rng.normal(size=(n, n)))
        w = onp.arange(1, n + 1) * 1.0 + rng.uniform(0, 0.3, n)
        a = (q * w) @ q.T
        return (0.5 * (a + a.T),) + tuple(rng.normal(size=s) for s in more)

    return make


def _distinct_sv(m, n):
    """An m x n matrix with well-separated singular values (1, 2, 3, ...)."""

    def make(rng):
        u, _ = onp.linalg.qr(rng.normal(size=(m, m)))
        v, _ = onp.linalg.qr(rng.normal(size=(n, n)))
        k = min(m, n)
        s = onp.zeros((m, n))
        s[onp.arange(k), onp.arange(k)] = onp.arange(k, 0, -1) + rng.uniform(0, 0.3, k)
        return (u @ s @ v.T,)

    return make


def _low_rank(*shape_rank):
    """A (stack of) n x n matrices of rank r: ``u @ v`` with u n x r, v r x n."""

    *lead, n, r = shape_rank

    def make(rng):
        return (rng.normal(size=(*lead, n, r)) @ rng.normal(size=(*lead, r, n)),)

    return make


def _triangular(lower, n=3, k=2):
    def make(rng):
        a = rng.normal(size=(n, n)) * 0.5 + 2.0 * onp.eye(n)
        return a, rng.normal(size=(n, k))  # the other triangle must be ignored

    return make


RECORDS = [
    # ------------------------------------------------------------------- einsum, kron
    Rec("numpy.einsum", lambda a, b: fnp.einsum("ij,jk->ik", a, b), [(3, 4), (4, 2)]),
    Rec("numpy.einsum", lambda a: fnp.einsum("ii->i", a), [(3, 3)], variant="diagonal"),
    Rec("numpy.einsum", lambda a: fnp.einsum("ii", a), [(3, 3)], variant="trace"),
    Rec(
        "numpy.einsum", lambda a, b: fnp.einsum("...ij,...jk", a, b), [(2, 3, 4), (4, 2)], variant="ellipsis"
    ),
    Rec("numpy.einsum", lambda a, b: fnp.einsum("ij,kj", a, b), [(2, 3), (4, 3)], variant="implicit"),
    Rec(
        "numpy.einsum",
        lambda a, b, c: fnp.einsum("ij,jk,k->i", a, b, c),
        [(2, 3), (3, 4), (4,)],
        variant="three-operands",
    ),
    Rec("numpy.einsum", lambda a, b: fnp.einsum("i,j->ij", a, b), [(3,), (2,)], variant="outer"),
    Rec("numpy.einsum", lambda a, b: fnp.einsum("bi,bi->b", a, b), [(3, 2), (3, 2)], variant="batch-dot"),
    Rec("numpy.einsum", lambda a: fnp.einsum("iij->j", a), [(3, 3, 2)], variant="partial-trace"),
    Rec("numpy.einsum", lambda a: fnp.einsum("ijk->kij", a), [(2, 3, 4)], variant="transpose"),
    Rec("numpy.kron", fnp.kron, [(2, 3), (3, 2)]),
    Rec("numpy.kron", fnp.kron, [(3,), (2, 2)], variant="mixed-ndim"),
    # ------------------------------------------------------------- solves, inverses
    Rec("numpy.linalg.solve", L.solve, make_args=_general((3, 3), (3, 2))),
    Rec("numpy.linalg.solve", L.solve, make_args=_general((3, 3), (3,)), variant="vector-b"),
    Rec("numpy.linalg.solve", L.solve, make_args=_general((2, 3, 3), (2, 3, 1)), variant="stacked"),
    Rec("numpy.linalg.inv", L.inv, make_args=_general((3, 3))),
    Rec("numpy.linalg.det", L.det, make_args=_general((3, 3))),
    Rec("numpy.linalg.det", L.det, make_args=_general((2, 3, 3)), variant="stacked"),
    Rec("numpy.linalg.det", L.det, make_args=_low_rank(3, 2), orders=3, variant="rank-2-of-3"),
    Rec("numpy.linalg.det", L.det, make_args=_low_rank(4, 2), orders=3, variant="rank-2-of-4"),
    Rec("numpy.linalg.det", L.det, make_args=_low_rank(2, 3, 1), orders=3, variant="stacked-rank-1"),
    Rec("numpy.linalg.slogdet", lambda a: L.slogdet(a)[1], make_args=_general((3, 3))),
    Rec(
        "numpy.linalg.slogdet",
        lambda a: L.slogdet(a)[0],
        make_args=_general((3, 3)),
        orders=0,
        variant="sign",
    ),
    Rec("numpy.linalg.matrix_power", lambda a: L.matrix_power(a, 3), make_args=_general((3, 3))),
    Rec(
        "numpy.linalg.matrix_power",
        lambda a: L.matrix_power(a, -2),
        make_args=_general((3, 3)),
        variant="neg",
    ),
    Rec("numpy.linalg.matrix_power", lambda a: L.matrix_power(a, 0), [(3, 3)], orders=0, variant="zero"),
    Rec("numpy.linalg.multi_dot", lambda a, b, c: L.multi_dot([a, b, c]), [(3,), (3, 4), (4, 2)]),
    Rec("numpy.linalg.pinv", L.pinv, make_args=_distinct_sv(4, 3)),
    Rec("numpy.linalg.pinv", L.pinv, make_args=_distinct_sv(3, 4), variant="wide"),
    Rec("numpy.linalg.lstsq", lambda a, b: L.lstsq(a, b)[0], make_args=_general((4, 3), (4,))),
    Rec(
        "numpy.linalg.lstsq",
        lambda a, b: L.lstsq(a, b)[1],
        make_args=_general((4, 3), (4, 2)),
        variant="residuals",
    ),
    Rec("numpy.linalg.matrix_rank", L.matrix_rank, make_args=_general((4, 3)), orders=0),
    # ---------------------------------------------------------------- factorizations
    Rec("numpy.linalg.cholesky", L.cholesky, make_args=_spd(3)),
    Rec("numpy.linalg.cholesky", lambda a: L.cholesky(a, upper=True), make_args=_spd(3), variant="upper"),
    Rec("numpy.linalg.qr", lambda a: tuple(L.qr(a)), make_args=_general((4, 3))),
    Rec("numpy.linalg.qr", lambda a: tuple(L.qr(a)), make_args=_general((3, 3)), variant="square"),
    Rec("numpy.linalg.qr", lambda a: L.qr(a, mode="r"), make_args=_general((4, 3)), variant="r"),
    Rec("numpy.linalg.eigh", lambda a: tuple(L.eigh(a)), make_args=_spd(3)),
    Rec("numpy.linalg.eigvalsh", L.eigvalsh, make_args=_spd(3)),
    Rec("numpy.linalg.svd", lambda a: tuple(L.svd(a)), make_args=_distinct_sv(3, 3)),
    Rec(
        "numpy.linalg.svd",
        lambda a: tuple(L.svd(a, full_matrices=False)),
        make_args=_distinct_sv(4, 3),
        variant="tall",
    ),
    Rec(
        "numpy.linalg.svd",
        lambda a: tuple(L.svd(a, full_matrices=False)),
        make_args=_distinct_sv(3, 4),
        variant="wide",
    ),
    Rec(
        "numpy.linalg.svd",
        lambda a: L.svd(a, compute_uv=False),
        make_args=_distinct_sv(4, 3),
        variant="s-only",
    ),
    Rec("numpy.linalg.svdvals", L.svdvals, make_args=_distinct_sv(3, 4)),
    # ------------------------------------------------------------------------ norms
    Rec("numpy.linalg.norm", L.norm, [(4,)]),
    Rec("numpy.linalg.norm", L.norm, [(3, 4)], variant="fro-default"),
    Rec("numpy.linalg.norm", lambda x: L.norm(x, axis=1, keepdims=True), [(3, 4)], variant="axis-keepdims"),
]

_DISTINCT_VEC = lambda rng: ((rng.permutation(5) + 0.5) * rng.choice([-1.0, 1.0], 5) * 0.4,)  # noqa: E731
_DISTINCT_MAT = lambda rng: (
    (rng.permutation(12).reshape(4, 3) + 0.5) * rng.choice([-1.0, 1.0], (4, 3)) * 0.3,
)  # noqa: E731
for _o in [onp.inf, -onp.inf, 1, 2, 3, 0.5, -1.5]:
    RECORDS.append(
        Rec("numpy.linalg.norm", lambda x, o=_o: L.norm(x, o), make_args=_DISTINCT_VEC, variant=f"vec-{_o}")
    )
RECORDS.append(Rec("numpy.linalg.norm", lambda x: L.norm(x, 0), [(5,)], orders=0, variant="vec-0"))
for _o in ["fro", 1, -1, onp.inf, -onp.inf]:
    RECORDS.append(
        Rec("numpy.linalg.norm", lambda x, o=_o: L.norm(x, o), make_args=_DISTINCT_MAT, variant=f"mat-{_o}")
    )
for _o in ["nuc", 2, -2]:
    RECORDS.append(
        Rec(
            "numpy.linalg.norm",
            lambda x, o=_o: L.norm(x, o),
            make_args=_distinct_sv(4, 3),
            variant=f"mat-{_o}",
        )
    )
RECORDS += [
    Rec(
        "numpy.linalg.norm",
        lambda x: L.norm(x, "nuc", axis=(2, 0), keepdims=True),
        make_args=lambda rng: (
            onp.moveaxis(_distinct_sv(4, 3)(rng)[0][:, :, None] * onp.array([1.0, 2.0]), 2, 1),
        ),
        variant="mat-axes-keepdims",
    ),
    Rec("numpy.linalg.vector_norm", lambda x: L.vector_norm(x, axis=(0, 2)), [(2, 3, 2)]),
    Rec("numpy.linalg.matrix_norm", L.matrix_norm, [(2, 3, 4)]),
    Rec("numpy.linalg.cond", L.cond, make_args=_distinct_sv(3, 3)),
    Rec("numpy.linalg.cond", lambda x: L.cond(x, "fro"), make_args=_general((3, 3)), variant="fro"),
    # ----------------------------------------------------------- array-API extras
    Rec("numpy.linalg.trace", L.trace, [(2, 3, 3)]),
    Rec("numpy.linalg.trace", lambda x: L.trace(x, offset=1), [(3, 4)], variant="offset"),
    Rec("numpy.linalg.diagonal", lambda x: L.diagonal(x, offset=-1), [(2, 3, 3)]),
    Rec("numpy.linalg.matrix_transpose", L.matrix_transpose, [(2, 3, 4)]),
    Rec("numpy.linalg.vecdot", L.vecdot, [(2, 3), (3,)]),
    Rec("numpy.linalg.matmul", L.matmul, [(2, 3), (3, 2)]),
    Rec("numpy.linalg.outer", L.outer, [(2,), (3,)]),
    Rec("numpy.linalg.tensordot", L.tensordot, [(2, 3, 4), (3, 4, 2)]),
    # ------------------------------------------------------------- fad.scipy.linalg
    Rec("scipy.linalg.expm", fsl.expm, [(3, 3)], domain=(-1.0, 1.0)),
    Rec("scipy.linalg.expm", fsl.expm, [(3, 3)], domain=(-3.0, 3.0), variant="scaled", rtol=1e-4, atol=1e-4),
    Rec(
        "scipy.linalg.expm_frechet", lambda a, e: fsl.expm_frechet(a, e), [(3, 3), (3, 3)], domain=(-1.0, 1.0)
    ),
    Rec(
        "scipy.linalg.solve_triangular",
        lambda a, b: fsl.solve_triangular(a, b, lower=True),
        make_args=_triangular(True),
    ),
    Rec(
        "scipy.linalg.solve_triangular",
        lambda a, b: fsl.solve_triangular(a, b, trans="T"),
        make_args=_triangular(False),
        variant="upper-trans",
    ),
    Rec(
        "scipy.linalg.solve_triangular",
        lambda a, b: fsl.solve_triangular(a, b[:, 0], lower=True, unit_diagonal=True),
        make_args=_triangular(True),
        variant="unit-vector",
    ),
    Rec("scipy.linalg.cholesky", fsl.cholesky, make_args=_spd(3)),
    Rec("scipy.linalg.cho_factor", lambda a: fsl.cho_factor(a, lower=True)[0], make_args=_spd(3)),
    Rec(
        "scipy.linalg.cho_solve", lambda a, b: fsl.cho_solve(fsl.cho_factor(a), b), make_args=_spd(3, (3, 2))
    ),
    Rec(
        "scipy.linalg.cho_solve",
        lambda a, b: fsl.cho_solve(fsl.cho_factor(a, lower=True), b),
        make_args=_spd(3, (3,)),
        variant="lower-vector",
    ),
]


def _real_eigs(n=3):
    """A matrix with real, well-separated eigenvalues (1, 2, 3, ...): its real Schur form is
    triangular."""

    def make(rng):
        t = onp.diag(onp.arange(1.0, n + 1) + rng.uniform(0, 0.3, n)) + onp.triu(rng.normal(size=(n, n)), 1)
        p = rng.normal(size=(n, n)) + 3.0 * onp.eye(n)
        return (p @ t @ onp.linalg.inv(p),)

    return make


def _banded(lo, up, n, *more):
    def make(rng):
        ab = rng.normal(size=(lo + up + 1, n))
        ab[up] += 4.0  # diagonally dominant
        return (ab,) + tuple(rng.normal(size=s) for s in more)

    return make


def _sign_fixed(v, *rest):
    """Columns of ``v`` turned so that their first entries are positive (real) or real and
    positive (complex); for Schur vectors ``(z, t)``, ``t`` turned to match (``D^H t D``)."""
    p = fnp.conj(v[..., :1, :]) / fnp.abs(v[..., :1, :])
    return (v * p,) + tuple(fnp.conj(fnp.swapaxes(p, -1, -2)) * r * p for r in rest)


def _schur_fixed(a, output="real"):
    t, z = fsl.schur(a, output=output)
    z, t = _sign_fixed(z, t)
    return t, z


def _eigh_fixed(*args, **kw):
    w, v = fsl.eigh(*args, **kw)
    return (w,) + _sign_fixed(v)


RECORDS += [
    Rec("scipy.linalg.solve_sylvester", fsl.solve_sylvester, make_args=_general((3, 3), (2, 2), (3, 2))),
    Rec(
        "scipy.linalg.solve_sylvester",
        fsl.solve_sylvester,
        make_args=_general((2, 3, 3), (3, 3), (3, 3)),
        variant="stacked",
    ),
    Rec(
        "scipy.linalg.solve_continuous_lyapunov",
        fsl.solve_continuous_lyapunov,
        make_args=_general((3, 3), (3, 3)),
    ),
    Rec("scipy.linalg.sqrtm", fsl.sqrtm, make_args=_spd(3)),
    Rec("scipy.linalg.sqrtm", fsl.sqrtm, make_args=_real_eigs(3), variant="nonsymmetric"),
    Rec(
        "scipy.linalg.sqrtm",
        fsl.sqrtm,
        make_args=lambda rng: (onp.diag([-1.0, 2.0, 3.0]) + 0.3 * onp.triu(rng.normal(size=(3, 3)), 1),),
        variant="negative-eigenvalue",
    ),
    Rec("scipy.linalg.logm", fsl.logm, make_args=_spd(3)),
    Rec("scipy.linalg.logm", fsl.logm, make_args=_real_eigs(3), variant="nonsymmetric"),
    Rec("scipy.linalg.schur", _schur_fixed, make_args=_real_eigs(3)),
    Rec(
        "scipy.linalg.schur",
        lambda a: _schur_fixed(a, "complex"),
        make_args=_general((3, 3)),
        variant="complex-output",
    ),
    Rec("scipy.linalg.polar", fsl.polar, make_args=_general((3, 3))),
    Rec("scipy.linalg.polar", lambda a: fsl.polar(a, "left"), make_args=_general((3, 3)), variant="left"),
    Rec("scipy.linalg.polar", fsl.polar, make_args=_distinct_sv(4, 3), variant="tall"),
    Rec(
        "scipy.linalg.polar",
        lambda a: fsl.polar(a, side="left"),
        make_args=_distinct_sv(3, 4),
        variant="wide-left",
    ),
    Rec(
        "scipy.linalg.polar",
        fsl.polar,
        make_args=lambda rng: (onp.linalg.qr(rng.normal(size=(3, 3)))[0],),
        variant="orthogonal",
    ),
    Rec("scipy.linalg.lu", fsl.lu, make_args=_general((3, 3))),
    Rec(
        "scipy.linalg.lu",
        lambda a: fsl.lu(a, permute_l=True),
        make_args=_general((2, 3, 3)),
        variant="permute_l-stacked",
    ),
    Rec(
        "scipy.linalg.lu",
        lambda a: fsl.lu(a, p_indices=True)[1:],
        make_args=_general((3, 3)),
        variant="p_indices",
    ),
    Rec("scipy.linalg.lu", fsl.lu, [(4, 3)], variant="tall"),
    Rec("scipy.linalg.lu", fsl.lu, [(3, 4)], variant="wide"),
    Rec("scipy.linalg.lu_factor", lambda a: fsl.lu_factor(a)[0], make_args=_general((3, 3))),
    Rec("scipy.linalg.lu_factor", lambda a: fsl.lu_factor(a)[1], [(3, 3)], orders=0, variant="pivots"),
    Rec(
        "scipy.linalg.lu_solve",
        lambda a, b: fsl.lu_solve(fsl.lu_factor(a), b),
        make_args=_general((3, 3), (3, 2)),
    ),
    Rec(
        "scipy.linalg.lu_solve",
        lambda a, b: fsl.lu_solve(fsl.lu_factor(a), b, trans=1),
        make_args=_general((3, 3), (3,)),
        variant="trans-vector",
    ),
    Rec("scipy.linalg.eigh", lambda a: fsl.eigh(a, eigvals_only=True), make_args=_general((3, 3))),
    Rec("scipy.linalg.eigh", _eigh_fixed, make_args=_spd(3), variant="vectors"),
    Rec(
        "scipy.linalg.eigh",
        lambda a: _eigh_fixed(a, lower=False),
        make_args=_general((3, 3)),
        variant="upper",
    ),
    Rec(
        "scipy.linalg.eigh",
        lambda a, b: _eigh_fixed(a, b),
        make_args=lambda rng: _general((3, 3))(rng) + _spd(3)(rng),
        variant="generalized",
    ),
    Rec(
        "scipy.linalg.eigh",
        lambda a: fsl.eigh(a, subset_by_index=(1, 2), eigvals_only=True),
        make_args=_spd(3),
        variant="subset",
    ),
    Rec(
        "scipy.linalg.solve_banded",
        lambda ab, b: fsl.solve_banded((1, 2), ab, b),
        make_args=_banded(1, 2, 5, (5,)),
    ),
    Rec(
        "scipy.linalg.solve_banded",
        lambda ab, b: fsl.solve_banded((0, 1), ab, b),
        make_args=_banded(0, 1, 4, (4, 2)),
        variant="upper-bidiagonal",
    ),
    Rec("scipy.linalg.block_diag", fsl.block_diag, [(2, 2), (3,), (1, 3)]),
    Rec(
        "scipy.linalg.block_diag", lambda a, b: fsl.block_diag(a, 2.0, b), [(2, 1), (2, 2)], variant="scalar"
    ),
    Rec("scipy.linalg.toeplitz", fsl.toeplitz, [(3,), (4,)]),
    Rec("scipy.linalg.toeplitz", fsl.toeplitz, [(3,)], variant="symmetric"),
    Rec("scipy.linalg.toeplitz", fsl.toeplitz, [(2, 3), (2, 2)], variant="batch"),
    Rec("scipy.linalg.circulant", fsl.circulant, [(4,)]),
]

# ------------------------------------------------------------------ complex matrices
# The same functions on complex128 inputs (variant "complex..."): every transform's check
# runs on them as on the real ones. Eigen- and singular vectors are compared with each
# column's phase fixed (LAPACK's phases are not a smooth function of the input; JAX's gauge
# is checked against JAX's own values in tests/test_linalg_complex.py).


def _c(rng, *shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def _unitary(rng, n):
    return onp.linalg.qr(_c(rng, n, n))[0]


def _cgeneral(*shapes):
    def make(rng):
        return tuple(
            _c(rng, *s) + (2.0 * onp.eye(s[-1]) if len(s) >= 2 and s[-1] == s[-2] else 0) for s in shapes
        )

    return make


def _hpd(n, *more):
    """A Hermitian positive-definite n x n matrix with distinct eigenvalues, then extras."""

    def make(rng):
        q = _unitary(rng, n)
        a = (q * (onp.arange(1, n + 1) + rng.uniform(0, 0.3, n))) @ q.conj().T
        return (0.5 * (a + a.conj().T),) + tuple(_c(rng, *s) for s in more)

    return make


def _cdistinct_sv(m, n):
    def make(rng):
        k = min(m, n)
        s = onp.zeros((m, n))
        s[onp.arange(k), onp.arange(k)] = onp.arange(k, 0, -1) + rng.uniform(0, 0.3, k)
        return (_unitary(rng, m) @ s @ _unitary(rng, n).conj().T,)

    return make


def _clow_rank(n, r):
    return lambda rng: (_c(rng, n, r) @ _c(rng, r, n),)


def _complex_pair(rng):
    """A real 3 x 3 matrix with eigenvalues 1 +- 2i and 3 (NumPy returns complex eigenvalues
    for it; for a real matrix whose eigenvalues are all real NumPy returns real arrays, fad
    and JAX complex ones)."""
    p = rng.normal(size=(3, 3)) + 3.0 * onp.eye(3)
    return (p @ onp.array([[1.0, -2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 3.0]]) @ onp.linalg.inv(p),)


def _phase_fixed(v, *rest):
    """Columns of ``v`` turned so that their first entries are real and positive (rows of
    each of ``rest`` turned back)."""
    p = fnp.conj(v[..., :1, :]) / fnp.abs(v[..., :1, :])
    return (v * p,) + tuple(fnp.conj(fnp.swapaxes(p, -1, -2)) * r for r in rest)


def _svd_fixed(a):
    u, s, vh = L.svd(a, full_matrices=False)
    return (s,) + _phase_fixed(u, vh)


# Holomorphic in their complex arguments (jacfwd == jacrev with holomorphic=True too).
_HOLOMORPHIC = {
    *("solve", "inv", "det", "matrix_power", "multi_dot", "eigvals", "scipy.linalg.expm"),
    *("scipy.linalg.solve_sylvester", "scipy.linalg.sqrtm", "scipy.linalg.logm"),
}

RECORDS += [
    Rec(
        f"numpy.linalg.{name}" if "." not in name else name,
        fun,
        make_args=make,
        orders=orders,
        variant=variant,
        holomorphic=name in _HOLOMORPHIC,
    )
    for name, fun, make, orders, variant in [
        ("solve", L.solve, _cgeneral((3, 3), (3, 2)), 2, "complex"),
        ("solve", L.solve, _cgeneral((2, 3, 3), (3,)), 2, "complex-stacked-vector"),
        ("inv", L.inv, _cgeneral((3, 3)), 2, "complex"),
        ("det", L.det, _cgeneral((3, 3)), 2, "complex"),
        ("det", L.det, _clow_rank(3, 2), 3, "complex-rank-2-of-3"),
        ("det", L.det, _clow_rank(4, 2), 3, "complex-rank-2-of-4"),
        ("slogdet", lambda a: tuple(L.slogdet(a)), _cgeneral((3, 3)), 2, "complex"),
        ("matrix_power", lambda a: L.matrix_power(a, 3), _cgeneral((3, 3)), 2, "complex"),
        ("matrix_power", lambda a: L.matrix_power(a, -2), _cgeneral((3, 3)), 2, "complex-neg"),
        ("multi_dot", lambda a, b, c: L.multi_dot([a, b, c]), _cgeneral((3,), (3, 4), (4, 2)), 2, "complex"),
        ("pinv", L.pinv, _cdistinct_sv(4, 3), 2, "complex"),
        ("pinv", L.pinv, _cdistinct_sv(3, 4), 2, "complex-wide"),
        ("lstsq", lambda a, b: L.lstsq(a, b)[0], _cgeneral((4, 3), (4,)), 2, "complex"),
        ("lstsq", lambda a, b: L.lstsq(a, b)[1], _cgeneral((4, 3), (4, 2)), 2, "complex-residuals"),
        ("cholesky", L.cholesky, _hpd(3), 2, "complex"),
        ("cholesky", lambda a: L.cholesky(a, upper=True), _hpd(3), 2, "complex-upper"),
        ("qr", lambda a: tuple(L.qr(a)), _cgeneral((4, 3)), 2, "complex"),
        ("qr", lambda a: tuple(L.qr(a)), _cgeneral((3, 3)), 2, "complex-square"),
        ("eigh", lambda a: (L.eigh(a)[0],) + _phase_fixed(L.eigh(a)[1]), _hpd(3), 2, "complex"),
        ("eigvalsh", L.eigvalsh, _hpd(3), 2, "complex"),
        # (second derivatives of eigvals differentiate eigenvectors: refused, as in JAX)
        ("eigvals", L.eigvals, _cgeneral((3, 3)), 1, "complex"),
        ("eigvals", L.eigvals, _complex_pair, 1, "real-input"),
        ("eig", lambda a: tuple(L.eig(a)), _cgeneral((3, 3)), 0, "complex"),
        ("svd", _svd_fixed, _cdistinct_sv(3, 3), 2, "complex"),
        ("svd", _svd_fixed, _cdistinct_sv(4, 3), 2, "complex-tall"),
        ("svd", _svd_fixed, _cdistinct_sv(3, 4), 2, "complex-wide"),
        ("svdvals", L.svdvals, _cdistinct_sv(3, 4), 2, "complex"),
        ("norm", L.norm, _cgeneral((4,)), 2, "complex"),
        ("norm", L.norm, _cgeneral((3, 4)), 2, "complex-fro"),
        ("norm", lambda x: L.norm(x, 3), _cgeneral((4,)), 2, "complex-vec-3"),
        ("norm", lambda x: L.norm(x, 1), _cgeneral((4,)), 2, "complex-vec-1"),
        ("norm", lambda x: L.norm(x, "nuc"), _cdistinct_sv(4, 3), 2, "complex-nuc"),
        ("norm", lambda x: L.norm(x, 2), _cdistinct_sv(4, 3), 2, "complex-mat-2"),
        ("norm", lambda x: L.norm(x, onp.inf), _cgeneral((4, 3)), 2, "complex-mat-inf"),
        ("vecdot", L.vecdot, _cgeneral((2, 3), (3,)), 2, "complex"),
        ("scipy.linalg.expm", lambda a: fsl.expm(a / 3), _cgeneral((3, 3)), 2, "complex"),
        (
            "scipy.linalg.solve_triangular",
            lambda a, b: fsl.solve_triangular(a, b, trans="C"),
            _cgeneral((3, 3), (3, 2)),
            2,
            "complex-C",
        ),
        ("scipy.linalg.cholesky", fsl.cholesky, _hpd(3), 2, "complex"),
        (
            "scipy.linalg.cho_solve",
            lambda a, b: fsl.cho_solve(fsl.cho_factor(a), b),
            _hpd(3, (3, 2)),
            2,
            "complex",
        ),
        (
            "scipy.linalg.solve_sylvester",
            fsl.solve_sylvester,
            _cgeneral((3, 3), (2, 2), (3, 2)),
            2,
            "complex",
        ),
        (
            "scipy.linalg.solve_continuous_lyapunov",
            fsl.solve_continuous_lyapunov,
            _cgeneral((3, 3), (3, 3)),
            2,
            "complex",
        ),
        ("scipy.linalg.sqrtm", fsl.sqrtm, _cgeneral((3, 3)), 2, "complex"),
        ("scipy.linalg.logm", fsl.logm, _cgeneral((3, 3)), 2, "complex"),
        ("scipy.linalg.schur", _schur_fixed, _cgeneral((3, 3)), 2, "complex"),
        ("scipy.linalg.polar", fsl.polar, _cgeneral((3, 3)), 2, "complex"),
        ("scipy.linalg.polar", lambda a: fsl.polar(a, "left"), _cdistinct_sv(3, 4), 2, "complex-wide-left"),
        ("scipy.linalg.lu", fsl.lu, _cgeneral((3, 3)), 2, "complex"),
        (
            "scipy.linalg.lu_solve",
            lambda a, b: fsl.lu_solve(fsl.lu_factor(a), b, trans=2),
            _cgeneral((3, 3), (3, 2)),
            2,
            "complex-C",
        ),
        ("scipy.linalg.eigh", _eigh_fixed, _hpd(3), 2, "complex"),
        (
            "scipy.linalg.eigh",
            lambda a: fsl.eigh(a, eigvals_only=True),
            _cgeneral((3, 3)),
            2,
            "complex-values",
        ),
        ("scipy.linalg.toeplitz", fsl.toeplitz, _cgeneral((3,)), 2, "complex"),
        (
            "scipy.linalg.solve_banded",
            lambda ab, b: fsl.solve_banded((1, 1), ab + 4 * onp.array([[0], [1], [0]]), b),
            _cgeneral((3, 4), (4, 2)),
            2,
            "complex",
        ),
        ("scipy.linalg.circulant", fsl.circulant, _cgeneral((3,)), 2, "complex"),
        ("scipy.linalg.block_diag", fsl.block_diag, _cgeneral((2, 2), (1, 2)), 2, "complex"),
    ]
]
