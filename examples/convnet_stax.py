"""A convolutional network written as JAX code is: ``stax`` layers, ``random`` keys,
``optimizers.adam`` and a jitted update, with only the imports changed to fad.

The task: 12 x 12 images of a horizontal, a vertical or a diagonal stroke at a random
place, in noise; three classes. ``stax.serial(Conv, Relu, MaxPool, Conv, Relu, Flatten,
Dense, LogSoftmax)`` learns it in a few hundred steps. The same keys give the same
initial weights as under JAX. Per-example gradient norms come from
``vmap(grad(loss))``, the first layer's filters are drawn. Writes ``convnet_stax.png``.

    python examples/convnet_stax.py [--quick] [--out DIR]
"""

import time

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad.numpy as jnp
from fad import grad, jit, random, vmap
from fad.example_libraries import optimizers, stax
from fad.example_libraries.stax import Conv, Dense, Flatten, LogSoftmax, MaxPool, Relu


def strokes(key, n, size=12):
    """``n`` images (n, size, size, 1) with one stroke each, and their labels 0/1/2."""
    k_label, k_pos, k_noise = random.split(key, 3)
    labels = random.randint(k_label, (n,), 0, 3)
    pos = random.randint(k_pos, (n, 2), 2, size - 2)
    r = onp.arange(size)
    rows, cols = r[None, :, None], r[None, None, :]
    pr, pc = pos[:, 0, None, None], pos[:, 1, None, None]
    horizontal = (rows == pr) & (onp.abs(cols - pc) <= 2)
    vertical = (cols == pc) & (onp.abs(rows - pr) <= 2)
    diagonal = (rows - pr == cols - pc) & (onp.abs(rows - pr) <= 2)
    ink = onp.where(
        labels[:, None, None] == 0, horizontal, onp.where(labels[:, None, None] == 1, vertical, diagonal)
    )
    images = ink + 0.3 * random.normal(k_noise, (n, size, size))
    return images[..., None], labels


init_fun, predict = stax.serial(
    Conv(8, (3, 3), padding="SAME"),
    Relu,
    MaxPool((2, 2), (2, 2)),
    Conv(8, (3, 3), padding="SAME"),
    Relu,
    Flatten,
    Dense(3),
    LogSoftmax,
)


def loss(params, images, labels):
    return -jnp.mean(jnp.take_along_axis(predict(params, images), labels[:, None], axis=1))


def accuracy(params, images, labels):
    return float(jnp.mean(jnp.argmax(predict(params, images), axis=1) == labels))


def main():
    args = parse_args(__doc__.splitlines()[0])
    key = random.PRNGKey(0)
    k_init, k_train, k_test = random.split(key, 3)
    _, params = init_fun(k_init, (-1, 12, 12, 1))
    x_test, y_test = strokes(k_test, 300)
    opt_init, opt_update, get_params = optimizers.adam(3e-3)

    @jit
    def update(i, state, images, labels):
        return opt_update(i, grad(loss)(get_params(state), images, labels), state)

    state = opt_init(params)
    steps = 60 if args.quick else 400
    history = []
    t0 = time.perf_counter()
    for i in range(steps):
        k_train, k_batch = random.split(k_train)
        images, labels = strokes(k_batch, 32)
        state = update(i, state, images, labels)
        if i % 20 == 0 or i == steps - 1:
            history.append((i, float(loss(get_params(state), x_test, y_test))))
    params = get_params(state)
    acc = accuracy(params, x_test, y_test)
    took = time.perf_counter() - t0
    print(f"{steps} Adam steps in {took:.1f} s: test loss {history[-1][1]:.3f}, accuracy {acc:.1%}")
    assert history[-1][1] < history[0][1]
    if not args.quick:
        assert acc > 0.9

    per_example = vmap(grad(loss), in_axes=(None, 0, 0))(params, x_test[:64, None], y_test[:64, None])
    norms = onp.sqrt(sum(onp.sum(g.reshape(64, -1) ** 2, axis=1) for layer in per_example for g in layer))
    print(
        f"per-example gradient norms of 64 test images: median {onp.median(norms):.3g}, max {norms.max():.3g}"
    )

    plt = pyplot()
    if plt is None:
        return no_plot("convnet_stax.png")
    fig = plt.figure(figsize=(10, 3.2))
    ax = fig.add_subplot(1, 3, 1)
    ax.plot(*zip(*history, strict=True), "o-")
    ax.set(xlabel="step", ylabel="test loss", title=f"stax CNN, accuracy {acc:.0%}")
    ax = fig.add_subplot(1, 3, 2)
    ax.imshow(onp.concatenate([x_test[i, :, :, 0] for i in range(4)], axis=1), cmap="gray")
    ax.set(title="test images: " + " ".join("-|/"[int(c)] for c in y_test[:4]), xticks=[], yticks=[])
    ax = fig.add_subplot(1, 3, 3)
    w = onp.asarray(params[0][0])[:, :, 0, :]  # (3, 3, 8): the first layer's filters
    ax.imshow(onp.concatenate([onp.pad(w[:, :, k], 1) for k in range(8)], axis=1), cmap="RdBu")
    ax.set(title="first-layer filters", xticks=[], yticks=[])
    save(fig, args.out, "convnet_stax.png")


if __name__ == "__main__":
    main()
