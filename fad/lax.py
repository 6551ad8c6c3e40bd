"""Structured control flow with JAX's names: `cond`, `switch`, `select`,
`fori_loop`, `while_loop`, `scan`, `map`; and JAX's `lax` operations that ported code
uses (`stop_gradient`, `dynamic_slice` and `dynamic_update_slice`, `dot_general`, `pad`,
`broadcast_in_dim`, the reductions by axes and the elementwise functions under their lax
names: see `fad._lax_ops`).

fad runs eagerly, so these are Python control flow over concrete values: `grad`,
`jvp` and `vjp` see every operation the taken branch or each iteration performs, in
forward and reverse mode alike (including `while_loop`, which JAX cannot
reverse-differentiate). Under `vmap` a predicate may differ across the batch: `cond`
and `switch` then run each branch only on the examples that take it, and
`while_loop` runs its body only on the examples still going, until every example is
done. So `vmap(f)(X)[i] == f(X[i])` for values and every derivative, even where the
branch an example does not take has an infinite derivative there. (Under `fad.jit` a
staged predicate has no value yet: every branch runs and the results are selected; the
loops are staged as loops, see `fad._loops`.)

Examples:
    >>> import fad, fad.numpy as fnp
    >>> from fad import lax
    >>> def halve_until_small(x):
    ...     return lax.while_loop(lambda v: v > 1.0, lambda v: v / 2, x)
    >>> fad.vmap(halve_until_small)(fnp.array([0.5, 3.0, 10.0]))
    array([0.5  , 0.75 , 0.625])
    >>> fad.grad(halve_until_small)(10.0)
    np.float64(0.0625)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from fad import _lax_conv, _lax_ops, _loops
from fad._core import Tracer, TracerConversionError
from fad._lax_conv import *  # noqa: F403 - convolutions and windowed reductions (see fad._lax_conv)
from fad._lax_ops import *  # noqa: F403 - JAX's lax operations (see fad._lax_ops)
from fad._prims import getitem
from fad._prims.cond import batch_pattern, split_by_index
from fad._prims.control import any_in_batch
from fad._staging import ConcretizationError, staging_below
from fad._tree import tree_flatten, tree_unflatten
from fad.numpy import asarray, maximum, minimum, stack, where

if TYPE_CHECKING:
    from fad.typing import Array, ArrayLike

__all__ = [
    "cond",
    "switch",
    "select",
    "fori_loop",
    "while_loop",
    "scan",
    "map",
    *_lax_ops.__all__,
    *_lax_conv.__all__,
]

R = TypeVar("R")  # a branch's result
T = TypeVar("T")
C = TypeVar("C")  # a loop's carry


def _concrete_bool(p: Any, what: str) -> bool | None:
    """`bool(p)`, or None when `p` is batched (differs across a vmap batch)."""
    try:
        return bool(p)
    except TracerConversionError:
        return None
    except ValueError:  # NumPy: the truth value of an array with more than one element
        raise _not_scalar(p, what) from None


def _not_scalar(p: Any, what: str) -> TypeError:
    return TypeError(
        f"{what} must be a boolean scalar, got an array of shape {np.shape(p)} (per example "
        "under vmap). Reduce it to one value (.any(), .all(), [i]); for an elementwise choice "
        "use lax.select or fad.numpy.where."
    )


def _aval(x: Any) -> str:
    if type(x) in (bool, int, float, complex):
        return f"{type(x).__name__} (Python scalar)"
    shape = x.shape if hasattr(x, "shape") else np.shape(x)
    return f"{np.dtype(x.dtype).name if hasattr(x, 'dtype') else np.result_type(x).name}{list(shape)}"


def _same_types(a: Any, b: Any) -> bool:
    """Whether two leaves agree in shape and dtype (a Python scalar takes any dtype)."""
    if type(a) in (bool, int, float, complex) or type(b) in (bool, int, float, complex):
        return tuple(np.shape(a)) == tuple(np.shape(b))
    return tuple(a.shape) == tuple(b.shape) and bool(a.dtype == b.dtype)


def _branch_check(what: str, names: Sequence[str]) -> Callable[..., None]:
    """`check` for split_by_index: the branches' outputs must agree (JAX's rule)."""

    def check(first: Any, other: Any, k0: Any = None, k1: Any = None) -> None:
        (t0, l0), (t1, l1) = first, other
        n0 = names[k0] if k0 is not None else "one branch"
        n1 = names[k1] if k1 is not None else "another"
        if t0 != t1:
            raise TypeError(
                f"{what}: the branches returned different structures: {n0} returned {t0} and "
                f"{n1} returned {t1}. Every branch must return the same pytree structure, shapes "
                "and dtypes."
            )
        for i, (a, b) in enumerate(zip(l0, l1, strict=True)):
            if not _same_types(a, b):
                raise TypeError(
                    f"{what}: the branches returned different types at output {i}: {n0} returned "
                    f"{_aval(a)} and {n1} returned {_aval(b)}. Every branch must return the same "
                    "shapes and dtypes (cast with .astype, or broadcast, in the branch)."
                )

    return check


def _select_tree(
    p: Any,
    on_true: T,
    on_false: T,
    check: Callable[..., None],
    k_true: int | None = None,
    k_false: int | None = None,
) -> T:
    t_leaves, t_tree = tree_flatten(on_true)
    f_leaves, f_tree = tree_flatten(on_false)
    check((t_tree, t_leaves), (f_tree, f_leaves), k_true, k_false)
    out: T = tree_unflatten(t_tree, [where(p, a, b) for a, b in zip(t_leaves, f_leaves, strict=True)])
    return out


def _batched_index(x: Any, what: str) -> Any:
    """A batched predicate or index as an int per example (an operation, so that the
    current trace owns it), after checking it is a scalar per example."""
    if x.shape != ():
        raise _not_scalar(x, what)
    return where(x, 1, 0) if x.dtype == np.bool_ else x


def select(pred: ArrayLike, on_true: ArrayLike, on_false: ArrayLike) -> Array:
    """Elementwise `on_true if pred else on_false` (`fad.numpy.where`).

    Args:
        pred: Boolean array.
        on_true: Values where `pred` holds.
        on_false: Values elsewhere.

    Returns:
        The selection, of the arguments' broadcast shape.

    Examples:
        >>> import fad.numpy as fnp
        >>> select(fnp.array([True, False]), fnp.array([1.0, 2.0]), fnp.array([3.0, 4.0]))
        array([1., 4.])
    """
    return where(pred, on_true, on_false)


_COND_NAMES = ("false_fun", "true_fun")


def cond(pred: Any, true_fun: Callable[..., R], false_fun: Callable[..., R], *operands: Any) -> R:
    """`true_fun(*operands)` if `pred` else `false_fun(*operands)`.

    Under `vmap` with a predicate that differs across the batch, each branch runs only
    on the examples that take it (both must return the same structure, shapes, dtypes).

    Args:
        pred: A boolean scalar (per example under `vmap`).
        true_fun: Branch run where `pred` holds.
        false_fun: Branch run elsewhere; it returns the same structure, shapes and dtypes as `true_fun`.
        *operands: The operands, passed to the chosen branch.

    Returns:
        The taken branch's result.

    Raises:
        TypeError: when `pred` is not a scalar, or the branches' results differ in structure, shape or dtype.

    Examples:
        >>> import fad
        >>> fad.grad(lambda x: cond(x > 0, lambda v: v ** 2, lambda v: -v, x))(3.0)
        np.float64(6.0)
    """
    b = _concrete_bool(pred, "lax.cond's predicate")
    if b is not None:
        return true_fun(*operands) if b else false_fun(*operands)
    check = _branch_check("lax.cond", _COND_NAMES)
    out: R | None = split_by_index(
        _batched_index(pred, "lax.cond's predicate"), [false_fun, true_fun], operands, check
    )
    if out is not None:
        return out
    return _select_tree(pred, true_fun(*operands), false_fun(*operands), check, 1, 0)  # staged by jit


def switch(index: Any, branches: Sequence[Callable[..., R]], *operands: Any) -> R:
    """`branches[index](*operands)`, with `index` clamped to the valid range (as JAX).

    Args:
        index: An integer scalar (per example under `vmap`), clamped to `[0, len(branches) - 1]`.
        branches: The branches; all return the same structure, shapes and dtypes.
        *operands: The operands, passed to the chosen branch.

    Returns:
        The chosen branch's result.

    Raises:
        ValueError: when `branches` is empty.

    Examples:
        >>> switch(1, [lambda x: x + 1, lambda x: x * 10], 2.0)
        20.0
    """
    branches = list(branches)
    if not branches:
        raise ValueError("switch needs at least one branch.")
    n = len(branches)
    try:
        i = _concrete_int(index)
    except ConcretizationError:  # staged by jit: stage every branch and select, like cond
        i = None
    if i is not None:
        return branches[0 if i < 0 else n - 1 if i >= n else i](*operands)  # (clamped, as JAX)
    if np.shape(index) != ():
        raise _not_scalar(index, "lax.switch's index")
    index = minimum(maximum(index, 0), n - 1)
    check = _branch_check("lax.switch", [f"branches[{k}]" for k in range(n)])
    split: R | None = split_by_index(index, branches, operands, check)
    if split is not None:
        return split
    out = branches[-1](*operands)
    for k in range(n - 2, -1, -1):
        out = _select_tree(index == k, branches[k](*operands), out, check, k, None)
    return out


def _concrete_int(x: Any) -> int | None:
    """`int(x)`, or None when `x` is batched by vmap."""
    if isinstance(x, Tracer):
        try:
            return int(x._concrete("int"))
        except ConcretizationError:
            raise  # staged by jit: not a batch, a value the program cannot know
        except TracerConversionError:
            return None
    return int(x)


def fori_loop(lower: Any, upper: Any, body_fun: Callable[[Any, C], C], init_val: C) -> C:
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)` (integer bounds).

    Under `fad.jit` the loop is staged (not unrolled), also when its bounds depend on
    the arguments.

    Args:
        lower: First value of `i` (an integer).
        upper: End of the range of `i` (excluded).
        body_fun: `body_fun(i, val) -> val`, keeping the carry's structure, shapes and dtypes.
        init_val: The initial carry (a pytree).

    Returns:
        The final carry.

    Raises:
        TypeError: when the body changes the carry's structure, shapes or dtypes.

    Examples:
        >>> fori_loop(0, 3, lambda i, v: v + i, 0.0)
        3.0
    """
    _bound_kind(lower, "lower")
    _bound_kind(upper, "upper")
    try:
        lo, hi = _bound(lower, "lower"), _bound(upper, "upper")
    except ConcretizationError:  # bounds known only when the jitted function runs
        return _staged_fori(lower, upper, body_fun, init_val)
    if staging_below() and hi > lo:  # jit: one staged loop, not hi - lo copies of the body
        try:
            return _staged_fori(lo, hi, body_fun, init_val, length=hi - lo)
        except ConcretizationError:  # the body needs i's value (x[:i]): unrolled instead
            pass
    val = init_val
    for i in range(lo, hi):
        new = body_fun(i, val)
        _check_carry("lax.fori_loop", "body_fun", val, new)
        val = new
    return val


def _bound_kind(x: Any, name: str) -> None:
    kind = np.dtype(x.dtype).kind if hasattr(x, "dtype") else np.result_type(type(x)).kind
    if kind not in "iub":
        raise TypeError(
            f"fori_loop's {name} bound must be an integer, got {x!r} ({_aval(x)}). fori_loop runs "
            "range(lower, upper) and does not round: pass integers (int(...), math.ceil(...)), "
            "or use while_loop for a real-valued condition."
        )


def _bound(x: Any, name: str) -> Any:
    i = _concrete_int(x)
    if i is None:
        raise TypeError(
            f"fori_loop's {name} bound differs across a vmap batch; use while_loop with a "
            "batched condition instead."
        )
    return i


def _staged_fori(
    lower: Any, upper: Any, body_fun: Callable[[Any, C], C], init_val: C, length: int | None = None
) -> C:
    """fori_loop as one staged loop: a scan of `length` steps when the bounds are known,
    else a while loop on the carry `(i, upper, val)`."""
    leaves, tree = tree_flatten(init_val)
    leaves = [_carry_leaf(x) for x in leaves]
    itype = np.result_type(_int_dtype(lower), _int_dtype(upper))

    def step(i: Any, c: Any) -> Any:
        val = tree_unflatten(tree, list(c))
        new = body_fun(i, val)
        _check_carry("lax.fori_loop", "body_fun", val, new)
        return _carry_leaves(new, leaves)

    if length is not None:
        out = _loops.bind_scan(
            lambda i, *c: [i + 1, *step(i, c)], [np.asarray(lower, itype), *leaves], [], length=length
        )
    else:
        start = asarray(lower).astype(itype)
        stop = asarray(upper).astype(itype)
        out = _loops.bind_while(
            lambda i, n, *c: [i < n], lambda i, n, *c: [i + 1, n, *step(i, c)], [start, stop, *leaves]
        )[1:]
    result: C = tree_unflatten(tree, out[1:])
    return result


def _int_dtype(x: Any) -> Any:
    return x.dtype if hasattr(x, "dtype") else np.result_type(type(x))


def _carry_leaf(x: Any) -> Any:
    """A leaf of a staged loop's carry: an array (a Python number becomes NumPy's)."""
    return x if isinstance(x, (Tracer, np.ndarray)) else np.asarray(x)


def _carry_leaves(new: Any, like: Any) -> Any:
    """The leaves of a new carry, each of its initial leaf's dtype (a Python number the
    body returns takes it, as NumPy's rule for Python scalars gives it)."""
    out = tree_flatten(new)[0]
    return [
        np.asarray(x, dtype=_int_dtype(old)) if not isinstance(x, (Tracer, np.ndarray)) else x
        for x, old in zip(out, like, strict=True)
    ]


def _check_carry(what: str, fun: str, old: Any, new: Any) -> None:
    """The loop carry keeps its structure, shapes and dtypes (JAX's rule)."""
    if type(old) is type(new) and hasattr(old, "shape"):  # one array: the common case
        if old.shape == new.shape and old.dtype == new.dtype:
            return
    o_leaves, o_tree = tree_flatten(old)
    n_leaves, n_tree = tree_flatten(new)
    fix = "Return a carry of the same structure, shapes and dtypes as the initial value (cast with .astype)."
    if o_tree != n_tree:
        raise TypeError(f"{what}: {fun} changed the carry's structure from {o_tree} to {n_tree}. {fix}")
    for i, (a, b) in enumerate(zip(o_leaves, n_leaves, strict=True)):
        if not _same_types(a, b):
            raise TypeError(
                f"{what}: {fun} changed the carry at leaf {i} from {_aval(a)} to {_aval(b)}. {fix}"
            )


def while_loop(cond_fun: Callable[[C], Any], body_fun: Callable[[C], C], init_val: C) -> C:
    """`while cond_fun(val): val = body_fun(val)`; differentiable in both modes.

    `cond_fun` returns a boolean scalar; `body_fun` returns a carry of the same
    structure, shapes and dtypes. Under `vmap` with a batched condition, it iterates
    while any example's condition holds, running the body only on the examples whose
    condition holds (the finished ones are left as they are, in every derivative too).

    Args:
        cond_fun: `cond_fun(val)` -> a boolean scalar.
        body_fun: `body_fun(val) -> val`, keeping the carry's structure, shapes and dtypes.
        init_val: The initial carry (a pytree).

    Returns:
        The final carry.

    Raises:
        TypeError: when the condition is not a scalar, or the body changes the carry's structure, shapes or
            dtypes.

    Examples:
        >>> while_loop(lambda v: v < 10, lambda v: v * 2, 1)
        16
    """

    def body(v: Any) -> Any:
        new = body_fun(v)
        _check_carry("lax.while_loop", "body_fun", v, new)
        return new

    check = _branch_check("lax.while_loop", ("the finished examples' carry", "body_fun"))
    what = "lax.while_loop's cond_fun result"
    val = init_val
    while True:
        p = cond_fun(val)
        b = _concrete_bool(p, what)
        if b is not None:
            if not b:
                return val
            val = body(val)
            continue
        index = _batched_index(p, what)
        pattern = batch_pattern(index)
        if pattern is not None:
            if not pattern[1].any():
                return val
            val = split_by_index(index, [lambda v: v, body], (val,), check)
            continue
        try:
            more = bool(any_in_batch(p))
        except ConcretizationError:  # staged by jit: the loop goes into the program
            return _staged_while(cond_fun, body, val, what)
        if not more:
            return val
        val = _select_tree(p, body(val), val, check, 1, 0)


def _staged_while(cond_fun: Callable[[C], Any], body_fun: Callable[[C], C], init_val: C, what: str) -> C:
    leaves, tree = tree_flatten(init_val)
    leaves = [_carry_leaf(x) for x in leaves]

    def cond(*c: Any) -> Any:
        p = cond_fun(tree_unflatten(tree, list(c)))
        if np.shape(p) != ():
            raise _not_scalar(p, what)
        return [p if _int_dtype(p) == np.bool_ else asarray(p) != 0]

    def body(*c: Any) -> Any:
        return _carry_leaves(body_fun(tree_unflatten(tree, list(c))), leaves)

    result: C = tree_unflatten(tree, _loops.bind_while(cond, body, leaves))
    return result


def scan(
    f: Callable[[C, Any], tuple[C, Any]],
    init: C,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
) -> tuple[C, Any]:
    """Loop `carry, y = f(carry, x)` over the leading axis of `xs`; returns
    `(carry, stacked ys)`, as `jax.lax.scan`.

    Args:
        f: `f(carry, x) -> (carry, y)`, keeping the carry's structure, shapes and dtypes.
        init: The initial carry (a pytree).
        xs: The pytree scanned over its leading axis; None with `length`.
        length: The number of steps when `xs` is None (else it must agree).
        reverse: Scan from the last element to the first (the ys keep their positions).
        unroll: Accepted for JAX compatibility; ignored.

    Returns:
        `(final carry, ys stacked on a leading axis)`; `ys` is None when `f` returns None as `y`.

    Raises:
        ValueError: when the leading axes of `xs` differ, or neither `xs` nor `length` is given.

    Examples:
        >>> import fad.numpy as fnp
        >>> scan(lambda c, x: (c + x, c * x), 0.0, fnp.array([1.0, 2.0, 3.0]))
        (np.float64(6.0), array([0., 2., 9.]))
    """
    x_leaves, x_tree = tree_flatten(xs)
    n = length
    for leaf in x_leaves:
        m = leaf.shape[0] if hasattr(leaf, "shape") else len(leaf)
        if n is not None and m != n:
            raise ValueError(f"scan: xs leading axes differ ({m} vs {n}); they must all equal length.")
        n = m
    if n is None:
        raise ValueError("scan needs xs or an explicit length.")
    if n and staging_below():  # jit: one staged loop, not n copies of the body
        try:
            return _staged_scan(f, init, x_leaves, x_tree, n, reverse)
        except ConcretizationError:  # the body needs a value of xs or the carry: unrolled
            pass
    carry = init
    ys = [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = tree_unflatten(x_tree, [getitem(asarray(leaf), (i,)) for leaf in x_leaves]) if x_leaves else None
        out = f(carry, x)
        _check_pair(out)
        _check_carry("lax.scan", "the body function", carry, out[0])
        carry, ys[i] = out
    if n == 0 or ys[0] is None:
        return carry, None
    y_leaves = [tree_flatten(y)[0] for y in ys]
    y_tree = tree_flatten(ys[0])[1]
    stacked = [stack(list(col)) for col in zip(*y_leaves, strict=True)]
    return carry, tree_unflatten(y_tree, stacked)


def _check_pair(out: Any) -> None:
    if type(out) not in (tuple, list) or len(out) != 2:
        raise TypeError(
            "lax.scan: the body function must return a pair (carry, y), got "
            + (f"a {type(out).__name__} of length {len(out)}" if type(out) in (tuple, list) else _aval(out))
            + ". Return (new_carry, output); use None as y if there is no per-step output."
        )


def _staged_scan(
    f: Callable[[C, Any], tuple[C, Any]], init: C, x_leaves: list[Any], x_tree: Any, n: int, reverse: bool
) -> tuple[C, Any]:
    c_leaves, c_tree = tree_flatten(init)
    c_leaves = [_carry_leaf(x) for x in c_leaves]
    x_leaves = [_carry_leaf(x) for x in x_leaves]
    nc = len(c_leaves)
    y_tree = []

    def body(*a: Any) -> Any:
        carry = tree_unflatten(c_tree, list(a[:nc]))
        x = tree_unflatten(x_tree, list(a[nc:])) if x_leaves else None
        out = f(carry, x)
        _check_pair(out)
        _check_carry("lax.scan", "the body function", carry, out[0])
        ys, tree = tree_flatten(out[1])
        y_tree.append(tree)
        return _carry_leaves(out[0], c_leaves) + [_carry_leaf(y) for y in ys]

    out = _loops.bind_scan(body, c_leaves, x_leaves, length=n, reverse=reverse)
    carry: C = tree_unflatten(c_tree, out[:nc])
    if out[nc:] or y_tree[0].num_leaves:
        return carry, tree_unflatten(y_tree[0], out[nc:])
    return carry, None


def map(f: Callable[[Any], Any], xs: Any) -> Any:  # noqa: A001 - JAX's name
    """`stack([f(x) for x in xs])` over the leading axis of the pytree `xs`.

    Args:
        f: The function of one slice of `xs`.
        xs: A pytree of arrays sharing their leading axis.

    Returns:
        `f`'s results stacked on a leading axis.

    Examples:
        >>> import fad.numpy as fnp
        >>> map(lambda x: x ** 2, fnp.arange(3.0))
        array([0., 1., 4.])
    """
    _, ys = scan(lambda c, x: (c, f(x)), None, xs)
    return ys
