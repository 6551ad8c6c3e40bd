# mypy: allow-redefinition-new, local-partial-types
"""NumPy's own functions on traced values: ``numpy.sin(x)`` or ``numpy.sum(x)`` inside a
transform dispatch to the fad.numpy function of the same name (NEP 13 / NEP 18), so code
written against plain NumPy keeps working under fad's transforms where fad has the
function, and fails with a clear error where it has not.

Other libraries' ufuncs (SciPy's special functions: ``scipy.special.gammaln(x)``) dispatch
to the function of the same name of the fad module registered for them in
:data:`FOREIGN_UFUNCS` (``fad.scipy.special`` registers itself for ``scipy.special`` when
it is imported); fad itself never imports those libraries."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import numpy

from fad._core import Tracer, TracerConversionError

if TYPE_CHECKING:
    from collections.abc import Callable


# NumPy ufunc names that fad.numpy spells differently
_UFUNC_ALIASES = {"absolute": "abs", "conjugate": "conj"}


def _fad_function(module: Any, name: str) -> Any:
    """The fad function standing for ``module.name`` of NumPy, or None."""
    sub = module.removeprefix("numpy").lstrip(".")
    # fad.numpy and its submodules are loaded: they installed these hooks
    mod = sys.modules.get("fad.numpy" + (f".{sub}" if sub else ""))
    return None if mod is None else getattr(mod, name, None)


_LIBRARY = {"fad.scipy.special": "SciPy"}
_USE = {"fad.scipy.special": "fad.scipy.special functions, or define one (fad.extend, docs/custom_rules.md)"}


def _unsupported(what: str, name: str, mod: Any = "fad.numpy") -> Any:
    return TracerConversionError(
        f"{what} was called on a value traced by a fad transform, and {mod} has no "
        f"'{name}' yet. Derivatives cannot flow through raw {_LIBRARY.get(mod, 'NumPy')}: use "
        f"{_USE.get(mod, 'fad.numpy functions (import fad.numpy as np)')}, or apply "
        "fad.stop_gradient first if no derivative is needed."
    )


#: ``{library module: fad module}``: whose ufuncs dispatch where (filled by the fad module
#: when it is imported, e.g. ``"scipy.special": "fad.scipy.special"``).
FOREIGN_UFUNCS: dict[str, str] = {}


def _array_ufunc(self: Any, ufunc: numpy.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    name = ufunc.__name__
    if method != "__call__" or "out" in kwargs:
        raise _unsupported(
            f"numpy.{name}.{method}" if method != "__call__" else f"numpy.{name}(out=...)", name
        )
    fnp = sys.modules["fad.numpy"]  # the package, loaded: it installed this hook
    f = getattr(fnp, name, None) or getattr(fnp, _UFUNC_ALIASES.get(name, ""), None)
    if f is None:
        return _foreign_ufunc(ufunc, name, inputs, kwargs)
    return f(*inputs, **kwargs)


def _foreign_ufunc(ufunc: numpy.ufunc, name: str, inputs: Any, kwargs: Any) -> Any:
    """A ufunc that is not NumPy's (a miss of the NumPy path above): the function of the
    same name of the fad module registered for the ufunc's library, or a clear error."""
    if getattr(numpy, name, None) is ufunc:
        raise _unsupported(f"numpy.{name}", name)
    for library, fad_module in FOREIGN_UFUNCS.items():
        if getattr(sys.modules.get(library), name, None) is ufunc:
            f = getattr(sys.modules[fad_module], name, None)
            if f is None:
                raise _unsupported(f"{library}.{name}", name, fad_module)
            return f(*inputs, **kwargs)
    if getattr(sys.modules.get("scipy.special"), name, None) is ufunc:  # fad.scipy.special not loaded
        raise TracerConversionError(
            f"scipy.special.{name} was called on a value traced by a fad transform. Use "
            f"fad.scipy.special.{name} (import fad.scipy.special: SciPy's ufuncs then dispatch "
            "to it), or apply fad.stop_gradient first if no derivative is needed."
        )
    raise _unsupported(f"the ufunc {name}", name)


def _array_function(self: Any, func: Callable[..., Any], types: Any, args: Any, kwargs: Any) -> Any:
    module = func.__module__ or "numpy"
    f = _fad_function(module, func.__name__)
    if f is None or f is func:
        raise _unsupported(f"{module}.{func.__name__}", func.__name__, "fad." + module)
    return f(*args, **kwargs)


# (bound onto the class at run time, which its declaration cannot say)
Tracer.__array_ufunc__ = _array_ufunc  # type: ignore[assignment]
Tracer.__array_function__ = _array_function  # type: ignore[attr-defined]
