# mypy: allow-redefinition-new, local-partial-types
"""What every fad.numpy module shares, at the bottom of the package: the conversion of
arguments to arrays (which fad._prims.wrappers defines, with the wrappers that use it),
shapes of traced and plain values, and NumPy's axis arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Tracer, TracerConversionError
from fad._prims.wrappers import _SEQUENCES as _SEQUENCES  # fad.numpy's modules take them from here
from fad._prims.wrappers import as_array as as_array
from fad._prims.wrappers import check_arraylike as check_arraylike
from fad._prims.wrappers import coerce as coerce
from fad._prims.wrappers import not_an_array as not_an_array

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Protocol, TypeAlias

    from numpy.typing import DTypeLike

    from fad.typing import Array, ArrayLike

    #: NumPy's ``axis`` argument: one axis, several, or None for all of them
    Axis: TypeAlias = int | Sequence[int] | None
    #: a shape: one length or a sequence of them
    Shape: TypeAlias = int | Sequence[int]

    # The signatures of the functions fad.numpy's factories make
    class UnaryFn(Protocol):
        def __call__(self, x: ArrayLike) -> Array: ...

    class BinaryFn(Protocol):
        def __call__(self, x1: ArrayLike, x2: ArrayLike) -> Array: ...

    class Reduction(Protocol):  # max, min, nanmax, nanmin
        def __call__(
            self,
            a: ArrayLike,
            axis: Axis = None,
            out: None = None,
            keepdims: bool = False,
            initial: ArrayLike | None = None,
            where: ArrayLike = True,
        ) -> Array: ...

    class LogicalReduction(Protocol):  # all, any
        def __call__(
            self,
            a: ArrayLike,
            axis: Axis = None,
            out: None = None,
            keepdims: bool = False,
            *,
            where: ArrayLike = True,
        ) -> Array: ...

    class ArgReduction(Protocol):  # argmax, argmin, nanargmax, nanargmin
        def __call__(
            self, a: ArrayLike, axis: int | None = None, out: None = None, *, keepdims: bool = False
        ) -> Array: ...

    class Scan(Protocol):  # cumsum, cumprod, nancumsum, nancumprod
        def __call__(
            self, a: ArrayLike, axis: int | None = None, dtype: DTypeLike | None = None
        ) -> Array: ...

    class Cumulative(Protocol):  # cumulative_sum, cumulative_prod
        def __call__(
            self,
            x: ArrayLike,
            /,
            *,
            axis: int | None = None,
            dtype: DTypeLike | None = None,
            include_initial: bool = False,
        ) -> Array: ...

    class FFT(Protocol):  # the one-dimensional transforms of fad.numpy.fft
        def __call__(
            self,
            a: ArrayLike,
            n: int | None = None,
            axis: int = -1,
            norm: str | None = None,
            out: None = None,
        ) -> Array: ...


def is_traced(x: Any) -> bool:
    return isinstance(x, Tracer)


def ndim(x: Any) -> int:
    return len(x.shape) if isinstance(x, Tracer) else len(np.shape(check_arraylike(x)))


def shape(x: Any) -> tuple[int, ...]:
    if isinstance(x, Tracer):
        return x.shape
    return x.shape if type(x) is np.ndarray else np.shape(check_arraylike(x))


def normalize_axes(axis: Axis, nd: int, fname: str = "this function") -> tuple[int, ...]:
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


def normalize_axis(axis: Any, nd: int, fname: str = "this function") -> int:
    return normalize_axes(int(axis), nd, fname)[0]


def concrete_value(x: Any, fname: str) -> Any:
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
