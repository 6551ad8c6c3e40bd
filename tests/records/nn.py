"""Records for fad.nn (JAX's jax.nn): each under check_grads in both modes, jacfwd == jacrev,
vmap against a loop and jit against eager. Points stay off the kinks of relu & co."""

from __future__ import annotations

import numpy as np

from fad import nn
from tests.records import Rec


def _off_kinks(r):
    # |x| in [0.2, 2] with either sign, away from 0 (relu, hard_tanh at +-1 avoided too)
    x = r.uniform(0.2, 0.9, (2, 3)) * r.choice([-1.0, 1.0], (2, 3))
    return (x,)


_ELEMENTWISE = [
    "relu",
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "silu",
    "swish",
    "elu",
    "leaky_relu",
    "celu",
    "selu",
    "hard_tanh",
    "soft_sign",
    "mish",
    "squareplus",
    "tanh",
]

RECORDS = [
    *[Rec(f"nn.{name}", getattr(nn, name), make_args=_off_kinks) for name in _ELEMENTWISE],
    Rec("nn.relu6", lambda x: nn.relu6(4.0 * x + 3.0), make_args=_off_kinks),
    Rec("nn.hard_sigmoid", lambda x: nn.hard_sigmoid(2.0 * x), make_args=_off_kinks),
    Rec("nn.hard_silu", lambda x: nn.hard_silu(2.0 * x), make_args=_off_kinks),
    Rec("nn.gelu", nn.gelu, make_args=_off_kinks),
    Rec("nn.gelu", lambda x: nn.gelu(x, approximate=False), make_args=_off_kinks, variant="exact"),
    Rec("nn.elu", lambda x, a: nn.elu(x, a), [(2, 3), ()], variant="alpha"),
    Rec("nn.glu", lambda x: nn.glu(x, axis=0), [(4, 3)]),
    Rec("nn.softmax", nn.softmax, [(2, 3)]),
    Rec("nn.softmax", lambda x: nn.softmax(x, axis=(0, 1)), [(2, 3)], variant="axes"),
    Rec(
        "nn.softmax",
        lambda x: nn.softmax(x, where=np.array([[True, False, True], [True, True, False]])),
        [(2, 3)],
        variant="where",
    ),
    Rec("nn.log_softmax", lambda x: nn.log_softmax(x, axis=0), [(2, 3)]),
    Rec("nn.logsumexp", lambda x: nn.logsumexp(x, axis=1), [(2, 3)]),
    Rec(
        "nn.logsumexp",
        lambda x, b: nn.logsumexp(x, b=b, keepdims=True),
        [(2, 3), (2, 3)],
        domain=(0.1, 2.0),
        variant="b",
    ),
    Rec("nn.one_hot", lambda x: x * nn.one_hot(np.array([0, 2, 1]), 3), [(3, 3)]),
    Rec("nn.standardize", lambda x: nn.standardize(x, axis=1), [(2, 4)], atol=1e-4, rtol=1e-4),
]
