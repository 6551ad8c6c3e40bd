"""The public transforms' semantics, as in JAX: jvp, vjp, linearize, grad, value_and_grad,
jacfwd, jacrev, hessian and vmap (arguments, pytrees, has_aux, argnums, axes, dtypes)."""

import collections
import sys

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad._core import Tracer
from tests._helpers import assert_trees_close

Point = collections.namedtuple("Point", ["x", "y"])


def assert_plain(tree):
    """Every leaf is a plain NumPy array or scalar, never a tracer."""
    for leaf in fad.tree_util.tree_leaves(tree):
        assert not isinstance(leaf, Tracer), leaf
        assert isinstance(leaf, (np.ndarray, np.generic)), type(leaf)


def close(a, b, **kw):
    assert_trees_close(a, b, kw.get("rtol", 1e-12), kw.get("atol", 1e-12))


X = np.array([0.5, -1.0, 2.0])
M = np.array([[1.0, 2.0, -1.0], [0.5, -0.3, 0.2]])


# ------------------------------------------------------------------------------- jvp


class TestJvp:
    def test_basic(self):
        y, t = fad.jvp(fnp.sin, (X,), (np.ones(3),))
        close(y, np.sin(X))
        close(t, np.cos(X))
        assert_plain((y, t))

    def test_primals_may_be_lists(self):
        y, t = fad.jvp(lambda a, b: a * b, [2.0, 3.0], [1.0, 0.0])
        assert y == 6.0 and t == 3.0

    def test_pytree_inputs_and_outputs(self):
        def f(p, d):
            return [p.x * p.y, {"s": d["a"] + d["b"], "n": None}]

        primals = (Point(X, 2.0), {"a": X, "b": 1.0})
        tangents = (Point(np.ones(3), 0.0), {"a": np.zeros(3), "b": 1.0})
        y, t = fad.jvp(f, primals, tangents)
        close(y, [X * 2.0, {"s": X + 1.0, "n": None}])
        close(t, [2.0 * np.ones(3), {"s": np.ones(3), "n": None}])
        assert_plain((y, t))

    def test_has_aux(self):
        y, t, aux = fad.jvp(lambda x: (x**2, {"x": x, "k": 7}), (3.0,), (1.0,), has_aux=True)
        assert y == 9.0 and t == 6.0
        assert aux["x"] == 3.0 and aux["k"] == 7
        assert not isinstance(aux["x"], Tracer)

    def test_constant_output_has_zero_tangent(self):
        y, t = fad.jvp(lambda x: np.ones(2), (1.0,), (1.0,))
        close(t, np.zeros(2))

    def test_int_primal_takes_float0_tangent(self):
        y, t = fad.jvp(lambda x, n: x * n, (2.0, 3), (1.0, np.zeros((), fad.float0)))
        assert y == 6.0 and t == 3.0

    def test_float32_stays_float32(self):
        x = X.astype(np.float32)
        y, t = fad.jvp(lambda x: fnp.exp(x) * 2.0, (x,), (np.ones(3, np.float32),))
        assert y.dtype == np.float32 and t.dtype == np.float32


# ------------------------------------------------------------------------------- vjp


class TestVjp:
    def test_returns_tuple_and_is_reusable(self):
        y, f_vjp = fad.vjp(lambda x: x**2, X)
        close(y, X**2)
        g1 = f_vjp(np.ones(3))
        g2 = f_vjp(2 * np.ones(3))
        assert isinstance(g1, tuple) and len(g1) == 1
        close(g1[0], 2 * X)
        close(g2[0], 4 * X)
        close(f_vjp(np.ones(3))[0], 2 * X)  # a third time, unchanged
        assert_plain((y, g1, g2))

    def test_several_primals_and_pytrees(self):
        def f(p, d):
            return {"a": p.x * d["w"], "b": fnp.sum(p.y)}

        p, d = Point(X, M), {"w": 3.0}
        y, f_vjp = fad.vjp(f, p, d)
        ct_p, ct_d = f_vjp({"a": np.ones(3), "b": 1.0})
        assert isinstance(ct_p, Point)
        close(ct_p, Point(3.0 * np.ones(3), np.ones_like(M)))
        close(ct_d, {"w": X.sum()})

    def test_has_aux(self):
        y, f_vjp, aux = fad.vjp(lambda x: (fnp.sin(x), x * 2), X, has_aux=True)
        close(aux, 2 * X)
        assert_plain(aux)
        close(f_vjp(np.ones(3))[0], np.cos(X))

    def test_int_primals_get_float0_cotangents(self):
        y, f_vjp = fad.vjp(lambda x, n: x * n, 2.0, 3)
        ct_x, ct_n = f_vjp(1.0)
        assert ct_x == 3.0
        assert ct_n.dtype == fad.float0 and ct_n.shape == ()
        _, f_vjp = fad.vjp(lambda x, idx: x * idx, X, np.arange(3))
        ct = f_vjp(np.ones(3))
        assert ct[1].dtype == fad.float0 and ct[1].shape == (3,)

    def test_unused_input_gets_zero_cotangent(self):
        _, f_vjp = fad.vjp(lambda x, y: x * 2.0, X, M)
        ct_x, ct_y = f_vjp(np.ones(3))
        close(ct_y, np.zeros_like(M))
        assert_plain(ct_y)

    def test_float32(self):
        x = X.astype(np.float32)
        y, f_vjp = fad.vjp(lambda x: fnp.tanh(x) * 3.0, x)
        (ct,) = f_vjp(np.ones(3, np.float32))
        assert y.dtype == np.float32 and ct.dtype == np.float32


# ------------------------------------------------------------------------- linearize


def test_linearize():
    f = lambda x: fnp.sin(x) * x
    y, f_jvp = fad.linearize(f, X)
    close(y, np.sin(X) * X)
    for t in (np.ones(3), np.array([1.0, -2.0, 0.5])):
        close(f_jvp(t), fad.jvp(f, (X,), (t,))[1])
    assert_plain(f_jvp(np.ones(3)))


def test_linearize_several_args():
    y, f_jvp = fad.linearize(lambda a, b: a * b, 2.0, 5.0)
    assert y == 10.0
    assert f_jvp(1.0, 0.0) == 5.0 and f_jvp(0.0, 1.0) == 2.0


# ------------------------------------------------------------------ grad and friends


class TestGrad:
    def test_basic(self):
        g = fad.grad(lambda x: fnp.sum(x**3))(X)
        close(g, 3 * X**2)
        assert_plain(g)

    def test_python_scalar_input(self):
        g = fad.grad(lambda x: x * x)(3.0)
        assert g == 6.0
        assert_plain(g)

    @pytest.mark.parametrize(
        "argnums, expected",
        [(0, 12.0), (1, 12.0), (2, 9.0), (-1, 9.0), (-3, 12.0), ((0, 2), (12.0, 9.0)), ((2, 0), (9.0, 12.0))],
    )
    def test_argnums(self, argnums, expected):
        f = lambda x1, x2, x3: 3 * (x1**2 + x2 * x3)
        g = fad.grad(f, argnums=argnums)(2.0, 3.0, 4.0)
        if isinstance(argnums, tuple):
            assert isinstance(g, tuple)
        close(g, expected)

    def test_single_argnum_in_tuple_gives_tuple(self):
        g = fad.grad(lambda x, y: x * y, argnums=(0,))(2.0, 3.0)
        assert isinstance(g, tuple) and g == (3.0,)

    def test_has_aux(self):
        g, aux = fad.grad(lambda x: (fnp.sum(x**2), {"m": fnp.mean(x)}), has_aux=True)(X)
        close(g, 2 * X)
        close(aux, {"m": X.mean()})
        assert_plain(aux)

    def test_kwargs_pass_through_undifferentiated(self):
        def f(x, scale=1.0, *, power=2):
            return fnp.sum(scale * x**power)

        g = fad.grad(f)(X, scale=3.0, power=3)
        close(g, 9.0 * X**2)
        g = fad.grad(f, argnums=(0, 1))(X, 2.0, power=1)
        close(g, (2 * np.ones(3), X.sum()))

    def test_pytree_argument(self):
        def loss(params, x):
            return fnp.sum(fnp.tanh(x @ params["w"] + params["b"]) ** 2)

        params = {"w": M.T.copy(), "b": np.array([0.1, -0.2])}
        x = np.array([[1.0, 0.5, -0.5]])
        g = fad.grad(loss)(params, x)
        assert set(g) == {"w", "b"}
        assert g["w"].shape == (3, 2) and g["b"].shape == (2,)
        eps = 1e-6
        b2 = dict(params, b=params["b"] + np.array([eps, 0.0]))
        b1 = dict(params, b=params["b"] - np.array([eps, 0.0]))
        np.testing.assert_allclose(g["b"][0], (loss(b2, x) - loss(b1, x)) / (2 * eps), rtol=1e-6)

    def test_namedtuple_argument(self):
        g = fad.grad(lambda p: p.x * p.y)(Point(2.0, 5.0))
        assert isinstance(g, Point) and g == Point(5.0, 2.0)

    def test_value_and_grad(self):
        v, g = fad.value_and_grad(lambda x: fnp.sum(fnp.sin(x)))(X)
        close(v, np.sin(X).sum())
        close(g, np.cos(X))
        assert_plain((v, g))

    def test_value_and_grad_has_aux_argnums(self):
        (v, aux), (g0, g1) = fad.value_and_grad(lambda a, b: (a * b, a + b), argnums=(0, 1), has_aux=True)(
            2.0, 3.0
        )
        assert (v, aux, g0, g1) == (6.0, 5.0, 3.0, 2.0)

    def test_float32_stays_float32(self):
        x = X.astype(np.float32)
        g = fad.grad(lambda x: fnp.sum(fnp.exp(x) * 2.0))(x)
        assert g.dtype == np.float32
        v, g = fad.value_and_grad(lambda x: fnp.sum(x * x))(x)
        assert v.dtype == np.float32 and g.dtype == np.float32

    def test_python_control_flow_on_values(self):
        def f(x):
            if x > 0:
                y = x**2
            else:
                y = -x
            while y < 10.0:
                y = y * 2.0
            for _ in range(int(fad.stop_gradient(x) > 1) + 1):
                y = y + x
            return y

        # x = 3: y = 9 -> 18, then one loop (stop_gradient(3) > 1 -> 2 iterations): 18 + 6
        assert f(3.0) == 24.0
        assert fad.grad(f)(3.0) == pytest.approx(4 * 3.0 + 2)
        assert fad.jvp(f, (3.0,), (1.0,))[1] == pytest.approx(14.0)
        assert fad.grad(f)(-2.0) == pytest.approx(-8.0 + 1.0)

    def test_control_flow_on_array_elements(self):
        def f(x):
            total = 0.0
            for xi in x:
                total = total + (fnp.sin(xi) if xi > 0 else xi**2)
            return total

        g = fad.grad(f)(X)
        close(g, np.where(X > 0, np.cos(X), 2 * X))

    def test_long_chain_default_recursion_limit(self):
        assert sys.getrecursionlimit() <= 10_000  # no raised limit hides a recursion

        def f(x):
            for _ in range(100_000):
                x = x * 1.0000001
            return fnp.sum(x)

        g = fad.grad(f)(np.ones(1))
        np.testing.assert_allclose(g, [1.0000001**100_000], rtol=1e-9)

    def test_scipy_minimize_with_fad_jac(self):
        optimize = pytest.importorskip("scipy.optimize")

        def rosen(x):
            return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2

        res = optimize.minimize(rosen, np.array([-1.2, 1.0]), jac=fad.grad(rosen), method="BFGS")
        assert res.success
        np.testing.assert_allclose(res.x, np.ones(2), atol=1e-4)
        assert res.nit < 200


# ------------------------------------------------------------------------- Jacobians


@pytest.mark.parametrize("jac", [fad.jacfwd, fad.jacrev, lambda f, **kw: fad.jacobian(f, mode="fwd", **kw)])
class TestJacobians:
    def test_shape_is_out_plus_in(self, jac):
        f = lambda x: fnp.reshape(fnp.sin(x), (3, 1, 1)) * fnp.ones((2, 2))  # (3,) -> (3, 2, 2)
        J = jac(f)(X)
        assert J.shape == (3, 2, 2, 3)
        close(J, np.diag(np.cos(X))[:, None, None, :] * np.ones((1, 2, 2, 1)))
        assert_plain(J)

    def test_matrix_input_and_scalar_output(self, jac):
        J = jac(lambda A: fnp.sum(A**2))(M)
        assert J.shape == M.shape
        close(J, 2 * M)
        J = jac(lambda s: s * X)(2.0)
        assert J.shape == (3,)
        close(J, X)

    def test_values(self, jac):
        J = jac(lambda x: M @ fnp.sin(x))(X)
        close(J, M * np.cos(X)[None, :])

    def test_pytree_input_and_output(self, jac):
        def f(d):
            return (d["a"] * 2.0, {"s": fnp.sum(d["a"] * d["b"])})

        d = {"a": X, "b": np.array([1.0, 2.0, 3.0])}
        J = jac(f)(d)
        assert isinstance(J, tuple) and set(J[0]) == {"a", "b"}
        close(J[0]["a"], 2 * np.eye(3))
        close(J[0]["b"], np.zeros((3, 3)))
        close(J[1]["s"]["a"], d["b"])
        close(J[1]["s"]["b"], X)
        assert_plain(J)

    def test_tuple_argnums(self, jac):
        J = jac(lambda x, y, z: x * y + z, argnums=(0, 2))(X, 2.0, np.ones(3))
        assert isinstance(J, tuple) and len(J) == 2
        close(J[0], 2.0 * np.eye(3))
        close(J[1], np.eye(3))

    def test_has_aux(self, jac):
        J, aux = jac(lambda x: (x**2, {"y": fnp.sum(x)}), has_aux=True)(X)
        close(J, np.diag(2 * X))
        close(aux, {"y": X.sum()})
        assert_plain(aux)

    def test_float32_stays_float32(self, jac):
        x = X.astype(np.float32)
        J = jac(lambda x: fnp.exp(x) * x)(x)
        assert J.dtype == np.float32


def test_jacobian_rejects_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        fad.jacobian(fnp.sin, mode="sideways")


def test_hessian():
    flip = np.eye(3)[::-1]
    f = lambda x: fnp.sum(fnp.sin(x) * (flip @ x))
    H = fad.hessian(f)(X)
    assert H.shape == (3, 3)
    close(H, H.T)
    close(H, fad.jacrev(fad.jacrev(f))(X), rtol=1e-10, atol=1e-12)
    # analytic: d2/dx_i dx_j of sum_k sin(x_k) x_{n-1-k}
    n = 3
    expected = np.zeros((n, n))
    for k in range(n):
        j = n - 1 - k
        expected[k, k] += -np.sin(X[k]) * X[j]
        expected[k, j] += np.cos(X[k])
        expected[j, k] += np.cos(X[k])
    close(H, expected)
    assert_plain(H)


def test_hessian_pytree_and_float32():
    H = fad.hessian(lambda d: d["a"] ** 2 * d["b"])({"a": 3.0, "b": 2.0})
    close(H, {"a": {"a": 4.0, "b": 6.0}, "b": {"a": 6.0, "b": 0.0}})
    H = fad.hessian(lambda x: fnp.sum(x**3))(X.astype(np.float32))
    assert H.dtype == np.float32


# ------------------------------------------------------------------------------ vmap


class TestVmap:
    def test_basic(self):
        out = fad.vmap(lambda x: fnp.sum(x**2))(M)
        close(out, (M**2).sum(1))
        assert_plain(out)

    @pytest.mark.parametrize("ax", [0, 1, -1, -2])
    def test_in_axes_int(self, ax):
        out = fad.vmap(lambda v: fnp.sin(v) * v[0], in_axes=ax)(M)
        expected = np.stack([np.sin(v) * v[0] for v in np.moveaxis(M, ax, 0)])
        close(out, expected)

    def test_in_axes_none_and_tuple(self):
        out = fad.vmap(lambda A, x: A @ x, in_axes=(None, 1))(M, np.ones((3, 4)))
        assert out.shape == (4, 2)
        close(out, np.stack([M @ np.ones(3)] * 4))
        out = fad.vmap(lambda a, b: a * b, in_axes=[0, None])(M, X)  # a list works too
        close(out, M * X)

    def test_in_axes_nested_dict_prefix(self):
        def f(p, x):
            return p["w"] @ x + p["b"]

        p = {"w": np.stack([M, 2 * M]), "b": np.array([1.0, -1.0])}
        xs = np.ones((3, 2))  # mapped along axis 1
        out = fad.vmap(f, in_axes=({"w": 0, "b": None}, -1))(p, xs)
        expected = np.stack([p["w"][i] @ xs[:, i] + p["b"] for i in range(2)])
        close(out, expected)

    def test_tuple_prefix_for_a_tuple_argument(self):
        out = fad.vmap(lambda t: t[0] + t[1], in_axes=((0, None),))((M, X))
        close(out, M + X)

    @pytest.mark.parametrize("oax", [0, 1, -1])
    def test_out_axes(self, oax):
        out = fad.vmap(lambda x: fnp.stack([x, 2 * x]), out_axes=oax)(M)
        expected = np.moveaxis(np.stack([np.stack([r, 2 * r]) for r in M]), 0, oax)
        close(out, expected)

    def test_out_axes_pytree_and_none(self):
        w = np.array([1.0, 2.0, 3.0])
        a, b, c = fad.vmap(lambda x: (x * w, fnp.sum(w), {"k": x}), out_axes=(1, None, {"k": 0}))(M)
        close(a, (M * w).T)
        close(b, w.sum())
        close(c, {"k": M})

    def test_axis_size(self):
        out = fad.vmap(lambda: fnp.ones(2), axis_size=3)()
        close(out, np.ones((3, 2)))
        out = fad.vmap(lambda x, y: x + y, in_axes=(0, None), axis_size=2)(M, X)
        close(out, M + X)

    def test_kwargs_are_mapped_over_axis_0(self):
        out = fad.vmap(lambda x, *, y: x * y)(M, y=np.array([[1.0] * 3, [2.0] * 3]))
        close(out, M * np.array([[1.0], [2.0]]))

    def test_constant_outputs_broadcast(self):
        out = fad.vmap(lambda x: 1.0)(M)
        close(out, np.ones(2))
        assert out.dtype == np.float64
        out = fad.vmap(lambda x: (X, x))(M)
        close(out[0], np.stack([X, X]))
        assert_plain(out)

    def test_pytree_in_and_out(self):
        out = fad.vmap(lambda p: Point(p.y, p.x * 2))(Point(M, np.ones((2, 4))))
        assert isinstance(out, Point)
        close(out, Point(np.ones((2, 4)), 2 * M))

    def test_integer_and_bool_values(self):
        out = fad.vmap(lambda i, x: x * i)(np.arange(2), M)
        close(out, M * np.arange(2)[:, None])
        out = fad.vmap(lambda x: x > 0)(M)
        assert out.dtype == bool and out.shape == M.shape

    def test_float32_stays_float32(self):
        out = fad.vmap(lambda x: fnp.exp(x) * 2.0 + 1)(M.astype(np.float32))
        assert out.dtype == np.float32

    def test_matches_loop(self):
        from fad.test_util import check_vmap

        check_vmap(
            lambda a, b: fnp.tanh(a @ b) + fnp.max(a),
            (np.stack([M, M * 2, -M]), np.ones((3, 4))),
            in_axes=(0, None),
        )


# ---------------------------------------------------------- indexing under transforms


def test_int_indexing_under_grad():
    g = fad.grad(lambda x: x[0] * x[2])(X)
    close(g, np.array([X[2], 0.0, X[0]]))


def test_slicing_under_grad():
    g = fad.grad(lambda x: fnp.sum(x[1:] * x[:-1]))(X)
    close(g, np.array([X[1], X[0] + X[2], X[1]]))


def test_jax_signature_flags_allow_int_and_holomorphic():
    g = fad.grad(lambda x, n: x**n, argnums=(0, 1), allow_int=True)(2.0, 3)
    assert g[0] == 12.0 and g[1].dtype == fad.float0
    with pytest.raises(TypeError, match="floating-point"):
        fad.grad(lambda x, n: x**n, argnums=(0, 1))(2.0, 3)
    for transform in (fad.grad, fad.value_and_grad, fad.jacfwd, fad.jacrev, fad.hessian):
        with pytest.raises(TypeError, match="holomorphic=True requires inputs with complex dtype"):
            transform(lambda x: x, holomorphic=True)(2.0)


def test_mod_and_floor_divide_operators_on_traced_values():
    # d/dx (x % 1.5 + (x // 2) * x + 7 % x) = 1 + floor(x/2) - floor(7/x)
    x = 3.2
    assert fad.grad(lambda v: (v % 1.5) + (v // 2) * v + 7 % v)(x) == 1 + np.floor(x / 2) - np.floor(7 / x)
    np.testing.assert_allclose(fad.vmap(lambda v: v % 2)(np.array([3.0, 4.0, 5.0])), [1.0, 0.0, 1.0])


def test_power_mixed_second_derivative_at_zero_exponent():
    f = lambda x, y: fnp.power(x, y)  # noqa: E731
    # d/dy d/dx x**y = x**(y-1) (1 + y log x) -> 1/x at y = 0 (the fuzzer found 0 here once)
    np.testing.assert_allclose(fad.grad(fad.grad(f, 0), 1)(1.5, 0.0), 1 / 1.5)
    g = fad.vmap(fad.grad(f, 0))(np.array([0.0, 2.0]), np.array([0.0, 0.0]))
    np.testing.assert_allclose(g, [0.0, 0.0])  # no 0 * inf at x = y = 0
