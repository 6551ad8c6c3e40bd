"""Sparse Jacobians and Hessians: detect the pattern, colour it, pay one product per colour.

``sparse_jacobian(f)`` returns a function. On its first call for an input shape and dtype
it finds the Jacobian's pattern (``fad._sparsity``) and colours it (``fad._coloring``); then,
at every call, it pushes one seed per colour through ``vmap`` of ``jvp`` (columns) or
``vjp`` (rows), reads each stored entry of the pattern out of the compressed products and
returns a ``scipy.sparse.csr_array`` with sorted indices. ``sparse_hessian`` does the same
with Hessian-vector products and a star colouring. Under ``jit``, ``grad`` or ``vmap`` the
result is a CSR array whose ``data`` is traced (the array is a pytree node: its ``data``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

import fad.numpy as fnp
from fad._api import grad, jvp, vjp, vmap
from fad._arguments import _check_chunk_size
from fad._coloring import ORDERS, Coloring, color_columns, color_rows, color_symmetric, symmetric_sources
from fad._sparsity import hessian_sparsity, jacobian_sparsity, scipy_sparse
from fad._tree import register_pytree_node

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from numpy.typing import DTypeLike, NDArray

_MODES = ("auto", "fwd", "rev")
_registered: list[type] = []


def _csr_type() -> Any:
    """``scipy.sparse.csr_array``, registered as a pytree node (its ``data`` is the leaf) so
    that results can carry traced values through ``jit``, ``grad`` and ``vmap``."""
    sp = scipy_sparse()
    if not _registered:
        try:
            register_pytree_node(sp.csr_array, _flatten_csr, _unflatten_csr)
        except ValueError:  # registered already (by the user)
            pass
        _registered.append(sp.csr_array)
    return sp.csr_array


def _flatten_csr(m: Any) -> tuple[tuple[Any], tuple[Any, Any, tuple[int, ...]]]:
    return (m.data,), (m.indices, m.indptr, tuple(m.shape))


def _unflatten_csr(aux: tuple[Any, Any, tuple[int, ...]], children: Iterable[Any]) -> Any:
    (data,) = children
    return _make_csr(data, *aux)


def _make_csr(data: Any, indices: Any, indptr: Any, shape: tuple[int, ...]) -> Any:
    """A CSR array of the pattern's (checked, sorted) structure. SciPy's constructor would
    check the structure again at every call (tens of microseconds, more than a small
    Jacobian's products) and convert traced data to NumPy, so the array is assembled as
    the constructor would leave it."""
    m = object.__new__(_registered[0] if _registered else _csr_type())
    m._shape, m.maxprint = tuple(shape), 50
    m.data, m.indices, m.indptr = data, indices, indptr
    if isinstance(data, np.ndarray):
        m.has_sorted_indices = True
    return m


@attrs.frozen(eq=False)
class SparsityInfo:
    """What a sparse Jacobian or Hessian function found for one input shape and dtype."""

    pattern: Any  # scipy.sparse.csr_array, bool
    coloring: Coloring
    mode: str  # "fwd", "rev" or "hvp"
    seeds: NDArray[Any]  # (colors, n) or (colors, m)
    read_color: NDArray[np.int64]  # per stored entry: its colour's product
    read_index: NDArray[np.int64]  # and its element there
    read_flat: NDArray[np.int64] = attrs.field(init=False)  # both at once, in the flattened products

    def __attrs_post_init__(self) -> None:
        size = self.pattern.shape[0] if self.mode == "fwd" else self.pattern.shape[1]  # a product's size
        object.__setattr__(self, "read_flat", self.read_color * size + self.read_index)


def _seeds(coloring: Coloring, size: int, dtype: DTypeLike) -> NDArray[Any]:
    s = np.zeros((coloring.n_colors, size), dtype)
    s[coloring.colors, np.arange(size)] = 1
    return s


def _entries(pattern: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    rows = np.repeat(np.arange(pattern.shape[0], dtype=np.int64), np.diff(pattern.indptr))
    return rows, np.asarray(pattern.indices, np.int64)


def _row_local(
    pattern: Any, color: NDArray[np.int64], index: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sources of a symmetric pattern's entries, a row's read from one product where they
    can be: entry ``(i, j)`` takes the source of its mirror ``(j, i)`` where that was read
    directly (the product of ``i``'s colour, at ``j``). The decompression then gathers each
    row's entries from one product at increasing positions, not from every product in
    turn: twice as fast where the products fit in cache. (A value read from the other
    product can differ in its last bits: the two are the same derivative, rounded along
    other paths.)"""
    rows, cols = _entries(pattern)
    mirror = np.lexsort(
        (rows, cols)
    )  # (the transpose's CSR order: for a symmetric pattern, each entry's mirror)
    if not (np.array_equal(rows[mirror], cols) and np.array_equal(cols[mirror], rows)):
        return color, index
    take = index[mirror] == cols  # the mirror (j, i) is read at j
    return np.where(take, color[mirror], color), np.where(take, index[mirror], index)


def _as_pattern(sparsity: Any, shape: tuple[int, int], fname: str) -> Any:
    sp = scipy_sparse()
    p = sp.csr_array(sparsity, dtype=bool)
    if p.shape != shape:
        raise ValueError(
            f"fad.{fname}: sparsity has shape {p.shape} but the Jacobian has shape {shape}. "
            "Give a pattern with one row per output element and one column per input element."
        )
    p.sum_duplicates()
    p.eliminate_zeros()
    p.sort_indices()
    return p


def _check_pattern(given: Any, detected: Any, fname: str) -> None:
    missing = detected > given
    if missing.nnz:
        i, j = missing.nonzero()
        raise ValueError(
            f"fad.{fname}: the given sparsity misses {missing.nnz} entries the function depends on, e.g. "
            f"({i[0]}, {j[0]}). Add them, or pass sparsity=None to detect the pattern."
        )


class _SparseDerivative:
    """The function returned by `fad.sparse_jacobian` / `fad.sparse_hessian`."""

    def __init__(
        self,
        fun: Callable[..., Any],
        argnums: int,
        sparsity: Any,
        mode: str,
        chunk_size: int | None,
        order: str,
        check: bool,
        hessian: bool,
    ) -> None:
        fname = "sparse_hessian" if hessian else "sparse_jacobian"
        if not callable(fun):
            raise TypeError(f"fad.{fname}: expected a function, got {type(fun).__name__}.")
        if not isinstance(argnums, (int, np.integer)) or isinstance(argnums, bool):
            raise TypeError(
                f"fad.{fname}: argnums must be one int (the argument to differentiate), got {argnums!r}. "
                "Concatenate several inputs into one array."
            )
        if mode not in _MODES:
            raise ValueError(f"fad.{fname}: mode must be one of {_MODES}, got {mode!r}.")
        if order not in ORDERS:
            raise ValueError(f"fad.{fname}: order must be one of {ORDERS}, got {order!r}.")
        self.fun, self.argnums, self.sparsity, self.mode = fun, int(argnums), sparsity, mode
        self.chunk_size = _check_chunk_size(chunk_size, fname)
        self.order, self.check, self.hessian, self.fname = order, check, hessian, fname
        self.cache: dict[tuple[tuple[int, ...], np.dtype[Any]], SparsityInfo] = {}
        self.last: SparsityInfo | None = None

    # the pattern and colouring of the last input shape seen
    @property
    def pattern(self) -> Any:
        """The pattern (a boolean `scipy.sparse.csr_array`) of the last call, or None."""
        return None if self.last is None else self.last.pattern

    @property
    def coloring(self) -> Coloring | None:
        """The colouring of the last call, or None."""
        return None if self.last is None else self.last.coloring

    @property
    def info(self) -> SparsityInfo | None:
        """Pattern, colouring, mode and seeds of the last call, or None."""
        return self.last

    def __call__(self, *args: Any) -> Any:
        k = self.argnums
        if not -len(args) <= k < len(args):
            raise ValueError(
                f"fad.{self.fname}: argnums={k} but the function was given {len(args)} arguments."
            )
        x = args[k]
        if isinstance(x, (list, tuple)):  # a nested list of numbers is an array, as fad.numpy takes it
            x = fnp.asarray(x)
            i = k % len(args)
            args = (*args[:i], x, *args[i + 1 :])
        elif not (hasattr(x, "shape") and hasattr(x, "dtype")) and type(x) not in (int, float, bool, complex):
            raise TypeError(
                f"fad.{self.fname} differentiates with respect to one array, but argument {k} is a "
                f"{type(x).__name__}. Pass an array (for several inputs, concatenate them into one "
                "vector and split it inside the function)."
            )
        shape, dtype = tuple(np.shape(x)), np.result_type(getattr(x, "dtype", x))
        if not np.issubdtype(dtype, np.floating):
            fix = (
                "Pass its real and imaginary parts as one real vector (fnp.concatenate([x.real, x.imag])) "
                "and rebuild x inside the function"
                if np.issubdtype(dtype, np.complexfloating)
                else "Convert it with x.astype(float)"
            )
            raise TypeError(
                f"fad.{self.fname}: the argument to differentiate must be a real floating array, got dtype "
                f"{dtype}. {fix}."
            )
        info = self.cache.get((shape, dtype))
        if info is None:
            info = self.cache[(shape, dtype)] = self._prepare(args, x, shape, dtype)
        self.last = info
        return self._evaluate(args, x, info)

    def _fx(self, args: tuple[Any, ...]) -> Callable[[Any], Any]:
        k = self.argnums

        def fx(x: Any) -> Any:
            a = list(args)
            a[k] = x
            return self.fun(*a)

        return fx

    def _prepare(
        self, args: tuple[Any, ...], x: Any, shape: tuple[int, ...], dtype: np.dtype[Any]
    ) -> SparsityInfo:
        example = list(args)
        example[self.argnums] = np.asarray(getattr(x, "_example", lambda: x)())
        n = int(np.prod(shape, dtype=np.int64))
        detect = hessian_sparsity if self.hessian else jacobian_sparsity
        detected: Any = None
        if self.sparsity is None or self.check:
            detected = detect(self.fun, *example, argnums=self.argnums)
        if self.sparsity is None:
            pattern = detected
        else:
            m = n if self.hessian else detected.shape[0] if detected is not None else None
            if m is None:
                m = int(np.size(self.fun(*example)))
            pattern = _as_pattern(self.sparsity, (m, n), self.fname)
            if detected is not None:
                _check_pattern(pattern, detected, self.fname)
        rows, cols = _entries(pattern)
        if self.hessian:
            coloring = color_symmetric(pattern, self.order)
            color, index = _row_local(pattern, *symmetric_sources(pattern, coloring.colors))
            return SparsityInfo(pattern, coloring, "hvp", _seeds(coloring, n, dtype), color, index)
        mode = self.mode
        fwd = rev = None
        if mode in ("fwd", "auto"):
            by_cols = int(np.diff(pattern.indptr).max(initial=0))  # colours needed at least
            by_rows = int(np.bincount(pattern.indices, minlength=n).max(initial=0))
            if mode == "fwd" or by_cols <= by_rows:
                fwd = color_columns(pattern, self.order)
        if mode == "rev" or (mode == "auto" and (fwd is None or by_rows < fwd.n_colors)):
            rev = color_rows(pattern, self.order)
        if rev is not None and (fwd is None or rev.n_colors < fwd.n_colors):
            return SparsityInfo(
                pattern, rev, "rev", _seeds(rev, pattern.shape[0], dtype), rev.colors[rows], cols
            )
        if fwd is None:
            fwd = color_columns(pattern, self.order)
        return SparsityInfo(pattern, fwd, "fwd", _seeds(fwd, n, dtype), fwd.colors[cols], rows)

    def _evaluate(self, args: tuple[Any, ...], x: Any, info: SparsityInfo) -> Any:
        fx = self._fx(args)
        shape = tuple(np.shape(x))
        seeds = info.seeds
        if info.coloring.n_colors == 0:
            data = np.zeros(0, np.result_type(getattr(x, "dtype", x)))
        else:
            if info.mode == "fwd":

                def one(s: Any) -> Any:
                    return fnp.ravel(jvp(fx, (x,), (fnp.reshape(s, shape),))[1])

            elif info.mode == "rev":
                y, pull = vjp(fx, x)
                y_shape = tuple(np.shape(y))

                def one(s: Any) -> Any:
                    return fnp.ravel(pull(fnp.reshape(s, y_shape))[0])

            else:
                g = grad(fx)

                def one(s: Any) -> Any:
                    return fnp.ravel(jvp(g, (x,), (fnp.reshape(s, shape),))[1])

            products = vmap(one, chunk_size=self.chunk_size)(seeds)  # (colors, size)
            if isinstance(products, np.ndarray):  # (NumPy's take gathers a third faster than x[idx])
                data = np.take(products.reshape(-1), info.read_flat)
            else:
                data = fnp.ravel(products)[info.read_flat]
        p = info.pattern
        return _make_csr(data, p.indices, p.indptr, p.shape)

    def __repr__(self) -> str:
        return f"<fad.{self.fname} of {getattr(self.fun, '__name__', self.fun)!r}>"


def sparse_jacobian(
    fun: Callable[..., Any],
    argnums: int = 0,
    sparsity: Any = None,
    mode: str = "auto",
    chunk_size: int | None = None,
    *,
    order: str = "largest_first",
    check: bool = False,
) -> _SparseDerivative:
    """The sparse Jacobian of `fun` with respect to argument `argnums`, as a function.

    On the first call for an input shape and dtype, the pattern is detected by tracing
    (`fad.jacobian_sparsity`, valid for every input) and coloured; later calls reuse both.
    Each call then costs one `jvp` per colour of the columns (`mode="fwd"`) or one `vjp`
    per colour of the rows (`"rev"`), all at once through `vmap`, then a gather of the
    stored entries. The returned function works under `fad.jit`, `grad` and `vmap` (the
    result's `data` is then traced); wrap it in `fad.jit` for speed.

    Args:
        fun: The function; the argument `argnums` is a real floating array.
        argnums: The position of the argument to differentiate (one int).
        sparsity: A known pattern (anything `scipy.sparse.csr_array` accepts, of shape
            `(outputs, inputs)`) to use instead of detecting one.
        mode: `"fwd"` (colour the columns), `"rev"` (colour the rows) or `"auto"` (the
            side with fewer colours).
        chunk_size: At most this many colours' products at once (memory), or None for all.
        order: The greedy colouring order: `"largest_first"`, `"smallest_last"`,
            `"natural"` or `"random"` (deterministic).
        check: Also detect the pattern and raise if `sparsity` misses entries of it.

    Returns:
        A function of the same arguments as `fun` returning the Jacobian as a
            `scipy.sparse.csr_array` (rows: output elements, columns: elements of the
            argument, both flattened; sorted indices). Its `.pattern`, `.coloring` and `.info`
            describe the last call (and pickle).

    Raises:
        TypeError: When `fun` is not callable, `argnums` is not one int, or the argument
            is not a real floating array.
        ValueError: For an unknown `mode` or `order`, or a `sparsity` of the wrong shape
            (or missing entries, with `check=True`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> jac = fad.sparse_jacobian(lambda u: u[1:] ** 2 - u[:-1])
        >>> jac(fnp.array([1.0, 2.0, 3.0])).toarray()
        array([[-1.,  4.,  0.],
               [ 0., -1.,  6.]])
        >>> jac.coloring.n_colors
        2
    """
    return _SparseDerivative(fun, argnums, sparsity, mode, chunk_size, order, check, hessian=False)


def sparse_hessian(
    fun: Callable[..., Any],
    argnums: int = 0,
    sparsity: Any = None,
    chunk_size: int | None = None,
    *,
    order: str = "smallest_last",
    check: bool = False,
) -> _SparseDerivative:
    """The sparse Hessian of the scalar function `fun` with respect to argument `argnums`.

    The pattern (`fad.hessian_sparsity`) gets a star colouring: one Hessian-vector product
    (forward over reverse) per colour, all at once through `vmap`, gives every entry, read
    directly or by symmetry. Detection and colouring run once per input shape and dtype, as
    in `fad.sparse_jacobian`.

    Args:
        fun: A function returning one scalar; the argument `argnums` is a real floating
            array.
        argnums: The position of the argument to differentiate (one int).
        sparsity: A known symmetric pattern of shape `(inputs, inputs)` to use instead of
            detecting one.
        chunk_size: At most this many colours' products at once (memory), or None for all.
        order: The greedy colouring order: `"smallest_last"`, `"largest_first"`,
            `"natural"` or `"random"` (deterministic).
        check: Also detect the pattern and raise if `sparsity` misses entries of it.

    Returns:
        A function of the same arguments as `fun` returning the Hessian as a symmetric
            `scipy.sparse.csr_array` with sorted indices; `.pattern`, `.coloring` and `.info`
            describe the last call.

    Raises:
        TypeError: When `fun` is not callable, `argnums` is not one int, or the argument
            is not a real floating array.
        ValueError: For an unknown `order`, or a `sparsity` of the wrong shape (or missing
            entries, with `check=True`).

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> hess = fad.sparse_hessian(lambda x: (x[1:] * x[:-1]).sum() + (x ** 3).sum())
        >>> hess(fnp.array([1.0, 2.0, 3.0])).toarray()
        array([[ 6.,  1.,  0.],
               [ 1., 12.,  1.],
               [ 0.,  1., 18.]])
    """
    return _SparseDerivative(fun, argnums, sparsity, "auto", chunk_size, order, check, hessian=True)
