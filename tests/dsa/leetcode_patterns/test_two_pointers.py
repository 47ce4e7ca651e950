"""Two-pointer solutions against brute force over all pairs, triples and bars."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.two_pointers import (
    container_with_most_water,
    sort_colors,
    three_sum,
    trapping_rain_water,
    valid_palindrome,
)

FAST = settings(max_examples=48, deadline=None, derandomize=True)


@FAST
@given(st.text(alphabet="aAbB1 ,:", max_size=12))
def test_valid_palindrome_matches_filtered_reverse(s: str) -> None:
    kept = [ch.lower() for ch in s if ch.isalnum()]
    assert valid_palindrome(s) == (kept == kept[::-1])


@FAST
@given(st.lists(st.integers(-6, 6), max_size=12))
def test_three_sum_matches_all_triples(nums: list[int]) -> None:
    brute = {
        tuple(sorted((nums[i], nums[j], nums[k])))
        for i, j, k in itertools.combinations(range(len(nums)), 3)
        if nums[i] + nums[j] + nums[k] == 0
    }
    result = three_sum(nums)
    assert result == sorted(list(t) for t in brute)
    assert len({tuple(t) for t in result}) == len(result)  # no duplicate triples


@FAST
@given(st.lists(st.integers(0, 20), max_size=15))
def test_container_matches_all_pairs(height: list[int]) -> None:
    brute = max(
        (
            min(height[i], height[j]) * (j - i)
            for i, j in itertools.combinations(range(len(height)), 2)
        ),
        default=0,
    )
    assert container_with_most_water(height) == brute


@FAST
@given(st.lists(st.integers(0, 8), max_size=15))
def test_trapping_rain_water_matches_per_bar_definition(height: list[int]) -> None:
    brute = sum(
        max(0, min(max(height[: i + 1]), max(height[i:])) - h) for i, h in enumerate(height)
    )
    assert trapping_rain_water(height) == brute


@FAST
@given(st.lists(st.integers(0, 2), max_size=20))
def test_sort_colors_matches_sorted(nums: list[int]) -> None:
    expected = sorted(nums)
    sort_colors(nums)
    assert nums == expected


def test_errors_name_the_offending_value() -> None:
    with pytest.raises(ValueError, match="got -2"):
        container_with_most_water([1, -2])
    with pytest.raises(ValueError, match="got -3"):
        trapping_rain_water([-3])
    with pytest.raises(ValueError, match="got 7"):
        sort_colors([0, 7, 1])


def test_examples_from_the_statements() -> None:
    assert three_sum([0, 0, 0, 0]) == [[0, 0, 0]]
    assert trapping_rain_water([4, 2, 0, 3, 2, 5]) == 9
    assert valid_palindrome(" ") is True
