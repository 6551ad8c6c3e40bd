"""JAX's `jax.experimental` functions that ported code imports: `io_callback`.

Examples:
    >>> import numpy as np, fad
    >>> from fad.experimental import io_callback
    >>> seen = []
    >>> def log_and_double(x):
    ...     seen.append(float(x))
    ...     return np.asarray(2.0 * x)
    >>> f = fad.jit(lambda x: io_callback(log_and_double, x, x) + 1.0)
    >>> f(1.5), seen
    (np.float64(4.0), [1.5])
"""

from fad._callback import io_callback

__all__ = ["io_callback"]
