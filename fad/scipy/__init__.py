"""SciPy-shaped functions built from fad primitives (``fad.scipy.special``, ...)."""
