"""Cross-references to the standard library and to type variables, resolved offline."""

from __future__ import annotations

import builtins
import importlib
import sys
from typing import ParamSpec, TypeVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_PY_DOCS = "https://docs.python.org/3/library/"
# Built-in types documented on the "Built-in Types" page rather than "Built-in Functions".
_STDTYPES = frozenset(
    [
        "int",
        "float",
        "complex",
        "bool",
        "str",
        "bytes",
        "bytearray",
        "list",
        "tuple",
        "range",
        "dict",
        "set",
        "frozenset",
        "memoryview",
    ]
)


def _resolve_stdlib_reference(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.TextElement
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    if _is_type_variable(target):
        # A TypeVar in a signature has no page of its own: show it unlinked.
        return contnode
    url = _stdlib_url(target)
    if url is None:
        return None
    ref = nodes.reference("", "", internal=False, refuri=url, reftitle=target)
    ref += contnode
    return ref


def _is_type_variable(target: str) -> bool:
    """Whether *target* names a ``TypeVar`` (or ParamSpec) defined in studybook."""
    module_name, _, name = target.rpartition(".")
    if not module_name.startswith("studybook"):
        return False
    try:
        obj = getattr(importlib.import_module(module_name), name, None)
    except ImportError:
        return False
    return isinstance(obj, TypeVar | ParamSpec)


def _stdlib_url(target: str) -> str | None:
    """Return the docs.python.org URL of a standard-library name, if it is one."""
    if "." not in target:
        obj = getattr(builtins, target, None)
        if obj is None:
            return None
        if isinstance(obj, type) and issubclass(obj, BaseException):
            return f"{_PY_DOCS}exceptions.html#{target}"
        if target in _STDTYPES:
            return f"{_PY_DOCS}stdtypes.html#{target}"
        return f"{_PY_DOCS}functions.html#{target}"
    head = target.split(".")[0]
    if head not in sys.stdlib_module_names or head == "studybook":
        return None
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            found: object = importlib.import_module(module_name)
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(found, attr):
                return None
            found = getattr(found, attr)
        return f"{_PY_DOCS}{module_name}.html#{target}"
    return None
