"""The built HTML book, as a reader's browser shows it (headless Chromium).

Run with ``tox -e browser``, which builds the book first; ``conftest.py``
serves it on a loopback port and drives Debian's Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studybook.book import CHAPTERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.id)
def test_chapter_page_renders_offline_without_errors(visit, ch):
    tab = visit(f"{ch.docname}.html")
    tab.wait_for_diagrams()
    blocks = tab.page.locator("pre.mermaid")
    assert tab.page.locator("pre.mermaid[data-rendered=true] > svg").count() == blocks.count()
    assert not tab.foreign_hosts(), f"requests left localhost: {tab.foreign_hosts()}"
    assert tab.errors == []


def test_lsm_page_draws_all_its_diagrams_as_svg(visit):
    tab = visit("dsa/lsm-tree.html")
    tab.wait_for_diagrams()
    source = (ROOT / "docs" / "dsa" / "lsm-tree.md").read_text(encoding="utf-8")
    assert tab.page.locator("pre.mermaid > svg").count() == source.count("```{mermaid}") >= 3


def test_hub_has_a_card_for_every_chapter_with_live_figures(visit):
    tab = visit("")
    cards = tab.page.locator(".sd-card")
    assert cards.count() == len(CHAPTERS)
    titles = cards.locator(".sd-card-title").all_inner_texts()
    assert [t.strip() for t in titles] == [c.title for c in CHAPTERS]
    figures = tab.page.locator(".sb-figures strong").all_inner_texts()
    assert int(figures[0]) == len(CHAPTERS)
    assert int(figures[1]) > 100  # runnable examples, counted at build time
    assert tab.errors == []


def test_search_for_memtable_finds_the_lsm_chapter(visit):
    tab = visit("search.html?q=memtable")
    tab.page.wait_for_selector("ul.search li a", timeout=20_000)
    hrefs = tab.page.locator("ul.search li a").evaluate_all("els => els.map(e => e.href)")
    assert any(href.split("?")[0].endswith("dsa/lsm-tree.html") for href in hrefs)


def test_interview_answer_opens_on_click(visit):
    tab = visit("dsa/lsm-tree.html")
    question = tab.page.locator("details.sb-question").first
    answer = question.locator(".sb-answer")
    assert not answer.is_visible()
    question.locator("summary").click()
    assert answer.is_visible()
    assert question.evaluate("el => el.open")


def test_dark_mode_toggle_switches_theme_and_redraws_diagrams(visit):
    tab = visit("dsa/lsm-tree.html")
    tab.wait_for_diagrams()
    page = tab.page
    first_svg_before = page.locator("pre.mermaid > svg").first.inner_html()
    # Furo cycles auto -> dark -> light (from a light system theme); click until dark.
    for _ in range(3):
        if page.evaluate("document.body.dataset.theme") == "dark":
            break
        page.locator("button.theme-toggle:visible").first.click()
    assert page.evaluate("document.body.dataset.theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3])
    assert red + green + blue < 3 * 80, background
    page.wait_for_function(
        "(before) => document.querySelector('pre.mermaid > svg').innerHTML !== before",
        arg=first_svg_before,
        timeout=20_000,
    )
    assert tab.errors == []


def test_every_page_links_to_the_pdf_served_with_the_book(visit, book_dir):
    if not (book_dir / "studybook.pdf").is_file():
        pytest.fail("the HTML was built without the PDF; run `tox -e pdf` before `tox -e docs`")
    tab = visit("dsa/lsm-tree.html")
    link = tab.page.locator(".sb-downloads a[href$='studybook.pdf']")
    assert link.inner_text() == "Download the PDF"
    response = tab.page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"


def test_every_page_links_to_each_part_pdf_under_the_book(visit, book_dir):
    from studybook.book import CHAPTERS, PARTS

    parts = [p for p in PARTS if any(c.part == p.id for c in CHAPTERS)]
    if not all((book_dir / f"studybook-{p.id}.pdf").is_file() for p in parts):
        pytest.fail("the HTML was built without the part PDFs; run `tox -e pdf` first")
    tab = visit("dsa/lsm-tree.html")
    folded = tab.page.locator(".sb-downloads details.sb-part-pdfs")
    assert folded.locator("summary").inner_text() == "or a part of it"
    links = folded.locator("a")
    assert not links.first.is_visible()  # folded until asked for
    folded.locator("summary").click()
    assert links.all_inner_texts() == [p.title for p in parts]
    hrefs = [a.evaluate("a => a.href") for a in links.all()]
    assert [h.rsplit("/", 1)[1] for h in hrefs] == [f"studybook-{p.id}.pdf" for p in parts]
    response = tab.page.request.get(hrefs[-1])
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"


def test_every_page_links_to_the_flashcard_deck(visit):
    tab = visit("dsa/lsm-tree.html")
    link = tab.page.locator(".sb-downloads a[href$='studybook.apkg']")
    assert link.inner_text() == "Download the flashcards (Anki deck)"
    response = tab.page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.body()[:2] == b"PK"  # a zip, holding Anki's SQLite collection
