"""The primitives that steer the transforms rather than compute: ``stop_gradient`` and
``any_in_batch``.

fad evaluates eagerly, so loops and branches are ordinary Python over concrete values and
every transform sees the operations they perform. Only ``vmap`` needs help: a batched
predicate has one value per example. ``any_in_batch(p)`` is ``any(p)`` over the whole
batch: its batching rule reduces the batch axis too and returns an unbatched value, so a
``while_loop`` can keep going until every example is done.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind

any_in_batch_p = Primitive("any_in_batch", lambda p: np.any(p), differentiable=False)
any_in_batch_p.batch = lambda vals, bdims: (any_in_batch(vals[0]), None)


def any_in_batch(p: Any) -> Any:
    return bind(any_in_batch_p, p)


# ---------------------------------------------------------------------- stop_gradient
# The identity, with a zero derivative: transforms treat its output as a constant.

stop_gradient_p = Primitive(
    "stop_gradient", lambda x: x, differentiable=False, array_api_impl=lambda xp, x: x
)
stop_gradient_p.batch = lambda vals, bdims: (stop_gradient(vals[0]), bdims[0])


def stop_gradient(x: Any) -> Any:
    """``x`` with its derivative cut: every transform above sees a constant.

    >>> import fad
    >>> fad.grad(lambda x: x * fad.stop_gradient(x))(3.0)
    np.float64(3.0)
    """
    return bind(stop_gradient_p, x)
