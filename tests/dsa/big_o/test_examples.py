"""Tests for studybook.dsa.big_o.examples, against bisect, list.index and brute force."""

from __future__ import annotations

import bisect
import math
import random
import re
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.big_o import (
    OpCounter,
    binary_search,
    fit_exponent,
    get_item,
    has_duplicate_hashing,
    has_duplicate_pairwise,
    has_duplicate_sorting,
    linear_search,
    reverse_in_place,
    reversed_copy,
    search_cost_cases,
    shortest_tour_brute_force,
    subset_sum_brute_force,
)

POWERS = [2**k for k in range(4, 13)]


def distinct(n: int) -> list[int]:
    return list(range(n))


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


def line_cities(n: int) -> list[list[int]]:
    return [[abs(i - j) for j in range(n)] for i in range(n)]


# ---------------------------------------------------------------- the examples are correct


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-50, 50), max_size=40), st.integers(-60, 60))
def test_searches_agree_with_bisect_and_list_index(items: list[int], target: int) -> None:
    items.sort()
    found = binary_search(items, target)
    position = bisect.bisect_left(items, target)
    if position < len(items) and items[position] == target:
        assert items[found] == target
    else:
        assert found == -1
    assert linear_search(items, target) == (items.index(target) if target in items else -1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=30))
def test_duplicate_detectors_agree(items: list[int]) -> None:
    expected = len(set(items)) < len(items)
    assert has_duplicate_hashing(items) is expected
    assert has_duplicate_sorting(items) is expected
    assert has_duplicate_pairwise(items) is expected


NAN = float("nan")  # one NaN object, to be repeated: a set matches it by identity


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-3, 3),
            st.sampled_from([0.0, -0.0, 1.0, 2.5, math.inf, -math.inf, NAN]),
            st.floats(allow_nan=True),  # fresh NaN objects, some with other payloads
        ),
        max_size=12,
    )
)
@example([NAN, NAN])  # one NaN object twice: a plain set would say True
@example([1, NAN, 1])  # NaN between two 1s: a plain sort would not bring them together
@example([NAN, float("nan")])
def test_duplicate_finders_agree_when_nan_is_present(items: list[float]) -> None:
    # A duplicate is two positions whose values are ==; NaN equals nothing.
    comparable = [x for x in items if not math.isnan(x)]
    expected = len(set(comparable)) < len(comparable)
    assert has_duplicate_hashing(items) is expected
    assert has_duplicate_sorting(items) is expected
    assert has_duplicate_pairwise(items) is expected
    assert has_duplicate_hashing(iter(items)) is expected  # one pass: an iterator is enough
    assert has_duplicate_sorting(iter(items)) is expected


def test_duplicate_finders_on_nan_edge_cases() -> None:
    cases = {
        (NAN, NAN): False,
        (NAN, float("nan")): False,
        (Decimal("NaN"), Decimal("NaN")): False,
        (1, NAN, 1): True,
        (NAN, 2, NAN): False,
        (0.0, -0.0): True,
        (True, 1): True,
        (Decimal(1), 1.0): True,
    }
    for items, expected in cases.items():
        for finder in (has_duplicate_hashing, has_duplicate_sorting, has_duplicate_pairwise):
            assert finder(list(items)) is expected, (finder.__name__, items)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 20), max_size=8), st.integers(0, 60))
def test_subset_sum_matches_a_reachable_sums_set(values: list[int], target: int) -> None:
    reachable = {0}
    for v in values:
        reachable |= {s + v for s in reachable}
    result = subset_sum_brute_force(values, target)
    if target in reachable:
        assert result is not None
        assert sum(result) == target
    else:
        assert result is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-100, 100), min_size=1, max_size=7, unique=True))
def test_shortest_tour_on_a_line_goes_out_and_back(points: list[int]) -> None:
    matrix = [[abs(a - b) for b in points] for a in points]
    assert shortest_tour_brute_force(matrix) == 2 * (max(points) - min(points))


def test_example_errors_name_the_bad_value() -> None:
    with pytest.raises(IndexError, match="index 3 out of range for a sequence of length 3"):
        get_item([1, 2, 3], 3)
    for bad in (True, 1.0, "1"):
        with pytest.raises(TypeError, match=re.escape(f"index must be an int, got {bad!r}")):
            get_item([1, 2, 3], bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=re.escape("distances[1][2] is NaN")):
        shortest_tour_brute_force([[0, 1, 2], [1, 0, math.nan], [2, 3, 0]])
    with pytest.raises(ValueError, match=r"got row lengths \[\]"):
        shortest_tour_brute_force([])
    with pytest.raises(ValueError, match="steps must be >= 0, got -2"):
        OpCounter().tick(-2)


def test_best_average_worst_case_counts_of_linear_search() -> None:
    for n in range(1, 60):
        assert search_cost_cases(n) == (1, (n + 1) / 2, n)


# ---------------------------------------------------------------- space


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers()))
def test_reversals_agree_with_slicing(items: list[int]) -> None:
    assert reversed_copy(items) == items[::-1]
    copy = list(items)
    reverse_in_place(copy)
    assert copy == items[::-1]


def test_copy_needs_linear_extra_space_and_in_place_needs_constant() -> None:
    def peak_bytes(function: Callable[[list[int]], object], n: int) -> int:
        data = list(range(n))
        tracemalloc.start()
        try:
            function(data)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    sizes = [10_000, 20_000, 40_000, 80_000]
    copy_peaks = [peak_bytes(reversed_copy, n) for n in sizes]
    in_place_peaks = [peak_bytes(reverse_in_place, n) for n in sizes]
    assert fit_exponent(sizes, copy_peaks) == pytest.approx(1.0, abs=0.15)
    assert max(in_place_peaks) < 2_000  # a few frames' worth, whatever n is
    assert copy_peaks[-1] >= 8 * sizes[-1]  # at least one pointer per element
