"""The code in the documentation runs: every docs page (docs/**/*.md) and README.md.

How a page is checked (the rule for anyone writing docs):

* a fenced block containing ``>>>`` lines is a doctest: its output is compared (options
  ELLIPSIS, NORMALIZE_WHITESPACE and NUMBER, as for the docstrings);
* a block fenced as ```` ```python ```` is executed (its output is not compared: use
  ``assert`` or a ``>>>`` block to pin a value);
* a block fenced as ```` ```py ````, ```` ```bash ```` or ```` ```text ```` is shown only
  (for fragments that cannot run on their own).

The blocks of one page run in order in one namespace, as a reader typing them would. A
block that imports SciPy is left out where SciPy is not installed (it is not a
dependency); keep such a block self-contained, so the blocks after it still run.
Docstrings are checked separately by ``--doctest-modules``.
"""

import doctest
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)
try:  # pytest's checker, for its NUMBER option (floats compared to the digits written)
    from _pytest.doctest import _get_checker, _get_number_flag

    CHECKER, NUMBER = _get_checker(), _get_number_flag()
except ImportError:  # pragma: no cover - an older or newer pytest: plain doctest
    CHECKER, NUMBER = None, 0
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | NUMBER
OPTIONAL = ("scipy", "dask", "distributed", "torch", "array_api_strict", "cupy")  # not dependencies


def blocks(text):
    """(kind, line number, code) for each fenced block: kind is 'doctest', 'exec' or None."""
    for m in FENCE.finditer(text):
        indent = len(m.group("indent"))
        body = "\n".join(line[indent:] for line in m.group("body").splitlines()) + "\n"
        line = text.count("\n", 0, m.start()) + 2
        if any(ln.lstrip().startswith(">>>") for ln in body.splitlines()):
            yield "doctest", line, body
        elif m.group("lang") == "python":
            yield "exec", line, body
        else:
            yield None, line, body


def _missing_optional(code):
    return any(
        re.search(rf"^\s*(>>> )?(import|from) {mod}\b", code, re.M) and importlib.util.find_spec(mod) is None
        for mod in OPTIONAL
    )


def test_pages_found():
    names = {p.name for p in PAGES}
    assert {"tutorial.md", "sharp_bits.md", "custom_rules.md", "README.md"} <= names


def _has_code(page):
    return any(kind for kind, _, _ in blocks(page.read_text()))


# pages with runnable code (the others are prose or generated tables: nothing to run)
CODE_PAGES = [p for p in PAGES if _has_code(p)]


@pytest.mark.parametrize("page", CODE_PAGES, ids=[str(p.relative_to(ROOT)) for p in CODE_PAGES])
def test_page_code_runs(page):
    text = page.read_text()
    ns = {"__name__": f"docs_{page.stem}"}
    runner = doctest.DocTestRunner(checker=CHECKER, optionflags=FLAGS)
    parser = doctest.DocTestParser()
    ran = 0
    for kind, line, code in blocks(text):
        where = f"{page.relative_to(ROOT)}:{line}"
        if kind and _missing_optional(code):
            continue
        if kind == "doctest":
            test = parser.get_doctest(code, ns, where, str(page), line - 1)
            out = []
            result = runner.run(test, out=out.append, clear_globs=False)
            assert result.failed == 0, f"doctest failed in {where}:\n" + "".join(out)
            ns.update(test.globs)  # DocTest copied the namespace: carry its names on
            ran += 1
        elif kind == "exec":
            try:
                exec(compile(code, where, "exec"), ns)  # noqa: S102 - the docs' own code
            except Exception as e:
                raise AssertionError(f"code block at {where} raised {type(e).__name__}: {e}") from e
            ran += 1
    assert ran or all(_missing_optional(c) for k, _, c in blocks(text) if k), f"{page.name}: nothing ran"
