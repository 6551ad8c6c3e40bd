"""Plot the results of ``run.py`` (its JSON) as the PNGs shown in docs/performance.md.

    python benchmarks/plot.py [RESULTS.json] [--out docs/img]

Writes ``perf_w3_hessian.png`` (W3 time against n), ``perf_w4_jacobian.png`` (the W4S sweep:
jacfwd and jacrev against n with m fixed and against m with n fixed, with the crossover
marked), ``perf_w6_order.png`` (W6 time against the order of differentiation) and
``perf_w6j_order.png`` (the same derivatives by Taylor mode).
matplotlib is an optional development tool, not a dependency of fad. Without a path, the
newest full (not ``--quick``) JSON in ``benchmarks/results/`` is used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from workloads import COLUMN_LABELS, crossover, sweep_series  # noqa: E402

LABELS = COLUMN_LABELS
STYLE = {
    "f": dict(color="0.55", ls=":"),
    "hand": dict(color="black", ls="--"),
    "fad": dict(color="tab:blue", lw=2.2),
    "fad-jit": dict(color="tab:cyan", lw=2.2),
    "autograd": dict(color="tab:green"),
    "jax": dict(color="tab:red"),
    "jax-jit": dict(color="tab:red", ls="--"),
    "torch": dict(color="tab:orange"),
}
ORDER = ("f", "hand", "fad", "fad-jit", "autograd", "jax", "jax-jit", "torch")


def series(rows, key, param, column):
    pts = [
        (r["params"][param], r["cells"].get(column, {}).get("time"))
        for r in rows
        if r["workload"] == key and param in r["params"]
    ]
    return [p for p, t in pts if t], [t for p, t in pts if t]


def subtitle(results):
    m = results["machine"]
    return f"{m['cpu']}, 1 thread, {m['date'][:10]}, fad {m['fad_source'].split('@')[-1].strip()}"


def plain_ticks(ax):
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())


def plot_against(plt, results, key, param, path, title, log_x=True):
    rows = results["rows"]
    fig, ax = plt.subplots(figsize=(7, 4.6))
    for col in ORDER:
        xs, ts = series(rows, key, param, col)
        if len(xs) >= 2:
            ax.plot(xs, ts, marker="o", ms=4, label=LABELS[col], **STYLE[col])
    if log_x:
        ax.set_xscale("log")
        plain_ticks(ax)
    xs, _ = series(rows, key, param, "f")
    if xs:
        ax.set_xticks(xs)
    ax.set_yscale("log")
    ax.set_xlabel(param)
    ax.set_ylabel("time per call (s)")
    ax.set_title(f"{title}\n{subtitle(results)}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_w4(plt, results, path):
    rows = results["rows"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    for ax, sweep in zip(axes, ("n", "m"), strict=True):
        fixed = None
        for col in ("fad", "fad-jit", "torch", "jax-jit"):
            sizes, fwd, rev, fixed_c = sweep_series(rows, col, sweep)
            if not sizes:
                continue
            fixed = fixed_c
            st = dict(STYLE[col])
            st.pop("ls", None)
            ax.plot(sizes, fwd, marker="o", ms=4, ls="-", label=f"{LABELS[col]} jacfwd", **st)
            ax.plot(sizes, rev, marker="s", ms=4, ls="--", label=f"{LABELS[col]} jacrev", **st)
        hand = {}
        for r in rows:
            if (
                r["workload"] == "W4S"
                and r["params"]["sweep"] == sweep
                and "time" in r["cells"].get("hand", {})
            ):
                hand.setdefault(r["params"][sweep], []).append(r["cells"]["hand"]["time"])
        if hand:
            xs = sorted(hand)
            ax.plot(xs, [min(hand[x]) for x in xs], color="black", ls=":", label="hand-written")
        q = crossover(rows, "fad", sweep)
        if q is not None and fixed:
            at = q * fixed if sweep == "n" else fixed / q
            ax.axvline(at, color="tab:blue", alpha=0.5, lw=1)
            ax.annotate(
                f"fad crossover\nn/m = {q:.2g}",
                (at, 0.95),
                xycoords=("data", "axes fraction"),
                fontsize=8,
                ha="left",
                va="top",
                color="tab:blue",
            )
        other = "m" if sweep == "n" else "n"
        ax.set_xscale("log")
        plain_ticks(ax)
        ax.set_yscale("log")
        ax.set_xlabel(f"{sweep} ({'input' if sweep == 'n' else 'output'} size), {other} = {fixed}")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("time per call (s)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=5, fontsize=8, frameon=False)
    fig.suptitle(
        "W4: Jacobian of tanh(W sin x), R^n -> R^m: jacfwd (solid) vs jacrev (dashed)\n" + subtitle(results),
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def newest_full():
    found = []
    for p in sorted((HERE / "results").glob("*.json")):
        try:
            if not json.loads(p.read_text())["options"]["quick"]:
                found.append(p)
        except (OSError, ValueError, KeyError):
            continue
    if not found:
        sys.exit(
            "plot.py: no full results in benchmarks/results/; run `python benchmarks/run.py` first, "
            "or pass the JSON path."
        )
    return max(found, key=lambda p: p.stat().st_mtime)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", nargs="?", type=Path, help="run.py's JSON (default: the newest full run)")
    ap.add_argument("--out", type=Path, default=HERE.parent / "docs" / "img", help="directory for the PNGs")
    opts = ap.parse_args(argv)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit(
            "plot.py needs matplotlib (a development tool, not a dependency of fad): pip install matplotlib"
        )
    path = opts.results or newest_full()
    results = json.loads(path.read_text())
    opts.out.mkdir(parents=True, exist_ok=True)
    written = []
    out = opts.out / "perf_w3_hessian.png"
    plot_against(plt, results, "W3", "n", out, "W3: hessian of logsumexp(Ax) + sum(x^4)/4 against n")
    written.append(out)
    out = opts.out / "perf_w4_jacobian.png"
    plot_w4(plt, results, out)
    written.append(out)
    out = opts.out / "perf_w6_order.png"
    plot_against(plt, results, "W6", "order", out, "W6: nested grad of tanh against the order", log_x=False)
    written.append(out)
    out = opts.out / "perf_w6j_order.png"
    title = "W6J: tanh's k-th derivative by jet (Taylor mode)"
    plot_against(plt, results, "W6J", "order", out, title, log_x=False)
    written.append(out)
    print(f"read {path}; wrote " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
