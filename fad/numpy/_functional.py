# mypy: allow-redefinition-new, local-partial-types
"""Functional programming (NumPy's "Functional programming"): ``apply_along_axis``,
``apply_over_axes`` and ``piecewise``. The function applied is the user's, run on slices of
fad values, so the result differentiates, batches and stages as that function does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Tracer, TracerConversionError
from fad.numpy._creation import asarray, zeros
from fad.numpy._indexing import at, take, where
from fad.numpy._joining import stack
from fad.numpy._shape_manipulation import broadcast_to, expand_dims, moveaxis, ravel, reshape
from fad.numpy._util import ndim, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from fad.typing import Array, ArrayLike


def apply_along_axis(
    func1d: Callable[..., Any], axis: int, arr: ArrayLike, *args: ArrayLike, **kwargs: Any
) -> Array:
    """`func1d` applied to every 1-d slice of `arr` along `axis`; the slices' results
    take the place of that axis (as NumPy).

    Args:
        func1d: Function of a 1-d array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        arr: Input array.
        *args: Positional arguments, as NumPy's.
        **kwargs: Keyword arguments, as NumPy's.

    Returns:
        The results of `func1d`, stacked in place of `axis`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.apply_along_axis(lambda v: v[0] * v[-1], 1, fnp.array([[1.0, 2.0], [3.0, 4.0]]))
        array([ 2., 12.])
    """
    arr = asarray(arr)
    nd = ndim(arr)
    axis = normalize_axis(axis, nd, "apply_along_axis")
    moved = moveaxis(arr, axis, -1)
    outer = tuple(shape(moved)[:-1])
    if 0 in outer:
        raise ValueError("apply_along_axis: cannot apply_along_axis when any iteration dimensions are 0")
    results = [asarray(func1d(moved[idx], *args, **kwargs)) for idx in np.ndindex(*outer)]
    res = reshape(stack(results), outer + tuple(shape(results[0])))
    rn = ndim(results[0])
    # the result's own axes go where ``axis`` was
    order = list(range(axis)) + list(range(len(outer), len(outer) + rn)) + list(range(axis, len(outer)))
    return res.transpose(order) if order != list(range(len(order))) else res


def apply_over_axes(func: Callable[..., Any], a: ArrayLike, axes: Sequence[int] | None) -> Array:
    """`func(a, axis)` applied for each axis in turn, keeping the number of dimensions
    (a result with one dimension fewer gets it back as length 1).

    Args:
        func: Function `func(a, axis)` that reduces one axis.
        a: Input array.
        axes: Axes to apply it over, in turn.

    Returns:
        An array with as many dimensions as `a`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.apply_over_axes(fnp.sum, fnp.ones((2, 3)), [0, 1])
        array([[6.]])
    """
    val = asarray(a)
    nd = ndim(val)
    for axis in np.atleast_1d(np.asarray(axes)):
        axis = int(axis) + nd if int(axis) < 0 else int(axis)
        res = asarray(func(val, axis))
        if ndim(res) == nd:
            val = res
        elif ndim(res) == nd - 1:
            val = expand_dims(res, axis)
        else:
            raise ValueError("apply_over_axes: function is not returning an array of the correct shape")
    return val


def piecewise(
    x: ArrayLike, condlist: Any, funclist: Sequence[Callable[..., Any] | ArrayLike], *args: Any, **kw: Any
) -> Array:
    """A piecewise function of `x`: where `condlist[k]` holds, `funclist[k]` (a function
    of `x`, or a constant); one more function than conditions is the default. As NumPy, each
    function sees only its elements (gathered), so a branch that would be NaN elsewhere
    (`log` of a negative) cannot spoil the derivative. Under `vmap` and `jit`, where the
    conditions are not concrete, each function runs on all of `x` and `where` picks.

    Args:
        x: Input array.
        condlist: Boolean arrays (or one), the conditions.
        funclist: One function (or constant) per condition, plus optionally a default.
        *args: Positional arguments, as NumPy's.
        **kw: Keyword arguments passed on to each function.

    Returns:
        An array shaped like `x`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = lambda x: fnp.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v**2])
        >>> fad.grad(lambda x: f(x).sum())(fnp.array([-2.0, 3.0]))
        array([-1.,  6.])
    """
    x = asarray(x)
    if not isinstance(condlist, (list, tuple)) or (condlist and np.ndim(condlist[0]) == 0 and ndim(x) != 0):
        condlist = [condlist]
    condlist = [asarray(c) for c in condlist]
    n = len(condlist)
    if len(funclist) not in (n, n + 1):
        raise ValueError(
            f"piecewise: with {n} condition(s), either {n} or {n + 1} functions are needed, "
            f"got {len(funclist)}"
        )
    if len(funclist) == n + 1:  # the default applies where no condition holds
        anyc = condlist[0] if n == 1 else None
        for c in condlist[1:]:
            anyc = c if anyc is None else (anyc | c)
        rest = ~anyc if anyc is not None else np.ones(shape(x), bool)
        condlist = condlist + [rest]
    try:
        masks = [
            np.broadcast_to(c._concrete("piecewise") if isinstance(c, Tracer) else np.asarray(c), shape(x))
            for c in condlist
        ]
    except TracerConversionError:
        out = zeros(shape(x), x.dtype)
        for c, f in zip(condlist, funclist, strict=True):
            val = f(x, *args, **kw) if callable(f) else f
            out = where(c, broadcast_to(asarray(val), shape(x)) if callable(f) else val, out)
        return out
    flat = ravel(x)
    out = zeros(shape(flat), x.dtype)
    for mask, f in zip(masks, funclist, strict=True):
        pos = np.flatnonzero(mask)
        if callable(f):
            val = asarray(f(take(flat, pos), *args, **kw))
        else:
            val = f
        out = at(out)[pos].set(val)
    return reshape(out, shape(x))
