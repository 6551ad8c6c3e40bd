"""Pytrees: containers, attrs classes, registration, tree_map, treedefs, errors."""

import collections

import attrs
import numpy as np
import pytest

import fad
import fad.numpy as fnp
from fad.tree_util import (
    PyTreeDef,
    register_pytree_node,
    tree_flatten,
    tree_leaves,
    tree_map,
    tree_structure,
    tree_unflatten,
    treedef_is_leaf,
)

Point = collections.namedtuple("Point", ["x", "y"])


@attrs.define
class Params:
    w: object
    b: object


@attrs.frozen
class Frozen:
    a: object
    b: object


@attrs.define
class WithStatic:
    value: object
    name: str = attrs.field(default="layer", metadata={"static": True})
    n: int = attrs.field(default=3, metadata={"static": True})


class Box:
    def __init__(self, items, label):
        self.items = items
        self.label = label


register_pytree_node(Box, lambda b: (b.items, b.label), lambda label, items: Box(list(items), label))


def roundtrip(tree):
    leaves, td = tree_flatten(tree)
    return tree_unflatten(td, leaves)


@pytest.mark.parametrize(
    "tree, leaves",
    [
        ((1, 2, 3), [1, 2, 3]),
        ([1, [2, (3,)]], [1, 2, 3]),
        ({"b": 2, "a": 1, "c": 3}, [1, 2, 3]),  # sorted keys
        ({"z": [1], "a": (2, 3)}, [2, 3, 1]),
        (None, []),
        ((None, 1, [None]), [1]),
        (Point(1, (2, 3)), [1, 2, 3]),
        (5.0, [5.0]),
        ((), []),
        ({}, []),
    ],
)
def test_flatten_order_and_roundtrip(tree, leaves):
    assert tree_leaves(tree) == leaves
    back = roundtrip(tree)
    assert back == tree and type(back) is type(tree)


def test_arrays_are_leaves():
    a = np.ones((2, 3))
    leaves = tree_leaves({"a": a, "b": [a, 1.0]})
    assert len(leaves) == 3 and leaves[0] is a


def test_dict_unflatten_uses_sorted_keys():
    _, td = tree_flatten({"b": 0, "a": 0})
    assert tree_unflatten(td, [1, 2]) == {"a": 1, "b": 2}


def test_namedtuple_type_is_kept():
    out = tree_map(lambda v: v * 10, Point(1, 2))
    assert isinstance(out, Point) and out == Point(10, 20)


def test_attrs_class():
    p = Params(np.array([1.0, 2.0]), 3.0)
    leaves, td = tree_flatten(p)
    assert len(leaves) == 2 and leaves[1] == 3.0  # declaration order
    q = tree_unflatten(td, [np.zeros(2), 4.0])
    assert isinstance(q, Params) and q.b == 4.0


def test_frozen_attrs_class():
    f = Frozen(1.0, (2.0, 3.0))
    assert tree_leaves(f) == [1.0, 2.0, 3.0]
    g = tree_map(lambda v: v + 1, f)
    assert isinstance(g, Frozen) and g.a == 2.0 and g.b == (3.0, 4.0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        g.a = 0.0  # still frozen after unflattening


def test_attrs_static_fields_are_structure_not_leaves():
    s = WithStatic(np.ones(2), name="dense", n=4)
    leaves, td = tree_flatten(s)
    assert len(leaves) == 1
    t = tree_unflatten(td, [np.zeros(2)])
    assert t.name == "dense" and t.n == 4
    # a different static value is a different structure
    assert td != tree_structure(WithStatic(np.ones(2), name="other", n=4))
    assert td == tree_structure(WithStatic(np.zeros(2), name="dense", n=4))


def test_attrs_class_under_grad():
    def loss(p, x):
        return fnp.sum((p.w * x + p.b) ** 2)

    g = fad.grad(loss)(Params(np.array([1.0, 2.0]), 0.5), np.array([1.0, -1.0]))
    assert isinstance(g, Params)
    np.testing.assert_allclose(g.w, 2 * np.array([1.5, -1.5]) * np.array([1.0, -1.0]))
    np.testing.assert_allclose(g.b, 2 * (1.5 - 1.5))
    g = fad.grad(lambda s: fnp.sum(s.value**2) * s.n)(WithStatic(np.array([1.0, 2.0])))
    assert isinstance(g, WithStatic) and g.name == "layer"
    np.testing.assert_allclose(g.value, [6.0, 12.0])


def test_registered_node():
    b = Box([1, (2, 3)], "lbl")
    leaves, td = tree_flatten(b)
    assert leaves == [1, 2, 3]
    c = tree_unflatten(td, [4, 5, 6])
    assert isinstance(c, Box) and c.items == [4, (5, 6)] and c.label == "lbl"
    assert td != tree_structure(Box([1, (2, 3)], "other"))
    g = fad.grad(lambda bx: bx.items[0] * bx.items[1])(Box([2.0, 3.0], "x"))
    assert isinstance(g, Box) and g.items == [3.0, 2.0]


def test_register_twice_is_an_error():
    with pytest.raises(ValueError, match="already registered"):
        register_pytree_node(Box, lambda b: ((), None), lambda a, c: Box([], None))


def test_tree_map_several_trees():
    a = {"x": 1, "y": (2, 3)}
    b = {"x": 10, "y": (20, 30)}
    c = {"x": 100, "y": (200, 300)}
    assert tree_map(lambda u, v, w: u + v + w, a, b, c) == {"x": 111, "y": (222, 333)}


def test_tree_map_structure_mismatch():
    with pytest.raises(ValueError, match="structures differ"):
        tree_map(lambda u, v: u + v, (1, 2), [1, 2])
    with pytest.raises(ValueError, match="structures differ"):
        tree_map(lambda u, v: u + v, {"a": 1}, {"b": 1})


def test_tree_map_is_leaf():
    tree = {"a": (1, 2), "b": [3]}
    out = tree_map(lambda v: len(v), tree, is_leaf=lambda v: isinstance(v, (tuple, list)))
    assert out == {"a": 2, "b": 1}


def test_treedef_equality_and_hash():
    t1 = tree_structure({"a": (1, 2), "b": [3]})
    t2 = tree_structure({"b": [30], "a": (10, 20)})
    assert t1 == t2 and hash(t1) == hash(t2)
    assert t1 != tree_structure({"a": [1, 2], "b": [3]})  # tuple vs list
    assert t1 != tree_structure({"a": (1, 2), "c": [3]})  # different key
    assert tree_structure((1, 2)) != tree_structure((1, 2, 3))
    assert tree_structure(Point(1, 2)) != tree_structure((1, 2))
    assert t1.num_leaves == 3
    assert isinstance(t1, PyTreeDef)


def test_treedef_repr():
    assert repr(tree_structure((1, {"x": 2}))) == "PyTreeDef((*, {'x': *}))"
    assert repr(tree_structure([1, None, (2,)])) == "PyTreeDef([*, None, (*,)])"
    assert "Point" in repr(tree_structure(Point(1, 2)))
    assert repr(tree_structure(1.0)) == "PyTreeDef(*)"


def test_treedef_is_leaf():
    assert treedef_is_leaf(tree_structure(1.0))
    assert not treedef_is_leaf(tree_structure((1.0,)))


def test_unflatten_wrong_number_of_leaves():
    _, td = tree_flatten((1, 2))
    with pytest.raises(ValueError, match="Too few"):
        tree_unflatten(td, [1])
    with pytest.raises(ValueError, match="Too many"):
        tree_unflatten(td, [1, 2, 3])


def test_treedef_unflatten_method():
    _, td = tree_flatten([1, (2,)])
    assert td.unflatten([5, 6]) == [5, (6,)]


def test_transforms_reject_non_array_leaves_with_a_hint():
    with pytest.raises(TypeError, match="register_pytree_node"):
        fad.grad(lambda s: 1.0)(object())
    with pytest.raises(TypeError, match="dtype"):
        fad.vmap(lambda s: s)(np.array(["a", "b"]))


def test_jax_extras_reduce_all_node_class_and_children():
    from fad.tree_util import register_pytree_node_class, tree_all, tree_reduce, tree_structure

    assert tree_reduce(lambda a, b: a + b, {"x": 1, "y": (2, 3)}) == 6
    assert tree_reduce(lambda a, b: a * b, [2, 3], 10) == 60
    assert tree_all([True, (1, None)]) and not tree_all([True, 0])

    @register_pytree_node_class
    class Box:
        def __init__(self, v):
            self.v = v

        def tree_flatten(self):
            return (self.v,), None

        @classmethod
        def tree_unflatten(cls, aux, children):
            return cls(*children)

    assert fad.tree_util.tree_leaves(Box([1, 2])) == [1, 2]
    assert fad.grad(lambda b: b.v * 2.0)(Box(3.0)).v == 2.0
    td = tree_structure((1, [2, 3]))
    kids = td.children()
    assert len(kids) == 2 and kids[1].num_leaves == 2


def test_a_type_flattened_as_a_leaf_can_be_registered_later():
    class Late:
        def __init__(self, a, b):
            self.a, self.b = a, b

    assert tree_leaves((Late(1, 2), 3))[1:] == [3]  # a leaf while unregistered
    register_pytree_node(Late, lambda p: ((p.a, p.b), None), lambda _, c: Late(*c))
    assert tree_leaves((Late(1, 2), 3)) == [1, 2, 3]
    assert tree_leaves([Late(4, 5)]) == [4, 5]
