# mypy: allow-redefinition-new, local-partial-types
"""Sums, products, differences (NumPy's "Mathematical functions"): ``sum``, ``prod``,
their NaN-ignoring and cumulative forms, ``diff``, ``ediff1d``, ``trapezoid`` and ``cross``.
A NaN entry of a ``nan*`` function counts as the operation's identity (0 for sums, 1 for
products) and gets a zero derivative."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as st
from fad._core import Tracer
from fad._prims import astype, reduce_sum
from fad._prims import scans as sc
from fad.numpy._creation import asarray, zeros
from fad.numpy._indexing import where
from fad.numpy._joining import concatenate, stack
from fad.numpy._logic import isnan
from fad.numpy._reducing import _arr, _count, _dtype_of, _initial, _isnan, _masked, _no_out
from fad.numpy._shape_manipulation import broadcast_to, expand_dims, moveaxis, ravel
from fad.numpy._util import coerce, document, ndim, normalize_axes, normalize_axis, shape

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

    from fad.numpy._util import Axis, Cumulative, Scan
    from fad.typing import Array, ArrayLike


def sum(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    keepdims: bool = False,
    initial: ArrayLike | None = None,
    where: ArrayLike | None = True,
) -> Array:  # noqa: A001
    """Sum of elements over `axis`, of those where `where` is true (masked-out entries get
    a zero derivative), plus `initial`.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        initial: A scalar the reduction starts from (also what an empty reduction gives).
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The sums over `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.sum(fnp.ones((2, 3)), axis=0)
        array([2., 2., 2.])
        >>> fnp.sum(fnp.array([1.0, 2.0, 3.0]), where=fnp.array([True, False, True]), initial=10.0)
        np.float64(14.0)
    """
    a = coerce(a)
    if dtype is not None:
        a = astype(a, dtype)
    elif getattr(a, "dtype", None) is not None and a.dtype.kind == "b":
        a = astype(a, np.int64)
    axes = normalize_axes(axis, ndim(a), "sum")
    if where is True and initial is None and out is None:  # the common case
        return reduce_sum(a, axes=axes, keepdims=keepdims)
    _no_out(out, "sum")
    r = reduce_sum(_masked(a, where, 0, "sum"), axes=axes, keepdims=keepdims)
    return r if initial is None else r + _initial(initial, _dtype_of(r), "sum")


def prod(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    keepdims: bool = False,
    initial: ArrayLike | None = None,
    where: ArrayLike | None = True,
) -> Array:
    """Product of elements over `axis` (of those where `where` is true, times `initial`).
    Its gradient is right with zeros in `a`: it is the product of the other elements, never
    `prod / x`.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        initial: A scalar the reduction starts from (also what an empty reduction gives).
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The products over `axis`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(fnp.prod)(fnp.array([2.0, 0.0, 3.0]))
        array([0., 6., 0.])
    """
    _no_out(out, "prod")
    a = _arr(a)
    if dtype is not None:
        a = astype(a, dtype)
    axes = normalize_axes(axis, ndim(a), "prod")
    r = sc.reduce_prod(_masked(a, where, 1, "prod"), axes=axes, keepdims=keepdims)
    return r if initial is None else r * _initial(initial, _dtype_of(r), "prod")


def _nan_to(a: Any, value: Any) -> Any:
    """``a`` with NaNs replaced by ``value`` (NaN entries get a zero derivative)."""
    return ew.select(_isnan(a), value, a) if _dtype_of(a).kind in "fc" else a


def nansum(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    keepdims: bool = False,
    initial: ArrayLike | None = None,
    where: ArrayLike | None = True,
) -> Array:
    """Sum over `axis` treating NaNs as zero (they get a zero derivative).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        initial: A scalar the reduction starts from (also what an empty reduction gives).
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The sums over `axis`, NaNs counting as zero.
    """
    return sum(_nan_to(_arr(a), 0), axis, dtype, out, keepdims, initial, where)


def _nan_as(a: Any, value: Any) -> Any:
    a = asarray(a)
    return where(isnan(a), value, a) if a.dtype.kind in "fc" else a


def nanprod(
    a: ArrayLike,
    axis: Axis = None,
    dtype: DTypeLike | None = None,
    out: None = None,
    keepdims: bool = False,
    initial: ArrayLike | None = None,
    where: ArrayLike | None = True,
) -> Array:
    """Product over `axis` treating NaNs as one (of the entries `where` selects, times
    `initial`).

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).
        keepdims: Keep the reduced axes, with length 1, so the result broadcasts against `a`.
        initial: A scalar the reduction starts from (also what an empty reduction gives).
        where: Boolean mask, broadcast against `a`: only the entries where it is true take part.

    Returns:
        The products over `axis`, NaNs counting as one.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nanprod(fnp.array([2.0, fnp.nan, 3.0]))
        np.float64(6.0)
    """
    return prod(_nan_as(a, 1), axis, dtype, out, keepdims, initial, where)


def _scan(prim_fn: Any, name: str) -> Scan:
    def f(a: ArrayLike, axis: int | None = None, dtype: DTypeLike | None = None) -> Array:
        a = _arr(a)
        if axis is None:
            a = st.reshape(a, (_count(a, tuple(range(ndim(a)))),))
            axis = 0
        ax = normalize_axis(axis, ndim(a), name)
        if dtype is not None:
            a = astype(a, dtype)
        return prim_fn(a, ax)

    f.__name__ = f.__qualname__ = name
    return f


cumsum = _scan(sc.cumsum, "cumsum")
document(
    cumsum,
    """Cumulative sum along ``axis`` (the flattened array if ``None``).

    >>> import fad.numpy as fnp
    >>> fnp.cumsum(fnp.array([1.0, 2.0, 3.0]))
    array([1., 3., 6.])
    """,
    "The running sums: shaped like `a` (1-d if `axis` is None).",
    axis="Axis to accumulate along; None accumulates over the flattened array.",
)

cumprod = _scan(sc.cumprod, "cumprod")
document(
    cumprod,
    """Cumulative product along ``axis`` (the flattened array if ``None``). The
    derivative never divides by ``a``, so it is right with zeros in ``a``.

    >>> import fad, fad.numpy as fnp
    >>> fad.grad(lambda x: fnp.cumprod(x).sum())(fnp.array([2.0, 0.0, 3.0]))
    array([1., 8., 0.])
    """,
    "The running products: shaped like `a` (1-d if `axis` is None).",
    axis="Axis to accumulate along; None accumulates over the flattened array.",
)


def nancumsum(a: ArrayLike, axis: int | None = None, dtype: DTypeLike | None = None) -> Array:
    """Cumulative sum along `axis` treating NaNs as zero.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The running sums (1-d if `axis` is None).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nancumsum(fnp.array([2.0, fnp.nan, 3.0]))
        array([2., 2., 5.])
    """
    return cumsum(_nan_as(a, 0), axis=axis, dtype=dtype)


def nancumprod(a: ArrayLike, axis: int | None = None, dtype: DTypeLike | None = None) -> Array:
    """Cumulative product along `axis` treating NaNs as one.

    Args:
        a: Input array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        dtype: Data type of the result; None keeps NumPy's default.

    Returns:
        The running products (1-d if `axis` is None).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nancumprod(fnp.array([2.0, fnp.nan, 3.0]))
        array([2., 2., 6.])
    """
    return cumprod(_nan_as(a, 1), axis=axis, dtype=dtype)


def _cumulative(scan: Scan, name: str, identity: Any) -> Cumulative:
    def f(
        x: ArrayLike,
        /,
        *,
        axis: int | None = None,
        dtype: DTypeLike | None = None,
        include_initial: bool = False,
    ) -> Array:
        x = asarray(x)
        if axis is None:
            if ndim(x) > 1:
                raise ValueError(
                    f"{name}: axis is required for arrays of more than one dimension (got shape "
                    f"{shape(x)}). Pass axis=..., or ravel the array first."
                )
            axis = 0
        if ndim(x) == 0:
            x = expand_dims(x, 0)
        axis = normalize_axis(axis, ndim(x), name)
        out = scan(x, axis=axis, dtype=dtype)
        if include_initial:
            edge = list(shape(out))
            edge[axis] = 1
            out = concatenate([zeros(tuple(edge), out.dtype) + identity, out], axis=axis)
        return out

    f.__name__ = f.__qualname__ = name
    return f


cumulative_sum = _cumulative(cumsum, "cumulative_sum", 0)
document(
    cumulative_sum,
    """The cumulative sum along ``axis`` (NumPy 2's array-API form of
    ``cumsum``); ``include_initial=True`` starts with the zero.

    >>> import fad.numpy as fnp
    >>> fnp.cumulative_sum(fnp.array([1.0, 2.0, 3.0]), include_initial=True)
    array([0., 1., 3., 6.])
    """,
    "The running sums: shaped like `x`, one longer along `axis` with `include_initial`.",
    axis="Axis to accumulate along; None accumulates over the flattened array.",
)

cumulative_prod = _cumulative(cumprod, "cumulative_prod", 1)
document(
    cumulative_prod,
    """The cumulative product along ``axis`` (NumPy 2's array-API form of
    ``cumprod``); ``include_initial=True`` starts with the one.

    >>> import fad.numpy as fnp
    >>> fnp.cumulative_prod(fnp.array([1.0, 2.0, 3.0]))
    array([1., 2., 6.])
    """,
    "The running products: shaped like `x`, one longer along `axis` with `include_initial`.",
    axis="Axis to accumulate along; None accumulates over the flattened array.",
)


def _slice(nd: int, axis: int, piece: Any) -> Any:
    """The index selecting ``piece`` (a slice) along ``axis`` of an ``nd``-dimensional array."""
    index = [slice(None)] * nd
    index[axis] = piece
    return tuple(index)


def _edge(value: Any, a: Any, axis: int) -> Any:
    """``value`` (prepend/append) as a block to join to ``a`` along ``axis``: a scalar is
    broadcast to ``a``'s shape with length 1 along ``axis``, as in NumPy."""
    value = asarray(value)
    if ndim(value) == 0:
        target = list(shape(a))
        target[axis] = 1
        return broadcast_to(value, tuple(target))
    return value


def diff(
    a: ArrayLike,
    n: int = 1,
    axis: int = -1,
    prepend: ArrayLike | None = None,
    append: ArrayLike | None = None,
) -> Array:
    """The `n`-th discrete difference along `axis`: `a[1:] - a[:-1]`, `n` times.

    Args:
        a: Input array.
        n: Number of times to take differences.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        prepend: Values joined before `a` along `axis` first.
        append: Values joined after `a` along `axis` first.

    Returns:
        The differences, `n` shorter along `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.diff(fnp.array([1.0, 4.0, 9.0, 16.0]), n=2)
        array([2., 2.])
    """
    a = asarray(a)
    n = int(n)
    if n < 0:
        raise ValueError(f"diff: order n must be non-negative, got {n}.")
    if n == 0:
        return a
    nd = ndim(a)
    if nd == 0:
        raise ValueError("diff requires an input of at least one dimension; got a 0-d array.")
    axis = normalize_axis(axis, nd, "diff")
    blocks = [a]
    if prepend is not None:
        blocks.insert(0, _edge(prepend, a, axis))
    if append is not None:
        blocks.append(_edge(append, a, axis))
    if len(blocks) > 1:
        a = concatenate(blocks, axis=axis)
    later, earlier = _slice(nd, axis, slice(1, None)), _slice(nd, axis, slice(None, -1))
    for _ in range(n):
        if a.dtype == np.bool_:
            a = a[later] != a[earlier]  # NumPy: booleans differ by xor
        else:
            a = a[later] - a[earlier]
    return a


def ediff1d(ary: ArrayLike, to_end: ArrayLike | None = None, to_begin: ArrayLike | None = None) -> Array:
    """The differences between consecutive elements of the flattened array, with optional
    values joined before and after.

    Args:
        ary: Array to split.
        to_end: Values to put after the differences.
        to_begin: Values to put before the differences.

    Returns:
        The differences, a 1-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.ediff1d(fnp.array([1.0, 2.0, 4.0]), to_begin=-1.0)
        array([-1.,  1.,  2.])
    """
    flat = ravel(asarray(ary))
    d = flat[1:] - flat[:-1]
    parts = [d]
    if to_begin is not None:
        parts.insert(0, ravel(asarray(to_begin, dtype=d.dtype)))
    if to_end is not None:
        parts.append(ravel(asarray(to_end, dtype=d.dtype)))
    return concatenate(parts) if len(parts) > 1 else d


def trapezoid(y: ArrayLike, x: ArrayLike | None = None, dx: ArrayLike = 1.0, axis: int = -1) -> Array:
    """The integral of `y` along `axis` by the trapezoidal rule, at sample points `x`
    (or spaced `dx` apart).

    Args:
        y: Sampled values.
        x: Sample points (default: spaced `dx` apart).
        dx: Spacing of the samples when `x` is None.
        axis: Axis or axes to work along; None means all of them (the flattened array).

    Returns:
        The integral: `y` with `axis` removed.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.trapezoid(fnp.array([1.0, 2.0, 3.0]), dx=0.5)
        np.float64(2.0)
    """
    y = asarray(y)
    nd = ndim(y)
    axis = normalize_axis(axis, nd, "trapezoid")
    if x is None:
        d = dx
    else:
        x = asarray(x)
        if ndim(x) == 1:
            d = diff(x)
            if nd > 1:  # spacing along axis, broadcast over the other axes
                d = d.reshape(tuple(-1 if k == axis else 1 for k in range(nd)))
        else:
            d = diff(x, axis=axis)
    later, earlier = _slice(nd, axis, slice(1, None)), _slice(nd, axis, slice(None, -1))
    return sum(d * (y[later] + y[earlier]) / 2.0, axis=axis)


def cross(
    a: ArrayLike, b: ArrayLike, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None
) -> Array:
    """The cross product of 3-vectors along the given axes, the other axes broadcasting.
    2-vectors are taken with a zero third component, as NumPy does (with its deprecation
    warning); two 2-vectors give the third component alone.

    Args:
        a: Input array.
        b: Second input array.
        axisa: Axis of `a` holding the vectors.
        axisb: Axis of `b` holding the vectors.
        axisc: Axis of the result holding the vectors.
        axis: If given, the axis holding the vectors in `a`, `b` and the result.

    Returns:
        The cross products.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.cross(fnp.array([1.0, 0.0, 0.0]), fnp.array([0.0, 1.0, 0.0]))
        array([0., 0., 1.])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = asarray(a), asarray(b)
    a = moveaxis(a, normalize_axis(axisa, ndim(a), "cross"), -1)
    b = moveaxis(b, normalize_axis(axisb, ndim(b), "cross"), -1)
    na, nb = shape(a)[-1], shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(
            f"cross: incompatible dimensions {na} and {nb}; vectors must have 2 or 3 components."
        )
    if na == 2 or nb == 2:
        warnings.warn(
            "Arrays of 2-dimensional vectors are deprecated in NumPy 2.0; use arrays of 3-dimensional "
            "vectors instead (as numpy.cross warns).",
            DeprecationWarning,
            stacklevel=2,
        )
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    third = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return third
    if na == 2:  # a's third component is zero
        b2 = b[..., 2]
        parts = [a1 * b2, -(a0 * b2), third]
    elif nb == 2:  # b's third component is zero
        a2 = a[..., 2]
        parts = [-(a2 * b1), a2 * b0, third]
    else:
        a2, b2 = a[..., 2], b[..., 2]
        parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, third]
    out = stack(parts, axis=-1)
    return moveaxis(out, -1, normalize_axis(axisc, ndim(out), "cross"))


def _gradient_axis(f: Any, h: Any, axis: int, edge_order: int) -> Any:
    """NumPy's second-order central differences along ``axis`` (spacing ``h``: a scalar or the
    coordinates), one- or two-sided differences of ``edge_order`` at the ends."""
    nd = ndim(f)
    n = shape(f)[axis]
    if n < edge_order + 1:
        raise ValueError(
            "gradient: shape of array too small to calculate a numerical gradient, at least "
            "(edge_order + 1) elements are required."
        )

    def sl(start: Any, stop: Any = None) -> Any:
        return f[_slice(nd, axis, slice(start, stop))]

    def along(c: Any) -> Any:
        return _along_axis(c, nd, axis)

    if np.ndim(h) == 0:
        h = float(h) if not isinstance(h, Tracer) else h
        interior = (sl(2) - sl(None, -2)) / (2.0 * h)
        if edge_order == 1:
            first = (sl(1, 2) - sl(0, 1)) / h
            last = (sl(-1) - sl(-2, -1)) / h
        else:
            first = -(3.0 * sl(0, 1) - 4.0 * sl(1, 2) + sl(2, 3)) / (2.0 * h)
            last = (3.0 * sl(-1) - 4.0 * sl(-2, -1) + sl(-3, -2)) / (2.0 * h)
    else:
        x = asarray(h)
        if ndim(x) != 1 or shape(x)[0] != n:
            raise ValueError(
                "gradient: when 1d, distances must match the length of the corresponding dimension"
            )
        dx = diff(x)
        dx1, dx2 = dx[:-1], dx[1:]
        a = -(dx2) / (dx1 * (dx1 + dx2))
        b = (dx2 - dx1) / (dx1 * dx2)
        c = dx1 / (dx2 * (dx1 + dx2))
        interior = along(a) * sl(None, -2) + along(b) * sl(1, -1) + along(c) * sl(2)
        if edge_order == 1:
            first = (sl(1, 2) - sl(0, 1)) / dx[0]
            last = (sl(-1) - sl(-2, -1)) / dx[-1]
        else:
            d1, d2 = dx[0], dx[1]
            a0, b0, c0 = -(2.0 * d1 + d2) / (d1 * (d1 + d2)), (d1 + d2) / (d1 * d2), -d1 / (d2 * (d1 + d2))
            first = a0 * sl(0, 1) + b0 * sl(1, 2) + c0 * sl(2, 3)
            d1, d2 = dx[-2], dx[-1]
            a1, b1, c1 = d2 / (d1 * (d1 + d2)), -(d2 + d1) / (d1 * d2), (2.0 * d2 + d1) / (d2 * (d1 + d2))
            last = a1 * sl(-3, -2) + b1 * sl(-2, -1) + c1 * sl(-1)
    return concatenate([first, interior, last], axis=axis)


def _along_axis(c: Any, nd: int, axis: int) -> Any:
    return st.reshape(c, tuple(-1 if k == axis else 1 for k in range(nd)))


def gradient(f: ArrayLike, *varargs: ArrayLike, axis: Axis = None, edge_order: int = 1) -> Array:
    """The gradient of sampled values `f` by second-order central differences (one-sided
    at the ends, of order `edge_order`), one array per axis, with NumPy's spacing
    arguments (a scalar, or the coordinates, per axis). Differentiable in `f` and in the
    spacings.

    Args:
        f: Sampled values.
        *varargs: Spacing: a scalar, or per axis a scalar or the coordinates of the samples.
        axis: Axis or axes to differentiate along (default: all).
        edge_order: Order (1 or 2) of the one-sided differences at the ends.

    Returns:
        The derivative estimates, shaped like `f`: one array, or a tuple of them (one per axis).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.gradient(fnp.array([1.0, 4.0, 9.0, 16.0]))
        array([3., 4., 6., 7.])
    """
    f = asarray(f)
    if f.dtype.kind in "iub":
        f = astype(f, np.float64)
    nd = ndim(f)
    axes = (
        list(range(nd)) if axis is None else [normalize_axis(a, nd, "gradient") for a in np.atleast_1d(axis)]
    )
    if edge_order not in (1, 2):
        raise ValueError("gradient: 'edge_order' greater than 2 not supported")
    if not varargs:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        spacings = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError("gradient: invalid number of arguments")
    out = [_gradient_axis(f, h, ax, edge_order) for ax, h in zip(axes, spacings, strict=True)]
    return out[0] if len(out) == 1 else tuple(out)
