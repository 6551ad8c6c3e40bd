"""Rematerialization with a policy: which intermediates of a checkpointed function reverse
mode keeps, and ``print_saved_residuals``, which shows what reverse mode keeps.

``checkpoint(fun, policy=p)`` under reverse mode (``checkpoint_p.vjp_fwd`` and ``.vjp``):

* **forward** (``policy_forward``): ``fun`` runs under a ``VJPTrace`` of its own whose parent is a
  ``_Recorder``, which notes every primitive application the tape evaluates one level down, in
  order. When ``fun`` returns, its tape says which values the backward pass reads: the declared
  residuals of each operation the outputs' cotangents reach (``backward_reads``). Walking back
  from those: an input of ``fun`` is kept anyway; a value made by an application ``p`` allows is
  saved; any other value will be recomputed, so the values it is computed from are needed in
  turn. Only the saved values are kept; the tape and everything else are dropped.
* **backward** (``policy_backward``): ``fun`` runs again under a tape of its own whose parent is
  a ``_Replayer``: the k-th application takes the value saved for it, if one was, and is computed
  otherwise. The cotangents are then pulled back along that tape.

Recording and replaying below the same kind of tape makes both passes meet the same sequence of
applications (including the ones a custom_vjp's ``fwd`` or an inner checkpoint makes). A
replay that departs from the recording (a function that does not compute the same thing each
time) stops taking saved values from there on and computes everything: the result is the same
as without a policy.
"""

from __future__ import annotations

import inspect
import os
import sys
from types import FrameType
from typing import Any

import numpy as np

from fad import _prims as st
from fad._core import Aval, Trace, current_trace, use_trace
from fad._prims.control import checkpoint_name_p
from fad._tree import keystr, tree_flatten, tree_flatten_with_path, tree_leaves, tree_unflatten
from fad._vjp import VJPTrace, _trim_plan, backward_pass

_FAD_DIR = os.path.dirname(os.path.abspath(__file__))
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__))


class _Recorder(Trace):
    """Passes every operation on to its parent, noting ``(prim, params, args, out)``; with
    ``where``, also the user's line that made it (for print_saved_residuals)."""

    __slots__ = ("records", "where")

    def __init__(self, parent: Any, where: bool = False) -> None:
        super().__init__(parent, parent.name)
        self.records: list[Any] = []
        self.where: list[Any] | None = [] if where else None

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        out = self.parent.process(prim, args, params)
        self.records.append((prim, params, args, out))
        if self.where is not None:
            self.where.append(_user_frame())
        return out


class _Replayer(Trace):
    """Passes every operation on to its parent, except those whose output was saved: the k-th
    operation then gives ``kept[k]``. ``signatures[k]`` (the primitive and its arguments' shapes
    in the recording) checks that the replay follows the recording; once it does not, nothing
    more is substituted."""

    __slots__ = ("kept", "signatures", "k")

    def __init__(self, parent: Any, kept: Any, signatures: Any) -> None:
        super().__init__(parent, parent.name)
        self.kept, self.signatures, self.k = kept, signatures, 0

    def process(self, prim: Any, args: Any, params: Any) -> Any:
        k = self.k
        if k >= 0:
            if k < len(self.signatures) and self.signatures[k] == _signature(prim, args):
                self.k = k + 1
                if k in self.kept:
                    return self.kept[k]
            else:
                self.k = -1  # out of step: compute everything from here on
        return self.parent.process(prim, args, params)


def _signature(prim: Any, args: Any) -> Any:
    return prim, tuple(np.shape(a) if not hasattr(a, "shape") else a.shape for a in args)


def _is_array(x: Any) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype") and type(x) is not Aval


def _is_float(x: Any) -> bool:
    return getattr(x, "dtype", np.result_type(x)).kind in "fc"


def _taped(fun: Any, primals: Any, parent: Any, name: str) -> Any:
    """Run ``fun(*primals)`` on a tape whose parent is ``parent``: ``(trace, inputs, outputs)``."""
    trace = VJPTrace(parent, name)
    ins = [trace.new_input(p) if _is_float(p) else p for p in primals]
    try:
        with use_trace(trace):
            outs = fun(*ins)
    finally:
        trace.alive = False
    return trace, ins, outs


def backward_reads(tape: Any, targets: Any) -> list[Any]:
    """The arrays the backward pass from the tape entries of ``targets`` (output tracers) reads,
    each once, from the last entry to the first: what each reached operation declares its
    reverse rule reads (``prim.residuals``), or all it holds where it declares nothing."""
    live = [False] * len(tape)
    for t in targets:
        live[t.index] = True
    found, seen = [], set()
    for i in range(len(tape) - 1, -1, -1):
        node = tape[i]
        if node is None or not live[i]:
            continue
        prim, _, primals, saved, parents, _, wants = node
        for _, j, _ in parents:
            live[j] = True
        keep = prim.residuals
        if keep is None:
            values = [*primals, *tree_leaves(saved)]
        else:
            traced = sum(1 << k for k, w in enumerate(wants) if w)
            light_ans, drop = _trim_plan(keep, traced)
            values = [p for k, p in enumerate(primals) if k not in drop]
            if not light_ans:
                values += tree_leaves(saved)
        for v in values:
            if _is_array(v) and id(v) not in seen:
                seen.add(id(v))
                found.append(v)
    return found


def _ask(policy: Any, prim: Any, args: Any, params: Any) -> bool:
    avals = [Aval(tuple(np.shape(a)) if not hasattr(a, "shape") else a.shape, _dtype(a)) for a in args]
    answer = policy(prim, *avals, **params)
    if answer is not True and answer is not False:
        if isinstance(answer, (bool, np.bool_)):
            return bool(answer)
        raise TypeError(
            f"The policy given to fad.checkpoint returned {answer!r} for the operation '{prim.name}'; "
            "a policy must return True (the output may be saved) or False (recompute it). Use one of "
            "fad.checkpoint_policies, or a function policy(prim, *avals, **params) -> bool."
        )
    return answer


def _dtype(a: Any) -> Any:
    return a.dtype if hasattr(a, "dtype") else np.result_type(a)


def policy_forward(fun: Any, policy: Any, primals: Any) -> Any:
    """``(outputs, saved)``: ``fun``'s outputs, and what the backward pass keeps of it under
    ``policy``: the saved values by application, and every application's signature (see the
    module docstring)."""
    rec = _Recorder(current_trace())
    trace, _, outs = _taped(fun, primals, rec, "checkpoint")
    records = rec.records
    out_values, targets = [], []
    for o in outs:
        mine = trace.owns(o)
        out_values.append(o.primal if mine else o)
        if mine:
            targets.append(o)
    needed = backward_reads(trace.tape, targets)
    del trace, outs, targets  # the forward tape is not kept
    inputs = {id(p) for p in primals}
    # id(value) -> the applications that gave it (a name's output is its input, the same array)
    made_by: dict[int, list[int]] = {}
    for k, (prim, _, _, out) in enumerate(records):
        for o in out if prim.multiple_results else (out,):
            made_by.setdefault(id(o), []).append(k)
    kept, seen, asked = {}, set(), {}
    todo = list(needed)
    while todo:
        v = todo.pop()
        if id(v) in seen or id(v) in inputs:
            continue
        seen.add(id(v))
        ks = made_by.get(id(v))
        if ks is None:  # a constant fun makes or closes over: there again when fun runs again
            continue
        for k in ks:
            if k not in asked:
                prim, params, args, _ = records[k]
                asked[k] = _ask(policy, prim, args, params)
            if asked[k]:
                kept[k] = records[k][3]
                break
        else:  # recomputed: the values it is computed from are needed
            todo.extend(a for a in records[ks[0]][2] if _is_array(a) and id(a) != id(v))
    signatures = [_signature(prim, args) for prim, _, args, _ in records]
    return tuple(out_values), (kept, signatures)


def policy_backward(fun: Any, saved: Any, primals: Any, ct: Any, wants: Any) -> list[Any]:
    """The cotangents of ``fun``'s inputs: ``fun`` recomputed taking the saved values, then its
    tape pulled back (see the module docstring)."""
    kept, signatures = saved
    trace, ins, outs = _taped(fun, primals, _Replayer(current_trace(), kept, signatures), "checkpoint")
    seeds = [(o, c) for o, c in zip(outs, ct, strict=True) if c is not None and trace.owns(o)]
    traced = [i for i, x in enumerate(ins) if trace.owns(x)]
    if not seeds:
        return [None] * len(primals)
    cts = backward_pass(trace.tape, seeds, [ins[i].index for i in traced], True)
    out: list[Any] = [None] * len(primals)
    for i, c in zip(traced, cts, strict=True):
        out[i] = c if wants[i] else None
    return out


# ------------------------------------------------------------------ print_saved_residuals


def _user_frame() -> Any:
    """``file:line:column (function)`` of the innermost frame outside fad and NumPy."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith((_FAD_DIR, _NUMPY_DIR)):
        frame = frame.f_back
    if frame is None:
        return "an unknown place"
    code = frame.f_code
    line, col = frame.f_lineno, None
    positions = list(getattr(code, "co_positions", list)())  # (Python 3.11: the column too)
    if 0 <= frame.f_lasti // 2 < len(positions):
        line, _, col, _ = positions[frame.f_lasti // 2]
    return f"{code.co_filename}:{line}:{col or 0} ({getattr(code, 'co_qualname', code.co_name)})"


def _short(x: Any) -> str:
    dt = np.dtype(_dtype(x))
    kind = "bool" if dt.kind == "b" else f"{dt.kind}{dt.itemsize * 8}"
    return f"{kind}[{','.join(map(str, np.shape(x) if not hasattr(x, 'shape') else x.shape))}]"


def saved_residuals(f: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, str]]:
    """``[(aval, where it comes from)]`` for each value reverse mode keeps of ``f(*args,
    **kwargs)``: see print_saved_residuals."""
    leaves_with_paths, _ = tree_flatten_with_path((args, kwargs))
    names = _argument_names(f, args, kwargs, leaves_with_paths)
    flat = [leaf for _, leaf in leaves_with_paths]
    flat = [st.to_array(x) if type(x) in (int, float, bool, complex) else x for x in flat]
    ids: set[int] = set()
    for i, x in enumerate(flat):  # one array passed as two arguments: two arguments kept
        if id(x) in ids and isinstance(x, np.ndarray):
            flat[i] = x = x.view()
        ids.add(id(x))
    _, tree = tree_flatten((args, kwargs))

    def flat_f(*xs: Any) -> Any:
        a, kw = tree_unflatten(tree, list(xs))
        return tree_leaves(f(*a, **kw))

    rec = _Recorder(current_trace(), where=True)
    trace, _, outs = _taped(flat_f, flat, rec, "print_saved_residuals")
    reads = backward_reads(trace.tape, [o for o in outs if trace.owns(o)])
    made_by: dict[int, list[int]] = {}
    for k, (prim, _, _, out) in enumerate(rec.records):
        for o in out if prim.multiple_results else (out,):
            made_by.setdefault(id(o), []).append(k)
    position = {id(x): i for i, x in enumerate(flat)}
    first, rest = [], []
    for v in reads:
        if id(v) in position:
            first.append((position[id(v)], v, f"from the argument {names[position[id(v)]]}"))
        elif id(v) in made_by:
            ks = made_by[id(v)]
            named = [k for k in ks if rec.records[k][0] is checkpoint_name_p]
            k = named[-1] if named else ks[0]
            prim, params = rec.records[k][:2]
            what = f"named '{params['name']}'" if named else f"output of {prim.name}"
            rest.append((ks[0], v, f"{what} from {rec.where[k]}"))  # type: ignore[index]
        else:
            rest.append((-1, v, "from a constant"))
    first.sort(key=lambda t: t[0])
    rest.sort(key=lambda t: t[0])
    return [(Aval(v.shape, _dtype(v)), src) for _, v, src in first + rest]


def _argument_names(f: Any, args: Any, kwargs: Any, leaves_with_paths: Any) -> list[str]:
    """The name of each flat argument: the parameter's name, and the leaf's path inside it."""
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    star = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), None)
    names = []
    for path, _ in leaves_with_paths:
        top, which, rest = path[0], path[1], path[2:]
        key = getattr(which, "idx", getattr(which, "key", None))
        if getattr(top, "idx", 1) == 0:  # a positional argument
            if isinstance(key, int) and key < len(positional):
                base = positional[key]
            elif star is not None and isinstance(key, int):
                base = f"{star}[{key - len(positional)}]"
            else:
                base = f"args[{key}]"
        else:
            base = str(key)
        names.append(base + keystr(rest))
    return names


def print_saved_residuals(f: Any, *args: Any, **kwargs: Any) -> None:
    """Print what reverse mode keeps of `f` at `args`: one line per value the backward pass of
    `fad.vjp(f, *args)` reads, with its shape and dtype and where it comes from (an argument,
    the output of an operation at a line of your code, a value named with `checkpoint_name`, or
    a constant), as JAX's `jax.ad_checkpoint.print_saved_residuals`.

    It lists what the reverse rules declare they read, which is what the tape holds for large
    arrays; fad keeps a small array (under 4096 elements) whole even where its rule does not
    read it, since that is cheaper than describing it. fad's rules keep an operation's inputs
    where JAX's keep a derivative computed in the forward pass (`sin` keeps its input, not
    `cos(x)`), so the lists differ from JAX's in those places.

    Args:
        f: The function.
        *args: Its positional arguments (arrays or pytrees of arrays).
        **kwargs: Its keyword arguments.

    Returns:
        None: the lines are printed.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> from fad.ad_checkpoint import print_saved_residuals
        >>> def f(w, x):
        ...     return fnp.sin(fnp.dot(w, x))
        >>> print_saved_residuals(f, fnp.ones((3, 2)), fnp.ones(2))  # doctest: +ELLIPSIS
        f64[3,2] from the argument w
        f64[2] from the argument x
        f64[3] output of matmul from ...
        >>> print_saved_residuals(fad.checkpoint(f), fnp.ones((3, 2)), fnp.ones(2))
        f64[3,2] from the argument w
        f64[2] from the argument x
    """
    for aval, src in saved_residuals(f, *args, **kwargs):
        print(f"{_short(aval)} {src}")
