"""``autograd.scipy``: fad's SciPy interface (``fad.scipy``) under autograd's module names.

``special``, ``stats`` (with one module per distribution: ``fad.autograd.scipy.stats.norm``),
``linalg``, ``optimize`` and ``signal`` are ``fad.scipy``'s own modules; ``integrate`` adapts
``odeint`` to autograd's (SciPy's) ``args=`` tuple.

>>> import fad.autograd.scipy.stats.norm as norm
>>> float(norm.cdf(0.0))
0.5
"""

import sys as _sys

from fad.autograd.scipy import integrate  # noqa: F401
from fad.scipy import linalg, optimize, signal, special, stats  # noqa: F401

for _name, _module in [
    ("linalg", linalg),
    ("optimize", optimize),
    ("signal", signal),
    ("special", special),
    ("stats", stats),
]:
    _sys.modules[f"{__name__}.{_name}"] = _module
for _name in dir(stats):
    if not _name.startswith("_") and type(getattr(stats, _name)) is type(stats):
        _sys.modules[f"{__name__}.stats.{_name}"] = getattr(stats, _name)
