"""Interval problems against pairwise-merging and exhaustive-subset oracles."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.intervals import (
    PROBLEMS,
    insert_interval,
    meeting_rooms,
    meeting_rooms_ii,
    merge_intervals,
    non_overlapping_intervals,
)

FAST = settings(max_examples=40, deadline=None, derandomize=True)
interval = st.tuples(st.integers(0, 20), st.integers(0, 6)).map(lambda t: [t[0], t[0] + t[1]])
intervals = st.lists(interval, max_size=8)


def _touch_or_overlap(a: list[int], b: list[int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _brute_merge(items: list[list[int]]) -> list[list[int]]:
    """Merge any two touching/overlapping intervals until none are left."""
    pool = [list(iv) for iv in items]
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(pool)), 2):
            if _touch_or_overlap(pool[i], pool[j]):
                a, b = pool[i], pool.pop(j)
                pool[i] = [min(a[0], b[0]), max(a[1], b[1])]
                changed = True
                break
    return sorted(pool)


def _strictly_overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@FAST
@given(intervals)
def test_merge_matches_pairwise_merging(items: list[list[int]]) -> None:
    assert merge_intervals(items) == _brute_merge(items)


@FAST
@given(intervals, interval)
def test_insert_matches_merging_everything(items: list[list[int]], new: list[int]) -> None:
    disjoint = _brute_merge(items)  # sorted, non-touching: LeetCode's input shape
    assert insert_interval(disjoint, new) == _brute_merge([*disjoint, new])


@FAST
@given(intervals)
def test_non_overlapping_matches_largest_compatible_subset(items: list[list[int]]) -> None:
    best = max(
        r
        for r in range(len(items) + 1)
        for subset in itertools.combinations(items, r)
        if not any(_strictly_overlap(a, b) for a, b in itertools.combinations(subset, 2))
    )
    assert non_overlapping_intervals(items) == len(items) - best


@FAST
@given(intervals)
def test_meeting_rooms_matches_pairwise_check(items: list[list[int]]) -> None:
    clash = any(_strictly_overlap(a, b) for a, b in itertools.combinations(items, 2))
    assert meeting_rooms(items) is (not clash)


meeting = st.tuples(st.integers(0, 20), st.integers(1, 6)).map(lambda t: [t[0], t[0] + t[1]])


@FAST
@given(st.lists(meeting, max_size=8))
def test_meeting_rooms_ii_matches_peak_occupancy(items: list[list[int]]) -> None:
    # LeetCode's meetings have start < end; a room is busy on [start, end).
    peak = max((sum(1 for s, e in items if s <= t < e) for t in range(27)), default=0)
    assert meeting_rooms_ii(items) == peak


@FAST
@given(st.lists(meeting, max_size=6), st.integers(0, 20), st.data())
def test_meeting_rooms_ii_refuses_a_zero_length_meeting(
    items: list[list[int]], t: int, data: st.DataObject
) -> None:
    # LeetCode 253 guarantees start < end; [t, t] would need one room or none.
    at = data.draw(st.integers(0, len(items)))
    with pytest.raises(ValueError, match=re.escape(f"must have start < end, got {[t, t]!r}")):
        meeting_rooms_ii([*items[:at], [t, t], *items[at:]])


def test_errors_name_the_bad_interval() -> None:
    with pytest.raises(ValueError, match=r"got \[5, 1\]"):
        merge_intervals([[5, 1]])
    with pytest.raises(ValueError, match=r"got \[3\]"):
        meeting_rooms_ii([[3]])
    assert len(PROBLEMS) == 5


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([[6, 9], [1, 3]], r"got \[6, 9\] before \[1, 3\]"),  # unsorted
        ([[1, 5], [2, 3]], r"got \[1, 5\] before \[2, 3\]"),  # overlapping
        ([[1, 3], [3, 9]], r"got \[1, 3\] before \[3, 9\]"),  # touching: LeetCode merges these
    ],
)
def test_insert_interval_rejects_input_that_is_not_sorted_and_disjoint(
    items: list[list[int]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        insert_interval(items, [10, 12])


def test_insert_interval_names_a_bad_new_interval() -> None:
    with pytest.raises(ValueError, match=r"new_interval must be a pair of ints, got \[3, 4, 5\]"):
        insert_interval([[1, 2]], [3, 4, 5])
    with pytest.raises(TypeError, match=r"new_interval\[0\] must be an int, got 3.0"):
        insert_interval([[1, 2]], [3.0, 4])  # type: ignore[list-item]
