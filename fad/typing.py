"""Type aliases for annotating code that uses fad, as `jax.typing` does for JAX.

* `ArrayLike`: what `fad.numpy` functions and the transforms accept as an array: a
  NumPy array, a NumPy or Python scalar, a nested sequence of numbers (anything
  `numpy.typing.ArrayLike` allows), or a value traced by a transform.
* `Array`: what `fad.numpy` functions and transformed functions return. Outside a
  transform that is a NumPy array or NumPy scalar; inside one it is a traced value, whose
  operators and array methods are attached at run time. The alias is therefore `Any`
  for a type checker: annotating with it documents intent and lets `x + 1` or
  `x.sum()` check under every transform.
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
"""

from __future__ import annotations

from typing import Any, TypeAlias, Union

import numpy.typing as npt

from fad._core import Tracer

__all__ = ["Array", "ArrayLike", "PyTree", "Tracer"]

ArrayLike: TypeAlias = Union[npt.ArrayLike, Tracer]  # noqa: UP007 - a runtime alias on Python 3.10
Array: TypeAlias = Any
PyTree: TypeAlias = Any
