"""Bin packing heuristics against hand-worked instances, an exhaustive optimum and proven bounds."""

from __future__ import annotations

import io
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.__main__ import main
from studybook.infra.cluster_scheduling import (
    FFD_TIGHT,
    HEURISTICS,
    MAX_EXACT_ITEMS,
    best_fit,
    compare_heuristics,
    first_fit,
    first_fit_decreasing,
    lower_bound,
    max_bins,
    next_fit,
    optimal_bins,
    optimal_packing,
    pack,
    ratio_study,
    worst_fit,
)

SIZES = [5, 7, 5, 2, 4, 2, 5, 1, 6]


def _any(value: object) -> Any:
    """Let a test pass a deliberately wrong type past mypy."""
    return value


def test_each_heuristic_on_a_hand_worked_instance() -> None:
    # Worked by hand, capacity 10. The second 5 is where the rules part ways: FF put the 3
    # in the first bin (5 + 3), BF in the fuller one (7 + 3), which leaves room for the 5.
    sizes = [5, 7, 3, 5]
    assert next_fit(sizes, 10) == [[5], [7, 3], [5]]
    assert first_fit(sizes, 10) == [[5, 3], [7], [5]]
    assert best_fit(sizes, 10) == [[5, 5], [7, 3]]
    assert worst_fit(sizes, 10) == [[5, 3], [7], [5]]
    assert first_fit_decreasing(sizes, 10) == [[7, 3], [5, 5]]
    assert optimal_bins(sizes, 10) == lower_bound(sizes, 10) == 2
    assert first_fit(SIZES, 10) == [[5, 5], [7, 2, 1], [4, 2], [5], [6]]
    assert worst_fit(SIZES, 10) == [[5, 5], [7, 2], [4, 2], [5, 1], [6]]
    assert first_fit_decreasing(SIZES, 10) == [[7, 2, 1], [6, 4], [5, 5], [5, 2]]


def test_ffd_meets_its_tight_ratio_on_johnsons_instance() -> None:
    # Johnson (1973): FFD = 11/9 OPT on this family. The volume bound certifies OPT = 9.
    assert len(first_fit_decreasing(list(FFD_TIGHT), 60)) == 11
    assert lower_bound(list(FFD_TIGHT), 60) == 9
    nine = [[31, 16, 13]] * 6 + [[17, 17, 13, 13]] * 3
    assert Counter(x for b in nine for x in b) == Counter(FFD_TIGHT)
    assert all(sum(b) <= 60 for b in nine)
    assert max_bins("first_fit_decreasing", 9) == 11  # the bound is met exactly


def test_floats_are_read_as_the_decimals_they_print_as() -> None:
    assert first_fit([0.1, 0.2, 0.7], 1) == [[0.1, 0.2, 0.7]]
    assert lower_bound([0.1] * 10, 1) == 1


def test_ints_too_large_for_a_float_are_exact_amounts() -> None:
    huge = 10**400
    assert first_fit([huge // 2, huge, huge // 2], huge) == [[huge // 2, huge // 2], [huge]]
    assert lower_bound([huge // 3] * 4, huge) == 2


def _is_packing(bins: list[list[int | float]], sizes: Sequence[int], capacity: int) -> bool:
    return Counter(x for b in bins for x in b) == Counter(sizes) and all(
        b and sum(b) <= capacity for b in bins
    )


small = st.integers(2, 30).flatmap(
    lambda cap: st.tuples(st.lists(st.integers(1, cap), min_size=1, max_size=8), st.just(cap))
)


@settings(max_examples=60, deadline=None)
@given(small)
def test_every_heuristic_is_a_valid_packing_within_its_proven_bound(
    case: tuple[list[int], int],
) -> None:
    sizes, cap = case
    opt = optimal_bins(sizes, cap)
    assert opt >= lower_bound(sizes, cap) == math.ceil(sum(sizes) / cap)
    for h in HEURISTICS:
        bins = pack(sizes, cap, h)
        assert _is_packing(bins, sizes, cap)
        assert opt <= len(bins) <= max_bins(h, opt), h


@settings(max_examples=60, deadline=None)
@given(small)
def test_two_consecutive_bins_always_hold_more_than_one_bin(case: tuple[list[int], int]) -> None:
    # The argument behind NF <= 2 OPT - 1, true of every heuristic here (FFD included): a bin
    # is opened only for an item that did not fit the bin before it, and bins only fill up.
    sizes, cap = case
    for h in HEURISTICS:
        bins = pack(sizes, cap, h)
        assert all(sum(a) + sum(b) > cap for a, b in itertools.pairwise(bins)), h


def _partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1 :]]
        yield [[first], *part]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 20).flatmap(
        lambda cap: st.tuples(st.lists(st.integers(1, cap), min_size=1, max_size=7), st.just(cap))
    )
)
def test_optimum_equals_exhaustive_search_over_all_set_partitions(
    case: tuple[list[int], int],
) -> None:
    sizes, cap = case
    brute = min(len(p) for p in _partitions(sizes) if all(sum(b) <= cap for b in p))
    packing = optimal_packing(sizes, cap)
    assert len(packing) == brute
    assert _is_packing(packing, sizes, cap)


def _first_fit_model(sizes: list[int], cap: int) -> list[list[int]]:
    loads: list[int] = []
    bins: list[list[int]] = []
    for s in sizes:
        for i, load in enumerate(loads):
            if load + s <= cap:
                loads[i] += s
                bins[i].append(s)
                break
        else:
            loads.append(s)
            bins.append([s])
    return bins


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=1, max_size=40))
def test_first_fit_and_ffd_match_a_plain_model(sizes: list[int]) -> None:
    assert first_fit(sizes, 50) == _first_fit_model(sizes, 50)
    assert first_fit_decreasing(sizes, 50) == _first_fit_model(sorted(sizes, reverse=True), 50)


def test_ratio_study_is_deterministic_and_never_beats_the_optimum_or_breaks_a_bound() -> None:
    rows = ratio_study(40, 8, low=10, high=60, capacity=100, seed=11)
    assert rows == ratio_study(40, 8, low=10, high=60, capacity=100, seed=11)
    for r in rows:
        assert r.mean >= 1
        assert r.worst >= 1
        assert r.worst_bins <= max_bins(r.heuristic, r.worst_optimum)
    ffd = next(r for r in rows if r.heuristic == "first_fit_decreasing")
    nf = next(r for r in rows if r.heuristic == "next_fit")
    assert ffd.mean <= nf.mean


def test_report_marks_the_optimum_unknown_for_large_instances() -> None:
    reports = compare_heuristics([1] * (MAX_EXACT_ITEMS + 1), 4)
    assert {r.optimum for r in reports} == {None}
    assert {r.lower_bound for r in reports} == {4}


def test_max_bins_values() -> None:
    assert [max_bins(h, 1) for h in HEURISTICS] == [1, 1, 1, 1, 1]
    assert max_bins("first_fit", 7) == 11  # floor(11.9)
    assert max_bins("first_fit_decreasing", 9) == 11  # floor(11.67)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: pack([], 10), ValueError, "sizes must be non-empty, got []"),
        (lambda: pack((1, 2), 0), ValueError, "capacity must be a finite number > 0, got 0"),
        (lambda: pack([1], -3), ValueError, "capacity must be a finite number > 0, got -3"),
        (
            lambda: pack([1], float("nan")),
            ValueError,
            "capacity must be a finite number > 0, got nan",
        ),
        (lambda: pack([1], float("inf")), ValueError, "got inf"),
        (lambda: pack([1], True), TypeError, "capacity must be a number, got bool: True"),
        (
            lambda: pack([1, float("nan")], 5),
            ValueError,
            "sizes[1] must be a finite number > 0, got nan",
        ),
        (lambda: pack([1, 0], 5), ValueError, "sizes[1] must be a finite number > 0, got 0"),
        (lambda: pack([1, -2], 5), ValueError, "sizes[1] must be a finite number > 0, got -2"),
        (lambda: pack([False], 5), TypeError, "sizes[0] must be a number, got bool: False"),
        (lambda: pack(_any(["3"]), 5), TypeError, "sizes[0] must be a number, got str: '3'"),
        (lambda: pack(_any("123"), 5), TypeError, "sizes must be a list or tuple, got str: '123'"),
        (
            lambda: pack([6], 5),
            ValueError,
            "sizes[0] must fit in an empty bin of capacity 5, got 6",
        ),
        (lambda: pack([1], 5, "fastest_fit"), ValueError, "got 'fastest_fit'"),
        (lambda: pack([1], 5, _any(["first_fit"])), TypeError, "heuristic must be a str"),
        (lambda: max_bins(_any(None), 3), TypeError, "heuristic must be a str, got NoneType"),
        (lambda: optimal_packing([1] * 13, 5), ValueError, "at most 12 items, got 13"),
        (lambda: max_bins("first_fit", 0), ValueError, "optimum must be >= 1, got 0"),
        (lambda: max_bins("first_fit", True), TypeError, "got bool: True"),
        (lambda: ratio_study(0, 5, low=1, high=5, capacity=5, seed=0), ValueError, "trials"),
        (lambda: ratio_study(5, 13, low=1, high=5, capacity=5, seed=0), ValueError, "n must be"),
        (lambda: ratio_study(5, 5, low=4, high=3, capacity=5, seed=0), ValueError, "high must be"),
    ],
)
def test_bad_input_names_the_value(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()
    assert message in str(exc.value)


def test_cli_demo_runs() -> None:
    out = io.StringIO()
    assert main(["demo", "cluster-scheduling"], out=out) == 0
    text = out.getvalue()
    assert "result: {'A': 3, 'B': 2}" in text
    assert text.rstrip().endswith("stranded")


def _reference_pack(sizes: Sequence[int], capacity: int, rule: str) -> list[list[int]]:
    """The four placement rules written from their definitions, with no shortcuts."""
    bins: list[list[int]] = []
    for size in sizes:
        fitting = [b for b in range(len(bins)) if sum(bins[b]) + size <= capacity]
        if rule == "next_fit":
            fitting = fitting[-1:] if fitting and fitting[-1] == len(bins) - 1 else []
        if not fitting:
            bins.append([size])
            continue
        if rule in ("next_fit", "first_fit"):
            chosen = fitting[0]
        elif rule == "best_fit":  # least room left after the item; ties to the lower bin
            chosen = min(fitting, key=lambda b: (capacity - sum(bins[b]) - size, b))
        else:  # worst fit: most room left
            chosen = min(fitting, key=lambda b: (-(capacity - sum(bins[b]) - size), b))
        bins[chosen].append(size)
    return bins


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda cap: st.tuples(st.just(cap), st.lists(st.integers(1, cap), min_size=1, max_size=40))
    ),
    st.sampled_from(["next_fit", "first_fit", "best_fit", "worst_fit"]),
)
def test_online_rules_match_their_definitions(case: tuple[int, list[int]], rule: str) -> None:
    capacity, sizes = case
    assert pack(sizes, capacity, rule) == _reference_pack(sizes, capacity, rule)
