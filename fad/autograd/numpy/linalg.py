"""``autograd.numpy.linalg``: fad's (``fad.numpy.linalg``), with autograd's ``eig``, whose
eigenvectors have derivatives.

An eigenvector is defined up to a scalar factor; NumPy (LAPACK) scales it to unit length,
leaving a sign (a phase, for a complex vector) that is LAPACK's choice. The derivative
given here keeps the unit length and adds no component along the vector itself (the phase
is held still), as autograd's: so the derivative of any quantity that does not depend on
that choice (``abs(v)``, ``v v^H``, the eigenvalues) is the true one, and the derivative of
``v`` itself agrees with finite differences only up to a change of phase. ``fad.numpy.linalg.eig``
refuses eigenvector derivatives (as JAX): use that one where a gauge-dependent result would
be a silent error.

>>> import fad, fad.autograd.numpy as np
>>> a = np.array([[2.0, 1.0], [0.5, 3.0]])
>>> d = fad.grad(lambda a: np.sum(np.abs(np.linalg.eig(a)[1][:, 0])))(a)
>>> bool(np.all(np.isfinite(d)))
True
"""

from __future__ import annotations

from typing import Any

import numpy as _onp

import fad.numpy as _fnp
from fad.autograd.extend import defjvp as _defjvp
from fad.autograd.extend import primitive as _primitive
from fad.numpy import linalg as _linalg

# every other name is fad.numpy.linalg's (``from fad.autograd.numpy.linalg import *`` too)
__all__ = sorted({*getattr(_linalg, "__all__", [n for n in dir(_linalg) if not n.startswith("_")]), "eig"})


def __getattr__(name: str) -> Any:
    return getattr(_linalg, name)


@_primitive
def eig(a: Any) -> Any:
    """``(w, v)``: NumPy's eigenvalues and unit eigenvectors of the square matrices ``a``
    (real arrays when every eigenvalue is real, as NumPy's), with derivatives for both."""
    w, v = _onp.linalg.eig(a)
    return w, v


def _eig_jvp(g: Any, ans: Any, a: Any) -> Any:
    # a = V diag(w) V^-1, so V^-1 da V = diag(dw) + (gaps) o (V^-1 dV); the off-diagonal part
    # of V^-1 dV is P_ij / (w_j - w_i) with P = V^-1 da V, its diagonal is the gauge: chosen
    # so that each column keeps its unit length, Re(v^H dv) = 0, and its phase
    w, v = ans
    p = _fnp.linalg.solve(v, _fnp.matmul(g, v))
    dw = _fnp.diagonal(p, axis1=-2, axis2=-1)
    n = _fnp.shape(w)[-1]
    off = ~_onp.eye(n, dtype=bool)
    gaps = _fnp.expand_dims(w, -2) - _fnp.expand_dims(w, -1)  # w_j - w_i
    dv = _fnp.matmul(v, _fnp.where(off, p / _fnp.where(off, gaps, 1.0), 0.0))
    dv = dv - v * _fnp.real(_fnp.sum(_fnp.conj(v) * dv, axis=-2, keepdims=True))
    if not _fnp.iscomplexobj(w):  # every eigenvalue real: so are the derivatives
        dw, dv = _fnp.real(dw), _fnp.real(dv)
    return dw, dv


_defjvp(eig, _eig_jvp)
