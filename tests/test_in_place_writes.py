"""fill_diagonal, put and place: NumPy's in-place form on plain arrays, JAX's inplace=False
form (a new array) everywhere, traced values refused in place with the fix named."""

from __future__ import annotations

import numpy as np
import pytest

import fad
import fad.numpy as fnp


def test_in_place_on_plain_arrays_as_numpy():
    a = np.zeros((3, 3))
    assert fnp.fill_diagonal(a, [1.0, 2.0]) is None
    np.testing.assert_array_equal(np.diag(a), [1.0, 2.0, 1.0])
    b = np.zeros(4)
    assert fnp.put(b, [0, -1], 5.0) is None
    np.testing.assert_array_equal(b, [5.0, 0.0, 0.0, 5.0])
    c = np.arange(4.0)
    assert fnp.place(c, c > 1, [9.0]) is None
    np.testing.assert_array_equal(c, [0.0, 1.0, 9.0, 9.0])


def test_traced_values_need_inplace_false():
    with pytest.raises(TypeError, match="inplace=False"):
        fad.grad(lambda x: fnp.fill_diagonal(x, 1.0))(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="inplace=False"):
        fad.grad(lambda v: fnp.put(np.zeros(3), [1], v))(1.0)
    with pytest.raises(TypeError, match="NumPy array"):
        fnp.place([1.0, 2.0], [True, False], [0.0])


def test_copies_under_transforms():
    x = np.arange(9.0).reshape(3, 3)
    g = fad.grad(lambda v: fnp.sum(fnp.fill_diagonal(x, v, inplace=False) ** 2))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0])
    # the diagonal's old entries no longer count
    gx = fad.grad(lambda a: fnp.sum(fnp.fill_diagonal(a, 0.0, inplace=False)))(x)
    np.testing.assert_array_equal(gx, 1.0 - np.eye(3))
    vals = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = fad.vmap(lambda v: fnp.put(np.zeros(4), [3, 1], v, inplace=False))(vals)
    np.testing.assert_array_equal(got, [[0, 2, 0, 1], [0, 4, 0, 3]])
    masks = np.array([[True, False, True], [False, True, True]])
    got = fad.vmap(lambda m: fnp.place(np.zeros(3), m, np.array([7.0, 8.0]), inplace=False))(masks)
    np.testing.assert_array_equal(got, [[7, 0, 8], [0, 7, 8]])
    np.testing.assert_array_equal(
        fad.jit(lambda a: fnp.put(a, [0], 1.0, mode="clip", inplace=False))(np.zeros(2)), [1, 0]
    )
    with pytest.raises(IndexError, match="mode='wrap'"):
        fnp.put(np.zeros(3), [5], 1.0, inplace=False)
    with pytest.raises(ValueError, match="mode"):
        fnp.put(np.zeros(3), [0], 1.0, mode="fill")
