"""Loops under fad.jit: while_loop, fori_loop with traced bounds and scan are staged into the
program (one equation holding the body, not an unrolled copy per iteration), run as Python
loops in the generated code, and agree with eager evaluation under every transform."""

import numpy as onp
import pytest

import fad
import fad.numpy as fnp
from fad import lax
from fad._jit import compile_program
from fad.test_util import check_grads
from tests._helpers import assert_trees_close

# ------------------------------------------------------------------------ the solvers


def newton_sqrt(a):
    """sqrt(a) by Newton's iteration until the residual is small (a traced trip count)."""
    return lax.while_loop(lambda c: fnp.abs(c * c - a) > 1e-12 * a, lambda c: 0.5 * (c + a / c), a)


def fixed_point(x):
    """The fixed point of v -> cos(v) * x, with an iteration counter in the carry."""

    def cond(c):
        v, prev, k = c
        return (fnp.abs(v - prev) > 1e-13) & (k < 200)

    def body(c):
        v, _, k = c
        return fnp.cos(v) * x, v, k + 1

    return lax.while_loop(cond, body, (fnp.cos(x) * x, x, 0))[0]


def powers(x, n):
    """v <- sin(v) * x + 1, ``n`` times: fori_loop with a traced trip count."""
    return lax.fori_loop(0, n, lambda i, v: fnp.sin(v) * x + 0.1 * i, 1.0)


def ode(k, y0, dt=0.01, steps=50):
    """Explicit RK2 for y' = -k * y**2 + sin(t), as a scan over the time grid; returns the
    final state and the trajectory."""
    ts = fnp.arange(steps) * dt

    def step(y, t):
        f = lambda t_, y_: -k * y_**2 + fnp.sin(t_)  # noqa: E731
        mid = y + 0.5 * dt * f(t, y)
        y1 = y + dt * f(t + 0.5 * dt, mid)
        return y1, y1

    return lax.scan(step, y0, ts)


def ode_final(k, y0):
    y, ys = ode(k, y0)
    return fnp.sum(y) + 0.1 * fnp.sum(ys**2)


def nested(x, n):
    """A fori_loop whose body runs a while_loop: both trip counts are traced."""

    def outer(i, v):
        return lax.while_loop(lambda w: w[1] < i, lambda w: (w[0] * x + 0.1, w[1] + 1), (v, 0))[0]

    return lax.fori_loop(0, n, outer, 1.0)


def close(got, want, tol=1e-10):
    assert_trees_close(got, want, tol, tol)


# ------------------------------------------------------------ the program holds a loop


def _source(fun, *args):
    return compile_program(fad.jit(fun).program(*args)).source


@pytest.mark.parametrize(
    "fun, args, prim, n_iter",
    [
        (newton_sqrt, (2.0,), "while[", 5),
        (fixed_point, (0.7,), "while[", 60),
        (powers, (1.1, 40), "while[", 40),
        (lambda k, y: ode(k, y)[0], (0.5, onp.ones(3)), "scan[", 50),
    ],
)
def test_the_program_holds_one_loop_not_its_iterations(fun, args, prim, n_iter):
    prog = fad.jit(fun).program(*args)
    text = str(prog)
    assert text.count(prim) == 1
    assert len(prog.eqns) < n_iter  # not unrolled
    src = _source(fun, *args)
    assert ("while " in src) if prim == "while[" else ("for " in src)
    close(fad.jit(fun)(*args), fun(*args))


def test_the_reverse_pass_of_a_traced_trip_count_is_a_loop_over_the_stored_carries():
    src = _source(fad.grad(powers), 1.1, 5)
    assert "while " in src and ".append(" in src and "reversed(" in src


def test_fori_loop_with_known_bounds_is_a_scan_under_jit():
    f = lambda x: lax.fori_loop(0, 30, lambda i, v: v * x + i, 1.0)  # noqa: E731
    assert "scan[" in str(fad.jit(f).program(0.9))
    close(fad.jit(f)(0.9), f(0.9))
    close(fad.jit(fad.grad(f))(0.9), fad.grad(f)(0.9))


# ------------------------------------------------------------------- values under jit


@pytest.mark.parametrize("a", [2.0, 9.0, 1e-3, 1234.5])
def test_newton(a):
    close(fad.jit(newton_sqrt)(a), onp.sqrt(a), 1e-12)
    close(fad.jit(newton_sqrt)(a), newton_sqrt(a), 0)


def test_fixed_point_and_a_recompiled_trip_count():
    jf = fad.jit(fixed_point)
    for x in (0.3, 0.7, 0.9):  # one program, different trip counts
        close(jf(x), fixed_point(x))
        v = jf(x)
        close(v, onp.cos(v) * x, 1e-12)
    assert jf.cache_size() == 1


def test_fori_loop_trip_count_is_an_argument():
    jf = fad.jit(powers)
    for n in (0, 1, 7, 30):
        close(jf(1.1, n), powers(1.1, n))
    assert jf.cache_size() == 1


def test_ode_stepper():
    y0 = onp.array([0.5, 1.0, 2.0])
    close(fad.jit(ode)(0.7, y0), ode(0.7, y0))
    close(fad.jit(ode, static_argnums=(2, 3))(0.7, y0, 0.02, 20), ode(0.7, y0, 0.02, 20))


def test_nested_loops():
    for n in (0, 3, 6):
        close(fad.jit(nested)(1.01, n), nested(1.01, n))
    assert str(fad.jit(nested).program(1.01, 3)).count("while[") == 2


def test_scan_over_a_pytree_with_reverse_and_no_ys():
    def f(x, xs):
        def body(c, e):
            return {"s": c["s"] + e[0] * x, "p": c["p"] * e[1]}, None

        return lax.scan(body, {"s": 0.0, "p": 1.0}, (xs, xs + 1.0), reverse=True)

    xs = onp.linspace(0.1, 1.0, 5)
    got, want = fad.jit(f)(0.3, xs), f(0.3, xs)
    assert got[1] is None and want[1] is None
    close(got[0], want[0])


# ---------------------------------------------------------------- every transform


SCALAR_CASES = [(newton_sqrt, (2.0,)), (fixed_point, (0.7,)), (lambda x: powers(x, 6), (1.1,))]
SCALAR_CASES += [(lambda x: nested(x, 4), (1.01,)), (lambda k: ode_final(k, onp.ones(2)), (0.6,))]
IDS = ["newton", "fixed_point", "fori_traced", "nested", "ode"]


@pytest.mark.parametrize("fun, args", SCALAR_CASES, ids=IDS)
def test_jit_grad_and_jit_jvp_equal_eager_and_finite_differences(fun, args):
    close(fad.jit(fad.grad(fun))(*args), fad.grad(fun)(*args))
    jj = fad.jit(lambda x: fad.jvp(fun, (x,), (1.0,)))
    close(jj(*args), fad.jvp(fun, args, (1.0,)))
    check_grads(fad.jit(fun), args, order=1)
    check_grads(fun, args, order=1)


@pytest.mark.parametrize("fun, args", SCALAR_CASES, ids=IDS)
def test_hessian_under_jit(fun, args):
    close(fad.jit(fad.hessian(fun))(*args), fad.hessian(fun)(*args), 1e-8)
    close(fad.jit(fad.jacfwd(fad.jacfwd(fun)))(*args), fad.hessian(fun)(*args), 1e-8)


@pytest.mark.parametrize("fun, args", SCALAR_CASES, ids=IDS)
def test_grad_of_jit_and_vmap_of_jit(fun, args):
    close(fad.grad(fad.jit(fun))(*args), fad.grad(fun)(*args))
    xs = args[0] * onp.array([0.8, 1.0, 1.1])
    close(fad.vmap(fad.jit(fun))(xs), fad.vmap(fun)(xs))
    close(fad.vmap(fad.jit(fad.grad(fun)))(xs), fad.vmap(fad.grad(fun))(xs))


def test_jit_vmap_of_a_while_loop_with_a_batched_predicate():
    a = onp.array([2.0, 9.0, 100.0, 1e-2])
    prog = fad.jit(fad.vmap(newton_sqrt)).program(a)
    assert str(prog).count("while[") == 1
    close(fad.jit(fad.vmap(newton_sqrt))(a), fad.vmap(newton_sqrt)(a))
    close(fad.jit(fad.vmap(newton_sqrt))(a), onp.sqrt(a), 1e-12)
    close(fad.jit(fad.vmap(fad.grad(newton_sqrt)))(a), fad.vmap(fad.grad(newton_sqrt))(a))
    close(fad.jit(fad.vmap(fad.hessian(newton_sqrt)))(a), fad.vmap(fad.hessian(newton_sqrt))(a), 1e-8)
    xs = onp.array([0.3, 0.7, 0.9])
    close(fad.jit(fad.vmap(fixed_point))(xs), fad.vmap(fixed_point)(xs))
    close(fad.jit(fad.vmap(fad.grad(fixed_point)))(xs), fad.vmap(fad.grad(fixed_point))(xs))


def test_jit_vmap_of_a_traced_trip_count_per_example():
    ns = onp.array([0, 2, 5])
    f = lambda n: powers(1.1, n)  # noqa: E731
    with pytest.raises(TypeError, match="differs across a vmap batch"):
        fad.vmap(f)(ns)  # eagerly a batched bound is refused (while_loop is the way)
    g = lambda x, n: lax.while_loop(lambda c: c[1] < n, lambda c: (fnp.sin(c[0]) * x, c[1] + 1), (1.0, 0))[0]  # noqa: E731
    close(fad.jit(fad.vmap(g, in_axes=(None, 0)))(1.1, ns), fad.vmap(g, in_axes=(None, 0))(1.1, ns))
    gx = fad.grad(g)
    close(fad.jit(fad.vmap(gx, in_axes=(None, 0)))(1.1, ns), fad.vmap(gx, in_axes=(None, 0))(1.1, ns))


def test_ode_under_every_transform():
    y0 = onp.array([0.5, 1.0, 2.0])
    g = lambda y: ode_final(0.7, y)  # noqa: E731
    close(fad.jit(fad.grad(g))(y0), fad.grad(g)(y0))
    close(fad.jit(fad.jacrev(lambda y: ode(0.7, y)[1]))(y0), fad.jacfwd(lambda y: ode(0.7, y)[1])(y0))
    close(fad.jit(fad.hessian(g))(y0), fad.hessian(g)(y0), 1e-8)
    close(
        fad.jit(fad.grad(fad.grad(lambda k: ode_final(k, y0))))(0.7),
        fad.grad(fad.grad(lambda k: ode_final(k, y0)))(0.7),
        1e-8,
    )
    ks = onp.array([0.3, 0.7])
    close(fad.jit(fad.vmap(lambda k: ode(k, y0)))(ks), fad.vmap(lambda k: ode(k, y0))(ks))
    check_grads(fad.jit(g), (y0,), order=2)


def test_loops_inside_linearize():
    for fun, args in SCALAR_CASES:
        y, f_jvp = fad.linearize(fun, *args)
        y2, t2 = fad.jvp(fun, args, (1.0,))
        close(y, y2)
        close(f_jvp(1.0), t2)
        y, f_jvp = fad.linearize(fad.jit(fun), *args)
        close(y, y2)
        close(f_jvp(1.0), t2)


def test_reverse_over_reverse_of_a_staged_while_loop_is_a_clear_error():
    with pytest.raises(fad.FadError, match="forward-over-reverse"):
        fad.jit(fad.grad(fad.grad(newton_sqrt)))(2.0)


def test_a_closure_over_an_outer_transform():
    def f(x):
        return fad.grad(
            lambda y: lax.while_loop(lambda c: c[1] < 3, lambda c: (c[0] * x * y, c[1] + 1), (y, 0))[0]
        )(x)

    close(fad.jit(f)(1.3), f(1.3))
    close(fad.jit(fad.grad(f))(1.3), fad.grad(f)(1.3))


def test_a_body_that_needs_the_index_value_is_unrolled_when_the_bounds_are_known():
    x = onp.arange(6.0)

    def f(y):  # a slice with the loop index as its bound needs i's value
        return lax.fori_loop(1, 4, lambda i, v: v + fnp.sum(y[:i]), 0.0)

    def g(y):  # Python control flow on each element of a constant xs
        return lax.scan(lambda c, e: (c + (y[0] if e > 2 else 0.0), None), 0.0, onp.arange(5.0))[0]

    close(fad.jit(f)(x), f(x))
    close(fad.jit(g)(x), g(x))
    close(fad.jit(fad.grad(f))(x), fad.grad(f)(x))
    with pytest.raises(fad.ConcretizationError):  # a traced trip count cannot be unrolled
        fad.jit(lambda y, n: lax.fori_loop(1, n, lambda i, v: v + fnp.sum(y[:i]), 0.0))(x, 4)


def test_a_loop_in_a_long_program_interpreted_then_compiled_in_chunks(monkeypatch):
    import fad._jit as jit_module

    monkeypatch.setattr(jit_module, "_LONG", 20)
    monkeypatch.setattr(jit_module, "_CHUNK", 7)
    monkeypatch.setattr(jit_module, "_TIER_CALLS", 3)

    def f(x, n):
        for _ in range(15):
            x = fnp.sin(x) * 1.01
        x = lax.fori_loop(0, n, lambda i, v: fnp.cos(v) + x, x)
        for _ in range(15):
            x = fnp.sin(x) * 1.01
        return fnp.sum(x)

    x = onp.linspace(0.0, 1.0, 3)
    jf, jg = fad.jit(f), fad.jit(fad.grad(f))
    for _ in range(5):  # the interpreter first, then the chunked code
        close(jf(x, 4), f(x, 4))
        close(jg(x, 4), fad.grad(f)(x, 4))
