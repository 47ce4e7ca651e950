"""The sidebar's navigation tree, computed once per build instead of once per page.

Furo draws every page's sidebar from the global table of contents, asking
Sphinx for ``toctree(collapse=False, titles_only=True, maxdepth=-1,
includehidden=True)``. Sphinx builds that tree afresh for each page: for each
of the book's pages it copies the page's whole table of contents (every
section and every documented API object) and then keeps only the titles. The
cost is the number of pages written times the size of every page's table of
contents, so it grew faster than the book: profiled on the full book (104
pages and 356 highlighted-source pages), it was nearly half the HTML build.

Only two things in that tree depend on the page it is drawn on: the links are
relative to the page, and the branch leading to the page is marked
``current`` (the page's own link pointing at ``#``). So the tree is resolved
once, relative to the root document, and for each page a copy of it gets the
``current`` branch and relative links, exactly as Sphinx marks and rewrites
them (``sphinx.environment.adapters.toctree._toctree_add_classes`` and the end
of ``_resolve_toctree``). Any other ``toctree()`` call a template makes goes
to Sphinx unchanged.

Setting ``STUDYBOOK_CHECK_NAVIGATION=1`` makes every page compare the shared
tree with the one Sphinx computes and fail the build on any difference; a
test runs that comparison on a small book, and the full book was compared
once when this was written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.errors import ExtensionError
from sphinx.util.osutil import relative_uri

# Exactly the arguments Furo's _compute_navigation_tree passes.
_FURO_TREE = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
_ABSOLUTE = ("http://", "https://", "mailto:", "#")


def _root_tree(builder: StandaloneHTMLBuilder) -> nodes.Element | None:
    """The navigation tree resolved for the root document, once per build."""
    cache: dict[str, nodes.Element | None] = builder.__dict__.setdefault("_sb_navigation", {})
    if "root" not in cache:
        cache["root"] = global_toctree_for_doc(
            builder.env,
            builder.config.root_doc,
            builder,
            tags=builder.tags,
            collapse=False,
            titles_only=True,
            maxdepth=-1,
            includehidden=True,
        )
    return cache["root"]


def _targets(builder: StandaloneHTMLBuilder, root: nodes.Element) -> frozenset[str]:
    """Every page the root tree links to, as a path from the book's root, once per build."""
    cache: dict[str, frozenset[str]] = builder.__dict__.setdefault("_sb_navigation_targets", {})
    if "root" not in cache:
        root_uri = builder.get_target_uri(builder.config.root_doc)
        cache["root"] = frozenset(  # without fragments: relative_uri ignores them too
            _join(root_uri, str(ref["refuri"])).split("#", 1)[0]
            for ref in root.findall(nodes.reference)
            if not str(ref["refuri"]).startswith(_ABSOLUTE)
        )
    return cache["root"]


def tree_for(builder: StandaloneHTMLBuilder, pagename: str) -> str:
    """The navigation tree's HTML for *pagename*, as Sphinx would render it.

    Rendered once per folder for the pages the tree does not list (the 356
    highlighted-source pages, the indices), whose tree differs only in how
    deep its links start, and once for each page it lists.
    """
    root = _root_tree(builder)
    if root is None:
        return builder.render_partial(None)["fragment"]
    here = builder.get_target_uri(pagename)
    listed = here in _targets(builder, root)
    key = (here.rsplit("/", 1)[0] if "/" in here else "", here if listed else None)
    rendered: dict[tuple[str, str | None], str] = builder.__dict__.setdefault(
        "_sb_navigation_html", {}
    )
    if key not in rendered:
        rendered[key] = _render(builder, root, here)
    return rendered[key]


def _render(builder: StandaloneHTMLBuilder, root: nodes.Element, here: str) -> str:
    """The root tree with links relative to the page *here* and its branch marked current."""
    tree = root.deepcopy()
    root_uri = builder.get_target_uri(builder.config.root_doc)
    for ref in tree.findall(nodes.reference):
        target = str(ref["refuri"])
        if target.startswith(_ABSOLUTE):
            continue
        # Links in the cached tree are relative to the root document.
        absolute = _join(root_uri, target)
        if absolute == here and not ref.get("anchorname"):
            branch: nodes.Element | None = ref
            while branch is not None:
                branch["classes"].append("current")
                branch = branch.parent
            ref["refuri"] = ""
        else:
            ref["refuri"] = relative_uri(here, absolute)
    return builder.render_partial(tree)["fragment"]


_CAPTION = '<p class="caption" role="heading">'


def with_caption_levels(tree: str) -> str:
    """*tree* with each part's caption a level-2 heading for assistive technology.

    Sphinx 9 writes a toctree caption as ``<p class="caption" role="heading">``
    with no ``aria-level``, which ARIA requires of a heading (axe's
    ``aria-required-attr``, on every page's sidebar). The parts are the book's
    top-level divisions, under the page's one ``<h1>``: level 2.

    >>> with_caption_levels('<p class="caption" role="heading"><span>Basics</span></p>')
    '<p class="caption" role="heading" aria-level="2"><span>Basics</span></p>'
    """
    return tree.replace(_CAPTION, _CAPTION.removesuffix(">") + ' aria-level="2">')


def _join(base: str, target: str) -> str:
    """Resolve *target*, relative to the page *base*, to a path from the book's root."""
    folder = base.rsplit("/", 1)[0] + "/" if "/" in base else ""
    parts: list[str] = []
    for part in (folder + target).split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _share_navigation(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Give the page a ``toctree()`` that answers Furo's question from the shared tree.

    Connected to ``html-page-context`` ahead of Furo's handler (which reads
    ``context["toctree"]``), for the HTML builder only.
    """
    builder = app.builder
    original: Callable[..., str] | None = context.get("toctree")
    if original is None or builder.name != "html" or not isinstance(builder, StandaloneHTMLBuilder):
        return
    check = os.environ.get("STUDYBOOK_CHECK_NAVIGATION") == "1"

    def toctree(**kwargs: Any) -> str:
        if kwargs != _FURO_TREE:
            return with_caption_levels(original(**kwargs))
        shared = tree_for(builder, pagename)
        if check and shared != (computed := original(**kwargs)):
            raise ExtensionError(
                f"the shared navigation tree differs from Sphinx's on {pagename!r}:\n"
                f"shared:   {shared[:2000]}\nsphinx's: {computed[:2000]}"
            )
        return with_caption_levels(shared)

    context["toctree"] = toctree
