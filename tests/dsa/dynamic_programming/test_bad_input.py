"""Every public entry point refuses NaN, infinities, bool, wrong types, negatives and huge sizes.

Each case names the call, the exception and a pattern that must appear in the
message: the offending value itself, as STYLE.md asks. ``fib_table(True)``
returning 1 and ``coin_change_ways([1, 1], 2)`` returning 3 are the reviewers'
examples.
"""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from studybook.dsa.dynamic_programming import (
    coin_change_min,
    coin_change_min_memo,
    coin_change_ways,
    edit_alignment,
    edit_distance,
    fib_memo,
    fib_table,
    knapsack_01,
    knapsack_01_memo,
    knapsack_01_value,
    lcs,
    lcs_length,
    lcs_length_memo,
    lis,
    matrix_chain_cost_memo,
    matrix_chain_order,
    min_path_sum,
    n_queens,
    n_queens_count,
    naive_fib_calls,
    permutations,
    subsets,
    unique_paths,
    unique_paths_memo,
)

NAN = float("nan")
INF = float("inf")

CASES: list[tuple[str, Callable[[], Any], type[Exception], str]] = []

for f in (fib_memo, fib_table, naive_fib_calls):
    CASES += [
        (f"{f.__name__} bool", lambda f=f: f(True), TypeError, "got True"),
        (f"{f.__name__} float", lambda f=f: f(5.0), TypeError, "got 5.0"),
        (f"{f.__name__} nan", lambda f=f: f(NAN), TypeError, "got nan"),
        (f"{f.__name__} str", lambda f=f: f("5"), TypeError, "got '5'"),
        (f"{f.__name__} negative", lambda f=f: f(-1), ValueError, "got -1"),
        (f"{f.__name__} huge", lambda f=f: f(10**9), ValueError, "got 1000000000"),
    ]

for f in (n_queens, n_queens_count):
    CASES += [
        (f"{f.__name__} bool", lambda f=f: f(False), TypeError, "got False"),
        (f"{f.__name__} inf", lambda f=f: f(INF), TypeError, "got inf"),
        (f"{f.__name__} negative", lambda f=f: f(-3), ValueError, "got -3"),
        (f"{f.__name__} huge", lambda f=f: f(40), ValueError, "at most 12, got 40"),
    ]

for f in (subsets, permutations):
    CASES += [
        (f"{f.__name__} int", lambda f=f: f(3), TypeError, "got 3"),
        (f"{f.__name__} set", lambda f=f: f({1, 2}), TypeError, r"got \{1, 2\}"),
        (f"{f.__name__} huge", lambda f=f: f(range(100)), ValueError, "got 100"),
    ]

for f in (knapsack_01, knapsack_01_value, knapsack_01_memo):
    name = f.__name__
    CASES += [
        (f"{name} bool weight", lambda f=f: f([True], [1], 3), TypeError, "got True"),
        (f"{name} float value", lambda f=f: f([1], [2.5], 3), TypeError, "got 2.5"),
        (f"{name} nan value", lambda f=f: f([1], [NAN], 3), TypeError, "got nan"),
        (f"{name} str weights", lambda f=f: f("12", [1, 2], 3), TypeError, "got '12'"),
        (f"{name} bool capacity", lambda f=f: f([1], [1], True), TypeError, "got True"),
        (f"{name} inf capacity", lambda f=f: f([1], [1], INF), TypeError, "got inf"),
        (f"{name} negative capacity", lambda f=f: f([1], [1], -1), ValueError, "got -1"),
        (f"{name} negative value", lambda f=f: f([1], [-1], 3), ValueError, "got -1"),
        (f"{name} huge", lambda f=f: f([1], [1], 10**12), ValueError, "MAX_CELLS"),
        (f"{name} lengths", lambda f=f: f([1, 2], [1], 3), ValueError, "2 != 1"),
    ]

for f in (coin_change_min, coin_change_min_memo, coin_change_ways):
    name = f.__name__
    CASES += [
        (f"{name} duplicates", lambda f=f: f([2, 5, 2], 7), ValueError, "got 2 twice"),
        (f"{name} bool coin", lambda f=f: f([True], 2), TypeError, "got True"),
        (f"{name} float coin", lambda f=f: f([1.0], 2), TypeError, "got 1.0"),
        (f"{name} zero coin", lambda f=f: f([0, 1], 2), ValueError, "got 0"),
        (f"{name} str coins", lambda f=f: f("15", 2), TypeError, "got '15'"),
        (f"{name} bool amount", lambda f=f: f([1], True), TypeError, "got True"),
        (f"{name} nan amount", lambda f=f: f([1], NAN), TypeError, "got nan"),
        (f"{name} negative amount", lambda f=f: f([1], -4), ValueError, "got -4"),
        (f"{name} huge", lambda f=f: f([1, 2], 10**10), ValueError, "MAX_CELLS"),
    ]

for f in (lcs, lcs_length, lcs_length_memo, edit_distance, edit_alignment):
    name = f.__name__
    CASES += [
        (f"{name} int", lambda f=f: f(12, "ab"), TypeError, "a must be a sequence.*got 12"),
        (f"{name} set", lambda f=f: f("ab", {1}), TypeError, r"b must be a sequence.*got \{1\}"),
        (f"{name} nan", lambda f=f: f([1.0], [NAN]), ValueError, r"b\[0\] .*got nan"),
        (f"{name} huge", lambda f=f: f("a" * 10**4, "b" * 10**4), ValueError, "MAX_CELLS"),
    ]

CASES += [
    ("lis int", lambda: lis(5), TypeError, "got 5"),
    ("lis nan", lambda: lis([3, NAN, 1]), ValueError, r"seq\[1\] .*got nan"),
    ("lis mixed", lambda: lis([1, "a"]), TypeError, "'<' not supported"),
]

for f in (matrix_chain_order, matrix_chain_cost_memo):
    name = f.__name__
    CASES += [
        (f"{name} bool", lambda f=f: f([2, True, 3]), TypeError, "got True"),
        (f"{name} float", lambda f=f: f([2, 3.0]), TypeError, "got 3.0"),
        (f"{name} nan", lambda f=f: f([2, NAN]), TypeError, "got nan"),
        (f"{name} str", lambda f=f: f("23"), TypeError, "got '23'"),
        (f"{name} empty", lambda f=f: f([]), ValueError, r"got \[\]"),
        (f"{name} negative", lambda f=f: f([2, -3]), ValueError, r"got \[2, -3\]"),
        (f"{name} huge", lambda f=f: f([2] * 1000), ValueError, "MAX_CELLS"),
    ]

for f in (unique_paths, unique_paths_memo):
    name = f.__name__
    CASES += [
        (f"{name} bool cell", lambda f=f: f([[0, True]]), TypeError, "got True"),
        (f"{name} two", lambda f=f: f([[0, 2]]), ValueError, r"got \[0, 2\]"),
        (f"{name} float", lambda f=f: f([[0, 0.0]]), TypeError, "got 0.0"),
        (f"{name} str grid", lambda f=f: f("00"), TypeError, "got '00'"),
        (f"{name} str row", lambda f=f: f(["00"]), TypeError, "got '00'"),
        (f"{name} empty", lambda f=f: f([]), ValueError, r"got row lengths \[\]"),
        (f"{name} huge", lambda f=f: f([[0] * 4000] * 4000), ValueError, "MAX_CELLS"),
    ]

CASES += [
    ("min_path_sum nan", lambda: min_path_sum([[1, NAN]]), ValueError, "got nan"),
    ("min_path_sum inf", lambda: min_path_sum([[1], [-INF]]), ValueError, "got -inf"),
    ("min_path_sum bool", lambda: min_path_sum([[1, False]]), TypeError, "got False"),
    ("min_path_sum None", lambda: min_path_sum([[None]]), TypeError, "got None"),
    ("min_path_sum empty row", lambda: min_path_sum([[]]), ValueError, r"got row lengths \[0\]"),
]


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [pytest.param(call, error, pattern, id=name) for name, call, error, pattern in CASES],
)
def test_bad_input_is_refused_with_the_value_in_the_message(
    call: Callable[[], Any], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_fib_table_of_true_no_longer_returns_one() -> None:
    with pytest.raises(TypeError, match=re.escape("n must be a non-negative int, got True")):
        fib_table(True)


def test_empty_inputs_have_their_natural_answers() -> None:
    assert (fib_table(0), naive_fib_calls(0), n_queens(0), n_queens_count(0)) == (0, 1, [[]], 1)
    assert (subsets([]), permutations([])) == ([[]], [[]])
    assert knapsack_01([], [], 0) == (0, [])
    assert (coin_change_min([], 0), coin_change_min([], 3), coin_change_ways([], 3)) == (0, None, 0)
    assert (lcs("", ""), lcs([], [1]), lcs_length("", "x"), edit_distance([], [])) == ("", [], 0, 0)
    assert edit_alignment("", "") == (0, [])
    assert lis([]) == []
    assert matrix_chain_order([7, 7]) == (0, "A1")


def test_infinities_in_sequences_are_ordinary_elements() -> None:
    assert lis([INF, -INF, 0.0, INF]) == [-INF, 0.0, INF]
    assert edit_distance([INF, 1.0], [INF]) == 1


def test_edit_distance_memory_follows_the_shorter_input() -> None:
    short, long = "ab" * 5, "ba" * 10_000  # 10 x 20,000 cells
    tracemalloc.start()
    try:
        edit_distance(long, short)
        _, peak_long_first = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        edit_distance(short, long)
        _, peak_short_first = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A row over the long input would be 20,001 list slots, at least 160 KB.
    assert max(peak_long_first, peak_short_first) < 40_000
