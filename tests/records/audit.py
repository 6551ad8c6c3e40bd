"""Records added by the surface audit (tests/test_surface_audit.py): argument kinds the
family records did not drive through the transforms: integer and boolean arrays next to
traced floats (NumPy's promotion under jvp/vjp/vmap), Python scalars for the SciPy
functions' extra arguments, and stacked (batched-by-shape) linear algebra inputs.
"""

import numpy as np

import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.scipy.stats import norm
from tests.records import Rec


def _float_and_int(shape=(2, 3)):
    return lambda rng: (rng.uniform(-2, 2, shape), rng.integers(-3, 4, shape))


def _float_and_mask(rng):
    return rng.uniform(-2, 2, (2, 3)), rng.uniform(-2, 2, (2, 3)), rng.uniform(size=(2, 3)) < 0.5


def _spd_stack(rng):
    a = rng.normal(size=(2, 3, 3))
    return (a @ np.swapaxes(a, -1, -2) + 3.0 * np.eye(3),)


RECORDS = [
    # int arrays promote with traced floats (the int argument is not differentiated)
    Rec("numpy.multiply", lambda x, k: fnp.multiply(x, k), make_args=_float_and_int(), variant="int-array"),
    Rec("numpy.add", lambda x, k: fnp.add(k, x), make_args=_float_and_int(), variant="int-array-left"),
    Rec(
        "numpy.divide", lambda x, k: fnp.divide(x, k * k + 1), make_args=_float_and_int(), variant="int-array"
    ),
    Rec(
        "numpy.power",
        lambda x, k: fnp.power(x, np.abs(k)),
        make_args=_float_and_int(),
        variant="int-array-exponent",
    ),
    Rec(
        "numpy.maximum", lambda x, k: fnp.maximum(x, k + 0.5), make_args=_float_and_int(), variant="int-array"
    ),
    # a concrete boolean mask as an argument (batched by vmap like any array)
    Rec(
        "numpy.where", lambda x, y, m: fnp.where(m, x, y), make_args=_float_and_mask, variant="bool-mask-arg"
    ),
    # Python scalars for SciPy's extra arguments
    Rec("scipy.stats.norm.cdf", lambda x: norm.cdf(x, 0.5, 2.0), variant="python-loc-scale"),
    Rec("scipy.stats.norm.logpdf", lambda x: norm.logpdf(x, loc=1.0), variant="python-loc"),
    Rec("scipy.special.xlogy", lambda y: fsp.xlogy(2.0, y), domain=(0.3, 3.0), variant="python-x"),
    Rec("scipy.special.logsumexp", lambda a: fsp.logsumexp(a, b=2.0, axis=-1), [(2, 3)], variant="python-b"),
    # stacks of matrices through linalg (leading batch axes)
    Rec("numpy.linalg.det", fnp.linalg.det, make_args=_spd_stack, variant="stack"),
    Rec(
        "numpy.linalg.solve",
        lambda a, b: fnp.linalg.solve(a, b),
        make_args=lambda rng: _spd_stack(rng) + (rng.normal(size=(2, 3, 1)),),
        variant="stack",
    ),
    Rec("numpy.linalg.eigvalsh", fnp.linalg.eigvalsh, make_args=_spd_stack, variant="stack"),
]

# NumPy 2's array-API spellings (aliases of functions recorded elsewhere)
RECORDS += [
    Rec("numpy.acos", fnp.acos, domain=(-0.9, 0.9)),
    Rec("numpy.asin", fnp.asin, domain=(-0.9, 0.9)),
    Rec("numpy.atan", fnp.atan),
    Rec("numpy.acosh", fnp.acosh, domain=(1.2, 3.0)),
    Rec("numpy.asinh", fnp.asinh),
    Rec("numpy.atanh", fnp.atanh, domain=(-0.9, 0.9)),
    Rec("numpy.atan2", fnp.atan2, [(3,), (3,)], domain=(0.5, 2.0)),
    Rec("numpy.concat", lambda a, b: fnp.concat([a, b], axis=1), [(2, 3), (2, 2)]),
    Rec("numpy.pow", fnp.pow, [(3,), (3,)], domain=(0.5, 2.0)),
    Rec("numpy.permute_dims", lambda a: fnp.permute_dims(a, (1, 0, 2)), [(2, 3, 4)]),
]
