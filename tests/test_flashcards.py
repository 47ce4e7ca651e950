"""The flashcard generator: stable ids across builds, a subdeck per part, readable answers."""

from __future__ import annotations

import json
import math
import sqlite3
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import genanki
import pytest
from docutils import nodes

from studybook.book import PARTS
from studybook.sphinxext import flashcards
from studybook.sphinxext.doctrees import forget_doctrees
from studybook.sphinxext.flashcards import (
    DECK_FILE,
    MODEL,
    Card,
    build_package,
    cards_from_doctree,
    stable_id,
    write_deck,
)
from studybook.sphinxext.questions import question

SVG = '<svg><use xlink:href="#MJX-X"></use><use xlink:href="#MJX-Y"></use></svg>'
GLYPHS = {"MJX-X": '<path id="MJX-X" d="M0 0"></path>', "MJX-Y": '<path id="MJX-Y"></path>'}


def q(title: str | list[nodes.Node], *answer: nodes.Node) -> question:
    node = question()
    inline = [nodes.Text(title)] if isinstance(title, str) else title
    node += nodes.paragraph("", "", *inline, classes=["sb-title"])
    for child in answer:
        node += child
    return node


def page(*questions: question) -> nodes.Element:
    root = nodes.section()
    for item in questions:
        root += item
    return root


def para(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def read_apkg(path: Path, tmp_path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as apkg:
        assert sorted(apkg.namelist()) == ["collection.anki2", "media"]
        db = Path(apkg.extract("collection.anki2", tmp_path / path.stem))
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute("SELECT id, guid, mid, flds, tags, mod FROM notes ORDER BY guid")
        notes = notes.fetchall()
        cards = conn.execute("SELECT nid, did FROM cards").fetchall()
        decks, models = conn.execute("SELECT decks, models FROM col").fetchone()
    finally:
        conn.close()
    deck_names = {int(k): v["name"] for k, v in json.loads(decks).items()}
    return {"notes": notes, "cards": cards, "decks": deck_names, "models": json.loads(models)}


def book_cards() -> list[Card]:
    lsm = page(
        q("Why are SSTables immutable?", para("Writes only append.")),
        q("What is compaction?", para("Merging runs.")),
    )
    raft = page(q("What does a leader do?", para("It orders the log.")))
    return [
        *cards_from_doctree("dsa/lsm-tree", lsm, "LSM Tree"),
        *cards_from_doctree("distributed/raft", raft, "Raft"),
    ]


def test_two_builds_give_the_same_note_guids_model_and_deck_ids(tmp_path):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert write_deck(book_cards(), first, timestamp=1_700_000_000) == 3
    assert write_deck(book_cards(), second, timestamp=1_800_000_000) == 3
    a, b = read_apkg(first, tmp_path), read_apkg(second, tmp_path)
    assert [n[1:4] for n in a["notes"]] == [n[1:4] for n in b["notes"]]  # guid, model, fields
    assert a["decks"] == b["decks"]
    assert a["models"].keys() == b["models"].keys() == {str(MODEL.model_id)}
    # The later build is newer, so Anki's "update if newer" import takes it.
    assert {n[5] for n in a["notes"]} == {1_700_000_000}
    assert {n[5] for n in b["notes"]} == {1_800_000_000}


def test_same_cards_and_epoch_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_deck(book_cards(), first)
    # Any clock or file-mtime leak (zip entry dates) would differ a minute later.
    monkeypatch.setattr(flashcards.time, "time", lambda: 1_900_000_000.0)
    monkeypatch.setattr(flashcards.time, "localtime", lambda *_: time.localtime(1_900_000_000))
    write_deck(book_cards(), second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as apkg:
        assert {i.date_time for i in apkg.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_guid_is_the_page_and_question_so_answer_edits_update_the_same_note():
    before = cards_from_doctree("dsa/lsm-tree", page(q("Why?", para("Old."))), "LSM Tree")
    after = cards_from_doctree("dsa/lsm-tree", page(q("Why?", para("New."))), "LSM Tree")
    reworded = cards_from_doctree("dsa/lsm-tree", page(q("Why so?", para("Old."))), "LSM Tree")
    assert before[0].guid == after[0].guid == genanki.guid_for("dsa/lsm-tree", "Why?")
    assert reworded[0].guid != before[0].guid
    other_page = cards_from_doctree("dsa/big-o", page(q("Why?", para("Old."))), "Big O")
    assert other_page[0].guid != before[0].guid


def test_ids_are_pinned_so_readers_decks_never_split():
    # A change here would make every reader's next import a second deck.
    assert stable_id("studybook question v1") == MODEL.model_id == 1689862894
    name = f"studybook::I. {PARTS[0].title}"
    assert stable_id(f"studybook deck {name}") == 1962473642


def test_a_question_asked_twice_on_a_page_gets_a_numbered_label():
    cards = cards_from_doctree("dsa/x", page(q("Same?", para("1")), q(" Same? ", para("2"))), "X")
    assert [c.label for c in cards] == ["Same?", "Same? #2"]
    assert cards[0].guid != cards[1].guid


def test_one_subdeck_per_part_named_in_book_order(tmp_path):
    cards = [
        card
        for part in PARTS
        for card in cards_from_doctree(
            f"{part.id}/chapter", page(q(f"Q {part.id}", para("A"))), "C"
        )
    ]
    cards += cards_from_doctree("index", page(q("Outside any part?", para("A"))), "Home")
    write_deck(cards, tmp_path / DECK_FILE, timestamp=1_700_000_000)
    got = read_apkg(tmp_path / DECK_FILE, tmp_path)
    per_deck = sorted(got["decks"][did] for _, did in got["cards"])
    parts = [name for name in per_deck if name != "studybook"]
    # Anki lists decks alphabetically: the Roman numerals keep the book's order.
    assert parts == [
        f"studybook::{flashcards._roman(i)}. {p.title}" for i, p in enumerate(PARTS, 1)
    ]
    assert sorted(parts) == parts
    assert per_deck.count("studybook") == 1
    assert {n[4].strip() for n in got["notes"]} >= {"studybook::dsa::chapter", "studybook::index"}


def test_code_is_a_pre_block_and_markup_is_escaped():
    code = "if a < b && c:\n    return {'k': 1}\n"
    answer = [
        nodes.paragraph("", "", nodes.Text("Use "), nodes.literal("x<y", "x<y"), nodes.Text(".")),
        nodes.literal_block(code, code),
        nodes.doctest_block(">>> 1 < 2\nTrue", ">>> 1 < 2\nTrue"),
    ]
    (card,) = cards_from_doctree("dsa/x", page(q("Compare <tags>?", *answer)), "Ch & co")
    assert card.front == "<p>Compare &lt;tags&gt;?</p>"
    assert card.back == (
        "<p>Use <code>x&lt;y</code>.</p>"
        "<pre><code>if a &lt; b &amp;&amp; c:\n    return {'k': 1}\n</code></pre>"
        "<pre><code>&gt;&gt;&gt; 1 &lt; 2\nTrue</code></pre>"
    )
    assert card.chapter == "Ch &amp; co"


def test_lists_tables_links_and_invisible_nodes():
    items = nodes.bullet_list()
    items += nodes.list_item("", para("one"))
    link = nodes.reference("RFC", "RFC", refuri="https://www.rfc-editor.org/rfc/rfc9293")
    internal = nodes.reference("see", "see", refuri="../dsa/lsm-tree.html")
    (card,) = cards_from_doctree(
        "dsa/x",
        page(q("List?", items, nodes.paragraph("", "", link, internal), nodes.comment("", "hid"))),
        "X",
    )
    assert card.back == (
        '<ul><li><p>one</p></li></ul><p><a href="https://www.rfc-editor.org/rfc/rfc9293">RFC</a>'
        "see</p>"
    )


def test_formulas_use_the_books_svg_with_their_glyphs_once_per_card():
    formula = nodes.math("n^2", "n^2")
    block = nodes.math_block("a\n\nb", "a\n\nb")
    doctree = page(q([nodes.Text("Cost "), formula], para("It is"), block))
    svgs = {("n^2", False): SVG, ("a", True): SVG, ("b", True): SVG}
    (card,) = cards_from_doctree(
        "dsa/x", doctree, "X", lambda tex, display: svgs.get((tex, display)), GLYPHS
    )
    assert card.front.startswith('<svg class="sb-glyphs" aria-hidden="true"><defs>')
    assert card.front.count('id="MJX-X"') == 1
    assert '<span role="img" aria-label="n^2">' + SVG in card.front
    assert card.back.count('id="MJX-Y"') == 1
    assert card.back.count('<div class="sb-equation">') == 2


def test_formulas_without_svg_stay_tex_for_ankis_own_mathjax():
    doctree = page(q([nodes.math("x<1", "x<1")], nodes.math_block("y", "y")))
    (card,) = cards_from_doctree("dsa/x", doctree, "X")
    assert card.front == '<p><span class="sb-math">\\(x&lt;1\\)</span></p>'
    assert '<div class="sb-equation">\\[y\\]</div>' in card.back


def test_collect_reloads_only_the_pages_read_again():
    loads: list[str] = []
    trees = {"dsa/a": page(q("A?", para("1"))), "dsa/b": page(q("B?", para("2")))}

    def get_doctree(docname: str) -> nodes.Element:
        loads.append(docname)
        return trees[docname]

    env = SimpleNamespace(
        found_docs={"dsa/a", "dsa/b"},
        titles={"dsa/a": nodes.title("A", "A")},
        get_doctree=get_doctree,
    )
    builder = SimpleNamespace(name="html", format="html")
    app = SimpleNamespace(builder=builder, env=env, _studybook_read_docs=set())
    flashcards._collect_cards(app, env)
    assert sorted(loads) == ["dsa/a", "dsa/b"]  # nothing cached yet
    forget_doctrees(app, env)  # the next build unpickles afresh
    app._studybook_read_docs = {"dsa/b"}
    env.found_docs = {"dsa/b"}  # dsa/a was deleted
    flashcards._collect_cards(app, env)
    assert loads[2:] == ["dsa/b"]
    assert list(env.studybook_flashcards) == ["dsa/b"]
    assert env.studybook_flashcards["dsa/b"][0].chapter == "dsa/b"  # no title: the docname
    latex = SimpleNamespace(
        builder=SimpleNamespace(name="latex", format="latex"), _studybook_read_docs={"dsa/b"}
    )
    flashcards._collect_cards(latex, env)
    assert len(loads) == 3  # a non-HTML build loads no page
    assert env.studybook_flashcards == {}  # and drops the cards of the pages it read,
    forget_doctrees(app, env)
    app._studybook_read_docs = set()
    flashcards._collect_cards(app, env)  # which an HTML build from its doctrees makes again
    assert loads[3:] == ["dsa/b"]
    assert list(env.studybook_flashcards) == ["dsa/b"]


def test_other_builders_write_no_deck(tmp_path):
    env = SimpleNamespace(studybook_flashcards={"dsa/a": book_cards()})
    epub = SimpleNamespace(builder=SimpleNamespace(name="epub"), env=env, outdir=str(tmp_path))
    flashcards._write_deck(epub, None)
    assert not (tmp_path / DECK_FILE).exists()
    html = SimpleNamespace(builder=SimpleNamespace(name="html"), env=env, outdir=str(tmp_path))
    flashcards._write_deck(html, RuntimeError("build failed"))
    assert not (tmp_path / DECK_FILE).exists()
    flashcards._write_deck(html, None)
    assert len(read_apkg(tmp_path / DECK_FILE, tmp_path)["notes"]) == 3
    context: dict[str, object] = {}
    flashcards._add_deck_link(epub, "index", "page.html", context, None)
    assert context == {"studybook_deck": ""}
    flashcards._add_deck_link(html, "index", "page.html", context, None)
    assert context == {"studybook_deck": DECK_FILE}


@pytest.mark.parametrize(
    ("call", "error", "shown"),
    [
        (lambda: stable_id(""), ValueError, "''"),
        (lambda: stable_id(7), ValueError, "7"),
        (lambda: cards_from_doctree("", page(), "X"), ValueError, "''"),
        (lambda: cards_from_doctree(None, page(), "X"), ValueError, "None"),
        (lambda: cards_from_doctree("dsa/x", "not a tree", "X"), TypeError, "'not a tree'"),
        (lambda: build_package(["card"]), TypeError, "'card'"),
        (lambda: write_deck([], Path("x.apkg"), timestamp=math.nan), ValueError, "nan"),
        (lambda: write_deck([], Path("x.apkg"), timestamp=math.inf), ValueError, "inf"),
        (lambda: write_deck([], Path("x.apkg"), timestamp=-1.0), ValueError, "-1.0"),
        (lambda: write_deck([], Path("x.apkg"), timestamp=True), TypeError, "True"),
        (lambda: write_deck([], Path("x.apkg"), timestamp="now"), TypeError, "'now'"),
    ],
)
def test_bad_input_is_rejected_with_the_value(call, error, shown):
    with pytest.raises(error, match=f"got {shown}$".replace("(", r"\(")):
        call()


def test_an_empty_book_gives_an_empty_deck(tmp_path):
    assert write_deck([], tmp_path / DECK_FILE, timestamp=1_700_000_000) == 0
    assert read_apkg(tmp_path / DECK_FILE, tmp_path)["notes"] == []
