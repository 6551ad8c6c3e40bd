"""Per-example gradients with ``fad.vmap(fad.grad(loss))``, and per-example clipping.

Differentially private SGD clips each example's gradient to norm ``C`` before averaging,
so it needs every example's gradient, not only their mean. ``vmap`` maps the gradient
over the batch axis of the data (``in_axes=(None, 0, 0)``: shared parameters, batched
examples) in one vectorized pass. The script checks the result against a Python loop,
then trains a linear model with clipped, noised gradients. Writes
``per_example_gradients.png`` (histogram of per-example gradient norms, training loss).

    python examples/per_example_gradients.py [--quick] [--out DIR]
"""

import time

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np


def loss(w, x, y):
    """Squared error of one example (x: (d,), y: scalar) or a batch."""
    return np.mean((x @ w - y) ** 2)


per_example_grads = fad.vmap(fad.grad(loss), in_axes=(None, 0, 0))


def clipped_mean(grads, c):
    norms = np.linalg.norm(grads, axis=1)
    scale = np.minimum(1.0, c / np.maximum(norms, 1e-12))
    return np.mean(grads * scale[:, None], axis=0), norms


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    n, d = 512, 20
    x = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = x @ w_true + 0.1 * rng.normal(size=n)
    y[:8] += 30.0  # a few outliers with huge gradients: clipping bounds their influence

    w = np.zeros(d)
    t0 = time.perf_counter()
    g = per_example_grads(w, x, y)
    t_vmap = time.perf_counter() - t0
    t0 = time.perf_counter()
    g_loop = onp.stack([fad.grad(loss)(w, x[i], y[i]) for i in range(n)])
    t_loop = time.perf_counter() - t0
    assert g.shape == (n, d) and onp.allclose(g, g_loop)
    assert onp.allclose(g.mean(0), fad.grad(loss)(w, x, y))  # the mean is the batch gradient
    print(f"{n} per-example gradients: vmap {t_vmap * 1e3:.1f} ms, Python loop {t_loop * 1e3:.1f} ms")

    c, sigma, lr, batch = 1.0, 0.5, 0.5, 64
    first_norms = onp.linalg.norm(g, axis=1)
    history = []
    for _ in range(30 if args.quick else 300):
        idx = rng.choice(n, batch, replace=False)
        gbar, _ = clipped_mean(per_example_grads(w, x[idx], y[idx]), c)
        noise = rng.normal(scale=sigma * c / batch, size=d)
        w = w - lr * (gbar + noise)
        history.append(float(loss(w, x[8:], y[8:])))
    print(f"clipped noisy SGD: loss on the clean examples {history[0]:.3f} -> {history[-1]:.3f}")
    assert history[-1] < history[0]

    plt = pyplot()
    if plt is None:
        return no_plot("per_example_gradients.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.5))
    a1.hist(first_norms, bins=60, log=True)
    a1.axvline(c, color="k", ls="--", label=f"clip norm C = {c}")
    a1.set(xlabel="per-example gradient norm at w = 0", ylabel="examples", title="vmap(grad(loss))")
    a1.legend()
    a2.semilogy(history)
    a2.set(xlabel="step", ylabel="loss (clean examples)", title="SGD with clipped, noised gradients")
    save(fig, args.out, "per_example_gradients.png")


if __name__ == "__main__":
    main()
