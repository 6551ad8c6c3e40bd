# mypy: allow-redefinition-new, local-partial-types
"""Data type routines (NumPy's "Data type routines") that accept fad's traced values: each
asks NumPy, with a traced value standing for an array of its dtype and shape. They answer
questions about types, never about values, so they work under every transform.

>>> import fad, fad.numpy as fnp
>>> fad.grad(lambda x: x * fnp.issubdtype(fnp.result_type(x), fnp.floating))(2.0)
np.float64(1.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Tracer

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Literal, TypeAlias

    from numpy.typing import DTypeLike

    from fad.typing import ArrayLike

    _Casting: TypeAlias = Literal["no", "equiv", "safe", "same_kind", "unsafe"]


def _standin(x: Any) -> Any:
    """A NumPy stand-in for a traced value (a zero of its dtype and shape), else ``x``."""
    if isinstance(x, Tracer):
        return np.zeros(x.shape, x.dtype)
    return x


def result_type(*arrays_and_dtypes: ArrayLike | DTypeLike) -> np.dtype[Any]:
    """The dtype NumPy's promotion gives for these arrays and dtypes (traced values count as
    arrays of their dtype).

    Args:
        *arrays_and_dtypes: Arrays, scalars and dtypes.

    Returns:
        The dtype.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.result_type(fnp.array([1, 2]), 1.5)
        dtype('float64')
    """
    return np.result_type(*[_standin(a) for a in arrays_and_dtypes])


def can_cast(from_: ArrayLike | DTypeLike, to: DTypeLike, casting: _Casting = "safe") -> bool:
    """Whether a cast from the dtype `from_` (or a traced value's dtype) to `to` is allowed.

    Args:
        from_: Dtype, scalar or array (traced values count by their dtype) to cast from.
        to: Dtype to cast to.
        casting: Casting rule: "no", "equiv", "safe", "same_kind" or "unsafe".

    Returns:
        Whether the cast is allowed.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.can_cast(fnp.float32, fnp.float64)
        True
    """
    if isinstance(from_, Tracer):
        from_ = from_.dtype
    return np.can_cast(from_, to, casting)


def promote_types(type1: DTypeLike, type2: DTypeLike) -> np.dtype[Any]:
    """The smallest dtype both `type1` and `type2` cast to safely.

    Args:
        type1: First dtype.
        type2: Second dtype.

    Returns:
        The dtype.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.promote_types(fnp.int8, fnp.float32)
        dtype('float32')
    """
    return np.promote_types(type1, type2)


def min_scalar_type(a: ArrayLike) -> np.dtype[Any]:
    """The smallest dtype that holds the scalar `a` (of a traced value: its dtype).

    Args:
        a: Input array.

    Returns:
        The dtype.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.min_scalar_type(10)
        dtype('uint8')
    """
    return np.min_scalar_type(_standin(a))


def issubdtype(arg1: DTypeLike, arg2: DTypeLike) -> bool:
    """Whether the dtype `arg1` is below `arg2` in NumPy's type hierarchy.

    Args:
        arg1: Dtype or type.
        arg2: Dtype or type (possibly abstract, such as `fnp.floating`).

    Returns:
        Whether `arg1` is a sub-dtype of `arg2`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.issubdtype(fnp.float64, fnp.floating)
        True
    """
    return np.issubdtype(arg1, arg2)


def isdtype(dtype: np.dtype[Any] | type, kind: str | tuple[str, ...]) -> bool:
    """Whether `dtype` is of `kind` (the array API's `"real floating"`, ...).

    Args:
        dtype: Data type of the result; None keeps NumPy's default.
        kind: Sorting algorithm, as NumPy (fad always sorts stably).

    Returns:
        Whether `dtype` is of that kind.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.isdtype(fnp.float64, "real floating")
        True
    """
    return np.isdtype(dtype, kind)


def common_type(*arrays: ArrayLike) -> type[Any]:
    """The inexact scalar type common to the arrays (traced values too).

    Args:
        *arrays: Sequence of arrays.

    Returns:
        The scalar type.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.common_type(fnp.array([1, 2]), fnp.array([1.0], fnp.float32))
        <class 'numpy.float64'>
    """
    out: type[Any] = np.common_type(*[_standin(a) for a in arrays])
    return out


def mintypecode(typechars: Iterable[str | ArrayLike], typeset: str = "GDFgdf", default: str = "d") -> str:
    """The character of the smallest type in `typeset` that the `typechars` cast to.

    Args:
        typechars: Type characters (or arrays whose type characters count).
        typeset: The type characters to choose from.
        default: Value where no condition holds.

    Returns:
        The type character.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.mintypecode(["d", "f"])
        'd'
    """
    return np.mintypecode(typechars, typeset, default)


def isscalar(element: ArrayLike) -> bool:
    """Whether `element` is a scalar (a Python number, a NumPy scalar, a string); a traced
    value is an array, as in JAX.

    Args:
        element: Input array.

    Returns:
        Whether `element` is a scalar.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.isscalar(3.0), fnp.isscalar(fnp.array([3.0]))
        (True, False)
    """
    return False if isinstance(element, Tracer) else np.isscalar(element)


def iterable(y: ArrayLike) -> bool:
    """Whether `y` can be iterated over (a traced value can if it is not 0-d).

    Args:
        y: Input array.

    Returns:
        Whether `y` is iterable.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.iterable([1, 2]), fnp.iterable(2)
        (True, False)
    """
    if isinstance(y, Tracer):
        return y.ndim > 0
    return np.iterable(y)
