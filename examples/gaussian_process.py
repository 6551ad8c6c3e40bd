"""Gaussian-process regression: fit kernel hyperparameters by maximizing the marginal likelihood.

The negative log marginal likelihood of data ``y`` under a GP with an RBF kernel is
``0.5 y^T K^-1 y + 0.5 log det K + n/2 log(2 pi)``. It is computed through a Cholesky
factor ``K = L L^T`` (``fad.numpy.linalg.cholesky``, ``fad.scipy.linalg.cho_solve``) and
checked against ``fad.numpy.linalg.slogdet``; ``fad.value_and_grad`` differentiates it with
respect to the log length scale, log signal amplitude and log noise, through the
factorization. Writes ``gaussian_process.png`` (the fit before and after, and the loss).

    python examples/gaussian_process.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.scipy.linalg import cho_solve


def kernel(params, a, b):
    d2 = (a[:, None] - b[None, :]) ** 2
    return np.exp(2 * params["log_amp"]) * np.exp(-0.5 * d2 / np.exp(2 * params["log_len"]))


def gram(params, x):
    return kernel(params, x, x) + (np.exp(2 * params["log_noise"]) + 1e-9) * np.eye(x.shape[0])


def nll(params, x, y):
    L = np.linalg.cholesky(gram(params, x))
    alpha = cho_solve((L, True), y)
    logdet = 2 * np.sum(np.log(np.diagonal(L)))
    return 0.5 * y @ alpha + 0.5 * logdet + 0.5 * x.shape[0] * np.log(2 * np.pi)


def nll_slogdet(params, x, y):
    K = gram(params, x)
    return (
        0.5 * y @ np.linalg.solve(K, y) + 0.5 * np.linalg.slogdet(K)[1] + 0.5 * x.shape[0] * np.log(2 * np.pi)
    )


def posterior(params, x, y, xs):
    L = np.linalg.cholesky(gram(params, x))
    ks = kernel(params, xs, x)
    mean = ks @ cho_solve((L, True), y)
    var = np.exp(2 * params["log_amp"]) - np.sum(ks * cho_solve((L, True), ks.T).T, axis=1)
    return mean, np.sqrt(np.maximum(var, 0.0))


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(1)
    n = 25 if args.quick else 40
    x = onp.sort(rng.uniform(-4, 4, n))
    y = onp.sin(1.5 * x) + 0.5 * onp.sin(0.4 * x) + 0.15 * rng.normal(size=n)
    start = {"log_amp": 0.0, "log_len": onp.log(0.2), "log_noise": onp.log(0.5)}

    g1, g2 = fad.grad(nll)(start, x, y), fad.grad(nll_slogdet)(start, x, y)
    assert onp.isclose(nll(start, x, y), nll_slogdet(start, x, y))
    assert all(onp.isclose(g1[k], g2[k]) for k in g1)  # Cholesky and slogdet agree

    params, history, lr = dict(start), [], 0.05
    step = fad.value_and_grad(nll)
    m = {k: 0.0 for k in params}
    for _ in range(40 if args.quick else 300):  # gradient descent with momentum
        value, g = step(params, x, y)
        history.append(float(value))
        m = {k: 0.9 * m[k] + g[k] for k in params}
        params = {k: params[k] - lr * m[k] / n for k in params}
    fitted = {k: float(onp.exp(v)) for k, v in params.items()}
    print(f"negative log marginal likelihood {history[0]:.2f} -> {history[-1]:.2f}")
    print("fitted " + ", ".join(f"{k[4:]} = {v:.3f}" for k, v in fitted.items()))
    assert history[-1] < history[0]

    plt = pyplot()
    if plt is None:
        return no_plot("gaussian_process.png")
    xs = onp.linspace(-5, 5, 200)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained")
    for ax, p, title in [
        (axes[0], start, "initial hyperparameters"),
        (axes[1], params, "fitted by fad.grad"),
    ]:
        mean, sd = posterior(p, x, y, xs)
        ax.fill_between(xs, mean - 2 * sd, mean + 2 * sd, alpha=0.25, label="mean ± 2 sd")
        ax.plot(xs, mean, label="posterior mean")
        ax.plot(x, y, "k.", label="data")
        ax.set(title=title, xlabel="x", ylim=(-3, 3))
    axes[0].legend(loc="lower left", fontsize=8)
    axes[2].plot(history)
    axes[2].set(xlabel="step", ylabel="loss", title="negative log marginal likelihood")
    save(fig, args.out, "gaussian_process.png")


if __name__ == "__main__":
    main()
