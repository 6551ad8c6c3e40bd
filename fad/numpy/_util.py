"""What every fad.numpy module shares, at the bottom of the package: the conversion of
arguments to arrays (which fad._prims.wrappers defines, with the wrappers that use it),
shapes of traced and plain values, and NumPy's axis arguments."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer, TracerConversionError
from fad._prims.wrappers import (  # noqa: F401 - fad.numpy's modules take them from here
    _SEQUENCES,
    as_array,
    check_arraylike,
    coerce,
    not_an_array,
)


def is_traced(x):
    return isinstance(x, Tracer)


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


def concrete_value(x, fname):
    """The concrete value of ``x`` for a function whose result's shape depends on the values
    (``unique``, ``compress``, ...): there is one under grad, jvp and vjp; under vmap and jit
    the error says why there is none and what to do."""
    if not isinstance(x, Tracer):
        return np.asarray(check_arraylike(x))
    try:
        return x._concrete(fname)
    except TracerConversionError as exc:
        raise type(exc)(
            f"fad.numpy.{fname}: the shape of its result depends on the values, so it needs a "
            "concrete value, and a value batched by vmap or staged by jit has none (each example, "
            f"or each call, could give a different shape). Call {fname} outside the vmapped or "
            "jitted function, or loop over the examples in Python."
        ) from exc
