"""Sparse Jacobians and Hessians: detection, colouring, evaluation, composition."""

import pickle
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import fad
import fad.numpy as fnp
from fad._coloring import (
    ORDERS,
    color_columns,
    color_rows,
    color_symmetric,
    is_column_coloring,
    symmetric_sources,
)

sp = pytest.importorskip("scipy.sparse")


def residual_1d(u):
    """A nonlinear 1-D diffusion-reaction residual with Dirichlet ends."""
    d = fnp.pad(u, 1)
    return d[2:] - 2 * d[1:-1] + d[:-2] + u**2 - fnp.sin(u)


def residual_2d(u):
    n = int(round(np.sqrt(u.size)))
    g = fnp.pad(fnp.reshape(u, (n, n)), 1)
    lap = g[2:, 1:-1] + g[:-2, 1:-1] + g[1:-1, 2:] + g[1:-1, :-2] - 4 * g[1:-1, 1:-1]
    return fnp.ravel(lap + fnp.exp(g[1:-1, 1:-1]))


def rosenbrock(x):
    return fnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def arrow(x):  # one dense row: colouring the rows (reverse mode) wins
    return fnp.concatenate([fnp.sum(x**2)[None], fnp.sin(x[1:])])


FUNS = [residual_1d, residual_2d, arrow, lambda x: fnp.cumsum(x) * fnp.roll(x, 2), lambda x: x[::2] * x[1::2]]


def _x(n=16, seed=0):
    return np.random.default_rng(seed).uniform(0.5, 1.5, n)


# --------------------------------------------------------------------------- patterns


@pytest.mark.parametrize("f", FUNS)
def test_jacobian_pattern_is_the_dense_nonzeros(f):
    x = _x()
    p = fad.jacobian_sparsity(f, x)
    assert isinstance(p, sp.csr_array) and p.dtype == bool and p.has_sorted_indices
    np.testing.assert_array_equal(p.toarray(), fad.jacfwd(f)(x) != 0)


def test_hessian_pattern_of_rosenbrock():
    x = _x(8)
    p = fad.hessian_sparsity(rosenbrock, x).toarray()
    np.testing.assert_array_equal(p, fad.hessian(rosenbrock)(x) != 0)


def test_hessian_pattern_only_from_what_reaches_the_output():
    x = _x(5)
    p = fad.hessian_sparsity(lambda x: fnp.sin(x)[2] + x[0] * x[1], x).toarray()
    expected = np.zeros((5, 5), bool)
    expected[2, 2] = expected[0, 1] = expected[1, 0] = True
    np.testing.assert_array_equal(p, expected)


def test_linear_functions_have_empty_hessians():
    a = np.random.default_rng(0).normal(size=(4, 4))
    p = fad.hessian_sparsity(lambda x: fnp.sum(a @ x) + fnp.cumsum(x)[-1], _x(4))
    assert p.nnz == 0


def test_constant_zeros_are_known():
    mask = np.array([1.0, 0.0, 1.0])
    p = fad.jacobian_sparsity(lambda x: x * mask, _x(3)).toarray()
    np.testing.assert_array_equal(p, np.diag([True, False, True]))
    band = np.diag(np.ones(4)) + np.diag(np.ones(3), 1)
    np.testing.assert_array_equal(fad.jacobian_sparsity(lambda x: band @ x, _x(4)).toarray(), band != 0)


def test_global_detection_refuses_control_flow():
    def f(x):
        return x * 2 if x[0] > 0 else x

    with pytest.raises(fad.SparsityError, match="local=True"):
        fad.jacobian_sparsity(f, _x(3))
    assert fad.jacobian_sparsity(f, _x(3), local=True).nnz == 3


def test_traced_indices_are_dense_globally_and_exact_locally():
    def f(x):
        return x[fnp.argmax(x)] * fnp.ones(2)

    x = np.array([0.0, 3.0, 1.0])
    assert fad.jacobian_sparsity(f, x).nnz == 6
    np.testing.assert_array_equal(fad.jacobian_sparsity(f, x, local=True).toarray()[:, 1], [True, True])
    assert fad.jacobian_sparsity(f, x, local=True).nnz == 2


@pytest.mark.parametrize(
    "f",
    [
        lambda x: fnp.einsum("ij,ij->i", x.reshape(8, 3), x.reshape(8, 3)),
        lambda x: fnp.einsum("bij,bjk->bik", x[:12].reshape(2, 2, 3), x[12:].reshape(2, 3, 2)),
        lambda x: x.reshape(4, 1, 2, 3) @ STACK,  # the stack broadcast; zeros of each matrix known
        lambda x: STACK.transpose(0, 2, 1) @ x.reshape(4, 1, 3, 2),
        lambda x: x[:18].reshape(2, 3, 3) @ x[18:21],  # a stack times a vector
        lambda x: x[:3] @ x[3:21].reshape(2, 3, 3),
        lambda x: fad.vmap(lambda a, b: a @ b)(x[:12].reshape(2, 2, 3), x[12:].reshape(2, 3, 2)),
    ],
    ids=["rowwise-dot", "batched-einsum", "stack@const", "const@stack", "stack@vec", "vec@stack", "vmap"],
)
def test_products_of_stacks_are_exact(f):
    """Each matrix of a stack product depends on its own matrices only, and a constant
    factor's zeros are known matrix by matrix; the Hessian pattern too."""
    x = _x(24)
    p = fad.jacobian_sparsity(f, x).toarray()
    np.testing.assert_array_equal(p, fad.jacfwd(f)(x).reshape(p.shape) != 0)
    energy = lambda x: fnp.sum(f(x) ** 2)  # noqa: E731
    np.testing.assert_array_equal(fad.hessian_sparsity(energy, x).toarray(), fad.hessian(energy)(x) != 0)


STACK = np.random.default_rng(5).normal(size=(2, 3, 5))
STACK[0, :, 1] = 0.0


def _element_matrices(u):
    """A chain of 20 two-node elements, two values per node: each element's 2 x 2 matrix
    (its two nodes' values as columns, plus the identity), a stack gathered by indexing."""
    nodes = u.reshape(21, 2)
    return fnp.stack([nodes[:-1], nodes[1:]], axis=-1) + np.eye(2)


@pytest.mark.parametrize(
    "energy",
    [
        lambda u: fnp.sum(fnp.log(fnp.linalg.det(_element_matrices(u))) ** 2),
        lambda u: fnp.sum(fnp.linalg.inv(_element_matrices(u)) ** 2),
        lambda u: fnp.sum(fnp.linalg.solve(_element_matrices(u), fnp.ones((20, 2, 1))) ** 3),
        lambda u: fnp.sum(fnp.linalg.slogdet(_element_matrices(u))[1] ** 2),
        lambda u: fnp.sum(
            fnp.linalg.eigvalsh(fnp.matmul(_element_matrices(u), _element_matrices(u).mT)) ** 2
        ),
        lambda u: fnp.sum(fnp.linalg.svd(_element_matrices(u), compute_uv=False) ** 3),
        lambda u: fnp.sum(fad.vmap(fnp.linalg.det)(_element_matrices(u)) ** 2),
        lambda u: fnp.sum(fad.vmap(lambda m: fnp.linalg.solve(m, fnp.ones(2)))(_element_matrices(u)) ** 3),
    ],
    ids=["det", "inv", "solve", "slogdet", "eigvalsh", "svdvals", "vmap-det", "vmap-solve"],
)
def test_a_stack_of_small_matrices_keeps_the_mesh_pattern(energy):
    """Finite-element style code: det, inv and solve of each element's matrix. Each
    matrix of the stack depends on its own element's values only, so the Hessian is the
    mesh's block tridiagonal pattern (not dense), and the sparse Hessian is the dense one."""
    u = np.random.default_rng(0).uniform(0.1, 0.5, 42)
    p = fad.hessian_sparsity(energy, u)
    np.testing.assert_array_equal(
        p.toarray(), np.abs(np.subtract.outer(np.arange(42) // 2, np.arange(42) // 2)) <= 1
    )
    h = fad.sparse_hessian(energy)(u)
    np.testing.assert_allclose(h.toarray(), fad.hessian(energy)(u), rtol=1e-10, atol=1e-12)
    assert h.nnz == p.nnz


@pytest.mark.parametrize(
    ("f", "axis"),
    [
        (lambda x: fnp.abs(fnp.fft.fft(x.reshape(6, 4), axis=1)), 1),
        (lambda x: fnp.abs(fnp.fft.fft(x.reshape(6, 4), axis=0)), 0),
        (lambda x: fnp.abs(fnp.fft.rfft(x.reshape(6, 4), axis=1)), 1),
        (lambda x: fnp.fft.irfft(fnp.fft.rfft(x.reshape(6, 4), axis=0), n=6, axis=0), 0),
        (lambda x: fnp.abs(fad.vmap(fnp.fft.fft)(x.reshape(6, 4))), 1),
    ],
    ids=["fft-rows", "fft-columns", "rfft-rows", "irfft-columns", "vmap-fft"],
)
def test_transforms_along_an_axis_keep_the_other_axes_apart(f, axis):
    """An FFT along one axis mixes the elements of each line along it, never two lines."""
    x = _x(24)
    p = fad.jacobian_sparsity(f, x).toarray()
    out = f(x)
    line_out = np.indices(out.shape)[1 - axis].reshape(-1)  # the line of each element: the other axis
    line_in = np.indices((6, 4))[1 - axis].reshape(-1)
    np.testing.assert_array_equal(p, line_out[:, None] == line_in[None, :])


def _row(i):
    return i // 4


def _column(i):
    return i % 4


@pytest.mark.parametrize(
    ("f", "out_line", "in_line"),
    [
        (lambda x: fnp.sort(x.reshape(6, 4), axis=1), _row, _row),  # each row's own elements
        (lambda x: fnp.sort(x.reshape(6, 4), axis=0), _column, _column),
        (lambda x: fnp.median(x.reshape(6, 4), axis=1), lambda o: o, _row),
        (lambda x: fad.lax.top_k(x.reshape(6, 4), 2)[0].ravel(), lambda o: o // 2, _row),
        (lambda x: x.reshape(6, 4)[fnp.arange(6), fnp.argmax(x.reshape(6, 4), axis=1)], lambda o: o, _row),
        (lambda x: fad.vmap(fnp.sort)(x.reshape(6, 4)), _row, _row),  # the batch index is fixed
        (lambda x: fad.vmap(lambda r: r[fnp.argmax(r)])(x.reshape(6, 4)), lambda o: o, _row),
    ],
    ids=["sort-rows", "sort-columns", "median-rows", "top_k", "max-by-argmax", "vmap-sort", "vmap-argmax"],
)
def test_traced_indices_along_an_axis_keep_the_lines_apart(f, out_line, in_line):
    """Indices computed from the values (a sort's, an argmax's) leave their axis free but
    keep the other coordinates: each output depends on its own line, globally."""
    x = _x(24)
    p = fad.jacobian_sparsity(f, x).toarray()
    o = np.arange(p.shape[0])
    np.testing.assert_array_equal(p, out_line(o)[:, None] == in_line(np.arange(24))[None, :])


def test_where_with_a_traced_condition_takes_both_branches():
    p = fad.jacobian_sparsity(lambda x: fnp.where(x > 1, x[::-1], 0.0), _x(4)).toarray()
    np.testing.assert_array_equal(p, np.eye(4)[::-1] != 0)


def test_custom_rules_and_checkpoint_are_traced_through():
    @fad.custom_jvp
    def f(x):
        return fnp.sin(x)

    f.defjvp(lambda p, t: (fnp.sin(p[0]), fnp.cos(p[0]) * t[0]))
    g = fad.checkpoint(lambda x: x[1:] * x[:-1])
    assert fad.jacobian_sparsity(f, _x(4)).nnz == 4
    assert fad.jacobian_sparsity(g, _x(4)).nnz == 6


def test_pytree_inputs_and_outputs():
    p = fad.jacobian_sparsity(lambda d: {"a": d["x"] * 2, "b": d["y"][:1]}, {"x": _x(2), "y": _x(3)})
    assert p.shape == (3, 5) and p.nnz == 3


def test_hessian_needs_a_scalar():
    with pytest.raises(ValueError, match="one scalar"):
        fad.hessian_sparsity(lambda x: x**2, _x(3))


# ------------------------------------------------------------------------------ colouring


def _random_pattern(draw_seed, m, n, density):
    return sp.random_array((m, n), density=density, format="csr", rng=draw_seed, dtype=float).astype(bool)


@settings(max_examples=40, deadline=None)
@given(
    hs.integers(0, 10**6),
    hs.integers(1, 40),
    hs.integers(1, 40),
    hs.floats(0.0, 0.5),
    hs.sampled_from(ORDERS),
)
def test_colorings_are_valid(seed, m, n, density, order):
    p = _random_pattern(seed, m, n, density)
    p.sort_indices()
    c = color_columns(p, order)
    assert c.colors.shape == (n,) and is_column_coloring(p, c.colors)
    assert c.n_colors >= (np.diff(p.indptr).max() if p.nnz else 0)
    r = color_rows(p, order)
    assert is_column_coloring(p.T.tocsr(), r.colors)
    assert np.array_equal(color_columns(p, order).colors, c.colors)  # deterministic


def _has_star_property(p, colors):
    """Adjacent vertices differ, and no path on four vertices has only two colours."""
    a = p.toarray() & ~np.eye(p.shape[0], dtype=bool)
    n = a.shape[0]
    for i, j in zip(*np.nonzero(a), strict=True):
        if colors[i] == colors[j]:
            return False
    for v1 in range(n):
        for v2 in np.flatnonzero(a[v1]):
            for v3 in np.flatnonzero(a[v2]):
                if v3 == v1 or colors[v3] != colors[v1]:
                    continue
                for v4 in np.flatnonzero(a[v3]):
                    if v4 not in (v1, v2) and colors[v4] == colors[v2]:
                        return False
    return True


@settings(max_examples=40, deadline=None)
@given(hs.integers(0, 10**6), hs.integers(1, 25), hs.floats(0.0, 0.4), hs.sampled_from(ORDERS))
def test_star_colorings(seed, n, density, order):
    p = _random_pattern(seed, n, n, density)
    p = (p + p.T).tocsr()
    p.sort_indices()
    c = color_symmetric(p, order)
    assert _has_star_property(p, c.colors)
    symmetric_sources(p, c.colors)  # every entry readable


def test_large_colorings_are_fast_and_valid():
    n = 200_000
    p = sp.diags_array([1, 1, 1, 1, 1], offsets=[-40, -1, 0, 1, 40], shape=(n, n), format="csr", dtype=bool)
    c = color_columns(p)
    assert is_column_coloring(p, c.colors) and c.n_colors <= 12


def test_a_dense_row_is_colored_by_rows():
    jac = fad.sparse_jacobian(arrow)
    x = _x(30)
    np.testing.assert_allclose(jac(x).toarray(), fad.jacfwd(arrow)(x))
    assert jac.info.mode == "rev" and jac.coloring.n_colors == 2


# ----------------------------------------------------------------------------- evaluation


@pytest.mark.parametrize("f", FUNS)
@pytest.mark.parametrize("mode", ["auto", "fwd", "rev"])
def test_sparse_jacobian_equals_jacfwd(f, mode):
    jac = fad.sparse_jacobian(f, mode=mode)
    for seed in (0, 1):
        x = _x(16, seed)
        j = jac(x)
        assert isinstance(j, sp.csr_array) and j.has_sorted_indices
        np.testing.assert_allclose(j.toarray(), fad.jacfwd(f)(x), rtol=1e-12, atol=1e-12)
    assert len(jac.cache) == 1


def test_sparse_hessian_equals_hessian():
    for f in (rosenbrock, lambda x: fnp.sum(fnp.sin(x[1:] * x[:-1])) + fnp.sum(x[0] * x**2)):
        hess = fad.sparse_hessian(f)
        x = _x(12)
        h = hess(x)
        np.testing.assert_allclose(h.toarray(), fad.hessian(f)(x), rtol=1e-12, atol=1e-12)
        assert hess.coloring.kind == "star"


def test_chunk_size_and_argnums():
    jac = fad.sparse_jacobian(lambda a, u: a * residual_1d(u), argnums=1, chunk_size=1)
    x = _x(10)
    np.testing.assert_allclose(jac(2.0, x).toarray(), fad.jacfwd(lambda u: 2.0 * residual_1d(u))(x))


def test_under_jit_grad_and_vmap():
    jac = fad.sparse_jacobian(residual_1d)
    x = _x(9)
    j = fad.jit(jac)(x)
    assert isinstance(j, sp.csr_array)
    np.testing.assert_allclose(j.toarray(), fad.jacfwd(residual_1d)(x))
    np.testing.assert_allclose(fad.jit(jac)(x + 1).toarray(), fad.jacfwd(residual_1d)(x + 1))
    g = fad.grad(lambda x: fnp.sum(jac(x).data ** 2))(x)
    np.testing.assert_allclose(g, fad.grad(lambda x: fnp.sum(fad.jacfwd(residual_1d)(x) ** 2))(x))
    xs = np.stack([x, x + 1])
    d = fad.vmap(lambda x: jac(x).data)(xs)
    np.testing.assert_allclose(d[1], jac(x + 1).data)
    hess = fad.sparse_hessian(rosenbrock)
    np.testing.assert_allclose(fad.jit(hess)(x).toarray(), fad.hessian(rosenbrock)(x), rtol=1e-12)


def test_pattern_and_coloring_are_inspectable_and_picklable():
    jac = fad.sparse_jacobian(residual_1d)
    jac(_x(20))
    info = pickle.loads(pickle.dumps(jac.info))
    assert (info.pattern != jac.pattern).nnz == 0
    assert info.coloring.n_colors == jac.coloring.n_colors == 3


def test_user_pattern_is_used_and_checked():
    x = _x(6)
    full = np.ones((6, 6), bool)
    np.testing.assert_allclose(
        fad.sparse_jacobian(residual_1d, sparsity=full)(x).toarray(), fad.jacfwd(residual_1d)(x)
    )
    with pytest.raises(ValueError, match="misses"):
        fad.sparse_jacobian(residual_1d, sparsity=np.eye(6), check=True)(x)
    with pytest.raises(ValueError, match="shape"):
        fad.sparse_jacobian(residual_1d, sparsity=np.eye(5))(x)


def test_bad_arguments():
    with pytest.raises(ValueError, match="mode"):
        fad.sparse_jacobian(residual_1d, mode="sideways")
    with pytest.raises(TypeError, match="argnums"):
        fad.sparse_jacobian(residual_1d, argnums=(0, 1))
    with pytest.raises(TypeError, match=r"floating.*astype\(float\)"):
        fad.sparse_jacobian(residual_1d)(np.arange(3))
    with pytest.raises(TypeError, match="real and imaginary parts as one real vector"):
        fad.sparse_jacobian(residual_1d)(_x(4) + 1j)
    with pytest.raises(TypeError, match="with respect to one array, but argument 0 is a dict"):
        fad.sparse_jacobian(residual_1d)({"u": _x(5)})
    # a list of numbers is an array, as fad.numpy takes it (SciPy users pass x0 as a list)
    x = _x(6)
    got = fad.sparse_jacobian(residual_1d)(list(x))
    np.testing.assert_allclose(got.toarray(), fad.jacfwd(residual_1d)(x), rtol=1e-14)
    energy = lambda u: fnp.sum(residual_1d(u) ** 2)  # noqa: E731
    h = fad.sparse_hessian(energy)(list(x))
    np.testing.assert_allclose(h.toarray(), fad.hessian(energy)(x), rtol=1e-12)


def test_scipy_least_squares_and_solve_ivp_accept_the_results():
    from scipy.integrate import solve_ivp
    from scipy.optimize import least_squares

    jac = fad.sparse_jacobian(residual_1d)
    fun = lambda u: residual_1d(u) + 0.1  # noqa: E731
    r = least_squares(fun, _x(20), jac=lambda u: jac(u), method="trf")
    dense = least_squares(fun, _x(20), jac=fad.jacfwd(residual_1d), method="trf")
    assert r.success  # (a sparse Jacobian makes trf use lsmr: the same optimum, other steps)
    np.testing.assert_allclose(r.cost, dense.cost, rtol=1e-4)

    rhs = lambda t, u: residual_1d(u) * 50.0  # noqa: E731
    j = fad.sparse_jacobian(lambda u: rhs(0.0, u))
    sol = solve_ivp(
        rhs,
        (0, 1),
        _x(30) * 0.1,
        method="BDF",
        jac=lambda t, u: j(u),
        jac_sparsity=fad.jacobian_sparsity(residual_1d, _x(30)),
    )
    assert sol.success


def _g(y):
    return fnp.sum(fnp.sin(y) * y[::-1])


INNER = {
    "grad": fad.grad(_g),
    "vmap": lambda x: fnp.ravel(fad.vmap(lambda r: r * fnp.sum(r))(fnp.reshape(x, (3, 2)))),
    "jit": fad.jit(lambda x: x[1:] * x[:-1]),
    "jvp": lambda x: fad.jvp(lambda y: fnp.sin(y)[::2], (x,), (fnp.ones(6),))[1],
    "jacrev": lambda x: fnp.ravel(fad.jacrev(lambda y: y[1:] ** 2)(x)),
    "scan": lambda x: fad.lax.scan(lambda c, v: (c + v, c * v), 0.0, x)[1],
    "cond": lambda x: fad.lax.cond(True, lambda y: y * 2, lambda y: y[::-1], x),
}


@pytest.mark.parametrize("name", sorted(INNER))
def test_detection_through_other_transforms(name):
    f, x = INNER[name], _x(6)
    p = fad.jacobian_sparsity(f, x).toarray()
    np.testing.assert_array_equal(p, fad.jacfwd(f)(x) != 0)
    np.testing.assert_allclose(fad.sparse_jacobian(f)(x).toarray(), fad.jacfwd(f)(x), atol=1e-12)


def test_hessian_pattern_through_grad():
    x = _x(6)
    np.testing.assert_array_equal(fad.hessian_sparsity(_g, x).toarray(), fad.hessian(_g)(x) != 0)
    np.testing.assert_array_equal(fad.jacobian_sparsity(fad.grad(_g), x).toarray(), fad.hessian(_g)(x) != 0)


# ------------------------------------------------ what the compressed products rely on


def test_jitted_hvp_has_no_powers_of_zero_nor_constant_arrays_of_one_value():
    """The Rosenbrock HVP under jit: x**1's derivative is 1.0 (not 1 * x**0) and the
    scaled cotangent seed (a constant array of one value) is read as a scalar."""
    hess = fad.sparse_hessian(rosenbrock)
    x = _x(50)
    hess(x)
    text = str(fad.make_program(lambda x: hess(x).data)(x))
    assert text.count(" pow ") == 1  # only the primal x[:-1] ** 2
    assert "200.0" in text  # 2 * 100, merged


def test_jitted_gathers_match_numpy_bit_for_bit():
    """The decompression's gather under jit (an integer-array index, negative entries
    included) gives NumPy's elements, from a computed array (its take method) or from an
    input (np.take: an input may be any array-like); the sparse Hessian under jit equals
    the eager one, at non-finite inputs too (NaN's sign aside)."""
    x = np.random.default_rng(0).standard_normal(7)
    idx = np.array([6, -1, 0, -7, 3, 3])
    idx2 = np.array([[1, -2], [0, 6]])
    for f in (
        lambda x: (2.0 * x)[idx],
        lambda x: (2.0 * x)[idx2],
        lambda x: x[idx],
        lambda x: fnp.take(x, idx),
    ):
        np.testing.assert_array_equal(fad.jit(f)(x), f(x))
    hess = fad.sparse_hessian(rosenbrock)
    for y in (_x(12), np.array([1.0, np.inf, -0.0, 2.0, np.nan, 3.0])):
        with np.errstate(invalid="ignore"):
            eager, jitted = hess(y).data, fad.jit(hess)(y).data
        np.testing.assert_array_equal(jitted, eager)
        np.testing.assert_array_equal(
            np.signbit(jitted) | np.isnan(jitted), np.signbit(eager) | np.isnan(eager)
        )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_uniform_constant_arrays_fold_without_changing_dtypes(dtype):
    c = np.full(4, 3.0)
    f = lambda x: x * c  # noqa: E731
    x = np.ones(4, dtype)
    assert fad.jit(f)(x).dtype == f(x).dtype == np.float64
    text = str(fad.make_program(f)(x))
    assert ("mul a 3.0" in text) == (dtype == np.float64)
    np.testing.assert_array_equal(fad.jit(f)(x), f(x))


def test_random_patterns_colour_like_the_sequential_greedy():
    """Large irregular patterns are coloured level by level; the result is the greedy
    colouring in the same order, valid and no worse than colouring the graph one vertex
    at a time (the order: by conflict degree, ties by a fixed shuffle)."""
    from fad import _coloring as col

    rng = np.random.default_rng(3)
    n = col.SEQUENTIAL_MAX + 5000
    rows = np.repeat(np.arange(n), 3)
    p = sp.csr_array((np.ones(3 * n, bool), (rows, rng.integers(0, n, 3 * n))), shape=(n, n))
    p.sum_duplicates()
    for order in ORDERS:
        c = color_columns(p, order)
        assert is_column_coloring(p, c.colors)
        assert color_columns(p, order).colors.tolist() == c.colors.tolist()  # deterministic
    ip, ix, _ = col._csr(p)
    first = rng.permutation(n)
    levels, c_ptr, c_idx = col._rounds(first, ip.astype(np.int32), ix.astype(np.int32), n)
    ptr, adj = col._adjacency(ip, ix, n)
    greedy = col._sequential(first, ptr, adj)
    np.testing.assert_array_equal(levels, greedy)
    # recolouring class by class is the sequential greedy colouring in that order
    sizes = np.bincount(greedy)
    place = np.argsort(np.lexsort((np.arange(sizes.size), -sizes)))  # largest class first
    by_class = np.argsort(place[greedy], kind="stable")
    np.testing.assert_array_equal(
        col._by_classes(greedy, c_ptr, c_idx, n), col._sequential(by_class, ptr, adj)
    )
    s = color_symmetric((p + p.T + sp.eye_array(n, dtype=bool, format="csr")).astype(bool).tocsr())
    symmetric_sources((p + p.T).astype(bool).tocsr(), s.colors)  # raises if not a star colouring


def test_rounds_with_many_colours_match_the_sequential_greedy():
    """More than 8, 16, 32 and 64 colours: the rows' colour masks widen, then add words."""
    from fad import _coloring as col

    rng = np.random.default_rng(5)
    n = col.SEQUENTIAL_MAX + 5000
    width = np.where(np.arange(n) % 500 == 0, 150, 3)  # some wide rows: over 150 colours
    rows = np.repeat(np.arange(n), width)
    p = sp.csr_array((np.ones(rows.size, bool), (rows, rng.integers(0, n, rows.size))), shape=(n, n))
    p.sum_duplicates()
    ip, ix, _ = col._csr(p)
    ptr, adj = col._adjacency(ip, ix, n)
    for first in (rng.permutation(n), np.argsort(-np.diff(ptr), kind="stable")):
        levels, c_ptr, c_idx = col._rounds(first, ip.astype(np.int32), ix.astype(np.int32), n)
        np.testing.assert_array_equal(levels, col._sequential(first, ptr, adj))
        assert levels.max() >= 149
    c = color_columns(p)
    assert is_column_coloring(p, c.colors) and c.n_colors >= 150


def test_large_colourings_are_the_same_without_scipy(monkeypatch):
    """The compiled SciPy helpers (used when SciPy is loaded) and the NumPy fallbacks agree."""
    from fad import _coloring as col

    rng = np.random.default_rng(6)
    n = col.SEQUENTIAL_MAX + 5000
    rows = np.repeat(np.arange(n), 3)
    p = sp.csr_array((np.ones(3 * n, bool), (rows, rng.integers(0, n, 3 * n))), shape=(n, n))
    p.sum_duplicates()
    s = (p + p.T + sp.eye_array(n, dtype=bool, format="csr")).astype(bool).tocsr()
    with_scipy = [color_columns(p).colors, color_rows(p).colors, color_symmetric(s).colors]
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    without = [color_columns(p).colors, color_rows(p).colors, color_symmetric(s).colors]
    for a, b in zip(with_scipy, without, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("n", [300, 25_000])
def test_patterns_with_repeated_or_unsorted_entries_colour_like_canonical_ones(n):
    rng = np.random.default_rng(4)
    cols = rng.integers(0, n, 4 * n)
    cols[::4] = cols[1::4]  # a repeat in every row, and rows unsorted
    p = sp.csr_array((np.ones(4 * n, bool), cols, np.arange(0, 4 * n + 1, 4)), shape=(n, n))
    q = p.copy()
    q.sum_duplicates()
    for colour in (color_columns, color_rows):
        np.testing.assert_array_equal(colour(p).colors, colour(q).colors)
    assert is_column_coloring(p, color_columns(p).colors)
