"""Small helpers shared by the fad.numpy modules."""

from __future__ import annotations

import numbers
import os
import sys

import numpy as np

from fad._core import TRACER_TYPES, Tracer, _state


def is_traced(x):
    return isinstance(x, Tracer)


_SEQUENCES = (list, tuple)  # what coerce() turns into arrays (callers may test it inline)
_PLAIN = {np.ndarray, float, int, bool, np.float64, np.float32, np.int64}  # the wrappers' fast path
_SCALARS = (np.ndarray, float, int, bool, complex, np.float64, np.float32, np.int64, np.bool_)
_ARRAYLIKE = (np.ndarray, np.generic, int, float, complex, list, tuple, Tracer)
_FAD_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def coerce(x):
    """Turn lists and tuples into arrays; leave arrays, scalars and tracers alone; refuse
    containers and other values that are not arrays (see :func:`check_arraylike`)."""
    t = type(x)
    if t in _SEQUENCES:
        from fad.numpy._creation import asarray

        return asarray(x)
    if t in _SCALARS or t in TRACER_TYPES:
        return x
    return check_arraylike(x)


def check_arraylike(x):
    """``x``, if it is an array, a number, a list or tuple, a traced value or an object
    NumPy converts to an array (``__array__``); else a TypeError naming the function."""
    if isinstance(x, _ARRAYLIKE) or isinstance(x, numbers.Number):
        return x
    if hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        return x
    raise not_an_array(x)


def not_an_array(x):
    """The error for a container (dict, set, a registered pytree ...) or another value
    passed where fad.numpy expects an array: names the public function the user called
    (the outermost fad frame) and the two fixes."""
    frame, name = sys._getframe(1), None
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


def _first_non_number(seq):
    for v in seq:
        if isinstance(v, (list, tuple)):
            v = _first_non_number(v)
            if v is not None:
                return v
        elif not (isinstance(v, _ARRAYLIKE) or isinstance(v, numbers.Number) or hasattr(v, "__array__")):
            return v
    return None


def ndim(x):
    return len(x.shape) if isinstance(x, Tracer) else len(np.shape(check_arraylike(x)))


def shape(x):
    if isinstance(x, Tracer):
        return x.shape
    return x.shape if type(x) is np.ndarray else np.shape(check_arraylike(x))


def normalize_axes(axis, nd, fname="this function"):
    """``axis`` (None, int or tuple, negatives allowed) as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(nd))
    if type(axis) is int and -nd <= axis < nd:  # the common case, without the loop
        return (axis % nd,)
    axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -nd <= a < nd:
            raise np.exceptions.AxisError(
                f"{fname}: axis {a} is out of bounds for an array of dimension {nd}."
            )
        out.append(a % nd)
    if len(set(out)) != len(out):
        raise ValueError(f"{fname}: repeated axis in {axis!r}.")
    return tuple(sorted(out))


def normalize_axis(axis, nd, fname="this function"):
    return normalize_axes(int(axis), nd, fname)[0]


def unary_function(prim, name, doc):
    """A fad.numpy-style function of one array: coerces lists, binds ``prim``."""

    def f(x):
        t = type(x)
        if t not in TRACER_TYPES and t not in _PLAIN:
            x = coerce(x)
        return _state.trace.process(prim, (x,), {})  # bind, without its call

    return _named(f, name, doc)


def binary_function(prim, name, doc):
    """A fad.numpy-style function of two broadcasting arrays: coerces lists, binds ``prim``."""

    def f(x1, x2):
        t1, t2 = type(x1), type(x2)
        if (t1 not in TRACER_TYPES and t1 not in _PLAIN) or (t2 not in TRACER_TYPES and t2 not in _PLAIN):
            x1, x2 = coerce(x1), coerce(x2)
        return _state.trace.process(prim, (x1, x2), {})

    return _named(f, name, doc)


def _named(f, name, doc):
    """Name ``f`` and give it to the module that made it (so its doctest is collected there)."""
    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    f.__module__ = sys._getframe(2).f_globals.get("__name__", f.__module__)
    return f
