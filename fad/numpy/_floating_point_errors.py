"""Floating point error handling (NumPy's "Floating point error handling"): ``seterr``,
``geterr``, ``seterrcall``, ``geterrcall`` and ``errstate``, with NumPy's meaning inside
transformed functions too.

While fad runs a user's call it switches NumPy's error state so that floating-point
warnings point at the user's line (``fad._fpe``); inside that bracket NumPy's own
``geterr`` shows fad's state and a ``seterr`` would be undone when the bracket closes.
These read and write the user's state behind the bracket: ``geterr`` reports what the
user set, ``seterr`` lasts after the transform returns (as it does after any NumPy call),
and ``errstate`` applies for its block, with fad's attribution of warnings kept.
"""

from __future__ import annotations

import contextlib

import numpy as np

from fad import _fpe


def _with_user_state(fn, *args, **kwargs):
    """``fn`` run with the user's error state current; returns ``(result, state after)``."""
    if _fpe._VAR is None:  # pragma: no cover - NumPy 1.x: no bracket, NumPy's own
        return fn(*args, **kwargs), None
    token = _fpe._VAR.set(_fpe.user_state())
    try:
        result = fn(*args, **kwargs)
        return result, _fpe._VAR.get()
    finally:
        _fpe._VAR.reset(token)


def geterr():
    """The current floating-point error handling, ``{"divide", "over", "under", "invalid"}``
    (as set by the user, also inside a transformed function).

    >>> import fad.numpy as fnp
    >>> fnp.geterr()["divide"] in ("warn", "ignore", "raise", "call", "print", "log")
    True
    """
    return _with_user_state(np.geterr)[0]


def seterr(all=None, divide=None, over=None, under=None, invalid=None):  # noqa: A002 - NumPy's names
    """Set how floating-point errors are handled (``"ignore"``, ``"warn"``, ``"raise"``,
    ``"call"``, ``"print"``, ``"log"``); returns the previous settings, as NumPy's.

    >>> import fad.numpy as fnp
    >>> old = fnp.seterr(divide="ignore")
    >>> fnp.log(0.0)
    np.float64(-inf)
    >>> _ = fnp.seterr(**old)
    """
    old, new = _with_user_state(np.seterr, all=all, divide=divide, over=over, under=under, invalid=invalid)
    if new is not None:
        _fpe.set_user_state(new)
    return old


def geterrcall():
    """The function called on floating-point errors set to ``"call"`` (or None).

    >>> import fad.numpy as fnp
    >>> old = fnp.seterrcall(print)
    >>> fnp.geterrcall() is print
    True
    >>> _ = fnp.seterrcall(old)
    """
    return _with_user_state(np.geterrcall)[0]


def seterrcall(func):
    """Set the function called on floating-point errors set to ``"call"``; returns the old one.

    >>> import fad.numpy as fnp
    >>> old = fnp.seterrcall(None)
    """
    old, new = _with_user_state(np.seterrcall, func)
    if new is not None:
        _fpe.set_user_state(new)
    return old


class errstate(contextlib.ContextDecorator):
    """Floating-point error handling for a block (or a decorated function), as
    :class:`numpy.errstate`; inside a transformed function too, where warnings keep pointing
    at the user's line.

    >>> import fad, fad.numpy as fnp
    >>> with fnp.errstate(divide="ignore"):  # no warning for log(0)
    ...     fad.grad(lambda x: x * fnp.log(0.0))(1.0)
    np.float64(-inf)
    """

    def __init__(self, *, call=np._NoValue, all=None, divide=None, over=None, under=None, invalid=None):  # noqa: A002
        self._kwargs = dict(all=all, divide=divide, over=over, under=under, invalid=invalid)
        if call is not np._NoValue:
            self._kwargs["call"] = call
        self._tokens = []

    def __enter__(self):
        if _fpe._VAR is None:  # pragma: no cover - NumPy 1.x
            self._np = np.errstate(**self._kwargs)
            return self._np.__enter__()

        def state():
            with np.errstate(**self._kwargs):
                return _fpe._VAR.get()

        new = _with_user_state(state)[0]
        self._tokens.append(_fpe._VAR.set(_fpe.running_state(new)))
        return self

    def __exit__(self, *exc):
        if _fpe._VAR is None:  # pragma: no cover
            return self._np.__exit__(*exc)
        _fpe._VAR.reset(self._tokens.pop())
        return False
