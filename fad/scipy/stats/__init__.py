"""SciPy's distributions (`scipy.stats`) as differentiable functions of their arguments.

One module per distribution, with SciPy's function names and argument order (`loc` and
`scale` where SciPy has them), broadcasting, and SciPy's edge values: `-inf` log-density
and 0 density outside the support, NaN for parameters outside their domain.

Examples:
    >>> import fad
    >>> from fad.scipy import stats
    >>> round(float(fad.grad(stats.gamma.logpdf, argnums=1)(2.0, 3.0)), 12)
    -0.229637154539
"""

from fad.scipy.stats import (  # noqa: F401
    bernoulli,
    beta,
    binom,
    cauchy,
    chi2,
    dirichlet,
    expon,
    gamma,
    geom,
    laplace,
    logistic,
    lognorm,
    multinomial,
    multivariate_normal,
    nbinom,
    norm,
    poisson,
    t,
    uniform,
    vonmises,
)

__all__ = [
    "bernoulli",
    "beta",
    "binom",
    "cauchy",
    "chi2",
    "dirichlet",
    "expon",
    "gamma",
    "geom",
    "laplace",
    "logistic",
    "lognorm",
    "multinomial",
    "multivariate_normal",
    "nbinom",
    "norm",
    "poisson",
    "t",
    "uniform",
    "vonmises",
]
