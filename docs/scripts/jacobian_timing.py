"""Measure ``jacfwd`` and ``jacrev`` against input and output size; plot for the tutorial.

``f(x) = tanh(W @ x)`` maps R^n to R^m. With m = 10 fixed, n grows (wide Jacobians); with
n = 10 fixed, m grows (tall Jacobians). Writes ``docs/img/jacfwd_vs_jacrev.png`` (needs
matplotlib) and prints the table.

    python docs/scripts/jacobian_timing.py [--out docs/img]
"""

import argparse
import os
import timeit

import numpy as onp

import fad
import fad.numpy as np

SIZES = [10, 30, 100, 300, 1000, 3000]


def best_time(fun, x):
    fun(x)
    number = 1
    while timeit.timeit(lambda: fun(x), number=number) < 0.05:
        number *= 2
    return min(timeit.repeat(lambda: fun(x), number=number, repeat=5)) / number


def measure(n, m, rng):
    W = rng.normal(size=(m, n)) / onp.sqrt(n)
    f = lambda x: np.tanh(W @ x)
    x = rng.normal(size=n)
    assert onp.allclose(fad.jacfwd(f)(x), fad.jacrev(f)(x))
    return best_time(fad.jacfwd(f), x), best_time(fad.jacrev(f), x)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "img"))
    args = p.parse_args()
    rng = onp.random.default_rng(0)
    wide = [measure(n, 10, rng) for n in SIZES]
    tall = [measure(10, m, rng) for m in SIZES]
    print(
        f"{'size':>6} | {'m=10, n=size: jacfwd':>21} {'jacrev':>9} "
        f"| {'n=10, m=size: jacfwd':>21} {'jacrev':>9}"
    )
    for s, (wf, wr), (tf, tr) in zip(SIZES, wide, tall, strict=True):
        print(f"{s:>6} | {wf * 1e3:>18.3f} ms {wr * 1e3:>6.3f} ms | {tf * 1e3:>18.3f} ms {tr * 1e3:>6.3f} ms")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot")
        return
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.6), sharey=True)
    for ax, data, xlabel, title in [
        (axes[0], wide, "input size n (output size m = 10)", "wide Jacobian (m << n)"),
        (axes[1], tall, "output size m (input size n = 10)", "tall Jacobian (m >> n)"),
    ]:
        ax.loglog(SIZES, [1e3 * d[0] for d in data], "o-", label="jacfwd (one jvp per input)")
        ax.loglog(SIZES, [1e3 * d[1] for d in data], "s-", label="jacrev (one vjp per output)")
        ax.set(xlabel=xlabel, title=title)
        ax.legend()
    axes[0].set_ylabel("time per Jacobian (ms)")
    fig.suptitle("f(x) = tanh(W x): Jacobian of shape (m, n)")
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "jacfwd_vs_jacrev.png")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
