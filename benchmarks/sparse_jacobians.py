"""W8: sparse Jacobians and Hessians (fad.sparse_jacobian / fad.sparse_hessian).

    python benchmarks/sparse_jacobians.py                 # n = 10^3 ... 10^6 (several minutes)
    python benchmarks/sparse_jacobians.py --quick         # n = 10^3, 10^4 (seconds)
    python benchmarks/sparse_jacobians.py --peer-python /path/to/venv/bin/python   # + asdex and JAX

Problems (each written once against a NumPy-like namespace ``xp``):

* ``pde1d``: the residual of -u'' + u^3 - sin(u) = 1 on n points (Dirichlet ends): a
  tridiagonal Jacobian;
* ``pde2d``: the residual of the 2-D Bratu problem, -lap(u) - exp(u), on an N x N grid
  (n = N^2): the five-point stencil;
* ``rosen``: the Hessian of the chained Rosenbrock function (tridiagonal).

Columns: ``f`` (the function, plain NumPy), fad's sparse path on its first call (detection
+ colouring + evaluation) and warm (the pattern and colouring reused), the same under
``fad.jit``, fad's dense ``jacfwd`` / ``hessian`` where the dense matrix fits (n <= 10^4),
and, when ``--peer-python`` names an interpreter with JAX and asdex (a scratch venv; never a
dependency of fad), asdex (first call: detection + colouring + compilation; warm: jitted)
and JAX's jitted dense ``jacfwd`` / ``hessian``, each case right after fad's (a subprocess
per case, so that both meet the same load on a shared machine). A missing peer is skipped
with a note.
Each time is the median of ``--repeats`` samples after a warm-up call; every result is
checked against fad's dense derivative (or a column-by-column jvp at large n).

One core each: fad runs NumPy on one thread, and BLAS is limited to one thread, while
XLA spreads its loops over a thread pool on every core. So that the ratio compares work on
the same hardware, fad and the peers run pinned to the same single CPU
(``os.sched_setaffinity``, before JAX starts its threads). asdex is also timed with every
core (column ``asdex jit, all cores``, reported, not a target).

Targets (ratios in one run): at n = 10^4 the sparse Jacobian is >= 100x faster than dense
``jacfwd``; at n = 10^6 the sparse Jacobian and Hessian take <= 5 (colours + 1) evaluations
of f; fad is faster than asdex wherever both run.

Colouring alone is also timed on irregular patterns (``--only`` does not skip it; ``--quick``
does): 10^6 columns, rows of three random columns (forward-mode colouring), and the
symmetric pattern of such a matrix plus its transpose and diagonal (a Hessian's colouring).
Stencils and bands take a shortcut; these do not.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ["JAX_ENABLE_X64"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ALL_CPUS = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
DENSE_MAX = 10_000  # the largest n for dense Jacobians (n^2 float64 = 800 MB)


# ---------------------------------------------------------------------------- problems


def pde1d(xp, u):
    n = u.shape[0]
    h2 = float((n + 1) ** 2)
    z = xp.zeros(1)
    d = xp.concatenate([z, u, z])
    return -(d[2:] - 2 * d[1:-1] + d[:-2]) * h2 + u**3 - xp.sin(u) - 1.0


def pde2d(xp, u):
    n = int(round(u.shape[0] ** 0.5))
    g = xp.reshape(u, (n, n))
    zr = xp.zeros((1, n))
    g = xp.concatenate([zr, g, zr], axis=0)
    zc = xp.zeros((n + 2, 1))
    g = xp.concatenate([zc, g, zc], axis=1)
    c = g[1:-1, 1:-1]
    lap = (g[2:, 1:-1] + g[:-2, 1:-1] + g[1:-1, 2:] + g[1:-1, :-2] - 4 * c) * float((n + 1) ** 2)
    return xp.reshape(-lap - xp.exp(c), (n * n,))


def rosen(xp, x):
    return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


PROBLEMS = {"pde1d": (pde1d, "jacobian"), "pde2d": (pde2d, "jacobian"), "rosen": (rosen, "hessian")}


def sizes(problem, quick):
    if problem == "pde2d":
        sides = (32, 100) if quick else (32, 100, 316, 1000)
        return [s * s for s in sides]
    return [10**3, 10**4] if quick else [10**3, 10**4, 10**5, 10**6]


def point(n):
    return np.random.default_rng(0).uniform(0.1, 0.9, n)


# ------------------------------------------------------------------------------ timing


def timed(call, repeats):
    """``(first call's seconds, median warm seconds, result of the first call)``."""
    t = time.perf_counter()
    out = call()
    first = time.perf_counter() - t
    samples = []
    budget = time.perf_counter() + max(2.0, 3 * first)
    for _ in range(repeats):
        t = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t)
        if time.perf_counter() > budget and len(samples) >= 1:
            break
    return first, statistics.median(samples), out


# -------------------------------------------------------------------------------- fad


def run_fad(problem, n, repeats):
    import fad
    import fad.numpy as fnp

    fun, kind = PROBLEMS[problem]
    f = lambda x: fun(fnp, x)  # noqa: E731
    x = point(n)
    row = {"problem": problem, "n": n}
    _, row["f"], _ = timed(lambda: fun(np, x), repeats)
    make = fad.sparse_hessian if kind == "hessian" else fad.sparse_jacobian
    sparse = make(f)
    row["sparse_first"], row["sparse"], result = timed(lambda: sparse(x), repeats)
    row["colors"] = int(sparse.coloring.n_colors)
    row["mode"] = sparse.info.mode
    row["nnz"] = int(result.nnz)
    jitted = fad.jit(make(f))
    row["sparse_jit_first"], row["sparse_jit"], result_jit = timed(lambda: jitted(x), repeats)
    # detection and colouring alone
    detect = fad.hessian_sparsity if kind == "hessian" else fad.jacobian_sparsity
    t = time.perf_counter()
    pattern = detect(f, x)
    row["detect"] = time.perf_counter() - t
    t = time.perf_counter()
    make(f, sparsity=pattern)._prepare((x,), x, x.shape, x.dtype)  # colouring (and seeds) only
    row["color"] = time.perf_counter() - t
    if n <= DENSE_MAX:
        dense = (fad.hessian if kind == "hessian" else fad.jacfwd)(f, chunk_size=1000)
        _, row["dense"], d = timed(lambda: dense(x), min(repeats, 3))
        ok = np.allclose(result.toarray(), d, rtol=1e-9, atol=1e-9)
        ok = ok and np.allclose(result_jit.toarray(), d, rtol=1e-9, atol=1e-9)
    else:
        row["dense"] = None
        ok = _spot_check(f, x, result, kind)
    row["checked"] = bool(ok)
    return row


def _spot_check(f, x, result, kind):
    """Compare a few columns of the sparse result with jvps (large n)."""
    import fad

    rng = np.random.default_rng(1)
    g = fad.grad(f) if kind == "hessian" else f
    csc = result.tocsc()
    for j in rng.choice(x.size, 5, replace=False):
        e = np.zeros_like(x)
        e[j] = 1.0
        col = fad.jvp(g, (x,), (e,))[1]
        if not np.allclose(csc[:, [j]].toarray().ravel(), col, rtol=1e-9, atol=1e-9):
            return False
    return True


# ------------------------------------------------------------------------------ peers


def pin(cores):
    """Run this process (and the threads it starts from now on) on ``cores``: "one" (the
    first CPU it may use) or "all"; a no-op where the OS has no affinity call."""
    if ALL_CPUS:
        os.sched_setaffinity(0, ALL_CPUS[:1] if cores == "one" else ALL_CPUS)


def run_peer(problem, n, repeats, dense=True):
    """asdex and JAX's dense jacfwd (in an interpreter that has them)."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    fun, kind = PROBLEMS[problem]
    f = lambda x: fun(jnp, x)  # noqa: E731
    x = jnp.asarray(point(n))
    row = {"problem": problem, "n": n}
    try:
        import asdex

        def build():
            make = asdex.hessian if kind == "hessian" else asdex.jacobian
            g = jax.jit(make(f, x))
            return g, jax.block_until_ready(g(x))

        t = time.perf_counter()
        g, out = build()
        row["asdex_first"] = time.perf_counter() - t
        _, row["asdex"], _ = timed(lambda: jax.block_until_ready(g(x)), repeats)
        row["asdex_nse"] = int(out.nse)
    except ImportError:
        row["asdex_note"] = "asdex not installed"
    except Exception as e:  # a peer's failure is a result
        row["asdex_note"] = f"{type(e).__name__}: {str(e)[:200]}"
    if dense and n <= DENSE_MAX:
        d = jax.jit(jax.hessian(f) if kind == "hessian" else jax.jacfwd(f))
        row["jax_dense_first"], row["jax_dense"], _ = timed(
            lambda: jax.block_until_ready(d(x)), min(repeats, 3)
        )
    return row


def peers(python, problems, quick, repeats, n=None, cores="one"):
    """Run :func:`run_peer` for every case (of size ``n`` only, if given) in ``python``, on
    one core or all; rows keyed by (problem, n)."""
    if not python:
        return {}, "peers not run (pass --peer-python with a venv that has jax and asdex)"
    args = [
        python,
        str(Path(__file__).resolve()),
        "--peer",
        "--cores",
        cores,
        "--repeats",
        str(repeats),
        "--only",
        ",".join(problems),
    ]
    if quick:
        args.append("--quick")
    if n is not None:
        args += ["--n", str(n)]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {}, f"peers skipped: {e}"
    if proc.returncode != 0:
        return {}, "peers skipped: " + (proc.stderr.strip().splitlines() or ["failed"])[-1]
    rows = json.loads(proc.stdout.strip().splitlines()[-1])
    return {(r["problem"], r["n"]): r for r in rows}, ""


# ----------------------------------------------------------------------------- output


def fmt(t):
    if t is None:
        return "—"
    return f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s"


def ratio(a, b):
    return None if a is None or b is None else a / b


def table(rows):
    head = (
        "| problem | n | colours | f | fad sparse (first) | fad sparse | fad sparse jit | fad dense |"
        " dense ÷ sparse | sparse ÷ f | asdex (first) | asdex jit | asdex jit, all cores | JAX dense jit |"
        " asdex ÷ fad |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        best = min(r["sparse"], r["sparse_jit"])
        d = ratio(r.get("dense"), best)
        a = ratio(r.get("asdex"), best)
        cells = [
            r["problem"],
            f"{r['n']:,}",
            f"{r['colors']} ({r['mode']})",
            fmt(r["f"]),
            fmt(r["sparse_first"]),
            fmt(r["sparse"]),
            fmt(r["sparse_jit"]),
            fmt(r.get("dense")),
            "—" if d is None else f"{d:.0f}×",
            f"{best / r['f']:.1f}",
            fmt(r.get("asdex_first")),
            fmt(r.get("asdex")),
            fmt(r.get("asdex_all")),
            fmt(r.get("jax_dense")),
            "—" if a is None else f"{a:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(rows):
    out = []
    for r in rows:
        best = min(r["sparse"], r["sparse_jit"])
        case = f"{r['problem']} n={r['n']:,}"
        if r["n"] == 10**4 and r.get("dense") is not None and PROBLEMS[r["problem"]][1] == "jacobian":
            k = r["dense"] / best
            met = "met" if k >= 100 else "NOT met"
            out.append(f"{case}: dense jacfwd / sparse = {k:.0f}x (target >= 100x): {met}")
        if r["n"] >= 10**6 - 10**4:
            budget = 5 * (r["colors"] + 1)
            met = "met" if best <= budget * r["f"] else "NOT met"
            evals = best / r["f"]
            out.append(f"{case}: sparse = {evals:.1f} f-evaluations, budget 5(colours + 1) = {budget}: {met}")
        if r.get("asdex") is not None:
            out.append(f"{case}: asdex jit / fad best = {r['asdex'] / best:.2f}, one core each (target > 1)")
        if not r["checked"]:
            out.append(f"{case}: MISMATCH against the dense derivative")
    return out


def colouring_times(n=10**6, per_row=3, repeats=3):
    """Colouring irregular patterns of ``n`` columns (see the module docstring): the least CPU
    time (``time.process_time``: other processes on a shared machine count less) of
    ``repeats`` runs, and whether the colouring is valid."""
    import scipy.sparse as sps

    from fad._coloring import color_columns, color_symmetric, is_column_coloring, symmetric_sources

    rng = np.random.default_rng(0)
    rows = np.repeat(np.arange(n), per_row)
    p = sps.csr_array((np.ones(n * per_row, bool), (rows, rng.integers(0, n, n * per_row))), shape=(n, n))
    p.sum_duplicates()
    sym = (p + p.T + sps.eye_array(n, dtype=bool, format="csr")).astype(bool).tocsr()
    out = []
    for name, fun, pattern in (("columns", color_columns, p), ("star (symmetric)", color_symmetric, sym)):
        best = float("inf")
        for _ in range(repeats):
            t = time.process_time()
            c = fun(pattern)
            best = min(best, time.process_time() - t)
        if fun is color_symmetric:
            try:
                symmetric_sources(pattern, c.colors)  # every entry readable: a star colouring
                ok = True
            except ValueError:
                ok = False
        else:
            ok = is_column_coloring(pattern, c.colors)
        out.append((name, pattern.nnz, c.n_colors, best, ok))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--only", default=",".join(PROBLEMS))
    p.add_argument("--peer-python", default=os.environ.get("FAD_PEER_PYTHON", ""))
    p.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--cores", default="one", choices=("one", "all"), help=argparse.SUPPRESS)
    p.add_argument("--json", default="")
    a = p.parse_args(argv)
    problems = [s for s in a.only.split(",") if s]
    if a.peer:
        pin(a.cores)
        cases = [(pr, n) for pr in problems for n in sizes(pr, a.quick) if a.n in (None, n)]
        rows = [run_peer(pr, n, a.repeats, dense=a.cores == "one") for pr, n in cases]
        print(json.dumps(rows))
        return
    sys.path.insert(0, str(HERE.parent))  # the fad of this checkout
    pin("one")
    rows = []
    note = ""
    for pr in problems:
        for n in sizes(pr, a.quick):
            # each case's peers right after fad's, so that both meet the same machine load
            row = run_fad(pr, n, a.repeats)
            extra, note = peers(a.peer_python, [pr], a.quick, a.repeats, n)
            row.update({k: v for k, v in extra.get((pr, n), {}).items() if k not in row})
            if a.peer_python:
                extra, _ = peers(a.peer_python, [pr], a.quick, a.repeats, n, cores="all")
                if (pr, n) in extra and "asdex" in extra[(pr, n)]:
                    row["asdex_all"] = extra[(pr, n)]["asdex"]
            rows.append(row)
            print(f"  {pr} n={n:,}: done", file=sys.stderr, flush=True)
    print("W8: sparse Jacobians and Hessians (median times; first = detection + colouring + evaluation)\n")
    print(table(rows))
    print()
    for line in verdicts(rows):
        print("- " + line)
    for r in rows:
        if r.get("asdex_note"):
            print(f"- {r['problem']} n={r['n']:,}: asdex: {r['asdex_note']}")
    if note:
        print(f"- {note}")
    print("\nDetection and colouring alone (seconds):")
    for r in rows:
        print(f"- {r['problem']} n={r['n']:,}: detection {r['detect']:.3f}, colouring {r['color']:.3f}")
    if not a.quick:
        print("\nColouring irregular patterns of 10^6 columns (three random columns per row;")
        print("CPU seconds, the least of 3 runs):")
        for name, nnz, k, dt, ok in colouring_times():
            met = "met" if dt < 1.0 else "NOT met"
            valid = "" if ok else " (INVALID)"
            print(f"- {name}: {nnz:,} entries, {k} colours, {dt:.2f} s (target < 1 s: {met}){valid}")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
