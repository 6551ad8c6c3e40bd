"""Differential testing: hypothesis builds random programs -- random compositions of fad
functions (elementwise incl. fad/numpy/_math.py, binary with broadcasting, reductions,
reshapes/transposes, matmul, indexing, where, concatenate ...) over random broadcastable
shapes, kept inside each function's domain -- and checks, for each program:

* ``jvp`` against ``vjp`` through the adjoint identity ``<ct, J t> == <J^T ct, t>``;
* ``jacfwd == jacrev`` (and chunked == unchunked);
* ``check_grads`` to second order (forward and reverse, against finite differences);
* Taylor mode (``fad.jet``) to third order against ``jvp`` nested three times;
* ``vmap`` against a Python loop (random in_axes, some arguments unmapped), for values and
  gradients, with control flow whose predicate differs across the batch (``lax.cond``,
  ``switch``, ``while_loop`` whose untaken branch has an infinite derivative there);
* results mutated in place do not change later results (every transform, and ``jit``);
* singular and nearly singular matrices (``det`` at rank n-1 and n-2) to second order.

``test_random_program_in_containers`` runs the same programs with their arguments and
results in dicts, lists and namedtuples, and ``stop_gradient`` over a whole container.

Bounded profile (the normal test run): ``FAD_FUZZ_EXAMPLES`` programs (default 30), derandomized.
Long profile: ``FAD_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:randomly``
(random seeds; failures are shrunk and printed as a program listing).
"""

from __future__ import annotations

import collections
import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import fad
import fad.numpy as fnp
import fad.scipy.special as fsp
from fad.test_util import check_grads, check_vjp
from tests._helpers import assert_trees_close

N_EXAMPLES = int(os.environ.get("FAD_FUZZ_EXAMPLES", "30"))
settings.register_profile(
    "fad-fuzz",
    max_examples=N_EXAMPLES,
    deadline=None,
    derandomize="FAD_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fad-fuzz")


def sq(v):
    """Squash to (-1, 1): keeps every value bounded and inside the domains below."""
    return fnp.tanh(v)


# name -> (function of one value). Each maps R into its function's domain first.
UNARY = {
    "sin": fnp.sin,
    "cos": fnp.cos,
    "tan": lambda v: fnp.tan(sq(v)),
    "tanh": fnp.tanh,
    "arctan": fnp.arctan,
    "sinh": lambda v: fnp.sinh(sq(v)),
    "cosh": lambda v: fnp.cosh(sq(v)),
    "exp": lambda v: fnp.exp(sq(v)),
    "exp2": lambda v: fnp.exp2(sq(v)),
    "expm1": lambda v: fnp.expm1(sq(v)),
    "log": lambda v: fnp.log(1.5 + sq(v)),
    "log1p": lambda v: fnp.log1p(0.5 * sq(v)),
    "log2": lambda v: fnp.log2(1.5 + sq(v)),
    "log10": lambda v: fnp.log10(1.5 + sq(v)),
    "sqrt": lambda v: fnp.sqrt(1.5 + sq(v)),
    "cbrt": lambda v: fnp.cbrt(1.5 + sq(v)),
    "square": lambda v: fnp.square(sq(v)),
    "reciprocal": lambda v: fnp.reciprocal(2.0 + sq(v)),
    "arcsin": lambda v: fnp.arcsin(0.8 * sq(v)),
    "arccos": lambda v: fnp.arccos(0.8 * sq(v)),
    "arcsinh": fnp.arcsinh,
    "arccosh": lambda v: fnp.arccosh(2.5 + sq(v)),
    "arctanh": lambda v: fnp.arctanh(0.8 * sq(v)),
    "negative": fnp.negative,
    "deg2rad": fnp.deg2rad,
    "rad2deg": lambda v: fnp.rad2deg(sq(v)) / 60.0,
    "float_power": lambda v: fnp.float_power(1.5 + sq(v), 2.5),
    "pow_scalar": lambda v: (1.5 + sq(v)) ** 1.7,
    "sinc": lambda v: fnp.sinc(0.5 + 0.4 * sq(v)),
    "expit": fsp.expit,
    "erf": fsp.erf,
    "erfc": fsp.erfc,
    "gammaln": lambda v: fsp.gammaln(2.0 + sq(v)),
    "astype32_64": lambda v: fnp.sin(v).astype(np.float32).astype(np.float64),
}

BINARY = {
    "add": lambda a, b: a + b,
    "subtract": fnp.subtract,
    "multiply": lambda a, b: a * b,
    "divide": lambda a, b: a / (2.0 + sq(b)),
    "power": lambda a, b: fnp.power(1.5 + sq(a), 0.5 * sq(b) - 0.25),  # exponent crosses 0
    "arctan2": lambda a, b: fnp.arctan2(a, 2.0 + sq(b)),
    "hypot": lambda a, b: fnp.hypot(a, 1.0 + sq(b) ** 2),
    "logaddexp": fnp.logaddexp,
    "logaddexp2": fnp.logaddexp2,
    "xlogy": lambda a, b: fsp.xlogy(a, 1.5 + sq(b)),
}


def _axis(rng_int, ndim):
    return None if ndim == 0 else rng_int % (ndim + 1) - 1 if rng_int % (ndim + 1) else None


REDUCE = {
    "sum": lambda v, ax: fnp.sum(v, axis=ax),
    "mean": lambda v, ax: fnp.mean(v, axis=ax),
    "prod": lambda v, ax: fnp.prod(1.2 + 0.5 * sq(v), axis=ax),
    "var": lambda v, ax: fnp.var(v, axis=ax),
    "logsumexp": lambda v, ax: fsp.logsumexp(v, axis=ax),
    "sum_keepdims": lambda v, ax: fnp.sum(v, axis=ax, keepdims=True),
    "cumsum": lambda v, ax: fnp.cumsum(v, axis=ax),
    "cumprod": lambda v, ax: fnp.cumprod(1.0 + 0.3 * sq(v), axis=ax),
    "softmax": lambda v, ax: fsp.softmax(v, axis=ax),
}


def _shape_op(name, v, k):
    shape, nd = fnp.shape(v), fnp.ndim(v)
    if name == "reshape_flat":
        return fnp.reshape(v, (-1,))
    if name == "reshape_col":
        return fnp.reshape(v, (-1, 1))
    if name == "transpose":
        return fnp.transpose(v)
    if name == "expand_broadcast":
        return fnp.broadcast_to(fnp.expand_dims(v, 0), (2,) + shape)
    if name == "flip":
        return fnp.flip(v)
    if name == "roll":
        return fnp.roll(v, k % 3 - 1)
    if name == "swapaxes" and nd >= 2:
        return fnp.swapaxes(v, 0, -1)
    if name == "tile":
        return fnp.tile(v, 2)
    if name == "repeat":
        return fnp.repeat(v, 2)
    if name == "index" and nd >= 1:
        n = shape[0]
        idx = np.array([k % n, (k + 1) % n, k % n])  # with a repeated index
        return v[idx]
    if name == "slice" and nd >= 1:
        return v[::-1][: max(1, shape[0] - 1)]
    if name == "at_add" and nd >= 1:
        return fnp.at(v)[k % shape[0]].add(fnp.sin(v[0]))
    if name == "moveaxis" and nd >= 2:
        return fnp.moveaxis(v, 0, -1)
    return fnp.ravel(v)


SHAPE_OPS = [
    "reshape_flat",
    "reshape_col",
    "transpose",
    "expand_broadcast",
    "flip",
    "roll",
    "swapaxes",
    "tile",
    "repeat",
    "index",
    "slice",
    "at_add",
    "moveaxis",
]


def _pair_op(name, a, b, k):
    """Ops on two values of possibly different shapes."""
    if name == "matmul":
        a2 = fnp.reshape(a, (-1, 1)) if fnp.ndim(a) < 2 else fnp.reshape(a, (-1, fnp.shape(a)[-1]))
        b2 = fnp.reshape(b, (-1, 1)) if fnp.ndim(b) < 2 else fnp.reshape(b, (-1, fnp.shape(b)[-1]))
        return a2 @ fnp.transpose(b2) if fnp.shape(a2)[1] == fnp.shape(b2)[1] else a2 @ fnp.transpose(a2)
    if name == "outer":
        return fnp.outer(a, b)
    if name == "concatenate":
        return fnp.concatenate([fnp.ravel(a), fnp.ravel(b)])
    if name in ("stack", "where") and not _broadcastable(a, b):
        b = fnp.sum(b)
    if name == "stack":
        shape = np.broadcast_shapes(fnp.shape(a), fnp.shape(b))
        return fnp.stack([fnp.broadcast_to(a, shape), fnp.broadcast_to(b, shape)], axis=k % (len(shape) + 1))
    if name == "where":
        shape = np.broadcast_shapes(fnp.shape(a), fnp.shape(b))
        mask = (np.arange(int(np.prod(shape))).reshape(shape) * 7 + k) % 3 == 0
        return fnp.where(mask, a, b)
    if name == "dot_sum":
        return fnp.sum(a) * fnp.sum(fnp.cos(b))
    raise AssertionError(name)


PAIR_OPS = ["matmul", "outer", "concatenate", "stack", "where", "dot_sum"]


def _control_op(name, a, k):
    """Control flow whose predicate depends on the value (so it differs across a vmap
    batch), with branches that are NaN, with infinite derivatives, on the examples that do
    not take them: the per-example rule vmap(f)(X)[i] == f(X[i]) must hold for every
    derivative, not only for values."""
    s = fnp.sum(a) + 0.05 * (k - 4.5)  # shifted so that both sides occur
    if name == "cond":
        return fad.lax.cond(s > 0, lambda v: v * fnp.sqrt(s), lambda v: v * fnp.log(-s), a)
    if name == "switch":
        i = (s > 0.3).astype(int) + (s > -0.3).astype(int)
        return fad.lax.switch(
            i, [lambda v: v / (-0.3 - s), lambda v: fnp.sin(v) * s, lambda v: v * fnp.sqrt(s - 0.3)], a
        )
    if name == "while":  # halve while the energy exceeds 0.2; the body is NaN below that

        def body(v):
            e = fnp.sum(v * v)
            return v * 0.5 + 0.0 * fnp.sqrt(e - 0.2)

        return fad.lax.while_loop(lambda v: fnp.sum(v * v) > 0.2, body, a * (1.0 + 0.1 * k))
    raise AssertionError(name)


CONTROL_OPS = ["cond", "switch", "while"]


def _linalg_op(name, a, k):
    """Determinants at exactly singular matrices (rank 2 and 1 of 3x3), and a norm whose
    square underflows: value and derivatives to second order must stay exact."""
    s, t = fnp.sum(a), fnp.sum(fnp.sin(a))
    u = fnp.stack([s, t, s * t + 0.1 * k])
    w = fnp.stack([t, 1.0 + 0.0 * s, s - 0.5])
    if name == "det_rank2":
        return fnp.linalg.det(fnp.outer(u, w) + 0.5 * fnp.outer(w, u))
    if name == "det_rank1":
        return fnp.linalg.det(fnp.outer(u, w))
    if name == "det_near":  # nonsingular but badly conditioned
        return fnp.linalg.det(fnp.outer(u, w) + 0.5 * fnp.outer(w, u) + 1e-6 * fnp.eye(3))
    if name == "norm_tiny":
        return fnp.linalg.norm(fnp.ravel(a) * 1e-170 + 1e-171) * 1e170
    raise AssertionError(name)


LINALG_OPS = ["det_rank2", "det_rank1", "det_near", "norm_tiny"]


def _broadcastable(a, b):
    try:
        np.broadcast_shapes(fnp.shape(a), fnp.shape(b))
        return True
    except ValueError:
        return False


# ------------------------------------------------------------------------ programs


@hs.composite
def programs(draw):
    base = tuple(draw(hs.lists(hs.integers(1, 3), min_size=0, max_size=3)))
    n_in = draw(hs.integers(1, 3))
    shapes = []
    for _ in range(n_in):
        drop = draw(hs.integers(0, len(base)))  # a suffix of base, some dims set to 1
        s = list(base[drop:])
        s = [1 if draw(hs.booleans()) and draw(hs.booleans()) else d for d in s]
        shapes.append(tuple(s))
    kinds = ["unary", "binary", "reduce", "shape", "pair", "control", "linalg"]
    steps = []
    for _ in range(draw(hs.integers(1, 6))):
        kind = draw(hs.sampled_from(kinds))
        name = draw(
            hs.sampled_from(
                sorted({"unary": UNARY, "binary": BINARY, "reduce": REDUCE}[kind])
                if kind in ("unary", "binary", "reduce")
                else {"shape": SHAPE_OPS, "pair": PAIR_OPS, "control": CONTROL_OPS, "linalg": LINALG_OPS}[
                    kind
                ]
            )
        )
        steps.append(
            (kind, name, draw(hs.integers(0, 10**6)), draw(hs.integers(0, 10**6)), draw(hs.integers(0, 9)))
        )
    values = [
        np.asarray(
            draw(
                hs.lists(
                    hs.floats(-1.5, 1.5, allow_subnormal=False),
                    min_size=int(np.prod(s)),
                    max_size=int(np.prod(s)),
                )
            ),
            float,
        ).reshape(s)
        for s in shapes
    ]
    n_out = draw(hs.integers(1, 2))
    return Program(shapes, steps, n_out), values


class Program:
    """A straight-line program over a pool of values (inputs first); deterministic."""

    def __init__(self, shapes, steps, n_out):
        self.shapes, self.steps, self.n_out = shapes, steps, n_out

    def __call__(self, *xs):
        pool = list(xs)
        for kind, name, i, j, k in self.steps:
            a = pool[i % len(pool)]
            b = pool[j % len(pool)]
            if kind == "unary":
                out = UNARY[name](a)
            elif kind == "binary":
                out = BINARY[name](a, b if _broadcastable(a, b) else fnp.sum(b))
            elif kind == "reduce":
                nd = fnp.ndim(a)
                ax = None if nd == 0 or k % (nd + 1) == nd else k % (nd + 1)
                out = REDUCE[name](a, ax if name not in ("cumsum", "cumprod") or nd else None)
            elif kind == "shape":
                out = _shape_op(name, a, k)
            elif kind == "control":
                out = _control_op(name, a, k)
            elif kind == "linalg":
                out = _linalg_op(name, a, k)
            else:
                out = _pair_op(name, a, b, k)
            pool.append(out)
        # outputs: the last value, and (n_out == 2) a second, differently shaped one
        last = pool[-1]
        if self.n_out == 1:
            return last
        return {"last": last, "mix": fnp.sum(pool[len(xs) - 1] * 0.5) + fnp.sin(pool[0])}

    @property
    def branches(self):
        """Whether the program's value depends on its inputs through a predicate (finite
        differences across a branch boundary are meaningless)."""
        return any(kind == "control" for kind, *_ in self.steps)

    def __repr__(self):
        lines = [f"inputs {self.shapes}"] + [
            f"  v{n + len(self.shapes)} = {k}:{nm}(v[{i}], v[{j}], k={kk})"
            for n, (k, nm, i, j, kk) in enumerate(self.steps)
        ]
        return "\n".join(lines)


STATS = {"programs": 0}


def _close(a, b, rtol=1e-9, atol=1e-9):
    assert_trees_close(a, b, rtol, atol)


@FUZZ
@given(programs())
def test_random_program(prog_values):
    prog, xs = prog_values
    STATS["programs"] += 1
    out = prog(*xs)
    for leaf in fad.tree_util.tree_leaves(out):
        assert np.all(np.isfinite(leaf)), prog
    argnums = tuple(range(len(xs)))
    # 1. jvp against vjp: the adjoint identity (exact, no finite differences)
    # (a float32 round trip in the program rounds tangents and cotangents differently)
    tol = 1e-6 if any(step[1] == "astype32_64" for step in prog.steps) else 1e-9
    check_vjp(prog, xs, atol=tol, rtol=tol)
    # 2. jacfwd == jacrev (and chunking changes nothing)
    jf = fad.jacfwd(prog, argnums=argnums)(*xs)
    jr = fad.jacrev(prog, argnums=argnums)(*xs)
    _close(jf, jr, rtol=tol, atol=tol)
    _close(fad.jacrev(prog, argnums=argnums, chunk_size=2)(*xs), jr, rtol=1e-12, atol=1e-12)
    # 3. finite differences, to second order, both modes
    # (finite differences of a float32 round trip are only good to ~1e-3; a program with
    # branches is checked at second order by jacfwd(jacrev) == jacrev(jacfwd) instead)
    fd_tol = 1e-2 if tol > 1e-9 else 1e-4
    if not prog.branches:
        check_grads(prog, xs, order=2, modes=("fwd", "rev"), atol=fd_tol, rtol=fd_tol)
    else:
        scal0 = lambda *a: fnp.sum(fnp.sin(fad.tree_util.tree_leaves(prog(*a))[0]))  # noqa: E731
        h1 = fad.jacfwd(fad.jacrev(scal0, argnums=argnums), argnums=argnums)(*xs)
        h2 = fad.jacrev(fad.jacfwd(scal0, argnums=argnums), argnums=argnums)(*xs)
        _close(h1, h2, rtol=1e-7, atol=1e-7)
    # 4. vmap against a loop: two perturbed copies, the last argument unmapped
    batch = [np.stack([x, np.tanh(x + 0.3)]) for x in xs]
    in_axes = tuple([0] * (len(xs) - 1) + ([None] if len(xs) > 1 else [0]))
    args = [b if ax == 0 else x for b, x, ax in zip(batch, xs, in_axes, strict=True)]
    got = fad.vmap(prog, in_axes=in_axes)(*args)
    loop = [prog(*[a[i] if ax == 0 else a for a, ax in zip(args, in_axes, strict=True)]) for i in range(2)]
    expected = fad.tree_util.tree_map(lambda *ls: np.stack(ls), *loop)
    _close(got, expected, rtol=1e-12, atol=1e-12)
    # and vmap of the gradient of a scalarized program against a loop
    scal = lambda *a: fnp.sum(fnp.sin(fad.tree_util.tree_leaves(prog(*a))[0]))
    gv = fad.vmap(fad.grad(scal, argnums=argnums), in_axes=in_axes)(*args)
    gl = [
        fad.grad(scal, argnums=argnums)(
            *[a[i] if ax == 0 else a for a, ax in zip(args, in_axes, strict=True)]
        )
        for i in range(2)
    ]
    # unmapped arguments' gradients are still per example
    _close(gv, fad.tree_util.tree_map(lambda *ls: np.stack(ls), *gl), rtol=1e-10, atol=1e-10)
    # the Jacobian of the batched program is block-diagonal in the batch: exact zeros off
    # the diagonal (a NaN there meant an untaken branch leaked into the derivative)
    mapped = np.stack([args[0][0], args[0][1]]) if in_axes[0] == 0 else None
    if mapped is not None:
        rest = args[1:]
        jb = fad.jacrev(
            lambda m: fnp.sin(fad.tree_util.tree_leaves(fad.vmap(prog, in_axes=in_axes)(m, *rest))[0])
        )(mapped)
        jb = np.asarray(jb)
        assert np.all(np.isfinite(jb)), prog
        jb = jb.reshape((2, -1) + jb.shape[-np.ndim(mapped) :])
        assert np.all(jb[0, :, 1] == 0) and np.all(jb[1, :, 0] == 0), prog
    # 4b. results are the caller's: mutating them changes no later result
    saved = fad.tree_util.tree_map(np.copy, (jf, jr, gv, got))
    for result in (jf, jr, gv, got):
        for leaf in fad.tree_util.tree_leaves(result):
            if isinstance(leaf, np.ndarray) and leaf.size:
                leaf *= 3.0  # raises if a transform handed out a read-only array
    again = (
        fad.jacfwd(prog, argnums=argnums)(*xs),
        fad.jacrev(prog, argnums=argnums)(*xs),
        fad.vmap(fad.grad(scal, argnums=argnums), in_axes=in_axes)(*args),
        fad.vmap(prog, in_axes=in_axes)(*args),
    )
    _close(again, saved, rtol=0, atol=0)
    if any(step[1] == "while" for step in prog.steps):
        return  # fad.jit does not stage a while_loop whose trip count depends on the arguments
    jitted = fad.jit(prog)
    first_jit = jitted(*xs)
    _close(first_jit, out, rtol=1e-9, atol=1e-9)
    for leaf in fad.tree_util.tree_leaves(first_jit):
        if isinstance(leaf, np.ndarray) and leaf.size:
            leaf *= 3.0
    _close(jitted(*xs), out, rtol=1e-9, atol=1e-9)
    # 5. Taylor mode (fad.jet) to third order along a line, against jvp nested three times
    rng = np.random.default_rng(len(prog.steps))
    v = [rng.standard_normal(np.shape(x)).astype(np.asarray(x).dtype) for x in xs]
    first = fad.tree_util.tree_leaves(prog(*xs))[0]
    leaf0 = lambda *a: fad.tree_util.tree_leaves(prog(*a))[0]  # noqa: E731
    _, series = fad.jet(leaf0, tuple(xs), [[t, np.zeros_like(t), np.zeros_like(t)] for t in v])
    d = leaf0
    for k in range(3):
        d = (lambda g: lambda *a: fad.jvp(g, a, v)[1])(d)
        want = d(*xs)
        assert np.shape(series[k]) == np.shape(first)
        np.testing.assert_allclose(series[k], want, rtol=1e-6 if tol == 1e-9 else 1e-3, atol=1e-7)


def test_fuzz_ran(request):
    # the count is printed with -s / in the long profile; the bounded profile runs N_EXAMPLES
    if STATS["programs"]:
        print(f"\nfad fuzz: {STATS['programs']} programs checked")
    assert STATS["programs"] == 0 or STATS["programs"] >= min(N_EXAMPLES, 10)


Args = collections.namedtuple("Args", "first rest")


@settings(FUZZ, max_examples=max(5, N_EXAMPLES // 3))
@given(programs())
def test_random_program_in_containers(prog_values):
    """The same programs, their arguments in a namedtuple of an array and a list, their
    results in a dict: every transform maps over the containers exactly as over the flat
    arguments, and ``stop_gradient`` of the whole container is a constant."""
    prog, xs = prog_values
    packed = Args(xs[0], list(xs[1:]))

    def scal(*a):
        return fnp.sum(fnp.sin(fad.tree_util.tree_leaves(prog(*a))[0]))

    def f_c(c):
        return {"out": prog(c.first, *c.rest)}

    def s_c(c):
        return scal(c.first, *c.rest)

    argnums = tuple(range(len(xs)))
    flat_g = fad.grad(scal, argnums=argnums)(*xs)
    g = fad.grad(s_c)(packed)
    assert isinstance(g, Args) and isinstance(g.rest, list)
    _close(fad.tree_util.tree_leaves(g), list(flat_g), rtol=1e-12, atol=1e-12)
    jr = fad.jacrev(f_c)(packed)
    jf = fad.jacfwd(f_c)(packed)
    _close(jr, jf, rtol=1e-8, atol=1e-8)
    flat_j = fad.jacrev(lambda *a: prog(*a), argnums=argnums)(*xs)
    got = [leaf for leaf in fad.tree_util.tree_leaves(jr["out"])]
    _close(got, fad.tree_util.tree_leaves(flat_j), rtol=1e-12, atol=1e-12)
    # stop_gradient over the whole container: the stopped copy contributes no derivative
    both = fad.grad(lambda c: s_c(fad.stop_gradient(c)) * 0.5 + s_c(c))(packed)
    _close(fad.tree_util.tree_leaves(both), list(flat_g), rtol=1e-12, atol=1e-12)
    # vmap over the container (every leaf mapped) against a loop
    batch = fad.tree_util.tree_map(lambda x: np.stack([x, np.tanh(x + 0.3)]), packed)
    vg = fad.vmap(fad.grad(s_c))(batch)
    loop = [fad.grad(s_c)(fad.tree_util.tree_map(lambda b, i=i: b[i], batch)) for i in range(2)]
    _close(vg, fad.tree_util.tree_map(lambda *ls: np.stack(ls), *loop), rtol=1e-10, atol=1e-10)
