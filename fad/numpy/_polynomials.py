"""NumPy's polynomial helpers on coefficient arrays, highest power first: ``polyval``,
``polyadd``, ``polysub``, ``polyder`` and ``polyint``, written as composites of fad.numpy
functions (so they differentiate in the coefficients and in ``x``)."""

from __future__ import annotations

import numpy as np

from fad.numpy._creation import asarray, zeros, zeros_like
from fad.numpy._joining import concatenate
from fad.numpy._numerical_ranges import arange
from fad.numpy._shape_manipulation import atleast_1d, reshape


def polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) at ``x``, by Horner's rule.

    >>> import fad.numpy as fnp
    >>> fnp.polyval(fnp.array([1.0, 0.0, -2.0]), fnp.array([0.0, 2.0]))
    array([-2.,  2.])
    """
    p, x = asarray(p), asarray(x)
    y = zeros_like(x)
    for k in range(p.shape[0]):
        y = y * x + p[k]
    return y


def _pad_front(a, n):
    return concatenate([zeros(n, a.dtype), a]) if n else a


def polyadd(a1, a2):
    """The sum of two polynomials (coefficients highest power first).

    >>> import fad.numpy as fnp
    >>> fnp.polyadd(fnp.array([1.0, 2.0]), fnp.array([3.0, 0.0, 1.0]))
    array([3., 1., 3.])
    """
    a1, a2 = atleast_1d(asarray(a1)), atleast_1d(asarray(a2))
    n1, n2 = a1.shape[0], a2.shape[0]
    return _pad_front(a1, max(n2 - n1, 0)) + _pad_front(a2, max(n1 - n2, 0))


def polysub(a1, a2):
    """The difference of two polynomials (coefficients highest power first).

    >>> import fad.numpy as fnp
    >>> fnp.polysub(fnp.array([1.0, 2.0]), fnp.array([3.0, 0.0, 1.0]))
    array([-3.,  1.,  1.])
    """
    a1, a2 = atleast_1d(asarray(a1)), atleast_1d(asarray(a2))
    n1, n2 = a1.shape[0], a2.shape[0]
    return _pad_front(a1, max(n2 - n1, 0)) - _pad_front(a2, max(n1 - n2, 0))


def polyder(p, m=1):
    """The ``m``-th derivative of a polynomial (coefficients highest power first).

    >>> import fad.numpy as fnp
    >>> fnp.polyder(fnp.array([1.0, 1.0, 1.0, 1.0]), 2)
    array([6., 2.])
    """
    m = int(m)
    if m < 0:
        raise ValueError(f"polyder: the order of the derivative must be non-negative, got {m} (see polyint).")
    p = asarray(p)
    for _ in range(m):
        n = p.shape[0] - 1
        p = p[:-1] * arange(n, 0, -1)
    return p


def polyint(p, m=1, k=None):
    """The ``m``-th antiderivative of a polynomial, with integration constants ``k`` (a
    scalar, or one per order, the first used first; zeros by default).

    >>> import fad.numpy as fnp
    >>> fnp.polyint(fnp.array([3.0, 2.0]), k=5.0)
    array([1.5, 2. , 5. ])
    """
    m = int(m)
    if m < 0:
        raise ValueError(f"polyint: the order of the integral must be non-negative, got {m} (see polyder).")
    k = atleast_1d(asarray(np.zeros(m) if k is None else k))
    if k.shape[0] == 1 and m > 1:
        k = concatenate([k] * m)
    if k.shape[0] < m:
        raise ValueError(f"polyint: k must be a scalar or a 1-d array of length 1 or at least m = {m}.")
    p = asarray(p)
    for j in range(m):
        p = concatenate([p / arange(p.shape[0], 0, -1), reshape(k[j], (1,))])
    return p
