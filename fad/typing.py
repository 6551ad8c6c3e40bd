"""Type aliases for annotating code that uses fad, as `jax.typing` does for JAX.

* `ArrayLike`: what `fad.numpy` functions and the transforms accept as an array: a
  NumPy array, a NumPy or Python scalar, a nested sequence of numbers (anything
  `numpy.typing.ArrayLike` allows), or a value traced by a transform.
* `Array`: what `fad.numpy` functions and transformed functions return. Outside a
  transform that is a NumPy array or NumPy scalar; inside one it is a traced value, whose
  operators and array methods are attached at run time. A type checker therefore sees
  `Any`: annotating with it documents intent and lets `x + 1` or `x.sum()` check under
  every transform. At run time it is a class for `isinstance`, as `jax.Array` is: NumPy
  arrays, NumPy numbers and traced values are instances, a Python number or list is not.
* `PyTree`: a nested structure of tuples, lists, dicts, `None`, registered classes and
  array leaves (see `fad.tree_util`); `Any`, as in JAX.
* `Tracer`: the class of traced values, for `isinstance` tests in user code.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.typing import Array, ArrayLike
    >>> def loss(w: ArrayLike) -> Array:
    ...     return (fnp.asarray(w) ** 2).sum()
    >>> fad.grad(loss)(fnp.array([1.0, 2.0]))
    array([2., 4.])
    >>> isinstance(fnp.ones(2), Array), isinstance(2.0, Array)
    (True, False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, Union

import numpy as np
import numpy.typing as npt

from fad._core import Tracer

__all__ = ["Array", "ArrayLike", "PyTree", "Tracer"]

ArrayLike: TypeAlias = Union[npt.ArrayLike, Tracer]  # noqa: UP007 - a runtime alias on Python 3.10
_ARRAYS = (np.ndarray, np.number, np.bool_, Tracer)

if TYPE_CHECKING:
    Array: TypeAlias = Any
else:

    class _ArrayType(type):
        def __instancecheck__(cls, x: object) -> bool:
            return isinstance(x, _ARRAYS)

        def __subclasscheck__(cls, t: type) -> bool:
            return issubclass(t, _ARRAYS)

    class Array(metaclass=_ArrayType):
        """An array fad computes with: a NumPy array or number, or a traced value (for
        `isinstance`; see the module's text)."""

        __slots__ = ()


PyTree: TypeAlias = Any
