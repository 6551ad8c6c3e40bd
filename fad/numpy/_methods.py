"""The array interface of traced values: operators and methods, bound late onto
:class:`fad._core.Tracer` so the core never imports fad.numpy."""

from __future__ import annotations

from fad._core import Tracer, _state
from fad._prims import elementwise as ew
from fad._prims.structural import astype
from fad.numpy import _indexing, _products, _reductions, _shape
from fad.numpy._util import _SEQUENCES, coerce


def _require_bool(*xs):
    import numpy as np

    for x in xs:
        dt = x.dtype if hasattr(x, "dtype") else np.result_type(x)
        if dt != np.bool_:
            raise TypeError(
                f"&, |, ^ and ~ on traced values are supported for booleans only (got {dt}); "
                "fad has no bitwise integer operations."
            )


def _boolean_op(prim_name, swap):
    from fad._core import REGISTRY, bind

    def op(self, other):
        other = coerce(other)
        _require_bool(self, other)
        a, b = (other, self) if swap else (self, other)
        return bind(REGISTRY[prim_name], a, b)

    return op


def _boolean_invert(self):
    from fad._core import REGISTRY, bind

    _require_bool(self)
    return bind(REGISTRY["logical_not"], self)


def _swap(f):
    return lambda self, other: f(coerce(other), self)


# ndarray methods that are fad.numpy functions of the same name taking the array first
_FORWARDED = frozenset(
    "all any argmax argmin argpartition argsort clip conj conjugate cumprod cumsum nonzero "
    "prod ptp round sort std var".split()
)


def _forward_method(self, name):
    """``x.name(...)`` as ``fad.numpy.name(x, ...)`` for the array methods above."""
    if name in _FORWARDED or name in ("real", "imag"):
        import fad.numpy as fnp

        f = getattr(fnp, name, None)
        if f is not None:
            if name in ("real", "imag"):
                return f(self)
            return lambda *args, **kwargs: f(self, *args, **kwargs)
    raise AttributeError(f"traced value has no attribute {name!r}")


def _fnp():
    import fad.numpy

    return fad.numpy


def _operators(prim):
    """``x op y`` and ``y op x`` for a traced ``x``: straight to the current trace (these are
    the hottest calls in user code, so they skip the bind() layer)."""

    def op(s, o):
        if type(o) in _SEQUENCES:
            o = coerce(o)
        return _state.trace.process(prim, (s, o), {})

    def rop(s, o):
        if type(o) in _SEQUENCES:
            o = coerce(o)
        return _state.trace.process(prim, (o, s), {})

    return op, rop


def _install():
    T = Tracer
    bind_ = ew.bind
    T.__add__, T.__radd__ = _operators(ew.add_p)
    T.__sub__, T.__rsub__ = _operators(ew.sub_p)
    T.__mul__, T.__rmul__ = _operators(ew.mul_p)
    T.__truediv__, T.__rtruediv__ = _operators(ew.div_p)
    T.__pow__, T.__rpow__ = _operators(ew.pow_p)
    T.__mod__ = lambda s, o: _fnp().mod(s, o)
    T.__rmod__ = lambda s, o: _fnp().mod(o, s)
    T.__floordiv__ = lambda s, o: _fnp().floor_divide(s, o)
    T.__rfloordiv__ = lambda s, o: _fnp().floor_divide(o, s)
    T.__neg__ = lambda s: _state.trace.process(ew.neg_p, (s,), {})
    T.__pos__ = lambda s: s
    T.__abs__ = lambda s: bind_(ew.abs_p, s)
    T.__matmul__ = lambda s, o: _products.matmul(s, o)
    T.__rmatmul__ = _swap(_products.matmul)
    T.__lt__ = _operators(ew.lt_p)[0]
    T.__le__ = _operators(ew.le_p)[0]
    T.__gt__ = _operators(ew.gt_p)[0]
    T.__ge__ = _operators(ew.ge_p)[0]
    T.__eq__ = _operators(ew.eq_p)[0]
    T.__ne__ = _operators(ew.ne_p)[0]
    for op, prim_name in (("and", "logical_and"), ("or", "logical_or"), ("xor", "logical_xor")):
        setattr(T, f"__{op}__", _boolean_op(prim_name, swap=False))
        setattr(T, f"__r{op}__", _boolean_op(prim_name, swap=True))
    T.__invert__ = _boolean_invert
    T.__getitem__ = _indexing.getitem

    T.T = property(lambda s: _shape.transpose(s))
    T.mT = property(lambda s: _shape.swapaxes(s, -1, -2))
    # the reductions take NumPy's arguments, in ndarray's order (out, keepdims, initial, where)
    T.sum = lambda s, *args, **kwargs: _reductions.sum(s, *args, **kwargs)
    T.mean = lambda s, *args, **kwargs: _reductions.mean(s, *args, **kwargs)
    T.max = lambda s, *args, **kwargs: _reductions.max(s, *args, **kwargs)
    T.min = lambda s, *args, **kwargs: _reductions.min(s, *args, **kwargs)
    T.reshape = lambda s, *shape, order="C": _shape.reshape(s, shape[0] if len(shape) == 1 else shape, order)
    T.transpose = lambda s, *axes: _shape.transpose(
        s, None if not axes else (axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes)
    )
    T.swapaxes = _shape.swapaxes
    T.squeeze = lambda s, axis=None: _shape.squeeze(s, axis)
    T.ravel = lambda s, order="C": _shape.ravel(s, order)
    T.flatten = lambda s, order="C": _shape.ravel(s, order)  # a traced value is never shared
    T.astype = lambda s, dtype: astype(s, dtype)
    T.dot = lambda s, o: _products.dot(s, o)
    T.copy = lambda s: s
    T.__array_priority__ = 1000
    T.at = property(lambda s: _indexing._IndexUpdateHelper(s))
    T.repeat = lambda s, repeats, axis=None: _shape.repeat(s, repeats, axis)
    T.take = lambda s, indices, axis=None, mode=None: _shape.take(s, indices, axis, mode=mode)
    T.diagonal = lambda s, offset=0, axis1=0, axis2=1: _shape.diagonal(s, offset, axis1, axis2)
    T.trace = lambda s, offset=0, axis1=0, axis2=1, dtype=None: _shape.trace(s, offset, axis1, axis2, dtype)
    T.__getattr__ = _forward_method
    T.item = lambda s: s._no_conversion(".item()", "Keep it as an array, or call fad.stop_gradient(x) first.")
    T.tolist = lambda s: s._no_conversion(".tolist()", "Keep it as an array.")


_install()
