"""The PDF's and the EPUB's diagram images: drawn once by mermaid, cached by content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from studybook.sphinxext import diagrams

SOURCE = "graph TD; A-->B"
DRAWING = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g/></svg>'


def _renderer(folder: Path, monkeypatch: pytest.MonkeyPatch, drawn: list[str]) -> Any:
    renderer = diagrams._Renderer(folder)

    class Page:
        def evaluate(self, script: str, args: list[str]) -> str:
            drawn.append(args[1])
            return DRAWING

    monkeypatch.setattr(renderer, "_page", Page)
    monkeypatch.setattr(renderer, "print_svg", lambda svg: b"%PDF-1.4 " + svg.encode())
    return renderer


def test_the_pdf_and_the_epub_image_share_one_mermaid_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    renderer = _renderer(tmp_path, monkeypatch, drawn)
    pdf = renderer.render(SOURCE, "pdf")
    svg = renderer.render(SOURCE, "svg")
    assert drawn == [SOURCE]  # mermaid ran once, for both images
    assert pdf.read_bytes() == b"%PDF-1.4 " + DRAWING.encode()
    assert svg.suffix == ".svg"
    assert svg.read_text().startswith("<svg")
    # The next build (a new renderer on the same cache) draws nothing at all.
    again: list[str] = []
    later = _renderer(tmp_path, monkeypatch, again)
    assert later.render(SOURCE, "svg") == svg
    assert later.render(SOURCE, "pdf") == pdf
    assert again == []
    # Another diagram is drawn.
    later.render("graph LR; C-->D", "svg")
    assert again == ["graph LR; C-->D"]
