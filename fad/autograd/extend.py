"""autograd's ``extend``: ``primitive`` with ``defvjp``/``defjvp``, as fad primitives.

``primitive(f)`` wraps ``f`` (which may call NumPy, SciPy or anything on plain arrays) as a
new primitive of fad, declared with :mod:`fad.extend` on its first call: the value runs
``f`` on concrete arrays; ``defvjp`` gives reverse mode, ``defjvp`` forward mode; the
missing one is derived (forward mode by transposing the reverse rule, which must then be
written in ``fad.autograd.numpy`` operations, as autograd's rules are). ``vmap`` runs
``f`` example by example. So a primitive works under every fad transform, not only
``grad``.

The arguments of a call are split as autograd splits them: a positional argument's array
and float leaves (containers are flattened) are the primitive's inputs; everything else
(functions, ints, strings, keyword arguments) is passed through unchanged and has no
derivative.

>>> import numpy as onp, fad
>>> import fad.autograd.numpy as np
>>> from fad.autograd.extend import primitive, defvjp
>>> @primitive
... def logsumexp(x):
...     m = onp.max(x)
...     return m + onp.log(onp.sum(onp.exp(x - m)))
>>> defvjp(logsumexp, lambda ans, x: lambda g: g * np.exp(x - ans))
>>> x = np.array([1.0, 2.0])
>>> fad.grad(logsumexp)(x)
array([0.26894142, 0.73105858])
>>> fad.jvp(logsumexp, (x,), (np.array([1.0, 0.0]),))[1]  # forward mode, derived
np.float64(0.2689414213699951)
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as onp

import fad
import fad.numpy as fnp
from fad import extend as _fad_extend
from fad._core import Tracer
from fad.autograd._vspace import Box, VSpace, register_vspace, vspace
from fad.tree_util import PyTreeDef, tree_flatten, tree_unflatten

__all__ = [
    "Box",
    "VSpace",
    "def_linear",
    "defjvp",
    "defjvp_argnum",
    "defjvp_argnums",
    "defvjp",
    "defvjp_argnum",
    "defvjp_argnums",
    "notrace_primitive",
    "primitive",
    "register_vspace",
    "vspace",
]

_counter = itertools.count()
# arguments that are one input leaf as they are (no pytree flattening needed)
_LEAF_TYPES = frozenset(
    {onp.ndarray, float, complex, onp.float64, onp.float32, onp.complex128, onp.complex64}
)
_LEAF = tree_flatten(0.0)[1]


def _is_input(x: Any) -> bool:
    """An array-like leaf (a NumPy array or scalar, a Python float or complex, a traced value)."""
    if type(x) in (float, complex):
        return True
    return hasattr(x, "shape") and hasattr(x, "dtype")


def _shape(x: Any) -> tuple[int, ...]:
    shape = getattr(x, "shape", None)  # (an array, a NumPy scalar, a traced value)
    return fnp.shape(x) if shape is None else tuple(shape)


def _is_complex(x: Any) -> bool:
    dtype = getattr(x, "dtype", None)  # (an array, a NumPy scalar, a traced value)
    return isinstance(x, complex) if dtype is None else onp.dtype(dtype).kind == "c"


def _is_float(x: Any) -> bool:
    return fnp.asarray(x).dtype.kind in "fc" if not hasattr(x, "dtype") else onp.dtype(x.dtype).kind in "fc"


def _rebuild(tree: PyTreeDef, leaves: Sequence[Any]) -> Any:
    return leaves[0] if tree is _LEAF else tree_unflatten(tree, list(leaves))


def _wanted_args(call: _Call, wants: Sequence[bool]) -> list[int]:
    """The positions of the arguments with an input whose cotangent is wanted."""
    if call.simple:  # argument p is input p
        return [p for p, w in enumerate(wants) if w]
    out = []
    for p, slots in enumerate(call.slots):  # (loops: one argument of one slot, commonly)
        for _, i in slots:
            if wants[i]:
                out.append(p)
                break
    return out


class _Call:
    """How one call's positional arguments are rebuilt from the primitive's inputs; hashable
    by identity (a parameter of the bound primitive)."""

    __slots__ = ("kwargs", "trees", "leaves", "slots", "boxes", "simple", "inputs", "out_tree")

    def __init__(self, args: Any, kwargs: Any) -> None:
        self.kwargs = kwargs
        # per argument: treedef, leaves, input indices
        self.trees: list[PyTreeDef] = []
        self.leaves: list[list[Any]] = []
        self.slots: list[list[tuple[int, int]]] = []
        self.boxes: dict[
            int, Box
        ] = {}  # input index -> the Box whose handle it is (a registered vector space)
        self.out_tree: Any = None  # the output's treedef, set by the first evaluation
        # whether each argument is one input as it is (argument p is input p): the common
        # case, for which the methods below take a short way
        self.simple = True
        for arg in args:
            if type(arg) not in _LEAF_TYPES and not isinstance(arg, Tracer):
                self.simple = False
                break
        else:
            n = len(args)
            self.trees = [_LEAF] * n
            self.leaves = [[None]] * n  # (never written: the inputs are not kept here)
            for i in range(n):
                self.slots.append([(0, i)])
            self.inputs = list(args)
            return
        inputs: list[Any] = []
        for arg in args:
            if type(arg) in _LEAF_TYPES or isinstance(arg, Tracer):  # one array: no flattening
                self.trees.append(_LEAF)
                self.leaves.append([arg])
                self.slots.append([(0, len(inputs))])
                inputs.append(arg)
                continue
            leaves, tree = tree_flatten(arg)
            slots: list[tuple[int, int]] = []
            for k, leaf in enumerate(leaves):
                if isinstance(leaf, Box) and leaf._trace is not None:
                    self.boxes[len(inputs)] = leaf
                    leaves[k] = leaf._value
                    slots.append((k, len(inputs)))
                    inputs.append(leaf._trace)
                elif _is_input(leaf):
                    slots.append((k, len(inputs)))
                    inputs.append(leaf)
            self.trees.append(tree)
            self.leaves.append(leaves)
            self.slots.append(slots)
        self.inputs = inputs

    def take_inputs(self) -> list[Any]:
        """The inputs, handed over: the call keeps no reference to them (it is a parameter
        on the tape of the trace they belong to, which a reference would make a cycle that
        only the garbage collector frees). ``args`` puts them back in their slots."""
        inputs, self.inputs = self.inputs, []
        if self.simple:
            return inputs
        for leaves, slots in zip(self.leaves, self.slots, strict=True):
            for k, i in slots:
                if i not in self.boxes:
                    leaves[k] = None
        return inputs

    def args(self, inputs: Sequence[Any]) -> list[Any]:
        if self.simple:
            return list(inputs)
        out = []
        for tree, leaves, slots in zip(self.trees, self.leaves, self.slots, strict=True):
            if tree is _LEAF and slots and not self.boxes:  # one array argument
                out.append(inputs[slots[0][1]])
                continue
            leaves = list(leaves)
            for k, i in slots:
                if i not in self.boxes:  # a box's value stays in place of its handle
                    leaves[k] = inputs[i]
            out.append(tree_unflatten(tree, leaves))
        return out

    def arg_tangent(self, argnum: int, inputs: Sequence[Any], tangents: Sequence[Any]) -> Any:
        """Argument ``argnum`` with its input leaves replaced by their tangents (zeros for none)."""
        leaves = list(self.leaves[argnum])
        for k, i in self.slots[argnum]:
            t = tangents[i]
            leaves[k] = fnp.zeros_like(inputs[i]) if t is None else t
        return tree_unflatten(self.trees[argnum], leaves)


class Primitive:
    """What :func:`primitive` returns: call it as the wrapped function."""

    def __init__(self, fun: Callable[..., Any]) -> None:
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.__name__: str = getattr(fun, "__name__", "primitive")
        # (argnums, ans, args, kwargs) -> (g -> cotangents), as autograd's
        self.vjp_argnums: Callable[..., Callable[[Any], Any]] | None = None
        # (argnum, g, ans, args, kwargs) -> tangent of the output
        self.jvp_argnum: Callable[..., Any] | None = None
        self._prim: _fad_extend.Primitive | None = None
        self._transposing = False

    # autograd's deprecated per-primitive declarations (before defvjp(fun, ...) existed)
    def _old_rules(self, argnum: int, maker: Any, what: str) -> None:
        warnings.warn(f"The {what} method is deprecated: use fad.autograd.extend.defvjp.", stacklevel=3)
        rules = self.__dict__.setdefault("_old", {})
        rules[argnum] = maker
        nums = sorted(rules)
        defvjp(self, *[rules[n] for n in nums], argnums=nums)

    def defgrad(self, gradfun: Callable[..., Any], argnum: int = 0) -> None:
        """Deprecated: ``defvjp(fun, gradfun, argnums=[argnum])``."""
        self._old_rules(argnum, gradfun, "defgrad")

    def defvjp(self, vjpfun: Callable[..., Any], argnum: int = 0) -> None:
        """Deprecated: ``vjpfun(g, ans, vs, gvs, *args)`` gives the cotangent of ``argnum``."""

        def maker(ans: Any, *args: Any, **kwargs: Any) -> Any:
            return lambda g: vjpfun(g, ans, vspace(args[argnum]), vspace(g), *args, **kwargs)

        self._old_rules(argnum, maker, "defvjp")

    def defvjp_is_zero(self, argnums: Sequence[int] = (0,)) -> None:
        """Deprecated: zero cotangents for ``argnums``."""
        for n in argnums:
            self._old_rules(n, None, "defvjp_is_zero")

    def __get__(self, obj: Any, objtype: Any = None) -> Any:  # a primitive method: bound to its instance
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        call = _Call(args, kwargs)
        if not call.inputs:  # nothing to differentiate: a plain call
            return self.fun(*args, **kwargs)
        outs = _fad_extend.bind(self._primitive(), *call.take_inputs(), call=call)
        return _rebuild(call.out_tree, outs)

    def _primitive(self) -> _fad_extend.Primitive:
        if self._prim is None:
            name = f"autograd.{getattr(self.fun, '__qualname__', 'primitive')}#{next(_counter)}"
            prim = _fad_extend.Primitive(name, self._impl)
            prim.multiple_results = True
            prim.jvp, prim.vjp = self._jvp, self._vjp
            _fad_extend.batch_by_loop(prim)
            self._prim = prim
        return self._prim

    def _impl(self, *inputs: Any, call: _Call) -> tuple[Any, ...]:
        out = self.fun(*call.args(inputs), **call.kwargs)
        if type(out) in _LEAF_TYPES:  # one array or number: no flattening
            call.out_tree = _LEAF
            return (onp.asarray(out),)
        leaves, call.out_tree = tree_flatten(out)
        return tuple(onp.asarray(leaf) for leaf in leaves)

    def _missing(self, kind: str, argnums: Sequence[int]) -> NotImplementedError:
        return NotImplementedError(
            f"{kind} of {self.__name__} wrt argnums {tuple(argnums)} not defined: declare it "
            f"with fad.autograd.extend.def{kind.lower()}({self.__name__}, ...)."
        )

    def _cotangents(
        self, ct: Sequence[Any], ans: Sequence[Any], inputs: Sequence[Any], wants: Sequence[bool], call: _Call
    ) -> list[Any]:
        """The cotangent of each input (``None`` where not wanted)."""
        return self._vjp(ct, ans, inputs, wants, call=call)

    def _vjp(
        self,
        ct: Sequence[Any],
        ans: Sequence[Any],
        inputs: Sequence[Any],
        wants: Sequence[bool],
        *,
        call: _Call,
    ) -> list[Any]:
        """The primitive's reverse rule: :meth:`_cotangents`."""
        args = call.args(inputs)
        ans_tree = _rebuild(call.out_tree, ans)
        for c in ct:
            if c is None:
                ct = [fnp.zeros_like(a) if c is None else c for c, a in zip(ct, ans, strict=True)]
                break
        g = _rebuild(call.out_tree, ct)
        argnums = _wanted_args(call, wants)
        if self.vjp_argnums is None:
            if self.jvp_argnum is None:
                raise self._missing("VJP", argnums)
            return self._transposed_jvp(g, ans, inputs, wants, call)
        vjp = self.vjp_argnums(argnums, ans_tree, args, call.kwargs)
        out = [None] * len(inputs)
        if call.simple:  # one array per argument (argument p is input p, wanted)
            for p, c in zip(argnums, vjp(g), strict=True):
                x = inputs[p]
                if type(c) is onp.ndarray and type(x) is onp.ndarray:  # (no dispatch)
                    if c.shape != x.shape:
                        c = fnp.broadcast_to(c, x.shape)
                    if c.dtype.kind == "c" and x.dtype.kind != "c":
                        c = fnp.real(c)
                else:
                    if _shape(c) != _shape(x):
                        c = fnp.broadcast_to(c, _shape(x))
                    if _is_complex(c) and not _is_complex(x):
                        c = fnp.real(c)  # a real input's cotangent is real (autograd's convention)
                out[p] = c
            return out
        for p, c in zip(argnums, vjp(g), strict=True):
            # the argument's own structure (a tuple of one array too), or the array itself
            tree = call.trees[p]
            c_leaves = [c] if tree is _LEAF or tree.num_nodes <= 1 else tree_flatten(c)[0]
            if len(c_leaves) != call.trees[p].num_leaves:
                c_leaves = [c]
            for k, i in call.slots[p]:
                if not wants[i]:
                    continue
                box = call.boxes.get(i)
                if box is not None:  # a vector space's cotangent: added up beside the tape
                    total = box._node
                    total[0] = (
                        c_leaves[k] if total[0] is None else vspace(total[0]).add(total[0], c_leaves[k])
                    )
                    out[i] = fnp.zeros_like(inputs[i])
                else:
                    c, shape = c_leaves[k], _shape(inputs[i])
                    if _shape(c) != shape:
                        c = fnp.broadcast_to(c, shape)
                    if _is_complex(c) and not _is_complex(inputs[i]):
                        c = fnp.real(c)  # a real input's cotangent is real (autograd's convention)
                    out[i] = c
        return out

    def _transposed_jvp(
        self, g: Any, ans: Sequence[Any], inputs: Sequence[Any], wants: Sequence[bool], call: _Call
    ) -> list[Any]:
        """Reverse mode from the forward rule: ``ct -> J^T ct`` is the transpose of ``t -> J t``."""
        idx = [i for i, w in enumerate(wants) if w]
        if self._transposing:  # the forward rule calls the primitive itself (def_linear)
            raise self._missing(
                "VJP", [p for p, slots in enumerate(call.slots) if any(wants[i] for _, i in slots)]
            )

        def linear(ts: Any) -> Any:
            tangents = [None] * len(inputs)
            for i, t in zip(idx, ts, strict=True):
                tangents[i] = t
            return self._jvp(inputs, tangents, call=call)[1]

        self._transposing = True
        try:
            _, transpose = fad.vjp(linear, [fnp.zeros_like(inputs[i]) for i in idx])
            (cts,) = transpose(tree_flatten(g)[0])
        finally:
            self._transposing = False
        out = [None] * len(inputs)
        for i, c in zip(idx, cts, strict=True):
            out[i] = c
        return out

    def _jvp(self, primals: Sequence[Any], tangents: Sequence[Any], *, call: _Call) -> tuple[Any, list[Any]]:
        prim = self._prim  # (made before any of its rules can run)
        out = _fad_extend.bind(prim, *primals, call=call)  # type: ignore[arg-type]
        live = [t is not None and _is_float(p) for p, t in zip(primals, tangents, strict=True)]
        if not any(live):
            return out, [None] * len(out)
        if self.jvp_argnum is not None:
            ans_tree = _rebuild(call.out_tree, out)
            args = call.args(primals)
            total = None
            for p, slots in enumerate(call.slots):
                if not any(live[i] for _, i in slots):
                    continue
                t = self.jvp_argnum(p, call.arg_tangent(p, primals, tangents), ans_tree, args, call.kwargs)
                total = t if total is None else fad.tree_util.tree_map(lambda a, b: a + b, total, t)
            leaves = tree_flatten(total)[0]
            return out, [fnp.broadcast_to(t, fnp.shape(o)) for t, o in zip(leaves, out, strict=True)]
        if self.vjp_argnums is None:
            raise self._missing("JVP", [p for p, s in enumerate(call.slots) if s])
        # forward mode from the reverse rule: J t is the transpose of ct -> J^T ct
        wants = tuple(live)

        def pullback(ct: Any) -> Any:
            cts = self._cotangents(list(ct), out, primals, wants, call)
            return [c for c, w in zip(cts, wants, strict=True) if w]

        _, transpose = fad.vjp(pullback, [fnp.zeros_like(o) for o in out])
        (t_out,) = transpose([t for t, w in zip(tangents, wants, strict=True) if w])
        return out, list(t_out)


def primitive(f_raw: Callable[..., Any]) -> Primitive:
    """Wrap ``f_raw`` as a primitive: fad does not trace into it; give its derivatives with
    :func:`defvjp` and/or :func:`defjvp`."""
    return Primitive(f_raw)


def notrace_primitive(f_raw: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``f_raw`` so that it runs on the plain values of its arguments, with no derivative."""

    @functools.wraps(f_raw)
    def f_wrapped(*args: Any, **kwargs: Any) -> Any:
        return f_raw(*fad.tree_util.tree_map(fad.stop_gradient, args), **kwargs)

    return f_wrapped


def _require_primitive(fun: object, what: str) -> None:
    if not isinstance(fun, Primitive):
        raise TypeError(f"{what} needs a function made by fad.autograd.extend.primitive, got {fun!r}.")


def defvjp_argnums(fun: Primitive, vjpmaker: Callable[..., Any]) -> None:
    """``vjpmaker(argnums, ans, args, kwargs)`` returns ``g -> cotangents``, one per argnum."""
    _require_primitive(fun, "defvjp_argnums")
    fun.vjp_argnums = vjpmaker


def defvjp_argnum(fun: Primitive, vjpmaker: Callable[..., Any]) -> None:
    """``vjpmaker(argnum, ans, args, kwargs)`` returns ``g -> cotangent`` for that argument."""

    def vjp_argnums(argnums: Any, *args: Any) -> Any:
        vjps = [vjpmaker(argnum, *args) for argnum in argnums]
        return lambda g: tuple(vjp(g) for vjp in vjps)

    defvjp_argnums(fun, vjp_argnums)


def _zero_cotangent(zero: Any) -> Callable[[Any], Any]:
    return lambda g: zero


def defvjp(
    fun: Primitive, *vjpmakers: Callable[..., Any] | None, argnums: Sequence[int] | None = None
) -> None:
    """One ``vjpmaker(ans, *args, **kwargs) -> (g -> cotangent)`` per positional argument
    (or per entry of ``argnums``); ``None``: a zero cotangent."""
    _require_primitive(fun, "defvjp")
    argnums = range(len(vjpmakers)) if argnums is None else argnums
    makers = dict(zip(argnums, vjpmakers, strict=True))

    def vjp_argnums(nums: Any, ans: Any, args: Any, kwargs: Any) -> Any:
        for n in nums:
            if n not in makers:
                raise fun._missing("VJP", [m for m in nums if m not in makers])
        vjps: list[Callable[[Any], Any]] = []
        for n in nums:
            maker = makers[n]
            if maker is None:
                vjps.append(_zero_cotangent(fnp.zeros_like(args[n])))
            else:
                vjps.append(maker(ans, *args, **kwargs))
        if len(vjps) == 1:  # (one argument: no generator)
            (only,) = vjps
            return lambda g: (only(g),)
        return lambda g: tuple(vjp(g) for vjp in vjps)

    fun.vjp_argnums = vjp_argnums


def defjvp_argnums(fun: Primitive, jvpmaker: Callable[..., Any]) -> None:
    """``jvpmaker(argnums, gs, ans, args, kwargs)`` returns the output's tangent."""
    _require_primitive(fun, "defjvp_argnums")

    def jvp_argnum(argnum: Any, g: Any, ans: Any, args: Any, kwargs: Any) -> Any:
        return jvpmaker((argnum,), (g,), ans, args, kwargs)

    fun.jvp_argnum = jvp_argnum


def defjvp_argnum(fun: Primitive, jvpmaker: Callable[..., Any]) -> None:
    """``jvpmaker(argnum, g, ans, args, kwargs)`` returns the output's tangent from argument ``argnum``."""
    _require_primitive(fun, "defjvp_argnum")
    fun.jvp_argnum = jvpmaker


def defjvp(
    fun: Primitive, *jvpfuns: Callable[..., Any] | str | None, argnums: Sequence[int] | None = None
) -> None:
    """One ``jvpfun(g, ans, *args, **kwargs) -> tangent`` per positional argument (or per
    entry of ``argnums``); ``None``: no contribution; ``"same"``: ``fun`` is linear in it."""
    _require_primitive(fun, "defjvp")
    argnums = range(len(jvpfuns)) if argnums is None else argnums
    rules = dict(zip(argnums, jvpfuns, strict=True))

    def jvp_argnum(argnum: Any, g: Any, ans: Any, args: Any, kwargs: Any) -> Any:
        if argnum not in rules:
            raise fun._missing("JVP", [argnum])
        rule = rules[argnum]
        if rule is None:
            return fad.tree_util.tree_map(fnp.zeros_like, ans)
        if isinstance(rule, str):  # "same"
            return fun(*args[:argnum], g, *args[argnum + 1 :], **kwargs)
        return rule(g, ans, *args, **kwargs)

    fun.jvp_argnum = jvp_argnum


def def_linear(fun: Primitive) -> None:
    """Declare ``fun`` linear in each argument: its derivatives are ``fun`` itself."""
    defjvp_argnum(
        fun, lambda argnum, g, ans, args, kwargs: fun(*args[:argnum], g, *args[argnum + 1 :], **kwargs)
    )
