"""W9: gradients over a design matrix larger than a Dask cluster's memory.

    python benchmarks/out_of_core.py [--quick] [--memory-limit 600MB] [--json PATH] [--plot PNG]

A ``dask.distributed.LocalCluster`` of 2 worker processes (1 thread each) with a memory
limit per worker; a design matrix ``X`` twice the cluster's total memory limit, generated
lazily (``dask.array.random``), chunked by rows. For a logistic-regression loss and for a
small MLP loss, it times (one paired run, loss first) the loss alone and ``fad.grad`` of it,
each computed on the cluster, and samples every worker's resident memory every 0.2 s.

Targets: each worker's peak resident memory under its limit; the gradient's time at most
3x the loss's (the cheap-gradient principle, on Dask). ``--plot`` draws worker memory over
time (needs matplotlib).
"""

from __future__ import annotations

import argparse
import json
import threading
import time

import numpy as onp

import fad
import fad.numpy as np


def logistic_loss(w, X, y):
    """Mean logistic loss of labels ``y`` in {-1, 1}."""
    return np.mean(np.logaddexp(0.0, -y * (X @ w)))


def mlp_loss(params, X, y):
    """A d-32-1 tanh network, mean logistic loss."""
    W1, b1, w2, b2 = params
    h = np.tanh(X @ W1 + b1)
    return np.mean(np.logaddexp(0.0, -y * (h @ w2 + b2)))


def _rss():  # runs on each worker
    import psutil

    return psutil.Process().memory_info().rss


class Sampler:
    """Each worker's resident memory every ``period`` seconds, in a driver thread."""

    def __init__(self, client, period=0.2):
        self.client, self.period, self.samples, self.t0 = client, period, [], time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                rss = self.client.run(_rss)
            except Exception:  # (a worker restarting)
                rss = {}
            self.samples.append((time.perf_counter() - self.t0, rss))
            self._stop.wait(self.period)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def mark(self):
        return time.perf_counter() - self.t0

    def peaks(self):
        out = {}
        for _, rss in self.samples:
            for k, v in rss.items():
                out[k] = max(out.get(k, 0), v)
        return out


def run(memory_limit="600MB", quick=False, plot=None, json_path=None):
    import dask
    import dask.array as da
    from dask.distributed import Client, LocalCluster
    from dask.utils import parse_bytes

    limit = parse_bytes(memory_limit)
    n_workers = 2
    d = 100
    total = 2 * n_workers * limit  # X: twice the cluster's total memory limit
    if quick:
        total = 32 * 2**20
    rows = int(total // (8 * d))
    chunk_rows = max(1, min(rows, (32 * 2**20) // (8 * d)))  # 32 MiB chunks
    print(
        f"X: {rows:,} x {d} float64 = {rows * d * 8 / 2**30:.2f} GiB in chunks of {chunk_rows:,} rows; "
        f"{n_workers} workers x {limit / 2**20:.0f} MiB"
    )
    results = {"memory_limit": limit, "workers": n_workers, "X_bytes": rows * d * 8, "rows": rows, "d": d}
    with (
        dask.config.set({"distributed.worker.memory.spill": False}),
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            memory_limit=limit,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        rng = da.random.default_rng(0)
        X = rng.standard_normal((rows, d), chunks=(chunk_rows, d))
        w_true = onp.linspace(-1, 1, d)
        y = np.sign(X @ w_true + 0.1)  # labels, lazily from X
        r = onp.random.default_rng(1)
        cases = {
            "logistic regression": (logistic_loss, 0.01 * r.standard_normal(d)),
            "MLP d-32-1": (
                mlp_loss,
                (0.1 * r.standard_normal((d, 32)), onp.zeros(32), 0.1 * r.standard_normal(32), 0.0),
            ),
        }
        X[:10].sum().compute()  # warm up the workers (imports), outside the timings
        with Sampler(client) as sampler:
            for name, (loss, params) in cases.items():
                t_loss0 = sampler.mark()
                value = loss(params, X, y).compute()
                t_loss1 = sampler.mark()
                g = fad.grad(loss)(params, X, y)  # builds the graph: nothing computed yet
                t_graph = sampler.mark()
                g = dask.compute(g)[0]
                t_grad1 = sampler.mark()
                results[name] = {
                    "loss": float(value),
                    "loss_s": t_loss1 - t_loss0,
                    "grad_s": t_grad1 - t_loss1,
                    "graph_s": t_graph - t_loss1,
                    "ratio": (t_grad1 - t_loss1) / (t_loss1 - t_loss0),
                    "window": (t_loss0, t_loss1, t_grad1),
                }
                print(
                    f"{name}: loss {t_loss1 - t_loss0:.1f} s, grad {t_grad1 - t_loss1:.1f} s "
                    f"(graph {t_graph - t_loss1:.2f} s): {results[name]['ratio']:.2f}x the loss"
                )
        peaks = sampler.peaks()
        results["peak_rss"] = list(peaks.values())
        results["samples"] = [(t, list(v.values())) for t, v in sampler.samples]
    print("| workload | loss (s) | grad (s) | grad / loss | target |")
    print("|---|---|---|---|---|")
    for name in cases:
        c = results[name]
        ok = "met" if c["ratio"] <= 3 else "NOT met"
        print(f"| {name} | {c['loss_s']:.1f} | {c['grad_s']:.1f} | {c['ratio']:.2f}x | <= 3x: {ok} |")
    worst = max(results["peak_rss"]) if results["peak_rss"] else 0
    ok = "met" if worst < limit else "NOT met"
    print(
        f"peak worker memory: {', '.join(f'{p / 2**20:.0f} MiB' for p in results['peak_rss'])} "
        f"(limit {limit / 2**20:.0f} MiB each): {ok}"
    )
    if json_path:
        with open(json_path, "w") as f:
            json.dump(results, f, indent=1)
    if plot:
        draw(results, list(cases), plot)
    return results


def draw(results, names, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.6))
    ts = [t for t, _ in results["samples"]]
    n = max((len(v) for _, v in results["samples"]), default=0)
    for k in range(n):
        ax.plot(
            ts,
            [v[k] / 2**20 if k < len(v) else onp.nan for _, v in results["samples"]],
            label=f"worker {k + 1}",
        )
    ax.axhline(results["memory_limit"] / 2**20, color="k", ls="--", lw=1, label="memory limit")
    for name, color in zip(names, ("tab:green", "tab:purple"), strict=False):
        t0, t1, t2 = results[name]["window"]
        ax.axvspan(t0, t1, color=color, alpha=0.10)
        ax.axvspan(t1, t2, color=color, alpha=0.25)
        ax.text(t0, 0.02, f"{name}: loss | grad", transform=ax.get_xaxis_transform(), fontsize=8)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("resident memory (MiB)")
    gib = results["X_bytes"] / 2**30
    ax.set_title(
        f"W9: worker memory, X of {gib:.1f} GiB on 2 workers (light: loss, dark: gradient)", fontsize=10
    )
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 32 MiB matrix: a smoke test")
    ap.add_argument("--memory-limit", default="600MB", help="per worker (default 600MB)")
    ap.add_argument("--json")
    ap.add_argument("--plot")
    a = ap.parse_args(argv)
    run(a.memory_limit, a.quick, a.plot, a.json)


if __name__ == "__main__":
    main()
