"""Convolutions and windowed reductions with JAX's `lax` signatures: `conv_general_dilated`
(and `conv`, `conv_with_general_padding`, `conv_transpose`), `reduce_window`, and the
shape and padding helpers that JAX's `stax` and user code call.

Each is written with `fad.numpy` and `fad.lax.pad`, so every transform takes it: a
convolution gathers the input's windows (one strided slice per kernel position) and
contracts them with the kernel in one `einsum`; its derivatives are the transposes of
those operations. Values agree with XLA's to rounding (the sums run in another order).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NamedTuple

import numpy as np

import fad.numpy as fnp
from fad._lax_ops import _array, _doc, _ints, pad

__all__ = [
    "Precision",
    "ConvDimensionNumbers",
    "conv_dimension_numbers",
    "conv_general_permutations",
    "conv_general_shape_tuple",
    "conv_transpose_shape_tuple",
    "padtype_to_pads",
    "conv_general_dilated",
    "conv",
    "conv_with_general_padding",
    "conv_transpose",
    "reduce_window",
    "reduce_window_shape_tuple",
]


class Precision:
    """JAX's precision levels for products and convolutions: `Precision.DEFAULT`,
    `Precision.HIGH` and `Precision.HIGHEST`. fad accepts them wherever JAX does
    (`precision=`) and computes in the arrays' own precision (NumPy has no
    reduced-precision matrix units)."""

    __slots__ = ("name",)
    name: str
    DEFAULT: ClassVar[Precision]
    HIGH: ClassVar[Precision]
    HIGHEST: ClassVar[Precision]

    def __repr__(self) -> str:
        return f"Precision.{self.name}"


for _name in ("DEFAULT", "HIGH", "HIGHEST"):
    _level = object.__new__(Precision)
    _level.name = _name
    setattr(Precision, _name, _level)
del _name, _level


class ConvDimensionNumbers(NamedTuple):
    """Where a convolution's dimensions are, as JAX's.

    Attributes:
        lhs_spec: The input's axes of (batch, feature, spatial...).
        rhs_spec: The kernel's axes of (out feature, in feature, spatial...).
        out_spec: The output's axes of (batch, feature, spatial...).
    """

    lhs_spec: tuple[int, ...]
    rhs_spec: tuple[int, ...]
    out_spec: tuple[int, ...]


def conv_general_permutations(dimension_numbers: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    pairs = (("N", "C"), ("O", "I"), ("N", "C"))
    for i, (a, b) in enumerate(pairs):
        spec = dimension_numbers[i]
        if spec.count(a) != 1 or spec.count(b) != 1 or len(set(spec)) != len(spec):
            raise TypeError(
                f"convolution dimension_numbers[{i}] must hold '{a}' and '{b}' once each and no "
                f"repeated letter, got {spec!r}."
            )
    if not set(lhs_spec) - {"N", "C"} == set(rhs_spec) - {"O", "I"} == set(out_spec) - {"N", "C"}:
        raise TypeError(
            "convolution dimension_numbers must name the same spatial letters, "
            f"got {tuple(dimension_numbers)}."
        )

    def perm(spec: str, pair: tuple[str, str]) -> tuple[int, ...]:
        spatial = [i for i, c in enumerate(spec) if c not in pair]
        if spec is not rhs_spec:  # (the spatial dimensions in the kernel's order)
            spatial.sort(key=lambda i: rhs_spec.index(spec[i]))
        return (spec.index(pair[0]), spec.index(pair[1]), *spatial)

    return tuple(perm(s, p) for s, p in zip(dimension_numbers, pairs, strict=True))


def conv_dimension_numbers(lhs_shape: Sequence[int], rhs_shape: Sequence[int], dimension_numbers: Any) -> Any:
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(lhs_shape) != len(rhs_shape):
        raise TypeError(
            f"convolution needs lhs and rhs of the same rank, got {len(lhs_shape)} and {len(rhs_shape)}."
        )
    if dimension_numbers is None:
        iota = tuple(range(len(lhs_shape)))
        return ConvDimensionNumbers(iota, iota, iota)
    if not isinstance(dimension_numbers, (list, tuple)) or len(dimension_numbers) != 3:
        raise TypeError(
            "convolution dimension_numbers must be None, a ConvDimensionNumbers or three strings "
            f"such as ('NHWC', 'HWIO', 'NHWC'); got {dimension_numbers!r}."
        )
    if not all(isinstance(s, str) and len(s) == len(lhs_shape) for s in dimension_numbers):
        raise TypeError(
            f"convolution dimension_numbers must be strings of length {len(lhs_shape)} (the rank), "
            f"got {tuple(dimension_numbers)!r}."
        )
    return ConvDimensionNumbers(*conv_general_permutations(dimension_numbers))


def padtype_to_pads(
    in_shape: Sequence[int], window_shape: Sequence[int], window_strides: Sequence[int], padding: Any
) -> list[tuple[int, int]]:
    if isinstance(padding, str):
        kind = padding.upper()
        if kind == "VALID":
            return [(0, 0)] * len(in_shape)
        if kind in ("SAME", "SAME_LOWER"):
            pads = []
            for n, w, s in zip(in_shape, window_shape, window_strides, strict=True):
                total = max((-(-n // s) - 1) * s + w - n, 0)
                lo = total // 2 if kind == "SAME" else total - total // 2
                pads.append((lo, total - lo))
            return pads
    raise TypeError(f"padding must be 'VALID', 'SAME', 'SAME_LOWER' or (low, high) pairs, got {padding!r}.")


def _pairs(padding: Any, n: int, what: str) -> list[tuple[int, int]]:
    try:
        pairs = [tuple(_ints(p, what)) for p in padding]
    except TypeError:
        pairs = []
    if len(pairs) != n or any(len(p) != 2 for p in pairs):
        raise TypeError(f"{what}: padding must be a string or {n} (low, high) pairs, got {padding!r}.")
    return [(p[0], p[1]) for p in pairs]


def _per_dim(values: Any, n: int, what: str) -> tuple[int, ...]:
    out = (1,) * n if values is None else _ints(values, what)
    if len(out) != n or any(v < 1 for v in out):
        raise ValueError(f"{what} needs {n} positive integers (one per spatial dimension), got {values!r}.")
    return out


def _dilate(n: int, d: int) -> int:
    return 0 if n == 0 else (n - 1) * d + 1


def _windows(
    x: Any, lead: int, window: Sequence[int], dilation: Sequence[int], strides: Sequence[int]
) -> Any:
    """The strided slices of ``x`` (its first ``lead`` axes kept), one per window
    position, and the output's spatial shape."""
    spatial = x.shape[lead:]
    out = [
        max((p - _dilate(w, d)) // s + 1, 0)
        for p, w, d, s in zip(spatial, window, dilation, strides, strict=True)
    ]
    slices = []
    for pos in np.ndindex(*window):
        index = tuple(
            slice(k * d, k * d + (o - 1) * s + 1, s) if o else slice(0, 0)
            for k, d, o, s in zip(pos, dilation, out, strides, strict=True)
        )
        slices.append(x[(slice(None),) * lead + index])
    return slices, tuple(out)


def conv_general_dilated(
    lhs: Any,
    rhs: Any,
    window_strides: Sequence[int],
    padding: Any,
    lhs_dilation: Sequence[int] | None = None,
    rhs_dilation: Sequence[int] | None = None,
    dimension_numbers: Any = None,
    feature_group_count: int = 1,
    batch_group_count: int = 1,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Any:
    x, w = _array(lhs), _array(rhs)
    if x.ndim < 2 or x.ndim != w.ndim:
        raise TypeError(
            f"lax.conv_general_dilated: lhs and rhs need the same rank >= 2, got {x.shape} and {w.shape}."
        )
    dn = conv_dimension_numbers(x.shape, w.shape, dimension_numbers)
    nsp = x.ndim - 2
    x, w = fnp.transpose(x, dn.lhs_spec), fnp.transpose(w, dn.rhs_spec)  # (N, C, ...), (O, I, ...)
    strides = _per_dim(window_strides, nsp, "lax.conv_general_dilated: window_strides")
    ldil = _per_dim(lhs_dilation, nsp, "lax.conv_general_dilated: lhs_dilation")
    rdil = _per_dim(rhs_dilation, nsp, "lax.conv_general_dilated: rhs_dilation")
    n, c = x.shape[:2]
    o, i = w.shape[:2]
    g, b = int(feature_group_count), int(batch_group_count)
    if g < 1 or b < 1 or (g > 1 and b > 1):
        raise ValueError(
            "lax.conv_general_dilated: feature_group_count and batch_group_count are >= 1, one of them 1."
        )
    if c != i * g or o % g or n % b or o % b:
        raise ValueError(
            f"lax.conv_general_dilated: {c} input features, a kernel of {i} input and {o} output "
            f"features, feature_group_count={g}, batch_group_count={b} do not fit: input features "
            "= kernel input features x feature_group_count, and the groups must divide the output "
            "features (and the batch)."
        )
    if isinstance(padding, str):
        if any(d > 1 for d in ldil):
            raise ValueError(
                "lax.conv_general_dilated: a padding name with lhs_dilation (a transposed "
                "convolution) is ambiguous; give (low, high) pairs, or call lax.conv_transpose."
            )
        dil_k = [_dilate(k, d) for k, d in zip(w.shape[2:], rdil, strict=True)]
        pads = padtype_to_pads(x.shape[2:], dil_k, strides, padding)
    else:
        pads = _pairs(padding, nsp, "lax.conv_general_dilated")
    zero = np.zeros((), x.dtype)
    x = pad(
        x, zero, [(0, 0, 0), (0, 0, 0)] + [(lo, hi, d - 1) for (lo, hi), d in zip(pads, ldil, strict=True)]
    )
    slices, out = _windows(x, 2, w.shape[2:], rdil, strides)
    kp, npix = math.prod(w.shape[2:]), math.prod(out)
    patches = fnp.stack(slices, axis=2)  # (N, C, K, *out)
    # one matrix product per group: (features x K) of the kernel against the same of the
    # windows, for every output position
    if b > 1:  # batch groups: group j of the batch meets group j of the output features
        patches = fnp.reshape(patches, (b, n // b, c * kp, npix))
        kern = fnp.reshape(w, (b, 1, o // b, i * kp))
        res = fnp.matmul(kern, patches)  # (B, N/B, O/B, P)
        res = fnp.reshape(fnp.moveaxis(res, 0, 1), (n // b, o, *out))
    else:
        patches = fnp.reshape(patches, (n, g, (c // g) * kp, npix))
        kern = fnp.reshape(w, (g, o // g, i * kp))
        res = fnp.reshape(fnp.matmul(kern, patches), (n, o, *out))  # (N, G, O/G, P)
    res = fnp.transpose(res, tuple(np.argsort(dn.out_spec)))
    return res if preferred_element_type is None else res.astype(preferred_element_type)


def conv(lhs: Any, rhs: Any, window_strides: Sequence[int], padding: Any, precision: Any = None,
         preferred_element_type: Any = None) -> Any:  # fmt: skip
    return conv_general_dilated(
        lhs, rhs, window_strides, padding, precision=precision, preferred_element_type=preferred_element_type
    )


def conv_with_general_padding(
    lhs: Any,
    rhs: Any,
    window_strides: Sequence[int],
    padding: Any,
    lhs_dilation: Sequence[int] | None,
    rhs_dilation: Sequence[int] | None,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Any:
    return conv_general_dilated(
        lhs,
        rhs,
        window_strides,
        padding,
        lhs_dilation,
        rhs_dilation,
        precision=precision,
        preferred_element_type=preferred_element_type,
    )


def _transpose_pads(k: int, s: int, padding: Any) -> tuple[int, int]:
    if padding == "SAME":
        total = k + s - 2
        lo = k - 1 if s > k - 1 else -(-total // 2)
    elif padding == "VALID":
        total = k + s - 2 + max(k - s, 0)
        lo = k - 1
    elif isinstance(padding, tuple):
        lo, hi = (k - p - 1 for p in padding)
        total = lo + hi
    else:
        raise TypeError(
            f"lax.conv_transpose: padding must be 'SAME', 'VALID' or (low, high) pairs, got {padding!r}."
        )
    return lo, total - lo


_TRANSPOSE_DEFAULTS = {
    2: ("NC", "IO", "NC"),
    3: ("NHC", "HIO", "NHC"),
    4: ("NHWC", "HWIO", "NHWC"),
    5: ("NHWDC", "HWDIO", "NHWDC"),
}


def conv_transpose(
    lhs: Any,
    rhs: Any,
    strides: Sequence[int],
    padding: Any,
    rhs_dilation: Sequence[int] | None = None,
    dimension_numbers: Any = None,
    transpose_kernel: bool = False,
    precision: Any = None,
    preferred_element_type: Any = None,
    use_consistent_padding: bool = False,
) -> Any:
    x, w = _array(lhs), _array(rhs)
    if x.ndim != w.ndim or x.ndim not in _TRANSPOSE_DEFAULTS:
        raise TypeError(
            f"lax.conv_transpose: lhs and rhs need the same rank, 2 to 5; got {x.shape} and {w.shape}."
        )
    dn = conv_dimension_numbers(x.shape, w.shape, dimension_numbers or _TRANSPOSE_DEFAULTS[x.ndim])
    nsp = x.ndim - 2
    strides = _per_dim(strides, nsp, "lax.conv_transpose: strides")
    rdil = _per_dim(rhs_dilation, nsp, "lax.conv_transpose: rhs_dilation")
    k_sizes = [_dilate(w.shape[a], d) for a, d in zip(dn.rhs_spec[2:], rdil, strict=True)]
    if use_consistent_padding or padding in ("SAME", "VALID"):
        each = [padding] * nsp if isinstance(padding, str) else [tuple(p) for p in padding]
        pads: Any = [_transpose_pads(k, s, p) for k, s, p in zip(k_sizes, strides, each, strict=True)]
    else:
        pads = padding
    if transpose_kernel:  # flip the spatial axes and swap the feature axes
        w = fnp.flip(w, tuple(dn.rhs_spec[2:]))
        w = fnp.swapaxes(w, dn.rhs_spec[0], dn.rhs_spec[1])
    return conv_general_dilated(
        x,
        w,
        (1,) * nsp,
        pads,
        strides,
        rdil,
        dn,
        precision=precision,
        preferred_element_type=preferred_element_type,
    )


def conv_general_shape_tuple(
    lhs_shape: Sequence[int],
    rhs_shape: Sequence[int],
    window_strides: Sequence[int],
    padding: Any,
    dimension_numbers: Any,
) -> tuple[int, ...]:
    dn = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    lhs = [lhs_shape[a] for a in dn.lhs_spec]
    rhs = [rhs_shape[a] for a in dn.rhs_spec]
    nsp = len(lhs) - 2
    strides = _per_dim(window_strides, nsp, "lax.conv_general_shape_tuple: window_strides")
    pads = padtype_to_pads(lhs[2:], rhs[2:], strides, padding) if isinstance(padding, str) else padding
    out = [
        max((n + lo + hi - k) // s + 1, 0)
        for n, k, s, (lo, hi) in zip(lhs[2:], rhs[2:], strides, pads, strict=True)
    ]
    canonical = (lhs[0], rhs[0], *out)
    return tuple(canonical[a] for a in np.argsort(dn.out_spec))


def conv_transpose_shape_tuple(
    lhs_shape: Sequence[int],
    rhs_shape: Sequence[int],
    window_strides: Sequence[int],
    padding: Any,
    dimension_numbers: Any,
) -> tuple[int, ...]:
    dn = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    lhs = [lhs_shape[a] for a in dn.lhs_spec]
    rhs = [rhs_shape[a] for a in dn.rhs_spec]
    if isinstance(padding, str):
        padding = [_transpose_pads(k, s, padding) for k, s in zip(rhs[2:], window_strides, strict=True)]
    out = [
        (n - 1) * s - k + 2 + lo + hi
        for n, k, s, (lo, hi) in zip(lhs[2:], rhs[2:], window_strides, padding, strict=True)
    ]
    canonical = (lhs[0], rhs[0], *out)
    return tuple(canonical[a] for a in np.argsort(dn.out_spec))


def reduce_window_shape_tuple(
    operand_shape: Sequence[int],
    window_dimensions: Sequence[int],
    window_strides: Sequence[int],
    padding: Sequence[tuple[int, int]],
    base_dilation: Sequence[int] | None = None,
    window_dilation: Sequence[int] | None = None,
) -> tuple[int, ...]:
    nd = len(operand_shape)
    bd = _per_dim(base_dilation, nd, "base_dilation")
    wd = _per_dim(window_dilation, nd, "window_dilation")
    return tuple(
        max((_dilate(n, b) + lo + hi - _dilate(w, d)) // s + 1, 0)
        for n, b, (lo, hi), w, d, s in zip(
            operand_shape, bd, padding, window_dimensions, wd, window_strides, strict=True
        )
    )


def reduce_window(
    operand: Any,
    init_value: Any,
    computation: Callable[[Any, Any], Any],
    window_dimensions: Sequence[int],
    window_strides: Sequence[int] | None = None,
    padding: Any = "VALID",
    base_dilation: Sequence[int] | None = None,
    window_dilation: Sequence[int] | None = None,
) -> Any:
    if isinstance(operand, (list, tuple, dict)):
        raise TypeError(
            "lax.reduce_window in fad takes one array (not a tree of arrays); reduce each array on its own."
        )
    x = _array(operand)
    nd = x.ndim
    window = _ints(window_dimensions, "lax.reduce_window: window_dimensions")
    if len(window) != nd:
        raise TypeError(
            f"lax.reduce_window: window_dimensions needs {nd} entries (the rank), got {window!r}."
        )
    strides = _per_dim(window_strides, nd, "lax.reduce_window: window_strides")
    bd = _per_dim(base_dilation, nd, "lax.reduce_window: base_dilation")
    wd = _per_dim(window_dilation, nd, "lax.reduce_window: window_dilation")
    if isinstance(padding, str):
        dil_in = [_dilate(n, d) for n, d in zip(x.shape, bd, strict=True)]
        pads = padtype_to_pads(
            dil_in, [_dilate(w, d) for w, d in zip(window, wd, strict=True)], strides, padding
        )
    else:
        pads = _pairs(padding, nd, "lax.reduce_window")
    init = _array(init_value)
    if init.ndim:
        raise TypeError(f"lax.reduce_window: init_value must be a scalar, got shape {init.shape}.")
    init = init.astype(x.dtype)
    x = pad(x, init, [(lo, hi, d - 1) for (lo, hi), d in zip(pads, bd, strict=True)])
    slices, out = _windows(x, 0, window, wd, strides)
    acc = fnp.broadcast_to(init, out)
    for s in slices:  # each window's reduction starts from init_value, as XLA's
        acc = computation(acc, s)
    return acc


_doc(
    conv_general_dilated,
    "A general N-d convolution (cross-correlation, as XLA's), with strides, padding, input "
    "(transposed-convolution) and kernel (atrous) dilation, layouts, and feature or batch groups "
    "(JAX's `lax.conv_general_dilated`).",
    "The output, laid out by `dimension_numbers`' third entry.",
    """>>> import numpy as np, fad.lax as lax
    >>> x = np.arange(5.0).reshape(1, 1, 5)
    >>> lax.conv_general_dilated(x, np.array([[[1.0, 1.0]]]), (1,), "VALID")
    array([[[1., 3., 5., 7.]]])""",
    lhs="The input, shape (N, C, spatial...) by default.",
    rhs="The kernel, shape (O, I, spatial...) by default.",
    window_strides="The strides, one per spatial dimension.",
    padding="`'VALID'`, `'SAME'`, `'SAME_LOWER'` or one (low, high) pair per spatial dimension.",
    lhs_dilation="Input dilation per spatial dimension (a transposed convolution), or None.",
    rhs_dilation="Kernel dilation per spatial dimension (an atrous convolution), or None.",
    dimension_numbers="None, a `ConvDimensionNumbers`, or three strings such as `('NHWC', 'HWIO', 'NHWC')`.",
    feature_group_count="Feature groups (depthwise convolutions: the input's features).",
    batch_group_count="Batch groups.",
    precision="Ignored (NumPy computes in the arrays' precision).",
    preferred_element_type="The result's dtype, or None.",
)
_doc(
    conv,
    "A convolution in the default layout (N, C, spatial...) with kernel (O, I, spatial...) "
    "(JAX's `lax.conv`).",
    "The output, shape (N, O, spatial...).",
    """>>> import numpy as np, fad.lax as lax
    >>> lax.conv(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), (1, 1), "VALID")[0, 0]
    array([[4., 4.],
           [4., 4.]])""",
    lhs="The input.",
    rhs="The kernel.",
    window_strides="The strides.",
    padding="`'VALID'`, `'SAME'` or (low, high) pairs.",
    precision="Ignored.",
    preferred_element_type="The result's dtype, or None.",
)
_doc(
    conv_with_general_padding,
    "A convolution in the default layout with explicit padding and dilations (JAX's "
    "`lax.conv_with_general_padding`).",
    "The output, shape (N, O, spatial...).",
    """>>> import numpy as np, fad.lax as lax
    >>> lax.conv_with_general_padding(np.ones((1, 1, 3)), np.ones((1, 1, 2)), (1,), [(1, 1)], None, None)
    array([[[1., 2., 2., 1.]]])""",
    lhs="The input.",
    rhs="The kernel.",
    window_strides="The strides.",
    padding="`'VALID'`, `'SAME'` or (low, high) pairs.",
    lhs_dilation="Input dilation, or None.",
    rhs_dilation="Kernel dilation, or None.",
    precision="Ignored.",
    preferred_element_type="The result's dtype, or None.",
)
_doc(
    conv_transpose,
    "A transposed (fractionally strided) convolution, as JAX's `lax.conv_transpose`: the input "
    "dilated by `strides`, then convolved.",
    "The output.",
    """>>> import numpy as np, fad.lax as lax
    >>> lax.conv_transpose(np.ones((1, 2, 1)), np.ones((2, 1, 1)), (2,), "VALID")[0, :, 0]
    array([1., 1., 1., 1.])""",
    lhs="The input (N, spatial..., C by default).",
    rhs="The kernel (spatial..., I, O by default).",
    strides="The transposed convolution's strides (the input's dilation).",
    padding="`'SAME'`, `'VALID'` (the forward convolution's) or (low, high) pairs.",
    rhs_dilation="Kernel dilation, or None.",
    dimension_numbers="Layouts as in `conv_general_dilated` (`('NHWC', 'HWIO', 'NHWC')` for 2-d by default).",
    transpose_kernel="Flip the kernel's spatial axes and swap its feature axes (a convolution's gradient).",
    precision="Ignored.",
    preferred_element_type="The result's dtype, or None.",
    use_consistent_padding="Take (low, high) pairs as the forward convolution's padding, as PyTorch does.",
)
_doc(
    reduce_window,
    "A reduction over windows (pooling): `computation` folds the entries of each window, starting "
    "from `init_value`, which also fills the padding (JAX's `lax.reduce_window`).",
    "The reduced array.",
    """>>> import numpy as np, fad.lax as lax
    >>> lax.reduce_window(np.arange(6.0), -np.inf, lax.max, (2,), (2,))
    array([1., 3., 5.])""",
    operand="An array.",
    init_value="The reduction's starting value (a scalar), and the padding's value.",
    computation="A binary elementwise function such as `lax.add`, `lax.max` or `lax.min`.",
    window_dimensions="The window's size per axis.",
    window_strides="The strides per axis (1 by default).",
    padding="`'VALID'`, `'SAME'`, `'SAME_LOWER'` or (low, high) pairs.",
    base_dilation="Dilation of the operand per axis, or None.",
    window_dilation="Dilation of the window per axis, or None.",
)
_doc(
    conv_dimension_numbers,
    "Convolution dimension numbers in the canonical form: the positions of each dimension.",
    "A `ConvDimensionNumbers`.",
    """>>> import fad.lax as lax
    >>> lax.conv_dimension_numbers((1, 5, 5, 3), (2, 2, 3, 8), ("NHWC", "HWIO", "NHWC"))
    ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))""",
    lhs_shape="The input's shape.",
    rhs_shape="The kernel's shape.",
    dimension_numbers="None, a `ConvDimensionNumbers` or three layout strings.",
)
_doc(
    conv_general_permutations,
    "The permutations that put three layout strings in the canonical order.",
    "`(lhs_perm, rhs_perm, out_perm)`.",
    """>>> import fad.lax as lax
    >>> lax.conv_general_permutations(("NCH", "OIH", "NHC"))
    ((0, 1, 2), (0, 1, 2), (0, 2, 1))""",
    dimension_numbers="Three strings such as `('NHWC', 'HWIO', 'NHWC')`.",
)
_doc(
    padtype_to_pads,
    "Explicit (low, high) padding for `'VALID'`, `'SAME'` or `'SAME_LOWER'`.",
    "A list of (low, high) pairs.",
    """>>> import fad.lax as lax
    >>> lax.padtype_to_pads((5,), (2,), (2,), "SAME")
    [(0, 1)]""",
    in_shape="The input's spatial shape.",
    window_shape="The window's shape.",
    window_strides="The strides.",
    padding="The padding's name.",
)
_doc(
    conv_general_shape_tuple,
    "The shape of `conv_general_dilated`'s output (without dilations).",
    "The output shape.",
    """>>> import fad.lax as lax
    >>> lax.conv_general_shape_tuple((1, 5, 5, 3), (2, 2, 3, 8), (1, 1), "VALID", ("NHWC", "HWIO", "NHWC"))
    (1, 4, 4, 8)""",
    lhs_shape="The input's shape.",
    rhs_shape="The kernel's shape.",
    window_strides="The strides.",
    padding="A padding name or (low, high) pairs.",
    dimension_numbers="The layouts.",
)
_doc(
    conv_transpose_shape_tuple,
    "The shape of `conv_transpose`'s output.",
    "The output shape.",
    """>>> import fad.lax as lax
    >>> lax.conv_transpose_shape_tuple((1, 4, 4, 3), (2, 2, 3, 8), (2, 2), "VALID", ("NHWC", "HWIO", "NHWC"))
    (1, 8, 8, 8)""",
    lhs_shape="The input's shape.",
    rhs_shape="The kernel's shape.",
    window_strides="The strides.",
    padding="A padding name or (low, high) pairs.",
    dimension_numbers="The layouts.",
)
_doc(
    reduce_window_shape_tuple,
    "The shape of `reduce_window`'s output.",
    "The output shape.",
    """>>> import fad.lax as lax
    >>> lax.reduce_window_shape_tuple((6,), (2,), (2,), [(0, 0)])
    (3,)""",
    operand_shape="The operand's shape.",
    window_dimensions="The window's size per axis.",
    window_strides="The strides.",
    padding="(low, high) pairs.",
    base_dilation="Dilation of the operand, or None.",
    window_dilation="Dilation of the window, or None.",
)
