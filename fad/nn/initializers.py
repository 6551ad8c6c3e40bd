"""Weight initializers with JAX's names and numbers (`jax.nn.initializers`).

Each builder returns an initializer `init(key, shape, dtype=None)`, a function of a key
from `fad.random`, as JAX's: with the same key it gives JAX's weights (with 64-bit values:
float64 by default). Drawn with `fad.random`, they work under `vmap` over keys (an
ensemble of initial weights) and `jit`.

Examples:
    >>> from fad import random
    >>> from fad.nn import initializers
    >>> w = initializers.glorot_normal()(random.PRNGKey(0), (3, 2))
    >>> w.shape, w.dtype
    ((3, 2), dtype('float64'))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import fad.numpy as fnp
from fad import random

__all__ = [
    "zeros",
    "ones",
    "constant",
    "uniform",
    "normal",
    "truncated_normal",
    "variance_scaling",
    "glorot_uniform",
    "glorot_normal",
    "xavier_uniform",
    "xavier_normal",
    "lecun_uniform",
    "lecun_normal",
    "he_uniform",
    "he_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "orthogonal",
    "delta_orthogonal",
]

#: An initializer: ``init(key, shape, dtype=None) -> array``.
Initializer = Callable[..., Any]


def _dtype(dtype: Any) -> np.dtype[Any]:
    return np.dtype(np.float64 if dtype is None else dtype)


def zeros(key: Any, shape: Sequence[int], dtype: Any = None) -> Any:
    """Zeros (an initializer itself, as JAX's).

    Args:
        key: A key (unused).
        shape: The shape.
        dtype: The dtype (float64 by default).

    Returns:
        An array of zeros.
    """
    return fnp.zeros(tuple(shape), _dtype(dtype))


def ones(key: Any, shape: Sequence[int], dtype: Any = None) -> Any:
    """Ones (an initializer itself, as JAX's).

    Args:
        key: A key (unused).
        shape: The shape.
        dtype: The dtype (float64 by default).

    Returns:
        An array of ones.
    """
    return fnp.ones(tuple(shape), _dtype(dtype))


def constant(value: Any, dtype: Any = None) -> Initializer:
    """An initializer that fills with ``value``.

    Args:
        value: The value.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        return fnp.full(tuple(shape), value, _dtype(dtype))

    return init


def uniform(scale: float = 1e-2, dtype: Any = None) -> Initializer:
    """An initializer drawing uniformly from ``[0, scale)``.

    Args:
        scale: The upper bound.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        d = _dtype(dtype)
        return random.uniform(key, shape, d) * fnp.asarray(scale, d)

    return init


def normal(stddev: float = 1e-2, dtype: Any = None) -> Initializer:
    """An initializer drawing from a normal distribution of mean 0.

    Args:
        stddev: The standard deviation.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        d = _dtype(dtype)
        return random.normal(key, shape, d) * fnp.asarray(stddev, d)

    return init


def truncated_normal(
    stddev: float = 1e-2, dtype: Any = None, lower: float = -2.0, upper: float = 2.0
) -> Initializer:
    """An initializer drawing from a normal distribution truncated to ``(lower, upper)``,
    then scaled by ``stddev`` (no correction of the variance for the truncation, as JAX's).

    Args:
        stddev: The scale.
        dtype: The initializer's default dtype.
        lower: The lower bound, before scaling.
        upper: The upper bound, before scaling.

    Returns:
        ``init(key, shape, dtype)``.
    """

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        d = _dtype(dtype)
        return random.truncated_normal(key, lower, upper, shape, d) * fnp.asarray(stddev, d)

    return init


def _axes_size(shape: tuple[int, ...], axes: int | Sequence[int]) -> int:
    return shape[axes] if isinstance(axes, int) else math.prod(shape[i] for i in axes)


def _fans(shape: tuple[int, ...], in_axis: Any, out_axis: Any, batch_axis: Any) -> tuple[float, float]:
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError(
            f"fad.nn.initializers: cannot tell the input and output sizes of a {len(shape)}-d "
            "weight with the default in_axis; give a shape of 2 dimensions or more, or in_axis."
        )
    n_in, n_out, n_batch = (_axes_size(shape, a) for a in (in_axis, out_axis, batch_axis))
    field = math.prod(shape) / n_in / n_out / n_batch  # (a convolution's kernel size)
    return n_in * field, n_out * field


def _complex_disk(key: Any, shape: tuple[int, ...], d: np.dtype[Any], upper: float | None) -> Any:
    kr, kt = random.split(key)
    real = np.dtype(f"float{d.itemsize * 4}")
    u = random.uniform(kr, shape, real).astype(d)
    if upper is None:  # uniform on the disk of variance 1
        r = fnp.sqrt(2 * u)
    else:  # normal of variance 1, modulus truncated to upper
        r = fnp.sqrt(-fnp.log(1 - (1 - fnp.exp(fnp.asarray(-(upper**2), d))) * u))
    theta = 2 * np.pi * random.uniform(kt, shape, real).astype(d)
    return r * fnp.exp(1j * theta)


def variance_scaling(
    scale: float,
    mode: str,
    distribution: str,
    in_axis: int | Sequence[int] = -2,
    out_axis: int | Sequence[int] = -1,
    batch_axis: int | Sequence[int] = (),
    dtype: Any = None,
) -> Initializer:
    """An initializer whose samples have variance ``scale / n``, ``n`` by ``mode``.

    Args:
        scale: The variance's scale.
        mode: ``"fan_in"``, ``"fan_out"``, ``"fan_avg"`` or ``"fan_geo_avg"``: the number of
            inputs, of outputs, their mean or their geometric mean (times the receptive
            field, the axes in none of the three arguments below).
        distribution: ``"truncated_normal"`` (at two standard deviations, rescaled),
            ``"normal"`` or ``"uniform"`` (a disk for a complex dtype).
        in_axis: The input axis (or axes).
        out_axis: The output axis (or axes).
        batch_axis: Axes of independent weights.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """
    if mode not in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"):
        raise ValueError(f"fad.nn.initializers.variance_scaling: invalid mode {mode!r}.")
    if distribution not in ("truncated_normal", "normal", "uniform"):
        raise ValueError(f"fad.nn.initializers.variance_scaling: invalid distribution {distribution!r}.")

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        shape = tuple(shape)
        d = _dtype(dtype)
        fan_in, fan_out = _fans(shape, in_axis, out_axis, batch_axis)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}.get(mode)
        variance = np.asarray(scale / (n if n is not None else (fan_in * fan_out) ** 0.5), d)
        complex_ = d.kind == "c"
        if distribution == "truncated_normal":
            if complex_:  # (the standard deviation of a complex normal truncated at 2)
                return _complex_disk(key, shape, d, 2.0) * (np.sqrt(variance) / d.type(0.95311164380491208))
            # (the standard deviation of a standard normal truncated to (-2, 2))
            stddev = np.sqrt(variance) / d.type(0.87962566103423978)
            return random.truncated_normal(key, -2, 2, shape, d) * stddev
        if distribution == "normal":
            return random.normal(key, shape, d) * np.sqrt(variance)
        if complex_:
            return _complex_disk(key, shape, d, None) * np.sqrt(variance)
        return random.uniform(key, shape, d, -1) * np.sqrt(3 * variance)

    return init


def _preset(name: str, scale: float, mode: str, distribution: str, doc: str) -> Callable[..., Initializer]:
    def builder(
        in_axis: int | Sequence[int] = -2,
        out_axis: int | Sequence[int] = -1,
        batch_axis: int | Sequence[int] = (),
        dtype: Any = None,
    ) -> Initializer:
        return variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis, dtype)

    builder.__name__ = builder.__qualname__ = name
    builder.__doc__ = f"""{doc}: `variance_scaling({scale}, "{mode}", "{distribution}")`.

    Args:
        in_axis: The input axis (or axes).
        out_axis: The output axis (or axes).
        batch_axis: Axes of independent weights.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """
    return builder


glorot_uniform = xavier_uniform = _preset(
    "glorot_uniform", 1.0, "fan_avg", "uniform", "Glorot (Xavier) uniform"
)
glorot_normal = xavier_normal = _preset(
    "glorot_normal", 1.0, "fan_avg", "truncated_normal", "Glorot (Xavier) normal"
)
lecun_uniform = _preset("lecun_uniform", 1.0, "fan_in", "uniform", "LeCun uniform")
lecun_normal = _preset("lecun_normal", 1.0, "fan_in", "truncated_normal", "LeCun normal")
he_uniform = kaiming_uniform = _preset("he_uniform", 2.0, "fan_in", "uniform", "He (Kaiming) uniform")
he_normal = kaiming_normal = _preset("he_normal", 2.0, "fan_in", "truncated_normal", "He (Kaiming) normal")


def orthogonal(scale: float = 1.0, column_axis: int = -1, dtype: Any = None) -> Initializer:
    """An initializer of (semi-)orthogonal matrices: orthonormal rows or columns, whichever
    are fewer, after flattening every axis but ``column_axis`` into the rows.

    Args:
        scale: A factor.
        column_axis: The axis of the columns.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        shape = tuple(shape)
        d = _dtype(dtype)
        if len(shape) < 2:
            raise ValueError("fad.nn.initializers.orthogonal needs a shape of 2 dimensions or more.")
        if 0 in shape:
            return fnp.zeros(shape, d)
        n_cols = shape[column_axis]
        q = random.orthogonal(key, math.prod(shape) // n_cols, (), d, n_cols)
        rest = tuple(s for i, s in enumerate(shape) if i != column_axis % len(shape))
        q = fnp.moveaxis(fnp.reshape(q, (*rest, n_cols)), -1, column_axis)
        return fnp.asarray(scale, d) * q

    return init


def delta_orthogonal(scale: float = 1.0, column_axis: int = -1, dtype: Any = None) -> Initializer:
    """An initializer for convolution kernels (3-, 4- or 5-d): zeros but an orthogonal
    matrix at the kernel's centre.

    Args:
        scale: A factor.
        column_axis: The axis of the columns.
        dtype: The initializer's default dtype.

    Returns:
        ``init(key, shape, dtype)``.
    """

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        shape = tuple(shape)
        d = _dtype(dtype)
        if len(shape) not in (3, 4, 5):
            raise ValueError("fad.nn.initializers.delta_orthogonal needs a 3-, 4- or 5-d shape.")
        if shape[-1] < shape[-2]:
            raise ValueError("fad.nn.initializers.delta_orthogonal: fan_in must be at most fan_out.")
        m = orthogonal(scale, column_axis, d)(key, shape[-2:])
        centre = tuple((k - 1) // 2 for k in shape[:-2])
        return fnp.zeros(shape, d).at[centre].set(m)

    return init
