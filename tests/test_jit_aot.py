"""JAX's ahead-of-time API on fad.jit (``trace``, ``lower``, ``compile``, ``eval_shape``,
``fad.ShapeDtypeStruct``, ``fad.eval_shape``) and ``jax_explain_cache_misses``: each stage
against JAX's semantics (the results of calling the jitted function; a compiled function
refuses other signatures with a TypeError naming the argument), under composed transforms
and static arguments."""

import logging

import hypothesis.strategies as st
import numpy as onp
import pytest
from hypothesis import given, settings

import fad
import fad._jit as jit_module
import fad.numpy as np
from fad import ShapeDtypeStruct
from fad.test_util import check_grads

RNG = onp.random.default_rng(7)
X = RNG.standard_normal(4)
A = RNG.standard_normal((3, 3)) + 3 * onp.eye(3)


def f(x, y):
    return 2 * x + np.sin(y)


def loss(p, x):
    return np.sum(np.tanh(x @ p["w"] + p["b"]) ** 2)


P = {"w": RNG.standard_normal((4, 2)), "b": RNG.standard_normal(2)}
XS = RNG.standard_normal((5, 4))


def assert_tree_close(a, b):
    la, ta = fad.tree_util.tree_flatten(a)
    lb, tb = fad.tree_util.tree_flatten(b)
    assert ta == tb
    for u, v in zip(la, lb, strict=True):
        assert onp.shape(u) == onp.shape(v)
        assert onp.result_type(u) == onp.result_type(v)
        onp.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- trace


def test_trace_gives_the_program_jit_runs():
    jf = fad.jit(f)
    traced = jf.trace(3.0, X)
    assert isinstance(traced.jaxpr, fad.Program)
    assert str(traced.jaxpr) == str(jf.program(3.0, X))
    assert_tree_close(traced.jaxpr.eval_flat([3.0, X])[0], jf(3.0, X))
    assert_tree_close(traced(3.0, X), jf(3.0, X))
    assert traced.fun_name == "f"
    assert traced.out_info == ShapeDtypeStruct((4,), onp.float64)
    assert traced.args_info == (
        (ShapeDtypeStruct((), onp.float64, weak_type=True), ShapeDtypeStruct((4,), onp.float64)),
        {},
    )
    assert traced.in_tree == fad.tree_util.tree_structure(((3.0, X), {}))
    assert traced.out_tree == fad.tree_util.tree_structure(X)


def test_trace_keeps_the_compiled_code_in_the_cache():
    jf = fad.jit(f)
    jf.trace(3.0, X)
    assert jf.cache_size() == 1
    jf(1.0, X)  # (the same signature: no new capture)
    jf.lower(ShapeDtypeStruct((), float, weak_type=True), ShapeDtypeStruct((4,), float)).compile()
    assert jf.cache_size() == 1


def test_trace_of_a_static_rank_branch_keeps_one_branch():
    # the tutorial's example: the program knows only the branch taken
    def log2_if_rank_2(x):
        return np.log(x) / np.log(2.0) if x.ndim == 2 else x

    jf = fad.jit(log2_if_rank_2)
    assert len(jf.trace(np.array([1, 2, 3])).jaxpr.eqns) == 0
    assert len(jf.trace(np.ones((2, 2))).jaxpr.eqns) > 0


def test_trace_without_arguments():
    c = np.arange(3.0)
    traced = fad.jit(lambda: c * 2).trace()
    assert traced.out_info == ShapeDtypeStruct((3,), onp.float64)
    onp.testing.assert_array_equal(traced.lower().compile()(), [0.0, 2.0, 4.0])


def test_trace_of_a_closure_over_an_outer_tracer_says_what_to_do():
    def outer(x):
        return fad.jit(lambda y: x * y).trace(1.0)

    with pytest.raises(TypeError, match="closes over a value traced by a transform outside"):
        fad.grad(outer)(2.0)


# ------------------------------------------------------------ abstract arguments


def test_shape_dtype_struct():
    s = ShapeDtypeStruct([2, 3], "float32")
    assert s.shape == (2, 3) and s.dtype == onp.float32 and s.ndim == 2 and s.size == 6 and len(s) == 2
    assert repr(s) == "ShapeDtypeStruct(shape=(2, 3), dtype=float32)"
    assert s == ShapeDtypeStruct((2, 3), onp.float32) and hash(s) == hash(ShapeDtypeStruct((2, 3), "f4"))
    assert s != ShapeDtypeStruct((2, 3), onp.float32, weak_type=True)
    assert fad.tree_util.tree_leaves({"a": s}) == [s]  # a leaf, as in JAX


def test_abstract_arguments_trace_as_arrays_do():
    jf = fad.jit(f)
    concrete = jf.trace(onp.float32(1.0), onp.ones((2, 3), onp.float32))
    abstract = jf.trace(ShapeDtypeStruct((), "float32"), ShapeDtypeStruct((2, 3), "float32"))
    assert str(abstract.jaxpr) == str(concrete.jaxpr)
    assert abstract.out_info == ShapeDtypeStruct((2, 3), onp.float32)


class Duck:  # anything with shape and dtype stands for an array, as in JAX
    shape = (3, 3)
    dtype = onp.dtype(onp.float64)


@pytest.mark.parametrize(
    "fun, arg",
    [
        (np.linalg.inv, A),  # an identity matrix stands for the argument: invertible
        (lambda a: np.linalg.cholesky(a @ a.T), A),
        (lambda x: np.log(x) + np.arcsin(x), onp.array([0.3, 0.7])),
        (lambda i: np.arange(5.0)[i], onp.array([4, 0])),  # integer zeros: a valid index
    ],
)
def test_abstract_arguments_are_captured_on_valid_examples(fun, arg):
    jf = fad.jit(fun)
    spec = Duck() if onp.shape(arg) == (3, 3) else ShapeDtypeStruct(arg.shape, arg.dtype)
    compiled = jf.lower(spec).compile()
    assert_tree_close(compiled(arg), jf(arg))


def test_abstract_static_argument_reaches_the_function_as_it_is():
    # as in JAX: a static argument must be a value, and the function sees what was passed
    jf = fad.jit(lambda n, x: x * n, static_argnums=0)
    with pytest.raises(TypeError):
        jf.trace(ShapeDtypeStruct((), "int64"), 1.0)
    assert jf.lower(3, ShapeDtypeStruct((), "float64")).compile()(2.0) == 6.0


def test_calling_with_an_abstract_argument_says_where_it_belongs():
    with pytest.raises(
        TypeError, match="has no values to compute with. Pass it to the jitted function's trace"
    ):
        fad.jit(f)(1.0, ShapeDtypeStruct((3,), "float64"))


def test_abstract_argument_of_a_non_numeric_dtype():
    with pytest.raises(TypeError, match="dtype <U3"):
        fad.jit(lambda s: s).trace(ShapeDtypeStruct((2,), "U3"))


# ---------------------------------------------------------------------- lower


def test_as_text_is_the_generated_code():
    lowered = fad.jit(f).lower(3.0, X)
    text = lowered.as_text()
    assert text.startswith("def _compiled(x1, x2):")
    assert "return [" in text
    assert lowered.compile().as_text() == text
    assert lowered.as_text(dialect="python") == text
    with pytest.raises(ValueError, match="Python source"):
        lowered.as_text(dialect="stablehlo")


def test_lowered_keeps_the_stage_information():
    lowered = fad.jit(loss).lower(P, XS)
    assert lowered.out_info == ShapeDtypeStruct((), onp.float64)
    assert lowered.in_tree == fad.tree_util.tree_structure(((P, XS), {}))
    assert lowered.args_info[0][0]["w"] == ShapeDtypeStruct((4, 2), onp.float64)


def test_cost_analysis_counts_the_program():
    lowered = fad.jit(lambda x: np.sum(np.sin(x) * x)).lower(X)
    cost = lowered.cost_analysis()
    eqns = fad.jit(lambda x: np.sum(np.sin(x) * x)).trace(X).jaxpr.eqns
    assert cost["equations"] == len(eqns) == 3
    assert cost["primitives"] == {"sin": 1, "mul": 1, "reduce_sum": 1}
    assert cost["elementwise ops"] == 8  # sin and mul on 4 elements
    assert cost["bytes in"] == 32 and cost["bytes out"] == 8
    assert cost["bytes of results"] == 2 * 32 + 8
    assert lowered.compile().cost_analysis() == cost
    assert "flops" not in cost  # (not estimated: see the docstring)


def test_a_long_program_is_compiled_ahead_of_time(monkeypatch):
    monkeypatch.setattr(jit_module, "_LONG", 0)
    monkeypatch.setattr(jit_module, "_CHUNK", 2)
    jf = fad.jit(lambda x: np.cos(np.sin(x) * 2.0 + x) - x)
    expected = fad.jit(lambda x: np.cos(np.sin(x) * 2.0 + x) - x)(X)
    lowered = jf.lower(X)
    runner = jf.trace(X)._entry.compiled
    assert type(runner) is jit_module._Runner and runner.compiled is None
    text = lowered.as_text()
    assert "def _chunk0(R):" in text and "def _chunk1(R):" in text
    compiled = lowered.compile()
    assert runner.compiled is not None  # (compiled now, not after _TIER_CALLS calls)
    assert_tree_close(compiled(X), expected)
    assert lowered.cost_analysis()["equations"] == 5
    assert lowered.out_info == ShapeDtypeStruct((4,), onp.float64)
    assert lowered.args_info == ((ShapeDtypeStruct((4,), onp.float64),), {})


# -------------------------------------------------------------------- compile


@pytest.mark.parametrize(
    "fun, args, kwargs",
    [
        (f, (3.0, X), {}),
        (loss, (P, XS), {}),
        (lambda x, *, scale: {"y": x * scale, "n": [x.sum()]}, (X,), {"scale": 2.0}),
        (lambda x: (x, x.T, x[1:]), (A,), {}),  # outputs sharing memory with the input
        (lambda n: np.arange(3) * n, (np.int64(2),), {}),
    ],
)
def test_compiled_gives_what_the_jitted_function_gives(fun, args, kwargs):
    jf = fad.jit(fun)
    compiled = jf.lower(*args, **kwargs).compile()
    assert_tree_close(compiled(*args, **kwargs), jf(*args, **kwargs))
    assert_tree_close(compiled(*args, **kwargs), fun(*args, **kwargs))


def test_compiled_refuses_other_shapes_and_dtypes():
    compiled = fad.jit(f).lower(3.0, X).compile()
    with pytest.raises(
        TypeError,
        match=r"(?s)other argument types:\n  y: compiled for float64\[4\], called with float64\[5\]",
    ):
        compiled(3.0, onp.ones(5))
    with pytest.raises(TypeError) as e:
        compiled(3, X.astype(onp.float32))
    assert "x: compiled for a Python float, called with a Python int" in str(e.value)
    assert "y: compiled for float64[4], called with float32[4]" in str(e.value)
    assert "call the jitted function" in str(e.value)


def test_compiled_refuses_another_structure():
    compiled = fad.jit(f).lower(3.0, X).compile()
    with pytest.raises(
        TypeError, match=r"another structure: the positional arguments: called with \(\*, \*, \*\)"
    ):
        compiled(3.0, X, X)
    with pytest.raises(TypeError, match="another structure"):
        compiled(x=3.0, y=X)
    pc = fad.jit(loss).lower(P, XS).compile()
    with pytest.raises(TypeError, match=r"p: called with \{'b': \*\}, compiled for \{'b': \*, 'w': \*\}"):
        pc({"b": P["b"]}, XS)


def test_python_scalars_and_0d_arrays_stand_for_each_other():
    # as in JAX, the compiled types rule: a weak (Python) float stays weak, so float32 stays
    jf = fad.jit(lambda x, s: x * s)
    x32 = onp.ones(3, onp.float32)
    weak = jf.lower(x32, 2.0).compile()
    assert weak(x32, onp.float64(2.0)).dtype == onp.float32 == jf(x32, 2.0).dtype
    assert weak(x32, onp.array(2.0)).dtype == onp.float32
    strong = jf.lower(x32, onp.float64(2.0)).compile()
    assert strong(x32, 2.0).dtype == onp.float64 == jf(x32, onp.float64(2.0)).dtype
    with pytest.raises(TypeError, match="compiled for float64\\[\\], called with float32\\[\\]"):
        strong(x32, onp.float32(2.0))


def test_static_arguments_are_fixed_when_lowered():
    # JAX's aot.md example: the static value is built into the code; the compiled function
    # takes the remaining arguments only
    jf = fad.jit(f, static_argnums=0)
    compiled = jf.trace(7, 8.0).lower().compile()
    assert compiled(5.0) == 14 + onp.sin(5.0)
    with pytest.raises(TypeError, match="static ones left out"):
        compiled(7, 5.0)
    named = fad.jit(lambda x, n: x**n, static_argnames="n")
    assert named.lower(X, n=3).compile()(X) == pytest.approx(X**3)
    assert named.lower(X, 3).compile()(X) == pytest.approx(X**3)  # (a static name passed by position)
    assert named.lower(X, n=2).in_tree == fad.tree_util.tree_structure(((X,), {}))


def test_compiled_under_transforms_runs_its_program():
    # JAX refuses transforms of a compiled function; fad's runs the program under them
    compiled = fad.jit(f).lower(3.0, X).compile()
    g = fad.grad(lambda y: np.sum(compiled(1.0, y)))(X)
    onp.testing.assert_allclose(g, onp.cos(X), rtol=1e-14)
    _, t = fad.jvp(lambda y: compiled(1.0, y), (X,), (onp.ones(4),))
    onp.testing.assert_allclose(t, onp.cos(X), rtol=1e-14)
    batched = fad.vmap(lambda y: compiled(1.0, y))(onp.stack([X, 2 * X]))
    onp.testing.assert_allclose(batched, onp.stack([2 + onp.sin(X), 2 + onp.sin(2 * X)]), rtol=1e-14)
    onp.testing.assert_allclose(fad.grad(lambda s: np.sum(compiled(s, X)))(1.0), 8.0)
    with pytest.raises(TypeError, match=r"y: compiled for float64\[4\], called with float64\[3\] traced"):
        fad.grad(lambda y: np.sum(compiled(1.0, y)))(onp.ones(3))


def test_compiled_under_nested_transforms():
    compiled = fad.jit(f).lower(1.0, X).compile()
    check_grads(lambda y: compiled(1.0, y), (X,), order=2)
    H = fad.hessian(lambda y: np.sum(compiled(1.0, y)))(X)
    onp.testing.assert_allclose(H, onp.diag(-onp.sin(X)), atol=1e-15)
    onp.testing.assert_allclose(fad.jacfwd(fad.jacrev(lambda y: np.sum(compiled(1.0, y))))(X), H, atol=1e-15)


def test_stages_inside_transforms():
    # tracing for a traced argument compiles for it (a tracer's signature), and runs under it
    jf = fad.jit(f)
    stacked = onp.stack([X, 2 * X])
    out = fad.vmap(lambda y: jf.trace(1.0, y).lower().compile()(1.0, y))(stacked)
    onp.testing.assert_allclose(out, 2 + onp.sin(stacked), rtol=1e-14)
    n = fad.vmap(lambda y: y * jf.eval_shape(1.0, y).shape[0])(stacked)
    onp.testing.assert_allclose(n, 4 * stacked)
    g = fad.grad(lambda y: np.sum(jf.lower(1.0, y).compile()(1.0, y)))(X)
    onp.testing.assert_allclose(g, onp.cos(X), rtol=1e-14)


@pytest.mark.parametrize(
    "transform, expected",
    [
        (fad.grad, lambda x: 2 * onp.tanh(x) * (1 - onp.tanh(x) ** 2)),
        (fad.jacfwd, lambda x: onp.diag(2 * onp.tanh(x) * (1 - onp.tanh(x) ** 2))),
        (fad.jacrev, lambda x: onp.diag(2 * onp.tanh(x) * (1 - onp.tanh(x) ** 2))),
        (
            fad.hessian,
            lambda x: onp.diag(
                2 * (1 - onp.tanh(x) ** 2) ** 2 - 4 * onp.tanh(x) ** 2 * (1 - onp.tanh(x) ** 2)
            ),
        ),
    ],
)
def test_lowered_derivatives(transform, expected):
    def g(x):
        return np.sum(np.tanh(x) ** 2)

    fun = transform(g) if transform in (fad.grad, fad.hessian) else transform(lambda x: np.tanh(x) ** 2)
    compiled = fad.jit(fun).lower(X).compile()
    onp.testing.assert_allclose(compiled(X), expected(X), rtol=1e-12, atol=1e-14)


def test_lowered_vmap_of_grad_and_grad_of_loss():
    per_example = fad.jit(fad.vmap(fad.grad(loss), in_axes=(None, 0)))
    compiled = per_example.lower(P, XS[:, None, :]).compile()
    assert_tree_close(compiled(P, XS[:, None, :]), per_example(P, XS[:, None, :]))
    loop = [fad.grad(loss)(P, XS[i : i + 1]) for i in range(5)]
    onp.testing.assert_allclose(
        compiled(P, XS[:, None, :])["w"], onp.stack([g["w"] for g in loop]), rtol=1e-12
    )


SHAPES = st.lists(st.integers(0, 3), max_size=3).map(tuple)
DTYPES = st.sampled_from([onp.float64, onp.float32, onp.int64, onp.complex128])


@settings(max_examples=40, deadline=None)
@given(SHAPES, DTYPES, SHAPES, DTYPES)
def test_compiled_accepts_exactly_its_signature(shape, dtype, other_shape, other_dtype):
    compiled = fad.jit(lambda x: x * 2).lower(ShapeDtypeStruct(shape, dtype)).compile()
    arg = onp.ones(other_shape, other_dtype)
    if (shape, onp.dtype(dtype)) == (other_shape, onp.dtype(other_dtype)):
        onp.testing.assert_array_equal(compiled(arg), arg * 2)
    else:
        with pytest.raises(TypeError, match="x: compiled for"):
            compiled(arg)


# ---------------------------------------------------------------- eval_shape


def test_eval_shape():
    jf = fad.jit(loss)
    assert jf.eval_shape(P, XS) == ShapeDtypeStruct((), onp.float64)
    out = fad.eval_shape(
        lambda p, x: {"h": x @ p["w"], "n": np.sum(x, axis=1).astype(np.float32)},
        P,
        ShapeDtypeStruct((7, 4), "float64"),
    )
    assert out == {"h": ShapeDtypeStruct((7, 2), onp.float64), "n": ShapeDtypeStruct((7,), onp.float32)}
    assert fad.eval_shape(lambda x: (x, x * 2), 1.0) == (
        ShapeDtypeStruct((), onp.float64, weak_type=True),  # (a Python float, as it came)
        ShapeDtypeStruct((), onp.float64),  # (computed: a float64, as jit returns it)
    )
    assert fad.eval_shape(lambda x: (x, 3), ShapeDtypeStruct((2,), "int32"))[1] == ShapeDtypeStruct(
        (), onp.int64, weak_type=True
    )
    grad_shape = fad.jit(fad.grad(loss)).eval_shape(P, ShapeDtypeStruct((9, 4), "float64"))
    assert grad_shape == {k: ShapeDtypeStruct(v.shape, v.dtype) for k, v in P.items()}


def test_eval_shape_of_a_closure_over_an_outer_tracer():
    def outer(x):
        shapes = fad.eval_shape(lambda y: y * x, onp.ones(3))
        jshapes = fad.jit(lambda y: y[:2] * x).eval_shape(onp.ones(3))
        assert shapes == ShapeDtypeStruct((3,), onp.float64)
        assert jshapes == ShapeDtypeStruct((2,), onp.float64)
        return x * 2

    assert fad.grad(outer)(1.0) == 2.0


# ------------------------------------------------------- explain_cache_misses


@pytest.fixture
def explain(caplog):
    fad.clear_caches()  # (compiled code is kept per function: other tests' calls of f hit)
    fad.config.update("jax_explain_cache_misses", True)
    caplog.set_level(logging.WARNING, logger="fad.jit")
    try:
        yield caplog
    finally:
        fad.config.update("jax_explain_cache_misses", False)


def messages(caplog):
    out = [r.getMessage() for r in caplog.records if r.name == "fad.jit"]
    caplog.clear()
    return out


def test_explain_is_off_by_default(caplog):
    assert fad.config.explain_cache_misses is False
    caplog.set_level(logging.DEBUG, logger="fad.jit")
    jf = fad.jit(f)
    jf(1.0, X)
    jf(1.0, onp.ones(2))
    assert messages(caplog) == []


def test_explain_the_tutorials_example(explain):
    assert fad.config.explain_cache_misses is True

    @fad.jit
    def double(x):
        return 2 * x

    double(np.arange(3))
    (first,) = messages(explain)
    assert "compiling double" in first and "for the first time" in first and "test_jit_aot.py" in first
    double(np.arange(3))  # a hit: silent
    assert messages(explain) == []
    double(np.arange(3.0))
    (miss,) = messages(explain)
    assert "for a new signature" in miss
    assert "* x: now float64[3], before int64[3]" in miss
    assert explain.records == [] or all(r.levelno == logging.WARNING for r in explain.records)


def test_explain_names_the_argument_that_changed(explain):
    jf = fad.jit(loss)
    jf(P, XS)
    messages(explain)
    jf(P, XS[:2])
    assert messages(explain)[0].splitlines()[1:] == ["  * x: now float64[2,4], before float64[5,4]"]
    jf({"w": P["w"].astype(onp.float32), "b": P["b"]}, XS)
    lines = messages(explain)[0].splitlines()[1:]
    assert lines == ["  * p['w']: now float32[4,2], before float64[4,2]"]  # (the closest of the two)
    jf = fad.jit(lambda p, x: sum(np.sum(v) for v in fad.tree_util.tree_leaves(p)) + np.sum(x))
    jf(P, XS)
    messages(explain)
    jf({"w": P["w"]}, XS)
    assert "structure of p: now {'w': *}, before {'b': *, 'w': *}" in messages(explain)[0]
    jf(P, 1.0)
    assert "x: now a Python float, before float64[" in messages(explain)[0]


def test_explain_static_values_and_transforms(explain):
    jf = fad.jit(lambda x, n: x**n, static_argnums=1)
    jf(2.0, 2)
    jf(2.0, 3)
    assert "* static argument n: now 3, before 2" in messages(explain)[1]
    kw = fad.jit(lambda x, *, mode: x, static_argnames="mode")
    kw(1.0, mode="a")
    kw(1.0, mode="b")
    assert "* static argument mode: now 'b', before 'a'" in messages(explain)[1]
    jg = fad.jit(lambda x: x * 2)
    jg(X)
    fad.grad(lambda x: np.sum(jg(x)))(X)  # under grad the argument is a tracer: a new signature
    assert "x: now float64[4] traced by an outer transform, before float64[4]" in messages(explain)[1]


def test_explain_re_created_functions_and_dropped_signatures(explain):
    for _ in range(2):
        fad.jit(lambda x: x + 1)(1.0)
    first, second = messages(explain)
    assert "Another jitted function compiled its first signature at this call" not in first
    assert "Create it once and reuse it" in second
    jf = fad.jit(lambda x: x + 1, cache_size=1)
    jf(X)
    jf(A)
    jf(X)
    assert "1 older signature was dropped: the cache keeps cache_size=1" in messages(explain)[-1]
    jf.clear_cache()
    jf(X)
    assert "its cache was emptied" in messages(explain)[0]


def test_explain_trace_and_lower_misses_too(explain):
    jf = fad.jit(f)
    jf.trace(1.0, X)
    jf.lower(1.0, onp.ones(2))
    assert "y: now float64[2], before float64[4]" in messages(explain)[1]


def test_config_option_name_errors_list_it():
    with pytest.raises(KeyError, match="'explain_cache_misses'"):
        fad.config.update("jax_explain_cache_misse", True)
