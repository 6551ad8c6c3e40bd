"""``autograd.numpy``: fad's differentiable NumPy (``fad.numpy``), with ``random`` (NumPy's
own ``numpy.random``: random numbers are data), ``linalg`` and ``fft``.

A name that ``fad.numpy`` does not define falls back to NumPy's (dtypes, constants,
functions without derivatives); calling such a function on a traced value raises fad's
error naming it.

>>> import fad.autograd.numpy as np
>>> import fad.autograd.numpy.random as npr
>>> npr.seed(0); x = npr.randn(3)
>>> np.allclose(np.exp(np.log(np.exp(x))), np.exp(x)), np.finfo(float).eps > 0
(np.True_, np.True_)
"""

import sys as _sys

import numpy as _onp
import numpy.random as random  # noqa: F401

from fad.numpy import *  # noqa: F403
from fad.numpy import fft, linalg  # noqa: F401

_sys.modules[__name__ + ".random"] = random
_sys.modules[__name__ + ".linalg"] = linalg
_sys.modules[__name__ + ".fft"] = fft


def __getattr__(name):
    try:
        return getattr(_onp, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def make_diagonal(D, offset=0, axis1=0, axis2=1):
    """The array whose diagonal along ``axis1``/``axis2`` (new axes) is ``D``'s last axis,
    zero elsewhere (autograd's inverse of ``diagonal``)."""
    if offset != 0:
        raise NotImplementedError("make_diagonal supports offset=0 only")
    n = shape(D)[-1]  # noqa: F405
    out = expand_dims(D, -1) * eye(n)  # noqa: F405  (..., n, n), symmetric in its last two axes
    nd = ndim(out)  # noqa: F405
    a1, a2 = axis1 % nd, axis2 % nd
    if {a1, a2} == {nd - 2, nd - 1}:
        return out
    return moveaxis(out, [nd - 2, nd - 1], [a1, a2])  # noqa: F405
