"""Hashing solutions against quadratic or exhaustive definitions."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.hashing import (
    StringCodec,
    contains_duplicate,
    group_anagrams,
    longest_consecutive_sequence,
    longest_palindrome,
    majority_element,
    product_of_array_except_self,
    ransom_note,
    two_sum,
    valid_anagram,
)

FAST = settings(max_examples=48, deadline=None, derandomize=True)
small = st.integers(-5, 5)


@FAST
@given(st.lists(small, max_size=12), st.integers(-10, 10))
def test_two_sum_matches_first_pair_by_right_index(nums: list[int], target: int) -> None:
    brute = next(
        ([i, j] for j in range(len(nums)) for i in range(j) if nums[i] + nums[j] == target),
        None,
    )
    if brute is None:
        with pytest.raises(ValueError, match=f"add up to {target}"):
            two_sum(nums, target)
    else:
        assert two_sum(nums, target) == brute


@FAST
@given(st.lists(st.integers(0, 15), max_size=10))
def test_contains_duplicate_matches_all_pairs(nums: list[int]) -> None:
    brute = any(a == b for a, b in itertools.combinations(nums, 2))
    assert contains_duplicate(nums) == brute


@FAST
@given(st.text(alphabet="abc", max_size=6), st.text(alphabet="abc", max_size=6))
def test_valid_anagram_matches_sorting(s: str, t: str) -> None:
    assert valid_anagram(s, t) == (sorted(s) == sorted(t))
    assert valid_anagram(s, "".join(reversed(s)))


@FAST
@given(st.lists(st.text(alphabet="abc", max_size=3), max_size=10))
def test_group_anagrams_matches_pairwise_grouping(strs: list[str]) -> None:
    result = group_anagrams(strs)
    assert sorted(itertools.chain.from_iterable(result)) == sorted(strs)  # a partition
    for group in result:
        assert all(sorted(w) == sorted(group[0]) for w in group)
    keys = [sorted(g[0]) for g in result]
    assert len(keys) == len({"".join(k) for k in keys})  # no two groups are anagrams
    firsts = [strs.index(g[0]) for g in result]
    assert firsts == sorted(firsts)  # groups ordered by first appearance


@FAST
@given(st.lists(st.integers(-4, 4), max_size=8))
def test_product_except_self_matches_direct_products(nums: list[int]) -> None:
    brute = [math.prod(nums[:i] + nums[i + 1 :]) for i in range(len(nums))]
    assert product_of_array_except_self(nums) == brute


@FAST
@given(st.lists(st.text(max_size=8), max_size=6))
def test_string_codec_round_trips_any_strings(strs: list[str]) -> None:
    codec = StringCodec()
    assert codec.decode(codec.encode(strs)) == strs


def test_string_codec_rejects_malformed_input() -> None:
    with pytest.raises(ValueError, match="malformed encoding at index 0"):
        StringCodec().decode("x#a")
    with pytest.raises(ValueError, match="malformed encoding at index 3"):
        StringCodec().decode("1#a5#ab")


@FAST
@given(st.lists(st.integers(-8, 8), max_size=12))
def test_longest_consecutive_matches_sorted_scan(nums: list[int]) -> None:
    values = sorted(set(nums))
    best = run = 0
    for i, x in enumerate(values):
        run = run + 1 if i and values[i - 1] == x - 1 else 1
        best = max(best, run)
    assert longest_consecutive_sequence(nums) == best


@FAST
@given(st.text(alphabet="abc", max_size=5), st.text(alphabet="abc", max_size=7))
def test_ransom_note_matches_removing_letters_one_by_one(note: str, magazine: str) -> None:
    pool = list(magazine)
    possible = True
    for ch in note:
        if ch in pool:
            pool.remove(ch)
        else:
            possible = False
            break
    assert ransom_note(note, magazine) == possible


@FAST
@given(st.lists(st.integers(0, 3), min_size=1, max_size=11))
def test_majority_element_matches_counting(nums: list[int]) -> None:
    winners = [x for x in set(nums) if nums.count(x) * 2 > len(nums)]
    if winners:
        assert majority_element(nums) == winners[0]
    else:
        with pytest.raises(ValueError, match="no majority element"):
            majority_element(nums)


@FAST
@given(st.text(alphabet="aAbc", max_size=8))
def test_longest_palindrome_matches_best_subset(s: str) -> None:
    # A multiset can be arranged as a palindrome iff at most one letter has an odd count.
    best = 0
    for r in range(len(s) + 1):
        for chosen in itertools.combinations(s, r):
            if sum(c % 2 for c in Counter(chosen).values()) <= 1:
                best = max(best, r)
    assert longest_palindrome(s) == best


@pytest.mark.parametrize(
    ("note", "magazine", "bad"),
    [(None, "a", None), ("a", None, None), (["a"], "a", ["a"]), ("a", b"a", b"a")],
)
def test_ransom_note_rejects_non_strings(note: object, magazine: object, bad: object) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(bad))):
        ransom_note(note, magazine)  # type: ignore[arg-type]
