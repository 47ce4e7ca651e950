"""Sphinx extension that turns the docs/ folder into the studybook.

It is imported only by ``conf.py`` (the library itself never needs Sphinx).
What it adds:

* ``{question}``, ``{exercise}`` and ``{solution}`` directives. A question's
  title is the question and its body the answer, hidden until the reader opens
  it; an exercise's ``{solution}`` is hidden the same way. One directive per
  item keeps them machine-readable (a flashcard export can walk the doctree).
* The hub page: ``{studybook-hub}`` in ``index.md`` is replaced, at read time,
  by one section per part with a card per chapter (from the registry in
  :mod:`studybook.book` and each page's front matter) plus the sidebar's
  toctrees. ``{{ topics }}``-style figures are computed from the sources.
* Docstring examples run by Sphinx's doctest builder in the namespace of their
  own module, exactly as ``pytest --doctest-modules`` runs them.
* Mermaid's JavaScript is served from the book itself, and formulas are
  rendered to SVG at build time by MathJax running under Node: each pinned
  release is fetched once from the npm registry and checked against its
  integrity hash, so the HTML makes no request to another host and pages with
  math load no math script.
* An Anki deck of every ``{question}``, written next to the HTML at every
  build (``studybook.apkg``, one subdeck per part, stable note ids) and linked
  from every page's sidebar beside the PDF.
* Run buttons on every doctest example: the pinned Pyodide and the book's own
  wheel are served with the HTML and loaded on the first press (runner.py).
* Exercise checks: a ``{checks}`` block inside an ``{exercise}`` holds doctest
  examples, hidden in every output, that run against the reader's answer in
  the page (an answer box and a "Check my answer" button, Pyodide) or with
  ``python -m studybook check <chapter> <exercise> FILE`` (checks.py).
* Reading progress kept in the reader's browser: chapters, questions and
  exercises marked done, figures on the hub and the study plans, export and
  import as a JSON file (progress.py).
* Standard-library names link to docs.python.org through intersphinx and a
  local inventory (conf.py: the build machine is offline); references.py
  handles what intersphinx cannot (type variables, private runtime names),
  and anything else that does not resolve stays a nitpicky warning.
"""

from __future__ import annotations

import atexit
import functools
import gc
from typing import Any

from sphinx.application import Sphinx

from studybook.sphinxext.accessibility import _fix_page, drop_unused_viewcode_modules
from studybook.sphinxext.assets import _add_mermaid_loader, _vendor_assets
from studybook.sphinxext.checks import (
    ChecksDirective,
    _add_checks_island,
    _add_checks_script,
    _skip_checks,
    checks,
)
from studybook.sphinxext.diagrams import SvgToPdf, close_renderer, draw_diagrams, prepare_renderer
from studybook.sphinxext.doctests import _group_docstring_examples
from studybook.sphinxext.doctrees import (
    _forget_variant_page,
    _merge_variant_pages,
    _own_document,
    forget_doctrees,
    pages_read_for_another_builder,
    preload_modules,
)
from studybook.sphinxext.flashcards import _add_deck_link, _collect_cards, _write_deck
from studybook.sphinxext.hub import _expand_hub, _hub_outdated, _move_api_pages_to_appendix
from studybook.sphinxext.latex import (
    BookLaTeXBuilder,
    InventoryReferencesAsText,
    add_book_layout,
    add_glyph_fallbacks,
    stamp_latex_inputs,
)
from studybook.sphinxext.mathsvg import (
    _render_math,
    _visit_math,
    _visit_math_block,
    note_docs_to_read,
)
from studybook.sphinxext.navigation import _share_navigation
from studybook.sphinxext.progress import (
    _add_page_name,
    _add_progress_assets,
    _collect_keys,
    _mark_plan_sections,
    _note_read_docs,
    _write_index,
)
from studybook.sphinxext.pyodide import _vendor_pyodide, _write_wheel
from studybook.sphinxext.questions import (
    ExerciseDirective,
    QuestionDirective,
    SolutionDirective,
    _depart_details_html,
    _depart_div_html,
    _depart_noop,
    _depart_question_latex,
    _visit_exercise_html,
    _visit_exercise_latex,
    _visit_exercise_text,
    _visit_question_html,
    _visit_question_latex,
    _visit_question_text,
    _visit_solution_html,
    _visit_solution_latex,
    _visit_solution_text,
    exercise,
    question,
    solution,
)
from studybook.sphinxext.references import SkipHopelessFuzzySearch, _resolve_python_reference
from studybook.sphinxext.runner import DoctestDirective, _add_runner, _mark_examples

__all__ = ["setup"]


# Young objects before a collection; young collections before a middle one;
# middle ones before a full one (Python's defaults: 700, 10, 10).
GC_THRESHOLDS = (50_000, 20, 100)


@functools.cache
def _freeze_at_exit() -> None:
    """Have Python's last collection, at exit, skip what is alive then (once per process).

    A cold HTML build ends with millions of objects, most of them garbage
    that a collection would walk for about 2 s after the build is done.
    Frozen at exit (atexit runs before that collection), they are left to
    the process's end; a program that builds and goes on is unaffected.
    """
    atexit.register(gc.freeze)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, nodes and event handlers."""
    # A build holds millions of long-lived objects (the environment, every
    # page's nodes), and Python's cyclic garbage collector, at its defaults
    # (700, 10, 10), keeps walking them: a full collection may come every
    # 70,000 net allocations. Collecting less often took a cold HTML build
    # from 43 s to 37 s, for about 190 MiB more memory at its peak.
    # The thresholds are the process's: a program that runs several builds
    # (the tests do) collects less often too, for some memory.
    gc.set_threshold(*GC_THRESHOLDS)
    _freeze_at_exit()
    app.add_node(
        question,
        html=(_visit_question_html, _depart_details_html),
        latex=(_visit_question_latex, _depart_question_latex),
        text=(_visit_question_text, _depart_noop),
    )
    app.add_node(
        solution,
        html=(_visit_solution_html, _depart_details_html),
        latex=(_visit_solution_latex, _depart_noop),
        text=(_visit_solution_text, _depart_noop),
    )
    app.add_node(
        exercise,
        html=(_visit_exercise_html, _depart_div_html),
        latex=(_visit_exercise_latex, _depart_noop),
        text=(_visit_exercise_text, _depart_noop),
    )
    app.add_directive("question", QuestionDirective)
    app.add_directive("exercise", ExerciseDirective)
    app.add_directive("solution", SolutionDirective)
    app.connect("builder-inited", _vendor_assets)
    app.add_html_math_renderer("studybook_svg", (_visit_math, None), (_visit_math_block, None))
    app.connect("env-before-read-docs", note_docs_to_read)
    app.connect("env-updated", _render_math)
    app.connect("html-page-context", _add_mermaid_loader)
    app.connect("source-read", _expand_hub)
    app.connect("env-get-outdated", _hub_outdated)
    # Before Sphinx's toctree collector (priority 500): the PDF's API appendix (hub.py).
    app.connect("doctree-read", _move_api_pages_to_appendix, priority=400)
    # The PDF's and the EPUB's diagrams, drawn as each page is written (diagrams.py).
    app.connect("doctree-resolved", draw_diagrams)
    # Last on every page read: nodes from nested parses stop dragging the
    # whole environment into the page's pickled doctree (doctrees.py).
    app.connect("doctree-read", _own_document, priority=950)
    # The env-updated handlers share one unpickled copy of each page (doctrees.py).
    app.connect("env-updated", forget_doctrees, priority=990)
    app.connect("env-before-read-docs", preload_modules)
    # A build started from another builder's doctrees (seed_doctrees) reads
    # again the pages that builder reads differently (doctrees.py).
    app.connect("env-get-outdated", pages_read_for_another_builder)
    app.connect("env-purge-doc", _forget_variant_page)
    app.connect("env-merge-info", _merge_variant_pages)
    # Before Furo's handler: its navigation tree is built once per build (navigation.py).
    app.connect("html-page-context", _share_navigation, priority=400)
    app.connect("builder-inited", prepare_renderer)
    app.connect("build-finished", close_renderer)
    # The EPUB as EPUBCheck accepts it: XHTML pages, declared SVG (epub.py).
    app.setup_extension("studybook.sphinxext.epub")
    app.connect("builder-inited", add_glyph_fallbacks)
    # The LaTeX is written again only when it may differ (latex.py).
    app.add_builder(BookLaTeXBuilder, override=True)
    # After the handlers that write files and may warn (the deck, the wheel).
    app.connect("build-finished", stamp_latex_inputs, priority=900)
    app.connect("builder-inited", add_book_layout)  # title page, part pages (latex.py)
    app.add_post_transform(SvgToPdf)
    # Standard-library names print as code, not as links with URL footnotes (latex.py).
    app.add_post_transform(InventoryReferencesAsText)
    app.connect("autodoc-process-docstring", _group_docstring_examples, priority=600)
    app.connect("missing-reference", _resolve_python_reference)
    app.add_post_transform(SkipHopelessFuzzySearch)
    # Run buttons: Pyodide and the book's wheel served with the HTML (runner.py).
    app.connect("builder-inited", _vendor_pyodide)
    app.add_directive("doctest", DoctestDirective, override=True)  # + :runs-only-locally:
    app.connect("doctree-resolved", _mark_examples)
    app.connect("html-page-context", _add_runner)
    app.connect("build-finished", _write_wheel)
    # The flashcard deck: questions cached once the formulas are rendered (after
    # _render_math), the .apkg written when the HTML is.
    app.connect("env-updated", _collect_cards, priority=600)
    app.connect("build-finished", _write_deck)
    app.connect("html-page-context", _add_deck_link)
    # Reading progress: the script on every page, the index of pages and keys
    # written with the HTML, a slot per week on the study plans (progress.py).
    app.connect("builder-inited", _add_progress_assets)
    app.connect("env-before-read-docs", _note_read_docs)
    app.connect("env-updated", _collect_keys)
    app.connect("doctree-resolved", _mark_plan_sections)
    app.connect("html-page-context", _add_page_name)
    app.connect("build-finished", _write_index)
    # Exercise checks: hidden everywhere, run in the page by studybook-checks.mjs (checks.py).
    hidden = (_skip_checks, None)
    app.add_node(checks, html=hidden, latex=hidden, text=hidden, man=hidden, texinfo=hidden)
    app.add_directive("checks", ChecksDirective)
    app.connect("doctree-resolved", _add_checks_island)
    app.connect("html-page-context", _add_checks_script)
    # What axe's WCAG A/AA rules ask of markup the book does not write itself
    # (accessibility.py): focusable code blocks, viewcode back-links that land.
    app.connect("html-page-context", _fix_page)
    app.connect("env-updated", drop_unused_viewcode_modules)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
