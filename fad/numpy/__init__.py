"""fad.numpy: NumPy's interface on values that fad can differentiate and batch.

Import it in place of NumPy (``import fad.numpy as np``). Functions accept NumPy arrays,
Python scalars, nested lists and fad's traced values; outside any transform they return
plain NumPy arrays, with NumPy's dtypes (float64 by default).

>>> import fad, fad.numpy as fnp
>>> fad.grad(lambda x: fnp.sum(fnp.tanh(x) ** 2))(fnp.zeros(3))
array([0., 0., 0.])
"""

from numpy import (  # noqa: F401 - dtypes and constants, exactly NumPy's
    bool_,
    complex64,
    complex128,
    dtype,
    e,
    float16,
    float32,
    float64,
    inf,
    int8,
    int16,
    int32,
    int64,
    nan,
    ndarray,
    newaxis,
    pi,
    uint8,
)

from fad.numpy import _interop, _methods  # noqa: F401 - install the traced-value operators
from fad.numpy._creation import (  # noqa: F401
    arange,
    array,
    asarray,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    identity,
    linspace,
    ones,
    ones_like,
    zeros,
    zeros_like,
)
from fad.numpy._indexing import nonzero  # noqa: F401
from fad.numpy._products import dot, inner, matmul, outer, tensordot, vdot  # noqa: F401
from fad.numpy._reductions import amax, amin, max, mean, min, sum  # noqa: F401
from fad.numpy._shape import (  # noqa: F401
    broadcast_to,
    concatenate,
    expand_dims,
    moveaxis,
    ndim,
    ravel,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    swapaxes,
    transpose,
)
from fad.numpy._ufuncs import (  # noqa: F401
    abs,
    absolute,
    add,
    cos,
    divide,
    equal,
    exp,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    positive,
    power,
    sign,
    sin,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    true_divide,
    where,
)
