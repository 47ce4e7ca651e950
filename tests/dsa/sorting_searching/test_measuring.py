"""Tests for studybook.dsa.sorting_searching.measuring: comparison counts against the lower bound.

The package demo is checked, whole, by its doctest in ``__init__``.
"""

from __future__ import annotations

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
    heapsort,
    insertion_sort,
    merge_sort,
    quickselect,
    quicksort,
)

ints = st.lists(st.integers(-1000, 1000), max_size=60)
few_values = st.lists(st.integers(0, 5), max_size=60)  # many duplicates


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

    # Quickselect's count varies with the pivots: average ten seeded runs (about 4.8 n
    # with the three-way partition, whose second `<` costs about half a comparison more).
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


# ---------------------------------------------------------------- runs


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40))
def test_count_runs_counts_descents_plus_one(items: list[int]) -> None:
    descents = sum(1 for i in range(1, len(items)) if items[i] < items[i - 1])
    assert count_runs(items) == (descents + 1 if items else 0)


@pytest.mark.parametrize(
    ("n", "error", "message"),
    [
        (-1, ValueError, "n must be >= 0, got -1"),
        (2.0, TypeError, "n must be an int, got 2.0"),
        (True, TypeError, "n must be an int, got True"),
        (10**9, ValueError, "n must be at most 100,000 for an exact bound, got 1000000000"),
    ],
)
def test_comparison_lower_bound_refuses_bad_sizes(
    n: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        comparison_lower_bound(n)
