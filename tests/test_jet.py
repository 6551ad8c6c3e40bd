"""fad.jet (Taylor mode) against nested forward mode, through every transform."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import fad
import fad.numpy as fnp
import fad.scipy.special  # noqa: F401 - fad.scipy.special.expit etc.
import fad.test_util  # noqa: F401
from fad.extend import Primitive, bind

A = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7]])

# name -> (function of a length-3 vector, a point in its domain)
FUNCTIONS = {
    "tanh": (fnp.tanh, [0.3, -0.5, 1.2]),
    "sin": (fnp.sin, [0.3, -0.5, 1.2]),
    "cos": (fnp.cos, [0.3, -0.5, 1.2]),
    "exp": (fnp.exp, [0.3, -0.5, 1.2]),
    "log": (fnp.log, [0.3, 0.5, 1.2]),
    "sqrt": (fnp.sqrt, [0.3, 0.5, 1.2]),
    "sinh_cosh": (lambda x: fnp.sinh(x) * fnp.cosh(2 * x), [0.3, -0.5, 1.2]),
    "mul_div": (lambda x: x[0] * x[1] / (x[2] + 2.0) - 3.0 / x, [0.3, -0.5, 1.2]),
    "add_sub_neg": (lambda x: -(x + 1.0) - (2.0 - x[::-1]), [0.3, -0.5, 1.2]),
    "matmul": (lambda x: fnp.tanh(A @ fnp.sin(x)), [0.3, -0.5, 1.2]),
    "vecvec": (lambda x: x @ fnp.exp(x), [0.3, -0.5, 1.2]),
    "pow": (lambda x: x**3 + fnp.abs(x) ** 1.5 + 2.0**x, [0.3, -0.5, 1.2]),
    "expit_arctan_erf": (
        lambda x: fad.scipy.special.expit(x) + fnp.arctan(x) + fad.scipy.special.erf(x),
        [0.3, -0.5, 1.2],
    ),
    "logsumexp_max": (lambda x: fad.scipy.special.logsumexp(x) + fnp.max(x**2), [0.3, -0.5, 1.2]),
    "where": (lambda x: fnp.where(x > 0, x**2, fnp.sin(x)), [0.3, -0.5, 1.2]),
    "structural": (
        lambda x: fnp.concatenate([fnp.cumsum(x), x.reshape(3, 1).T[0] * x.sum(), x[[2, 0]]]),
        [0.3, -0.5, 1.2],
    ),
    "linalg": (
        lambda x: (
            fnp.linalg.det(fnp.stack([x[:2], x[1:]]) + fnp.eye(2))
            + fnp.linalg.solve(fnp.diag(x + 2.0), x).sum()
        ),
        [0.3, -0.5, 1.2],
    ),
}


def taylor_by_nested_jvp(f, x, terms):
    """[f_1, ..., f_K]: derivatives at t = 0 of f(x + sum_k terms[k-1] t^k / k!), by nesting
    jvp in the scalar t (exponential cost, fine for small K)."""

    def curve(t):
        return f(x + sum(h * t**k / math.factorial(k) for k, h in enumerate(terms, start=1)))

    out, g = [], curve
    for _ in terms:
        g = (lambda g: lambda t: fad.jvp(g, (t,), (1.0,))[1])(g)
        out.append(g(0.0))
    return out


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("line", [True, False], ids=["line", "curve"])
def test_jet_matches_nested_forward_mode(name, line):
    f, x = FUNCTIONS[name]
    x = np.array(x)
    rng = np.random.default_rng(0)
    terms = [rng.standard_normal(3) if (k == 1 or not line) else np.zeros(3) for k in range(1, 5)]
    y, got = fad.jet(f, (x,), (terms,))
    np.testing.assert_allclose(y, f(x), rtol=1e-13)
    want = taylor_by_nested_jvp(f, x, terms)
    for k, (g, w) in enumerate(zip(got, want, strict=True), start=1):
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-9, err_msg=f"order {k}")


def test_jet_gives_high_derivatives_of_a_scalar_function():
    """The W6 use: the k-th derivative of tanh, as nested grad gives it."""
    g, nested = fnp.tanh, []
    for _ in range(6):
        g = fad.grad(g)
        nested.append(g(0.3))
    y, derivs = fad.jet(fnp.tanh, (0.3,), ([1.0, 0.0, 0.0, 0.0, 0.0, 0.0],))
    np.testing.assert_allclose(derivs, nested, rtol=1e-12)
    # the normalized coefficients are the derivatives over k!
    _, coeffs = fad.jet(fnp.tanh, (0.3,), ([1.0, 0.0, 0.0],), factorial_scaled=False)
    np.testing.assert_allclose(coeffs, [nested[0], nested[1] / 2, nested[2] / 6], rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    hst.floats(0.1, 2),  # away from the poles of mul_div's 3 / x
    hst.lists(hst.floats(-2, 2), min_size=1, max_size=4),
    hst.sampled_from(["tanh", "sin", "exp", "mul_div", "sinh_cosh", "pow"]),
)
def test_jet_property_against_nested_jvp(x0, terms, name):
    f = FUNCTIONS[name][0]
    x = np.full(3, x0) + np.array([0.0, 0.1, 0.2])
    terms = [np.full(3, h) for h in terms]
    _, got = fad.jet(f, (x,), (terms,))
    want = taylor_by_nested_jvp(f, x, terms)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-8, atol=1e-8)


# ----------------------------------------------------------------- under other transforms


def _third(f):
    """x -> the third derivative of f along v = ones, by jet."""
    return lambda x: fad.jet(f, (x,), ([np.ones_like(x), np.zeros_like(x), np.zeros_like(x)],))[1][2]


def _third_nested(f):
    def d(g):
        return lambda x: fad.jvp(g, (x,), (np.ones_like(x),))[1]

    return d(d(d(f)))


def test_grad_of_jet():
    f = FUNCTIONS["matmul"][0]
    x = np.array([0.3, -0.5, 1.2])
    got = fad.grad(lambda x: _third(f)(x).sum())(x)
    want = fad.grad(lambda x: _third_nested(f)(x).sum())(x)
    np.testing.assert_allclose(got, want, rtol=1e-10)
    fad.test_util.check_grads(lambda x: _third(f)(x), (x,), order=1)


def test_jet_of_grad_and_of_jacrev():
    f = FUNCTIONS["sinh_cosh"][0]
    x = np.array([0.3, -0.5, 1.2])
    g = fad.grad(lambda x: f(x).sum())
    np.testing.assert_allclose(_third(g)(x), _third_nested(g)(x), rtol=1e-10)
    j = fad.jacrev(FUNCTIONS["matmul"][0])
    np.testing.assert_allclose(_third(j)(x), _third_nested(j)(x), rtol=1e-10)


def test_vmap_and_jit_of_jet():
    f = FUNCTIONS["mul_div"][0]
    xs = np.random.default_rng(1).standard_normal((4, 3))
    want = np.stack([_third(f)(x) for x in xs])
    np.testing.assert_allclose(fad.vmap(_third(f))(xs), want, rtol=1e-12)
    np.testing.assert_allclose(fad.jit(_third(f))(xs[0]), want[0], rtol=1e-12)
    np.testing.assert_allclose(fad.jit(fad.vmap(_third(f)))(xs), want, rtol=1e-12)


def test_jet_inside_jet_and_no_perturbation_confusion():
    # d/dx [x * d/dy (x * y)] = d/dx x^2 = 2x
    inner = lambda x: x * fad.jet(lambda y: x * y, (2.0,), ([1.0],))[1][0]  # noqa: E731
    _, (d1,) = fad.jet(inner, (1.0,), ([1.0],))
    assert d1 == 2.0
    # second derivative of sin via a jet of a jet
    _, (d1, d2) = fad.jet(lambda x: fad.jet(fnp.sin, (x,), ([1.0],))[1][0], (0.5,), ([1.0, 0.0],))
    np.testing.assert_allclose([d1, d2], [-np.sin(0.5), -np.cos(0.5)], rtol=1e-14)


def test_pytrees_float32_and_constants():
    def f(x, y):
        return {"a": fnp.exp(x) * y, "b": 3.0, "c": (x + y).astype(np.float32)}

    x = np.array([0.5, 1.0], np.float32)
    y = np.float32(2.0)
    out, series = fad.jet(f, (x, y), ([np.ones(2, np.float32), np.zeros(2, np.float32)], [0.0, 0.0]))
    assert set(series) == {"a", "b", "c"}
    assert series["a"][0].dtype == np.float32 and series["c"][1].dtype == np.float32
    np.testing.assert_allclose(series["a"][1], np.exp(x) * 2.0, rtol=1e-6)
    np.testing.assert_array_equal(series["b"][0], 0.0)
    y, empty = fad.jet(lambda x: 2.0 * x, (1.0,), ([],))  # order 0: the value alone
    assert y == 2.0 and empty == []


# -------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: fad.jet(fnp.sin, 1.0, ([1.0],)), TypeError, "tuples or lists"),
        (lambda: fad.jet(fnp.sin, (1.0, 2.0), ([1.0],)), ValueError, "one list of Taylor terms"),
        (lambda: fad.jet(fnp.sin, (1.0,), (1.0,)), TypeError, "list of Taylor terms"),
        (lambda: fad.jet(fnp.add, (1.0, 2.0), ([1.0], [1.0, 0.0])), ValueError, "same number"),
        (lambda: fad.jet(fnp.sin, (np.ones(2),), ([np.ones(3)],)), ValueError, "must match its primal"),
        (lambda: fad.jet(fnp.sin, (1,), ([1],)), TypeError, "floating-point"),
        (lambda: fad.jet(fnp.sin, ((1.0, 2.0),), ([1.0],)), TypeError, "takes arrays"),
        (lambda: fad.jet(3.0, (1.0,), ([1.0],)), TypeError, "callable"),
    ],
)
def test_bad_input_is_a_clear_error(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


def test_primitive_without_forward_rule_is_named():
    p = Primitive("test_no_rules_here", np.sin)
    with pytest.raises(fad.MissingRuleError, match="test_no_rules_here.*Taylor-mode"):
        fad.jet(lambda x: bind(p, x), (1.0,), ([1.0, 0.0],))


def test_escaped_jet_tracer():
    leak = []
    fad.jet(lambda x: leak.append(x) or x, (1.0,), ([1.0],))
    with pytest.raises(fad.EscapedTracerError, match="fad.jet"):
        fnp.sin(leak[0])


def test_jet_through_custom_rules_control_flow_and_multiple_outputs():
    @fad.custom_jvp
    def f(x):
        return fnp.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return f(x), fnp.cos(x) * t

    @fad.custom_vjp
    def g(x):
        return fnp.exp(x)

    g.defvjp(lambda x: (fnp.exp(x), fnp.exp(x)), lambda r, ct: (ct * r,))
    line = ([1.0, 0.0, 0.0],)
    x = 0.5
    np.testing.assert_allclose(fad.jet(f, (x,), line)[1], [np.cos(x), -np.sin(x), -np.cos(x)], rtol=1e-14)
    np.testing.assert_allclose(fad.jet(g, (x,), line)[1], [np.exp(x)] * 3, rtol=1e-14)
    cond = lambda x: fad.lax.cond(x > 0, fnp.sin, fnp.cos, x)  # noqa: E731
    np.testing.assert_allclose(fad.jet(cond, (x,), line)[1], [np.cos(x), -np.sin(x), -np.cos(x)], rtol=1e-14)
    remat = fad.checkpoint(fnp.sin)
    np.testing.assert_allclose(fad.jet(remat, (x,), line)[1], [np.cos(x), -np.sin(x), -np.cos(x)], rtol=1e-14)

    def eigenvalues(x):  # eigh has two outputs
        return fnp.linalg.eigh(fnp.stack([fnp.stack([x, 1.0 + 0 * x]), fnp.array([1.0, 2.0])]))[0]

    got = fad.jet(eigenvalues, (x,), line)[1]
    want = taylor_by_nested_jvp(eigenvalues, x, [1.0, 0.0, 0.0])
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_jet_under_forward_mode_and_hessian():
    f = FUNCTIONS["tanh"][0]
    x = np.array([0.3, -0.5, 1.2])
    got, want = _third(lambda x: f(x).sum()), _third_nested(lambda x: f(x).sum())
    np.testing.assert_allclose(fad.jacfwd(got)(x), fad.jacfwd(want)(x), rtol=1e-10)
    v = np.array([1.0, 2.0, -1.0])
    np.testing.assert_allclose(fad.jvp(got, (x,), (v,))[1], fad.jvp(want, (x,), (v,))[1], rtol=1e-10)
    np.testing.assert_allclose(fad.hessian(got)(x), fad.hessian(want)(x), rtol=1e-9)
    per_point = fad.vmap(fad.grad(got))(np.stack([x, x + 0.1]))
    np.testing.assert_allclose(per_point[1], fad.grad(want)(x + 0.1), rtol=1e-10)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_taylor_rule_under_vmap(name):
    """Each function's third-order jet, batched over points by vmap, against a loop."""
    f, x = FUNCTIONS[name]
    xs = np.array(x) * np.array([[1.0], [0.9], [1.1]])  # three points inside the domain
    np.testing.assert_allclose(
        fad.vmap(_third(f))(xs), np.stack([_third(f)(p) for p in xs]), rtol=1e-12, atol=1e-12
    )


# name -> (arguments, parameters) for each primitive with a direct Taylor rule
_X = np.array([[0.3, -0.5, 1.2], [0.7, 0.2, -0.4]])
DIRECT = {
    "fft": ((_X + 0.5j,), {"axes": (1,), "inverse": False, "norm": "backward"}),
    "rfft": ((_X,), {"axes": (0, 1), "inverse": True, "norm": "ortho"}),
    "irfft": ((_X + 0.5j,), {"axes": (1,), "n": 4, "inverse": False, "norm": "forward"}),
    "add": ((_X, _X[::-1]), {}),
    "sub": ((_X, _X[::-1]), {}),
    "mul": ((_X, _X[::-1]), {}),
    "div": ((_X, _X[::-1] + 2.0), {}),
    "neg": ((_X,), {}),
    "matmul": ((_X, _X.T), {}),
    "exp": ((_X,), {}),
    "log": ((_X + 1.0,), {}),
    "sqrt": ((_X + 1.0,), {}),
    "sin": ((_X,), {}),
    "cos": ((_X,), {}),
    "sinh": ((_X,), {}),
    "cosh": ((_X,), {}),
    "tanh": ((_X,), {}),
    "reshape": ((_X,), {"shape": (3, 2)}),
    "transpose": ((_X,), {"perm": (1, 0)}),
    "broadcast_to": ((_X,), {"shape": (4, 2, 3)}),
    "reduce_sum": ((_X,), {"axes": (1,), "keepdims": False}),
    "astype": ((_X,), {"dtype": np.dtype(np.float32)}),
    "getitem": ((_X,), {"idx": (slice(None), 1)}),
    "index_add_zeros": ((_X,), {"idx": (slice(1, 3),), "shape": (4, 3)}),
    "roll": ((_X,), {"shifts": (1,), "axes": (1,)}),
    "conj": ((_X,), {}),
    "real": ((_X,), {}),
    "imag": ((_X,), {}),
}


def test_every_direct_taylor_rule_is_listed():
    from tests.test_residuals import _own_primitives

    assert {p.name for p in _own_primitives() if p.taylor is not None} == set(DIRECT)


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_direct_taylor_rule_matches_the_one_derived_from_jvp(name):
    """A primitive's declared Taylor rule gives the coefficients its forward rule implies."""
    from fad._core import REGISTRY
    from fad._jet import taylor_from_jvp

    prim = REGISTRY[name]
    args, params = DIRECT[name]
    rng = np.random.default_rng(1)
    series = [[rng.normal(size=np.shape(a)) for _ in range(4)] for a in args]
    series[-1] = None if len(args) > 1 else series[-1]  # a constant argument too
    out, got = prim.taylor(list(args), series, 4, **params)
    want_out, want = taylor_from_jvp(prim, list(args), series, 4, params)
    np.testing.assert_allclose(out, want_out, rtol=1e-12)
    for g, w in zip(got, want, strict=True):
        if g is None or w is None:
            assert g is None or not np.any(g), name
            assert w is None or not np.any(w), name
        else:
            tol = 1e-6 if np.asarray(g).dtype == np.float32 else 1e-8  # derived: rescaled
            np.testing.assert_allclose(g, w, rtol=tol, atol=tol / 100)
