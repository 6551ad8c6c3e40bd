"""``autograd.scipy``: fad's SciPy interface (``fad.scipy``) under autograd's module names.

``optimize`` is ``fad.scipy``'s own module; ``linalg`` is ``fad.scipy.linalg`` with
autograd's ``sqrtm`` and ``solve_sylvester``; ``signal.convolve`` has
autograd's ``axes``/``dot_axes`` generalization; ``special`` is
``fad.scipy.special`` with autograd's other special functions (beta, gamma and Bessel
families) declared as primitives;
``stats`` has fad's distributions (one module per distribution:
``fad.autograd.scipy.stats.norm``) with SciPy's samplers (``rvs``) beside them;
``integrate`` adapts ``odeint`` to autograd's (SciPy's) ``args=`` tuple.

>>> import fad.autograd.scipy.stats.norm as norm
>>> float(norm.cdf(0.0))
0.5
"""

import sys as _sys

from fad.autograd.scipy import integrate, linalg, signal, special, stats  # noqa: F401
from fad.scipy import optimize  # noqa: F401

_sys.modules[f"{__name__}.optimize"] = optimize
