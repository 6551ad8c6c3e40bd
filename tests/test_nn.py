"""fad.nn against jax.nn: the expected values below are JAX's own (jax 0.10, float64), and
the derivatives at the kinks are JAX's choices. Derivatives elsewhere, vmap and jit are
checked by the records in tests/records/nn.py."""

import numpy as onp
import pytest

import fad
from fad import nn

X = onp.array([-2.0, -0.5, 0.0, 0.7, 3.0, 7.0])

JAX = {
    "relu": [0.0, 0.0, 0.0, 0.7, 3.0, 7.0],
    "relu6": [0.0, 0.0, 0.0, 0.7, 3.0, 6.0],
    "sigmoid": [
        0.11920292202211755,
        0.3775406687981454,
        0.5,
        0.6681877721681662,
        0.9525741268224334,
        0.9990889488055994,
    ],
    "log_sigmoid": [
        -2.1269280110429727,
        -0.9740769841801067,
        -0.6931471805599453,
        -0.40318604888545784,
        -0.04858735157374206,
        -0.0009114664537742447,
    ],
    "softplus": [
        0.1269280110429725,
        0.4740769841801067,
        0.6931471805599453,
        1.103186048885458,
        3.048587351573742,
        7.000911466453775,
    ],
    "silu": [
        -0.2384058440442351,
        -0.1887703343990727,
        0.0,
        0.46773144051771626,
        2.8577223804673,
        6.993622641639195,
    ],
    "gelu": [
        -0.04540230591222494,
        -0.15428599017485609,
        0.0,
        0.5305701347051167,
        2.996362607918227,
        6.9999999999999964,
    ],
    "elu": [-0.8646647167633873, -0.3934693402873665, 0.0, 0.7, 3.0, 7.0],
    "leaky_relu": [-0.02, -0.005, 0.0, 0.7, 3.0, 7.0],
    "celu": [-0.8646647167633873, -0.3934693402873665, 0.0, 0.7, 3.0, 7.0],
    "selu": [
        -1.520166468595695,
        -0.6917581878028712,
        0.0,
        0.7354906911488363,
        3.1521029620664414,
        7.354906911488364,
    ],
    "hard_tanh": [-1.0, -0.5, 0.0, 0.7, 1.0, 1.0],
    "hard_sigmoid": [0.16666666666666666, 0.41666666666666663, 0.5, 0.6166666666666667, 1.0, 1.0],
    "hard_silu": [-0.3333333333333333, -0.20833333333333331, 0.0, 0.43166666666666664, 3.0, 7.0],
    "soft_sign": [-0.6666666666666666, -0.3333333333333333, 0.0, 0.4117647058823529, 0.75, 0.875],
    "mish": [
        -0.2525014826957088,
        -0.22074377465173,
        0.0,
        0.5611483776438518,
        2.9865350049679567,
        6.999988379809741,
    ],
    "squareplus": [
        0.41421356237309515,
        0.7807764064044151,
        1.0,
        1.4094810050208544,
        3.302775637731995,
        7.140054944640259,
    ],
}


@pytest.mark.parametrize("name", sorted(JAX))
def test_activations_match_jax(name):
    onp.testing.assert_allclose(getattr(nn, name)(X), JAX[name], rtol=1e-13, atol=1e-15)


def test_gelu_exact_matches_jax():
    want = [
        -0.04550026389635841,
        -0.15426876936299344,
        0.0,
        0.5306254434438489,
        2.99595030590511,
        6.999999999991041,
    ]
    onp.testing.assert_allclose(nn.gelu(X, approximate=False), want, rtol=1e-13, atol=1e-15)


def test_derivatives_at_the_kinks_are_jaxs():
    g = {n: float(fad.grad(getattr(nn, n))(0.0)) for n in ("relu", "relu6", "hard_tanh", "leaky_relu", "elu")}
    assert g == {"relu": 0.0, "relu6": 0.0, "hard_tanh": 1.0, "leaky_relu": 1.0, "elu": 1.0}
    assert fad.grad(nn.relu6)(6.0) == 0.0
    assert fad.grad(nn.hard_tanh)(1.0) == 1.0
    # the same under jit and vmap
    assert fad.jit(fad.grad(nn.relu))(0.0) == 0.0
    onp.testing.assert_array_equal(fad.vmap(fad.grad(nn.relu))(onp.array([-1.0, 0.0, 1.0])), [0, 0, 1])


def test_softmax_family_with_where_matches_jax():
    m = onp.array([[1.0, 2.0, 3.0], [1.0, -1.0, 0.5]])
    w = onp.array([[True, False, True], [True, True, True]])
    onp.testing.assert_allclose(
        nn.softmax(m, where=w),
        [
            [0.11920292202211755, 0.0, 0.8807970779778823],
            [0.5740969929676946, 0.0776955791485706, 0.3482074278837349],
        ],
        rtol=1e-14,
    )
    onp.testing.assert_allclose(
        nn.log_softmax(m, where=w),
        [
            [-2.1269280110429727, -onp.inf, -0.1269280110429726],
            [-0.5549569196419907, -2.554956919641991, -1.0549569196419908],
        ],
        rtol=1e-14,
    )
    onp.testing.assert_allclose(
        nn.logsumexp(m, axis=1, where=w), [3.1269280110429727, 1.5549569196419908], rtol=1e-14
    )
    onp.testing.assert_allclose(
        nn.standardize(m, axis=1),
        [
            [-1.2247356859083904, 0.0, 1.2247356859083904],
            [0.9805738871259697, -1.3728034419763577, 0.3922295548503879],
        ],
        rtol=1e-12,
    )
    onp.testing.assert_allclose(nn.glu(m[:, :2]), [[0.8807970779778823], [0.2689414213699951]], rtol=1e-14)
    # the shift by the maximum is not differentiated: softmax's Jacobian rows sum to 0
    J = fad.jacfwd(nn.softmax)(onp.array([1.0, 2.0, 3.0]))
    onp.testing.assert_allclose(J.sum(axis=0), 0.0, atol=1e-15)
    assert onp.isfinite(fad.grad(lambda x: nn.log_softmax(x)[0])(onp.array([0.0, 1000.0]))).all()


def test_one_hot_matches_jax():
    onp.testing.assert_array_equal(
        nn.one_hot(onp.array([0, 2, 5, -1]), 3, axis=0), [[1, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]
    )
    assert nn.one_hot(onp.array([1]), 2, dtype=onp.float32).dtype == onp.float32


def test_fad_nn_is_there_after_import_fad():
    assert fad.nn.relu is nn.relu
    with pytest.raises(ValueError, match="odd length"):
        nn.glu(onp.ones(3))
