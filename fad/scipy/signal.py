"""fad.scipy.signal: convolution and correlation (`convolve`, `correlate`,
`fftconvolve`, `oaconvolve`, `convolve2d`, `correlate2d`, `choose_conv_method`)
with SciPy's signatures, modes and errors, differentiable in both inputs under every
transform.

Two methods compute the same values (to rounding):

* `"direct"`: a sum over the kernel's offsets of shifted views of the (padded) signal
  times the kernel's entries. The smaller input is the kernel; the offsets along its
  trailing axes are gathered at once into a window array (strided reshapes, no index
  arrays) and contracted with the kernel by one product, and when the window array
  would exceed `2**20` elements the offsets of the leading axes become a loop of such
  terms (down to one slice times one kernel entry). Only `fad.numpy` slices, pads,
  reshapes and products, so every derivative is exact: the reverse mode of a convolution
  is the correlation of the cotangent with the kernel.
* `"fft"`: `fad.numpy.fft.rfftn`/`irfftn` (`fftn`/`ifftn` for complex inputs)
  at a 5-smooth length at least the full output's, then the mode's slice.

`method="auto"` chooses as SciPy's `choose_conv_method` does from the shapes (its
operation counts and constants); integer and boolean inputs always take the direct
method, which is exact. Correlation conjugates `in2`; for `mode="valid"` one input
must be at least as large as the other in every dimension (SciPy's rule), and the inputs
are swapped when the second is the larger, as SciPy does.

Examples:
    >>> import fad, fad.numpy as fnp
    >>> convolve(fnp.array([1.0, 2.0, 3.0]), fnp.array([0.0, 1.0, 0.5]))
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> x = fnp.array([1.0, 2.0, 3.0])
    >>> fad.grad(lambda k: fnp.sum(convolve(x, k, mode="valid") ** 2))(fnp.array([1.0, -1.0]))
    array([10.,  6.])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as onp

import fad.numpy as fnp

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = [
    "convolve",
    "correlate",
    "fftconvolve",
    "oaconvolve",
    "convolve2d",
    "correlate2d",
    "choose_conv_method",
]

_MODES = ("full", "same", "valid")
_METHODS = ("auto", "direct", "fft")
_BOUNDARIES = dict(fill="fill", pad="fill", wrap="wrap", circular="wrap", symm="symm", symmetric="symm")
_PAD_MODES = {"fill": "constant", "wrap": "wrap", "symm": "symmetric"}
_WINDOW_BUDGET = 1 << 20  # elements of one window array in the direct method


# ------------------------------------------------------------------ argument handling


def _check_mode(mode: str) -> None:
    if mode not in _MODES:
        raise ValueError(f"Acceptable mode flags are 'valid', 'same', or 'full' (got {mode!r}).")


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValueError(f"Acceptable method flags are 'auto', 'direct', or 'fft' (got {method!r}).")


def _same_ndim(a: Any, b: Any, what: str) -> None:
    if a.ndim != b.ndim:
        raise ValueError(
            f"{what} should have the same dimensionality (got shapes {a.shape} and {b.shape}); "
            "add axes of length 1 with fnp.expand_dims or reshape."
        )


def _inputs_swap_needed(mode: str, shape1: Any, shape2: Any, axes: Any = None) -> Any:
    """SciPy's rule: in `valid` mode one input must be at least as large as the other
    along every (convolved) axis; True when the second one is the larger."""
    if mode != "valid" or not shape1:
        return False
    axes = range(len(shape1)) if axes is None else axes
    ok1 = all(shape1[i] >= shape2[i] for i in axes)
    ok2 = all(shape2[i] >= shape1[i] for i in axes)
    if not (ok1 or ok2):
        raise ValueError(
            "For 'valid' mode, one must be at least as large as the other in every dimension "
            f"(got shapes {tuple(shape1)} and {tuple(shape2)})."
        )
    return not ok1


def _reverse_and_conj(x: Any) -> Any:
    x = fnp.flip(x)
    return fnp.conj(x) if fnp.iscomplexobj(x) else x


def _region(s1: Any, s2: Any, mode: str, same_start: Callable[..., Any] = lambda k: (k - 1) // 2) -> Any:
    """Start and size, per axis, of the mode's part of the full convolution (SciPy's
    `_centered`: `same` is `in1`'s size, `valid` the size of the overlap)."""
    if mode == "full":
        return [0] * len(s1), [a + b - 1 for a, b in zip(s1, s2, strict=True)]
    if mode == "same":
        return [same_start(b) for b in s2], list(s1)
    sizes = [abs(a - b) + 1 for a, b in zip(s1, s2, strict=True)]
    return [min(a, b) - 1 for a, b in zip(s1, s2, strict=True)], sizes


# ---------------------------------------------------------------------- direct method


def _move(x: Any, src: Any, dst: Any) -> Any:
    return x if src % x.ndim == dst % x.ndim else fnp.moveaxis(x, src, dst)


def _windows(x: Any, axes: Any, k: Any) -> Any:
    """`x` with a new leading axis per axis `a` of `axes`, in the order of `axes`:
    `out[j, ..., i_a, ...] = x[..., i_a + j, ...]` for `j < k[a]` (the axis shrinks by
    `k[a] - 1`). Built by tiling, a reshape into rows one longer than the axis, and
    slices: every transform sees linear structural operations."""
    for a in reversed(axes):
        pos = a + (x.ndim - len(k))  # past the window axes already in front
        kk, n = k[a], x.shape[pos]
        m = n - kk + 1
        y = _move(x, pos, -1)
        lead = y.shape[:-1]
        y = fnp.broadcast_to(y[..., None, :], lead + (kk + 1, n))
        y = fnp.reshape(y, lead + ((kk + 1) * n,))[..., : kk * (n + 1)]
        y = fnp.reshape(y, lead + (kk, n + 1))[..., :m]  # row j starts at x[j]
        x = _move(_move(y, -2, 0), -1, pos + 1)
    return x


def _correlate_valid(x: Any, w: Any) -> Any:
    """`out[i] = sum_j x[i + j] * w[j]` over every `j` (no conjugation), for `x` at
    least as large as `w` along every axis."""
    d = w.ndim
    k = w.shape
    m = tuple(n - kk + 1 for n, kk in zip(x.shape, k, strict=True))
    r = d  # window the trailing r axes, loop over the offsets of the leading d - r
    while r > 0 and math.prod(m) * math.prod(k[d - r :]) > _WINDOW_BUDGET:
        r -= 1
    out = None
    for off in itertools.product(*(range(kk) for kk in k[: d - r])):
        xo = x[tuple(slice(o, o + mm) for o, mm in zip(off, m, strict=False))]
        if r == 0:
            term = xo * w[off]
        elif d == 1:
            term = w @ _windows(xo, [0], k)
        else:  # one product over the flattened window axes
            win = fnp.reshape(_windows(xo, range(d - r, d), k), (math.prod(k[d - r :]), math.prod(m)))
            term = fnp.reshape(fnp.reshape(w[off], (-1,)) @ win, m)
        out = term if out is None else out + term
    return out


def _extended(a: Any, lo: Any, hi: Any, boundary: str, fillvalue: Any) -> Any:
    """`a` over the index box `[lo, hi)` (per axis), extended beyond its edges by the
    boundary rule (zeros, `fillvalue`, periodic or mirrored as `numpy.pad`)."""
    before = [max(0, -x) for x in lo]
    after = [max(0, h - n) for h, n in zip(hi, a.shape, strict=True)]
    if any(before) or any(after):
        if boundary == "fill":
            a = fnp.pad(a, list(zip(before, after, strict=True)), constant_values=fillvalue)
        else:
            a = fnp.pad(a, list(zip(before, after, strict=True)), mode=_PAD_MODES[boundary])
    return a[tuple(slice(x + b, h + b) for x, h, b in zip(lo, hi, before, strict=True))]


def _conv_region(
    a: Any, b: Any, start: Any, size: Any, boundary: str = "fill", fillvalue: Any = 0, commute: bool = True
) -> Any:
    """Entries `[start, start + size)` (per axis) of the full convolution of `a` with
    `b`; `a` is extended beyond its edges by `boundary`. With `commute` (zero
    fill), the smaller input is taken as the kernel."""
    if commute and b.size > a.size:
        a, b = b, a
    k = b.shape
    lo = [s - kk + 1 for s, kk in zip(start, k, strict=True)]
    hi = [s + n for s, n in zip(start, size, strict=True)]
    return _correlate_valid(_extended(a, lo, hi, boundary, fillvalue), fnp.flip(b))


def _direct(volume: Any, kernel: Any, mode: str) -> Any:
    dtype = onp.result_type(volume.dtype, kernel.dtype)
    start, size = _region(volume.shape, kernel.shape, mode)
    if dtype.kind == "b":  # NumPy's boolean convolution: any(a & b) over the overlaps
        out = _conv_region(volume.astype(onp.int64), kernel.astype(onp.int64), start, size)
        return out != 0
    return _conv_region(volume, kernel, start, size).astype(dtype)


# ------------------------------------------------------------------------- fft method


def _next_fast_len(n: Any) -> Any:
    """The smallest 5-smooth number `>= n` (a fast length for the FFT)."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            q = -(-n // p35)  # the power of two that lifts p35 to n
            p2 = 1 << max(0, (q - 1).bit_length())
            best = min(best, p2 * p35)
            p35 *= 3
        p5 *= 5
    return best


def _fft_axes(in1: Any, in2: Any, axes: Any) -> Any:
    """SciPy's normalization of `axes`: ints in range, unique, not empty when given;
    axes where either input has length 1 are left to broadcasting; the other axes must
    match or broadcast."""
    s1, s2 = in1.shape, in2.shape
    if axes is None:
        axes = list(range(in1.ndim))
    else:
        given = [axes] if onp.ndim(axes) == 0 else list(axes)
        if not all(isinstance(a, (int, onp.integer)) for a in given):
            raise ValueError(f"axes must be a scalar or iterable of integers (got {axes!r}).")
        if not given:
            raise ValueError("when provided, axes cannot be empty")
        axes = [int(a) + in1.ndim if a < 0 else int(a) for a in given]
        if any(a >= in1.ndim or a < 0 for a in axes):
            raise ValueError(f"axes exceeds dimensionality of input (axes {given!r} for {in1.ndim}-d inputs)")
        if len(set(axes)) != len(axes):
            raise ValueError(f"all axes must be unique (got {given!r})")
    axes = [a for a in axes if s1[a] != 1 and s2[a] != 1]
    if not all(s1[a] == s2[a] or s1[a] == 1 or s2[a] == 1 for a in range(in1.ndim) if a not in axes):
        raise ValueError(
            f"incompatible shapes for in1 and in2: {s1} and {s2} (the axes not convolved must "
            "be equal or of length 1)"
        )
    return axes


def _freq_domain_conv(in1: Any, in2: Any, axes: Any, shape: Any) -> Any:
    if not axes:
        return in1 * in2
    complex_result = fnp.iscomplexobj(in1) or fnp.iscomplexobj(in2)
    fshape = [_next_fast_len(shape[a]) for a in axes]
    if complex_result:
        fft, ifft = fnp.fft.fftn, fnp.fft.ifftn
    else:
        fft, ifft = fnp.fft.rfftn, fnp.fft.irfftn
    if in1.dtype.kind in "biu":
        in1 = in1.astype(onp.float64)
    if in2.dtype.kind in "biu":
        in2 = in2.astype(onp.float64)
    ret = ifft(fft(in1, fshape, axes=axes) * fft(in2, fshape, axes=axes), fshape, axes=axes)
    return ret[tuple(slice(n) for n in shape)]


def _centered(arr: Any, newshape: Any) -> Any:
    start = [(c - n) // 2 for c, n in zip(arr.shape, newshape, strict=True)]
    return arr[tuple(slice(s, s + n) for s, n in zip(start, newshape, strict=True))]


def fftconvolve(
    in1: ArrayLike, in2: ArrayLike, mode: str = "full", axes: int | Sequence[int] | None = None
) -> Array:
    """Convolve two n-d arrays by the FFT (SciPy's `fftconvolve`), over `axes` (all by
    default; the others broadcast); `mode` `"full"`, `"same"` (`in1`'s size,
    centered) or `"valid"`. Empty inputs give an empty array, as in SciPy.

    Args:
        in1: First input, n-d.
        in2: Second input, of `in1`'s number of dimensions.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        axes: Axis or axes to convolve over; None: all (the others broadcast).

    Returns:
        The convolution, of the inputs' promoted dtype.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fftconvolve(fnp.array([1.0, 2.0, 3.0]), fnp.array([0.0, 1.0, 0.5])).round(12)
        array([0. , 1. , 2.5, 4. , 1.5])
        >>> x = fnp.array([[1.0, 2.0], [3.0, 4.0]])
        >>> fftconvolve(x, fnp.array([[1.0, -1.0]]), axes=1).round(12)
        array([[ 1.,  1., -2.],
               [ 3.,  1., -4.]])
    """
    in1_, in2_ = fnp.asarray(in1), fnp.asarray(in2)
    if in1_.ndim == in2_.ndim == 0:
        return in1_ * in2_
    _same_ndim(in1_, in2_, "in1 and in2")
    if in1_.size == 0 or in2_.size == 0:
        return fnp.array([])
    axes_ = _fft_axes(in1_, in2_, axes)
    _check_mode(mode)
    if _inputs_swap_needed(mode, in1_.shape, in2_.shape, axes=axes_):
        in1_, in2_ = in2_, in1_  # convolution commutes
    s1, s2 = in1_.shape, in2_.shape
    shape = [s1[i] + s2[i] - 1 if i in axes_ else max(s1[i], s2[i]) for i in range(in1_.ndim)]
    ret = _freq_domain_conv(in1_, in2_, axes_, shape)
    if mode == "full":
        return ret
    if mode == "same":
        return _centered(ret, s1)
    return _centered(ret, [s1[a] - s2[a] + 1 if a in axes_ else ret.shape[a] for a in range(ret.ndim)])


def oaconvolve(
    in1: ArrayLike, in2: ArrayLike, mode: str = "full", axes: int | Sequence[int] | None = None
) -> Array:
    """Convolve two n-d arrays (SciPy's `oaconvolve`): the values of the overlap-add
    method, computed here by one FFT of the full size as `fftconvolve` (same arguments,
    same results to rounding).

    Args:
        in1: First input, n-d.
        in2: Second input, of `in1`'s number of dimensions.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        axes: Axis or axes to convolve over; None: all (the others broadcast).

    Returns:
        The convolution, as `fftconvolve`'s.

    Examples:
        >>> import fad.numpy as fnp
        >>> oaconvolve(fnp.ones(4), fnp.ones(2), mode="valid").round(12)
        array([2., 2., 2.])
    """
    return fftconvolve(in1, in2, mode=mode, axes=axes)


# ----------------------------------------------------------------- convolve, correlate


def _conv_ops(x_shape: Any, h_shape: Any, mode: str) -> Any:
    """SciPy's operation counts of the direct and FFT methods."""
    if mode == "full":
        out_shape = [n + k - 1 for n, k in zip(x_shape, h_shape, strict=True)]
    elif mode == "valid":
        out_shape = [abs(n - k) + 1 for n, k in zip(x_shape, h_shape, strict=True)]
    else:
        out_shape = list(x_shape)
    if len(x_shape) == 1:
        s1, s2 = x_shape[0], h_shape[0]
        if mode == "full":
            direct_ops = s1 * s2
        elif mode == "valid":
            direct_ops = (s2 - s1 + 1) * s1 if s2 >= s1 else (s1 - s2 + 1) * s2
        else:
            direct_ops = s1 * s2 if s1 < s2 else s1 * s2 - (s2 // 2) * ((s2 + 1) // 2)
    elif mode == "same":
        direct_ops = math.prod(x_shape) * math.prod(h_shape)
    else:
        direct_ops = min(math.prod(x_shape), math.prod(h_shape)) * math.prod(out_shape)
    n = math.prod(n + k - 1 for n, k in zip(x_shape, h_shape, strict=True))
    return 3 * n * math.log(n), direct_ops


def _fftconv_faster(x_shape: Any, h_shape: Any, mode: str) -> Any:
    """SciPy's timing model (`scipy.signal._signaltools._fftconv_faster`)."""
    fft_ops, direct_ops = _conv_ops(x_shape, h_shape, mode)
    one_d = len(x_shape) == 1
    offset = -1e-3 if one_d else -1e-4
    if one_d:
        constants = {
            "valid": (1.89095737e-9, 2.1364985e-10, offset),
            "full": (1.7649070e-9, 2.1414831e-10, offset),
            "same": (3.2646654e-9, 2.8478277e-10, offset)
            if math.prod(h_shape) <= math.prod(x_shape)
            else (3.21635404e-9, 1.1773253e-8, -1e-5),
        }
    else:
        constants = {
            "valid": (1.85927e-9, 2.11242e-8, offset),
            "full": (1.99817e-9, 1.66174e-8, offset),
            "same": (2.04735e-9, 1.55367e-8, offset),
        }
    o_fft, o_direct, o_offset = constants[mode]
    return o_fft * fft_ops < o_direct * direct_ops + o_offset


def choose_conv_method(in1: ArrayLike, in2: ArrayLike, mode: str = "full", measure: bool = False) -> str:
    """`"fft"` or `"direct"`, as SciPy's `choose_conv_method` chooses from the
    shapes; integer and boolean inputs always get `"direct"` (exact). `measure=True`
    (timing both) is not supported.

    Args:
        in1: First input.
        in2: Second input.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        measure: Must be False (timing is not supported).

    Returns:
        `"fft"` or `"direct"`.

    Raises:
        NotImplementedError: with `measure=True`.

    Examples:
        >>> import fad.numpy as fnp
        >>> small = choose_conv_method(fnp.ones(1000), fnp.ones(31))
        >>> small, choose_conv_method(fnp.ones(10000), fnp.ones(1001))
        ('direct', 'fft')
    """
    if measure:
        raise NotImplementedError(
            "choose_conv_method: measure=True is not supported; time convolve(..., method='direct') "
            "and method='fft' yourself."
        )
    volume, kernel = fnp.asarray(in1), fnp.asarray(in2)
    _check_mode(mode)
    if volume.dtype.kind in "biu" or kernel.dtype.kind in "biu" or volume.size == 0 or kernel.size == 0:
        return "direct"
    return "fft" if _fftconv_faster(volume.shape, kernel.shape, mode) else "direct"


def convolve(in1: ArrayLike, in2: ArrayLike, mode: str = "full", method: str = "auto") -> Array:
    """Convolve two n-d arrays (SciPy's `convolve`): `mode` `"full"`, `"same"`
    (`in1`'s size, centered) or `"valid"`; `method` `"direct"`, `"fft"` or
    `"auto"` (SciPy's choice from the shapes). Differentiable in both inputs.

    An empty input is an error, except in `"same"` mode with `in1` empty (an empty
    result of `in1`'s shape), as in SciPy's direct method.

    Args:
        in1: First input, n-d.
        in2: Second input, of `in1`'s number of dimensions.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        method: `"direct"`, `"fft"` or `"auto"` (chosen from the shapes, as SciPy).

    Returns:
        The convolution, of the inputs' promoted dtype.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> convolve(fnp.array([1.0, 2.0, 3.0]), fnp.array([1.0, 1.0]), mode="same")
        array([1., 3., 5.])
        >>> fad.grad(lambda x: convolve(x, fnp.array([1.0, 1.0]), mode="valid").sum())(fnp.ones(3))
        array([1., 2., 1.])
    """
    volume, kernel = fnp.asarray(in1), fnp.asarray(in2)
    if volume.ndim == kernel.ndim == 0:
        return volume * kernel
    _same_ndim(volume, kernel, "volume and kernel")
    _check_mode(mode)
    if _inputs_swap_needed(mode, volume.shape, kernel.shape):
        volume, kernel = kernel, volume  # convolution commutes
    _check_method(method)
    dtype = onp.result_type(volume.dtype, kernel.dtype)
    if volume.size == 0 or kernel.size == 0:
        if mode == "same" and kernel.size:
            return fnp.zeros(volume.shape, dtype)
        raise ValueError(
            f"convolve: in1 and in2 cannot be empty (got shapes {volume.shape} and {kernel.shape})."
        )
    if method == "auto":
        method = choose_conv_method(volume, kernel, mode=mode)
    if method == "direct":
        return _direct(volume, kernel, mode)
    out = fftconvolve(volume, kernel, mode=mode)
    if dtype.kind in "iu":
        out = fnp.round(out)
    return out.astype(dtype)


def correlate(in1: ArrayLike, in2: ArrayLike, mode: str = "full", method: str = "auto") -> Array:
    """Cross-correlate two n-d arrays (SciPy's `correlate`):
    `z[k] = sum_n in1[n + k] * conj(in2[n])`, the full output's lags running from
    `-(len(in2) - 1)` to `len(in1) - 1`; modes and methods as `convolve`.

    Args:
        in1: First input, n-d.
        in2: Second input, of `in1`'s number of dimensions.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        method: `"direct"`, `"fft"` or `"auto"` (chosen from the shapes, as SciPy).

    Returns:
        The cross-correlation, of the inputs' promoted dtype.

    Examples:
        >>> import fad.numpy as fnp
        >>> correlate(fnp.array([1.0, 2.0, 3.0]), fnp.array([0.0, 1.0, 0.5]))
        array([0.5, 2. , 3.5, 3. , 0. ])
    """
    in1_, in2_ = fnp.asarray(in1), fnp.asarray(in2)
    if in1_.ndim == in2_.ndim == 0:
        return in1_ * fnp.conj(in2_) if fnp.iscomplexobj(in2_) else in1_ * in2_
    _same_ndim(in1_, in2_, "in1 and in2")
    _check_mode(mode)
    _check_method(method)
    return convolve(in1_, _reverse_and_conj(in2_), mode, method)


# -------------------------------------------------------------------------------- 2-d


def _check_2d(in1: Any, in2: Any, mode: str, boundary: str, fillvalue: Any, fname: str) -> Any:
    in1, in2 = fnp.asarray(in1), fnp.asarray(in2)
    if not in1.ndim == in2.ndim == 2:
        raise ValueError(f"{fname} inputs must both be 2-D arrays (got shapes {in1.shape} and {in2.shape}).")
    _check_mode(mode)
    if boundary not in _BOUNDARIES:
        raise ValueError(
            "Acceptable boundary flags are 'fill', 'circular' (or 'wrap'), and 'symmetric' "
            f"(or 'symm') (got {boundary!r})."
        )
    dtype = onp.result_type(in1.dtype, in2.dtype)
    fv = fnp.asarray(fillvalue)
    if fv.size != 1:
        raise ValueError(f"`fillvalue` must be scalar or an array with one element (got shape {fv.shape}).")
    fv = fnp.reshape(fv, ())
    if fnp.iscomplexobj(fv) and dtype.kind != "c":
        try:
            nonreal = bool(fnp.imag(fv) != 0)
        except Exception:  # a traced complex fillvalue: its imaginary part is unknown
            nonreal = True
        if nonreal:
            raise ValueError(
                "could not cast `fillvalue` directly to the output type (it was first converted to "
                f"complex); the inputs are {dtype}: pass a real fillvalue."
            )
        fv = fnp.real(fv)
    return in1, in2, _BOUNDARIES[boundary], fv.astype(dtype), dtype


def _conv2d(
    in1: Any, in2: Any, mode: str, boundary: str, fillvalue: Any, dtype: Any, same_start: Callable[..., Any]
) -> Any:
    start, size = _region(in1.shape, in2.shape, mode, same_start)
    if in2.size == 0 or 0 in size:
        return fnp.zeros(tuple(size), dtype)
    if in1.size == 0 and boundary != "fill":
        raise ValueError(f"boundary {boundary!r} needs a non-empty in1 (got shape {in1.shape}).")
    in1 = in1.astype(dtype)  # a complex fillvalue pads a real in1 of a complex product
    return _conv_region(in1, in2, start, size, boundary, fillvalue, commute=False).astype(dtype)


def convolve2d(
    in1: ArrayLike, in2: ArrayLike, mode: str = "full", boundary: str = "fill", fillvalue: ArrayLike = 0
) -> Array:
    """Convolve two 2-d arrays (SciPy's `convolve2d`), `in1` extended beyond its edges
    by `boundary`: `"fill"` (with `fillvalue`, which may be traced),
    `"wrap"`/`"circular"` or `"symm"`/`"symmetric"` (mirrored, edge included).
    Differentiable in `in1`, `in2` and `fillvalue`.

    Args:
        in1: First input, 2-d.
        in2: Second input, 2-d.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        boundary: `"fill"`, `"wrap"` (or `"circular"`) or `"symm"` (or `"symmetric"`).
        fillvalue: The value beyond the edges with `boundary="fill"` (may be traced).

    Returns:
        The 2-d convolution.

    Examples:
        >>> import fad.numpy as fnp
        >>> a, k = fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([[1.0, 1.0]])
        >>> convolve2d(a, k, mode="same", boundary="wrap")
        array([[3., 3.],
               [7., 7.]])
    """
    in1_, in2_, boundary, fv, dtype = _check_2d(in1, in2, mode, boundary, fillvalue, "convolve2d")
    if _inputs_swap_needed(mode, in1_.shape, in2_.shape):
        in1_, in2_ = in2_, in1_
    return _conv2d(in1_, in2_, mode, boundary, fv, dtype, lambda k: (k - 1) // 2)


def correlate2d(
    in1: ArrayLike, in2: ArrayLike, mode: str = "full", boundary: str = "fill", fillvalue: ArrayLike = 0
) -> Array:
    """Cross-correlate two 2-d arrays (SciPy's `correlate2d`): `in2` conjugated,
    boundaries as `convolve2d`; `"same"` is centered as SciPy's (for an even kernel
    one sample later than `correlate`'s), and when `"valid"` swaps the inputs the
    result is reversed without conjugation, as in SciPy.

    Args:
        in1: First input, 2-d.
        in2: Second input, 2-d.
        mode: `"full"` (every overlap), `"same"` (`in1`'s size, centered) or `"valid"` (full overlaps only).
        boundary: `"fill"`, `"wrap"` (or `"circular"`) or `"symm"` (or `"symmetric"`).
        fillvalue: The value beyond the edges with `boundary="fill"` (may be traced).

    Returns:
        The 2-d cross-correlation.

    Examples:
        >>> import fad.numpy as fnp
        >>> correlate2d(fnp.array([[1.0, 2.0, 3.0]]), fnp.array([[1.0, 0.5]]), mode="valid")
        array([[2. , 3.5]])
    """
    in1_, in2_, boundary, fv, dtype = _check_2d(in1, in2, mode, boundary, fillvalue, "correlate2d")
    swapped = _inputs_swap_needed(mode, in1_.shape, in2_.shape)
    if swapped:
        in1_, in2_ = in2_, in1_
    out = _conv2d(in1_, _reverse_and_conj(in2_), mode, boundary, fv, dtype, lambda k: k // 2)
    return fnp.flip(out) if swapped else out
