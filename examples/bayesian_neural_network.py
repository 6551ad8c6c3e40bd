"""A Bayesian neural network fitted by black-box variational inference.

A 1-20-20-1 tanh network regresses noisy samples of a curve with a gap in the data. Its
weights get a standard normal prior and a mean-field Gaussian posterior ``q = N(m,
diag(s^2))``; the evidence lower bound (ELBO) is estimated with reparameterized samples
``w = m + s * eps`` and maximized with Adam. The weights live in one flat vector
(``fad.flatten_util.ravel_pytree`` turns it back into the layers' dict), ``fad.vmap`` runs
the network for every weight sample at once, and ``fad.jit`` stages the gradient of the
ELBO. The posterior predictive is confident near the data and wider in the gap between
them (far outside the data the tanh units saturate, and a mean-field posterior stays
overconfident there, as it is known to). Writes ``bayesian_neural_network.png``.

    python examples/bayesian_neural_network.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.example_libraries import optimizers
from fad.flatten_util import ravel_pytree
from fad.scipy import stats

NOISE = 0.1  # standard deviation of the observation noise, assumed known


def make_data(n, rng):
    x = onp.concatenate([rng.uniform(-4.0, -1.5, n // 2), rng.uniform(1.0, 3.0, n - n // 2)])
    y = onp.cos(1.5 * x) + 0.1 * x + NOISE * rng.normal(size=n)
    return x, y


def init_layers(sizes):
    return [{"w": onp.zeros((m, n)), "b": onp.zeros(n)} for m, n in zip(sizes[:-1], sizes[1:], strict=True)]


def predict(layers, x):
    h = x[:, None]
    for layer in layers[:-1]:
        h = np.tanh(h @ layer["w"] + layer["b"])
    return (h @ layers[-1]["w"] + layers[-1]["b"])[:, 0]


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    x, y = make_data(40, rng)
    flat, unravel = ravel_pytree(init_layers([1, 20, 20, 1]))
    d = flat.size

    def predict_flat(w, x):
        return predict(unravel(w), x)

    def log_joint(w):  # prior and likelihood for one weight vector
        return np.sum(stats.norm.logpdf(w)) + np.sum(stats.norm.logpdf(y, predict_flat(w, x), NOISE))

    def neg_elbo(params, eps):
        m, log_s = params
        ws = m + np.exp(log_s) * eps  # one row per Monte Carlo sample
        return -(np.mean(fad.vmap(log_joint)(ws)) + np.sum(stats.norm.entropy(scale=np.exp(log_s))))

    steps, n_samples = (150, 8) if args.quick else (20000, 16)
    init_fun, update_fun, get_params = optimizers.adam(optimizers.exponential_decay(0.03, steps, 0.1))
    state = init_fun((0.5 * rng.normal(size=d), onp.full(d, -4.0)))
    step = fad.jit(fad.value_and_grad(neg_elbo))
    history = []
    for i in range(steps):
        value, g = step(get_params(state), rng.normal(size=(n_samples, d)))
        state = update_fun(i, g, state)
        history.append(-float(value))
    m, log_s = get_params(state)

    xs = onp.linspace(-6.0, 6.0, 300)
    ws = m + onp.exp(log_s) * rng.normal(size=(200, d))
    fs = onp.asarray(fad.vmap(predict_flat, in_axes=(0, None))(ws, xs))
    mean, sd = fs.mean(axis=0), onp.sqrt(fs.var(axis=0) + NOISE**2)
    train = onp.asarray(fad.vmap(predict_flat, in_axes=(0, None))(ws, x)).mean(axis=0)
    rmse = onp.sqrt(onp.mean((train - y) ** 2))
    gap = (xs > -1.5) & (xs < 1.0)
    print(
        f"{d} weights; ELBO {onp.mean(history[:10]):.1f} -> {onp.mean(history[-50:]):.1f} "
        f"in {steps} Adam steps"
    )
    print(f"training RMSE of the predictive mean {rmse:.3f} (noise {NOISE})")
    near = sd[~gap & (onp.abs(xs) < 3)].mean()
    print(f"predictive sd: {near:.2f} near the data, {sd[gap].mean():.2f} in the gap")
    assert onp.mean(history[-50:]) > onp.mean(history[:10])
    if not args.quick:
        assert rmse < 2 * NOISE and sd[gap].mean() > 2 * NOISE

    plt = pyplot()
    if plt is None:
        return no_plot("bayesian_neural_network.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained", width_ratios=(2, 1))
    a1.fill_between(xs, mean - 2 * sd, mean + 2 * sd, color="C0", alpha=0.2, label="predictive mean ± 2 sd")
    a1.plot(xs, fs[:8].T, color="C0", lw=0.6, alpha=0.6)
    a1.plot(xs, mean, "C0", label="predictive mean (thin: weight samples)")
    a1.plot(x, y, "k.", label="data")
    a1.set(xlabel="x", ylabel="y", ylim=(-3.5, 3.5), title=f"posterior predictive, training RMSE {rmse:.3f}")
    a1.legend(fontsize=8, loc="lower left")
    a2.plot(history, lw=0.4, alpha=0.5)
    smooth = onp.convolve(history, onp.ones(100) / 100, mode="valid")
    a2.plot(onp.arange(99, steps), smooth, "C1")
    lo = onp.percentile(history, 10)
    a2.set(xlabel="Adam step", ylabel="ELBO estimate (and smoothed)", title="evidence lower bound")
    a2.set_ylim(lo, max(history) + 0.05 * (max(history) - lo))
    save(fig, args.out, "bayesian_neural_network.png")


if __name__ == "__main__":
    main()
