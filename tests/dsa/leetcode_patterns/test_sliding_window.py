"""Sliding-window solutions against brute force over every substring or pair of days."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.sliding_window import (
    best_time_to_buy_and_sell_stock,
    find_all_anagrams_in_a_string,
    longest_repeating_character_replacement,
    longest_substring_without_repeating_characters,
    minimum_window_substring,
)

FAST = settings(max_examples=48, deadline=None, derandomize=True)
text = st.text(alphabet="abcd", max_size=12)


def substrings(s: str) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(s)) for j in range(i + 1, len(s) + 1)]


@FAST
@given(st.lists(st.integers(0, 30), max_size=15))
def test_best_time_matches_all_pairs(prices: list[int]) -> None:
    brute = max(
        (prices[j] - prices[i] for i, j in itertools.combinations(range(len(prices)), 2)),
        default=0,
    )
    assert best_time_to_buy_and_sell_stock(prices) == max(brute, 0)


@FAST
@given(text)
def test_longest_substring_matches_all_substrings(s: str) -> None:
    brute = max((j - i for i, j in substrings(s) if len(set(s[i:j])) == j - i), default=0)
    assert longest_substring_without_repeating_characters(s) == brute


@FAST
@given(st.text(alphabet="AB", max_size=12), st.integers(0, 4))
def test_character_replacement_matches_all_substrings(s: str, k: int) -> None:
    brute = max(
        (j - i for i, j in substrings(s) if (j - i) - max(Counter(s[i:j]).values()) <= k),
        default=0,
    )
    assert longest_repeating_character_replacement(s, k) == brute


@FAST
@given(text, st.text(alphabet="abc", max_size=4))
def test_minimum_window_matches_leftmost_shortest_substring(s: str, t: str) -> None:
    need = Counter(t)
    valid = [(j - i, i, j) for i, j in substrings(s) if not need - Counter(s[i:j])]
    brute = "" if not t or not valid else s[min(valid)[1] : min(valid)[2]]
    assert minimum_window_substring(s, t) == brute


@FAST
@given(text, st.text(alphabet="abc", max_size=4))
def test_find_all_anagrams_matches_sorting_each_window(s: str, p: str) -> None:
    m = len(p)
    brute = [i for i in range(len(s) - m + 1) if m and sorted(s[i : i + m]) == sorted(p)]
    assert find_all_anagrams_in_a_string(s, p) == brute


def test_negative_k_is_rejected() -> None:
    with pytest.raises(ValueError, match="got -2"):
        longest_repeating_character_replacement("AAB", -2)


def test_statement_examples() -> None:
    assert longest_substring_without_repeating_characters("bbbbb") == 1
    assert longest_repeating_character_replacement("ABAB", 2) == 4
    assert minimum_window_substring("a", "a") == "a"
    assert find_all_anagrams_in_a_string("abab", "ab") == [0, 1, 2]


@FAST
@given(st.lists(st.floats(-1e6, 1e6), max_size=12))
def test_best_time_keeps_fractional_prices(prices: list[float]) -> None:
    """Floats are prices too: the profit must not be truncated to an int."""
    brute = max((b - a for i, a in enumerate(prices) for b in prices[i + 1 :]), default=0)
    assert best_time_to_buy_and_sell_stock(prices) == max(0, brute)


@pytest.mark.parametrize(
    ("prices", "error", "bad"),
    [
        ([1, float("nan")], ValueError, float("nan")),
        ([float("inf"), 1], ValueError, float("inf")),
        ([1, True], TypeError, True),
        ([1, "2"], TypeError, "2"),
        (None, TypeError, None),
        ("12", TypeError, "12"),
    ],
)
def test_best_time_rejects_bad_prices(prices: object, error: type, bad: object) -> None:
    with pytest.raises(error, match=re.escape(repr(bad))):
        best_time_to_buy_and_sell_stock(prices)  # type: ignore[arg-type]
