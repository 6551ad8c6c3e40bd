"""Test records: one per exported fad.numpy / fad.scipy function, driven by
tests/test_op_records.py through check_grads (both modes, to ``order``), jacfwd == jacrev,
and vmap against a Python loop.

Each family keeps its records in its own module here (``tests/records/<family>.py``)
exporting ``RECORDS``: a list of :class:`Rec`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np


@attrs.define
class Rec:
    """How to test one exported function.

    ``name``: the exported name, qualified by module below fad (``"numpy.sin"``,
    ``"numpy.linalg.solve"``, ``"scipy.special.expit"``).
    ``fun``: called as ``fun(*args)``; bind static keywords with a lambda.
    ``shapes``: the shapes of the array arguments (ignored when ``make_args`` is given).
    ``domain``: ``(low, high)`` to draw every argument uniformly from.
    ``make_args``: ``rng -> tuple of arrays`` for special domains (SPD matrices, ...).
    ``orders``: derivative order checked by check_grads (0: not differentiable; only vmap).
    ``modes``: check_grads modes. ``vmap``: also check vmap against a loop.
    ``jac``: also check jacfwd == jacrev. ``atol``/``rtol``: check_grads tolerances.
    ``variant``: a short label when one name has several records.
    ``holomorphic``: the function is holomorphic in its complex arguments (a complex
    record: see ``tests/records/complex.py``), so ``holomorphic=True`` Jacobians apply.
    """

    name: str
    fun: Callable
    shapes: list = attrs.field(factory=lambda: [(3,)])
    domain: tuple = (-2.0, 2.0)
    make_args: Callable | None = None
    orders: int = 2
    modes: tuple = ("fwd", "rev")
    vmap: bool = True
    jac: bool = True
    atol: float = 1e-5
    rtol: float = 1e-5
    variant: str = ""
    holomorphic: bool = False

    def args(self, seed=0) -> tuple[Any, ...]:
        rng = np.random.default_rng(seed)
        if self.make_args is not None:
            return tuple(self.make_args(rng))
        lo, hi = self.domain
        return tuple(rng.uniform(lo, hi, size=s) for s in self.shapes)

    @property
    def id(self):
        return self.name + (f"[{self.variant}]" if self.variant else "")


def all_records() -> list[Rec]:
    out = []
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        out.extend(getattr(mod, "RECORDS", []))
    return out
