"""SciPy-shaped functions built from fad primitives: ``fad.scipy.special``,
``fad.scipy.stats``, ``fad.scipy.linalg``, ``fad.scipy.integrate``, ``fad.scipy.optimize``,
``fad.scipy.signal``. SciPy itself is optional: fad's own kernels compute these."""

from fad.scipy import integrate, linalg, optimize, signal, special, stats  # noqa: F401
