"""Small libraries in the shape of ``jax.example_libraries``: ``fad.example_libraries.optimizers``."""
