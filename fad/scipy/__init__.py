"""SciPy-shaped functions built from fad primitives: `fad.scipy.special`,
`fad.scipy.stats`, `fad.scipy.linalg`, `fad.scipy.integrate`, `fad.scipy.optimize`,
`fad.scipy.signal`. SciPy itself is optional: fad's own kernels compute most of these;
the special functions whose values come from SciPy's ufuncs (and the distributions' cdfs
built on them) need it (`pip install "fad-autodiff[scipy]"`)."""

from fad.scipy import integrate, linalg, optimize, signal, special, stats  # noqa: F401
