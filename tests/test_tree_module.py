"""fad.tree (JAX's `jax.tree`) and tree_util.register_dataclass."""

from __future__ import annotations

import dataclasses
import operator

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad import tree
from fad.tree_util import keystr, register_dataclass


def test_short_names_match_tree_util():
    t = {"a": 1, "b": (2, [3, 4])}
    assert tree.leaves(t) == [1, 2, 3, 4]
    leaves, spec = tree.flatten(t)
    assert tree.unflatten(spec, leaves) == t and tree.structure(t) == spec
    assert tree.map(operator.add, t, t) == {"a": 2, "b": (4, [6, 8])}
    assert [keystr(p) for p, _ in tree.leaves_with_path(t)] == [
        "['a']",
        "['b'][0]",
        "['b'][1][0]",
        "['b'][1][1]",
    ]
    assert tree.flatten_with_path(t)[1] == spec
    assert tree.map_with_path(lambda p, x: len(p), t) == {"a": 1, "b": (2, [3, 3])}
    assert tree.all(t) and not tree.all({"a": 0})
    assert tree.reduce(operator.add, t) == 10 and tree.reduce(operator.add, t, 5) == 15
    assert tree.reduce_associative(operator.add, [1, (2, 3), [4, 5, 6]]) == 21
    assert tree.reduce_associative(operator.add, [], identity=0) == 0
    with pytest.raises(TypeError, match="identity"):
        tree.reduce_associative(operator.add, [])
    assert tree.broadcast((1, 2), (0, {"a": 0, "b": 0})) == (1, {"a": 2, "b": 2})
    outer, inner = tree.structure([0, 0]), tree.structure((0, 0))
    assert tree.transpose(outer, inner, [(1, 2), (3, 4)]) == ([1, 3], [2, 4])
    assert tree.transpose(outer, None, [(1, 2), (3, 4)]) == ([1, 3], [2, 4])


@register_dataclass
@dataclasses.dataclass
class Layer:
    w: np.ndarray
    b: np.ndarray
    activation: str = tree.static(default="tanh")


def test_register_dataclass_under_transforms():
    layer = Layer(np.ones((2, 3)), np.zeros(3))
    assert len(tree.leaves(layer)) == 2
    assert [keystr(p) for p, _ in tree.leaves_with_path(layer)] == [".w", ".b"]

    def loss(p, x):
        h = fnp.tanh(x @ p.w + p.b) if p.activation == "tanh" else x @ p.w + p.b
        return fnp.sum(h**2)

    g = fad.grad(loss)(layer, np.ones((4, 2)))
    assert isinstance(g, Layer) and g.activation == "tanh" and g.w.shape == (2, 3)
    per = fad.vmap(fad.grad(loss), in_axes=(None, 0))(layer, np.ones((5, 1, 2)))
    assert per.w.shape == (5, 2, 3)
    jitted = fad.jit(loss)(layer, np.ones((4, 2)))
    np.testing.assert_allclose(jitted, loss(layer, np.ones((4, 2))))

    # explicit fields, for a class that is not a dataclass
    class Pair:
        def __init__(self, x, tag):
            self.x, self.tag = x, tag

    register_dataclass(Pair, data_fields=["x"], meta_fields=["tag"])
    out = fad.grad(lambda p: p.x**2)(Pair(3.0, "t"))
    assert out.x == 6.0 and out.tag == "t"


def test_register_dataclass_errors():
    class NotData:
        pass

    with pytest.raises(TypeError, match="not a dataclass"):
        register_dataclass(NotData)
    with pytest.raises(TypeError, match="both"):
        register_dataclass(NotData, data_fields=["x"])

    @dataclasses.dataclass
    class Partial:
        a: float
        b: float

    with pytest.raises(ValueError, match=r"\['b'\]"):
        register_dataclass(Partial, data_fields=["a"], meta_fields=[])
