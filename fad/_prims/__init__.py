"""fad's primitives, one module per family. Importing this package declares them all."""

from fad._prims import elementwise, linalg, reductions, structural  # noqa: F401
