"""The PDF edition, opened as a reader's PDF viewer would open it.

Run with ``tox -e pdf``, which builds ``build/pdf/studybook.pdf`` and the PDF
of each part (``build/pdf/studybook-<part>.pdf``) first.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from studybook import __version__
from studybook.book import CHAPTERS, PARTS
from studybook.sphinxext.hub import api_pages

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "build" / "pdf" / "studybook.pdf"
LOG = ROOT / "build" / "latex" / "studybook.log"


@cache
def reader() -> PdfReader:
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}; run `tox -e pdf`")
    return PdfReader(PDF)


@cache
def text() -> str:
    return _pdftotext(PDF)


def _pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of *pdf*, or of its 1-based pages *first* to *last*, as a reader copies it."""
    pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _flat(pdf: Path, page: int) -> str:
    return " ".join(_pdftotext(pdf, page).split())


PARTS_WITH_CHAPTERS = [p for p in PARTS if any(c.part == p.id for c in CHAPTERS)]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _api_titles() -> list[str]:
    docs = ROOT / "docs"
    return [
        re.search(r"^# (.+)$", (docs / f"{page}.md").read_text(encoding="utf-8"), re.M)[1]
        for page in api_pages(docs)
    ]


def _top_level(pdf: PdfReader) -> list[tuple[str, int, list[str]]]:
    """The outline's top entries: (title, page index, titles of the entries below it)."""
    out: list[tuple[str, int, list[str]]] = []
    for entry in pdf.outline:
        if isinstance(entry, list):
            out[-1][2].extend(e["/Title"] for e in entry if not isinstance(e, list))
        else:
            out.append((entry["/Title"], pdf.get_destination_page_number(entry), []))
    return out


def test_outline_lists_parts_then_chapters_in_book_order():
    tops = _top_level(reader())
    expected = [f"{n} {p.title}" for n, p in zip(ROMAN, PARTS_WITH_CHAPTERS, strict=False)]
    # The parts, then the appendix, which holds the API pages and the back matter.
    assert [title for title, _, _ in tops] == [*expected, "API Reference"]
    chapters = [title for _, _, below in tops[:-1] for title in below]
    assert chapters == [c.title for c in CHAPTERS]
    assert tops[-1][2] == [*_api_titles(), "Python Module Index", "Index"]


def test_title_page_and_its_verso():
    assert _flat(PDF, 1) == (
        "studybook An open-source study book for technical interviews"
        f" the studybook authors Release {__version__}"
    )
    verso = _flat(PDF, 2)
    assert verso.startswith("Copyright © 2026, the studybook authors. Released under the MIT")
    assert f"Release {__version__}, typeset " in verso


def test_each_part_opens_on_a_recto_of_its_own_with_a_blank_verso():
    tops = _top_level(reader())
    for number, part in zip(ROMAN, PARTS_WITH_CHAPTERS, strict=False):
        (index,) = [i for title, i, _ in tops if title == f"{number} {part.title}"]
        assert index % 2 == 0, part.id  # an odd page number: a recto
        # Nothing else on it: no running head, no page number.
        assert _flat(PDF, index + 1) == f"PART {number} {part.title} {part.blurb}"
        assert _flat(PDF, index + 2) == ""


def test_api_reference_is_an_appendix_after_the_last_part():
    tops = _top_level(reader())
    title, index, below = tops[-1]
    assert (title, below[0]) == ("API Reference", _api_titles()[0])
    assert index > tops[-2][1]
    assert _flat(PDF, index + 1).startswith("APPENDIX API Reference Each chapter's module")
    assert _flat(PDF, index + 3).startswith(f"APPENDIX A {_api_titles()[0].upper()}")
    # Printed once, there: no longer in the middle of the LSM Tree chapter.
    flat = " ".join(text().split())
    opening = "The public names of studybook.dsa.lsm_tree come first"
    assert flat.count(opening) == 1
    assert flat.index(opening) > flat.index("APPENDIX API Reference Each chapter's module")


def test_index_lists_the_api_names_with_their_pages():
    outline = reader().outline
    (entry,) = [e for e in outline[-1] if not isinstance(e, list) and e["/Title"] == "Index"]
    first = reader().get_destination_page_number(entry) + 1
    assert _flat(PDF, first).startswith("INDEX")
    index = " ".join(_pdftotext(PDF, first, len(reader().pages)).split())
    assert re.search(r"LSMTree \(class in studybook\.dsa\.lsm_tree\), \d+", index)


@pytest.mark.parametrize("part", PARTS_WITH_CHAPTERS, ids=lambda p: p.id)
def test_each_part_has_a_pdf_of_its_own(part):
    path = PDF.with_name(f"studybook-{part.id}.pdf")
    assert path.is_file(), f"no {path.name}; run `tox -e pdf`"
    own = PdfReader(path)
    book = _top_level(reader())
    number = ROMAN[PARTS_WITH_CHAPTERS.index(part)]
    where = [i for i, (title, _, _) in enumerate(book) if title == f"{number} {part.title}"]
    start, stop = book[where[0]][1], book[where[0] + 1][1]
    assert len(own.pages) == stop - start
    assert _flat(path, 1) == f"PART {number} {part.title} {part.blurb}"
    assert _top_level(own) == [
        (f"{number} {part.title}", 0, [c.title for c in CHAPTERS if c.part == part.id])
    ]
    # The book's page numbers, so that a page cited in one edition is found in the other.
    assert own.page_labels[0] == reader().page_labels[start]
    assert own.metadata.title == f"studybook, Part {number}: {part.title}"


def test_stdlib_names_have_no_url_footnotes_but_written_links_do():
    assert "docs.python.org" not in text()
    squeezed = re.sub(r"\s+", "", text())
    assert "https://github.com/facebook/rocksdb/blob/main/include/rocksdb/options.h" in squeezed


def test_every_diagram_is_embedded_as_vector_graphics():
    forms: set[int] = set()
    rasters = 0
    for page in reader().pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in xobjects.get_object().values() if xobjects else []:
            subtype = ref.get_object().get("/Subtype")
            if subtype == "/Form":
                forms.add(ref.idnum)
            elif subtype == "/Image":
                rasters += 1
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")]
    diagrams = {
        block.strip()
        for source in sources
        for block in re.findall(r"^```\{mermaid\}\n(.*?)^```", source, re.M | re.S)
    }
    svg_figures = sum(len(re.findall(r"^```\{image\} \S+\.svg$", s, re.M)) for s in sources)
    assert len(forms) == len(diagrams) + svg_figures
    assert rasters == 0


def test_text_of_the_lsm_chapter_is_searchable():
    flat = " ".join(text().split())
    assert "A lookup stops at the first place that knows the key" in flat


def test_no_unresolved_reference_or_missing_glyph():
    assert "??" not in text()
    log = LOG.read_text(encoding="utf-8", errors="replace")
    assert "There were undefined references" not in log
    assert "Missing character" not in log


def test_answers_and_solutions_are_printed_not_hidden():
    flat = " ".join(text().split())
    assert "Q. Why is an LSM tree faster for writes than a B-tree? Answer. A B-tree" in flat
    assert "Solution." in flat


def test_pages_are_labelled_as_printed_and_the_contents_list_the_index():
    # Two XeLaTeX passes make the book (latex.py): the labels come from the
    # second, not from the first, which had no table of contents yet.
    labels = reader().page_labels
    assert labels[:3] == ["1", "2", "i"]  # title page and verso, then the contents
    first = labels.index("1", 2)  # the main matter's first page
    assert all(set(label) <= set("ivxlc") for label in labels[2:first])
    assert labels[-1] == str(len(labels) - first)
    # The contents list the index, on the page that its label names.
    outline = reader().outline[-1]
    (entry,) = [e for e in outline if not isinstance(e, list) and e["/Title"] == "Index"]
    index_page = reader().get_destination_page_number(entry)
    contents = " ".join(_pdftotext(PDF, 3, first).split())
    assert re.search(rf"\bIndex {labels[index_page]}\b", contents), contents[-300:]
