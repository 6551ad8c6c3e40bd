# mypy: allow-redefinition-new, local-partial-types
"""Histograms (NumPy's "Statistics > Histograms"): ``histogram``, ``histogram2d``,
``histogramdd``, ``histogram_bin_edges`` and ``bincount``.

The counts are piecewise constant in the data, so they carry no derivative with respect to
it (as ``digitize``); the weights enter linearly, so a weighted histogram differentiates in
its weights, and ``density=True`` differentiates through the bin widths where the edges
follow the data (``bins`` given as a number). Bin edges given as arrays, and ``range``, must
be concrete: the counts have no derivative in them, so fad refuses a traced one rather than
silently returning zero. The binning compares each value with every edge and accumulates
with a scatter-add, so ``histogram*`` batch under ``vmap`` and stage under ``jit``;
``bincount`` reads a concrete ``x`` (its length is ``max(x) + 1``).
"""

from __future__ import annotations

import builtins
import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad._core import Tracer
from fad._prims import indexing as ix
from fad.numpy._creation import asarray
from fad.numpy._extrema import max, min
from fad.numpy._indexing import where
from fad.numpy._shape_manipulation import ravel, reshape
from fad.numpy._sums_products_differences import diff, sum
from fad.numpy._util import concrete_value, ndim, shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fad.typing import Array, ArrayLike


def _not_traced(x: Any, fname: str, what: str) -> Any:
    if isinstance(x, Tracer):
        raise TypeError(
            f"{fname}: {what} is a traced value (being differentiated, batched or staged). The "
            f"counts are piecewise constant in {what}: they have no derivative with respect to "
            f"it. Pass {what} as a NumPy array or Python numbers (e.g. computed outside the "
            "transformed function)."
        )
    return x


def _edges(a: Any, bins: Any, range: Any, weights: Any, fname: str) -> Any:
    """The bin edges of the 1-d ``a`` (traced where they follow the data)."""
    if range is not None:
        _not_traced(range, fname, "range")
        for r in range:
            _not_traced(r, fname, "range")
        lo, hi = (float(r) for r in range)
        if lo > hi:
            raise ValueError(f"{fname}: max must be larger than min in range parameter.")
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"{fname}: supplied range of [{lo}, {hi}] is not finite")
    if isinstance(bins, str):
        value = concrete_value(a, fname)
        w = None if weights is None else concrete_value(weights, fname)
        bins = len(np.histogram_bin_edges(value, bins, range, w)) - 1
    if np.ndim(bins) == 0 and not isinstance(bins, Tracer):
        try:
            n = operator.index(bins)
        except TypeError:
            raise TypeError(f"{fname}: bins must be an integer, a string, or an array") from None
        if n < 1:
            raise ValueError(f"{fname}: bins must be positive, when an integer")
        dt = np.result_type(a.dtype, np.float64) if a.dtype.kind != "c" else a.dtype
        if range is not None:
            lo, hi = np.asarray(lo, dt), np.asarray(hi, dt)
        elif shape(a)[0] == 0:
            lo, hi = np.asarray(0.0, dt), np.asarray(1.0, dt)
        else:
            lo, hi = min(a).astype(dt), max(a).astype(dt)
            if not isinstance(lo, Tracer) and not (np.isfinite(lo) and np.isfinite(hi)):
                raise ValueError(f"{fname}: autodetected range of [{lo}, {hi}] is not finite")
        same = ew.eq(lo, hi)
        lo, hi = where(same, lo - 0.5, lo), where(same, hi + 0.5, hi)
        step = (hi - lo) / n
        inner = lo + np.arange(n, dtype=dt) * step
        from_data = ew.concatenate([inner, reshape(hi, (1,))], axis=0)
        return from_data
    edges = np.asarray(_not_traced(bins, fname, "bins"))
    if edges.ndim != 1:
        raise ValueError(f"{fname}: bins must be 1d, when an array")
    if np.any(edges[:-1] > edges[1:]):
        raise ValueError(f"{fname}: bins must increase monotonically, when an array")
    return edges


def _bin_index(x: Any, edges: Any) -> Any:
    """Each value's bin (the last bin closed on the right) and whether it falls in any."""
    n = shape(edges)[0] - 1
    inside = ew.logical_and(ew.ge(x, edges[0]), ew.le(x, edges[-1]))
    idx = sum(ew.ge(x[:, None], edges[None, :-1]), axis=1) - 1
    idx = where(ew.lt(idx, 0), 0, where(ew.ge(idx, n), n - 1, idx))
    return idx, inside


def histogram_bin_edges(
    a: ArrayLike, bins: ArrayLike = 10, range: ArrayLike | None = None, weights: ArrayLike | None = None
) -> Array:
    """The edges of the bins `histogram` would use. With `bins` a number they follow the
    data's minimum and maximum, and differentiate with them.

    Args:
        a: Input array.
        bins: Number of equal-width bins, or the bin edges.
        range: Lower and upper edge of the bins (default: the data's minimum and maximum).
        weights: Weights, one per element of `a` (only some `bins` estimators use them).

    Returns:
        The bin edges, a 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.histogram_bin_edges(fnp.array([0.0, 1.0, 4.0]), bins=4)
        array([0., 1., 2., 3., 4.])
    """
    return _edges(ravel(asarray(a)), bins, range, weights, "histogram_bin_edges")


def _weights(weights: Any, like: ArrayLike | None, fname: str) -> Any:
    if weights is None:
        return None
    w = asarray(weights)
    if tuple(shape(w)) != tuple(shape(like)):
        raise ValueError(
            f"{fname}: weights should have the same shape as a, got {shape(w)} and {shape(like)}."
        )
    return ravel(w)


def histogram(
    a: ArrayLike,
    bins: ArrayLike = 10,
    range: ArrayLike | None = None,
    density: bool | None = None,
    weights: ArrayLike | None = None,
) -> tuple[Array, Array]:
    """The histogram of `a`: `(counts, bin_edges)`. The counts have no derivative with
    respect to `a`; they differentiate in `weights`, and with `density=True` through the
    bin widths.

    Args:
        a: Input array.
        bins: Number of equal-width bins, or the bin edges.
        range: Lower and upper edge of the bins (default: the data's minimum and maximum).
        density: Normalize the counts so the histogram integrates to 1.
        weights: Weights, one per element of `a` (the counts become their sums).

    Returns:
        A tuple `(counts, bin_edges)`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.histogram(fnp.array([0.5, 1.5, 1.7, 3.0]), bins=3, range=(0.0, 3.0))
        (array([1, 2, 1]), array([0., 1., 2., 3.]))
        >>> fad.grad(lambda w: fnp.histogram(fnp.array([0.5, 1.5]), bins=2, weights=w)[0][1])(fnp.ones(2))
        array([0., 1.])
    """
    a = asarray(a)
    w = _weights(weights, a, "histogram")
    a = ravel(a)
    edges = _edges(a, bins, range, weights, "histogram")
    counts = _accumulate([a], [edges], w)
    if density:
        return counts / sum(counts) / diff(edges), edges
    return counts, edges


def _accumulate(columns: Any, edges: Any, w: Any) -> Any:
    """Counts (or summed weights) over the grid of bins of the ``columns``."""
    sizes = [shape(e)[0] - 1 for e in edges]
    flat, keep = 0, True
    for col, e, size in zip(columns, edges, sizes, strict=True):
        idx, inside = _bin_index(col, e)
        flat = flat * size + idx
        keep = ew.logical_and(keep, inside)
    total = int(np.prod(sizes))
    if w is None:
        ones = ew.astype(keep, np.intp)
        return reshape(ix.scatter_add(ones, where(keep, flat, 0), shape=(total,)), tuple(sizes))
    vals = where(keep, w, 0)
    return reshape(ix.scatter_add(vals, where(keep, flat, 0), shape=(total,)), tuple(sizes))


def histogramdd(
    sample: ArrayLike | list[ArrayLike] | tuple[ArrayLike, ...],
    bins: int | Sequence[Any] = 10,
    range: Sequence[tuple[float, float] | None] | None = None,
    density: bool | None = None,
    weights: ArrayLike | None = None,
) -> tuple[Array, list[Array]]:
    """The multidimensional histogram of `sample` (`(N, D)` or a sequence of `D`
    arrays): `(counts, [edges per dimension])`. Derivatives as for `histogram`.

    Args:
        sample: The points: an `(N, D)` array, or a sequence of `D` 1-d arrays.
        bins: Number of bins (per dimension or for all), or the edges per dimension.
        range: Per dimension, the lower and upper edge (or None).
        density: Normalize the counts so the histogram integrates to 1.
        weights: Weights, one per element of `a` (or along `axis`).

    Returns:
        A tuple `(counts, edges)`, `edges` a list of arrays, one per dimension.

    Examples:
        >>> import fad.numpy as fnp
        >>> h, e = fnp.histogramdd(fnp.array([[0.5, 0.5], [1.5, 0.5]]), bins=2, range=[(0, 2), (0, 2)])
        >>> h
        array([[1., 0.],
               [1., 0.]])
    """
    if isinstance(sample, (list, tuple)):
        columns = [ravel(asarray(s)) for s in sample]
        n_dims = len(columns)
    else:
        sample = asarray(sample)
        if ndim(sample) == 1:
            sample = sample[:, None]
        n_dims = shape(sample)[1]
        columns = [sample[:, k] for k in builtins.range(n_dims)]
    if isinstance(bins, (list, tuple)) or (isinstance(bins, np.ndarray) and bins.ndim == 2):
        if len(bins) != n_dims:
            raise ValueError(
                "histogramdd: The dimension of bins must be equal to the dimension of the sample x."
            )
        bins_each = list(bins)
    else:
        bins_each = [bins] * n_dims
    ranges = [None] * n_dims if range is None else list(range)
    edges = [
        _edges(col, b, r, None, "histogramdd") for col, b, r in zip(columns, bins_each, ranges, strict=True)
    ]
    w = None if weights is None else ravel(asarray(weights))
    counts = _accumulate(columns, edges, w)
    counts = counts.astype(np.result_type(counts.dtype, np.float64)) if w is None else counts
    if density:
        counts = counts / sum(counts)
        for k, e in enumerate(edges):
            widths = diff(e)
            counts = counts / reshape(widths, tuple(-1 if j == k else 1 for j in builtins.range(n_dims)))
    return counts, edges


def histogram2d(
    x: ArrayLike,
    y: ArrayLike,
    bins: int | Sequence[Any] = 10,
    range: Sequence[tuple[float, float] | None] | None = None,
    density: bool | None = None,
    weights: ArrayLike | None = None,
) -> tuple[Array, Array, Array]:
    """The two-dimensional histogram of the points `(x, y)`: `(counts, xedges, yedges)`.
    Derivatives as for `histogram`.

    Args:
        x: x-coordinates of the points.
        y: y-coordinates of the points.
        bins: Number of equal-width bins, or the bin edges.
        range: Lower and upper edge of the bins (default: the data's minimum and maximum).
        density: Normalize the counts so the histogram integrates to 1.
        weights: Weights, one per element of `a` (or along `axis`).

    Returns:
        A tuple `(counts, xedges, yedges)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.histogram2d(fnp.array([0.5, 1.5]), fnp.array([0.5, 0.5]), bins=2, range=[(0, 2), (0, 2)])[0]
        array([[1., 0.],
               [1., 0.]])
    """
    if not isinstance(bins, (str, int, np.integer)) and np.ndim(bins) != 0:
        seq = list(bins) if not isinstance(bins, np.ndarray) or bins.ndim != 1 else None
        if seq is None or len(seq) != 2:
            bins = [bins, bins]  # one array of edges for both
    counts, (xe, ye) = histogramdd([x, y], bins, range, density, weights)
    return counts, xe, ye


def bincount(x: ArrayLike, weights: ArrayLike | None = None, minlength: int = 0) -> Array:
    """How often each non-negative integer occurs in the 1-d `x` (or the sum of `weights`
    at each). `x` is read as a concrete value (the result's length is `max(x) + 1`); the
    weighted counts differentiate in `weights`.

    Args:
        x: 1-d array of non-negative integers (a concrete value).
        weights: Weights, one per element of `x`.
        minlength: Minimum number of bins of the result.

    Returns:
        The counts (or sums of weights) of each integer, a 1-d array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.bincount(fnp.array([0, 2, 2]))
        array([1, 0, 2])
        >>> fad.grad(lambda w: fnp.bincount(fnp.array([0, 2, 2]), w)[2])(fnp.array([1.0, 2.0, 3.0]))
        array([0., 1., 1.])
    """
    xv = concrete_value(x, "bincount")
    if weights is None or not isinstance(weights, Tracer):
        return np.bincount(xv, None if weights is None else np.asarray(weights), minlength)
    n = len(np.bincount(xv, minlength=minlength))
    w = asarray(weights)
    if tuple(shape(w)) != xv.shape:
        raise ValueError(
            f"bincount: the weights and x should have the same length, got {shape(w)} and {xv.shape}."
        )
    return ix.scatter_add(w.astype(np.result_type(w.dtype, np.float64)), xv, shape=(n,))
