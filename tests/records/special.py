"""Records for fad.scipy.special and fad.scipy.stats.norm (issue #3, items 6 and 7)."""

import numpy as np

import fad.scipy.special as fsp
from fad.scipy.stats import norm
from tests.records import Rec

pos = (0.3, 3.0)

RECORDS = [
    Rec("scipy.special.logsumexp", fsp.logsumexp, [(2, 3)]),
    Rec(
        "scipy.special.logsumexp",
        lambda a: fsp.logsumexp(a, axis=1, keepdims=True),
        [(2, 3)],
        variant="axis1",
    ),
    Rec(
        "scipy.special.logsumexp",
        lambda a, b: fsp.logsumexp(a, axis=0, b=b),
        [(2, 3), (3,)],
        domain=pos,
        variant="b",
    ),
    Rec(
        "scipy.special.logsumexp",
        lambda a, b: fsp.logsumexp(a, b=b - 1.5, return_sign=True)[0],
        [(3,), (3,)],
        domain=(0.0, 1.0),
        variant="sign",
    ),
    Rec(
        "scipy.special.logsumexp",
        lambda a: fsp.logsumexp(a * 600.0, axis=0),
        [(2, 3)],
        variant="large",
        rtol=1e-4,
        atol=1e-4,
    ),
    Rec("scipy.special.expit", fsp.expit, domain=(-5.0, 5.0)),
    Rec("scipy.special.logit", fsp.logit, domain=(0.1, 0.9)),
    Rec("scipy.special.erf", fsp.erf),
    Rec("scipy.special.erf", fsp.erf, domain=(2.0, 4.0), variant="tail"),
    Rec("scipy.special.erfc", fsp.erfc, domain=(-1.0, 3.0)),
    Rec("scipy.special.erfinv", fsp.erfinv, domain=(-0.9, 0.9)),
    Rec("scipy.special.gammaln", fsp.gammaln, domain=(0.2, 6.0)),
    Rec("scipy.special.digamma", fsp.digamma, domain=(0.2, 12.0)),
    Rec("scipy.special.digamma", fsp.digamma, domain=(-2.9, -2.1), variant="negative"),
    Rec("scipy.special.psi", fsp.psi, domain=pos),
    Rec("scipy.special.polygamma", lambda x: fsp.polygamma(2, x), domain=(0.5, 12.0)),
    Rec("scipy.special.xlogy", fsp.xlogy, [(3,), (2, 3)], domain=pos),
    Rec("scipy.special.xlog1py", fsp.xlog1py, [(2, 3), (3,)], domain=pos),
    Rec("scipy.special.softmax", fsp.softmax, [(2, 3)]),
    Rec("scipy.special.softmax", lambda x: fsp.softmax(x, axis=-1), [(2, 3)], variant="axis-1"),
    Rec("scipy.special.log_softmax", fsp.log_softmax, [(2, 3)]),
    Rec("scipy.special.log_softmax", lambda x: fsp.log_softmax(x, axis=0), [(2, 3)], variant="axis0"),
    Rec("scipy.special.entr", fsp.entr, domain=pos),
    Rec(
        "scipy.stats.norm.pdf",
        norm.pdf,
        [(3,), (3,), (3,)],
        make_args=lambda rng: (rng.uniform(-2, 2, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec(
        "scipy.stats.norm.logpdf",
        norm.logpdf,
        make_args=lambda rng: (
            rng.uniform(-2, 2, (2, 3)),
            rng.uniform(-1, 1, 3),
            np.array(rng.uniform(0.5, 2)),
        ),
    ),
    Rec(
        "scipy.stats.norm.cdf",
        norm.cdf,
        make_args=lambda rng: (rng.uniform(-2, 2, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec(
        "scipy.stats.norm.logcdf",
        norm.logcdf,
        make_args=lambda rng: (rng.uniform(-2, 2, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec("scipy.stats.norm.logcdf", norm.logcdf, domain=(-40.0, -25.0), variant="tail"),
    Rec(
        "scipy.stats.norm.sf",
        norm.sf,
        make_args=lambda rng: (rng.uniform(-2, 2, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec(
        "scipy.stats.norm.logsf",
        norm.logsf,
        make_args=lambda rng: (rng.uniform(-2, 2, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec("scipy.stats.norm.logsf", norm.logsf, domain=(25.0, 40.0), variant="tail"),
    Rec(
        "scipy.stats.norm.ppf",
        norm.ppf,
        make_args=lambda rng: (rng.uniform(0.1, 0.9, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec(
        "scipy.stats.norm.isf",
        norm.isf,
        make_args=lambda rng: (rng.uniform(0.1, 0.9, 3), rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
    Rec(
        "scipy.stats.norm.entropy",
        norm.entropy,
        make_args=lambda rng: (rng.uniform(-1, 1, 3), rng.uniform(0.5, 2, 3)),
    ),
]
