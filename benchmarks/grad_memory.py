"""Peak memory of grad against the function's own peak, on large arrays.

    python benchmarks/grad_memory.py [--quick]

Reverse mode must keep some intermediates for the backward pass; fad keeps only those its
reverse rules read (see ``Primitive.residuals``). Target: grad's peak within 3x
of the function's own peak. Measured with tracemalloc (NumPy reports its allocations).
"""

from __future__ import annotations

import argparse
import tracemalloc

import numpy as onp

import fad
import fad.numpy as np


def elementwise(x):
    y = np.tanh(x * 1.01 + 0.1)
    z = np.exp(-y * y) + np.sin(x)
    return np.sum(z * z)


def logsumexp_quadratic(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m))) + np.sum(x * x) / 2


WORKLOADS = {"elementwise chain": elementwise, "logsumexp + quadratic": logsumexp_quadratic}


def peak(fn, x):
    fn(x)  # warm up
    tracemalloc.start()
    fn(x)
    p = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return p


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args(argv)
    n = 100_000 if a.quick else 10_000_000
    x = onp.linspace(-1, 1, n)
    mib = 1 / 2**20
    print(f"arrays of {n:,} float64 ({x.nbytes * mib:.0f} MiB each)")
    print("| workload | f peak (MiB) | grad peak (MiB) | grad / f | jit(grad) / f | target |")
    print("|---|---|---|---|---|---|")
    for name, f in WORKLOADS.items():
        pf, pg, pj = peak(f, x), peak(fad.grad(f), x), peak(fad.jit(fad.grad(f)), x)
        ok = "met" if pg <= 3 * pf else "NOT met"
        print(f"| {name} | {pf * mib:.0f} | {pg * mib:.0f} | {pg / pf:.2f}x | {pj / pf:.2f}x | <= 3x: {ok} |")


if __name__ == "__main__":
    main()
