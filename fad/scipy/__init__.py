"""SciPy-shaped functions built from fad primitives (``fad.scipy.special``, ...)."""
from fad.scipy import special, stats  # noqa: F401
from fad.scipy import linalg  # noqa: F401
