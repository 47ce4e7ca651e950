"""Benchmark the book's builds and what a reader's browser loads.

Run from a checkout with the docs, PDF and browser extras installed (``tox``
environments have them; so does ``pip install -e '.[docs,pdf,browser]'``)::

    python -m studybook.sphinxext.bench                  # every figure
    python -m studybook.sphinxext.bench --skip-pdf       # leave out the PDF
    python -m studybook.sphinxext.bench --record BENCHMARKS.md

It measures, on this machine, with the flags CI uses (``-n -W -j auto``):

* the HTML book: a cold build (fresh output and doctree folders), a warm one
  (the same build again, nothing changed), and a one-page edit (one chapter's
  source touched, then built again);
* the PDF: cold and warm, as ``tox -e pdf`` builds it (the book, then a PDF
  per part cut from it), and the book's page count;
* the EPUB: cold;
* the words of source (every word in ``docs/**/*.md``) and what the cold HTML
  build costs per 1,000 of them, the figure that shows whether the build
  grows faster than the book;
* the bytes a browser transfers to show the hub and the heaviest chapters,
  with and without the diagram renderer (mermaid, loaded only on pages with a
  diagram, once one nears the viewport), and the time to the first diagram
  once it is scrolled to, in headless Chromium.

Builds go to a temporary folder. Each cold build starts with an empty
diagram cache under ``build/vendor`` and leaves it filled for the warm one.
``--record FILE`` appends one row to the Markdown table in *FILE*, so that
the figures of every release sit together.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from studybook.sphinxext.diagrams import CHROMIUM_ARGS
from studybook.sphinxext.pdfparts import write_parts

__all__ = ["Figures", "main", "source_words", "table_row"]

ROOT = Path(__file__).resolve().parents[3]
DIAGRAM_CACHE = ROOT / "build" / "vendor" / "diagrams"
# The page the one-page edit touches: a long chapter with code, maths and diagrams.
EDITED = Path("docs/dsa/lsm-tree.md")
# The PDF from the LaTeX, as tox.ini's pdf environment makes it: latexmk in
# XeLaTeX mode, which makes the PDF once rather than once per pass.
PDF_MAKE = ("make", "all-pdf", "LATEXOPTS=-halt-on-error", "LATEXMKOPTS=-xelatex -silent")
# The hub and the chapters that transfer the most bytes.
PAGES = ("index.html", "dsa/lsm-tree.html", "dsa/big-o.html", "dsa/leetcode-patterns.html")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")

HEADER = (
    "| date | commit | cores | words | HTML cold (s) | HTML warm (s) | one-page edit (s) "
    "| s per 1,000 words | PDF cold (s) | PDF warm (s) | PDF pages | EPUB cold (s) "
    "| hub (KiB) | heaviest chapter (KiB) |"
)


@dataclass
class Figures:
    """One run's figures; ``None`` for what was not measured."""

    words: int
    html_cold: float | None = None
    html_warm: float | None = None
    html_edit: float | None = None
    pdf_cold: float | None = None
    pdf_warm: float | None = None
    pdf_pages: int | None = None
    epub_cold: float | None = None
    pages: dict[str, tuple[int, int, float | None]] = field(default_factory=dict)

    @property
    def per_thousand_words(self) -> float | None:
        """Seconds of cold HTML build per 1,000 words of source."""
        if self.html_cold is None or self.words == 0:
            return None
        return self.html_cold / (self.words / 1000)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run the benchmark and write a report to *out*; return the exit code."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF builds")
    parser.add_argument(
        "--record", type=Path, metavar="FILE", help="append a row to the Markdown table in FILE"
    )
    args = parser.parse_args(argv)
    figures = Figures(words=source_words(ROOT / "docs"))
    with tempfile.TemporaryDirectory(prefix="studybook-bench-") as tmp:
        work = Path(tmp)
        html = work / "html"
        with _diagram_cache_set_aside():
            figures.html_cold = _timed_build(["-b", "html"], html)
        figures.html_warm = _timed_build(["-b", "html"], html)
        os.utime(ROOT / EDITED)
        figures.html_edit = _timed_build(["-b", "html"], html)
        _report_builds(figures, out)
        if not args.skip_pdf:
            with _diagram_cache_set_aside():
                figures.pdf_cold = _timed_pdf(work / "pdf")
            figures.pdf_warm = _timed_pdf(work / "pdf")
            figures.pdf_pages = _pdf_pages(work / "pdf" / "latex" / "studybook.pdf")
        with _diagram_cache_set_aside():
            figures.epub_cold = _timed_build(["-b", "epub"], work / "epub")
        for page in PAGES:
            figures.pages[page] = _load(html, page)
    report(figures, out)
    if args.record is not None:
        record(args.record, figures)
        out.write(f"\nrecorded in {args.record}\n")
    return 0


def source_words(docs: Path) -> int:
    """Every word in the book's MyST sources (code and directives included).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = Path(tmp) / "page.md"
    ...     _ = page.write_text("# B-trees\\n\\nA node holds 2t - 1 keys at most.\\n")
    ...     source_words(Path(tmp))
    9
    """
    if not docs.is_dir():
        raise ValueError(f"no folder of sources at {str(docs)!r}")
    return sum(len(_WORD.findall(path.read_text(encoding="utf-8"))) for path in docs.rglob("*.md"))


def _report_builds(figures: Figures, out: TextIO) -> None:
    out.write(f"HTML: cold {figures.html_cold:.1f} s, warm {figures.html_warm:.1f} s, ")
    out.write(f"one-page edit {figures.html_edit:.1f} s\n")
    out.flush()


def report(figures: Figures, out: TextIO) -> None:
    """Write *figures* as a plain-text report."""
    out.write(f"\nsource: {figures.words:,} words")
    if figures.per_thousand_words is not None:
        out.write(f"; cold HTML build {figures.per_thousand_words:.3f} s per 1,000 words")
    out.write("\n\nbuild     cold (s)   warm (s)   one-page edit (s)\n")
    rows = [
        ("HTML", figures.html_cold, figures.html_warm, figures.html_edit),
        ("PDF", figures.pdf_cold, figures.pdf_warm, None),
        ("EPUB", figures.epub_cold, None, None),
    ]
    for name, cold, warm, edit in rows:
        out.write(f"{name:<8}{_cell(cold):>10}{_cell(warm):>11}{_cell(edit):>20}\n")
    if figures.pdf_pages is not None:
        out.write(f"PDF pages: {figures.pdf_pages:,}\n")
    if figures.pages:
        out.write(
            "\npage                         KiB loaded  KiB without mermaid  first diagram (ms)\n"
        )
        for page, (total, without, first) in figures.pages.items():
            shown = "-" if first is None else f"{first:.0f}"
            out.write(f"{page:<28} {total / 1024:10.0f} {without / 1024:20.0f} {shown:>19}\n")


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table_row(figures: Figures, *, date: str, commit: str, cores: int) -> str:
    """One Markdown row of *figures*, in the columns of :data:`HEADER`.

    >>> f = Figures(words=445_000, html_cold=150.0, html_warm=9.0, html_edit=12.5)
    >>> table_row(f, date="2026-12-06", commit="abc1234", cores=2)
    '| 2026-12-06 | abc1234 | 2 | 445,000 | 150.0 | 9.0 | 12.5 | 0.337 | - | - | - | - | - | - |'
    """
    hub = figures.pages.get(PAGES[0])
    chapters = [figures.pages[p][0] for p in PAGES[1:] if p in figures.pages]
    per_kw = figures.per_thousand_words
    cells = [
        date,
        commit,
        str(cores),
        f"{figures.words:,}",
        _cell(figures.html_cold),
        _cell(figures.html_warm),
        _cell(figures.html_edit),
        "-" if per_kw is None else f"{per_kw:.3f}",
        _cell(figures.pdf_cold),
        _cell(figures.pdf_warm),
        "-" if figures.pdf_pages is None else f"{figures.pdf_pages:,}",
        _cell(figures.epub_cold),
        "-" if hub is None else f"{hub[0] / 1024:.0f}",
        f"{max(chapters) / 1024:.0f}" if chapters else "-",
    ]
    return "| " + " | ".join(cells) + " |"


def record(path: Path, figures: Figures) -> None:
    """Append *figures* as a row of the table in *path* (made with its header if new)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    row = table_row(
        figures,
        date=datetime.date.today().isoformat(),
        commit=commit,
        cores=os.cpu_count() or 1,
    )
    if not path.is_file():
        rule = "|" + "---|" * HEADER.count(" | ") + "---|"
        path.write_text(f"{HEADER}\n{rule}\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as file:
        file.write(row + "\n")


def _timed_build(how: list[str], outdir: Path) -> float:
    """Seconds to run one Sphinx build (``-b NAME`` or ``-M NAME``) into *outdir*."""
    option, name = how
    command = [sys.executable, "-m", "sphinx", option, name, "docs", str(outdir)]
    command += ["-q", "-n", "-W", "--keep-going", "-j", "auto", "-c", "."]
    # Beside the output, not in it: the EPUB builder packs every file it finds there.
    command += ["-d", str(outdir.with_name(f"{outdir.name}.doctrees"))]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start


def _timed_pdf(outdir: Path) -> float:
    """Seconds to build the PDF and cut it into a PDF per part, as ``tox -e pdf`` does."""
    seconds = _timed_build(["-b", "latex"], outdir / "latex")
    start = time.perf_counter()
    subprocess.run([*PDF_MAKE, "-C", str(outdir / "latex")], check=True, capture_output=True)  # noqa: S603
    seconds += time.perf_counter() - start
    start = time.perf_counter()
    write_parts(outdir / "latex" / "studybook.pdf", outdir / "parts")
    return seconds + time.perf_counter() - start


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(pdf)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"pdfinfo printed no page count for {pdf}: {info!r}")
    return int(match.group(1))


@contextmanager
def _diagram_cache_set_aside() -> Iterator[None]:
    """Start the build with an empty diagram cache; keep what it draws for the warm build."""
    aside = DIAGRAM_CACHE.with_name("diagrams.bench-aside")
    shutil.rmtree(aside, ignore_errors=True)
    if DIAGRAM_CACHE.is_dir():
        DIAGRAM_CACHE.rename(aside)
    try:
        yield
    finally:
        # The cold build refilled the cache, and the warm build must use those
        # very files: a diagram drawn again differs in its PDF timestamp.
        shutil.rmtree(aside, ignore_errors=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _load(book: Path, page: str) -> tuple[int, int, float | None]:
    """Bytes transferred for *page* (all, and without mermaid) and ms to its first diagram."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            chromium = os.environ.get("STUDYBOOK_CHROMIUM", "/usr/bin/chromium")
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/{page}")
            first: float | None = None
            if tab.locator("pre.mermaid").count():
                # Diagrams are drawn as they near the viewport: go to the first.
                tab.locator("pre.mermaid").first.scroll_into_view_if_needed()
                tab.wait_for_selector("pre.mermaid[data-rendered]", timeout=30_000)
                first = float(tab.evaluate("performance.now()"))
            tab.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    total = sum(sizes.values())
    without = sum(size for url, size in sizes.items() if "/_static/mermaid/" not in url)
    return total, without, first


if __name__ == "__main__":
    sys.exit(main())
