# mypy: allow-redefinition-new, local-partial-types
"""fad.numpy.fft: NumPy's discrete Fourier transforms, differentiable and batchable.

The functions take NumPy's arguments with NumPy's meaning: `n`/`axis` (1-d), `s`/
`axes` (n-d, with NumPy 2's deprecations of `s` without `axes` and of `None` in
`s`, and a repeated axis transformed once per mention), `norm="backward" | "ortho" |
"forward"`, and return NumPy's values and dtypes (`float32` in, `complex64` out).
`out=` is refused: fad's arrays are immutable.

* A length `n` (or `s[i]`) shorter than the axis truncates the input, a longer one pads
  it with zeros, exactly as NumPy does; the derivative is that of the slice or the pad.
* Derivatives follow JAX's convention for complex values: a cotangent pairs with a
  tangent through `Re(sum(ct * t))`, so the vjp of a transform is its transpose (no
  conjugation), and the gradient of a real function of a complex array is the conjugate
  of its steepest-ascent direction.
* `fftshift`/`ifftshift` are rolls; `fftfreq`/`rfftfreq` are NumPy's values
  (differentiable in a traced `d`).
* NumPy's own `numpy.fft.fft(x)` on a traced `x` calls the function here.

>>> import fad, fad.numpy as fnp
>>> power = lambda x: fnp.sum(fnp.abs(fnp.fft.rfft(x)) ** 2)
>>> fad.grad(power)(fnp.array([1.0, 2.0, 3.0, 4.0]))
array([12., 20., 20., 28.])
"""

from __future__ import annotations

import operator
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._core import Tracer
from fad._prims import fft as _p
from fad.numpy._rearranging import roll
from fad.numpy._util import coerce, normalize_axis, shape

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Literal

    from fad.numpy._util import FFT
    from fad.typing import Array, ArrayLike

__all__ = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
    "rfftn", "irfftn", "hfft", "ihfft", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]  # fmt: skip

_NORMS = ("backward", "ortho", "forward")

# ------------------------------------------------------------------- argument handling


def _check(a: Any, norm: str | None, out: None, fname: str, real: Any = False) -> Any:
    """``a`` as an array of a dtype the transforms take (NumPy's promotions: integers to
    float64, float16 to float32), and ``norm`` spelled out."""
    if out is not None:
        raise TypeError(
            f"fad.numpy.fft.{fname}: out= is not supported (fad's arrays are immutable). "
            "Use the returned array instead."
        )
    if norm is None:
        norm = "backward"
    if norm not in _NORMS:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".')
    x = coerce(a)
    if not isinstance(x, Tracer):
        x = np.asarray(x)
    kind, size = x.dtype.kind, x.dtype.itemsize
    if kind in "biu":
        x = st.astype(x, np.float64)
    elif kind == "f" and size < 4:
        x = st.astype(x, np.float32)
    elif kind not in "fc":
        raise TypeError(f"fad.numpy.fft.{fname}: expected a numeric array, got dtype {x.dtype}.")
    if real and x.dtype.kind == "c":
        raise TypeError(
            f"fad.numpy.fft.{fname} takes a real array, but this one is {x.dtype} (NumPy refuses "
            "it too). Use fft for a complex signal, or pass the real part."
        )
    return x, norm


def _points(n: Any, default: Any) -> Any:
    """The transform length: ``n``, or ``default`` when it is None; at least 1."""
    n = default if n is None else operator.index(n)
    if n < 1:
        raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
    return n


def _resize(x: Any, axis: int, n: Any) -> Any:
    """``x`` truncated or padded with zeros at the end to ``n`` entries along ``axis``."""
    sh = tuple(shape(x))
    size = sh[axis]
    if n == size:
        return x
    idx = (slice(None),) * axis + (slice(0, min(n, size)),)
    if n < size:
        return st.getitem(x, idx)
    return st.index_add_zeros(x, idx=idx, shape=sh[:axis] + (n,) + sh[axis + 1 :])


def _cook(x: Any, s: Any, axes: Any, fname: str, invreal: bool = False) -> Any:
    """NumPy 2's ``s`` and ``axes`` of an n-d transform, with its deprecation warnings:
    ``(lengths, or None for an axis's default, axes made non-negative)``."""
    nd = len(shape(x))
    if s is None:
        axes = list(range(nd)) if axes is None else [operator.index(a) for a in axes]
        s = [shape(x)[normalize_axis(a, nd, fname)] for a in axes]
        if invreal and s:
            s[-1] = 2 * (s[-1] - 1)
    else:
        s = list(s)
        if axes is None:
            warnings.warn(
                "`axes` should not be `None` if `s` is not `None` (Deprecated in NumPy 2.0). In a "
                "future version of NumPy, this will raise an error and `s[i]` will correspond to the "
                "size along the transformed axis specified by `axes[i]`. To retain current behaviour, "
                "pass a sequence [0, ..., k-1] to `axes` for an array of dimension k.",
                DeprecationWarning,
                stacklevel=4,
            )
            axes = list(range(-len(s), 0))
        axes = [operator.index(a) for a in axes]
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if None in s:
        warnings.warn(
            "Passing an array containing `None` values to `s` is deprecated in NumPy 2.0 and will "
            "raise an error in a future version of NumPy. To use the default behaviour of the "
            "corresponding 1-D transform, pass the value matching the default for its `n` "
            "parameter. To use the default behaviour for every axis, the `s` argument can be omitted.",
            DeprecationWarning,
            stacklevel=4,
        )
    axes = [normalize_axis(a, nd, fname) for a in axes]
    s = [shape(x)[a] if n is not None and n == -1 else n for n, a in zip(s, axes, strict=True)]
    return s, axes


# ------------------------------------------------------------------- one-axis kernels
# on checked arrays, with a normalised axis: the n-d functions reuse them


def _c2c(x: Any, n: Any, ax: Any, norm: str | None, inverse: bool) -> Any:
    n = _points(n, shape(x)[ax])
    return _p.fft(_resize(x, ax, n), axes=(ax,), inverse=inverse, norm=norm)


def _r2c(x: Any, n: Any, ax: Any, norm: str | None, inverse: bool) -> Any:
    n = _points(n, shape(x)[ax])
    return _p.rfft(_resize(x, ax, n), axes=(ax,), inverse=inverse, norm=norm)


def _c2r(x: Any, n: Any, ax: Any, norm: str | None, inverse: bool) -> Any:
    n = _points(n, 2 * (shape(x)[ax] - 1))
    return _p.irfft(_resize(x, ax, n // 2 + 1), axes=(ax,), n=n, inverse=inverse, norm=norm)


def _as_half(y: Any, a: Any) -> Any:
    """NumPy's real output of a float16 input stays float16 (its complex outputs are complex64)."""
    return st.astype(y, np.float16) if getattr(a, "dtype", None) == np.float16 else y


def _one(kernel: Any, fname: str, real: bool = False, real_out: bool = False) -> FFT:
    def transform(
        a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
    ) -> Array:
        x, norm = _check(a, norm, out, fname, real)
        y = kernel(x, n, normalize_axis(axis, len(shape(x)), fname), norm)
        return _as_half(y, a) if real_out else y

    return transform


def _c2c_nd(a: Any, s: Any, axes: Any, norm: str | None, out: None, inverse: bool, fname: str) -> Any:
    x, norm = _check(a, norm, out, fname)
    s, axes = _cook(x, s, axes, fname)
    if len(set(axes)) < len(axes):  # NumPy transforms a repeated axis once per mention
        for n, ax in reversed(list(zip(s, axes, strict=True))):
            x = _c2c(x, n, ax, norm, inverse)
        return x
    if not axes:  # NumPy returns the input as it is
        return x
    for n, ax in zip(s, axes, strict=True):
        x = _resize(x, ax, _points(n, shape(x)[ax]))
    return _p.fft(x, axes=tuple(axes), inverse=inverse, norm=norm)


def _r2c_nd(a: Any, s: Any, axes: Any, norm: str | None, out: None, fname: str) -> Any:
    x, norm = _check(a, norm, out, fname, real=True)
    s, axes = _cook(x, s, axes, fname)
    if not axes:
        raise ValueError(f"fad.numpy.fft.{fname}: at least one axis is needed (axes=() was given).")
    if len(set(axes)) < len(axes):
        x = _r2c(x, s[-1], axes[-1], norm, False)
        for n, ax in reversed(list(zip(s[:-1], axes[:-1], strict=True))):
            x = _c2c(x, n, ax, norm, False)
        return x
    for n, ax in zip(s, axes, strict=True):
        x = _resize(x, ax, _points(n, shape(x)[ax]))
    return _p.rfft(x, axes=tuple(axes), inverse=False, norm=norm)


def _c2r_nd(a: Any, s: Any, axes: Any, norm: str | None, out: None, fname: str) -> Any:
    x, norm = _check(a, norm, out, fname)
    s, axes = _cook(x, s, axes, fname, invreal=True)
    if not axes:
        raise ValueError(f"fad.numpy.fft.{fname}: at least one axis is needed (axes=() was given).")
    if len(set(axes)) < len(axes):
        for n, ax in zip(s[:-1], axes[:-1], strict=True):
            x = _c2c(x, n, ax, norm, True)
        return _as_half(_c2r(x, s[-1], axes[-1], norm, True), a)
    for n, ax in zip(s[:-1], axes[:-1], strict=True):
        x = _resize(x, ax, _points(n, shape(x)[ax]))
    last = _points(s[-1], 2 * (shape(x)[axes[-1]] - 1))
    x = _resize(x, axes[-1], last // 2 + 1)
    return _as_half(_p.irfft(x, axes=tuple(axes), n=last, inverse=True, norm=norm), a)


# ----------------------------------------------------------------------- the functions


def fft(
    a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
) -> Array:
    """The one-dimensional discrete Fourier transform (NumPy's `numpy.fft.fft`).

    `n`: the length of the transform (the input is truncated or zero-padded along
    `axis`; default: its length); `norm`: "backward" (default), "ortho" or "forward".

    Args:
        a: Input array.
        n: Length of the transformed axis: the input is cropped or zero-padded to it (default: its length).
        axis: Axis to transform.
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex transform (complex64 for float32 or complex64 input, else complex128).

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.fft(fnp.array([1.0, 2.0, 3.0, 4.0]))
        array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j])
    """
    return _fft1(a, n, axis, norm, out)


def ifft(
    a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
) -> Array:
    """The one-dimensional inverse DFT (`numpy.fft.ifft`); arguments as `fft`.

    Args:
        a: Input array.
        n: Length of the transformed axis: the input is cropped or zero-padded to it (default: its length).
        axis: Axis to transform.
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex inverse transform.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.ifft(fnp.fft.fft(fnp.array([1.0, 2.0, 3.0]))).real
        array([1., 2., 3.])
    """
    return _ifft1(a, n, axis, norm, out)


def rfft(
    a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
) -> Array:
    """The DFT of a real signal: its `n // 2 + 1` non-negative frequencies
    (`numpy.fft.rfft`); arguments as `fft`.

    Args:
        a: Input array.
        n: Length of the transformed axis: the input is cropped or zero-padded to it (default: its length).
        axis: Axis to transform.
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex half spectrum: `n // 2 + 1` bins along `axis`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.fft.rfft(fnp.array([1.0, 2.0, 3.0, 4.0]))
        array([10.+0.j, -2.+2.j, -2.+0.j])
        >>> fad.grad(lambda x: fnp.fft.rfft(x).real[1])(fnp.zeros(4))
        array([ 1.,  0., -1.,  0.])
    """
    return _rfft1(a, n, axis, norm, out)


def irfft(
    a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
) -> Array:
    """The real signal of `n` points (default `2 * (m - 1)`) whose half spectrum is
    `a` (`numpy.fft.irfft`): the imaginary parts of the first bin, and of the last when
    `n` is even, are ignored, so their derivative is zero.

    Args:
        a: Input array.
        n: Length of the output along `axis` (default `2 * (m - 1)`).
        axis: Axis to transform.
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The real signal: `n` points along `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.irfft(fnp.fft.rfft(fnp.array([1.0, 2.0, 3.0])), n=3)
        array([1., 2., 3.])
    """
    return _irfft1(a, n, axis, norm, out)


def hfft(
    a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
) -> Array:
    """The DFT of a signal with Hermitian symmetry, given by its first half `a`: a real
    spectrum of `n` points (`numpy.fft.hfft`).

    Args:
        a: Input array.
        n: Length of the output along `axis` (default `2 * (m - 1)`).
        axis: Axis to transform.
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The real spectrum: `n` points along `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.hfft(fnp.array([1.0, 2.0, 3.0]))
        array([ 9., -3.,  1., -3.])
    """
    return _hfft1(a, n, axis, norm, out)


def ihfft(
    a: ArrayLike, n: int | None = None, axis: int = -1, norm: str | None = None, out: None = None
) -> Array:
    """The inverse of `hfft`: the half spectrum (`n // 2 + 1` bins) of a real
    signal, with the `+i` exponent and `1/n` scale (`numpy.fft.ihfft`).

    Args:
        a: Input array.
        n: Length of the transformed axis: the input is cropped or zero-padded to it (default: its length).
        axis: Axis to transform.
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex half spectrum: `n // 2 + 1` bins along `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.ihfft(fnp.array([9.0, -3.0, 1.0, -3.0]))
        array([1.-0.j, 2.-0.j, 3.-0.j])
    """
    return _ihfft1(a, n, axis, norm, out)


_fft1 = _one(lambda x, n, ax, norm: _c2c(x, n, ax, norm, False), "fft")
_ifft1 = _one(lambda x, n, ax, norm: _c2c(x, n, ax, norm, True), "ifft")
_rfft1 = _one(lambda x, n, ax, norm: _r2c(x, n, ax, norm, False), "rfft", real=True)
_ihfft1 = _one(lambda x, n, ax, norm: _r2c(x, n, ax, norm, True), "ihfft", real=True)
_irfft1 = _one(lambda x, n, ax, norm: _c2r(x, n, ax, norm, True), "irfft", real_out=True)
_hfft1 = _one(lambda x, n, ax, norm: _c2r(x, n, ax, norm, False), "hfft", real_out=True)


def fftn(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The n-dimensional DFT over `axes` (default: all, or the last `len(s)`), each
    truncated or zero-padded to `s` (`numpy.fft.fftn`).

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: all, or the last `len(s)`).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex transform.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.fftn(fnp.ones((2, 3)), s=(2, 2), axes=(0, 1))
        array([[4.+0.j, 0.+0.j],
               [0.+0.j, 0.+0.j]])
    """
    return _c2c_nd(a, s, axes, norm, out, False, "fftn")


def ifftn(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The n-dimensional inverse DFT (`numpy.fft.ifftn`); arguments as `fftn`.

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: all, or the last `len(s)`).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex inverse transform.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.ifftn(fnp.fft.fftn(fnp.eye(2))).real
        array([[1., 0.],
               [0., 1.]])
    """
    return _c2c_nd(a, s, axes, norm, out, True, "ifftn")


def fft2(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = (-2, -1),
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The two-dimensional DFT (`numpy.fft.fft2`): `fftn` over the last two axes.

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: the last two).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex transform.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.fft2(fnp.eye(2))
        array([[2.+0.j, 0.+0.j],
               [0.+0.j, 2.+0.j]])
    """
    return _c2c_nd(a, s, axes, norm, out, False, "fft2")


def ifft2(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = (-2, -1),
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The two-dimensional inverse DFT (`numpy.fft.ifft2`).

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: the last two).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex inverse transform.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.ifft2(fnp.fft.fft2(fnp.eye(2))).real
        array([[1., 0.],
               [0., 1.]])
    """
    return _c2c_nd(a, s, axes, norm, out, True, "ifft2")


def rfftn(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The n-dimensional DFT of a real array, halved along the last of `axes`
    (`numpy.fft.rfftn`).

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: all, or the last `len(s)`).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex half spectrum along the last of `axes`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.rfftn(fnp.ones((2, 4))).shape
        (2, 3)
    """
    return _r2c_nd(a, s, axes, norm, out, "rfftn")


def irfftn(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The inverse of `rfftn`: a real array, `s[-1]` points (default
    `2 * (m - 1)`) along the last of `axes` (`numpy.fft.irfftn`).

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: all, or the last `len(s)`).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The real array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.irfftn(fnp.fft.rfftn(fnp.eye(3)), s=(3, 3), axes=(0, 1)).round(12)
        array([[1., 0., 0.],
               [0., 1., 0.],
               [0., 0., 1.]])
    """
    return _c2r_nd(a, s, axes, norm, out, "irfftn")


def rfft2(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = (-2, -1),
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The two-dimensional DFT of a real array (`numpy.fft.rfft2`).

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: the last two).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The complex half spectrum along the last of `axes`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.rfft2(fnp.ones((2, 4))).shape
        (2, 3)
    """
    return _r2c_nd(a, s, axes, norm, out, "rfft2")


def irfft2(
    a: ArrayLike,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = (-2, -1),
    norm: str | None = None,
    out: None = None,
) -> Array:
    """The inverse of `rfft2` (`numpy.fft.irfft2`).

    Args:
        a: Input array.
        s: Lengths of the transformed axes (default: the input's).
        axes: Axes to transform (default: the last two).
        norm: Normalization: "backward" (default), "ortho" or "forward", as NumPy.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The real array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.irfft2(fnp.fft.rfft2(fnp.ones((2, 4)))).shape
        (2, 4)
    """
    return _c2r_nd(a, s, axes, norm, out, "irfft2")


# --------------------------------------------------------------- frequencies and shifts


def fftfreq(n: int, d: ArrayLike = 1.0, device: Literal["cpu"] | None = None) -> Array:
    """The sample frequencies of `fft` for `n` points spaced `d` apart
    (`numpy.fft.fftfreq`); differentiable in a traced `d`.

    Args:
        n: Window length (number of samples).
        d: Sample spacing (may be traced).
        device: Accepted for array-API compatibility; only "cpu" (or None).

    Returns:
        The `n` frequencies, in cycles per unit of `d`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.fftfreq(4, d=0.5)
        array([ 0. ,  0.5, -1. , -0.5])
    """
    if not isinstance(d, Tracer):
        return np.fft.fftfreq(n, d, device=device)  # type: ignore[arg-type]  # concrete d here
    k = np.arange(n)
    return np.where(k < (n + 1) // 2, k, k - n) * (1.0 / (n * d))


def rfftfreq(n: int, d: ArrayLike = 1.0, device: Literal["cpu"] | None = None) -> Array:
    """The sample frequencies of `rfft` (`numpy.fft.rfftfreq`).

    Args:
        n: Window length (number of samples).
        d: Sample spacing (may be traced).
        device: Accepted for array-API compatibility; only "cpu" (or None).

    Returns:
        The `n // 2 + 1` non-negative frequencies, in cycles per unit of `d`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.rfftfreq(4, d=0.5)
        array([0. , 0.5, 1. ])
    """
    if not isinstance(d, Tracer):
        return np.fft.rfftfreq(n, d, device=device)  # type: ignore[arg-type]  # concrete d here
    return np.arange(n // 2 + 1) * (1.0 / (n * d))


def _shift(x: Any, axes: Any, sign: Any) -> Any:
    x = coerce(x)
    if not isinstance(x, Tracer):
        x = np.asarray(x)
    sh = tuple(shape(x))
    if axes is None:
        axes = tuple(range(len(sh)))
    elif not isinstance(axes, (tuple, list)):
        return roll(x, sign * (sh[operator.index(axes)] // 2), axes)
    if not axes:
        return x
    return roll(x, tuple(sign * (sh[a] // 2) for a in axes), tuple(axes))


def fftshift(x: ArrayLike, axes: Sequence[int] | None = None) -> Array:
    """Move the zero frequency to the centre: a roll by half of each of `axes`
    (default: all) (`numpy.fft.fftshift`).

    Args:
        x: Input array.
        axes: Axes to shift (default: all).

    Returns:
        The shifted array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.fftshift(fnp.fft.fftfreq(5))
        array([-0.4, -0.2,  0. ,  0.2,  0.4])
    """
    return _shift(x, axes, 1)


def ifftshift(x: ArrayLike, axes: Sequence[int] | None = None) -> Array:
    """The inverse of `fftshift` (`numpy.fft.ifftshift`).

    Args:
        x: Input array.
        axes: Axes to shift (default: all).

    Returns:
        The shifted array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.fft.ifftshift(fnp.fft.fftshift(fnp.arange(5.0)))
        array([0., 1., 2., 3., 4.])
    """
    return _shift(x, axes, -1)
