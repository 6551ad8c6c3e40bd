"""JAX's device functions, for code that calls them: fad computes with NumPy on the CPU
it runs on, so there is one device, `device_put` makes NumPy arrays, and every result is
ready when it is returned."""

from __future__ import annotations

from typing import Any

import numpy as np

from fad._jit import ShapeDtypeStruct
from fad._tree import tree_map


class CpuDevice:
    """The one device fad computes on: the host's CPU, through NumPy."""

    id = 0
    platform = "cpu"
    device_kind = "cpu"
    process_index = 0

    def __repr__(self) -> str:
        return "CpuDevice(id=0)"


_CPU = CpuDevice()


def devices(backend: Any = None) -> list[CpuDevice]:
    """The devices fad computes on: the CPU.

    Args:
        backend: Accepted for JAX compatibility (`None` or `"cpu"`).

    Returns:
        `[CpuDevice(id=0)]`.
    """
    if backend not in (None, "cpu"):
        raise RuntimeError(f"fad computes with NumPy on the CPU: there is no {backend!r} backend.")
    return [_CPU]


def local_devices(process_index: Any = None, backend: Any = None) -> list[CpuDevice]:
    """The devices of this process: the CPU.

    Args:
        process_index: Accepted for JAX compatibility.
        backend: Accepted for JAX compatibility (`None` or `"cpu"`).

    Returns:
        `[CpuDevice(id=0)]`.
    """
    return devices(backend)


def device_count(backend: Any = None) -> int:
    """How many devices: 1.

    Args:
        backend: Accepted for JAX compatibility (`None` or `"cpu"`).

    Returns:
        1.
    """
    return len(devices(backend))


def _to_numpy(x: Any) -> Any:
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return x  # (an array of any library, or a traced value, stays as it is)
    return np.asarray(x)


def device_put(
    x: Any, device: Any = None, *, src: Any = None, donate: Any = False, may_alias: Any = None
) -> Any:
    """Put the leaves of `x` on the device: Python numbers and lists become NumPy arrays,
    arrays and traced values stay as they are.

    Args:
        x: A pytree.
        device: `None` or a device from `fad.devices()`.
        src: Accepted for JAX compatibility.
        donate: Accepted for JAX compatibility.
        may_alias: Accepted for JAX compatibility.

    Returns:
        `x` with array leaves.
    """
    if device is not None and not isinstance(device, CpuDevice):
        raise TypeError(f"fad.device_put: fad has one device, fad.devices()[0]; got {device!r}.")
    return tree_map(_to_numpy, x)


def device_get(x: Any) -> Any:
    """The leaves of `x` as host values (NumPy arrays already are).

    Args:
        x: A pytree.

    Returns:
        `x` with NumPy array leaves.
    """
    return tree_map(_to_numpy, x)


def block_until_ready(x: Any) -> Any:
    """`x` itself: fad's results are ready when they are returned.

    Args:
        x: A pytree.

    Returns:
        `x`.
    """
    return x


def default_backend() -> str:
    """The backend fad computes on.

    Returns:
        `"cpu"`.
    """
    return "cpu"


def local_device_count(backend: Any = None) -> int:
    """How many devices this process has: 1.

    Args:
        backend: Accepted for JAX compatibility (`None` or `"cpu"`).

    Returns:
        1.
    """
    return device_count(backend)


def process_index() -> int:
    """This process's index among the processes of a computation: 0 (fad runs in one).

    Returns:
        0.
    """
    return 0


def process_count() -> int:
    """How many processes share the computation: 1.

    Returns:
        1.
    """
    return 1


class ShapedArray(ShapeDtypeStruct):
    """The type of an array as `jax.typeof` gives it: a `fad.ShapeDtypeStruct` printed as
    JAX prints a type, `float64[3,3]` (`~` before the dtype of a weakly typed Python number).

    Attributes:
        shape: The shape.
        dtype: The NumPy dtype.
        weak_type: Whether the value is a Python number (NumPy's rule for Python scalars
            applies when it meets an array).
    """

    __slots__ = ()

    def __str__(self) -> str:
        return f"{'~' if self.weak_type else ''}{self.dtype.name}[{','.join(map(str, self.shape))}]"

    def __repr__(self) -> str:
        return f"ShapedArray({self})"


def typeof(x: Any) -> ShapedArray:
    """The type of `x`: its shape and dtype, as `jax.typeof` gives them (inside `vmap`,
    the shape of one example).

    Args:
        x: An array, a number, or a value traced by a transform.

    Returns:
        A `ShapedArray`.

    Examples:
        >>> import fad, fad.numpy as fnp
        >>> print(fad.typeof(fnp.ones((3, 3))))
        float64[3,3]
        >>> _ = fad.vmap(lambda v: print(fad.typeof(v)) or v)(fnp.arange(3))
        int64[]
    """
    return ShapedArray.like(x)
