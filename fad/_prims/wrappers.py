"""The functions that apply one primitive, ``sin = unary_fn(sin_p)``, and what they accept.

Every traced operation goes through one of them (``fad.numpy.sin`` in user code, the
primitives' own ``sin`` in fad's rules), so they call the current trace directly (what
``bind`` does, without its call). The public ones (``public=True``: fad.numpy, fad.scipy)
first make one cheap type test: arrays, Python numbers and traced values go straight
through; lists and tuples become arrays (:func:`as_array`); containers and other values
that are not arrays are refused with an error naming the function the user called
(:func:`not_an_array`).

>>> import numpy as np
>>> from fad._prims.trigonometric import sin_p
>>> sin = unary_fn(sin_p, public=True)
>>> sin.__name__, sin([0.0, 0.0])
('sin', array([0., 0.]))
"""

from __future__ import annotations

import numbers
import os
import sys
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import TRACER_TYPES, Tracer, _state
from fad._structural import astype, concatenate, reshape
from fad._tree import tree_leaves

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType

    from fad._core import Primitive

# ------------------------------------------------------------------ the factories

_PLAIN = frozenset({np.ndarray, float, int, bool, np.float64, np.float32, np.int64})  # no coerce()


def unary_fn(
    prim: Primitive, name: str | None = None, doc: str | None = None, *, public: bool = False
) -> Callable[..., Any]:
    """``f(x, **params) = bind(prim, x, **params)``, named ``name`` (the primitive's name by
    default) with the docstring ``doc``.

    With ``public=True`` (the functions of fad.numpy and fad.scipy) it is ``f(x)``, and a
    value that is not an array, a number or a traced value is first converted
    (:func:`coerce`: lists become arrays, containers are refused); without, ``f`` passes its
    argument straight to the trace (the primitives' own functions, which fad's rules call
    on arrays and traced values only, as often as user code calls the public ones).
    """
    f: Callable[..., Any]
    if public:

        def f(x: Any) -> Any:
            t = type(x)
            if t not in TRACER_TYPES and t not in _PLAIN:
                x = coerce(x)
            return _state.trace.process(prim, (x,), {})  # bind, without its call

    else:

        def f(x: Any, **params: Any) -> Any:
            return _state.trace.process(prim, (x,), params)

    return _named(f, name or prim.name, doc)


def binary_fn(
    prim: Primitive, name: str | None = None, doc: str | None = None, *, public: bool = False
) -> Callable[..., Any]:
    """``f(x1, x2) = bind(prim, x1, x2)`` (the arrays broadcast), named as :func:`unary_fn`;
    ``public=True`` converts the arguments as there."""
    if public:

        def f(x1: Any, x2: Any) -> Any:
            t1, t2 = type(x1), type(x2)
            if (t1 not in TRACER_TYPES and t1 not in _PLAIN) or (t2 not in TRACER_TYPES and t2 not in _PLAIN):
                x1, x2 = coerce(x1), coerce(x2)
            return _state.trace.process(prim, (x1, x2), {})

    else:

        def f(x1: Any, x2: Any) -> Any:
            return _state.trace.process(prim, (x1, x2), {})

    return _named(f, name or prim.name, doc)


def _named(f: Callable[..., Any], name: str, doc: str | None) -> Callable[..., Any]:
    """Name ``f`` and give it to the module that made it (so its doctest is collected there)."""
    f.__name__ = f.__qualname__ = name
    f.__code__ = f.__code__.replace(co_name=name)  # so errors (not_an_array) name it
    f.__doc__ = doc
    f.__module__ = sys._getframe(2).f_globals.get("__name__", f.__module__)
    return f


# ------------------------------------------------------------- what they accept

_SEQUENCES = (list, tuple)  # what coerce() turns into arrays (callers may test it inline)
_SCALARS = (np.ndarray, float, int, bool, complex, np.float64, np.float32, np.int64, np.bool_)
_ARRAYLIKE = (np.ndarray, np.generic, int, float, complex, list, tuple, Tracer)
_FAD_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def coerce(x: Any) -> Any:
    """Turn lists and tuples into arrays; leave arrays, scalars and tracers alone; refuse
    containers and other values that are not arrays (see :func:`check_arraylike`)."""
    t = type(x)
    if t in _SEQUENCES:
        return as_array(x)
    if t in _SCALARS or t in TRACER_TYPES:
        return x
    return check_arraylike(x)


def as_array(a: Any, dtype: Any = None) -> Any:
    """``a`` as an array, keeping traced values traced: a nested list holding traced values
    becomes their stack (the core of ``fad.numpy.asarray``)."""
    if isinstance(a, Tracer):
        return a if dtype is None else astype(a, dtype)
    if isinstance(a, _SEQUENCES) and any(isinstance(v, Tracer) for v in tree_leaves(a)):
        out = _stack([as_array(v) for v in a])
        return out if dtype is None else astype(out, dtype)
    out = np.asarray(a, dtype=dtype)
    if out.dtype.kind == "O":  # a container, or a list holding one: fad arrays are numeric
        raise not_an_array(a)
    return out


def _stack(arrays: Any) -> Any:
    """The arrays (traced or not, of one shape) joined along a new first axis."""
    shapes = {tuple(a.shape) for a in arrays}
    if len(shapes) != 1:
        raise ValueError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    (shape,) = shapes
    return concatenate([reshape(a, (1,) + shape) for a in arrays], 0)


def check_arraylike(x: Any) -> Any:
    """``x``, if it is an array, a number, a list or tuple, a traced value or an object
    NumPy converts to an array (``__array__``); else a TypeError naming the function."""
    if isinstance(x, _ARRAYLIKE) or isinstance(x, numbers.Number):
        return x
    if hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        return x
    raise not_an_array(x)


def not_an_array(x: Any) -> Any:
    """The error for a container (dict, set, a registered pytree ...) or another value
    passed where fad.numpy expects an array: names the public function the user called
    (the outermost fad frame) and the two fixes."""
    frame: FrameType | None = sys._getframe(1)
    name: str | None = None
    while frame is not None and frame.f_code.co_filename.startswith(_FAD_DIR):
        name = frame.f_code.co_name
        frame = frame.f_back
    what = f"fad.numpy.{name}" if name and not name.startswith("_") else "a fad.numpy function"
    kind = type(x).__name__
    if isinstance(x, (list, tuple)):  # name the element at fault
        bad = _first_non_number(x)
        if bad is not None:
            kind, x = f"{kind} holding a {type(bad).__name__}", bad
    return TypeError(
        f"{what} got a {kind} ({x!r:.60}) where an array is expected. fad.numpy "
        "functions take arrays, numbers and nested lists or tuples of them, as NumPy's do. "
        "To apply the function to every leaf of a container, use "
        "fad.tree_util.tree_map(function, container); to combine the leaves into one array, "
        "build it first (e.g. fad.numpy.stack(list(d.values())))."
    )


def _first_non_number(seq: Any) -> Any:
    for v in seq:
        if isinstance(v, (list, tuple)):
            v = _first_non_number(v)
            if v is not None:
                return v
        elif not (isinstance(v, _ARRAYLIKE) or isinstance(v, numbers.Number) or hasattr(v, "__array__")):
            return v
    return None
