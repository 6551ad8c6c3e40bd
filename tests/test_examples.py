"""Every script in examples/ runs with --quick (a short run) in a fresh interpreter.

Plots go to a temporary directory; without matplotlib the scripts skip them with a note.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))


def test_examples_exist():
    assert len(SCRIPTS) >= 15, [p.name for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_example_runs(script, tmp_path):
    env = dict(
        os.environ,
        MPLBACKEND="Agg",
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    proc = subprocess.run(
        [sys.executable, str(script), "--quick", "--out", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout.strip(), f"{script.name} printed nothing"
    if "matplotlib is not installed" not in proc.stdout:
        assert list(tmp_path.glob("*.png")), f"{script.name} wrote no plot:\n{proc.stdout}"


def test_demo_runs():
    """The README's first command: ``python -m fad`` (fad's demo) exits 0 and shows each part."""
    proc = subprocess.run([sys.executable, "-m", "fad"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for words in ("per-example gradients", "third derivative of tanh", "fad.jet"):
        assert words in proc.stdout
