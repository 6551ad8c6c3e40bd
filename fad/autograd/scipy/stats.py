"""``autograd.scipy.stats``: fad's distributions (``fad.scipy.stats``), one module per
distribution, importable as ``fad.autograd.scipy.stats.norm`` and so on.

A name that fad's module does not define (a sampler such as ``dirichlet.rvs``) is SciPy's
own, as in autograd: random numbers are data, with no derivative.

>>> import fad.autograd.scipy.stats.dirichlet as dirichlet
>>> dirichlet.rvs([1.0, 2.0], random_state=0).shape
(1, 2)
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from fad.scipy import stats as _fad_stats

__all__ = list(_fad_stats.__all__)


class _Distribution(types.ModuleType):
    """fad's module for one distribution; other names fall back to SciPy's distribution."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        scipy_dist = getattr(importlib.import_module("scipy.stats"), self.__name__.rpartition(".")[2])
        try:
            return getattr(scipy_dist, name)
        except AttributeError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


for _name in __all__:
    _fad_module = getattr(_fad_stats, _name)
    _module = _Distribution(f"{__name__}.{_name}", _fad_module.__doc__)
    _module.__dict__.update({k: v for k, v in vars(_fad_module).items() if not k.startswith("__")})
    globals()[_name] = _module
    sys.modules[_module.__name__] = _module
