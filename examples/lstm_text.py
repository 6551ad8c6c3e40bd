"""A character-level LSTM that learns to continue a short poem.

The training text is embedded in the script (William Blake, "The Tyger", 1794). A one-layer
LSTM reads one-hot characters and predicts the next one; the loss is the mean
cross-entropy (``fad.scipy.special.log_softmax``) over random windows of the text, unrolled
through time in a plain Python loop. ``fad.jit(fad.value_and_grad(loss))`` stages the
forward pass and backpropagation through time once, Adam from
``fad.example_libraries.optimizers`` updates the weights, and the gradient norm is clipped.
The script then lets the network write, one sampled character at a time. Writes
``lstm_text.png`` (bits per character during training, and the probability the network
gives to each actual next character of a line read from a fresh state).

    python examples/lstm_text.py [--quick] [--out DIR]
"""

import numpy as onp
from _common import no_plot, parse_args, pyplot, save

import fad
import fad.numpy as np
from fad.example_libraries import optimizers
from fad.scipy.special import log_softmax

TEXT = """Tyger Tyger, burning bright,
In the forests of the night;
What immortal hand or eye,
Could frame thy fearful symmetry?

In what distant deeps or skies.
Burnt the fire of thine eyes?
On what wings dare he aspire?
What the hand, dare seize the fire?

And what shoulder, & what art,
Could twist the sinews of thy heart?
And when thy heart began to beat,
What dread hand? & what dread feet?

What the hammer? what the chain,
In what furnace was thy brain?
What the anvil? what dread grasp,
Dare its deadly terrors clasp!

When the stars threw down their spears
And water'd heaven with their tears:
Did he smile his work to see?
Did he who made the Lamb make thee?

Tyger Tyger burning bright,
In the forests of the night:
What immortal hand or eye,
Dare frame thy fearful symmetry?
"""
CHARS = sorted(set(TEXT))
INDEX = {c: i for i, c in enumerate(CHARS)}
CODES = onp.array([INDEX[c] for c in TEXT])
V, H = len(CHARS), 96  # vocabulary and hidden sizes


def init(rng):
    scale = 1 / onp.sqrt(V + H)
    return {
        "w": rng.normal(size=(V + H, 4 * H)) * scale,  # input, forget, cell and output gates together
        "b": onp.r_[onp.zeros(H), onp.ones(H), onp.zeros(2 * H)],  # forget gate biased open
        "w_out": rng.normal(size=(H, V)) * onp.sqrt(1 / H),
        "b_out": onp.zeros(V),
    }


def sigmoid(x):
    return 0.5 * (np.tanh(0.5 * x) + 1)


def lstm_step(params, h, c, x):
    z = np.concatenate([x, h], axis=-1) @ params["w"] + params["b"]
    i, f, g, o = (z[..., k * H : (k + 1) * H] for k in range(4))
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return h, c


def log_probs(params, inputs):
    """Log-probabilities of the next character after each one of ``inputs`` (time, batch, V)."""
    h = c = np.zeros((inputs.shape[1], H))
    out = []
    for x in inputs:  # a Python loop over time: fad records every step
        h, c = lstm_step(params, h, c, x)
        out.append(log_softmax(h @ params["w_out"] + params["b_out"], axis=-1))
    return np.stack(out)


def loss(params, inputs, targets):
    """Mean cross-entropy, in bits per character; ``targets`` are one-hot like ``inputs``."""
    return -np.sum(log_probs(params, inputs) * targets) / (targets.shape[0] * targets.shape[1] * np.log(2.0))


def one_hot(codes):
    return onp.eye(V)[codes]


def sample(params, prompt, n, rng):
    h = c = np.zeros((1, H))
    text = prompt
    for ch in prompt[:-1]:
        h, c = lstm_step(params, h, c, one_hot([INDEX[ch]]))
    for _ in range(n):
        h, c = lstm_step(params, h, c, one_hot([INDEX[text[-1]]]))
        p = onp.exp(onp.asarray(log_softmax(h @ params["w_out"] + params["b_out"], axis=-1))[0] / 0.5)
        text += CHARS[rng.choice(V, p=p / p.sum())]  # temperature 0.5
    return text


def main():
    args = parse_args(__doc__.splitlines()[0])
    rng = onp.random.default_rng(0)
    steps, length, batch = (40, 25, 16) if args.quick else (500, 50, 32)
    init_fun, update_fun, get_params = optimizers.adam(optimizers.exponential_decay(1e-2, steps, 0.1))
    state = init_fun(init(rng))
    value_and_grad = fad.jit(fad.value_and_grad(loss))
    history = []
    for i in range(steps):
        starts = rng.integers(0, len(TEXT) - length - 1, batch)
        windows = onp.stack([CODES[s : s + length + 1] for s in starts], axis=1)  # (time, batch)
        value, g = value_and_grad(get_params(state), one_hot(windows[:-1]), one_hot(windows[1:]))
        state = update_fun(i, optimizers.clip_grads(g, 5.0), state)
        history.append(float(value))
    params = get_params(state)

    whole = loss(params, one_hot(CODES[:-1, None]), one_hot(CODES[1:, None]))
    freq = onp.bincount(CODES, minlength=V) / len(CODES)
    unigram = -onp.sum(freq * onp.log2(freq))
    print(
        f"{V} characters, {len(TEXT)} in the text; training loss {onp.mean(history[:5]):.2f} -> "
        f"{onp.mean(history[-20:]):.2f} bits/char in {steps} Adam steps"
    )
    print(
        f"on the whole text: {float(whole):.2f} bits per character "
        f"(character frequencies alone: {unigram:.2f})"
    )
    print("sampled at temperature 0.5 after the prompt 'What ':")
    print(sample(params, "What ", 150 if not args.quick else 40, onp.random.default_rng(1)))
    assert onp.mean(history[-20:]) < onp.mean(history[:5])
    if not args.quick:
        assert float(whole) < 0.5 * unigram

    plt = pyplot()
    if plt is None:
        return no_plot("lstm_text.png")
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 5.6), layout="constrained", height_ratios=(1.1, 1))
    a1.plot(history, lw=0.7, label="training windows")
    a1.axhline(unigram, color="0.5", ls="--", lw=1, label=f"character frequencies alone ({unigram:.2f})")
    a1.axhline(float(whole), color="C1", lw=1, label=f"trained network, whole text ({float(whole):.2f})")
    a1.set(
        xlabel="Adam step",
        ylabel="bits per character",
        title="cross-entropy of the next character",
        ylim=(0, None),
    )
    a1.legend(fontsize=8)
    line = "What the hammer? what the chain,"
    codes = onp.array([INDEX[ch] for ch in line])
    lp = onp.asarray(log_probs(params, one_hot(codes[:-1, None])))[:, 0, :]  # from a fresh state
    p_next = onp.exp(lp[onp.arange(len(line) - 1), codes[1:]])
    a2.bar(onp.arange(1, len(line)), p_next, color="C0")
    a2.set_xticks(onp.arange(len(line)), [ch if ch != " " else "␣" for ch in line], fontfamily="monospace")
    a2.set(ylim=(0, 1.05), ylabel="probability", xlabel="the line, read from a fresh state")
    a2.set_title("probability the network gives to each next character, knowing only the line so far")
    save(fig, args.out, "lstm_text.png")


if __name__ == "__main__":
    main()
