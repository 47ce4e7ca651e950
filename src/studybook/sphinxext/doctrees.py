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
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx


def _own_document(app: Sphinx, doctree: nodes.document) -> None:
    """Point every node of *doctree* at *doctree* itself (connected to ``doctree-read``)."""
    for node in doctree.findall(include_self=False):
        if node.document is not doctree:
            node.document = doctree


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


def seed_doctrees(source: Path, target: Path) -> bool:
    """Replace the doctree cache *target* with a copy of *source*, if *source* holds one.

    For a builder that reads the pages exactly as another does (the doctest
    builder and the HTML builder): started from the other's cache, Sphinx
    finds every page read and re-reads only those changed since, instead of
    the whole book. A copy, not the same folder, so neither build writes
    the other's environment. Returns whether it copied.
    """
    if source.resolve() == target.resolve():
        raise ValueError(f"the doctree cache {source} cannot be copied onto itself")
    if not (source / "environment.pickle").is_file():
        return False
    staging = target.with_name(target.name + ".seeding")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return True


def main(argv: list[str] | None = None) -> int:
    """``python -m studybook.sphinxext.doctrees SOURCE TARGET``: :func:`seed_doctrees`."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("usage: python -m studybook.sphinxext.doctrees SOURCE TARGET\n")
        return 2
    source, target = Path(args[0]), Path(args[1])
    if seed_doctrees(source, target):
        sys.stdout.write(f"{target}: seeded from {source}\n")
    else:
        sys.stdout.write(f"{target}: {source} holds no build yet; every page will be read\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
