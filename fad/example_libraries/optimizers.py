"""First-order optimizers as `(init, update, get_params)` triples (`jax.example_libraries.optimizers`).

An optimizer is made from a step size (a number or a schedule `i -> step size`) and
returns three functions: `init_fun(params)` makes the optimizer state, `update_fun(i,
grads, state)` makes one step, `get_params(state)` reads the parameters back. `params`
may be any pytree of arrays; the state is an `OptimizerState`, itself a pytree.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad.example_libraries import optimizers
    >>> init_fun, update_fun, get_params = optimizers.sgd(0.1)
    >>> loss = lambda p: fnp.sum((p["w"] - 3.0) ** 2)
    >>> state = init_fun({"w": fnp.zeros(2)})
    >>> for i in range(100):
    ...     state = update_fun(i, fad.grad(loss)(get_params(state)), state)
    >>> get_params(state)["w"]
    array([3., 3.])
"""

from __future__ import annotations

import functools
import warnings
from collections import namedtuple
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

import numpy as onp

import fad.numpy as fnp
from fad.tree_util import register_pytree_node, tree_flatten, tree_map, tree_unflatten

if TYPE_CHECKING:
    from fad.typing import Array, PyTree

__all__ = [
    "JoinPoint",
    "Optimizer",
    "OptimizerState",
    "adagrad",
    "adam",
    "adamax",
    "clip_grads",
    "constant",
    "exponential_decay",
    "inverse_time_decay",
    "l2_norm",
    "make_schedule",
    "momentum",
    "nesterov",
    "optimizer",
    "pack_optimizer_state",
    "piecewise_constant",
    "polynomial_decay",
    "rmsprop",
    "rmsprop_momentum",
    "sgd",
    "sm3",
    "unpack_optimizer_state",
]

Step = int
Schedule = Callable[[Step], float]
InitFn = Callable[[Any], Any]  # params -> state
UpdateFn = Callable[[Step, Any, Any], Any]  # (i, grads, state) -> state
ParamsFn = Callable[[Any], Any]  # state -> params
P = ParamSpec("P")

OptimizerState = namedtuple("OptimizerState", ["packed_state", "tree_def", "subtree_defs"])
OptimizerState.__doc__ = """The state of an optimizer over a pytree of parameters.

A pytree whose leaves are the arrays of `packed_state`.

Attributes:
    packed_state: Per parameter leaf, the leaves of that leaf's state.
    tree_def: The parameters' structure.
    subtree_defs: Per parameter leaf, the structure of its state.
"""

with warnings.catch_warnings():  # optree warns that namedtuples already have a default rule
    warnings.simplefilter("ignore")
    register_pytree_node(
        OptimizerState,
        lambda s: ((s.packed_state,), (s.tree_def, s.subtree_defs)),
        lambda data, xs: OptimizerState(*xs, *data),
    )

Optimizer = namedtuple("Optimizer", ["init_fn", "update_fn", "params_fn"])
Optimizer.__doc__ = """What an optimizer constructor returns: `(init_fn, update_fn, params_fn)`.

Attributes:
    init_fn: `init_fn(params) -> state`, for a pytree of parameters.
    update_fn: `update_fn(i, grads, state) -> state`: step `i`, with `grads` of the parameters' structure.
    params_fn: `params_fn(state) -> params`.
"""


def _unzip2(pairs: Any) -> Any:
    firsts, seconds = [], []
    for a, b in pairs:
        firsts.append(a)
        seconds.append(b)
    return tuple(firsts), tuple(seconds)


def optimizer(opt_maker: Callable[P, tuple[InitFn, UpdateFn, ParamsFn]]) -> Callable[P, Optimizer]:
    """Lift an optimizer written for one array to one over pytrees of arrays.

    `opt_maker(*args, **kwargs)` returns `(init, update, get_params)` acting on a
    single array: `init(x0) -> state` (any pytree), `update(i, g, state) -> state`,
    `get_params(state) -> x`. The decorated constructor returns an `Optimizer`
    whose functions act leaf by leaf on pytrees of parameters.

    Args:
        opt_maker: A function returning `(init, update, get_params)` for one array.

    Returns:
        A constructor with `opt_maker`'s parameters returning an `Optimizer` over pytrees.

    Examples:
        >>> @optimizer
        ... def halve():
        ...     return (lambda x: x), (lambda i, g, x: x / 2), (lambda x: x)
        >>> init, update, get = halve()
        >>> get(update(0, (1.0, 1.0), init((4.0, 8.0))))
        (2.0, 4.0)
    """

    @functools.wraps(opt_maker)
    def tree_opt_maker(*args: P.args, **kwargs: P.kwargs) -> Optimizer:
        init, update, get_params = opt_maker(*args, **kwargs)

        @functools.wraps(init)
        def tree_init(x0_tree: Any) -> Any:
            x0_flat, tree = tree_flatten(x0_tree)
            states_flat, subtrees = _unzip2(map(tree_flatten, map(init, x0_flat)))
            return OptimizerState(states_flat, tree, subtrees)

        @functools.wraps(update)
        def tree_update(i: Any, grad_tree: Any, opt_state: Any) -> Any:
            states_flat, tree, subtrees = opt_state
            grad_flat, tree2 = tree_flatten(grad_tree)
            if tree2 != tree:
                raise TypeError(
                    "optimizer update function was passed a gradient tree that did not match "
                    f"the parameter tree structure with which it was initialized: parameter "
                    f"tree {tree} and grad tree {tree2}. Pass the gradient of the parameters "
                    "(fad.grad(loss)(get_params(state)))."
                )
            states = map(tree_unflatten, subtrees, states_flat)
            new_states = map(functools.partial(update, i), grad_flat, states)
            new_states_flat, subtrees2 = _unzip2(map(tree_flatten, new_states))
            for subtree, subtree2 in zip(subtrees, subtrees2, strict=True):
                if subtree2 != subtree:
                    raise TypeError(
                        "optimizer update function produced an output structure that did not "
                        f"match its input structure: input {subtree} and output {subtree2}."
                    )
            return OptimizerState(new_states_flat, tree, subtrees)

        @functools.wraps(get_params)
        def tree_get_params(opt_state: Any) -> Any:
            states_flat, tree, subtrees = opt_state
            states = map(tree_unflatten, subtrees, states_flat)
            return tree_unflatten(tree, list(map(get_params, states)))

        return Optimizer(tree_init, tree_update, tree_get_params)

    return tree_opt_maker


# ------------------------------------------------------------------------- optimizers


@optimizer
def sgd(step_size: float | Schedule) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """Stochastic gradient descent: `x <- x - step_size(i) * g`.

    Args:
        step_size: A number, or a schedule `i -> step size`.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> init, update, get = sgd(0.5)
        >>> get(update(0, 2.0, init(1.0)))
        0.0
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0

    def update(i: Any, g: Any, x: Any) -> Any:
        return x - step_size(i) * g

    def get_params(x: Any) -> Any:
        return x

    return init, update, get_params


@optimizer
def momentum(step_size: float | Schedule, mass: float) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """Gradient descent with momentum: `v <- mass * v + g`; `x <- x - step_size(i) * v`.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        mass: Momentum decay, in `[0, 1)`.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = momentum(0.1, mass=0.9)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.1,  0.2])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, velocity = state
        velocity = mass * velocity + g
        return x - step_size(i) * velocity, velocity

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


@optimizer
def nesterov(step_size: float | Schedule, mass: float) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """Nesterov's accelerated gradient: `v <- mass * v + g`; `x <- x - step_size(i) * (mass * v + g)`.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        mass: Momentum decay, in `[0, 1)`.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = nesterov(0.1, mass=0.9)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.19,  0.38])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, velocity = state
        velocity = mass * velocity + g
        return x - step_size(i) * (mass * velocity + g), velocity

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


@optimizer
def adagrad(step_size: float | Schedule, momentum: float = 0.9) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """Adagrad (Duchi et al., 2011) with momentum on the scaled gradient.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        momentum: Momentum decay, in `[0, 1)`.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = adagrad(0.1)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.01,  0.01])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0), fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, g_sq, m = state
        g_sq = g_sq + fnp.square(g)
        g_sq_inv_sqrt = fnp.where(g_sq > 0, 1.0 / fnp.sqrt(fnp.where(g_sq > 0, g_sq, 1.0)), 0.0)
        m = (1.0 - momentum) * (g * g_sq_inv_sqrt) + momentum * m
        return x - step_size(i) * m, g_sq, m

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


@optimizer
def rmsprop(
    step_size: float | Schedule, gamma: float = 0.9, eps: float = 1e-8
) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """RMSProp: `a <- gamma * a + (1 - gamma) * g**2`; `x <- x - step_size(i) * g / sqrt(a + eps)`.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        gamma: Decay of the squared-gradient average.
        eps: Added to the root mean square.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = rmsprop(0.1)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.31622775,  0.31622776])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, avg_sq_grad = state
        avg_sq_grad = avg_sq_grad * gamma + fnp.square(g) * (1.0 - gamma)
        return x - step_size(i) * g / fnp.sqrt(avg_sq_grad + eps), avg_sq_grad

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


@optimizer
def rmsprop_momentum(
    step_size: float | Schedule, gamma: float = 0.9, eps: float = 1e-8, momentum: float = 0.9
) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """RMSProp with momentum on the scaled step: `m <- momentum * m + step_size(i) * g / sqrt(a + eps)`.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        gamma: Decay of the squared-gradient average.
        eps: Added to the root mean square.
        momentum: Momentum decay, in `[0, 1)`.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = rmsprop_momentum(0.1)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.31622775,  0.31622776])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0), fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, avg_sq_grad, mom = state
        avg_sq_grad = avg_sq_grad * gamma + fnp.square(g) * (1.0 - gamma)
        mom = momentum * mom + step_size(i) * g / fnp.sqrt(avg_sq_grad + eps)
        return x - mom, avg_sq_grad, mom

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


@optimizer
def adam(
    step_size: float | Schedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8
) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """Adam (Kingma and Ba, 2014), with bias-corrected moment estimates.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        b1: Decay of the first moment estimate.
        b2: Decay of the second moment estimate.
        eps: Added to the root of the second moment.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> init, update, get = adam(0.1)
        >>> get(update(0, 5.0, init(1.0)))  # the first step has length step_size
        np.float64(0.9)
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0), fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, m, v = state
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * fnp.square(g) + b2 * v
        mhat = m / (1 - b1 ** (i + 1))
        vhat = v / (1 - b2 ** (i + 1))
        return x - step_size(i) * mhat / (fnp.sqrt(vhat) + eps), m, v

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


@optimizer
def adamax(
    step_size: float | Schedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8
) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """AdaMax, Adam's infinity-norm variant: `u <- max(b2 * u, |g|)`.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        b1: Decay of the first moment estimate.
        b2: Decay of the infinity-norm estimate.
        eps: Added to the infinity-norm estimate.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = adamax(0.1)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.1,  0.1])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        return x0, fnp.zeros_like(x0), fnp.zeros_like(x0)

    def update(i: Any, g: Any, state: Any) -> Any:
        x, m, u = state
        m = (1 - b1) * g + b1 * m
        u = fnp.maximum(b2 * u, fnp.abs(g))
        return x - (step_size(i) / (1 - b1 ** (i + 1))) * m / (u + eps), m, u

    def get_params(state: Any) -> Any:
        return state[0]

    return init, update, get_params


def _broadcast_into(ndim: int, v: Any, axis: int) -> Any:
    index: list[slice | None] = [None] * ndim
    index[axis] = slice(None)
    return v[tuple(index)]


@optimizer
def sm3(step_size: float | Schedule, momentum: float = 0.9) -> tuple[InitFn, UpdateFn, ParamsFn]:
    """SM3 (Anil et al., 2019): Adagrad with one accumulator per axis instead of per entry.

    The state of a parameter of shape `s` is `(x, m, vs, s)`: a 0-d parameter is kept
    as a 1-d array of one entry (with one accumulator), and read back in its own shape.

    Args:
        step_size: A number, or a schedule `i -> step size`.
        momentum: Momentum decay, in `[0, 1)`.

    Returns:
        `Optimizer(init_fn, update_fn, params_fn)` acting on pytrees of parameters.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = sm3(0.1)
        >>> get(update(0, fnp.array([1.0, -2.0]), init(fnp.zeros(2))))
        array([-0.01,  0.01])
    """
    step_size = make_schedule(step_size)

    def init(x0: Any) -> Any:
        x_shape = tuple(fnp.shape(x0))
        x0 = fnp.atleast_1d(x0)
        return x0, fnp.zeros_like(x0), [fnp.zeros(n, dtype=x0.dtype) for n in x0.shape], x_shape

    def update(i: Any, g: Any, state: Any) -> Any:
        x, m, vs, x_shape = state
        g = fnp.reshape(g, x.shape)
        accum = functools.reduce(fnp.minimum, [_broadcast_into(g.ndim, v, k) for k, v in enumerate(vs)])
        accum = accum + fnp.square(g)
        inv = fnp.where(accum > 0, 1.0 / fnp.sqrt(fnp.where(accum > 0, accum, 1.0)), 0.0)
        m = (1.0 - momentum) * (g * inv) + momentum * m
        x = x - step_size(i) * m
        vs = [fnp.max(accum, axis=tuple(a for a in range(g.ndim) if a != k)) for k in range(g.ndim)]
        return x, m, vs, x_shape

    def get_params(state: Any) -> Any:
        x, _, _, x_shape = state
        return fnp.reshape(x, x_shape)

    return init, update, get_params


# -------------------------------------------------------------------------- schedules


def constant(step_size: float) -> Schedule:
    """The schedule `i -> step_size`.

    Args:
        step_size: The step size.

    Returns:
        The schedule.

    Examples:
        >>> constant(0.1)(5)
        0.1
    """

    def schedule(i: Any) -> Any:
        return step_size

    return schedule


def exponential_decay(step_size: float, decay_steps: float, decay_rate: float) -> Schedule:
    """`i -> step_size * decay_rate ** (i / decay_steps)`.

    Args:
        step_size: The initial step size.
        decay_steps: Steps per decay by `decay_rate`.
        decay_rate: The decay factor.

    Returns:
        The schedule.

    Examples:
        >>> exponential_decay(0.1, 10, 0.5)(10)
        0.05
    """

    def schedule(i: Any) -> Any:
        return step_size * decay_rate ** (i / decay_steps)

    return schedule


def inverse_time_decay(
    step_size: float, decay_steps: float, decay_rate: float, staircase: bool = False
) -> Schedule:
    """`i -> step_size / (1 + decay_rate * i / decay_steps)` (`i // decay_steps` with `staircase`).

    Args:
        step_size: The initial step size.
        decay_steps: Steps per unit of decay.
        decay_rate: The decay factor.
        staircase: Decay in steps of `decay_steps` (`i // decay_steps`).

    Returns:
        The schedule.

    Examples:
        >>> inverse_time_decay(1.0, 10, 1.0)(10), inverse_time_decay(1.0, 10, 1.0, staircase=True)(15)
        (0.5, np.float64(0.5))
    """
    if staircase:

        def schedule(i: Any) -> Any:
            return step_size / (1 + decay_rate * onp.floor(i / decay_steps))

    else:

        def schedule(i: Any) -> Any:
            return step_size / (1 + decay_rate * i / decay_steps)

    return schedule


def polynomial_decay(
    step_size: float, decay_steps: float, final_step_size: float, power: float = 1.0
) -> Schedule:
    """From `step_size` to `final_step_size` in `decay_steps` steps, along
    `(1 - i / decay_steps) ** power`, then constant.

    Args:
        step_size: The initial step size.
        decay_steps: Steps until the final step size.
        final_step_size: The step size from `decay_steps` on.
        power: The exponent of the decay.

    Returns:
        The schedule.

    Examples:
        >>> polynomial_decay(1.0, 10, 0.1)(5), polynomial_decay(1.0, 10, 0.1)(50)
        (np.float64(0.55), np.float64(0.1))
    """

    def schedule(step_num: Any) -> Any:
        step_num = onp.minimum(step_num, decay_steps)
        step_mult = (1 - step_num / decay_steps) ** power
        return step_mult * (step_size - final_step_size) + final_step_size

    return schedule


def piecewise_constant(boundaries: Any, values: Any) -> Schedule:
    """`values[k]` for steps with `k` boundaries below them: `len(values) == len(boundaries) + 1`.

    Args:
        boundaries: Increasing step numbers where the value changes.
        values: The values, one more than `boundaries`.

    Returns:
        The schedule.

    Raises:
        ValueError: when `values` is not one longer than `boundaries`.

    Examples:
        >>> s = piecewise_constant([10, 20], [1.0, 0.5, 0.1])
        >>> s(0), s(10), s(11), s(25)
        (np.float64(1.0), np.float64(1.0), np.float64(0.5), np.float64(0.1))
    """
    boundaries = onp.asarray(boundaries)
    values = onp.asarray(values)
    if not boundaries.ndim == values.ndim == 1:
        raise ValueError("boundaries and values must be sequences")
    if not boundaries.shape[0] == values.shape[0] - 1:
        raise ValueError("boundaries length must be one shorter than values length")

    def schedule(i: Any) -> Any:
        return values[onp.sum(i > boundaries)]

    return schedule


def make_schedule(scalar_or_schedule: float | Schedule) -> Schedule:
    """A schedule as is, or a number as the `constant` schedule.

    Args:
        scalar_or_schedule: A number, or a schedule `i -> step size`.

    Returns:
        The schedule.

    Raises:
        TypeError: for anything else.

    Examples:
        >>> make_schedule(0.1)(3), make_schedule(lambda i: 1.0 / (i + 1))(3)
        (0.1, 0.25)
    """
    if callable(scalar_or_schedule):
        return scalar_or_schedule
    if onp.ndim(scalar_or_schedule) == 0:
        return constant(scalar_or_schedule)
    raise TypeError(
        f"a step size must be a number or a schedule (a function of the step number), "
        f"got {type(scalar_or_schedule).__name__}"
    )


# ---------------------------------------------------------------------------- utilities


def l2_norm(tree: PyTree) -> Array:
    """The l2 norm of a pytree of arrays (the norm of all its entries together).

    Args:
        tree: A pytree of arrays.

    Returns:
        The norm, a scalar.

    Examples:
        >>> l2_norm({"a": fnp.array([3.0]), "b": 4.0})
        np.float64(5.0)
    """
    leaves, _ = tree_flatten(tree)
    return fnp.sqrt(sum(_squared_norm(x) for x in leaves))


def _squared_norm(x: Any) -> Any:
    x = fnp.asarray(x)
    if fnp.iscomplexobj(x):
        return fnp.sum(fnp.real(fnp.conj(x) * x))
    return fnp.sum(x * x)


def clip_grads(grad_tree: PyTree, max_norm: float) -> PyTree:
    """Scale a pytree of gradients so that its `l2_norm` is at most `max_norm`.

    Args:
        grad_tree: A pytree of gradients.
        max_norm: The largest norm allowed.

    Returns:
        The pytree, scaled when its norm exceeds `max_norm`.

    Examples:
        >>> clip_grads([fnp.array([3.0, 4.0])], 1.0)
        [array([0.6, 0.8])]
    """
    norm = l2_norm(grad_tree)

    def normalize(g: Any) -> Any:
        return fnp.where(norm < max_norm, g, g * (max_norm / norm))

    return tree_map(normalize, grad_tree)


class JoinPoint:
    """Marks the boundary between the parameters' pytree and one leaf's state (a leaf).

    Args:
        subtree: One leaf's state.
    """

    def __init__(self, subtree: Any) -> None:
        self.subtree = subtree

    def __iter__(self) -> Any:
        return iter(self.subtree)


def unpack_optimizer_state(opt_state: OptimizerState) -> PyTree:
    """The state as a pytree of the parameters' structure with `JoinPoint` leaves
    (for saving it: pickle friendly, no treedefs); `pack_optimizer_state` inverts it.

    Args:
        opt_state: An `OptimizerState`.

    Returns:
        A pytree of the parameters' structure with a `JoinPoint` per leaf.

    Examples:
        >>> import fad.numpy as fnp
        >>> init, update, get = sgd(0.1)
        >>> unpacked = unpack_optimizer_state(init({"w": fnp.ones(2)}))
        >>> type(unpacked["w"]).__name__
        'JoinPoint'
    """
    states_flat, tree_def, subtree_defs = opt_state
    subtrees = map(tree_unflatten, subtree_defs, states_flat)
    return tree_unflatten(tree_def, [JoinPoint(s) for s in subtrees])


def pack_optimizer_state(marked_pytree: PyTree) -> OptimizerState:
    """The inverse of `unpack_optimizer_state`.

    Args:
        marked_pytree: What `unpack_optimizer_state` returned.

    Returns:
        The `OptimizerState`.

    Raises:
        TypeError: when a leaf is not a `JoinPoint`.

    Examples:
        >>> init, update, get = momentum(0.1, 0.9)
        >>> state = init({"w": fnp.ones(2)})
        >>> get(pack_optimizer_state(unpack_optimizer_state(state)))
        {'w': array([1., 1.])}
    """
    sentinels, tree_def = tree_flatten(marked_pytree)
    if not all(isinstance(s, JoinPoint) for s in sentinels):
        raise TypeError(
            "pack_optimizer_state expects the pytree returned by unpack_optimizer_state "
            "(every leaf a JoinPoint)."
        )
    states_flat, subtree_defs = _unzip2(tree_flatten(s.subtree) for s in sentinels)
    return OptimizerState(states_flat, tree_def, subtree_defs)
