"""Cutting the book's PDF into one PDF per part (studybook.sphinxext.pdfparts).

Runs in ``tox -e pdf``, whose `pdf` extra has pypdf; it needs no built book.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from studybook.sphinxext import pdfparts


def _book(path: Path, tops: list[tuple[str, int, list[tuple[str, int]]]], pages: int) -> Path:
    """A PDF of blank pages with an outline: (title, page index, [(child, page index)])."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    for title, page, children in tops:
        parent = writer.add_outline_item(title=title, page_number=page)
        for child, child_page in children:
            writer.add_outline_item(title=child, page_number=child_page, parent=parent)
    if pages > 3:
        writer.set_page_label(0, 1, style="/r")  # front matter: i, ii
        writer.set_page_label(2, pages - 1, style="/D", start=1)
    writer.add_metadata({"/Author": "the authors"})
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def _outline(reader):
    out = []
    for entry in reader.outline:
        if isinstance(entry, list):
            out.append([(e.title, reader.get_destination_page_number(e)) for e in entry])
        else:
            out.append((entry.title, reader.get_destination_page_number(entry)))
    return out


def test_each_part_gets_its_pages_bookmarks_and_printed_page_numbers(tmp_path):
    book = _book(
        tmp_path / "book.pdf",
        [
            ("Contents", 0, []),
            ("I Data Structures & Algorithms", 2, [("LSM Tree", 3), ("Big O", 5)]),
            ("II Performance & Fundamentals", 7, [("Latency Numbers", 8)]),
            ("API Reference", 10, [("LSM Tree: API reference", 11), ("Index", 12)]),
        ],
        pages=13,
    )
    written = pdfparts.write_parts(book, tmp_path / "out")
    assert [p.name for p in written] == ["book.pdf", "book-dsa.pdf", "book-fundamentals.pdf"]
    assert written[0].read_bytes() == book.read_bytes()

    dsa = pypdf.PdfReader(written[1])
    assert len(dsa.pages) == 5  # indices 2..6: the part page up to the next part
    assert _outline(dsa) == [
        ("I Data Structures & Algorithms", 0),
        [("LSM Tree", 1), ("Big O", 3)],
    ]
    assert dsa.page_labels == ["1", "2", "3", "4", "5"]
    assert dsa.metadata.title == "book, Part I: Data Structures & Algorithms"
    assert dsa.metadata.author == "the authors"

    # The last part stops where the appendix starts.
    fundamentals = pypdf.PdfReader(written[2])
    assert len(fundamentals.pages) == 3
    assert _outline(fundamentals) == [
        ("II Performance & Fundamentals", 0),
        [("Latency Numbers", 1)],
    ]
    assert fundamentals.page_labels == ["6", "7", "8"]


def test_an_unchanged_book_is_not_cut_again(tmp_path):
    import os

    book = _book(tmp_path / "book.pdf", [("I Data Structures & Algorithms", 0, [])], pages=2)
    built = book.stat().st_mtime_ns - 10_000_000_000  # clearly older than the cut's files
    os.utime(book, ns=(built, built))
    out = tmp_path / "out"
    assert [p.name for p in pdfparts.write_parts(book, out)] == ["book.pdf", "book-dsa.pdf"]
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert pdfparts.write_parts(book, out) == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    # A new book (as latexmk writes one): cut again.
    later = (out / "book.pdf").stat().st_mtime_ns + 1_000_000_000
    os.utime(book, ns=(later, later))
    assert len(pdfparts.write_parts(book, out)) == 2
    # A cut that stopped before copying the book is redone.
    (out / "book.pdf").unlink()
    assert len(pdfparts.write_parts(book, out)) == 2


def test_a_part_the_registry_does_not_know_is_an_error(tmp_path):
    book = _book(tmp_path / "book.pdf", [("I Cooking", 0, [])], pages=2)
    with pytest.raises(
        ValueError, match=r"the outline has a part 'I Cooking' that is not in PARTS"
    ):
        pdfparts.write_parts(book, tmp_path / "out")


def test_parts_out_of_order_are_an_error(tmp_path):
    book = _book(
        tmp_path / "book.pdf",
        [("I Performance & Fundamentals", 0, []), ("II Data Structures & Algorithms", 1, [])],
        pages=3,
    )
    with pytest.raises(ValueError, match=r"out of order: \['fundamentals', 'dsa'\]"):
        pdfparts.write_parts(book, tmp_path / "out")


def test_a_pdf_without_parts_is_refused_and_nothing_is_written(tmp_path):
    book = _book(tmp_path / "other.pdf", [("Introduction", 0, [])], pages=3)
    with pytest.raises(ValueError, match=r"other\.pdf has no part in its outline"):
        pdfparts.write_parts(book, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_command_line_takes_the_book_and_a_directory(tmp_path):
    with pytest.raises(SystemExit, match=r"usage: python -m studybook\.sphinxext\.pdfparts"):
        pdfparts.main(["only-one"])
    book = _book(tmp_path / "b.pdf", [("I Data Structures & Algorithms", 0, [])], pages=2)
    assert pdfparts.main([str(book), str(tmp_path / "out")]) == 0
    assert len(pypdf.PdfReader(tmp_path / "out" / "b-dsa.pdf").pages) == 2
