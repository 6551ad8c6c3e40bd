"""Finite differences against automatic differentiation: error against step size.

For ``f(x) = sin(x) * exp(x) / (1 + x**2)`` at ``x = 1.5`` the script compares the
forward difference ``(f(x+h) - f(x)) / h``, the central difference
``(f(x+h) - f(x-h)) / 2h`` and ``fad.grad(f)`` with the derivative worked out by hand.
Finite differences trade truncation error (large ``h``) against round-off error (small
``h``), so their best error stalls orders of magnitude above rounding, at a step that
depends on ``f`` and ``x``; AD is exact to rounding, with no step to choose. Writes
``finite_differences.png``.

    python examples/finite_differences.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np


def f(x):
    return np.sin(x) * np.exp(x) / (1 + x**2)


def df_by_hand(x):
    s, c, e, q = onp.sin(x), onp.cos(x), onp.exp(x), 1 + x**2
    return (c * e + s * e) / q - s * e * 2 * x / q**2


def main():
    args = parse_args(__doc__.splitlines()[0])
    x = 1.5
    exact = df_by_hand(x)
    ad = fad.grad(f)(x)
    h = onp.logspace(-15, -1, 30 if args.quick else 141)
    fwd = onp.abs((f(x + h) - f(x)) / h - exact)
    ctr = onp.abs((f(x + h) - f(x - h)) / (2 * h) - exact)
    ad_err = abs(ad - exact)
    print(f"exact derivative {exact:.16f}")
    print(f"fad.grad         {ad:.16f}  error {ad_err:.1e}")
    print(f"best forward difference error {fwd.min():.1e} at h = {h[fwd.argmin()]:.0e}")
    print(f"best central difference error {ctr.min():.1e} at h = {h[ctr.argmin()]:.0e}")
    assert ad_err <= 1e-14 * abs(exact)
    assert ad_err < ctr.min() < fwd.min()

    plt = pyplot()
    if plt is None:
        return no_plot("finite_differences.png")
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.loglog(h, fwd, label="forward difference")
    ax.loglog(h, ctr, label="central difference")
    floor = onp.finfo(float).eps * abs(exact)
    ax.axhline(max(ad_err, floor / 4), color="k", ls="--", label=f"fad.grad (error {ad_err:.0e})")
    ax.set(xlabel="step size h", ylabel="|error| of f'(1.5)", title="finite differences vs AD")
    ax.legend()
    save(fig, args.out, "finite_differences.png")


if __name__ == "__main__":
    main()
