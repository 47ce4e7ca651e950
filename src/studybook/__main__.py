"""The ``studybook`` command: list chapters, run a chapter's demo or its doctests.

Usage::

    python -m studybook list
    python -m studybook demo lsm-tree
    python -m studybook doctest lsm-tree
    python -m studybook serve [build/html] [--port 8000]
    python -m studybook check big-o [x-classify-a-triple-loop|1] [answer.py]

Exit codes: 0 success, 1 a doctest or an exercise check failed, 2 bad usage
(unknown chapter or exercise, a chapter without code, an answer file that is
missing or does not compile).
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import functools
import http.server
import importlib
import pkgutil
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TextIO

from studybook.book import CHAPTERS, PARTS, Chapter, chapter
from studybook.checks import cli_check

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# The same flags as pytest (pyproject.toml) and Sphinx (conf.py).
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the process exit code.

    >>> import io
    >>> buf = io.StringIO()
    >>> main(["demo", "lsm_tre"], out=buf)
    2
    >>> buf.getvalue().splitlines()[0]
    "studybook: no chapter 'lsm_tre'; did you mean 'lsm-tree'?"
    """
    out = sys.stdout if out is None else out
    parser = argparse.ArgumentParser(prog="studybook", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="chapters by part, with their modules")
    demo = sub.add_parser("demo", help="run a chapter's demo and narrate what happens")
    demo.add_argument("chapter", help="chapter id, e.g. lsm-tree")
    check = sub.add_parser("doctest", help="run a chapter's doctests (module and page)")
    check.add_argument("chapter", help="chapter id, e.g. lsm-tree")
    check.add_argument("-v", "--verbose", action="store_true", help="show every example")
    exercise = sub.add_parser("check", help="check an answer to an exercise (or list them)")
    exercise.add_argument("chapter", help="chapter id, e.g. big-o")
    exercise.add_argument("exercise", nargs="?", help="x-<key> or 1-based number on the page")
    exercise.add_argument("file", nargs="?", type=Path, help="a Python file with the answer")
    serve = sub.add_parser("serve", help="serve the built book on localhost (diagrams need it)")
    serve.add_argument("directory", nargs="?", default="build/html", type=Path)
    serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    if args.command == "list":
        _list_chapters(out)
        return EXIT_OK
    if args.command == "serve":
        return _serve(args.directory, args.port, out)
    if args.command == "check":
        return cli_check(args.chapter, args.exercise, args.file, out)
    try:
        ch = chapter(args.chapter)
        if ch.module is None and args.command == "demo":
            raise KeyError(f"chapter {ch.id!r} has no code to run")
    except KeyError as exc:
        out.write(f"studybook: {exc.args[0]}\n")
        return EXIT_USAGE
    if args.command == "demo":
        return _run_demo(ch, out)
    return _run_doctests(ch, out, verbose=args.verbose)


def _list_chapters(out: TextIO) -> None:
    for part in PARTS:
        members = [c for c in CHAPTERS if c.part == part.id]
        if not members:
            continue
        out.write(f"{part.title}\n")
        width = max(len(c.id) for c in members)
        for c in members:
            out.write(f"  {c.id:<{width}}  {c.module or '(prose only)'}\n")


def _serve(directory: Path, port: int, out: TextIO) -> int:
    if not (directory / "index.html").is_file():
        out.write(f"studybook: no built book in {str(directory)!r}; run `tox -e docs` first\n")
        return EXIT_USAGE
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    # Loopback only: this is a reader's preview, not a public web server.
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        out.write(f"Serving {directory} at http://127.0.0.1:{port}/ (Ctrl-C stops)\n")
        out.flush()
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
    return EXIT_OK


def _run_demo(ch: Chapter, out: TextIO) -> int:
    module = importlib.import_module(str(ch.module))
    demo = getattr(module, "demo", None)
    if demo is None:
        out.write(f"studybook: chapter {ch.id!r} has no demo\n")
        return EXIT_USAGE
    demo(out)
    return EXIT_OK


def _run_doctests(ch: Chapter, out: TextIO, *, verbose: bool) -> int:
    failed = attempted = 0
    for module in _chapter_modules(ch.module) if ch.module else []:
        # Doctest reports to stdout; send it to the caller's stream instead.
        runner = doctest.DocTestRunner(verbose=verbose, optionflags=_FLAGS)
        for test in doctest.DocTestFinder().find(module):
            runner.run(test, out=out.write)
        failed, attempted = failed + runner.failures, attempted + runner.tries
    pages = _page_paths(ch)
    for page in pages:
        result = _run_page_doctests(page, out, verbose=verbose)
        failed, attempted = failed + result.failed, attempted + result.attempted
    if ch.module is None:  # a prose chapter: its page examples only
        where = {0: "page not found", 1: "page"}.get(len(pages), f"{len(pages)} pages")
    else:
        where = {0: "module (page not found)", 1: "module and page"}.get(
            len(pages), f"module and {len(pages)} pages"
        )
    if not pages and ch.module is None:
        out.write(f"studybook: chapter {ch.id!r} has no code, and its page is not checked out\n")
        return EXIT_USAGE
    out.write(f"{ch.id}: {attempted - failed} passed, {failed} failed ({where})\n")
    return EXIT_FAILED if failed else EXIT_OK


def _chapter_modules(name: str) -> list[ModuleType]:
    root = importlib.import_module(name)
    modules = [root]
    if hasattr(root, "__path__"):  # a subpackage: every module in it
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{name}."):
            modules.append(importlib.import_module(info.name))
    return modules


def _page_paths(ch: Chapter) -> list[Path]:
    """The chapter's page and its subpages (``docs/<part>/<id>/*.md``), if checked out."""
    # Pages are not installed with the package; find them in a source checkout.
    here = Path(__file__).resolve()
    for parent in here.parents:
        page = parent / "docs" / ch.part / f"{ch.id}.md"
        if page.is_file():
            return [page, *sorted((page.parent / ch.id).glob("*.md"))]
    return []


_FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<kind>doctest|testsetup)\}[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$",
    re.M | re.S,
)


def _run_page_doctests(page: Path, out: TextIO, *, verbose: bool) -> doctest.TestResults:
    """Run a MyST page's ``{testsetup}`` then ``{doctest}`` blocks, in page order."""
    text = page.read_text(encoding="utf-8")
    setup: list[str] = []
    examples: list[str] = []
    for match in _FENCE.finditer(text):
        body = "\n".join(ln for ln in match["body"].splitlines() if not ln.startswith(":"))
        (setup if match["kind"] == "testsetup" else examples).append(body)
    globs: dict[str, object] = {"__name__": "__page__"}
    exec("\n".join(setup), globs)  # noqa: S102 - the page's own setup code, as Sphinx runs it
    parser = doctest.DocTestParser()
    test = parser.get_doctest("\n\n".join(examples), globs, page.name, str(page), 0)
    runner = doctest.DocTestRunner(verbose=verbose, optionflags=_FLAGS)
    runner.run(test, out=out.write)
    return doctest.TestResults(runner.failures, runner.tries)


if __name__ == "__main__":
    sys.exit(main())
