"""autograd's differential operators, on fad's transforms.

Each operator takes ``fun`` and ``argnum`` (an int, or a tuple: the argument is then the
tuple of those arguments) and returns a function of the same arguments as ``fun``, as in
autograd. Two semantics differ from ``fad.grad`` and live here only: the argument is named
``argnum``, and ``grad``/``value_and_grad`` accept any output with one element (an array
of shape ``(1,)`` or ``(1, 1)``), seeding it with ones as autograd does.

>>> import fad.autograd.numpy as np
>>> from fad.autograd import grad, elementwise_grad
>>> grad(lambda x, y: np.sum(x * y), argnum=1)(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
array([1., 2.])
>>> grad(lambda x: x ** 2)(np.array([3.0]))  # a size-1 output is accepted
array([6.])
>>> elementwise_grad(np.sin)(np.array([0.0, np.pi]))
array([ 1., -1.])
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol, TypeAlias

import numpy as onp

import fad
import fad.numpy as fnp
from fad import _fpe
from fad._api import _pull_unit
from fad._api import _vjp as _api_vjp
from fad._arguments import _owned, _owned_tree
from fad._tree import tree_flatten
from fad.autograd._vspace import Box, uses_box, vspace

__all__ = [
    "checkpoint",
    "deriv",
    "elementwise_grad",
    "grad",
    "grad_and_aux",
    "grad_named",
    "hessian",
    "hessian_tensor_product",
    "hessian_vector_product",
    "holomorphic_grad",
    "jacobian",
    "make_ggnvp",
    "make_hvp",
    "make_jvp",
    "make_vjp",
    "multigrad_dict",
    "tensor_jacobian_product",
    "value_and_grad",
    "vector_jacobian_product",
]


def _as_input(x: Any) -> Any:
    """A Python int argument is refused as autograd refuses it; other values go as they are."""
    if type(x) is int or type(x) is bool:
        raise TypeError(
            f"Can't differentiate w.r.t. type {type(x)}: pass a float (3.0, not 3) or a float array."
        )
    return x


def _unary(fun: Any, argnum: Any, args: Any, kwargs: Any) -> Any:
    """``(f, x)``: ``fun`` as a function of the ``argnum`` argument(s) alone, and its value."""
    if not isinstance(argnum, (int, tuple, list)) or isinstance(argnum, bool):
        raise TypeError(f"argnum must be an int or a tuple of ints, got {argnum!r}")
    if isinstance(argnum, int):
        x = args[argnum]
        if type(x) is int or type(x) is bool:
            _as_input(x)  # (raises)

        def f(x: Any) -> Any:
            return fun(*args[:argnum], x, *args[argnum + 1 :], **kwargs)

        return f, x
    nums = tuple(argnum)
    x = tuple(_as_input(args[i]) for i in nums)

    def f_of_tuple(xs: Any) -> Any:
        full = list(args)
        for i, v in zip(nums, xs, strict=True):
            full[i] = v
        return fun(*full, **kwargs)

    return f_of_tuple, x


Argnum: TypeAlias = "int | tuple[int, ...] | list[int]"


class Operator(Protocol):
    """An autograd operator: ``operator(fun, argnum=0, *op_args)`` is a function of
    ``fun``'s arguments."""

    def __call__(
        self, fun: Callable[..., Any], argnum: Argnum = 0, *op_args: Any, **op_kwargs: Any
    ) -> Callable[..., Any]: ...


def _nary(op: Callable[..., Any]) -> Operator:
    """Make ``op(f, x, *op_args)`` (an operator on a function of one argument) into
    ``operator(fun, argnum=0, *op_args)`` returning a function of all of ``fun``'s arguments."""

    @functools.wraps(op)
    def operator(
        fun: Callable[..., Any], argnum: Argnum = 0, *op_args: Any, **op_kwargs: Any
    ) -> Callable[..., Any]:
        @functools.wraps(fun)
        def transformed(*args: Any, **kwargs: Any) -> Any:
            f, x = _unary(fun, argnum, args, kwargs)
            return op(f, x, *op_args, **op_kwargs)

        name = getattr(fun, "__name__", "function")
        transformed.__name__ = f"{op.__name__}_of_{name}_wrt_argnum_{argnum}"
        transformed.__doc__ = (  # autograd's pattern, which its tests read
            f"    {op.__name__} of function {name} with respect to argument number {argnum}: a function "
            f"of the same arguments as {name}, returning its {op.__name__}.\n"
        )
        return transformed

    return operator


def _ones_like(y: Any) -> Any:
    if type(y) in _CONCRETE:  # a plain NumPy output (the common case): no dispatch
        return onp.ones(y.shape, y.dtype)
    return fnp.ones(fnp.shape(y), fnp.asarray(y).dtype if not hasattr(y, "dtype") else y.dtype)


def _size(y: Any) -> Any:
    return int(onp.prod(fnp.shape(y), dtype=int))


def _dtype_kind(x: Any) -> Any:
    return onp.dtype(x.dtype).kind if hasattr(x, "dtype") else onp.result_type(x).kind


# the types of a concrete output (outside every transform): their dtype and shape are
# read directly, without fad.numpy's dispatch
_CONCRETE = frozenset({onp.ndarray, onp.float64, onp.float32, onp.complex128, onp.complex64})


class _PullFirst:
    """The pullback of ``fad.vjp`` for one argument: ``g -> pull(g)[0]``."""

    __slots__ = ("pull",)

    def __init__(self, pull: Any) -> None:
        self.pull = pull

    def __call__(self, g: Any) -> Any:
        return self.pull(g)[0]

    def ones(self, y: Any, x: Any) -> Any:
        """The pullback of ones for a concrete output ``y`` of one element (grad's seed, made
        here: no cotangent checks, as fad.grad; a 0-d seed as fad.grad's own)."""
        token = _fpe.enter()
        try:
            if y.ndim == 0:
                (g,) = _pull_unit(self.pull, y)
            else:
                (g,) = self.pull.pull([onp.ones(y.shape, y.dtype)])
        finally:
            _fpe.leave(token)
        if type(g) is onp.ndarray and type(x) is onp.ndarray:  # (one array: no flattening)
            return _owned([g], (y, x))[0]
        return _owned_tree(g, [y, *fad.tree_util.tree_leaves(x)])


def _pull_first(pull: Any) -> Any:
    return _PullFirst(pull)


def _vjp(f: Any, x: Any) -> Any:
    """``(vjp_fn, value)`` with ``vjp_fn`` returning one cotangent (autograd's make_vjp)."""
    if uses_box(x):
        return _box_vjp(f, x)
    # fad.vjp(f, x), without its wrapper (f is the closure _unary made); a float array as the
    # one primal needs none of the checks of its leaves
    flat = tree_flatten((x,)) if type(x) is onp.ndarray and x.dtype.kind in "fc" else None
    token = _fpe.enter()
    try:
        y, pull, _ = _api_vjp(f, (x,), False, "vjp", flat=flat)
    finally:
        _fpe.leave(token)
    if type(y) in _CONCRETE and y.dtype.kind in "fc":  # one float or complex array: the common case
        return _PullFirst(pull), y
    leaves = fad.tree_util.tree_leaves(y)
    if leaves and not any(_dtype_kind(leaf) in "fc" for leaf in leaves):
        # a boolean or integer output (a comparison): autograd's warning, and zeros
        warnings.warn("Output seems independent of input.", stacklevel=4)
        return (lambda g: fad.tree_util.tree_map(lambda v: fnp.zeros(fnp.shape(v)), x)), y
    return _pull_first(pull), y


def _box_vjp(f: Any, x: Any) -> Any:
    """make_vjp for a value of a registered vector space (fad.autograd._vspace): ``f`` runs
    on a Box of ``x`` whose scalar handle fad traces; the backward pass adds the cotangents
    of the primitives that read the box in the space (starting from its zeros)."""
    total = [None]

    def on_handle(h: Any) -> Any:
        return f(Box.type_mappings[type(x)](x, h, total))

    y, pull = fad.vjp(on_handle, onp.zeros(()))

    def vjp_fn(g: Any) -> Any:
        total[0] = None
        pull(g)
        return vspace(x).zeros() if total[0] is None else total[0]

    return vjp_fn, y


_NOT_SCALAR = (
    "{} only applies to real scalar-output functions. Try jacobian, elementwise_grad or holomorphic_grad."
)


def _scalar_vjp(f: Any, x: Any, name: Any) -> Any:
    vjp, y = _vjp(f, x)
    if type(y) in _CONCRETE and y.size == 1 and y.dtype.kind == "f":  # the common case
        return vjp, y
    if isinstance(y, (bool, int, onp.bool_, onp.integer)):
        # a Python or NumPy boolean or integer scalar has no vector space in autograd
        raise TypeError(
            f"{name} of a function with a {type(y).__name__} output ({y!r}): it has no derivative. "
            "Differentiate a float-valued function (a comparison such as np.allclose is not one)."
        )
    if isinstance(y, (tuple, list, dict)) or _size(y) != 1:
        raise TypeError(_NOT_SCALAR.format(name) + f" (the output has shape {fnp.shape(y)})")
    if fnp.iscomplexobj(y):
        raise TypeError(_NOT_SCALAR.format(name) + " (the output is complex)")
    return vjp, y


@_nary
def grad(fun: Any, x: Any) -> Any:
    """
    Returns a function which computes the gradient of ``fun`` (whose output has one
    element) with respect to argument ``argnum`` (an int, or a tuple: a tuple of gradients).
    It takes the same arguments as ``fun``; the gradient has the type of the argument.

    >>> grad(lambda x, y: x * y ** 2, argnum=(0, 1))(2.0, 3.0)
    (np.float64(9.0), np.float64(12.0))
    """
    vjp, y = _scalar_vjp(fun, x, "Grad")
    if type(vjp) is _PullFirst and type(y) in _CONCRETE:  # (the common case)
        return vjp.ones(y, x)
    return vjp(_ones_like(y))


@_nary
def value_and_grad(fun: Any, x: Any) -> Any:
    """``(fun(*args), grad(fun, argnum)(*args))`` in one pass (for ``scipy.optimize``).

    >>> value_and_grad(lambda x: x ** 3)(2.0)
    (np.float64(8.0), np.float64(12.0))
    """
    vjp, y = _scalar_vjp(fun, x, "value_and_grad")
    if type(vjp) is _PullFirst and type(y) in _CONCRETE:  # (the common case)
        return y, vjp.ones(y, x)
    return y, vjp(_ones_like(y))


@_nary
def grad_and_aux(fun: Any, x: Any) -> Any:
    """For ``fun`` returning ``(value, aux)``: ``(gradient of value, aux)``."""

    def value_aux(x: Any) -> Any:
        return _squeeze_scalar(fun(x))

    grad_aux: Callable[[Any], tuple[Any, Any]] = fad.grad(value_aux, has_aux=True)
    g, aux = grad_aux(x)
    return g, aux


def _squeeze_scalar(out: Any) -> Any:
    value, aux = out
    if _size(value) != 1:
        raise TypeError(_NOT_SCALAR.format("grad_and_aux") + f" (the output has shape {fnp.shape(value)})")
    return fnp.reshape(value, ()), aux


@_nary
def elementwise_grad(fun: Any, x: Any) -> Any:
    """The sum of the Jacobian's rows, in one reverse pass: the derivative of each output
    with respect to its own input when the Jacobian is diagonal (an elementwise ``fun``).

    >>> elementwise_grad(lambda x: x ** 3)(fnp.array([1.0, 2.0]))
    array([ 3., 12.])
    """
    vjp, y = _vjp(fun, x)
    if fnp.iscomplexobj(y):
        raise TypeError("Elementwise_grad only applies to real-output functions.")
    return vjp(_ones_like(y))


@_nary
def deriv(fun: Any, x: Any) -> Any:
    """The directional derivative along a vector of ones (forward mode)."""
    return fad.jvp(fun, (x,), (_ones_like(x),))[1]


@_nary
def jacobian(fun: Any, x: Any) -> Any:
    """The Jacobian, of shape ``out.shape + in.shape``.

    >>> jacobian(lambda x: x ** 2)(fnp.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    return fad.jacrev(fun)(x)


@_nary
def holomorphic_grad(fun: Any, x: Any) -> Any:
    """The complex derivative ``f'(z)`` of a holomorphic ``fun`` (autograd: grad of ``real(fun)``).

    >>> holomorphic_grad(lambda z: z ** 2)(1 + 2j)
    np.complex128(2+4j)
    """
    if not fnp.iscomplexobj(x):
        warnings.warn("Input to holomorphic_grad is not complex", stacklevel=3)
    return grad(lambda x: fnp.real(fun(x)))(x)


def grad_named(fun: Callable[..., Any], argname: str) -> Callable[..., Any]:
    """``grad`` with respect to the argument named ``argname`` (not ``*args``/``**kwargs``)."""
    names = [
        p.name
        for p in inspect.signature(fun).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return grad(fun, names.index(argname))


@_nary
def hessian(fun: Any, x: Any) -> Any:
    """The Hessian (the Jacobian of the Jacobian; forward over reverse).

    >>> hessian(lambda x: x ** 3)(2.0)
    array(12.)
    """
    return fad.jacfwd(fad.jacrev(fun))(x)


@_nary
def make_hvp(fun: Any, x: Any) -> Any:
    """``(hvp, gradient)`` at ``x``: ``hvp(v)`` is the Hessian-vector product, reusing one
    forward pass for many ``v``."""
    return _vjp(fad.grad(fun), x)


def hessian_tensor_product(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """A function of ``(*args, v)`` returning the Hessian of ``fun`` (with respect to
    ``argnum``) contracted with ``v`` (forward over reverse).

    >>> hessian_vector_product(lambda x: fnp.sum(x ** 3))(fnp.array([1.0, 2.0]), fnp.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    fun_grad = grad(fun, argnum)

    def vector_dot_grad(*args: Any, **kwargs: Any) -> Any:
        args, vector = args[:-1], args[-1]
        return fnp.tensordot(fun_grad(*args, **kwargs), vector, axes=fnp.ndim(vector))

    reverse_over_reverse = grad(vector_dot_grad, argnum)

    def hessian_product(*args: Any, **kwargs: Any) -> Any:
        vector = args[-1]
        if (
            type(argnum) is int
            and fnp.shape(vector) == fnp.shape(args[argnum])
            and not uses_box(args[argnum])
        ):
            # v has the argument's shape: H v is the derivative of the gradient along v
            # (the Hessian is symmetric), one forward pass over the reverse one
            f, x = _unary(fun, argnum, args[:-1], kwargs)
            return fad.jvp(lambda x: grad(f)(x), (x,), (vector,))[1]
        return reverse_over_reverse(*args, **kwargs)

    return hessian_product


hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """A function of ``(*args, v)`` returning ``v`` contracted with the leading axes of the
    Jacobian of ``fun`` (a vector-Jacobian product when ``v`` has the output's shape).

    >>> vector_jacobian_product(lambda x: x ** 2)(fnp.array([1.0, 2.0]), fnp.array([1.0, 1.0]))
    array([2., 4.])
    """

    def vector_dot_fun(*args: Any, **kwargs: Any) -> Any:
        args, vector = args[:-1], args[-1]
        return fnp.tensordot(vector, fun(*args, **kwargs), axes=fnp.ndim(vector))

    return jacobian(vector_dot_fun, argnum)


vector_jacobian_product = tensor_jacobian_product


def make_vjp(fun: Callable[..., Any], argnum: Any = 0) -> Callable[..., Any]:
    """A function of ``fun``'s arguments returning ``(vjp, value)``: ``vjp(g)`` is ``g``
    times the Jacobian, one cotangent (a tuple for a tuple ``argnum``).

    >>> vjp, y = make_vjp(lambda x: x ** 2)(fnp.array([1.0, 2.0]))
    >>> y, vjp(fnp.array([1.0, 1.0]))
    (array([1., 4.]), array([2., 4.]))
    """

    def vjp_maker(*args: Any, **kwargs: Any) -> Any:
        f, x = _unary(fun, argnum, args, kwargs)
        return _vjp(f, x)

    return vjp_maker


def make_jvp(fun: Callable[..., Any], argnum: Any = 0) -> Callable[..., Any]:
    """A function of ``fun``'s arguments returning ``jvp``: ``jvp(v) -> (value, J v)``
    (true forward mode).

    >>> make_jvp(lambda x: x ** 2)(fnp.array([1.0, 2.0]))(fnp.array([1.0, 1.0]))
    (array([1., 4.]), array([2., 4.]))
    """

    def jvp_maker(*args: Any, **kwargs: Any) -> Any:
        f, x = _unary(fun, argnum, args, kwargs)
        return lambda v: fad.jvp(f, (x,), (v,))

    return jvp_maker


def _half_sum_of_squares(x: Any) -> Any:
    return 1.0 / 2 * fnp.sum(x**2, axis=-1)


def make_ggnvp(
    f: Callable[..., Any], g: Callable[..., Any] = _half_sum_of_squares, f_argnum: int = 0
) -> Callable[..., Any]:
    """A function of ``f``'s arguments returning ``ggnvp``: ``v -> J^T H_g J v``, the
    generalized Gauss-Newton product of ``g(f(x))`` (``J`` of ``f``, ``H_g`` of ``g``)."""

    def ggnvp_maker(*args: Any, **kwargs: Any) -> Any:
        fu, x = _unary(f, f_argnum, args, kwargs)
        f_vjp, f_x = _vjp(fu, x)
        grad_g = fad.grad(g)

        def ggnvp(v: Any) -> Any:
            jv = fad.jvp(fu, (x,), (v,))[1]
            hjv = fad.jvp(grad_g, (f_x,), (jv,))[1]
            return f_vjp(hjv)

        return ggnvp

    return ggnvp_maker


def multigrad_dict(fun: Callable[..., Any]) -> Callable[..., Any]:
    """A function of ``fun``'s arguments returning ``{argname: gradient}`` for every named
    argument (defaults included), in signature order.

    >>> dict(multigrad_dict(lambda a, b=2.0: a * b)(3.0))
    {'a': np.float64(2.0), 'b': np.float64(3.0)}
    """
    sig = inspect.signature(fun)

    def gradfun(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = OrderedDict(bound.arguments)

        def by_name(d: Any) -> Any:
            b = inspect.BoundArguments(sig, OrderedDict(d))
            return fun(*b.args, **b.kwargs)

        grads = grad(by_name)(dict(arguments))
        return OrderedDict((name, grads[name]) for name in arguments)

    return gradfun


def checkpoint(fun: Callable[..., Any]) -> Callable[..., Any]:
    """``fun`` recomputed in the backward pass instead of keeping its intermediates (``fad.checkpoint``)."""
    return fad.checkpoint(fun)
