"""Forward and reverse derivatives of a helper function, for rules that differentiate an
expression rather than spell out its derivative (the adjugate's rules in
``fad/_prims/linalg.py`` differentiate a division-free form of it).

These are the transforms' engines without the public API's argument handling: the
arguments are arrays (or values of enclosing transforms), one output, no pytrees. They
live in the transforms layer, so the primitives can use them without importing the API.
"""

from __future__ import annotations

from typing import Any

from fad._core import _state, use_trace
from fad._jvp import JVPTrace, JVPTracer
from fad._vjp import VJPTrace, backward_pass


def jvp_of(fun: Any, primals: Any, tangents: Any) -> Any:
    """``(fun(*primals), its derivative along tangents)``; a ``None`` tangent is a zero."""
    trace = JVPTrace(_state.trace, "jvp")
    ins = [p if t is None else JVPTracer(trace, p, t) for p, t in zip(primals, tangents, strict=True)]
    try:
        with use_trace(trace):
            out = fun(*ins)
    finally:
        trace.alive = False
    return trace.split(out)


def vjp_of(fun: Any, primals: Any, ct: Any) -> Any:
    """The cotangents of ``primals`` for the cotangent ``ct`` of ``fun(*primals)`` (``None``
    for a primal the output does not depend on)."""
    trace = VJPTrace(_state.trace, "vjp")
    ins = [trace.new_input(p) for p in primals]
    try:
        with use_trace(trace):
            out = fun(*ins)
    finally:
        trace.alive = False
    if not trace.owns(out):
        return [None] * len(primals)
    return backward_pass(trace.tape, [(out, ct)], [x.index for x in ins])
