"""Star colourings of symmetric patterns (Hessians): the vectorised greedy colouring by
rounds, the stencil colourings, the star check and the decompression they allow."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import fad
import fad.numpy as fnp
from fad import _coloring as col
from fad._coloring import (
    ORDERS,
    color_columns,
    color_rows,
    color_symmetric,
    is_column_coloring,
    is_star_coloring,
    symmetric_sources,
)
from tests.test_sparse import _has_star_property  # (adjacent differ; no two-coloured path of four)

sp = pytest.importorskip("scipy.sparse")


# ----------------------------------------------------------------------------- patterns


def _symmetric(p):
    """``p + p.T`` with the diagonal: a symmetric pattern, every vertex in its own row."""
    n = p.shape[0]
    return (p + p.T + sp.eye_array(n, dtype=bool, format="csr")).astype(bool).tocsr()


def random_symmetric(n, per_row=3, seed=0):
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n), per_row)
    p = sp.csr_array((np.ones(rows.size, bool), (rows, rng.integers(0, n, rows.size))), shape=(n, n))
    p.sum_duplicates()
    return _symmetric(p)


def banded(n, half_width):
    offsets = list(range(-half_width, half_width + 1))
    return sp.diags_array([np.ones(n - abs(k)) for k in offsets], offsets=offsets, dtype=bool).tocsr()


def grid_laplacian(m, nine_point=False):
    """The pattern of the 5-point (or 9-point) Laplacian on an ``m`` by ``m`` grid."""
    t = banded(m, 1)
    if nine_point:
        return sp.kron(t, t).astype(bool).tocsr()
    e = sp.eye_array(m, dtype=bool)
    return (sp.kron(t, e) + sp.kron(e, t)).astype(bool).tocsr()


def block_diagonal(sizes):
    return sp.block_diag([np.ones((k, k), bool) for k in sizes], format="csr").astype(bool)


def arrow_pattern(n):
    a = np.eye(n, dtype=bool)
    a[0] = a[:, 0] = True
    return sp.csr_array(a)


def _oriented_greedy(p, order):
    """The reference for `_star_rounds`, one vertex at a time: in the row of each vertex,
    the neighbours coloured before it take colours found nowhere else in the row, and the
    others avoid theirs."""
    n = p.shape[0]
    nb = [set(p.indices[p.indptr[i] : p.indptr[i + 1]].tolist()) | {i} for i in range(n)]
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    color = [-1] * n
    for v in order.tolist():
        forbidden = set()
        for i in nb[v]:  # the rows v is in
            v_out = rank[v] < rank[i]
            for j in nb[i]:
                if j != v and color[j] >= 0 and (v_out or rank[j] < rank[i]):
                    forbidden.add(color[j])
        c = 0
        while c in forbidden:
            c += 1
        color[v] = c
    return np.array(color)


# ------------------------------------------------------------------- the star check


@settings(max_examples=60, deadline=None)
@given(hs.integers(0, 10**6), hs.integers(1, 16), hs.floats(0.0, 0.5), hs.integers(1, 5))
def test_is_star_coloring_agrees_with_listing_paths(seed, n, density, k):
    p = sp.random_array((n, n), density=density, format="csr", rng=seed, dtype=float).astype(bool)
    p = (p + p.T).tocsr()
    colors = np.random.default_rng(seed).integers(0, k, n)
    assert is_star_coloring(p, colors) == _has_star_property(p, colors)
    readable = True
    try:
        symmetric_sources(p, colors)
    except ValueError:
        readable = False
    if is_star_coloring(p, colors):
        assert readable  # a star colouring gives every entry


def test_is_star_coloring_examples():
    path = sp.csr_array(np.eye(4, k=1) + np.eye(4, k=-1))
    assert is_star_coloring(path, [0, 1, 2, 0])
    assert not is_star_coloring(path, [0, 1, 0, 1])  # a two-coloured path on four vertices
    assert not is_star_coloring(path, [0, 0, 1, 2])  # neighbours share a colour
    star = arrow_pattern(6)
    assert is_star_coloring(star, [0, 1, 1, 1, 1, 1])  # a star: two colours suffice


# ------------------------------------------------------------ the colouring by rounds


@settings(max_examples=30, deadline=None)
@given(hs.integers(0, 10**6), hs.integers(1, 60), hs.integers(1, 4))
def test_rounds_are_the_one_vertex_at_a_time_greedy(seed, n, per_row):
    p = random_symmetric(n, per_row, seed)
    order = np.random.default_rng(seed).permutation(n)
    ptr, idx = p.indptr.astype(np.int32), p.indices.astype(np.int32)
    reference = _oriented_greedy(p, order)
    for fan in (col._FAN, 0, 2):  # rows with more later vertices wait for their last out one
        with pytest.MonkeyPatch.context() as m:
            m.setattr(col, "_FAN", fan)
            colors = col._star_rounds(order, ptr, idx, n)
        np.testing.assert_array_equal(colors, reference)
    assert _has_star_property(p, colors)


def test_rounds_with_many_colours_widen_the_masks():
    """Over 8, 16, 32 and 64 colours: each row's masks (its colours and its out entries'
    colours, in the two halves of a word) widen, then add words."""
    rng = np.random.default_rng(5)
    n = 3000
    rows = np.repeat(np.arange(n), 2)
    p = sp.csr_array((np.ones(rows.size, bool), (rows, rng.integers(0, n, rows.size))), shape=(n, n))
    clique = rng.choice(n, 120, replace=False)  # 120 vertices, all neighbours: over 100 colours
    a, b = np.meshgrid(clique, clique)
    p = p + sp.csr_array((np.ones(a.size, bool), (a.ravel(), b.ravel())), shape=(n, n))
    p = _symmetric(sp.csr_array(p))
    degree = np.diff(p.indptr)
    for order in (rng.permutation(n), np.argsort(-degree, kind="stable")):
        colors = col._star_rounds(order, p.indptr.astype(np.int32), p.indices.astype(np.int32), n)
        np.testing.assert_array_equal(colors, _oriented_greedy(p, order))
        assert colors.max() >= 100 and is_star_coloring(p, colors)


@pytest.mark.parametrize("order", ORDERS)
def test_large_random_patterns_get_a_star_colouring_with_fewer_colours(order):
    """Above SEQUENTIAL_MAX vertices: a star colouring by rounds (by degree, whatever the
    order), with fewer colours than the distance-2 colouring (columns sharing a row
    differ) that large patterns used to get."""
    p = random_symmetric(col.SEQUENTIAL_MAX + 10_000, seed=1)
    c = color_symmetric(p, order)
    assert c.kind == "star" and is_star_coloring(p, c.colors)
    symmetric_sources(p, c.colors)
    assert c.n_colors <= color_columns(p).n_colors - 3
    np.testing.assert_array_equal(color_symmetric(p, order).colors, c.colors)  # deterministic


def test_hubs_take_few_colours_in_every_order(monkeypatch):
    """Degrees spread like a power law. The rounds colour by degree, largest first, so
    that each entry is read from the row of its vertex of smaller degree (a hub's
    neighbours need not differ), and a hub's neighbours are coloured together."""
    rng = np.random.default_rng(0)
    n = 3000
    degree = np.minimum((rng.pareto(1.0, n) + 1).astype(int), n)  # a few rows nearly full
    rows = np.repeat(np.arange(n), degree)
    p = sp.csr_array((np.ones(rows.size, bool), (rows, rng.integers(0, n, rows.size))), shape=(n, n))
    p.sum_duplicates()
    p = (p + p.T).tocsr()
    assert np.diff(p.indptr).max() > 500
    for limit in (col.SEQUENTIAL_MAX, 0):
        monkeypatch.setattr(col, "SEQUENTIAL_MAX", limit)
        counts = {order: color_symmetric(p, order).n_colors for order in ORDERS}
        assert max(counts.values()) <= 60, counts
        assert is_star_coloring(p, color_symmetric(p, "natural").colors)


def test_a_large_arrow_takes_two_colours():
    n = col.SEQUENTIAL_MAX + 1000
    hub = np.zeros(n, np.int64)
    rows = np.concatenate([hub, np.arange(n), np.arange(n)])
    cols = np.concatenate([np.arange(n), hub, np.arange(n)])
    p = sp.csr_array((np.ones(rows.size, bool), (rows, cols)), shape=(n, n))
    c = color_symmetric(p)
    assert c.n_colors == 2 and is_star_coloring(p, c.colors)


# ------------------------------------------------------------------- known patterns


@pytest.mark.parametrize(
    ("name", "make", "most"),
    [
        ("tridiagonal", lambda: banded(200_000, 1), 3),
        ("5-point grid", lambda: grid_laplacian(300), 5),
        ("5-point small grid", lambda: grid_laplacian(60), 5),
        ("9-point grid", lambda: grid_laplacian(300, nine_point=True), 9),
        ("band of half-width 3", lambda: banded(100_000, 3), 7),
        ("blocks", lambda: block_diagonal([1, 2, 3, 4, 5] * 6000), 5),
        ("arrow", lambda: arrow_pattern(500), 2),
    ],
)
def test_stencils_bands_and_blocks(name, make, most):
    p = make()
    c = color_symmetric(p)
    assert is_star_coloring(p, c.colors), name
    assert c.n_colors <= most, (name, c.n_colors)
    symmetric_sources(p, c.colors)


def test_a_grid_needs_five_colours_not_six():
    """The 5-point stencil on a 1000-line grid: no ``j mod p`` with p < 6 is even a
    distance-1 colouring, but ``(j + 2 (j // 1000)) mod 5``, the colour growing by 2 from
    line to line, is a star colouring, and a distance-2 colouring of the columns."""
    p = grid_laplacian(1000)
    c = color_symmetric(p)
    assert c.n_colors == 5 and is_star_coloring(p, c.colors)
    c = color_columns(p)
    assert c.n_colors == 5 and is_column_coloring(p, c.colors)


@pytest.mark.parametrize("lines", [32, 99, 100, 101, 316, 1000])
@pytest.mark.parametrize("nine_point", [False, True])
def test_grids_take_the_fewest_colours_whatever_the_line_length(lines, nine_point):
    """Every point of a five-point stencil shares a row with four others, and every one of
    a nine-point stencil with eight: 5 and 9 colours are the least, on the columns (forward
    mode) and the rows (reverse mode) alike, whether or not ``j mod p`` fits the line."""
    p = grid_laplacian(lines, nine_point)
    most = 9 if nine_point else 5
    for color in (color_columns, color_rows):
        c = color(p)
        assert c.n_colors == most, (color.__name__, c.n_colors)
    assert is_column_coloring(p, color_columns(p).colors)
    assert is_column_coloring(p.T.tocsr(), color_rows(p).colors)


def test_a_rectangular_grid_residual_takes_five_colours():
    """A residual on the interior of a grid with its boundary values as inputs too: more
    columns than rows, lines of ``m + 2`` columns."""
    m = 50
    g = np.arange((m + 2) ** 2).reshape(m + 2, m + 2)
    rows, cols = [], []
    for di, dj in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
        rows.append(np.arange(m * m))
        cols.append(g[1 + di : m + 1 + di, 1 + dj : m + 1 + dj].ravel())
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    p = sp.csr_array((np.ones(rows.size, bool), (rows, cols)), shape=(m * m, (m + 2) ** 2))
    c = color_columns(p)
    assert is_column_coloring(p, c.colors) and c.n_colors == 5


@settings(max_examples=25, deadline=None)
@given(hs.integers(0, 10**6), hs.integers(1, 30), hs.floats(0.0, 0.3), hs.sampled_from(ORDERS))
def test_small_star_colourings_are_valid_and_deterministic(seed, n, density, order):
    p = sp.random_array((n, n), density=density, format="csr", rng=seed, dtype=float).astype(bool)
    p = (p + p.T).tocsr()
    p.sort_indices()
    c = color_symmetric(p, order)
    assert _has_star_property(p, c.colors)
    np.testing.assert_array_equal(color_symmetric(p, order).colors, c.colors)


# ------------------------------------------------------------------- decompression


def _decompress(p, colors, h):
    """Each entry of the symmetric matrix ``h`` (pattern ``p``), from one product per colour."""
    seeds = np.eye(int(colors.max()) + 1)[colors]  # one column per colour
    products = h @ seeds  # column c: H times the sum of colour c's unit vectors
    color, row = symmetric_sources(p, colors)
    return products[row, color]


@pytest.mark.parametrize(
    "make",
    [lambda: random_symmetric(3000, seed=2), lambda: grid_laplacian(40), lambda: banded(2000, 2)],
)
def test_entries_are_read_from_one_product_per_colour(make, monkeypatch):
    p = make()
    rng = np.random.default_rng(0)
    values = rng.normal(size=p.nnz)
    h = sp.csr_array((values, p.indices, p.indptr), shape=p.shape)
    h = (h + h.T).tocsr()  # symmetric, with the pattern p
    h.sort_indices()
    expected = h.data
    for limit in (col.SEQUENTIAL_MAX, 0):  # one vertex at a time, and by rounds
        monkeypatch.setattr(col, "SEQUENTIAL_MAX", limit)
        c = color_symmetric(h)
        np.testing.assert_allclose(_decompress(h, c.colors, h), expected)


def chained_rosenbrock(x):
    return fnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2) + fnp.sum(fnp.sin(x[::3] * x[2::3]))


@pytest.mark.parametrize("limit", [0, 20_000])
def test_sparse_hessian_equals_the_dense_hessian(limit, monkeypatch):
    """With the star colouring by rounds (every pattern above the limit) and one vertex at a
    time."""
    monkeypatch.setattr(col, "SEQUENTIAL_MAX", limit)
    x = np.random.default_rng(1).uniform(0.5, 1.5, 60)
    hess = fad.sparse_hessian(chained_rosenbrock)
    h = hess(x)
    np.testing.assert_allclose(h.toarray(), fad.hessian(chained_rosenbrock)(x), rtol=1e-12, atol=1e-12)
    assert hess.coloring.kind == "star" and is_star_coloring(hess.pattern, hess.coloring.colors)


def test_a_triangle_stands_for_the_whole_symmetric_pattern(monkeypatch):
    """Given only the upper triangle, the colouring and the reading positions are those of
    the whole pattern (reading a row's product needs all of the row's entries)."""
    full = random_symmetric(2000, seed=3)
    upper = sp.triu(full, format="csr")
    rng = np.random.default_rng(1)
    h = sp.csr_array((rng.normal(size=full.nnz), full.indices, full.indptr), shape=full.shape)
    h = (h + h.T).tocsr()
    h.sort_indices()
    for limit in (col.SEQUENTIAL_MAX, 0):
        monkeypatch.setattr(col, "SEQUENTIAL_MAX", limit)
        c = color_symmetric(upper)
        assert is_star_coloring(full, c.colors) and is_star_coloring(upper, c.colors)
        seeds = np.eye(c.n_colors)[c.colors]
        color, row = symmetric_sources(upper, c.colors)
        np.testing.assert_allclose((h @ seeds)[row, color], sp.triu(h, format="csr").data)


def test_a_symmetric_pattern_is_square():
    with pytest.raises(ValueError, match="square"):
        color_symmetric(sp.csr_array(np.ones((2, 3), bool)))
    with pytest.raises(ValueError, match="square"):
        symmetric_sources(sp.csr_array(np.ones((2, 3), bool)), [0, 1, 2])


@pytest.mark.parametrize("n", [50, 30_000])
def test_a_one_sided_pattern_with_balanced_counts_stands_for_the_whole(n):
    """Entries ``(i, i + 1 mod n)`` only: every row and column has one, yet the pattern is
    not symmetric; it is coloured as the cycle it stands for."""
    i = np.arange(n)
    one_sided = sp.csr_array((np.ones(n, bool), (i, (i + 1) % n)), shape=(n, n))
    c = color_symmetric(one_sided)
    cycle = (one_sided + one_sided.T).tocsr()
    assert is_star_coloring(cycle, c.colors) and c.n_colors <= 4
    symmetric_sources(one_sided, c.colors)


@pytest.mark.parametrize("n", [50, 30_000])
def test_a_permutation_pattern_stands_for_itself_and_its_transpose(n):
    """Entries ``(i, perm[i])``: balanced counts, not symmetric, not a stencil (found not
    symmetric by the transposition the rounds make)."""
    perm = np.random.default_rng(0).permutation(n)
    p = sp.csr_array((np.ones(n, bool), (np.arange(n), perm)), shape=(n, n))
    c = color_symmetric(p)
    assert is_star_coloring((p + p.T).tocsr(), c.colors) and c.n_colors <= 5
    symmetric_sources(p, c.colors)
