"""A PDF per part, cut from the whole book's PDF.

``python -m studybook.sphinxext.pdfparts build/latex/studybook.pdf build/pdf``
copies the book into ``build/pdf/`` and writes ``studybook-<part>.pdf`` beside
it, one per part that has chapters; the HTML's sidebar links every file it
finds there (conf.py). A part's PDF runs from its part page to the page before
the next part (or before the API appendix, for the last one), keeps the
book's bookmarks for those pages, its links between them, and the book's page
numbers, so a page cited from either edition is found in both.

Cutting takes seconds; typesetting each part on its own would take as long
again as the whole book, since XeLaTeX's time grows with the pages it sets.
The part pages are found from the PDF's own outline, whose top-level entries
the part pages made (latex.py: ``\\sbpart``), so the cut needs nothing but the
PDF.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import Destination

from studybook.book import PARTS, Part

__all__ = ["PartPages", "main", "part_pages", "write_parts"]


@dataclass(frozen=True)
class PartPages:
    """A part's pages in the book's PDF, as indices: its part page to ``stop`` (excluded)."""

    part: Part
    number: str  # as the book prints it: "IV"
    start: int
    stop: int


def part_pages(reader: PdfReader) -> list[PartPages]:
    """Where each part of the book starts and stops, from the outline's top level.

    A top-level entry titled with a roman numeral and a part's title opens that
    part; the next top-level entry (the next part, or the appendix) closes it.
    Raises ValueError when the outline names a part :data:`PARTS` does not know,
    or lists the parts out of the registry's order.
    """
    titles = {part.title: part for part in PARTS}
    tops = [entry for entry in reader.outline if isinstance(entry, Destination)]
    starts = [_page_index(reader, entry) for entry in tops]
    found: list[PartPages] = []
    for index, entry in enumerate(tops):
        match = re.fullmatch(r"([IVXLC]+) (.+)", str(entry.title))
        if match is None:
            continue
        part = titles.get(match[2])
        if part is None:
            raise ValueError(f"the outline has a part {entry.title!r} that is not in PARTS")
        stop = starts[index + 1] if index + 1 < len(tops) else len(reader.pages)
        found.append(PartPages(part, match[1], starts[index], stop))
    order = [p.id for p in PARTS]
    if [order.index(p.part.id) for p in found] != sorted(order.index(p.part.id) for p in found):
        raise ValueError(f"the outline lists parts out of order: {[p.part.id for p in found]}")
    return found


def _page_index(reader: PdfReader, entry: Destination) -> int:
    index = reader.get_destination_page_number(entry)
    if index is None:
        raise ValueError(f"the outline entry {entry.title!r} points to no page")
    return index


def write_parts(book: Path, outdir: Path) -> list[Path]:
    """Copy *book* into *outdir* and write ``<stem>-<part id>.pdf`` for each part.

    Returns the paths written, the whole book first, or ``[]`` when *outdir*
    already holds them for this very *book*: its copy there is newer than it
    and as long (latexmk leaves an unchanged book alone, so a warm build skips
    the cut). The copy is written last, so a cut that failed halfway is redone.
    Raises ValueError if *book* has no parts in its outline (a PDF that is not
    the book's).
    """
    copy = outdir / book.name
    if (
        copy.is_file()
        and copy.stat().st_mtime_ns > book.stat().st_mtime_ns
        and copy.stat().st_size == book.stat().st_size
    ):
        return []
    reader = PdfReader(book)
    parts = part_pages(reader)
    if not parts:
        raise ValueError(f"{book} has no part in its outline; is it the book's PDF?")
    outdir.mkdir(parents=True, exist_ok=True)
    written = [copy]
    labels = reader.page_labels
    for pages in parts:
        writer = PdfWriter()
        # The outline entries and internal links of these pages come along.
        writer.append(reader, pages=(pages.start, pages.stop), import_outline=True)
        first = labels[pages.start]
        if first.isdigit():  # the book's page numbers, not the file's page count
            writer.set_page_label(
                0, pages.stop - pages.start - 1, style=PageLabelStyle.DECIMAL, start=int(first)
            )
        author = reader.metadata.author if reader.metadata else None
        writer.add_metadata(
            {
                "/Title": f"{book.stem}, Part {pages.number}: {pages.part.title}",
                "/Author": author or "",
            }
        )
        writer.page_mode = "/UseOutlines"
        path = outdir / f"{book.stem}-{pages.part.id}.pdf"
        with path.open("wb") as stream:
            writer.write(stream)
        written.append(path)
    shutil.copyfile(book, copy)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``BOOK.pdf OUTDIR``; prints nothing, returns 0 or raises."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit("usage: python -m studybook.sphinxext.pdfparts BOOK.pdf OUTDIR")
    write_parts(Path(args[0]), Path(args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
