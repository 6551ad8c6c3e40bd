"""What every transform does to its arguments and results: checking and converting the
leaves (with errors that name a leaf by its key path), argnums, has_aux, the output checks,
and handing out results the caller owns. Shared by fad._api, fad._jacobians and
fad._linearize.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import numpy as np

from fad import _backend, _fpe
from fad import _prims as st
from fad._core import NUMPY_TYPES, Tracer, _state
from fad._tree import leaf_path_str, tree_flatten, tree_unflatten

_BOXED = {_backend.BackendArray}
#: JAX's dtype for the (empty) tangent of an integer or boolean value.
float0 = np.dtype([("float0", np.void, 0)])

P = ParamSpec("P")
R = TypeVar("R")


def _call(trace: Any, fun: Any, args: Any, kwargs: Any = None) -> Any:
    """Run ``fun`` with ``trace`` current; the trace is dead once it returns."""
    st_ = _state
    prev = st_.trace
    st_.trace = trace
    try:
        return fun(*args, **(kwargs or {}))
    except AttributeError as e:
        if str(e) != "'numpy.ndarray' object has no attribute 'at'":
            raise
        raise AttributeError(
            f"x.at[...] was used on a plain NumPy array inside fad.{trace.name}. Values that "
            f"fad.{trace.name} traces have .at, and so do the arrays fad.numpy's creation "
            "functions return, but this one is a NumPy array (an argument that is not "
            "differentiated or mapped, or a NumPy result). Write fad.numpy.at(x)[idx].set(v), "
            "which works on any array, or make it with fad.numpy.asarray(x) first."
        ) from e
    finally:
        st_.trace = prev


def _user_call(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` as one user call: NumPy's floating-point warnings inside it point at the
    user's line (see fad._fpe)."""

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _fpe.enter()
        try:
            return fn(*args, **kwargs)
        finally:
            _fpe.leave(token)

    return call


def _check_callable(fun: Any, name: Any) -> None:
    if not callable(fun):
        raise TypeError(f"fad.{name} expects a callable as its first argument, got {fun!r}.")


class _LeafName:
    """A leaf's name in an error message (``argument 0 at ['W1']``), worked out from the key
    path only when a message is built: ``tree`` holds one entry per argument, ``numbers``
    the argument number of each entry (default: its position)."""

    __slots__ = ("what", "tree", "index", "numbers")

    def __init__(self, what: Any, tree: Any, index: Any, numbers: Any = None) -> None:
        self.what, self.tree, self.index, self.numbers = what, tree, index, numbers

    def __str__(self) -> str:
        path = leaf_path_str(self.tree, self.index)  # "[0]['W1']"
        head, _, rest = path.partition("]")
        if not head.startswith("[") or not head[1:].isdigit():
            return f"{self.what} {path}".rstrip()
        pos = int(head[1:])
        number = self.numbers[pos] if self.numbers is not None else pos
        return f"{self.what} {number}" + (f" at {rest}" if rest else "")


class _LazyStr:
    __slots__ = ("fn", "arg")

    def __init__(self, fn: Callable[[Any], str], arg: Any) -> None:
        self.fn, self.arg = fn, arg

    def __str__(self) -> str:
        return self.fn(self.arg)


def _leaf_to_value(x: Any, where: Any, *where_args: Any) -> Any:
    """A pytree leaf as an array (or the tracer it already is); reject what is not numeric.
    ``where.format(*where_args)`` names the leaf in errors (formatted only then: this runs
    for every leaf of every call)."""
    if type(x) is np.ndarray and x.dtype.kind in "biufc":  # the common case first
        return x
    if isinstance(x, Tracer):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        arr = x
    elif isinstance(x, (bool, int, float, complex)):
        arr = st.to_array(x)
    elif (arr := _backend.box_input(x)) is not None:  # an array of another library
        pass
    else:
        where = where.format(*where_args)
        raise TypeError(
            f"{where} is a {type(x).__name__} ({x!r:.60}), not an array. Transforms take "
            "arrays, Python numbers and pytrees of them (tuples, lists, dicts, namedtuples, "
            "attrs classes); register other containers with fad.tree_util.register_pytree_node, "
            "or pass non-array values through a closure."
        )
    if arr.dtype.kind not in "biufc":
        where = where.format(*where_args)
        raise TypeError(f"{where} has dtype {arr.dtype}, which fad cannot trace. Pass a numeric array.")
    return arr


def _is_float(x: Any) -> Any:
    return x.dtype.kind in "fc"  # real or complex: the dtypes that carry a derivative


def _require_float(x: Any, fname: Any, where: Any, holomorphic: Any = False, real_only: Any = False) -> None:
    """Refuse an input ``x`` that carries no derivative, as JAX does: an integer or boolean
    one; a real one with ``holomorphic=True``; a complex one in a forward-mode Jacobian
    without it (``real_only``)."""
    kind = x.dtype.kind
    if holomorphic:
        if kind != "c":
            raise TypeError(
                f"{fname} with holomorphic=True requires inputs with complex dtype, but got "
                f"{x.dtype.name} ({where}). Pass a complex array (x.astype(complex)), or drop "
                "holomorphic=True."
            )
        return
    if kind == "f" or (kind == "c" and not real_only):
        return
    if kind == "c":
        raise TypeError(
            f"{fname} requires real-valued inputs (input dtype that is a sub-dtype of "
            f"np.floating), but got {x.dtype.name} ({where}). For holomorphic differentiation, "
            "pass holomorphic=True. For differentiation of non-holomorphic functions involving "
            "complex inputs or integer inputs, use fad.jvp directly."
        )
    raise TypeError(
        f"fad.{fname} requires floating-point inputs, but {where} has dtype {x.dtype}. "
        f"Differentiate with respect to a float array instead (e.g. x.astype(float), or 1.0 "
        f"instead of 1), or leave this argument out of argnums."
    )


def _require_output_dtype(dtype: Any, fname: Any, holomorphic: Any) -> None:
    """JAX's checks of a differentiated output's dtype in grad, jacrev and jacfwd."""
    if holomorphic:
        if dtype.kind != "c":
            raise TypeError(
                f"{fname} with holomorphic=True requires outputs with complex dtype, but got "
                f"{dtype.name}. Drop holomorphic=True for a real-valued function."
            )
    elif dtype.kind == "c":
        raise TypeError(
            f"{fname} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
            "holomorphic=True. For differentiation of non-holomorphic functions involving "
            "complex outputs, use fad.vjp directly (or differentiate a real part, abs or "
            "abs squared)."
        )


def _normalize_argnums(argnums: Any, nargs: Any, fname: Any) -> Any:
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    if single:
        nums: tuple[int, ...] = (int(argnums),)
    elif isinstance(argnums, (tuple, list)) and all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in argnums
    ):
        nums = tuple(int(a) for a in argnums)
    else:
        raise TypeError(
            f"fad.{fname}: argnums must be an int or a tuple of ints, got {argnums!r}. Write "
            "argnums=0 for the first positional argument, or argnums=(0, 1) for several."
        )
    if not nums:
        raise ValueError(f"fad.{fname}: argnums must name at least one argument.")
    for a in nums:
        if not -nargs <= a < nargs:
            raise TypeError(
                f"fad.{fname}: argnums={argnums!r} asks to differentiate with respect to "
                f"positional argument {a}, but the function was called with {nargs} "
                "positional argument(s). Pass that argument positionally, or change argnums."
            )
    nums = tuple(a % nargs for a in nums)
    if len(set(nums)) != len(nums):
        raise ValueError(
            f"fad.{fname}: argnums={argnums!r} names the same argument more than once. List "
            "each argument once."
        )
    return single, nums


def _argnums_checker(argnums: Any, fname: Any) -> Any:
    """``check(nargs) -> (single, nums)``: :func:`_normalize_argnums` for a transformed
    function, remembered per number of positional arguments (it runs on every call)."""
    seen: dict[int, Any] = {}

    def check(nargs: Any) -> Any:
        norm = seen.get(nargs)
        if norm is None:
            norm = seen[nargs] = _normalize_argnums(argnums, nargs, fname)
        return norm

    return check


def _split_args(fun: Any, args: Any, kwargs: Any, argnums: Any) -> Any:
    """``fun`` as a function of the ``argnums`` arguments only (the rest closed over)."""
    if len(args) > len(argnums) and not NUMPY_TYPES.issuperset(map(type, args)):  # another library's?
        args = [_backend.box_tree(a) for a in args]

    def partial(*dyn: Any) -> Any:
        full = list(args)
        for i, a in zip(argnums, dyn, strict=True):
            full[i] = a
        return fun(*full, **kwargs)

    return partial, tuple(args[i] for i in argnums)


def _flat_inputs(tree: Any, fname: Any, what: Any) -> Any:
    leaves, treedef = tree_flatten(tree)
    return [
        _leaf_to_value(x, "{} of fad.{}", _LeafName(what, treedef, i), fname) for i, x in enumerate(leaves)
    ], treedef


def _split_aux(out: Any, has_aux: Any, fname: Any) -> Any:
    if not has_aux:
        return out, None
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(
            f"fad.{fname}(..., has_aux=True) expects the function to return a pair "
            f"(output, aux), but it returned {_describe(out)}. Return a tuple "
            "(output, aux), or drop has_aux=True."
        )
    return out[0], out[1]


def _describe(x: Any) -> Any:
    """A user-facing description of a returned value (never an internal tracer class)."""
    if isinstance(x, Tracer) or isinstance(x, (np.ndarray, np.generic)):
        return f"an array of shape {tuple(_shape_of(x))} and dtype {_dtype_of(x)}"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"a {type(x).__name__}"


def _owned(leaves: Any, given: Any = ()) -> Any:
    """Concrete results as arrays the caller owns: a read-only array (a broadcast, a
    constant), one the caller passed in (in ``given``, the call's arrays) or a view of one,
    and one already handed out as an earlier leaf of the same result are copied, so
    mutating a result never changes another value."""
    for x in leaves:  # (a loop, not any(<generator>): this runs on every call)
        if isinstance(x, np.ndarray):
            break
    else:
        if not _backend.active or _BOXED.isdisjoint(map(type, leaves)):
            return leaves  # traced values and NumPy scalars (a nested transform's results)
        return [_backend.unbox(x) for x in leaves]  # arrays of another library
    seen = set()
    for g in given:
        seen.add(id(g))
        base = getattr(g, "base", None)
        if base is not None:
            seen.add(id(base))
    out = []
    for x in leaves:
        if type(x) in _BOXED:  # another library's array
            x = x.raw
        if type(x) is not np.ndarray and isinstance(x, np.ndarray):
            x = x.view(np.ndarray)  # (fad.numpy's Array, a subclass: results are plain arrays)
        if type(x) is np.ndarray:
            base = x.base
            if not x.flags.writeable or id(x) in seen or (base is not None and id(base) in seen):
                x = x.copy()
            seen.add(id(x))
        out.append(x)
    return out


def _owned_tree(tree: Any, given: Any = ()) -> Any:
    if isinstance(tree, (Tracer, np.generic)):
        return tree  # (one traced leaf, or a NumPy scalar, immutable: nothing to own)
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, _owned(leaves, given))


def _lower_tree(trace: Any, tree: Any) -> Any:
    """Strip ``trace``'s tracers from ``tree`` (their values one level down)."""
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, [trace.lower(x) for x in leaves])


def _shape_of(x: Any) -> Any:
    return x.shape if hasattr(x, "shape") else np.shape(x)


def _dtype_of(x: Any) -> Any:
    if hasattr(x, "dtype"):
        d = x.dtype
        if _backend.active and not isinstance(d, np.dtype):  # another library's
            return _backend.box_input(x).dtype
        return d
    return np.result_type(x)


def _check_outputs(flat_out: Any, fname: Any) -> None:
    """Reject output leaves that are not numbers or numeric arrays (strings, objects)."""
    for i, o in enumerate(flat_out):
        if isinstance(o, Tracer):
            continue
        if isinstance(o, (np.ndarray, np.generic)):
            ok = o.dtype.kind in "biufc" or o.dtype == float0
        elif _backend.backend_of(o) is not None:
            ok = _backend.box_input(o).dtype.kind in "biufc"
        else:
            ok = isinstance(o, (bool, int, float, complex))
        if not ok:
            what = f"dtype {o.dtype}" if hasattr(o, "dtype") else f"a {type(o).__name__} ({o!r:.40})"
            raise TypeError(
                f"The function transformed by fad.{fname} returned {what} as output leaf {i}; "
                "outputs must be numeric arrays or Python numbers (or pytrees of them). Return "
                "non-array values through has_aux=True (where supported) or a closure."
            )


def _check_not_none_args(dyn: Any, nums: Any, fname: Any) -> None:
    for k, a in zip(nums, dyn, strict=True):
        if a is None:
            raise TypeError(
                f"fad.{fname} was asked to differentiate with respect to argument {k}, but it is "
                "None. Pass an array (or a pytree of arrays) there, or leave the argument out of "
                "argnums."
            )


def _output_value(x: Any) -> Any:
    """Python numbers returned by a transformed function become NumPy values."""
    if type(x) in (bool, int, float, complex):  # not NumPy scalars (np.float64 is a float)
        return st.to_array(x)
    return x


def _check_cotangent(c: Any, out: Any, i: Any, fname: Any) -> Any:
    expected_shape, expected_dtype = _shape_of(out), _dtype_of(out)
    if expected_dtype.kind not in "fc":
        # an integer or boolean output carries no derivative: its cotangent (float0, as in
        # JAX, or the output's own dtype) is checked for shape and then ignored
        if _dtype_of(c) not in (float0, expected_dtype) or tuple(_shape_of(c)) != tuple(expected_shape):
            raise TypeError(
                f"Output {i} of the function given to fad.{fname} has dtype {expected_dtype}, which "
                f"carries no derivative; its cotangent must be float0 zeros of shape "
                f"{tuple(expected_shape)}: np.zeros({tuple(expected_shape)}, fad.float0)."
            )
        return c
    if isinstance(c, (bool, np.bool_)) or getattr(c, "dtype", None) == np.bool_:
        raise TypeError(
            f"The cotangent {i} passed to the fad.{fname} pullback is a boolean; cotangents "
            f"are numbers of the output's dtype ({expected_dtype}). Pass a float array."
        )
    if isinstance(c, (int, float)) or (isinstance(c, complex) and expected_dtype.kind == "c"):
        c = st.to_array(c, expected_dtype)
    elif not isinstance(c, (Tracer, np.ndarray, np.generic)):
        c = _leaf_to_value(c, "cotangent {} of the fad.{} pullback", i, fname)
    if tuple(_shape_of(c)) != tuple(expected_shape):
        raise ValueError(
            f"The cotangent {i} passed to the fad.{fname} pullback has shape {_shape_of(c)}, "
            f"but the output it belongs to has shape {expected_shape}."
        )
    if _dtype_of(c) != expected_dtype:
        raise TypeError(
            f"The cotangent {i} passed to the fad.{fname} pullback has dtype {_dtype_of(c)}, "
            f"but the output it belongs to has dtype {expected_dtype}; use "
            f"ct.astype({expected_dtype.name})."
        )
    return c


def _float_leaves(
    dyn: Any, nums: Any, fname: Any, allow_int: Any = False, holomorphic: Any = False, real_only: Any = False
) -> Any:
    """Flatten the differentiated arguments ``dyn`` once, checking that every leaf is a
    float array, real or complex (or, with ``allow_int``, an integer or boolean one; see
    :func:`_require_float` for ``holomorphic`` and ``real_only``): ``(leaves, treedef)`` of
    the tuple ``dyn``."""
    _check_not_none_args(dyn, nums, fname)
    flat, tree = tree_flatten(tuple(dyn))
    values = []
    for i, leaf in enumerate(flat):
        if isinstance(leaf, Tracer) or (type(leaf) is np.ndarray and leaf.dtype.kind in "biufc"):
            value = leaf  # (the common cases: no leaf name built)
        else:
            value = _leaf_to_value(leaf, "{} of fad.{}", _LeafName("argument", tree, i, nums), fname)
        kind = value.dtype.kind
        if (kind != "f" or holomorphic) and not (allow_int and kind in "biu"):
            _require_float(value, fname, _LeafName("argument", tree, i, nums), holomorphic, real_only)
        values.append(value)
    return values, tree


def _require_scalar(out: Any, fname: Any, holomorphic: Any = False) -> None:
    if isinstance(out, (tuple, list, dict)) or out is None:
        raise TypeError(
            f"fad.{fname} requires the function to return a single scalar, but it returned a "
            f"{type(out).__name__}. Return one scalar (use has_aux=True to return extra values "
            "alongside it), or use fad.jacrev / fad.vjp for several outputs."
        )
    shape = _shape_of(out)
    if shape != ():
        raise TypeError(
            f"fad.{fname} requires a scalar output, but the function returned an array of "
            f"shape {shape}. Reduce it to a scalar (for example with .sum()), or use "
            "fad.jacrev / fad.jacfwd for the Jacobian, or fad.vjp for a vector-Jacobian product."
        )
    dtype = _dtype_of(out)
    if dtype.kind != "f" or holomorphic:
        _require_output_dtype(dtype, fname, holomorphic)
        if dtype.kind not in "fc":
            raise TypeError(
                f"fad.{fname} requires a floating-point output, but the function returned "
                f"dtype {dtype}. Make the output a float (integer and boolean values carry no "
                "derivative)."
            )


def _check_chunk_size(chunk_size: Any, fname: Any) -> Any:
    if chunk_size is None:
        return None
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ValueError(
            f"fad.{fname}: chunk_size must be a positive int or None, got {chunk_size!r}. "
            "Pass the number of rows to process at once (e.g. chunk_size=64), or None for all."
        )
    return int(chunk_size)


def _chunks(total: Any, chunk_size: Any, progress: Any = None) -> Any:
    """The ``(start, stop)`` row ranges of ``total`` rows taken ``chunk_size`` at a time; with
    ``progress`` (a label such as ``"fad.jacfwd"``), iterated with a progress bar."""
    step = total if chunk_size is None else chunk_size
    ranges = [(r0, min(r0 + step, total)) for r0 in range(0, total, max(step, 1))]
    return ranges if progress is None else _progress_bar(ranges, progress)


def _check_progress(progress: Any, fname: Any) -> Any:
    """``progress=True`` -> the bar's label, ``False`` -> None."""
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"fad.{fname}: progress must be True or False, got {progress!r}.")
    return f"fad.{fname}" if progress else None


def _progress_bar(items: Any, label: Any) -> Any:
    """Iterate ``items`` (chunks) showing a bar: tqdm's where tqdm is installed, else a
    plain one on standard error, redrawn in place."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        tqdm = None
    if tqdm is not None:
        yield from tqdm(items, desc=label, unit="chunk")
        return
    n, start, width = len(items), time.perf_counter(), 30
    for k, item in enumerate(items):
        yield item
        done = k + 1
        elapsed = time.perf_counter() - start
        left = elapsed / done * (n - done)
        bar = "#" * (width * done // n)
        sys.stderr.write(f"\r{label}: {done}/{n} chunks [{bar:<{width}}] {elapsed:.1f}s, {left:.1f}s left")
        sys.stderr.flush()
    sys.stderr.write("\n")
    sys.stderr.flush()
