"""Taylor mode: truncated power series as a trace (the engine of ``fad.jet``).

A :class:`JetTracer` carries a value ``x_0`` (one level down) and the normalized Taylor
coefficients ``[x_1, ..., x_K]`` of a curve through it, ``x(t) = x_0 + x_1 t + ... + x_K t^K``
(``None`` is a zero coefficient). For each primitive the trace computes the coefficients of
``f(x(t))`` up to the same order ``K``, so the K-th derivative along a direction costs one
pass whose price grows polynomially in ``K``, not the exponential blow-up of nesting
first-order derivatives K times.

Rules:

* ``prim.taylor(primals, series, order, **params) -> (out, out_series)``, declared with
  the primitive where a direct recurrence is cheaper (products, quotients, exp/log/sqrt,
  trigonometric and hyperbolic functions, the linear primitives);
* every other differentiable primitive gets its coefficients from its **forward rule**:
  ``y'(t) = J(x(t)) x'(t)``, so running ``prim.jvp`` under a Taylor trace of order ``K - 1``
  (values ``x(t)``, tangents ``x'(t)``) gives the series of ``y'``, and ``y_k = y'_{k-1} / k``.

Like every rule in fad, both kinds are written in fad operations, so ``jet`` nests inside
and around ``grad``, ``jvp``, ``vmap`` and ``jit``.
"""

from __future__ import annotations

from typing import Any

from fad._core import PrimalTracer, Trace, _state, missing_rule
from fad._structural import astype, broadcast_to, shape_of


class JetTracer(PrimalTracer):
    __slots__ = ("series",)

    def __init__(self, trace: Any, primal: Any, series: Any) -> None:
        self._trace = trace
        self.primal = primal
        self.shape = primal.shape
        self.dtype = primal.dtype
        self.series = series  # [x_1, ..., x_K], None for a zero coefficient


class JetTrace(Trace):
    __slots__ = ("order",)

    def __init__(self, parent: Any, name: Any, order: Any) -> None:
        super().__init__(parent, name)
        self.order = order

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        primals: list[Any] | None = None
        series: Any = None
        for i, a in enumerate(args):
            if type(a) is JetTracer and a._trace is self:
                if primals is None:
                    primals = list(args)
                    series = [None] * len(args)
                primals[i] = a.primal
                series[i] = a.series
        if primals is None:
            return self.parent.process(prim, args, params)
        if not prim.differentiable:
            return self.parent.process(prim, primals, params)
        rule = prim.taylor
        st = _state
        prev = st.trace
        st.trace = self.parent
        try:
            if rule is not None:
                out, out_series = rule(primals, series, self.order, **params)
            else:
                out, out_series = taylor_from_jvp(prim, primals, series, self.order, params)
            if prim.multiple_results:
                return tuple(self._wrap(o, s) for o, s in zip(out, out_series, strict=True))
            return self._wrap(out, out_series)
        finally:
            st.trace = prev

    def _wrap(self, out: Any, series: Any) -> Any:
        # runs one level down; coefficients take the output's shape and dtype
        if series is None or out.dtype.kind not in "fc" or all(c is None for c in series):
            return out
        shape, dtype = shape_of(out), out.dtype
        fitted = []
        for c in series:
            if c is not None:
                if shape_of(c) != shape:
                    c = broadcast_to(c, shape)
                if c.dtype != dtype:
                    c = astype(c, dtype)
            fitted.append(c)
        return JetTracer(self, out, fitted)

    def split(self, x: Any) -> Any:
        """``(value, coefficients or None)`` of an output."""
        if type(x) is JetTracer and x._trace is self:
            return x.primal, x.series
        return x, None

    def lower(self, x: Any) -> Any:
        return x.primal if type(x) is JetTracer and x._trace is self else x


def taylor_from_jvp(prim: Any, primals: Any, series: Any, order: Any, params: Any) -> Any:
    """The coefficients of ``prim(x(t))`` from ``prim``'s forward rule (runs one level down).

    ``y' = J(x(t)) x'(t)``: run ``prim.jvp`` on the curve truncated to order ``K - 1`` and
    its derivative ``x'(t)`` (coefficients ``(j + 1) x_{j+1}``) under a Taylor trace of
    order ``K - 1``; its tangent output is the series of ``y'``, and ``y_k = y'_{k-1} / k``.
    """
    if prim.jvp is None:
        raise missing_rule(prim, "Taylor-mode (jet)")
    k_max = order
    inner = JetTrace(_state.trace, "jet", k_max - 1) if k_max > 1 else None
    xs: list[Any] = []
    ts: list[Any] = []
    for p, s in zip(primals, series, strict=True):
        if s is None:
            xs.append(p)
            ts.append(None)
            continue
        d = [None if c is None else c * float(j + 1) for j, c in enumerate(s)]  # x'(t)
        if inner is None:
            xs.append(p)
            ts.append(d[0])
            continue
        xs.append(_curve(inner, p, s[: k_max - 1]))
        ts.append(_curve(inner, d[0], d[1:], like=p))
    if inner is None:
        out, t = prim.jvp(xs, ts, **params)
        if prim.multiple_results:
            return out, [None if ti is None else [ti] for ti in t]
        return out, None if t is None else [t]
    st = _state
    prev = st.trace
    st.trace = inner
    try:
        out, t = prim.jvp(xs, ts, **params)
    finally:
        st.trace = prev
        inner.alive = False
    if prim.multiple_results:
        return [inner.lower(o) for o in out], [_integrate(inner, ti, k_max) for ti in t]
    return inner.lower(out), _integrate(inner, t, k_max)


def _curve(trace: Any, value: Any, coeffs: Any, like: Any = None) -> Any:
    """A Taylor-traced value (or the plain value when its coefficients are all zero)."""
    if all(c is None for c in coeffs):
        return value
    if value is None:  # a zero value with nonzero higher coefficients
        value = like * 0.0
    return JetTracer(trace, value, list(coeffs))


def _integrate(inner: Any, t: Any, k_max: Any) -> Any:
    """``[y_1, ..., y_K]`` from the series ``[g_0, ..., g_{K-1}]`` of ``y'``: ``y_k = g_{k-1} / k``."""
    if t is None:
        return None
    value, coeffs = inner.split(t)
    g = [value] + (list(coeffs) if coeffs is not None else [None] * (k_max - 1))
    return [None if c is None else c * (1.0 / (k + 1)) for k, c in enumerate(g)]
