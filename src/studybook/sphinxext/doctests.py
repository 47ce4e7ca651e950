"""Docstring examples run by Sphinx's doctest builder in their own module's namespace."""

from __future__ import annotations

import sys
from typing import Any

from sphinx.application import Sphinx


def _group_docstring_examples(
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    """Wrap each ``>>>`` block of a docstring in a doctest group of its own.

    The group's setup loads the defining module's globals, so the example sees
    exactly the names it sees under ``pytest --doctest-modules``.
    """
    if not any(ln.lstrip().startswith(">>>") for ln in lines):
        return
    module = name if what == "module" else _defining_module(name, obj)
    if module is None:
        return
    group = name.replace(".", "-")
    result = [
        f".. testsetup:: {group}",
        "",
        "   import importlib",
        f"   globals().update(vars(importlib.import_module({module!r})))",
        "",
    ]
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block: list[str] = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :])
                i += 1
            result += [f"{indent}.. doctest:: {group}", ""]
            result += [f"{indent}   {b}" for b in block]
            result.append("")
            continue
        result.append(line)
        i += 1
    lines[:] = result


def _defining_module(name: str, obj: object) -> str | None:
    """The module whose globals a docstring's examples run in under pytest.

    A function or class knows its module (``__module__``), which for a name
    re-exported by a package is the module that defines it. A property does
    not, but its getter does. Anything else (a constant, say) belongs to the
    longest importable prefix of its documented dotted name.
    """
    for candidate in (obj, getattr(obj, "fget", None)):
        module = getattr(candidate, "__module__", None)
        if isinstance(module, str) and module in sys.modules:
            return module
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in sys.modules:
            return prefix
    return None
