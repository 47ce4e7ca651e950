"""Dynamic programming solutions against exhaustive enumeration on small inputs."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.dynamic_programming import (
    PROBLEMS,
    climbing_stairs,
    coin_change,
    combination_sum_iv,
    decode_ways,
    house_robber,
    house_robber_ii,
    longest_common_subsequence,
    longest_increasing_subsequence,
    longest_palindromic_substring,
    maximum_product_subarray,
    maximum_profit_in_job_scheduling,
    maximum_subarray,
    palindromic_substrings,
    partition_equal_subset_sum,
    unique_paths,
    word_break,
)

FAST = settings(max_examples=25, deadline=None, derandomize=True)


def index_subsets(n: int) -> itertools.chain[tuple[int, ...]]:
    return itertools.chain.from_iterable(itertools.combinations(range(n), r) for r in range(n + 1))


def cuts(s: str) -> list[list[str]]:
    """Every way to cut ``s`` into non-empty pieces."""
    out = []
    for mask in range(2 ** max(len(s) - 1, 0)):
        pieces, start = [], 0
        for i in range(1, len(s)):
            if mask >> (i - 1) & 1:
                pieces.append(s[start:i])
                start = i
        pieces.append(s[start:])
        out.append(pieces)
    return out if s else [[]]


@FAST
@given(st.integers(0, 30))
def test_climbing_stairs_matches_binomial_sum(n: int) -> None:
    # Choose how many of the moves are 2-steps: k of them leave n - 2k 1-steps.
    assert climbing_stairs(n) == sum(math.comb(n - k, k) for k in range(n // 2 + 1))


@FAST
@given(st.lists(st.integers(0, 20), max_size=9))
def test_house_robber_matches_non_adjacent_subsets(nums: list[int]) -> None:
    best = max(
        sum(nums[i] for i in chosen)
        for chosen in index_subsets(len(nums))
        if all(b - a > 1 for a, b in itertools.pairwise(chosen))
    )
    assert house_robber(nums) == best


@FAST
@given(st.lists(st.integers(0, 20), min_size=1, max_size=9))
def test_house_robber_ii_matches_circular_subsets(nums: list[int]) -> None:
    n = len(nums)

    def ok(chosen: tuple[int, ...]) -> bool:
        linear = all(b - a > 1 for a, b in itertools.pairwise(chosen))
        wraps = n > 1 and 0 in chosen and n - 1 in chosen
        return linear and not wraps

    best = max(sum(nums[i] for i in c) for c in index_subsets(n) if ok(c))
    assert house_robber_ii(nums) == best


@FAST
@given(st.lists(st.integers(1, 7), min_size=1, max_size=3, unique=True), st.integers(0, 15))
def test_coin_change_matches_count_enumeration(coins: list[int], amount: int) -> None:
    options = [
        sum(counts)
        for counts in itertools.product(*(range(amount // c + 1) for c in coins))
        if sum(k * c for k, c in zip(counts, coins, strict=True)) == amount
    ]
    assert coin_change(coins, amount) == (min(options) if options else -1)


@FAST
@given(st.lists(st.integers(-5, 5), max_size=9))
def test_lis_matches_subsequence_enumeration(nums: list[int]) -> None:
    best = max(
        len(c)
        for c in index_subsets(len(nums))
        if all(nums[a] < nums[b] for a, b in itertools.pairwise(c))
    )
    assert longest_increasing_subsequence(nums) == best


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@FAST
@given(st.text(alphabet="abc", max_size=7), st.text(alphabet="abc", max_size=7))
def test_lcs_matches_subsequence_enumeration(a: str, b: str) -> None:
    best = max(len(c) for c in index_subsets(len(a)) if is_subsequence("".join(a[i] for i in c), b))
    assert longest_common_subsequence(a, b) == best


@FAST
@given(
    st.text(alphabet="ab", max_size=9),
    st.lists(st.text(alphabet="ab", min_size=1, max_size=3), max_size=4),
)
def test_word_break_matches_cut_enumeration(s: str, words: list[str]) -> None:
    expected = any(all(p in words for p in pieces) for pieces in cuts(s))
    assert word_break(s, words) is expected


@FAST
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True), st.integers(0, 8))
def test_combination_sum_iv_matches_sequence_enumeration(nums: list[int], target: int) -> None:
    count = sum(
        1
        for length in range(target // min(nums) + 1)
        for seq in itertools.product(nums, repeat=length)
        if sum(seq) == target
    )
    assert combination_sum_iv(nums, target) == count


@FAST
@given(st.text(alphabet="0123456789", max_size=8))
def test_decode_ways_matches_cut_enumeration(s: str) -> None:
    valid = {str(k) for k in range(1, 27)}  # "01" is not a code: no leading zeros
    expected = sum(1 for pieces in cuts(s) if all(p in valid for p in pieces))
    assert decode_ways(s) == expected


@FAST
@given(st.integers(1, 9), st.integers(1, 9))
def test_unique_paths_matches_binomial(m: int, n: int) -> None:
    # A path is a word with m - 1 downs and n - 1 rights.
    assert unique_paths(m, n) == math.comb(m + n - 2, m - 1)


subarray_input = st.lists(st.integers(-6, 6), min_size=1, max_size=10)


@FAST
@given(subarray_input)
def test_maximum_subarray_matches_all_subarrays(nums: list[int]) -> None:
    best = max(sum(nums[i:j]) for i in range(len(nums)) for j in range(i + 1, len(nums) + 1))
    assert maximum_subarray(nums) == best


@FAST
@given(subarray_input)
def test_maximum_product_matches_all_subarrays(nums: list[int]) -> None:
    best = max(math.prod(nums[i:j]) for i in range(len(nums)) for j in range(i + 1, len(nums) + 1))
    assert maximum_product_subarray(nums) == best


def all_substrings(s: str) -> list[str]:
    return [s[i:j] for i in range(len(s)) for j in range(i + 1, len(s) + 1)]


@FAST
@given(st.text(alphabet="ab", max_size=10))
def test_longest_palindrome_is_the_leftmost_longest(s: str) -> None:
    pals = [
        (j - i, -i)
        for i in range(len(s))
        for j in range(i + 1, len(s) + 1)
        if s[i:j] == s[i:j][::-1]
    ]
    if not pals:
        assert longest_palindromic_substring(s) == ""
        return
    length, neg_start = max(pals)
    assert longest_palindromic_substring(s) == s[-neg_start : -neg_start + length]


@FAST
@given(st.text(alphabet="abc", max_size=10))
def test_palindromic_substrings_matches_count(s: str) -> None:
    assert palindromic_substrings(s) == sum(1 for t in all_substrings(s) if t == t[::-1])


@FAST
@given(st.lists(st.integers(0, 12), max_size=9))
def test_partition_matches_subset_enumeration(nums: list[int]) -> None:
    total = sum(nums)
    expected = any(2 * sum(nums[i] for i in c) == total for c in index_subsets(len(nums)))
    assert partition_equal_subset_sum(nums) is expected


jobs = st.lists(st.tuples(st.integers(0, 10), st.integers(1, 5), st.integers(1, 30)), max_size=7)


@FAST
@given(jobs)
def test_job_scheduling_matches_compatible_subsets(items: list[tuple[int, int, int]]) -> None:
    start = [s for s, _, _ in items]
    end = [s + d for s, d, _ in items]
    profit = [p for _, _, p in items]

    def compatible(chosen: tuple[int, ...]) -> bool:
        return all(
            end[a] <= start[b] or end[b] <= start[a] for a, b in itertools.combinations(chosen, 2)
        )

    best = max(sum(profit[i] for i in c) for c in index_subsets(len(items)) if compatible(c))
    assert maximum_profit_in_job_scheduling(start, end, profit) == best


def test_validation_messages() -> None:
    with pytest.raises(ValueError, match="amount must be >= 0, got -4"):
        coin_change([1], -4)
    with pytest.raises(ValueError, match=r"m and n must be >= 1, got \(3, 0\)"):
        unique_paths(3, 0)
    with pytest.raises(ValueError, match=r"nums\[0\] must be >= 1, got 0"):
        combination_sum_iv([0, 1], 2)
    with pytest.raises(ValueError, match="got '12x'"):
        decode_ways("12x")
    assert len(PROBLEMS) == 16
