"""Matrix and tensor products, all built from the ``matmul`` primitive."""

from __future__ import annotations

from fad._prims import structural as st
from fad._prims.elementwise import mul
from fad._prims.linalg import matmul as _matmul2
from fad.numpy._util import coerce, normalize_axis
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape


def matmul(a, b):
    """Matrix product with NumPy's rules for 1-d operands and stacked matrices.

    >>> import fad.numpy as fnp
    >>> fnp.matmul(fnp.ones((2, 3)), fnp.ones(3))
    array([3., 3.])
    """
    a, b = coerce(a), coerce(b)
    na, nb = _ndim(a), _ndim(b)
    if na == 0 or nb == 0:
        raise ValueError("matmul: Input operand does not have enough dimensions (use * for scalars).")
    sa, sb = _shape(a), _shape(b)
    if sa[-1] != sb[-2 if nb > 1 else 0]:
        raise ValueError(f"matmul: shapes {sa} and {sb} are not aligned ({sa[-1]} != {sb[-2 if nb > 1 else 0]}).")
    if na == 1:
        a = st.reshape(a, (1,) + sa)
    if nb == 1:
        b = st.reshape(b, sb + (1,))
    out = _matmul2(a, b)
    if na == 1 or nb == 1:
        s = _shape(out)
        s = s[:-2] + (() if na == 1 else s[-2:-1]) + (() if nb == 1 else s[-1:])
        out = st.reshape(out, s)
    return out


def tensordot(a, b, axes=2):
    """Sum products over the given axes of ``a`` and ``b`` (as :func:`numpy.tensordot`)."""
    a, b = coerce(a), coerce(b)
    sa, sb = _shape(a), _shape(b)
    if isinstance(axes, int):
        ax_a = list(range(len(sa) - axes, len(sa)))
        ax_b = list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [normalize_axis(i, len(sa), "tensordot") for i in ([ax_a] if isinstance(ax_a, int) else ax_a)]
        ax_b = [normalize_axis(i, len(sb), "tensordot") for i in ([ax_b] if isinstance(ax_b, int) else ax_b)]
    if [sa[i] for i in ax_a] != [sb[i] for i in ax_b]:
        raise ValueError(f"tensordot: shape-mismatch for sum ({sa} over {ax_a}, {sb} over {ax_b}).")
    free_a = [i for i in range(len(sa)) if i not in ax_a]
    free_b = [i for i in range(len(sb)) if i not in ax_b]
    k = 1
    for i in ax_a:
        k *= sa[i]
    m = 1
    for i in free_a:
        m *= sa[i]
    n = 1
    for i in free_b:
        n *= sb[i]
    a2 = st.reshape(st.transpose(a, tuple(free_a + ax_a)), (m, k))
    b2 = st.reshape(st.transpose(b, tuple(ax_b + free_b)), (k, n))
    out = _matmul2(a2, b2)
    return st.reshape(out, tuple(sa[i] for i in free_a) + tuple(sb[i] for i in free_b))


def dot(a, b):
    """Dot product with :func:`numpy.dot`'s rules (scalars multiply; N-d sums over the
    last axis of ``a`` and the second-to-last of ``b``)."""
    a, b = coerce(a), coerce(b)
    na, nb = _ndim(a), _ndim(b)
    if na == 0 or nb == 0:
        return mul(a, b)
    if nb <= 2 and na <= 2:
        return matmul(a, b)
    return tensordot(a, b, ([na - 1], [max(nb - 2, 0)]))


def vdot(a, b):
    """Dot product of the flattened arrays (real inputs)."""
    a, b = coerce(a), coerce(b)
    return matmul(st.reshape(a, (_size(a),)), st.reshape(b, (_size(b),)))


def inner(a, b):
    """Inner product over the last axes."""
    a, b = coerce(a), coerce(b)
    if _ndim(a) == 0 or _ndim(b) == 0:
        return mul(a, b)
    return tensordot(a, b, ([-1], [-1]))


def outer(a, b):
    """Outer product of the flattened inputs."""
    a, b = coerce(a), coerce(b)
    return mul(st.reshape(a, (_size(a), 1)), st.reshape(b, (1, _size(b))))


def _size(x):
    n = 1
    for s in _shape(x):
        n *= s
    return n
