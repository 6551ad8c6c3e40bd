# mypy: allow-redefinition-new, local-partial-types
"""Mathematical functions (NumPy's "Mathematical functions"), elementwise: trigonometric,
hyperbolic, rounding, exponents and logarithms, arithmetic, complex numbers and the
miscellaneous ones. Each is one primitive (its derivative lives in ``fad._prims``) or a
short composite of them. Sums and products, extrema and ``interp`` have their own modules."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as ew
from fad import _prims as m
from fad._core import bind
from fad._structural import astype
from fad.numpy._util import binary, coerce, is_traced, unary

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

# ------------------------------------------------------------ trigonometric functions


sin = unary(
    ew.sin_p,
    "sin",
    "Elementwise sine.\n\n>>> import fad, fad.numpy as fnp\n>>> fad.grad(fnp.sin)(0.0)\nnp.float64(1.0)",
)

cos = unary(ew.cos_p, "cos", "Elementwise cosine.")
tan = unary(ew.tan_p, "tan", "Elementwise tangent.")
arcsin = unary(m.arcsin_p, "arcsin", "Elementwise inverse sine.")
arccos = unary(m.arccos_p, "arccos", "Elementwise inverse cosine.")

arctan = unary(
    m.arctan_p,
    "arctan",
    "Elementwise inverse tangent.\n\n>>> import fad, fad.numpy as fnp\n>>> fad.grad(fnp.arctan)(1.0)\n"
    "np.float64(0.5)",
)

hypot = binary(m.hypot_p, "hypot", "``sqrt(x1**2 + x2**2)`` without overflow; derivative 0 at the origin.")

arctan2 = binary(m.arctan2_p, "arctan2", "Angle of the point ``(x2, x1)``; derivative 0 at the origin.")

_D2R = math.pi / 180.0


def _dtype(x: Any) -> Any:
    return x.dtype if hasattr(x, "dtype") else np.result_type(x)


def _astype(x: Any, dt: Any) -> Any:
    if hasattr(x, "dtype"):
        return astype(x, dt)
    return np.asarray(x, dt)


def _ufunc_float(x: Any, ufunc: np.ufunc) -> Any:
    """``x`` cast to the float dtype NumPy's ``ufunc`` computes in (bool and int8 give
    float16, int16 float32, wider integers float64; floats stay)."""
    dt = ufunc(np.zeros((), _dtype(x))).dtype
    return x if _dtype(x) == dt else _astype(x, dt)


def _scalar(out: Any) -> Any:
    """NumPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def deg2rad(x: ArrayLike) -> Array:
    """Degrees to radians, `x * pi / 180`.

    Args:
        x: Input array.

    Returns:
        The angles in radians.
    """
    return _scalar(ew.mul(_ufunc_float(coerce(x), np.deg2rad), _D2R))


_R2D = 180.0 / math.pi


def rad2deg(x: ArrayLike) -> Array:
    """Radians to degrees, `x * 180 / pi`.

    Args:
        x: Input array.

    Returns:
        The angles in degrees.
    """
    return _scalar(ew.mul(_ufunc_float(coerce(x), np.rad2deg), _R2D))


degrees = rad2deg
radians = deg2rad

# --------------------------------------------------------------- hyperbolic functions

sinh = unary(m.sinh_p, "sinh", "Elementwise hyperbolic sine.")
cosh = unary(m.cosh_p, "cosh", "Elementwise hyperbolic cosine.")
tanh = unary(ew.tanh_p, "tanh", "Elementwise hyperbolic tangent.")
arcsinh = unary(m.arcsinh_p, "arcsinh", "Elementwise inverse hyperbolic sine.")
arccosh = unary(m.arccosh_p, "arccosh", "Elementwise inverse hyperbolic cosine.")
arctanh = unary(m.arctanh_p, "arctanh", "Elementwise inverse hyperbolic tangent.")

# --------------------------------------------------------- rounding (zero derivative)


def round(a: ArrayLike, decimals: int = 0) -> Array:  # noqa: A001 - mirrors numpy.round
    """Round to `decimals` decimals, ties to even (zero derivative).

    Args:
        a: Input array.
        decimals: Number of decimals to round to (negative: to the left of the point).

    Returns:
        The rounded array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.round(fnp.array([0.5, 1.5, 2.675]), 1)
        array([0.5, 1.5, 2.7])
    """
    return bind(m.round_p, coerce(a), decimals=int(decimals))


around = round
rint = unary(m.rint_p, "rint", "Round to the nearest integer, ties to even (zero derivative).")
fix = unary(m.fix_p, "fix", "Round toward zero (zero derivative).")
floor = unary(m.floor_p, "floor", "Elementwise floor (zero derivative).")
ceil = unary(m.ceil_p, "ceil", "Elementwise ceiling (zero derivative).")
trunc = unary(m.trunc_p, "trunc", "Round toward zero (zero derivative).")

# ----------------------------------------------------------- exponents and logarithms

exp = unary(ew.exp_p, "exp", "Elementwise exponential.")

expm1 = unary(
    m.expm1_p,
    "expm1",
    "Elementwise ``exp(x) - 1``, accurate for small ``x``.\n\n>>> import fad.numpy as fnp\n"
    ">>> float(fnp.expm1(1e-10))\n1.00000000005e-10",
)

exp2 = unary(m.exp2_p, "exp2", "Elementwise ``2 ** x``.")
log = unary(ew.log_p, "log", "Elementwise natural logarithm.")
log10 = unary(m.log10_p, "log10", "Elementwise base-10 logarithm.")
log2 = unary(m.log2_p, "log2", "Elementwise base-2 logarithm.")
log1p = unary(m.log1p_p, "log1p", "Elementwise ``log(1 + x)``, accurate for small ``x``.")

logaddexp = binary(
    m.logaddexp_p,
    "logaddexp",
    "``log(exp(x1) + exp(x2))`` without overflow; the derivative never is NaN for finite or "
    "infinite inputs.\n\n>>> import fad, fad.numpy as fnp\n"
    ">>> fad.grad(lambda x: fnp.logaddexp(0.0, x))(1000.0)  # softplus'\nnp.float64(1.0)",
)

logaddexp2 = binary(m.logaddexp2_p, "logaddexp2", "``log2(2**x1 + 2**x2)`` without overflow.")

# ------------------------------------------------------------ other special functions


sinc = unary(
    m.sinc_p,
    "sinc",
    "Normalized sinc, ``sin(pi x) / (pi x)``; smooth at 0 to every order.\n\n"
    ">>> import fad, fad.numpy as fnp\n>>> fad.grad(fnp.sinc)(0.0)\nnp.float64(0.0)",
)

# ------------------------------------------------------------ floating point routines

signbit = unary(m.signbit_p, "signbit", "Elementwise: is the sign bit set (bool result).")

copysign = binary(m.copysign_p, "copysign", "``|x1|`` with the sign of ``x2`` (zero derivative in ``x2``).")

# -------------------------------------------------------------- arithmetic operations

add = binary(ew.add_p, "add", "Elementwise ``x + y``.")

reciprocal = unary(
    m.reciprocal_p, "reciprocal", "Elementwise ``1 / x`` (integer division for integers, as NumPy)."
)


def _is_bool(x: Any) -> Any:
    return (x.dtype if hasattr(x, "dtype") else np.result_type(x)) == np.bool_


def positive(x: ArrayLike) -> Array:
    """Elementwise `+x`.

    Args:
        x: Input array.

    Returns:
        `x` itself (a copy for a NumPy array).
    """
    x = coerce(x)
    if _is_bool(x):
        raise TypeError("The numpy boolean positive, the `+` operator, is not supported (as NumPy).")
    return x


negative = unary(ew.neg_p, "negative", "Elementwise ``-x``.")
multiply = binary(ew.mul_p, "multiply", "Elementwise ``x * y``.")
divide = binary(ew.div_p, "divide", "Elementwise ``x / y`` (true division).")
power = binary(ew.pow_p, "power", "Elementwise ``x ** y``.")
subtract = binary(ew.sub_p, "subtract", "Elementwise ``x - y``.")
true_divide = divide
floor_divide = binary(m.floor_divide_p, "floor_divide", "``x1 // x2`` (zero derivative).")


def float_power(x1: ArrayLike, x2: ArrayLike) -> Array:
    """`x1 ** x2` computed in at least float64 (as NumPy's `float_power`).

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.

    Returns:
        `x1 ** x2` in float64 (or complex128), elementwise.
    """
    x1, x2 = coerce(x1), coerce(x2)
    dt = np.result_type(np.float64, _dtype(x1), _dtype(x2))
    return ew.pow(_astype(x1, dt), _astype(x2, dt))


fmod = binary(m.fmod_p, "fmod", "C's ``fmod`` (sign of ``x1``). Derivatives 1 and ``-trunc(x1/x2)``.")

remainder = binary(
    m.remainder_p,
    "remainder",
    "Python's ``x1 % x2`` (sign of ``x2``). Derivatives: 1 for ``x1``, ``-floor(x1/x2)`` for "
    "``x2``.\n\n>>> import fad, fad.numpy as fnp\n>>> fad.grad(fnp.mod, argnums=1)(7.0, 2.0)\n"
    "np.float64(-3.0)",
)

mod = remainder

# ----------------------------------------------------------- handling complex numbers


def _traced_real(x: Any) -> Any:
    return is_traced(x) and x.dtype.kind != "c"


def real(val: ArrayLike) -> Array:
    """Real part: the identity on real arrays.

    Args:
        val: Input array.

    Returns:
        The real part.
    """
    val = coerce(val)
    return val if _traced_real(val) else bind(m.real_p, val)


def imag(val: ArrayLike) -> Array:
    """Imaginary part: zeros (with zero derivative) on real arrays.

    Args:
        val: Input array.

    Returns:
        The imaginary part.
    """
    val = coerce(val)
    if _traced_real(val):
        return ew.where(False, val, np.zeros((), val.dtype))
    return bind(m.imag_p, val)


def conjugate(x: ArrayLike) -> Array:
    """Complex conjugate: the identity on real arrays.

    Args:
        x: Input array.

    Returns:
        The complex conjugate.
    """
    x = coerce(x)
    return x if _traced_real(x) else bind(m.conj_p, x)


conj = conjugate


def angle(z: ArrayLike, deg: int = False) -> Array:
    """The angle of each complex `z` from the positive real axis, `arctan2(imag, real)`,
    in radians (degrees with `deg=True`); 0 or pi on real arrays (zero derivative).

    Args:
        z: Input array of complex numbers.
        deg: Whether to return the angle in degrees (else radians).

    Returns:
        The angles, real.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(fnp.angle)(1 + 1j)  # d/dx - i d/dy of atan2(y, x) at (1, 1)
        np.complex128(-0.5-0.5j)
    """
    z = coerce(z)
    dt = _dtype(z)
    if dt.kind == "c":
        a = m.arctan2(imag(z), real(z))
    else:
        z = _astype(z, np.angle(np.zeros((), dt)).dtype)  # integers: float64
        a = m.arctan2(np.zeros((), _dtype(z)), z)
    return a * (180.0 / math.pi) if deg else a


def iscomplexobj(x: ArrayLike) -> bool:
    """Whether `x` has a complex dtype (a Python bool; traced values have a dtype too).

    Args:
        x: Input array.

    Returns:
        Whether `x` has a complex dtype.
    """
    return bool(_dtype(coerce(x)).kind == "c")


def isrealobj(x: ArrayLike) -> bool:
    """Whether `x` does not have a complex dtype.

    Args:
        x: Input array.

    Returns:
        Whether `x` does not have a complex dtype.
    """
    return not iscomplexobj(x)


def iscomplex(x: ArrayLike) -> Array:
    """Elementwise: whether the imaginary part is nonzero (False on real arrays).

    Args:
        x: Input array.

    Returns:
        A boolean array shaped like `x`.
    """
    x = coerce(x)
    if _dtype(x).kind != "c":
        return np.zeros(np.shape(x) if not hasattr(x, "shape") else x.shape, bool)
    return ew.ne(imag(x), 0)


def isreal(x: ArrayLike) -> Array:
    """Elementwise: whether the imaginary part is zero (True on real arrays).

    Args:
        x: Input array.

    Returns:
        A boolean array shaped like `x`.
    """
    x = coerce(x)
    if _dtype(x).kind != "c":
        return np.ones(np.shape(x) if not hasattr(x, "shape") else x.shape, bool)
    return ew.eq(imag(x), 0)


def real_if_close(a: ArrayLike, tol: float = 100) -> Array:
    """The real part of a complex `a` whose imaginary parts are all within `tol`
    machine epsilons of zero (`tol` above 1), else `a`. The choice reads the values,
    so under `vmap` it needs them concrete, as Python control flow does.

    Args:
        a: Input array.
        tol: Tolerance, in machine epsilons (or absolute if below 1).

    Returns:
        The real part, or `a` unchanged.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.real_if_close(fnp.array([1.0 + 1e-16j, 2.0]))
        array([1., 2.])
    """
    a = coerce(a)
    dt = _dtype(a)
    if dt.kind != "c":
        return a
    if tol > 1:
        tol = np.finfo(dt).eps * tol
    size = a.size if hasattr(a, "size") else np.size(a)
    nd = a.ndim if hasattr(a, "ndim") else np.ndim(a)
    close = size == 0 or bool(m.reductions.reduce_max(ew.abs(imag(a)), axes=tuple(range(nd))) < tol)
    return real(a) if close else a


# ---------------------------------------------------------------------- miscellaneous


_CLIP_WITHOUT_BOUNDS = np.lib.NumpyVersion(np.__version__) >= "2.1.0"  # as the installed NumPy


def clip(
    a: ArrayLike,
    a_min: ArrayLike | None = None,
    a_max: ArrayLike | None = None,
    *,
    min: ArrayLike | None = None,
    max: ArrayLike | None = None,
) -> Array:  # noqa: A002 - NumPy's names
    """Limit `a` to `[a_min, a_max]` (`minimum(maximum(a, a_min), a_max)`).

    At a bound the derivative is split evenly between `a` and that bound (JAX's
    convention, from `maximum`/`minimum`); strictly inside it is 1, outside 0.

    Args:
        a: Input array.
        a_min: Lower bound (None: no lower bound).
        a_max: Upper bound (None: no upper bound).
        min: The array API's name for `a_min`.
        max: The array API's name for `a_max`.

    Returns:
        The clipped array.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fad.grad(lambda x: fnp.clip(x, 0.0, 1.0).sum())(fnp.array([-1.0, 0.5, 2.0]))
        array([0., 1., 0.])
    """
    if min is not None:
        a_min = min
    if max is not None:
        a_max = max
    out = coerce(a)
    if a_min is None and a_max is None:
        if not _CLIP_WITHOUT_BOUNDS:
            raise ValueError("clip: give at least one of a_min / a_max (min= / max=).")
        return out if is_traced(out) else np.clip(out)  # NumPy >= 2.1: a copy of ``a``
    if a_min is not None:
        out = ew.maximum(out, coerce(a_min))
    if a_max is not None:
        out = ew.minimum(out, coerce(a_max))
    return out


sqrt = unary(ew.sqrt_p, "sqrt", "Elementwise square root (derivative ``inf`` at 0).")
cbrt = unary(m.cbrt_p, "cbrt", "Elementwise real cube root (derivative ``inf`` at 0).")


def square(x: ArrayLike) -> Array:
    """Elementwise `x * x` (booleans square to int8, as NumPy).

    Args:
        x: Input array.

    Returns:
        `x * x`, elementwise.
    """
    x = coerce(x)
    if _is_bool(x):
        x = astype(x, np.int8)
    return bind(ew.mul_p, x, x)


absolute = unary(ew.abs_p, "absolute", "Elementwise ``|x|``; derivative ``sign(x)`` (0 at 0).")
abs = absolute  # noqa: A001


def fabs(x: ArrayLike) -> Array:
    """Elementwise `|x|` as a float (integers give float64, as NumPy).

    Args:
        x: Input array.

    Returns:
        The absolute values, floats.
    """
    x = coerce(x)
    dt = np.fabs(np.zeros((), _dtype(x))).dtype
    return _scalar(_astype(ew.abs(x), dt))


sign = unary(ew.sign_p, "sign", "Elementwise sign (zero derivative).")

heaviside = binary(
    m.heaviside_p,
    "heaviside",
    "Step function: 0, ``x2`` or 1 for ``x1`` <0, ==0, >0 (derivative in ``x2`` only).",
)


def nan_to_num(
    x: ArrayLike,
    copy: bool | None = True,
    nan: ArrayLike = 0.0,
    posinf: ArrayLike | None = None,
    neginf: ArrayLike | None = None,
) -> Array:
    """Replace NaN by `nan` and +-inf by `posinf`/`neginf` (default: the largest finite
    values of the dtype). The derivative is 1 at finite entries and 0 at replaced ones.

    Args:
        x: Input array.
        copy: Accepted for NumPy compatibility (the result is a new array).
        nan: Value that replaces NaN.
        posinf: Value that replaces +inf (default: the largest finite value of the dtype).
        neginf: Value that replaces -inf (default: the most negative finite value of the dtype).

    Returns:
        `x` with NaNs and infinities replaced.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.nan_to_num(fnp.array([1.0, fnp.nan, -fnp.inf]))
        array([ 1.00000000e+000,  0.00000000e+000, -1.79769313e+308])
    """
    x = coerce(x)
    if not is_traced(x):
        x = np.asarray(x)  # NumPy: a 0-d input gives a NumPy scalar, others an array
    dt = _dtype(x)
    if dt.kind not in "fc":
        return _scalar(x)
    if dt.kind == "c":  # the real and imaginary parts separately, as NumPy
        parts = [nan_to_num(p, copy, nan, posinf, neginf) for p in (real(x), imag(x))]
        return _scalar(ew.add(_astype(parts[0], dt), ew.mul(parts[1], 1j)))
    info = np.finfo(dt)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    out = ew.where(m.isnan(x), np.asarray(nan, dt), x)
    out = ew.where(m.logical_and(m.isinf(x), ew.gt(x, 0)), np.asarray(posinf, dt), out)
    return _scalar(ew.where(m.logical_and(m.isinf(x), ew.lt(x, 0)), np.asarray(neginf, dt), out))


# ------------------------------------------------ arithmetic with two results, and bits


def modf(x: ArrayLike) -> tuple[Array, Array]:
    """The fractional and integral parts of `x`, both with its sign. The derivative is 1 for
    the fractional part and 0 for the integral part.

    Args:
        x: Input array.

    Returns:
        A tuple `(fractional part, integral part)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.modf(fnp.array([2.5, -1.25]))
        (array([ 0.5 , -0.25]), array([ 2., -1.]))
    """
    x = coerce(x)
    inf = m.isinf(x)
    finite = ew.select(inf, 0.0, x)
    whole = ew.select(inf, x, m.trunc(finite))
    frac = ew.select(inf, m.copysign(0.0, x), ew.sub(finite, m.trunc(finite)))
    return _scalar(frac), _scalar(whole)


def divmod(x1: ArrayLike, x2: ArrayLike) -> tuple[Array, Array]:  # noqa: A001 - mirrors numpy.divmod
    """`(x1 // x2, x1 % x2)`: `floor_divide` and `remainder` together.

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.

    Returns:
        A tuple `(x1 // x2, x1 % x2)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.divmod(fnp.array([7.0, -7.0]), 2.0)
        (array([ 3., -4.]), array([1., 1.]))
    """
    return floor_divide(x1, x2), remainder(x1, x2)


def _times_power_of_two(x: Any, e: Any) -> Any:
    """``x * 2**e`` exactly (``e`` integer), in two steps so that ``2**e`` never overflows
    where the product does not."""
    half = m.floor_divide(e, 2)
    dt = np.result_type(_dtype(x), np.float16) if _dtype(x).kind != "c" else _dtype(x)
    two = np.asarray(2.0, dt if dt.kind == "f" else np.float64)
    return ew.mul(
        ew.mul(x, ew.pow(two, _astype(half, two.dtype))), ew.pow(two, _astype(ew.sub(e, half), two.dtype))
    )


def frexp(x: ArrayLike) -> tuple[Array, Array]:
    """Mantissa and exponent: `x == mantissa * 2**exponent` with `0.5 <= |mantissa| < 1`
    (`int32` exponents, as NumPy). The mantissa's derivative is `2**-exponent`.

    Args:
        x: Input array.

    Returns:
        A tuple `(mantissa, exponent)`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.frexp(fnp.array([3.0, -0.1]))
        (array([ 0.75, -0.8 ]), array([ 2, -3], dtype=int32))
        >>> fad.grad(lambda x: fnp.frexp(x)[0])(3.0)
        np.float64(0.25)
    """
    x = coerce(x)
    if _dtype(x).kind not in "fb" and _dtype(x).kind not in "iu":
        raise TypeError(f"frexp: expected a real array, got dtype {_dtype(x)}.")
    if _dtype(x).kind != "f":
        x = _astype(x, np.result_type(_dtype(x), np.float16))
    e = m.frexp_exponent(x)
    mant = ew.select(m.isfinite(x), _times_power_of_two(x, ew.neg(e)), x)
    return _scalar(mant), _scalar(e)


def ldexp(x1: ArrayLike, x2: ArrayLike) -> Array:
    """`x1 * 2**x2` for integer `x2`, exactly; differentiable in `x1`.

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.

    Returns:
        `x1 * 2**x2`, elementwise.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.ldexp(fnp.array([0.75, 1.0]), fnp.array([2, -1]))
        array([3. , 0.5])
    """
    x1, x2 = coerce(x1), coerce(x2)
    if _dtype(x2).kind not in "iub":
        raise TypeError(f"ldexp: the exponents x2 must be integers, got dtype {_dtype(x2)}.")
    if _dtype(x1).kind != "f":
        x1 = _astype(x1, np.result_type(_dtype(x1), np.float16))
    return _scalar(_times_power_of_two(x1, _astype(x2, np.int64)))


nextafter = binary(
    m.nextafter_p,
    "nextafter",
    "The next float after ``x1`` towards ``x2`` (zero derivative).\n\n>>> import fad.numpy as fnp\n"
    ">>> float(fnp.nextafter(1.0, 2.0) - 1.0) == float(fnp.spacing(1.0))\nTrue",
)
spacing = unary(
    m.spacing_p,
    "spacing",
    "The distance from ``x`` to the next float away from 0 (zero derivative).\n\n"
    ">>> import fad.numpy as fnp\n>>> fnp.spacing(1.0) == fnp.finfo(float).eps\nnp.True_",
)


# ------------------------------------------------------------------ Bessel function I0


def _i0_series(x: Any, terms: Any = 40) -> Any:
    q = ew.mul(ew.mul(x, x), 0.25)
    term = s = 1.0
    for k in range(1, terms):
        term = ew.mul(term, ew.div(q, float(k * k)))
        s = ew.add(s, term)
    return s


def _i0_asymptotic(x: Any, terms: Any = 30) -> Any:
    inv = ew.div(0.125, x)
    term = a = 1.0
    for k in range(1, terms):
        term = ew.mul(term, ew.mul(inv, (2 * k - 1) ** 2 / k))
        a = ew.add(a, term)
    return ew.mul(ew.div(ew.exp(x), ew.sqrt(ew.mul(x, 2 * math.pi))), a)


_I0_SWITCH = 17.0


def i0(x: ArrayLike) -> Array:
    """The modified Bessel function of the first kind of order 0, `I0(x)`, with its
    derivatives to every order (`I0' = I1`). Computed by its power series `sum (x²/4)^k /
    (k!)²` for `|x| <= 17` and by its asymptotic expansion `e^x / sqrt(2 pi x) (1 + 1/(8x)
    + 9/(2 (8x)²) + ...)` beyond, both to about 1e-15 relative accuracy.

    Args:
        x: Input array.

    Returns:
        `I0(x)`, elementwise.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.i0(fnp.array([0.0, 1.0]))
        array([1.       , 1.26606588])
        >>> float(fad.grad(fnp.i0)(1.0))  # I1(1)
        0.565159103992485
    """
    x = coerce(x)
    if _dtype(x).kind == "c":
        raise TypeError("i0: complex values are not supported (as NumPy).")
    if _dtype(x).kind != "f":
        x = _astype(x, np.float64)
    ax = ew.abs(x)
    small = ew.le(ax, _I0_SWITCH)
    series = _i0_series(ew.select(small, x, 0.0))
    far = _i0_asymptotic(ew.select(small, 2 * _I0_SWITCH, ax))
    out = ew.select(small, series, far)
    return out if is_traced(out) else np.asarray(out)  # a 0-d array for a scalar, as NumPy
