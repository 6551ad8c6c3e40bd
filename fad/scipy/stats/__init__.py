"""SciPy's distributions (``scipy.stats``) as differentiable functions of their arguments."""

from fad.scipy.stats import norm  # noqa: F401
