"""Tests for studybook.dsa.big_o.master, against the unrolled recurrence."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.big_o import (
    master_theorem,
)

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
        (0.5, 2, 0, 3, "Θ(1)"),  # a < 1 (CLRS 4th ed. allows a > 0): the root dominates
        (0.5, 2, 1, 3, "Θ(n)"),
    ],
)
def test_master_theorem_known_recurrences(
    a: float, b: float, d: float, case: int, bound: str
) -> None:
    result = master_theorem(a, b, d)
    assert (result.case, result.bound) == (case, bound)


@pytest.mark.parametrize(
    ("a", "b", "d", "k", "case", "bound"),
    [
        (2, 2, 1, 1, 2, "Θ(n log^2 n)"),  # CLRS 4th ed. Theorem 4.1, extended case 2
        (1, 2, 0, 1, 2, "Θ(log^2 n)"),
        (4, 2, 2, 2, 2, "Θ(n^2 log^3 n)"),
        (2, 2, 2, 1, 3, "Θ(n^2 log n)"),  # case 3 keeps f(n) whole
        (8, 2, 2, 5, 1, "Θ(n^3)"),  # the leaves still win
    ],
)
def test_master_theorem_with_a_log_factor(
    a: float, b: float, d: float, k: float, case: int, bound: str
) -> None:
    result = master_theorem(a, b, d, k)
    assert (result.case, result.bound) == (case, bound)


@settings(max_examples=60, deadline=None)
@given(
    a=st.one_of(st.integers(1, 9), st.sampled_from([0.25, 0.5, 1.5])),
    b=st.integers(2, 4),
    d=st.integers(0, 3),
    k=st.integers(0, 2),
)
def test_master_theorem_matches_the_unrolled_recurrence(a: float, b: int, d: int, k: int) -> None:
    # T(b^j) = a T(b^(j-1)) + (b^j)^d (j log b)^k, T(1) = 1; T / bound must settle to a constant.
    result = master_theorem(a, b, d, k)
    t, ratios = 1.0, []
    for j in range(1, 61):
        log_n = j * math.log(b)
        # Scale by the critical power to keep floats in range: t_j = T(b^j) / b^(j * crit).
        t = t + math.exp((d - result.critical_exponent) * log_n) * log_n**k
        if result.case == 1:
            g = 1.0
        elif result.case == 2:
            g = log_n ** (k + 1)
        else:
            g = math.exp((d - result.critical_exponent) * log_n) * log_n**k
        ratios.append(t / g)
    assert ratios[-1] / ratios[-2] == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, 2, 1), ValueError, "a must be > 0, got 0"),
        ((-1, 2, 1), ValueError, "a must be > 0, got -1"),
        ((2, 1, 1), ValueError, "b must be > 1, got 1"),
        ((2, 2, -1), ValueError, "d must be >= 0, got -1"),
        ((2, 2, 1, -1), ValueError, "k must be >= 0 (k < 0 falls in a gap of the master theorem)"),
        ((math.nan, 2, 1), ValueError, "a must be finite, got nan"),
        ((2, math.inf, 1), ValueError, "b must be finite, got inf"),
        ((2, 2, math.nan), ValueError, "d must be finite, got nan"),
        ((True, 2, 1), TypeError, "a must be a number, got True"),
        ((2, "2", 1), TypeError, "b must be a number, got '2'"),
    ],
)
def test_master_theorem_rejects_out_of_range_parameters(
    args: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        master_theorem(*args)
