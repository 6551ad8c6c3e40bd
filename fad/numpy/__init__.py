"""fad.numpy: NumPy's interface on values that fad can differentiate and batch.

Import it in place of NumPy (``import fad.numpy as np``). Functions accept NumPy arrays,
Python scalars, nested lists and fad's traced values; outside any transform they return
NumPy arrays, with NumPy's dtypes (float64 by default). The creation functions return
:class:`Array`, a NumPy array that also has JAX's ``x.at[idx].set(v)``.

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

from fad.numpy import (  # noqa: F401 - install the traced-value operators
    _interop,
    _methods,
    fft,
    linalg,
)
from fad.numpy._adding_removing import (  # noqa: F401
    append,
    delete,
    insert,
    pad,
)
from fad.numpy._building_matrices import (  # noqa: F401
    diag,
    diagflat,
    tri,
    tril,
    triu,
    vander,
)
from fad.numpy._creation import (  # noqa: F401
    array,
    asarray,
    copy,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    identity,
    ones,
    ones_like,
    zeros,
    zeros_like,
)
from fad.numpy._extrema import (  # noqa: F401
    amax,
    amin,
    fmax,
    fmin,
    max,
    maximum,
    min,
    minimum,
    nanmax,
    nanmin,
)
from fad.numpy._indexing import (  # noqa: F401
    at,
    diag_indices,
    diag_indices_from,
    diagonal,
    indices,
    nonzero,
    select,
    take,
    take_along_axis,
    tril_indices,
    tril_indices_from,
    triu_indices,
    triu_indices_from,
    where,
)
from fad.numpy._interpolation import (  # noqa: F401
    interp,
)
from fad.numpy._joining import (  # noqa: F401
    block,
    column_stack,
    concatenate,
    dstack,
    hstack,
    row_stack,
    stack,
    vstack,
)
from fad.numpy._linear_algebra import (  # noqa: F401
    dot,
    einsum,
    inner,
    kron,
    matmul,
    matvec,
    outer,
    tensordot,
    trace,
    vdot,
    vecdot,
    vecmat,
)
from fad.numpy._logic import (  # noqa: F401
    all,
    allclose,
    any,
    array_equal,
    array_equiv,
    equal,
    greater,
    greater_equal,
    isclose,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
)
from fad.numpy._math import (  # noqa: F401
    abs,
    absolute,
    add,
    angle,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    around,
    cbrt,
    ceil,
    clip,
    conj,
    conjugate,
    copysign,
    cos,
    cosh,
    deg2rad,
    degrees,
    divide,
    exp,
    exp2,
    expm1,
    fabs,
    fix,
    float_power,
    floor,
    floor_divide,
    fmod,
    heaviside,
    hypot,
    imag,
    iscomplex,
    iscomplexobj,
    isreal,
    isrealobj,
    log,
    log1p,
    log2,
    log10,
    logaddexp,
    logaddexp2,
    mod,
    multiply,
    nan_to_num,
    negative,
    positive,
    power,
    rad2deg,
    radians,
    real,
    real_if_close,
    reciprocal,
    remainder,
    rint,
    round,
    sign,
    signbit,
    sin,
    sinc,
    sinh,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    true_divide,
    trunc,
)
from fad.numpy._numerical_ranges import (  # noqa: F401
    arange,
    geomspace,
    linspace,
    logspace,
    meshgrid,
)
from fad.numpy._polynomials import (  # noqa: F401
    polyadd,
    polyder,
    polyint,
    polysub,
    polyval,
)
from fad.numpy._rearranging import (  # noqa: F401
    flip,
    fliplr,
    flipud,
    roll,
    rot90,
)
from fad.numpy._shape_manipulation import (  # noqa: F401
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_arrays,
    broadcast_to,
    expand_dims,
    matrix_transpose,
    moveaxis,
    ndim,
    ravel,
    reshape,
    rollaxis,
    shape,
    size,
    squeeze,
    swapaxes,
    transpose,
)
from fad.numpy._sorting_searching import (  # noqa: F401
    argmax,
    argmin,
    argsort,
    argwhere,
    count_nonzero,
    flatnonzero,
    nanargmax,
    nanargmin,
    searchsorted,
    sort,
    sort_complex,
)
from fad.numpy._splitting import (  # noqa: F401
    array_split,
    dsplit,
    hsplit,
    split,
    unstack,
    vsplit,
)
from fad.numpy._statistics import (  # noqa: F401
    average,
    corrcoef,
    cov,
    digitize,
    mean,
    median,
    nanmean,
    nanstd,
    nanvar,
    percentile,
    ptp,
    quantile,
    std,
    var,
)
from fad.numpy._sums_products_differences import (  # noqa: F401
    cross,
    cumprod,
    cumsum,
    cumulative_prod,
    cumulative_sum,
    diff,
    ediff1d,
    nancumprod,
    nancumsum,
    nanprod,
    nansum,
    prod,
    sum,
    trapezoid,
)
from fad.numpy._tiling import (  # noqa: F401
    repeat,
    tile,
)

# NumPy 2's array-API spellings of existing functions
acos, asin, atan, acosh, asinh, atanh = arccos, arcsin, arctan, arccosh, arcsinh, arctanh
atan2 = arctan2
concat = concatenate
pow = power  # noqa: A001
permute_dims = transpose

# The creation functions return NumPy arrays with JAX's ``.at`` (fad.numpy._array); fad's
# own modules import the plain ones from fad.numpy._creation.
from fad.numpy._array import Array, returning_arrays  # noqa: E402, F401

for _name in (
    "arange",
    "array",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "identity",
    "linspace",
    "logspace",
    "geomspace",
    "ones",
    "ones_like",
    "zeros",
    "zeros_like",
):
    globals()[_name] = returning_arrays(globals()[_name])
del returning_arrays, _name
