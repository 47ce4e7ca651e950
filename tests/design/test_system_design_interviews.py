"""Checks on the prose chapter docs/design/system-design-interviews.md and its design pages.

The chapter has no module: its pages import the book's code in doctests. These
tests check what makes the chapter trustworthy and uniform: every design page
follows the section template the chapter page states ("Each design page"), in
that order, with computed estimates, a diagram and follow-up questions; the
table of the 26 designs and the toctree agree with the pages on disk; and every
page's doctests pass, run by the same runner as ``python -m studybook doctest``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from studybook.__main__ import _run_page_doctests

DOCS = Path(__file__).resolve().parents[2] / "docs" / "design"
CHAPTER = DOCS / "system-design-interviews.md"
TEXT = CHAPTER.read_text(encoding="utf-8")
PAGES = sorted((DOCS / "system-design-interviews").glob("*.md"))

# The 26 designs the chapter covers, in the table's order (issue 14, catalog.toml).
DESIGNS = (
    "Twitter / news feed", "Uber / ride hailing", "YouTube", "Rate limiter",
    "Consistent hashing", "Key-value store", "Unique ID generator", "URL shortener",
    "Web crawler", "Notification system", "Chat system", "Search autocomplete",
    "Google Drive", "Proximity service", "Nearby friends", "Google Maps",
    "Distributed message queue", "Metrics monitoring and alerting", "Ad click aggregation",
    "Hotel reservation", "Distributed email", "S3-like object storage",
    "Real-time leaderboard", "Payment system", "Digital wallet", "Stock exchange",
)  # fmt: skip
REQUIREMENT_PARTS = ["Functional", "Non-functional", "Clarifying questions"]


def _section(text: str, heading: str) -> str:
    """The body of the section titled ``heading``, up to the next heading of its level or higher."""
    m = re.search(rf"^(#+) {re.escape(heading)}\n", text, re.M)
    assert m, f"no section {heading!r}"
    end = re.compile(rf"^#{{1,{len(m[1])}}} ", re.M).search(text, m.end())
    return text[m.end() : end.start() if end else len(text)]


def _template() -> list[str]:
    """Section titles of a design page, from the numbered list under "Each design page"."""
    body = _section(TEXT, "Each design page")
    return re.findall(r"^\d+\. \*\*(.+?)\*\*", body, re.M)


def _headings(text: str, level: int) -> list[str]:
    """Headings of exactly ``level`` outside fenced blocks."""
    outside = re.sub(r"^(`{3,}).*?^\1\s*$", "", text, flags=re.M | re.S)
    return re.findall(rf"^{'#' * level} (.+)$", outside, re.M)


def test_there_are_design_pages_and_the_template_has_eleven_sections() -> None:
    assert len(PAGES) >= 3
    assert _template() == [
        "Requirements", "Estimates", "API", "Data model", "High-level architecture",
        "Deep dives", "Bottlenecks and scaling 10x and 100x", "Failure modes",
        "Trade-offs a strong candidate names", "Follow-up interview questions",
        "Further reading",
    ]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_design_page_follows_the_template_in_order(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert len(_headings(text, 1)) == 1, "one title per page"
    assert _headings(text, 2) == _template()
    requirements = _section(text, "Requirements")
    assert _headings(requirements, 3) == REQUIREMENT_PARTS
    assert len(_headings(_section(text, "Deep dives"), 3)) >= 2, "two or three deep dives"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_design_page_has_computed_estimates_a_diagram_and_questions(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.count("```{testsetup}") == 1
    assert "```{doctest}\n>>> e = estimate(" in _section(text, "Estimates")
    assert "```{mermaid}" in _section(text, "High-level architecture")
    data_model = _section(text, "Data model")
    assert "```{doctest}" in data_model or "|---|" in data_model, "DDL in SQLite or a key table"
    questions = _section(text, "Follow-up interview questions")
    assert questions.count(":::{question}") >= 3
    assert text.count(":::{question}") == questions.count(":::{question}")
    sources = re.findall(r"^- (.*(?:\n  .*)*)", _section(text, "Further reading"), re.M)
    assert len(sources) >= 4
    dated = [s for s in sources if re.search(r"\b(19|20)\d\d\b", s)]
    assert len(dated) >= 4, "four sources named and dated"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_design_page_states_its_difficulty_reuses_the_book_and_scales(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    preamble = text[: text.index("\n## ")]
    assert "**The core difficulty:**" in preamble
    book_links = set(re.findall(r"\{doc\}`(?:[^<`]*<)?(/[a-z-]+/[a-z-]+)>?`", text))
    assert len(book_links) >= 2, f"links to the book's chapters: {sorted(book_links)}"
    scaling = _section(text, "Bottlenecks and scaling 10x and 100x")
    assert "**10x**" in scaling
    assert "**100x**" in scaling
    data_model = _section(text, "Data model")
    if "sqlite3.connect(" in data_model:
        assert "EXPLAIN QUERY PLAN" in data_model, "an index is the point of a relational model"


def test_table_lists_the_26_designs_in_order_and_links_exactly_the_written_pages() -> None:
    table = _section(TEXT, "The 26 designs")
    rows = re.findall(r"^\| (?!Design |---)(.+?) \| (.+?) \|$", table, re.M)
    names = [re.sub(r"\{doc\}`(.+?) <.+?>`", r"\1", name) for name, _ in rows]
    assert names == list(DESIGNS)
    assert all(len(difficulty.split()) >= 6 for _, difficulty in rows)
    linked = re.findall(r"\{doc\}`[^<`]+<system-design-interviews/([a-z0-9-]+)>`", table)
    assert sorted(linked) == [p.stem for p in PAGES]


def test_toctree_lists_every_design_page_and_nothing_else() -> None:
    m = re.search(r"^```\{toctree\}\n(?::[^\n]*\n)*\n(.*?)^```$", TEXT, re.M | re.S)
    assert m
    entries = m[1].split()
    assert sorted(entries) == [f"system-design-interviews/{p.stem}" for p in PAGES]


def test_paths_the_chapter_names_exist() -> None:
    root = DOCS.parents[1]
    named = set(re.findall(r"`((?:tests|src|docs)/[\w/.-]+\.(?:py|md))`", TEXT))
    assert named, "the chapter names its test file"
    assert [n for n in sorted(named) if not (root / n).is_file()] == []


def test_chapter_page_has_the_style_guide_shape() -> None:
    assert _headings(TEXT, 2) == [
        "In one minute", "Intuition", "How it works", "Implementation",
        "Complexity and trade-offs", "In production", "Common mistakes",
        "When to use it / when not", "Interview questions", "Exercises", "Further reading",
    ]  # fmt: skip
    assert _section(TEXT, "Interview questions").count(":::{question}") >= 8


@pytest.mark.parametrize("page", [CHAPTER, *PAGES], ids=lambda p: p.stem)
def test_page_doctests_pass(page: Path) -> None:
    out = io.StringIO()
    result = _run_page_doctests(page, out, verbose=False)
    assert result.failed == 0, out.getvalue()
    assert result.attempted >= 5
