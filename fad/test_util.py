"""Checkers for derivatives and batching, for fad's tests and for users' own rules.

`check_grads` compares forward mode against central finite differences in float64,
reverse mode against forward mode through the exact adjoint identity
`<ct, J t> == <J^T ct, t>`, and recurses to higher orders. Complex inputs and outputs
are checked the same way: the directions are random complex numbers (so a finite
difference along `t` tests the derivative in every real direction at once), and the
pairing is JAX's `<a, b> = Re(sum(a * b))`, without conjugation.

Examples:
    >>> import fad.numpy as fnp
    >>> from fad.test_util import check_grads
    >>> check_grads(lambda x: fnp.sin(x) * x, (fnp.array([0.5, 1.5]),), order=2)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fad._api import jvp, vjp, vmap
from fad._tree import tree_flatten, tree_map, tree_unflatten

__all__ = ["check_grads", "check_jvp", "check_vjp", "check_vmap", "numerical_jvp"]

_DEFAULT_EPS = 1e-4


def _rng(seed: int | None, offset: int = 0) -> Any:
    """The source of the random directions: a generator seeded with ``seed + offset``, or
    NumPy's global random state (``numpy.random``'s own functions) when ``seed`` is None."""
    return np.random if seed is None else np.random.default_rng(seed + offset)


def _next_seed(seed: int | None) -> int | None:
    return None if seed is None else seed + 1


def _draw(x: Any, rng: Any) -> Any:
    """A random direction of ``x``'s shape and dtype (float0 zeros for an integer ``x``)."""
    x = np.asarray(x)
    if x.dtype.kind == "c":
        return (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape)).astype(x.dtype)
    if x.dtype.kind != "f":
        return np.zeros(x.shape, np.dtype([("float0", np.void, 0)]))
    return rng.standard_normal(x.shape).astype(x.dtype, copy=False)


def _random_like(tree: Any, rng: Any) -> Any:
    leaves, treedef = tree_flatten(tree)
    return tree_unflatten(treedef, [_draw(x, rng) for x in leaves])


def _inner(a: Any, b: Any) -> float:
    """`Re(sum(a * b))` over the leaves: the real pairing of a cotangent with a tangent
    (no conjugation, as JAX's)."""
    return _inner_leaves(tree_flatten(a)[0], tree_flatten(b)[0])


def _inner_leaves(la: Any, lb: Any) -> float:
    total = 0.0
    for x, y in zip(la, lb, strict=True):
        x, y = np.asarray(x), np.asarray(y)
        if x.dtype.kind == "V" or y.dtype.kind == "V":
            continue
        # (add.reduce: np.sum's own reduction, without its Python wrapper)
        if x.dtype.kind == "c" or y.dtype.kind == "c":
            total += float(np.add.reduce(x.astype(np.complex128) * y.astype(np.complex128), axis=None).real)
        else:  # (real: no complex casts, whose loops a process may not have run yet)
            total += float(np.add.reduce(np.multiply(x, y, dtype=np.float64), axis=None))
    return total


def _axpy_leaf(a: float, xi: Any, yi: Any) -> Any:
    xi, yi = np.asarray(xi), np.asarray(yi)
    if yi.dtype.kind not in "fc":
        return yi
    return (yi + a * xi).astype(yi.dtype)


def _axpy(a: float, x: Any, y: Any) -> Any:
    """y + a * x on pytrees (float leaves, real or complex, only)."""
    return tree_map(lambda xi, yi: _axpy_leaf(a, xi, yi), x, y)


def numerical_jvp(
    f: Callable[..., Any], args: Sequence[Any], tangents: Sequence[Any], eps: float = _DEFAULT_EPS
) -> Any:
    """Central difference `(f(x + eps t) - f(x - eps t)) / (2 eps)` on pytrees.

    Args:
        f: The function.
        args: Its arguments (pytrees of arrays).
        tangents: A tangent per argument, of the same structure.
        eps: The step.

    Returns:
        The directional derivative estimate, of `f`'s output structure.

    Examples:
        >>> import fad.numpy as fnp
        >>> round(float(numerical_jvp(fnp.sin, (0.0,), (1.0,))), 8)
        1.0
    """
    t_leaves, t_tree = tree_flatten(tangents)
    a_leaves, a_tree = tree_flatten(args)
    if a_tree == t_tree:  # (the common case: one flattening of each, no tree_map)
        plus = f(
            *tree_unflatten(t_tree, [_axpy_leaf(eps, t, a) for t, a in zip(t_leaves, a_leaves, strict=True)])
        )
        minus = f(
            *tree_unflatten(t_tree, [_axpy_leaf(-eps, t, a) for t, a in zip(t_leaves, a_leaves, strict=True)])
        )
    else:  # (args extending the tangents' structure below its leaves, or an error naming where)
        plus = f(*_axpy(eps, tangents, args))
        minus = f(*_axpy(-eps, tangents, args))
    p_leaves, p_tree = tree_flatten(plus)
    m_leaves, m_tree = tree_flatten(minus)
    if p_tree == m_tree:
        return tree_unflatten(p_tree, [_diff(p, m, eps) for p, m in zip(p_leaves, m_leaves, strict=True)])
    return tree_map(lambda p, m: _diff(p, m, eps), plus, minus)


def _diff(p: Any, m: Any, eps: float) -> Any:
    p, m = np.asarray(p), np.asarray(m)
    if p.dtype.kind == "V":  # float0 (the cotangent of an integer input): no derivative
        return p
    return (p - m) / (2 * eps)


def _assert_close(actual: Any, expected: Any, atol: float, rtol: float, what: str) -> None:
    la, ta = tree_flatten(actual)
    le, te = tree_flatten(expected)
    if ta != te:
        raise AssertionError(f"{what}: structures differ: {ta} vs {te}")
    for i, (a, e) in enumerate(zip(la, le, strict=True)):
        a, e = np.asarray(a), np.asarray(e)
        if a.shape != e.shape:
            raise AssertionError(f"{what}: leaf {i} has shape {a.shape}, expected {e.shape}")
        if a.dtype.kind == "V" or e.dtype.kind == "V":  # float0 leaves carry no values
            continue
        if not np.allclose(a, e, atol=atol, rtol=rtol, equal_nan=True):
            err = np.max(np.abs(a - e)) if a.size else 0.0
            raise AssertionError(
                f"{what}: leaf {i} differs (max abs error {err:.3g}, atol={atol}, rtol={rtol}):\n"
                f"got      {a!r}\nexpected {e!r}"
            )


def check_jvp(
    f: Callable[..., Any],
    args: Sequence[Any],
    atol: float = 1e-5,
    rtol: float = 1e-5,
    eps: float = _DEFAULT_EPS,
    seed: int | None = 0,
) -> None:
    """Forward mode against central finite differences, along a random direction.

    Args:
        f: The function.
        args: Its arguments (pytrees of arrays).
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        eps: Finite-difference step.
        seed: Seed of the random direction; None draws it from NumPy's global random
            state (`numpy.random.seed`), as autograd's checks do.

    Returns:
        None.

    Raises:
        AssertionError: naming the leaf that differs.

    Examples:
        >>> import fad.numpy as fnp
        >>> check_jvp(lambda x: fnp.exp(x) * x, (fnp.array([0.5, 1.0]),))
    """
    args = tuple(args)
    t = _random_like(args, _rng(seed))
    _, t_out = jvp(f, args, t)
    _assert_close(t_out, numerical_jvp(f, args, t, eps), atol, rtol, "jvp vs finite differences")


def check_vjp(
    f: Callable[..., Any],
    args: Sequence[Any],
    atol: float = 1e-5,
    rtol: float = 1e-5,
    eps: float = _DEFAULT_EPS,
    seed: int | None = 0,
    use_jvp: bool = True,
) -> None:
    """Reverse mode through the adjoint identity `<ct, J t> == <J^T ct, t>`.

    `J t` comes from forward mode (`use_jvp=True`) or finite differences.

    Args:
        f: The function.
        args: Its arguments (pytrees of arrays).
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        eps: Finite-difference step.
        seed: Seed of the random directions; None draws them from NumPy's global random
            state (`numpy.random.seed`), as autograd's checks do.
        use_jvp: Take `J t` from forward mode (else from finite differences).

    Returns:
        None.

    Raises:
        AssertionError: naming what differs.

    Examples:
        >>> import fad.numpy as fnp
        >>> check_vjp(lambda x: fnp.exp(x) * x, (fnp.array([0.5, 1.0]),))
    """
    _check_vjp(f, args, atol, rtol, eps, seed, use_jvp)


def _check_vjp(
    f: Callable[..., Any],
    args: Sequence[Any],
    atol: float,
    rtol: float,
    eps: float,
    seed: int | None,
    use_jvp: bool,
    floor: float = 1.0,
) -> Any:
    """check_vjp, returning ``f(*args)`` (fad.autograd's check_grads draws its next direction
    from it). ``rtol`` scales with the larger projection, but never below ``floor``."""
    args = tuple(args)
    rng = _rng(seed, 1)
    a_leaves, a_tree = tree_flatten(args)
    t_leaves = [_draw(x, rng) for x in a_leaves]
    t = tree_unflatten(a_tree, t_leaves)
    out, f_vjp = vjp(f, *args)
    o_leaves, o_tree = tree_flatten(out)
    ct_leaves = [_draw(o, rng) for o in o_leaves]
    ct = tree_unflatten(o_tree, ct_leaves)
    ct_in = f_vjp(ct)
    jt = jvp(f, args, t)[1] if use_jvp else numerical_jvp(f, args, t, eps)
    lhs, rhs = _inner_leaves(ct_leaves, tree_flatten(jt)[0]), _inner_leaves(tree_flatten(ct_in)[0], t_leaves)
    scale = max(floor, abs(lhs), abs(rhs))
    tol = (atol + rtol * scale) if use_jvp else (atol + rtol * scale) * 10
    if abs(lhs - rhs) > tol:
        raise AssertionError(f"vjp fails the adjoint identity: <ct, J t> = {lhs!r} but <J^T ct, t> = {rhs!r}")
    return out


def check_grads(
    f: Callable[..., Any],
    args: Sequence[Any],
    order: int = 2,
    modes: str | Sequence[str] = ("fwd", "rev"),
    atol: float = 1e-5,
    rtol: float = 1e-5,
    eps: float = _DEFAULT_EPS,
    seed: int | None = 0,
) -> None:
    """Check `f`'s derivatives at `args` up to `order`, in forward and/or reverse mode.

    Forward mode is compared with central differences; reverse mode with forward mode (or
    with finite differences when `"fwd"` is not in `modes`) through the adjoint
    identity. Higher orders check the derivative functions themselves, recursively.
    Raises `AssertionError` naming what differs.

    Args:
        f: The function.
        args: Its arguments (pytrees of arrays).
        order: Highest derivative order to check.
        modes: `"fwd"`, `"rev"` or both.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        eps: Finite-difference step.
        seed: Seed of the random directions; None draws them from NumPy's global random
            state (`numpy.random.seed`), as autograd's checks do.

    Returns:
        None.

    Raises:
        AssertionError: naming what differs.

    Examples:
        >>> import fad.numpy as fnp
        >>> check_grads(lambda x, y: fnp.sin(x) * y, (0.5, 2.0), order=2)
    """
    args = tuple(args)
    if isinstance(modes, str):
        modes = (modes,)
    for m in modes:
        if m not in ("fwd", "rev"):
            raise ValueError(f"check_grads: modes must contain 'fwd' and/or 'rev', got {m!r}")
    if "fwd" in modes:
        check_jvp(f, args, atol, rtol, eps, seed)
        if order > 1:
            t = _random_like(args, _rng(seed, 7))
            check_grads(
                lambda *a: jvp(f, a, t)[1], args, order - 1, ("fwd",), atol, rtol, eps, _next_seed(seed)
            )
    if "rev" in modes:
        check_vjp(f, args, atol, rtol, eps, seed, use_jvp="fwd" in modes)
        if order > 1:
            out = f(*args)
            ct = _random_like(out, _rng(seed, 11))
            check_grads(
                lambda *a: vjp(f, *a)[1](ct), args, order - 1, ("rev",), atol, rtol, eps, _next_seed(seed)
            )


def check_vmap(
    f: Callable[..., Any], args: Sequence[Any], in_axes: Any = 0, atol: float = 1e-12, rtol: float = 1e-12
) -> None:
    """`vmap(f, in_axes)(*args)` against a Python loop over the mapped axis + stacking.

    Args:
        f: The function.
        args: Its arguments, batched along `in_axes`.
        in_axes: As `fad.vmap`'s: an axis (or None) per argument, or one for all.
        atol: Absolute tolerance.
        rtol: Relative tolerance.

    Returns:
        None.

    Raises:
        AssertionError: naming the leaf that differs.

    Examples:
        >>> import fad.numpy as fnp
        >>> check_vmap(lambda x, y: fnp.dot(x, y), (fnp.ones((3, 2)), fnp.ones(2)), in_axes=(0, None))
    """
    args = tuple(args)
    axes = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
    sizes = {np.shape(a)[ax] for a, ax in zip(args, axes, strict=True) if ax is not None}
    (n,) = sizes
    batched = vmap(f, in_axes=in_axes)(*args)
    results = []
    for i in range(n):
        sl = [
            a if ax is None else np.take(np.asarray(a), i, axis=ax) for a, ax in zip(args, axes, strict=True)
        ]
        results.append(f(*sl))
    leaves = [tree_flatten(r)[0] for r in results]
    treedef = tree_flatten(results[0])[1]
    expected = tree_unflatten(treedef, [np.stack(col) for col in zip(*leaves, strict=True)])
    _assert_close(batched, expected, atol, rtol, "vmap vs loop")
