"""fad.jit: results the caller owns, Python-scalar arguments as 0-d arrays, and capture
in time linear in the program's length."""

import time
import warnings

import numpy as onp
import pytest

import fad
import fad._jit as jit_module
import fad.numpy as np
from fad import _passes, _staging
from fad.test_util import check_grads

A = onp.array([[1.0, 2, 0], [0, 1, -1]])
RNG = onp.random.default_rng(3)

# The three ways a program runs: one generated function; interpreted (a long program's
# first calls); generated in chunks (a long program after _TIER_CALLS calls).
STRATEGIES = {
    "straight": dict(_LONG=2000),
    "interpreted": dict(_LONG=0, _TIER_CALLS=10**9),
    "chunked": dict(_LONG=0, _TIER_CALLS=1, _CHUNK=2),
}


@pytest.fixture(params=sorted(STRATEGIES))
def strategy(request, monkeypatch):
    for k, v in STRATEGIES[request.param].items():
        monkeypatch.setattr(jit_module, k, v)
    return request.param


def _mutate(tree):
    for leaf in fad.tree_util.tree_leaves(tree):
        if isinstance(leaf, onp.ndarray):
            assert leaf.flags.writeable, "a jit result must be writable"
            leaf[...] = 1e6


def _stable(jitted, *args):
    """Mutating what ``jitted`` returned changes neither a later result nor the inputs."""
    first = jitted(*args)
    expected = fad.tree_util.tree_map(onp.copy, first)
    before = fad.tree_util.tree_map(onp.copy, args)
    _mutate(first)
    again = jitted(*args)
    for a, b in zip(fad.tree_util.tree_leaves(again), fad.tree_util.tree_leaves(expected), strict=True):
        onp.testing.assert_array_equal(a, b)
    for a, b in zip(fad.tree_util.tree_leaves(args), fad.tree_util.tree_leaves(before), strict=True):
        onp.testing.assert_array_equal(a, b)
    return again


# ------------------------------------------------------------------- 1. ownership

OWNERSHIP = {
    "jacrev_linear": (fad.jacrev(lambda v: A @ v), (onp.ones(3),)),
    "jacfwd_linear": (fad.jacfwd(lambda v: A @ v), (onp.ones(3),)),
    "hessian_quadratic": (fad.hessian(lambda v: v @ (A.T @ A) @ v), (onp.ones(3),)),
    "grad_linear": (fad.grad(lambda v: np.sum(A @ v)), (onp.ones(3),)),
    "ones": (lambda v: np.ones(3), (onp.ones(2),)),
    "jvp_linear": (lambda v, t: fad.jvp(lambda u: A @ u, (v,), (t,)), (onp.ones(3), onp.ones(3))),
    "identity": (lambda x: x, (onp.arange(3.0),)),
    "identity_pytree": (lambda d: {"a": d["a"], "b": (d["b"],)}, ({"a": onp.ones(2), "b": onp.zeros(3)},)),
    "transpose_view": (lambda x: x.T, (onp.arange(6.0).reshape(2, 3),)),
    "slice_view": (lambda x: x[1:], (onp.arange(4.0),)),
    "reshape_view": (lambda x: x.reshape(3, 2), (onp.arange(6.0),)),
    "broadcast_readonly": (lambda x: np.broadcast_to(np.sum(x), (3, 3)), (onp.ones(2),)),
    "broadcast_constant": (lambda x: np.broadcast_to(A[0], (2, 3)) + 0 * np.sum(x), (onp.ones(2),)),
    "cse_duplicates": (lambda x: (x * 2, x * 2), (onp.ones(2),)),
    "same_output_twice": (lambda x: (np.sin(x),) * 3, (onp.ones(2),)),
    "output_and_its_view": (lambda x: (np.sin(x), np.sin(x).reshape(2, 1)), (onp.ones(2),)),
    "view_and_its_base": (lambda x: (np.sin(x).T, np.sin(x)), (onp.ones((2, 2)),)),
    "input_and_its_view": (lambda x: (x, x.T, x[0]), (onp.ones((2, 2)),)),
    "constant_twice": (lambda x: (np.zeros(2), np.zeros(2), x), (onp.ones(2),)),
    "value_and_grad": (fad.value_and_grad(lambda v: np.sum(v**2)), (onp.ones(3),)),
}


@pytest.mark.parametrize("name", sorted(OWNERSHIP))
def test_results_are_owned_by_the_caller(name, strategy):
    f, args = OWNERSHIP[name]
    got = _stable(fad.jit(f), *args)
    for a, b in zip(fad.tree_util.tree_leaves(got), fad.tree_util.tree_leaves(f(*args)), strict=True):
        onp.testing.assert_allclose(a, b)
    leaves = [x for x in fad.tree_util.tree_leaves(got) if isinstance(x, onp.ndarray)]
    for i, x in enumerate(leaves):  # no two results, and no result and input, share memory
        assert x.flags.writeable
        for y in leaves[i + 1 :] + [a for a in fad.tree_util.tree_leaves(args) if isinstance(a, onp.ndarray)]:
            assert not onp.shares_memory(x, y)


def test_the_reported_cases():
    J = fad.jit(fad.jacrev(lambda v: A @ v))
    j = J(onp.ones(3))
    j *= 10
    onp.testing.assert_array_equal(J(onp.ones(3)), A)
    quad = lambda v: 0.5 * v @ (A.T @ A) @ v  # noqa: E731
    H = fad.jit(fad.hessian(quad))
    h = H(onp.ones(3))
    h += 0.1 * onp.eye(3)  # damping in place
    onp.testing.assert_allclose(H(onp.ones(3)), A.T @ A)
    ones = fad.jit(lambda v: np.ones(3))
    o = ones(onp.ones(2))
    o[0] = 5.0
    onp.testing.assert_array_equal(ones(onp.ones(2)), onp.ones(3))


def test_identity_matches_eager_types():
    # a Python scalar is immutable and comes back as it went in; a NumPy scalar too; an
    # array comes back as a copy (eager transforms hand out copies of their inputs too)
    assert type(fad.jit(lambda x: x)(1.5)) is float
    assert type(fad.jit(lambda x: x)(onp.float64(1.5))) is onp.float64
    x = onp.ones(3)
    y = fad.jit(lambda x: x)(x)
    assert y is not x and not onp.shares_memory(x, y)
    assert fad.jvp(lambda x: x, (x,), (x,))[0] is not x


def test_constant_results_under_an_outer_transform_are_copies():
    f = fad.jit(lambda v: (np.ones(3), v * 2.0))
    (c, _), (t, _) = fad.jvp(f, (onp.ones(2),), (onp.ones(2),))
    c[...] = 7.0
    onp.testing.assert_array_equal(f(onp.ones(2))[0], onp.ones(3))
    onp.testing.assert_array_equal(fad.jvp(f, (onp.ones(2),), (onp.ones(2),))[0][0], onp.ones(3))


def test_owned_results_under_transforms(strategy):
    def f(x):
        y = np.sin(x) * x
        return np.sum(y.reshape(2, 2).T @ A[:, :2].T), y

    x = RNG.standard_normal(4)
    jf = fad.jit(f)
    check_grads(lambda v: jf(v)[0], (x,), order=2)
    check_grads(fad.jit(fad.grad(lambda v: jf(v)[0])), (x,), order=1)
    onp.testing.assert_allclose(fad.jacfwd(jf)(x)[1], fad.jacrev(jf)(x)[1], rtol=1e-12)
    onp.testing.assert_allclose(
        fad.jit(fad.jacfwd(lambda v: f(v)[1]))(x), fad.jit(fad.jacrev(lambda v: f(v)[1]))(x), rtol=1e-12
    )
    xs = RNG.standard_normal((3, 4))
    batched = fad.vmap(jf)(xs)
    for k in range(3):
        for a, b in zip(batched, jf(xs[k]), strict=True):
            onp.testing.assert_allclose(a[k], b, rtol=1e-12)
    _stable(fad.jit(fad.vmap(f)), xs)
    _stable(fad.jit(fad.hessian(lambda v: jf(v)[0])), x)


# ---------------------------------------------------- 2. Python scalars as 0-d arrays

XP = onp.array([0.0, 1.0, 2.5, 4.0])
FP = onp.array([1.0, -1.0, 3.0, 0.5])

SCALAR_CASES = {
    "interp": lambda s: np.interp(s, XP, FP),
    "interp_period": lambda s: np.interp(s, XP, FP, period=3.0),
    "searchsorted": lambda s: np.searchsorted(XP, s),
    "searchsorted_right": lambda s: np.searchsorted(XP, s, side="right"),
    "digitize": lambda s: np.digitize(s, XP),
    "index_none": lambda s: s[None] * 2.0,
    "index_empty": lambda s: s[()] + 1.0,
    "reshape": lambda s: np.reshape(s, (1, 1)),
    "method_reshape": lambda s: s.reshape(1),
    "shape_ndim": lambda s: s + s.ndim + len(s.shape),
    "broadcast_to": lambda s: np.broadcast_to(s, (2, 3)),
    "expand_dims": lambda s: np.expand_dims(s, 0),
    "atleast_2d": lambda s: np.atleast_2d(s),
    "sum_axis_none": lambda s: np.sum(s),
    "mean": lambda s: np.mean(s),
    "max": lambda s: np.max(s),
    "cumsum": lambda s: np.cumsum(s),
    "where": lambda s: np.where(s > 1.0, s, 0.0),
    "clip": lambda s: np.clip(s, 0.0, 1.0),
    "polyval": lambda s: np.polyval(FP, s),
    "take": lambda s: np.take(FP, 2) * s,
    "stack": lambda s: np.stack([s, s * 2]),
    "astype": lambda s: s.astype(onp.float32),
}


@pytest.mark.parametrize("name", sorted(SCALAR_CASES))
@pytest.mark.parametrize("s", [0.5, 3.25, 7.0])
def test_python_scalar_arguments_behave_as_0d_arrays(name, s):
    f = SCALAR_CASES[name]
    want = f(onp.asarray(s))
    got = fad.jit(f)(s)
    onp.testing.assert_allclose(got, want, rtol=1e-15)
    assert onp.asarray(got).dtype == onp.asarray(want).dtype
    onp.testing.assert_allclose(fad.jit(f)(s + 0.125), f(onp.asarray(s + 0.125)), rtol=1e-15)


def test_python_scalar_arguments_under_transforms():
    f = lambda s: np.interp(s, XP, FP) * s[None][0]  # noqa: E731
    for s in (0.5, 1.75, 3.0):
        onp.testing.assert_allclose(fad.grad(fad.jit(f))(s), fad.grad(f)(s), rtol=1e-12)
        onp.testing.assert_allclose(fad.jit(fad.grad(f))(s), fad.grad(f)(s), rtol=1e-12)
    check_grads(fad.jit(f), (0.6,), order=2)
    xs = onp.array([0.5, 1.5, 3.5])
    onp.testing.assert_allclose(fad.vmap(fad.jit(f))(xs), [f(onp.asarray(v)) for v in xs], rtol=1e-12)


def test_python_scalar_keeps_numpy_weak_promotion():
    x32 = onp.ones(3, onp.float32)
    assert fad.jit(lambda x, s: x * s)(x32, 2.0).dtype == onp.float32
    assert fad.jit(lambda s: np.where(True, s, x32))(0.5).dtype == onp.float32
    # once an operation needs a real array, the scalar is one (as numpy.asarray makes it)
    assert fad.jit(lambda s: s[None] * x32)(0.5).dtype == (onp.asarray(0.5)[None] * x32).dtype


def _numpy_unary_functions():
    """Every fad.numpy function NumPy evaluates on a Python scalar (and fad eagerly too)."""
    out = []
    for name in sorted(dir(np)):
        f, g = getattr(np, name), getattr(onp, name, None)
        if name.startswith("_") or not callable(f) or not callable(g) or isinstance(g, type):
            continue
        try:
            with warnings.catch_warnings(), onp.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                if onp.asarray(g(0.5)).dtype.kind not in "biufc":
                    continue
                f(0.5)
        except Exception:  # not a function of one array, or not for a scalar
            continue
        out.append(name)
    return out


# size arguments, data-dependent shapes and uninitialised memory: not functions of a value
NOT_OF_A_VALUE = {"arange", "argwhere", "flatnonzero", "diag_indices", "tri", "tril_indices", "triu_indices"}
NOT_OF_A_VALUE |= {"empty_like", "indices", "identity", "eye", "zeros", "ones", "empty", "linspace"}
NOT_OF_A_VALUE |= {"logspace", "geomspace", "full", "nonzero", "where"}
NOT_OF_A_VALUE |= {"bartlett", "blackman", "hamming", "hanning"}  # a window's length
NOT_OF_A_VALUE |= {"unique", "unique_counts", "unique_values", "trim_zeros", "asarray_chkfinite"}
NOT_OF_A_VALUE |= {"isscalar"}  # a type query: a staged scalar is an array (as in JAX)


@pytest.mark.parametrize("name", [n for n in _numpy_unary_functions() if n not in NOT_OF_A_VALUE])
def test_every_function_of_an_array_takes_a_python_scalar_under_jit(name):
    f = getattr(np, name)
    for s in (0.5, 2):
        with warnings.catch_warnings(), onp.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            want = f(s)
            got = fad.jit(lambda v: f(v))(s)  # noqa: B023
        for a, b in zip(fad.tree_util.tree_leaves(got), fad.tree_util.tree_leaves(want), strict=True):
            onp.testing.assert_allclose(onp.asarray(a), onp.asarray(b), rtol=1e-14, equal_nan=True)
            assert onp.asarray(a).dtype == onp.asarray(b).dtype, name


# ------------------------------------------------------- 3. capture in linear time


def _chain(n):
    def f(x):
        for i in range(n):
            x = np.sin(x) * 1.0001 + 0.1 * (i % 3)
        return x

    return f


def _first_call_time(n):
    x = onp.ones(10)
    best = float("inf")
    for _ in range(2):
        f = fad.jit(_chain(n))
        t = time.process_time()
        f(x)
        best = min(best, time.process_time() - t)
    return best


def test_capture_time_per_operation_does_not_grow():
    small, large = 5_000, 20_000
    per_op_small = _first_call_time(small) / small
    per_op_large = _first_call_time(large) / large
    assert per_op_large < 2.5 * per_op_small, (per_op_small, per_op_large)


def test_long_programs_run_interpreted_then_compiled():
    n = 1_000  # 3,000 equations: over _LONG
    f = _chain(n)
    x = RNG.standard_normal(10)
    jf = fad.jit(f)
    want = f(x)
    for _ in range(jit_module._TIER_CALLS + 2):
        onp.testing.assert_array_equal(jf(x), want)
    (entry,) = [e for e in [jf.program(x)] if e is not None]
    assert len(entry) > jit_module._LONG
    g = fad.jit(fad.grad(lambda v: np.sum(f(v))))
    for _ in range(3):
        onp.testing.assert_allclose(g(x), fad.grad(lambda v: np.sum(f(v)))(x), rtol=1e-12)


def test_long_programs_are_kept_packed_and_rebuilt_equal():
    """A long program is kept as flat lists by its runner (few objects for the garbage
    collector); the program rebuilt from them prints the same, and runs under transforms."""
    f = _chain(1_000)
    x = RNG.standard_normal(10)
    g = lambda v: np.sum(f(v) * v) + 2.5  # noqa: E731
    prog = _passes.simplify(_staging.capture(fad.grad(g), (x,), name="g"))
    runner = jit_module.compile_program(prog)
    assert type(runner) is jit_module._Runner
    assert str(runner.program()) == str(prog)
    jg = fad.jit(fad.grad(g))
    onp.testing.assert_allclose(jg(x), fad.grad(g)(x), rtol=1e-12)
    # under a transform the jitted program runs primitive by primitive (rebuilt from its pack)
    jf = fad.jit(g)
    jf(x)
    onp.testing.assert_allclose(fad.grad(jf)(x), fad.grad(g)(x), rtol=1e-12)
    onp.testing.assert_allclose(fad.vmap(jf)(onp.stack([x, 2 * x])), [g(x), g(2 * x)], rtol=1e-12)
