"""The benchmark workloads W1-W7, each defined once.

A workload's mathematics is written once against a NumPy-like namespace ``xp`` (NumPy,
``fad.numpy``, ``autograd.numpy``, ``jax.numpy`` or the small torch adapter in
``frameworks.py``). From it come, per case:

- ``inputs(case, rng)``: the arguments, as NumPy arrays (float64);
- ``plain(case)``: the function alone in plain NumPy (the ``f`` column, the unit of every ratio);
- ``hand(case)``: a derivative written by hand in NumPy, where one exists (else ``None``);
- ``derivative(fw, case)``: the derivative through framework ``fw``'s transforms;
- ``verdicts(rows)``: the goals checked against the measured rows.

Every derivative returns the same structure in every framework, so ``run.py`` checks the
results against each other before it trusts a timing.
"""

from __future__ import annotations

import numpy as np
from frameworks import Unsupported

# ------------------------------------------------------------------------- shared maths


#: How each column (framework) is named in tables and plots.
COLUMN_LABELS = {
    "f": "NumPy f",
    "hand": "hand-written",
    "fad": "fad",
    "fad-jit": "fad jit",
    "autograd": "autograd",
    "jax": "JAX",
    "jax-jit": "JAX jit",
    "torch": "torch.func",
}


def log_softmax(xp, z):
    """``z - logsumexp(z)`` along the last axis, stable."""
    s = z - xp.max(z, axis=-1, keepdims=True)
    return s - xp.log(xp.sum(xp.exp(s), axis=-1, keepdims=True))


def logsumexp(xp, v):
    """Stable ``log(sum(exp(v)))`` of a vector (the max's derivative cancels exactly)."""
    m = xp.max(v)
    return m + xp.log(xp.sum(xp.exp(v - m)))


def mlp_logits(xp, params, x):
    """A tanh MLP; ``params = (W1, b1, W2, b2, ..., Wk, bk)``; no activation on the last layer."""
    h = x
    n = len(params) // 2
    for i in range(n):
        h = h @ params[2 * i] + params[2 * i + 1]
        if i < n - 1:
            h = xp.tanh(h)
    return h


def xent(xp, params, x, y):
    """Softmax cross-entropy of one example (or one per row of a batch) with targets ``y``."""
    return -xp.sum(y * log_softmax(xp, mlp_logits(xp, params, x)), axis=-1)


def mlp_inputs(sizes, batch, rng):
    params = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        params += [rng.standard_normal((a, b)) / np.sqrt(a), 0.1 * rng.standard_normal(b)]
    x = rng.standard_normal((batch, sizes[0]))
    y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)]
    return tuple(params), x, y


def mlp_backprop(params, x, y, mean=True):
    """Hand-written backprop of :func:`xent` for a batch: per-example gradients if not ``mean``."""
    n = len(params) // 2
    acts = [x]
    h = x
    for i in range(n):
        h = h @ params[2 * i] + params[2 * i + 1]
        if i < n - 1:
            h = np.tanh(h)
            acts.append(h)
    s = h - h.max(axis=-1, keepdims=True)
    e = np.exp(s)
    z = e.sum(axis=-1, keepdims=True)
    losses = -(y * (s - np.log(z))).sum(axis=-1)
    scale = 1.0 / x.shape[0] if mean else 1.0
    dz = (e / z * y.sum(axis=-1, keepdims=True) - y) * scale
    grads = [None] * (2 * n)
    for i in range(n - 1, -1, -1):
        a = acts[i]
        if mean:
            grads[2 * i] = a.T @ dz
            grads[2 * i + 1] = dz.sum(axis=0)
        else:
            grads[2 * i] = a[:, :, None] * dz[:, None, :]
            grads[2 * i + 1] = dz
        if i > 0:
            dz = (dz @ params[2 * i].T) * (1.0 - a * a)
    return (losses.mean() if mean else losses), tuple(grads)


# --------------------------------------------------------------------- the workloads


class Workload:
    key = ""
    title = ""
    target = ""
    #: frameworks (by name) that are not run, with the reason shown in the notes
    skip: dict = {}
    #: measure the peak memory (tracemalloc) of NumPy-based columns
    memory = False
    #: shown in the main tables (sweeps are shown as series and plots instead)
    in_table = True
    #: samples per cell, as a multiple of --repeats: more where a target is a ratio within
    #: this machine's noise of the measured value (W1, W5: ±5-10% from one run to the next)
    repeat_factor = 1

    def cases(self, quick):
        raise NotImplementedError

    def inputs(self, case, rng):
        raise NotImplementedError

    def function(self, xp, case):
        """The function being differentiated, on ``xp``'s arrays."""
        raise NotImplementedError

    def plain(self, case):
        return self.function(np, case)

    def hand(self, case):
        return None

    def derivative(self, fw, case):
        raise NotImplementedError

    def verdicts(self, rows):
        """``[(case label or None, text, passed or None), ...]``: this workload's target, checked."""
        return []


def _ratio(row, a, b):
    ta, tb = row["cells"].get(a, {}).get("time"), row["cells"].get(b, {}).get("time")
    return ta / tb if ta and tb else None


class W1(Workload):
    key = "W1"
    repeat_factor = 3
    title = "value_and_grad of an MLP 784-256-256-10 (tanh, softmax cross-entropy), batch 128"
    target = "fad <= 1.15x hand-written backprop; fad jit <= 1.3x hand (at the least) and <= 1.05x hand"

    def cases(self, quick):
        if quick:
            return [dict(label="20-16-16-10 b8", sizes=(20, 16, 16, 10), batch=8)]
        return [dict(label="784-256-256-10 b128", sizes=(784, 256, 256, 10), batch=128)]

    def inputs(self, case, rng):
        return mlp_inputs(case["sizes"], case["batch"], rng)

    def function(self, xp, case):
        return lambda params, x, y: xp.sum(xent(xp, params, x, y)) / case["batch"]

    def hand(self, case):
        return mlp_backprop

    def derivative(self, fw, case):
        return fw.need("value_and_grad")(self.function(fw.np, case), 0)

    def verdicts(self, rows):
        out = []
        for r in rows:
            out.append(_le(r, "fad", "hand", 1.15, "x hand"))
            out.append(_le(r, "fad-jit", "hand", 1.3, "x hand", "at the least"))
            out.append(_le(r, "fad-jit", "hand", 1.05, "x hand", "the goal"))
        return [v for v in out if v is not None]


class Chain(Workload):
    """W2 and W7: the gradient of a long chain of elementwise operations, then a sum."""

    #: the repeating cycle: sin, cos, tanh, *1.01, +0.1, then exp(-x^2) as x*x, -x, exp
    STEPS = (
        lambda xp, x: xp.sin(x),
        lambda xp, x: xp.cos(x),
        lambda xp, x: xp.tanh(x),
        lambda xp, x: x * 1.01,
        lambda xp, x: x + 0.1,
        lambda xp, x: x * x,
        lambda xp, x: -x,
        lambda xp, x: xp.exp(x),
    )

    def inputs(self, case, rng):
        return (rng.standard_normal(case["size"]),)

    def function(self, xp, case):
        steps, n = self.STEPS, case["ops"]

        def f(x):
            for i in range(n):
                x = steps[i % 8](xp, x)
            return xp.sum(x)

        return f

    def hand(self, case):
        n = case["ops"]

        def chain_rule(x):  # forward accumulation of the product of the local derivatives
            d = np.ones_like(x)
            for i in range(n):
                k = i % 8
                if k == 0:
                    d = d * np.cos(x)
                    x = np.sin(x)
                elif k == 1:
                    d = d * -np.sin(x)
                    x = np.cos(x)
                elif k == 2:
                    x = np.tanh(x)
                    d = d * (1.0 - x * x)
                elif k == 3:
                    x = x * 1.01
                    d = d * 1.01
                elif k == 4:
                    x = x + 0.1
                elif k == 5:
                    d = d * (2.0 * x)
                    x = x * x
                elif k == 6:
                    x = -x
                    d = -d
                else:
                    x = np.exp(x)
                    d = d * x
            return d

        return chain_rule

    def derivative(self, fw, case):
        return fw.need("grad")(self.function(fw.np, case))


class W2(Chain):
    key = "W2"
    title = "grad of a 200-op elementwise chain on a size-10 array and on a 0-d array"
    target = (
        "fad <= 10 us/op; fad jit >= 5x faster than fad eager and <= 1.2x hand-written; "
        "fad jit faster than JAX eager by a wide margin (>= 10x)"
    )

    def cases(self, quick):
        n = 40 if quick else 200
        # the 0-d case measures what each operation costs beyond its arithmetic
        return [dict(label=f"{n} ops, size 10", ops=n, size=10), dict(label=f"{n} ops, 0-d", ops=n, size=())]

    def verdicts(self, rows):
        out = []
        for r in rows:
            t = r["cells"].get("fad", {}).get("time")
            if t is None:
                out.append((r["case"], "fad did not run", False))
                continue
            us = t / r["params"]["ops"] * 1e6
            g_f = _ratio(r, "fad", "f")
            out.append((r["case"], f"{us:.2f} us/op (target <= 10); grad(f)/f = {g_f:.0f}x", us <= 10))
            speedup = _ratio(r, "fad", "fad-jit")
            if speedup is not None:
                out.append(
                    (r["case"], f"fad jit {speedup:.1f}x faster than fad eager (target >= 5)", speedup >= 5)
                )
            v = _le(r, "fad-jit", "hand", 1.2, "x hand", "the goal")
            if v is not None:
                out.append(v)
            vs_jax = _ratio(r, "jax", "fad-jit")
            if vs_jax is not None:
                out.append(
                    (r["case"], f"fad jit {vs_jax:.0f}x faster than JAX eager (target >= 10)", vs_jax >= 10)
                )
            vs_jit = _ratio(r, "fad-jit", "jax-jit")
            if vs_jit is not None:
                out.append((r["case"], f"fad jit = {vs_jit:.2f}x JAX jit (no target)", None))
        return out


class W7(Chain):
    key = "W7"
    title = "grad of a 20,000-op chain: no RecursionError, memory linear in the chain length"
    target = "runs; peak memory linear in ops"
    memory = True
    skip = {"jax-jit": "compiling a 20,000-op program measures XLA, not eager overhead"}

    def cases(self, quick):
        ns = (300, 600, 1200) if quick else (5000, 10000, 20000)
        return [dict(label=f"{n} ops, size 10", ops=n, size=10) for n in ns]

    def verdicts(self, rows):
        out = []
        for r in rows:
            c = r["cells"].get("fad", {})
            out.append((r["case"], "ran" if "time" in c else f"FAILED: {c.get('note')}", "time" in c))
        per_op = [
            r["cells"]["fad"]["peak_bytes"] / r["params"]["ops"]
            for r in rows
            if "peak_bytes" in r["cells"].get("fad", {})
        ]
        if len(per_op) >= 2:
            spread = max(per_op) / min(per_op)
            out.append(
                (
                    None,
                    "fad peak memory per op: "
                    + ", ".join(f"{b:.0f} B" for b in per_op)
                    + f" (max/min {spread:.2f}; linear if <= 1.3)",
                    spread <= 1.3,
                )
            )
        return out


class W3(Workload):
    key = "W3"
    title = "hessian of logsumexp(A x) + sum(x**4)/4"
    target = "fad faster than torch.func; fad jit <= 1.2x hand and <= JAX jit"

    def cases(self, quick):
        ns = (5, 10) if quick else (25, 50, 100, 150, 200, 300)
        return [dict(label=f"n={n}", n=n) for n in ns]

    def inputs(self, case, rng):
        n = case["n"]
        return rng.standard_normal(n), rng.standard_normal((n, n)) / np.sqrt(n)

    def function(self, xp, case):
        return lambda x, A: logsumexp(xp, A @ x) + xp.sum(x**4) / 4.0

    def hand(self, case):
        def hessian(x, A):
            v = A @ x
            s = np.exp(v - v.max())
            s /= s.sum()
            As = A.T @ s
            H = (A.T * s) @ A - np.outer(As, As)
            H[np.diag_indices_from(H)] += 3.0 * x * x
            return H

        return hessian

    def derivative(self, fw, case):
        return fw.need("hessian")(self.function(fw.np, case), 0)

    def verdicts(self, rows):
        out = []
        for r in rows:
            q = _ratio(r, "fad", "torch")
            out.append(
                (
                    r["case"],
                    f"fad/torch.func = {q:.2f} (target < 1)" if q else "torch.func not run",
                    None if q is None else q < 1.0,
                )
            )
            out.extend(v for v in _jit_verdicts(r, jax=True) if v is not None)
        ts = [(r["params"]["n"], r["cells"].get("fad", {}).get("time")) for r in rows]
        ts = [(n, t) for n, t in ts if t]
        if len(ts) >= 2:
            slope = np.polyfit(np.log([n for n, _ in ts]), np.log([t for _, t in ts]), 1)[0]
            out.append((None, f"fad time grows as n^{slope:.2f} over n = {[n for n, _ in ts]}", None))
        return out


class W3L(W3):
    key = "W3L"
    title = "hessian of W3's function with the library's logsumexp (jax.nn.logsumexp, fad.nn.logsumexp, ...)"
    target = "fad jit <= 1.2x hand and <= JAX jit"
    #: (a sweep of W3's sizes up to n = 100, where W3 misses its target: see docs/performance.md)

    def cases(self, quick):
        ns = (5, 10) if quick else (25, 50, 100, 200)
        return [dict(label=f"n={n}", n=n) for n in ns]

    def derivative(self, fw, case):
        lse, xp = fw.need("logsumexp"), fw.np
        return fw.need("hessian")(lambda x, A: lse(A @ x) + xp.sum(x**4) / 4.0, 0)

    def verdicts(self, rows):
        return [v for r in rows for v in _jit_verdicts(r, jax=True) if v is not None]


class W4(Workload):
    key = "W4"
    title = "Jacobian of tanh(W @ sin(x)), R^n -> R^m, by jacfwd and by jacrev"
    target = (
        "right mode <= 2x hand (fad jit <= 1.2x); fwd >= 10x faster than rev at (10,1000), "
        "rev >= 10x at (1000,10)"
    )

    def cases(self, quick):
        shapes = ((3, 30), (30, 3)) if quick else ((10, 1000), (1000, 10))
        return [
            dict(label=f"{mode} (n,m)=({n},{m})", n=n, m=m, mode=mode)
            for n, m in shapes
            for mode in ("jacfwd", "jacrev")
        ]

    def inputs(self, case, rng):
        n, m = case["n"], case["m"]
        return rng.standard_normal(n), rng.standard_normal((m, n)) / np.sqrt(n)

    def function(self, xp, case):
        return lambda x, W: xp.tanh(W @ xp.sin(x))

    def hand(self, case):
        def jacobian(x, W):
            y = np.tanh(W @ np.sin(x))
            return ((1.0 - y * y)[:, None] * W) * np.cos(x)[None, :]

        return jacobian

    def derivative(self, fw, case):
        return fw.need(case["mode"])(self.function(fw.np, case), 0)

    def verdicts(self, rows):
        out = []
        by = {(r["params"]["n"], r["params"]["m"], r["params"]["mode"]): r for r in rows}
        for n, m in sorted({(k[0], k[1]) for k in by}):
            right, wrong = ("jacfwd", "jacrev") if n < m else ("jacrev", "jacfwd")
            r_right, r_wrong = by.get((n, m, right)), by.get((n, m, wrong))
            if r_right:
                out.append(_le(r_right, "fad", "hand", 2.0, "x hand"))
                out.extend(v for v in _jit_verdicts(r_right) if v is not None)
            if r_right and r_wrong:
                t1 = r_right["cells"].get("fad", {}).get("time")
                t2 = r_wrong["cells"].get("fad", {}).get("time")
                if t1 and t2:
                    out.append(
                        (
                            r_right["case"],
                            f"fad {wrong}/{right} = {t2 / t1:.1f}x (target >= 10)",
                            t2 / t1 >= 10,
                        )
                    )
        return out


class W5(Workload):
    key = "W5"
    repeat_factor = 3
    title = "per-example gradients vmap(grad(loss)) of an MLP 50-100-10, batch 256"
    target = "fad <= 1.1x hand-written batched backprop; fad jit <= 1.2x hand and <= JAX jit"

    def cases(self, quick):
        if quick:
            return [dict(label="10-8-4 b6", sizes=(10, 8, 4), batch=6)]
        return [dict(label="50-100-10 b256", sizes=(50, 100, 10), batch=256)]

    def inputs(self, case, rng):
        return mlp_inputs(case["sizes"], case["batch"], rng)

    def function(self, xp, case):
        return lambda params, x, y: xent(xp, params, x, y)  # per example (batched by NumPy in `plain`)

    def hand(self, case):
        return lambda params, x, y: mlp_backprop(params, x, y, mean=False)[1]

    def derivative(self, fw, case):
        return fw.need("vmap")(fw.need("grad")(self.function(fw.np, case), 0), (None, 0, 0))

    def verdicts(self, rows):
        return [
            v
            for r in rows
            for v in (_le(r, "fad", "hand", 1.1, "x hand"), *_jit_verdicts(r, jax=True))
            if v is not None
        ]


class W6(Workload):
    key = "W6"
    title = "nested grad of tanh at a scalar, orders 1..6"
    target = "growth <= 1.5x per extra order"
    growth_columns = ("fad", "fad-jit", "torch", "jax-jit")

    def cases(self, quick):
        return [dict(label=f"order {k}", order=k) for k in range(1, (3 if quick else 6) + 1)]

    def inputs(self, case, rng):
        return (np.asarray(0.3),)

    def function(self, xp, case):
        return lambda x: xp.tanh(x)

    def derivative(self, fw, case):
        g = self.function(fw.np, case)
        grad = fw.need("grad")
        for _ in range(case["order"]):
            g = grad(g)
        return g

    def verdicts(self, rows):
        out = []
        prev = None
        for r in rows:
            t = r["cells"].get("fad", {}).get("time")
            if prev and t:
                g = t / prev
                prev_order = r["params"]["order"] - 1
                out.append((r["case"], f"growth {g:.2f}x over order {prev_order}", None))
            prev = t
        # the verdict is on the mean growth per order (as the goal quotes the peers: "cost
        # grows ~1.8x per order"); single steps of a few microseconds are noisy
        for col in self.growth_columns:
            ts = [(r["params"]["order"], r["cells"].get(col, {}).get("time")) for r in rows]
            ts = [(k, t) for k, t in ts if t]
            if len(ts) >= 2:
                g = (ts[-1][1] / ts[0][1]) ** (1 / (ts[-1][0] - ts[0][0]))
                text = f"{col}: mean growth {g:.2f}x per order over orders {ts[0][0]}..{ts[-1][0]}"
                if col == "fad":
                    out.append((None, text + " (target <= 1.5)", g <= 1.5))
                else:
                    out.append((None, text, None))
        return out


class W6J(W6):
    """W6's derivatives by Taylor mode: ``jet`` along the line x + t (fad.jet and
    jax.experimental.jet), the way to compute high derivatives without nesting."""

    key = "W6J"
    title = "k-th derivative of tanh at a scalar by Taylor mode (jet), orders 1..6"
    target = "growth <= 1.5x per extra order (W6's target, through Taylor mode)"
    growth_columns = ("fad", "fad-jit", "jax", "jax-jit")
    skip = {
        "autograd": "autograd has no Taylor mode",
        "torch": "torch.func has no Taylor mode",
    }

    def derivative(self, fw, case):
        f = self.function(fw.np, case)
        jet, k, xp = fw.need("jet"), case["order"], fw.np

        def kth(x):
            terms = [xp.ones_like(x)] + [xp.zeros_like(x)] * (k - 1)
            return jet(f, (x,), (terms,))[1][k - 1]

        return kth


class W4S(W4):
    """The W4 Jacobian swept over the input size n (m = 100) and the output size m (n = 100):
    the jacfwd/jacrev crossover."""

    key = "W4S"
    title = "jacfwd vs jacrev of tanh(W @ sin(x)): sweep over n (m = 100) and over m (n = 100)"
    target = "none: locate the jacfwd/jacrev crossover (as a ratio n/m)"
    in_table = False
    skip = {
        "autograd": "the sweep runs fad, torch.func and JAX jit only",
        "jax": "the sweep runs fad, torch.func and JAX jit only",
    }
    FIXED = 100

    def cases(self, quick):
        fixed, sizes = (10, (3, 10, 30)) if quick else (self.FIXED, (10, 30, 100, 300, 1000))
        out = []
        for sweep in ("n", "m"):
            for s in sizes:
                n, m = (s, fixed) if sweep == "n" else (fixed, s)
                for mode in ("jacfwd", "jacrev"):
                    out.append(dict(label=f"{mode} n={n} m={m}", n=n, m=m, mode=mode, sweep=sweep))
        return out

    def verdicts(self, rows):
        out = []
        for col in ("fad", "fad-jit", "torch", "jax-jit"):
            parts = []
            for sweep in ("n", "m"):
                q = crossover(rows, col, sweep)
                if q is not None:
                    parts.append(f"n/m = {q:.2g} along the {sweep} sweep")
            if parts:
                out.append((None, f"{col}: jacfwd = jacrev at " + "; ".join(parts), None))
        return out


def sweep_series(rows, column, sweep):
    """``(sizes, fwd_times, rev_times, fixed)`` of the W4S sweep over ``sweep`` ("n" or "m")."""
    fwd, rev = {}, {}
    fixed = None
    for r in rows:
        p = r["params"]
        if r["workload"] != "W4S" or p.get("sweep") != sweep:
            continue
        t = r["cells"].get(column, {}).get("time")
        fixed = p["m"] if sweep == "n" else p["n"]
        if t:
            (fwd if p["mode"] == "jacfwd" else rev)[p[sweep]] = t
    sizes = sorted(set(fwd) & set(rev))
    return sizes, [fwd[s] for s in sizes], [rev[s] for s in sizes], fixed


def crossover(rows, column, sweep):
    """Where jacfwd and jacrev take the same time, as the ratio n/m (log-log interpolation
    between the two sweep points around the sign change), or ``None``."""
    sizes, fwd, rev, fixed = sweep_series(rows, column, sweep)
    d = [np.log(a / b) for a, b in zip(fwd, rev, strict=True)]  # > 0: jacrev faster
    for i in range(len(sizes) - 1):
        if d[i] == 0 or d[i] * d[i + 1] < 0:
            a, b = np.log(sizes[i]), np.log(sizes[i + 1])
            s = float(np.exp(a + (b - a) * d[i] / (d[i] - d[i + 1])))
            return s / fixed if sweep == "n" else fixed / s
    return None


class M1(Workload):
    """Peak memory of reverse mode through a deep elementwise chain, with and without
    ``fad.checkpoint`` (see ``checkpoint_memory.py``)."""

    key = "M1"
    title = "checkpoint memory: grad of 400 tanh layers on 100,000 values, with and without fad.checkpoint"
    target = "fad.checkpoint (blocks of 20) lowers grad's peak memory (no numeric target)"
    memory = True
    skip = {n: "fad.checkpoint is fad's" for n in ("autograd", "jax", "jax-jit", "torch")}

    def cases(self, quick):
        size, depth, block = (1000, 40, 8) if quick else (100_000, 400, 20)
        return [
            dict(
                label=("grad with fad.checkpoint" if ck else "grad") + f", {depth} layers",
                size=size,
                depth=depth,
                block=block,
                checkpoint=ck,
            )
            for ck in (False, True)
        ]

    def inputs(self, case, rng):
        return (np.linspace(-1.0, 1.0, case["size"]),)

    def function(self, xp, case, checkpoint=None):
        block, depth = case["block"], case["depth"]

        def run(x):
            for _ in range(block):
                x = xp.tanh(x * 1.01 + 0.1)
            return x

        body = checkpoint(run) if checkpoint else run

        def f(x):
            for _ in range(depth // block):
                x = body(x)
            return xp.sum(x)

        return f

    def hand(self, case):
        depth = case["depth"]

        def grad(x):  # forward accumulation: no tape at all
            d = np.ones_like(x)
            for _ in range(depth):
                x = np.tanh(x * 1.01 + 0.1)
                d = d * (1.01 * (1.0 - x * x))
            return d

        return grad

    def derivative(self, fw, case):
        fad = getattr(fw, "_fad", None)
        if fad is None:
            raise Unsupported(f"{fw.label} has no fad.checkpoint")
        ck = fad.checkpoint if case["checkpoint"] else None
        return fw.need("grad")(self.function(fw.np, case, checkpoint=ck))

    def verdicts(self, rows):
        peaks = {r["params"]["checkpoint"]: r["cells"] for r in rows}
        out = []
        for col in ("fad", "fad-jit"):
            a = peaks.get(False, {}).get(col, {}).get("peak_bytes")
            b = peaks.get(True, {}).get(col, {}).get("peak_bytes")
            ta = peaks.get(False, {}).get(col, {}).get("time")
            tb = peaks.get(True, {}).get(col, {}).get("time")
            if a and b and ta and tb:
                out.append(
                    (
                        None,
                        f"{col}: peak {a / 2**20:.1f} MiB without, {b / 2**20:.1f} MiB with "
                        f"fad.checkpoint ({a / b:.1f}x less memory, {tb / ta:.2f}x the time)",
                        b < a,
                    )
                )
        return out


def _le(row, a, b, limit, unit, source=""):
    """``a``'s time at most ``limit`` times ``b``'s; ``None`` if column ``a`` was not run at all."""
    if a != "fad" and a not in row["cells"]:
        return None
    q = _ratio(row, a, b)
    src = f", {source}" if source else ""
    if q is None:
        return (row["case"], f"{a} or {b} missing", None)
    return (row["case"], f"{a} = {q:.2f}{unit} (target <= {limit}{src})", q <= limit)


def _jit_verdicts(row, jax=False):
    """fad jit within 1.2x hand-written (and, with ``jax``, no slower than JAX jit)."""
    out = [_le(row, "fad-jit", "hand", 1.2, "x hand", "jit")]
    if jax and "fad-jit" in row["cells"] and "jax-jit" in row["cells"]:
        out.append(_le(row, "fad-jit", "jax-jit", 1.0, "x JAX jit"))
    return out


def _info(row, a, b):
    """``a``'s time as a ratio to ``b``'s, without a target (``None`` if either is missing)."""
    q = _ratio(row, a, b)
    return None if q is None else (row["case"], f"{a} = {q:.2f}x {b} (no target)", None)


WORKLOADS = {w.key: w for w in (W1(), W2(), W3(), W3L(), W4(), W4S(), W5(), W6(), W6J(), W7(), M1())}
