"""autograd's ``test_util``: ``check_grads(f, argnum, modes, order)(*args)``, curried as autograd's.

>>> import fad.autograd.numpy as np
>>> from fad.autograd.test_util import check_grads
>>> check_grads(np.sin, modes=["fwd", "rev"], order=2)(np.array([0.5, 1.5]))
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

import numpy as onp

import fad
import fad.numpy as fnp
from fad import test_util as _fad_test_util
from fad._core import Tracer
from fad.autograd._vspace import vspace
from fad.autograd.differential_operators import _unary
from fad.tree_util import tree_map

__all__ = ["check_equivalent", "check_grads", "check_jvp", "check_vjp", "combo_check", "scalar_close"]


def check_grads(
    f: Callable[..., Any], argnum: Any = 0, modes: Any = ("fwd", "rev"), order: int = 2
) -> Callable[..., Any]:
    """A function of ``f``'s arguments that checks ``f``'s derivatives with respect to
    argument ``argnum`` (an int or a tuple) up to ``order``, in forward and/or reverse mode,
    against finite differences (``fad.test_util.check_grads``); raises ``AssertionError``.
    The random directions come from NumPy's global random state, as autograd's do."""
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    if not all(m in ("fwd", "rev") for m in modes):
        raise ValueError(f"modes must be among 'fwd' and 'rev', got {modes}")

    def check(*args: Any, **kwargs: Any) -> None:
        fu, x = _unary(f, argnum, args, kwargs)
        _check(fu, (x,), order, modes, getattr(f, "__name__", "function"))

    return check


_MODE_NAMES = {"fwd": "JVP", "rev": "VJP"}


def _random_like(tree: Any) -> Any:
    def draw(v: Any) -> Any:
        v = fnp.asarray(v) if isinstance(v, Tracer) else onp.asarray(v)
        r = onp.random.randn(*v.shape)
        if v.dtype.kind == "c":
            r = r + 1j * onp.random.randn(*v.shape)
        return r if v.dtype.kind in "fc" else fnp.zeros_like(v)

    return tree_map(draw, tree)


def _check(f: Any, args: Any, order: Any, modes: Any, name: Any) -> None:
    """First-order checks of ``f`` (a function of the arguments ``args``) in each mode, then
    (as autograd's) of the functions ``(*args, v) -> J^T v`` (named ``vjp_<name>``) and
    ``(*args, *v) -> J v`` (``jvp_<name>``) to ``order - 1``, so that a derivative rule's own
    derivative is checked in every argument."""
    out = None
    for mode in modes:
        try:
            if mode == "rev" and "fwd" not in modes:  # (check_grads' own path, without its dispatch)
                # against finite differences, within 1e-6 + 1e-5 |<ct, J t>| (fad's check takes
                # ten times atol + rtol * scale there, the scale not floored at 1): autograd's
                # absolute 1e-6, and room for an ODE adjoint's own error. fad.test_util's
                # default (1e-4 + 1e-4 max(1, |.|)) let a reverse rule off by 1e-3 pass for one
                # random direction in four
                out = _fad_test_util._check_vjp(f, args, TOL / 10, RTOL, EPS, None, False, 0.0)
            else:
                _fad_test_util.check_grads(f, args, order=1, modes=(mode,), eps=EPS, seed=None)
        except AssertionError as e:
            raise AssertionError(f"({_MODE_NAMES[mode]}) check of {name} failed: {e}") from None
    if order <= 1:
        return
    n = len(args)
    if "rev" in modes:
        v = _random_like(f(*args) if out is None else out)  # (the output the check just made)
        _check(functools.partial(_vjp_of, f, n), (*args, v), order - 1, modes, "vjp_" + name)
    if "fwd" in modes:
        v = _random_like(args)
        _check(functools.partial(_jvp_of, f, n), (*args, *v), order - 1, modes, "jvp_" + name)


def _vjp_of(f: Any, n: int, *args_v: Any) -> Any:
    """``J^T v`` of ``f`` at its ``n`` arguments (``args_v[:n]``), ``v = args_v[n]``: one
    cotangent, or a tuple of them for more than one argument."""
    cts = fad.vjp(f, *args_v[:n])[1](args_v[n])
    return cts[0] if n == 1 else cts


def _jvp_of(f: Any, n: int, *args_t: Any) -> Any:
    """``J t`` of ``f`` at its ``n`` arguments (``args_t[:n]``), ``t = args_t[n:]``."""
    return fad.jvp(f, args_t[:n], args_t[n:])[1]


def combo_check(fun: Callable[..., Any], *check_args: Any, **check_kwargs: Any) -> Callable[..., Any]:
    """``check_grads`` at every combination of the given argument values: call the result
    with one list of candidates per positional argument (and per keyword argument)."""

    def _combo_check(*args: Any, **kwargs: Any) -> None:
        kwarg_key_vals = [[(k, x) for x in xs] for k, xs in kwargs.items()]
        for _args in itertools.product(*args):
            for _kwargs in itertools.product(*kwarg_key_vals):
                check_grads(fun, *check_args, **check_kwargs)(*_args, **dict(_kwargs))

    return _combo_check


EPS = 1e-6  # autograd's finite-difference step
TOL = 1e-6
RTOL = 1e-6


def scalar_close(a: Any, b: Any) -> bool:
    """Whether two numbers agree to an absolute or relative 1e-6, as autograd's tests ask."""
    return bool(abs(a - b) < TOL or abs(a - b) / abs(a + b) < RTOL)


def check_equivalent(x: Any, y: Any) -> None:
    """Assert that ``x`` and ``y`` are in the same vector space and agree along a random
    direction of it."""
    x_vs, y_vs = vspace(x), vspace(y)
    assert x_vs == y_vs, f"VSpace mismatch:\nx: {x_vs}\ny: {y_vs}"
    v = x_vs.randn()
    assert scalar_close(x_vs.inner_prod(x, v), x_vs.inner_prod(y, v)), f"Value mismatch:\nx: {x}\ny: {y}"


def check_vjp(f: Callable[..., Any], x: Any) -> None:
    """Check ``f``'s reverse mode at ``x`` against finite differences (first order)."""
    _fad_test_util.check_grads(f, (x,), order=1, modes=("rev",))


def check_jvp(f: Callable[..., Any], x: Any) -> None:
    """Check ``f``'s forward mode at ``x`` against finite differences (first order)."""
    _fad_test_util.check_grads(f, (x,), order=1, modes=("fwd",))
