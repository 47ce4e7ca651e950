"""Availability: downtime against exact fractions; series and parallel against brute force."""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.fundamentals.latency_numbers import (
    SECONDS_PER_MONTH,
    SECONDS_PER_WEEK,
    SECONDS_PER_YEAR,
    availability_in_parallel,
    availability_in_series,
    downtime,
    nines,
)

fractions = st.floats(min_value=0, max_value=1)


def test_period_lengths_are_the_stated_ones():
    assert SECONDS_PER_YEAR == 365.25 * 86_400 == 31_557_600
    assert SECONDS_PER_MONTH == 30.4375 * 86_400
    assert SECONDS_PER_WEEK == 604_800


@given(fractions)
def test_downtime_matches_exact_arithmetic(a):
    d = downtime(a)
    down = 1 - Fraction(a)
    for got, days in ((d.per_year, Fraction(36525, 100)), (d.per_week, 7), (d.per_day, 1)):
        assert got == pytest.approx(float(down * days * 86_400), rel=1e-9, abs=1e-6)
    assert d.per_month == pytest.approx(d.per_year / 12)


def test_three_and_four_nines():
    assert downtime(nines(3)).per_year == pytest.approx(31_557.6)  # 8 h 45 min 57.6 s
    assert downtime(nines(4)).per_month == pytest.approx(262.98)
    assert [nines(n) for n in (1, 2, 3, 4, 5)] == [0.9, 0.99, 0.999, 0.9999, 0.99999]


@given(st.lists(fractions, min_size=1, max_size=6))
def test_series_and_parallel_match_enumerating_every_up_down_state(parts):
    # The oracle: sum the probability of every combination of up and down parts.
    all_up = any_up = 0.0
    for state in itertools.product((True, False), repeat=len(parts)):
        p = math.prod(a if up else 1 - a for a, up in zip(parts, state, strict=True))
        all_up += p if all(state) else 0.0
        any_up += p if any(state) else 0.0
    assert availability_in_series(*parts) == pytest.approx(all_up, abs=1e-12)
    assert availability_in_parallel(*parts) == pytest.approx(any_up, abs=1e-12)
    assert availability_in_series(*parts) <= min(parts) + 1e-15
    assert availability_in_parallel(*parts) >= max(parts) - 1e-15


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: downtime(99.9), ValueError, "0.999 for 99.9 %), got 99.9"),
        (lambda: downtime(-0.1), ValueError, "got -0.1"),
        (lambda: downtime(float("nan")), ValueError, "finite number, got nan"),
        (lambda: downtime(True), TypeError, "got bool: True"),
        (lambda: downtime("0.999"), TypeError, "got str: '0.999'"),
        (lambda: nines(16), ValueError, "at most 15 (float precision), got 16"),
        (lambda: nines(float("inf")), ValueError, "finite number, got inf"),
        (lambda: nines(-1), ValueError, "at least 0, got -1"),
        (lambda: availability_in_series(), ValueError, "got none"),
        (lambda: availability_in_series(0.9, 1.5), ValueError, "got 1.5"),
        (lambda: availability_in_parallel(0.9, None), TypeError, "got NoneType: None"),
    ],
)
def test_bad_input_is_refused_with_the_value_in_the_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()
