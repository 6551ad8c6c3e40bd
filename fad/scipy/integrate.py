"""fad.scipy.integrate: quadrature of samples (`trapezoid`, `cumulative_trapezoid`,
`simpson`) and ODE solvers (`odeint`, `solve_ivp`), differentiable under every
transform.

The quadrature rules are compositions of `fad.numpy` operations. The ODE solvers are
adaptive explicit Runge-Kutta integrators (Dormand-Prince 5(4), and Hairer's DOP853 for
`solve_ivp(method="DOP853")`) written in `fad.numpy` and `fad.lax`; their reverse
mode is the adjoint method (a `fad.custom_vjp` that integrates the augmented system
backwards in time), and forward mode transposes it. Under `fad.jit` a solve is one step
of the program that runs the integrator on the values of each call. SciPy is not needed.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.scipy.integrate import odeint
    >>> t = fnp.array([0.0, 1.0])
    >>> round(float(odeint(lambda y, t, k: -k * y, 1.0, t, 2.0)[-1]), 7)  # exp(-2)
    0.1353353
    >>> round(float(fad.grad(lambda k: odeint(lambda y, t, k: -k * y, 1.0, t, k)[-1])(2.0)), 7)  # -exp(-2)
    -0.1353353
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad
import fad.numpy as fnp
from fad import lax
from fad.tree_util import register_pytree_node, tree_flatten, tree_map, tree_unflatten

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike, PyTree

__all__ = ["trapezoid", "cumulative_trapezoid", "simpson", "odeint", "solve_ivp", "OdeResult"]


# ------------------------------------------------------------------------ quadrature


def _last_axis(y: Any, x: Any, axis: Any, fname: str, same_ndim_x: bool) -> Any:
    """`y` (and `x`) with the integration axis moved last; `x` 1-d stays 1-d."""
    y = fnp.asarray(y)
    if y.ndim == 0:
        raise ValueError(f"{fname}: y must have at least one dimension (got a scalar).")
    if not -y.ndim <= axis < y.ndim:
        raise ValueError(f"{fname}: axis {axis} is out of bounds for y of shape {y.shape}.")
    y = fnp.moveaxis(y, axis, -1)
    n = y.shape[-1]
    if x is None:
        return y, None
    x = fnp.asarray(x)
    if x.ndim == 1:
        if x.shape[0] != n:
            raise ValueError(
                f"{fname}: x has {x.shape[0]} samples but y has {n} along axis {axis}; "
                "give one x per sample of y."
            )
        return y, x
    if same_ndim_x and x.ndim != y.ndim:
        raise ValueError(
            f"{fname}: x must be 1-d or have as many dimensions as y ({y.ndim}), got shape {x.shape}."
        )
    x = fnp.moveaxis(x, axis, -1) if x.ndim == y.ndim else x
    if x.shape[-1] != n:
        raise ValueError(
            f"{fname}: x has {x.shape[-1]} samples along axis {axis} but y has {n}; they must match."
        )
    return y, x


def _spacings(x: Any, dx: Any) -> Any:
    return dx if x is None else fnp.diff(x, axis=-1)


def trapezoid(y: ArrayLike, x: ArrayLike | None = None, dx: ArrayLike = 1.0, axis: int = -1) -> Array:
    """Integrate samples `y` along `axis` with the trapezoidal rule (SciPy's
    `trapezoid`); differentiable in `y`, `x` and `dx`.

    `x`: the sample points (1-d along `axis`, or broadcastable to `y`); else the
    samples are `dx` apart.

    Args:
        y: Samples.
        x: Sample points: 1-d along `axis`, or broadcastable to `y`; None: `dx` apart.
        dx: Spacing of the samples when `x` is None.
        axis: Axis to integrate along.

    Returns:
        The integral: `y`'s shape without `axis`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> trapezoid(fnp.array([1.0, 2.0, 3.0]), x=fnp.array([0.0, 1.0, 3.0]))
        np.float64(6.5)
        >>> fad.grad(lambda x: trapezoid(x ** 2, x))(fnp.array([0.0, 1.0, 2.0]))
        array([-0.5,  0. ,  4.5])
    """
    y_: Array = y
    x_: Array = x
    if x is not None and fnp.asarray(x).ndim > 1:
        y_ = fnp.asarray(y)
        x_ = fnp.broadcast_to(fnp.asarray(x), y_.shape)
    y_, x_ = _last_axis(y_, x_, axis, "trapezoid", same_ndim_x=False)
    d = _spacings(x_, dx)
    return fnp.sum(d * (y_[..., 1:] + y_[..., :-1]) / 2.0, axis=-1)


def cumulative_trapezoid(
    y: ArrayLike,
    x: ArrayLike | None = None,
    dx: ArrayLike = 1.0,
    axis: int = -1,
    initial: ArrayLike | None = None,
) -> Array:
    """The running integral of `y` along `axis` by the trapezoidal rule (SciPy's
    `cumulative_trapezoid`): one value fewer than `y` along `axis`, or as many with
    `initial=0` (the only value SciPy accepts) prepended.

    Args:
        y: Samples.
        x: Sample points: 1-d along `axis`, or broadcastable to `y`; None: `dx` apart.
        dx: Spacing of the samples when `x` is None.
        axis: Axis to integrate along.
        initial: None, or 0 to prepend a zero.

    Returns:
        The running integral: `y`'s shape with one value fewer along `axis` (as many with `initial`).

    Examples:
        >>> import fad.numpy as fnp
        >>> cumulative_trapezoid(fnp.array([1.0, 2.0, 3.0]), initial=0)
        array([0. , 1.5, 4. ])
    """
    y_arr = fnp.asarray(y)
    if y_arr.ndim and y_arr.shape[axis] == 0:
        raise ValueError("cumulative_trapezoid: at least one point is required along `axis`.")
    y_, x_ = _last_axis(y_arr, x, axis, "cumulative_trapezoid", same_ndim_x=True)
    d = _spacings(x_, dx)
    res = fnp.cumsum(d * (y_[..., 1:] + y_[..., :-1]) / 2.0, axis=-1)
    if initial is not None:
        if not onp.isscalar(initial):
            raise ValueError("cumulative_trapezoid: `initial` must be a scalar (None or 0).")
        if initial != 0:
            raise ValueError("cumulative_trapezoid: `initial` must be `None` or `0` (as in SciPy >= 1.12).")
        res = fnp.concatenate([fnp.zeros(res.shape[:-1] + (1,), dtype=res.dtype), res], axis=-1)
    return fnp.moveaxis(res, -1, axis)


def _ratio(num: Any, den: Any) -> Any:
    """`num / den`, and 0 where `den == 0` (SciPy's guard for repeated sample points)."""
    ok = den != 0
    return fnp.where(ok, num / fnp.where(ok, den, 1.0), 0.0)


def _basic_simpson(y: Any, h: Any, dx: Any, stop: Any) -> Any:
    """Composite Simpson over the panels starting at 0, 2, ..., `stop - 1` (last axis)."""
    y0, y1, y2 = y[..., 0:stop:2], y[..., 1 : stop + 1 : 2], y[..., 2 : stop + 2 : 2]
    if h is None:
        return fnp.sum(y0 + 4.0 * y1 + y2, axis=-1) * (dx / 3.0)
    h0, h1 = h[..., 0:stop:2], h[..., 1 : stop + 1 : 2]
    hsum, hprod = h0 + h1, h0 * h1
    q = _ratio(h0, h1)
    tmp = hsum / 6.0 * (y0 * (2.0 - _ratio(1.0, q)) + y1 * (hsum * _ratio(hsum, hprod)) + y2 * (2.0 - q))
    return fnp.sum(tmp, axis=-1)


def simpson(y: ArrayLike, x: ArrayLike | None = None, *, dx: ArrayLike = 1.0, axis: int = -1) -> Array:
    """Integrate samples `y` along `axis` with Simpson's rule (SciPy >= 1.11's
    `simpson`): with an even number `N >= 4` of samples, Simpson's rule on the first
    `N - 1` and Cartwright's quadratic correction for the last interval; with 2 samples,
    the trapezoid. Exact for cubics on evenly spaced odd `N`; differentiable in `y`,
    `x` and `dx`.

    Args:
        y: Samples.
        x: Sample points: 1-d along `axis`, or broadcastable to `y`; None: `dx` apart.
        dx: Spacing of the samples when `x` is None.
        axis: Axis to integrate along.

    Returns:
        The integral: `y`'s shape without `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> simpson(fnp.arange(10.0) ** 3, x=fnp.arange(10.0))
        np.float64(1640.5)
    """
    y_, x_ = _last_axis(y, x, axis, "simpson", same_ndim_x=True)
    n = y_.shape[-1]
    h = None if x_ is None else fnp.diff(x_, axis=-1)
    step: Array = dx
    if n % 2 == 1:
        return _basic_simpson(y_, h, step, n - 2)
    if n == 2:
        last = step if h is None else h[..., -1]
        return 0.5 * last * (y_[..., -1] + y_[..., -2])
    result = _basic_simpson(y_, h, step, n - 3)
    h0, h1 = (step, step) if h is None else (h[..., -2], h[..., -1])
    alpha = _ratio(2 * h1**2 + 3 * h0 * h1, 6 * (h1 + h0))
    beta = _ratio(h1**2 + 3.0 * h0 * h1, 6 * h0)
    eta = _ratio(h1**3, 6 * h0 * (h0 + h1))
    return result + alpha * y_[..., -1] + beta * y_[..., -2] - eta * y_[..., -3]


# -------------------------------------------------------------------- Runge-Kutta tableaux


class _Tableau:
    """An explicit Runge-Kutta pair: nodes `c`, rows `a`, weights `b`, error weights,
    the order the step-size controller uses (`err_order`), and whether the last stage
    is `f` at the new point (first same as last)."""

    def __init__(
        self,
        name: str,
        c: Any,
        a: Any,
        b: Any,
        err_order: Any,
        fsal: Any,
        e: Any = None,
        e3: Any = None,
        e5: Any = None,
    ) -> None:
        self.name, self.c, self.a, self.b = name, c, a, b
        self.err_order, self.fsal = err_order, fsal
        self.e, self.e3, self.e5 = e, e3, e5
        self.stages = len(c)


# Dormand & Prince (1980), RK5(4)7M, the pair of SciPy's RK45 and JAX's odeint.
_DOPRI5 = _Tableau(
    "RK45",
    c=[0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0],
    a=[
        [],
        [1 / 5],
        [3 / 40, 9 / 40],
        [44 / 45, -56 / 15, 32 / 9],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
        [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
    ],
    b=[35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0],
    # fifth-order weights minus the embedded fourth-order ones
    e=[71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
    err_order=4,
    fsal=True,
)

# Hairer, Norsett & Wanner, "Solving Ordinary Differential Equations I", 2nd ed., and the
# coefficients of Hairer's dop853.f: the 12 stages of the order-8 method; e5 are the
# fifth-order error weights (er_i) and e3 the third-order ones (b_i - bhh_i).
_DOP853 = _Tableau(
    "DOP853",
    c=[
        0.0,
        0.526001519587677318785587544488e-01,
        0.789002279381515978178381316732e-01,
        0.118350341907227396726757197510,
        0.281649658092772603273242802490,
        0.333333333333333333333333333333,
        0.25,
        0.307692307692307692307692307692,
        0.651282051282051282051282051282,
        0.6,
        0.857142857142857142857142857142,
        1.0,
    ],
    a=[
        [],
        [5.26001519587677318785587544488e-2],
        [1.97250569845378994544595329183e-2, 5.91751709536136983633785987549e-2],
        [2.95875854768068491816892993775e-2, 0.0, 8.87627564304205475450678981324e-2],
        [
            2.41365134159266685502369798665e-1,
            0.0,
            -8.84549479328286085344864962717e-1,
            9.24834003261792003115737966543e-1,
        ],
        [
            3.7037037037037037037037037037e-2,
            0.0,
            0.0,
            1.70828608729473871279604482173e-1,
            1.25467687566822425016691814123e-1,
        ],
        [
            3.7109375e-2,
            0.0,
            0.0,
            1.70252211019544039314978060272e-1,
            6.02165389804559606850219397283e-2,
            -1.7578125e-2,
        ],
        [
            3.70920001185047927108779319836e-2,
            0.0,
            0.0,
            1.70383925712239993810214054705e-1,
            1.07262030446373284651809199168e-1,
            -1.53194377486244017527936158236e-2,
            8.27378916381402288758473766002e-3,
        ],
        [
            6.24110958716075717114429577812e-1,
            0.0,
            0.0,
            -3.36089262944694129406857109825,
            -8.68219346841726006818189891453e-1,
            2.75920996994467083049415600797e1,
            2.01540675504778934086186788979e1,
            -4.34898841810699588477366255144e1,
        ],
        [
            4.77662536438264365890433908527e-1,
            0.0,
            0.0,
            -2.48811461997166764192642586468,
            -5.90290826836842996371446475743e-1,
            2.12300514481811942347288949897e1,
            1.52792336328824235832596922938e1,
            -3.32882109689848629194453265587e1,
            -2.03312017085086261358222928593e-2,
        ],
        [
            -9.3714243008598732571704021658e-1,
            0.0,
            0.0,
            5.18637242884406370830023853209,
            1.09143734899672957818500254654,
            -8.14978701074692612513997267357,
            -1.85200656599969598641566180701e1,
            2.27394870993505042818970056734e1,
            2.49360555267965238987089396762,
            -3.0467644718982195003823669022,
        ],
        [
            2.27331014751653820792359768449,
            0.0,
            0.0,
            -1.05344954667372501984066689879e1,
            -2.00087205822486249909675718444,
            -1.79589318631187989172765950534e1,
            2.79488845294199600508499808837e1,
            -2.85899827713502369474065508674,
            -8.87285693353062954433549289258,
            1.23605671757943030647266201528e1,
            6.43392746015763530355970484046e-1,
        ],
    ],
    b=[
        5.42937341165687622380535766363e-2,
        0.0,
        0.0,
        0.0,
        0.0,
        4.45031289275240888144113950566,
        1.89151789931450038304281599044,
        -5.8012039600105847814672114227,
        3.1116436695781989440891606237e-1,
        -1.52160949662516078556178806805e-1,
        2.01365400804030348374776537501e-1,
        4.47106157277725905176885569043e-2,
    ],
    e5=[
        0.1312004499419488073250102996e-01,
        0.0,
        0.0,
        0.0,
        0.0,
        -0.1225156446376204440720569753e01,
        -0.4957589496572501915214079952,
        0.1664377182454986536961530415e01,
        -0.3503288487499736816886487290,
        0.3341791187130174790297318841,
        0.8192320648511571246570742613e-01,
        -0.2235530786388629525884427845e-01,
    ],
    e3=[
        5.42937341165687622380535766363e-2 - 0.244094488188976377952755905512,
        0.0,
        0.0,
        0.0,
        0.0,
        4.45031289275240888144113950566,
        1.89151789931450038304281599044,
        -5.8012039600105847814672114227,
        3.1116436695781989440891606237e-1 - 0.733846688281611857341361741547,
        -1.52160949662516078556178806805e-1,
        2.01365400804030348374776537501e-1,
        4.47106157277725905176885569043e-2 - 0.220588235294117647058823529412e-01,
    ],
    err_order=7,
    fsal=False,
)

_METHODS = {"RK45": _DOPRI5, "DOP853": _DOP853}


def _combine(ws: Any, ks: Any) -> Any:
    """`sum(w * k)` over the nonzero weights."""
    out = None
    for w, k in zip(ws, ks, strict=False):
        if w != 0.0:
            out = w * k if out is None else out + w * k
    return out


def _rms(x: Any) -> Any:
    return fnp.sqrt(fnp.mean(x * x))


def _rk_step(f: Callable[..., Any], tab: Any, y: Any, fy: Any, t: Any, h: Any, args: Any) -> Any:
    """One step of size `h`: the new point, `f` there, and the stages."""
    ks = [fy]
    for i in range(1, tab.stages):
        yi = y + h * _combine(tab.a[i], ks)
        ks.append(f(yi, t + tab.c[i] * h, args))
    if tab.fsal:  # the last stage was taken at the new point
        return yi, ks[-1], ks
    y1 = y + h * _combine(tab.b, ks)
    return y1, f(y1, t + h, args), ks


def _error_norm(tab: Any, ks: Any, h: Any, scale: Any) -> Any:
    if tab.e is not None:
        return _rms(h * _combine(tab.e, ks) / scale)
    e5 = _combine(tab.e5, ks) / scale
    e3 = _combine(tab.e3, ks) / scale
    n5, n3 = fnp.sum(e5 * e5), fnp.sum(e3 * e3)
    den = (n5 + 0.01 * n3) * e5.shape[-1]
    ok = den > 0
    return fnp.where(ok, fnp.abs(h) * n5 / fnp.sqrt(fnp.where(ok, den, 1.0)), 0.0)


class _Options:
    """Static settings of a solve (hashable by identity; closed over by the solver)."""

    def __init__(self, tab: Any, rtol: Any, atol: Any, mxstep: Any, hmax: Any, first_step: Any) -> None:
        self.tab, self.rtol, self.atol = tab, rtol, atol
        self.mxstep, self.hmax, self.first_step = mxstep, hmax, first_step


def _initial_step(f: Callable[..., Any], opts: Any, y0: Any, f0: Any, t0: Any, span: Any, args: Any) -> Any:
    """Hairer's starting step (as SciPy's `select_initial_step`), capped by the span."""
    scale = opts.atol + fnp.abs(y0) * opts.rtol
    d0, d1 = _rms(y0 / scale), _rms(f0 / scale)
    small = fnp.logical_or(d0 < 1e-5, d1 < 1e-5)
    h0 = fnp.where(small, 1e-6, 0.01 * d0 / fnp.where(small, 1.0, d1))
    h0 = fnp.minimum(h0, span)
    h0_safe = fnp.where(h0 > 0, h0, 1.0)
    f1 = f(y0 + h0_safe * f0, t0 + h0_safe, args)
    d2 = _rms((f1 - f0) / scale) / h0_safe
    dmax = fnp.maximum(d1, d2)
    flat = dmax <= 1e-15
    h1 = fnp.where(
        flat,
        fnp.maximum(1e-6, h0 * 1e-3),
        (0.01 / fnp.where(flat, 1.0, dmax)) ** (1.0 / (opts.tab.err_order + 1)),
    )
    return fnp.minimum(fnp.minimum(100 * h0, h1), span)


_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 10.0
_EPS = float(onp.finfo(onp.float64).eps)


def _integrate(f: Callable[..., Any], opts: Any, y0: Any, ts: Any, args: Any) -> Any:
    """The solution at the increasing times `ts` (rows), and statistics
    `[nfev, nsteps, failed, too_many_steps]`; fad.numpy + lax only (runs on concrete
    values, or batched under vmap with a step size per example)."""
    tab = opts.tab
    per_step = tab.stages - 1 if tab.fsal else tab.stages
    exponent = -1.0 / (tab.err_order + 1)
    t0 = ts[0]
    f0 = f(y0, t0, args)
    if opts.first_step is None:
        h = _initial_step(f, opts, y0, f0, t0, ts[-1] - t0, args)
        nfev0 = 2.0
    else:
        h = fnp.asarray(opts.first_step, dtype=fnp.float64) + 0.0 * t0
        nfev0 = 1.0
    h = fnp.minimum(h, opts.hmax)
    zero = 0.0 * t0
    carry = (t0, y0, f0, h, zero + nfev0, zero, zero > 1.0, zero > 1.0)
    ys = [y0]
    for i in range(1, ts.shape[0]):
        target = ts[i]

        def cond(c: Any, target: Any = target) -> Any:
            t, _, _, _, _, k, failed, _ = c
            return fnp.logical_and(fnp.logical_and(t < target, fnp.logical_not(failed)), k < opts.mxstep)

        def body(c: Any, target: Any = target) -> Any:
            t, y, fy, h, nfev, k, failed, capped = c
            rem = target - t
            last = h >= rem
            hs = fnp.where(last, rem, h)
            y1, f1, ks = _rk_step(f, tab, y, fy, t, hs, args)
            scale = opts.atol + fnp.maximum(fnp.abs(y), fnp.abs(y1)) * opts.rtol
            err = _error_norm(tab, ks, hs, scale)
            accept = err <= 1.0
            pos = err > 0
            grow = fnp.where(pos, _SAFETY * fnp.where(pos, err, 1.0) ** exponent, _MAX_FACTOR)
            factor = fnp.where(
                accept, fnp.minimum(_MAX_FACTOR, grow), fnp.maximum(_MIN_FACTOR, fnp.minimum(grow, 1.0))
            )
            h_new = hs * factor
            h_new = fnp.minimum(
                fnp.where(fnp.logical_and(accept, last), fnp.maximum(h_new, h), h_new), opts.hmax
            )
            t_new = fnp.where(accept, fnp.where(last, target, t + hs), t)
            y_new = fnp.where(accept, y1, y)
            f_new = fnp.where(accept, f1, fy)
            failed = fnp.logical_or(failed, fnp.logical_not(h_new >= 10 * _EPS * fnp.abs(t_new)))  # or NaN
            return (t_new, y_new, f_new, h_new, nfev + per_step, k + 1.0, failed, capped)

        t, y, fy, h, nfev, _, failed, capped = carry
        carry = (t, y, fy, h, nfev, zero, failed, capped)  # mxstep counts per output interval
        carry = lax.while_loop(cond, body, carry)
        t, y = carry[0], carry[1]
        reached = t >= target
        capped = fnp.logical_and(fnp.logical_not(reached), fnp.logical_not(carry[6]))
        carry = carry[:7] + (fnp.logical_or(carry[7], capped),)
        ys.append(fnp.where(reached, y, fnp.nan))
    _, _, _, _, nfev, k, failed, capped = carry
    stats = fnp.stack([nfev, k, fnp.where(failed, 1.0, 0.0), fnp.where(capped, 1.0, 0.0)])
    return fnp.stack(ys), stats


# ----------------------------------------------------------------- the adjoint method


def _ravel(tree: Any) -> Any:
    """The leaves of `tree` as one float vector, and the function rebuilding the tree
    from such a vector (or from a stack of them, with leading axes)."""
    leaves, treedef = tree_flatten(tree)
    arrs = [fnp.asarray(leaf) for leaf in leaves]
    shapes = [a.shape for a in arrs]
    sizes = [math.prod(s) for s in shapes]
    if arrs:
        flat = fnp.concatenate([fnp.reshape(a, (-1,)) * onp.float64(1.0) for a in arrs])  # float64
    else:
        flat = fnp.zeros((0,))

    def unravel(v: Any) -> Any:
        lead = v.shape[:-1]
        out, start = [], 0
        for shape, size in zip(shapes, sizes, strict=True):
            out.append(fnp.reshape(v[..., start : start + size], lead + shape))
            start += size
        return tree_unflatten(treedef, out)

    return flat, unravel


def _solve(f: Callable[..., Any], opts: Any, y0: Any, ts: Any, args: Any) -> Any:
    """`_integrate` as a custom_vjp whose reverse rule is the adjoint method."""

    @fad.custom_vjp
    def solve(y0: Any, ts: Any, args: Any) -> Any:
        return _integrate(f, opts, y0, ts, args)

    def fwd(y0: Any, ts: Any, args: Any) -> Any:
        ys, stats = _solve(f, opts, y0, ts, args)  # differentiable again when nested
        return (ys, stats), (ys, ts, args)

    def bwd(res: Any, ct: Any) -> Any:
        ys, ts, args = res
        g = ct[0]
        args_flat, unravel_args = _ravel(args)
        n_y = ys.shape[-1]

        def aug(state: Any, s: Any, args: Any) -> Any:
            # reversed time s = -t: y' = -f, a' = a^T df/dy, q' = a^T df/dargs
            y, a = state[:n_y], state[n_y : 2 * n_y]
            fy, pull = fad.vjp(lambda y, args: f(y, -s, args), y, args)
            a_y, a_args = pull(a)
            return fnp.concatenate([-fy, a_y, _ravel(a_args)[0]])

        n = ts.shape[0]
        a = g[n - 1]
        q = fnp.zeros_like(args_flat)
        t_bar: list[Any] = [None] * n
        for i in range(n - 1, 0, -1):
            t_bar[i] = fnp.vdot(g[i], f(ys[i], ts[i], args))
            state0 = fnp.concatenate([ys[i], a, fnp.zeros_like(args_flat)])
            out, _ = _solve(aug, opts, state0, fnp.stack([-ts[i], -ts[i - 1]]), args)
            a_prop = out[1, n_y : 2 * n_y]
            q = q + out[1, 2 * n_y :]
            a = a_prop + g[i - 1]
            if i == 1:
                t_bar[0] = -fnp.vdot(a_prop, f(ys[0], ts[0], args))
        if n == 1:
            t_bar[0] = fnp.zeros_like(ts[0])
        return a, fnp.stack(t_bar), unravel_args(q)

    solve.defvjp(fwd, bwd)
    return solve(y0, ts, args)


def _times(t: Any, fname: str) -> Any:
    ts = fnp.asarray(t) * 1.0
    if ts.ndim != 1 or ts.shape[0] < 1:
        raise ValueError(f"{fname}: t must be a 1-d array of at least one time, got shape {ts.shape}.")
    try:
        concrete = onp.asarray(ts)
    except fad.TracerConversionError:  # batched or staged: checked per example by the solver
        return ts
    if ts.shape[0] > 1 and not onp.all(onp.diff(concrete) >= 0):
        raise ValueError(f"{fname}: the times t must be increasing, got {concrete}. Sort them.")
    return ts


def _concrete(x: Any) -> Any:
    """`x` as a NumPy array, or None when a transform batches or stages it."""
    if x is None:
        return None
    try:
        return onp.asarray(x)
    except fad.TracerConversionError:
        return None


def _float_args(args: Any, fname: str) -> Any:
    def conv(leaf: Any) -> Any:
        a = fnp.asarray(leaf)
        if a.dtype.kind not in "biuf":
            raise TypeError(
                f"{fname}: the extra arguments must be arrays of numbers (pytrees of them), got "
                f"{type(leaf).__name__} {leaf!r}. Close over other values in the function instead."
            )
        return a * 1.0

    return tree_map(conv, tuple(args))


def _flat_rhs(fun: Callable[..., Any], unravel: Any, ravel_check: Any) -> Any:
    def f(y: Any, t: Any, args: Any) -> Any:
        return ravel_check(fun(unravel(y), t, *args))

    return f


def _checked_ravel(y0_tree: Any, fname: str) -> Any:
    _, want = tree_flatten(y0_tree)
    shapes = [fnp.shape(x) for x in tree_flatten(y0_tree)[0]]

    def ravel_check(out: Any) -> Any:
        leaves, got = tree_flatten(out)
        if got != want or [fnp.shape(x) for x in leaves] != shapes:
            raise TypeError(
                f"{fname}: the function returned {got} with shapes {[fnp.shape(x) for x in leaves]}, "
                f"but the state y0 is {want} with shapes {shapes}. The derivative dy/dt must have "
                "the structure and shapes of y."
            )
        return _ravel(out)[0]

    return ravel_check


def odeint(
    func: Callable[..., Any],
    y0: ArrayLike,
    t: ArrayLike,
    *args: Any,
    rtol: float = 1.4e-8,
    atol: float = 1.4e-8,
    mxstep: float = math.inf,
    hmax: float = math.inf,
) -> PyTree:
    """Solve `dy/dt = func(y, t, *args)` from `y(t[0]) = y0`; returns `y` at each
    time of `t`, stacked on a leading axis (JAX's `jax.experimental.ode.odeint`).

    An adaptive Dormand-Prince 5(4) integrator, in float64. `y0` may be a pytree of arrays; `t`
    is increasing; `args` are arrays (pytrees of them): pass every value you
    differentiate with respect to there, not in a closure. Differentiable with respect to
    `y0`, `t` and `args` in reverse mode by the adjoint method (the augmented system
    integrated backwards, with the same tolerances) and in forward mode; `vmap` gives
    every example its own steps. `mxstep` bounds the steps per output interval and
    `hmax` the step size; a time that was not reached (`mxstep` exceeded, or the step
    size underflowed) gives NaN.

    Args:
        func: The right-hand side `func(y, t, *args)`, returning `y`'s structure.
        y0: Initial state: an array or a pytree of arrays.
        t: Increasing times at which to report the state; `t[0]` is the start.
        *args: Extra arguments of `func` (arrays or pytrees); differentiate with respect to values passed
            here.
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        mxstep: Maximum number of steps per output interval.
        hmax: Maximum step size.

    Returns:
        The state at each time of `t`, stacked on a leading axis (a pytree like `y0`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> ys = odeint(lambda y, t: fnp.stack([y[1], -y[0]]), fnp.array([0.0, 1.0]), fnp.array([0.0, 1.0]))
        >>> round(float(ys[-1, 0]), 8)  # sin(1)
        0.84147098
    """
    ts = _times(t, "odeint")
    args = _float_args(args, "odeint")
    y0_flat, unravel = _ravel(y0)
    f = _flat_rhs(func, unravel, _checked_ravel(y0, "odeint"))
    opts = _Options(_DOPRI5, rtol, atol, mxstep, hmax, None)
    ys, _ = _solve(f, opts, y0_flat, ts, args)
    return unravel(ys)


# ----------------------------------------------------------------------- solve_ivp


class _Result(dict[str, Any]):
    """A dict whose keys are also attributes, as SciPy's result objects; a pytree whose
    leaves are its numeric fields (so `vmap` and `jit` can return one)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> Any:
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in self.items()) + ")"


def _register_result(cls: Any) -> Any:
    def flatten(r: Any) -> Any:
        keys = tuple(r)
        static = tuple((k, v) for k, v in r.items() if v is None or isinstance(v, str))
        return [v for v in r.values() if not (v is None or isinstance(v, str))], (keys, static)

    def unflatten(aux: Any, children: Any) -> Any:
        keys, static = aux
        fixed, it = dict(static), iter(children)
        return cls({k: fixed[k] if k in fixed else next(it) for k in keys})

    register_pytree_node(cls, flatten, unflatten)
    return cls


@_register_result
class OdeResult(_Result):
    """The result of `solve_ivp` (SciPy's fields; a dict whose keys are also attributes).

    A pytree whose leaves are its numeric fields, so transformed functions may return it.

    Attributes:
        t: The times of the reported states, `(n_points,)`.
        y: The states at those times, `(n, n_points)`.
        sol: None (dense output is not supported).
        t_events: None (events are not supported).
        y_events: None (events are not supported).
        nfev: Number of evaluations of the right-hand side.
        njev: 0 (explicit methods use no Jacobian).
        nlu: 0 (explicit methods do no LU decomposition).
        status: 0 on success, -1 when the step size underflowed.
        message: What happened, in words.
        success: Whether the end of the interval was reached.
    """


_UNSUPPORTED = {
    "dense_output": "dense output (sol) is not implemented: pass the times you need as t_eval",
    "events": "events are not supported: integrate to t_eval and locate the event yourself",
    "vectorized": "vectorized=True is not needed: fad.vmap batches the right-hand side",
}


def solve_ivp(
    fun: Callable[..., Any],
    t_span: Sequence[ArrayLike],
    y0: ArrayLike,
    method: str = "RK45",
    t_eval: ArrayLike | None = None,
    dense_output: bool = False,
    events: Callable[..., Any] | Sequence[Callable[..., Any]] | None = None,
    vectorized: bool = False,
    args: Any = None,
    rtol: float = 1e-3,
    atol: float = 1e-6,
    max_step: float = math.inf,
    first_step: float | None = None,
    **options: Any,
) -> OdeResult:
    """Solve the initial value problem `dy/dt = fun(t, y, *args)`, `y(t0) = y0` (SciPy's
    `solve_ivp`, explicit methods `"RK45"` and `"DOP853"`).

    Returns an `OdeResult` with `t`, `y` (shape `(n, len(t))`), `success`,
    `status`, `message`, `nfev`, `njev`, `nlu`. `y` is differentiable with
    respect to `y0`, `args` and `t_span`/`t_eval` (reverse mode by the adjoint
    method, forward mode, `vmap`, `jit`), for smooth right-hand sides. `t` is
    `t_eval` when given, else only the two ends of `t_span` (fad returns arrays of fixed
    size; SciPy returns every internal step there): pass `t_eval` for more points.
    Dense output (`dense_output=True`) and `events` are not supported. Integration
    backwards (`t_span[1] < t_span[0]`) works. `atol` and `rtol` are scalars.

    Args:
        fun: The right-hand side `fun(t, y, *args)`, returning an array of `y0`'s shape.
        t_span: `(t0, t1)`: the interval.
        y0: Initial state, 1-d.
        method: `"RK45"` or `"DOP853"`.
        t_eval: Times at which to report the state (in the interval); None: its two ends.
        dense_output: Must be False (not supported).
        events: Must be None (not supported).
        vectorized: Must be False (`fad.vmap` batches the right-hand side).
        args: Extra arguments of `fun` (a tuple, or one value).
        rtol: Relative tolerance (a scalar).
        atol: Absolute tolerance (a scalar).
        max_step: Maximum step size.
        first_step: Initial step size; None chooses it.
        **options: Must be empty (other SciPy options are not supported).

    Returns:
        An `OdeResult`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> sol = solve_ivp(lambda t, y, k: -k * y, (0.0, 1.0), fnp.array([1.0]), args=(2.0,), rtol=1e-8)
        >>> sol.y.shape, bool(sol.success), round(float(sol.y[0, -1]), 6)
        ((1, 2), True, 0.135335)
    """
    for name, value in (("dense_output", dense_output), ("events", events), ("vectorized", vectorized)):
        if value:
            raise NotImplementedError(f"fad.scipy.integrate.solve_ivp: {_UNSUPPORTED[name]}.")
    if method not in _METHODS:
        raise ValueError(
            f"solve_ivp: method {method!r} is not available in fad; use 'RK45' or 'DOP853' "
            "(explicit methods for non-stiff problems)."
        )
    if options.pop("min_step", None) is not None or options:
        raise TypeError(f"solve_ivp: unsupported options {sorted(options)} for method {method!r}.")
    if not (onp.isscalar(rtol) and onp.isscalar(atol)):
        raise ValueError("fad's solve_ivp takes scalar rtol and atol; scale the state variables instead.")
    if args is not None and not isinstance(args, tuple):
        args = (args,)  # SciPy's convenience for one extra argument
    args = _float_args(args or (), "solve_ivp")
    if len(t_span) != 2:
        raise ValueError(f"solve_ivp: t_span must be (t0, t1), got {t_span!r}.")
    t0, t1 = fnp.asarray(t_span[0]) * 1.0, fnp.asarray(t_span[1]) * 1.0
    y0_ = fnp.asarray(y0) * 1.0
    if y0_.ndim != 1:
        raise ValueError(f"solve_ivp: y0 must be 1-d, got shape {y0_.shape}.")
    try:
        backward = bool(t1 < t0)
    except fad.TracerConversionError:
        raise ValueError(
            "solve_ivp: the direction of integration (the sign of t_span[1] - t_span[0]) must "
            "be known; it may not differ across a vmap batch or be staged by jit (mark t_span "
            "static)."
        ) from None
    times = fnp.stack([t0, t1]) if t_eval is None else fnp.concatenate([t0[None], fnp.asarray(t_eval) * 1.0])
    if times.ndim != 1:
        where = "t_span's ends must be numbers" if t_eval is None else f"t_eval must be 1-d, got {t_eval!r}"
        raise ValueError(f"solve_ivp: {where}.")
    sign = -1.0 if backward else 1.0
    te, lo, hi = _concrete(t_eval), _concrete(t0), _concrete(t1)
    if te is not None and lo is not None and hi is not None:
        lo, hi = min(lo, hi), max(lo, hi)
        if te.size and (te.min() < lo or te.max() > hi):
            raise ValueError(f"solve_ivp: values in t_eval are not within t_span {tuple(t_span)}.")
    ts = _times(sign * times, "solve_ivp (t_eval must be sorted in the direction of integration)")

    y_shape = y0_.shape  # (f must not close over traced values)

    def f(y: Any, s: Any, args: Any) -> Any:
        out = fnp.asarray(fun(sign * s, y, *args))
        if out.shape != y_shape:
            raise ValueError(f"solve_ivp: fun returned shape {out.shape}, but y0 has shape {y_shape}.")
        return sign * out

    opts = _Options(_METHODS[method], rtol, atol, math.inf, max_step, first_step)
    ys, stats = _solve(f, opts, y0_, ts, args)
    ys = ys if t_eval is None else ys[1:]
    out_t = times if t_eval is None else times[1:]
    failed = stats[2] > 0.5
    return _result(out_t, fnp.transpose(ys), stats, failed)


def _result(t: Any, y: Any, stats: Any, failed: Any) -> OdeResult:
    try:
        ok = not bool(failed)
        status, message = (
            (0, "The solver successfully reached the end of the integration interval.")
            if ok
            else (
                -1,
                "Required step size is less than spacing between numbers (or the solution is not finite).",
            )
        )
        nfev = int(stats[0])
    except fad.TracerConversionError:  # batched by vmap or staged by jit: arrays
        ok = fnp.logical_not(failed)
        status = fnp.where(failed, -1, 0)
        message = "See status (0: success, -1: the step size underflowed)."
        nfev = stats[0]
    return OdeResult(
        t=t, y=y, sol=None, t_events=None, y_events=None, nfev=nfev, njev=0, nlu=0,
        status=status, message=message, success=ok,
    )  # fmt: skip
