"""Indexing, functional updates, gather/scatter and shape functions: edge cases."""

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.numpy._indexing import getitem
from fad.test_util import check_grads

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 5, 6))
I = np.array([[0, 2], [1, -1]])  # noqa: E741 - the usual name for an index array
J = np.array([1, -2])

# index builders: (i, j) -> index; i and j are integer arrays (concrete or traced)
INDEX_KINDS = {
    "one-array": lambda i, j: (i,),
    "slice-then-array": lambda i, j: (slice(None), i),
    "two-arrays-broadcast": lambda i, j: (i, j),
    "adjacent-after-slice": lambda i, j: (slice(None), i, j),
    "separated-by-slice": lambda i, j: (i, slice(None), j),
    "none-and-ellipsis": lambda i, j: (None, i, Ellipsis, j),
    "negative-step": lambda i, j: (slice(None, None, -2), i),
    "int-and-array": lambda i, j: (1, slice(None), j),
    "ellipsis-first": lambda i, j: (Ellipsis, j),
    "separated-by-none": lambda i, j: (i, None, j),
    "empty-ellipsis-between": lambda i, j: (slice(None), i, Ellipsis, j[:, None]),
}


@pytest.mark.parametrize("kind", INDEX_KINDS)
def test_traced_index_matches_numpy(kind):
    make = INDEX_KINDS[kind]
    expected = X[make(I, J)]
    ib, jb = np.stack([I, I[::-1]]), np.stack([J, J[::-1]])
    got = fad.vmap(lambda i, j: getitem(X, make(i, j)))(ib, jb)
    np.testing.assert_array_equal(got[0], expected)
    np.testing.assert_array_equal(got[1], X[make(I[::-1], J[::-1])])
    # operand batched too, and operand batched alone
    xb = np.stack([X, 2 * X])
    got = fad.vmap(lambda x, i, j: x[make(i, j)])(xb, ib, jb)
    np.testing.assert_array_equal(got[1], 2 * X[make(I[::-1], J[::-1])])
    got = fad.vmap(lambda x: x[make(I, J)])(xb)
    np.testing.assert_array_equal(got[1], 2 * expected)


@pytest.mark.parametrize("kind", INDEX_KINDS)
def test_traced_index_gradients(kind):
    make = INDEX_KINDS[kind]
    ib = np.stack([I, I])
    jb = np.stack([J, J])
    x = X[:3, :4, :4]
    # gradient of a sum of squares through an index with repeats: scatter-add of 2 x
    g = fad.vmap(lambda i, j: fad.grad(lambda x: (x[make(i, j)] ** 2).sum())(x))(ib, jb)
    want = np.zeros_like(x)
    np.add.at(want, make(I, J), 2 * x[make(I, J)])
    np.testing.assert_allclose(g[0], want)
    # second order, both modes, with the index traced by an inner vmap
    # x is a plain array in the finite differences: index it through fad (NumPy cannot)
    check_grads(lambda x: fad.vmap(lambda i, j: getitem(x, make(i, j)) ** 2)(ib, jb), (x,), order=2)


@pytest.mark.parametrize("kind", INDEX_KINDS)
def test_concrete_index_transforms(kind):
    make = INDEX_KINDS[kind]
    x = X[:3, :4, :4]
    check_grads(lambda x: fnp.sin(x[make(I, J)]), (x,), order=2)
    xb = np.stack([x, -x])
    np.testing.assert_array_equal(fad.vmap(lambda x: x[make(I, J)])(xb)[1], -x[make(I, J)])


def test_basic_indices_and_negative_steps():
    x = X
    for idx in [
        (0,),
        (-1, 2),
        (slice(None, None, -1),),
        (slice(4, 0, -2), Ellipsis, 3),
        (None, 1, None),
        (Ellipsis, slice(-2, None)),
        (slice(None), slice(5, None, -3)),
    ]:
        np.testing.assert_array_equal(fad.vmap(lambda x: x[idx])(np.stack([x, x]))[0], x[idx])
        check_grads(lambda x: x[idx] * 2.0, (x,), order=2)


def test_boolean_mask_and_iteration():
    x = np.arange(6.0).reshape(2, 3)
    mask = np.array([[True, False, True], [False, True, False]])
    assert fad.grad(lambda x: x[mask].sum())(x).tolist() == mask.astype(float).tolist()
    assert fad.grad(lambda x: x[:, mask[0]].sum())(x).tolist() == [[1, 0, 1], [1, 0, 1]]
    rows = fad.grad(lambda x: sum((k + 1.0) * r.sum() for k, r in enumerate(x)))(x)
    np.testing.assert_array_equal(rows, [[1, 1, 1], [2, 2, 2]])
    # a mask computed from a value under grad is concrete (comparisons have no derivative)
    np.testing.assert_array_equal(fad.grad(lambda x: x[x > 1].sum())(x), (x > 1).astype(float))
    with pytest.raises(TypeError, match="traced boolean mask"):
        fad.vmap(lambda x: x[x > 1].sum())(x)


def test_gather_gradient_with_duplicates():
    idx = np.array([0, 0, 2, 0])
    g = fad.vmap(lambda i: fad.grad(lambda x: fnp.take(x, i).sum())(np.ones(3)))(np.stack([idx, idx[::-1]]))
    np.testing.assert_array_equal(g, [[3, 0, 1], [3, 0, 1]])
    check_grads(
        lambda x: fad.vmap(lambda i: fnp.take(x, i))(np.stack([idx, idx])) ** 2, (np.ones(3),), order=2
    )


def test_out_of_bounds_errors():
    x = np.arange(3.0)
    with pytest.raises(IndexError):
        fad.grad(lambda x: x[3])(x)
    with pytest.raises(IndexError):
        fad.grad(lambda x: x[np.array([0, -4])].sum())(x)
    with pytest.raises(IndexError):  # a traced index: raised when the value is computed
        fad.vmap(lambda i: getitem(x, i))(np.array([0, 5]))
    with pytest.raises(IndexError):
        fad.vmap(lambda i: fnp.at(x)[i].set(1.0))(np.array([0, 3]))
    with pytest.raises(IndexError):
        fnp.at(x)[7].add(1.0)
    with pytest.raises(IndexError, match="too many indices"):
        fad.grad(lambda x: x[0, 0])(x)


def test_setitem_points_to_at():
    def f(x):
        x[0] = 1.0
        return x

    with pytest.raises(TypeError, match=r"\.at\[idx\]\.set"):
        fad.grad(f)(np.zeros(2))


# ---------------------------------------------------------------- functional updates

UPDATES = ["set", "add", "subtract", "multiply", "divide", "min", "max", "power"]


def _numpy_update(x, idx, v, op):
    out = x.copy()
    if op == "set":
        out[idx] = v
    else:
        uf = {
            "add": np.add,
            "subtract": np.subtract,
            "multiply": np.multiply,
            "divide": np.divide,
            "min": np.minimum,
            "max": np.maximum,
            "power": np.power,
        }[op]
        uf.at(out, idx, v)
    return out


@pytest.mark.parametrize("op", UPDATES)
def test_at_values_and_derivatives(op):
    x = RNG.uniform(0.5, 2.0, size=(3, 4))
    unique = (slice(1, None), np.array([3, 0]))
    v = RNG.uniform(0.5, 2.0, size=(2, 2))
    np.testing.assert_allclose(getattr(fnp.at(x)[unique], op)(v), _numpy_update(x, unique, v, op))
    check_grads(lambda x, v: getattr(fnp.at(x)[unique], op)(v), (x, v), order=2)
    # batched x, v and index
    idx_b = np.array([[3, 0], [1, 2], [2, 0]])
    xs, vs = np.stack([x, x + 1, x + 2]), np.stack([v, v, 2 * v])
    got = fad.vmap(lambda x, v, i: getattr(fnp.at(x)[1:, i], op)(v))(xs, vs, idx_b)
    for k, i in enumerate(idx_b):
        np.testing.assert_allclose(got[k], _numpy_update(xs[k], (slice(1, None), i), vs[k], op))


@pytest.mark.parametrize("op", ["set", "add", "min", "max"])
def test_at_duplicate_indices(op):
    x = np.array([1.0, 5.0, 3.0, 4.0])
    idx = np.array([2, 0, 2, 2])
    v = np.array([7.0, 0.5, 2.5, 9.0])  # no ties (kinks) for min/max
    np.testing.assert_allclose(getattr(fnp.at(x)[idx], op)(v), _numpy_update(x, idx, v, op))
    w = np.arange(1.0, 5.0)
    gx, gv = fad.grad(lambda x, v: (getattr(fnp.at(x)[idx], op)(v) * w).sum(), argnums=(0, 1))(x, v)
    if op == "add":
        np.testing.assert_array_equal(gv, [3, 1, 3, 3])  # duplicates all count
    if op == "set":
        np.testing.assert_array_equal(gv, [0, 1, 0, 3])  # only the last write lands
        np.testing.assert_array_equal(gx, [0, 2, 0, 4])
    check_grads(lambda x, v: getattr(fnp.at(x)[idx], op)(v), (x, v), order=2)
    # the same through a traced (batched) index
    g = fad.vmap(lambda i: fad.grad(lambda v: (getattr(fnp.at(x)[i], op)(v) * w).sum())(v))(
        np.stack([idx, idx])
    )
    np.testing.assert_allclose(g[1], fad.grad(lambda v: (getattr(fnp.at(x)[idx], op)(v) * w).sum())(v))


@pytest.mark.parametrize("op", ["set", "add", "max"])
def test_at_traced_index_second_order(op):
    x, v = np.array([1.0, 5.0, 3.0, 4.0]), np.array([7.0, 0.5, 2.5])
    idx = np.array([[2, 0, 2], [1, 3, 3]])
    check_grads(lambda x, v: fad.vmap(lambda i: getattr(fnp.at(x)[i], op)(v))(idx) ** 2, (x, v), order=2)


def test_traced_value_methods():
    x = np.arange(6.0).reshape(2, 3)
    y = fad.vmap(lambda r: r.repeat(2))(x)
    np.testing.assert_array_equal(y, np.repeat(x, 2, axis=1))
    np.testing.assert_array_equal(fad.vmap(lambda r: r.take(np.array([2, 0])))(x), x[:, [2, 0]])
    assert fad.grad(lambda m: m.diagonal().sum() + m.trace())(np.ones((2, 2)))[1, 1] == 2
    assert fad.grad(lambda x: x.flatten()[4])(x)[1, 1] == 1
    with pytest.raises(AttributeError, match="no attribute 'frobnicate'"):
        fad.grad(lambda x: x.frobnicate())(x)


def test_at_ties_split_evenly():
    # x and two updates all equal the maximum: the derivative is shared in thirds
    gx, gv = fad.grad(lambda x, v: fnp.at(x)[[0, 0]].max(v).sum(), argnums=(0, 1))(
        np.array([2.0, 1.0]), np.array([2.0, 2.0])
    )
    np.testing.assert_allclose(gx, [1 / 3, 1])
    np.testing.assert_allclose(gv, [1 / 3, 1 / 3])


@pytest.mark.parametrize("mode", ["max", "min"])
def test_at_extremes_keep_numpy_values_under_transforms(mode):
    # the value under a transform is NumPy's bit for bit: signed zeros, infinities and NaN
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.5])
    v, idx = np.array([-0.0, 0.0, np.inf, -np.inf]), np.array([0, 1, 2, 3])
    want = x.copy()
    getattr(np, "maximum" if mode == "max" else "minimum").at(want, idx, v)

    def f(x, v):
        return getattr(fnp.at(x)[idx], mode)(v)

    def same(got):
        got = np.asarray(got)
        assert np.array_equal(got, want, equal_nan=True)
        assert np.array_equal(np.signbit(got[:4]), np.signbit(want[:4]))

    same(f(x, v))
    same(fad.jit(f)(x, v))
    same(fad.jvp(f, (x, v), (np.ones(6), np.ones(4)))[0])
    same(fad.vjp(f, x, v)[0])
    same(fad.vmap(f, in_axes=(None, 0))(x, v[None])[0])


def test_at_multiply_duplicates():
    x, idx = np.array([1.0, 2.0]), np.array([0, 0])
    np.testing.assert_array_equal(fnp.at(x)[idx].multiply(np.array([3.0, 4.0])), [12.0, 2.0])
    np.testing.assert_array_equal(
        fad.grad(lambda x: fnp.at(x)[idx].multiply(np.array([3.0, 4.0])).sum())(x), [12, 1]
    )
    with pytest.raises(NotImplementedError, match="distinct"):
        fad.grad(lambda v: fnp.at(x)[idx].multiply(v).sum())(np.array([3.0, 4.0]))
    with pytest.raises(NotImplementedError, match="distinct"):  # checked per example
        fad.vmap(lambda i, v: fnp.at(x)[i].multiply(v))(np.array([[0, 1], [1, 1]]), np.ones((2, 2)))
    ok = fad.vmap(lambda i, v: fnp.at(x)[i].multiply(v))(np.array([[0, 1], [1, 0]]), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(ok, [[3.0, 6.0], [3.0, 6.0]])
    with pytest.raises(NotImplementedError, match="repeated"):
        fnp.at(x)[idx].power(2.0)


def test_at_on_traced_and_get_and_broadcast():
    x = np.arange(6.0).reshape(2, 3)
    assert fad.grad(lambda x: x.at[0, 1].get())(x)[0, 1] == 1
    out = fad.vmap(lambda x: x.at[::-1].set(0.0))(np.stack([x[0], x[1]]))
    np.testing.assert_array_equal(out, np.zeros((2, 3)))
    np.testing.assert_array_equal(fnp.at(x)[:, 1].add([10.0, 20.0]), [[0, 11, 2], [3, 24, 5]])
    with pytest.raises(ValueError, match="cannot be broadcast"):
        fnp.at(x)[0].set(np.ones(4))
    assert fnp.at(x)[0].set(7).dtype == np.float64
    assert fnp.at(np.arange(3))[0].set(7.9).dtype == np.arange(3).dtype  # cast to x's dtype
    np.testing.assert_array_equal(x, np.arange(6.0).reshape(2, 3))  # never modified


def test_take_and_take_along_axis_with_traced_indices():
    x = np.arange(12.0).reshape(3, 4)
    idx = np.array([[3, 0], [1, 1], [2, 3]])
    got = fad.vmap(lambda i: fnp.take(x, i, axis=1))(idx)
    np.testing.assert_array_equal(got, np.stack([np.take(x, i, axis=1) for i in idx]))
    got = fad.vmap(lambda r, i: fnp.take_along_axis(r, i, 0))(x, idx)
    np.testing.assert_array_equal(got, np.take_along_axis(x, idx, 1))
    got = fad.vmap(lambda i: fnp.take_along_axis(x, i[None, :], 1), in_axes=0)(idx)
    np.testing.assert_array_equal(got[2], np.take_along_axis(x, idx[2][None, :], 1))
    np.testing.assert_array_equal(fnp.take(x, [5, -1], mode="clip"), np.take(x, [5, -1], mode="clip"))


# ------------------------------------------------------------------ shape functions


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("width", [0, 1, 2, 5, ((3, 0), (1, 4))])
def test_pad_matches_numpy(mode, width):
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(fnp.pad(x, width, mode=mode), np.pad(x, width, mode=mode))


def test_shape_functions_match_numpy():
    x = np.arange(24.0).reshape(2, 3, 4)
    m = np.arange(12.0).reshape(3, 4)
    pairs = [
        (fnp.array_split(np.arange(7.0), 3), np.array_split(np.arange(7.0), 3)),
        (fnp.split(m, [1, 3], axis=1), np.split(m, [1, 3], axis=1)),
        (fnp.roll(x, (2, -1), axis=(0, 2)), np.roll(x, (2, -1), axis=(0, 2))),
        (fnp.roll(x, 5), np.roll(x, 5)),
        *[(fnp.rot90(x, k, (2, 0)), np.rot90(x, k, (2, 0))) for k in range(-1, 5)],
        *[(fnp.diagonal(x, o, 2, 1), np.diagonal(x, o, 2, 1)) for o in (-3, -1, 0, 2, 5)],
        (fnp.diag(np.arange(3.0), -2), np.diag(np.arange(3.0), -2)),
        (fnp.trace(x, 1, 1, 2), np.trace(x, 1, 1, 2)),
        (fnp.triu(np.arange(1.0, 4.0)), np.triu(np.arange(1.0, 4.0))),
        (fnp.tril(x, 1), np.tril(x, 1)),
        (fnp.tile(np.arange(3), 2), np.tile(np.arange(3), 2)),
        (fnp.tile(m, (2, 1, 1)), np.tile(m, (2, 1, 1))),
        (fnp.repeat(m, 2, axis=0), np.repeat(m, 2, axis=0)),
        (fnp.kron(m, np.eye(2)), np.kron(m, np.eye(2))),
        (fnp.kron(np.arange(2.0), x), np.kron(np.arange(2.0), x)),
        (
            fnp.meshgrid(np.arange(2), np.arange(3), np.arange(4)),
            np.meshgrid(np.arange(2), np.arange(3), np.arange(4)),
        ),
        (fnp.column_stack([np.arange(2), np.ones((2, 2))]), np.column_stack([np.arange(2), np.ones((2, 2))])),
        (fnp.hstack([np.arange(2), np.arange(3)]), np.hstack([np.arange(2), np.arange(3)])),
        (fnp.dstack([1.0, 2.0]), np.dstack([1.0, 2.0])),
        (fnp.atleast_3d(np.arange(3)), np.atleast_3d(np.arange(3))),
    ]
    for got, want in pairs:
        for g, w in zip(fad.tree_util.tree_leaves(got), fad.tree_util.tree_leaves(want), strict=True):
            np.testing.assert_array_equal(g, w)
            assert np.asarray(g).dtype == np.asarray(w).dtype
    with pytest.raises(ValueError, match="array_split"):
        fnp.split(np.arange(5.0), 2)


def test_creation_dtypes():
    assert fnp.zeros(2).dtype == np.float64 and fnp.ones((2,), dtype=np.float32).dtype == np.float32
    assert fnp.full(2, 3).dtype == np.int64 and fnp.eye(2).dtype == np.float64
    assert (
        fnp.zeros_like([1, 2]).dtype == np.int64
        and fnp.full_like(np.ones(2, np.float32), 2).dtype == np.float32
    )
    assert fnp.asarray([1, 2], dtype=np.float32).dtype == np.float32
    x32 = np.ones(2, np.float32)
    assert fad.grad(lambda x: fnp.asarray([x, x]).sum())(x32).dtype == np.float32
    assert fad.vmap(lambda x: fnp.array([[x, 1.0], [2.0, x]]))(np.arange(3.0)).shape == (3, 2, 2)
    with pytest.raises(TypeError, match="arange"):
        fad.grad(lambda n: fnp.arange(n).sum())(3.0)


@pytest.mark.parametrize("endpoint", [True, False])
@pytest.mark.parametrize("num", [0, 1, 2, 7])
def test_linspace_traced_matches_numpy(endpoint, num):
    a, b = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    want = np.linspace(a, b, num, endpoint=endpoint, axis=1)
    got = fad.jvp(lambda a, b: fnp.linspace(a, b, num, endpoint=endpoint, axis=1), (a, b), (a, b))
    np.testing.assert_allclose(got[0], want, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(got[1], want, rtol=1e-14, atol=1e-14)  # linear: J (a, b) = f(a, b)
    np.testing.assert_allclose(
        fad.vmap(lambda b: fnp.logspace(0.0, b, 3))(b), [np.logspace(0.0, bi, 3) for bi in b], rtol=1e-14
    )
