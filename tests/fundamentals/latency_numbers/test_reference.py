"""The reference table: every number sourced, Dean's slide reproduced, derived values computed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studybook.fundamentals.latency_numbers import (
    CHANGES,
    REFERENCE,
    SOURCES,
    ladder_mermaid,
    reference_table,
)

PAGE = Path(__file__).resolve().parents[3] / "docs" / "fundamentals" / "latency-numbers.md"


def test_every_entry_names_a_known_source_and_a_positive_time():
    for x in REFERENCE:
        assert x.source in SOURCES
        assert x.seconds > 0
        assert x.year == SOURCES[x.source].year
    assert {x.source for x in REFERENCE} == set(SOURCES)  # no source left uncited


def test_dean_2009_slide_in_nanoseconds():
    # J. Dean, LADIS 2009 keynote, "Numbers Everyone Should Know".
    slide = {
        "L1 cache reference": 0.5,
        "Branch mispredict": 5,
        "L2 cache reference": 7,
        "Mutex lock/unlock": 25,
        "Main memory reference": 100,
        "Compress 1K bytes with Zippy": 3_000,
        "Send 2K bytes over 1 Gbps network": 20_000,
        "Read 1 MB sequentially from memory": 250_000,
        "Round trip within same datacenter": 500_000,
        "Disk seek": 10_000_000,
        "Read 1 MB sequentially from disk": 20_000_000,
        "Send packet CA->Netherlands->CA": 150_000_000,
    }
    dean = {x.operation: x.seconds for x in reference_table("dean2009")}
    assert dean.keys() == slide.keys()
    for op, ns in slide.items():
        assert dean[op] == pytest.approx(ns * 1e-9, rel=1e-12)


def test_derived_values_follow_from_the_datasheet_figures():
    by_key = {(x.operation, x.source): x.seconds for x in REFERENCE}
    assert by_key[("Disk rotational latency (average)", "exosx18")] == pytest.approx(60 / 7200 / 2)
    assert by_key[("Read 1 MB sequentially from disk", "exosx18")] == pytest.approx(1e6 / 270e6)
    assert by_key[("Read 1 MB sequentially from NVMe SSD", "micron9200")] == pytest.approx(
        1e6 / 3.5e9
    )


def test_reference_table_is_sorted_and_filters_by_source():
    everything = reference_table()
    assert len(everything) == len(REFERENCE)
    assert [x.seconds for x in everything] == sorted(x.seconds for x in REFERENCE)
    for key in SOURCES:
        assert all(x.source == key for x in reference_table(key))


def test_changes_compare_like_with_like_and_compute_the_speedup():
    for c in CHANGES:
        assert c.then.source in ("dean2009", "gist2012")
        assert SOURCES[c.now.source].year > SOURCES[c.then.source].year
        assert c.speedup == pytest.approx(c.then.seconds / c.now.seconds)
    unchanged = [c for c in CHANGES if c.verdict.startswith("unchanged")]
    assert unchanged
    assert all(c.speedup == pytest.approx(1.0) for c in unchanged)


@pytest.mark.parametrize("bad", ["Dean2009", "", 2009, None.__class__])
def test_unknown_source_is_refused(bad):
    with pytest.raises(ValueError, match=re.escape(f"unknown source {bad!r}")):
        reference_table(bad)


def test_ladder_lists_every_dean_number_in_order_and_is_the_one_on_the_page():
    text = ladder_mermaid()
    labels = re.findall(r'\["([^"]*)<br/>', text)
    assert labels == [x.operation for x in reference_table("dean2009")]
    assert text.count("-->") == len(labels) - 1
    assert f"```{{mermaid}}\n{text}```" in PAGE.read_text(encoding="utf-8")
