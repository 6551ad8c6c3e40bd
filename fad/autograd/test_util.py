"""autograd's ``test_util``: ``check_grads(f, argnum, modes, order)(*args)``, curried as autograd's.

>>> import fad.autograd.numpy as np
>>> from fad.autograd.test_util import check_grads
>>> check_grads(np.sin, modes=["fwd", "rev"], order=2)(np.array([0.5, 1.5]))
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from fad import test_util as _fad_test_util
from fad.autograd.differential_operators import _unary

__all__ = ["check_grads", "combo_check"]


def check_grads(f: Callable, argnum=0, modes=("fwd", "rev"), order: int = 2) -> Callable:
    """A function of ``f``'s arguments that checks ``f``'s derivatives with respect to
    argument ``argnum`` (an int or a tuple) up to ``order``, in forward and/or reverse mode,
    against finite differences (``fad.test_util.check_grads``); raises ``AssertionError``."""
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    if not all(m in ("fwd", "rev") for m in modes):
        raise ValueError(f"modes must be among 'fwd' and 'rev', got {modes}")

    def check(*args, **kwargs):
        fu, x = _unary(f, argnum, args, kwargs)
        _fad_test_util.check_grads(fu, (x,), order=order, modes=modes)

    return check


def combo_check(fun: Callable, *check_args, **check_kwargs) -> Callable:
    """``check_grads`` at every combination of the given argument values: call the result
    with one list of candidates per positional argument (and per keyword argument)."""

    def _combo_check(*args, **kwargs):
        kwarg_key_vals = [[(k, x) for x in xs] for k, xs in kwargs.items()]
        for _args in itertools.product(*args):
            for _kwargs in itertools.product(*kwarg_key_vals):
                check_grads(fun, *check_args, **check_kwargs)(*_args, **dict(_kwargs))

    return _combo_check
