"""Tests for studybook.dsa.sorting_searching.binary_search, against bisect and brute force."""

from __future__ import annotations

import bisect
import math
import random
import re
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from studybook.dsa.sorting_searching import (
    lower_bound,
    min_ship_capacity,
    search_on_answer,
    search_on_real_answer,
    search_rotated,
    upper_bound,
)

ints = st.lists(st.integers(-1000, 1000), max_size=60)
few_values = st.lists(st.integers(0, 5), max_size=60)  # many duplicates


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


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
    with pytest.raises(ValueError, match=re.escape("weights must be positive, got 0")):
        min_ship_capacity([3, 0], 2)


@pytest.mark.parametrize(
    ("weights", "days", "error", "message"),
    [
        ([0.4, 0.4], 1, TypeError, "weights must be ints, got 0.4"),  # was 1.0; 0.8 is right
        ([1, math.nan], 1, TypeError, "weights must be ints, got nan"),
        ([1, math.inf], 1, TypeError, "weights must be ints, got inf"),
        ([True, 2], 1, TypeError, "weights must be ints, got True"),
        ([-1, 2], 1, ValueError, "weights must be positive, got -1"),
        ([1, 2], 0, ValueError, "days must be >= 1, got 0"),
        ([1, 2], 1.5, TypeError, "days must be an int, got 1.5"),
        ([1, 2], True, TypeError, "days must be an int, got True"),
        ([1, 2], math.nan, TypeError, "days must be an int, got nan"),
    ],
)
def test_min_ship_capacity_refuses_bad_input(
    weights: list[Any], days: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        min_ship_capacity(weights, days)


@pytest.mark.parametrize(
    ("lo", "hi", "error", "message"),
    [
        (0.5, 10, TypeError, "lo must be an int, got 0.5"),
        (0, math.inf, TypeError, "hi must be an int, got inf"),
        (True, 10, TypeError, "lo must be an int, got True"),
    ],
)
def test_search_on_answer_refuses_non_int_bounds(
    lo: Any, hi: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        search_on_answer(lo, hi, bool)


def test_lower_bound_has_no_early_exit_so_its_best_case_is_logarithmic() -> None:
    # Count comparisons for every present target: none is found in O(1).
    from studybook.dsa.big_o import Counted, OpCounter

    n = 1000
    per_target = []
    for target in range(0, n, 7):
        ops = OpCounter()
        items = [Counted(v, ops) for v in range(n)]
        lower_bound(items, Counted(target, ops))
        per_target.append(ops.count)
    assert min(per_target) >= math.floor(math.log2(n))
    assert max(per_target) <= math.floor(math.log2(n)) + 1


# ---------------------------------------------------------------- rotated arrays, reals


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(-500, 500), max_size=40), st.integers(0, 39), st.integers(-510, 510))
def test_search_rotated_agrees_with_list_index(values: set[int], shift: int, target: int) -> None:
    ordered = sorted(values)
    if ordered:
        shift %= len(ordered)
    rotated = ordered[shift:] + ordered[:shift]
    expected = rotated.index(target) if target in values else -1
    assert search_rotated(rotated, target) == expected
    for present in rotated:
        assert rotated[search_rotated(rotated, present)] == present


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=30), st.integers(0, 29), st.integers(-1, 5))
@example([1, 0, 1, 1, 1], 0, 0)  # both ends equal the middle: was -1
@example([2, 2, 2, 3, 2, 2], 0, 3)
def test_search_rotated_finds_targets_among_duplicates(
    values: list[int], shift: int, target: int
) -> None:
    ordered = sorted(values)
    if ordered:
        shift %= len(ordered)
    rotated = ordered[shift:] + ordered[:shift] if ordered else values
    i = search_rotated(rotated, target)
    if target in rotated:
        assert rotated[i] == target
    else:
        assert i == -1


def test_search_rotated_examples_given_unrotated_as_is() -> None:
    # [1, 0, 1, 1, 1] is itself a rotation of [0, 1, 1, 1, 1]; test it verbatim too.
    assert search_rotated([1, 0, 1, 1, 1], 0) == 1
    assert search_rotated([1, 1, 1, 1, 1], 0) == -1


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e6), st.floats(1e-12, 1e-3))
@example(2.0, 1e-9)
@example(0.0, 1e-12)
def test_search_on_real_answer_brackets_the_square_root(x: float, tolerance: float) -> None:
    hi = max(1.0, x)
    root = search_on_real_answer(0.0, hi, lambda r: r * r >= x, tolerance=tolerance)
    assert root * root >= x  # the returned point satisfies the predicate
    assert root - tolerance <= math.sqrt(x) * (1 + 1e-15) + 1e-300
    assert root <= hi


@pytest.mark.parametrize(("lo", "hi"), [(-1e308, 1e308), (-1.7e308, 1.7e308), (0.0, 1.7e308)])
def test_search_on_real_answer_survives_a_range_wider_than_the_largest_float(
    lo: float, hi: float
) -> None:
    # hi - lo overflows to inf; the midpoint once became inf and was returned.
    calls: list[float] = []

    def at_least_one(x: float) -> bool:
        calls.append(x)
        return x >= 1.0

    root = search_on_real_answer(lo, hi, at_least_one)
    assert 1.0 <= root <= 1.0 + 1e-9
    assert all(math.isfinite(x) and lo <= x <= hi for x in calls)


def test_search_on_real_answer_stops_when_no_float_is_left_between_the_ends() -> None:
    # A tolerance below the spacing of floats: the loop ends when the midpoint is an end.
    calls: list[float] = []

    def tiny(x: float) -> bool:
        calls.append(x)
        return x >= 1e-300

    assert search_on_real_answer(0.0, 1e308, tiny, tolerance=5e-324) == 1e-300
    assert len(calls) <= 2100


@pytest.mark.parametrize(
    ("lo", "hi", "message"),
    [
        (0.5, None, "lo must be an int, got 0.5"),
        (True, None, "lo must be an int, got True"),
        (None, None, "lo must be an int, got None"),
        (0, 2.0, "hi must be an int, got 2.0"),
    ],
)
def test_bounds_refuse_non_int_slice_ends(lo: Any, hi: Any, message: str) -> None:
    for search in (lower_bound, upper_bound):
        with pytest.raises(TypeError, match=re.escape(message)):
            search([1, 2, 3], 2, lo, hi)


def test_min_ship_capacity_reads_an_iterator_once() -> None:
    # The checks once used up a generator, and max() then failed on the empty rest.
    assert min_ship_capacity((w for w in [3, 2, 2, 4, 1, 4]), 3) == 6


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((math.nan, 1.0), ValueError, "lo must be finite, got nan"),
        ((0.0, math.inf), ValueError, "hi must be finite, got inf"),
        ((1.0, 1.0), ValueError, "need lo < hi, got lo=1.0, hi=1.0"),
        (("0", 1.0), TypeError, "lo must be a number, got '0'"),
        ((True, 1.0), TypeError, "lo must be a number, got True"),
    ],
)
def test_search_on_real_answer_refuses_bad_bounds(
    args: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        search_on_real_answer(*args, bool)
    with pytest.raises(ValueError, match="tolerance must be positive, got 0"):
        search_on_real_answer(0.0, 1.0, bool, tolerance=0)
