"""fad's primitives, one module per family. Importing this package declares them all."""

from fad._prims import control, elementwise, linalg, reductions, structural  # noqa: F401
