"""Optimize the initial velocity of a 2-D fluid so that its smoke draws a target shape.

A small incompressible-flow solver on a periodic grid, in the style of Jos Stam's "stable
fluids": each time step makes the velocity divergence-free (a pressure solve by Jacobi
iterations, written with ``fad.numpy.roll``), then moves the velocity and the smoke density
along the flow by semi-Lagrangian advection (each cell looks back along the velocity and
interpolates bilinearly; ``floor`` picks the cells, the interpolation weights carry the
derivative). ``fad.value_and_grad`` differentiates the distance between the final smoke
and a target ring through every step of the simulation, with respect to the whole initial
velocity field, and SciPy's L-BFGS uses the gradient. ``fad.jit`` stages the simulation
and its reverse pass once. Writes ``fluid_simulation.png`` (the smoke before, during and
after, and the loss).

    python examples/fluid_simulation.py [--quick] [--out DIR]
"""

import time

import numpy as onp
import scipy.optimize
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np


def project(vx, vy, iterations):
    """Remove the divergence of (vx, vy): solve a Poisson equation for the pressure (Jacobi)."""
    div = -0.5 * (
        np.roll(vx, -1, axis=1) - np.roll(vx, 1, axis=1) + np.roll(vy, -1, axis=0) - np.roll(vy, 1, axis=0)
    )
    p = np.zeros_like(div)
    for _ in range(iterations):
        p = (
            div
            + np.roll(p, 1, axis=0)
            + np.roll(p, -1, axis=0)
            + np.roll(p, 1, axis=1)
            + np.roll(p, -1, axis=1)
        ) / 4
    vx = vx - 0.5 * (np.roll(p, -1, axis=1) - np.roll(p, 1, axis=1))
    vy = vy - 0.5 * (np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0))
    return vx, vy


def advect(f, vx, vy):
    """Move the field ``f`` along the velocity for one time step (semi-Lagrangian, periodic)."""
    f, n = np.asarray(f), f.shape[0]  # a fad.numpy array takes traced indices (a NumPy array does not)
    rows, cols = onp.mgrid[0:n, 0:n].astype(float)
    y, x = rows - vy, cols - vx  # where the fluid in each cell came from
    y0, x0 = np.floor(y), np.floor(x)
    wy, wx = y - y0, x - x0
    i0, j0 = y0.astype(int) % n, x0.astype(int) % n
    i1, j1 = (i0 + 1) % n, (j0 + 1) % n
    top = (1 - wx) * f[i0, j0] + wx * f[i0, j1]
    bottom = (1 - wx) * f[i1, j0] + wx * f[i1, j1]
    return (1 - wy) * top + wy * bottom


def simulate(v0, smoke, steps, iterations):
    vx, vy = v0[0], v0[1]
    frames = [smoke]
    for _ in range(steps):
        vx, vy = project(vx, vy, iterations)
        smoke = advect(smoke, vx, vy)
        vx, vy = advect(vx, vx, vy), advect(vy, vx, vy)
        frames.append(smoke)
    return frames


def main():
    args = parse_args(__doc__.splitlines()[0])
    n, steps, iterations, maxiter = (24, 12, 10, 8) if args.quick else (40, 24, 20, 300)
    rows, cols = onp.mgrid[0:n, 0:n] / n
    smoke0 = onp.exp(-(((rows - 0.5) ** 2 + (cols - 0.5) ** 2) / 0.012))  # a puff in the middle
    r = onp.sqrt((rows - 0.5) ** 2 + (cols - 0.5) ** 2)
    target = onp.exp(-(((r - 0.3) / 0.05) ** 2))  # a ring around it
    target *= smoke0.sum() / target.sum()  # as much smoke as there is

    def loss(v_flat):
        final = simulate(np.reshape(v_flat, (2, n, n)), smoke0, steps, iterations)[-1]
        return np.sum((final - target) ** 2)

    value_and_grad = fad.jit(fad.value_and_grad(loss))
    history = []

    def fun(v):
        value, g = value_and_grad(v)
        history.append(float(value))
        return float(value), onp.asarray(g)

    t0 = time.perf_counter()
    res = scipy.optimize.minimize(
        fun, onp.zeros(2 * n * n), jac=True, method="L-BFGS-B", options={"maxiter": maxiter}
    )
    seconds = time.perf_counter() - t0
    print(
        f"{n}x{n} grid, {steps} time steps, {iterations} Jacobi iterations per step, {2 * n * n} parameters"
    )
    print(
        f"loss {history[0]:.3f} -> {history[-1]:.3f} in {res.nit} L-BFGS steps "
        f"({len(history)} gradients, {seconds:.1f} s)"
    )
    assert history[-1] < history[0]
    if not args.quick:
        assert history[-1] < 0.25 * history[0]

    plt = pyplot()
    if plt is None:
        return no_plot("fluid_simulation.png")
    frames = [onp.asarray(f) for f in simulate(onp.reshape(res.x, (2, n, n)), smoke0, steps, iterations)]
    fig, axes = plt.subplots(1, 6, figsize=(15, 2.9), layout="constrained", width_ratios=(1, 1, 1, 1, 1, 1.4))
    shown = [
        (frames[0], "initial smoke"),
        (frames[steps // 2], f"step {steps // 2}"),
        (frames[-1], f"step {steps} (final)"),
        (target, "target"),
    ]
    vmax = max(f.max() for f, _ in shown)
    for ax, (f, title) in zip(axes[:4], shown, strict=True):
        ax.imshow(f, cmap="magma", vmin=0, vmax=vmax, origin="lower")
        ax.set(title=title, xticks=[], yticks=[])
    v = onp.reshape(res.x, (2, n, n))
    speed = onp.hypot(v[0], v[1])
    axes[4].imshow(speed, cmap="Blues", origin="lower")
    k = max(1, n // 12)
    axes[4].quiver(cols[::k, ::k] * n, rows[::k, ::k] * n, v[0][::k, ::k], v[1][::k, ::k], color="k")
    axes[4].set(title="optimized initial velocity", xticks=[], yticks=[])
    axes[5].semilogy(history, ".-")
    axes[5].set(xlabel="function evaluation", ylabel="squared error", title=f"L-BFGS, loss {history[-1]:.3f}")
    save(fig, args.out, "fluid_simulation.png")


if __name__ == "__main__":
    main()
