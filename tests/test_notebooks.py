"""The notebooks in docs/notebooks/ (jupytext percent scripts, executed by mkdocs-jupyter when
the docs are built) also run as plain scripts here: each cell checks its own result with
``assert``, so a recipe that stops being right fails the suite, not only the docs build."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))


def test_notebooks_exist():
    assert {"tutorial", "cookbook"} <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(notebook, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, str(notebook)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, f"{notebook.name} failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_in_the_site(notebook):
    """mkdocs-jupyter renders it: it is in the navigation, in jupytext's percent format."""
    text = notebook.read_text()
    assert text.startswith("# ---\n# jupyter:") and "# %% [markdown]" in text
    assert f"notebooks/{notebook.name}" in (ROOT / "mkdocs.yml").read_text()
