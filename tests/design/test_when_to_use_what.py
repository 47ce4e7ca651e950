"""The decision guide: every row complete and linked, every link live, every reason executed.

The chapter has no module; what can be checked is the page itself. The nitpicky
Sphinx build also fails on a broken link, but it takes minutes; these checks
take a fraction of a second and say which row is wrong.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from myst_parser.slugs import github_slugify, unique_slug

from studybook.__main__ import _run_page_doctests
from studybook.book import CHAPTERS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGE = DOCS / "design" / "when-to-use-what.md"
HEADER = "| If you see | Use | Because | Flips when | Implemented in |"
AREAS = (
    "Data structures",
    "Algorithms",
    "Rate limiting",
    "Caching",
    "Databases: SQL or NoSQL, and which NoSQL",
    "Messaging: a log or a broker",
    "Distributed patterns",
)
# [text](/part/page.md#anchor) and {doc}`/part/page` (absolute: relative to docs/).
MD_LINK = re.compile(r"\]\((/[\w/-]+)\.md(?:#([\w-]+))?\)")
DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?(/[\w/-]+)>?`")
# {ref}`text <label>` or {ref}`label`: a label defined as "(label)=" on some page.
REF_ROLE = re.compile(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`")
FENCE = re.compile(r"^(`{3,}).*?^\1\s*$", re.M | re.S)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _anchors(page: Path) -> set[str]:
    """Heading anchors MyST makes for levels 1-3 (``myst_heading_anchors = 3``)."""
    prose = FENCE.sub("", _text(page))  # a '# comment' inside code is not a heading
    found: set[str] = set()
    for match in re.finditer(r"^#{1,3} (.+?)\s*$", prose, re.M):
        found.add(unique_slug(github_slugify(match[1]), found))
    return found


def _sections(text: str) -> dict[str, str]:
    """Map each level-3 heading of the page to its body."""
    parts = re.split(r"^### (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _rows(body: str) -> list[list[str]]:
    """The decision table's rows in a section: five cells each, header excluded."""
    lines = body.splitlines()
    start = lines.index(HEADER)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def _linked_docnames(text: str) -> list[tuple[str, str | None]]:
    links = [(m[1], m[2]) for m in MD_LINK.finditer(text)]
    return links + [(m[1], None) for m in DOC_ROLE.finditer(text)]


def test_anchor_helper_matches_known_headings():
    # The checker itself must be able to fail: a real anchor is found, a made-up one is not.
    anchors = _anchors(DOCS / "dsa" / "data-structures.md")
    assert {"hash-tables", "heaps-and-priority-queues", "tries"} <= anchors
    assert "hash-table" not in anchors
    assert "bloom-filter-the-false-positive-formula-and-the-optimal-k" in _anchors(
        DOCS / "dsa" / "advanced-structures.md"
    )


@pytest.mark.parametrize("area", AREAS)
def test_every_area_has_a_flowchart_and_complete_linked_rows(area):
    body = _sections(_text(PAGE))[area]
    assert "```{mermaid}\nflowchart" in body
    rows = _rows(body)
    assert len(rows) >= 6, f"{area}: only {len(rows)} rows"
    for row in rows:
        assert len(row) == 5, f"{area}: row does not have five cells: {row}"
        assert all(cell for cell in row), f"{area}: empty cell in {row[:2]}"
        assert _linked_docnames(row[4]), f"{area}: no chapter linked for {row[1]}"


def test_every_link_targets_a_written_chapter_and_an_existing_heading():
    written = {f"/{c.docname}" for c in CHAPTERS}
    links = _linked_docnames(_text(PAGE))
    assert len(links) > 80
    for docname, anchor in links:
        page = DOCS / f"{docname.lstrip('/')}.md"
        assert page.is_file(), f"no page for {docname}"
        # A chapter, a subpage of one (dsa/leetcode-patterns/trie), or a sibling page of
        # this part: never a chapter of a part not yet written.
        assert docname.startswith("/design/") or any(
            docname == w or docname.startswith(f"{w}/") for w in written
        ), docname
        if anchor is not None:
            assert anchor in _anchors(page), f"{docname}.md has no heading #{anchor}"


def test_flowcharts_are_many_and_their_labels_balanced():
    blocks = re.findall(r"^```\{mermaid\}\n(.*?)^```", _text(PAGE), re.M | re.S)
    assert len(blocks) >= 6
    for block in blocks:
        assert block.startswith("flowchart ")
        for line in block.splitlines():
            assert line.count('"') % 2 == 0, f"unbalanced quote in mermaid line {line!r}"


def test_the_executed_reasons_pass():
    out = io.StringIO()
    result = _run_page_doctests(PAGE, out, verbose=False)
    assert result.failed == 0, out.getvalue()
    assert result.attempted >= 10


def test_every_ref_label_is_defined_somewhere_in_the_book():
    refs = REF_ROLE.findall(_text(PAGE))
    assert refs, "the page cites labelled sections of its sibling chapters"
    defined = {
        label
        for page in DOCS.rglob("*.md")
        for label in re.findall(r"^\(([\w-]+)\)=\s*$", _text(page), re.M)
    }
    assert "no-such-label" not in defined
    for label in refs:
        assert label in defined, f"no (label)= for {{ref}} {label!r}"


@pytest.mark.parametrize(
    ("area", "use", "target"),
    [
        ("Caching", "**LRU** eviction", "/design/design-solutions-1#lru-cache"),
        ("Algorithms", "**Dijkstra**", "/design/design-solutions-1#dijkstra-and-a"),
        (
            "Distributed patterns",
            "**idempotency key** deduplicated at the resource",
            "/design/design-solutions-2#idempotency-keys-for-payments",
        ),
        (
            "Distributed patterns",
            "**hash partitioning** over many fixed partitions or a ring",
            "/design/design-solutions-2#sharding-hash-range-geo-and-skew",
        ),
    ],
)
def test_rows_link_the_worked_python_solutions(area, use, target):
    # The Part IV solution chapters run these choices; the row must send the reader there.
    rows = {row[1]: row for row in _rows(_sections(_text(PAGE))[area])}
    linked = {f"{doc}#{anchor}" for doc, anchor in _linked_docnames(rows[use][4])}
    assert target in linked, f"{area} / {use}: {sorted(linked)}"
