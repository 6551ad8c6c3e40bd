# mypy: allow-redefinition-new, local-partial-types
"""Functional programming (NumPy's "Functional programming"): ``apply_along_axis``,
``apply_over_axes`` and ``piecewise``. The function applied is the user's, run on slices of
fad values, so the result differentiates, batches and stages as that function does."""

from __future__ import annotations

import math
import re
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad._core import Tracer, TracerConversionError
from fad.numpy._creation import asarray, zeros
from fad.numpy._indexing import at, take, where
from fad.numpy._joining import stack
from fad.numpy._shape_manipulation import broadcast_to, expand_dims, moveaxis, ravel, reshape
from fad.numpy._util import ndim, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from fad.typing import Array, ArrayLike


def apply_along_axis(
    func1d: Callable[..., Any], axis: int, arr: ArrayLike, *args: ArrayLike, **kwargs: Any
) -> Array:
    """`func1d` applied to every 1-d slice of `arr` along `axis`; the slices' results
    take the place of that axis (as NumPy).

    Args:
        func1d: Function of a 1-d array.
        axis: Axis or axes to work along; None means all of them (the flattened array).
        arr: Input array.
        *args: Positional arguments, as NumPy's.
        **kwargs: Keyword arguments, as NumPy's.

    Returns:
        The results of `func1d`, stacked in place of `axis`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.apply_along_axis(lambda v: v[0] * v[-1], 1, fnp.array([[1.0, 2.0], [3.0, 4.0]]))
        array([ 2., 12.])
    """
    arr = asarray(arr)
    nd = ndim(arr)
    axis = normalize_axis(axis, nd, "apply_along_axis")
    moved = moveaxis(arr, axis, -1)
    outer = tuple(shape(moved)[:-1])
    if 0 in outer:
        raise ValueError("apply_along_axis: cannot apply_along_axis when any iteration dimensions are 0")
    results = [asarray(func1d(moved[idx], *args, **kwargs)) for idx in np.ndindex(*outer)]
    res = reshape(stack(results), outer + tuple(shape(results[0])))
    rn = ndim(results[0])
    # the result's own axes go where ``axis`` was
    order = list(range(axis)) + list(range(len(outer), len(outer) + rn)) + list(range(axis, len(outer)))
    return res.transpose(order) if order != list(range(len(order))) else res


def apply_over_axes(func: Callable[..., Any], a: ArrayLike, axes: Sequence[int] | None) -> Array:
    """`func(a, axis)` applied for each axis in turn, keeping the number of dimensions
    (a result with one dimension fewer gets it back as length 1).

    Args:
        func: Function `func(a, axis)` that reduces one axis.
        a: Input array.
        axes: Axes to apply it over, in turn.

    Returns:
        An array with as many dimensions as `a`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.apply_over_axes(fnp.sum, fnp.ones((2, 3)), [0, 1])
        array([[6.]])
    """
    val = asarray(a)
    nd = ndim(val)
    for axis in np.atleast_1d(np.asarray(axes)):
        axis = int(axis) + nd if int(axis) < 0 else int(axis)
        res = asarray(func(val, axis))
        if ndim(res) == nd:
            val = res
        elif ndim(res) == nd - 1:
            val = expand_dims(res, axis)
        else:
            raise ValueError("apply_over_axes: function is not returning an array of the correct shape")
    return val


def piecewise(
    x: ArrayLike, condlist: Any, funclist: Sequence[Callable[..., Any] | ArrayLike], *args: Any, **kw: Any
) -> Array:
    """A piecewise function of `x`: where `condlist[k]` holds, `funclist[k]` (a function
    of `x`, or a constant); one more function than conditions is the default. As NumPy, each
    function sees only its elements (gathered), so a branch that would be NaN elsewhere
    (`log` of a negative) cannot spoil the derivative. Under `vmap` and `jit`, where the
    conditions are not concrete, each function runs on all of `x` and `where` picks.

    Args:
        x: Input array.
        condlist: Boolean arrays (or one), the conditions.
        funclist: One function (or constant) per condition, plus optionally a default.
        *args: Positional arguments, as NumPy's.
        **kw: Keyword arguments passed on to each function.

    Returns:
        An array shaped like `x`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = lambda x: fnp.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v**2])
        >>> fad.grad(lambda x: f(x).sum())(fnp.array([-2.0, 3.0]))
        array([-1.,  6.])
    """
    x = asarray(x)
    if not isinstance(condlist, (list, tuple)) or (condlist and np.ndim(condlist[0]) == 0 and ndim(x) != 0):
        condlist = [condlist]
    condlist = [asarray(c) for c in condlist]
    n = len(condlist)
    if len(funclist) not in (n, n + 1):
        raise ValueError(
            f"piecewise: with {n} condition(s), either {n} or {n + 1} functions are needed, "
            f"got {len(funclist)}"
        )
    if len(funclist) == n + 1:  # the default applies where no condition holds
        anyc = condlist[0] if n == 1 else None
        for c in condlist[1:]:
            anyc = c if anyc is None else (anyc | c)
        rest = ~anyc if anyc is not None else np.ones(shape(x), bool)
        condlist = condlist + [rest]
    try:
        masks = [
            np.broadcast_to(c._concrete("piecewise") if isinstance(c, Tracer) else np.asarray(c), shape(x))
            for c in condlist
        ]
    except TracerConversionError:
        out = zeros(shape(x), x.dtype)
        for c, f in zip(condlist, funclist, strict=True):
            val = f(x, *args, **kw) if callable(f) else f
            out = where(c, broadcast_to(asarray(val), shape(x)) if callable(f) else val, out)
        return out
    flat = ravel(x)
    out = zeros(shape(flat), x.dtype)
    for mask, f in zip(masks, funclist, strict=True):
        pos = np.flatnonzero(mask)
        if callable(f):
            val = asarray(f(take(flat, pos), *args, **kw))
        else:
            val = f
        out = at(out)[pos].set(val)
    return reshape(out, shape(x))


_DIMS = re.compile(r"\(([^()]*)\)")
_VMAP: list[Any] = [None]  # fad.vmap, set when fad._api is imported (it imports fad.numpy)


def _core_dims(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """``"(m,n),(n)->(m)"`` as ([("m", "n"), ("n",)], [("m",)])."""
    text = signature.replace(" ", "")
    if "->" not in text:
        raise ValueError(f"vectorize: the signature {signature!r} needs '->', e.g. '(n),(n)->()'.")
    ins, outs = text.split("->")

    def groups(part: str) -> list[tuple[str, ...]]:
        found = _DIMS.findall(part)
        if ",".join(f"({g})" for g in found) != part:
            raise ValueError(f"vectorize: cannot read the signature {signature!r}.")
        return [tuple(d for d in g.split(",") if d) for g in found]

    return groups(ins), groups(outs)


class vectorize:  # noqa: N801 - NumPy's name
    """`pyfunc` applied over the leading (loop) dimensions of its arrays, with NumPy's
    broadcasting and generalized-ufunc `signature` (as `numpy.vectorize`).

    The function is mapped with `fad.vmap`, as JAX's `jnp.vectorize` does, so the result
    differentiates, batches and stages like `pyfunc` itself; where `pyfunc` branches in
    Python on a value, it runs once per element instead (`vmap`'s `fallback="loop"`), as
    NumPy's does.

    Args:
        pyfunc: The function, of arrays of the core shapes (scalars without a signature).
        otypes: Output dtypes (a string of type codes or a list of dtypes), or None.
        doc: The docstring of the vectorized function (`pyfunc`'s by default).
        excluded: Positions and names of arguments passed to `pyfunc` unchanged.
        cache: Accepted for NumPy's signature.
        signature: A generalized-ufunc signature such as `"(n),(n)->()"`, or None
            (every argument and output is a scalar per element).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> dot = fnp.vectorize(lambda a, b: fnp.sum(a * b), signature="(n),(n)->()")
        >>> dot(fnp.ones((3, 2)), fnp.array([1.0, 2.0]))
        array([3., 3., 3.])
        >>> f = fnp.vectorize(lambda t: t * t if t > 0 else -t)  # (branches: one call per element)
        >>> fad.grad(lambda x: fnp.sum(f(x)))(fnp.array([-1.0, 2.0]))
        array([-1.,  4.])
    """

    def __init__(
        self,
        pyfunc: Callable[..., Any],
        otypes: Any = None,
        doc: str | None = None,
        excluded: Any = None,
        cache: bool = False,
        signature: str | None = None,
    ) -> None:
        self.pyfunc = pyfunc
        self.otypes = [np.dtype(t) for t in otypes] if otypes is not None else None
        self.excluded = frozenset(excluded or ())
        self.signature = signature
        self._dims = _core_dims(signature) if signature is not None else None
        self.__doc__ = doc if doc is not None else getattr(pyfunc, "__doc__", None)
        del cache

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        vmap = _VMAP[0]  # (fad.vmap, bound by fad._api: the API layer sits above fad.numpy)
        fixed_kw = {k: v for k, v in kwargs.items() if k in self.excluded}
        mapped_kw = {k: v for k, v in kwargs.items() if k not in self.excluded}
        positions = [i for i in range(len(args)) if i not in self.excluded]
        names = list(mapped_kw)
        arrays = [asarray(args[i]) for i in positions] + [asarray(mapped_kw[k]) for k in names]
        n_in = len(arrays)
        if self._dims is None:
            in_dims: list[tuple[str, ...]] = [()] * n_in
            out_dims: list[tuple[str, ...]] | None = None
        else:
            in_dims, out_dims = self._dims
            if len(in_dims) != n_in:
                raise TypeError(
                    f"vectorize: the signature {self.signature!r} has {len(in_dims)} inputs, but "
                    f"{n_in} arrays were passed (exclude the others with excluded=)."
                )
        sizes: dict[str, int] = {}
        loops = []
        for a, dims in zip(arrays, in_dims, strict=True):
            sh = tuple(shape(a))
            if len(sh) < len(dims):
                raise ValueError(
                    f"vectorize: an input of shape {sh} has fewer dimensions than its core dimensions {dims}."
                )
            for d, n in zip(dims, sh[len(sh) - len(dims) :], strict=True):
                if sizes.setdefault(d, n) != n:
                    raise ValueError(
                        f"vectorize: core dimension {d!r} is {sizes[d]} in one input and {n} in another."
                    )
            loops.append(sh[: len(sh) - len(dims)])
        loop = np.broadcast_shapes(*loops) if loops else ()
        count = math.prod(loop)
        flat = [
            reshape(broadcast_to(a, loop + tuple(shape(a))[len(lp) :]), (count,) + tuple(shape(a))[len(lp) :])
            for a, lp in zip(arrays, loops, strict=True)
        ]

        def one(*vals: Any) -> Any:
            full = list(args)
            for i, v in zip(positions, vals[: len(positions)], strict=True):
                full[i] = v
            kw = dict(fixed_kw, **dict(zip(names, vals[len(positions) :], strict=True)))
            return self.pyfunc(*full, **kw)

        with warnings.catch_warnings():  # (one call per element is NumPy's own way: no warning)
            warnings.filterwarnings("ignore", message=r"fad\.vmap\(fallback='loop'\)")
            if count == 0:  # (no element: the outputs' core shapes from one zero example)
                probe = [zeros((1, *tuple(shape(f))[1:]), dtype=f.dtype) for f in flat]
                outs = vmap(one, fallback="loop")(*probe)
            else:
                outs = vmap(one, fallback="loop")(*flat) if n_in else one()
        single = not isinstance(outs, tuple)
        outs = [asarray(o) for o in ((outs,) if single else outs)]
        if count == 0:  # (the probe's one row dropped)
            outs = [o[:0] for o in outs]
        res = tuple(reshape(o, loop + tuple(shape(o))[1:]) for o in outs)
        if out_dims is not None:
            if len(out_dims) != len(res):
                raise ValueError(
                    f"vectorize: the signature {self.signature!r} has {len(out_dims)} outputs, the function "
                    f"returned {len(res)}."
                )
            for r, dims in zip(res, out_dims, strict=True):
                core = tuple(shape(r))[len(loop) :]
                if len(core) != len(dims) or any(
                    sizes.setdefault(d, n) != n for d, n in zip(dims, core, strict=True)
                ):
                    raise ValueError(
                        f"vectorize: an output has core shape {core}, and the signature says {dims}."
                    )
        if self.otypes is not None:
            res = tuple(r.astype(t) for r, t in zip(res, self.otypes, strict=False))
        return res[0] if single else res
