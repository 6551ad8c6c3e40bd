# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Autodiff cookbook
#
# The [tutorial](tutorial.html) goes from a derivative to `jacfwd(jacrev(f))`. This notebook
# goes further: the recipes research code reaches for once gradients work. Each recipe is a
# few lines of fad, checked against a slower or hand-derived answer in the cell itself, so
# the notebook fails (and the docs build with it) if a recipe stops being right.
#
# Download it with the button at the top of the page and run it in Jupyter, or read it here:
# the outputs below were computed when the site was built.

# %%
import time

import numpy as onp

import fad
import fad.numpy as np

rng = onp.random.default_rng(0)

# %% [markdown]
# ## Hessian-vector products without the Hessian
#
# Newton-Krylov methods, trust regions and curvature diagnostics need `H v`, not `H`. For
# `n` inputs the Hessian costs `n` gradient evaluations and `n²` numbers; an HVP costs about
# two. Three ways, all exact:
#
# * **forward over reverse**: the directional derivative of the gradient,
#   `jvp(grad(f), (x,), (v,))`;
# * **reverse over reverse**: the gradient of `<grad f(x), v>`;
# * **reverse over forward**: the gradient of the directional derivative.


# %%
def f(x):
    return np.sum(np.tanh(x) ** 2) + 0.5 * np.sum(x[1:] * x[:-1])


def hvp_fwd_rev(f, x, v):
    return fad.jvp(fad.grad(f), (x,), (v,))[1]


def hvp_rev_rev(f, x, v):
    return fad.grad(lambda x: np.vdot(fad.grad(f)(x), v))(x)


def hvp_rev_fwd(f, x, v):
    return fad.grad(lambda x: fad.jvp(f, (x,), (v,))[1])(x)


n = 2000
x, v = rng.standard_normal(n), rng.standard_normal(n)
reference = fad.hessian(f)(x) @ v
for hvp in (hvp_fwd_rev, hvp_rev_rev, hvp_rev_fwd):
    t0 = time.perf_counter()
    out = hvp(f, x, v)
    print(f"{hvp.__name__}: {1e3 * (time.perf_counter() - t0):.1f} ms")
    assert onp.allclose(out, reference, rtol=1e-10, atol=1e-12)

# %% [markdown]
# For a loop of many HVPs at one point, `fad.linearize` evaluates `grad f` once and returns
# its linear map, so each product only runs the tangent program:

# %%
g_x, hvp_at_x = fad.linearize(fad.grad(f), x)
assert onp.allclose(hvp_at_x(v), reference, rtol=1e-10, atol=1e-12)
assert onp.allclose(g_x, fad.grad(f)(x))

# %% [markdown]
# ## Jacobians: pick the mode by the shape
#
# `jacfwd` pushes one tangent per *input* element, `jacrev` pulls one cotangent per
# *output* element, each batched by `vmap`. Tall Jacobians (few inputs, many outputs) want
# forward mode, wide ones reverse mode; `fad.jacobian` chooses for you.

# %%
W = rng.standard_normal((500, 8))


def tall(x):  # 8 inputs -> 500 outputs
    return np.tanh(W @ x)


def wide(x):  # 500 inputs -> 8 outputs
    return np.tanh(W.T @ x)


for name, fun, arg in (("tall", tall, rng.standard_normal(8)), ("wide", wide, rng.standard_normal(500))):
    times = {}
    for jac in (fad.jacfwd, fad.jacrev):
        t0 = time.perf_counter()
        J = jac(fun)(arg)
        times[jac.__name__] = time.perf_counter() - t0
    print(name, J.shape, {k: f"{1e3 * t:.1f} ms" for k, t in times.items()})
    assert onp.allclose(fad.jacfwd(fun)(arg), fad.jacrev(fun)(arg))

# %% [markdown]
# Only a Jacobian's *action* is needed more often than the matrix: `jvp` gives `J v` and
# `vjp` gives `uᵀ J` at the cost of one evaluation each, whatever the shape.

# %%
xs = rng.standard_normal(8)
u = rng.standard_normal(500)
_, Jv = fad.jvp(tall, (xs,), (onp.eye(8)[0],))
_, pullback = fad.vjp(tall, xs)
(uJ,) = pullback(u)
J = fad.jacfwd(tall)(xs)
assert onp.allclose(Jv, J[:, 0]) and onp.allclose(uJ, u @ J)

# %% [markdown]
# ## Per-example gradients
#
# Differential privacy, influence functions and gradient-noise diagnostics need the
# gradient of the loss of *each* example, not of their mean. `vmap(grad(loss))` maps the
# gradient over the batch axis in one vectorised pass; the loop it replaces runs one
# gradient per example.


# %%
def loss(w, x, y):
    return (np.tanh(x @ w) - y) ** 2


w = rng.standard_normal(20)
X, Y = rng.standard_normal((256, 20)), rng.standard_normal(256)

t0 = time.perf_counter()
per_example = fad.vmap(fad.grad(loss), in_axes=(None, 0, 0))(w, X, Y)
t_vmap = time.perf_counter() - t0
t0 = time.perf_counter()
looped = onp.stack([fad.grad(loss)(w, X[i], Y[i]) for i in range(len(X))])
t_loop = time.perf_counter() - t0
print(f"per-example gradients {per_example.shape}: vmap {1e3 * t_vmap:.1f} ms, loop {1e3 * t_loop:.1f} ms")
assert onp.allclose(per_example, looped)
assert onp.allclose(per_example.mean(0), fad.grad(lambda w: np.mean(loss(w, X, Y)))(w))

# %% [markdown]
# ## Model ensembling with `vmap`
#
# An ensemble of small models trains fastest as one batched model: stack the parameters of
# every member along a new leading axis and `vmap` the training step over it. Here eight
# linear-tanh regressors, each from its own initialisation, take their gradient steps
# together.


# %%
def member_loss(params, X, Y):
    W1, w2 = params
    return np.mean((np.tanh(X @ W1) @ w2 - Y) ** 2)


def init(seed):
    r = onp.random.default_rng(seed)
    return (r.standard_normal((20, 16)) / 4, r.standard_normal(16) / 4)


members = [init(s) for s in range(8)]
stacked = tuple(onp.stack(leaves) for leaves in zip(*members, strict=True))  # (8, 20, 16) and (8, 16)

step = fad.jit(
    fad.vmap(
        lambda p, X, Y: tuple(q - 0.1 * g for q, g in zip(p, fad.grad(member_loss)(p, X, Y), strict=True)),
        in_axes=(0, None, None),
    )
)
batched_losses = fad.vmap(member_loss, in_axes=(0, None, None))
print("before:", onp.round(batched_losses(stacked, X, Y), 3))
for _ in range(100):
    stacked = step(stacked, X, Y)
final = batched_losses(stacked, X, Y)
print("after: ", onp.round(final, 3))

# the same training, one member at a time, agrees
p = members[3]
for _ in range(100):
    p = tuple(q - 0.1 * g for q, g in zip(p, fad.grad(member_loss)(p, X, Y), strict=True))
assert onp.isclose(member_loss(p, X, Y), final[3])

# %% [markdown]
# ## The neural tangent kernel
#
# For a network `f(θ, x)` with scalar output, the empirical neural tangent kernel is
# `Θ(x, x') = <∂f(θ, x)/∂θ, ∂f(θ, x')/∂θ>`: the Gram matrix of the per-example parameter
# gradients. It is per-example gradients again, then one matrix product.


# %%
def net(theta, x):
    W1, b1, w2 = theta
    return np.tanh(x @ W1 + b1) @ w2


theta = (rng.standard_normal((3, 64)) / 2, rng.standard_normal(64) / 2, rng.standard_normal(64) / 8)
xa, xb = rng.standard_normal((10, 3)), rng.standard_normal((12, 3))


def flat_grads(xs):
    grads = fad.vmap(fad.grad(net), in_axes=(None, 0))(theta, xs)
    return onp.concatenate([g.reshape(len(xs), -1) for g in grads], axis=1)


ntk = flat_grads(xa) @ flat_grads(xb).T
print("NTK block", ntk.shape)

# check one entry against the definition
ga, gb = fad.grad(net)(theta, xa[2]), fad.grad(net)(theta, xb[5])
assert onp.isclose(ntk[2, 5], sum(onp.vdot(p, q) for p, q in zip(ga, gb, strict=True)))

# %% [markdown]
# ## Implicit differentiation of a fixed point
#
# A solver's output `x*(a)`, defined by `x* = T(x*, a)`, has the derivative
# `dx*/da = (I - ∂T/∂x)⁻¹ ∂T/∂a` at the solution: no need to differentiate through the
# iterations (which costs memory per iteration and can be inaccurate while the iteration
# converges). `fad.scipy.optimize.fixed_point` solves and differentiates this way.
# Below, the same derivative by unrolling 200 iterations, and by the formula.

# %%
from fad.scipy.optimize import fixed_point  # noqa: E402


def T(x, a):
    return np.cos(a * x)


def solve_unrolled(a, iters=200):
    x = 0.5
    for _ in range(iters):
        x = T(x, a)
    return x


a = 0.9
x_star = fixed_point(T, 0.5, args=(a,))
d_implicit = fad.grad(lambda a: fixed_point(T, 0.5, args=(a,)))(a)
d_unrolled = fad.grad(solve_unrolled)(a)
# by hand: x = cos(a x)  =>  dx/da = -sin(a x) x / (1 + a sin(a x))
s = onp.sin(a * x_star)
d_exact = -s * x_star / (1 + a * s)
print(
    f"x* = {float(x_star):.10f}; dx*/da implicit {float(d_implicit):.12f}, unrolled {float(d_unrolled):.12f}"
)
assert abs(d_implicit - d_exact) < 1e-9 and abs(d_unrolled - d_exact) < 1e-9

# %% [markdown]
# The same idea, written by hand with `fad.custom_vjp`, for any iterative solver: the
# forward pass solves, the backward pass solves the adjoint linear fixed point
# `u = ḡ + uᵀ ∂T/∂x` by the same kind of iteration.

# %%
from functools import partial  # noqa: E402


@partial(fad.custom_vjp, nondiff_argnums=(0,))
def fixed_point_by_hand(T, a, x0):
    x = x0
    for _ in range(500):
        x_new = T(x, a)
        if abs(x_new - x) < 1e-14:
            break
        x = x_new
    return x_new


def fwd(T, a, x0):
    x = fixed_point_by_hand(T, a, x0)
    return x, (a, x)


def bwd(T, res, g):
    a, x = res
    _, pull_x = fad.vjp(lambda x: T(x, a), x)
    u = g
    for _ in range(500):
        u = g + pull_x(u)[0]
    _, pull_a = fad.vjp(lambda a: T(x, a), a)
    return pull_a(u)[0], 0.0 * x


fixed_point_by_hand.defvjp(fwd, bwd)
d_by_hand = fad.grad(lambda a: fixed_point_by_hand(T, a, 0.5))(a)
assert abs(d_by_hand - d_exact) < 1e-9

# %% [markdown]
# ## Higher derivatives by Taylor mode
#
# Nesting `grad` k times differentiates the whole previous program each time, so the cost
# roughly doubles per order. `fad.jet` pushes a truncated Taylor series through the
# function in one pass: the k-th coefficient along the line `x + t` is `f⁽ᵏ⁾(x)`.


# %%
def g(x):
    return np.tanh(x) * np.exp(-(x**2) / 2)


x0 = 0.3
order = 6
_, series = fad.jet(g, (x0,), ((1.0,) + (0.0,) * (order - 1),))
nested, d = [], g
for _ in range(order):
    d = fad.grad(d)
    nested.append(d(x0))
print("derivatives 1..6 by jet:   ", onp.round(onp.array(series, dtype=float), 6))
print("derivatives 1..6 by grad^k:", onp.round(onp.array(nested, dtype=float), 6))
assert onp.allclose(series, nested, rtol=1e-9, atol=1e-9)

t0 = time.perf_counter()
fad.jet(g, (x0,), ((1.0,) + (0.0,) * (order - 1),))
t_jet = time.perf_counter() - t0
t0 = time.perf_counter()
d(x0)
t_nested = time.perf_counter() - t0
print(f"order 6: jet {1e3 * t_jet:.2f} ms (all six), nested grad {1e3 * t_nested:.2f} ms (the sixth)")

# %% [markdown]
# ## Where next
#
# * [Custom rules and new primitives](../custom_rules.html) for `custom_jvp`/`custom_vjp` in
#   depth;
# * [Staging and jit](../staging.html) to compile any of the recipes above with `fad.jit`;
# * [Performance](../performance.html) for what each transform costs and how to measure it.
