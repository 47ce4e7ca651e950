"""Tests for studybook.dsa.sorting_searching.linear_sorts, against sorted()."""

from __future__ import annotations

import math
import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.sorting_searching import (
    counting_sort,
    radix_sort,
)

ints = st.lists(st.integers(-1000, 1000), max_size=60)
few_values = st.lists(st.integers(0, 5), max_size=60)  # many duplicates


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10**6), max_size=60), st.sampled_from([2, 3, 10, 16, 256]))
def test_counting_and_radix_sort_agree_with_sorted(items: list[int], base: int) -> None:
    assert radix_sort(items, base=base) == sorted(items)
    small = [x % 50 for x in items]
    assert counting_sort(small) == sorted(small)


def test_non_comparison_sorts_reject_negatives_and_bad_bases() -> None:
    with pytest.raises(ValueError, match="radix_sort handles non-negative ints only, got -4"):
        radix_sort([3, -4, 1])
    with pytest.raises(ValueError, match=re.escape("base must be in [2, 65536], got 1")):
        radix_sort([3], base=1)
    with pytest.raises(ValueError, match="counting_sort needs non-negative int keys, got -1"):
        counting_sort([2, -1])
    assert radix_sort([]) == []
    assert counting_sort([]) == []


def test_radix_sort_reads_an_iterator_once() -> None:
    assert radix_sort(iter([3, 1, 2])) == [1, 2, 3]  # was [] : the checks consumed it
    assert radix_sort(x for x in (10, 0, 5)) == [0, 5, 10]
    # counting_sort once raised "has no len()" after using up the iterator
    assert counting_sort(iter([3, 1, 2])) == [1, 2, 3]
    assert counting_sort((w for w in ["bb", "a"]), key=len) == ["a", "bb"]


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        ([2**70], ValueError, "key range 1180591620717411303425 is above the limit 65536"),
        ([10**12], ValueError, "key range 1000000000001 is above the limit 65536 for 1 items"),
        ([True, 1], TypeError, "counting_sort needs int keys, got True"),
        ([1.0], TypeError, "counting_sort needs int keys, got 1.0"),
        ([math.nan], TypeError, "counting_sort needs int keys, got nan"),
    ],
)
def test_counting_sort_refuses_keys_it_cannot_index(
    items: list[Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        counting_sort(items)


def test_counting_sort_range_limit_grows_with_n_and_can_be_raised() -> None:
    n = 10_000
    items = [79_999 - i for i in range(n)]  # range 80,000 > 65,536 but <= 8n
    assert counting_sort(items) == sorted(items)
    with pytest.raises(ValueError, match="above the limit 65536 for 2 items"):
        counting_sort([0, 100_000])
    assert counting_sort([100_000, 0], max_range=100_001) == [0, 100_000]
    with pytest.raises(ValueError, match="max_range must be >= 1, got 0"):
        counting_sort([1], max_range=0)


@pytest.mark.parametrize(
    ("items", "base", "error", "message"),
    [
        ([1.5], 10, TypeError, "radix_sort handles ints only, got 1.5"),
        ([True], 10, TypeError, "radix_sort handles ints only, got True"),
        ([1], 2.0, TypeError, "base must be an int, got 2.0"),
        ([1], True, TypeError, "base must be an int, got True"),
        ([1], 2**17, ValueError, "base must be in [2, 65536], got 131072"),
    ],
)
def test_radix_sort_refuses_bad_items_and_bases(
    items: list[Any], base: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        radix_sort(items, base=base)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=40))
def test_radix_sort_sorts_wide_keys_in_base_2_to_the_16(items: list[int]) -> None:
    # CLRS Lemma 8.4 with b = 64, r = 16: four stable passes.
    assert radix_sort(items, base=2**16) == sorted(items)
