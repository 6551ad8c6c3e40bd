"""The docs pages' own code is collected by Sybil (see ``conftest.py`` at the root for the
rule every page follows): these tests check that the collection covers the pages."""

import re
from pathlib import Path

import pytest

import conftest as sybil_conftest  # the root conftest.py (pyproject puts the root on the path)

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
RUNNABLE = re.compile(r"^ *```(pycon|python)\s*$", re.M)


def test_pages_found():
    names = {p.name for p in PAGES}
    assert {"sharp_bits.md", "custom_rules.md", "README.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_runnable_block_is_collected(page):
    """A page with ``pycon`` or ``python`` blocks yields at least one example per block."""
    fences = len(RUNNABLE.findall(page.read_text()))
    document = sybil_conftest.DOCS.parse(page)
    examples = list(document)
    assert len(examples) >= fences, f"{page.name}: {fences} runnable blocks, {len(examples)} examples"


def test_readme_and_docs_are_test_paths():
    """The README's ``python -m pytest`` runs the pages (pyproject's testpaths)."""
    text = (ROOT / "pyproject.toml").read_text()
    paths = re.search(r"^testpaths = \[(.*)\]$", text, re.M).group(1)
    assert '"docs"' in paths and '"README.md"' in paths, paths
