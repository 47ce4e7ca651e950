"""Mermaid diagrams for the PDF and the EPUB: rendered once, cached, vector.

The HTML book draws its diagrams in the reader's browser. Paper and e-readers
cannot run JavaScript, so for the LaTeX and EPUB builders every ``{mermaid}``
block is replaced, as its page is written, by an image: a one-page vector PDF
for LaTeX, a plain SVG (no HTML inside, which e-readers reject) for EPUB. Not
as it is read: then every builder reads the pages alike, and the EPUB and the
HTML builds start from the pages another build read (doctrees.seed_doctrees).

All diagrams of a build are drawn in one session of the system's Chromium,
driven by Playwright, with the same pinned mermaid the HTML book serves; each
result is cached under ``build/vendor/diagrams`` by a hash of its source, its
format and the mermaid version, so a warm rebuild renders nothing. The EPUB's
SVG is made valid SVG 1.1 (:func:`~studybook.sphinxext.epub.clean_diagram_svg`)
before it is cached. Sphinx writes pages from the main process, so Chromium
runs there only, started at the first diagram the cache lacks. A diagram that
fails to render fails the build, naming its page and line.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms.images import ImageConverter
from sphinx.util import logging

from studybook.sphinxext.assets import MERMAID
from studybook.sphinxext.epub import SVG_CLEANUP_VERSION, clean_diagram_svg

logger = logging.getLogger(__name__)

# Chromium phones home for updates and safe browsing unless told not to.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Plain SVG text instead of HTML labels: e-readers and PDF converters need it.
_MERMAID_CONFIG = (
    '{startOnLoad: false, theme: "neutral", htmlLabels: false, flowchart: {htmlLabels: false}}'
)

_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
import mermaid from "./mermaid/dist/mermaid.esm.min.mjs";
mermaid.initialize(%s);
window.renderDiagram = async (id, code) => (await mermaid.render(id, code)).svg;
window.ready = true;
</script></body></html>"""


def draw_diagrams(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, LaTeX and EPUB: each mermaid block becomes the image drawn for it.

    Sphinx resolves a page (for LaTeX, the whole book) before it collects
    the page's images to copy, so the image is registered as Sphinx's image
    collector would have registered it had the page been read with it.
    """
    if app.builder.name not in {"latex", "epub"}:
        return
    blocks = [n for n in doctree.findall(nodes.Element) if type(n).__name__ == "mermaid"]
    if not blocks:
        return
    suffix = "pdf" if app.builder.name == "latex" else "svg"
    renderer = _renderer(app.env)
    for block in blocks:
        try:
            path = renderer.render(str(block["code"]), suffix)
        except RuntimeError as exc:
            logger.warning("mermaid diagram failed to render: %s", exc, location=block)
            block.replace_self(nodes.literal_block(block["code"], block["code"]))
            continue
        uri = os.path.relpath(path, app.srcdir)  # from the source folder, as Sphinx records it
        app.env.images.add_file(docname, uri)
        # Not a figure: LaTeX would float a figure away from the text it illustrates.
        image = nodes.image(uri=uri, alt="diagram", align="center", candidates={"*": uri})
        block.replace_self(image)


class SvgToPdf(ImageConverter):
    """Lets LaTeX include SVG figures: each is printed to a one-page vector PDF."""

    default_priority = 200
    conversion_rules = [("image/svg+xml", "application/pdf")]  # noqa: RUF012 - Sphinx's API

    def is_available(self) -> bool:
        return True  # the renderer fails loudly, naming what is missing

    def convert(self, _from: str | os.PathLike[str], _to: str | os.PathLike[str]) -> bool:
        # Cached by content, like the diagrams: Chromium stamps each PDF with
        # its creation time, so printing again would change the bytes and
        # make latexmk rerun XeLaTeX on a build where nothing changed.
        svg = Path(_from).read_text(encoding="utf-8")
        renderer = _renderer(self.env)
        key = hashlib.sha256(f"svg-to-pdf\0{svg}".encode()).hexdigest()[:24]
        cached = renderer.cache / f"{key}.pdf"
        if not cached.is_file():
            renderer.cache.mkdir(parents=True, exist_ok=True)
            _write_atomically(cached, renderer.print_svg(svg))
        shutil.copyfile(cached, _to)
        return True


def _write_atomically(path: Path, data: bytes) -> None:
    """Write *path* so that a concurrent build never reads it half-written.

    The PDF and EPUB builds share the cache and may run at once (`tox p`);
    each writes a file of its own name and renames it into place.
    """
    handle, name = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        partial.replace(path)
    except BaseException:
        # A full disk fails the write, or the flush on close: nothing half-written stays.
        partial.unlink(missing_ok=True)
        raise


# Each build's renderer, found from its environment, which the image converter
# (a transform) holds; Sphinx 9 deprecates a transform's way to the application.
_RENDERERS: weakref.WeakKeyDictionary[BuildEnvironment, _Renderer] = weakref.WeakKeyDictionary()


def prepare_renderer(app: Sphinx) -> None:
    """``builder-inited`` handler: this build's renderer (Chromium starts on first use)."""
    _RENDERERS[app.env] = _Renderer(Path(app.confdir))


def close_renderer(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished`` handler: stop Chromium if it was started."""
    renderer = _RENDERERS.pop(app.env, None)
    if renderer is not None:
        renderer.close()


def _renderer(env: BuildEnvironment) -> _Renderer:
    renderer = _RENDERERS.get(env)
    if renderer is None:
        raise RuntimeError("no diagram renderer: prepare_renderer runs at builder-inited")
    return renderer


class _Renderer:
    """Renders mermaid sources to cached files; starts Chromium only on a cache miss."""

    def __init__(self, confdir: Path) -> None:
        self.cache = confdir / "build" / "vendor" / "diagrams"
        self.assets = MERMAID.folder(confdir)
        self._session: Any = None
        self._count = 0

    def render(self, code: str, suffix: str) -> Path:
        # The EPUB's SVG is cleaned for SVG 1.1 (epub.py): a new cleanup draws again.
        flavour = f"svg+{SVG_CLEANUP_VERSION}" if suffix == "svg" else suffix
        key = hashlib.sha256(f"{MERMAID.version}\0{flavour}\0{code}".encode()).hexdigest()[:24]
        path = self.cache / f"{key}.{suffix}"
        if not path.is_file():
            svg = self.mermaid_svg(code)
            image = clean_diagram_svg(svg).encode() if suffix == "svg" else self.print_svg(svg)
            _write_atomically(path, image)
        return path

    def mermaid_svg(self, code: str) -> str:
        """Mermaid's own SVG of *code*, cached: the PDF's and the EPUB's images are made from it.

        So the second of those builds draws nothing, and the EPUB's, which
        only cleans the SVG, starts no browser at all.
        """
        key = hashlib.sha256(f"{MERMAID.version}\0mermaid\0{code}".encode()).hexdigest()[:24]
        path = self.cache / f"{key}.mermaid.svg"
        if path.is_file():
            return path.read_text(encoding="utf-8")
        page = self._page()
        self._count += 1
        try:
            svg: str = page.evaluate(
                "([id, code]) => window.renderDiagram(id, code)", [f"d{self._count}", code]
            )
        except Exception as exc:  # Playwright reports the page's JavaScript error
            raise RuntimeError(str(exc).splitlines()[0]) from exc
        self.cache.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, svg.encode())
        return svg

    def print_svg(self, svg: str) -> bytes:
        """Print an SVG document as a one-page vector PDF (starts Chromium if needed)."""
        self._page()
        return _svg_to_pdf(self._session["printer"], svg)

    def _page(self) -> Any:
        if self._session is None:
            self._session = _start(self.assets)
        return self._session["page"]

    def close(self) -> None:
        if self._session is not None:
            self._session["browser"].close()
            self._session["playwright"].stop()
            self._session["server"].shutdown()
            self._session["server"].server_close()
            self._session = None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _start(assets: Path) -> dict[str, Any]:
    # Imported here: only the PDF and EPUB builds need Playwright.
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("STUDYBOOK_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).is_file():
        raise RuntimeError(f"no Chromium at {chromium}: install Debian's chromium package")
    (assets / "render.html").write_text(_PAGE % _MERMAID_CONFIG, encoding="utf-8")
    # ES modules do not load from file://, so serve the assets on loopback.
    handler = functools.partial(_Quiet, directory=str(assets))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/render.html")
    page.wait_for_function("window.ready === true", timeout=30_000)
    printer = browser.new_page()
    return {
        "playwright": playwright,
        "browser": browser,
        "page": page,
        "printer": printer,
        "server": server,
    }


def _svg_to_pdf(page: Any, svg: str) -> bytes:
    """Print one SVG as a one-page PDF exactly its size: vector text and shapes.

    *page* is the session's printing tab, reused for every drawing (a new tab
    per diagram cost a cold PDF build several seconds).
    """
    page.set_content(f'<html><body style="margin:0">{svg}</body></html>')
    width, height = page.evaluate(
        """() => {
            const svg = document.querySelector("svg");
            const box = svg.viewBox.baseVal;
            if (box && box.width > 0) {
                svg.style.maxWidth = "none";
                svg.setAttribute("width", box.width);
                svg.setAttribute("height", box.height);
            }
            const rect = svg.getBoundingClientRect();
            return [Math.ceil(rect.width), Math.ceil(rect.height)];
        }"""
    )
    pdf: bytes = page.pdf(width=f"{width + 1}px", height=f"{height + 1}px", print_background=True)
    return pdf
