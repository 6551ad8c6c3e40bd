"""Records for JAX's lax operations in fad.lax (fad._lax_ops): each under check_grads in both
modes, jacfwd == jacrev, vmap against a loop and jit against eager."""

from __future__ import annotations

import numpy as np

from fad import lax
from tests.records import Rec

_pos = (0.2, 0.9)  # inside every unary function's domain (acosh shifted below)

RECORDS = [
    Rec("lax.stop_gradient", lambda x: x * lax.stop_gradient(x), [(3,)], orders=0),  # (tests/test_lax_ops.py)
    Rec("lax.dynamic_slice", lambda x: lax.dynamic_slice(x, (1, -2), (2, 2)), [(3, 4)]),
    Rec("lax.dynamic_slice", lambda x: lax.dynamic_slice(x, (5,), (3,)), [(6,)], variant="clamped"),
    Rec(
        "lax.dynamic_update_slice",
        lambda x, u: lax.dynamic_update_slice(x, u, (1, 3)),
        [(3, 4), (2, 2)],
    ),
    Rec("lax.dynamic_slice_in_dim", lambda x: lax.dynamic_slice_in_dim(x, 1, 2, axis=1), [(2, 4)]),
    Rec("lax.dynamic_index_in_dim", lambda x: lax.dynamic_index_in_dim(x, -1, 0, False), [(3, 2)]),
    Rec(
        "lax.dynamic_update_slice_in_dim",
        lambda x, u: lax.dynamic_update_slice_in_dim(x, u, 2, axis=0),
        [(4, 2), (3, 2)],
    ),
    Rec(
        "lax.dynamic_update_index_in_dim",
        lambda x, u: lax.dynamic_update_index_in_dim(x, u, 1, 1),
        [(2, 3), (2,)],
    ),
    Rec("lax.slice", lambda x: lax.slice(x, (0, 1), (3, 4), (2, 2)), [(3, 4)]),
    Rec("lax.slice_in_dim", lambda x: lax.slice_in_dim(x, 1, None, 2, axis=1), [(2, 5)]),
    Rec("lax.index_in_dim", lambda x: lax.index_in_dim(x, 1, 1), [(2, 3)]),
    Rec("lax.pad", lambda x, v: lax.pad(x, v, [(1, -1, 2), (0, 2, 0)]), [(3, 2), ()]),
    Rec("lax.pad", lambda x: lax.pad(x, 0.0, [(-1, 1, 1)]), [(4,)], variant="crop"),
    Rec("lax.broadcast", lambda x: lax.broadcast(x, (2,)), [(3,)]),
    Rec("lax.broadcast_in_dim", lambda x: lax.broadcast_in_dim(x, (3, 2, 4), (0, 2)), [(3, 1)]),
    Rec("lax.reshape", lambda x: lax.reshape(x, (3, 2), (1, 0)), [(2, 3)]),
    Rec("lax.transpose", lambda x: lax.transpose(x, (1, 2, 0)), [(2, 3, 2)]),
    Rec("lax.expand_dims", lambda x: lax.expand_dims(x, (0, 2)), [(3,)]),
    Rec("lax.squeeze", lambda x: lax.squeeze(x, (1,)), [(3, 1)]),
    Rec("lax.rev", lambda x: lax.rev(x, (0, 1)), [(2, 3)]),
    Rec("lax.concatenate", lambda x, y: lax.concatenate([x, y], 1), [(2, 1), (2, 3)]),
    Rec("lax.full", lambda v: lax.full((2, 3), v), [()]),
    Rec("lax.full_like", lambda x, v: x * lax.full_like(x, v), [(3,), ()]),
    Rec("lax.iota", lambda x: x * lax.iota(np.float64, 3), [(3,)]),
    Rec(
        "lax.convert_element_type",  # (float32 and back: the cast's derivative in both directions)
        lambda x: lax.convert_element_type(lax.convert_element_type(x, np.float32), np.float64),
        [(3,)],
        atol=1e-3,
        rtol=1e-3,
    ),
    Rec("lax.sort", lambda x: lax.sort(x, 0), [(4, 2)]),
    Rec("lax.sort", lambda x, y: lax.sort((x, y), 0, True, 1)[1], [(4,), (4,)], variant="tuple"),
    Rec("lax.top_k", lambda x: lax.top_k(x, 2)[0], [(2, 4)]),
    Rec("lax.dot", lambda a, b: lax.dot(a, b), [(2, 3), (3,)]),
    Rec(
        "lax.dot_general",
        lambda a, b: lax.dot_general(a, b, (((2,), (1,)), ((0,), (0,)))),
        [(2, 3, 2), (2, 2, 4)],
    ),
    Rec(
        "lax.dot_general",
        lambda a, b: lax.dot_general(a, b, (((0,), (1,)), ((), ()))),
        [(3, 2), (4, 3)],
        variant="free",
    ),
    Rec("lax.reduce_sum", lambda x: lax.reduce_sum(x, (0, 2)), [(2, 3, 2)]),
    Rec("lax.reduce_prod", lambda x: lax.reduce_prod(x, (1,)), [(2, 3)]),
    Rec("lax.reduce_max", lambda x: lax.reduce_max(x, (1,)), [(2, 3)]),
    Rec("lax.reduce_min", lambda x: lax.reduce_min(x, (0,)), [(2, 3)]),
    Rec("lax.argmax", lambda x: x * lax.argmax(x, 0, np.int32), [(3,)]),
    Rec("lax.argmin", lambda x: x * lax.argmin(x, 0, np.int64), [(3,)]),
    Rec("lax.cumsum", lambda x: lax.cumsum(x, 1, reverse=True), [(2, 3)]),
    Rec("lax.cumprod", lambda x: lax.cumprod(x, 0), [(3, 2)]),
    Rec("lax.integer_pow", lambda x: lax.integer_pow(x, 3), [(3,)]),
    Rec("lax.clamp", lambda lo, x: lax.clamp(lo, x, 0.8), [(), (4,)]),
    *[
        Rec(f"lax.{name}", getattr(lax, name), [(3,)], domain=(0.2, 0.9) if name != "acosh" else (1.2, 2.0))
        for name in (
            "abs",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "cbrt",
            "conj",
            "cos",
            "cosh",
            "exp",
            "exp2",
            "expm1",
            "log",
            "log1p",
            "neg",
            "real",
            "sin",
            "sinh",
            "sqrt",
            "square",
            "tan",
            "tanh",
            "rsqrt",
            "logistic",
            "erf",
            "erfc",
            "erf_inv",
            "lgamma",
            "digamma",
        )
    ],
    *[
        Rec(f"lax.{name}", getattr(lax, name), [(3,)], orders=0)
        for name in ("ceil", "floor", "sign", "is_finite", "imag")
    ],
    *[
        Rec(f"lax.{name}", getattr(lax, name), [(3,), (3,)], domain=(0.2, 0.9))
        for name in ("add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2")
    ],
    *[
        Rec(f"lax.{name}", getattr(lax, name), [(3,), (3,)], orders=0)
        for name in ("nextafter", "eq", "ne", "lt", "le", "gt", "ge")
    ],
]
