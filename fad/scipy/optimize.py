"""fad.scipy.optimize: `root` and `fixed_point` whose solutions are differentiable
with respect to the problem's parameters, by the implicit function theorem.

The solve itself runs on concrete values: SciPy's solver when SciPy is installed
(`pip install "fad-autodiff[scipy]"`), else a Newton iteration (`root`) or SciPy's
fixed-point iteration rewritten in NumPy (`fixed_point`). Its derivative does not follow
the iterations: at a solution of `F(x, a) = 0`, `dx/da = -(dF/dx)^{-1} dF/da`, a
`fad.custom_vjp` (forward mode transposes it), so `grad`, `jacfwd`, `jacrev`,
`hessian`, `jet` and `vmap` (each example solved in turn) all work, and so does
`fad.jit` (the solve is one step of the program, run on each call's values).

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.scipy.optimize import root
    >>> sol = root(lambda x, a: x ** 3 + a * x - 2.0, fnp.array([1.0]), args=(1.0,))
    >>> sol.x
    array([1.])
    >>> fad.grad(lambda a: root(lambda x, a: x ** 3 + a * x - 2.0, fnp.array([1.0]), args=(a,)).x[0])(1.0)
    np.float64(-0.25)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad
import fad.numpy as fnp
from fad import extend
from fad.scipy.integrate import _concrete, _float_args, _register_result, _Result
from fad.tree_util import tree_flatten, tree_unflatten

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = ["root", "fixed_point", "OptimizeResult"]

_INSTALL = 'pip install "fad-autodiff[scipy]"'


def _scipy_optimize() -> Any:
    """`scipy.optimize`, or None when SciPy is not installed (fad's core never imports it)."""
    try:
        import scipy.optimize
    except ImportError:
        return None
    return scipy.optimize


@_register_result
class OptimizeResult(_Result):
    """The result of `root` (SciPy's fields; a dict whose keys are also attributes).

    A pytree whose leaves are its numeric fields, so transformed functions may return it.

    Attributes:
        x: The solution, of `x0`'s shape (differentiable with respect to `args`).
        fun: The residual `fun(x, *args)` at the solution.
        success: Whether the solver converged.
        status: The solver's status code (SciPy's for the method).
        message: What happened, in words.
        nfev: Number of evaluations of `fun`.
        method: The method used.
    """


# ------------------------------------------------------------- the solve, on concrete values
#
# A primitive with no derivative of its own: its implementation receives concrete arrays
# (under vmap, one example at a time), so SciPy can run; the custom_vjp around it gives
# the derivative. Under fad.jit it is one equation of the program.


def _solve_impl(x0: Any, *arg_leaves: Any, solver: Callable[..., Any]) -> Any:
    out = solver(onp.asarray(x0, dtype=onp.float64), list(arg_leaves))
    return tuple(onp.asarray(o, dtype=onp.float64) for o in out)


solve_p = extend.Primitive("scipy_optimize_solve", _solve_impl, differentiable=False, multiple_results=True)
extend.batch_by_loop(solve_p)


def _implicit(F: Callable[..., Any], solver: Callable[..., Any], x0: Any, args: Any) -> Any:
    """`(x, info)`: `x` solves `F(x, args) = 0` (flat `x`), found by `solver` from
    `x0`; derivatives by the implicit function theorem, none with respect to `x0`."""

    @fad.custom_vjp
    def solve(x0: Any, args: Any) -> Any:
        leaves, _ = tree_flatten(args)
        x, *info = extend.bind(solve_p, x0, *leaves, solver=solver)
        return x, fnp.stack(info)

    def fwd(x0: Any, args: Any) -> Any:
        x, info = _implicit(F, solver, x0, args)  # differentiable again when nested
        return (x, info), (x, args)

    def bwd(res: Any, ct: Any) -> Any:
        x, args = res
        n = x.shape[0]
        J = fnp.reshape(fad.jacfwd(F)(x, args), (n, n))
        w = fnp.linalg.solve(fnp.transpose(J), ct[0])
        _, pull = fad.vjp(lambda a: F(x, a), args)
        (args_bar,) = pull(-w)
        return fnp.zeros_like(x), args_bar

    solve.defvjp(fwd, bwd)
    return solve(x0, args)


# ------------------------------------------------------------------------------- root


def _newton(F_np: Callable[..., Any], jac_np: Callable[..., Any], x: Any, tol: Any, maxiter: Any) -> Any:
    """Damped Newton iteration (the solver without SciPy): `(x, success, status, nfev)`."""
    tol = 1.49012e-08 if tol is None else tol
    fx = F_np(x)
    nfev = 1
    for _ in range(maxiter):
        norm = onp.linalg.norm(fx)
        if norm == 0.0:
            return x, True, 1, nfev
        try:
            step = onp.linalg.solve(jac_np(x), -fx)
        except onp.linalg.LinAlgError:
            return x, False, 3, nfev
        lam = 1.0
        while True:  # halve the step until the residual decreases
            x_new = x + lam * step
            f_new = F_np(x_new)
            nfev += 1
            if onp.linalg.norm(f_new) < norm or lam < 1e-10:
                break
            lam /= 2
        done = onp.linalg.norm(x_new - x) <= tol * (tol + onp.linalg.norm(x_new))
        x, fx = x_new, f_new
        if done:
            return x, bool(onp.all(onp.isfinite(x))), 1, nfev
    return x, False, 2, nfev


def _as_numpy(out: Any) -> Any:
    return onp.asarray(out, dtype=onp.float64)


def root(
    fun: Callable[..., Any],
    x0: ArrayLike,
    args: Any = (),
    method: str = "hybr",
    jac: Callable[..., Any] | bool | None = None,
    tol: float | None = None,
    callback: Callable[..., Any] | None = None,
    options: dict[str, Any] | None = None,
) -> OptimizeResult:
    """Find `x` with `fun(x, *args) = 0` (SciPy's `scipy.optimize.root`); the
    solution is differentiable with respect to `args`.

    `x0` is an array; `args` a tuple of arrays (or pytrees of them): pass there every
    value the solution's derivative is taken with respect to. With SciPy installed, the
    solve is SciPy's `root(method=method, tol=tol, options=options)`, given fad's exact
    Jacobian for `"hybr"` and `"lm"` unless `jac` is given (`jac=True`: `fun`
    returns `(f, J)`; a callable: `jac(x, *args)`); without SciPy, the default method
    is a damped Newton iteration (other methods raise an ImportError saying how to
    install SciPy). The derivative is exact at the solution, by the implicit function theorem:
    `dx/dargs = -J_x^{-1} J_args` (`x0` gets a zero derivative), at any order and
    under `vmap` (each example solved in turn) and `fad.jit`. It is meaningless where
    the solve failed: check `success`.

    Returns an `OptimizeResult` with `x` (shape of `x0`), `fun` (the residual
    there), `success`, `status`, `message`, `nfev`, `method`.

    Args:
        fun: The function `fun(x, *args)`, returning an array of `x0`'s size.
        x0: Initial guess (gets no derivative).
        args: Extra arguments of `fun` (a tuple, or one value): the values the solution is differentiated with
            respect to.
        method: SciPy's method name; without SciPy only `"hybr"` (a damped Newton iteration here).
        jac: None (fad's exact Jacobian), True (`fun` returns `(f, J)`), or a callable `jac(x, *args)`.
        tol: Tolerance, passed to SciPy.
        callback: Must be None (not supported).
        options: SciPy's solver options.

    Returns:
        An `OptimizeResult`.

    Raises:
        NotImplementedError: when `callback` is given.
        ImportError: for a method other than `"hybr"` without SciPy.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> f = lambda x, a: fnp.stack([x[0] + a * x[1] - 3.0, x[0] - x[1]])
        >>> root(f, fnp.zeros(2), args=(2.0,)).x
        array([1., 1.])
        >>> fad.jacfwd(lambda a: root(f, fnp.zeros(2), args=(a,)).x)(2.0)
        array([-0.33333333, -0.33333333])
    """
    if callback is not None:
        raise NotImplementedError("fad.scipy.optimize.root: callback is not supported.")
    if not isinstance(args, tuple):
        args = (args,)  # SciPy's convenience for one extra argument
    args = _float_args(args, "root")
    x0_ = fnp.asarray(x0) * 1.0
    shape = x0_.shape
    x0_flat = fnp.reshape(x0_, (-1,))
    n = x0_flat.shape[0]

    def residual(x: Any, a: Any) -> Any:
        out = fun(x, *a)
        return out[0] if jac is True else out

    def F(xf: Any, a: Any) -> Any:
        out = fnp.asarray(residual(fnp.reshape(xf, shape), a))
        if out.size != n:
            raise ValueError(
                f"root: fun returned {out.size} values (shape {out.shape}) for {n} unknowns (x0 "
                f"shape {shape}). fad differentiates square systems: as many equations as unknowns."
            )
        return fnp.reshape(out, (-1,))

    args_tree = tree_flatten(args)[1]  # (the solver must not close over traced args)

    def solver(x0: Any, leaves: Any) -> Any:
        a = tree_unflatten(args_tree, leaves)

        def F_np(x: Any) -> Any:
            return _as_numpy(F(x, a))

        def jac_np(x: Any) -> Any:
            if callable(jac):
                return _as_numpy(jac(x.reshape(shape), *a)).reshape(n, n)
            if jac is True:
                return _as_numpy(fun(x.reshape(shape), *a)[1]).reshape(n, n)
            return _as_numpy(fad.jacfwd(F)(x, a)).reshape(n, n)

        so = _scipy_optimize() if method == "hybr" else _require_scipy(f"root(method={method!r})")
        if so is None:
            x, ok, status, nfev = _newton(F_np, jac_np, x0, tol, 100 * (n + 1))
            return x, float(ok), float(status), float(nfev)
        given_jac = jac is not None and jac is not False
        use_jac = jac_np if (given_jac or method in ("hybr", "lm")) else None
        res = so.root(F_np, x0, method=method, jac=use_jac, tol=tol, options=options)
        x = onp.asarray(res.x, dtype=onp.float64).reshape(-1)
        return x, float(res.success), float(res.status), float(getattr(res, "nfev", 0))

    x, info = _implicit(F, solver, x0_flat, args)
    ok, status, nfev = info[0] > 0.5, info[1], info[2]
    message = _message(ok, status, method)
    return OptimizeResult(
        x=fnp.reshape(x, shape),
        fun=fnp.reshape(F(x, args), fnp.shape(residual(x0_, args))),
        success=_scalar(ok, bool),
        status=_scalar(status, int),
        message=message,
        nfev=_scalar(nfev, int),
        method=method,
    )


def _scalar(v: Any, kind: Callable[[Any], Any]) -> Any:
    c = _concrete(v)
    return v if c is None else kind(c)


def _message(ok: Any, status: Any, method: str) -> Any:
    okc = _concrete(ok)
    if okc is None:
        return "See success and status (per example): status as in scipy.optimize.root."
    if bool(okc):
        return "The solution converged."
    return (
        f"The solver did not converge (status {int(_concrete(status))}, as scipy.optimize.root with "
        f"method={method!r} reports it); its derivative is meaningless. Try another x0 or method."
    )


# ------------------------------------------------------------------------ fixed_point


def _fixed_point_numpy(f_np: Callable[..., Any], x0: Any, xtol: Any, maxiter: Any, method: str) -> Any:
    """The fixed-point iteration of SciPy's `fixed_point` (`del2`: Steffensen's
    acceleration) in NumPy, for use without SciPy."""
    p0 = x0
    for _ in range(maxiter):
        p1 = f_np(p0)
        if method == "del2":
            p2 = f_np(p1)
            d = p2 - 2.0 * p1 + p0
            safe = onp.where(d != 0, d, 1.0)
            p = onp.where(d != 0, p0 - (p1 - p0) ** 2 / safe, p2)
        else:
            p = p1
        rel = onp.where(p0 != 0, (p - p0) / onp.where(p0 != 0, p0, 1.0), p)
        if onp.all(onp.abs(rel) < xtol):
            return p
        p0 = p
    raise RuntimeError(f"Failed to converge after {maxiter} iterations, value is {p}")


def fixed_point(
    func: Callable[..., Any],
    x0: ArrayLike,
    args: Any = (),
    xtol: float = 1e-8,
    maxiter: int = 500,
    method: str = "del2",
) -> Array:
    """A fixed point `x = func(x, *args)` (SciPy's `scipy.optimize.fixed_point`),
    differentiable with respect to `args`: `dx/da = (I - df/dx)^{-1} df/da`.

    Solved on concrete values by SciPy's iteration (`method="del2"`, Steffensen's
    acceleration, or `"iteration"`), or by the same iteration in NumPy without SciPy;
    raises `RuntimeError` when it does not converge within `maxiter`, as SciPy does.
    Returns an array of the shape of `x0`.

    Args:
        func: The function `func(x, *args)`, returning an array of `x0`'s shape.
        x0: Initial guess (gets no derivative).
        args: Extra arguments of `func` (a tuple, or one value): the values the fixed point is differentiated
            with respect to.
        xtol: Convergence tolerance (relative).
        maxiter: Maximum number of iterations.
        method: `"del2"` (Steffensen's acceleration) or `"iteration"`.

    Returns:
        The fixed point, of `x0`'s shape.

    Raises:
        RuntimeError: when the iteration does not converge within `maxiter`.
        ValueError: for an unknown `method`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> x = fixed_point(lambda x, a: fnp.cos(a * x), 0.5, args=(1.0,))
        >>> round(float(x), 10)
        0.7390851332
        >>> d = fad.grad(lambda a: fixed_point(lambda x, a: fnp.cos(a * x), 0.5, args=(a,)))(1.0)
        >>> bool(abs(d - (-fnp.sin(x) * x / (1 + fnp.sin(x)))) < 1e-8)
        True
    """
    if method not in ("del2", "iteration"):
        raise ValueError(f"fixed_point: method must be 'del2' or 'iteration', got {method!r}.")
    if not isinstance(args, tuple):
        args = (args,)
    args = _float_args(args, "fixed_point")
    x0_ = fnp.asarray(x0) * 1.0
    shape = x0_.shape
    x0_flat = fnp.reshape(x0_, (-1,))

    def G(xf: Any, a: Any) -> Any:
        out = fnp.asarray(func(fnp.reshape(xf, shape), *a))
        if out.shape != shape:
            raise ValueError(f"fixed_point: func returned shape {out.shape}, but x0 has shape {shape}.")
        return fnp.reshape(out, (-1,))

    def F(xf: Any, a: Any) -> Any:
        return G(xf, a) - xf

    args_tree = tree_flatten(args)[1]  # (the solver must not close over traced args)

    def solver(x0: Any, leaves: Any) -> Any:
        a = tree_unflatten(args_tree, leaves)

        def f_np(x: Any) -> Any:
            return _as_numpy(G(onp.reshape(x, -1), a)).reshape(onp.shape(x))

        so = _scipy_optimize()
        if so is None:
            x = _fixed_point_numpy(f_np, x0, xtol, maxiter, method)
        else:
            x = so.fixed_point(f_np, x0, xtol=xtol, maxiter=maxiter, method=method)
        return onp.asarray(x, dtype=onp.float64).reshape(-1), 1.0, 1.0, math.nan

    x, _ = _implicit(F, solver, x0_flat, args)
    return fnp.reshape(x, shape)


def _require_scipy(what: str) -> Any:
    """The module `scipy.optimize`, or an ImportError saying how to install it."""
    so = _scipy_optimize()
    if so is None:
        raise ImportError(f"{what} needs SciPy, an optional dependency of fad: {_INSTALL}")
    return so
