"""Records for ``fad.scipy.stats``: every function of every distribution, found through
each distribution's ``__all__``, so a function added to a distribution is picked up here
(and one this table has no domain for is an error naming it).

Continuous distributions are differentiated in ``x`` (or the probability ``q`` of ``ppf``
and ``isf``), their shape parameters, ``loc`` and ``scale``; discrete ones in their
parameters at fixed integer counts. Points are drawn inside the support and away from the
kinks (Laplace's at ``loc``) where finite differences cannot check a derivative.
"""

from __future__ import annotations

import numpy as np

import fad.numpy as fnp
from fad.scipy import stats
from tests.records import Rec

SHAPE = (3,)

#: continuous: shape parameters' ranges, and the standardized points (as +-(lo, hi) when
#: ``symmetric``: both signs, away from 0) where x is drawn
CONTINUOUS = {
    "norm": ([], (-2.0, 2.0), False),
    "expon": ([], (0.2, 2.5), False),
    "laplace": ([], (0.3, 2.0), True),
    "logistic": ([], (-2.0, 2.0), False),
    "uniform": ([], (0.15, 0.85), False),
    "cauchy": ([], (-2.0, 2.0), False),
    "lognorm": ([(0.4, 1.2)], (0.3, 2.5), False),
    "vonmises": ([(0.5, 3.0)], (-2.5, 2.5), False),
    "t": ([(2.5, 8.0)], (-2.0, 2.0), False),
    "chi2": ([(2.5, 6.0)], (0.4, 4.0), False),
    "gamma": ([(1.5, 4.0)], (0.3, 3.0), False),
    "beta": ([(1.5, 4.0), (1.5, 4.0)], (0.15, 0.85), False),
}
#: discrete: parameters' ranges (drawn, differentiated), fixed extra arguments, counts
DISCRETE = {
    "bernoulli": ([(0.2, 0.8)], (), [0, 1, 1]),
    "geom": ([(0.2, 0.8)], (), [1, 2, 4]),
    "poisson": ([(0.5, 4.0)], (), [0, 2, 5]),
    "binom": ([(0.2, 0.8)], (7,), [0, 3, 6]),
    "nbinom": ([(0.2, 0.8)], (4,), [0, 3, 6]),
}
X_FUNCTIONS = ("pdf", "logpdf", "cdf", "logcdf", "sf", "logsf")
Q_FUNCTIONS = ("ppf", "isf")
K_FUNCTIONS = ("pmf", "logpmf", "cdf", "logcdf", "sf", "logsf")


def _draw(rng, lo, hi, symmetric=False):
    v = rng.uniform(lo, hi, SHAPE)
    return v * rng.choice([-1.0, 1.0], SHAPE) if symmetric else v


def _continuous(name, shapes, z_range, symmetric):
    module = getattr(stats, name)
    out = []
    for fname in module.__all__:
        fn = getattr(module, fname)

        def draw_params(rng, shapes=shapes):
            shape_args = [rng.uniform(lo, hi, SHAPE) for lo, hi in shapes]
            return shape_args, rng.uniform(-0.5, 0.5, SHAPE), rng.uniform(0.6, 1.8, SHAPE)

        if fname in X_FUNCTIONS:

            def make(rng, z_range=z_range, symmetric=symmetric, draw_params=draw_params):
                shape_args, loc, scale = draw_params(rng)
                z = _draw(rng, *z_range, symmetric=symmetric)
                return (loc + scale * z, *shape_args, loc, scale)

        elif fname in Q_FUNCTIONS:

            def make(rng, draw_params=draw_params):
                shape_args, loc, scale = draw_params(rng)
                return (rng.uniform(0.15, 0.85, SHAPE), *shape_args, loc, scale)

        elif fname == "entropy":

            def make(rng, draw_params=draw_params):
                shape_args, loc, scale = draw_params(rng)
                return (*shape_args, loc, scale)

        else:  # a function this table does not know yet: the test below names it
            raise AssertionError(f"tests/records/scipy_stats.py: no domain for {name}.{fname}")
        out.append(Rec(f"scipy.stats.{name}.{fname}", fn, make_args=make, atol=2e-5, rtol=2e-5))
    return out


def _discrete(name, ranges, fixed, counts):
    module = getattr(stats, name)
    k = np.asarray(counts, dtype=float)
    out = []
    for fname in module.__all__:
        fn = getattr(module, fname)

        def make(rng, ranges=ranges):
            return tuple(rng.uniform(lo, hi, SHAPE) for lo, hi in ranges)

        if fname in K_FUNCTIONS:
            fun = (lambda fn, fixed: lambda *p: fn(k, *fixed, *p))(fn, fixed)
        elif fname == "ppf":
            q = np.array([0.1, 0.5, 0.9])
            fun = (lambda fn, fixed: lambda *p: fn(q, *fixed, *p))(fn, fixed)
            out.append(Rec(f"scipy.stats.{name}.{fname}", fun, make_args=make, orders=0))
            continue
        elif fname == "entropy":
            fun = (lambda fn, fixed: lambda *p: fn(*fixed, *p))(fn, fixed)
        else:
            raise AssertionError(f"tests/records/scipy_stats.py: no domain for {name}.{fname}")
        out.append(Rec(f"scipy.stats.{name}.{fname}", fun, make_args=make, atol=2e-5, rtol=2e-5))
    return out


def _spd(rng, n=3):
    a = rng.normal(size=(n, n))
    return a @ a.T / n + np.eye(n)


def _mvn():
    mvn = stats.multivariate_normal

    def make_x(rng):
        return rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 3))

    def cov_of(a):
        return a @ a.T / 3 + fnp.eye(3)

    return [
        Rec(
            "scipy.stats.multivariate_normal.logpdf",
            lambda x, m, a: mvn.logpdf(x, m, cov_of(a)),
            make_args=make_x,
        ),
        Rec(
            "scipy.stats.multivariate_normal.pdf", lambda x, m, a: mvn.pdf(x, m, cov_of(a)), make_args=make_x
        ),
        Rec(
            "scipy.stats.multivariate_normal.entropy",
            lambda a: mvn.entropy(cov=cov_of(a)),
            make_args=lambda rng: (rng.normal(size=(3, 3)),),
        ),
    ]


def _simplex():
    def softmax(z):
        e = fnp.exp(z - fnp.max(z))
        return e / fnp.sum(e)

    def make(rng):
        return rng.normal(size=4), rng.uniform(0.8, 3.0, 4)

    dirichlet, multinomial = stats.dirichlet, stats.multinomial
    counts = np.array([1.0, 0.0, 3.0, 2.0])
    return [
        Rec("scipy.stats.dirichlet.logpdf", lambda z, a: dirichlet.logpdf(softmax(z), a), make_args=make),
        Rec("scipy.stats.dirichlet.pdf", lambda z, a: dirichlet.pdf(softmax(z), a), make_args=make),
        Rec(
            "scipy.stats.dirichlet.entropy",
            dirichlet.entropy,
            make_args=lambda rng: (rng.uniform(0.8, 3.0, 4),),
        ),
        Rec(
            "scipy.stats.multinomial.logpmf",
            lambda z: multinomial.logpmf(counts, 6, softmax(z)),
            shapes=[(4,)],
        ),
        Rec("scipy.stats.multinomial.pmf", lambda z: multinomial.pmf(counts, 6, softmax(z)), shapes=[(4,)]),
    ]


RECORDS = []
for _name, (_shapes, _z, _sym) in CONTINUOUS.items():
    RECORDS += _continuous(_name, _shapes, _z, _sym)
for _name, (_ranges, _fixed, _counts) in DISCRETE.items():
    RECORDS += _discrete(_name, _ranges, _fixed, _counts)
RECORDS += _mvn() + _simplex()
