"""The Anki deck, opened as Anki opens it: a zip holding a SQLite collection.

``tox -e docs`` builds the HTML (which writes ``build/html/studybook.apkg``)
and then runs this file. That environment installs the docs toolchain, not
pytest, so the file runs both ways: ``pytest tests/editions/test_deck.py``, or
``python tests/editions/test_deck.py [HTML_DIR DOCTREE_DIR]``, which runs every
``test_*`` function and exits non-zero if any fails.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import sys
import tempfile
import traceback
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

import genanki

from studybook.book import PARTS
from studybook.sphinxext.flashcards import DECK_FILE, MODEL, ROOT_DECK
from studybook.sphinxext.questions import question

ROOT = Path(__file__).resolve().parents[2]
# Where `tox -e docs` builds; the script form takes other folders as arguments.
DIRS = {"html": ROOT / "build" / "html", "doctrees": ROOT / "build" / "doctrees" / "html"}
FIELD_SEPARATOR = "\x1f"


@cache
def collection() -> dict[str, list[tuple[object, ...]]]:
    """The rows a reader's Anki would import: notes, cards, decks, note types."""
    deck = DIRS["html"] / DECK_FILE
    assert deck.is_file(), f"no deck at {deck}; run `tox -e docs`"
    with zipfile.ZipFile(deck) as apkg, tempfile.TemporaryDirectory() as tmp:
        names = apkg.namelist()
        db_name = next(n for n in ("collection.anki21", "collection.anki2") if n in names)
        db = Path(apkg.extract(db_name, tmp))
        conn = sqlite3.connect(db)
        try:
            rows = {
                "notes": conn.execute("SELECT id, guid, mid, flds, tags FROM notes").fetchall(),
                "cards": conn.execute("SELECT nid, did FROM cards").fetchall(),
                "col": conn.execute("SELECT decks, models FROM col").fetchall(),
            }
        finally:
            conn.close()
    return rows


@cache
def questions_in_doctrees() -> dict[str, list[str]]:
    """Each page's questions (their text), read from the build's own doctrees."""
    doctrees = DIRS["doctrees"]
    env_file = doctrees / "environment.pickle"
    assert env_file.is_file(), f"no Sphinx environment at {env_file}; run `tox -e docs`"
    env = pickle.loads(env_file.read_bytes())  # noqa: S301 - our own build's output
    found: dict[str, list[str]] = {}
    for docname in sorted(env.found_docs):
        tree = pickle.loads((doctrees / f"{docname}.doctree").read_bytes())  # noqa: S301
        found[docname] = [" ".join(q.children[0].astext().split()) for q in tree.findall(question)]
    return found


def test_one_note_per_question_in_the_doctrees():
    notes = collection()["notes"]
    expected = sum(len(qs) for qs in questions_in_doctrees().values())
    assert expected > 0
    assert len(notes) == expected, f"{len(notes)} notes for {expected} questions"
    assert len(collection()["cards"]) == expected  # one card per note (front/back)


def test_notes_have_stable_unique_guids_from_page_and_question():
    expected = Counter()
    for docname, labels in questions_in_doctrees().items():
        seen: Counter[str] = Counter()
        for label in labels:
            seen[label] += 1
            key = label if seen[label] == 1 else f"{label} #{seen[label]}"
            expected[genanki.guid_for(docname, key)] += 1
    guids = Counter(guid for _, guid, *_ in collection()["notes"])
    assert guids == expected
    assert max(guids.values()) == 1


def test_every_note_uses_the_fixed_note_type():
    (_decks, models) = collection()["col"][0]
    assert list(json.loads(models)) == [str(MODEL.model_id)]
    assert {mid for _, _, mid, _, _ in collection()["notes"]} == {MODEL.model_id}


def test_one_subdeck_per_part_holding_that_parts_questions():
    decks_json, _ = collection()["col"][0]
    names = {int(i): d["name"] for i, d in json.loads(decks_json).items()}
    per_deck = Counter(names[did] for _, did in collection()["cards"])
    per_part = Counter(
        docname.partition("/")[0] for docname, qs in questions_in_doctrees().items() for _ in qs
    )
    expected = {}
    for number, part in enumerate(PARTS, 1):
        if per_part[part.id]:
            deck = next(n for n in per_deck if n.startswith(f"{ROOT_DECK}::") and part.title in n)
            expected[deck] = per_part[part.id]
            assert deck.endswith(f". {part.title}"), (number, deck)
    assert dict(per_deck) == expected


def test_answers_show_code_as_pre_and_no_raw_markup():
    fields = [flds.split(FIELD_SEPARATOR) for _, _, _, flds, _ in collection()["notes"]]
    assert any("<pre><code>" in back for _, back, _ in fields)
    for front, back, _ in fields:
        assert front.startswith(("<p>", "<svg")), front[:80]
        assert back.strip(), front
        assert "```" not in back, front  # no MyST fence left unparsed


def test_every_page_links_to_the_deck():
    for page in ("index.html", "dsa/lsm-tree.html"):
        text = (DIRS["html"] / page).read_text(encoding="utf-8")
        prefix = "../" * page.count("/")
        assert f'href="{prefix}{DECK_FILE}" download' in text, page


def _main(argv: list[str]) -> int:
    if argv:
        DIRS["html"], DIRS["doctrees"] = Path(argv[0]), Path(argv[1])
    tests = [(n, f) for n, f in globals().items() if n.startswith("test_") and callable(f)]
    failed = 0
    for name, test in tests:
        try:
            test()
        except Exception:
            failed += 1
            print(f"FAILED {name}\n{traceback.format_exc()}")
        else:
            print(f"PASSED {name}")
    notes = len(collection()["notes"])
    size = (DIRS["html"] / DECK_FILE).stat().st_size
    print(f"deck: {notes} notes, {size} bytes")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
