# mypy: allow-redefinition-new, local-partial-types
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
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _fpe

if TYPE_CHECKING:
    from collections.abc import Callable


def _with_user_state(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn`` run with the user's error state current; returns ``(result, state after)``."""
    if _fpe._VAR is None:  # pragma: no cover - NumPy 1.x: no bracket, NumPy's own
        return fn(*args, **kwargs), None
    token = _fpe._VAR.set(_fpe.user_state())
    try:
        result = fn(*args, **kwargs)
        return result, _fpe._VAR.get()
    finally:
        _fpe._VAR.reset(token)


def geterr() -> dict[str, str]:
    """The current floating-point error handling, `{"divide", "over", "under", "invalid"}`
    (as set by the user, also inside a transformed function).

    Returns:
        The current settings, a dict with the keys "divide", "over", "under" and "invalid".

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.geterr()["divide"] in ("warn", "ignore", "raise", "call", "print", "log")
        True
    """
    state: dict[str, str] = _with_user_state(np.geterr)[0]
    return state


def seterr(
    all: str | None = None,
    divide: str | None = None,
    over: str | None = None,
    under: str | None = None,
    invalid: str | None = None,
) -> dict[str, str]:  # noqa: A002 - NumPy's names
    """Set how floating-point errors are handled (`"ignore"`, `"warn"`, `"raise"`,
    `"call"`, `"print"`, `"log"`); returns the previous settings, as NumPy's.

    Args:
        all: Treatment of every kind of error at once: "ignore", "warn", "raise", "call", "print" or "log".
        divide: Treatment of division by zero (as `all`).
        over: Treatment of overflow (as `all`).
        under: Treatment of underflow (as `all`).
        invalid: Treatment of invalid operations, such as 0/0 (as `all`).

    Returns:
        The previous settings, a dict.

    Examples:
        >>> import fad.numpy as fnp
        >>> old = fnp.seterr(divide="ignore")
        >>> fnp.log(0.0)
        np.float64(-inf)
        >>> _ = fnp.seterr(**old)
    """
    old: dict[str, str]
    old, new = _with_user_state(np.seterr, all=all, divide=divide, over=over, under=under, invalid=invalid)
    if new is not None:
        _fpe.set_user_state(new)
    return old


def geterrcall() -> Callable[..., Any] | None:
    """The function called on floating-point errors set to `"call"` (or None).

    Returns:
        The function (or None).

    Examples:
        >>> import fad.numpy as fnp
        >>> old = fnp.seterrcall(print)
        >>> fnp.geterrcall() is print
        True
        >>> _ = fnp.seterrcall(old)
    """
    call: Callable[..., Any] | None = _with_user_state(np.geterrcall)[0]
    return call


def seterrcall(func: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """Set the function called on floating-point errors set to `"call"`; returns the old one.

    Args:
        func: Function to apply.

    Returns:
        The previous function (or None).

    Examples:
        >>> import fad.numpy as fnp
        >>> old = fnp.seterrcall(None)
    """
    old: Callable[..., Any] | None
    old, new = _with_user_state(np.seterrcall, func)
    if new is not None:
        _fpe.set_user_state(new)
    return old


class errstate(contextlib.ContextDecorator):
    """Floating-point error handling for a block (or a decorated function), as
    `numpy.errstate`; inside a transformed function too, where warnings keep pointing
    at the user's line.

    Args:
        call: Function (or object with a `write` method) used by "call" (or "log").
        all: Treatment of every kind of error at once: "ignore", "warn", "raise", "call", "print" or "log".
        divide: Treatment of division by zero (as `all`).
        over: Treatment of overflow (as `all`).
        under: Treatment of underflow (as `all`).
        invalid: Treatment of invalid operations, such as 0/0 (as `all`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> with fnp.errstate(divide="ignore"):  # no warning for log(0)
        ...     fad.grad(lambda x: x * fnp.log(0.0))(1.0)
        np.float64(-inf)
    """

    def __init__(
        self,
        *,
        call: Any = np._NoValue,
        all: str | None = None,
        divide: str | None = None,
        over: str | None = None,
        under: str | None = None,
        invalid: str | None = None,
    ) -> None:  # noqa: A002
        self._kwargs: dict[str, Any] = dict(all=all, divide=divide, over=over, under=under, invalid=invalid)
        if call is not np._NoValue:
            self._kwargs["call"] = call
        self._tokens: list[Any] = []

    def __enter__(self) -> Any:
        if _fpe._VAR is None:  # pragma: no cover - NumPy 1.x
            self._np = np.errstate(**self._kwargs)
            return self._np.__enter__()

        def state() -> Any:
            with np.errstate(**self._kwargs):
                return _fpe._VAR.get()

        new = _with_user_state(state)[0]
        self._tokens.append(_fpe._VAR.set(_fpe.running_state(new)))
        return self

    def __exit__(self, *exc: Any) -> Any:
        if _fpe._VAR is None:  # pragma: no cover
            return self._np.__exit__(*exc)
        _fpe._VAR.reset(self._tokens.pop())
        return False
