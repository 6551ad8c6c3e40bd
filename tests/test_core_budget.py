"""The transform core stays small enough to read in an afternoon (shared/STYLE.md)."""

from pathlib import Path

import fad

CORE = ["_core.py", "_jvp.py", "_vjp.py", "_vmap.py", "_rules.py"]
BUDGET = 900  # lines, docstrings and comments included


def test_core_line_budget():
    root = Path(fad.__file__).parent
    lines = {name: len((root / name).read_text().splitlines()) for name in CORE}
    assert sum(lines.values()) <= BUDGET, f"the core grew to {sum(lines.values())} lines: {lines}"


def test_core_knows_nothing_of_fad_numpy():
    root = Path(fad.__file__).parent
    for name in CORE:
        for line in (root / name).read_text().splitlines():
            code = line.strip()
            assert not code.startswith(("import fad.numpy", "from fad.numpy", "from fad import numpy")), name
