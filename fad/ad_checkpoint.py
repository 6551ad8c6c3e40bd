"""Rematerialization (JAX's `jax.ad_checkpoint`): `checkpoint` and its policies, names for
the values policies refer to, and `print_saved_residuals` to see what reverse mode keeps.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.ad_checkpoint import checkpoint_name, print_saved_residuals
    >>> def f(x):
    ...     h = checkpoint_name(fnp.sin(x), "h")
    ...     return fnp.sin(h)
    >>> g = fad.checkpoint(f, policy=fad.checkpoint_policies.save_only_these_names("h"))
    >>> print_saved_residuals(g, fnp.ones(2))  # doctest: +ELLIPSIS
    f64[2] from the argument x
    f64[2] named 'h' from ...
"""

from __future__ import annotations

from fad import checkpoint_policies
from fad._custom import checkpoint, remat
from fad._prims.control import checkpoint_name
from fad._remat import print_saved_residuals

__all__ = ["checkpoint", "checkpoint_name", "checkpoint_policies", "print_saved_residuals", "remat"]
