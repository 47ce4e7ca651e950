"""Docstring examples run by Sphinx's doctest builder in their own module's namespace."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _group_docstring_examples(
    app: Sphinx, what: str, name: str, obj: object, options: Any, lines: list[str]
) -> None:
    """Wrap each ``>>>`` block of a docstring in a doctest group of its own.

    The group's setup loads the defining module's globals, so the example sees
    exactly the names it sees under ``pytest --doctest-modules``.
    """
    module = getattr(obj, "__module__", None) if what != "module" else name
    if not isinstance(module, str) or not any(ln.lstrip().startswith(">>>") for ln in lines):
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
