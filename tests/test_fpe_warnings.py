"""NumPy's floating-point warnings raised while fad runs a user's call point at the user's
line (they pointed at fad/_core.py, and Python's once-per-location rule then hid the rest)."""

import inspect
import threading
import warnings

import numpy as np
import pytest

import fad
import fad.numpy as fnp


def _line():
    return inspect.currentframe().f_back.f_lineno


def _record(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fn()
    return [(x.filename, x.lineno, str(x.message)) for x in w if x.category is RuntimeWarning]


def test_eager_call_warns_at_the_users_line():
    def f():
        fnp.log(0.0)
        return _line() - 1

    rec = []
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        line = f()
    rec = [(x.filename, x.lineno, str(x.message)) for x in w]
    assert rec == [(__file__, line, "divide by zero encountered in log")]


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: fad.grad(f)(0.0),
        lambda f: fad.jvp(f, (0.0,), (1.0,)),
        lambda f: fad.vmap(f)(np.zeros(2)),
        lambda f: fad.jacfwd(f)(0.0),
        lambda f: fad.jacrev(f)(0.0),
        lambda f: fad.hessian(f)(0.0),
        lambda f: fad.vmap(fad.grad(f))(np.zeros(2)),
        lambda f: fad.jet(f, (0.0,), ([1.0],)),
    ],
)
def test_warnings_inside_a_transform_point_at_the_users_line(transform):
    lines = []

    def f(x):
        lines.append(_line() + 1)
        return fnp.log(x)

    rec = _record(lambda: transform(f))
    assert rec, "the log of 0 must warn"
    # the forward log points at f's line; derivative rules (run after f returned) point at
    # the line that called the transform (inside this test module); never at fad's files
    assert all(fn == __file__ for fn, _, _ in rec), rec
    assert lines[0] in [ln for _, ln, _ in rec]
    assert all("encountered in" in m for _, _, m in rec)


def test_numpys_error_modes_keep_their_meaning():
    assert _record(lambda: (fnp.log(0.0), fad.grad(fnp.log)(0.0))) != []
    with np.errstate(divide="ignore"):
        assert _record(lambda: (fnp.log(0.0), fad.grad(fnp.log)(0.0))) == []
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        fad.grad(fnp.log)(0.0)
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        fnp.log(0.0)
    seen = []
    with np.errstate(divide="call", call=lambda kind, flag: seen.append(kind)):
        fad.grad(fnp.log)(0.0)
    assert seen and all(k == "divide by zero" for k in seen)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning, match="divide by zero"):
            fad.grad(fnp.log)(0.0)
    # fad leaves NumPy's state as it found it
    before = np.geterr()
    fad.grad(fnp.log)(0.0)
    assert np.geterr() == before and np.geterrcall() is None


def test_one_warning_per_user_line_not_one_for_all_of_fad():
    # under the default filter (once per location), two different user lines both warn
    def a():
        return fnp.log(0.0)

    def b():
        return fnp.log(0.0)

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("default")
        a()
        b()
    assert len([x for x in w if x.category is RuntimeWarning]) == 2


def test_other_threads_keep_their_own_error_state():
    seen = {}

    def worker():
        seen["err"] = np.geterr()

    with np.errstate(divide="ignore"):
        t = threading.Thread(target=worker)
        fad.grad(fnp.log)(1.0)
        t.start()
        t.join()
    assert seen["err"]["divide"] == "warn"
