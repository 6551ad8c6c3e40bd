"""Completeness is a test: every registered primitive has every rule (or an explicit
"not differentiable" mark) and is exercised by a test record, and every exported fad.numpy
function has a test record."""

import functools
import importlib
import json
import pkgutil
import subprocess
import sys

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad._core import REGISTRY, EvalTrace, use_trace
from fad._rules import BROADCASTING_RULES
from tests.records import all_records


def _own_primitive_names():
    """The primitives fad itself declares: importing every module of the package in a fresh
    interpreter (the tests declare primitives of their own)."""
    code = (
        "import importlib, json, pkgutil, fad\n"
        "for m in pkgutil.walk_packages(fad.__path__, 'fad.'):\n"
        "    if m.name != 'fad.__main__': importlib.import_module(m.name)\n"
        "from fad._core import REGISTRY\n"
        "print(json.dumps(sorted(REGISTRY)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


for _m in pkgutil.walk_packages(fad.__path__, "fad."):
    if _m.name != "fad.__main__":
        importlib.import_module(_m.name)

OWN = _own_primitive_names()
PRIMS = [(name, REGISTRY[name]) for name in OWN]

#: How many primitives fad declares: a new primitive updates this count, and so meets every
#: check below.
N_PRIMITIVES = 197

#: The primitives with a direct Taylor rule (``prim.taylor``); every other differentiable
#: primitive gets the one fad.jet derives from its forward rule.
DIRECT_TAYLOR = {
    *("add", "sub", "neg", "mul", "div", "matmul"),
    *("exp", "log", "sqrt", "sin", "cos", "sinh", "cosh", "tanh"),
    *("reshape", "transpose", "broadcast_to", "reduce_sum", "astype", "getitem", "index_add_zeros", "roll"),
    *("conj", "real", "imag"),
    *("fft", "rfft", "irfft"),
}

#: The primitives the simplifier may swap the operands of.
COMMUTATIVE = {"add", "mul", "maximum", "minimum", "eq", "ne"}

# Known gaps, reported to their owners (strict: the mark must go when the rule lands).
KNOWN_GAPS: dict[str, str] = {}


def _param(name, prim):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name])] if name in KNOWN_GAPS else []
    return pytest.param(name, prim, id=name, marks=marks)


def test_the_number_of_primitives_is_known():
    assert len(OWN) == N_PRIMITIVES, (
        f"fad declares {len(OWN)} primitives, the test expects {N_PRIMITIVES}: update N_PRIMITIVES "
        "(and DIRECT_TAYLOR, COMMUTATIVE or REACHED_BY_RULES if the new one belongs there)"
    )


#: primitives that are not NumPy ufuncs but always return a new array (returns_view=False)
NEW_ARRAYS = {"matmul"}


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
    # Taylor mode: a direct rule where DIRECT_TAYLOR says so, else the one derived from jvp
    if name in DIRECT_TAYLOR:
        assert callable(prim.taylor), f"'{name}' should declare a direct Taylor rule"
    else:
        assert prim.taylor is None, f"'{name}' has a direct Taylor rule: add it to DIRECT_TAYLOR"
    # what the tape keeps: declared by every differentiable elementwise primitive
    if prim.differentiable and prim.batch in BROADCASTING_RULES:
        assert prim.residuals is not None, f"elementwise '{name}' does not declare what its vjp reads"
    if prim.residuals is not None:
        for keep_ans, keep_args in prim.residuals:
            assert isinstance(keep_ans, bool) and len(keep_args) == len(prim.residuals), name
    # what jit and staging read: a NumPy ufunc makes new arrays and takes Python numbers
    ufunc = isinstance(prim.impl, onp.ufunc)
    assert prim.takes_scalars == ufunc and prim.returns_view == (not ufunc and name not in NEW_ARRAYS), name
    assert prim.commutative == (name in COMMUTATIVE), name


# ---------------------------------------------------------------- primitive coverage


class _Recorder(EvalTrace):
    """Evaluates like the bottom trace, noting every primitive that reaches it."""

    __slots__ = ("seen",)

    def process(self, prim, args, params):
        self.seen.add(prim.name)
        return super().process(prim, args, params)


#: Primitives no record's function, derivative or batched run reaches directly, and where
#: their rules are tested instead.
REACHED_BY_RULES: dict[str, str] = {
    "any_in_batch": "lax.while_loop under vmap: tests/test_lax_batched.py",
    "take_rows": "lax.cond and lax.switch under vmap: tests/test_lax_batched.py",
    "put_rows": "lax.cond and lax.switch under vmap: tests/test_lax_batched.py",
    "check_distinct": "x.at[i] updates with a traced index: tests/test_indexing.py",
    "scipy_optimize_solve": "fad.scipy.optimize.root and fixed_point: tests/test_scipy_optimize.py",
    "while": "lax.while_loop and fori_loop under jit: tests/test_jit_loops.py",
    "while_rev": "reverse mode through a staged while loop: tests/test_jit_loops.py",
    "scan": "lax.scan and fori_loop under jit: tests/test_jit_loops.py",
    "pure_callback": "fad.pure_callback under every transform: tests/test_callback.py",
    "io_callback": "fad.experimental.io_callback under jit and vmap: tests/test_callback.py",
}


@functools.cache
def exercised():
    """The primitives the test records reach: each record's function evaluated, then
    differentiated in both modes and batched (as tests/test_op_records.py runs them)."""
    rec = _Recorder(None, "record")
    rec.seen = set()
    with use_trace(rec), onp.errstate(all="ignore"):
        for r in all_records():
            args = r.args()
            try:
                out = r.fun(*args)
                if r.orders > 0:
                    fad.jvp(r.fun, args, tuple(onp.ones_like(a) for a in args))
                    _, pull = fad.vjp(r.fun, *args)
                    pull(onp.ones_like(out))
                if r.vmap:
                    fad.vmap(r.fun)(*(onp.stack([a, a]) for a in args))
            except Exception:  # noqa: BLE001 - a record's own test reports its failure
                pass
    return rec.seen


def test_every_primitive_is_exercised_by_a_test_record():
    missing = {n for n in OWN if n not in exercised()}
    assert missing == set(REACHED_BY_RULES), (
        f"no test record reaches {sorted(missing - set(REACHED_BY_RULES))}: add a record in "
        "tests/records/ for the function that uses it (or, if only other rules reach it, name "
        f"the test in REACHED_BY_RULES); stale REACHED_BY_RULES entries: "
        f"{sorted(set(REACHED_BY_RULES) - missing)}"
    )


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
