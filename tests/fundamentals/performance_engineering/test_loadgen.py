"""Coordinated omission on a real loopback server, and HdrHistogram's back-fill."""

from __future__ import annotations

import math
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.fundamentals.performance_engineering import (
    MAX_BACKFILL,
    MAX_REQUESTS,
    hdr_corrected,
    latency_summary,
    run_load_test,
)


def _servers_alive():
    return [t for t in threading.enumerate() if t.name == "loadgen-server" and t.is_alive()]


@pytest.fixture(scope="module")
def stalled_run():
    """One real run: 800 requests at 2000/s, the server freezes 200 ms on request 200."""
    assert not _servers_alive()
    run = run_load_test(rate=2000, requests=800, stall=0.2, stall_at=200)
    # By name, not by threading.active_count(): a thread of another test that
    # happens to finish during this run would change the count, not this check.
    assert not _servers_alive(), "the server thread outlived the run"
    return run


def test_coordinated_omission_hides_the_stall_from_the_naive_percentiles(stalled_run):
    # The qualitative result, with wide margins for a noisy CI machine:
    # a fifth of the schedule fell inside the stall, so the corrected p99
    # is close to the stall (>= half of it), while the naive log holds one
    # slow sample among 800 and its p99 stays far below half the stall.
    naive = stalled_run.summary(corrected=False)
    fixed = stalled_run.summary(corrected=True)
    stall = stalled_run.stall
    assert fixed.p99 >= stall / 2
    assert naive.p99 < stall / 2
    assert naive.max >= stall  # the one request that met the stall saw all of it
    assert fixed.p90 > naive.p90


def test_every_request_was_sent_answered_and_never_before_its_time(stalled_run):
    r = stalled_run
    assert len(r.intended) == len(r.sent) == len(r.done) == 800
    assert all(s >= i for s, i in zip(r.sent, r.intended, strict=True))
    assert all(c >= u for c, u in zip(r.corrected, r.uncorrected, strict=True))
    # The requests due during the stall were sent late: the generator coordinated.
    assert r.max_lateness >= r.stall / 2


def test_the_back_fill_recovers_the_stall_from_the_naive_log(stalled_run):
    filled = latency_summary(hdr_corrected(stalled_run.uncorrected, 1 / stalled_run.rate))
    assert filled.p99 >= stalled_run.stall / 2


def hdr_reference(values, interval):
    """HdrHistogram's loop, transcribed: subtract the interval while the rest is >= it."""
    out = []
    for v in values:
        out.append(v)
        missing = v - interval
        while missing >= interval:
            out.append(missing)
            missing -= interval
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=20), st.integers(1, 50))
def test_hdr_corrected_matches_the_reference_loop_on_integers(values, interval):
    assert hdr_corrected(values, interval) == hdr_reference(values, interval)


def test_hdr_corrected_adds_nothing_below_two_intervals():
    assert hdr_corrected([0.5, 1.0, 1.999], 1.0) == [0.5, 1.0, 1.999]


def test_hdr_corrected_bounds_the_total_back_fill_not_only_each_value():
    # Each value is under the per-value bound, but together they would add
    # MAX_BACKFILL * 1.5 samples: refused before anything is built.
    values = [MAX_BACKFILL * 0.5] * 3
    with pytest.raises(ValueError, match="more than 1000000 in all"):
        hdr_corrected(values, 1)
    assert len(hdr_corrected([MAX_BACKFILL * 0.5], 1)) == MAX_BACKFILL // 2


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: run_load_test(rate=0), ValueError, "rate must be positive, got 0"),
        (lambda: run_load_test(rate=math.nan), ValueError, "got nan"),
        (lambda: run_load_test(rate=True), TypeError, "got bool"),
        (lambda: run_load_test(requests=0), ValueError, "requests must be at least 1, got 0"),
        (lambda: run_load_test(requests=MAX_REQUESTS + 1), ValueError, "at most 100000"),
        (lambda: run_load_test(requests=10.0), TypeError, "requests must be an int"),
        (lambda: run_load_test(stall=-0.1), ValueError, "stall must not be negative, got -0.1"),
        (lambda: run_load_test(stall=math.inf), ValueError, "got inf"),
        (
            lambda: run_load_test(requests=10, stall_at=10),
            ValueError,
            "below requests (10), got 10",
        ),
        (lambda: run_load_test(stall_at=-1), ValueError, "stall_at must be at least 0"),
        (lambda: run_load_test(timeout=0), ValueError, "timeout must be positive, got 0"),
        (lambda: run_load_test(timeout=3600), ValueError, "at most 60 s, got 3600"),
        (lambda: run_load_test(rate=1, requests=100), ValueError, "more than timeout=10.0"),
        (lambda: hdr_corrected([], 1), ValueError, "latencies must not be empty"),
        (lambda: hdr_corrected([-1], 1), ValueError, "latencies[0] must not be negative, got -1.0"),
        (lambda: hdr_corrected([1], math.nan), ValueError, "got nan"),
        (lambda: hdr_corrected([1e9], 1e-9), ValueError, "expected intervals"),
        (lambda: hdr_corrected("12", 1), TypeError, "got str"),
        (lambda: run_load_test(requests=10**400), ValueError, "beyond float range"),
    ],
)
def test_bad_input_is_refused_with_the_value_named(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
