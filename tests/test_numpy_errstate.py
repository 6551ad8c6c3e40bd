"""fad.numpy's seterr / geterr / seterrcall / geterrcall / errstate: NumPy's meaning, also
inside transformed functions, where fad runs NumPy under its own error state so that
floating-point warnings point at the user's line (fad._fpe); and fad.numpy.random."""

import warnings

import numpy as np
import pytest

import fad
import fad.numpy as fnp


@pytest.fixture(autouse=True)
def _restore_error_state():
    old, old_call = np.geterr(), np.geterrcall()
    yield
    np.seterr(**old)
    np.seterrcall(old_call)


def _warnings(fn, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(*args)
    return [(str(w.message), w.lineno) for w in caught]


def test_outside_transforms_they_are_numpys():
    old = fnp.seterr(divide="ignore")
    assert old == np.geterr() | {"divide": old["divide"]}
    assert fnp.geterr() == np.geterr() and np.geterr()["divide"] == "ignore"
    with fnp.errstate(divide="raise"):
        assert np.geterr()["divide"] == "raise"
        with pytest.raises(FloatingPointError):
            fnp.log(0.0)
    assert np.geterr()["divide"] == "ignore"


@pytest.mark.parametrize("transform", ["grad", "jvp", "vmap", "jit"])
def test_geterr_inside_a_transform_reports_the_users_state(transform):
    np.seterr(divide="warn", invalid="ignore")
    seen = {}

    def f(x):
        seen.update(fnp.geterr())
        return fnp.sin(x).sum()

    x = np.array([0.5, 1.0])
    {
        "grad": lambda: fad.grad(f)(x),
        "jvp": lambda: fad.jvp(f, (x,), (x,)),
        "vmap": lambda: fad.vmap(f)(x[:, None]),
        "jit": lambda: fad.jit(f)(x),
    }[transform]()
    assert seen["divide"] == "warn" and seen["invalid"] == "ignore"


def test_seterr_inside_grad_lasts_after_it_as_numpys_does():
    np.seterr(divide="warn")

    def f(x):
        old = fnp.seterr(divide="ignore")
        assert old["divide"] == "warn"
        return x + fnp.exp(fnp.log(np.zeros(())))

    assert fad.grad(f)(1.0) == 1.0
    assert np.geterr()["divide"] == "ignore"
    assert _warnings(fnp.log, 0.0) == []


def test_errstate_inside_grad_silences_its_block_only_and_keeps_attribution():
    np.seterr(divide="warn")

    def f(x):
        with fnp.errstate(divide="ignore"):
            quiet = fnp.log(x * 0.0)
        loud = fnp.log(x * 0.0)  # the line the warning must name
        return quiet.clip(-1, 1) + loud.clip(-1, 1) + x

    loud_line = f.__code__.co_firstlineno + 3
    caught = _warnings(fad.value_and_grad(f), 1.0)
    forward = [c for c in caught if c[0] == "divide by zero encountered in log" and c[1] == loud_line]
    assert len(forward) == 1, caught  # the block's log is silent, the other one names its line
    assert np.geterr()["divide"] == "warn"


def test_errstate_raise_inside_a_transform_raises():
    def f(x):
        with fnp.errstate(divide="raise"):
            return fnp.log(x * 0.0)

    with pytest.raises(FloatingPointError):
        fad.grad(f)(1.0)
    assert np.geterr()["divide"] != "raise"


def test_errstate_is_a_decorator_too():
    @fnp.errstate(all="ignore")
    def f(x):
        return fnp.log(x - x)

    assert _warnings(fad.jvp, f, (1.0,), (1.0,)) == []


def test_seterrcall_is_called_inside_a_transform():
    calls = []
    fnp.seterrcall(lambda kind, flag: calls.append(kind))
    fnp.seterr(divide="call")
    assert fnp.geterrcall() is not None
    assert fad.grad(lambda x: x + fnp.exp(fnp.log(np.zeros(()))))(1.0) == 1.0
    assert "divide by zero" in calls


def test_random_is_numpys():
    import fad.numpy.random as npr

    npr.seed(0)
    a = npr.randn(3)
    np.random.seed(0)
    np.testing.assert_array_equal(a, np.random.randn(3))
    assert npr.default_rng is np.random.default_rng
    assert fnp.random.normal is np.random.normal
    # noise made inside a transformed function is a constant of it
    assert fad.grad(lambda x: (x * npr.uniform(1.0, 1.0, 3)).sum())(np.ones(3)).tolist() == [1.0] * 3
