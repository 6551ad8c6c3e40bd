"""debug_nans: NaN provenance for values, tangents and cotangents, with the where hint."""

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad import _core

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def test_off_by_default_and_restored():
    assert not fad.config.debug_nans
    with fad.debug_nans():
        assert fad.config.debug_nans
    assert not fad.config.debug_nans
    fad.config.update("debug_nans", True)
    try:
        assert fad.config.debug_nans
    finally:
        fad.config.update("debug_nans", False)
    assert _core.EvalTrace.process is _core.EvalTrace.__dict__["process"]
    with pytest.raises(KeyError, match="debug_nans"):
        fad.config.update("no_such_option", True)


def test_value_nan_names_primitive_transform_and_line():
    with fad.debug_nans(), pytest.raises(fad.NaNError) as e:
        fad.grad(lambda x: np.sqrt(x - 2.0))(1.0)
    msg = str(e.value)
    assert "'sqrt'" in msg and "fad.grad" in msg and "test_debug_nans.py" in msg


def test_where_trap_hint_in_reverse_mode():
    with fad.debug_nans(), pytest.raises(fad.NaNError, match="where` trap") as e:
        fad.grad(lambda x: np.where(x > 0, np.log(x), 0.0))(0.0)
    assert "reverse rule of 'log'" in str(e.value)
    # the safe pattern passes
    with fad.debug_nans():
        safe = fad.grad(lambda x: np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), 0.0))(0.0)
    assert safe == 0.0


def test_tangent_nan_in_forward_mode():
    with fad.debug_nans(), pytest.raises(fad.NaNError, match="tangent computed by the forward-mode rule"):
        fad.jvp(lambda x: np.sqrt(x) * 0.0 + x, (0.0,), (1.0,))


def test_under_vmap_and_nesting():
    with fad.debug_nans(), pytest.raises(fad.NaNError, match="fad.vmap"):
        fad.vmap(np.log)(onp.array([1.0, -1.0]))
    with fad.debug_nans(), pytest.raises(fad.NaNError):
        fad.grad(fad.grad(lambda x: np.sqrt(x - 2.0)))(1.0)


def test_no_false_alarm_and_nan_inputs_are_not_blamed():
    with fad.debug_nans():
        assert fad.grad(np.sin)(0.0) == 1.0
        onp.testing.assert_allclose(fad.hessian(lambda x: np.sum(x**3))(onp.ones(2)), 6 * onp.eye(2))
        out = np.add(onp.array([onp.nan]), 1.0)  # NaN in, NaN out: not a new NaN
    assert onp.isnan(out).all()
    # off: NaN flows silently, as in NumPy
    assert onp.isnan(fad.grad(lambda x: np.where(x > 0, np.log(x), 0.0))(0.0))
