"""``autograd.scipy.linalg``: fad's ``fad.scipy.linalg``, every function differentiable
under fad's transforms (``sqrtm`` and ``solve_sylvester`` included).

>>> import fad, fad.autograd.numpy as np
>>> from fad.autograd.scipy.linalg import sqrtm
>>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
>>> bool(np.allclose(sqrtm(A) @ sqrtm(A), A))
True
"""

from fad.scipy import linalg as _linalg
from fad.scipy.linalg import *  # noqa: F403

__all__ = list(_linalg.__all__)
