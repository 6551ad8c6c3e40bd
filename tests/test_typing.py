"""fad type-checks: mypy, run on a typed user script (tests/typing_user_script.py), reveals
what the transforms return and flags wrong arguments where the transforms keep the wrapped
function's parameters; the annotated modules pass ``mypy`` (strict, configured in
pyproject.toml); and the ``py.typed`` marker ships with the package."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "typing_user_script.py"

# A user's strict configuration.
USER_CONFIG = """\
[mypy]
strict = True
follow_imports = silent
"""

MARK = re.compile(r"  # ([RE]): (.*)$")
REPORT = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<kind>note|error): (?P<msg>.*)$")


def _mypy(*args, cwd=ROOT):
    pytest.importorskip("mypy", reason="mypy is not installed (it is in the 'test' extra)")
    env = dict(os.environ, MYPYPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "mypy", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _norm(text):
    return text.replace("builtins.", "").strip()  # older mypy versions qualify builtins


def expected():
    """``{line: ("R" or "E", text)}`` from the script's comments."""
    found = {}
    for n, line in enumerate(SCRIPT.read_text().splitlines(), start=1):
        m = MARK.search(line)
        if m:
            found[n] = (m.group(1), _norm(m.group(2)))
    return found


@pytest.fixture(scope="module")
def user_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("mypy")
    (d / "mypy.ini").write_text(USER_CONFIG)
    r = _mypy("--config-file", d / "mypy.ini", "--cache-dir", d / "cache", "--no-error-summary", SCRIPT)
    got = {}
    for line in r.stdout.splitlines():
        m = REPORT.match(line)
        assert m, f"unexpected mypy output: {line}\n{r.stdout}{r.stderr}"
        msg = m.group("msg")
        if m.group("kind") == "note":
            shown = re.fullmatch(r'Revealed type is "(.*)"', msg)
            assert shown, f"unexpected note: {line}"
            got[int(m.group("line"))] = ("R", _norm(shown.group(1)))
        else:
            got[int(m.group("line"))] = ("E", _norm(msg))
    return got, r.stdout + r.stderr


def test_the_script_has_checks():
    marks = expected()
    assert sum(kind == "R" for kind, _ in marks.values()) >= 10
    assert sum(kind == "E" for kind, _ in marks.values()) >= 5


def test_revealed_types_and_errors_are_as_written(user_report):
    got, output = user_report
    want = expected()
    lines = SCRIPT.read_text().splitlines()
    wrong = [
        f"line {n}: {lines[n - 1].strip()}\n    expected {want.get(n)}\n    mypy said {got.get(n)}"
        for n in sorted(set(want) | set(got))
        if want.get(n) != got.get(n)
    ]
    assert not wrong, "\n".join(wrong) + "\n\nmypy output:\n" + output


def test_transforms_keep_the_parameters(user_report):
    """The heart of it, spelled out: grad, jacfwd, jit keep the names and types of the
    parameters; vmap (which changes the arguments' shapes) takes any arguments."""
    got, _ = user_report
    revealed = {t for kind, t in got.values() if kind == "R"}
    assert "def (x: float) -> Any" in revealed  # fad.grad(energy)
    assert "def (w: Any, scale: float) -> tuple[Any, str]" in revealed  # has_aux keeps aux's type
    assert "def (*Any, **Any) -> Any" in revealed  # fad.vmap


def test_the_script_runs():
    runpy.run_path(str(SCRIPT), run_name="__main__")


def test_annotated_modules_pass_mypy(tmp_path):
    """``mypy`` with the project's configuration (strict, the modules listed in pyproject.toml)."""
    r = _mypy("--cache-dir", tmp_path / "cache")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success" in r.stdout


def test_py_typed_is_shipped():
    assert (ROOT / "fad" / "py.typed").is_file()
    text = (ROOT / "pyproject.toml").read_text()
    data = re.search(r"\[tool\.setuptools\.package-data\]\s*\nfad\s*=\s*\[([^\]]*)\]", text)
    assert data and '"py.typed"' in data.group(1), "pyproject.toml must ship fad/py.typed"
