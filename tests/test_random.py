"""fad.random: JAX's key-based random numbers.

The reference numbers below were printed by JAX 0.10 (``jax.random`` with
``jax_enable_x64``; ``k1 = split(PRNGKey(0))[0]``); fad must reproduce the integers and
the [0, 1) floats bit for bit and the transformed floats to rounding. Then every function
under vmap (against a loop), jit (against eager) and the derivatives in its parameters.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fad
import fad.numpy as fnp
from fad import random as R
from fad.test_util import check_grads

K1 = R.split(R.PRNGKey(0))[0]
P5 = np.array([0.1, 0.2, 0.3, 0.2, 0.2])

EXACT = [
    (lambda: R.PRNGKey(-1), [4294967295, 4294967295]),
    (lambda: R.PRNGKey(2**40 + 7), [256, 7]),
    (lambda: R.key(0), [0, 0]),
    (
        lambda: R.split(R.PRNGKey(42), 3),
        [[1832780943, 270669613], [64467757, 2916123636], [2465931498, 255383827]],
    ),
    (lambda: R.fold_in(R.PRNGKey(0), 7), [2716826189, 292468403]),
    (lambda: R.fold_in(R.PRNGKey(3), 2**31 + 5), [1887271982, 2728263104]),
    (
        lambda: R.bits(K1, (5,)),
        [
            17892382483726427379,
            5814079105949211768,
            12195075923062932764,
            18287858793266833255,
            5211602577011631371,
        ],
    ),
    (
        lambda: R.bits(K1, (2, 3), np.uint32),
        [[3617712097, 783310428, 975722988], [518513098, 823833061, 3101031194]],
    ),
    (lambda: R.bits(K1, (4,), np.uint8), [225, 92, 236, 202]),
    (
        lambda: R.uniform(K1, (5,)),
        [
            0.9699479979898888,
            0.31518185988363556,
            0.6610963904705249,
            0.9913868116884017,
            0.28252154180635314,
        ],
    ),
    (
        lambda: R.uniform(K1, (5,), np.float32),
        np.array(
            [
                0.8423141241073608,
                0.1823786497116089,
                0.22717809677124023,
                0.12072563171386719,
                0.19181346893310547,
            ]
        ),
    ),
    (lambda: R.randint(K1, (8,), 0, 10), [6, 2, 0, 2, 7, 0, 7, 5]),
    (lambda: R.randint(K1, (5,), -100, 7), [-93, -36, -62, -90, -5]),
    (lambda: R.randint(K1, (5,), 0, 256, np.uint8), [175, 137, 159, 121, 98]),
    (lambda: R.randint(K1, (3,), 5, 5), [5, 5, 5]),
    (lambda: R.bernoulli(K1, 0.3, (8,)), [False, False, False, False, True, False, False, False]),
    (lambda: R.permutation(K1, 10), [0, 8, 2, 4, 1, 7, 9, 5, 3, 6]),
    (
        lambda: R.permutation(K1, np.arange(12.0).reshape(4, 3)),
        [[0, 1, 2], [6, 7, 8], [3, 4, 5], [9, 10, 11]],
    ),
    (lambda: R.choice(K1, 10, (5,)), [6, 2, 0, 2, 7]),
    (lambda: R.choice(K1, 10, (5,), replace=False), [0, 8, 2, 4, 1]),
    (lambda: R.choice(K1, 5, (6,), p=P5), [0, 3, 2, 0, 3, 3]),
    (lambda: R.choice(K1, 5, (3,), replace=False, p=P5), [3, 0, 2]),
    (
        lambda: R.categorical(K1, np.log([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]), shape=(4, 2)),
        [[0, 0], [2, 1], [2, 0], [1, 2]],
    ),
    (lambda: R.categorical(K1, np.log([0.1, 0.2, 0.3, 0.4]), shape=(3,), replace=False), [3, 0, 2]),
]

CLOSE = [
    (
        lambda: R.normal(K1, (6,)),
        [
            1.8800298928929466,
            -0.4812149737008219,
            0.4154572296392434,
            2.381840078208049,
            -0.5753670500395884,
            -0.37054353385819594,
        ],
    ),
    (
        lambda: R.exponential(K1, (4,)),
        [3.5048259975874587, 0.37860196484954345, 1.0820395497044717, 4.7544607257663305],
    ),
    (
        lambda: R.gumbel(K1, (4,)),
        [3.4896083806714886, -0.1437587044832252, 0.8822380989692407, 4.7501385956266935],
    ),
    (
        lambda: R.truncated_normal(K1, -1.0, 2.0, (5,)),
        [
            1.6711043016304914,
            -0.2104418224462227,
            0.523897831958324,
            1.8837286942843967,
            -0.27951225718252676,
        ],
    ),
    (
        lambda: R.multivariate_normal(K1, np.array([1.0, -1.0]), np.array([[2.0, 0.3], [0.3, 1.0]]), (3,)),
        [
            [3.6587637721960427, -1.0714484431589235],
            [1.5875452487417716, 1.4157636012030181],
            [0.1863081144914147, -1.4841641216904724],
        ],
    ),
]


@pytest.mark.parametrize("i", range(len(EXACT)))
def test_jax_numbers_bit_for_bit(i):
    make, want = EXACT[i]
    got = np.asarray(make())
    want = np.asarray(want, dtype=got.dtype)
    assert np.array_equal(got, want), (got, want)


@pytest.mark.parametrize("i", range(len(CLOSE)))
def test_jax_numbers_to_rounding(i):
    make, want = CLOSE[i]
    np.testing.assert_allclose(make(), want, rtol=1e-13)


def test_defaults_follow_numpy_dtypes():
    assert R.PRNGKey(0).dtype == np.uint32 and R.PRNGKey(0).shape == (2,)
    assert R.uniform(K1).dtype == np.float64 and R.uniform(K1).shape == ()
    assert R.normal(K1, (2,), np.float32).dtype == np.float32
    assert R.randint(K1, (2,), 0, 3).dtype == np.int64
    assert R.bits(K1).dtype == np.uint64
    assert R.normal(K1, (3,), np.complex128).dtype == np.complex128
    assert R.rademacher(K1, (4,)).dtype == np.int64
    assert set(np.unique(R.rademacher(K1, (50,)))) == {-1, 1}
    assert R.split(K1, (2, 3)).shape == (2, 3, 2)


def test_moments():
    k = R.PRNGKey(7)
    n = 200_000
    u = R.uniform(k, (n,), minval=-1.0, maxval=3.0)
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.02
    z = R.normal(k, (n,))
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1.0) < 0.01
    t = R.truncated_normal(k, -0.5, 1.0, (n,))
    assert t.min() > -0.5 and t.max() < 1.0
    e = R.exponential(k, (n,))
    assert abs(e.mean() - 1.0) < 0.02
    r = R.randint(k, (n,), 3, 8)
    assert r.min() == 3 and r.max() == 7
    assert abs(np.bincount(r)[3:].std() / (n / 5)) < 0.02
    b = R.bernoulli(k, 0.25, (n,))
    assert abs(b.mean() - 0.25) < 0.01
    c = R.categorical(k, np.log([0.2, 0.3, 0.5]), shape=(n,))
    np.testing.assert_allclose(np.bincount(c) / n, [0.2, 0.3, 0.5], atol=0.01)
    m = R.multivariate_normal(k, np.array([1.0, 2.0]), np.array([[1.0, 0.5], [0.5, 2.0]]), (n,))
    np.testing.assert_allclose(np.cov(m.T), [[1.0, 0.5], [0.5, 2.0]], atol=0.03)
    q = R.orthogonal(k, 4)
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-12)
    assert sorted(R.permutation(k, 50).tolist()) == list(range(50))
    assert len(set(R.choice(k, 20, (20,), replace=False).tolist())) == 20


def test_same_key_same_numbers_and_splits_differ():
    a, b = R.split(R.PRNGKey(3))
    assert np.array_equal(R.normal(a, (5,)), R.normal(a, (5,)))
    assert not np.array_equal(R.normal(a, (5,)), R.normal(b, (5,)))
    assert not np.array_equal(R.fold_in(a, 1), R.fold_in(a, 2))


KEYED = {
    "split": lambda k: R.split(k, 3),
    "fold_in": lambda k: R.fold_in(k, 5),
    "bits": lambda k: R.bits(k, (3,)),
    "uniform": lambda k: R.uniform(k, (3,), minval=-2.0),
    "normal": lambda k: R.normal(k, (2, 2)),
    "randint": lambda k: R.randint(k, (3,), -4, 10),
    "bernoulli": lambda k: R.bernoulli(k, 0.3, (5,)),
    "rademacher": lambda k: R.rademacher(k, (4,)),
    "permutation": lambda k: R.permutation(k, np.arange(6.0)),
    "choice": lambda k: R.choice(k, 6, (3,), replace=False),
    "choice_p": lambda k: R.choice(k, 5, (4,), p=P5),
    "categorical": lambda k: R.categorical(k, np.log([0.2, 0.3, 0.5]), shape=(4,)),
    "gumbel_high": lambda k: R.gumbel(k, (3,), mode="high"),
    "truncated_normal": lambda k: R.truncated_normal(k, -1.0, 1.0, (3,)),
    "exponential": lambda k: R.exponential(k, (3,)),
    "laplace": lambda k: R.laplace(k, (3,)),
    "logistic": lambda k: R.logistic(k, (3,)),
    "cauchy": lambda k: R.cauchy(k, (3,)),
    "lognormal": lambda k: R.lognormal(k, 0.5, (3,)),
    "pareto": lambda k: R.pareto(k, 2.0, (3,)),
    "multivariate_normal": lambda k: R.multivariate_normal(k, np.zeros(2), 2 * np.eye(2), (2,)),
    "orthogonal": lambda k: R.orthogonal(k, 3),
}


@pytest.mark.parametrize("name", sorted(KEYED))
def test_vmap_over_keys_is_a_loop_and_jit_is_eager(name):
    f = KEYED[name]
    keys = R.split(R.PRNGKey(11), 4)
    loop = np.stack([np.asarray(f(k)) for k in keys])
    for g in (fad.vmap(f), fad.jit(fad.vmap(f)), fad.vmap(fad.jit(f))):
        np.testing.assert_array_equal(g(keys), loop)
    np.testing.assert_array_equal(fad.jit(f)(keys[0]), f(keys[0]))


def test_vmap_over_seeds_data_and_parameters():
    seeds = np.arange(5)
    np.testing.assert_array_equal(fad.vmap(R.PRNGKey)(seeds), np.stack([R.PRNGKey(int(s)) for s in seeds]))
    key = R.PRNGKey(1)
    got = fad.vmap(lambda i: R.fold_in(key, i))(seeds)
    np.testing.assert_array_equal(got, np.stack([R.fold_in(key, int(i)) for i in seeds]))
    keys = R.split(key, 4)
    hi = np.arange(2.0, 6.0)
    got = fad.vmap(lambda k, m: R.uniform(k, (2,), maxval=m))(keys, hi)
    np.testing.assert_array_equal(
        got, np.stack([R.uniform(k, (2,), maxval=m) for k, m in zip(keys, hi, strict=True)])
    )
    top = np.arange(2, 6)
    got = fad.vmap(lambda m: R.randint(key, (3,), 0, m))(top)
    np.testing.assert_array_equal(got, np.stack([R.randint(key, (3,), 0, int(m)) for m in top]))


def test_derivatives_in_the_parameters():
    check_grads(lambda lo, hi: R.uniform(K1, (3,), minval=lo, maxval=hi), (-1.0, 2.0), order=2)
    check_grads(lambda s: R.lognormal(K1, s, (3,)), (0.7,), order=2)
    check_grads(lambda b: R.pareto(K1, b, (3,)), (3.0,), order=2)
    check_grads(lambda lo, hi: R.truncated_normal(K1, lo, hi, (3,)), (-1.0, 1.5), order=2)
    c0 = np.array([[1.0, 0.2], [0.1, 1.0]])
    for method in ("cholesky", "eigh", "svd"):
        check_grads(
            lambda m, c, method=method: R.multivariate_normal(
                K1, m, c @ c.T + np.eye(2), (3,), method=method
            ),
            (np.ones(2), c0),
            order=2,
        )
    check_grads(lambda a: fnp.sum(R.choice(K1, a, (3,)) ** 2), (np.arange(1.0, 6.0),), order=2)
    check_grads(lambda a: R.permutation(K1, a) * np.arange(5.0), (np.arange(1.0, 6.0),), order=2)
    # a sample scaled by a parameter: the derivative is the sample, per example under vmap
    z = R.normal(K1, (3,))
    np.testing.assert_allclose(fad.grad(lambda s: fnp.sum(R.normal(K1, (3,)) * s))(2.0), z.sum(), rtol=1e-15)
    keys = R.split(K1, 3)
    per = fad.vmap(fad.grad(lambda s, k: fnp.sum(R.normal(k, (2,)) * s)), in_axes=(None, 0))(1.0, keys)
    np.testing.assert_allclose(per, [R.normal(k, (2,)).sum() for k in keys], rtol=1e-15)


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="expected a key"):
        R.normal(np.array([1, 2]), (2,))
    with pytest.raises(TypeError, match="fad.vmap"):
        R.normal(R.split(K1, 3), (2,))
    with pytest.raises(TypeError, match="scalar seed"):
        R.PRNGKey(np.arange(3))
    with pytest.raises(TypeError, match="integer"):
        R.PRNGKey(1.5)
    with pytest.raises(OverflowError):
        R.PRNGKey(2**64)
    with pytest.raises(AttributeError, match="numpy.random.default_rng"):
        R.gamma  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        R.nonsense  # noqa: B018
    with pytest.raises(ValueError, match="replace=False"):
        R.choice(K1, 3, (5,), replace=False)
    with pytest.raises(ValueError, match="p must be"):
        R.choice(K1, 3, (2,), p=np.ones(4) / 4)
    with pytest.raises(TypeError, match="floating"):
        R.uniform(K1, (2,), np.int64)
    with pytest.raises(TypeError, match="integer dtype"):
        R.randint(K1, (2,), 0, 3, np.float64)
    with pytest.raises(ValueError, match="threefry2x32"):
        R.PRNGKey(0, impl="rbg")
    with pytest.raises(ValueError, match="cov must have shape"):
        R.multivariate_normal(K1, np.zeros(2), np.eye(3))


def test_no_overflow_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        R.randint(R.PRNGKey(2**63), (4,), -(2**63), 2**63 - 1)
        R.randint(K1, (4,), 0, 256, np.uint8)
        R.split(R.PRNGKey(2**64 - 1))
        R.uniform(R.fold_in(K1, 2**32 - 1))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 40))
def test_split_and_bits_are_batched_exactly(seed, num, size):
    key = R.PRNGKey(seed)
    keys = R.split(key, num)
    np.testing.assert_array_equal(
        fad.vmap(lambda k: R.split(k, 2))(keys), np.stack([R.split(k, 2) for k in keys])
    )
    b = R.bits(key, (size,), np.uint32)
    # the layout: element i of a sample is the hash of counter i, whatever the sample's shape
    assert np.array_equal(R.bits(key, (size, 1), np.uint32).ravel(), b)
    u = R.uniform(key, (size,))
    assert np.all((u >= 0) & (u < 1)) and math.isfinite(float(u.sum()))
