"""Rule generators: one declaration gives a primitive all its rules. :func:`elementwise` builds them from
the partial derivatives (like Julia's DiffRules): the forward rule ``t_out = sum_i d_i * t_i``, the
reverse rule ``ct_i = unbroadcast(ct * d_i)``, the broadcasting batch rule and what the tape keeps;
:func:`nondifferentiable` gives a zero derivative (comparisons, ``floor``) and a batch rule; :func:`ufunc`
makes a NumPy ufunc's primitive. The linear generator, below the rules, is :func:`fad._structural.linear`."""

from __future__ import annotations

from typing import Any

from fad._backend import ELEMENTWISE_BATCH_RULES
from fad._core import Primitive, Tracer
from fad._structural import align_batched, astype, broadcast_to, unbroadcast

#: The batch rules of :func:`batch_elementwise` (BatchTrace's fast path; Dask's blockwise).
BROADCASTING_RULES = ELEMENTWISE_BATCH_RULES


def batch_elementwise(prim: Primitive) -> Any:
    """The broadcasting batch rule of ``prim``."""

    def batch(vals: Any, bdims: Any, **params: Any) -> Any:
        return prim.bind(*align_batched(vals, bdims), **params), 0

    BROADCASTING_RULES.add(batch)
    return batch


def ufunc(name: str, impl: Any, **facts: Any) -> Primitive:
    """A primitive computed by the NumPy ufunc ``impl``: a new array, Python numbers taken."""
    return Primitive(name, impl, returns_view=False, takes_scalars=True, **facts)


def divided_by(denominator: Any) -> Any:
    """Mark a partial ``(ans, *args) -> denominator`` as the derivative ``1 / denominator``: the
    rules then compute ``ct / y``, not ``ct * (1.0 / y)`` (one operation fewer, one rounding)."""
    denominator.divides = True
    return denominator


class UnitSeed:
    """The cotangent ``1.0`` that ``grad`` pulls back right now (a fresh 0-d array, or None).
    A traced partial ``d`` of a scalar then is the cotangent itself: ``1.0 * d == d`` exactly,
    and each order of a nested ``grad`` has one operation fewer to differentiate."""

    value: object = None


_READS = ("ans", "x", "y", "z")


def elementwise(prim: Primitive, *partials: Any, symmetric: bool = False, keeps: Any = None) -> Primitive:
    """Give ``prim`` forward, reverse and batch rules from its partial derivatives: each a function
    ``(ans, *args, **params)`` in fad operations, ``1``/``-1``, or ``None`` (zero). ``keeps``: per partial,
    what it reads among ``ans x y z`` (arguments by position), e.g. ``("y", "x")`` for ``x * y``; reverse
    mode keeps only those (without: everything). ``symmetric``: ``prim(x, y) == prim(y, x)``
    (``commutative``; ``x * x`` gives both arguments one cotangent, and both tangent terms, computed once)."""

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
    """Mark an elementwise ``prim`` as having a zero derivative, and batch it."""
    prim.differentiable = False
    prim.batch = batch_elementwise(prim)
    prim.commutative = symmetric
    return prim
