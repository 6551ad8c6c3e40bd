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


# ------------------------------------------------------------------ optree-backed semantics


def test_ordereddict_defaultdict_deque_are_nodes():
    od = collections.OrderedDict([("z", 1), ("a", 2)])
    assert tree_leaves(od) == [1, 2]  # insertion order
    back = roundtrip(od)
    assert type(back) is collections.OrderedDict and list(back) == ["z", "a"]
    dd = collections.defaultdict(list, {"b": 1, "a": 2})
    assert tree_leaves(dd) == [2, 1]  # sorted keys, like dict
    back = roundtrip(dd)
    assert type(back) is collections.defaultdict and back.default_factory is list and back == dd
    dq = collections.deque([1, (2, 3)], maxlen=5)
    back = tree_map(lambda v: v * 10, dq)
    assert type(back) is collections.deque and list(back) == [10, (20, 30)] and back.maxlen == 5


def test_dict_leaves_sorted_unflatten_keeps_the_source_order():
    leaves, td = tree_flatten({"b": 1, "a": 2})
    assert leaves == [2, 1]
    out = tree_unflatten(td, [20, 10])
    assert out == {"a": 20, "b": 10} and list(out) == ["b", "a"]
    assert td == tree_structure({"a": 0, "b": 0})  # key order is not part of the structure


def test_none_is_a_node_without_leaves():
    leaves, td = tree_flatten([None, 1.0])
    assert leaves == [1.0] and tree_unflatten(td, [2.0]) == [None, 2.0]
    assert td.num_leaves == 1 and not treedef_is_leaf(tree_structure(None))


def test_fast_paths_agree_with_optree():
    a = np.ones(2)
    no = lambda v: False  # an is_leaf that forces the general path
    for tree in [a, 1.0, (a, 2.0), [a, a, a], (), [], (a,) * 70]:
        leaves, td = tree_flatten(tree)
        leaves2, td2 = tree_flatten(tree, is_leaf=no)
        assert td == td2 and hash(td) == hash(td2) and repr(td) == repr(td2)
        assert len(leaves) == len(leaves2) == td.num_leaves
        assert [c.num_leaves for c in td.children()] == [c.num_leaves for c in td2.children()]
        back = tree_unflatten(td, leaves)
        assert type(back) is type(tree) and len(tree_leaves(back)) == len(leaves)
    _, td = tree_flatten((a, a))
    with pytest.raises(ValueError, match="Too few leaves"):
        tree_unflatten(td, [a])
    with pytest.raises(ValueError, match="Too many leaves"):
        tree_unflatten(tree_structure(a), [a, a])


def test_registrations_stay_in_fads_namespace():
    import optree

    b = Box([1, 2], "x")
    assert tree_leaves(b) == [1, 2]
    assert optree.tree_leaves(b) == [b]  # other optree users still see a leaf


def test_attrs_nested_and_explicit_override():
    @attrs.define
    class Inner:
        u: object

    @attrs.define
    class Outer:
        inner: object
        v: object

    assert tree_leaves(Outer(Inner(1.0), 2.0)) == [1.0, 2.0]
    paths = [fad.tree_util.keystr(p) for p, _ in fad.tree_util.tree_leaves_with_path(Outer(Inner(1.0), 2.0))]
    assert paths == [".inner.u", ".v"]
    # an explicit registration replaces the automatic one
    register_pytree_node(Inner, lambda i: ((), i.u), lambda u, _: Inner(u))
    assert tree_leaves(Outer(Inner(1.0), 2.0)) == [2.0]


def test_registration_errors():
    with pytest.raises(TypeError, match="must be a class"):
        register_pytree_node("Box", lambda b: ((), None), lambda a, c: None)
    with pytest.raises(TypeError, match="must be callable"):
        register_pytree_node(type("T", (), {}), None, lambda a, c: None)
    with pytest.raises(ValueError, match="already registered"):
        register_pytree_node(tuple, lambda t: (t, None), lambda _, c: tuple(c))


def test_tree_unflatten_wants_a_treedef():
    with pytest.raises(TypeError, match="expects a PyTreeDef"):
        tree_unflatten((1, 2), [1, 2])


# ------------------------------------------------------------------ key paths

from fad.tree_util import (  # noqa: E402
    DictKey,
    FlattenedIndexKey,
    GetAttrKey,
    SequenceKey,
    keystr,
    tree_flatten_with_path,
    tree_leaves_with_path,
    tree_map_with_path,
)


def test_key_paths_like_jax():
    tree = (
        {"W1": np.ones(2), "b": [1.0]},
        Point(2.0, 3.0),
        Params(4.0, 5.0),
        Box([6.0], "lbl"),
        collections.OrderedDict(z=7.0),
    )
    pairs, td = tree_flatten_with_path(tree)
    assert td == tree_structure(tree)
    assert [keystr(p) for p, _ in pairs] == [
        "[0]['W1']",
        "[0]['b'][0]",
        "[1].x",
        "[1].y",
        "[2].w",
        "[2].b",
        "[3][<flat index 0>]",  # Box's children are its items
        "[4]['z']",
    ]
    assert pairs[0][0] == (SequenceKey(0), DictKey("W1"))
    assert pairs[2][0] == (SequenceKey(1), GetAttrKey("x"))
    assert pairs[6][0] == (SequenceKey(3), FlattenedIndexKey(0))
    assert pairs[7][1] == 7.0
    assert repr(DictKey("W1")) == "DictKey(key='W1')" and hash(SequenceKey(1)) == hash(SequenceKey(1))
    assert keystr(pairs[1][0], simple=True, separator="/") == "0/b/0"
    assert keystr(()) == ""
    assert tree_flatten_with_path(5.0)[0] == [((), 5.0)]


def test_static_attrs_fields_have_no_path():
    paths = [keystr(p) for p, _ in tree_leaves_with_path(WithStatic(np.ones(2)))]
    assert paths == [".value"]


def test_register_with_keys():
    class Pair:
        def __init__(self, left, right):
            self.left, self.right = left, right

    fad.tree_util.register_pytree_with_keys(
        Pair,
        lambda p: (((GetAttrKey("left"), p.left), (DictKey("r"), p.right)), None),
        lambda _, c: Pair(*c),
    )
    assert [keystr(p) for p, _ in tree_leaves_with_path(Pair(1, [2]))] == [".left", "['r'][0]"]
    out = tree_map(lambda v: v + 1, Pair(1, 2))
    assert isinstance(out, Pair) and (out.left, out.right) == (2, 3)

    class Trio:
        def __init__(self, *xs):
            self.xs = xs

    register_pytree_node(
        Trio,
        lambda t: (t.xs, None),
        lambda _, c: Trio(*c),
        flatten_with_keys_func=lambda t: ([(SequenceKey(i), x) for i, x in enumerate(t.xs)], None),
    )
    assert [keystr(p) for p, _ in tree_leaves_with_path(Trio(1, 2, 3))] == ["[0]", "[1]", "[2]"]


def test_tree_map_with_path_and_several_trees():
    out = tree_map_with_path(
        lambda p, a, b: f"{keystr(p)}={a + b}", {"x": 1, "y": (2,)}, {"x": 10, "y": (20,)}
    )
    assert out == {"x": "['x']=11", "y": ("['y'][0]=22",)}


def test_tree_map_rest_may_extend_the_first_tree():
    # as in JAX: a leaf of the first tree meets a whole subtree of the others
    assert tree_map(lambda a, b: (a, b), [1, 2], [(3, 4), 5]) == [(1, (3, 4)), (2, 5)]


def test_mismatch_errors_name_the_key_path():
    with pytest.raises(ValueError, match=r"structures differ at \['a'\]\[1\]: the first tree has \(\*, \*\)"):
        tree_map(lambda u, v: u, {"a": [1, (2, 3)]}, {"a": [1, [2, 3]]})
    with pytest.raises(ValueError, match=r"at \[0\]: .*\{'x': \*\} there, tree 3 has \{'y': \*\}"):
        tree_map(lambda u, v, w: u, [{"x": 1}], [{"x": 1}], [{"y": 1}])
    with pytest.raises(ValueError, match="at the top level"):
        tree_map(lambda u, v: u, (1, 2), (1, 2, 3))
    with pytest.raises(ValueError, match=r"at \[0\]\['b'\], the vmap in_axes has \(\*, \*\)"):
        fad.vmap(lambda d: d["a"], in_axes=({"a": 0, "b": (0, 0)},))({"a": np.ones(2), "b": np.ones(2)})


def test_leaf_path_helpers_for_error_messages():
    from fad._tree import describe_difference, leaf_path_str, leaf_path_strs

    tree = ({"W1": np.ones(2), "b": np.ones(2)}, np.ones(3))
    _, td = tree_flatten(tree)
    assert leaf_path_strs(td) == ["[0]['W1']", "[0]['b']", "[1]"]
    assert leaf_path_str(tree, 0) == "[0]['W1']"
    assert f"argument 0{leaf_path_str(td.children()[0], 1)}" == "argument 0['b']"
    assert leaf_path_str(np.ones(2), 0) == ""
    a, b = tree_structure((1, {"k": [1, 2]})), tree_structure((1, {"k": (1, 2)}))
    assert describe_difference(a, b) == "at [1]['k']: [*, *] against (*, *)"
    assert describe_difference(a, a) == ""
    assert describe_difference(tree_structure(1), b) == ""  # a leaf is a prefix of anything


def test_treedef_flatten_up_to():
    td = tree_structure({"a": 0, "b": 0})
    assert td.flatten_up_to({"a": (1, 2), "b": 3}) == [(1, 2), 3]
    with pytest.raises(ValueError, match=r"structures differ at the top level"):
        td.flatten_up_to({"a": 1})


def test_tree_transpose_and_all_leaves():
    from fad.tree_util import all_leaves, tree_transpose

    outer, inner = tree_structure([0, 0, 0]), tree_structure((0, 0))
    assert tree_transpose(outer, inner, [(1, 2), (3, 4), (5, 6)]) == ([1, 3, 5], [2, 4, 6])
    with pytest.raises(ValueError, match=r"tree_transpose: .*at \[1\]"):
        tree_transpose(outer, inner, [(1, 2), [3, 4], (5, 6)])
    assert all_leaves([1.0, np.ones(2), "s"])
    assert not all_leaves([1.0, (2.0,)]) and not all_leaves([None]) and not all_leaves([Params(1, 2)])
    assert all_leaves([(1, 2)], is_leaf=lambda v: isinstance(v, tuple))
