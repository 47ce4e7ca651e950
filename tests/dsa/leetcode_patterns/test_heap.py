"""Heap problems against sorting-based and exhaustive oracles."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.dsa.leetcode_patterns.heap import (
    PROBLEMS,
    MedianFinder,
    k_closest_points_to_origin,
    kth_largest_element_in_an_array,
    merge_k_sorted_lists,
    task_scheduler,
    top_k_frequent_elements,
)
from studybook.dsa.leetcode_patterns.nodes import ListNode

FAST = settings(max_examples=32, deadline=None, derandomize=True)
small_ints = st.integers(-20, 20)


@FAST
@given(st.lists(small_ints, min_size=1, max_size=30), st.data())
def test_kth_largest_matches_sorting(nums: list[int], data: st.DataObject) -> None:
    k = data.draw(st.integers(1, len(nums)))
    assert kth_largest_element_in_an_array(nums, k) == sorted(nums, reverse=True)[k - 1]


@FAST
@given(st.lists(st.integers(0, 6), min_size=1, max_size=30), st.data())
def test_top_k_frequent_picks_the_highest_counts(nums: list[int], data: st.DataObject) -> None:
    counts = Counter(nums)
    k = data.draw(st.integers(1, len(counts)))
    got = top_k_frequent_elements(nums, k)
    assert len(got) == len(set(got)) == k
    # Every chosen value is at least as frequent as every value left out.
    left_out = set(counts) - set(got)
    assert all(counts[g] >= counts[o] for g in got for o in left_out)
    assert [counts[g] for g in got] == sorted((counts[g] for g in got), reverse=True)


points = st.lists(st.lists(st.integers(-10, 10), min_size=2, max_size=2), min_size=1, max_size=20)


@FAST
@given(points, st.data())
def test_k_closest_matches_sorted_distances(pts: list[list[int]], data: st.DataObject) -> None:
    k = data.draw(st.integers(1, len(pts)))
    got = k_closest_points_to_origin(pts, k)
    dist = [x * x + y * y for x, y in got]
    assert dist == sorted(x * x + y * y for x, y in pts)[:k]
    assert not Counter(map(tuple, got)) - Counter(map(tuple, pts))  # a sub-multiset


@FAST
@given(st.lists(st.lists(small_ints, max_size=8).map(sorted), max_size=6))
def test_merge_k_sorted_lists_matches_sorted(lists: list[list[int]]) -> None:
    heads = [ListNode.from_list(values) for values in lists]
    merged = merge_k_sorted_lists(heads)
    assert ListNode.to_list(merged) == sorted(itertools.chain.from_iterable(lists))


def _brute_schedule(tasks: list[str], n: int) -> int:
    """Breadth-first search over (remaining counts, cooldowns): the true optimum."""
    labels = sorted(set(tasks))
    start = (tuple(tasks.count(x) for x in labels), (0,) * len(labels))
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        (left, cool), steps = queue.popleft()
        if not any(left):
            return steps
        tick = tuple(max(0, c - 1) for c in cool)
        moves = [(left, tick)]  # idle
        for i, (rem, cd) in enumerate(zip(left, cool, strict=True)):
            if rem and not cd:
                moves.append(
                    (
                        (*left[:i], rem - 1, *left[i + 1 :]),
                        (*tick[:i], n, *tick[i + 1 :]),
                    )
                )
        for state in moves:
            if state not in seen:
                seen.add(state)
                queue.append((state, steps + 1))
    raise AssertionError("unreachable")


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from("ABC"), max_size=7), st.integers(0, 3))
def test_task_scheduler_matches_exhaustive_search(tasks: list[str], n: int) -> None:
    assert task_scheduler(tasks, n) == _brute_schedule(tasks, n)


class MedianMachine(RuleBasedStateMachine):
    """MedianFinder against statistics.median of a plain list."""

    def __init__(self) -> None:
        super().__init__()
        self.finder = MedianFinder()
        self.model: list[int] = []

    @rule(x=st.integers(-100, 100))
    def add(self, x: int) -> None:
        self.finder.add_num(x)
        self.model.append(x)

    @precondition(lambda self: self.model)
    @rule()
    def median(self) -> None:
        assert self.finder.find_median() == statistics.median(self.model)

    @invariant()
    def consistent(self) -> None:
        self.finder._check_invariants()
        assert len(self.finder) == len(self.model)


MedianMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None, derandomize=True
)
TestMedianFinder = MedianMachine.TestCase


def test_errors_name_the_bad_value() -> None:
    with pytest.raises(ValueError, match=r"k must be in 1\.\.3, got 0"):
        kth_largest_element_in_an_array([1, 2, 3], 0)
    with pytest.raises(ValueError, match=r"k must be in 1\.\.2, got 3"):
        top_k_frequent_elements([1, 2, 2], 3)
    with pytest.raises(ValueError, match="n must be >= 0, got -2"):
        task_scheduler(["A"], -2)
    with pytest.raises(ValueError, match="empty MedianFinder"):
        MedianFinder().find_median()


def test_problems_maps_titles_to_solutions() -> None:
    assert PROBLEMS["Find Median from Data Stream"] is MedianFinder
    assert len(PROBLEMS) == 6
