"""The transform core stays small enough to read in an afternoon (shared/STYLE.md)."""

import ast
from pathlib import Path

import fad

CORE = ["_core.py", "_jvp.py", "_vjp.py", "_vmap.py", "_rules.py"]
BUDGET = 786  # lines of code and comments; docstrings (the API reference's text) are not counted


def _docstring_lines(source):
    """The line numbers taken by the docstrings of a module, its classes and functions."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if isinstance(first.value.value, str):
                    found.update(range(first.lineno, first.end_lineno + 1))
    return found


def test_core_line_budget():
    root = Path(fad.__file__).parent
    lines = {}
    for name in CORE:
        source = (root / name).read_text()
        lines[name] = len(source.splitlines()) - len(_docstring_lines(source))
    assert sum(lines.values()) <= BUDGET, f"the core grew to {sum(lines.values())} lines: {lines}"


def test_core_knows_nothing_of_fad_numpy():
    root = Path(fad.__file__).parent
    for name in CORE:
        for line in (root / name).read_text().splitlines():
            code = line.strip()
            assert not code.startswith(("import fad.numpy", "from fad.numpy", "from fad import numpy")), name
