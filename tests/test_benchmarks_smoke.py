"""The benchmark runner runs end to end (``benchmarks/run.py --quick``): it exits 0, prints the
results table and writes JSON and Markdown. Timings are never asserted, only that fad's
derivatives agreed with the hand-written ones (the runner checks every result it times).

Only the NumPy and fad columns run here, whatever peers are installed, to keep the suite fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--frameworks", "numpy,fad",
         "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    return proc, out


def test_quick_run_exits_0_and_prints_the_table(quick_run):
    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| id | case | NumPy f | hand-written | fad |" in proc.stdout
    for key in WORKLOADS:
        assert f"| {key} |" in proc.stdout
    assert "Targets (issue #6)" in proc.stdout
    assert out.exists() and out.with_suffix(".md").exists()
    results = json.loads(out.read_text())
    assert {r["workload"] for r in results["rows"]} == set(WORKLOADS)
    assert results["machine"]["numpy"] and results["machine"]["cpu"]


def test_quick_run_fad_matches_the_hand_written_derivatives(quick_run):
    proc, out = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    problems = [
        f"{r['workload']} {r['case']}: {r['cells']['fad'].get('note') or r['cells']['fad'].get('mismatch')}"
        for r in json.loads(out.read_text())["rows"]
        if "time" not in r["cells"]["fad"] or "mismatch" in r["cells"]["fad"]
    ]
    assert not problems, "\n".join(problems)


def test_only_and_bad_names():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--only", "W9"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert proc.returncode == 2 and "unknown workload" in proc.stderr
