"""autograd's vector spaces (``VSpace``, ``vspace``) and boxes (``Box``).

fad's transforms differentiate arrays and pytrees of arrays; a vector space registered here
(``VSpace.register(MyType)``, or ``register_vspace(MyType, maker)``) extends
``fad.autograd``'s ``grad`` and ``make_vjp`` to values of another type, as autograd's
RKHS example does with a space of functions. Such a value is differentiated through the
primitives that read it (made with ``fad.autograd.extend.primitive``, whose ``defvjp``
rule returns a cotangent in the space): the value enters fad's reverse mode as a
``Box`` (the class registered for its type with ``MyBox.register(MyType)``) carrying a
scalar handle that fad traces; each primitive call with the box records the handle, and
the backward pass adds up the cotangents of those calls with the space's ``add``.

Arrays, numbers and nested tuples, lists and dicts have vector spaces already (the ones
autograd's ``vspace`` returns: ``zeros``, ``ones``, ``randn``, ``standard_basis``,
``add``, ``scalar_mul``, ``inner_prod``, ``covector``, ``size``, ``shape``, ``dtype``).

>>> import numpy as onp
>>> from fad.autograd.extend import vspace
>>> vs = vspace(onp.zeros((2, 3)))
>>> vs.size, vs.shape, float(vs.inner_prod(vs.ones(), vs.ones()))
(6, (2, 3), 6.0)
>>> vspace((1.0, [onp.ones(2)])).size
3
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as onp

import fad.numpy as fnp
from fad._core import Tracer

__all__ = ["Box", "VSpace", "register_vspace", "vspace"]


class Box:
    """A value of a registered vector space while ``fad.autograd`` differentiates it.

    Subclass it together with the value's class (``class MyBox(Box, MyType)``) and
    register it with ``MyBox.register(MyType)``; ``_value`` is the plain value inside."""

    type_mappings: ClassVar[dict[type, type[Box]]] = {}
    types: ClassVar[set[type[Box]]] = set()

    def __init__(self, value: Any, trace: Any = None, node: Any = None) -> None:
        self._value = value
        self._trace = trace  # fad: the scalar handle traced for this value
        self._node = node  # fad: the list the backward pass adds cotangents to

    def __repr__(self) -> str:
        return f"Autograd {type(self).__name__} with value {self._value!r}"

    @classmethod
    def register(cls, value_type: type) -> None:
        Box.types.add(cls)
        Box.type_mappings[value_type] = cls
        Box.type_mappings[cls] = cls


class VSpace:
    """A vector space of values: subclass it with ``zeros``, ``_add``, ``_scalar_mul``,
    ``_inner_prod`` (and ``ones``, ``randn``, ``standard_basis`` where meaningful) and
    register it for a type with ``MySpace.register(MyType)``."""

    mappings: ClassVar[dict[type, Callable[[Any], VSpace]]] = {}
    iscomplex = False
    shape: Any
    dtype: Any

    def __init__(self, value: Any) -> None:
        pass

    def zeros(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.zeros")

    def ones(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.ones")

    def standard_basis(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__}.standard_basis")

    def randn(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.randn")

    def mut_add(self, x_prev: Any, x_new: Any) -> Any:
        return self._mut_add(self.zeros() if x_prev is None else x_prev, x_new)

    def add(self, x_prev: Any, x_new: Any) -> Any:
        return self._add(x_prev, x_new)

    def scalar_mul(self, x: Any, a: Any) -> Any:
        return self._scalar_mul(x, a)

    def inner_prod(self, x: Any, y: Any) -> Any:
        return self._inner_prod(x, y)

    def covector(self, x: Any) -> Any:
        return self._covector(x)

    def _add(self, x: Any, y: Any) -> Any:
        return x + y

    def _mut_add(self, x: Any, y: Any) -> Any:  # fad's values are immutable: a new sum
        return self._add(x, y)

    def _scalar_mul(self, x: Any, a: Any) -> Any:
        return x * a

    def _inner_prod(self, x: Any, y: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}._inner_prod")

    def _covector(self, x: Any) -> Any:
        return x

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"{type(self).__name__}_{self.__dict__}"

    @classmethod
    def register(cls, value_type: type, vspace_maker: Callable[[Any], VSpace] | None = None) -> None:
        VSpace.mappings[value_type] = vspace_maker or cls


def register_vspace(value_type: type, vspace_maker: Callable[[Any], VSpace]) -> None:
    """Make ``vspace_maker(value)`` the vector space of ``value_type``'s values."""
    VSpace.mappings[value_type] = vspace_maker


def vspace(value: Any) -> VSpace:
    """The vector space of ``value`` (an array, a number, a container of them, a value of a
    registered type, or a value traced by fad)."""
    maker = VSpace.mappings.get(type(value))
    if maker is not None:
        return maker(value)
    if isinstance(value, Box):
        return vspace(value._value)
    if isinstance(value, Tracer) or isinstance(value, (onp.ndarray, onp.generic)):
        return ArrayVSpace.of(value)
    raise TypeError(
        f"Can't find vector space for value {value!r} of type {type(value)}. Valid types are "
        f"arrays, numbers, tuples, lists, dicts and {list(VSpace.mappings)}."
    )


def uses_box(x: Any) -> bool:
    """Whether ``fad.autograd`` differentiates ``x`` through a Box (a registered vector
    space that is not an array or a container)."""
    return type(x) in Box.type_mappings and type(x) in VSpace.mappings and type(x) not in _BUILTIN


# ------------------------------------------------------------------- arrays and numbers


class ArrayVSpace(VSpace):
    def __init__(self, value: Any) -> None:
        value = onp.asarray(value) if not hasattr(value, "dtype") else value
        self.shape = tuple(onp.shape(value))
        self.dtype = onp.dtype(value.dtype)

    @staticmethod
    def of(value: Any) -> ArrayVSpace:
        dtype = onp.dtype(value.dtype) if hasattr(value, "dtype") else onp.result_type(value)
        return (ComplexArrayVSpace if dtype.kind == "c" else ArrayVSpace)(value)

    @property
    def size(self) -> int:
        return int(onp.prod(self.shape))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def zeros(self) -> Any:
        return onp.zeros(self.shape, dtype=self.dtype)

    def ones(self) -> Any:
        return onp.ones(self.shape, dtype=self.dtype)

    def standard_basis(self) -> Iterator[Any]:
        for idxs in onp.ndindex(*self.shape):
            vect = onp.zeros(self.shape, dtype=self.dtype)
            vect[idxs] = 1
            yield vect

    def randn(self) -> Any:
        return onp.array(onp.random.randn(*self.shape)).astype(self.dtype)

    def _inner_prod(self, x: Any, y: Any) -> Any:
        return fnp.dot(fnp.ravel(x), fnp.ravel(y))


class ComplexArrayVSpace(ArrayVSpace):
    iscomplex = True

    @property
    def size(self) -> int:
        return 2 * int(onp.prod(self.shape))

    def ones(self) -> Any:
        return onp.full(self.shape, 1.0 + 1.0j, dtype=self.dtype)

    def standard_basis(self) -> Iterator[Any]:
        for idxs in onp.ndindex(*self.shape):
            for v in [1.0, 1.0j]:
                vect = onp.zeros(self.shape, dtype=self.dtype)
                vect[idxs] = v
                yield vect

    def randn(self) -> Any:
        return onp.array(onp.random.randn(*self.shape)).astype(self.dtype) + 1.0j * onp.array(
            onp.random.randn(*self.shape)
        ).astype(self.dtype)

    def _inner_prod(self, x: Any, y: Any) -> Any:
        return fnp.real(fnp.dot(fnp.conj(fnp.ravel(x)), fnp.ravel(y)))

    def _covector(self, x: Any) -> Any:
        return fnp.conj(x)


# ------------------------------------------------------------------------ containers


class _ContainerVSpace(VSpace):
    def _map(self, f: Callable[..., Any], *trees: Any) -> Any:
        raise NotImplementedError

    def _values(self, tree: Any) -> list[Any]:
        raise NotImplementedError

    def _items(self, tree: Any) -> list[tuple[Any, Any]]:
        raise NotImplementedError

    def _subval(self, tree: Any, k: Any, x: Any) -> Any:
        raise NotImplementedError

    def __init__(self, value: Any) -> None:
        self.shape = self._map(vspace, value)

    @property
    def size(self) -> int:
        return sum(s.size for s in self._values(self.shape))

    def zeros(self) -> Any:
        return self._map(lambda vs: vs.zeros(), self.shape)

    def ones(self) -> Any:
        return self._map(lambda vs: vs.ones(), self.shape)

    def randn(self) -> Any:
        return self._map(lambda vs: vs.randn(), self.shape)

    def standard_basis(self) -> Iterator[Any]:
        zero = self.zeros()
        for k, vs in self._items(self.shape):
            for x in vs.standard_basis():
                yield self._subval(zero, k, x)

    def _add(self, xs: Any, ys: Any) -> Any:
        return self._map(lambda vs, x, y: vs._add(x, y), self.shape, xs, ys)

    def _scalar_mul(self, xs: Any, a: Any) -> Any:
        return self._map(lambda vs, x: vs._scalar_mul(x, a), self.shape, xs)

    def _inner_prod(self, xs: Any, ys: Any) -> Any:
        return sum(vs._inner_prod(xs[k], ys[k]) for k, vs in self._items(self.shape))

    def _covector(self, xs: Any) -> Any:
        return self._map(lambda vs, x: vs._covector(x), self.shape, xs)


class SequenceVSpace(_ContainerVSpace):
    def __init__(self, value: Any) -> None:
        self.seq_type = type(value)
        super().__init__(value)

    def _map(self, f: Callable[..., Any], *seqs: Any) -> Any:
        return self.seq_type(f(*items) for items in zip(*seqs, strict=True)) if seqs else self.seq_type()

    def _values(self, seq: Any) -> list[Any]:
        return list(seq)

    def _items(self, seq: Any) -> list[tuple[Any, Any]]:
        return list(enumerate(seq))

    def _subval(self, seq: Any, k: Any, x: Any) -> Any:
        out = list(seq)
        out[k] = x
        return self.seq_type(out)


class DictVSpace(_ContainerVSpace):
    def __init__(self, value: Any) -> None:
        self.dict_type = type(value)
        super().__init__(value)

    def _map(self, f: Callable[..., Any], *dicts: Any) -> Any:
        return self.dict_type((k, f(*(d[k] for d in dicts))) for k in dicts[0])

    def _values(self, d: Any) -> list[Any]:
        return list(d.values())

    def _items(self, d: Any) -> list[tuple[Any, Any]]:
        return list(d.items())

    def _subval(self, d: Any, k: Any, x: Any) -> Any:
        out = self.dict_type(d)
        out[k] = x
        return out


_BUILTIN: set[type] = {float, complex, onp.ndarray, tuple, list, dict, OrderedDict}
for _t in (float, onp.ndarray, onp.float64, onp.float32, onp.float16, complex, onp.complex64, onp.complex128):
    VSpace.register(_t, ArrayVSpace.of)
for _s in (tuple, list):
    VSpace.register(_s, SequenceVSpace)
for _d in (dict, OrderedDict):
    VSpace.register(_d, DictVSpace)
_BUILTIN |= {onp.float64, onp.float32, onp.float16, onp.complex64, onp.complex128}
