"""fad.lax's convolutions and windowed reductions: against loops written out here, under
every transform, and JAX's numbers for a few cases (printed by JAX 0.10 with 64-bit values)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import fad
import fad.lax as lax
import fad.numpy as fnp
from fad.test_util import check_grads

RNG = np.random.default_rng(0)


def reference_conv(x, w, strides, pads, ldil, rdil, groups=1):
    """The convolution by its definition, in the layout (N, C, ...) x (O, I, ...)."""
    n, c = x.shape[:2]
    o, i = w.shape[:2]
    dil = [(s - 1) * d + 1 for s, d in zip(x.shape[2:], ldil, strict=True)]
    xd = np.zeros((n, c, *dil))
    xd[(slice(None), slice(None), *(slice(None, None, d) for d in ldil))] = x
    xp = np.pad(xd, [(0, 0), (0, 0)] + [(max(lo, 0), max(hi, 0)) for lo, hi in pads])
    xp = xp[
        (
            slice(None),
            slice(None),
            *(slice(-min(lo, 0), xp.shape[2 + k] + min(hi, 0)) for k, (lo, hi) in enumerate(pads)),
        )
    ]
    k_sizes = w.shape[2:]
    out_sp = [
        (p - ((k - 1) * d + 1)) // s + 1
        for p, k, d, s in zip(xp.shape[2:], k_sizes, rdil, strides, strict=True)
    ]
    out = np.zeros((n, o, *out_sp))
    og = o // groups
    for pos in itertools.product(*map(range, out_sp)):
        for kk in itertools.product(*map(range, k_sizes)):
            patch = xp[
                (
                    slice(None),
                    slice(None),
                    *(p * s + k * d for p, s, k, d in zip(pos, strides, kk, rdil, strict=True)),
                )
            ]
            for g in range(groups):
                out[(slice(None), slice(g * og, (g + 1) * og), *pos)] += (
                    patch[:, g * i : (g + 1) * i] @ w[(slice(g * og, (g + 1) * og), slice(None), *kk)].T
                )
    return out


CASES = [
    dict(x=(2, 3, 7, 6), w=(4, 3, 3, 2), window_strides=(1, 1), padding="VALID"),
    dict(x=(2, 3, 7, 6), w=(4, 3, 3, 2), window_strides=(2, 1), padding="SAME"),
    dict(x=(2, 3, 7, 6), w=(4, 3, 3, 2), window_strides=(2, 3), padding="SAME_LOWER"),
    dict(x=(2, 3, 7, 6), w=(4, 3, 3, 2), window_strides=(1, 2), padding=[(2, -1), (1, 3)]),
    dict(
        x=(2, 3, 5, 6),
        w=(4, 3, 3, 2),
        window_strides=(1, 1),
        padding=[(1, 2), (0, 1)],
        lhs_dilation=(2, 1),
        rhs_dilation=(1, 2),
    ),
    dict(x=(2, 6, 5, 5), w=(4, 3, 2, 2), window_strides=(1, 1), padding="VALID", feature_group_count=2),
    dict(x=(2, 6, 5, 5), w=(6, 1, 3, 3), window_strides=(1, 1), padding="SAME", feature_group_count=6),
    dict(x=(2, 3, 9), w=(5, 3, 4), window_strides=(2,), padding="SAME"),
    dict(
        x=(1, 2, 4, 5, 3),
        w=(3, 2, 2, 3, 2),
        window_strides=(1, 2, 1),
        padding=[(1, 0), (0, 1), (1, 1)],
        lhs_dilation=(1, 1, 2),
        rhs_dilation=(2, 1, 1),
    ),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_conv_is_its_definition(case):
    kw = dict(CASES[case])
    x, w = RNG.standard_normal(kw.pop("x")), RNG.standard_normal(kw.pop("w"))
    got = lax.conv_general_dilated(x, w, **kw)
    nsp = x.ndim - 2
    ldil, rdil = kw.get("lhs_dilation") or (1,) * nsp, kw.get("rhs_dilation") or (1,) * nsp
    pads = kw["padding"]
    if isinstance(pads, str):
        pads = lax.padtype_to_pads(
            x.shape[2:],
            [(k - 1) * d + 1 for k, d in zip(w.shape[2:], rdil, strict=True)],
            kw["window_strides"],
            pads,
        )
    want = reference_conv(x, w, kw["window_strides"], pads, ldil, rdil, kw.get("feature_group_count", 1))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_layouts_and_jax_numbers():
    x = np.arange(2 * 4 * 4 * 1, dtype=float).reshape(2, 4, 4, 1) / 10
    w = np.arange(2 * 2 * 1 * 2, dtype=float).reshape(2, 2, 1, 2) / 10 - 0.3
    got = lax.conv_general_dilated(x, w, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    xc, wc = np.moveaxis(x, 3, 1), np.transpose(w, (3, 2, 0, 1))
    canonical = lax.conv_general_dilated(xc, wc, (1, 1), "SAME")
    np.testing.assert_allclose(got, np.moveaxis(canonical, 1, 3), rtol=1e-14)
    # JAX 0.10's numbers: conv_general_dilated(x, w, (1, 1), "SAME", dimension_numbers=...)[0, :2, :2]
    want = [[[0.18, 0.28], [0.18, 0.32]], [[0.18, 0.44], [0.18, 0.48]]]
    np.testing.assert_allclose(got[0, :2, :2], want, rtol=1e-12)
    dn = lax.conv_dimension_numbers(x.shape, w.shape, ("NHWC", "HWIO", "NHWC"))
    assert dn == lax.ConvDimensionNumbers((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2))
    assert lax.conv_general_shape_tuple(
        (1, 28, 28, 1), (3, 3, 1, 8), (2, 2), "SAME", ("NHWC", "HWIO", "NHWC")
    ) == (1, 14, 14, 8)
    assert lax.conv_transpose_shape_tuple(
        (1, 7, 7, 8), (3, 3, 8, 4), (2, 2), "SAME", ("NHWC", "HWIO", "NHWC")
    ) == (1, 14, 14, 4)


def test_conv_transpose_is_the_gradient_of_a_conv():
    x = RNG.standard_normal((2, 6, 6, 3))
    w = RNG.standard_normal((3, 3, 3, 4))
    dn = ("NHWC", "HWIO", "NHWC")
    fwd = lambda x: lax.conv_general_dilated(x, w, (2, 2), "SAME", dimension_numbers=dn)  # noqa: E731
    y, pull = fad.vjp(fwd, x)
    ct = RNG.standard_normal(y.shape)
    back = lax.conv_transpose(ct, w, (2, 2), "SAME", dimension_numbers=dn, transpose_kernel=True)
    np.testing.assert_allclose(back, pull(ct)[0], rtol=1e-12, atol=1e-12)
    # JAX 0.10's numbers for one transposed convolution (VALID, strides 2)
    xt = np.arange(8.0).reshape(1, 2, 2, 2) / 8
    wt = np.arange(8.0).reshape(2, 2, 2, 1) / 8 - 0.25
    want = [
        [0.078125, 0.046875, 0.359375, 0.203125],
        [0.015625, -0.015625, 0.046875, -0.109375],
        [0.640625, 0.359375, 0.921875, 0.515625],
        [0.078125, -0.203125, 0.109375, -0.296875],
    ]
    np.testing.assert_allclose(lax.conv_transpose(xt, wt, (2, 2), "VALID")[0, :, :, 0], want, rtol=1e-12)


def reference_pool(x, init, op, window, strides, pads):
    xp = np.pad(x, [(max(lo, 0), max(hi, 0)) for lo, hi in pads], constant_values=init)
    out_sp = [(p - w) // s + 1 for p, w, s in zip(xp.shape, window, strides, strict=True)]
    out = np.full(out_sp, init, dtype=float)
    for pos in itertools.product(*map(range, out_sp)):
        win = xp[tuple(slice(p * s, p * s + w) for p, s, w in zip(pos, strides, window, strict=True))]
        out[pos] = op.reduce(win, axis=None, initial=init)
    return out


@pytest.mark.parametrize(
    "init,comp,op,window,strides,padding",
    [
        (-np.inf, lax.max, np.maximum, (1, 2, 2, 1), (1, 2, 2, 1), "VALID"),
        (0.0, lax.add, np.add, (1, 3, 3, 1), (1, 2, 2, 1), "SAME"),
        (np.inf, lax.min, np.minimum, (1, 2, 3, 1), (1, 1, 2, 1), [(0, 0), (1, 2), (0, 1), (0, 0)]),
        (1.0, lax.mul, np.multiply, (2, 1, 2, 1), (1, 1, 1, 1), "VALID"),
    ],
)
def test_reduce_window_is_its_definition(init, comp, op, window, strides, padding):
    x = RNG.standard_normal((2, 7, 6, 3))
    got = lax.reduce_window(x, init, comp, window, strides, padding)
    pads = lax.padtype_to_pads(x.shape, window, strides, padding) if isinstance(padding, str) else padding
    np.testing.assert_allclose(got, reference_pool(x, init, op, window, strides, pads), rtol=1e-13)


def test_reduce_window_dilations():
    x = np.arange(10.0)
    # base dilation spreads the entries (holes hold init_value); window dilation spreads the window
    np.testing.assert_array_equal(
        lax.reduce_window(x[:4], 0.0, lax.add, (2,), (1,), "VALID", (2,)), [0, 1, 1, 2, 2, 3]
    )
    np.testing.assert_array_equal(
        lax.reduce_window(x, -np.inf, lax.max, (2,), (3,), "VALID", None, (3,)), [3, 6, 9]
    )


F = {
    "conv": lambda x, w: lax.conv_general_dilated(x, w, (2, 1), [(1, 1), (0, 1)], rhs_dilation=(1, 2)),
    "conv_lhs_dilated": lambda x, w: lax.conv_general_dilated(
        x, w, (1, 1), [(1, 0), (1, 1)], lhs_dilation=(2, 1)
    ),
    "conv_transpose": lambda x, w: lax.conv_transpose(
        x, w, (2, 2), "SAME", dimension_numbers=("NCHW", "OIHW", "NCHW")
    ),
    "max_pool": lambda x, w: lax.reduce_window(
        x * w[0, 0, 0, 0], -np.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID"
    ),
    "avg_pool": lambda x, w: (
        lax.reduce_window(x, 0.0, lax.add, (1, 1, 3, 3), (1, 1, 2, 2), "SAME") * w[0, 0, 0, 0]
    ),
}


@pytest.mark.parametrize("name", sorted(F))
def test_under_every_transform(name):
    f = F[name]
    x, w = RNG.standard_normal((2, 3, 6, 5)), RNG.standard_normal((3, 3, 3, 2))
    check_grads(f, (x, w), order=2, modes=("fwd", "rev"))
    xs = RNG.standard_normal((4, *x.shape))
    np.testing.assert_allclose(
        fad.vmap(f, in_axes=(0, None))(xs, w), np.stack([f(a, w) for a in xs]), rtol=1e-13, atol=1e-13
    )
    ws = RNG.standard_normal((3, *w.shape))
    np.testing.assert_allclose(
        fad.vmap(f, in_axes=(None, 0))(x, ws), np.stack([f(x, a) for a in ws]), rtol=1e-13, atol=1e-13
    )
    np.testing.assert_array_equal(fad.jit(f)(x, w), f(x, w))
    small = lambda w: fnp.sum(f(x, w) ** 2)  # noqa: E731
    np.testing.assert_allclose(
        fad.jacfwd(fad.grad(small))(w), fad.jacrev(fad.grad(small))(w), rtol=1e-10, atol=1e-10
    )


def test_errors():
    x, w = np.ones((1, 2, 4, 4)), np.ones((3, 2, 2, 2))
    with pytest.raises(TypeError, match="same rank"):
        lax.conv_general_dilated(x, np.ones((3, 2, 2)), (1, 1), "VALID")
    with pytest.raises(ValueError, match="feature_group_count"):
        lax.conv_general_dilated(x, np.ones((3, 1, 2, 2)), (1, 1), "VALID")
    with pytest.raises(ValueError, match="conv_transpose"):
        lax.conv_general_dilated(x, w, (1, 1), "SAME", lhs_dilation=(2, 2))
    with pytest.raises(TypeError, match="padding"):
        lax.conv_general_dilated(x, w, (1, 1), "FULL")
    with pytest.raises(TypeError, match="exactly|once"):
        lax.conv_general_dilated(x, w, (1, 1), "VALID", dimension_numbers=("NNHW", "OIHW", "NCHW"))
    with pytest.raises(ValueError, match="window_strides"):
        lax.conv_general_dilated(x, w, (1,), "VALID")
    with pytest.raises(TypeError, match="one array"):
        lax.reduce_window((x, x), (0.0, 0.0), lax.add, (1, 1, 2, 2))
