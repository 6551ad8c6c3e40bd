"""JAX's functional update idiom, ``fnp.zeros(3).at[0].set(v)``, on the arrays fad.numpy
creates (it failed: ``'numpy.ndarray' object has no attribute 'at'``)."""

import pickle

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.test_util import check_grads


def build(v):
    return fnp.zeros(3).at[0].set(v).at[2].add(2.0 * v)


def test_the_idiom_works_eagerly_and_chains():
    np.testing.assert_array_equal(build(1.5), [1.5, 0.0, 3.0])
    np.testing.assert_array_equal(fnp.asarray([1.0, 2.0]).at[1].multiply(3.0), [1.0, 6.0])
    np.testing.assert_array_equal(fnp.ones((2, 2)).at[:, 0].set(0.0).sum(), 2.0)


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: fad.grad(lambda v: fnp.sum(f(v) ** 2))(1.5),
        lambda f: fad.jacfwd(f)(1.5),
        lambda f: fad.jacrev(f)(1.5),
        lambda f: fad.vmap(f)(np.array([1.0, 2.0])),
        lambda f: fad.jit(f)(1.5),
        lambda f: fad.hessian(lambda v: fnp.sum(f(v) ** 3))(1.5),
    ],
)
def test_the_idiom_works_under_every_transform(transform):
    out = transform(build)
    assert np.all(np.isfinite(out))
    assert type(out) in (np.ndarray, np.float64)  # results of transforms are plain arrays


def test_derivatives_of_the_idiom():
    check_grads(build, (1.5,), order=2)
    np.testing.assert_allclose(fad.jacfwd(build)(1.5), [1.0, 0.0, 2.0])


def test_created_arrays_are_numpy_arrays_that_do_not_spread():
    z = fnp.zeros(3)
    assert isinstance(z, np.ndarray) and repr(z) == "array([0., 0., 0.])"
    assert type(z + 1.0) is np.ndarray and type(np.sin(z)) is np.ndarray
    assert type(fnp.sum(z)) is np.float64
    assert type(pickle.loads(pickle.dumps(z))) is np.ndarray
    out = fad.vmap(lambda v: fnp.ones(2) * v)(np.arange(3.0))
    assert type(out) is np.ndarray


def test_a_plain_numpy_array_gets_the_working_spelling():
    c = np.zeros(3)
    with pytest.raises(AttributeError, match=r"fad.numpy.at\(x\)\[idx\].set\(v\)"):
        fad.grad(lambda v: c.at[0].set(v).sum())(1.0)
    # ... which works
    assert fad.grad(lambda v: fnp.at(c)[0].set(v).sum())(1.0) == 1.0
    assert fad.grad(lambda v: fnp.asarray(c).at[0].set(v).sum())(1.0) == 1.0


TABLE = fnp.asarray([[0.0, 1.0, 4.0], [9.0, 16.0, 25.0]])  # a constant fad.numpy array


def lookup(v):
    """Index a constant array with integers computed from a traced value (JAX's ``jnp.asarray(t)[i]``)."""
    i = fnp.floor(v).astype(int) % 3
    return TABLE[1, i] * v + TABLE[:, i].sum()


@pytest.mark.parametrize(
    "transform, expected",
    [
        (lambda f: f(1.5), 16.0 * 1.5 + 17.0),
        (lambda f: fad.jit(f)(1.5), 16.0 * 1.5 + 17.0),
        (lambda f: fad.grad(f)(1.5), 16.0),
        (lambda f: fad.jit(fad.grad(f))(1.5), 16.0),
        (lambda f: fad.vmap(f)(np.array([1.5, 2.5])), [16.0 * 1.5 + 17.0, 25.0 * 2.5 + 29.0]),
        (lambda f: fad.jit(fad.vmap(fad.grad(f)))(np.array([1.5, 2.5])), [16.0, 25.0]),
    ],
)
def test_a_constant_array_takes_traced_integer_indices(transform, expected):
    np.testing.assert_allclose(transform(lookup), expected)
