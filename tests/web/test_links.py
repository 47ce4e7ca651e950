"""Every internal link and anchor of the built book leads somewhere.

A fast pass over the HTML files, with no browser and no network: each
``<a href>`` that stays inside the book must name a file that was built and,
when it has a ``#fragment``, an element of that file with that ``id`` (or an
``<a name>``). Stylesheets, scripts and images the pages load are checked the
same way. Links to other hosts are left alone: the gate never goes online.
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = Path(os.environ.get("STUDYBOOK_HTML", ROOT / "build" / "html"))


# Sphinx writes every attribute double-quoted, and text (code included) with
# "<" escaped, so a tag can be matched by a regular expression; html.parser
# took a minute over the 50 MB the book writes, this takes seconds.
_TAG = re.compile(r"<(a|link|script|img)\b([^>]*)>")
_ID = re.compile(r'\sid="([^"]*)"')
_NAME = re.compile(r'<a\s[^>]*?\bname="([^"]*)"')


@dataclass
class _Page:
    """The anchors a page defines and the URLs it points at, with their line numbers."""

    anchors: set[str]
    links: list[tuple[int, str]]


@functools.cache
def _parse(path: Path) -> _Page:
    text = path.read_text(encoding="utf-8")
    anchors = {html.unescape(m[1]) for m in _ID.finditer(text)}
    anchors |= {html.unescape(m[1]) for m in _NAME.finditer(text)}
    links: list[tuple[int, str]] = []
    line, counted = 1, 0
    for tag in _TAG.finditer(text):
        attribute = "href" if tag[1] in {"a", "link"} else "src"
        value = re.search(rf'\s{attribute}="([^"]*)"', tag[2])
        if value is not None:
            line, counted = line + text.count("\n", counted, tag.start()), tag.start()
            links.append((line, html.unescape(value[1])))
    return _Page(anchors, links)


def broken_links(book: Path) -> list[str]:
    """Every internal link under *book* whose file or anchor does not exist.

    Each problem reads ``page:line: href (why)``, ``page`` relative to *book*.
    """
    if not book.is_dir():
        raise ValueError(f"no built book at {book}")
    # Paths relative to the book, "/"-separated: one walk instead of a system
    # call per link (the book has some 200,000 links).
    files = {p.relative_to(book).as_posix() for p in book.rglob("*") if p.is_file()}
    folders = {f.rsplit("/", 1)[0] for f in files if "/" in f}
    problems: list[str] = []
    for where in sorted(f for f in files if f.endswith(".html")):
        folder = where.rsplit("/", 1)[0] + "/" if "/" in where else ""
        for line, href in _parse(book / where).links:
            url = urlsplit(href)
            if url.scheme or url.netloc:
                continue  # another host (or mailto:, data:): not ours to check
            target = posixpath.normpath(folder + unquote(url.path)) if url.path else where
            if target in folders or target == ".":
                target = posixpath.join(target, "index.html").removeprefix("./")
            if target == ".." or target.startswith("../"):
                problems.append(f"{where}:{line}: {href} (leaves the book)")
            elif target not in files:
                problems.append(f"{where}:{line}: {href} (no such file)")
            elif (
                url.fragment
                and target.endswith(".html")
                and unquote(url.fragment) not in _parse(book / target).anchors
            ):
                problems.append(f"{where}:{line}: {href} (no such anchor)")
    return problems


def test_every_internal_link_and_anchor_of_the_book_resolves() -> None:
    if not (BOOK / "index.html").is_file():
        pytest.fail(f"no built book in {BOOK}; run `tox -e docs` first")
    assert broken_links(BOOK) == []


def test_broken_files_and_anchors_are_found(tmp_path: Path) -> None:
    (tmp_path / "part").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">Hub</h1>\n'
        '<a href="part/ch.html#intro">ok</a> <a href="#top">ok</a> <a href="#">ok</a>\n'
        '<a href="part/ch.html#gone">anchor</a> <a href="missing.html">file</a>\n'
        '<a href="https://example.org/x.html#y">elsewhere</a> <img src="part/fig.png">\n'
        '<a href="../outside.html">out</a>',
        encoding="utf-8",
    )
    (tmp_path / "part" / "ch.html").write_text(
        '<section id="intro"><a name="old"></a><a href="../index.html#top">up</a>'
        '<a href="ch.html#old">old</a><a href="./">folder</a></section>',
        encoding="utf-8",
    )
    (tmp_path / "part" / "index.html").write_text("<p>part</p>", encoding="utf-8")
    assert broken_links(tmp_path) == [
        "index.html:3: part/ch.html#gone (no such anchor)",
        "index.html:3: missing.html (no such file)",
        "index.html:4: part/fig.png (no such file)",
        "index.html:5: ../outside.html (leaves the book)",
    ]


def test_a_missing_book_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no built book at .*nowhere"):
        broken_links(tmp_path / "nowhere")
