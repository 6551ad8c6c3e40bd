# mypy: allow-redefinition-new, local-partial-types
"""What every fad.numpy module shares, at the bottom of the package: the conversion of
arguments to arrays (which fad._prims.wrappers defines, with the wrappers that use it),
shapes of traced and plain values, and NumPy's axis arguments."""

from __future__ import annotations

import inspect
import re
import sys
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Tracer, TracerConversionError
from fad._prims.wrappers import _SEQUENCES as _SEQUENCES  # fad.numpy's modules take them from here
from fad._prims.wrappers import as_array as as_array
from fad._prims.wrappers import binary_fn, unary_fn
from fad._prims.wrappers import check_arraylike as check_arraylike
from fad._prims.wrappers import coerce as coerce
from fad._prims.wrappers import not_an_array as not_an_array

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Protocol, TypeAlias

    from numpy.typing import DTypeLike

    from fad._core import Primitive
    from fad.typing import Array, ArrayLike

    #: NumPy's ``axis`` argument: one axis, several, or None for all of them
    Axis: TypeAlias = int | Sequence[int] | None
    #: a shape: one length or a sequence of them
    Shape: TypeAlias = int | Sequence[int]

    # The signatures of the functions fad.numpy's factories make
    class UnaryFn(Protocol):
        def __call__(self, x: ArrayLike) -> Array: ...

    class BinaryFn(Protocol):
        def __call__(self, x1: ArrayLike, x2: ArrayLike) -> Array: ...

    class Reduction(Protocol):  # max, min, nanmax, nanmin
        def __call__(
            self,
            a: ArrayLike,
            axis: Axis = None,
            out: None = None,
            keepdims: bool = False,
            initial: ArrayLike | None = None,
            where: ArrayLike = True,
        ) -> Array: ...

    class LogicalReduction(Protocol):  # all, any
        def __call__(
            self,
            a: ArrayLike,
            axis: Axis = None,
            out: None = None,
            keepdims: bool = False,
            *,
            where: ArrayLike = True,
        ) -> Array: ...

    class ArgReduction(Protocol):  # argmax, argmin, nanargmax, nanargmin
        def __call__(
            self, a: ArrayLike, axis: int | None = None, out: None = None, *, keepdims: bool = False
        ) -> Array: ...

    class Scan(Protocol):  # cumsum, cumprod, nancumsum, nancumprod
        def __call__(
            self, a: ArrayLike, axis: int | None = None, dtype: DTypeLike | None = None
        ) -> Array: ...

    class Cumulative(Protocol):  # cumulative_sum, cumulative_prod
        def __call__(
            self,
            x: ArrayLike,
            /,
            *,
            axis: int | None = None,
            dtype: DTypeLike | None = None,
            include_initial: bool = False,
        ) -> Array: ...

    class FFT(Protocol):  # the one-dimensional transforms of fad.numpy.fft
        def __call__(
            self,
            a: ArrayLike,
            n: int | None = None,
            axis: int = -1,
            norm: str | None = None,
            out: None = None,
        ) -> Array: ...


def is_traced(x: Any) -> bool:
    return isinstance(x, Tracer)


def ndim(x: Any) -> int:
    if type(x) is np.ndarray:  # (the common case)
        return x.ndim
    return len(x.shape) if isinstance(x, Tracer) else len(np.shape(check_arraylike(x)))


def shape(x: Any) -> tuple[int, ...]:
    if isinstance(x, Tracer):
        return x.shape
    return x.shape if type(x) is np.ndarray else np.shape(check_arraylike(x))


def normalize_axes(axis: Axis, nd: int, fname: str = "this function") -> tuple[int, ...]:
    """``axis`` (None, int or tuple, negatives allowed) as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(nd))
    if type(axis) is int and -nd <= axis < nd:  # the common case, without the loop
        return (axis % nd,)
    axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -nd <= a < nd:
            raise np.exceptions.AxisError(
                f"{fname}: axis {a} is out of bounds for an array of dimension {nd}."
            )
        out.append(a % nd)
    if len(set(out)) != len(out):
        raise ValueError(f"{fname}: repeated axis in {axis!r}.")
    return tuple(sorted(out))


def normalize_axis(axis: Any, nd: int, fname: str = "this function") -> int:
    return normalize_axes(int(axis), nd, fname)[0]


def concrete_value(x: Any, fname: str) -> Any:
    """The concrete value of ``x`` for a function whose result's shape depends on the values
    (``unique``, ``compress``, ...): there is one under grad, jvp and vjp; under vmap and jit
    the error says why there is none and what to do."""
    if not isinstance(x, Tracer):
        return np.asarray(check_arraylike(x))
    try:
        return x._concrete(fname)
    except TracerConversionError as exc:
        raise type(exc)(
            f"fad.numpy.{fname}: the shape of its result depends on the values, so it needs a "
            "concrete value, and a value batched by vmap or staged by jit has none (each example, "
            f"or each call, could give a different shape). Call {fname} outside the vmapped or "
            "jitted function, or loop over the examples in Python."
        ) from exc


# ------------------------------------------------------------------ docstrings

#: what the common parameters of fad.numpy's functions mean (the factories' docstrings, and
#: the default where a function's own docstring does not say more)
PARAMS: dict[str, str] = {
    "a": "Input array.",
    "x": "Input array.",
    "x1": "First input array.",
    "x2": "Second input array, broadcast against `x1`.",
    "axis": "Axis or axes to work along; None means all of them (the flattened array).",
    "out": "Not supported: must be None (fad's arrays are immutable; use the return value).",
    "keepdims": "Keep the reduced axes, with length 1, so the result broadcasts against `a`.",
    "where": "Boolean mask, broadcast against `a`: only the entries where it is true take part.",
    "initial": "A scalar the reduction starts from (also what an empty reduction gives).",
    "dtype": "Data type of the result; None keeps NumPy's default.",
    "order": "Memory layout, as NumPy: 'C' (row-major) or 'F' (column-major); fad's results are C.",
    "norm": 'Normalization: "backward" (default), "ortho" or "forward", as NumPy.',
    "n": "Length of the transformed axis: the input is cropped or zero-padded to it (default: its length).",
    "s": "Lengths of the transformed axes (default: the input's).",
    "axes": "Axes to work along.",
    "shape": "Shape of the result (an int or a tuple of ints).",
    "k": "Diagonal offset: 0 is the main diagonal, positive above it, negative below.",
    "kind": "Sorting algorithm, as NumPy (fad always sorts stably).",
    "stable": "Whether equal elements keep their order (fad's sorts always do).",
    "overwrite_input": "Accepted for NumPy compatibility; fad never overwrites its input.",
    "ddof": "Delta degrees of freedom: the divisor is `N - ddof`.",
    "correction": "The array API's name for `ddof`.",
    "mean": "The precomputed mean of `a` over `axis` (with `keepdims=True`), to avoid recomputing it.",
    "method": "How to interpolate between data points, as NumPy (e.g. 'linear').",
    "weights": "Weights, one per element of `a` (or along `axis`).",
    "q": "Quantile(s) to compute (concrete values).",
    "rtol": "Relative tolerance.",
    "atol": "Absolute tolerance.",
    "equal_nan": "Whether NaNs compare equal to each other.",
    "copy": "Accepted for NumPy compatibility (traced values are immutable, never copied).",
    "device": 'Accepted for array-API compatibility; only "cpu" (or None).',
    "like": "Accepted for NumPy compatibility; must be None.",
    "decimals": "Number of decimals to round to (negative: to the left of the point).",
    "indices_or_sections": "Number of equal pieces, or the indices where to split.",
    "ary": "Array to split.",
    "tup": "Sequence of arrays.",
    "arrays": "Sequence of arrays.",
    "arys": "Arrays (each is converted separately).",
    "arr": "Input array.",
    "v": "Input array.",
    "m": "Input array.",
    "b": "Second input array.",
    "y": "Input array.",
    "M": "Number of points (or of columns).",
    "N": "Number of rows (or of columns).",
    "mode": "Mode of operation, as NumPy.",
    "offset": "Offset of the diagonal from the main one (positive: above).",
    "axis1": "First axis of the 2-d sub-arrays.",
    "axis2": "Second axis of the 2-d sub-arrays.",
    "bins": "Number of equal-width bins, or the bin edges.",
    "range": "Lower and upper edge of the bins (default: the data's minimum and maximum).",
    "density": "Normalize the counts so the histogram integrates to 1.",
    "start": "First value of the sequence.",
    "stop": "Last value of the sequence (included if `endpoint`).",
    "num": "Number of values.",
    "endpoint": "Whether `stop` is the last value.",
    "ord": "Order of the norm, as NumPy.",
    "hermitian": "Whether the matrix is Hermitian (real symmetric); fad accepts it for NumPy compatibility.",
    "rcond": "Cut-off for small singular values, relative to the largest.",
    "tol": "Threshold below which a singular value counts as zero.",
    "UPLO": 'Which triangle to read: "L" (lower, default) or "U" (upper); the Hermitian part is used.',
    "values": "Values to insert or put.",
    "indices": "Integer indices.",
    "condition": "Boolean array (a concrete value).",
    "fill_value": "Fill value.",
    "assume_unique": "Accepted for NumPy compatibility: the inputs may be assumed unique.",
    "ar1": "First input array.",
    "ar2": "Second input array.",
    "a1": "Coefficients of the first polynomial (highest power first).",
    "a2": "Coefficients of the second polynomial (highest power first).",
    "p": "Polynomial coefficients, highest power first.",
    "obj": "Index, slice or sequence of indices.",
    "func": "Function to apply.",
    "val": "Input array.",
    "z": "Input array of complex numbers.",
    "include_initial": "Start with the identity element (the result is one longer along `axis`).",
    "kth": "Index or indices of the element(s) to put in their sorted place.",
    "element": "Input array.",
    "default": "Value where no condition holds.",
    "period": "Period of the data, if periodic.",
    "right": "Whether the bins include their right edge instead of the left.",
    "sparse": "Return open (broadcasting) grids instead of full ones.",
    "operands": "The arrays (after the subscripts string, if one is given).",
    "optimize": "Contraction-order optimization, as NumPy ('greedy', 'optimal', True or False).",
}


_ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|obj|exc):`~?([^`]+)`")


def markdown(text: str) -> str:
    """reST markup (Sphinx roles, double backticks) as Markdown code spans."""
    return _ROLE.sub(r"`\1`", text).replace("``", "`")


def google_doc(doc: str, args: Sequence[tuple[str, str]], returns: str) -> str:
    """A Google-style docstring from a plain one (a summary, prose, then ``>>>`` examples),
    the arguments' descriptions and what is returned."""
    lines = inspect.cleandoc(doc).splitlines()
    start = next((k for k, line in enumerate(lines) if line.lstrip().startswith(">>>")), len(lines))
    parts = [markdown("\n".join(lines[:start]).strip())]
    if args:
        parts.append("Args:\n" + "\n".join(f"    {name}: {text}" for name, text in args))
    parts.append(f"Returns:\n    {returns}")
    if start < len(lines):
        parts.append("Examples:\n" + "\n".join(f"    {line}" if line else "" for line in lines[start:]))
    return "\n\n".join(parts)


def args_of(f: Callable[..., Any], **described: str) -> list[tuple[str, str]]:
    """``(name, description)`` for each parameter of ``f``: ``described`` first, else
    :data:`PARAMS`; ``*args`` and ``**kwargs`` named with their stars."""
    out = []
    for p in inspect.signature(f).parameters.values():
        star = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        out.append((star + p.name, described.get(p.name) or PARAMS[p.name]))
    return out


def document(f: Callable[..., Any], doc: str, returns: str, **described: str) -> None:
    """Give ``f`` (made by a factory) its Google-style docstring: ``doc``, its parameters
    described, and ``returns``."""
    f.__doc__ = google_doc(doc, args_of(f, **described), returns)


def unary(prim: Primitive, name: str, doc: str, returns: str = "") -> UnaryFn:
    """``fad.numpy.<name>(x)``: the function applying ``prim`` (see
    `fad._prims.wrappers.unary_fn`), with its Google-style docstring made from ``doc``."""
    f: UnaryFn = unary_fn(prim, name, None, public=True)
    f.__module__ = sys._getframe(1).f_globals["__name__"]  # its doctests run with its module
    f.__annotations__ = {"x": "ArrayLike", "return": "Array"}  # what UnaryFn says, for the docs
    boolean = "bool result" in doc
    document(
        f,
        doc,
        returns
        or f"{'A boolean' if boolean else 'An'} array shaped like `x` (a NumPy scalar for a scalar `x`).",
    )
    return f


def binary(prim: Primitive, name: str, doc: str, returns: str = "") -> BinaryFn:
    """``fad.numpy.<name>(x1, x2)``: the function applying ``prim`` to the broadcast arrays
    (see `fad._prims.wrappers.binary_fn`), with its docstring made from ``doc``."""
    f: BinaryFn = binary_fn(prim, name, None, public=True)
    f.__module__ = sys._getframe(1).f_globals["__name__"]
    f.__annotations__ = {"x1": "ArrayLike", "x2": "ArrayLike", "return": "Array"}
    boolean = "bool result" in doc
    document(
        f,
        doc,
        returns or f"{'A boolean' if boolean else 'An'} array of the broadcast shape of `x1` and `x2`.",
    )
    return f
