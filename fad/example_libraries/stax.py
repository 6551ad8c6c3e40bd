"""Neural networks as `(init_fun, apply_fun)` pairs (`jax.example_libraries.stax`).

A layer is a pair: `init_fun(key, input_shape)` returns the output shape and the layer's
parameters (drawn with `fad.random` keys, so the same key gives JAX's initial weights),
and `apply_fun(params, inputs, **kwargs)` computes the layer. `serial` and `parallel`
combine layers into layers. Parameters are pytrees of arrays, so `fad.grad`, `fad.vmap`
and `fad.jit` take the whole network, and `fad.example_libraries.optimizers` trains it.

As in JAX, `Dropout(rate)` keeps each input with probability `rate` (not drops it), and
needs `apply_fun(params, inputs, rng=key)`.

Examples:
    >>> import fad.numpy as fnp
    >>> from fad import random
    >>> from fad.example_libraries import stax
    >>> init_fun, apply_fun = stax.serial(stax.Dense(8), stax.Relu, stax.Dense(3), stax.LogSoftmax)
    >>> out_shape, params = init_fun(random.PRNGKey(0), (-1, 4))
    >>> out_shape, apply_fun(params, fnp.ones((2, 4))).shape
    ((-1, 3), (2, 3))
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import fad.numpy as fnp
from fad import lax, random
from fad.nn import elu, gelu, leaky_relu, log_softmax, relu, selu, sigmoid, softmax, softplus, standardize
from fad.nn.initializers import glorot_normal, normal, ones, zeros

__all__ = [
    "Dense",
    "GeneralConv",
    "Conv",
    "GeneralConvTranspose",
    "Conv1DTranspose",
    "ConvTranspose",
    "BatchNorm",
    "elementwise",
    "Tanh",
    "Relu",
    "Exp",
    "LogSoftmax",
    "Softmax",
    "Softplus",
    "Sigmoid",
    "Elu",
    "LeakyRelu",
    "Selu",
    "Gelu",
    "MaxPool",
    "SumPool",
    "AvgPool",
    "Flatten",
    "Identity",
    "FanOut",
    "FanInSum",
    "FanInConcat",
    "Dropout",
    "serial",
    "parallel",
    "shape_dependent",
]

Layer = tuple[Callable[..., Any], Callable[..., Any]]

glorot = glorot_normal
randn = normal
logsoftmax = log_softmax
_GLOROT, _NORMAL, _TINY = glorot_normal(), normal(), normal(1e-6)  # (JAX's default initializers)


def Dense(out_dim: int, W_init: Callable[..., Any] = _GLOROT, b_init: Callable[..., Any] = _NORMAL) -> Layer:  # noqa: N802, N803
    """A fully connected layer, `inputs @ W + b`.

    Args:
        out_dim: The number of outputs.
        W_init: The weights' initializer (Glorot normal).
        b_init: The bias's initializer (normal, standard deviation 0.01).

    Returns:
        `(init_fun, apply_fun)`.
    """

    def init_fun(rng: Any, input_shape: Sequence[int]) -> Any:
        output_shape = (*input_shape[:-1], out_dim)
        k1, k2 = random.split(rng)
        return output_shape, (W_init(k1, (input_shape[-1], out_dim)), b_init(k2, (out_dim,)))

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        w, b = params
        return fnp.dot(inputs, w) + b

    return init_fun, apply_fun


def GeneralConv(  # noqa: N802 - JAX's name
    dimension_numbers: Sequence[str],
    out_chan: int,
    filter_shape: Sequence[int],
    strides: Sequence[int] | None = None,
    padding: Any = "VALID",
    W_init: Callable[..., Any] | None = None,  # noqa: N803
    b_init: Callable[..., Any] = _TINY,
) -> Layer:
    """A convolution layer with explicit layouts (see `fad.lax.conv_general_dilated`).

    Args:
        dimension_numbers: The input's, kernel's and output's layouts, e.g.
            `('NHWC', 'HWIO', 'NHWC')`.
        out_chan: The number of output channels.
        filter_shape: The kernel's spatial shape.
        strides: The strides (1 by default).
        padding: `'VALID'`, `'SAME'` or (low, high) pairs.
        W_init: The kernel's initializer (Glorot normal over its input and output axes).
        b_init: The bias's initializer.

    Returns:
        `(init_fun, apply_fun)`.
    """
    one = (1,) * len(filter_shape)
    steps = tuple(strides or one)

    def apply(inputs: Any, w: Any) -> Any:
        return lax.conv_general_dilated(
            inputs, w, steps, padding, one, one, dimension_numbers=dimension_numbers
        )

    def out_shape(shape: Sequence[int], kernel: list[int]) -> Any:
        return lax.conv_general_shape_tuple(shape, kernel, steps, padding, dimension_numbers)

    return _conv_layer(dimension_numbers, out_chan, filter_shape, W_init, b_init, apply, out_shape)


def _conv_layer(
    dimension_numbers: Sequence[str],
    out_chan: int,
    filter_shape: Sequence[int],
    W_init: Callable[..., Any] | None,  # noqa: N803
    b_init: Callable[..., Any],
    apply: Callable[[Any, Any], Any],
    out_shape: Callable[[Sequence[int], list[int]], Any],
) -> Layer:
    """A (transposed) convolution layer: the kernel laid out by `dimension_numbers`, a bias
    over the output channels, `apply(inputs, kernel)` and its output shape."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    w_init = W_init or glorot_normal(rhs_spec.index("I"), rhs_spec.index("O"))

    def init_fun(rng: Any, input_shape: Sequence[int]) -> Any:
        sizes = iter(filter_shape)
        kernel_shape = [
            out_chan if c == "O" else input_shape[lhs_spec.index("C")] if c == "I" else next(sizes)
            for c in rhs_spec
        ]
        bias_shape = [out_chan if c == "C" else 1 for c in out_spec]
        k1, k2 = random.split(rng)
        return out_shape(input_shape, kernel_shape), (w_init(k1, kernel_shape), b_init(k2, bias_shape))

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        w, b = params
        return apply(inputs, w) + b

    return init_fun, apply_fun


Conv = functools.partial(GeneralConv, ("NHWC", "HWIO", "NHWC"))


def GeneralConvTranspose(  # noqa: N802 - JAX's name
    dimension_numbers: Sequence[str],
    out_chan: int,
    filter_shape: Sequence[int],
    strides: Sequence[int] | None = None,
    padding: Any = "VALID",
    W_init: Callable[..., Any] | None = None,  # noqa: N803
    b_init: Callable[..., Any] = _TINY,
) -> Layer:
    """A transposed-convolution layer with explicit layouts (see `fad.lax.conv_transpose`).

    Args:
        dimension_numbers: The layouts, e.g. `('NHWC', 'HWIO', 'NHWC')`.
        out_chan: The number of output channels.
        filter_shape: The kernel's spatial shape.
        strides: The strides (1 by default).
        padding: `'VALID'`, `'SAME'` or (low, high) pairs.
        W_init: The kernel's initializer.
        b_init: The bias's initializer.

    Returns:
        `(init_fun, apply_fun)`.
    """
    steps = tuple(strides or (1,) * len(filter_shape))

    def apply(inputs: Any, w: Any) -> Any:
        return lax.conv_transpose(inputs, w, steps, padding, dimension_numbers=dimension_numbers)

    def out_shape(shape: Sequence[int], kernel: list[int]) -> Any:
        return lax.conv_transpose_shape_tuple(shape, kernel, steps, padding, dimension_numbers)

    return _conv_layer(dimension_numbers, out_chan, filter_shape, W_init, b_init, apply, out_shape)


Conv1DTranspose = functools.partial(GeneralConvTranspose, ("NHC", "HIO", "NHC"))
ConvTranspose = functools.partial(GeneralConvTranspose, ("NHWC", "HWIO", "NHWC"))


def BatchNorm(  # noqa: N802 - JAX's name
    axis: int | Sequence[int] = (0, 1, 2),
    epsilon: float = 1e-5,
    center: bool = True,
    scale: bool = True,
    beta_init: Callable[..., Any] = zeros,
    gamma_init: Callable[..., Any] = ones,
) -> Layer:
    """Batch normalisation over `axis`, with a learned shift and scale (JAX's: the batch's
    own statistics, no running averages).

    Args:
        axis: The axes normalised over.
        epsilon: Added to the variance.
        center: Learn a shift `beta`.
        scale: Learn a scale `gamma`.
        beta_init: The shift's initializer.
        gamma_init: The scale's initializer.

    Returns:
        `(init_fun, apply_fun)`.
    """
    axes = (axis,) if isinstance(axis, int) else tuple(axis)

    def init_fun(rng: Any, input_shape: Sequence[int]) -> Any:
        shape = tuple(d for i, d in enumerate(input_shape) if i not in axes)
        k1, k2 = random.split(rng)
        beta = beta_init(k1, shape) if center else ()
        gamma = gamma_init(k2, shape) if scale else ()
        return input_shape, (beta, gamma)

    def apply_fun(params: Any, x: Any, **kwargs: Any) -> Any:
        beta, gamma = params
        ed = tuple(None if i in axes else slice(None) for i in range(fnp.ndim(x)))
        z = standardize(x, axes, epsilon=epsilon)
        if center and scale:
            return gamma[ed] * z + beta[ed]
        if center:
            return z + beta[ed]
        if scale:
            return gamma[ed] * z
        return z

    return init_fun, apply_fun


def elementwise(fun: Callable[..., Any], **fun_kwargs: Any) -> Layer:
    """A layer applying `fun` to its inputs, with no parameters.

    Args:
        fun: The function.
        **fun_kwargs: Keyword arguments for `fun`.

    Returns:
        `(init_fun, apply_fun)`.
    """

    def init_fun(rng: Any, input_shape: Any) -> Any:
        return input_shape, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return fun(inputs, **fun_kwargs)

    return init_fun, apply_fun


Tanh = elementwise(fnp.tanh)
Relu = elementwise(relu)
Exp = elementwise(fnp.exp)
LogSoftmax = elementwise(log_softmax, axis=-1)
Softmax = elementwise(softmax, axis=-1)
Softplus = elementwise(softplus)
Sigmoid = elementwise(sigmoid)
Elu = elementwise(elu)
LeakyRelu = elementwise(leaky_relu)
Selu = elementwise(selu)
Gelu = elementwise(gelu)


def _pooling(reducer: Callable[..., Any], init_val: float, average: bool, name: str) -> Callable[..., Layer]:
    def layer(
        window_shape: Sequence[int],
        strides: Sequence[int] | None = None,
        padding: Any = "VALID",
        spec: str | None = None,
    ) -> Layer:
        spatial_window = tuple(window_shape)
        spatial_strides = tuple(strides or (1,) * len(spatial_window))
        window, steps = spatial_window, spatial_strides
        non_spatial = (0, len(window) + 1) if spec is None else (spec.index("N"), spec.index("C"))
        for i in sorted(non_spatial):
            window = (*window[:i], 1, *window[i:])
            steps = (*steps[:i], 1, *steps[i:])

        def init_fun(rng: Any, input_shape: Sequence[int]) -> Any:
            pads = lax.padtype_to_pads(input_shape, window, steps, padding)
            return lax.reduce_window_shape_tuple(input_shape, window, steps, pads), ()

        def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
            out = lax.reduce_window(inputs, init_val, reducer, window, steps, padding)
            if not average:
                return out
            axes = (0, inputs.ndim - 1) if spec is None else (spec.index("N"), spec.index("C"))
            spatial = tuple(s for i, s in enumerate(inputs.shape) if i not in axes)
            counts = lax.reduce_window(fnp.ones(spatial, inputs.dtype), 0.0, fnp.add, spatial_window,
                                       spatial_strides, padding)  # fmt: skip
            for i in sorted(axes):
                counts = fnp.expand_dims(counts, i)
            return out / counts

        return init_fun, apply_fun

    layer.__name__ = layer.__qualname__ = name
    layer.__doc__ = f"""A {name[:-4].lower()}-pooling layer over spatial windows.

    Args:
        window_shape: The window's spatial shape.
        strides: The spatial strides (1 by default).
        padding: `'VALID'`, `'SAME'` or (low, high) pairs.
        spec: The input's layout, e.g. `'NHWC'` (by default batch first, channels last).

    Returns:
        `(init_fun, apply_fun)`.
    """
    return layer


MaxPool = _pooling(fnp.maximum, -float("inf"), False, "MaxPool")
SumPool = _pooling(fnp.add, 0.0, False, "SumPool")
AvgPool = _pooling(fnp.add, 0.0, True, "AvgPool")


def _flatten() -> Layer:
    def init_fun(rng: Any, input_shape: Sequence[int]) -> Any:
        return (input_shape[0], math.prod(input_shape[1:])), ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return fnp.reshape(inputs, (inputs.shape[0], -1))

    return init_fun, apply_fun


Flatten = _flatten()
Identity = elementwise(lambda x: x)


def FanOut(num: int) -> Layer:  # noqa: N802 - JAX's name
    """A layer copying its input `num` times (into a list).

    Args:
        num: The number of copies.

    Returns:
        `(init_fun, apply_fun)`.
    """

    def init_fun(rng: Any, input_shape: Any) -> Any:
        return [input_shape] * num, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return [inputs] * num

    return init_fun, apply_fun


def _fan_in_sum() -> Layer:
    def init_fun(rng: Any, input_shape: Any) -> Any:
        return input_shape[0], ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return sum(inputs[1:], inputs[0])

    return init_fun, apply_fun


FanInSum = _fan_in_sum()


def FanInConcat(axis: int = -1) -> Layer:  # noqa: N802 - JAX's name
    """A layer concatenating its list of inputs along `axis`.

    Args:
        axis: The axis.

    Returns:
        `(init_fun, apply_fun)`.
    """

    def init_fun(rng: Any, input_shape: Any) -> Any:
        ax = axis % len(input_shape[0])
        size = sum(shape[ax] for shape in input_shape)
        return (*input_shape[0][:ax], size, *input_shape[0][ax + 1 :]), ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return fnp.concatenate(inputs, axis)

    return init_fun, apply_fun


def Dropout(rate: float, mode: str = "train") -> Layer:  # noqa: N802 - JAX's name
    """Dropout, as JAX's stax: in `"train"` mode each input is kept with probability
    `rate` and scaled by `1 / rate`; in any other mode the layer is the identity.

    Args:
        rate: The probability of keeping an input.
        mode: `"train"` or anything else (`"test"`).

    Returns:
        `(init_fun, apply_fun)`; `apply_fun` needs `rng=` a key in `"train"` mode.
    """

    def init_fun(rng: Any, input_shape: Any) -> Any:
        return input_shape, ()

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        rng = kwargs.get("rng")
        if rng is None:
            raise ValueError(
                "stax.Dropout needs a key: call apply_fun(params, inputs, rng=key), with key from "
                "fad.random.PRNGKey or split."
            )
        if mode == "train":
            keep = random.bernoulli(rng, rate, inputs.shape)
            return fnp.where(keep, inputs / rate, 0)
        return inputs

    return init_fun, apply_fun


def serial(*layers: Layer) -> Layer:
    """Layers one after the other.

    Args:
        *layers: `(init_fun, apply_fun)` pairs.

    Returns:
        `(init_fun, apply_fun)`; the parameters are a list, one entry per layer, and a key
        passed as `rng=` is split among the layers.
    """
    n = len(layers)
    init_funs, apply_funs = zip(*layers, strict=True) if layers else ((), ())

    def init_fun(rng: Any, input_shape: Any) -> Any:
        params = []
        for init in init_funs:
            rng, layer_rng = random.split(rng)
            input_shape, p = init(layer_rng, input_shape)
            params.append(p)
        return input_shape, params

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        rng = kwargs.pop("rng", None)
        rngs = random.split(rng, n) if rng is not None else (None,) * n
        for fun, p, r in zip(apply_funs, params, rngs, strict=True):
            inputs = fun(p, inputs, rng=r, **kwargs)
        return inputs

    return init_fun, apply_fun


def parallel(*layers: Layer) -> Layer:
    """Layers side by side: the i-th takes the i-th of a list of inputs.

    Args:
        *layers: `(init_fun, apply_fun)` pairs.

    Returns:
        `(init_fun, apply_fun)`, taking and returning lists.
    """
    n = len(layers)
    init_funs, apply_funs = zip(*layers, strict=True) if layers else ((), ())

    def init_fun(rng: Any, input_shape: Any) -> Any:
        rngs = random.split(rng, n)
        results = [init(r, s) for init, r, s in zip(init_funs, rngs, input_shape, strict=True)]
        return tuple(s for s, _ in results), tuple(p for _, p in results)

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        rng = kwargs.pop("rng", None)
        rngs = random.split(rng, n) if rng is not None else (None,) * n
        return [f(p, x, rng=r, **kwargs) for f, p, x, r in zip(apply_funs, params, inputs, rngs, strict=True)]

    return init_fun, apply_fun


def shape_dependent(make_layer: Callable[[Any], Layer]) -> Layer:
    """A layer built from the input's shape, once it is known.

    Args:
        make_layer: `input_shape -> (init_fun, apply_fun)`.

    Returns:
        `(init_fun, apply_fun)`.
    """

    def init_fun(rng: Any, input_shape: Any) -> Any:
        return make_layer(input_shape)[0](rng, input_shape)

    def apply_fun(params: Any, inputs: Any, **kwargs: Any) -> Any:
        return make_layer(inputs.shape)[1](params, inputs, **kwargs)

    return init_fun, apply_fun
