"""Percentiles against statistics.quantiles and brute force from the definitions."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.performance_engineering import (
    PERCENTILE_METHODS,
    fanout_slow_probability,
    latency_summary,
    percentile,
)

samples = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False) | st.integers(-1000, 1000),
    min_size=1,
    max_size=40,
)
percents = st.integers(0, 100) | st.floats(min_value=0, max_value=100)


def nearest_rank_brute_force(data, p):
    """The definition, read literally: the smallest sample value with at least p % at or below."""
    n = len(data)
    for candidate in sorted(data):
        if 100 * sum(x <= candidate for x in data) >= p * n:
            return candidate
    raise AssertionError("unreachable: the maximum always qualifies")


@settings(max_examples=25, deadline=None)
@given(samples.filter(lambda d: len(d) >= 2))
def test_linear_is_statistics_inclusive_at_every_percent(data):
    expected = statistics.quantiles(data, n=100, method="inclusive")
    got = [percentile(data, i, method="linear") for i in range(1, 100)]
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(samples.filter(lambda d: len(d) >= 2))
def test_weibull_is_statistics_exclusive_wherever_that_does_not_extrapolate(data):
    n = len(data)
    expected = statistics.quantiles(data, n=100, method="exclusive")
    for i in range(1, 100):
        if 100 <= i * (n + 1) <= 100 * n:  # 1 <= h <= n: both interpolate between samples
            assert percentile(data, i, method="weibull") == pytest.approx(
                expected[i - 1], rel=1e-9, abs=1e-9
            )


def test_statistics_exclusive_extrapolates_below_the_minimum_where_weibull_clamps():
    # CPython's statistics.quantiles(method='exclusive') extends the line
    # beyond the data; Hyndman and Fan's type 6 (and numpy's 'weibull') clamp.
    assert statistics.quantiles([1, 2, 3], n=100, method="exclusive")[0] < 1
    assert percentile([1, 2, 3], 1, method="weibull") == 1.0


@settings(max_examples=40, deadline=None)
@given(samples, percents)
def test_nearest_rank_is_the_definition(data, p):
    assert percentile(data, p, method="nearest-rank") == nearest_rank_brute_force(data, p)


@settings(max_examples=40, deadline=None)
@given(samples, percents, percents, st.sampled_from(PERCENTILE_METHODS))
def test_every_method_is_monotone_and_inside_the_sample(data, p, q, method):
    lo, hi = sorted((p, q))
    a, b = percentile(data, lo, method=method), percentile(data, hi, method=method)
    assert min(data) <= a <= b <= max(data)
    assert percentile(data, 0, method=method) == min(data)
    assert percentile(data, 100, method=method) == max(data)


@settings(max_examples=25, deadline=None)
@given(samples, percents, st.randoms(use_true_random=False))
def test_order_of_the_sample_does_not_matter(data, p, rnd):
    shuffled = list(data)
    rnd.shuffle(shuffled)
    for method in PERCENTILE_METHODS:
        assert percentile(shuffled, p, method=method) == percentile(data, p, method=method)


def test_hyndman_fan_worked_values():
    # Five observations; type 7 at p = 0.4: h = 2.6 -> 20 + 0.6 * 15 = 29;
    # type 6: h = 2.4 -> 20 + 0.4 * 15 = 26; type 1: rank ceil(2) = 2 -> 20.
    data = [15, 20, 35, 40, 50]
    assert percentile(data, 40, method="nearest-rank") == 20
    assert percentile(data, 40, method="linear") == pytest.approx(29)
    assert percentile(data, 40, method="weibull") == pytest.approx(26)


def test_p999_is_exact_for_a_decimal_percent():
    # 99.9 as a float is 99.900000000000006; read as the decimal the caller meant.
    data = list(range(1, 1001))
    assert percentile(data, 99.9, method="nearest-rank") == 999


def test_huge_values_do_not_overflow_the_interpolation():
    assert percentile([-1e308, 1e308], 50) == 0.0
    assert math.isfinite(percentile([-1.7e308, 1.7e308], 25))


def test_latency_summary_mean_does_not_overflow_on_huge_values():
    s = latency_summary([1.7e308, 1.7e308, 1.6e308])
    assert s.mean == pytest.approx(1.7e308 / 3 * 2 + 1.6e308 / 3)  # 1.666...e308
    assert s.max == 1.7e308


def test_latency_summary_reports_values_that_occurred():
    data = [0.001] * 990 + [0.5] * 10
    s = latency_summary(data)
    assert (s.count, s.p50, s.p99, s.p999, s.max) == (1000, 0.001, 0.001, 0.5, 0.5)
    assert s.mean == pytest.approx((0.99 + 5) / 1000)


def test_fanout_matches_the_direct_formula_and_dean_barroso():
    # Exact rational arithmetic as the reference: the float formula 1 - (1 - f)**n
    # loses most digits when f is tiny, which is why the code uses log1p/expm1.
    for f in (0.0, 1e-9, 0.001, 0.01, 0.5, 1.0):
        for n in (1, 2, 10, 100, 2000):
            exact = float(1 - (1 - Fraction(f)) ** n)
            assert fanout_slow_probability(f, n) == pytest.approx(exact, rel=1e-12)
    # "The Tail at Scale": 1 in 100 slow per server, 100 servers: 63 % slow.
    assert round(fanout_slow_probability(0.01, 100), 2) == 0.63


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: percentile([], 50), ValueError, "data must not be empty"),
        (
            lambda: percentile([1, math.nan], 50),
            ValueError,
            "data[1] must be a finite number, got nan",
        ),
        (lambda: percentile([math.inf], 50), ValueError, "got inf"),
        (lambda: percentile([True, 2], 50), TypeError, "got bool: True"),
        (lambda: percentile("123", 50), TypeError, "iterable of numbers, got str"),
        (lambda: percentile(5, 50), TypeError, "iterable of numbers, got int"),
        (lambda: percentile([1, "2"], 50), TypeError, "got str: '2'"),
        (lambda: percentile([1], -1), ValueError, "between 0 and 100, got -1"),
        (lambda: percentile([1], math.nan), ValueError, "p must be a finite number, got nan"),
        (lambda: percentile([1], True), TypeError, "p must be an int or float, got bool"),
        (lambda: percentile([1], 10**400), ValueError, "p must be a finite number, got an int"),
        (lambda: percentile([10**400], 50), ValueError, "data[0] must be a finite number"),
        (lambda: percentile([1], 50, method="type7"), ValueError, "unknown method 'type7'"),
        (lambda: latency_summary([1], method="x"), ValueError, "unknown method 'x'"),
        (lambda: fanout_slow_probability(-0.1, 3), ValueError, "in [0, 1], got -0.1"),
        (lambda: fanout_slow_probability(0.1, 2.0), TypeError, "fanout must be an int"),
        (lambda: fanout_slow_probability(0.1, False), TypeError, "got bool: False"),
    ],
)
def test_bad_input_is_refused_with_the_value_named(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
