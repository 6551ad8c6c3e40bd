"""Program capture, simplification passes, rendering and fad.jit."""

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fad
import fad.numpy as np
from fad._passes import simplify
from fad._staging import capture
from tests._helpers import assert_trees_close

RNG = onp.random.default_rng(0)


def _close(a, b):
    assert_trees_close(a, b)


def mlp_loss(params, x):
    (w1, b1), (w2, b2) = params
    h = np.tanh(x @ w1 + b1)
    z = h @ w2 + b2
    return np.sum(np.log(np.sum(np.exp(z - np.max(z, axis=1, keepdims=True)), axis=1)))


PARAMS = [
    (RNG.standard_normal((4, 5)), RNG.standard_normal(5)),
    (RNG.standard_normal((5, 3)), RNG.standard_normal(3)),
]
XB = RNG.standard_normal((6, 4))

CASES = {
    "elementwise": (lambda x: np.sum(np.sin(x) * x + np.exp(-(x**2))), (RNG.standard_normal(5),)),
    "grad": (fad.grad(lambda x: np.sum(np.tanh(x) ** 3)), (RNG.standard_normal(5),)),
    "value_and_grad_mlp": (fad.value_and_grad(mlp_loss), (PARAMS, XB)),
    "hessian": (fad.hessian(lambda x: np.sum(x**4) + np.max(x) * x[0]), (RNG.standard_normal(4),)),
    "vmap_grad": (fad.vmap(fad.grad(mlp_loss), in_axes=(None, 0)), (PARAMS, XB[:, None, :])),
    "square_transpose": (lambda a: (a.T @ a + a).sum(axis=0), (RNG.standard_normal((3, 3)),)),
    "jacfwd_jacrev": (fad.jacfwd(fad.jacrev(lambda x: np.sin(x) * x.sum())), (RNG.standard_normal(3),)),
}


@pytest.mark.parametrize("name", CASES)
def test_program_matches_function(name):
    f, args = CASES[name]
    raw = capture(f, args)
    simple = simplify(raw)
    expected = f(*args)
    _close(raw(*args), expected)
    _close(simple(*args), expected)
    # on new inputs of the same shapes too (the program holds for every input)
    new = fad.tree_util.tree_map(lambda a: a + 0.1 * RNG.standard_normal(onp.shape(a)), args)
    _close(simple(*new), f(*new))
    assert len(simple) <= len(raw)
    j = fad.jit(f)
    _close(j(*args), expected)
    _close(j(*new), f(*new))


def test_tutorial_programs_are_short():
    f = lambda x1, x2: x1 * x2 + np.sin(x1)  # noqa: E731
    p = fad.make_program(fad.grad(f, argnums=(0, 1)))(2.0, 3.0)
    assert str(p).splitlines()[1:-1] == ["  c:f64[] = cos a", "  d:f64[] = add c b", "  return d, a"]
    g = lambda x1, x2, x3: 3 * (x1**2 + x2 * x3)  # noqa: E731
    pg = fad.make_program(fad.grad(g, argnums=(0, 1, 2)))(2.0, 3.0, 4.0)
    assert len(pg) == 4  # 3*x3, 3*x2, 2*x1, 3*(2*x1)
    onp.testing.assert_allclose(pg(2.0, 3.0, 4.0), (12.0, 12.0, 9.0))


def test_value_and_grad_program_has_forward_and_adjoint_traces():
    p = fad.make_program(fad.value_and_grad(lambda x: np.sum(np.tanh(x) ** 2)))(onp.ones(3))
    names = [e.prim.name for e in p.eqns]
    assert names[:3] == ["tanh", "pow", "reduce_sum"]  # primal trace
    assert "sub" in names[3:] and "mul" in names[3:]  # adjoint trace: 2 t (1 - t^2)


def test_source_lines_and_dot():
    p = fad.make_program(lambda x: np.sin(x) * 2.0, source=True)(onp.ones(2))
    assert "test_staging.py" in str(p)
    dot = p.to_dot()
    assert dot.startswith("digraph program {") and "sin" in dot and "mul" in dot
    assert dot.rstrip().endswith("}")


def test_value_dependent_control_flow_is_an_error_unless_static():
    def f(x, flag):
        return x * 2 if flag > 0 else -x

    with pytest.raises(fad.ConcretizationError, match="static_argnums"):
        fad.jit(f)(1.0, 1.0)
    with pytest.raises(fad.ConcretizationError):
        fad.make_program(f)(1.0, 1.0)
    assert fad.jit(f, static_argnums=1)(3.0, 1.0) == 6.0
    assert fad.make_program(f, static_argnums=1)(3.0, -1.0)(3.0) == -3.0
    with pytest.raises(TypeError, match="hashable"):
        fad.jit(lambda x, s: x, static_argnums=1)(1.0, [1])
    # fad.lax.cond stages both branches and selects
    h = fad.jit(lambda x: fad.lax.cond(x > 0, lambda v: v * 2, lambda v: -v, x))
    assert h(3.0) == 6.0 and h(-3.0) == 3.0


def test_jit_composes_with_every_transform():
    f = lambda x: np.sum(np.sin(x) * x)  # noqa: E731
    x = onp.linspace(0.1, 1, 4)
    jf = fad.jit(f)
    _close(fad.grad(jf)(x), fad.grad(f)(x))
    _close(fad.jit(fad.grad(f))(x), fad.grad(f)(x))
    _close(fad.vmap(jf)(onp.stack([x, 2 * x])), onp.array([f(x), f(2 * x)]))
    _close(
        fad.jit(fad.vmap(fad.grad(f)))(onp.stack([x, 2 * x])), fad.vmap(fad.grad(f))(onp.stack([x, 2 * x]))
    )
    _close(fad.jacfwd(fad.jit(lambda v: np.sin(v) * v))(x), fad.jacfwd(lambda v: np.sin(v) * v)(x))
    _close(fad.hessian(jf)(x), fad.hessian(f)(x))
    _close(fad.grad(fad.grad(fad.jit(lambda v: v**3)))(2.0), 12.0)
    _close(fad.jit(fad.jit(f))(x), f(x))
    # a closure over a value traced outside jit runs eagerly, correctly
    assert fad.grad(lambda a: fad.jit(lambda y: a * y)(2.0))(1.0) == 2.0


def test_jit_cache_recaptures_on_new_signature_and_is_bounded():
    calls = []

    def f(x):
        calls.append(1)
        return x * 2

    j = fad.jit(f, cache_size=2)
    j(onp.ones(2))
    j(onp.ones(2))
    assert len(calls) == 1
    j(onp.ones(3))
    j(onp.ones(3, onp.float32))
    assert len(calls) == 3 and j.cache_size() == 2
    assert j(onp.ones(3, onp.float32)).dtype == onp.float32


def test_jit_keeps_numpy_dtype_semantics_for_python_scalars():
    x32 = onp.ones(3, onp.float32)
    assert fad.jit(lambda x, s: x * s)(x32, 2.0).dtype == onp.float32
    assert fad.jit(lambda x: x * 2.0)(x32).dtype == onp.float32


def test_float_constants_run_as_float64_arrays_bit_for_bit():
    # jit hands a Python float to a ufunc as a 0-d float64 array when every traced operand
    # is float64 (faster, same bits); elsewhere it stays a Python float (NumPy's weak scalar)
    edge = onp.array([1.5, -2.25, 1e308, -1e308, 5e-324, -0.0, 0.0, onp.inf, -onp.inf, onp.nan, 0.7])
    f = lambda x: ((x * 1.01 + 0.1) / 3.0 - 2.5) ** 2.0 > 0.5  # noqa: E731
    g = lambda x: (x * 1.01 + 0.1) / 3.0 - 2.5  # noqa: E731
    with onp.errstate(all="ignore"):
        onp.testing.assert_array_equal(fad.jit(g)(edge), g(edge))
        onp.testing.assert_array_equal(fad.jit(f)(edge), f(edge))
        onp.testing.assert_array_equal(
            fad.jit(fad.grad(lambda x: np.sum(g(x) * x)))(edge[:4]),
            fad.grad(lambda x: np.sum(g(x) * x))(edge[:4]),
        )
    x32 = edge.astype(onp.float32)
    with onp.errstate(all="ignore"):
        out32 = fad.jit(g)(x32)
    assert out32.dtype == onp.float32
    onp.testing.assert_array_equal(out32, g(x32))
    assert type(fad.jit(lambda x: x * 1.01)(1.5)) is type(onp.float64(1.5) * 1.01)


# ---------------------------------------------------------- passes preserve values

UNARY = [
    np.sin,
    np.tanh,
    np.exp,
    lambda v: v * 1.0,
    lambda v: v + 0.0,
    lambda v: v.T,
    lambda v: -(-v),  # noqa: B002 - a double negation, on purpose
    lambda v: v.reshape(v.shape),
    lambda v: v - 0.0,
    lambda v: v / 1.0,
    lambda v: v**1,
]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a @ b,
    lambda a, b: a - b.T,
    lambda a, b: np.maximum(a, b),
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(UNARY) - 1), st.integers(0, len(BINARY) - 1), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 2**31 - 1),
)
def test_passes_preserve_values_on_random_programs(ops, seed):
    def f(a, b):
        vals = [a, b]
        for u, bi, use_bin in ops:
            x = UNARY[u](vals[-1])
            vals.append(BINARY[bi](x, vals[-2]) if use_bin else x)
        return vals[-1].sum(axis=0), vals[len(vals) // 2]

    rng = onp.random.default_rng(seed)
    args = (rng.uniform(-1, 1, (3, 3)), rng.uniform(-1, 1, (3, 3)))
    raw = capture(f, args)
    simple = simplify(raw)
    for trial in range(2):
        new = args if trial == 0 else (rng.uniform(-1, 1, (3, 3)), rng.uniform(-1, 1, (3, 3)))
        _close(simple(*new), f(*new))
        _close(raw(*new), f(*new))
        _close(fad.jit(f)(*new), f(*new))
    g = fad.grad(lambda a, b: f(a, b)[0].sum(), argnums=(0, 1))
    _close(fad.jit(g)(*args), g(*args))


def test_integer_use_of_a_staged_value_suggests_static_argnums():
    f = lambda x, n: [x := np.sin(x) for _ in range(n)][-1]  # noqa: E731
    with pytest.raises(fad.ConcretizationError, match="static_argnums"):
        fad.jit(f)(1.0, 3)
    assert fad.jit(f, static_argnums=1)(1.0, 3) == f(1.0, 3)


def test_compiled_code_reuses_only_dead_unaliased_buffers():
    from fad._jit import compile_program

    def f(x):
        a = np.sin(x)
        b = a.reshape(2, 2)  # a view of a's memory: a must not be overwritten while b lives
        c = np.exp(a)  # last use of a
        return c.reshape(2, 2) + b

    x = onp.linspace(0.1, 1, 4)
    _close(fad.jit(f)(x), f(x))
    g = fad.grad(lambda v: np.sum(np.tanh(np.sin(v) * 1.5) ** 2))
    src = compile_program(fad.jit(g).program(x)).source
    assert "out=" in src  # dead intermediates are reused ...
    _close(fad.jit(g)(x), g(x))  # ... without changing the result
    _close(x, onp.linspace(0.1, 1, 4))  # and the inputs are never written


def test_static_argnames_and_donate_argnums():
    def f(x, n, mode="a"):
        for _ in range(n):
            x = np.sin(x)
        return x * (2.0 if mode == "a" else 3.0)

    j = fad.jit(f, static_argnames=("n", "mode"))
    for args, kw in [((1.0, 3), {}), ((1.0,), {"n": 2, "mode": "b"}), ((1.0, 3), {"mode": "b"})]:
        assert j(*args, **kw) == f(*args, **kw)
    assert fad.grad(j)(1.0, 3) == fad.grad(f)(1.0, 3)
    assert fad.jit(f, static_argnums=(1,), donate_argnums=0)(1.0, 2) == f(1.0, 2)


def _eqn_names(prog):
    return [e.prim.name for e in prog.eqns]


# values where an inexact rewrite would show: overflow, subnormals, signed zeros, inf, nan
EDGE = onp.array([1.5, -2.25, 1e308, -1e308, 5e-324, -5e-324, 0.0, -0.0, onp.inf, -onp.inf, onp.nan, 3e-310])


@pytest.mark.parametrize(
    "f",
    [
        lambda x: (x + x) * 1.01,  # doubling merged with a scaling: x * 2.02
        lambda x: (x * 2.0) * -3.5,  # two scalings, one a power of two
        lambda x: (x * 1.01) * 4.0,
        lambda x: (-x * np.sin(x)) * 3.0,  # a neg moved through a product into a scaling
        lambda x: np.cos(x) * -np.sin(x) * np.exp(x) + x,  # moved twice, then absorbed by +
        lambda x: x / -np.cos(x) - x,  # through a quotient
        lambda x: -(np.sin(x) * -np.cos(x)),
        # identities, with the sign of zero: x + 0.0 and x - -0.0 turn -0.0 into 0.0
        lambda x: x + 0.0,
        lambda x: 0.0 + x,
        lambda x: x + 0,
        lambda x: x - -0.0,
        lambda x: (x + -0.0) - 0.0,
        lambda x: x + onp.zeros(()),
        lambda x: x - onp.full((), -0.0),
    ],
)
def test_scaling_and_negation_rewrites_are_bit_exact(f):
    with onp.errstate(all="ignore"):
        expected = f(EDGE)
        got = fad.jit(f)(EDGE)
    assert onp.array_equal(got, expected, equal_nan=True)
    real = ~onp.isnan(expected)  # signed zeros keep their sign (a NaN's sign bit is no value)
    assert onp.array_equal(onp.signbit(got[real]), onp.signbit(expected[real]))


def test_inexact_scalings_are_left_alone():
    # neither factor a power of two, or one below 1 in magnitude: (x * c1) * c2 may round or
    # overflow differently from x * (c1 * c2), so both products stay
    for f in (lambda x: (x * 3.0) * 1.01, lambda x: (x * 2.0) * 0.25, lambda x: (x * 0.5) * 4.0):
        prog = fad.make_program(f)(EDGE)
        assert _eqn_names(prog) == ["mul", "mul"]
        with onp.errstate(all="ignore"):
            assert onp.array_equal(fad.jit(f)(EDGE), f(EDGE), equal_nan=True)


def test_chain_rule_negations_and_doublings_leave_the_adjoint_program():
    # two cycles of W2's chain: the adjoint has cos' -sin factors, exp(-y^2)'s doubling
    # and the 1.01 scalings
    def f(x):
        for _ in range(2):
            y = np.tanh(np.cos(np.sin(x))) * 1.01 + 0.1
            x = np.exp(-(y * y))
        return np.sum(x)

    x = onp.linspace(0.1, 1.0, 5)
    prog = fad.make_program(fad.grad(f))(x)
    doublings = [e for e in prog.eqns if e.prim.name == "add" and e.inputs[0] is e.inputs[1]]
    assert not doublings  # merged into the scalings
    assert _eqn_names(prog).count("neg") <= 2 + 1  # the forward pass's two, and one left at the end
    assert onp.array_equal(fad.jit(fad.grad(f))(x), fad.grad(f)(x))


def test_scalings_by_typed_scalars_keep_their_dtype():
    # a float64 NumPy scalar is not weak: (x32 * 2.0) * float64(1.5) is float64, and merging
    # the two factors into one weak constant would make it float32
    x = onp.linspace(0.5, 2.0, 4, dtype=onp.float32)
    f = lambda v: (v * 2.0) * onp.float64(1.5)  # noqa: E731
    assert fad.jit(f)(x).dtype == f(x).dtype == onp.float64
    assert onp.array_equal(fad.jit(f)(x), f(x))


def test_a_broadcast_read_by_a_ufunc_is_left_to_the_ufunc():
    # the ufunc broadcasts its operands itself: the same values meet, bit for bit
    x, m = EDGE[:4], onp.arange(-6.0, 6.0).reshape(3, 4)
    f = lambda x, m: m * np.broadcast_to(x, (3, 4)) + np.broadcast_to(np.sum(m), (3, 4))  # noqa: E731
    assert "broadcast_to" not in _eqn_names(fad.make_program(f)(x, m))
    with onp.errstate(all="ignore"):
        assert onp.array_equal(fad.jit(f)(x, m), f(x, m), equal_nan=True)
    # kept where the ufunc alone would give another shape, or another dtype (a Python scalar)
    g = lambda x: np.sin(np.broadcast_to(x, (3, 4)))  # noqa: E731
    assert "broadcast_to" in _eqn_names(fad.make_program(g)(x))
    y = onp.ones(3, dtype=onp.float32)
    h = lambda s, y: np.broadcast_to(s, (3,)) * y  # noqa: E731
    assert fad.jit(h)(2.0, y).dtype == h(2.0, y).dtype


graphviz = pytest.importorskip("graphviz")


def test_dot_quotes_what_it_must():
    """Labels with quotes, backslashes and braces survive into DOT (graphviz does the
    quoting), and the source parses: Graphviz's dot draws it."""
    p = fad.make_program(lambda x: np.einsum("i,i->", x, x) * 2.0)(onp.ones(3))
    dot = p.to_dot('a "quoted" {name}')
    assert dot.splitlines()[0] == 'digraph "a \\"quoted\\" {name}" {'
    assert '[label="reshape[shape=(1, 1, 3)]"' in dot
    g = p.to_graphviz()
    assert isinstance(g, graphviz.Digraph) and g.source == p.to_dot()


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="Graphviz's dot is not installed")
def test_program_displays_as_svg_in_a_notebook():
    p = fad.make_program(fad.grad(lambda x: np.sum(np.tanh(x) ** 2)))(onp.ones(2))
    svg = p._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "tanh" in svg
    bundle = p._repr_mimebundle_()
    assert bundle["text/plain"] == str(p) and bundle["image/svg+xml"] == svg
    subprocess_out = graphviz.Source(p.to_dot('name with "quotes"')).pipe(format="svg", encoding="utf-8")
    assert "<svg" in subprocess_out


def test_drawing_without_graphviz_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_graphviz(name, *args, **kwargs):
        if name == "graphviz":
            raise ImportError("no graphviz")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_graphviz)
    p = fad.make_program(np.sin)(1.0)
    with pytest.raises(ImportError, match=r"fad-autodiff\[graph\]"):
        p.to_dot()
    assert p._repr_svg_() is None
    assert p._repr_mimebundle_() == {"text/plain": str(p)}
