"""Compare two checkouts of fad by instructions per call, counted by valgrind's callgrind.

    python benchmarks/instructions.py OLD_CHECKOUT [NEW_CHECKOUT] [--only W2,W6]

Wall-clock ratios on a shared machine move by ±5% from one run to the next, which hides a
2% change in fad's per-operation cost. Instruction counts do not move: the same checkout,
inputs and environment give the same count (``PYTHONHASHSEED=0``), whatever else the machine
is doing. Each case (a workload of ``workloads.py`` at its full size, fad's derivative
only) runs in its own process under ``valgrind --tool=callgrind``: the set-up and three
warm-up calls run uncounted, then the count is switched on around ``k`` calls through
callgrind's client requests (a small C helper, compiled here with the system's C compiler
from valgrind's ``callgrind.h``). The table gives instructions per call for both
checkouts and their ratio; a ratio is a proxy for time, not time (cache misses and branch
mispredictions are not in it), so report it beside a wall-clock run of ``run.py``.

Needs valgrind with its headers and a C compiler (Debian: ``valgrind``, ``gcc``). Each
case takes a few seconds; the whole table about five minutes on one core.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (workload, case index, calls counted): every case of W1-W7 that runs in seconds under valgrind
CASES = [
    ("W1", 0, 2),
    ("W2", 0, 20),
    ("W2", 1, 20),
    ("W3", 0, 10),
    ("W3", 1, 5),
    ("W3", 2, 2),
    ("W4", 0, 3),
    ("W4", 1, 3),
    ("W4", 2, 3),
    ("W4", 3, 3),
    ("W5", 0, 5),
    ("W6", 0, 50),
    ("W6", 1, 30),
    ("W6", 2, 20),
    ("W6", 3, 10),
    ("W6", 4, 5),
    ("W6", 5, 3),
    ("W7", 0, 2),
]

HELPER_C = r"""
#include <valgrind/callgrind.h>
void fad_count_start(void) {
    CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; CALLGRIND_TOGGLE_COLLECT;
}
void fad_count_stop(void) {
    CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS; CALLGRIND_STOP_INSTRUMENTATION;
}
"""

#: run in the child: argv = checkout, workload, case index, calls, helper library, column
CHILD = r"""
import ctypes, sys
checkout, key, idx, k, lib = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
column = sys.argv[6]
sys.path[:0] = [BENCHMARKS, checkout]
import numpy as np
import frameworks
from workloads import WORKLOADS
import fad
assert fad.__file__.startswith(checkout), f"fad imported from {fad.__file__}, not {checkout}"
wl = WORKLOADS[key]
case = wl.cases(False)[idx]
fw = frameworks.FadJit() if column == "fad-jit" else frameworks.Fad()
args = wl.inputs(case, np.random.default_rng(0))
fn = fw.compile(wl.derivative(fw, case))
for _ in range(3):
    fn(*args)
import gc
gc.collect()  # (a collection of the set-up's garbage would land in the count by chance)
count = ctypes.CDLL(lib)
count.fad_count_start()
for _ in range(k):
    fn(*args)
count.fad_count_stop()
"""


def build_helper(tmp: Path) -> Path:
    src, lib = tmp / "count.c", tmp / "libfadcount.so"
    src.write_text(HELPER_C)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    return lib


def count(checkout: Path, key: str, idx: int, k: int, lib: Path, tmp: Path, column: str = "fad") -> float:
    """Instructions per call of fad's derivative in workload ``key``, case ``idx``."""
    out = tmp / f"cg-{checkout.name}-{key}-{idx}"
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.update({v: "1" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})
    child = f"BENCHMARKS = {str(HERE)!r}\n" + CHILD
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no"]
    cmd += [f"--callgrind-out-file={out}.%p", sys.executable, "-c", child]
    cmd += [str(checkout), key, str(idx), str(k), str(lib), column]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{key}[{idx}] in {checkout} failed:\n{proc.stderr[-2000:]}")
    dumps = sorted(tmp.glob(f"{out.name}.*.1"))  # the dump written by fad_count_stop
    totals = [line for line in dumps[-1].read_text().splitlines() if line.startswith("totals:")]
    for d in tmp.glob(f"{out.name}.*"):
        d.unlink()
    return int(totals[0].split()[1]) / k


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old", type=Path, help="the checkout to compare against (e.g. a git worktree)")
    p.add_argument("new", type=Path, nargs="?", default=HERE.parent, help="default: this checkout")
    p.add_argument("--only", default="", help="comma-separated workloads, e.g. W2,W6")
    p.add_argument("--jit", action="store_true", help="count fad.jit's compiled derivatives instead")
    opts = p.parse_args(argv)
    only = set(filter(None, opts.only.split(",")))
    old, new = opts.old.resolve(), opts.new.resolve()
    what = "fad.jit's compiled derivatives" if opts.jit else "eager fad"
    print(f"instructions per call (callgrind) of {what}, old = {old}, new = {new}\n")
    print("| workload | case | old | new | new/old |\n|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        lib = build_helper(tmp)
        sys.path[:0] = [str(HERE)]
        from workloads import WORKLOADS

        for key, idx, k in CASES:
            if only and key not in only:
                continue
            column = "fad-jit" if opts.jit else "fad"
            a, b = count(old, key, idx, k, lib, tmp, column), count(new, key, idx, k, lib, tmp, column)
            label = WORKLOADS[key].cases(False)[idx]["label"]
            print(f"| {key} | {label} | {a:,.0f} | {b:,.0f} | {b / a:.4f} |", flush=True)


if __name__ == "__main__":
    main()
