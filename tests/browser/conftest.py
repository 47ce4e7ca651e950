"""What every browser test shares: the built book on loopback, Chromium, and a page visit.

The book is served from ``build/html`` (or the folder ``STUDYBOOK_HTML``
names) on a free loopback port; Debian's Chromium (or the one
``STUDYBOOK_CHROMIUM`` names) is driven by Playwright, which downloads no
browser. Each test opens pages with the ``visit`` fixture, which records every
request and console error and closes the pages afterwards.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
BOOK = Path(os.environ.get("STUDYBOOK_HTML", ROOT / "build" / "html"))
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


# Text the way every static host serves it (GitHub Pages, Read the Docs):
# gzip-compressed when the browser accepts it. Lighthouse's timings and the
# page weights the web gate measures are then what a reader's browser gets.
_COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    _gzipped: ClassVar[dict[tuple[str, float], bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if (
            path.suffix not in _COMPRESSED
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        key = (str(path), path.stat().st_mtime)
        if key not in self._gzipped:
            self._gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self._gzipped[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="session")
def book_dir() -> Path:
    """The folder the book is served from."""
    return BOOK


@pytest.fixture(scope="session")
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}; install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET)
        yield browser
        browser.close()


class Visit:
    """A page load that records every request, the bytes received and console errors."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[Request] = []
        self.errors: list[str] = []
        page.on("requestfinished", lambda request: self.requests.append(request))
        page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def urls(self) -> list[str]:
        return [request.url for request in self.requests]

    def bytes_received(self) -> int:
        return sum(request.sizes()["responseBodySize"] for request in self.requests)

    def foreign_hosts(self) -> set[str]:
        """Hosts other than the book's loopback server that the page asked for."""
        return {urlsplit(url).netloc for url in self.urls()} - {urlsplit(self.base_url).netloc}

    def wait_for_diagrams(self, timeout_ms: int = 20_000) -> None:
        """Scroll to each diagram in turn, as a reader does, and wait until it is drawn.

        studybook-mermaid.mjs draws a diagram only when it nears the
        viewport; "drawn" means ``data-rendered`` is set ("true", or
        "error", which the tests that care look for).
        """
        diagrams = self.page.locator("pre.mermaid")
        count = diagrams.count()
        for index in range(count):
            diagram = diagrams.nth(index)
            diagram.scroll_into_view_if_needed()
            try:
                self.page.wait_for_function(
                    "(el) => el.dataset.rendered !== undefined",
                    arg=diagram.element_handle(),
                    timeout=timeout_ms,
                )
            except PlaywrightTimeoutError:
                pytest.fail(
                    f"{self.page.url}: diagram {index + 1} of {count} was not drawn"
                    f" within {timeout_ms} ms of being scrolled into view"
                )


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Callable[..., Visit]]:
    """``visit("dsa/lsm-tree.html")`` opens a page of the book and records it.

    Each call gets a fresh browser context (its own localStorage) unless
    ``context=`` passes an earlier visit's ``page.context``, as a reload in
    the same browser would; other keywords go to ``new_context`` (a phone's
    ``viewport``, ``is_mobile``). ``wait_until="load"`` skips the half second
    of network quiet a page otherwise waits for. Every context is closed
    after the test.
    """
    contexts: list[BrowserContext] = []

    def open_page(
        path: str,
        *,
        color_scheme: str = "light",
        context: BrowserContext | None = None,
        wait_until: str = "networkidle",
        **context_options: Any,
    ) -> Visit:
        if context is None:
            context = browser.new_context(color_scheme=color_scheme, **context_options)  # type: ignore[arg-type]
            contexts.append(context)
        seen = Visit(context.new_page(), base_url)
        seen.page.goto(f"{base_url}{path}", wait_until=wait_until)  # type: ignore[arg-type]
        return seen

    yield open_page
    for context in contexts:
        context.close()
