"""Small libraries in the shape of ``jax.example_libraries``: ``optimizers`` and ``stax``."""
