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
from typing import Any, ParamSpec, TypeVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.ext.intersphinx import resolve_reference_in_inventory
from sphinx.transforms.post_transforms import SphinxPostTransform

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


class SkipHopelessFuzzySearch(SphinxPostTransform):
    """Spare the Python domain a scan of every object for names the book never defines.

    A reference from a signature (``int``, ``Iterator``) is "specific": when
    no exact name matches, the domain scans every documented object for one
    whose name ends in ``.int``, up to three times per reference (as a class,
    then as data, then as an attribute). With about 16,700 such references
    and thousands of objects this was 6% of a cold build. When no object of
    the book has the reference's last name component, neither an exact nor a
    fuzzy search can match, so the reference is made non-specific: the
    domain then tries only exact names, finds none as before, and intersphinx
    resolves it as before. References that could match are left alone.
    """

    default_priority = 5  # before Sphinx's ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        names = _last_components(self.env)
        for node in self.document.findall(pending_xref):
            if node.get("refdomain") != "py" or not node.hasattr("refspecific"):
                continue
            target = str(node.get("reftarget", "")).removesuffix("()")
            if target and target.rsplit(".", 1)[-1] not in names:
                del node["refspecific"]


def _last_components(env: BuildEnvironment) -> frozenset[str]:
    """The last name component of every object the Python domain documents.

    Cached on the environment while the count of objects is unchanged (it
    changes only while pages are read, before any reference is resolved).
    """
    objects = env.domains.python_domain.objects
    cached: tuple[int, frozenset[str]] | None = getattr(env, "_studybook_py_names", None)
    if cached is None or cached[0] != len(objects):
        cached = (len(objects), frozenset(name.rsplit(".", 1)[-1] for name in objects))
        env._studybook_py_names = cached  # type: ignore[attr-defined]
    return cached[1]
