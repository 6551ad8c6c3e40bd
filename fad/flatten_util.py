"""Flatten a pytree of arrays into one vector and back (`jax.flatten_util`).

Examples:
    >>> import fad.numpy as fnp
    >>> from fad.flatten_util import ravel_pytree
    >>> flat, unravel = ravel_pytree({"w": fnp.ones((2, 2)), "b": fnp.array([5.0])})
    >>> flat
    array([5., 1., 1., 1., 1.])
    >>> unravel(flat * 2)["w"]
    array([[2., 2.],
           [2., 2.]])
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad.numpy as fnp
from fad.tree_util import tree_flatten, tree_unflatten

if TYPE_CHECKING:
    from fad.typing import Array, PyTree

__all__ = ["ravel_pytree"]


def _dtype(x: Any) -> onp.dtype[Any]:
    return onp.dtype(x.dtype) if hasattr(x, "dtype") else onp.asarray(x).dtype


def _cast(x: Any, dtype: onp.dtype[Any]) -> Any:
    if _dtype(x) == dtype:
        return x
    if _dtype(x).kind == "c" and dtype.kind != "c":
        x = fnp.real(x)  # complex to real drops the imaginary part, as JAX's cast does
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fnp.asarray(x, dtype=dtype)


def ravel_pytree(pytree: PyTree) -> tuple[Array, Callable[[Array], PyTree]]:
    """Ravel (flatten) a pytree of arrays into a 1-d array, and return the inverse.

    The leaves are raveled in `tree_flatten` order and concatenated. When they share a
    dtype the vector has it and `unravel` accepts a vector of any dtype (the leaves take
    the vector's dtype); when they differ, the vector has their promoted dtype (NumPy's
    promotion, as everywhere in fad) and `unravel` requires that dtype and casts each
    leaf back to its own. Both directions are made of fad operations, so they are
    differentiable in every mode and work under `vmap` and `jit`.

    Args:
        pytree: a pytree whose leaves are arrays or scalars.

    Returns:
        `(flat, unravel)`: the 1-d array and a function mapping a 1-d array of the same
        size back to a pytree of `pytree`'s structure, shapes and dtypes.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> flat, unravel = ravel_pytree((fnp.array([1.0, 2.0]), 3.0))
        >>> flat, unravel(fnp.array([4.0, 5.0, 6.0]))
        (array([1., 2., 3.]), (array([4., 5.]), array(6.)))
        >>> fad.grad(lambda t: fnp.sum(ravel_pytree(t)[0] ** 2))((fnp.array([1.0, 2.0]), 3.0))
        (array([2., 4.]), array(6.))
    """
    leaves, treedef = tree_flatten(pytree)
    shapes = [tuple(fnp.shape(x)) for x in leaves]
    sizes = [int(onp.prod(s, dtype=int)) for s in shapes]
    total = sum(sizes)
    from_dtypes = [_dtype(x) for x in leaves]
    if not leaves:
        to_dtype = onp.dtype(onp.float64)
        flat = fnp.zeros((0,), to_dtype)
    else:
        to_dtype = onp.result_type(*from_dtypes)
        flat = fnp.concatenate([fnp.ravel(_cast(x, to_dtype)) for x in leaves])
    single = all(dt == to_dtype for dt in from_dtypes)

    def unravel(arr: Any) -> Any:
        shape = tuple(fnp.shape(arr))
        if shape != (total,):
            raise ValueError(
                f"The unravel function expected an array of shape {(total,)}, got shape {shape}. "
                "Pass a 1-d array with one entry per element of the original pytree."
            )
        if not single and _dtype(arr) != to_dtype:
            raise TypeError(
                f"unravel function given array of dtype {_dtype(arr)} but expected dtype "
                f"{to_dtype} (the pytree's leaves have dtypes "
                f"{sorted({str(d) for d in from_dtypes})}). Cast the vector to {to_dtype}."
            )
        out, start = [], 0
        for shape_i, size, dt in zip(shapes, sizes, from_dtypes, strict=True):
            chunk = fnp.reshape(arr[start : start + size], shape_i)
            out.append(chunk if single else _cast(chunk, dt))
            start += size
        return tree_unflatten(treedef, out)

    return flat, unravel
