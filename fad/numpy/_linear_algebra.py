# mypy: allow-redefinition-new, local-partial-types
"""Linear algebra in the ``fad.numpy`` namespace (NumPy's "Linear algebra"): matrix and
vector products (``dot``, ``vdot``, ``vecdot``, ``inner``, ``outer``, ``matmul``,
``matvec``, ``vecmat``, ``tensordot``, ``einsum``, ``kron``) and ``trace``. The functions of
``numpy.linalg`` are in ``fad.numpy.linalg``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fad import _prims as st
from fad._prims import mul
from fad._prims.linalg import matmul as _matmul2
from fad._prims.linalg import outer as _outer
from fad.numpy._creation import asarray
from fad.numpy._indexing import diagonal
from fad.numpy._shape_manipulation import moveaxis
from fad.numpy._sums_products_differences import sum as _sum
from fad.numpy._util import coerce, normalize_axis
from fad.numpy._util import ndim as _ndim
from fad.numpy._util import shape as _shape

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import DTypeLike

    from fad.typing import Array, ArrayLike


class ContractionError(ValueError, TypeError):
    """Axes summed over in a product (`matmul`, `dot`, `tensordot`, ...) of different
    lengths: a `ValueError`, as NumPy raises, and a `TypeError`, as JAX raises, so that
    code written for either catches it."""


def _scalar(out: Any) -> Any:
    """NumPy's convention: a 0-d result outside any transform is a NumPy scalar."""
    return out[()] if isinstance(out, np.ndarray) and out.ndim == 0 else out


def dot(a: ArrayLike, b: ArrayLike, *, precision: Any = None, preferred_element_type: Any = None) -> Array:
    """Dot product with `numpy.dot`'s rules (scalars multiply; N-d sums over the
    last axis of `a` and the second-to-last of `b`).

    Args:
        a: Input array.
        b: Second input array.
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The dot product (a scalar for two 1-d arrays).
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(dot(a, b)).astype(preferred_element_type)
    a, b = coerce(a), coerce(b)
    na, nb = _ndim(a), _ndim(b)
    if na == 0 or nb == 0:
        return mul(a, b)
    if nb <= 2 and na <= 2:
        return matmul(a, b)
    return _scalar(tensordot(a, b, ([na - 1], [max(nb - 2, 0)])))


def _conj(x: Any) -> Any:
    """The complex conjugate of a complex ``x`` (the first vector of ``vdot``, ``vecdot`` and
    ``vecmat``, as NumPy); a real ``x`` as it is."""
    dt = x.dtype if hasattr(x, "dtype") else np.result_type(x)
    return st.conj(x) if dt.kind == "c" else x


def vdot(a: ArrayLike, b: ArrayLike, *, precision: Any = None, preferred_element_type: Any = None) -> Array:
    """Dot product of the flattened arrays, the first conjugated (as NumPy).

    Args:
        a: Input array.
        b: Second input array.
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The dot product, a scalar.
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(vdot(a, b)).astype(preferred_element_type)
    a, b = _conj(coerce(a)), coerce(b)
    return matmul(st.reshape(a, (st.size_of(_shape(a)),)), st.reshape(b, (st.size_of(_shape(b)),)))


def _core_sizes_match(n1: Any, n2: Any, name: str) -> None:
    if n1 != n2:
        raise ValueError(f"{name}: the contracted dimensions differ ({n1} and {n2}); they must be equal.")


def vecdot(
    x1: ArrayLike,
    x2: ArrayLike,
    /,
    *,
    axis: int = -1,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Array:
    """The dot product of vectors along `axis`, the other axes broadcasting.

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.
        axis: Axis along which to take the dot product.
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The dot products: the broadcast shape without `axis`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.vecdot(fnp.array([[1.0, 2.0], [3.0, 4.0]]), fnp.array([1.0, 1.0]))
        array([3., 7.])
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(vecdot(x1, x2, axis=axis)).astype(preferred_element_type)
    x1, x2 = _conj(asarray(x1)), asarray(x2)
    x1 = moveaxis(x1, normalize_axis(axis, _ndim(x1), "vecdot"), -1)
    x2 = moveaxis(x2, normalize_axis(axis, _ndim(x2), "vecdot"), -1)
    _core_sizes_match(_shape(x1)[-1], _shape(x2)[-1], "vecdot")
    return _sum(x1 * x2, axis=-1)


def inner(a: ArrayLike, b: ArrayLike, *, precision: Any = None, preferred_element_type: Any = None) -> Array:
    """Inner product over the last axes.

    Args:
        a: Input array.
        b: Second input array.
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The inner product.
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(inner(a, b)).astype(preferred_element_type)
    a, b = coerce(a), coerce(b)
    if _ndim(a) == 0 or _ndim(b) == 0:
        return mul(a, b)
    return _scalar(tensordot(a, b, ([-1], [-1])))


def outer(a: ArrayLike, b: ArrayLike) -> Array:
    """Outer product of the flattened inputs.

    Args:
        a: Input array.
        b: Second input array.

    Returns:
        The outer product, a 2-d array.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.outer(fnp.array([1.0, 2.0]), fnp.array([1.0, 10.0, 100.0]))
        array([[  1.,  10., 100.],
               [  2.,  20., 200.]])
    """
    a, b = coerce(a), coerce(b)
    a = a if _ndim(a) == 1 else st.reshape(a, (st.size_of(_shape(a)),))
    b = b if _ndim(b) == 1 else st.reshape(b, (st.size_of(_shape(b)),))
    return _outer(a, b)


def matmul(a: ArrayLike, b: ArrayLike, *, precision: Any = None, preferred_element_type: Any = None) -> Array:
    """Matrix product with NumPy's rules for 1-d operands and stacked matrices.

    Args:
        a: Input array.
        b: Second input array.
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The matrix product.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.matmul(fnp.ones((2, 3)), fnp.ones(3))
        array([3., 3.])
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(matmul(a, b)).astype(preferred_element_type)
    a, b = coerce(a), coerce(b)
    na, nb = _ndim(a), _ndim(b)
    if na == 0 or nb == 0:
        raise ValueError("matmul: Input operand does not have enough dimensions (use * for scalars).")
    sa, sb = _shape(a), _shape(b)
    if sa[-1] != sb[-2 if nb > 1 else 0]:
        raise ContractionError(
            f"matmul: shapes {sa} and {sb} are not aligned ({sa[-1]} != {sb[-2 if nb > 1 else 0]})."
        )
    return _scalar(_matmul2(a, b))  # the primitive takes 1-d operands as NumPy does


def matvec(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Matrix (..., m, n) times vector (..., n): (..., m), the leading axes broadcasting.

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.

    Returns:
        The products, shape `(..., m)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.matvec(fnp.eye(2) * 2.0, fnp.array([1.0, 3.0]))
        array([2., 6.])
    """
    x1, x2 = asarray(x1), asarray(x2)
    if _ndim(x1) < 2 or _ndim(x2) < 1:
        raise ValueError("matvec needs a matrix (at least 2-d) and a vector (at least 1-d).")
    _core_sizes_match(_shape(x1)[-1], _shape(x2)[-1], "matvec")
    return matmul(x1, x2[..., None])[..., 0]


def vecmat(x1: ArrayLike, x2: ArrayLike, /) -> Array:
    """Vector (..., n) times matrix (..., n, m): (..., m), the leading axes broadcasting.

    Args:
        x1: First input array.
        x2: Second input array, broadcast against `x1`.

    Returns:
        The products, shape `(..., m)`.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.vecmat(fnp.array([1.0, 3.0]), fnp.eye(2) * 2.0)
        array([2., 6.])
    """
    x1, x2 = _conj(asarray(x1)), asarray(x2)
    if _ndim(x1) < 1 or _ndim(x2) < 2:
        raise ValueError("vecmat needs a vector (at least 1-d) and a matrix (at least 2-d).")
    _core_sizes_match(_shape(x1)[-1], _shape(x2)[-2], "vecmat")
    return matmul(x1[..., None, :], x2)[..., 0, :]


def tensordot(
    a: ArrayLike,
    b: ArrayLike,
    axes: int | Sequence[int] | Sequence[Sequence[int]] = 2,
    *,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Array:
    """Sum products over the given axes of `a` and `b` (as `numpy.tensordot`).

    Args:
        a: Input array.
        b: Second input array.
        axes: Number of trailing axes of `a` (and leading of `b`) to sum over, or the two lists of axes.
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The tensor dot product.
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(tensordot(a, b, axes)).astype(preferred_element_type)
    a, b = coerce(a), coerce(b)
    sa, sb = _shape(a), _shape(b)
    if isinstance(axes, int):
        ax_a = list(range(len(sa) - axes, len(sa)))
        ax_b = list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [normalize_axis(i, len(sa), "tensordot") for i in ([ax_a] if isinstance(ax_a, int) else ax_a)]
        ax_b = [normalize_axis(i, len(sb), "tensordot") for i in ([ax_b] if isinstance(ax_b, int) else ax_b)]
    if [sa[i] for i in ax_a] != [sb[i] for i in ax_b]:
        raise ContractionError(f"tensordot: shape-mismatch for sum ({sa} over {ax_a}, {sb} over {ax_b}).")
    free_a = [i for i in range(len(sa)) if i not in ax_a]
    free_b = [i for i in range(len(sb)) if i not in ax_b]
    k = 1
    for i in ax_a:
        k *= sa[i]
    m = 1
    for i in free_a:
        m *= sa[i]
    n = 1
    for i in free_b:
        n *= sb[i]
    a2 = st.reshape(st.transpose(a, tuple(free_a + ax_a)), (m, k))
    b2 = st.reshape(st.transpose(b, tuple(ax_b + free_b)), (k, n))
    out = _matmul2(a2, b2)
    return st.reshape(out, tuple(sa[i] for i in free_a) + tuple(sb[i] for i in free_b))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _parse_einsum(args: Any) -> Any:
    """(subscripts string, operands) from either calling convention."""
    if isinstance(args[0], str):
        return args[0].replace(" ", ""), [coerce(a) for a in args[1:]]
    # einsum(op0, sublist0, op1, sublist1, ..., [sublistout])
    ops, subs = [], []
    rest = list(args)
    while len(rest) >= 2:
        ops.append(coerce(rest.pop(0)))
        subs.append(rest.pop(0))
    out = rest[0] if rest else None

    def conv(sub: Any) -> Any:
        return "".join("..." if s is Ellipsis else _LETTERS[int(s)] for s in sub)

    spec = ",".join(conv(s) for s in subs)
    if out is not None:
        spec += "->" + conv(out)
    return spec, ops


def _expand_ellipsis(spec: Any, ops: Any) -> Any:
    """Replace '...' by explicit labels (unused letters); return input lists and output."""
    if "->" in spec:
        ins, out = spec.split("->")
    else:
        ins, out = spec, None
    in_subs = ins.split(",")
    if len(in_subs) != len(ops):
        raise ValueError(
            f"einsum: the subscripts {spec!r} name {len(in_subs)} operands but {len(ops)} were "
            "given. Give one comma-separated subscript per operand."
        )
    used = set(spec) - set(".,->")
    spare = [c for c in _LETTERS if c not in used]
    n_ell = 0
    for sub, op in zip(in_subs, ops, strict=True):
        if "..." in sub:
            n_ell = max(n_ell, _ndim(op) - (len(sub) - 3))
    ell = "".join(spare[:n_ell])
    lists = []
    for sub, op in zip(in_subs, ops, strict=True):
        if "..." in sub:
            k = _ndim(op) - (len(sub) - 3)
            if k < 0:
                raise ValueError(f"einsum: operand of shape {_shape(op)} has too few axes for {sub!r}.")
            sub = sub.replace("...", ell[n_ell - k :] if k else "")
        bad = [c for c in sub if c not in _LETTERS]
        if bad:
            raise ValueError(
                f"einsum: invalid subscript character {bad[0]!r} in {spec!r}; use letters a-zA-Z."
            )
        if len(sub) != _ndim(op):
            raise ValueError(
                f"einsum: subscript {sub!r} has {len(sub)} labels but its operand has shape "
                f"{_shape(op)}. Give one label per axis (or use '...')."
            )
        lists.append(sub)
    if out is None:
        counts: dict[str, int] = {}
        for sub in lists:
            for c in sub:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
        for c in out:
            if c not in "".join(lists):
                raise ValueError(f"einsum: output label {c!r} does not appear in the inputs of {spec!r}.")
        if len(set(out)) != len(out):
            raise ValueError(f"einsum: output subscript {out!r} repeats a label.")
    return lists, out


def _diagonal_last2(x: Any) -> Any:
    """Diagonal of the last two axes, as the new last axis (gather; its transpose scatters)."""
    n = _shape(x)[-1]
    ar = np.arange(n)
    return st.getitem(x, (slice(None),) * (_ndim(x) - 2) + (ar, ar))


def _take_diagonals(x: Any, labels: Any) -> Any:
    """Collapse repeated labels of one operand into one axis (the diagonal)."""
    labels = list(labels)
    while True:
        dup = next((c for c in labels if labels.count(c) > 1), None)
        if dup is None:
            return x, labels
        i = labels.index(dup)
        j = labels.index(dup, i + 1)
        nd = len(labels)
        rest = [k for k in range(nd) if k not in (i, j)]
        x = st.transpose(x, tuple(rest) + (i, j))
        x = _diagonal_last2(x)
        labels = [labels[k] for k in rest] + [dup]


def _sum_labels(x: Any, labels: Any, drop: Any) -> Any:
    axes = tuple(k for k, c in enumerate(labels) if c in drop)
    if not axes:
        return x, labels
    return st.reduce_sum(x, axes=axes), [c for c in labels if c not in drop]


def _contract_pair(x: Any, lx: Any, y: Any, ly: Any, keep: Any) -> Any:
    """Contract two operands; labels in ``keep`` survive. Returns (value, labels)."""
    shared = [c for c in lx if c in ly]
    batch = [c for c in shared if c in keep]
    contract = [c for c in shared if c not in keep]
    free_x = [c for c in lx if c not in ly]
    free_y = [c for c in ly if c not in lx]
    sx = dict(zip(lx, _shape(x), strict=True))
    sy = dict(zip(ly, _shape(y), strict=True))

    def prod(labels: Any, sizes: Any) -> Any:
        n = 1
        for c in labels:
            n *= sizes[c]
        return n

    bsz = tuple(max(sx[c], sy[c]) for c in batch)
    xt = st.transpose(x, tuple(lx.index(c) for c in batch + free_x + contract))
    yt = st.transpose(y, tuple(ly.index(c) for c in batch + contract + free_y))
    # batch labels of size 1 on one side broadcast (NumPy allows it for '...')
    xt = st.broadcast_to(xt, bsz + _shape(xt)[len(batch) :])
    yt = st.broadcast_to(yt, bsz + _shape(yt)[len(batch) :])
    nb = prod(batch, {c: s for c, s in zip(batch, bsz, strict=True)})
    x3 = st.reshape(xt, (nb, prod(free_x, sx), prod(contract, sx)))
    y3 = st.reshape(yt, (nb, prod(contract, sy), prod(free_y, sy)))
    out = _matmul2(x3, y3)
    shape = bsz + tuple(sx[c] for c in free_x) + tuple(sy[c] for c in free_y)
    return st.reshape(out, shape), batch + free_x + free_y


def einsum(
    *operands: ArrayLike,
    optimize: bool | str = False,
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Array:
    """Einstein summation, as `numpy.einsum` (explicit or implicit output, '...',
    repeated labels for diagonals and traces, any number of operands).

    Args:
        *operands: The arrays (after the subscripts string, if one is given).
        optimize: Contraction-order optimization, as NumPy ('greedy', 'optimal', True or False).
        precision: Accepted for JAX's signature and ignored (NumPy computes in the arrays'
            precision).
        preferred_element_type: The result's dtype (JAX's keyword), or None for NumPy's.

    Returns:
        The result of the summation.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> fnp.einsum("ij,jk->ik", fnp.eye(2), fnp.ones((2, 3))).shape
        (2, 3)
        >>> fad.grad(lambda a: fnp.einsum("ii", a))(fnp.ones((2, 2)))
        array([[1., 0.],
               [0., 1.]])
    """
    if preferred_element_type is not None:  # (JAX's keyword: the result in that dtype)
        return asarray(einsum(*operands, optimize=optimize)).astype(preferred_element_type)
    if not operands:
        raise ValueError("einsum: no subscripts given. Call einsum('ij,jk->ik', a, b).")
    spec, ops = _parse_einsum(operands)
    lists, out = _expand_ellipsis(spec, ops)
    sizes: dict[str, int] = {}
    for lab, op in zip(lists, ops, strict=True):
        for c, s in zip(lab, _shape(op), strict=True):
            if c in sizes and s != sizes[c] and 1 not in (s, sizes[c]):
                raise ValueError(
                    f"einsum: label {c!r} has size {sizes[c]} in one operand and {s} in another "
                    f"({spec!r}). Make those axes the same length."
                )
            sizes[c] = max(s, sizes.get(c, s))
    work = []
    for k, (lab, op) in enumerate(zip(lists, ops, strict=True)):
        x, labels = _take_diagonals(op, lab)
        elsewhere = set(out).union(*(set(m) for j, m in enumerate(lists) if j != k))
        x, labels = _sum_labels(x, labels, {c for c in labels if c not in elsewhere})
        work.append((x, labels))
    x, lx = work[0]
    for k in range(1, len(work)):
        y, ly = work[k]
        keep = set(out).union(*(set(m) for _, m in work[k + 1 :]))
        # labels of x alone that nobody needs: sum them before the product
        x, lx = _sum_labels(x, lx, {c for c in lx if c not in keep and c not in ly})
        y, ly = _sum_labels(y, ly, {c for c in ly if c not in keep and c not in lx})
        x, lx = _contract_pair(x, lx, y, ly, keep)
    x, lx = _sum_labels(x, lx, {c for c in lx if c not in out})
    x = st.transpose(x, tuple(lx.index(c) for c in out))
    target = tuple(sizes[c] for c in out)
    if _shape(x) != target:
        x = st.broadcast_to(x, target)
    return _scalar(x)


def kron(a: ArrayLike, b: ArrayLike) -> Array:
    """Kronecker product, as `numpy.kron`.

    Args:
        a: Input array.
        b: Second input array.

    Returns:
        The Kronecker product.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.kron(fnp.eye(2), fnp.ones((1, 2)))
        array([[1., 1., 0., 0.],
               [0., 0., 1., 1.]])
    """
    a, b = coerce(a), coerce(b)
    sa, sb = _shape(a), _shape(b)
    nd = max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + tuple(sa)
    sb = (1,) * (nd - len(sb)) + tuple(sb)
    ia = sum(((s, 1) for s in sa), ())
    ib = sum(((1, s) for s in sb), ())
    prod = mul(st.reshape(a, ia), st.reshape(b, ib))
    return st.reshape(prod, tuple(p * q for p, q in zip(sa, sb, strict=True)))


def trace(
    a: ArrayLike,
    offset: int = 0,
    axis1: int = 0,
    axis2: int = 1,
    dtype: DTypeLike | None = None,
    out: None = None,
) -> Array:
    """Sum along a diagonal.

    Args:
        a: Input array.
        offset: Offset of the diagonal from the main one (positive: above).
        axis1: First axis of the 2-d sub-arrays.
        axis2: Second axis of the 2-d sub-arrays.
        dtype: Data type of the result; None keeps NumPy's default.
        out: Not supported: must be None (fad's arrays are immutable; use the return value).

    Returns:
        The sums along the diagonal (a scalar for a 2-d array).
    """
    if out is not None:
        raise NotImplementedError("trace: out= is not supported (fad arrays are immutable).")
    return _sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


def einsum_path(
    subscripts: str, *operands: ArrayLike, optimize: bool | str = "greedy"
) -> tuple[list[Any], str]:
    """NumPy's contraction order for `einsum` (`(path, report)`), from the operands'
    shapes only, so traced operands are fine.

    Args:
        subscripts: The subscripts of the summation, as in `einsum`.
        *operands: The arrays (after the subscripts string, if one is given).
        optimize: Contraction-order optimization, as NumPy ('greedy', 'optimal', True or False).

    Returns:
        `(path, report)`: the contraction order and NumPy's description of it.

    Examples:
        >>> import fad.numpy as fnp
        >>> fnp.einsum_path("ij,jk,kl->il", fnp.ones((2, 3)), fnp.ones((3, 4)), fnp.ones((4, 5)))[0]
        ['einsum_path', (1, 2), (0, 1)]
    """
    shaped: list[Any] = [
        np.broadcast_to(np.zeros((), _dtype_of(o)), _shape(o)) if not isinstance(o, str) else o
        for o in operands
    ]
    return np.einsum_path(subscripts, *shaped, optimize=optimize)


def _dtype_of(o: Any) -> Any:
    return o.dtype if hasattr(o, "dtype") else np.asarray(o).dtype
