"""Shape manipulation, built from the structural primitives."""

from __future__ import annotations

import numpy as np

from fad._prims import structural as st
from fad.numpy._util import coerce, normalize_axes, normalize_axis
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape


def shape(a):
    return tuple(_shape(coerce(a)))


def ndim(a):
    return _ndim(coerce(a))


def size(a, axis=None):
    s = shape(a)
    return int(np.prod(s, dtype=np.int64)) if axis is None else s[axis]


def _resolve_shape(newshape, size_, fname="reshape"):
    if isinstance(newshape, (int, np.integer)):
        newshape = (newshape,)
    newshape = tuple(int(s) for s in newshape)
    unknown = [i for i, s in enumerate(newshape) if s == -1]
    if len(unknown) > 1:
        raise ValueError(f"{fname}: can only specify one unknown dimension (-1).")
    known = 1
    for s in newshape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or size_ % known:
            raise ValueError(f"{fname}: cannot reshape an array of size {size_} into shape {newshape}.")
        newshape = tuple(size_ // known if s == -1 else s for s in newshape)
    elif known != size_:
        raise ValueError(f"{fname}: cannot reshape an array of size {size_} into shape {newshape}.")
    return newshape


def reshape(a, shape=None, order="C", *, newshape=None):
    """Give ``a`` a new shape (one entry may be -1). Only C order is supported.

    >>> import fad.numpy as fnp
    >>> fnp.reshape(fnp.arange(6.0), (2, -1)).shape
    (2, 3)
    """
    if order != "C":
        raise NotImplementedError("fad.numpy.reshape supports only order='C'.")
    a = coerce(a)
    shape = newshape if shape is None else shape
    return st.reshape(a, _resolve_shape(shape, size(a)))


def ravel(a, order="C"):
    return reshape(a, (-1,), order)


def transpose(a, axes=None):
    """Permute the axes (reverse them by default)."""
    a = coerce(a)
    nd = _ndim(a)
    perm = tuple(range(nd))[::-1] if axes is None else tuple(normalize_axis(p, nd, "transpose") for p in axes)
    if sorted(perm) != list(range(nd)):
        raise ValueError(f"transpose: axes {axes!r} are not a permutation of the {nd} axes.")
    return st.transpose(a, perm)


def moveaxis(a, source, destination):
    a = coerce(a)
    nd = _ndim(a)
    src = [normalize_axis(s, nd, "moveaxis") for s in np.atleast_1d(source)]
    dst = [normalize_axis(d, nd, "moveaxis") for d in np.atleast_1d(destination)]
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of elements.")
    order = [n for n in range(nd) if n not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return st.transpose(a, tuple(order))


def swapaxes(a, axis1, axis2):
    a = coerce(a)
    nd = _ndim(a)
    perm = list(range(nd))
    i, j = normalize_axis(axis1, nd, "swapaxes"), normalize_axis(axis2, nd, "swapaxes")
    perm[i], perm[j] = perm[j], perm[i]
    return st.transpose(a, tuple(perm))


def broadcast_to(a, shape):
    a = coerce(a)
    shape = (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)
    np.broadcast_shapes(_shape(a), shape)  # raises NumPy's error for incompatible shapes
    if len(shape) < _ndim(a):
        raise ValueError(f"broadcast_to: cannot broadcast shape {_shape(a)} to {shape}.")
    return st.broadcast_to(a, shape)


def expand_dims(a, axis):
    """Insert size-1 axes at ``axis`` (int or tuple)."""
    a = coerce(a)
    s = list(_shape(a))
    axes = normalize_axes(axis, len(s) + (len(axis) if isinstance(axis, (tuple, list)) else 1), "expand_dims")
    for ax in axes:
        s.insert(ax, 1)
    return st.reshape(a, tuple(s))


def squeeze(a, axis=None):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    a = coerce(a)
    s = _shape(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(s) if n == 1)
    else:
        axes = normalize_axes(axis, len(s), "squeeze")
        for ax in axes:
            if s[ax] != 1:
                raise ValueError("squeeze: cannot select an axis to squeeze out which has size not equal to one.")
    return st.reshape(a, tuple(n for i, n in enumerate(s) if i not in axes))


def concatenate(arrays, axis=0):
    """Join arrays along an existing axis (``axis=None`` flattens first)."""
    arrays = [coerce(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    nd = _ndim(arrays[0])
    if nd == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    return st.concatenate(arrays, normalize_axis(axis, nd, "concatenate"))


def stack(arrays, axis=0):
    """Join arrays along a new axis.

    >>> import fad.numpy as fnp
    >>> fnp.stack([fnp.zeros(2), fnp.ones(2)]).shape
    (2, 2)
    """
    arrays = [coerce(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {tuple(_shape(a)) for a in arrays}
    if len(shapes) != 1:
        raise ValueError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    ax = normalize_axis(axis, _ndim(arrays[0]) + 1, "stack")
    return st.concatenate([expand_dims(a, ax) for a in arrays], ax)
