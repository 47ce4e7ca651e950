"""Binary-search solutions against linear scans; TimeMap against a list of versions."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.leetcode_patterns.binary_search import (
    TimeMap,
    binary_search,
    find_minimum_in_rotated_sorted_array,
    first_bad_version,
    search_in_rotated_sorted_array,
)

FAST = settings(max_examples=60, deadline=None, derandomize=True)
distinct_sorted = st.sets(st.integers(-30, 30), max_size=15).map(sorted)


@FAST
@given(distinct_sorted, st.integers(-32, 32))
def test_binary_search_matches_linear_scan(nums: list[int], target: int) -> None:
    assert binary_search(nums, target) == (nums.index(target) if target in nums else -1)


@FAST
@given(distinct_sorted, st.integers(0, 20), st.integers(-32, 32))
def test_rotated_search_matches_linear_scan(nums: list[int], shift: int, target: int) -> None:
    k = shift % len(nums) if nums else 0
    rotated = nums[k:] + nums[:k]
    expected = rotated.index(target) if target in rotated else -1
    assert search_in_rotated_sorted_array(rotated, target) == expected


@FAST
@given(distinct_sorted.filter(bool), st.integers(0, 20))
def test_rotated_minimum_matches_min(nums: list[int], shift: int) -> None:
    k = shift % len(nums)
    assert find_minimum_in_rotated_sorted_array(nums[k:] + nums[:k]) == min(nums)


@FAST
@given(st.integers(1, 10_000), st.data())
def test_first_bad_version_is_found_in_logarithmic_calls(n: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(1, n))
    calls: list[int] = []

    def is_bad(v: int) -> bool:
        calls.append(v)
        return v >= first

    assert first_bad_version(n, is_bad) == first
    assert len(calls) <= math.ceil(math.log2(n)) + 2


def test_first_bad_version_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="got 0"):
        first_bad_version(0, lambda v: True)
    with pytest.raises(ValueError, match="version 4 is not bad"):
        first_bad_version(4, lambda v: False)
    with pytest.raises(ValueError, match="must be non-empty"):
        find_minimum_in_rotated_sorted_array([])


class TimeMapMachine(RuleBasedStateMachine):
    """Model: a list of (key, timestamp, value); get = the latest version at or before t."""

    def __init__(self) -> None:
        super().__init__()
        self.tm = TimeMap()
        self.model: list[tuple[str, int, str]] = []
        self.clock = 0

    @rule(key=st.sampled_from("ab"), value=st.sampled_from(["x", "y", "z"]), gap=st.integers(1, 3))
    def set(self, key: str, value: str, gap: int) -> None:
        self.clock += gap
        self.tm.set(key, value, self.clock)
        self.model.append((key, self.clock, value))

    @rule(key=st.sampled_from("abc"), back=st.integers(-2, 12))
    def get(self, key: str, back: int) -> None:
        t = self.clock - back
        versions = [(ts, v) for k, ts, v in self.model if k == key and ts <= t]
        assert self.tm.get(key, t) == (max(versions)[1] if versions else "")

    @rule(key=st.sampled_from("ab"))
    def set_in_the_past_fails(self, key: str) -> None:
        stamps = [ts for k, ts, _ in self.model if k == key]
        if stamps:
            with pytest.raises(ValueError, match="must increase"):
                self.tm.set(key, "old", max(stamps))

    @invariant()
    def invariants_hold(self) -> None:
        self.tm._check_invariants()


TestTimeMap = TimeMapMachine.TestCase
TestTimeMap.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, derandomize=True
)


def test_time_map_invariant_check_catches_corruption() -> None:
    tm = TimeMap()
    tm.set("k", "a", 1)
    tm.set("k", "b", 2)
    tm._times["k"].reverse()
    with pytest.raises(AssertionError, match="not increasing"):
        tm._check_invariants()
