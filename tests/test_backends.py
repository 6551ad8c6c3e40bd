"""fad on other array libraries: Dask (threaded scheduler and a real LocalCluster),
array-api-strict and PyTorch CPU tensors through array-api-compat, CuPy when a GPU is
present. Each library is optional: its tests skip when it is not installed."""

from __future__ import annotations

import numpy as onp
import pytest

import fad
import fad.numpy as np
import fad.scipy.special
from fad import BackendError

RNG = onp.random.default_rng(0)
XN = RNG.normal(size=(40, 3))
YN = onp.sign(RNG.normal(size=40))
WN = RNG.normal(size=3)


def logistic(w, X, y):
    return np.sum(np.logaddexp(0.0, -y * (X @ w))) + 0.5 * np.sum(w**2)


def mlp(params, X, y):
    W1, b1, w2 = params
    h = np.tanh(X @ W1 + b1)
    return np.mean(np.logaddexp(0.0, -y * (h @ w2)))


MLP_PARAMS = (RNG.normal(size=(3, 4)), RNG.normal(size=4), RNG.normal(size=4))

# ------------------------------------------------------------------------------ Dask


@pytest.fixture
def da():
    dask = pytest.importorskip("dask")
    da = pytest.importorskip("dask.array")
    with dask.config.set(scheduler="threads"):
        yield da


class Computed(Exception):
    pass


def _refuse(*args, **kwargs):
    raise Computed("a Dask graph was computed")


@pytest.fixture
def lazy():
    """Inside: any compute of a Dask graph raises."""
    dask = pytest.importorskip("dask")
    return lambda: dask.config.set(scheduler=_refuse)


def _dask_data(da):
    return da.from_array(WN, chunks=3), da.from_array(XN, chunks=(10, 3)), da.from_array(YN, chunks=10)


def test_dask_grad_is_lazy_and_right(da, lazy):
    w, X, y = _dask_data(da)
    with lazy():
        g = fad.grad(logistic)(w, X, y)
        v, g2 = fad.value_and_grad(logistic, argnums=(0, 1))(w, X, y)
    assert isinstance(g, da.Array) and isinstance(v, da.Array) and isinstance(g2[1], da.Array)
    onp.testing.assert_allclose(g.compute(), fad.grad(logistic)(WN, XN, YN), rtol=1e-12)
    onp.testing.assert_allclose(g2[1].compute(), fad.grad(logistic, 1)(WN, XN, YN), rtol=1e-12)


def test_dask_mlp_pytree_and_numpy_parameters(da, lazy):
    _, X, y = _dask_data(da)
    with lazy():
        g = fad.grad(mlp)(MLP_PARAMS, X, y)  # NumPy parameters, Dask data: Dask gradients
    ref = fad.grad(mlp)(MLP_PARAMS, XN, YN)
    for a, b in zip(g, ref, strict=True):
        assert isinstance(a, da.Array)
        onp.testing.assert_allclose(a.compute(), b, rtol=1e-12)


def test_dask_transforms(da, lazy):
    x = da.from_array(onp.linspace(0.1, 0.9, 6).reshape(2, 3), chunks=(1, 3))
    xn = x.compute()
    f = lambda r: np.tanh(r) * np.sin(r)  # noqa: E731
    s = lambda r: (f(r) ** 2).sum()  # noqa: E731
    with lazy():
        cases = {
            "jvp": (fad.jvp(f, (x,), (x,))[1], fad.jvp(f, (xn,), (xn,))[1]),
            "vjp": (fad.vjp(f, x)[1](x)[0], fad.vjp(f, xn)[1](xn)[0]),
            "vmap(grad)": (fad.vmap(fad.grad(s))(x), fad.vmap(fad.grad(s))(xn)),
            "vmap chunked": (fad.vmap(fad.grad(s), chunk_size=1)(x), fad.vmap(fad.grad(s))(xn)),
            "jacfwd chunked": (fad.jacfwd(f, chunk_size=2)(x[0]), fad.jacfwd(f)(xn[0])),
            "jacrev chunked": (fad.jacrev(f, chunk_size=2)(x[0]), fad.jacrev(f)(xn[0])),
            "hessian": (fad.hessian(s)(x[0]), fad.hessian(s)(xn[0])),
            "grad(grad)": (fad.grad(fad.grad(lambda t: np.sin(t) * t))(x[0, 0]), None),
            "max, cumsum": (
                fad.grad(lambda r: (np.max(r, axis=1) + np.cumsum(r, axis=1)[:, -1]).sum())(x),
                None,
            ),
            "erf per block": (fad.grad(lambda r: fad.scipy.special.erf(r).sum())(x), None),
        }
    for name, (got, ref) in cases.items():
        assert isinstance(got, da.Array), name
        if ref is not None:
            onp.testing.assert_allclose(got.compute(), ref, rtol=1e-12, err_msg=name)
    onp.testing.assert_allclose(
        cases["erf per block"][0].compute(), fad.grad(lambda r: fad.scipy.special.erf(r).sum())(xn)
    )


def test_dask_errors(da):
    x = da.from_array(onp.linspace(0.1, 0.9, 6).reshape(2, 3), chunks=(1, 3))
    with pytest.raises(BackendError, match="fad.jit was called on a dask array"):
        fad.jit(lambda r: np.sin(r).sum())(x)
    with pytest.raises(BackendError, match="'argsort' has no implementation for dask"):
        fad.grad(lambda r: np.sort(r, axis=1)[:, 0].sum())(x)
    with pytest.raises(fad.TracerConversionError, match="dask"):
        fad.grad(lambda r: np.sin(r).sum() if r.sum() else r.sum())(x)


@pytest.fixture(scope="module")
def cluster_client():
    pytest.importorskip("dask.array")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="1GB"
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_dask_grad_on_a_local_cluster(cluster_client, lazy):
    import dask.array as da

    assert len(cluster_client.scheduler_info()["workers"]) == 2
    X = da.random.default_rng(0).standard_normal((2000, 3), chunks=(250, 3))
    y = np.sign(X @ onp.array([1.0, -2.0, 0.5]))
    with lazy():  # building the graphs computes nothing
        g = fad.grad(logistic)(WN, X, y)
        gm = fad.grad(mlp)(MLP_PARAMS, X, y)
    got = cluster_client.compute([g, *gm], sync=True)  # on the cluster's worker processes
    Xn, yn = cluster_client.compute([X, y], sync=True)
    onp.testing.assert_allclose(got[0], fad.grad(logistic)(WN, Xn, yn), rtol=1e-10)
    for a, b in zip(got[1:], fad.grad(mlp)(MLP_PARAMS, Xn, yn), strict=True):
        onp.testing.assert_allclose(a, b, rtol=1e-10)


# ----------------------------------------------------------------- array-API arrays


def _cupy():
    cupy = pytest.importorskip("cupy")
    try:
        cupy.cuda.runtime.getDeviceCount()
    except Exception:
        pytest.skip("CuPy is installed but no GPU is present: the CuPy tests need one")
    return cupy


@pytest.fixture(params=["array_api_strict", "torch", "cupy"])
def lib(request):
    """``(asarray, to_numpy, array type)`` of one array-API library."""
    name = request.param
    if name == "cupy":
        cp = _cupy()
        return cp.asarray, cp.asnumpy, cp.ndarray
    mod = pytest.importorskip(name)
    pytest.importorskip("array_api_compat")
    if name == "torch":
        return (lambda a: mod.asarray(onp.asarray(a))), (lambda t: t.numpy()), mod.Tensor
    return mod.asarray, (lambda a: onp.asarray(a._array)), type(mod.asarray(0.0))


OPS = {
    "sin cos": lambda x: np.sin(x) * np.cos(x),
    "tanh exp": lambda x: np.tanh(x) + np.exp(-x * x),
    "log sqrt": lambda x: np.log(x * x + 1.0) + np.sqrt(x * x + 1.0),
    "pow div": lambda x: x**3 / (1.0 + x**2),
    "maximum": lambda x: np.maximum(x, 0.2) * x,
    "where": lambda x: np.where(x > 0.3, x**2, -x),
    "sum axis": lambda x: np.sum(x * x, axis=0),
    "mean max": lambda x: np.mean(x, axis=1) + np.max(x, axis=1),
    "matmul": lambda x: x @ x.T,
    "reshape transpose": lambda x: np.reshape(x, (3, 2)).T * 2.0,
    "slice concatenate": lambda x: np.concatenate([x[:, :1], x[:, 1:] ** 2], axis=1),
    "logsumexp softmax": lambda x: (
        fad.scipy.special.logsumexp(x, axis=1) + fad.scipy.special.softmax(x, axis=1)[:, 0]
    ),
}
X0 = onp.linspace(-0.8, 0.9, 6).reshape(2, 3)


@pytest.mark.parametrize("op", sorted(OPS))
def test_array_api_ops_under_transforms(lib, op):
    asarray, to_numpy, kind = lib
    f = OPS[op]
    s = lambda x: np.sum(f(x) ** 2)  # noqa: E731
    x = asarray(X0)
    g = fad.grad(s)(x)
    assert isinstance(g, kind), type(g)
    onp.testing.assert_allclose(to_numpy(g), fad.grad(s)(X0), rtol=1e-10, atol=1e-12)
    t = fad.jvp(f, (x,), (asarray(onp.ones_like(X0)),))[1]
    onp.testing.assert_allclose(
        to_numpy(t), fad.jvp(f, (X0,), (onp.ones_like(X0),))[1], rtol=1e-10, atol=1e-12
    )
    v = fad.vmap(fad.grad(lambda r: np.sum(f(np.reshape(r, (2, 3))) ** 2)))(
        asarray(onp.stack([X0.ravel()] * 2))
    )
    onp.testing.assert_allclose(to_numpy(v)[1], fad.grad(s)(X0).ravel(), rtol=1e-10, atol=1e-12)


def test_array_api_logistic_and_nesting(lib):
    asarray, to_numpy, kind = lib
    w, X, y = asarray(WN), asarray(XN), asarray(YN)
    g = fad.grad(logistic)(w, X, y)
    assert isinstance(g, kind)
    onp.testing.assert_allclose(to_numpy(g), fad.grad(logistic)(WN, XN, YN), rtol=1e-12)
    h = fad.hessian(logistic)(w, X, y)
    onp.testing.assert_allclose(to_numpy(h), fad.hessian(logistic)(WN, XN, YN), rtol=1e-10)
    f = lambda r: np.tanh(r) * r  # noqa: E731
    onp.testing.assert_allclose(to_numpy(fad.jacfwd(f)(w)), to_numpy(fad.jacrev(f)(w)), rtol=1e-12)
    gg = fad.grad(fad.grad(lambda t: np.sin(t) * t))(asarray(onp.float64(0.7)))
    onp.testing.assert_allclose(to_numpy(gg), 2 * onp.cos(0.7) - 0.7 * onp.sin(0.7), rtol=1e-12)


def test_array_api_errors(lib):
    asarray, _, _ = lib
    x = asarray(X0)
    with pytest.raises(BackendError, match="numpy"):
        fad.grad(lambda r: np.sum(r * X0))(x)  # a NumPy array with another library's
    with pytest.raises(BackendError, match="'gammaln' has no implementation"):
        fad.grad(lambda r: fad.scipy.special.gammaln(r * r + 1.0).sum())(x)
    with pytest.raises(BackendError, match="fad.jit"):
        fad.jit(lambda r: np.sin(r).sum())(x)


def test_dask_with_torch_is_refused(da):
    torch = pytest.importorskip("torch")
    pytest.importorskip("array_api_compat")
    x = da.from_array(X0, chunks=(1, 3))
    with pytest.raises(BackendError, match="dask and torch|torch and dask"):
        fad.grad(lambda a, b: np.sum(a * b))(x, torch.asarray(X0))


def test_linearize_refuses_other_libraries(da):
    x = da.from_array(X0, chunks=(1, 3))
    with pytest.raises(BackendError, match="fad.linearize was called on a dask array"):
        fad.linearize(np.sin, x)


#: fad.numpy functions that inspect their values in Python (a NaN check, a where= mask,
#: an index list), so a Dask argument is computed there (documented in docs/scaling_out.md).
COMPUTES_ON_DASK = set(
    "all allclose amax amin any argwhere array_equal array_equiv average cov flatnonzero interp max mean "
    "min nanargmax nanargmin nanmax nanmean nanmin nanprod nanstd nansum nanvar nonzero prod select std "
    "sum var isin lexsort piecewise".split()
)
#: fad.lax operations that compute their Dask argument (top_k sorts it)
COMPUTES_ON_DASK_LAX = {"lax.top_k"}
#: fad.scipy functions that check their arguments' support in Python (a simplex, a
#: covariance's factorization, a series' convergence), named in full
COMPUTES_ON_DASK_SCIPY = {
    "scipy.stats.dirichlet.entropy",
    "scipy.stats.dirichlet.logpdf",
    "scipy.stats.dirichlet.pdf",
    "scipy.stats.multinomial.logpmf",
    "scipy.stats.multinomial.pmf",
    "scipy.stats.multivariate_normal.logpdf",
    "scipy.stats.multivariate_normal.pdf",
    "scipy.stats.vonmises.cdf",
}


def test_every_record_on_dask_is_lazy_and_right_or_a_clear_error(da):
    """Every op record with real array arguments, value and reverse mode, on Dask: either
    lazy and equal to NumPy's result, or a fad error naming the operation (never a wrong
    answer, never an unexplained failure). Only the functions listed above compute."""
    import dask

    from fad._core import FadError
    from tests.records import all_records

    counts = {"lazy": 0, "error": 0, "computed": 0}
    for rec in all_records():
        args = rec.args()
        if not all(isinstance(a, onp.ndarray) and a.dtype.kind == "f" for a in args):
            continue
        y0, pull0 = fad.vjp(rec.fun, *args)
        if not all(getattr(v, "dtype", onp.dtype(float)).kind == "f" for v in fad.tree_util.tree_leaves(y0)):
            continue
        c0 = pull0(fad.tree_util.tree_map(onp.ones_like, y0))
        dargs = [da.from_array(a, chunks=max(1, (a.shape[0] + 1) // 2) if a.ndim else ()) for a in args]
        try:
            with dask.config.set(scheduler=_refuse):
                y, pull = fad.vjp(rec.fun, *dargs)
                c = pull(fad.tree_util.tree_map(lambda v: onp.ones(onp.shape(v)), y))
        except FadError:
            counts["error"] += 1
            continue
        except Computed:
            listed = (
                rec.name.split(".")[-1] in COMPUTES_ON_DASK
                or rec.name in COMPUTES_ON_DASK_SCIPY
                or rec.name in COMPUTES_ON_DASK_LAX
            )
            assert listed, f"{rec.id} computed a Dask graph"
            counts["computed"] += 1
            continue
        got = fad.tree_util.tree_leaves(dask.compute((y, c))[0])
        for a, b in zip(got, fad.tree_util.tree_leaves((y0, c0)), strict=True):
            onp.testing.assert_allclose(onp.asarray(a), b, rtol=1e-9, atol=1e-12, err_msg=rec.id)
        counts["lazy"] += 1
    assert counts["lazy"] > 400, counts


def test_w9_benchmark_runs_quick(tmp_path):
    """benchmarks/out_of_core.py end to end on a small matrix (a real 2-worker LocalCluster)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("dask.array")
    pytest.importorskip("distributed")
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "w9.json"
    proc = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "out_of_core.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| logistic regression |" in proc.stdout and "peak worker memory" in proc.stdout
    res = json.loads(out.read_text())
    assert res["workers"] == 2 and len(res["peak_rss"]) == 2
    assert all(p < res["memory_limit"] for p in res["peak_rss"])


def test_creation_like_follows_the_library(da, lazy, lib):
    x = da.from_array(X0, chunks=(1, 3))
    with lazy():
        for f in (np.zeros_like, np.ones_like, lambda a: np.full_like(a, 2.0)):
            assert isinstance(f(x), da.Array)
        g = fad.grad(lambda r: (np.ones_like(r) * r + np.zeros_like(r)).sum())(x)
    assert isinstance(g, da.Array)
    asarray, to_numpy, kind = lib
    t = asarray(X0)
    g = fad.grad(lambda r: (np.full_like(r, 2.0) * r + np.zeros_like(r)).sum())(t)
    assert isinstance(g, kind)
    onp.testing.assert_allclose(to_numpy(g), 2.0 * onp.ones_like(X0))


@pytest.mark.parametrize(
    "f",
    [
        lambda r: (np.cumsum(r, 1) ** 2).sum(),
        lambda r: (np.flip(r) * r).sum(),
        lambda r: (r[::-2, 1::-1] ** 2).sum(),
        lambda r: (r[2, ::-1] ** 3).sum(),
        lambda r: (r[1:, ..., ::-3] ** 2).sum(),
    ],
)
def test_negative_steps_on_array_api_libraries(lib, f):
    """PyTorch has no negative slice steps: fad takes them forwards and flips."""
    asarray, to_numpy, _ = lib
    x = onp.arange(12.0).reshape(3, 4)
    onp.testing.assert_allclose(to_numpy(fad.grad(f)(asarray(x))), fad.grad(f)(x))
