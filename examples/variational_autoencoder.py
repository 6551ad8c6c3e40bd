"""A variational autoencoder on synthetic images that lie on a 2-D manifold.

Each 12x12 image is a blurred spot at a random position ``(px, py)``, so the images vary
in two directions only. An encoder MLP maps an image to a Gaussian ``q(z | x)`` over a 2-D
latent code, a decoder MLP maps a code to pixel probabilities; the loss is the negative
evidence lower bound, a Bernoulli reconstruction term plus the closed-form KL divergence to
the standard normal prior, with the reparameterization ``z = mu + sigma * eps``. The
parameters are a pytree of layer dicts; ``fad.jit(fad.value_and_grad(loss))`` and Adam
train it. The learned latent space recovers the two positions. Writes
``variational_autoencoder.png`` (latent codes coloured by the true positions, and decoded
images over a grid of codes).

    python examples/variational_autoencoder.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.example_libraries import optimizers

SIDE = 12


def make_images(n, rng):
    pos = rng.uniform(2.0, SIDE - 3.0, size=(n, 2))
    grid = onp.arange(SIDE)
    gx = onp.exp(-0.5 * ((grid[None, :] - pos[:, :1]) / 1.2) ** 2)
    gy = onp.exp(-0.5 * ((grid[None, :] - pos[:, 1:]) / 1.2) ** 2)
    return (gy[:, :, None] * gx[:, None, :]).reshape(n, SIDE * SIDE), pos


def init_mlp(sizes, rng):
    return [
        {"w": rng.normal(size=(m, n)) * onp.sqrt(2.0 / (m + n)), "b": onp.zeros(n)}
        for m, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def mlp(layers, h):
    for layer in layers[:-1]:
        h = np.tanh(h @ layer["w"] + layer["b"])
    return h @ layers[-1]["w"] + layers[-1]["b"]


def encode(params, x):
    out = mlp(params["encoder"], x)
    return out[:, :2], out[:, 2:]  # mean and log standard deviation of q(z | x)


def neg_elbo(params, x, eps):
    """Mean over the batch of -E_q[log p(x | z)] + KL(q(z | x) || N(0, I)), one sample of z per image."""
    mu, log_sigma = encode(params, x)
    z = mu + np.exp(log_sigma) * eps
    logits = mlp(params["decoder"], z)
    log_lik = np.sum(x * logits - np.logaddexp(0.0, logits), axis=1)  # Bernoulli, stable
    kl = 0.5 * np.sum(mu**2 + np.exp(2 * log_sigma) - 1.0 - 2 * log_sigma, axis=1)
    return np.mean(kl - log_lik)


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    x_train, _ = make_images(2000, rng)
    x_test, pos_test = make_images(500, rng)
    pixels = SIDE * SIDE
    params = {"encoder": init_mlp([pixels, 128, 4], rng), "decoder": init_mlp([2, 128, 128, pixels], rng)}
    steps, batch = (200, 64) if args.quick else (2000, 100)
    init_fun, update_fun, get_params = optimizers.adam(optimizers.exponential_decay(3e-3, steps, 0.3))
    state = init_fun(params)
    step = fad.jit(fad.value_and_grad(neg_elbo))
    history = []
    for i in range(steps):
        idx = rng.choice(len(x_train), batch, replace=False)
        value, g = step(get_params(state), x_train[idx], rng.normal(size=(batch, 2)))
        state = update_fun(i, g, state)
        history.append(float(value))
    params = get_params(state)

    test_loss = float(neg_elbo(params, x_test, rng.normal(size=(len(x_test), 2))))
    mu, _ = encode(params, x_test)
    recon = 1 / (1 + onp.exp(-onp.asarray(mlp(params["decoder"], mu))))
    rmse = onp.sqrt(onp.mean((recon - x_test) ** 2))
    # how well a linear map from the 2-D code predicts the true spot positions
    design = onp.c_[onp.asarray(mu), onp.asarray(mu) ** 2, onp.ones(len(mu))]
    fit = design @ onp.linalg.lstsq(design, pos_test, rcond=None)[0]
    r2 = 1 - ((fit - pos_test) ** 2).sum(axis=0) / ((pos_test - pos_test.mean(axis=0)) ** 2).sum(axis=0)
    print(
        f"negative ELBO {onp.mean(history[:10]):.1f} -> {onp.mean(history[-50:]):.1f} (training), "
        f"{test_loss:.1f} (test)"
    )
    print(
        f"test reconstruction RMSE per pixel {rmse:.3f}; "
        f"spot position explained by the code: R² = {r2[0]:.2f}, {r2[1]:.2f}"
    )
    assert onp.mean(history[-50:]) < onp.mean(history[:10])
    if not args.quick:
        assert rmse < 0.05 and r2.min() > 0.9

    plt = pyplot()
    if plt is None:
        return no_plot("variational_autoencoder.png")
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), layout="constrained")
    mu = onp.asarray(mu)
    for ax, k, name in [(axes[0], 0, "horizontal"), (axes[1], 1, "vertical")]:
        sc = ax.scatter(mu[:, 0], mu[:, 1], c=pos_test[:, k], s=6, cmap="viridis")
        fig.colorbar(sc, ax=ax, label=f"{name} position of the spot")
        ax.set(xlabel="z1", ylabel="z2", title=f"test images' codes ({name} position)", aspect="equal")
    n = 7
    grid = onp.linspace(-2.0, 2.0, n)
    codes = onp.array([[a, b] for b in grid[::-1] for a in grid])
    imgs = 1 / (1 + onp.exp(-onp.asarray(mlp(params["decoder"], codes))))
    gap = 3  # blank pixels between tiles, so that each spot's place in its tile shows
    tiles = onp.pad(
        imgs.reshape(n, n, SIDE, SIDE), ((0, 0), (0, 0), (0, gap), (0, gap)), constant_values=onp.nan
    )
    mosaic = tiles.transpose(0, 2, 1, 3).reshape(n * (SIDE + gap), n * (SIDE + gap))[:-gap, :-gap]
    half = 2.0 + 2.0 / (n - 1)  # tile centres at the codes
    cmap = plt.get_cmap("gray_r").with_extremes(bad="lightsteelblue")
    axes[2].imshow(
        mosaic, cmap=cmap, vmin=0, vmax=1, extent=(-half, half, -half, half), interpolation="nearest"
    )
    axes[2].set(xlabel="z1", ylabel="z2", title="decoded images over a grid of codes")
    save(fig, args.out, "variational_autoencoder.png")


if __name__ == "__main__":
    main()
