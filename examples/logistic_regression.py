"""Logistic regression by gradient descent, with the gradient from ``fad.grad``.

Two Gaussian clouds in 2-D; the model is ``p(y=1 | x) = expit(x @ w + b)`` and the loss
the mean negative log-likelihood, written with ``logaddexp`` so it stays finite for any
weights. Writes ``logistic_regression.png`` (loss curve and decision boundary).

    python examples/logistic_regression.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np


def make_data(n, rng):
    y = rng.integers(0, 2, n)
    centers = onp.array([[-1.0, -0.5], [1.0, 0.8]])
    x = centers[y] + rng.normal(scale=0.8, size=(n, 2))
    return x, y.astype(float)


def loss(params, x, y):
    w, b = params
    z = x @ w + b
    # -log expit(z) = log(1 + exp(-z)); -log(1 - expit(z)) = log(1 + exp(z))
    return np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z))


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    x, y = make_data(200, rng)
    params = (np.zeros(2), 0.0)
    step = fad.jit(fad.value_and_grad(loss))  # captured once, then straight-line NumPy
    history = []
    lr, steps = 0.5, 30 if args.quick else 300
    for _ in range(steps):
        value, (gw, gb) = step(params, x, y)
        history.append(float(value))
        params = (params[0] - lr * gw, params[1] - lr * gb)
    w, b = params
    accuracy = onp.mean((x @ w + b > 0) == (y == 1))
    print(f"loss {history[0]:.4f} -> {history[-1]:.4f} in {steps} steps; accuracy {accuracy:.1%}")
    assert history[-1] < history[0]

    plt = pyplot()
    if plt is None:
        return no_plot("logistic_regression.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.6))
    a1.plot(history)
    a1.set(xlabel="step", ylabel="loss (mean NLL)", title="gradient descent")
    a2.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", s=12)
    xs = onp.linspace(x[:, 0].min(), x[:, 0].max(), 2)
    a2.plot(xs, -(w[0] * xs + b) / w[1], "k-", label="p = 0.5")
    a2.set(title=f"decision boundary (accuracy {accuracy:.0%})", xlabel="x0", ylabel="x1")
    a2.legend()
    save(fig, args.out, "logistic_regression.png")


if __name__ == "__main__":
    main()
