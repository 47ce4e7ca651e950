"""XFetch's test against its closed form, the stampede simulation, and SingleFlight with threads."""

from __future__ import annotations

import math
import random
import threading

import pytest

from studybook.senior.caching import (
    STAMPEDE_POLICIES,
    SingleFlight,
    should_recompute,
    simulate_stampede,
)


@pytest.mark.parametrize(
    ("gap", "delta", "beta"), [(0.5, 1.0, 1.0), (2.0, 1.0, 1.0), (1.0, 0.5, 2.0)]
)
def test_xfetch_probability_matches_the_closed_form(gap: float, delta: float, beta: float) -> None:
    # P(-delta*beta*ln u >= gap) = P(u <= exp(-gap/(delta*beta))) = exp(-gap/(delta*beta)).
    rng = random.Random(460)
    n = 20_000
    hits = sum(
        should_recompute(now=0.0, expiry=gap, delta=delta, beta=beta, u=1.0 - rng.random())
        for _ in range(n)
    )
    p = math.exp(-gap / (delta * beta))
    assert abs(hits / n - p) < 4 * math.sqrt(p * (1 - p) / n)  # 4 sigma, seeded


def test_xfetch_always_recomputes_at_or_after_expiry() -> None:
    assert should_recompute(now=10.0, expiry=10.0, delta=1.0, beta=1.0, u=1.0)
    assert should_recompute(now=11.0, expiry=10.0, delta=0.0, beta=1.0, u=0.3)


def run(policy: str, seed: int = 5) -> object:
    return simulate_stampede(
        policy, rate=200, ttl=5, delta=0.5, duration=25, rng=random.Random(seed)
    )


def test_simulation_is_deterministic_for_a_seed() -> None:
    assert run("xfetch") == run("xfetch")
    assert run("xfetch", 5) != run("xfetch", 6)


def test_each_protection_does_what_it_claims() -> None:
    none, single, xfetch, both = (run(p) for p in STAMPEDE_POLICIES)
    # No protection: about rate * delta = 100 rebuilds pile up at each expiry.
    assert none.max_concurrent >= 60
    assert none.recomputes == none.misses
    # Single flight: one rebuild at a time, but readers still wait at expiry.
    assert single.max_concurrent == 1
    assert single.misses >= 60
    # XFetch: refreshed before expiry, so (almost) nobody waits, with several rebuilds.
    assert xfetch.misses <= none.misses // 20
    assert xfetch.early > 0
    assert both.max_concurrent == 1
    assert both.misses == xfetch.misses == 0
    assert both.recomputes < xfetch.recomputes < none.recomputes  # type: ignore[attr-defined]


def test_single_flight_runs_once_for_concurrent_callers() -> None:
    flight: SingleFlight[int] = SingleFlight()
    release = threading.Event()
    started = threading.Event()
    runs = []

    def slow() -> int:
        runs.append(1)
        started.set()
        release.wait(5)
        return 7

    results: list[int] = []
    leader = threading.Thread(target=lambda: results.append(flight.do("k", slow)))
    leader.start()
    started.wait(5)
    followers = [
        threading.Thread(target=lambda: results.append(flight.do("k", slow))) for _ in range(8)
    ]
    for t in followers:
        t.start()
    while flight.shared < 8:  # every follower has joined the flight
        threading.Event().wait(0.001)
    release.set()
    for t in [leader, *followers]:
        t.join(5)
    assert results == [7] * 9
    assert len(runs) == 1
    assert (flight.calls, flight.shared) == (1, 8)
    assert flight.do("k", lambda: 8) == 8  # the flight is over: a new call runs again


def test_single_flight_shares_the_exception() -> None:
    flight: SingleFlight[int] = SingleFlight()

    def boom() -> int:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError, match="store down"):
        flight.do("k", boom)
    assert flight.do("k", lambda: 1) == 1


def test_single_flight_reraises_in_every_waiting_caller() -> None:
    flight: SingleFlight[int] = SingleFlight()
    release = threading.Event()
    started = threading.Event()

    def failing() -> int:
        started.set()
        release.wait(5)
        raise RuntimeError("store down")

    errors: list[str] = []

    def call() -> None:
        try:
            flight.do("k", failing)
        except RuntimeError as exc:
            errors.append(str(exc))

    leader = threading.Thread(target=call)
    leader.start()
    started.wait(5)
    followers = [threading.Thread(target=call) for _ in range(4)]
    for t in followers:
        t.start()
    while flight.shared < 4:
        threading.Event().wait(0.001)
    release.set()
    for t in [leader, *followers]:
        t.join(5)
    assert errors == ["store down"] * 5
    assert (flight.calls, flight.shared) == (1, 4)
    assert not flight._flights  # a failed flight is cleared, so the next call retries


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"u": 0.0}, ValueError, "u must be in"),
        ({"u": 1.5}, ValueError, "u"),
        ({"u": float("nan")}, ValueError, "u"),
        ({"delta": -1.0}, ValueError, "delta"),
        ({"beta": 0.0}, ValueError, "beta"),
        ({"now": float("inf")}, ValueError, "now"),
        ({"expiry": True}, TypeError, "expiry"),
    ],
)
def test_should_recompute_bad_input(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    args: dict[str, object] = {"now": 0.0, "expiry": 1.0, "delta": 1.0, "beta": 1.0, "u": 0.5}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        should_recompute(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"policy": "lock"}, ValueError, "policy"),
        ({"rate": 0}, ValueError, "rate"),
        ({"ttl": float("nan")}, ValueError, "ttl"),
        ({"delta": -0.5}, ValueError, "delta"),
        ({"duration": float("inf")}, ValueError, "duration"),
        ({"rate": 1e6, "duration": 1e3}, ValueError, "1e7"),
        ({"rng": 42}, TypeError, "rng"),
        ({"beta": "1"}, TypeError, "beta"),
    ],
)
def test_simulate_bad_input(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    args: dict[str, object] = {
        "policy": "none",
        "rate": 1.0,
        "ttl": 1.0,
        "delta": 0.1,
        "duration": 1.0,
        "rng": random.Random(1),
    }
    args.update(kwargs)
    policy = args.pop("policy")
    with pytest.raises(error, match=match):
        simulate_stampede(policy, **args)  # type: ignore[arg-type]


def test_single_flight_bad_input() -> None:
    flight: SingleFlight[int] = SingleFlight()
    with pytest.raises(TypeError, match="key must be a str, got int: 1"):
        flight.do(1, lambda: 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fn must be callable"):
        flight.do("k", 3)  # type: ignore[arg-type]
