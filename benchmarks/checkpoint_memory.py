"""Peak memory of reverse mode through a deep chain, with and without fad.checkpoint.

    python benchmarks/checkpoint_memory.py [--quick]

The chain applies ``depth`` elementwise layers to an array of ``size`` float64 values.
Without checkpointing the tape keeps every intermediate (memory ~ depth * size); with
``fad.checkpoint`` around blocks of ``block`` layers, reverse mode keeps only the block
inputs and recomputes one block at a time (memory ~ (depth / block + block) * size).
Peak memory is measured with tracemalloc (NumPy reports its allocations to it).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as onp

import fad
import fad.numpy as np


def layer(x):
    return np.tanh(x * 1.01 + 0.1)


def block_fn(block):
    def run(x):
        for _ in range(block):
            x = layer(x)
        return x

    return run


def chain(depth, block, use_checkpoint):
    body = block_fn(block)
    if use_checkpoint:
        body = fad.checkpoint(body)

    def f(x):
        for _ in range(depth // block):
            x = body(x)
        return np.sum(x)

    return f


def measure(f, x):
    g = fad.grad(f)
    g(x)  # warm up
    tracemalloc.start()
    t = time.perf_counter()
    out = g(x)
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, elapsed, out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    size, depth, block = (10_000, 40, 8) if a.quick else (100_000, 400, 20)
    x = onp.linspace(-1, 1, size)
    peak0, t0, g0 = measure(chain(depth, block, False), x)
    peak1, t1, g1 = measure(chain(depth, block, True), x)
    assert onp.allclose(g0, g1)
    mb = 1 / 2**20
    print(f"chain of {depth} layers on {size} float64 values, checkpoint blocks of {block}")
    print("| variant | peak memory (MiB) | time (s) |\n|---|---|---|")
    print(f"| grad | {peak0 * mb:.1f} | {t0:.3f} |")
    print(f"| grad with fad.checkpoint | {peak1 * mb:.1f} | {t1:.3f} |")
    print(f"memory saved: {peak0 / peak1:.1f}x less, for {t1 / t0:.2f}x the time")


if __name__ == "__main__":
    main()
