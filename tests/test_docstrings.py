"""Every public docstring is in Google style, the style mkdocs.yml declares, so the API
reference renders a Parameters table and a Returns section for each function with no
extension rewriting the text: an ``Args:`` section naming each parameter of the signature
(and no parameter the signature lacks), a ``Returns:`` section for functions, doctests under
``Examples:``, and Markdown code spans rather than Sphinx roles."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from tests.test_api_reference import PUBLIC, _public_names

SECTION = re.compile(r"^(\w[\w ]*):\s*$")
KNOWN = {
    "Args",
    "Returns",
    "Yields",
    "Raises",
    "Examples",
    "Example",
    "Note",
    "Notes",
    "Warning",
    "Warns",
    "See Also",
    "References",
    "Attributes",
    "Methods",
    "Other Parameters",
}
ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc|ref|math):`")


def sections(doc):
    """``{name: [lines]}`` of a docstring's Google sections (top-level, unindented headers)."""
    found, current = {}, None
    for line in doc.splitlines():
        m = SECTION.match(line)
        if m and m.group(1) in KNOWN:
            current = found.setdefault(m.group(1), [])
        elif current is not None and (not line.strip() or line.startswith((" ", "\t"))):
            current.append(line)
        else:
            current = None
    return found


def documented_parameters(lines):
    """Names at the first indentation level of an ``Args:`` section (``x:``, ``*args:``,
    ``x (int):``)."""
    indent = min((len(s) - len(s.lstrip()) for s in lines if s.strip()), default=0)
    names = []
    for s in lines:
        if s.strip() and len(s) - len(s.lstrip()) == indent:
            m = re.match(r"\s*(\**\w+)\s*(?:\([^)]*\))?:", s)
            if m:
                names.append(m.group(1).lstrip("*"))
    return names


def _callables():
    """``(qualified name, object)`` for every public function and class of the reference."""
    seen = set()
    stats = importlib.import_module("fad.scipy.stats")
    modules = PUBLIC + [f"fad.scipy.stats.{d}" for d in stats.__all__]
    for modname in modules:
        module = importlib.import_module(modname)
        for name in _public_names(module):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not callable(obj) or id(obj) in seen:
                continue
            if not getattr(obj, "__module__", "").startswith("fad"):
                continue  # NumPy's own dtypes and classes, re-exported (and documented by NumPy)
            if not (inspect.isroutine(obj) or inspect.isclass(obj)):
                continue  # typing aliases, described in prose
            seen.add(id(obj))
            yield f"{modname}.{name}", obj


CALLABLES = dict(_callables())


def problems(obj):
    doc = inspect.getdoc(obj) or ""
    found = []
    if ROLE.search(doc):
        found.append("a Sphinx role (write `name` in backticks)")
    if (
        re.search(r"^\s*>>>", doc, re.M)
        and "Examples" not in sections(doc)
        and "Example" not in sections(doc)
    ):
        found.append("doctests outside an Examples: section")
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return found
    params = [p.name for p in signature.parameters.values() if p.name not in ("self", "cls")]
    if inspect.isclass(obj) and not {"__init__", "__new__"} & set(vars(obj)):
        params = []  # constructed by fad (an ndarray subclass, say), not by its users
    parts = sections(doc)
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return found  # raised by fad, not constructed by users
    args = "Attributes" if inspect.isclass(obj) and "Attributes" in parts else "Args"
    if params:
        if args not in parts:
            found.append(f"no Args: section for {params}")
        else:
            named = documented_parameters(parts[args])
            if missing := [p for p in params if p not in named]:
                found.append(f"Args: does not describe {missing}")
            if extra := [p for p in named if p not in params]:
                found.append(f"Args: describes {extra}, which the signature lacks")
    if not inspect.isclass(obj) and "Returns" not in parts and "Yields" not in parts:
        found.append("no Returns: section")
    return found


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_docstring_is_google_style(name):
    assert not (p := problems(CALLABLES[name])), f"{name}: " + "; ".join(p)
