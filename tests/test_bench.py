"""The benchmark's bookkeeping: words of source, the report and the recorded table."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from studybook.sphinxext import bench


def test_source_words_counts_every_page_under_the_folder(tmp_path: Path) -> None:
    (tmp_path / "part").mkdir()
    (tmp_path / "index.md").write_text("one two three\n", encoding="utf-8")
    (tmp_path / "part" / "page.md").write_text("```python\nx = 1\n```\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a page at all\n", encoding="utf-8")
    # "python", "x" and "1": code counts as source, files that are not pages do not.
    assert bench.source_words(tmp_path) == 6


def test_source_words_names_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no folder of sources at '.*nowhere'"):
        bench.source_words(tmp_path / "nowhere")


def test_record_starts_the_table_then_appends(tmp_path: Path) -> None:
    table = tmp_path / "BENCHMARKS.md"
    figures = bench.Figures(words=2000, html_cold=1.0, html_warm=0.5, html_edit=0.25)
    figures.pages = {"index.html": (2048, 1024, None), "dsa/lsm-tree.html": (4096, 2048, 80.0)}
    bench.record(table, figures)
    bench.record(table, figures)
    lines = table.read_text(encoding="utf-8").splitlines()
    assert lines[0] == bench.HEADER
    assert lines[1].count("|") == bench.HEADER.count("|")
    assert len(lines) == 4
    assert lines[2] == lines[3]
    cells = [c.strip() for c in lines[2].strip("|").split("|")]
    assert cells[3:8] == ["2,000", "1.0", "0.5", "0.2", "0.500"]
    assert cells[-2:] == ["2", "4"]


def test_report_shows_what_was_measured_and_dashes_the_rest() -> None:
    out = io.StringIO()
    figures = bench.Figures(words=10_000, html_cold=3.0, epub_cold=7.5, pdf_pages=12)
    bench.report(figures, out)
    text = out.getvalue()
    assert "10,000 words; cold HTML build 0.300 s per 1,000 words" in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line}
    assert rows["EPUB"] == ["7.5", "-", "-"]
    assert rows["HTML"] == ["3.0", "-", "-"]
    assert "PDF pages: 12" in text
