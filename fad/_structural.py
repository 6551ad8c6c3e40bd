"""The structural primitives that the rules and the transforms need for their own
bookkeeping: reshape, transpose, broadcast_to, reduce_sum, astype, basic indexing,
concatenate and roll, and the helpers built on them (summing a cotangent back to an
input's shape, moving a batch axis, lining up batched operands). They depend on nothing
but the core, so ``fad._rules`` and every transform can use them; the other primitives
live in ``fad/_prims/``.

All but ``concatenate`` (linear in several arguments) are linear in one argument:
:func:`linear` gives each its forward rule ("apply me to the tangent"), its reverse rule
(its transpose), its Taylor rule (coefficient-wise) and an empty tape entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _backend  # (also installs the evaluation of other libraries' arrays)
from fad._core import Primitive, _state, bind
from fad._pattern_rules import declare, moves, reduces, same_shape, scatters

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


# ----------------------------------------------------------------- linear primitives


def linear(prim: Primitive, transpose: Callable[..., Any]) -> Primitive:
    """Give a primitive that is linear in its one array argument its forward, reverse and Taylor
    rules.

    The forward rule applies the primitive to the tangent, and so does the Taylor rule to
    each coefficient; the reverse rule is `transpose`. Batching is left to you
    (`prim.batch = ...`).

    Args:
        prim: A primitive linear in its one array argument (anything else it takes is a
            parameter).
        transpose: `transpose(ct, x, **params)`: the cotangent of `x` from the output's
            cotangent `ct`, in fad operations. It may read `x`'s shape and dtype, never its
            values: the tape keeps only those.

    Returns:
        `prim` itself, its `jvp`, `vjp` and `taylor` rules set.

    Examples:
        >>> import fad
        >>> from fad import extend
        >>> double_p = extend.linear(
        ...     extend.Primitive("my_double", lambda x: 2.0 * x), lambda ct, x: 2.0 * ct)
        >>> fad.grad(lambda x: extend.bind(double_p, x))(1.5)
        np.float64(2.0)
    """

    def jvp(primals: Any, tangents: Any, **params: Any) -> Any:
        return bind(prim, *primals, **params), bind(prim, tangents[0], **params)

    def vjp(ct: Any, ans: Any, primals: Any, wants: Any, **params: Any) -> Any:
        return (transpose(ct, primals[0], **params),)

    prim.jvp, prim.vjp, prim.taylor = jvp, vjp, linear_taylor(prim)
    prim.residuals = ((False, (False,)),)
    return prim


def linear_taylor(prim: Primitive) -> Callable[..., Any]:
    """The Taylor rule of a primitive linear in its one array argument: coefficient-wise."""

    def taylor(primals: Any, series: Any, order: Any, **params: Any) -> Any:
        return prim.bind(primals[0], **params), [
            None if c is None else prim.bind(c, **params) for c in series[0]
        ]

    return taylor


# ------------------------------------------------------------------ shared rule helpers


def shape_of(x: Any) -> Any:
    return getattr(x, "shape", ())  # () for Python scalars


def size_of(shape: Any) -> Any:
    """The number of elements of an array of ``shape`` (a tuple of ints)."""
    n = 1
    for s in shape:
        n *= s
    return n


def unbroadcast(ct: Any, shape: tuple[int, ...]) -> Any:
    """Sum `ct` back down to `shape`: the inverse of NumPy broadcasting.

    The one shared place where cotangents of broadcast arguments are reduced.

    Args:
        ct: The cotangent of a broadcast result (an array or a traced value).
        shape: The shape of the argument that was broadcast (a tuple of ints).

    Returns:
        `ct` summed over the axes broadcasting added or stretched, of shape `shape` (`ct`
        itself when it already has that shape).

    Examples:
        >>> import fad.numpy as fnp
        >>> from fad import extend
        >>> extend.unbroadcast(fnp.ones((2, 3)), (1, 3))
        array([[2., 2., 2.]])
        >>> extend.unbroadcast(fnp.ones((2, 3)), (3,))
        array([2., 2., 2.])
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


def move_batch_to_front(x: Any, bdim: int) -> Any:
    """Put axis `bdim` of `x` first (one level down, inside a batch rule).

    Args:
        x: A batched value, its batch axis an ordinary axis.
        bdim: The axis of `x` that holds the batch.

    Returns:
        `x` with axis `bdim` moved first (`x` itself when `bdim` is 0).

    Examples:
        >>> import fad.numpy as fnp
        >>> from fad import extend
        >>> extend.move_batch_to_front(fnp.zeros((2, 3, 4)), 2).shape
        (4, 2, 3)
    """
    if bdim == 0:
        return x
    perm = (bdim,) + tuple(i for i in range(x.ndim) if i != bdim)
    return transpose(x, perm)


def moveaxis(x: Any, src: Any, dst: Any) -> Any:
    nd = x.ndim
    src %= nd
    dst %= nd
    if src == dst:
        return x
    perm = [i for i in range(nd) if i != src]
    perm.insert(dst, src)
    return transpose(x, tuple(perm))


def aligned(vals: Any, bdims: Any) -> Any:
    """Whether the operands of a broadcasting operation already line up under vmap: every
    batched one has the largest per-example rank (no size-1 axes to insert)."""
    n = len(vals)
    if n == 2:  # the hot case (binary operations), decided by ranks (batched: one axis more)
        a, b = vals
        if bdims[0] is None:
            return getattr(a, "ndim", 0) < b.ndim
        if bdims[1] is None:
            return getattr(b, "ndim", 0) < a.ndim
        return a.ndim == b.ndim
    if n == 1:
        return True
    ranks = [len(getattr(v, "shape", ())) - (d is not None) for v, d in zip(vals, bdims, strict=True)]
    nd = max(ranks)
    return all(r == nd for r, d in zip(ranks, bdims, strict=True) if d is not None)


def align_batched(vals: Sequence[Any], bdims: Sequence[int | None]) -> Sequence[Any]:
    """Make batched operands of a broadcasting operation line up.

    Every batched value (batch axis first) gets size-1 axes inserted after its batch axis
    so that its per-example rank equals the largest per-example rank; unbatched values
    then broadcast against the per-example axes as NumPy would.

    Args:
        vals: The operands (arrays, scalars or values one level down); the batched ones have
            their batch axis first.
        bdims: Per operand, `0` if it is batched, `None` if not.

    Returns:
        The operands, batched ones reshaped where needed (`vals` itself if they line up).

    Examples:
        >>> import fad.numpy as fnp
        >>> from fad import extend
        >>> x, y = extend.align_batched([fnp.zeros((5, 3)), fnp.zeros((5, 2, 3))], [0, 0])
        >>> x.shape, y.shape
        ((5, 1, 3), (5, 2, 3))
    """
    if aligned(vals, bdims):
        return vals
    ranks = [len(getattr(v, "shape", ())) - (d is not None) for v, d in zip(vals, bdims, strict=True)]
    nd = max(ranks)
    out = []
    for v, d, r in zip(vals, bdims, ranks, strict=True):
        if d is not None and r < nd:
            shape = v.shape
            v = reshape(v, shape[:1] + (1,) * (nd - r) + shape[1:])
        out.append(v)
    return out


def result_dtype(x: Any) -> Any:
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def _same(**params: Any) -> Any:
    return True


# ------------------------------------------------- jit's code for the structural operations
#
# A NumPy method or ufunc reduction called straight from the generated code, where the
# impl would add a Python call (np.reshape's dispatch alone costs five times the reshape):
# the same NumPy operation, so the same values.


def emit_method(method: str, param: str) -> Callable[..., str]:
    """An ``emit`` writing ``x.method(params[param])`` where ``x`` is sure to be an array."""

    def emit(gen: Any, e: Any, lines: list[str], indent: str) -> str:
        x = gen.array_operand(e.inputs[0])
        return gen.plain_call(e) if x is None else f"{x}.{method}({gen.param(e.params[param])})"

    return emit


def emit_reduction(ufunc: np.ufunc) -> Callable[..., str]:
    """An ``emit`` writing ``ufunc.reduce(x, axes, None, None, keepdims)``."""
    reduce = ufunc.reduce

    def emit(gen: Any, e: Any, lines: list[str], indent: str) -> str:
        f = gen.intern(("fn", f"{ufunc.__name__}.reduce"), reduce, "f")
        axes, keepdims = gen.param(e.params["axes"]), gen.param(e.params["keepdims"])
        return f"{f}({gen.operand(e.inputs[0])}, {axes}, None, None, {keepdims})"

    return emit


# ------------------------------------------------------------------------------ reshape

reshape_p = Primitive(
    "reshape", lambda x, *, shape: np.reshape(x, shape), noop_if=_same, collapses=True, odd=True
)
reshape_p.array_api_impl = lambda xp, x, *, shape: xp.reshape(x, tuple(shape))
reshape_p.emit = emit_method("reshape", "shape")
linear(reshape_p, lambda ct, x, *, shape: reshape(ct, x.shape))
reshape_p.batch = lambda vals, bdims, *, shape: (
    reshape(vals[0], (vals[0].shape[0],) + tuple(shape)),
    0,
)
declare(reshape_p, moves(0))


def reshape(x: Any, shape: Any) -> Any:
    """Reshape to a fully specified ``shape`` (no -1; see fad.numpy.reshape)."""
    if shape_of(x) == shape:
        return x
    return _state.trace.process(reshape_p, (x,), {"shape": shape})  # bind, inline (hot)


# ---------------------------------------------------------------------------- transpose

transpose_p = Primitive(
    "transpose",
    lambda x, *, perm: np.transpose(x, perm),
    noop_if=lambda *, perm: tuple(perm) == tuple(range(len(perm))),
    array_api_impl=lambda xp, x, *, perm: xp.permute_dims(x, tuple(perm)),
    odd=True,
    strided_view=True,
    emit=emit_method("transpose", "perm"),
)
linear(transpose_p, lambda ct, x, *, perm: transpose(ct, tuple(int(i) for i in np.argsort(perm))))
transpose_p.batch = lambda vals, bdims, *, perm: (
    transpose(vals[0], (0,) + tuple(p + 1 for p in perm)),
    0,
)
declare(transpose_p, moves(0))


def transpose(x: Any, perm: Any) -> Any:
    if perm == tuple(range(len(perm))):
        return x
    return _state.trace.process(transpose_p, (x,), {"perm": perm})


# ------------------------------------------------------------------------- broadcast_to

_COPY_MAX_SIZE = 2048  # below this, a copy is cheaper than np.broadcast_to's Python wrapper


def _broadcast_to_impl(x: Any, *, shape: Any) -> Any:
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


broadcast_to_p = Primitive("broadcast_to", _broadcast_to_impl, noop_if=_same)
broadcast_to_p.array_api_impl = lambda xp, x, *, shape: xp.broadcast_to(x, tuple(shape))
broadcast_to_p.expands = True  # its operand, broadcast: a ufunc reading it may read the operand (_passes)
linear(broadcast_to_p, lambda ct, x, *, shape: unbroadcast(ct, shape_of(x)))


def _broadcast_to_batch(vals: Any, bdims: Any, *, shape: Any) -> Any:
    x = vals[0]
    b = x.shape[0]
    pad = len(shape) - (x.ndim - 1)
    x = reshape(x, (b,) + (1,) * pad + tuple(x.shape[1:]))
    return broadcast_to(x, (b,) + tuple(shape)), 0


broadcast_to_p.batch = _broadcast_to_batch
declare(broadcast_to_p, moves(0))


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Any:
    """`x` broadcast to `shape` by NumPy's rules, traced.

    Its transpose sums the cotangent over the broadcast axes (`unbroadcast`).

    Args:
        x: An array, a scalar or a traced value.
        shape: The shape to broadcast to (a tuple of ints).

    Returns:
        `x` broadcast to `shape` (`x` itself when it already has that shape).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> from fad import extend
        >>> extend.broadcast_to(fnp.array([1.0, 2.0]), (2, 2))
        array([[1., 2.],
               [1., 2.]])
        >>> fad.grad(lambda x: extend.broadcast_to(x, (3,)).sum())(1.0)
        np.float64(3.0)
    """
    if shape_of(x) == shape:
        return x
    return _state.trace.process(broadcast_to_p, (x,), {"shape": shape})


# ------------------------------------------------------------------------------ sum

# np.add.reduce is what np.sum calls for arrays, without np.sum's Python wrapper (which
# costs more than summing a small array)
# (not odd: sum(-x) is -sum(x) but for the sign of a zero sum, 1 + -1 against -(-1 + 1),
# so jit keeps a negation before a sum where it is)
reduce_sum_p = Primitive(
    "reduce_sum", lambda x, *, axes, keepdims: np.add.reduce(x, axis=axes, keepdims=keepdims)
)
reduce_sum_p.array_api_impl = lambda xp, x, *, axes, keepdims: xp.sum(x, axis=axes, keepdims=keepdims)
reduce_sum_p.emit = emit_reduction(np.add)


def expand_reduced(ct: Any, in_shape: Any, axes: Any, keepdims: Any) -> Any:
    """Give a reduction's cotangent back its reduced axes (as size-1 axes), where
    broadcasting against the input's shape needs them (not for leading axes)."""
    if keepdims or axes == tuple(range(len(axes))):
        return ct
    kept = tuple(1 if i in axes else s for i, s in enumerate(in_shape))
    return reshape(ct, kept)


def _reduce_sum_transpose(ct: Any, x: Any, *, axes: Any, keepdims: Any) -> Any:
    shape = shape_of(x)
    return broadcast_to(expand_reduced(ct, shape, axes, keepdims), shape)


linear(reduce_sum_p, _reduce_sum_transpose)
reduce_sum_p.batch = lambda vals, bdims, *, axes, keepdims: (
    reduce_sum(vals[0], axes=tuple(a + 1 for a in axes), keepdims=keepdims),
    0,
)
declare(reduce_sum_p, reduces)


def reduce_sum(x: Any, *, axes: Any, keepdims: Any = False) -> Any:
    """Sum over ``axes`` (a tuple of non-negative ints)."""
    return _state.trace.process(reduce_sum_p, (x,), {"axes": axes, "keepdims": keepdims})


# ------------------------------------------------------------------------------ astype
# Linear between float dtypes, real or complex; a conversion to or from an integer has no
# derivative. Complex to real keeps the real part (silently here: fad.numpy's astype warns
# as NumPy does), so its transpose, real to complex, gives the real cotangent as complex,
# and the transpose of real to complex keeps the cotangent's real part (as JAX).


def _is_float(dtype: Any) -> Any:
    return np.issubdtype(dtype, np.inexact)


def _astype_impl(x: Any, *, dtype: Any) -> Any:
    x = np.asarray(x)
    if x.dtype.kind == "c" and dtype.kind != "c":
        x = x.real
    return x.astype(dtype)


astype_p = Primitive("astype", _astype_impl, noop_if=_same)
astype_p.array_api_impl = lambda xp, x, *, dtype: xp.astype(
    xp.real(x)
    if xp.isdtype(x.dtype, "complex floating") and not xp.isdtype(dtype, "complex floating")
    else x,
    dtype,
)


def _astype_jvp(primals: Any, tangents: Any, *, dtype: Any) -> Any:
    out = astype(primals[0], dtype)
    if not (_is_float(dtype) and _is_float(primals[0].dtype)):
        return out, None
    return out, astype(tangents[0], dtype)


def _astype_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, dtype: Any) -> Any:
    x = primals[0]
    if not (_is_float(dtype) and _is_float(x.dtype)):
        return (None,)
    return (astype(ct, x.dtype),)


astype_p.jvp = _astype_jvp
astype_p.vjp = _astype_vjp
astype_p.batch = lambda vals, bdims, *, dtype: (astype(vals[0], dtype), 0)
astype_p.taylor = linear_taylor(astype_p)
astype_p.residuals = ((False, (False,)),)  # the reverse rule reads x's dtype only
# a conversion to or from an integer has no derivative, so no dependence
declare(astype_p, same_shape(lambda vals, *, dtype: _is_float(dtype) and _is_float(result_dtype(vals[0]))))


def astype(x: Any, dtype: Any) -> Any:
    dtype = np.dtype(dtype)
    if getattr(x, "dtype", None) == dtype:
        return x
    return bind(astype_p, x, dtype=dtype)


def real_dtype(dtype: Any) -> Any:
    """The real dtype of the same precision (float32 for complex64)."""
    return np.finfo(dtype).dtype if dtype.kind == "c" else dtype


def cotangent_of(c: Any, x: Any) -> Any:
    """``c`` as the cotangent of ``x``: its real part when ``x`` is real and ``c`` complex
    (a rule's arguments promoted to complex). The pairing ``Re(sum(ct * t))`` of a real
    tangent reads only ``Re(ct)``, as JAX drops the imaginary part."""
    cd, xd = c.dtype, getattr(x, "dtype", None)
    if cd != xd and cd.kind == "c" and xd is not None and xd.kind != "c":
        return astype(c, real_dtype(cd))
    return c


# ------------------------------------------------------------------- basic indexing
# ``idx`` is a static tuple of ints, slices, None and Ellipsis (see fad.numpy.indexing
# for how user indices are normalised into it).

getitem_p = Primitive("getitem", lambda x, *, idx: x[idx])


def _forwards(idx: Any, shape: Any) -> Any:
    """A basic index with its negative-step slices (which PyTorch refuses) taken forwards:
    ``(index, output axes to flip)``, or None if it has none (or has new axes, ``...``,
    arrays)."""
    if not any(type(i) is slice and (i.step or 1) < 0 for i in idx):
        return None
    types = [type(i) for i in idx]
    if type(...) in types:  # ... as the full slices it stands for
        k = types.index(type(...))
        idx = idx[:k] + (slice(None),) * (len(shape) - len(idx) + 1) + idx[k + 1 :]
    fixed, flips, out_axis = [], [], 0
    for ax, i in enumerate(idx):
        if type(i) is slice:
            r = range(shape[ax])[i]
            if (i.step or 1) < 0 and len(r):
                i = slice(r[-1], r[0] + 1, -i.step)
                flips.append(out_axis)
            out_axis += 1
        elif type(i) is not int:
            return None
        fixed.append(i)
    return (*fixed, ...), tuple(flips)


def _getitem_array_api(xp: Any, x: Any, *, idx: Any) -> Any:
    """``x[idx]`` by the standard's rules (an index names every axis, or has ``...``). An
    integer array of several dimensions (sliding windows, a table lookup), which the standard
    and Dask do not take, is flattened, taken, and its axis reshaped back."""
    nd = [k for k, i in enumerate(idx) if isinstance(i, np.ndarray) and i.ndim > 1]
    if nd:
        k = nd[0]
        if len(nd) > 1 or any(i != slice(None) for j, i in enumerate(idx) if j != k):
            raise _backend.BackendError(
                f"getitem: an index with a {idx[k].ndim}-d integer array next to other index "
                f"arrays or partial slices, on {type(x).__module__.split('.')[0]} arrays: not "
                "supported by the array API; index with one array at a time (fad.numpy.take)."
            )
        flat = idx[:k] + (idx[k].ravel(),) + (...,)
        out = _getitem_array_api(xp, x, idx=flat)
        return xp.reshape(out, tuple(x.shape[:k]) + idx[k].shape + tuple(x.shape[k + 1 :]))
    fw = _forwards(idx, x.shape)
    if fw is None:
        return x[idx if type(...) in map(type, idx) else idx + (...,)]
    return xp.flip(x[fw[0]], axis=fw[1])


getitem_p.array_api_impl = _getitem_array_api


def _emit_getitem(gen: Any, e: Any, lines: list[str], indent: str) -> str:
    """Under jit, ``x[idx]`` written out; by one integer array, ``np.take(x, indices, 0)``,
    which NumPy runs a third faster (no index parsing; a gather of the same elements, the
    same errors out of range): a sparse derivative's decompression is one such gather.
    Where every index is in range (checked here, once) and ``x`` is sure to be an array,
    ``x.take(indices, 0, None, "wrap")``: the same elements without np.take's dispatch
    and NumPy's range check at every call (1-2 us a call, a few % of a large gather)."""
    idx, x = e.params["idx"], gen.operand(e.inputs[0])
    if type(idx) is tuple and len(idx) == 1:
        i = idx[0]
        if isinstance(i, np.ndarray) and i.ndim >= 1 and i.dtype.kind in "iu":
            a, n = gen.array_operand(e.inputs[0]), e.inputs[0].shape[0]
            if a is not None and i.size and -n <= int(i.min()) and int(i.max()) < n:
                return f"{a}.take({gen.param(i)}, 0, None, 'wrap')"
            return f"{gen.intern(('fn', 'np.take'), np.take, 'f')}({x}, {gen.param(i)}, 0)"
    return f"{x}[{gen.param(idx)}]"


getitem_p.emit = _emit_getitem
# (an index with an integer or boolean array gathers: NumPy returns a new array)
getitem_p.copies = lambda *, idx: any(  # type: ignore[attr-defined]  # (read by jit)
    isinstance(i, np.ndarray) for i in (idx if type(idx) is tuple else (idx,))
)
linear(getitem_p, lambda ct, x, *, idx: index_add_zeros(ct, idx=idx, shape=shape_of(x)))


def _getitem_batch(vals: Any, bdims: Any, *, idx: Any) -> Any:
    out = getitem(vals[0], (slice(None),) + idx)
    return out, _advanced_result_axis(idx)


def _advanced_result_axis(idx: Any) -> Any:
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
declare(getitem_p, moves(0))


def getitem(x: Any, idx: Any) -> Any:
    return bind(getitem_p, x, idx=idx)


def _index_add_zeros_impl(ct: Any, *, idx: Any, shape: Any) -> Any:
    z = np.zeros(shape, dtype=np.result_type(ct))
    if any(isinstance(i, np.ndarray) for i in idx):
        np.add.at(z, idx, ct)
    else:
        z[idx] = ct
    return z


def _index_add_zeros_array_api(xp: Any, ct: Any, *, idx: Any, shape: Any) -> Any:
    """Zeros of ``shape`` with ``ct`` at the basic index ``idx`` (slices, integers): Dask,
    PyTorch and the standard assign into a new array; an array index (which may repeat, so
    adds) is not among them."""
    if any(hasattr(i, "shape") for i in (idx if isinstance(idx, tuple) else (idx,))):
        raise TypeError(
            "The reverse rule of indexing by an array (x[[0, 2]]) runs on NumPy arrays only; "
            "on other array libraries index with slices and integers."
        )
    idx = idx if isinstance(idx, tuple) else (idx,)
    if any(i is None for i in idx):  # new axes of size 1: drop them from the index and ct
        idx = tuple(i for i in idx if i is not None)
        ct = xp.reshape(ct, np.broadcast_to(np.zeros((), bool), tuple(shape))[idx].shape)
    z = xp.zeros(tuple(shape), dtype=ct.dtype)
    fw = _forwards(idx, tuple(shape))
    if fw is None:
        z[idx] = ct
    else:
        z[fw[0]] = xp.flip(ct, axis=fw[1])
    return z


index_add_zeros_p = Primitive("index_add_zeros", _index_add_zeros_impl)
index_add_zeros_p.array_api_impl = _index_add_zeros_array_api
linear(index_add_zeros_p, lambda ct, x, *, idx, shape: getitem(ct, idx))


def _index_add_zeros_batch(vals: Any, bdims: Any, *, idx: Any, shape: Any) -> Any:
    ct = vals[0]  # batch axis first; put it where x_batched[(slice(None),) + idx] has it
    axis = _advanced_result_axis(idx)
    if axis:
        ct = moveaxis(ct, 0, axis)
    return index_add_zeros(ct, idx=(slice(None),) + idx, shape=(vals[0].shape[0],) + shape), 0


index_add_zeros_p.batch = _index_add_zeros_batch


def _placed_box(*, idx: Any, shape: Any) -> Any:
    """Where ``index_add_zeros`` puts its operand, when that is a box (slices of step 1):
    ``jit`` then adds the operand into a sum's other term there (an array index may repeat,
    so it adds and has no box)."""
    if type(idx) is not tuple or len(idx) > len(shape):
        return None
    return idx if all(type(i) is slice and i.step in (None, 1) for i in idx) else None


index_add_zeros_p.places = _placed_box  # type: ignore[attr-defined]  # (read by jit)
declare(index_add_zeros_p, scatters(lambda ids, vals, *, idx, shape: ids[idx]))


def index_add_zeros(ct: Any, *, idx: Any, shape: Any) -> Any:
    """``zeros(shape)`` with ``ct`` added at ``idx``: the transpose of ``x[idx]``."""
    return bind(index_add_zeros_p, ct, idx=idx, shape=tuple(shape))


# ------------------------------------------------------------------------ concatenate

concatenate_p = Primitive("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis))
concatenate_p.array_api_impl = lambda xp, *xs, axis: xp.concat(xs, axis=axis)


def _concatenate_jvp(primals: Any, tangents: Any, *, axis: Any) -> Any:
    out = concatenate(primals, axis)
    ts = [
        np.zeros(shape_of(p), result_dtype(p)) if t is None else t
        for p, t in zip(primals, tangents, strict=True)
    ]
    return out, concatenate(ts, axis)


def _concatenate_vjp(ct: Any, ans: Any, primals: Any, wants: Any, *, axis: Any) -> Any:
    out = []
    start = 0
    for p, w in zip(primals, wants, strict=True):
        n = shape_of(p)[axis]
        if w:
            idx = (slice(None),) * axis + (slice(start, start + n),)
            out.append(cotangent_of(getitem(ct, idx), p))
        else:
            out.append(None)
        start += n
    return out


def _concatenate_batch(vals: Any, bdims: Any, *, axis: Any) -> Any:
    b = next(v.shape[0] for v, d in zip(vals, bdims, strict=True) if d is not None)
    xs = [
        v if d is not None else broadcast_to(v, (b,) + shape_of(v)) for v, d in zip(vals, bdims, strict=True)
    ]
    return concatenate(xs, axis + 1), 0


concatenate_p.jvp = _concatenate_jvp
concatenate_p.vjp = _concatenate_vjp
concatenate_p.batch = _concatenate_batch
declare(concatenate_p, moves())


def concatenate(xs: Any, axis: Any) -> Any:
    xs = tuple(xs)
    if len(xs) == 1:
        return xs[0]
    return bind(concatenate_p, *xs, axis=axis)


# --------------------------------------------------------------------------------- roll
# ``shifts`` and ``axes`` are tuples of one entry per rolled axis, each axis once and each
# shift in ``0 < s < n`` (fad.numpy.roll normalises NumPy's arguments into this form). A
# permutation of the entries: its derivative is the same roll, its transpose the opposite.


def _roll_impl(x: Any, *, shifts: Any, axes: Any) -> Any:
    x = np.asarray(x)
    for s, ax in zip(shifts, axes, strict=True):  # two slices joined: cheaper than np.roll
        head = (slice(None),) * ax
        x = np.concatenate((x[head + (slice(-s, None),)], x[head + (slice(None, -s),)]), axis=ax)
    return x


roll_p = Primitive("roll", _roll_impl)
roll_p.array_api_impl = lambda xp, x, *, shifts, axes: xp.roll(x, shift=tuple(shifts), axis=tuple(axes))
linear(
    roll_p,
    lambda ct, x, *, shifts, axes: roll(
        ct, shifts=tuple(shape_of(ct)[a] - s for s, a in zip(shifts, axes, strict=True)), axes=axes
    ),
)
roll_p.batch = lambda vals, bdims, *, shifts, axes: (
    roll(vals[0], shifts=shifts, axes=tuple(a + 1 for a in axes)),
    0,
)
declare(roll_p, moves(0))


def roll(x: Any, *, shifts: Any, axes: Any) -> Any:
    """Roll ``x`` cyclically by ``shifts[i]`` along ``axes[i]`` (normalised: see above)."""
    if not axes:
        return x
    return bind(roll_p, x, shifts=shifts, axes=axes)
