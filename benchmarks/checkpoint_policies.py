"""Peak memory and time of reverse mode through a stack of dense layers under each kind of
fad.checkpoint: none, no policy (recompute everything), and the policies
``dots_saveable`` (keep the matrix products, recompute the rest) and ``everything_saveable``.

    python benchmarks/checkpoint_policies.py [--quick]

Each layer is ``gelu(W @ h)`` (the tanh form, seven elementwise operations) on a batch of
columns; the gradient is taken with respect to the input batch. Peak memory is measured with
tracemalloc (NumPy reports its allocations to it); time is the best of three calls.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as onp

import fad
import fad.numpy as np


def layer(w, h):
    z = w @ h
    return 0.5 * z * (1 + np.tanh(0.7978845608 * (z + 0.044715 * z**3)))


def stack(policy, checkpointed):
    body = fad.checkpoint(layer, policy=policy) if checkpointed else layer

    def f(ws, x):
        for w in ws:
            x = body(w, x)
        return np.sum(x**2)

    return fad.grad(f, argnums=1)


def measure(g, ws, x):
    g(ws, x)  # warm up
    tracemalloc.start()
    out = g(ws, x)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        g(ws, x)
        best = min(best, time.perf_counter() - t)
    return peak, best, out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    cases = [(64, 512, 4), (512, 64, 4)] if a.quick else [(128, 4096, 16), (2048, 256, 6)]
    cp = fad.checkpoint_policies
    variants = [
        ("grad", None, False),
        ("fad.checkpoint", None, True),
        ("policy=dots_saveable", cp.dots_saveable, True),
        ("policy=everything_saveable", cp.everything_saveable, True),
    ]
    rng = onp.random.default_rng(0)
    for n, batch, depth in cases:
        ws = [rng.normal(size=(n, n)) / n**0.5 for _ in range(depth)]
        x = rng.normal(size=(n, batch))
        print(f"\n{depth} layers of width {n} on a batch of {batch}")
        print("| variant | peak memory (MiB) | time (s) |\n|---|---|---|")
        ref = None
        for name, policy, checkpointed in variants:
            peak, t, out = measure(stack(policy, checkpointed), ws, x)
            ref = out if ref is None else ref
            assert onp.allclose(out, ref, rtol=1e-12, atol=1e-12), name
            print(f"| {name} | {peak / 2**20:.1f} | {t:.3f} |")


if __name__ == "__main__":
    main()
