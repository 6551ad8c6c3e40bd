"""``autograd.scipy.stats``: fad's distributions (``fad.scipy.stats``), one module per
distribution, importable as ``fad.autograd.scipy.stats.norm`` and so on.

The cumulative distribution functions that need the incomplete gamma and beta functions
(``chi2``, ``gamma``, ``beta``, ``t`` and ``poisson``'s ``cdf``, and ``t.logcdf``) are
built here on ``fad.autograd.scipy.special`` (differentiable in ``x``, ``loc`` and
``scale``, and in ``mu`` for ``poisson``). A name that fad's module does not define
otherwise (a sampler such as ``dirichlet.rvs``) is SciPy's own, as in autograd: random
numbers are data, with no derivative.

>>> import fad.autograd.scipy.stats.dirichlet as dirichlet
>>> dirichlet.rvs([1.0, 2.0], random_state=0).shape
(1, 2)
"""

import importlib
import sys
import types

import fad.numpy as _fnp
from fad.autograd.scipy import special as _special
from fad.scipy import stats as _fad_stats

__all__ = list(_fad_stats.__all__)


class _Distribution(types.ModuleType):
    """fad's module for one distribution; other names fall back to SciPy's distribution."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        scipy_dist = getattr(importlib.import_module("scipy.stats"), self.__name__.rpartition(".")[2])
        try:
            return getattr(scipy_dist, name)
        except AttributeError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


for _name in __all__:
    _fad_module = getattr(_fad_stats, _name)
    _module = _Distribution(f"{__name__}.{_name}", _fad_module.__doc__)
    _module.__dict__.update({k: v for k, v in vars(_fad_module).items() if not k.startswith("__")})
    globals()[_name] = _module
    sys.modules[_module.__name__] = _module


def _std(x, loc, scale):
    return (x - loc) / scale


def _chi2_cdf(x, df, loc=0.0, scale=1.0):
    z = _std(x, loc, scale)
    return _fnp.where(z > 0, _special.gammainc(df / 2.0, _fnp.maximum(z, 0.0) / 2.0), 0.0)


def _gamma_cdf(x, a, loc=0.0, scale=1.0):
    z = _std(x, loc, scale)
    return _fnp.where(z > 0, _special.gammainc(a, _fnp.maximum(z, 0.0)), 0.0)


def _beta_cdf(x, a, b, loc=0.0, scale=1.0):
    z = _fnp.clip(_std(x, loc, scale), 0.0, 1.0)
    return _special.betainc(a, b, z)


def _t_cdf(x, df, loc=0.0, scale=1.0):
    z = _std(x, loc, scale)
    tail = 0.5 * _special.betainc(df / 2.0, 0.5, df / (df + z**2))  # P(T > |z|)
    return _fnp.where(z > 0, 1.0 - tail, tail)


def _t_logcdf(x, df, loc=0.0, scale=1.0):
    return _fnp.log(_t_cdf(x, df, loc, scale))


def _poisson_cdf(k, mu):
    k = _fnp.floor(k)
    return _fnp.where(k >= 0, _special.gammaincc(_fnp.maximum(k, 0.0) + 1.0, mu), 0.0)


for _dist, _name, _fun in [
    ("chi2", "cdf", _chi2_cdf),
    ("gamma", "cdf", _gamma_cdf),
    ("beta", "cdf", _beta_cdf),
    ("t", "cdf", _t_cdf),
    ("t", "logcdf", _t_logcdf),
    ("poisson", "cdf", _poisson_cdf),
]:
    if _name not in vars(_fad_stats).get(_dist).__dict__:  # fad's own, where it has one
        _fun.__name__ = _name
        setattr(globals()[_dist], _name, _fun)
