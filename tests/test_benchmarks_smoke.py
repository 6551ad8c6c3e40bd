"""The benchmark runner runs end to end (``benchmarks/run.py --quick``): it exits 0, prints the
results table and writes JSON and Markdown. Timings are never asserted, only that fad's
derivatives agreed with the hand-written ones (the runner checks every result it times).

Only the NumPy, fad and fad jit columns run here, whatever peers are installed, to keep the suite
fast; ``plot.py`` is run on the quick results when matplotlib is installed (an optional dev tool).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("W1", "W2", "W3", "W3L", "W4", "W4S", "W5", "W6", "W6J", "W7", "M1")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--frameworks",
            "numpy,fad,fad-jit",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    return proc, out


def test_quick_run_exits_0_and_prints_the_table(quick_run):
    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| id | case | NumPy f | hand-written | fad | fad jit |" in proc.stdout
    for key in set(WORKLOADS) - {"W4S"}:  # the sweep is printed as series, not table rows
        assert f"| {key} |" in proc.stdout
    assert "Targets (issues #5 and #6)" in proc.stdout
    assert out.exists() and out.with_suffix(".md").exists()
    results = json.loads(out.read_text())
    assert {r["workload"] for r in results["rows"]} == set(WORKLOADS)
    assert results["machine"]["numpy"] and results["machine"]["cpu"]


def test_quick_run_reports_jit_capture_sweep_and_checkpoint_memory(quick_run):
    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text())
    jit_cells = [r["cells"]["fad-jit"] for r in results["rows"]]
    assert all(c["first_call"] > 0 for c in jit_cells)
    assert "fad jit capture" in proc.stdout and "W4S time against n (jacfwd" in proc.stdout
    m1 = [r for r in results["rows"] if r["workload"] == "M1"]
    assert len(m1) == 2 and all(r["cells"]["fad"]["peak_bytes"] > 0 for r in m1)


def test_plot_script_writes_pngs_or_says_what_it_needs(quick_run, tmp_path):
    import importlib.util

    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    plot = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "plot.py"), str(out), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    if importlib.util.find_spec("matplotlib") is None:  # an optional tool: a clear message
        assert plot.returncode != 0 and "pip install matplotlib" in plot.stderr
        return
    assert plot.returncode == 0, plot.stderr[-3000:]
    assert {p.name for p in tmp_path.glob("perf_*.png")} >= {
        "perf_w3_hessian.png",
        "perf_w4_jacobian.png",
        "perf_w6_order.png",
    }


def test_quick_run_fad_matches_the_hand_written_derivatives(quick_run):
    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    problems = [
        f"{r['workload']} {r['case']} / {col}: "
        f"{r['cells'][col].get('note') or r['cells'][col].get('mismatch')}"
        for r in json.loads(out.read_text())["rows"]
        for col in ("fad", "fad-jit")
        if "time" not in r["cells"][col] or "mismatch" in r["cells"][col]
    ]
    assert not problems, "\n".join(problems)


def test_only_and_bad_names():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--only", "W9"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 2 and "unknown workload" in proc.stderr


@pytest.mark.skipif(
    shutil.which("valgrind") is None or shutil.which("cc") is None, reason="needs valgrind and a C compiler"
)
def test_instruction_counts_repeat(tmp_path):
    """``benchmarks/instructions.py`` counts the same instructions twice for the same checkout:
    the property that makes its before/after ratios trustworthy on a busy machine."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import instructions
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    lib = instructions.build_helper(tmp_path)
    a, b = (instructions.count(ROOT, "W6", 0, 2, lib, tmp_path) for _ in range(2))
    assert a == b > 10_000
