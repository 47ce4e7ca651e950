"""M/M/1: the closed form, the simulator against Lindley's recursion, and the two together.

Tolerances for simulated means come from many seeds. With 20,000 customers
(the first 1,000 left out), the relative error of the simulated mean
response time over 200 seeds had a standard deviation of 2.2 % at
utilisation 0.5 and 6.2 % at 0.8 (largest errors 5.8 % and 20 %). Each test
below allows at least four standard deviations of its estimator, so a
failure means a bug, not bad luck; the seeds are fixed, so it is also
deterministic.
"""

from __future__ import annotations

import math
import random
import re
import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.performance_engineering import (
    CURVE_LEVELS,
    latency_curve,
    latency_curve_mermaid,
    mm1,
    percentile,
    simulate_mm1,
)

PAGE = Path(__file__).resolve().parents[3] / "docs" / "fundamentals" / "performance-engineering.md"


def test_closed_form_textbook_values():
    # Kleinrock vol. 1, section 3.2: L = rho/(1-rho), W = 1/(mu-lambda).
    q = mm1(0.9, 1.0)
    assert q.utilization == pytest.approx(0.9)
    assert q.mean_in_system == pytest.approx(9)
    assert q.mean_in_queue == pytest.approx(8.1)
    assert q.mean_response_time == pytest.approx(10)
    assert q.mean_wait_in_queue == pytest.approx(9)
    assert q.response_time_percentile(99) == pytest.approx(10 * math.log(100))


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=1e-6, max_value=1e6), st.floats(min_value=1e-6, max_value=0.999))
def test_closed_form_obeys_littles_law_and_its_own_identities(mu, rho):
    q = mm1(rho * mu, mu)
    assert q.mean_in_system == pytest.approx(q.arrival_rate * q.mean_response_time)
    assert q.mean_in_queue == pytest.approx(q.arrival_rate * q.mean_wait_in_queue)
    assert q.mean_response_time == pytest.approx(q.mean_wait_in_queue + 1 / mu)
    assert q.response_time_percentile(50) == pytest.approx(math.log(2) * q.mean_response_time)


def lindley(arrival_rate, service_rate, customers, seed):
    """Response times by Lindley's recursion, fed the simulator's random stream in its order."""
    rng = random.Random(seed)
    arrival = rng.expovariate(arrival_rate)
    free_at = 0.0
    out = []
    for i in range(customers):
        service = rng.expovariate(service_rate)
        start = max(arrival, free_at)
        free_at = start + service
        out.append(free_at - arrival)
        if i + 1 < customers:
            arrival += rng.expovariate(arrival_rate)
    return out


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.95, 1.0), (3.0, 2.0), (1.0, 1.0)])
def test_event_simulation_equals_lindleys_recursion_exactly(lam, mu):
    run = simulate_mm1(lam, mu, 2_000, seed=7)
    assert list(run.response_times) == pytest.approx(lindley(lam, mu, 2_000, 7), rel=1e-12)


@pytest.mark.parametrize(("lam", "seed"), [(0.3, 1), (0.7, 2), (0.95, 3), (1.5, 4)])
def test_littles_law_holds_exactly_on_every_run(lam, seed):
    run = simulate_mm1(lam, 1.0, 3_000, seed=seed, warmup=100)
    everyone = math.fsum(run.response_times) / len(run.response_times)
    assert run.mean_in_system == pytest.approx(run.throughput * everyone, rel=1e-9)
    waits_plus_service = [w <= r for w, r in zip(run.waits, run.response_times, strict=True)]
    assert all(waits_plus_service)


def test_simulation_agrees_with_the_closed_form_at_half_load():
    theory = mm1(0.5, 1.0)
    runs = [simulate_mm1(0.5, 1.0, 20_000, seed=s, warmup=1_000) for s in range(4)]
    for run in runs:  # one run: sd 2.2 %, allow 10 % (4.5 sd)
        assert run.mean_response_time == pytest.approx(theory.mean_response_time, rel=0.10)
        assert run.mean_wait_in_queue == pytest.approx(theory.mean_wait_in_queue, rel=0.20)
        assert run.utilization == pytest.approx(theory.utilization, rel=0.05)
        assert run.mean_in_system == pytest.approx(theory.mean_in_system, rel=0.10)
    mean_of_four = statistics.fmean(r.mean_response_time for r in runs)
    assert mean_of_four == pytest.approx(theory.mean_response_time, rel=0.05)  # sd 1.1 %
    measured = [t for r in runs for t in r.response_times[r.warmup :]]
    assert percentile(measured, 99, method="nearest-rank") == pytest.approx(
        theory.response_time_percentile(99), rel=0.15
    )


def test_simulation_agrees_with_the_closed_form_at_eighty_percent_load():
    theory = mm1(0.8, 1.0)
    runs = [simulate_mm1(0.8, 1.0, 20_000, seed=100 + s, warmup=1_000) for s in range(4)]
    mean_of_four = statistics.fmean(r.mean_response_time for r in runs)
    assert mean_of_four == pytest.approx(theory.mean_response_time, rel=0.13)  # sd 3.1 %


def test_overload_makes_the_queue_grow_instead_of_settling():
    run = simulate_mm1(1.2, 1.0, 5_000, seed=5)
    first, last = run.response_times[:500], run.response_times[-500:]
    assert statistics.fmean(last) > 10 * statistics.fmean(first)


def test_latency_grows_without_bound_near_saturation():
    means = [mm1(rho, 1.0).mean_response_time for rho in (0.5, 0.9, 0.99, 0.999)]
    assert means == pytest.approx([2, 10, 100, 1000])


def test_the_chapter_chart_is_this_codes_output():
    chart = latency_curve_mermaid(latency_curve(CURVE_LEVELS))
    page = PAGE.read_text(encoding="utf-8")
    block = re.search(r"```\{mermaid\}\n(xychart-beta\n.*?)\n```", page, re.S)
    assert block is not None, "the page has no xychart"
    assert block.group(1) == chart


def test_simulation_is_reproducible_per_seed():
    a = simulate_mm1(0.7, 1.0, 500, seed=11)
    b = simulate_mm1(0.7, 1.0, 500, seed=11)
    c = simulate_mm1(0.7, 1.0, 500, seed=12)
    assert a == b
    assert a != c


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: mm1(1, 1), ValueError, "arrival_rate must be below service_rate"),
        (lambda: mm1(2, 1), ValueError, "got 2 >= 1"),
        (lambda: mm1(0, 1), ValueError, "arrival_rate must be positive, got 0"),
        (lambda: mm1(-1, 1), ValueError, "got -1"),
        (lambda: mm1(0.5, 0), ValueError, "service_rate must be positive, got 0"),
        (lambda: mm1(math.nan, 1), ValueError, "finite number, got nan"),
        (lambda: mm1(0.5, math.inf), ValueError, "finite number, got inf"),
        (lambda: mm1(True, 2), TypeError, "arrival_rate must be an int or float, got bool: True"),
        (lambda: mm1(0.5, "1"), TypeError, "got str: '1'"),
        (lambda: mm1(0.5, None), TypeError, "got NoneType"),
        (lambda: mm1(0.5, 1).response_time_percentile(-1), ValueError, "got -1"),
        (lambda: simulate_mm1(0.5, 1, 0), ValueError, "customers must be at least 1, got 0"),
        (lambda: simulate_mm1(0.5, 1, 10.0), TypeError, "customers must be an int"),
        (lambda: simulate_mm1(0.5, 1, 10**12), ValueError, "at most 10000000, got 1000000000000"),
        (lambda: simulate_mm1(0.5, 1, 10, warmup=-1), ValueError, "warmup must be at least 0"),
        (lambda: simulate_mm1(0.5, 1, 10, seed=True), TypeError, "got bool"),
        (lambda: simulate_mm1(math.nan, 1, 10), ValueError, "got nan"),
        (lambda: latency_curve([0]), ValueError, "strictly between 0 and 1, got 0"),
        (lambda: latency_curve([1.5]), ValueError, "got 1.5"),
        (lambda: latency_curve_mermaid([]), ValueError, "points must not be empty"),
    ],
)
def test_bad_input_is_refused_with_the_value_named(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
