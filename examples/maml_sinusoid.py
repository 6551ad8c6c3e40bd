"""Meta-learning (MAML) on sine waves: a gradient through a gradient, for a batch of tasks.

Each task is a sine wave ``A sin(x + phase)`` with its own amplitude and phase; from 10
samples of a new wave, a network should fit it with one gradient step. Model-agnostic
meta-learning (Finn et al., 2017) trains the initial weights ``theta`` for that: the inner
step is ``theta' = theta - alpha * grad(loss)(theta, task data)``, the meta-loss is the loss
of ``theta'`` on other samples of the same task, and its gradient with respect to
``theta`` differentiates through the inner ``fad.grad`` (second derivatives included).
``fad.vmap`` runs a batch of tasks at once and ``fad.jit`` stages the whole meta-gradient.
Writes ``maml_sinusoid.png`` (a new task fitted from 10 points, after 0, 1 and 10 steps,
starting from the meta-learned weights and from weights trained on all tasks pooled).

    python examples/maml_sinusoid.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.example_libraries import optimizers

ALPHA = 0.01  # the inner (adaptation) step size


def init_mlp(sizes, rng):
    return [
        {"w": rng.normal(size=(m, n)) * onp.sqrt(2.0 / m), "b": onp.zeros(n)}
        for m, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def net(params, x):
    h = x[:, None] / 5.0  # inputs scaled to [-1, 1]
    for layer in params[:-1]:
        h = np.maximum(h @ layer["w"] + layer["b"], 0.0)  # ReLU
    return (h @ params[-1]["w"] + params[-1]["b"])[:, 0]


def loss(params, x, y):
    return np.mean((net(params, x) - y) ** 2)


def adapt(params, x, y, steps=1):
    for _ in range(steps):
        g = fad.grad(loss)(params, x, y)
        params = fad.tree_util.tree_map(lambda p, g: p - ALPHA * g, params, g)
    return params


def maml_loss(params, x_train, y_train, x_test, y_test):
    """Mean over a batch of tasks of the test loss after one inner step on the task's training points."""

    def one_task(xa, ya, xb, yb):
        return loss(adapt(params, xa, ya), xb, yb)

    return np.mean(fad.vmap(one_task)(x_train, y_train, x_test, y_test))


def sample_tasks(rng, n_tasks, k):
    amp = rng.uniform(0.1, 5.0, (n_tasks, 1))
    phase = rng.uniform(0.0, onp.pi, (n_tasks, 1))
    x = rng.uniform(-5.0, 5.0, (n_tasks, 2 * k))
    y = amp * onp.sin(x + phase)
    return x[:, :k], y[:, :k], x[:, k:], y[:, k:], amp, phase


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    steps, n_tasks, k = (100, 8, 10) if args.quick else (4000, 16, 10)
    params0 = init_mlp([1, 40, 40, 1], rng)

    meta_init, meta_update, meta_params = optimizers.adam(1e-3)
    base_init, base_update, base_params = optimizers.adam(1e-3)
    meta_state, base_state = meta_init(params0), base_init(params0)
    meta_step = fad.jit(fad.value_and_grad(maml_loss))
    pooled_step = fad.jit(fad.value_and_grad(lambda p, x, y: loss(p, x.ravel(), y.ravel())))
    history = []
    for i in range(steps):
        xa, ya, xb, yb, _, _ = sample_tasks(rng, n_tasks, k)
        value, g = meta_step(meta_params(meta_state), xa, ya, xb, yb)
        meta_state = meta_update(i, g, meta_state)
        _, g = pooled_step(base_params(base_state), onp.c_[xa, xb], onp.c_[ya, yb])  # the baseline
        base_state = base_update(i, g, base_state)
        history.append(float(value))

    # evaluation: new tasks, 10 points to adapt on, the error on a dense grid of the wave
    xa, ya, _, _, amp, phase = sample_tasks(onp.random.default_rng(1), 100, k)
    grid = onp.linspace(-5.0, 5.0, 100)
    results = {}
    for name, params in [("MAML", meta_params(meta_state)), ("pooled", base_params(base_state))]:
        errors = []
        for steps_ in (0, 1, 10):
            err = [
                loss(adapt(params, xa[t], ya[t], steps_), grid, amp[t] * onp.sin(grid + phase[t]))
                for t in range(100)
            ]
            errors.append(float(onp.mean(err)))
        results[name] = errors
        print(
            f"{name:>6} initial weights, mean squared error on 100 new waves after 0 / 1 / 10 steps: "
            + " / ".join(f"{e:.3f}" for e in errors)
        )
    print(f"meta-loss {onp.mean(history[:20]):.3f} -> {onp.mean(history[-100:]):.3f} in {steps} meta-steps")
    assert onp.mean(history[-20:]) < onp.mean(history[:20])
    if not args.quick:
        assert results["MAML"][1] < 0.5 * results["pooled"][1]

    plt = pyplot()
    if plt is None:
        return no_plot("maml_sinusoid.png")
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained", sharey=True)
    t = 0
    truth = amp[t] * onp.sin(grid + phase[t])
    for ax, (name, params) in zip(
        axes, [("MAML", meta_params(meta_state)), ("pooled", base_params(base_state))], strict=True
    ):
        ax.plot(grid, truth, "k", lw=1, label="the new wave")
        ax.plot(xa[t], ya[t], "k^", label="10 points seen")
        for steps_, style in [(0, ":"), (1, "--"), (10, "-")]:
            ax.plot(
                grid,
                net(adapt(params, xa[t], ya[t], steps_), grid),
                style,
                label=f"after {steps_} step{'s' * (steps_ != 1)}",
            )
        title = (
            "meta-learned initial weights (MAML)" if name == "MAML" else "weights trained on all tasks pooled"
        )
        ax.set(xlabel="x", title=f"{title}\nMSE over 100 new waves after 1 step: {results[name][1]:.2f}")
    axes[0].set_ylabel("y")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=5, fontsize=9)
    save(fig, args.out, "maml_sinusoid.png")


if __name__ == "__main__":
    main()
