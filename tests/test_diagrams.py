"""The PDF's and the EPUB's diagram images: drawn once by mermaid, cached by content."""

from __future__ import annotations

import re
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


ROOT = Path(__file__).resolve().parents[1]
CONF = """
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinxcontrib.mermaid", "studybook.sphinxext"]
exclude_patterns = ["build", "out"]
project, version, copyright = "Diagrams", "1", "2026"  # EPUB 3 asks for them
"""
PAGE = """# Diagrams

A diagram:

```{mermaid}
graph LR
  A --> B
```
"""


def _epub(project: Path, page: str) -> tuple[int, str]:
    from sphinx.cmd.build import build_main

    (project / "index.md").write_text(page, encoding="utf-8")
    warnings = project.parent / "warnings.txt"
    # The doctrees beside the output: the EPUB builder packs every file in its folder.
    trees = ["-d", str(project.parent / "trees")]
    args = [
        "-q",
        "-W",
        "-b",
        "epub",
        *trees,
        "-w",
        str(warnings),
        str(project),
        str(project / "out"),
    ]
    return build_main(args), warnings.read_text(encoding="utf-8")


def _project(tmp_path: Path) -> Path:
    """A Sphinx project with the book's extension, sharing the book's diagram cache."""
    project = tmp_path / "project"
    (project / "build").mkdir(parents=True)
    vendor = ROOT / "build" / "vendor"  # the book's mermaid and diagram cache
    vendor.mkdir(parents=True, exist_ok=True)
    (project / "build" / "vendor").symlink_to(vendor)
    (project / "conf.py").write_text(CONF, encoding="utf-8")
    return project


def test_the_epub_draws_each_diagram_as_an_svg_image_and_a_broken_one_fails_the_build(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path)
    code, warnings = _epub(project, PAGE)
    assert (code, warnings) == (0, "")
    page = (project / "out" / "index.xhtml").read_text(encoding="utf-8")
    image = r'<img alt="diagram" class="align-center" src="(_images/[0-9a-f]{24}\.svg)"'
    images = re.findall(image, page)
    assert len(images) == 1, page
    assert (project / "out" / images[0]).read_text(encoding="utf-8").startswith("<svg")
    # Mermaid cannot parse this one: the warning names the page and the line, -W fails.
    code, warnings = _epub(project, PAGE + "\n```{mermaid}\ngraph LR\n  A -->\n```\n")
    assert code != 0
    named = re.search(r"index\.md:\d+: WARNING: mermaid diagram failed to render", warnings)
    assert named, warnings


def test_the_pdf_gets_an_svg_image_printed_as_a_vector_pdf(tmp_path: Path) -> None:
    from sphinx.cmd.build import build_main

    project = _project(tmp_path)
    square = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect/></svg>'
    (project / "square.svg").write_text(square, encoding="utf-8")
    (project / "index.md").write_text("# Square\n\n![a square](square.svg)\n", encoding="utf-8")
    out = project / "out"
    # Warnings are errors here (pyproject.toml): Sphinx 9 deprecates the way
    # the converter used to reach the renderer.
    assert build_main(["-q", "-W", "-b", "latex", str(project), str(out)]) == 0
    assert r"\sphinxincludegraphics{{square}.pdf}" in (out / "diagrams.tex").read_text()
    assert (out / "square.pdf").read_bytes().startswith(b"%PDF")


def test_a_cache_write_that_fails_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rename fails: the target is a folder.
    (tmp_path / "taken.pdf").mkdir()
    with pytest.raises(IsADirectoryError):
        diagrams._write_atomically(tmp_path / "taken.pdf", b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["taken.pdf"]
    # The disk fills up as the file is closed (its buffer flushed), not as it is written.
    real = diagrams.os.fdopen

    class FullOnClose:
        def __init__(self, handle: int, mode: str) -> None:
            self.file = real(handle, mode)

        def __enter__(self) -> Any:
            return self.file

        def __exit__(self, *exc: object) -> None:
            self.file.close()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(diagrams.os, "fdopen", FullOnClose)
    with pytest.raises(OSError, match="No space left"):
        diagrams._write_atomically(tmp_path / "d.pdf", b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["taken.pdf"]
