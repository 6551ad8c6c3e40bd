"""Griffe extension for the API reference: show fad's plain docstrings well in Markdown.

fad's docstrings are plain text with ``>>>`` examples (run by ``pytest --doctest-modules``)
and a few Sphinx roles. In Markdown a ``>>>`` line would become a nested block quote, so
this extension wraps each doctest block (prompt lines and their expected output) in a
``pycon`` code fence, and turns ``:func:`name``` into ``name``. Loaded by mkdocstrings
(``extensions:`` in mkdocs.yml); the docstrings themselves are not changed.
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc):`~?([^`]+)`")


def fence_doctests(text: str) -> str:
    """Wrap every ``>>>`` block of ``text`` (up to the next blank line) in a pycon fence."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            out += [indent + "```pycon", *(indent + b for b in block), indent + "```"]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def convert(text: str) -> str:
    return fence_doctests(_ROLE.sub(r"`\1`", text))


class DoctestFences(griffe.Extension):
    """Rewrite docstrings for Markdown rendering (see the module docstring)."""

    def on_instance(self, *, node, obj, agent, **kwargs) -> None:  # noqa: ARG002
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
