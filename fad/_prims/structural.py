"""Structural primitives: reshape, transpose, broadcast, sum, dtype conversion, indexing,
concatenation. All are linear, so each declares its forward rule as "apply me to the
tangent" and its reverse rule as its transpose.

These are also the operations every transform needs for its own bookkeeping (moving batch
axes, summing cotangents back to an input's shape), so they depend on nothing but the core.
"""

from __future__ import annotations

import numpy as np

from fad._core import Primitive, _state, bind

# ------------------------------------------------------------------ shared rule helpers


def linear_unary_jvp(prim):
    """Forward rule of a primitive that is linear in its single array argument."""

    def jvp(primals, tangents, **params):
        return prim.bind(*primals, **params), prim.bind(tangents[0], **params)

    return jvp


def shape_of(x):
    return getattr(x, "shape", ())  # () for Python scalars


def size_of(shape):
    """The number of elements of an array of ``shape`` (a tuple of ints)."""
    n = 1
    for s in shape:
        n *= s
    return n


def unbroadcast(ct, shape):
    """Sum ``ct`` back down to ``shape`` (the inverse of NumPy broadcasting).

    The one shared place where cotangents of broadcast arguments are reduced.
    """
    ct_shape = ct.shape
    if ct_shape == shape:
        return ct
    lead = len(ct_shape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and ct_shape[lead + i] != 1
    )
    if axes:
        # same rank: the size-1 axes stay (keepdims), so no reshape is needed after the sum
        ct = reduce_sum(ct, axes=axes, keepdims=lead == 0)
    if ct.shape != shape:
        ct = reshape(ct, shape)
    return ct


def move_batch_to_front(x, bdim):
    """Put axis ``bdim`` of ``x`` first (one level down)."""
    if bdim == 0:
        return x
    perm = (bdim,) + tuple(i for i in range(x.ndim) if i != bdim)
    return transpose(x, perm)


def moveaxis(x, src, dst):
    nd = x.ndim
    src %= nd
    dst %= nd
    if src == dst:
        return x
    perm = [i for i in range(nd) if i != src]
    perm.insert(dst, src)
    return transpose(x, tuple(perm))


# ------------------------------------------------------------------------------ reshape

reshape_p = Primitive("reshape", lambda x, *, shape: np.reshape(x, shape))
reshape_p.jvp = linear_unary_jvp(reshape_p)
reshape_p.vjp = lambda ct, ans, primals, wants, *, shape: (reshape(ct, primals[0].shape),)
reshape_p.batch = lambda vals, bdims, *, shape: (
    reshape(vals[0], (vals[0].shape[0],) + tuple(shape)),
    0,
)


def reshape(x, shape):
    """Reshape to a fully specified ``shape`` (no -1; see fad.numpy.reshape)."""
    if shape_of(x) == shape:
        return x
    return _state.trace.process(reshape_p, (x,), {"shape": shape})  # bind, inline (hot)


# ---------------------------------------------------------------------------- transpose

transpose_p = Primitive("transpose", lambda x, *, perm: np.transpose(x, perm))
transpose_p.jvp = linear_unary_jvp(transpose_p)
transpose_p.vjp = lambda ct, ans, primals, wants, *, perm: (
    transpose(ct, tuple(int(i) for i in np.argsort(perm))),
)
transpose_p.batch = lambda vals, bdims, *, perm: (
    transpose(vals[0], (0,) + tuple(p + 1 for p in perm)),
    0,
)


def transpose(x, perm):
    if perm == tuple(range(len(perm))):
        return x
    return _state.trace.process(transpose_p, (x,), {"perm": perm})


# ------------------------------------------------------------------------- broadcast_to

_COPY_MAX_SIZE = 2048  # below this, a copy is cheaper than np.broadcast_to's Python wrapper


def _broadcast_to_impl(x, *, shape):
    if (
        (type(x) is np.ndarray or isinstance(x, np.generic))
        and x.ndim <= len(shape)
        and size_of(shape) <= _COPY_MAX_SIZE
    ):
        out = np.empty(shape, x.dtype)  # 0.4 us against 2 us for the broadcast view
        out[...] = x
        out.flags.writeable = False  # read-only, as NumPy's broadcast view is
        return out
    return np.broadcast_to(x, shape)


broadcast_to_p = Primitive("broadcast_to", _broadcast_to_impl)
broadcast_to_p.jvp = linear_unary_jvp(broadcast_to_p)
broadcast_to_p.vjp = lambda ct, ans, primals, wants, *, shape: (unbroadcast(ct, shape_of(primals[0])),)


def _broadcast_to_batch(vals, bdims, *, shape):
    x = vals[0]
    b = x.shape[0]
    pad = len(shape) - (x.ndim - 1)
    x = reshape(x, (b,) + (1,) * pad + tuple(x.shape[1:]))
    return broadcast_to(x, (b,) + tuple(shape)), 0


broadcast_to_p.batch = _broadcast_to_batch


def broadcast_to(x, shape):
    if shape_of(x) == shape:
        return x
    return _state.trace.process(broadcast_to_p, (x,), {"shape": shape})


# ------------------------------------------------------------------------------ sum

# np.add.reduce is what np.sum calls for arrays, without np.sum's Python wrapper (which
# costs more than summing a small array)
reduce_sum_p = Primitive(
    "reduce_sum", lambda x, *, axes, keepdims: np.add.reduce(x, axis=axes, keepdims=keepdims)
)
reduce_sum_p.jvp = linear_unary_jvp(reduce_sum_p)


def _expand_reduced(ct, in_shape, axes, keepdims):
    """Give a reduction's cotangent back its reduced axes (as size-1 axes), where
    broadcasting against the input's shape needs them (not for leading axes)."""
    if keepdims or axes == tuple(range(len(axes))):
        return ct
    kept = tuple(1 if i in axes else s for i, s in enumerate(in_shape))
    return reshape(ct, kept)


def _reduce_sum_vjp(ct, ans, primals, wants, *, axes, keepdims):
    shape = shape_of(primals[0])
    return (broadcast_to(_expand_reduced(ct, shape, axes, keepdims), shape),)


reduce_sum_p.vjp = _reduce_sum_vjp
reduce_sum_p.batch = lambda vals, bdims, *, axes, keepdims: (
    reduce_sum(vals[0], axes=tuple(a + 1 for a in axes), keepdims=keepdims),
    0,
)


def reduce_sum(x, *, axes, keepdims=False):
    """Sum over ``axes`` (a tuple of non-negative ints)."""
    return _state.trace.process(reduce_sum_p, (x,), {"axes": axes, "keepdims": keepdims})


# ------------------------------------------------------------------------------ astype


def _is_float(dtype):
    return np.issubdtype(dtype, np.inexact)


astype_p = Primitive("astype", lambda x, *, dtype: np.asarray(x).astype(dtype))


def _astype_jvp(primals, tangents, *, dtype):
    out = astype(primals[0], dtype)
    if not (_is_float(dtype) and _is_float(primals[0].dtype)):
        return out, None
    return out, astype(tangents[0], dtype)


def _astype_vjp(ct, ans, primals, wants, *, dtype):
    x = primals[0]
    if not (_is_float(dtype) and _is_float(x.dtype)):
        return (None,)
    return (astype(ct, x.dtype),)


astype_p.jvp = _astype_jvp
astype_p.vjp = _astype_vjp
astype_p.batch = lambda vals, bdims, *, dtype: (astype(vals[0], dtype), 0)


def astype(x, dtype):
    dtype = np.dtype(dtype)
    if getattr(x, "dtype", None) == dtype:
        return x
    return bind(astype_p, x, dtype=dtype)


# ------------------------------------------------------------------- basic indexing
# ``idx`` is a static tuple of ints, slices, None and Ellipsis (see fad.numpy.indexing
# for how user indices are normalised into it).

getitem_p = Primitive("getitem", lambda x, *, idx: x[idx])
getitem_p.jvp = linear_unary_jvp(getitem_p)
getitem_p.vjp = lambda ct, ans, primals, wants, *, idx: (
    index_add_zeros(ct, idx=idx, shape=shape_of(primals[0])),
)


def _getitem_batch(vals, bdims, *, idx):
    out = getitem(vals[0], (slice(None),) + idx)
    return out, _advanced_result_axis(idx)


def _advanced_result_axis(idx):
    """Where the batch axis lands after ``x_batched[(slice(None),) + idx]``.

    NumPy keeps the block of advanced (array) indices in place when they are adjacent, so
    the batch axis stays first; when they are separated by a slice, ``None`` or ``...``,
    the broadcast index axes go first and the batch axis comes right after them.
    """
    arrays = [i for i, e in enumerate(idx) if isinstance(e, np.ndarray)]
    if not arrays:
        return 0
    advanced = [i for i, e in enumerate(idx) if isinstance(e, (np.ndarray, int, np.integer))]
    if advanced[-1] - advanced[0] + 1 == len(advanced):
        return 0
    return len(np.broadcast_shapes(*(np.shape(idx[i]) for i in advanced)))


getitem_p.batch = _getitem_batch


def getitem(x, idx):
    return bind(getitem_p, x, idx=idx)


def _index_add_zeros_impl(ct, *, idx, shape):
    z = np.zeros(shape, dtype=np.result_type(ct))
    if any(isinstance(i, np.ndarray) for i in idx):
        np.add.at(z, idx, ct)
    else:
        z[idx] = ct
    return z


index_add_zeros_p = Primitive("index_add_zeros", _index_add_zeros_impl)
index_add_zeros_p.jvp = linear_unary_jvp(index_add_zeros_p)
index_add_zeros_p.vjp = lambda ct, ans, primals, wants, *, idx, shape: (getitem(ct, idx),)


def _index_add_zeros_batch(vals, bdims, *, idx, shape):
    ct = vals[0]  # batch axis first; put it where x_batched[(slice(None),) + idx] has it
    axis = _advanced_result_axis(idx)
    if axis:
        ct = moveaxis(ct, 0, axis)
    return index_add_zeros(ct, idx=(slice(None),) + idx, shape=(vals[0].shape[0],) + shape), 0


index_add_zeros_p.batch = _index_add_zeros_batch


def index_add_zeros(ct, *, idx, shape):
    """``zeros(shape)`` with ``ct`` added at ``idx``: the transpose of ``x[idx]``."""
    return bind(index_add_zeros_p, ct, idx=idx, shape=tuple(shape))


# ------------------------------------------------------------------------ concatenate

concatenate_p = Primitive("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis))


def _concatenate_jvp(primals, tangents, *, axis):
    out = concatenate(primals, axis)
    ts = [
        zeros(shape_of(p), _result_dtype(p)) if t is None else t
        for p, t in zip(primals, tangents, strict=True)
    ]
    return out, concatenate(ts, axis)


def _concatenate_vjp(ct, ans, primals, wants, *, axis):
    out = []
    start = 0
    for p, w in zip(primals, wants, strict=True):
        n = shape_of(p)[axis]
        if w:
            idx = (slice(None),) * axis + (slice(start, start + n),)
            out.append(getitem(ct, idx))
        else:
            out.append(None)
        start += n
    return out


def _concatenate_batch(vals, bdims, *, axis):
    b = next(v.shape[0] for v, d in zip(vals, bdims, strict=True) if d is not None)
    xs = [
        v if d is not None else broadcast_to(v, (b,) + shape_of(v)) for v, d in zip(vals, bdims, strict=True)
    ]
    return concatenate(xs, axis + 1), 0


concatenate_p.jvp = _concatenate_jvp
concatenate_p.vjp = _concatenate_vjp
concatenate_p.batch = _concatenate_batch


def concatenate(xs, axis):
    xs = tuple(xs)
    if len(xs) == 1:
        return xs[0]
    return bind(concatenate_p, *xs, axis=axis)


# --------------------------------------------------------------------------------- roll
# ``shifts`` and ``axes`` are tuples of one entry per rolled axis, each axis once and each
# shift in ``0 < s < n`` (fad.numpy.roll normalises NumPy's arguments into this form). A
# permutation of the entries: its derivative is the same roll, its transpose the opposite.


def _roll_impl(x, *, shifts, axes):
    x = np.asarray(x)
    for s, ax in zip(shifts, axes, strict=True):  # two slices joined: cheaper than np.roll
        head = (slice(None),) * ax
        x = np.concatenate((x[head + (slice(-s, None),)], x[head + (slice(None, -s),)]), axis=ax)
    return x


roll_p = Primitive("roll", _roll_impl)
roll_p.jvp = linear_unary_jvp(roll_p)
roll_p.vjp = lambda ct, ans, primals, wants, *, shifts, axes: (
    roll(ct, shifts=tuple(shape_of(ct)[a] - s for s, a in zip(shifts, axes, strict=True)), axes=axes),
)
roll_p.batch = lambda vals, bdims, *, shifts, axes: (
    roll(vals[0], shifts=shifts, axes=tuple(a + 1 for a in axes)),
    0,
)


def roll(x, *, shifts, axes):
    """Roll ``x`` cyclically by ``shifts[i]`` along ``axes[i]`` (normalised: see above)."""
    if not axes:
        return x
    return bind(roll_p, x, shifts=shifts, axes=axes)


# ---------------------------------------------------------------------- stop_gradient
# The identity, with a zero derivative: transforms treat its output as a constant.

stop_gradient_p = Primitive("stop_gradient", lambda x: x, differentiable=False)
stop_gradient_p.batch = lambda vals, bdims: (stop_gradient(vals[0]), bdims[0])


def stop_gradient(x):
    """``x`` with its derivative cut: every transform above sees a constant.

    >>> import fad
    >>> fad.grad(lambda x: x * fad.stop_gradient(x))(3.0)
    np.float64(3.0)
    """
    return bind(stop_gradient_p, x)


# ----------------------------------------------------------------- residuals
# The reverse rules above read only shapes and dtypes: reverse mode keeps no values.

for _p in (
    reshape_p,
    transpose_p,
    broadcast_to_p,
    reduce_sum_p,
    astype_p,
    getitem_p,
    index_add_zeros_p,
    roll_p,
):
    _p.residuals = ((False, (False,)),)

# --------------------------------------------------------------------- constants
# Creation of constant arrays: no traced input, so no rules; these are the only places
# that allocate new arrays for the transforms (zero tangents, basis vectors).


def _result_dtype(x):
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def zeros(shape, dtype=float):
    return np.zeros(shape, dtype)


def full(shape, value, dtype=None):
    return np.full(shape, value, dtype)


def eye(n, m=None, k=0, dtype=float):
    return np.eye(n, m, k, dtype=dtype)


def zeros_like_value(x):
    """A concrete zero array with the shape and dtype of ``x`` (traced or not)."""
    return np.zeros(shape_of(x), _result_dtype(x))


def to_array(x, dtype=None):
    """Convert a non-traced leaf to a NumPy array (transform inputs)."""
    return np.asarray(x, dtype)
