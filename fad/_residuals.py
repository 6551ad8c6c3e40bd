"""What reverse mode must keep of an elementwise operation, read from its partials' code.

A partial derivative ``(ans, *args) -> d`` that never reads, say, ``x`` lets the tape keep
``x`` as its shape and dtype only (see ``Primitive.residuals`` and ``fad._vjp``).
"""

from __future__ import annotations

import dis


def _reads(fn):
    """Names of ``fn``'s positional parameters its body reads, or None if unsure."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_flags & 0x04:  # not a plain function, or *args
        return None
    params = set(code.co_varnames[: code.co_argcount])
    if params & set(code.co_cellvars):  # captured by an inner function: assume used
        return None
    used = set()
    for ins in dis.get_instructions(fn):
        if ins.opname.startswith("LOAD_FAST") or ins.opname in ("LOAD_DEREF", "DELETE_FAST"):
            names = ins.argval if isinstance(ins.argval, tuple) else (ins.argval,)
            used.update(n for n in names if n in params)
    return used, list(code.co_varnames[: code.co_argcount])


def residuals_of(partials):
    """For each argument, which of ``ans`` and the arguments its partial derivative reads:
    a tuple of ``(keep_ans, keep_args)`` (one per argument), or None (keep everything)
    when that cannot be told from the partial's code."""
    n = len(partials)
    out = []
    for d in partials:
        if d is None or (not callable(d) and d in (1, -1)):
            out.append((False, (False,) * n))
            continue
        r = _reads(d)
        if r is None:
            return None
        used, names = r
        keep_ans = bool(names) and names[0] in used
        out.append((keep_ans, tuple(j + 1 < len(names) and names[j + 1] in used for j in range(n))))
    return tuple(out)
