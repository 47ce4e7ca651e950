"""Tests for studybook.dsa.sorting_searching.comparison_sorts, against sorted()."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.sorting_searching import (
    count_comparisons,
    counting_sort,
    heapsort,
    hoare_partition,
    insertion_sort,
    lomuto_partition,
    merge_sort,
    quicksort,
    three_way_partition,
)

ints = st.lists(st.integers(-1000, 1000), max_size=60)
few_values = st.lists(st.integers(0, 5), max_size=60)  # many duplicates


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


def as_function(name: str) -> Callable[[list[Any]], list[Any]]:
    """Every sort as 'take a list, return the sorted list', for one parametrised contract."""

    def in_place(sort: Callable[..., None], **kwargs: Any) -> Callable[[list[Any]], list[Any]]:
        def run(items: list[Any]) -> list[Any]:
            copy = list(items)
            sort(copy, **kwargs)
            return copy

        return run

    table: dict[str, Callable[[list[Any]], list[Any]]] = {
        "merge_sort": merge_sort,
        "insertion_sort": in_place(insertion_sort),
        "heapsort": in_place(heapsort),
        "quicksort-hoare-fixed": in_place(quicksort, scheme="hoare"),
        "quicksort-lomuto-fixed": in_place(quicksort, scheme="lomuto"),
        "quicksort-hoare-random": in_place(quicksort, scheme="hoare", rng=random.Random(3)),
        "quicksort-lomuto-random": in_place(quicksort, scheme="lomuto", rng=random.Random(3)),
        "quicksort-three-way-fixed": in_place(quicksort, scheme="three-way"),
        "quicksort-three-way-random": in_place(quicksort, scheme="three-way", rng=random.Random(3)),
    }
    return table[name]


COMPARISON_SORTS = [
    "merge_sort",
    "insertion_sort",
    "heapsort",
    "quicksort-hoare-fixed",
    "quicksort-lomuto-fixed",
    "quicksort-hoare-random",
    "quicksort-lomuto-random",
    "quicksort-three-way-fixed",
    "quicksort-three-way-random",
]


# ---------------------------------------------------------------- binary search against bisect


@pytest.mark.parametrize("name", COMPARISON_SORTS)
@settings(max_examples=100, deadline=None)
@given(items=st.one_of(ints, few_values))
def test_comparison_sorts_agree_with_sorted(name: str, items: list[int]) -> None:
    assert as_function(name)(items) == sorted(items)


records = st.lists(st.tuples(st.integers(0, 4), st.integers()), max_size=50)


@settings(max_examples=150, deadline=None)
@given(records)
def test_stable_sorts_keep_equal_keys_in_input_order(rows: list[tuple[int, int]]) -> None:
    def key(r: tuple[int, int]) -> int:
        return r[0]

    expected = sorted(rows, key=key)  # Python's sort is guaranteed stable
    assert merge_sort(rows, key=key) == expected
    assert counting_sort(rows, key=key) == expected
    copy = list(rows)
    insertion_sort(copy, key=key)
    assert copy == expected


def test_heapsort_and_quicksort_sort_by_key_but_are_not_stable() -> None:
    def key(r: tuple[int, int]) -> int:
        return r[0]

    rng = random.Random(11)
    unstable = {"heapsort": 0, "quicksort": 0}
    for _ in range(50):
        rows = [(rng.randrange(3), i) for i in range(12)]
        for name, sort in (
            ("heapsort", lambda xs: heapsort(xs, key=key)),
            ("quicksort", lambda xs: quicksort(xs, rng=random.Random(5), key=key)),
        ):
            copy = list(rows)
            sort(copy)
            assert [key(r) for r in copy] == sorted(key(r) for r in rows)
            assert sorted(copy) == sorted(rows)  # a permutation of the input
            unstable[name] += copy != sorted(rows, key=key)
    assert unstable["heapsort"] > 0
    assert unstable["quicksort"] > 0


# ---------------------------------------------------------------- partitions and selection


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-20, 20), min_size=1, max_size=40), st.data())
def test_partitions_leave_the_promised_order(items: list[int], data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(items) - 1))
    hi = data.draw(st.integers(lo, len(items) - 1))

    lomuto = list(items)
    p = lomuto_partition(lomuto, lo, hi)
    assert lomuto[:lo] == items[:lo]
    assert lomuto[hi + 1 :] == items[hi + 1 :]
    assert sorted(lomuto[lo : hi + 1]) == sorted(items[lo : hi + 1])
    assert lomuto[p] == items[hi]
    assert all(x < lomuto[p] for x in lomuto[lo:p])
    assert all(x >= lomuto[p] for x in lomuto[p + 1 : hi + 1])

    hoare = list(items)
    j = hoare_partition(hoare, lo, hi)
    assert sorted(hoare[lo : hi + 1]) == sorted(items[lo : hi + 1])
    if hi > lo:
        assert lo <= j < hi
        assert max(hoare[lo : j + 1]) <= min(hoare[j + 1 : hi + 1])


def test_partitions_reject_bad_ranges() -> None:
    with pytest.raises(IndexError, match=re.escape("need 0 <= lo <= hi < 3, got lo=0, hi=3")):
        hoare_partition([1, 2, 3], 0, 3)
    with pytest.raises(IndexError, match=re.escape("need 0 <= lo <= hi < 0, got lo=0, hi=0")):
        lomuto_partition([], 0, 0)
    with pytest.raises(IndexError, match=re.escape("need 0 <= lo <= hi < 3, got lo=2, hi=1")):
        three_way_partition([1, 2, 3], 2, 1)
    with pytest.raises(TypeError, match="lo must be an int, got 0.5"):
        lomuto_partition([1, 2, 3], 0.5, 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="hi must be an int, got True"):
        hoare_partition([1, 2, 3], 0, True)
    with pytest.raises(
        ValueError, match="scheme must be 'hoare', 'lomuto' or 'three-way', got 'x'"
    ):
        quicksort([2, 1], scheme="x")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=40), st.data())
def test_three_way_partition_groups_the_pivot_in_the_middle(
    items: list[int], data: st.DataObject
) -> None:
    lo = data.draw(st.integers(0, len(items) - 1))
    hi = data.draw(st.integers(lo, len(items) - 1))
    work = list(items)
    lt, gt = three_way_partition(work, lo, hi)
    pivot = items[lo]
    assert work[:lo] == items[:lo]
    assert work[hi + 1 :] == items[hi + 1 :]
    assert sorted(work[lo : hi + 1]) == sorted(items[lo : hi + 1])
    assert lo <= lt <= gt <= hi
    assert all(x < pivot for x in work[lo:lt])
    assert all(x == pivot for x in work[lt : gt + 1])
    assert all(x > pivot for x in work[gt + 1 : hi + 1])


class Tagged:
    """Equal keys, distinct identities: shows where each item went."""

    def __init__(self, tag: int) -> None:
        self.tag = tag

    def __lt__(self, other: Tagged) -> bool:
        return False


@pytest.mark.parametrize("n", [2, 3, 10, 11, 1000, 1001])
def test_hoare_swaps_half_the_items_when_all_keys_are_equal(n: int) -> None:
    items = [Tagged(i) for i in range(n)]
    hoare_partition(items, 0, n - 1)
    moved = sum(1 for position, item in enumerate(items) if item.tag != position)
    assert moved == 2 * (n // 2)  # n // 2 swaps, each moving two items


def test_equal_keys_cost_by_scheme() -> None:
    n = 1024
    equal = [7] * n

    def quick(scheme: str) -> Callable[[list[Any]], None]:
        return lambda xs: quicksort(xs, scheme=scheme)

    assert count_comparisons(quick("lomuto"), equal) == n * (n - 1) // 2  # quadratic
    assert count_comparisons(quick("three-way"), equal) == 2 * (n - 1)  # one pass
    assert count_comparisons(quick("hoare"), equal) <= 1.3 * n * math.log2(n)  # balanced
    assert count_comparisons(heapsort, equal) <= 3 * n  # every sift-down stops at once
