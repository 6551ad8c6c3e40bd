"""``autograd.scipy.signal``: ``convolve`` with autograd's generalization: ``axes`` pairs
the axes convolved, ``dot_axes`` pairs axes summed over (as in ``tensordot``), and the
result's axes are ``A``'s other axes, then ``B``'s, then the convolved ones. Without
``axes`` and ``dot_axes`` it is ``scipy.signal.convolve`` (every axis convolved).

It is written in fad operations (a sum over the filter's positions of shifted tensor
contractions), so it has every derivative, under every transform.

>>> import fad.autograd.numpy as np
>>> from fad.autograd.scipy.signal import convolve
>>> convolve(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))
array([0. , 1. , 2.5, 4. , 1.5])
>>> images, filters = np.ones((2, 3, 5, 5)), np.ones((3, 4, 2, 2))   # (N, C, H, W), (C, K, h, w)
>>> convolve(images, filters, axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode="valid").shape
(2, 4, 4, 4)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import fad.numpy as fnp

__all__ = ["convolve"]


def convolve(
    A: Any,
    B: Any,
    axes: Sequence[Sequence[int]] | None = None,
    dot_axes: Sequence[Sequence[int]] = ((), ()),
    mode: str = "full",
) -> Any:
    """The convolution of ``A`` and ``B`` along the axis pairs ``axes`` (``mode`` ``"full"``,
    ``"valid"`` or ``"same"``, as SciPy's), contracted along the axis pairs ``dot_axes``."""
    if mode not in ("full", "valid", "same"):
        raise ValueError(f"convolve: mode must be 'full', 'valid' or 'same', got {mode!r}")
    A, B = fnp.asarray(A), fnp.asarray(B)
    if axes is None:
        axes = (list(range(fnp.ndim(A))), list(range(fnp.ndim(A))))
    conv_a, conv_b = [list(a) for a in axes]
    dot_a, dot_b = [list(a) for a in dot_axes]
    if len(conv_a) != len(conv_b) or len(dot_a) != len(dot_b):
        raise ValueError(f"convolve: axes {axes} and dot_axes {dot_axes} must pair axes of A with axes of B")
    rest_a = [i for i in range(fnp.ndim(A)) if i not in conv_a + dot_a]
    rest_b = [i for i in range(fnp.ndim(B)) if i not in conv_b + dot_b]
    a = fnp.transpose(A, rest_a + dot_a + conv_a)  # (rest, dot, conv) each
    b = fnp.transpose(B, rest_b + dot_b + conv_b)
    len_a = [fnp.shape(A)[i] for i in conv_a]
    len_b = [fnp.shape(B)[i] for i in conv_b]
    a_smaller = all(m <= n for m, n in zip(len_a, len_b, strict=True))
    if mode == "valid" and not (a_smaller or all(m >= n for m, n in zip(len_a, len_b, strict=True))):
        raise ValueError(
            f"convolve(mode='valid'): one array must be at least as large as the other along every "
            f"convolved axis (sizes {len_a} and {len_b})."
        )
    if mode != "valid" or a_smaller:  # slide A (flipped) over B, padded unless valid
        out = _slide(b, a, len(rest_b), len(rest_a), len(dot_a), pad=mode != "valid")
        n_x, n_f = len(rest_b), len(rest_a)
        perm = list(range(fnp.ndim(out) - n_f, fnp.ndim(out))) + list(range(n_x + len(conv_a)))
        out = fnp.transpose(out, perm[:n_f] + perm[n_f : n_f + n_x] + perm[n_f + n_x :])
    else:  # valid, B smaller: slide B (flipped) over A
        out = _slide(a, b, len(rest_a), len(rest_b), len(dot_a), pad=False)
        n_x, n_f = len(rest_a), len(rest_b)
        nd = fnp.ndim(out)
        perm = list(range(n_x)) + list(range(nd - n_f, nd)) + list(range(n_x, nd - n_f))
        out = fnp.transpose(out, perm)
    if mode == "same":  # SciPy: the centre of the full result, of A's size
        idx = [slice(None)] * (fnp.ndim(out) - len(conv_a))
        idx += [slice((n - 1) // 2, (n - 1) // 2 + m) for m, n in zip(len_a, len_b, strict=True)]
        out = out[tuple(idx)]
    return out


def _slide(x: Any, f: Any, n_rest_x: Any, n_rest_f: Any, n_dot: Any, pad: Any) -> Any:
    """``sum_p x[..., p:p + out] . flip(f)[..., p]`` over the filter positions ``p``: the
    valid correlation of ``x`` with the flipped ``f`` (``x`` padded by the filter's size
    minus one first for the full convolution). ``x`` and ``f`` are laid out (rest, dot,
    conv); the result is (x's rest, conv, f's rest)."""
    n_conv = fnp.ndim(x) - n_rest_x - n_dot
    len_f = fnp.shape(f)[fnp.ndim(f) - n_conv :]
    if pad:
        widths = [(0, 0)] * (n_rest_x + n_dot) + [(n - 1, n - 1) for n in len_f]
        x = fnp.pad(x, widths)
    len_x = fnp.shape(x)[fnp.ndim(x) - n_conv :]
    out_len = [nx - nf + 1 for nx, nf in zip(len_x, len_f, strict=True)]
    flip = (slice(None),) * (n_rest_f + n_dot) + (slice(None, None, -1),) * n_conv
    f = f[flip]
    x_dot = list(range(n_rest_x, n_rest_x + n_dot))
    f_dot = list(range(n_rest_f, n_rest_f + n_dot))
    total = None
    for p in itertools.product(*[range(n) for n in len_f]):
        window = (slice(None),) * (n_rest_x + n_dot) + tuple(
            slice(i, i + m) for i, m in zip(p, out_len, strict=True)
        )
        tap = (slice(None),) * (n_rest_f + n_dot) + p
        term = fnp.tensordot(x[window], f[tap], axes=(x_dot, f_dot))  # (x rest, conv, f rest)
        total = term if total is None else total + term
    return total
