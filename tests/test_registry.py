"""Completeness is a test: every registered primitive has every rule (or an explicit
"not differentiable" mark), and every exported fad.numpy function has a test record."""

import functools
import importlib

import pytest

import fad
import fad.numpy as fnp
from fad._core import REGISTRY
from tests.records import all_records

# Import the optional packages so that their primitives are registered too.
for _mod in ("fad.scipy", "fad.lax", "fad.extend", "fad.numpy.linalg"):
    try:
        importlib.import_module(_mod)
    except ImportError:
        pass

PRIMS = sorted((name, p) for name, p in REGISTRY.items() if not name.startswith("_test_"))

# Known gaps, reported to their owners (strict: the mark must go when the rule lands).
KNOWN_GAPS: dict[str, str] = {}


def _param(name, prim):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name])] if name in KNOWN_GAPS else []
    return pytest.param(name, prim, id=name, marks=marks)


@pytest.mark.parametrize("name, prim", [_param(n, p) for n, p in PRIMS])
def test_primitive_has_every_rule(name, prim):
    assert prim.name == name
    assert callable(prim.impl), f"primitive '{name}' has no impl"
    assert callable(prim.batch), f"primitive '{name}' has no batching (vmap) rule"
    if prim.differentiable:
        assert callable(prim.jvp) and callable(prim.vjp), (
            f"primitive '{name}' is differentiable but lacks a "
            f"{'jvp' if prim.jvp is None else 'vjp'} rule; give it one, or declare it with "
            "differentiable=False if its derivative is zero"
        )


def test_registry_is_not_empty():
    assert len(PRIMS) >= 20


# ------------------------------------------------------------------- record coverage


def _is_exported_function(name, obj):
    if name.startswith("_") or not callable(obj):
        return False
    if isinstance(obj, type):  # dtypes and scalar types (float64, ndarray, dtype, bool_, ...)
        return False
    return True


def exported_numpy_functions():
    return sorted(name for name in dir(fnp) if _is_exported_function(name, getattr(fnp, name)))


@functools.cache
def recorded_names():
    return frozenset(r.name for r in all_records())


FIRST_SET = """
add subtract multiply divide true_divide power negative positive square exp log sin cos tan
tanh sqrt abs absolute sign maximum minimum where equal not_equal less less_equal greater
greater_equal sum mean max min amax amin reshape ravel transpose moveaxis swapaxes broadcast_to
expand_dims squeeze concatenate stack dot matmul tensordot vdot inner outer
arange array asarray empty empty_like eye full full_like identity linspace ones ones_like zeros
zeros_like ndim shape size nonzero
""".split()


def test_first_primitive_set_is_exported_and_recorded():
    missing_export = [n for n in FIRST_SET if not hasattr(fnp, n)]
    assert not missing_export, missing_export
    missing = [n for n in FIRST_SET if f"numpy.{n}" not in recorded_names()]
    assert not missing, f"no record for: {missing}"


@pytest.mark.parametrize("name", exported_numpy_functions())
def test_exported_function_has_a_record(name):
    assert f"numpy.{name}" in recorded_names(), (
        f"fad.numpy.{name} is exported but has no test record: add "
        f'Rec("numpy.{name}", ...) to a module in tests/records/'
    )


def test_dtypes_are_not_counted_as_functions():
    names = exported_numpy_functions()
    for t in ("float64", "float32", "ndarray", "dtype", "bool_", "int64"):
        assert t not in names


def _resolve(dotted):
    obj = fad
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("name", sorted({r.name for r in all_records()}))
def test_record_names_an_exported_function(name):
    """A record's name is a real export below fad (catches typos that would hide a gap)."""
    try:
        obj = _resolve(name)
    except AttributeError:
        pytest.fail(f"record name '{name}' does not name anything exported below fad")
    assert callable(obj)
