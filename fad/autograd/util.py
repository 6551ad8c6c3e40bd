"""autograd's ``util``: ``func`` (the function of a primitive method), ``subvals``, ``subval``.

>>> from fad.autograd.util import func, subvals
>>> subvals((1, 2, 3), [(0, "a"), (2, "c")])
('a', 2, 'c')
"""

__all__ = ["func", "subval", "subvals"]


def func(f):
    """The function behind ``f``: a primitive declared as a method (``MyType.__call__``) is
    already one, so this is the identity, as in autograd under Python 3."""
    return f


def subvals(x, ivs):
    """The tuple ``x`` with ``x[i]`` replaced by ``v`` for each ``(i, v)`` of ``ivs``."""
    x_ = list(x)
    for i, v in ivs:
        x_[i] = v
    return tuple(x_)


def subval(x, i, v):
    """The tuple ``x`` with ``x[i]`` replaced by ``v``."""
    return subvals(x, [(i, v)])
