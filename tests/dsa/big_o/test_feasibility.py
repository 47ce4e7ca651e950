"""Tests for studybook.dsa.big_o.feasibility."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.big_o import (
    feasible_n,
    loop_rate,
)

# ---------------------------------------------------------------- feasibility, loop rate


@settings(max_examples=100, deadline=None)
@given(
    label=st.sampled_from(["O(n)", "O(n log n)", "O(n^2)", "O(n^3)", "O(2^n)", "O(n!)"]),
    budget=st.one_of(st.floats(1, 1e12), st.integers(1, 10**6), st.floats(1e12, 1e300)),
)
def test_feasible_n_is_the_largest_size_within_budget(label: str, budget: float) -> None:
    # Exact integer arithmetic for every class but n log n, which is irrational.
    exact = Fraction(budget)

    def fits(n: int) -> bool:
        if label == "O(n log n)":
            return n <= 1 or n * math.log2(n) <= budget
        exact_f: dict[str, Callable[[int], int]] = {
            "O(n)": lambda m: m,
            "O(n^2)": lambda m: m**2,
            "O(n^3)": lambda m: m**3,
            "O(2^n)": lambda m: 2**m,
            "O(n!)": math.factorial,
        }
        return exact_f[label](n) <= exact

    n = feasible_n(label, budget)
    assert fits(n)
    assert not fits(n + 1)


def test_feasible_n_rejects_unbounded_classes_and_small_budgets() -> None:
    with pytest.raises(ValueError, match=r"no size limit to compute for 'O\(1\)'"):
        feasible_n("O(1)")
    with pytest.raises(ValueError, match=re.escape("operations must be >= 1, got 0.5")):
        feasible_n("O(n)", 0.5)


def test_feasible_n_at_the_smallest_budget() -> None:
    # 2^0 = 1 fits a budget of one step, 2^1 does not; 1! = 1 fits.
    assert [feasible_n(c, 1) for c in ("O(n)", "O(n^2)", "O(2^n)", "O(n!)")] == [1, 1, 0, 1]


@pytest.mark.parametrize(
    ("budget", "error", "message"),
    [
        (math.nan, ValueError, "operations must be finite, got nan"),
        (math.inf, ValueError, "operations must be finite, got inf"),
        (True, TypeError, "operations must be a number, got True"),
        ("1e8", TypeError, "operations must be a number, got '1e8'"),
    ],
)
def test_feasible_n_rejects_budgets_that_are_not_finite_numbers(
    budget: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        feasible_n("O(n^2)", budget)  # type: ignore[arg-type]


@pytest.mark.parametrize("iterations", [0, 2.5, True])
def test_loop_rate_refuses_bad_iteration_counts(iterations: object) -> None:
    with pytest.raises((TypeError, ValueError), match=re.escape(f"got {iterations!r}")):
        loop_rate(iterations)  # type: ignore[arg-type]


def test_loop_rate_uses_the_injected_timer_and_measures_a_real_rate() -> None:
    readings = iter([10.0, 10.25])
    assert loop_rate(500, timer=lambda: next(readings)) == 2000.0
    assert loop_rate(200_000) > 1e5  # even a loaded 2-core machine loops faster than this


@pytest.mark.parametrize("readings", [[5.0, 5.0], [5.0, 4.0], [0.0, 5e-324]])
def test_loop_rate_refuses_a_clock_that_stands_still_or_steps_back(readings: list[float]) -> None:
    # A rate of inf (or a negative one) would be refused later by feasible_n anyway.
    clock = iter(readings)
    with pytest.raises(ValueError, match="use more iterations or a monotonic clock"):
        loop_rate(100, timer=lambda: next(clock))


def test_the_measured_rate_is_a_budget_feasible_n_accepts() -> None:
    # The chapter suggests feasible_n(label, loop_rate(...)) for pure-Python code.
    rate = loop_rate(100_000)
    n = feasible_n("O(n^2)", rate)
    assert n * n <= rate < (n + 1) ** 2
