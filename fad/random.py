"""Random numbers from keys, with JAX's names, semantics and numbers (`jax.random`).

A key is a pair of `uint32` words (an array of shape `(2,)`, what JAX calls a legacy or raw
key): `PRNGKey(seed)` makes one, `split(key, n)` makes `n` new ones and `fold_in(key, i)`
derives one from an integer. A sampler (`uniform`, `normal`, `randint`, `categorical`, ...)
is a pure function of its key: the same key gives the same numbers, and code that passes
keys around ports from JAX by changing its imports. The generator is JAX's Threefry-2x32
counter hash in its partitionable layout (JAX's default), written here on NumPy, so the
keys, bits, integers, permutations, choices, categories and floats on [0, 1) are JAX's own
bit for bit (with 64-bit values, as under `jax_enable_x64`: the default dtypes are
float64 and int64, as everywhere in fad); `normal` and the other samplers agree with JAX's
to rounding (XLA fuses `u * (maxval - minval) + minval` into one rounding, and its
`erfinv` is another approximation).

Every function works under `vmap` (over keys or parameters), `jit`, and the
differentiating transforms: a sample is differentiable in its parameters (`minval`,
`maxval`, `mean`, `cov`, `sigma`, `lower`/`upper`, `p` of `choice` where JAX's is), never
in its key. Without JAX's keys, NumPy's `numpy.random.default_rng` works as well: random
numbers are data to fad.

Examples:
    >>> from fad import random
    >>> key = random.PRNGKey(0)
    >>> key
    array([0, 0], dtype=uint32)
    >>> k1, k2 = random.split(key)
    >>> random.uniform(k1, (3,)).round(6)
    array([0.969948, 0.315182, 0.661096])
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

import fad.numpy as fnp
from fad import _prims
from fad._api import stop_gradient as _stop_gradient
from fad.numpy._util import is_traced

__all__ = [
    "PRNGKey",
    "key",
    "key_data",
    "wrap_key_data",
    "key_impl",
    "split",
    "fold_in",
    "bits",
    "uniform",
    "normal",
    "randint",
    "bernoulli",
    "rademacher",
    "gumbel",
    "categorical",
    "choice",
    "permutation",
    "truncated_normal",
    "exponential",
    "laplace",
    "logistic",
    "cauchy",
    "lognormal",
    "pareto",
    "multivariate_normal",
    "orthogonal",
]

_U32 = np.uint32
_U64 = np.uint64
_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))  # Threefry-2x32's, in turn
_PARITY = _U32(0x1BD11BDA)  # Threefry's key schedule constant
_IMPL = "threefry2x32"
#: JAX samplers fad does not provide (they draw gamma variates by rejection), and what to use.
_MISSING = frozenset(
    (
        "gamma",
        "loggamma",
        "beta",
        "dirichlet",
        "poisson",
        "binomial",
        "t",
        "chisquare",
        "f",
        "generalized_normal",
        "ball",
        "double_sided_maxwell",
        "maxwell",
        "weibull_min",
        "rayleigh",
        "wald",
        "geometric",
        "triangular",
        "multinomial",
    )
)


def __getattr__(name: str) -> Any:
    if name in _MISSING:
        raise AttributeError(
            f"fad.random.{name} is not provided (JAX draws it by rejection sampling, which fad "
            f"has not written yet). Draw it with NumPy instead, e.g. "
            f"numpy.random.default_rng(seed).{name if name != 'loggamma' else 'gamma'}(...)."
        )
    raise AttributeError(f"module 'fad.random' has no attribute {name!r}")


# ---------------------------------------------------------------------------------- keys


def _xp(*xs: Any) -> Any:
    """NumPy for concrete values, fad.numpy where one is traced (vmap, jit, a derivative)."""
    return fnp if any(is_traced(x) for x in xs) else np


def _key(name: str, key: Any, batched: bool = False) -> Any:
    """``key`` checked: an array of uint32 pairs (one pair unless ``batched``)."""
    if not is_traced(key):
        if hasattr(key, "dtype") and key.dtype == object:
            raise TypeError(f"fad.random.{name}: the key must be an array of uint32, not objects.")
        key = np.asarray(key)
    shape, dtype = tuple(key.shape), key.dtype
    if dtype != np.uint32 or not shape or shape[-1] != 2:
        raise TypeError(
            f"fad.random.{name}: expected a key, an array of shape (2,) and dtype uint32 made by "
            f"fad.random.PRNGKey, split or fold_in; got shape {shape} and dtype {dtype}."
        )
    if len(shape) > 1 and not batched:
        raise TypeError(
            f"fad.random.{name} takes one key (shape (2,)), but was given a key array of shape "
            f"{shape}. Map over the keys with fad.vmap, e.g. fad.vmap(lambda k: "
            f"fad.random.{name}(k, ...))(keys)."
        )
    return key


def _seed_words(xp: Any, seed: Any) -> Any:
    if not is_traced(seed):
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer, np.ndarray)):
            raise TypeError(f"fad.random.PRNGKey: the seed must be an integer, got {type(seed).__name__}.")
        if np.ndim(seed):
            raise TypeError(
                f"fad.random.PRNGKey takes a scalar seed, got an array of shape {np.shape(seed)}. "
                "Map over seeds with fad.vmap."
            )
        if not isinstance(seed, int) and not np.issubdtype(np.asarray(seed).dtype, np.integer):
            raise TypeError(f"fad.random.PRNGKey: the seed must be an integer, got {np.asarray(seed).dtype}.")
        s = int(seed)
        if not -(2**63) <= s < 2**64:
            raise OverflowError(f"fad.random.PRNGKey: the seed {s} does not fit in 64 bits.")
        s %= 2**64  # (a negative seed as its two's complement, as a 64-bit integer's bits)
        return np.array([s >> 32, s & 0xFFFFFFFF], dtype=_U32)
    if seed.shape or seed.dtype.kind not in "iu":
        raise TypeError(
            f"fad.random.PRNGKey takes a scalar integer seed, got {seed.dtype}{list(seed.shape)}."
        )
    s = seed.astype(np.int64).astype(_U64)
    hi = xp.right_shift(s, _U64(32)).astype(_U32)
    lo = xp.bitwise_and(s, _U64(0xFFFFFFFF)).astype(_U32)
    return xp.stack([hi, lo])


def _impl(name: str, impl: Any) -> None:
    if impl is not None and impl != _IMPL:
        raise ValueError(f"fad.random.{name}: fad has the {_IMPL!r} generator only, not {impl!r}.")


def PRNGKey(seed: Any, *, impl: Any = None) -> Any:  # noqa: N802 - JAX's name
    """A key from an integer seed, as JAX's: the seed's 64 bits as two uint32 words, high first.

    Args:
        seed: An integer (negative seeds are taken as their 64-bit two's complement);
            traced under `vmap` over seeds.
        impl: `None` or `"threefry2x32"`, the only generator.

    Returns:
        An array of shape `(2,)` and dtype uint32.

    Examples:
        >>> from fad import random
        >>> random.PRNGKey(2**32 + 5)
        array([1, 5], dtype=uint32)
    """
    _impl("PRNGKey", impl)
    return _seed_words(_xp(seed), seed)


def key(seed: Any, *, impl: Any = None, dtype: Any = None) -> Any:
    """The same key as `PRNGKey`: JAX's `key` returns a typed key, fad's keys are uint32 pairs.

    Args:
        seed: An integer.
        impl: `None` or `"threefry2x32"`.
        dtype: `None` or `"threefry2x32"` (JAX's newer spelling of `impl`).

    Returns:
        An array of shape `(2,)` and dtype uint32.
    """
    return PRNGKey(seed, impl=dtype if impl is None else impl)


def key_data(keys: Any) -> Any:
    """The uint32 words of keys: fad's keys are their words, returned as they are (checked).

    Args:
        keys: A key or an array of keys (last axis 2, uint32).

    Returns:
        `keys`.
    """
    return _key("key_data", keys, batched=True)


def wrap_key_data(key_bits_array: Any, *, impl: Any = None) -> Any:
    """Words checked as keys (uint32, last axis 2) and returned as they are.

    Args:
        key_bits_array: The words.
        impl: `None` or `"threefry2x32"`.

    Returns:
        `key_bits_array`.
    """
    _impl("wrap_key_data", impl)
    return _key("wrap_key_data", key_bits_array, batched=True)


def key_impl(keys: Any) -> str:
    """The name of the generator that made `keys`.

    Args:
        keys: A key or an array of keys.

    Returns:
        `"threefry2x32"`.
    """
    _key("key_impl", keys, batched=True)
    return _IMPL


# ----------------------------------------------------------------------------- the hash


def _rotl(xp: Any, x: Any, r: int) -> Any:
    return xp.bitwise_or(xp.left_shift(x, _U32(r)), xp.right_shift(x, _U32(32 - r)))


def _threefry(xp: Any, k1: Any, k2: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
    """Threefry-2x32 (20 rounds) of the counter words ``x0, x1`` under the key ``k1, k2``;
    wrapping uint32 arithmetic (``x0``, ``x1`` are arrays, so no scalar overflow warning)."""
    ks = (k1, k2, xp.bitwise_xor(xp.bitwise_xor(k1, k2), _PARITY))
    x0 = x0 + k1
    x1 = x1 + k2
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x0 = x0 + x1
            x1 = xp.bitwise_xor(x0, _rotl(xp, x1, r))
        x0 = x0 + ks[(i + 1) % 3]
        x1 = x1 + ks[(i + 2) % 3] + _U32(i + 1)
    return x0, x1


def _counters(shape: tuple[int, ...]) -> tuple[Any, Any]:
    """The flat index of every element of ``shape`` as (high, low) uint32 words (at least 1-d)."""
    n = math.prod(shape)
    idx = np.arange(n, dtype=_U64)
    return (idx >> _U64(32)).astype(_U32), (idx & _U64(0xFFFFFFFF)).astype(_U32)


_M32 = 0xFFFFFFFF
_SMALL = 16  # up to this many counters, the hash runs on Python integers (no NumPy call per step)


def _threefry_ints(k1: int, k2: int, x0: int, x1: int) -> tuple[int, int]:
    """:func:`_threefry` on Python integers, for one counter pair."""
    ks = (k1, k2, k1 ^ k2 ^ 0x1BD11BDA)
    x0 = (x0 + k1) & _M32
    x1 = (x1 + k2) & _M32
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x0 = (x0 + x1) & _M32
            x1 = x0 ^ (((x1 << r) | (x1 >> (32 - r))) & _M32)
        x0 = (x0 + ks[(i + 1) % 3]) & _M32
        x1 = (x1 + ks[(i + 2) % 3] + i + 1) & _M32
    return x0, x1


def _hash_words(key: Any, x0: Any, x1: Any) -> tuple[Any, Any]:
    """Threefry of the counter words ``x0, x1`` (1-d uint32) under ``key``."""
    if not is_traced(key) and x0.size <= _SMALL:
        k1, k2 = int(key[0]), int(key[1])
        pairs = [_threefry_ints(k1, k2, a, b) for a, b in zip(x0.tolist(), x1.tolist(), strict=True)]
        return np.array([p[0] for p in pairs], _U32), np.array([p[1] for p in pairs], _U32)
    with np.errstate(over="ignore"):
        return _threefry(_xp(key), key[..., 0], key[..., 1], x0, x1)


def _hash(key: Any, shape: tuple[int, ...]) -> tuple[Any, Any]:
    """The two hash words for every element of ``shape``, each of that shape."""
    hi, lo = _counters(shape)
    b1, b2 = _hash_words(key, hi, lo)
    return b1.reshape(shape), b2.reshape(shape)


def _random_bits(key: Any, width: int, shape: tuple[int, ...]) -> Any:
    xp = _xp(key)
    b1, b2 = _hash(key, shape)
    if width == 64:
        return xp.bitwise_or(xp.left_shift(b1.astype(_U64), _U64(32)), b2.astype(_U64))
    b = xp.bitwise_xor(b1, b2)
    return b if width == 32 else b.astype(np.dtype(f"uint{width}"))


def _shape(name: str, shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (operator.index(shape),)
    try:
        return tuple(operator.index(d) for d in shape)
    except TypeError:
        raise TypeError(f"fad.random.{name}: shape must be a sequence of integers, got {shape!r}.") from None


def split(key: Any, num: int | Sequence[int] = 2) -> Any:
    """New keys from a key: `num` of them, along a new leading axis.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        num: How many keys (or a tuple: their shape).

    Returns:
        An array of shape `(num, 2)` (or `(*num, 2)`) and dtype uint32.

    Examples:
        >>> from fad import random
        >>> key, sub = random.split(random.PRNGKey(0))
        >>> random.split(key, 3).shape
        (3, 2)
    """
    key = _key("split", key)
    b1, b2 = _hash(key, _shape("split", num))
    return _xp(key).stack([b1, b2], axis=-1)


def fold_in(key: Any, data: Any) -> Any:
    """A new key from a key and an integer (a loop index, a process number).

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        data: A scalar integer, taken modulo 2**32; traced under `vmap`.

    Returns:
        A key.
    """
    key = _key("fold_in", key)
    xp = _xp(key, data)
    if fnp.ndim(data):
        raise TypeError("fad.random.fold_in takes a scalar data; map over an array of them with fad.vmap.")
    if is_traced(data):
        d = data.astype(np.int64).astype(_U32).reshape(1)
        with np.errstate(over="ignore"):
            o0, o1 = _threefry(xp, key[..., 0], key[..., 1], np.zeros(1, _U32), d)
    else:
        o0, o1 = _hash_words(key, np.zeros(1, _U32), np.array([int(data) % 2**32], dtype=_U32))
    return xp.concatenate([o0, o1])


def bits(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Uniform random bits as unsigned integers.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: An unsigned integer dtype (uint64 by default, as JAX's with 64-bit values).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("bits", key)
    dtype = np.dtype(np.uint64 if dtype is None else dtype)
    if dtype.kind != "u":
        raise ValueError(f"fad.random.bits: dtype must be an unsigned integer dtype, got {dtype}.")
    return _random_bits(key, dtype.itemsize * 8, _shape("bits", shape))


# -------------------------------------------------------------------------- continuous


def _float_dtype(name: str, dtype: Any) -> np.dtype[Any]:
    d = np.dtype(np.float64 if dtype is None else dtype)
    if d.kind != "f" or d.itemsize not in (2, 4, 8):
        raise TypeError(f"fad.random.{name} takes a 16-, 32- or 64-bit floating dtype, got {d}.")
    return d


def _unit(key: Any, shape: tuple[int, ...], dtype: np.dtype[Any]) -> Any:
    """Floats uniform on [0, 1): the top mantissa bits of the random bits, exactly JAX's
    values (its ``1.m - 1`` is ``m * 2**-nmant``)."""
    xp = _xp(key)
    nbits, nmant = dtype.itemsize * 8, np.finfo(dtype).nmant
    m = xp.right_shift(_random_bits(key, nbits, shape), np.dtype(f"uint{nbits}").type(nbits - nmant))
    return m.astype(dtype) * dtype.type(2.0**-nmant)


def _param(x: Any, dtype: np.dtype[Any]) -> Any:
    return x.astype(dtype) if is_traced(x) else np.asarray(x, dtype=dtype)


def uniform(
    key: Any, shape: Sequence[int] = (), dtype: Any = None, minval: Any = 0.0, maxval: Any = 1.0
) -> Any:
    """Floats uniform on `[minval, maxval)`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default).
        minval: The lower bound (broadcast against `shape`); differentiable.
        maxval: The upper bound; differentiable.

    Returns:
        An array of `shape` and `dtype`.

    Examples:
        >>> from fad import random
        >>> random.uniform(random.PRNGKey(1), (2,), minval=-1.0, maxval=1.0).round(6)
        array([-0.7637  , -0.092483])
    """
    key = _key("uniform", key)
    d = _float_dtype("uniform", dtype)
    shape = _shape("uniform", shape)
    lo, hi = _param(minval, d), _param(maxval, d)
    u = _unit(key, shape, d)
    return fnp.maximum(lo, fnp.reshape(u * (hi - lo) + lo, shape))


def _open_unit(key: Any, shape: tuple[int, ...], d: np.dtype[Any], lo: float, hi: float = 1.0) -> Any:
    """Plain uniform floats on [lo, hi) (no parameter to differentiate)."""
    u = _unit(key, shape, d)
    lo_, hi_ = d.type(lo), d.type(hi)
    return _xp(u).maximum(lo_, u * (hi_ - lo_) + lo_)


def _normal_real(key: Any, shape: tuple[int, ...], d: np.dtype[Any]) -> Any:
    lo = np.nextafter(d.type(-1.0), d.type(0.0))
    return d.type(math.sqrt(2.0)) * _prims.erfinv(_open_unit(key, shape, d, lo))


def normal(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard normal samples: `sqrt(2) * erfinv(u)` of a uniform `u` on (-1, 1), as JAX's.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default), or a complex one: real and imaginary
            parts of variance 1/2 each.

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("normal", key)
    shape = _shape("normal", shape)
    d = np.dtype(np.float64 if dtype is None else dtype)
    if d.kind == "c":
        real = np.dtype(f"float{d.itemsize * 4}")
        kr, ki = split(key)
        z = _normal_real(kr, shape, real) + 1j * _normal_real(ki, shape, real)
        return (z / real.type(math.sqrt(2.0))).astype(d)
    return _normal_real(key, shape, _float_dtype("normal", d))


def truncated_normal(
    key: Any, lower: Any, upper: Any, shape: Sequence[int] | None = None, dtype: Any = None
) -> Any:
    """Standard normal samples conditioned on the open interval `(lower, upper)`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        lower: The lower bound; differentiable.
        upper: The upper bound; differentiable.
        shape: The shape of the result (the bounds' broadcast shape if None).
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`, strictly inside the bounds.
    """
    key = _key("truncated_normal", key)
    d = _float_dtype("truncated_normal", dtype)
    lower, upper = _param(lower, d), _param(upper, d)
    shape = (
        np.broadcast_shapes(lower.shape, upper.shape) if shape is None else _shape("truncated_normal", shape)
    )
    s2 = d.type(math.sqrt(2.0))
    a, b = _prims.erf(lower / s2), _prims.erf(upper / s2)
    out = s2 * _prims.erfinv(uniform(key, shape, d, a, b))
    lo = fnp.nextafter(_stop_gradient(lower), d.type(np.inf))
    hi = fnp.nextafter(_stop_gradient(upper), d.type(-np.inf))
    return fnp.clip(out, lo, hi)


def lognormal(key: Any, sigma: Any = 1.0, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Log-normal samples, `exp(sigma * normal)`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        sigma: The scale of the logarithm; differentiable.
        shape: The shape of the result (`sigma`'s if None).
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("lognormal", key)
    d = _float_dtype("lognormal", dtype)
    sigma = _param(sigma, d)
    shape = sigma.shape if shape is None else _shape("lognormal", shape)
    return fnp.exp(normal(key, shape, d) * sigma)


def exponential(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Exponential samples of rate 1, `-log1p(-u)`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("exponential", key)
    d = _float_dtype("exponential", dtype)
    return -fnp.log1p(-_unit(key, _shape("exponential", shape), d))


def pareto(key: Any, b: Any, shape: Sequence[int] | None = None, dtype: Any = None) -> Any:
    """Pareto samples of shape `b`, `exp(exponential / b)`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        b: The shape parameter; differentiable.
        shape: The shape of the result (`b`'s if None).
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("pareto", key)
    d = _float_dtype("pareto", dtype)
    b = _param(b, d)
    shape = b.shape if shape is None else _shape("pareto", shape)
    return fnp.exp(exponential(key, shape, d) / b)


def laplace(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Laplace samples of location 0 and scale 1.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("laplace", key)
    d = _float_dtype("laplace", dtype)
    u = _open_unit(key, _shape("laplace", shape), d, -1.0 + float(np.finfo(d).epsneg))
    return fnp.sign(u) * fnp.log1p(-fnp.abs(u))


def logistic(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard logistic samples.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("logistic", key)
    d = _float_dtype("logistic", dtype)
    x = _open_unit(key, _shape("logistic", shape), d, float(np.finfo(d).tiny))
    return fnp.log(x) - fnp.log1p(-x)


def cauchy(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """Standard Cauchy samples.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("cauchy", key)
    d = _float_dtype("cauchy", dtype)
    u = _open_unit(key, _shape("cauchy", shape), d, float(np.finfo(d).eps))
    return fnp.tan(d.type(np.pi) * (u - d.type(0.5)))


def gumbel(key: Any, shape: Sequence[int] = (), dtype: Any = None, mode: str | None = None) -> Any:
    """Standard Gumbel samples.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: A floating dtype (float64 by default).
        mode: `"low"` (default) or `"high"`: two uniforms per sample, for accuracy in the
            tail near 0, as JAX's.

    Returns:
        An array of `shape` and `dtype`.
    """
    key = _key("gumbel", key)
    d = _float_dtype("gumbel", dtype)
    return _gumbel(key, _shape("gumbel", shape), d, mode)


def _gumbel(key: Any, shape: tuple[int, ...], d: np.dtype[Any], mode: str | None) -> Any:
    info = np.finfo(d)
    if mode in ("high", "highest"):
        u = _open_unit(key, (2, *shape), d, 0.0)
        high, low = u[0], u[1]
        x = _xp(u).where(high >= d.type(0.5), high, high + d.type(2.0**-info.nmant) * low + info.tiny)
        return -fnp.log(-fnp.log1p(-x))
    if mode not in (None, "low"):
        raise ValueError(f"fad.random.gumbel: mode must be 'low' or 'high', got {mode!r}.")
    return -fnp.log(-fnp.log(_open_unit(key, shape, d, float(info.tiny))))


def multivariate_normal(
    key: Any,
    mean: Any,
    cov: Any,
    shape: Sequence[int] | None = None,
    dtype: Any = None,
    method: str = "cholesky",
) -> Any:
    """Samples of the normal distribution `N(mean, cov)`: `mean + factor @ z`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        mean: The mean, shape `(..., n)`; differentiable.
        cov: The covariance, shape `(..., n, n)`; differentiable.
        shape: The batch shape of the result (the broadcast of `mean`'s and `cov`'s batch
            shapes if None).
        dtype: A floating dtype (float64 by default).
        method: How `cov` is factored: `"cholesky"` (default), `"eigh"` or `"svd"`.

    Returns:
        An array of shape `(*shape, n)`.
    """
    key = _key("multivariate_normal", key)
    d = _float_dtype("multivariate_normal", dtype)
    mean, cov = _param(mean, d), _param(cov, d)
    if mean.ndim < 1 or cov.ndim < 2:
        raise ValueError(
            "fad.random.multivariate_normal needs mean.ndim >= 1 and cov.ndim >= 2, "
            f"got {mean.ndim} and {cov.ndim}."
        )
    n = mean.shape[-1]
    if tuple(cov.shape[-2:]) != (n, n):
        raise ValueError(
            f"fad.random.multivariate_normal: cov must have shape (..., {n}, {n}), got {cov.shape}."
        )
    batch = np.broadcast_shapes(mean.shape[:-1], cov.shape[:-2])
    shape = batch if shape is None else _shape("multivariate_normal", shape)
    if method == "cholesky":
        factor = fnp.linalg.cholesky(cov)
    elif method == "eigh":
        w, v = fnp.linalg.eigh(cov)
        factor = v * fnp.sqrt(w[..., None, :])
    elif method == "svd":
        u, s, _ = fnp.linalg.svd(cov)
        factor = u * fnp.sqrt(s[..., None, :])
    else:
        raise ValueError(
            f"fad.random.multivariate_normal: method must be 'cholesky', 'eigh' or 'svd', got {method!r}."
        )
    z = normal(key, (*shape, n), d)
    return mean + fnp.einsum("...ij,...j->...i", factor, z)


def orthogonal(key: Any, n: int, shape: Sequence[int] = (), dtype: Any = None, m: int | None = None) -> Any:
    """A random orthogonal matrix (Haar-distributed when square).

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        n: Its number of rows.
        shape: A batch shape.
        dtype: A floating dtype (float64 by default).
        m: Its number of columns (`n` if None).

    Returns:
        An array of shape `(*shape, n, m)`.
    """
    key = _key("orthogonal", key)
    d = _float_dtype("orthogonal", dtype)
    m = n if m is None else m
    shape = _shape("orthogonal", shape)
    q, r = fnp.linalg.qr(normal(key, (*shape, max(n, m), min(n, m)), d))
    x = q * fnp.expand_dims(fnp.sign(fnp.diagonal(r, axis1=-2, axis2=-1)), -2)
    return fnp.swapaxes(x, -1, -2) if n < m else x


# ---------------------------------------------------------------------------- discrete


def bernoulli(key: Any, p: Any = 0.5, shape: Sequence[int] | None = None, mode: str = "low") -> Any:
    """Booleans, True with probability `p`.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        p: The probability (broadcast against `shape`).
        shape: The shape of the result (`p`'s if None).
        mode: `"low"` (default) or `"high"` (two uniforms per sample, for small `p`).

    Returns:
        A boolean array of `shape`.
    """
    key = _key("bernoulli", key)
    d = np.dtype(p.dtype if hasattr(p, "dtype") and p.dtype.kind == "f" else np.float64)
    shape = fnp.shape(p) if shape is None else _shape("bernoulli", shape)
    if mode == "high":
        u = _unit(key, (2, *shape), d)
        return u[1] * d.type(2.0 ** -np.finfo(d).nmant) < p - u[0]
    if mode != "low":
        raise ValueError(f"fad.random.bernoulli: mode must be 'low' or 'high', got {mode!r}.")
    return _unit(key, shape, d) < p


def rademacher(key: Any, shape: Sequence[int] = (), dtype: Any = None) -> Any:
    """-1 or 1 with equal probability.

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        dtype: An integer or floating dtype (int64 by default).

    Returns:
        An array of `shape` and `dtype`.
    """
    d = np.dtype(np.int64 if dtype is None else dtype)
    b = bernoulli(key, 0.5, _shape("rademacher", shape)).astype(d)
    return (2 * b - 1).astype(d)


def randint(key: Any, shape: Sequence[int], minval: Any, maxval: Any, dtype: Any = None) -> Any:
    """Integers uniform on `[minval, maxval)` (JAX's: two words of bits per value, reduced
    modulo the span; `minval` wherever `maxval <= minval`).

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        shape: The shape of the result.
        minval: The lower bound, inclusive (broadcast against `shape`).
        maxval: The upper bound, exclusive.
        dtype: An integer dtype (int64 by default).

    Returns:
        An array of `shape` and `dtype`.

    Examples:
        >>> from fad import random
        >>> random.randint(random.PRNGKey(0), (5,), 0, 10)
        array([5, 1, 5, 7, 3])
    """
    key = _key("randint", key)
    shape = _shape("randint", shape)
    d = np.dtype(np.int64 if dtype is None else dtype)
    if d.kind not in "iu":
        raise TypeError(f"fad.random.randint takes an integer dtype, got {d}.")
    xp = _xp(key, minval, maxval)
    info = np.iinfo(d)
    ud = np.dtype(f"uint{d.itemsize * 8}")
    lo, hi = (x if is_traced(x) else np.asarray(x) for x in (minval, maxval))
    lo, hi = (x.astype(np.int64) if x.dtype.kind not in "iu" else x for x in (lo, hi))
    over = hi > info.max  # (maxval = 256 for uint8: one more than the dtype holds)
    lo, hi = (
        xp.clip(x, max(info.min, np.iinfo(x.dtype).min), min(info.max, np.iinfo(x.dtype).max))
        for x in (lo, hi)
    )
    lo, hi = lo.astype(d), hi.astype(d)
    k1, k2 = split(key)
    with np.errstate(over="ignore"):
        higher, lower = _random_bits(k1, ud.itemsize * 8, shape), _random_bits(k2, ud.itemsize * 8, shape)
        span = xp.where(hi <= lo, ud.type(1), (hi - lo).astype(ud))
        span = xp.where(over & (hi > lo), span + ud.type(1), span)
        # a span of 2**nbits wraps to 0, and "modulo 0" leaves a value as it is (as XLA's)
        zero = span == 0
        span = xp.where(zero, ud.type(1), span)

        def rem(a: Any) -> Any:
            return xp.where(zero, a, xp.remainder(a, span))

        mult = rem(ud.type(2 ** (ud.itemsize * 4)))
        mult = rem(mult * mult)
        offset = rem(rem(higher) * mult + rem(lower))
        return (lo + offset.astype(d)).astype(d)


def _sort_shuffle(key: Any, x: Any, axis: int) -> Any:
    """``x`` shuffled along ``axis`` by sorting on fresh 32-bit keys, rounds enough that ties
    are unlikely (JAX's algorithm and numbers)."""
    size = math.prod(x.shape)
    rounds = math.ceil(3 * math.log(max(1, size)) / math.log(np.iinfo(np.uint32).max))
    for _ in range(rounds):
        key, sub = split(key)
        order = fnp.argsort(_random_bits(sub, 32, tuple(x.shape)), axis=axis, kind="stable")
        x = fnp.take_along_axis(x, order, axis=axis)
    return x


def permutation(key: Any, x: Any, axis: int = 0, independent: bool = False) -> Any:
    """A random permutation along an axis (of `arange(x)` for an integer `x`).

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        x: An array, or an integer `n` for a permutation of `arange(n)`; differentiable.
        axis: The axis to permute.
        independent: Permute each slice along `axis` separately, instead of the same
            permutation of whole slices.

    Returns:
        The permuted array.
    """
    key = _key("permutation", key)
    if not is_traced(x) and np.ndim(x) == 0:
        if not isinstance(x, (int, np.integer)):
            raise TypeError("fad.random.permutation: x must be an integer or an array.")
        return _sort_shuffle(key, np.arange(operator.index(x)), 0)
    x = x if is_traced(x) else np.asarray(x)
    axis = axis % x.ndim
    if independent or x.ndim == 1:
        return _sort_shuffle(key, x, axis)
    order = _sort_shuffle(key, np.arange(x.shape[axis]), 0)
    return fnp.take(x, order, axis=axis)


def choice(
    key: Any,
    a: Any,
    shape: Sequence[int] = (),
    replace: bool = True,
    p: Any = None,
    axis: int = 0,
    mode: str | None = None,
) -> Any:
    """Samples of `a` along an axis (of `arange(a)` for an integer `a`).

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        a: An array, or an integer `n` to sample from `arange(n)`; differentiable.
        shape: The shape of the samples.
        replace: Sample with replacement.
        p: Probabilities of the entries of `a` along `axis` (uniform if None).
        axis: The axis of `a` to sample along.
        mode: The Gumbel mode used without replacement with `p` (see `gumbel`).

    Returns:
        An array: `a`'s shape with `axis` replaced by `shape`.
    """
    key = _key("choice", key)
    if not isinstance(shape, Sequence):
        raise TypeError(f"fad.random.choice: shape must be a sequence, got {shape!r}.")
    shape = _shape("choice", shape)
    arr = a if is_traced(a) else np.asarray(a)
    if arr.ndim == 0:
        n = operator.index(a)
    else:
        axis = axis % arr.ndim
        n = arr.shape[axis]
    draws = math.prod(shape)
    if draws == 0:
        return fnp.zeros(shape, dtype=arr.dtype)
    if n <= 0:
        raise ValueError("fad.random.choice: a must be greater than 0 unless no samples are taken.")
    if not replace and draws > n:
        raise ValueError(
            f"fad.random.choice: cannot take a larger sample (size {draws}) than the population "
            f"(size {n}) when replace=False."
        )
    if p is None:
        if replace:
            ind = randint(key, shape, 0, n)
            out = ind if arr.ndim == 0 else fnp.take(arr, ind, axis=axis)
        else:
            perm = permutation(key, n if arr.ndim == 0 else arr, axis)
            out = perm[(slice(None),) * (axis if arr.ndim else 0) + (slice(draws),)]
    else:
        pa = p if is_traced(p) else np.asarray(p, dtype=np.result_type(np.asarray(p).dtype, np.float64))
        if tuple(pa.shape) != (n,):
            raise ValueError(
                f"fad.random.choice: p must be None or a 1-D vector of size {n} (a.shape[axis]); "
                f"got shape {pa.shape}."
            )
        if replace:
            c = fnp.cumsum(pa)
            r = c[-1] * (1 - uniform(key, shape, dtype=pa.dtype))
            ind = fnp.searchsorted(_stop_gradient(c), _stop_gradient(r)).astype(np.int64)
        else:
            g = _gumbel(key, (n,), np.dtype(pa.dtype), mode) + fnp.log(pa)
            ind = fnp.argsort(-_stop_gradient(g), kind="stable")[:draws]
        out = ind if arr.ndim == 0 else fnp.take(arr, ind, axis=axis)
    if arr.ndim == 0:
        return fnp.reshape(out, shape)
    return fnp.reshape(out, (*arr.shape[:axis], *shape, *arr.shape[axis + 1 :]))


def categorical(
    key: Any,
    logits: Any,
    axis: int = -1,
    shape: Sequence[int] | None = None,
    replace: bool = True,
    mode: str | None = None,
) -> Any:
    """Category indices with probabilities `softmax(logits)` along an axis (the Gumbel-max
    trick, as JAX's).

    Args:
        key: A key (shape `(2,)`, uint32), from `PRNGKey`, `split` or `fold_in`.
        logits: Unnormalised log-probabilities.
        axis: The axis of the categories.
        shape: The shape of the result; it must end with the logits' shape without `axis`
            (that shape if None).
        replace: Draw with replacement (without: distinct categories, at most their
            number of samples).
        mode: The Gumbel mode (see `gumbel`).

    Returns:
        An int64 array of `shape`.
    """
    key = _key("categorical", key)
    lg = (
        logits
        if is_traced(logits)
        else np.asarray(logits, dtype=np.result_type(np.asarray(logits).dtype, np.float64))
    )
    axis = axis % lg.ndim
    batch = tuple(s for i, s in enumerate(lg.shape) if i != axis)
    shape = batch if shape is None else _shape("categorical", shape)
    if tuple(shape[len(shape) - len(batch) :]) != batch:
        raise ValueError(
            f"fad.random.categorical: shape {shape} must end with the logits' batch shape {batch}."
        )
    prefix = shape[: len(shape) - len(batch)]
    d = np.dtype(lg.dtype)
    lg = _stop_gradient(lg)
    if replace:
        g = _gumbel(key, (*prefix, *lg.shape), d, mode)
        return fnp.argmax(g + fnp.reshape(lg, (1,) * len(prefix) + tuple(lg.shape)), axis=len(prefix) + axis)
    k = math.prod(prefix)
    if k > lg.shape[axis]:
        raise ValueError(
            f"fad.random.categorical: {k} samples without replacement exceed the {lg.shape[axis]} categories."
        )
    z = fnp.moveaxis(lg + _gumbel(key, tuple(lg.shape), d, mode), axis, -1)
    top = fnp.argsort(-z, axis=-1, kind="stable")[..., :k]  # (*batch, k)
    return fnp.reshape(fnp.moveaxis(top, -1, 0), shape)
