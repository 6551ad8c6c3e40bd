"""fad.nn.initializers: JAX's weight initializers, with JAX's numbers for the same key.

Reference numbers printed by JAX 0.10 (``jax.nn.initializers`` with ``jax_enable_x64``,
key ``jax.random.PRNGKey(3)``, shape (4, 3)).
"""

from __future__ import annotations

import numpy as np
import pytest

import fad
from fad import random
from fad.nn import initializers as I

KEY = random.PRNGKey(3)
GLOROT_UNIFORM = [
    [0.6765761823200721, -0.08664859381052603, -0.48413414059240395],
    [-0.547645904945127, -0.33815841026318244, 0.13661282917916365],
    [0.6701256266072873, 0.2155548836997682, 0.8420259615804621],
    [0.5393042435946928, -0.10100115243767507, 0.07634303276412721],
]
HE_NORMAL = [
    [0.828922163618235, -0.09019203242831106, -0.5411055898418493],
    [-0.627022521597155, -0.3632417616954782, 0.14264684392036867],
    [0.8176022736738287, 0.22687627691183343, 1.2111864796581955],
    [0.6153432904829557, -0.10521097747197992, 0.079427675626471],
]
ORTHOGONAL_3x5 = [
    [0.5260920893134977, -0.39358110058503165, 0.5185036840882745, 0.3860635071452845, 0.3878529732535306],
    [-0.2461064457895928, -0.6499090361026225, 0.3676872905668543, -0.25597463151020877, -0.5624348020097908],
    [-0.3204150495608081, 0.571129762786865, 0.7198645846384897, 0.18689353706632694, -0.1342042311555651],
]


def test_jax_numbers():
    np.testing.assert_array_equal(I.glorot_uniform()(KEY, (4, 3)), GLOROT_UNIFORM)
    np.testing.assert_array_equal(I.xavier_uniform()(KEY, (4, 3)), GLOROT_UNIFORM)
    np.testing.assert_allclose(I.he_normal()(KEY, (4, 3)), HE_NORMAL, rtol=1e-13)
    np.testing.assert_allclose(I.kaiming_normal()(KEY, (4, 3)), HE_NORMAL, rtol=1e-13)
    np.testing.assert_allclose(I.orthogonal()(KEY, (3, 5)), ORTHOGONAL_3x5, rtol=1e-12, atol=1e-14)


BUILDERS = {
    "glorot_uniform": I.glorot_uniform(),
    "glorot_normal": I.glorot_normal(),
    "lecun_uniform": I.lecun_uniform(),
    "lecun_normal": I.lecun_normal(),
    "he_uniform": I.he_uniform(),
    "he_normal": I.he_normal(),
    "conv_fan_out": I.variance_scaling(2.0, "fan_out", "uniform"),
    "geo_normal": I.variance_scaling(0.5, "fan_geo_avg", "normal"),
    "uniform": I.uniform(2.0),
    "normal": I.normal(0.3),
    "truncated_normal": I.truncated_normal(0.5),
    "orthogonal": I.orthogonal(),
    "constant": I.constant(-7.0),
    "zeros": I.zeros,
    "ones": I.ones,
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_shapes_dtypes_vmap_and_jit(name):
    init = BUILDERS[name]
    shape = (3, 3, 4, 5) if name.startswith(("conv", "geo")) else (4, 3)
    w = init(KEY, shape)
    assert w.shape == shape and w.dtype == np.float64
    assert init(KEY, shape, np.float32).dtype == np.float32
    keys = random.split(KEY, 3)
    ensemble = fad.vmap(lambda k: init(k, shape))(keys)
    np.testing.assert_array_equal(ensemble, np.stack([init(k, shape) for k in keys]))
    np.testing.assert_array_equal(fad.jit(lambda k: init(k, shape))(KEY), w)


def test_variances_and_orthogonality():
    n = 400
    w = I.he_normal()(KEY, (n, 300))
    assert abs(w.var() * n / 2.0 - 1.0) < 0.03  # variance 2 / fan_in
    w = I.glorot_uniform()(KEY, (n, 300))
    assert abs(w.var() * (n + 300) / 2 - 1.0) < 0.03
    q = I.orthogonal(2.0, column_axis=0)(KEY, (4, 2, 3))
    flat = np.moveaxis(q, 0, -1).reshape(-1, 4)
    np.testing.assert_allclose(flat.T @ flat, 4.0 * np.eye(4), atol=1e-12)
    d = I.delta_orthogonal()(KEY, (3, 2, 2))
    assert np.all(d[0] == 0) and np.all(d[2] == 0)
    np.testing.assert_allclose(d[1] @ d[1].T, np.eye(2), atol=1e-12)
    c = I.glorot_uniform(dtype=np.complex128)(KEY, (200, 300))
    assert c.dtype == np.complex128 and abs(np.mean(abs(c) ** 2) * 250 - 1.0) < 0.05


def test_errors():
    with pytest.raises(ValueError, match="in_axis"):
        I.glorot_normal()(KEY, (5,))
    with pytest.raises(ValueError, match="invalid mode"):
        I.variance_scaling(1.0, "fan_sum", "normal")
    with pytest.raises(ValueError, match="invalid distribution"):
        I.variance_scaling(1.0, "fan_in", "cauchy")
    with pytest.raises(ValueError, match="2 dimensions"):
        I.orthogonal()(KEY, (3,))
    with pytest.raises(ValueError, match="3-, 4- or 5-d"):
        I.delta_orthogonal()(KEY, (3, 3))
