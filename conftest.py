"""The code in the documentation runs: every docs page (docs/**/*.md) and README.md, collected
by Sybil as test items of their own (``docs/sharp_bits.md::line:67,column:1``).

How a page is checked (the rule for anyone writing docs):

* a block fenced as ```` ```pycon ```` holds ``>>>`` lines: a doctest, its output compared
  (options ELLIPSIS, NORMALIZE_WHITESPACE and NUMBER, as for the docstrings);
* a block fenced as ```` ```python ```` is executed (its output is not compared: use
  ``assert`` or a ``pycon`` block to pin a value);
* a block fenced as ```` ```py ````, ```` ```bash ```` or ```` ```text ```` is shown only
  (for fragments that cannot run on their own).

The blocks of one page run in order in one namespace, as a reader typing them would. A
block that imports SciPy does nothing where SciPy is not installed (it is an optional
dependency); keep such a block self-contained, so the blocks after it still run.
Docstrings are checked separately by ``--doctest-modules``.
"""

from __future__ import annotations

import doctest
import importlib.util
import re

from sybil import Sybil
from sybil.evaluators.doctest import NUMBER
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

OPTIONAL = ("scipy", "dask", "distributed", "torch", "array_api_strict", "cupy")  # not dependencies
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | NUMBER

# docs/scripts/ are the site's build tools and docs/notebooks/ run in tests/test_notebooks.py:
# neither is imported by --doctest-modules
collect_ignore_glob = ["docs/scripts/*", "docs/notebooks/*"]  # notebooks: tests/test_notebooks.py


def missing_optional(code: str) -> bool:
    """Does ``code`` import an optional dependency that is not installed?"""
    return any(
        re.search(rf"^\s*(>>> )?(import|from) {mod}\b", code, re.M) and importlib.util.find_spec(mod) is None
        for mod in OPTIONAL
    )


class _Blocks(PythonCodeBlockParser):
    """Sybil's Python code-block parser for one fence language, leaving out the blocks that
    need a missing optional dependency."""

    def __init__(self, language: str) -> None:
        super().__init__(doctest_optionflags=FLAGS)
        self.codeblock_parser = CodeBlockParser(language, PythonEvaluator())

    def __call__(self, document):
        for block in self.codeblock_parser(document):
            source, skip = block.parsed, missing_optional(block.parsed)
            regions = [block]
            if source.startswith(">>>"):
                regions = list(self.doctest_parser(source, document.path))
                for r in regions:
                    r.adjust(block, source)
            for r in regions:
                if skip:
                    r.evaluator = _not_run
                yield r


def _not_run(example) -> None:
    """The evaluator of a block whose optional dependency is missing."""


DOCS = Sybil(
    parsers=[_Blocks("pycon"), _Blocks("python")],
    patterns=["docs/**/*.md", "docs/*.md", "README.md"],
    name="docs",
)
pytest_collect_file = DOCS.pytest()
