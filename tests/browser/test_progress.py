"""Reading progress in the built book: marks in localStorage, figures, export and import.

Served and driven as in ``conftest.py`` (loopback, Debian's Chromium, offline).
A mark is named ``<docname>`` or ``<docname>#<key>`` and stored under
``studybook-progress``; each test checks that no request left the machine and
that the console stayed clean.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from studybook.book import CHAPTERS, PARTS

STORE = "studybook-progress"
CHAPTER = "dsa/big-o"  # questions and exercises on one page
PLAN = "plans/netflix-compute-runtime"


def _stored(page: Page) -> Any:
    return page.evaluate(f"() => localStorage.getItem({STORE!r})")


def _done(page: Page) -> dict[str, str]:
    raw = _stored(page)
    return {} if raw is None else dict(json.loads(raw)["done"])


def _clean(tab: Any) -> None:
    assert tab.foreign_hosts() == set(), f"requests left localhost: {tab.foreign_hosts()}"
    assert tab.errors == []


def _index(book_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (book_dir / "_static" / "studybook-progress.json").read_text()
    )
    return data


def _progress_file(**fields: Any) -> str:
    return json.dumps({"format": "studybook-progress", "version": 1, **fields})


def _mark_three(page: Page) -> tuple[str, str]:
    """Mark the chapter, its first question and its first exercise; return the two keys."""
    page.get_by_label("Mark this chapter done").check()
    question = page.locator("details.sb-question").first
    q_key = question.get_attribute("data-sb-key")
    page.locator("details.sb-question + p.sb-block-done input").first.check()
    # The switch sits outside <summary>: marking does not open the answer.
    assert not question.evaluate("el => el.open")
    exercise = page.locator("div.sb-exercise").first
    x_key = exercise.get_attribute("data-sb-key")
    # Keyboard: focus the exercise's switch and press Space.
    exercise.locator("p.sb-block-done input").focus()
    page.keyboard.press("Space")
    assert q_key
    assert x_key
    return q_key, x_key


def test_marks_on_a_chapter_survive_a_reload(visit):
    tab = visit(f"{CHAPTER}.html")
    q_key, x_key = _mark_three(tab.page)
    names = {CHAPTER, f"{CHAPTER}#{q_key}", f"{CHAPTER}#{x_key}"}
    assert set(_done(tab.page)) == names
    again = visit(f"{CHAPTER}.html", context=tab.page.context)
    page = again.page
    assert page.get_by_label("Mark this chapter done").is_checked()
    assert page.locator(f'details[data-sb-key="{q_key}"] + p input').is_checked()
    assert page.locator(f'div[data-sb-key="{x_key}"] p.sb-block-done input').is_checked()
    expect(page.locator("input[data-sb-mark]:checked")).to_have_count(3)
    assert page.locator(f'details[data-sb-key="{q_key}"]').evaluate(
        "el => el.classList.contains('sb-done')"
    )
    # Each mark carries the date it was made.
    for when in _done(page).values():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", when)
    # Unmarking removes the mark, and that too survives.
    page.get_by_label("Mark this chapter done").uncheck()
    third = visit(f"{CHAPTER}.html", context=tab.page.context)
    assert set(_done(third.page)) == names - {CHAPTER}
    for seen in (tab, again, third):
        _clean(seen)


def _part_line(page: Page, part: str) -> str:
    slot = page.locator(f'.sb-part-progress[data-sb-part="{part}"]')
    slot.wait_for(state="visible")  # filled once the index has arrived
    return slot.inner_text()


def test_hub_and_plan_figures_follow_the_marks(visit, book_dir):
    index = _index(book_dir)
    dsa = next(part for part in index["parts"] if part["id"] == "dsa")
    blocks = sum(len(p["keys"]) for p in index["pages"].values() if p["part"] == "dsa")
    hub = visit("index.html")
    before = f"0 of {len(dsa['chapters'])} chapters done; 0 of {blocks} questions and exercises"
    assert before in _part_line(hub.page, "dsa")
    shown = [part["id"] for part in index["parts"] if part["chapters"]]
    assert hub.page.locator(".sb-part-progress:visible").count() == len(shown)

    chapter = visit(f"{CHAPTER}.html", context=hub.page.context)
    _mark_three(chapter.page)
    hub2 = visit("index.html", context=hub.page.context)
    after = f"1 of {len(dsa['chapters'])} chapters done; 2 of {blocks} questions and exercises"
    assert after in _part_line(hub2.page, "dsa")
    card = hub2.page.locator(".sd-card", has=hub2.page.locator(f'a[href="{CHAPTER}.html"]'))
    assert card.locator(".sb-card-done").inner_text() == "Done"
    expect(hub2.page.locator(".sb-card-done")).to_have_count(1)

    # Week 1 of the plan links the Big O chapter among others.
    plan = visit(f"{PLAN}.html", context=hub.page.context)
    week = plan.page.locator("section#week-1-baseline-big-o-and-go-from-zero .sb-plan-progress")
    week.wait_for(state="visible")
    docs = (week.get_attribute("data-sb-docs") or "").split()
    assert CHAPTER in docs
    week_blocks = sum(len(index["pages"][d]["keys"]) for d in docs)
    assert week.inner_text() == (
        f"Your progress: 1 of the {len(docs)} pages linked here marked done; "
        f"2 of their {week_blocks} questions and exercises done."
    )
    # Weeks that do not link the chapter stay at zero.
    other = plan.page.locator("section#week-3-operating-systems .sb-plan-progress")
    assert other.inner_text().startswith("Your progress: 0 of the ")
    for seen in (hub, chapter, hub2, plan):
        _clean(seen)


def _import(page: Page, file: Path | FilePayload) -> str:
    # Cleared first, so the wait below is for this import's message.
    page.evaluate("() => { document.querySelector('.sb-progress-message').textContent = '' }")
    upload = str(file) if isinstance(file, Path) else file
    page.locator(".sb-progress-tools input[type=file]").set_input_files(upload)
    message = page.locator(".sb-progress-message")
    message.wait_for(state="visible")
    return message.inner_text()


def test_export_then_import_into_a_fresh_browser_restores_the_marks(visit, tmp_path):
    tab = visit(f"{CHAPTER}.html")
    _mark_three(tab.page)
    marks = _done(tab.page)
    with tab.page.expect_download() as download:
        tab.page.get_by_role("button", name="Export progress (JSON)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert re.fullmatch(r"studybook-progress-\d{4}-\d\d-\d\d\.json", path.name)
    data = json.loads(path.read_text())
    assert data["format"] == "studybook-progress"
    assert data["version"] == 1
    assert data["done"] == marks
    assert "Exported 3 marks" in tab.page.locator(".sb-progress-message").inner_text()

    fresh = visit("index.html")  # a new context: empty localStorage
    assert _stored(fresh.page) is None
    assert _import(fresh.page, path) == f"Imported 3 marks from {path.name} (3 new)."
    assert _done(fresh.page) == marks
    page = visit(f"{CHAPTER}.html", context=fresh.page.context).page
    expect(page.locator("input[data-sb-mark]:checked")).to_have_count(3)
    for seen in (tab, fresh):
        _clean(seen)


def test_import_merges_keeping_the_newer_date_and_reports_unknown_marks(visit, tmp_path):
    tab = visit(f"{CHAPTER}.html")
    tab.page.get_by_label("Mark this chapter done").check()
    mine = _done(tab.page)[CHAPTER]
    upload = tmp_path / "old.json"
    done = {
        CHAPTER: "2020-01-01T00:00:00.000Z",  # older than mine: mine stays
        "dsa/lsm-tree": "2024-05-01T10:00:00.000Z",
        "dsa/not-a-page-yet": "2024-01-01T00:00:00Z",
        f"{CHAPTER}#q-no-such-question": "2024-01-01T00:00:00Z",
    }
    upload.write_text(_progress_file(done=done))
    message = _import(tab.page, upload)
    assert message == (
        "Imported 4 marks from old.json (3 new). 2 name pages or blocks this edition of the "
        "book does not have; they are kept."
    )
    assert _done(tab.page) == {**done, CHAPTER: mine}
    _clean(tab)


BAD_FILES = [
    ("{not json", "is not valid JSON"),
    ("[1, 2]", "That file holds an array, not a progress object."),
    ('{"format": "anki", "version": 1, "done": {}}', 'has format "anki"; a progress file'),
    ('{"version": 1, "done": {}}', "has no format"),
    ('{"format": "studybook-progress", "version": 2, "done": {}}', "is version 2; this book"),
    ('{"format": "studybook-progress", "version": "1", "done": {}}', 'whole number, got "1"'),
    (
        '{"format": "studybook-progress", "version": 1, "done": {}, "notes": 1}',
        'Unknown fields "notes"',
    ),
    ('{"format": "studybook-progress", "version": 1, "done": []}', '"done" must be an object'),
    (
        '{"format": "studybook-progress", "version": 1}',
        '"done" must be an object of marks, got nothing',
    ),
    (
        '{"format": "studybook-progress", "version": 1, "done": {"../etc": "2024-01-01"}}',
        'The mark "../etc" names no page',
    ),
    (
        '{"format": "studybook-progress", "version": 1, "done": {"dsa/big-o": true}}',
        'The mark "dsa/big-o" has true',
    ),
    (
        '{"format": "studybook-progress", "version": 1, "done": {"dsa/big-o": "yesterday"}}',
        'has "yesterday"; it must be an ISO 8601 date',
    ),
    (
        '{"format": "studybook-progress", "version": 1, "exported": 5, "done": {}}',
        '"exported" has 5; it must be an ISO 8601 date',
    ),
]


def _hostile_files() -> list[tuple[str, str]]:
    """Files from anywhere: huge, deep, far-dated, full of HTML; each with its reason."""
    day = "2024-01-01T00:00:00Z"
    return [
        (" " * 5_000_001, "That file is 5000001 bytes"),
        (json.dumps("a" * 1_000_000), 'holds "aaaa'),  # shown cut short, never whole
        ("[" * 100_000 + "]" * 100_000, "holds an array"),
        ('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", "has format an array"),
        (_progress_file(done={}, **{f"f{i}": 1 for i in range(5000)}), '"f2" and 4997 more'),
        (_progress_file(done={f"dsa/p{i}": day for i in range(10_001)}), "more than 10000 marks"),
        (_progress_file(done={"dsa/" + "a" * 600: day}), "characters) names no page"),
        (_progress_file(done={'<img src=x onerror="alert(1)">': day}), 'The mark "<img src=x'),
        (_progress_file(done={"dsa/big-o": "9999-12-31T23:59:59Z"}), "in the future"),
        (_progress_file(done={"dsa/big-o": "2024-02-30T00:00:00Z"}), 'has "2024-02-30T00'),
        (_progress_file(done={}, exported="2999-01-01T00:00:00Z"), "in the future"),
        (_progress_file(done={}, undone=[]), '"undone" must be an object'),
        (_progress_file(done={}, undone={"dsa/big-o": 1}), 'The mark "dsa/big-o" has 1'),
    ]


def test_bad_files_are_rejected_with_their_reason_and_lose_nothing(visit):
    tab = visit(f"{CHAPTER}.html")
    tab.page.get_by_label("Mark this chapter done").check()
    before = _stored(tab.page)
    for n, (text, reason) in enumerate(BAD_FILES + _hostile_files()):
        # The file's name is shown as text, never read as HTML.
        name = f"<img src=x onerror=alert({n})>bad-{n}.json"
        payload: FilePayload = {
            "name": name,
            "mimeType": "application/json",
            "buffer": text.encode(),
        }
        message = _import(tab.page, payload)
        assert reason in message, (text[:80], message)
        assert message.startswith(f"{name}: ")
        assert message.endswith("Nothing was imported; your progress is unchanged.")
        assert len(message) < 400, message
        assert _stored(tab.page) == before
    assert tab.page.locator("img[src=x]").count() == 0
    assert tab.page.get_by_label("Mark this chapter done").is_checked()
    _clean(tab)


def test_names_like_object_properties_are_plain_marks(visit):
    tab = visit(f"{CHAPTER}.html")
    day = "2024-01-01T00:00:00Z"
    names = ["__proto__", "constructor", "toString", "constructor#q-x", "__proto__#q-x"]
    # json.dumps keeps "__proto__" a key of the file, as a hostile file would.
    payload: FilePayload = {
        "name": "protos.json",
        "mimeType": "application/json",
        "buffer": _progress_file(done=dict.fromkeys(names, day)).encode(),
    }
    assert _import(tab.page, payload) == (
        "Imported 5 marks from protos.json (5 new). 5 name pages or blocks this edition of "
        "the book does not have; they are kept."
    )
    assert _done(tab.page) == dict.fromkeys(names, day)
    again = visit(f"{CHAPTER}.html", context=tab.page.context)
    expect(again.page.locator("input[data-sb-mark]:checked")).to_have_count(0)
    hub = visit("index.html", context=tab.page.context)
    assert "0 of " in _part_line(hub.page, "dsa")
    for seen in (tab, again, hub):
        _clean(seen)


def _export(page: Page, folder: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress (JSON)").click()
    path = folder / f"{len(list(folder.iterdir()))}-{download.value.suggested_filename}"
    download.value.save_as(path)
    return path


def test_an_unmark_travels_and_a_stale_file_does_not_bring_the_mark_back(visit, tmp_path):
    laptop = visit(f"{CHAPTER}.html")
    box = laptop.page.get_by_label("Mark this chapter done")
    box.check()
    marked = _export(laptop.page, tmp_path)
    desktop = visit("index.html")  # another browser
    assert _import(desktop.page, marked) == f"Imported 1 mark from {marked.name} (1 new)."
    box.uncheck()
    unmarked = _export(laptop.page, tmp_path)
    data = json.loads(unmarked.read_text())
    assert (data["done"], list(data["undone"])) == ({}, [CHAPTER])
    message = _import(desktop.page, unmarked)
    assert message == f"Imported 0 marks and 1 un-mark from {unmarked.name} (0 new, 1 cleared)."
    assert _done(desktop.page) == {}
    # The older file marks it done, but the un-mark is newer: it stays cleared.
    assert _import(desktop.page, marked) == f"Imported 1 mark from {marked.name} (0 new)."
    assert _done(desktop.page) == {}
    # Marking again on the laptop is newer than the un-mark: that travels too.
    box.check()
    again = _export(laptop.page, tmp_path)
    assert _import(desktop.page, again) == f"Imported 1 mark from {again.name} (1 new)."
    assert list(_done(desktop.page)) == [CHAPTER]
    for seen in (laptop, desktop):
        _clean(seen)


def test_progress_this_edition_cannot_read_is_never_written_over(visit, tmp_path):
    tab = visit(f"{CHAPTER}.html")
    newer = json.dumps({"version": 2, "marks": [CHAPTER]})
    tab.page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORE, newer])
    page = visit(f"{CHAPTER}.html", context=tab.page.context).page
    expect(page.get_by_label("Mark this chapter done")).to_be_disabled()
    expect(page.locator(".sb-progress-message")).to_contain_text("cannot read")
    upload = tmp_path / "good.json"
    upload.write_text(_progress_file(done={CHAPTER: "2024-01-01T00:00:00Z"}))
    assert _import(page, upload).endswith("Nothing was imported; your progress is unchanged.")
    page.get_by_role("button", name="Export progress (JSON)").click()
    assert _stored(page) == newer
    _clean(tab)


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_switches_are_readable_in_light_and_dark_mode(visit, scheme):
    tab = visit(f"{CHAPTER}.html", color_scheme=scheme)
    label = tab.page.locator("p.sb-page-done label")
    expect(label).to_be_visible()  # drawn by the script once it has run
    text = label.evaluate("el => getComputedStyle(el).color")
    body = tab.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    light, dark = sorted([_luminance(text), _luminance(body)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5  # WCAG AA for text
    tools = tab.page.locator(".sb-progress-tools")
    expect(tools.get_by_role("button", name="Export progress (JSON)")).to_be_visible()
    assert tools.get_by_label("Import progress from a file").count() == 1
    _clean(tab)


def test_a_chapter_loads_the_small_script_but_neither_index_nor_pyodide(visit, book_dir):
    tab = visit(f"{CHAPTER}.html")
    urls = [url.split("?")[0] for url in tab.urls()]  # Sphinx adds ?v=<checksum>
    assert any(url.endswith("_static/studybook-progress.mjs") for url in urls)
    assert not any("studybook-progress.json" in url for url in urls)
    assert not any("pyodide" in url for url in urls)
    script = book_dir / "_static" / "studybook-progress.mjs"
    assert script.stat().st_size < 20_000  # about 5.7 kB gzipped
    _clean(tab)


def _keys(html: str) -> list[str]:
    return re.findall(r'data-sb-key="([^"]*)"', html)


def test_the_built_books_index_matches_its_html(book_dir: Path) -> None:
    """The index the build wrote agrees with the built HTML (no browser needed)."""
    index = _index(book_dir)
    pages = index["pages"]
    for chapter in CHAPTERS:
        if (book_dir / f"{chapter.docname}.html").is_file():
            assert pages[chapter.docname] == {**pages[chapter.docname], "part": chapter.part}
            assert pages[chapter.docname]["chapter"] is True
    for docname, entry in pages.items():
        assert entry["keys"] == _keys((book_dir / f"{docname}.html").read_text()), docname
    # Every key in the HTML of a part's page is in the index, once.
    for html in book_dir.rglob("*.html"):
        docname = html.relative_to(book_dir).with_suffix("").as_posix()
        keys = _keys(html.read_text())
        if keys and docname.split("/")[0] in {part.id for part in PARTS} and "/" in docname:
            assert docname in pages, docname
    plan = (book_dir / "plans" / "netflix-compute-runtime.html").read_text()
    weeks = re.findall(r'<p class="sb-plan-progress" data-sb-docs="([^"]*)"', plan)
    assert len(weeks) == 22
    assert all(doc in pages for week in weeks for doc in week.split())
