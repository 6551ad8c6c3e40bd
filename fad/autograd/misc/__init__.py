"""``autograd.misc``: ``flatten``, ``optimizers``, ``fixed_points`` and ``const_graph``."""

from fad.autograd.misc import fixed_points, optimizers  # noqa: F401
from fad.autograd.misc.flatten import flatten, flatten_func  # noqa: F401
from fad.autograd.misc.tracers import const_graph  # noqa: F401

__all__ = ["const_graph", "fixed_points", "flatten", "flatten_func", "optimizers"]
