"""``autograd.scipy.special``: fad's special functions (``fad.scipy.special``), every one
differentiable under fad's transforms (the beta, gamma and Bessel families included).

>>> import fad
>>> from fad.autograd.scipy import special
>>> float(fad.grad(special.j0)(1.0)) == -float(special.j1(1.0))
True
"""

from fad.scipy import special as _special
from fad.scipy.special import *  # noqa: F403

__all__ = list(_special.__all__)
