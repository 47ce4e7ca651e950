"""Reading progress that stays with the reader: what the build gives the browser.

The reader's marks live only in their browser (``localStorage``, under one
versioned key); ``docs/_static/studybook-progress.mjs`` draws the controls and
the figures and moves the marks in and out as a JSON file. The build supplies
what a page cannot know by itself:

* **The index**, ``_static/studybook-progress.json``, written with the HTML:
  every page of a part (chapters and their subpages), its part, whether it is a
  chapter of :data:`studybook.book.CHAPTERS`, and the keys of its
  ``{question}`` and ``{exercise}`` blocks (the ``data-sb-key`` of the HTML,
  from :mod:`studybook.sphinxext.questions`). The hub and the plan pages count
  from it instead of fetching every page; a chapter page does not load it.
* **The hub's per-part slots** (``hub.py`` writes one per part) and, on the
  study plans, one slot per week or path section listing the pages of the book
  that section links to (:func:`linked_pages`), which the script fills in.

A mark is named ``<docname>`` for a page and ``<docname>#<key>`` for a block.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from studybook.book import CHAPTERS, PARTS
from studybook.sphinxext.doctrees import page_doctree
from studybook.sphinxext.questions import exercise, question

__all__ = ["INDEX_FILE", "INDEX_FORMAT", "build_index", "linked_pages", "page_keys"]

INDEX_FILE = "_static/studybook-progress.json"
"""Where the index is written, relative to the HTML output's root."""

INDEX_FORMAT = "studybook-progress-index"

# dirhtml is left out: the script maps links to pages by their ".html" names.
_HTML_BUILDERS = frozenset({"html"})
_PART_IDS = frozenset(part.id for part in PARTS)
# The sections of a study plan that get a progress line: "Week 3: ..." in the
# Netflix plan, "Path 2: ..." in the quick start.
_PLAN_SECTION = re.compile(r"^(Week|Path) \d+\b")


def page_keys(doctree: nodes.Node) -> list[str]:
    """The ``sb_key`` of every question and exercise in *doctree*, in page order.

    >>> from studybook.sphinxext.questions import question
    >>> page = nodes.section()
    >>> page += question(sb_key="q-why")
    >>> page_keys(page)
    ['q-why']
    >>> page_keys("not a doctree")
    Traceback (most recent call last):
        ...
    TypeError: page_keys needs a docutils node, got 'not a doctree'

    Complexity: O(n) for n nodes.
    """
    if not isinstance(doctree, nodes.Node):
        raise TypeError(f"page_keys needs a docutils node, got {doctree!r}")
    return [
        str(node["sb_key"])
        for node in doctree.findall(lambda n: isinstance(n, question | exercise))
        if isinstance(node, nodes.Element) and node.get("sb_key")
    ]


def part_of(docname: str) -> str | None:
    """The part a page belongs to (its first folder, if that is a part), or ``None``."""
    head, sep, _ = docname.partition("/")
    return head if sep and head in _PART_IDS else None


def build_index(pages: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The progress index for the pages of a build, given each page's block keys.

    Pages outside the parts (the hub, the search page) are left out; the
    parts list their registered chapters in book order, only those built.

    >>> index = build_index({"index": [], "dsa/lsm-tree": ["q-why"], "dsa/lsm-tree/x": []})
    >>> index["pages"]
    {'dsa/lsm-tree': {'part': 'dsa', 'chapter': True, 'keys': ['q-why']}, \
'dsa/lsm-tree/x': {'part': 'dsa', 'chapter': False, 'keys': []}}
    >>> index["parts"][0]
    {'id': 'dsa', 'title': 'Data Structures & Algorithms', 'chapters': ['dsa/lsm-tree']}
    >>> build_index({"dsa/a": ["q-1", "q-1"]})
    Traceback (most recent call last):
        ...
    ValueError: page 'dsa/a' lists key 'q-1' twice

    Complexity: O(p + k) for p pages and k keys.
    """
    if not isinstance(pages, Mapping):
        raise TypeError(f"build_index needs a mapping of docname to keys, got {pages!r}")
    for docname, keys in pages.items():
        if not isinstance(docname, str) or not isinstance(keys, Sequence) or isinstance(keys, str):
            raise TypeError(
                f"build_index needs str docnames and key lists, got {docname!r}: {keys!r}"
            )
    chapters = {ch.docname for ch in CHAPTERS}
    out: dict[str, dict[str, Any]] = {}
    for docname in sorted(pages):
        keys = pages[docname]
        part = part_of(docname)
        if part is None:
            continue
        seen: set[str] = set()
        for key in keys:
            if not isinstance(key, str) or not key:
                raise ValueError(f"page {docname!r} has a bad key {key!r}")
            if key in seen:
                raise ValueError(f"page {docname!r} lists key {key!r} twice")
            seen.add(key)
        out[docname] = {"part": part, "chapter": docname in chapters, "keys": list(keys)}
    parts = [
        {
            "id": part.id,
            "title": part.title,
            "chapters": [ch.docname for ch in CHAPTERS if ch.part == part.id and ch.docname in out],
        }
        for part in PARTS
    ]
    return {"format": INDEX_FORMAT, "version": 1, "parts": parts, "pages": out}


def linked_pages(
    section: nodes.Element, docname: str, known: Iterable[str], suffix: str = ".html"
) -> list[str]:
    """The pages in *known* that links inside *section* of page *docname* point at.

    Each page once, in the order first linked; links to *docname* itself (its
    own anchors) and to pages not in *known* are left out. Works on a resolved
    doctree, where an internal link's ``refuri`` is relative to the page.

    >>> sec = nodes.section()
    >>> sec += nodes.reference(internal=True, refuri="../dsa/big-o.html#amortized")
    >>> sec += nodes.reference(internal=True, refuri="#outside-sources")
    >>> sec += nodes.reference(internal=True, refuri="../dsa/big-o.html")
    >>> linked_pages(sec, "plans/netflix", {"dsa/big-o"})
    ['dsa/big-o']

    Complexity: O(n) for n nodes in the section.
    """
    if not isinstance(section, nodes.Element):
        raise TypeError(f"linked_pages needs a docutils element, got {section!r}")
    known = set(known)
    found: dict[str, None] = {}
    for ref in section.findall(nodes.reference):
        uri = str(ref.get("refuri", "")).partition("#")[0]
        if not ref.get("internal") or not uri.endswith(suffix) or "://" in uri:
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(docname), uri))
        target = target[: -len(suffix)]
        if target in known and target != docname:
            found[target] = None
    return list(found)


# ---------------------------------------------------------------- Sphinx hooks


def _is_html(app: Sphinx) -> bool:
    return app.builder.name in _HTML_BUILDERS


def _add_progress_assets(app: Sphinx) -> None:
    """``builder-inited``: every page of the HTML book gets the script and its styles."""
    if _is_html(app):
        app.add_js_file("studybook-progress.mjs", type="module")
        app.add_css_file("studybook-progress.css")


def _note_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: remember which pages this build reads again."""
    app._studybook_progress_read = set(docnames)  # type: ignore[attr-defined]


def _collect_keys(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the block keys of every page, cached in the environment.

    Runs in the main process once every page is read (so a parallel read needs
    no merging); pages not read again keep their cached keys, and a page the
    cache lacks (an environment from before this extension) is loaded once.
    """
    cache: dict[str, list[str]] = getattr(env, "studybook_progress_keys", {})
    read: set[str] = getattr(app, "_studybook_progress_read", set(env.found_docs))
    fresh: dict[str, list[str]] = {}
    for docname in sorted(env.found_docs):
        if docname in cache and docname not in read:
            fresh[docname] = cache[docname]
        else:
            fresh[docname] = page_keys(page_doctree(app, docname))
    env.studybook_progress_keys = fresh  # type: ignore[attr-defined]


def _write_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the index next to the script."""
    if exception is not None or not _is_html(app):
        return
    keys: dict[str, list[str]] = getattr(app.env, "studybook_progress_keys", {})
    target = Path(app.outdir) / INDEX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build_index(keys), separators=(",", ":"), ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")


def _mark_plan_sections(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a progress slot under each week or path of a study plan."""
    if not _is_html(app) or part_of(docname) != "plans":
        return
    known = {doc for doc in app.env.found_docs if part_of(doc)}
    for section in doctree.findall(nodes.section):
        if not section.children or not isinstance(section[0], nodes.title):
            continue
        if not _PLAN_SECTION.match(section[0].astext()):
            continue
        docs = linked_pages(section, docname, known, getattr(app.builder, "link_suffix", ".html"))
        if not docs:
            continue
        slot = (
            f'<p class="sb-plan-progress" data-sb-docs="{html.escape(" ".join(docs))}" '
            'hidden="hidden"></p>\n'
        )
        section.insert(1, nodes.raw("", slot, format="html"))


def _add_page_name(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the page's docname for the script, and the sidebar's switch."""
    on = _is_html(app)
    context["studybook_progress"] = on
    if not on:
        return
    # A page of a part gets a "done" switch at its top; others (the hub, the
    # search page) only the sidebar's export and import.
    part = part_of(pagename)
    extra = ""
    if part is not None and pagename in app.env.found_docs:
        chapter = any(ch.docname == pagename for ch in CHAPTERS)
        extra = f' data-part="{part}" data-chapter="{str(chapter).lower()}"'
    meta = f'<meta name="studybook-page" content="{html.escape(pagename)}"{extra}>\n'
    context["metatags"] = context.get("metatags", "") + meta
