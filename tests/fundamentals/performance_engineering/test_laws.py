"""Amdahl, Gustafson, USL and Little: worked values, identities and bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.performance_engineering import (
    amdahl_limit,
    amdahl_speedup,
    gustafson_speedup,
    littles_law,
    usl_speedup,
)

fractions = st.floats(min_value=0, max_value=1)
workers = st.integers(1, 100_000)


def test_amdahl_worked_values():
    # Half parallel on 2 workers: 1 / (0.5 + 0.25) = 4/3; 95 % parallel caps at 20.
    assert amdahl_speedup(0.5, 2) == pytest.approx(4 / 3)
    assert amdahl_speedup(0.95, 8) == pytest.approx(1 / (0.05 + 0.95 / 8))
    assert amdahl_limit(0.95) == pytest.approx(20)
    assert amdahl_limit(1) == math.inf


def test_gustafson_worked_values():
    # Gustafson (1988): serial fraction s of the parallel run, scaled speed-up N + (1 - N) s.
    assert gustafson_speedup(0.5, 2) == 1.5
    assert gustafson_speedup(1 - 0.004, 1024) == pytest.approx(1024 + (1 - 1024) * 0.004)


@settings(max_examples=60, deadline=None)
@given(fractions, workers)
def test_amdahl_never_beats_gustafson_and_neither_beats_linear(p, n):
    a, g = amdahl_speedup(p, n), gustafson_speedup(p, n)
    assert 1 - 1e-12 <= a <= g * (1 + 1e-12)
    assert g <= n * (1 + 1e-12)
    assert a <= amdahl_limit(p) * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(fractions, st.integers(1, 10_000))
def test_amdahl_grows_with_workers(p, n):
    assert amdahl_speedup(p, n + 1) >= amdahl_speedup(p, n) * (1 - 1e-12)


@settings(max_examples=60, deadline=None)
@given(fractions, workers)
def test_usl_without_coherency_is_amdahl(sigma, n):
    assert usl_speedup(n, sigma, 0) == pytest.approx(amdahl_speedup(1 - sigma, n))


def test_huge_worker_counts_reach_the_limits_instead_of_overflowing():
    assert amdahl_speedup(0.95, 10**300) == pytest.approx(amdahl_limit(0.95))
    assert usl_speedup(10**300, 0.05, 0.002) == 0.0
    assert littles_law(arrival_rate=1, time_in_system=-0.0) == 0.0


def test_usl_peaks_near_the_square_root_of_one_minus_sigma_over_kappa():
    sigma, kappa = 0.05, 0.002
    best = max(range(1, 200), key=lambda n: usl_speedup(n, sigma, kappa))
    assert abs(best - math.sqrt((1 - sigma) / kappa)) < 1


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=1e-3, max_value=1e6),
    st.just(0.0) | st.floats(min_value=1e-6, max_value=1e3),
)
def test_littles_law_solves_for_each_unknown_consistently(lam, w):
    n = littles_law(arrival_rate=lam, time_in_system=w)
    assert n == pytest.approx(lam * w)
    if n > 0:
        assert littles_law(arrival_rate=lam, number_in_system=n) == pytest.approx(w)
        assert littles_law(number_in_system=n, time_in_system=w) == pytest.approx(lam)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: amdahl_speedup(1.01, 4),
            ValueError,
            "parallel_fraction must be in [0, 1], got 1.01",
        ),
        (lambda: amdahl_speedup(-0.1, 4), ValueError, "got -0.1"),
        (lambda: amdahl_speedup(math.nan, 4), ValueError, "finite number, got nan"),
        (lambda: amdahl_speedup(math.inf, 4), ValueError, "finite number, got inf"),
        (lambda: amdahl_speedup(True, 4), TypeError, "got bool: True"),
        (lambda: amdahl_speedup("0.5", 4), TypeError, "got str: '0.5'"),
        (lambda: amdahl_speedup(0.5, 0), ValueError, "workers must be at least 1, got 0"),
        (lambda: amdahl_speedup(0.5, -3), ValueError, "got -3"),
        (lambda: amdahl_speedup(0.5, 2.0), TypeError, "workers must be an int, got float"),
        (lambda: amdahl_speedup(0.5, True), TypeError, "got bool: True"),
        (lambda: amdahl_limit(2), ValueError, "got 2"),
        (lambda: gustafson_speedup(0.5, 0), ValueError, "got 0"),
        (lambda: gustafson_speedup(math.nan, 2), ValueError, "got nan"),
        (lambda: usl_speedup(4, 0.1, -1), ValueError, "coherency must be in [0, 1], got -1"),
        (lambda: usl_speedup(0, 0.1, 0.1), ValueError, "workers must be at least 1, got 0"),
        (lambda: littles_law(arrival_rate=1), ValueError, "exactly two"),
        (
            lambda: littles_law(arrival_rate=1, time_in_system=1, number_in_system=1),
            ValueError,
            "got 3",
        ),
        (
            lambda: littles_law(arrival_rate=0, time_in_system=1),
            ValueError,
            "arrival_rate must be positive, got 0",
        ),
        (
            lambda: littles_law(arrival_rate=1, time_in_system=-1),
            ValueError,
            "must not be negative, got -1",
        ),
        (lambda: littles_law(number_in_system=1, time_in_system=0), ValueError, "got 0.0"),
        (lambda: littles_law(number_in_system=math.inf, time_in_system=1), ValueError, "got inf"),
        (lambda: littles_law(arrival_rate=True, time_in_system=1), TypeError, "got bool"),
        (
            lambda: littles_law(arrival_rate=1e308, time_in_system=1e308),
            ValueError,
            "number_in_system overflows a float",
        ),
        (
            lambda: littles_law(arrival_rate=5e-324, number_in_system=1e10),
            ValueError,
            "time_in_system overflows a float",
        ),
        (lambda: amdahl_speedup(0.5, 10**400), ValueError, "workers must be a finite number"),
        (lambda: usl_speedup(4, 10**400, 0), ValueError, "contention must be a finite number"),
    ],
)
def test_bad_input_is_refused_with_the_value_named(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
