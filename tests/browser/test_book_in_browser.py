"""The built HTML book, as a reader's browser shows it (headless Chromium).

Run with ``tox -e browser``, which builds the book first. The pages are served
from ``build/html`` on a loopback port; Debian's Chromium (or the one named by
``STUDYBOOK_CHROMIUM``) is driven by Playwright, which downloads no browser.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from studybook.book import CHAPTERS

BOOK = Path(__file__).resolve().parents[2] / "build" / "html"
CHROMIUM = os.environ.get("STUDYBOOK_CHROMIUM", "/usr/bin/chromium")
# Chromium phones home for updates and safe browsing unless told not to.
QUIET = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    if not (BOOK / "index.html").is_file():
        pytest.fail(f"no built book in {BOOK}; run `tox -e docs` (or `tox -e browser`) first")
    handler = functools.partial(_QuietHandler, directory=str(BOOK))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}; install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET)
        yield browser
        browser.close()


class Visit:
    """A page load that records every request and every console error."""

    def __init__(self, browser: Browser, url: str, *, color_scheme: str = "light") -> None:
        self.page: Page = browser.new_page(color_scheme=color_scheme)  # type: ignore[arg-type]
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(url)

    def wait_for_diagrams(self) -> None:
        self.page.wait_for_function(
            """() => [...document.querySelectorAll("pre.mermaid")]
                     .every((el) => el.dataset.rendered)""",
            timeout=20_000,
        )


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda c: c.id)
def test_chapter_page_renders_offline_without_errors(browser, base_url, ch):
    visit = Visit(browser, f"{base_url}{ch.docname}.html")
    visit.wait_for_diagrams()
    blocks = visit.page.locator("pre.mermaid")
    assert visit.page.locator("pre.mermaid[data-rendered=true] > svg").count() == blocks.count()
    foreign = {urlsplit(url).netloc for url in visit.requests} - {urlsplit(base_url).netloc}
    assert not foreign, f"requests left localhost: {sorted(foreign)}"
    assert visit.errors == []
    visit.page.close()


def test_lsm_page_draws_all_its_diagrams_as_svg(browser, base_url):
    visit = Visit(browser, f"{base_url}dsa/lsm-tree.html")
    visit.wait_for_diagrams()
    source = (BOOK.parent.parent / "docs" / "dsa" / "lsm-tree.md").read_text(encoding="utf-8")
    assert visit.page.locator("pre.mermaid > svg").count() == source.count("```{mermaid}") >= 3
    visit.page.close()


def test_hub_has_a_card_for_every_chapter_with_live_figures(browser, base_url):
    visit = Visit(browser, base_url)
    cards = visit.page.locator(".sd-card")
    assert cards.count() == len(CHAPTERS)
    titles = cards.locator(".sd-card-title").all_inner_texts()
    assert [t.strip() for t in titles] == [c.title for c in CHAPTERS]
    figures = visit.page.locator(".sb-figures strong").all_inner_texts()
    assert int(figures[0]) == len(CHAPTERS)
    assert int(figures[1]) > 100  # runnable examples, counted at build time
    assert visit.errors == []
    visit.page.close()


def test_search_for_memtable_finds_the_lsm_chapter(browser, base_url):
    visit = Visit(browser, f"{base_url}search.html?q=memtable")
    visit.page.wait_for_selector("ul.search li a", timeout=20_000)
    hrefs = visit.page.locator("ul.search li a").evaluate_all("els => els.map(e => e.href)")
    assert any(href.split("?")[0].endswith("dsa/lsm-tree.html") for href in hrefs)
    visit.page.close()


def test_interview_answer_opens_on_click(browser, base_url):
    visit = Visit(browser, f"{base_url}dsa/lsm-tree.html")
    question = visit.page.locator("details.sb-question").first
    answer = question.locator(".sb-answer")
    assert not answer.is_visible()
    question.locator("summary").click()
    assert answer.is_visible()
    assert question.evaluate("el => el.open")
    visit.page.close()


def test_dark_mode_toggle_switches_theme_and_redraws_diagrams(browser, base_url):
    visit = Visit(browser, f"{base_url}dsa/lsm-tree.html", color_scheme="light")
    visit.wait_for_diagrams()
    page = visit.page
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
    assert visit.errors == []
    page.close()


def test_every_page_links_to_the_pdf_served_with_the_book(browser, base_url):
    if not (BOOK / "studybook.pdf").is_file():
        pytest.fail("the HTML was built without the PDF; run `tox -e pdf` before `tox -e docs`")
    visit = Visit(browser, f"{base_url}dsa/lsm-tree.html")
    link = visit.page.locator(".sb-downloads a[href$='studybook.pdf']")
    assert link.inner_text() == "Download the PDF"
    response = visit.page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"
    visit.page.close()


def test_every_page_links_to_the_flashcard_deck(browser, base_url):
    visit = Visit(browser, f"{base_url}dsa/lsm-tree.html")
    link = visit.page.locator(".sb-downloads a[href$='studybook.apkg']")
    assert link.inner_text() == "Download the flashcards (Anki deck)"
    response = visit.page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.body()[:2] == b"PK"  # a zip, holding Anki's SQLite collection
    visit.page.close()
