"""Fit a damped oscillation's frequency, damping, amplitude and phase through its spectrum.

A noisy recording ``y(t) = A exp(-g t) cos(2 pi f t + phi) + noise`` is compared with the
model in the frequency domain: the loss is the squared distance between the real FFTs
(``fad.numpy.fft.rfft``) of model and data, over the band around the spectral peak, where
the signal stands above the noise. The first guess is the usual one: the frequency of the
largest bin and the phase of that bin. Then Levenberg-Marquardt steps solve
``(H + lam diag|H|) d = -g`` with the exact gradient and Hessian of the loss from ``fad.grad`` and
``fad.hessian``, through the complex spectrum.

Writes ``fft_signal_fit.png`` (the signal and the fit, the spectra, the loss per step).

    python examples/fft_signal_fit.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np

RATE, TRUE = 100.0, onp.array([7.3, 0.8, 1.5, 0.6])  # Hz; (f Hz, g 1/s, A, phi rad)
NAMES = ("frequency (Hz)", "damping (1/s)", "amplitude", "phase (rad)")


def model(p, t):
    f, g, a, phi = p[0], p[1], p[2], p[3]
    return a * np.exp(-g * t) * np.cos(2 * np.pi * f * t + phi)


def main():
    args = parse_args(__doc__.splitlines()[0])
    n = 256 if args.quick else 1024
    t = onp.arange(n) / RATE
    rng = onp.random.default_rng(0)
    data = model(TRUE, t) + 0.2 * rng.normal(size=n)

    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum = np.fft.rfft(data)
    peak = int(onp.argmax(onp.abs(spectrum[1:]))) + 1
    band = slice(max(peak - 12, 1), peak + 13)  # the bins around the peak

    def loss(p):
        r = np.fft.rfft(model(p, t))[band] - spectrum[band]
        return np.sum(np.abs(r) ** 2) / n

    # the first guess from the spectrum: the peak bin's frequency and phase, and the
    # amplitude whose decay (at a guessed damping g0) gives that bin its height
    g0 = 0.3
    p = onp.array([freqs[peak], g0, 2 * g0 * onp.abs(spectrum[peak]) / RATE, onp.angle(spectrum[peak])])
    guess = p.copy()
    value_and_grad, hessian = fad.jit(fad.value_and_grad(loss)), fad.jit(fad.hessian(loss))
    lam, history = 1e-3, [float(loss(p))]
    for _ in range(25 if args.quick else 40):
        v, g = value_and_grad(p)
        h = hessian(p)
        step = onp.linalg.solve(h + lam * onp.diag(onp.abs(onp.diag(h))), -g)
        if loss(p + step) < v:  # accept, trust the quadratic model more
            p, lam = p + step, lam / 3
        else:  # reject, lean toward gradient descent
            lam *= 4
        history.append(float(loss(p)))
        if onp.linalg.norm(g) < 1e-10:
            break
    for name, got, want, first in zip(NAMES, p, TRUE, guess, strict=True):
        print(f"{name:>15}: fitted {got:8.4f}   true {want:6.3f}   first guess {first:8.4f}")
    print(f"loss {history[0]:.4g} -> {history[-1]:.4g} in {len(history) - 1} steps")
    assert abs(p[0] - TRUE[0]) < 0.05 and abs(p[1] - TRUE[1]) < 0.2 and abs(p[2] - TRUE[2]) < 0.3

    plt = pyplot()
    if plt is None:
        return no_plot("fft_signal_fit.png")
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(15, 3.8), gridspec_kw={"width_ratios": [1.4, 1.2, 0.8]})
    a1.plot(t, data, ".", ms=2, color="0.6", label="noisy data")
    a1.plot(t, model(guess, t), "C1", lw=1, alpha=0.7, label="first guess (FFT peak)")
    a1.plot(t, model(p, t), "C0", lw=1.5, label="fit")
    a1.set(xlabel="time (s)", xlim=(0, min(t[-1], 6.0)), title="signal")
    a1.legend(loc="upper right", fontsize=8)
    show = slice(1, min(len(freqs), 4 * peak))
    a2.semilogy(freqs[show], onp.abs(spectrum[show]), color="0.6", label="|rfft(data)|")
    first = onp.abs(np.fft.rfft(model(guess, t)))
    a2.semilogy(freqs[show], first[show], "C1", alpha=0.7, label="first guess")
    a2.semilogy(freqs[show], onp.abs(np.fft.rfft(model(p, t)))[show], "C0", label="fit")
    a2.axvspan(freqs[band][0], freqs[band][-1], color="C2", alpha=0.12, label="bins in the loss")
    a2.set(xlabel="frequency (Hz)", title="spectrum (magnitude)")
    a2.legend(fontsize=8)
    a3.semilogy(history, "o-", ms=3)
    a3.set(xlabel="Levenberg-Marquardt step", title="spectral loss")
    fig.suptitle(
        "fitted: " + ", ".join(f"{k.split()[0]} {v:.3f}" for k, v in zip(NAMES, p, strict=True)), fontsize=10
    )
    save(fig, args.out, "fft_signal_fit.png")


if __name__ == "__main__":
    main()
