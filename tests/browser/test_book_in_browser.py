"""The built HTML book, as a reader's browser shows it (headless Chromium).

Run with ``tox -e browser``, which builds the book first; ``conftest.py``
serves it on a loopback port and drives Debian's Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studybook.book import CHAPTERS

ROOT = Path(__file__).resolve().parents[2]


# That every page renders offline, every diagram drawn and no error in the
# console, is checked by the web gate (tests/web/test_pages.py), which opens
# every page of the book for axe; here, what readers do on them.


def test_lsm_page_draws_all_its_diagrams_as_svg(visit):
    tab = visit("dsa/lsm-tree.html")
    tab.wait_for_diagrams()
    source = (ROOT / "docs" / "dsa" / "lsm-tree.md").read_text(encoding="utf-8")
    assert tab.page.locator("pre.mermaid > svg").count() == source.count("```{mermaid}") >= 3


# The fill of a flowchart's first node, as [red, green, blue]: mermaid's
# default theme fills nodes #ECECFF, its dark theme #1F2020.
NODE_FILL = """(el) => {
  const shape = el.querySelector("svg g.node rect, svg g.node polygon, svg g.node circle");
  const fill = getComputedStyle(shape).fill;
  return fill.slice(fill.indexOf("(") + 1, -1).split(",").slice(0, 3).map(Number);
}"""
DRAWN = "(el) => el.dataset.rendered === 'true'"


def test_a_diagram_far_below_the_fold_is_drawn_only_once_scrolled_near(visit):
    tab = visit("dsa/advanced-structures.html")
    page = tab.page
    first, last = page.locator("pre.mermaid").first, page.locator("pre.mermaid").last
    screen = page.evaluate("innerHeight")
    top = last.evaluate("el => el.getBoundingClientRect().top + scrollY")
    assert top > 4 * screen, "the test needs a diagram far below the fold"
    # Once the first diagram is drawn, mermaid is loaded and idle: the last
    # one is not slow, it is not asked for.
    first.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg=first.element_handle(), timeout=20_000)
    assert last.get_attribute("data-rendered") is None
    assert last.locator("svg").count() == 0
    # Half a screen below the fold is near enough. (Measured again: a diagram
    # drawn above it is not as tall as its source was.)
    top = last.evaluate("el => el.getBoundingClientRect().top + scrollY")
    page.evaluate("(y) => scrollTo({top: y, behavior: 'instant'})", top - 1.5 * screen)
    assert last.evaluate("el => el.getBoundingClientRect().top") > screen  # out of sight
    page.wait_for_function(DRAWN, arg=last.element_handle(), timeout=20_000)
    assert last.locator("svg").count() == 1
    assert tab.errors == []


def test_mermaid_is_not_loaded_until_a_diagram_nears(visit):
    tab = visit("dsa/big-o.html")
    first = tab.page.locator("pre.mermaid").first
    screen = tab.page.evaluate("innerHeight")
    assert first.evaluate("el => el.getBoundingClientRect().top") > 2.5 * screen
    assert [url for url in tab.urls() if "/_static/mermaid/" in url] == []
    first.scroll_into_view_if_needed()
    tab.page.wait_for_function(DRAWN, arg=first.element_handle(), timeout=20_000)
    assert [url for url in tab.urls() if "/_static/mermaid/" in url] != []


def test_ctrl_p_draws_every_diagram_before_the_print_dialog_opens(visit):
    tab = visit("dsa/advanced-structures.html")
    page = tab.page
    assert page.locator("pre.mermaid:not([data-rendered])").count() > 0
    # Headless Chromium has no dialog: record what print() would have printed.
    page.evaluate(
        """() => { window.print = () => { window.printed = [...document
             .querySelectorAll("pre.mermaid")].map((el) => el.dataset.rendered); }; }"""
    )
    page.keyboard.press("Control+p")
    printed = page.wait_for_function("() => window.printed", timeout=30_000).json_value()
    assert printed == ["true"] * page.locator("pre.mermaid").count()
    assert tab.errors == []


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


def _switch_to_dark(page):
    # Furo cycles auto -> dark -> light (from a light system theme); click until dark.
    for _ in range(3):
        if page.evaluate("document.body.dataset.theme") == "dark":
            return
        page.locator("button.theme-toggle:visible").first.click()
    assert page.evaluate("document.body.dataset.theme") == "dark"


def test_theme_switch_redraws_drawn_diagrams_dark_and_draws_later_ones_dark(visit):
    tab = visit("dsa/advanced-structures.html")
    page = tab.page
    first, last = page.locator("pre.mermaid").first, page.locator("pre.mermaid").last
    first.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg=first.element_handle(), timeout=20_000)
    assert sum(first.evaluate(NODE_FILL)) > 3 * 200  # light
    assert last.get_attribute("data-rendered") is None
    _switch_to_dark(page)
    page.wait_for_function(
        f"(el) => ({NODE_FILL})(el).reduce((a, b) => a + b) < 3 * 80",
        arg=first.element_handle(),
        timeout=20_000,
    )
    # Not drawn on the switch; drawn dark when the reader gets there.
    assert last.get_attribute("data-rendered") is None
    last.scroll_into_view_if_needed()
    page.wait_for_function(DRAWN, arg=last.element_handle(), timeout=20_000)
    assert sum(last.evaluate(NODE_FILL)) < 3 * 80
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
