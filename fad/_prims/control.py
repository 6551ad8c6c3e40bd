"""The primitives that steer the transforms rather than compute: ``stop_gradient``,
``checkpoint_name`` and ``any_in_batch``.

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
from fad._pattern_rules import declare, moves
from fad._tree import tree_map

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


# -------------------------------------------------------------------- checkpoint_name
# The identity, tagging its value with a name that checkpoint policies read
# (fad.checkpoint_policies.save_only_these_names ...). Every transform passes the tag on
# to the value it makes (the tangent and the cotangent are not named, as in JAX); jit's
# simplifier drops it (noop_if).

checkpoint_name_p = Primitive(
    "checkpoint_name",
    lambda x, *, name: x,
    array_api_impl=lambda xp, x, *, name: x,
    noop_if=lambda **params: True,
)
checkpoint_name_p.jvp = lambda primals, tangents, *, name: (checkpoint_name(primals[0], name), tangents[0])
checkpoint_name_p.vjp = lambda ct, ans, primals, wants, *, name: (ct,)
checkpoint_name_p.residuals = ((False, (False,)),)  # the cotangent passes through: nothing kept
checkpoint_name_p.batch = lambda vals, bdims, *, name: (checkpoint_name(vals[0], name), bdims[0])
declare(checkpoint_name_p, moves(), "linear")


def checkpoint_name(x: Any, name: str) -> Any:
    """Tag `x` with `name` for the checkpoint policies that look for names (JAX's
    `jax.ad_checkpoint.checkpoint_name`).

    The value is returned unchanged and every transform sees through the tag; only a
    [`fad.checkpoint`][fad.checkpoint] policy such as
    `fad.checkpoint_policies.save_only_these_names(name)` reads it.

    Args:
        x: An array (or a pytree of arrays: each leaf is tagged).
        name: The name policies refer to.

    Returns:
        `x`, tagged.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> from fad.ad_checkpoint import checkpoint_name
        >>> f = lambda x: fnp.sin(checkpoint_name(x * 2.0, "doubled"))
        >>> float(fad.grad(f)(0.0))
        2.0
    """
    if not isinstance(name, str):
        raise TypeError(f"checkpoint_name: name must be a string, got {type(name).__name__} {name!r}.")
    return tree_map(lambda leaf: bind(checkpoint_name_p, leaf, name=name), x)
