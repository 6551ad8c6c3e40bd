"""``x[idx]`` on traced values: user indices become a static tuple for ``getitem``."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad._prims.structural import getitem as _getitem


def normalize_index(idx, shape):
    """Turn a user index into a tuple of ints, slices, None, Ellipsis and int arrays."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    out = []
    for e in idx:
        if isinstance(e, Tracer):
            if e.dtype.kind == "b":
                raise TypeError(
                    "Indexing with a traced boolean mask is not supported: its result's shape "
                    "would depend on the values. Use fad.numpy.where(mask, x, 0) instead."
                )
            raise TypeError(
                "Indexing with a traced integer array is not supported yet. Index with "
                "concrete integers (a NumPy array or a list of ints)."
            )
        if e is None or e is Ellipsis or isinstance(e, slice):
            out.append(e)
        elif isinstance(e, (bool, np.bool_)):
            out.append(np.asarray(e))
        elif isinstance(e, (int, np.integer)):
            out.append(int(e))
        else:
            arr = np.asarray(e)
            if arr.dtype.kind == "b":
                out.extend(np.nonzero(arr))
            elif arr.dtype.kind in "iu":
                out.append(arr.astype(np.intp))
            elif arr.size == 0:
                out.append(arr.astype(np.intp))
            else:
                raise IndexError(
                    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                    f"and integer or boolean arrays are valid indices (got {e!r})"
                )
    _check_bounds(out, shape)
    return tuple(out)


def _check_bounds(idx, shape):
    # let NumPy raise its own IndexError on an empty array of the right shape
    np.broadcast_to(np.False_, shape)[idx]


def getitem(x, idx):
    idx = normalize_index(idx, x.shape)
    if idx == (Ellipsis,) or idx == ():
        return x
    return _getitem(x, idx)


def nonzero(a):
    """Indices of the non-zero elements (of a concrete value)."""
    if isinstance(a, Tracer):
        a = a._concrete("nonzero")
    return np.nonzero(a)
