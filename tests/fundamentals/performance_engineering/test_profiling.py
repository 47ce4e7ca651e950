"""cProfile, timeit and tracemalloc on the book's own code."""

from __future__ import annotations

import tracemalloc

import pytest

from studybook.dsa.sorting_searching import merge_sort
from studybook.fundamentals.performance_engineering import (
    memory_use,
    profile_calls,
    simulate_mm1,
    time_per_call,
)


@pytest.mark.parametrize("n", [1, 2, 7, 100, 1000])
def test_cprofile_counts_the_recursion_tree_of_merge_sort(n):
    rows = {r.function: r for r in profile_calls(lambda: merge_sort(list(range(n))), limit=50)}
    calls = rows["comparison_sorts.py:merge_sort"]
    assert (calls.calls, calls.primitive_calls) == (2 * n - 1, 1)
    merges = rows.get("comparison_sorts.py:_merge")
    assert (merges.calls if merges else 0) == n - 1


def test_cprofile_counts_the_simulators_events():
    rows = {
        r.function: r.calls for r in profile_calls(lambda: simulate_mm1(0.5, 1.0, 300), limit=50)
    }
    # 300 arrivals and 300 departures popped; the first arrival is not pushed.
    assert rows["<built-in method _heapq.heappop>"] == 600
    assert rows["<built-in method _heapq.heappush>"] == 599
    assert rows["random.py:expovariate"] == 600


def test_profile_rows_are_sorted_and_limited():
    rows = profile_calls(lambda: merge_sort(list(range(64))), limit=3)
    assert len(rows) == 3
    assert [r.calls for r in rows] == sorted((r.calls for r in rows), reverse=True)
    assert all(r.cumulative_time >= 0 and r.own_time >= 0 for r in rows)


def test_timeit_measures_something_positive_and_finite():
    t = time_per_call(lambda: merge_sort(list(range(200))), repeat=2, number=5)
    assert 0 < t < 1


def test_tracemalloc_sees_merge_sort_allocate_more_than_its_result():
    data = list(range(5_000))
    use = memory_use(lambda: merge_sort(data))
    result_list = 8 * len(data)  # a list of n pointers, at least
    assert use.retained >= result_list
    # During the last merge the two sorted halves (n pointers together) are
    # alive next to the result being built; sorted() needs no such copies.
    assert use.peak >= use.retained + result_list
    builtin = memory_use(lambda: sorted(data))
    assert builtin.retained >= result_list
    assert builtin.peak < use.peak


def test_memory_use_leaves_tracemalloc_as_it_found_it():
    assert not tracemalloc.is_tracing()
    memory_use(lambda: [1] * 10)
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        memory_use(lambda: [1] * 10)
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: profile_calls(42), TypeError, "func must be callable, got int: 42"),
        (lambda: profile_calls(print, limit=0), ValueError, "limit must be at least 1, got 0"),
        (lambda: profile_calls(print, limit=True), TypeError, "got bool"),
        (lambda: time_per_call("x"), TypeError, "func must be callable, got str"),
        (lambda: time_per_call(print, repeat=0), ValueError, "repeat must be at least 1, got 0"),
        (lambda: time_per_call(print, number=-1), ValueError, "got -1"),
        (lambda: memory_use(None), TypeError, "func must be callable, got NoneType"),
    ],
)
def test_bad_input_is_refused_with_the_value_named(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
