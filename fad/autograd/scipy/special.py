"""``autograd.scipy.special``: fad's special functions (``fad.scipy.special``), every one
differentiable under fad's transforms (the beta, gamma and Bessel families included).

>>> import fad
>>> from fad.autograd.scipy import special
>>> float(fad.grad(special.j0)(1.0)) == -float(special.j1(1.0))
True
"""

from __future__ import annotations

import math as _math
from typing import Any

import fad.numpy as _fnp
from fad.autograd.extend import defjvp as _defjvp
from fad.autograd.extend import primitive as _primitive
from fad.scipy import special as _special
from fad.scipy.special import *  # noqa: F403

__all__ = list(_special.__all__)


def _complex_erf(z: Any) -> Any:
    import scipy.special  # type: ignore[import-untyped, unused-ignore]  # erf of complex arguments

    return scipy.special.erf(z)


_complex_erf = _primitive(_complex_erf)
_defjvp(_complex_erf, lambda g, ans, z: g * (2.0 / _math.sqrt(_math.pi)) * _fnp.exp(-(z * z)))


def erf(z: Any) -> Any:  # type: ignore[no-redef]
    """The error function; of a complex ``z`` too (SciPy's, as autograd's), holomorphic:
    ``erf'(z) = 2 exp(-z^2) / sqrt(pi)``."""
    return _complex_erf(z) if _fnp.iscomplexobj(z) else _special.erf(z)


def erfc(z: Any) -> Any:  # type: ignore[no-redef]
    """``1 - erf(z)``; of a complex ``z`` too (as autograd's)."""
    return 1.0 - _complex_erf(z) if _fnp.iscomplexobj(z) else _special.erfc(z)
