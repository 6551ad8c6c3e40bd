"""autograd's ``builtins``: containers and type tests that see through traced values.

fad's pytrees are ordinary containers, so ``tuple``, ``list`` and ``dict`` are Python's own;
``isinstance`` and ``type`` treat a value traced by a fad transform as the NumPy array it
stands for, as autograd's do for its boxes.

>>> import fad
>>> from fad.autograd.builtins import isinstance
>>> import numpy
>>> fad.grad(lambda x: 2.0 * x if isinstance(x, numpy.ndarray) else x)(1.0)
np.float64(2.0)
"""

from __future__ import annotations

import builtins as _builtins
from typing import Any

import numpy as onp

__all__ = ["dict", "isinstance", "list", "tuple", "type"]

tuple = _builtins.tuple  # type: ignore[type-arg]
list = _builtins.list
dict = _builtins.dict


def _traced(x: Any) -> bool:
    return (
        hasattr(x, "shape")
        and hasattr(x, "dtype")
        and not _builtins.isinstance(x, (onp.ndarray, onp.generic))
    )


def isinstance(obj: Any, classinfo: Any) -> bool:
    """Python's ``isinstance``, with a fad-traced value an instance of ``numpy.ndarray``."""
    if _traced(obj):
        return _builtins.isinstance(onp.zeros(()), classinfo) or _builtins.isinstance(obj, classinfo)
    return _builtins.isinstance(obj, classinfo)


def type(obj: Any) -> _builtins.type:
    """Python's ``type``, with ``numpy.ndarray`` for a fad-traced value."""
    return onp.ndarray if _traced(obj) else _builtins.type(obj)
