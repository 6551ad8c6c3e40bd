"""Run fad's benchmarks against plain NumPy, hand-written derivatives and peers.

    python benchmarks/run.py                  # everything, full sizes (a few minutes)
    python benchmarks/run.py --quick          # tiny sizes, 2 samples: a few seconds
    python benchmarks/run.py --only W1,W3 --frameworks numpy,fad,jax

One process; each measurement is a warm-up call (its result is checked against the
hand-written derivative, or fad's), then timeit-style autorange (enough calls to fill
``--min-time``) and the median of ``--repeats`` samples (``time.perf_counter``), taken
round-robin across the columns of a row so that drift in the machine's speed cannot bias
their ratios (each sample after one untimed call). BLAS and
every peer are limited to one thread. Results are printed as a Markdown table and written
to ``benchmarks/results/`` as JSON and Markdown (see README.md).
"""

from __future__ import annotations

import os

# One thread everywhere, set before NumPy (or any peer) is imported.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "BLIS_NUM_THREADS",
):
    os.environ[_var] = "1"
os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
).strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ["JAX_ENABLE_X64"] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the workloads, and the fad of this checkout

import frameworks  # noqa: E402
import numpy as np  # noqa: E402
from workloads import COLUMN_LABELS, WORKLOADS  # noqa: E402

EAGER_PEERS = ("autograd", "jax", "torch")
MEMORY_COLUMNS = ("f", "hand", "fad", "fad-jit", "autograd")
JIT_COLUMNS = (
    "fad-jit",
    "jax-jit",
)  # compared with the best peer including JAX jit (``P``)  # NumPy-based: tracemalloc sees their arrays


# --------------------------------------------------------------------------- timing


def calibrate(call, min_time, repeats):
    """timeit-style autorange: ``(calls per sample, samples)`` so a sample lasts ``min_time``."""
    number = 1
    if min_time > 0:
        for k in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
            number = k
            t0 = time.perf_counter()
            for _ in range(k):
                call()
            elapsed = time.perf_counter() - t0
            if elapsed >= min_time:
                break
        if elapsed > 5 * min_time * max(1, repeats):  # a slow case: fewer samples
            repeats = max(1, min(repeats, 3))
    return number, repeats


def sample(call, number):
    """Seconds per call over ``number`` calls, after one untimed call: the columns of a row
    take turns, so without it each sample would start with caches warmed by another
    framework's run, a cost a program calling one of them in a loop does not pay."""
    call()
    t0 = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - t0) / number


def measure_interleaved(calls, min_time, repeats):
    """Median seconds per call for each of ``calls`` (name -> callable), sampled round-robin
    (one sample of every column, then the next round) so that a drift in the machine's
    speed during the run (a shared VM) moves every column of a row alike and leaves their
    ratios intact. Returns name -> (median, samples, number) or the exception raised."""
    plan, out, samples = {}, {}, {}
    for name, call in calls.items():
        try:
            plan[name] = calibrate(call, min_time, repeats)
            samples[name] = []
        except Exception as e:  # noqa: BLE001 - reported in the cell
            out[name] = e
    for r in range(max((n for _, n in plan.values()), default=0)):
        for name, (number, n) in plan.items():
            if r < n and name not in out:
                try:
                    samples[name].append(sample(calls[name], number))
                except Exception as e:  # noqa: BLE001
                    out[name] = e
    for name, (number, _) in plan.items():
        if name not in out:
            out[name] = (statistics.median(samples[name]), samples[name], number)
    return out


def peak_memory(call):
    """Peak bytes allocated (as tracemalloc sees them) during one call."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        call()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


# -------------------------------------------------------------------------- helpers


def tree_map(f, tree):
    if isinstance(tree, (tuple, list)):
        return type(tree)(tree_map(f, t) for t in tree)
    return f(tree)


def leaves(tree, to_numpy):
    if isinstance(tree, (tuple, list)):
        return [x for t in tree for x in leaves(t, to_numpy)]
    return [np.asarray(to_numpy(tree), dtype=np.float64)]


def compare(got, ref):
    """``None`` if ``got`` matches ``ref`` (lists of arrays), else what differs."""
    if len(got) != len(ref):
        return f"{len(got)} outputs, expected {len(ref)}"
    for i, (a, b) in enumerate(zip(got, ref, strict=True)):
        if a.shape != b.shape:
            return f"output {i} has shape {a.shape}, expected {b.shape}"
        scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
        err = float(np.max(np.abs(a - b))) / scale if b.size else 0.0
        if not err <= 1e-6:
            return f"output {i} differs (max error {err:.1e} relative to max |ref|)"
    return None


def short(e):
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg[:160]}{'...' if len(msg) > 160 else ''}"


def fmt_time(t):
    if t is None:
        return "—"
    if t < 999.5e-6:  # below what rounds to 1000 at 3 digits
        return f"{t * 1e6:.3g} µs"
    if t < 0.9995:
        return f"{t * 1e3:.3g} ms"
    return f"{t:.3g} s"


def fmt_ratio(q):
    return "—" if q is None else (f"{q:.3g}×" if q < 100 else f"{q:,.0f}×")


# --------------------------------------------------------------------------- running


def run_case(wl, case, fws, opts, seed):
    rng = np.random.default_rng(seed)
    args = wl.inputs(case, rng)
    row = {
        "workload": wl.key,
        "case": case["label"],
        "params": {k: v for k, v in case.items() if k != "label"},
        "cells": {},
    }
    ref = None
    calls = {}
    columns = [("f", None, wl.plain(case)), ("hand", None, wl.hand(case))]
    columns += [(name, fw, None) for name, fw in fws.items() if name != "numpy"]
    for name, fw, fn in columns:
        cell = row["cells"][name] = {}
        if name in wl.skip:
            cell["note"] = f"skipped: {wl.skip[name]}"
            continue
        try:
            if fw is None:
                if fn is None:
                    cell["note"] = "no hand-written derivative"
                    continue
                call_args, finish, to_np = args, (lambda o: o), np.asarray
            else:
                fn = fw.compile(wl.derivative(fw, case))
                call_args, finish, to_np = tree_map(fw.asarray, args), fw.finish, fw.to_numpy

            def call(fn=fn, a=call_args, finish=finish):
                return finish(fn(*a))

            t0 = time.perf_counter()
            out = call()  # warm-up (and capture/compilation, for the jit columns)
            cell["first_call"] = time.perf_counter() - t0
        except frameworks.Unsupported as e:
            cell["note"] = f"n/a: {e}"
            continue
        except Exception as e:  # noqa: BLE001 - a failing framework is a result, not a crash
            cell["note"] = f"error: {short(e)}"
            continue
        if name != "f":
            got = leaves(out, to_np)
            if ref is None:
                ref = (name, got)
            else:
                bad = compare(got, ref[1])
                if bad:
                    cell["mismatch"] = f"vs {ref[0]}: {bad}"
        del out
        calls[name] = call
    repeats = opts.repeats if opts.quick else opts.repeats * wl.repeat_factor
    for name, result in measure_interleaved(calls, opts.min_time, repeats).items():
        cell = row["cells"][name]
        if isinstance(result, Exception):
            cell["note"] = f"error: {short(result)}"
            continue
        t, samples, number = result
        cell.update(time=t, samples=samples, number=number)
        if wl.memory and name in MEMORY_COLUMNS:
            cell["peak_bytes"] = peak_memory(calls[name])
    add_ratios(row)
    return row


def add_ratios(row):
    cells = row["cells"]
    t_f = cells.get("f", {}).get("time")
    eager = {n: cells[n]["time"] for n in EAGER_PEERS if "time" in cells.get(n, {})}
    anyp = {n: cells[n]["time"] for n in frameworks.PEERS if "time" in cells.get(n, {})}
    row["best_eager_peer"] = min(eager, key=eager.get) if eager else None
    row["best_peer"] = min(anyp, key=anyp.get) if anyp else None
    for c in cells.values():
        t = c.get("time")
        if t is None:
            continue
        c["x_f"] = t / t_f if t_f else None
        c["x_best_eager_peer"] = t / eager[row["best_eager_peer"]] if eager else None
        c["x_best_peer"] = t / anyp[row["best_peer"]] if anyp else None
    t_hand = cells.get("hand", {}).get("time")
    if t_hand and "time" in cells.get("fad", {}):
        row["fad_x_hand"] = cells["fad"]["time"] / t_hand
    if t_hand and "time" in cells.get("fad-jit", {}):
        row["fad_jit_x_hand"] = cells["fad-jit"]["time"] / t_hand


# --------------------------------------------------------------------------- machine


def machine_info(fws):
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = "?"
    try:
        deps = np.show_config(mode="dicts").get("Build Dependencies", {})
        b = deps.get("blas", {})
        blas = f"{b.get('name', '?')} {b.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older NumPy
        pass
    threads = "threadpoolctl not installed"
    try:
        import threadpoolctl

        threads = (
            "; ".join(
                f"{p.get('internal_api')} {p.get('version')} num_threads={p.get('num_threads')}"
                for p in threadpoolctl.threadpool_info()
            )
            or "no BLAS/OpenMP pools found"
        )
    except ImportError:
        pass
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "fad_source": fad_source(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "blas": blas,
        "threadpools": threads,
        "versions": {fw.label: fw.version() for fw in fws.values()},
        "env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
    }


def fad_source():
    """Where the benchmarked fad comes from: its directory and git commit (``+dirty`` if edited)."""
    import subprocess

    import fad

    root = Path(fad.__file__).resolve().parent.parent
    try:
        git = ["git", "-C", str(root)]
        commit = subprocess.run(
            git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            git + ["status", "--porcelain", "--", "fad"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return f"{root} @ {commit}{'+dirty' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        commit = os.environ.get("FAD_COMMIT")  # e.g. a `git archive` copy: say which commit it is
        return f"{root} @ {commit} (git archive)" if commit else f"{root} (not a git checkout)"


# --------------------------------------------------------------------------- report


def cell_text(c, cell):
    """``time (ratio to f, ratio to the best peer)`` for one cell of the times table."""
    if "time" not in cell:
        return (
            "n/a"
            if cell.get("note", "").startswith(("n/a", "skipped", "no hand"))
            else ("**error**" if "note" in cell else "—")
        )
    text = fmt_time(cell["time"])
    if c != "f":
        if c in JIT_COLUMNS:
            text += f" ({fmt_ratio(cell.get('x_f'))} f, {fmt_ratio(cell.get('x_best_peer'))} P)"
        else:
            text += f" ({fmt_ratio(cell.get('x_f'))} f, {fmt_ratio(cell.get('x_best_eager_peer'))} p)"
    if "mismatch" in cell:
        text += " **MISMATCH**"
    return text


def row_verdict(results, row):
    return "; ".join(
        ("✅ " if ok else "❌ " if ok is False else "") + text
        for case, text, ok in results["verdicts"].get(row["workload"], [])
        if case == row["case"]
    )


def ratio_table(results):
    """The compact table: fad and fad jit as ratios to NumPy f, to hand-written, to the best peer."""
    have_jit = "fad-jit" in results["frameworks"]
    head = ["id", "case", "best eager peer (× f)", "fad × f", "fad × hand", "fad × best eager peer"]
    if have_jit:
        head += ["fad jit × f", "fad jit × hand", "fad jit × best peer (incl. JAX jit)", "fad jit capture"]
    out = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for row in results["rows"]:
        if not WORKLOADS[row["workload"]].in_table:
            continue
        cells = row["cells"]
        bp = row.get("best_eager_peer")
        peer = f"{COLUMN_LABELS[bp]} ({fmt_ratio(cells[bp].get('x_f'))})" if bp else "—"
        fad, jit = cells.get("fad", {}), cells.get("fad-jit", {})
        parts = [
            row["workload"],
            row["case"],
            peer,
            fmt_ratio(fad.get("x_f")),
            fmt_ratio(row.get("fad_x_hand")),
            fmt_ratio(fad.get("x_best_eager_peer")),
        ]
        if have_jit:
            parts += [
                fmt_ratio(jit.get("x_f")),
                fmt_ratio(row.get("fad_jit_x_hand")),
                fmt_ratio(jit.get("x_best_peer")),
                fmt_time(jit.get("first_call")) if "time" in jit else "—",
            ]
        out.append("| " + " | ".join(parts) + " |")
    return out


def _more_samples_note(repeats):
    more = [(k, w.repeat_factor) for k, w in WORKLOADS.items() if w.repeat_factor > 1]
    if not more:
        return ""
    parts = ", ".join(f"{f * repeats} for {k}" for k, f in more)
    return f" ({parts}, whose targets lie within the run-to-run noise)"


def render(results):
    m = results["machine"]
    o = results["options"]
    cols = ["f", "hand"] + [n for n in results["frameworks"] if n != "numpy"]
    out = [
        f"### fad benchmarks — {m['date'][:10]}"
        + (" (--quick: tiny sizes, not a measurement)" if o["quick"] else ""),
        "",
        f"- CPU: {m['cpu']} ({m['cpu_count']} logical CPUs; everything limited to 1 thread); {m['platform']}",
        f"- Python {m['python']}, NumPy {m['numpy']} (BLAS: {m['blas']}); thread pools: {m['threadpools']}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + f"; fad from {m['fad_source']}",
        f"- median of {o['repeats']} samples of >= {o['min_time']} s each"
        + ("" if o["quick"] else _more_samples_note(o["repeats"]))
        + " (after a warm-up call), sampled round-robin across the columns of each row, each sample "
        "after one untimed call",
        "",
        "Ratios (time ÷ time; below 1 is faster). `best eager peer` is the fastest of autograd, JAX eager "
        "and torch.func on that row; `best peer` also includes JAX jit. `capture` is fad.jit's first call "
        "(capture, simplification, code generation and one run).",
        "",
    ]
    out += ratio_table(results)
    out += [
        "",
        "Times: time per call (ratio to the plain NumPy function `f`; `p` ratio to the best eager peer; "
        "for the jit columns `P` ratio to the best peer including JAX jit)",
        "",
        "| id | case | " + " | ".join(COLUMN_LABELS[c] for c in cols) + " | fad ÷ hand | target |",
        "|---|---|" + "---:|" * len(cols) + "---:|---|",
    ]
    for row in results["rows"]:
        if not WORKLOADS[row["workload"]].in_table:
            continue
        cells = [cell_text(c, row["cells"].get(c, {})) for c in cols]
        out.append(
            f"| {row['workload']} | {row['case']} | "
            + " | ".join(cells)
            + f" | {fmt_ratio(row.get('fad_x_hand'))} | {row_verdict(results, row)} |"
        )
    out += ["", "Targets (issues #5 and #6):", ""]
    for key, wl_verdicts in results["verdicts"].items():
        wl = WORKLOADS[key]
        out.append(f"- **{key}** {wl.title} — target: {wl.target}")
        for case, text, ok in wl_verdicts:
            mark = "✅" if ok else "❌" if ok is False else "·"
            out.append(f"  - {mark} {case + ': ' if case else ''}{text}")
    out += scaling(results, cols, "W3", "n")
    out += scaling(results, cols, "W6", "order", log=False)
    out += scaling(results, cols, "W6J", "order", log=False)
    for sweep in ("n", "m"):
        for mode in ("jacfwd", "jacrev"):
            out += scaling(
                results,
                cols,
                "W4S",
                sweep,
                where=dict(sweep=sweep, mode=mode),
                title=f" ({mode}, {'m' if sweep == 'n' else 'n'} = 100)",
            )
    firsts = [
        (r, n, c)
        for r in results["rows"]
        for n, c in r["cells"].items()
        if n in JIT_COLUMNS and "first_call" in c and "time" in c
    ]
    if firsts:
        out += [
            "",
            "First call of the jit columns (capture or compilation, then one run) against a later call:",
            "",
            "| id | case | "
            + " | ".join(
                COLUMN_LABELS[n] + " first / later" for n in JIT_COLUMNS if n in results["frameworks"]
            )
            + " |",
            "|---|---|" + "---:|" * sum(n in results["frameworks"] for n in JIT_COLUMNS),
        ]
        for r in results["rows"]:
            if not any(rr is r for rr, _, _ in firsts):
                continue
            parts = []
            for n in JIT_COLUMNS:
                if n not in results["frameworks"]:
                    continue
                c = r["cells"].get(n, {})
                parts.append(f"{fmt_time(c['first_call'])} / {fmt_time(c['time'])}" if "time" in c else "—")
            out.append(f"| {r['workload']} | {r['case']} | " + " | ".join(parts) + " |")
    mem = [r for r in results["rows"] if any("peak_bytes" in c for c in r["cells"].values())]
    if mem:
        out += ["", "Peak memory during one call (tracemalloc; NumPy-based columns only):", ""]
        for r in mem:
            parts = [
                f"{COLUMN_LABELS[n]} {c['peak_bytes'] / 2**20:.2f} MiB"
                for n, c in r["cells"].items()
                if "peak_bytes" in c
            ]
            out.append(f"- {r['workload']} {r['case']}: " + ", ".join(parts))
    notes = list(results["notes"])
    for r in results["rows"]:
        for n, c in r["cells"].items():
            for key in ("note", "mismatch"):
                if key in c and not c[key].startswith("no hand"):
                    where = r["workload"] if c[key].startswith("skipped") else f"{r['workload']} {r['case']}"
                    notes.append(f"{where} / {COLUMN_LABELS[n]}: {c[key]}")
    if notes:
        out += ["", "Notes:", ""] + [f"- {n}" for n in dict.fromkeys(notes)]
    return "\n".join(out) + "\n"


def scaling(results, cols, key, param, where=None, title="", log=True):
    """Workload ``key``'s times against ``param``, per column, with the log-log slope
    (``log``) or the mean growth factor per step of ``param``."""
    rows = [
        r
        for r in results["rows"]
        if r["workload"] == key
        and param in r["params"]
        and all(r["params"].get(k) == v for k, v in (where or {}).items())
    ]
    if len(rows) < 2:
        return []
    sizes = [r["params"][param] for r in rows]
    what = f"slope = d log t / d log {param}" if log else f"growth = time factor per unit of {param}"
    out = [
        "",
        f"{key} time against {param}{title} (plot data; {what}):",
        "",
        "| column | " + " | ".join(f"{param}={n}" for n in sizes) + f" | {'slope' if log else 'growth'} |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for c in cols:
        ts = [r["cells"].get(c, {}).get("time") for r in rows]
        ok = [(n, t) for n, t in zip(sizes, ts, strict=True) if t]
        if not ok:
            continue
        xs = np.log([n for n, _ in ok]) if log else np.array([n for n, _ in ok], dtype=float)
        fit = np.polyfit(xs, np.log([t for _, t in ok]), 1)[0] if len(ok) >= 2 else None
        stat = "—" if fit is None else (f"{fit:.2f}" if log else f"{np.exp(fit):.2f}×")
        out.append(f"| {COLUMN_LABELS[c]} | " + " | ".join(fmt_time(t) for t in ts) + f" | {stat} |")
    return out


# ------------------------------------------------------------------------------ main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes, 2 samples (a smoke test, seconds)")
    ap.add_argument("--only", help="comma-separated workloads, e.g. W1,W3 (default: all)")
    ap.add_argument(
        "--frameworks",
        default=",".join(frameworks.ALL),
        help=f"comma-separated columns among {','.join(frameworks.ALL)} (default: all installed)",
    )
    ap.add_argument(
        "--json", type=Path, help="where to write the JSON (default: benchmarks/results/<date>.json)"
    )
    ap.add_argument("--markdown", type=Path, help="where to write the Markdown (default: beside the JSON)")
    ap.add_argument("--repeats", type=int, help="samples per measurement (default 7; 2 with --quick)")
    ap.add_argument("--min-time", type=float, help="seconds per sample (default 0.05; 0 with --quick)")
    opts = ap.parse_args(argv)
    if opts.repeats is None:
        opts.repeats = 2 if opts.quick else 7
    if opts.min_time is None:
        opts.min_time = 0.0 if opts.quick else 0.05

    keys = [k.strip().upper() for k in opts.only.split(",")] if opts.only else list(WORKLOADS)
    unknown = [k for k in keys if k not in WORKLOADS]
    names = [n.strip() for n in opts.frameworks.split(",") if n.strip()]
    bad = [n for n in names if n not in frameworks.ALL]
    if unknown or bad:
        ap.error(
            f"unknown workload(s) {unknown} or framework(s) {bad}; choose among "
            f"{list(WORKLOADS)} and {list(frameworks.ALL)}"
        )
    names = ["numpy", "fad"] + [n for n in names if n not in ("numpy", "fad")]
    fws, notes = frameworks.load(names)
    # The peers' modules (JAX, torch) are millions of objects that Python's collector would
    # walk in every full collection, which then lands in whichever sample it falls in (a
    # 5,000-operation tape measured 20 ms or 80 ms by chance): freeze them out of its sight.
    gc.collect()
    gc.freeze()

    limits = None
    try:
        import threadpoolctl

        limits = threadpoolctl.threadpool_limits(1)
    except ImportError:
        pass

    t_start = time.perf_counter()
    rows, verdicts = [], {}
    for i, key in enumerate(keys):
        wl = WORKLOADS[key]
        wl_rows = []
        for j, case in enumerate(wl.cases(opts.quick)):
            print(f"[{key} {case['label']}] ...", file=sys.stderr, flush=True)
            wl_rows.append(run_case(wl, case, fws, opts, seed=1000 * i + j))
        rows += wl_rows
        verdicts[key] = wl.verdicts(wl_rows)
    if limits is not None:
        limits.restore_original_limits()

    results = {
        "machine": machine_info(fws),
        "options": {"quick": opts.quick, "only": keys, "repeats": opts.repeats, "min_time": opts.min_time},
        "frameworks": list(fws),
        "rows": rows,
        "verdicts": verdicts,
        "notes": notes,
        "total_seconds": time.perf_counter() - t_start,
    }
    text = render(results)
    print(text)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path = opts.json or HERE / "results" / f"{stamp}{'-quick' if opts.quick else ''}.json"
    md_path = opts.markdown or json_path.with_suffix(".md")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=1, default=str))
    md_path.write_text(text)
    print(f"wrote {json_path} and {md_path} ({results['total_seconds']:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
