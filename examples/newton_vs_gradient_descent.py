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
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9.5, 3.6))
    a1.semilogy(onp.maximum(f_nt, 1e-30), "o-", label="Newton (fad.hessian)")
    a1.semilogy(f_gd, label="gradient descent (fad.grad)")
    a1.set(
        xlabel="iteration", ylabel="f(x) (minimum 0)", xscale="symlog", title="convergence", ylim=(1e-30, 1e3)
    )
    a1.legend()
    gx, gy = onp.meshgrid(onp.linspace(-1.6, 1.6, 200), onp.linspace(-0.6, 1.6, 200))
    a2.contour(gx, gy, (1 - gx) ** 2 + 100 * (gy - gx**2) ** 2, levels=onp.logspace(-1, 3, 12), cmap="Greys")
    a2.plot(gd[:, 0], gd[:, 1], "-", color="C1", label="gradient descent")
    a2.plot(nt[:, 0], nt[:, 1], "o-", color="C0", label="Newton")
    a2.plot([1], [1], "k*", ms=12)
    a2.set(title="paths from (-1.2, 1)", xlabel="x", ylabel="y")
    a2.legend(loc="lower right")
    save(fig, args.out, "newton_vs_gradient_descent.png")


if __name__ == "__main__":
    main()
