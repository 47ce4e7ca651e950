"""Benchmark the book's builds and what a reader's browser loads.

Run from a checkout with the docs and PDF extras installed::

    python -m studybook.sphinxext.bench [--skip-pdf]

It measures, on this machine:

* cold and warm build times of the HTML book, the PDF and the EPUB (cold: a
  fresh output folder and an empty diagram cache; warm: the same build again);
* bytes a browser transfers to show the hub and the LSM Tree page, with and
  without mermaid's scripts (which load only on pages with a diagram);
* time from navigation to the first diagram drawn, in headless Chromium.

Builds go to a temporary folder. Each cold build starts with an empty
diagram cache under ``build/vendor`` and leaves it filled for the warm one.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from studybook.sphinxext.diagrams import CHROMIUM_ARGS

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[3]
DIAGRAM_CACHE = ROOT / "build" / "vendor" / "diagrams"


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run the benchmark and write a report to *out*; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF builds")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="studybook-bench-") as tmp:
        work = Path(tmp)
        builds = [("HTML", ["-b", "html"]), ("EPUB", ["-b", "epub"])]
        if not args.skip_pdf:
            builds.insert(1, ("PDF", ["-M", "latexpdf"]))
        out.write("build          cold (s)   warm (s)\n")
        for name, how in builds:
            with _diagram_cache_set_aside():
                cold = _timed_build(how, work / name)
            warm = _timed_build(how, work / name)
            out.write(f"{name:<12} {cold:9.1f} {warm:10.1f}\n")
        out.flush()
        html = work / "HTML"
        out.write("\npage                 KiB loaded  KiB without mermaid  first diagram (ms)\n")
        for page in ("index.html", "dsa/lsm-tree.html"):
            total, without, first = _load(html, page)
            shown = "-" if first is None else f"{first:.0f}"
            out.write(f"{page:<20} {total / 1024:10.0f} {without / 1024:20.0f} {shown:>19}\n")
    return 0


def _timed_build(how: list[str], outdir: Path) -> float:
    """Seconds to run one Sphinx build (``-b NAME`` or ``-M NAME``) into *outdir*."""
    option, name = how
    command = [sys.executable, "-m", "sphinx", option, name, "docs", str(outdir)]
    command += ["-q", "-j", "auto", "-c", ".", "-d", str(outdir / ".doctrees")]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - start


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
