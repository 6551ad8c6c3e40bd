"""Neural-network functions with JAX's names and semantics (`jax.nn`): activations,
`softmax`/`log_softmax` (with `where=`), `logsumexp`, `one_hot` and `standardize`.

Each is written with `fad.numpy`, so every transform takes it. Where JAX fixes a
derivative that the formula leaves open, fad follows JAX: `relu` and `relu6` have the
derivative 0 at their kinks (JAX's `custom_jvp`), and `softmax` shifts by its maximum
without differentiating the shift.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad import nn
    >>> nn.softmax(fnp.array([1.0, 2.0, 3.0])).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> float(fad.grad(nn.relu)(0.0))  # 0 at the kink, as JAX's
    0.0
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import fad.numpy as fnp
from fad import _prims
from fad._custom import custom_jvp
from fad._lax_ops import _array
from fad.nn import initializers  # noqa: F401 - jax.nn.initializers
from fad.numpy import _exp_sums

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = [
    "relu",
    "relu6",
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "silu",
    "swish",
    "gelu",
    "elu",
    "leaky_relu",
    "celu",
    "selu",
    "hard_tanh",
    "hard_sigmoid",
    "hard_silu",
    "soft_sign",
    "mish",
    "squareplus",
    "glu",
    "tanh",
    "softmax",
    "log_softmax",
    "logsumexp",
    "one_hot",
    "standardize",
]

Axis = int | Sequence[int] | None


@custom_jvp
def relu(x: ArrayLike) -> Array:
    """The rectified linear unit `max(x, 0)`; its derivative is 0 at 0, as JAX's.

    Args:
        x: The array.

    Returns:
        `max(x, 0)`, elementwise.

    Examples:
        >>> import fad
        >>> from fad import nn
        >>> float(nn.relu(-2.0)), float(fad.grad(nn.relu)(3.0))
        (0.0, 1.0)
    """
    return fnp.maximum(x, 0.0)


@relu.defjvp
def _relu_jvp(primals: Any, tangents: Any) -> Any:
    (x,), (t,) = primals, tangents
    return relu(x), fnp.where(_array(x) > 0, t, 0.0)


@custom_jvp
def relu6(x: ArrayLike) -> Array:
    """`min(max(x, 0), 6)`; its derivative is 0 at 0 and at 6, as JAX's.

    Args:
        x: The array.

    Returns:
        `x` clipped to `[0, 6]`, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.relu6(7.5)
        np.float64(6.0)
    """
    return fnp.minimum(fnp.maximum(x, 0.0), 6.0)


@relu6.defjvp
def _relu6_jvp(primals: Any, tangents: Any) -> Any:
    (x,), (t,) = primals, tangents
    a = _array(x)
    return relu6(a), fnp.where((a > 0) & (a < 6), t, 0.0)


def sigmoid(x: ArrayLike) -> Array:
    """The logistic sigmoid `1 / (1 + exp(-x))`.

    Args:
        x: The array.

    Returns:
        The sigmoid, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.sigmoid(0.0)
        np.float64(0.5)
    """
    return _prims.expit(_array(x))


def log_sigmoid(x: ArrayLike) -> Array:
    """`log(sigmoid(x))`, computed as `-softplus(-x)` (no overflow for large `|x|`).

    Args:
        x: The array.

    Returns:
        The log-sigmoid, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.log_sigmoid(-800.0)
        np.float64(-800.0)
    """
    return -softplus(-_array(x))


def softplus(x: ArrayLike) -> Array:
    """`log(1 + exp(x))`, computed as `logaddexp(x, 0)`.

    Args:
        x: The array.

    Returns:
        The softplus, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.softplus(0.0)), 6)
        0.693147
    """
    return fnp.logaddexp(x, 0.0)


def silu(x: ArrayLike) -> Array:
    """The SiLU (swish) activation `x * sigmoid(x)`.

    Args:
        x: The array.

    Returns:
        The SiLU, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.silu(1.0)), 6)
        0.731059
    """
    a = _array(x)
    return a * sigmoid(a)


swish = silu


def gelu(x: ArrayLike, approximate: bool = True) -> Array:
    """The Gaussian error linear unit: `x * Phi(x)`, by default through JAX's tanh
    approximation.

    Args:
        x: The array.
        approximate: `True` (JAX's default): `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`;
            `False`: the exact `0.5 x (1 + erf(x / sqrt(2)))`.

    Returns:
        The GELU, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.gelu(1.0)), 6), round(float(nn.gelu(1.0, approximate=False)), 6)
        (0.841192, 0.841345)
    """
    a = _array(x)
    if approximate:
        c = math.sqrt(2.0 / math.pi)
        return 0.5 * a * (1.0 + fnp.tanh(c * (a + 0.044715 * a**3)))
    return 0.5 * a * (1.0 + _prims.erf(a / math.sqrt(2.0)))


def _negative_part(x: Any) -> Any:
    """`x` where `x <= 0`, else 0: an argument for `expm1` that never overflows, so that the
    unused branch of a `where` has a finite derivative (at 0 it is `x`, as JAX's)."""
    return fnp.where(x > 0, 0.0, x)


def elu(x: ArrayLike, alpha: ArrayLike = 1.0) -> Array:
    """The exponential linear unit: `x` where positive, `alpha (exp(x) - 1)` elsewhere.

    Args:
        x: The array.
        alpha: The scale of the negative part.

    Returns:
        The ELU, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.elu(-1.0)), 6)
        -0.632121
    """
    a = _array(x)
    return fnp.where(a > 0, a, _array(alpha) * fnp.expm1(_negative_part(a)))


def leaky_relu(x: ArrayLike, negative_slope: ArrayLike = 0.01) -> Array:
    """`x` where `x >= 0`, `negative_slope * x` elsewhere.

    Args:
        x: The array.
        negative_slope: The slope for negative `x`.

    Returns:
        The leaky ReLU, elementwise.

    Examples:
        >>> from fad import nn
        >>> float(nn.leaky_relu(-2.0))
        -0.02
    """
    a = _array(x)
    return fnp.where(a >= 0, a, _array(negative_slope) * a)


def celu(x: ArrayLike, alpha: ArrayLike = 1.0) -> Array:
    """The continuously differentiable ELU: `max(x, 0) + alpha expm1(min(x, 0) / alpha)`.

    Args:
        x: The array.
        alpha: The scale.

    Returns:
        The CELU, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.celu(-1.0, 2.0)), 6)
        -0.786939
    """
    alpha = _array(alpha)
    return fnp.maximum(x, 0.0) + alpha * fnp.expm1(fnp.minimum(x, 0.0) / alpha)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: ArrayLike) -> Array:
    """The scaled ELU: `scale * elu(x, alpha)` with the self-normalizing constants.

    Args:
        x: The array.

    Returns:
        The SELU, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.selu(1.0)), 6)
        1.050701
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def hard_tanh(x: ArrayLike) -> Array:
    """`x` clipped to `[-1, 1]` (derivative 1 at the ends, as JAX's `where`).

    Args:
        x: The array.

    Returns:
        The hard tanh, elementwise.

    Examples:
        >>> from fad import nn
        >>> float(nn.hard_tanh(3.0))
        1.0
    """
    a = _array(x)
    return fnp.where(a > 1, 1.0, fnp.where(a < -1, -1.0, a))


def hard_sigmoid(x: ArrayLike) -> Array:
    """`relu6(x + 3) / 6`.

    Args:
        x: The array.

    Returns:
        The hard sigmoid, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.hard_sigmoid(0.0)
        np.float64(0.5)
    """
    return relu6(_array(x) + 3.0) / 6.0


def hard_silu(x: ArrayLike) -> Array:
    """`x * hard_sigmoid(x)` (the hard swish).

    Args:
        x: The array.

    Returns:
        The hard SiLU, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.hard_silu(1.0).round(6)
        np.float64(0.666667)
    """
    return _array(x) * hard_sigmoid(x)


def soft_sign(x: ArrayLike) -> Array:
    """`x / (|x| + 1)`.

    Args:
        x: The array.

    Returns:
        The soft sign, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.soft_sign(-3.0)
        np.float64(-0.75)
    """
    a = _array(x)
    return a / (fnp.abs(a) + 1.0)


def mish(x: ArrayLike) -> Array:
    """`x * tanh(softplus(x))`.

    Args:
        x: The array.

    Returns:
        The mish activation, elementwise.

    Examples:
        >>> from fad import nn
        >>> round(float(nn.mish(1.0)), 6)
        0.865098
    """
    return _array(x) * fnp.tanh(softplus(x))


def squareplus(x: ArrayLike, b: ArrayLike = 4) -> Array:
    """`(x + sqrt(x^2 + b)) / 2`, a smooth ReLU.

    Args:
        x: The array.
        b: The smoothness (the value at 0 is `sqrt(b) / 2`).

    Returns:
        The squareplus, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.squareplus(0.0)
        np.float64(1.0)
    """
    a = _array(x)
    return (a + fnp.sqrt(a * a + _array(b))) / 2.0


def glu(x: ArrayLike, axis: int = -1) -> Array:
    """The gated linear unit: `x`'s two halves along `axis`, the first times the sigmoid of
    the second.

    Args:
        x: The array; its length along `axis` must be even.
        axis: The axis to halve.

    Returns:
        An array with half `x`'s length along `axis`.

    Examples:
        >>> import numpy as np
        >>> from fad import nn
        >>> nn.glu(np.array([2.0, 0.0]))
        array([1.])
    """
    a = _array(x)
    n = a.shape[axis]
    if n % 2:
        raise ValueError(f"nn.glu: axis {axis} has odd length {n}; it is split into two halves.")
    a, b = fnp.split(a, 2, axis=axis)
    return a * sigmoid(b)


def tanh(x: ArrayLike) -> Array:
    """The hyperbolic tangent (JAX's `nn.tanh`, `fad.numpy.tanh`).

    Args:
        x: The array.

    Returns:
        `tanh(x)`, elementwise.

    Examples:
        >>> from fad import nn
        >>> nn.tanh(0.0)
        np.float64(0.0)
    """
    return fnp.tanh(x)


def _masked(x: ArrayLike, where: ArrayLike | None) -> Any:
    """`x` with the entries outside `where` at -inf: they take no part in a sum of
    exponentials (nor in its shift), and get no derivative."""
    return x if where is None else fnp.where(where, x, -np.inf)


def softmax(x: ArrayLike, axis: Axis = -1, where: ArrayLike | None = None) -> Array:
    """`exp(x) / sum(exp(x))` along `axis`, shifted by the maximum (not differentiated).

    Args:
        x: The array.
        axis: The axis or axes to normalize over.
        where: Which entries take part (a boolean array broadcasting against `x`); the others
            are 0 in the result. None: all.

    Returns:
        An array of `x`'s shape, summing to 1 along `axis` (over the `where` entries).

    Examples:
        >>> import numpy as np
        >>> from fad import nn
        >>> nn.softmax(np.array([0.0, 0.0, 1000.0]))
        array([0., 0., 1.])
    """
    return _exp_sums.softmax(_masked(x, where), axis, "softmax")


def log_softmax(x: ArrayLike, axis: Axis = -1, where: ArrayLike | None = None) -> Array:
    """`x - logsumexp(x)` along `axis`, shifted by the maximum (not differentiated).

    Args:
        x: The array.
        axis: The axis or axes to normalize over.
        where: Which entries take part; the others are `-inf` in the result. None: all.

    Returns:
        An array of `x`'s shape whose exponentials sum to 1 along `axis`.

    Examples:
        >>> import numpy as np
        >>> from fad import nn
        >>> nn.log_softmax(np.array([0.0, 1000.0]))
        array([-1000.,     0.])
    """
    out = _exp_sums.log_softmax(_masked(x, where), axis, "log_softmax")
    # (an entry outside `where` passes no cotangent on, not even through the sum)
    return out if where is None else fnp.where(where, out, -np.inf)


def logsumexp(
    a: ArrayLike,
    axis: Axis = None,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
    where: ArrayLike | None = None,
) -> Any:
    """`log(sum(b * exp(a)))` over `axis`, computed stably: shifted by the maximum (not
    differentiated), as JAX's `nn.logsumexp`.

    Args:
        a: The array.
        axis: The axis or axes (None: all).
        b: Weights broadcasting against `a`, or None.
        keepdims: Whether to keep the reduced axes with length 1.
        return_sign: Whether to return `(log|sum|, sign)` (for weights of both signs);
            otherwise a negative sum gives NaN.
        where: Which entries take part, or None: all.

    Returns:
        The log of the sum, or `(log|sum|, sign)` if `return_sign`.

    Examples:
        >>> import numpy as np
        >>> from fad import nn
        >>> round(float(nn.logsumexp(np.array([1000.0, 1000.0]))) - 1000.0, 9)  # log(2), no overflow
        0.693147181
        >>> nn.logsumexp(np.array([0.0, 0.0]), b=np.array([1.0, -2.0]), return_sign=True)
        (np.float64(0.0), np.float64(-1.0))
    """
    if where is not None and b is not None:
        b = fnp.where(where, b, 0.0)
    return _exp_sums.logsumexp(_masked(a, where), axis, b, keepdims, return_sign, "logsumexp")


def one_hot(x: Any, num_classes: int, *, dtype: Any = None, axis: int = -1) -> Array:
    """The one-hot encoding of the integer array `x`: a new axis of length `num_classes`
    with 1 at `x`'s class and 0 elsewhere (all 0 for a class out of range), as JAX's.

    Args:
        x: An array of class indices.
        num_classes: The number of classes.
        dtype: The result's dtype (float64 by default).
        axis: Where the new axis goes.

    Returns:
        An array with one more axis than `x`.

    Examples:
        >>> import numpy as np
        >>> from fad import nn
        >>> nn.one_hot(np.array([0, 2, 5]), 3)
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 0., 0.]])
    """
    num_classes = operator.index(num_classes)
    a = _array(x)
    out = fnp.expand_dims(a, -1) == fnp.arange(num_classes)
    out = fnp.moveaxis(out, -1, axis if axis >= 0 else a.ndim + 1 + axis)
    return out.astype(np.float64 if dtype is None else dtype)


def standardize(
    x: ArrayLike,
    axis: Axis = -1,
    mean: ArrayLike | None = None,
    variance: ArrayLike | None = None,
    epsilon: ArrayLike = 1e-5,
    where: ArrayLike | None = None,
) -> Array:
    """`(x - mean) / sqrt(variance + epsilon)` along `axis` (JAX's `nn.standardize`; the
    variance, when not given, is `mean(x^2) - mean(x)^2`, as JAX's).

    Args:
        x: The array.
        axis: The axis or axes to standardize over.
        mean: The mean to subtract, or None: `x`'s over `axis`.
        variance: The variance to divide by, or None: `x`'s over `axis`.
        epsilon: Added to the variance.
        where: Which entries the mean and variance are taken over, or None: all.

    Returns:
        An array of `x`'s shape.

    Examples:
        >>> import numpy as np
        >>> from fad import nn
        >>> nn.standardize(np.array([1.0, 3.0]), epsilon=0.0)
        array([-1.,  1.])
    """
    a = _array(x)
    masked: dict[str, Any] = {} if where is None else {"where": where}
    if mean is None:
        mean = fnp.mean(a, axis=axis, keepdims=True, **masked)
    if variance is None:
        variance = fnp.mean(a * a, axis=axis, keepdims=True, **masked) - _array(mean) ** 2
    return (a - _array(mean)) / fnp.sqrt(_array(variance) + _array(epsilon))
