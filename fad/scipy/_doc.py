"""Google-style sections for docstrings made from a table (fad.scipy's functions made by
factories, and the distributions): the parameter names come from the function itself."""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from fad.numpy._util import google_doc


def google(doc: str, args: dict[str, str], returns: str, summary: str | None = None) -> str:
    """``doc`` (its first paragraph the summary, unless ``summary`` is given) followed by
    ``Args:`` and ``Returns:``, its ``>>>`` examples moved under ``Examples:`` (fad.numpy's
    `google_doc`, with the descriptions as a dict)."""
    if summary is not None:
        doc = summary + "\n\n" + inspect.cleandoc(doc or "")
    return google_doc(doc or "", list(args.items()), returns) + "\n"


def attach(fn: Callable[..., Any], args: Sequence[str], returns: str, summary: str | None = None) -> None:
    """Give ``fn`` its sections: ``args`` describes its parameters in order (their names are
    read from ``fn``'s signature, ``*args`` written ``*name``)."""
    params = inspect.signature(fn).parameters.values()
    names = [
        ("*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else "") + p.name
        for p in params
    ]
    if len(names) != len(args):
        raise TypeError(f"{fn.__name__}: {len(names)} parameters {names}, {len(args)} descriptions")
    doc = inspect.cleandoc(fn.__doc__ or "")
    if "\nArgs:\n" in doc:  # the factory wrote generic sections: this table's replace them
        head, _, rest = doc.partition("\nArgs:\n")
        lines = rest.splitlines()
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith(">>>")), len(lines))
        doc = head + "\n\n" + textwrap.dedent("\n".join(lines[start:]))
    fn.__doc__ = google(doc, dict(zip(names, args, strict=True)), returns, summary)
    if not fn.__annotations__:  # a factory's closure: say what the public functions take
        fn.__annotations__ = {p.name: "ArrayLike" for p in params} | {"return": "Array"}
