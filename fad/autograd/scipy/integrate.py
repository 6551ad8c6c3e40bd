"""``autograd.scipy.integrate``: ``odeint`` with SciPy's and autograd's signature
(``args=`` a tuple), differentiated by fad's adjoint method (``fad.scipy.integrate.odeint``).

>>> import fad, fad.autograd.numpy as np
>>> from fad.autograd.scipy.integrate import odeint
>>> t = np.array([0.0, 1.0])
>>> round(float(odeint(lambda y, t, k: -k * y, 1.0, t, args=(2.0,))[1]), 6)  # exp(-2)
0.135335
"""

from fad.scipy import integrate as _integrate

__all__ = ["odeint"]


def odeint(func, y0, t, args=(), rtol=1.4e-8, atol=1.4e-8, mxstep=float("inf"), hmax=float("inf"), **kwargs):
    """``y(t)`` for ``dy/dt = func(y, t, *args)`` from ``y(t[0]) = y0``, stacked over ``t``.

    SciPy's other options (``full_output``, ``tfirst``, ...) are not supported."""
    if kwargs:
        raise TypeError(f"odeint: options {sorted(kwargs)} are not supported (rtol, atol, mxstep, hmax are).")
    if not isinstance(args, tuple):
        args = (args,)
    return _integrate.odeint(func, y0, t, *args, rtol=rtol, atol=atol, mxstep=mxstep, hmax=hmax)
