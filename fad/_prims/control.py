"""The one primitive that control flow needs: ``any_in_batch``.

fad evaluates eagerly, so loops and branches are ordinary Python over concrete values and
every transform sees the operations they perform. Only ``vmap`` needs help: a batched
predicate has one value per example. ``any_in_batch(p)`` is ``any(p)`` over the whole
batch: its batching rule reduces the batch axis too and returns an unbatched value, so a
``while_loop`` can keep going until every example is done.
"""

from __future__ import annotations

import numpy as np

from fad._core import Primitive, bind

any_in_batch_p = Primitive("any_in_batch", lambda p: np.any(p), differentiable=False)
any_in_batch_p.batch = lambda vals, bdims: (any_in_batch(vals[0]), None)


def any_in_batch(p):
    return bind(any_in_batch_p, p)
