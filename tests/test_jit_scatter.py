"""jit's code for the transposes of slicing and indexing: a sum with zeros that hold an
operand in a box adds the operand into the box (no zeros built), a gather by an integer
array runs as ``np.take``, a large constant of one value is a scalar; every value bit for
bit the eager one (a sparse Hessian's program is made of these)."""

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad._jit import _add_placed, _around, compile_program
from fad._structural import index_add_zeros


def _bits(a):
    a = onp.asarray(a)
    return a.dtype, a.shape, a.tobytes()


def _same(eager, jitted):
    for a, b in zip(eager, jitted, strict=True):
        assert _bits(a) == _bits(b)


def _placed_calls(fun, *args):
    """The lines of jit's code for ``fun`` that call _add_placed."""
    c = compile_program(fad.jit(fun).program(*args))
    names = [k for k, v in c.__globals__.items() if v is _add_placed]
    return [line for line in c.source.splitlines() if any(f"= {k}(" in line for k in names)]


def _into(call):
    """Whether a call of _add_placed writes into its first operand."""
    return call.split("(", 1)[1].split(", ")[4] == "True"


def _fused(fun, *args):
    return bool(_placed_calls(fun, *args))


@pytest.mark.parametrize(
    ("box", "shape"),
    [
        ((slice(1, 3),), (5,)),
        ((slice(None, -1),), (5,)),
        ((slice(1, None),), (5,)),
        ((slice(None), slice(1, None)), (3, 4)),
        ((slice(1, 2), slice(None, -1)), (3, 4)),
        ((slice(0, 0),), (4,)),  # an empty box: the sum adds 0.0 everywhere
    ],
)
def test_a_placed_sum_is_the_sum_bit_for_bit(box, shape):
    rng = onp.random.default_rng(0)
    x = rng.standard_normal(shape)
    x.flat[::2] = 0.0  # (-x is -0.0 there: the sum turns it into 0.0 outside the box)
    x.flat[1] = onp.inf
    ct = onp.zeros(shape)[box].copy()
    ct.flat[:] = rng.standard_normal(ct.size)
    if ct.size:
        ct.flat[0] = -0.0

    def f(x, ct):
        t1 = index_add_zeros(ct, idx=box, shape=shape)
        t2 = index_add_zeros(ct * 2.0, idx=box, shape=shape)
        t3 = index_add_zeros(ct * 3.0, idx=box, shape=shape)
        t4 = index_add_zeros(ct * 5.0, idx=box, shape=shape)
        t5 = index_add_zeros(ct * 7.0, idx=box, shape=shape)
        into = x * -0.5 + t1  # a dead temporary (-0.0 where x is 0): in place
        other = t2 + x  # x is read again below: a new array, the zeros first
        const = -onp.arange(x.size, dtype=float).reshape(shape) + t3  # a constant (a -0.0): new
        minus = (x * 0.25 - t4, t5 - x)  # subtractions: 0.0 - x is not -x where x is 0.0
        return into, other, const, *minus, x * 1.5

    _same(f(x, ct), fad.jit(f)(x, ct))
    calls = _placed_calls(f, x, ct)
    assert len(calls) == 5
    assert sum(_into(c) for c in calls) == 2  # in place into x * -0.5 and x * 0.25


def test_a_chain_of_placed_sums_fills_one_buffer_and_stays_exact():
    def f(x):
        return fnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    x = onp.random.default_rng(1).uniform(-1, 1, 50)
    g = fad.grad(f)
    _same([g(x)], [fad.jit(g)(x)])
    assert _fused(g, x)
    h = fad.sparse_hessian(f)
    jh = fad.jit(fad.sparse_hessian(f))
    _same([h(x).data], [jh(x).data])
    onp.testing.assert_allclose(jh(x).toarray(), fad.hessian(f)(x), rtol=1e-12, atol=1e-12)
    names = [e.prim.name for e in jh.program(x).eqns]
    calls = _placed_calls(fad.sparse_hessian(f), x)
    # both transposes of the slices: the first into a new array, the second into it
    assert names.count("index_add_zeros") == 2 and len(calls) == 2
    assert [_into(c) for c in calls] == [False, True]


def test_not_placed_where_the_zeros_are_read_twice_or_broadcast():
    box, shape = (slice(1, 3),), (4,)

    def twice(x, ct):
        t = index_add_zeros(ct, idx=box, shape=shape)
        return x + t, t * 2.0

    def broadcast(x, ct):
        return x + index_add_zeros(ct, idx=box, shape=shape)  # x of shape (2, 4)

    ct = onp.array([1.0, -0.0])
    x = onp.array([-0.0, 1.0, 2.0, -0.0])
    _same(twice(x, ct), fad.jit(twice)(x, ct))
    assert not _fused(twice, x, ct)
    x2 = onp.stack([x, -x])
    _same([broadcast(x2, ct)], [fad.jit(broadcast)(x2, ct)])
    assert not _fused(broadcast, x2, ct)


def test_an_array_index_adds_and_is_not_placed():
    idx = (onp.array([0, 2, 0]),)

    def f(x, ct):
        return x * 2.0 + index_add_zeros(ct, idx=idx, shape=(3,))

    x, ct = onp.array([1.0, -0.0, 3.0]), onp.array([1.0, 2.0, 4.0])
    _same([f(x, ct)], [fad.jit(f)(x, ct)])
    assert not _fused(f, x, ct)


def test_the_boxes_around_a_box_cover_the_rest_once():
    shape = (3, 4, 5)
    box = (slice(1, 2), slice(None), slice(2, -1))
    seen = onp.zeros(shape, int)
    seen[box] += 1
    for r in _around(box, shape):
        seen[r] += 1
    assert (seen == 1).all()


def test_a_gather_by_an_integer_array_is_np_take():
    x = onp.arange(24.0).reshape(6, 4)
    for i in (onp.array([5, -1, 0, 0, 2]), onp.array([[1, -6], [3, 3]]), onp.array([], dtype=onp.intp)):
        f = fad.jit(lambda x, i=i: x[i] * 1.0)
        _same([x[i] * 1.0], [f(x)])
    flat = onp.arange(10.0)
    i = onp.array([9, 0, 4])
    f = fad.jit(lambda v: fnp.take(v, i))
    _same([flat[i]], [f(flat)])
    src = compile_program(f.program(flat))
    assert any(v is onp.take for v in src.__globals__.values()) and "(x1, p" in src.source
    with pytest.raises(IndexError):
        fad.jit(lambda v: v[onp.array([10])])(flat)
    # a boolean mask is not a gather
    m = flat > 4
    _same([flat[m]], [fad.jit(lambda v: v[(m,)])(flat)])


def test_a_large_constant_of_one_value_is_a_scalar():
    n = 70_000  # above the size checked whole at once

    def f(x):
        return fnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2)

    x = onp.random.default_rng(2).uniform(0.1, 0.9, n)
    g = fad.grad(f)
    prog = fad.jit(g).program(x)
    big = [
        e
        for e in prog.eqns
        for c in e.inputs
        if type(c).__name__ == "Const" and onp.size(c.value) > 1 and e.prim.name == "mul"
    ]
    assert not big  # the sum's cotangent of 100s is the scalar 100.0 (merged with 2.0: 200.0)
    _same([g(x)], [fad.jit(g)(x)])
    # a large constant that is not uniform stays an array, even when the sample agrees
    c = onp.full(n, 3.0)
    c[1] = 4.0  # (not among the 64 sampled elements)
    k = fad.jit(lambda x: x[1:] * c[1:])
    _same([x[1:] * c[1:]], [k(x)])
    consts = [v for e in k.program(x).eqns for v in e.inputs if type(v).__name__ == "Const"]
    assert any(onp.size(v.value) > 1 for v in consts)


def test_a_sparse_hessians_rows_are_read_from_one_product_where_they_can():
    """Entry (i, j) is read from the product of i's colour (at j) wherever that product
    holds H[j, i] alone, so that a row's entries are gathered from one product at
    increasing positions; elsewhere directly (the product of j's colour, at i)."""

    def f(x):
        return fnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2) + fnp.sum(
            x[::3] * x[2::3] ** 2
        )

    x = onp.random.default_rng(3).uniform(-1, 1, 30)
    dense = fad.hessian(f)(x)
    local = 0
    for order in ("smallest_last", "largest_first", "natural", "random"):
        h = fad.sparse_hessian(f, order=order)
        H = h(x)
        onp.testing.assert_allclose(H.toarray(), dense, rtol=1e-12, atol=1e-12)
        _same([H.data], [fad.jit(fad.sparse_hessian(f, order=order))(x).data])
        colors, info = h.coloring.colors, h.info
        rows = onp.repeat(onp.arange(30), onp.diff(H.indptr))
        for k, (i, j) in enumerate(zip(rows, H.indices, strict=True)):
            row_j = H.indices[H.indptr[j] : H.indptr[j + 1]]
            alone = (colors[row_j] == colors[i]).sum() == 1  # the product of i's colour, at j
            got = (info.read_color[k], info.read_index[k])
            assert got == ((colors[i], j) if alone else (colors[j], i))
            local += bool(alone and i != j)
    assert local
