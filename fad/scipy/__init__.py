"""SciPy-shaped functions built from fad primitives: ``fad.scipy.special``,
``fad.scipy.stats``, ``fad.scipy.linalg``."""

from fad.scipy import linalg, special, stats  # noqa: F401
