"""NumPy's floating-point warnings, attributed to the user's line.

NumPy reports a floating-point error (``divide by zero encountered in log``) as a
``RuntimeWarning`` at the innermost Python frame, which inside a transform is one of fad's
own (``fad/_core.py``), so every such warning pointed at the same fad line (and Python's
once-per-location rule then hid all but the first). While fad runs a user's call, NumPy's
error state is switched so that the kinds the user had set to ``"warn"`` call
:func:`_report` instead, which warns at the first frame outside fad and NumPy: the user's
line in the function being transformed, or, for the derivative rules run after it returned,
the line that called the transform. Kinds set to ``"ignore"``, ``"raise"``, ``"call"``,
``"print"`` or ``"log"`` (``numpy.errstate``, ``numpy.seterr``) keep their meaning.

:func:`enter` / :func:`leave` bracket a call; nested calls cost one context-variable read.
The switch uses NumPy's error-state context variable (NumPy 2); on older NumPy it is a
no-op and the warnings keep NumPy's own attribution.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from types import FrameType

try:  # NumPy >= 2: the error state is a context variable holding an "extobj"
    from numpy._core.umath import _extobj_contextvar, _make_extobj

    _VAR = _extobj_contextvar  # (named here: fad.numpy's errstate reads it)
except ImportError:  # pragma: no cover - NumPy 1.x
    _VAR = None  # type: ignore[assignment]

_FAD_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__)) + os.sep
_KINDS = ("divide", "over", "under", "invalid")

#: outer error state -> the one fad runs under (ours map to themselves)
_DERIVED: dict[Any, Any] = {}
#: the one fad runs under -> the user's (when they differ)
_OUTER: dict[Any, Any] = {}
#: user state -> staging's capture state in front of it (every error ignored); those map
#: to themselves
_QUIET: dict[Any, Any] = {}


def _report(kind: Any, flag: Any) -> None:
    """NumPy's error callback: warn as NumPy would, at the user's frame."""
    frame: FrameType | None = sys._getframe(1)
    level, name = 2, None
    while frame is not None and frame.f_code.co_filename.startswith((_FAD_DIR, _NUMPY_DIR)):
        if name is None:
            prim = frame.f_locals.get("prim")
            name = getattr(prim, "name", None) if type(prim).__name__ == "Primitive" else None
        frame = frame.f_back
        level += 1
    where = f" in {name}" if name else ""
    warnings.warn(f"{kind} encountered{where}", RuntimeWarning, stacklevel=level)


def _derive(outer: Any, in_force: bool = False) -> Any:
    """fad's state for the user state ``outer`` (``in_force``: the one set right now)."""
    if in_force:
        modes: Any = np.geterr()  # (a TypedDict, indexed by kind below)
    else:
        token = _VAR.set(outer)
        try:
            modes = np.geterr()
        finally:
            _VAR.reset(token)
    kw: dict[str, Any] = {}
    warn = own = False
    for k in _KINDS:  # (a loop, not comprehensions: this runs once a process)
        m = modes[k]
        warn = warn or m == "warn"
        own = own or m in ("call", "log")
        kw[k] = "call" if m == "warn" else m
    if not warn or own:  # nothing to attribute, or the user has a callback of their own
        ours = outer
    else:
        ours = _make_extobj(call=_report, **kw)
    if len(_DERIVED) > 64:
        _DERIVED.clear()
        _OUTER.clear()
        _QUIET.clear()
    _DERIVED[outer] = ours
    _DERIVED[ours] = ours
    if ours is not outer:
        _OUTER[ours] = outer
    return ours


def enter() -> Any:
    """Switch to fad's error state; returns a token for :func:`leave` (None: unchanged)."""
    if _VAR is None:
        return None
    cur = _VAR.get()
    ours = _DERIVED.get(cur)
    if ours is None:
        ours = _derive(cur, in_force=True)
    return None if ours is cur else _VAR.set(ours)


def leave(token: Any) -> None:
    if token is not None:
        _VAR.reset(token)
        if not _SEEN_PENDING:  # the common case: no fad.numpy.seterr inside a bracket, ever
            return
        pending = _PENDING.get()
        if pending is not None:  # the user changed the error state inside the bracket
            if _VAR.get() in _OUTER:  # still inside an outer bracket: it applies it later
                _VAR.set(running_state(pending))
            else:
                _VAR.set(pending)
                _PENDING.set(None)


@contextlib.contextmanager
def quiet() -> Any:
    """Every floating-point error ignored (staging's capture, whose example values may meet
    NaNs and infinities), with the user's state kept behind it for fad.numpy.geterr."""
    if _VAR is None:  # pragma: no cover - NumPy 1.x
        with np.errstate(all="ignore"):
            yield
        return
    token = _VAR.set(_quiet_for(user_state()))
    try:
        yield
    finally:
        leave(token)


def _quiet_for(user: Any) -> Any:
    """The capture's state in front of the user state ``user`` (one per user state)."""
    q = _QUIET.get(user)
    if q is None:
        if len(_QUIET) > 64:
            _QUIET.clear()
        q = _make_extobj(all="ignore")
        _QUIET[user] = q
        _QUIET[q] = q
        _OUTER[q] = user
    return q


# ----------------------------------------------- the error state the user sees and sets
# Inside a bracket NumPy's error state is fad's (warnings turned into calls of _report);
# fad.numpy.seterr / geterr / errstate read and write the user's state behind it, so that
# inside a transform they mean what NumPy's do outside one.

#: a user state set inside a bracket, to be the state once the bracket is left
_PENDING = contextvars.ContextVar("fad_fpe_pending", default=None)
#: whether any bracket ever had one (until then, leaving a bracket need not look)
_SEEN_PENDING = False


def user_state() -> Any:
    """The error state as the user set it (behind fad's bracket, if inside one)."""
    cur = _VAR.get()
    return _OUTER.get(cur, cur)


def set_user_state(state: Any) -> None:
    """Make ``state`` the user's error state: now (as fad runs it inside a bracket) and after
    the bracket is left."""
    global _SEEN_PENDING
    if _VAR.get() in _OUTER:
        _VAR.set(running_state(state))
        _PENDING.set(state)
        _SEEN_PENDING = True
    else:
        _VAR.set(state)


def running_state(state: Any) -> Any:
    """The state to run under for the user state ``state``: fad's form of it inside a
    bracket (all errors ignored inside a capture), ``state`` itself outside."""
    cur = _VAR.get()
    if _QUIET.get(cur) is cur:
        return _quiet_for(state)
    if cur in _OUTER:
        return _DERIVED.get(state) or _derive(state)
    return state
