"""Forward mode: dual numbers as a trace.

A :class:`JVPTracer` carries a primal value and its tangent (both values one level down). For each
primitive the trace runs the primitive's ``jvp`` rule one level down, so the rule's own operations are
traced by every enclosing transform."""

from __future__ import annotations

from typing import Any

from fad._core import PrimalTracer, Trace, _state, missing_rule


class JVPTracer(PrimalTracer):
    __slots__ = ("tangent",)

    def __init__(self, trace: Any, primal: Any, tangent: Any) -> None:
        self._trace = trace
        self.primal = primal
        self.shape = primal.shape
        self.dtype = primal.dtype
        self.tangent = tangent


class JVPTrace(Trace):
    __slots__ = ()

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        primals: list[Any] | None = None
        tangents: Any = None
        for i, a in enumerate(args):
            if type(a) is JVPTracer and a._trace is self:
                if primals is None:
                    primals = list(args)
                    tangents = [None] * len(args)
                primals[i] = a.primal
                tangents[i] = a.tangent
        if primals is None or not prim.differentiable:
            if primals is not None:
                args = primals
            return self.parent.process(prim, args, params)
        rule = prim.jvp
        if rule is None:
            raise missing_rule(prim, "forward-mode (jvp)")
        st = _state
        prev = st.trace
        st.trace = self.parent
        try:
            out, t_out = rule(primals, tangents, **params)
        finally:
            st.trace = prev
        if prim.multiple_results:
            return tuple(o if t is None else JVPTracer(self, o, t) for o, t in zip(out, t_out, strict=True))
        if t_out is None:
            return out
        return JVPTracer(self, out, t_out)

    def split(self, x: Any) -> Any:
        """``(primal, tangent)`` of an output; the tangent is ``None`` for a constant."""
        if type(x) is JVPTracer and x._trace is self:
            return x.primal, x.tangent
        return x, None
