"""The flashcard deck: every ``{question}`` of the book as an Anki note.

Each HTML build writes ``studybook.apkg`` (Anki's package format: a zip
holding a SQLite collection) next to ``index.html``, and every page's sidebar
links to it, as it links to the PDF. One card per question: the question on
the front, the answer on the back, one subdeck per part of the book.

Re-importing a newer deck updates the reader's cards instead of adding copies
(and keeps their review history): Anki matches notes by their GUID, which here
is :func:`genanki.guid_for` over the page's docname and the question's text,
and the note type and decks keep ids derived from fixed strings
(:func:`stable_id`). Editing a question's wording makes it a new card;
editing its answer updates the old one.

Answers keep what makes them readable on a phone: code as ``<pre>`` blocks and
formulas as the same SVG the HTML book shows (MathJax renders it at build
time, :mod:`studybook.sphinxext.mathsvg`), with the glyph outlines each card
needs inside the card. A formula the build has no SVG for is left as TeX
between ``\\(`` and ``\\)``, which Anki typesets itself.

Parallel builds: questions are collected in the main process once every page
is read (``env-updated``), from the environment's doctrees, and cached in the
environment per page, so a rebuild reloads only the pages it read again.
"""

from __future__ import annotations

import hashlib
import html
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki  # type: ignore[import-untyped]
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from studybook.book import PARTS
from studybook.sphinxext.doctrees import page_doctree
from studybook.sphinxext.mathsvg import _GLYPH_REF, _equations
from studybook.sphinxext.questions import question

__all__ = ["DECK_FILE", "Card", "build_package", "cards_from_doctree", "stable_id", "write_deck"]

DECK_FILE = "studybook.apkg"
"""The deck's file name, in the root of the HTML output."""

ROOT_DECK = "studybook"

# Anki's own ids are millisecond timestamps; genanki suggests picking model
# and deck ids in [2**30, 2**31). A hash of a fixed string lands there too,
# so every build, on every machine, gives the same ids.
_ID_LOW = 1 << 30

_HTML_BUILDERS = frozenset({"html", "dirhtml"})

_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left;
        line-height: 1.45; color: #1a1a1a; background: #fff; max-width: 46em; margin: auto; }
.nightMode.card, .night_mode .card { color: #e6e6e6; background: #1e1e1e; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85em; padding: 0.6em;
      background: rgba(127, 127, 127, 0.12); border-radius: 4px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; }
td, th { border: 1px solid rgba(127, 127, 127, 0.5); padding: 0.2em 0.5em; }
svg.sb-glyphs { position: absolute; width: 0; height: 0; overflow: hidden; }
.sb-equation { margin: 0.5em 0; overflow-x: auto; }
.sb-source { margin-top: 1.5em; font-size: 0.8em; opacity: 0.7; }
"""


def stable_id(name: str) -> int:
    """A model or deck id in ``[2**30, 2**31)`` derived only from ``name``.

    >>> stable_id("studybook model v1") == stable_id("studybook model v1")
    True
    >>> 2**30 <= stable_id("studybook") < 2**31
    True
    >>> stable_id("")
    Traceback (most recent call last):
        ...
    ValueError: stable_id needs a non-empty name, got ''
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"stable_id needs a non-empty name, got {name!r}")
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return _ID_LOW + int.from_bytes(digest[:4], "big") % _ID_LOW


# Changing the fields or templates needs a new model name (hence a new id):
# Anki refuses to import notes into a note type whose fields changed.
MODEL = genanki.Model(
    stable_id("studybook question v1"),
    "studybook question",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Chapter"}],
    templates=[
        {
            "name": "Question",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'
            '<div class="sb-source">{{Chapter}}</div>',
        }
    ],
    css=_CSS,
)


@dataclass(frozen=True)
class Card:
    """One question of the book, its front and back already HTML."""

    docname: str
    label: str
    front: str
    back: str
    chapter: str

    @property
    def part(self) -> str:
        """The part's id: the first folder of the page's docname (``""`` if none)."""
        head, sep, _ = self.docname.partition("/")
        return head if sep else ""

    @property
    def guid(self) -> str:
        """Anki's note GUID: stable while the page and the question's text are."""
        return str(genanki.guid_for(self.docname, self.label))


MathSvg = Callable[[str, bool], str | None]
"""Looks up a formula's SVG by (TeX, display); ``None`` when there is none."""


def cards_from_doctree(
    docname: str,
    doctree: nodes.Node,
    chapter: str,
    math_svg: MathSvg | None = None,
    glyphs: Mapping[str, str] | None = None,
) -> list[Card]:
    """One :class:`Card` per ``{question}`` in ``doctree``, in page order.

    ``math_svg`` and ``glyphs`` come from the HTML build's formula cache;
    without them formulas stay TeX between ``\\(``/``\\[`` delimiters.
    A question asked twice on one page gets ``#2``, ``#3`` after its label.
    """
    if not isinstance(docname, str) or not docname:
        raise ValueError(f"cards need the page's docname, got {docname!r}")
    if not isinstance(doctree, nodes.Node):
        raise TypeError(f"cards_from_doctree needs a docutils node, got {doctree!r}")
    cards: list[Card] = []
    seen: dict[str, int] = {}
    for node in doctree.findall(question):
        title = node.children[0]
        label = " ".join(title.astext().split())
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} #{seen[label]}"
        writer = _CardHtml(math_svg, glyphs or {})
        front = writer.card(title.children, inline=True)
        back = _CardHtml(math_svg, glyphs or {}).card(node.children[1:], inline=False)
        cards.append(Card(docname, label, front, back, html.escape(chapter)))
    return cards


_INLINE_TAGS: dict[type[nodes.Node], str] = {
    nodes.emphasis: "em",
    nodes.strong: "strong",
    nodes.subscript: "sub",
    nodes.superscript: "sup",
    nodes.title_reference: "cite",
}
_BLOCK_TAGS: dict[type[nodes.Node], str] = {
    nodes.paragraph: "p",
    nodes.bullet_list: "ul",
    nodes.enumerated_list: "ol",
    nodes.list_item: "li",
    nodes.block_quote: "blockquote",
    nodes.definition_list: "dl",
    nodes.term: "dt",
    nodes.definition: "dd",
    nodes.table: "table",
    nodes.thead: "thead",
    nodes.tbody: "tbody",
    nodes.row: "tr",
    nodes.entry: "td",
    nodes.rubric: "p",
}
_DROPPED = (
    nodes.comment,
    nodes.system_message,
    nodes.target,
    nodes.substitution_definition,
    nodes.raw,
    nodes.colspec,
    nodes.Invisible,
)


class _CardHtml:
    """Plain, self-contained HTML for one side of a card (no links into the book)."""

    def __init__(self, math_svg: MathSvg | None, glyphs: Mapping[str, str]) -> None:
        self.math_svg = math_svg
        self.glyphs = glyphs
        self.used: dict[str, None] = {}

    def card(self, children: Iterable[nodes.Node], *, inline: bool) -> str:
        body = "".join(self.node(child) for child in children)
        if inline:
            body = f"<p>{body}</p>"
        defs = "".join(self.glyphs[g] for g in self.used if g in self.glyphs)
        if defs:
            body = f'<svg class="sb-glyphs" aria-hidden="true"><defs>{defs}</defs></svg>{body}'
        return body

    def node(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return html.escape(str(node), quote=False)
        if isinstance(node, nodes.literal_block | nodes.doctest_block):
            return f"<pre><code>{html.escape(node.astext(), quote=False)}</code></pre>"
        if isinstance(node, nodes.literal):
            return f"<code>{html.escape(node.astext(), quote=False)}</code>"
        if isinstance(node, nodes.math):
            return f'<span class="sb-math">{self.formula(node.astext(), False)}</span>'
        if isinstance(node, nodes.math_block):
            parts = "".join(
                f'<div class="sb-equation">{self.formula(part, True)}</div>'
                for part in _equations(node)
            )
            return f'<div class="sb-math-block">{parts}</div>'
        if isinstance(node, nodes.image) or type(node).__name__ == "mermaid":
            return "<p><em>(A diagram: see this question in the book.)</em></p>"
        if isinstance(node, _DROPPED):
            return ""
        inner = "".join(self.node(child) for child in node.children)
        if isinstance(node, nodes.reference) and str(node.get("refuri", "")).startswith(
            ("https://", "http://")
        ):
            href = html.escape(node["refuri"], quote=True)
            return f'<a href="{href}">{inner}</a>'
        tag = _INLINE_TAGS.get(type(node)) or _BLOCK_TAGS.get(type(node))
        return f"<{tag}>{inner}</{tag}>" if tag else inner

    def formula(self, tex: str, display: bool) -> str:
        svg = self.math_svg(tex, display) if self.math_svg else None
        if svg is None:
            left, right = ("\\[", "\\]") if display else ("\\(", "\\)")
            return html.escape(f"{left}{tex}{right}", quote=False)
        self.used.update(dict.fromkeys(_GLYPH_REF.findall(svg)))
        # One line: Anki (and genanki's tag check) read a tag as ending at its line.
        label = html.escape(" ".join(tex.split()), quote=True)
        return f'<span role="img" aria-label="{label}">{svg}</span>'


def build_package(cards: Iterable[Card]) -> genanki.Package:
    """The Anki package: a subdeck per part (in book order), a note per card."""
    titles = {part.id: f"{_roman(i)}. {part.title}" for i, part in enumerate(PARTS, 1)}
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        if not isinstance(card, Card):
            raise TypeError(f"build_package needs Card objects, got {card!r}")
        name = f"{ROOT_DECK}::{titles[card.part]}" if card.part in titles else ROOT_DECK
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(stable_id(f"studybook deck {name}"), name)
        tags = [f"studybook::{card.docname.replace('/', '::')}"]
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[card.front, card.back, card.chapter],
                sort_field=card.label,
                tags=tags,
                guid=card.guid,
            )
        )
    return genanki.Package(list(decks.values()))


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


def write_deck(cards: Iterable[Card], path: Path, timestamp: float | None = None) -> int:
    """Write the ``.apkg`` to ``path``; return how many notes it holds.

    ``timestamp`` (seconds) becomes the notes' modification time, which Anki
    compares to decide whether an import updates a card; it defaults to now,
    or to ``SOURCE_DATE_EPOCH`` for reproducible builds.
    """
    if timestamp is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        timestamp = float(epoch) if epoch else time.time()
    if not isinstance(timestamp, int | float) or isinstance(timestamp, bool):
        raise TypeError(f"timestamp must be seconds since the epoch, got {timestamp!r}")
    if not 0 < timestamp < 2**33:
        raise ValueError(f"timestamp must be seconds since the epoch, got {timestamp!r}")
    package = build_package(cards)
    # genanki's own write_to_file leaves its temporary database behind.
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            ids = iter(range(int(timestamp * 1000), 2**63))
            package.write_to_db(conn.cursor(), timestamp, ids)
            conn.commit()
            notes: int = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        finally:
            conn.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Entries dated by ``timestamp``, not by the clock or the temporary
        # file's mtime, so the same sources and epoch give the same bytes.
        when = time.gmtime(max(timestamp, _ZIP_EPOCH))[:6]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as apkg:
            for name, data in (("collection.anki2", db.read_bytes()), ("media", b"{}")):
                entry = zipfile.ZipInfo(name, date_time=when)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                apkg.writestr(entry, data)
    return notes


_ZIP_EPOCH = 315_532_800  # 1980-01-01 UTC: the earliest date a zip entry can hold


# ---------------------------------------------------------------- Sphinx hooks


def _collect_cards(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` handler: refresh the cached cards of the pages read in this build."""
    cache: dict[str, list[Card]] = getattr(env, "studybook_flashcards", {})
    read = getattr(app, "_studybook_read_docs", set(env.found_docs))
    # A builder without rendered formulas (LaTeX) drops the cards of the
    # pages it read, so an HTML build that starts from its doctrees
    # (doctrees.seed_doctrees) makes them afresh rather than keeping stale ones.
    if app.builder.format != "html":
        env.studybook_flashcards = {d: c for d, c in cache.items() if d not in read}  # type: ignore[attr-defined]
        return
    math: dict[tuple[str, bool], str] = getattr(env, "studybook_math_svg", {})
    glyphs: dict[str, str] = getattr(env, "studybook_math_glyphs", {})
    fresh = {doc: cache[doc] for doc in sorted(env.found_docs) if doc in cache and doc not in read}
    for docname in sorted(env.found_docs - fresh.keys()):
        title = env.titles[docname].astext() if docname in env.titles else docname
        fresh[docname] = cards_from_doctree(
            docname,
            page_doctree(app, docname),
            title,
            lambda tex, display: math.get((tex, display)),
            glyphs,
        )
    env.studybook_flashcards = fresh  # type: ignore[attr-defined]


def _write_deck(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: write the deck into the HTML output."""
    if exception is not None or app.builder.name not in _HTML_BUILDERS:
        return
    cache: dict[str, list[Card]] = getattr(app.env, "studybook_flashcards", {})
    cards = [card for docname in sorted(cache) for card in cache[docname]]
    write_deck(cards, Path(app.outdir) / DECK_FILE)


def _add_deck_link(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler: the sidebar template links the deck when this is set."""
    context["studybook_deck"] = DECK_FILE if app.builder.name in _HTML_BUILDERS else ""
