"""Rule generators: one declaration gives a primitive all its rules.

* :func:`elementwise` declares an elementwise primitive by its partial derivatives, one
  expression per argument (like Julia's DiffRules). From them it builds the forward rule
  (``t_out = sum_i d_i * t_i``), the reverse rule (``ct_i = unbroadcast(ct * d_i)``) and
  the broadcasting batch rule. A partial is a function ``(ans, *args) -> derivative`` in
  fad operations, or the constants ``1`` / ``-1`` for the linear cases.
* :func:`nondifferentiable` declares an elementwise primitive with a zero derivative
  (comparisons, ``floor``): only a batch rule.
* :func:`batch_elementwise` is the generic broadcasting batcher.
"""

from __future__ import annotations

from fad._core import Primitive, Tracer
from fad._prims.structural import astype, broadcast_to, reshape, unbroadcast
from fad._residuals import residuals_of


def aligned(vals, bdims):
    """Whether the operands of a broadcasting operation already line up under vmap: every
    batched one has the largest per-example rank (no size-1 axes to insert)."""
    n = len(vals)
    if n == 2:  # the hot case (binary operations), decided by ranks (batched: one axis more)
        a, b = vals
        if bdims[0] is None:
            return getattr(a, "ndim", 0) < b.ndim
        if bdims[1] is None:
            return getattr(b, "ndim", 0) < a.ndim
        return a.ndim == b.ndim
    if n == 1:
        return True
    ranks = [len(getattr(v, "shape", ())) - (d is not None) for v, d in zip(vals, bdims, strict=True)]
    nd = max(ranks)
    return all(r == nd for r, d in zip(ranks, bdims, strict=True) if d is not None)


def align_batched(vals, bdims):
    """Make batched operands of a broadcasting operation line up.

    Every batched value (batch axis first) gets size-1 axes inserted after its batch axis
    so that its per-example rank equals the largest per-example rank; unbatched values
    then broadcast against the per-example axes as NumPy would.
    """
    if aligned(vals, bdims):
        return vals
    ranks = [len(getattr(v, "shape", ())) - (d is not None) for v, d in zip(vals, bdims, strict=True)]
    nd = max(ranks)
    out = []
    for v, d, r in zip(vals, bdims, ranks, strict=True):
        if d is not None and r < nd:
            shape = v.shape
            v = reshape(v, shape[:1] + (1,) * (nd - r) + shape[1:])
        out.append(v)
    return out


#: The batch rules made by :func:`batch_elementwise`: BatchTrace applies their primitive
#: directly to operands that already line up (its fast path), without calling the rule.
BROADCASTING_RULES = set()


def batch_elementwise(prim):
    def batch(vals, bdims, **params):
        return prim.bind(*align_batched(vals, bdims), **params), 0

    BROADCASTING_RULES.add(batch)
    return batch


def divided_by(denominator):
    """Mark a partial ``(ans, *args) -> denominator`` as the derivative ``1 / denominator``: the
    rules then compute ``ct / y``, not ``ct * (1.0 / y)`` (one operation fewer, one rounding)."""
    denominator.divides = True
    return denominator


class UnitSeed:
    """The cotangent ``1.0`` that ``grad`` pulls back right now (a fresh 0-d array, or None).
    A traced partial ``d`` of a scalar then is the cotangent itself: ``1.0 * d == d`` exactly,
    and each order of a nested ``grad`` has one operation fewer to differentiate."""

    value = None


def elementwise(prim: Primitive, *partials, symmetric=False):
    """Give ``prim`` forward, reverse and batch rules from its partial derivatives.
    ``symmetric``: ``prim(x, y) == prim(y, x)``, so ``prim(x, x)`` (say ``x * x``) gives both
    arguments one cotangent, and both tangent terms, computed once."""

    # per argument: 0 no derivative, 1 / -1 the linear cases, 2 a partial to multiply by,
    # 3 a denominator to divide by (see divided_by)
    kinds = tuple(
        0 if d is None else 3 if getattr(d, "divides", False) else d if d in (1, -1) else 2 for d in partials
    )

    def jvp(primals, tangents, **params):
        out = prim.bind(*primals, **params)
        t_out = None
        if symmetric and primals[0] is primals[1] and tangents[0] is tangents[1] is not None:
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

    def vjp(ct, ans, primals, wants, **params):
        if symmetric and primals[0] is primals[1] and wants[0]:
            c = unbroadcast(ct * partials[0](ans, *primals, **params), getattr(primals[0], "shape", ()))
            return [c, c]
        cts = []
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
            shape = getattr(primals[i], "shape", ())
            cts.append(c if c.shape == shape else unbroadcast(c, shape))  # (the common case inline)
        return cts

    prim.jvp = jvp
    prim.vjp = vjp
    prim.batch = batch_elementwise(prim)
    prim.residuals = residuals_of(partials)
    return prim


def _unit_product(d, unit):
    # the value is checked too: a custom rule may have changed the seed in place
    return unit == 1.0 and isinstance(d, Tracer) and d.shape == () and d.dtype == unit.dtype


def nondifferentiable(prim: Primitive):
    """Mark an elementwise ``prim`` as having a zero derivative, and batch it."""
    prim.differentiable = False
    prim.batch = batch_elementwise(prim)
    return prim
