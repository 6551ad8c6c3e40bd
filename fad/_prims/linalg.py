"""Matrix products. ``matmul`` is the one primitive; ``dot``, ``tensordot``, ``outer`` and
friends in ``fad.numpy`` are built from it with reshapes and transposes.
"""

from __future__ import annotations

import numpy as np

from fad._core import Primitive, bind
from fad._prims.structural import shape_of, transpose, unbroadcast
from fad._rules import align_batched


def _swap_last(x):
    nd = len(shape_of(x))
    return transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


# matmul of operands with at least two axes each (fad.numpy.matmul handles 1-d ones).
matmul_p = Primitive("matmul", np.matmul)


def _matmul_jvp(primals, tangents):
    a, b = primals
    ta, tb = tangents
    out = matmul(a, b)
    t = None
    if ta is not None:
        t = matmul(ta, b)
    if tb is not None:
        tb_term = matmul(a, tb)
        t = tb_term if t is None else t + tb_term
    return out, t


def _matmul_vjp(ct, ans, primals, wants):
    a, b = primals
    ct_a = unbroadcast(matmul(ct, _swap_last(b)), shape_of(a)) if wants[0] else None
    ct_b = unbroadcast(matmul(_swap_last(a), ct), shape_of(b)) if wants[1] else None
    return ct_a, ct_b


def _matmul_batch(vals, bdims):
    return matmul(*align_batched(vals, bdims)), 0


matmul_p.jvp = _matmul_jvp
matmul_p.vjp = _matmul_vjp
matmul_p.batch = _matmul_batch


def matmul(a, b):
    return bind(matmul_p, a, b)
