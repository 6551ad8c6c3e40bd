"""The import layers of fad: no import circles, and no import inside a function to dodge one.

Every module under ``fad/`` is parsed (not imported) and its imports of fad modules are
collected, those at module level and those inside functions alike. For each package in
``PACKAGES``, the tests assert that its modules import each other without a circle and that
none of them imports inside a function, except where ``ALLOWED_LOCAL_IMPORTS`` says why.
To cover another package, add it to ``PACKAGES`` (and, for an ordering of its layers, give
``cycles`` the modules of each layer).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import fad

ROOT = Path(fad.__file__).parent

# the packages whose modules must not import in a circle or inside functions
PACKAGES = ["fad.numpy", "fad.scipy", "fad._prims"]

# (importing module, imported module) -> why the import must be inside a function
ALLOWED_LOCAL_IMPORTS: dict[tuple[str, str], str] = {
    ("fad.scipy.optimize", "scipy.optimize"): "SciPy is optional: imported when root() is called",
    ("fad._program", "graphviz"): "graphviz is optional: imported when a program is drawn",
    ("fad._arguments", "tqdm.auto"): "tqdm is optional: imported when a progress bar is shown",
    ("fad.scipy._matfun", "scipy.linalg"): "SciPy is optional: imported when a Schur-based function runs",
    ("fad._prims.scipy_special", "scipy.special"): "SciPy is optional: imported when a value needs it",
}


def module_names():
    """``{module name: path}`` for every module under fad/ (a package is its __init__)."""
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = ("fad",) + path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = module_names()


def _targets(node, module, is_package):
    """The fad modules one import statement names (``from p import m`` names the module
    ``p.m`` when there is one, else ``p``)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "fad"]
    base = node.module or ""
    if node.level:  # relative
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    if base.split(".")[0] != "fad":
        return []
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def imports_of(module):
    """``[(imported fad module, line, inside a function)]`` for every import of ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), str(path))
    out = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(child, module, path.name == "__init__.py"):
                    out.append((target, child.lineno, in_function))
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, False)
    return out


def local_imports_of(module):
    """``[(imported module, line)]`` for the import statements inside functions of
    ``module``, fad's and others' alike."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), str(path))
    out = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.Import):
                    out += [(a.name, node.lineno) for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    out.append(("." * node.level + (node.module or ""), node.lineno))
    return sorted(set(out))


def import_graph():
    """``{module: {fad modules it imports}}`` over every module under fad/."""
    return {m: {t for t, _, _ in imports_of(m) if t != m} for m in MODULES}


def cycles(graph, modules):
    """The import circles among ``modules``: each strongly connected component of the
    graph restricted to them that has more than one module (Tarjan's algorithm)."""
    modules = set(modules)
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ()) & modules):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(modules):
        if v not in index:
            connect(v)
    return found


def package_modules(package):
    return sorted(m for m in MODULES if m == package or m.startswith(package + "."))


def test_the_graph_sees_fad_numpy():
    graph = import_graph()
    assert "fad.numpy._util" in graph["fad.numpy._creation"]
    assert "fad.numpy._indexing" in graph["fad.numpy._methods"]  # from fad.numpy import _indexing


def test_cycles_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph, "abcd") == [["a", "b", "c"]]
    assert cycles(graph, "abd") == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_circles(package):
    found = cycles(import_graph(), package_modules(package))
    assert not found, f"{package} has import circles: {found}"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_imports_inside_functions(package):
    bad = [
        f"{m}:{line} imports {target}"
        for m in package_modules(package)
        for target, line in local_imports_of(m)
        if (m, target) not in ALLOWED_LOCAL_IMPORTS
    ]
    assert not bad, "imports inside functions (move them to the top of the module): " + "; ".join(bad)


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_alone(package):
    """The package imports in a fresh interpreter (no circle hidden by import order)."""
    subprocess.run([sys.executable, "-c", f"import {package}"], check=True, cwd=ROOT.parent)


# The layers of the whole package, bottom first (shared/STYLE.md: core <- rules <- transforms
# <- primitives <- numpy <- api <- staging); a module may import its own layer and those
# below it, never one above.
LAYERS = [
    ("core", ["fad._fpe", "fad._tracer_api", "fad._tree", "fad._core", "fad._backend", "fad.typing"]),
    ("rules", ["fad._pattern_rules", "fad._structural", "fad._rules"]),
    ("transforms", ["fad._jvp", "fad._vjp", "fad._vmap", "fad._jet", "fad._differentiate"]),
    ("primitives", ["fad._prims"]),
    ("numpy", ["fad.numpy"]),
    (
        "api",
        [
            "fad._arguments",
            "fad._api",
            "fad._jacobians",
            "fad._remat",
            "fad.checkpoint_policies",
            "fad._custom",
            "fad.ad_checkpoint",
            "fad.extend",
            "fad.test_util",
            "fad.tree_util",
            "fad.tree",
            "fad.flatten_util",
            "fad.example_libraries",
            "fad._coloring",
            "fad._sparsity",
            "fad._sparse",
        ],
    ),
    (
        "staging",
        [
            "fad._program",
            "fad._passes",
            "fad._staging",
            "fad._jit",
            "fad._linearize",
            "fad._debug",
            "fad._loops",
            "fad._callback",
            "fad.experimental",
        ],
    ),
    (
        "control flow",
        [
            "fad._lax_ops",
            "fad._lax_conv",
            "fad.lax",
            "fad.random",
            "fad.nn",
            "fad.nn.initializers",
            "fad.example_libraries.stax",
        ],
    ),
    ("package", ["fad", "fad.__main__"]),
    ("scipy", ["fad.scipy"]),  # built on the public package (import fad)
    ("autograd", ["fad.autograd"]),  # autograd's API on the public package and fad.scipy
]


def layer_of(module):
    """The index in LAYERS of ``module`` (a package entry covers its submodules)."""
    best = None
    for k, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and (best is None or len(p) > best[1]):
                best = (k, len(p))
    return None if best is None else best[0]


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_module_imports_from_a_layer_above():
    graph = import_graph()
    bad = [
        f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]})"
        for m in sorted(graph)
        for t in sorted(graph[m])
        if layer_of(t) > layer_of(m)
    ]
    assert not bad, "imports against the layering: " + "; ".join(bad)


def test_no_import_circles_anywhere():
    found = cycles(import_graph(), list(MODULES))
    assert not found, f"import circles: {found}"
