"""Arrays of other libraries: Dask, CuPy and any array of the Python array API standard
(PyTorch tensors, array-api-strict, through ``array-api-compat``).

NumPy stays the fast path. The bottom trace (``EvalTrace`` in ``fad/_core.py``) gives a
primitive's arguments straight to its NumPy ``impl`` when each has one of ``NUMPY_TYPES``
(one pass in C, the test it made before to refuse tracers); every other argument comes
here, to :func:`evaluate`: a tracer is refused (it escaped its transform), an array of
another library selects that library's *backend*, which evaluates the primitive:

1. with the primitive's ``array_api_impl(xp, *args, **params)``, if it declares one (``xp``
   is the array-API namespace of the arguments, from ``array_api_compat``);
2. else, on Dask and CuPy, with ``impl`` itself: their arrays take NumPy's functions (NEP
   13 and NEP 18). On Dask an elementwise primitive runs per block (``elemwise``), and a
   NumPy function Dask would compute rather than build a graph for is refused;
3. else, for a NumPy ufunc ``impl``, with the standard's function of the same meaning
   (``numpy.arcsin`` is ``xp.asin``, ``numpy.power`` is ``xp.pow``);
4. else with a :class:`BackendError` naming the primitive and the library.

Libraries whose dtypes are not NumPy's (PyTorch, array-api-strict) are boxed while a
transform runs (:class:`BackendArray`: NumPy's shape and dtype for fad's rules, the
library's array inside) and unboxed in the results; Dask and CuPy arrays are used as they
are. ``array_api_compat`` is imported the first time an array of another library is seen.
"""

from __future__ import annotations

import functools
import sys
import warnings
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from fad import _core
from fad._core import NUMPY_TYPES, TRACER_TYPES, FadError, Tracer, TracerConversionError, escaped_error

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType


class BackendError(FadError, TypeError):
    """An operation fad cannot perform on the array library of its arguments (a primitive
    without an implementation there, arrays of two libraries in one operation)."""


NUMPY_TYPES.update({np.ndarray, float, int, bool, complex})
NUMPY_TYPES.update(np.dtype(c).type for c in "?bhilqpBHILQPefdgFDG")
ELEMENTWISE_BATCH_RULES: set[Callable[..., Any]] = (
    set()
)  # the batch rules of elementwise primitives (fad._rules)


class _Computed(Exception):
    pass


def _refuse_to_compute(*args: Any, **kwargs: Any) -> NoReturn:
    raise _Computed("a Dask graph was computed inside a primitive")


#: The dtypes of the standard, by NumPy name (what a boxed backend maps both ways).
_DTYPES = "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64 complex128"
#: NumPy ufuncs whose name in the standard differs.
_STANDARD_NAMES = {
    "absolute": "abs",
    "arccos": "acos",
    "arccosh": "acosh",
    "arcsin": "asin",
    "arcsinh": "asinh",
    "arctan": "atan",
    "arctanh": "atanh",
    "arctan2": "atan2",
    "power": "pow",
    "true_divide": "divide",
    "conjugate": "conj",
    "invert": "bitwise_invert",
}


class Backend:
    """One array library: its name, its array-API namespace ``xp``, and how fad treats it."""

    def __init__(self, name: Any, xp: Any, boxed: Any, dispatches: Any) -> None:
        self.name, self.xp = name, xp
        self.boxed = boxed  # dtypes not NumPy's: boxed as BackendArray while traced
        self.dispatches = dispatches  # takes NumPy's functions (NEP 13/18) and NumPy arrays
        self.lazy = name == "dask"
        self.to_numpy_dtype, self.from_numpy_dtype = {}, {}
        for n in _DTYPES.split():
            dt = getattr(xp, n, None)
            if dt is not None:
                self.to_numpy_dtype[dt] = np.dtype(n)
                self.from_numpy_dtype[np.dtype(n)] = dt

    def __repr__(self) -> str:
        return f"<fad backend {self.name}>"

    def dtype(self, dtype: Any) -> Any:
        """A NumPy dtype (or ``float``, ...) as this library's."""
        if dtype is None or not self.boxed or not isinstance(dtype, (np.dtype, type)):
            return dtype
        return self.from_numpy_dtype[np.dtype(dtype)]

    def apply(self, prim: Any, args: Any, params: Any) -> Any:
        """The value of ``prim`` on ``args`` (arrays of this library, NumPy values); the
        library's own refusals (Dask's chunking rules, ...) name the operation."""
        try:
            return self._apply(prim, args, params)
        except FadError:
            raise
        except (TypeError, ValueError, IndexError, NotImplementedError) as e:
            if isinstance(e, TypeError) and "NotImplemented" in str(e):
                raise self._unsupported(prim) from e
            msg = str(e).strip().replace("\n", " ")
            raise BackendError(f"The operation '{prim.name}' failed on {self.name} arrays: {msg}") from e

    def _apply(self, prim: Any, args: Any, params: Any) -> Any:
        xp = self.xp
        impl = prim.array_api_impl
        boxed = False
        if self.boxed:
            like = _first_array(args, self)
            boxed = _any_boxed(args)  # (inside a transform: the result is boxed too)
            args = self._unbox_args(args, prim, like.raw if type(like) is BackendArray else like)
            if "dtype" in params:
                params = dict(params, dtype=self.dtype(params["dtype"]))
        if impl is not None:
            out = impl(xp, *args, **params)
        elif self.dispatches:
            if not self.lazy and any(type(a) is np.ndarray and a.ndim for a in args):
                raise mixed_error(self.name, "numpy", prim)  # (CuPy: not on the same device)
            out = self._dispatch(prim, args, params)
        elif isinstance(prim.impl, np.ufunc) and not params:
            f = getattr(xp, _STANDARD_NAMES.get(prim.impl.__name__, prim.impl.__name__), None)
            if f is None:
                raise self._unsupported(prim)
            out = f(*args)
        else:
            raise self._unsupported(prim)
        return self.box(out) if boxed else out

    def _dispatch(self, prim: Any, args: Any, params: Any) -> Any:
        """``prim.impl`` on Dask or CuPy arrays, through NumPy's protocols. On Dask, an
        elementwise primitive NumPy does not dispatch runs per block (exact); and nothing may
        compute: a NumPy function Dask does not implement is an error, not a silent compute."""
        if self.lazy:
            import dask

            if prim.batch in ELEMENTWISE_BATCH_RULES and not isinstance(prim.impl, np.ufunc):
                from dask.array.core import elemwise

                return elemwise(functools.partial(prim.impl, **params) if params else prim.impl, *args)
            try:
                with warnings.catch_warnings(), dask.config.set(scheduler=_refuse_to_compute):
                    warnings.simplefilter("error", FutureWarning)
                    return prim.impl(*args, **params)
            except (FutureWarning, _Computed) as e:
                raise self._unsupported(prim) from e
        try:
            return prim.impl(*args, **params)
        except TypeError as e:
            if "NotImplemented" not in str(e) and "not supported" not in str(e):
                raise
            raise self._unsupported(prim) from e

    def _unbox_args(self, args: Any, prim: Any, like: Any) -> Any:
        out = []
        for a in args:
            t = type(a)
            if t is BackendArray:
                out.append(a.raw)
            elif t in (list, tuple):
                out.append(t(self._unbox_args(a, prim, like)) if a else a)
            elif t in NUMPY_TYPES:
                if getattr(a, "ndim", 0) != 0:
                    raise mixed_error(self.name, "numpy", prim)
                out.append(self.scalar(a.item() if hasattr(a, "item") else a, like))
            else:
                out.append(a)
        return out

    def scalar(self, v: Any, like: Any) -> Any:
        """The Python number ``v`` as a 0-d array of this library, with NumPy's rule for a
        number meeting an array (the array's dtype, where the number's kind fits in it)."""
        kind = self.to_numpy_dtype[like.dtype].kind
        fits = {bool: "biufc", int: "iufc", float: "fc", complex: "c"}.get(type(v), "")
        dtype = like.dtype if kind in fits else None
        if dtype is None and isinstance(v, float):
            dtype = self.from_numpy_dtype[np.dtype(np.float64)]
        return self.xp.asarray(v, dtype=dtype)

    def box(self, out: Any) -> Any:
        if isinstance(out, tuple):
            return tuple(self.box(o) for o in out)
        return BackendArray(out, self) if hasattr(out, "shape") and not isinstance(out, np.ndarray) else out

    def full(self, shape: Any, value: Any, dtype: Any) -> Any:
        """A new array of this library (fad's own zeros, ones and seeds)."""
        out = self.xp.full(tuple(shape), value, dtype=self.dtype(dtype))
        return BackendArray(out, self) if self.boxed else out

    def _unsupported(self, prim: Any) -> Any:
        return BackendError(
            f"The operation '{prim.name}' has no implementation for {self.name} arrays: it is "
            f"not in the array API standard, and fad does not run it on {self.name} another way. "
            f"Compute it on NumPy arrays (convert with numpy.asarray, or .compute() a Dask array), "
            f"or give the primitive an array_api_impl (see fad.extend)."
        )


def _first_array(args: Any, backend: Any) -> Any:
    for a in args:
        if type(a) in (list, tuple):
            a = _first_array(a, backend)
        if a is not None and type(a) not in NUMPY_TYPES and backend_of(a) is backend:
            return a
    return None


def _any_boxed(args: Any) -> Any:
    return any(type(a) is BackendArray or (type(a) in (list, tuple) and _any_boxed(a)) for a in args)


def box_tree(tree: Any) -> Any:
    """``tree`` with its arrays of libraries whose dtypes are not NumPy's boxed (the
    arguments of a transformed function that are not differentiated or mapped)."""
    if type(tree) in NUMPY_TYPES or isinstance(tree, Tracer):
        return tree
    if type(tree) in (list, tuple):
        return type(tree)(box_tree(v) for v in tree)
    if type(tree) is dict:
        return {k: box_tree(v) for k, v in tree.items()}
    b = backend_of_type(type(tree), tree)
    return BackendArray(tree, b) if b is not None and b.boxed and type(tree) is not BackendArray else tree


def mixed_error(a: Any, b: Any, prim: Any = None) -> Any:
    where = f" in the operation '{prim.name}'" if prim is not None else ""
    return BackendError(
        f"Arrays of two libraries met{where}: {a} and {b}. fad computes each operation with the "
        f"library of its arguments, and does not convert between {a} and {b} silently. Convert "
        f"the arguments to one library first (Dask arrays also take NumPy arrays)."
    )


# ---------------------------------------------------------------- which library


#: Whether an array of another library has been seen in this process: until then, the
#: per-call checks of the transforms (fad._api, fad._arguments) are skipped.
active = False
_BACKENDS: dict[type, Backend | None] = {}  # by array type; None for NumPy's own types and non-arrays
_BY_NAME: dict[str, Backend] = {}


def backend_of_type(t: Any, x: Any) -> Any:
    """The :class:`Backend` of arrays of type ``t`` (``x`` one of them), or None."""
    try:
        return _BACKENDS[t]
    except KeyError:
        pass
    b = None
    if t is BackendArray:
        b = x.backend
    elif not issubclass(t, (np.ndarray, np.generic, Tracer, list, tuple)) and (
        hasattr(x, "__array_namespace__") or t.__module__.split(".")[0] in ("torch", "dask", "cupy")
    ):
        try:
            import array_api_compat as compat  # (only once an array of another library is seen)
        except ImportError as e:
            raise BackendError(
                f"fad got a {t.__module__}.{t.__name__}; to compute on arrays of other libraries "
                "it needs array-api-compat: pip install 'fad-autodiff[dask]' (or [cupy], [array-api])."
            ) from e

        if compat.is_array_api_obj(x):
            xp = compat.array_namespace(x)
            if compat.is_dask_array(x):
                name, boxed = "dask", False
            elif compat.is_cupy_array(x):
                name, boxed = "cupy", False
            else:
                name, boxed = t.__module__.split(".")[0].replace("_", "-"), True
            b = _BY_NAME.get(name)
            if b is None:
                b = _BY_NAME[name] = Backend(name, xp, boxed=boxed, dispatches=not boxed)
            global active
            active = True
    if t is not BackendArray:
        _BACKENDS[t] = b
    return b


def backend_of(x: Any) -> Any:
    """The backend of a value (traced or not), or None for NumPy values."""
    if isinstance(x, Tracer):
        if not active:  # (a traced value of another library: its array was seen untraced first)
            return None
        while isinstance(x, Tracer):
            x = x._value()
    t = type(x)
    return None if t in NUMPY_TYPES else backend_of_type(t, x)


def evaluate(prim: Any, args: Any, params: Any) -> Any:
    """The bottom trace's evaluation of ``prim`` when an argument is not one of NumPy's."""
    backend = None
    for a in args:
        t = type(a)
        if t in NUMPY_TYPES:
            continue
        if t in TRACER_TYPES:
            raise escaped_error(a, prim)
        if t is list or t is tuple:
            inner = [backend_of(v) for v in a if type(v) not in NUMPY_TYPES]
            for v in a:
                if type(v) in TRACER_TYPES:
                    raise escaped_error(v, prim)
            b = next((b for b in inner if b is not None), None)
        else:
            b = backend_of_type(t, a)
            if b is None and t is not dict:
                NUMPY_TYPES.add(t)  # not an array of another library: the fast path from now on
        if b is None:
            continue
        if backend is None:
            backend = b
        elif b is not backend:
            raise mixed_error(backend.name, b.name, prim)
    if backend is None:
        return prim.impl(*args, **params)
    return backend.apply(prim, args, params)


def concrete(v: Any, what: Any) -> Any:
    """The value under a tracer, for Python control flow (``bool(x)``): a lazy array is
    refused, since fad computes nothing the user did not ask for."""
    t = type(v)
    if t in NUMPY_TYPES:
        return v
    b = backend_of_type(t, v)
    if b is not None and b.lazy:
        raise TracerConversionError(
            f"{what}() was called on a traced {b.name} array (shape {v.shape}): Python control "
            f"flow on it would compute the {b.name} graph in the middle of the transform. fad "
            "never computes a lazy array you did not ask for: choose with "
            "fad.numpy.where(cond, a, b), or compute the condition before the transform."
        )
    return v


_core.evaluate_other, _core.concrete = evaluate, concrete


# ---------------------------------------------------------------- boxed arrays


class BackendArray:
    """An array of a library whose dtypes are not NumPy's (PyTorch, array-api-strict) while
    a transform runs: NumPy's shape and dtype for fad's rules, the library's array in
    ``raw``. Its operators and methods are those of traced values (fad.numpy installs
    them), so every operation on it is a primitive applied by its backend."""

    __slots__ = ("raw", "backend", "shape", "dtype")
    __hash__ = None  # type: ignore[assignment]  # unhashable, like numpy arrays
    __getitem__: Callable[[BackendArray, Any], Any]  # (attached by fad.numpy, as on tracers)
    __array_priority__ = 1000

    def __init__(self, raw: Any, backend: Any) -> None:
        self.raw, self.backend = raw, backend
        self.shape = tuple(int(n) for n in raw.shape)
        self.dtype = backend.to_numpy_dtype[raw.dtype]

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def __len__(self) -> int:
        return self.shape[0]

    def __iter__(self) -> Any:
        return (self[i] for i in range(self.shape[0]))

    def __bool__(self) -> bool:
        return bool(self.raw)

    def __float__(self) -> Any:
        return float(self.raw)

    def __int__(self) -> Any:
        return int(self.raw)

    def __index__(self) -> Any:
        return int(self.raw)

    def __complex__(self) -> Any:
        return complex(self.raw)

    def item(self) -> Any:
        return self.raw.item() if hasattr(self.raw, "item") else float(self.raw)

    def __array__(self, dtype: Any = None, copy: Any = None) -> NoReturn:
        raise _numpy_called(self, "numpy.asarray")

    def __array_ufunc__(self, ufunc: Any, method: Any, *inputs: Any, **kwargs: Any) -> NoReturn:
        raise _numpy_called(self, f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}"))

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func.__name__ in _METADATA:  # answered from the shape and dtype alone
            return func(*[_stand_in(a) for a in args], **kwargs)
        raise _numpy_called(self, f"numpy.{func.__name__}")

    def _stand_in(self) -> Any:
        """A NumPy array of this shape and dtype that holds no memory (a broadcast zero)."""
        return np.broadcast_to(np.zeros((), self.dtype), self.shape)


_METADATA = frozenset("shape ndim size result_type iscomplexobj isrealobj can_cast".split())


def _stand_in(a: Any) -> Any:
    return a._stand_in() if type(a) is BackendArray else a

    def __repr__(self: Any) -> Any:
        return f"BackendArray({self.raw!r})"


def _numpy_called(x: Any, what: Any) -> Any:
    frame: FrameType | None = sys._getframe(1)
    prim = None
    while frame is not None and prim is None:
        prim = frame.f_locals.get("prim") if frame.f_code.co_name in ("_apply", "evaluate") else None
        frame = frame.f_back
    where = f" in the operation '{prim.name}'" if prim is not None else ""
    return BackendError(
        f"{what} was called on a {x.backend.name} array{where}: NumPy cannot compute on it. "
        f"Use fad.numpy's functions (import fad.numpy as np), which run on {x.backend.name}; "
        "a primitive that needs NumPy's own function has no implementation for this library."
    )


def unbox(x: Any) -> Any:
    """A result leaving fad: the library's own array."""
    return x.raw if type(x) is BackendArray else x


def box_input(x: Any) -> Any:
    """A transform's input that is an array of another library: boxed if its dtypes are
    not NumPy's; None if ``x`` is not an array fad knows."""
    b = backend_of_type(type(x), x)
    if b is None:
        return None
    return BackendArray(x, b) if b.boxed and type(x) is not BackendArray else x


def like(value: Any, x: Any) -> Any:
    """The NumPy array ``value`` (a basis, a seed) on the library of ``x``."""
    b = backend_of(x)
    if b is None:
        return value
    if b.boxed:
        return BackendArray(b.xp.asarray(value, dtype=b.dtype(value.dtype)), b)
    return b.xp.asarray(value)  # (Dask: a one-chunk array, so graphs hold no large constant)
