# mypy: allow-redefinition-new, local-partial-types
"""``interp``, one-dimensional piecewise-linear interpolation. NumPy lists it among the
miscellaneous "Mathematical functions"; it is built from the sorting and searching
functions, so it has a module above them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fad.numpy._creation import asarray
from fad.numpy._indexing import take, where
from fad.numpy._joining import concatenate
from fad.numpy._logic import isfinite, isnan, less, logical_and, logical_not, logical_or
from fad.numpy._math import clip
from fad.numpy._sorting_searching import argsort, searchsorted
from fad.numpy._util import ndim, shape

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike


def interp(
    x: ArrayLike,
    xp: ArrayLike,
    fp: ArrayLike,
    left: ArrayLike | None = None,
    right: bool | None = None,
    period: float | None = None,
) -> Array:
    """Piecewise-linear interpolation of the points `(xp, fp)` (`xp` increasing) at
    `x`, with `left`/`right` outside (the end values by default) or, with `period`,
    periodic. Differentiable in `x`, `fp` and `xp`.

    At a knot, where the interpolant has a kink, the derivative is the one of the piece on
    the right, as in JAX; at the last knot (which has no piece on its right) it is the one
    of the last piece. Outside `[xp[0], xp[-1]]` the value is the constant `left` or
    `right`, so the derivative in `x` is zero there (with `period` there is no
    outside). Where two knots coincide the slope between them is infinite and the
    derivative in `x` is taken as zero.

    Args:
        x: Points at which to interpolate.
        xp: x-coordinates of the data points, increasing.
        fp: y-coordinates of the data points.
        left: Value for `x < xp[0]` (default: `fp[0]`).
        right: Value for `x > xp[-1]` (default: `fp[-1]`).
        period: Period of the data, if periodic.

    Returns:
        The interpolated values, shaped like `x`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.interp(fnp.array([0.5, 2.0, 9.0]), fnp.array([0.0, 1.0, 3.0]), fnp.array([0.0, 2.0, 0.0]))
        array([1., 1., 0.])
        >>> [float(fad.grad(fnp.interp)(x, [0.0, 1.0, 2.0], [0.0, 2.0, 3.0])) for x in (0.0, 1.0, 2.0, 3.0)]
        [2.0, 1.0, 1.0, 0.0]
    """
    x = asarray(x).astype(np.result_type(asarray(x).dtype, np.float64))
    xp, fp = asarray(xp).astype(float), asarray(fp)
    fp = fp.astype(np.result_type(fp.dtype, np.float64))
    if ndim(xp) != 1 or ndim(fp) != 1:
        raise ValueError("interp: the data points xp and fp must be 1-d sequences.")
    if shape(xp)[0] != shape(fp)[0]:
        raise ValueError(f"interp: fp and xp are not of the same length ({shape(fp)[0]} and {shape(xp)[0]}).")
    if shape(xp)[0] == 0:
        raise ValueError("interp: the array of sample points xp is empty.")
    if period is not None:
        if period == 0:
            raise ValueError("interp: period must be a non-zero value.")
        period, left, right = abs(period), None, None
        x, xp = x % period, xp % period
        order = argsort(xp)
        xp, fp = take(xp, order), take(fp, order)
        xp = concatenate([xp[-1:] - period, xp, xp[:1] + period])
        fp = concatenate([fp[-1:], fp, fp[:1]])
    n = shape(xp)[0]
    lval = fp[0] if left is None else left
    rval = fp[-1] if right is None else right
    if n == 1:  # (NumPy's rule: a NaN x gets fp[0] here)
        val = where(less(x, xp[0]), lval, where(less(xp[0], x), rval, fp[0]))
        return val[()] if type(val) is np.ndarray and val.ndim == 0 else val
    j = clip(searchsorted(xp, x, side="right") - 1, 0, n - 2)
    x0, x1, y0, y1 = take(xp, j), take(xp, j + 1), take(fp, j), take(fp, j + 1)
    dx, dy = x1 - x0, y1 - y0
    last, below, above = x == xp[-1], less(x, xp[0]), less(xp[-1], x)
    outside = logical_or(logical_or(below, above), isnan(x))
    inside = logical_not(logical_or(logical_or(last, x == x0), outside))
    # NumPy's slope only where its formula gives the value; elsewhere 0, so that infinite
    # or undefined slopes (repeated knots, infinite fp) never meet the zero cotangent of
    # an unselected branch (0 * inf would be NaN)
    slope = where(inside, dy, 0.0) / where(inside, dx, 1.0)
    with np.errstate(invalid="ignore"):  # infinite slopes
        val = slope * (x - x0) + y0
        # as NumPy: from the right end if that gave NaN
        again = slope * (x - x1) + y1
    again = where(logical_and(isnan(again), y0 == y1), y0, again)
    val = where(isnan(val), again, val)
    # exact at the knots, as NumPy (the last one first), with the derivative of the piece
    # on the right (of the last piece at the last knot): the added terms are exactly zero
    finite = logical_and(logical_and(isfinite(dx), dx != 0), isfinite(dy))
    kink = where(finite, dy, 0.0) / where(finite, dx, 1.0)
    val = where(last, y1 + kink * (x - x1), where(x == x0, y0 + kink * (x - x0), val))
    val = where(below, lval, where(above, rval, val))
    val = where(isnan(x), x, val)
    return val[()] if type(val) is np.ndarray and val.ndim == 0 else val
