"""A small MLP classifier on the "two moons" data set, trained with ``fad.value_and_grad``.

The data are generated with NumPy (no download). Parameters are a list of dicts (a pytree);
``value_and_grad`` returns the loss and a gradient of the same structure, and Adam is a few
lines of ``fad.tree_util.tree_map``. Writes ``mlp_classifier.png`` (loss curve and the
learned decision regions).

    python examples/mlp_classifier.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.scipy.special import log_softmax
from fad.tree_util import tree_map


def two_moons(n, noise, rng):
    """n points on two interleaving half circles, labels 0 and 1."""
    t = rng.uniform(0, onp.pi, n)
    y = rng.integers(0, 2, n)
    x = onp.where(y[:, None] == 0, onp.c_[onp.cos(t), onp.sin(t)], onp.c_[1 - onp.cos(t), 0.5 - onp.sin(t)])
    return x + rng.normal(scale=noise, size=x.shape), y


def init(sizes, rng):
    return [
        {"w": rng.normal(size=(m, n)) / onp.sqrt(m), "b": onp.zeros(n)}
        for m, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def predict(params, x):
    for layer in params[:-1]:
        x = np.tanh(x @ layer["w"] + layer["b"])
    return x @ params[-1]["w"] + params[-1]["b"]  # logits


def loss(params, x, y):
    logp = log_softmax(predict(params, x), axis=-1)
    return -np.mean(np.take_along_axis(logp, y[:, None], axis=1))


def adam(grads, state, lr=0.02, b1=0.9, b2=0.999, eps=1e-8):
    m, v, t = state
    t += 1
    m = tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
    v = tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
    step = tree_map(lambda m, v: -lr * (m / (1 - b1**t)) / (onp.sqrt(v / (1 - b2**t)) + eps), m, v)
    return step, (m, v, t)


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    x, y = two_moons(300, 0.15, rng)
    params = init([2, 32, 32, 2], rng)
    state = (tree_map(onp.zeros_like, params), tree_map(onp.zeros_like, params), 0)
    loss_and_grad = fad.value_and_grad(loss)
    history = []
    for _ in range(60 if args.quick else 400):
        value, grads = loss_and_grad(params, x, y)
        step, state = adam(grads, state)
        params = tree_map(lambda p, s: p + s, params, step)
        history.append(float(value))
    accuracy = onp.mean(onp.argmax(predict(params, x), axis=1) == y)
    print(
        f"loss {history[0]:.3f} -> {history[-1]:.3f} in {len(history)} steps; "
        f"training accuracy {accuracy:.1%}"
    )
    assert history[-1] < history[0]

    plt = pyplot()
    if plt is None:
        return no_plot("mlp_classifier.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    a1.semilogy(history)
    a1.set(xlabel="step", ylabel="cross-entropy", title="training loss (Adam)")
    g0, g1 = onp.meshgrid(onp.linspace(-1.5, 2.5, 200), onp.linspace(-1.0, 1.5, 150))
    grid = onp.c_[g0.ravel(), g1.ravel()]
    p1 = onp.exp(log_softmax(predict(params, grid), axis=-1))[:, 1].reshape(g0.shape)
    a2.contourf(g0, g1, p1, levels=20, cmap="coolwarm", alpha=0.6)
    a2.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", s=10, edgecolors="k", linewidths=0.3)
    a2.set(title=f"p(class 1), training accuracy {accuracy:.1%}", xlabel="x0", ylabel="x1")
    save(fig, args.out, "mlp_classifier.png")


if __name__ == "__main__":
    main()
