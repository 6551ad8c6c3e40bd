"""The API reference (docs/api/*.md, rendered by mkdocstrings) shows every public name: each
name in the ``__all__`` of each public module is rendered by a ``::: target`` directive
(itself, or as a member of a module directive whose filters let it through) and has a
docstring (mkdocstrings leaves out members without one, silently). A name may be left out
only by an explicit filter on its page (NumPy's dtypes and constants, for instance)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "docs" / "api"

#: the public modules, by their import name: each must be referenced
PUBLIC = [
    "fad",
    "fad.numpy",
    "fad.numpy.linalg",
    "fad.numpy.fft",
    "fad.scipy.special",
    "fad.scipy.linalg",
    "fad.scipy.stats",
    "fad.scipy.integrate",
    "fad.scipy.signal",
    "fad.scipy.optimize",
    "fad.lax",
    "fad.nn",
    "fad.random",
    "fad.debug",
    "fad.experimental",
    "fad.ad_checkpoint",
    "fad.checkpoint_policies",
    "fad.nn.initializers",
    "fad.extend",
    "fad.tree_util",
    "fad.tree",
    "fad.test_util",
    "fad.flatten_util",
    "fad.typing",
    "fad.example_libraries.optimizers",
    "fad.example_libraries.stax",
]
#: public names that are values, not functions or classes: described in a page's prose
PROSE = {("fad", "float0"): "fad.md", ("fad", "Array"): "fad.md"} | {
    ("fad.typing", alias): "utilities.md" for alias in ("Array", "ArrayLike", "PyTree")
}

#: public modules documented by a guide instead of the reference, and why
GUIDED = {
    "fad.autograd": "autograd's own API, mirrored name for name: docs/coming_from_autograd.md maps it",
}

DIRECTIVE = re.compile(r"^::: (?P<target>[\w.]+)\n(?P<options>(?:[ \t]+.*\n?)*)", re.M)


def directives():
    """``{target: options text}`` over every API page."""
    found = {}
    for page in sorted(API.glob("*.md")):
        for m in DIRECTIVE.finditer(page.read_text()):
            found[m.group("target")] = m.group("options")
    return found


def _filters(options):
    m = re.search(r"filters:\s*\[(.*)\]", options)
    if not m:
        return ["!^_"]
    return [f.strip().strip("\"'") for f in m.group(1).split(",") if f.strip()] if m else []


def _passes(name, filters):
    """mkdocstrings' rule: a name is kept when it matches every positive filter and no
    negative one."""
    for f in filters:
        if f.startswith("!"):
            if re.search(f[1:], name):
                return False
        elif not re.search(f, name):
            return False
    return True


def _public_names(module):
    """``__all__``, or (fad.numpy, which mirrors NumPy's namespace) every name without an
    underscore that is not a submodule."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_") and not inspect.ismodule(v)]
    return list(names)


DIRECTIVES = directives()


def test_every_public_module_is_referenced_or_guided():
    packages = {"fad"} | {m.rsplit(".", 1)[0] for m in PUBLIC}
    for pkg in sorted(packages):
        mod = importlib.import_module(pkg)
        for name in getattr(mod, "__all__", []):
            full = f"{pkg}.{name}"
            if inspect.ismodule(getattr(mod, name, None)) and full not in GUIDED and full not in PUBLIC:
                parent_rendered = pkg in DIRECTIVES and "members: false" not in DIRECTIVES[pkg]
                assert parent_rendered or full in DIRECTIVES, f"public module {full} is in no API page"


@pytest.mark.parametrize("modname", PUBLIC)
def test_every_name_in_all_is_rendered_with_a_docstring(modname):
    module = importlib.import_module(modname)
    rendered_whole = modname in DIRECTIVES and "members: false" not in DIRECTIVES[modname]
    filters = _filters(DIRECTIVES.get(modname, ""))
    missing, undocumented = [], []
    rendered = [getattr(module, n) for n in _public_names(module) if f"{modname}.{n}" in DIRECTIVES]
    for name in _public_names(module):
        obj = getattr(module, name)
        full = f"{modname}.{name}"
        if (modname, name) in PROSE:
            page = (API / PROSE[modname, name]).read_text()
            assert f"`{full}`" in page, f"{full} should be described on docs/api/{PROSE[modname, name]}"
            continue
        if full in DIRECTIVES:
            pass
        elif any(obj is r for r in rendered):
            continue  # an alias of a rendered name (fad.remat is fad.checkpoint)
        elif rendered_whole:
            if not _passes(name, filters):
                continue  # left out on purpose, by the page's filter
        elif inspect.ismodule(obj) and any(t.startswith(full + ".") or t == full for t in DIRECTIVES):
            pass
        else:
            missing.append(name)
            continue
        if inspect.ismodule(obj):
            continue  # a module: its members are checked under its own name
        if not (inspect.getdoc(obj) or "").strip():
            undocumented.append(name)
    assert not missing, f"{modname}: in __all__ but in no API page: {missing}"
    assert not undocumented, (
        f"{modname}: rendered without a docstring (mkdocstrings drops them): {undocumented}"
    )


@pytest.mark.parametrize("dist", importlib.import_module("fad.scipy.stats").__all__, ids=str)
def test_each_distribution_is_rendered(dist):
    target = f"fad.scipy.stats.{dist}"
    assert target in DIRECTIVES, f"{target} is in no API page"
    module = importlib.import_module(target)
    for name in _public_names(module):
        assert (inspect.getdoc(getattr(module, name)) or "").strip(), f"{target}.{name} has no docstring"
