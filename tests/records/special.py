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


# ---------------------------------------------------------------- SciPy-valued functions
def _shapes_and_x(rng, lo=0.5, hi=5.0, xlo=0.2, xhi=6.0):
    return rng.uniform(lo, hi, 3), rng.uniform(xlo, xhi, 3)


def _order_and_z(rng, lo=0.3, hi=4.0):
    return rng.integers(0, 4, 3), rng.uniform(lo, hi, 3)


RECORDS += [
    Rec("scipy.special.gamma", fsp.gamma, domain=(0.5, 4.0)),
    Rec("scipy.special.gamma", fsp.gamma, domain=(-2.9, -2.1), variant="negative"),
    Rec("scipy.special.rgamma", fsp.rgamma, domain=(0.3, 4.0)),
    Rec("scipy.special.rgamma", fsp.rgamma, domain=(-1.9, -1.1), variant="negative"),
    Rec("scipy.special.gammasgn", fsp.gammasgn, domain=(-2.9, 3.0), orders=0),
    Rec("scipy.special.betaln", fsp.betaln, [(2, 3), (3,)], domain=(0.5, 5.0)),
    Rec("scipy.special.betaln", fsp.betaln, [(3,), (3,)], domain=(50.0, 200.0), variant="large"),
    Rec("scipy.special.beta", fsp.beta, [(3,), (3,)], domain=(0.5, 3.0)),
    Rec("scipy.special.multigammaln", lambda a: fsp.multigammaln(a, 3), domain=(1.5, 5.0)),
    Rec("scipy.special.gammainc", fsp.gammainc, make_args=_shapes_and_x),
    Rec(
        "scipy.special.gammainc",
        fsp.gammainc,
        make_args=lambda rng: _shapes_and_x(rng, 10.0, 40.0, 8.0, 45.0),
        variant="large",
    ),
    Rec("scipy.special.gammainc", lambda x: fsp.gammainc(2.5, x), domain=(0.2, 6.0), variant="python-a"),
    Rec("scipy.special.gammaincc", fsp.gammaincc, make_args=_shapes_and_x),
    Rec(
        "scipy.special.gammaincinv",
        fsp.gammaincinv,
        make_args=lambda rng: (rng.uniform(0.5, 5.0, 3), rng.uniform(0.1, 0.9, 3)),
    ),
    Rec(
        "scipy.special.gammainccinv",
        fsp.gammainccinv,
        make_args=lambda rng: (rng.uniform(0.5, 5.0, 3), rng.uniform(0.1, 0.9, 3)),
    ),
    Rec(
        "scipy.special.betainc",
        fsp.betainc,
        make_args=lambda rng: (rng.uniform(0.5, 5, 3), rng.uniform(0.5, 5, 3), rng.uniform(0.05, 0.95, 3)),
    ),
    Rec(
        "scipy.special.betainc",
        fsp.betainc,
        make_args=lambda rng: (rng.uniform(0.5, 3.0, (2, 3)), rng.uniform(1.0, 3.0, 3), np.array(0.4)),
        variant="broadcast",
    ),
    Rec(
        "scipy.special.betaincinv",
        fsp.betaincinv,
        make_args=lambda rng: (rng.uniform(0.5, 5.0, 3), rng.uniform(0.5, 5.0, 3), rng.uniform(0.1, 0.9, 3)),
    ),
    Rec(
        "scipy.special.betaincc",
        fsp.betaincc,
        make_args=lambda rng: (rng.uniform(0.5, 5, 3), rng.uniform(0.5, 5, 3), rng.uniform(0.05, 0.95, 3)),
    ),
    Rec(
        "scipy.special.betainccinv",
        fsp.betainccinv,
        make_args=lambda rng: (rng.uniform(0.5, 5.0, 3), rng.uniform(0.5, 5.0, 3), rng.uniform(0.1, 0.9, 3)),
    ),
    Rec(
        "scipy.special.stdtr",
        fsp.stdtr,
        make_args=lambda rng: (rng.uniform(0.5, 20.0, 3), rng.uniform(-4.0, 4.0, 3)),
    ),
    Rec(
        "scipy.special.stdtrit",
        fsp.stdtrit,
        make_args=lambda rng: (rng.uniform(0.5, 20.0, 3), rng.uniform(0.05, 0.95, 3)),
    ),
    Rec(
        "scipy.special.zeta",
        fsp.zeta,
        make_args=lambda rng: (rng.uniform(1.5, 4.0, 3), rng.uniform(0.5, 3.0, 3)),
    ),
    Rec("scipy.special.zeta", fsp.zeta, domain=(1.5, 4.0), variant="riemann"),
    Rec("scipy.special.ndtr", fsp.ndtr, domain=(-4.0, 4.0)),
    Rec("scipy.special.log_ndtr", fsp.log_ndtr, domain=(-5.0, 5.0)),
    Rec("scipy.special.log_ndtr", fsp.log_ndtr, domain=(-40.0, -20.0), variant="tail"),
    Rec("scipy.special.ndtri", fsp.ndtri, domain=(0.05, 0.95)),
    Rec("scipy.special.erfcinv", fsp.erfcinv, domain=(0.1, 1.9)),
    Rec("scipy.special.spence", fsp.spence, domain=(0.2, 3.0)),
    Rec("scipy.special.rel_entr", fsp.rel_entr, [(3,), (2, 3)], domain=pos),
    Rec("scipy.special.kl_div", fsp.kl_div, [(2, 3), (3,)], domain=pos),
    Rec("scipy.special.sinc", fsp.sinc),
    Rec("scipy.special.i0", fsp.i0, domain=(-3.0, 3.0)),
    Rec("scipy.special.i1", fsp.i1, domain=(-3.0, 3.0)),
    Rec("scipy.special.i0e", fsp.i0e, domain=(0.2, 4.0)),
    Rec("scipy.special.i0e", fsp.i0e, domain=(-4.0, -0.2), variant="negative"),
    Rec("scipy.special.i1e", fsp.i1e, domain=(0.2, 4.0)),
    Rec("scipy.special.i1e", fsp.i1e, domain=(-4.0, -0.2), variant="negative"),
    Rec("scipy.special.iv", fsp.iv, make_args=_order_and_z),
    Rec("scipy.special.iv", lambda z: fsp.iv(1.5, z), domain=(0.3, 4.0), variant="real-order"),
    Rec("scipy.special.ive", fsp.ive, make_args=_order_and_z),
    Rec("scipy.special.ive", lambda z: fsp.ive(0.7, z), domain=(-4.0, -0.3), variant="negative"),
    Rec("scipy.special.j0", fsp.j0, domain=(-5.0, 5.0)),
    Rec("scipy.special.j1", fsp.j1, domain=(-5.0, 5.0)),
    Rec("scipy.special.jv", lambda z: fsp.jv(2.5, z), domain=(0.3, 6.0)),
    Rec("scipy.special.jn", fsp.jn, make_args=_order_and_z),
    Rec("scipy.special.y0", fsp.y0, domain=(0.5, 6.0)),
    Rec("scipy.special.y1", fsp.y1, domain=(0.5, 6.0)),
    Rec("scipy.special.yn", fsp.yn, make_args=lambda rng: _order_and_z(rng, 0.8, 6.0)),
]
