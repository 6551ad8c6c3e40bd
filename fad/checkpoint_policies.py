"""Policies for `fad.checkpoint`: which intermediates reverse mode may keep (JAX's
`jax.checkpoint_policies`).

A policy is a function `policy(prim, *avals, **params) -> bool`, asked about each primitive
operation a checkpointed function performs: `prim` is the primitive (`prim.name` is its name),
`avals` the shapes and dtypes of its arguments (`.shape`, `.dtype`) and `params` its static
parameters. True means its output may be saved for the backward pass; False, that it is
recomputed there. Of the outputs a policy allows, only those the backward pass needs are kept.

A value tagged with `fad.ad_checkpoint.checkpoint_name(x, name)` is the output of a
`checkpoint_name` operation whose `params` hold `name`; the policies below that take names read
it. A value is saved if the policy allows any of the operations that gave it: the one that
computed it, or a name it was given.

Products are recognized by what their primitive declares (`dot_batch_dims`, the number of batch
axes of the product), so a policy written for JAX's `dot_general` is written here as
`getattr(prim, "dot_batch_dims", None) is not None`.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.ad_checkpoint import print_saved_residuals
    >>> def f(w, x):
    ...     return fnp.sin(fnp.sin(w @ x))
    >>> g = fad.checkpoint(f, policy=fad.checkpoint_policies.dots_saveable)
    >>> print_saved_residuals(g, fnp.ones((3, 2)), fnp.ones(2))  # doctest: +ELLIPSIS
    f64[3,2] from the argument w
    f64[2] from the argument x
    f64[3] output of matmul from ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from fad._prims.control import checkpoint_name_p

__all__ = [
    "checkpoint_dots",
    "checkpoint_dots_with_no_batch_dims",
    "dots_saveable",
    "dots_with_no_batch_dims_saveable",
    "everything_saveable",
    "nothing_saveable",
    "offload_dot_with_no_batch_dims",
    "save_and_offload_only_these_names",
    "save_any_names_but_these",
    "save_anything_except_these_names",
    "save_from_both_policies",
    "save_only_these_names",
]

Policy = Callable[..., bool]


def everything_saveable(prim: Any, *avals: Any, **params: Any) -> bool:
    """Save every output the backward pass needs: reverse mode keeps what it keeps without
    `fad.checkpoint`.

    Args:
        prim: The primitive applied.
        *avals: The shapes and dtypes of its arguments.
        **params: Its static parameters.

    Returns:
        True.
    """
    return True


def nothing_saveable(prim: Any, *avals: Any, **params: Any) -> bool:
    """Save nothing: recompute every intermediate (`fad.checkpoint` without a policy).

    Args:
        prim: The primitive applied.
        *avals: The shapes and dtypes of its arguments.
        **params: Its static parameters.

    Returns:
        False.
    """
    return False


def dots_saveable(prim: Any, *avals: Any, **params: Any) -> bool:
    """Save the results of matrix products (`@`, `dot`, `matmul`, `einsum`, `tensordot`...),
    recompute everything else. Also named `checkpoint_dots`.

    Args:
        prim: The primitive applied.
        *avals: The shapes and dtypes of its arguments.
        **params: Its static parameters.

    Returns:
        Whether `prim` is a product (it declares `dot_batch_dims`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> p = fad.checkpoint_policies.dots_saveable
        >>> f = fad.checkpoint(lambda w, x: fnp.tanh(w @ x).sum(), policy=p)
        >>> fad.grad(f)(fnp.zeros((2, 2)), fnp.ones(2))
        array([[1., 1.],
               [1., 1.]])
    """
    return getattr(prim, "dot_batch_dims", None) is not None


def dots_with_no_batch_dims_saveable(prim: Any, *avals: Any, **params: Any) -> bool:
    """Save the results of matrix products without batch axes (a stack of products, both
    operands stacked, is recomputed), recompute everything else. Also named
    `checkpoint_dots_with_no_batch_dims`. The products of a batched (`vmap`) function have the
    batch axis.

    Args:
        prim: The primitive applied.
        *avals: The shapes and dtypes of its arguments.
        **params: Its static parameters.

    Returns:
        Whether `prim` is a product with no batch axes.
    """
    batch_dims = getattr(prim, "dot_batch_dims", None)
    return batch_dims is not None and batch_dims(*avals, **params) == 0


checkpoint_dots = dots_saveable
checkpoint_dots_with_no_batch_dims = dots_with_no_batch_dims_saveable


def _names(names: Any, who: str) -> frozenset[str]:
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise TypeError(f"fad.checkpoint_policies.{who}: names are strings, got {bad[0]!r}.")
    return frozenset(names)


def _name_of(prim: Any, params: Any) -> str | None:
    return params["name"] if prim is checkpoint_name_p else None


@attrs.frozen
class _SaveOnlyTheseNames:
    names: frozenset[str]

    def __call__(self, prim: Any, *avals: Any, **params: Any) -> bool:
        return _name_of(prim, params) in self.names


@attrs.frozen
class _SaveAnyNamesButThese:
    names: frozenset[str]

    def __call__(self, prim: Any, *avals: Any, **params: Any) -> bool:
        name = _name_of(prim, params)
        return name is not None and name not in self.names


@attrs.frozen
class _SaveAnythingExceptTheseNames:
    names: frozenset[str]

    def __call__(self, prim: Any, *avals: Any, **params: Any) -> bool:
        return _name_of(prim, params) not in self.names


@attrs.frozen
class _Either:
    first: Policy
    second: Policy

    def __call__(self, prim: Any, *avals: Any, **params: Any) -> bool:
        a, b = self.first(prim, *avals, **params), self.second(prim, *avals, **params)
        if not (isinstance(a, bool) and isinstance(b, bool)):
            raise TypeError(
                "fad.checkpoint_policies.save_from_both_policies: each policy must return True or "
                f"False, got {a!r} and {b!r} for the operation '{prim.name}'."
            )
        return a or b


def save_only_these_names(*names: str) -> Policy:
    """Save only the values named (with `checkpoint_name`) by one of `names`.

    Args:
        *names: The names whose values may be saved.

    Returns:
        The policy.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> from fad.ad_checkpoint import checkpoint_name, print_saved_residuals
        >>> def f(x):
        ...     a = checkpoint_name(fnp.sin(x), "a")
        ...     b = checkpoint_name(fnp.sin(a), "b")
        ...     return fnp.sin(b)
        >>> p = fad.checkpoint_policies.save_only_these_names("a")
        >>> print_saved_residuals(fad.checkpoint(f, policy=p), fnp.ones(3))  # doctest: +ELLIPSIS
        f64[3] from the argument x
        f64[3] named 'a' from ...
    """
    return _SaveOnlyTheseNames(_names(names, "save_only_these_names"))


def save_any_names_but_these(*names: str) -> Policy:
    """Save the named values (any output of `checkpoint_name`) except those named by one of
    `names`; recompute every unnamed value.

    Args:
        *names: The names whose values are recomputed.

    Returns:
        The policy.
    """
    return _SaveAnyNamesButThese(_names(names, "save_any_names_but_these"))


def save_anything_except_these_names(*names: str) -> Policy:
    """Allow saving any value, named or not, except those named by one of `names`.

    A value is saved if any operation that gave it allows it: a name tags the output of the
    operation that computed it, which this policy allows, so that value is kept all the same
    (as in JAX, where this policy saves everything). To recompute named values, use
    `save_any_names_but_these` or `save_only_these_names`.

    Args:
        *names: The names refused.

    Returns:
        The policy.
    """
    return _SaveAnythingExceptTheseNames(_names(names, "save_anything_except_these_names"))


def save_from_both_policies(policy_1: Policy, policy_2: Policy) -> Policy:
    """Save what either policy saves (their logical or).

    Args:
        policy_1: A policy.
        policy_2: Another.

    Returns:
        The policy saving an output if `policy_1` or `policy_2` does.

    Raises:
        TypeError: If either is not callable.

    Examples:
        >>> import fad
        >>> cp = fad.checkpoint_policies
        >>> p = cp.save_from_both_policies(cp.dots_saveable, cp.save_only_these_names("h"))
    """
    for p in (policy_1, policy_2):
        if not callable(p):
            raise TypeError(f"fad.checkpoint_policies.save_from_both_policies: {p!r} is not a policy.")
    return _Either(policy_1, policy_2)


# Offloading moves a saved value from an accelerator's memory to the host's. fad computes in
# the host's memory, so a value offloaded is a value saved.
_MEMORY_KINDS = ("device", "pinned_host", "unpinned_host")


def _memory(kind: Any, what: str, who: str) -> None:
    if kind not in _MEMORY_KINDS:
        raise ValueError(
            f"fad.checkpoint_policies.{who}: {what}={kind!r} is not a memory kind; use one of "
            f"{_MEMORY_KINDS}."
        )


def offload_dot_with_no_batch_dims(offload_src: str, offload_dst: str) -> Policy:
    """As `dots_with_no_batch_dims_saveable`, the products offloaded from `offload_src` to
    `offload_dst` memory. fad computes in the host's memory, where every saved value already
    is: offloading is saving.

    Args:
        offload_src: The memory the values are in (`"device"`).
        offload_dst: The memory they move to (`"pinned_host"`).

    Returns:
        The policy (`dots_with_no_batch_dims_saveable`).

    Raises:
        ValueError: If a memory kind is not `"device"`, `"pinned_host"` or `"unpinned_host"`.
    """
    _memory(offload_src, "offload_src", "offload_dot_with_no_batch_dims")
    _memory(offload_dst, "offload_dst", "offload_dot_with_no_batch_dims")
    return dots_with_no_batch_dims_saveable


def save_and_offload_only_these_names(
    *,
    names_which_can_be_saved: Any,
    names_which_can_be_offloaded: Any,
    offload_src: str,
    offload_dst: str,
) -> Policy:
    """As `save_only_these_names`, the values of some names offloaded to `offload_dst` memory.
    fad computes in the host's memory, where every saved value already is: offloading is
    saving, so the values of both sets of names are saved.

    Args:
        names_which_can_be_saved: Names whose values are saved.
        names_which_can_be_offloaded: Names whose values are offloaded (here: saved).
        offload_src: The memory the values are in (`"device"`).
        offload_dst: The memory they move to (`"pinned_host"`).

    Returns:
        The policy.

    Raises:
        ValueError: If a name is in both sets, or a memory kind is not `"device"`,
            `"pinned_host"` or `"unpinned_host"`.
    """
    who = "save_and_offload_only_these_names"
    saved, offloaded = _names(names_which_can_be_saved, who), _names(names_which_can_be_offloaded, who)
    if saved & offloaded:
        raise ValueError(
            f"fad.checkpoint_policies.{who}: the names {sorted(saved & offloaded)} are both saved and "
            "offloaded; give each name to one of names_which_can_be_saved and names_which_can_be_offloaded."
        )
    _memory(offload_src, "offload_src", who)
    _memory(offload_dst, "offload_dst", who)
    return _SaveOnlyTheseNames(saved | offloaded)
