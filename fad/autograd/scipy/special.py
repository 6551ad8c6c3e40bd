"""``autograd.scipy.special``: fad's special functions (``fad.scipy.special``) and the rest
of autograd's, declared here as ``fad.autograd.extend`` primitives on SciPy's functions.

The beta and gamma families (``beta``, ``betaln``, ``betainc`` in ``x``, ``gamma``,
``rgamma``, ``gammasgn``, ``multigammaln``, ``gammainc``/``gammaincc`` in ``x``), the
Bessel functions (``j0``, ``j1``, ``jn``, ``y0``, ``y1``, ``yn``, ``i0``, ``i1``, ``iv``,
``ive`` in ``x``) and ``erfcinv`` have their derivatives written with these same
functions, so they differentiate again, and they work under ``fad.jvp`` and ``fad.vmap``
too (see ``fad.autograd.extend``).

>>> import fad
>>> from fad.autograd.scipy import special
>>> float(fad.grad(special.j0)(1.0)) == -float(special.j1(1.0))
True
"""

import importlib

import numpy as onp

import fad.numpy as fnp
from fad.autograd.extend import defvjp, primitive
from fad.scipy.special import (  # noqa: F401
    digamma,
    entr,
    erf,
    erfc,
    erfinv,
    expit,
    gammaln,
    log_softmax,
    logit,
    logsumexp,
    polygamma,
    psi,
    softmax,
    xlog1py,
    xlogy,
)

_NEW = [
    "beta",
    "betainc",
    "betaln",
    "erfcinv",
    "gamma",
    "gammainc",
    "gammaincc",
    "gammasgn",
    "i0",
    "i1",
    "iv",
    "ive",
    "j0",
    "j1",
    "jn",
    "multigammaln",
    "rgamma",
    "y0",
    "y1",
    "yn",
]


def _unbroadcast(x, g):
    """``g`` summed down to the shape of the argument ``x`` it is the cotangent of."""
    shape = fnp.shape(x)
    while fnp.ndim(g) > len(shape):
        g = fnp.sum(g, axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and fnp.shape(g)[axis] != 1:
            g = fnp.sum(g, axis=axis, keepdims=True)
    return g


def _rule(x, derivative):
    """A reverse rule for argument ``x`` whose partial derivative is ``derivative``."""
    return lambda g: _unbroadcast(x, g * derivative)


def _wrap(name):
    def scipy_function(*args, **kwargs):  # SciPy is imported at the first call
        return getattr(importlib.import_module("scipy.special"), name)(*args, **kwargs)

    scipy_function.__name__ = scipy_function.__qualname__ = name
    f = primitive(scipy_function)
    f.__doc__ = f"SciPy's ``scipy.special.{name}``, differentiable (see the module)."
    return f


beta, betaln, betainc = _wrap("beta"), _wrap("betaln"), _wrap("betainc")
gamma, rgamma, gammasgn, multigammaln = (
    _wrap("gamma"),
    _wrap("rgamma"),
    _wrap("gammasgn"),
    _wrap("multigammaln"),
)
gammainc, gammaincc = _wrap("gammainc"), _wrap("gammaincc")
j0, j1, jn, y0, y1, yn = _wrap("j0"), _wrap("j1"), _wrap("jn"), _wrap("y0"), _wrap("y1"), _wrap("yn")
i0, i1, iv, ive = _wrap("i0"), _wrap("i1"), _wrap("iv"), _wrap("ive")
erfcinv = _wrap("erfcinv")

# d/da log B(a, b) = psi(a) - psi(a + b)
defvjp(
    beta,
    lambda ans, a, b: _rule(a, ans * (digamma(a) - digamma(a + b))),
    lambda ans, a, b: _rule(b, ans * (digamma(b) - digamma(a + b))),
)
defvjp(
    betaln,
    lambda ans, a, b: _rule(a, digamma(a) - digamma(a + b)),
    lambda ans, a, b: _rule(b, digamma(b) - digamma(a + b)),
)
# the regularized incomplete beta function's x-derivative is the Beta(a, b) density
defvjp(
    betainc,
    lambda ans, a, b, x: _rule(x, fnp.power(x, a - 1) * fnp.power(1 - x, b - 1) / beta(a, b)),
    argnums=[2],
)
defvjp(gamma, lambda ans, x: _rule(x, ans * digamma(x)))
defvjp(rgamma, lambda ans, x: _rule(x, -ans * digamma(x)))
defvjp(gammasgn, None)
defvjp(
    multigammaln,
    lambda ans, a, d: _rule(a, fnp.sum(digamma(fnp.expand_dims(a, -1) - fnp.arange(d) / 2.0), -1)),
    None,
)
# the regularized lower incomplete gamma function's x-derivative is the Gamma(a) density
defvjp(gammainc, lambda ans, a, x: _rule(x, fnp.exp(-x) * fnp.power(x, a - 1) / gamma(a)), argnums=[1])
defvjp(gammaincc, lambda ans, a, x: _rule(x, -fnp.exp(-x) * fnp.power(x, a - 1) / gamma(a)), argnums=[1])
# Bessel functions: J0' = -J1, Jn' = (J(n-1) - J(n+1)) / 2, likewise Y; I0' = I1,
# Iv' = (I(v-1) + I(v+1)) / 2, and ive = iv exp(-|x|)
defvjp(j0, lambda ans, x: _rule(x, -j1(x)))
defvjp(y0, lambda ans, x: _rule(x, -y1(x)))
defvjp(j1, lambda ans, x: _rule(x, (j0(x) - jn(2, x)) / 2.0))
defvjp(y1, lambda ans, x: _rule(x, (y0(x) - yn(2, x)) / 2.0))
defvjp(jn, None, lambda ans, n, x: _rule(x, (jn(n - 1, x) - jn(n + 1, x)) / 2.0))
defvjp(yn, None, lambda ans, n, x: _rule(x, (yn(n - 1, x) - yn(n + 1, x)) / 2.0))
defvjp(i0, lambda ans, x: _rule(x, i1(x)))
defvjp(i1, lambda ans, x: _rule(x, (i0(x) + iv(2, x)) / 2.0))
defvjp(iv, None, lambda ans, v, x: _rule(x, (iv(v - 1, x) + iv(v + 1, x)) / 2.0))
defvjp(ive, None, lambda ans, v, x: _rule(x, (ive(v - 1, x) + ive(v + 1, x)) / 2.0 - ans * fnp.sign(x)))
# erfc(erfcinv(y)) = y, erfc'(z) = -2 / sqrt(pi) exp(-z**2)
defvjp(erfcinv, lambda ans, x: _rule(x, -onp.sqrt(onp.pi) / 2 * fnp.exp(ans**2)))

__all__ = sorted(
    _NEW
    + ["digamma", "entr", "erf", "erfc", "erfinv", "expit", "gammaln", "log_softmax", "logit"]
    + ["logsumexp", "polygamma", "psi", "softmax", "xlog1py", "xlogy"]
)
