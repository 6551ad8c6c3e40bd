"""NumPy's random module, re-exported: ``import fad.numpy.random as npr; npr.randn(3)``.

Random numbers are data, not something fad differentiates, so these are NumPy's own
functions and generators (``default_rng``, ``seed``, ``normal``, ...), returning NumPy
arrays; use them to make inputs, or inside a transformed function for noise that is
constant with respect to the differentiated arguments (as autograd's ``numpy.random``).

>>> import fad.numpy.random as npr
>>> npr.seed(0)
>>> npr.randn(2).shape
(2,)
"""

from numpy.random import *  # noqa: F403 - exactly NumPy's
from numpy.random import __all__  # noqa: F401
