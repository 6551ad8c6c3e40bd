"""Fit the parameters of the Lotka-Volterra equations to noisy data through ``odeint``.

Prey ``u`` and predators ``v`` follow ``u' = a u - b u v`` and ``v' = -c v + d u v``. From
noisy counts of both, we recover ``(a, b, c, d)`` and the initial populations by least
squares on the log counts. The model is solved by ``fad.scipy.integrate.odeint`` (adaptive
Dormand-Prince), and ``fad.value_and_grad`` differentiates the loss through the solver by
the adjoint method (the augmented system integrated backwards in time); SciPy's L-BFGS
takes the value and the gradient. Writes ``lotka_volterra.png`` (fit vs data, loss).

    python examples/lotka_volterra.py [--quick] [--out DIR]
"""

import time

import numpy as onp
import scipy.optimize
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.scipy.integrate import odeint

NAMES = ["a", "b", "c", "d", "u0", "v0"]
TRUE = onp.array([1.0, 0.1, 1.5, 0.075, 10.0, 5.0])


def dynamics(y, t, a, b, c, d):
    u, v = y[0], y[1]
    return np.stack([a * u - b * u * v, -c * v + d * u * v])


def solve(theta, ts):
    """Populations at the times ``ts`` for the parameters ``theta = (a, b, c, d, u0, v0)``."""
    a, b, c, d, u0, v0 = (theta[i] for i in range(6))
    return odeint(dynamics, np.stack([u0, v0]), ts, a, b, c, d, rtol=1e-7, atol=1e-7)


def loss(log_theta, ts, log_counts):
    """Sum of squared errors of the log populations; parameters on the log scale stay positive."""
    return np.sum((np.log(solve(np.exp(log_theta), ts)) - log_counts) ** 2)


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    ts = onp.linspace(0.0, 15.0, 25 if args.quick else 40)
    log_counts = onp.log(onp.asarray(solve(TRUE, ts))) + 0.1 * rng.normal(size=(len(ts), 2))
    start = onp.log(onp.array([0.7, 0.14, 1.1, 0.1, 8.0, 6.0]))

    value_and_grad = fad.value_and_grad(loss)
    _, g = value_and_grad(start, ts, log_counts)
    e, h = onp.eye(6), 1e-5
    fd = [
        (loss(start + h * e[i], ts, log_counts) - loss(start - h * e[i], ts, log_counts)) / (2 * h)
        for i in range(6)
    ]
    err = onp.max(onp.abs(g - onp.array(fd))) / onp.max(onp.abs(g))
    print(f"adjoint gradient vs central differences: relative error {err:.1e}")
    assert err < 1e-5

    history = []

    def fun(p):
        value, grad = value_and_grad(p, ts, log_counts)
        history.append(float(value))
        return float(value), onp.asarray(grad)

    t0 = time.perf_counter()
    res = scipy.optimize.minimize(
        fun, start, jac=True, method="L-BFGS-B", options={"maxiter": 6 if args.quick else 100}
    )
    seconds, fitted = time.perf_counter() - t0, onp.exp(res.x)
    print(
        f"loss {history[0]:.3f} -> {history[-1]:.3f} in {res.nit} L-BFGS steps "
        f"({len(history)} gradients, {seconds:.1f} s)"
    )
    print("parameter   true    fitted")
    for name, true, fit in zip(NAMES, TRUE, fitted, strict=True):
        print(f"{name:>9} {true:7.3f} {fit:9.3f}")
    assert history[-1] < history[0]
    if not args.quick:
        assert onp.max(onp.abs(fitted / TRUE - 1)) < 0.1, fitted

    plt = pyplot()
    if plt is None:
        return no_plot("lotka_volterra.png")
    fine = onp.linspace(0.0, 15.0, 400)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained", width_ratios=(2, 1))
    first, fit = onp.asarray(solve(onp.exp(start), fine)), onp.asarray(solve(fitted, fine))
    for k, (name, color) in enumerate([("prey", "C0"), ("predators", "C3")]):
        a1.plot(ts, onp.exp(log_counts[:, k]), "o", color=color, ms=4, label=f"{name} (data)")
        a1.plot(fine, fit[:, k], "-", color=color, label=f"{name} (fit)")
        a1.plot(fine, first[:, k], ":", color=color, lw=1, label=f"{name} (first guess)")
    a1.set(xlabel="time", ylabel="population", title="Lotka-Volterra fitted through odeint")
    a1.legend(fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    a2.semilogy(history, ".-")
    a2.set(xlabel="function evaluation", ylabel="loss", title=f"L-BFGS, final loss {history[-1]:.3f}")
    save(fig, args.out, "lotka_volterra.png")


if __name__ == "__main__":
    main()
