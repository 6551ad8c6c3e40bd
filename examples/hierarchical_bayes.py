"""A hierarchical Poisson model fitted by black-box variational inference.

The "pumps" data (Gaver and O'Muircheartaigh, 1987; a classic BUGS example): pump ``i``
failed ``x_i`` times in ``t_i`` thousand hours. Each pump has its own failure rate, drawn
from a population distribution whose parameters are themselves uncertain::

    alpha ~ Exponential(1),  beta ~ Gamma(0.1, 1)
    theta_i ~ Gamma(alpha, rate beta),  x_i ~ Poisson(theta_i t_i)

The log joint density is written with ``fad.scipy.stats`` (``expon``, ``gamma``,
``poisson``) on log-transformed parameters. The posterior is approximated by a Gaussian
``q = N(m, diag(s^2))`` over the 12 log parameters, fitted by maximizing a reparameterized
Monte Carlo estimate of the evidence lower bound (ELBO, with ``norm.entropy``) with Adam
from ``fad.example_libraries.optimizers``. A Gibbs sampler in plain NumPy is the reference.
Writes ``hierarchical_bayes.png`` (posterior intervals vs data, and the ELBO).

    python examples/hierarchical_bayes.py [--quick] [--out DIR]
"""

import math

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.example_libraries import optimizers
from fad.scipy import stats

FAILURES = onp.array([5, 1, 5, 14, 3, 19, 1, 1, 4, 22])
HOURS = onp.array([94.3, 15.7, 62.9, 126.0, 5.24, 31.4, 1.05, 1.05, 2.1, 10.5])  # thousands


def log_joint(z):
    """log p(alpha, beta, theta, x) at ``z = log(alpha, beta, theta_1..10)`` (batched over rows of z),
    with the log Jacobian of ``exp`` so that it is a density of ``z``."""
    alpha, beta, theta = np.exp(z[:, 0]), np.exp(z[:, 1]), np.exp(z[:, 2:])
    lp = stats.expon.logpdf(alpha) + stats.gamma.logpdf(beta, 0.1)
    lp = lp + np.sum(stats.gamma.logpdf(theta, alpha[:, None], scale=1 / beta[:, None]), axis=1)
    lp = lp + np.sum(stats.poisson.logpmf(FAILURES, theta * HOURS), axis=1)
    return lp + np.sum(z, axis=1)


def elbo(params, eps):
    """Reparameterized estimate: E_q[log p(z)] + entropy(q), with z = m + s * eps."""
    m, log_s = params
    z = m + np.exp(log_s) * eps
    return np.mean(log_joint(z)) + np.sum(stats.norm.entropy(scale=np.exp(log_s)))


def gibbs(n, rng):
    """Reference posterior samples: theta and beta are conjugate; alpha by Metropolis on log alpha."""
    alpha, beta, out = 1.0, 1.0, []

    def log_cond_alpha(a, theta, beta):  # log p(alpha | theta, beta) + log alpha (the walk is on log alpha)
        return -a + onp.sum(a * onp.log(beta) - math.lgamma(a) + (a - 1) * onp.log(theta)) + onp.log(a)

    for _ in range(n):
        theta = rng.gamma(alpha + FAILURES, 1 / (beta + HOURS))
        beta = rng.gamma(0.1 + 10 * alpha, 1 / (1 + theta.sum()))
        proposal = alpha * onp.exp(0.5 * rng.normal())
        if onp.log(rng.uniform()) < log_cond_alpha(proposal, theta, beta) - log_cond_alpha(
            alpha, theta, beta
        ):
            alpha = proposal
        out.append(onp.r_[alpha, beta, theta])
    return onp.array(out[n // 10 :])


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    steps, n_samples = (300, 32) if args.quick else (3000, 64)
    init_fun, update_fun, get_params = optimizers.adam(0.05)
    state = init_fun((onp.zeros(12), onp.full(12, -1.0)))
    neg_elbo_grad = fad.jit(fad.value_and_grad(lambda p, eps: -elbo(p, eps)))
    history = []
    for i in range(steps):
        value, g = neg_elbo_grad(get_params(state), rng.normal(size=(n_samples, 12)))
        state = update_fun(i, g, state)
        history.append(-float(value))
    m, log_s = get_params(state)
    s = onp.exp(log_s)
    print(f"ELBO {onp.mean(history[:20]):.2f} -> {onp.mean(history[-100:]):.2f} in {steps} Adam steps")

    ref = gibbs(3000 if args.quick else 40000, onp.random.default_rng(1))
    vi_mean = onp.exp(m + s**2 / 2)  # mean of the log-normal q
    print("            alpha   beta  " + " ".join(f"th{i + 1:<4}" for i in range(10)))
    print("VI mean    " + " ".join(f"{v:6.3f}" for v in vi_mean))
    print("Gibbs mean " + " ".join(f"{v:6.3f}" for v in ref.mean(axis=0)))
    rel = onp.abs(vi_mean[2:] / ref[:, 2:].mean(axis=0) - 1)
    print(f"failure rates: largest relative difference of the posterior means, VI vs Gibbs: {rel.max():.1%}")
    assert onp.mean(history[-100:]) > onp.mean(history[:20])
    if not args.quick:
        assert rel.max() < 0.15

    plt = pyplot()
    if plt is None:
        return no_plot("hierarchical_bayes.png")
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained", width_ratios=(2, 1))
    pumps = onp.arange(1, 11)
    lo, hi = onp.exp(m[2:] - 1.645 * s[2:]), onp.exp(m[2:] + 1.645 * s[2:])
    med = onp.exp(m[2:])
    a1.errorbar(
        pumps - 0.12, med, yerr=[med - lo, hi - med], fmt="o", capsize=3, label="VI: median, 90% interval"
    )
    glo, gmed, ghi = onp.percentile(ref[:, 2:], [5, 50, 95], axis=0)
    a1.errorbar(
        pumps + 0.12,
        gmed,
        yerr=[gmed - glo, ghi - gmed],
        fmt="s",
        color="C2",
        capsize=3,
        label="Gibbs sampler",
    )
    a1.plot(pumps, FAILURES / HOURS, "kx", ms=8, label="data: failures / hours")
    a1.set_yscale("log")
    a1.set(xlabel="pump", ylabel="failure rate (per 1000 h)", xticks=pumps, title="posterior failure rates")
    a1.legend(fontsize=8, loc="upper left")
    steps = onp.arange(1, len(history) + 1)
    a2.plot(steps, history, lw=0.5, alpha=0.6)
    a2.plot(steps[49:], onp.convolve(history, onp.ones(50) / 50, mode="valid"), "C1")
    a2.set(
        xscale="log",
        xlabel="Adam step",
        ylabel="ELBO estimate (per step, and smoothed)",
        title="evidence lower bound",
    )
    save(fig, args.out, "hierarchical_bayes.png")


if __name__ == "__main__":
    main()
