"""A stiff reaction-diffusion system solved with SciPy's BDF and fad's sparse Jacobian.

The Brusselator in one dimension: two species u, v on n grid points with diffusion and
the reactions u' = a + u^2 v - (b + 1) u, v' = b u - u^2 v. Diffusion makes the system
stiff, so an implicit method (``solve_ivp(method="BDF")``) needs the Jacobian of the
right-hand side: 2n x 2n, but each equation touches only its neighbours.

``fad.jacobian_sparsity`` finds the pattern by tracing the right-hand side once;
``fad.sparse_jacobian`` colours it and computes the whole Jacobian from one
Jacobian-vector product per colour. The solver gets both (``jac=`` and
``jac_sparsity=``); the same solve with a finite-difference Jacobian is timed beside it.

Writes ``reaction_diffusion.png`` (the solution, the spy plot of the detected pattern
coloured by the colouring).

    python examples/reaction_diffusion.py [--quick] [--out DIR]
"""

import time

import numpy as onp
from _common import no_plot, parse_args, pyplot, save
from scipy.integrate import solve_ivp

import fad
import fad.numpy as np

A, B, ALPHA = 1.0, 3.0, 0.02


def rhs(t, y):
    n = y.shape[0] // 2
    u, v = y[:n], y[n:]
    h2 = (n + 1) ** 2
    # Dirichlet values u = a, v = b / a at both ends
    ue = np.concatenate([np.array([A]), u, np.array([A])])
    ve = np.concatenate([np.array([B / A]), v, np.array([B / A])])
    lap_u = (ue[2:] - 2 * u + ue[:-2]) * h2
    lap_v = (ve[2:] - 2 * v + ve[:-2]) * h2
    uuv = u * u * v
    return np.concatenate([A + uuv - (B + 1) * u + ALPHA * lap_u, B * u - uuv + ALPHA * lap_v])


def main():
    args = parse_args(__doc__.splitlines()[0])
    n = 100 if args.quick else 1000
    x = onp.linspace(0, 1, n + 2)[1:-1]
    y0 = onp.concatenate([A + onp.sin(2 * onp.pi * x), onp.full(n, B / A)])
    t_end = 2.0 if args.quick else 10.0

    pattern = fad.jacobian_sparsity(lambda y: rhs(0.0, y), y0)
    jac = fad.sparse_jacobian(lambda y: rhs(0.0, y))
    j0 = jac(y0)
    print(f"{2 * n} unknowns: the Jacobian has {pattern.nnz} nonzeros ({pattern.nnz / (2 * n) ** 2:.2%})")
    k = jac.coloring.n_colors
    print(f"{k} colours ({jac.info.mode} mode): {k} Jacobian-vector products per Jacobian")
    assert onp.allclose(j0.toarray(), fad.jacfwd(lambda y: rhs(0.0, y))(y0))

    t0 = time.perf_counter()
    sol = solve_ivp(
        rhs, (0, t_end), y0, method="BDF", jac=lambda t, y: jac(y), jac_sparsity=pattern, rtol=1e-6
    )
    t_fad = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = solve_ivp(rhs, (0, t_end), y0, method="BDF", jac_sparsity=pattern, rtol=1e-6)
    t_fd = time.perf_counter() - t0
    assert sol.success and ref.success
    err = onp.abs(sol.y[:, -1] - ref.y[:, -1]).max()
    for name, r, t in (("fad's sparse Jacobian", sol, t_fad), ("finite differences", ref, t_fd)):
        print(f"BDF with {name + ':':24s} {t:.2f} s, {r.nfev} f-evaluations, {r.njev} Jacobians")
    print(f"largest difference at t = {t_end}: {err:.1e}")
    assert err < 1e-3

    plt = pyplot()
    if plt is None:
        return no_plot("reaction_diffusion.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    extent = (sol.t[0], sol.t[-1], 0, 1)
    im = a1.imshow(sol.y[:n], aspect="auto", origin="lower", extent=extent, cmap="viridis")
    fig.colorbar(im, ax=a1, label="u")
    a1.set(xlabel="t", ylabel="x", title="Brusselator: u(x, t)")
    sub = pattern.tocoo()  # every nonzero, coloured by its column's colour
    colors = jac.coloring.colors[sub.col] if jac.info.mode == "fwd" else jac.coloring.colors[sub.row]
    a2.scatter(sub.col, sub.row, c=colors, cmap="tab10", vmin=0, vmax=9, s=2, marker="s", linewidths=0)
    k = 2 * n
    a2.set(xlim=(-1, k), ylim=(k, -1), title=f"detected Jacobian pattern, {jac.coloring.n_colors} colours")
    a2.set_aspect("equal")
    save(fig, args.out, "reaction_diffusion.png")


if __name__ == "__main__":
    main()
