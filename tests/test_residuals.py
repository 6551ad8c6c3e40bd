"""Reverse mode keeps only what each reverse rule reads (large arrays it never reads are
replaced by their shape and dtype), and gradients are unchanged by it."""

import sys

import numpy as onp
import pytest

import fad
import fad.numpy as np
from fad._core import EVAL, REGISTRY, Aval, Primitive, use_trace
from fad._vjp import VJPTrace
from fad.test_util import check_grads


def _tape_of(f, x):
    trace = VJPTrace(EVAL, "test")
    xt = trace.new_input(x)
    with use_trace(trace):
        f(xt)
    return [e for e in trace.tape if e is not None]


def test_unread_inputs_are_not_kept():
    x = onp.linspace(-1, 1, 10_000)
    add, exp, mul = _tape_of(lambda v: np.exp(v + 1.0) * 2.0, x)
    assert add[0].name == "add" and isinstance(add[2][0], Aval) and isinstance(add[3], Aval)
    assert exp[0].name == "exp" and isinstance(exp[2][0], Aval) and not isinstance(exp[3], Aval)
    assert mul[0].name == "mul" and isinstance(mul[2][0], Aval)  # d(v*2)/dv = 2 needs no v


def test_read_inputs_and_small_arrays_are_kept():
    x = onp.linspace(-1, 1, 10_000)
    (sin,) = _tape_of(np.sin, x)
    assert sin[2][0] is x  # sin' = cos(x) needs x
    (add,) = _tape_of(lambda v: v + 1.0, onp.ones(3))
    assert not isinstance(add[2][0], Aval)  # small: cheaper to keep


def test_every_declared_residual_policy_matches_arity():
    for p in REGISTRY.values():
        if p.residuals is not None:
            for keep_ans, keep_args in p.residuals:
                assert isinstance(keep_ans, bool) and len(keep_args) == len(p.residuals), p.name


def test_gradients_unchanged_on_large_inputs():
    x = onp.linspace(0.1, 2, 5000)
    f = lambda v: np.sum(np.tanh(v * 1.5 + 0.2) ** 2 / (v + 1.0) - np.exp(-v) * np.sqrt(v))  # noqa: E731
    g = fad.grad(f)(x)
    t = onp.tanh(x * 1.5 + 0.2)
    want = (
        2 * t * (1 - t**2) * 1.5 / (x + 1)
        - t**2 / (x + 1) ** 2
        + onp.exp(-x) * onp.sqrt(x)
        - onp.exp(-x) / (2 * onp.sqrt(x))
    )
    onp.testing.assert_allclose(g, want, rtol=1e-10)
    check_grads(f, (x[:5000:500],), order=2)
    onp.testing.assert_allclose(
        fad.grad(fad.grad(lambda v: np.sum(np.exp(v + 1.0))))(onp.asarray(0.5)), onp.exp(1.5)
    )


def test_higher_order_and_batched_on_large_inputs():
    x = onp.linspace(0.1, 2, 5000)
    f = lambda v: np.sum(np.exp(v * 2.0 + 1.0) / (v + 3.0))  # noqa: E731
    g2 = fad.grad(lambda v: np.sum(fad.grad(f)(v)))(x)  # diagonal of the Hessian
    e = onp.exp(2 * x + 1)
    want = 4 * e / (x + 3) - 4 * e / (x + 3) ** 2 + 2 * e / (x + 3) ** 3
    onp.testing.assert_allclose(g2, want, rtol=1e-10)
    per = fad.vmap(fad.grad(f))(onp.stack([x, x + 1]))
    onp.testing.assert_allclose(per[1], fad.grad(f)(x + 1), rtol=1e-12)


def _differentiable_records():
    from tests.records import all_records

    return [r for r in all_records() if r.orders > 0]


@pytest.mark.parametrize("rec", _differentiable_records(), ids=lambda r: r.id)
def test_every_rule_works_from_only_its_declared_residuals(rec, monkeypatch):
    """With the size threshold at 0, every value a rule does not declare is dropped from
    the tape: a rule that read one anyway would fail here."""
    import fad._vjp

    monkeypatch.setattr(fad._vjp, "_LIGHT_MIN_SIZE", 0)
    check_grads(rec.fun, rec.args(), order=min(rec.orders, 2), modes=("rev",), atol=rec.atol, rtol=rec.rtol)


# ------------------------------------------------------- the declarations themselves


def _own_primitives():
    """fad's own primitives: those bound to a name in one of fad's modules (not the ones
    tests and documentation examples declare)."""
    mods = [m for n, m in list(sys.modules.items()) if n == "fad" or n.startswith("fad.")]
    return {v for m in mods for v in vars(m).values() if isinstance(v, Primitive)}


def _elementwise_cases():
    from fad._rules import BROADCASTING_RULES

    own = _own_primitives()
    return sorted(
        ((p.name, p) for p in own if p.differentiable and p.batch in BROADCASTING_RULES), key=lambda c: c[0]
    )


_PARAMS = {"polygamma": {"n": 0}}


def _inputs(prim):
    n = len(prim.residuals)
    rng = onp.random.default_rng(0)
    args = [rng.uniform(0.2, 0.7, size=3) for _ in range(n)]
    if prim.name == "select":
        args[0] = args[0] > 0.4
    params = _PARAMS.get(prim.name, {})
    return args, params, prim.impl(*args, **params)


class _Withheld(Aval):
    """An Aval that also refuses comparisons, truth and conversion to an array (which a
    plain object allows: ``x == 0`` is False, ``numpy.where(x, ...)`` takes it as true)."""

    __slots__ = ()

    def __eq__(self, *_):
        raise TypeError("the rule read a value its declaration does not keep")

    __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __array__ = __eq__
    __hash__ = None


def _pullback(prim, i, args, ans, params, hide):
    """The cotangent of argument ``i``, with the values in ``hide`` (``"ans"`` or argument
    positions) given to the rule as their shape and dtype only."""
    aval = lambda v: _Withheld(onp.shape(v), onp.result_type(v))  # noqa: E731
    primals = [aval(a) if j in hide else a for j, a in enumerate(args)]
    wants = [j == i for j in range(len(args))]
    ct = onp.ones_like(ans, dtype=float)
    return prim.vjp(ct, aval(ans) if "ans" in hide else ans, primals, wants, **params)[i]


@pytest.mark.parametrize("name, prim", _elementwise_cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_declaration_is_enough_and_no_larger(name, prim):
    """Each elementwise primitive's vjp works from what its declaration keeps (and gives the
    same cotangent), and fails when any value it declares is withheld: the tape keeps
    exactly what the rule reads."""
    assert prim.residuals is not None, f"'{name}' does not declare what its vjp reads"
    args, params, ans = _inputs(prim)
    with onp.errstate(all="ignore"):
        for i, (keep_ans, keep_args) in enumerate(prim.residuals):
            declared = ({"ans"} if keep_ans else set()) | {j for j, k in enumerate(keep_args) if k}
            hidden = ({"ans"} | set(range(len(args)))) - declared
            try:
                full = _pullback(prim, i, args, ans, params, set())
            except TypeError as e:  # an argument the primitive refuses to differentiate in
                assert "not differentiable with respect to" in str(e) and not declared, (name, i)
                continue
            if full is None:  # no derivative for this argument
                assert not declared, (name, i)
                continue
            onp.testing.assert_array_equal(_pullback(prim, i, args, ans, params, hidden), full)
            for v in declared:
                with pytest.raises((TypeError, AttributeError)):
                    _pullback(prim, i, args, ans, params, hidden | {v})


def test_declarations_drop_values():
    """Most elementwise rules read fewer values than the tape could keep."""
    cases = _elementwise_cases()
    lean = [n for n, p in cases if not all(ka and all(kx) for ka, kx in p.residuals)]
    assert len(lean) == len(cases), sorted(set(n for n, _ in cases) - set(lean))
