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
# # Tutorial: derivatives of programs
#
# This notebook goes from "what is a derivative of a program" to `jacfwd(jacrev(f))`,
# per-example gradients and a small optimizer, in fad's code. The outputs below were computed
# when the site was built, and each cell checks its result with `assert`: the notebook runs in
# fad's test suite too, so what you read is what you get. Download it with the button at the
# top of the page to run it in Jupyter.


# %%
import numpy as onp

import fad
import fad.numpy as np  # NumPy's interface, differentiable

# %% [markdown]
# We follow one running example, the function of three inputs
#
#     f(x1, x2, x3) = 3 * (x1**2 + x2 * x3)
#
# at the point `(x1, x2, x3) = (2, 3, 4)`, where `f = 48`. By hand, `df/dx1 = 6 x1 = 12`,
# `df/dx2 = 3 x3 = 12` and `df/dx3 = 3 x2 = 9`.
#
# ## Three ways to get a derivative
#
# **Symbolic differentiation** manipulates the formula: apply the sum, product, power and
# chain rules to the expression and get a new expression. It is exact, and a computer
# algebra system does it well for short formulas. But the derivative of a product of `n`
# factors has `n` terms, each repeating most of the original expression: without careful
# sharing, derivative expressions grow much faster than the program they came from, and a
# program with loops and branches is not one formula at all.
#
# **Numerical differentiation** (finite differences) only runs the program:
# `f'(x) ~ (f(x + h) - f(x)) / h`. It needs nothing but `f`, but it is approximate, and
# there is no good `h`: a large `h` makes a truncation error, a small `h` a round-off error
# (the two values of `f` agree in most of their digits). And a gradient of `n` inputs costs
# `n + 1` runs of `f`.


# %%
def f(x1, x2, x3):
    return 3 * (x1**2 + x2 * x3)


print(f(2.0, 3.0, 4.0))
h = 1e-6
fd = (f(2.0 + h, 3.0, 4.0) - f(2.0, 3.0, 4.0)) / h
print(fd)  # close to 12, not 12
assert f(2.0, 3.0, 4.0) == 48.0 and 0 < abs(fd - 12.0) < 1e-4


# %% [markdown]
# **Automatic differentiation** (AD) runs the program too, but on every elementary
# operation it also applies that operation's derivative rule and combines them by the chain
# rule. The result is exact up to floating-point rounding, costs a small constant factor
# times one run of `f`, and follows whatever the program does: loops, branches, function
# calls. That is what fad does:


# %%
grads = fad.grad(f, argnums=(0, 1, 2))(2.0, 3.0, 4.0)
print(grads)
assert grads == (12.0, 12.0, 9.0)


# %% [markdown]
# The example [finite differences vs AD](../examples.html#finite-differences-vs-ad) plots the
# error of both kinds of difference quotient against `h`, next to AD's.
#
# ![finite differences vs AD](../img/finite_differences.png)
#
# ## Dual numbers and forward mode: `jvp`
#
# Take numbers of the form `a + b ε` where `ε² = 0` ("dual numbers"). Then
# `(a + b ε) + (c + d ε) = (a + c) + (b + d) ε` and
# `(a + b ε)(c + d ε) = ac + (ad + bc) ε`: the `ε` part obeys the sum and product rules. For
# any smooth `f`, Taylor's expansion about `a` stops after one term because `ε² = 0`:
#
#     f(a + b ε) = f(a) + f'(a) b ε
#
# So evaluating `f` on a dual number gives the value *and* the derivative in direction `b`,
# exactly, at the cost of carrying one extra number through each operation. For
# `g(x) = x**2 + 1`: `g(x + ε) = x² + 2x ε + ε² + 1 = (x² + 1) + 2x ε`.
#
# This is **forward mode**. In fad it is `fad.jvp` ("Jacobian-vector product"): give the
# point (the *primals*) and a direction (the *tangents*), get `f` and its directional
# derivative:


# %%
print(fad.jvp(lambda x: x**2 + 1, (3.0,), (1.0,)))
print(fad.jvp(f, (2.0, 3.0, 4.0), (1.0, 0.0, 0.0)))  # direction x1: df/dx1
print(fad.jvp(f, (2.0, 3.0, 4.0), (0.0, 1.0, 1.0)))  # df/dx2 + df/dx3
assert fad.jvp(lambda x: x**2 + 1, (3.0,), (1.0,)) == (10.0, 6.0)
assert fad.jvp(f, (2.0, 3.0, 4.0), (0.0, 1.0, 1.0)) == (48.0, 21.0)


# %% [markdown]
# One forward pass gives one directional derivative: `J t` for the Jacobian `J` of `f` and a
# tangent `t`. The full gradient of a function of `n` inputs needs `n` passes, one per basis
# direction. fad never builds dual numbers you can see; each value simply carries its
# tangent along.
#
# ## The Wengert list and reverse mode: `vjp` and `grad`
#
# Before differentiating, decompose the program into elementary steps, one operation per
# line, each result a new variable. This is a **Wengert list** (or *tape*).
# `fad.make_program` records it for any function, by running it on example arguments:


# %%
program = fad.make_program(f)(2.0, 3.0, 4.0)
print(program)
assert [e.prim.name for e in program.eqns] == ["pow", "mul", "add", "mul"]


# %% [markdown]
# `a`, `b`, `c` are `x1`, `x2`, `x3`; `f64[]` is a float64 scalar (a vector of three would be
# `f64[3]`). Forward mode walks this list top to bottom carrying a tangent next to each
# variable. **Reverse mode** walks it twice: forward to compute and keep every value, then
# backward from the output, carrying for every variable `v` its *adjoint*
# `v̄ = d output / d v`. Each line `w = op(u, v)` sends `w̄ · ∂w/∂u` to `ū` and `w̄ · ∂w/∂v`
# to `v̄` (adding up when a variable is used more than once). Starting from `ḡ = 1`:
#
# | step | adjoint | value at (2, 3, 4) |
# |---|---|---|
# | `g = 3 f` | `f̄ = 3 ḡ` | 3 |
# | `f = d + e` | `d̄ = f̄`, `ē = f̄` | 3, 3 |
# | `e = b c` | `b̄ = ē c`, `c̄ = ē b` | 12, 9 |
# | `d = a²` | `ā = d̄ · 2a` | 12 |
#
# One backward pass gives the whole gradient `(12, 12, 9)`, whatever the number of inputs:
# that is why reverse mode ("backpropagation") trains networks with millions of parameters.
# The price is memory: the forward values must be kept for the backward pass.
#
# `fad.vjp` ("vector-Jacobian product") exposes the two passes: it runs `f` forward and
# returns a function that pulls an output cotangent back to the inputs (`ctᵀ J`).
# `fad.grad` is `vjp` with the cotangent `1.0`:


# %%
value, f_vjp = fad.vjp(f, 2.0, 3.0, 4.0)
print(value, f_vjp(1.0))
assert value == 48.0 and f_vjp(1.0) == (12.0, 12.0, 9.0)


# %% [markdown]
# `make_program` records transformed functions too, so you can *see* the gradient's
# Wengert list. After fad's simplifier has removed what the gradient does not need, it is
# the table above, written as a program (`d`, `e`, `g` are the three partial derivatives):


# %%
grad_program = fad.make_program(fad.grad(f, argnums=(0, 1, 2)))(2.0, 3.0, 4.0)
print(grad_program)
assert len(grad_program.eqns) == 4  # three partial derivatives, one shared product


# %% [markdown]
# For a function with real work in it, the forward values reappear in the backward pass.
# The gradient of `sum(tanh(x)**2)` reuses `tanh(x)` (variable `b`) for
# `d tanh/dx = 1 - tanh²`:


# %%
def g(x):
    return np.sum(np.tanh(x) ** 2)


grad_g = fad.make_program(fad.grad(g))(np.ones(3))
print(grad_g)
assert [e.prim.name for e in grad_g.eqns].count("tanh") == 1  # computed once, used twice


# %% [markdown]
# The page [Staging and jit](../staging.html) draws these programs as graphs.
#
# ## Jacobians: `jacfwd` or `jacrev`?
#
# For `f: Rⁿ → Rᵐ` the Jacobian is the `m × n` matrix of partial derivatives. fad builds it
# either way, in one vectorized pass:
#
# * `fad.jacfwd(f)` pushes forward all `n` basis tangents (`n` jvps);
# * `fad.jacrev(f)` pulls back all `m` basis cotangents (`m` vjps).
#
# Both give the same matrix, of shape `out.shape + in.shape`:


# %%
def polar(p):
    r, theta = p[0], p[1]
    return np.stack([r * np.cos(theta), r * np.sin(theta), r**2])


J_fwd = fad.jacfwd(polar)(np.array([2.0, 0.0]))
J_rev = fad.jacrev(polar)(np.array([2.0, 0.0]))
print(J_fwd)
assert onp.array_equal(J_fwd, [[1.0, 0.0], [0.0, 2.0], [4.0, 0.0]]) and onp.array_equal(J_fwd, J_rev)


# %% [markdown]
# The cost differs. Use **`jacfwd` when the Jacobian is tall** (few inputs, many outputs,
# `n ≪ m`) and **`jacrev` when it is wide** (many inputs, few outputs, `m ≪ n`; a gradient
# is the extreme case `m = 1`). Measured on `f(x) = tanh(W x)` (script
# `docs/scripts/jacobian_timing.py`):
#
# ![jacfwd and jacrev against input and output size](../img/jacfwd_vs_jacrev.png)
#
# With 10 outputs, `jacrev`'s cost hardly moves as the input grows to 3000 while `jacfwd`'s
# grows with it; with 10 inputs it is the other way around. For square Jacobians the two
# are close; forward mode keeps no tape, so it uses less memory.
#
# ## Hessians: forward over reverse
#
# The Hessian is the Jacobian of the gradient. The gradient is a function like any other,
# so differentiate it again. `fad.hessian(f)` is `jacfwd(jacrev(f))`: reverse mode for the
# gradient (one output, many inputs), forward mode on top (the gradient has as many outputs
# as inputs, so forward mode's lack of a tape wins):


# %%
def f_vec(x):
    return 3 * (x[0] ** 2 + x[1] * x[2])


x = np.array([2.0, 3.0, 4.0])
print(fad.grad(f_vec)(x))
H = fad.hessian(f_vec)(x)
print(H)
assert onp.array_equal(H, [[6.0, 0.0, 0.0], [0.0, 0.0, 3.0], [0.0, 3.0, 0.0]])
assert onp.array_equal(fad.jacfwd(fad.jacrev(f_vec))(x), H)  # the same, spelled out


# %% [markdown]
# Every combination nests: `grad(grad(f))`, `jacrev(jacrev(f))`, `jvp` of `grad`... A
# Hessian-vector product without the Hessian is forward over reverse on one direction:


# %%
hvp = fad.jvp(fad.grad(f_vec), (x,), (np.array([1.0, 0.0, 0.0]),))[1]
print(hvp)
assert onp.array_equal(hvp, H[:, 0])


# %% [markdown]
# The example [Newton's method](../examples.html#newtons-method-vs-gradient-descent) uses
# `hessian` to minimize Rosenbrock's function in 8 steps.
#
# For *high* orders, nesting is the expensive way: `grad(grad(grad(f)))` differentiates the
# whole program of `grad(grad(f))`, forward and backward pass, so each order costs about
# twice the one before. Taylor mode pushes a truncated power series through `f` once
# instead, and gives every derivative up to order K along a direction (as JAX's
# `jax.experimental.jet`): the derivatives of `tanh` at 0.3, orders 1 to 4, in one pass:


# %%
value, derivatives = fad.jet(np.tanh, (0.3,), ([1.0, 0.0, 0.0, 0.0],))
print(onp.round(derivatives, 6))
g4 = fad.grad(fad.grad(fad.grad(fad.grad(np.tanh))))  # the fourth, by nesting
print(round(float(g4(0.3)), 6))
assert onp.isclose(derivatives[3], g4(0.3), rtol=1e-12)


# %% [markdown]
# ## Per-example gradients: `vmap`
#
# `fad.grad(loss)(w, x, y)` gives the gradient of the loss averaged over a batch. Some
# algorithms (gradient clipping per example, influence functions, variance estimates) need
# each example's gradient. Write the loss for **one** example and let `fad.vmap` map it over
# the batch axis: `in_axes=(None, 0, 0)` means "the same `w` for all, map `x` and `y` over
# their first axis".


# %%
def loss(w, x, y):  # one example: x has shape (2,)
    return (np.dot(x, w) - y) ** 2


w = np.array([1.0, -1.0])
xs = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
ys = np.array([0.0, 1.0, 2.0])
per_example = fad.vmap(fad.grad(loss), in_axes=(None, 0, 0))(w, xs, ys)
print(per_example)
assert onp.array_equal(per_example, [[-2.0, -4.0], [-12.0, -16.0], [-30.0, -36.0]])


# %% [markdown]
# `vmap` is a transform like the others: it vectorizes the gradient computation (one pass
# over the batch, no Python loop), and it composes with `grad` in either order.
#
# ## Gradient descent
#
# With gradients in hand, minimizing is a loop: step against the gradient. Start the
# running example at `(2, 3, 4)`, where the gradient `(12, 12, 9)` says that increasing any
# input increases `f`:


# %%
df = fad.grad(f, argnums=(0, 1, 2))
x1, x2, x3 = 2.0, 3.0, 4.0
lr = 0.01
values = []
for step in range(3):
    g1, g2, g3 = df(x1, x2, x3)
    x1, x2, x3 = x1 - lr * g1, x2 - lr * g2, x3 - lr * g3
    values.append(f(x1, x2, x3))
    print(f"step {step + 1}: f = {values[-1]:.3f}")
assert [round(v, 3) for v in values] == [44.386, 41.059, 37.995]


# %% [markdown]
# (`f` has no minimum: `x2 x3` is a saddle, so this descent goes on forever; the examples
# minimize real losses.) The same loop with a model's parameters in a pytree (lists, dicts,
# tuples of arrays) and `fad.value_and_grad` trains a classifier:
# see [the MLP example](../examples.html#mlp-classifier).
#
# ## Where next
#
# * [Sharp bits](../sharp_bits.html): what is different from NumPy under a transform.
# * [Coming from JAX](../coming_from_jax.html) and [from autograd](../coming_from_autograd.html).
# * [Custom rules and new primitives](../custom_rules.html), [Staging and jit](../staging.html).
# * [Examples](../examples.html), and the [API reference](../api/fad.html).
