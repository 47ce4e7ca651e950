"""The package exports the catalog's names, reuses Part I, and its demo narrates a seeded run."""

from __future__ import annotations

import doctest
import io
import re
from pathlib import Path
from typing import TextIO

import pytest

import studybook.design.design_solutions_1 as pkg
from studybook.__main__ import main
from studybook.dsa.advanced_structures import ConsistentHashRing

CHAPTER = Path(__file__).resolve().parents[3] / "docs" / "design" / "design-solutions-1.md"
# The demo's whole output, as its doctest (run by pytest --doctest-modules) pins it.
DEMO = (
    doctest.DocTestParser().get_examples(pkg.demo.__doc__ or "")[-1].want.replace("<BLANKLINE>", "")
)


def test_exports_the_catalog_api() -> None:
    for name in ("geohash_encode", "geohash_decode", "LRUCache", "QuadTree", "a_star", "demo"):
        assert name in pkg.__all__
    assert all(hasattr(pkg, name) for name in pkg.__all__)


def test_consistent_hashing_is_reused_from_part_one_not_rewritten() -> None:
    assert pkg.ConsistentHashRing is ConsistentHashRing  # type: ignore[attr-defined]
    assert "ConsistentHashRing" not in pkg.__all__


def test_cli_runs_the_demo_on_the_stream_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's output is pinned by its own doctest; running it a second time here
    # would double the chapter's test time, so this checks only that the CLI calls it.
    calls: list[TextIO] = []

    def fake_demo(out: TextIO) -> None:
        calls.append(out)
        out.write("demo ran\n")

    monkeypatch.setattr(pkg, "demo", fake_demo)
    out = io.StringIO()
    assert main(["demo", "design-solutions-1"], out=out) == 0
    assert calls == [out]
    assert out.getvalue() == "demo ran\n"


def test_every_oracle_comparison_in_the_demo_agrees() -> None:
    assert "lru_cache agrees" in DEMO
    assert "same set: True" in DEMO
    assert "False" not in DEMO
    near = re.search(r"5 nearest to \(80, 80\): (\[.*?\]) \(brute force (\[.*?\])\)", DEMO)
    assert near is not None
    assert near.group(1) == near.group(2)


def test_the_figures_quoted_in_the_prose_are_the_demos() -> None:
    """Every measured figure the chapter's prose repeats comes from the demo's output."""
    text = " ".join(CHAPTER.read_text(encoding="utf-8").split())
    rows = {
        label.strip(): [float(v) for v in values.split()]
        for label, values in re.findall(
            r"^(road graph 1000, h = [\d.]+ x straight)(.*)$", DEMO, re.M
        )
    }
    loose = rows["road graph 1000, h = 1 x straight"]
    tight = rows["road graph 1000, h = 1.3 x straight"]
    loose_pct, tight_pct = round(100 * loose[2] / loose[1]), round(100 * tight[2] / tight[1])
    assert f"A* expands {loose_pct} % of Dijkstra's nodes" in text
    assert f"{tight_pct} % with a tight one" in text
    assert f"{loose_pct} % of Dijkstra's expansions with the straight-line distance" in text
    moved = re.search(r"moves ([\d.]+%); hash mod N moves ([\d.]+%)", DEMO)
    assert moved is not None
    ring, mod = (m.replace("%", " %") for m in moved.groups())
    assert f"the demo measured {ring} of keys moving" in text
    assert f"against {mod} for `hash mod N`" in text
    assert f"({ring} against {mod} in the demo)" in text
    nine = re.search(
        r"^\s+9\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s+(\d+)/\d+$", DEMO, re.M
    )
    assert nine is not None
    trials, worst, optimal = nine.groups()
    assert f"optimum in {optimal} of {trials} random 9-stop instances" in text
    assert f"worst gap of {worst} %" in text
    grid = re.search(r"^grid 20x20, 0% walls, Manhattan\s+(\d+)\s+(\d+)\s+(\d+)", DEMO, re.M)
    assert grid is not None
    assert f"expands only the {grid.group(3)} cells of one shortest path" in text
    assert f"first-in-first-out ties expand all {grid.group(1)}" in text
