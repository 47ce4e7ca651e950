"""The EPUB edition: a valid container, chapters in order, no missing images.

Run with ``tox -e epub``, which builds ``build/epub/studybook.epub`` first.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest

from studybook.book import CHAPTERS

EPUB = Path(__file__).resolve().parents[2] / "build" / "epub" / "studybook.epub"
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}


@cache
def book() -> zipfile.ZipFile:
    if not EPUB.is_file():
        pytest.fail(f"no EPUB at {EPUB}; run `tox -e epub`")
    return zipfile.ZipFile(EPUB)


def opf() -> tuple[str, ElementTree.Element]:
    container = ElementTree.fromstring(book().read("META-INF/container.xml"))
    rootfile = container.find(".//c:rootfile", NS)
    assert rootfile is not None
    path = rootfile.attrib["full-path"]
    return path, ElementTree.fromstring(book().read(path))


def test_container_starts_with_an_uncompressed_mimetype():
    first = book().infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert book().read("mimetype") == b"application/epub+zip"


def test_spine_has_every_chapter_in_book_order():
    _, package = opf()
    manifest = {
        item.attrib["id"]: item.attrib["href"] for item in package.findall(".//opf:item", NS)
    }
    spine = [manifest[ref.attrib["idref"]] for ref in package.findall(".//opf:itemref", NS)]
    wanted = [f"{c.docname}.xhtml" for c in CHAPTERS]
    positions = [spine.index(w) for w in wanted]
    assert positions == sorted(positions)


def test_every_image_is_in_the_book_and_diagrams_are_images():
    names = set(book().namelist())
    pages = [n for n in names if n.endswith(".xhtml")]
    images = 0
    for page in pages:
        html = book().read(page).decode()
        assert '<pre class="mermaid"' not in html, f"{page}: an undrawn diagram"
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            assert not src.startswith(("http:", "https:")), f"{page}: remote image {src}"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), src))
            assert target in names, f"{page}: missing image {src}"
            images += 1
    lsm = book().read("dsa/lsm-tree.xhtml").decode()
    assert lsm.count("<img") >= 5  # the chapter's five diagrams
    assert images > 0


def test_pages_and_images_are_xml_and_inline_svg_is_declared():
    # EPUBCheck (run after these tests in `tox -e epub`) checks far more; this
    # names the page when a reader's XML parser would refuse it.
    _, package = opf()
    declared = {
        item.attrib["href"]: item.attrib.get("properties", "").split()
        for item in package.findall(".//opf:item", NS)
    }
    pages = 0
    for name in book().namelist():
        if not name.endswith((".xhtml", ".svg")):
            continue
        try:
            root = ElementTree.fromstring(book().read(name))
        except ElementTree.ParseError as exc:
            pytest.fail(f"{name} is not well-formed XML: {exc}")
        if name.endswith(".xhtml") and name in declared:
            pages += 1
            bare = root.findall(".//{http://www.w3.org/1999/xhtml}svg")
            assert not bare, f"{name}: an <svg> outside the SVG namespace"
            inline = root.find(".//{http://www.w3.org/2000/svg}svg") is not None
            assert inline == ("svg" in declared[name]), f"{name}: manifest properties"
    assert pages >= len(CHAPTERS)
