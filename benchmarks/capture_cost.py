"""What ``fad.jit`` costs the first time: ``jit(grad(chain))`` of the W2 chain at 100,000
operations, captured, simplified, made ready to run and run once.

Prints the CPU time of each phase (``time.process_time``, so a loaded machine counts less)
and the peak resident memory of a process that does it, against one that runs eager
``jvp`` of the same chain. Target: under 3 s, and under 10x the memory of eager ``jvp``.

    python benchmarks/capture_cost.py            # 100,000 operations
    python benchmarks/capture_cost.py --ops 20000
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def _chain(ops):
    from workloads import W2

    import fad.numpy as fnp

    return W2().function(fnp, dict(ops=ops, size=10))


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # (KiB on Linux)


def child(mode, ops):
    import fad
    from fad import _jit, _passes, _staging

    f = _chain(ops)
    x = np.random.default_rng(0).standard_normal(10)
    if mode == "eager":
        t = time.process_time()
        fad.jvp(f, (x,), (np.ones(10),))
        print(f"{time.process_time() - t:.3f} {_peak_mb():.1f}")
        return
    g = fad.grad(f)
    t0 = time.process_time()
    with _staging._gc_paused():  # as fad.jit does it
        prog = _staging.capture(g, (x,), name="g", record_source=False)
        t1 = time.process_time()
        n_raw = len(prog.eqns)
        prog = _passes.simplify(prog)
        t2 = time.process_time()
        run = _jit.compile_program(prog)
        t3 = time.process_time()
        n = len(prog.eqns)
        entry = _jit._Entry(prog, run)  # what fad.jit keeps of the program
        del prog
    run(x)
    t4 = time.process_time()
    gc.collect()  # what the next full collection costs, walking what jit keeps
    t5 = time.process_time()
    times = " ".join(f"{t:.3f}" for t in (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4))
    print(f"{times} {n_raw} {n} {_peak_mb():.1f}")
    del entry


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=100_000)
    ap.add_argument("--child", choices=("jit", "eager"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        return child(a.child, a.ops)

    def run(mode):
        out = subprocess.run(
            [sys.executable, __file__, "--ops", str(a.ops), "--child", mode],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return out.stdout.split()

    e_time, e_peak = map(float, run("eager"))
    cap, simp, ready, first, gc_t, n_raw, n, peak = run("jit")
    cap, simp, ready, first, gc_t, peak = map(float, (cap, simp, ready, first, gc_t, peak))
    total = cap + simp + ready + first + gc_t
    print(f"jit(grad(chain)), {a.ops:,} operations: {int(n_raw):,} equations, {int(n):,} simplified")
    print(f"  capture {cap:.2f} s, simplify {simp:.2f} s, ready to run {ready:.2f} s,")
    print(f"  first run {first:.2f} s, next full garbage collection {gc_t:.2f} s")
    print(f"  in all {total:.2f} s CPU (target < 3 s)")
    print(f"  peak memory {peak:.0f} MB; eager jvp {e_peak:.0f} MB in {e_time:.2f} s CPU")
    print(f"  memory {peak / e_peak:.1f}x eager jvp's (target < 10x)")


if __name__ == "__main__":
    main()
