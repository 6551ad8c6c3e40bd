"""Records for fad.ad_checkpoint: ``checkpoint_name`` and ``checkpoint`` under each kind of
policy, each under check_grads in both modes, jacfwd == jacrev, vmap against a loop, jet and
jit against eager."""

from __future__ import annotations

import fad.numpy as fnp
from fad import checkpoint, checkpoint_policies
from fad.ad_checkpoint import checkpoint_name
from tests.records import Rec


def _net(w, x):
    h = checkpoint_name(fnp.tanh(w @ x), "h")
    return fnp.sin(checkpoint_name(w @ h, "out")) * h


RECORDS = [
    Rec("ad_checkpoint.checkpoint_name", lambda x: fnp.sin(checkpoint_name(x * x, "sq")), [(3,)]),
    Rec(
        "ad_checkpoint.checkpoint_name",
        lambda x, y: checkpoint_name((x, y), "pair")[0] * fnp.exp(y),
        [(2, 3), (3,)],
        variant="pytree",
    ),
    Rec("checkpoint", checkpoint(_net), [(3, 3), (3,)], variant="no policy"),
    Rec(
        "checkpoint",
        checkpoint(_net, policy=checkpoint_policies.dots_saveable),
        [(3, 3), (3,)],
        variant="dots",
    ),
    Rec(
        "checkpoint",
        checkpoint(_net, policy=checkpoint_policies.dots_with_no_batch_dims_saveable),
        [(3, 3), (3,)],
        variant="dots without batch axes",
    ),
    Rec(
        "checkpoint",
        checkpoint(_net, policy=checkpoint_policies.save_only_these_names("h")),
        [(3, 3), (3,)],
        variant="names",
    ),
    Rec(
        "checkpoint",
        checkpoint(_net, policy=checkpoint_policies.everything_saveable),
        [(3, 3), (3,)],
        variant="everything",
    ),
]
