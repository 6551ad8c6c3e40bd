"""A neural ODE: learn the vector field of a damped pendulum from one observed trajectory.

The state ``y = (angle, angular velocity)`` follows an unknown law ``dy/dt = f(y)``; we
observe one noisy trajectory and model ``f`` by a 2-32-32-2 tanh MLP. Training integrates
the model with a fixed-step fourth-order Runge-Kutta scheme written in ``fad.numpy``, from
random points of the data over short windows, and compares the predicted windows with the
data; ``fad.jit(fad.value_and_grad(loss))`` differentiates through every Runge-Kutta step
(backpropagation through the solver) and Adam updates the weights. The learned field is
then integrated with the adaptive ``fad.scipy.integrate.odeint`` over the whole observed
time and beyond it. Writes ``neural_ode.png`` (phase portrait with the learned vector
field, the angle against time, the loss).

    python examples/neural_ode.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.example_libraries import optimizers
from fad.scipy.integrate import odeint

DT, WINDOW = 0.1, 20  # the data's time step, and the length of a training window


def pendulum(y, t):
    return np.stack([y[1], -np.sin(y[0]) - 0.15 * y[1]])


def init_mlp(sizes, rng):
    return [
        {"w": rng.normal(size=(m, n)) / onp.sqrt(m), "b": onp.zeros(n)}
        for m, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def field(params, y):
    """The learned dy/dt at the states ``y`` (the last axis is the state)."""
    for layer in params[:-1]:
        y = np.tanh(y @ layer["w"] + layer["b"])
    return y @ params[-1]["w"] + params[-1]["b"]


def rk4(params, y, steps):
    """``steps`` classical Runge-Kutta steps of size DT from ``y``; the states stacked on axis 0."""
    out = [y]
    for _ in range(steps):
        k1 = field(params, y)
        k2 = field(params, y + DT / 2 * k1)
        k3 = field(params, y + DT / 2 * k2)
        k4 = field(params, y + DT * k3)
        y = y + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(y)
    return np.stack(out)


def loss(params, starts, windows):
    """Mean absolute error of the windows predicted from their first states (a batch of them)."""
    return np.mean(np.abs(rk4(params, starts, windows.shape[0] - 1) - windows))


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    ts = onp.arange(201) * DT  # observed for 20 time units
    exact = onp.asarray(odeint(pendulum, onp.array([2.8, 0.0]), ts))
    data = exact + 0.02 * rng.normal(size=exact.shape)

    steps, batch = (150, 16) if args.quick else (1500, 32)
    init_fun, update_fun, get_params = optimizers.adam(optimizers.exponential_decay(1e-2, steps, 0.05))
    state = init_fun(init_mlp([2, 32, 32, 2], rng))
    value_and_grad = fad.jit(fad.value_and_grad(loss))
    history = []
    for i in range(steps):
        s = rng.choice(len(ts) - WINDOW, batch, replace=False)
        windows = onp.stack([data[s + k] for k in range(WINDOW)])
        value, g = value_and_grad(get_params(state), data[s], windows)
        state = update_fun(i, g, state)
        history.append(float(value))
    params = get_params(state)

    def learned(y, t, params):
        return field(params, y)

    long = onp.arange(301) * DT  # 10 time units past the data
    truth = onp.asarray(odeint(pendulum, exact[0], long))
    model = onp.asarray(odeint(learned, exact[0], long, params, rtol=1e-8, atol=1e-8))
    seen, beyond = long <= ts[-1], long > ts[-1]
    err_seen = onp.mean(onp.abs(model[seen] - truth[seen]))
    err_beyond = onp.mean(onp.abs(model[beyond] - truth[beyond]))
    rk = onp.asarray(rk4(params, exact[0], len(ts) - 1))
    print(f"window loss {onp.mean(history[:10]):.3f} -> {onp.mean(history[-50:]):.4f} in {steps} Adam steps")
    print(
        f"learned field integrated by odeint from the first state: mean |error| {err_seen:.4f} over the data"
    )
    print(
        f"({ts[-1]:.0f} time units), {err_beyond:.4f} over the next {long[-1] - ts[-1]:.0f} (extrapolation)"
    )
    print(
        "odeint vs the training RK4 on the learned field: "
        f"max difference {onp.max(onp.abs(rk - model[seen])):.1e}"
    )
    assert onp.mean(history[-50:]) < onp.mean(history[:10])
    if not args.quick:
        assert err_seen < 0.1

    plt = pyplot()
    if plt is None:
        return no_plot("neural_ode.png")
    fig, (a1, a2, a3) = plt.subplots(
        1, 3, figsize=(14, 4.0), layout="constrained", width_ratios=(1.1, 1.5, 0.9)
    )
    g0, g1 = onp.meshgrid(onp.linspace(-3.5, 3.5, 25), onp.linspace(-3.0, 3.0, 25))
    vec = onp.asarray(field(params, onp.stack([g0, g1], axis=-1)))
    a1.streamplot(g0, g1, vec[..., 0], vec[..., 1], color="0.75", density=0.9, linewidth=0.7)
    a1.plot(data[:, 0], data[:, 1], "k.", ms=2.5, label="data")
    a1.plot(model[:, 0], model[:, 1], "C1", lw=1.2, label="learned ODE")
    a1.set(
        xlabel="angle",
        ylabel="angular velocity",
        title="phase portrait, learned field",
        xlim=(-3.5, 3.5),
        ylim=(-3, 3),
    )
    a1.legend(fontsize=8, loc="lower left")
    a2.axvspan(ts[-1], long[-1], color="0.93")
    a2.plot(ts, data[:, 0], "k.", ms=2.5, label="data")
    a2.plot(long, truth[:, 0], "C0", lw=1, label="true pendulum")
    a2.plot(long, model[:, 0], "C1--", lw=1.2, label="learned ODE (odeint)")
    a2.text(ts[-1] + 0.3, 2.4, "extrapolation", fontsize=9)
    a2.set(
        xlabel="time",
        ylabel="angle",
        title=f"mean |error| {err_seen:.3f} (data), {err_beyond:.3f} (beyond)",
        ylim=(-3, 3),
    )
    a2.legend(fontsize=8, loc="lower right")
    a3.semilogy(history, lw=0.6)
    a3.set(xlabel="Adam step", ylabel="mean |error| of a window", title="training loss")
    save(fig, args.out, "neural_ode.png")


if __name__ == "__main__":
    main()
