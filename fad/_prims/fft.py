"""Discrete Fourier transforms: three linear primitives, each over a tuple of ``axes``.

* ``fft(x, axes, inverse, norm)``: complex to complex, NumPy's ``fftn``/``ifftn``;
* ``rfft(x, axes, inverse, norm)``: real to complex, the half spectrum along ``axes[-1]``
  (``n // 2 + 1`` bins): NumPy's ``rfftn``, or with ``inverse`` the ``+i`` exponent
  (``conj(rfftn)``, NumPy's ``ihfft`` in one dimension);
* ``irfft(x, axes, n, inverse, norm)``: complex to real, from ``n // 2 + 1`` bins along
  ``axes[-1]`` to ``n`` points: NumPy's ``irfftn``, or without ``inverse`` the ``-i``
  exponent (NumPy's ``hfft``).

``inverse`` chooses the sign of the exponent and ``norm`` ("backward", "ortho",
"forward") the scale as NumPy does: ``a = 1``, ``1/sqrt(N)`` or ``1/N`` for the forward
direction, the reverse for the inverse one (``N``: the product of the lengths). Every
transform has exactly the lengths it is given: padding and truncation (NumPy's ``n`` and
``s``) are slices and zero pads applied before it (``fad.numpy.fft``), so their
derivatives are those of the slice and the pad.

Derivatives follow JAX's convention: a cotangent pairs with a tangent through
``Re(sum(ct * t))``, so a rule's vjp is the plain transpose of the linear map.

* The DFT matrix is symmetric: ``fft``'s transpose is ``fft`` (same direction and norm);
  of a real input, its real part.
* ``irfft`` computes ``y = a Re(sum_j w_j X_j e^{s 2 pi i jk/n})`` over the half spectrum,
  with weights ``w = 1, 2, ..., 2, (1 if n is even)`` standing for the missing conjugate
  half (the first and the Nyquist bin count once). Its transpose is ``w * rfft(ct)``.
* ``rfft``'s transpose is therefore ``irfft(ct / w)``, in the same direction and norm.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._core import Primitive, bind
from fad._pattern_rules import along_axes, declare
from fad._prims.arithmetic import real_p
from fad._structural import linear

_SWAP: dict[str, Any] = {"backward": "forward", "ortho": "ortho", "forward": "backward"}


def half_weights(n: Any, dtype: Any) -> Any:
    """``w`` of a half spectrum of ``n`` points (``n // 2 + 1`` bins): ``1, 2, ..., 2`` and
    a last ``1`` when ``n`` is even (the Nyquist bin has no conjugate twin)."""
    w = np.full(n // 2 + 1, 2.0, dtype=dtype)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    return w


def _along(w: Any, axis: Any, ndim: Any) -> Any:
    """``w`` shaped to broadcast along ``axis`` of an array of ``ndim`` dimensions."""
    return w.reshape((-1,) + (1,) * (ndim - 1 - axis))


def _real_dtype(dtype: Any) -> Any:
    return np.finfo(dtype).dtype


def _real_part(ct: Any, x: Any) -> Any:
    """The cotangent of a real input ``x`` (Aval or array) whose transform's transpose gave
    the complex ``ct``: its real part. A complex ``x`` takes ``ct`` as it is."""
    return bind(real_p, ct) if x.dtype.kind != "c" else ct


def _bump(axes: Any) -> Any:
    return tuple(a + 1 for a in axes)


# --------------------------------------------------------------------------------- fft


def _fft_impl(x: Any, *, axes: Any, inverse: Any, norm: Any) -> Any:
    return (np.fft.ifftn if inverse else np.fft.fftn)(x, axes=axes, norm=norm)


fft_p = Primitive("fft", _fft_impl)
linear(fft_p, lambda ct, x, **params: _real_part(fft(ct, **params), x))
declare(fft_p, along_axes)  # (linear: no second derivative)
fft_p.batch = lambda vals, bdims, *, axes, inverse, norm: (
    fft(vals[0], axes=_bump(axes), inverse=inverse, norm=norm),
    0,
)


def fft(x: Any, *, axes: Any, inverse: Any, norm: Any) -> Any:
    """The DFT of ``x`` over ``axes`` (distinct, non-negative), complex output."""
    return bind(fft_p, x, axes=axes, inverse=inverse, norm=norm)


# -------------------------------------------------------------------------------- rfft


def _rfft_impl(x: Any, *, axes: Any, inverse: Any, norm: Any) -> Any:
    if not inverse:
        return np.fft.rfftn(x, axes=axes, norm=norm)
    return np.conjugate(np.fft.rfftn(x, axes=axes, norm=_SWAP[norm]))


def _rfft_transpose(ct: Any, x: Any, *, axes: Any, inverse: Any, norm: Any) -> Any:
    n = x.shape[axes[-1]]
    w = _along(half_weights(n, _real_dtype(ct.dtype)), axes[-1], len(x.shape))
    return irfft(ct / w, axes=axes, n=n, inverse=inverse, norm=norm)


rfft_p = Primitive("rfft", _rfft_impl)
linear(rfft_p, _rfft_transpose)
declare(rfft_p, along_axes)
rfft_p.batch = lambda vals, bdims, *, axes, inverse, norm: (
    rfft(vals[0], axes=_bump(axes), inverse=inverse, norm=norm),
    0,
)


def rfft(x: Any, *, axes: Any, inverse: Any, norm: Any) -> Any:
    """The half spectrum of the real ``x`` over ``axes`` (halved along ``axes[-1]``)."""
    return bind(rfft_p, x, axes=axes, inverse=inverse, norm=norm)


# ------------------------------------------------------------------------------- irfft


def _irfft_impl(x: Any, *, axes: Any, n: Any, inverse: Any, norm: Any) -> Any:
    s = tuple(x.shape[a] for a in axes[:-1]) + (n,)
    if inverse:
        return np.fft.irfftn(x, s=s, axes=axes, norm=norm)
    return np.fft.irfftn(np.conjugate(x), s=s, axes=axes, norm=_SWAP[norm])


def _irfft_transpose(ct: Any, x: Any, *, axes: Any, n: Any, inverse: Any, norm: Any) -> Any:
    w = _along(half_weights(n, ct.dtype), axes[-1], len(x.shape))
    return _real_part(rfft(ct, axes=axes, inverse=inverse, norm=norm) * w, x)


irfft_p = Primitive("irfft", _irfft_impl)
linear(irfft_p, _irfft_transpose)
declare(irfft_p, along_axes)
irfft_p.batch = lambda vals, bdims, *, axes, n, inverse, norm: (
    irfft(vals[0], axes=_bump(axes), n=n, inverse=inverse, norm=norm),
    0,
)


def irfft(x: Any, *, axes: Any, n: Any, inverse: Any, norm: Any) -> Any:
    """The real signal of ``n`` points along ``axes[-1]`` whose half spectrum is ``x``."""
    return bind(irfft_p, x, axes=axes, n=n, inverse=inverse, norm=norm)
