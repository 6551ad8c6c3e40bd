"""chunk_size= on jacfwd, jacrev, hessian, jacobian and vmap: the chunked result equals the
unchunked one (pytrees, argnums tuples, has_aux, nesting, in_axes/out_axes != 0, chunk sizes
that do not divide the batch)."""

import numpy as np
import pytest

import fad
import fad.numpy as fnp
from tests._helpers import assert_trees_close

RNG = np.random.default_rng(0)
X = RNG.uniform(-1, 1, 5)
A = RNG.uniform(-1, 1, (3, 5))


def close(a, b):
    assert_trees_close(a, b, 1e-13, 1e-13, check_dtype=True)


def f_vec(x):
    return fnp.tanh(A @ x) * fnp.sum(x**2)


def f_tree(p, q):
    return {"u": fnp.sin(p["a"]) * q, "v": (p["b"] ** 2).sum() * q[:2]}


P = {"a": RNG.uniform(-1, 1, 4), "b": RNG.uniform(-1, 1, (2, 3))}
Q = RNG.uniform(-1, 1, 4)

CHUNKS = [1, 2, 3, 4, 7, 100]


@pytest.mark.parametrize("jac", [fad.jacfwd, fad.jacrev])
@pytest.mark.parametrize("k", CHUNKS)
def test_vector_function(jac, k):
    close(jac(f_vec, chunk_size=k)(X), jac(f_vec)(X))


@pytest.mark.parametrize("jac", [fad.jacfwd, fad.jacrev])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_pytrees_and_argnums_tuple(jac, k):
    close(jac(f_tree, argnums=(0, 1), chunk_size=k)(P, Q), jac(f_tree, argnums=(0, 1))(P, Q))
    close(jac(f_tree, argnums=1, chunk_size=k)(P, Q), jac(f_tree, argnums=1)(P, Q))


@pytest.mark.parametrize("jac", [fad.jacfwd, fad.jacrev])
def test_has_aux(jac):
    def f(x):
        return fnp.sin(x) * x[0], {"n": fnp.sum(x)}

    j1, aux1 = jac(f, has_aux=True, chunk_size=2)(X)
    j0, aux0 = jac(f, has_aux=True)(X)
    close(j1, j0)
    close(aux1, aux0)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_hessian(k):
    f = lambda x: fnp.sum(fnp.sin(x) * fnp.roll(x, 1)) * fnp.sum(x**3)
    close(fad.hessian(f, chunk_size=k)(X), fad.hessian(f)(X))
    g = lambda p: fnp.sum(p["a"] ** 3) * fnp.sum(fnp.cos(p["b"]))
    close(fad.hessian(g, chunk_size=k)(P), fad.hessian(g)(P))


def test_nested_jacfwd_of_chunked_jacrev():
    f = lambda x: fnp.exp(A @ x)
    close(fad.jacfwd(fad.jacrev(f, chunk_size=2), chunk_size=3)(X), fad.jacfwd(fad.jacrev(f))(X))
    close(fad.jacrev(fad.jacfwd(f, chunk_size=4))(X), fad.jacrev(fad.jacfwd(f))(X))


def test_chunked_jacobian_under_grad_and_vmap():
    f = lambda x: fnp.sum(fad.jacrev(lambda y: fnp.sin(y) * y.sum(), chunk_size=2)(x) ** 2)
    g = lambda x: fnp.sum(fad.jacrev(lambda y: fnp.sin(y) * y.sum())(x) ** 2)
    close(fad.grad(f)(X), fad.grad(g)(X))
    xs = RNG.uniform(-1, 1, (3, 5))
    close(fad.vmap(fad.jacfwd(f_vec, chunk_size=2))(xs), fad.vmap(fad.jacfwd(f_vec))(xs))


@pytest.mark.parametrize("mode", ["auto", "fwd", "rev"])
def test_jacobian_chunked(mode):
    close(fad.jacobian(f_vec, mode=mode, chunk_size=2)(X), fad.jacrev(f_vec)(X))


@pytest.mark.parametrize("k", [1, 2, 3, 7, 8])
def test_vmap_in_out_axes(k):
    xs = RNG.uniform(-1, 1, (4, 7))
    ys = RNG.uniform(-1, 1, (7, 4))
    f = lambda x, y, c: (fnp.sin(x) * y + c, {"s": fnp.sum(x), "c": c})
    for in_axes, out_axes in [
        ((1, 0, None), 0),
        ((1, 0, None), (1, {"s": 0, "c": None})),
        ((-1, 0, None), -1),
    ]:
        if out_axes == -1:
            out_axes = (-1, {"s": -1, "c": None})
        v0 = fad.vmap(f, in_axes=in_axes, out_axes=out_axes)(xs, ys, 2.0)
        v1 = fad.vmap(f, in_axes=in_axes, out_axes=out_axes, chunk_size=k)(xs, ys, 2.0)
        close(v1, v0)


def test_vmap_kwargs_and_axis_size():
    xs = RNG.uniform(-1, 1, (7, 2))
    f = lambda x, *, w: x * w
    close(fad.vmap(f, chunk_size=3)(xs, w=xs), fad.vmap(f)(xs, w=xs))
    g = lambda: fnp.ones(2)
    close(fad.vmap(g, axis_size=5, chunk_size=2)(), fad.vmap(g, axis_size=5)())


def test_vmap_chunked_inside_grad():
    xs = RNG.uniform(-1, 1, (7, 3))
    f = lambda w, chunk: fnp.sum(fad.vmap(lambda x: fnp.tanh(x @ w), chunk_size=chunk)(xs) ** 2)
    close(fad.grad(f)(X[:3], 3), fad.grad(f)(X[:3], None))


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
@pytest.mark.parametrize("transform", [fad.jacfwd, fad.jacrev, fad.hessian, fad.vmap])
def test_bad_chunk_size(transform, bad):
    with pytest.raises(ValueError, match="chunk_size must be a positive int or None"):
        transform(fnp.sin, chunk_size=bad)


def test_chunk_size_is_keyword_only():
    with pytest.raises(TypeError):
        fad.jacfwd(fnp.sin, 0, False, False, 2)  # (fun, argnums, has_aux, holomorphic)
    with pytest.raises(TypeError):
        fad.vmap(fnp.sin, 0, 0, None, 2)


def test_chunking_bounds_the_basis():
    # a 2000-input function: with chunk_size=100 no basis array larger than 100 rows is made
    seen = []

    def f(x):
        seen.append(x.shape)
        return fnp.sum(fnp.sin(x))

    x = np.linspace(0, 1, 2000)
    j = fad.jacfwd(f, chunk_size=100)(x)
    np.testing.assert_allclose(j, np.cos(x))
    assert len(seen) == 20


# ------------------------------------------------------------------ jacobian(mode="auto")


@pytest.mark.parametrize(
    "n, m, expected",
    [(2, 5, "fwd"), (5, 2, "rev"), (3, 3, "rev"), (1, 1, "rev")],
)
def test_jacobian_auto_picks_by_size(monkeypatch, n, m, expected):
    import fad._jacobians as api

    calls = []
    real_fwd, real_rev = api._jacfwd_flat, api._jacrev_from_vjp
    monkeypatch.setattr(api, "_jacfwd_flat", lambda *a: calls.append("fwd") or real_fwd(*a))
    monkeypatch.setattr(api, "_jacrev_from_vjp", lambda *a: calls.append("rev") or real_rev(*a))
    W = RNG.uniform(-1, 1, (m, n))
    f = lambda x: fnp.sin(W @ x)
    x = RNG.uniform(-1, 1, n)
    ref = fad.jacfwd(f)(x)
    calls.clear()
    close(fad.jacobian(f)(x), ref)
    assert calls == [expected]


def test_jacobian_crossover_constant(monkeypatch):
    import fad._jacobians as api

    assert api.JACOBIAN_CROSSOVER == 1.0
    calls = []
    real_fwd = api._jacfwd_flat
    monkeypatch.setattr(api, "_jacfwd_flat", lambda *a: calls.append("fwd") or real_fwd(*a))
    monkeypatch.setattr(api, "JACOBIAN_CROSSOVER", 10.0)  # 5 inputs < 2 outputs * 10: fwd
    W = RNG.uniform(-1, 1, (2, 5))
    fad.jacobian(lambda x: W @ x)(X)
    assert calls == ["fwd"]


def test_jacobian_auto_pytrees_has_aux_argnums():
    def f(p, q):
        return f_tree(p, q), fnp.sum(q)

    j, aux = fad.jacobian(f, argnums=(0, 1), has_aux=True)(P, Q)
    close(j, fad.jacrev(f_tree, argnums=(0, 1))(P, Q))
    assert aux == np.sum(Q)


def test_jacobian_bad_mode():
    with pytest.raises(ValueError, match="'auto', 'fwd' or 'rev'"):
        fad.jacobian(fnp.sin, mode="forward")


@pytest.mark.parametrize("chunk", [None, 2])
@pytest.mark.parametrize("jac", [fad.jacfwd, fad.jacrev])
def test_jacobian_blocks_are_writable_arrays(jac, chunk):
    # one chunk skips the concatenation's copy, but a block that does not depend on the
    # rows (here d out / d y = 0) is a read-only broadcast and must still come back as a
    # NumPy array the user can write to, as with any NumPy result
    jx, jy = jac(lambda x, y: x * 2.0, argnums=(0, 1), chunk_size=chunk)(X, Q)
    for block in (jx, jy):
        assert type(block) is np.ndarray and block.flags.writeable
    assert jy.shape == (5, 4) and not jy.any()
    np.testing.assert_array_equal(jx, 2.0 * np.eye(5))


# --------------------------------------------------------------------- progress=True

PROGRESS_CASES = {
    "jacfwd": lambda: fad.jacfwd(f_vec, chunk_size=2, progress=True)(X),
    "jacrev": lambda: fad.jacrev(f_vec, chunk_size=1, progress=True)(X),
    "jacobian": lambda: fad.jacobian(f_vec, chunk_size=2, progress=True)(X),
    "hessian": lambda: fad.hessian(lambda x: fnp.sum(f_vec(x)), chunk_size=2, progress=True)(X),
    "vmap": lambda: fad.vmap(f_vec, chunk_size=2, progress=True)(np.ones((5, 5))),
}
PLAIN = {
    "jacfwd": lambda: fad.jacfwd(f_vec)(X),
    "jacrev": lambda: fad.jacrev(f_vec)(X),
    "jacobian": lambda: fad.jacobian(f_vec)(X),
    "hessian": lambda: fad.hessian(lambda x: fnp.sum(f_vec(x)))(X),
    "vmap": lambda: fad.vmap(f_vec)(np.ones((5, 5))),
}
CHUNKS = {"jacfwd": 3, "jacrev": 3, "jacobian": 2, "hessian": 3, "vmap": 3}  # jacobian: 3 rows by rev


@pytest.fixture
def without_tqdm(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("no tqdm")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)


@pytest.mark.parametrize("name", PROGRESS_CASES)
def test_progress_plain_bar_on_stderr(name, capsys, without_tqdm):
    """Without tqdm: a bar redrawn in place on standard error, one step per chunk, then a
    newline; the result is unchanged."""
    close(PROGRESS_CASES[name](), PLAIN[name]())
    err = capsys.readouterr().err
    n = CHUNKS[name]
    assert err.endswith("\n") and err.count("\r") == n, err
    assert f"fad.{name}: {n}/{n} chunks [" in err and "s left" in err


@pytest.mark.parametrize("name", PROGRESS_CASES)
def test_progress_uses_tqdm_when_installed(name, capsys):
    pytest.importorskip("tqdm")
    close(PROGRESS_CASES[name](), PLAIN[name]())
    err = capsys.readouterr().err
    assert f"fad.{name}: 100%" in err and f"{CHUNKS[name]}/{CHUNKS[name]}" in err, err


def test_progress_is_off_by_default_and_checked(capsys):
    fad.jacfwd(f_vec, chunk_size=2)(X)
    assert capsys.readouterr().err == ""
    with pytest.raises(TypeError, match="progress must be True or False"):
        fad.jacrev(f_vec, progress="yes")
