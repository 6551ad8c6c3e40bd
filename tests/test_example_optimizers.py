"""fad.example_libraries.optimizers: jax.example_libraries.optimizers' API, updates and schedules."""

import pickle

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad.example_libraries import optimizers as opt

RNG = onp.random.default_rng(0)
A = RNG.standard_normal((20, 3))
X_TRUE = onp.array([1.0, -2.0, 0.5])
B = A @ X_TRUE


def loss(params):
    r = A @ params["x"] + params["c"] - B
    return fnp.mean(r**2)


def init_params():
    return {"x": onp.zeros(3), "c": onp.array(0.0)}


# (constructor, args, steps): enough steps to solve the least-squares problem
OPTIMIZERS = {
    "sgd": (opt.sgd, (0.1,), 500),
    "momentum": (opt.momentum, (0.05, 0.9), 500),
    "nesterov": (opt.nesterov, (0.05, 0.9), 500),
    "adagrad": (opt.adagrad, (0.3,), 2000),
    "rmsprop": (opt.rmsprop, (opt.inverse_time_decay(0.05, 100, 1.0),), 3000),
    "rmsprop_momentum": (opt.rmsprop_momentum, (opt.exponential_decay(0.01, 100, 0.5),), 2000),
    "adam": (opt.adam, (opt.exponential_decay(0.1, 300, 0.5),), 2000),
    "adamax": (opt.adamax, (opt.polynomial_decay(0.1, 1500, 0.001),), 2000),
    "sm3": (opt.sm3, (0.3,), 2000),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_least_squares_converges(name):
    make, args, steps = OPTIMIZERS[name]
    init_fun, update_fun, get_params = make(*args)
    state = init_fun(init_params())
    for i in range(steps):
        state = update_fun(i, fad.grad(loss)(get_params(state)), state)
    p = get_params(state)
    assert float(loss(p)) < 1e-4, (name, float(loss(p)))
    onp.testing.assert_allclose(p["x"], X_TRUE, atol=1e-2)


def grad_np(x):
    return 2 * A.T @ (A @ x - B) / len(B)


def hand_written(name, x, steps):
    """The three first updates, written out with NumPy from the optimizers' definitions."""
    m = onp.zeros_like(x)
    v = onp.zeros_like(x)
    for i in range(steps):
        g = grad_np(x)
        if name == "sgd":
            x = x - 0.1 * g
        elif name == "momentum":
            m = 0.9 * m + g
            x = x - 0.05 * m
        elif name == "nesterov":
            m = 0.9 * m + g
            x = x - 0.05 * (0.9 * m + g)
        elif name == "adagrad":
            v = v + g**2
            m = 0.1 * g / onp.sqrt(v) + 0.9 * m
            x = x - 0.3 * m
        elif name == "rmsprop":
            v = 0.9 * v + 0.1 * g**2
            x = x - 0.05 / (1 + i / 100) * g / onp.sqrt(v + 1e-8)
        elif name == "rmsprop_momentum":
            v = 0.9 * v + 0.1 * g**2
            m = 0.9 * m + 0.01 * 0.5 ** (i / 100) * g / onp.sqrt(v + 1e-8)
            x = x - m
        elif name == "adam":
            m = 0.1 * g + 0.9 * m
            v = 0.001 * g**2 + 0.999 * v
            mhat, vhat = m / (1 - 0.9 ** (i + 1)), v / (1 - 0.999 ** (i + 1))
            x = x - 0.1 * 0.5 ** (i / 300) * mhat / (onp.sqrt(vhat) + 1e-8)
        elif name == "adamax":
            m = 0.1 * g + 0.9 * m
            v = onp.maximum(0.999 * v, onp.abs(g))
            lr = (1 - i / 1500) * (0.1 - 0.001) + 0.001
            x = x - lr / (1 - 0.9 ** (i + 1)) * m / (v + 1e-8)
        elif name == "sm3":  # a 1-d parameter: one accumulator per entry, as adagrad
            v = v + g**2
            m = 0.1 * g / onp.sqrt(v) + 0.9 * m
            x = x - 0.3 * m
    return x


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_three_steps_equal_the_hand_written_update(name):
    make, args, _ = OPTIMIZERS[name]
    init_fun, update_fun, get_params = make(*args)
    state = init_fun(onp.zeros(3))
    for i in range(3):
        x = get_params(state)
        state = update_fun(i, grad_np(x), state)
    onp.testing.assert_allclose(
        get_params(state), hand_written(name, onp.zeros(3), 3), rtol=1e-12, atol=1e-14
    )


def test_sm3_on_a_matrix_keeps_one_accumulator_per_axis():
    init_fun, update_fun, get_params = opt.sm3(1.0, momentum=0.0)
    state = init_fun(onp.zeros((2, 3)))
    g = onp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    state = update_fun(0, g, state)
    onp.testing.assert_allclose(get_params(state), -onp.sign(g))  # accum = g**2 at the first step
    _, _, vs, shape = opt.unpack_optimizer_state(state).subtree
    assert shape == (2, 3)
    onp.testing.assert_allclose(vs[0], [9.0, 36.0])
    onp.testing.assert_allclose(vs[1], [16.0, 25.0, 36.0])


def test_state_is_a_pytree_and_jit_compatible():
    init_fun, update_fun, get_params = opt.adam(0.01)
    state = init_fun(init_params())
    assert isinstance(state, opt.OptimizerState)
    leaves = fad.tree_util.tree_leaves(state)
    assert len(leaves) == 6  # (x, m, v) for each of two parameters
    doubled = fad.tree_util.tree_map(lambda a: a * 2, state)
    assert doubled.tree_def == state.tree_def
    step = fad.jit(lambda i, s: update_fun(i, fad.grad(loss)(get_params(s)), s))
    s_jit, s_eager = state, state
    for i in range(3):
        s_jit = step(i, s_jit)
        s_eager = update_fun(i, fad.grad(loss)(get_params(s_eager)), s_eager)
    for a, b in zip(fad.tree_util.tree_leaves(s_jit), fad.tree_util.tree_leaves(s_eager), strict=True):
        onp.testing.assert_allclose(a, b, rtol=1e-12)


def test_gradient_structure_mismatch_refused():
    init_fun, update_fun, _ = opt.sgd(0.1)
    state = init_fun({"a": 1.0, "b": 2.0})
    with pytest.raises(TypeError, match="did not match the parameter tree structure"):
        update_fun(0, {"a": 1.0}, state)


def test_pack_and_unpack_round_trip_through_pickle():
    init_fun, update_fun, get_params = opt.momentum(0.1, 0.9)
    state = update_fun(0, init_params(), init_fun(init_params()))
    marked = opt.unpack_optimizer_state(state)
    assert isinstance(marked["x"], opt.JoinPoint)
    restored = opt.pack_optimizer_state(pickle.loads(pickle.dumps(marked)))
    assert restored.tree_def == state.tree_def
    for a, b in zip(fad.tree_util.tree_leaves(restored), fad.tree_util.tree_leaves(state), strict=True):
        onp.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="JoinPoint"):
        opt.pack_optimizer_state({"x": 1.0})


def test_schedules():
    assert opt.constant(0.3)(100) == 0.3
    onp.testing.assert_allclose(opt.exponential_decay(1.0, 10, 0.5)(20), 0.25)
    onp.testing.assert_allclose(opt.inverse_time_decay(1.0, 10, 1.0)(15), 1 / 2.5)
    onp.testing.assert_allclose(opt.inverse_time_decay(1.0, 10, 1.0, staircase=True)(15), 0.5)
    onp.testing.assert_allclose(opt.polynomial_decay(1.0, 10, 0.0, power=2.0)(5), 0.25)
    onp.testing.assert_allclose(opt.polynomial_decay(1.0, 10, 0.2)(100), 0.2)
    s = opt.piecewise_constant([3, 6], [1.0, 0.1, 0.01])
    assert [float(s(i)) for i in (0, 3, 4, 6, 7)] == [1.0, 1.0, 0.1, 0.1, 0.01]
    with pytest.raises(ValueError, match="one shorter"):
        opt.piecewise_constant([1, 2], [1.0, 2.0])
    with pytest.raises(ValueError, match="sequences"):
        opt.piecewise_constant(1, [1.0, 2.0])
    assert opt.make_schedule(0.5)(7) == 0.5
    f = lambda i: 1.0 / (i + 1)
    assert opt.make_schedule(f) is f
    with pytest.raises(TypeError, match="step size"):
        opt.make_schedule([0.1, 0.2])


def test_l2_norm_and_clip_grads():
    tree = {"a": onp.array([3.0]), "b": [onp.array([[4.0]])]}
    onp.testing.assert_allclose(opt.l2_norm(tree), 5.0)
    clipped = opt.clip_grads(tree, 1.0)
    onp.testing.assert_allclose(opt.l2_norm(clipped), 1.0)
    onp.testing.assert_allclose(clipped["a"], [0.6])
    unchanged = opt.clip_grads(tree, 10.0)
    onp.testing.assert_array_equal(unchanged["b"][0], tree["b"][0])
    # differentiable: d||x|| / dx = x / ||x||
    onp.testing.assert_allclose(fad.grad(lambda x: opt.l2_norm({"x": x}))(onp.array([3.0, 4.0])), [0.6, 0.8])


def test_custom_optimizer_through_the_decorator():
    @opt.optimizer
    def scaled_sign(step_size):
        def init(x0):
            return (x0,)

        def update(i, g, state):
            return (state[0] - step_size * fnp.sign(g),)

        return init, update, lambda s: s[0]

    init_fun, update_fun, get_params = scaled_sign(0.5)
    p = get_params(update_fun(0, [onp.array([2.0, -3.0])], init_fun([onp.zeros(2)])))
    onp.testing.assert_array_equal(p[0], [-0.5, 0.5])
