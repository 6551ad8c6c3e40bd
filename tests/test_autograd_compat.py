"""fad.autograd: autograd's public API and semantics on fad's transforms.

Expected values are autograd's documented behaviour (checked against autograd 1.9 while
writing these tests; autograd is not needed to run them)."""

import gc
import warnings
from collections import OrderedDict

import fad.autograd.numpy.random as npr
import numpy as onp
import pytest
import scipy.special as ss

import fad
import fad.autograd as ag
import fad.autograd.numpy as np
import fad.scipy.special as fss
from fad.autograd import builtins as agb
from fad.autograd.extend import (
    def_linear,
    defjvp,
    defjvp_argnum,
    defvjp,
    defvjp_argnum,
    notrace_primitive,
    primitive,
)
from fad.autograd.misc import flatten, flatten_func
from fad.autograd.misc.fixed_points import fixed_point
from fad.autograd.misc.optimizers import adam, rmsprop, sgd
from fad.autograd.test_util import check_grads, combo_check
from fad.test_util import check_grads as fad_check_grads

X = onp.array([0.3, -1.2, 2.0])


# ------------------------------------------------------------------ namespaces


def test_numpy_namespace_is_fad_numpy_with_numpy_random():
    import fad.numpy as fnp

    assert np.sin is fnp.sin and np.fft is fnp.fft
    assert np.linalg.eig is not fnp.linalg.eig  # autograd's: eigenvectors have derivatives
    assert npr is onp.random and np.random is onp.random
    import fad.autograd.numpy.linalg as agl

    assert agl.solve is fnp.linalg.solve
    assert np.float64 is onp.float64 and np.newaxis is None
    assert np.finfo is onp.finfo  # falls back to NumPy for what fad.numpy does not define
    with pytest.raises(AttributeError):
        np.no_such_function  # noqa: B018


def test_scipy_namespaces():
    import fad.autograd.scipy.stats.multivariate_normal as mvn
    import fad.autograd.scipy.stats.norm as norm

    import fad.autograd.scipy.special as sp
    import fad.scipy
    from fad.autograd.scipy.stats import t as student_t

    # fad's functions, in autograd's module layout (stats adds SciPy's samplers beside them)
    assert sp.gammaln is fad.scipy.special.gammaln and norm.logpdf is fad.scipy.stats.norm.logpdf
    assert mvn.logpdf is fad.scipy.stats.multivariate_normal.logpdf
    assert student_t.logpdf is fad.scipy.stats.t.logpdf
    onp.testing.assert_allclose(ag.grad(lambda x: norm.logpdf(x, 1.0, 2.0))(0.5), 0.125)


def test_odeint_takes_args_as_a_tuple():
    from fad.autograd.scipy.integrate import odeint

    t = onp.linspace(0.0, 1.0, 3)
    y = odeint(lambda y, t, k: -k * y, 1.0, t, args=(2.0,), rtol=1e-10, atol=1e-10)
    onp.testing.assert_allclose(y, onp.exp(-2.0 * t)[:, None], rtol=1e-7)  # SciPy's (len(t), 1)
    g = ag.grad(lambda k: odeint(lambda y, t, k: -k * y, 1.0, t, args=(k,), rtol=1e-10, atol=1e-10)[-1])(2.0)
    onp.testing.assert_allclose(g, -onp.exp(-2.0), rtol=1e-6)


# ------------------------------------------------------------------ differential operators


def test_grad_argnum_int_and_tuple():
    f = lambda x, y: np.sum(np.sin(x) * y**2)
    onp.testing.assert_allclose(ag.grad(f)(X, X), onp.cos(X) * X**2)
    onp.testing.assert_allclose(ag.grad(f, argnum=1)(X, X), 2 * onp.sin(X) * X)
    gx, gy = ag.grad(f, (0, 1))(X, X)
    onp.testing.assert_allclose(gy, 2 * onp.sin(X) * X)
    assert ag.grad(lambda x, y: x * y, 1)(2.0, 3.0) == 2.0
    assert ag.grad(f, 1).__name__ == "grad_of_<lambda>_wrt_argnum_1"


def test_grad_accepts_size_one_outputs_as_autograd():
    onp.testing.assert_allclose(ag.grad(lambda x: x**2)(onp.array([3.0])), [6.0])
    onp.testing.assert_allclose(
        ag.grad(lambda x: np.sum(x) * np.ones((1, 1)))(onp.array([3.0, 1.0])), [1.0, 1.0]
    )
    v, g = ag.value_and_grad(lambda x: np.dot(x, x)[None])(X)
    onp.testing.assert_allclose(v, [X @ X])
    onp.testing.assert_allclose(g, 2 * X)
    with pytest.raises(TypeError, match="Grad only applies to real scalar-output functions"):
        ag.grad(lambda x: x)(onp.ones(2))
    with pytest.raises(TypeError, match="value_and_grad only applies"):
        ag.value_and_grad(lambda x: x)(onp.ones(2))
    with pytest.raises(TypeError, match="Can't differentiate w.r.t. type"):
        ag.grad(lambda x: x**2)(3)
    # fad.grad keeps JAX's rule
    with pytest.raises(TypeError):
        fad.grad(lambda x: x**2)(onp.array([3.0]))


def test_grad_of_containers_keeps_their_type():
    assert ag.grad(lambda xs: xs[0] * xs[1])([2.0, 3.0]) == [3.0, 2.0]
    g = ag.grad(lambda d: d["a"] * np.sum(d["b"]))({"a": 2.0, "b": onp.ones(2)})
    onp.testing.assert_allclose(g["b"], [2.0, 2.0])


def test_elementwise_grad_deriv_jacobian_hessian():
    onp.testing.assert_allclose(ag.elementwise_grad(np.tanh)(X), 1 / onp.cosh(X) ** 2)
    onp.testing.assert_allclose(ag.elementwise_grad(lambda x, y: x * y, 1)(X, 2 * X), X)
    onp.testing.assert_allclose(ag.deriv(lambda x: x**3)(2.0), 12.0)
    J = ag.jacobian(lambda x: np.outer(x, x))(X)
    assert J.shape == (3, 3, 3)
    onp.testing.assert_allclose(J[1, 2], [0.0, X[2], X[1]])
    H = ag.hessian(lambda x: np.sum(x**3))(X)
    onp.testing.assert_allclose(H, onp.diag(6 * X))
    with pytest.raises(TypeError, match="real-output"):
        ag.elementwise_grad(lambda x: x * 1j)(X)


def test_holomorphic_grad_and_complex_convention():
    assert ag.holomorphic_grad(lambda z: z**2)(1 + 2j) == 2 + 4j
    assert ag.grad(lambda z: np.abs(z) ** 2)(1 + 2j) == 2 - 4j  # autograd's, and JAX's, convention
    with pytest.warns(UserWarning, match="not complex"):
        ag.holomorphic_grad(lambda x: x**2)(1.0)


def test_grad_named_grad_and_aux_multigrad_dict():
    def f(x, y, scale=2.0):
        return scale * np.sum(x * y)

    onp.testing.assert_allclose(ag.grad_named(f, "y")(X, 2 * X), 2 * X)
    g, aux = ag.grad_and_aux(lambda x: (np.sum(x**2), "aux"))(X)
    onp.testing.assert_allclose(g, 2 * X)
    assert aux == "aux"
    d = ag.multigrad_dict(f)(X, 2 * X)
    assert isinstance(d, OrderedDict) and list(d) == ["x", "y", "scale"]
    onp.testing.assert_allclose(d["x"], 4 * X)
    onp.testing.assert_allclose(d["scale"], onp.sum(2 * X * X))


def test_products():
    f = lambda x: np.sum(np.sin(x) * x**2)
    h = fad.hessian(f)(X)
    v = onp.array([1.0, 2.0, -1.0])
    onp.testing.assert_allclose(ag.hessian_vector_product(f)(X, v), h @ v)
    assert ag.hessian_tensor_product is ag.hessian_vector_product
    # with respect to argument 1: zero, as autograd gives for sum(x**3 * y)
    onp.testing.assert_allclose(ag.hessian_vector_product(lambda x, y: np.sum(x**3 * y), 1)(X, X, v), 0.0)
    hvp, g = ag.make_hvp(f)(X)
    onp.testing.assert_allclose(g, fad.grad(f)(X))
    onp.testing.assert_allclose(hvp(v), h @ v)
    # tensor-Jacobian product contracts the leading axes (autograd: [[4, 1], [2, 5]])
    x2 = onp.array([1.0, 2.0])
    onp.testing.assert_allclose(
        ag.tensor_jacobian_product(lambda x: np.outer(x, x))(x2, onp.ones(2)), [[4.0, 1.0], [2.0, 5.0]]
    )
    onp.testing.assert_allclose(ag.vector_jacobian_product(np.sin)(X, v), onp.cos(X) * v)
    vjp, y = ag.make_vjp(lambda x: x**2)(X)
    onp.testing.assert_allclose(y, X**2)
    onp.testing.assert_allclose(vjp(v), 2 * X * v)
    assert ag.make_vjp(lambda x, y: x * y, argnum=1)(2.0, 3.0)[0](1.0) == 2.0
    y, t = ag.make_jvp(lambda x: x**2)(X)(v)
    onp.testing.assert_allclose(t, 2 * X * v)
    # Gauss-Newton: J^T H_g J v with g = sum(x**2) / 2 -> J^T J v (autograd: [0.2919..., 0.1732...])
    onp.testing.assert_allclose(ag.make_ggnvp(np.sin)(x2)(onp.ones(2)), onp.cos(x2) ** 2, rtol=1e-12)
    onp.testing.assert_allclose(ag.make_ggnvp(np.sin)(x2)(onp.ones(2)), [0.29192658, 0.17317819], rtol=1e-7)


def test_checkpoint():
    f = ag.checkpoint(lambda x: np.sin(np.cos(x)))
    onp.testing.assert_allclose(ag.grad(lambda x: np.sum(f(x)))(X), -onp.cos(onp.cos(X)) * onp.sin(X))


def test_results_compose_with_fad_transforms():
    per_example = fad.vmap(ag.grad(lambda x: np.sum(x**3)))(onp.stack([X, 2 * X]))
    onp.testing.assert_allclose(per_example, 3 * onp.stack([X, 2 * X]) ** 2)
    onp.testing.assert_allclose(fad.jit(ag.grad(lambda x: np.sum(x**3)))(X), 3 * X**2)


# ------------------------------------------------------------------ extend


def _make_gammaln():
    @primitive
    def gammaln(x):
        return ss.gammaln(x)  # SciPy on plain arrays: fad never traces into a primitive

    defvjp(gammaln, lambda ans, x: lambda g: g * fss.digamma(x))
    return gammaln


def test_primitive_with_defvjp_under_every_transform():
    gammaln = _make_gammaln()
    x = onp.array([1.5, 2.5, 4.0])
    onp.testing.assert_allclose(gammaln(x), ss.gammaln(x))
    onp.testing.assert_allclose(ag.grad(lambda x: np.sum(gammaln(x)))(x), ss.digamma(x))
    # forward mode, derived from the reverse rule
    onp.testing.assert_allclose(fad.jvp(gammaln, (x,), (onp.ones(3),))[1], ss.digamma(x))
    onp.testing.assert_allclose(fad.jacfwd(gammaln)(x), onp.diag(ss.digamma(x)))
    # vmap, and vmap of grad
    onp.testing.assert_allclose(fad.vmap(gammaln)(x), ss.gammaln(x))
    onp.testing.assert_allclose(fad.vmap(fad.grad(gammaln))(x), ss.digamma(x))
    # second order: the rule is written in fad operations
    onp.testing.assert_allclose(fad.hessian(lambda x: np.sum(gammaln(x)))(x), onp.diag(ss.polygamma(1, x)))
    onp.testing.assert_allclose(fad.jit(gammaln)(x), ss.gammaln(x))
    fad_check_grads(gammaln, (x,), order=2)


def test_primitive_calls_leave_no_reference_cycle():
    # (the call record is a parameter on the tape: holding the traced inputs, whose trace
    # holds the tape, it made every call's tape garbage that only the collector freed)
    gammaln = _make_gammaln()
    x = onp.array([1.5, 2.5, 4.0])
    f = lambda x: np.sum(gammaln(x**2))
    ag.grad(f)(x)  # (first calls fill caches)
    gc.collect()
    gc.disable()
    try:
        ag.grad(f)(x)
        ag.grad(lambda x: np.sum(ag.grad(f)(x)))(x)
        fad.vjp(gammaln, x)[1](onp.ones(3))
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_primitive_with_defjvp_gives_reverse_mode_too():
    @primitive
    def power(x, n):
        return x**n

    defjvp(power, lambda g, ans, x, n: n * x ** (n - 1) * g)
    assert ag.grad(power)(2.0, 3) == 12.0
    onp.testing.assert_allclose(fad.vmap(fad.grad(power), in_axes=(0, None))(X, 3), 3 * X**2)
    check_grads(power, modes=["fwd", "rev"], order=2)(X, 3)


def test_primitive_with_several_arguments_and_containers():
    @primitive
    def weighted(pair, w, name="ignored"):
        a, b = pair
        return onp.sum(a * w) + b

    defvjp(
        weighted,
        lambda ans, pair, w, name="ignored": lambda g: (g * w, g),
        lambda ans, pair, w, name="ignored": lambda g: g * pair[0],
    )
    a, w = onp.array([1.0, 2.0]), onp.array([3.0, 4.0])
    (ga, gb), gw = ag.grad(weighted, (0, 1))((a, 5.0), w, name="x")
    onp.testing.assert_allclose(ga, w)
    assert gb == 1.0
    onp.testing.assert_allclose(gw, a)
    check_grads(weighted, argnum=1, modes=["fwd", "rev"], order=1)((a, 5.0), w)


def test_defvjp_argnum_defjvp_argnum_def_linear_and_missing_rules():
    @primitive
    def mul(x, y):
        return x * y

    defvjp_argnum(mul, lambda argnum, ans, args, kwargs: lambda g: g * args[1 - argnum])
    assert ag.grad(mul, (0, 1))(2.0, 3.0) == (3.0, 2.0)

    @primitive
    def mul2(x, y):
        return x * y

    defjvp_argnum(mul2, lambda argnum, g, ans, args, kwargs: g * args[1 - argnum])
    assert fad.jvp(mul2, (2.0, 3.0), (1.0, 0.0))[1] == 3.0
    assert ag.grad(mul2, 1)(2.0, 3.0) == 2.0

    @primitive
    def double(x):
        return 2 * x

    def_linear(double)
    onp.testing.assert_allclose(fad.jvp(double, (X,), (onp.ones(3),))[1], [2.0, 2.0, 2.0])
    with pytest.raises(NotImplementedError, match="VJP of double"):  # as autograd: def_linear is forward only
        ag.grad(lambda x: np.sum(double(x)))(X)

    @primitive
    def only_x(x, y):
        return x * y

    defvjp(only_x, lambda ans, x, y: lambda g: g * y)
    assert ag.grad(only_x)(2.0, 3.0) == 3.0
    with pytest.raises(NotImplementedError, match="VJP of only_x wrt argnums"):
        ag.grad(only_x, 1)(2.0, 3.0)
    with pytest.raises(TypeError, match="made by fad.autograd.extend.primitive"):
        defvjp(lambda x: x, None)


def test_notrace_primitive():
    seen = []
    f = notrace_primitive(lambda x: seen.append(type(x)) or 0.0)
    assert ag.grad(lambda x: x * 2.0 + f(x))(1.0) == 2.0
    assert seen and seen[0] is not None


def test_fixed_point_implicit_reverse_rule():
    newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)
    dist = lambda x, y: np.abs(x - y)
    sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, dist, 1e-12)
    onp.testing.assert_allclose(sqrt(2.0), onp.sqrt(2.0))
    onp.testing.assert_allclose(ag.grad(sqrt)(2.0), 0.5 / onp.sqrt(2.0), rtol=1e-10)
    check_grads(sqrt, modes=["rev"], order=1)(3.0)


# ------------------------------------------------------------------ misc, test_util, builtins


def test_flatten_and_flatten_func():
    value = {"b": [1.0, onp.array([2.0, 3.0])], "a": (onp.ones((2, 1)), 4.0)}
    flat, unflatten = flatten(value)
    onp.testing.assert_allclose(flat, [1.0, 1.0, 4.0, 1.0, 2.0, 3.0])  # sorted keys, then order
    back = unflatten(flat)
    onp.testing.assert_allclose(back["b"][1], [2.0, 3.0])
    assert isinstance(back["b"], list) and isinstance(back["a"], tuple)
    func, unflatten2, ex = flatten_func(lambda p, k: {"s": k * p["a"][1]}, value)
    onp.testing.assert_allclose(func(ex, 2.0), [8.0])
    onp.testing.assert_allclose(ag.grad(lambda v: np.sum(func(v, 3.0)))(ex), [0, 0, 3.0, 0, 0, 0])


@pytest.mark.parametrize("opt", [adam, sgd, rmsprop])
def test_optimizers_converge_and_call_back(opt):
    target = {"w": onp.array([1.0, -2.0]), "b": 0.5}

    def loss(p, i):
        return np.sum((p["w"] - target["w"]) ** 2) + (p["b"] - target["b"]) ** 2

    calls = []
    out = opt(
        ag.grad(loss),
        {"w": onp.zeros(2), "b": 0.0},
        callback=lambda x, i, g: calls.append((i, set(x), set(g))),
        num_iters=600,
        step_size=0.05,
    )
    assert len(calls) == 600 and calls[0] == (0, {"w", "b"}, {"w", "b"})
    onp.testing.assert_allclose(out["w"], target["w"], atol=2e-2)


def test_adam_matches_autograds_update():
    x0 = onp.array([1.0, -1.0])
    out = adam(lambda x, i: 2 * x, x0, num_iters=3, step_size=0.1)
    x, m, v = x0.copy(), onp.zeros(2), onp.zeros(2)
    for i in range(3):
        g = 2 * x
        m = 0.1 * g + 0.9 * m
        v = 0.001 * g**2 + 0.999 * v
        x = x - 0.1 * (m / (1 - 0.9 ** (i + 1))) / (onp.sqrt(v / (1 - 0.999 ** (i + 1))) + 1e-8)
    onp.testing.assert_allclose(out, x, rtol=1e-14)
    out = sgd(lambda x, i: 2 * x, x0, num_iters=2, step_size=0.1, mass=0.5)
    v1 = -0.5 * 2 * x0
    x1 = x0 + 0.1 * v1
    v2 = 0.5 * v1 - 0.5 * 2 * x1
    onp.testing.assert_allclose(out, x1 + 0.1 * v2)


def test_check_grads_curried():
    check_grads(np.sin)(X)
    check_grads(lambda x, y: np.sum(x * np.exp(y)), (0, 1), ["fwd", "rev"], 2)(X, X)
    check_grads(np.tanh, modes=["rev"], order=1)(X)
    combo_check(np.multiply, (0, 1), modes=["rev"])([X], [X, 2 * X])

    @primitive
    def wrong(x):
        return onp.sin(x)

    defvjp(wrong, lambda ans, x: lambda g: g * 2.0)
    with pytest.raises(AssertionError):
        check_grads(wrong, modes=["rev"], order=1)(X)
    with pytest.raises(ValueError, match="modes"):
        check_grads(np.sin, modes=["bad"])(X)


def test_builtins():
    assert agb.tuple is tuple and agb.list is list and agb.dict is dict
    assert ag.tuple is tuple

    def f(x):
        assert agb.isinstance(x, onp.ndarray) and agb.type(x) is onp.ndarray
        assert not agb.isinstance(x, str)
        return x * 2.0

    assert ag.grad(f)(1.0) == 2.0
    assert agb.isinstance(3.0, float) and agb.type(3.0) is float


def test_random_numbers_are_data():
    npr.seed(0)
    a = npr.randn(3)
    rs = npr.RandomState(0)
    onp.testing.assert_array_equal(a, rs.randn(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        onp.testing.assert_allclose(ag.grad(lambda x: np.sum(a * x))(X), a)
