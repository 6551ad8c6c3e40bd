"""NumPy's own functions on traced values: ``numpy.sin(x)`` or ``numpy.sum(x)`` inside a
transform dispatch to the fad.numpy function of the same name (NEP 13 / NEP 18), so code
written against plain NumPy keeps working under fad's transforms where fad has the
function, and fails with a clear error where it has not."""

from __future__ import annotations

import sys

from fad._core import Tracer, TracerConversionError

# NumPy ufunc names that fad.numpy spells differently
_UFUNC_ALIASES = {"absolute": "abs", "conjugate": "conj"}


def _fad_function(module, name):
    """The fad function standing for ``module.name`` of NumPy, or None."""
    sub = module.removeprefix("numpy").lstrip(".")
    # fad.numpy and its submodules are loaded: they installed these hooks
    mod = sys.modules.get("fad.numpy" + (f".{sub}" if sub else ""))
    return None if mod is None else getattr(mod, name, None)


def _unsupported(what, name, mod="fad.numpy"):
    return TracerConversionError(
        f"{what} was called on a value traced by a fad transform, and {mod} has no "
        f"'{name}' yet. Derivatives cannot flow through raw NumPy: use fad.numpy functions "
        "(import fad.numpy as np), or apply fad.stop_gradient first if no derivative is needed."
    )


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    name = ufunc.__name__
    if method != "__call__" or "out" in kwargs:
        raise _unsupported(
            f"numpy.{name}.{method}" if method != "__call__" else f"numpy.{name}(out=...)", name
        )
    fnp = sys.modules["fad.numpy"]  # the package, loaded: it installed this hook
    f = getattr(fnp, name, None) or getattr(fnp, _UFUNC_ALIASES.get(name, ""), None)
    if f is None:
        raise _unsupported(f"numpy.{name}", name)
    return f(*inputs, **kwargs)


def _array_function(self, func, types, args, kwargs):
    module = func.__module__ or "numpy"
    f = _fad_function(module, func.__name__)
    if f is None or f is func:
        raise _unsupported(f"{module}.{func.__name__}", func.__name__, "fad." + module)
    return f(*args, **kwargs)


Tracer.__array_ufunc__ = _array_ufunc
Tracer.__array_function__ = _array_function
