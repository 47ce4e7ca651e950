"""Tests for studybook.dsa.sorting_searching, against sorted() and bisect."""

from __future__ import annotations

import bisect
import math
import random
import re
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.big_o import classify, count_operations
from studybook.dsa.sorting_searching import (
    comparison_lower_bound,
    count_comparisons,
    count_runs,
    counting_sort,
    demo,
    heapsort,
    hoare_partition,
    insertion_sort,
    lomuto_partition,
    lower_bound,
    merge_sort,
    min_ship_capacity,
    quickselect,
    quicksort,
    radix_sort,
    search_on_answer,
    upper_bound,
)

ints = st.lists(st.integers(-1000, 1000), max_size=60)
few_values = st.lists(st.integers(0, 5), max_size=60)  # many duplicates


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
]


# ---------------------------------------------------------------- binary search against bisect


@settings(max_examples=200, deadline=None)
@given(items=ints, target=st.integers(-1100, 1100), data=st.data())
def test_bounds_match_bisect_exactly(items: list[int], target: int, data: st.DataObject) -> None:
    items.sort()
    lo = data.draw(st.integers(0, len(items)))
    hi = data.draw(st.integers(lo, len(items)))
    assert lower_bound(items, target) == bisect.bisect_left(items, target)
    assert upper_bound(items, target) == bisect.bisect_right(items, target)
    assert lower_bound(items, target, lo, hi) == bisect.bisect_left(items, target, lo, hi)
    assert upper_bound(items, target, lo, hi) == bisect.bisect_right(items, target, lo, hi)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.text(max_size=2)), max_size=30), st.integers(-1, 21)
)
def test_bounds_with_key_match_bisect(records: list[tuple[int, str]], target: int) -> None:
    records.sort(key=lambda r: r[0])

    def first(r: tuple[int, str]) -> int:
        return r[0]

    assert lower_bound(records, target, key=first) == bisect.bisect_left(records, target, key=first)
    assert upper_bound(records, target, key=first) == bisect.bisect_right(
        records, target, key=first
    )


def test_bounds_reject_negative_lo_like_bisect() -> None:
    with pytest.raises(ValueError, match="lo must be non-negative") as ours:
        lower_bound([1, 2, 3], 2, -1)
    with pytest.raises(ValueError, match="lo must be non-negative") as theirs:
        bisect.bisect_left([1, 2, 3], 2, -1)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="lo must be non-negative"):
        upper_bound([1, 2, 3], 2, -1)


@settings(max_examples=200, deadline=None)
@given(lo=st.integers(-50, 50), width=st.integers(0, 100), threshold=st.integers(-60, 160))
def test_search_on_answer_finds_the_first_true(lo: int, width: int, threshold: int) -> None:
    hi = lo + width
    calls: list[int] = []

    def predicate(x: int) -> bool:
        calls.append(x)
        return x >= threshold

    expected = next((x for x in range(lo, hi) if predicate(x)), hi)
    calls.clear()
    assert search_on_answer(lo, hi, predicate) == expected
    assert len(calls) <= max(1, width).bit_length()  # O(log(hi - lo)) calls


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**12))
def test_search_on_answer_computes_integer_square_roots(n: int) -> None:
    assert search_on_answer(0, n + 2, lambda x: x * x > n) - 1 == math.isqrt(n)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 15), min_size=1, max_size=10), st.integers(1, 6))
def test_min_ship_capacity_matches_brute_force(weights: list[int], days: int) -> None:
    def days_needed(capacity: int) -> int:
        count, load = 1, 0
        for w in weights:
            if load + w > capacity:
                count, load = count + 1, 0
            load += w
        return count

    brute = next(c for c in range(max(weights), sum(weights) + 1) if days_needed(c) <= days)
    assert min_ship_capacity(weights, days) == brute


def test_search_errors_name_the_values() -> None:
    with pytest.raises(ValueError, match="need lo <= hi, got lo=3, hi=2"):
        search_on_answer(3, 2, bool)
    with pytest.raises(ValueError, match=re.escape("weights must be a non-empty list")):
        min_ship_capacity([], 2)
    with pytest.raises(ValueError, match=re.escape("got [3, 0]")):
        min_ship_capacity([3, 0], 2)


# ---------------------------------------------------------------- sorts against sorted()


@pytest.mark.parametrize("name", COMPARISON_SORTS)
@settings(max_examples=100, deadline=None)
@given(items=st.one_of(ints, few_values))
def test_comparison_sorts_agree_with_sorted(name: str, items: list[int]) -> None:
    assert as_function(name)(items) == sorted(items)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10**6), max_size=60), st.sampled_from([2, 3, 10, 16, 256]))
def test_counting_and_radix_sort_agree_with_sorted(items: list[int], base: int) -> None:
    assert radix_sort(items, base=base) == sorted(items)
    small = [x % 50 for x in items]
    assert counting_sort(small) == sorted(small)


def test_non_comparison_sorts_reject_negatives_and_bad_bases() -> None:
    with pytest.raises(ValueError, match="radix_sort handles non-negative ints only, got -4"):
        radix_sort([3, -4, 1])
    with pytest.raises(ValueError, match="base must be >= 2, got 1"):
        radix_sort([3], base=1)
    with pytest.raises(ValueError, match="counting_sort needs non-negative int keys, got -1"):
        counting_sort([2, -1])
    assert radix_sort([]) == []
    assert counting_sort([]) == []


# ---------------------------------------------------------------- stability with keyed records

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
    with pytest.raises(ValueError, match="scheme must be 'hoare' or 'lomuto', got 'x'"):
        quicksort([2, 1], scheme="x")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-100, 100), min_size=1, max_size=50), st.data())
def test_quickselect_matches_sorting(items: list[int], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(items) - 1))
    before = list(items)
    assert quickselect(items, k, rng=random.Random(k)) == sorted(items)[k]
    assert items == before  # the input is not modified
    with pytest.raises(IndexError, match=re.escape(f"k must be in [0, {len(items)})")):
        quickselect(items, len(items))


# ---------------------------------------------------------------- comparisons vs the lower bound


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


def test_lower_bound_is_ceil_log2_factorial_and_matches_stirling() -> None:
    for n in range(1, 200):
        exact = math.ceil(math.lgamma(n + 1) / math.log(2) - 1e-9)
        assert abs(comparison_lower_bound(n) - exact) <= 1  # lgamma is a float
        assert comparison_lower_bound(n) == (math.factorial(n) - 1).bit_length()
    for n in (64, 256, 1024, 4096):
        stirling = n * math.log2(n) - n * math.log2(math.e)
        assert 0 <= comparison_lower_bound(n) - stirling <= math.log2(n) + 2
    assert comparison_lower_bound(0) == 0


@pytest.mark.parametrize("n", [16, 64, 256, 1024])
def test_every_sort_pays_at_least_the_lower_bound(n: int) -> None:
    data = shuffled(n)
    bound = comparison_lower_bound(n)
    counts = {
        "sorted": count_comparisons(sorted, data),
        "merge_sort": count_comparisons(merge_sort, data),
        "heapsort": count_comparisons(heapsort, data),
        "quicksort": count_comparisons(lambda xs: quicksort(xs, rng=random.Random(1)), data),
    }
    assert all(c >= bound for c in counts.values()), (bound, counts)
    # Top-down merge sort's exact worst case (Knuth vol. 3, 5.2.4): n ceil(lg n) - 2^ceil(lg n) + 1.
    lg = math.ceil(math.log2(n))
    assert counts["merge_sort"] <= n * lg - 2**lg + 1
    assert counts["merge_sort"] <= 1.1 * bound
    assert counts["sorted"] <= 1.1 * bound
    assert counts["heapsort"] <= 2 * n * math.log2(n)


def test_comparison_counts_grow_like_the_documented_classes() -> None:
    sizes = [32, 64, 128, 256, 512]

    def counted(sort: Callable[[list[Any]], object]) -> Callable[[list[int], Any], None]:
        def run(data: list[int], counter: Any) -> None:
            counter.tick(count_comparisons(sort, data))

        return run

    descending = lambda n: list(range(n, 0, -1))  # noqa: E731
    ascending = lambda n: list(range(n))  # noqa: E731
    cases = [
        (merge_sort, shuffled, "O(n log n)"),
        (heapsort, shuffled, "O(n log n)"),
        (lambda xs: quicksort(xs, rng=random.Random(2)), ascending, "O(n log n)"),
        (lambda xs: quicksort(xs, scheme="lomuto"), ascending, "O(n^2)"),  # fixed pivot
        (insertion_sort, descending, "O(n^2)"),
        (insertion_sort, ascending, "O(n)"),
        (sorted, ascending, "O(n)"),
    ]
    for sort, make_input, label in cases:
        assert classify(sizes, count_operations(counted(sort), make_input, sizes)) == label

    # Quickselect's count varies with the pivots: average ten seeded runs (about 3.2 n).
    def select_median(data: list[int], counter: Any) -> None:
        for seed in range(10):
            pick = lambda xs, s=seed: quickselect(xs, len(xs) // 2, rng=random.Random(s))  # noqa: E731
            counter.tick(count_comparisons(pick, data))

    sizes = [64, 128, 256, 512, 1024]
    assert classify(sizes, count_operations(select_median, shuffled, sizes)) == "O(n)"


def test_fixed_pivot_quicksort_on_sorted_input_is_quadratic_but_does_not_overflow_the_stack() -> (
    None
):
    n = sys.getrecursionlimit() + 200
    data = list(range(n))
    assert count_comparisons(lambda xs: quicksort(xs, scheme="lomuto"), data) == n * (n - 1) // 2


# ---------------------------------------------------------------- runs and demo


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40))
def test_count_runs_counts_descents_plus_one(items: list[int]) -> None:
    descents = sum(1 for i in range(1, len(items)) if items[i] < items[i - 1])
    assert count_runs(items) == (descents + 1 if items else 0)


def test_demo_narrates_the_chapter() -> None:
    import io

    out = io.StringIO()
    demo(out)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 5
    assert "8770" in lines[0]
    assert "capacity 15" in lines[-1]
