"""fad.example_libraries.stax: JAX's stax networks, with JAX's numbers for the same keys
(printed by JAX 0.10 with 64-bit values), trained by fad's optimizers, under the transforms."""

from __future__ import annotations

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad import random
from fad.example_libraries import optimizers, stax


def cnn():
    return stax.serial(
        stax.Conv(8, (3, 3), padding="SAME"),
        stax.BatchNorm(),
        stax.Relu,
        stax.MaxPool((2, 2), (2, 2)),
        stax.Conv(4, (3, 3), (2, 2)),
        stax.Gelu,
        stax.AvgPool((2, 2), padding="SAME"),
        stax.Flatten,
        stax.Dropout(0.9),
        stax.Dense(10),
        stax.LogSoftmax,
    )


def test_cnn_matches_jax():
    init, apply = cnn()
    shape, params = init(random.PRNGKey(0), (2, 12, 12, 1))
    assert shape == (2, 10)
    x = random.normal(random.PRNGKey(1), (2, 12, 12, 1))
    y = apply(params, x, rng=random.PRNGKey(2))
    want = [-2.007157799632984, -2.257120993966003, -2.2047389761297063, -2.586740107004281]
    np.testing.assert_allclose(y[0, :4], want, rtol=1e-11)
    np.testing.assert_allclose(fnp.exp(y).sum(axis=1), 1.0, rtol=1e-12)


def test_branches_and_transposed_convolutions_match_jax():
    init, apply = stax.serial(
        stax.FanOut(2), stax.parallel(stax.Dense(3), stax.serial(stax.Dense(3), stax.Tanh)), stax.FanInSum
    )
    _, params = init(random.PRNGKey(3), (-1, 4))
    want = [-0.40050772611017377, 0.2738091448825283, 1.716175271171456]
    np.testing.assert_allclose(apply(params, fnp.ones((2, 4)))[0], want, rtol=1e-12)
    init, apply = stax.serial(stax.FanOut(2), stax.parallel(stax.Dense(3), stax.Identity), stax.FanInConcat())
    shape, params = init(random.PRNGKey(4), (-1, 4))
    assert shape == (-1, 7) and apply(params, fnp.ones((2, 4))).shape == (2, 7)
    init, apply = stax.serial(
        stax.ConvTranspose(3, (3, 3), (2, 2), padding="SAME"),
        stax.Softplus,
        stax.GeneralConv(("NHWC", "OIHW", "NCHW"), 2, (2, 2)),
        stax.SumPool((2, 2), spec="NCHW"),
    )
    shape, params = init(random.PRNGKey(5), (1, 4, 4, 2))
    assert shape == (1, 2, 6, 6)
    out = apply(params, random.uniform(random.PRNGKey(6), (1, 4, 4, 2)))
    want = [0.3476455430537502, 0.2563978083677457, 0.16825960785306615, 0.18363271963663536]
    np.testing.assert_allclose(out.ravel()[:4], want, rtol=1e-11)


def test_training_with_optimizers_follows_jax():
    init, apply = stax.serial(stax.Dense(16), stax.Relu, stax.Dense(3), stax.LogSoftmax)
    _, params = init(random.PRNGKey(7), (-1, 5))
    x = random.normal(random.PRNGKey(8), (64, 5))
    y = fnp.eye(3)[random.randint(random.PRNGKey(9), (64,), 0, 3)]
    opt_init, opt_update, get_params = optimizers.adam(1e-2)
    state = opt_init(params)

    def loss(p):
        return -fnp.mean(fnp.sum(apply(p, x) * y, axis=1))

    step = fad.jit(lambda i, s: opt_update(i, fad.grad(loss)(get_params(s)), s))
    losses = []
    for i in range(30):
        state = step(i, state)
        losses.append(float(loss(get_params(state))))
    np.testing.assert_allclose(
        [losses[0], losses[9], losses[29]],
        [1.191162700953017, 1.0185070284592301, 0.9079273867916369],
        rtol=1e-10,
    )


def test_per_example_gradients_and_ensembles():
    init, apply = cnn()
    _, params = init(random.PRNGKey(0), (2, 8, 8, 1))
    x = random.normal(random.PRNGKey(1), (4, 8, 8, 1))

    def loss(p, xi, k):
        return -apply(p, xi[None], rng=k)[0, 3]

    keys = random.split(random.PRNGKey(2), 4)
    per = fad.vmap(fad.grad(loss), in_axes=(None, 0, 0))(params, x, keys)
    one = fad.grad(loss)(params, x[1], keys[1])
    for a, b in zip(fad.tree_util.tree_leaves(per), fad.tree_util.tree_leaves(one), strict=True):
        np.testing.assert_allclose(a[1], b, rtol=1e-10, atol=1e-12)
    # an ensemble: one network per key
    mlp_init, mlp = stax.serial(stax.Dense(4), stax.Tanh, stax.Dense(1))
    ens = fad.vmap(lambda k: mlp_init(k, (-1, 3))[1])(random.split(random.PRNGKey(0), 5))
    out = fad.vmap(mlp, in_axes=(0, None))(ens, fnp.ones((2, 3)))
    assert out.shape == (5, 2, 1)
    np.testing.assert_allclose(
        out[2], mlp(mlp_init(random.split(random.PRNGKey(0), 5)[2], (-1, 3))[1], fnp.ones((2, 3)))
    )


def test_dropout_needs_a_key():
    init, apply = stax.Dropout(0.5)
    with pytest.raises(ValueError, match="rng=key"):
        apply((), fnp.ones(3))
    _, test_apply = stax.Dropout(0.5, mode="test")
    np.testing.assert_array_equal(test_apply((), fnp.ones(3), rng=random.PRNGKey(0)), 1.0)
