"""Complex variants of the records of every complex-capable function of the other record
modules (complex linear algebra and the FFT keep their own): the same function, domain
and checks, with an imaginary part added to every float argument. tests/test_op_records.py
runs them through check_grads (complex finite differences, the adjoint identity with the
pairing Re(sum(ct * t))), jacfwd == jacrev (in real coordinates, and with
holomorphic=True where the function is holomorphic), vmap against a loop and jet.
"""

import importlib
import pkgutil

import attrs
import numpy as np

import fad.numpy as fnp
import tests.records as records
from tests.records import Rec

#: Holomorphic in their complex arguments (complex-differentiable: polynomials, exp, log,
#: the trigonometric family away from its branch cuts, linear maps, piecewise selections).
HOLOMORPHIC = set(
    """add subtract multiply divide true_divide power pow float_power negative positive square
    reciprocal exp exp2 expm1 log log2 log10 log1p sqrt sin cos tan arcsin arccos arctan sinh
    cosh tanh arcsinh arccosh arctanh asin acos atan asinh acosh atanh sinc sum mean prod
    cumsum cumprod cumulative_sum cumulative_prod nansum nanprod nancumsum nancumprod nanmean
    average max min amax amin nanmax nanmin maximum minimum sort where select reshape ravel
    transpose moveaxis swapaxes rollaxis broadcast_to broadcast_arrays expand_dims squeeze
    concatenate concat stack hstack vstack dstack column_stack row_stack split array_split
    hsplit vsplit dsplit unstack block tile repeat flip fliplr flipud roll rot90 pad triu tril
    diag diagonal diagflat trace take take_along_axis copy append insert delete permute_dims
    matrix_transpose atleast_1d atleast_2d atleast_3d dot matmul tensordot inner outer einsum
    kron matvec cross diff ediff1d trapezoid polyval polyadd polysub polyder polyint vander
    array asarray at""".split()
)
#: Complex-capable but not holomorphic (they read the real or imaginary part, or |z|).
NOT_HOLOMORPHIC = set(
    "abs absolute real imag conj conjugate var std nanvar nanstd vdot vecdot vecmat".split()
)
#: Complex-capable with a zero derivative (checked under vmap only).
PIECEWISE_CONSTANT = set(
    """sign equal not_equal isfinite isnan isinf round around argsort argmax argmin nanargmax
    nanargmin isclose allclose array_equal array_equiv nonzero count_nonzero all any""".split()
)

_SKIP = {"linalg", "fft", "complex", "audit", "special", "index_helpers"}
_IMAG = 0.5  # imaginary parts drawn from (-_IMAG, _IMAG): away from the real branch cuts


def _complexify(args, rng):
    return tuple(
        a + 1j * rng.uniform(-_IMAG, _IMAG, np.shape(a)) if np.asarray(a).dtype.kind == "f" else a
        for a in args
    )


def complex_variant(rec):
    """``rec`` with complex arguments: its own arguments (for a seed) plus imaginary parts."""
    name = rec.name.removeprefix("numpy.")

    def make_args(rng, rec=rec):
        return _complexify(rec.args(int(rng.integers(1 << 30))), rng)

    return attrs.evolve(
        rec,
        make_args=make_args,
        variant="complex" + (f"-{rec.variant}" if rec.variant else ""),
        holomorphic=name in HOLOMORPHIC,
        atol=max(rec.atol, 1e-5),
        rtol=max(rec.rtol, 1e-5),
    )


def _base_records():
    out = []
    for info in pkgutil.iter_modules(records.__path__):
        if info.name not in _SKIP:
            out.extend(getattr(importlib.import_module(f"{records.__name__}.{info.name}"), "RECORDS", []))
    return out


_CAPABLE = HOLOMORPHIC | NOT_HOLOMORPHIC | PIECEWISE_CONSTANT
#: (name, variant) of the base records whose complex form is not meaningful: their
#: arguments are made for a real-only domain (an integer-valued step, a sign test).
_EXCLUDED = set()

RECORDS = [
    complex_variant(r)
    for r in _base_records()
    if r.name.startswith("numpy.")
    and r.name.removeprefix("numpy.") in _CAPABLE
    and (r.name, r.variant) not in _EXCLUDED
    # a real record with a zero derivative of a function that has one on complex values
    # (imag of a real array): its arguments test nothing the other records do not
    and (r.orders > 0 or r.name.removeprefix("numpy.") in PIECEWISE_CONSTANT)
]


def _c(rng, shape=(3,), lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, shape) + 1j * rng.uniform(lo, hi, shape)


# the functions on complex numbers themselves: a complex record each, and a real one where
# NumPy takes real arrays too (real_if_close of complex values has a value-dependent dtype,
# so neither jit nor vmap can take it: tests/test_complex.py checks it eagerly)
RECORDS += [
    Rec("numpy.angle", fnp.angle, variant="complex", make_args=lambda rng: (_c(rng),)),
    Rec(
        "numpy.angle",
        lambda z: fnp.angle(z, deg=True),
        variant="complex-deg",
        make_args=lambda rng: (_c(rng),),
    ),
    Rec(
        "numpy.angle",
        lambda x: fnp.angle(x) * x,
        make_args=lambda rng: (rng.uniform(0.3, 2.0, 3) * rng.choice([-1.0, 1.0], 3),),
    ),
    Rec(
        "numpy.sort_complex",
        fnp.sort_complex,
        variant="complex",
        make_args=lambda rng: (_c(rng, (5,)),),
        holomorphic=True,
    ),
    Rec(
        "numpy.sort_complex",
        fnp.sort_complex,
        make_args=lambda rng: (rng.permutation(5) * 0.5 + rng.uniform(0, 0.1, 5),),
    ),
    Rec(
        "numpy.iscomplex",
        lambda z: fnp.iscomplex(z * fnp.array([1.0, 1.0, 0.0])),
        variant="complex",
        make_args=lambda rng: (_c(rng),),
        orders=0,
    ),
    Rec(
        "numpy.isreal",
        lambda z: fnp.isreal(z * fnp.array([1.0, 1.0, 0.0])),
        variant="complex",
        make_args=lambda rng: (_c(rng),),
        orders=0,
    ),
    Rec("numpy.iscomplex", fnp.iscomplex, orders=0),
    Rec("numpy.isreal", fnp.isreal, orders=0),
    Rec(
        "numpy.iscomplexobj", fnp.iscomplexobj, variant="complex", make_args=lambda rng: (_c(rng),), orders=0
    ),
    Rec("numpy.isrealobj", fnp.isrealobj, orders=0),
    Rec("numpy.iscomplexobj", fnp.iscomplexobj, orders=0),
    Rec("numpy.real_if_close", fnp.real_if_close),
]
