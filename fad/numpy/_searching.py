"""Choosing and searching: ``select``, ``argwhere``, ``flatnonzero``, ``searchsorted`` and
``digitize``. ``select`` differentiates in its choices; the others give integer indices (no
derivative). ``searchsorted`` and ``digitize`` compare every value with every edge, so they
batch under ``vmap`` and run under ``jit``; ``argwhere`` and ``flatnonzero`` have a
value-dependent shape and, like ``nonzero``, need a concrete argument."""

from __future__ import annotations

import numpy as np

from fad._core import Tracer
from fad.numpy._creation import asarray
from fad.numpy._math import clip, isfinite, isnan, logical_and, logical_not, logical_or
from fad.numpy._reductions import argsort, sum
from fad.numpy._shape import broadcast_arrays, concatenate, take
from fad.numpy._ufuncs import less, less_equal, where
from fad.numpy._util import check_arraylike, ndim, shape

__all__ = ["select", "argwhere", "flatnonzero", "searchsorted", "digitize", "interp"]


def select(condlist, choicelist, default=0):
    """Per element, the entry of the first choice whose condition holds (``default`` if none).

    >>> import fad.numpy as fnp
    >>> x = fnp.array([-1.0, 0.5, 3.0])
    >>> fnp.select([x < 0, x < 1], [-x, x * 10], default=9.0)
    array([1., 5., 9.])
    """
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError("select: list of cases must be same length as list of conditions.")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible.")
    conds = [asarray(c) for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype != np.bool_:
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean ndarray.")
    choices = [asarray(c) for c in choicelist] + [asarray(default)]
    dtype = np.result_type(*[c.dtype for c in choices])
    choices = broadcast_arrays(*[c.astype(dtype) for c in choices], *conds)[: len(choices)]
    result = choices[-1]
    for cond, choice in zip(reversed(conds), reversed(choices[:-1]), strict=True):
        result = where(cond, choice, result)
    return result


def argwhere(a):
    """The indices of the non-zero elements, one row per element (of a concrete value, as
    for ``nonzero``: the result's shape depends on the values).

    >>> import fad.numpy as fnp
    >>> fnp.argwhere(fnp.array([[0.0, 1.0], [2.0, 0.0]]))
    array([[0, 1],
           [1, 0]])
    """
    return np.argwhere(a._concrete("argwhere") if isinstance(a, Tracer) else check_arraylike(a))


def flatnonzero(a):
    """The indices of the non-zero elements of the flattened array (of a concrete value).

    >>> import fad.numpy as fnp
    >>> fnp.flatnonzero(fnp.array([[0.0, 1.0], [2.0, 0.0]]))
    array([1, 2])
    """
    return np.flatnonzero(a._concrete("flatnonzero") if isinstance(a, Tracer) else check_arraylike(a))


def _one_dimensional(x, fname, what):
    x = asarray(x)
    if ndim(x) != 1:
        raise ValueError(f"{fname}: {what} must be 1-d, got shape {shape(x)}.")
    return x


def searchsorted(a, v, side="left", sorter=None):
    """Where to insert ``v`` into the sorted 1-d ``a`` to keep it sorted (``side="right"``:
    after equal entries).

    >>> import fad.numpy as fnp
    >>> fnp.searchsorted(fnp.array([1.0, 2.0, 3.0]), fnp.array([2.0, 0.5, 9.0]))
    array([1, 0, 3])
    """
    a = _one_dimensional(a, "searchsorted", "a")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}.")
    if sorter is not None:
        a = take(a, asarray(sorter))
    v = asarray(v)[..., None]
    if side == "left":  # the entries that go before v; NaN sorts last, as in NumPy
        before = logical_or(less(a, v), logical_and(isnan(v), logical_not(isnan(a))))
    else:
        before = logical_or(less_equal(a, v), isnan(v))
    return sum(before, axis=-1).astype(np.intp)


def digitize(x, bins, right=False):
    """The index of the bin each value of ``x`` falls in (``bins`` increasing or
    decreasing; ``right=True``: bins closed on the right).

    >>> import fad.numpy as fnp
    >>> fnp.digitize(fnp.array([0.5, 1.0, 2.5]), fnp.array([1.0, 2.0, 3.0]))
    array([0, 1, 2])
    """
    bins = _one_dimensional(bins, "digitize", "bins")
    side = "left" if right else "right"
    steps = np.diff(bins._concrete("digitize") if isinstance(bins, Tracer) else bins)
    if np.all(steps >= 0):
        return searchsorted(bins, x, side=side)
    if np.all(steps <= 0):
        return shape(bins)[0] - searchsorted(bins[::-1], x, side=side)
    raise ValueError("digitize: bins must be monotonically increasing or decreasing.")


def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation of the points ``(xp, fp)`` (``xp`` increasing) at
    ``x``, with ``left``/``right`` outside (the end values by default) or, with ``period``,
    periodic. Differentiable in ``x``, ``fp`` and ``xp``.

    At a knot, where the interpolant has a kink, the derivative is the one of the piece on
    the right, as in JAX; at the last knot (which has no piece on its right) it is the one
    of the last piece. Outside ``[xp[0], xp[-1]]`` the value is the constant ``left`` or
    ``right``, so the derivative in ``x`` is zero there (with ``period`` there is no
    outside). Where two knots coincide the slope between them is infinite and the
    derivative in ``x`` is taken as zero.

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
