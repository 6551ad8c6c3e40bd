# mypy: allow-redefinition-new, local-partial-types
"""The arrays fad.numpy's creation functions return: NumPy arrays with JAX's ``.at``.

``fnp.zeros(3).at[0].set(v)`` is how JAX code builds an array functionally; on a plain
``numpy.ndarray`` it fails (``'numpy.ndarray' object has no attribute 'at'``). So
``fad.numpy``'s creation functions (``zeros``, ``ones``, ``full``, ``eye``, ``arange``,
``linspace``, ``asarray``, ``array``, the ``*_like`` ones ...) return :class:`Array`, a
NumPy array subclass that adds ``.at`` (and traced indexing, below); an update returns another, so
updates chain. Everything else about it is NumPy's: it is an ``np.ndarray``, prints as
one, and NumPy functions and operators on it return plain NumPy arrays (so it does not
spread through a computation, where a subclass would slow every NumPy call down).
Traced values have ``.at`` too; a plain NumPy array has ``fad.numpy.at(x)[idx]``.

An Array also takes traced integer indices, as ``jnp.asarray(table)[i]`` does: an index
computed under ``fad.jit`` or ``vmap`` (which NumPy's own indexing cannot read) makes a
traced gather. A plain NumPy array cannot: wrap it with ``fad.numpy.asarray`` first.

>>> import fad, fad.numpy as fnp
>>> fnp.zeros(3).at[0].set(5.0).at[2].add(1.0)
array([5., 0., 1.])
>>> fad.grad(lambda v: fnp.zeros(3).at[1].set(v).sum())(2.0)
np.float64(1.0)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import TracerConversionError
from fad._tree import known_leaves
from fad.numpy._indexing import _IndexUpdateRef, getitem

if TYPE_CHECKING:
    from collections.abc import Callable


def _plain(x: Any) -> Any:
    return x.view(np.ndarray) if isinstance(x, Array) else x


def _plain_args(args: Any) -> Any:
    return tuple(type(a)(_plain(b) for b in a) if type(a) in (list, tuple) else _plain(a) for a in args)


class Array(np.ndarray):
    """A NumPy array with JAX's functional update `x.at[idx].set(v)`.

    fad.numpy's creation functions (`zeros`, `ones`, `full`, `eye`, `arange`, `linspace`,
    `asarray`, `array`, the `*_like` ones ...) return it; an update returns another, so
    updates chain. Everything else about it is NumPy's: NumPy functions and operators on it
    return plain NumPy arrays. Not meant to be constructed directly.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.zeros(3).at[0].set(5.0).at[2].add(1.0)
        array([5., 0., 1.])
    """

    @property
    def at(self) -> Any:
        return _At(self.view(np.ndarray))

    def __getitem__(self, idx: Any) -> Any:
        try:
            return np.ndarray.__getitem__(self, idx)
        except TracerConversionError:  # a traced index (fad.jit, vmap): a traced gather, as jnp
            return getitem(self.view(np.ndarray), idx)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(_plain(o) for o in out)
        return getattr(ufunc, method)(*(_plain(x) for x in inputs), **kwargs)

    def __array_function__(self, func: Callable[..., Any], types: Any, args: Any, kwargs: Any) -> Any:
        return func(*_plain_args(args), **{k: _plain(v) for k, v in kwargs.items()})

    def __repr__(self) -> Any:
        return repr(self.view(np.ndarray))

    def __str__(self) -> Any:
        return str(self.view(np.ndarray))

    def __reduce__(self) -> Any:  # unpickles as a plain NumPy array
        return self.view(np.ndarray).__reduce__()


known_leaves([Array])  # a leaf: not found out on the first flatten that meets one


class _At:
    __slots__ = ("x",)

    def __init__(self, x: Any) -> None:
        self.x = x

    def __getitem__(self, idx: Any) -> Any:
        return _AtRef(_IndexUpdateRef(self.x, idx))


class _AtRef:
    """``x.at[idx]`` of an :class:`Array`: the updates of traced values, whose concrete
    results are Arrays again (so ``.at`` chains)."""

    __slots__ = ("ref",)

    def __init__(self, ref: Any) -> None:
        self.ref = ref

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.ref, name)

        @functools.wraps(method)
        def update(*args: Any, **kwargs: Any) -> Any:
            return with_at(method(*args, **kwargs))

        return update


def with_at(x: Any) -> Any:
    """``x`` as an :class:`Array` if it is a concrete NumPy array (traced values: as is)."""
    return x.view(Array) if type(x) is np.ndarray else x


def returning_arrays(fun: Callable[..., Any]) -> Callable[..., Any]:
    """``fun`` (a creation function) returning an :class:`Array` where it gives a concrete
    NumPy array."""

    @functools.wraps(fun)
    def make(*args: Any, **kwargs: Any) -> Any:
        out = fun(*args, **kwargs)
        return out.view(Array) if type(out) is np.ndarray else out

    return make
