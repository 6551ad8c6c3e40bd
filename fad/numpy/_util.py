"""Small helpers shared by the fad.numpy modules."""

from __future__ import annotations

import sys

import numpy as np

from fad._core import Tracer, _state


def is_traced(x):
    return isinstance(x, Tracer)


_SEQUENCES = (list, tuple)  # what coerce() turns into arrays (callers may test it inline)


def coerce(x):
    """Turn lists and tuples into arrays; leave arrays, scalars and tracers alone."""
    if type(x) in _SEQUENCES:
        from fad.numpy._creation import asarray

        return asarray(x)
    return x


def ndim(x):
    return len(np.shape(x)) if not isinstance(x, Tracer) else len(x.shape)


def shape(x):
    return x.shape if isinstance(x, Tracer) else np.shape(x)


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
        if type(x) in _SEQUENCES:
            x = coerce(x)
        return _state.trace.process(prim, (x,), {})  # bind, without its call

    return _named(f, name, doc)


def binary_function(prim, name, doc):
    """A fad.numpy-style function of two broadcasting arrays: coerces lists, binds ``prim``."""

    def f(x1, x2):
        if type(x1) in _SEQUENCES or type(x2) in _SEQUENCES:
            x1, x2 = coerce(x1), coerce(x2)
        return _state.trace.process(prim, (x1, x2), {})

    return _named(f, name, doc)


def _named(f, name, doc):
    """Name ``f`` and give it to the module that made it (so its doctest is collected there)."""
    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    f.__module__ = sys._getframe(2).f_globals.get("__name__", f.__module__)
    return f
