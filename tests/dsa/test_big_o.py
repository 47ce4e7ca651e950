"""Tests for studybook.dsa.big_o: the examples, the estimator, the analyses."""

from __future__ import annotations

import bisect
import gc
import itertools
import math
import random
import re
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from studybook.dsa.big_o import (
    CLASSES,
    Counted,
    DynamicArray,
    OpCounter,
    amortized_copies_per_append,
    binary_search,
    classify,
    count_operations,
    demo,
    feasible_n,
    fit_exponent,
    fit_residuals,
    get_item,
    growth_chart_svg,
    has_duplicate_hashing,
    has_duplicate_pairwise,
    has_duplicate_sorting,
    linear_search,
    loop_rate,
    master_theorem,
    measure,
    reverse_in_place,
    reversed_copy,
    search_cost_cases,
    shortest_tour_brute_force,
    subset_sum_brute_force,
    worst_copies_per_append,
)

SVG_PATH = Path(__file__).resolve().parents[2] / "docs" / "dsa" / "big-o-growth.svg"
POWERS = [2**k for k in range(4, 13)]


def distinct(n: int) -> list[int]:
    return list(range(n))


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


def line_cities(n: int) -> list[list[int]]:
    return [[abs(i - j) for j in range(n)] for i in range(n)]


# ---------------------------------------------------------------- oracle: the book's examples

BOOK_EXAMPLES: list[
    tuple[str, Callable[[Any, OpCounter], object], Callable[[int], Any], list[int]]
] = [
    ("O(1)", lambda data, ops: get_item(data, len(data) // 2, ops), distinct, POWERS),
    ("O(log n)", lambda data, ops: binary_search(data, -1, ops), distinct, POWERS),
    ("O(n)", has_duplicate_hashing, distinct, POWERS),
    ("O(n)", lambda data, ops: linear_search(data, -1, ops), distinct, POWERS),
    ("O(n log n)", has_duplicate_sorting, shuffled, POWERS),
    ("O(n^2)", has_duplicate_pairwise, distinct, POWERS[:6]),
    (
        "O(2^n)",
        lambda data, ops: subset_sum_brute_force(data, -1, ops),
        distinct,
        list(range(4, 15)),
    ),
]


@pytest.mark.parametrize(
    ("label", "operation", "make_input", "sizes"),
    BOOK_EXAMPLES,
    ids=[f"{label}-{i}" for i, (label, *_) in enumerate(BOOK_EXAMPLES)],
)
def test_classify_recovers_each_book_example_from_operation_counts(
    label: str,
    operation: Callable[[Any, OpCounter], object],
    make_input: Callable[[int], Any],
    sizes: list[int],
) -> None:
    counts = count_operations(operation, make_input, sizes)
    assert classify(sizes, counts) == label
    assert counts == count_operations(operation, make_input, sizes)  # deterministic


def test_factorial_example_is_reported_as_at_least_exponential() -> None:
    sizes = list(range(3, 10))
    counts = count_operations(shortest_tour_brute_force, line_cities, sizes)
    assert counts == [math.factorial(n - 1) for n in sizes]
    assert classify(sizes, counts) == "O(2^n)"  # the fastest-growing label available
    ratios = [b / a for a, b in itertools.pairwise(counts)]
    assert all(r2 > r1 for r1, r2 in itertools.pairwise(ratios))  # super-exponential


def test_sorting_sorted_input_is_linear_best_case() -> None:
    # Timsort finds one run: n - 1 comparisons, plus n - 1 for the scan.
    counts = count_operations(has_duplicate_sorting, distinct, POWERS)
    assert counts == [2 * (n - 1) for n in POWERS]
    assert classify(POWERS, counts) == "O(n)"


def test_timing_separates_linear_from_quadratic() -> None:
    # Wall time on a shared machine is noisy: take the minimum of repeats, keep each run
    # short (a few ms) so that preemption rarely hits it, and assert only what survives
    # noise: the quadratic slope is well above the linear one.
    sizes = [150, 300, 600]
    fast = measure(has_duplicate_hashing, distinct, sizes, repeats=5)
    slow = measure(has_duplicate_pairwise, distinct, sizes, repeats=5)
    assert fit_exponent(sizes, slow) >= 1.5
    assert fit_exponent(sizes, slow) - fit_exponent(sizes, fast) >= 0.6
    assert slow[-1] > 10 * fast[-1]


# ---------------------------------------------------------------- estimator on synthetic data

LOG_F: dict[str, Callable[[int], float]] = {
    "O(1)": lambda n: 1.0,
    "O(log n)": lambda n: math.log2(n + 1),
    "O(n)": float,
    "O(n log n)": lambda n: n * math.log2(n + 1),
    "O(n^2)": lambda n: float(n) ** 2,
    "O(n^3)": lambda n: float(n) ** 3,
    "O(2^n)": lambda n: 2.0**n,
}


@settings(max_examples=100, deadline=None)
@given(
    label=st.sampled_from(CLASSES),
    scale=st.floats(1e-6, 1e6),
    noise_seed=st.integers(0, 2**32 - 1),
)
def test_classify_recovers_synthetic_curves_with_five_percent_noise(
    label: str, scale: float, noise_seed: int
) -> None:
    rng = random.Random(noise_seed)
    sizes = list(range(8, 41, 4)) if label == "O(2^n)" else [2**k for k in range(4, 17)]
    costs = [scale * LOG_F[label](n) * rng.uniform(0.95, 1.05) for n in sizes]
    assert classify(sizes, costs) == label


@settings(max_examples=100, deadline=None)
@given(exponent=st.integers(0, 4), scale=st.floats(1e-3, 1e3))
def test_fit_exponent_is_exact_on_power_laws(exponent: int, scale: float) -> None:
    sizes = [10, 30, 100, 300, 1000]
    costs = [scale * n**exponent for n in sizes]
    assert fit_exponent(sizes, costs) == pytest.approx(exponent, abs=1e-9)


def test_exact_fit_has_zero_residual_and_ties_go_to_the_slower_class() -> None:
    scores = fit_residuals([10, 100, 1000], [10, 100, 1000])
    assert scores["O(n)"] == 0.0
    assert list(scores) == list(CLASSES)
    # Two points' worth of information (one size repeated) cannot tell classes apart well,
    # but a constant cost is an exact tie only with itself: O(1) wins, not O(log n).
    assert classify([5, 5, 6], [3.0, 3.0, 3.0]) == "O(1)"


@pytest.mark.parametrize(
    ("sizes", "costs", "message"),
    [
        ([1, 2], [1, 2], r"need at least 3 sizes to fit a curve, got 2: \[1, 2\]"),
        ([1, 2, 3], [1, 2], "sizes and costs differ in length: 3 sizes, 2 costs"),
        ([1, 0, 3], [1, 2, 3], "sizes must be positive integers, got 0"),
        ([1, 2.5, 3], [1, 2, 3], "sizes must be positive integers, got 2.5"),
        ([1, 2, 3], [1, -2, 3], "costs must be positive, got -2"),
        ([4, 4, 4], [1, 2, 3], r"sizes must not all be equal, got \[4, 4, 4\]"),
    ],
)
def test_estimator_rejects_bad_input(sizes: list[Any], costs: list[float], message: str) -> None:
    for fit in (fit_exponent, classify, fit_residuals):
        with pytest.raises(ValueError, match=message):
            fit(sizes, costs)


def test_measure_times_only_the_operation_and_takes_the_minimum() -> None:
    clock = [0.0]

    def timer() -> float:
        return clock[0]

    def make_input(n: int) -> list[int]:
        clock[0] += 1000.0  # building the input is slow, and must not be timed
        return list(range(n))

    durations = iter([5.0, 2.0, 7.0] * 3)

    def operation(data: list[int]) -> None:
        data.reverse()  # mutates: each repeat must get a fresh input
        assert data[0] == len(data) - 1
        assert not gc.isenabled()  # paused while timing, as timeit does
        clock[0] += next(durations)

    assert gc.isenabled()
    assert measure(operation, make_input, [1, 2, 3], repeats=3, timer=timer) == [2.0, 2.0, 2.0]
    assert gc.isenabled()  # and restored afterwards
    with pytest.raises(ValueError, match="repeats must be >= 1, got 0"):
        measure(operation, make_input, [1, 2, 3], repeats=0, timer=timer)


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
    with pytest.raises(ValueError, match=r"got row lengths \[\]"):
        shortest_tour_brute_force([])
    with pytest.raises(ValueError, match="steps must be >= 0, got -2"):
        OpCounter().tick(-2)


def test_best_average_worst_case_counts_of_linear_search() -> None:
    for n in range(1, 60):
        assert search_cost_cases(n) == (1, (n + 1) / 2, n)


def test_counted_counts_every_comparison_operator() -> None:
    ops = OpCounter()
    a, b = Counted(1, ops), Counted(2, ops)
    results = [a < b, a <= b, a > b, a >= b, a == b, a == Counted(1, ops)]
    assert results == [True, True, False, False, False, True]
    assert ops.count == 6
    assert len({Counted(1, ops), Counted(1, ops)}) == 1  # hashing delegates to the value


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


# ---------------------------------------------------------------- amortized analysis


class DynamicArrayMachine(RuleBasedStateMachine):
    """DynamicArray against a plain list, with the copy count checked exactly."""

    @initialize(factor=st.sampled_from([1.0, 1.25, 1.5, 2.0, 3.0]), increment=st.integers(0, 3))
    def start(self, factor: float, increment: int) -> None:
        if factor == 1.0 and increment == 0:
            increment = 1
        self.array: DynamicArray[int] = DynamicArray(factor, increment)
        self.model: list[int] = []
        self.expected_copies = 0

    @rule(value=st.integers())
    def append(self, value: int) -> None:
        if len(self.model) == self.array.capacity:
            self.expected_copies += len(self.model)
        self.array.append(value)
        self.model.append(value)

    @rule(data=st.data())
    def read(self, data: st.DataObject) -> None:
        if self.model:
            i = data.draw(st.integers(0, len(self.model) - 1))
            assert self.array[i] == self.model[i]
        with pytest.raises(IndexError, match=f"index {len(self.model)} out of range"):
            self.array[len(self.model)]

    @invariant()
    def matches_model(self) -> None:
        if hasattr(self, "array"):
            self.array._check_invariants()
            assert len(self.array) == len(self.model)
            assert self.array.copies == self.expected_copies


TestDynamicArray = DynamicArrayMachine.TestCase
TestDynamicArray.settings = settings(max_examples=50, stateful_step_count=60, deadline=None)


@pytest.mark.parametrize("factor", [1.25, 1.5, 2.0, 3.0])
def test_geometric_growth_copies_stay_below_g_over_g_minus_one(factor: float) -> None:
    worst = worst_copies_per_append(50_000, factor)
    assert worst < factor / (factor - 1)
    assert worst > 0.9 * factor / (factor - 1)  # and the bound is nearly reached


def test_fixed_increment_growth_costs_linear_copies_per_append() -> None:
    sizes = [1000, 2000, 4000, 8000]
    per_append = [amortized_copies_per_append(n, 1.0, increment=16) for n in sizes]
    assert fit_exponent(sizes, per_append) == pytest.approx(1.0, abs=0.05)
    doubling = [amortized_copies_per_append(n, 2.0) for n in sizes]
    assert max(doubling) < 2


def test_dynamic_array_rejects_policies_that_never_grow() -> None:
    with pytest.raises(ValueError, match=re.escape("growth_factor=0.5, increment=0")):
        DynamicArray(0.5)
    with pytest.raises(ValueError, match=re.escape("growth_factor=2.0, increment=-1")):
        DynamicArray(2.0, -1)
    with pytest.raises(ValueError, match="n must be >= 1, got 0"):
        amortized_copies_per_append(0)


# ---------------------------------------------------------------- master theorem


@pytest.mark.parametrize(
    ("a", "b", "d", "case", "bound"),
    [
        (2, 2, 1, 2, "Θ(n log n)"),  # merge sort
        (1, 2, 0, 2, "Θ(log n)"),  # binary search
        (3, 2, 1, 1, "Θ(n^1.585)"),  # Karatsuba
        (7, 2, 2, 1, "Θ(n^2.807)"),  # Strassen
        (8, 2, 2, 1, "Θ(n^3)"),  # naive recursive matrix multiply
        (2, 2, 2, 3, "Θ(n^2)"),
        (1, 2, 1, 3, "Θ(n)"),  # quickselect's expected recurrence
        (4, 2, 2, 2, "Θ(n^2 log n)"),
        (2, 4, 0.5, 2, "Θ(n^0.500 log n)"),
    ],
)
def test_master_theorem_known_recurrences(
    a: float, b: float, d: float, case: int, bound: str
) -> None:
    result = master_theorem(a, b, d)
    assert (result.case, result.bound) == (case, bound)


@settings(max_examples=60, deadline=None)
@given(a=st.integers(1, 9), b=st.integers(2, 4), d=st.integers(0, 3))
def test_master_theorem_matches_the_unrolled_recurrence(a: int, b: int, d: int) -> None:
    # T(b^k) = a T(b^(k-1)) + (b^k)^d, T(1) = 1; T / bound must settle to a constant.
    result = master_theorem(a, b, d)
    t, ratios = 1.0, []
    for k in range(1, 41):
        n = float(b) ** k
        t = a * t + n**d
        if result.case == 1:
            g = n**result.critical_exponent
        elif result.case == 2:
            g = n**d * math.log(n)
        else:
            g = n**d
        ratios.append(t / g)
    assert ratios[-1] / ratios[-2] == pytest.approx(1.0, abs=0.03)


def test_master_theorem_rejects_out_of_range_parameters() -> None:
    with pytest.raises(ValueError, match=re.escape("a must be >= 1, got 0.5")):
        master_theorem(0.5, 2, 1)
    with pytest.raises(ValueError, match="d must be >= 0, got -1"):
        master_theorem(2, 2, -1)


# ---------------------------------------------------------------- feasibility, loop rate


@settings(max_examples=100, deadline=None)
@given(
    label=st.sampled_from(["O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)", "O(n!)"]),
    budget=st.floats(10, 1e12),
)
def test_feasible_n_is_the_largest_size_within_budget(label: str, budget: float) -> None:
    f: dict[str, Callable[[int], float]] = {
        "O(n)": float,
        "O(n log n)": lambda n: n * math.log2(n) if n > 1 else 1.0,
        "O(n^2)": lambda n: float(n) ** 2,
        "O(n^3)": lambda n: float(n) ** 3,
        "O(2^n)": lambda n: 2.0**n,
        "O(n!)": lambda n: float(math.factorial(n)),
    }
    n = feasible_n(label, budget)
    assert f[label](n) <= budget < f[label](n + 1)


def test_feasible_n_rejects_unbounded_classes_and_small_budgets() -> None:
    with pytest.raises(ValueError, match=r"no size limit to compute for 'O\(1\)'"):
        feasible_n("O(1)")
    with pytest.raises(ValueError, match=re.escape("operations must be >= 1, got 0.5")):
        feasible_n("O(n)", 0.5)


def test_loop_rate_uses_the_injected_timer_and_measures_a_real_rate() -> None:
    readings = iter([10.0, 10.25])
    assert loop_rate(500, timer=lambda: next(readings)) == 2000.0
    assert loop_rate(200_000) > 1e5  # even a loaded 2-core machine loops faster than this


# ---------------------------------------------------------------- chart and demo


def test_committed_svg_matches_the_generator() -> None:
    assert SVG_PATH.read_text(encoding="utf-8") == growth_chart_svg()


def test_svg_is_well_formed_with_one_curve_per_class() -> None:
    root = ET.fromstring(growth_chart_svg(max_n=12, y_max=50))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert len(root.findall(f"{ns}polyline")) == 7
    labels = {t.text for t in root.findall(f"{ns}text")}
    assert {"O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(2^n)", "O(n!)"} <= labels
    with pytest.raises(ValueError, match="y_max must be > 1, got 1"):
        growth_chart_svg(y_max=1)


def test_demo_narrates_the_chapter() -> None:
    import io

    out = io.StringIO()
    demo(out)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 5
    assert "class O(n^2)" in lines[3]
    assert "case 2, Θ(n log n)" in out.getvalue()
