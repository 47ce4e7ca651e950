"""The PDF edition, opened as a reader's PDF viewer would open it.

Run with ``tox -e pdf``, which builds ``build/pdf/studybook.pdf`` first.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from studybook.book import CHAPTERS, PARTS

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
    return subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_outline_lists_parts_then_chapters_in_book_order():
    outline = reader().outline
    parts = [entry["/Title"] for entry in outline if not isinstance(entry, list)]
    expected_parts = [p.title for p in PARTS if any(c.part == p.id for c in CHAPTERS)]
    assert [re.sub(r"^[IVX]+\s+", "", t) for t in parts] == expected_parts
    chapters = [
        entry["/Title"]
        for group in outline
        if isinstance(group, list)
        for entry in group
        if not isinstance(entry, list)
    ]
    # The back matter follows the last part's chapters.
    assert chapters[-2:] == ["Python Module Index", "Index"]
    assert chapters[:-2] == [c.title for c in CHAPTERS]


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
