"""Newton's method with ``fad.hessian`` against gradient descent, on Rosenbrock's function.

``f(x, y) = (1 - x)**2 + 100 (y - x**2)**2`` has its minimum 0 at (1, 1) at the bottom of a
long curved valley: gradient descent crawls along it, Newton's method (solve ``H d = -g``
with the exact Hessian, forward-over-reverse) converges quadratically. Writes
``newton_vs_gradient_descent.png`` (f against iteration, log scale, and both paths).

    python examples/newton_vs_gradient_descent.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np


def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def newton(f, x0, steps):
    g, H = fad.grad(f), fad.hessian(f)
    path = [x0]
    for _ in range(steps):
        x = path[-1]
        path.append(x - np.linalg.solve(H(x), g(x)))
    return onp.array(path)


def gradient_descent(f, x0, steps, lr):
    g = fad.jit(fad.grad(f))
    path = [x0]
    for _ in range(steps):
        path.append(path[-1] - lr * g(path[-1]))
    return onp.array(path)


def main():
    args = parse_args(__doc__.splitlines()[0])
    x0 = np.array([-1.2, 1.0])
    nt = newton(rosenbrock, x0, 8)
    gd = gradient_descent(rosenbrock, x0, 500 if args.quick else 5000, lr=1.5e-3)
    f_nt = [float(rosenbrock(p)) for p in nt]
    f_gd = [float(rosenbrock(p)) for p in gd]
    print(f"Newton, {len(nt) - 1} steps: x = {nt[-1]}, f = {f_nt[-1]:.2e}")
    print(f"gradient descent, {len(gd) - 1} steps: x = {gd[-1]}, f = {f_gd[-1]:.2e}")
    assert f_nt[-1] < 1e-12 and f_gd[-1] < f_gd[0]

    plt = pyplot()
    if plt is None:
        return no_plot("newton_vs_gradient_descent.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9.5, 3.8), layout="constrained")
    # Newton reaches f = 0 exactly, which a log axis cannot show: plot the positive values
    # and say where it lands; the limits leave room for every point.
    exact = next((i for i, f in enumerate(f_nt) if f == 0.0), None)
    shown = f_nt[:exact] if exact is not None else f_nt
    label = "Newton (fad.hessian)" + (f", f = 0 exactly from step {exact}" if exact is not None else "")
    a1.semilogy(range(len(shown)), shown, "o-", label=label)
    a1.semilogy(f_gd, label="gradient descent (fad.grad)")
    positive = [f for f in f_nt + f_gd if f > 0]
    a1.set(
        xlabel="iteration",
        ylabel="f(x) (minimum 0)",
        xscale="symlog",
        title="convergence",
        ylim=(min(positive) / 1e3, max(positive) * 1e3),
    )
    a1.legend(loc="center right", fontsize=8)
    paths = onp.concatenate([nt, gd])
    (x_lo, y_lo), (x_hi, y_hi) = paths.min(axis=0), paths.max(axis=0)
    x_lo, x_hi = min(x_lo, -1.5) - 0.2, max(x_hi, 1.5) + 0.2
    y_lo, y_hi = min(y_lo, -0.5) - 0.4, max(y_hi, 1.5) + 0.4
    gx, gy = onp.meshgrid(onp.linspace(x_lo, x_hi, 200), onp.linspace(y_lo, y_hi, 200))
    a2.contour(
        gx, gy, (1 - gx) ** 2 + 100 * (gy - gx**2) ** 2, levels=onp.logspace(-1, 3.5, 12), cmap="Greys"
    )
    a2.plot(gd[:, 0], gd[:, 1], "-", color="C1", label="gradient descent")
    a2.plot(nt[:, 0], nt[:, 1], "o-", color="C0", label="Newton")
    a2.plot([1], [1], "k*", ms=12, label="minimum (1, 1)")
    a2.set(title="paths from (-1.2, 1)", xlabel="x", ylabel="y", xlim=(x_lo, x_hi), ylim=(y_lo, y_hi))
    a2.legend(loc="lower left", fontsize=8)
    save(fig, args.out, "newton_vs_gradient_descent.png")


if __name__ == "__main__":
    main()
