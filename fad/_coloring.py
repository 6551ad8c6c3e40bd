"""Colouring a sparsity pattern, so that one product per colour gives the whole matrix.

* :func:`color_columns`: no two columns of one colour share a row (forward mode: one
  Jacobian-vector product per colour); :func:`color_rows`, the same for rows (reverse mode).
* :func:`color_symmetric`: a star colouring of a symmetric pattern (Hessians): adjacent
  vertices differ and every path on four vertices uses at least three colours, so each
  entry is read directly from one Hessian-vector product, by symmetry if needed.

Greedy colourings in a chosen order: ``"largest_first"`` (most conflicts first),
``"smallest_last"`` (the degeneracy order), ``"natural"`` or ``"random"``. Small graphs are
coloured one vertex at a time; large ones (more than ``SEQUENTIAL_MAX`` vertices) by rounds
in NumPy: every vertex that comes before all its uncoloured neighbours takes the smallest
colour its neighbours leave free (Jones and Plassmann), which is the one-at-a-time greedy
colouring in that order, with ties in the order broken by a fixed pseudo-random
permutation; the rounds follow each row's columns in order, so every entry is handled
once, and the colours a row has taken are bits of a small integer. The result is then
recoloured class by class (Culberson's iterated greedy: one round per class), which never
adds a colour. Banded and stencil patterns are also tried with the colouring ``j mod p``,
``p`` the smallest number dividing no distance between two columns of a row, and grids with
``(j + s (j // m)) mod p``, ``m`` the length of a line; the fewest colours win (on a large
pattern a valid one of these is taken without the rounds).
Everything is deterministic.

Symmetric patterns: small ones get Gebremedhin, Manne and Pothen's one-vertex-at-a-time
star colouring in the order asked for; every one gets a star colouring by the same kind
of rounds, by degree (largest first), each entry read from the row of the later of its
two vertices (a greedy colouring of one fixed conflict graph, see `_star_rounds`); stencils
and bands get ``j mod p`` or ``(j + s (j // m)) mod p`` when it is a star colouring (found
on a sample of rows, checked on all). The fewest colours win; on a large stencil the
rounds are skipped. A pattern that is not symmetric stands for itself and its transpose.

Only NumPy: a pattern is anything with ``shape``, ``indptr`` and ``indices`` of a CSR
matrix (a ``scipy.sparse`` CSR array). When SciPy is loaded already, its compiled
transpose, per-row sort and row indexing do the rounds' bookkeeping (the same results as
the NumPy code, faster); this module never imports it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

if TYPE_CHECKING:
    from typing import Protocol

    from numpy.typing import ArrayLike, NDArray

    Ints = NDArray[np.int64]

    class CSRPattern(Protocol):
        """A sparsity pattern in CSR form (a ``scipy.sparse`` CSR array, for one)."""

        @property
        def shape(self) -> tuple[int, ...]: ...
        @property
        def indptr(self) -> NDArray[Any]: ...
        @property
        def indices(self) -> NDArray[Any]: ...


ORDERS = ("largest_first", "smallest_last", "natural", "random")
SEQUENTIAL_MAX = 20_000  # vertices; above this, colour by vectorised rounds
_FAN = 32  # a row's later vertices wait for each other in turn up to this many (see _star_rounds)
_SEED = 0x5EED


@attrs.frozen(eq=False)
class Coloring:
    """A colouring of a pattern's columns, rows or (symmetric) vertices.

    Attributes:
        colors: `colors[k]` is the colour (0 to `n_colors - 1`) of column `k`
            (`kind="column"`), row `k` (`"row"`) or vertex `k` (`"star"`).
        n_colors: How many colours: one product per colour computes the matrix.
        kind: `"column"`, `"row"` or `"star"`.
        order: The greedy order it was made with.

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import color_columns
        >>> c = color_columns(sp.csr_array(np.eye(4, k=1) + np.eye(4)))
        >>> c
        Coloring(column, 2 colors for 4, order='largest_first')
        >>> c.groups()
        [array([0, 2]), array([1, 3])]
    """

    colors: NDArray[np.int64]
    n_colors: int
    kind: str
    order: str

    def groups(self) -> list[NDArray[np.intp]]:
        """The members of each colour.

        Returns:
            One index array per colour, in increasing order of colour and of index.
        """
        order = np.argsort(self.colors, kind="stable")
        return np.split(order, np.cumsum(np.bincount(self.colors, minlength=self.n_colors))[:-1])

    def __repr__(self) -> str:
        return f"Coloring({self.kind}, {self.n_colors} colors for {self.colors.size}, order={self.order!r})"


# ----------------------------------------------------------------------------- graphs


def _unique(a: Ints) -> Ints:
    """The sorted distinct values of an integer array (by sorting: NumPy's hashing
    ``unique`` is slow on millions of keys)."""
    a = np.sort(a)
    if a.size:
        a = a[np.concatenate(([True], a[1:] != a[:-1]))]
    return a


def _csr(pattern: CSRPattern) -> tuple[Ints, Ints, tuple[int, ...]]:
    """The pattern's CSR arrays, each row's columns sorted and without repeats."""
    indptr = np.asarray(pattern.indptr, dtype=np.int64)
    indices = np.asarray(pattern.indices, dtype=np.int64)
    shape = tuple(pattern.shape)
    if getattr(pattern, "has_canonical_format", False) or indices.size < 2:
        return indptr, indices, shape
    rows = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
    key = rows * max(shape[1], 1) + indices
    if not np.all(key[1:] > key[:-1]):  # unsorted or repeated: the distinct entries, in order
        key = _unique(key)
        rows, indices = np.divmod(key, max(shape[1], 1))
        indptr = np.zeros(indptr.size, np.int64)
        np.cumsum(np.bincount(rows, minlength=indptr.size - 1), out=indptr[1:])
    return indptr, indices, shape


def _stable_argsort(keys: Ints) -> NDArray[np.intp]:
    """A stable argsort of non-negative integers, by 16-bit digits (NumPy sorts those by
    counting, in linear time: several times faster than sorting 64-bit keys)."""
    top = int(keys.max(initial=0))
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while top >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _transpose(
    indptr: NDArray[Any], indices: NDArray[Any], n_cols: int, data: NDArray[Any] | None = None
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any] | None]:
    """The CSR arrays of the transpose (each column's rows, increasing), and ``data`` (one
    value per entry) carried along to the transpose's order. By SciPy's compiled conversion
    when SciPy is loaded already (it is, when the pattern is a ``scipy.sparse`` array), else
    by a stable counting sort in NumPy. The index arrays keep the dtype of ``indices``."""
    n_rows = indptr.size - 1
    dtype = indices.dtype
    sps = sys.modules.get("scipy.sparse")
    if sps is not None and indices.size:
        values = np.zeros(indices.size, bool) if data is None else data
        csr = sps.csc_array((values, indices, indptr), shape=(n_cols, n_rows)).tocsr()
        out = None if data is None else csr.data
        return csr.indptr.astype(dtype, copy=False), csr.indices.astype(dtype, copy=False), out
    rows = np.repeat(np.arange(n_rows, dtype=dtype), np.diff(indptr))
    ptr = np.zeros(n_cols + 1, dtype)
    np.cumsum(np.bincount(indices, minlength=n_cols), out=ptr[1:])
    perm = _stable_argsort(indices)
    return ptr, rows[perm], None if data is None else data[perm]


def _conflict_degrees(r_ptr: NDArray[Any], r_idx: NDArray[Any], n: int) -> Ints:
    """Per column, the number of (column, row) conflicts: sum over its rows of the other
    entries in them (the degree in the column intersection graph, with repeats)."""
    counts = np.diff(r_ptr)
    return np.bincount(r_idx, weights=np.repeat(counts - 1, counts), minlength=n).astype(np.int64)


def _adjacency(r_ptr: Ints, r_idx: Ints, n: int) -> tuple[Ints, Ints]:
    """The column intersection graph (columns sharing a row), as CSR lists without self
    loops: built from every pair in every row."""
    counts = np.diff(r_ptr)
    rep = np.repeat(counts, counts)  # each entry paired with every entry of its row
    a = np.repeat(r_idx, rep)
    starts = np.repeat(r_ptr[:-1], counts)
    offs = np.arange(rep.sum(), dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
    b = r_idx[np.repeat(starts, rep) + offs]
    keep = a != b
    key = _unique(a[keep] * n + b[keep])
    a, b = np.divmod(key, n)
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=ptr[1:])
    return ptr, b


def _symmetrized(indptr: Ints, indices: Ints, n: int) -> tuple[Ints, Ints, bool]:
    """The CSR arrays of the pattern or its transpose (sorted), and whether the pattern was
    symmetric already (then they are its own)."""
    t_ptr, t_idx, _ = _transpose(indptr, indices, n)
    if np.array_equal(t_ptr, indptr) and np.array_equal(t_idx, indices):
        return indptr, indices, True
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    t_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(t_ptr))
    key = _unique(np.concatenate([rows * n + indices, t_rows * n + t_idx]))
    r, c = np.divmod(key, n)
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(r, minlength=n), out=ptr[1:])
    return ptr, c, False


# ------------------------------------------------------------------------------ orders


def _order(name: str, degrees: Ints, ptr: Ints, adj: Ints) -> NDArray[Any]:
    """The vertices in colouring order."""
    n = degrees.size
    if name == "natural":
        return np.arange(n)
    if name == "random":
        return np.random.default_rng(_SEED).permutation(n)
    if name == "largest_first":
        return np.argsort(-degrees, kind="stable")
    if name == "smallest_last":
        return _smallest_last(ptr, adj)
    raise ValueError(f"order must be one of {ORDERS}, not {name!r}")


def _smallest_last(ptr: Ints, adj: Ints) -> Ints:
    """Repeatedly remove a vertex of smallest remaining degree; colour in reverse."""
    n = ptr.size - 1
    deg = np.diff(ptr).tolist()
    nbrs = adj.tolist()
    p = ptr.tolist()
    buckets: dict[int, list[int]] = {}
    for v in range(n - 1, -1, -1):
        buckets.setdefault(deg[v], []).append(v)
    removed = [False] * n
    out = []
    low = 0
    for _ in range(n):
        while True:
            while not buckets.get(low):
                low += 1
            v = buckets[low].pop()
            if not removed[v] and deg[v] == low:
                break
        removed[v] = True
        out.append(v)
        for w in nbrs[p[v] : p[v + 1]]:
            if not removed[w]:
                deg[w] -= 1
                buckets.setdefault(deg[w], []).append(w)
                low = min(low, deg[w])
    return np.array(out[::-1], dtype=np.int64)


# ----------------------------------------------------------------- greedy colourings


def _sequential(order: NDArray[Any], ptr: Ints, adj: Ints) -> Ints:
    """Greedy distance-1 colouring of a graph, one vertex at a time in ``order``."""
    n = ptr.size - 1
    color = [-1] * n
    nbrs = adj.tolist()
    p = ptr.tolist()
    for v in order.tolist():
        used = {color[w] for w in nbrs[p[v] : p[v + 1]]}
        c = 0
        while c in used:
            c += 1
        color[v] = c
    return np.array(color, dtype=np.int64)


def _sorted_within_rows(r_ptr: NDArray[Any], keys: NDArray[Any], n_keys: int) -> NDArray[Any]:
    """``keys`` (one per entry, below ``n_keys``) sorted within each row of the CSR
    structure ``r_ptr``: by SciPy's compiled per-row sort when SciPy is loaded already, else
    by one NumPy sort of ``row * n_keys + key``."""
    n_rows = r_ptr.size - 1
    sps = sys.modules.get("scipy.sparse")
    if sps is not None and keys.size:
        m = sps.csr_array((np.zeros(keys.size, bool), keys, r_ptr), shape=(n_rows, n_keys))
        m.has_sorted_indices = False
        m.sort_indices()
        return np.asarray(m.indices, dtype=keys.dtype)
    base = np.repeat(np.arange(n_rows, dtype=np.int64) * n_keys, np.diff(r_ptr))
    return (np.sort(base + keys) - base).astype(keys.dtype)


_WIDER = {np.dtype(np.uint8): np.uint16, np.dtype(np.uint16): np.uint32, np.dtype(np.uint32): np.uint64}


def _column_reader(
    c_ptr: NDArray[Any], c_idx: NDArray[Any], n_rows: int, data: NDArray[Any] | None = None
) -> Callable[[NDArray[Any]], tuple[NDArray[Any], NDArray[Any], NDArray[Any]]]:
    """A function that gives, for an array of columns, their rows (one run per column, in
    that order), the ``data`` of those entries, and where each run starts (with the total
    at the end). By SciPy's compiled row indexing of the transpose when SciPy is loaded
    already (several times faster), else in NumPy."""
    values = np.zeros(c_idx.size, bool) if data is None else data
    sps = sys.modules.get("scipy.sparse")
    if sps is not None:
        m = sps.csr_array((values, c_idx, c_ptr), shape=(c_ptr.size - 1, n_rows))

        def by_scipy(cols: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
            sub = m[cols]
            return sub.indices, sub.data, sub.indptr

        return by_scipy

    def by_numpy(cols: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
        deg = c_ptr[cols + 1] - c_ptr[cols]
        ptr = np.zeros(cols.size + 1, c_ptr.dtype)
        np.cumsum(deg, out=ptr[1:])
        entries = np.repeat(c_ptr[cols] - ptr[:-1], deg) + np.arange(int(ptr[-1]), dtype=c_ptr.dtype)
        return c_idx[entries], values[entries], ptr

    return by_numpy


def _lowest_free(rows: NDArray[Any], ptr: NDArray[Any], masks: list[NDArray[Any]]) -> Ints:
    """Give every column (whose rows are ``rows[ptr[k]:ptr[k + 1]]``, at least one, no two
    columns in one row) the smallest colour that none of its rows has in ``masks`` (one
    bit per colour per row), and record it there. The first word of the masks starts with
    8 bits (a small array, quick to read at random) and widens to 64; further words have
    64 bits each.

    Returns:
        The colours.
    """
    seg, deg = ptr[:-1], np.diff(ptr)
    c = np.full(deg.size, -1, np.int64)
    words = [mask[rows] for mask in masks]  # the rows' masks, read once
    base = 0
    for word in words:  # the lowest colour free in every row of a column
        todo = c < 0
        if not todo.any():
            break
        free = ~np.bitwise_or.reduceat(word, seg)
        low = free & (~free + word.dtype.type(1))  # the lowest free bit (0 if none)
        found = todo & (low != 0)
        c[found] = base + np.log2(low[found].astype(np.float64)).astype(np.int64)
        base += 8 * word.dtype.itemsize
    if c.min(initial=0) < 0:  # every colour of the masks taken in some row: the next one
        c[c < 0] = sum(8 * mask.dtype.itemsize for mask in masks)
        if masks[0].dtype in _WIDER:
            masks[0] = masks[0].astype(_WIDER[masks[0].dtype])
            words[0] = words[0].astype(masks[0].dtype)
        else:
            masks.append(np.zeros(masks[0].size, np.uint64))
            words.append(np.zeros(rows.size, np.uint64))
    if len(masks) == 1:  # no two columns share a row: plain assignment
        one = masks[0].dtype.type(1)
        masks[0][rows] = words[0] | np.repeat(one << c.astype(masks[0].dtype), deg)
    else:
        which = np.repeat(c // 64, deg)
        bits = np.repeat(np.uint64(1) << (c % 64).astype(np.uint64), deg)
        for w, mask in enumerate(masks):
            at = which == w
            mask[rows[at]] = words[w][at] | bits[at]
    return c


def _rounds(
    first: NDArray[Any], r_ptr: NDArray[Any], r_idx: NDArray[Any], n: int
) -> tuple[Ints, NDArray[Any], NDArray[Any]]:
    """Greedy colouring of the ``n`` columns of a bipartite graph (columns conflict when they
    share a row), the same as the sequential greedy colouring in the order ``first``,
    computed level by level (Jones and Plassmann): a column is coloured once every column
    before it sharing a row with it is, taking the smallest colour its rows leave free.

    Within a row the columns are coloured in order, so each column waits only for its
    predecessor in each of its rows: a row keeps a pointer to its next column, and a
    column is ready when every one of its rows points at it (Kahn's algorithm on these
    chains). Every entry is handled once; the rounds are as many as the longest chain.

    Returns:
        The colours, and the transpose's CSR arrays (each column's rows) for reuse.
    """
    dtype = r_idx.dtype
    n_rows = r_ptr.size - 1
    counts = np.diff(r_ptr)
    rank = np.empty(n, dtype)
    rank[first] = np.arange(n, dtype=dtype)
    # each row's columns in the order, and after each the next one of its row (or -1)
    chain = np.asarray(first, dtype)[_sorted_within_rows(r_ptr, rank[r_idx], n)]
    succ = np.empty(chain.size, dtype)
    succ[:-1] = chain[1:]
    succ[r_ptr[1:][counts > 0] - 1] = -1
    c_ptr, c_idx, succ_c = _transpose(r_ptr, chain, n, succ)
    assert succ_c is not None
    deg = np.diff(c_ptr)
    waiting = deg - np.bincount(chain[r_ptr[:-1][counts > 0]], minlength=n).astype(dtype)  # rows it heads
    color = np.zeros(n, np.int64)  # a column in no row conflicts with nothing
    masks = [np.zeros(n_rows, np.uint8)]
    read = _column_reader(c_ptr, c_idx, n_rows, succ_c)
    slot = np.empty(n, dtype)
    ready = np.flatnonzero((waiting == 0) & (deg > 0)).astype(dtype, copy=False)
    while ready.size:
        rows, targets, ptr = read(ready)
        color[ready] = _lowest_free(rows, ptr, masks)
        targets = targets[targets >= 0]
        np.subtract.at(waiting, targets, dtype.type(1))  # (same dtypes: NumPy's fast path)
        done = targets[waiting[targets] == 0]  # with repeats: keep each column once
        slot[done] = np.arange(done.size, dtype=dtype)
        ready = done[slot[done] == np.arange(done.size, dtype=dtype)]
    return color, c_ptr, c_idx


def _by_classes(color: Ints, c_ptr: NDArray[Any], c_idx: NDArray[Any], n_rows: int) -> Ints:
    """Culberson's iterated greedy: recolour greedily class by class, largest class first
    (which never adds a colour). Columns of one class share no row, so each class is one
    round."""
    sizes = np.bincount(color)
    place = np.empty(sizes.size, np.int64)
    place[np.lexsort((np.arange(sizes.size), -sizes))] = np.arange(sizes.size)
    deg = np.diff(c_ptr)
    members = _stable_argsort(place[color]).astype(c_ptr.dtype, copy=False)
    ends = np.cumsum(sizes[np.argsort(place)]).tolist()
    read = _column_reader(c_ptr, c_idx, n_rows)
    out = np.zeros_like(color)  # a column in no row conflicts with nothing
    masks = [np.zeros(n_rows, np.uint8)]
    start = 0
    for end in ends:
        cols = members[start:end]
        cols = cols[deg[cols] > 0]
        if cols.size:
            rows, _, ptr = read(cols)
            out[cols] = _lowest_free(rows, ptr, masks)
        start = end
    return out


def _lowest_free_star(
    rows: NDArray[Any], ptr: NDArray[Any], out: NDArray[np.bool_], masks: list[NDArray[Any]]
) -> Ints:
    """`_lowest_free` for `_star_rounds`: each word of a row's masks holds, in its low
    half, the colours of the row and, in its high half, the colours of its out entries. An
    out entry avoids the first, any other entry the second; the colour is recorded in the
    first, and in the second for an out entry. The first word starts with 16 bits (8
    colours) and widens to 64; further words hold 32 colours each.

    Returns:
        The colours.
    """
    seg, deg = ptr[:-1], np.diff(ptr)
    c = np.full(deg.size, -1, np.int64)
    words = [mask[rows] for mask in masks]
    base = 0
    for word in words:
        todo = c < 0
        if not todo.any():
            break
        t = word.dtype.type
        half = 4 * word.dtype.itemsize
        low_half = t((1 << half) - 1)
        forbid = (word >> np.where(out, t(0), t(half))) & low_half
        free = ~np.bitwise_or.reduceat(forbid, seg) & low_half
        low = free & (~free + t(1))
        found = todo & (low != 0)
        c[found] = base + np.log2(low[found].astype(np.float64)).astype(np.int64)
        base += half
    if c.min(initial=0) < 0:  # every colour of the masks taken: the next one
        c[c < 0] = base
        if masks[0].dtype in _WIDER:  # widen: move the high half up
            t, wide = masks[0].dtype, _WIDER[masks[0].dtype]
            half = 4 * t.itemsize

            def widen(m: NDArray[Any]) -> NDArray[Any]:
                m = m.astype(wide)
                wider: NDArray[Any] = (m & wide((1 << half) - 1)) | ((m >> wide(half)) << wide(2 * half))
                return wider

            masks[0], words[0] = widen(masks[0]), widen(words[0])
        else:
            masks.append(np.zeros(masks[0].size, np.uint64))
            words.append(np.zeros(rows.size, np.uint64))
    sizes = [4 * m.dtype.itemsize for m in masks]
    starts = np.cumsum([0, *sizes])
    each = np.repeat(c, deg)
    which = np.searchsorted(starts, each, side="right") - 1 if len(masks) > 1 else None
    for w, mask in enumerate(masks):
        t = mask.dtype.type
        at = slice(None) if which is None else which == w
        bit = t(1) << (each[at] - starts[w]).astype(mask.dtype)
        mask[rows[at]] = words[w][at] | bit | (bit << t(sizes[w])) * out[at]
    return c


def _star_rounds(first: NDArray[Any], ptr: NDArray[Any], idx: NDArray[Any], n: int) -> Ints | None:
    """Greedy star colouring of the symmetric pattern ``ptr``, ``idx`` (every vertex in its
    own row) in the order ``first``, each off-diagonal entry read from the row of the later
    of its two vertices: in row ``i`` the neighbours coloured before ``i`` (its *out*
    entries) take colours found nowhere else in the row, and the others (``i`` and the
    neighbours after it) avoid the colours of those. Every edge is then read directly in
    one row (its earlier vertex is the only one of its colour there), so every path on four
    vertices has three colours: a star colouring. This is Gebremedhin, Manne and Pothen's
    greedy star colouring (2005, algorithm 4.1) with the hub of each two-coloured star
    fixed in advance by the order, which makes it the greedy colouring of one fixed
    conflict graph, computed level by level as `_rounds` does; a row's masks hold its
    colours and its out entries' colours.

    In each row (its vertices in the order) a vertex waits for the one before it; but in a
    row with more than ``_FAN`` vertices after its out entries (a hub's), those, which do
    not conflict with each other, wait only for the last out entry and are coloured
    together, not one round each.

    Returns:
        The colours, or None if the pattern is not symmetric after all.
    """
    dtype = idx.dtype
    counts = np.diff(ptr)
    nnz = idx.size
    rank = np.empty(n, dtype)
    rank[first] = np.arange(n, dtype=dtype)
    ranks = _sorted_within_rows(ptr, rank[idx], n)  # each row's vertices' ranks, in order
    chain = np.asarray(first, dtype)[ranks]
    out = ranks < np.repeat(rank, counts)  # coloured before the row's own vertex: a prefix
    # what an entry releases, as ``code * 2 + out``: code - 1 is the next vertex of its row
    # (code 0: none), or where the rest of the row starts (-code - 1) for the last out entry
    # of a fanned row (one whose many later vertices wait only for the last out one)
    code = np.zeros(nnz, dtype)
    code[:-1] = chain[1:] + 1
    code[ptr[1:] - 1] = 0
    waiting = (counts - np.bincount(chain[ptr[:-1]], minlength=n)).astype(dtype)  # rows it is not first in
    fan = np.zeros(0, bool)
    if counts.max(initial=0) > _FAN:
        n_out = np.add.reduceat(out, ptr[:-1], dtype=dtype)  # (every row has its own vertex)
        fan = counts - n_out > _FAN
    if fan.any():
        code[np.repeat(fan, counts) & ~out] = 0
        last = ptr[:-1][fan & (n_out > 0)] + n_out[fan & (n_out > 0)] - 1
        code[last] = -(last + 2)
        loose = np.flatnonzero(fan & (n_out == 0))  # fanned rows with no out entry: no waiting
        rest = np.repeat(ptr[loose] + 1, counts[loose] - 1) + _ranges(counts[loose] - 1)
        waiting -= np.bincount(chain[rest], minlength=n).astype(dtype)
    c_ptr, c_idx, data_c = _transpose(ptr, chain, n, code * dtype.type(2) + out)
    assert data_c is not None
    if not (np.array_equal(c_ptr, ptr) and np.array_equal(c_idx, idx)):
        return None  # (each vertex's rows are its own row's columns only in a symmetric pattern)
    color = np.zeros(n, np.int64)
    masks = [np.zeros(n, np.uint16)]
    read = _column_reader(c_ptr, c_idx, n, data_c)
    slot = np.empty(n, dtype)
    ready = np.flatnonzero(waiting == 0).astype(dtype, copy=False)
    while ready.size:
        rows, d, p = read(ready)
        color[ready] = _lowest_free_star(rows, p, (d & 1).astype(bool), masks)
        d >>= 1
        targets = d[d > 0] - 1
        if fan.any():
            at = d < 0  # runs to the ends of rows, one after the other
            start = -d[at] - 1
            run = ptr[rows[at] + 1] - start
            shift = np.repeat(start - np.cumsum(run, dtype=dtype) + run, run)
            targets = np.concatenate([targets, chain[shift + np.arange(shift.size, dtype=dtype)]])
        np.subtract.at(waiting, targets, dtype.type(1))
        done = targets[waiting[targets] == 0]  # with repeats: keep each vertex once
        slot[done] = np.arange(done.size, dtype=dtype)
        ready = done[slot[done] == np.arange(done.size, dtype=dtype)]
    return color


def _compact(color: Ints) -> Ints:
    """Renumber colours 0..k-1 in order of first use."""
    n = color.size
    first = np.full(int(color.max()) + 1, n, np.int64)
    np.minimum.at(first, color, np.arange(n, dtype=np.int64))
    used = np.flatnonzero(first < n)
    remap = np.empty(first.size, np.int64)
    remap[used[np.argsort(first[used], kind="stable")]] = np.arange(used.size)
    return remap[color]


def _sampled_rows(n_rows: int, counts: Ints) -> Ints:
    """Rows spread through a pattern (4,096 at most) with two entries or more."""
    sample = np.unique(np.linspace(0, n_rows - 1, min(n_rows, 4096)).astype(np.int64))
    return sample[counts[sample] > 1]


def _distances(indptr: Ints, indices: Ints, sample: Ints) -> Ints:
    """The distances between two columns of a row, over the rows ``sample``, sorted."""
    counts = np.diff(indptr)
    sub_ptr = np.zeros(sample.size + 1, np.int64)
    np.cumsum(counts[sample], out=sub_ptr[1:])
    take = np.repeat(indptr[sample], counts[sample]) + (
        np.arange(sub_ptr[-1], dtype=np.int64) - np.repeat(sub_ptr[:-1], counts[sample])
    )
    sub = indices[take]
    c = np.diff(sub_ptr)
    rep = np.repeat(c, c)
    a = np.repeat(sub, rep)
    offs = np.arange(rep.sum(), dtype=np.int64) - np.repeat(np.cumsum(rep) - rep, rep)
    b = sub[np.repeat(np.repeat(sub_ptr[:-1], c), rep) + offs]
    dist = _unique(np.abs(a - b).astype(np.int64))
    out: Ints = dist[dist > 0]
    return out


def _modular(indptr: Ints, indices: Ints, n: int, widest: int, tries: int = 3) -> Ints | None:
    """A colouring ``j mod p`` with the smallest ``p`` that divides no distance between two
    columns of a row, or None. Stencils on grids (and banded patterns) have few such
    distances, whatever their size. The distances are gathered from a sample of rows, and
    the colouring is checked on the whole pattern."""
    sample = _sampled_rows(indptr.size - 1, np.diff(indptr))
    if sample.size == 0:
        return None
    dist = _distances(indptr, indices, sample)
    for p in range(max(widest, 2), min(n, 4 * widest + 8) + 1):
        if np.any(dist % p == 0):
            continue
        color = np.arange(n, dtype=np.int64) % p
        if is_column_coloring_arrays(indptr, indices, color):
            return color
        tries -= 1
        if not tries:
            return None
    return None


def _lattice(indptr: Ints, indices: Ints, n: int, widest: int, limit: int) -> Ints | None:
    """A colouring ``(j + s (j // m)) mod p`` with fewer than ``limit`` colours, ``m`` a
    distance between two columns of a row longer than a row (on a grid, the length of a
    line: the colour grows by ``s`` from line to line), or None. The 5-point stencil on an
    ``N`` by ``N`` grid takes 5 colours this way for every ``N``, where ``j mod p`` needs 6
    when 5 divides ``N - 1``, ``N`` or ``N + 1``. Candidates are checked on a sample of
    rows (spread through the pattern, at its ends and where lines end), then on the whole
    pattern; a pattern whose rows are not alike (more distances between columns than
    pairs in a row) is not tried."""
    n_rows = indptr.size - 1
    counts = np.diff(indptr)
    sample = _sampled_rows(n_rows, counts)
    if sample.size == 0 or limit <= max(widest, 2):
        return None
    dist = _distances(indptr, indices, sample)
    strides = [int(m) for m in dist[dist > widest][:4]]
    if not strides or dist.size > widest * widest:  # rows not alike: not a stencil
        return None
    near = [q * m + np.arange(-4, 4) for m in strides for q in (1, 2, n // (2 * m), n // m)]
    ends = np.r_[0 : min(n_rows, 32), max(n_rows - 32, 0) : n_rows]
    sample = _unique(np.concatenate([sample, ends, *near]).clip(0, n_rows - 1))
    rows, cols = _entries(indptr, indices, sample)
    _, local = np.unique(rows, return_inverse=True)
    j = np.arange(n, dtype=np.int64)
    for p in range(max(widest, 2), min(limit, 4 * widest + 8)):
        for m in strides:
            for step in range(1, p):
                key = local * p + (cols + step * (cols // m)) % p
                if _unique(key).size < key.size:  # two columns of a sampled row alike
                    continue
                color = (j + step * (j // m)) % p
                if is_column_coloring_arrays(indptr, indices, color):
                    return color
    return None


def _bipartite_columns(indptr: Ints, indices: Ints, shape: tuple[int, ...], order: str) -> Ints:
    n_rows, n = shape
    counts = np.diff(indptr)
    widest = int(counts.max(initial=0))
    if widest == n or (n > SEQUENTIAL_MAX and 2 * widest >= n):  # (nearly) a dense row: little to gain
        return np.arange(n, dtype=np.int64)
    # a banded pattern: columns further apart than the widest row never share a row, so
    # j mod (width + 1) is a colouring; optimal when as wide as the fullest row
    banded = None
    if indices.size:
        full = counts > 0  # each row's columns are sorted: its width is last - first
        width = int((indices[indptr[1:][full] - 1] - indices[indptr[:-1][full]]).max())
        banded = np.arange(n, dtype=np.int64) % (width + 1)
        if width + 1 <= widest:
            return banded
    modular = _modular(indptr, indices, n, widest)
    fewest = min([int(c.max()) + 1 for c in (banded, modular) if c is not None], default=n)
    if fewest > widest:  # a grid whose line length j mod p cannot step over
        lattice = _lattice(indptr, indices, n, widest, fewest)
        if lattice is not None:
            modular = lattice
    if modular is not None and (modular.max() + 1 == widest or n > SEQUENTIAL_MAX):
        return modular  # optimal, or good enough to skip the rounds on a large pattern
    if n <= SEQUENTIAL_MAX and int((counts * counts).sum()) <= 20 * SEQUENTIAL_MAX**2 // 100:
        ptr, adj = _adjacency(indptr, indices, n)
        color = _sequential(_order(order, np.diff(ptr), ptr, adj), ptr, adj)
    else:
        dtype = np.int32 if max(indices.size, n, n_rows) < 2**31 - 1 else np.int64
        r_ptr, r_idx = indptr.astype(dtype), indices.astype(dtype)
        if order in ("largest_first", "smallest_last"):
            # by degree, ties in a fixed pseudo-random order (keeps the rounds few)
            degrees = _conflict_degrees(r_ptr, r_idx, n)
            tie = np.random.default_rng(_SEED).permutation(n)
            by_tie = np.empty(n, np.int64)
            by_tie[tie] = np.arange(n, dtype=np.int64)
            first = by_tie[_stable_argsort((int(degrees.max(initial=0)) - degrees)[by_tie])]
        else:
            first = np.random.default_rng(_SEED).permutation(n)  # natural or random: a fixed shuffle
        color, c_ptr, c_idx = _rounds(first, r_ptr, r_idx, n)
        color = _by_classes(color, c_ptr, c_idx, n_rows)
    for other in (banded, modular):
        if other is not None and other.max() < color.max():
            color = other
    return color


def color_columns(pattern: CSRPattern, order: str = "largest_first") -> Coloring:
    """Colour the columns of `pattern` so that no two columns of one colour share a row.

    One Jacobian-vector product per colour (the sum of the colour's unit vectors as the
    seed) then gives every entry. Greedy in the given order, deterministic; banded and
    stencil patterns get `j mod p`, or on a grid `(j + s (j // m)) mod p` (`m` the length
    of a line), when it is no worse.

    Args:
        pattern: A CSR pattern (a `scipy.sparse` CSR array, or anything with `shape`,
            `indptr` and `indices`).
        order: `"largest_first"`, `"smallest_last"`, `"natural"` or `"random"`.

    Returns:
        The `Coloring` of the columns (`kind="column"`).

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import color_columns
        >>> tridiagonal = sp.csr_array(np.eye(6) + np.eye(6, k=1) + np.eye(6, k=-1))
        >>> color_columns(tridiagonal).colors
        array([0, 1, 2, 0, 1, 2])
    """
    indptr, indices, shape = _csr(pattern)
    if shape[1] == 0:
        return Coloring(np.zeros(0, np.int64), 0, "column", order)
    color = _compact(_bipartite_columns(indptr, indices, shape, order))
    return Coloring(color, int(color.max()) + 1, "column", order)


def color_rows(pattern: CSRPattern, order: str = "largest_first") -> Coloring:
    """Colour the rows of `pattern` so that no two rows of one colour share a column.

    One vector-Jacobian product per colour then gives every entry (reverse mode).

    Args:
        pattern: A CSR pattern (as for `color_columns`).
        order: `"largest_first"`, `"smallest_last"`, `"natural"` or `"random"`.

    Returns:
        The `Coloring` of the rows (`kind="row"`).

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import color_rows
        >>> arrow = np.eye(4, dtype=bool)
        >>> arrow[0] = True  # one dense row
        >>> color_rows(sp.csr_array(arrow)).n_colors
        2
    """
    indptr, indices, shape = _csr(pattern)
    t_ptr, t_idx, _ = _transpose(indptr, indices, shape[1])
    if shape[0] == 0:
        return Coloring(np.zeros(0, np.int64), 0, "row", order)
    color = _compact(_bipartite_columns(t_ptr, t_idx, (shape[1], shape[0]), order))
    return Coloring(color, int(color.max()) + 1, "row", order)


def _star_sequential(order: NDArray[Any], ptr: Ints, adj: Ints) -> Ints:
    """Greedy star colouring (Gebremedhin, Manne and Pothen 2005, algorithm 4.1)."""
    n = ptr.size - 1
    color = [-1] * n
    p = ptr.tolist()
    nb = adj.tolist()
    for v in order.tolist():
        forbidden = set()
        for w in nb[p[v] : p[v + 1]]:
            cw = color[w]
            if cw != -1:
                forbidden.add(cw)
            for x in nb[p[w] : p[w + 1]]:
                cx = color[x]
                if x == v or cx == -1:
                    continue
                if cw == -1:
                    forbidden.add(cx)
                else:
                    for y in nb[p[x] : p[x + 1]]:
                        if y != w and color[y] == cw:
                            forbidden.add(cx)
                            break
        c = 0
        while c in forbidden:
            c += 1
        color[v] = c
    return np.array(color, dtype=np.int64)


def color_symmetric(pattern: CSRPattern, order: str = "smallest_last") -> Coloring:
    """A star colouring of the symmetric `pattern` (a Hessian's).

    Adjacent vertices differ and every path on four vertices has at least three colours,
    so each entry can be read, directly or from its mirror image, from one Hessian-vector
    product per colour (see `symmetric_sources`). The greedy colouring in `order` (one
    vertex at a time, up to `SEQUENTIAL_MAX` vertices), the greedy colouring by rounds in
    NumPy (by degree, largest first, whatever `order`: each entry read from the row of its
    later vertex), and for stencils and bands `j mod p` or `(j + s (j // m)) mod p` (`m` a
    line of a grid): the fewest colours win.

    Args:
        pattern: A symmetric CSR pattern (one that is not stands for itself and its
            transpose: a triangle for the whole).
        order: `"smallest_last"`, `"largest_first"`, `"natural"` or `"random"`.

    Returns:
        The `Coloring` of the vertices (`kind="star"`).

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import color_symmetric
        >>> tridiagonal = sp.csr_array(np.eye(5) + np.eye(5, k=1) + np.eye(5, k=-1))
        >>> color_symmetric(tridiagonal).n_colors
        3
        >>> t = sp.diags_array([1, 1, 1], offsets=[-1, 0, 1], shape=(300, 300), dtype=bool)
        >>> grid = sp.kron(t, sp.eye_array(300)) + sp.kron(sp.eye_array(300), t)  # 5-point
        >>> color_symmetric(sp.csr_array(grid)).n_colors
        5
    """
    indptr, indices, shape = _csr(pattern)
    n = shape[0]
    if n == 0:
        return Coloring(np.zeros(0, np.int64), 0, "star", order)
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
    if shape[1] != n:
        raise ValueError(f"a symmetric pattern is square, not of shape {shape}")
    color = _compact(_star_coloring(indptr, indices, n, order))
    return Coloring(color, int(color.max()) + 1, "star", order)


def _star_coloring(indptr: Ints, indices: Ints, n: int, order: str, symmetric: bool = False) -> Ints:
    """`color_symmetric` of CSR arrays. A pattern not ``symmetric`` stands for itself and
    its transpose (a triangle for the whole): if its rows and columns have different
    numbers of entries it is made symmetric first, else that is checked by the way (by the
    transposition the rounds make, or before another colouring is kept)."""
    if not symmetric and not np.array_equal(np.bincount(indices, minlength=n), np.diff(indptr)):
        indptr, indices, _ = _symmetrized(indptr, indices, n)
        symmetric = True
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    off = rows != indices
    # every vertex in its own row, so that neighbours differ too
    ptr, idx = indptr, indices
    if np.bincount(rows[~off], minlength=n).min() == 0:  # a diagonal entry missing
        diag = np.arange(n, dtype=np.int64)
        key = _unique(np.concatenate([rows * n + indices, diag * n + diag]))
        r, idx = np.divmod(key, n)
        ptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(r, minlength=n), out=ptr[1:])
    dtype = np.int32 if max(idx.size, n) < 2**30 else np.int64
    ptr, idx = ptr.astype(dtype), idx.astype(dtype)
    modular = _modular_star(ptr, idx, n)
    counts = np.diff(ptr).astype(np.int64)
    sequential = n <= SEQUENTIAL_MAX and int((counts * counts).sum()) <= 100 * SEQUENTIAL_MAX  # not slow
    if not symmetric and (modular is not None or sequential):
        s_ptr, s_idx, symmetric = _symmetrized(ptr, idx, n)
        if not symmetric:
            return _star_coloring(s_ptr, s_idx, n, order, True)
    candidates = [] if modular is None else [modular]
    if sequential:
        a, b = rows[off], indices[off]  # the adjacency graph without the diagonal
        adj_ptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(a, minlength=n), out=adj_ptr[1:])
        adj = b[np.argsort(a, kind="stable")]
        first = _order(order, np.diff(adj_ptr), adj_ptr, adj)
        candidates.append(_star_sequential(first, adj_ptr, adj))
    if modular is None or n <= SEQUENTIAL_MAX:  # a large stencil keeps j mod p
        rounds = _star_rounds(_tied_order(counts), ptr, idx, n)
        if rounds is None:  # not symmetric after all
            s_ptr, s_idx, _ = _symmetrized(ptr, idx, n)
            return _star_coloring(s_ptr, s_idx, n, order, True)
        candidates.append(rounds)
    return min(candidates, key=lambda c: int(c.max()))


def _tied_order(degrees: Ints) -> NDArray[Any]:
    """The order for star colouring by rounds, whatever the order asked for: by degree,
    largest first (a hub reads few entries in its own row), ties in a fixed pseudo-random
    order (which keeps the rounds few: an order in which neighbours follow each other makes
    as many rounds as vertices)."""
    n = degrees.size
    tie = np.random.default_rng(_SEED).permutation(n)
    by_tie = np.empty(n, np.int64)
    by_tie[tie] = np.arange(n, dtype=np.int64)
    return by_tie[_stable_argsort((int(degrees.max(initial=0)) - degrees)[by_tie])]


def _modular_star(ptr: NDArray[Any], idx: NDArray[Any], n: int) -> Ints | None:
    """For stencils and bands (patterns whose rows are alike): the star colouring ``j mod
    p``, or ``(j + s (j // m)) mod p`` with ``m`` a distance between neighbours (for a
    grid, ``m`` the length of a line: the colour then grows by ``s`` from line to line),
    with the fewest colours found; None if there is none (not a stencil). Candidates are
    checked on a sample of rows first, then on the whole pattern. The start is the
    distance-2 colouring ``j mod p`` of `_modular` (or the band's ``j mod (width + 1)``)."""
    counts = np.diff(ptr)
    widest = int(counts.max(initial=0))
    if widest <= 1:
        return np.zeros(n, np.int64)
    if 4 * widest > n:  # rows nearly dense: a hub, not a stencil
        return None
    full = counts > 0
    width = int((idx[ptr[1:][full] - 1] - idx[ptr[:-1][full]]).max())
    best = np.arange(n, dtype=np.int64) % (width + 1)
    if width + 1 > widest:
        modular = _modular(ptr, idx, n, widest)
        if modular is None:
            return None
        if modular.max() < best.max():
            best = modular
    ends = np.r_[0 : min(n, 64), max(n - 64, 0) : n]  # rows near the ends, and spread through
    sample = _unique(np.concatenate([ends, np.linspace(0, n - 1, min(n, 256)).astype(np.int64)]))
    rows, cols = _entries(ptr, idx, sample)
    dist = _unique(np.abs(cols - rows))
    strides = [1] + [int(d) for d in dist[dist > widest][-3:]]  # lines longer than a row
    near = [q * m + np.arange(-8, 8) for m in strides[1:] for q in (1, n // (2 * m), n // m)]
    sample = _unique(np.concatenate([sample, *near]).clip(0, n - 1))  # and where lines end
    rows, cols = _entries(ptr, idx, sample)
    # for quick rejections: the sample's entries, and every entry of their columns' rows
    all_rows, all_cols = _entries(ptr, idx, _unique(np.concatenate([sample, cols])))
    off = rows != cols
    j = np.arange(n, dtype=np.int64)
    for p in range(2, min(int(best.max()), 64) + 1):
        for m in strides:
            for step in range(p) if m > 1 else (0,):

                def color(v: Ints) -> Ints:
                    return (v + step * (v // m)) % p  # noqa: B023 (used in this iteration)

                c_rows, c_cols = color(rows), color(cols)
                if np.any(c_rows[off] == c_cols[off]):
                    continue
                direct, mirrored = _counted_reads(
                    rows, cols, c_rows, c_cols, all_rows, all_cols, color(all_cols), p
                )
                if np.all(direct | mirrored) and _is_star_arrays(ptr, idx, color(j)):
                    return color(j)
    return best


# ------------------------------------------------------------------------------ checks


def is_column_coloring(pattern: CSRPattern, colors: ArrayLike) -> bool:
    """Whether no two columns of one colour share a row.

    Args:
        pattern: A CSR pattern.
        colors: One colour (a non-negative int) per column.

    Returns:
        True if `colors` is a valid column colouring of `pattern`.

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import is_column_coloring
        >>> p = sp.csr_array(np.array([[1, 1, 0], [0, 1, 1]]))
        >>> is_column_coloring(p, [0, 1, 0]), is_column_coloring(p, [0, 0, 1])
        (True, False)
    """
    indptr, indices, _ = _csr(pattern)
    return is_column_coloring_arrays(indptr, indices, colors)


def is_column_coloring_arrays(indptr: Ints, indices: Ints, colors: ArrayLike) -> bool:
    """`is_column_coloring` of the CSR arrays `indptr` and `indices`."""
    colors = np.asarray(colors)
    k = int(np.max(colors, initial=0)) + 1
    counts = np.diff(indptr)
    full = np.flatnonzero(counts > 0)
    if k <= 64 and hasattr(np, "bitwise_count") and full.size:
        # a row's colours are distinct when the bits 1 << colour of its entries overlap nowhere
        bits = np.left_shift(np.uint64(1), colors[indices].astype(np.uint64))
        union = np.bitwise_or.reduceat(bits, indptr[full])
        return bool(np.array_equal(np.bitwise_count(union), counts[full]))
    rows = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), counts)
    key = rows * k + colors[indices]
    if (indptr.size - 1) * k <= 50_000_000:  # counting is faster than sorting
        return bool(np.bincount(key, minlength=1).max(initial=0) <= 1)
    return bool(_unique(key).size == key.size)


def _ranges(counts: NDArray[Any]) -> Ints:
    """``0, 1, ..., c - 1`` for each ``c`` in ``counts``, one after the other."""
    ends = np.cumsum(counts, dtype=np.int64)
    out: Ints = np.arange(int(ends[-1]) if ends.size else 0, dtype=np.int64) - np.repeat(
        ends - counts, counts
    )
    return out


def _counted_reads(
    rows: Ints, cols: Ints, c_rows: Ints, c_cols: Ints, all_rows: Ints, all_cols: Ints, c_all: Ints, k: int
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Whether each entry ``(rows, cols)`` (colours ``c_rows``, ``c_cols``, below ``k``)
    is read directly (its column the only one of its colour in its row) and whether by
    symmetry (its row the only one of its colour in its column's row), counting the
    entries ``(all_rows, all_cols)`` (colours of the columns ``c_all``), which include
    every entry of the rows of ``rows`` and ``cols``. By sorting."""
    key = rows * k + c_cols
    mkey = cols * k + c_rows  # the mirrored entry (j, i), by the colour of i
    all_key = all_rows * k + c_all
    order = np.argsort(all_key, kind="stable")
    srt = all_key[order]
    starts = np.flatnonzero(np.concatenate(([True], srt[1:] != srt[:-1])))
    uk, uc, uonly = srt[starts], np.diff(np.append(starts, srt.size)), all_cols[order][starts]
    pos = np.minimum(np.searchsorted(uk, key), uk.size - 1)
    direct = (uk[pos] == key) & (uc[pos] == 1)
    pos = np.minimum(np.searchsorted(uk, mkey), uk.size - 1)
    mirrored = (uk[pos] == mkey) & (uc[pos] == 1) & (uonly[pos] == rows)
    return direct, mirrored


def _entries(indptr: NDArray[Any], indices: NDArray[Any], rows: NDArray[Any]) -> tuple[Ints, Ints]:
    """The entries of ``rows``: their rows and columns."""
    counts = indptr[rows + 1] - indptr[rows]
    take = np.repeat(indptr[rows], counts) + _ranges(counts)
    return np.repeat(rows, counts).astype(np.int64), indices[take].astype(np.int64)


def _star_reads(
    indptr: NDArray[Any], indices: NDArray[Any], colors: NDArray[Any], symmetric: bool = False
) -> tuple[Ints, Ints, Ints, Ints, NDArray[np.bool_], NDArray[np.bool_]]:
    """For every entry: its row and column, their colours, whether it is read directly (its
    column the only one of its colour in its row) and whether by symmetry (its row the only
    one of its colour in its column's row; when the pattern is not known to be
    ``symmetric``, checked to be that entry's mirror image)."""
    n = indptr.size - 1
    colors = np.asarray(colors, dtype=np.int64)
    k = int(colors.max(initial=0)) + 1
    counts = np.diff(indptr)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    cols = np.asarray(indices, dtype=np.int64)
    c_rows, c_cols = colors[rows], colors[cols]
    if n * k > 50_000_000:
        return rows, cols, c_rows, c_cols, *_counted_reads(rows, cols, c_rows, c_cols, rows, cols, c_cols, k)
    key = rows * k + c_cols  # count by (row, colour): no sorting
    mkey = cols * k + c_rows
    count = np.bincount(key, minlength=n * k)
    direct = count[key] == 1
    mirrored = count[mkey] == 1
    if not symmetric:
        only = np.empty(n * k, np.int64)
        only[key] = cols  # the column of a (row, colour) that has only one
        mirrored &= only[mkey] == rows
    return rows, cols, c_rows, c_cols, direct, mirrored


def _is_star_arrays(indptr: NDArray[Any], indices: NDArray[Any], colors: NDArray[Any]) -> bool:
    """`is_star_coloring` of the CSR arrays of a symmetric pattern."""
    rows, cols, c_rows, c_cols, direct, mirrored = _star_reads(indptr, indices, colors, symmetric=True)
    return bool(np.all((c_rows != c_cols) | (rows == cols)) and np.all(direct | mirrored))


def is_star_coloring(pattern: CSRPattern, colors: ArrayLike) -> bool:
    """Whether `colors` is a star colouring of the symmetric `pattern`.

    Neighbours differ, and every path on four vertices has at least three colours: for
    every entry `(i, j)`, `j` is the only neighbour of `i` of its colour or `i` the only
    neighbour of `j` of its colour (so the entry is read, directly or by symmetry, from one
    Hessian-vector product per colour). Checked by counting each row's colours, without
    enumerating paths.

    Args:
        pattern: A symmetric CSR pattern (one that is not stands for itself and its
            transpose: a triangle for the whole).
        colors: One colour (a non-negative int) per vertex.

    Returns:
        True if `colors` is a star colouring of `pattern`.

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import is_star_coloring
        >>> path = sp.csr_array(np.eye(4, k=1) + np.eye(4, k=-1))  # 0 - 1 - 2 - 3
        >>> is_star_coloring(path, [0, 1, 2, 0]), is_star_coloring(path, [0, 1, 0, 1])
        (True, False)
    """
    indptr, indices, shape = _csr(pattern)
    if shape[0] != shape[1]:
        raise ValueError(f"a symmetric pattern is square, not of shape {shape}")
    ptr, idx, _ = _symmetrized(indptr, indices, shape[0])
    return _is_star_arrays(ptr, idx, np.asarray(colors))


def symmetric_sources(pattern: CSRPattern, colors: ArrayLike) -> tuple[Ints, Ints]:
    """Where to read each stored entry of a symmetric pattern in the Hessian-vector products.

    Entry `(i, j)` is read from the product `H @ seed[c]` at row `r`: directly as
    `(c(j), i)` when `j` is the only column of its colour in row `i`, else by symmetry as
    `(c(i), j)`.

    Args:
        pattern: A symmetric CSR pattern.
        colors: One colour per vertex (a star colouring).

    Returns:
        `(color, row)`: two integer arrays, one element per stored entry in CSR order.

    Raises:
        ValueError: When an entry can be read neither way (not a star colouring).

    Examples:
        >>> import numpy as np, scipy.sparse as sp
        >>> from fad._coloring import symmetric_sources
        >>> p = sp.csr_array(np.eye(3) + np.eye(3, k=1) + np.eye(3, k=-1))
        >>> color, row = symmetric_sources(p, [0, 1, 2])
        >>> color.tolist(), row.tolist()
        ([0, 1, 0, 1, 2, 1, 2], [0, 0, 1, 1, 1, 2, 2])
    """
    indptr, indices, shape = _csr(pattern)
    colors = np.asarray(colors)
    if shape[0] != shape[1]:
        raise ValueError(f"a symmetric pattern is square, not of shape {shape}")
    ptr, idx, symmetric = _symmetrized(indptr, indices, shape[0])  # (a triangle stands for both)
    rows, _, _, _, direct, mirrored = _star_reads(ptr, idx, colors, symmetric=True)
    if rows.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if not symmetric:  # the given entries among those of the pattern and its transpose
        given = np.repeat(np.arange(shape[0], dtype=np.int64), np.diff(indptr)) * shape[0] + indices
        at = np.searchsorted(rows * shape[0] + idx, given)
        rows, indices, direct, mirrored = rows[at], indices, direct[at], mirrored[at]
    if not np.all(direct | mirrored):
        raise ValueError(
            "the colouring does not give every entry of the symmetric pattern (not a star colouring)"
        )
    color = np.where(direct, colors[indices], colors[rows])
    row = np.where(direct, rows, indices)
    return color, row
