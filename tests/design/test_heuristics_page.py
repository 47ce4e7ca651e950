"""Checks on the prose chapter docs/design/heuristics.md.

The chapter has no module, so these tests check the page itself: that it holds
at least 18 heuristics, each with the same six parts in the same order, each
with a dated source and a link into this book; that the summary table and the
headings agree; that its relative links point at headings that exist; and that
its doctest blocks (the numbers the heuristics quote) pass.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "design" / "heuristics.md"
TEXT = PAGE.read_text(encoding="utf-8")

PARTS = ("Signal", "Pattern", "Why it works", "Trade-off", "In production", "Go deeper")
HEADING = re.compile(r"^\((h-[a-z]+)\)=\n#### H(\d+)\. (.+?) → (.+?)$", re.M)


def _sections() -> dict[int, tuple[str, str]]:
    """Map each heuristic number to (its label, its text up to the next heading)."""
    matches = list(HEADING.finditer(TEXT))
    sections = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(TEXT)
        # A group heading (###) or the next chapter section (##) also ends a heuristic.
        tail = re.search(r"^#{2,3} ", TEXT[m.end() : end], re.M)
        stop = m.end() + tail.start() if tail else end
        sections[int(m[2])] = (m[1], TEXT[m.start() : stop])
    return sections


SECTIONS = _sections()


def _part(body: str, name: str) -> str:
    """The paragraph that starts with **name.**, up to the next bold part or the end."""
    m = re.search(
        rf"^\*\*{re.escape(name)}\.\*\*(.*?)(?=^\*\*[A-Z][^*]*\.\*\*|\Z)", body, re.M | re.S
    )
    assert m, f"no **{name}.** part"
    return m[1]


def test_at_least_eighteen_heuristics_numbered_without_gaps() -> None:
    numbers = sorted(SECTIONS)
    assert len(numbers) >= 18
    assert numbers == list(range(1, len(numbers) + 1))
    # Headings appear in number order, so "H7" is found after "H6" when scanning.
    in_order = [int(m[2]) for m in HEADING.finditer(TEXT)]
    assert in_order == numbers


@pytest.mark.parametrize("number", sorted(SECTIONS))
def test_each_heuristic_has_the_six_parts_once_and_in_order(number: int) -> None:
    _, body = SECTIONS[number]
    starts = []
    for name in PARTS:
        found = [m.start() for m in re.finditer(rf"^\*\*{re.escape(name)}\.\*\*", body, re.M)]
        assert len(found) == 1, f"H{number}: **{name}.** appears {len(found)} times"
        starts.append(found[0])
    assert starts == sorted(starts), f"H{number}: parts out of order"
    for name in PARTS:
        # A "Go deeper" line may be just a link; every other part must say something.
        least = 3 if name == "Go deeper" else 8
        assert len(_part(body, name).split()) >= least, f"H{number}: **{name}.** is nearly empty"


@pytest.mark.parametrize("number", sorted(SECTIONS))
def test_each_real_system_is_named_with_a_dated_source(number: int) -> None:
    production = _part(SECTIONS[number][1], "In production")
    assert re.search(r"\b(19[89]\d|20[0-2]\d)\b", production), f"H{number}: no year in the source"
    assert re.search(r"\(.*\)", production, re.S), f"H{number}: no parenthesised source"


@pytest.mark.parametrize("number", sorted(SECTIONS))
def test_each_heuristic_links_to_a_chapter_of_this_book(number: int) -> None:
    deeper = _part(SECTIONS[number][1], "Go deeper")
    assert re.search(r"\{doc\}`/[a-z]+/[a-z0-9-]+`", deeper), f"H{number}: no {{doc}} link"


def test_summary_table_lists_every_heuristic_with_its_label() -> None:
    rows = re.findall(r"^\| \{ref\}`H(\d+) <(h-[a-z]+)>` \|", TEXT, re.M)
    assert [int(n) for n, _ in rows] == sorted(SECTIONS)
    for number, label in rows:
        assert SECTIONS[int(number)][0] == label


def test_every_h_reference_names_an_existing_heuristic() -> None:
    mentioned = {int(n) for n in re.findall(r"\bH(\d+)\b", TEXT)}
    assert mentioned == set(SECTIONS)


def _slug(heading: str) -> str:
    """MyST's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_relative_links_point_at_existing_pages_and_headings() -> None:
    links = re.findall(r"\]\((\.\./[a-z]+/[a-z0-9-]+\.md)#([a-z0-9-]+)\)", TEXT)
    assert len(links) >= 10
    for path, anchor in links:
        target = (PAGE.parent / path).resolve()
        assert target.is_file(), path
        headings = re.findall(r"^#{1,3} (.+)$", target.read_text(encoding="utf-8"), re.M)
        assert anchor in {_slug(h) for h in headings}, f"{path}#{anchor}"


def test_doc_links_outside_this_part_point_at_existing_pages() -> None:
    # Pages of this part are written alongside this one; the nitpicky build checks them.
    for docname in set(re.findall(r"\{doc\}`/([a-z]+/[a-z0-9-]+)`", TEXT)):
        if not docname.startswith("design/"):
            assert (DOCS / f"{docname}.md").is_file(), docname


def test_interview_questions_and_exercises_have_answers() -> None:
    questions = re.findall(r"^:::\{question\} (.+?)\n(.*?)^:::$", TEXT, re.M | re.S)
    assert len(questions) >= 8
    assert all(len(answer.split()) >= 40 for _, answer in questions)
    exercises = re.findall(r"^::::\{exercise\}.*?:::\{solution\}\n(.*?)^:::$", TEXT, re.M | re.S)
    assert len(exercises) >= 4
    assert all(len(solution.split()) >= 40 for solution in exercises)


def test_page_doctests_pass() -> None:
    """Run the page's {testsetup} and {doctest} blocks, in page order, as one doctest."""
    blocks = re.findall(r"^```\{(testsetup|doctest)\}\n(.*?)^```$", TEXT, re.M | re.S)
    kinds = [kind for kind, _ in blocks]
    assert kinds[0] == "testsetup"
    assert kinds.count("testsetup") == 1
    globs: dict[str, object] = {}
    exec(compile(blocks[0][1], str(PAGE), "exec"), globs)  # noqa: S102 - the page's own setup
    source = "\n\n".join(body for kind, body in blocks if kind == "doctest")
    test = doctest.DocTestParser().get_doctest(source, globs, PAGE.name, str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    # 17 examples today: dropping one (or a whole block) should fail here, not pass silently.
    assert runner.tries >= 17
    assert runner.failures == 0


def test_figures_quoted_in_prose_are_the_ones_the_code_computes() -> None:
    """The prose repeats a few computed figures; each must match the code that produces it."""
    from studybook.dsa.advanced_structures import HyperLogLog
    from studybook.fundamentals.latency_numbers import estimate, url_shortener
    from studybook.fundamentals.performance_engineering import fanout_slow_probability

    hll = HyperLogLog(precision=14)
    exercise = estimate(
        daily_active_users=20_000_000,
        writes_per_user_per_day=1,
        reads_per_user_per_day=50,
        bytes_per_write=2_000,
        retention_days=365,
    )
    quoted = {
        f"{fanout_slow_probability(0.01, 100):.0%}".replace("%", " %"): 2,  # H26 and a question
        f"{2**41 / (1000 * 60 * 60 * 24 * 365.25):.1f} years": 2,  # H15 and a question
        f"{hll.standard_error:.2%}".replace("%", " %"): 2,  # H14 and Further reading
        f"{hll.m * 6 // 8 // 1024} KB": 3,
        f"{round(exercise.peak_read_qps):,}": 2,  # the cache exercise
        f"{round(url_shortener().read_qps / url_shortener().write_qps)}:1": 1,  # read-heavy
        f"{(10_000 - 4_000) * 60:,} jobs": 1,  # H21's backlog
    }
    flat = " ".join(TEXT.split())  # a figure may wrap across a line break
    for figure, at_least in quoted.items():
        assert flat.count(figure) >= at_least, (figure, flat.count(figure))
