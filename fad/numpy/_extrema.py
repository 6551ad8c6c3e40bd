# mypy: allow-redefinition-new, local-partial-types
"""Extrema finding (NumPy's "Mathematical functions"): the elementwise ``maximum``,
``minimum``, ``fmax`` and ``fmin``, and the reductions ``max`` (``amax``), ``min``
(``amin``), ``nanmax`` and ``nanmin``. At ties the derivative is shared evenly."""

from __future__ import annotations

import builtins
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as m
from fad import _prims as st
from fad._prims.reductions import reduce_max, reduce_min
from fad.numpy._reducing import (
    _arr,
    _count,
    _dtype_of,
    _initial,
    _isnan,
    _kept_shape,
    _least_extreme,
    _masked,
    _no_out,
    _out,
)
from fad.numpy._util import binary, coerce, document, is_traced, ndim, normalize_axes, shape

if TYPE_CHECKING:
    from fad.numpy._util import Axis, Reduction
    from fad.typing import Array, ArrayLike

maximum = binary(ew.maximum_p, "maximum", "Elementwise maximum; at ties the derivative is split evenly.")

minimum = binary(ew.minimum_p, "minimum", "Elementwise minimum; at ties the derivative is split evenly.")

fmax = binary(m.fmax_p, "fmax", "Elementwise maximum ignoring NaN; ties split the derivative evenly.")

fmin = binary(m.fmin_p, "fmin", "Elementwise minimum ignoring NaN; ties split the derivative evenly.")


def _extreme(red: Any, combine: Any, name: str, ufunc: str) -> Reduction:
    def f(
        a: ArrayLike,
        axis: Axis = None,
        out: None = None,
        keepdims: bool = False,
        initial: ArrayLike | None = None,
        where: ArrayLike = True,
    ) -> Array:
        a = coerce(a)
        axes = normalize_axes(axis, ndim(a), name)
        if where is not True and initial is None:
            raise ValueError(
                f"reduction operation '{ufunc}' does not have an identity, so to use a where mask "
                f"one has to specify 'initial' (fad.numpy.{name}(..., where=mask, initial=value))."
            )
        if initial is None and 0 in shape(a) and builtins.any(shape(a)[ax] == 0 for ax in axes):
            raise ValueError(
                f"zero-size array to reduction operation {ufunc} which has no identity; "
                f"pass initial= to {name} to reduce an empty array."
            )
        if initial is None and out is None:
            return red(a, axes=axes, keepdims=keepdims)
        _no_out(out, name)
        init = _initial(initial, _dtype_of(a), name)
        if builtins.any(shape(a)[ax] == 0 for ax in axes):
            return _out(st.broadcast_to(init, _kept_shape(shape(a), axes, keepdims)))
        # masked-out entries become the dtype's least extreme value; initial joins after
        fill = _least_extreme(_dtype_of(a), name.endswith("max"))
        return _out(combine(red(_masked(a, where, fill, name), axes=axes, keepdims=keepdims), init))

    f.__name__ = f.__qualname__ = name
    word = "maximum" if name.endswith("max") else "minimum"
    document(
        f,
        f"{word.capitalize()} over `axis` (of the entries where `where` is true, and `initial`). At "
        "ties the derivative is shared evenly among the extreme positions.",
        f"The {word}: `a` with the axes of `axis` reduced (kept with length 1 if `keepdims`).",
        initial=f"A scalar that takes part in the {word} (required with `where` or for an empty slice).",
    )
    return f


max = _extreme(reduce_max, ew.maximum, "max", "maximum")  # noqa: A001
min = _extreme(reduce_min, ew.minimum, "min", "minimum")  # noqa: A001
amax = max
amin = min


def _nan_extreme(red: Reduction, fill: Any, name: str) -> Reduction:
    def f(
        a: ArrayLike,
        axis: Axis = None,
        out: None = None,
        keepdims: bool = False,
        initial: ArrayLike | None = None,
        where: ArrayLike = True,
    ) -> Array:
        a = _arr(a)
        if _dtype_of(a).kind not in "fc":
            return red(a, axis, out, keepdims, initial, where)
        _no_out(out, name)
        if where is not True and initial is None:
            raise ValueError(
                f"reduction operation 'f{name[3:]}' does not have an identity, so to use a where "
                f"mask one has to specify 'initial' (fad.numpy.{name}(..., where=mask, initial=value))."
            )
        if initial is not None:  # NaNs never win, and an all-NaN slice gives initial
            return red(ew.select(_isnan(a), fill, a), axis, None, keepdims, initial, where)
        axes = normalize_axes(axis, ndim(a), name)
        nan = _isnan(a)
        all_nan = reduce_min(nan, axes=axes, keepdims=keepdims) if _count(a, axes) else False
        if not is_traced(all_nan) and np.any(all_nan):
            warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=2)
        return _out(ew.select(all_nan, np.nan, red(ew.select(nan, fill, a), axis, keepdims=keepdims)))

    f.__name__ = f.__qualname__ = name
    word = f"{name[3:]}imum"
    document(
        f,
        f"{word.capitalize()} over `axis` ignoring NaNs (NaN entries get a zero derivative); an all-NaN "
        "slice gives NaN, with a warning.",
        f"The {word}: `a` with the axes of `axis` reduced (kept with length 1 if `keepdims`).",
        initial=f"A scalar that takes part in the {word}.",
    )
    return f


nanmax = _nan_extreme(max, -np.inf, "nanmax")
nanmin = _nan_extreme(min, np.inf, "nanmin")
