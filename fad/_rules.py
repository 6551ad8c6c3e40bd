"""Rule generators: one declaration gives a primitive all its rules. `elementwise` builds them from
the partial derivatives (like Julia's DiffRules): the forward rule `t_out = sum_i d_i * t_i`, the
reverse rule `ct_i = unbroadcast(ct * d_i)`, the broadcasting batch rule and what the tape keeps;
`nondifferentiable` gives a zero derivative (comparisons, `floor`) and a batch rule; `ufunc`
makes a NumPy ufunc's primitive. The linear generator, below the rules, is `fad._structural.linear`."""

from __future__ import annotations

from typing import Any

from fad._backend import ELEMENTWISE_BATCH_RULES
from fad._core import Primitive, Tracer
from fad._structural import align_batched, astype, broadcast_to, unbroadcast

#: The batch rules of `batch_elementwise` (BatchTrace's fast path; Dask's blockwise).
BROADCASTING_RULES = ELEMENTWISE_BATCH_RULES


def batch_elementwise(prim: Primitive) -> Any:
    """The broadcasting batch rule of an elementwise `prim`.

    The rule lines up the batched operands (`align_batched`) and applies `prim` once to the
    whole batch, batch axis first, which NumPy broadcasting allows.

    Args:
        prim: An elementwise primitive whose `impl` broadcasts its arguments as NumPy does.

    Returns:
        The rule `batch(vals, bdims, **params) -> (out, 0)`, to set as `prim.batch`.

    Examples:
        >>> import numpy as onp, fad, fad.numpy as fnp
        >>> from fad import extend
        >>> hypot_p = extend.Primitive("my_hypot", onp.hypot)
        >>> hypot_p.batch = extend.batch_elementwise(hypot_p)
        >>> fad.vmap(lambda x: extend.bind(hypot_p, x, 4.0))(fnp.array([3.0, 0.0]))
        array([5., 4.])
    """

    def batch(vals: Any, bdims: Any, **params: Any) -> Any:
        return prim.bind(*align_batched(vals, bdims), **params), 0

    BROADCASTING_RULES.add(batch)
    return batch


def ufunc(name: str, impl: Any, **facts: Any) -> Primitive:
    """A primitive computed by the NumPy ufunc ``impl``: a new array, Python numbers taken."""
    return Primitive(name, impl, returns_view=False, takes_scalars=True, **facts)


def divided_by(denominator: Any) -> Any:
    """Mark a partial derivative as one to divide by.

    `divided_by(lambda ans, x: y)`, passed to `elementwise`, is the partial `1 / y`: the
    rules then compute `t / y` and `ct / y`, not `ct * (1.0 / y)` (one operation fewer, one
    rounding).

    Args:
        denominator: A partial `(ans, *args, **params) -> y`, in fad operations.

    Returns:
        `denominator` itself, marked.

    Examples:
        >>> import numpy as onp, fad
        >>> from fad import extend
        >>> log_p = extend.Primitive("my_log", onp.log)
        >>> extend.elementwise(log_p, extend.divided_by(lambda ans, x: x))
        Primitive('my_log')
        >>> fad.grad(lambda x: extend.bind(log_p, x))(4.0)
        np.float64(0.25)
    """
    denominator.divides = True
    return denominator


class UnitSeed:
    """The cotangent ``1.0`` that ``grad`` pulls back right now (a fresh 0-d array, or None).
    A traced partial ``d`` of a scalar then is the cotangent itself: ``1.0 * d == d`` exactly,
    and each order of a nested ``grad`` has one operation fewer to differentiate."""

    value: object = None


_READS = ("ans", "x", "y", "z")


def elementwise(prim: Primitive, *partials: Any, symmetric: bool = False, keeps: Any = None) -> Primitive:
    """Give an elementwise `prim` forward, reverse and batch rules from its partial derivatives.

    Like Julia's DiffRules: the forward rule is `t_out = sum_i d_i * t_i`, the reverse rule
    `ct_i = unbroadcast(ct * d_i)` and the batch rule broadcasts (`batch_elementwise`).

    Args:
        prim: The primitive; its `impl` broadcasts its arguments as NumPy does.
        *partials: One per argument: a function `(ans, *args, **params) -> d_i` in fad
            operations (`ans` is the primitive's output), `1` or `-1` for an argument the
            output is linear in with that slope, `None` for a zero derivative, or a
            `divided_by` partial.
        symmetric: Whether `prim(x, y) == prim(y, x)` (sets `commutative`; `x * x` then gives
            both arguments one cotangent, and both tangent terms, computed once).
        keeps: Per partial, what it reads among `ans x y z` (the output and the arguments by
            position), space-separated, e.g. `("y", "x")` for `x * y`: reverse mode keeps only
            those. Without it, reverse mode keeps everything.

    Returns:
        `prim` itself, its `jvp`, `vjp` and `batch` rules set.

    Raises:
        ValueError: If `keeps` does not give one entry per partial naming only `ans` and the
            arguments.

    Examples:
        >>> import numpy as onp, fad
        >>> from fad import extend
        >>> mul_p = extend.Primitive("my_mul", onp.multiply)
        >>> extend.elementwise(
        ...     mul_p, lambda ans, x, y: y, lambda ans, x, y: x, symmetric=True, keeps=("y", "x"))
        Primitive('my_mul')
        >>> fad.grad(lambda x: extend.bind(mul_p, x, 3.0))(2.0)
        np.float64(3.0)
    """

    # per argument: 0 no derivative, 1 / -1 the linear cases, 2 a partial to multiply by, 3 one to divide by
    kinds = tuple(
        0 if d is None else 3 if getattr(d, "divides", False) else d if d in (1, -1) else 2 for d in partials
    )
    twin = symmetric and kinds[0] == 2  # prim(x, x) from one partial

    def jvp(primals: Any, tangents: Any, **params: Any) -> Any:
        out = prim.bind(*primals, **params)
        t_out = None
        if twin and primals[0] is primals[1] and tangents[0] is tangents[1] is not None:
            term = tangents[0] * partials[0](out, *primals, **params)
            t_out, tangents = term + term, ()  # x * x: t*x + t*x from one product
        for i, t in enumerate(tangents):
            if t is None:
                continue
            kind = kinds[i]
            if kind == 2:
                term = t * partials[i](out, *primals, **params)
            elif kind == 3:
                term = t / partials[i](out, *primals, **params)
            elif kind == 1:
                term = t
            elif kind == -1:
                term = -t
            else:
                continue
            t_out = term if t_out is None else t_out + term
        if t_out is not None:
            out_shape = getattr(out, "shape", ())
            if getattr(t_out, "shape", ()) != out_shape:
                t_out = broadcast_to(t_out, out_shape)
            if t_out.dtype != out.dtype:
                t_out = astype(t_out, out.dtype)
        return out, t_out

    def vjp(ct: Any, ans: Any, primals: Any, wants: Any, **params: Any) -> Any:
        if twin and primals[0] is primals[1] and wants[0]:
            c = unbroadcast(ct * partials[0](ans, *primals, **params), getattr(primals[0], "shape", ()))
            return [c, c]
        cts: list[Any] = []
        for i, w in enumerate(wants):
            kind = kinds[i]
            if not w or not kind:
                cts.append(None)
                continue
            if kind == 2:
                c = partials[i](ans, *primals, **params)
                if not (ct is UnitSeed.value and _unit_product(c, ct)):
                    c = ct * c
            elif kind == 3:
                c = ct / partials[i](ans, *primals, **params)
            elif kind == 1:
                c = ct
            else:
                c = -ct
            shape = getattr(primals[i], "shape", ())  # (a real argument: backward_pass takes the real part)
            cts.append(c if c.shape == shape else unbroadcast(c, shape))  # (the common case inline)
        return cts

    n = len(partials)
    if keeps is None and max(kinds) >= 2:
        keep = None
    else:
        reads = [set(k.split()) for k in keeps or ("",) * n]
        if len(reads) != n or not set().union(*reads) <= set(_READS[: n + 1]):
            raise ValueError(f"{prim.name}: keeps= names what each partial reads: {_READS[: n + 1]}")
        keep = tuple(("ans" in r, tuple(a in r for a in _READS[1 : n + 1])) for r in reads)
    prim.jvp, prim.vjp, prim.batch, prim.residuals = jvp, vjp, batch_elementwise(prim), keep
    prim.commutative = symmetric
    return prim


def _unit_product(d: Any, unit: Any) -> Any:
    # the value is checked too: a custom rule may have changed the seed in place
    return unit == 1.0 and isinstance(d, Tracer) and d.shape == () and d.dtype == unit.dtype


def nondifferentiable(prim: Primitive, *, symmetric: bool = False) -> Primitive:
    """Mark an elementwise `prim` as having a zero derivative, and give it a batch rule.

    For comparisons, `floor`, `sign` and the like: every transform treats the output as a
    constant.

    Args:
        prim: An elementwise primitive; its `impl` broadcasts its arguments as NumPy does.
        symmetric: Whether `prim(x, y) == prim(y, x)` (sets `commutative`).

    Returns:
        `prim` itself, marked, its `batch` rule set.

    Examples:
        >>> import numpy as onp, fad
        >>> from fad import extend
        >>> floor_p = extend.nondifferentiable(extend.Primitive("my_floor", onp.floor))
        >>> fad.grad(lambda x: x * extend.bind(floor_p, x))(2.5)
        np.float64(2.0)
    """
    prim.differentiable = False
    prim.batch = batch_elementwise(prim)
    prim.commutative = symmetric
    return prim
