"""NaN provenance: ``fad.config.update("debug_nans", True)`` or ``with fad.debug_nans():``.

When on, fad checks the output of every primitive it evaluates and raises
:class:`NaNError` at the first NaN, naming the primitive, whether it was computing a value,
a tangent (forward mode) or a cotangent (reverse mode), the transform, and the line of
the user's code that applied the operation. A NaN cotangent born from a zero incoming
cotangent gets a hint about the ``where`` trap.

The setting is per thread: ``with fad.debug_nans():`` checks the calling thread only, and
``fad.config.update`` sets the default of every thread. Switching it on swaps in checking
versions of the traces' methods, so the normal hot path pays nothing while no thread
checks.

>>> import fad, fad.numpy as fnp
>>> with fad.debug_nans():  # doctest: +ELLIPSIS
...     fad.grad(lambda x: fnp.where(x > 0, fnp.log(x), 0.0))(0.0)
Traceback (most recent call last):
  ...
fad._debug.NaNError: debug_nans: NaN in the cotangent computed by the reverse rule of 'log' ...
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _core, _jvp, _vjp, _vmap
from fad._core import FadError
from fad._staging import _user_source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["NaNError", "config", "debug_nans"]


class NaNError(FadError, FloatingPointError):
    """A primitive produced a NaN while `debug_nans` was on."""

    def __init__(self, msg: Any, annotated: Any = False) -> None:
        super().__init__(msg)
        self.annotated = annotated


def _has_nan(x: Any) -> Any:
    if isinstance(x, (tuple, list)):
        return any(_has_nan(o) for o in x)
    dt = getattr(x, "dtype", None)
    if dt is None or dt.kind not in "fc":
        return False
    return bool(np.isnan(x).any())


def _source() -> Any:
    src = _user_source()
    return f" at {src}" if src else ""


# --------------------------------------------------------------- checking versions

# The checking versions are installed while any thread may want them; each one asks its
# own thread's flag first and, if off, is the original method plus one attribute read.
_FLAGS = _core.FLAGS

_orig: dict[str, Callable[..., Any]] = {
    "eval": _core.EvalTrace.process,
    "jvp": _jvp.JVPTrace.process,
    "vjp": _vjp.VJPTrace.process,
    "vmap": _vmap.BatchTrace.process,
}


def _eval_checked(self: Any, prim: Any, args: Any, params: Any) -> Any:
    out = _orig["eval"](self, prim, args, params)
    if _FLAGS.debug_nans and _has_nan(out) and not any(_has_nan(a) for a in args):
        raise NaNError(
            f"debug_nans: the primitive '{prim.name}' produced NaN from NaN-free inputs{_source()}. "
            "Check its inputs' domain (log or sqrt of a negative number, 0/0, inf - inf)."
        )
    return out


def _annotating(kind: Any, what: Any) -> Any:
    orig = _orig[kind]

    def process(self: Any, prim: Any, args: Any, params: Any) -> Any:
        try:
            return orig(self, prim, args, params)
        except NaNError as e:
            if e.annotated:
                raise
            raise NaNError(
                f"{e} It happened in the {what} rule of '{prim.name}' under fad.{self.name}.",
                annotated=True,
            ) from None

    return process


_jvp_annotating = _annotating("jvp", "forward-mode")
_vmap_annotating = _annotating("vmap", "batching")


def _jvp_checked(self: Any, prim: Any, args: Any, params: Any) -> Any:
    if not _FLAGS.debug_nans:
        return _orig["jvp"](self, prim, args, params)
    out = _jvp_annotating(self, prim, args, params)
    outs = out if isinstance(out, tuple) else (out,)
    t_out = [self.split(o)[1] for o in outs]
    if any(t is not None and _has_nan(_concrete(t)) for t in t_out):
        t_in = [t for t in (self.split(a)[1] for a in args) if t is not None]
        if not any(_has_nan(_concrete(t)) for t in t_in):
            raise NaNError(
                f"debug_nans: NaN in the tangent computed by the forward-mode rule of '{prim.name}' "
                f"under fad.{self.name}{_source()}, from NaN-free tangents (an infinite derivative "
                "times zero, e.g. sqrt'(0) * 0).",
                annotated=True,
            )
    return out


def _vmap_checked(self: Any, prim: Any, args: Any, params: Any) -> Any:
    if not _FLAGS.debug_nans:
        return _orig["vmap"](self, prim, args, params)
    return _vmap_annotating(self, prim, args, params)


def _vjp_checked(self: Any, prim: Any, args: Any, params: Any) -> Any:
    if not _FLAGS.debug_nans:
        return _orig["vjp"](self, prim, args, params)
    n = len(self.tape)
    try:
        out = _orig["vjp"](self, prim, args, params)
    except NaNError as e:
        if e.annotated:
            raise
        raise NaNError(f"{e} (forward pass of fad.{self.name})", annotated=True) from None
    if len(self.tape) > n:
        _SOURCES.setdefault(id(self.tape), (self.name, {}))[1][n] = _source()
    return out


# id(tape) -> (transform name, {tape index: " at file:line"}), only while debugging
_SOURCES: dict[int, tuple[str, dict[int, str]]] = {}


def check_backward_rule(tape: Any, index: Any, prim: Any, ct: Any, run: Any) -> Any:
    """Run one reverse rule (``run()``) and name it if a NaN appears (called by the
    backward pass only while debug_nans is on)."""
    try:
        out = run()
    except NaNError as e:
        if e.annotated:
            raise
        raise _backward_error(tape, index, prim, ct) from None
    if _has_nan([_concrete(c) for c in out if c is not None]):
        raise _backward_error(tape, index, prim, ct)
    return out


def _backward_error(tape: Any, index: Any, prim: Any, ct: Any) -> Any:
    trace_name, sources = _SOURCES.get(id(tape), ("grad", {}))
    where = sources.get(index, "")
    msg = (
        f"debug_nans: NaN in the cotangent computed by the reverse rule of '{prim.name}' "
        f"(backward pass of fad.{trace_name}), for the operation{where or ' (source unknown)'}."
    )
    cts = ct if isinstance(ct, (list, tuple)) else [ct]
    if any(c is not None and not _has_nan(c) and not np.any(np.asarray(_concrete(c)) != 0) for c in cts):
        msg += (
            " The incoming cotangent was zero: this is the `where` trap. A branch that "
            "fad.numpy.where did not take still gets a zero cotangent, and 0 * inf = NaN. Make "
            "the untaken branch's input safe instead, e.g. where(x > 0, log(where(x > 0, x, 1.0)), 0.0)."
        )
    return NaNError(msg, annotated=True)


def _concrete(c: Any) -> Any:
    while isinstance(c, _core.Tracer):
        c = c._value()
    return c


# ---------------------------------------------------------------------- switching
#
# The flag is per thread (``_core.FLAGS`` is a ``threading.local``): its class attribute is
# the default of every thread (``fad.config.update``), an instance attribute is one
# thread's own value (``with fad.debug_nans():``). The checking methods are swapped in
# while the default is on or any thread's ``with`` block turned it on, and swapped out
# when none does, so the hot path pays nothing while no thread debugs.

_lock = threading.Lock()
_enabled_blocks = 0  # ``with debug_nans(True)`` blocks open, in every thread


_SWAPPED: list[tuple[type[_core.Trace], str, Callable[..., Any]]] = [
    (_core.EvalTrace, "eval", _eval_checked),
    (_jvp.JVPTrace, "jvp", _jvp_checked),
    (_vmap.BatchTrace, "vmap", _vmap_checked),
    (_vjp.VJPTrace, "vjp", _vjp_checked),
]


def _install() -> None:
    """Swap the checking methods in or out to match the threads' needs (under ``_lock``)."""
    on = bool(_enabled_blocks or type(_FLAGS).debug_nans)
    for cls, kind, checked in _SWAPPED:
        cls.process = checked if on else _orig[kind]  # type: ignore[method-assign]
    _vjp.BACKWARD_CHECK = check_backward_rule if on else None
    if not on:
        _SOURCES.clear()


class _Config:
    """fad's switches: `fad.config.update("debug_nans", True)`.

    `update` sets the default of every thread, as JAX's `jax.config.update` does; a
    `with fad.debug_nans(...)` block overrides it in its own thread only. The `debug_nans`
    property reads the calling thread's value.

    Examples:
        >>> import fad
        >>> fad.config.debug_nans
        False
    """

    @property
    def debug_nans(self) -> bool:
        """Whether NaN checking is on in the calling thread."""
        return _FLAGS.debug_nans

    @property
    def disable_jit(self) -> bool:
        """Whether `fad.jit` functions run as plain Python (set by `update`)."""
        from fad._jit import _DISABLED

        return bool(_DISABLED[1])

    @property
    def explain_cache_misses(self) -> bool:
        """Whether `fad.jit` logs why it compiles again (set by `update`)."""
        from fad._jit import _EXPLAIN

        return _EXPLAIN[0]

    #: JAX's 64-bit switch: always on in fad, whose default dtypes are NumPy's.
    jax_enable_x64 = True
    x64_enabled = True

    def update(self, name: str, value: Any) -> None:
        """Set a switch for every thread (a `fad.debug_nans` block still overrides it in its own).

        Besides fad's own, JAX's options that ported code sets are accepted:
        `"jax_enable_x64"` (True: fad's default dtypes are already 64-bit, as NumPy's),
        `"jax_platform_name"` / `"jax_platforms"` (`"cpu"`, the one fad has),
        `"jax_default_matmul_precision"` (NumPy computes in the arrays' precision) and
        `"jax_disable_jit"` (as `fad.disable_jit`, until set back).

        `"explain_cache_misses"` (or JAX's `"jax_explain_cache_misses"`): each time a
        `fad.jit` function compiles for a new signature, log why, as a WARNING of the
        `logging` logger `"fad.jit"`: the first compilation, or which argument's shape,
        dtype, structure or static value differs from the closest signature compiled before.
        A call that finds its code costs nothing more.

        Args:
            name: `"debug_nans"` (or `"jax_debug_nans"`), `"disable_jit"` (or
                `"jax_disable_jit"`), `"explain_cache_misses"` (or
                `"jax_explain_cache_misses"`), or one of JAX's options above.
            value: Its new value.

        Raises:
            KeyError: If `name` is not a switch fad has.
            ValueError: If the value asks for what fad cannot do (32-bit defaults, a GPU).
        """
        if name in ("jax_enable_x64", "enable_x64"):
            if not value:
                raise ValueError(
                    "fad.config: jax_enable_x64=False asks for 32-bit default dtypes, and fad's are "
                    "NumPy's (float64, int64); pass dtype=float32 where you want 32 bits."
                )
            return
        if name in ("jax_platform_name", "jax_platforms"):
            if value not in (None, "", "cpu"):
                raise ValueError(
                    f"fad.config: fad computes with NumPy on the CPU; {name}={value!r} is not available."
                )
            return
        if name == "jax_default_matmul_precision":
            return
        if name in ("jax_disable_jit", "disable_jit"):
            from fad._jit import _DISABLED, _set_disabled

            _set_disabled(int(_DISABLED[0]), bool(value))
            return
        if name in ("jax_explain_cache_misses", "explain_cache_misses"):
            from fad._jit import _EXPLAIN

            _EXPLAIN[0] = bool(value)
            return
        if name not in ("debug_nans", "jax_debug_nans"):
            raise KeyError(
                f"fad.config has no option {name!r}; options: 'debug_nans', 'disable_jit', "
                "'explain_cache_misses', and JAX's 'jax_enable_x64', 'jax_platform_name', "
                "'jax_default_matmul_precision'."
            )
        with _lock:
            type(_FLAGS).debug_nans = bool(value)
            _install()


config = _Config()


@contextlib.contextmanager
def debug_nans(enabled: bool = True) -> Iterator[None]:
    """Turn NaN checking on (or off) inside a `with` block, in the calling thread only.

    While it is on, a primitive that produces a NaN from NaN-free inputs raises `NaNError`
    naming the operation, the rule (forward, reverse or batching) and the user's line. Other
    threads keep their own setting; blocks nest, and leaving one restores the setting it found.

    Args:
        enabled: Whether to check inside the block.

    Returns:
        A context manager.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> with fad.debug_nans():
        ...     with fad.debug_nans(False):
        ...         fad.config.debug_nans
        ...     fad.config.debug_nans
        False
        True
    """
    global _enabled_blocks
    enabled = bool(enabled)
    own = _FLAGS.__dict__
    had, prev = "debug_nans" in own, own.get("debug_nans", False)
    with _lock:
        _FLAGS.debug_nans = enabled
        _enabled_blocks += enabled
        _install()
    try:
        yield
    finally:
        with _lock:
            if had:
                _FLAGS.debug_nans = prev
            else:
                del _FLAGS.debug_nans
            _enabled_blocks -= enabled
            _install()
