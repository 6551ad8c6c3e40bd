"""docs/coverage.md is generated (docs/scripts/gen_coverage.py) and must not rot: it is
regenerated here, in a fresh interpreter (so primitives declared by other tests do not
leak into its table), and compared with the committed file."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "docs", "scripts", "gen_coverage.py")
DOC = os.path.join(ROOT, "docs", "coverage.md")
FIX = "run `python docs/scripts/gen_coverage.py` and commit docs/coverage.md"


@pytest.fixture(scope="module")
def regenerated():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run(
        [sys.executable, SCRIPT, "--stdout"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.fixture(scope="module")
def committed():
    with open(DOC, encoding="utf-8") as fh:
        return fh.read()


def _functions(text):
    """``{surface: [function, ...]}`` from the per-surface tables."""
    out, surface = {}, None
    for line in text.splitlines():
        m = re.match(r"## `fad\.(.+)`$", line)
        if m:
            surface = m.group(1)
            out[surface] = []
        elif line.startswith("## "):
            surface = None
        elif surface and line.startswith("| `"):
            out[surface].append(line.split("`")[1])
    return out


def test_function_list_is_current(regenerated, committed):
    """The cheap, readable check first: which functions the document lists."""
    assert _functions(committed) == _functions(regenerated), f"docs/coverage.md lists stale functions: {FIX}"


def test_document_is_current(regenerated, committed):
    if committed != regenerated:
        old, new = committed.splitlines(), regenerated.splitlines()
        diff = [f"- {a}\n+ {b}" for a, b in zip(old, new, strict=False) if a != b][:5]
        pytest.fail(f"docs/coverage.md is out of date ({FIX}); first differences:\n" + "\n".join(diff))


def test_every_function_has_a_row_and_the_summary_adds_up(regenerated):
    rows = [line for line in regenerated.splitlines() if line.startswith("| `") and line.count("|") == 8]
    m = re.search(r"\*\*(\d+) exported functions, (\d+) pass every transform\*\*", regenerated)
    assert m, "the summary line is missing"
    n, passing = int(m.group(1)), int(m.group(2))
    assert len(rows) == n
    # passing every transform: the three transform cells (the complex column is apart)
    full = [r for r in rows if "✗" not in "|".join(r.split("|")[:5]) and "no record" not in r]
    assert len(full) == passing
    assert passing > 0.8 * n, "most exported functions should pass every transform"


def test_other_pages_quote_the_current_count(committed):
    """The coverage page is the one source of the function count: a count of functions on
    the README or the docs' home page must be the one docs/coverage.md states (or be left
    out, with a link to the page)."""
    m = re.search(r"\*\*(\d+) exported functions", committed)
    assert m, "the summary line is missing"
    count = m.group(1)
    for page in ("README.md", os.path.join("docs", "index.md")):
        with open(os.path.join(ROOT, page), encoding="utf-8") as fh:
            text = fh.read()
        for quoted in re.findall(r"\b(\d+) (?:exported |differentiable )?functions\b", text):
            assert quoted == count, f"{page} says {quoted} functions, docs/coverage.md says {count}"


def test_pages_quote_the_current_numpy_count(committed):
    """How many of NumPy's callables fad.numpy has: a page that says so says what
    docs/coverage.md says."""
    m = re.search(r"`fad\.numpy` has (\d+) of NumPy's (\d+) public callables", committed)
    assert m, "the NumPy count is missing from docs/coverage.md"
    for page in ("README.md", os.path.join("docs", "index.md")):
        with open(os.path.join(ROOT, page), encoding="utf-8") as fh:
            text = fh.read()
        for have, total in re.findall(r"\b(\d+) of NumPy's (\d+) (?:public )?callables", text):
            assert (have, total) == m.groups(), (
                f"{page} says {have} of NumPy's {total} callables, docs/coverage.md says "
                f"{m.group(1)} of {m.group(2)}"
            )
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        assert re.search(r"\b\d+ of NumPy's \d+ callables", fh.read()), "README.md no longer states the count"


def test_scipy_section_counts_every_module(committed):
    """The SciPy section has a row for each module of fad.scipy, against jax.scipy's list."""
    section = committed.split("## SciPy against `jax.scipy`", 1)[1].split("## ", 1)[0]
    for module in ("special", "stats", "linalg", "signal", "integrate", "optimize"):
        assert f"| `scipy.{module}` |" in section, module
