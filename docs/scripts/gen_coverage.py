"""Generate docs/coverage.md: which exported functions work under which transform, and how
much of NumPy and of ``jax.scipy``'s SciPy fad offers.

Every exported function of ``fad.numpy``, ``fad.numpy.linalg`` and ``fad.numpy.fft``, and
every function of ``fad.scipy``'s modules (each ``scipy.stats`` distribution a surface of its
own) that has a test record, is run, through each of its test records (``tests/records/*.py``),
once under ``jvp``, once under ``vjp`` and once under ``vmap``. The SciPy surfaces are found,
not listed: a module or distribution added to ``fad.scipy`` and a record added to
``tests/records/`` appear here without an edit to this script. Nothing in the table is
guessed:

* forward: ``jvp`` runs, its primal equals the plain call, and its tangent agrees with a
  central finite difference along a random direction;
* reverse: ``vjp`` runs, the cotangents have the inputs' shapes, and the adjoint identity
  ``<ct, jvp(t)> == <vjp(ct), t>`` holds;
* vmap: a batch of three equals a Python loop (every argument batched, then the first only);
* tested orders: the largest ``orders`` among the function's records, the order to which
  ``tests/test_op_records.py`` checks it with ``check_grads`` in both modes.

Non-differentiable functions (comparisons, ``argmax``, ``floor``, ...) count as passing
forward and reverse when both give exactly zero derivatives.

    python docs/scripts/gen_coverage.py            # rewrite docs/coverage.md
    python docs/scripts/gen_coverage.py --check    # exit 1 if docs/coverage.md is stale
    python docs/scripts/gen_coverage.py --stdout   # print instead of writing
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import types
import warnings

import numpy as onp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import fad  # noqa: E402
from fad._core import REGISTRY  # noqa: E402

OUT = os.path.join(ROOT, "docs", "coverage.md")

NUMPY_SURFACES = ("numpy", "numpy.linalg", "numpy.fft")
# fad.scipy's modules in the page's order; any other module fad.scipy has follows them
SCIPY_ORDER = ("special", "stats", "linalg", "signal", "integrate", "optimize")

# Published figures the page compares with.
JAX_NUMPY = (344, 390)
AUTOGRAD = (106, 104)  # functions with reverse / forward rules

# What jax.scipy offers (JAX 0.10.2): its public functions per module, and for scipy.stats
# each distribution's functions. Data, listed once with JAX installed; fad never imports JAX.
JAX_VERSION = "0.10.2"
JAX_SCIPY = {
    "special": """
        bernoulli bessel_jn beta betainc betaln boxcox boxcox1p comb dawsn digamma entr erf erfc
        erfcx erfinv exp1 expi expit expn factorial fresnel gamma gammainc gammaincc gammaln
        gammasgn hyp1f1 hyp2f1 i0 i0e i1 i1e kl_div log_ndtr log_softmax loggamma logit logsumexp
        multigammaln ndtr ndtri owens_t poch polygamma rel_entr sici softmax spence sph_harm_y
        wofz xlog1py xlogy zeta""",
    "linalg": """
        block_diag cho_factor cho_solve cholesky circulant companion convolution_matrix det dft
        eigh eigh_tridiagonal expm expm_frechet fiedler fiedler_companion funm hadamard hankel
        helmert hessenberg hilbert inv invhilbert invpascal leslie lu lu_factor lu_solve pascal
        polar qr qr_multiply rsf2csf schur solve solve_sylvester solve_triangular sqrtm svd
        toeplitz""",
    "signal": "convolve convolve2d correlate correlate2d csd detrend fftconvolve istft stft welch",
    "integrate": "trapezoid",
    "optimize": "minimize",
    "stats": """
        mode rankdata sem
        bernoulli.cdf bernoulli.logpmf bernoulli.pmf bernoulli.ppf
        beta.cdf beta.logcdf beta.logpdf beta.logsf beta.pdf beta.sf
        betabinom.logpmf betabinom.pmf binom.logpmf binom.pmf
        cauchy.cdf cauchy.isf cauchy.logcdf cauchy.logpdf cauchy.logsf cauchy.pdf cauchy.ppf cauchy.sf
        chi2.cdf chi2.logcdf chi2.logpdf chi2.logsf chi2.pdf chi2.sf
        dirichlet.logpdf dirichlet.pdf
        expon.cdf expon.logcdf expon.logpdf expon.logsf expon.pdf expon.ppf expon.sf
        gamma.cdf gamma.logcdf gamma.logpdf gamma.logsf gamma.pdf gamma.sf
        gennorm.cdf gennorm.logpdf gennorm.pdf geom.logpmf geom.pmf
        gumbel_l.cdf gumbel_l.logcdf gumbel_l.logpdf gumbel_l.logsf gumbel_l.pdf gumbel_l.ppf gumbel_l.sf
        gumbel_r.cdf gumbel_r.logcdf gumbel_r.logpdf gumbel_r.logsf gumbel_r.pdf gumbel_r.ppf gumbel_r.sf
        laplace.cdf laplace.logpdf laplace.pdf
        logistic.cdf logistic.isf logistic.logpdf logistic.pdf logistic.ppf logistic.sf
        multinomial.logpmf multinomial.pmf multivariate_normal.logpdf multivariate_normal.pdf
        nbinom.logpmf nbinom.pmf
        norm.cdf norm.isf norm.logcdf norm.logpdf norm.logsf norm.pdf norm.ppf norm.sf
        pareto.cdf pareto.logcdf pareto.logpdf pareto.logsf pareto.pdf pareto.ppf pareto.sf
        poisson.cdf poisson.entropy poisson.logpmf poisson.pmf t.logpdf t.pdf
        truncnorm.cdf truncnorm.logcdf truncnorm.logpdf truncnorm.logsf truncnorm.pdf truncnorm.sf
        uniform.cdf uniform.logpdf uniform.pdf uniform.ppf
        vonmises.logpdf vonmises.pdf wrapcauchy.logpdf wrapcauchy.pdf""",
}


def _fad_scipy(name):
    """``fad.scipy.<name>``, or None where it is not there (or SciPy is not installed)."""
    try:
        return importlib.import_module(f"fad.scipy.{name}")
    except ImportError:
        return None


def _scipy_modules():
    """The modules of ``fad.scipy`` (found, not listed), SCIPY_ORDER's first."""
    try:
        import fad.scipy as fad_scipy
    except ImportError:  # SciPy not installed
        return ()
    found = [m.name for m in pkgutil.iter_modules(fad_scipy.__path__) if not m.name.startswith("_")]
    return tuple([m for m in SCIPY_ORDER if m in found] + sorted(m for m in found if m not in SCIPY_ORDER))


def _distributions(package):
    """The public submodules of a fad.scipy module (``scipy.stats``' distributions), by name."""
    names = getattr(package, "__all__", None) or dir(package)
    return sorted(
        n
        for n in names
        if not n.startswith("_")
        and isinstance(getattr(package, n, None), types.ModuleType)
        and getattr(package, n).__name__.startswith(package.__name__ + ".")
    )


def scipy_surfaces():
    """fad.scipy's surfaces: each module of SCIPY_MODULES that exists, with ``scipy.stats``
    split into its distributions (and its own functions, if it has any)."""
    out = []
    for m in SCIPY_MODULES:
        mod = _fad_scipy(m)
        if mod is None:
            continue
        subs = _distributions(mod)
        if subs:  # a package of modules (scipy.stats: one per distribution)
            if exported_functions(f"scipy.{m}"):
                out.append(f"scipy.{m}")
            out += [f"scipy.{m}.{d}" for d in subs]
        else:
            out.append(f"scipy.{m}")
    return tuple(out)


# ------------------------------------------------------------------- the exported surface


def _module(surface):
    return importlib.import_module(f"fad.{surface}")


def _is_function(obj):
    return callable(obj) and not isinstance(obj, type)


def exported_functions(surface):
    """The public functions of ``fad.<surface>``: its ``__all__`` when it has one, else every
    public callable that is not a type (the rule of tests/test_registry.py)."""
    mod = _module(surface)
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in dir(mod) if not n.startswith("_")]
    return sorted(n for n in names if _is_function(getattr(mod, n)))


SCIPY_MODULES = _scipy_modules()
SURFACES = NUMPY_SURFACES + scipy_surfaces()


def recorded_names():
    from tests.records import all_records

    return frozenset(r.name for r in all_records())


def all_exported():
    """``[(qualified name below fad, function)]`` over every surface, in table order: every
    exported function of NumPy's surfaces, and those of fad.scipy's that have a record."""
    recorded = recorded_names()
    return [
        (f"{s}.{n}", getattr(_module(s), n))
        for s in SURFACES
        for n in exported_functions(s)
        if s in NUMPY_SURFACES or f"{s}.{n}" in recorded
    ]


def load_primitives():
    """Import every fad module (so every primitive is declared), then snapshot REGISTRY."""
    for info in pkgutil.walk_packages(fad.__path__, "fad."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    return sorted((n, p) for n, p in REGISTRY.items() if not n.startswith("_test_"))


# ----------------------------------------------------------------------- running a record


def _leaves(tree):
    return [onp.asarray(x) for x in fad.tree_util.tree_leaves(tree)]


def _is_float(a):
    return onp.asarray(a).dtype.kind in "fc"


def _close(a, b, rtol, atol):
    a, b = onp.asarray(a), onp.asarray(b)
    if a.shape != b.shape:
        return False
    return bool(onp.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _short(exc):
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    msg = f"{type(exc).__name__}: {msg}"
    return msg if len(msg) <= 90 else msg[:87] + "..."


class Fail(Exception):
    """A transform ran but gave a wrong or malformed answer."""


def _closed_over_floats(rec, args):
    """``(g, float_args)``: ``rec.fun`` as a function of its float arguments only."""
    idx = [i for i, a in enumerate(args) if _is_float(a)]

    def g(*fargs):
        full = list(args)
        for i, a in zip(idx, fargs, strict=True):
            full[i] = a
        return rec.fun(*full)

    return g, [args[i] for i in idx]


def _no_object(tree, what):
    for leaf in _leaves(tree):
        if leaf.dtype == object:
            raise Fail(f"{what} is an object array")


def _random(rng, like):
    """Random values of the shape and dtype of ``like`` (complex: both parts random)."""
    dt = onp.asarray(like).dtype
    r = rng.normal(size=onp.shape(like))
    return (r + 1j * rng.normal(size=onp.shape(like))).astype(dt) if dt.kind == "c" else r.astype(dt)


def _pair(a, b):
    """The real pairing ``Re(sum(a * b))`` of a cotangent with a tangent (JAX's, no conjugate)."""
    return float(onp.sum(onp.asarray(a) * onp.asarray(b)).real)


def is_complex_record(rec):
    return rec.variant.startswith("complex")


def check_forward(rec, g, fargs, out, rng):
    ts = [_random(rng, a) for a in fargs]
    primal, tangent = fad.jvp(g, tuple(fargs), tuple(ts))
    _no_object(primal, "jvp primal")
    _no_object(tangent, "jvp tangent")
    p_leaves, t_leaves, o_leaves = _leaves(primal), _leaves(tangent), _leaves(out)
    if len(p_leaves) != len(o_leaves) or len(t_leaves) != len(o_leaves):
        raise Fail("jvp output structure differs from the plain call")
    for p, o, t in zip(p_leaves, o_leaves, t_leaves, strict=True):
        if not _close(p, o, 1e-12, 1e-12):
            raise Fail("jvp primal differs from the plain call")
        if t.shape != o.shape:
            raise Fail(f"jvp tangent has shape {t.shape}, output {o.shape}")
    if rec.orders == 0:
        if any(onp.any(t != 0) for t in t_leaves):
            raise Fail("non-differentiable function has a nonzero tangent")
        return ts, tangent
    eps = 1e-6
    hi = _leaves(g(*[a + eps * t for a, t in zip(fargs, ts, strict=True)]))
    lo = _leaves(g(*[a - eps * t for a, t in zip(fargs, ts, strict=True)]))
    for t, h, low in zip(t_leaves, hi, lo, strict=True):
        if t.dtype.kind not in "fc":
            continue
        fd = (h - low) / (2 * eps)
        if not _close(t, fd, 10 * rec.rtol, 10 * rec.atol):
            raise Fail(f"jvp tangent differs from finite differences by {onp.max(onp.abs(t - fd)):.2g}")
    return ts, tangent


def check_reverse(rec, g, fargs, out, ts, tangent, rng):
    primal, pullback = fad.vjp(g, *fargs)
    _no_object(primal, "vjp primal")
    cts = fad.tree_util.tree_map(
        lambda o: _random(rng, o) if _is_float(o) else onp.zeros(onp.shape(o), onp.asarray(o).dtype),
        primal,
    )
    grads = pullback(cts)
    _no_object(grads, "vjp cotangent")
    g_leaves = _leaves(grads)
    if len(g_leaves) != len(fargs):
        raise Fail("vjp returned the wrong number of cotangents")
    for c, a in zip(g_leaves, fargs, strict=True):
        if c.shape != onp.shape(a):
            raise Fail(f"vjp cotangent has shape {c.shape}, input {onp.shape(a)}")
    if rec.orders == 0:
        if any(onp.any(c != 0) for c in g_leaves):
            raise Fail("non-differentiable function has a nonzero cotangent")
        return
    if tangent is None:
        return
    lhs = sum(_pair(c, t) for c, t in zip(_leaves(cts), _leaves(tangent), strict=True) if _is_float(c))
    rhs = sum(_pair(c, t) for c, t in zip(g_leaves, ts, strict=True))
    if not _close(lhs, rhs, 1e-6, 1e-8):
        raise Fail(f"adjoint identity fails: <ct, jvp t> = {lhs:.6g}, <vjp ct, t> = {rhs:.6g}")


def check_vmap(rec):
    batch = [rec.args(10 + i) for i in range(3)]
    stacked = [onp.stack(col) for col in zip(*batch, strict=True)]
    _compare_batched(fad.vmap(rec.fun)(*stacked), [rec.fun(*b) for b in batch])
    if len(stacked) > 1:
        fixed = batch[0][1:]
        got = fad.vmap(rec.fun, in_axes=(0,) + (None,) * len(fixed))(stacked[0], *fixed)
        _compare_batched(got, [rec.fun(b[0], *fixed) for b in batch])


def _compare_batched(got, expected):
    _no_object(got, "vmap output")
    got_leaves = _leaves(got)
    cols = [_leaves(e) for e in expected]
    if len(got_leaves) != len(cols[0]):
        raise Fail("vmap output structure differs from the loop")
    for k, leaf in enumerate(got_leaves):
        if not _close(leaf, onp.stack([c[k] for c in cols]), 1e-10, 1e-12):
            raise Fail("vmap differs from a Python loop")


def run_record(rec):
    """``{"forward"|"reverse"|"vmap": None (passed) or a short failure message}``."""
    result = {}
    rng = onp.random.default_rng(0)
    args = rec.args(0)
    g, fargs = _closed_over_floats(rec, args)
    ts = tangent = None
    try:
        out = g(*fargs)
        _no_object(out, "the value")
    except Exception as exc:  # noqa: BLE001 - reported in the table
        msg = _short(exc)
        return {"forward": msg, "reverse": msg, "vmap": msg}
    if not fargs:  # an integer-only function: nothing to differentiate, if it claims nothing
        msg = "no float argument in its records"
        result["forward"] = result["reverse"] = None if rec.orders == 0 else msg
    else:
        try:
            ts, tangent = check_forward(rec, g, fargs, out, rng)
            result["forward"] = None
        except Exception as exc:  # noqa: BLE001
            result["forward"] = _short(exc)
        try:
            check_reverse(rec, g, fargs, out, ts, tangent, rng)
            result["reverse"] = None
        except Exception as exc:  # noqa: BLE001
            result["reverse"] = _short(exc)
    try:
        check_vmap(rec)
        result["vmap"] = None
    except Exception as exc:  # noqa: BLE001
        result["vmap"] = _short(exc)
    return result


# --------------------------------------------------------------------------- the document


def _cell(failures, n_records, zero):
    if not failures:
        return "✓ (zero)" if zero else "✓"
    rec_id, msg = failures[0]
    more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
    return f"✗ `{rec_id}`: {msg}{more}".replace("|", "\\|")


def collect():
    from tests.records import all_records

    records = all_records()
    by_name: dict[str, list] = {}
    for r in records:
        by_name.setdefault(r.name, []).append(r)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with onp.errstate(all="ignore"):
            for name, _ in all_exported():
                every = by_name.get(name, [])
                recs = [r for r in every if not is_complex_record(r)]
                fails = {"forward": [], "reverse": [], "vmap": []}
                for rec in recs:
                    res = run_record(rec)
                    for k, msg in res.items():
                        if msg is not None:
                            fails[k].append((rec.id, msg))
                complex_fails = []  # the complex records: every transform in one column
                n_complex = 0
                for rec in every:
                    if is_complex_record(rec):
                        n_complex += 1
                        complex_fails += [(rec.id, f"{k}: {m}") for k, m in run_record(rec).items() if m]
                orders = max((r.orders for r in recs), default=None)
                rows.append(
                    {
                        "name": name,
                        "records": len(recs),
                        "fails": fails,
                        "orders": orders,
                        "complex": (n_complex, complex_fails),
                    }
                )
    return rows, len(records)


def numpy_comparison():
    """NumPy's public callables (not types), and those fad.numpy leaves out."""
    import fad.numpy as fnp

    names = [n for n in dir(onp) if not n.startswith("_") and _is_function(getattr(onp, n))]
    return names, [n for n in names if not hasattr(fnp, n)]


# Why NumPy callables are left out of fad.numpy (the rest: not yet written).
OUT_OF_SCOPE = {
    "files, buffers, printing, configuration and introspection (no array values to differentiate)": """
        array2string array_repr array_str base_repr binary_repr format_float_positional
        format_float_scientific fromfile fromregex fromstring frombuffer from_dlpack genfromtxt
        get_include get_printoptions getbufsize info load loadtxt may_share_memory nested_iters
        printoptions save savetxt savez savez_compressed set_printoptions setbufsize
        shares_memory show_config show_runtime test typename""",
    "in-place writes (traced values are immutable: use x.at[idx].set(v) or where)": """
        copyto putmask""",
    "dates, the matrix class and memory layout (use NumPy's on the values)": """
        busday_count busday_offset datetime_as_string datetime_data is_busday isnat asmatrix bmat
        isfortran require frompyfunc""",
    "packing bits into bytes (uint8 buffers; no derivative, NumPy's are exact)": "packbits unpackbits",
}


def _out_of_scope():
    return {n: why for why, names in OUT_OF_SCOPE.items() for n in names.split()}


def render(rows, n_records, prims):
    passing = [r for r in rows if r["records"] and not any(r["fails"].values())]
    untested = [r["name"] for r in rows if not r["records"]]
    diff = [r for r in rows if r["orders"]]
    second = [r for r in diff if r["orders"] >= 2]
    fwd = sum(1 for r in rows if r["records"] and not r["fails"]["forward"])
    rev = sum(1 for r in rows if r["records"] and not r["fails"]["reverse"])
    vm = sum(1 for r in rows if r["records"] and not r["fails"]["vmap"])
    by_surface = {s: [r for r in rows if r["name"].rsplit(".", 1)[0] == s] for s in SURFACES}
    by_surface = {s: rs for s, rs in by_surface.items() if rs}
    np_names, np_missing = numpy_comparison()
    np_have = len(np_names) - len(np_missing)
    scope = _out_of_scope()
    skipped = [n for n in np_missing if n in scope]
    todo = [n for n in np_missing if n not in scope]

    L = []
    L.append("# Coverage: every exported function under every transform")
    L.append("")
    L.append(
        "<!-- Generated by docs/scripts/gen_coverage.py from fad's primitive registry and the test "
        "records in tests/records/; do not edit. tests/test_coverage_doc.py fails when it is stale: "
        "run `python docs/scripts/gen_coverage.py`. -->"
    )
    L.append("")
    L.append(
        f"**{len(rows)} exported functions, {len(passing)} pass every transform** "
        f"(forward `jvp`, reverse `vjp`/`grad`, `vmap`), each run on its {n_records} test records "
        "rather than assumed (every function of `fad.numpy`, and those of `fad.scipy` that have a "
        "record; the SciPy section lists the others): "
        f"{fwd} pass forward, {rev} reverse, {vm} vmap. "
        f"{len(diff)} are differentiable and checked with `check_grads` in both modes "
        f"(finite differences and the adjoint identity), {len(second)} of them to second order or "
        f"higher; the other {len(rows) - len(diff)} are piecewise constant or integer-valued "
        "(comparisons, `argmax`, `floor`, ...), and their forward and reverse derivatives are "
        "exactly zero."
    )
    L.append("")
    rest = (
        "."
        if len(passing) == len(rows)
        else f"; the other {len(rows) - len(passing)} are listed below with what they raise."
    )
    L.append(
        f"For comparison: `jax.numpy` offers {JAX_NUMPY[0]} of NumPy's "
        f"~{JAX_NUMPY[1]} callables, all differentiable; HIPS/autograd wraps 377 but has reverse "
        f"rules for only ~{AUTOGRAD[0]} and forward rules for ~{AUTOGRAD[1]} (none in forward mode "
        "for linear algebra). fad is narrower than both and deeper than autograd: "
        f"`fad.numpy` has {np_have} of NumPy's {len(np_names)} public callables (numpy "
        f"{onp.__version__}), and {len(passing)} of its {len(rows)} exported functions, linear "
        f"algebra included, pass forward, reverse and vmap on every record{rest} "
        f"Of the {len(np_missing)} NumPy callables fad leaves out, "
        + (f"all {len(skipped)}" if len(skipped) == len(np_missing) else str(len(skipped)))
        + " are out of scope "
        "(files and printing, in-place writes, dates, bit packing; the reasons are at the end)"
        + (
            f" and {len(todo)} are not written yet, listed there too."
            if todo
            else ", and none is left unwritten."
        )
        + " How `fad.scipy` compares with `jax.scipy`, module by module, is in its own section."
    )
    L.append("")
    L.append("| surface | functions | pass every transform | differentiable |")
    L.append("|---|---:|---:|---:|")
    for s, rs in by_surface.items():
        ok = sum(1 for r in rs if r in passing)
        d = sum(1 for r in rs if r["orders"])
        L.append(f"| `fad.{s}` | {len(rs)} | {ok} | {d} |")
    L.append("")
    if untested:
        L.append("Exported without a test record (not run): " + ", ".join(f"`{n}`" for n in untested) + ".")
        L.append("")
    failing = [r for r in rows if r["records"] and any(r["fails"].values())]
    if failing:
        L.append(
            "Failing a transform: "
            + ", ".join(f"`{r['name']}`" for r in failing)
            + " (details in the table)."
        )
        L.append("")
    L.append(
        "How each cell is decided: **forward**, `jvp` runs, its primal equals the plain call and "
        "its tangent matches a central finite difference; **reverse**, `vjp` runs, the cotangents "
        "have the inputs' shapes and `<ct, jvp(t)> == <vjp(ct), t>`; **vmap**, a batch of three "
        "equals a Python loop. ✓ (zero): not differentiable, and the derivative is exactly zero. "
        "**Tested orders** is the order to which `tests/test_op_records.py` runs `check_grads` "
        "(both modes), plus `jacfwd == jacrev`. **complex**: the function's complex records "
        "(`tests/records/complex.py`: its real records with complex arguments) pass forward, "
        "reverse and vmap, with complex finite differences and the pairing `Re(sum(ct * t))` "
        "of JAX's convention (docs/conventions.md); — where it has none (real-only, or not "
        "yet given one)."
    )
    L.append("")
    for s, rs in by_surface.items():
        L.append(f"## `fad.{s}`")
        L.append("")
        L.append(
            "| function | forward (jvp) | reverse (vjp/grad) | vmap | tested orders | complex | records |"
        )
        L.append("|---|---|---|---|---|---|---:|")
        for r in rs:
            zero = r["orders"] == 0
            if r["records"]:
                cells = [
                    _cell(r["fails"][k], r["records"], zero and k != "vmap")
                    for k in ("forward", "reverse", "vmap")
                ]
            else:
                cells = ["no record"] * 3
            order = "n/a (not differentiable)" if zero else ("—" if r["orders"] is None else str(r["orders"]))
            short = r["name"][len(s) + 1 :]
            n_complex, complex_fails = r["complex"]
            cplx = "—" if not n_complex else _cell(complex_fails, n_complex, False)
            L.append(
                f"| `{short}` | {cells[0]} | {cells[1]} | {cells[2]} | {order} | {cplx} | {r['records']} |"
            )
        L.append("")

    L += _scipy_section(rows)

    L.append("## Primitives")
    L.append("")
    n_diff = sum(1 for _, p in prims if p.differentiable)
    L.append(
        f"{len(prims)} primitives are registered ({n_diff} differentiable). Every exported function "
        "above is built from these; a primitive that is not differentiable needs no jvp/vjp rule "
        "(forward and reverse mode treat its output as a constant)."
    )
    L.append("")
    L.append("| primitive | jvp | vjp | batch | differentiable |")
    L.append("|---|---|---|---|---|")
    for name, p in prims:

        def mark(rule, p=p):
            if callable(rule):
                return "✓"
            return "— (zero)" if not p.differentiable else "✗"

        L.append(
            f"| `{name}` | {mark(p.jvp)} | {mark(p.vjp)} | {'✓' if callable(p.batch) else '✗'} | "
            f"{'yes' if p.differentiable else 'no'} |"
        )
    L.append("")

    L.append("## Left out")
    L.append("")
    L.append(f"NumPy callables not in `fad.numpy` that are out of scope ({len(skipped)}), by reason:")
    L.append("")
    for why, names in OUT_OF_SCOPE.items():
        got = [n for n in names.split() if n in np_missing]
        if got:
            L.append(f"- {why}: " + ", ".join(f"`{n}`" for n in got) + ".")
    L.append("")
    if todo:
        L.append(
            f"Not written yet ({len(todo)}): "
            + ", ".join(f"`{n}`" for n in todo)
            + ". Until they land, compose them from the functions above, or add them as "
            "described in docs/custom_rules.md."
        )
        L.append("")
    return "\n".join(L)


def _scipy_functions(module):
    """The functions ``fad.scipy.<module>`` exports, named as in JAX_SCIPY (a distribution's
    as ``dist.function``)."""
    mod = _fad_scipy(module)
    if mod is None:
        return []
    subs = _distributions(mod)
    own = exported_functions(f"scipy.{module}")
    return own + [f"{d}.{n}" for d in subs for n in exported_functions(f"scipy.{module}.{d}")]


def _scipy_section(rows):
    """SciPy module by module: what fad exports, how much of it is checked, against jax.scipy."""
    passing = {r["name"] for r in rows if r["records"] and not any(r["fails"].values())}
    recorded = {r["name"] for r in rows if r["records"]}
    L = ["## SciPy against `jax.scipy`", ""]
    L.append(
        f"Each module of `fad.scipy` against the functions `jax.scipy` offers (JAX {JAX_VERSION}; "
        "for `scipy.stats`, each distribution's functions, as `norm.cdf`). **recorded** counts "
        "the functions with a test record, run through every transform in the tables above; "
        "**pass** those that pass all of them."
    )
    L.append("")
    L.append(
        "| module | fad exports | recorded | pass | jax.scipy offers | fad has of those | "
        "only in jax.scipy | only in fad |"
    )
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    details = []
    for m in SCIPY_MODULES:
        have = _scipy_functions(m)
        jax = JAX_SCIPY.get(m, "").split()
        qual = [f"scipy.{m}.{n}" for n in have]
        both = [n for n in jax if n in have]
        only_fad = [n for n in have if n not in jax]
        L.append(
            f"| `scipy.{m}` | {len(have)} | {sum(q in recorded for q in qual)} | "
            f"{sum(q in passing for q in qual)} | {len(jax)} | {len(both)} | {len(jax) - len(both)} | "
            f"{len(only_fad)} |"
        )
        missing = [n for n in jax if n not in have]
        unrecorded = [n for n, q in zip(have, qual, strict=True) if q not in recorded]
        if missing:
            details.append(
                f"- `scipy.{m}`, in `jax.scipy` only: " + ", ".join(f"`{n}`" for n in missing) + "."
            )
        if unrecorded:
            details.append(
                f"- `scipy.{m}`, exported without a test record (tested in its own test file, not "
                "in the tables above): " + ", ".join(f"`{n}`" for n in unrecorded) + "."
            )
    L.append("")
    L += details
    if details:
        L.append("")
    return L


def generate():
    prims = load_primitives()
    rows, n_records = collect()
    return render(rows, n_records, prims)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/coverage.md is out of date")
    ap.add_argument("--stdout", action="store_true", help="print the document instead of writing it")
    ns = ap.parse_args(argv)
    text = generate()
    if ns.stdout:
        sys.stdout.write(text)
        return 0
    if ns.check:
        try:
            with open(OUT, encoding="utf-8") as fh:
                current = fh.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            print("docs/coverage.md is out of date: run `python docs/scripts/gen_coverage.py`.")
            return 1
        return 0
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
