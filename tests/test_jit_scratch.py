"""fad.jit's kept memory for large temporaries (fad._jit._Scratch): results never share it,
concurrent and reentrant calls each have their own, and a call does not page-fault."""

import sys
import threading

import numpy as onp
import pytest

import fad
import fad._jit as jit_module
import fad.numpy as fnp
from tests._helpers import assert_trees_close
from tests.test_jit_records import RECORDS


@pytest.fixture
def kept_sets(monkeypatch):
    """Every buffer set the compiled functions allocate (to overwrite them between calls)."""
    sets = []
    allocator = jit_module._Scratch.allocator
    fad.clear_caches()  # (compiled code is kept per function: compile again, recording)

    def recording(self):
        allocate = allocator(self)

        def alloc():
            s = allocate()
            sets.append(s)
            return s

        return alloc

    monkeypatch.setattr(jit_module._Scratch, "allocator", recording)
    return sets


def _poison(sets):
    for s in sets:
        for b in s:
            b[...] = onp.nan if b.dtype.kind in "fc" else 7


def _snapshot(tree):
    return fad.tree_util.tree_map(lambda a: onp.array(a, copy=True), tree)


def _big(n=300, seed=0):
    return onp.random.default_rng(seed).uniform(0.5, 1.5, n)


# -- results never share kept memory ------------------------------------------------------


def _views_of_temporaries(x):
    t = fnp.sin(x) * x  # (n, n) temporaries of 720 kB
    u = t + 1.0
    return u.reshape(-1), (t * 2.0).T, (u * u)[10:20], u * 3.0


def _in_place_chain(x):
    a = fnp.exp(x) * 2.0
    b = a + x  # (written into a's memory)
    return b * b


def _hessian_diagonal(x):
    return fad.hessian(lambda v: fnp.sum(fnp.tanh(v) ** 2) + fnp.sum(v) ** 2)(x)


def _rosen(x):
    return fnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


CASES = {
    "views": (_views_of_temporaries, lambda: _big(90000).reshape(300, 300)),
    "in place": (_in_place_chain, lambda: _big(50000)),
    "diagonal add": (_hessian_diagonal, lambda: _big(150)),
    "placed add": (fad.sparse_hessian(_rosen), lambda: _big(20000)),
    "grad": (fad.grad(lambda x: fnp.sum(fnp.tanh(x * 2.0) ** 2)), lambda: _big(50000)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_do_not_share_kept_memory(name, kept_sets):
    fun, make = CASES[name]
    x = make()
    f = fad.jit(fun)
    first = f(x)
    want = _snapshot(first)
    assert kept_sets, "the program keeps no memory: the case tests nothing"
    assert_trees_close(first, fun(x), 1e-12, 1e-12)
    _poison(kept_sets)
    second = f(x * 1.01)
    assert_trees_close(first, want, 0, 0)  # (untouched by the poison and the second call)
    assert_trees_close(second, fun(x * 1.01), 1e-12, 1e-12)
    assert len(kept_sets) == 1  # (the second call reused the set)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.id)
def test_every_record_with_all_temporaries_kept(rec, kept_sets, monkeypatch):
    """With every temporary kept however small: results equal eager and survive a later
    call into poisoned buffers (the pullback too)."""
    monkeypatch.setattr(jit_module, "_SCRATCH_MIN", 0)
    args = rec.args()
    funs = [rec.fun]
    if rec.orders > 0:

        def pullback(*a):
            out, f_vjp = fad.vjp(rec.fun, *a)
            return f_vjp(fad.tree_util.tree_map(onp.ones_like, out))

        funs.append(pullback)
    for fun in funs:
        f = fad.jit(fun)
        first = f(*args)
        want = _snapshot(first)
        assert_trees_close(first, fun(*args), 1e-10, 1e-10)
        _poison(kept_sets)
        assert_trees_close(f(*args), want, 1e-10, 1e-10)
        assert_trees_close(first, want, 0, 0)


# -- concurrent and reentrant calls -------------------------------------------------------


def test_threads_each_have_their_own_memory():
    f = fad.jit(fad.grad(lambda x: fnp.sum(fnp.sin(x * 1.5) * fnp.exp(-x))))
    xs = [_big(60000, seed) for seed in range(8)]
    want = [f(x) for x in xs]
    got: dict[int, list] = {}
    start = threading.Barrier(4)

    def work(k):
        start.wait()
        got[k] = [f(xs[(k + j) % 8]) for j in range(40)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        for j, r in enumerate(got[k]):
            onp.testing.assert_array_equal(r, want[(k + j) % 8])


def test_a_reentrant_call_has_its_own_memory():
    inner = []
    depth = [0]

    def callback(v):
        if not depth[0]:
            depth[0] += 1
            inner.append(f(onp.asarray(v) + 1.0))  # (while the outer call holds its memory)

    def fun(x):
        a = fnp.sin(x) * 3.0
        fad.debug.callback(callback, a)
        return a * a + x

    f = fad.jit(fun)
    x = _big(50000)
    out = f(x)
    onp.testing.assert_array_equal(out, _plain(x))
    onp.testing.assert_array_equal(inner[0], _plain(onp.sin(x) * 3.0 + 1.0))


def _plain(x):
    a = onp.sin(x) * 3.0
    return a * a + x


def test_the_kept_memory_is_bounded(monkeypatch, kept_sets):
    monkeypatch.setattr(jit_module, "_SCRATCH_MAX", 1 << 16)
    f = fad.jit(_in_place_chain)
    x = _big(50000)  # (temporaries of 400 kB: over the bound)
    onp.testing.assert_array_equal(f(x), _in_place_chain(x))
    assert not kept_sets


# -- what it is for -----------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_no_page_faults_per_call():
    """Temporaries of 2.4 MB: NumPy's fresh arrays come from pages malloc takes from the
    kernel and gives back (a few thousand page faults a call once another array of that
    size is alive); kept memory takes none."""
    import resource

    h = fad.jit(fad.sparse_hessian(_rosen))
    x = _big(100000)
    other = onp.ones((3, 100000))  # (the heap state in which every call faulted)
    h(x)
    h(x)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        h(x)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10
    del other
    assert faults < 700  # (the result itself, 2.4 MB, is new memory: ~590 pages at most)
