"""Python cross-references that intersphinx alone leaves unresolved.

Standard-library names are resolved by ``sphinx.ext.intersphinx`` from a local
inventory (conf.py). Two kinds of reference need help:

* a ``TypeVar`` or ``ParamSpec`` of our own has no documentation entry to link
  to, so it is shown unlinked (nitpicky mode would report every signature);
* a standard-library object whose runtime home is a private module: an
  annotation ``asyncio.Future[int]`` reaches Sphinx as ``_asyncio.Future``,
  and a base class ``asyncio.SelectorEventLoop`` as the platform's
  ``asyncio.unix_events._UnixSelectorEventLoop``. The Python docs list them
  under their public names, so they are looked up under those.
"""

from __future__ import annotations

import importlib
from typing import ParamSpec, TypeVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.ext.intersphinx import resolve_reference_in_inventory

# The inventory's name in conf.py's intersphinx_mapping.
_PYTHON = "python"
# Runtime location -> the name the Python docs document it under.
_DOCUMENTED_AS = {
    "_asyncio.Future": "asyncio.Future",
    "asyncio.unix_events._UnixSelectorEventLoop": "asyncio.SelectorEventLoop",
}


def _resolve_python_reference(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    if _is_type_variable(target):
        return contnode
    if target not in _DOCUMENTED_AS:
        return None
    public = node.deepcopy()
    public["reftarget"] = _DOCUMENTED_AS[target]
    return resolve_reference_in_inventory(env, _PYTHON, public, contnode)


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
