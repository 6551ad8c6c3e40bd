"""Batching: ``vmap`` as a trace.

A :class:`BatchTracer` holds a value one level down whose *first* axis is the batch axis (the tracer's
own ``shape`` leaves it out). For each primitive the trace calls the primitive's ``batch`` rule with
``bdims`` that are ``0`` (batched) or ``None`` (constant). A rule may answer with its output batched
along any axis; the trace moves it to the front."""

from __future__ import annotations

from typing import Any, NoReturn

from fad._core import Trace, Tracer, TracerConversionError, _state, missing_rule
from fad._rules import BROADCASTING_RULES
from fad._structural import aligned


class BatchTracer(Tracer):
    __slots__ = ("val", "shape", "dtype")  # shape and dtype are read often: kept, not derived

    def __init__(self, trace: Any, val: Any) -> None:
        self._trace = trace
        self.val = val  # batch axis first
        self.shape = val.shape[1:]
        self.dtype = val.dtype

    def _value(self) -> Any:
        return self.val

    def _example(self) -> Any:  # one example of the batch
        v = self.val
        return (v._example() if isinstance(v, Tracer) else v)[0]

    def _concrete(self, what: Any) -> NoReturn:
        raise TracerConversionError(
            f"{what}() was called on a value batched by fad.vmap (per-example shape "
            f"{self.shape}). Each example may take a different branch, so Python control "
            "flow cannot depend on it. Compute both branches and choose with "
            "fad.numpy.where(cond, a, b) instead of if/else."
        )


class BatchTrace(Trace):
    __slots__ = ("size", "moveaxis")

    def __init__(self, parent: Any, name: Any, size: Any, moveaxis: Any) -> None:
        super().__init__(parent, name)
        self.size = size
        self.moveaxis = moveaxis  # fad function (x, src, dst) used to put bdims first

    def split(self, x: Any) -> Any:
        """``(value with the batch axis first, 0)``, or ``(x, None)`` for an unbatched value."""
        return (x.val, 0) if type(x) is BatchTracer and x._trace is self else (x, None)

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        if len(args) == 2:  # the hot case (binary operations), unrolled
            a, b = args
            ours_a = type(a) is BatchTracer and a._trace is self
            ours_b = type(b) is BatchTracer and b._trace is self
            if not (ours_a or ours_b):
                return self.parent.process(prim, args, params)
            vals: Any = [a.val if ours_a else a, b.val if ours_b else b]
            bdims: Any = [0 if ours_a else None, 0 if ours_b else None]
        else:
            vals = bdims = None
            for i, a in enumerate(args):
                if type(a) is BatchTracer and a._trace is self:
                    if vals is None:
                        vals = list(args)
                        bdims = [None] * len(args)
                    vals[i] = a.val
                    bdims[i] = 0
            if vals is None:
                return self.parent.process(prim, args, params)
        rule = prim.batch
        if (
            rule in BROADCASTING_RULES
            and not prim.multiple_results
            and (len(vals) == 1 or aligned(vals, bdims))
        ):
            # elementwise, operands lined up: the batched operation is the primitive itself, one level down
            return BatchTracer(self, self.parent.process(prim, vals, params))
        if rule is None:
            raise missing_rule(prim, "batching (vmap)")
        st = _state
        prev = st.trace
        st.trace = self.parent
        try:
            out, out_bdim = rule(vals, bdims, **params)
            if prim.multiple_results:
                return tuple(self._wrap(o, b) for o, b in zip(out, out_bdim, strict=True))
            if out_bdim == 0:  # the common answer
                return BatchTracer(self, out)
            return self._wrap(out, out_bdim)
        finally:
            st.trace = prev

    def _wrap(self, out: Any, bdim: Any) -> Any:
        # runs one level down (the caller set the parent current)
        if bdim is None:
            return out
        if bdim != 0:
            out = self.moveaxis(out, bdim, 0)
        return BatchTracer(self, out)
