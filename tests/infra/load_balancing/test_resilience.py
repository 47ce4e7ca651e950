"""Backoff formulas, contention, the circuit breaker, outlier ejection and the retry throttle."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.load_balancing import (
    STRATEGIES,
    CircuitBreaker,
    CircuitOpenError,
    Deadline,
    OutlierDetector,
    RetryThrottle,
    State,
    decorrelated_jitter,
    equal_jitter,
    exponential,
    full_jitter,
    simulate_contention,
)

finite = st.floats(0.001, 100)


@settings(max_examples=60, deadline=None)
@given(attempt=st.integers(0, 2000), base=finite, extra=st.floats(0, 1000), seed=st.integers(0, 99))
def test_jitter_formulas_stay_in_the_blog_post_ranges(
    attempt: int, base: float, extra: float, seed: int
) -> None:
    cap = base + extra
    temp = min(cap, base * 2.0 ** min(attempt, 1023))
    assert exponential(attempt, base, cap) == temp
    rng = random.Random(seed)
    assert 0 <= full_jitter(attempt, base, cap, rng) <= temp
    assert temp / 2 <= equal_jitter(attempt, base, cap, rng) <= temp
    previous = base + extra / 2
    assert base <= decorrelated_jitter(previous, base, cap, rng) <= min(cap, 3 * previous)


def test_full_jitter_is_uniform_on_zero_to_the_capped_exponential() -> None:
    rng = random.Random(4)
    draws = [full_jitter(3, 1.0, 100.0, rng) for _ in range(4000)]
    assert sum(draws) / len(draws) == pytest.approx(4.0, rel=0.05)  # mean of U(0, 8)


@pytest.mark.parametrize("clients", [1, 2, 10, 40])
def test_no_jitter_keeps_losers_in_lockstep(clients: int) -> None:
    r = simulate_contention(clients, "exponential")
    assert r.calls == clients * (clients + 1) // 2  # one winner per round


@pytest.mark.parametrize("strategy", ["full", "equal", "decorrelated"])
def test_jitter_saves_more_than_half_the_calls_at_50_clients(strategy: str) -> None:
    for seed in range(3):
        r = simulate_contention(50, strategy, seed=seed)
        assert r.calls < 1275 / 2
        assert r.completion < simulate_contention(50, "exponential").completion


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: exponential(-1, 1.0, 2.0), ValueError, "got -1"),
        (lambda: exponential(True, 1.0, 2.0), TypeError, "got bool: True"),
        (lambda: exponential(1, float("nan"), 2.0), ValueError, "got nan"),
        (lambda: exponential(1, 1.0, float("inf")), ValueError, "got inf"),
        (lambda: exponential(1, 2.0, 1.0), ValueError, "cap must be"),
        (lambda: decorrelated_jitter(0.5, 1.0, 2.0, random.Random()), ValueError, "got 0.5"),
        (lambda: simulate_contention(0, "full"), ValueError, "got 0"),
        (lambda: simulate_contention(5, "linear"), ValueError, "got 'linear'"),
        (lambda: simulate_contention(5, "full", seed="x"), TypeError, "seed must be an int"),  # type: ignore[arg-type]
        (lambda: simulate_contention(5, "full", seed=1.5), TypeError, "got float: 1.5"),  # type: ignore[arg-type]
        (lambda: full_jitter(1, 1.0, 2.0, None), TypeError, "rng must be a random.Random"),  # type: ignore[arg-type]
        (lambda: equal_jitter(1, 1.0, 2.0, 3), TypeError, "got int: 3"),  # type: ignore[arg-type]
        (lambda: decorrelated_jitter(1.0, 1.0, 2.0, None), TypeError, "rng must be"),  # type: ignore[arg-type]
    ],
)
def test_backoff_bad_input(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()
    assert message in str(exc.value)


def state_of(cb: CircuitBreaker) -> State:
    # A function call, so mypy does not narrow the state between assertions.
    return cb.state


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_every_transition_on_a_fake_clock() -> None:
    clock = Clock()
    cb = CircuitBreaker(failure_threshold=3, reset_timeout=10, clock=clock)
    cb.record_failure()
    cb.record_failure()
    cb.record_success()  # closed: a success resets the consecutive count
    cb.record_failure()
    cb.record_failure()
    assert state_of(cb) is State.CLOSED
    cb.record_failure()
    assert state_of(cb) is State.OPEN  # closed -> open
    clock.now = 9.999
    assert not cb.allow_request()
    clock.now = 10.0
    assert cb.allow_request()
    assert state_of(cb) is State.HALF_OPEN  # open -> half-open
    assert not cb.allow_request()  # one trial at a time
    cb.record_failure()
    assert state_of(cb) is State.OPEN
    assert cb.opened_at == 10.0  # half-open -> open
    clock.now = 20.0
    assert cb.allow_request()
    cb.record_success()
    assert state_of(cb) is State.CLOSED
    assert cb.failures == 0  # half-open -> closed
    assert [(a.value, b.value) for _, a, b in cb.transitions] == [
        ("closed", "open"),
        ("open", "half-open"),
        ("half-open", "open"),
        ("open", "half-open"),
        ("half-open", "closed"),
    ]


def test_breaker_ignores_late_results_and_a_clock_that_steps_back() -> None:
    clock = Clock()
    clock.now = 100.0
    cb = CircuitBreaker(failure_threshold=1, reset_timeout=5, clock=clock)
    cb.record_failure()
    cb.record_failure()  # late failure while open: timeout not restarted
    cb.record_success()  # late success while open: ignored
    assert state_of(cb) is State.OPEN
    assert cb.opened_at == 100.0
    clock.now = 50.0  # steps back
    assert not cb.allow_request()
    assert state_of(cb) is State.OPEN


def test_breaker_call_wraps_success_failure_and_refusal() -> None:
    clock = Clock()
    cb = CircuitBreaker(failure_threshold=1, reset_timeout=1, clock=clock)
    assert cb.call(lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        cb.call(lambda: 1 / 0)
    with pytest.raises(CircuitOpenError, match="t=0.0"):
        cb.call(lambda: 42)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"failure_threshold": 0}, ValueError, "got 0"),
        ({"failure_threshold": True}, TypeError, "got bool: True"),
        ({"reset_timeout": float("nan")}, ValueError, "got nan"),
        ({"reset_timeout": -1}, ValueError, "got -1"),
        ({"half_open_max_calls": 0}, ValueError, "got 0"),
        ({"clock": 3}, TypeError, "clock must be callable, got int: 3"),
    ],
)
def test_breaker_bad_input(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as exc:
        CircuitBreaker(**kwargs)
    assert message in str(exc.value)


def test_breaker_rejects_a_nan_clock() -> None:
    cb = CircuitBreaker(clock=lambda: float("nan"))
    with pytest.raises(ValueError, match="clock\\(\\) must be a finite number, got nan"):
        cb.allow_request()


def test_outlier_success_rate_ejects_the_statistical_outlier_only() -> None:
    clock = Clock()
    hosts = [f"h{i}" for i in range(6)]
    od = OutlierDetector(hosts, max_ejection_percent=50, clock=clock)
    for h in hosts:
        for i in range(100):
            failing = (h == "h5" and i % 2 == 0) or (h != "h5" and i % 50 == 0)
            od.record(h, 500 if failing and i % 4 else 200 if not failing else 503)
    od.sweep()
    assert od.healthy() == hosts[:5]
    assert od.events[-1][2].startswith("eject: success rate")


def test_outlier_max_ejection_percent_counts_the_ejection_itself() -> None:
    # Envoy 1.28+ (DetectorImpl::ejectHost): eject only if 100 * (ejected + 1) / hosts
    # <= max_ejection_percent, the first ejection included.
    for n, ejectable in [(4, 0), (9, 0), (10, 1), (19, 1), (20, 2), (35, 3)]:
        hosts = [f"h{i}" for i in range(n)]
        od = OutlierDetector(hosts, consecutive_5xx=1, clock=lambda: 0.0)  # 10% default
        for h in hosts:
            od.record(h, 500)
        assert len(od.healthy()) == n - ejectable, n
        assert sum(e[2].startswith("eject") for e in od.events) == ejectable
    od = OutlierDetector(["a", "b"], consecutive_5xx=1, max_ejection_percent=0, clock=lambda: 0.0)
    od.record("a", 500)
    assert od.healthy() == ["a", "b"]
    assert od.events == [(0.0, "a", "not ejected (limit): consecutive 5xx")]


def test_outlier_excludes_ejected_hosts_from_the_success_rate_statistics() -> None:
    # Envoy's processSuccessRateEjections skips hosts already ejected. Counting h0's 0%
    # would inflate the standard deviation enough to hide h5 (70% against 99%).
    clock = Clock()
    hosts = [f"h{i}" for i in range(6)]
    od = OutlierDetector(hosts, max_ejection_percent=100, clock=clock)
    for h in hosts:
        for i in range(100):
            failing = h == "h0" or (h == "h5" and i % 10 in (0, 3, 6)) or i == 0
            od.record(h, 503 if failing else 200)
    assert od.healthy() == hosts[1:]  # h0: 5 in a row
    od.sweep()
    assert od.healthy() == hosts[1:5]
    assert od.events[-1][1:] == ("h5", "eject: success rate 0.70 < 0.71")


def test_outlier_always_eject_one_host_and_growing_ejection_time() -> None:
    clock = Clock()
    od = OutlierDetector(
        ["a", "b", "c", "d"], consecutive_5xx=2, always_eject_one_host=True, clock=clock
    )  # 10% default: without the flag nothing could be ejected from 4 hosts
    for h in ("a", "b"):
        od.record(h, 502)
        od.record(h, 502)
    assert od.healthy() == ["b", "c", "d"]  # the first goes by the flag, the second exceeds 10%
    assert od.events[-1][2] == "not ejected (limit): consecutive 5xx"
    clock.now = 30.0
    od.sweep()
    od.record("a", 500)
    od.record("a", 500)
    clock.now = 89.0
    od.sweep()
    assert "a" not in od.healthy()  # second ejection lasts 2 * 30 s
    clock.now = 90.0
    od.sweep()
    assert od.healthy() == ["a", "b", "c", "d"]


def test_success_resets_the_consecutive_count() -> None:
    od = OutlierDetector(["a"], consecutive_5xx=3, clock=lambda: 0.0)
    for status in (500, 500, 200, 500, 500):
        od.record("a", status)
    assert od.healthy() == ["a"]


@pytest.mark.parametrize(
    ("hosts", "kwargs", "error"),
    [
        ([], {}, ValueError),
        (["a", "a"], {}, ValueError),
        ("ab", {}, TypeError),
        (["a"], {"consecutive_5xx": 0}, ValueError),
        (["a"], {"max_ejection_percent": 101}, ValueError),
        (["a"], {"base_ejection_time": float("inf")}, ValueError),
        (["a"], {"success_rate_stdev_factor": 1.9}, TypeError),
        (["a"], {"base_ejection_time": 60, "max_ejection_time": 30}, ValueError),
        (["a"], {"always_eject_one_host": 1}, TypeError),
    ],
)
def test_outlier_bad_input(hosts: Any, kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        OutlierDetector(hosts, **kwargs)
    od = OutlierDetector(["a"])
    with pytest.raises(ValueError, match="got 600"):
        od.record("a", 600)


def test_retry_throttle_follows_grpc_a6() -> None:
    t = RetryThrottle(max_tokens=10, token_ratio=0.5)
    for _ in range(5):
        assert t.retry_allowed()
        t.record_failure()
    assert t.tokens == 5
    assert not t.retry_allowed()  # at the threshold: throttled
    t.record_success()
    assert t.retry_allowed()
    for _ in range(100):
        t.record_success()
    assert t.tokens == 10
    for _ in range(100):
        t.record_failure()
    assert t.tokens == 0
    with pytest.raises(ValueError, match="got 0"):
        RetryThrottle(max_tokens=0)
    with pytest.raises(TypeError, match="got bool"):
        RetryThrottle(token_ratio=True)


def test_strategies_are_the_four_of_the_blog_post() -> None:
    assert STRATEGIES == ("exponential", "full", "equal", "decorrelated")


def test_deadline_children_never_outlive_their_parent() -> None:
    clock = Clock()
    parent = Deadline(2.0, clock=clock)
    clock.now = 0.5
    assert parent.remaining() == 1.5
    assert parent.child().remaining() == 1.5
    assert parent.child(timeout=10.0).remaining() == 1.5
    assert parent.child(timeout=0.2).remaining() == pytest.approx(0.2)
    assert parent.child(margin=0.4).remaining() == pytest.approx(1.1)
    assert parent.child(margin=5.0).expired()
    clock.now = -10.0  # a clock that steps back only adds time, never expires early
    assert not parent.expired()
    clock.now = 2.0
    assert parent.expired()
    assert parent.remaining() == 0.0


@settings(max_examples=50, deadline=None)
@given(
    total=st.floats(0, 100),
    spent=st.floats(0, 200),
    timeout=st.one_of(st.none(), st.floats(0, 100)),
    margin=st.floats(0, 100),
)
def test_deadline_child_matches_the_min_formula(
    total: float, spent: float, timeout: float | None, margin: float
) -> None:
    clock = Clock()
    parent = Deadline(total, clock=clock)
    clock.now = spent
    expected = max(0.0, total - spent - margin)
    if timeout is not None:
        expected = min(expected, timeout)
    child = parent.child(timeout=timeout, margin=margin)
    assert child.remaining() == pytest.approx(max(0.0, expected))
    assert child.expires_at <= parent.expires_at + 1e-9 or parent.expired()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Deadline(-1.0), ValueError, "got -1.0"),
        (lambda: Deadline(float("inf")), ValueError, "got inf"),
        (lambda: Deadline(True), TypeError, "got bool: True"),
        (
            lambda: Deadline(1.0, clock="now"),  # type: ignore[arg-type]
            TypeError,
            "clock must be callable",
        ),
        (lambda: Deadline(1.0).child(timeout=float("nan")), ValueError, "got nan"),
        (lambda: Deadline(1.0).child(margin=-0.1), ValueError, "got -0.1"),
    ],
)
def test_deadline_bad_input(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        call()
    assert message in str(exc.value)
