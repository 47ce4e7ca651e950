"""Exercise checks in the HTML book: an answer box and a "Check my answer" button.

Each ``{exercise}`` with a ``{checks}`` block (see :mod:`studybook.sphinxext.questions`)
is described in a JSON island, ``<script type="application/json" id="sb-checks">``:
its key, its number on the page, the checks, the signature they call and the
page's ``{testsetup}`` and ``{testcleanup}`` code. ``docs/_static/studybook-checks.mjs``, added only
to pages with checks, gives each such exercise a labelled answer box and a
button; a press starts the page's shared Pyodide (``studybook-pyodide.mjs``)
and runs :func:`studybook.checks.check_json`, the same checker as
``python -m studybook check``. The checks themselves never appear in any
output: their node is skipped by every writer.
"""

from __future__ import annotations

import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from studybook.book import CHAPTERS
from studybook.sphinxext.pyodide import _is_html, _test_source, _wheel_name
from studybook.sphinxext.questions import ChecksDirective, _skip_checks, checks, exercise

__all__ = ["ChecksDirective", "_skip_checks", "checks", "collect_checks"]

logger = logging.getLogger(__name__)


def collect_checks(doctree: nodes.document) -> list[dict[str, Any]]:
    """Every exercise of the page that carries checks, as the page's script needs it.

    Numbers count every exercise of the page, with checks or not, so they match
    the CLI's ``python -m studybook check <chapter> <number>``.
    """
    setup, cleanup = (
        "".join(
            _test_source(node) + "\n"
            for node in doctree.findall(nodes.Element)
            if node.get("testnodetype") == kind
            and set(node.get("groups", ["default"])) & {"default", "*"}
        )
        for kind in ("testsetup", "testcleanup")
    )
    found: list[dict[str, Any]] = []
    for number, node in enumerate(doctree.findall(exercise), 1):
        inner = [child for child in node.children if isinstance(child, checks)]
        if len(inner) > 1:
            logger.warning("an {exercise} has more than one {checks} block", location=node)
        if inner:
            found.append(
                {
                    "key": node["sb_key"],
                    "number": number,
                    "title": node.children[0].astext(),
                    "checks": inner[0]["checks"],
                    "signature": inner[0]["signature"],
                    "setup": setup,
                    "cleanup": cleanup,
                }
            )
    return found


def _chapter_of(docname: str) -> str:
    for ch in CHAPTERS:
        if docname == ch.docname or docname.startswith(ch.docname + "/"):
            return ch.id
    return docname


def _add_checks_island(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Warn about misplaced ``{checks}``; on HTML pages, add the JSON island."""
    for node in doctree.findall(checks):
        if not isinstance(node.parent, exercise):
            logger.warning("{checks} must be directly inside an {exercise}", location=node)
    if not _is_html(app):
        return
    found = collect_checks(doctree)
    if not found:
        return
    page = {"wheel": _wheel_name(app.confdir), "chapter": _chapter_of(docname), "exercises": found}
    # No "<" at all in a <script>: "</script>" would end it, and "<!--<script"
    # would make the parser run past the real end tag (HTML's double-escaped state).
    payload = json.dumps(page, separators=(",", ":")).replace("<", "\\u003c")
    doctree += nodes.raw(
        "",
        f'<script type="application/json" id="sb-checks">{payload}</script>\n',
        format="html",
    )


def _add_checks_script(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if doctree is not None and _is_html(app) and any(True for _ in doctree.findall(checks)):
        app.add_js_file("studybook-checks.mjs", type="module")
