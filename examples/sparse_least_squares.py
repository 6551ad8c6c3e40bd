"""A large nonlinear least-squares fit with scipy.optimize.least_squares and a sparse Jacobian.

A smooth field u on a 2-D grid is seen through a saturating sensor, y = tanh(u) + noise,
and recovered by least squares with a smoothness penalty: the residuals are
``tanh(u) - y`` at every point and ``lam * (differences of u)`` between neighbours. With
an N x N grid that is N^2 unknowns and about 3 N^2 residuals, and each residual touches at
most two unknowns.

``fad.sparse_jacobian`` detects that pattern, colours its columns (a handful of colours
whatever the size) and returns ``scipy.sparse`` matrices, which ``least_squares`` (method
``"trf"``) solves with LSMR. The same fit with SciPy's finite differences on the detected
pattern is timed beside it.

Writes ``sparse_least_squares.png`` (data, fit, and the pattern coloured by colour).

    python examples/sparse_least_squares.py [--quick] [--out DIR]
"""

import time

import numpy as onp
from _common import no_plot, parse_args, pyplot, save
from scipy.optimize import least_squares

import fad
import fad.numpy as np

LAM = 3.0


def make_residuals(y, side):
    def residuals(u):
        g = np.reshape(u, (side, side))
        fit = np.ravel(np.tanh(g)) - y
        dx = np.ravel(g[1:, :] - g[:-1, :])
        dy = np.ravel(g[:, 1:] - g[:, :-1])
        return np.concatenate([fit, LAM * dx, LAM * dy])

    return residuals


def main():
    args = parse_args(__doc__.splitlines()[0])
    side = 20 if args.quick else 100
    s = onp.linspace(-1, 1, side)
    truth = 1.5 * onp.exp(-4 * (s[:, None] ** 2 + (s[None, :] - 0.3) ** 2)) - 0.5 * s[None, :]
    rng = onp.random.default_rng(0)
    y = onp.tanh(truth).ravel() + 0.05 * rng.normal(size=side * side)
    residuals = make_residuals(y, side)
    u0 = onp.zeros(side * side)

    jac = fad.sparse_jacobian(residuals)
    j0 = jac(u0)
    print(f"{side * side} unknowns, {j0.shape[0]} residuals: {j0.nnz} nonzeros in the Jacobian")
    print(f"{jac.coloring.n_colors} colours ({jac.info.mode} mode): one jvp each per Jacobian")

    t0 = time.perf_counter()
    fit = least_squares(residuals, u0, jac=lambda u: jac(u), method="trf")
    t_fad = time.perf_counter() - t0
    t0 = time.perf_counter()
    fd = least_squares(residuals, u0, jac_sparsity=jac.pattern, method="trf")
    t_fd = time.perf_counter() - t0
    for name, r, t in (("fad's sparse Jacobian", fit, t_fad), ("finite differences", fd, t_fd)):
        print(f"least_squares with {name + ':':24s} {t:.2f} s, cost {r.cost:.6f}, {r.njev} Jacobians")
    err = onp.sqrt(onp.mean((fit.x - truth.ravel()) ** 2))
    print(f"root-mean-square error of the recovered field: {err:.3f}")
    assert fit.success and fit.cost <= fd.cost * (1 + 1e-6) + 1e-12 and err < 0.35

    plt = pyplot()
    if plt is None:
        return no_plot("sparse_least_squares.png")
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    axes[0].imshow(y.reshape(side, side), cmap="RdBu_r")
    axes[0].set_title("data: tanh(u) + noise")
    axes[1].imshow(fit.x.reshape(side, side), cmap="RdBu_r")
    axes[1].set_title("recovered u")
    sub = jac.pattern.tocoo()  # every nonzero, coloured by its column's colour
    colors = jac.coloring.colors[sub.col]
    axes[2].scatter(sub.col, sub.row, c=colors, cmap="tab10", vmin=0, vmax=9, s=1, marker="s", linewidths=0)
    axes[2].set(xlim=(-1, jac.pattern.shape[1]), ylim=(jac.pattern.shape[0], -1))
    axes[2].set(xlabel="unknown", ylabel="residual")
    axes[2].set_title(f"Jacobian pattern, {jac.coloring.n_colors} colours")
    save(fig, args.out, "sparse_least_squares.png")


if __name__ == "__main__":
    main()
