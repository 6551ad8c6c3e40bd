"""A typed user script: tests/test_typing.py runs ``mypy --strict`` on it and compares what
mypy says with the ``# R:`` (revealed type) and ``# E:`` (an error on that line) comments,
and runs it (the lines under TYPE_CHECKING are for mypy only). Not collected as tests.
"""

# ruff: noqa: F821 - reveal_type is mypy's

from __future__ import annotations

from typing import TYPE_CHECKING

import fad
import fad.numpy as fnp
from fad.typing import Array, ArrayLike


def loss(w: Array, x: Array) -> Array:
    return ((fnp.asarray(w) * fnp.asarray(x)) ** 2).sum()


def loss_aux(w: Array, scale: float) -> tuple[Array, str]:
    return (fnp.asarray(w) ** 2).sum() * scale, "squared norm"


def energy(x: float) -> float:
    return x * x


def norm2(x: ArrayLike) -> Array:
    return (fnp.asarray(x) ** 2).sum()


@fad.custom_vjp
def clip(x: Array) -> Array:
    return fnp.asarray(x)


def clip_fwd(x: Array) -> tuple[Array, None]:
    return fnp.asarray(x), None


def clip_bwd(res: None, g: Array) -> tuple[Array]:
    return (fnp.clip(g, -1.0, 1.0),)


clip.defvjp(clip_fwd, clip_bwd)

g = fad.grad(loss)
vg = fad.value_and_grad(loss)
ga = fad.grad(loss_aux, has_aux=True)
vga = fad.value_and_grad(loss_aux, has_aux=True)
jf = fad.jacfwd(loss)
jr = fad.jacrev(loss_aux, has_aux=True)
vm = fad.vmap(loss, in_axes=(None, 0))
jl = fad.jit(loss)
ck = fad.checkpoint(energy)
if TYPE_CHECKING:
    reveal_type(fad.grad(energy))  # R: def (x: float) -> Any
    reveal_type(g)  # R: def (w: Any, x: Any) -> Any
    reveal_type(vg)  # R: def (w: Any, x: Any) -> tuple[Any, Any]
    reveal_type(ga)  # R: def (w: Any, scale: float) -> tuple[Any, str]
    reveal_type(vga)  # R: def (w: Any, scale: float) -> tuple[tuple[Any, str], Any]
    reveal_type(jf)  # R: def (w: Any, x: Any) -> Any
    reveal_type(jr)  # R: def (w: Any, scale: float) -> tuple[Any, str]
    reveal_type(vm)  # R: def (*Any, **Any) -> Any
    reveal_type(jl)  # R: fad._jit.Jitted[[w: Any, x: Any], Any]
    reveal_type(jl.program)  # R: def (w: Any, x: Any) -> fad._program.Program | None
    reveal_type(clip)  # R: fad._custom.custom_vjp[[x: Any], Any]
    reveal_type(ck)  # R: def (x: float) -> float
    reveal_type(fad.jvp(loss, (1.0, 2.0), (1.0, 0.0)))  # R: tuple[Any, Any]
    reveal_type(fad.vjp(energy, 3.0))  # R: tuple[float, def (Any) -> tuple[Any, ...]]
    reveal_type(fad.linearize(energy, 3.0))  # R: tuple[float, def (*Any, **Any) -> Any]
    reveal_type(fnp.sin)  # R: fad.numpy._util.UnaryFn
    reveal_type(fnp.shape(fnp.ones((2, 3))))  # R: tuple[int, ...]
    g(1.0)  # E: Too few arguments  [call-arg]
    g(1.0, 2.0, 3.0)  # E: Too many arguments  [call-arg]
    g(1.0, y=2.0)  # E: Unexpected keyword argument "y"  [call-arg]
    fad.grad(energy)("three")  # E: Argument 1 has incompatible type "str"; expected "float"  [arg-type]
    ga(1.0, "two")  # E: Argument 2 has incompatible type "str"; expected "float"  [arg-type]
    clip(1.0, 2.0)  # E: Too many arguments for "__call__" of "custom_vjp"  [call-arg]
    ck("x")  # E: Argument 1 has incompatible type "str"; expected "float"  [arg-type]
    aux = fad.grad(loss_aux, has_aux=True)(1.0, 2.0)[1]
    aux.upper()
    fad.grad(norm2)([1.0, 2.0]), fad.grad(norm2)(fnp.ones(2)), fad.vmap(norm2)(((1.0, 2.0),))
    aux + 1  # E: Unsupported operand types for + ("str" and "int")  [operator]

if __name__ == "__main__":  # what the typed functions return at run time
    assert (g(fnp.array([1.0, 2.0]), 3.0) == [18.0, 36.0]).all()
    assert vg(1.0, 2.0) == (4.0, 8.0) and ga(2.0, 0.5) == (2.0, "squared norm")
    assert vga(2.0, 0.5) == ((2.0, "squared norm"), 2.0)
    assert (jf(fnp.array([1.0, 2.0]), 3.0) == [18.0, 36.0]).all()
    assert (vm(2.0, fnp.array([1.0, 2.0])) == [4.0, 16.0]).all()
    assert jl(1.0, 2.0) == 4.0 and ck(3.0) == 9.0 and fad.grad(energy)(3.0) == 6.0
    assert fad.grad(lambda x: clip(x).sum())(fnp.array([3.0])) == 1.0
