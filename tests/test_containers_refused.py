"""A container passed where fad.numpy expects an array is refused with a message naming the
function and the fixes; it used to go through silently (``fnp.sum({"a": 1.0})`` returned the
dict, ``fnp.asarray`` made an object array, ``fnp.stack`` stacked the keys)."""

import inspect
from collections import OrderedDict

import numpy as np
import pytest

import fad
import fad.numpy as fnp

CONTAINERS = [{"a": 1.0}, OrderedDict(a=1.0), {1.0, 2.0}]
ARRAY = np.array([0.5, 1.5])


def _public():
    for name in sorted(dir(fnp)):
        f = getattr(fnp, name)
        if name.startswith("_") or not inspect.isfunction(f) or name in ("at",):
            continue
        yield name, f


def _n_required(f):
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):  # pragma: no cover
        return 1
    return sum(
        1
        for p in sig.parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    )


@pytest.mark.parametrize("container", CONTAINERS, ids=["dict", "OrderedDict", "set"])
def test_no_fad_numpy_function_silently_accepts_a_container(container):
    silent = []
    for name, f in _public():
        n = _n_required(f)
        if n == 0:
            continue
        for pos in range(min(n, 2)):  # the container in the first and in the second array slot
            args = [ARRAY] * n
            args[pos] = container
            try:
                f(*args)
            except (TypeError, ValueError, np.exceptions.AxisError, IndexError, NotImplementedError):
                continue
            silent.append(f"{name}(arg {pos})")
    # functions whose argument in that slot is not an array (a shape, a count, an axis ...)
    # may legitimately accept the value or fail in their own way; everything else refuses
    allowed = {
        "zeros(arg 0)",
        "ones(arg 0)",
        "empty(arg 0)",
        # type queries answer for any object, as NumPy's
        *("isscalar(arg 0)", "iterable(arg 0)", "min_scalar_type(arg 0)", "mintypecode(arg 0)"),
    }
    assert sorted(set(silent) - allowed) == [], silent


@pytest.mark.parametrize(
    "call",
    [
        lambda d: fnp.sum(d),
        lambda d: fnp.asarray(d),
        lambda d: fnp.stack(d),
        lambda d: fnp.transpose(d),
        lambda d: fnp.cumsum(d),
        lambda d: fnp.zeros_like(d),
        lambda d: fnp.asarray([d, d]),
        lambda d: fnp.sin(d),
        lambda d: fnp.add(d, 1.0),
    ],
)
def test_the_message_names_the_function_and_the_fixes(call):
    with pytest.raises(
        TypeError, match=r"got a (list holding a )?dict .* where an array is expected.*tree_map"
    ):
        call({"a": 1.0})


def test_under_a_transform_too():
    # the leaves of a dict argument are traced; the dict itself is not an array
    with pytest.raises(TypeError, match=r"fad.numpy.sum got a dict"):
        fad.grad(lambda p: fnp.sum(p))({"a": 1.0})
    # the fixes from the message work
    g = fad.grad(lambda p: fnp.sum(fnp.stack(list(p.values()))))({"a": 1.0, "b": 2.0})
    assert g == {"a": 1.0, "b": 1.0}
    leaves = fad.tree_util.tree_map(fnp.sin, {"a": 0.0})
    assert leaves == {"a": 0.0}


def test_array_likes_still_work():
    class Wrapped:
        def __array__(self, dtype=None, copy=None):
            return np.arange(3.0)

    np.testing.assert_array_equal(fnp.sum(Wrapped()), 3.0)
    assert fnp.sum([1.0, 2.0]) == 3.0 and fnp.sum((1, 2)) == 3
    from fractions import Fraction

    assert fnp.sum(np.float32(2)) == 2.0 and fnp.ndim(Fraction(1, 2)) == 0
