"""autograd's ``util``: ``func`` (the function of a primitive method), ``subvals``, ``subval``.

>>> from fad.autograd.util import func, subvals
>>> subvals((1, 2, 3), [(0, "a"), (2, "c")])
('a', 2, 'c')
"""

from __future__ import annotations

from typing import Any

__all__ = ["func", "quick_grad_check", "subval", "subvals"]


def func(f: Any) -> Any:
    """The function behind ``f``: a primitive declared as a method (``MyType.__call__``) is
    already one, so this is the identity, as in autograd under Python 3."""
    return f


def subvals(x: Any, ivs: Any) -> Any:
    """The tuple ``x`` with ``x[i]`` replaced by ``v`` for each ``(i, v)`` of ``ivs``."""
    x_ = list(x)
    for i, v in ivs:
        x_[i] = v
    return tuple(x_)


def subval(x: Any, i: Any, v: Any) -> Any:
    """The tuple ``x`` with ``x[i]`` replaced by ``v``."""
    return subvals(x, [(i, v)])


def quick_grad_check(
    fun: Any,
    arg0: Any,
    extra_args: Any = (),
    kwargs: Any = None,
    verbose: Any = True,
    eps: Any = None,
    rtol: Any = None,
    atol: Any = None,
    rs: Any = None,
) -> None:
    """Deprecated: ``check_grads(fun)(arg0, *extra_args, **kwargs)`` (autograd's old check)."""
    import warnings

    from fad.autograd.test_util import check_grads

    warnings.warn("quick_grad_check is deprecated: use fad.autograd.test_util.check_grads.", stacklevel=2)
    check_grads(fun, modes=["rev"], order=1)(arg0, *extra_args, **(kwargs or {}))
