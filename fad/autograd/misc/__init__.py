"""``autograd.misc``: ``flatten``, ``optimizers`` and ``fixed_points``."""

from fad.autograd.misc import fixed_points, optimizers  # noqa: F401
from fad.autograd.misc.flatten import flatten, flatten_func  # noqa: F401

__all__ = ["fixed_points", "flatten", "flatten_func", "optimizers"]
