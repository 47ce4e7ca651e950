"""Keep every pickled doctree to its own page: no copy of the build environment inside.

MyST parses a ``{eval-rst}`` block (where the book's autodoc directives live)
into a nested document that shares the page's settings object, and docutils
nodes remember the document that made them. Sphinx pickles a page's doctree
after pointing a *copy* of the settings at no environment, but nodes made by
the nested parse still reach the original settings, and through them the whole
:class:`~sphinx.environment.BuildEnvironment` (every module's source for
viewcode, every page's metadata). Measured on the full book before this fix:
each chapter's doctree held such a copy, 6.9 MB for a page of about 130,000
characters of text, 245 MB of doctrees in all, and reading them back
dominated the write phase.

The fix re-homes every node to the page's own document once the page is read,
before Sphinx pickles it.

The module also lets one build start from the pages another build read
(:func:`seed_doctrees`): the HTML build from LaTeX's, the EPUB and doctest
builds from the HTML build's. Reading is most of a cold build's time, and
every builder reads nearly every page alike; the few pages a builder reads
its own way are recorded as they are read, and read again by a builder that
reads them differently (:func:`pages_read_for_another_builder`).
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import shutil
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx


def _own_document(app: Sphinx, doctree: nodes.document) -> None:
    """Point every node of *doctree* at *doctree* itself (connected to ``doctree-read``)."""
    for node in doctree.findall(include_self=False):
        if node.document is not doctree:
            node.document = doctree


ENVIRONMENT = "environment.pickle"  # Sphinx's name for the pickled environment
_MEMO = "_studybook_doctree_memo"


def page_doctree(app: Sphinx, docname: str) -> nodes.document:
    """*docname*'s doctree, unpickled at most once while ``env-updated`` handlers run.

    Three handlers read every page a build has read (the formulas to render,
    the flashcards, the progress keys); each unpickling its own copy tripled
    the cost. They only read the tree, never change it, so one copy serves
    all three, and :func:`forget_doctrees` lets it go once they are done.
    """
    memo: dict[str, nodes.document] = app.__dict__.setdefault(_MEMO, {})
    if docname not in memo:
        memo[docname] = app.env.get_doctree(docname)
    return memo[docname]


def forget_doctrees(app: Sphinx, env: object) -> None:
    """``env-updated``, after every other handler: free the shared doctrees."""
    app.__dict__.pop(_MEMO, None)


_import = importlib.import_module  # a name of its own, for the tests


def preload_modules(app: Sphinx, env: object, docnames: list[str]) -> None:
    """``env-before-read-docs``: import the book's modules once, before a parallel read forks.

    Sphinx reads and writes in parallel by forking a fresh process per batch
    of about ten pages. Each batch imported again every module its autodoc
    pages and Run buttons needed; imported here, in the parent, every fork
    starts with them. Skipped when few pages are read (a one-page edit), where
    importing the whole package would cost more than it saves.
    """
    if app.parallel <= 1 or len(docnames) < 20:
        return
    import studybook

    for module in pkgutil.walk_packages(studybook.__path__, "studybook."):
        if not module.name.startswith("studybook.sphinxext") and not module.name.endswith(
            "__main__"
        ):
            with contextlib.suppress(ImportError):  # autodoc reports it, naming the page
                _import(module.name)


# ----------------------------------------------- pages read one way per builder

_VARIANT_PAGES = "studybook_variant_pages"


def read_variant(builder_name: str) -> str:
    """How the builder *builder_name* reads the pages: ``"latex"``, or ``"html"`` like all others.

    Two of the book's read-time handlers change a page for LaTeX: the hub
    becomes the PDF's front matter, and a chapter's toctree loses its API
    page to the appendix (both hub.py). Every other builder (HTML, EPUB,
    doctest, ...) reads every page alike; the EPUB's diagrams become images
    as its pages are written (diagrams.py), not as they are read.

    >>> [read_variant(name) for name in ("html", "doctest", "epub", "dirhtml", "latex")]
    ['html', 'html', 'html', 'html', 'latex']
    """
    return "latex" if builder_name == "latex" else "html"


def note_variant_page(app: Sphinx, docname: str) -> None:
    """Record that the page *docname*, being read, reads differently for another builder.

    Each of those handlers calls this for every page it would change for
    some builder, whichever builder runs, so the environment knows which
    pages were read for which output (:func:`pages_read_for_another_builder`).
    """
    pages: dict[str, str] = app.env.__dict__.setdefault(_VARIANT_PAGES, {})
    pages[docname] = read_variant(app.builder.name)


def _forget_variant_page(app: Sphinx, env: Any, docname: str) -> None:
    """``env-purge-doc``: a page about to be read again is recorded again if it must be."""
    getattr(env, _VARIANT_PAGES, {}).pop(docname, None)


def _merge_variant_pages(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    """``env-merge-info``: what a parallel reader recorded for its pages."""
    pages: dict[str, str] = env.__dict__.setdefault(_VARIANT_PAGES, {})
    theirs: dict[str, str] = getattr(other, _VARIANT_PAGES, {})
    pages.update((docname, theirs[docname]) for docname in docnames if docname in theirs)


def pages_read_for_another_builder(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: the pages this environment holds as another builder read them.

    An environment seeded from another builder's (:func:`seed_doctrees`)
    holds every page as that builder read it; only these pages differ, and
    they are read again. An environment that was never seeded finds none.
    """
    variant = read_variant(app.builder.name)
    pages: dict[str, str] = getattr(env, _VARIANT_PAGES, {})
    return sorted(
        docname
        for docname, read_as in pages.items()
        if read_as != variant and docname in env.found_docs and docname not in removed
    )


def seed_doctrees(source: Path, target: Path) -> bool:
    """Replace the doctree cache *target* with a copy of *source*, unless *target* is newer.

    Started from another builder's cache, Sphinx finds every page read and
    re-reads only those changed since, plus the few pages that builder reads
    differently (:func:`pages_read_for_another_builder`), instead of the
    whole book. A copy, not the same folder, so neither build writes the
    other's environment. A *target* whose environment is newer than
    *source*'s is kept: it already holds more of the current book. Returns
    whether it copied.
    """
    if source.resolve() == target.resolve():
        raise ValueError(f"the doctree cache {source} cannot be copied onto itself")
    theirs, ours = source / ENVIRONMENT, target / ENVIRONMENT
    if not theirs.is_file():
        return False
    if ours.is_file() and ours.stat().st_mtime > theirs.stat().st_mtime:
        return False
    staging = target.with_name(target.name + ".seeding")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m studybook.sphinxext.seed SOURCE TARGET``: :func:`seed_doctrees`."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("usage: python -m studybook.sphinxext.seed SOURCE TARGET\n")
        return 2
    source, target = Path(args[0]), Path(args[1])
    if seed_doctrees(source, target):
        sys.stdout.write(f"{target}: seeded from {source}\n")
    elif not (target / ENVIRONMENT).is_file():
        sys.stdout.write(f"{target}: {source} holds no build yet; every page will be read\n")
    elif not (source / ENVIRONMENT).is_file():
        sys.stdout.write(f"{target}: kept, as {source} holds no build yet\n")
    else:
        sys.stdout.write(f"{target}: kept, as it is newer than {source}\n")
    return 0


if __name__ == "__main__":
    sys.exit("python -m studybook.sphinxext.doctrees is now python -m studybook.sphinxext.seed")
