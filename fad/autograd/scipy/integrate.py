"""``autograd.scipy.integrate``: ``odeint`` with SciPy's and autograd's signature (``args=``
a tuple), as autograd's: SciPy's own ``scipy.integrate.odeint`` (LSODA) gives the values,
and its derivatives come from the adjoint method, the augmented system integrated backwards
by LSODA too, with the same options. So a ported script gets autograd's numbers, not only
to the solver's tolerance. The adjoint pass is written in fad's operations, so it
differentiates again, and forward mode and ``vmap`` work (one example at a time).

A value that is differentiated must reach ``func`` through ``args``, not a closure (as
in autograd): SciPy calls ``func`` on plain arrays.

>>> import fad, fad.autograd.numpy as np
>>> from fad.autograd.scipy.integrate import odeint
>>> t = np.array([0.0, 1.0])
>>> round(float(odeint(lambda y, t, k: -k * y, 1.0, t, args=(2.0,))[1, 0]), 6)  # exp(-2)
0.135335
>>> round(float(fad.grad(lambda k: odeint(lambda y, t, k: -k * y, 1.0, t, args=(k,))[1, 0])(2.0)), 5)
-0.13534
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fad
import fad.numpy as fnp
from fad.autograd.extend import defvjp_argnums, primitive
from fad.flatten_util import ravel_pytree
from fad.numpy._util import is_traced

__all__ = ["odeint"]

# SciPy's options that change how LSODA steps, not what odeint returns
_SOLVER_OPTIONS = frozenset(
    {"rtol", "atol", "mxstep", "hmax", "h0", "hmin", "ixpr", "mxhnil", "mxordn", "mxords"}
    | {"ml", "mu", "tcrit"}
)


class _TracedInClosure(Exception):
    """``func`` returned a traced value for plain arguments: it reads one from a closure."""


def _lsoda(func: Callable[..., Any], y0: Any, t: Any, args: tuple[Any, ...], **options: Any) -> Any:
    import scipy.integrate  # type: ignore[import-untyped, unused-ignore]  # needed by autograd.scipy

    def rhs(y: Any, s: float, *a: Any) -> Any:
        out = func(y, s, *a)
        if is_traced(out):
            raise _TracedInClosure
        return out

    return scipy.integrate.odeint(rhs, y0, t, args=tuple(args), **options)


_lsoda_p = primitive(_lsoda)


def _lsoda_vjp(
    argnums: list[int], ys: Any, call_args: list[Any], options: dict[str, Any]
) -> Callable[..., Any]:
    """The adjoint method (Froehlich et al. 2017, sec. 2.4.2): between two output times the
    state ``(y, a, b_t, b_p)`` runs backwards, with ``a`` the cotangent of ``y``,
    ``da/dt = -a df/dy``, and ``b_t``, ``b_p`` gathering ``-a df/dt``, ``-a df/dp``."""
    func, _, t, args = call_args
    flat, unravel = ravel_pytree(tuple(args))
    n = fnp.shape(ys)[-1]

    def augmented(state: Any, s: Any, p: Any) -> Any:
        y, a = state[:n], state[n : 2 * n]
        dy, pull = fad.vjp(lambda y, s, p: func(y, s, *unravel(p)), y, s, p)
        a_y, a_s, a_p = pull(-a)
        return fnp.concatenate([dy, a_y, fnp.reshape(a_s, (1,)), a_p])

    def vjp(g: Any) -> tuple[Any, ...]:
        a = g[-1]
        b_t = fnp.zeros(())
        b_p = fnp.zeros(fnp.shape(flat))
        t_cts = []
        for i in range(fnp.shape(ys)[0] - 1, 0, -1):
            # moving the output time t_i moves y(t_i) along f
            moved = fnp.dot(func(ys[i], t[i], *args), g[i])
            t_cts.append(moved)
            b_t = b_t - moved
            state = fnp.concatenate([ys[i], a, fnp.reshape(b_t, (1,)), b_p])
            back = _lsoda_p(augmented, state, fnp.stack([t[i], t[i - 1]]), (flat,), **options)[1]
            a, b_t, b_p = back[n : 2 * n] + g[i - 1], back[2 * n], back[2 * n + 1 :]
        t_cts.append(b_t)
        cts = {1: a, 2: fnp.stack(t_cts[::-1]), 3: unravel(b_p)}
        return tuple(cts[k] for k in argnums)

    return vjp


defvjp_argnums(_lsoda_p, _lsoda_vjp)


def odeint(
    func: Callable[..., Any],
    y0: Any,
    t: Any,
    args: Any = (),
    **options: Any,
) -> Any:
    """``y(t)`` for ``dy/dt = func(y, t, *args)`` from ``y(t[0]) = y0``, stacked over ``t``:
    ``scipy.integrate.odeint`` with autograd's derivatives (see the module's docstring).

    Its solver options (``rtol``, ``atol``, ``mxstep``, ``hmax``, ``h0``, ``hmin``, ...) are
    SciPy's; ``full_output``, ``tfirst`` and ``Dfun`` are not supported."""
    unknown = set(options) - _SOLVER_OPTIONS
    if unknown:
        raise TypeError(
            f"odeint: options {sorted(unknown)} are not supported; SciPy's solver options "
            f"{sorted(_SOLVER_OPTIONS)} are."
        )
    if not isinstance(args, tuple):
        args = (args,)
    y0 = fnp.ravel(fnp.asarray(y0, dtype=float))  # SciPy's state is a vector
    t = fnp.asarray(t, dtype=float)
    try:
        return _lsoda_p(func, y0, t, args, **options)
    except _TracedInClosure:
        raise TypeError(
            "odeint: func reads a value that a fad transform traces from a closure or a global; "
            "SciPy's solver cannot call it. Pass the value through args=(...) (func(y, t, *args)), "
            "which is also how its derivative is computed."
        ) from None
