"""Shared fixtures."""

import pytest

from fad._core import REGISTRY, Primitive


@pytest.fixture
def throwaway_primitive():
    """A factory of test-only primitives, removed from fad's registry after the test (so the
    completeness tests never see them)."""
    made = []

    def make(name, impl=None, **kw):
        name = f"_test_{name}"
        assert name not in REGISTRY, name
        prim = Primitive(name, impl, **kw)
        made.append(name)
        return prim

    yield make
    for name in made:
        REGISTRY.pop(name, None)
