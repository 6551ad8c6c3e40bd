"""Checkpoint policies (fad.checkpoint_policies), checkpoint_name and print_saved_residuals
(fad.ad_checkpoint): derivatives equal to those without checkpointing under every policy and
every transform, the saved set what the policy says, and clear errors for bad policies."""

from __future__ import annotations

import math

import numpy as onp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import fad
import fad.numpy as fnp
from fad._remat import saved_residuals
from fad.ad_checkpoint import checkpoint_name, print_saved_residuals
from fad.checkpoint_policies import (
    checkpoint_dots,
    checkpoint_dots_with_no_batch_dims,
    dots_saveable,
    dots_with_no_batch_dims_saveable,
    everything_saveable,
    nothing_saveable,
    offload_dot_with_no_batch_dims,
    save_and_offload_only_these_names,
    save_any_names_but_these,
    save_anything_except_these_names,
    save_from_both_policies,
    save_only_these_names,
)
from fad.test_util import check_grads

rng = onp.random.default_rng(0)
W1, W2, X = rng.normal(size=(3, 4)), rng.normal(size=(2, 3)), rng.normal(size=4)


def net(w1, w2, x):
    """Two layers, each value named: a product, a gelu-like nonlinearity, a sum of squares."""
    h = checkpoint_name(w1 @ x, "pre1")
    h = checkpoint_name(0.5 * h * (1 + fnp.tanh(0.8 * (h + 0.04 * h**3))), "act1")
    z = checkpoint_name(w2 @ h, "pre2")
    return (fnp.sin(z) * z).sum()


POLICIES = {
    "everything": everything_saveable,
    "nothing": nothing_saveable,
    "dots": dots_saveable,
    "dots_no_batch": dots_with_no_batch_dims_saveable,
    "only_act1": save_only_these_names("act1"),
    "names_but_pre1": save_any_names_but_these("pre1"),
    "except_act1": save_anything_except_these_names("act1"),
    "both": save_from_both_policies(dots_saveable, save_only_these_names("act1")),
    "offload_dots": offload_dot_with_no_batch_dims("device", "pinned_host"),
    "offload_names": save_and_offload_only_these_names(
        names_which_can_be_saved=["pre1"],
        names_which_can_be_offloaded=["act1"],
        offload_src="device",
        offload_dst="pinned_host",
    ),
    "custom": lambda prim, *avals, **params: prim.name == "tanh",
}
ARGS = (W1, W2, X)


def _leaves(tree):
    return fad.tree_util.tree_leaves(tree)


def _same(a, b):
    la, lb = _leaves(a), _leaves(b)
    assert len(la) == len(lb)
    for u, v in zip(la, lb, strict=True):
        onp.testing.assert_allclose(onp.asarray(u), onp.asarray(v), rtol=1e-13, atol=1e-13)


# ------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("name", POLICIES)
def test_gradients_equal_those_without_checkpoint(name):
    f = fad.checkpoint(net, policy=POLICIES[name])
    want = fad.grad(net, argnums=(0, 1, 2))(*ARGS)
    got = fad.grad(f, argnums=(0, 1, 2))(*ARGS)
    for u, v in zip(got, want, strict=True):
        onp.testing.assert_array_equal(u, v)  # the same operations on the same values
    assert f(*ARGS) == net(*ARGS)


@pytest.mark.parametrize("name", ["dots", "only_act1", "everything", "custom"])
def test_check_grads_second_order(name):
    check_grads(fad.checkpoint(net, policy=POLICIES[name]), ARGS, order=2, modes=("fwd", "rev"))


def test_analytic_gradient_of_a_small_block():
    f = fad.checkpoint(lambda x: fnp.sin(fnp.sin(x)), policy=everything_saveable)
    x = 0.7
    assert math.isclose(fad.grad(f)(x), math.cos(math.sin(x)) * math.cos(x), rel_tol=1e-15)
    g = fad.checkpoint(lambda w, x: fnp.tanh(w @ x).sum(), policy=dots_saveable)
    w, v = onp.array([[0.1, 0.2], [0.3, -0.4]]), onp.array([1.0, 2.0])
    want = (1 - onp.tanh(w @ v) ** 2)[:, None] * v[None, :]
    onp.testing.assert_allclose(fad.grad(g)(w, v), want, rtol=1e-14)


TRANSFORMS = {
    "grad": lambda g: fad.grad(g, argnums=(0, 1, 2))(*ARGS),
    "value_and_grad": lambda g: fad.value_and_grad(g, argnums=2)(*ARGS),
    "vjp": lambda g: fad.vjp(g, *ARGS)[1](1.0),
    "jacrev": lambda g: fad.jacrev(g, argnums=(0, 2))(*ARGS),
    "jacfwd": lambda g: fad.jacfwd(g, argnums=2)(*ARGS),
    "hessian": lambda g: fad.hessian(g, argnums=2)(*ARGS),
    "jvp": lambda g: fad.jvp(g, ARGS, ARGS),
    "linearize": lambda g: fad.linearize(g, *ARGS)[1](*ARGS),
    "jet": lambda g: fad.jet(lambda x: g(W1, W2, x), (X,), ((X, 0 * X),)),
    "grad(grad)": lambda g: fad.grad(lambda x: (fad.grad(g, argnums=2)(W1, W2, x) ** 2).sum())(X),
    "jacfwd(jacrev)": lambda g: fad.jacfwd(fad.jacrev(g, argnums=2), argnums=2)(*ARGS),
    "vmap(grad)": lambda g: fad.vmap(fad.grad(g, argnums=2), in_axes=(None, None, 0))(
        W1, W2, onp.stack([X, -X, 2 * X])
    ),
    "grad(vmap)": lambda g: fad.grad(
        lambda w: fad.vmap(g, in_axes=(None, None, 0))(w, W2, onp.stack([X, -X])).sum()
    )(W1),
    "vmap(grad) batched weights": lambda g: fad.vmap(fad.grad(g), in_axes=(0, None, None))(
        onp.stack([W1, -W1]), W2, X
    ),
    "jit(grad)": lambda g: fad.jit(fad.grad(g, argnums=(0, 2)))(*ARGS),
    "grad(jit)": lambda g: fad.grad(fad.jit(g), argnums=(0, 2))(*ARGS),
    "jit(vmap(grad))": lambda g: fad.jit(fad.vmap(fad.grad(g, argnums=2), in_axes=(None, None, 0)))(
        W1, W2, onp.stack([X, -X])
    ),
}


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("name", ["dots", "only_act1", "everything", "custom"])
def test_every_transform_composes(transform, name):
    run = TRANSFORMS[transform]
    _same(run(fad.checkpoint(net, policy=POLICIES[name])), run(net))


def test_jit_of_a_policy_checkpoint_runs_again_on_new_values():
    g = fad.jit(fad.grad(fad.checkpoint(net, policy=dots_saveable), argnums=2))
    for k in range(3):
        _same(g(W1, W2, X * (k + 1)), fad.grad(net, argnums=2)(W1, W2, X * (k + 1)))


def test_nested_checkpoints_custom_vjp_scan_and_closures():
    @fad.custom_vjp
    def s(x):
        return fnp.sin(x)

    s.defvjp(lambda x: (fnp.sin(x), fnp.cos(x)), lambda c, g: (c * g,))

    def outer(w, x):
        h = fad.checkpoint(lambda w, x: fnp.tanh(w @ s(x)), policy=dots_saveable)(w, x)
        h = fad.checkpoint(lambda h: fnp.exp(w[:, :3] @ h), policy=everything_saveable)(h)  # closes over w
        c, _ = fad.lax.scan(lambda c, a: (fnp.sin(c * a), c), h, fnp.arange(3.0))
        return (c**2).sum()

    ref = fad.grad(outer, argnums=(0, 1))(W1, X)
    for p in POLICIES.values():
        _same(fad.grad(fad.checkpoint(outer, policy=p), argnums=(0, 1))(W1, X), ref)
    check_grads(fad.checkpoint(outer, policy=dots_saveable), (W1, X), order=2)


def test_static_argnums_with_a_policy():
    def f(x, n):
        for _ in range(n):
            x = fnp.sin(checkpoint_name(x, "x"))
        return x.sum()

    g = fad.checkpoint(f, policy=save_only_these_names("x"), static_argnums=(1,))
    _same(fad.grad(g)(X, 3), fad.grad(f)(X, 3))


def test_a_function_that_runs_other_operations_when_recomputed_still_gets_its_gradient():
    calls = []

    def f(x):  # the same values, by other operations on the second call
        calls.append(1)
        y = fnp.sin(x) if len(calls) == 1 else fnp.cos(x - math.pi / 2)
        return (fnp.exp(y) * y).sum()

    got = fad.grad(fad.checkpoint(f, policy=everything_saveable))(X)
    calls.clear()
    _same(got, fad.grad(f)(X))


# ------------------------------------------------------------------- what is saved


def _sources(f, *args):
    return [src.split(" from ")[0] for _, src in saved_residuals(f, *args)]


def test_the_saved_set_is_what_the_policy_allows_and_the_backward_pass_needs():
    def f(w, x):
        h = checkpoint_name(w @ x, "pre")
        return fnp.sin(fnp.sin(checkpoint_name(fnp.tanh(h), "act")))

    w, x = onp.ones((3, 2)), onp.ones(2)
    args = ["from the argument w", "from the argument x"]
    everything = _sources(f, w, x)
    assert _sources(fad.checkpoint(f), w, x) == args
    assert _sources(fad.checkpoint(f, policy=nothing_saveable), w, x) == args
    # (the product's output is the value named 'pre': it is shown by its name)
    assert _sources(fad.checkpoint(f, policy=dots_saveable), w, x) == args + ["named 'pre'"]
    assert _sources(fad.checkpoint(lambda w, x: f(w, x) * (w @ x), policy=checkpoint_dots), w, x) == args + [
        "named 'pre'",
        "output of matmul",
    ]
    assert _sources(fad.checkpoint(f, policy=save_only_these_names("act")), w, x) == args + ["named 'act'"]
    # pre is needed only to recompute act, which is saved: it is not kept
    assert _sources(fad.checkpoint(f, policy=save_any_names_but_these()), w, x) == args + ["named 'act'"]
    assert _sources(fad.checkpoint(f, policy=save_any_names_but_these("act")), w, x) == args + ["named 'pre'"]
    both = save_from_both_policies(dots_saveable, save_only_these_names("act"))
    assert _sources(fad.checkpoint(f, policy=both), w, x) == args + ["named 'act'"]  # pre: not needed
    # everything_saveable keeps what reverse mode keeps without checkpoint
    assert _sources(fad.checkpoint(f, policy=everything_saveable), w, x) == everything
    assert everything == args + ["named 'act'", "output of sin"]  # tanh reads its output, not its input


def test_dots_with_no_batch_dims_recomputes_stacked_products():
    def f(a, b):
        return fnp.sin(a @ b).sum()

    a, b = onp.ones((2, 3, 4)), onp.ones((2, 4, 5))
    assert "output of matmul" not in _sources(
        fad.checkpoint(f, policy=dots_with_no_batch_dims_saveable), a, b
    )
    assert "output of matmul" not in _sources(
        fad.checkpoint(f, policy=checkpoint_dots_with_no_batch_dims), a, b
    )
    assert "output of matmul" in _sources(fad.checkpoint(f, policy=dots_saveable), a, b)
    m = onp.ones((4, 5))
    assert "output of matmul" in _sources(fad.checkpoint(f, policy=dots_with_no_batch_dims_saveable), a, m)


def test_a_policy_is_asked_with_the_primitive_avals_and_params():
    seen = []

    def policy(prim, *avals, **params):
        seen.append((prim.name, [(a.shape, a.dtype) for a in avals], params))
        return False

    fad.grad(fad.checkpoint(lambda x: fnp.sin(checkpoint_name(x * 2.0, "twice")).sum(), policy=policy))(X)
    names = {s[0] for s in seen}
    assert "checkpoint_name" in names
    entry = next(s for s in seen if s[0] == "checkpoint_name")
    assert entry[1] == [((4,), onp.dtype("float64"))] and entry[2] == {"name": "twice"}


def test_a_policy_lowers_the_memory_reverse_mode_keeps():
    def nbytes(f):
        return sum(math.prod(a.shape) * a.dtype.itemsize for a, _ in saved_residuals(f, *ARGS))

    plain, dots = nbytes(net), nbytes(fad.checkpoint(net, policy=dots_saveable))
    assert nbytes(fad.checkpoint(net)) < dots < plain
    assert nbytes(fad.checkpoint(net, policy=everything_saveable)) == plain


def test_print_saved_residuals_lines():
    def layer(w, x):
        return fnp.sin(checkpoint_name(w @ x, "h"))

    def f(params, x):
        for w in params:
            x = layer(w, x)
        return x

    w = onp.ones((3, 3))
    params = [w, w]  # one array passed twice: two arguments
    lines = [f"{a.shape} {src}" for a, src in saved_residuals(f, params, onp.ones(3))]
    assert lines[0] == "(3, 3) from the argument params[0]"
    assert lines[1] == "(3, 3) from the argument params[1]"
    assert lines[2] == "(3,) from the argument x"
    assert any(
        "named 'h' from" in line and "test_remat_policies.py:" in line and ".layer)" in line for line in lines
    )


def test_print_saved_residuals_prints_shape_dtype_and_source(capsys):
    print_saved_residuals(
        lambda x, y: fnp.sin(x) * y.astype(fnp.float32), onp.ones(2), onp.ones(3, onp.float32)[:1]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "f64[2] from the argument x"
    assert lines[1].startswith("f32[1] ")
    assert any(line.startswith("f64[2] output of sin from ") and "<lambda>" in line for line in lines)


def test_checkpoint_policies_and_ad_checkpoint_are_reachable_as_in_jax():
    assert fad.checkpoint_policies is fad.ad_checkpoint.checkpoint_policies
    assert fad.ad_checkpoint.checkpoint is fad.checkpoint is fad.remat
    assert checkpoint_dots is dots_saveable
    assert save_only_these_names("a") == save_only_these_names("a")


# ------------------------------------------------------------------- checkpoint_name


def test_checkpoint_name_is_transparent_to_every_transform():
    def f(x):
        return fnp.sin(checkpoint_name(x * x, "sq")).sum()

    def g(x):
        return fnp.sin(x * x).sum()

    xs = onp.stack([X, -X])
    for run, arg in [
        (fad.grad, X),
        (fad.jacfwd, X),
        (fad.hessian, X),
        (lambda h: fad.vmap(fad.grad(h)), xs),
        (lambda h: fad.jit(fad.grad(h)), X),
        (lambda h: fad.grad(fad.jit(h)), X),
        (lambda h: lambda x: fad.jvp(h, (x,), (x,)), X),
        (lambda h: lambda x: fad.linearize(h, x)[1](x), X),
        (lambda h: lambda x: fad.jet(h, (x,), ((x, x),)), X),
    ]:
        _same(run(f)(arg), run(g)(arg))
    sp = fad.jacobian_sparsity(lambda x: checkpoint_name(x[::-1] * 2, "a"), X)
    onp.testing.assert_array_equal(sp.toarray(), onp.eye(4, dtype=bool)[::-1])
    assert "checkpoint_name" not in str(
        fad.make_program(fad.jit(fad.grad(f)))(X)
    )  # dropped by the simplifier
    tree = checkpoint_name({"a": X, "b": (X, 2.0)}, "tree")
    assert set(tree) == {"a", "b"} and tree["b"][1] == 2.0


# ------------------------------------------------------------------- bad input


def test_bad_policies_are_refused_with_the_fix():
    with pytest.raises(TypeError, match="policy must be None or a function"):
        fad.checkpoint(net, policy="dots_saveable")
    with pytest.raises(TypeError, match="must return True .* or False"):
        fad.grad(fad.checkpoint(net, policy=lambda *a, **k: "yes"), argnums=2)(*ARGS)
    with pytest.raises(TypeError, match="names are strings"):
        save_only_these_names(3)
    with pytest.raises(TypeError, match="not a policy"):
        save_from_both_policies(dots_saveable, "names")
    with pytest.raises(TypeError, match="must return True or False"):
        fad.grad(
            fad.checkpoint(net, policy=save_from_both_policies(dots_saveable, lambda *a, **k: None)),
            argnums=2,
        )(*ARGS)
    with pytest.raises(ValueError, match="not a memory kind"):
        offload_dot_with_no_batch_dims("device", "gpu")
    with pytest.raises(ValueError, match="both saved and offloaded"):
        save_and_offload_only_these_names(
            names_which_can_be_saved=["a"],
            names_which_can_be_offloaded=["a"],
            offload_src="device",
            offload_dst="pinned_host",
        )
    with pytest.raises(TypeError, match="name must be a string"):
        checkpoint_name(X, 3)


# ------------------------------------------------------------------- properties


@settings(max_examples=25, deadline=None)
@given(
    hs.integers(0, 10**6),
    hs.lists(hs.integers(1, 4), min_size=1, max_size=4),
    hs.sampled_from(sorted(POLICIES)),
    hs.booleans(),
)
def test_any_stack_under_any_policy_has_the_gradient_and_adjoint_of_no_checkpoint(
    seed, widths, name, per_layer
):
    """Random dense stacks (a product, a nonlinearity, a name per layer), checkpointed as a whole
    or layer by layer: the gradient is exactly that without checkpoint, and <ct, J t> ==
    <J^T ct, t> through the checkpointed function."""
    r = onp.random.default_rng(seed)
    dims = [3, *widths]
    ws = [r.normal(size=(b, a)) for a, b in zip(dims[:-1], dims[1:], strict=True)]
    x = r.normal(size=3)
    policy = POLICIES[name]

    def layer(w, h, i):
        return fnp.tanh(checkpoint_name(w @ h, f"z{i}")) * fnp.sin(h.sum())

    def plain(ws, x):
        for i, w in enumerate(ws):
            x = layer(w, x, i)
        return x

    def remat(ws, x):
        for i, w in enumerate(ws):
            x = (
                fad.checkpoint(layer, policy=policy, static_argnums=(2,))(w, x, i)
                if per_layer
                else layer(w, x, i)
            )
        return x

    f = remat if per_layer else fad.checkpoint(plain, policy=policy)
    ct = r.normal(size=dims[-1])
    want = fad.vjp(plain, ws, x)[1](ct)
    got = fad.vjp(f, ws, x)[1](ct)
    for u, v in zip(_leaves(got), _leaves(want), strict=True):
        onp.testing.assert_array_equal(u, v)
    t = ([r.normal(size=w.shape) for w in ws], r.normal(size=3))
    jt = fad.jvp(f, (ws, x), t)[1]
    lhs = float(ct @ jt)
    rhs = sum(float((a * b).sum()) for a, b in zip(_leaves(got), _leaves(t), strict=True))
    assert math.isclose(lhs, rhs, rel_tol=1e-10, abs_tol=1e-10)
