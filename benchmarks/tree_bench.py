"""Pytree speed: flatten, unflatten and tree_map on trees of 10, 100 and 1,000 leaves.

    python benchmarks/tree_bench.py                          # fad.tree_util as installed
    python benchmarks/tree_bench.py --compare OLD_TREE.py    # and another _tree module, side by side

``--compare`` loads a second implementation of ``fad._tree`` from a file (for example the
previous one, ``git show <commit>:fad/_tree.py > /tmp/old_tree.py``) and times both in the
same process, alternating between them sample by sample so that drift in the machine's
speed cannot bias their ratio. Each cell is the best of ``--repeats`` samples of timeit
(microseconds per call). Three shapes of tree, the leaves small NumPy arrays:

* ``dict``: ``{"p0": a, "p1": a, ...}`` (a model's parameters, sorted keys)
* ``nested``: a list of ``{"w": a, "b": [a, {"c": a, "d": (a, a)}]}`` blocks (5 leaves each)
* ``tuples``: a list of ``(a, a)`` pairs
"""

from __future__ import annotations

import argparse
import importlib.util
import timeit
from pathlib import Path

import numpy as np

SIZES = (10, 100, 1000)


def make_tree(shape, n):
    a = np.ones(3)
    if shape == "dict":
        return {f"p{i}": a.copy() for i in range(n)}
    if shape == "nested":
        return [
            {"w": a.copy(), "b": [a.copy(), {"c": a.copy(), "d": (a.copy(), a.copy())}]}
            for _ in range(n // 5)
        ]
    if shape == "tuples":
        return [(a.copy(), a.copy()) for _ in range(n // 2)]
    raise ValueError(shape)


def load(path, name):
    """A ``_tree`` module from its file (it imports only attrs and optree, not fad)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cases(mod, tree):
    """The three timed calls on ``tree`` with implementation ``mod``."""
    leaves, treedef = mod.tree_flatten(tree)
    assert len(leaves) == treedef.num_leaves
    ident = lambda x: x  # noqa: E731
    return {
        "flatten": lambda: mod.tree_flatten(tree),
        "unflatten": lambda: mod.tree_unflatten(treedef, leaves),
        "map": lambda: mod.tree_map(ident, tree),
    }


def best_times(fns, repeats):
    """Best microseconds per call of each function, sampled alternately."""
    numbers = []
    for f in fns:
        n, _ = timeit.Timer(f).autorange()  # calls filling about 0.2 s
        numbers.append(max(1, n // 4))
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for k, (f, n) in enumerate(zip(fns, numbers, strict=True)):
            best[k] = min(best[k], timeit.timeit(f, number=n) / n * 1e6)
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", metavar="OLD_TREE.py", help="another fad/_tree.py to time beside this one")
    ap.add_argument("--repeats", type=int, default=7, help="samples per cell (default 7)")
    args = ap.parse_args(argv)

    new = load(Path(__file__).resolve().parents[1] / "fad" / "_tree.py", "_tree_now")
    impls = {"fad": new}
    if args.compare:
        impls = {"before": load(args.compare, "_tree_before"), "after": new}
    names = list(impls)
    head = "| tree | leaves | op | " + " | ".join(f"{n} (µs)" for n in names)
    head += " | before/after |" if args.compare else " |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for shape in ("dict", "nested", "tuples"):
        for size in SIZES:
            tree = make_tree(shape, size)
            per_impl = [cases(m, tree) for m in impls.values()]
            for op in ("flatten", "unflatten", "map"):
                times = best_times([c[op] for c in per_impl], args.repeats)
                row = f"| {shape} | {size} | {op} | " + " | ".join(f"{t:.2f}" for t in times)
                row += f" | {times[0] / times[1]:.2f}x |" if args.compare else " |"
                print(row, flush=True)


if __name__ == "__main__":
    main()
